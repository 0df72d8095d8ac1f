#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "bt-base.h"
#include "bt-collectors.h"

G_DEFINE_QUARK (bt-collector-error-quark, bt_collector_error)

#define DAY_S         86400
#define DAY_MS        G_GINT64_CONSTANT (86400000)
#define MS_MIN        G_GINT64_CONSTANT (1000000000000)   /* 2001-09-09 in ms */
#define MS_MAX        G_GINT64_CONSTANT (10000000000000)  /* 2286 in ms */
#define S_MIN         G_GINT64_CONSTANT (1000000000)      /* 2001-09-09 in s */
#define S_MAX         G_GINT64_CONSTANT (10000000000)     /* 2286 in s */
#define COINBASE_WINDOW_DAYS 299
#define NOTION_VERSION "2022-06-28"

static const char *feed_names[BT_N_FEEDS] = {
  "candles", "funding", "long-short", "onchain", "sth-sopr", "netflow", "notion",
};

const char *
bt_feed_name (BtFeed feed)
{
  g_return_val_if_fail (feed < BT_N_FEEDS, NULL);

  return feed_names[feed];
}

/* ---- batches ---- */

static void
series_free (BtSeries *series)
{
  g_free (series->metric);
  g_array_unref (series->obs);
  g_free (series);
}

BtBatch *
bt_batch_new (BtSource source,
              BtFeed   feed)
{
  BtBatch *batch = g_new0 (BtBatch, 1);

  batch->source = source;
  batch->feed = feed;
  batch->candles = g_array_new (FALSE, FALSE, sizeof (BtCandle));
  batch->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  batch->unavailable = g_ptr_array_new_with_free_func (g_free);
  batch->last_time = G_MININT64;
  return batch;
}

void
bt_batch_free (BtBatch *batch)
{
  if (batch == NULL)
    return;
  g_array_unref (batch->candles);
  g_ptr_array_unref (batch->series);
  g_ptr_array_unref (batch->unavailable);
  g_free (batch->next_cursor);
  g_free (batch);
}

BtSeries *
bt_batch_find_series (BtBatch    *batch,
                      const char *metric)
{
  for (guint i = 0; i < batch->series->len; i++)
    {
      BtSeries *s = g_ptr_array_index (batch->series, i);

      if (strcmp (s->metric, metric) == 0)
        return s;
    }
  return NULL;
}

BtSeries *
bt_batch_series (BtBatch    *batch,
                 const char *metric)
{
  BtSeries *s = bt_batch_find_series (batch, metric);

  if (s != NULL)
    return s;
  s = g_new0 (BtSeries, 1);
  s->metric = g_strdup (metric);
  s->obs = g_array_new (FALSE, FALSE, sizeof (BtObservation));
  g_ptr_array_add (batch->series, s);
  return s;
}

static void
add_obs (BtBatch    *batch,
         const char *metric,
         gint64      time,
         double      value)
{
  BtSeries *s = bt_batch_series (batch, metric);
  BtObservation o = { time, value };

  g_array_append_val (s->obs, o);
  batch->last_time = MAX (batch->last_time, time);
}

static void
add_unavailable (BtBatch    *batch,
                 const char *metric)
{
  for (guint i = 0; i < batch->unavailable->len; i++)
    if (strcmp (g_ptr_array_index (batch->unavailable, i), metric) == 0)
      return;
  g_ptr_array_add (batch->unavailable, g_strdup (metric));
}

/* ---- JSON helpers ---- */

static JsonNode *
load_json (const char  *what,
           const char  *data,
           gsize        length,
           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  if (data == NULL || length == 0)
    {
      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PARSE,
                   _("%s: the answer is empty"), what);
      return NULL;
    }
  if (!bt_json_precheck (data, length))
    {
      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PARSE,
                   _("%s: the answer is not valid JSON (text after its end)"), what);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local))
    {
      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PARSE,
                   _("%s: the answer is not valid JSON (truncated?): %s"), what, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PARSE,
                   _("%s: the answer is empty"), what);
      return NULL;
    }
  return json_node_ref (root);
}

static gboolean
shape_error (GError    **error,
             const char *what,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static gboolean
shape_error (GError    **error,
             const char *what,
             const char *format,
             ...)
{
  va_list args;
  g_autofree char *detail = NULL;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_SHAPE,
               _("%s: unexpected answer: %s"), what, detail);
  return FALSE;
}

