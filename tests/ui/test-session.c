/* test-session.c: the window over a real BTC Turbo database (store, engine,
 * import, backtest, wallets, alerts), without network. */
#define G_LOG_DOMAIN "bt-test"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "bt-backtest-store.h"
#include "bt-base.h"
#include "bt-engine.h"
#include "bt-preferences-window.h"
#include "bt-preferences-window-private.h"
#include "bt-rules.h"
#include "bt-session.h"
#include "bt-session-private.h"
#include "bt-store.h"
#include "bt-test-events.h"
#include "bt-window.h"
#include "bt-test-util.h"
#include "test-ui-common.h"
#include "bt-alerts-page-private.h"
#include "bt-backtest-page-private.h"
#include "bt-chart-view-private.h"
#include "bt-dashboard-page-private.h"
#include "bt-market-page-private.h"
#include "bt-position-page-private.h"

#define N_DAYS 800

static GThread *test_thread;   /* the thread of main (), which runs the window */

typedef TestUiSession Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  test_ui_session_open (f, "bt-ui-session-XXXXXX", 1000, 700);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_ui_session_close (f);
}

static void
import_history (Fixture *f)
{
  g_autofree char *path = test_ui_write_history (f->dir, bt_day_from_ymd (2020, 1, 1), N_DAYS);

  test_ui_import_file (f->session, path);
}

static void
test_empty_database (Fixture       *f,
                     gconstpointer  data)
{
  /* a new database: the dashboard offers Import and Download */
  g_assert_true (bt_dashboard_page_get_empty (bt_window_get_dashboard_page (f->window)));
  g_assert_true (g_file_test (f->db_path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (bt_alerts_page_get_n_alerts (bt_window_get_alerts_page (f->window)), ==, 0);
}

static gboolean
is_hint_label (GtkWidget     *widget,
               gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix)
         && strstr (gtk_label_get_label (GTK_LABEL (widget)), "would lift") != NULL;
}

static void
test_imported_history (Fixture       *f,
                       gconstpointer  data)
{
  BtMarketPage *market = bt_window_get_market_page (f->window);
  double start, end;
  g_autofree char *description = NULL;

  import_history (f);
  g_assert_false (bt_dashboard_page_get_empty (bt_window_get_dashboard_page (f->window)));
  /* price-only history: the decision card names the missing inputs by
   * their share of the nominal weights (adaptive profile, docs/rulebook.md
   * §3): MVRV Z 70 × 25/50 = 35, realized price ratio 28, Puell 7, funding
   * 25 × 7/28 = 6.25 */
  {
    GtkWidget *hint = test_ui_find (GTK_WIDGET (bt_window_get_dashboard_page (f->window)),
                                    is_hint_label, "Confidence ");

    g_assert_nonnull (hint);
    g_assert_true (gtk_widget_get_visible (hint));
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (hint)),
                              ": data for mvrv_z_score (+35), realized_price_ratio (+28), "
                              "puell_multiple (+7), funding_rate_7d (+6)"));
  }
  test_ui_wait_drawn (GTK_WIDGET (f->window));
  test_ui_spin (600);
  test_ui_save_png (adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->window)),
                    g_getenv ("G_TEST_BUILDDIR"), "session-dashboard");

  /* the whole history is on the chart: 800 slots, 0 … 799 */
  bt_market_page_set_range (market, "all");
  bt_chart_view_get_view (bt_market_page_get_chart (market), &start, &end);
  g_assert_cmpfloat (start, ==, 0);
  g_assert_cmpfloat (end, ==, N_DAYS - 1);
  /* read-out of the last day, 2020-01-01 + 799 = 2022-03-10 */
  description = bt_chart_view_dup_description (bt_market_page_get_chart (market));
  g_assert_nonnull (strstr (description, "10 Mar 2022"));
  bt_market_page_set_range (market, "1y");

  /* the daily report as PDF, with the gauge and the price chart */
  {
    gsize len = 0;
    g_autofree char *contents = test_ui_export_report (f, &len, NULL);

    if (g_getenv ("BT_KEEP_REPORT") != NULL)
      {
        g_autofree char *copy = g_build_filename (g_getenv ("BT_KEEP_REPORT"), "report.pdf", NULL);
        g_file_set_contents (copy, contents, len, NULL);
      }
  }
}

