/* test-store.c: the SQLite store and the domain objects. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "bt-base.h"
#include "bt-domain.h"
#include "bt-rules.h"
#include "bt-store.h"
#include "bt-test-util.h"
#include "bt-store-private.h"

/* Every database and file of the run lives under one private directory,
 * removed at the end. */
static char *tmp_root;

static char *
file_checksum (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

static int
query_int (BtStore    *store,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_bt_store_get_handle (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int (stmt, 0);
}

static char *
query_text (BtStore    *store,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_bt_store_get_handle (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* ---- opening ------------------------------------------------------------- */

static void
test_open_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = bt_test_tmp_path (tmp_root, "a/b/db.sqlite");
  g_autoptr(BtStore) store = bt_store_open (path, &error);
  g_autofree char *mode = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));   /* parents created */
  g_assert_cmpstr (bt_store_get_path (store), ==, path);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, BT_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (store, "PRAGMA foreign_keys"), ==, 1);
  mode = query_text (store, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpuint (bt_store_get_data_version (store), ==, 0);

  /* every indicator has its market_data column */
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pragma_table_info ('market_data')"
                                              " WHERE name = '%s'", bt_indicator_name (k));
      g_assert_cmpint (query_int (store, sql), ==, 1);
    }
  /* and every table of the schema exists */
  {
    static const char *const tables[] = {
      "market_data", "candles", "observations", "wallets", "positions", "score_cache",
      "portfolio_history", "backtest_runs", "backtest_trades", "backtest_equity", "alerts",
      "reports", "source_status", "settings", "meta",
    };
    for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
      {
        g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                                " AND name = '%s'", tables[t]);
        g_assert_cmpint (query_int (store, sql), ==, 1);
      }
  }
}

static void
test_reopen (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = bt_test_tmp_path (tmp_root, "db.sqlite");
  BtStore *store = bt_store_open (path, &error);
  g_autofree char *value = NULL;

  g_assert_no_error (error);
  g_assert_true (bt_store_set_setting (store, "rules", "{\"x\":1}", &error));
  g_assert_no_error (error);
  g_object_unref (store);

  store = bt_store_open (path, &error);
  g_assert_no_error (error);
  value = bt_store_dup_setting (store, "rules", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "{\"x\":1}");
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, BT_STORE_SCHEMA_VERSION);
  g_object_unref (store);
}

/* ---- work in a worker thread ------------------------------------------- */

typedef struct
{
  BtStore  *caller;     /* the store the work was asked of */
  GThread  *thread;     /* the thread that asked */
  BtStore  *seen;       /* what the work ran on */
  gboolean  other_thread;
  char     *value;      /* the setting it read */
  gboolean  fail;
} Work;

static gboolean
work_func (BtStore       *store,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Work *w = data;

  w->seen = store;
  w->other_thread = g_thread_self () != w->thread;
  w->value = bt_store_dup_setting (store, "k", NULL);
  if (w->fail)
    g_set_error_literal (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND, "refused");
  return !w->fail;
}

/* Runs the work on STORE; returns whether the task said TRUE. */
static gboolean
run_work (BtStore  *store,
          Work     *w,
          GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GTask) task = g_task_new (NULL, NULL, bt_test_result_cb, &result);

  w->caller = store;
  w->thread = g_thread_self ();
  g_task_set_task_data (task, w, NULL);
  bt_store_run_in_thread (store, task, work_func);
  g_clear_object (&task);
  return g_task_propagate_boolean (G_TASK (bt_test_wait_result (&result)), error);
}

static void
test_run_in_thread (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = bt_test_tmp_path (tmp_root, "work.sqlite");
  g_autoptr(BtStore) file_store = bt_store_open (path, &error);
  g_autoptr(BtStore) memory = NULL;
  Work w = { 0 };

  g_assert_no_error (error);
  g_assert_true (bt_store_set_setting (file_store, "k", "on disk", &error));

  /* a file: another connection, in another thread, sees what was written */
  g_assert_true (run_work (file_store, &w, &error));
  g_assert_no_error (error);
  g_assert_true (w.seen != file_store);
  g_assert_true (w.other_thread);
  g_assert_cmpstr (w.value, ==, "on disk");
  g_clear_pointer (&w.value, g_free);

  /* the work's error reaches the task */
  w.fail = TRUE;
  g_assert_false (run_work (file_store, &w, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&w.value, g_free);

  /* in memory a second connection would see another database: the work
   * runs on the store itself, in this thread */
  memory = bt_store_open (":memory:", &error);
  g_assert_no_error (error);
  g_assert_true (bt_store_set_setting (memory, "k", "in memory", &error));
  w.fail = FALSE;
  g_assert_true (run_work (memory, &w, &error));
  g_assert_no_error (error);
  g_assert_true (w.seen == memory);
  g_assert_false (w.other_thread);
  g_assert_cmpstr (w.value, ==, "in memory");
  g_free (w.value);
}

/* Opening PATH fails with CODE and leaves the file as it was; returns the
 * error. */
static GError *
open_refused (const char *path,
              int         code)
{
  g_autofree char *before = file_checksum (path);
  g_autofree char *after = NULL;
  GError *error = NULL;

  g_assert_null (bt_store_open (path, &error));
  g_assert_error (error, BT_STORE_ERROR, code);
  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
  return error;
}

static void
test_too_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = bt_test_tmp_path (tmp_root, "future.sqlite");
  g_autofree char *expected = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);"
                                 "PRAGMA user_version = 99;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  error = open_refused (path, BT_STORE_ERROR_SCHEMA_TOO_NEW);
  expected = g_strdup_printf ("schema 99, this version knows %d", BT_STORE_SCHEMA_VERSION);
  g_assert_nonnull (strstr (error->message, "newer BTC Turbo"));
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_false (g_file_test (path + 0, G_FILE_TEST_IS_DIR));
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
}