static gboolean
node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
node_is_number (JsonNode *node)
{
  GType t;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

static double
node_number (JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  return json_node_get_double (node);
}

/* A decimal that must arrive as a JSON string ("4022.29000000"). */
static gboolean
string_decimal (JsonNode *node,
                double   *out)
{
  return node_is_string (node) && bt_parse_double (json_node_get_string (node), out);
}

/* A decimal as a JSON number or a numeric string (sources that vary). */
static gboolean
any_decimal (JsonNode *node,
             double   *out)
{
  if (node_is_number (node))
    {
      *out = node_number (node);
      return isfinite (*out);
    }
  return string_decimal (node, out);
}

static gboolean
int_value (JsonNode *node,
           gint64   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

/* An integer as a JSON integer or a string of digits. */
static gboolean
int_or_string (JsonNode *node,
               gint64   *out)
{
  const char *s;
  char *end = NULL;

  if (int_value (node, out))
    return TRUE;
  if (!node_is_string (node))
    return FALSE;
  s = json_node_get_string (node);
  if (!g_ascii_isdigit (*s))
    return FALSE;
  *out = g_ascii_strtoll (s, &end, 10);
  return end != NULL && *end == '\0';
}

static gboolean
ms_ok (gint64 t)
{
  return t >= MS_MIN && t < MS_MAX;
}

static gboolean
s_ok (gint64 t)
{
  return t >= S_MIN && t < S_MAX;
}

static const char *
unit_hint (gint64 t)
{
  if (s_ok (t))
    return _("looks like seconds");
  if (ms_ok (t))
    return _("looks like milliseconds");
  if (t >= MS_MIN * 1000)
    return _("looks like micro- or nanoseconds");
  return _("out of range");
}

static gboolean
check_candle (const BtCandle *c)
{
  if (!(c->close > 0) || !isfinite (c->close))
    return FALSE;
  if (isnan (c->open))
    return TRUE;
  /* a JSON number like 1e999 reads as infinity */
  return c->open > 0 && c->high > 0 && c->low > 0 && c->low <= c->high
         && isfinite (c->high)
         && c->low <= c->open && c->open <= c->high
         && c->low <= c->close && c->close <= c->high
         && (isnan (c->volume) || (c->volume >= 0 && isfinite (c->volume)));
}

/* ---- Binance spot klines ---- */

/* Fast path for the exact documented shape (no JSON tree): returns FALSE on
 * anything unusual, and the full parser then reports what is wrong. */
typedef struct
{
  const char *p;
  const char *end;
} Scan;

static void
scan_ws (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

static gboolean
scan_char (Scan *s,
           char  c)
{
  scan_ws (s);
  if (s->p >= s->end || *s->p != c)
    return FALSE;
  s->p++;
  return TRUE;
}

static gboolean
scan_int (Scan   *s,
          gint64 *out)
{
  gint64 v = 0;
  const char *start;

  scan_ws (s);
  start = s->p;
  while (s->p < s->end && g_ascii_isdigit (*s->p) && s->p - start < 18)
    v = v * 10 + (*s->p++ - '0');
  if (s->p == start || (s->p < s->end && (g_ascii_isdigit (*s->p) || *s->p == '.' || *s->p == 'e' || *s->p == 'E')))
    return FALSE;
  *out = v;
  return TRUE;
}

/* a JSON string holding a plain decimal; OUT NULL skips it */
static gboolean
scan_decimal (Scan   *s,
              double *out)
{
  char buf[64];
  const char *start;
  gsize n;

  scan_ws (s);
  if (s->p >= s->end || *s->p != '"')
    return FALSE;
  start = ++s->p;
  while (s->p < s->end && *s->p != '"')
    {
      if (*s->p == '\\')
        return FALSE;
      s->p++;
    }
  if (s->p >= s->end)
    return FALSE;
  n = s->p - start;
  s->p++;
  if (out == NULL)
    return TRUE;
  if (n == 0 || n >= sizeof buf)
    return FALSE;
  memcpy (buf, start, n);
  buf[n] = '\0';
  return bt_parse_double (buf, out);
}

static gboolean
klines_fast (const char *data,
             gsize       length,
             gint64      now_ms,
             BtBatch    *batch)
{
  Scan s = { data, data + length };
  guint first = batch->candles->len;
  gint64 prev = G_MININT64;

  if (!scan_char (&s, '['))
    return FALSE;
  scan_ws (&s);
  if (s.p < s.end && *s.p == ']')
    {
      s.p++;
      scan_ws (&s);
      return s.p == s.end;
    }
  for (;;)
    {
      BtCandle c = { 0 };
      gint64 open_ms, close_ms, trades;

      if (!scan_char (&s, '[') || !scan_int (&s, &open_ms) || !ms_ok (open_ms) || open_ms <= prev
          || !scan_char (&s, ',') || !scan_decimal (&s, &c.open)
          || !scan_char (&s, ',') || !scan_decimal (&s, &c.high)
          || !scan_char (&s, ',') || !scan_decimal (&s, &c.low)
          || !scan_char (&s, ',') || !scan_decimal (&s, &c.close)
          || !scan_char (&s, ',') || !scan_decimal (&s, &c.volume)
          || !scan_char (&s, ',') || !scan_int (&s, &close_ms) || close_ms <= open_ms
          || !scan_char (&s, ',') || !scan_decimal (&s, NULL)
          || !scan_char (&s, ',') || !scan_int (&s, &trades)
          || !scan_char (&s, ',') || !scan_decimal (&s, NULL)
          || !scan_char (&s, ',') || !scan_decimal (&s, NULL)
          || !scan_char (&s, ',') || !scan_decimal (&s, NULL)
          || !scan_char (&s, ']')
          || open_ms % (DAY_S * 1000) != 0 || close_ms != open_ms + DAY_S * 1000 - 1)
        break;
      prev = open_ms;
      c.open_time = open_ms / 1000;
      c.provisional = close_ms > now_ms;
      if (!check_candle (&c))
        break;
      g_array_append_val (batch->candles, c);
      if (scan_char (&s, ','))
        continue;
      if (!scan_char (&s, ']'))
        break;
      scan_ws (&s);
      if (s.p != s.end)
        break;
      if (batch->candles->len > first)
        batch->last_time = MAX (batch->last_time,
                                g_array_index (batch->candles, BtCandle, batch->candles->len - 1).open_time);
      return TRUE;
    }
  g_array_set_size (batch->candles, first);
  return FALSE;
}

static gboolean
parse_binance_klines (const char  *data,
                      gsize        length,
                      gint64       now_ms,
                      BtBatch     *batch,
                      GError     **error)
{
  const char *what = "Binance klines";
  g_autoptr(JsonNode) root = NULL;
  JsonArray *rows;
  guint n;
  gint64 prev = G_MININT64;

  if (data != NULL && klines_fast (data, length, now_ms, batch))
    return TRUE;
  root = load_json (what, data, length, error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    return shape_error (error, what, _("expected an array of klines"));
  rows = json_node_get_array (root);
  n = json_array_get_length (rows);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *row_node = json_array_get_element (rows, i);
      JsonArray *row;
      BtCandle c = { 0 };
      gint64 open_ms, close_ms;

      if (!JSON_NODE_HOLDS_ARRAY (row_node))
        return shape_error (error, what, _("row %u is not an array"), i);
      row = json_node_get_array (row_node);
      if (json_array_get_length (row) != 12)
        return shape_error (error, what, _("row %u has %u fields instead of 12"), i,
                            json_array_get_length (row));
      if (!int_value (json_array_get_element (row, 0), &open_ms))
        return shape_error (error, what, _("row %u: the open time is not an integer"), i);
      if (!ms_ok (open_ms))
        return shape_error (error, what, _("row %u: open time %lld is not in milliseconds (%s)"),
                            i, (long long) open_ms, unit_hint (open_ms));
      if (!int_value (json_array_get_element (row, 6), &close_ms) || close_ms <= open_ms)
        return shape_error (error, what, _("row %u: bad close time"), i);
      /* a daily kline opens at 00:00 UTC and closes 1 ms before the next */
      if (open_ms % (DAY_S * 1000) != 0)
        return shape_error (error, what, _("row %u: opens at %lld, not at 00:00 UTC (not a daily kline)"),
                            i, (long long) open_ms);
      if (close_ms != open_ms + DAY_S * 1000 - 1)
        return shape_error (error, what, _("row %u: spans %lld ms, not one day (not a daily kline)"),
                            i, (long long) (close_ms - open_ms + 1));
      if (!string_decimal (json_array_get_element (row, 1), &c.open)
          || !string_decimal (json_array_get_element (row, 2), &c.high)
          || !string_decimal (json_array_get_element (row, 3), &c.low)
          || !string_decimal (json_array_get_element (row, 4), &c.close)
          || !string_decimal (json_array_get_element (row, 5), &c.volume))
        return shape_error (error, what, _("row %u: prices and volume must be decimal strings"), i);
      if (open_ms <= prev)
        return shape_error (error, what, _("row %u is not after the previous row"), i);
      prev = open_ms;
      c.open_time = open_ms / 1000;
      c.provisional = close_ms > now_ms;
      if (!check_candle (&c))
        return shape_error (error, what, _("row %u: inconsistent prices"), i);
      g_array_append_val (batch->candles, c);
      batch->last_time = MAX (batch->last_time, c.open_time);
    }
  return TRUE;
}

/* ---- Coinbase ---- */

static int
compare_candles (gconstpointer a,
                 gconstpointer b)
{
  const BtCandle *x = a, *y = b;

  return (x->open_time > y->open_time) - (x->open_time < y->open_time);
}

static gboolean
parse_coinbase_candles (const char  *data,
                        gsize        length,
                        gint64       now,
                        gint64       window_start,
                        gint64       window_end,
                        BtBatch     *batch,
                        GError     **error)
{
  const char *what = "Coinbase candles";
  g_autoptr(JsonNode) root = load_json (what, data, length, error);
  g_autoptr(GArray) rows_out = g_array_new (FALSE, FALSE, sizeof (BtCandle));
  JsonArray *rows;
  guint n;

  if (root == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *msg = json_object_get_member (json_node_get_object (root), "message");

      /* {"candles": [{"start": "…", …}]}: the Advanced Trade API, another
       * API with other units and order */
      if (json_object_has_member (json_node_get_object (root), "candles"))
        return shape_error (error, what,
                            _("this is a Coinbase Advanced Trade response, not Coinbase Exchange "
                              "candles; BTC Turbo reads only the Exchange API"));
      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_API, _("%s: %s"), what,
                   node_is_string (msg) ? json_node_get_string (msg) : _("an object instead of candles"));
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (root))
    return shape_error (error, what, _("expected an array of candles"));
  rows = json_node_get_array (root);
  n = json_array_get_length (rows);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *row_node = json_array_get_element (rows, i);
      JsonArray *row;
      BtCandle c = { 0 };
      gint64 t;

      if (!JSON_NODE_HOLDS_ARRAY (row_node))
        return shape_error (error, what, _("row %u is not an array"), i);
      row = json_node_get_array (row_node);
      if (json_array_get_length (row) != 6)
        return shape_error (error, what, _("row %u has %u fields instead of 6"), i,
                            json_array_get_length (row));
      if (!int_value (json_array_get_element (row, 0), &t))
        return shape_error (error, what, _("row %u: the time is not an integer"), i);
      if (!s_ok (t))
        return shape_error (error, what, _("row %u: time %lld is not in seconds (%s)"),
                            i, (long long) t, unit_hint (t));
      /* the bucket must be a UTC day: granularity 86400, at midnight */
      if (t % DAY_S != 0)
        return shape_error (error, what, _("row %u: starts at %lld, not at 00:00 UTC (not a daily candle)"),
                            i, (long long) t);
      for (guint k = 1; k < 6; k++)
        if (!node_is_number (json_array_get_element (row, k)))
          return shape_error (error, what, _("row %u: field %u must be a JSON number"), i, k);
      /* [time, low, high, open, close, volume] */
      c.low = node_number (json_array_get_element (row, 1));
      c.high = node_number (json_array_get_element (row, 2));
      c.open = node_number (json_array_get_element (row, 3));
      c.close = node_number (json_array_get_element (row, 4));
      c.volume = node_number (json_array_get_element (row, 5));
      c.open_time = t;
      c.provisional = t + DAY_S > now;
      if (!check_candle (&c))
        return shape_error (error, what, _("row %u: inconsistent prices"), i);
      if (t < window_start || t > window_end)
        continue;
      g_array_append_val (rows_out, c);
    }
  g_array_sort (rows_out, compare_candles);
  for (guint i = 0; i < rows_out->len; i++)
    {
      BtCandle *c = &g_array_index (rows_out, BtCandle, i);

      if (i > 0 && c->open_time == g_array_index (rows_out, BtCandle, i - 1).open_time)
        return shape_error (error, what, _("two candles for the same time"));
      g_array_append_val (batch->candles, *c);
      batch->last_time = MAX (batch->last_time, c->open_time);
    }
  return TRUE;
}

/* ---- Kraken ---- */

static gboolean
parse_kraken_ohlc (const char  *data,
                   gsize        length,
                   BtBatch     *batch,
                   GError     **error)
{
  const char *what = "Kraken OHLC";
  g_autoptr(JsonNode) root = load_json (what, data, length, error);
  JsonObject *obj;
  JsonNode *errors;
  JsonNode *result;
  JsonArray *rows = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  guint n;
  gint64 prev = G_MININT64;

  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return shape_error (error, what, _("expected an object"));
  obj = json_node_get_object (root);
  errors = json_object_get_member (obj, "error");
  if (errors == NULL || !JSON_NODE_HOLDS_ARRAY (errors))
    return shape_error (error, what, _("no “error” array"));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (errors)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (errors), i);

      if (!node_is_string (e))
        return shape_error (error, what, _("an error entry is not a string"));
      if (json_node_get_string (e)[0] == 'E')
        {
          g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_API, _("%s: Kraken reported %s"),
                       what, json_node_get_string (e));
          return FALSE;
        }
    }
  result = json_object_get_member (obj, "result");
  if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
    return shape_error (error, what, _("no “result” object"));
  /* the pair key differs from the requested pair: take the one that is not "last" */
  json_object_iter_init (&iter, json_node_get_object (result));
  while (json_object_iter_next (&iter, &name, &member))
    {
      if (strcmp (name, "last") == 0)
        continue;
      if (rows != NULL)
        return shape_error (error, what, _("more than one pair in the result"));
      if (!JSON_NODE_HOLDS_ARRAY (member))
        return shape_error (error, what, _("the rows of %s are not an array"), name);
      rows = json_node_get_array (member);
    }
  if (rows == NULL)
    return shape_error (error, what, _("no pair in the result"));
  n = json_array_get_length (rows);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *row_node = json_array_get_element (rows, i);
      JsonArray *row;
      BtCandle c = { 0 };
      gint64 t;

      if (!JSON_NODE_HOLDS_ARRAY (row_node))
        return shape_error (error, what, _("row %u is not an array"), i);
      row = json_node_get_array (row_node);
      if (json_array_get_length (row) != 8)
        return shape_error (error, what, _("row %u has %u fields instead of 8"), i,
                            json_array_get_length (row));
      if (!int_value (json_array_get_element (row, 0), &t) || !s_ok (t))
        return shape_error (error, what, _("row %u: the time is not an integer in seconds"), i);
      /* [time, open, high, low, close, vwap, volume, count] */
      if (!string_decimal (json_array_get_element (row, 1), &c.open)
          || !string_decimal (json_array_get_element (row, 2), &c.high)
          || !string_decimal (json_array_get_element (row, 3), &c.low)
          || !string_decimal (json_array_get_element (row, 4), &c.close)
          || !string_decimal (json_array_get_element (row, 6), &c.volume))
        return shape_error (error, what, _("row %u: prices and volume must be decimal strings"), i);
      if (t <= prev)
        return shape_error (error, what, _("row %u is not after the previous row"), i);
      /* interval 1440: every bar opens at 00:00 UTC */
      if (t % DAY_S != 0)
        return shape_error (error, what, _("row %u: opens at %lld, not at 00:00 UTC (not a daily bar)"),
                            i, (long long) t);
      prev = t;
      c.open_time = t;
      c.provisional = i + 1 == n;   /* the last row is the open bar [doc] */
      if (!check_candle (&c))
        return shape_error (error, what, _("row %u: inconsistent prices"), i);
      g_array_append_val (batch->candles, c);
      batch->last_time = MAX (batch->last_time, t);
    }
  return TRUE;
}

