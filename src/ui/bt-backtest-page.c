/* bt-backtest-page.c: the Backtest page of BTC Turbo. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bt-backtest-page.h"
#include "bt-backtest-page-private.h"
#include "bt-backtest-store.h"
#include "bt-base.h"
#include "bt-chart-view.h"
#include "bt-trade-list.h"
#include "bt-ui-util.h"

typedef enum { FIELD_DATE, FIELD_NUMBER } FieldKind;

typedef struct
{
  const char *key;
  const char *title;
  FieldKind   kind;
  gboolean    on_period_step;
  double      def;        /* BACKTEST.md defaults */
  double      min;
  double      max;
  int         decimals;
} Field;

static const Field fields[] = {
  { "start_date", N_("Start date (YYYY-MM-DD)"), FIELD_DATE, TRUE, 0, 0, 0, 0 },
  { "end_date", N_("End date (YYYY-MM-DD)"), FIELD_DATE, TRUE, 0, 0, 0, 0 },
  { "initial_capital", N_("Initial capital, USD"), FIELD_NUMBER, TRUE, 10000, 1, 1e12, 0 },
  { "max_leverage", N_("Maximum leverage"), FIELD_NUMBER, FALSE, 2.5, 1, 10, 2 },
  { "fee_pct", N_("Fee per trade, %"), FIELD_NUMBER, FALSE, 0.10, 0, 5, 2 },
  { "slippage_pct", N_("Slippage per fill, %"), FIELD_NUMBER, FALSE, 0.05, 0, 5, 2 },
  { "borrow_apr_pct", N_("Borrow rate, % a year"), FIELD_NUMBER, FALSE, 5.0, 0, 100, 2 },
  { "ltv", N_("Maximum loan-to-value"), FIELD_NUMBER, FALSE, 0.73, 0.01, 0.99, 2 },
  { "liquidation_threshold", N_("Liquidation threshold"), FIELD_NUMBER, FALSE, 0.78, 0.01, 0.99, 2 },
  { "liquidation_bonus", N_("Liquidation bonus"), FIELD_NUMBER, FALSE, 0.05, 0, 0.5, 3 },
};
#define N_FIELDS G_N_ELEMENTS (fields)

typedef enum { FMT_USD, FMT_PERCENT, FMT_NUMBER, FMT_INT, FMT_LEVERAGE, FMT_POINTS } MetricFormat;

static const struct
{
  const char  *key;
  const char  *title;
  MetricFormat format;
} metrics[] = {
  { "final_value", N_("Final value"), FMT_USD },
  { "total_return", N_("Total return"), FMT_PERCENT },
  { "btc_hold_return", N_("Buy-and-hold return"), FMT_PERCENT },
  { "outperformance", N_("Outperformance"), FMT_POINTS },
  { "cagr", N_("Yearly growth (CAGR)"), FMT_PERCENT },
  { "sharpe_ratio", N_("Sharpe ratio"), FMT_NUMBER },
  { "sortino_ratio", N_("Sortino ratio"), FMT_NUMBER },
  { "max_drawdown", N_("Largest drawdown"), FMT_PERCENT },
  { "max_drawdown_days", N_("Longest drawdown, days"), FMT_INT },
  { "calmar_ratio", N_("Calmar ratio"), FMT_NUMBER },
  { "total_trades", N_("Trades"), FMT_INT },
  { "win_rate", N_("Winning sales"), FMT_PERCENT },
  { "profit_factor", N_("Profit factor"), FMT_NUMBER },
  { "avg_win", N_("Average win"), FMT_USD },
  { "avg_loss", N_("Average loss"), FMT_USD },
  { "expectancy", N_("Expectancy per sale"), FMT_USD },
  { "fees_paid", N_("Fees paid"), FMT_USD },
  { "interest_paid", N_("Interest paid"), FMT_USD },
  { "liquidations", N_("Liquidations"), FMT_INT },
  { "exposure_pct", N_("Days exposed"), FMT_PERCENT },
  { "max_leverage_reached", N_("Highest leverage"), FMT_LEVERAGE },
  { "min_health_factor", N_("Lowest health factor"), FMT_NUMBER },
};

#define MAX_COMPARED 6
#define MAX_SERIES_CURVES MAX_COMPARED
#define MAX_SAVED_ROWS 50

/* One curve of the chart: its values stay alive while it is shown. */
typedef struct
{
  char   *label;
  double *values;
} Curve;

static void
curve_clear (Curve *curve)
{
  g_clear_pointer (&curve->label, g_free);
  g_clear_pointer (&curve->values, g_free);
}

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

  AdwEntryRow         *rows[N_FIELDS];
  GtkLabel            *metric_labels[G_N_ELEMENTS (metrics)];
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

  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (BtBacktestPage, bt_backtest_page, GTK_TYPE_WIDGET)

enum { RUN_REQUESTED, CANCEL_REQUESTED, EXPORT_CSV, OPEN_RUN, DELETE_RUN, MESSAGE, STEP_CHANGED,
       N_SIGNALS };

static guint signals[N_SIGNALS];

static void go_to (BtBacktestPage *self, const char *step);
static void update_compare (BtBacktestPage *self);

/* A number typed in either convention: "0.5" or "0,5"; no grouping. */
static gboolean
parse_number (const char *text,
              double     *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));

  if (strchr (copy, '.') != NULL && strchr (copy, ',') != NULL)
    return FALSE;
  g_strdelimit (copy, ",", '.');
  return bt_parse_double (copy, out);
}

static char *
format_default (const Field *field)
{
  return g_strdup_printf ("%.*f", field->decimals, field->def);
}

/* Validate FIELD's text; a translated message, or NULL when valid. */
static char *
check_field (BtBacktestPage *self,
             guint           i,
             double         *number,
             BtDay          *day)
{
  const Field *field = &fields[i];
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->rows[i]));

  if (field->kind == FIELD_DATE)
    {
      g_autofree char *copy = g_strstrip (g_strdup (text));

      if (!bt_day_parse (copy, day) || strlen (copy) != 10)
        /* Translators: %s is the name of a field */
        return g_strdup_printf (_("%s: type a date such as 2020-01-31"), _(field->title));
      return NULL;
    }
  if (!parse_number (text, number) || *number < field->min || *number > field->max)
    {
      g_autofree char *min = bt_ui_format_number (field->min, field->decimals);
      g_autofree char *max = bt_ui_format_number (field->max, field->decimals);

      /* Translators: the field, then the allowed range */
      return g_strdup_printf (_("%s: type a number from %s to %s"), _(field->title), min, max);
    }
  return NULL;
}

