/* bt-alerts-page.c: the Alerts page of BTC Turbo. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>

#include "bt-alerts.h"
#include "bt-alerts-page.h"
#include "bt-alerts-page-private.h"
#include "bt-store.h"
#include "bt-ui-util.h"

typedef struct
{
  gint64      id;
  BtSeverity  severity;
  char       *message;
  gint64      created_at;
  gint64      acknowledged_at;
  gint64      cleared_at;
  GtkWidget  *row;        /* borrowed, owned by a list */
} Alert;

struct _BtAlertsPage
{
  BtPage             parent_instance;

  GtkStack          *stack;
  GtkListBox        *active_list;
  GtkListBox        *past_list;
  GtkWidget         *no_active_label;
  GtkWidget         *past_title;

  GHashTable        *alerts;     /* gint64* id → Alert */
};

G_DEFINE_FINAL_TYPE (BtAlertsPage, bt_alerts_page, BT_TYPE_PAGE)

enum { ACKNOWLEDGED, ALERTS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
alert_free (gpointer data)
{
  Alert *alert = data;

  g_free (alert->message);
  g_free (alert);
}

static gboolean
alert_is_active (const Alert *alert)
{
  return alert->acknowledged_at == 0 && alert->cleared_at == 0;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const Alert *x = *(const Alert *const *) a;
  const Alert *y = *(const Alert *const *) b;

  if (x->created_at != y->created_at)
    return x->created_at < y->created_at ? 1 : -1;
  return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

static void
on_acknowledge_clicked_cb (GtkButton    *button,
                           BtAlertsPage *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (button), "alert-id");

  bt_alerts_page_acknowledge (self, *id);
}

static GtkWidget *
make_row (BtAlertsPage *self,
          const Alert  *alert)
{
  static const char *icons[BT_N_SEVERITIES] = {
    "dialog-information-symbolic", "dialog-warning-symbolic", "dialog-error-symbolic"
  };
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icons[alert->severity]);
  g_autofree char *created = bt_ui_format_time (alert->created_at);
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), alert->message);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (alert_is_active (alert))
    /* Translators: severity and time of an alert, e.g. "Warning · 23/11/2026 08:00" */
    subtitle = g_strdup_printf (_("%s · %s"), bt_ui_severity_title (alert->severity), created);
  else if (alert->acknowledged_at != 0)
    {
      g_autofree char *ack = bt_ui_format_time (alert->acknowledged_at);
      /* Translators: severity, time of an alert and when it was acknowledged */
      subtitle = g_strdup_printf (_("%s · %s · acknowledged %s"),
                                  bt_ui_severity_title (alert->severity), created, ack);
    }
  else
    /* Translators: severity and time of an alert whose condition has cleared */
    subtitle = g_strdup_printf (_("%s · %s · no longer applies"),
                                bt_ui_severity_title (alert->severity), created);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_widget_add_css_class (icon, bt_ui_severity_css (alert->severity));
  gtk_widget_add_css_class (icon, "severity-icon");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  bt_ui_severity_title (alert->severity), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (alert_is_active (alert))
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Acknowledge"));
      gint64 *id = g_new (gint64, 1);

      *id = alert->id;
      g_object_set_data_full (G_OBJECT (button), "alert-id", id, g_free);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_signal_connect (button, "clicked", G_CALLBACK (on_acknowledge_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  else
    gtk_widget_add_css_class (row, "dim-row");
  return row;
}

static void
rebuild (BtAlertsPage *self)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  GtkWidget *child;
  guint n_active = 0, n_past = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->active_list))) != NULL)
    gtk_list_box_remove (self->active_list, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->past_list))) != NULL)
    gtk_list_box_remove (self->past_list, child);

  g_hash_table_iter_init (&iter, self->alerts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (sorted, value);
  g_ptr_array_sort (sorted, compare_newest_first);

  for (guint i = 0; i < sorted->len; i++)
    {
      Alert *alert = g_ptr_array_index (sorted, i);

      alert->row = make_row (self, alert);
      if (alert_is_active (alert))
        {
          gtk_list_box_append (self->active_list, alert->row);
          n_active++;
        }
      else
        {
          gtk_list_box_append (self->past_list, alert->row);
          n_past++;
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->active_list), n_active > 0);
  gtk_widget_set_visible (self->no_active_label, n_active == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->past_list), n_past > 0);
  gtk_widget_set_visible (self->past_title, n_past > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "alerts.acknowledge-all", n_active > 0);
  gtk_stack_set_visible_child_name (self->stack, sorted->len > 0 ? "content" : "empty");
  g_signal_emit (self, signals[ALERTS_CHANGED], 0);
}