/* ---- Binance futures ---- */

static JsonArray *
array_of_objects (JsonNode    *root,
                  const char  *what,
                  GError     **error)
{
  JsonArray *rows;

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *api = NULL;
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      api = bt_http_dup_api_error (text, strlen (text));
      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_API, _("%s: %s"), what,
                   api != NULL ? api : _("an object instead of the expected list"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      shape_error (error, what, _("expected an array"));
      return NULL;
    }
  rows = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (rows, i)))
      {
        shape_error (error, what, _("row %u is not an object"), i);
        return NULL;
      }
  return rows;
}

static gboolean
parse_binance_funding (const char  *data,
                       gsize        length,
                       BtBatch     *batch,
                       GError     **error)
{
  const char *what = "Binance funding rates";
  g_autoptr(JsonNode) root = load_json (what, data, length, error);
  JsonArray *rows;
  gint64 prev = G_MININT64;

  if (root == NULL)
    return FALSE;
  rows = array_of_objects (root, what, error);
  if (rows == NULL)
    return FALSE;
  bt_batch_series (batch, "funding_rate");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *o = json_array_get_object_element (rows, i);
      gint64 t;
      double rate;

      if (!int_value (json_object_get_member (o, "fundingTime"), &t))
        return shape_error (error, what, _("row %u: fundingTime is not an integer"), i);
      if (!ms_ok (t))
        return shape_error (error, what, _("row %u: fundingTime %lld is not in milliseconds (%s)"),
                            i, (long long) t, unit_hint (t));
      if (!string_decimal (json_object_get_member (o, "fundingRate"), &rate))
        return shape_error (error, what, _("row %u: fundingRate must be a decimal string"), i);
      if (t <= prev)
        return shape_error (error, what, _("row %u is not after the previous row"), i);
      prev = t;
      /* a fraction per 8 h interval → % per 8 h */
      add_obs (batch, "funding_rate", t / 1000, rate * 100.0);
    }
  return TRUE;
}

static gboolean
parse_binance_long_short (const char  *data,
                          gsize        length,
                          BtBatch     *batch,
                          GError     **error)
{
  const char *what = "Binance long/short ratio";
  g_autoptr(JsonNode) root = load_json (what, data, length, error);
  JsonArray *rows;

  if (root == NULL)
    return FALSE;
  rows = array_of_objects (root, what, error);
  if (rows == NULL)
    return FALSE;
  bt_batch_series (batch, "long_short");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *o = json_array_get_object_element (rows, i);
      gint64 t;
      double ratio;

      /* a number in practice, a string in the docs' example: accept both */
      if (!int_or_string (json_object_get_member (o, "timestamp"), &t))
        return shape_error (error, what, _("row %u: timestamp is not an integer"), i);
      if (!ms_ok (t))
        return shape_error (error, what, _("row %u: timestamp %lld is not in milliseconds (%s)"),
                            i, (long long) t, unit_hint (t));
      if (!string_decimal (json_object_get_member (o, "longShortRatio"), &ratio) || ratio < 0)
        return shape_error (error, what, _("row %u: longShortRatio must be a decimal string"), i);
      add_obs (batch, "long_short", t / 1000, ratio);
    }
  return TRUE;
}

