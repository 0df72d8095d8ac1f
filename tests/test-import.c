/* test-import.c: CSV imports and the v1 migration. */
#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "bt-base.h"
#include "bt-import.h"
#include "bt-store.h"
#include "bt-store-private.h"

/* Every database and file of the run lives under one private directory,
 * removed at the end. */
static char *tmp_root;

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

static char *
make_tmpdir (void)
{
  char *dir = g_build_filename (tmp_root, "XXXXXX", NULL);

  g_assert_nonnull (g_mkdtemp (dir));
  return dir;
}

static BtStore *
open_tmp_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "test.sqlite", NULL);
  BtStore *store = bt_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static char *
data_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static BtDay
day_of (const char *text)
{
  BtDay d;

  g_assert_true (bt_day_parse (text, &d));
  return d;
}

/* A hash of every row of every table, ordered: equal hashes = the
 * database holds exactly the same data. */
static char *
dump_hash (BtStore *store)
{
  sqlite3 *db = _bt_store_get_handle (store);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(sqlite3_stmt) tables = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                       " ORDER BY name", -1, &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (tables, 0);
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY 1, 2, 3", name);
      g_autoptr(sqlite3_stmt) rows = NULL;

      g_checksum_update (sum, (const guchar *) name, -1);
      if (sqlite3_prepare_v2 (db, sql, -1, &rows, NULL) != SQLITE_OK)
        {
          g_clear_pointer (&rows, sqlite3_finalize);
          g_free (sql);
          sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY 1", name);
          g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &rows, NULL), ==, SQLITE_OK);
        }
      while (sqlite3_step (rows) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (rows); c++)
          {
            const char *v = (const char *) sqlite3_column_text (rows, c);

            g_checksum_update (sum, (const guchar *) (v ? v : "\x01NULL"), -1);
            g_checksum_update (sum, (const guchar *) "\x02", 1);
          }
    }
  return g_strdup (g_checksum_get_string (sum));
}

static char *
write_tmp (const char *name,
           const char *content,
           gssize      len)
{
  g_autofree char *dir = make_tmpdir ();
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, content, len, NULL));
  return path;
}

/* ---- OHLCV ----------------------------------------------------------------- */

/* tests/data/import-ohlcv.csv, as written there */
static const struct { const char *date; double o, h, l, c, v; } ohlcv_rows[] = {
  { "2024-01-01", 42280.23, 44184.07, 42180.77, 44179.55, 18162245 },
  { "2024-01-02", 44187.14, 45899.71, 44176.95, 44946.09, 39035220 },
  { "2024-01-03", 44961.60, 45503.24, 40813.54, 42845.23, 47147840 },
  { "2024-01-04", 42855.81, 44770.02, 42675.17, 44151.10, 30448580 },
  { "2024-01-05", 44192.98, 44353.29, 42784.72, 44145.12, 32336030 },
};

static void
check_ohlcv_history (BtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtHistory) h = bt_store_load_history (store, &error);

  g_assert_no_error (error);
  g_assert_cmpint (h->first_day, ==, day_of ("2024-01-01"));
  g_assert_cmpuint (h->n_days, ==, G_N_ELEMENTS (ohlcv_rows));
  for (guint i = 0; i < G_N_ELEMENTS (ohlcv_rows); i++)
    {
      gssize k = bt_history_index (h, day_of (ohlcv_rows[i].date));

      g_assert_cmpint (k, ==, (gssize) i);
      g_assert_cmpfloat (h->input[BT_INPUT_OPEN][k], ==, ohlcv_rows[i].o);
      g_assert_cmpfloat (h->input[BT_INPUT_HIGH][k], ==, ohlcv_rows[i].h);
      g_assert_cmpfloat (h->input[BT_INPUT_LOW][k], ==, ohlcv_rows[i].l);
      g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][k], ==, ohlcv_rows[i].c);
      g_assert_cmpfloat (h->input[BT_INPUT_VOLUME][k], ==, ohlcv_rows[i].v);
      g_assert_cmpuint (h->input_source[BT_INPUT_CLOSE][k], ==, BT_SOURCE_IMPORT);
    }
}

