/* test-collectors-real.c: the collectors' parsers on responses the public
 * APIs really sent (../shared/fixtures/real-captures, read at run time, see
 * its PROVENANCE.md), beside the hand-made fixtures of test-collectors.c. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "bt-base.h"
#include "bt-collectors.h"
#include "bt-http.h"
#include "bt-test-server.h"

/* The body of a capture, without its "// recorded …" note line; NULL (and
 * the test skipped) when the captures are not beside the checkout. */
static char *
read_capture (const char *name,
              gsize      *length)
{
  const char *shared = g_getenv ("BT_SHARED_DATA");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  const char *body;

  if (shared == NULL)
    {
      g_test_skip ("BT_SHARED_DATA is not set");
      return NULL;
    }
  path = g_build_filename (shared, "..", "fixtures", "real-captures", name, NULL);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      g_test_skip ("the real captures are not there");
      return NULL;
    }
  body = text;
  if (g_str_has_prefix (body, "//"))
    {
      body = strchr (body, '\n');
      g_assert_nonnull (body);
      body++;
    }
  *length = strlen (body);
  return g_strdup (body);
}

/* TEXT with its first FROM replaced by TO */
static char *
replace_first (const char *text,
               const char *from,
               const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, 2);

  return g_strjoinv (to, parts);
}

