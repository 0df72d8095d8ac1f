/* test-notifications.c: BTC Turbo's desktop notifications, end to end.
 *
 * The test owns org.gtk.Notifications on the session bus (dbus-run-session)
 * with an object that records AddNotification / RemoveNotification, and
 * GNOTIFICATION_BACKEND=gtk makes GApplication send there whatever else the
 * machine offers.  Alerts and reports reach the session the way the
 * scheduler delivers them: stored, then announced by its signals. */
#define G_LOG_DOMAIN "bt-test"

#include <glib/gstdio.h>
#include <math.h>

#include "bt-application.h"
#include "bt-base.h"
#include "bt-session.h"
#include "bt-session-private.h"
#include "bt-store.h"
#include "bt-window.h"
#include "bt-window-private.h"
#include "test-ui-common.h"
#include "bt-alerts-page-private.h"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' name='app_id' direction='in'/>"
  "      <arg type='s' name='id' direction='in'/>"
  "      <arg type='a{sv}' name='notification' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' name='app_id' direction='in'/>"
  "      <arg type='s' name='id' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct
{
  char     *method;        /* "AddNotification" or "RemoveNotification" */
  char     *app_id;
  char     *id;
  GVariant *notification;  /* a{sv}, NULL for a removal */
} Call;

static void
call_free (gpointer data)
{
  Call *call = data;

  g_free (call->method);
  g_free (call->app_id);
  g_free (call->id);
  g_clear_pointer (&call->notification, g_variant_unref);
  g_free (call);
}

static BtApplication *the_app;

typedef struct
{
  GDBusConnection *bus;
  guint            registration;
  guint            owner;
  gboolean         owned;
  gboolean         lost;
  GPtrArray       *calls;

  char            *dir;
  char            *db_path;
  GSettings       *settings;
  BtApplication   *app;           /* the_app */
  BtWindow        *window;
  BtSession       *session;
  BtStore         *store;
} Fixture;

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  Fixture *f = user_data;
  Call *call = g_new0 (Call, 1);

  call->method = g_strdup (method_name);
  if (g_str_equal (method_name, "AddNotification"))
    g_variant_get (parameters, "(ss@a{sv})", &call->app_id, &call->id, &call->notification);
  else
    g_variant_get (parameters, "(ss)", &call->app_id, &call->id);
  g_ptr_array_add (f->calls, call);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = { method_call_cb, NULL, NULL, { 0 } };

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((Fixture *) user_data)->owned = TRUE;
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  ((Fixture *) user_data)->lost = TRUE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;

  f->calls = g_ptr_array_new_with_free_func (call_free);
  f->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (f->bus == NULL)
    return;

  /* the notification server, before GApplication picks its backend */
  info = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  g_assert_no_error (error);
  f->registration = g_dbus_connection_register_object (f->bus, "/org/gtk/Notifications",
                                                       info->interfaces[0], &vtable, f, NULL,
                                                       &error);
  g_assert_no_error (error);
  f->owner = g_bus_own_name_on_connection (f->bus, "org.gtk.Notifications",
                                           G_BUS_NAME_OWNER_FLAGS_REPLACE, name_acquired_cb,
                                           name_lost_cb, f, NULL);
  TEST_UI_WAIT_UNTIL (f->owned || f->lost);
  g_assert_true (f->owned);

  f->dir = g_dir_make_tmp ("bt-ui-notify-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "btc-turbo.sqlite", NULL);
  f->settings = g_settings_new (APP_ID);

  /* one application for the whole program: it exports its object path */
  if (the_app == NULL)
    {
      the_app = bt_application_new ();
      g_application_set_flags (G_APPLICATION (the_app), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (the_app), NULL, &error);
      g_assert_no_error (error);
    }
  f->app = the_app;
  g_assert_nonnull (g_application_get_dbus_connection (G_APPLICATION (f->app)));
  g_assert_true (g_application_get_default () == G_APPLICATION (f->app));

  f->window = bt_window_new (GTK_APPLICATION (f->app));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (f->window));
  f->session = test_ui_attach_session (f->window, f->db_path, f->settings);
  test_ui_wait_drawn (GTK_WIDGET (f->window));
  f->store = bt_store_open (f->db_path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->bus == NULL)
    {
      g_ptr_array_unref (f->calls);
      return;
    }
  g_clear_object (&f->store);
  g_clear_object (&f->session);
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_ui_spin (20);
  g_settings_reset (f->settings, "notifications");
  g_clear_object (&f->settings);
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (f->dir, name, NULL);
        g_remove (child);
      }
    g_rmdir (f->dir);
  }
  g_free (f->db_path);
  g_free (f->dir);
  g_bus_unown_name (f->owner);
  g_dbus_connection_unregister_object (f->bus, f->registration);
  g_clear_object (&f->bus);
  g_ptr_array_unref (f->calls);
}

/* Nothing the application sent before now is still on its way: a call of
 * our own, from the same connection (the session bus the application uses)
 * to the same name, arrives after all of them (the bus keeps the order of
 * one sender's messages to one receiver) and is dispatched after them. */
