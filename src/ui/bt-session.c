/* bt-session.c: the window over the core (store, engine, scheduler). */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bt-alerts.h"
#include "bt-backtest-store.h"
#include "bt-backtest.h"
#include "bt-base.h"
#include "bt-chart.h"
#include "bt-collectors.h"
#include "bt-report.h"
#include "bt-engine.h"
#include "bt-import.h"
#include "bt-import-assistant.h"
#include "bt-sources-view.h"
#include "bt-scheduler.h"
#include "bt-scoring.h"
#include "bt-secrets.h"
#include "bt-session.h"
#include "bt-session-private.h"
#include "bt-store.h"
#include "bt-ui-util.h"

struct _BtSession
{
  GObject       parent_instance;

  BtWindow     *window;       /* weak */
  GSettings    *settings;
  char         *db_path;
  BtStore      *store;
  BtEngine     *engine;
  BtScheduler  *scheduler;

  GCancellable *cancellable;  /* everything; cancelled in dispose */
  GCancellable *backtest;     /* the running backtest */
  BtBacktestInputs inputs;    /* borrowed from the engine while it runs */
  GHashTable   *notified;     /* alert id (gint64 *) → key: notifications shown */
  gboolean      collecting;
  GCancellable *refresh;      /* the refresh the user asked for (Stop) */
  guint32       refresh_sources; /* bit per BtSource asked by that refresh */
  gboolean      refresh_announced;
  BtImportStats last_import;
};

G_DEFINE_FINAL_TYPE (BtSession, bt_session, G_TYPE_OBJECT)

static void read_rpc_url        (BtSession   *self);
static void on_source_status_cb (BtScheduler *scheduler,
                                 int          source,
                                 BtSession   *self);

/* ---- loading the pages ------------------------------------------------- */

/* the period the Backtest page offers and the rules it shows */
static void
load_backtest (BtSession *self)
{
  BtBacktestPage *backtest = bt_window_get_backtest_page (self->window);
  const BtHistory *history = bt_engine_get_history (self->engine);
  const BtIndicatorTable *table = bt_engine_get_table (self->engine);
  const BtScores *scores = bt_engine_get_scores (self->engine);
  BtBacktestInputs inputs = { history, table, scores, bt_engine_get_rules (self->engine) };
  BtDay price_first, price_last, rules_first, rules_last;

  if (history == NULL || table == NULL || scores == NULL || table->n_days == 0)
    return;
  if (bt_backtest_inputs_span (&inputs, &price_first, &price_last, &rules_first, &rules_last))
    bt_backtest_page_set_data_span (backtest, price_first, price_last, rules_first, rules_last);
  bt_backtest_page_set_rules (backtest, bt_engine_get_rules (self->engine));
}

