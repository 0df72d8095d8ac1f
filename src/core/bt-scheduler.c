#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bt-aave.h"
#include "bt-alerts.h"
#include "bt-base.h"
#include "bt-collectors.h"
#include "bt-report.h"
#include "bt-scheduler.h"
#include "bt-scheduler-private.h"
#include "bt-scoring.h"

#define MAX_TRIES         3
#define FIRST_BACKOFF_S   60.0
#define CM_WINDOW_US      (6 * G_USEC_PER_SEC)
#define CM_MAX_IN_WINDOW  10
#define REFETCH_DAYS      2
#define DAY_S             86400
/* Coin Metrics publishes day D's row from about 01:00 UTC on D+1 */
#define ONCHAIN_PUBLISH_S 3600
/* BGeometrics' free tier (about 8 requests an hour) after a 429 without Retry-After */
#define BGEO_DEFAULT_WAIT_S 3600

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

G_DEFINE_FINAL_TYPE (BtScheduler, bt_scheduler, G_TYPE_OBJECT)

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

static guint signals[N_SIGNALS];

/* ---- one pass over some jobs ---- */

typedef struct
{
  BtScheduler *self;
  GTask       *task;        /* NULL for timer runs */
  gboolean     backfill;
  guint        pending;
  BtDay        first_changed;
  guint        n_failed;
  gboolean     positions_changed;
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

enum { TIMER_MARKET, TIMER_ONCHAIN, TIMER_POSITION };

static void job_feed_begin (Job *job);
static void job_request (Job *job);
static void job_finish (Job *job);
static void run_job_done (Run *run);

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* the clock of the day checks (on-chain availability, BGeometrics' daily
 * fetch, a remembered Retry-After); tests move it */
static gint64
sched_now (BtScheduler *self)
{
  return self->fake_now > 0 ? self->fake_now : now_s ();
}

/* The live state of SOURCE changed: tell the views ("source-progress"). */
static void
set_activity (BtScheduler      *self,
              BtSource          source,
              BtSourceState     state,
              const GError     *error,
              gint64            next_try)
{
  BtSourceActivity *a = &self->activity[source];

  a->state = state;
  if (state == BT_SOURCE_STATE_RUNNING || state == BT_SOURCE_STATE_QUEUED)
    {
      g_clear_pointer (&a->error, g_free);
      a->network_error = FALSE;
    }
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (a->error);
      a->error = g_strdup (error->message);
      a->network_error = g_error_matches (error, BT_HTTP_ERROR, BT_HTTP_ERROR_NETWORK)
                         || g_error_matches (error, BT_HTTP_ERROR, BT_HTTP_ERROR_TIMEOUT);
    }
  a->next_try = next_try;
  g_signal_emit (self, signals[SOURCE_PROGRESS], 0, (int) source);
}

static char *
setting_key (BtSource    source,
             BtFeed      feed,
             const char *what)
{
  return g_strdup_printf ("collect.%s.%s.%s", bt_source_name (source), bt_feed_name (feed), what);
}

static gint64
get_int_setting (BtStore    *store,
                 const char *key,
                 gint64      fallback)
{
  g_autofree char *v = bt_store_dup_setting (store, key, NULL);

  return v != NULL ? g_ascii_strtoll (v, NULL, 10) : fallback;
}

static void
set_int_setting (BtStore    *store,
                 const char *key,
                 gint64      value)
{
  g_autofree char *v = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  g_autoptr(GError) error = NULL;

  if (!bt_store_set_setting (store, key, v, &error))
    g_debug ("setting %s: %s", key, error->message);
}

static void
job_free (Job *job)
{
  g_clear_handle_id (&job->delay_id, g_source_remove);
  if (job->chain != NULL)
    g_array_unref (job->chain);
  g_free (job->cursor);
  g_clear_error (&job->error);
  g_free (job);
}

static gboolean
job_cancelled (Job *job)
{
  return g_cancellable_is_cancelled (job->run->self->cancellable)
         || (job->run->task != NULL && g_task_get_cancellable (job->run->task) != NULL
             && g_cancellable_is_cancelled (g_task_get_cancellable (job->run->task)));
}

static GCancellable *
job_cancellable (Job *job)
{
  return job->run->self->cancellable;
}

/* ---- storing a page ---- */

static void
note_changed (Run  *run,
              BtDay day)
{
  if (day == BT_DAY_INVALID)
    return;
  if (run->first_changed == BT_DAY_INVALID || day < run->first_changed)
    run->first_changed = day;
}

static gboolean
store_batch (Job      *job,
             BtBatch  *batch,
             GError  **error)
{
  BtScheduler *self = job->run->self;
  BtDay changed;

  if (batch->candles->len > 0)
    {
      if (!bt_store_upsert_candles (self->store, batch->source, "1d",
                                    (const BtCandle *) batch->candles->data, batch->candles->len,
                                    &changed, NULL, error))
        return FALSE;
      note_changed (job->run, changed);
    }
  for (guint i = 0; i < batch->series->len; i++)
    {
      BtSeries *s = g_ptr_array_index (batch->series, i);

      if (s->obs->len == 0)
        continue;
      if (!bt_store_upsert_observations (self->store, batch->source, s->metric,
                                         (const BtObservation *) s->obs->data, s->obs->len,
                                         &changed, NULL, error))
        return FALSE;
      note_changed (job->run, changed);
    }
  if (batch->feed == BT_FEED_ONCHAIN || batch->unavailable->len > 0)
    {
      /* a metric the free tier stopped serving: a visible state, old data kept */
      g_autofree char *key = g_strdup_printf ("source.%s.unavailable", bt_source_name (batch->source));
      g_autofree char *list = NULL;

      g_ptr_array_add (batch->unavailable, NULL);
      list = g_strjoinv (",", (char **) batch->unavailable->pdata);
      g_ptr_array_remove_index (batch->unavailable, batch->unavailable->len - 1);
      bt_store_set_setting (self->store, key, *list != '\0' ? list : NULL, NULL);
    }
  return TRUE;
}

static void
save_cursor (Job        *job,
             const char *cursor)
{
  BtScheduler *self = job->run->self;
  BtSourceStatus status = { 0 };

  if (!bt_store_get_source_status (self->store, job->source, &status, NULL))
    return;
  status.source = job->source;
  g_free (status.cursor);
  status.cursor = cursor != NULL
                  ? g_strdup_printf ("%s:%s", bt_feed_name (job->feeds[job->feed_index]), cursor)
                  : NULL;
  bt_store_put_source_status (self->store, &status, NULL);
  bt_source_status_clear (&status);
}

