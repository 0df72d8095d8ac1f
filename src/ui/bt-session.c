/* bt-session.c: the lifecycle of a database in the window: store, engine,
 * scheduler and context; collecting, import, reports and backtests. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>

#include "bt-alerts.h"
#include "bt-base.h"
#include "bt-backtest.h"
#include "bt-collectors.h"
#include "bt-context.h"
#include "bt-report.h"
#include "bt-engine.h"
#include "bt-import.h"
#include "bt-scheduler.h"
#include "bt-secrets.h"
#include "bt-session.h"
#include "bt-session-private.h"
#include "bt-store.h"
#include "bt-ui-util.h"

struct _BtSession
{
  GObject       parent_instance;

  GSettings    *settings;
  char         *db_path;
  BtStore      *store;
  BtEngine     *engine;
  BtScheduler  *scheduler;
  BtContext    *context;      /* what the pages read */
  BtBacktestPage *backtest_page; /* weak: where backtests are asked and shown */

  GCancellable *cancellable;  /* everything; cancelled in dispose */
  GCancellable *backtest;     /* the running backtest */
  BtBacktestInputs inputs;    /* borrowed from the engine while it runs */
  GHashTable   *notified;     /* alert id (gint64 *) → key: notifications shown */
  gboolean      collecting;
  GCancellable *refresh;      /* the refresh the user asked for (Stop) */
  guint32       refresh_sources; /* bit per BtSource asked by that refresh */
  gboolean      refresh_announced;
  gboolean      importing;
  BtImportStats last_import;
};

G_DEFINE_FINAL_TYPE (BtSession, bt_session, G_TYPE_OBJECT)

enum { PROP_0, PROP_BUSY, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { TOAST, ERROR, COLLECT_FAILED, SOURCES_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void read_rpc_url        (BtSession   *self);
static void on_source_status_cb (BtScheduler *scheduler,
                                 int          source,
                                 BtSession   *self);

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
        g_autofree char *message = bt_alert_dup_display_message (alert);

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
  gboolean has_position;
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
  has_position = bt_engine_get_position (self->engine, &position);
  if (bt_engine_decide (self->engine, day, has_position ? &position : NULL, &decision, &inputs, &error))
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
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[ERROR], 0, error);
}

static void
toast (BtSession  *self,
       const char *message,
       const char *button_label,
       const char *action_name,
       guint       timeout_s)
{
  g_signal_emit (self, signals[TOAST], 0, message, button_label, action_name, timeout_s);
}

/* Refresh becomes Stop while collecting or importing. */
static void
set_busy (BtSession *self,
          gboolean  *flag,
          gboolean   busy)
{
  gboolean was = bt_session_get_busy (self);

  *flag = busy;
  if (was != bt_session_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUSY]);
}

/* Rebuilds the pages from the context; FALSE, said with ::error, when
 * the data could not be reloaded. */
static gboolean
reload_pages (BtSession *self)
{
  g_autoptr(GError) error = NULL;

  if (bt_session_reload (self, &error))
    return TRUE;
  show_error (self, error);
  return FALSE;
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

  self->refresh_sources = 0;
  g_clear_object (&self->refresh);
  set_busy (self, &self->collecting, FALSE);
  if (!bt_scheduler_run_once_finish (BT_SCHEDULER (source), result, &n_failed, &error))
    {
      show_error (self, error);
      return;
    }
  if (reload_pages (self) && n_failed > 0 && !announced)
    g_signal_emit (self, signals[COLLECT_FAILED], 0);
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

  if (!self->collecting || self->refresh_announced)
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
  toast (self, message, _("Details"), "win.show-sources", 10);
}

