/* bt-backtest-page-internal.h: what the files of the Backtest page share. */
#pragma once

#include "bt-backtest-page-private.h"

#include <adwaita.h>

#include "bt-backtest-metrics.h"
#include "bt-backtest-page.h"
#include "bt-backtest-store.h"
#include "bt-base.h"
#include "bt-ui-compat.h"
#include "bt-chart-view.h"
#include "bt-trade-list.h"

G_BEGIN_DECLS

#define MAX_COMPARED 6
#define MAX_SERIES_CURVES MAX_COMPARED
#define MAX_SAVED_ROWS 50

/* One curve of the chart: its values stay alive while it is shown. */
typedef struct
{
  char   *label;
  double *values;
} Curve;

struct _BtBacktestPage
{
  BtPage               parent_instance;

  GtkLabel            *step_label;
  GtkStack            *stack;
  AdwPreferencesGroup *period_group;
  AdwPreferencesGroup *strategy_group;
  AdwPreferencesGroup *review_group;
  AdwPreferencesGroup *results_group;
  AdwPreferencesGroup *saved_group;
  GtkWidget           *trades_box;
  GtkScrolledWindow   *trades_scroller;
  GtkLabel            *trades_title;
  GtkListView         *trades_view;
  GtkLabel            *results_title;
  GtkLabel            *results_subtitle;
  GtkLabel            *binding_label;
  GtkWidget           *export_csv_button;
  BtChartView         *equity_chart;
  AdwComboRow         *start_mode_row;
  AdwComboRow         *profile_row;
  GtkProgressBar      *progress_bar;
  GtkLabel            *note_label;
  GtkLabel            *error_label;
  GtkWidget           *back_button;
  GtkWidget           *next_button;
  GtkWidget           *run_button;
  GtkWidget           *cancel_button;
  GtkWidget           *again_button;

  AdwEntryRow        **rows;           /* the dates, then the core's settings */
  guint                n_rows;
  GPtrArray           *metric_labels;  /* GtkLabel of the metric rows, made once */
  char                *default_text[2];  /* the default start and end dates */
  GPtrArray           *dynamic_rows;   /* rows of review/results, to remove */
  char                *error;
  char                *note;
  char                *failure;        /* why the last run failed, on review */

  /* the data and the rules */
  BtDay                price_first;
  BtDay                price_last;
  BtDay                rules_first;
  BtDay                rules_last;

  /* what the results show */
  BtBacktestResult    *run;            /* the single run shown (owned) */
  BtTradeList         *trades;
  Curve                curves[MAX_SERIES_CURVES];
  guint                n_curves;
  double              *drawdown;
  guint                n_compared;
  char                *export_title;
  char                *export_period;
  char                *export_settings;

  /* the run in flight: shown only once the progress page was drawn */
  guint                generation;     /* bumped by every run, cancel and open */
  gboolean             running_drawn;
  BtBacktestResult    *pending_run;
  gulong               after_paint_id;
  GdkFrameClock       *frame_clock;
  guint                show_idle;

  /* saved runs: those of STORE, the context's store when last reloaded */
  BtStore             *store;
  GPtrArray           *saved_rows;     /* AdwActionRow with "run-id" and "check" */
  GPtrArray           *infos;          /* BtBacktestRunInfo of the rows */
  char                *pending_delete; /* hidden, deleted when its toast goes */
  AdwToast            *undo_toast;
  gint64               undo_toast_added;

  BtFileChooser        *chooser;
};

enum { RUN_REQUESTED, CANCEL_REQUESTED, EXPORT_CSV, OPEN_RUN, DELETE_RUN, STEP_CHANGED, N_SIGNALS };

extern guint bt_backtest_page_signals[N_SIGNALS];

/* shared by the wizard (bt-backtest-page.c), the results
 * (bt-backtest-results.c) and the saved runs (bt-backtest-saved-runs.c) */

void
_bt_backtest_page_go_to (BtBacktestPage *self,
                         const char     *step);

void
_bt_backtest_page_deliver_run (BtBacktestPage   *self,
                               BtBacktestResult *run);

void
_bt_backtest_page_set_export_text (BtBacktestPage *self,
                                   const char     *title,
                                   const char     *period,
                                   const char     *settings);

char *
_bt_backtest_page_settings_text (const BtBacktestConfig *config);

char *
_bt_backtest_page_period_text (BtDay first,
                               BtDay last);

const BtBacktestRunInfo *
_bt_backtest_page_find_info (BtBacktestPage *self,
                             const char     *id);

char *
_bt_backtest_page_run_name (BtBacktestPage         *self,
                            const BtBacktestResult *run);

void
_bt_backtest_page_clear_curves (BtBacktestPage *self);

void
_bt_backtest_page_show_comparison (BtBacktestPage *self,
                                   GPtrArray      *runs);

void
_bt_backtest_page_setup_trade_row_cb (GtkSignalListItemFactory *factory,
                                      GtkListItem              *item,
                                      gpointer                  data);

void
_bt_backtest_page_bind_trade_row_cb (GtkSignalListItemFactory *factory,
                                     GtkListItem              *item,
                                     gpointer                  data);

void
_bt_backtest_page_export_csv (BtBacktestPage *self,
                              const char     *path);

void
_bt_backtest_page_export (BtBacktestPage *self,
                          gboolean        png);

void
_bt_backtest_page_export_png_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);

void
_bt_backtest_page_export_csv_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);

void
_bt_backtest_page_load_runs (BtBacktestPage     *self,
                             const char *const  *ids);

void
_bt_backtest_page_update_compare (BtBacktestPage *self);

void
_bt_backtest_page_compare_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter);

void
_bt_backtest_page_commit_pending_delete (BtBacktestPage *self);

/* List the saved runs of the page's store again. */
void
_bt_backtest_page_reload_saved_runs (BtBacktestPage *self);

/* The warning (translated, newly allocated) about what the context's data
 * lack from FROM to TO, or NULL when they cover the period or there is no
 * context. */
char *
_bt_backtest_page_dup_coverage_warning (BtBacktestPage *self,
                                        BtDay           from,
                                        BtDay           to);

/* Builds the page from the context (BtPage::reload): lists the saved runs
 * when the store changed, then the data span and the rules. */
void
_bt_backtest_page_reload (BtPage *page);

G_END_DECLS
