/* test-app.c: the application as it starts for real (its resources
 * registered by its own startup, not by the test): the shortcuts window,
 * the page icons with the Cairo renderer, Quit, and `btc-turbo --db OTHER`
 * while an instance runs. */
#define G_LOG_DOMAIN "bt-test"

#include <glib/gstdio.h>
#include <string.h>

#include <adwaita.h>

#include "bt-application.h"
#include "bt-application-private.h"
#include "bt-window.h"
#include "bt-test-events.h"
#include "bt-test-util.h"
#include "test-ui-common.h"

static char *tmp_dir;
/* one primary instance for the whole program: the bus name is its own */
static BtApplication *app;

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static void
save_png (GtkWidget  *widget,
          const char *name)
{
  const char *dir = g_getenv ("BT_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_mkdir_with_parents (dir, 0755);
  file = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, file);
}

static void
start_app (const char *db)
{
  g_autoptr(GError) error = NULL;

  app = bt_application_new ();
  bt_application_set_db_path (app, db);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (app)));
  g_application_activate (G_APPLICATION (app));
  spin (500);
}

static void
stop_app (void)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));
  spin (50);
  g_clear_object (&app);
}

static BtWindow *
window_of (const char *db)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (bt_window_get_session (l->data) != NULL
        && g_strcmp0 (bt_session_get_db_path (bt_window_get_session (l->data)), db) == 0)
      return l->data;
  return NULL;
}

static gboolean
is_primary_menu (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget));
}

/* At 360 px, with the window buttons of the desktop (minimize, maximize
 * and close here), the title stays clear of the main menu's button. */
static void
test_narrow_title (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GtkWidget *title, *menu;
  graphene_rect_t title_bounds, menu_bounds;
  GtkWidget *header;

  gtk_window_set_default_size (window, 360, 720);
  spin (500);
  save_png (GTK_WIDGET (window), "app-narrow.png");
  header = test_ui_find_type (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR);
  title = test_ui_find_type (header, ADW_TYPE_VIEW_SWITCHER_TITLE);
  menu = test_ui_find (header, is_primary_menu, NULL);
  g_assert_nonnull (title);
  g_assert_nonnull (menu);
  g_assert_true (gtk_widget_compute_bounds (title, GTK_WIDGET (window), &title_bounds));
  g_assert_true (gtk_widget_compute_bounds (menu, GTK_WIDGET (window), &menu_bounds));
  g_test_message ("title %.0f…%.0f, menu button %.0f…%.0f", title_bounds.origin.x,
                  title_bounds.origin.x + title_bounds.size.width, menu_bounds.origin.x,
                  menu_bounds.origin.x + menu_bounds.size.width);
  g_assert_cmpfloat (title_bounds.origin.x + title_bounds.size.width, <=, menu_bounds.origin.x);
  gtk_window_set_default_size (window, 1100, 760);
  spin (200);
}

/* Ctrl+? and the menu item open the shortcuts window; the page icons and
 * the style sheet come from the resources at startup; Ctrl+Q quits. */
static void
test_startup_resources (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "first.sqlite", NULL);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_auto(GStrv) help_accels = NULL;
  g_auto(GStrv) quit_accels = NULL;
  GtkIconTheme *theme;
  GtkWindow *shortcuts;
  const char *pages[] = { "bt-dashboard-symbolic", "bt-market-symbolic", "bt-position-symbolic",
                          "bt-backtest-symbolic", "bt-alerts-symbolic" };

  g_assert_true (BT_IS_WINDOW (window));
  save_png (GTK_WIDGET (window), "app-window.png");

  /* the page icons, found in the resources, at the header's size */
  theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(GtkIconPaintable) icon = NULL;
      g_autoptr(GFile) file = NULL;
      g_autofree char *uri = NULL;

      g_assert_true (gtk_icon_theme_has_icon (theme, pages[i]));
      icon = gtk_icon_theme_lookup_icon (theme, pages[i], NULL, 16, 1, GTK_TEXT_DIR_LTR, 0);
      file = gtk_icon_paintable_get_file (icon);
      g_assert_nonnull (file);
      uri = g_file_get_uri (file);
      g_assert_true (g_str_has_prefix (uri, "resource:///io/github/btcturbo/BtcTurbo/icons/"));
      g_assert_true (gtk_icon_paintable_is_symbolic (icon));
    }

  /* the shortcuts window: its accelerator and its action, then open */
  help_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay");
  g_assert_true (g_strv_contains ((const char *const *) help_accels, "<Control>question"));
  quit_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_true (g_strv_contains ((const char *const *) quit_accels, "<Control>q"));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_null (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  spin (400);
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  save_png (GTK_WIDGET (shortcuts), "shortcuts.png");
  gtk_window_close (shortcuts);
  spin (50);

  /* Quit */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "quit"));
  g_assert_nonnull (window_of (db));
}

/* `btc-turbo --db OTHER` while an instance runs: the running instance
 * opens a window on OTHER (and the first one stays on its database). */
static void
test_db_with_running_instance (void)
{
  const char *exe = g_getenv ("BT_UI_EXE");
  g_autofree char *db = g_build_filename (tmp_dir, "first.sqlite", NULL);
  g_autofree char *other = g_build_filename (tmp_dir, "other.sqlite", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  gint64 end;

  if (exe == NULL || !g_file_test (exe, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("BT_UI_EXE is not built");
      return;
    }
  g_assert_nonnull (window_of (db));
  g_assert_null (window_of (other));

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  /* a relative path: resolved in the second command's directory */
  g_subprocess_launcher_set_cwd (launcher, tmp_dir);
  child = g_subprocess_launcher_spawn (launcher, &error, exe, "--db", "other.sqlite", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (child, NULL, bt_test_result_cb, &res);
  /* a safety net only */
  end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (res == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (res);
  g_assert_true (g_subprocess_wait_finish (child, res, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);
  spin (200);

  g_assert_nonnull (window_of (db));
  g_assert_nonnull (window_of (other));
  g_assert_nonnull (bt_window_get_session (window_of (other)));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* no network: the application's collectors stay off */
  g_setenv ("BT_OFFLINE", "1", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("bt-ui-app-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/app/startup-resources", test_startup_resources);
  g_test_add_func ("/ui/app/narrow-title", test_narrow_title);
  g_test_add_func ("/ui/app/db-with-running-instance", test_db_with_running_instance);
  {
    g_autofree char *db = g_build_filename (tmp_dir, "first.sqlite", NULL);

    start_app (db);
  }
  status = g_test_run ();
  stop_app ();
  bt_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
