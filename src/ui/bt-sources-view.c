/* bt-sources-view.c: the state of every data source. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>

#include "bt-alerts.h"
#include "bt-base.h"
#include "bt-sources-view.h"
#include "bt-sources-view-private.h"
#include "bt-store.h"
#include "bt-ui-util.h"

/* the order of the list: prices, derivatives, on-chain, positions */
static const BtSource shown_sources[] = {
  BT_SOURCE_BINANCE, BT_SOURCE_COINBASE, BT_SOURCE_KRAKEN, BT_SOURCE_BINANCE_FUTURES,
  BT_SOURCE_COINMETRICS, BT_SOURCE_BGEOMETRICS, BT_SOURCE_NOTION, BT_SOURCE_ETHEREUM,
};

typedef struct
{
  AdwActionRow *row;
  GtkStack     *suffix;
  GtkSpinner   *spinner;
} Row;

struct _BtSourcesView
{
  GtkWidget       parent_instance;

  GtkWidget      *clamp;
  GtkLabel       *summary_label;
  GtkListBox     *list;
  GtkButton      *action_button;

  BtScheduler    *scheduler;
  Row             rows[BT_N_SOURCES];
  BtSourcesState  state;
  guint           n_failing;
  gboolean        refreshing;
};

G_DEFINE_FINAL_TYPE (BtSourcesView, bt_sources_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SCHEDULER, PROP_STATE, N_PROPS };
static GParamSpec *props[N_PROPS];

static char *
format_clock (gint64 unix_seconds)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  if (local == NULL)
    return g_strdup ("—");
  return g_date_time_format (local, "%H:%M:%S");
}

static gboolean
source_shown (BtSourcesView *self,
              BtStore       *store,
              BtSource       source)
{
  if (!bt_scheduler_get_source_enabled (self->scheduler, source))
    return FALSE;
  if (source == BT_SOURCE_ETHEREUM)
    {
      g_autoptr(GPtrArray) wallets = bt_store_list_wallets (store, NULL);

      return wallets != NULL && wallets->len > 0;
    }
  return TRUE;
}

static Row *
ensure_row (BtSourcesView *self,
            BtSource       source)
{
  Row *r = &self->rows[source];
  GtkWidget *icon;

  if (r->row != NULL)
    return r;
  r->row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (r->row), bt_ui_source_title (source));
  adw_action_row_set_subtitle_lines (r->row, 4);
  r->suffix = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_valign (GTK_WIDGET (r->suffix), GTK_ALIGN_CENTER);
  r->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_stack_add_named (r->suffix, GTK_WIDGET (r->spinner), "busy");
  icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
  gtk_widget_add_css_class (icon, "success");
  gtk_stack_add_named (r->suffix, icon, "ok");
  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (icon, "warning");
  gtk_stack_add_named (r->suffix, icon, "warning");
  gtk_stack_add_named (r->suffix, gtk_image_new (), "none");
  adw_action_row_add_suffix (r->row, GTK_WIDGET (r->suffix));
  return r;
}

