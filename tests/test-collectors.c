/* Collectors: the parsers on the DATA_SOURCES.md fixtures (values checked
 * against the fixtures README's worked values), and every fault a
 * loopback server can produce, each ending in a clear error while the main
 * loop keeps turning (a 10 ms watchdog). */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "bt-base.h"
#include "bt-collectors.h"
#include "bt-test-events.h"
#include "bt-test-server.h"
#include "bt-http-private.h"

static char *
load (const char *name,
      gsize      *len)
{
  g_autofree char *path = bt_test_fixture_path (name);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, len, NULL));
  return text;
}

static BtObservation *
obs_at (BtBatch    *batch,
        const char *metric,
        guint       i)
{
  BtSeries *s = bt_batch_find_series (batch, metric);

  g_assert_nonnull (s);
  g_assert_cmpuint (i, <, s->obs->len);
  return &g_array_index (s->obs, BtObservation, i);
}

/* observation I of METRIC in BATCH is VALUE at TIME */
static void
assert_obs (BtBatch    *batch,
            const char *metric,
            guint       i,
            gint64      time,
            double      value)
{
  BtObservation *o = obs_at (batch, metric, i);

  g_assert_cmpint (o->time, ==, time);
  g_assert_cmpfloat (o->value, ==, value);
}

/* ---- parsers ---- */

/* A parser test on one fixture file: its text and an empty batch of the
 * source and feed it comes from. */
typedef struct
{
  char    *text;
  gsize    len;
  char    *text2;   /* a second reply (FILE2 of the case), or NULL */
  gsize    len2;
  BtBatch *batch;
  BtBatch *batch2;  /* for a second reply, of the same source and feed */
  GError  *error;
} Parsed;

typedef struct
{
  const char *path;
  void      (*test) (Parsed *p, gconstpointer data);
  const char *file;
  BtSource    source;
  BtFeed      feed;
  const char *file2;
} ParseCase;

static void
parsed_setup (Parsed        *p,
              gconstpointer  data)
{
  const ParseCase *c = data;

  p->text = load (c->file, &p->len);
  if (c->file2 != NULL)
    p->text2 = load (c->file2, &p->len2);
  p->batch = bt_batch_new (c->source, c->feed);
  p->batch2 = bt_batch_new (c->source, c->feed);
}

static void
parsed_teardown (Parsed        *p,
                 gconstpointer  data)
{
  g_free (p->text);
  g_free (p->text2);
  g_clear_pointer (&p->batch, bt_batch_free);
  g_clear_pointer (&p->batch2, bt_batch_free);
  g_clear_error (&p->error);
}

static void
test_binance_klines (Parsed        *p,
                     gconstpointer  data)
{
  BtCandle *c;

  g_assert_true (bt_parse_binance_klines (p->text, p->len, G_GINT64_CONSTANT (1553817599999), p->batch,
                                          &p->error));
  g_assert_no_error (p->error);
  g_assert_cmpuint (p->batch->candles->len, ==, 7);
  c = &g_array_index (p->batch->candles, BtCandle, 0);
  /* first row: 1553212800000 ms = 2019-03-22, O 4078.66 H 4089 L 3998 C 4022.29 */
  g_assert_cmpint (bt_day_from_unix (c->open_time), ==, bt_day_from_ymd (2019, 3, 22));
  bt_test_assert_candle (c, &(BtCandle) { 1553212800, 4078.66, 4089.0, 3998.0, 4022.29, 24869.401183, FALSE });
  /* with "now" inside the last day, its bar is the live one */
  g_clear_pointer (&p->batch, bt_batch_free);
  p->batch = bt_batch_new (BT_SOURCE_BINANCE, BT_FEED_CANDLES);
  g_assert_true (bt_parse_binance_klines (p->text, p->len, G_GINT64_CONSTANT (1553800000000), p->batch, NULL));
  g_assert_true (g_array_index (p->batch->candles, BtCandle, 6).provisional);
  g_assert_false (g_array_index (p->batch->candles, BtCandle, 5).provisional);

  /* a JSON escape (\u0034 = '4') sends the answer through the full JSON
   * parser instead of the fast scanner: both read the same candles */
  {
    g_autoptr(GString) escaped = g_string_new (p->text);
    g_autoptr(BtBatch) slow = bt_batch_new (BT_SOURCE_BINANCE, BT_FEED_CANDLES);

    g_string_replace (escaped, "\"4078.66000000\"", "\"\\u0034078.66000000\"", 1);
    g_assert_true (bt_parse_binance_klines (escaped->str, escaped->len, G_GINT64_CONSTANT (1553800000000),
                                            slow, &p->error));
    g_assert_no_error (p->error);
    g_assert_cmpuint (slow->candles->len, ==, p->batch->candles->len);
    for (guint i = 0; i < slow->candles->len; i++)
      bt_test_assert_candle (&g_array_index (slow->candles, BtCandle, i),
                             &g_array_index (p->batch->candles, BtCandle, i));
  }
}

static void
expect_shape (gboolean    ok,
              GError     *error,
              const char *needle)
{
  g_assert_false (ok);
  g_assert_nonnull (error);
  g_assert_true (error->domain == BT_COLLECTOR_ERROR);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("“%s” not in “%s”", needle, error->message);
}

