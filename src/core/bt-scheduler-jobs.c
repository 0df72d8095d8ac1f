/* bt-scheduler-jobs.c: one job of a scheduler run: its requests feed by
 * feed and page by page, the Coin Metrics rate window, retries with
 * back-off and the fallback sources, and storing what it fetched
 * (bt-scheduler.h).  bt-scheduler.c holds the timers and the runs.
 */
#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bt-aave.h"
#include "bt-alerts.h"
#include "bt-base.h"
#include "bt-collectors.h"
#include "bt-collectors-private.h"
#include "bt-report.h"
#include "bt-scheduler.h"
#include "bt-scheduler-private.h"
#include "bt-scoring.h"

/* the row of the feed JOB is at, NULL for a wallet job or past the last feed */
static const BtFeedRow *
job_row (Job *job)
{
  return _bt_collectors_feed_row (job->source, job->feeds[job->feed_index]);
}

/* end JOB with ERROR (taken) */
static void
job_fail (Job    *job,
          GError *error)
{
  g_clear_error (&job->error);
  job->error = error;
  _bt_scheduler_job_finish (job);
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
  /* said at the run's end, once the day's portfolio point is stored too */
  if (job->run->changed_wallets == NULL)
    job->run->changed_wallets = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (job->run->changed_wallets, g_strdup (snap->wallet));
  return TRUE;
}

void
_bt_scheduler_update_portfolio (BtScheduler *self)
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
  _bt_scheduler_job_request (job);
  return G_SOURCE_REMOVE;
}

static void
retry_or_fail (Job         *job,
               GError      *error,
               BtHttpReply *reply)
{
  BtScheduler *self = job->run->self;
  const BtFeedRow *row = job_row (job);
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

      if (secs < 0 && row != NULL && row->default_wait_s > 0)
        secs = row->default_wait_s;
      if (secs > 0)
        {
          g_autofree char *key = g_strdup_printf ("source.%s.retry_until", bt_source_name (job->source));

          _bt_scheduler_set_int_setting (self->store, key, _bt_scheduler_sched_now (self) + secs);
        }
    }
  if (_bt_scheduler_job_cancelled (job) || !bt_http_error_is_transient (error) || job->attempt + 1 >= MAX_TRIES
      || (g_error_matches (error, BT_HTTP_ERROR, BT_HTTP_ERROR_NETWORK)
          && job->chain != NULL && job->chain->len > 0))
    {
      /* an exchange that cannot be reached at all: its fallback is asked
       * at once instead of after the retries; the last of the chain keeps
       * retrying (see bt-scheduler.h) */
      job_fail (job, error);
      return;
    }
  delay = FIRST_BACKOFF_S * self->backoff_scale * (1 << job->attempt);
  if (reply->retry_after >= 0)
    {
      /* honour Retry-After; when it is longer than a short run can wait, give up */
      if (self->backoff_scale < 1.0 && reply->retry_after > 30)
        {
          job_fail (job, error);
          return;
        }
      delay = MAX (delay, (double) reply->retry_after);
    }
  g_debug ("%s: retry %u in %.1f s: %s", bt_source_name (job->source), job->attempt + 1, delay,
           error->message);
  _bt_scheduler_set_activity (self, job->source, BT_SOURCE_STATE_RETRYING, error, _bt_scheduler_now_s () + (gint64) ceil (delay));
  g_error_free (error);
  job->attempt++;
  job->delay_id = g_timeout_add ((guint) MAX (1.0, delay * 1000.0), delay_done_cb, job);
}

/* FALSE after a failed fetch (ERROR, taken, and REPLY say why): the job
 * retries or fails */
static gboolean
job_fetched (Job         *job,
             gboolean     fetched,
             GError      *error,
             BtHttpReply *reply)
{
  if (fetched)
    return TRUE;
  retry_or_fail (job, error, reply);
  return FALSE;
}

/* FALSE when storing what a fetch brought failed (*ERROR taken): the job
 * fails */