static void
load_positions (BtSession *self,
                GPtrArray *positions)
{
  BtPositionPage *page = bt_window_get_position_page (self->window);
  g_autoptr(GPtrArray) wallets = bt_store_list_wallets (self->store, NULL);
  g_autoptr(GArray) history = bt_store_list_portfolio_history (self->store, BT_DAY_INVALID,
                                                               BT_DAY_INVALID, NULL);

  for (guint i = 0; wallets != NULL && i < wallets->len; i++)
    {
      BtWallet *wallet = g_ptr_array_index (wallets, i);
      BtPositionState state;
      BtPosition *found = NULL;

      for (guint k = 0; positions != NULL && k < positions->len; k++)
        if (g_ascii_strcasecmp (bt_position_get_wallet (g_ptr_array_index (positions, k)),
                                wallet->address) == 0)
          found = g_ptr_array_index (positions, k);
      if (found != NULL)
        {
          bt_position_to_state (found, &state);
          bt_position_page_set_position (page, wallet->address, &state);
        }
      else
        {
          g_autoptr(GError) ignored = NULL;

          /* a wallet without readings yet: a row, no signal */
          if (!bt_position_page_validate_address (wallet->address, &ignored))
            continue;
          g_signal_handlers_block_matched (page, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
          bt_position_page_add_wallet (page, wallet->address, NULL);
          g_signal_handlers_unblock_matched (page, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
        }
    }

  if (history != NULL && history->len > 0)
    {
      BtPortfolioPoint *points = (BtPortfolioPoint *) history->data;
      BtDay first = points[0].date;
      guint n = points[history->len - 1].date - first + 1;
      g_autofree double *value = g_new (double, n);
      g_autofree double *drawdown = g_new (double, n);

      for (guint i = 0; i < n; i++)
        value[i] = drawdown[i] = NAN;
      for (guint i = 0; i < history->len; i++)
        {
          value[points[i].date - first] = points[i].portfolio_value;
          drawdown[points[i].date - first] = -fabs (points[i].drawdown_pct);
        }
      bt_position_page_set_portfolio (page, first, n, value, drawdown);
    }
  bt_position_page_refresh (page);
}

/* An alert's sentence in the language of now (the stored one as it fired
 * when its values are not understood). */
static char *
alert_message (BtAlert *alert)
{
  char *message = bt_alert_format_message (bt_alert_get_key (alert),
                                           bt_alert_get_values_json (alert));

  return message != NULL ? message : g_strdup (bt_alert_get_message (alert));
}

static void
load_alerts (BtSession *self)
{
  BtAlertsPage *page = bt_window_get_alerts_page (self->window);
  g_autoptr(GPtrArray) alerts = bt_store_list_alerts (self->store, FALSE, NULL);

  bt_alerts_page_clear (page);
  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      BtAlert *alert = g_ptr_array_index (alerts, i);
      g_autofree char *message = alert_message (alert);

      bt_alerts_page_set_alert (page, bt_alert_get_id (alert), bt_alert_get_severity (alert),
                                message, bt_alert_get_created_at (alert),
                                bt_alert_get_acknowledged_at (alert),
                                bt_alert_get_cleared_at (alert));
    }
}

/* ---- notifications ----------------------------------------------------- */

/* One notification per alert, so that clearing or acknowledging an alert
 * withdraws exactly its own. */
static char *
alert_notification_id (gint64 id)
{
  return g_strdup_printf ("alert-%" G_GINT64_FORMAT, id);
}

static void
withdraw_alert_id (BtSession *self,
                   gint64     id)
{
  GApplication *app = g_application_get_default ();
  g_autofree char *notification_id = alert_notification_id (id);

  g_hash_table_remove (self->notified, &id);
  if (app != NULL)
    g_application_withdraw_notification (app, notification_id);
}

static void
notify_alert (BtSession *self,
              gint64     id)
{
  GApplication *app = g_application_get_default ();
  g_autoptr(GPtrArray) alerts = NULL;

  if (app == NULL || !g_settings_get_boolean (self->settings, "notifications"))
    return;
  alerts = bt_store_list_alerts (self->store, TRUE, NULL);
  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      BtAlert *alert = g_ptr_array_index (alerts, i);
      BtSeverity severity = bt_alert_get_severity (alert);
      g_autoptr(GNotification) notification = NULL;
      g_autofree char *notification_id = NULL;

      if (bt_alert_get_id (alert) != id || severity == BT_SEVERITY_INFO)
        continue;
      notification = g_notification_new (severity == BT_SEVERITY_CRITICAL
                                         ? _("Critical BTC Turbo Alert") : _("BTC Turbo Alert"));
      {
        g_autofree char *message = alert_message (alert);

        g_notification_set_body (notification, message);
      }
      g_notification_set_priority (notification, severity == BT_SEVERITY_CRITICAL
                                                 ? G_NOTIFICATION_PRIORITY_URGENT
                                                 : G_NOTIFICATION_PRIORITY_HIGH);
      /* clicking it opens the Alerts page on this alert */
      g_notification_set_default_action_and_target (notification, "app.show-alert", "x", id);
      notification_id = alert_notification_id (id);
      g_application_send_notification (app, notification_id, notification);
      g_hash_table_insert (self->notified, g_memdup2 (&id, sizeof id),
                           g_strdup (bt_alert_get_key (alert)));
    }
}

/* The alerts of KEY no longer apply: withdraw their notifications. */
static void
withdraw_alert_key (BtSession  *self,
                    const char *key)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer id, value;

  g_hash_table_iter_init (&iter, self->notified);
  while (g_hash_table_iter_next (&iter, &id, &value))
    if (g_strcmp0 (value, key) == 0)
      g_array_append_val (ids, *(gint64 *) id);
  for (guint i = 0; i < ids->len; i++)
    withdraw_alert_id (self, g_array_index (ids, gint64, i));
}

static void
withdraw_all_alerts (BtSession *self)
{
  g_autoptr(GList) ids = g_hash_table_get_keys (self->notified);
  g_autoptr(GArray) copy = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (GList *l = ids; l != NULL; l = l->next)
    g_array_append_val (copy, *(gint64 *) l->data);
  for (guint i = 0; i < copy->len; i++)
    withdraw_alert_id (self, g_array_index (copy, gint64, i));
}

static void
on_notifications_setting_cb (GSettings  *settings,
                             const char *key,
                             BtSession  *self)
{
  if (!g_settings_get_boolean (settings, "notifications"))
    withdraw_all_alerts (self);
}

