/* bench-startup.c: BTC Turbo's window with 6,000 days in the database:
 * time from creating the window to its first frame (target: under 500 ms)
 * and the memory in use with the full history open (target: under 150 MB).
 * Needs a display: run under xvfb-run. */
#define G_LOG_DOMAIN "bt-bench"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>

#include "bt-base.h"
#include "bt-engine.h"
#include "bt-import.h"
#include "bt-session.h"
#include "bt-store.h"
#include "bt-window.h"
#include "bt-test-util.h"
#include "test-ui-common.h"
#include "bt-market-page-private.h"

#define N_DAYS 6000

static gboolean painted;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       data)
{
  painted = TRUE;
}

static void
on_realize_cb (GtkWidget *widget,
               gpointer   data)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (on_after_paint_cb), NULL);
}

static double
status_mb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return NAN;
  line = strstr (status, field);
  return line != NULL ? g_ascii_strtod (line + strlen (field), NULL) / 1024.0 : NAN;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bt-bench-startup-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "btc-turbo.sqlite", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "history.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("Date,Open,High,Low,Close,Volume\n");
  g_autoptr(GSettings) settings = NULL;
  BtDay first = bt_day_from_ymd (2010, 7, 18);
  double close = 0.08;
  BtWindow *window;
  BtSession *session;
  gint64 t0, t_session, t_frame;

  test_ui_init (&argc, &argv);
  settings = g_settings_new (APP_ID);

  /* 6,000 days of OHLCV, imported and scored before the clock starts */
  for (guint i = 0; i < N_DAYS; i++)
    {
      char day[16], c[G_ASCII_DTOSTR_BUF_SIZE];
      double open = close;

      close = open * (1 + 0.04 * sin (i * 0.21) + 0.0021);
      g_string_append_printf (csv, "%s,%s,%s,%s,%s,1\n", bt_day_format (first + i, day),
                              bt_format_double (open, c), bt_format_double (MAX (open, close), c),
                              bt_format_double (MIN (open, close), c), bt_format_double (close, c));
    }
  g_file_set_contents (csv_path, csv->str, csv->len, &error);
  g_assert_no_error (error);
  {
    g_autoptr(BtStore) store = bt_store_open (db, &error);
    g_autoptr(BtEngine) engine = NULL;

    g_assert_no_error (error);
    g_assert_true (bt_import_file (store, csv_path, BT_IMPORT_FORMAT_AUTO, NULL, &error));
    engine = bt_engine_new (store);
    g_assert_true (bt_engine_recompute_from (engine, BT_DAY_INVALID, &error));
  }

  t0 = g_get_monotonic_time ();
  window = bt_window_new (NULL);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize_cb), NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  session = test_ui_attach_session (window, db, settings);
  t_session = g_get_monotonic_time ();
  gtk_window_present (GTK_WINDOW (window));
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  t_frame = g_get_monotonic_time ();

  printf ("window with %u days: store and engine loaded in %.1f ms, first frame at %.1f ms\n",
          N_DAYS, (t_session - t0) / 1000.0, (t_frame - t0) / 1000.0);

  /* the Market page with the whole history drawn */
  bt_window_set_page (window, "market");
  bt_market_page_set_range (bt_window_get_market_page (window), "all");
  test_ui_spin (300);
  printf ("memory with the full history open: resident %.1f MB, peak %.1f MB\n",
          status_mb ("VmRSS:"), status_mb ("VmHWM:"));

  g_object_unref (session);
  gtk_window_destroy (GTK_WINDOW (window));
  bt_test_remove_tree (dir);
  return 0;
}
