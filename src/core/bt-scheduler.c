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

G_DEFINE_FINAL_TYPE (BtScheduler, bt_scheduler, G_TYPE_OBJECT)

guint _bt_scheduler_signals[N_SIGNALS];

enum { TIMER_MARKET, TIMER_ONCHAIN, TIMER_POSITION };

/* the pass (and its timer) that asks SOURCE: the Aave position pass, the
 * on-chain pass, or the market pass */
static int
source_timer (BtSource source)
{
  switch (source)
    {
    case BT_SOURCE_ETHEREUM:
      return TIMER_POSITION;
    case BT_SOURCE_COINMETRICS:
    case BT_SOURCE_BGEOMETRICS:
    case BT_SOURCE_NOTION:
      return TIMER_ONCHAIN;
    default:
      return TIMER_MARKET;
    }
}

gint64
_bt_scheduler_now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* the clock of the day checks (on-chain availability, BGeometrics' daily
 * fetch, a remembered Retry-After); tests move it */
gint64
_bt_scheduler_sched_now (BtScheduler *self)
{
  return self->fake_now > 0 ? self->fake_now : _bt_scheduler_now_s ();
}

/* The live state of SOURCE changed: tell the views ("source-progress"). */
void
_bt_scheduler_set_activity (BtScheduler      *self,
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
  g_signal_emit (self, _bt_scheduler_signals[SOURCE_PROGRESS], 0, (int) source);
}

char *
_bt_scheduler_setting_key (BtSource    source,
                           BtFeed      feed,
                           const char *what)
{
  return g_strdup_printf ("collect.%s.%s.%s", bt_source_name (source), bt_feed_name (feed), what);
}

gint64
_bt_scheduler_get_int_setting (BtStore    *store,
                               const char *key,
                               gint64      fallback)
{
  g_autofree char *v = bt_store_dup_setting (store, key, NULL);

  return v != NULL ? g_ascii_strtoll (v, NULL, 10) : fallback;
}

void
_bt_scheduler_set_int_setting (BtStore    *store,
                               const char *key,
                               gint64      value)
{
  g_autofree char *v = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  g_autoptr(GError) error = NULL;

  if (!bt_store_set_setting (store, key, v, &error))
    g_debug ("setting %s: %s", key, error->message);
}

void
_bt_scheduler_job_free (Job *job)
{
  g_clear_handle_id (&job->delay_id, g_source_remove);
  if (job->chain != NULL)
    g_array_unref (job->chain);
  g_free (job->cursor);
  g_clear_error (&job->error);
  g_free (job);
}

gboolean
_bt_scheduler_job_cancelled (Job *job)
{
  return g_cancellable_is_cancelled (job->run->self->cancellable)
         || (job->run->task != NULL && g_task_get_cancellable (job->run->task) != NULL
             && g_cancellable_is_cancelled (g_task_get_cancellable (job->run->task)));
}

GCancellable *
_bt_scheduler_job_cancellable (Job *job)
{
  return job->run->self->cancellable;
}

/* ---- after new data ---- */