/* The daily report of DAY is stored: a summary notification. */
static void
notify_report (BtSession *self,
               BtDay      day)
{
  GApplication *app = g_application_get_default ();
  const BtIndicatorTable *table = bt_engine_get_table (self->engine);
  const BtScores *scores = bt_engine_get_scores (self->engine);
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GPtrArray) positions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = bt_ui_format_day (day);
  g_autofree char *market = NULL;
  g_autofree char *body = NULL;
  BtPositionState position;
  BtDecision decision;
  BtDecisionInputs inputs;
  gint64 i;

  if (app == NULL || !g_settings_get_boolean (self->settings, "daily-report-notification"))
    return;
  if (table == NULL || scores == NULL)
    return;
  i = (gint64) day - table->first_day;
  if (i < 0 || i >= table->n_days)
    return;
  market = bt_ui_format_score (scores[i].market);
  positions = bt_store_list_latest_positions (self->store, NULL);
  bt_ui_position_of_wallets (positions, &position);
  if (bt_engine_decide (self->engine, day, positions != NULL && positions->len > 0 ? &position : NULL,
                        &decision, &inputs, &error))
    /* Translators: the daily report's notification: the day, the market score
     * (0–100) and the recommended action, e.g. "Hold" */
    body = g_strdup_printf (_("%s: market score %s. Recommendation: %s."), date, market,
                            bt_ui_action_title (decision.action));
  else
    /* Translators: the daily report's notification: the day and the market score */
    body = g_strdup_printf (_("%s: market score %s."), date, market);

  notification = g_notification_new (_("BTC Turbo Daily Report"));
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s", "dashboard");
  g_application_send_notification (app, "daily-report", notification);
}

/* ---- callbacks --------------------------------------------------------- */

static void
show_error (BtSession    *self,
            const GError *error)
{
  if (self->window != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    bt_window_show_error (self->window, error);
}

static void
on_collect_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BtSession) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n_failed = 0;
  gboolean announced = self->refresh_announced;

  self->collecting = FALSE;
  self->refresh_sources = 0;
  g_clear_object (&self->refresh);
  if (self->window != NULL)
    bt_window_set_busy (self->window, FALSE);
  if (!bt_scheduler_run_once_finish (BT_SCHEDULER (source), result, &n_failed, &error))
    {
      show_error (self, error);
      return;
    }
  if (!bt_session_reload (self, &error))
    show_error (self, error);
  else if (n_failed > 0 && !announced && self->window != NULL)
    {
      /* the sources view's words: display names, no ids */
      g_autofree char *summary = bt_sources_view_dup_summary (bt_window_get_sources_view (self->window));

      bt_window_add_toast_full (self->window, summary != NULL && *summary != '\0' ? summary
                                : _("Some sources failed; their data was kept"),
                                _("Details"), "win.show-sources", 10);
    }
}

/* Every source of the user's refresh has answered or failed its first
 * attempt: say so now, while the retries go on (a network that is down is
 * said within seconds, not after the retries). */
static void
on_source_progress_cb (BtScheduler *scheduler,
                       int          source,
                       BtSession   *self)
{
  guint n_asked = 0, n_failed = 0, n_network = 0;
  g_autofree char *message = NULL;

  /* a window left open over days: the banner comes when the data ages */
  if (self->window != NULL && bt_engine_get_last_day (self->engine) != BT_DAY_INVALID)
    bt_dashboard_page_set_freshness (bt_window_get_dashboard_page (self->window),
                                     bt_engine_get_last_day (self->engine), bt_day_today_utc (),
                                     bt_engine_get_rules (self->engine)->fresh_daily_days);
  if (!self->collecting || self->refresh_announced || self->window == NULL)
    return;
  for (guint s = 0; s < BT_N_SOURCES; s++)
    {
      BtSourceActivity act = { 0 };

      if (!(self->refresh_sources & (1u << s)))
        continue;
      bt_scheduler_get_source_activity (scheduler, s, &act);
      if (act.state == BT_SOURCE_STATE_QUEUED || act.state == BT_SOURCE_STATE_RUNNING)
        {
          bt_source_activity_clear (&act);
          return;
        }
      n_asked++;
      if (act.error != NULL)
        {
          n_failed++;
          n_network += act.network_error;
        }
      bt_source_activity_clear (&act);
    }
  if (n_failed == 0)
    return;
  self->refresh_announced = TRUE;
  if (n_network == n_failed && n_failed == n_asked)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "No network: %u source could not be reached. "
                                            "BTC Turbo keeps trying.",
                                            "No network: %u sources could not be reached. "
                                            "BTC Turbo keeps trying.", n_failed), n_failed);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u of %u sources failed; their data was kept. "
                                            "BTC Turbo keeps trying.",
                                            "%u of %u sources failed; their data was kept. "
                                            "BTC Turbo keeps trying.", n_failed),
                               n_failed, n_asked);
  bt_window_add_toast_full (self->window, message, _("Details"), "win.show-sources", 10);
}

static void
collect (BtSession *self,
         gboolean   backfill)
{
  if (self->collecting)
    return;
  self->collecting = TRUE;
  self->refresh_announced = FALSE;
  self->refresh_sources = 0;
  self->refresh = g_cancellable_new ();
  bt_window_set_busy (self->window, TRUE);
  bt_scheduler_run_once_async (self->scheduler, backfill, self->refresh, on_collect_done_cb,
                               g_object_ref (self));
  /* the pass queued its sources synchronously */
  for (guint s = 0; s < BT_N_SOURCES && self->collecting; s++)
    {
      BtSourceActivity act = { 0 };

      bt_scheduler_get_source_activity (self->scheduler, s, &act);
      if (act.state != BT_SOURCE_STATE_IDLE)
        self->refresh_sources |= 1u << s;
      bt_source_activity_clear (&act);
    }
}

