/* bt-report-pdf.c: the daily report as a one-page PDF with the market
 * score gauge and the last year of the price chart, drawn by the same
 * Cairo renderer as the window's charts. */
#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>

#include "bt-base.h"
#include "bt-chart.h"
#include "bt-report.h"

gboolean
bt_report_write_pdf (BtEngine    *engine,
                     BtDay        day,
                     const char  *path,
                     GError     **error)
{
  const BtIndicatorTable *table;
  const BtScores *scores;
  g_autofree char *text = NULL;
  BtChartSeries series = { 0 };
  BtChartPane pane = { 0 };
  gssize i;

  g_return_val_if_fail (BT_IS_ENGINE (engine), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = bt_report_build (engine, day, error);
  if (text == NULL)
    return FALSE;
  table = bt_engine_get_table (engine);
  scores = bt_engine_get_scores (engine);
  i = bt_history_index (bt_engine_get_history (engine), day);
  if (i < 0)
    i = (gssize) table->n_days - 1;

  series.label = _("BTC");
  series.values = table->value[BT_IND_BTC_PRICE];
  series.color = (BtChartColor) { 0.21, 0.52, 0.89, 1 };
  series.line_width = 1.5;
  pane.first_day = table->first_day;
  pane.n = (guint) i + 1;            /* nothing after the report's day */
  pane.series = &series;
  pane.n_series = 1;
  pane.log_scale = TRUE;
  pane.y_min = pane.y_max = pane.cursor = NAN;
  pane.view_end = (double) i;
  pane.view_start = MAX (0.0, pane.view_end - 365);
  pane.show_dates = TRUE;
  pane.show_legend = TRUE;
  return bt_chart_write_report_pdf (path, _("BTC Turbo Daily Report"), scores[i].market,
                                    _("Market score"), &pane, text, error);
}