static void
evaluate_alerts (BtScheduler *self)
{
  BtAlertInputs in;
  g_autoptr(BtAlertEngine) alerts = NULL;
  g_autofree char *state = bt_store_dup_setting (self->store, "alerts.state", NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *json = NULL;
  g_auto(GStrv) cleared = NULL;
  const BtIndicatorTable *table;
  guint n;

  if (!bt_engine_refresh (self->engine, NULL))
    return;
  table = bt_engine_get_table (self->engine);
  n = bt_engine_get_n_days (self->engine);
  bt_alert_inputs_init (&in);
  in.time = _bt_scheduler_now_s ();
  if (state != NULL)
    alerts = bt_alert_engine_new_from_json (state, NULL);
  if (alerts == NULL)
    alerts = bt_alert_engine_new ();
  if (table != NULL && n > 0)
    {
      const BtScores *scores = bt_engine_get_scores (self->engine);
      BtDecision decision;
      BtPositionState pos;
      gboolean has_pos = bt_engine_get_position (self->engine, &pos);

      in.market = scores[n - 1].market;
      in.price = table->value[BT_IND_BTC_PRICE][n - 1];
      in.price_24h_ago = n > 1 ? table->value[BT_IND_BTC_PRICE][n - 2] : NAN;
      in.funding_rate_7d = table->value[BT_IND_FUNDING_RATE_7D][n - 1];
      if (has_pos)
        {
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
      in.source_interval_seconds[s] = self->interval_s[source_timer (s)];
      bt_source_status_clear (&st);
    }
  events = bt_alert_engine_evaluate (alerts, bt_engine_get_rules (self->engine), &in);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      BtAlertEvent *e = g_ptr_array_index (events, i);
      gint64 id = bt_store_insert_alert (self->store, e->kind, e->key, e->severity, e->message,
                                         e->values_json, e->time, NULL);

      if (id > 0)
        g_signal_emit (self, _bt_scheduler_signals[ALERT_RAISED], 0, id);
    }
  cleared = bt_alert_engine_dup_cleared_keys (alerts);
  for (guint i = 0; cleared != NULL && cleared[i] != NULL; i++)
    g_signal_emit (self, _bt_scheduler_signals[ALERT_CLEARED], 0, cleared[i]);
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
  g_signal_emit (self, _bt_scheduler_signals[REPORT_READY], 0, (int) today);
}

static void
run_finish (Run *run)
{
  BtScheduler *self = run->self;

  if (run->first_changed != BT_DAY_INVALID || run->changed_wallets != NULL || run->n_failed > 0)
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
  g_clear_pointer (&run->changed_wallets, g_ptr_array_unref);
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
    g_signal_emit (run->self, _bt_scheduler_signals[DATA_CHANGED], 0, (int) run->first_changed);
  run_finish (run);
}

static void
run_complete (Run *run)
{
  BtScheduler *self = run->self;

  if (run->changed_wallets != NULL)
    {
      _bt_scheduler_update_portfolio (self);
      for (guint i = 0; i < run->changed_wallets->len; i++)
        g_signal_emit (self, _bt_scheduler_signals[POSITION_CHANGED], 0,
                       g_ptr_array_index (run->changed_wallets, i));
    }
  if (run->first_changed != BT_DAY_INVALID)
    {
      /* indicators, scores and market_data rows in a worker thread: the
       * main loop keeps turning even over the whole history */
      bt_engine_recompute_from_async (self->engine, run->first_changed, NULL, recompute_done_cb, run);
      return;
    }
  run_finish (run);
}

void
_bt_scheduler_run_job_done (Run *run)
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
      for (int s = 0; s < BT_N_SOURCES; s++)
        if (source_timer (s) == TIMER_ONCHAIN && self->enabled[s])
          g_ptr_array_add (starts, GINT_TO_POINTER (s));
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
              _bt_scheduler_set_activity (self, g_array_index (chain, BtSource, k), BT_SOURCE_STATE_QUEUED, NULL, 0);
        }
      else if (!self->busy[s])
        _bt_scheduler_set_activity (self, (BtSource) s, BT_SOURCE_STATE_QUEUED, NULL, 0);
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
          _bt_scheduler_job_start (run, first, g_array_ref (chain));
        }
      else
        _bt_scheduler_job_start (run, (BtSource) s, NULL);
    }
  g_array_unref (chain);
  g_ptr_array_unref (starts);
  _bt_scheduler_run_job_done (run);
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

/* a timer fired: the next one is due an interval later; run its pass */
static gboolean
tick (BtScheduler *self,
      int          timer,
      Jobs         jobs)
{
  renew_cancellable (self);
  self->next_tick[timer] = _bt_scheduler_now_s () + self->interval_s[timer];
  run_jobs (run_new (self, NULL, FALSE), jobs);
  return G_SOURCE_CONTINUE;
}

static gboolean
market_tick_cb (gpointer user_data)
{
  return tick (user_data, TIMER_MARKET, JOBS_MARKET);
}

static gboolean
onchain_tick_cb (gpointer user_data)
{
  return tick (user_data, TIMER_ONCHAIN, JOBS_ONCHAIN);
}

static gboolean
position_tick_cb (gpointer user_data)
{
  return tick (user_data, TIMER_POSITION, JOBS_POSITION);
}

static void
arm_timers (BtScheduler *self)
{
  static const GSourceFunc ticks[3] = { market_tick_cb, onchain_tick_cb, position_tick_cb };
  guint *ids[3] = { &self->market_id, &self->onchain_id, &self->position_id };
  gint64 now = _bt_scheduler_now_s ();

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

  _bt_scheduler_signals[DATA_CHANGED] = g_signal_new ("data-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  _bt_scheduler_signals[SOURCE_STATUS_CHANGED] = g_signal_new ("source-status-changed", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, G_TYPE_INT);
  _bt_scheduler_signals[POSITION_CHANGED] = g_signal_new ("position-changed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_STRING);
  _bt_scheduler_signals[ALERT_RAISED] = g_signal_new ("alert-raised", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  _bt_scheduler_signals[ALERT_CLEARED] = g_signal_new ("alert-cleared", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  _bt_scheduler_signals[REPORT_READY] = g_signal_new ("report-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  _bt_scheduler_signals[SOURCE_PROGRESS] = g_signal_new ("source-progress", G_TYPE_FROM_CLASS (klass),
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
          _bt_scheduler_job_request (job);
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

  return self->interval_s[source_timer (source)];
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
      activity->next_try = self->next_tick[source_timer (source)];
    }
}

void
bt_source_activity_clear (BtSourceActivity *activity)
{
  g_clear_pointer (&activity->error, g_free);
}

const char *
bt_scheduler_get_base_url (BtScheduler *self,
                           BtSource     source)
{
  g_return_val_if_fail (BT_IS_SCHEDULER (self), NULL);
  g_return_val_if_fail (source < BT_N_SOURCES, NULL);

  return self->collectors[source] != NULL ? bt_collector_get_base_url (self->collectors[source]) : NULL;
}
