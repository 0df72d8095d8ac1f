/* test-window.c: widget tests of BTC Turbo's window, one per page. */
#define G_LOG_DOMAIN "bt-test"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "bt-base.h"
#include "bt-application.h"
#include "bt-preferences-window.h"
#include "bt-preferences-window-private.h"
#include "bt-window.h"
#include "bt-window-private.h"
#include "test-ui-common.h"
#include "bt-alerts-page-private.h"
#include "bt-backtest-page-private.h"
#include "bt-chart-view-private.h"
#include "bt-dashboard-page-private.h"
#include "bt-market-page-private.h"
#include "bt-position-page-private.h"

static BtWindow *
new_window (void)
{
  BtWindow *window = bt_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  test_ui_wait_drawn (GTK_WIDGET (window));
  return window;
}

static void
destroy_window (BtWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  test_ui_spin (20);
}

static void
test_window_pages (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  BtWindow *window = new_window ();
  static const char *names[] = { "dashboard", "market", "position", "backtest", "alerts" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.page", "s", names[i]);
      g_assert_cmpstr (bt_window_get_page (window), ==, names[i]);
      /* the page is remembered in GSettings */
      {
        g_autofree char *last = g_settings_get_string (settings, "last-page");
        g_assert_cmpstr (last, ==, names[i]);
      }
    }
  g_assert_true (BT_IS_DASHBOARD_PAGE (bt_window_get_dashboard_page (window)));
  g_assert_true (BT_IS_ALERTS_PAGE (bt_window_get_alerts_page (window)));

  /* Refresh with nothing connected: a toast, no crash */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));

  destroy_window (window);

  /* a new window opens on the last page */
  window = new_window ();
  g_assert_cmpstr (bt_window_get_page (window), ==, "alerts");
  bt_window_set_page (window, "dashboard");
  destroy_window (window);
}

static gboolean
refresh_handler_cb (BtWindow *window,
                    guint    *count)
{
  (*count)++;
  return TRUE;
}

static void
test_window_refresh_signal (void)
{
  BtWindow *window = new_window ();
  guint count = 0;

  g_signal_connect (window, "refresh-requested", G_CALLBACK (refresh_handler_cb), &count);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  g_assert_cmpuint (count, ==, 2);
  /* while a refresh runs, Refresh is disabled */
  bt_window_set_busy (window, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  g_assert_cmpuint (count, ==, 2);
  bt_window_set_busy (window, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  g_assert_cmpuint (count, ==, 3);
  destroy_window (window);
}

static void
test_dashboard_empty_and_data (void)
{
  BtWindow *window = new_window ();
  BtDashboardPage *page = bt_window_get_dashboard_page (window);
  BtScores scores;
  BtDecision decision;

  /* an empty database shows the status page with both offers */
  g_assert_true (bt_dashboard_page_get_empty (page));
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "_Import CSV…"));
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "_Download History"));

  test_ui_sample_scores (&scores, &decision);
  decision.action = BT_ACTION_REDUCE;
  decision.urgency = BT_URGENCY_HIGH;
  decision.size_percent = 50;
  decision.target_leverage = 0.75;
  bt_dashboard_page_set_data (page, bt_day_from_ymd (2024, 3, 31), 71333, &scores, &decision,
                              "Market score below 40", 1711843200);
  g_assert_false (bt_dashboard_page_get_empty (page));
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "Reduce"));
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "High urgency"));
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "Market score below 40"));
  /* MVRV Z 2.61: between knots (2, 60) and (3, 35): 60 − 25 × 0.61 = 44.75 → "45" */
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "45"));
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "Size 50 %, target leverage 0.75×"));

  bt_dashboard_page_set_empty (page);
  g_assert_true (bt_dashboard_page_get_empty (page));
  destroy_window (window);
}

