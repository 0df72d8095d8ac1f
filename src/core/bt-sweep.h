/* bt-sweep.h: a grid of backtest configurations run in parallel.
 *
 * Every run shares one read-only BtBacktestInputs (history, indicators,
 * scores); configurations whose bands or weights differ from the inputs'
 * score rules get scores computed once per distinct set of rules.  A row's
 * metrics are bit for bit those of bt_backtest_run() on the same
 * configuration.  Rows come back best first: higher total return, then
 * higher Sharpe (NAN last), then grid order.
 */
#pragma once

#include <gio/gio.h>

#include "bt-backtest.h"

G_BEGIN_DECLS

typedef struct
{
  guint             index;     /* position in the grid (cartesian order, last key fastest) */
  char             *label;     /* "KEY=V KEY=V" */
  BtBacktestConfig  config;
  BtBacktestMetrics metrics;
} BtSweepRow;

void        bt_sweep_row_free   (BtSweepRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtSweepRow, bt_sweep_row_free)

/* Expand GRID ("KEY=V1,V2,..." each; for bands.* keys, whose values hold
 * commas, the alternatives are separated by ';') over BASE into the
 * cartesian product: a GPtrArray of BtSweepRow (metrics not yet computed).
 * Every configuration is validated (history NULL: values only). */
GPtrArray  *bt_sweep_expand     (const BtBacktestConfig  *base,
                                 const char *const       *grid,
                                 GError                 **error);

/* Called with the number of finished runs. */
typedef void (*BtSweepProgressFunc) (guint    done,
                                     guint    total,
                                     gpointer user_data);

/* Run ROWS (from bt_sweep_expand) on N_THREADS threads (0: one per core)
 * and sort them best first.  PROGRESS (may be NULL) is called on the
 * calling thread, at most about ten times a second and once at the end.
 * Cancelling stops the workers after their current run and returns
 * G_IO_ERROR_CANCELLED. */
gboolean    bt_sweep_run        (const BtBacktestInputs  *inputs,
                                 GPtrArray               *rows,
                                 guint                    n_threads,
                                 GCancellable            *cancellable,
                                 BtSweepProgressFunc      progress,
                                 gpointer                 progress_data,
                                 GError                 **error);

/* The same in a worker thread; PROGRESS is invoked on the thread-default
 * main context of the caller, with counts that never go back.  The task keeps
 * SOURCE_OBJECT and ROWS alive; INPUTS must stay unchanged until CALLBACK
 * runs.  _finish returns ROWS, sorted (a new reference). */
void        bt_sweep_run_async  (GObject                 *source_object,
                                 const BtBacktestInputs  *inputs,
                                 GPtrArray               *rows,
                                 guint                    n_threads,
                                 GCancellable            *cancellable,
                                 BtSweepProgressFunc      progress,
                                 gpointer                 progress_data,
                                 GDestroyNotify           progress_notify,
                                 GAsyncReadyCallback      callback,
                                 gpointer                 user_data);
GPtrArray  *bt_sweep_run_finish (GAsyncResult            *result,
                                 GError                 **error);

G_END_DECLS