static gboolean
job_stored (Job     *job,
            gboolean stored,
            GError **error)
{
  if (stored)
    return TRUE;
  job_fail (job, g_steal_pointer (error));
  return FALSE;
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
  if (!job_fetched (job, snap != NULL, error, &reply))
    return;
  if (!job_stored (job, store_position (job, snap, &error), &error))
    return;
  job->wallet_index++;
  job->attempt = 0;
  _bt_scheduler_job_request (job);
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
  const BtFeedRow *row = job_row (job);

  batch = bt_collector_fetch_finish (BT_COLLECTOR (source), result, &reply, &error);
  if (!job_fetched (job, batch != NULL, error, &reply))
    return;
  if (!job_stored (job, store_batch (job, batch, &error), &error))
    return;
  if (batch->last_time != G_MININT64)
    {
      g_autofree char *key = _bt_scheduler_setting_key (job->source, feed, "last");

      _bt_scheduler_set_int_setting (self->store, key, MAX (batch->last_time, _bt_scheduler_get_int_setting (self->store, key, 0)));
    }
  job->attempt = 0;
  g_free (job->cursor);
  job->cursor = g_strdup (batch->next_cursor);
  save_cursor (job, job->cursor);
  if (job->cursor != NULL)
    {
      _bt_scheduler_job_request (job);
      return;
    }
  if (row->flags & BT_FEED_FLAG_DAILY_SERIES)
    {
      /* the whole series came in one call: not again before tomorrow (UTC) */
      g_autofree char *key = _bt_scheduler_setting_key (job->source, feed, "fetched_day");

      _bt_scheduler_set_int_setting (self->store, key, _bt_scheduler_sched_now (self) / DAY_S);
    }
  job->feed_index++;
  _bt_scheduler_job_feed_begin (job);
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

void
_bt_scheduler_job_request (Job *job)
{
  BtScheduler *self = job->run->self;
  gint64 wait_us;

  if (_bt_scheduler_job_cancelled (job))
    {
      job_fail (job, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
      return;
    }
  if (self->banned_until[job->source] > g_get_monotonic_time ())
    {
      job_fail (job, g_error_new (BT_HTTP_ERROR, BT_HTTP_ERROR_BANNED,
                                  _("%s banned this address; waiting %lld s before asking again"),
                                  bt_source_name (job->source),
                                  (long long) ((self->banned_until[job->source] - g_get_monotonic_time ())
                                               / G_USEC_PER_SEC + 1)));
      return;
    }
  if (job->source == BT_SOURCE_ETHEREUM)
    {
      if (self->wallets == NULL || self->wallets[job->wallet_index] == NULL)
        {
          _bt_scheduler_job_finish (job);
          return;
        }
      bt_aave_fetch_async (self->aave, self->wallets[job->wallet_index], _bt_scheduler_job_cancellable (job),
                           aave_done_cb, job);
      return;
    }
  if ((job_row (job)->flags & BT_FEED_FLAG_RATE_WINDOW) && !cm_slot_free (self, &wait_us))
    {
      job->delay_id = g_timeout_add ((guint) (wait_us / 1000 + 1), delay_done_cb, job);
      return;
    }
  bt_collector_fetch_async (self->collectors[job->source], job->feeds[job->feed_index], job->start, -1,
                            job->cursor, _bt_scheduler_job_cancellable (job), fetch_done_cb, job);
}

void
_bt_scheduler_job_feed_begin (Job *job)
{
  BtScheduler *self = job->run->self;
  BtSourceStatus status = { 0 };
  const BtFeedRow *row;
  BtFeed feed;
  g_autofree char *last_key = NULL;
  g_autofree char *start_key = NULL;
  gint64 last;
  const char *prefix_end;

  if (job->feeds[job->feed_index] == BT_N_FEEDS)
    {
      _bt_scheduler_job_finish (job);
      return;
    }
  feed = job->feeds[job->feed_index];
  row = job_row (job);
  last_key = _bt_scheduler_setting_key (job->source, feed, "last");
  start_key = _bt_scheduler_setting_key (job->source, feed, "start");
  last = _bt_scheduler_get_int_setting (self->store, last_key, G_MININT64);
  g_clear_pointer (&job->cursor, g_free);
  job->attempt = 0;
  if (row->flags & BT_FEED_FLAG_DAILY_SERIES)
    {
      g_autofree char *key = _bt_scheduler_setting_key (job->source, feed, "fetched_day");

      /* free tier: about 8 requests an hour and 15 a day, so each metric
       * at most once per UTC day, the full series in one call */
      if (_bt_scheduler_get_int_setting (self->store, key, -1) == _bt_scheduler_sched_now (self) / DAY_S)
        {
          g_debug ("%s: %s already fetched today", bt_source_name (job->source), bt_feed_name (feed));
          job->feed_index++;
          _bt_scheduler_job_feed_begin (job);
          return;
        }
      job->start = bt_collector_history_start (job->source, feed);
      _bt_scheduler_job_request (job);
      return;
    }
  bt_store_get_source_status (self->store, job->source, &status, NULL);
  prefix_end = status.cursor != NULL ? strchr (status.cursor, ':') : NULL;
  if (prefix_end == NULL && !job->run->backfill && last != G_MININT64
      && (row->flags & BT_FEED_FLAG_DAILY_ROWS)
      && !bt_scheduler_onchain_due (last, _bt_scheduler_sched_now (self)))
    {
      /* no new daily row can have been published yet */
      g_debug ("%s: no new day available yet", bt_source_name (job->source));
      bt_source_status_clear (&status);
      job->feed_index++;
      _bt_scheduler_job_feed_begin (job);
      return;
    }
  if (prefix_end != NULL && strncmp (status.cursor, bt_feed_name (feed), prefix_end - status.cursor) == 0
      && strlen (bt_feed_name (feed)) == (gsize) (prefix_end - status.cursor))
    {
      /* resume an interrupted backfill where it stopped */
      job->cursor = g_strdup (prefix_end + 1);
      job->start = _bt_scheduler_get_int_setting (self->store, start_key, -1);
    }
  else if (job->run->backfill || last == G_MININT64)
    {
      job->start = bt_collector_history_start (job->source, feed);
      _bt_scheduler_set_int_setting (self->store, start_key, job->start);
    }
  else
    {
      /* incremental: from a little before the newest stored row, so that a
       * provisional bar is overwritten once its day has ended */
      job->start = MAX (last - REFETCH_DAYS * 86400, bt_collector_history_start (job->source, feed));
      job->start -= job->start % 86400;
      _bt_scheduler_set_int_setting (self->store, start_key, job->start);
    }
  bt_source_status_clear (&status);
  _bt_scheduler_job_request (job);
}

void
_bt_scheduler_job_start (Run      *run,
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
              _bt_scheduler_set_activity (self, g_array_index (chain, BtSource, i), BT_SOURCE_STATE_IDLE, NULL, 0);
          g_array_unref (chain);
        }
      _bt_scheduler_run_job_done (run);
      return;
    }
  self->busy[source] = TRUE;
  job = g_new0 (Job, 1);
  job->run = run;
  job->source = source;
  self->active[source] = job;
  _bt_scheduler_set_activity (self, source, BT_SOURCE_STATE_RUNNING, NULL, 0);
  job->chain = chain;
  job->feeds = bt_collector_source_feeds (source);
  {
    g_autofree char *key = g_strdup_printf ("source.%s.retry_until", bt_source_name (source));
    gint64 until = _bt_scheduler_get_int_setting (self->store, key, 0);
    gint64 now = _bt_scheduler_sched_now (self);

    if (until > now)
      {
        /* the server asked us to wait (Retry-After) in an earlier run */
        job_fail (job, g_error_new (BT_HTTP_ERROR, BT_HTTP_ERROR_RATE_LIMITED,
                                    _("%s asked to wait; next request in %lld s"),
                                    bt_source_name (source), (long long) (until - now)));
        return;
      }
  }
  if (source == BT_SOURCE_ETHEREUM)
    {
      static const BtFeed none[] = { BT_N_FEEDS };

      job->feeds = none;
      _bt_scheduler_job_request (job);
      return;
    }
  _bt_scheduler_job_feed_begin (job);
}