static void
update_row (BtSourcesView *self,
            BtStore       *store,
            BtSource       source,
            guint         *n_busy,
            guint         *n_failing,
            guint         *n_network,
            guint         *n_ok)
{
  Row *r = ensure_row (self, source);
  BtSourceActivity act = { 0 };
  BtSourceStatus status = { 0 };
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *subtitle = NULL;
  const char *suffix = "none";
  const char *error;

  bt_scheduler_get_source_activity (self->scheduler, source, &act);
  bt_store_get_source_status (store, source, &status, NULL);
  /* this session's last attempt first, then what the store remembers */
  error = act.error != NULL ? act.error
          : act.state == BT_SOURCE_STATE_IDLE && status.stale ? status.last_error : NULL;

  switch (act.state)
    {
    case BT_SOURCE_STATE_RUNNING:
      g_ptr_array_add (parts, g_strdup (_("Asking now…")));
      suffix = "busy";
      (*n_busy)++;
      break;
    case BT_SOURCE_STATE_QUEUED:
      g_ptr_array_add (parts, g_strdup (_("Waiting for its turn")));
      suffix = "busy";
      (*n_busy)++;
      break;
    case BT_SOURCE_STATE_RETRYING:
    case BT_SOURCE_STATE_IDLE:
    default:
      if (error != NULL)
        {
          /* Translators: %s is the error of a data source, in words */
          g_ptr_array_add (parts, g_strdup_printf (_("Failed: %s"), error));
          if (status.last_success > 0)
            {
              g_autofree char *when = bt_ui_format_time (status.last_success);

              /* Translators: %s is a date and time */
              g_ptr_array_add (parts, g_strdup_printf (_("Last success %s"), when));
            }
          else
            g_ptr_array_add (parts, g_strdup (_("Never answered yet")));
          suffix = "warning";
          (*n_failing)++;
          if (act.error != NULL && act.network_error)
            (*n_network)++;
        }
      else if (status.last_success > 0)
        {
          g_autofree char *when = bt_ui_format_time (status.last_success);

          /* Translators: %s is a date and time */
          g_ptr_array_add (parts, g_strdup_printf (_("Updated %s"), when));
          suffix = "ok";
          (*n_ok)++;
        }
      else
        g_ptr_array_add (parts, g_strdup (_("Not asked yet")));
      if (act.next_try > 0)
        {
          g_autofree char *when = format_clock (act.next_try);

          /* Translators: %s is a time of day, e.g. 14:05:30 */
          g_ptr_array_add (parts, g_strdup_printf (act.state == BT_SOURCE_STATE_RETRYING
                                                   ? _("Next try at %s") : _("Next update at %s"),
                                                   when));
        }
      break;
    }
  g_ptr_array_add (parts, NULL);
  /* Translators: the parts of a data source's state line are joined with this */
  subtitle = g_strjoinv (_(" · "), (char **) parts->pdata);
  adw_action_row_set_subtitle (r->row, subtitle);
  gtk_stack_set_visible_child_name (r->suffix, suffix);
  gtk_spinner_set_spinning (r->spinner, g_str_equal (suffix, "busy"));
  bt_source_activity_clear (&act);
  bt_source_status_clear (&status);
}

void
bt_sources_view_update (BtSourcesView *self)
{
  BtStore *store;
  guint n_busy = 0, n_failing = 0, n_network = 0, n_ok = 0, n_shown = 0;
  BtSourcesState state;
  g_autofree char *summary = NULL;

  g_return_if_fail (BT_IS_SOURCES_VIEW (self));

  if (self->scheduler == NULL)
    {
      gtk_label_set_label (self->summary_label, _("No database is open"));
      return;
    }
  store = bt_engine_get_store (bt_scheduler_get_engine (self->scheduler));
  for (guint i = 0; i < G_N_ELEMENTS (shown_sources); i++)
    {
      BtSource s = shown_sources[i];
      gboolean shown = source_shown (self, store, s);
      Row *r = &self->rows[s];

      if (!shown)
        {
          if (r->row != NULL)
            gtk_widget_set_visible (GTK_WIDGET (r->row), FALSE);
          continue;
        }
      if (r->row == NULL)
        {
          ensure_row (self, s);
          gtk_list_box_append (self->list, GTK_WIDGET (r->row));
        }
      gtk_widget_set_visible (GTK_WIDGET (r->row), TRUE);
      update_row (self, store, s, &n_busy, &n_failing, &n_network, &n_ok);
      n_shown++;
    }

  if (n_shown == 0)
    {
      state = BT_SOURCES_STATE_NONE;
      summary = g_strdup (_("Every data source is switched off in Preferences"));
    }
  else if (n_busy > 0)
    {
      state = n_failing > 0 ? BT_SOURCES_STATE_WARNING : BT_SOURCES_STATE_BUSY;
      /* Translators: progress of a refresh: sources done and sources asked */
      summary = g_strdup_printf (_("Refreshing: %u of %u sources done"), n_shown - n_busy, n_shown);
    }
  else if (n_failing > 0 && n_network == n_failing && n_failing == n_shown)
    {
      state = BT_SOURCES_STATE_WARNING;
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "No network: %u source could not be reached",
                                              "No network: %u sources could not be reached",
                                              n_failing), n_failing);
    }
  else if (n_failing > 0)
    {
      state = BT_SOURCES_STATE_WARNING;
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u sources failed; their data was kept",
                                              "%u of %u sources failed; their data was kept",
                                              n_failing), n_failing, n_shown);
    }
  else if (n_ok > 0)
    {
      state = BT_SOURCES_STATE_OK;
      summary = g_strdup (_("Every source answered at its last try"));
    }
  else
    {
      state = BT_SOURCES_STATE_NONE;
      summary = g_strdup (_("No source has been asked yet"));
    }
  gtk_label_set_label (self->summary_label, summary);
  self->n_failing = n_failing;
  if (state != self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
    }
}

