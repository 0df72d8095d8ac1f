/* bt-window.c: the main window of BTC Turbo. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>

#include "bt-import-assistant.h"
#include "bt-session.h"
#include "bt-ui-compat.h"
#include "bt-window.h"
#include "bt-window-private.h"

struct _BtWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  GtkButton            *refresh_button;
  GtkMenuButton        *status_button;
  GtkStack             *status_stack;
  GtkSpinner           *status_spinner;
  BtSourcesView        *sources_view;
  AdwViewStackPage     *alerts_stack_page;
  BtDashboardPage      *dashboard_page;
  BtMarketPage         *market_page;
  BtPositionPage       *position_page;
  BtBacktestPage       *backtest_page;
  BtAlertsPage         *alerts_page;
  BtDataPage           *data_page;

  BtSession            *session;
  GSettings            *settings;
  BtFileChooser        *chooser;
  gboolean              busy;
  gboolean              holding;   /* hidden, keeping the application alive */
  char                 *last_toast;
  GtkLabel             *toast_label;   /* weak: the shown toast's title */
};

G_DEFINE_FINAL_TYPE (BtWindow, bt_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  REFRESH_REQUESTED,
  IMPORT_REQUESTED,
  DOWNLOAD_REQUESTED,
  REPORT_REQUESTED,
  STOP_REQUESTED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static const char *page_names[] = { "dashboard", "market", "position", "backtest", "alerts", "data" };

/* Nothing is greyed out while a refresh runs: Refresh becomes Stop, and
 * the other actions say why they wait. */
static void
update_actions (BtWindow *self)
{
  gtk_button_set_icon_name (self->refresh_button,
                            self->busy ? "process-stop-symbolic" : "view-refresh-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->refresh_button),
                                  self->busy ? "win.stop-refresh" : "win.refresh");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->refresh_button),
                               self->busy ? _("Stop Refreshing") : _("Refresh"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->refresh_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->busy ? _("Stop Refreshing") : _("Refresh"), -1);
  bt_sources_view_set_refreshing (self->sources_view, self->busy);
}

static void
update_status_indicator (BtWindow *self)
{
  BtSourcesState state = bt_sources_view_get_state (self->sources_view);
  g_autofree char *summary = bt_sources_view_dup_summary (self->sources_view);
  const char *page = "none";

  if (self->busy || state == BT_SOURCES_STATE_BUSY)
    page = state == BT_SOURCES_STATE_WARNING ? "warning" : "busy";
  else if (state == BT_SOURCES_STATE_WARNING)
    page = "warning";
  gtk_stack_set_visible_child_name (self->status_stack, page);
  gtk_spinner_set_spinning (self->status_spinner, g_str_equal (page, "busy"));
  /* Translators: the tooltip of the data sources indicator: its summary */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_button), summary);
}

static void
on_sources_state_cb (BtSourcesView *view,
                     GParamSpec    *pspec,
                     BtWindow      *self)
{
  update_status_indicator (self);
}

/* Narrow: the toast's title wraps sooner, leaving room for its buttons. */
static void
fit_toast (BtWindow *self,
           int       width)
{
  if (self->toast_label != NULL)
    gtk_label_set_max_width_chars (self->toast_label, width > 0 && width < 600 ? 18 : 50);
}

static void
on_width_changed_cb (GObject    *window,
                     GParamSpec *pspec,
                     BtWindow   *self)
{
  int width = 0, height = 0;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  fit_toast (self, width);
}

static gboolean
busy_refused (BtWindow *self)
{
  if (!self->busy)
    return FALSE;
  bt_window_add_toast (self, _("A refresh is running: wait for it to end or stop it first"));
  return TRUE;
}

static void
update_alerts_badge (BtWindow *self)
{
  guint active = bt_alerts_page_get_n_active (self->alerts_page);

  adw_view_stack_page_set_badge_number (self->alerts_stack_page, active);
  adw_view_stack_page_set_needs_attention (self->alerts_stack_page, active > 0);
}

static void
on_alerts_changed_cb (BtAlertsPage *page,
                      BtWindow     *self)
{
  update_alerts_badge (self);
}

static void
on_page_message_cb (GtkWidget  *page,
                    const char *message,
                    BtWindow   *self)
{
  bt_window_add_toast (self, message);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  BtWindow *self = BT_WINDOW (widget);
  gboolean handled = FALSE;

  if (self->busy)
    {
      /* Ctrl+R during a refresh: show what it is doing */
      gtk_menu_button_popup (self->status_button);
      return;
    }
  g_signal_emit (self, signals[REFRESH_REQUESTED], 0, &handled);
  if (!handled)
    bt_window_add_toast (self, _("Nothing to refresh: no data source is connected yet"));
}