static void
set_row_invalid (AdwEntryRow *row,
                 const char  *message)
{
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

/* The highest leverage RULES ever ask for: the top of the ladder, the
 * entry leverage, and Preferences' maximum above both (SCORING.md §5). */
static double
rules_leverage_top (const BtRules *rules)
{
  double top = MAX (rules->ladder_floor_leverage, rules->entry_leverage);

  for (guint i = 0; i < rules->ladder_n; i++)
    top = MAX (top, rules->ladder_leverage[i]);
  return MIN (top, rules->max_leverage);
}

static gint
field_index (const char *key)
{
  for (guint i = 0; i < N_FIELDS; i++)
    if (g_str_equal (fields[i].key, key))
      return (gint) i;
  return -1;
}

/* The note of the ladder against the maximum typed, NULL when the cap
 * binds or cannot be read. */
static char *
ladder_note (BtBacktestPage *self,
             double          cap)
{
  g_autofree char *top_text = NULL;
  g_autofree char *cap_text = NULL;
  double top;

  if (!self->have_rules || !isfinite (cap))
    return NULL;
  top = rules_leverage_top (&self->rules);
  if (fabs (cap - top) < 1e-9)
    return NULL;
  top_text = bt_ui_format_leverage (top);
  cap_text = bt_ui_format_leverage (cap);
  if (cap > top + 1e-9)
    /* Translators: the first %s is the highest leverage the rules ask for
     * (e.g. "2.50×"), the second the maximum the user typed */
    return g_strdup_printf (_("The rules’ ladder never asks for more than %s, so the ladder, "
                              "not the maximum of %s, limits this run; a higher maximum "
                              "changes nothing."), top_text, cap_text);
  /* Translators: the first %s is the maximum leverage typed, the second
   * the top of the rules' ladder (e.g. "2.50×") */
  return g_strdup_printf (_("Purchases stop at %s, below the ladder’s %s; a fall in price "
                            "can still raise the leverage until the rules sell."),
                          cap_text, top_text);
}

/* Validate the fields of the current step (both input steps on review). */
static void
validate (BtBacktestPage *self)
{
  const char *step = gtk_stack_get_visible_child_name (self->stack);
  gboolean period = g_strcmp0 (step, "period") == 0;
  gboolean strategy = g_strcmp0 (step, "strategy") == 0;
  gboolean review = g_strcmp0 (step, "review") == 0;
  char *first = NULL;
  g_autofree char *note = NULL;
  BtDay start = BT_DAY_INVALID, end = BT_DAY_INVALID;
  double ltv = NAN, threshold = NAN, cap = NAN;
  const char *shown;
  char a[16], b[16];

  for (guint i = 0; i < N_FIELDS; i++)
    {
      double number = NAN;
      BtDay day = BT_DAY_INVALID;
      g_autofree char *message = NULL;

      if (!(review || (period && fields[i].on_period_step) || (strategy && !fields[i].on_period_step)))
        continue;
      message = check_field (self, i, &number, &day);
      set_row_invalid (self->rows[i], message);
      if (message != NULL && first == NULL)
        first = g_steal_pointer (&message);
      if (g_str_equal (fields[i].key, "start_date"))
        start = day;
      else if (g_str_equal (fields[i].key, "end_date"))
        end = day;
      else if (g_str_equal (fields[i].key, "ltv"))
        ltv = number;
      else if (g_str_equal (fields[i].key, "liquidation_threshold"))
        threshold = number;
      else if (g_str_equal (fields[i].key, "max_leverage"))
        cap = number;
    }
  /* the period against the data: both ends inside the price history */
  if (first == NULL && start != BT_DAY_INVALID && self->price_first != BT_DAY_INVALID
      && (start < self->price_first || start > self->price_last))
    {
      /* Translators: the price history's first and last day */
      first = g_strdup_printf (_("Start date: the price history runs from %s to %s; "
                                 "start on or after %s"),
                               bt_day_format (self->price_first, a), bt_day_format (self->price_last, b),
                               a);
      set_row_invalid (self->rows[field_index ("start_date")], first);
    }
  if (first == NULL && end != BT_DAY_INVALID && self->price_last != BT_DAY_INVALID
      && (end > self->price_last || end < self->price_first))
    {
      /* Translators: the price history's last day */
      first = g_strdup_printf (_("End date: there are no prices after %s; end on or before it"),
                               bt_day_format (self->price_last, a));
      set_row_invalid (self->rows[field_index ("end_date")], first);
    }
  if (first == NULL && start != BT_DAY_INVALID && end != BT_DAY_INVALID && end - start < 30)
    first = g_strdup (_("The period must span at least 30 days, with the end after the start"));
  if (first == NULL && !isnan (ltv) && !isnan (threshold) && ltv >= threshold)
    first = g_strdup (_("The maximum loan-to-value must be below the liquidation threshold"));

  /* what is missing, said before the run */
  if (period && first == NULL && self->rules_first != BT_DAY_INVALID
      && (start < self->rules_first || end > self->rules_last))
    {
      g_autoptr(GString) text = g_string_new (NULL);

      if (start < self->rules_first)
        /* Translators: %s is the first day with every input the rules need */
        g_string_append_printf (text, _("Before %s the rules lack the inputs to decide (on-chain "
                                        "data, enough history for the indicators): the run holds "
                                        "until then."),
                                bt_day_format (self->rules_first, a));
      if (end > self->rules_last)
        {
          if (text->len > 0)
            g_string_append_c (text, ' ');
          /* Translators: %s is the last day with every input the rules need */
          g_string_append_printf (text, _("After %s the rules lack the inputs to decide (the "
                                          "on-chain data ends): from then on the run only holds."),
                                  bt_day_format (self->rules_last, b));
        }
      note = g_string_free (g_steal_pointer (&text), FALSE);
    }
  else if (period && first == NULL && self->price_first != BT_DAY_INVALID
           && self->rules_first == BT_DAY_INVALID)
    note = g_strdup (_("The rules lack the inputs to decide on any day of the history: "
                       "the run will only hold."));
  else if ((strategy || review) && first == NULL)
    note = ladder_note (self, cap);
  g_free (self->error);
  self->error = first;
  g_free (self->note);
  self->note = g_steal_pointer (&note);
  /* a failed run is said inline on review, where it can be corrected */
  shown = first != NULL ? first : review ? self->failure : NULL;
  gtk_label_set_label (self->error_label, shown != NULL ? shown : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), shown != NULL);
  gtk_label_set_label (self->note_label, self->note != NULL ? self->note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), self->note != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtest.next", first == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtest.run", first == NULL);
}

static void
clear_dynamic_rows (BtBacktestPage      *self,
                    AdwPreferencesGroup *group)
{
  for (guint i = self->dynamic_rows->len; i > 0; i--)
    {
      GtkWidget *row = g_ptr_array_index (self->dynamic_rows, i - 1);

      if (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP) == GTK_WIDGET (group))
        {
          adw_preferences_group_remove (group, row);
          g_ptr_array_remove_index (self->dynamic_rows, i - 1);
        }
    }
}

static void
add_value_row (BtBacktestPage      *self,
               AdwPreferencesGroup *group,
               const char          *title,
               const char          *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (label, "numeric");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->dynamic_rows, row);
}

static void
fill_review (BtBacktestPage *self)
{
  GObject *mode = adw_combo_row_get_selected_item (self->start_mode_row);

  clear_dynamic_rows (self, self->review_group);
  /* first, where it is seen: a warning for a period the data do not cover */
  if (self->coverage_func != NULL)
    {
      BtDay from = BT_DAY_INVALID, to = BT_DAY_INVALID;

      for (guint i = 0; i < N_FIELDS; i++)
        if (fields[i].kind == FIELD_DATE)
          {
            double number;
            BtDay day = BT_DAY_INVALID;
            g_autofree char *message = check_field (self, i, &number, &day);

            if (message == NULL && g_str_equal (fields[i].key, "start_date"))
              from = day;
            else if (message == NULL && g_str_equal (fields[i].key, "end_date"))
              to = day;
          }
      if (from != BT_DAY_INVALID && to != BT_DAY_INVALID)
        {
          g_autofree char *warning = self->coverage_func (from, to, self->coverage_data);

          if (warning != NULL)
            {
              GtkWidget *row = adw_action_row_new ();

              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                             _("The data do not cover this period"));
              adw_action_row_set_subtitle (ADW_ACTION_ROW (row), warning);
              adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                         gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
              gtk_widget_add_css_class (row, "warning");
              adw_preferences_group_add (self->review_group, row);
              g_ptr_array_add (self->dynamic_rows, row);
            }
        }
    }
  for (guint i = 0; i < N_FIELDS; i++)
    add_value_row (self, self->review_group, _(fields[i].title),
                   gtk_editable_get_text (GTK_EDITABLE (self->rows[i])));
  add_value_row (self, self->review_group, _("Start"),
                 mode != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (mode)) : "");
  {
    GObject *profile = adw_combo_row_get_selected_item (self->profile_row);

    add_value_row (self, self->review_group, _("Rules"),
                   profile != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (profile)) : "");
  }
}

void
bt_backtest_page_set_coverage_func (BtBacktestPage         *self,
                                    BtBacktestCoverageFunc  func,
                                    gpointer                user_data)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

  self->coverage_func = func;
  self->coverage_data = user_data;
}

static void
update_step (BtBacktestPage *self)
{
  const char *step = gtk_stack_get_visible_child_name (self->stack);
  const char *caption = "";

  if (g_strcmp0 (step, "period") == 0)
    caption = _("Step 1 of 3");
  else if (g_strcmp0 (step, "strategy") == 0)
    caption = _("Step 2 of 3");
  else if (g_strcmp0 (step, "review") == 0)
    caption = _("Step 3 of 3");
  gtk_label_set_label (self->step_label, caption);
  gtk_widget_set_visible (GTK_WIDGET (self->step_label), *caption != '\0');

  gtk_widget_set_visible (self->back_button, g_strcmp0 (step, "strategy") == 0
                                             || g_strcmp0 (step, "review") == 0);
  gtk_widget_set_visible (self->next_button, g_strcmp0 (step, "period") == 0
                                             || g_strcmp0 (step, "strategy") == 0);
  gtk_widget_set_visible (self->run_button, g_strcmp0 (step, "review") == 0);
  /* Cancel lives on the progress page itself, away from where New
   * Backtest appears, so that a click meant for one never lands on the
   * other when the results arrive */
  gtk_widget_set_visible (self->again_button, g_strcmp0 (step, "results") == 0);
  gtk_widget_set_visible (gtk_widget_get_parent (self->again_button),
                          g_strcmp0 (step, "running") != 0);
  validate (self);
}

static void
go_to (BtBacktestPage *self,
       const char     *step)
{
  if (g_strcmp0 (step, "review") == 0)
    fill_review (self);
  if (g_strcmp0 (step, "running") == 0)
    self->running_drawn = FALSE;
  /* the results page (a chart of thousands of days, the metrics, the
   * trades) comes without a transition: each frame of one would lay out
   * both pages */
  if (g_strcmp0 (step, "results") == 0
      || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "results") == 0)
    gtk_stack_set_visible_child_full (self->stack, step, GTK_STACK_TRANSITION_TYPE_NONE);
  else
    gtk_stack_set_visible_child_name (self->stack, step);
  update_step (self);
  g_signal_emit (self, signals[STEP_CHANGED], 0, step);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (widget);
  const char *step = gtk_stack_get_visible_child_name (self->stack);

  validate (self);
  if (self->error != NULL)
    return;
  if (g_strcmp0 (step, "period") == 0)
    go_to (self, "strategy");
  else if (g_strcmp0 (step, "strategy") == 0)
    go_to (self, "review");
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (widget);
  const char *step = gtk_stack_get_visible_child_name (self->stack);

  g_clear_pointer (&self->failure, g_free);
  if (g_strcmp0 (step, "review") == 0)
    go_to (self, "strategy");
  else if (g_strcmp0 (step, "strategy") == 0)
    go_to (self, "period");
}