static void
settle (Fixture *f)
{
  static guint n_barriers;
  g_autofree char *id = g_strdup_printf ("barrier-%u", ++n_barriers);
  GDBusConnection *connection = g_application_get_dbus_connection (G_APPLICATION (f->app));
  gboolean seen = FALSE;

  g_assert_true (connection == f->bus);
  g_dbus_connection_call (connection, "org.gtk.Notifications", "/org/gtk/Notifications",
                          "org.gtk.Notifications", "RemoveNotification",
                          g_variant_new ("(ss)", "bt-test-barrier", id), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
  TEST_UI_WAIT_UNTIL ((seen = f->calls->len > 0
                       && g_str_equal (((Call *) g_ptr_array_index (f->calls, f->calls->len - 1))->id, id)));
  g_assert_true (seen);
  g_ptr_array_remove_index (f->calls, f->calls->len - 1);
}

/* Run the main loop until N calls were recorded, then make sure nothing
 * more is on its way. */
static void
wait_calls (Fixture *f,
            guint    n)
{
  TEST_UI_WAIT_UNTIL (f->calls->len >= n);
  settle (f);
}

static const Call *
call_at (Fixture *f,
         guint    i)
{
  g_assert_cmpuint (i, <, f->calls->len);
  return g_ptr_array_index (f->calls, i);
}

static void
assert_added (const Call *call,
              gint64      alert_id,
              const char *title,
              const char *body,
              const char *priority)
{
  g_autofree char *id = g_strdup_printf ("alert-%" G_GINT64_FORMAT, alert_id);
  const char *s = NULL;
  g_autoptr(GVariant) target = NULL;

  g_assert_cmpstr (call->method, ==, "AddNotification");
  g_assert_cmpstr (call->app_id, ==, APP_ID);
  g_assert_cmpstr (call->id, ==, id);
  g_assert_true (g_variant_lookup (call->notification, "title", "&s", &s));
  g_assert_cmpstr (s, ==, title);
  g_assert_true (g_variant_lookup (call->notification, "body", "&s", &s));
  g_assert_cmpstr (s, ==, body);
  g_assert_true (g_variant_lookup (call->notification, "priority", "&s", &s));
  g_assert_cmpstr (s, ==, priority);
  /* clicking it runs app.show-alert with the alert's id */
  g_assert_true (g_variant_lookup (call->notification, "default-action", "&s", &s));
  g_assert_cmpstr (s, ==, "app.show-alert");
  target = g_variant_lookup_value (call->notification, "default-action-target", NULL);
  g_assert_nonnull (target);
  g_assert_true (g_variant_is_of_type (target, G_VARIANT_TYPE_INT64));
  g_assert_cmpint (g_variant_get_int64 (target), ==, alert_id);
}

static void
assert_removed (const Call *call,
                gint64      alert_id)
{
  g_autofree char *id = g_strdup_printf ("alert-%" G_GINT64_FORMAT, alert_id);

  g_assert_cmpstr (call->method, ==, "RemoveNotification");
  g_assert_cmpstr (call->app_id, ==, APP_ID);
  g_assert_cmpstr (call->id, ==, id);
}

static gint64
raise_alert (Fixture    *f,
             BtAlertKind kind,
             const char *key,
             BtSeverity  severity,
             const char *message)
{
  g_autoptr(GError) error = NULL;
  gint64 id = bt_store_insert_alert (f->store, kind, key, severity, message, "{}",
                                     g_get_real_time () / G_USEC_PER_SEC, &error);

  g_assert_no_error (error);
  g_signal_emit_by_name (bt_context_get_scheduler (bt_session_get_context (f->session)), "alert-raised", id);
  return id;
}

static void
test_alert_notifications (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BtAlertsPage *page;
  gint64 critical, warning, later;

  if (f->bus == NULL)
    {
      g_test_skip ("No session bus: run under dbus-run-session");
      return;
    }
  page = bt_window_get_alerts_page (f->window);

  /* WARNING and CRITICAL notify; INFO does not */
  critical = raise_alert (f, BT_ALERT_HEALTH_FACTOR, "health_factor", BT_SEVERITY_CRITICAL,
                          "Health factor 1.21 is below 1.25");
  raise_alert (f, BT_ALERT_MARKET_SCORE_CROSS, "market_score", BT_SEVERITY_INFO,
                      "Market score crossed 60 upwards");
  warning = raise_alert (f, BT_ALERT_PRICE_MOVE, "price_move", BT_SEVERITY_WARNING,
                         "BTC moved −11.2 % in 24 hours");
  wait_calls (f, 2);
  g_assert_cmpuint (f->calls->len, ==, 2);
  assert_added (call_at (f, 0), critical, "Critical BTC Turbo Alert",
                "Health factor 1.21 is below 1.25", "urgent");
  assert_added (call_at (f, 1), warning, "BTC Turbo Alert", "BTC moved −11.2 % in 24 hours",
                "high");
  g_assert_cmpuint (bt_alerts_page_get_n_active (page), ==, 3);

  /* the notification's action opens the Alerts page on that alert */
  bt_window_set_page (f->window, "dashboard");
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "show-alert",
                                  g_variant_new_int64 (warning));
  g_assert_cmpstr (bt_window_get_page (f->window), ==, "alerts");

  /* acknowledging an alert withdraws its notification */
  bt_alerts_page_acknowledge (page, critical);
  wait_calls (f, 3);
  g_assert_cmpuint (f->calls->len, ==, 3);
  assert_removed (call_at (f, 2), critical);

  /* so does clearing it (the condition no longer holds) */
  g_assert_true (bt_store_clear_alert (f->store, warning, g_get_real_time () / G_USEC_PER_SEC,
                                       &error));
  g_assert_no_error (error);
  g_signal_emit_by_name (bt_context_get_scheduler (bt_session_get_context (f->session)), "alert-cleared",
                         "price_move");
  wait_calls (f, 4);
  g_assert_cmpuint (f->calls->len, ==, 4);
  assert_removed (call_at (f, 3), warning);

  /* clearing a key with nothing shown sends nothing */
  g_signal_emit_by_name (bt_context_get_scheduler (bt_session_get_context (f->session)), "alert-cleared",
                         "market_score");
  settle (f);
  g_assert_cmpuint (f->calls->len, ==, 4);

  /* with notifications off in Preferences: none */
  g_settings_set_boolean (f->settings, "notifications", FALSE);
  later = raise_alert (f, BT_ALERT_PRICE_MOVE, "price_move", BT_SEVERITY_CRITICAL,
                       "BTC moved −21.0 % in 24 hours");
  settle (f);
  g_assert_cmpuint (f->calls->len, ==, 4);
  g_assert_cmpuint (bt_alerts_page_get_n_active (page), ==, 2);

  /* on again: the next one notifies; turning them off withdraws it */
  g_settings_set_boolean (f->settings, "notifications", TRUE);
  later = raise_alert (f, BT_ALERT_LIQUIDATION_DISTANCE, "liquidation_distance",
                       BT_SEVERITY_WARNING, "Liquidation is 14.0 % away");
  wait_calls (f, 5);
  g_assert_cmpuint (f->calls->len, ==, 5);
  assert_added (call_at (f, 4), later, "BTC Turbo Alert", "Liquidation is 14.0 % away", "high");
  g_settings_set_boolean (f->settings, "notifications", FALSE);
  wait_calls (f, 6);
  g_assert_cmpuint (f->calls->len, ==, 6);
  assert_removed (call_at (f, 5), later);
}

