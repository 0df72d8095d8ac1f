/* bt-backtest-page.c: the Backtest page of BTC Turbo. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bt-backtest-page.h"
#include "bt-base.h"
#include "bt-chart-view.h"
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

struct _BtBacktestPage
{
  GtkWidget            parent_instance;

  GtkLabel            *step_label;
  GtkStack            *stack;
  AdwPreferencesGroup *period_group;
  AdwPreferencesGroup *strategy_group;
  AdwPreferencesGroup *review_group;
  AdwPreferencesGroup *results_group;
  AdwPreferencesGroup *trades_group;
  AdwPreferencesGroup *saved_group;
  GPtrArray           *saved_rows;     /* AdwActionRow with "run-id" and "check" */
  BtChartView         *equity_chart;
  AdwComboRow         *start_mode_row;
  AdwComboRow         *profile_row;
  BtBacktestCoverageFunc coverage_func;
  gpointer             coverage_data;
  GtkProgressBar      *progress_bar;
  GtkLabel            *error_label;
  GtkWidget           *back_button;
  GtkWidget           *next_button;
  GtkWidget           *run_button;
  GtkWidget           *cancel_button;
  GtkWidget           *again_button;

  AdwEntryRow         *rows[N_FIELDS];
  GPtrArray           *dynamic_rows;   /* rows of review/results, to remove */
  char                *error;
  guint                n_trades;
  double              *equity;
  double              *hold;
  double              *drawdown;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (BtBacktestPage, bt_backtest_page, GTK_TYPE_WIDGET)

enum { RUN_REQUESTED, CANCEL_REQUESTED, EXPORT_CSV, OPEN_RUN, DELETE_RUN, COMPARE_RUNS, MESSAGE,
       N_SIGNALS };

#define MAX_TRADE_ROWS 1000
static guint signals[N_SIGNALS];

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

/* Validate the fields of the current step (both input steps on review). */
static void
validate (BtBacktestPage *self)
{
  const char *step = gtk_stack_get_visible_child_name (self->stack);
  gboolean period = g_strcmp0 (step, "period") == 0;
  gboolean strategy = g_strcmp0 (step, "strategy") == 0;
  gboolean review = g_strcmp0 (step, "review") == 0;
  char *first = NULL;
  BtDay start = BT_DAY_INVALID, end = BT_DAY_INVALID;
  double ltv = NAN, threshold = NAN;

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
    }
  if (first == NULL && start != BT_DAY_INVALID && end != BT_DAY_INVALID && end - start < 30)
    first = g_strdup (_("The period must span at least 30 days, with the end after the start"));
  if (first == NULL && !isnan (ltv) && !isnan (threshold) && ltv >= threshold)
    first = g_strdup (_("The maximum loan-to-value must be below the liquidation threshold"));

  g_free (self->error);
  self->error = first;
  gtk_label_set_label (self->error_label, first != NULL ? first : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), first != NULL);
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
  gtk_widget_set_visible (self->cancel_button, g_strcmp0 (step, "running") == 0);
  gtk_widget_set_visible (self->again_button, g_strcmp0 (step, "results") == 0);
  validate (self);
}

static void
go_to (BtBacktestPage *self,
       const char     *step)
{
  if (g_strcmp0 (step, "review") == 0)
    fill_review (self);
  gtk_stack_set_visible_child_name (self->stack, step);
  update_step (self);
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

  if (g_strcmp0 (step, "review") == 0)
    go_to (self, "strategy");
  else if (g_strcmp0 (step, "strategy") == 0)
    go_to (self, "period");
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (widget);
  GVariant *config = bt_backtest_page_get_config (self);
  gboolean started = FALSE;

  if (config == NULL)
    return;
  g_variant_ref_sink (config);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  go_to (self, "running");
  g_signal_emit (self, signals[RUN_REQUESTED], 0, config, &started);
  g_variant_unref (config);
  if (!started && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "running") == 0)
    {
      go_to (self, "review");
      g_signal_emit (self, signals[MESSAGE], 0, _("Backtests are not available in this version"));
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
update_compare (BtBacktestPage *self)
{
  guint ticked = 0;

  for (guint i = 0; i < self->saved_rows->len; i++)
    if (gtk_check_button_get_active (g_object_get_data (g_ptr_array_index (self->saved_rows, i),
                                                        "check")))
      ticked++;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtest.compare", ticked == 2);
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (widget);
  const char *ids[2] = { NULL, NULL };
  guint n = 0;

  for (guint i = 0; i < self->saved_rows->len && n < 2; i++)
    {
      GObject *row = g_ptr_array_index (self->saved_rows, i);

      if (gtk_check_button_get_active (g_object_get_data (row, "check")))
        ids[n++] = g_object_get_data (row, "run-id");
    }
  if (n == 2)
    g_signal_emit (self, signals[COMPARE_RUNS], 0, ids[0], ids[1]);
}

static void
on_check_toggled_cb (GtkCheckButton *check,
                     BtBacktestPage *self)
{
  update_compare (self);
}

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
on_field_changed_cb (GtkEditable    *editable,
                     BtBacktestPage *self)
{
  validate (self);
}

static void
bt_backtest_page_dispose (GObject *object)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (object);
  GtkWidget *child;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (object), BT_TYPE_BACKTEST_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (bt_backtest_page_parent_class)->dispose (object);
}