static void
test_ohlcv_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = open_tmp_store ();
  g_autofree char *path = data_file ("import-ohlcv.csv");
  g_autofree char *before = NULL, *after = NULL;
  BtImportStats st;
  guint64 version;

  g_assert_true (bt_import_file (store, path, BT_IMPORT_FORMAT_AUTO, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (st.format, ==, BT_IMPORT_FORMAT_OHLCV);
  g_assert_cmpuint (st.rows_read, ==, 5);
  g_assert_cmpuint (st.rows_written, ==, 5);
  g_assert_cmpint (st.first_day, ==, day_of ("2024-01-01"));
  g_assert_cmpint (st.last_day, ==, day_of ("2024-01-05"));
  g_assert_cmpint (st.first_changed, ==, day_of ("2024-01-01"));
  check_ohlcv_history (store);

  /* re-importing changes nothing */
  version = bt_store_get_data_version (store);
  before = dump_hash (store);
  g_assert_true (bt_import_file (store, path, BT_IMPORT_FORMAT_OHLCV, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (st.rows_read, ==, 5);
  g_assert_cmpuint (st.rows_written, ==, 0);
  g_assert_cmpint (st.first_changed, ==, BT_DAY_INVALID);
  g_assert_cmpuint (bt_store_get_data_version (store), ==, version);
  after = dump_hash (store);
  g_assert_cmpstr (before, ==, after);
}

static void
test_ohlcv_columns (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = open_tmp_store ();
  /* any order, any case, extra columns, CRLF, a BOM, quotes, a blank line,
   * a repeated identical row, and a descending file with a changed day */
  g_autofree char *path = write_tmp ("mixed.csv",
                                     "\xEF\xBB\xBFvolume,CLOSE,Symbol,low,DATE,High,open\r\n"
                                     "10,\"105.5\",\"BTC,USD\",90,2022-06-02,110,100\r\n"
                                     "\r\n"
                                     "20,95,BTC,80,2022-06-01,99,85\r\n"
                                     "20,95,BTC,80,2022-06-01,99,85\r\n", -1);
  g_autoptr(BtHistory) h = NULL;
  BtImportStats st;

  g_assert_true (bt_import_file (store, path, BT_IMPORT_FORMAT_AUTO, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (st.rows_read, ==, 3);
  g_assert_cmpuint (st.rows_written, ==, 2);
  g_assert_cmpint (st.first_changed, ==, day_of ("2022-06-01"));
  h = bt_store_load_history (store, &error);
  g_assert_cmpuint (h->n_days, ==, 2);
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][0], ==, 95);
  g_assert_cmpfloat (h->input[BT_INPUT_OPEN][0], ==, 85);
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][1], ==, 105.5);
  g_assert_cmpfloat (h->input[BT_INPUT_HIGH][1], ==, 110);
  g_assert_cmpfloat (h->input[BT_INPUT_VOLUME][1], ==, 10);
}

/* ---- Coin Metrics ---------------------------------------------------------- */

static void
test_coinmetrics (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = open_tmp_store ();
  g_autofree char *path = data_file ("import-coinmetrics.csv");
  g_autoptr(BtHistory) h = NULL;
  BtImportStats st;

  g_assert_true (bt_import_file (store, path, BT_IMPORT_FORMAT_AUTO, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (st.format, ==, BT_IMPORT_FORMAT_COINMETRICS);
  g_assert_cmpuint (st.rows_read, ==, 3);
  g_assert_cmpuint (st.rows_written, ==, 2);     /* the third row is all empty */
  h = bt_store_load_history (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (h->first_day, ==, day_of ("2020-01-01"));
  g_assert_cmpuint (h->n_days, ==, 2);

  /* day 1: realized = 130e9 / 1.25 = 104e9; issuance = 1800 × 7200.5 =
   * 12 960 900; netflow = 25000 − 24000.5 = 999.5 */
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][0], ==, 7200.5);
  g_assert_true (isnan (h->input[BT_INPUT_OPEN][0]));
  g_assert_cmpfloat (h->input[BT_INPUT_MARKET_CAP][0], ==, 130e9);
  g_assert_cmpfloat_with_epsilon (h->input[BT_INPUT_REALIZED_CAP][0], 104e9, 1e-3);
  g_assert_cmpfloat (h->input[BT_INPUT_MVRV_RATIO][0], ==, 1.25);
  g_assert_cmpfloat (h->input[BT_INPUT_SUPPLY][0], ==, 18150000);
  g_assert_cmpfloat_with_epsilon (h->input[BT_INPUT_ISSUANCE_USD][0], 12960900, 1e-6);
  g_assert_cmpfloat_with_epsilon (h->input[BT_INPUT_NETFLOW][0], 999.5, 1e-9);
  g_assert_cmpuint (h->input_source[BT_INPUT_MARKET_CAP][0], ==, BT_SOURCE_IMPORT);
  /* day 2: no MVRV and no realized cap → neither; issuance = 1850.25 × 6985
   * = 12 922 250 + 1 746.25 = 12 923 996.25; no inflow → no netflow */
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][1], ==, 6985);
  g_assert_true (isnan (h->input[BT_INPUT_REALIZED_CAP][1]));
  g_assert_true (isnan (h->input[BT_INPUT_MVRV_RATIO][1]));
  g_assert_cmpfloat_with_epsilon (h->input[BT_INPUT_ISSUANCE_USD][1], 12923996.25, 1e-6);
  g_assert_true (isnan (h->input[BT_INPUT_NETFLOW][1]));
}

