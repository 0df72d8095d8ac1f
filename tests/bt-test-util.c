/* bt-test-util.c: temporary directories and databases shared by the tests. */
#include <math.h>

#include <glib/gstdio.h>

#include "bt-base.h"
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
bt_test_tmp_path (const char *root,
                  const char *name)
{
  g_autofree char *dir = bt_test_make_tmpdir (root);

  return g_build_filename (dir, name, NULL);
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

/* ---- a run's private directory ------------------------------------------ */

char *
bt_test_make_root (const char *template_)
{
  char *root = g_dir_make_tmp (template_, NULL);

  g_assert_nonnull (root);
  return root;
}

int
bt_test_run_in_root (char *root)
{
  int status = g_test_run ();

  bt_test_remove_tree (root);
  g_free (root);
  return status;
}

/* ---- the real history beside the checkout -------------------------------- */

char *
bt_test_shared_path (const char *name)
{
  const char *dir = g_getenv ("BT_SHARED_DATA");

  return dir != NULL ? g_build_filename (dir, name, NULL) : NULL;
}

char **
bt_test_read_shared_lines (const char  *name,
                           char       **path_out)
{
  g_autofree char *path = bt_test_shared_path (name);
  g_autofree char *text = NULL;

  if (path == NULL)
    {
      g_test_skip ("BT_SHARED_DATA is not set");
      return NULL;
    }
  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      g_test_skip_printf ("%s is not there", name);
      return NULL;
    }
  if (path_out != NULL)
    *path_out = g_steal_pointer (&path);
  return g_strsplit (text, "\n", -1);
}

int
bt_test_csv_column (const char *header,
                    const char *name)
{
  g_auto(GStrv) fields = g_strsplit (header, ",", -1);

  for (int i = 0; fields[i] != NULL; i++)
    if (g_str_equal (g_strstrip (fields[i]), name))
      return i;
  return -1;
}

BtDay
bt_test_day (const char *text)
{
  BtDay d;

  g_assert_true (bt_day_parse (text, &d));
  return d;
}

void
bt_test_assert_close (double want,
                      double have,
                      double eps)
{
  if (isnan (want))
    {
      g_assert_true (isnan (have));
      return;
    }
  g_assert_false (isnan (have));
  g_assert_cmpfloat_with_epsilon (have, want, eps * MAX (1.0, fabs (want)));
}

void
bt_test_set_indicator (BtIndicatorTable *t,
                       BtIndicator       ind,
                       guint             i,
                       double            v,
                       BtFlag            flag)
{
  t->value[ind][i] = v;
  t->flag[ind][i] = flag;
  t->source[ind][i] = BT_SOURCE_COMPUTED;
}

/* ---- waiting for an asynchronous call ---- */

void
bt_test_result_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
bt_test_wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}