static gboolean
step_is (BtBacktestPage *page,
         const char     *step)
{
  return g_strcmp0 (bt_backtest_page_get_step (page), step) == 0;
}

/* A backtest page action, in the event log with the step it leads to. */
static void
backtest_action (BtBacktestPage *page,
                 const char     *action)
{
  bt_test_event ("%s (on step %s)", action, bt_backtest_page_get_step (page));
  gtk_widget_activate_action (GTK_WIDGET (page), action, NULL);
  bt_test_event ("  now on step %s, progress %.4f", bt_backtest_page_get_step (page),
                 bt_backtest_page_get_progress (page));
}

static void
on_fraction_cb (GtkProgressBar *bar,
                GParamSpec     *pspec,
                GArray         *fractions)
{
  double fraction = gtk_progress_bar_get_fraction (bar);

  bt_test_event ("progress bar: %.4f", fraction);
  /* the bar is GTK: only ever set in the thread that runs the window */
  g_assert_true (g_thread_self () == test_thread);
  g_array_append_val (fractions, fraction);
}

/* How many rows LIST finds in the database, read on a connection of its
 * own (as another process would). */
static guint
n_stored (Fixture    *f,
          GPtrArray *(*list) (BtStore *store, GError **error))
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_store_open (f->db_path, &error);
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_no_error (error);
  rows = list (store, &error);
  g_assert_no_error (error);
  return rows->len;
}

