/* test-backtest-page.c: the Backtest page over the real history in
 * $BT_SHARED_DATA (Coin Metrics 2009–2026, about 6,400 days): results and
 * saved runs open without stalling the main loop, the progress page is
 * drawn before every result, the wizard's settings reach the stored run,
 * saved runs are renamed, compared and deleted with undo. */
#define G_LOG_DOMAIN "bt-test"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <glib/gi18n.h>

#include "bt-backtest-page.h"
#include "bt-backtest-page-private.h"
#include "bt-backtest-store.h"
#include "bt-backtest.h"
#include "bt-base.h"
#include "bt-engine.h"
#include "bt-import.h"
#include "bt-session.h"
#include "bt-store.h"
#include "bt-trade-list.h"
#include "bt-trade-list-private.h"
#include "bt-ui-util.h"
#include "bt-window.h"
#include "bt-test-util.h"
#include "test-ui-common.h"

typedef struct
{
  TestUiSession   s;     /* opened on a database holding the shared data */
  BtBacktestPage *page;
} Fixture;

/* ---- the main-loop watchdog ---------------------------------------------
 * A high-priority timeout every 5 ms; the largest gap between two of its
 * ticks is the longest time the main loop was kept from running. */
typedef struct
{
  guint  source;
  gint64 last;
  gint64 max_gap;
  gint64 last_cpu;
  gint64 max_cpu;    /* main-thread CPU time spent within one gap */
} Watchdog;

/* CPU time of the calling thread, µs: what the main thread itself did,
 * apart from the time other processes had the machine. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
watchdog_tick_cb (gpointer data)
{
  Watchdog *w = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (now - w->last > w->max_gap)
    w->max_gap = now - w->last;
  if (cpu - w->last_cpu > w->max_cpu)
    w->max_cpu = cpu - w->last_cpu;
  w->last = now;
  w->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static void
watchdog_start (Watchdog *w)
{
  w->last = g_get_monotonic_time ();
  w->last_cpu = thread_cpu_us ();
  w->max_gap = 0;
  w->max_cpu = 0;
  w->source = g_timeout_add_full (G_PRIORITY_HIGH, 5, watchdog_tick_cb, w, NULL);
}

static double
watchdog_stop (Watchdog *w)
{
  g_source_remove (w->source);
  return w->max_gap / 1000.0;
}

/* ---- fixture ------------------------------------------------------------ */

static gboolean
have_data (void)
{
  const char *dir = g_getenv ("BT_SHARED_DATA");
  g_autofree char *file = dir != NULL ? g_build_filename (dir, "coinmetrics-btc-2009-2020.csv", NULL)
                                      : NULL;

  return file != NULL && g_file_test (file, G_FILE_TEST_EXISTS);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char *files[] = { "coinmetrics-btc-2009-2020.csv", "binance-btcusdt-1d-2017-2026.csv" };
  g_autoptr(GError) error = NULL;

  if (!have_data ())
    return;
  f->s.dir = g_dir_make_tmp ("bt-ui-backtest-XXXXXX", &error);
  g_assert_no_error (error);
  f->s.db_path = g_build_filename (f->s.dir, "btc-turbo.sqlite", NULL);
  {
    g_autoptr(BtStore) store = bt_store_open (f->s.db_path, &error);
    g_autoptr(BtEngine) engine = NULL;

    g_assert_no_error (error);
    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *path = g_build_filename (g_getenv ("BT_SHARED_DATA"), files[i], NULL);

        bt_import_file (store, path, BT_IMPORT_FORMAT_AUTO, NULL, &error);
        g_assert_no_error (error);
      }
    engine = bt_engine_new (store);
    g_assert_true (bt_engine_recompute_from (engine, BT_DAY_INVALID, &error));
    g_assert_no_error (error);
  }
  f->s.settings = g_settings_new (APP_ID);
  f->s.window = bt_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->s.window), 1000, 760);
  gtk_window_present (GTK_WINDOW (f->s.window));
  f->s.session = test_ui_attach_session (f->s.window, f->s.db_path, f->s.settings);
  f->page = bt_window_get_backtest_page (f->s.window);
  bt_window_set_page (f->s.window, "backtest");
  test_ui_wait_drawn (GTK_WIDGET (f->s.window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->s.dir != NULL)
    test_ui_session_close (&f->s);
}

/* TRUE, the test skipped, when the set-up found no shared history. */
static gboolean
skipped_without_data (Fixture *f)
{
  if (f->s.dir != NULL)
    return FALSE;
  g_test_skip ("BT_SHARED_DATA has no Coin Metrics history");
  return TRUE;
}

