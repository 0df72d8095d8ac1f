/* bt-backtest-export.c: a backtest's metrics and result as JSON, and its
 * equity curve and trades as CSV (bt-backtest.h).
 */
#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "bt-backtest.h"
#include "bt-backtest-private.h"
#include "bt-base.h"
#include "bt-scoring.h"

/* ------------------------------------------------------------------------ */
/* JSON and CSV                                                             */
/* ------------------------------------------------------------------------ */

typedef struct
{
  const char *key;
  gsize       offset;
  gboolean    integer;
} MetricField;

#define M(name, integer) { #name, G_STRUCT_OFFSET (BtBacktestMetrics, name), integer }
static const MetricField metric_fields[] = {
  M (initial_capital, FALSE),
  M (final_value, FALSE),
  M (total_return, FALSE),
  M (cagr, FALSE),
  M (sharpe_ratio, FALSE),
  M (sortino_ratio, FALSE),
  M (max_drawdown, FALSE),
  M (calmar_ratio, FALSE),
  M (win_rate, FALSE),
  M (total_trades, TRUE),
  M (btc_hold_return, FALSE),
  M (outperformance, FALSE),
  M (profit_factor, FALSE),
  M (avg_win, FALSE),
  M (avg_loss, FALSE),
  M (expectancy, FALSE),
  M (max_drawdown_days, TRUE),
  M (fees_paid, FALSE),
  M (interest_paid, FALSE),
  M (liquidations, TRUE),
  M (exposure_pct, FALSE),
  M (max_leverage_reached, FALSE),
  M (min_health_factor, FALSE),
  M (selling_trades, TRUE),
  M (winning_trades, TRUE),
  M (losing_trades, TRUE),
  M (e0, FALSE),
  M (n_days, TRUE),
  M (max_days_above_cap, TRUE),
  M (blocked_days, TRUE),
};

#undef M

/* "blocked_missing": {item: days} for the indicators missing on blocked days */
static void
append_blocked_missing (GString                 *out,
                        gboolean                *first,
                        const BtBacktestMetrics *metrics)
{
  gboolean first_item = TRUE;

  _bt_backtest_append_key (out, first, "blocked_missing");
  g_string_append_c (out, '{');
  for (guint item = 0; item < BT_N_ITEMS; item++)
    if (metrics->blocked_missing[item] > 0)
      {
        _bt_backtest_append_key (out, &first_item, bt_item_name (item));
        g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) metrics->blocked_missing[item]);
      }
  g_string_append_c (out, '}');
}

static void
append_metrics (GString                 *out,
                gboolean                *first,
                const BtBacktestMetrics *metrics)
{
  for (guint i = 0; i < G_N_ELEMENTS (metric_fields); i++)
    {
      double v = G_STRUCT_MEMBER (double, metrics, metric_fields[i].offset);

      _bt_backtest_append_key (out, first, metric_fields[i].key);
      if (metric_fields[i].integer && isfinite (v))
        g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) v);
      else
        _bt_backtest_append_json_number (out, v);
    }
  append_blocked_missing (out, first, metrics);
}

char *
bt_backtest_metrics_to_json (const BtBacktestMetrics *metrics)
{
  GString *out = g_string_new ("{");
  gboolean first = TRUE;

  append_metrics (out, &first, metrics);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

gboolean
bt_backtest_metrics_from_json (BtBacktestMetrics  *metrics,
                               const char         *json,
                               GError            **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
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
  for (guint i = 0; i < G_N_ELEMENTS (metric_fields); i++)
    {
      JsonNode *node = json_object_get_member (object, metric_fields[i].key);
      double *field = G_STRUCT_MEMBER_P (metrics, metric_fields[i].offset);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          (json_node_get_value_type (node) == G_TYPE_DOUBLE ||
           json_node_get_value_type (node) == G_TYPE_INT64))
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
  static const char *const keys[] = {
    "initial_capital", "final_value", "total_return", "cagr", "sharpe_ratio", "sortino_ratio",
    "max_drawdown", "calmar_ratio", "win_rate", "total_trades", "btc_hold_return",
    "outperformance", "profit_factor", "avg_win", "avg_loss", "expectancy", "max_drawdown_days",
    "fees_paid", "interest_paid", "liquidations", "exposure_pct", "max_leverage_reached",
    "min_health_factor", "max_days_above_cap", "blocked_days",
  };
  g_autofree char *config = NULL;
  GString *out = g_string_new ("{");
  gboolean first = TRUE;

  g_return_val_if_fail (result != NULL, NULL);

  _bt_backtest_append_key (out, &first, "id");
  if (result->id != NULL)
    _bt_backtest_append_json_string (out, result->id);
  else
    g_string_append (out, "null");
  _bt_backtest_append_key (out, &first, "start_date");
  _bt_backtest_append_day (out, result->first_day);
  _bt_backtest_append_key (out, &first, "end_date");
  _bt_backtest_append_day (out, result->last_day);
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    for (guint i = 0; i < G_N_ELEMENTS (metric_fields); i++)
      if (g_str_equal (metric_fields[i].key, keys[k]))
        {
          double v = G_STRUCT_MEMBER (double, &result->metrics, metric_fields[i].offset);

          _bt_backtest_append_key (out, &first, keys[k]);
          if (metric_fields[i].integer && isfinite (v))
            g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) v);
          else
            _bt_backtest_append_json_number (out, v);
        }
  append_blocked_missing (out, &first, &result->metrics);
  _bt_backtest_append_key (out, &first, "data_version");
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, result->data_version);
  _bt_backtest_append_key (out, &first, "n_days");
  g_string_append_printf (out, "%u", result->n_days);
  _bt_backtest_append_key (out, &first, "config");
  config = bt_backtest_config_to_json (&result->config);
  g_string_append (out, config);
  g_string_append_c (out, '}');
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
  char day[16];

  g_return_val_if_fail (result != NULL, NULL);

  for (guint k = 0; k < result->n_days && result->equity != NULL; k++)
    {
      g_string_append (out, bt_day_format (result->first_day + (BtDay) k, day));
      csv_number (out, result->equity[k]);
      csv_number (out, result->btc_price[k]);
      csv_number (out, result->leverage[k]);
      csv_number (out, result->health_factor[k]);
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