static void commit_pending_delete (BtBacktestPage *self);

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (widget);
  GVariant *config;
  gboolean started = FALSE;

  g_clear_pointer (&self->failure, g_free);
  config = bt_backtest_page_get_config (self);
  if (config == NULL)
    return;
  commit_pending_delete (self);
  g_variant_ref_sink (config);
  self->generation++;
  g_clear_pointer (&self->pending_run, bt_backtest_result_free);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  go_to (self, "running");
  g_signal_emit (self, signals[RUN_REQUESTED], 0, config, &started);
  g_variant_unref (config);
  if (!started && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "running") == 0)
    {
      self->failure = g_strdup (_("Backtests are not available in this version"));
      go_to (self, "review");
    }
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "running") != 0)
    return;
  self->generation++;
  g_clear_pointer (&self->pending_run, bt_backtest_result_free);
  g_signal_emit (self, signals[CANCEL_REQUESTED], 0);
  go_to (self, "review");
  g_signal_emit (self, signals[MESSAGE], 0, _("Backtest cancelled"));
}

static void
restart_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  go_to (BT_BACKTEST_PAGE (widget), "period");
}

/* ---- the progress page is drawn before any result ------------------- */

static gboolean
show_pending_cb (gpointer data)
{
  BtBacktestPage *self = data;
  BtBacktestResult *run = g_steal_pointer (&self->pending_run);

  self->show_idle = 0;
  if (run != NULL)
    bt_backtest_page_show_run (self, run);
  return G_SOURCE_REMOVE;
}

static void
on_after_paint_cb (GdkFrameClock  *clock,
                   BtBacktestPage *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "running") != 0
      || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  self->running_drawn = TRUE;
  /* not from within the paint: on the next turn of the loop */
  if (self->pending_run != NULL && self->show_idle == 0)
    self->show_idle = g_idle_add (show_pending_cb, self);
}

static void
on_realize_cb (GtkWidget      *widget,
               BtBacktestPage *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (clock == NULL || clock == self->frame_clock)
    return;
  if (self->frame_clock != NULL)
    g_signal_handler_disconnect (self->frame_clock, self->after_paint_id);
  g_set_object (&self->frame_clock, clock);
  self->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), self);
}

static void
on_unrealize_cb (GtkWidget      *widget,
                 BtBacktestPage *self)
{
  if (self->frame_clock != NULL)
    g_signal_handler_disconnect (self->frame_clock, self->after_paint_id);
  self->after_paint_id = 0;
  g_clear_object (&self->frame_clock);
}

/* RUN arrived for the run in flight: show it once the progress page was
 * drawn (at once when the page is not on screen: nothing can be drawn). */
static void
deliver_run (BtBacktestPage   *self,
             BtBacktestResult *run)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "running") == 0
      && !self->running_drawn && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_clear_pointer (&self->pending_run, bt_backtest_result_free);
      self->pending_run = run;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  bt_backtest_page_show_run (self, run);
}

/* ---- results ----------------------------------------------------------- */

static char *
format_metric (guint  i,
               double v)
{
  switch (metrics[i].format)
    {
    case FMT_USD:
      return bt_ui_format_usd (v);
    case FMT_PERCENT:
      return bt_ui_format_percent (v, 1);
    case FMT_INT:
      return bt_ui_format_number (v, 0);
    case FMT_LEVERAGE:
      return bt_ui_format_leverage (v);
    case FMT_POINTS:
      {
        g_autofree char *n = bt_ui_format_number (v, 1);
        /* Translators: percentage points, e.g. "12.5 pp" */
        return isnan (v) ? g_strdup ("—") : g_strdup_printf (_("%s pp"), n);
      }
    case FMT_NUMBER:
    default:
      return bt_ui_format_number (v, 2);
    }
}

static GVariant *
metrics_variant (const BtBacktestMetrics *m)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sd}"));
#define ADD(field) g_variant_builder_add (&builder, "{sd}", #field, m->field)
  ADD (final_value); ADD (total_return); ADD (cagr); ADD (sharpe_ratio); ADD (sortino_ratio);
  ADD (max_drawdown); ADD (calmar_ratio); ADD (win_rate); ADD (total_trades);
  ADD (profit_factor); ADD (avg_win); ADD (avg_loss); ADD (expectancy); ADD (max_drawdown_days);
  ADD (btc_hold_return); ADD (outperformance); ADD (fees_paid); ADD (interest_paid);
  ADD (liquidations); ADD (exposure_pct); ADD (max_leverage_reached); ADD (min_health_factor);
#undef ADD
  return g_variant_builder_end (&builder);
}

/* The settings of CONFIG in one line, as the saved runs and the PNG show them. */
static char *
settings_text (const BtBacktestConfig *config)
{
  g_autofree char *capital = bt_ui_format_usd (config->initial_capital);
  g_autofree char *cap = bt_ui_format_leverage (config->max_leverage);
  g_autofree char *fee = bt_ui_format_percent (config->fee_pct, 2);
  g_autofree char *slippage = bt_ui_format_percent (config->slippage_pct, 2);
  g_autofree char *apr = bt_ui_format_percent (config->borrow_apr_pct, 2);
  g_autofree char *ltv = bt_ui_format_number (config->ltv, 2);
  g_autofree char *threshold = bt_ui_format_number (config->liquidation_threshold, 2);

  /* Translators: a backtest's settings: capital, maximum leverage, fee,
   * slippage, borrow rate a year, maximum loan-to-value and liquidation
   * threshold; then how it starts */
  return g_strdup_printf (_("%s · up to %s · fee %s · slippage %s · borrow %s · LTV %s · "
                            "liquidation at %s · %s"),
                          capital, cap, fee, slippage, apr, ltv, threshold,
                          config->start_mode == BT_START_CASH ? _("starting in cash")
                                                              : _("starting with BTC at 1.0×"));
}

static char *
period_text (BtDay first,
             BtDay last)
{
  g_autofree char *from = bt_ui_format_day (first);
  g_autofree char *to = bt_ui_format_day (last);

  /* Translators: a backtest's period, e.g. "1 Jan 2020 to 31 Dec 2024" */
  return g_strdup_printf (_("%s to %s"), from, to);
}

static const BtBacktestRunInfo *
find_info (BtBacktestPage *self,
           const char     *id)
{
  for (guint i = 0; id != NULL && self->infos != NULL && i < self->infos->len; i++)
    {
      const BtBacktestRunInfo *info = g_ptr_array_index (self->infos, i);

      if (g_strcmp0 (info->id, id) == 0)
        return info;
    }
  return NULL;
}

static char *
run_name (BtBacktestPage         *self,
          const BtBacktestResult *run)
{
  const BtBacktestRunInfo *info = find_info (self, run->id);

  if (info != NULL && info->name != NULL && *info->name != '\0')
    return g_strdup (info->name);
  return bt_backtest_default_name (&run->config, run->first_day, run->last_day);
}

/* The metric rows are made once and only their values change: showing
 * a run builds no widgets. */
static void
set_metric_text (BtBacktestPage *self,
                 guint           i,
                 const char     *text)
{
  if (self->metric_labels[i] == NULL)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label = gtk_label_new (NULL);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(metrics[i].title));
      gtk_widget_add_css_class (label, "numeric");
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_preferences_group_add (self->results_group, row);
      self->metric_labels[i] = GTK_LABEL (label);
    }
  gtk_label_set_label (self->metric_labels[i], text);
}

static void
fill_metrics (BtBacktestPage *self,
              GVariant       *results)
{
  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      double v = NAN;
      g_autofree char *text = NULL;

      if (!g_variant_lookup (results, metrics[i].key, "d", &v))
        v = NAN;
      text = format_metric (i, v);
      set_metric_text (self, i, text);
    }
}

static void
clear_curves (BtBacktestPage *self)
{
  for (guint i = 0; i < self->n_curves; i++)
    curve_clear (&self->curves[i]);
  self->n_curves = 0;
  g_clear_pointer (&self->drawdown, g_free);
}

/* Why the leverage did what it did: the ladder binding (no purchase went
 * up to the cap), or price falls lifting it above the cap between the
 * rules' sales. */
static char *
binding_text (const BtBacktestResult *run)
{
  double cap = run->config.max_leverage;
  double reached = run->metrics.max_leverage_reached;
  double bought = 0;
  GString *text = g_string_new (NULL);

  for (guint i = 0; run->trades != NULL && i < run->trades->len; i++)
    {
      const BtBacktestTrade *trade = &g_array_index (run->trades, BtBacktestTrade, i);

      if ((trade->action == BT_ACTION_ENTER || trade->action == BT_ACTION_ADD)
          && trade->leverage_after > bought)
        bought = trade->leverage_after;
    }
  if (bought > 0 && bought < cap - 0.005)
    {
      g_autofree char *bought_text = bt_ui_format_leverage (bought);
      g_autofree char *cap_text = bt_ui_format_leverage (cap);

      /* Translators: the highest leverage a purchase reached, then the
       * maximum leverage set */
      g_string_append_printf (text, _("No purchase went above %s, below the maximum of %s: the "
                                      "rules’ ladder, not the maximum leverage, limited this run."),
                              bought_text, cap_text);
    }
  if (isfinite (reached) && reached > MAX (cap, bought) + 0.005)
    {
      g_autofree char *reached_text = bt_ui_format_leverage (reached);
      g_autofree char *cap_text = bt_ui_format_leverage (cap);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      /* Translators: the highest leverage reached, then the most purchases
       * go to */
      g_string_append_printf (text, _("The highest leverage, %s, came from falling prices: "
                                      "purchases never go above %s."),
                              reached_text, cap_text);
    }
  return g_string_free (text, text->len == 0);
}