void
bt_session_collect (BtSession *self,
                    gboolean   backfill)
{
  g_return_if_fail (BT_IS_SESSION (self));

  if (self->collecting)
    return;
  self->refresh_announced = FALSE;
  self->refresh_sources = 0;
  self->refresh = g_cancellable_new ();
  set_busy (self, &self->collecting, TRUE);
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

void
bt_session_stop_collecting (BtSession *self)
{
  g_return_if_fail (BT_IS_SESSION (self));

  if (self->refresh != NULL)
    g_cancellable_cancel (self->refresh);
}

static void
on_import_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BtSession *self = BT_SESSION (source);
  g_autoptr(GError) error = NULL;

  set_busy (self, &self->importing, FALSE);
  if (!bt_session_import_finish (self, result, &error))
    show_error (self, error);
  else
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
      toast (self, message, NULL, NULL, 5);
    }
}

void
bt_session_import (BtSession          *self,
                   GFile              *file,
                   const char * const *columns)
{
  g_return_if_fail (BT_IS_SESSION (self));

  set_busy (self, &self->importing, TRUE);
  bt_session_import_columns_async (self, file, columns, self->cancellable, on_import_done_cb, NULL);
}

gboolean
bt_session_write_report (BtSession  *self,
                         const char *path)
{
  g_autoptr(GError) error = NULL;
  BtDay last;

  g_return_val_if_fail (BT_IS_SESSION (self), FALSE);

  last = bt_engine_get_last_day (self->engine);
  if (last == BT_DAY_INVALID)
    return FALSE;
  /* today's report: it says first when the newest data is old */
  if (!bt_report_write_pdf (self->engine, BT_DAY_INVALID, path, &error))
    show_error (self, error);
  else
    toast (self, _("Daily report saved"), NULL, NULL, 5);
  return TRUE;
}

void
bt_session_acknowledge_alert (BtSession *self,
                              gint64     id)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BT_IS_SESSION (self));

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

void
bt_session_add_wallet (BtSession  *self,
                       const char *address)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BT_IS_SESSION (self));

  if (!bt_store_add_wallet (self->store, address, NULL, &error))
    {
      show_error (self, error);
      return;
    }
  update_scheduler_wallets (self);
  /* Preferences may have saved the RPC address since the start */
  read_rpc_url (self);
}

void
bt_session_remove_wallet (BtSession  *self,
                          const char *address)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BT_IS_SESSION (self));

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

  if (self->backtest_page == NULL || self->backtest == NULL)
    return;
  bt_backtest_page_set_progress (self->backtest_page, fraction);
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
  if (self->backtest_page == NULL)
    {
      g_clear_pointer (&run, bt_backtest_result_free);
      return;
    }
  if (run == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bt_backtest_page_run_failed (self->backtest_page, error);
      return;
    }
  /* the page saves it off the main thread and shows it */
  bt_backtest_page_run_finished (self->backtest_page, run);
}