static void
test_binance_klines_bad (void)
{
  struct { const char *body; const char *needle; } cases[] = {
    /* seconds where ms belong */
    { "[[1553212800,\"1\",\"1\",\"1\",\"1\",\"1\",1553299199,\"1\",1,\"1\",\"1\",\"0\"]]", "milliseconds" },
    /* strings where numbers belong */
    { "[[\"1553212800000\",\"1\",\"1\",\"1\",\"1\",\"1\",1553299199999,\"1\",1,\"1\",\"1\",\"0\"]]", "integer" },
    /* numbers where strings belong */
    { "[[1553212800000,1,1,1,1,1,1553299199999,\"1\",1,\"1\",\"1\",\"0\"]]", "decimal strings" },
    /* wrong shape */
    { "{\"data\":[]}", NULL },
    { "[[1553212800000]]", "fields" },
    /* truncated */
    { "[[1553212800000,\"4078.66", "JSON" },
    /* a pt_BR decimal comma is not a number */
    { "[[1553212800000,\"4078,66\",\"1\",\"1\",\"1\",\"1\",1553299199999,\"1\",1,\"1\",\"1\",\"0\"]]", NULL },
    /* descending rows */
    { "[[1553299200000,\"1\",\"1\",\"1\",\"1\",\"1\",1553385599999,\"1\",1,\"1\",\"1\",\"0\"],"
      "[1553212800000,\"1\",\"1\",\"1\",\"1\",\"1\",1553299199999,\"1\",1,\"1\",\"1\",\"0\"]]", "previous" },
    { "", "empty" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BtBatch) batch = bt_batch_new (BT_SOURCE_BINANCE, BT_FEED_CANDLES);
      g_autoptr(GError) error = NULL;
      gboolean ok = bt_parse_binance_klines (cases[i].body, strlen (cases[i].body), 0, batch, &error);

      expect_shape (ok, error, cases[i].needle);
    }
}

static void
test_coinbase (Parsed        *p,
               gconstpointer  data)
{
  BtCandle *first;
  BtCandle *last;

  /* window 2019-03-22 .. 2019-03-27: the fixture's 2019-03-28 row is filtered out */
  g_assert_true (bt_parse_coinbase_candles (p->text, p->len, G_MAXINT32, 1553212800, 1553644800, p->batch,
                                            &p->error));
  g_assert_no_error (p->error);
  g_assert_cmpuint (p->batch->candles->len, ==, 6);
  first = &g_array_index (p->batch->candles, BtCandle, 0);
  last = &g_array_index (p->batch->candles, BtCandle, 5);
  /* newest first in the answer → ascending here */
  g_assert_cmpint (first->open_time, ==, 1553212800);
  g_assert_cmpint (last->open_time, ==, 1553644800);
  /* 2019-03-27: [1553644800, 3956.85, 4107.56, 3972.54, 3985.77, …] = time, low, high, open, close */
  g_assert_cmpfloat (last->low, ==, 3956.85);
  g_assert_cmpfloat (last->high, ==, 4107.56);
  g_assert_cmpfloat (last->open, ==, 3972.54);
  g_assert_cmpfloat (last->close, ==, 3985.77);

  {
    const char *bad[] = {
      "[[1553731200000,3979.12,4100,3985.77,4085.81,6021.2]]",      /* ms where s belong */
      "[[1553731200,\"3979.12\",4100,3985.77,4085.81,6021.2]]",     /* a string price */
      "{\"message\":\"User-Agent header is required.\"}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(BtBatch) b = bt_batch_new (BT_SOURCE_COINBASE, BT_FEED_CANDLES);
        g_autoptr(GError) e = NULL;
        gboolean ok = bt_parse_coinbase_candles (bad[i], strlen (bad[i]), G_MAXINT32, 0, G_MAXINT64, b, &e);

        expect_shape (ok, e, NULL);
      }
  }
}

static void
test_kraken (Parsed        *p,
             gconstpointer  data)
{
  g_autofree char *err_text = NULL;
  BtCandle *c;

  g_assert_true (bt_parse_kraken_ohlc (p->text, p->len, p->batch, &p->error));
  g_assert_no_error (p->error);
  g_assert_cmpuint (p->batch->candles->len, ==, 7);
  c = &g_array_index (p->batch->candles, BtCandle, 0);
  /* [1709251200,"61130.9","63178.0","60777.0","62397.4","62021.4"(vwap),"3527.63314590"(volume),52341] */
  g_assert_cmpfloat (c->close, ==, 62397.4);
  g_assert_cmpfloat (c->volume, ==, 3527.6331459);
  g_assert_false (c->provisional);
  g_assert_true (g_array_index (p->batch->candles, BtCandle, 6).provisional);

  /* errors come with HTTP 200 */
  err_text = load ("net-kraken-error.json", &p->len);
  g_clear_pointer (&p->batch, bt_batch_free);
  p->batch = bt_batch_new (BT_SOURCE_KRAKEN, BT_FEED_CANDLES);
  g_assert_false (bt_parse_kraken_ohlc (err_text, p->len, p->batch, &p->error));
  g_assert_error (p->error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_API);
  g_assert_nonnull (strstr (p->error->message, "EQuery:Unknown asset pair"));
}

