/* bt-backtest-page.c: the Backtest page of BTC Turbo. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bt-backtest-page.h"
#include "bt-backtest-page-internal.h"
#include "bt-backtest-store.h"
#include "bt-base.h"
#include "bt-chart-view.h"
#include "bt-engine.h"
#include "bt-trade-list.h"
#include "bt-ui-util.h"

/* The form's fields: the period's two dates, then the settings of the
 * core's table (bt_backtest_setting_nth()), each an entry row. */
#define N_DATES 2
static const char *const date_keys[N_DATES] = { "start_date", "end_date" };
static const char *const date_titles[N_DATES] = {
  N_("Start date (YYYY-MM-DD)"), N_("End date (YYYY-MM-DD)"),
};

static guint
n_fields (void)
{
  guint n = 0;

  while (bt_backtest_setting_nth (n) != NULL)
    n++;
  return N_DATES + n;
}

/* NULL for a date */
static const BtBacktestSetting *
field_setting (guint i)
{
  return i < N_DATES ? NULL : bt_backtest_setting_nth (i - N_DATES);
}

static const char *
field_key (guint i)
{
  return i < N_DATES ? date_keys[i] : field_setting (i)->key;
}

static const char *
field_title (guint i)
{
  return _(i < N_DATES ? date_titles[i] : field_setting (i)->label);
}

static gboolean
field_on_period_step (guint i)
{
  return i < N_DATES || (field_setting (i)->flags & BT_SETTING_WITH_PERIOD) != 0;
}

G_DEFINE_FINAL_TYPE (BtBacktestPage, bt_backtest_page, BT_TYPE_PAGE)

guint bt_backtest_page_signals[N_SIGNALS];

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
format_default (const BtBacktestSetting *setting)
{
  return g_strdup_printf ("%.*f", setting->decimals, setting->def);
}

/* Validate field I's text; a translated message, or NULL when valid. */
static char *
check_field (BtBacktestPage *self,
             guint           i,
             double         *number,
             BtDay          *day)
{
  const BtBacktestSetting *setting = field_setting (i);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->rows[i]));

  if (setting == NULL)
    {
      g_autofree char *copy = g_strstrip (g_strdup (text));

      if (!bt_day_parse (copy, day) || strlen (copy) != 10)
        /* Translators: %s is the name of a field */
        return g_strdup_printf (_("%s: type a date such as 2020-01-31"), field_title (i));
      return NULL;
    }
  /* the limits of the core's check, in its words */
  if (!parse_number (text, number) || !bt_backtest_setting_in_range (setting, *number))
    return bt_backtest_setting_dup_error (setting);
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
  for (guint i = 0; i < n_fields (); i++)
    if (g_str_equal (field_key (i), key))
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
  BtEngine *engine = bt_page_get_engine (BT_PAGE (self));
  double top;

  /* the rules runs are made with: the context's */
  if (engine == NULL || !isfinite (cap))
    return NULL;
  top = rules_leverage_top (bt_engine_get_rules (engine));
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
  /* the settings of the fields checked here; NAN for the others */
  BtBacktestConfig typed;
  double ltv, threshold, cap;
  const char *shown;
  char a[16], b[16];

  for (guint i = N_DATES; i < n_fields (); i++)
    bt_backtest_setting_set (field_setting (i), &typed, NAN);
  for (guint i = 0; i < self->n_rows; i++)
    {
      double number = NAN;
      BtDay day = BT_DAY_INVALID;
      g_autofree char *message = NULL;

      if (!(review || (period && field_on_period_step (i)) || (strategy && !field_on_period_step (i))))
        continue;
      message = check_field (self, i, &number, &day);
      set_row_invalid (self->rows[i], message);
      if (message != NULL && first == NULL)
        first = g_steal_pointer (&message);
      if (i == 0)
        start = day;
      else if (i == 1)
        end = day;
      else
        bt_backtest_setting_set (field_setting (i), &typed, number);
    }
  ltv = typed.ltv;
  threshold = typed.liquidation_threshold;
  cap = typed.max_leverage;
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
  if (bt_page_get_context (BT_PAGE (self)) != NULL)
    {
      BtDay from = BT_DAY_INVALID, to = BT_DAY_INVALID;

      for (guint i = 0; i < N_DATES; i++)
        {
          double number;
          BtDay day = BT_DAY_INVALID;
          g_autofree char *message = check_field (self, i, &number, &day);

          if (message == NULL && i == 0)
            from = day;
          else if (message == NULL)
            to = day;
        }
      if (from != BT_DAY_INVALID && to != BT_DAY_INVALID)
        {
          g_autofree char *warning = _bt_backtest_page_dup_coverage_warning (self, from, to);

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
  for (guint i = 0; i < self->n_rows; i++)
    add_value_row (self, self->review_group, field_title (i),
                   gtk_editable_get_text (GTK_EDITABLE (self->rows[i])));
  add_value_row (self, self->review_group, _("Start"),
                 mode != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (mode)) : "");
  {
    GObject *profile = adw_combo_row_get_selected_item (self->profile_row);

    add_value_row (self, self->review_group, _("Rules"),
                   profile != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (profile)) : "");
  }
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

