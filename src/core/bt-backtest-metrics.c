/* bt-backtest-metrics.c: the table of a backtest's metrics
 * (bt-backtest-metrics.h) and the text summary made from it.
 */
#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "bt-backtest-metrics.h"

#define FIELD(name) G_STRUCT_OFFSET (BtBacktestMetrics, name), NULL
#define COMPUTED(function) -1, function

/* The mean of the leverage at each close of the run (0 on days without
 * BTC), over the days where it is defined (a positive equity). */
static double
average_leverage (const BtBacktestResult *result)
{
  double sum = 0;
  guint n = 0;

  for (guint k = 0; result->leverage != NULL && k < result->n_days; k++)
    if (isfinite (result->leverage[k]))
      {
        sum += result->leverage[k];
        n++;
      }
  return n > 0 ? sum / n : NAN;
}

/* In the order of the stored metrics (BT_METRIC_VIEW_STORED, then the
 * computed ones): the `backtest --json` keys, the summary lines and the
 * backtest_runs.metrics column follow it. */
static const BtBacktestMetric metrics[] = {
  { "initial_capital", NULL, BT_METRIC_USD, 2, FIELD (initial_capital), TRUE, 0, 0,
    N_("Initial capital:   %s USD\n"), { NULL } },
  { "final_value", N_("Final value"), BT_METRIC_USD, 2, FIELD (final_value), TRUE, 1, 14,
    N_("Final value:       %s USD\n"), { NULL } },
  { "total_return", N_("Total return"), BT_METRIC_PERCENT, 2, FIELD (total_return), TRUE, 2, 1,
    N_("Total return:      %s %%   (BTC hold %s %%, outperformance %s points)\n"),
    { "btc_hold_return", "outperformance", NULL }, N_("return %"), 12 },
  { "cagr", N_("Yearly growth (CAGR)"), BT_METRIC_PERCENT, 2, FIELD (cagr), TRUE, 5, 2,
    N_("CAGR:              %s %%\n"), { NULL } },
  { "sharpe_ratio", N_("Sharpe ratio"), BT_METRIC_RATIO, 3, FIELD (sharpe_ratio), TRUE, 6, 3,
    N_("Sharpe / Sortino:  %s / %s\n"), { "sortino_ratio", NULL }, N_("Sharpe"), 9 },
  { "sortino_ratio", N_("Sortino ratio"), BT_METRIC_RATIO, 3, FIELD (sortino_ratio), TRUE, 7, 4,
    NULL, { NULL } },
  { "max_drawdown", N_("Largest drawdown"), BT_METRIC_PERCENT, 2, FIELD (max_drawdown), TRUE, 8, 5,
    N_("Max drawdown:      %s %% (longest %s days), Calmar %s\n"),
    { "max_drawdown_days", "calmar_ratio", NULL }, N_("max DD %"), 9 },
  { "calmar_ratio", N_("Calmar ratio"), BT_METRIC_RATIO, 3, FIELD (calmar_ratio), TRUE, 10, 6,
    NULL, { NULL } },
  { "win_rate", N_("Winning sales"), BT_METRIC_PERCENT, 1, FIELD (win_rate), TRUE, 12, 7,
    NULL, { NULL }, N_("win %"), 8 },
  { "total_trades", N_("Trades"), BT_METRIC_COUNT, 0, FIELD (total_trades), TRUE, 11, 8,
    N_("Trades:            %s (win rate %s %%, profit factor %s, expectancy %s USD)\n"),
    { "win_rate", "profit_factor", "expectancy" }, N_("trades"), 7 },
  { "btc_hold_return", N_("Buy-and-hold return"), BT_METRIC_PERCENT, 2, FIELD (btc_hold_return),
    TRUE, 3, 15, NULL, { NULL } },
  { "outperformance", N_("Outperformance"), BT_METRIC_POINTS, 2, FIELD (outperformance), TRUE, 4, 16,
    NULL, { NULL } },
  { "profit_factor", N_("Profit factor"), BT_METRIC_RATIO, 3, FIELD (profit_factor), TRUE, 13, 9,
    NULL, { NULL } },
  { "avg_win", N_("Average win"), BT_METRIC_USD, 2, FIELD (avg_win), TRUE, 14, 10,
    N_("Average win/loss:  %s / %s USD\n"), { "avg_loss", NULL } },
  { "avg_loss", N_("Average loss"), BT_METRIC_USD, 2, FIELD (avg_loss), TRUE, 15, 11,
    NULL, { NULL } },
  { "expectancy", N_("Expectancy per sale"), BT_METRIC_USD, 2, FIELD (expectancy), TRUE, 16, 12,
    NULL, { NULL } },
  { "max_drawdown_days", N_("Longest drawdown, days"), BT_METRIC_COUNT, 0, FIELD (max_drawdown_days),
    TRUE, 9, 13, NULL, { NULL } },
  { "fees_paid", N_("Fees paid"), BT_METRIC_USD, 2, FIELD (fees_paid), TRUE, 17, 17,
    N_("Fees / interest:   %s / %s USD\n"), { "interest_paid", NULL } },
  { "interest_paid", N_("Interest paid"), BT_METRIC_USD, 2, FIELD (interest_paid), TRUE, 18, 18,
    NULL, { NULL } },
  { "liquidations", N_("Liquidations"), BT_METRIC_COUNT, 0, FIELD (liquidations), TRUE, 19, 19,
    N_("Liquidations:      %s\n"), { NULL }, N_("liq."), 5 },
  { "exposure_pct", N_("Days exposed"), BT_METRIC_PERCENT, 1, FIELD (exposure_pct), TRUE, 20, 20,
    N_("Exposure:          %s %% of days, highest leverage %s×, lowest health factor %s\n"),
    { "max_leverage_reached", "min_health_factor", NULL } },
  { "max_leverage_reached", N_("Highest leverage"), BT_METRIC_LEVERAGE, 2,
    FIELD (max_leverage_reached), TRUE, 21, 21, NULL, { NULL } },
  { "min_health_factor", N_("Lowest health factor"), BT_METRIC_RATIO, 3, FIELD (min_health_factor),
    TRUE, 22, 22, NULL, { NULL } },
  { "selling_trades", NULL, BT_METRIC_COUNT, 0, FIELD (selling_trades), FALSE, 0, 0, NULL, { NULL } },
  { "winning_trades", NULL, BT_METRIC_COUNT, 0, FIELD (winning_trades), FALSE, 0, 0, NULL, { NULL } },
  { "losing_trades", NULL, BT_METRIC_COUNT, 0, FIELD (losing_trades), FALSE, 0, 0, NULL, { NULL } },
  { "e0", NULL, BT_METRIC_USD, 2, FIELD (e0), FALSE, 0, 0, NULL, { NULL } },
  { "n_days", NULL, BT_METRIC_COUNT, 0, FIELD (n_days), FALSE, 0, 0, NULL, { NULL } },
  { "max_days_above_cap", NULL, BT_METRIC_COUNT, 0, FIELD (max_days_above_cap), TRUE, 0, 0,
    NULL, { NULL } },
  /* with the indicators missing on those days (blocked_missing), said
   * apart by the CLI and the JSON writers */
  { "blocked_days", NULL, BT_METRIC_COUNT, 0, FIELD (blocked_days), TRUE, 0, 0, NULL, { NULL } },
  { "avg_leverage", N_("Average leverage"), BT_METRIC_LEVERAGE, 2, COMPUTED (average_leverage),
    TRUE, 23, 0, N_("Average leverage:  %s×\n"), { NULL } },
};