static void
test_corrupt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = bt_test_tmp_path (tmp_root, "notes.sqlite");
  GString *junk = g_string_new (NULL);

  for (int i = 0; i < 200; i++)
    g_string_append (junk, "These are my trading notes, not a database. ");
  g_assert_true (g_file_set_contents (path, junk->str, (gssize) junk->len, NULL));
  g_string_free (junk, TRUE);
  error = open_refused (path, BT_STORE_ERROR_CORRUPT);
}

static void
test_default_path (void)
{
  g_autofree char *path = bt_store_dup_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "btc-turbo",
                                                "btc-turbo.sqlite", NULL);

  g_assert_cmpstr (path, ==, expected);
  g_assert_true (g_str_has_prefix (path, tmp_root));
  g_assert_true (g_str_has_suffix (path, "/data/btc-turbo/btc-turbo.sqlite"));
}

/* ---- raw inputs ---------------------------------------------------------- */

static BtCandle
candle (const char *day,
        double      o,
        double      h,
        double      l,
        double      c,
        double      v)
{
  BtCandle k = { bt_day_to_unix (bt_test_day (day)), o, h, l, c, v, FALSE };

  return k;
}

static void
test_candles_upsert (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_test_open_tmp_store (tmp_root, NULL);
  BtCandle c[3] = {
    candle ("2024-01-03", 10, 12, 9, 11, 100),
    candle ("2024-01-01", 20, 22, 19, 21, 200),
    candle ("2024-01-02", 30, 32, 29, 31, 300),
  };
  BtDay first = 0;
  guint n = 99;

  g_assert_true (bt_store_upsert_candles (store, BT_SOURCE_BINANCE, "1d", c, 3, &first, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first, ==, bt_test_day ("2024-01-01"));   /* the earliest of the three */
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (bt_store_get_data_version (store), ==, 1);

  /* the same candles again: nothing changes, data_version stays */
  g_assert_true (bt_store_upsert_candles (store, BT_SOURCE_BINANCE, "1d", c, 3, &first, &n, &error));
  g_assert_cmpint (first, ==, BT_DAY_INVALID);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (bt_store_get_data_version (store), ==, 1);

  /* one changed close (the 01-03 candle) and one new day */
  c[0].close = 11.5;
  c[1] = candle ("2024-01-04", 1, 2, 0.5, 1.5, 10);
  g_assert_true (bt_store_upsert_candles (store, BT_SOURCE_BINANCE, "1d", c, 3, &first, &n, &error));
  g_assert_cmpint (first, ==, bt_test_day ("2024-01-03"));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (bt_store_get_data_version (store), ==, 2);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM candles"), ==, 4);

  /* a provisional flag change is a change */
  c[0].provisional = TRUE;
  g_assert_true (bt_store_upsert_candles (store, BT_SOURCE_BINANCE, "1d", c, 1, &first, NULL, &error));
  g_assert_cmpint (first, ==, bt_test_day ("2024-01-03"));
  /* a NAN open is stored as NULL, and reading back keeps it missing */
  c[0].open = NAN;
  g_assert_true (bt_store_upsert_candles (store, BT_SOURCE_BINANCE, "1d", c, 1, NULL, NULL, &error));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM candles WHERE open IS NULL"), ==, 1);
  g_assert_true (bt_store_upsert_candles (store, BT_SOURCE_BINANCE, "1d", c, 1, &first, NULL, &error));
  g_assert_cmpint (first, ==, BT_DAY_INVALID);
}

static void
test_observations_upsert (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_test_open_tmp_store (tmp_root, NULL);
  BtObservation o[2] = {
    { bt_day_to_unix (bt_test_day ("2020-05-02")), 1.5 },
    { bt_day_to_unix (bt_test_day ("2020-05-01")), 2.5 },
  };
  BtDay first;
  guint n;

  g_assert_true (bt_store_upsert_observations (store, BT_SOURCE_COINMETRICS, "mvrv_ratio", o, 2,
                                               &first, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first, ==, bt_test_day ("2020-05-01"));
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (bt_store_upsert_observations (store, BT_SOURCE_COINMETRICS, "mvrv_ratio", o, 2,
                                               &first, &n, &error));
  g_assert_cmpint (first, ==, BT_DAY_INVALID);
  g_assert_cmpuint (bt_store_get_data_version (store), ==, 1);
  o[0].value = 1.75;
  g_assert_true (bt_store_upsert_observations (store, BT_SOURCE_COINMETRICS, "mvrv_ratio", o, 2,
                                               &first, &n, &error));
  g_assert_cmpint (first, ==, bt_test_day ("2020-05-02"));
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (bt_store_get_data_version (store), ==, 2);
}

static void
test_transactions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_test_open_tmp_store (tmp_root, NULL);
  BtCandle a = candle ("2024-02-01", 1, 2, 0.5, 1.5, 1);
  BtCandle b = candle ("2024-02-02", 1, 2, 0.5, 1.5, 1);
  BtStoreSeries kraken_1d = { BT_SOURCE_KRAKEN, 0, "1d" };

  /* a rolled-back transaction leaves nothing */
  g_assert_true (_bt_store_begin (store, &error));
  g_assert_true (_bt_store_put_batch_candle (store, &kraken_1d, &a, NULL, NULL, &error));
  g_assert_true (_bt_store_rollback (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM candles"), ==, 0);

  /* a nested (savepoint) rollback keeps the outer work */
  g_assert_true (_bt_store_begin (store, &error));
  g_assert_true (_bt_store_put_batch_candle (store, &kraken_1d, &a, NULL, NULL, &error));
  g_assert_true (_bt_store_begin (store, &error));
  g_assert_true (_bt_store_put_batch_candle (store, &kraken_1d, &b, NULL, NULL, &error));
  g_assert_true (_bt_store_rollback (store, &error));
  g_assert_true (_bt_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM candles"), ==, 1);

  /* a public write inside an open transaction nests instead of failing */
  g_assert_true (_bt_store_begin (store, &error));
  g_assert_true (bt_store_upsert_candles (store, BT_SOURCE_KRAKEN, "1d", &b, 1, NULL, NULL, &error));
  g_assert_true (_bt_store_rollback (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM candles"), ==, 1);
}

/* ---- history ------------------------------------------------------------- */

static void
put_obs (BtStore    *store,
         BtSource    source,
         const char *metric,
         const char *day,
         gint64      offset,
         double      value)
{
  g_autoptr(GError) error = NULL;
  BtObservation o = { bt_day_to_unix (bt_test_day (day)) + offset, value };

  g_assert_true (bt_store_upsert_observations (store, source, metric, &o, 1, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
put_candle (BtStore    *store,
            BtSource    source,
            const char *interval,
            BtCandle    c)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bt_store_upsert_candles (store, source, interval, &c, 1, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_test_open_tmp_store (tmp_root, NULL);
  g_autoptr(BtHistory) h = NULL;
  BtDay d0 = bt_test_day ("2024-03-01");
  double nan_close = NAN;

  /* 03-01: binance and kraken → binance */
  put_candle (store, BT_SOURCE_KRAKEN, "1d", candle ("2024-03-01", 1, 5, 1, 4, 7));
  put_candle (store, BT_SOURCE_BINANCE, "1d", candle ("2024-03-01", 2, 6, 2, 5, 8));
  /* 03-02: v1 close-only, import and kraken → kraken */
  put_candle (store, BT_SOURCE_V1, "1d", candle ("2024-03-02", NAN, NAN, NAN, 99, NAN));
  put_candle (store, BT_SOURCE_IMPORT, "1d", candle ("2024-03-02", 3, 7, 3, 6, 9));
  put_candle (store, BT_SOURCE_KRAKEN, "1d", candle ("2024-03-02", 4, 8, 4, 7, 10));
  /* 03-03: v1 close-only and import close-only → import, OHLC missing */
  put_candle (store, BT_SOURCE_V1, "1d", candle ("2024-03-03", NAN, NAN, NAN, 98, NAN));
  put_candle (store, BT_SOURCE_IMPORT, "1d", candle ("2024-03-03", NAN, NAN, NAN, 8, NAN));
  /* 03-04: only a Coin Metrics reference price */
  put_obs (store, BT_SOURCE_COINMETRICS, "price", "2024-03-04", 0, 9.5);
  /* ... which loses against any candle (03-01 binance) */
  put_obs (store, BT_SOURCE_COINMETRICS, "price", "2024-03-01", 0, 1000);
  /* a weekly candle does not feed the daily history */
  put_candle (store, BT_SOURCE_BINANCE, "1w", candle ("2024-03-04", 1, 1, 1, 12345, 1));
  /* 03-05: nothing; 03-06: a provisional coinbase candle */
  {
    BtCandle p = candle ("2024-03-06", 10, 11, 9, 10.5, 1);

    p.provisional = TRUE;
    put_candle (store, BT_SOURCE_COINBASE, "1d", p);
  }
  /* observations: market_cap live beats import; import only elsewhere */
  put_obs (store, BT_SOURCE_IMPORT, "market_cap", "2024-03-01", 0, 111);
  put_obs (store, BT_SOURCE_COINMETRICS, "market_cap", "2024-03-01", 0, 222);
  put_obs (store, BT_SOURCE_IMPORT, "market_cap", "2024-03-02", 0, 333);
  put_obs (store, BT_SOURCE_V1, "market_cap", "2024-03-02", 0, 444);
  /* funding: three settlements on 03-02 (00:00, 08:00, 16:00) */
  put_obs (store, BT_SOURCE_BINANCE_FUTURES, "funding_rate", "2024-03-02", 0, 0.01);
  put_obs (store, BT_SOURCE_BINANCE_FUTURES, "funding_rate", "2024-03-02", 8 * 3600, 0.02);
  put_obs (store, BT_SOURCE_BINANCE_FUTURES, "funding_rate", "2024-03-02", 16 * 3600, -0.005);
  /* ready-made indicators: v1 and import feed imported[], live ones do not */
  put_obs (store, BT_SOURCE_V1, "mvrv_z_score", "2024-03-01", 0, 1.25);
  put_obs (store, BT_SOURCE_IMPORT, "mvrv_z_score", "2024-03-01", 0, 1.5);
  put_obs (store, BT_SOURCE_V1, "mvrv_z_score", "2024-03-03", 0, 2.0);
  put_obs (store, BT_SOURCE_BGEOMETRICS, "puell_multiple", "2024-03-01", 0, 0.9);
  /* sth_sopr is an input and an indicator name */
  put_obs (store, BT_SOURCE_IMPORT, "sth_sopr", "2024-03-06", 0, 1.01);
  put_obs (store, BT_SOURCE_V1, "legacy_health_factor", "2024-03-06", 0, 1.9);

  h = bt_store_load_history (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (h);
  g_assert_cmpint (h->first_day, ==, d0);
  g_assert_cmpuint (h->n_days, ==, 6);              /* 03-01 … 03-06 */
  g_assert_cmpuint (h->data_version, ==, bt_store_get_data_version (store));

  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][0], ==, 5);
  g_assert_cmpfloat (h->input[BT_INPUT_OPEN][0], ==, 2);
  g_assert_cmpfloat (h->input[BT_INPUT_VOLUME][0], ==, 8);
  g_assert_cmpuint (h->input_source[BT_INPUT_CLOSE][0], ==, BT_SOURCE_BINANCE);
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][1], ==, 7);
  g_assert_cmpfloat (h->input[BT_INPUT_HIGH][1], ==, 8);
  g_assert_cmpuint (h->input_source[BT_INPUT_CLOSE][1], ==, BT_SOURCE_KRAKEN);
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][2], ==, 8);
  g_assert_cmpuint (h->input_source[BT_INPUT_CLOSE][2], ==, BT_SOURCE_IMPORT);
  g_assert_true (isnan (h->input[BT_INPUT_OPEN][2]));
  g_assert_true (isnan (h->input[BT_INPUT_HIGH][2]));
  g_assert_cmpuint (h->input_source[BT_INPUT_OPEN][2], ==, BT_SOURCE_NONE);
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][3], ==, 9.5);
  g_assert_cmpuint (h->input_source[BT_INPUT_CLOSE][3], ==, BT_SOURCE_COINMETRICS);
  g_assert_true (isnan (h->input[BT_INPUT_OPEN][3]));
  nan_close = h->input[BT_INPUT_CLOSE][4];
  g_assert_true (isnan (nan_close));
  g_assert_cmpuint (h->input_source[BT_INPUT_CLOSE][4], ==, BT_SOURCE_NONE);
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][5], ==, 10.5);
  g_assert_cmpuint (h->input_source[BT_INPUT_CLOSE][5], ==, BT_SOURCE_COINBASE);

  g_assert_cmpfloat (h->input[BT_INPUT_MARKET_CAP][0], ==, 222);
  g_assert_cmpuint (h->input_source[BT_INPUT_MARKET_CAP][0], ==, BT_SOURCE_COINMETRICS);
  g_assert_cmpfloat (h->input[BT_INPUT_MARKET_CAP][1], ==, 333);      /* import over v1 */
  g_assert_cmpuint (h->input_source[BT_INPUT_MARKET_CAP][1], ==, BT_SOURCE_IMPORT);
  g_assert_true (isnan (h->input[BT_INPUT_MARKET_CAP][2]));

  /* 0.01 + 0.02 − 0.005 = 0.025 over 3 settlements */
  g_assert_cmpfloat_with_epsilon (h->input[BT_INPUT_FUNDING_SUM][1], 0.025, 1e-15);
  g_assert_cmpfloat (h->input[BT_INPUT_FUNDING_COUNT][1], ==, 3);
  g_assert_true (isnan (h->input[BT_INPUT_FUNDING_SUM][0]));

  g_assert_nonnull (h->imported[BT_IND_MVRV_Z_SCORE]);
  g_assert_cmpfloat (h->imported[BT_IND_MVRV_Z_SCORE][0], ==, 1.5);   /* import over v1 */
  g_assert_cmpuint (h->imported_source[BT_IND_MVRV_Z_SCORE][0], ==, BT_SOURCE_IMPORT);
  g_assert_cmpfloat (h->imported[BT_IND_MVRV_Z_SCORE][2], ==, 2.0);
  g_assert_cmpuint (h->imported_source[BT_IND_MVRV_Z_SCORE][2], ==, BT_SOURCE_V1);
  g_assert_true (isnan (h->imported[BT_IND_MVRV_Z_SCORE][1]));
  g_assert_null (h->imported[BT_IND_PUELL_MULTIPLE]);                 /* a live source */
  g_assert_cmpfloat (h->input[BT_INPUT_STH_SOPR][5], ==, 1.01);
  g_assert_nonnull (h->imported[BT_IND_STH_SOPR]);
  g_assert_cmpfloat (h->imported[BT_IND_STH_SOPR][5], ==, 1.01);
}