static void
acknowledge_all_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  bt_alerts_page_acknowledge_all (BT_ALERTS_PAGE (widget));
}

static void
bt_alerts_page_finalize (GObject *object)
{
  BtAlertsPage *self = BT_ALERTS_PAGE (object);

  g_clear_pointer (&self->alerts, g_hash_table_unref);

  G_OBJECT_CLASS (bt_alerts_page_parent_class)->finalize (object);
}

/* Adds or updates alert ID in the page's table, without rebuilding its rows. */
static void
put_alert (BtAlertsPage *self,
           gint64        id,
           BtSeverity    severity,
           const char   *message,
           gint64        created_at,
           gint64        acknowledged_at,
           gint64        cleared_at)
{
  Alert *alert = g_hash_table_lookup (self->alerts, &id);

  if (alert == NULL)
    {
      alert = g_new0 (Alert, 1);
      alert->id = id;
      g_hash_table_insert (self->alerts, &alert->id, alert);
    }
  alert->severity = severity;
  g_free (alert->message);
  alert->message = g_strdup (message);
  alert->created_at = created_at;
  alert->acknowledged_at = acknowledged_at;
  alert->cleared_at = cleared_at;
}

/* Every alert of the store, as it is now. */
static void
reload (BtPage *page)
{
  BtAlertsPage *self = BT_ALERTS_PAGE (page);
  g_autoptr(GPtrArray) alerts = NULL;

  if (bt_page_get_store (page) == NULL)
    return;
  alerts = bt_store_list_alerts (bt_page_get_store (page), FALSE, NULL);
  g_hash_table_remove_all (self->alerts);
  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      BtAlert *alert = g_ptr_array_index (alerts, i);
      g_autofree char *message = bt_alert_dup_display_message (alert);

      put_alert (self, bt_alert_get_id (alert), bt_alert_get_severity (alert), message,
                 bt_alert_get_created_at (alert), bt_alert_get_acknowledged_at (alert),
                 bt_alert_get_cleared_at (alert));
    }
  /* the rows once, not once per alert */
  rebuild (self);
}

/* An alert raised or cleared by the scheduler's evaluation. */
static void
on_alert_raised_cb (BtScheduler *scheduler,
                    gint64       id,
                    BtPage      *page)
{
  reload (page);
}

static void
on_alert_cleared_cb (BtScheduler *scheduler,
                     const char  *key,
                     BtPage      *page)
{
  reload (page);
}

static void
bind (BtPage    *page,
      BtContext *context)
{
  BtScheduler *scheduler = bt_context_get_scheduler (context);

  if (scheduler == NULL)
    return;
  g_signal_connect (scheduler, "alert-raised", G_CALLBACK (on_alert_raised_cb), page);
  g_signal_connect (scheduler, "alert-cleared", G_CALLBACK (on_alert_cleared_cb), page);
}