static void
test_market_history (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  BtWindow *window = new_window ();
  BtMarketPage *page = bt_window_get_market_page (window);
  BtChartView *chart = bt_market_page_get_chart (page);
  const guint n = 2000;
  g_autofree double *close = g_new (double, n);
  g_autofree double *market = g_new (double, n);
  g_autofree double *cycle = g_new (double, n);
  g_autofree double *momentum = g_new (double, n);
  g_autofree double *technical = g_new (double, n);
  const double *scores[1 + BT_N_CATEGORIES] = { market, cycle, momentum, technical };
  double start, end;
  g_autofree char *description = NULL;

  for (guint i = 0; i < n; i++)
    {
      close[i] = 1000 * exp (i / 500.0);
      market[i] = 50 + 40 * sin (i / 100.0);
      cycle[i] = 20 + i / 100.0;
      momentum[i] = 70;
      technical[i] = 100 - i / 50.0;
    }
  bt_window_set_page (window, "market");
  bt_market_page_set_history (page, bt_day_from_ymd (2019, 1, 1), n, close, NULL, scores);
  test_ui_spin (100);

  /* 1Y: the last 366 days (slots 1634 … 1999) */
  bt_market_page_set_range (page, "1y");
  bt_chart_view_get_view (chart, &start, &end);
  g_assert_cmpfloat (end, ==, n - 1);
  g_assert_cmpfloat (start, ==, n - 366);
  {
    g_autofree char *range = g_settings_get_string (settings, "market-range");
    g_assert_cmpstr (range, ==, "1y");
  }

  bt_market_page_set_range (page, "all");
  bt_chart_view_get_view (chart, &start, &end);
  g_assert_cmpfloat (start, ==, 0);
  g_assert_cmpfloat (end, ==, n - 1);

  /* + zooms in by 1.5 whatever has the focus: a shortcut of the window
   * (global scope), not only of the focused chart */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  {
    GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (page));
    gboolean zoomed = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && !zoomed; i++)
      {
        g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

        if (!GTK_IS_SHORTCUT_CONTROLLER (c))
          continue;
        g_assert_cmpint (gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (c)), ==,
                         GTK_SHORTCUT_SCOPE_GLOBAL);
        for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (c)); k++)
          {
            g_autoptr(GtkShortcut) sc = g_list_model_get_item (G_LIST_MODEL (c), k);
            g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (sc));

            if (g_str_equal (trigger, "plus"))
              {
                g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (sc), 0,
                                                             GTK_WIDGET (page),
                                                             gtk_shortcut_get_arguments (sc)));
                zoomed = TRUE;
              }
          }
      }
    g_object_unref (controllers);
    g_assert_true (zoomed);
  }
  bt_chart_view_get_view (chart, &start, &end);
  g_assert_cmpfloat_with_epsilon (end - start, (n - 1) / 1.5, 1e-6);
  bt_market_page_set_range (page, "all");

  /* zooming in halves the span around the middle */
  bt_chart_view_zoom (chart, 0.5);
  bt_chart_view_get_view (chart, &start, &end);
  g_assert_cmpfloat_with_epsilon (end - start, (n - 1) * 0.5, 1e-9);

  /* the crosshair reads the nearest day; screen readers get its values:
   * slot 1000 is 2019-01-01 + 1000 days: + 365 (2019) + 366 (2020) = 2021-01-01,
   * then 269 days more, 2021-09-01 being day 243, = 2021-09-27; close 1000 e² */
  bt_chart_view_set_cursor (chart, 1000.3);
  g_assert_cmpfloat (bt_chart_view_get_cursor (chart), ==, 1000);
  description = bt_chart_view_dup_description (chart);
  g_assert_nonnull (strstr (description, "BTC"));
  g_assert_nonnull (strstr (description, "$7,389"));
  /* the crosshair's read-out: the day, the price, the market score
   * 50 + 40 sin 10 = 50 − 21.76 = 28.24 → 28, and the categories: cycle
   * 20 + 1000/100 = 30, momentum 70, technical 100 − 1000/50 = 80 */
  g_assert_cmpstr (bt_chart_view_get_readout (chart), ==,
                   "27 Sep 2021\nBTC $7,389\nMarket score 28\nCycle 30\nMomentum 70\nTechnical 80");
  g_assert_nonnull (strstr (description, "Market score 28; Cycle 30; Momentum 70; Technical 80"));
  bt_chart_view_set_cursor (chart, NAN);
  g_assert_null (bt_chart_view_get_readout (chart));

  /* the range preset comes back in a new window */
  bt_market_page_set_range (page, "6m");
  destroy_window (window);
  window = new_window ();
  g_assert_cmpstr (bt_market_page_get_range (bt_window_get_market_page (window)), ==, "6m");
  bt_market_page_set_range (bt_window_get_market_page (window), "1y");
  destroy_window (window);
}