static void
test_coinmetrics_old_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = open_tmp_store ();
  g_autofree char *path = data_file ("import-coinmetrics-old.csv");
  g_autoptr(BtHistory) h = NULL;
  BtImportStats st;
  gssize a, b;

  g_assert_true (bt_import_file (store, path, BT_IMPORT_FORMAT_COINMETRICS, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (st.rows_read, ==, 3);
  h = bt_store_load_history (store, &error);
  /* the legacy price(USD) and marketcap(USD) of D are the values at 00:00
   * UTC of D, the close of D − 1: the 2013-04-01 row's 100.0 is the close of
   * 2013-03-31.  realizedCap and generatedCoins stay on their own day.
   * 2010-07-17: realizedCap 0.0 is "no data", generatedCoins without a price
   * gives no issuance: the history starts on 2013-03-31.  The 2013-04-02 row
   * keeps nothing for its own day (realizedCap 0.0, coins without a close):
   * it ends on 2013-04-01 */
  g_assert_cmpint (h->first_day, ==, day_of ("2013-03-31"));
  g_assert_cmpuint (h->n_days, ==, 2);
  a = bt_history_index (h, day_of ("2013-03-31"));
  b = bt_history_index (h, day_of ("2013-04-01"));
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][a], ==, 100);
  g_assert_cmpfloat (h->input[BT_INPUT_MARKET_CAP][a], ==, 1.1e9);
  g_assert_true (isnan (h->input[BT_INPUT_REALIZED_CAP][a]));
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][b], ==, 104.5);
  g_assert_cmpfloat (h->input[BT_INPUT_MARKET_CAP][b], ==, 1.15e9);
  g_assert_cmpfloat (h->input[BT_INPUT_REALIZED_CAP][b], ==, 440e6);
  /* no MVRV ratio of the file's own: market cap and realized cap of a row
   * belong to different days, the engine divides the aligned ones */
  g_assert_true (isnan (h->input[BT_INPUT_MVRV_RATIO][b]));
  /* the coins of 2013-04-01 (3600) at the close of 2013-04-01 (104.5, the
   * next row's price) */
  g_assert_cmpfloat_with_epsilon (h->input[BT_INPUT_ISSUANCE_USD][b], 376200, 1e-9);
}

static void
test_indicator_columns (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = open_tmp_store ();
  g_autofree char *path = data_file ("import-indicators.csv");
  g_autoptr(BtHistory) h = NULL;
  BtImportStats st;

  g_assert_true (bt_import_file (store, path, BT_IMPORT_FORMAT_AUTO, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (st.format, ==, BT_IMPORT_FORMAT_INDICATORS);
  h = bt_store_load_history (store, &error);
  g_assert_cmpuint (h->n_days, ==, 2);
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][0], ==, 49600.5);
  g_assert_cmpfloat (h->imported[BT_IND_MVRV_Z_SCORE][0], ==, 5.25);
  g_assert_cmpfloat (h->imported[BT_IND_MVRV_Z_SCORE][1], ==, -0.75);
  g_assert_cmpfloat (h->imported[BT_IND_RSI_WEEKLY][0], ==, 71.5);
  g_assert_true (isnan (h->imported[BT_IND_RSI_WEEKLY][1]));
  g_assert_cmpfloat (h->imported[BT_IND_FUNDING_RATE_7D][1], ==, -0.01);
  g_assert_cmpuint (h->imported_source[BT_IND_FUNDING_RATE_7D][1], ==, BT_SOURCE_IMPORT);
  g_assert_cmpfloat (h->imported[BT_IND_STH_SOPR][1], ==, 0.98);
}