static void
bt_backtest_page_finalize (GObject *object)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (object);

  g_clear_pointer (&self->dynamic_rows, g_ptr_array_unref);
  g_clear_pointer (&self->saved_rows, g_ptr_array_unref);
  g_free (self->error);
  g_free (self->equity);
  g_free (self->hold);
  g_free (self->drawdown);

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
   * @path: where the user wants the equity CSV (the trades go beside it)
   */
  signals[EXPORT_CSV] = g_signal_new ("export-csv", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[OPEN_RUN] = g_signal_new ("open-run", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[DELETE_RUN] = g_signal_new ("delete-run", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[COMPARE_RUNS] = g_signal_new ("compare-runs", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (BT_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/btcturbo/BtcTurbo/ui/bt-backtest-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BtBacktestPage, trades_group);
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
  gtk_widget_init_template (GTK_WIDGET (self));

  self->dynamic_rows = g_ptr_array_new ();
  self->saved_rows = g_ptr_array_new ();
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
  bt_backtest_page_set_period_limits (self, bt_day_from_ymd (2014, 1, 1), bt_day_today_utc ());
  go_to (self, "period");
}

void
bt_backtest_page_set_period_limits (BtBacktestPage *self,
                                    BtDay           first,
                                    BtDay           last)
{
  char buf[16];

  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

  if (first == BT_DAY_INVALID || last == BT_DAY_INVALID)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->rows[0]), bt_day_format (first, buf));
  gtk_editable_set_text (GTK_EDITABLE (self->rows[1]), bt_day_format (last, buf));
}

gboolean
bt_backtest_page_set_text (BtBacktestPage *self,
                           const char     *key,
                           const char     *text)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), FALSE);
  g_return_val_if_fail (key != NULL && text != NULL, FALSE);

  for (guint i = 0; i < N_FIELDS; i++)
    if (g_str_equal (fields[i].key, key))
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

const char *
bt_backtest_page_get_error (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), NULL);
  return self->error;
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

void
bt_backtest_page_show_results (BtBacktestPage *self,
                               GVariant       *results)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (results != NULL && g_variant_is_of_type (results, G_VARIANT_TYPE ("a{sd}")));

  adw_preferences_group_set_title (self->results_group, _("Results"));
  clear_dynamic_rows (self, self->results_group);
  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      double v = NAN;
      g_autofree char *text = NULL;

      if (!g_variant_lookup (results, metrics[i].key, "d", &v))
        v = NAN;
      text = format_metric (i, v);
      add_value_row (self, self->results_group, _(metrics[i].title), text);
    }
  go_to (self, "results");
}

void
bt_backtest_page_run_failed (BtBacktestPage *self,
                             const GError   *error)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (error != NULL);

  go_to (self, "review");
  g_signal_emit (self, signals[MESSAGE], 0, error->message);
}

void
bt_backtest_page_set_curves (BtBacktestPage *self,
                             BtDay           first_day,
                             guint           n,
                             const double   *equity,
                             const double   *hold,
                             const double   *drawdown)
{
  BtChartSeries upper[2];
  BtChartSeries lower[1];
  guint n_upper = 0;

  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

  g_free (self->equity);
  g_free (self->hold);
  g_free (self->drawdown);
  self->equity = equity != NULL ? g_memdup2 (equity, sizeof (double) * n) : NULL;
  self->hold = hold != NULL ? g_memdup2 (hold, sizeof (double) * n) : NULL;
  self->drawdown = drawdown != NULL ? g_memdup2 (drawdown, sizeof (double) * n) : NULL;

  if (self->equity != NULL)
    upper[n_upper++] = (BtChartSeries) { _("Strategy"), self->equity, { 0, 0, 0, 0 }, 2, FALSE };
  if (self->hold != NULL)
    upper[n_upper++] = (BtChartSeries) { _("Buy and hold"), self->hold, { 0.53, 0.53, 0.53, 1 }, 1.5,
                                         FALSE };
  lower[0] = (BtChartSeries) { _("Drawdown"), self->drawdown, { 0.88, 0.11, 0.14, 1 }, 1.5, TRUE };
  bt_chart_view_set_data (self->equity_chart, first_day, n_upper > 0 ? n : 0, upper, n_upper, lower,
                          self->drawdown != NULL ? 1 : 0);
  bt_chart_view_show_last (self->equity_chart, 0);
}