static void
wait_results (Fixture *f)
{
  for (guint i = 0;
       i < 3000 && g_strcmp0 (bt_backtest_page_get_step (f->page), "results") != 0; i++)
    test_ui_spin (10);
  g_assert_cmpstr (bt_backtest_page_get_step (f->page), ==, "results");
}

static void
run_wizard (Fixture *f)
{
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.next", NULL);
  g_assert_cmpstr (bt_backtest_page_get_step (f->page), ==, "strategy");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.next", NULL);
  g_assert_cmpstr (bt_backtest_page_get_step (f->page), ==, "review");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.run", NULL);
}

/* A new run from the period step: FROM to TO, the other settings as they
 * are; waits for its results. */
static void
run_again (Fixture    *f,
           const char *from,
           const char *to)
{
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.restart", NULL);
  bt_backtest_page_set_text (f->page, "start_date", from);
  bt_backtest_page_set_text (f->page, "end_date", to);
  run_wizard (f);
  wait_results (f);
}

/* The first (FIRST) or last day of a CSV of the real history whose column
 * COLUMN is not empty: read straight from the file, not through the store. */
static BtDay
csv_day (const char *file,
         const char *column,
         gboolean    first)
{
  g_autofree char *path = g_build_filename (g_getenv ("BT_SHARED_DATA"), file, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  BtDay found = BT_DAY_INVALID;
  gint col = -1;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  header = g_strsplit (lines[0], ",", -1);
  for (guint i = 0; header[i] != NULL; i++)
    if (g_str_equal (g_strstrip (header[i]), column))
      col = (gint) i;
  g_assert_cmpint (col, >=, 0);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      BtDay day;

      if (g_strv_length (cells) <= (guint) col || *g_strstrip (cells[col]) == '\0')
        continue;
      g_assert_true (bt_day_parse (cells[0], &day));
      found = day;
      if (first)
        break;
    }
  return found;
}

/* Records the steps and whether the progress page was painted before the
 * results came. */
typedef struct
{
  BtBacktestPage *page;
  GString        *steps;
  gboolean        running_painted;
  guint           results;
  guint           results_unpainted;
  guint           made_before;
  guint           made_at_results;
  guint           listed_at_results;
} StepLog;

static void
on_step_changed_cb (BtBacktestPage *page,
                    const char     *step,
                    StepLog        *log)
{
  if (log->steps->len > 0)
    g_string_append_c (log->steps, ' ');
  g_string_append (log->steps, step);
  if (g_str_equal (step, "running"))
    log->running_painted = FALSE;
  else if (g_str_equal (step, "results"))
    {
      log->results++;
      if (!log->running_painted)
        log->results_unpainted++;
      log->made_at_results = bt_trade_list_get_n_made (BT_TRADE_LIST (bt_backtest_page_get_trades (page)));
      log->listed_at_results = g_list_model_get_n_items (bt_backtest_page_get_trades (page));
    }
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   StepLog       *log)
{
  if (g_strcmp0 (bt_backtest_page_get_step (log->page), "running") == 0 && gtk_widget_get_mapped (GTK_WIDGET (log->page)))
    log->running_painted = TRUE;
}

static void
step_log_start (Fixture *f,
                StepLog *log)
{
  log->page = f->page;
  log->steps = g_string_new (NULL);
  g_signal_connect (f->page, "step-changed", G_CALLBACK (on_step_changed_cb), log);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (f->s.window)), "after-paint",
                    G_CALLBACK (on_after_paint_cb), log);
}

static void
step_log_stop (Fixture *f,
               StepLog *log)
{
  g_signal_handlers_disconnect_by_data (f->page, log);
  g_signal_handlers_disconnect_by_data (gtk_widget_get_frame_clock (GTK_WIDGET (f->s.window)), log);
  g_string_free (log->steps, TRUE);
}

#define CHUNK 24  /* bt-trade-list.c: trades listed per idle turn */

/* Until every trade is listed (a chunk per turn of the main loop), then a
 * few more frames. */
static void
wait_all_listed (Fixture *f)
{
  GListModel *trades = bt_backtest_page_get_trades (f->page);

  for (guint i = 0; i < 3000 && g_list_model_get_n_items (trades) < bt_backtest_page_get_n_trades (f->page); i++)
    test_ui_spin (10);
  test_ui_spin (300);
}

