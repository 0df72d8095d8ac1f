/* bt-test-util.c: temporary directories and databases shared by the tests. */
#include <glib/gstdio.h>

#include "bt-test-util.h"

void
bt_test_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        bt_test_remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

char *
bt_test_make_tmpdir (const char *root)
{
  char *dir = g_build_filename (root, "XXXXXX", NULL);

  g_assert_nonnull (g_mkdtemp (dir));
  return dir;
}

char *
bt_test_temp_db (const char *template_)
{
  g_autofree char *dir = g_dir_make_tmp (template_, NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, "test.sqlite", NULL);
}

void
bt_test_remove_db (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  bt_test_remove_tree (dir);
}

BtStore *
bt_test_open_tmp_store (const char  *root,
                        char       **dir_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = bt_test_make_tmpdir (root);
  g_autofree char *path = g_build_filename (dir, "test.sqlite", NULL);
  BtStore *store = bt_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  if (dir_out != NULL)
    *dir_out = g_steal_pointer (&dir);
  return store;
}