static void
test_history_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_test_open_tmp_store (tmp_root, NULL);
  g_autoptr(BtHistory) h = bt_store_load_history (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (h);
  g_assert_cmpuint (h->n_days, ==, 0);
}

/* ---- market data --------------------------------------------------------- */

static void
fill_scores (BtScores *sc,
             double    base)
{
  for (guint k = 0; k < BT_N_ITEMS; k++)
    {
      sc->item_value[k] = base + k;
      sc->item_score[k] = 10 + k;
      sc->item_flag[k] = BT_FLAG_OK;
      sc->item_source[k] = BT_SOURCE_COMPUTED;
    }
  sc->item_value[BT_ITEM_STH_SOPR] = NAN;
  sc->item_score[BT_ITEM_STH_SOPR] = NAN;
  sc->item_flag[BT_ITEM_STH_SOPR] = BT_FLAG_MISSING;
  sc->item_source[BT_ITEM_STH_SOPR] = BT_SOURCE_NONE;
  sc->item_flag[BT_ITEM_MVRV_Z_SCORE] = BT_FLAG_IMPORTED;
  sc->item_source[BT_ITEM_MVRV_Z_SCORE] = BT_SOURCE_V1;
  sc->category[BT_CATEGORY_CYCLE] = base + 0.25;
  sc->category[BT_CATEGORY_MOMENTUM] = NAN;
  sc->category[BT_CATEGORY_TECHNICAL] = 77.5;
  sc->market = base + 0.5;
  sc->confidence = 66.6;
}