static void
test_no_stall (Fixture       *f,
               gconstpointer  data)
{
  StepLog log = { 0 };
  Watchdog w;
  double run_gap, open_gap;
  guint n_trades;
  char day[16];

  if (skipped_without_data (f))
    return;
  step_log_start (f, &log);

  /* a run over the whole price history, 2010-07-18 to 2026 */
  bt_backtest_page_set_text (f->page, "start_date", "2010-07-18");
  bt_backtest_page_set_text (f->page, "end_date",
                             bt_day_format (csv_day ("binance-btcusdt-1d-2017-2026.csv", "close", FALSE),
                                            day));
  /* the seed's rules trade far more often than the adaptive ones: the
   * longest trades list the page can be given */
  g_assert_true (bt_backtest_page_set_text (f->page, "profile", "seed-v5"));
  watchdog_start (&w);
  log.made_before = bt_trade_list_get_n_made (BT_TRADE_LIST (bt_backtest_page_get_trades (f->page)));
  run_wizard (f);
  wait_results (f);
  wait_all_listed (f);
  run_gap = watchdog_stop (&w);
  n_trades = bt_backtest_page_get_n_trades (f->page);
  g_test_message ("a run over %u days with %u trades: longest main-loop stall %.1f ms "
                  "(main thread busy %.1f ms of it at most)",
                  bt_backtest_page_get_run (f->page)->n_days, n_trades, run_gap, w.max_cpu / 1000.0);
  /* enough days and trades to have frozen the window before */
  g_assert_cmpuint (bt_backtest_page_get_run (f->page)->n_days, >, 5800);
  g_assert_cmpuint (n_trades, >, 200);
  /* nothing in proportion to the trades ran in the turn that showed them:
   * one chunk of them listed, a few chunks' worth of items made (the view
   * asks for an item more than once), whatever the number of trades */
  g_assert_cmpuint (log.listed_at_results, <=, CHUNK);
  g_assert_cmpuint (log.made_at_results - log.made_before, <=, 4 * CHUNK);
  /* all of them are listed in the end */
  g_assert_cmpuint (g_list_model_get_n_items (bt_backtest_page_get_trades (f->page)), ==, n_trades);
  g_assert_cmpfloat (run_gap, <, test_ui_stall_bound_ms ());

  /* a saved run, opened from the list */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.restart", NULL);
  test_ui_spin (300);
  g_assert_cmpuint (bt_backtest_page_get_n_saved_runs (f->page), ==, 1);
  watchdog_start (&w);
  log.made_before = bt_trade_list_get_n_made (BT_TRADE_LIST (bt_backtest_page_get_trades (f->page)));
  g_signal_emit_by_name (f->page, "open-run", bt_backtest_page_get_saved_run_id (f->page, 0));
  wait_results (f);
  wait_all_listed (f);
  open_gap = watchdog_stop (&w);
  g_test_message ("opening that saved run: longest main-loop stall %.1f ms "
                  "(main thread busy %.1f ms of it at most)", open_gap, w.max_cpu / 1000.0);
  g_assert_cmpuint (log.listed_at_results, <=, CHUNK);
  g_assert_cmpuint (log.made_at_results - log.made_before, <=, 4 * CHUNK);
  g_assert_cmpuint (bt_backtest_page_get_n_trades (f->page), ==, n_trades);
  g_assert_cmpfloat (open_gap, <, test_ui_stall_bound_ms ());
  step_log_stop (f, &log);
}