static void
on_import_response_cb (BtFileChooser   *dialog,
                       int              response,
                       BtWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = bt_file_chooser_get_file (dialog);
      gboolean handled = FALSE;

      g_signal_emit (self, signals[IMPORT_REQUESTED], 0, file, &handled);
      if (!handled)
        bt_window_add_toast (self, _("Import is not available in this version"));
    }
  g_clear_object (&self->chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BtWindow *self = BT_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL || busy_refused (self))
    return;
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  self->chooser = bt_file_chooser_new (_("Import History"), GTK_WINDOW (self),
                                       GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"));
  bt_file_chooser_add_filter (self->chooser, filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_import_response_cb), self);
  bt_file_chooser_show (self->chooser);
}

static void
on_report_response_cb (BtFileChooser   *dialog,
                       int              response,
                       BtWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = bt_file_chooser_get_file (dialog);
      g_autofree char *path = g_file_get_path (file);
      gboolean handled = FALSE;

      g_signal_emit (self, signals[REPORT_REQUESTED], 0, path, &handled);
      if (!handled)
        bt_window_add_toast (self, _("The report needs market data: import or download the history first"));
    }
  g_clear_object (&self->chooser);
}

static void
export_report_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BtWindow *self = BT_WINDOW (widget);

  if (self->chooser != NULL)
    return;
  self->chooser = bt_file_chooser_new (_("Save the Daily Report"), GTK_WINDOW (self),
                                       GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));
  bt_file_chooser_set_current_name (self->chooser, "btc-turbo-report.pdf");
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_report_response_cb), self);
  bt_file_chooser_show (self->chooser);
}

static void
download_history_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  BtWindow *self = BT_WINDOW (widget);
  gboolean handled = FALSE;

  if (busy_refused (self))
    return;
  g_signal_emit (self, signals[DOWNLOAD_REQUESTED], 0, &handled);
  if (!handled)
    bt_window_add_toast (self, _("Downloading is not available in this version"));
}

static void
stop_refresh_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BtWindow *self = BT_WINDOW (widget);

  if (self->busy)
    g_signal_emit (self, signals[STOP_REQUESTED], 0);
}