void
bt_backtest_page_show_run (BtBacktestPage   *self,
                           BtBacktestResult *run)
{
  BtChartSeries upper[2];
  BtChartSeries lower[1];
  g_autofree char *name = NULL;
  g_autofree char *period = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *binding = NULL;
  g_autofree char *trades_title = NULL;
  g_autoptr(GVariant) values = NULL;
  double peak = -INFINITY, p0 = NAN;
  double *hold, *drawdown;
  guint n;

  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (run != NULL);

  g_clear_pointer (&self->run, bt_backtest_result_free);
  self->run = run;
  self->n_compared = 0;
  n = run->n_days;

  /* the curves: the strategy, buying and holding with the same capital
   * (BACKTEST.md's BTC hold return) and the drawdown; O(days) arithmetic */
  clear_curves (self);
  hold = g_new (double, MAX (n, 1));
  drawdown = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      double e = run->equity[i];

      if (isnan (p0) && !isnan (run->btc_price[i]))
        p0 = run->btc_price[i];
      hold[i] = run->metrics.e0 * run->btc_price[i] / p0;
      if (!isnan (e) && e > peak)
        peak = e;
      drawdown[i] = isnan (e) || peak <= 0 ? NAN : (e / peak - 1) * 100;
    }
  self->curves[0] = (Curve) { g_strdup (_("Strategy")), g_memdup2 (run->equity, sizeof (double) * n) };
  self->curves[1] = (Curve) { g_strdup (_("Buy and hold")), hold };
  self->n_curves = 2;
  self->drawdown = drawdown;
  upper[0] = (BtChartSeries) { self->curves[0].label, self->curves[0].values, { 0, 0, 0, 0 }, 2, FALSE,
                               FALSE };
  upper[1] = (BtChartSeries) { self->curves[1].label, self->curves[1].values,
                               { 0.53, 0.53, 0.53, 1 }, 1.5, FALSE, FALSE };
  lower[0] = (BtChartSeries) { _("Drawdown"), self->drawdown, { 0.88, 0.11, 0.14, 1 }, 1.5, TRUE,
                               FALSE };
  bt_chart_view_set_data (self->equity_chart, run->first_day, n, upper, 2, lower, 1);
  bt_chart_view_show_last (self->equity_chart, 0);

  /* the trades: a model over the run's own array, rows made as shown */
  bt_trade_list_set_trades (self->trades, run->trades);
  /* Translators: the heading of a backtest's trades, with their number */
  trades_title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Trade", "%u Trades",
                                               run->trades->len), run->trades->len);
  gtk_label_set_label (self->trades_title, trades_title);
  /* room for about five trades; the list scrolls for the rest */
  gtk_scrolled_window_set_min_content_height (self->trades_scroller,
                                              (int) MIN (run->trades->len, 5) * 90);
  gtk_widget_set_visible (self->trades_box, TRUE);
  gtk_widget_set_sensitive (self->export_csv_button, TRUE);

  name = run_name (self, run);
  period = period_text (run->first_day, run->last_day);
  settings = settings_text (&run->config);
  /* Translators: the period, then the settings of a backtest */
  subtitle = g_strdup_printf (_("%s · %s"), period, settings);
  gtk_label_set_label (self->results_title, name);
  gtk_label_set_label (self->results_subtitle, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->results_subtitle), TRUE);
  g_free (self->export_title);
  g_free (self->export_period);
  g_free (self->export_settings);
  self->export_title = g_strdup (name);
  self->export_period = g_strdup (period);
  self->export_settings = g_strdup (settings);
  binding = binding_text (run);
  gtk_label_set_label (self->binding_label, binding != NULL ? binding : "");
  gtk_widget_set_visible (GTK_WIDGET (self->binding_label), binding != NULL);

  adw_preferences_group_set_title (self->results_group, _("Results"));
  values = g_variant_ref_sink (metrics_variant (&run->metrics));
  fill_metrics (self, values);
  go_to (self, "results");
}

void
bt_backtest_page_show_results (BtBacktestPage *self,
                               GVariant       *results)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (results != NULL && g_variant_is_of_type (results, G_VARIANT_TYPE ("a{sd}")));

  g_variant_ref_sink (results);
  adw_preferences_group_set_title (self->results_group, _("Results"));
  gtk_label_set_label (self->results_title, _("Results"));
  gtk_widget_set_visible (GTK_WIDGET (self->results_subtitle), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->binding_label), FALSE);
  fill_metrics (self, results);
  g_variant_unref (results);
  go_to (self, "results");
}

/* Overlay the equity of RUNS (BtBacktestResult, in the order ticked) on
 * one chart over the union of their periods, with their metrics side by
 * side. */
static void
show_comparison (BtBacktestPage *self,
                 GPtrArray      *runs)
{
  BtChartSeries upper[MAX_SERIES_CURVES];
  BtDay first = BT_DAY_INVALID, last = BT_DAY_INVALID;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *title = NULL;
  guint n;

  g_clear_pointer (&self->run, bt_backtest_result_free);
  clear_curves (self);
  for (guint r = 0; r < runs->len; r++)
    {
      BtBacktestResult *run = g_ptr_array_index (runs, r);

      if (first == BT_DAY_INVALID || run->first_day < first)
        first = run->first_day;
      if (last == BT_DAY_INVALID || run->last_day > last)
        last = run->last_day;
    }
  n = last - first + 1;
  for (guint r = 0; r < runs->len && r < MAX_SERIES_CURVES; r++)
    {
      BtBacktestResult *run = g_ptr_array_index (runs, r);
      double *values = g_new (double, n);
      g_autofree char *name = run_name (self, run);

      for (guint i = 0; i < n; i++)
        values[i] = NAN;
      memcpy (values + (run->first_day - first), run->equity, sizeof (double) * run->n_days);
      /* Translators: a curve of a comparison: its number and the run's name */
      self->curves[r] = (Curve) { g_strdup_printf (_("%u: %s"), r + 1, name), values };
      upper[r] = (BtChartSeries) { self->curves[r].label, values, { 0, 0, 0, 0 }, 1.5, FALSE, FALSE };
      self->n_curves++;
      if (names->len > 0)
        g_string_append (names, "  |  ");
      g_string_append (names, self->curves[r].label);
    }
  self->n_compared = self->n_curves;
  bt_chart_view_set_data (self->equity_chart, first, n, upper, self->n_curves, NULL, 0);
  bt_chart_view_show_last (self->equity_chart, 0);

  /* Translators: the title of a comparison of N saved backtest runs */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Comparing %u Run", "Comparing %u Runs",
                                        self->n_curves), self->n_curves);
  gtk_label_set_label (self->results_title, title);
  gtk_label_set_label (self->results_subtitle, names->str);
  gtk_widget_set_visible (GTK_WIDGET (self->results_subtitle), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->binding_label), FALSE);
  g_free (self->export_title);
  g_free (self->export_period);
  g_free (self->export_settings);
  self->export_title = g_strdup (title);
  self->export_period = period_text (first, last);
  self->export_settings = g_strdup (names->str);

  /* the metrics, one value per run in the curves' order */
  /* Translators: the heading of the metrics of compared runs, in the order of their numbers */
  adw_preferences_group_set_title (self->results_group, _("Results, run by run"));
  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint r = 0; r < self->n_curves; r++)
        {
          BtBacktestResult *run = g_ptr_array_index (runs, r);
          g_autoptr(GVariant) values = g_variant_ref_sink (metrics_variant (&run->metrics));
          g_autofree char *value = NULL;
          double v = NAN;

          if (!g_variant_lookup (values, metrics[i].key, "d", &v))
            v = NAN;
          value = format_metric (i, v);
          if (text->len > 0)
            g_string_append (text, "  |  ");
          g_string_append (text, value);
        }
      set_metric_text (self, i, text->str);
    }
  bt_trade_list_set_trades (self->trades, NULL);
  gtk_widget_set_visible (self->trades_box, FALSE);
  gtk_widget_set_sensitive (self->export_csv_button, FALSE);
  go_to (self, "results");
}

/* ---- the trades list: recycled rows ------------------------------------ */

static void
setup_trade_row_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *figures = gtk_label_new (NULL);
  GtkWidget *reason = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (figures), 0);
  gtk_label_set_wrap (GTK_LABEL (figures), TRUE);
  gtk_widget_add_css_class (figures, "numeric");
  gtk_label_set_xalign (GTK_LABEL (reason), 0);
  gtk_label_set_wrap (GTK_LABEL (reason), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (reason), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (reason), 4);
  gtk_label_set_ellipsize (GTK_LABEL (reason), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (reason, "dim-label");
  gtk_widget_add_css_class (reason, "caption");
  gtk_box_append (GTK_BOX (top), title);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), figures);
  gtk_box_append (GTK_BOX (box), reason);
  g_object_set_data (G_OBJECT (box), "title", title);
  g_object_set_data (G_OBJECT (box), "figures", figures);
  g_object_set_data (G_OBJECT (box), "reason", reason);
  gtk_list_item_set_child (item, box);
}

