/* bt-collectors.h: one collector per data source (DATA_SOURCES.md).
 *
 * A BtCollector fetches one page of one feed of its source over BtHttp
 * (main loop), parses it in a worker thread (parsing is CPU, and a Coin
 * Metrics page of 10 000 rows must not stall the window) and hands back a
 * BtBatch: candles and/or observation series in the store's units, plus
 * the cursor of the next page (NULL when the feed is complete).  Cursors are
 * self-contained strings: an interrupted backfill resumes by passing the
 * last stored cursor back.
 *
 * The parsers are public so that tests and benchmarks can call them on
 * fixtures; they validate shapes and types (strings vs numbers; ms vs s
 * timestamps) and refuse what they do not understand with a clear error.
 */
#pragma once

#include <gio/gio.h>

#include "bt-types.h"
#include "bt-http.h"

G_BEGIN_DECLS

#define BT_COLLECTOR_ERROR (bt_collector_error_quark ())

typedef enum
{
  BT_COLLECTOR_ERROR_PARSE,        /* not JSON (truncated, HTML, empty) */
  BT_COLLECTOR_ERROR_SHAPE,        /* JSON of the wrong shape or types */
  BT_COLLECTOR_ERROR_API,          /* the API reported an error with HTTP 200 */
  BT_COLLECTOR_ERROR_PAGING,       /* a repeating token, pages going backwards */
  BT_COLLECTOR_ERROR_UNSUPPORTED,  /* this source has no such feed */
  BT_COLLECTOR_ERROR_CONFIG,       /* missing token, database, mapping */
} BtCollectorError;

GQuark bt_collector_error_quark (void);

typedef enum
{
  BT_FEED_CANDLES = 0,   /* daily candles: binance, coinbase, kraken */
  BT_FEED_FUNDING,       /* binance-futures fundingRate → "funding_rate" */
  BT_FEED_LONG_SHORT,    /* binance-futures → "long_short" (last 30 days only) */
  BT_FEED_ONCHAIN,       /* coinmetrics asset metrics (+ PriceUSD as close-only candles) */
  BT_FEED_STH_SOPR,      /* bgeometrics → "sth_sopr" */
  BT_FEED_NETFLOW,       /* bgeometrics → "netflow" */
  BT_FEED_NOTION,        /* notion database → mapped indicator names */
  BT_N_FEEDS
} BtFeed;

const char *bt_feed_name (BtFeed feed);

typedef struct
{
  char   *metric;       /* observation metric name (bt-types.h) */
  GArray *obs;          /* BtObservation, ascending time */
} BtSeries;

typedef struct
{
  BtSource   source;
  BtFeed     feed;
  GArray    *candles;      /* BtCandle, ascending open_time; interval "1d" */
  GPtrArray *series;       /* BtSeries * */
  GPtrArray *unavailable;  /* char *: metrics the source did not serve */
  char      *next_cursor;  /* NULL: nothing further */
  gint64     last_time;    /* newest time in the page (unix s), G_MININT64 if empty */
} BtBatch;

BtBatch    *bt_batch_new         (BtSource     source,
                                  BtFeed       feed);
void        bt_batch_free        (BtBatch     *batch);
/* the series of METRIC, created when absent */
BtSeries   *bt_batch_series      (BtBatch     *batch,
                                  const char  *metric);
/* the series of METRIC or NULL */
BtSeries   *bt_batch_find_series (BtBatch     *batch,
                                  const char  *metric);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtBatch, bt_batch_free)

/* ---- parsers (pure, thread-safe) ---- */

/* Binance spot klines (§1); NOW_MS marks the live bar provisional. */
gboolean bt_parse_binance_klines   (const char  *data,
                                    gsize        length,
                                    gint64       now_ms,
                                    BtBatch     *batch,
                                    GError     **error);
/* Coinbase candles (§2a): newest first, [time, low, high, open, close, volume];
 * rows outside [WINDOW_START, WINDOW_END] (unix s) are dropped. */