static void
test_backtest_run_and_cancel (Fixture       *f,
                              gconstpointer  data)
{
  BtBacktestPage *page = bt_window_get_backtest_page (f->window);
  GtkWidget *bar = test_ui_find_type (GTK_WIDGET (page), GTK_TYPE_PROGRESS_BAR);
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  gulong handler;

  g_assert_nonnull (bar);
  bt_test_events_start (g_test_get_path ());
  import_history (f);
  bt_window_set_page (f->window, "backtest");
  bt_backtest_page_set_text (page, "start_date", "2020-01-01");
  bt_backtest_page_set_text (page, "end_date", "2022-03-10");
  backtest_action (page, "backtest.next");
  backtest_action (page, "backtest.next");
  g_assert_true (step_is (page, "review"));
  /* price-only history: the review warns that decisions will be held for
   * want of data (the on-chain inputs are missing on all 800 days) */
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "The data do not cover this period"));
  test_ui_wait_drawn (GTK_WIDGET (f->window));
  test_ui_spin (600);
  test_ui_save_png (adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->window)),
                    g_getenv ("G_TEST_BUILDDIR"), "session-backtest-review");
  /* the Rules row: as in Preferences (the engine's rules, adaptive by
   * default), or a profile */
  {
    BtEngine *engine = bt_context_get_engine (bt_session_get_context (f->session));
    BtBacktestConfig config;

    g_assert_cmpint (bt_engine_get_rules (engine)->profile, ==, BT_RULES_PROFILE_ADAPTIVE);
    g_assert_true (bt_backtest_page_get_config (page, &config));
    g_assert_cmpint (config.rules.profile, ==, BT_RULES_PROFILE_ADAPTIVE);
    g_assert_cmpfloat (config.rules.entry_market, ==, bt_engine_get_rules (engine)->entry_market);
    g_assert_true (bt_backtest_page_set_text (page, "profile", "seed-v5"));
    g_assert_true (bt_backtest_page_get_config (page, &config));
    g_assert_cmpint (config.rules.profile, ==, BT_RULES_PROFILE_SEED_V5);
  }
  g_assert_false (bt_backtest_page_set_text (page, "profile", "seed-v4"));
  g_assert_true (bt_backtest_page_set_text (page, "profile", ""));

  /* a run computes off the main thread, its progress bar filling with the
   * fraction of days done, then shows its results */
  handler = g_signal_connect (bar, "notify::fraction", G_CALLBACK (on_fraction_cb), fractions);
  backtest_action (page, "backtest.run");
  g_assert_true (step_is (page, "running"));
  g_assert_true (bt_session_get_backtest_running (f->session));
  TEST_UI_WAIT_UNTIL (!step_is (page, "running"));
  bt_test_event ("the run ended, on step %s", bt_backtest_page_get_step (page));
  g_assert_true (step_is (page, "results"));
  g_assert_false (bt_session_get_backtest_running (f->session));
  /* 800 days: the 0 of the start, then a report every 8 days (99 of them)
   * and one at the end, rising to 1 */
  g_assert_cmpuint (fractions->len, >, 2);
  g_assert_cmpuint (fractions->len, ==, 1 + 99 + 1);
  g_assert_cmpfloat (g_array_index (fractions, double, 1), ==, 8.0 / 800);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, double, i), >,
                       g_array_index (fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1);
  g_assert_cmpfloat (bt_backtest_page_get_progress (page), ==, 1);
  g_assert_cmpuint (n_stored (f, bt_backtest_store_list), ==, 1);
  test_ui_spin (200);
  test_ui_save_png (adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->window)),
                    g_getenv ("G_TEST_BUILDDIR"), "session-backtest-results");

  /* exports: the chart as PNG, the equity and trades as CSV */
  {
    g_autofree char *png = g_build_filename (f->dir, "chart.png", NULL);
    g_autofree char *csv = g_build_filename (f->dir, "run.csv", NULL);
    g_autofree char *trades = g_build_filename (f->dir, "run-trades.csv", NULL);
    g_autofree char *contents = NULL;
    g_autoptr(GError) error = NULL;
    gsize len = 0;

    g_assert_true (bt_backtest_page_export_png (page, png, 800, 450, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (png, &contents, &len, NULL));
    g_assert_cmpuint (len, >, 8);
    g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
    g_clear_pointer (&contents, g_free);

    g_signal_emit_by_name (page, "export-csv", csv);
    g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
    g_assert_true (g_str_has_prefix (contents, "date,equity,btc_price,leverage,health_factor"));
    g_assert_true (g_file_test (trades, G_FILE_TEST_EXISTS));
  }

  /* the run is saved; a second one over another period too */
  g_assert_cmpuint (bt_backtest_page_get_n_saved_runs (page), ==, 1);
  backtest_action (page, "backtest.restart");
  bt_backtest_page_set_text (page, "start_date", "2021-01-01");
  backtest_action (page, "backtest.next");
  backtest_action (page, "backtest.next");
  backtest_action (page, "backtest.run");
  TEST_UI_WAIT_UNTIL (!step_is (page, "running"));
  bt_test_event ("the run ended, on step %s", bt_backtest_page_get_step (page));
  g_assert_true (step_is (page, "results"));
  g_assert_cmpuint (bt_backtest_page_get_n_saved_runs (page), ==, 2);

  /* compare the two, open one, delete one */
  bt_backtest_page_select_saved_run (page, bt_backtest_page_get_saved_run_id (page, 0), TRUE);
  bt_backtest_page_select_saved_run (page, bt_backtest_page_get_saved_run_id (page, 1), TRUE);
  backtest_action (page, "backtest.compare");
  g_assert_true (step_is (page, "results"));
  /* the runs load off the main thread, then overlay: newest first, the
   * 2021 run is 1, the 2020 run is 2 (named after their period and cap) */
  for (guint i = 0; i < 600 && bt_backtest_page_get_n_curves (page) != 2; i++)
    test_ui_spin (20);
  g_assert_cmpuint (bt_backtest_page_get_n_curves (page), ==, 2);
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "Comparing 2 Runs"));
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page),
                                        "1: 2021-01-01 – 2022-03-10 · 2.5×  |  "
                                        "2: 2020-01-01 – 2022-03-10 · 2.5×"));
  g_signal_emit_by_name (page, "open-run", bt_backtest_page_get_saved_run_id (page, 1));
  for (guint i = 0; i < 600 && bt_backtest_page_get_n_curves (page) != 1; i++)
    test_ui_spin (20);
  g_assert_true (step_is (page, "results"));
  g_assert_cmpuint (bt_backtest_page_get_run (page)->first_day, ==, bt_day_from_ymd (2020, 1, 1));
  {
    g_autofree char *id = g_strdup (bt_backtest_page_get_saved_run_id (page, 0));

    g_signal_emit_by_name (page, "delete-run", id);
  }
  g_assert_cmpuint (bt_backtest_page_get_n_saved_runs (page), ==, 1);

  /* the row went at once; the run itself stays until the toast offering
   * Undo goes, which the next run makes it do */
  g_assert_cmpuint (n_stored (f, bt_backtest_store_list), ==, 2);

  /* a cancelled run leaves the wizard on review, reports no more progress
   * and stores nothing */
  backtest_action (page, "backtest.restart");
  backtest_action (page, "backtest.next");
  backtest_action (page, "backtest.next");
  backtest_action (page, "backtest.run");
  g_assert_true (step_is (page, "running"));
  g_assert_cmpfloat (bt_backtest_page_get_progress (page), ==, 0);
  backtest_action (page, "backtest.cancel");
  g_assert_true (step_is (page, "review"));
  g_array_set_size (fractions, 0);
  TEST_UI_WAIT_UNTIL (!bt_session_get_backtest_running (f->session));
  bt_test_event ("the cancelled run ended, on step %s", bt_backtest_page_get_step (page));
  g_assert_false (bt_session_get_backtest_running (f->session));
  test_ui_spin (50);
  g_assert_true (step_is (page, "review"));
  g_assert_cmpuint (fractions->len, ==, 0);
  g_assert_cmpuint (bt_backtest_page_get_n_saved_runs (page), ==, 1);
  g_assert_cmpuint (n_stored (f, bt_backtest_store_list), ==, 1);
  g_signal_handler_disconnect (bar, handler);
}

