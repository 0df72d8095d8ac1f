#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bt-backtest-metrics.h"
#include "bt-backtest-private.h"
#include "bt-backtest-store.h"
#include "bt-base.h"
#include "bt-json.h"
#include "bt-store-private.h"

void
bt_backtest_run_info_free (BtBacktestRunInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->name);
  g_free (info->config_hash);
  g_free (info->config_json);
  g_free (info);
}

/* The metrics that have a column of their own in backtest_runs, in the
 * order of the INSERT (from ?8) and of the listing (from column 7), and
 * their place in BtBacktestRunInfo. */
static const struct
{
  const char *key;
  gsize       info_offset;
} run_columns[] = {
#define C(name) { #name, G_STRUCT_OFFSET (BtBacktestRunInfo, name) }
  C (initial_capital), C (final_value), C (total_return), C (sharpe_ratio), C (max_drawdown),
  C (win_rate), C (total_trades), C (btc_hold_return), C (outperformance),
#undef C
};

/* The number columns of backtest_trades, in the order of the INSERT (from
 * ?5) and of the loading (from column 3). */
static const gsize trade_columns[] = {
#define C(name) G_STRUCT_OFFSET (BtBacktestTrade, name)
  C (score_market), C (mvrv_z_score), C (ema144_distance), C (rsi_daily), C (price), C (size_pct),
  C (leverage_before), C (leverage_after), C (pnl_usd), C (pnl_pct), C (portfolio_value),
#undef C
};


/* The message of a run that is not there. */
static char *
no_run_message (const char *id)
{
  return g_strdup_printf (_("There is no backtest run “%s”."), id);
}

