/* bt-collectors-feeds.c: the table of the collectors' feeds: per source
 * and feed, its host and limits and how to ask for a page, parse the
 * answer and find the next page (DATA_SOURCES.md).  The fetch path
 * (bt-collectors.c), the scheduler's jobs and the fuzz targets look the
 * row up; adding a source or a feed is adding a row and its functions.
 */
#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bt-base.h"
#include "bt-collectors.h"
#include "bt-collectors-private.h"
#include "bt-json.h"

#define COINBASE_WINDOW_DAYS 299
#define NOTION_VERSION "2022-06-28"
#define GENESIS_S G_GINT64_CONSTANT (1230940800)   /* 2009-01-03 */
/* BGeometrics' free tier (about 8 requests an hour) after a 429 without Retry-After */
#define BGEO_WAIT_S 3600

/* ---- what the rows share ---- */

static char *
iso_day (gint64 t)
{
  char buf[16];

  return g_strdup (bt_day_format (bt_day_from_unix (t), buf));
}

static gboolean
parse_cursor_int (const char *cursor,
                  gint64     *out)
{
  char *end = NULL;

  if (cursor == NULL || !g_ascii_isdigit (*cursor))
    return FALSE;
  *out = g_ascii_strtoll (cursor, &end, 10);
  return end != NULL && *end == '\0';
}

static gboolean
bad_cursor (GError    **error,
            const char *cursor)
{
  g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING,
               _("The saved backfill position “%s” is not understood; start the backfill again"),
               cursor);
  return FALSE;
}

static guint
page_limit (const BtFetchPage *page)
{
  return MIN (page->page_size, page->row->max_page_size);
}