/* ---- positions ---- */

static gboolean
store_position (Job            *job,
                BtAaveSnapshot *snap,
                GError        **error)
{
  BtScheduler *self = job->run->self;
  BtPositionState state;
  g_autoptr(BtPosition) position = NULL;
  const BtRules *rules = bt_engine_get_rules (self->engine);
  double lt = snap->account.liquidation_threshold;

  if (!(lt > 0) && snap->wbtc.liquidation_threshold_bps > 0)
    lt = snap->wbtc.liquidation_threshold_bps / 10000.0;
  bt_position_evaluate (snap->account.collateral_usd, snap->account.debt_usd,
                        lt > 0 ? lt : NAN, snap->account.health_factor,
                        snap->wbtc_price, rules, &state);
  position = bt_position_new_from_state (snap->wallet, snap->timestamp, &state, lt, snap->wbtc_price);
  if (!bt_store_insert_position (self->store, position, error))
    return FALSE;
  job->run->positions_changed = TRUE;
  g_signal_emit (self, signals[POSITION_CHANGED], 0, snap->wallet);
  return TRUE;
}

static void
update_portfolio (BtScheduler *self)
{
  g_autoptr(GPtrArray) positions = bt_store_list_latest_positions (self->store, NULL);
  BtPortfolioPoint p = { 0 };
  double collateral = 0, debt = 0, price = NAN;

  if (positions == NULL || positions->len == 0)
    return;
  for (guint i = 0; i < positions->len; i++)
    {
      BtPosition *pos = g_ptr_array_index (positions, i);
      const BtPositionData *d = bt_position_get_data (pos);

      if (isfinite (d->collateral_usd))
        collateral += d->collateral_usd;
      if (isfinite (d->debt_usd))
        debt += d->debt_usd;
      if (isfinite (d->collateral_usd) && isfinite (d->btc_amount) && d->btc_amount > 0)
        price = d->collateral_usd / d->btc_amount;
    }
  p.date = bt_day_today_utc ();
  p.portfolio_value = collateral - debt;
  p.btc_price = price;
  p.leverage = collateral - debt > 0 ? collateral / (collateral - debt) : NAN;
  p.total_return_pct = NAN;
  p.drawdown_pct = NAN;
  {
    g_autoptr(GArray) hist = bt_store_list_portfolio_history (self->store, BT_DAY_INVALID,
                                                               BT_DAY_INVALID, NULL);
    double peak = p.portfolio_value;

    if (hist != NULL)
      {
        for (guint i = 0; i < hist->len; i++)
          {
            BtPortfolioPoint *q = &g_array_index (hist, BtPortfolioPoint, i);

            if (isfinite (q->portfolio_value) && q->portfolio_value > peak)
              peak = q->portfolio_value;
          }
        if (hist->len > 0 && isfinite (g_array_index (hist, BtPortfolioPoint, 0).portfolio_value)
            && g_array_index (hist, BtPortfolioPoint, 0).portfolio_value > 0)
          p.total_return_pct = (p.portfolio_value / g_array_index (hist, BtPortfolioPoint, 0).portfolio_value - 1) * 100;
      }
    p.drawdown_pct = peak > 0 ? (1 - p.portfolio_value / peak) * 100 : NAN;
  }
  bt_store_upsert_portfolio_point (self->store, &p, NULL);
}

/* ---- requests with retries ---- */

static gboolean
delay_done_cb (gpointer user_data)
{
  Job *job = user_data;

  job->delay_id = 0;
  job_request (job);
  return G_SOURCE_REMOVE;
}

static void
retry_or_fail (Job         *job,
               GError      *error,
               BtHttpReply *reply)
{
  BtScheduler *self = job->run->self;
  double delay;

  if (g_error_matches (error, BT_HTTP_ERROR, BT_HTTP_ERROR_BANNED))
    {
      /* stop all traffic to this host until the ban expires */
      gint64 secs = reply->retry_after >= 0 ? reply->retry_after : 120;

      self->banned_until[job->source] = g_get_monotonic_time () + secs * G_USEC_PER_SEC;
    }
  if (g_error_matches (error, BT_HTTP_ERROR, BT_HTTP_ERROR_BANNED)
      || g_error_matches (error, BT_HTTP_ERROR, BT_HTTP_ERROR_RATE_LIMITED))
    {
      /* remembered across runs: the next run (or the next start of the
       * program) does not ask before the time the server gave */
      gint64 secs = reply->retry_after;

      if (secs < 0 && job->source == BT_SOURCE_BGEOMETRICS)
        secs = BGEO_DEFAULT_WAIT_S;
      if (secs > 0)
        {
          g_autofree char *key = g_strdup_printf ("source.%s.retry_until", bt_source_name (job->source));

          set_int_setting (self->store, key, sched_now (self) + secs);
        }
    }
  if (job_cancelled (job) || !bt_http_error_is_transient (error) || job->attempt + 1 >= MAX_TRIES
      || (g_error_matches (error, BT_HTTP_ERROR, BT_HTTP_ERROR_NETWORK)
          && job->chain != NULL && job->chain->len > 0))
    {
      /* an exchange that cannot be reached at all: its fallback is asked
       * at once instead of after the retries; the last of the chain keeps
       * retrying (see bt-scheduler.h) */
      g_clear_error (&job->error);
      job->error = error;
      job_finish (job);
      return;
    }
  delay = FIRST_BACKOFF_S * self->backoff_scale * (1 << job->attempt);
  if (reply->retry_after >= 0)
    {
      /* honour Retry-After; when it is longer than a short run can wait, give up */
      if (self->backoff_scale < 1.0 && reply->retry_after > 30)
        {
          g_clear_error (&job->error);
          job->error = error;
          job_finish (job);
          return;
        }
      delay = MAX (delay, (double) reply->retry_after);
    }
  g_debug ("%s: retry %u in %.1f s: %s", bt_source_name (job->source), job->attempt + 1, delay,
           error->message);
  set_activity (self, job->source, BT_SOURCE_STATE_RETRYING, error, now_s () + (gint64) ceil (delay));
  g_error_free (error);
  job->attempt++;
  job->delay_id = g_timeout_add ((guint) MAX (1.0, delay * 1000.0), delay_done_cb, job);
}