static void
on_stop_requested_cb (BtWindow  *window,
                      BtSession *self)
{
  if (self->refresh != NULL)
    g_cancellable_cancel (self->refresh);
}

static gboolean
on_refresh_requested_cb (BtWindow  *window,
                         BtSession *self)
{
  collect (self, FALSE);
  return TRUE;
}

static gboolean
on_download_requested_cb (BtWindow  *window,
                          BtSession *self)
{
  collect (self, TRUE);
  return TRUE;
}

static void
on_import_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BtSession *self = BT_SESSION (source);
  g_autoptr(GError) error = NULL;

  if (self->window != NULL)
    bt_window_set_busy (self->window, FALSE);
  if (!bt_session_import_finish (self, result, &error))
    show_error (self, error);
  else if (self->window != NULL)
    {
      g_autofree char *message = NULL;
      guint read = (guint) self->last_import.rows_read;
      guint written = (guint) self->last_import.rows_written;

      if (self->last_import.first_day != BT_DAY_INVALID)
        {
          g_autofree char *from = bt_ui_format_day (self->last_import.first_day);
          g_autofree char *to = bt_ui_format_day (self->last_import.last_day);

          /* Translators: after an import: rows read, the days they cover, and
           * how many of them added or changed something */
          message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "Imported %u row (%s to %s), %u new or changed",
                                                  "Imported %u rows (%s to %s), %u new or changed",
                                                  read), read, from, to, written);
        }
      else
        message = g_strdup (_("The file held no rows to import"));
      bt_window_add_toast (self->window, message);
    }
}

static void
on_assistant_import_cb (BtImportAssistant *assistant,
                        GFile             *file,
                        GStrv              columns,
                        BtSession         *self)
{
  if (self->window != NULL)
    bt_window_set_busy (self->window, TRUE);
  bt_session_import_columns_async (self, file, (const char * const *) columns, self->cancellable,
                                   on_import_done_cb, NULL);
}

/* Import CSV…: the assistant shows the file and the mapping first */
static gboolean
on_import_requested_cb (BtWindow  *window,
                        GFile     *file,
                        BtSession *self)
{
  BtImportAssistant *assistant = bt_import_assistant_new (GTK_WINDOW (window), self->store, file);

  g_signal_connect_object (assistant, "import", G_CALLBACK (on_assistant_import_cb), self, 0);
  gtk_window_present (GTK_WINDOW (assistant));
  return TRUE;
}

static void
on_data_page_changed_cb (BtDataPage *page,
                         BtSession  *self)
{
  g_autoptr(GError) error = NULL;

  if (!bt_session_reload (self, &error))
    show_error (self, error);
}

static gboolean
on_report_requested_cb (BtWindow   *window,
                        const char *path,
                        BtSession  *self)
{
  g_autoptr(GError) error = NULL;
  BtDay last = bt_engine_get_last_day (self->engine);

  if (last == BT_DAY_INVALID)
    return FALSE;
  /* today's report: it says first when the newest data is old */
  if (!bt_report_write_pdf (self->engine, BT_DAY_INVALID, path, &error))
    show_error (self, error);
  else
    bt_window_add_toast (self->window, _("Daily report saved"));
  return TRUE;
}

static void
on_acknowledged_cb (BtAlertsPage *page,
                    gint64        id,
                    BtSession    *self)
{
  g_autoptr(GError) error = NULL;

  if (!bt_store_acknowledge_alert (self->store, id, g_get_real_time () / G_USEC_PER_SEC, &error))
    {
      show_error (self, error);
      return;
    }
  withdraw_alert_id (self, id);
}

static void
update_scheduler_wallets (BtSession *self)
{
  g_autoptr(GPtrArray) wallets = bt_store_list_wallets (self->store, NULL);
  g_autoptr(GPtrArray) addresses = g_ptr_array_new ();

  for (guint i = 0; wallets != NULL && i < wallets->len; i++)
    g_ptr_array_add (addresses, ((BtWallet *) g_ptr_array_index (wallets, i))->address);
  g_ptr_array_add (addresses, NULL);
  bt_scheduler_set_wallets (self->scheduler, (const char *const *) addresses->pdata);
}

static void
on_wallet_added_cb (BtPositionPage *page,
                    const char     *address,
                    BtSession      *self)
{
  g_autoptr(GError) error = NULL;

  if (!bt_store_add_wallet (self->store, address, NULL, &error))
    {
      show_error (self, error);
      return;
    }
  update_scheduler_wallets (self);
  /* Preferences may have saved the RPC address since the start */
  read_rpc_url (self);
}