#undef FIELD
#undef COMPUTED

static gboolean
in_view (const BtBacktestMetric *metric,
         BtMetricView            view)
{
  switch (view)
    {
    case BT_METRIC_VIEW_STORED:
      return metric->offset >= 0;
    case BT_METRIC_VIEW_RESULT:
      return metric->in_result;
    case BT_METRIC_VIEW_SUMMARY:
      return metric->summary != NULL;
    case BT_METRIC_VIEW_WINDOW:
      return metric->window_rank > 0;
    case BT_METRIC_VIEW_SWEEP:
      return metric->sweep_rank > 0;
    case BT_METRIC_VIEW_SWEEP_TEXT:
      return metric->column != NULL;
    default:
      return FALSE;
    }
}

/* The window's and the sweep's ranks run 1, 2, 3 … without gaps
 * (tests/test-backtest.c checks it): the N-th of those views is the metric
 * of rank N + 1; the other views follow the table's order. */
const BtBacktestMetric *
bt_backtest_metric_nth (BtMetricView view,
                        guint        n)
{
  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      if (!in_view (&metrics[i], view))
        continue;
      if (view == BT_METRIC_VIEW_WINDOW || view == BT_METRIC_VIEW_SWEEP)
        {
          if ((view == BT_METRIC_VIEW_WINDOW ? metrics[i].window_rank : metrics[i].sweep_rank) == n + 1)
            return &metrics[i];
        }
      else if (n-- == 0)
        return &metrics[i];
    }
  return NULL;
}