void
bt_backtest_page_clear_trades (BtBacktestPage *self)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

  clear_dynamic_rows (self, self->trades_group);
  self->n_trades = 0;
}

void
bt_backtest_page_add_trade (BtBacktestPage *self,
                            BtDay           day,
                            BtAction        action,
                            double          price,
                            double          size_percent,
                            double          leverage_after,
                            double          pnl_usd,
                            const char     *reason)
{
  GtkWidget *row;
  GtkWidget *label;
  g_autofree char *date = NULL;
  g_autofree char *title = NULL;
  g_autofree char *price_text = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *leverage_text = NULL;
  g_autofree char *pnl_text = NULL;
  g_autofree char *suffix = NULL;

  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

  self->n_trades++;
  if (self->n_trades > MAX_TRADE_ROWS)
    return;

  date = bt_ui_format_day (day);
  /* Translators: a trade of a backtest: the action and its day */
  title = g_strdup_printf (_("%s · %s"), bt_ui_action_title (action), date);
  price_text = bt_ui_format_usd (price);
  size_text = bt_ui_format_percent (size_percent, 1);
  leverage_text = bt_ui_format_leverage (leverage_after);
  pnl_text = bt_ui_format_usd (pnl_usd);
  /* Translators: a trade's price, size, leverage after it and its profit or loss */
  suffix = g_strdup_printf (_("at %s · %s · to %s · P&L %s"), price_text, size_text, leverage_text,
                            pnl_text);

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason != NULL ? reason : "");
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  label = gtk_label_new (suffix);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_widget_add_css_class (label, "numeric");
  if (!isnan (pnl_usd) && pnl_usd != 0)
    gtk_widget_add_css_class (label, pnl_usd > 0 ? "score-high" : "score-low");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (self->trades_group, row);
  g_ptr_array_add (self->dynamic_rows, row);
}

guint
bt_backtest_page_get_n_trades (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), 0);
  return self->n_trades;
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
  bt_chart_view_render (self->equity_chart, cr, &style, width, height);
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

void
bt_backtest_page_clear_saved_runs (BtBacktestPage *self)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

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
  g_autofree char *open_label = NULL;
  g_autofree char *remove_label = NULL;

  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (id != NULL && title != NULL);

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle != NULL ? subtitle : "");
  g_object_set_data_full (G_OBJECT (row), "run-id", g_strdup (id), g_free);

  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  /* Translators: the accessible name of a saved run's check box; %s is its name */
  open_label = g_strdup_printf (_("Compare %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label,
                                  -1);
  g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled_cb), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  g_object_set_data (G_OBJECT (row), "check", check);

  open = gtk_button_new_from_icon_name ("document-open-symbolic");
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (open, "flat");
  gtk_widget_set_tooltip_text (open, _("Open"));
  {
    /* Translators: the accessible name of a saved run's open button; %s is its name */
    g_autofree char *name = g_strdup_printf (_("Open %s"), title);

    gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  }
  g_object_set_data_full (G_OBJECT (open), "run-id", g_strdup (id), g_free);
  g_signal_connect (open, "clicked", G_CALLBACK (on_open_run_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);

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

void
bt_backtest_page_show_comparison (BtBacktestPage *self,
                                  const char     *title_a,
                                  GVariant       *metrics_a,
                                  const char     *title_b,
                                  GVariant       *metrics_b)
{
  g_autofree char *group_title = NULL;

  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (metrics_a != NULL && metrics_b != NULL);

  g_variant_ref_sink (metrics_a);
  g_variant_ref_sink (metrics_b);
  clear_dynamic_rows (self, self->results_group);
  bt_backtest_page_clear_trades (self);
  /* Translators: comparing two saved backtest runs */
  group_title = g_strdup_printf (_("%s against %s"), title_a, title_b);
  adw_preferences_group_set_title (self->results_group, group_title);
  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      double a = NAN, b = NAN;
      g_autofree char *ta = NULL;
      g_autofree char *tb = NULL;
      g_autofree char *text = NULL;

      if (!g_variant_lookup (metrics_a, metrics[i].key, "d", &a))
        a = NAN;
      if (!g_variant_lookup (metrics_b, metrics[i].key, "d", &b))
        b = NAN;
      ta = format_metric (i, a);
      tb = format_metric (i, b);
      /* Translators: a metric of two runs side by side */
      text = g_strdup_printf (_("%s  |  %s"), ta, tb);
      add_value_row (self, self->results_group, _(metrics[i].title), text);
    }
  g_variant_unref (metrics_a);
  g_variant_unref (metrics_b);
  go_to (self, "results");
}
