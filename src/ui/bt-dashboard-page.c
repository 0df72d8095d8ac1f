/* bt-dashboard-page.c: the Dashboard page of BTC Turbo. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "bt-base.h"
#include "bt-dashboard-page.h"
#include "bt-dashboard-page-private.h"
#include "bt-gauge.h"
#include "bt-rules.h"
#include "bt-scoring.h"
#include "bt-store.h"
#include "bt-ui-util.h"

struct _BtDashboardPage
{
  BtPage       parent_instance;

  GtkStack    *stack;
  BtGauge     *gauge;
  GtkLabel    *confidence_label;
  GtkGrid     *category_grid;
  GtkWidget   *decision_card;
  GtkLabel    *urgency_label;
  GtkLabel    *action_label;
  GtkLabel    *size_label;
  GtkLabel    *reason_label;
  GtkLabel    *stress_label;
  GtkLabel    *confidence_hint_label;
  GtkListBox  *indicator_list;
  GtkSpinner  *spinner;
  GtkLabel    *updated_label;
  GtkRevealer *stale_revealer;
  GtkLabel    *stale_label;
  GtkLabel    *day_heading;

  GtkLevelBar *category_bar[BT_N_CATEGORIES];
  GtkLabel    *category_value[BT_N_CATEGORIES];
  AdwActionRow *item_row[BT_N_ITEMS];
  GtkLabel    *item_value[BT_N_ITEMS];
  GtkLabel    *item_score[BT_N_ITEMS];
};

G_DEFINE_FINAL_TYPE (BtDashboardPage, bt_dashboard_page, BT_TYPE_PAGE)

/* Display order of the indicator list: by category, then weight. */
static const BtItem item_order[BT_N_ITEMS] = {
  BT_ITEM_MVRV_Z_SCORE, BT_ITEM_REALIZED_PRICE_RATIO, BT_ITEM_PUELL_MULTIPLE,
  BT_ITEM_RSI_WEEKLY, BT_ITEM_FUNDING_RATE_7D, BT_ITEM_RSI_MONTHLY, BT_ITEM_STH_SOPR,
  BT_ITEM_EXCHANGE_NETFLOW, BT_ITEM_LONG_SHORT_RATIO, BT_ITEM_EMA_SYSTEM, BT_ITEM_BBW,
};

static char *
format_item_value (BtItem item,
                   double value)
{
  g_autofree char *number = NULL;

  if (isnan (value))
    return g_strdup ("—");
  switch (item)
    {
    case BT_ITEM_RSI_WEEKLY:
    case BT_ITEM_RSI_MONTHLY:
      return bt_ui_format_number (value, 1);
    case BT_ITEM_FUNDING_RATE_7D:
      return bt_ui_format_percent (value, 4);
    case BT_ITEM_STH_SOPR:
      return bt_ui_format_number (value, 3);
    case BT_ITEM_EXCHANGE_NETFLOW:
      number = bt_ui_format_number (value, 0);
      /* Translators: bitcoins per day; %s is the number */
      return g_strdup_printf (_("%s BTC/day"), number);
    case BT_ITEM_EMA_SYSTEM:
      return bt_ui_format_score (value);
    case BT_ITEM_BBW:
      return bt_ui_format_percent (value, 2);
    case BT_ITEM_MVRV_Z_SCORE:
    case BT_ITEM_REALIZED_PRICE_RATIO:
    case BT_ITEM_PUELL_MULTIPLE:
    case BT_ITEM_LONG_SHORT_RATIO:
    case BT_N_ITEMS:
    default:
      return bt_ui_format_number (value, 2);
    }
}

