/* bt-backtest-page.h: the Backtest page: a wizard (period and capital →
 * strategy settings → review and run) with a progress page and Cancel,
 * then the results; and the saved runs (open, rename, compare, delete with
 * undo).
 *
 * The page owns its data: a BtPage, from its context it offers the
 * period the engine's data cover, checks the coverage of the period asked
 * for on the review step (a warning there), lists the saved runs of the
 * context's store (again when the store changes), and opens, compares and
 * saves runs in worker threads through connections of their own, so that nothing of the size of
 * a run is read, written or laid out on the main thread.  The run itself is
 * started by whoever handles ::run-requested (off the main thread), which
 * reports back with set_progress() and run_finished() or run_failed(). */
#pragma once

#include <adwaita.h>

#include "bt-backtest.h"
#include "bt-page.h"
#include "bt-store.h"
#include "bt-types.h"

G_BEGIN_DECLS

#define BT_TYPE_BACKTEST_PAGE (bt_backtest_page_get_type ())
G_DECLARE_FINAL_TYPE (BtBacktestPage, bt_backtest_page, BT, BACKTEST_PAGE, BtPage)

/* What the data holds (bt_backtest_inputs_span()): a period must start and
 * end within PRICE_FIRST..PRICE_LAST; outside RULES_FIRST..RULES_LAST the
 * rules lack the inputs to decide.  The default period is where both hold
 * (the price history when that is under 30 days).  PRICE_FIRST
 * BT_DAY_INVALID: no data to check against. */
void        bt_backtest_page_set_data_span     (BtBacktestPage *self,
                                                BtDay           price_first,
                                                BtDay           price_last,
                                                BtDay           rules_first,
                                                BtDay           rules_last);
/* The fraction (0..1) of the running backtest's days done. */
void        bt_backtest_page_set_progress      (BtBacktestPage *self,
                                                double          fraction);
/* The run asked for is done (RUN: transfer full): it is saved (in a worker
 * thread) and shown, never before the progress page was drawn once. */
void        bt_backtest_page_run_finished      (BtBacktestPage   *self,
                                                BtBacktestResult *run);
void        bt_backtest_page_run_failed        (BtBacktestPage *self,
                                                const GError   *error);
/* Show RUN (transfer full) in the results. */
void        bt_backtest_page_show_run          (BtBacktestPage   *self,
                                                BtBacktestResult *run);
/* As the delete button does: the row goes at once, the run is deleted when
 * the toast offering Undo is dismissed (or another delete or run starts). */
void        bt_backtest_page_delete_saved_run  (BtBacktestPage *self,
                                                const char     *id);

G_END_DECLS