static void
aave_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(BtAaveSnapshot) snap = NULL;
  BtHttpReply reply = { 0, -1 };
  GError *error = NULL;

  snap = bt_aave_fetch_finish (BT_AAVE (source), result, &reply, &error);
  if (snap == NULL)
    {
      retry_or_fail (job, error, &reply);
      return;
    }
  if (!store_position (job, snap, &error))
    {
      job->error = error;
      job_finish (job);
      return;
    }
  job->wallet_index++;
  job->attempt = 0;
  job_request (job);
}

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Job *job = user_data;
  BtScheduler *self = job->run->self;
  g_autoptr(BtBatch) batch = NULL;
  BtHttpReply reply = { 0, -1 };
  GError *error = NULL;
  BtFeed feed = job->feeds[job->feed_index];

  batch = bt_collector_fetch_finish (BT_COLLECTOR (source), result, &reply, &error);
  if (batch == NULL)
    {
      retry_or_fail (job, error, &reply);
      return;
    }
  if (!store_batch (job, batch, &error))
    {
      job->error = error;
      job_finish (job);
      return;
    }
  if (batch->last_time != G_MININT64)
    {
      g_autofree char *key = setting_key (job->source, feed, "last");

      set_int_setting (self->store, key, MAX (batch->last_time, get_int_setting (self->store, key, 0)));
    }
  job->attempt = 0;
  g_free (job->cursor);
  job->cursor = g_strdup (batch->next_cursor);
  save_cursor (job, job->cursor);
  if (job->cursor != NULL)
    {
      job_request (job);
      return;
    }
  if (job->source == BT_SOURCE_BGEOMETRICS)
    {
      /* the whole series came in one call: not again before tomorrow (UTC) */
      g_autofree char *key = setting_key (job->source, feed, "fetched_day");

      set_int_setting (self->store, key, sched_now (self) / DAY_S);
    }
  job->feed_index++;
  job_feed_begin (job);
}

static gboolean
cm_slot_free (BtScheduler *self,
              gint64      *wait_us)
{
  gint64 now = g_get_monotonic_time ();

  while (!g_queue_is_empty (&self->cm_times)
         && now - *(gint64 *) g_queue_peek_head (&self->cm_times) >= CM_WINDOW_US)
    g_free (g_queue_pop_head (&self->cm_times));
  if (g_queue_get_length (&self->cm_times) < CM_MAX_IN_WINDOW)
    {
      gint64 *t = g_new (gint64, 1);

      *t = now;
      g_queue_push_tail (&self->cm_times, t);
      return TRUE;
    }
  *wait_us = *(gint64 *) g_queue_peek_head (&self->cm_times) + CM_WINDOW_US - now;
  return FALSE;
}

static void
job_request (Job *job)
{
  BtScheduler *self = job->run->self;
  gint64 wait_us;

  if (job_cancelled (job))
    {
      job->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      job_finish (job);
      return;
    }
  if (self->banned_until[job->source] > g_get_monotonic_time ())
    {
      job->error = g_error_new (BT_HTTP_ERROR, BT_HTTP_ERROR_BANNED,
                                _("%s banned this address; waiting %lld s before asking again"),
                                bt_source_name (job->source),
                                (long long) ((self->banned_until[job->source] - g_get_monotonic_time ()) / G_USEC_PER_SEC + 1));
      job_finish (job);
      return;
    }
  if (job->source == BT_SOURCE_ETHEREUM)
    {
      if (self->wallets == NULL || self->wallets[job->wallet_index] == NULL)
        {
          job_finish (job);
          return;
        }
      bt_aave_fetch_async (self->aave, self->wallets[job->wallet_index], job_cancellable (job),
                           aave_done_cb, job);
      return;
    }
  if (job->source == BT_SOURCE_COINMETRICS && !cm_slot_free (self, &wait_us))
    {
      job->delay_id = g_timeout_add ((guint) (wait_us / 1000 + 1), delay_done_cb, job);
      return;
    }
  bt_collector_fetch_async (self->collectors[job->source], job->feeds[job->feed_index], job->start, -1,
                            job->cursor, job_cancellable (job), fetch_done_cb, job);
}

static void
job_feed_begin (Job *job)
{
  BtScheduler *self = job->run->self;
  BtSourceStatus status = { 0 };
  BtFeed feed;
  g_autofree char *last_key = NULL;
  g_autofree char *start_key = NULL;
  gint64 last;
  const char *prefix_end;

  if (job->feeds[job->feed_index] == BT_N_FEEDS)
    {
      job_finish (job);
      return;
    }
  feed = job->feeds[job->feed_index];
  last_key = setting_key (job->source, feed, "last");
  start_key = setting_key (job->source, feed, "start");
  last = get_int_setting (self->store, last_key, G_MININT64);
  g_clear_pointer (&job->cursor, g_free);
  job->attempt = 0;
  if (job->source == BT_SOURCE_BGEOMETRICS)
    {
      g_autofree char *key = setting_key (job->source, feed, "fetched_day");

      /* free tier: about 8 requests an hour and 15 a day, so each metric
       * at most once per UTC day, the full series in one call */
      if (get_int_setting (self->store, key, -1) == sched_now (self) / DAY_S)
        {
          g_debug ("bgeometrics: %s already fetched today", bt_feed_name (feed));
          job->feed_index++;
          job_feed_begin (job);
          return;
        }
      job->start = bt_collector_history_start (job->source, feed);
      job_request (job);
      return;
    }
  bt_store_get_source_status (self->store, job->source, &status, NULL);
  prefix_end = status.cursor != NULL ? strchr (status.cursor, ':') : NULL;
  if (prefix_end == NULL && !job->run->backfill && last != G_MININT64
      && job->source == BT_SOURCE_COINMETRICS && feed == BT_FEED_ONCHAIN
      && !bt_scheduler_onchain_due (last, sched_now (self)))
    {
      /* no new daily row can have been published yet */
      g_debug ("coinmetrics: no new day available yet");
      bt_source_status_clear (&status);
      job->feed_index++;
      job_feed_begin (job);
      return;
    }
  if (prefix_end != NULL && strncmp (status.cursor, bt_feed_name (feed), prefix_end - status.cursor) == 0
      && strlen (bt_feed_name (feed)) == (gsize) (prefix_end - status.cursor))
    {
      /* resume an interrupted backfill where it stopped */
      job->cursor = g_strdup (prefix_end + 1);
      job->start = get_int_setting (self->store, start_key, -1);
    }
  else if (job->run->backfill || last == G_MININT64)
    {
      job->start = bt_collector_history_start (job->source, feed);
      set_int_setting (self->store, start_key, job->start);
    }
  else
    {
      /* incremental: from a little before the newest stored row, so that a
       * provisional bar is overwritten once its day has ended */
      job->start = MAX (last - REFETCH_DAYS * 86400, bt_collector_history_start (job->source, feed));
      job->start -= job->start % 86400;
      set_int_setting (self->store, start_key, job->start);
    }
  bt_source_status_clear (&status);
  job_request (job);
}