static void
build_rows (BtDashboardPage *self)
{
  for (guint i = 0; i < BT_N_CATEGORIES; i++)
    {
      GtkWidget *label = gtk_label_new (bt_ui_category_title (i));
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, 100);
      GtkWidget *value = gtk_label_new ("—");

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                      label, NULL, -1);
      gtk_label_set_width_chars (GTK_LABEL (value), 3);
      gtk_label_set_xalign (GTK_LABEL (value), 1);
      gtk_widget_add_css_class (value, "numeric");
      gtk_grid_attach (self->category_grid, label, 0, i, 1, 1);
      gtk_grid_attach (self->category_grid, bar, 1, i, 1, 1);
      gtk_grid_attach (self->category_grid, value, 2, i, 1, 1);
      self->category_bar[i] = GTK_LEVEL_BAR (bar);
      self->category_value[i] = GTK_LABEL (value);
    }

  for (guint k = 0; k < BT_N_ITEMS; k++)
    {
      BtItem item = item_order[k];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *value = gtk_label_new ("—");
      GtkWidget *score = gtk_label_new ("—");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), bt_ui_item_title (item));
      gtk_widget_add_css_class (value, "numeric");
      gtk_widget_set_valign (score, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (score, "score-pill");
      gtk_widget_add_css_class (score, "numeric");
      gtk_label_set_width_chars (GTK_LABEL (score), 3);
      gtk_widget_set_tooltip_text (score, _("Score, 0 to 100"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), score);
      gtk_list_box_append (self->indicator_list, row);
      self->item_row[item] = ADW_ACTION_ROW (row);
      self->item_value[item] = GTK_LABEL (value);
      self->item_score[item] = GTK_LABEL (score);
    }
}

static void
set_category (BtDashboardPage *self,
              guint            i,
              double           score)
{
  g_autofree char *text = bt_ui_format_score (score);

  gtk_level_bar_set_value (self->category_bar[i], isnan (score) ? 0 : CLAMP (score, 0, 100));
  gtk_label_set_label (self->category_value[i], text);
  bt_ui_set_score_class (GTK_WIDGET (self->category_bar[i]), score);
}

static void reload (BtPage *page);
static void bind   (BtPage    *page,
                    BtContext *context);

static void
bt_dashboard_page_class_init (BtDashboardPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  BT_PAGE_CLASS (klass)->reload = reload;
  BT_PAGE_CLASS (klass)->bind = bind;

  g_type_ensure (BT_TYPE_GAUGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/btcturbo/BtcTurbo/ui/bt-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, gauge);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, confidence_label);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, category_grid);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, decision_card);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, urgency_label);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, action_label);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, size_label);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, reason_label);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, stress_label);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, confidence_hint_label);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, indicator_list);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, updated_label);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, stale_revealer);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, stale_label);
  gtk_widget_class_bind_template_child (widget_class, BtDashboardPage, day_heading);
}

static void
bt_dashboard_page_init (BtDashboardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  bt_gauge_set_caption (self->gauge, _("Market score"));
  build_rows (self);
  bt_dashboard_page_set_empty (self);
}

