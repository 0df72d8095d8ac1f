/* bt-backtest-metrics.h: the one table of a backtest's metrics
 * (docs/rulebook.md §7): each metric's key, label, format and how to get
 * its value from a result, described once and read by the CLI (text and
 * JSON), the window (results and saved-run comparison), the store and the
 * export.
 *
 * Adding a metric is a row of the table in bt-backtest-metrics.c (with the
 * function computing it from a result when it is not a field of
 * BtBacktestMetrics) and its translations.
 */
#pragma once

#include <glib.h>

#include "bt-backtest.h"
#include "bt-json.h"

G_BEGIN_DECLS

typedef enum
{
  BT_METRIC_USD,         /* an amount of USD */
  BT_METRIC_PERCENT,     /* % */
  BT_METRIC_POINTS,      /* percentage points */
  BT_METRIC_RATIO,       /* a plain number */
  BT_METRIC_COUNT,       /* a whole number (days, trades): an integer in JSON */
  BT_METRIC_LEVERAGE,    /* × */
} BtMetricFormat;

/* The lists the metrics appear in, each in its own order. */
typedef enum
{
  BT_METRIC_VIEW_STORED,   /* the fields of BtBacktestMetrics: bt_backtest_metrics_to_json() */
  BT_METRIC_VIEW_RESULT,   /* bt_backtest_result_to_json() (`backtest --json`) */
  BT_METRIC_VIEW_SUMMARY,  /* the lines of bt_backtest_result_summary() (`backtest`) */
  BT_METRIC_VIEW_WINDOW,   /* the window's results and comparison */
  BT_METRIC_VIEW_SWEEP,    /* `sweep --json` */
  BT_METRIC_VIEW_SWEEP_TEXT, /* the columns of `sweep`'s text table */
} BtMetricView;

typedef struct _BtBacktestMetric BtBacktestMetric;

struct _BtBacktestMetric
{
  const char    *key;          /* the JSON and CSV name */
  const char    *label;        /* N_(): the window's title; NULL when the window does not show it */
  BtMetricFormat format;
  int            decimals;     /* in text (the CLI's summary and tables) */
  gssize         offset;       /* of its field in BtBacktestMetrics; -1: computed */
  double       (*compute) (const BtBacktestResult *result);  /* when offset is -1 */
  gboolean       in_result;    /* in bt_backtest_result_to_json() */
  guint8         window_rank;  /* the window's order (0: not shown) */
  guint8         sweep_rank;   /* the order of `sweep --json` (0: not listed) */
  /* N_(): the summary line that starts with this metric: one %s for it,
   * then one for each of WITH; NULL when it has no line of its own */
  const char    *summary;
  const char    *with[3];
  /* N_(): its column's title in `sweep`'s text table, NULL when it has
   * none; the column is COLUMN_WIDTH characters wide */
  const char    *column;
  int            column_width;
};

/* The N-th metric of VIEW in its order, NULL past the end. */
const BtBacktestMetric *bt_backtest_metric_nth   (BtMetricView            view,
                                                  guint                   n);
/* The metric of KEY, NULL when there is none. */
const BtBacktestMetric *bt_backtest_metric_find  (const char             *key);
/* Its value in RESULT (NAN when undefined). */
double                  bt_backtest_metric_value (const BtBacktestMetric *metric,
                                                  const BtBacktestResult *result);
/* Its value in METRICS alone: NAN for a metric computed from a result. */
double                  bt_backtest_metric_get   (const BtBacktestMetric *metric,
                                                  const BtBacktestMetrics *metrics);
/* KEY: VALUE, a whole number for a count, null when undefined. */
void                    bt_backtest_metric_write_json (BtJson                 *json,
                                                       const BtBacktestMetric *metric,
                                                       double                  value);
/* VALUE with METRIC->decimals in the user's locale, "–" when undefined,
 * into BUF (48 bytes). */
const char             *bt_backtest_metric_format_text (const BtBacktestMetric *metric,
                                                        double                  value,
                                                        char                   *buf);
/* The summary lines of RESULT's metrics (translated, each ending in a line
 * feed), in the order of BT_METRIC_VIEW_SUMMARY. */
char                   *bt_backtest_result_summary (const BtBacktestResult *result);

G_END_DECLS