static void
test_period (Fixture       *f,
             gconstpointer  data)
{
  BtDay price_first, price_last, onchain_last, start, end;
  char a[16];

  if (skipped_without_data (f))
    return;
  /* the price history, read from the files themselves */
  price_first = csv_day ("coinmetrics-btc-2009-2020.csv", "PriceUSD", TRUE);
  price_last = csv_day ("binance-btcusdt-1d-2017-2026.csv", "close", FALSE);
  g_assert_cmpint (price_first, ==, bt_day_from_ymd (2010, 7, 18));

  /* the default period lies inside it, not from the database's first day
   * (2009-01-03, on-chain only), and is valid */
  g_assert_cmpstr (bt_backtest_page_get_step (f->page), ==, "period");
  g_assert_null (bt_backtest_page_get_error (f->page));
  {
    BtBacktestConfig config;

    g_assert_true (bt_backtest_page_get_config (f->page, &config));
    start = config.start_day;
    end = config.end_day;
  }
  g_assert_cmpint (start, >=, price_first);
  /* the rules' on-chain inputs (MVRV, realized cap) end with the Coin
   * Metrics file (2020-03-10): the default period ends there too (give or
   * take the few days an input is carried forward), not with the prices */
  onchain_last = csv_day ("coinmetrics-btc-2009-2020.csv", "CapMVRVCur", FALSE);
  g_assert_cmpint (onchain_last, ==, bt_day_from_ymd (2020, 3, 10));
  g_assert_cmpint (end, >=, onchain_last);
  g_assert_cmpint (end, <=, onchain_last + 7);
  g_assert_cmpint (end, <, price_last);

  /* before the prices: an inline error naming where they start; Next
   * does nothing */
  bt_backtest_page_set_text (f->page, "start_date", "2009-06-01");
  g_assert_nonnull (bt_backtest_page_get_error (f->page));
  g_assert_nonnull (strstr (bt_backtest_page_get_error (f->page), bt_day_format (price_first, a)));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.next", NULL);
  g_assert_cmpstr (bt_backtest_page_get_step (f->page), ==, "period");
  /* from the first price, the rules lack inputs for a while: said, not refused */
  bt_backtest_page_set_text (f->page, "start_date", bt_day_format (price_first, a));
  g_assert_null (bt_backtest_page_get_error (f->page));
  g_assert_nonnull (strstr (bt_backtest_page_get_note (f->page), "Before "));
  g_assert_null (strstr (bt_backtest_page_get_note (f->page), "After "));
  /* and after the on-chain data ends */
  bt_backtest_page_set_text (f->page, "end_date", bt_day_format (price_last, a));
  g_assert_nonnull (strstr (bt_backtest_page_get_note (f->page), "After "));
  /* past the data: refused, naming the last day */
  bt_backtest_page_set_text (f->page, "end_date", "2026-12-01");
  g_assert_nonnull (bt_backtest_page_get_error (f->page));
  g_assert_nonnull (strstr (bt_backtest_page_get_error (f->page), bt_day_format (price_last, a)));
  bt_backtest_page_set_text (f->page, "end_date", bt_day_format (price_last, a));
  g_assert_null (bt_backtest_page_get_error (f->page));

  /* a period typed survives the reload that every collection brings */
  bt_backtest_page_set_text (f->page, "start_date", "2015-02-03");
  {
    g_autoptr(GError) error = NULL;
    BtBacktestConfig config;

    g_assert_true (bt_session_reload (f->s.session, &error));
    g_assert_no_error (error);
    g_assert_true (bt_backtest_page_get_config (f->page, &config));
    g_assert_cmpint (config.start_day, ==, bt_day_from_ymd (2015, 2, 3));
    g_assert_cmpint (config.end_day, ==, price_last);
  }

  /* the default period runs to its results */
  bt_backtest_page_set_text (f->page, "start_date", bt_day_format (start, a));
  bt_backtest_page_set_text (f->page, "end_date", bt_day_format (end, a));
  run_wizard (f);
  wait_results (f);
  g_assert_cmpint (bt_backtest_page_get_run (f->page)->first_day, ==, start);
  g_assert_cmpint (bt_backtest_page_get_run (f->page)->last_day, ==, end);
  g_test_message ("default period from %s", bt_day_format (start, a));
  g_test_message ("default period to %s", bt_day_format (end, a));
}

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

static gboolean
is_action_button (GtkWidget     *widget,
                  gconstpointer  action)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static gboolean
run_now_cb (BtBacktestPage         *page,
            const BtBacktestConfig *config,
            BtBacktestResult      **run)
{
  /* the result is there before the progress page could be drawn */
  bt_backtest_page_run_finished (page, g_steal_pointer (run));
  return TRUE;
}

