/* bt-backtest-export.c: a backtest's metrics and result as JSON, and its
 * equity curve and trades as CSV (bt-backtest.h).
 */
#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "bt-backtest.h"
#include "bt-backtest-metrics.h"
#include "bt-backtest-private.h"
#include "bt-base.h"
#include "bt-scoring.h"
#include "bt-json.h"

/* ------------------------------------------------------------------------ */
/* JSON and CSV                                                             */
/* ------------------------------------------------------------------------ */

/* "blocked_missing": {item: days} for the indicators missing on blocked days */
static void
write_blocked_missing (BtJson                  *json,
                       const BtBacktestMetrics *metrics)
{
  bt_json_key (json, "blocked_missing");
  bt_json_begin_object (json);
  for (guint item = 0; item < BT_N_ITEMS; item++)
    if (metrics->blocked_missing[item] > 0)
      bt_json_kv_int (json, bt_item_name (item), (gint64) metrics->blocked_missing[item]);
  bt_json_end_object (json);
}

char *
bt_backtest_metrics_to_json (const BtBacktestMetrics *metrics)
{
  GString *out = g_string_new (NULL);
  const BtBacktestMetric *metric;
  BtJson json;

  bt_json_init_canonical (&json, out);
  bt_json_begin_object (&json);
  for (guint i = 0; (metric = bt_backtest_metric_nth (BT_METRIC_VIEW_STORED, i)) != NULL; i++)
    bt_backtest_metric_write_json (&json, metric, bt_backtest_metric_get (metric, metrics));
  write_blocked_missing (&json, metrics);
  bt_json_end_object (&json);
  return g_string_free (out, FALSE);
}

gboolean
bt_backtest_metrics_from_json (BtBacktestMetrics  *metrics,
                               const char         *json,
                               GError            **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const BtBacktestMetric *metric;
  JsonObject *object;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG,
                           _("The stored metrics are not a JSON object."));
      return FALSE;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  memset (metrics, 0, sizeof *metrics);
  for (guint i = 0; (metric = bt_backtest_metric_nth (BT_METRIC_VIEW_STORED, i)) != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, metric->key);
      double *field = G_STRUCT_MEMBER_P (metrics, metric->offset);

      if (bt_json_node_is_number (node))
        *field = json_node_get_double (node);
      else
        *field = NAN;
    }
  {
    JsonNode *node = json_object_get_member (object, "blocked_missing");

    if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
      {
        JsonObject *missing = json_node_get_object (node);

        for (guint item = 0; item < BT_N_ITEMS; item++)
          if (json_object_has_member (missing, bt_item_name (item)))
            metrics->blocked_missing[item] =
              json_object_get_double_member (missing, bt_item_name (item));
      }
  }
  return TRUE;
}

char *
bt_backtest_result_to_json (const BtBacktestResult *result)
{
  const BtBacktestMetric *metric;
  GString *out = g_string_new (NULL);
  BtJson json;

  g_return_val_if_fail (result != NULL, NULL);

  bt_json_init_canonical (&json, out);
  bt_json_begin_object (&json);
  bt_json_kv_string (&json, "id", result->id);
  _bt_backtest_json_day (&json, "start_date", result->first_day);
  _bt_backtest_json_day (&json, "end_date", result->last_day);
  for (guint i = 0; (metric = bt_backtest_metric_nth (BT_METRIC_VIEW_RESULT, i)) != NULL; i++)
    bt_backtest_metric_write_json (&json, metric, bt_backtest_metric_value (metric, result));
  write_blocked_missing (&json, &result->metrics);
  bt_json_kv_int (&json, "data_version", (gint64) result->data_version);
  bt_json_kv_int (&json, "n_days", result->n_days);
  bt_json_key (&json, "config");
  _bt_backtest_config_write_json (&json, &result->config);
  bt_json_end_object (&json);
  return g_string_free (out, FALSE);
}

static void
csv_number (GString *out,
            double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  if (isfinite (value))
    g_string_append (out, bt_format_double (value, buf));
}

static void
csv_text (GString    *out,
          const char *text)
{
  g_string_append (out, ",\"");
  for (const char *p = text != NULL ? text : ""; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p == '\n' ? ' ' : *p);
    }
  g_string_append_c (out, '"');
}

char *
bt_backtest_result_equity_csv (const BtBacktestResult *result)
{
  GString *out = g_string_new ("date,equity,btc_price,leverage,health_factor\n");
  const double *columns[BT_BACKTEST_N_SERIES];
  char day[16];

  g_return_val_if_fail (result != NULL, NULL);

  for (guint i = 0; i < BT_BACKTEST_N_SERIES; i++)
    columns[i] = *_bt_backtest_result_series ((BtBacktestResult *) result, i);
  for (guint k = 0; k < result->n_days && result->equity != NULL; k++)
    {
      g_string_append (out, bt_day_format (result->first_day + (BtDay) k, day));
      for (guint i = 0; i < BT_BACKTEST_N_SERIES; i++)
        csv_number (out, columns[i][k]);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

char *
bt_backtest_result_trades_csv (const BtBacktestResult *result)
{
  GString *out = g_string_new ("date,action,reason,score_market,mvrv_z_score,ema144_distance,"
                               "rsi_daily,price,market_price,btc_amount,fee_usd,size_pct,"
                               "leverage_before,leverage_after,debt_after,pnl_usd,pnl_pct,"
                               "portfolio_value\n");
  char day[16];

  g_return_val_if_fail (result != NULL, NULL);

  for (guint i = 0; i < result->trades->len; i++)
    {
      const BtBacktestTrade *t = &g_array_index (result->trades, BtBacktestTrade, i);

      g_string_append (out, bt_day_format (t->day, day));
      g_string_append_c (out, ',');
      g_string_append (out, bt_action_name (t->action));
      csv_text (out, t->reason);
      csv_number (out, t->score_market);
      csv_number (out, t->mvrv_z_score);
      csv_number (out, t->ema144_distance);
      csv_number (out, t->rsi_daily);
      csv_number (out, t->price);
      csv_number (out, t->market_price);
      csv_number (out, t->btc_amount);
      csv_number (out, t->fee_usd);
      csv_number (out, t->size_pct);
      csv_number (out, t->leverage_before);
      csv_number (out, t->leverage_after);
      csv_number (out, t->debt_after);
      csv_number (out, t->pnl_usd);
      csv_number (out, t->pnl_pct);
      csv_number (out, t->portfolio_value);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