/* ---- Coin Metrics ---- */

static const char *cm_metrics[] = {
  "PriceUSD", "CapMrktCurUSD", "CapMVRVCur", "CapRealUSD", "SplyCur",
  "IssTotNtv", "IssTotUSD", "FlowInExNtv", "FlowOutExNtv",
};
enum { CM_PRICE, CM_MCAP, CM_MVRV, CM_RCAP, CM_SPLY, CM_ISSNTV, CM_ISSUSD, CM_FIN, CM_FOUT, CM_N };

/* parse "YYYY-MM-DDT00:00:00.000000000Z" into the start of its UTC day */
static gboolean
cm_time (const char *text,
         gint64     *out)
{
  BtDay day;
  gsize len = strlen (text);

  if (len < 11 || text[10] != 'T' || text[len - 1] != 'Z')
    return FALSE;
  if (!bt_day_parse (text, &day))
    return FALSE;
  /* daily rows are stamped at midnight */
  if (strncmp (text + 10, "T00:00:00", 9) != 0)
    return FALSE;
  *out = bt_day_to_unix (day);
  return TRUE;
}

static gboolean
parse_coinmetrics (const char  *data,
                   gsize        length,
                   BtBatch     *batch,
                   char       **next_token,
                   GError     **error)
{
  const char *what = "Coin Metrics";
  g_autoptr(JsonNode) root = load_json (what, data, length, error);
  JsonObject *obj;
  JsonNode *rows_node;
  JsonNode *token;
  JsonArray *rows;
  gboolean seen[CM_N] = { FALSE };
  guint n;
  gint64 prev = G_MININT64;

  if (next_token != NULL)
    *next_token = NULL;
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return shape_error (error, what, _("expected an object"));
  obj = json_node_get_object (root);
  if (json_object_has_member (obj, "error"))
    {
      g_autofree char *api = bt_http_dup_api_error (data, length);

      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_API, _("%s: %s"), what,
                   api != NULL ? api : _("unknown error"));
      return FALSE;
    }
  rows_node = json_object_get_member (obj, "data");
  if (rows_node == NULL || !JSON_NODE_HOLDS_ARRAY (rows_node))
    return shape_error (error, what, _("no “data” array"));
  token = json_object_get_member (obj, "next_page_token");
  if (token != NULL && !node_is_null (token))
    {
      if (!node_is_string (token) || *json_node_get_string (token) == '\0')
        return shape_error (error, what, _("next_page_token is not a string"));
    }
  rows = json_node_get_array (rows_node);
  n = json_array_get_length (rows);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *row_node = json_array_get_element (rows, i);
      JsonObject *row;
      JsonNode *time_node;
      double v[CM_N];
      gint64 t;

      if (!JSON_NODE_HOLDS_OBJECT (row_node))
        return shape_error (error, what, _("row %u is not an object"), i);
      row = json_node_get_object (row_node);
      time_node = json_object_get_member (row, "time");
      if (!node_is_string (time_node) || !cm_time (json_node_get_string (time_node), &t))
        return shape_error (error, what, _("row %u: “time” is not a daily RFC 3339 time"), i);
      if (t <= prev)
        return shape_error (error, what, _("row %u is not after the previous row (paging from the end?)"), i);
      prev = t;
      for (guint m = 0; m < CM_N; m++)
        {
          JsonNode *node = json_object_get_member (row, cm_metrics[m]);

          v[m] = NAN;
          if (node == NULL)
            continue;
          seen[m] = TRUE;
          if (node_is_null (node))
            continue;
          /* every number is a JSON string [doc] */
          if (!string_decimal (node, &v[m]))
            return shape_error (error, what, _("row %u: %s must be a decimal string"), i, cm_metrics[m]);
        }
      if (!isnan (v[CM_PRICE]))
        {
          BtCandle c = { t, NAN, NAN, NAN, v[CM_PRICE], NAN, FALSE };

          if (!(v[CM_PRICE] > 0))
            return shape_error (error, what, _("row %u: PriceUSD is not positive"), i);
          g_array_append_val (batch->candles, c);
        }
      if (!isnan (v[CM_MCAP]))
        add_obs (batch, "market_cap", t, v[CM_MCAP]);
      if (!isnan (v[CM_MVRV]))
        add_obs (batch, "mvrv_ratio", t, v[CM_MVRV]);
      if (!isnan (v[CM_RCAP]))
        add_obs (batch, "realized_cap", t, v[CM_RCAP]);
      else if (!isnan (v[CM_MCAP]) && v[CM_MVRV] > 0)
        add_obs (batch, "realized_cap", t, v[CM_MCAP] / v[CM_MVRV]);
      if (!isnan (v[CM_SPLY]))
        add_obs (batch, "supply", t, v[CM_SPLY]);
      if (!isnan (v[CM_ISSUSD]))
        add_obs (batch, "issuance_usd", t, v[CM_ISSUSD]);
      else if (!isnan (v[CM_ISSNTV]) && !isnan (v[CM_PRICE]))
        add_obs (batch, "issuance_usd", t, v[CM_ISSNTV] * v[CM_PRICE]);
      if (!isnan (v[CM_FIN]) && !isnan (v[CM_FOUT]))
        add_obs (batch, "netflow", t, v[CM_FIN] - v[CM_FOUT]);
      batch->last_time = MAX (batch->last_time, t);
    }
  if (n > 0)
    {
      /* a requested metric absent from every row: not served (forbidden,
       * dropped by ignore_forbidden_errors) → visible "unavailable" */
      if (!seen[CM_PRICE])
        add_unavailable (batch, "price");
      if (!seen[CM_MCAP])
        add_unavailable (batch, "market_cap");
      if (!seen[CM_MVRV])
        add_unavailable (batch, "mvrv_ratio");
      if (!seen[CM_RCAP] && !(seen[CM_MCAP] && seen[CM_MVRV]))
        add_unavailable (batch, "realized_cap");
      if (!seen[CM_SPLY])
        add_unavailable (batch, "supply");
      if (!seen[CM_ISSUSD] && !(seen[CM_ISSNTV] && seen[CM_PRICE]))
        add_unavailable (batch, "issuance_usd");
      if (!seen[CM_FIN] || !seen[CM_FOUT])
        add_unavailable (batch, "netflow");
    }
  if (next_token != NULL && token != NULL && !node_is_null (token))
    *next_token = g_strdup (json_node_get_string (token));
  return TRUE;
}

/* ---- BGeometrics ---- */

static gboolean
parse_bgeometrics (const char  *data,
                   gsize        length,
                   const char  *value_key,
                   const char  *metric,
                   BtBatch     *batch,
                   GError     **error)
{
  const char *what = "BGeometrics";
  g_autoptr(JsonNode) root = load_json (what, data, length, error);
  JsonArray *rows;
  gint64 prev = G_MININT64;

  if (root == NULL)
    return FALSE;
  rows = array_of_objects (root, what, error);
  if (rows == NULL)
    return FALSE;
  bt_batch_series (batch, metric);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *o = json_array_get_object_element (rows, i);
      JsonNode *d = json_object_get_member (o, "d");
      JsonNode *value = json_object_get_member (o, value_key);
      BtDay day;
      gint64 t;
      gint64 ts;
      double v;

      if (!node_is_string (d) || !bt_day_parse (json_node_get_string (d), &day)
          || strlen (json_node_get_string (d)) != 10)
        return shape_error (error, what, _("row %u: “d” is not a YYYY-MM-DD date"), i);
      t = bt_day_to_unix (day);
      if (json_object_has_member (o, "unixTs"))
        {
          if (!int_or_string (json_object_get_member (o, "unixTs"), &ts) || !s_ok (ts)
              || bt_day_from_unix (ts) != day)
            return shape_error (error, what, _("row %u: unixTs disagrees with “d” or is not in seconds"), i);
        }
      if (t <= prev)
        return shape_error (error, what, _("row %u is not after the previous row"), i);
      prev = t;
      /* values arrive as numbers or strings; null or non-numbers are skipped */
      if (value == NULL || node_is_null (value) || !any_decimal (value, &v))
        continue;
      add_obs (batch, metric, t, v);
    }
  return TRUE;
}

