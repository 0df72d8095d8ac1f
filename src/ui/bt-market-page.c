/* bt-market-page.c: the Market page of BTC Turbo. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bt-market-page.h"
#include "bt-market-page-private.h"
#include "bt-ui-util.h"

struct _BtMarketPage
{
  BtPage           parent_instance;

  GtkStack        *stack;
  GtkToggleButton *range_1m;
  GtkToggleButton *range_6m;
  GtkToggleButton *range_1y;
  GtkToggleButton *range_4y;
  GtkToggleButton *range_all;
  BtChartView     *chart;

  GSettings       *settings;
  char            *range;
  guint            n;
  double          *close;
  double          *ema[BT_N_EMA_PERIODS];
  double          *scores[1 + BT_N_CATEGORIES];   /* market, then the categories */
  gboolean         updating;
};

G_DEFINE_FINAL_TYPE (BtMarketPage, bt_market_page, BT_TYPE_PAGE)

static const struct
{
  const char *name;
  guint       days;
} ranges[] = {
  { "1m", 31 }, { "6m", 183 }, { "1y", 366 }, { "4y", 1461 }, { "all", 0 },
};

static GtkToggleButton *
range_button (BtMarketPage *self,
              const char   *name)
{
  GtkToggleButton *buttons[] = { self->range_1m, self->range_6m, self->range_1y, self->range_4y,
                                 self->range_all };

  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    if (g_strcmp0 (ranges[i].name, name) == 0)
      return buttons[i];
  return NULL;
}

static void
apply_range (BtMarketPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    if (g_strcmp0 (ranges[i].name, self->range) == 0)
      bt_chart_view_show_last (self->chart, ranges[i].days);
}

static void
on_range_toggled_cb (GtkToggleButton *button,
                     BtMarketPage    *self)
{
  if (self->updating || !gtk_toggle_button_get_active (button))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    if (range_button (self, ranges[i].name) == button)
      bt_market_page_set_range (self, ranges[i].name);
}

static void
on_log_toggled_cb (GtkToggleButton *button,
                   BtMarketPage    *self)
{
  bt_chart_view_set_log_scale (self->chart, gtk_toggle_button_get_active (button));
}

static double *
copy_column (const double *values,
             guint         n)
{
  return values != NULL ? g_memdup2 (values, sizeof (double) * n) : NULL;
}

static void
free_columns (BtMarketPage *self)
{
  g_clear_pointer (&self->close, g_free);
  for (guint i = 0; i < 1 + BT_N_CATEGORIES; i++)
    g_clear_pointer (&self->scores[i], g_free);
  for (guint i = 0; i < BT_N_EMA_PERIODS; i++)
    g_clear_pointer (&self->ema[i], g_free);
}

static void
bt_market_page_finalize (GObject *object)
{
  BtMarketPage *self = BT_MARKET_PAGE (object);

  free_columns (self);
  g_free (self->range);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bt_market_page_parent_class)->finalize (object);
}

static void reload (BtPage *page);

static void
bt_market_page_class_init (BtMarketPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bt_market_page_finalize;
  BT_PAGE_CLASS (klass)->reload = reload;

  g_type_ensure (BT_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/btcturbo/BtcTurbo/ui/bt-market-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BtMarketPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BtMarketPage, range_1m);
  gtk_widget_class_bind_template_child (widget_class, BtMarketPage, range_6m);
  gtk_widget_class_bind_template_child (widget_class, BtMarketPage, range_1y);
  gtk_widget_class_bind_template_child (widget_class, BtMarketPage, range_4y);
  gtk_widget_class_bind_template_child (widget_class, BtMarketPage, range_all);
  gtk_widget_class_bind_template_child (widget_class, BtMarketPage, chart);
  gtk_widget_class_bind_template_callback (widget_class, on_range_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_log_toggled_cb);
}

static void add_zoom_shortcuts (BtMarketPage *self);

static void
bt_market_page_init (BtMarketPage *self)
{
  static const double guides[] = { 40, 60, 80 };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  bt_chart_view_set_log_scale (self->chart, TRUE);
  bt_chart_view_set_lower_range (self->chart, 0, 100);
  /* the levels of SCORING.md whose crossing raises an alert */
  bt_chart_view_set_lower_guides (self->chart, guides, G_N_ELEMENTS (guides));
  bt_chart_view_set_readout_first_only (self->chart, TRUE);
  bt_chart_view_set_format_func (self->chart, FALSE, bt_ui_chart_format_usd, NULL);
  bt_chart_view_set_format_func (self->chart, TRUE, bt_ui_chart_format_score, NULL);
  bt_chart_view_set_empty_text (self->chart, _("No price history"));
  bt_market_page_set_range (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  add_zoom_shortcuts (self);
}

/* + and - zoom whenever the page is shown, wherever the focus is (not
 * only once the chart has it), except while typing in a text field. */
static gboolean
zoom_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  BtMarketPage *self = BT_MARKET_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (!gtk_widget_get_mapped (widget) || self->n == 0 || GTK_IS_EDITABLE (focus)
      || GTK_IS_TEXT (focus))
    return FALSE;
  bt_chart_view_zoom (self->chart, g_variant_get_boolean (args) ? 1 / 1.5 : 1.5);
  return TRUE;
}

static void
add_zoom_shortcuts (BtMarketPage *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  static const struct { guint key; gboolean in; } keys[] = {
    { GDK_KEY_plus, TRUE }, { GDK_KEY_equal, TRUE }, { GDK_KEY_KP_Add, TRUE },
    { GDK_KEY_minus, FALSE }, { GDK_KEY_KP_Subtract, FALSE },
  };

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_GLOBAL);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, 0),
                                                gtk_callback_action_new (zoom_shortcut_cb, NULL, NULL));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_boolean (keys[i].in));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