static void
count_cb (guint *n)
{
  (*n)++;
}

static void
test_wallets_stored (Fixture       *f,
                     gconstpointer  data)
{
  BtPositionPage *page = bt_window_get_position_page (f->window);
  const char *address = "0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c";
  g_autoptr(BtStore) store = NULL;
  g_autoptr(GPtrArray) wallets = NULL;
  g_autoptr(GError) error = NULL;

  bt_position_page_submit_address (page, "0xnot-an-address");
  bt_position_page_submit_address (page, address);
  store = bt_store_open (f->db_path, &error);
  g_assert_no_error (error);
  wallets = bt_store_list_wallets (store, &error);
  g_assert_no_error (error);
  /* the bad address was never stored */
  g_assert_cmpuint (wallets->len, ==, 1);
  g_assert_cmpstr (((BtWallet *) g_ptr_array_index (wallets, 0))->address, ==, address);

  bt_position_page_remove_wallet (page, address);
  g_clear_pointer (&wallets, g_ptr_array_unref);
  wallets = bt_store_list_wallets (store, &error);
  g_assert_cmpuint (wallets->len, ==, 0);

  /* a reading of a wallet: the pages showing positions redo their view;
   * the market data did not change, so the others are not rebuilt */
  {
    BtContext *context = bt_session_get_context (f->session);
    guint n_changed = 0, n_positions = 0;
    gulong changed = g_signal_connect_swapped (context, "changed", G_CALLBACK (count_cb), &n_changed);
    gulong positions = g_signal_connect_swapped (context, "positions-changed", G_CALLBACK (count_cb),
                                                 &n_positions);

    g_signal_emit_by_name (bt_context_get_scheduler (context), "position-changed", address);
    g_assert_cmpuint (n_positions, ==, 1);
    g_assert_cmpuint (n_changed, ==, 0);
    g_signal_handler_disconnect (context, changed);
    g_signal_handler_disconnect (context, positions);
  }
}