void
bt_dashboard_page_set_data (BtDashboardPage  *self,
                            BtDay             day,
                            double            price,
                            const BtScores   *scores,
                            const BtDecision *decision,
                            const char       *reason,
                            gint64            updated_at)
{
  g_autofree char *confidence = NULL;
  g_autofree char *confidence_text = NULL;
  g_autofree char *day_text = NULL;
  g_autofree char *price_text = NULL;
  g_autofree char *updated_text = NULL;
  g_autofree char *footer = NULL;

  g_return_if_fail (BT_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (scores != NULL);

  bt_gauge_set_value (self->gauge, scores->market);
  confidence = bt_ui_format_percent (scores->confidence, 0);
  /* Translators: %s is a percentage such as "89 %" */
  confidence_text = g_strdup_printf (_("Confidence %s"), confidence);
  gtk_label_set_label (self->confidence_label, confidence_text);

  for (guint c = 0; c < BT_N_CATEGORIES; c++)
    set_category (self, c, scores->category[c]);

  for (guint i = 0; i < BT_N_ITEMS; i++)
    {
      g_autofree char *value = format_item_value (i, scores->item_value[i]);
      g_autofree char *score = bt_ui_format_score (scores->item_score[i]);
      g_autofree char *subtitle = NULL;
      BtFlag flag = scores->item_flag[i] < BT_N_FLAGS ? scores->item_flag[i] : BT_FLAG_MISSING;
      BtSource source = scores->item_source[i] < BT_N_SOURCES ? scores->item_source[i]
                                                               : BT_SOURCE_NONE;

      gtk_label_set_label (self->item_value[i], value);
      gtk_label_set_label (self->item_score[i], score);
      bt_ui_set_score_class (GTK_WIDGET (self->item_score[i]), scores->item_score[i]);
      if (source == BT_SOURCE_NONE)
        subtitle = g_strdup (bt_ui_flag_title (flag));
      else
        /* Translators: an indicator's freshness and source, e.g. "Fresh · Coin Metrics" */
        subtitle = g_strdup_printf (_("%s · %s"), bt_ui_flag_title (flag), bt_ui_source_title (source));
      adw_action_row_set_subtitle (self->item_row[i], subtitle);
      gtk_widget_remove_css_class (GTK_WIDGET (self->item_row[i]), "stale");
      if (flag == BT_FLAG_STALE || flag == BT_FLAG_MISSING)
        gtk_widget_add_css_class (GTK_WIDGET (self->item_row[i]), "stale");
    }

  for (guint u = 0; u < BT_N_URGENCIES; u++)
    gtk_widget_remove_css_class (self->decision_card, bt_ui_urgency_css (u));
  if (decision != NULL)
    {
      g_autofree char *size = NULL;
      g_autofree char *target = bt_ui_format_leverage (decision->target_leverage);
      g_autofree char *size_text = NULL;
      g_autofree char *urgency = NULL;

      gtk_label_set_label (self->action_label, bt_ui_action_title (decision->action));
      /* Translators: the urgency of a decision, e.g. "Medium urgency" */
      urgency = g_strdup_printf (_("%s urgency"), bt_ui_urgency_title (decision->urgency));
      gtk_label_set_label (self->urgency_label, urgency);
      gtk_widget_add_css_class (self->decision_card, bt_ui_urgency_css (decision->urgency));
      if (decision->action == BT_ACTION_HOLD)
        /* a hold's target is what is held: nothing held says so (core's text) */
        size_text = bt_decision_dup_size_text (decision, &(BtPositionState) { .leverage = decision->target_leverage });
      else
        {
          size = bt_ui_format_percent (decision->size_percent, 0);
          /* Translators: the size of a trade and the leverage it aims at */
          size_text = g_strdup_printf (_("Size %s, target leverage %s"), size, target);
        }
      gtk_label_set_label (self->size_label, size_text);
      gtk_label_set_label (self->reason_label, reason != NULL ? reason : "");
    }
  else
    {
      gtk_label_set_label (self->action_label, "—");
      gtk_label_set_label (self->urgency_label, "");
      gtk_label_set_label (self->size_label, _("No decision yet"));
      gtk_label_set_label (self->reason_label, "");
    }

  day_text = bt_ui_format_day (day);
  price_text = bt_ui_format_usd (price);
  updated_text = bt_ui_format_time (updated_at);
  /* Translators: the footer of the dashboard: market day, BTC close and update time */
  footer = g_strdup_printf (_("Scores of %s · BTC %s · Updated %s"), day_text, price_text,
                            updated_text);
  gtk_label_set_label (self->updated_label, footer);
  {
    g_autofree char *heading = NULL;

    /* Translators: the Dashboard's heading: the market day its scores describe */
    heading = g_strdup_printf (_("Scores of %s"), day_text);
    gtk_label_set_label (self->day_heading, heading);
  }

  gtk_stack_set_visible_child_name (self->stack, "content");
}

void
bt_dashboard_page_set_empty (BtDashboardPage *self)
{
  g_return_if_fail (BT_IS_DASHBOARD_PAGE (self));

  gtk_stack_set_visible_child_name (self->stack, "empty");
}

gboolean
bt_dashboard_page_get_empty (BtDashboardPage *self)
{
  g_return_val_if_fail (BT_IS_DASHBOARD_PAGE (self), TRUE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0;
}

void
bt_dashboard_page_set_busy (BtDashboardPage *self,
                            gboolean         busy)
{
  g_return_if_fail (BT_IS_DASHBOARD_PAGE (self));

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

void
bt_dashboard_page_set_stress_line (BtDashboardPage *self,
                                   const char      *text)
{
  g_return_if_fail (BT_IS_DASHBOARD_PAGE (self));

  gtk_label_set_label (self->stress_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->stress_label), text != NULL);
}

void
bt_dashboard_page_set_confidence_hint (BtDashboardPage *self,
                                       const char      *hint)
{
  g_return_if_fail (BT_IS_DASHBOARD_PAGE (self));

  gtk_label_set_label (self->confidence_hint_label, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->confidence_hint_label), hint != NULL && *hint != '\0');
}

void
bt_dashboard_page_set_freshness (BtDashboardPage *self,
                                 BtDay            day,
                                 BtDay            today,
                                 double           limit_days)
{
  g_autofree char *day_text = NULL;
  g_autofree char *text = NULL;
  gint64 age;

  g_return_if_fail (BT_IS_DASHBOARD_PAGE (self));

  age = day != BT_DAY_INVALID && today != BT_DAY_INVALID ? (gint64) today - day : 0;
  if (!(age > limit_days))
    {
      gtk_revealer_set_reveal_child (self->stale_revealer, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->stale_revealer), FALSE);
      return;
    }
  day_text = bt_ui_format_day (day);
  /* Translators: the Dashboard's banner when the data is old: the newest
   * day and how many days ago it was */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The newest data is from %s, %d day ago: the score and "
                                       "the recommendation describe that day, not today.",
                                       "The newest data is from %s, %d days ago: the score and "
                                       "the recommendation describe that day, not today.",
                                       (gulong) age), day_text, (int) age);
  gtk_label_set_label (self->stale_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->stale_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->stale_revealer, TRUE);
}