gboolean bt_parse_coinbase_candles (const char  *data,
                                    gsize        length,
                                    gint64       now,
                                    gint64       window_start,
                                    gint64       window_end,
                                    BtBatch     *batch,
                                    GError     **error);
/* Kraken OHLC (§2b): errors with HTTP 200; last row provisional. */
gboolean bt_parse_kraken_ohlc      (const char  *data,
                                    gsize        length,
                                    BtBatch     *batch,
                                    GError     **error);
/* Binance funding (§3.1) → "funding_rate" in % per 8 h at fundingTime. */
gboolean bt_parse_binance_funding  (const char  *data,
                                    gsize        length,
                                    BtBatch     *batch,
                                    GError     **error);
/* Binance global long/short (§3.2) → "long_short"; timestamp number or string. */
gboolean bt_parse_binance_long_short (const char *data,
                                      gsize       length,
                                      BtBatch    *batch,
                                      GError    **error);
/* Coin Metrics asset metrics (§4).  NEXT_TOKEN gets next_page_token (or NULL).
 * Requested metrics absent from every row land in batch->unavailable under
 * the store's metric names. */
gboolean bt_parse_coinmetrics      (const char  *data,
                                    gsize        length,
                                    BtBatch     *batch,
                                    char       **next_token,
                                    GError     **error);
/* BGeometrics series (§5a): [{"d","unixTs",VALUE_KEY}] numbers or strings. */
gboolean bt_parse_bgeometrics      (const char  *data,
                                    gsize        length,
                                    const char  *value_key,
                                    const char  *metric,
                                    BtBatch     *batch,
                                    GError     **error);
/* Notion database query (§7).  MAPPING: NULL-terminated "Property=metric"
 * pairs; DATE_PROPERTY names the date column.  NEXT_CURSOR gets next_cursor
 * while has_more. */
gboolean bt_parse_notion           (const char         *data,
                                    gsize               length,
                                    const char         *date_property,
                                    const char * const *mapping,
                                    BtBatch            *batch,
                                    char              **next_cursor,
                                    GError            **error);

/* ---- the collector object ---- */

#define BT_TYPE_COLLECTOR (bt_collector_get_type ())
G_DECLARE_FINAL_TYPE (BtCollector, bt_collector, BT, COLLECTOR, GObject)

/* Default base URL of SOURCE (DATA_SOURCES.md §0), NULL for ethereum. */
const char  *bt_collector_default_base_url (BtSource source);
/* Feeds SOURCE serves (for `collect`), terminated by BT_N_FEEDS. */
const BtFeed *bt_collector_source_feeds   (BtSource source);
/* Earliest history worth asking SOURCE for FEED (unix s). */
gint64       bt_collector_history_start   (BtSource source,
                                           BtFeed   feed);

BtCollector *bt_collector_new              (BtSource      source,
                                            BtHttp       *http);
BtSource     bt_collector_get_source       (BtCollector  *self);
gboolean     bt_collector_set_base_url     (BtCollector  *self,
                                            const char   *url,
                                            GError      **error);
const char  *bt_collector_get_base_url     (BtCollector  *self);
/* rows per page (Binance/funding ≤ 1000, Coin Metrics ≤ 10000, Notion ≤ 100) */
void         bt_collector_set_page_size    (BtCollector  *self,
                                            guint         page_size);
/* Notion: bearer token (never logged), database id, date property, mapping */
void         bt_collector_set_notion       (BtCollector        *self,
                                            const char         *token,
                                            const char         *database_id,
                                            const char         *date_property,
                                            const char * const *mapping);

/* Fetch one page of FEED covering [START, END] (unix s; END -1 = now).
 * CURSOR: NULL for the first page, else a previous batch's next_cursor. */
void         bt_collector_fetch_async      (BtCollector         *self,
                                            BtFeed               feed,
                                            gint64               start,
                                            gint64               end,
                                            const char          *cursor,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* REPLY (may be NULL) gets the HTTP status and Retry-After, also on failure. */
BtBatch     *bt_collector_fetch_finish     (BtCollector         *self,
                                            GAsyncResult        *result,
                                            BtHttpReply         *reply,
                                            GError             **error);

G_END_DECLS