/* ---- Notion ---- */

static gboolean
notion_number (JsonObject *prop,
               double     *out,
               gboolean   *present)
{
  const char *type = NULL;
  JsonNode *type_node = json_object_get_member (prop, "type");
  JsonNode *value;

  *present = FALSE;
  if (!node_is_string (type_node))
    return FALSE;
  type = json_node_get_string (type_node);
  if (strcmp (type, "number") == 0)
    value = json_object_get_member (prop, "number");
  else if (strcmp (type, "formula") == 0)
    {
      JsonNode *f = json_object_get_member (prop, "formula");

      if (f == NULL || !JSON_NODE_HOLDS_OBJECT (f))
        return FALSE;
      if (!node_is_string (json_object_get_member (json_node_get_object (f), "type"))
          || strcmp (json_node_get_string (json_object_get_member (json_node_get_object (f), "type")),
                     "number") != 0)
        return FALSE;
      value = json_object_get_member (json_node_get_object (f), "number");
    }
  else
    return FALSE;
  if (node_is_null (value))
    return TRUE;
  if (!node_is_number (value))
    return FALSE;
  *out = node_number (value);
  *present = isfinite (*out);
  return TRUE;
}

static gboolean
notion_date (JsonObject *prop,
             gint64     *out,
             gboolean   *present)
{
  JsonNode *date = json_object_get_member (prop, "date");
  JsonNode *start;
  const char *text;
  BtDay day;

  *present = FALSE;
  if (!node_is_string (json_object_get_member (prop, "type"))
      || strcmp (json_node_get_string (json_object_get_member (prop, "type")), "date") != 0)
    return FALSE;
  if (node_is_null (date))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (date))
    return FALSE;
  start = json_object_get_member (json_node_get_object (date), "start");
  if (!node_is_string (start))
    return FALSE;
  text = json_node_get_string (start);
  if (strlen (text) == 10)
    {
      if (!bt_day_parse (text, &day))
        return FALSE;
    }
  else
    {
      /* a datetime with an offset: convert to UTC, then take the date */
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

      if (dt == NULL)
        return FALSE;
      day = bt_day_from_unix (g_date_time_to_unix (dt));
    }
  *out = bt_day_to_unix (day);
  *present = TRUE;
  return TRUE;
}

static gboolean
parse_notion (const char         *data,
              gsize               length,
              const char         *date_property,
              const char * const *mapping,
              BtBatch            *batch,
              char              **next_cursor,
              GError            **error)
{
  const char *what = "Notion";
  g_autoptr(JsonNode) root = load_json (what, data, length, error);
  JsonObject *obj;
  JsonNode *results;
  JsonNode *has_more;
  JsonArray *rows;

  *next_cursor = NULL;
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return shape_error (error, what, _("expected an object"));
  obj = json_node_get_object (root);
  results = json_object_get_member (obj, "results");
  has_more = json_object_get_member (obj, "has_more");
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    return shape_error (error, what, _("no “results” array"));
  if (has_more == NULL || !JSON_NODE_HOLDS_VALUE (has_more)
      || json_node_get_value_type (has_more) != G_TYPE_BOOLEAN)
    return shape_error (error, what, _("no “has_more” flag"));
  rows = json_node_get_array (results);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *page = json_array_get_element (rows, i);
      JsonNode *props_node;
      JsonObject *props;
      JsonNode *date_node;
      gboolean present;
      gint64 t;

      if (!JSON_NODE_HOLDS_OBJECT (page))
        return shape_error (error, what, _("result %u is not an object"), i);
      props_node = json_object_get_member (json_node_get_object (page), "properties");
      if (props_node == NULL || !JSON_NODE_HOLDS_OBJECT (props_node))
        return shape_error (error, what, _("result %u has no properties"), i);
      props = json_node_get_object (props_node);
      date_node = json_object_get_member (props, date_property);
      if (date_node == NULL || !JSON_NODE_HOLDS_OBJECT (date_node))
        return shape_error (error, what, _("result %u has no date property “%s”"), i, date_property);
      if (!notion_date (json_node_get_object (date_node), &t, &present))
        return shape_error (error, what, _("result %u: “%s” is not a date"), i, date_property);
      if (!present)
        continue;
      for (guint m = 0; mapping != NULL && mapping[m] != NULL; m++)
        {
          g_auto(GStrv) pair = g_strsplit (mapping[m], "=", 2);
          JsonNode *prop;
          double v;

          if (pair[0] == NULL || pair[1] == NULL)
            continue;
          prop = json_object_get_member (props, pair[0]);
          if (prop == NULL)
            continue;
          if (!JSON_NODE_HOLDS_OBJECT (prop)
              || !notion_number (json_node_get_object (prop), &v, &present))
            return shape_error (error, what, _("result %u: property “%s” is not a number"), i, pair[0]);
          if (present)
            add_obs (batch, pair[1], t, v);
        }
    }
  if (json_node_get_boolean (has_more))
    {
      JsonNode *cursor = json_object_get_member (obj, "next_cursor");

      if (!node_is_string (cursor))
        return shape_error (error, what, _("has_more without a next_cursor"));
      *next_cursor = g_strdup (json_node_get_string (cursor));
    }
  return TRUE;
}

/* ---- the parsers' public entry points ---- */

/* Every parser's error is one line: the messages quote the answer (a
 * server's error text, a value), which may hold line breaks or bytes that
 * are not UTF-8. */

gboolean
bt_parse_binance_klines (const char  *data,
                         gsize        length,
                         gint64       now_ms,
                         BtBatch     *batch,
                         GError     **error)
{
  return bt_error_one_line (parse_binance_klines (data, length, now_ms, batch, error), error);
}

gboolean
bt_parse_coinbase_candles (const char  *data,
                           gsize        length,
                           gint64       now,
                           gint64       window_start,
                           gint64       window_end,
                           BtBatch     *batch,
                           GError     **error)
{
  return bt_error_one_line (parse_coinbase_candles (data, length, now, window_start, window_end, batch, error), error);
}

gboolean
bt_parse_kraken_ohlc (const char  *data,
                      gsize        length,
                      BtBatch     *batch,
                      GError     **error)
{
  return bt_error_one_line (parse_kraken_ohlc (data, length, batch, error), error);
}

gboolean
bt_parse_binance_funding (const char  *data,
                          gsize        length,
                          BtBatch     *batch,
                          GError     **error)
{
  return bt_error_one_line (parse_binance_funding (data, length, batch, error), error);
}

gboolean
bt_parse_binance_long_short (const char  *data,
                             gsize        length,
                             BtBatch     *batch,
                             GError     **error)
{
  return bt_error_one_line (parse_binance_long_short (data, length, batch, error), error);
}

gboolean
bt_parse_coinmetrics (const char  *data,
                      gsize        length,
                      BtBatch     *batch,
                      char       **next_token,
                      GError     **error)
{
  return bt_error_one_line (parse_coinmetrics (data, length, batch, next_token, error), error);
}

gboolean
bt_parse_bgeometrics (const char  *data,
                      gsize        length,
                      const char  *value_key,
                      const char  *metric,
                      BtBatch     *batch,
                      GError     **error)
{
  return bt_error_one_line (parse_bgeometrics (data, length, value_key, metric, batch, error), error);
}