static void
job_start (Run      *run,
           BtSource  source,
           GArray   *chain)
{
  BtScheduler *self = run->self;
  Job *job;

  if (self->busy[source])
    {
      /* one request per source in flight: the running job covers this one */
      if (chain != NULL)
        {
          for (guint i = 0; i < chain->len; i++)
            if (self->activity[g_array_index (chain, BtSource, i)].state == BT_SOURCE_STATE_QUEUED)
              set_activity (self, g_array_index (chain, BtSource, i), BT_SOURCE_STATE_IDLE, NULL, 0);
          g_array_unref (chain);
        }
      run_job_done (run);
      return;
    }
  self->busy[source] = TRUE;
  job = g_new0 (Job, 1);
  job->run = run;
  job->source = source;
  self->active[source] = job;
  set_activity (self, source, BT_SOURCE_STATE_RUNNING, NULL, 0);
  job->chain = chain;
  job->feeds = bt_collector_source_feeds (source);
  {
    g_autofree char *key = g_strdup_printf ("source.%s.retry_until", bt_source_name (source));
    gint64 until = get_int_setting (self->store, key, 0);
    gint64 now = sched_now (self);

    if (until > now)
      {
        /* the server asked us to wait (Retry-After) in an earlier run */
        job->error = g_error_new (BT_HTTP_ERROR, BT_HTTP_ERROR_RATE_LIMITED,
                                  _("%s asked to wait; next request in %lld s"),
                                  bt_source_name (source), (long long) (until - now));
        job_finish (job);
        return;
      }
  }
  if (source == BT_SOURCE_ETHEREUM)
    {
      static const BtFeed none[] = { BT_N_FEEDS };

      job->feeds = none;
      job_request (job);
      return;
    }
  job_feed_begin (job);
}

static void
job_finish (Job *job)
{
  Run *run = job->run;
  BtScheduler *self = run->self;
  BtSourceStatus status = { 0 };
  gint64 now = now_s ();
  gboolean cancelled = job->error != NULL && g_error_matches (job->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  bt_store_get_source_status (self->store, job->source, &status, NULL);
  status.source = job->source;
  if (job->error == NULL)
    {
      status.last_success = now;
      status.failing_since = 0;
      status.stale = FALSE;
      g_clear_pointer (&status.last_error, g_free);
    }
  else if (!cancelled)
    {
      status.last_failure = now;
      if (status.failing_since == 0)
        status.failing_since = now;
      status.stale = TRUE;
      g_free (status.last_error);
      status.last_error = g_strdup (job->error->message);
      run->n_failed++;
      g_string_append_printf (self->failures, "%s%s: %s", self->failures->len > 0 ? "; " : "",
                              bt_source_name (job->source), job->error->message);
    }
  if (!cancelled)
    {
      bt_store_put_source_status (self->store, &status, NULL);
      g_signal_emit (self, signals[SOURCE_STATUS_CHANGED], 0, (int) job->source);
    }
  bt_source_status_clear (&status);
  self->busy[job->source] = FALSE;
  self->active[job->source] = NULL;
  set_activity (self, job->source, BT_SOURCE_STATE_IDLE, job->error, 0);
  if ((job->error == NULL || cancelled) && job->chain != NULL)
    /* the fallbacks are not needed (or the run was stopped) */
    for (guint i = 0; i < job->chain->len; i++)
      {
        BtSource rest = g_array_index (job->chain, BtSource, i);

        if (self->activity[rest].state == BT_SOURCE_STATE_QUEUED)
          set_activity (self, rest, BT_SOURCE_STATE_IDLE, NULL, 0);
      }

  /* price fallback: binance → coinbase → kraken */
  if (job->error != NULL && !cancelled && job->chain != NULL && job->chain->len > 0)
    {
      BtSource next = g_array_index (job->chain, BtSource, 0);
      GArray *rest = g_array_ref (job->chain);

      g_array_remove_index (rest, 0);
      job_free (job);
      job_start (run, next, rest);
      return;
    }
  job_free (job);
  run_job_done (run);
}

/* ---- after new data ---- */

static void
evaluate_alerts (BtScheduler *self)
{
  BtAlertInputs in;
  g_autoptr(BtAlertEngine) alerts = NULL;
  g_autofree char *state = bt_store_dup_setting (self->store, "alerts.state", NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) positions = NULL;
  g_autofree char *json = NULL;
  g_auto(GStrv) cleared = NULL;
  const BtIndicatorTable *table;
  guint n;

  if (!bt_engine_refresh (self->engine, NULL))
    return;
  table = bt_engine_get_table (self->engine);
  n = bt_engine_get_n_days (self->engine);
  bt_alert_inputs_init (&in);
  in.time = now_s ();
  if (state != NULL)
    alerts = bt_alert_engine_new_from_json (state, NULL);
  if (alerts == NULL)
    alerts = bt_alert_engine_new ();
  positions = bt_store_list_latest_positions (self->store, NULL);
  if (table != NULL && n > 0)
    {
      const BtScores *scores = bt_engine_get_scores (self->engine);
      BtDecision decision;
      BtPositionState pos;
      gboolean has_pos = positions != NULL && positions->len > 0;

      in.market = scores[n - 1].market;
      in.price = table->value[BT_IND_BTC_PRICE][n - 1];
      in.price_24h_ago = n > 1 ? table->value[BT_IND_BTC_PRICE][n - 2] : NAN;
      in.funding_rate_7d = table->value[BT_IND_FUNDING_RATE_7D][n - 1];
      if (has_pos)
        {
          bt_position_to_state (g_ptr_array_index (positions, 0), &pos);
          in.health_factor = pos.health_factor;
          in.liquidation_distance = pos.liquidation_distance;
        }
      if (bt_engine_decide (self->engine, bt_engine_get_last_day (self->engine), has_pos ? &pos : NULL,
                            &decision, NULL, NULL))
        {
          in.action = decision.action;
          in.urgency = decision.urgency;
          in.heat = decision.heat;
        }
    }
  for (int s = 0; s < BT_N_SOURCES; s++)
    {
      BtSourceStatus st = { 0 };

      if (!self->enabled[s])
        continue;
      if (bt_store_get_source_status (self->store, s, &st, NULL) && st.failing_since > 0)
        in.source_failing_seconds[s] = (double) (in.time - st.failing_since);
      else
        in.source_failing_seconds[s] = 0;
      in.source_interval_seconds[s] = s == BT_SOURCE_ETHEREUM ? self->interval_s[TIMER_POSITION]
                                      : s == BT_SOURCE_COINMETRICS || s == BT_SOURCE_BGEOMETRICS
                                        || s == BT_SOURCE_NOTION ? self->interval_s[TIMER_ONCHAIN]
                                      : self->interval_s[TIMER_MARKET];
      bt_source_status_clear (&st);
    }
  events = bt_alert_engine_evaluate (alerts, bt_engine_get_rules (self->engine), &in);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      BtAlertEvent *e = g_ptr_array_index (events, i);
      gint64 id = bt_store_insert_alert (self->store, e->kind, e->key, e->severity, e->message,
                                         e->values_json, e->time, NULL);

      if (id > 0)
        g_signal_emit (self, signals[ALERT_RAISED], 0, id);
    }
  cleared = bt_alert_engine_dup_cleared_keys (alerts);
  for (guint i = 0; cleared != NULL && cleared[i] != NULL; i++)
    g_signal_emit (self, signals[ALERT_CLEARED], 0, cleared[i]);
  json = bt_alert_engine_to_json (alerts);
  bt_store_set_setting (self->store, "alerts.state", json, NULL);
}