/* ---- bad input -------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *content;
  gssize      len;
  guint       line;
  const char *problem;   /* a piece of the message */
} BadCase;

#define OHLCV_HEAD "Date,Open,High,Low,Close,Volume\n"
#define GOOD_ROWS "2030-01-01,10,12,9,11,5\n2030-01-02,11,13,10,12,6\n"
#define NUL_CONTENT OHLCV_HEAD GOOD_ROWS "2030-01-03,12\0,14,11,13,7\n"

static const BadCase bad_cases[] = {
  { "missing-column", "Date,Open,High,Low,Volume\n2030-01-01,1,2,0.5,3\n", -1, 1, "Close" },
  { "bad-number", OHLCV_HEAD GOOD_ROWS "2030-01-03,12,14,11,13x,7\n", -1, 4, "13x" },
  { "comma-decimal", OHLCV_HEAD GOOD_ROWS "2030-01-03,12,14,11,\"13,5\",7\n", -1, 4, "13,5" },
  { "bad-date", OHLCV_HEAD GOOD_ROWS "2030-02-30,12,14,11,13,7\n", -1, 4, "2030-02-30" },
  { "nan-price", OHLCV_HEAD GOOD_ROWS "2030-01-03,12,14,11,NaN,7\n", -1, 4, "NaN" },
  { "inf-price", OHLCV_HEAD GOOD_ROWS "2030-01-03,12,inf,11,13,7\n", -1, 4, "inf" },
  { "negative-price", OHLCV_HEAD GOOD_ROWS "2030-01-03,12,14,-11,13,7\n", -1, 4, "positive" },
  { "high-below-low", OHLCV_HEAD GOOD_ROWS "2030-01-03,12,10,11,10.5,7\n", -1, 4, "below" },
  { "close-outside", OHLCV_HEAD GOOD_ROWS "2030-01-03,12,14,11,15,7\n", -1, 4, "outside" },
  { "short-row", OHLCV_HEAD GOOD_ROWS "2030-01-03,12,14,11\n", -1, 4, "fields" },
  { "long-row", OHLCV_HEAD GOOD_ROWS "2030-01-03,12,14,11,13,7,8\n", -1, 4, "fields" },
  { "duplicate-day", OHLCV_HEAD GOOD_ROWS "2030-01-01,10,12,9,11.5,5\n", -1, 4, "twice" },
  { "empty", "", 0, 1, "empty" },
  { "blank-lines", "\n\n  \n", -1, 1, "empty" },
  { "header-only", OHLCV_HEAD, -1, 2, "no data rows" },
  { "nul-bytes", NUL_CONTENT, sizeof (NUL_CONTENT) - 1, 4, "binary" },
  { "bad-utf8", OHLCV_HEAD GOOD_ROWS "2030-01-03,12,14,11,13,7\xff\xfe\n", -1, 4, "UTF-8" },
  { "absurd-price", OHLCV_HEAD GOOD_ROWS "2030-01-03,12,2e9,11,13,7\n", -1, 4, "absurd" },
  { "negative-volume", OHLCV_HEAD GOOD_ROWS "2030-01-03,12,14,11,13,-7\n", -1, 4, "negative" },
  { "cm-negative-cap", "time,PriceUSD,CapMrktCurUSD\n2030-01-01,10,100\n2030-01-02,10,-5\n", -1, 3, "negative" },
  { "cm-absurd-supply", "date,SplyCur\n2030-01-01,19000000\n2030-01-02,9e9\n", -1, 3, "absurd" },
  { "rsi-out-of-range", "date,rsi_weekly\n2030-01-01,50\n2030-01-02,101\n", -1, 3, "RSI" },
  { "no-date-column", "when,PriceUSD\n2030-01-01,10\n", -1, 1, "date" },
  { "unknown-columns", "date,foo,bar\n2030-01-01,1,2\n", -1, 1, "no known data column" },
  { "unterminated-quote", OHLCV_HEAD GOOD_ROWS "2030-01-03,\"12,14,11,13,7\n", -1, 4, "quote" },
  { "v1-same-time-different", "timestamp,mvrv_z_score\n2030-01-01 10:00:00+00,1\n2030-01-01 10:00:00+00,2\n",
    -1, 3, "twice" },
};

