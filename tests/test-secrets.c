/* Secrets: the environment before the keyring for the command line, and
 * a store → lookup → clear round trip through a Secret Service of the
 * test's own. */
#include <gio/gio.h>
#include <string.h>

#include "bt-secrets.h"
#include "bt-secrets-private.h"
#include "bt-test-util.h"

static void
test_secrets_env (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("BT_NOTION_TOKEN"));
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (bt_secret_env_name (BT_SECRET_NOTION), ==, "BT_NOTION_TOKEN");
  g_assert_cmpstr (bt_secret_env_name (BT_SECRET_RPC), ==, "BT_ETH_RPC_URL");
  /* the environment wins over the keyring (which is not even asked) */
  g_setenv ("BT_NOTION_TOKEN", "secret_from-env", TRUE);
  token = bt_secrets_lookup_for_cli (BT_SECRET_NOTION, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "secret_from-env");
  g_clear_pointer (&token, g_free);
  g_setenv ("BT_ETH_RPC_URL", "https://rpc.example/key", TRUE);
  token = bt_secrets_lookup_for_cli (BT_SECRET_RPC, &error);
  g_assert_cmpstr (token, ==, "https://rpc.example/key");
  g_unsetenv ("BT_ETH_RPC_URL");
  if (saved != NULL)
    g_setenv ("BT_NOTION_TOKEN", saved, TRUE);
  else
    g_unsetenv ("BT_NOTION_TOKEN");
}

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has);
  return has;
}

/* the keyring's secret of KIND (NULL: none), asserting the lookup worked */
static char *
lookup (BtSecretKind kind)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  char *found;

  bt_secrets_lookup_async (kind, NULL, bt_test_result_cb, &res);
  found = bt_secrets_lookup_finish (bt_test_wait_result (&res), &error);
  g_assert_no_error (error);
  g_object_unref (res);
  return found;
}

/* store → lookup → clear against a Secret Service on the session bus: a
 * gnome-keyring-daemon of our own in a private HOME when none runs (the
 * suite runs under dbus-run-session); never a desktop's own keyring. */
static void
test_secrets_keyring (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *data = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("BT_NOTION_TOKEN"));
  g_autofree char *found = NULL;
  g_autofree char *daemon_path = g_find_program_in_path ("gnome-keyring-daemon");
  GAsyncResult *res = NULL;
  const char *argv[] = { "gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets", NULL };

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no session bus");
      return;
    }
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    {
      g_test_skip ("the session bus cannot be reached");
      return;
    }
  if (name_has_owner (bus, "org.freedesktop.secrets"))
    {
      g_test_skip ("a Secret Service already runs on this bus: its tokens are left alone");
      return;
    }
  if (daemon_path == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }
  home = g_dir_make_tmp ("bt-keyring-XXXXXX", NULL);
  g_assert_nonnull (home);
  data = g_build_filename (home, "data", NULL);
  runtime = g_build_filename (home, "run", NULL);
  g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  daemon = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  {
    /* the throwaway login keyring's password (an empty one creates no
     * default collection), then end of input */
    GOutputStream *in = g_subprocess_get_stdin_pipe (daemon);

    g_output_stream_write_all (in, "btc-turbo-test", 14, NULL, NULL, NULL);
    g_output_stream_close (in, NULL, NULL);
  }
  for (int i = 0; i < 100 && !name_has_owner (bus, "org.freedesktop.secrets"); i++)
    g_usleep (50 * 1000);
  if (!name_has_owner (bus, "org.freedesktop.secrets"))
    {
      g_subprocess_force_exit (daemon);
      g_subprocess_wait (daemon, NULL, NULL);
      bt_test_remove_tree (home);
      g_test_skip ("gnome-keyring-daemon did not start");
      return;
    }
  g_unsetenv ("BT_NOTION_TOKEN");

  bt_secrets_store_async (BT_SECRET_NOTION, "secret_round-trip-token", NULL, bt_test_result_cb, &res);
  g_assert_true (bt_secrets_store_finish (bt_test_wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  found = lookup (BT_SECRET_NOTION);
  g_assert_cmpstr (found, ==, "secret_round-trip-token");
  g_clear_pointer (&found, g_free);
  /* the command line finds it there when the environment has none */
  found = bt_secrets_lookup_for_cli (BT_SECRET_NOTION, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "secret_round-trip-token");
  g_clear_pointer (&found, g_free);
  /* the other kind is a separate item */
  g_assert_null (lookup (BT_SECRET_RPC));
  bt_secrets_clear_async (BT_SECRET_NOTION, NULL, bt_test_result_cb, &res);
  g_assert_true (bt_secrets_clear_finish (bt_test_wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_null (lookup (BT_SECRET_NOTION));

  if (saved != NULL)
    g_setenv ("BT_NOTION_TOKEN", saved, TRUE);
  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);
  bt_test_remove_tree (home);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/secrets/env", test_secrets_env);
  g_test_add_func ("/core/secrets/keyring", test_secrets_keyring);
  return g_test_run ();
}
