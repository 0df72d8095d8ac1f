/* bt-scheduler.h: BTC Turbo's jobs on the GLib main loop (PRODUCT.md
 * "Collectors and schedule").
 *
 * market (5 min): daily candles (binance → coinbase → kraken fallback),
 * funding and long/short; on-chain (5 min): Coin Metrics only when a new
 * day can be out (the newest stored day older than yesterday UTC, and
 * yesterday's row from 01:00 UTC on) and, when enabled, BGeometrics (each
 * metric at most once per UTC day, the full series in one call: its free
 * tier allows about 8 requests an hour) and Notion; position (1 min): Aave
 * for each wallet; daily report at 08:00 local.  A first run backfills the whole history, paged and
 * resumable (the cursor lives in source_status).  Each request is tried up
 * to 3 times with backoff (first retry after 60 s × the backoff scale),
 * honouring Retry-After, which is also remembered in the settings
 * ("source.NAME.retry_until") so that later runs wait too; a 418 stops that
 * host until it expires; Coin
 * Metrics gets at most 10 requests per 6 s; a source has one request in
 * flight.  A failure keeps the stored data, marks the source stale and
 * shows in source_status.  After new data the affected days are recomputed
 * in a worker thread (bt_engine_recompute_from_async: the main loop never
 * waits for it), then alerts are evaluated and signals emitted.
 *
 * Signals: "data-changed" (int first changed BtDay), "source-status-changed"
 * (int BtSource), "position-changed" (string wallet: its new reading and
 * the day's portfolio point are stored; at the end of the pass), "alert-raised" (int64
 * alert id), "alert-cleared" (string key), "report-ready" (int BtDay),
 * "source-progress" (int BtSource: its BtSourceActivity changed: queued,
 * asking, waiting for a retry after a failed attempt, done).
 *
 * An exchange of the price chain that cannot be reached at all (connection
 * refused, no route, name not resolved) hands over to its fallback at once;
 * the last one of the chain retries.  So a network that is down shows as a
 * failed first attempt of every source within seconds, while the retries
 * go on in the background.
 */
#pragma once

#include <gio/gio.h>

#include "bt-engine.h"
#include "bt-store.h"

G_BEGIN_DECLS

#define BT_TYPE_SCHEDULER (bt_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (BtScheduler, bt_scheduler, BT, SCHEDULER, GObject)

/* Default intervals in seconds (PRODUCT.md) */
#define BT_SCHEDULER_MARKET_INTERVAL   300
#define BT_SCHEDULER_ONCHAIN_INTERVAL  300
#define BT_SCHEDULER_POSITION_INTERVAL 60
#define BT_SCHEDULER_REPORT_HOUR       8

typedef enum
{
  BT_SOURCE_STATE_IDLE,       /* not asked now (see the store's source_status) */
  BT_SOURCE_STATE_QUEUED,     /* part of the running pass, not asked yet */
  BT_SOURCE_STATE_RUNNING,    /* a request in flight */
  BT_SOURCE_STATE_RETRYING,   /* an attempt failed; the next one at next_try */
} BtSourceState;

/* The live state of one source (the store's source_status holds the
 * outcome of its last finished pass). */
typedef struct
{
  BtSourceState state;
  char         *error;          /* the last attempt's error (translated), NULL: none */
  gboolean      network_error;  /* that error: the host could not be reached */
  gint64        next_try;       /* unix s: the retry, or the next timer run; 0: none */
} BtSourceActivity;

void         bt_source_activity_clear       (BtSourceActivity   *activity);

BtScheduler *bt_scheduler_new               (BtEngine           *engine);
BtEngine    *bt_scheduler_get_engine        (BtScheduler        *self);

/* Which sources run (default: binance, binance-futures, coinbase, kraken,
 * coinmetrics; ethereum when wallets are set). */
void         bt_scheduler_set_source_enabled (BtScheduler       *self,
                                              BtSource           source,
                                              gboolean           enabled);
gboolean     bt_scheduler_get_source_enabled (BtScheduler       *self,
                                              BtSource           source);
gboolean     bt_scheduler_set_base_url      (BtScheduler        *self,
                                             BtSource            source,
                                             const char         *url,
                                             GError            **error);
/* Whole JSON-RPC endpoint; may carry a key (never logged nor stored). */
/* The base URL a collector asks (NULL for sources without one). */
const char  *bt_scheduler_get_base_url      (BtScheduler        *self,
                                             BtSource            source);
gboolean     bt_scheduler_set_rpc_url       (BtScheduler        *self,
                                             const char         *url,
                                             GError            **error);
void         bt_scheduler_set_wallets       (BtScheduler        *self,
                                             const char * const *wallets);
void         bt_scheduler_set_notion        (BtScheduler        *self,
                                             const char         *token,
                                             const char         *database_id,
                                             const char         *date_property,
                                             const char * const *mapping);
/* Backoff: first retry after 60 s × SCALE (1.0 live; --once uses ~1/60). */
void         bt_scheduler_set_backoff_scale (BtScheduler        *self,
                                             double              scale);
void         bt_scheduler_set_http_timeout_ms (BtScheduler      *self,
                                               guint             timeout_ms);

/* Live mode: the timers of every job.  stop cancels everything in flight. */
void         bt_scheduler_start             (BtScheduler        *self);
void         bt_scheduler_stop              (BtScheduler        *self);

/* Every enabled job once (BACKFILL: the whole history first).  N_FAILED
 * gets the number of sources that failed (their data kept as it was). */
void         bt_scheduler_run_once_async    (BtScheduler        *self,
                                             gboolean            backfill,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean     bt_scheduler_run_once_finish   (BtScheduler        *self,
                                             GAsyncResult       *result,
                                             guint              *n_failed,
                                             GError            **error);

/* Seconds between two runs of the market, on-chain and position jobs
 * (Preferences); re-arms the timers of a started scheduler. */
void         bt_scheduler_set_intervals     (BtScheduler        *self,
                                             guint               market_s,
                                             guint               onchain_s,
                                             guint               position_s);
/* The interval of the job that asks SOURCE, in seconds. */
guint        bt_scheduler_get_interval      (BtScheduler        *self,
                                             BtSource            source);
/* The daily report's local time in minutes after midnight (480: 08:00). */
void         bt_scheduler_set_report_time   (BtScheduler        *self,
                                             guint               minutes);
guint        bt_scheduler_get_report_time   (BtScheduler        *self);
/* ACTIVITY gets a copy (free with bt_source_activity_clear). */
void         bt_scheduler_get_source_activity (BtScheduler      *self,
                                               BtSource          source,
                                               BtSourceActivity *activity);

/* Names of the sources that failed in the last run (for messages). */
char        *bt_scheduler_dup_failure_summary (BtScheduler      *self);

G_END_DECLS