static void
test_bad_input (void)
{
  g_autoptr(BtStore) store = open_tmp_store ();
  g_autofree char *good = data_file ("import-ohlcv.csv");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;

  /* a database that already holds data */
  g_assert_true (bt_import_file (store, good, BT_IMPORT_FORMAT_AUTO, NULL, &error));
  g_assert_no_error (error);
  before = dump_hash (store);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *bc = &bad_cases[i];
      g_autofree char *name = g_strconcat (bc->name, ".csv", NULL);
      g_autofree char *path = write_tmp (name, bc->content, bc->len);
      g_autofree char *prefix = g_strdup_printf ("%s:%u: ", path, bc->line);
      g_autofree char *after = NULL;
      BtImportStats st = { 0 };

      g_test_message ("case %s", bc->name);
      g_assert_false (bt_import_file (store, path, BT_IMPORT_FORMAT_AUTO, &st, &error));
      g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, prefix) || strstr (error->message, bc->problem) == NULL)
        g_error ("case %s: unexpected message “%s”", bc->name, error->message);
      g_assert_null (strchr (error->message, '\n'));          /* one line */
      g_clear_error (&error);
      after = dump_hash (store);
      g_assert_cmpstr (before, ==, after);
    }
}

static void
test_missing_file (void)
{
  g_autoptr(BtStore) store = open_tmp_store ();
  g_autoptr(GError) error = NULL;

  g_assert_false (bt_import_file (store, "/nonexistent/prices.csv", BT_IMPORT_FORMAT_AUTO, NULL, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/prices.csv: "));
}

static void
test_pt_br_locale (void)
{
  g_autoptr(BtStore) store = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *old = g_strdup (setlocale (LC_NUMERIC, NULL));

  if (setlocale (LC_NUMERIC, "pt_BR.UTF-8") == NULL)
    {
      g_free (old);
      g_test_skip ("the pt_BR.UTF-8 locale is not installed");
      return;
    }
  store = open_tmp_store ();
  path = data_file ("import-ohlcv.csv");
  g_assert_true (bt_import_file (store, path, BT_IMPORT_FORMAT_AUTO, NULL, &error));
  g_assert_no_error (error);
  check_ohlcv_history (store);
  setlocale (LC_NUMERIC, old);
  g_free (old);
}

/* ---- v1 ------------------------------------------------------------------------ */

static void
test_migrate_v1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = open_tmp_store ();
  g_autofree char *dir = data_file ("v1-migrate");
  g_autoptr(BtHistory) h = NULL;
  g_autofree char *before = NULL, *after = NULL;
  BtImportStats st;
  BtDay d1 = day_of ("2023-05-01");
  double hf = 0;

  g_assert_true (bt_import_migrate_v1 (store, dir, &st, &error));
  g_assert_no_error (error);
  /* 3 + 2 + 1 + 2 rows */
  g_assert_cmpuint (st.rows_read, ==, 8);
  g_assert_cmpint (st.first_day, ==, d1);
  g_assert_cmpint (st.last_day, ==, d1 + 2);
  g_assert_cmpint (st.first_changed, ==, d1);

  h = bt_store_load_history (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (h->first_day, ==, d1);
  g_assert_cmpuint (h->n_days, ==, 3);
  /* ciclo: two rows on 05-01, the 20:00 one wins */
  g_assert_cmpfloat (h->imported[BT_IND_MVRV_Z_SCORE][0], ==, 0.91);
  g_assert_cmpfloat (h->imported[BT_IND_REALIZED_PRICE_RATIO][0], ==, 1.38);
  g_assert_cmpfloat (h->imported[BT_IND_PUELL_MULTIPLE][0], ==, 0.74);
  g_assert_cmpfloat (h->imported[BT_IND_MVRV_Z_SCORE][1], ==, 0.88);
  g_assert_cmpfloat (h->imported[BT_IND_PUELL_MULTIPLE][1], ==, 0.7);
  g_assert_true (isnan (h->imported[BT_IND_MVRV_Z_SCORE][2]));
  g_assert_cmpuint (h->imported_source[BT_IND_MVRV_Z_SCORE][0], ==, BT_SOURCE_V1);
  /* momentum: renamed columns */
  g_assert_cmpfloat (h->imported[BT_IND_RSI_WEEKLY][0], ==, 52.5);
  g_assert_cmpfloat (h->imported[BT_IND_FUNDING_RATE_7D][2], ==, 0.011);
  g_assert_cmpfloat (h->imported[BT_IND_EXCHANGE_NETFLOW][0], ==, -1250.5);
  g_assert_cmpfloat (h->imported[BT_IND_LONG_SHORT_RATIO][2], ==, 1.3);
  g_assert_true (isnan (h->imported[BT_IND_RSI_WEEKLY][1]));
  /* tecnico: 2023-05-01 23:30 at −03:00 is 2023-05-02 02:30 UTC */
  g_assert_true (isnan (h->input[BT_INPUT_CLOSE][0]));
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][1], ==, 28050.5);
  g_assert_cmpuint (h->input_source[BT_INPUT_CLOSE][1], ==, BT_SOURCE_V1);
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][2], ==, 28700);
  g_assert_cmpfloat (h->imported[BT_IND_EMA_610_1W][1], ==, 18000);
  g_assert_cmpfloat (h->imported[BT_IND_EMA_144_1D][2], ==, 27420);
  /* risco: kept as legacy observations */
  g_assert_true (_bt_store_get_observation (store, BT_SOURCE_V1, "legacy_health_factor",
                                            bt_day_to_unix (d1 + 1), &hf, &error));
  g_assert_cmpfloat (hf, ==, 1.85);
  g_assert_true (_bt_store_get_observation (store, BT_SOURCE_V1, "legacy_liquidation_distance",
                                            bt_day_to_unix (d1 + 1), &hf, &error));
  g_assert_cmpfloat (hf, ==, 38.5);

  /* migrating again changes nothing */
  before = dump_hash (store);
  g_assert_true (bt_import_migrate_v1 (store, dir, &st, &error));
  g_assert_cmpuint (st.rows_written, ==, 0);
  g_assert_cmpint (st.first_changed, ==, BT_DAY_INVALID);
  after = dump_hash (store);
  g_assert_cmpstr (before, ==, after);
}