gboolean
bt_parse_notion (const char         *data,
                 gsize               length,
                 const char         *date_property,
                 const char * const *mapping,
                 BtBatch            *batch,
                 char              **next_cursor,
                 GError            **error)
{
  return bt_error_one_line (parse_notion (data, length, date_property, mapping, batch, next_cursor, error), error);
}

/* ---- the collector object ---- */

struct _BtCollector
{
  GObject   parent_instance;

  BtSource  source;
  BtHttp   *http;
  char     *base_url;
  guint     page_size;
  char     *notion_token;
  char     *notion_database;
  char     *notion_date;
  GStrv     notion_mapping;
};

G_DEFINE_FINAL_TYPE (BtCollector, bt_collector, G_TYPE_OBJECT)

static const BtFeed feeds_binance[] = { BT_FEED_CANDLES, BT_N_FEEDS };
static const BtFeed feeds_futures[] = { BT_FEED_FUNDING, BT_FEED_LONG_SHORT, BT_N_FEEDS };
static const BtFeed feeds_onchain[] = { BT_FEED_ONCHAIN, BT_N_FEEDS };
static const BtFeed feeds_bgeo[] = { BT_FEED_STH_SOPR, BT_FEED_NETFLOW, BT_N_FEEDS };
static const BtFeed feeds_notion[] = { BT_FEED_NOTION, BT_N_FEEDS };
static const BtFeed feeds_none[] = { BT_N_FEEDS };

const BtFeed *
bt_collector_source_feeds (BtSource source)
{
  switch (source)
    {
    case BT_SOURCE_BINANCE:
    case BT_SOURCE_COINBASE:
    case BT_SOURCE_KRAKEN:
      return feeds_binance;
    case BT_SOURCE_BINANCE_FUTURES:
      return feeds_futures;
    case BT_SOURCE_COINMETRICS:
      return feeds_onchain;
    case BT_SOURCE_BGEOMETRICS:
      return feeds_bgeo;
    case BT_SOURCE_NOTION:
      return feeds_notion;
    default:
      return feeds_none;
    }
}

const char *
bt_collector_default_base_url (BtSource source)
{
  switch (source)
    {
    case BT_SOURCE_BINANCE:
      return "https://api.binance.com";
    case BT_SOURCE_BINANCE_FUTURES:
      return "https://fapi.binance.com";
    case BT_SOURCE_COINBASE:
      return "https://api.exchange.coinbase.com";
    case BT_SOURCE_KRAKEN:
      return "https://api.kraken.com";
    case BT_SOURCE_COINMETRICS:
      return "https://community-api.coinmetrics.io";
    case BT_SOURCE_BGEOMETRICS:
      return "https://bitcoin-data.com";
    case BT_SOURCE_NOTION:
      return "https://api.notion.com";
    default:
      return NULL;
    }
}

gint64
bt_collector_history_start (BtSource source,
                            BtFeed   feed)
{
  switch (source)
    {
    case BT_SOURCE_BINANCE:
      return 1502928000;                         /* 2017-08-17, first BTCUSDT kline */
    case BT_SOURCE_COINBASE:
      return 1437350400;                         /* 2015-07-20 */
    case BT_SOURCE_KRAKEN:
      return g_get_real_time () / G_USEC_PER_SEC - 719 * (gint64) DAY_S;  /* 720 bars only */
    case BT_SOURCE_BINANCE_FUTURES:
      if (feed == BT_FEED_LONG_SHORT)
        return g_get_real_time () / G_USEC_PER_SEC - 29 * (gint64) DAY_S;
      return 1568102400;                         /* 2019-09-10, first settlement */
    case BT_SOURCE_COINMETRICS:
      return 1230940800;                         /* 2009-01-03 */
    case BT_SOURCE_BGEOMETRICS:
    case BT_SOURCE_NOTION:
    default:
      return 1230940800;
    }
}

static void
bt_collector_dispose (GObject *object)
{
  BtCollector *self = BT_COLLECTOR (object);

  g_clear_object (&self->http);
  G_OBJECT_CLASS (bt_collector_parent_class)->dispose (object);
}

static void
bt_collector_finalize (GObject *object)
{
  BtCollector *self = BT_COLLECTOR (object);

  g_free (self->base_url);
  g_free (self->notion_token);
  g_free (self->notion_database);
  g_free (self->notion_date);
  g_strfreev (self->notion_mapping);
  G_OBJECT_CLASS (bt_collector_parent_class)->finalize (object);
}

static void
bt_collector_class_init (BtCollectorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bt_collector_dispose;
  G_OBJECT_CLASS (klass)->finalize = bt_collector_finalize;
}

static void
bt_collector_init (BtCollector *self)
{
}

BtCollector *
bt_collector_new (BtSource  source,
                  BtHttp   *http)
{
  BtCollector *self;

  g_return_val_if_fail (BT_IS_HTTP (http), NULL);

  self = g_object_new (BT_TYPE_COLLECTOR, NULL);
  self->source = source;
  self->http = g_object_ref (http);
  self->base_url = g_strdup (bt_collector_default_base_url (source));
  switch (source)
    {
    case BT_SOURCE_COINMETRICS:
      self->page_size = 10000;
      break;
    case BT_SOURCE_NOTION:
      self->page_size = 100;
      break;
    default:
      self->page_size = 1000;
      break;
    }
  return self;
}

BtSource
bt_collector_get_source (BtCollector *self)
{
  g_return_val_if_fail (BT_IS_COLLECTOR (self), BT_SOURCE_NONE);

  return self->source;
}

BtHttp *
bt_collector_get_http (BtCollector *self)
{
  g_return_val_if_fail (BT_IS_COLLECTOR (self), NULL);

  return self->http;
}