static void
test_progress_first (Fixture       *f,
                     gconstpointer  data)
{
  StepLog log = { 0 };
  g_autofree char *id = NULL;

  if (skipped_without_data (f))
    return;
  step_log_start (f, &log);

  /* runs of every length: the progress page is painted before each result */
  bt_backtest_page_set_text (f->page, "start_date", "2020-01-01");
  bt_backtest_page_set_text (f->page, "end_date", "2020-03-01");
  run_wizard (f);
  g_assert_cmpstr (bt_backtest_page_get_step (f->page), ==, "running");
  /* Cancel is on the progress page, New Backtest is not on screen */
  g_assert_true (gtk_widget_is_visible (test_ui_find (GTK_WIDGET (f->page), is_action_button,
                                                      "backtest.cancel")));
  g_assert_true (gtk_widget_is_sensitive (test_ui_find (GTK_WIDGET (f->page), is_action_button,
                                                        "backtest.cancel")));
  g_assert_false (gtk_widget_is_visible (test_ui_find (GTK_WIDGET (f->page), is_action_button,
                                                       "backtest.restart")));
  wait_results (f);
  run_again (f, "2012-01-01", "2024-01-01");
  id = g_strdup (bt_backtest_page_get_run (f->page)->id);
  g_assert_nonnull (id);

  /* a result handed back within the request itself */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BtStore) store = bt_store_open (f->s.db_path, &error);
    BtBacktestResult *run = NULL;
    gulong handler;

    g_assert_no_error (error);
    run = bt_backtest_store_load (store, id, &error);
    g_assert_no_error (error);
    g_signal_handlers_block_matched (f->page, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, f->s.session);
    handler = g_signal_connect (f->page, "run-requested", G_CALLBACK (run_now_cb), &run);
    gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.restart", NULL);
    run_wizard (f);
    g_assert_null (run);
    g_assert_cmpstr (bt_backtest_page_get_step (f->page), ==, "running");
    wait_results (f);
    g_signal_handler_disconnect (f->page, handler);
    g_signal_handlers_unblock_matched (f->page, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, f->s.session);
  }
  g_test_message ("steps: %s", log.steps->str);
  g_assert_cmpuint (log.results, ==, 3);
  g_assert_cmpuint (log.results_unpainted, ==, 0);
  g_assert_nonnull (strstr (log.steps->str, "review running results period strategy review running "
                                            "results period strategy review running results"));
  step_log_stop (f, &log);
}

/* A visible label under ROOT whose text holds PART. */
static gboolean
has_label_with (GtkWidget  *root,
                const char *part)
{
  if (!gtk_widget_get_visible (root))
    return FALSE;
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), part) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_with (child, part))
      return TRUE;
  return FALSE;
}

static BtBacktestConfig
stored_config (Fixture    *f,
               const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_store_open (f->s.db_path, &error);
  g_autoptr(BtBacktestResult) run = NULL;

  g_assert_no_error (error);
  run = bt_backtest_store_load (store, id, &error);
  g_assert_no_error (error);
  return run->config;
}