static void
show_sources_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BtWindow *self = BT_WINDOW (widget);

  gtk_menu_button_popup (self->status_button);
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  bt_window_set_page (BT_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* ---- the session: what the window asks of it, what it shows of it ---- */

static gboolean
on_refresh_requested_cb (BtWindow  *self,
                         BtSession *session)
{
  bt_session_collect (session, FALSE);
  return TRUE;
}

static gboolean
on_download_requested_cb (BtWindow  *self,
                          BtSession *session)
{
  bt_session_collect (session, TRUE);
  return TRUE;
}

static void
on_stop_requested_cb (BtWindow  *self,
                      BtSession *session)
{
  bt_session_stop_collecting (session);
}

static void
on_assistant_import_cb (BtImportAssistant *assistant,
                        GFile             *file,
                        GStrv              columns,
                        BtSession         *session)
{
  bt_session_import (session, file, (const char * const *) columns);
}

/* Import CSV…: the assistant shows the file and the mapping first */
static gboolean
on_import_requested_cb (BtWindow  *self,
                        GFile     *file,
                        BtSession *session)
{
  BtImportAssistant *assistant;

  assistant = bt_import_assistant_new (GTK_WINDOW (self),
                                       bt_context_get_store (bt_session_get_context (session)),
                                       file);
  g_signal_connect_object (assistant, "import", G_CALLBACK (on_assistant_import_cb), session, 0);
  gtk_window_present (GTK_WINDOW (assistant));
  return TRUE;
}

static gboolean
on_report_requested_cb (BtWindow   *self,
                        const char *path,
                        BtSession  *session)
{
  return bt_session_write_report (session, path);
}

static void
on_acknowledged_cb (BtAlertsPage *page,
                    gint64        id,
                    BtSession    *session)
{
  bt_session_acknowledge_alert (session, id);
}

static void
on_busy_cb (BtSession  *session,
            GParamSpec *pspec,
            BtWindow   *self)
{
  bt_window_set_busy (self, bt_session_get_busy (session));
}

static void
on_toast_cb (BtSession  *session,
             const char *message,
             const char *button_label,
             const char *action_name,
             guint       timeout_s,
             BtWindow   *self)
{
  bt_window_add_toast_full (self, message, button_label, action_name, timeout_s);
}

static void
on_error_cb (BtSession    *session,
             const GError *error,
             BtWindow     *self)
{
  bt_window_show_error (self, error);
}

static void
on_collect_failed_cb (BtSession *session,
                      BtWindow  *self)
{
  /* the sources view's words: display names, no ids */
  g_autofree char *summary = bt_sources_view_dup_summary (self->sources_view);

  bt_window_add_toast_full (self, summary != NULL && *summary != '\0' ? summary
                            : _("Some sources failed; their data was kept"),
                            _("Details"), "win.show-sources", 10);
}

static void
on_sources_changed_cb (BtSession *session,
                       BtWindow  *self)
{
  bt_sources_view_update (self->sources_view);
}

static void
unset_session (BtWindow *self)
{
  if (self->session == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->session, self);
  g_signal_handlers_disconnect_by_data (self, self->session);
  g_signal_handlers_disconnect_by_data (self->alerts_page, self->session);
  g_signal_handlers_disconnect_by_data (self->position_page, self->session);
  bt_session_set_backtest_page (self->session, NULL);
  bt_sources_view_set_scheduler (self->sources_view, NULL);
  g_clear_object (&self->session);
}

static gboolean
bt_window_close_request (GtkWindow *window)
{
  BtWindow *self = BT_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", MAX (width, 360));
      g_settings_set_int (self->settings, "window-height", MAX (height, 360));
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  /* keep collecting and alerting with the window hidden */
  if (g_settings_get_boolean (self->settings, "run-in-background")
      && gtk_window_get_application (window) != NULL)
    {
      if (!self->holding)
        {
          g_application_hold (G_APPLICATION (gtk_window_get_application (window)));
          self->holding = TRUE;
        }
      gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (bt_window_parent_class)->close_request (window);
}

static void
bt_window_show (GtkWidget *widget)
{
  BtWindow *self = BT_WINDOW (widget);

  GTK_WIDGET_CLASS (bt_window_parent_class)->show (widget);
  if (self->holding)
    {
      self->holding = FALSE;
      g_application_release (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
    }
}

static void
bt_window_constructed (GObject *object)
{
  BtWindow *self = BT_WINDOW (object);
  G_OBJECT_CLASS (bt_window_parent_class)->constructed (object);

  self->settings = g_settings_new (APP_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_settings_bind (self->settings, "last-page", self->view_stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
bt_window_dispose (GObject *object)
{
  BtWindow *self = BT_WINDOW (object);

  if (self->toast_label != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->toast_label), (gpointer *) &self->toast_label);
  self->toast_label = NULL;
  if (self->chooser != NULL)
    bt_file_chooser_destroy (self->chooser);
  g_clear_object (&self->chooser);
  unset_session (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BT_TYPE_WINDOW);

  G_OBJECT_CLASS (bt_window_parent_class)->dispose (object);
}

static void
bt_window_finalize (GObject *object)
{
  BtWindow *self = BT_WINDOW (object);

  g_clear_object (&self->settings);
  g_free (self->last_toast);

  G_OBJECT_CLASS (bt_window_parent_class)->finalize (object);
}

/* The decision card names the cockpit position's liquidation stress. */
static void
on_stress_summary_cb (BtPositionPage *page,
                      GParamSpec     *pspec,
                      BtWindow       *self)
{
  bt_dashboard_page_set_stress_line (self->dashboard_page, bt_position_page_get_stress_summary (page));
}

static void
bt_window_class_init (BtWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = bt_window_constructed;
  object_class->dispose = bt_window_dispose;
  object_class->finalize = bt_window_finalize;
  window_class->close_request = bt_window_close_request;
  widget_class->show = bt_window_show;

  /**
   * BtWindow::refresh-requested:
   *
   * The user asked for fresh data (Refresh, Ctrl+R).  A handler returns
   * %TRUE when it started a refresh.
   */
  signals[REFRESH_REQUESTED] =
    g_signal_new ("refresh-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 0);
  signals[IMPORT_REQUESTED] =
    g_signal_new ("import-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 1, G_TYPE_FILE);
  /**
   * BtWindow::report-requested:
   * @path: where to write the daily report as PDF
   *
   * Returns: %TRUE when a handler wrote it (or reported why not)
   */
  signals[REPORT_REQUESTED] =
    g_signal_new ("report-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  /**
   * BtWindow::stop-requested:
   *
   * The user stopped the running refresh (Stop, or Stop in the sources view).
   */
  signals[STOP_REQUESTED] =
    g_signal_new ("stop-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[DOWNLOAD_REQUESTED] =
    g_signal_new ("download-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 0);

  g_type_ensure (BT_TYPE_DASHBOARD_PAGE);
  g_type_ensure (BT_TYPE_MARKET_PAGE);
  g_type_ensure (BT_TYPE_POSITION_PAGE);
  g_type_ensure (BT_TYPE_BACKTEST_PAGE);
  g_type_ensure (BT_TYPE_ALERTS_PAGE);
  g_type_ensure (BT_TYPE_DATA_PAGE);
  g_type_ensure (BT_TYPE_SOURCES_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/btcturbo/BtcTurbo/ui/bt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BtWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BtWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, BtWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, BtWindow, status_button);
  gtk_widget_class_bind_template_child (widget_class, BtWindow, status_stack);
  gtk_widget_class_bind_template_child (widget_class, BtWindow, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, BtWindow, sources_view);
  gtk_widget_class_bind_template_child (widget_class, BtWindow, alerts_stack_page);
  gtk_widget_class_bind_template_child (widget_class, BtWindow, dashboard_page);
  gtk_widget_class_bind_template_child (widget_class, BtWindow, market_page);
  gtk_widget_class_bind_template_child (widget_class, BtWindow, position_page);
  gtk_widget_class_bind_template_child (widget_class, BtWindow, backtest_page);
  gtk_widget_class_bind_template_child (widget_class, BtWindow, alerts_page);
  gtk_widget_class_bind_template_child (widget_class, BtWindow, data_page);
  gtk_widget_class_bind_template_callback (widget_class, on_alerts_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_page_message_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stress_summary_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sources_state_cb);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.download-history", NULL,
                                   download_history_action);
  gtk_widget_class_install_action (widget_class, "win.stop-refresh", NULL, stop_refresh_action);
  gtk_widget_class_install_action (widget_class, "win.show-sources", NULL, show_sources_action);
  gtk_widget_class_install_action (widget_class, "win.page", "s", page_action);
  gtk_widget_class_install_action (widget_class, "win.export-report", NULL, export_report_action);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK, "win.page",
                                         "s", page_names[i]);
}

static void
bt_window_init (BtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::default-width", G_CALLBACK (on_width_changed_cb), self);
  update_actions (self);
  update_status_indicator (self);
  update_alerts_badge (self);
}

BtWindow *
bt_window_new (GtkApplication *application)
{
  return g_object_new (BT_TYPE_WINDOW, "application", application, NULL);
}

BtDashboardPage *
bt_window_get_dashboard_page (BtWindow *self)
{
  g_return_val_if_fail (BT_IS_WINDOW (self), NULL);
  return self->dashboard_page;
}

BtMarketPage *
bt_window_get_market_page (BtWindow *self)
{
  g_return_val_if_fail (BT_IS_WINDOW (self), NULL);
  return self->market_page;
}

BtPositionPage *
bt_window_get_position_page (BtWindow *self)
{
  g_return_val_if_fail (BT_IS_WINDOW (self), NULL);
  return self->position_page;
}

BtBacktestPage *
bt_window_get_backtest_page (BtWindow *self)
{
  g_return_val_if_fail (BT_IS_WINDOW (self), NULL);
  return self->backtest_page;
}

BtAlertsPage *
bt_window_get_alerts_page (BtWindow *self)
{
  g_return_val_if_fail (BT_IS_WINDOW (self), NULL);
  return self->alerts_page;
}

void
bt_window_set_page (BtWindow   *self,
                    const char *name)
{
  g_return_if_fail (BT_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

const char *
bt_window_get_page (BtWindow *self)
{
  g_return_val_if_fail (BT_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

void
bt_window_add_toast (BtWindow   *self,
                     const char *message)
{
  g_return_if_fail (BT_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  bt_window_add_toast_full (self, message, NULL, NULL, 5);
}

const char *
bt_window_get_last_toast (BtWindow *self)
{
  g_return_val_if_fail (BT_IS_WINDOW (self), NULL);
  return self->last_toast;
}

void
bt_window_show_error (BtWindow     *self,
                      const GError *error)
{
  g_return_if_fail (BT_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  bt_window_add_toast (self, error->message);
}

void
bt_window_show_alert (BtWindow *self,
                      gint64    id)
{
  g_return_if_fail (BT_IS_WINDOW (self));

  bt_window_set_page (self, "alerts");
  bt_alerts_page_select (self->alerts_page, id);
}

void
bt_window_set_busy (BtWindow *self,
                    gboolean  busy)
{
  g_return_if_fail (BT_IS_WINDOW (self));

  self->busy = !!busy;
  update_actions (self);
  update_status_indicator (self);
  bt_dashboard_page_set_busy (self->dashboard_page, self->busy);
}

gboolean
bt_window_get_busy (BtWindow *self)
{
  g_return_val_if_fail (BT_IS_WINDOW (self), FALSE);
  return self->busy;
}

static void
set_scheduler (BtWindow    *self,
               BtScheduler *scheduler)
{
  g_return_if_fail (BT_IS_WINDOW (self));

  bt_sources_view_set_scheduler (self->sources_view, scheduler);
  update_status_indicator (self);
}

void
bt_window_set_session (BtWindow  *self,
                       BtSession *session)
{
  BtContext *context;

  g_return_if_fail (BT_IS_WINDOW (self));
  g_return_if_fail (session == NULL || BT_IS_SESSION (session));

  if (self->session == session)
    return;
  unset_session (self);
  if (session == NULL)
    return;
  self->session = g_object_ref (session);
  context = bt_session_get_context (session);
  /* each page reads its own data from the context, in this order */
  bt_page_set_context (BT_PAGE (self->market_page), context);
  bt_page_set_context (BT_PAGE (self->backtest_page), context);
  bt_page_set_context (BT_PAGE (self->dashboard_page), context);
  bt_page_set_context (BT_PAGE (self->data_page), context);
  bt_page_set_context (BT_PAGE (self->position_page), context);
  bt_page_set_context (BT_PAGE (self->alerts_page), context);
  bt_session_set_backtest_page (session, self->backtest_page);

  g_signal_connect (self, "refresh-requested", G_CALLBACK (on_refresh_requested_cb), session);
  g_signal_connect (self, "download-requested", G_CALLBACK (on_download_requested_cb), session);
  g_signal_connect (self, "import-requested", G_CALLBACK (on_import_requested_cb), session);
  g_signal_connect (self, "report-requested", G_CALLBACK (on_report_requested_cb), session);
  g_signal_connect (self, "stop-requested", G_CALLBACK (on_stop_requested_cb), session);
  g_signal_connect (self->alerts_page, "acknowledged", G_CALLBACK (on_acknowledged_cb), session);
  g_signal_connect_swapped (self->position_page, "wallet-added",
                            G_CALLBACK (bt_session_add_wallet), session);
  g_signal_connect_swapped (self->position_page, "wallet-removed",
                            G_CALLBACK (bt_session_remove_wallet), session);
  g_signal_connect (session, "notify::busy", G_CALLBACK (on_busy_cb), self);
  g_signal_connect (session, "toast", G_CALLBACK (on_toast_cb), self);
  g_signal_connect (session, "error", G_CALLBACK (on_error_cb), self);
  g_signal_connect (session, "collect-failed", G_CALLBACK (on_collect_failed_cb), self);
  g_signal_connect (session, "sources-changed", G_CALLBACK (on_sources_changed_cb), self);
  set_scheduler (self, bt_context_get_scheduler (context));
}

BtSession *
bt_window_get_session (BtWindow *self)
{
  g_return_val_if_fail (BT_IS_WINDOW (self), NULL);
  return self->session;
}

BtSourcesView *
bt_window_get_sources_view (BtWindow *self)
{
  g_return_val_if_fail (BT_IS_WINDOW (self), NULL);
  return self->sources_view;
}

void
bt_window_add_toast_full (BtWindow   *self,
                          const char *message,
                          const char *button_label,
                          const char *action_name,
                          guint       timeout_s)
{
  AdwToast *toast;

  g_return_if_fail (BT_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  toast = adw_toast_new (message);
  {
    /* the whole message, wrapped, even at 360 px */
    GtkWidget *label = gtk_label_new (message);

    gtk_label_set_wrap (GTK_LABEL (label), TRUE);
    gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
    if (self->toast_label != NULL)
      g_object_remove_weak_pointer (G_OBJECT (self->toast_label), (gpointer *) &self->toast_label);
    self->toast_label = GTK_LABEL (label);
    g_object_add_weak_pointer (G_OBJECT (label), (gpointer *) &self->toast_label);
    fit_toast (self, gtk_widget_get_width (GTK_WIDGET (self)));
    gtk_label_set_width_chars (GTK_LABEL (label), 10);
    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_widget_add_css_class (label, "heading");
    adw_toast_set_custom_title (toast, label);
  }
  adw_toast_set_timeout (toast, timeout_s);
  if (button_label != NULL && action_name != NULL)
    {
      adw_toast_set_button_label (toast, button_label);
      adw_toast_set_action_name (toast, action_name);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