static void
test_market_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_test_open_tmp_store (tmp_root, NULL);
  BtDay d0 = bt_test_day ("2023-12-30");
  g_autoptr(BtIndicatorTable) t = bt_indicator_table_new (d0, 3);
  g_autoptr(BtHistory) hist = bt_history_new (d0, 3);
  BtScores sc[3];
  g_autoptr(BtMarketDay) md = NULL;
  g_autoptr(GPtrArray) days = NULL;
  BtDay latest;
  const BtScores *sd;
  double market = 0;
  g_autofree char *date_text = NULL;

  memset (sc, 0, sizeof sc);
  for (guint i = 0; i < 3; i++)
    {
      for (guint k = 0; k < BT_N_INDICATORS; k++)
        {
          t->value[k][i] = k == BT_IND_STH_SOPR ? NAN : 1000.0 * i + k + 0.125;
          t->flag[k][i] = k == BT_IND_STH_SOPR ? BT_FLAG_MISSING : BT_FLAG_OK;
          t->source[k][i] = k == BT_IND_BTC_PRICE ? BT_SOURCE_BINANCE : BT_SOURCE_COMPUTED;
        }
      fill_scores (&sc[i], 40 + i);
      hist->input[BT_INPUT_OPEN][i] = 100 + i;
      hist->input[BT_INPUT_VOLUME][i] = 5000 + i;
    }

  g_assert_true (bt_store_save_market_data_full (store, hist, t, sc, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM market_data"), ==, 2);  /* from index 1 */

  md = bt_store_get_market_day (store, d0, &error);
  g_assert_null (md);
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  md = bt_store_get_market_day (store, d0 + 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bt_market_day_get_date (md), ==, d0 + 2);
  g_assert_cmpstr (bt_market_day_get_date_text (md), ==, "2024-01-01");
  g_assert_cmpfloat (bt_market_day_get_btc_price (md), ==, 2000.125);
  g_assert_cmpfloat (bt_market_day_get_value (md, BT_IND_LONG_SHORT_RATIO), ==, 2000 + 24 + 0.125);
  g_assert_true (isnan (bt_market_day_get_value (md, BT_IND_STH_SOPR)));
  g_assert_cmpuint (bt_market_day_get_flag (md, BT_IND_STH_SOPR), ==, BT_FLAG_MISSING);
  g_assert_cmpuint (bt_market_day_get_flag (md, BT_IND_RSI_DAILY), ==, BT_FLAG_OK);
  g_assert_cmpuint (bt_market_day_get_source (md, BT_IND_BTC_PRICE), ==, BT_SOURCE_BINANCE);
  g_assert_cmpfloat (bt_market_day_get_category (md, BT_CATEGORY_CYCLE), ==, 42.25);
  g_assert_true (isnan (bt_market_day_get_category (md, BT_CATEGORY_MOMENTUM)));
  g_assert_cmpfloat (bt_market_day_get_market (md), ==, 42.5);
  g_assert_cmpfloat (bt_market_day_get_confidence (md), ==, 66.6);
  g_assert_cmpfloat (bt_market_day_get_data (md)->open, ==, 102);
  g_assert_cmpfloat (bt_market_day_get_data (md)->volume, ==, 5002);
  g_assert_true (isnan (bt_market_day_get_data (md)->high));
  /* the per-item values, scores, flags and sources come back as stored */
  sd = &bt_market_day_get_data (md)->scores;
  g_assert_cmpfloat (sd->item_value[BT_ITEM_PUELL_MULTIPLE], ==, 42 + BT_ITEM_PUELL_MULTIPLE);
  g_assert_cmpfloat (sd->item_score[BT_ITEM_PUELL_MULTIPLE], ==, 10 + BT_ITEM_PUELL_MULTIPLE);
  g_assert_cmpuint (sd->item_flag[BT_ITEM_MVRV_Z_SCORE], ==, BT_FLAG_IMPORTED);
  g_assert_cmpuint (sd->item_source[BT_ITEM_MVRV_Z_SCORE], ==, BT_SOURCE_V1);
  g_assert_true (isnan (sd->item_value[BT_ITEM_STH_SOPR]));
  g_assert_true (isnan (sd->item_score[BT_ITEM_STH_SOPR]));
  g_object_get (md, "market", &market, "date-text", &date_text, NULL);
  g_assert_cmpfloat (market, ==, 42.5);
  g_assert_cmpstr (date_text, ==, "2024-01-01");

  /* saving again from index 0 updates and adds; created_at is kept */
  sc[2].market = 12.0;
  g_assert_true (bt_store_save_market_data (store, t, sc, 0, &error));
  g_assert_no_error (error);
  g_assert_true (bt_store_get_latest_day (store, &latest, &error));
  g_assert_cmpint (latest, ==, d0 + 2);
  days = bt_store_list_market_days (store, d0 + 1, BT_DAY_INVALID, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, ==, 2);
  g_assert_cmpint (bt_market_day_get_date (days->pdata[0]), ==, d0 + 1);
  g_assert_cmpfloat (bt_market_day_get_market (days->pdata[1]), ==, 12.0);
  g_assert_true (isnan (bt_market_day_get_data (days->pdata[1])->open));   /* no history given */
  g_clear_pointer (&days, g_ptr_array_unref);
  days = bt_store_list_market_days (store, BT_DAY_INVALID, BT_DAY_INVALID, &error);
  g_assert_cmpuint (days->len, ==, 3);
}

static void
test_latest_day_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_test_open_tmp_store (tmp_root, NULL);
  BtDay d = 0;

  g_assert_false (bt_store_get_latest_day (store, &d, &error));
  g_assert_no_error (error);
  g_assert_cmpint (d, ==, BT_DAY_INVALID);
}

