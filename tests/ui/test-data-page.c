/* test-data-page.c: the Data page (import batches with Remove and its
 * confirmation, source coverage, disagreements) and the import assistant
 * (preview, mapping, trial import, remembered mapping), on a real store.
 * PNGs go to $BT_SCREENSHOT_DIR (default: <builddir>/screenshots). */
#define G_LOG_DOMAIN "bt-test"

#include <string.h>

#include <glib/gstdio.h>

#include "bt-backtest-page.h"
#include "bt-backtest-page-private.h"
#include "bt-base.h"
#include "bt-data-page.h"
#include "bt-data-page-private.h"
#include "bt-engine.h"
#include "bt-import.h"
#include "bt-import-assistant.h"
#include "bt-import-assistant-private.h"
#include "bt-store.h"
#include "bt-ui-compat.h"
#include "bt-ui-util.h"
#include "bt-test-util.h"
#include "test-ui-common.h"

static char *tmp_dir;
static char *out_dir;

static char *
write_file (const char *name,
            const char *text)
{
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* A test on its own database (the file name is the test's data) and the
 * engine over it. */
typedef struct
{
  BtEngine *engine;
  BtStore  *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  db_name)
{
  g_autofree char *db = g_build_filename (tmp_dir, db_name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_store_open (db, &error);

  g_assert_no_error (error);
  f->engine = bt_engine_new (store);
  f->store = bt_engine_get_store (f->engine);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  db_name)
{
  g_clear_object (&f->engine);
}

/* Runs the main loop until CHECK (USER_DATA) holds; a safety net far above
 * a normal run, never an assertion about speed. */
static void
wait_until (gboolean (*check) (gpointer),
            gpointer  user_data)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!check (user_data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
dialog_shown (gpointer user_data)
{
  return bt_data_page_get_question (user_data) != NULL;
}

static gboolean
has_size (gpointer user_data)
{
  return gtk_widget_get_width (user_data) > 0 && gtk_widget_get_height (user_data) > 0;
}

static gboolean
one_batch_left (gpointer user_data)
{
  return bt_data_page_get_n_batches (user_data) == 1;
}

static void
on_data_changed_cb (BtDataPage *page,
                    guint      *count)
{
  (*count)++;
}

static void
test_data_page (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *a = write_file ("exchange.csv",
                                   "Date,Open,High,Low,Close,Volume\n"
                                   "2024-03-01,100,110,90,105,1\n"
                                   "2024-03-02,105,120,100,115,2\n"
                                   "2024-03-03,115,118,111,112,2\n");
  /* 2024-03-02: 115 against 118 (2.6 % apart); 03-03: 112 against 113 */
  g_autofree char *b = write_file ("coinmetrics.csv",
                                   "date,PriceUSD\n2024-03-02,118\n2024-03-03,113\n2024-03-04,116\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) merged = NULL;
  g_autoptr(GPtrArray) batches = NULL;
  GtkWidget *window = gtk_window_new ();
  g_autoptr(BtContext) context = NULL;
  BtDataPage *page;
  GtkWidget *dialog;
  guint changed = 0;

  g_assert_true (bt_import_file (f->store, a, BT_IMPORT_FORMAT_AUTO, NULL, &error));
  g_assert_true (bt_import_file (f->store, b, BT_IMPORT_FORMAT_AUTO, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bt_engine_recompute_from (f->engine, BT_DAY_INVALID, &error));

  context = bt_context_new (f->engine, NULL);
  page = g_object_new (BT_TYPE_DATA_PAGE, "context", context, NULL);
  g_signal_connect (page, "data-changed", G_CALLBACK (on_data_changed_cb), &changed);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 900);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  test_ui_wait_drawn (GTK_WIDGET (page));
  wait_until (has_size, page);
  g_assert_cmpuint (bt_data_page_get_n_batches (page), ==, 2);
  g_assert_cmpuint (bt_data_page_get_n_sources (page), ==, 2);
  g_assert_cmpuint (bt_data_page_get_n_disagreements (page), ==, 1);
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (page), "exchange.csv"));
  test_ui_save_png (window, out_dir, "data-page");

  /* Remove asks first; Cancel keeps everything */
  bt_data_page_remove_batch (page, 1);
  wait_until (dialog_shown, page);
  dialog = bt_data_page_get_question (page);
  test_ui_wait_drawn (GTK_WIDGET (dialog));
  wait_until (has_size, dialog);
  test_ui_save_png (GTK_WIDGET (dialog), out_dir, "data-page-remove-dialog");
  bt_ui_alert_respond (dialog, "cancel");     /* the dialog closes itself */
  test_ui_spin (50);
  g_assert_cmpuint (bt_data_page_get_n_batches (page), ==, 2);

  /* Remove + confirm: the exchange's batch goes; the reference closes are
   * the history again, the disagreement is gone */
  bt_data_page_remove_batch (page, 1);
  wait_until (dialog_shown, page);
  dialog = bt_data_page_get_question (page);
  bt_ui_alert_respond (dialog, "remove");
  wait_until (one_batch_left, page);
  while (changed == 0)
    g_main_context_iteration (NULL, TRUE);
  batches = bt_store_list_batches (f->store, &error);
  g_assert_cmpuint (batches->len, ==, 1);
  g_assert_cmpstr (((BtImportBatch *) batches->pdata[0])->file, ==, "coinmetrics.csv");
  merged = bt_store_list_merged_history (f->store, BT_DAY_INVALID, BT_DAY_INVALID, &error);
  g_assert_cmpuint (merged->len, ==, 3);
  g_assert_cmpfloat (g_array_index (merged, BtMergedDay, 0).close, ==, 118);
  g_assert_cmpuint (bt_data_page_get_n_disagreements (page), ==, 0);
  g_assert_cmpuint (bt_data_page_get_n_sources (page), ==, 1);
  /* the engine recomputed: the first day is now 2024-03-02 */
  g_assert_cmpint (bt_engine_get_first_day (f->engine), ==, bt_day_from_ymd (2024, 3, 2));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The Backtest page follows the data: once the last import is removed it
 * has no span to hold a period to, and no longer refuses dates as outside
 * data that are gone. */
static void
test_backtest_span_follows_data (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *path = write_file ("only.csv",
                                      "Date,Open,High,Low,Close,Volume\n"
                                      "2024-03-01,100,110,90,105,1\n"
                                      "2024-03-02,105,120,100,115,2\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batches = NULL;
  g_autoptr(BtContext) context = NULL;
  BtBacktestPage *page;

  g_assert_true (bt_import_file (f->store, path, BT_IMPORT_FORMAT_AUTO, NULL, &error));
  g_assert_true (bt_engine_recompute_from (f->engine, BT_DAY_INVALID, &error));
  g_assert_no_error (error);
  context = bt_context_new (f->engine, NULL);
  page = g_object_ref_sink (g_object_new (BT_TYPE_BACKTEST_PAGE, "context", context, NULL));

  /* 2020 lies before the two days of prices: refused */
  g_assert_true (bt_backtest_page_set_text (page, "start_date", "2020-01-01"));
  g_assert_true (bt_backtest_page_set_text (page, "end_date", "2020-12-31"));
  g_assert_nonnull (bt_backtest_page_get_error (page));

  batches = bt_store_list_batches (f->store, &error);
  g_assert_cmpuint (batches->len, ==, 1);
  g_assert_true (bt_store_remove_batch (f->store, ((BtImportBatch *) batches->pdata[0])->id, NULL,
                                        &error));
  g_assert_true (bt_engine_recompute_from (f->engine, BT_DAY_INVALID, &error));
  g_assert_true (bt_context_reload (context, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bt_engine_get_n_days (f->engine), ==, 0);
  g_assert_null (bt_backtest_page_get_error (page));

  g_object_unref (page);
}

static gboolean
checked (gpointer user_data)
{
  return !bt_import_assistant_is_checking (user_data);
}

static void
on_import_cb (BtImportAssistant *assistant,
              GFile             *file,
              GStrv              columns,
              GStrv             *out)
{
  *out = g_strdupv (columns);
}

static void
test_import_assistant (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = write_file ("glassnode.csv",
                                      "t,indicators_sopr_less_155,other\n"
                                      "2019-11-17,0.9977,1\n"
                                      "2019-11-16,1.0125,2\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) batches = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) columns = NULL;
  BtImportAssistant *assistant = bt_import_assistant_new (NULL, f->store, file);
  g_autofree char *first_day = bt_ui_format_day (bt_day_from_ymd (2019, 11, 16));
  g_autofree char *last_day = bt_ui_format_day (bt_day_from_ymd (2019, 11, 17));
  guint64 version = bt_store_get_data_version (f->store);

  g_signal_connect (assistant, "import", G_CALLBACK (on_import_cb), &columns);
  gtk_window_present (GTK_WINDOW (assistant));
  g_assert_cmpuint (bt_import_assistant_get_n_columns (assistant), ==, 3);
  g_assert_cmpstr (bt_import_assistant_get_field (assistant, 0), ==, "date");    /* "t" */
  g_assert_null (bt_import_assistant_get_field (assistant, 1));
  g_assert_nonnull (test_ui_find_label (GTK_WIDGET (assistant), "1.0125"));       /* the first rows */
  wait_until (checked, assistant);
  /* unmapped, nothing to read: the trial's one-line error, no Import */
  g_assert_false (bt_import_assistant_can_import (assistant));
  g_assert_nonnull (strstr (bt_import_assistant_get_summary (assistant), "glassnode.csv:1: "));

  bt_import_assistant_set_field (assistant, 1, "sth_sopr");
  wait_until (checked, assistant);
  g_assert_true (bt_import_assistant_can_import (assistant));
  g_assert_nonnull (strstr (bt_import_assistant_get_summary (assistant), "2 rows"));
  g_assert_nonnull (strstr (bt_import_assistant_get_summary (assistant), first_day));
  g_assert_nonnull (strstr (bt_import_assistant_get_summary (assistant), last_day));
  g_assert_nonnull (strstr (bt_import_assistant_get_summary (assistant), "other"));
  /* the trial wrote nothing */
  g_assert_cmpuint (bt_store_get_data_version (f->store), ==, version);
  batches = bt_store_list_batches (f->store, &error);
  g_assert_cmpuint (batches->len, ==, 0);
  test_ui_wait_drawn (GTK_WIDGET (assistant));
  wait_until (has_size, assistant);
  test_ui_save_png (GTK_WIDGET (assistant), out_dir, "import-assistant");

  bt_import_assistant_confirm (assistant);
  g_assert_nonnull (columns);
  /* only what differs from the importer's own reading */
  g_assert_cmpuint (g_strv_length (columns), ==, 1);
  g_assert_cmpstr (columns[0], ==, "indicators_sopr_less_155=sth_sopr");
  test_ui_spin (20);

  /* the same header next time: the mapping comes back */
  assistant = bt_import_assistant_new (NULL, f->store, file);
  g_assert_cmpstr (bt_import_assistant_get_field (assistant, 1), ==, "sth_sopr");
  g_assert_null (bt_import_assistant_get_field (assistant, 2));
  wait_until (checked, assistant);
  g_assert_true (bt_import_assistant_can_import (assistant));
  gtk_window_destroy (GTK_WINDOW (assistant));
  test_ui_spin (20);
}

static void
remove_tmp (void)
{
  bt_test_remove_tree (tmp_dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  test_ui_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("bt-data-page-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  out_dir = g_strdup (g_getenv ("BT_SCREENSHOT_DIR"));
  if (out_dir == NULL)
    out_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                "screenshots", NULL);
  g_mkdir_with_parents (out_dir, 0755);

  g_test_add ("/ui/data-page/batches-remove", Fixture, "page.sqlite",
              fixture_setup, test_data_page, fixture_teardown);
  g_test_add ("/ui/data-page/backtest-span", Fixture, "span.sqlite",
              fixture_setup, test_backtest_span_follows_data, fixture_teardown);
  g_test_add ("/ui/data-page/import-assistant", Fixture, "assistant.sqlite",
              fixture_setup, test_import_assistant, fixture_teardown);
  status = g_test_run ();
  remove_tmp ();
  g_free (tmp_dir);
  g_free (out_dir);
  return status;
}
