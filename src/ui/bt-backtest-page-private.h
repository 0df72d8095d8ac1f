/* bt-backtest-page-private.h: what bt-backtest-page.c declares for its own
 * use and for the tests only; not part of the public API in
 * bt-backtest-page.h. */
#pragma once

#include "bt-backtest-page.h"

G_BEGIN_DECLS

/* bt_backtest_page_set_data_span() with FIRST..LAST for both. */
void        bt_backtest_page_set_period_limits (BtBacktestPage *self,
                                                BtDay           first,
                                                BtDay           last);

/* Type TEXT into the field of KEY ("start_date", "end_date" or a key of
 * docs/rulebook.md §7), or choose the Rules row's profile (KEY "profile":
 * "", "adaptive" or "seed-v5"), as a user would; FALSE for an unknown key. */
gboolean    bt_backtest_page_set_text          (BtBacktestPage *self,
                                                const char     *key,
                                                const char     *text);
void        bt_backtest_page_set_start_mode    (BtBacktestPage *self,
                                                BtStartMode     mode);
/* The inline error of the current step, NULL when it is valid. */
const char *bt_backtest_page_get_error         (BtBacktestPage *self);
/* The inline note of the current step (e.g. that the ladder, not the
 * maximum leverage, binds), NULL without one. */
const char *bt_backtest_page_get_note          (BtBacktestPage *self);
/* "period", "strategy", "review", "running" or "results" */
const char *bt_backtest_page_get_step          (BtBacktestPage *self);
/* The configuration Run would hand ::run-requested now: the context's
 * rules (the defaults without a context) with the wizard's settings on
 * top; FALSE while some field is invalid. */
gboolean    bt_backtest_page_get_config        (BtBacktestPage   *self,
                                                BtBacktestConfig *config);

double      bt_backtest_page_get_progress      (BtBacktestPage *self);

/* The run shown in the results, NULL without one (or in a comparison). */
const BtBacktestResult *bt_backtest_page_get_run (BtBacktestPage *self);
/* METRICS: a{sd} of the metrics of BACKTEST.md by their JSON names, shown
 * alone (without curves or trades). */
void        bt_backtest_page_show_results      (BtBacktestPage *self,
                                                GVariant       *metrics);
/* The trades of the run shown, as the list view's model. */
GListModel *bt_backtest_page_get_trades        (BtBacktestPage *self);
guint       bt_backtest_page_get_n_trades      (BtBacktestPage *self);
/* Saved runs, listed on the first step (the ones not being deleted). */
void        bt_backtest_page_add_saved_run     (BtBacktestPage *self,
                                                const char     *id,
                                                const char     *title,
                                                const char     *subtitle);
guint       bt_backtest_page_get_n_saved_runs  (BtBacktestPage *self);
const char *bt_backtest_page_get_saved_run_id  (BtBacktestPage *self,
                                                guint           index);
const char *bt_backtest_page_get_saved_run_name (BtBacktestPage *self,
                                                 guint           index);
/* Tick run ID for comparison, as its check box does. */
void        bt_backtest_page_select_saved_run  (BtBacktestPage *self,
                                                const char     *id,
                                                gboolean        selected);
/* As the rename box does; FALSE with a message for an empty name. */
gboolean    bt_backtest_page_rename_saved_run  (BtBacktestPage *self,
                                                const char     *id,
                                                const char     *name,
                                                GError        **error);

/* As the toast's Undo button does; FALSE when nothing waits for deletion. */
gboolean    bt_backtest_page_undo_delete       (BtBacktestPage *self);
/* The equity curves on the chart: 1 for a run, N for a comparison. */
guint       bt_backtest_page_get_n_curves      (BtBacktestPage *self);
/* Draw the equity chart into a PNG file of WIDTH × HEIGHT pixels, under a
 * title with the run's name, period and settings. */
gboolean    bt_backtest_page_export_png        (BtBacktestPage *self,
                                                const char     *path,
                                                int             width,
                                                int             height,
                                                GError        **error);

G_END_DECLS