static void
maybe_report (BtScheduler *self,
              gboolean     force)
{
  g_autoptr(GDateTime) local = g_date_time_new_now_local ();
  BtDay today = bt_day_today_utc ();
  g_autofree char *existing = NULL;
  g_autoptr(GError) error = NULL;

  if (!force && g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local)
                 < (int) self->report_minute)
    return;
  existing = bt_store_dup_report (self->store, today, NULL);
  if (existing != NULL && !force)
    return;
  if (!bt_report_generate (self->engine, today, &error))
    {
      g_debug ("daily report: %s", error->message);
      return;
    }
  g_signal_emit (self, signals[REPORT_READY], 0, (int) today);
}

static void
run_finish (Run *run)
{
  BtScheduler *self = run->self;

  if (run->first_changed != BT_DAY_INVALID || run->positions_changed || run->n_failed > 0)
    evaluate_alerts (self);
  if (run->cancel_id != 0)
    g_cancellable_disconnect (run->user_cancel, run->cancel_id);
  g_clear_object (&run->user_cancel);
  if (run->task != NULL)
    {
      maybe_report (self, FALSE);
      g_task_return_int (run->task, run->n_failed);
      g_object_unref (run->task);
    }
  g_object_unref (self);
  g_free (run);
}

static void
recompute_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!bt_engine_recompute_from_finish (BT_ENGINE (source), result, &error))
    g_debug ("recompute: %s", error->message);
  else
    g_signal_emit (run->self, signals[DATA_CHANGED], 0, (int) run->first_changed);
  run_finish (run);
}

static void
run_complete (Run *run)
{
  BtScheduler *self = run->self;

  if (run->positions_changed)
    update_portfolio (self);
  if (run->first_changed != BT_DAY_INVALID)
    {
      /* indicators, scores and market_data rows in a worker thread: the
       * main loop keeps turning even over the whole history */
      bt_engine_recompute_from_async (self->engine, run->first_changed, NULL, recompute_done_cb, run);
      return;
    }
  run_finish (run);
}

static void
run_job_done (Run *run)
{
  g_assert (run->pending > 0);
  if (--run->pending == 0)
    run_complete (run);
}

typedef enum
{
  JOBS_MARKET = 1 << 0,
  JOBS_ONCHAIN = 1 << 1,
  JOBS_POSITION = 1 << 2,
} Jobs;

static Run *
run_new (BtScheduler *self,
         GTask       *task,
         gboolean     backfill)
{
  Run *run = g_new0 (Run, 1);

  run->self = g_object_ref (self);
  run->task = task;
  run->backfill = backfill;
  run->first_changed = BT_DAY_INVALID;
  return run;
}

static void
run_jobs (Run  *run,
          Jobs  jobs)
{
  BtScheduler *self = run->self;
  GPtrArray *starts = g_ptr_array_new ();
  static const BtSource price_chain[] = { BT_SOURCE_BINANCE, BT_SOURCE_COINBASE, BT_SOURCE_KRAKEN };
  GArray *chain = g_array_new (FALSE, FALSE, sizeof (BtSource));

  g_string_truncate (self->failures, 0);
  if (jobs & JOBS_MARKET)
    {
      for (guint i = 0; i < G_N_ELEMENTS (price_chain); i++)
        if (self->enabled[price_chain[i]])
          g_array_append_val (chain, price_chain[i]);
      if (chain->len > 0)
        g_ptr_array_add (starts, GINT_TO_POINTER (-1));
      if (self->enabled[BT_SOURCE_BINANCE_FUTURES])
        g_ptr_array_add (starts, GINT_TO_POINTER (BT_SOURCE_BINANCE_FUTURES));
    }
  if (jobs & JOBS_ONCHAIN)
    {
      if (self->enabled[BT_SOURCE_COINMETRICS])
        g_ptr_array_add (starts, GINT_TO_POINTER (BT_SOURCE_COINMETRICS));
      if (self->enabled[BT_SOURCE_BGEOMETRICS])
        g_ptr_array_add (starts, GINT_TO_POINTER (BT_SOURCE_BGEOMETRICS));
      if (self->enabled[BT_SOURCE_NOTION])
        g_ptr_array_add (starts, GINT_TO_POINTER (BT_SOURCE_NOTION));
    }
  if ((jobs & JOBS_POSITION) && self->enabled[BT_SOURCE_ETHEREUM] && self->wallets != NULL
      && self->wallets[0] != NULL)
    g_ptr_array_add (starts, GINT_TO_POINTER (BT_SOURCE_ETHEREUM));

  /* what this run will ask, for the views */
  for (guint i = 0; i < starts->len; i++)
    {
      int s = GPOINTER_TO_INT (g_ptr_array_index (starts, i));

      if (s == -1)
        {
          for (guint k = 0; k < chain->len; k++)
            if (!self->busy[g_array_index (chain, BtSource, k)])
              set_activity (self, g_array_index (chain, BtSource, k), BT_SOURCE_STATE_QUEUED, NULL, 0);
        }
      else if (!self->busy[s])
        set_activity (self, (BtSource) s, BT_SOURCE_STATE_QUEUED, NULL, 0);
    }
  /* hold one extra count so that synchronous completions cannot finish the run early */
  run->pending = starts->len + 1;
  for (guint i = 0; i < starts->len; i++)
    {
      int s = GPOINTER_TO_INT (g_ptr_array_index (starts, i));

      if (s == -1)
        {
          BtSource first = g_array_index (chain, BtSource, 0);

          g_array_remove_index (chain, 0);
          job_start (run, first, g_array_ref (chain));
        }
      else
        job_start (run, (BtSource) s, NULL);
    }
  g_array_unref (chain);
  g_ptr_array_unref (starts);
  run_job_done (run);
}