static void
on_wallet_removed_cb (BtPositionPage *page,
                      const char     *address,
                      BtSession      *self)
{
  g_autoptr(GError) error = NULL;

  if (!bt_store_remove_wallet (self->store, address, &error)
      && !g_error_matches (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND))
    show_error (self, error);
  update_scheduler_wallets (self);
}

static void
on_backtest_progress_cb (double   fraction,
                         gpointer user_data)
{
  BtSession *self = user_data;

  if (self->window == NULL || self->backtest == NULL)
    return;
  bt_backtest_page_set_progress (bt_window_get_backtest_page (self->window), fraction);
}

static void
on_backtest_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  BtSession *self = BT_SESSION (source);
  g_autoptr(GError) error = NULL;
  BtBacktestResult *run = bt_backtest_run_finish (result, &error);

  g_clear_object (&self->backtest);
  if (self->window == NULL)
    {
      g_clear_pointer (&run, bt_backtest_result_free);
      return;
    }
  if (run == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bt_backtest_page_run_failed (bt_window_get_backtest_page (self->window), error);
      return;
    }
  /* the page saves it off the main thread and shows it */
  bt_backtest_page_run_finished (bt_window_get_backtest_page (self->window), run);
}

/* The wizard's check before a run (docs/rulebook.md §5.1). */
static char *
coverage_cb (BtDay    from,
             BtDay    to,
             gpointer user_data)
{
  BtSession *self = user_data;
  BtBacktestInputs inputs = { 0 };
  BtBacktestCoverage coverage;

  if (bt_engine_get_history (self->engine) == NULL || from > to)
    return NULL;
  inputs.history = bt_engine_get_history (self->engine);
  inputs.table = bt_engine_get_table (self->engine);
  inputs.scores = bt_engine_get_scores (self->engine);
  bt_backtest_coverage (&inputs, bt_engine_get_rules (self->engine), from, to, &coverage);
  return bt_backtest_coverage_dup_warning (&coverage, bt_engine_get_rules (self->engine), from, to);
}

static gboolean
on_run_requested_cb (BtBacktestPage *page,
                     GVariant       *config_variant,
                     BtSession      *self)
{
  BtBacktestConfig config;

  if (self->backtest != NULL || bt_engine_get_table (self->engine) == NULL)
    return FALSE;

  /* the user's rules, with the wizard's settings on top */
  bt_backtest_config_init_with_rules (&config, bt_engine_get_rules (self->engine));
  if (!bt_backtest_page_get_backtest_config (page, &config))
    return FALSE;

  self->inputs.history = bt_engine_get_history (self->engine);
  self->inputs.table = bt_engine_get_table (self->engine);
  self->inputs.scores = bt_engine_get_scores (self->engine);
  self->inputs.score_rules = bt_engine_get_rules (self->engine);
  self->backtest = g_cancellable_new ();
  /* the task keeps the session (and so the engine and its inputs) alive */
  bt_backtest_run_async (G_OBJECT (self), &config, &self->inputs, self->backtest,
                         on_backtest_progress_cb, g_object_ref (self), g_object_unref,
                         on_backtest_done_cb, NULL);
  return TRUE;
}

static void
on_cancel_requested_cb (BtBacktestPage *page,
                        BtSession      *self)
{
  if (self->backtest != NULL)
    g_cancellable_cancel (self->backtest);
}

static void
on_data_changed_cb (BtScheduler *scheduler,
                    int          first_changed,
                    BtSession   *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->collecting && !bt_session_reload (self, &error))
    show_error (self, error);
}

static void
on_alert_raised_cb (BtScheduler *scheduler,
                    gint64       id,
                    BtSession   *self)
{
  if (self->window != NULL)
    load_alerts (self);
  notify_alert (self, id);
}

static void
on_alert_cleared_cb (BtScheduler *scheduler,
                     const char  *key,
                     BtSession   *self)
{
  if (self->window != NULL)
    load_alerts (self);
  withdraw_alert_key (self, key);
}

static void
on_report_ready_cb (BtScheduler *scheduler,
                    int          day,
                    BtSession   *self)
{
  notify_report (self, (BtDay) day);
}

/* ---- preferences that take effect at once ------------------------------ */

static void
apply_sources (BtSession *self)
{
  g_auto(GStrv) enabled = g_settings_get_strv (self->settings, "enabled-sources");
  g_autoptr(GVariant) urls = g_settings_get_value (self->settings, "base-urls");

  for (guint s = BT_SOURCE_BINANCE; s <= BT_SOURCE_NOTION; s++)
    {
      const char *url = NULL;
      g_autoptr(GError) error = NULL;

      bt_scheduler_set_source_enabled (self->scheduler, s,
                                       g_strv_contains ((const char *const *) enabled,
                                                        bt_source_name (s)));
      if (s == BT_SOURCE_ETHEREUM)
        {
          /* a mirror address set in Preferences, else the RPC address
           * (it may carry a key) kept in the keyring */
          if (g_variant_lookup (urls, bt_source_name (s), "&s", &url) && *url != '\0'
              && !bt_scheduler_set_base_url (self->scheduler, s, url, &error))
            g_message ("%s: %s", bt_source_name (s), error->message);
          else if (url == NULL || *url == '\0')
            read_rpc_url (self);
          continue;
        }
      /* an absent mirror goes back to the public address */
      if (!g_variant_lookup (urls, bt_source_name (s), "&s", &url))
        url = bt_collector_default_base_url (s);
      if (!bt_scheduler_set_base_url (self->scheduler, s, url, &error))
        g_message ("%s: %s", bt_source_name (s), error->message);
    }
  if (self->window != NULL)
    bt_sources_view_update (bt_window_get_sources_view (self->window));
}