static void
on_wallet_added_cb (BtPositionPage *page,
                    const char     *address,
                    GPtrArray      *added)
{
  g_ptr_array_add (added, g_strdup (address));
}

static void
test_position_wallets (void)
{
  BtWindow *window = new_window ();
  BtPositionPage *page = bt_window_get_position_page (window);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
  const char *good = "0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c";
  BtPositionState state = { TRUE, 100000, 40000, 100000 / 60000.0, 1.95, 36923, 48.7, 84.5 };

  bt_window_set_page (window, "position");
  g_signal_connect (page, "wallet-added", G_CALLBACK (on_wallet_added_cb), added);

  /* bad addresses: a clear inline error, nothing added */
  bt_position_page_submit_address (page, "0x1234");
  g_assert_nonnull (bt_position_page_get_entry_error (page));
  bt_position_page_submit_address (page, "0xZZ0b54D5dc17e0AadC383d2db43B0a0D3E029c4c");
  g_assert_nonnull (bt_position_page_get_entry_error (page));
  g_assert_cmpuint (bt_position_page_get_n_wallets (page), ==, 0);
  g_assert_cmpuint (added->len, ==, 0);

  bt_position_page_submit_address (page, good);
  g_assert_null (bt_position_page_get_entry_error (page));
  g_assert_cmpuint (bt_position_page_get_n_wallets (page), ==, 1);
  g_assert_cmpstr (g_ptr_array_index (added, 0), ==, good);

  /* the same address again (other case) is refused */
  bt_position_page_submit_address (page, "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c");
  g_assert_nonnull (bt_position_page_get_entry_error (page));
  g_assert_cmpuint (bt_position_page_get_n_wallets (page), ==, 1);

  /* an Aave position: HF 1.95, liquidation at $36,923 */
  bt_position_page_set_position (page, good, &state);
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "1.95"));
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "$36,923"));
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "1.67×"));

  bt_position_page_remove_wallet (page, good);
  g_assert_cmpuint (bt_position_page_get_n_wallets (page), ==, 0);
  destroy_window (window);
}

typedef struct
{
  guint  runs;
  guint  cancels;
  char  *capital;
} RunLog;

static gboolean
on_run_requested_cb (BtBacktestPage         *page,
                     const BtBacktestConfig *config,
                     RunLog                 *log)
{
  log->runs++;
  g_assert_nonnull (config);
  g_free (log->capital);
  log->capital = g_strdup_printf ("%.2f", config->initial_capital);
  return TRUE;
}

static void
on_cancel_requested_cb (BtBacktestPage *page,
                        RunLog         *log)
{
  log->cancels++;
}