/* ---- timers (live mode) ---- */

static void
renew_cancellable (BtScheduler *self)
{
  /* a stopped refresh cancelled the jobs of that moment, not later ones */
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
}

static gboolean
market_tick_cb (gpointer user_data)
{
  BtScheduler *self = user_data;

  renew_cancellable (self);
  self->next_tick[TIMER_MARKET] = now_s () + self->interval_s[TIMER_MARKET];
  run_jobs (run_new (self, NULL, FALSE), JOBS_MARKET);
  return G_SOURCE_CONTINUE;
}

static gboolean
onchain_tick_cb (gpointer user_data)
{
  BtScheduler *self = user_data;

  renew_cancellable (self);
  self->next_tick[TIMER_ONCHAIN] = now_s () + self->interval_s[TIMER_ONCHAIN];
  run_jobs (run_new (self, NULL, FALSE), JOBS_ONCHAIN);
  return G_SOURCE_CONTINUE;
}

static gboolean
position_tick_cb (gpointer user_data)
{
  BtScheduler *self = user_data;

  renew_cancellable (self);
  self->next_tick[TIMER_POSITION] = now_s () + self->interval_s[TIMER_POSITION];
  run_jobs (run_new (self, NULL, FALSE), JOBS_POSITION);
  return G_SOURCE_CONTINUE;
}

static void
arm_timers (BtScheduler *self)
{
  static const GSourceFunc ticks[3] = { market_tick_cb, onchain_tick_cb, position_tick_cb };
  guint *ids[3] = { &self->market_id, &self->onchain_id, &self->position_id };
  gint64 now = now_s ();

  for (guint t = 0; t < 3; t++)
    {
      g_clear_handle_id (ids[t], g_source_remove);
      *ids[t] = g_timeout_add_seconds (self->interval_s[t], ticks[t], self);
      self->next_tick[t] = now + self->interval_s[t];
    }
}

static void arm_report (BtScheduler *self);

static gboolean
report_tick_cb (gpointer user_data)
{
  BtScheduler *self = user_data;

  self->report_id = 0;
  maybe_report (self, TRUE);
  arm_report (self);
  return G_SOURCE_REMOVE;
}

static void
arm_report (BtScheduler *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gint64 secs = bt_scheduler_seconds_until_time (now, (int) self->report_minute / 60,
                                                 (int) self->report_minute % 60);

  g_clear_handle_id (&self->report_id, g_source_remove);
  self->report_id = g_timeout_add_seconds ((guint) MAX (1, secs), report_tick_cb, self);
}

gint64
bt_scheduler_seconds_until_hour (GDateTime *now,
                                 int        hour)
{
  return bt_scheduler_seconds_until_time (now, hour, 0);
}

gint64
bt_scheduler_seconds_until_time (GDateTime *now,
                                 int        hour,
                                 int        minute)
{
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) target = NULL;
  gint64 diff;

  today = g_date_time_new (g_date_time_get_timezone (now), g_date_time_get_year (now),
                           g_date_time_get_month (now), g_date_time_get_day_of_month (now),
                           hour, minute, 0);
  diff = g_date_time_to_unix (today) - g_date_time_to_unix (now);
  if (diff > 0)
    return diff;
  /* tomorrow at HOUR:MINUTE, by the calendar (a DST change makes the day 23 or 25 h) */
  target = g_date_time_add_days (today, 1);
  {
    g_autoptr(GDateTime) fixed = g_date_time_new (g_date_time_get_timezone (now),
                                                  g_date_time_get_year (target),
                                                  g_date_time_get_month (target),
                                                  g_date_time_get_day_of_month (target), hour, minute, 0);

    return g_date_time_to_unix (fixed) - g_date_time_to_unix (now);
  }
}

/* ---- GObject ---- */

static void
bt_scheduler_dispose (GObject *object)
{
  BtScheduler *self = BT_SCHEDULER (object);

  bt_scheduler_stop (self);
  g_clear_handle_id (&self->wake_id, g_source_remove);
  for (int s = 0; s < BT_N_SOURCES; s++)
    g_clear_object (&self->collectors[s]);
  g_clear_object (&self->aave);
  g_clear_object (&self->http);
  g_clear_object (&self->store);
  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (bt_scheduler_parent_class)->dispose (object);
}

static void
bt_scheduler_finalize (GObject *object)
{
  BtScheduler *self = BT_SCHEDULER (object);

  g_strfreev (self->wallets);
  for (int s = 0; s < BT_N_SOURCES; s++)
    g_free (self->activity[s].error);
  g_queue_clear_full (&self->cm_times, g_free);
  g_string_free (self->failures, TRUE);
  G_OBJECT_CLASS (bt_scheduler_parent_class)->finalize (object);
}

