/* Collector speed: parsing a 1,000-kline Binance answer, and a ten-year
 * backfill (daily candles, funding, long/short, Coin Metrics metrics) from a
 * loopback server in this process.  Prints figures; asserts nothing. */
#include <glib.h>
#include <stdio.h>

#include "bt-collectors.h"
#include "bt-scheduler.h"
#include "bt-test-server.h"
#include "bt-test-util.h"

static double server_seconds;

static gboolean
timed_handler (const BtTestRequest *req,
               gpointer             user_data)
{
  gint64 t0 = g_get_monotonic_time ();
  gboolean ok = bt_test_market_handler (req, user_data);

  server_seconds += (g_get_monotonic_time () - t0) / 1e6;
  return ok;
}

static char *
make_klines (guint n)
{
  GString *s = g_string_new ("[");
  gint64 t = G_GINT64_CONSTANT (1502928000000);

  for (guint i = 0; i < n; i++, t += 86400000)
    g_string_append_printf (s, "%s[%" G_GINT64_FORMAT ",\"4078.66000000\",\"4089.00000000\",\"3998.00000000\","
                            "\"4022.29000000\",\"24869.40118300\",%" G_GINT64_FORMAT ",\"100646155.72008621\","
                            "176534,\"11754.94131700\",\"47572100.57313017\",\"0\"]",
                            i ? "," : "", t, t + 86399999);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static void
bench_parse (void)
{
  g_autofree char *text = make_klines (1000);
  gsize len = strlen (text);
  guint rounds = 300;
  gint64 t0;
  double per;

  /* warm up */
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(BtBatch) b = bt_batch_new (BT_SOURCE_BINANCE, BT_FEED_CANDLES);

      bt_parse_binance_klines (text, len, G_MAXINT64, b, NULL);
    }
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(BtBatch) b = bt_batch_new (BT_SOURCE_BINANCE, BT_FEED_CANDLES);

      if (!bt_parse_binance_klines (text, len, G_MAXINT64, b, NULL) || b->candles->len != 1000)
        g_error ("parse failed");
    }
  per = (g_get_monotonic_time () - t0) / 1000.0 / rounds;
  printf ("parse 1000 klines (%" G_GSIZE_FORMAT " bytes): %.3f ms per parse (target < 1 ms)\n", len, per);
}

static void
bench_backfill (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bt-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bench.sqlite", NULL);
  g_autoptr(BtTestServer) server = bt_test_server_new ();
  g_autoptr(BtStore) store = bt_store_open (path, NULL);
  g_autoptr(BtEngine) engine = bt_engine_new (store);
  g_autoptr(BtScheduler) sched = bt_scheduler_new (engine);
  BtTestMarket market = { 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  BtSource used[] = { BT_SOURCE_BINANCE, BT_SOURCE_BINANCE_FUTURES, BT_SOURCE_COINMETRICS };
  GAsyncResult *result = NULL;
  guint n_failed = 0;
  g_autoptr(GError) error = NULL;
  gint64 t0;
  double wall, gap;

  market.first_day = now - now % 86400 - 3652 * (gint64) 86400;
  bt_test_server_set_handler (server, timed_handler, &market);
  for (int s = 0; s < BT_N_SOURCES; s++)
    bt_scheduler_set_source_enabled (sched, s, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (used); i++)
    {
      bt_scheduler_set_source_enabled (sched, used[i], TRUE);
      bt_scheduler_set_base_url (sched, used[i], bt_test_server_get_url (server), NULL);
    }
  t0 = g_get_monotonic_time ();
  bt_test_watchdog_start ();
  bt_scheduler_run_once_async (sched, TRUE, NULL, bt_test_result_cb, &result);
  if (!bt_scheduler_run_once_finish (sched, bt_test_wait_result (&result), &n_failed, &error) || n_failed > 0)
    g_error ("backfill failed (%u sources)", n_failed);
  g_object_unref (result);
  gap = bt_test_watchdog_stop ();
  wall = (g_get_monotonic_time () - t0) / 1e6;
  printf ("ten-year backfill (3653 days: klines, funding, long/short, Coin Metrics; %u requests): "
          "%.3f s wall, %.3f s in the test server, %.3f s BTC Turbo's own (target < 2 s)\n",
          market.n_requests, wall, server_seconds, wall - server_seconds);
  printf ("longest main-loop stall during the backfill: %.1f ms (target < 100 ms)\n", gap);
  g_clear_object (&sched);
  g_clear_object (&engine);
  g_clear_object (&store);
  bt_test_remove_tree (dir);
}

static gboolean
huge_handler (const BtTestRequest *req,
              gpointer             user_data)
{
  bt_test_respond_huge (req->msg, 50 * 1024 * 1024);
  return TRUE;
}

/* A 50 MB answer, cut at the size limit: how long the main loop stalls. */
static void
bench_huge_answer (void)
{
  g_autoptr(BtTestServer) server = bt_test_server_new ();
  g_autoptr(BtHttp) http = bt_http_new ();
  g_autoptr(BtCollector) c = bt_collector_new (BT_SOURCE_BINANCE, http);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  BtBatch *batch;
  gint64 t0;
  double gap;

  bt_test_server_set_handler (server, huge_handler, NULL);
  bt_collector_set_base_url (c, bt_test_server_get_url (server), NULL);
  t0 = g_get_monotonic_time ();
  bt_test_watchdog_start ();
  bt_collector_fetch_async (c, BT_FEED_CANDLES, 1502928000, -1, NULL, NULL, bt_test_result_cb, &result);
  bt_test_wait_result (&result);
  gap = bt_test_watchdog_stop ();
  batch = bt_collector_fetch_finish (c, result, NULL, &error);
  g_object_unref (result);
  if (batch != NULL || !g_error_matches (error, BT_HTTP_ERROR, BT_HTTP_ERROR_TOO_LARGE))
    g_error ("a 50 MB answer was not refused as too large");
  printf ("a 50 MB answer refused in %.3f s; longest main-loop stall: %.1f ms (target < 100 ms)\n",
          (g_get_monotonic_time () - t0) / 1e6, gap);
}

int
main (int   argc,
      char *argv[])
{
  bench_parse ();
  bench_backfill ();
  bench_huge_answer ();
  return 0;
}