static void
test_funding (Parsed        *p,
              gconstpointer  data)
{
  g_autofree char *old = NULL;
  BtSeries *s;
  double sum = 0;

  g_assert_true (bt_parse_binance_funding (p->text, p->len, p->batch, &p->error));
  g_assert_no_error (p->error);
  s = bt_batch_find_series (p->batch, "funding_rate");
  g_assert_cmpuint (s->obs->len, ==, 9);
  for (guint i = 0; i < s->obs->len; i++)
    {
      BtObservation *o = &g_array_index (s->obs, BtObservation, i);

      sum += o->value;
      /* no look-ahead: every settlement of 2024-03-01..03 stays in its own UTC day */
      g_assert_cmpint (bt_day_from_unix (o->time), ==, bt_day_from_ymd (2024, 3, 1) + (gint) i / 3);
    }
  /* fixtures README: mean of the 9 rates = 0.0589945556 % per 8 h (×100 applied) */
  g_assert_cmpfloat_with_epsilon (sum / 9, 0.0589945556, 1e-10);

  /* 2019 settlements: markPrice "" is fine */
  old = load ("net-binance-funding-rate-2019.json", &p->len);
  g_clear_pointer (&p->batch, bt_batch_free);
  p->batch = bt_batch_new (BT_SOURCE_BINANCE_FUTURES, BT_FEED_FUNDING);
  g_assert_true (bt_parse_binance_funding (old, p->len, p->batch, &p->error));
  g_assert_no_error (p->error);
  g_assert_cmpint (obs_at (p->batch, "funding_rate", 0)->time, ==, 1568102400);
}

static void
test_long_short (Parsed        *p,
                 gconstpointer  data)
{
  const char *as_string = "[{\"symbol\":\"BTCUSDT\",\"longAccount\":\"0.6734\",\"longShortRatio\":\"2.0618\","
                          "\"shortAccount\":\"0.3266\",\"timestamp\":\"1709251200000\"}]";

  g_assert_true (bt_parse_binance_long_short (p->text, p->len, p->batch, &p->error));
  g_assert_no_error (p->error);
  /* 2024-03-01: 0.6734 / 0.3266 = 2.0618 */
  assert_obs (p->batch, "long_short", 0, 1709251200, 2.0618);
  /* the docs' example has a string timestamp: accepted too */
  g_assert_true (bt_parse_binance_long_short (as_string, strlen (as_string), p->batch2, &p->error));
  g_assert_cmpint (obs_at (p->batch2, "long_short", 0)->time, ==, 1709251200);
}

static void
test_coinmetrics (Parsed        *p,
                  gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *token2 = NULL;
  /* fixtures README: FlowInExNtv − FlowOutExNtv, 22nd to 28th */
  const double netflow[] = { -2092.25338237, 247.75836171, -1071.35226684, 3568.60408264,
                             -798.38095922, -2752.59660877, 910.47180649 };

  g_assert_true (bt_parse_coinmetrics (p->text, p->len, p->batch, &token, &p->error));
  g_assert_no_error (p->error);
  g_assert_cmpstr (token, ==, "0.MjAxOS0wMy0yNVQwMDowMDowMFo");
  g_assert_true (bt_parse_coinmetrics (p->text2, p->len2, p->batch, &token2, &p->error));
  g_assert_no_error (p->error);
  g_assert_null (token2);
  g_assert_cmpuint (p->batch->unavailable->len, ==, 0);
  g_assert_cmpuint (p->batch->candles->len, ==, 7);
  /* 2019-03-22: realized cap = CapMrktCurUSD / CapMVRVCur = 76,060,296,972.50 (to the cent) */
  g_assert_cmpint (obs_at (p->batch, "realized_cap", 0)->time, ==, 1553212800);
  g_assert_cmpfloat_with_epsilon (obs_at (p->batch, "realized_cap", 0)->value, 76060296972.50, 0.01);
  /* realized price = PriceUSD / CapMVRVCur = 4,320.4989 */
  g_assert_cmpfloat_with_epsilon (g_array_index (p->batch->candles, BtCandle, 0).close
                                  / obs_at (p->batch, "mvrv_ratio", 0)->value, 4320.4989, 1e-4);
  g_assert_true (isnan (g_array_index (p->batch->candles, BtCandle, 0).open));
  for (guint i = 0; i < 7; i++)
    g_assert_cmpfloat_with_epsilon (obs_at (p->batch, "netflow", i)->value, netflow[i], 1e-8);
}