void
_bt_backtest_page_go_to (BtBacktestPage *self,
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
  g_signal_emit (self, bt_backtest_page_signals[STEP_CHANGED], 0, step);
}

/* The wizard's input steps, in order. */
static const char *const wizard_steps[] = { "period", "strategy", "review" };

/* Go DELTA steps from the current one, when there is a step there. */
static void
move_step (BtBacktestPage *self,
           int             delta)
{
  const char *step = gtk_stack_get_visible_child_name (self->stack);

  for (int i = 0; i < (int) G_N_ELEMENTS (wizard_steps); i++)
    if (g_strcmp0 (step, wizard_steps[i]) == 0)
      {
        if (i + delta >= 0 && i + delta < (int) G_N_ELEMENTS (wizard_steps))
          _bt_backtest_page_go_to (self, wizard_steps[i + delta]);
        return;
      }
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (widget);

  validate (self);
  if (self->error == NULL)
    move_step (self, +1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (widget);

  g_clear_pointer (&self->failure, g_free);
  move_step (self, -1);
}

/* Sets the wizard's fields in CONFIG (initialised by the caller); FALSE,
 * CONFIG unchanged, while some field is invalid. */
static gboolean
apply_fields (BtBacktestPage   *self,
              BtBacktestConfig *config)
{
  BtBacktestConfig copy;

  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  copy = *config;
  for (guint i = 0; i < self->n_rows; i++)
    {
      double number = NAN;
      BtDay day = BT_DAY_INVALID;
      g_autofree char *message = check_field (self, i, &number, &day);

      if (message != NULL)
        return FALSE;
      if (i == 0)
        copy.start_day = day;
      else if (i == 1)
        copy.end_day = day;
      else
        bt_backtest_setting_set (field_setting (i), &copy, number);
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

gboolean
bt_backtest_page_get_config (BtBacktestPage   *self,
                             BtBacktestConfig *config)
{
  BtEngine *engine;

  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  /* the user's rules, with the wizard's settings on top */
  engine = bt_page_get_engine (BT_PAGE (self));
  if (engine != NULL)
    bt_backtest_config_init_with_rules (config, bt_engine_get_rules (engine));
  else
    bt_backtest_config_init_default (config);
  return apply_fields (self, config);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (widget);
  BtBacktestConfig config;
  gboolean started = FALSE;

  g_clear_pointer (&self->failure, g_free);
  if (!bt_backtest_page_get_config (self, &config))
    return;
  _bt_backtest_page_commit_pending_delete (self);
  self->generation++;
  g_clear_pointer (&self->pending_run, bt_backtest_result_free);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  _bt_backtest_page_go_to (self, "running");
  g_signal_emit (self, bt_backtest_page_signals[RUN_REQUESTED], 0, &config, &started);
  if (!started && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "running") == 0)
    {
      self->failure = g_strdup (_("Backtests are not available in this version"));
      _bt_backtest_page_go_to (self, "review");
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
  g_signal_emit (self, bt_backtest_page_signals[CANCEL_REQUESTED], 0);
  _bt_backtest_page_go_to (self, "review");
  bt_page_message (BT_PAGE (self), _("Backtest cancelled"));
}

static void
restart_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _bt_backtest_page_go_to (BT_BACKTEST_PAGE (widget), "period");
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
forget_frame_clock (BtBacktestPage *self)
{
  if (self->frame_clock != NULL)
    g_signal_handler_disconnect (self->frame_clock, self->after_paint_id);
  self->after_paint_id = 0;
  g_clear_object (&self->frame_clock);
}

static void
on_realize_cb (GtkWidget      *widget,
               BtBacktestPage *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (clock == NULL || clock == self->frame_clock)
    return;
  forget_frame_clock (self);
  self->frame_clock = g_object_ref (clock);
  self->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), self);
}

static void
on_unrealize_cb (GtkWidget      *widget,
                 BtBacktestPage *self)
{
  forget_frame_clock (self);
}

/* RUN arrived for the run in flight: show it once the progress page was
 * drawn (at once when the page is not on screen: nothing can be drawn). */
void
_bt_backtest_page_deliver_run (BtBacktestPage   *self,
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
    _bt_backtest_page_load_runs (self, ids);
}

/* ---- GObject ----------------------------------------------------------- */

static void
bt_backtest_page_dispose (GObject *object)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (object);

  /* the page's jobs stop before a pending deletion is committed */
  g_cancellable_cancel (bt_page_get_cancellable (BT_PAGE (self)));
  /* leaving with a deletion pending: the toast goes, so does the run */
  _bt_backtest_page_commit_pending_delete (self);
  g_clear_handle_id (&self->show_idle, g_source_remove);
  forget_frame_clock (self);
  if (self->chooser != NULL)
    bt_file_chooser_destroy (self->chooser);
  g_clear_object (&self->chooser);
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
  g_clear_pointer (&self->metric_labels, g_ptr_array_unref);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  g_clear_pointer (&self->run, bt_backtest_result_free);
  g_clear_pointer (&self->pending_run, bt_backtest_result_free);
  _bt_backtest_page_clear_curves (self);
  g_free (self->error);
  g_free (self->note);
  g_free (self->failure);
  g_free (self->pending_delete);
  _bt_backtest_page_set_export_text (self, NULL, NULL, NULL);
  g_free (self->default_text[0]);
  g_free (self->default_text[1]);
  g_free (self->rows);

  G_OBJECT_CLASS (bt_backtest_page_parent_class)->finalize (object);
}