static gint64
unix_of (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

/* BODY read by the candle parser of SOURCE (Binance, Coinbase or Kraken)
 * at NOW (unix s) */
static gboolean
parse_candles (BtSource     source,
               const char  *body,
               gsize        len,
               gint64       now,
               BtBatch     *batch,
               GError     **error)
{
  switch (source)
    {
    case BT_SOURCE_BINANCE:
      return bt_parse_binance_klines (body, len, now * 1000, batch, error);
    case BT_SOURCE_COINBASE:
      return bt_parse_coinbase_candles (body, len, now, 0, G_MAXINT64, batch, error);
    default:
      return bt_parse_kraken_ohlc (body, len, batch, error);
    }
}

/* The candles of capture NAME as the parser of SOURCE reads them at NOW
 * (ISO; NULL: the epoch); NULL (the test skipped) when the captures are
 * not there. */
static BtBatch *
parsed_capture (const char *name,
                BtSource    source,
                const char *now)
{
  gsize len;
  g_autofree char *body = read_capture (name, &len);
  g_autoptr(GError) error = NULL;
  BtBatch *batch;

  if (body == NULL)
    return NULL;
  batch = bt_batch_new (source, BT_FEED_CANDLES);
  g_assert_true (parse_candles (source, body, len, now != NULL ? unix_of (now) : 0, batch, &error));
  g_assert_no_error (error);
  return batch;
}

static void
test_binance_2017 (void)
{
  /* the non-zero 12th field of 2017 is accepted */
  g_autoptr(BtBatch) batch = parsed_capture ("binance/klines-btcusdt-1d-2017-08-17-10rows.json",
                                             BT_SOURCE_BINANCE, "2026-10-06T00:00:00Z");
  const BtCandle *c;

  if (batch == NULL)
    return;
  g_assert_cmpuint (batch->candles->len, ==, 10);
  c = &g_array_index (batch->candles, BtCandle, 0);
  g_assert_cmpint (bt_day_from_unix (c->open_time), ==, bt_day_from_ymd (2017, 8, 17));
  bt_test_assert_candle (c, &(BtCandle) { 1502928000, 4261.48, 4485.39, 4200.74, 4285.08, 795.150377, FALSE });
  for (guint i = 0; i < batch->candles->len; i++)
    {
      c = &g_array_index (batch->candles, BtCandle, i);
      g_assert_cmpint (bt_day_from_unix (c->open_time), ==, bt_day_from_ymd (2017, 8, 17) + (BtDay) i);
      g_assert_cmpint (c->open_time % 86400, ==, 0);
    }
}

static void
test_binance_open_day (void)
{
  const char *name = "binance/klines-btcusdt-1d-latest.json";
  /* recorded at 07:51:56 of 2026-10-04: the day was still open */
  g_autoptr(BtBatch) open = parsed_capture (name, BT_SOURCE_BINANCE, "2026-10-04T07:51:56Z");
  g_autoptr(BtBatch) closed = NULL;

  if (open == NULL)
    return;
  g_assert_cmpuint (open->candles->len, ==, 1);
  g_assert_cmpint (bt_day_from_unix (g_array_index (open->candles, BtCandle, 0).open_time), ==,
                   bt_day_from_ymd (2026, 10, 4));
  g_assert_true (g_array_index (open->candles, BtCandle, 0).provisional);
  closed = parsed_capture (name, BT_SOURCE_BINANCE, "2026-10-05T00:00:00Z");
  g_assert_false (g_array_index (closed->candles, BtCandle, 0).provisional);
}

static void
test_kraken (void)
{
  g_autoptr(BtBatch) batch = parsed_capture ("kraken/ohlc-xbtusd-1d.json", BT_SOURCE_KRAKEN, NULL);
  const BtCandle *first, *committed, *open;

  if (batch == NULL)
    return;
  g_assert_cmpuint (batch->candles->len, ==, 38);
  first = &g_array_index (batch->candles, BtCandle, 0);
  committed = &g_array_index (batch->candles, BtCandle, 36);
  open = &g_array_index (batch->candles, BtCandle, 37);
  g_assert_cmpint (bt_day_from_unix (first->open_time), ==, bt_day_from_ymd (2026, 8, 30));
  g_assert_cmpfloat (first->open, ==, 78227.8);
  g_assert_cmpfloat (first->close, ==, 77681.6);
  g_assert_cmpfloat (first->volume, ==, 1603.48060334);    /* the 7th field; the 6th is the vwap */
  /* "last": 1791158400 (2026-10-05) is the last committed bar; the row
   * after it, 2026-10-06, was still open at 07:50 UTC when recorded */
  g_assert_cmpint (committed->open_time, ==, 1791158400);
  g_assert_cmpint (bt_day_from_unix (committed->open_time), ==, bt_day_from_ymd (2026, 10, 5));
  g_assert_false (committed->provisional);
  g_assert_cmpint (bt_day_from_unix (open->open_time), ==, bt_day_from_ymd (2026, 10, 6));
  g_assert_true (open->provisional);
}

/* A real body, edited when FROM is set (its first FROM becomes TO), that
 * the parser of SOURCE refuses, at NOW (ISO; NULL: the epoch), with an
 * error of CODE (-1: any) whose message holds CONTAINS and AND_CONTAINS;
 * ONE_LINE: the message is a single line. Nothing is kept. */
typedef struct
{
  const char *path;
  const char *capture;
  BtSource    source;
  const char *from;
  const char *to;
  const char *now;
  int         code;
  const char *contains;
  const char *and_contains;
  gboolean    one_line;
} Refused;

static const Refused refused[] = {
  /* the 2017 body with one kline's close time moved to 1502928000000 + 1 h
   * − 1 ms: a one-hour kline, not a daily bucket */
  { "/collectors/real/binance-not-daily/hourly", "binance/klines-btcusdt-1d-2017-08-17-10rows.json",
    BT_SOURCE_BINANCE, "1503014399999", "1502931599999", NULL, -1, "not a daily kline", NULL, FALSE },
  /* opening at 01:00 UTC */
  { "/collectors/real/binance-not-daily/shifted", "binance/klines-btcusdt-1d-2017-08-17-10rows.json",
    BT_SOURCE_BINANCE, "[1502928000000,", "[1502931600000,", NULL, -1, "00:00 UTC", NULL, FALSE },
  { "/collectors/real/binance-error", "binance/error-invalid-symbol.json",
    BT_SOURCE_BINANCE, NULL, NULL, NULL, -1, NULL, NULL, FALSE },
  /* the only real Coinbase Exchange body found is a one-hour bucket at
   * 11:00: never stored as a daily candle */
  { "/collectors/real/coinbase-hourly", "coinbase/ccxt-coinbaseexchange-fetchOHLCV-BTC-USDT-1h.json",
    BT_SOURCE_COINBASE, NULL, NULL, "2024-03-14T00:00:00Z", BT_COLLECTOR_ERROR_SHAPE,
    "not at 00:00 UTC", "1710327600", FALSE },
  { "/collectors/real/coinbase-advanced-trade/candles", "coinbase/advanced-trade-candles-btc-usd-1d.json",
    BT_SOURCE_COINBASE, NULL, NULL, "2026-10-06T00:00:00Z", BT_COLLECTOR_ERROR_SHAPE,
    "Advanced Trade", NULL, TRUE },
  /* its error body carries a message, like the Exchange API's */
  { "/collectors/real/coinbase-advanced-trade/error", "coinbase/advanced-trade-error-bad-granularity.json",
    BT_SOURCE_COINBASE, NULL, NULL, NULL, BT_COLLECTOR_ERROR_API, "TEN_MINUTE", NULL, FALSE },
  /* the first bar moved to 01:00 UTC, as an interval-60 answer would be */
  { "/collectors/real/kraken-not-daily", "kraken/ohlc-xbtusd-1d.json",
    BT_SOURCE_KRAKEN, "[1788048000,", "[1788051600,", NULL, -1, "00:00 UTC", NULL, FALSE },
  { "/collectors/real/kraken-error", "kraken/error-unknown-pair.json",
    BT_SOURCE_KRAKEN, NULL, NULL, NULL, BT_COLLECTOR_ERROR_API, "Unknown asset pair", NULL, FALSE },
};

static void
test_refused (gconstpointer data)
{
  const Refused *r = data;
  gsize len;
  g_autofree char *body = read_capture (r->capture, &len);
  g_autoptr(BtBatch) batch = bt_batch_new (r->source, BT_FEED_CANDLES);
  g_autoptr(GError) error = NULL;
  gint64 now = 0;

  if (body == NULL)
    return;
  if (r->from != NULL)
    {
      char *edited;

      g_assert_nonnull (strstr (body, r->from));
      edited = replace_first (body, r->from, r->to);
      g_free (body);
      body = edited;
      len = strlen (body);
    }
  if (r->now != NULL)
    now = unix_of (r->now);
  g_assert_false (parse_candles (r->source, body, len, now, batch, &error));
  g_assert_nonnull (error);
  if (r->code >= 0)
    g_assert_error (error, BT_COLLECTOR_ERROR, r->code);
  if (r->contains != NULL)
    g_assert_nonnull (strstr (error->message, r->contains));
  if (r->and_contains != NULL)
    g_assert_nonnull (strstr (error->message, r->and_contains));
  if (r->one_line)
    g_assert_null (strchr (error->message, '\n'));
  g_assert_cmpuint (batch->candles->len, ==, 0);
}

/* ---- through the collector and a loopback server ---- */

static gboolean
serve_body (const BtTestRequest *req,
            gpointer             user_data)
{
  bt_test_respond_text (req->msg, 200, user_data);
  return TRUE;
}

static BtBatch *
fetch_real (BtSource     source,
            const char  *body,
            gint64       start,
            GError     **error)
{
  g_autoptr(BtTestServer) server = bt_test_server_new ();
  g_autoptr(BtHttp) http = bt_http_new ();
  g_autoptr(BtCollector) c = bt_collector_new (source, http);

  g_assert_true (bt_collector_set_base_url (c, bt_test_server_get_url (server), NULL));
  bt_test_server_set_handler (server, serve_body, (gpointer) body);
  return bt_test_fetch (c, BT_FEED_CANDLES, start, -1, NULL, NULL, error);
}

/* The Coinbase collector given the real one-hour body: an error, no batch
 * (nothing to store); Kraken's real body: 38 daily bars. */
static void
test_collectors_served (void)
{
  gsize len;
  g_autofree char *hourly = read_capture ("coinbase/ccxt-coinbaseexchange-fetchOHLCV-BTC-USDT-1h.json", &len);
  g_autofree char *kraken = read_capture ("kraken/ohlc-xbtusd-1d.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(BtBatch) none = NULL;
  g_autoptr(BtBatch) bars = NULL;

  if (hourly == NULL || kraken == NULL)
    return;
  none = fetch_real (BT_SOURCE_COINBASE, hourly, 1710288000, &error);     /* 2024-03-13 */
  g_assert_null (none);
  g_assert_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_SHAPE);
  g_assert_nonnull (strstr (error->message, "not at 00:00 UTC"));
  g_clear_error (&error);
  bars = fetch_real (BT_SOURCE_KRAKEN, kraken, 1788000000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bars->candles->len, ==, 38);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/collectors/real/binance-2017", test_binance_2017);
  g_test_add_func ("/collectors/real/binance-open-day", test_binance_open_day);
  g_test_add_func ("/collectors/real/kraken", test_kraken);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    g_test_add_data_func (refused[i].path, &refused[i], test_refused);
  g_test_add_func ("/collectors/real/served", test_collectors_served);

  return g_test_run ();
}