static void
test_coinmetrics_unavailable (void)
{
  /* CapMVRVCur and the flows dropped (forbidden, ignore_forbidden_errors=true);
   * null PriceUSD means no data for that row */
  const char *body = "{\"data\":[{\"asset\":\"btc\",\"time\":\"2019-03-22T00:00:00.000000000Z\","
                     "\"CapMrktCurUSD\":\"70919972608.98766\",\"PriceUSD\":null,\"SplyCur\":\"17604512.5\"}]}";
  const char *numbers = "{\"data\":[{\"asset\":\"btc\",\"time\":\"2019-03-22T00:00:00.000000000Z\","
                        "\"PriceUSD\":4028.51}]}";
  g_autoptr(BtBatch) batch = bt_batch_new (BT_SOURCE_COINMETRICS, BT_FEED_ONCHAIN);
  g_autoptr(BtBatch) b2 = bt_batch_new (BT_SOURCE_COINMETRICS, BT_FEED_ONCHAIN);
  g_autoptr(GError) error = NULL;
  gboolean seen_netflow = FALSE, seen_mvrv = FALSE, seen_rcap = FALSE;
  gboolean ok;

  g_assert_true (bt_parse_coinmetrics (body, strlen (body), batch, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < batch->unavailable->len; i++)
    {
      const char *m = g_ptr_array_index (batch->unavailable, i);

      seen_netflow |= strcmp (m, "netflow") == 0;
      seen_mvrv |= strcmp (m, "mvrv_ratio") == 0;
      seen_rcap |= strcmp (m, "realized_cap") == 0;
    }
  g_assert_true (seen_netflow && seen_mvrv && seen_rcap);
  /* missing is missing: nothing was invented */
  g_assert_null (bt_batch_find_series (batch, "netflow"));
  g_assert_null (bt_batch_find_series (batch, "realized_cap"));
  g_assert_cmpuint (batch->candles->len, ==, 0);
  g_assert_cmpfloat (obs_at (batch, "market_cap", 0)->value, ==, 70919972608.98766);
  /* numbers where strings belong */
  ok = bt_parse_coinmetrics (numbers, strlen (numbers), b2, NULL, &error);
  expect_shape (ok, error, "string");
}

static void
test_bgeometrics (Parsed        *p,
                  gconstpointer  data)
{
  g_assert_true (bt_parse_bgeometrics (p->text, p->len, "sthSopr", "sth_sopr", p->batch, &p->error));
  g_assert_no_error (p->error);
  assert_obs (p->batch, "sth_sopr", 0, 1709251200, 1.0112);
  /* the string-typed variant */
  g_assert_true (bt_parse_bgeometrics (p->text2, p->len2, "puellMultiple", "puell", p->batch2, &p->error));
  g_assert_no_error (p->error);
  g_assert_cmpfloat (obs_at (p->batch2, "puell", 0)->value, ==, 1.9843);
}

static void
test_notion (Parsed        *p,
             gconstpointer  data)
{
  const char *mapping[] = { "STH-SOPR=sth_sopr", NULL };
  g_autofree char *cursor = NULL;
  g_autofree char *cursor2 = NULL;

  g_assert_true (bt_parse_notion (p->text, p->len, "Date", mapping, p->batch, &cursor, &p->error));
  g_assert_no_error (p->error);
  g_assert_nonnull (cursor);
  g_assert_true (bt_parse_notion (p->text2, p->len2, "Date", mapping, p->batch, &cursor2, &p->error));
  g_assert_no_error (p->error);
  g_assert_null (cursor2);
  /* page 1: 2024-03-01 → 1.0112; the "number": null row is skipped */
  assert_obs (p->batch, "sth_sopr", 0, 1709251200, 1.0112);
}

static const ParseCase parse_cases[] = {
  { "/core/collectors/binance-klines", test_binance_klines,
    "net-binance-klines-1d.json", BT_SOURCE_BINANCE, BT_FEED_CANDLES },
  { "/core/collectors/coinbase", test_coinbase,
    "net-coinbase-candles-1d.json", BT_SOURCE_COINBASE, BT_FEED_CANDLES },
  { "/core/collectors/kraken", test_kraken,
    "net-kraken-ohlc-1d.json", BT_SOURCE_KRAKEN, BT_FEED_CANDLES },
  { "/core/collectors/funding", test_funding,
    "net-binance-funding-rate.json", BT_SOURCE_BINANCE_FUTURES, BT_FEED_FUNDING },
  { "/core/collectors/long-short", test_long_short,
    "net-binance-global-long-short-ratio.json", BT_SOURCE_BINANCE_FUTURES, BT_FEED_LONG_SHORT },
  { "/core/collectors/bgeometrics", test_bgeometrics,
    "net-bgeometrics-sth-sopr.json", BT_SOURCE_BGEOMETRICS, BT_FEED_STH_SOPR,
    "net-bgeometrics-puell-multiple-strings.json" },
  { "/core/collectors/coinmetrics", test_coinmetrics,
    "net-coinmetrics-asset-metrics.json", BT_SOURCE_COINMETRICS, BT_FEED_ONCHAIN,
    "net-coinmetrics-asset-metrics-page2.json" },
  { "/core/collectors/notion", test_notion,
    "net-notion-databases-query.json", BT_SOURCE_NOTION, BT_FEED_NOTION,
    "net-notion-databases-query-page2.json" },
};

/* ---- HTTP ---- */

static void
test_http_helpers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *norm = NULL;

  g_assert_true (bt_http_host_is_loopback ("127.0.0.1"));
  g_assert_true (bt_http_host_is_loopback ("127.12.0.9"));
  g_assert_true (bt_http_host_is_loopback ("::1"));
  g_assert_true (bt_http_host_is_loopback ("[::1]"));
  g_assert_true (bt_http_host_is_loopback ("localhost"));
  g_assert_false (bt_http_host_is_loopback ("128.0.0.1"));
  g_assert_false (bt_http_host_is_loopback ("example.org"));
  g_assert_true (bt_http_check_url ("https://example.org/x", NULL));
  g_assert_true (bt_http_check_url ("http://127.0.0.1:8080/x", NULL));
  g_assert_false (bt_http_check_url ("http://example.org/x", &error));
  g_assert_error (error, BT_HTTP_ERROR, BT_HTTP_ERROR_INSECURE);
  g_clear_error (&error);
  g_assert_false (bt_http_check_url ("ftp://example.org/x", &error));
  g_assert_error (error, BT_HTTP_ERROR, BT_HTTP_ERROR_BAD_URL);
  g_clear_error (&error);
  norm = bt_http_normalize_base_url ("http://127.0.0.1:4242/", &error);
  g_assert_cmpstr (norm, ==, "http://127.0.0.1:4242");
  g_assert_null (bt_http_normalize_base_url ("https://example.org/api", &error));
  g_assert_error (error, BT_HTTP_ERROR, BT_HTTP_ERROR_BAD_URL);
  g_clear_error (&error);

  g_assert_cmpint (bt_http_parse_retry_after ("23", 0), ==, 23);
  g_assert_cmpint (bt_http_parse_retry_after (" 120 ", 0), ==, 120);
  g_assert_cmpint (bt_http_parse_retry_after (NULL, 0), ==, -1);
  g_assert_cmpint (bt_http_parse_retry_after ("soon", 0), ==, -1);
  /* RFC 9110's example date, Sun, 06 Nov 1994 08:49:37 GMT = 784111777, 40 s after "now" */
  g_assert_cmpint (bt_http_parse_retry_after ("Sun, 06 Nov 1994 08:49:37 GMT", 784111737), ==, 40);
  g_assert_cmpint (bt_http_parse_retry_after ("Sun, 06 Nov 1994 08:49:37 GMT", 784111800), ==, 0);
  /* a date a day ahead (784111777 − 86400 = 784025377 is "now"): capped to 1 hour */
  g_assert_cmpint (bt_http_parse_retry_after ("Sun, 06 Nov 1994 08:49:37 GMT", 784025377), ==, 3600);
  /* 3 days (Binance's longest ban, 259200 s) is honoured; more is not a real answer */
  g_assert_cmpint (bt_http_parse_retry_after ("259200", 0), ==, 259200);
  g_assert_cmpint (bt_http_parse_retry_after ("259201", 0), ==, -1);
  g_assert_cmpint (bt_http_parse_retry_after ("99999999999999999999999", 0), ==, -1);
  g_assert_cmpint (bt_http_parse_retry_after ("-5", 0), ==, -1);
  g_assert_cmpint (bt_http_parse_retry_after ("12abc", 0), ==, -1);
}

