/* bt-store-market.c: the store's market_data table: the daily rows with their
 * indicators, scores and item scores (bt-store.h).
 */
#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "bt-base.h"
#include "bt-json.h"
#include "bt-rules.h"
#include "bt-store.h"
#include "bt-store-private.h"

/* ---- market_data --------------------------------------------------------- */

static char *
item_scores_json (const BtScores *sc)
{
  GString *s = g_string_sized_new (900);

  g_string_append_c (s, '{');
  for (guint k = 0; k < BT_N_ITEMS; k++)
    {
      guint8 flag = sc->item_flag[k] < BT_N_FLAGS ? sc->item_flag[k] : BT_FLAG_MISSING;
      guint8 src = sc->item_source[k] < BT_N_SOURCES ? sc->item_source[k] : BT_SOURCE_NONE;

      g_string_append_printf (s, "%s\"%s\":{\"value\":", k ? "," : "", bt_item_name (k));
      bt_json_append_number (s, sc->item_value[k]);
      g_string_append (s, ",\"score\":");
      bt_json_append_number (s, sc->item_score[k]);
      g_string_append_printf (s, ",\"flag\":\"%s\",\"source\":\"%s\"}",
                              bt_flag_name (flag), bt_source_name (src));
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static char *
indicator_map_json (const BtIndicatorTable *t,
                    guint                   i,
                    gboolean                flags)
{
  GString *s = g_string_sized_new (700);

  g_string_append_c (s, '{');
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    {
      guint8 v = flags ? (t->flag[k] ? t->flag[k][i] : 0) : (t->source[k] ? t->source[k][i] : 0);
      const char *name;

      if (flags)
        name = bt_flag_name (v < BT_N_FLAGS ? v : BT_FLAG_MISSING);
      else
        name = bt_source_name (v < BT_N_SOURCES ? v : BT_SOURCE_NONE);
      g_string_append_printf (s, "%s\"%s\":\"%s\"", k ? "," : "", bt_indicator_name (k), name);
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static gboolean
save_market_row (BtStore                *self,
                 const BtHistory        *history,
                 const BtIndicatorTable *t,
                 const BtScores         *sc,
                 guint                   i,
                 gint64                  now,
                 GError                **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  BtDay day = t->first_day + (BtDay) i;
  gssize hi = history ? bt_history_index (history, day) : -1;
  int col = 1;

  stmt = _bt_store_prepare (self, self->market_sql[BT_STORE_MARKET_UPSERT], error);
  if (stmt == NULL)
    return FALSE;
  _bt_store_bind_day (stmt, col++, day);
  sqlite3_bind_int64 (stmt, col++, bt_day_to_unix (day));
  _bt_store_bind_double (stmt, col++, hi >= 0 ? history->input[BT_INPUT_VOLUME][hi] : NAN);
  _bt_store_bind_double (stmt, col++, hi >= 0 ? history->input[BT_INPUT_OPEN][hi] : NAN);
  _bt_store_bind_double (stmt, col++, hi >= 0 ? history->input[BT_INPUT_HIGH][hi] : NAN);
  _bt_store_bind_double (stmt, col++, hi >= 0 ? history->input[BT_INPUT_LOW][hi] : NAN);
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    _bt_store_bind_double (stmt, col++, t->value[k] ? t->value[k][i] : NAN);
  for (guint k = 0; k < BT_N_CATEGORIES; k++)
    _bt_store_bind_double (stmt, col++, sc->category[k]);
  _bt_store_bind_double (stmt, col++, sc->market);
  _bt_store_bind_double (stmt, col++, sc->confidence);
  sqlite3_bind_text (stmt, col++, item_scores_json (sc), -1, g_free);
  sqlite3_bind_text (stmt, col++, indicator_map_json (t, i, TRUE), -1, g_free);
  sqlite3_bind_text (stmt, col++, indicator_map_json (t, i, FALSE), -1, g_free);
  sqlite3_bind_int64 (stmt, col++, now);
  sqlite3_bind_int64 (stmt, col++, now);
  return _bt_store_step_done (self, stmt, _("saving market data"), error);
}

gboolean
bt_store_save_market_data_full (BtStore                *self,
                                const BtHistory        *history,
                                const BtIndicatorTable *table,
                                const BtScores         *scores,
                                guint                   from_index,
                                GError                **error)
{
  gint64 now = _bt_store_now_unix ();

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL && (scores != NULL || table->n_days == 0), FALSE);

  if (!_bt_store_begin (self, error))
    return FALSE;
  for (guint i = from_index; i < table->n_days; i++)
    if (!save_market_row (self, history, table, &scores[i], i, now, error))
      {
        _bt_store_rollback (self, NULL);
        return FALSE;
      }
  return _bt_store_commit (self, error);
}

gboolean
bt_store_save_market_data (BtStore                *self,
                           const BtIndicatorTable *table,
                           const BtScores         *scores,
                           guint                   from_index,
                           GError                **error)
{
  return bt_store_save_market_data_full (self, NULL, table, scores, from_index, error);
}

static guint8
flag_from_name (const char *name)
{
  BtFlag f;

  return bt_flag_from_name (name, &f) ? f : BT_FLAG_MISSING;
}

static guint8
source_from_name (const char *name)
{
  BtSource s;

  return bt_source_from_name (name, &s) ? s : BT_SOURCE_NONE;
}

static double
json_member_double (JsonObject *o,
                    const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n) || json_node_get_value_type (n) == G_TYPE_STRING)
    return NAN;
  return json_node_get_double (n);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

static void
read_item_scores (JsonParser      *parser,
                  const char      *text,
                  BtMarketDayData *d)
{
  JsonObject *o = parse_object (parser, text);

  if (o == NULL)
    return;
  for (guint k = 0; k < BT_N_ITEMS; k++)
    {
      JsonNode *node = json_object_get_member (o, bt_item_name (k));
      JsonObject *it;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      it = json_node_get_object (node);
      d->scores.item_value[k] = json_member_double (it, "value");
      d->scores.item_score[k] = json_member_double (it, "score");
      d->scores.item_flag[k] = flag_from_name (json_object_get_string_member_with_default (it, "flag", NULL));
      d->scores.item_source[k] = source_from_name (json_object_get_string_member_with_default (it, "source", NULL));
    }
}

static void
read_indicator_map (JsonParser *parser,
                    const char *text,
                    guint8     *out,
                    gboolean    flags)
{
  JsonObject *o = parse_object (parser, text);

  if (o == NULL)
    return;
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    {
      const char *v = json_object_get_string_member_with_default (o, bt_indicator_name (k), NULL);

      out[k] = flags ? flag_from_name (v) : source_from_name (v);
    }
}

static BtMarketDay *
market_day_from_row (sqlite3_stmt *stmt,
                     JsonParser   *parser)
{
  BtMarketDayData d;
  BtDay day = _bt_store_column_day (stmt, 0);
  int col = 2;

  bt_market_day_data_init (&d);
  d.volume = _bt_store_column_double (stmt, col++);
  d.open = _bt_store_column_double (stmt, col++);
  d.high = _bt_store_column_double (stmt, col++);
  d.low = _bt_store_column_double (stmt, col++);
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    d.value[k] = _bt_store_column_double (stmt, col++);
  for (guint k = 0; k < BT_N_CATEGORIES; k++)
    d.scores.category[k] = _bt_store_column_double (stmt, col++);
  d.scores.market = _bt_store_column_double (stmt, col++);
  d.scores.confidence = _bt_store_column_double (stmt, col++);
  read_item_scores (parser, (const char *) sqlite3_column_text (stmt, col++), &d);
  read_indicator_map (parser, (const char *) sqlite3_column_text (stmt, col++), d.flag, TRUE);
  read_indicator_map (parser, (const char *) sqlite3_column_text (stmt, col++), d.source, FALSE);
  d.updated_at = sqlite3_column_int64 (stmt, col++);
  return bt_market_day_new (day, &d);
}

BtMarketDay *
bt_store_get_market_day (BtStore  *self,
                         BtDay     day,
                         GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *missing = NULL;
  char buf[16];

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  missing = g_strdup_printf (_("No market data for %s"), bt_day_format (day, buf));
  stmt = _bt_store_query_row (self, _("reading market data"), missing, error,
                              self->market_sql[BT_STORE_MARKET_DAY], "D", day);
  if (stmt == NULL)
    return NULL;
  parser = json_parser_new_immutable ();
  return market_day_from_row (stmt, parser);
}

/* The first and last days that have a market_data row. */
static gboolean
market_day_range (BtStore  *self,
                  BtDay    *first,
                  BtDay    *last,
                  GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  *first = *last = BT_DAY_INVALID;
  stmt = _bt_store_prepare (self, "SELECT min (date), max (date) FROM market_data", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _bt_store_set_error (self, _("reading market data"), error);
  *first = _bt_store_column_day (stmt, 0);
  *last = _bt_store_column_day (stmt, 1);
  return *last != BT_DAY_INVALID;
}

gboolean
bt_store_get_latest_day (BtStore  *self,
                         BtDay    *out,
                         GError  **error)
{
  BtDay first;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  return market_day_range (self, &first, out, error);
}

gboolean
bt_store_get_day_range (BtStore  *self,
                        BtDay    *first,
                        BtDay    *last,
                        GError  **error)
{
  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (first != NULL && last != NULL, FALSE);

  return market_day_range (self, first, last, error);
}

typedef struct
{
  GPtrArray  *days;
  JsonParser *parser;
} MarketDays;

static void
add_market_day (sqlite3_stmt *stmt,
                gpointer      user_data)
{
  MarketDays *m = user_data;

  g_ptr_array_add (m->days, market_day_from_row (stmt, m->parser));
}

GPtrArray *
bt_store_list_market_days (BtStore  *self,
                           BtDay     from,
                           BtDay     to,
                           GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) days = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  stmt = _bt_store_prepare_bound (self, error, self->market_sql[BT_STORE_MARKET_RANGE],
                                  "DD", from, to);
  if (stmt == NULL)
    return NULL;
  if (!_bt_store_each_row (self, stmt, add_market_day, &(MarketDays) { days, parser },
                           _("reading market data"), error))
    return NULL;
  return g_steal_pointer (&days);
}