static void
bt_scheduler_class_init (BtSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bt_scheduler_dispose;
  object_class->finalize = bt_scheduler_finalize;

  signals[DATA_CHANGED] = g_signal_new ("data-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SOURCE_STATUS_CHANGED] = g_signal_new ("source-status-changed", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, G_TYPE_INT);
  signals[POSITION_CHANGED] = g_signal_new ("position-changed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[ALERT_RAISED] = g_signal_new ("alert-raised", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[ALERT_CLEARED] = g_signal_new ("alert-cleared", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[REPORT_READY] = g_signal_new ("report-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SOURCE_PROGRESS] = g_signal_new ("source-progress", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
bt_scheduler_init (BtScheduler *self)
{
  self->backoff_scale = 1.0;
  self->interval_s[TIMER_MARKET] = BT_SCHEDULER_MARKET_INTERVAL;
  self->interval_s[TIMER_ONCHAIN] = BT_SCHEDULER_ONCHAIN_INTERVAL;
  self->interval_s[TIMER_POSITION] = BT_SCHEDULER_POSITION_INTERVAL;
  self->report_minute = BT_SCHEDULER_REPORT_HOUR * 60;
  self->failures = g_string_new (NULL);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->cm_times);
  self->enabled[BT_SOURCE_BINANCE] = TRUE;
  self->enabled[BT_SOURCE_BINANCE_FUTURES] = TRUE;
  self->enabled[BT_SOURCE_COINBASE] = TRUE;
  self->enabled[BT_SOURCE_KRAKEN] = TRUE;
  self->enabled[BT_SOURCE_COINMETRICS] = TRUE;
}

BtScheduler *
bt_scheduler_new (BtEngine *engine)
{
  BtScheduler *self;

  g_return_val_if_fail (BT_IS_ENGINE (engine), NULL);

  self = g_object_new (BT_TYPE_SCHEDULER, NULL);
  self->engine = g_object_ref (engine);
  self->store = g_object_ref (bt_engine_get_store (engine));
  self->http = bt_http_new ();
  for (int s = BT_SOURCE_BINANCE; s <= BT_SOURCE_NOTION; s++)
    if (s != BT_SOURCE_ETHEREUM)
      self->collectors[s] = bt_collector_new (s, self->http);
  /* each page is written to the store on the main loop: pages of 1,000
   * days keep every write short (a whole-history page of Coin Metrics held
   * the loop 40 ms, and over a second under the sanitizers); the whole
   * history is still 6 requests, within its 10 per 6 s */
  bt_collector_set_page_size (self->collectors[BT_SOURCE_COINMETRICS], 1000);
  self->aave = bt_aave_new (self->http, NULL);
  return self;
}

BtEngine *
bt_scheduler_get_engine (BtScheduler *self)
{
  g_return_val_if_fail (BT_IS_SCHEDULER (self), NULL);

  return self->engine;
}

void
bt_scheduler_set_source_enabled (BtScheduler *self,
                                 BtSource     source,
                                 gboolean     enabled)
{
  g_return_if_fail (BT_IS_SCHEDULER (self));
  g_return_if_fail (source < BT_N_SOURCES);

  self->enabled[source] = enabled;
}

gboolean
bt_scheduler_get_source_enabled (BtScheduler *self,
                                 BtSource     source)
{
  g_return_val_if_fail (BT_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (source < BT_N_SOURCES, FALSE);

  return self->enabled[source];
}

gboolean
bt_scheduler_set_base_url (BtScheduler  *self,
                           BtSource      source,
                           const char   *url,
                           GError      **error)
{
  g_return_val_if_fail (BT_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (source < BT_N_SOURCES, FALSE);

  if (source == BT_SOURCE_ETHEREUM)
    return bt_aave_set_rpc_url (self->aave, url, error);
  if (self->collectors[source] == NULL)
    {
      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_UNSUPPORTED,
                   _("%s is not a collector"), bt_source_name (source));
      return FALSE;
    }
  return bt_collector_set_base_url (self->collectors[source], url, error);
}

gboolean
bt_scheduler_set_rpc_url (BtScheduler  *self,
                          const char   *url,
                          GError      **error)
{
  g_return_val_if_fail (BT_IS_SCHEDULER (self), FALSE);

  return bt_aave_set_rpc_url (self->aave, url, error);
}

void
bt_scheduler_set_wallets (BtScheduler        *self,
                          const char * const *wallets)
{
  g_return_if_fail (BT_IS_SCHEDULER (self));

  g_strfreev (self->wallets);
  self->wallets = g_strdupv ((char **) wallets);
  if (wallets != NULL && wallets[0] != NULL)
    self->enabled[BT_SOURCE_ETHEREUM] = TRUE;
}

void
bt_scheduler_set_notion (BtScheduler        *self,
                         const char         *token,
                         const char         *database_id,
                         const char         *date_property,
                         const char * const *mapping)
{
  g_return_if_fail (BT_IS_SCHEDULER (self));

  bt_collector_set_notion (self->collectors[BT_SOURCE_NOTION], token, database_id, date_property, mapping);
}

void
bt_scheduler_set_backoff_scale (BtScheduler *self,
                                double       scale)
{
  g_return_if_fail (BT_IS_SCHEDULER (self));
  g_return_if_fail (scale > 0);

  self->backoff_scale = scale;
}

void
bt_scheduler_set_http_timeout_ms (BtScheduler *self,
                                  guint        timeout_ms)
{
  g_return_if_fail (BT_IS_SCHEDULER (self));

  bt_http_set_timeout_ms (self->http, timeout_ms);
}

void
bt_scheduler_set_page_size (BtScheduler *self,
                            guint        page_size)
{
  g_return_if_fail (BT_IS_SCHEDULER (self));

  for (int s = 0; s < BT_N_SOURCES; s++)
    if (self->collectors[s] != NULL)
      bt_collector_set_page_size (self->collectors[s], page_size);
}

void
bt_scheduler_start (BtScheduler *self)
{
  g_return_if_fail (BT_IS_SCHEDULER (self));

  if (self->market_id != 0)
    return;
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  /* a first pass now (backfilling what was never fetched), then the timers */
  run_jobs (run_new (self, NULL, FALSE), JOBS_MARKET | JOBS_ONCHAIN | JOBS_POSITION);
  arm_timers (self);
  arm_report (self);
}

static void
wake_waiting_jobs (BtScheduler *self)
{
  for (int s = 0; s < BT_N_SOURCES; s++)
    {
      Job *job = self->active[s];

      if (job != NULL && job->delay_id != 0)
        {
          g_clear_handle_id (&job->delay_id, g_source_remove);
          /* cancelled: job_request finishes it */
          job_request (job);
        }
    }
}

static gboolean
wake_cb (gpointer user_data)
{
  BtScheduler *self = user_data;

  self->wake_id = 0;
  wake_waiting_jobs (self);
  return G_SOURCE_REMOVE;
}

void
bt_scheduler_stop (BtScheduler *self)
{
  g_return_if_fail (BT_IS_SCHEDULER (self));

  g_clear_handle_id (&self->market_id, g_source_remove);
  g_clear_handle_id (&self->onchain_id, g_source_remove);
  g_clear_handle_id (&self->position_id, g_source_remove);
  g_clear_handle_id (&self->report_id, g_source_remove);
  memset (self->next_tick, 0, sizeof self->next_tick);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->wake_id == 0)
    self->wake_id = g_idle_add (wake_cb, self);
}

static void
task_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  BtScheduler *self = user_data;

  g_cancellable_cancel (self->cancellable);
  /* jobs waiting for a retry end now, not when their wait is over (from
   * an idle: the canceller may be inside a callback of this scheduler) */
  if (self->wake_id == 0)
    self->wake_id = g_idle_add (wake_cb, self);
}

void
bt_scheduler_run_once_async (BtScheduler         *self,
                             gboolean             backfill,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  Run *run;

  g_return_if_fail (BT_IS_SCHEDULER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bt_scheduler_run_once_async);
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  run = run_new (self, task, backfill);
  if (cancellable != NULL)
    {
      run->user_cancel = g_object_ref (cancellable);
      run->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (task_cancelled_cb), self, NULL);
    }
  run_jobs (run, JOBS_MARKET | JOBS_ONCHAIN | JOBS_POSITION);
}