typedef enum
{
  FAULT_NONE,
  FAULT_429,
  FAULT_418,
  FAULT_500,
  FAULT_STALL,
  FAULT_STALL_BODY,
  FAULT_TRUNCATED,
  FAULT_WRONG_SHAPE,
  FAULT_STRINGS,
  FAULT_EMPTY,
  FAULT_HUGE,
  FAULT_REDIRECT,
  FAULT_CM_REPEAT,
  FAULT_CM_BACKWARDS,
  FAULT_DATE_429,
} Fault;

typedef struct
{
  Fault        fault;
  BtTestMarket market;
} Mode;

static gboolean
fault_handler (const BtTestRequest *req,
               gpointer             user_data)
{
  Mode *mode = user_data;

  switch (mode->fault)
    {
    case FAULT_429:
      bt_test_add_header (req->msg, "Retry-After", "23");
      bt_test_respond_file (req->msg, 429, "net-binance-error-429.json");
      return TRUE;
    case FAULT_DATE_429:
      bt_test_add_header (req->msg, "Retry-After", "Fri, 31 Dec 2100 23:59:59 GMT");
      bt_test_respond_text (req->msg, 429, "{\"message\":\"Public rate limit exceeded\"}");
      return TRUE;
    case FAULT_418:
      bt_test_add_header (req->msg, "Retry-After", "120");
      bt_test_respond_file (req->msg, 418, "net-binance-error-418.json");
      return TRUE;
    case FAULT_500:
      bt_test_respond_text (req->msg, 503, "<html>busy</html>");
      return TRUE;
    case FAULT_STALL:
      bt_test_stall (req->server, req->msg);
      return TRUE;
    case FAULT_STALL_BODY:
      soup_server_message_set_status (req->msg, 200, NULL);
      soup_message_headers_set_encoding (soup_server_message_get_response_headers (req->msg),
                                         SOUP_ENCODING_CHUNKED);
      soup_message_body_append (soup_server_message_get_response_body (req->msg), SOUP_MEMORY_STATIC,
                                "[[1553212800000,", 16);
      /* the body never completes: the client sees a stalled read */
      return TRUE;
    case FAULT_TRUNCATED:
      bt_test_respond_text (req->msg, 200, "[[1553212800000,\"4078.66000000\",\"4089.0");
      return TRUE;
    case FAULT_WRONG_SHAPE:
      bt_test_respond_text (req->msg, 200, "{\"symbol\":\"BTCUSDT\",\"klines\":[]}");
      return TRUE;
    case FAULT_STRINGS:
      bt_test_respond_text (req->msg, 200, "[[\"1553212800000\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1553299199999\","
                                      "\"1\",\"1\",\"1\",\"1\",\"0\"]]");
      return TRUE;
    case FAULT_EMPTY:
      bt_test_respond_text (req->msg, 200, "[]");
      return TRUE;
    case FAULT_HUGE:
      bt_test_respond_huge (req->msg, 50 * 1024 * 1024);
      return TRUE;
    case FAULT_REDIRECT:
      bt_test_add_header (req->msg, "Location", "https://elsewhere.invalid/api/v3/klines");
      bt_test_respond_text (req->msg, 302, "");
      return TRUE;
    case FAULT_CM_REPEAT:
      bt_test_respond_text (req->msg, 200, "{\"data\":[{\"asset\":\"btc\",\"time\":\"2019-03-22T00:00:00.000000000Z\","
                                      "\"PriceUSD\":\"4028.51\"}],\"next_page_token\":\"0.same\"}");
      return TRUE;
    case FAULT_CM_BACKWARDS:
      if (g_hash_table_lookup (req->query, "next_page_token") == NULL)
        bt_test_respond_text (req->msg, 200, "{\"data\":[{\"asset\":\"btc\",\"time\":\"2019-03-22T00:00:00.000000000Z\","
                                        "\"PriceUSD\":\"4028.51\"}],\"next_page_token\":\"0.a\"}");
      else
        bt_test_respond_text (req->msg, 200, "{\"data\":[{\"asset\":\"btc\",\"time\":\"2019-03-21T00:00:00.000000000Z\","
                                        "\"PriceUSD\":\"4000.1\"}],\"next_page_token\":\"0.b\"}");
      return TRUE;
    case FAULT_NONE:
    default:
      return bt_test_market_handler (req, &mode->market);
    }
}