static void
test_report_notification (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("Date,Open,High,Low,Close,Volume\n");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  BtDay first = bt_day_from_ymd (2022, 1, 1);
  const char *s = NULL;
  const Call *call;

  if (f->bus == NULL)
    {
      g_test_skip ("No session bus: run under dbus-run-session");
      return;
    }

  /* 400 days from 2022-01-01: the last one is 2023-02-04 */
  path = g_build_filename (f->dir, "history.csv", NULL);
  for (guint i = 0; i < 400; i++)
    {
      char day[16], c[G_ASCII_DTOSTR_BUF_SIZE];

      bt_format_double (round (20000 * (1 + 0.002 * i + 0.05 * sin (i * 0.1))), c);
      g_string_append_printf (csv, "%s,%s,%s,%s,%s,1000\n", bt_day_format (first + i, day), c, c, c,
                              c);
    }
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, &error));
  test_ui_import_file (f->session, path);

  g_signal_emit_by_name (bt_context_get_scheduler (bt_session_get_context (f->session)), "report-ready",
                         (int) (first + 399));
  wait_calls (f, 1);
  g_assert_cmpuint (f->calls->len, ==, 1);
  call = call_at (f, 0);
  g_assert_cmpstr (call->method, ==, "AddNotification");
  g_assert_cmpstr (call->id, ==, "daily-report");
  g_assert_true (g_variant_lookup (call->notification, "title", "&s", &s));
  g_assert_cmpstr (s, ==, "BTC Turbo Daily Report");
  g_assert_true (g_variant_lookup (call->notification, "body", "&s", &s));
  g_test_message ("report: %s", s);
  g_assert_true (g_str_has_prefix (s, "4 Feb 2023: market score "));
  g_assert_true (g_variant_lookup (call->notification, "default-action", "&s", &s));
  g_assert_cmpstr (s, ==, "app.show-page");

  /* a day without data: no report notification */
  g_signal_emit_by_name (bt_context_get_scheduler (bt_session_get_context (f->session)), "report-ready",
                         (int) (first + 500));
  settle (f);
  g_assert_cmpuint (f->calls->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* the org.gtk.Notifications backend, whatever the machine offers */
  g_setenv ("GNOTIFICATION_BACKEND", "gtk", TRUE);
  test_ui_init (&argc, &argv);

  g_test_add ("/ui/notifications/alerts", Fixture, NULL, fixture_set_up,
              test_alert_notifications, fixture_tear_down);
  g_test_add ("/ui/notifications/daily-report", Fixture, NULL, fixture_set_up,
              test_report_notification, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&the_app);
  return status;
}