static void
set_cursor_int (BtBatch *batch,
                gint64   value)
{
  batch->next_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* the feed's URL asking for the days FROM to TO: FROM_KEY and TO_KEY
 * before each day, SUFFIX after it (a time of day) */
static char *
days_url (const BtFetchPage *page,
          const char        *from_key,
          const char        *to_key,
          const char        *suffix,
          gint64             from,
          gint64             to)
{
  g_autofree char *a = iso_day (from);
  g_autofree char *b = iso_day (to);

  return g_strconcat (page->base_url, page->row->path, from_key, a, suffix, to_key, b, suffix, NULL);
}

/* a fixed request with no window: the feed serves its recent rows */
static gboolean
path_request (BtFetchPage     *page,
              BtFetchRequest  *request,
              GError         **error)
{
  request->url = g_strconcat (page->base_url, page->row->path, NULL);
  return TRUE;
}

/* ---- Binance (klines and funding): a window in ms, paged by time ---- */

static gboolean
binance_request (BtFetchPage     *page,
                 BtFetchRequest  *request,
                 GError         **error)
{
  gint64 start_ms = page->start * 1000;

  if (page->cursor != NULL && !parse_cursor_int (page->cursor, &start_ms))
    return bad_cursor (error, page->cursor);
  request->url = g_strdup_printf ("%s%s&startTime=%" G_GINT64_FORMAT "&endTime=%" G_GINT64_FORMAT "&limit=%u",
                                  page->base_url, page->row->path, start_ms, page->end * 1000 + 999,
                                  page_limit (page));
  return TRUE;
}

/* a full page may have a next one, from the row's step after its newest row
 * (a day for klines; for funding, the whole second after the last
 * fundingTime) */
static gboolean
binance_next (const BtFetchPage *page,
              BtBatch           *batch,
              GError           **error)
{
  gint64 next = batch->last_time + page->row->page_step;

  if (_bt_batch_n_rows (batch) >= page_limit (page) && next <= page->end)
    set_cursor_int (batch, next * 1000);
  return TRUE;
}

static gboolean
klines_parse (BtFetchPage *page,
              BtBatch     *batch,
              GError     **error)
{
  return bt_parse_binance_klines (page->data, page->length, page->now * 1000, batch, error);
}

static gboolean
funding_parse (BtFetchPage *page,
               BtBatch     *batch,
               GError     **error)
{
  return bt_parse_binance_funding (page->data, page->length, batch, error);
}

static gboolean
long_short_parse (BtFetchPage *page,
                  BtBatch     *batch,
                  GError     **error)
{
  return bt_parse_binance_long_short (page->data, page->length, batch, error);
}

/* ---- Coinbase: windows of days ---- */

static gboolean
coinbase_parse (BtFetchPage *page,
                BtBatch     *batch,
                GError     **error)
{
  return bt_parse_coinbase_candles (page->data, page->length, page->now, page->window_start, page->window_end,
                                    batch, error);
}

static gboolean
coinbase_request (BtFetchPage     *page,
                  BtFetchRequest  *request,
                  GError         **error)
{
  page->window_start = page->start - page->start % DAY_S;
  if (page->cursor != NULL && !parse_cursor_int (page->cursor, &page->window_start))
    return bad_cursor (error, page->cursor);
  /* at most 300 buckets per request: windows of 299 days, both ends inclusive */
  page->window_end = MIN (page->window_start + (COINBASE_WINDOW_DAYS - 1) * (gint64) DAY_S, page->end);
  request->url = days_url (page, "&start=", "&end=", "T00:00:00Z", page->window_start, page->window_end);
  return TRUE;
}

static gboolean
coinbase_next (const BtFetchPage *page,
               BtBatch           *batch,
               GError           **error)
{
  if (page->window_end < page->end)
    set_cursor_int (batch, page->window_end + DAY_S);
  return TRUE;
}

/* ---- Kraken: its last 720 bars, since a time ---- */

static gboolean
kraken_request (BtFetchPage     *page,
                BtFetchRequest  *request,
                GError         **error)
{
  /* `since` may be exclusive: ask from the day before, filter after parsing */
  request->url = g_strdup_printf ("%s%s&since=%" G_GINT64_FORMAT, page->base_url, page->row->path,
                                  page->start - DAY_S);
  return TRUE;
}

static gboolean
kraken_parse (BtFetchPage *page,
              BtBatch     *batch,
              GError     **error)
{
  guint k = 0;

  if (!bt_parse_kraken_ohlc (page->data, page->length, batch, error))
    return FALSE;
  for (guint i = 0; i < batch->candles->len; i++)
    if (g_array_index (batch->candles, BtCandle, i).open_time >= page->start)
      g_array_index (batch->candles, BtCandle, k++) = g_array_index (batch->candles, BtCandle, i);
  g_array_set_size (batch->candles, k);
  return TRUE;
}

/* ---- Coin Metrics: a query paged by its own token ---- */

static gboolean
coinmetrics_request (BtFetchPage     *page,
                     BtFetchRequest  *request,
                     GError         **error)
{
  g_autofree char *start_day = NULL;
  g_autofree char *end_day = NULL;
  g_autofree char *token_q = NULL;
  g_autoptr(GString) metrics = g_string_new (NULL);

  page->cm_start = page->start;
  if (page->cursor != NULL)
    {
      /* "START;LAST;TOKEN": the query the token belongs to */
      g_auto(GStrv) parts = g_strsplit (page->cursor, ";", 3);

      if (g_strv_length (parts) != 3 || !parse_cursor_int (parts[0], &page->cm_start)
          || !parse_cursor_int (parts[1], &page->cm_last) || *parts[2] == '\0')
        return bad_cursor (error, page->cursor);
      page->cm_token = g_strdup (parts[2]);
      token_q = g_strdup_printf ("&next_page_token=%s", page->cm_token);
    }
  for (guint m = 0; m < G_N_ELEMENTS (_bt_collectors_cm_metrics); m++)
    g_string_append_printf (metrics, "%s%s", m > 0 ? "," : "", _bt_collectors_cm_metrics[m]);
  start_day = iso_day (page->cm_start);
  end_day = iso_day (page->end);
  /* paging_from=start: the default walks backwards from the newest row */
  request->url = g_strdup_printf ("%s%s&metrics=%s&frequency=1d"
                                  "&start_time=%s&end_time=%s&page_size=%u&paging_from=start"
                                  "&ignore_forbidden_errors=true&ignore_unsupported_errors=true%s",
                                  page->base_url, page->row->path, metrics->str, start_day, end_day,
                                  page_limit (page), token_q != NULL ? token_q : "");
  return TRUE;
}

static gboolean
coinmetrics_parse (BtFetchPage *page,
                   BtBatch     *batch,
                   GError     **error)
{
  return bt_parse_coinmetrics (page->data, page->length, batch, &page->token, error);
}

static gboolean
paging_error (GError    **error,
              const char *message)
{
  g_set_error_literal (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING, message);
  return FALSE;
}

static gboolean
coinmetrics_next (const BtFetchPage *page,
                  BtBatch           *batch,
                  GError           **error)
{
  gint64 last;

  if (page->cm_last != G_MININT64 && batch->last_time != G_MININT64
      && batch->candles->len + batch->series->len > 0)
    {
      /* the first row of this page must follow the last of the previous */
      gint64 first = G_MAXINT64;

      for (guint i = 0; i < batch->series->len; i++)
        {
          BtSeries *s = g_ptr_array_index (batch->series, i);

          if (s->obs->len > 0)
            first = MIN (first, g_array_index (s->obs, BtObservation, 0).time);
        }
      if (batch->candles->len > 0)
        first = MIN (first, g_array_index (batch->candles, BtCandle, 0).open_time);
      if (first <= page->cm_last)
        return paging_error (error, _("Coin Metrics: a page went back in time (paging from the end?)"));
    }
  if (page->token == NULL)
    return TRUE;
  if (page->cm_token != NULL && strcmp (page->token, page->cm_token) == 0)
    return paging_error (error, _("Coin Metrics: the next page token repeats; stopped to avoid a loop"));
  if (strchr (page->token, ';') != NULL)
    return paging_error (error, _("Coin Metrics: a next page token that cannot be used"));
  last = batch->last_time != G_MININT64 ? batch->last_time : page->cm_last;
  if (last == G_MININT64)
    return paging_error (error, _("Coin Metrics: an empty page with a next page token"));
  batch->next_cursor = g_strdup_printf ("%" G_GINT64_FORMAT ";%" G_GINT64_FORMAT ";%s",
                                        page->cm_start, last, page->token);
  return TRUE;
}

/* ---- BGeometrics: one series a feed, whole ---- */

static gboolean
bgeometrics_parse (BtFetchPage *page,
                   BtBatch     *batch,
                   GError     **error)
{
  return bt_parse_bgeometrics (page->data, page->length, page->row->value_key, page->row->metric,
                               batch, error);
}

static gboolean
bgeometrics_request (BtFetchPage     *page,
                     BtFetchRequest  *request,
                     GError         **error)
{
  request->url = days_url (page, "?startday=", "&endday=", "", page->start, page->end);
  return TRUE;
}

/* ---- Notion: a database query, paged by its cursor ---- */

static gboolean
notion_request (BtFetchPage     *page,
                BtFetchRequest  *request,
                GError         **error)
{
  g_autofree char *day = iso_day (page->start);
  g_autofree char *escaped = NULL;
  GString *text;
  BtJson b;

  if (page->notion_token == NULL || page->notion_database == NULL)
    {
      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_CONFIG,
                   _("Notion needs an integration token and a database id"));
      return FALSE;
    }
  text = g_string_new (NULL);
  bt_json_init (&b, text);
  bt_json_begin_object (&b);
  bt_json_key (&b, "filter");
  bt_json_begin_object (&b);
  bt_json_kv_string (&b, "property", page->date_property);
  bt_json_key (&b, "date");
  bt_json_begin_object (&b);
  bt_json_kv_string (&b, "on_or_after", day);
  bt_json_end_object (&b);
  bt_json_end_object (&b);
  bt_json_key (&b, "sorts");
  bt_json_begin_array (&b);
  bt_json_begin_object (&b);
  bt_json_kv_string (&b, "property", page->date_property);
  bt_json_kv_string (&b, "direction", "ascending");
  bt_json_end_object (&b);
  bt_json_end_array (&b);
  bt_json_kv_int (&b, "page_size", page_limit (page));
  if (page->cursor != NULL)
    bt_json_kv_string (&b, "start_cursor", page->cursor);
  bt_json_end_object (&b);
  request->body = g_string_free_to_bytes (text);
  request->method = "POST";
  escaped = g_uri_escape_string (page->notion_database, NULL, FALSE);
  request->url = g_strdup_printf ("%s/v1/databases/%s/query", page->base_url, escaped);
  g_ptr_array_add (request->headers, g_strdup ("Authorization"));
  g_ptr_array_add (request->headers, g_strdup_printf ("Bearer %s", page->notion_token));
  g_ptr_array_add (request->headers, g_strdup ("Notion-Version"));
  g_ptr_array_add (request->headers, g_strdup (NOTION_VERSION));
  return TRUE;
}