/* The widgets of bt-backtest-page.ui the page keeps. */
static const struct
{
  const char *name;
  gssize      offset;
} template_children[] = {
#define CHILD(name) { #name, G_STRUCT_OFFSET (BtBacktestPage, name) }
  CHILD (trades_box), CHILD (trades_scroller), CHILD (trades_title), CHILD (trades_view),
  CHILD (results_title), CHILD (results_subtitle), CHILD (binding_label),
  CHILD (export_csv_button), CHILD (saved_group), CHILD (equity_chart), CHILD (step_label),
  CHILD (stack), CHILD (period_group), CHILD (strategy_group), CHILD (review_group),
  CHILD (results_group), CHILD (start_mode_row), CHILD (profile_row), CHILD (progress_bar),
  CHILD (note_label), CHILD (error_label), CHILD (back_button), CHILD (next_button),
  CHILD (run_button), CHILD (cancel_button), CHILD (again_button),
#undef CHILD
};

static void
bt_backtest_page_class_init (BtBacktestPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bt_backtest_page_dispose;
  object_class->finalize = bt_backtest_page_finalize;
  BT_PAGE_CLASS (klass)->reload = _bt_backtest_page_reload;

  /**
   * BtBacktestPage::run-requested:
   * @config: the run's configuration: the user's rules (of the context's
   *   engine) with the wizard's settings on top
   *
   * Returns: %TRUE when a handler started the run
   */
  bt_backtest_page_signals[RUN_REQUESTED] =
    g_signal_new ("run-requested", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, g_signal_accumulator_true_handled,
                  NULL, NULL, G_TYPE_BOOLEAN, 1,
                  BT_TYPE_BACKTEST_CONFIG | G_SIGNAL_TYPE_STATIC_SCOPE);
  bt_backtest_page_signals[CANCEL_REQUESTED] =
    g_signal_new ("cancel-requested", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * BtBacktestPage::export-csv:
   * @path: where the equity CSV of the run shown goes (the trades beside it)
   */
  bt_backtest_page_signals[EXPORT_CSV] =
    g_signal_new_class_handler ("export-csv", G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST, G_CALLBACK (_bt_backtest_page_export_csv),
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * BtBacktestPage::open-run:
   * @id: a saved run, loaded in a worker thread and shown
   */
  bt_backtest_page_signals[OPEN_RUN] =
    g_signal_new_class_handler ("open-run", G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (bt_backtest_page_open_run_handler),
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * BtBacktestPage::delete-run:
   * @id: a saved run, hidden at once and deleted unless the toast's Undo
   *   is used
   */
  bt_backtest_page_signals[DELETE_RUN] =
    g_signal_new_class_handler ("delete-run", G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (bt_backtest_page_delete_saved_run),
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * BtBacktestPage::step-changed:
   * @step: the step now shown (see bt_backtest_page_get_step())
   */
  bt_backtest_page_signals[STEP_CHANGED] =
    g_signal_new ("step-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (BT_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/btcturbo/BtcTurbo/ui/bt-backtest-page.ui");
  for (guint i = 0; i < G_N_ELEMENTS (template_children); i++)
    gtk_widget_class_bind_template_child_full (widget_class, template_children[i].name, FALSE,
                                               template_children[i].offset);

  gtk_widget_class_install_action (widget_class, "backtest.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "backtest.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "backtest.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "backtest.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "backtest.restart", NULL, restart_action);
  gtk_widget_class_install_action (widget_class, "backtest.export-csv", NULL,
                                   _bt_backtest_page_export_csv_action);
  gtk_widget_class_install_action (widget_class, "backtest.export-png", NULL,
                                   _bt_backtest_page_export_png_action);
  gtk_widget_class_install_action (widget_class, "backtest.compare", NULL, _bt_backtest_page_compare_action);
}

static void
bt_backtest_page_init (BtBacktestPage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkSelectionModel) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->dynamic_rows = g_ptr_array_new ();
  self->saved_rows = g_ptr_array_new ();
  self->price_first = self->price_last = self->rules_first = self->rules_last = BT_DAY_INVALID;
  self->trades = bt_trade_list_new ();
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (_bt_backtest_page_setup_trade_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (_bt_backtest_page_bind_trade_row_cb), NULL);
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
  self->n_rows = n_fields ();
  self->rows = g_new0 (AdwEntryRow *, self->n_rows);
  for (guint i = 0; i < self->n_rows; i++)
    {
      AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field_title (i));
      if (field_setting (i) != NULL)
        {
          g_autofree char *text = format_default (field_setting (i));

          gtk_editable_set_text (GTK_EDITABLE (row), text);
          adw_entry_row_set_input_purpose (row, GTK_INPUT_PURPOSE_NUMBER);
        }
      g_signal_connect (row, "changed", G_CALLBACK (on_field_changed_cb), self);
      adw_preferences_group_add (field_on_period_step (i) ? self->period_group
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
  _bt_backtest_page_go_to (self, "period");
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
bt_backtest_page_run_failed (BtBacktestPage *self,
                             const GError   *error)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (error != NULL);

  /* said inline on review, where it wraps at any width */
  g_free (self->failure);
  self->failure = g_strdup (error->message);
  _bt_backtest_page_go_to (self, "review");
}