static void
test_settings_reach_run (Fixture       *f,
                         gconstpointer  data)
{
#define FIELD(key) #key, G_STRUCT_OFFSET (BtBacktestConfig, key)
  static const struct { const char *key; gsize offset; const char *text; double value; } typed[] = {
    { FIELD (initial_capital), "25000", 25000 },
    { FIELD (max_leverage), "1,5", 1.5 },           /* the decimal comma, as typed in pt_BR */
    { FIELD (fee_pct), "0.2", 0.2 },
    { FIELD (slippage_pct), "0.07", 0.07 },
    { FIELD (borrow_apr_pct), "6.5", 6.5 },
    { FIELD (ltv), "0.7", 0.7 },
    { FIELD (liquidation_threshold), "0.8", 0.8 },
    { FIELD (liquidation_bonus), "0.06", 0.06 },
  };
#undef FIELD
  BtBacktestConfig config;
  const BtBacktestResult *run;

  if (skipped_without_data (f))
    return;
  bt_backtest_page_set_text (f->page, "start_date", "2016-01-01");
  bt_backtest_page_set_text (f->page, "end_date", "2022-12-31");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.next", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    g_assert_true (bt_backtest_page_set_text (f->page, typed[i].key, typed[i].text));
  bt_backtest_page_set_start_mode (f->page, BT_START_CASH);
  /* a cap under the ladder's 2.5×: it binds, no note of the ladder */
  g_assert_null (bt_backtest_page_get_error (f->page));
  g_assert_nonnull (strstr (bt_backtest_page_get_note (f->page), "1.50×"));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.run", NULL);
  wait_results (f);

  /* every field reached the stored run */
  run = bt_backtest_page_get_run (f->page);
  config = stored_config (f, run->id);
  g_assert_cmpint (config.start_day, ==, bt_day_from_ymd (2016, 1, 1));
  g_assert_cmpint (config.end_day, ==, bt_day_from_ymd (2022, 12, 31));
  g_assert_cmpint (config.start_mode, ==, BT_START_CASH);
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      /* read from the struct's own field, not through the settings table */
      double stored = G_STRUCT_MEMBER (double, &config, typed[i].offset);

      g_test_message ("%s: typed %s, stored %g", typed[i].key, typed[i].text, stored);
      g_assert_cmpfloat_with_epsilon (stored, typed[i].value, 1e-12);
    }
  /* the run started in cash, and no purchase went past the 1.5× cap */
  g_assert_cmpuint (run->trades->len, >, 0);
  g_assert_cmpint (g_array_index (run->trades, BtBacktestTrade, 0).action, ==, BT_ACTION_ENTER);
  g_assert_cmpfloat (run->equity[0], ==, 25000);
  for (guint i = 0; i < run->trades->len; i++)
    {
      const BtBacktestTrade *trade = &g_array_index (run->trades, BtBacktestTrade, i);

      if (trade->action == BT_ACTION_ENTER || trade->action == BT_ACTION_ADD)
        g_assert_cmpfloat (trade->leverage_after, <=, 1.5 + 1e-9);
    }

  /* the average leverage, the mean of the run's daily leverage
   * (docs/rulebook.md §7.5), is among the results */
  {
    g_autofree char *average = NULL;
    double sum = 0;
    guint n = 0;

    for (guint k = 0; k < run->n_days; k++)
      if (isfinite (run->leverage[k]))
        {
          sum += run->leverage[k];
          n++;
        }
    g_assert_cmpuint (n, >, 0);
    average = bt_ui_format_leverage (sum / n);

    g_assert_nonnull (test_ui_find_label (GTK_WIDGET (f->page), "Average leverage"));
    g_assert_nonnull (test_ui_find_label (GTK_WIDGET (f->page), average));
  }

  /* a leverage above the cap came from price falls, and the results say so */
  g_test_message ("cap 1.5: highest leverage %.4f", run->metrics.max_leverage_reached);
  g_assert_true ((run->metrics.max_leverage_reached > 1.5 + 0.005)
                 == has_label_with (GTK_WIDGET (f->page), "came from falling prices"));

  /* above the ladder's top of 2.5×, the wizard says the ladder binds */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.restart", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.next", NULL);
  bt_backtest_page_set_text (f->page, "max_leverage", "3");
  g_assert_nonnull (bt_backtest_page_get_note (f->page));
  g_assert_nonnull (strstr (bt_backtest_page_get_note (f->page), "2.50×"));
  g_assert_nonnull (strstr (bt_backtest_page_get_note (f->page), "ladder, not the maximum"));
  /* and so do the results: no purchase went past the ladder */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.run", NULL);
  wait_results (f);
  run = bt_backtest_page_get_run (f->page);
  g_assert_cmpfloat (run->config.max_leverage, ==, 3);
  for (guint i = 0; i < run->trades->len; i++)
    {
      const BtBacktestTrade *trade = &g_array_index (run->trades, BtBacktestTrade, i);

      if (trade->action == BT_ACTION_ENTER || trade->action == BT_ACTION_ADD)
        g_assert_cmpfloat (trade->leverage_after, <=, 2.5 + 1e-9);
    }
  g_assert_true (has_label_with (GTK_WIDGET (f->page), "No purchase went above"));
  g_assert_true (has_label_with (GTK_WIDGET (f->page), "below the maximum of 3.00×"));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.restart", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.next", NULL);
  bt_backtest_page_set_text (f->page, "max_leverage", "2.5");
  g_assert_null (bt_backtest_page_get_note (f->page));
}

static guint
n_stored (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_store_open (f->s.db_path, &error);
  g_autoptr(GPtrArray) runs = bt_backtest_store_list (store, &error);

  g_assert_no_error (error);
  return runs->len;
}