/* The metrics column: the metrics plus the trade fields without a column. */
static char *
metrics_column (const BtBacktestResult *result)
{
  g_autofree char *metrics = bt_backtest_metrics_to_json (&result->metrics);
  GString *out = g_string_new_len (metrics, (gssize) strlen (metrics) - 1);

  g_string_append (out, ",\"trade_details\":[");
  for (guint i = 0; i < result->trades->len; i++)
    {
      const BtBacktestTrade *t = &g_array_index (result->trades, BtBacktestTrade, i);
      const double v[] = { t->market_price, t->btc_amount, t->fee_usd, t->debt_after };

      g_string_append (out, i > 0 ? ",[" : "[");
      for (guint k = 0; k < G_N_ELEMENTS (v); k++)
        {
          if (k > 0)
            g_string_append_c (out, ',');
          bt_json_append_number (out, v[k]);
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

static gboolean
save_inner (BtStore           *store,
            BtBacktestResult  *result,
            const char        *id,
            const char        *name,
            GError           **error)
{
  g_autofree char *config = bt_backtest_config_to_json (&result->config);
  g_autofree char *hash = bt_backtest_config_hash (&result->config);
  g_autofree char *metrics = metrics_column (result);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  {
    g_autoptr(BtStoreStmt) stmt =
      _bt_store_prepare (store,
                         "INSERT INTO backtest_runs (id, name, config, config_hash, data_version,"
                         " start_date, end_date, initial_capital, final_value, total_return,"
                         " sharpe_ratio, max_drawdown, win_rate, total_trades, btc_hold_return,"
                         " outperformance, metrics, status, created_at, completed_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                         " ?15, ?16, ?17, 'completed', ?18, ?18)",
                         error);

    if (stmt == NULL)
      return FALSE;
    _bt_store_bind (stmt, "ssssiDD", id, name, config, hash, (gint64) result->data_version,
                    result->first_day, result->last_day);
    for (guint i = 0; i < G_N_ELEMENTS (run_columns); i++)
      {
        const BtBacktestMetric *metric = bt_backtest_metric_find (run_columns[i].key);
        double v = bt_backtest_metric_get (metric, &result->metrics);

        if (metric->format == BT_METRIC_COUNT)
          sqlite3_bind_int64 (stmt, 8 + (int) i, (sqlite3_int64) v);
        else
          _bt_store_bind_double (stmt, 8 + (int) i, v);
      }
    _bt_store_bind_text (stmt, 17, metrics);
    sqlite3_bind_int64 (stmt, 18, now);
    if (!_bt_store_step_done (store, stmt, "saving a backtest run", error))
      return FALSE;
  }

  {
    g_autoptr(BtStoreStmt) stmt =
      _bt_store_prepare (store,
                         "INSERT INTO backtest_trades (backtest_id, timestamp, action,"
                         " trigger_reason, score_market, mvrv_value, ema_distance_pct, rsi_daily,"
                         " price, size_pct, leverage_before, leverage_after, pnl_usd, pnl_pct,"
                         " portfolio_value)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                         error);

    if (stmt == NULL)
      return FALSE;
    for (guint i = 0; i < result->trades->len; i++)
      {
        const BtBacktestTrade *t = &g_array_index (result->trades, BtBacktestTrade, i);

        sqlite3_reset (stmt);
        _bt_store_bind (stmt, "siSs", id, bt_day_to_unix (t->day), bt_action_name (t->action),
                        t->reason);
        for (guint k = 0; k < G_N_ELEMENTS (trade_columns); k++)
          _bt_store_bind_double (stmt, 5 + (int) k, G_STRUCT_MEMBER (double, t, trade_columns[k]));
        if (!_bt_store_step_done (store, stmt, "saving a backtest trade", error))
          return FALSE;
      }
  }

  {
    g_autoptr(BtStoreStmt) stmt =
      _bt_store_prepare (store,
                         "INSERT INTO backtest_equity (backtest_id, date, equity, btc_price,"
                         " leverage, health_factor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                         error);
    const double *columns[BT_BACKTEST_N_SERIES];

    if (stmt == NULL)
      return FALSE;
    for (guint i = 0; i < BT_BACKTEST_N_SERIES; i++)
      columns[i] = *_bt_backtest_result_series (result, i);
    for (guint k = 0; k < result->n_days && result->equity != NULL; k++)
      {
        sqlite3_reset (stmt);
        _bt_store_bind (stmt, "sD", id, result->first_day + (BtDay) k);
        for (guint i = 0; i < BT_BACKTEST_N_SERIES; i++)
          _bt_store_bind_double (stmt, 3 + (int) i, columns[i][k]);
        if (!_bt_store_step_done (store, stmt, "saving the backtest equity", error))
          return FALSE;
      }
  }
  return TRUE;
}

char *
bt_backtest_default_name (const BtBacktestConfig *config,
                          BtDay                   first_day,
                          BtDay                   last_day)
{
  char a[16], b[16];
  g_autofree char *lev = NULL;

  g_return_val_if_fail (config != NULL, NULL);

  /* the shortest text of the cap in the user's numbers: 2.5, 3, 1,75 */
  lev = g_strdup_printf ("%g", config->max_leverage);
  if (config->start_mode == BT_START_CASH)
    /* Translators: the default name of a saved backtest run: its first and
     * last day (YYYY-MM-DD) and its maximum leverage, starting in cash, e.g.
     * "2020-01-01 – 2024-12-31 · 2.5× · in cash" */
    return g_strdup_printf (_("%s – %s · %s× · in cash"), bt_day_format (first_day, a),
                            bt_day_format (last_day, b), lev);
  /* Translators: the default name of a saved backtest run: its first and
   * last day (YYYY-MM-DD) and its maximum leverage, e.g.
   * "2020-01-01 – 2024-12-31 · 2.5×" */
  return g_strdup_printf (_("%s – %s · %s×"), bt_day_format (first_day, a),
                          bt_day_format (last_day, b), lev);
}

gboolean
bt_backtest_store_save (BtStore           *store,
                        BtBacktestResult  *result,
                        const char        *name,
                        GError           **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *default_name = NULL;

  g_return_val_if_fail (BT_IS_STORE (store), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  if (name == NULL)
    name = default_name = bt_backtest_default_name (&result->config, result->first_day,
                                                    result->last_day);
  if (!_bt_store_begin (store, error))
    return FALSE;
  if (!save_inner (store, result, id, name, error))
    {
      _bt_store_rollback (store, NULL);
      return FALSE;
    }
  if (!_bt_store_commit (store, error))
    return FALSE;
  g_free (result->id);
  result->id = g_steal_pointer (&id);
  return TRUE;
}

BtBacktestResult *
bt_backtest_store_find (BtStore     *store,
                        const char  *config_hash,
                        guint64      data_version,
                        BtDay        first_day,
                        BtDay        last_day,
                        GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (BT_IS_STORE (store), NULL);
  g_return_val_if_fail (config_hash != NULL, NULL);

  stmt = _bt_store_prepare (store,
                            "SELECT id FROM backtest_runs WHERE config_hash = ?1"
                            " AND data_version = ?2 AND start_date = ?3 AND end_date = ?4"
                            " AND status = 'completed' ORDER BY created_at DESC, rowid DESC LIMIT 1",
                            error);
  if (stmt == NULL)
    return NULL;
  _bt_store_bind (stmt, "siDD", config_hash, (gint64) data_version, first_day, last_day);
  if (_bt_store_step_row (store, stmt, "looking up a backtest run", NULL, error) != SQLITE_ROW)
    return NULL;
  id = _bt_store_column_dup_text (stmt, 0);
  g_clear_pointer (&stmt, _bt_store_stmt_release);
  return bt_backtest_store_load (store, id, error);
}

/* The listing of a row of backtest_runs (bt_backtest_store_list()). */
static gpointer
run_info_from_row (sqlite3_stmt *stmt)
{
  BtBacktestRunInfo *info = g_new0 (BtBacktestRunInfo, 1);

  info->id = _bt_store_column_dup_text (stmt, 0);
  info->name = _bt_store_column_dup_text (stmt, 1);
  info->config_hash = _bt_store_column_dup_text (stmt, 2);
  info->data_version = (guint64) sqlite3_column_int64 (stmt, 3);
  info->start_day = _bt_store_column_day (stmt, 4);
  info->end_day = _bt_store_column_day (stmt, 5);
  info->created_at = sqlite3_column_int64 (stmt, 6);
  for (guint i = 0; i < G_N_ELEMENTS (run_columns); i++)
    G_STRUCT_MEMBER (double, info, run_columns[i].info_offset) =
      _bt_store_column_double (stmt, 7 + (int) i);
  info->config_json = _bt_store_column_dup_text (stmt, 16);
  return info;
}

GPtrArray *
bt_backtest_store_list (BtStore  *store,
                        GError  **error)
{
  g_return_val_if_fail (BT_IS_STORE (store), NULL);

  return _bt_store_collect (store, "listing backtest runs", error, run_info_from_row,
                            (GDestroyNotify) bt_backtest_run_info_free,
                            "SELECT id, name, config_hash, data_version, start_date, end_date,"
                            " created_at, initial_capital, final_value, total_return, sharpe_ratio,"
                            " max_drawdown, win_rate, total_trades, btc_hold_return, outperformance,"
                            " config FROM backtest_runs ORDER BY created_at DESC, rowid DESC",
                            "");
}

static gboolean
load_run_row (BtStore           *store,
              const char        *id,
              BtBacktestResult  *result,
              char             **metrics_json,
              GError           **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *missing = no_run_message (id);
  const char *config;

  stmt = _bt_store_prepare (store,
                            "SELECT config, data_version, start_date, end_date, metrics"
                            " FROM backtest_runs WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  _bt_store_bind_text (stmt, 1, id);
  if (_bt_store_step_row (store, stmt, "loading a backtest run", missing, error) != SQLITE_ROW)
    return FALSE;

  config = (const char *) sqlite3_column_text (stmt, 0);
  bt_backtest_config_init_default (&result->config);
  if (config == NULL || !json_parser_load_from_data (parser, config, -1, error))
    {
      if (config == NULL)
        g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_CORRUPT,
                     _("The backtest run “%s” has no configuration."), id);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !bt_backtest_config_from_json (&result->config,
                                     json_node_get_object (json_parser_get_root (parser)), error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_CORRUPT,
                     _("The configuration of backtest run “%s” is not a JSON object."), id);
      return FALSE;
    }
  result->id = g_strdup (id);
  result->data_version = (guint64) sqlite3_column_int64 (stmt, 1);
  result->first_day = _bt_store_column_day (stmt, 2);
  result->last_day = _bt_store_column_day (stmt, 3);
  *metrics_json = _bt_store_column_dup_text (stmt, 4);
  if (result->first_day == BT_DAY_INVALID || result->last_day < result->first_day || *metrics_json == NULL)
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_CORRUPT,
                   _("The backtest run “%s” is incomplete."), id);
      return FALSE;
    }
  result->n_days = (guint) (result->last_day - result->first_day + 1);
  return TRUE;
}

/* Calls FUNC on every row of SQL, whose ?1 is the run's ID. */
static gboolean
each_run_row (BtStore          *store,
              const char       *id,
              const char       *sql,
              BtStoreEachFunc   func,
              gpointer          user_data,
              const char       *what,
              GError          **error)
{
  g_autoptr(BtStoreStmt) stmt = _bt_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  _bt_store_bind_text (stmt, 1, id);
  return _bt_store_each_row (store, stmt, func, user_data, what, error);
}

/* A day of the series from a row of backtest_equity; a day outside the
 * run is skipped. */
static void
equity_row (sqlite3_stmt *stmt,
            gpointer      user_data)
{
  BtBacktestResult *result = user_data;
  BtDay day = _bt_store_column_day (stmt, 0);
  gint64 k = (gint64) day - result->first_day;

  if (day == BT_DAY_INVALID || k < 0 || k >= result->n_days)
    return;
  for (guint i = 0; i < BT_BACKTEST_N_SERIES; i++)
    (*_bt_backtest_result_series (result, i))[k] = _bt_store_column_double (stmt, 1 + (int) i);
}

typedef struct
{
  BtBacktestResult *result;
  JsonArray        *details;   /* the metrics column's trade_details, or NULL */
} TradeRows;

/* The next trade from a row of backtest_trades and its trade_details. */
static void
trade_row (sqlite3_stmt *stmt,
           gpointer      user_data)
{
  TradeRows *rows = user_data;
  BtBacktestTrade t;
  const char *action = (const char *) sqlite3_column_text (stmt, 1);
  const char *reason = (const char *) sqlite3_column_text (stmt, 2);
  guint i = rows->result->trades->len;

  memset (&t, 0, sizeof t);
  t.day = bt_day_from_unix (sqlite3_column_int64 (stmt, 0));
  if (!bt_action_from_name (action, &t.action))
    t.action = BT_ACTION_HOLD;
  t.reason = g_strdup (reason);
  for (guint k = 0; k < G_N_ELEMENTS (trade_columns); k++)
    G_STRUCT_MEMBER (double, &t, trade_columns[k]) = _bt_store_column_double (stmt, 3 + (int) k);
  t.market_price = t.btc_amount = t.fee_usd = t.debt_after = NAN;
  if (rows->details != NULL && i < json_array_get_length (rows->details))
    {
      JsonNode *node = json_array_get_element (rows->details, i);
      JsonArray *row = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      double *slots[] = { &t.market_price, &t.btc_amount, &t.fee_usd, &t.debt_after };

      for (guint k = 0; row != NULL && k < G_N_ELEMENTS (slots) && k < json_array_get_length (row); k++)
        {
          JsonNode *v = json_array_get_element (row, k);

          if (JSON_NODE_HOLDS_VALUE (v))
            *slots[k] = json_node_get_double (v);
        }
    }
  g_array_append_val (rows->result->trades, t);
}

BtBacktestResult *
bt_backtest_store_load (BtStore     *store,
                        const char  *id,
                        GError     **error)
{
  g_autoptr(BtBacktestResult) result = bt_backtest_result_new ();
  g_autofree char *metrics_json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  TradeRows trades = { NULL, NULL };

  g_return_val_if_fail (BT_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!load_run_row (store, id, result, &metrics_json, error))
    return NULL;
  if (!bt_backtest_metrics_from_json (&result->metrics, metrics_json, error) ||
      !json_parser_load_from_data (parser, metrics_json, -1, error))
    return NULL;
  {
    JsonObject *object = json_node_get_object (json_parser_get_root (parser));

    if (json_object_has_member (object, "trade_details") &&
        JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "trade_details")))
      trades.details = json_object_get_array_member (object, "trade_details");
  }

  for (guint i = 0; i < BT_BACKTEST_N_SERIES; i++)
    {
      double **series = _bt_backtest_result_series (result, i);

      *series = g_new (double, result->n_days);
      for (guint k = 0; k < result->n_days; k++)
        (*series)[k] = NAN;
    }
  if (!each_run_row (store, id,
                     "SELECT date, equity, btc_price, leverage, health_factor"
                     " FROM backtest_equity WHERE backtest_id = ?1 ORDER BY date",
                     equity_row, result, "loading the backtest equity", error))
    return NULL;

  trades.result = result;
  if (!each_run_row (store, id,
                     "SELECT timestamp, action, trigger_reason, score_market, mvrv_value,"
                     " ema_distance_pct, rsi_daily, price, size_pct, leverage_before,"
                     " leverage_after, pnl_usd, pnl_pct, portfolio_value"
                     " FROM backtest_trades WHERE backtest_id = ?1 ORDER BY id",
                     trade_row, &trades, "loading the backtest trades", error))
    return NULL;
  return g_steal_pointer (&result);
}

gboolean
bt_backtest_store_rename (BtStore     *store,
                          const char  *id,
                          const char  *name,
                          GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *missing = NULL;

  g_return_val_if_fail (BT_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL && name != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (name));
  if (*trimmed == '\0' || !g_utf8_validate (trimmed, -1, NULL))
    {
      g_set_error_literal (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
                           _("A backtest run needs a name."));
      return FALSE;
    }
  stmt = _bt_store_prepare (store, "UPDATE backtest_runs SET name = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _bt_store_bind (stmt, "ss", id, trimmed);
  missing = no_run_message (id);
  return _bt_store_step_change_in_transaction (store, stmt, "renaming a backtest run", missing,
                                               error);
}

gboolean
bt_backtest_store_delete (BtStore     *store,
                          const char  *id,
                          GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autofree char *missing = NULL;

  g_return_val_if_fail (BT_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  /* its trades and equity go with it (ON DELETE CASCADE) */
  stmt = _bt_store_prepare_bound (store, error, "DELETE FROM backtest_runs WHERE id = ?", "s", id);
  if (stmt == NULL)
    return FALSE;
  missing = no_run_message (id);
  return _bt_store_step_change_in_transaction (store, stmt, "deleting a backtest run", missing,
                                               error);
}

void
bt_backtest_store_latest_kelly (BtStore *store,
                                BtDay    first,
                                BtDay    last,
                                double  *win_rate,
                                double  *payoff)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  *win_rate = NAN;
  *payoff = NAN;
  g_return_if_fail (BT_IS_STORE (store));

  stmt = _bt_store_prepare (store,
                            "SELECT json_extract (metrics, '$.win_rate'),"
                            " json_extract (metrics, '$.avg_win'),"
                            " json_extract (metrics, '$.avg_loss')"
                            " FROM backtest_runs"
                            " WHERE status = 'completed' AND start_date <= ?1 AND end_date >= ?2"
                            " ORDER BY completed_at DESC, rowid DESC LIMIT 1",
                            NULL);
  if (stmt == NULL)
    return;
  _bt_store_bind (stmt, "DD", first, last);
  if (sqlite3_step (stmt) == SQLITE_ROW &&
      sqlite3_column_type (stmt, 0) != SQLITE_NULL &&
      sqlite3_column_type (stmt, 1) != SQLITE_NULL &&
      sqlite3_column_type (stmt, 2) != SQLITE_NULL)
    {
      double p = sqlite3_column_double (stmt, 0) / 100.0;
      double avg_win = sqlite3_column_double (stmt, 1);
      double avg_loss = fabs (sqlite3_column_double (stmt, 2));

      if (p >= 0 && p <= 1 && avg_win > 0 && avg_loss > 0)
        {
          *win_rate = p;
          *payoff = avg_win / avg_loss;
        }
    }
}