static BtCollector *
collector_for (BtSource      source,
               BtTestServer *server,
               BtHttp       *http)
{
  BtCollector *c = bt_collector_new (source, http);
  g_autoptr(GError) error = NULL;

  g_assert_true (bt_collector_set_base_url (c, bt_test_server_get_url (server), &error));
  g_assert_no_error (error);
  return c;
}

/* A loopback server answering through fault_handler with MODE, and a
 * client; tests that need a collector make it with collector_for. */
typedef struct
{
  BtTestServer *server;
  BtHttp       *http;
  Mode          mode;
} Net;

static void
net_setup (Net           *n,
           gconstpointer  data)
{
  n->server = bt_test_server_new ();
  n->http = bt_http_new ();
  bt_test_server_set_handler (n->server, fault_handler, &n->mode);
}

static void
net_teardown (Net           *n,
              gconstpointer  data)
{
  g_clear_object (&n->http);
  g_clear_pointer (&n->server, bt_test_server_free);
}

/* Notion without its token or database: a clear error, and no request. */
static void
test_notion_unconfigured (Net           *n,
                          gconstpointer  data)
{
  g_autoptr(BtCollector) c = collector_for (BT_SOURCE_NOTION, n->server, n->http);
  g_autoptr(GError) error = NULL;
  g_autoptr(BtBatch) batch = NULL;

  batch = bt_test_fetch (c, BT_FEED_NOTION, 1700000000, -1, NULL, NULL, &error);
  g_assert_null (batch);
  g_assert_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_CONFIG);
  g_assert_cmpuint (n->mode.market.n_requests, ==, 0);
}

/* A backfill walked page by page: DAYS days from START, served from
 * FIRST_DAY on, in pages of PAGE_SIZE rows (0: the collector's own), in
 * PAGES requests. */
typedef struct _Paging Paging;
struct _Paging
{
  BtSource source;
  BtFeed   feed;
  gint64   start;
  guint    days;
  gint64   first_day;
  guint    page_size;
  guint    pages;
  /* what else the walk must show (NULL: nothing) */
  void   (*check) (Net          *n,
                   BtCollector  *c,
                   const Paging *p,
                   GArray       *candles);
};

static gint64
paging_end (const Paging *p)
{
  return p->start + (gint64) (p->days - 1) * 86400;
}

/* The page of P's backfill from C that CURSOR points to (NULL: the first). */
static BtBatch *
fetch_page (BtCollector   *c,
            const Paging  *p,
            const char    *cursor,
            GError       **error)
{
  return bt_test_fetch (c, p->feed, p->start, paging_end (p), cursor, NULL, error);
}

/* Every page of P's backfill from C, following the cursors (at most 10
 * pages): one candle a day from its start, in P's number of pages. */
static GArray *
walk_pages (Net          *n,
            BtCollector  *c,
            const Paging *p)
{
  GArray *candles = g_array_new (FALSE, FALSE, sizeof (BtCandle));
  g_autofree char *cursor = NULL;
  guint pages = 0;

  n->mode.market.first_day = p->first_day;
  if (p->page_size > 0)
    bt_collector_set_page_size (c, p->page_size);
  do
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BtBatch) batch = fetch_page (c, p, cursor, &error);

      g_assert_no_error (error);
      pages++;
      g_array_append_vals (candles, batch->candles->data, batch->candles->len);
      g_free (cursor);
      cursor = g_strdup (batch->next_cursor);
    }
  while (cursor != NULL && pages < 10);
  for (guint i = 0; i < candles->len; i++)
    g_assert_cmpint (g_array_index (candles, BtCandle, i).open_time, ==, p->start + (gint64) i * 86400);
  g_assert_cmpuint (candles->len, ==, p->days);
  g_assert_cmpuint (pages, ==, p->pages);
  return candles;
}