static void
test_alerts_acknowledged (Fixture       *f,
                          gconstpointer  data)
{
  BtAlertsPage *page = bt_window_get_alerts_page (f->window);
  g_autoptr(BtStore) store = NULL;
  g_autoptr(GPtrArray) active = NULL;
  g_autoptr(GError) error = NULL;
  gint64 critical, warning;

  store = bt_store_open (f->db_path, &error);
  g_assert_no_error (error);
  critical = bt_store_insert_alert (store, BT_ALERT_HEALTH_FACTOR, "health_factor",
                                    BT_SEVERITY_CRITICAL, "Health factor 1.21 is below 1.25",
                                    "{}", 1711843200, &error);
  g_assert_no_error (error);
  warning = bt_store_insert_alert (store, BT_ALERT_PRICE_MOVE, "price_move", BT_SEVERITY_WARNING,
                                   "BTC moved −11.2 % in 24 hours", "{}", 1711846800, &error);
  g_assert_no_error (error);
  g_assert_true (bt_session_reload (f->session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bt_alerts_page_get_n_active (page), ==, 2);

  bt_alerts_page_acknowledge (page, critical);
  active = bt_store_list_alerts (store, TRUE, &error);
  g_assert_cmpuint (active->len, ==, 1);
  g_assert_cmpint (bt_alert_get_id (g_ptr_array_index (active, 0)), ==, warning);

  gtk_widget_activate_action (GTK_WIDGET (page), "alerts.acknowledge-all", NULL);
  g_clear_pointer (&active, g_ptr_array_unref);
  active = bt_store_list_alerts (store, TRUE, &error);
  g_assert_cmpuint (active->len, ==, 0);

  /* after a reload the page still shows them as past */
  g_assert_true (bt_session_reload (f->session, &error));
  g_assert_cmpuint (bt_alerts_page_get_n_active (page), ==, 0);
  g_assert_cmpuint (bt_alerts_page_get_n_alerts (page), ==, 2);
}

static void
test_preferences_rules (Fixture       *f,
                        gconstpointer  data)
{
  BtContext *context = bt_session_get_context (f->session);
  BtEngine *engine = bt_context_get_engine (context);
  BtPreferencesWindow *prefs = bt_preferences_window_new (f->settings);
  g_autoptr(GError) error = NULL;
  guint n_rules_changed = 0, n_context_changed = 0;
  gulong handler;

  bt_preferences_window_set_engine (prefs, engine);
  /* what the application connects; every change rebuilds the pages once */
  g_signal_connect_swapped (prefs, "rules-changed", G_CALLBACK (count_cb), &n_rules_changed);
  g_signal_connect_swapped (prefs, "rules-changed", G_CALLBACK (bt_session_rules_changed),
                            f->session);
  handler = g_signal_connect_swapped (context, "changed", G_CALLBACK (count_cb), &n_context_changed);
  gtk_window_present (GTK_WINDOW (prefs));
  test_ui_wait_drawn (GTK_WIDGET (prefs));
  g_assert_cmpfloat (bt_engine_get_rules (engine)->min_confidence, ==, 50);

  /* bad values: an inline error, nothing saved */
  g_assert_false (bt_preferences_window_apply_text (prefs, "rules:thresholds.min_confidence", "half"));
  g_assert_nonnull (bt_preferences_window_get_error (prefs));
  g_assert_cmpfloat (bt_engine_get_rules (engine)->min_confidence, ==, 50);
  /* knots must be ordered by value */
  g_assert_false (bt_preferences_window_apply_text (prefs, "rules:bands.rsi_weekly", "90:0, 30:100"));
  g_assert_nonnull (bt_preferences_window_get_error (prefs));
  g_assert_cmpuint (bt_engine_get_rules (engine)->band[BT_ITEM_RSI_WEEKLY].n, ==, 7);

  /* the profile row switches every rule value; the page is rebuilt */
  {
    AdwComboRow *row = ADW_COMBO_ROW (test_ui_find_type (GTK_WIDGET (prefs), ADW_TYPE_COMBO_ROW));

    g_assert_nonnull (row);
    g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
    adw_combo_row_set_selected (row, 1);
    g_assert_cmpint (bt_engine_get_rules (engine)->profile, ==, BT_RULES_PROFILE_SEED_V5);
    g_assert_cmpfloat (bt_engine_get_rules (engine)->category_weight[BT_CATEGORY_TECHNICAL], ==, 30);
    /* the page is rebuilt from an idle callback */
    for (guint i = 0; i < 300 && g_strcmp0 (bt_preferences_window_get_text (prefs, "rules:weights.categories.technical"), "30") != 0; i++)
      test_ui_spin (10);
    g_assert_cmpstr (bt_preferences_window_get_text (prefs, "rules:weights.categories.technical"), ==, "30");
    row = ADW_COMBO_ROW (test_ui_find_type (GTK_WIDGET (prefs), ADW_TYPE_COMBO_ROW));
    g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 1);
    adw_combo_row_set_selected (row, 0);
    g_assert_cmpint (bt_engine_get_rules (engine)->profile, ==, BT_RULES_PROFILE_ADAPTIVE);
    for (guint i = 0; i < 300 && g_strcmp0 (bt_preferences_window_get_text (prefs, "rules:weights.categories.technical"), "5") != 0; i++)
      test_ui_spin (10);
    g_assert_cmpstr (bt_preferences_window_get_text (prefs, "rules:weights.categories.technical"), ==, "5");
  }

  /* a good value, typed with a decimal comma, is saved in the database */
  g_assert_true (bt_preferences_window_apply_text (prefs, "rules:thresholds.min_confidence", "42,5"));
  g_assert_null (bt_preferences_window_get_error (prefs));
  g_assert_cmpfloat (bt_engine_get_rules (engine)->min_confidence, ==, 42.5);
  {
    g_autoptr(BtStore) store = bt_store_open (f->db_path, &error);
    g_autoptr(BtEngine) other = bt_engine_new (store);

    g_assert_no_error (error);
    g_assert_cmpfloat (bt_engine_get_rules (other)->min_confidence, ==, 42.5);
  }
  /* the profile twice and the threshold; nothing for the refused values */
  g_assert_cmpuint (n_rules_changed, ==, 3);
  g_assert_cmpuint (n_context_changed, ==, n_rules_changed);
  g_signal_handler_disconnect (context, handler);
  gtk_window_destroy (GTK_WINDOW (prefs));
}