static void
bind_trade_row_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  const BtBacktestTrade *trade = bt_trade_item_get_trade (gtk_list_item_get_item (item));
  GtkWidget *figures = g_object_get_data (G_OBJECT (box), "figures");
  GtkWidget *reason = g_object_get_data (G_OBJECT (box), "reason");
  g_autofree char *date = bt_ui_format_day (trade->day);
  g_autofree char *title = NULL;
  g_autofree char *price = bt_ui_format_usd (trade->price);
  g_autofree char *size = bt_ui_format_percent (trade->size_pct, 1);
  g_autofree char *leverage = bt_ui_format_leverage (trade->leverage_after);
  g_autofree char *pnl = bt_ui_format_usd (trade->pnl_usd);
  g_autofree char *text = NULL;

  /* Translators: a trade of a backtest: the action and its day */
  title = g_strdup_printf (_("%s · %s"), bt_ui_action_title (trade->action), date);
  /* Translators: a trade's price, size, leverage after it and its profit or loss */
  text = g_strdup_printf (_("at %s · %s · to %s · P&L %s"), price, size, leverage, pnl);
  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "title"), title);
  gtk_label_set_label (GTK_LABEL (figures), text);
  gtk_widget_remove_css_class (figures, "score-high");
  gtk_widget_remove_css_class (figures, "score-low");
  if (!isnan (trade->pnl_usd) && trade->pnl_usd != 0)
    gtk_widget_add_css_class (figures, trade->pnl_usd > 0 ? "score-high" : "score-low");
  gtk_label_set_label (GTK_LABEL (reason), trade->reason != NULL ? trade->reason : "");
}

/* ---- workers: runs are read and written off the main thread ------------ */

typedef struct
{
  char             *path;
  GStrv             ids;        /* load these runs */
  BtBacktestResult *run;        /* or save this one */
  guint             generation;
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  g_strfreev (job->ids);
  g_clear_pointer (&job->run, bt_backtest_result_free);
  g_free (job);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_backtest_result_free);
  g_autoptr(BtStore) store = NULL;
  GError *error = NULL;

  /* a connection of its own: SQLite objects never cross threads */
  store = bt_store_open (job->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; job->ids[i] != NULL; i++)
    {
      BtBacktestResult *run = bt_backtest_store_load (store, job->ids[i], &error);

      if (run == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (runs, run);
      if (g_task_return_error_if_cancelled (task))
        return;
    }
  g_task_return_pointer (task, g_steal_pointer (&runs), (GDestroyNotify) g_ptr_array_unref);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(BtStore) store = NULL;
  GError *error = NULL;

  store = bt_store_open (job->path, &error);
  if (store == NULL || !bt_backtest_store_save (store, job->run, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = g_task_propagate_pointer (G_TASK (result), &error);

  if (runs == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[MESSAGE], 0, error->message);
      return;
    }
  if (job->generation != self->generation)
    return;  /* something else was asked for since */
  if (runs->len == 1)
    bt_backtest_page_show_run (self, g_ptr_array_steal_index (runs, 0));
  else if (runs->len > 1)
    show_comparison (self, runs);
}

static void
load_runs (BtBacktestPage     *self,
           const char *const  *ids)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (self->store == NULL)
    return;
  job = g_new0 (Job, 1);
  job->path = g_strdup (bt_store_get_path (self->store));
  job->ids = g_strdupv ((GStrv) ids);
  job->generation = ++self->generation;
  task = g_task_new (self, self->cancellable, on_loaded_cb, NULL);
  g_task_set_source_tag (task, load_runs);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, load_thread);
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  BtBacktestResult *run;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
    }
  bt_backtest_page_reload_saved_runs (self);
  if (job->generation != self->generation)
    return;  /* cancelled or replaced while it was saved */
  run = g_steal_pointer (&job->run);
  deliver_run (self, run);
}

/* ---- saved runs ------------------------------------------------------- */

static void
on_open_run_clicked_cb (GtkButton      *button,
                        BtBacktestPage *self)
{
  g_signal_emit (self, signals[OPEN_RUN], 0, g_object_get_data (G_OBJECT (button), "run-id"));
}

static void
on_delete_run_clicked_cb (GtkButton      *button,
                          BtBacktestPage *self)
{
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (button), "run-id"));

  g_signal_emit (self, signals[DELETE_RUN], 0, id);
}

static void
on_check_toggled_cb (GtkCheckButton *check,
                     BtBacktestPage *self)
{
  update_compare (self);
}

static void
on_rename_activate_cb (GtkWidget      *widget,
                       BtBacktestPage *self)
{
  GtkWidget *popover = gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER);
  GtkEntry *entry = g_object_get_data (G_OBJECT (popover), "entry");
  const char *id = g_object_get_data (G_OBJECT (popover), "run-id");
  g_autofree char *copy = g_strdup (id);
  g_autoptr(GError) error = NULL;

  if (!bt_backtest_page_rename_saved_run (self, copy,
                                          gtk_editable_get_text (GTK_EDITABLE (entry)), &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), error->message);
      return;
    }
}

static GtkWidget *
rename_button_new (const char *id,
                   const char *title,
                   BtBacktestPage *self)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *ok = gtk_button_new_with_mnemonic (_("_Rename"));
  /* Translators: the accessible name of a saved run's rename button; %s is its name */
  g_autofree char *label = g_strdup_printf (_("Rename %s"), title);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "document-edit-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Rename"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_editable_set_text (GTK_EDITABLE (entry), title);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name of the run"), -1);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 24);
  gtk_widget_add_css_class (ok, "suggested-action");
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), ok);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_object_set_data (G_OBJECT (popover), "entry", entry);
  g_object_set_data_full (G_OBJECT (popover), "run-id", g_strdup (id), g_free);
  g_signal_connect (entry, "activate", G_CALLBACK (on_rename_activate_cb), self);
  g_signal_connect (ok, "clicked", G_CALLBACK (on_rename_activate_cb), self);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  return button;
}

static void
clear_saved_rows (BtBacktestPage *self)
{
  for (guint i = 0; i < self->saved_rows->len; i++)
    adw_preferences_group_remove (self->saved_group, g_ptr_array_index (self->saved_rows, i));
  g_ptr_array_set_size (self->saved_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->saved_group), FALSE);
  update_compare (self);
}

void
bt_backtest_page_add_saved_run (BtBacktestPage *self,
                                const char     *id,
                                const char     *title,
                                const char     *subtitle)
{
  GtkWidget *row, *check, *open, *remove;
  g_autofree char *check_label = NULL;
  g_autofree char *open_label = NULL;
  g_autofree char *remove_label = NULL;

  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (id != NULL && title != NULL);

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle != NULL ? subtitle : "");
  g_object_set_data_full (G_OBJECT (row), "run-id", g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (row), "name", g_strdup (title), g_free);

  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  /* Translators: the accessible name of a saved run's check box; %s is its name */
  check_label = g_strdup_printf (_("Compare %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, check_label,
                                  -1);
  g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled_cb), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  g_object_set_data (G_OBJECT (row), "check", check);

  open = gtk_button_new_from_icon_name ("document-open-symbolic");
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (open, "flat");
  gtk_widget_set_tooltip_text (open, _("Open"));
  /* Translators: the accessible name of a saved run's open button; %s is its name */
  open_label = g_strdup_printf (_("Open %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label, -1);
  g_object_set_data_full (G_OBJECT (open), "run-id", g_strdup (id), g_free);
  g_signal_connect (open, "clicked", G_CALLBACK (on_open_run_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), rename_button_new (id, title, self));

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Delete"));
  /* Translators: the accessible name of a saved run's delete button; %s is its name */
  remove_label = g_strdup_printf (_("Delete %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  g_object_set_data_full (G_OBJECT (remove), "run-id", g_strdup (id), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_delete_run_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  adw_preferences_group_add (self->saved_group, row);
  g_ptr_array_add (self->saved_rows, row);
  gtk_widget_set_visible (GTK_WIDGET (self->saved_group), TRUE);
  update_compare (self);
}

static char *
saved_subtitle (const BtBacktestRunInfo *info)
{
  g_autofree char *ret = bt_ui_format_percent (info->total_return, 1);
  g_autofree char *hold = bt_ui_format_percent (info->btc_hold_return, 1);
  g_autofree char *created = bt_ui_format_time (info->created_at);
  g_autofree char *settings = NULL;
  g_autofree char *period = period_text (info->start_day, info->end_day);
  BtBacktestConfig config;

  bt_backtest_config_init_default (&config);
  if (info->config_json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, info->config_json, -1, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          bt_backtest_config_from_json (&config, json_node_get_object (json_parser_get_root (parser)),
                                        NULL);
          settings = settings_text (&config);
        }
    }
  /* Translators: a saved run: its period, settings, return, buying and
   * holding's, and when it ran */
  return g_strdup_printf (_("%s · %s\nReturn %s, buy and hold %s · %s"), period,
                          settings != NULL ? settings : "", ret, hold, created);
}

void
bt_backtest_page_reload_saved_runs (BtBacktestPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  guint shown = 0;

  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

  clear_saved_rows (self);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  if (self->store == NULL)
    return;
  runs = bt_backtest_store_list (self->store, &error);
  if (runs == NULL)
    {
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
      return;
    }
  for (guint i = 0; i < runs->len && shown < MAX_SAVED_ROWS; i++)
    {
      BtBacktestRunInfo *info = g_ptr_array_index (runs, i);
      g_autofree char *subtitle = NULL;
      g_autofree char *title = NULL;

      if (g_strcmp0 (info->id, self->pending_delete) == 0)
        continue;
      subtitle = saved_subtitle (info);
      title = info->name != NULL && *info->name != '\0'
              ? g_strdup (info->name) : period_text (info->start_day, info->end_day);
      bt_backtest_page_add_saved_run (self, info->id, title, subtitle);
      shown++;
    }
  self->infos = g_steal_pointer (&runs);
}

static void
update_compare (BtBacktestPage *self)
{
  guint ticked = 0;

  for (guint i = 0; i < self->saved_rows->len; i++)
    if (gtk_check_button_get_active (g_object_get_data (g_ptr_array_index (self->saved_rows, i),
                                                        "check")))
      ticked++;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtest.compare",
                                 ticked >= 2 && ticked <= MAX_COMPARED);
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (widget);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; i < self->saved_rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->saved_rows, i);

      if (gtk_check_button_get_active (g_object_get_data (row, "check")))
        g_ptr_array_add (ids, g_object_get_data (row, "run-id"));
    }
  if (ids->len < 2 || ids->len > MAX_COMPARED)
    return;
  g_ptr_array_add (ids, NULL);
  load_runs (self, (const char *const *) ids->pdata);
}