const char *
bt_dashboard_page_get_freshness_text (BtDashboardPage *self)
{
  g_return_val_if_fail (BT_IS_DASHBOARD_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->stale_revealer)))
    return NULL;
  return gtk_label_get_label (self->stale_label);
}

/* ---- the page's own data ------------------------------------------------ */

/* The newest data against today, as the scheduler reports progress: a
 * window left open over days gets the banner when the data ages. */
static void
on_source_progress_cb (BtScheduler     *scheduler,
                       int              source,
                       BtDashboardPage *self)
{
  BtEngine *engine = bt_page_get_engine (BT_PAGE (self));

  if (bt_engine_get_last_day (engine) != BT_DAY_INVALID)
    bt_dashboard_page_set_freshness (self, bt_engine_get_last_day (engine), bt_day_today_utc (),
                                     bt_engine_get_rules (engine)->fresh_daily_days);
}

static void
bind (BtPage    *page,
      BtContext *context)
{
  g_signal_connect_swapped (context, "positions-changed", G_CALLBACK (bt_page_reload), page);
  if (bt_context_get_scheduler (context) != NULL)
    g_signal_connect (bt_context_get_scheduler (context), "source-progress",
                      G_CALLBACK (on_source_progress_cb), page);
}

/* Shows the context's newest day: scores, the decision for the first
 * wallet's latest position, the confidence hint and the freshness banner;
 * empty without data. */
static void
reload (BtPage *page)
{
  BtDashboardPage *self = BT_DASHBOARD_PAGE (page);
  BtEngine *engine;
  const BtIndicatorTable *table;
  const BtScores *scores;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  gboolean has_position;
  BtPositionState position;
  BtDecision decision;
  BtDecisionInputs inputs;
  BtDay day;
  guint last;

  engine = bt_page_get_engine (BT_PAGE (self));
  table = engine != NULL ? bt_engine_get_table (engine) : NULL;
  scores = engine != NULL ? bt_engine_get_scores (engine) : NULL;
  if (table == NULL || scores == NULL || table->n_days == 0)
    {
      bt_dashboard_page_set_empty (self);
      return;
    }
  last = table->n_days - 1;
  day = table->first_day + last;
  has_position = bt_engine_get_position (engine, &position);
  if (bt_engine_decide (engine, day, has_position ? &position : NULL, &decision, &inputs, &error))
    {
      reason = bt_decision_dup_reason (&decision, &inputs, &position,
                                       bt_engine_get_rules (engine));
      bt_dashboard_page_set_data (self, day, table->value[BT_IND_BTC_PRICE][last], &scores[last],
                                  &decision, reason, g_get_real_time () / G_USEC_PER_SEC);
    }
  else
    bt_dashboard_page_set_data (self, day, table->value[BT_IND_BTC_PRICE][last], &scores[last],
                                NULL, NULL, g_get_real_time () / G_USEC_PER_SEC);
  {
    g_autofree char *hint = bt_scores_dup_confidence_hint (&scores[last],
                                                           bt_engine_get_rules (engine));

    bt_dashboard_page_set_confidence_hint (self, hint);
  }
  bt_dashboard_page_set_freshness (self, day, bt_day_today_utc (),
                                   bt_engine_get_rules (engine)->fresh_daily_days);
}
