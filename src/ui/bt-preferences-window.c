/* bt-preferences-window.c: BTC Turbo's preferences. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bt-base.h"
#include "bt-preferences-window.h"
#include "bt-ui-util.h"

struct _BtPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkSwitch            *notifications_switch;
  GtkSwitch            *report_switch;
  GtkSwitch            *background_switch;
  AdwEntryRow          *report_time_row;
  GtkSpinButton        *market_spin;
  GtkSpinButton        *onchain_spin;
  GtkSpinButton        *position_spin;
  GtkLabel             *error_label;
  AdwPreferencesGroup  *sources_group;
  GtkLabel             *sources_error_label;

  GSettings            *settings;
  GHashTable           *url_rows;   /* source name → AdwEntryRow (borrowed) */
  char                 *error;
};

G_DEFINE_FINAL_TYPE (BtPreferencesWindow, bt_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Sources the collectors know (PRODUCT.md), in display order. */
static const BtSource sources[] = {
  BT_SOURCE_BINANCE, BT_SOURCE_BINANCE_FUTURES, BT_SOURCE_COINBASE, BT_SOURCE_KRAKEN,
  BT_SOURCE_COINMETRICS, BT_SOURCE_BGEOMETRICS, BT_SOURCE_ETHEREUM, BT_SOURCE_NOTION,
};

static void
set_error (BtPreferencesWindow *self,
           GtkLabel            *label,
           GtkWidget           *row,
           const char          *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static gboolean
parse_time (const char *text,
            guint      *minutes)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  guint64 h, m;
  char *end;

  if (strlen (copy) != 5 || copy[2] != ':' || !g_ascii_isdigit (copy[0])
      || !g_ascii_isdigit (copy[1]) || !g_ascii_isdigit (copy[3]) || !g_ascii_isdigit (copy[4]))
    return FALSE;
  h = g_ascii_strtoull (copy, &end, 10);
  m = g_ascii_strtoull (copy + 3, &end, 10);
  if (h > 23 || m > 59)
    return FALSE;
  *minutes = (guint) (h * 60 + m);
  return TRUE;
}

static gboolean
apply_report_time (BtPreferencesWindow *self,
                   const char          *text)
{
  guint minutes;

  if (!parse_time (text, &minutes))
    {
      set_error (self, self->error_label, GTK_WIDGET (self->report_time_row),
                 _("Daily report time: type hours and minutes such as 08:00"));
      return FALSE;
    }
  set_error (self, self->error_label, GTK_WIDGET (self->report_time_row), NULL);
  g_settings_set_uint (self->settings, "daily-report-time", minutes);
  return TRUE;
}

static void
on_report_time_apply_cb (AdwEntryRow         *row,
                         BtPreferencesWindow *self)
{
  apply_report_time (self, gtk_editable_get_text (GTK_EDITABLE (row)));
}

static gboolean
apply_base_url (BtPreferencesWindow *self,
                const char          *source,
                const char          *text)
{
  AdwEntryRow *row = g_hash_table_lookup (self->url_rows, source);
  g_autofree char *url = g_strstrip (g_strdup (text));
  g_autoptr(GVariant) old = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key, *value;

  if (row == NULL)
    return FALSE;
  if (*url != '\0')
    {
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
      const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

      if (uri == NULL || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
          || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
        {
          set_error (self, self->sources_error_label, GTK_WIDGET (row),
                     _("Base address: type a web address starting with https://"));
          return FALSE;
        }
    }
  set_error (self, self->sources_error_label, GTK_WIDGET (row), NULL);

  old = g_settings_get_value (self->settings, "base-urls");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (!g_str_equal (key, source))
      g_variant_builder_add (&builder, "{ss}", key, value);
  if (*url != '\0')
    g_variant_builder_add (&builder, "{ss}", source, url);
  g_settings_set_value (self->settings, "base-urls", g_variant_builder_end (&builder));
  return TRUE;
}

static void
on_url_apply_cb (AdwEntryRow         *row,
                 BtPreferencesWindow *self)
{
  apply_base_url (self, g_object_get_data (G_OBJECT (row), "source"),
                  gtk_editable_get_text (GTK_EDITABLE (row)));
}

static void
on_source_switch_cb (GtkSwitch           *widget,
                     GParamSpec          *pspec,
                     BtPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (widget), "source");
  g_auto(GStrv) enabled = g_settings_get_strv (self->settings, "enabled-sources");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;
  gboolean on = gtk_switch_get_active (widget);

  for (guint i = 0; enabled[i] != NULL; i++)
    if (!g_str_equal (enabled[i], name))
      g_strv_builder_add (builder, enabled[i]);
  if (on)
    g_strv_builder_add (builder, name);
  result = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "enabled-sources", (const char *const *) result);
}

