/* bt-backtest-page.h: the Backtest page: a wizard (period and capital →
 * strategy settings → review and run) with progress and Cancel, then the
 * results.  The page validates what is typed; the run itself is started by
 * whoever handles ::run-requested (off the main thread), which reports
 * back with set_progress() and show_results() or run_failed(). */
#pragma once

#include <adwaita.h>

#include "bt-types.h"

G_BEGIN_DECLS

#define BT_TYPE_BACKTEST_PAGE (bt_backtest_page_get_type ())
G_DECLARE_FINAL_TYPE (BtBacktestPage, bt_backtest_page, BT, BACKTEST_PAGE, GtkWidget)

/* A warning (newly allocated, translated) about what the data lack from
 * FROM to TO, or NULL when they cover the period. */
typedef char *(*BtBacktestCoverageFunc) (BtDay    from,
                                         BtDay    to,
                                         gpointer user_data);

/* Called when the review step is shown; the page adds its warning there. */
void        bt_backtest_page_set_coverage_func (BtBacktestPage         *self,
                                                BtBacktestCoverageFunc  func,
                                                gpointer                user_data);

/* The first and last day with data: the default period. */
void        bt_backtest_page_set_period_limits (BtBacktestPage *self,
                                                BtDay           first,
                                                BtDay           last);
/* Type TEXT into the field of KEY ("start_date", "end_date" or a key of
 * docs/rulebook.md §7), or choose the Rules row's profile (KEY "profile":
 * "", "adaptive" or "seed-v5"), as a user would; FALSE for an unknown key. */
gboolean    bt_backtest_page_set_text          (BtBacktestPage *self,
                                                const char     *key,
                                                const char     *text);
/* The inline error of the current step, NULL when it is valid. */
const char *bt_backtest_page_get_error         (BtBacktestPage *self);
/* "period", "strategy", "review", "running" or "results" */
const char *bt_backtest_page_get_step          (BtBacktestPage *self);
/* The configuration typed so far (a{sv}: start_date and end_date as
 * "YYYY-MM-DD", start_mode as a string, the other keys as doubles);
 * NULL while some field is invalid.  Floating reference. */
GVariant   *bt_backtest_page_get_config        (BtBacktestPage *self);
/* The fraction (0..1) of the running backtest's days done. */
void        bt_backtest_page_set_progress      (BtBacktestPage *self,
                                                double          fraction);
double      bt_backtest_page_get_progress      (BtBacktestPage *self);
/* METRICS: a{sd} of the metrics of BACKTEST.md by their JSON names. */
void        bt_backtest_page_show_results      (BtBacktestPage *self,
                                                GVariant       *metrics);
void        bt_backtest_page_run_failed        (BtBacktestPage *self,
                                                const GError   *error);
/* The curves of the run shown in the results (copied): equity, the equity
 * of buying and holding from the same capital, the drawdown (%, ≤ 0). */
void        bt_backtest_page_set_curves        (BtBacktestPage *self,
                                                BtDay           first_day,
                                                guint           n,
                                                const double   *equity,
                                                const double   *hold,
                                                const double   *drawdown);
void        bt_backtest_page_clear_trades      (BtBacktestPage *self);
/* One executed action of the run, with the reason that fired it. */
void        bt_backtest_page_add_trade         (BtBacktestPage *self,
                                                BtDay           day,
                                                BtAction        action,
                                                double          price,
                                                double          size_percent,
                                                double          leverage_after,
                                                double          pnl_usd,
                                                const char     *reason);
guint       bt_backtest_page_get_n_trades      (BtBacktestPage *self);
/* Saved runs, listed on the first step: open, delete, compare two. */
void        bt_backtest_page_clear_saved_runs  (BtBacktestPage *self);
void        bt_backtest_page_add_saved_run     (BtBacktestPage *self,
                                                const char     *id,
                                                const char     *title,
                                                const char     *subtitle);
guint       bt_backtest_page_get_n_saved_runs  (BtBacktestPage *self);
const char *bt_backtest_page_get_saved_run_id  (BtBacktestPage *self,
                                                guint           index);
/* Tick run ID for comparison, as its check box does. */
void        bt_backtest_page_select_saved_run  (BtBacktestPage *self,
                                                const char     *id,
                                                gboolean        selected);
/* Show two runs' metrics side by side (A{sd} each) in the results. */
void        bt_backtest_page_show_comparison   (BtBacktestPage *self,
                                                const char     *title_a,
                                                GVariant       *metrics_a,
                                                const char     *title_b,
                                                GVariant       *metrics_b);
/* Draw the equity chart into a PNG file of WIDTH × HEIGHT pixels. */
gboolean    bt_backtest_page_export_png        (BtBacktestPage *self,
                                                const char     *path,
                                                int             width,
                                                int             height,
                                                GError        **error);

G_END_DECLS
