/* bt-scheduler-private.h: the internals shared by the scheduler's timers
 * and runs (bt-scheduler.c) and its jobs (bt-scheduler-jobs.c), and what
 * only the tests call.  Not for other modules.
 */
#pragma once

#include "bt-aave.h"
#include "bt-collectors.h"
#include "bt-scheduler.h"

G_BEGIN_DECLS

#define MAX_TRIES         3
#define FIRST_BACKOFF_S   60.0
#define CM_WINDOW_US      (6 * G_USEC_PER_SEC)
#define CM_MAX_IN_WINDOW  10
#define REFETCH_DAYS      2
#define DAY_S             86400
/* Coin Metrics publishes day D's row from about 01:00 UTC on D+1 */
#define ONCHAIN_PUBLISH_S 3600

struct _BtScheduler
{
  GObject        parent_instance;

  BtEngine      *engine;
  BtStore       *store;
  BtHttp        *http;
  BtCollector   *collectors[BT_N_SOURCES];
  BtAave        *aave;
  gboolean       enabled[BT_N_SOURCES];
  gboolean       busy[BT_N_SOURCES];
  gint64         banned_until[BT_N_SOURCES];   /* monotonic µs */
  GStrv          wallets;
  double         backoff_scale;
  GCancellable  *cancellable;
  GQueue         cm_times;                     /* monotonic µs of recent Coin Metrics requests */
  guint          market_id;
  guint          onchain_id;
  guint          position_id;
  guint          report_id;
  GString       *failures;
  gint64         fake_now;                     /* unix s; 0: the real clock */
  guint          interval_s[3];                /* market, on-chain, position */
  guint          report_minute;                /* local minutes after midnight */
  gint64         next_tick[3];                 /* unix s of the next timer run */
  BtSourceActivity activity[BT_N_SOURCES];
  struct _Job   *active[BT_N_SOURCES];         /* the job of each busy source */
  guint          wake_id;
};

enum
{
  DATA_CHANGED,
  SOURCE_STATUS_CHANGED,
  POSITION_CHANGED,
  ALERT_RAISED,
  ALERT_CLEARED,
  REPORT_READY,
  SOURCE_PROGRESS,
  N_SIGNALS
};

extern guint _bt_scheduler_signals[N_SIGNALS];

/* ---- one pass over some jobs ---- */

typedef struct
{
  BtScheduler *self;
  GTask       *task;        /* NULL for timer runs */
  gboolean     backfill;
  guint        pending;
  BtDay        first_changed;
  guint        n_failed;
  GPtrArray   *changed_wallets;  /* wallets with a new reading, or NULL */
  GCancellable *user_cancel;  /* the caller's, linked to the scheduler's */
  gulong       cancel_id;
} Run;

typedef struct _Job
{
  Run          *run;
  BtSource      source;
  GArray       *chain;       /* BtSource fallbacks still to try after this one */
  const BtFeed *feeds;
  guint         feed_index;
  guint         wallet_index;
  char         *cursor;
  gint64        start;
  guint         attempt;
  guint         delay_id;
  GError       *error;
} Job;

gint64    _bt_scheduler_now_s (void);
gint64    _bt_scheduler_sched_now (BtScheduler *self);
void      _bt_scheduler_set_activity (BtScheduler   *self,
                                      BtSource       source,
                                      BtSourceState  state,
                                      const GError  *error,
                                      gint64         next_try);
char     *_bt_scheduler_setting_key (BtSource    source,
                                    BtFeed      feed,
                                    const char *what);
gint64    _bt_scheduler_get_int_setting (BtStore    *store,
                                         const char *key,
                                         gint64      fallback);
void      _bt_scheduler_set_int_setting (BtStore    *store,
                                         const char *key,
                                         gint64      value);
void      _bt_scheduler_job_free (Job *job);
gboolean  _bt_scheduler_job_cancelled (Job *job);
GCancellable *_bt_scheduler_job_cancellable (Job *job);
void      _bt_scheduler_run_job_done (Run *run);
void      _bt_scheduler_update_portfolio (BtScheduler *self);
void      _bt_scheduler_job_request (Job *job);
void      _bt_scheduler_job_feed_begin (Job *job);
void      _bt_scheduler_job_start (Run      *run,
                                   BtSource  source,
                                   GArray   *chain);
void      _bt_scheduler_job_finish (Job *job);

/* ---- for the tests ---- */

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

/* Seconds from NOW (local time) to the next HOUR:00 local. */
gint64       bt_scheduler_seconds_until_hour (GDateTime         *now,
                                              int                hour);
/* Seconds from NOW (local time) to the next HOUR:MINUTE local. */
gint64       bt_scheduler_seconds_until_time (GDateTime         *now,
                                              int                hour,
                                              int                minute);

G_END_DECLS