static void
test_backtest_wizard (void)
{
  BtWindow *window = new_window ();
  BtBacktestPage *page = bt_window_get_backtest_page (window);
  RunLog log = { 0 };
  GVariantBuilder metrics;

  bt_window_set_page (window, "backtest");
  g_assert_cmpstr (bt_backtest_page_get_step (page), ==, "period");
  g_assert_null (bt_backtest_page_get_error (page));

  /* bad values: an inline error, Next does nothing, no config */
  bt_backtest_page_set_text (page, "initial_capital", "ten thousand");
  g_assert_nonnull (bt_backtest_page_get_error (page));
  {
    BtBacktestConfig config;

    g_assert_false (bt_backtest_page_get_config (page, &config));
  }
  gtk_widget_activate_action (GTK_WIDGET (page), "backtest.next", NULL);
  g_assert_cmpstr (bt_backtest_page_get_step (page), ==, "period");
  bt_backtest_page_set_text (page, "start_date", "2020-02-30");
  bt_backtest_page_set_text (page, "initial_capital", "5000,5");   /* pt_BR decimal comma */
  g_assert_nonnull (bt_backtest_page_get_error (page));
  bt_backtest_page_set_text (page, "start_date", "2019-01-01");
  bt_backtest_page_set_text (page, "end_date", "2019-01-10");     /* under 30 days */
  g_assert_nonnull (bt_backtest_page_get_error (page));
  bt_backtest_page_set_text (page, "end_date", "2019-12-31");
  g_assert_null (bt_backtest_page_get_error (page));
  gtk_widget_activate_action (GTK_WIDGET (page), "backtest.next", NULL);
  g_assert_cmpstr (bt_backtest_page_get_step (page), ==, "strategy");

  bt_backtest_page_set_text (page, "fee_pct", "-1");
  g_assert_nonnull (bt_backtest_page_get_error (page));
  bt_backtest_page_set_text (page, "fee_pct", "0.1");
  bt_backtest_page_set_text (page, "ltv", "0.9");    /* above the liquidation threshold 0.78 */
  g_assert_nonnull (bt_backtest_page_get_error (page));
  bt_backtest_page_set_text (page, "ltv", "0.73");
  g_assert_null (bt_backtest_page_get_error (page));
  gtk_widget_activate_action (GTK_WIDGET (page), "backtest.next", NULL);
  g_assert_cmpstr (bt_backtest_page_get_step (page), ==, "review");

  /* without anyone to run it, the wizard stays on review */
  gtk_widget_activate_action (GTK_WIDGET (page), "backtest.run", NULL);
  g_assert_cmpstr (bt_backtest_page_get_step (page), ==, "review");

  g_signal_connect (page, "run-requested", G_CALLBACK (on_run_requested_cb), &log);
  g_signal_connect (page, "cancel-requested", G_CALLBACK (on_cancel_requested_cb), &log);
  gtk_widget_activate_action (GTK_WIDGET (page), "backtest.run", NULL);
  g_assert_cmpstr (bt_backtest_page_get_step (page), ==, "running");
  g_assert_cmpstr (log.capital, ==, "5000.50");
  bt_backtest_page_set_progress (page, 0.4);

  /* a cancelled run goes back to review */
  gtk_widget_activate_action (GTK_WIDGET (page), "backtest.cancel", NULL);
  g_assert_cmpuint (log.cancels, ==, 1);
  g_assert_cmpstr (bt_backtest_page_get_step (page), ==, "review");

  /* a finished run shows its results */
  gtk_widget_activate_action (GTK_WIDGET (page), "backtest.run", NULL);
  g_assert_cmpuint (log.runs, ==, 2);
  g_variant_builder_init (&metrics, G_VARIANT_TYPE ("a{sd}"));
  g_variant_builder_add (&metrics, "{sd}", "final_value", 18250.0);
  g_variant_builder_add (&metrics, "{sd}", "total_return", 82.5);
  g_variant_builder_add (&metrics, "{sd}", "total_trades", 14.0);
  bt_backtest_page_show_results (page, g_variant_builder_end (&metrics));
  g_assert_cmpstr (bt_backtest_page_get_step (page), ==, "results");
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "$18,250"));
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "82.5 %"));

  g_free (log.capital);
  destroy_window (window);
}

static void
on_acknowledged_cb (BtAlertsPage *page,
                    gint64        id,
                    GArray       *ids)
{
  g_array_append_val (ids, id);
}

