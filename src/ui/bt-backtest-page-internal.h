/* bt-backtest-page-internal.h: what the files of the Backtest page share. */
#pragma once

#include "bt-backtest-page-private.h"

#include <adwaita.h>

#include "bt-backtest-page.h"
#include "bt-backtest-store.h"
#include "bt-base.h"
#include "bt-ui-compat.h"
#include "bt-chart-view.h"
#include "bt-trade-list.h"

G_BEGIN_DECLS

/* the sizes of the tables in bt-backtest-page.c and bt-backtest-results.c */
#define BT_BACKTEST_N_FIELDS 10
#define BT_BACKTEST_N_METRICS 22
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
  GtkWidget            parent_instance;

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
  BtBacktestCoverageFunc coverage_func;
  gpointer             coverage_data;
  GtkProgressBar      *progress_bar;
  GtkLabel            *note_label;
  GtkLabel            *error_label;
  GtkWidget           *back_button;
  GtkWidget           *next_button;
  GtkWidget           *run_button;
  GtkWidget           *cancel_button;
  GtkWidget           *again_button;

  AdwEntryRow         *rows[BT_BACKTEST_N_FIELDS];
  GtkLabel            *metric_labels[BT_BACKTEST_N_METRICS];
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
  BtRules              rules;
  gboolean             have_rules;

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

  /* saved runs */
  BtStore             *store;
  GPtrArray           *saved_rows;     /* AdwActionRow with "run-id" and "check" */
  GPtrArray           *infos;          /* BtBacktestRunInfo of the rows */
  char                *pending_delete; /* hidden, deleted when its toast goes */
  AdwToast            *undo_toast;
  gint64               undo_toast_added;
  GCancellable        *cancellable;

  BtFileChooser        *chooser;
};

enum { RUN_REQUESTED, CANCEL_REQUESTED, EXPORT_CSV, OPEN_RUN, DELETE_RUN, MESSAGE, STEP_CHANGED,
       N_SIGNALS };

extern guint bt_backtest_page_signals[N_SIGNALS];

/* shared by the wizard (bt-backtest-page.c), the results
 * (bt-backtest-results.c) and the saved runs (bt-backtest-saved-runs.c) */

void
_bt_backtest_page_go_to (BtBacktestPage *self,
                         const char     *step);

void
_bt_backtest_page_deliver_run (BtBacktestPage   *self,
                               BtBacktestResult *run);

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

G_END_DECLS