void
bt_market_page_set_history (BtMarketPage       *self,
                            BtDay               first_day,
                            guint               n,
                            const double       *close,
                            const double *const ema[BT_N_EMA_PERIODS],
                            const double *const scores[1 + BT_N_CATEGORIES])
{
  BtChartSeries upper[1 + BT_N_EMA_PERIODS];
  BtChartSeries lower[1 + BT_N_CATEGORIES];
  char *labels[BT_N_EMA_PERIODS] = { NULL };
  guint n_upper = 0, n_lower = 0;

  g_return_if_fail (BT_IS_MARKET_PAGE (self));
  g_return_if_fail (n == 0 || close != NULL);

  free_columns (self);
  self->n = n;
  self->close = copy_column (close, n);
  for (guint i = 0; i < 1 + BT_N_CATEGORIES; i++)
    self->scores[i] = scores != NULL ? copy_column (scores[i], n) : NULL;
  for (guint i = 0; i < BT_N_EMA_PERIODS; i++)
    self->ema[i] = ema != NULL ? copy_column (ema[i], n) : NULL;

  memset (upper, 0, sizeof upper);
  memset (lower, 0, sizeof lower);
  upper[n_upper++] = (BtChartSeries) { _("BTC"), self->close, { 0, 0, 0, 0 }, 2, FALSE };
  for (guint i = 0; i < BT_N_EMA_PERIODS; i++)
    {
      if (self->ema[i] == NULL)
        continue;
      /* Translators: a moving average of the price, e.g. "EMA 144" */
      labels[i] = g_strdup_printf (_("EMA %u"), bt_ema_periods[i]);
      upper[n_upper++] = (BtChartSeries) { labels[i], self->ema[i], { 0, 0, 0, 0 }, 1, FALSE };
    }
  /* the market score drawn; the categories only read out (hidden) */
  if (self->scores[0] != NULL)
    {
      lower[n_lower++] = (BtChartSeries) { _("Market score"), self->scores[0], { 0, 0, 0, 0 }, 1.5,
                                           TRUE, FALSE };
      for (guint c = 0; c < BT_N_CATEGORIES; c++)
        if (self->scores[1 + c] != NULL)
          lower[n_lower++] = (BtChartSeries) { bt_ui_category_title (c), self->scores[1 + c],
                                               { 0, 0, 0, 0 }, 1, FALSE, TRUE };
    }

  bt_chart_view_set_data (self->chart, first_day, n, upper, n_upper, lower, n_lower);
  apply_range (self);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "content" : "empty");

  for (guint i = 0; i < BT_N_EMA_PERIODS; i++)
    g_clear_pointer (&labels[i], g_free);
}

void
bt_market_page_set_range (BtMarketPage *self,
                          const char   *range)
{
  g_autofree char *saved = NULL;
  GtkToggleButton *button;

  g_return_if_fail (BT_IS_MARKET_PAGE (self));

  if (range == NULL)
    range = saved = g_settings_get_string (self->settings, "market-range");
  button = range_button (self, range);
  if (button == NULL)
    return;

  g_free (self->range);
  self->range = g_strdup (range);
  self->updating = TRUE;
  gtk_toggle_button_set_active (button, TRUE);
  self->updating = FALSE;
  if (saved == NULL)
    g_settings_set_string (self->settings, "market-range", range);
  apply_range (self);
}

const char *
bt_market_page_get_range (BtMarketPage *self)
{
  g_return_val_if_fail (BT_IS_MARKET_PAGE (self), NULL);
  return self->range;
}

BtChartView *
bt_market_page_get_chart (BtMarketPage *self)
{
  g_return_val_if_fail (BT_IS_MARKET_PAGE (self), NULL);
  return self->chart;
}

/* ---- the page's own data ------------------------------------------------ */

/* Shows the context's closes, daily EMAs and scores (the empty state
 * without data). */
static void
reload (BtPage *page)
{
  BtMarketPage *self = BT_MARKET_PAGE (page);
  static const BtIndicator emas[BT_N_EMA_PERIODS] = {
    BT_IND_EMA_17_1D, BT_IND_EMA_34_1D, BT_IND_EMA_144_1D, BT_IND_EMA_305_1D, BT_IND_EMA_610_1D
  };
  BtEngine *engine = bt_page_get_engine (BT_PAGE (self));
  const BtHistory *history;
  const BtIndicatorTable *table;
  const BtScores *scores;
  const double *ema[BT_N_EMA_PERIODS];
  double *columns[1 + BT_N_CATEGORIES];
  guint n;

  history = engine != NULL ? bt_engine_get_history (engine) : NULL;
  table = engine != NULL ? bt_engine_get_table (engine) : NULL;
  scores = engine != NULL ? bt_engine_get_scores (engine) : NULL;
  if (history == NULL || table == NULL || scores == NULL || table->n_days == 0)
    {
      bt_market_page_set_history (self, BT_DAY_INVALID, 0, NULL, NULL, NULL);
      return;
    }
  n = table->n_days;
  for (guint c = 0; c < 1 + BT_N_CATEGORIES; c++)
    columns[c] = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      columns[0][i] = scores[i].market;
      for (guint c = 0; c < BT_N_CATEGORIES; c++)
        columns[1 + c][i] = scores[i].category[c];
    }
  for (guint i = 0; i < BT_N_EMA_PERIODS; i++)
    ema[i] = table->value[emas[i]];
  bt_market_page_set_history (self, table->first_day, n, table->value[BT_IND_BTC_PRICE], ema,
                              (const double *const *) columns);
  for (guint c = 0; c < 1 + BT_N_CATEGORIES; c++)
    g_free (columns[c]);
}