const BtBacktestMetric *
bt_backtest_metric_find (const char *key)
{
  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (metrics); i++)
    if (g_str_equal (metrics[i].key, key))
      return &metrics[i];
  return NULL;
}

double
bt_backtest_metric_get (const BtBacktestMetric  *metric,
                        const BtBacktestMetrics *values)
{
  g_return_val_if_fail (metric != NULL && values != NULL, NAN);

  return metric->offset >= 0 ? G_STRUCT_MEMBER (double, values, metric->offset) : NAN;
}

double
bt_backtest_metric_value (const BtBacktestMetric *metric,
                          const BtBacktestResult *result)
{
  g_return_val_if_fail (metric != NULL && result != NULL, NAN);

  if (metric->offset < 0)
    return metric->compute (result);
  return bt_backtest_metric_get (metric, &result->metrics);
}

void
bt_backtest_metric_write_json (BtJson                 *json,
                               const BtBacktestMetric *metric,
                               double                  value)
{
  if (metric->format == BT_METRIC_COUNT && isfinite (value))
    bt_json_kv_int (json, metric->key, (gint64) value);
  else
    bt_json_kv_number (json, metric->key, value);
}

const char *
bt_backtest_metric_format_text (const BtBacktestMetric *metric,
                                double                  value,
                                char                   *buf)
{
  if (!isfinite (value))
    return "–";
  g_snprintf (buf, 48, "%.*f", metric->decimals, value);
  return buf;
}

/* FORMAT (a translated summary line) with its "%s" replaced by VALUES in
 * turn and "%%" by "%". */
static void
append_line (GString           *out,
             const char        *format,
             const char *const *values,
             guint              n_values)
{
  guint next = 0;

  for (const char *p = format; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] == '%')
        {
          g_string_append_c (out, '%');
          p++;
        }
      else if (p[0] == '%' && p[1] == 's')
        {
          g_string_append (out, next < n_values ? values[next] : "");
          next++;
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
}

char *
bt_backtest_result_summary (const BtBacktestResult *result)
{
  GString *out = g_string_new (NULL);
  const BtBacktestMetric *metric;

  g_return_val_if_fail (result != NULL, NULL);

  for (guint i = 0; (metric = bt_backtest_metric_nth (BT_METRIC_VIEW_SUMMARY, i)) != NULL; i++)
    {
      char bufs[1 + G_N_ELEMENTS (metric->with)][48];
      const char *values[1 + G_N_ELEMENTS (metric->with)];
      guint n = 0;

      values[n] = bt_backtest_metric_format_text (metric, bt_backtest_metric_value (metric, result),
                                                  bufs[n]);
      n++;
      for (guint k = 0; k < G_N_ELEMENTS (metric->with) && metric->with[k] != NULL; k++, n++)
        {
          const BtBacktestMetric *other = bt_backtest_metric_find (metric->with[k]);

          g_assert (other != NULL);
          values[n] = bt_backtest_metric_format_text (other, bt_backtest_metric_value (other, result),
                                                      bufs[n]);
        }
      append_line (out, _(metric->summary), values, n);
    }
  return g_string_free (out, FALSE);
}