/* libadwaita 1.2 frees a toast's state when its hide animation ends even
 * while its show animation (up to 500 ms) still runs, and crashes when that
 * one ends: a toast is dismissed only once it is fully shown. */
#define TOAST_SHOWN_US (600 * G_TIME_SPAN_MILLISECOND)

static void
on_toast_gone_cb (AdwToast *toast,
                  gpointer  data)
{
  g_object_set_data (G_OBJECT (toast), "bt-gone", GINT_TO_POINTER (TRUE));
}

static gboolean
dismiss_toast_cb (gpointer data)
{
  AdwToast *toast = data;

  if (g_object_get_data (G_OBJECT (toast), "bt-gone") == NULL)
    adw_toast_dismiss (toast);
  return G_SOURCE_REMOVE;
}

/* Takes TOAST (the page's reference) away from the page and dismisses it. */
static void
drop_undo_toast (BtBacktestPage *self)
{
  AdwToast *toast = g_steal_pointer (&self->undo_toast);
  gint64 age;

  if (toast == NULL)
    return;
  g_signal_handlers_disconnect_by_data (toast, self);
  age = g_get_monotonic_time () - self->undo_toast_added;
  if (g_object_get_data (G_OBJECT (toast), "bt-gone") != NULL)
    ;
  else if (age >= TOAST_SHOWN_US)
    adw_toast_dismiss (toast);
  else
    g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) ((TOAST_SHOWN_US - age) / 1000) + 1,
                        dismiss_toast_cb, g_object_ref (toast), g_object_unref);
  g_object_unref (toast);
}

static void
commit_pending_delete (BtBacktestPage *self)
{
  g_autofree char *id = g_steal_pointer (&self->pending_delete);
  g_autoptr(GError) error = NULL;

  drop_undo_toast (self);
  if (id == NULL || self->store == NULL)
    return;
  if (!bt_backtest_store_delete (self->store, id, &error)
      && !g_error_matches (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND))
    g_signal_emit (self, signals[MESSAGE], 0, error->message);
}

static void
on_undo_toast_dismissed_cb (AdwToast       *toast,
                            BtBacktestPage *self)
{
  if (toast == self->undo_toast)
    commit_pending_delete (self);
}

static void
on_undo_clicked_cb (AdwToast       *toast,
                    BtBacktestPage *self)
{
  bt_backtest_page_undo_delete (self);
}

static void
delete_run (BtBacktestPage *self,
            const char     *id)
{
  GtkWidget *overlay;
  const BtBacktestRunInfo *info;
  g_autofree char *title = NULL;

  if (self->store == NULL || id == NULL)
    return;
  commit_pending_delete (self);
  self->pending_delete = g_strdup (id);
  info = find_info (self, id);
  title = info != NULL && info->name != NULL ? g_strdup (info->name) : g_strdup (id);
  bt_backtest_page_reload_saved_runs (self);
  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      commit_pending_delete (self);
      return;
    }
  /* Translators: a toast after deleting a saved backtest run; %s is its name */
  self->undo_toast = adw_toast_new_format (_("“%s” deleted"), title);
  g_object_ref (self->undo_toast);
  self->undo_toast_added = g_get_monotonic_time ();
  g_signal_connect (self->undo_toast, "dismissed", G_CALLBACK (on_toast_gone_cb), NULL);
  adw_toast_set_button_label (self->undo_toast, _("_Undo"));
  g_signal_connect (self->undo_toast, "dismissed", G_CALLBACK (on_undo_toast_dismissed_cb), self);
  g_signal_connect (self->undo_toast, "button-clicked", G_CALLBACK (on_undo_clicked_cb), self);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), g_object_ref (self->undo_toast));
}

/* ---- export ------------------------------------------------------------ */

static void
export_csv (BtBacktestPage *self,
            const char     *path)
{
  g_autofree char *equity = NULL;
  g_autofree char *trades = NULL;
  g_autofree char *base = NULL;
  g_autofree char *trades_path = NULL;
  g_autoptr(GError) error = NULL;

  if (self->run == NULL)
    return;
  equity = bt_backtest_result_equity_csv (self->run);
  trades = bt_backtest_result_trades_csv (self->run);
  base = g_str_has_suffix (path, ".csv") ? g_strndup (path, strlen (path) - 4) : g_strdup (path);
  trades_path = g_strconcat (base, "-trades.csv", NULL);
  if (!g_file_set_contents (path, equity, -1, &error)
      || !g_file_set_contents (trades_path, trades, -1, &error))
    {
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
      return;
    }
  g_signal_emit (self, signals[MESSAGE], 0, _("Equity and trades exported"));
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       BtBacktestPage  *self)
{
  gboolean png = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "png"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (png)
        {
          if (!bt_backtest_page_export_png (self, path, 1600, 900, &error))
            g_signal_emit (self, signals[MESSAGE], 0, error->message);
          else
            g_signal_emit (self, signals[MESSAGE], 0, _("Chart exported"));
        }
      else
        g_signal_emit (self, signals[EXPORT_CSV], 0, path);
    }
  g_clear_object (&self->chooser);
}

static void
export (BtBacktestPage *self,
        gboolean        png)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (png ? _("Export Chart") : _("Export Equity and Trades"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser),
                                     png ? "btc-turbo-backtest.png" : "btc-turbo-backtest.csv");
  g_object_set_data (G_OBJECT (self->chooser), "png", GINT_TO_POINTER (png));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_png_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  export (BT_BACKTEST_PAGE (widget), TRUE);
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  export (BT_BACKTEST_PAGE (widget), FALSE);
}

static void
on_field_changed_cb (GtkEditable    *editable,
                     BtBacktestPage *self)
{
  g_clear_pointer (&self->failure, g_free);
  validate (self);
}

static void
on_start_mode_changed_cb (GObject        *row,
                          GParamSpec     *pspec,
                          BtBacktestPage *self)
{
  g_clear_pointer (&self->failure, g_free);
}

static void
bt_backtest_page_open_run_handler (BtBacktestPage *self,
                                   const char     *id)
{
  const char *ids[] = { id, NULL };

  if (id != NULL)
    load_runs (self, ids);
}

/* ---- GObject ----------------------------------------------------------- */

static void
bt_backtest_page_dispose (GObject *object)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  /* leaving with a deletion pending: the toast goes, so does the run */
  commit_pending_delete (self);
  g_clear_handle_id (&self->show_idle, g_source_remove);
  if (self->frame_clock != NULL)
    g_signal_handler_disconnect (self->frame_clock, self->after_paint_id);
  g_clear_object (&self->frame_clock);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (object), BT_TYPE_BACKTEST_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->trades);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (bt_backtest_page_parent_class)->dispose (object);
}

static void
bt_backtest_page_finalize (GObject *object)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (object);

  g_clear_pointer (&self->dynamic_rows, g_ptr_array_unref);
  g_clear_pointer (&self->saved_rows, g_ptr_array_unref);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  g_clear_pointer (&self->run, bt_backtest_result_free);
  g_clear_pointer (&self->pending_run, bt_backtest_result_free);
  clear_curves (self);
  g_clear_object (&self->cancellable);
  g_free (self->error);
  g_free (self->note);
  g_free (self->failure);
  g_free (self->pending_delete);
  g_free (self->export_title);
  g_free (self->export_period);
  g_free (self->export_settings);
  g_free (self->default_text[0]);
  g_free (self->default_text[1]);

  G_OBJECT_CLASS (bt_backtest_page_parent_class)->finalize (object);
}

