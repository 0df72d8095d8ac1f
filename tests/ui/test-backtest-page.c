/* test-backtest-page.c: the Backtest page over the real history in
 * $BT_SHARED_DATA (Coin Metrics 2009–2026, about 6,400 days): results and
 * saved runs open without stalling the main loop, the progress page is
 * drawn before every result, the wizard's settings reach the stored run,
 * saved runs are renamed, compared and deleted with undo. */
#define G_LOG_DOMAIN "bt-test"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bt-backtest-page.h"
#include "bt-backtest-store.h"
#include "bt-backtest.h"
#include "bt-base.h"
#include "bt-engine.h"
#include "bt-import.h"
#include "bt-session.h"
#include "bt-store.h"
#include "bt-trade-list.h"
#include "bt-window.h"
#include "test-ui-common.h"

typedef struct
{
  char      *dir;
  char      *db_path;
  GSettings *settings;
  BtWindow  *window;
  BtSession *session;
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
} Watchdog;

static gboolean
watchdog_tick_cb (gpointer data)
{
  Watchdog *w = data;
  gint64 now = g_get_monotonic_time ();

  if (w->last != 0 && now - w->last > w->max_gap)
    w->max_gap = now - w->last;
  w->last = now;
  return G_SOURCE_CONTINUE;
}

static void
watchdog_start (Watchdog *w)
{
  w->last = g_get_monotonic_time ();
  w->max_gap = 0;
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

static gint64 dbg_last;
static void
dbg_layout_cb (GdkFrameClock *clock, gpointer data)
{
  dbg_last = g_get_monotonic_time ();
}
static void
dbg_paint_cb (GdkFrameClock *clock, gpointer data)
{
  double ms = (g_get_monotonic_time () - dbg_last) / 1000.0;
  if (ms > 20 && g_getenv ("BT_DEBUG_FRAMES"))
    g_printerr ("DBG frame layout+paint %.1f ms\n", ms);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char *files[] = { "coinmetrics-btc-2009-2020.csv", "binance-btcusdt-1d-2017-2026.csv" };
  g_autoptr(GError) error = NULL;

  if (!have_data ())
    return;
  f->dir = g_dir_make_tmp ("bt-ui-backtest-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "btc-turbo.sqlite", NULL);
  {
    g_autoptr(BtStore) store = bt_store_open (f->db_path, &error);
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
  f->settings = g_settings_new (APP_ID);
  f->window = bt_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 760);
  gtk_window_present (GTK_WINDOW (f->window));
  f->session = bt_session_new (f->window, f->db_path, f->settings, &error);
  g_assert_no_error (error);
  f->page = bt_window_get_backtest_page (f->window);
  bt_window_set_page (f->window, "backtest");
  test_ui_wait_drawn (GTK_WIDGET (f->window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (f->window)), "before-paint", G_CALLBACK (dbg_layout_cb), NULL);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (f->window)), "after-paint", G_CALLBACK (dbg_paint_cb), NULL);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dir == NULL)
    return;
  g_clear_object (&f->session);
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_ui_spin (20);
  g_clear_object (&f->settings);
  remove_dir (f->dir);
  g_free (f->db_path);
  g_free (f->dir);
}

static gboolean
step_is (BtBacktestPage *page,
         const char     *step)
{
  return g_strcmp0 (bt_backtest_page_get_step (page), step) == 0;
}

static void
wait_results (Fixture *f)
{
  for (guint i = 0; i < 3000 && !step_is (f->page, "results"); i++)
    test_ui_spin (10);
  g_assert_true (step_is (f->page, "results"));
}

static void
run_wizard (Fixture *f)
{
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.next", NULL);
  g_assert_true (step_is (f->page, "strategy"));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.next", NULL);
  g_assert_true (step_is (f->page, "review"));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.run", NULL);
}

/* ---- tests -------------------------------------------------------------- */

static void
test_no_stall (Fixture       *f,
               gconstpointer  data)
{
  Watchdog w;
  double run_gap, open_gap;

  if (f->dir == NULL)
    {
      g_test_skip ("BT_SHARED_DATA has no Coin Metrics history");
      return;
    }
  bt_backtest_page_set_text (f->page, "start_date", "2010-07-18");
  watchdog_start (&w);
  run_wizard (f);
  wait_results (f);
  test_ui_spin (1000);
  run_gap = watchdog_stop (&w);
  g_test_message ("a run over the whole history, %u trades: longest main-loop stall %.1f ms",
                  bt_backtest_page_get_n_trades (f->page), run_gap);
  printf ("# run: %u trades, max stall %.1f ms, %u items made\n", bt_backtest_page_get_n_trades (f->page), run_gap, bt_trade_list_get_n_made (BT_TRADE_LIST (bt_backtest_page_get_trades (f->page))));

  gtk_widget_activate_action (GTK_WIDGET (f->page), "backtest.restart", NULL);
  test_ui_spin (300);
  watchdog_start (&w);
  g_signal_emit_by_name (f->page, "open-run", bt_backtest_page_get_saved_run_id (f->page, 0));
  wait_results (f);
  test_ui_spin (1000);
  open_gap = watchdog_stop (&w);
  printf ("# open saved run: max stall %.1f ms\n", open_gap);
}

int
main (int   argc,
      char *argv[])
{
  test_ui_init (&argc, &argv);

  g_test_add ("/backtest-page/no-stall", Fixture, NULL, fixture_set_up, test_no_stall,
              fixture_tear_down);
  return g_test_run ();
}