gboolean
bt_collector_set_base_url (BtCollector  *self,
                           const char   *url,
                           GError      **error)
{
  char *normal;

  g_return_val_if_fail (BT_IS_COLLECTOR (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  normal = bt_http_normalize_base_url (url, error);
  if (normal == NULL)
    return FALSE;
  g_free (self->base_url);
  self->base_url = normal;
  return TRUE;
}

const char *
bt_collector_get_base_url (BtCollector *self)
{
  g_return_val_if_fail (BT_IS_COLLECTOR (self), NULL);

  return self->base_url;
}

void
bt_collector_set_page_size (BtCollector *self,
                            guint        page_size)
{
  g_return_if_fail (BT_IS_COLLECTOR (self));
  g_return_if_fail (page_size > 0);

  self->page_size = page_size;
}

void
bt_collector_set_notion (BtCollector        *self,
                         const char         *token,
                         const char         *database_id,
                         const char         *date_property,
                         const char * const *mapping)
{
  g_return_if_fail (BT_IS_COLLECTOR (self));

  g_free (self->notion_token);
  self->notion_token = g_strdup (token);
  g_free (self->notion_database);
  self->notion_database = g_strdup (database_id);
  g_free (self->notion_date);
  self->notion_date = g_strdup (date_property != NULL ? date_property : "Date");
  g_strfreev (self->notion_mapping);
  self->notion_mapping = g_strdupv ((char **) mapping);
}

/* ---- fetching ---- */

typedef struct
{
  BtSource     source;
  BtFeed       feed;
  gint64       start;        /* unix s */
  gint64       end;          /* unix s */
  gint64       now;          /* unix s */
  gint64       window_start; /* coinbase */
  gint64       window_end;
  gint64       cm_start;     /* coinmetrics: start of the query */
  gint64       cm_last;      /* coinmetrics: newest time already returned */
  char        *cm_token;     /* the token this page was asked with */
  guint        page_size;
  gboolean     first_page;
  char        *date_property;
  GStrv        mapping;
  GBytes      *body;
  BtHttpReply  reply;
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_free (f->cm_token);
  g_free (f->date_property);
  g_strfreev (f->mapping);
  if (f->body != NULL)
    g_bytes_unref (f->body);
  g_free (f);
}

static char *
iso_day (gint64 t)
{
  char buf[16];

  return g_strdup (bt_day_format (bt_day_from_unix (t), buf));
}

static gboolean
parse_cursor_int (const char *cursor,
                  gint64     *out)
{
  char *end = NULL;

  if (cursor == NULL || !g_ascii_isdigit (*cursor))
    return FALSE;
  *out = g_ascii_strtoll (cursor, &end, 10);
  return end != NULL && *end == '\0';
}

static gboolean
bad_cursor (GError    **error,
            const char *cursor)
{
  g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING,
               _("The saved backfill position “%s” is not understood; start the backfill again"),
               cursor);
  return FALSE;
}

/* Build the request of one page; fills F's window fields. */
static gboolean
build_request (BtCollector  *self,
               Fetch        *f,
               const char   *cursor,
               char        **url,
               char        **method,
               GBytes      **body,
               GPtrArray    *headers,
               GError      **error)
{
  gint64 v;

  *method = g_strdup ("GET");
  switch (f->feed)
    {
    case BT_FEED_CANDLES:
      if (self->source == BT_SOURCE_BINANCE)
        {
          gint64 start_ms = f->start * 1000;

          if (cursor != NULL && !parse_cursor_int (cursor, &start_ms))
            return bad_cursor (error, cursor);
          *url = g_strdup_printf ("%s/api/v3/klines?symbol=BTCUSDT&interval=1d&startTime=%" G_GINT64_FORMAT
                                  "&endTime=%" G_GINT64_FORMAT "&limit=%u",
                                  self->base_url, start_ms, f->end * 1000 + 999, MIN (f->page_size, 1000u));
          f->window_start = start_ms / 1000;
          return TRUE;
        }
      if (self->source == BT_SOURCE_COINBASE)
        {
          g_autofree char *a = NULL;
          g_autofree char *b = NULL;

          f->window_start = f->start - f->start % DAY_S;
          if (cursor != NULL)
            {
              if (!parse_cursor_int (cursor, &v))
                return bad_cursor (error, cursor);
              f->window_start = v;
            }
          /* at most 300 buckets per request: windows of 299 days, both ends inclusive */
          f->window_end = MIN (f->window_start + (COINBASE_WINDOW_DAYS - 1) * (gint64) DAY_S, f->end);
          a = iso_day (f->window_start);
          b = iso_day (f->window_end);
          *url = g_strdup_printf ("%s/products/BTC-USD/candles?granularity=86400&start=%sT00:00:00Z&end=%sT00:00:00Z",
                                  self->base_url, a, b);
          return TRUE;
        }
      if (self->source == BT_SOURCE_KRAKEN)
        {
          /* `since` may be exclusive: ask from the day before, filter later */
          *url = g_strdup_printf ("%s/0/public/OHLC?pair=XBTUSD&interval=1440&since=%" G_GINT64_FORMAT,
                                  self->base_url, f->start - DAY_S);
          return TRUE;
        }
      break;
    case BT_FEED_FUNDING:
      {
        gint64 start_ms = f->start * 1000;

        if (cursor != NULL && !parse_cursor_int (cursor, &start_ms))
          return bad_cursor (error, cursor);
        *url = g_strdup_printf ("%s/fapi/v1/fundingRate?symbol=BTCUSDT&startTime=%" G_GINT64_FORMAT
                                "&endTime=%" G_GINT64_FORMAT "&limit=%u",
                                self->base_url, start_ms, f->end * 1000 + 999, MIN (f->page_size, 1000u));
        return TRUE;
      }
    case BT_FEED_LONG_SHORT:
      *url = g_strdup_printf ("%s/futures/data/globalLongShortAccountRatio?symbol=BTCUSDT&period=1d&limit=30",
                              self->base_url);
      return TRUE;
    case BT_FEED_ONCHAIN:
      {
        g_autofree char *start_day = NULL;
        g_autofree char *end_day = NULL;
        g_autofree char *token_q = NULL;
        GString *metrics = g_string_new (NULL);

        f->cm_start = f->start;
        f->cm_last = G_MININT64;
        if (cursor != NULL)
          {
            /* "START;LAST;TOKEN": the query the token belongs to */
            g_auto(GStrv) parts = g_strsplit (cursor, ";", 3);

            if (g_strv_length (parts) != 3 || !parse_cursor_int (parts[0], &f->cm_start)
                || !parse_cursor_int (parts[1], &f->cm_last) || *parts[2] == '\0')
              {
                g_string_free (metrics, TRUE);
                return bad_cursor (error, cursor);
              }
            f->cm_token = g_strdup (parts[2]);
            token_q = g_strdup_printf ("&next_page_token=%s", f->cm_token);
          }
        for (guint m = 0; m < G_N_ELEMENTS (cm_metrics); m++)
          g_string_append_printf (metrics, "%s%s", m > 0 ? "," : "", cm_metrics[m]);
        start_day = iso_day (f->cm_start);
        end_day = iso_day (f->end);
        /* paging_from=start: the default walks backwards from the newest row */
        *url = g_strdup_printf ("%s/v4/timeseries/asset-metrics?assets=btc&metrics=%s&frequency=1d"
                                "&start_time=%s&end_time=%s&page_size=%u&paging_from=start"
                                "&ignore_forbidden_errors=true&ignore_unsupported_errors=true%s",
                                self->base_url, metrics->str, start_day, end_day,
                                MIN (f->page_size, 10000u), token_q != NULL ? token_q : "");
        g_string_free (metrics, TRUE);
        return TRUE;
      }
    case BT_FEED_STH_SOPR:
    case BT_FEED_NETFLOW:
      {
        g_autofree char *a = iso_day (f->start);
        g_autofree char *b = iso_day (f->end);

        *url = g_strdup_printf ("%s/v1/%s?startday=%s&endday=%s", self->base_url,
                                f->feed == BT_FEED_STH_SOPR ? "sth-sopr" : "exchange-netflow-btc", a, b);
        return TRUE;
      }
    case BT_FEED_NOTION:
      {
        g_autoptr(JsonBuilder) b = json_builder_new ();
        g_autoptr(JsonGenerator) gen = json_generator_new ();
        g_autoptr(JsonNode) root = NULL;
        g_autofree char *day = iso_day (f->start);
        g_autofree char *escaped = NULL;
        char *text;

        if (self->notion_token == NULL || self->notion_database == NULL)
          {
            g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_CONFIG,
                         _("Notion needs an integration token and a database id"));
            return FALSE;
          }
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "filter");
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "property");
        json_builder_add_string_value (b, f->date_property);
        json_builder_set_member_name (b, "date");
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "on_or_after");
        json_builder_add_string_value (b, day);
        json_builder_end_object (b);
        json_builder_end_object (b);
        json_builder_set_member_name (b, "sorts");
        json_builder_begin_array (b);
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "property");
        json_builder_add_string_value (b, f->date_property);
        json_builder_set_member_name (b, "direction");
        json_builder_add_string_value (b, "ascending");
        json_builder_end_object (b);
        json_builder_end_array (b);
        json_builder_set_member_name (b, "page_size");
        json_builder_add_int_value (b, MIN (f->page_size, 100u));
        if (cursor != NULL)
          {
            json_builder_set_member_name (b, "start_cursor");
            json_builder_add_string_value (b, cursor);
          }
        json_builder_end_object (b);
        root = json_builder_get_root (b);
        json_generator_set_root (gen, root);
        text = json_generator_to_data (gen, NULL);
        *body = g_bytes_new_take (text, strlen (text));
        g_free (*method);
        *method = g_strdup ("POST");
        escaped = g_uri_escape_string (self->notion_database, NULL, FALSE);
        *url = g_strdup_printf ("%s/v1/databases/%s/query", self->base_url, escaped);
        g_ptr_array_add (headers, g_strdup ("Authorization"));
        g_ptr_array_add (headers, g_strdup_printf ("Bearer %s", self->notion_token));
        g_ptr_array_add (headers, g_strdup ("Notion-Version"));
        g_ptr_array_add (headers, g_strdup (NOTION_VERSION));
        return TRUE;
      }
    case BT_N_FEEDS:
    default:
      break;
    }
  g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_UNSUPPORTED,
               _("%s has no %s feed"), bt_source_name (self->source), bt_feed_name (f->feed));
  return FALSE;
}