static void
bt_alerts_page_class_init (BtAlertsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bt_alerts_page_finalize;
  BT_PAGE_CLASS (klass)->reload = reload;
  BT_PAGE_CLASS (klass)->bind = bind;

  /**
   * BtAlertsPage::acknowledged:
   * @id: the alert the user acknowledged
   */
  signals[ACKNOWLEDGED] = g_signal_new ("acknowledged", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[ALERTS_CHANGED] = g_signal_new ("alerts-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/btcturbo/BtcTurbo/ui/bt-alerts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BtAlertsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BtAlertsPage, active_list);
  gtk_widget_class_bind_template_child (widget_class, BtAlertsPage, past_list);
  gtk_widget_class_bind_template_child (widget_class, BtAlertsPage, no_active_label);
  gtk_widget_class_bind_template_child (widget_class, BtAlertsPage, past_title);
  gtk_widget_class_install_action (widget_class, "alerts.acknowledge-all", NULL,
                                   acknowledge_all_action);
}

static void
bt_alerts_page_init (BtAlertsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->alerts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, alert_free);
  rebuild (self);
}

void
bt_alerts_page_clear (BtAlertsPage *self)
{
  g_return_if_fail (BT_IS_ALERTS_PAGE (self));

  g_hash_table_remove_all (self->alerts);
  rebuild (self);
}

void
bt_alerts_page_set_alert (BtAlertsPage *self,
                          gint64        id,
                          BtSeverity    severity,
                          const char   *message,
                          gint64        created_at,
                          gint64        acknowledged_at,
                          gint64        cleared_at)
{
  g_return_if_fail (BT_IS_ALERTS_PAGE (self));
  g_return_if_fail ((guint) severity < BT_N_SEVERITIES);
  g_return_if_fail (message != NULL);

  put_alert (self, id, severity, message, created_at, acknowledged_at, cleared_at);
  rebuild (self);
}


guint
bt_alerts_page_get_n_active (BtAlertsPage *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (BT_IS_ALERTS_PAGE (self), 0);

  g_hash_table_iter_init (&iter, self->alerts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (alert_is_active (value))
      n++;
  return n;
}

guint
bt_alerts_page_get_n_alerts (BtAlertsPage *self)
{
  g_return_val_if_fail (BT_IS_ALERTS_PAGE (self), 0);
  return g_hash_table_size (self->alerts);
}

gboolean
bt_alerts_page_get_acknowledged (BtAlertsPage *self,
                                 gint64        id)
{
  Alert *alert;

  g_return_val_if_fail (BT_IS_ALERTS_PAGE (self), FALSE);

  alert = g_hash_table_lookup (self->alerts, &id);
  return alert != NULL && alert->acknowledged_at != 0;
}

void
bt_alerts_page_acknowledge (BtAlertsPage *self,
                            gint64        id)
{
  Alert *alert;

  g_return_if_fail (BT_IS_ALERTS_PAGE (self));

  alert = g_hash_table_lookup (self->alerts, &id);
  if (alert == NULL || !alert_is_active (alert))
    return;
  alert->acknowledged_at = g_get_real_time () / G_USEC_PER_SEC;
  rebuild (self);
  g_signal_emit (self, signals[ACKNOWLEDGED], 0, id);
}

void
bt_alerts_page_acknowledge_all (BtAlertsPage *self)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer value;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_if_fail (BT_IS_ALERTS_PAGE (self));

  g_hash_table_iter_init (&iter, self->alerts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Alert *alert = value;

      if (alert_is_active (alert))
        {
          alert->acknowledged_at = now;
          g_array_append_val (ids, alert->id);
        }
    }
  if (ids->len == 0)
    return;
  rebuild (self);
  for (guint i = 0; i < ids->len; i++)
    g_signal_emit (self, signals[ACKNOWLEDGED], 0, g_array_index (ids, gint64, i));
}

void
bt_alerts_page_select (BtAlertsPage *self,
                       gint64        id)
{
  Alert *alert;

  g_return_if_fail (BT_IS_ALERTS_PAGE (self));

  alert = g_hash_table_lookup (self->alerts, &id);
  if (alert == NULL || alert->row == NULL)
    return;
  gtk_widget_grab_focus (alert->row);
}