static void
bt_backtest_page_class_init (BtBacktestPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bt_backtest_page_dispose;
  object_class->finalize = bt_backtest_page_finalize;

  /**
   * BtBacktestPage::run-requested:
   * @config: the configuration (a{sv}, see bt_backtest_page_get_config())
   *
   * Returns: %TRUE when a handler started the run
   */
  signals[RUN_REQUESTED] = g_signal_new ("run-requested", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, g_signal_accumulator_true_handled,
                                         NULL, NULL, G_TYPE_BOOLEAN, 1, G_TYPE_VARIANT);
  signals[CANCEL_REQUESTED] = g_signal_new ("cancel-requested", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * BtBacktestPage::export-csv:
   * @path: where the equity CSV of the run shown goes (the trades beside it)
   */
  signals[EXPORT_CSV] = g_signal_new_class_handler ("export-csv", G_TYPE_FROM_CLASS (klass),
                                                    G_SIGNAL_RUN_LAST, G_CALLBACK (export_csv),
                                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * BtBacktestPage::open-run:
   * @id: a saved run, loaded in a worker thread and shown
   */
  signals[OPEN_RUN] = g_signal_new_class_handler ("open-run", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST,
                                                  G_CALLBACK (bt_backtest_page_open_run_handler),
                                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * BtBacktestPage::delete-run:
   * @id: a saved run, hidden at once and deleted unless the toast's Undo
   *   is used
   */
  signals[DELETE_RUN] = g_signal_new_class_handler ("delete-run", G_TYPE_FROM_CLASS (klass),
                                                    G_SIGNAL_RUN_LAST,
                                                    G_CALLBACK (bt_backtest_page_delete_saved_run),
                                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * BtBacktestPage::step-changed:
   * @step: the step now shown (see bt_backtest_page_get_step())
   */
  signals[STEP_CHANGED] = g_signal_new ("step-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (BT_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/btcturbo/BtcTurbo/ui/bt-backtest-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, trades_box);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, trades_scroller);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, trades_title);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, trades_view);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, results_title);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, results_subtitle);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, binding_label);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, export_csv_button);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, saved_group);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, equity_chart);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, step_label);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, period_group);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, strategy_group);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, review_group);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, results_group);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, start_mode_row);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, profile_row);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, note_label);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, next_button);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, again_button);

  gtk_widget_class_install_action (widget_class, "backtest.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "backtest.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "backtest.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "backtest.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "backtest.restart", NULL, restart_action);
  gtk_widget_class_install_action (widget_class, "backtest.export-csv", NULL, export_csv_action);
  gtk_widget_class_install_action (widget_class, "backtest.export-png", NULL, export_png_action);
  gtk_widget_class_install_action (widget_class, "backtest.compare", NULL, compare_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
bt_backtest_page_init (BtBacktestPage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkSelectionModel) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->dynamic_rows = g_ptr_array_new ();
  self->saved_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->price_first = self->price_last = self->rules_first = self->rules_last = BT_DAY_INVALID;
  self->trades = bt_trade_list_new ();
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_trade_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_trade_row_cb), NULL);
  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->trades))));
  gtk_list_view_set_model (self->trades_view, selection);
  gtk_list_view_set_factory (self->trades_view, factory);
  gtk_list_view_set_show_separators (self->trades_view, TRUE);
  gtk_widget_set_visible (self->trades_box, FALSE);

  g_signal_connect (self, "realize", G_CALLBACK (on_realize_cb), self);
  g_signal_connect (self, "unrealize", G_CALLBACK (on_unrealize_cb), self);
  g_signal_connect (self->start_mode_row, "notify::selected", G_CALLBACK (on_start_mode_changed_cb),
                    self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtest.compare", FALSE);
  bt_chart_view_set_log_scale (self->equity_chart, TRUE);
  bt_chart_view_set_format_func (self->equity_chart, FALSE, bt_ui_chart_format_usd, NULL);
  bt_chart_view_set_format_func (self->equity_chart, TRUE, bt_ui_chart_format_percent, NULL);
  bt_chart_view_set_empty_text (self->equity_chart, _("No equity curve"));
  for (guint i = 0; i < N_FIELDS; i++)
    {
      AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(fields[i].title));
      if (fields[i].kind == FIELD_NUMBER)
        {
          g_autofree char *text = format_default (&fields[i]);

          gtk_editable_set_text (GTK_EDITABLE (row), text);
          adw_entry_row_set_input_purpose (row, GTK_INPUT_PURPOSE_NUMBER);
        }
      g_signal_connect (row, "changed", G_CALLBACK (on_field_changed_cb), self);
      adw_preferences_group_add (fields[i].on_period_step ? self->period_group
                                                          : self->strategy_group,
                                 GTK_WIDGET (row));
      self->rows[i] = row;
    }
  {
    char buf[16];

    /* without data: a period to start from, checked only for its form */
    self->default_text[0] = g_strdup (bt_day_format (bt_day_from_ymd (2014, 1, 1), buf));
    self->default_text[1] = g_strdup (bt_day_format (bt_day_today_utc (), buf));
    gtk_editable_set_text (GTK_EDITABLE (self->rows[0]), self->default_text[0]);
    gtk_editable_set_text (GTK_EDITABLE (self->rows[1]), self->default_text[1]);
  }
  go_to (self, "period");
}

/* ---- public API -------------------------------------------------------- */

void
bt_backtest_page_set_data_span (BtBacktestPage *self,
                                BtDay           price_first,
                                BtDay           price_last,
                                BtDay           rules_first,
                                BtDay           rules_last)
{
  BtDay start = price_first, end = price_last;
  char buf[16];

  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

  if (price_first == BT_DAY_INVALID || price_last == BT_DAY_INVALID)
    price_first = price_last = rules_first = rules_last = BT_DAY_INVALID;
  if (rules_first == BT_DAY_INVALID || rules_last == BT_DAY_INVALID)
    rules_first = rules_last = BT_DAY_INVALID;
  self->price_first = price_first;
  self->price_last = price_last;
  self->rules_first = rules_first;
  self->rules_last = rules_last;
  if (price_first == BT_DAY_INVALID)
    {
      validate (self);
      return;
    }
  /* the default period: where prices and the rules' inputs exist, when
   * that spans the 30 days a period needs */
  if (rules_first != BT_DAY_INVALID && MIN (rules_last, price_last) - MAX (rules_first, price_first) >= 30)
    {
      start = MAX (rules_first, price_first);
      end = MIN (rules_last, price_last);
    }
  /* a period the user typed stays; one still at the old default follows
   * the data (new days arrive with every collection) */
  for (guint i = 0; i < 2; i++)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->rows[i]));

      if (g_strcmp0 (text, self->default_text[i]) == 0 || *text == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->rows[i]), bt_day_format (i == 0 ? start : end, buf));
      g_free (self->default_text[i]);
      self->default_text[i] = g_strdup (bt_day_format (i == 0 ? start : end, buf));
    }
  validate (self);
}

void
bt_backtest_page_set_period_limits (BtBacktestPage *self,
                                    BtDay           first,
                                    BtDay           last)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

  if (first == BT_DAY_INVALID || last == BT_DAY_INVALID)
    return;
  bt_backtest_page_set_data_span (self, first, last, first, last);
}

void
bt_backtest_page_set_rules (BtBacktestPage *self,
                            const BtRules  *rules)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

  self->have_rules = rules != NULL;
  if (rules != NULL)
    self->rules = *rules;
  validate (self);
}

void
bt_backtest_page_set_store (BtBacktestPage *self,
                            BtStore        *store)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (store == NULL || BT_IS_STORE (store));

  commit_pending_delete (self);
  g_set_object (&self->store, store);
  bt_backtest_page_reload_saved_runs (self);
}

gboolean
bt_backtest_page_set_text (BtBacktestPage *self,
                           const char     *key,
                           const char     *text)
{
  gint i;

  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), FALSE);
  g_return_val_if_fail (key != NULL && text != NULL, FALSE);

  i = field_index (key);
  if (i >= 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->rows[i]), text);
      return TRUE;
    }
  if (g_str_equal (key, "profile"))
    {
      /* "" (as in Preferences), "adaptive" or "seed-v5", as the Rules row */
      guint index = g_str_equal (text, "adaptive") ? 1 : g_str_equal (text, "seed-v5") ? 2 : 0;

      if (index == 0 && *text != '\0')
        return FALSE;
      adw_combo_row_set_selected (self->profile_row, index);
      return TRUE;
    }
  return FALSE;
}

void
bt_backtest_page_set_start_mode (BtBacktestPage *self,
                                 BtStartMode     mode)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  adw_combo_row_set_selected (self->start_mode_row, mode == BT_START_CASH ? 1 : 0);
}

const char *
bt_backtest_page_get_error (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), NULL);
  return self->error;
}

const char *
bt_backtest_page_get_note (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), NULL);
  return self->note;
}