static void
on_source_changed_cb (BtScheduler   *scheduler,
                      int            source,
                      BtSourcesView *self)
{
  bt_sources_view_update (self);
}

void
bt_sources_view_set_scheduler (BtSourcesView *self,
                               BtScheduler   *scheduler)
{
  g_return_if_fail (BT_IS_SOURCES_VIEW (self));
  g_return_if_fail (scheduler == NULL || BT_IS_SCHEDULER (scheduler));

  if (self->scheduler == scheduler)
    return;
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_set_object (&self->scheduler, scheduler);
  if (scheduler != NULL)
    {
      g_signal_connect (scheduler, "source-progress", G_CALLBACK (on_source_changed_cb), self);
      g_signal_connect (scheduler, "source-status-changed", G_CALLBACK (on_source_changed_cb), self);
    }
  bt_sources_view_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SCHEDULER]);
}

void
bt_sources_view_set_refreshing (BtSourcesView *self,
                                gboolean       refreshing)
{
  g_return_if_fail (BT_IS_SOURCES_VIEW (self));

  self->refreshing = !!refreshing;
  gtk_button_set_label (self->action_button, refreshing ? _("_Stop") : _("_Refresh Now"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->action_button),
                                  refreshing ? "win.stop-refresh" : "win.refresh");
  if (refreshing)
    gtk_widget_add_css_class (GTK_WIDGET (self->action_button), "destructive-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->action_button), "destructive-action");
}

BtSourcesState
bt_sources_view_get_state (BtSourcesView *self)
{
  g_return_val_if_fail (BT_IS_SOURCES_VIEW (self), BT_SOURCES_STATE_NONE);
  return self->state;
}

guint
bt_sources_view_get_n_failing (BtSourcesView *self)
{
  g_return_val_if_fail (BT_IS_SOURCES_VIEW (self), 0);
  return self->n_failing;
}

char *
bt_sources_view_dup_summary (BtSourcesView *self)
{
  g_return_val_if_fail (BT_IS_SOURCES_VIEW (self), NULL);
  return g_strdup (gtk_label_get_label (self->summary_label));
}

char *
bt_sources_view_dup_row_text (BtSourcesView *self,
                              BtSource       source)
{
  Row *r;

  g_return_val_if_fail (BT_IS_SOURCES_VIEW (self), NULL);
  g_return_val_if_fail (source < BT_N_SOURCES, NULL);

  r = &self->rows[source];
  if (r->row == NULL || !gtk_widget_get_visible (GTK_WIDGET (r->row)))
    return NULL;
  return g_strdup_printf ("%s: %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (r->row)),
                          adw_action_row_get_subtitle (r->row));
}

static void
bt_sources_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BtSourcesView *self = BT_SOURCES_VIEW (object);

  switch (prop_id)
    {
    case PROP_SCHEDULER:
      g_value_set_object (value, self->scheduler);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bt_sources_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BtSourcesView *self = BT_SOURCES_VIEW (object);

  switch (prop_id)
    {
    case PROP_SCHEDULER:
      bt_sources_view_set_scheduler (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bt_sources_view_dispose (GObject *object)
{
  BtSourcesView *self = BT_SOURCES_VIEW (object);

  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_clear_object (&self->scheduler);
  gtk_widget_dispose_template (GTK_WIDGET (self), BT_TYPE_SOURCES_VIEW);
  G_OBJECT_CLASS (bt_sources_view_parent_class)->dispose (object);
}

static void
bt_sources_view_class_init (BtSourcesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = bt_sources_view_get_property;
  object_class->set_property = bt_sources_view_set_property;
  object_class->dispose = bt_sources_view_dispose;

  props[PROP_SCHEDULER] = g_param_spec_object ("scheduler", NULL, NULL, BT_TYPE_SCHEDULER,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
                                               | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, BT_SOURCES_STATE_NONE,
                                        BT_SOURCES_STATE_WARNING, BT_SOURCES_STATE_NONE,
                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS
                                        | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/btcturbo/BtcTurbo/ui/bt-sources-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BtSourcesView, clamp);
  gtk_widget_class_bind_template_child (widget_class, BtSourcesView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, BtSourcesView, list);
  gtk_widget_class_bind_template_child (widget_class, BtSourcesView, action_button);
}

static void
bt_sources_view_init (BtSourcesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  bt_sources_view_update (self);
}