static void
apply_schedule (BtSession *self)
{
  bt_scheduler_set_intervals (self->scheduler,
                              g_settings_get_uint (self->settings, "market-interval") * 60,
                              g_settings_get_uint (self->settings, "onchain-interval") * 60,
                              g_settings_get_uint (self->settings, "position-interval") * 60);
  bt_scheduler_set_report_time (self->scheduler,
                                g_settings_get_uint (self->settings, "daily-report-time"));
  if (self->window != NULL)
    bt_sources_view_update (bt_window_get_sources_view (self->window));
}

static void
on_sources_setting_cb (GSettings  *settings,
                       const char *key,
                       BtSession  *self)
{
  apply_sources (self);
}

static void
on_schedule_setting_cb (GSettings  *settings,
                        const char *key,
                        BtSession  *self)
{
  apply_schedule (self);
}

/* ---- GObject ----------------------------------------------------------- */

static void
bt_session_dispose (GObject *object)
{
  BtSession *self = BT_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  if (self->refresh != NULL)
    g_cancellable_cancel (self->refresh);
  if (self->backtest != NULL)
    g_cancellable_cancel (self->backtest);
  if (self->scheduler != NULL)
    bt_scheduler_stop (self->scheduler);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->window != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->window, self);
      g_signal_handlers_disconnect_by_data (bt_window_get_alerts_page (self->window), self);
      g_signal_handlers_disconnect_by_data (bt_window_get_position_page (self->window), self);
      bt_position_page_set_scheduler (bt_window_get_position_page (self->window), NULL);
      bt_position_page_set_engine (bt_window_get_position_page (self->window), NULL);
      bt_dashboard_page_set_engine (bt_window_get_dashboard_page (self->window), NULL);
      bt_market_page_set_engine (bt_window_get_market_page (self->window), NULL);
      g_signal_handlers_disconnect_by_data (bt_window_get_backtest_page (self->window), self);
      bt_backtest_page_set_coverage_func (bt_window_get_backtest_page (self->window), NULL, NULL);
      bt_window_set_scheduler (self->window, NULL);
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->engine);
  g_clear_object (&self->store);
  g_clear_object (&self->backtest);
  g_clear_object (&self->refresh);

  G_OBJECT_CLASS (bt_session_parent_class)->dispose (object);
}

static void
bt_session_finalize (GObject *object)
{
  BtSession *self = BT_SESSION (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->notified, g_hash_table_unref);
  g_free (self->db_path);

  G_OBJECT_CLASS (bt_session_parent_class)->finalize (object);
}

static void
bt_session_class_init (BtSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bt_session_dispose;
  object_class->finalize = bt_session_finalize;
}