static void
test_saved_runs (Fixture       *f,
                 gconstpointer  data)
{
  static const char *starts[] = { "2014-01-01", "2016-01-01", "2018-01-01" };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  if (skipped_without_data (f))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    {
      run_again (f, starts[i], "2020-01-01");
    }
  g_assert_cmpuint (bt_backtest_page_get_n_saved_runs (f->page), ==, 3);
  /* named after their period and cap, newest first */
  g_assert_cmpstr (bt_backtest_page_get_saved_run_name (f->page, 0), ==, "2018-01-01 – 2020-01-01 · 2.5×");
  g_assert_cmpstr (bt_backtest_page_get_saved_run_name (f->page, 2), ==, "2014-01-01 – 2020-01-01 · 2.5×");

  /* rename: the list and the store take the new name; an empty one is refused */
  id = g_strdup (bt_backtest_page_get_saved_run_id (f->page, 1));
  g_assert_true (bt_backtest_page_rename_saved_run (f->page, id, "  Cycle 2016  ", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bt_backtest_page_get_saved_run_name (f->page, 1), ==, "Cycle 2016");
  g_assert_false (bt_backtest_page_rename_saved_run (f->page, id, "   ", &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(BtStore) store = bt_store_open (f->s.db_path, &error);
    g_autoptr(GPtrArray) runs = bt_backtest_store_list (store, &error);

    g_assert_cmpstr (((BtBacktestRunInfo *) g_ptr_array_index (runs, 1))->name, ==, "Cycle 2016");
  }

  /* compare the three: three curves on one chart */
  for (guint i = 0; i < 3; i++)
    bt_backtest_page_select_saved_run (f->page, bt_backtest_page_get_saved_run_id (f->page, i), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.compare", NULL);
  for (guint i = 0; i < 500 && bt_backtest_page_get_n_curves (f->page) != 3; i++)
    test_ui_spin (10);
  g_assert_cmpuint (bt_backtest_page_get_n_curves (f->page), ==, 3);
  g_assert_cmpstr (bt_backtest_page_get_step (f->page), ==, "results");
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (f->page), "Comparing 3 Runs"));
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (f->page),
                                        "1: 2018-01-01 – 2020-01-01 · 2.5×  |  2: Cycle 2016  |  "
                                        "3: 2014-01-01 – 2020-01-01 · 2.5×"));
  test_ui_save_png (adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->s.window)),
                    g_getenv ("G_TEST_BUILDDIR"), "backtest-comparison");
  {
    g_autofree char *png = g_build_filename (f->s.dir, "compare.png", NULL);

    g_assert_true (bt_backtest_page_export_png (f->page, png, 1600, 900, &error));
    g_assert_no_error (error);
  }

  /* delete: the row goes at once, the run stays until the toast goes */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.restart", NULL);
  g_signal_emit_by_name (f->page, "delete-run", id);
  g_assert_cmpuint (bt_backtest_page_get_n_saved_runs (f->page), ==, 2);
  g_assert_cmpuint (n_stored (f), ==, 3);
  /* Undo brings it back, nothing deleted */
  g_assert_true (bt_backtest_page_undo_delete (f->page));
  g_assert_cmpuint (bt_backtest_page_get_n_saved_runs (f->page), ==, 3);
  g_assert_cmpstr (bt_backtest_page_get_saved_run_name (f->page, 1), ==, "Cycle 2016");
  g_assert_false (bt_backtest_page_undo_delete (f->page));
  test_ui_spin (50);
  g_assert_cmpuint (n_stored (f), ==, 3);
  /* without Undo, the run is deleted when the toast times out (5 s) */
  g_signal_emit_by_name (f->page, "delete-run", id);
  g_assert_cmpuint (bt_backtest_page_get_n_saved_runs (f->page), ==, 2);
  for (guint i = 0; i < 300 && n_stored (f) == 3; i++)
    test_ui_spin (50);
  g_assert_cmpuint (n_stored (f), ==, 2);
  g_assert_cmpuint (bt_backtest_page_get_n_saved_runs (f->page), ==, 2);
  g_assert_false (bt_backtest_page_undo_delete (f->page));
}

static gboolean
run_accepted_cb (BtBacktestPage         *page,
                 const BtBacktestConfig *config,
                 gpointer                data)
{
  return TRUE;  /* a run that never reports back */
}

/* The page at each of its steps, wide and narrow, light and dark, into
 * $G_TEST_BUILDDIR/backtest-screenshots (in the test's language). */