/* Every leaf of a JSON tree as "path" → its text (numbers exactly, C locale). */
static void
json_leaves (JsonNode   *node,
             const char *path,
             GHashTable *leaves)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *child = g_strdup_printf ("%s.%s", path, (const char *) l->data);

          json_leaves (json_object_get_member (object, l->data), child, leaves);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);

          json_leaves (json_array_get_element (array, i), child, leaves);
        }
    }
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE
           || json_node_get_value_type (node) == G_TYPE_INT64)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_hash_table_insert (leaves, g_strdup (path),
                           g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node))));
    }
  else if (JSON_NODE_HOLDS_NULL (node))
    g_hash_table_insert (leaves, g_strdup (path), g_strdup ("null"));
  else
    {
      GValue value = G_VALUE_INIT;
      GValue text = G_VALUE_INIT;

      json_node_get_value (node, &value);
      g_value_init (&text, G_TYPE_STRING);
      g_value_transform (&value, &text);
      g_hash_table_insert (leaves, g_strdup (path), g_value_dup_string (&text));
      g_value_unset (&value);
      g_value_unset (&text);
    }
}

static GHashTable *
stored_rules (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_store_open (f->db_path, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  GHashTable *leaves = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_no_error (error);
  json = bt_store_dup_setting (store, "rules", &error);
  g_assert_no_error (error);
  g_assert_nonnull (json);
  /* settings stay C-locale: no decimal comma anywhere in the JSON */
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  json_leaves (json_parser_get_root (parser), "", leaves);
  return leaves;
}

/* In Brazilian Portuguese the Rules page shows "1,25" and bands as
 * "0,5:100; 0,8:85"; what it shows reads back exactly, a value typed as
 * "1,3" is saved as 1.3, and the stored JSON changes in that value only. */
static void
test_preferences_rules_pt_br (Fixture       *f,
                              gconstpointer  data)
{
  static const char *fields[] = {
    "weights.categories.cycle", "weights.categories.momentum", "weights.categories.technical",
    "thresholds.min_confidence", "thresholds.circuit_risk", "thresholds.low_market",
    "thresholds.entry_market", "thresholds.add_market", "thresholds.max_leverage",
    "alerts.hf_warning", "alerts.hf_critical", "alerts.distance_warning",
  };
  g_autofree char *saved_locale = g_strdup (setlocale (LC_NUMERIC, NULL));
  BtEngine *engine = bt_context_get_engine (bt_session_get_context (f->session));
  BtPreferencesWindow *prefs = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  BtRules defaults;
  const BtRules *rules;
  GHashTableIter iter;
  gpointer key, value;
  guint n_bands = 0, n_changed = 0;
  gboolean fractional_band = FALSE;

  if (setlocale (LC_NUMERIC, "pt_BR.UTF-8") == NULL)
    {
      g_test_skip ("the pt_BR.UTF-8 locale is not installed");
      return;
    }
  bt_rules_init_default (&defaults);
  prefs = bt_preferences_window_new (f->settings);
  bt_preferences_window_set_engine (prefs, engine);
  gtk_window_present (GTK_WINDOW (prefs));
  test_ui_wait_drawn (GTK_WIDGET (prefs));

  /* 1.25 (alerts.hf_critical's default) with a decimal comma */
  g_assert_cmpstr (bt_preferences_window_get_text (prefs, "rules:alerts.hf_critical"), ==, "1,25");

  /* every field and band typed back as shown: the rules stay the defaults,
   * bit for bit */
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *field = g_strconcat ("rules:", fields[i], NULL);
      g_autofree char *shown = g_strdup (bt_preferences_window_get_text (prefs, field));

      g_assert_nonnull (shown);
      g_assert_null (strchr (shown, '.'));
      g_assert_true (bt_preferences_window_apply_text (prefs, field, shown));
    }
  for (guint item = 0; item < BT_N_ITEMS; item++)
    {
      g_autofree char *field = g_strdup_printf ("rules:bands.%s", bt_item_name (item));
      g_autofree char *shown = NULL;

      if (defaults.band[item].n == 0)
        continue;
      shown = g_strdup (bt_preferences_window_get_text (prefs, field));
      g_assert_nonnull (shown);
      if (defaults.band_rank[item])
        {
          /* an adaptive band reads as the word for "rank" (translated when
           * the messages are) and typing it back keeps it ranked */
          g_assert_true (g_str_equal (shown, "rank") || g_str_equal (shown, "posição"));
          g_assert_true (bt_preferences_window_apply_text (prefs, field, shown));
          g_assert_true (bt_engine_get_rules (engine)->band_rank[item]);
          continue;
        }
      /* pairs apart with "; ", never a point */
      g_assert_null (strchr (shown, '.'));
      if (defaults.band[item].n > 1)
        g_assert_nonnull (strstr (shown, "; "));
      for (guint k = 0; k < defaults.band[item].n; k++)
        fractional_band |= defaults.band[item].x[k] != floor (defaults.band[item].x[k]);
      g_assert_true (bt_preferences_window_apply_text (prefs, field, shown));
      g_assert_null (bt_preferences_window_get_error (prefs));
      n_bands++;
    }
  g_assert_cmpuint (n_bands, >, 0);
  g_assert_true (fractional_band);   /* so a decimal comma was read back in a band */
  rules = bt_engine_get_rules (engine);
  for (guint item = 0; item < BT_N_ITEMS; item++)
    {
      g_assert_cmpuint (rules->band[item].n, ==, defaults.band[item].n);
      for (guint k = 0; k < defaults.band[item].n; k++)
        {
          g_assert_true (rules->band[item].x[k] == defaults.band[item].x[k]);
          g_assert_true (rules->band[item].y[k] == defaults.band[item].y[k]);
        }
    }
  for (guint c = 0; c < BT_N_CATEGORIES; c++)
    g_assert_true (rules->category_weight[c] == defaults.category_weight[c]);
  g_assert_true (rules->alert_hf_critical == 1.25);
  g_assert_true (rules->max_leverage == defaults.max_leverage);
  before = stored_rules (f);

  /* both band forms are read: the C one and the Brazilian one */
  g_assert_true (bt_preferences_window_apply_text (prefs, "rules:bands.sth_sopr", "0.5:100, 3.5:0"));
  g_assert_cmpuint (bt_engine_get_rules (engine)->band[BT_ITEM_STH_SOPR].n, ==, 2);
  g_assert_true (bt_engine_get_rules (engine)->band[BT_ITEM_STH_SOPR].x[1] == 3.5);
  g_assert_true (bt_preferences_window_apply_text (prefs, "rules:bands.sth_sopr", "0,5:100; 3,25:0"));
  g_assert_true (bt_engine_get_rules (engine)->band[BT_ITEM_STH_SOPR].x[1] == 3.25);
  {
    g_autofree char *field = g_strdup_printf ("rules:bands.%s", bt_item_name (BT_ITEM_STH_SOPR));
    g_autofree char *shown = NULL;
    char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE];
    GString *back = g_string_new (NULL);

    /* and the defaults again, in the C form */
    for (guint k = 0; k < defaults.band[BT_ITEM_STH_SOPR].n; k++)
      g_string_append_printf (back, "%s%s:%s", k > 0 ? ", " : "",
                              g_ascii_dtostr (x, sizeof x, defaults.band[BT_ITEM_STH_SOPR].x[k]),
                              g_ascii_dtostr (y, sizeof y, defaults.band[BT_ITEM_STH_SOPR].y[k]));
    shown = g_string_free (back, FALSE);
    g_assert_true (bt_preferences_window_apply_text (prefs, field, shown));
  }

  /* "1,3" typed in place of 1.5 */
  g_assert_true (bt_preferences_window_apply_text (prefs, "rules:alerts.hf_warning", "1,3"));
  g_assert_null (bt_preferences_window_get_error (prefs));
  g_assert_true (bt_engine_get_rules (engine)->alert_hf_warning == 1.3);
  after = stored_rules (f);
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (before));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *now = g_hash_table_lookup (after, key);

      g_assert_nonnull (now);
      if (g_str_equal (now, value))
        continue;
      n_changed++;
      g_assert_cmpstr (value, ==, "1.5");
      g_assert_cmpstr (now, ==, "1.3");
    }
  g_assert_cmpuint (n_changed, ==, 1);

  gtk_window_destroy (GTK_WINDOW (prefs));
  setlocale (LC_NUMERIC, saved_locale);
}