/* Notion's own cursor is the next page's cursor as it is */
static gboolean
notion_parse (BtFetchPage *page,
              BtBatch     *batch,
              GError     **error)
{
  return bt_parse_notion (page->data, page->length, page->date_property, (const char * const *) page->mapping,
                          batch, &batch->next_cursor, error);
}

/* ---- the table ---- */

/* In the order of the sources, then of each source's feeds (the order in
 * which `collect` and the scheduler ask them). */
static const BtFeedRow feed_rows[] = {
  {
    .source = BT_SOURCE_BINANCE, .feed = BT_FEED_CANDLES,
    .base_url = "https://api.binance.com", .path = "/api/v3/klines?symbol=BTCUSDT&interval=1d",
    .max_page_size = 1000, .page_step = DAY_S,
    .history_start = 1502928000,                /* 2017-08-17, first BTCUSDT kline */
    .build_request = binance_request, .parse = klines_parse, .next_cursor = binance_next,
  },
  {
    .source = BT_SOURCE_BINANCE_FUTURES, .feed = BT_FEED_FUNDING,
    .base_url = "https://fapi.binance.com", .path = "/fapi/v1/fundingRate?symbol=BTCUSDT",
    .max_page_size = 1000, .page_step = 1,
    .history_start = 1568102400,                /* 2019-09-10, first settlement */
    .build_request = binance_request, .parse = funding_parse, .next_cursor = binance_next,
  },
  {
    .source = BT_SOURCE_BINANCE_FUTURES, .feed = BT_FEED_LONG_SHORT,
    .base_url = "https://fapi.binance.com",
    .path = "/futures/data/globalLongShortAccountRatio?symbol=BTCUSDT&period=1d&limit=30",
    .history_days = 29,                         /* the last 30 days only */
    .build_request = path_request, .parse = long_short_parse,
  },
  {
    .source = BT_SOURCE_COINBASE, .feed = BT_FEED_CANDLES,
    .base_url = "https://api.exchange.coinbase.com", .path = "/products/BTC-USD/candles?granularity=86400",
    .history_start = 1437350400,                /* 2015-07-20 */
    .build_request = coinbase_request, .parse = coinbase_parse, .next_cursor = coinbase_next,
  },
  {
    .source = BT_SOURCE_KRAKEN, .feed = BT_FEED_CANDLES,
    .base_url = "https://api.kraken.com", .path = "/0/public/OHLC?pair=XBTUSD&interval=1440",
    .history_days = 719,                        /* 720 bars only */
    .build_request = kraken_request, .parse = kraken_parse,
  },
  {
    .source = BT_SOURCE_COINMETRICS, .feed = BT_FEED_ONCHAIN,
    .base_url = "https://community-api.coinmetrics.io", .path = "/v4/timeseries/asset-metrics?assets=btc",
    .flags = BT_FEED_FLAG_RATE_WINDOW | BT_FEED_FLAG_DAILY_ROWS,
    .max_page_size = 10000, .history_start = GENESIS_S,
    .build_request = coinmetrics_request, .parse = coinmetrics_parse, .next_cursor = coinmetrics_next,
  },
  {
    .source = BT_SOURCE_BGEOMETRICS, .feed = BT_FEED_STH_SOPR,
    .base_url = "https://bitcoin-data.com", .path = "/v1/sth-sopr",
    .value_key = "sthSopr", .metric = "sth_sopr",
    .flags = BT_FEED_FLAG_DAILY_SERIES, .history_start = GENESIS_S, .default_wait_s = BGEO_WAIT_S,
    .build_request = bgeometrics_request, .parse = bgeometrics_parse,
  },
  {
    .source = BT_SOURCE_BGEOMETRICS, .feed = BT_FEED_NETFLOW,
    .base_url = "https://bitcoin-data.com", .path = "/v1/exchange-netflow-btc",
    .value_key = "exchangeNetflowBtc", .metric = "netflow",
    .flags = BT_FEED_FLAG_DAILY_SERIES, .history_start = GENESIS_S, .default_wait_s = BGEO_WAIT_S,
    .build_request = bgeometrics_request, .parse = bgeometrics_parse,
  },
  {
    .source = BT_SOURCE_NOTION, .feed = BT_FEED_NOTION,
    .base_url = "https://api.notion.com",
    .flags = BT_FEED_FLAG_MAY_BE_EMPTY, .max_page_size = 100, .history_start = GENESIS_S,
    .build_request = notion_request, .parse = notion_parse,
  },
};