/* CONTENT drawn after a moment, saved as DIR/WHAT-SUFFIX.png. */
static void
save_shot (GtkWidget  *content,
           const char *dir,
           const char *what,
           const char *suffix)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", what, suffix);

  test_ui_spin (300);
  test_ui_save_png (content, dir, name);
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  static const struct { int w, h; const char *name; } sizes[] = {
    { 1280, 860, "wide" }, { 360, 720, "narrow" },
  };
  g_autofree char *dir = NULL;
  const char *lang = g_getenv ("LANGUAGE") != NULL ? g_getenv ("LANGUAGE") : "en";

  if (skipped_without_data (f))
    return;
  dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "backtest-screenshots", NULL);
  g_mkdir_with_parents (dir, 0755);

  /* two saved runs to list and compare */
  bt_backtest_page_set_text (f->page, "start_date", "2016-01-01");
  run_wizard (f);
  wait_results (f);
  run_again (f, "2013-01-01", "2024-03-31");

  for (guint dark = 0; dark < 2; dark++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->s.window));
        g_autofree char *suffix = g_strdup_printf ("%s-%s-%s", sizes[s].name, dark ? "dark" : "light",
                                                   lang);

        adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                            dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                 : ADW_COLOR_SCHEME_FORCE_LIGHT);
        gtk_window_set_default_size (GTK_WINDOW (f->s.window), sizes[s].w, sizes[s].h);
        test_ui_spin (300);

        /* the results of the last run */
        g_signal_emit_by_name (f->page, "open-run", bt_backtest_page_get_saved_run_id (f->page, 0));
        test_ui_spin (100);
        save_shot (content, dir, "results", suffix);
        {
          /* scrolled down to the trades */
          GtkWidget *list = test_ui_find (GTK_WIDGET (f->page), has_css_class, "trades");
          GtkWidget *scroller = gtk_widget_get_ancestor (gtk_widget_get_parent (gtk_widget_get_parent (list)),
                                                         GTK_TYPE_SCROLLED_WINDOW);
          GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

          g_test_message ("trades listed: %u", g_list_model_get_n_items (bt_backtest_page_get_trades (f->page)));
          gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
          save_shot (content, dir, "trades", suffix);
          gtk_adjustment_set_value (adj, 0);
        }

        /* step 1 with the saved runs, then a period past the data */
        gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.restart", NULL);
        bt_backtest_page_set_text (f->page, "start_date", "2010-07-18");
        save_shot (content, dir, "period", suffix);
        bt_backtest_page_set_text (f->page, "end_date", "2027-01-01");
        save_shot (content, dir, "period-error", suffix);
        bt_backtest_page_set_text (f->page, "end_date", "2024-03-31");

        /* step 2 with a cap above the ladder */
        gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.next", NULL);
        bt_backtest_page_set_text (f->page, "max_leverage", "3");
        save_shot (content, dir, "strategy", suffix);
        bt_backtest_page_set_text (f->page, "max_leverage", "2.5");

        /* the progress page, as it is drawn before a result */
        gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.next", NULL);
        g_signal_handlers_block_matched (f->page, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, f->s.session);
        {
          gulong handler = g_signal_connect (f->page, "run-requested", G_CALLBACK (run_accepted_cb), NULL);

          gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.run", NULL);
          bt_backtest_page_set_progress (f->page, 0.37);
          save_shot (content, dir, "running", suffix);
          {
            /* a failure comes back inline on review, wrapped at any width */
            g_autoptr(GError) error = g_error_new (BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG,
                                                   "The period 2010-07-17 – 2024-03-31 is outside the "
                                                   "price history (2013-04-28 – 2024-03-31).");

            bt_backtest_page_run_failed (f->page, error);
          }
          save_shot (content, dir, "failed", suffix);
          g_signal_handler_disconnect (f->page, handler);
        }
        g_signal_handlers_unblock_matched (f->page, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, f->s.session);

        /* the two saved runs compared */
        gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.restart", NULL);
        bt_backtest_page_select_saved_run (f->page, bt_backtest_page_get_saved_run_id (f->page, 0), TRUE);
        bt_backtest_page_select_saved_run (f->page, bt_backtest_page_get_saved_run_id (f->page, 1), TRUE);
        gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.compare", NULL);
        for (guint i = 0; i < 500 && bt_backtest_page_get_n_curves (f->page) != 2; i++)
          test_ui_spin (10);
        save_shot (content, dir, "comparison", suffix);
        {
          g_autofree char *png = g_strdup_printf ("%s/export-%s.png", dir, suffix);
          g_autoptr(GError) error = NULL;

          g_signal_emit_by_name (f->page, "open-run", bt_backtest_page_get_saved_run_id (f->page, 0));
          test_ui_spin (300);
          g_assert_true (bt_backtest_page_export_png (f->page, png, 1600, 900, &error));
          g_assert_no_error (error);
        }
        gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.restart", NULL);
        bt_backtest_page_select_saved_run (f->page, bt_backtest_page_get_saved_run_id (f->page, 0), FALSE);
        bt_backtest_page_select_saved_run (f->page, bt_backtest_page_get_saved_run_id (f->page, 1), FALSE);
      }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  test_ui_init_translated (&argc, &argv);

  g_test_add ("/backtest-page/no-stall", Fixture, NULL, fixture_set_up, test_no_stall,
              fixture_tear_down);
  g_test_add ("/backtest-page/period", Fixture, NULL, fixture_set_up, test_period,
              fixture_tear_down);
  g_test_add ("/backtest-page/progress-first", Fixture, NULL, fixture_set_up, test_progress_first,
              fixture_tear_down);
  g_test_add ("/backtest-page/settings-reach-run", Fixture, NULL, fixture_set_up,
              test_settings_reach_run, fixture_tear_down);
  g_test_add ("/backtest-page/saved-runs", Fixture, NULL, fixture_set_up, test_saved_runs,
              fixture_tear_down);
  g_test_add ("/backtest-page/screenshots", Fixture, NULL, fixture_set_up, test_screenshots,
              fixture_tear_down);
  return g_test_run ();
}
