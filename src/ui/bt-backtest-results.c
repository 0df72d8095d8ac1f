/* bt-backtest-results.c: the Backtest page's results: figures, equity
 * chart, comparison, trades list and export. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bt-backtest-page-internal.h"
#include "bt-ui-util.h"

static void
curve_clear (Curve *curve)
{
  g_clear_pointer (&curve->label, g_free);
  g_clear_pointer (&curve->values, g_free);
}
/* ---- results ----------------------------------------------------------- */

/* A metric's value as the window shows it, by its format in the core's
 * table (bt-backtest-metrics.h). */
static char *
format_metric (const BtBacktestMetric *metric,
               double                  v)
{
  switch (metric->format)
    {
    case BT_METRIC_USD:
      return bt_ui_format_usd (v);
    case BT_METRIC_PERCENT:
      return bt_ui_format_percent (v, 1);
    case BT_METRIC_COUNT:
      return bt_ui_format_number (v, 0);
    case BT_METRIC_LEVERAGE:
      return bt_ui_format_leverage (v);
    case BT_METRIC_POINTS:
      {
        g_autofree char *n = bt_ui_format_number (v, 1);
        /* Translators: percentage points, e.g. "12.5 pp" */
        return isnan (v) ? g_strdup ("—") : g_strdup_printf (_("%s pp"), n);
      }
    case BT_METRIC_RATIO:
    default:
      return bt_ui_format_number (v, 2);
    }
}

/* The metrics the window shows, by their JSON names. */
static GVariant *
metrics_variant (const BtBacktestResult *run)
{
  const BtBacktestMetric *metric;
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sd}"));
  for (guint i = 0; (metric = bt_backtest_metric_nth (BT_METRIC_VIEW_WINDOW, i)) != NULL; i++)
    g_variant_builder_add (&builder, "{sd}", metric->key, bt_backtest_metric_value (metric, run));
  return g_variant_builder_end (&builder);
}

/* What the PNG export writes above the chart (copied; NULL clears). */
void
_bt_backtest_page_set_export_text (BtBacktestPage *self,
                                   const char     *title,
                                   const char     *period,
                                   const char     *settings)
{
  g_free (self->export_title);
  g_free (self->export_period);
  g_free (self->export_settings);
  self->export_title = g_strdup (title);
  self->export_period = g_strdup (period);
  self->export_settings = g_strdup (settings);
}

/* A setting's value as the window writes it, by its unit. */
static char *
format_setting (const BtBacktestSetting *setting,
                double                   value)
{
  if (g_str_equal (setting->unit, "USD"))
    return bt_ui_format_usd (value);
  if (g_str_equal (setting->unit, "×"))
    return bt_ui_format_leverage (value);
  if (g_str_has_prefix (setting->unit, "%"))
    return bt_ui_format_percent (value, setting->decimals);
  return bt_ui_format_number (value, setting->decimals);
}

/* The settings of CONFIG in one line, as the saved runs and the PNG show
 * them: the summary part of each setting of the core's table, then how it
 * starts. */
char *
_bt_backtest_page_settings_text (const BtBacktestConfig *config)
{
  GString *out = g_string_new (NULL);
  const BtBacktestSetting *setting;

  for (guint i = 0; (setting = bt_backtest_setting_nth (i)) != NULL; i++)
    {
      g_autofree char *value = NULL;
      const char *part, *at;

      if (setting->summary == NULL)
        continue;
      value = format_setting (setting, bt_backtest_setting_get (setting, config));
      /* the part is a translated text with one %s for the value */
      part = _(setting->summary);
      at = strstr (part, "%s");
      g_string_append_len (out, part, at != NULL ? at - part : -1);
      if (at != NULL)
        g_string_append_printf (out, "%s%s", value, at + 2);
      g_string_append (out, " · ");
    }
  g_string_append (out, config->start_mode == BT_START_CASH ? _("starting in cash")
                                                            : _("starting with BTC at 1.0×"));
  return g_string_free (out, FALSE);
}

char *
_bt_backtest_page_period_text (BtDay first,
                               BtDay last)
{
  g_autofree char *from = bt_ui_format_day (first);
  g_autofree char *to = bt_ui_format_day (last);

  /* Translators: a backtest's period, e.g. "1 Jan 2020 to 31 Dec 2024" */
  return g_strdup_printf (_("%s to %s"), from, to);
}