const BtFeedRow *
_bt_collectors_feed_row (BtSource source,
                         BtFeed   feed)
{
  for (guint i = 0; i < G_N_ELEMENTS (feed_rows); i++)
    if (feed_rows[i].source == source && feed_rows[i].feed == feed)
      return &feed_rows[i];
  return NULL;
}

const BtFeedRow *
_bt_collectors_source_row (BtSource source)
{
  for (guint i = 0; i < G_N_ELEMENTS (feed_rows); i++)
    if (feed_rows[i].source == source)
      return &feed_rows[i];
  return NULL;
}

const BtFeed *
bt_collector_source_feeds (BtSource source)
{
  static BtFeed feeds[BT_N_SOURCES + 1][BT_N_FEEDS + 1];
  static gsize done = 0;

  /* feeds[BT_N_SOURCES]: the empty list of anything else */
  if (g_once_init_enter (&done))
    {
      guint n[BT_N_SOURCES] = { 0 };

      for (guint s = 0; s <= BT_N_SOURCES; s++)
        for (guint f = 0; f <= BT_N_FEEDS; f++)
          feeds[s][f] = BT_N_FEEDS;
      for (guint i = 0; i < G_N_ELEMENTS (feed_rows); i++)
        feeds[feed_rows[i].source][n[feed_rows[i].source]++] = feed_rows[i].feed;
      g_once_init_leave (&done, 1);
    }
  return feeds[MIN ((guint) source, BT_N_SOURCES)];
}

const char *
bt_collector_default_base_url (BtSource source)
{
  const BtFeedRow *row = _bt_collectors_source_row (source);

  return row != NULL ? row->base_url : NULL;
}

gint64
bt_collector_history_start (BtSource source,
                            BtFeed   feed)
{
  const BtFeedRow *row = _bt_collectors_feed_row (source, feed);

  if (row == NULL)
    return GENESIS_S;
  if (row->history_days > 0)
    return g_get_real_time () / G_USEC_PER_SEC - row->history_days * (gint64) DAY_S;
  return row->history_start;
}
