/* fuzz-import.c: a CSV file through bt_import_file, the importer's public
 * function, into a store (SQLite's in-memory database).
 *
 * The input is OPTIONS, a NUL byte, then the file's bytes.  OPTIONS is one
 * byte today: the format asked for (auto, ohlcv, coinmetrics, v1,
 * indicators).  Input without a NUL is a file imported with "auto".  More
 * options (a column mapping, for instance) go between the format byte and
 * the NUL, so existing corpora stay valid.
 *
 * The contract checked: an import either succeeds with data rows, or fails
 * with one line "FILE:LINE: problem" and leaves the database exactly as it
 * was (its data version unchanged). */
#include <glib/gstdio.h>

#include "bt-import.h"
#include "bt-store.h"
#include "fuzz-common.h"

static BtStore *store;
static char *dir;
static char *csv_path;

static void
remove_dir (void)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_clear_object (&store);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      g_remove (child);
    }
  g_rmdir (dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ();
  g_autofree char *template = g_build_filename (base, "bt-fuzz-import-XXXXXX", NULL);

  fuzz_common_init ();
  dir = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (dir);
  csv_path = g_build_filename (dir, "input.csv", NULL);
  /* SQLite's in-memory database: the same SQL, transactions and all */
  store = bt_store_open (":memory:", &error);
  g_assert_no_error (error);
  atexit (remove_dir);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *nul = memchr (data, '\0', size);
  BtImportFormat format = BT_IMPORT_FORMAT_AUTO;
  const uint8_t *file = data;
  size_t file_size = size;
  BtImportStats stats;
  GError *error = NULL;
  guint64 version;
  gboolean ok;

  if (nul != NULL)
    {
      if (nul > data)
        format = (BtImportFormat) (data[0] % BT_N_IMPORT_FORMATS);
      file = nul + 1;
      file_size = size - (size_t) (file - data);
    }
  if (!g_file_set_contents (csv_path, (const char *) file, (gssize) file_size, &error))
    g_error ("%s", error->message);

  version = bt_store_get_data_version (store);
  ok = bt_import_file (store, csv_path, format, &stats, &error);
  fuzz_check_error (ok, error, "the import");
  if (ok && stats.rows_read == 0)
    {
      g_printerr ("an import without data rows succeeded\n");
      abort ();
    }
  if (!ok)
    {
      /* "FILE:LINE: problem" names the file */
      if (!g_str_has_prefix (error->message, csv_path))
        {
          g_printerr ("the error does not name the file: %s\n", error->message);
          abort ();
        }
      if (bt_store_get_data_version (store) != version)
        {
          g_printerr ("a failed import changed the database\n");
          abort ();
        }
      g_error_free (error);
    }
  return 0;
}