const BtBacktestRunInfo *
_bt_backtest_page_find_info (BtBacktestPage *self,
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

char *
_bt_backtest_page_run_name (BtBacktestPage         *self,
                            const BtBacktestResult *run)
{
  const BtBacktestRunInfo *info = _bt_backtest_page_find_info (self, run->id);

  if (info != NULL && info->name != NULL && *info->name != '\0')
    return g_strdup (info->name);
  return bt_backtest_default_name (&run->config, run->first_day, run->last_day);
}

/* The metric rows are made once and only their values change: showing
 * a run builds no widgets. */
static void
set_metric_text (BtBacktestPage         *self,
                 guint                   i,
                 const BtBacktestMetric *metric,
                 const char             *text)
{
  if (self->metric_labels == NULL)
    self->metric_labels = g_ptr_array_new ();
  if (i >= self->metric_labels->len)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label = gtk_label_new (NULL);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(metric->label));
      gtk_widget_add_css_class (label, "numeric");
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_preferences_group_add (self->results_group, row);
      g_ptr_array_add (self->metric_labels, label);
    }
  gtk_label_set_label (g_ptr_array_index (self->metric_labels, i), text);
}

static void
fill_metrics (BtBacktestPage *self,
              GVariant       *results)
{
  const BtBacktestMetric *metric;

  for (guint i = 0; (metric = bt_backtest_metric_nth (BT_METRIC_VIEW_WINDOW, i)) != NULL; i++)
    {
      double v = NAN;
      g_autofree char *text = NULL;

      if (!g_variant_lookup (results, metric->key, "d", &v))
        v = NAN;
      text = format_metric (metric, v);
      set_metric_text (self, i, metric, text);
    }
}

void
_bt_backtest_page_clear_curves (BtBacktestPage *self)
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

/* The curves: the strategy, buying and holding with the same capital
 * (BACKTEST.md's BTC hold return) and the drawdown; O(days) arithmetic. */
static void
show_curves (BtBacktestPage         *self,
             const BtBacktestResult *run)
{
  BtChartSeries upper[2];
  BtChartSeries lower[1];
  double peak = -INFINITY, p0 = NAN;
  double *hold, *drawdown;
  guint n = run->n_days;

  _bt_backtest_page_clear_curves (self);
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
}

/* The trades: a model over the run's own array, rows made as shown. */
static void
show_trades (BtBacktestPage         *self,
             const BtBacktestResult *run)
{
  g_autofree char *title = NULL;

  bt_trade_list_set_trades (self->trades, run->trades);
  /* Translators: the heading of a backtest's trades, with their number */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Trade", "%u Trades", run->trades->len),
                           run->trades->len);
  gtk_label_set_label (self->trades_title, title);
  /* room for about five trades; the list scrolls for the rest */
  gtk_scrolled_window_set_min_content_height (self->trades_scroller,
                                              (int) MIN (run->trades->len, 5) * 90);
  gtk_widget_set_visible (self->trades_box, TRUE);
  gtk_widget_set_sensitive (self->export_csv_button, TRUE);
}

/* The run's name, period and settings, above the results and on the PNG,
 * and what bound its leverage. */
static void
show_titles (BtBacktestPage         *self,
             const BtBacktestResult *run)
{
  g_autofree char *name = _bt_backtest_page_run_name (self, run);
  g_autofree char *period = _bt_backtest_page_period_text (run->first_day, run->last_day);
  g_autofree char *settings = _bt_backtest_page_settings_text (&run->config);
  g_autofree char *subtitle = NULL;
  g_autofree char *binding = NULL;

  /* Translators: the period, then the settings of a backtest */
  subtitle = g_strdup_printf (_("%s · %s"), period, settings);
  gtk_label_set_label (self->results_title, name);
  gtk_label_set_label (self->results_subtitle, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->results_subtitle), TRUE);
  _bt_backtest_page_set_export_text (self, name, period, settings);
  binding = binding_text (run);
  gtk_label_set_label (self->binding_label, binding != NULL ? binding : "");
  gtk_widget_set_visible (GTK_WIDGET (self->binding_label), binding != NULL);
}

