/* bt-application.c: the BTC Turbo application (AdwApplication). */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>

#include "bt-application.h"
#include "bt-application-private.h"
#include "bt-preferences-window.h"
#include "bt-resources.h"
#include "bt-session.h"
#include "bt-window.h"

struct _BtApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *db_path;
};

G_DEFINE_FINAL_TYPE (BtApplication, bt_application, ADW_TYPE_APPLICATION)

/* A window showing the database at DB_PATH, made when there is none. */
static BtWindow *
window_for_db (BtApplication *self,
               const char    *db_path)
{
  BtWindow *window = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BtSession) session = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (BT_IS_WINDOW (l->data) && bt_window_get_session (l->data) != NULL
        && g_strcmp0 (bt_session_get_db_path (bt_window_get_session (l->data)), db_path) == 0)
      return BT_WINDOW (l->data);

  window = bt_window_new (GTK_APPLICATION (self));
  session = bt_session_new (db_path, bt_application_get_settings (self), &error);
  if (session == NULL)
    {
      /* Translators: %s says why the database could not be opened */
      g_autofree char *message = g_strdup_printf (_("Could not open the database: %s"),
                                                  error->message);
      bt_window_add_toast_full (window, message, NULL, NULL, 0);
    }
  else
    {
      bt_window_set_session (window, session);
      if (g_getenv ("BT_OFFLINE") == NULL)
        bt_session_start (session);
    }
  return window;
}

static BtWindow *
ensure_window (BtApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL && BT_IS_WINDOW (window))
    return BT_WINDOW (window);
  return window_for_db (self, self->db_path);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  BtApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* close each window so its state is saved */
  for (GList *l = windows; l != NULL; )
    {
      GList *next = l->next;

      gtk_window_close (GTK_WINDOW (l->data));
      l = next;
    }
  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  BtApplication *self = user_data;
  static const char *developers[] = { "The BTC Turbo authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-icon", APP_ID,
                        "application-name", _("BTC Turbo"),
                        "developer-name", _("The BTC Turbo authors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Disciplined decisions for leveraged Bitcoin on Aave. "
                                      "BTC Turbo gives information, not financial advice."),
                        "website", "https://github.com/btcturbo/btc-turbo",
                        "issue-url", "https://github.com/btcturbo/btc-turbo/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BtApplication *self = user_data;
  BtWindow *window = ensure_window (self);
  BtPreferencesWindow *prefs = bt_preferences_window_new (self->settings);
  BtSession *session = bt_window_get_session (window);

  if (session != NULL)
    {
      bt_preferences_window_set_engine (prefs, bt_context_get_engine (bt_session_get_context (session)));
      g_signal_connect_object (prefs, "rules-changed", G_CALLBACK (bt_session_rules_changed), session,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (prefs, "wallets-changed", G_CALLBACK (bt_session_wallets_changed),
                               session, G_CONNECT_SWAPPED);
    }

  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (prefs));
}

/* A notification's action: the Alerts page with that alert selected
 * (show-alert), or one of the pages by name (show-page, the daily
 * report's). */
static void
show_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  BtWindow *window = ensure_window (user_data);

  if (g_variant_is_of_type (parameter, G_VARIANT_TYPE_INT64))
    bt_window_show_alert (window, g_variant_get_int64 (parameter));
  else
    bt_window_set_page (window, g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "preferences", preferences_action, NULL, NULL, NULL, { 0 } },
  { "show-alert", show_action, "x", NULL, NULL, { 0 } },
  { "show-page", show_action, "s", NULL, NULL, { 0 } },
};

/* In the primary instance, for its own command line and for those of
 * later `btc-turbo` runs: `--db PATH` opens (or shows) a window on that
 * database, even while another one is open. */
static int
bt_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  BtApplication *self = BT_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree char *db = NULL;
  BtWindow *window;

  if (g_variant_dict_lookup (options, "db", "^ay", &db))
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, db);
      g_autofree char *path = g_file_get_path (file);

      if (path == NULL)
        {
          /* Translators: %s is what was given after --db */
          g_application_command_line_printerr (command_line,
                                               _("--db needs a local file: %s\n"), db);
          return 2;
        }
      if (gtk_application_get_windows (GTK_APPLICATION (self)) == NULL)
        bt_application_set_db_path (self, path);
      window = window_for_db (self, path);
    }
  else
    window = ensure_window (self);
  gtk_window_present (GTK_WINDOW (window));
  return 0;
}

static void
bt_application_startup (GApplication *app)
{
  BtApplication *self = BT_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *refresh_accels[] = { "<Control>r", "F5", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };

  /* the resources first: GtkApplication looks for gtk/help-overlay.ui (the
   * shortcuts window), AdwApplication for style.css, and the icons under
   * the resource base path while starting up */
  bt_ui_init ();
  G_APPLICATION_CLASS (bt_application_parent_class)->startup (app);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.refresh", refresh_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         help_accels);
}

static void
bt_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (ensure_window (BT_APPLICATION (app))));
}

static void
bt_application_finalize (GObject *object)
{
  BtApplication *self = BT_APPLICATION (object);

  g_clear_object (&self->settings);
  g_free (self->db_path);

  G_OBJECT_CLASS (bt_application_parent_class)->finalize (object);
}

static void
bt_application_class_init (BtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = bt_application_finalize;
  app_class->command_line = bt_application_command_line;
  app_class->startup = bt_application_startup;
  app_class->activate = bt_application_activate;
}

static void
bt_application_init (BtApplication *self)
{
  static const GOptionEntry entries[] = {
    { "db", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
      N_("Use the database at PATH instead of the default one"), N_("PATH") },
    { NULL }
  };

  self->db_path = bt_store_dup_default_path ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("BTC Turbo: decisions for leveraged Bitcoin on Aave"));
}

BtApplication *
bt_application_new (void)
{
  return g_object_new (BT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/btcturbo/BtcTurbo",
                       NULL);
}

void
bt_application_set_db_path (BtApplication *self,
                            const char    *path)
{
  g_return_if_fail (BT_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  g_free (self->db_path);
  self->db_path = g_strdup (path);
}

GSettings *
bt_application_get_settings (BtApplication *self)
{
  g_return_val_if_fail (BT_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  return self->settings;
}

void
bt_ui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      bt_register_resource ();
      g_once_init_leave (&initialized, 1);
    }
}