void
_bt_scheduler_job_finish (Job *job)
{
  Run *run = job->run;
  BtScheduler *self = run->self;
  BtSourceStatus status = { 0 };
  gint64 now = _bt_scheduler_now_s ();
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
      g_signal_emit (self, _bt_scheduler_signals[SOURCE_STATUS_CHANGED], 0, (int) job->source);
    }
  bt_source_status_clear (&status);
  self->busy[job->source] = FALSE;
  self->active[job->source] = NULL;
  _bt_scheduler_set_activity (self, job->source, BT_SOURCE_STATE_IDLE, job->error, 0);
  if ((job->error == NULL || cancelled) && job->chain != NULL)
    /* the fallbacks are not needed (or the run was stopped) */
    for (guint i = 0; i < job->chain->len; i++)
      {
        BtSource rest = g_array_index (job->chain, BtSource, i);

        if (self->activity[rest].state == BT_SOURCE_STATE_QUEUED)
          _bt_scheduler_set_activity (self, rest, BT_SOURCE_STATE_IDLE, NULL, 0);
      }

  /* price fallback: binance → coinbase → kraken */
  if (job->error != NULL && !cancelled && job->chain != NULL && job->chain->len > 0)
    {
      BtSource next = g_array_index (job->chain, BtSource, 0);
      GArray *rest = g_array_ref (job->chain);

      g_array_remove_index (rest, 0);
      _bt_scheduler_job_free (job);
      _bt_scheduler_job_start (run, next, rest);
      return;
    }
  _bt_scheduler_job_free (job);
  _bt_scheduler_run_job_done (run);
}