static guint
batch_rows (BtBatch *batch)
{
  guint n = batch->candles->len;

  for (guint i = 0; i < batch->series->len; i++)
    n += ((BtSeries *) g_ptr_array_index (batch->series, i))->obs->len;
  return n;
}

static void
drop_before (BtBatch *batch,
             gint64   start)
{
  guint k = 0;

  for (guint i = 0; i < batch->candles->len; i++)
    if (g_array_index (batch->candles, BtCandle, i).open_time >= start)
      g_array_index (batch->candles, BtCandle, k++) = g_array_index (batch->candles, BtCandle, i);
  g_array_set_size (batch->candles, k);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Fetch *f = task_data;
  g_autoptr(BtBatch) batch = bt_batch_new (f->source, f->feed);
  GError *error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (f->body, &length);
  gboolean ok = FALSE;
  char *token = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  switch (f->feed)
    {
    case BT_FEED_CANDLES:
      if (f->source == BT_SOURCE_BINANCE)
        {
          ok = bt_parse_binance_klines (data, length, f->now * 1000, batch, &error);
          if (ok && batch->candles->len >= MIN (f->page_size, 1000u))
            {
              gint64 next = batch->last_time + DAY_S;

              if (next <= f->end)
                batch->next_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, next * 1000);
            }
        }
      else if (f->source == BT_SOURCE_COINBASE)
        {
          ok = bt_parse_coinbase_candles (data, length, f->now, f->window_start, f->window_end,
                                          batch, &error);
          if (ok && f->window_end < f->end)
            batch->next_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, f->window_end + DAY_S);
        }
      else
        {
          ok = bt_parse_kraken_ohlc (data, length, batch, &error);
          if (ok)
            drop_before (batch, f->start);
        }
      break;
    case BT_FEED_FUNDING:
      ok = bt_parse_binance_funding (data, length, batch, &error);
      if (ok && bt_batch_find_series (batch, "funding_rate")->obs->len >= MIN (f->page_size, 1000u))
        {
          /* next startTime = last fundingTime + 1 (whole second after it) */
          gint64 next = batch->last_time + 1;

          if (next <= f->end)
            batch->next_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, next * 1000);
        }
      break;
    case BT_FEED_LONG_SHORT:
      ok = bt_parse_binance_long_short (data, length, batch, &error);
      break;
    case BT_FEED_ONCHAIN:
      ok = bt_parse_coinmetrics (data, length, batch, &token, &error);
      if (ok && f->cm_last != G_MININT64 && batch->last_time != G_MININT64
          && batch->candles->len + batch->series->len > 0)
        {
          /* the first row of this page must follow the last of the previous */
          gint64 first = G_MAXINT64;

          for (guint i = 0; i < batch->series->len; i++)
            {
              BtSeries *s = g_ptr_array_index (batch->series, i);

              if (s->obs->len > 0)
                first = MIN (first, g_array_index (s->obs, BtObservation, 0).time);
            }
          if (batch->candles->len > 0)
            first = MIN (first, g_array_index (batch->candles, BtCandle, 0).open_time);
          if (first <= f->cm_last)
            {
              ok = FALSE;
              g_set_error (&error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING,
                           _("Coin Metrics: a page went back in time (paging from the end?)"));
            }
        }
      if (ok && token != NULL)
        {
          if (f->cm_token != NULL && strcmp (token, f->cm_token) == 0)
            {
              ok = FALSE;
              g_set_error (&error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING,
                           _("Coin Metrics: the next page token repeats; stopped to avoid a loop"));
            }
          else if (strchr (token, ';') != NULL)
            {
              ok = FALSE;
              g_set_error (&error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING,
                           _("Coin Metrics: a next page token that cannot be used"));
            }
          else
            {
              gint64 last = batch->last_time != G_MININT64 ? batch->last_time : f->cm_last;

              if (last == G_MININT64)
                {
                  ok = FALSE;
                  g_set_error (&error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING,
                               _("Coin Metrics: an empty page with a next page token"));
                }
              else
                batch->next_cursor = g_strdup_printf ("%" G_GINT64_FORMAT ";%" G_GINT64_FORMAT ";%s",
                                                      f->cm_start, last, token);
            }
        }
      g_free (token);
      break;
    case BT_FEED_STH_SOPR:
      ok = bt_parse_bgeometrics (data, length, "sthSopr", "sth_sopr", batch, &error);
      break;
    case BT_FEED_NETFLOW:
      ok = bt_parse_bgeometrics (data, length, "exchangeNetflowBtc", "netflow", batch, &error);
      break;
    case BT_FEED_NOTION:
      ok = bt_parse_notion (data, length, f->date_property, (const char * const *) f->mapping,
                            batch, &batch->next_cursor, &error);
      break;
    case BT_N_FEEDS:
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }
  /* the first page of a range that certainly has data came back empty */
  if (f->first_page && batch_rows (batch) == 0 && f->feed != BT_FEED_NOTION
      && f->start < f->now - 3 * DAY_S
      && (f->source == BT_SOURCE_COINBASE ? f->window_end : f->end) >= f->now - DAY_S)
    {
      g_task_return_new_error (task, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_SHAPE,
                               _("%s answered with no rows for a period that has data"),
                               bt_source_name (f->source));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&batch), (GDestroyNotify) bt_batch_free);
}

static void
fetch_http_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *f = g_task_get_task_data (task);
  GError *error = NULL;

  f->body = bt_http_request_finish (BT_HTTP (source), result, &f->reply, &error);
  if (f->body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, parse_thread);
}

void
bt_collector_fetch_async (BtCollector         *self,
                          BtFeed               feed,
                          gint64               start,
                          gint64               end,
                          const char          *cursor,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *url = NULL;
  g_autofree char *method = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  Fetch *f;

  g_return_if_fail (BT_IS_COLLECTOR (self));
  g_return_if_fail (feed < BT_N_FEEDS);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bt_collector_fetch_async);
  f = g_new0 (Fetch, 1);
  f->reply.retry_after = -1;
  f->source = self->source;
  f->feed = feed;
  f->now = g_get_real_time () / G_USEC_PER_SEC;
  f->start = start >= 0 ? start : bt_collector_history_start (self->source, feed);
  f->end = end >= 0 ? end : f->now;
  f->page_size = self->page_size;
  f->first_page = cursor == NULL;
  f->date_property = g_strdup (self->notion_date != NULL ? self->notion_date : "Date");
  f->mapping = g_strdupv (self->notion_mapping);
  g_task_set_task_data (task, f, (GDestroyNotify) fetch_free);

  if (self->base_url == NULL)
    {
      g_task_return_new_error (task, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_CONFIG,
                               _("%s has no address configured"), bt_source_name (self->source));
      return;
    }
  if (!build_request (self, f, cursor, &url, &method, &body, headers, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_ptr_array_add (headers, NULL);
  bt_http_request_async (self->http, method, url, (const char * const *) headers->pdata, body,
                         "application/json", cancellable, fetch_http_cb, g_steal_pointer (&task));
}

BtBatch *
bt_collector_fetch_finish (BtCollector   *self,
                           GAsyncResult  *result,
                           BtHttpReply   *reply,
                           GError       **error)
{
  g_return_val_if_fail (BT_IS_COLLECTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (reply != NULL)
    {
      Fetch *f = g_task_get_task_data (G_TASK (result));

      *reply = f->reply;
    }
  return g_task_propagate_pointer (G_TASK (result), error);
}
