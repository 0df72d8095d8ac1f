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
 * (int BtSource), "position-changed" (string wallet), "alert-raised" (int64
 * alert id), "alert-cleared" (string key), "report-ready" (int BtDay).
 */
#pragma once

#include <gio/gio.h>

#include "bt-engine.h"
#include "bt-store.h"

G_BEGIN_DECLS

#define BT_TYPE_SCHEDULER (bt_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (BtScheduler, bt_scheduler, BT, SCHEDULER, GObject)

/* Intervals in seconds (PRODUCT.md) */
#define BT_SCHEDULER_MARKET_INTERVAL   300
#define BT_SCHEDULER_ONCHAIN_INTERVAL  300
#define BT_SCHEDULER_POSITION_INTERVAL 60
#define BT_SCHEDULER_REPORT_HOUR       8

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
/* Rows per page for every collector (tests exercise paging with small pages). */
void         bt_scheduler_set_page_size     (BtScheduler        *self,
                                             guint               page_size);

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

/* The wall clock of the day checks: when Coin Metrics can have a new
 * row, whether BGeometrics was fetched today (UTC), a Retry-After
 * remembered from an earlier run.  0: the real clock (tests move it). */
void         bt_scheduler_set_now           (BtScheduler        *self,
                                             gint64              now_unix);
/* "Fetches only when a new day is available": TRUE when Coin Metrics can
 * have a row newer than NEWEST (unix s within the newest stored day) at
 * NOW: the newest stored day is older than yesterday (UTC), and for
 * yesterday's row only from 01:00 UTC on. */
gboolean     bt_scheduler_onchain_due       (gint64              newest,
                                             gint64              now);

/* Names of the sources that failed in the last run (for messages). */
char        *bt_scheduler_dup_failure_summary (BtScheduler      *self);

/* Seconds from NOW (local time) to the next HOUR:00 local. */
gint64       bt_scheduler_seconds_until_hour (GDateTime         *now,
                                              int                hour);

G_END_DECLS