void
bt_backtest_page_show_run (BtBacktestPage   *self,
                           BtBacktestResult *run)
{
  g_autoptr(GVariant) values = NULL;

  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (run != NULL);

  g_clear_pointer (&self->run, bt_backtest_result_free);
  self->run = run;
  self->n_compared = 0;
  show_curves (self, run);
  show_trades (self, run);
  show_titles (self, run);
  adw_preferences_group_set_title (self->results_group, _("Results"));
  values = g_variant_ref_sink (metrics_variant (run));
  fill_metrics (self, values);
  _bt_backtest_page_go_to (self, "results");
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
  _bt_backtest_page_go_to (self, "results");
}

/* Overlay the equity of RUNS (BtBacktestResult, in the order ticked) on
 * one chart over the union of their periods, with their metrics side by
 * side. */
void
_bt_backtest_page_show_comparison (BtBacktestPage *self,
                                   GPtrArray      *runs)
{
  BtChartSeries upper[MAX_SERIES_CURVES];
  const BtBacktestMetric *metric;
  BtDay first = BT_DAY_INVALID, last = BT_DAY_INVALID;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *period = NULL;
  guint n;

  g_clear_pointer (&self->run, bt_backtest_result_free);
  _bt_backtest_page_clear_curves (self);
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
      g_autofree char *name = _bt_backtest_page_run_name (self, run);

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
  period = _bt_backtest_page_period_text (first, last);
  _bt_backtest_page_set_export_text (self, title, period, names->str);

  /* the metrics, one value per run in the curves' order */
  /* Translators: the heading of the metrics of compared runs, in the order of their numbers */
  adw_preferences_group_set_title (self->results_group, _("Results, run by run"));
  for (guint i = 0; (metric = bt_backtest_metric_nth (BT_METRIC_VIEW_WINDOW, i)) != NULL; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint r = 0; r < self->n_curves; r++)
        {
          g_autofree char *value =
            format_metric (metric, bt_backtest_metric_value (metric, g_ptr_array_index (runs, r)));

          if (text->len > 0)
            g_string_append (text, "  |  ");
          g_string_append (text, value);
        }
      set_metric_text (self, i, metric, text->str);
    }
  bt_trade_list_set_trades (self->trades, NULL);
  gtk_widget_set_visible (self->trades_box, FALSE);
  gtk_widget_set_sensitive (self->export_csv_button, FALSE);
  _bt_backtest_page_go_to (self, "results");
}

/* ---- the trades list: recycled rows ------------------------------------ */

void
_bt_backtest_page_setup_trade_row_cb (GtkSignalListItemFactory *factory,
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

void
_bt_backtest_page_bind_trade_row_cb (GtkSignalListItemFactory *factory,
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

/* ---- _bt_backtest_page_export ------------------------------------------------------------ */

void
_bt_backtest_page_export_csv (BtBacktestPage *self,
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
      bt_page_message (BT_PAGE (self), error->message);
      return;
    }
  bt_page_message (BT_PAGE (self), _("Equity and trades exported"));
}

static void
on_export_response_cb (BtFileChooser   *dialog,
                       int              response,
                       BtBacktestPage  *self)
{
  gboolean png = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "png"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = bt_file_chooser_get_file (dialog);
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (png)
        {
          if (!bt_backtest_page_export_png (self, path, 1600, 900, &error))
            bt_page_message (BT_PAGE (self), error->message);
          else
            bt_page_message (BT_PAGE (self), _("Chart exported"));
        }
      else
        g_signal_emit (self, bt_backtest_page_signals[EXPORT_CSV], 0, path);
    }
  g_clear_object (&self->chooser);
}

void
_bt_backtest_page_export (BtBacktestPage *self,
                          gboolean        png)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;
  self->chooser = bt_file_chooser_new (png ? _("Export Chart") : _("Export Equity and Trades"),
                                       GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  bt_file_chooser_set_current_name (self->chooser,
                                    png ? "btc-turbo-backtest.png" : "btc-turbo-backtest.csv");
  g_object_set_data (G_OBJECT (self->chooser), "png", GINT_TO_POINTER (png));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_export_response_cb), self);
  bt_file_chooser_show (self->chooser);
}

void
_bt_backtest_page_export_png_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  _bt_backtest_page_export (BT_BACKTEST_PAGE (widget), TRUE);
}

void
_bt_backtest_page_export_csv_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  _bt_backtest_page_export (BT_BACKTEST_PAGE (widget), FALSE);
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