const char *
bt_backtest_page_get_step (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GVariant *
bt_backtest_page_get_config (BtBacktestPage *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < N_FIELDS; i++)
    {
      double number = NAN;
      BtDay day = BT_DAY_INVALID;
      g_autofree char *message = check_field (self, i, &number, &day);
      char buf[16];

      if (message != NULL)
        {
          g_variant_builder_clear (&builder);
          return NULL;
        }
      if (fields[i].kind == FIELD_DATE)
        g_variant_builder_add (&builder, "{sv}", fields[i].key,
                               g_variant_new_string (bt_day_format (day, buf)));
      else
        g_variant_builder_add (&builder, "{sv}", fields[i].key, g_variant_new_double (number));
    }
  g_variant_builder_add (&builder, "{sv}", "start_mode",
                         g_variant_new_string (adw_combo_row_get_selected (self->start_mode_row) == 1
                                               ? "cash" : "invested"));
  /* "As in Preferences" (0) leaves the rules of Preferences as they are */
  if (adw_combo_row_get_selected (self->profile_row) == 1)
    g_variant_builder_add (&builder, "{sv}", "profile", g_variant_new_string ("adaptive"));
  else if (adw_combo_row_get_selected (self->profile_row) == 2)
    g_variant_builder_add (&builder, "{sv}", "profile", g_variant_new_string ("seed-v5"));
  return g_variant_builder_end (&builder);
}

gboolean
bt_backtest_page_get_backtest_config (BtBacktestPage   *self,
                                      BtBacktestConfig *config)
{
  BtBacktestConfig copy;

  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  copy = *config;
  for (guint i = 0; i < N_FIELDS; i++)
    {
      double number = NAN;
      BtDay day = BT_DAY_INVALID;
      g_autofree char *message = check_field (self, i, &number, &day);
      const char *key = fields[i].key;

      if (message != NULL)
        return FALSE;
      if (g_str_equal (key, "start_date"))
        copy.start_day = day;
      else if (g_str_equal (key, "end_date"))
        copy.end_day = day;
      else if (g_str_equal (key, "initial_capital"))
        copy.initial_capital = number;
      else if (g_str_equal (key, "max_leverage"))
        copy.max_leverage = number;
      else if (g_str_equal (key, "fee_pct"))
        copy.fee_pct = number;
      else if (g_str_equal (key, "slippage_pct"))
        copy.slippage_pct = number;
      else if (g_str_equal (key, "borrow_apr_pct"))
        copy.borrow_apr_pct = number;
      else if (g_str_equal (key, "ltv"))
        copy.ltv = number;
      else if (g_str_equal (key, "liquidation_threshold"))
        copy.liquidation_threshold = number;
      else if (g_str_equal (key, "liquidation_bonus"))
        copy.liquidation_bonus = number;
      else
        g_return_val_if_reached (FALSE);
    }
  copy.start_mode = adw_combo_row_get_selected (self->start_mode_row) == 1 ? BT_START_CASH
                                                                           : BT_START_INVESTED;
  /* the Rules row: "As in Preferences" (0) keeps the rules CONFIG came with */
  switch (adw_combo_row_get_selected (self->profile_row))
    {
    case 1:
      if (!bt_backtest_config_set (&copy, "profile", "adaptive", NULL))
        return FALSE;
      break;
    case 2:
      if (!bt_backtest_config_set (&copy, "profile", "seed-v5", NULL))
        return FALSE;
      break;
    default:
      break;
    }
  *config = copy;
  return TRUE;
}

void
bt_backtest_page_set_progress (BtBacktestPage *self,
                               double          fraction)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0, 1));
}

double
bt_backtest_page_get_progress (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), NAN);

  return gtk_progress_bar_get_fraction (self->progress_bar);
}

void
bt_backtest_page_run_finished (BtBacktestPage   *self,
                               BtBacktestResult *run)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (run != NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "running") != 0)
    {
      /* cancelled meanwhile */
      bt_backtest_result_free (run);
      return;
    }
  if (self->store == NULL)
    {
      deliver_run (self, run);
      return;
    }
  /* saved in a worker (thousands of rows), then shown */
  job = g_new0 (Job, 1);
  job->path = g_strdup (bt_store_get_path (self->store));
  job->run = run;
  job->generation = self->generation;
  task = g_task_new (self, self->cancellable, on_saved_cb, NULL);
  g_task_set_source_tag (task, bt_backtest_page_run_finished);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, save_thread);
}

void
bt_backtest_page_run_failed (BtBacktestPage *self,
                             const GError   *error)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (error != NULL);

  /* said inline on review, where it wraps at any width */
  g_free (self->failure);
  self->failure = g_strdup (error->message);
  go_to (self, "review");
}

const BtBacktestResult *
bt_backtest_page_get_run (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), NULL);
  return self->run;
}

GListModel *
bt_backtest_page_get_trades (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), NULL);
  return G_LIST_MODEL (self->trades);
}

guint
bt_backtest_page_get_n_trades (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), 0);
  return bt_trade_list_get_n_trades (self->trades);
}

guint
bt_backtest_page_get_n_saved_runs (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), 0);
  return self->saved_rows->len;
}

const char *
bt_backtest_page_get_saved_run_id (BtBacktestPage *self,
                                   guint           index)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), NULL);
  g_return_val_if_fail (index < self->saved_rows->len, NULL);

  return g_object_get_data (g_ptr_array_index (self->saved_rows, index), "run-id");
}

const char *
bt_backtest_page_get_saved_run_name (BtBacktestPage *self,
                                     guint           index)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), NULL);
  g_return_val_if_fail (index < self->saved_rows->len, NULL);

  return g_object_get_data (g_ptr_array_index (self->saved_rows, index), "name");
}

void
bt_backtest_page_select_saved_run (BtBacktestPage *self,
                                   const char     *id,
                                   gboolean        selected)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

  for (guint i = 0; i < self->saved_rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->saved_rows, i);

      if (g_strcmp0 (g_object_get_data (row, "run-id"), id) == 0)
        gtk_check_button_set_active (g_object_get_data (row, "check"), selected);
    }
}

gboolean
bt_backtest_page_rename_saved_run (BtBacktestPage *self,
                                   const char     *id,
                                   const char     *name,
                                   GError        **error)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), FALSE);
  g_return_val_if_fail (id != NULL && name != NULL, FALSE);

  if (self->store == NULL)
    {
      g_set_error_literal (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND,
                           _("There are no saved runs."));
      return FALSE;
    }
  if (!bt_backtest_store_rename (self->store, id, name, error))
    return FALSE;
  bt_backtest_page_reload_saved_runs (self);
  /* the run shown takes the new name too */
  if (self->run != NULL && g_strcmp0 (self->run->id, id) == 0)
    {
      g_autofree char *title = run_name (self, self->run);

      gtk_label_set_label (self->results_title, title);
      g_free (self->export_title);
      self->export_title = g_steal_pointer (&title);
    }
  return TRUE;
}

void
bt_backtest_page_delete_saved_run (BtBacktestPage *self,
                                   const char     *id)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  delete_run (self, id);
}

gboolean
bt_backtest_page_undo_delete (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), FALSE);

  if (self->pending_delete == NULL)
    return FALSE;
  g_clear_pointer (&self->pending_delete, g_free);
  drop_undo_toast (self);
  bt_backtest_page_reload_saved_runs (self);
  return TRUE;
}

guint
bt_backtest_page_get_n_curves (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), 0);
  return self->n_compared > 0 ? self->n_compared : (self->run != NULL ? 1 : 0);
}

gboolean
bt_backtest_page_export_png (BtBacktestPage *self,
                             const char     *path,
                             int             width,
                             int             height,
                             GError        **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  BtChartStyle style;
  double header = 0;

  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);

  /* files get the light style whatever the theme, at twice the scale */
  bt_chart_style_init_default (&style);
  style.scale = 2;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  /* the title, the period and the settings above the chart */
  if (self->export_title != NULL)
    {
      const char *lines[3] = { self->export_title, self->export_period, self->export_settings };
      double margin = 12 * style.scale;

      header = margin;
      for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
        {
          g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
          g_autoptr(PangoFontDescription) font = pango_font_description_from_string (
            style.font != NULL ? style.font : "Sans 9");
          int w, h;

          if (lines[i] == NULL)
            continue;
          pango_font_description_set_absolute_size (font, (i == 0 ? 15 : 10) * style.scale * PANGO_SCALE);
          pango_font_description_set_weight (font, i == 0 ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
          pango_layout_set_font_description (layout, font);
          pango_layout_set_width (layout, (int) ((width - 2 * margin) * PANGO_SCALE));
          pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
          pango_layout_set_text (layout, lines[i], -1);
          cairo_set_source_rgb (cr, i == 0 ? 0.1 : 0.35, i == 0 ? 0.1 : 0.35, i == 0 ? 0.1 : 0.35);
          cairo_move_to (cr, margin, header);
          pango_cairo_show_layout (cr, layout);
          pango_layout_get_pixel_size (layout, &w, &h);
          header += h + 3 * style.scale;
        }
      header += 6 * style.scale;
      header = MIN (header, height / 2.0);
    }
  cairo_save (cr);
  cairo_translate (cr, 0, header);
  bt_chart_view_render (self->equity_chart, cr, &style, width, height - header);
  cairo_restore (cr);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   /* Translators: %s is the file name */
                   _("Could not write the chart to %s"), path);
      return FALSE;
    }
  return TRUE;
}
