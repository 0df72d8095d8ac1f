/* bt-backtest-private.h: the internals shared by the backtest's
 * configuration (bt-backtest-config.c), its simulation (bt-backtest.c), its
 * export (bt-backtest-export.c) and the sweep (bt-sweep.c).  Not for other
 * modules.
 */
#pragma once

#include "bt-backtest.h"
#include "bt-json.h"

G_BEGIN_DECLS

/* KEY: DAY as "YYYY-MM-DD", null when BT_DAY_INVALID. */
void      _bt_backtest_json_day (BtJson     *json,
                                 const char *key,
                                 BtDay       day);
/* CONFIG as the canonical object of bt_backtest_config_to_json(). */
void      _bt_backtest_config_write_json (BtJson                 *json,
                                          const BtBacktestConfig *config);

/* The daily curves of a result, in the order of the equity CSV and of the
 * backtest_equity table: equity, btc_price, leverage, health_factor. */
#define BT_BACKTEST_N_SERIES 4
double  **_bt_backtest_result_series (BtBacktestResult *result,
                                      guint             i);

/* Where a task in a worker thread reports its progress: the caller's
 * function's data (freed with NOTIFY when the task is done), the main
 * context it was called from, and INVOKE, called there with a
 * BtProgressCall for each report (an idle source named NAME). */
typedef struct
{
  gpointer       data;
  GDestroyNotify notify;
  GMainContext  *context;
  GSourceFunc    invoke;
  const char    *name;
} BtProgressTarget;

/* On the thread-default main context of the caller. */
void      _bt_progress_target_init  (BtProgressTarget *target,
                                     gpointer          data,
                                     GDestroyNotify    notify,
                                     GSourceFunc       invoke,
                                     const char       *name);
void      _bt_progress_target_clear (BtProgressTarget *target);

/* One report of DONE out of TOTAL from the worker thread of TASK. */
typedef struct
{
  GTask *task;
  guint  done;
  guint  total;
} BtProgressCall;

/* In the worker thread of TASK, whose task data starts with its
 * BtProgressTarget: the target's INVOKE on its main context, after the
 * reports made before. */
void      _bt_progress_report (guint    done,
                               guint    total,
                               gpointer task);

/* Takes TASK, of the asynchronous function SOURCE_TAG, and runs THREAD on
 * it in a worker thread, not returning on cancellation, with TASK_DATA
 * (freed by TASK_DATA_FREE); _finish takes the task's pointer (the task may
 * have been started with any source object, or none). */
void      _bt_progress_task_start  (GTask           *task,
                                    gpointer         source_tag,
                                    gpointer         task_data,
                                    GDestroyNotify   task_data_free,
                                    GTaskThreadFunc  thread);
gpointer  _bt_progress_task_finish (GAsyncResult    *result,
                                    gpointer         source_tag,
                                    GError         **error);

G_END_DECLS
