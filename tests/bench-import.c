/* bench-import.c: import throughput, memory and history loading time.
 *
 * Generates a 1,000,000-row OHLCV CSV in a temporary directory, imports it
 * into a fresh database and prints rows/s and the growth of the peak RSS
 * (VmHWM); re-imports it (nothing changes); imports the real Coin Metrics
 * history from $BT_SHARED_DATA when present; times loading 6,000 days.
 * Figures only: nothing is asserted.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "bt-base.h"
#include "bt-import.h"
#include "bt-store.h"
#include "bt-test-util.h"

#define N_ROWS 1000000

static long
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  p = strstr (status, "VmHWM:");
  return p ? strtol (p + 6, NULL, 10) : -1;
}

static void
write_ohlcv (const char *path,
             guint       n_rows,
             BtDay       first)
{
  FILE *f = fopen (path, "w");
  GRand *rand = g_rand_new_with_seed (42);
  double close = 100.0;

  g_assert_nonnull (f);
  fputs ("Date,Open,High,Low,Close,Adj Close,Volume\n", f);
  for (guint i = 0; i < n_rows; i++)
    {
      char day[16];
      double open = close;
      double high, low;
      char o[G_ASCII_DTOSTR_BUF_SIZE], h[G_ASCII_DTOSTR_BUF_SIZE];
      char l[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE];

      close = open * (1 + g_rand_double_range (rand, -0.03, 0.0305));
      if (close < 1 || close > 1e8)
        close = 100;
      high = MAX (open, close) * (1 + g_rand_double_range (rand, 0, 0.01));
      low = MIN (open, close) * (1 - g_rand_double_range (rand, 0, 0.01));
      g_ascii_formatd (o, sizeof o, "%.2f", open);
      g_ascii_formatd (h, sizeof h, "%.2f", ceil (high * 100) / 100);
      g_ascii_formatd (l, sizeof l, "%.2f", floor (low * 100) / 100);
      g_ascii_formatd (c, sizeof c, "%.2f", close);
      /* rounding to cents keeps Open/Close inside [Low, High] */
      fprintf (f, "%s,%s,%s,%s,%s,%s,%u\n", bt_day_format (first + (BtDay) i, day),
               o, h, l, c, c, g_rand_int_range (rand, 1000, 100000000));
      close = g_ascii_strtod (c, NULL);
    }
  fclose (f);
  g_rand_free (rand);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

/* The store NAME in DIR, opened (asserted). */
static BtStore *
open_store (const char *dir,
            const char *name)
{
  g_autofree char *db = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  BtStore *store = bt_store_open (db, &error);

  g_assert_no_error (error);
  return store;
}

/* Imports CSV into STORE (any failure ends the run: WHAT failed) and
 * returns how long it took, in seconds. */
static double
timed_import (BtStore        *store,
              const char     *csv,
              BtImportFormat  format,
              BtImportStats  *st,
              const char     *what)
{
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  if (!bt_import_file (store, csv, format, st, &error))
    g_error ("%s failed: %s", what, error->message);
  return seconds_since (t0);
}

static void
bench_ohlcv (const char *dir)
{
  g_autofree char *csv = g_build_filename (dir, "ohlcv-1m.csv", NULL);
  g_autoptr(BtStore) store = NULL;
  BtImportStats st;
  long rss0, rss1;
  gint64 t0;
  double secs;

  t0 = g_get_monotonic_time ();
  write_ohlcv (csv, N_ROWS, bt_day_from_ymd (1970, 1, 1));
  printf ("generated %d OHLCV rows in %.2f s\n", N_ROWS, seconds_since (t0));

  store = open_store (dir, "ohlcv.sqlite");
  rss0 = peak_rss_kb ();
  secs = timed_import (store, csv, BT_IMPORT_FORMAT_AUTO, &st, "import");
  rss1 = peak_rss_kb ();
  printf ("import OHLCV (fresh DB): %" G_GUINT64_FORMAT " rows in %.3f s = %.0f rows/s; "
          "peak RSS growth %ld kB\n", st.rows_read, secs, st.rows_read / secs, rss1 - rss0);

  secs = timed_import (store, csv, BT_IMPORT_FORMAT_AUTO, &st, "re-import");
  printf ("re-import OHLCV (no change, %" G_GUINT64_FORMAT " rows written): %.3f s = %.0f rows/s; "
          "peak RSS growth %ld kB\n", st.rows_written, secs, st.rows_read / secs,
          peak_rss_kb () - rss0);
}

static void
bench_coinmetrics (const char *dir)
{
  const char *shared = g_getenv ("BT_SHARED_DATA");
  g_autofree char *csv = NULL;
  g_autoptr(BtStore) store = NULL;
  BtImportStats st;
  double secs;

  if (shared == NULL)
    {
      printf ("Coin Metrics history: skipped (BT_SHARED_DATA not set)\n");
      return;
    }
  csv = g_build_filename (shared, "coinmetrics-btc-2009-2019.csv", NULL);
  if (!g_file_test (csv, G_FILE_TEST_IS_REGULAR))
    {
      printf ("Coin Metrics history: skipped (%s absent)\n", csv);
      return;
    }
  store = open_store (dir, "coinmetrics.sqlite");
  secs = timed_import (store, csv, BT_IMPORT_FORMAT_AUTO, &st, "import");
  printf ("import coinmetrics-btc-2009-2019.csv: %" G_GUINT64_FORMAT " rows in %.1f ms\n",
          st.rows_read, secs * 1e3);
}

static void
bench_load_history (const char *dir)
{
  g_autofree char *csv = g_build_filename (dir, "ohlcv-6000.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = NULL;
  g_autoptr(GArray) obs = g_array_new (FALSE, FALSE, sizeof (BtObservation));
  BtDay first = bt_day_from_ymd (2009, 1, 3);
  static const char *const metrics[] = {
    "market_cap", "realized_cap", "mvrv_ratio", "supply", "issuance_usd", "netflow",
  };
  double best = G_MAXDOUBLE;

  write_ohlcv (csv, 6000, first);
  store = open_store (dir, "history.sqlite");
  timed_import (store, csv, BT_IMPORT_FORMAT_OHLCV, NULL, "import");
  for (guint i = 0; i < 6000; i++)
    {
      BtObservation o = { bt_day_to_unix (first + (BtDay) i), 1000.0 + i };

      g_array_append_val (obs, o);
    }
  for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
    if (!bt_store_upsert_observations (store, BT_SOURCE_COINMETRICS, metrics[m],
                                       (BtObservation *) obs->data, obs->len, NULL, NULL, &error))
      g_error ("upsert failed: %s", error->message);
  for (int rep = 0; rep < 10; rep++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(BtHistory) h = bt_store_load_history (store, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (h->n_days, ==, 6000);
      best = MIN (best, seconds_since (t0));
    }
  printf ("load_history: 6000 days, 1 candle + 6 observations per day: %.2f ms (best of 10)\n",
          best * 1e3);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bt-bench-import-XXXXXX", &error);

  g_assert_no_error (error);
  bench_ohlcv (dir);
  bench_coinmetrics (dir);
  bench_load_history (dir);

  bt_test_remove_tree (dir);
  return 0;
}