static void
bt_session_init (BtSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->notified = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

/* ---- public API -------------------------------------------------------- */

BtSession *
bt_session_new (BtWindow    *window,
                const char  *db_path,
                GSettings   *settings,
                GError     **error)
{
  g_autoptr(BtSession) self = NULL;

  g_return_val_if_fail (BT_IS_WINDOW (window), NULL);
  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BT_TYPE_SESSION, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  self->settings = g_object_ref (settings);
  self->db_path = g_strdup (db_path);

  self->store = bt_store_open (db_path, error);
  if (self->store == NULL)
    return NULL;
  self->engine = bt_engine_new (self->store);
  self->scheduler = bt_scheduler_new (self->engine);
  /* the Dashboard, Market and Position pages read their own data (prices,
   * scores, positions, status) */
  bt_dashboard_page_set_engine (bt_window_get_dashboard_page (window), self->engine);
  bt_market_page_set_engine (bt_window_get_market_page (window), self->engine);
  bt_position_page_set_engine (bt_window_get_position_page (window), self->engine);
  bt_position_page_set_scheduler (bt_window_get_position_page (window), self->scheduler);
  bt_backtest_page_set_store (bt_window_get_backtest_page (window), self->store);

  g_signal_connect (window, "refresh-requested", G_CALLBACK (on_refresh_requested_cb), self);
  g_signal_connect (window, "download-requested", G_CALLBACK (on_download_requested_cb), self);
  g_signal_connect (window, "import-requested", G_CALLBACK (on_import_requested_cb), self);
  bt_data_page_set_engine (bt_window_get_data_page (window), self->engine);
  g_signal_connect (bt_window_get_data_page (window), "data-changed", G_CALLBACK (on_data_page_changed_cb), self);
  g_signal_connect (window, "report-requested", G_CALLBACK (on_report_requested_cb), self);
  g_signal_connect (window, "stop-requested", G_CALLBACK (on_stop_requested_cb), self);
  g_signal_connect (bt_window_get_alerts_page (window), "acknowledged",
                    G_CALLBACK (on_acknowledged_cb), self);
  g_signal_connect (bt_window_get_position_page (window), "wallet-added",
                    G_CALLBACK (on_wallet_added_cb), self);
  g_signal_connect (bt_window_get_position_page (window), "wallet-removed",
                    G_CALLBACK (on_wallet_removed_cb), self);
  bt_backtest_page_set_coverage_func (bt_window_get_backtest_page (window), coverage_cb, self);
  g_signal_connect (bt_window_get_backtest_page (window), "run-requested",
                    G_CALLBACK (on_run_requested_cb), self);
  g_signal_connect (bt_window_get_backtest_page (window), "cancel-requested",
                    G_CALLBACK (on_cancel_requested_cb), self);
  g_signal_connect (self->scheduler, "data-changed", G_CALLBACK (on_data_changed_cb), self);
  g_signal_connect (self->scheduler, "position-changed", G_CALLBACK (on_data_changed_cb), self);
  g_signal_connect (self->scheduler, "alert-raised", G_CALLBACK (on_alert_raised_cb), self);
  g_signal_connect (self->scheduler, "alert-cleared", G_CALLBACK (on_alert_cleared_cb), self);
  g_signal_connect (self->scheduler, "report-ready", G_CALLBACK (on_report_ready_cb), self);
  g_signal_connect (self->scheduler, "source-status-changed", G_CALLBACK (on_source_status_cb), self);
  g_signal_connect (self->scheduler, "source-progress", G_CALLBACK (on_source_progress_cb), self);
  g_signal_connect (self->settings, "changed::notifications",
                    G_CALLBACK (on_notifications_setting_cb), self);
  g_signal_connect (self->settings, "changed::enabled-sources",
                    G_CALLBACK (on_sources_setting_cb), self);
  g_signal_connect (self->settings, "changed::base-urls", G_CALLBACK (on_sources_setting_cb), self);
  g_signal_connect (self->settings, "changed::market-interval",
                    G_CALLBACK (on_schedule_setting_cb), self);
  g_signal_connect (self->settings, "changed::onchain-interval",
                    G_CALLBACK (on_schedule_setting_cb), self);
  g_signal_connect (self->settings, "changed::position-interval",
                    G_CALLBACK (on_schedule_setting_cb), self);
  g_signal_connect (self->settings, "changed::daily-report-time",
                    G_CALLBACK (on_schedule_setting_cb), self);
  /* GSettings emits "changed" only for keys that were read */
  apply_sources (self);
  apply_schedule (self);
  bt_window_set_scheduler (window, self->scheduler);

  if (!bt_session_reload (self, error))
    return NULL;
  update_scheduler_wallets (self);
  return g_steal_pointer (&self);
}

/* The Ethereum RPC address Preferences keeps in the keyring (it may carry
 * a key), unless a mirror address is set in GSettings. */
static void
on_rpc_lookup_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BtSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = bt_secrets_lookup_finish (result, &error);

  if (url == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No Ethereum RPC address from the keyring: %s", error->message);
      return;
    }
  if (self->scheduler == NULL)
    return;
  if (!bt_scheduler_set_rpc_url (self->scheduler, url, &error))
    g_debug ("The keyring's Ethereum RPC address is not usable: %s", error->message);
}

static void
read_rpc_url (BtSession *self)
{
  g_autoptr(GVariant) urls = g_settings_get_value (self->settings, "base-urls");
  const char *mirror = NULL;

  if (g_variant_lookup (urls, bt_source_name (BT_SOURCE_ETHEREUM), "&s", &mirror) && *mirror != '\0')
    return;
  bt_secrets_lookup_async (BT_SECRET_RPC, self->cancellable, on_rpc_lookup_cb, g_object_ref (self));
}

/* While the Ethereum reader fails, look in the keyring again: Preferences
 * may have saved the RPC address since. */
static void
on_source_status_cb (BtScheduler *scheduler,
                     int          source,
                     BtSession   *self)
{
  BtSourceStatus status = { 0 };

  if (source != BT_SOURCE_ETHEREUM || self->store == NULL
      || !bt_store_get_source_status (self->store, BT_SOURCE_ETHEREUM, &status, NULL))
    return;
  if (status.last_failure > 0 && status.last_failure >= status.last_success)
    read_rpc_url (self);
  bt_source_status_clear (&status);
}