static void
test_faults (Net           *n,
             gconstpointer  data)
{
  g_autoptr(BtCollector) c = collector_for (BT_SOURCE_BINANCE, n->server, n->http);
  struct { Fault fault; GQuark domain; int code; gint64 retry_after; } cases[] = {
    { FAULT_429, 0, BT_HTTP_ERROR_RATE_LIMITED, 23 },
    { FAULT_DATE_429, 0, BT_HTTP_ERROR_RATE_LIMITED, -2 },
    { FAULT_418, 0, BT_HTTP_ERROR_BANNED, 120 },
    { FAULT_500, 0, BT_HTTP_ERROR_SERVER, -1 },
    { FAULT_STALL, 0, BT_HTTP_ERROR_TIMEOUT, -1 },
    { FAULT_STALL_BODY, 0, BT_HTTP_ERROR_TIMEOUT, -1 },
    { FAULT_TRUNCATED, 1, BT_COLLECTOR_ERROR_PARSE, -1 },
    { FAULT_WRONG_SHAPE, 1, BT_COLLECTOR_ERROR_SHAPE, -1 },
    { FAULT_STRINGS, 1, BT_COLLECTOR_ERROR_SHAPE, -1 },
    { FAULT_EMPTY, 1, BT_COLLECTOR_ERROR_SHAPE, -1 },
    { FAULT_HUGE, 0, BT_HTTP_ERROR_TOO_LARGE, -1 },
    { FAULT_REDIRECT, 0, BT_HTTP_ERROR_REDIRECT, -1 },
  };
  double gap;

  n->mode.market.first_day = 1502928000;
  bt_test_watchdog_start ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BtBatch) batch = NULL;
      BtHttpReply reply;

      n->mode.fault = cases[i].fault;
      /* Only a stalled answer can end in the deadline, so only those cases
       * get a short one; every other case ends on what the server sends
       * and gets a deadline far above any run (a 50 MB body under
       * AddressSanitizer on a busy machine takes seconds). */
      bt_http_set_timeout_ms (n->http, cases[i].fault == FAULT_STALL || cases[i].fault == FAULT_STALL_BODY
                                    ? 400 : SAFETY_NET_MS);
      /* a first page of a range that has data (a backfill from 2017) */
      batch = bt_test_fetch (c, BT_FEED_CANDLES, 1502928000, -1, NULL, &reply, &error);
      g_test_message ("fault %d: %s", cases[i].fault, error != NULL ? error->message : "(none)");
      g_assert_null (batch);
      g_assert_error (error, (cases[i].domain == 0 ? BT_HTTP_ERROR : BT_COLLECTOR_ERROR), cases[i].code);
      g_assert_cmpuint (strlen (error->message), >, 10);
      if (cases[i].retry_after == -2)
        g_assert_cmpint (reply.retry_after, >, 0);
      else
        g_assert_cmpint (reply.retry_after, ==, cases[i].retry_after);
      if (cases[i].fault == FAULT_418)
        g_assert_nonnull (strstr (error->message, "-1003"));
      if (cases[i].fault == FAULT_REDIRECT)
        g_assert_nonnull (strstr (error->message, "elsewhere.invalid"));
    }
  gap = bt_test_watchdog_stop ();
  g_test_message ("largest main-loop gap: %.1f ms", gap);
  /* the figure is measured by bench-collectors; here only a loop that
   * stopped turning (a synchronous read of the whole body) fails */
  g_assert_cmpfloat (gap, <, BT_TEST_WATCHDOG_SAFETY_MS);
  /* the User-Agent is set (Coinbase refuses requests without one) */
  g_assert_true (g_str_has_prefix (bt_test_server_last_user_agent (n->server), "btc-turbo/"));
}

/* A failing assertion prints the events the test saw (bt-test-events.h):
 * here a request served and a fetch, then the abort () a failed assertion
 * ends in (in a test subprocess GLib exits instead, so it is called
 * directly). */
static void
test_events_on_failure (void)
{
  if (g_test_subprocess ())
    {
      bt_test_events_start ("/core/collectors/events-on-failure");
      bt_test_event ("server: GET /api/v3/klines?symbol=BTCUSDT");
      bt_test_event ("fetch ends: %s", "Binance: unexpected answer");
      abort ();
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*events seen by /core/collectors/events-on-failure before the failure*"
                             "server: GET /api/v3/klines?symbol=BTCUSDT*"
                             "fetch ends: Binance: unexpected answer*");
}

static void
test_refused (void)
{
  g_autoptr(BtHttp) http = bt_http_new ();
  g_autoptr(BtCollector) c = bt_collector_new (BT_SOURCE_BINANCE, http);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  BtBatch *batch;

  {
    /* a port that was just free: nothing listens there any more */
    BtTestServer *gone = bt_test_server_new ();

    url = g_strdup (bt_test_server_get_url (gone));
    bt_test_server_free (gone);
  }
  g_assert_true (bt_collector_set_base_url (c, url, NULL));
  batch = bt_test_fetch (c, BT_FEED_CANDLES, 1502928000, -1, NULL, NULL, &error);
  g_assert_null (batch);
  g_assert_error (error, BT_HTTP_ERROR, BT_HTTP_ERROR_NETWORK);

  /* plain http to a host that is not loopback is refused before any traffic */
  g_clear_error (&error);
  g_assert_false (bt_collector_set_base_url (c, "http://example.org", &error));
  g_assert_error (error, BT_HTTP_ERROR, BT_HTTP_ERROR_INSECURE);
}

static void
test_cancel (Net           *n,
             gconstpointer  data)
{
  g_autoptr(BtCollector) c = collector_for (BT_SOURCE_BINANCE, n->server, n->http);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  BtBatch *batch;

  n->mode.fault = FAULT_STALL;
  bt_collector_fetch_async (c, BT_FEED_CANDLES, 1502928000, -1, NULL, cancel, bt_test_result_cb, &result);
  while (bt_test_server_count (n->server, "/api/") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancel);
  batch = bt_collector_fetch_finish (c, bt_test_wait_result (&result), NULL, &error);
  g_object_unref (result);
  g_assert_null (batch);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
check_coinmetrics_paging (Net          *n,
                          BtCollector  *c,
                          const Paging *p,
                          GArray       *candles)
{
  GPtrArray *log = bt_test_server_get_log (n->server);
  Fault faults[] = { FAULT_CM_REPEAT, FAULT_CM_BACKWARDS };

  /* every request on our own base URL with the token (never the absolute
   * next_page_url) */
  g_assert_cmpuint (log->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (log, 1), "next_page_token=0.1553558400"));
  g_assert_nonnull (strstr (g_ptr_array_index (log, 0), "paging_from=start"));
  g_assert_nonnull (strstr (g_ptr_array_index (log, 0), "ignore_forbidden_errors=true"));
  /* a repeating token is caught; pages going backwards too */
  for (guint f = 0; f < G_N_ELEMENTS (faults); f++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BtBatch) b1 = NULL;
      g_autoptr(BtBatch) b2 = NULL;

      n->mode.fault = faults[f];
      b1 = fetch_page (c, p, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (b1->next_cursor);
      /* the second page: the token 0.same came back again, or went back a day */
      b2 = fetch_page (c, p, b1->next_cursor, &error);
      g_assert_null (b2);
      g_assert_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING);
    }
}