gboolean
bt_scheduler_run_once_finish (BtScheduler   *self,
                              GAsyncResult  *result,
                              guint         *n_failed,
                              GError       **error)
{
  gssize n;

  g_return_val_if_fail (BT_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (n_failed != NULL)
    *n_failed = (guint) n;
  return TRUE;
}

void
bt_scheduler_set_now (BtScheduler *self,
                      gint64       now_unix)
{
  g_return_if_fail (BT_IS_SCHEDULER (self));

  self->fake_now = MAX (now_unix, 0);
}

gboolean
bt_scheduler_onchain_due (gint64 newest,
                          gint64 now)
{
  gint64 newest_day = newest >= 0 ? newest / DAY_S : (newest - DAY_S + 1) / DAY_S;
  gint64 today = now / DAY_S;
  gint64 yesterday = today - 1;

  if (newest_day >= yesterday)
    return FALSE;                      /* yesterday's row is stored: wait for tomorrow */
  if (newest_day == yesterday - 1)
    return now - today * DAY_S >= ONCHAIN_PUBLISH_S;   /* yesterday's row: after 01:00 UTC */
  return TRUE;                         /* older rows are certainly published */
}

char *
bt_scheduler_dup_failure_summary (BtScheduler *self)
{
  g_return_val_if_fail (BT_IS_SCHEDULER (self), NULL);

  return g_strdup (self->failures->str);
}

void
bt_scheduler_set_intervals (BtScheduler *self,
                            guint        market_s,
                            guint        onchain_s,
                            guint        position_s)
{
  g_return_if_fail (BT_IS_SCHEDULER (self));
  g_return_if_fail (market_s > 0 && onchain_s > 0 && position_s > 0);

  if (self->interval_s[TIMER_MARKET] == market_s && self->interval_s[TIMER_ONCHAIN] == onchain_s
      && self->interval_s[TIMER_POSITION] == position_s)
    return;
  self->interval_s[TIMER_MARKET] = market_s;
  self->interval_s[TIMER_ONCHAIN] = onchain_s;
  self->interval_s[TIMER_POSITION] = position_s;
  if (self->market_id != 0)
    arm_timers (self);
}

guint
bt_scheduler_get_interval (BtScheduler *self,
                           BtSource     source)
{
  g_return_val_if_fail (BT_IS_SCHEDULER (self), 0);

  switch (source)
    {
    case BT_SOURCE_ETHEREUM:
      return self->interval_s[TIMER_POSITION];
    case BT_SOURCE_COINMETRICS:
    case BT_SOURCE_BGEOMETRICS:
    case BT_SOURCE_NOTION:
      return self->interval_s[TIMER_ONCHAIN];
    default:
      return self->interval_s[TIMER_MARKET];
    }
}

void
bt_scheduler_set_report_time (BtScheduler *self,
                              guint        minutes)
{
  g_return_if_fail (BT_IS_SCHEDULER (self));
  g_return_if_fail (minutes < 24 * 60);

  if (self->report_minute == minutes)
    return;
  self->report_minute = minutes;
  if (self->report_id != 0)
    arm_report (self);
}

guint
bt_scheduler_get_report_time (BtScheduler *self)
{
  g_return_val_if_fail (BT_IS_SCHEDULER (self), 0);

  return self->report_minute;
}

gint64
bt_scheduler_get_next_report (BtScheduler *self)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (BT_IS_SCHEDULER (self), 0);

  if (self->report_id == 0)
    return 0;
  now = g_date_time_new_now_local ();
  return g_date_time_to_unix (now)
         + bt_scheduler_seconds_until_time (now, (int) self->report_minute / 60,
                                            (int) self->report_minute % 60);
}

void
bt_scheduler_get_source_activity (BtScheduler      *self,
                                  BtSource          source,
                                  BtSourceActivity *activity)
{
  g_return_if_fail (BT_IS_SCHEDULER (self));
  g_return_if_fail (source < BT_N_SOURCES);
  g_return_if_fail (activity != NULL);

  *activity = self->activity[source];
  activity->error = g_strdup (self->activity[source].error);
  if (activity->state == BT_SOURCE_STATE_IDLE && self->market_id != 0)
    {
      /* idle in live mode: the next timer run */
      switch (source)
        {
        case BT_SOURCE_ETHEREUM:
          activity->next_try = self->next_tick[TIMER_POSITION];
          break;
        case BT_SOURCE_COINMETRICS:
        case BT_SOURCE_BGEOMETRICS:
        case BT_SOURCE_NOTION:
          activity->next_try = self->next_tick[TIMER_ONCHAIN];
          break;
        default:
          activity->next_try = self->next_tick[TIMER_MARKET];
          break;
        }
    }
}

void
bt_source_activity_clear (BtSourceActivity *activity)
{
  g_clear_pointer (&activity->error, g_free);
}

gboolean
bt_scheduler_get_running (BtScheduler *self)
{
  g_return_val_if_fail (BT_IS_SCHEDULER (self), FALSE);

  return self->market_id != 0;
}

const char *
bt_scheduler_get_base_url (BtScheduler *self,
                           BtSource     source)
{
  g_return_val_if_fail (BT_IS_SCHEDULER (self), NULL);
  g_return_val_if_fail (source < BT_N_SOURCES, NULL);

  return self->collectors[source] != NULL ? bt_collector_get_base_url (self->collectors[source]) : NULL;
}