static gboolean
on_run_requested_cb (BtBacktestPage         *page,
                     const BtBacktestConfig *config,
                     BtSession              *self)
{
  if (self->backtest != NULL || bt_engine_get_table (self->engine) == NULL)
    return FALSE;

  bt_engine_get_backtest_inputs (self->engine, &self->inputs);
  self->backtest = g_cancellable_new ();
  /* the task keeps the session (and so the engine and its inputs) alive */
  bt_backtest_run_async (G_OBJECT (self), config, &self->inputs, self->backtest,
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
  if (!self->collecting)
    reload_pages (self);
}

/* A reading of a wallet: only the pages showing positions redo their view
 * (the engine's data did not change). */
static void
on_position_changed_cb (BtScheduler *scheduler,
                        const char  *wallet,
                        BtSession   *self)
{
  if (!self->collecting)
    bt_context_positions_changed (self->context);
}

static void
on_alert_raised_cb (BtScheduler *scheduler,
                    gint64       id,
                    BtSession   *self)
{
  notify_alert (self, id);
}

static void
on_alert_cleared_cb (BtScheduler *scheduler,
                     const char  *key,
                     BtSession   *self)
{
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
  g_signal_emit (self, signals[SOURCES_CHANGED], 0);
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
  g_signal_emit (self, signals[SOURCES_CHANGED], 0);
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
  bt_session_set_backtest_page (self, NULL);
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_clear_object (&self->context);
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
bt_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, bt_session_get_busy (BT_SESSION (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bt_session_class_init (BtSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bt_session_dispose;
  object_class->finalize = bt_session_finalize;
  object_class->get_property = bt_session_get_property;

  /* a refresh or an import is running */
  props[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                           | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * BtSession::toast:
   * @message: a translated sentence
   * @button_label: (nullable): a button's label
   * @action_name: (nullable): the action the button activates
   * @timeout_s: seconds shown (0: until dismissed)
   */
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING,
                                 G_TYPE_STRING, G_TYPE_UINT);
  /**
   * BtSession::error:
   * @error: what failed, translated
   */
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /**
   * BtSession::collect-failed:
   * A refresh ended with sources that failed and were not reported yet:
   * the window says which, in the words of its sources view.
   */
  signals[COLLECT_FAILED] = g_signal_new ("collect-failed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * BtSession::sources-changed:
   * The scheduler's sources, addresses or intervals changed (Preferences).
   */
  signals[SOURCES_CHANGED] = g_signal_new ("sources-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
bt_session_init (BtSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->notified = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

/* The scheduler signals and settings keys the session follows. */
static const struct
{
  gboolean    settings;  /* a GSettings key, else a scheduler signal */
  const char *signal;
  GCallback   callback;
} followed_signals[] = {
  { FALSE, "data-changed", G_CALLBACK (on_data_changed_cb) },
  { FALSE, "position-changed", G_CALLBACK (on_position_changed_cb) },
  { FALSE, "alert-raised", G_CALLBACK (on_alert_raised_cb) },
  { FALSE, "alert-cleared", G_CALLBACK (on_alert_cleared_cb) },
  { FALSE, "report-ready", G_CALLBACK (on_report_ready_cb) },
  { FALSE, "source-status-changed", G_CALLBACK (on_source_status_cb) },
  { FALSE, "source-progress", G_CALLBACK (on_source_progress_cb) },
  { TRUE, "changed::notifications", G_CALLBACK (on_notifications_setting_cb) },
  { TRUE, "changed::enabled-sources", G_CALLBACK (on_sources_setting_cb) },
  { TRUE, "changed::base-urls", G_CALLBACK (on_sources_setting_cb) },
  { TRUE, "changed::market-interval", G_CALLBACK (on_schedule_setting_cb) },
  { TRUE, "changed::onchain-interval", G_CALLBACK (on_schedule_setting_cb) },
  { TRUE, "changed::position-interval", G_CALLBACK (on_schedule_setting_cb) },
  { TRUE, "changed::daily-report-time", G_CALLBACK (on_schedule_setting_cb) },
};

/* ---- public API -------------------------------------------------------- */

BtSession *
bt_session_new (const char  *db_path,
                GSettings   *settings,
                GError     **error)
{
  g_autoptr(BtSession) self = NULL;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BT_TYPE_SESSION, NULL);
  self->settings = g_object_ref (settings);
  self->db_path = g_strdup (db_path);

  self->store = bt_store_open (db_path, error);
  if (self->store == NULL)
    return NULL;
  self->engine = bt_engine_new (self->store);
  self->scheduler = bt_scheduler_new (self->engine);
  self->context = bt_context_new (self->engine, self->scheduler);

  for (gsize i = 0; i < G_N_ELEMENTS (followed_signals); i++)
    g_signal_connect (followed_signals[i].settings ? (gpointer) self->settings : (gpointer) self->scheduler,
                      followed_signals[i].signal, followed_signals[i].callback, self);
  /* GSettings emits "changed" only for keys that were read */
  apply_sources (self);
  apply_schedule (self);

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

  /* the sources and the schedule were applied by bt_session_new(), and
   * follow the settings' changes since */
  bt_scheduler_start (self->scheduler);
  g_signal_emit (self, signals[SOURCES_CHANGED], 0);
}

gboolean
bt_session_reload (BtSession  *self,
                   GError    **error)
{
  g_return_val_if_fail (BT_IS_SESSION (self), FALSE);

  return bt_context_reload (self->context, error);
}

/* ---- import ------------------------------------------------------------ */

typedef struct
{
  char          *path;
  GStrv          columns;   /* the mapping (may be NULL) */
  BtImportStats  stats;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_free (job->path);
  g_strfreev (job->columns);
  g_free (job);
}

/* BtStoreWorkFunc: the import, on the worker's connection. */
static gboolean
import_work (BtStore       *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  ImportJob *job = data;
  BtImportOptions options = { (const char * const *) job->columns, BT_DAY_INVALID, FALSE, NULL };

  return bt_import_file_full (store, job->path, BT_IMPORT_FORMAT_AUTO, &options, &job->stats, error);
}

static void
on_import_recomputed_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!bt_engine_recompute_from_finish (BT_ENGINE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The file is in the store: the import wrote raw inputs, so every day is
 * recomputed and its rows saved, in a worker too. */
static void
on_imported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BtSession *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  bt_engine_recompute_from_async (self->engine, BT_DAY_INVALID, cancellable,
                                  on_import_recomputed_cb, g_steal_pointer (&task));
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
  g_autoptr(GTask) import = NULL;
  ImportJob *job;

  g_return_if_fail (BT_IS_SESSION (self));
  g_return_if_fail (G_IS_FILE (file));

  job = g_new0 (ImportJob, 1);
  job->path = g_file_get_path (file);
  job->columns = g_strdupv ((GStrv) columns);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bt_session_import_async);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  /* the import, then the recompute: both off the main thread */
  import = g_task_new (self, cancellable, on_imported_cb, g_object_ref (task));
  g_task_set_task_data (import, job, NULL);
  bt_store_run_in_thread (self->store, import, import_work);
}

gboolean
bt_session_import_finish (BtSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (BT_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  self->last_import = ((ImportJob *) g_task_get_task_data (G_TASK (result)))->stats;
  return bt_session_reload (self, error);
}

gboolean
bt_session_get_backtest_running (BtSession *self)
{
  g_return_val_if_fail (BT_IS_SESSION (self), FALSE);
  return self->backtest != NULL;
}

void
bt_session_wallets_changed (BtSession *self)
{
  g_return_if_fail (BT_IS_SESSION (self));

  update_scheduler_wallets (self);
  /* rows of wallets no longer stored go; new ones come with the reload */
  bt_context_wallets_changed (self->context);
  reload_pages (self);
}

void
bt_session_rules_changed (BtSession *self)
{
  g_return_if_fail (BT_IS_SESSION (self));

  reload_pages (self);
}

BtContext *
bt_session_get_context (BtSession *self)
{
  g_return_val_if_fail (BT_IS_SESSION (self), NULL);
  return self->context;
}

const char *
bt_session_get_db_path (BtSession *self)
{
  g_return_val_if_fail (BT_IS_SESSION (self), NULL);
  return self->db_path;
}

gboolean
bt_session_get_busy (BtSession *self)
{
  g_return_val_if_fail (BT_IS_SESSION (self), FALSE);
  return self->collecting || self->importing;
}

void
bt_session_set_backtest_page (BtSession      *self,
                              BtBacktestPage *page)
{
  g_return_if_fail (BT_IS_SESSION (self));
  g_return_if_fail (page == NULL || BT_IS_BACKTEST_PAGE (page));

  if (self->backtest_page == page)
    return;
  if (self->backtest_page != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->backtest_page, self);
      g_object_remove_weak_pointer (G_OBJECT (self->backtest_page),
                                    (gpointer *) &self->backtest_page);
    }
  self->backtest_page = page;
  if (page == NULL)
    return;
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &self->backtest_page);
  g_signal_connect (page, "run-requested", G_CALLBACK (on_run_requested_cb), self);
  g_signal_connect (page, "cancel-requested", G_CALLBACK (on_cancel_requested_cb), self);
}