/* ---- small tables -------------------------------------------------------- */

static void
test_wallets_positions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_test_open_tmp_store (tmp_root, NULL);
  g_autoptr(GPtrArray) wallets = NULL;
  g_autoptr(GPtrArray) latest = NULL;
  g_autoptr(BtPosition) p = NULL;
  BtPositionState st = { TRUE, 10000, 4000, 10000.0 / 6000.0, 2.0, 20000, 50, 80 };
  BtPositionData d;

  g_assert_true (bt_store_add_wallet (store, "0xAAA", "main", &error));
  g_assert_true (bt_store_add_wallet (store, "0xBBB", NULL, &error));
  g_assert_true (bt_store_add_wallet (store, "0xAAA", "renamed", &error));
  g_assert_no_error (error);
  wallets = bt_store_list_wallets (store, &error);
  g_assert_cmpuint (wallets->len, ==, 2);
  g_assert_cmpstr (((BtWallet *) wallets->pdata[0])->label, ==, "renamed");
  g_assert_true (bt_store_remove_wallet (store, "0xBBB", &error));
  g_assert_false (bt_store_remove_wallet (store, "0xBBB", &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* 10000 collateral, 4000 debt at 50000 $/BTC: value 6000, LTV 0.4, 0.2 BTC */
  p = bt_position_new_from_state ("0xAAA", 1000, &st, 0.78, 50000);
  g_assert_cmpfloat (bt_position_get_data (p)->portfolio_value, ==, 6000);
  g_assert_cmpfloat_with_epsilon (bt_position_get_data (p)->ltv, 0.4, 1e-15);
  g_assert_cmpfloat_with_epsilon (bt_position_get_data (p)->btc_amount, 0.2, 1e-15);
  {
    gint64 before = g_get_real_time () / G_USEC_PER_SEC;

    g_assert_true (bt_store_insert_position (store, p, &error));
    /* the row says when it was written */
    g_assert_cmpint (query_int (store, "SELECT updated_at FROM positions"), >=, before);
    g_assert_cmpint (query_int (store, "SELECT updated_at FROM positions"), <=,
                     g_get_real_time () / G_USEC_PER_SEC);
  }
  g_clear_object (&p);
  bt_position_data_init (&d);
  d.timestamp = 2000;
  d.health_factor = 1.5;
  p = bt_position_new ("0xAAA", &d);
  g_assert_true (bt_store_insert_position (store, p, &error));
  g_clear_object (&p);
  d.timestamp = 500;
  d.health_factor = 3;
  p = bt_position_new ("0xCCC", &d);
  g_assert_true (bt_store_insert_position (store, p, &error));
  g_clear_object (&p);
  g_assert_no_error (error);

  latest = bt_store_list_latest_positions (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (latest->len, ==, 2);
  g_assert_cmpstr (bt_position_get_wallet (latest->pdata[0]), ==, "0xAAA");
  g_assert_cmpint (bt_position_get_data (latest->pdata[0])->timestamp, ==, 2000);
  g_assert_cmpfloat (bt_position_get_data (latest->pdata[0])->health_factor, ==, 1.5);
  g_assert_true (isnan (bt_position_get_data (latest->pdata[0])->debt_usd));
  p = bt_store_get_latest_position (store, "0xCCC", &error);
  g_assert_cmpfloat (bt_position_get_data (p)->health_factor, ==, 3);
  g_clear_object (&p);
  p = bt_store_get_latest_position (store, "0xNONE", &error);
  g_assert_null (p);
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND);
}

static void
test_alerts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_test_open_tmp_store (tmp_root, NULL);
  g_autoptr(GPtrArray) list = NULL;
  gint64 a, b, c;
  gboolean active = TRUE;

  a = bt_store_insert_alert (store, BT_ALERT_HEALTH_FACTOR, "0xAAA", BT_SEVERITY_CRITICAL,
                             "Health factor 1.08", "{\"hf\":1.08}", 100, &error);
  b = bt_store_insert_alert (store, BT_ALERT_PRICE_MOVE, NULL, BT_SEVERITY_INFO, "Price −6 %", NULL,
                             200, &error);
  c = bt_store_insert_alert (store, BT_ALERT_DATA_STALE, "coinmetrics", BT_SEVERITY_WARNING,
                             "Coin Metrics is stale", NULL, 300, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a, >, 0);
  g_assert_cmpint (b, >, a);
  g_assert_cmpint (c, >, b);

  list = bt_store_list_alerts (store, TRUE, &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpint (bt_alert_get_id (list->pdata[0]), ==, c);     /* newest first */
  g_assert_cmpstr (bt_alert_get_values_json (list->pdata[2]), ==, "{\"hf\":1.08}");
  g_assert_cmpuint (bt_alert_get_severity (list->pdata[2]), ==, BT_SEVERITY_CRITICAL);
  g_assert_cmpuint (bt_alert_get_kind (list->pdata[2]), ==, BT_ALERT_HEALTH_FACTOR);
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (bt_store_acknowledge_alert (store, a, 1000, &error));
  g_assert_true (bt_store_acknowledge_alert (store, a, 2000, &error));   /* keeps the first */
  g_assert_true (bt_store_clear_alert (store, b, 1500, &error));
  g_assert_no_error (error);
  g_assert_false (bt_store_acknowledge_alert (store, 9999, 1, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  list = bt_store_list_alerts (store, TRUE, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (bt_alert_get_id (list->pdata[0]), ==, c);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = bt_store_list_alerts (store, FALSE, &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpint (bt_alert_get_acknowledged_at (list->pdata[2]), ==, 1000);
  g_assert_cmpint (bt_alert_get_cleared_at (list->pdata[1]), ==, 1500);
  g_object_get (list->pdata[1], "active", &active, NULL);
  g_assert_false (active);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* b (cleared, not acknowledged) and c are unacknowledged */
  g_assert_cmpint (bt_store_acknowledge_all_alerts (store, 3000, &error), ==, 2);
  g_assert_cmpint (bt_store_acknowledge_all_alerts (store, 4000, &error), ==, 0);
  list = bt_store_list_alerts (store, TRUE, &error);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_reports_settings_status (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_test_open_tmp_store (tmp_root, NULL);
  g_autofree char *text = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GArray) hist = NULL;
  BtSourceStatus st = { 0 };
  BtPortfolioPoint pt = { bt_test_day ("2024-05-01"), 10000, 60000, 5.5, 1.5, NAN };

  g_assert_true (bt_store_put_report (store, bt_test_day ("2024-05-01"), "first", &error));
  g_assert_true (bt_store_put_report (store, bt_test_day ("2024-05-01"), "second", &error));
  text = bt_store_dup_report (store, bt_test_day ("2024-05-01"), &error);
  g_assert_cmpstr (text, ==, "second");
  g_assert_null (bt_store_dup_report (store, bt_test_day ("2024-05-02"), &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (bt_store_dup_setting (store, "missing", &error));
  g_assert_no_error (error);
  g_assert_true (bt_store_set_setting (store, "k", "v1", &error));
  g_assert_true (bt_store_set_setting (store, "k", "v2", &error));
  value = bt_store_dup_setting (store, "k", &error);
  g_assert_cmpstr (value, ==, "v2");
  g_assert_true (bt_store_set_setting (store, "k", NULL, &error));
  g_assert_null (bt_store_dup_setting (store, "k", &error));

  g_assert_true (bt_store_get_source_status (store, BT_SOURCE_KRAKEN, &st, &error));
  g_assert_cmpint (st.last_success, ==, 0);
  g_assert_null (st.cursor);
  st.last_failure = 50;
  st.failing_since = 40;
  st.last_error = g_strdup ("HTTP 429");
  st.cursor = g_strdup ("2019-01-01");
  st.stale = TRUE;
  g_assert_true (bt_store_put_source_status (store, &st, &error));
  bt_source_status_clear (&st);
  g_assert_true (bt_store_get_source_status (store, BT_SOURCE_KRAKEN, &st, &error));
  g_assert_cmpint (st.failing_since, ==, 40);
  g_assert_cmpstr (st.last_error, ==, "HTTP 429");
  g_assert_cmpstr (st.cursor, ==, "2019-01-01");
  g_assert_true (st.stale);
  bt_source_status_clear (&st);

  g_assert_true (bt_store_upsert_portfolio_point (store, &pt, &error));
  pt.date++;
  pt.drawdown_pct = -2.5;
  g_assert_true (bt_store_upsert_portfolio_point (store, &pt, &error));
  g_assert_no_error (error);
  hist = bt_store_list_portfolio_history (store, BT_DAY_INVALID, BT_DAY_INVALID, &error);
  g_assert_cmpuint (hist->len, ==, 2);
  g_assert_true (isnan (g_array_index (hist, BtPortfolioPoint, 0).drawdown_pct));
  g_assert_cmpfloat (g_array_index (hist, BtPortfolioPoint, 1).drawdown_pct, ==, -2.5);
}

static void
test_backtest_cascade (void)
{
  g_autoptr(BtStore) store = bt_test_open_tmp_store (tmp_root, NULL);
  sqlite3 *db = _bt_store_get_handle (store);

  /* foreign keys are on: deleting a run deletes its trades and equity */
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO backtest_runs (id, config) VALUES ('r1', '{}');"
                                 "INSERT INTO backtest_trades (backtest_id, action) VALUES ('r1', 'ENTER');"
                                 "INSERT INTO backtest_equity (backtest_id, date, equity) VALUES ('r1', '2024-01-01', 1);"
                                 "DELETE FROM backtest_runs WHERE id = 'r1';",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM backtest_trades"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM backtest_equity"), ==, 0);
}

/* A schema-1 database (candles and observations without batches, imported
 * rows under "import" and "v1") upgrades to schema 2 without losing a row:
 * the imported rows become removable batches, collector rows batch 0. */
static void
test_upgrade_v1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(BtStore) store = bt_test_open_tmp_store (tmp_root, &dir);
  g_autoptr(BtHistory) before = NULL;
  g_autoptr(BtHistory) after = NULL;
  g_autoptr(GPtrArray) batches = NULL;
  sqlite3 *db = _bt_store_get_handle (store);
  BtDay first_changed;

  path = g_build_filename (dir, "test.sqlite", NULL);
  /* back to schema 1 by hand: the tables as schema 1 wrote them */
  g_assert_cmpint (sqlite3_exec (db,
    "DROP TABLE import_batches; DROP TABLE candles; DROP TABLE observations;"
    "DROP TABLE manual_positions;"
    "CREATE TABLE candles (source TEXT NOT NULL, interval TEXT NOT NULL, open_time INTEGER NOT NULL,"
    " open REAL, high REAL, low REAL, close REAL, volume REAL,"
    " provisional INTEGER NOT NULL DEFAULT 0, updated_at INTEGER,"
    " PRIMARY KEY (source, interval, open_time)) WITHOUT ROWID;"
    "CREATE TABLE observations (source TEXT NOT NULL, metric TEXT NOT NULL, time INTEGER NOT NULL,"
    " value REAL, PRIMARY KEY (source, metric, time)) WITHOUT ROWID;"
    /* 2024-01-01 .. 03 */
    "INSERT INTO candles VALUES ('binance', '1d', 1704067200, 10, 12, 9, 11, 5, 0, 1);"
    "INSERT INTO candles VALUES ('import', '1d', 1704067200, NULL, NULL, NULL, 10.5, NULL, 0, 1);"
    "INSERT INTO candles VALUES ('import', '1d', 1704153600, NULL, NULL, NULL, 12.5, NULL, 0, 1);"
    "INSERT INTO candles VALUES ('v1', '1d', 1704240000, NULL, NULL, NULL, 13.5, NULL, 0, 1);"
    "INSERT INTO observations VALUES ('import', 'market_cap', 1704153600, 2.5e11);"
    "INSERT INTO observations VALUES ('v1', 'mvrv_z_score', 1704240000, 1.5);"
    "INSERT INTO observations VALUES ('coinmetrics', 'supply', 1704067200, 1.9e7);"
    "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_object (&store);

  store = bt_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, BT_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM candles"), ==, 4);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM observations"), ==, 3);
  g_assert_cmpint (query_int (store, "SELECT batch FROM candles WHERE source = 'binance'"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM candles WHERE source = 'import' AND batch = 1"), ==, 2);
  g_assert_cmpint (query_int (store, "SELECT batch FROM candles WHERE source = 'v1'"), ==, 2);
  g_assert_cmpint (query_int (store, "SELECT batch FROM observations WHERE source = 'coinmetrics'"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT batch FROM observations WHERE source = 'v1'"), ==, 2);
  batches = bt_store_list_batches (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batches->len, ==, 2);
  g_assert_cmpstr (((BtImportBatch *) batches->pdata[0])->kind, ==, "earlier-import");
  g_assert_cmpuint (((BtImportBatch *) batches->pdata[0])->rows, ==, 2);    /* two days */
  g_assert_cmpint (((BtImportBatch *) batches->pdata[0])->first_day, ==, bt_day_from_ymd (2024, 1, 1));
  g_assert_cmpint (((BtImportBatch *) batches->pdata[0])->last_day, ==, bt_day_from_ymd (2024, 1, 2));
  g_assert_cmpstr (((BtImportBatch *) batches->pdata[1])->kind, ==, "v1");

  before = bt_store_load_history (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->n_days, ==, 3);
  g_assert_cmpfloat (before->input[BT_INPUT_CLOSE][0], ==, 11);     /* the full candle */
  g_assert_cmpfloat (before->input[BT_INPUT_LOW][0], ==, 9);
  g_assert_cmpfloat (before->input[BT_INPUT_CLOSE][1], ==, 12.5);
  g_assert_cmpfloat (before->input[BT_INPUT_MARKET_CAP][1], ==, 2.5e11);
  g_assert_cmpfloat (before->input[BT_INPUT_CLOSE][2], ==, 13.5);

  /* the earlier imports can be removed like any batch */
  g_assert_true (bt_store_remove_batch (store, 1, &first_changed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first_changed, ==, bt_day_from_ymd (2024, 1, 1));
  after = bt_store_load_history (store, &error);
  g_assert_cmpfloat (after->input[BT_INPUT_CLOSE][0], ==, 11);
  g_assert_true (isnan (after->input[BT_INPUT_CLOSE][1]));
  g_assert_true (isnan (after->input[BT_INPUT_MARKET_CAP][1]));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM candles"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  tmp_root = bt_test_make_root ("bt-store-XXXXXX");
  {
    /* before any g_get_user_data_dir () call, which caches it */
    g_autofree char *data = g_build_filename (tmp_root, "data", NULL);
    g_setenv ("XDG_DATA_HOME", data, TRUE);
  }

  g_test_add_func ("/core/store/open-new", test_open_new);
  g_test_add_func ("/core/store/reopen", test_reopen);
  g_test_add_func ("/core/store/run-in-thread", test_run_in_thread);
  g_test_add_func ("/core/store/too-new", test_too_new);
  g_test_add_func ("/core/store/upgrade-v1", test_upgrade_v1);
  g_test_add_func ("/core/store/corrupt", test_corrupt);
  g_test_add_func ("/core/store/default-path", test_default_path);
  g_test_add_func ("/core/store/candles-upsert", test_candles_upsert);
  g_test_add_func ("/core/store/observations-upsert", test_observations_upsert);
  g_test_add_func ("/core/store/transactions", test_transactions);
  g_test_add_func ("/core/store/history", test_history);
  g_test_add_func ("/core/store/history-empty", test_history_empty);
  g_test_add_func ("/core/store/market-data", test_market_data);
  g_test_add_func ("/core/store/latest-day-empty", test_latest_day_empty);
  g_test_add_func ("/core/store/wallets-positions", test_wallets_positions);
  g_test_add_func ("/core/store/alerts", test_alerts);
  g_test_add_func ("/core/store/reports-settings-status", test_reports_settings_status);
  g_test_add_func ("/core/store/backtest-cascade", test_backtest_cascade);

  return bt_test_run_in_root (tmp_root);
}
