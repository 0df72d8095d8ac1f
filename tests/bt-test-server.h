/* bt-test-server.h: a loopback SoupServer (port 0) for BTC Turbo's
 * collector tests: serves fixtures and faults, logs what was asked. */
#pragma once

#include <libsoup/soup.h>

#include "bt-collectors.h"
#include "bt-test-events.h"
#include "bt-test-util.h"   /* bt_test_wait_result, to wait for a fetch */

G_BEGIN_DECLS

typedef struct _BtTestServer BtTestServer;

/* One request: its message, path and decoded query. */
typedef struct
{
  BtTestServer      *server;
  SoupServerMessage *msg;
  const char        *path;
  GHashTable        *query;
} BtTestRequest;

/* Return TRUE when the request was answered (or paused on purpose). */
typedef gboolean (*BtTestHandler) (const BtTestRequest *req,
                                   gpointer             user_data);

BtTestServer *bt_test_server_new          (void);
void          bt_test_server_free         (BtTestServer  *server);
/* "http://127.0.0.1:PORT" */
const char   *bt_test_server_get_url      (BtTestServer  *server);
void          bt_test_server_set_handler  (BtTestServer  *server,
                                           BtTestHandler  handler,
                                           gpointer       user_data);
/* every request as "METHOD PATH?QUERY" (and the body for POST after a '\n') */
GPtrArray    *bt_test_server_get_log      (BtTestServer  *server);
guint         bt_test_server_count        (BtTestServer  *server,
                                           const char    *path_prefix);
const char   *bt_test_server_last_user_agent (BtTestServer *server);

/* ---- answers ---- */
char         *bt_test_fixture_path        (const char    *name);
void          bt_test_respond_file        (SoupServerMessage *msg,
                                           guint              status,
                                           const char        *fixture);
void          bt_test_respond_text        (SoupServerMessage *msg,
                                           guint              status,
                                           const char        *text);
/* Retry-After and other single headers */
void          bt_test_add_header          (SoupServerMessage *msg,
                                           const char        *name,
                                           const char        *value);
/* stop answering (the message stays paused until the server is freed) */
void          bt_test_stall               (BtTestServer      *server,
                                           SoupServerMessage *msg);
/* a chunked body of N_BYTES of spaces then "[]" (never buffered whole) */
void          bt_test_respond_huge        (SoupServerMessage *msg,
                                           gsize              n_bytes);

/* Deadlines of the tests are safety nets far above any normal run, never
 * what a test waits for: a test waits for the event itself. */
#define SAFETY_NET_MS 120000
/* A main loop that stopped turning (work done on it instead of in a
 * thread) shows gaps of seconds; a busy machine alone, a few hundred ms.
 * The product's 100 ms target is measured by the benchmarks. */
#define BT_TEST_WATCHDOG_SAFETY_MS 1500.0

/* ---- main-loop watchdog: largest gap between 10 ms ticks ---- */
void          bt_test_watchdog_start      (void);
/* largest gap in ms since start */
double        bt_test_watchdog_stop       (void);

/* C has EXPECTED's time, prices, volume and provisional flag, exactly */
void          bt_test_assert_candle       (const BtCandle *c,
                                           const BtCandle *expected);
/* one page of FEED from C (bt_collector_fetch_async's arguments), waited
 * for; the fetch and its end go to the event log */
BtBatch      *bt_test_fetch               (BtCollector   *c,
                                           BtFeed         feed,
                                           gint64         start,
                                           gint64         end,
                                           const char    *cursor,
                                           BtHttpReply   *reply,
                                           GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtTestServer, bt_test_server_free)

G_END_DECLS

G_BEGIN_DECLS

/* A synthetic market served on the real paths (Binance klines and futures,
 * Coinbase, Kraken, Coin Metrics with paging, BGeometrics) for every day
 * from FIRST_DAY (unix s) to today.  Close of day d (unix day number) is
 * bt_test_synthetic_close (d). */
typedef struct
{
  gint64 first_day;      /* unix s of the first day served */
  guint  cm_page_size;   /* Coin Metrics rows per page (0: as asked) */
  guint  cm_lag_days;    /* Coin Metrics' newest row: yesterday minus this many days */
  guint  n_requests;
} BtTestMarket;

double        bt_test_synthetic_close     (gint64             unix_day);
gboolean      bt_test_market_handler      (const BtTestRequest *req,
                                           gpointer             user_data);

G_END_DECLS

G_BEGIN_DECLS

/* An Ethereum JSON-RPC endpoint at PATH answering Aave v3 reads from the
 * fixtures (DATA_SOURCES.md §6): eth_chainId → CHAIN, eth_blockNumber →
 * 0x12a05f2 (every eth_call must use that block), getUserAccountData →
 * ACCOUNT_FIXTURE (NODEBT_FIXTURE for the wallet NODEBT_WALLET),
 * getConfiguration and getAssetPrice of WBTC.  REVERT answers every call
 * with "execution reverted"; RATE_LIMIT answers 429 with Retry-After 7. */
typedef struct
{
  const char *path;
  const char *account_fixture;
  gboolean    revert;
  gboolean    rate_limit;
  const char *chain;
  const char *nodebt_wallet;    /* lower case, no 0x; may be NULL */
  guint       n_calls;
} BtTestRpc;

gboolean      bt_test_rpc_handler         (const BtTestRequest *req,
                                           gpointer             user_data);

/* A Notion database (DATA_SOURCES.md §7) at /v1/databases/DATABASE_ID/query:
 * the two page fixtures chained by has_more/next_cursor, answered only
 * with "Authorization: Bearer TOKEN" (else 401) and "Notion-Version:
 * 2022-06-28" (else 400 missing_version); another database id → 404. */
typedef struct
{
  const char *database_id;
  const char *token;
  gboolean    reject_version;   /* answer 400 missing_version whatever is sent */
  guint       n_queries;
} BtTestNotion;

gboolean      bt_test_notion_handler      (const BtTestRequest *req,
                                           gpointer             user_data);

G_END_DECLS
