/* bt-collectors-private.h: the internals shared by the collector
 * (bt-collectors.c), its table of feeds (bt-collectors-feeds.c), its
 * response parsers (bt-collectors-parse.c, bt-collectors-onchain.c), its
 * batches (bt-collectors-batch.c), the scheduler's jobs, and the fuzz
 * targets and their regression test.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bt-collectors.h"
#include "bt-json.h"

G_BEGIN_DECLS

#define DAY_S         86400
#define DAY_MS        G_GINT64_CONSTANT (86400000)
#define MS_MIN        G_GINT64_CONSTANT (1000000000000)   /* 2001-09-09 in ms */
#define MS_MAX        G_GINT64_CONSTANT (10000000000000)  /* 2286 in ms */
#define S_MIN         G_GINT64_CONSTANT (1000000000)      /* 2001-09-09 in s */
#define S_MAX         G_GINT64_CONSTANT (10000000000)     /* 2286 in s */

typedef struct _BtFeedRow BtFeedRow;

/* What one page is asked with and what came back: set up by
 * bt_collector_fetch_async(), filled further by the row's build_request
 * (the window it asked for) and read by its parse and next_cursor. */
typedef struct
{
  const BtFeedRow *row;
  gint64       start;          /* unix s */
  gint64       end;            /* unix s */
  gint64       now;            /* unix s */
  gint64       window_start;   /* the first day asked (Coinbase) */
  gint64       window_end;     /* the last day asked: END but for Coinbase's windows */
  gint64       cm_start;       /* Coin Metrics: start of the query */
  gint64       cm_last;        /* Coin Metrics: newest time already returned */
  char        *cm_token;       /* Coin Metrics: the token this page was asked with */
  guint        page_size;
  char        *cursor;         /* NULL for the first page */
  char        *base_url;
  char        *notion_token;   /* never logged */
  char        *notion_database;
  char        *date_property;  /* Notion */
  GStrv        mapping;        /* Notion */
  const char  *data;           /* the answer */
  gsize        length;
  char        *token;          /* the API's own paging token in the answer (Coin Metrics) */
} BtFetchPage;

/* The request of one page, built by a row's build_request. */
typedef struct
{
  char       *url;
  const char *method;     /* "GET" unless set */
  GBytes     *body;       /* NULL for a GET */
  GPtrArray  *headers;    /* name, value, name, value… */
} BtFetchRequest;

typedef enum
{
  BT_FEED_FLAG_NONE          = 0,
  BT_FEED_FLAG_MAY_BE_EMPTY  = 1 << 0,  /* an empty first page is no error (Notion) */
  BT_FEED_FLAG_DAILY_SERIES  = 1 << 1,  /* the whole series in one call, once a UTC day (free tier) */
  BT_FEED_FLAG_RATE_WINDOW   = 1 << 2,  /* requests share the scheduler's sliding rate window */
  BT_FEED_FLAG_DAILY_ROWS    = 1 << 3,  /* a new row is published once a day (nothing to ask before) */
} BtFeedFlags;

/* One feed of one source: the facts a collector and a scheduler job need
 * about it, and the three steps of fetching a page of it.  Adding a source
 * or a feed is adding a row (bt-collectors-feeds.c) and its functions. */
struct _BtFeedRow
{
  BtSource     source;
  BtFeed       feed;
  const char  *base_url;        /* the host (DATA_SOURCES.md §0) */
  const char  *path;            /* the API path of the feed */
  const char  *value_key;       /* the answer's value member, for single-series feeds */
  const char  *metric;          /* … and the store's metric it becomes */
  BtFeedFlags  flags;
  guint        max_page_size;   /* rows a page the API serves at most (0: one page) */
  gint64       history_start;   /* earliest day worth asking (unix s) … */
  guint        history_days;    /* … or, when not 0, this many days before today */
  gint64       default_wait_s;  /* wait after a 429 without Retry-After (0: none) */
  gint64       page_step;       /* a next page starts this long after the newest row (s) */
  /* fill REQUEST (url, and method, body, headers when not a GET) and PAGE's window */
  gboolean   (*build_request) (BtFetchPage     *page,
                               BtFetchRequest  *request,
                               GError         **error);
  /* parse page->data into BATCH, the API's paging token into page->token
   * (or, when it is the next cursor as it is, into batch->next_cursor) */
  gboolean   (*parse)         (BtFetchPage     *page,
                               BtBatch         *batch,
                               GError         **error);
  /* set batch->next_cursor from the parsed page (NULL here: never a next
   * page, or parse sets it) */
  gboolean   (*next_cursor)   (const BtFetchPage *page,
                               BtBatch         *batch,
                               GError         **error);
};

/* the rows of BATCH: its candles and the observations of all its series */
guint     _bt_batch_n_rows (const BtBatch *batch);

/* the row of FEED of SOURCE, NULL when SOURCE has no such feed */
const BtFeedRow *_bt_collectors_feed_row (BtSource source,
                                          BtFeed   feed);
/* the first row of SOURCE (its host, its page size), NULL for none */
const BtFeedRow *_bt_collectors_source_row (BtSource source);

/* Set PAGE up for ROW as bt_collector_fetch_async() does before the
 * request; clear frees what it holds. */
void      _bt_fetch_page_init  (BtFetchPage     *page,
                                const BtFeedRow *row,
                                gint64           start,
                                gint64           end,
                                const char      *cursor);
void      _bt_fetch_page_clear (BtFetchPage     *page);
/* Parse DATA as the answer to PAGE with its row's parse and next_cursor:
 * the fetch path's worker, the fuzz targets and their regression test. */
gboolean  _bt_collectors_parse_page (BtFetchPage  *page,
                                     const char   *data,
                                     gsize         length,
                                     BtBatch      *batch,
                                     GError      **error);

/* The Coin Metrics metrics the collector asks for, in the order the parser
 * reads them. */
enum { CM_PRICE, CM_MCAP, CM_MVRV, CM_RCAP, CM_SPLY, CM_ISSNTV, CM_ISSUSD, CM_FIN, CM_FOUT, CM_N };
extern const char *_bt_collectors_cm_metrics[CM_N];

/* ---- the JSON checks every parser shares (bt-collectors-parse.c; the
 * node type checks are bt-json.h's) ---- */
void      _bt_collectors_add_obs (BtBatch    *batch,
                                  const char *metric,
                                  gint64      time,
                                  double      value);
void      _bt_collectors_add_unavailable (BtBatch    *batch,
                                          const char *metric);
JsonNode *_bt_collectors_load_json (const char  *what,
                                    const char  *data,
                                    gsize        length,
                                    GError     **error);
/* ROOT (NULL: not JSON, the error already set) as an object */
JsonObject *_bt_collectors_root_object (JsonNode    *root,
                                        const char  *what,
                                        GError     **error);
gboolean  _bt_collectors_shape_error (GError     **error,
                                      const char  *what,
                                      const char  *format,
                                      ...) G_GNUC_PRINTF (3, 4);
gboolean  _bt_collectors_string_decimal (JsonNode *node,
                                         double   *out);
gboolean  _bt_collectors_any_decimal (JsonNode *node,
                                      double   *out);
gboolean  _bt_collectors_int_or_string (JsonNode *node,
                                        gint64   *out);
gboolean  _bt_collectors_s_ok (gint64 t);
/* DATA as a JSON array of objects (an object is the API's error); ROOT
 * gets the document that holds the array */
JsonArray *_bt_collectors_load_rows (const char  *what,
                                     const char  *data,
                                     gsize        length,
                                     JsonNode   **root,
                                     GError     **error);

G_END_DECLS
