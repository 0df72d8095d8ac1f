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

/* Where a task in a worker thread reports its progress: the caller's
 * function, its data (freed with NOTIFY when the task is done) and the
 * main context it was called from. */
typedef struct
{
  gpointer       data;
  GDestroyNotify notify;
  GMainContext  *context;
} BtProgressTarget;

/* DATA and NOTIFY, on the thread-default main context of the caller. */
void      _bt_progress_target_init  (BtProgressTarget *target,
                                     gpointer          data,
                                     GDestroyNotify    notify);
void      _bt_progress_target_clear (BtProgressTarget *target);

/* One report of DONE out of TOTAL from the worker thread of TASK. */
typedef struct
{
  GTask *task;
  guint  done;
  guint  total;
} BtProgressCall;

/* From the worker thread of TASK: INVOKE (given the BtProgressCall) on
 * TARGET's main context, after the reports posted before it. */
void      _bt_progress_post (GTask                  *task,
                             const BtProgressTarget *target,
                             guint                   done,
                             guint                   total,
                             GSourceFunc             invoke,
                             const char             *name);

G_END_DECLS