static void
test_migrate_v1_partial (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = open_tmp_store ();
  g_autofree char *src = data_file ("v1-migrate/indicadores_ciclo.csv");
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *ciclo = g_build_filename (dir, "indicadores_ciclo.csv", NULL);
  g_autofree char *tecnico = g_build_filename (dir, "indicadores_tecnico.csv", NULL);
  g_autofree char *empty_dir = make_tmpdir ();
  g_autofree char *contents = NULL;
  g_autofree char *before = NULL, *after = NULL;
  BtImportStats st;

  /* nothing there at all */
  g_assert_false (bt_import_migrate_v1 (store, empty_dir, &st, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* a good ciclo and a bad tecnico: nothing is written */
  g_assert_true (g_file_get_contents (src, &contents, NULL, NULL));
  g_assert_true (g_file_set_contents (ciclo, contents, -1, NULL));
  g_assert_true (g_file_set_contents (tecnico, "timestamp,btc_price_current\n2023-05-01,28000\n"
                                      "2023-05-02,-5\n", -1, NULL));
  before = dump_hash (store);
  g_assert_false (bt_import_migrate_v1 (store, dir, &st, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "indicadores_tecnico.csv:3: "));
  g_clear_error (&error);
  after = dump_hash (store);
  g_assert_cmpstr (before, ==, after);

  /* only ciclo: fine */
  g_assert_cmpint (g_unlink (tecnico), ==, 0);
  g_assert_true (bt_import_migrate_v1 (store, dir, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (st.rows_read, ==, 3);
  g_assert_cmpuint (st.rows_written, ==, 2);      /* two days */
}

/* ---- the real Coin Metrics history ------------------------------------------------ */

static void
test_real_coinmetrics (void)
{
  const char *shared = g_getenv ("BT_SHARED_DATA");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  g_autoptr(BtStore) store = NULL;
  g_autoptr(BtHistory) h = NULL;
  g_autoptr(GError) error = NULL;
  BtImportStats st;
  int col_price = -1, col_mc = -1, col_rc = -1;
  guint checked = 0;

  if (shared == NULL)
    {
      g_test_skip ("BT_SHARED_DATA is not set");
      return;
    }
  path = g_build_filename (shared, "coinmetrics-btc-2009-2019.csv", NULL);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      g_test_skip ("the Coin Metrics history is not there");
      return;
    }
  store = open_tmp_store ();
  g_assert_true (bt_import_file (store, path, BT_IMPORT_FORMAT_AUTO, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (st.format, ==, BT_IMPORT_FORMAT_COINMETRICS);
  h = bt_store_load_history (store, &error);
  g_assert_no_error (error);

  /* a second, naive reading of the same file: split every line */
  lines = g_strsplit (text, "\n", -1);
  header = g_strsplit (lines[0], ",", -1);
  for (int i = 0; header[i]; i++)
    {
      if (g_str_equal (header[i], "price(USD)"))
        col_price = i;
      else if (g_str_equal (header[i], "marketcap(USD)"))
        col_mc = i;
      else if (g_str_equal (header[i], "realizedCap(USD)"))
        col_rc = i;
    }
  g_assert_cmpint (col_price, >=, 0);
  g_assert_cmpuint (st.rows_read, ==, g_strv_length (lines) - 2);   /* header, final newline */
  for (guint l = 1; lines[l] && lines[l][0]; l++)
    {
      g_auto(GStrv) f = g_strsplit (lines[l], ",", -1);
      BtDay d;
      gssize i;
      double price = g_ascii_strtod (f[col_price], NULL);
      double mc = g_ascii_strtod (f[col_mc], NULL);
      double rc = g_ascii_strtod (f[col_rc], NULL);

      g_assert_true (bt_day_parse (f[0], &d));
      /* the legacy price and market cap of D are stored for D − 1 (the
       * value at 00:00 UTC of D is the close of D − 1), realizedCap on D */
      i = bt_history_index (h, d - 1);
      if (rc > 0)
        {
          gssize j = bt_history_index (h, d);

          g_assert_cmpint (j, >=, 0);
          g_assert_cmpfloat (h->input[BT_INPUT_REALIZED_CAP][j], ==, rc);
        }
      if (f[col_price][0] == '\0')
        {
          if (i >= 0)
            g_assert_true (isnan (h->input[BT_INPUT_CLOSE][i]));
          continue;
        }
      g_assert_cmpint (i, >=, 0);
      g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][i], ==, price);
      g_assert_cmpfloat (h->input[BT_INPUT_MARKET_CAP][i], ==, mc);
      g_assert_true (isnan (h->input[BT_INPUT_MVRV_RATIO][i]));
      checked++;
    }
  g_assert_cmpuint (checked, >, 2000);   /* prices from 2013-04-28 on */
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_root = g_dir_make_tmp ("bt-import-XXXXXX", NULL);
  g_assert_nonnull (tmp_root);

  g_test_add_func ("/core/import/ohlcv-round-trip", test_ohlcv_round_trip);
  g_test_add_func ("/core/import/ohlcv-columns", test_ohlcv_columns);
  g_test_add_func ("/core/import/coinmetrics", test_coinmetrics);
  g_test_add_func ("/core/import/coinmetrics-old-names", test_coinmetrics_old_names);
  g_test_add_func ("/core/import/indicator-columns", test_indicator_columns);
  g_test_add_func ("/core/import/bad-input", test_bad_input);
  g_test_add_func ("/core/import/missing-file", test_missing_file);
  g_test_add_func ("/core/import/pt-br-locale", test_pt_br_locale);
  g_test_add_func ("/core/import/migrate-v1", test_migrate_v1);
  g_test_add_func ("/core/import/migrate-v1-partial", test_migrate_v1_partial);
  g_test_add_func ("/core/import/real-coinmetrics", test_real_coinmetrics);

  status = g_test_run ();
  remove_tree (tmp_root);
  g_free (tmp_root);
  return status;
}