static void
build_sources (BtPreferencesWindow *self)
{
  g_auto(GStrv) enabled = g_settings_get_strv (self->settings, "enabled-sources");
  g_autoptr(GVariant) urls = g_settings_get_value (self->settings, "base-urls");

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      const char *name = bt_source_name (sources[i]);
      GtkWidget *expander = adw_expander_row_new ();
      GtkWidget *toggle = gtk_switch_new ();
      AdwEntryRow *url_row = ADW_ENTRY_ROW (adw_entry_row_new ());
      const char *url = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), bt_ui_source_title (sources[i]));
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (toggle), g_strv_contains ((const char *const *) enabled, name));
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      bt_ui_source_title (sources[i]), -1);
      g_object_set_data (G_OBJECT (toggle), "source", (gpointer) name);
      g_signal_connect (toggle, "notify::active", G_CALLBACK (on_source_switch_cb), self);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), toggle);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (url_row), _("Base address"));
      adw_entry_row_set_show_apply_button (url_row, TRUE);
      adw_entry_row_set_input_purpose (url_row, GTK_INPUT_PURPOSE_URL);
      if (g_variant_lookup (urls, name, "&s", &url))
        gtk_editable_set_text (GTK_EDITABLE (url_row), url);
      g_object_set_data (G_OBJECT (url_row), "source", (gpointer) name);
      g_signal_connect (url_row, "apply", G_CALLBACK (on_url_apply_cb), self);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), GTK_WIDGET (url_row));
      g_hash_table_insert (self->url_rows, (gpointer) name, url_row);

      adw_preferences_group_add (self->sources_group, expander);
    }
}

static void
bt_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BT_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (bt_preferences_window_parent_class)->dispose (object);
}

static void
bt_preferences_window_finalize (GObject *object)
{
  BtPreferencesWindow *self = BT_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->url_rows, g_hash_table_unref);
  g_free (self->error);

  G_OBJECT_CLASS (bt_preferences_window_parent_class)->finalize (object);
}

static void
bt_preferences_window_class_init (BtPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bt_preferences_window_dispose;
  object_class->finalize = bt_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/btcturbo/BtcTurbo/ui/bt-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, report_switch);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, report_time_row);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, market_spin);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, onchain_spin);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, position_spin);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, sources_group);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, sources_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_report_time_apply_cb);
}

static void
bt_preferences_window_init (BtPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->url_rows = g_hash_table_new (g_str_hash, g_str_equal);
}

BtPreferencesWindow *
bt_preferences_window_new (GSettings *settings)
{
  BtPreferencesWindow *self;
  char buf[8];
  guint minutes;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BT_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "notifications", self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "daily-report-notification", self->report_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "market-interval", self->market_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "onchain-interval", self->onchain_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "position-interval", self->position_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);

  minutes = g_settings_get_uint (settings, "daily-report-time");
  g_snprintf (buf, sizeof buf, "%02u:%02u", minutes / 60, minutes % 60);
  gtk_editable_set_text (GTK_EDITABLE (self->report_time_row), buf);
  build_sources (self);
  return self;
}

gboolean
bt_preferences_window_apply_text (BtPreferencesWindow *self,
                                  const char          *key,
                                  const char          *text)
{
  g_return_val_if_fail (BT_IS_PREFERENCES_WINDOW (self), FALSE);
  g_return_val_if_fail (key != NULL && text != NULL, FALSE);

  if (g_str_equal (key, "daily-report-time"))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->report_time_row), text);
      return apply_report_time (self, text);
    }
  if (g_str_has_prefix (key, "base-url:"))
    {
      AdwEntryRow *row = g_hash_table_lookup (self->url_rows, key + strlen ("base-url:"));

      if (row == NULL)
        return FALSE;
      gtk_editable_set_text (GTK_EDITABLE (row), text);
      return apply_base_url (self, key + strlen ("base-url:"), text);
    }
  return FALSE;
}

const char *
bt_preferences_window_get_error (BtPreferencesWindow *self)
{
  g_return_val_if_fail (BT_IS_PREFERENCES_WINDOW (self), NULL);
  return self->error;
}