void
bt_session_start (BtSession *self)
{
  g_return_if_fail (BT_IS_SESSION (self));

  apply_sources (self);
  apply_schedule (self);
  bt_scheduler_start (self->scheduler);
  if (self->window != NULL)
    bt_sources_view_update (bt_window_get_sources_view (self->window));
}

void
bt_session_stop (BtSession *self)
{
  g_return_if_fail (BT_IS_SESSION (self));

  bt_scheduler_stop (self->scheduler);
}

gboolean
bt_session_reload (BtSession  *self,
                   GError    **error)
{
  g_autoptr(GPtrArray) positions = NULL;

  g_return_val_if_fail (BT_IS_SESSION (self), FALSE);

  if (self->window == NULL)
    return TRUE;
  if (!bt_engine_refresh (self->engine, error))
    return FALSE;
  positions = bt_store_list_latest_positions (self->store, NULL);
  bt_market_page_refresh (bt_window_get_market_page (self->window));
  load_backtest (self);
  bt_dashboard_page_refresh (bt_window_get_dashboard_page (self->window));
  /* a hidden Data page reads its lists when it is shown */
  if (gtk_widget_get_mapped (GTK_WIDGET (bt_window_get_data_page (self->window))))
    bt_data_page_refresh (bt_window_get_data_page (self->window));
  load_positions (self, positions);
  load_alerts (self);
  return TRUE;
}

/* ---- import ------------------------------------------------------------ */

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  BtSession *self = source_object;
  GStrv job = task_data;   /* the path, then the mapping */
  g_autoptr(BtStore) store = NULL;
  BtImportStats *stats = g_new0 (BtImportStats, 1);
  GError *error = NULL;
  BtImportOptions options = { (const char * const *) job + 1, BT_DAY_INVALID, FALSE, NULL };

  /* a connection of its own: SQLite objects never cross threads */
  store = bt_store_open (self->db_path, &error);
  if (store == NULL || !bt_import_file_full (store, job[0], BT_IMPORT_FORMAT_AUTO, &options, stats, &error))
    {
      g_free (stats);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, stats, g_free);
}

void
bt_session_import_async (BtSession          *self,
                         GFile              *file,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  bt_session_import_columns_async (self, file, NULL, cancellable, callback, user_data);
}

void
bt_session_import_columns_async (BtSession          *self,
                                 GFile              *file,
                                 const char * const *columns,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GStrvBuilder) job = g_strv_builder_new ();
  g_autofree char *path = NULL;

  g_return_if_fail (BT_IS_SESSION (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  g_strv_builder_add (job, path);
  if (columns != NULL)
    g_strv_builder_addv (job, (const char **) columns);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bt_session_import_async);
  g_task_set_task_data (task, g_strv_builder_end (job), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, import_thread);
}

gboolean
bt_session_import_finish (BtSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (BT_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  {
    BtImportStats *stats = g_task_propagate_pointer (G_TASK (result), error);

    if (stats == NULL)
      return FALSE;
    self->last_import = *stats;
    g_free (stats);
  }
  /* the import wrote raw inputs: recompute every day and save the rows */
  if (!bt_engine_recompute_from (self->engine, BT_DAY_INVALID, error))
    return FALSE;
  return bt_session_reload (self, error);
}

gboolean
bt_session_get_backtest_running (BtSession *self)
{
  g_return_val_if_fail (BT_IS_SESSION (self), FALSE);
  return self->backtest != NULL;
}

BtEngine *
bt_session_get_engine (BtSession *self)
{
  g_return_val_if_fail (BT_IS_SESSION (self), NULL);
  return self->engine;
}

BtScheduler *
bt_session_get_scheduler (BtSession *self)
{
  g_return_val_if_fail (BT_IS_SESSION (self), NULL);
  return self->scheduler;
}

void
bt_session_wallets_changed (BtSession *self)
{
  g_autoptr(GPtrArray) wallets = NULL;
  g_auto(GStrv) shown = NULL;
  g_autoptr(GError) error = NULL;
  BtPositionPage *page;

  g_return_if_fail (BT_IS_SESSION (self));

  update_scheduler_wallets (self);
  if (self->window == NULL)
    return;
  /* rows of wallets no longer stored go; new ones come with the reload */
  page = bt_window_get_position_page (self->window);
  wallets = bt_store_list_wallets (self->store, NULL);
  shown = bt_position_page_dup_wallets (page);
  for (guint i = 0; shown[i] != NULL; i++)
    {
      gboolean kept = FALSE;

      for (guint k = 0; wallets != NULL && k < wallets->len; k++)
        kept |= g_ascii_strcasecmp (((BtWallet *) g_ptr_array_index (wallets, k))->address,
                                    shown[i]) == 0;
      if (kept)
        continue;
      g_signal_handlers_block_matched (page, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      bt_position_page_remove_wallet (page, shown[i]);
      g_signal_handlers_unblock_matched (page, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
    }
  if (!bt_session_reload (self, &error))
    show_error (self, error);
}