static void
check_binance_paging (Net          *n,
                      BtCollector  *c,
                      const Paging *p,
                      GArray       *candles)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtBatch) batch = NULL;

  for (guint i = 0; i < candles->len; i++)
    {
      BtCandle *k = &g_array_index (candles, BtCandle, i);

      g_assert_cmpfloat_with_epsilon (k->close, bt_test_synthetic_close (k->open_time / 86400), 0.006);
    }
  /* resuming from a saved cursor continues where it stopped */
  batch = fetch_page (c, p, "1553558400000", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_array_index (batch->candles, BtCandle, 0).open_time, ==, 1553558400);
  g_assert_null (fetch_page (c, p, "garbage", &error));
  g_assert_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING);
}

/* 10 rows in pages of 4: 3 pages */
static const Paging coinmetrics_paging = {
  BT_SOURCE_COINMETRICS, BT_FEED_ONCHAIN, 1553212800 /* 2019-03-22 */, 10, 1553212800, 4, 3,
  check_coinmetrics_paging,
};
/* 10 days, 4 per page: 4 + 4 + 2 */
static const Paging binance_paging = {
  BT_SOURCE_BINANCE, BT_FEED_CANDLES, 1553212800, 10, 1502928000, 4, 3,
  check_binance_paging,
};
/* 700 days in windows of 299 (the server asserts ≤ 300 buckets): 3 requests */
static const Paging coinbase_windows = {
  BT_SOURCE_COINBASE, BT_FEED_CANDLES, 1546300800 /* 2019-01-01 */, 700, 1437350400, 0, 3, NULL,
};

static void
test_paging (Net           *n,
             gconstpointer  data)
{
  const Paging *p = data;
  g_autoptr(BtCollector) c = collector_for (p->source, n->server, n->http);
  g_autoptr(GArray) candles = walk_pages (n, c, p);

  if (p->check != NULL)
    p->check (n, c, p, candles);
}

static void
test_futures_and_kraken_live (Net           *n,
                              gconstpointer  data)
{
  g_autoptr(BtCollector) fut = collector_for (BT_SOURCE_BINANCE_FUTURES, n->server, n->http);
  g_autoptr(BtCollector) kr = collector_for (BT_SOURCE_KRAKEN, n->server, n->http);
  g_autoptr(GError) error = NULL;
  g_autoptr(BtBatch) ls = NULL;
  g_autoptr(BtBatch) k = NULL;
  g_autoptr(BtBatch) f = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  n->mode.market.first_day = now - now % 86400 - 40 * 86400;
  ls = bt_test_fetch (fut, BT_FEED_LONG_SHORT, -1, -1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bt_batch_find_series (ls, "long_short")->obs->len, ==, 30);
  f = bt_test_fetch (fut, BT_FEED_FUNDING, now - 3 * 86400, -1, NULL, NULL, &error);
  g_assert_no_error (error);
  /* three settlements a day, each at its own instant (3 ms jitter dropped to seconds) */
  g_assert_cmpuint (bt_batch_find_series (f, "funding_rate")->obs->len, >=, 8);
  g_assert_cmpfloat (obs_at (f, "funding_rate", 0)->value, ==, 0.01);
  k = bt_test_fetch (kr, BT_FEED_CANDLES, now - 5 * 86400, -1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (k->candles->len, >=, 5);
  g_assert_true (g_array_index (k->candles, BtCandle, k->candles->len - 1).provisional);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    g_test_add (parse_cases[i].path, Parsed, &parse_cases[i], parsed_setup, parse_cases[i].test, parsed_teardown);
  g_test_add_func ("/core/collectors/binance-klines-bad", test_binance_klines_bad);
  g_test_add_func ("/core/collectors/coinmetrics-unavailable", test_coinmetrics_unavailable);
  g_test_add_func ("/core/collectors/http-helpers", test_http_helpers);
  g_test_add ("/core/collectors/faults", Net, NULL, net_setup, test_faults, net_teardown);
  g_test_add_func ("/core/collectors/events-on-failure", test_events_on_failure);
  g_test_add_func ("/core/collectors/refused", test_refused);
  g_test_add ("/core/collectors/cancel", Net, NULL, net_setup, test_cancel, net_teardown);
  g_test_add ("/core/collectors/notion-unconfigured", Net, NULL, net_setup, test_notion_unconfigured,
              net_teardown);
  g_test_add ("/core/collectors/coinmetrics-paging", Net, &coinmetrics_paging, net_setup, test_paging, net_teardown);
  g_test_add ("/core/collectors/binance-paging", Net, &binance_paging, net_setup, test_paging, net_teardown);
  g_test_add ("/core/collectors/coinbase-windows", Net, &coinbase_windows, net_setup, test_paging, net_teardown);
  g_test_add ("/core/collectors/futures-kraken", Net, NULL, net_setup, test_futures_and_kraken_live, net_teardown);
  return g_test_run ();
}