static void
test_alerts_acknowledge (void)
{
  BtWindow *window = new_window ();
  BtAlertsPage *page = bt_window_get_alerts_page (window);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_cmpuint (bt_alerts_page_get_n_alerts (page), ==, 0);
  g_signal_connect (page, "acknowledged", G_CALLBACK (on_acknowledged_cb), ids);
  bt_alerts_page_set_alert (page, 1, BT_SEVERITY_CRITICAL, "Health factor 1.21 is below 1.25",
                            1711843200, 0, 0);
  bt_alerts_page_set_alert (page, 2, BT_SEVERITY_WARNING, "BTC moved −11.2 % in 24 hours",
                            1711846800, 0, 0);
  bt_alerts_page_set_alert (page, 3, BT_SEVERITY_INFO, "Market score crossed 60 upwards",
                            1711800000, 1711810000, 0);
  g_assert_cmpuint (bt_alerts_page_get_n_active (page), ==, 2);
  bt_window_show_alert (window, 2);
  g_assert_cmpstr (bt_window_get_page (window), ==, "alerts");

  bt_alerts_page_acknowledge (page, 1);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 1);
  g_assert_true (bt_alerts_page_get_acknowledged (page, 1));
  g_assert_cmpuint (bt_alerts_page_get_n_active (page), ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (page), "alerts.acknowledge-all", NULL);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 2);
  g_assert_cmpuint (bt_alerts_page_get_n_active (page), ==, 0);
  /* nothing left to acknowledge: nothing more is emitted */
  gtk_widget_activate_action (GTK_WIDGET (page), "alerts.acknowledge-all", NULL);
  g_assert_cmpuint (ids->len, ==, 2);
  destroy_window (window);
}

static void
test_preferences_invalid (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  BtPreferencesWindow *prefs = bt_preferences_window_new (settings);
  g_autoptr(GVariant) urls = NULL;
  const char *url = NULL;

  gtk_window_present (GTK_WINDOW (prefs));
  test_ui_wait_drawn (GTK_WIDGET (prefs));

  /* bad values: an inline error and nothing saved */
  g_assert_false (bt_preferences_window_apply_text (prefs, "daily-report-time", "25:99"));
  g_assert_nonnull (bt_preferences_window_get_error (prefs));
  g_assert_cmpuint (g_settings_get_uint (settings, "daily-report-time"), ==, 480);
  g_assert_false (bt_preferences_window_apply_text (prefs, "daily-report-time", "8h"));
  g_assert_cmpuint (g_settings_get_uint (settings, "daily-report-time"), ==, 480);
  /* 07:30 is 7 × 60 + 30 = 450 minutes */
  g_assert_true (bt_preferences_window_apply_text (prefs, "daily-report-time", "07:30"));
  g_assert_null (bt_preferences_window_get_error (prefs));
  g_assert_cmpuint (g_settings_get_uint (settings, "daily-report-time"), ==, 450);

  g_assert_false (bt_preferences_window_apply_text (prefs, "base-url:binance", "ftp://mirror"));
  g_assert_nonnull (bt_preferences_window_get_error (prefs));
  urls = g_settings_get_value (settings, "base-urls");
  g_assert_false (g_variant_lookup (urls, "binance", "&s", &url));
  g_clear_pointer (&urls, g_variant_unref);
  g_assert_true (bt_preferences_window_apply_text (prefs, "base-url:binance",
                                                   "http://127.0.0.1:8080"));
  urls = g_settings_get_value (settings, "base-urls");
  g_assert_true (g_variant_lookup (urls, "binance", "&s", &url));
  g_assert_cmpstr (url, ==, "http://127.0.0.1:8080");

  g_settings_reset (settings, "daily-report-time");
  g_settings_reset (settings, "base-urls");
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static void
test_window_background (void)
{
  g_autoptr(BtApplication) app = bt_application_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  BtWindow *window;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = bt_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  test_ui_wait_drawn (GTK_WIDGET (window));

  /* with "keep running in the background", closing only hides the window */
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  gtk_window_close (GTK_WINDOW (window));
  test_ui_spin (50);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (g_list_find (gtk_application_get_windows (GTK_APPLICATION (app)), window) != NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  /* without it, closing destroys the window */
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  gtk_window_close (GTK_WINDOW (window));
  test_ui_spin (50);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

/* Whether some label under ROOT shows text. */
static gboolean
has_text_label (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if ((GTK_IS_LABEL (child) && *gtk_label_get_text (GTK_LABEL (child)) != '\0')
        || has_text_label (child))
      return TRUE;
  return FALSE;
}

/* A button's name for screen readers: its label, a label inside it, or its
 * tooltip (GTK 4.8 reads the tooltip when there is no label). */
static gboolean
button_is_labelled (GtkWidget *button)
{
  const char *label = GTK_IS_BUTTON (button) ? gtk_button_get_label (GTK_BUTTON (button)) : NULL;

  if (label != NULL && *label != '\0' && !GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (button))))
    return TRUE;
  if (gtk_widget_get_tooltip_text (button) != NULL && *gtk_widget_get_tooltip_text (button) != '\0')
    return TRUE;
  return has_text_label (button);
  return FALSE;
}

static void
collect_unlabelled (GtkWidget *root,
                    GString   *out)
{
  /* GtkWindowControls and GtkSpinButton label their own buttons for
   * screen readers ("Close", "Increase", "Decrease") */
  if (GTK_IS_WINDOW_CONTROLS (root) || GTK_IS_SPIN_BUTTON (root))
    return;
  /* a GtkMenuButton's inner button takes the menu button's tooltip */
  if (GTK_IS_BUTTON (root) && !button_is_labelled (root)
      && !(GTK_IS_MENU_BUTTON (gtk_widget_get_parent (root))
           && button_is_labelled (gtk_widget_get_parent (root))))
    g_string_append_printf (out, " %s(%s in %s)", G_OBJECT_TYPE_NAME (root),
                            GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (root)))
                            ? gtk_image_get_icon_name (GTK_IMAGE (gtk_button_get_child (GTK_BUTTON (root))))
                            : "", G_OBJECT_TYPE_NAME (gtk_widget_get_parent (root)));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unlabelled (child, out);
}