static void
test_preferences_wallets (Fixture       *f,
                          gconstpointer  data)
{
  BtPreferencesWindow *prefs = bt_preferences_window_new (f->settings);
  BtPositionPage *page = bt_window_get_position_page (f->window);
  const char *address = "0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c";
  const char *bad[] = {
    "0x1234",                                          /* too short */
    "0xZZ0b54D5dc17e0AadC383d2db43B0a0D3E029c4c",      /* not hexadecimal */
    "5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c00",      /* no 0x */
    "0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029C4c",      /* mixed case off the EIP-55 checksum */
  };

  bt_preferences_window_set_engine (prefs, bt_context_get_engine (bt_session_get_context (f->session)));
  /* what the application connects */
  g_signal_connect_swapped (prefs, "wallets-changed", G_CALLBACK (bt_session_wallets_changed),
                            f->session);
  gtk_window_present (GTK_WINDOW (prefs));
  test_ui_wait_drawn (GTK_WIDGET (prefs));
  g_assert_cmpuint (bt_preferences_window_get_n_wallets (prefs), ==, 0);

  /* bad addresses: an inline error each, nothing saved */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (bt_preferences_window_apply_text (prefs, "wallet", bad[i]));
      g_assert_nonnull (bt_preferences_window_get_error (prefs));
    }
  g_assert_cmpuint (n_stored (f, bt_store_list_wallets), ==, 0);
  g_assert_cmpuint (bt_preferences_window_get_n_wallets (prefs), ==, 0);
  g_assert_cmpuint (bt_position_page_get_n_wallets (page), ==, 0);

  /* a good one: stored, listed, and on the Position page */
  g_assert_true (bt_preferences_window_apply_text (prefs, "wallet", address));
  g_assert_null (bt_preferences_window_get_error (prefs));
  g_assert_cmpuint (n_stored (f, bt_store_list_wallets), ==, 1);
  g_assert_cmpuint (bt_preferences_window_get_n_wallets (prefs), ==, 1);
  g_assert_cmpuint (bt_position_page_get_n_wallets (page), ==, 1);
  /* the same wallet twice (in another case) is refused */
  g_assert_false (bt_preferences_window_apply_text (prefs, "wallet",
                                                    "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c"));
  g_assert_nonnull (bt_preferences_window_get_error (prefs));
  g_assert_cmpuint (n_stored (f, bt_store_list_wallets), ==, 1);

  /* removed there, gone everywhere */
  g_assert_true (bt_preferences_window_remove_wallet (prefs, address));
  g_assert_cmpuint (n_stored (f, bt_store_list_wallets), ==, 0);
  g_assert_cmpuint (bt_preferences_window_get_n_wallets (prefs), ==, 0);
  g_assert_cmpuint (bt_position_page_get_n_wallets (page), ==, 0);
  gtk_window_destroy (GTK_WINDOW (prefs));
}

int
main (int   argc,
      char *argv[])
{
  static const TestUiCase tests[] = {
    { "/ui/session/empty-database", test_empty_database },
    { "/ui/session/imported-history", test_imported_history },
    { "/ui/session/backtest-run-and-cancel", test_backtest_run_and_cancel },
    { "/ui/session/wallets-stored", test_wallets_stored },
    { "/ui/session/alerts-acknowledged", test_alerts_acknowledged },
    { "/ui/session/preferences-rules", test_preferences_rules },
    { "/ui/session/preferences-rules-pt_BR", test_preferences_rules_pt_br },
    { "/ui/session/preferences-wallets", test_preferences_wallets },
  };

  test_ui_init (&argc, &argv);
  test_thread = g_thread_self ();
  test_ui_add_cases (tests, G_N_ELEMENTS (tests), fixture_set_up, fixture_tear_down);
  return g_test_run ();
}