static void
test_buttons_labelled (void)
{
  BtWindow *window = new_window ();
  BtScores scores;
  BtDecision decision;
  BtPositionState state = { TRUE, 100000, 40000, 100000 / 60000.0, 1.95, 36923, 48.7, 84.5 };
  static const char *names[] = { "dashboard", "market", "position", "backtest", "alerts" };
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  BtPreferencesWindow *prefs;

  /* every page with content: rows with their own buttons */
  test_ui_sample_scores (&scores, &decision);
  bt_dashboard_page_set_data (bt_window_get_dashboard_page (window), bt_day_from_ymd (2024, 3, 31),
                              71333, &scores, &decision, "Hold", 1711843200);
  bt_position_page_set_position (bt_window_get_position_page (window),
                                 "0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c", &state);
  bt_alerts_page_set_alert (bt_window_get_alerts_page (window), 1, BT_SEVERITY_CRITICAL,
                            "Health factor 1.21 is below 1.25", 1711843200, 0, 0);
  bt_backtest_page_add_saved_run (bt_window_get_backtest_page (window), "run-1", "A run", "Return");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      bt_window_set_page (window, names[i]);
      test_ui_spin (50);
    }
  collect_unlabelled (GTK_WIDGET (window), missing);
  g_assert_cmpstr (missing->str, ==, "");

  prefs = bt_preferences_window_new (settings);
  gtk_window_present (GTK_WINDOW (prefs));
  test_ui_wait_drawn (GTK_WIDGET (prefs));
  collect_unlabelled (GTK_WIDGET (prefs), missing);
  g_assert_cmpstr (missing->str, ==, "");
  gtk_window_destroy (GTK_WINDOW (prefs));
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/window/pages", test_window_pages);
  g_test_add_func ("/ui/window/refresh-signal", test_window_refresh_signal);
  g_test_add_func ("/ui/dashboard/empty-and-data", test_dashboard_empty_and_data);
  g_test_add_func ("/ui/market/history", test_market_history);
  g_test_add_func ("/ui/position/wallets", test_position_wallets);
  g_test_add_func ("/ui/backtest/wizard", test_backtest_wizard);
  g_test_add_func ("/ui/alerts/acknowledge", test_alerts_acknowledge);
  g_test_add_func ("/ui/preferences/invalid", test_preferences_invalid);
  g_test_add_func ("/ui/window/background", test_window_background);
  g_test_add_func ("/ui/window/buttons-labelled", test_buttons_labelled);

  return g_test_run ();
}
