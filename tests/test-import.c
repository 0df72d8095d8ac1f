/* test-import.c: CSV imports and the v1 migration. */
#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "bt-base.h"
#include "bt-import.h"
#include "bt-store.h"
#include "bt-test-util.h"
#include "bt-store-private.h"

/* Every database and file of the run lives under one private directory,
 * removed at the end. */
static char *tmp_root;

static char *
data_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

/* A test's own new database below the run's directory. */
typedef struct
{
  BtStore *store;
} StoreFixture;

static void
store_setup (StoreFixture  *f,
             gconstpointer  data)
{
  f->store = bt_test_open_tmp_store (tmp_root, NULL);
}

static void
store_teardown (StoreFixture  *f,
                gconstpointer  data)
{
  g_clear_object (&f->store);
}

#define add_store_test(path, func) \
  g_test_add ((path), StoreFixture, NULL, store_setup, (func), store_teardown)

/* Imports PATH into STORE with FORMAT; asserts it succeeded. */
static void
import_file_ok (BtStore        *store,
                const char     *path,
                BtImportFormat  format,
                BtImportStats  *st)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bt_import_file (store, path, format, st, &error));
  g_assert_no_error (error);
}

/* The merged history of STORE; asserts it loaded. */
static BtHistory *
load_history (BtStore *store)
{
  g_autoptr(GError) error = NULL;
  BtHistory *h = bt_store_load_history (store, &error);

  g_assert_no_error (error);
  return h;
}

/* Imports the test data file NAME as FORMAT (asserts it did) and returns
 * the merged history. */
static BtHistory *
import_data_file (BtStore        *store,
                  const char     *name,
                  BtImportFormat  format,
                  BtImportStats  *st)
{
  g_autofree char *path = data_file (name);

  import_file_ok (store, path, format, st);
  return load_history (store);
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
  char *path = bt_test_tmp_path (tmp_root, name);

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
  g_autoptr(BtHistory) h = load_history (store);
  g_assert_cmpint (h->first_day, ==, bt_test_day ("2024-01-01"));
  g_assert_cmpuint (h->n_days, ==, G_N_ELEMENTS (ohlcv_rows));
  for (guint i = 0; i < G_N_ELEMENTS (ohlcv_rows); i++)
    {
      gssize k = bt_history_index (h, bt_test_day (ohlcv_rows[i].date));

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
test_ohlcv_round_trip (StoreFixture  *f,
                       gconstpointer  data)
{
  BtStore *store = f->store;
  g_autofree char *path = data_file ("import-ohlcv.csv");
  g_autofree char *before = NULL, *after = NULL;
  BtImportStats st;
  guint64 version;

  import_file_ok (store, path, BT_IMPORT_FORMAT_AUTO, &st);
  g_assert_cmpuint (st.format, ==, BT_IMPORT_FORMAT_OHLCV);
  g_assert_cmpuint (st.rows_read, ==, 5);
  g_assert_cmpuint (st.rows_written, ==, 5);
  g_assert_cmpint (st.first_day, ==, bt_test_day ("2024-01-01"));
  g_assert_cmpint (st.last_day, ==, bt_test_day ("2024-01-05"));
  g_assert_cmpint (st.first_changed, ==, bt_test_day ("2024-01-01"));
  check_ohlcv_history (store);

  /* re-importing changes nothing */
  version = bt_store_get_data_version (store);
  before = dump_hash (store);
  import_file_ok (store, path, BT_IMPORT_FORMAT_OHLCV, &st);
  g_assert_cmpuint (st.rows_read, ==, 5);
  g_assert_cmpuint (st.rows_written, ==, 0);
  g_assert_cmpint (st.first_changed, ==, BT_DAY_INVALID);
  g_assert_cmpuint (bt_store_get_data_version (store), ==, version);
  after = dump_hash (store);
  g_assert_cmpstr (before, ==, after);
}

static void
test_ohlcv_columns (StoreFixture  *f,
                    gconstpointer  data)
{
  BtStore *store = f->store;
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

  import_file_ok (store, path, BT_IMPORT_FORMAT_AUTO, &st);
  g_assert_cmpuint (st.rows_read, ==, 3);
  g_assert_cmpuint (st.rows_written, ==, 2);
  g_assert_cmpint (st.first_changed, ==, bt_test_day ("2022-06-01"));
  h = load_history (store);
  g_assert_cmpuint (h->n_days, ==, 2);
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][0], ==, 95);
  g_assert_cmpfloat (h->input[BT_INPUT_OPEN][0], ==, 85);
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][1], ==, 105.5);
  g_assert_cmpfloat (h->input[BT_INPUT_HIGH][1], ==, 110);
  g_assert_cmpfloat (h->input[BT_INPUT_VOLUME][1], ==, 10);
}

/* ---- Coin Metrics ---------------------------------------------------------- */

static void
test_coinmetrics (StoreFixture  *f,
                  gconstpointer  data)
{
  BtImportStats st;
  g_autoptr(BtHistory) h = import_data_file (f->store, "import-coinmetrics.csv",
                                             BT_IMPORT_FORMAT_AUTO, &st);

  g_assert_cmpuint (st.format, ==, BT_IMPORT_FORMAT_COINMETRICS);
  g_assert_cmpuint (st.rows_read, ==, 3);
  g_assert_cmpuint (st.rows_written, ==, 2);     /* the third row is all empty */
  g_assert_cmpint (h->first_day, ==, bt_test_day ("2020-01-01"));
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
test_coinmetrics_old_names (StoreFixture  *f,
                            gconstpointer  data)
{
  BtImportStats st;
  gssize a, b;
  g_autoptr(BtHistory) h = import_data_file (f->store, "import-coinmetrics-old.csv",
                                             BT_IMPORT_FORMAT_COINMETRICS, &st);

  g_assert_cmpuint (st.rows_read, ==, 3);
  /* the legacy price(USD) and marketcap(USD) of D are the values at 00:00
   * UTC of D, the close of D − 1: the 2013-04-01 row's 100.0 is the close of
   * 2013-03-31.  realizedCap and generatedCoins stay on their own day.
   * 2010-07-17: realizedCap 0.0 is "no data", generatedCoins without a price
   * gives no issuance: the history starts on 2013-03-31.  The 2013-04-02 row
   * keeps nothing for its own day (realizedCap 0.0, coins without a close):
   * it ends on 2013-04-01 */
  g_assert_cmpint (h->first_day, ==, bt_test_day ("2013-03-31"));
  g_assert_cmpuint (h->n_days, ==, 2);
  a = bt_history_index (h, bt_test_day ("2013-03-31"));
  b = bt_history_index (h, bt_test_day ("2013-04-01"));
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
test_indicator_columns (StoreFixture  *f,
                        gconstpointer  data)
{
  BtImportStats st;
  g_autoptr(BtHistory) h = import_data_file (f->store, "import-indicators.csv",
                                             BT_IMPORT_FORMAT_AUTO, &st);

  g_assert_cmpuint (st.format, ==, BT_IMPORT_FORMAT_INDICATORS);
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
test_bad_input (StoreFixture  *f,
                gconstpointer  data)
{
  BtStore *store = f->store;
  g_autofree char *good = data_file ("import-ohlcv.csv");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;

  /* a database that already holds data */
  import_file_ok (store, good, BT_IMPORT_FORMAT_AUTO, NULL);
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
test_missing_file (StoreFixture  *f,
                   gconstpointer  data)
{
  BtStore *store = f->store;
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
  store = bt_test_open_tmp_store (tmp_root, NULL);
  path = data_file ("import-ohlcv.csv");
  import_file_ok (store, path, BT_IMPORT_FORMAT_AUTO, NULL);
  check_ohlcv_history (store);
  setlocale (LC_NUMERIC, old);
  g_free (old);
}

/* ---- v1 ------------------------------------------------------------------------ */

static void
test_migrate_v1 (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BtStore *store = f->store;
  g_autofree char *dir = data_file ("v1-migrate");
  g_autoptr(BtHistory) h = NULL;
  g_autofree char *before = NULL, *after = NULL;
  BtImportStats st;
  BtDay d1 = bt_test_day ("2023-05-01");
  double hf = 0;

  g_assert_true (bt_import_migrate_v1 (store, dir, &st, &error));
  g_assert_no_error (error);
  /* 3 + 2 + 1 + 2 rows */
  g_assert_cmpuint (st.rows_read, ==, 8);
  g_assert_cmpint (st.first_day, ==, d1);
  g_assert_cmpint (st.last_day, ==, d1 + 2);
  g_assert_cmpint (st.first_changed, ==, d1);

  h = load_history (store);
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
test_migrate_v1_partial (StoreFixture  *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BtStore *store = f->store;
  g_autofree char *src = data_file ("v1-migrate/indicadores_ciclo.csv");
  g_autofree char *dir = bt_test_make_tmpdir (tmp_root);
  g_autofree char *ciclo = g_build_filename (dir, "indicadores_ciclo.csv", NULL);
  g_autofree char *tecnico = g_build_filename (dir, "indicadores_tecnico.csv", NULL);
  g_autofree char *empty_dir = bt_test_make_tmpdir (tmp_root);
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
  g_autofree char *path = NULL;
  g_auto(GStrv) lines = bt_test_read_shared_lines ("coinmetrics-btc-2009-2019.csv", &path);
  g_autoptr(BtStore) store = NULL;
  g_autoptr(BtHistory) h = NULL;
  BtImportStats st;
  int col_price, col_mc, col_rc;
  guint checked = 0;

  if (lines == NULL)
    return;
  store = bt_test_open_tmp_store (tmp_root, NULL);
  import_file_ok (store, path, BT_IMPORT_FORMAT_AUTO, &st);
  g_assert_cmpuint (st.format, ==, BT_IMPORT_FORMAT_COINMETRICS);
  h = load_history (store);

  /* a second, naive reading of the same file: split every line */
  col_price = bt_test_csv_column (lines[0], "price(USD)");
  col_mc = bt_test_csv_column (lines[0], "marketcap(USD)");
  col_rc = bt_test_csv_column (lines[0], "realizedCap(USD)");
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

/* ---- provenance: batches, precedence, removal --------------------------------- */

/* A hash of the raw inputs and the batches (without their import time),
 * ordered: equal hashes = the same data from the same batches. */
static char *
content_hash (BtStore  *store,
              gboolean  with_batch_ids)
{
  static const char *const queries[2][3] = {
    {
      "SELECT source, interval, open_time, open, high, low, close, volume, provisional FROM candles"
      " ORDER BY 1, 2, 3, 4, 5, 6, 7",
      "SELECT source, metric, time, value FROM observations ORDER BY 1, 2, 3, 4",
      "SELECT file, kind, rows, first_day, last_day, digest FROM import_batches ORDER BY 1, 2, 6",
    },
    {
      "SELECT source, interval, open_time, batch, open, high, low, close, volume, provisional FROM candles"
      " ORDER BY 1, 2, 3, 4",
      "SELECT source, metric, time, batch, value FROM observations ORDER BY 1, 2, 3, 4",
      "SELECT id, file, kind, rows, first_day, last_day, digest FROM import_batches ORDER BY 1",
    },
  };
  sqlite3 *db = _bt_store_get_handle (store);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint q = 0; q < 3; q++)
    {
      g_autoptr(sqlite3_stmt) rows = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[with_batch_ids][q], -1, &rows, NULL), ==, SQLITE_OK);
      g_checksum_update (sum, (const guchar *) "\x03", 1);
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

static gint64
import_ok (BtStore            *store,
           const char         *path,
           const char * const *columns)
{
  g_autoptr(GError) error = NULL;
  BtImportOptions options = { columns, BT_DAY_INVALID, FALSE, NULL };
  BtImportStats st;

  g_assert_true (bt_import_file_full (store, path, BT_IMPORT_FORMAT_AUTO, &options, &st, &error));
  g_assert_no_error (error);
  g_assert_false (st.already_imported);
  g_assert_cmpint (st.batch, >, 0);
  return st.batch;
}

/* Random daily history: candles that hold together, a close-only series
 * that differs from them, with random overlaps. */
typedef struct
{
  double o, h, l, c, v;
  double price;          /* the close-only file's value, NAN when absent */
  gboolean in_ohlcv;
} PropDay;

static char *
write_property_files (PropDay  *days,
                      guint     n,
                      BtDay     first,
                      gboolean  newest_first,
                      char    **close_path)
{
  g_autoptr(GString) a = g_string_new ("Date,Open,High,Low,Close,Volume\n");
  g_autoptr(GString) b = g_string_new ("date,price\n");
  g_autofree char *dir = bt_test_make_tmpdir (tmp_root);
  char *ohlcv_path = g_build_filename (dir, "exchange.csv", NULL);

  for (guint k = 0; k < n; k++)
    {
      guint i = newest_first ? n - 1 - k : k;
      char day[11];

      bt_day_format (first + (BtDay) i, day);
      if (days[i].in_ohlcv)
        g_string_append_printf (a, "%s,%.2f,%.2f,%.2f,%.2f,%.3f\n", day, days[i].o, days[i].h,
                                days[i].l, days[i].c, days[i].v);
      if (!isnan (days[i].price))
        g_string_append_printf (b, "%s,%.4f\n", day, days[i].price);
    }
  /* the close-only file sorts first by name: only the kind of row decides */
  *close_path = g_build_filename (dir, "a-reference.csv", NULL);
  g_assert_true (g_file_set_contents (ohlcv_path, a->str, -1, NULL));
  g_assert_true (g_file_set_contents (*close_path, b->str, -1, NULL));
  return ohlcv_path;
}

static void
assert_same_merged (GArray *x,
                    GArray *y)
{
  g_assert_cmpuint (x->len, ==, y->len);
  for (guint i = 0; i < x->len; i++)
    {
      const BtMergedDay *a = &g_array_index (x, BtMergedDay, i);
      const BtMergedDay *b = &g_array_index (y, BtMergedDay, i);

      g_assert_cmpint (a->date, ==, b->date);
      g_assert_true ((isnan (a->open) && isnan (b->open)) || a->open == b->open);
      g_assert_true ((isnan (a->low) && isnan (b->low)) || a->low == b->low);
      g_assert_cmpfloat (a->close, ==, b->close);
      g_assert_cmpint (a->source, ==, b->source);
    }
}

/* An OHLCV export and a close-only file imported in either order give the
 * same merged history, and every OHLCV day keeps its own candle. */
static void
test_precedence_property (void)
{
  for (guint iteration = 0; iteration < 12; iteration++)
    {
      guint n = (guint) g_test_rand_int_range (5, 60);
      g_autofree PropDay *days = g_new0 (PropDay, n);
      BtDay first = bt_test_day ("2021-01-01") + g_test_rand_int_range (0, 1000);
      gboolean newest_first = g_test_rand_bit ();
      g_autofree char *close_path = NULL;
      g_autofree char *ohlcv_path = NULL;
      g_autoptr(BtStore) ab = bt_test_open_tmp_store (tmp_root, NULL);
      g_autoptr(BtStore) ba = bt_test_open_tmp_store (tmp_root, NULL);
      g_autoptr(GArray) x = NULL;
      g_autoptr(GArray) y = NULL;
      g_autoptr(GError) error = NULL;
      guint n_ohlcv = 0, n_close = 0;

      for (guint i = 0; i < n; i++)
        {
          double c = round (g_test_rand_double_range (1000, 90000) * 100) / 100;

          days[i].in_ohlcv = g_test_rand_int_range (0, 3) != 0;
          days[i].c = c;
          days[i].o = round (c * g_test_rand_double_range (0.95, 1.05) * 100) / 100;
          days[i].h = MAX (days[i].o, c) + 10;
          days[i].l = MIN (days[i].o, c) - 10;
          days[i].v = round (g_test_rand_double_range (1, 5000) * 1000) / 1000;
          /* a reference rate a little away from the exchange close */
          days[i].price = g_test_rand_int_range (0, 3) != 0
                          ? round (c * g_test_rand_double_range (0.97, 1.03) * 10000) / 10000 : NAN;
          n_ohlcv += days[i].in_ohlcv;
          n_close += !isnan (days[i].price);
        }
      if (n_ohlcv == 0 || n_close == 0)
        {
          days[0].in_ohlcv = TRUE;
          days[n - 1].price = 1234.5;
        }
      ohlcv_path = write_property_files (days, n, first, newest_first, &close_path);
      import_ok (ab, ohlcv_path, NULL);
      import_ok (ab, close_path, NULL);
      import_ok (ba, close_path, NULL);
      import_ok (ba, ohlcv_path, NULL);
      x = bt_store_list_merged_history (ab, BT_DAY_INVALID, BT_DAY_INVALID, &error);
      g_assert_no_error (error);
      y = bt_store_list_merged_history (ba, BT_DAY_INVALID, BT_DAY_INVALID, &error);
      g_assert_no_error (error);
      assert_same_merged (x, y);
      for (guint k = 0; k < x->len; k++)
        {
          const BtMergedDay *m = &g_array_index (x, BtMergedDay, k);
          const PropDay *d = &days[m->date - first];

          g_assert_cmpint (m->date - first, <, (BtDay) n);
          if (d->in_ohlcv)
            {
              /* the exchange's own candle, never the reference close */
              g_assert_cmpfloat_with_epsilon (m->open, d->o, 1e-9);
              g_assert_cmpfloat_with_epsilon (m->high, d->h, 1e-9);
              g_assert_cmpfloat_with_epsilon (m->low, d->l, 1e-9);
              g_assert_cmpfloat_with_epsilon (m->close, d->c, 1e-9);
              g_assert_cmpfloat_with_epsilon (m->volume, d->v, 1e-9);
            }
          else
            {
              g_assert_false (isnan (d->price));
              g_assert_cmpfloat_with_epsilon (m->close, d->price, 1e-9);
              g_assert_true (isnan (m->open) && isnan (m->high) && isnan (m->low));
            }
        }
    }
}

/* Removing a batch leaves the database as if it had never been imported;
 * the values it outranked come back. */
static void
test_remove_batch (void)
{
  g_autofree char *dir = bt_test_make_tmpdir (tmp_root);
  g_autofree char *a = g_build_filename (dir, "exchange.csv", NULL);
  g_autofree char *b = g_build_filename (dir, "other-exchange.csv", NULL);
  g_autofree char *c = g_build_filename (dir, "reference.csv", NULL);
  g_autoptr(BtStore) with = bt_test_open_tmp_store (tmp_root, NULL);
  g_autoptr(BtStore) without = bt_test_open_tmp_store (tmp_root, NULL);
  g_autoptr(BtStore) reverse = bt_test_open_tmp_store (tmp_root, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) m = NULL;
  g_autoptr(GPtrArray) batches = NULL;
  g_autofree char *h1 = NULL, *h2 = NULL;
  BtDay first_changed = BT_DAY_INVALID;
  gint64 id_b;

  g_assert_true (g_file_set_contents (a, "Date,Open,High,Low,Close,Volume\n"
                                      "2024-03-01,100,110,90,105,1\n"
                                      "2024-03-02,105,120,100,115,2\n", -1, NULL));
  /* another full source over the same days and one more: its file name
   * sorts after the first, so the first keeps the shared days */
  g_assert_true (g_file_set_contents (b, "Date,Open,High,Low,Close,Volume\n"
                                      "2024-03-02,106,121,101,116,3\n"
                                      "2024-03-03,116,130,110,125,4\n", -1, NULL));
  g_assert_true (g_file_set_contents (c, "date,PriceUSD,CapMrktCurUSD\n"
                                      "2024-02-29,99,1.9e12\n"
                                      "2024-03-01,104,2e12\n"
                                      "2024-03-03,126,2.4e12\n", -1, NULL));

  import_ok (with, a, NULL);
  import_ok (with, c, NULL);
  id_b = import_ok (with, b, NULL);
  m = bt_store_list_merged_history (with, BT_DAY_INVALID, BT_DAY_INVALID, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (m->len, ==, 4);
  g_assert_cmpfloat (g_array_index (m, BtMergedDay, 0).close, ==, 99);     /* only the reference */
  g_assert_cmpfloat (g_array_index (m, BtMergedDay, 1).close, ==, 105);    /* exchange over reference */
  g_assert_cmpfloat (g_array_index (m, BtMergedDay, 2).close, ==, 115);    /* exchange.csv sorts first */
  g_assert_cmpfloat (g_array_index (m, BtMergedDay, 3).close, ==, 125);    /* full over close-only */
  g_assert_cmpint (g_array_index (m, BtMergedDay, 3).batch, ==, id_b);
  g_clear_pointer (&m, g_array_unref);

  g_assert_true (bt_store_remove_batch (with, id_b, &first_changed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first_changed, ==, bt_test_day ("2024-03-02"));
  /* the reference close of 2024-03-03 comes back */
  m = bt_store_list_merged_history (with, bt_test_day ("2024-03-03"), BT_DAY_INVALID, &error);
  g_assert_cmpuint (m->len, ==, 1);
  g_assert_cmpfloat (g_array_index (m, BtMergedDay, 0).close, ==, 126);
  g_assert_true (isnan (g_array_index (m, BtMergedDay, 0).open));

  import_ok (without, a, NULL);
  import_ok (without, c, NULL);
  h1 = content_hash (with, TRUE);
  h2 = content_hash (without, TRUE);
  g_assert_cmpstr (h1, ==, h2);

  /* the batch imported first and removed: the same data (other batch ids) */
  id_b = import_ok (reverse, b, NULL);
  import_ok (reverse, c, NULL);
  import_ok (reverse, a, NULL);
  g_assert_true (bt_store_remove_batch (reverse, id_b, NULL, &error));
  g_assert_no_error (error);
  g_free (h1);
  g_free (h2);
  h1 = content_hash (reverse, FALSE);
  h2 = content_hash (without, FALSE);
  g_assert_cmpstr (h1, ==, h2);

  /* a batch that does not exist: an error, nothing changes */
  g_free (h1);
  h1 = content_hash (with, TRUE);
  g_assert_false (bt_store_remove_batch (with, 999, NULL, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_free (h2);
  h2 = content_hash (with, TRUE);
  g_assert_cmpstr (h1, ==, h2);

  batches = bt_store_list_batches (with, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batches->len, ==, 2);
  g_assert_cmpstr (((BtImportBatch *) batches->pdata[0])->file, ==, "exchange.csv");
  g_assert_cmpstr (((BtImportBatch *) batches->pdata[0])->kind, ==, "ohlcv");
  g_assert_cmpuint (((BtImportBatch *) batches->pdata[0])->rows, ==, 2);
  g_assert_cmpstr (((BtImportBatch *) batches->pdata[1])->kind, ==, "coinmetrics");
  g_assert_cmpint (((BtImportBatch *) batches->pdata[1])->first_day, ==, bt_test_day ("2024-02-29"));
}

/* The user's source order decides between two full sources. */
static void
test_source_order (StoreFixture  *f,
                   gconstpointer  data)
{
  g_autofree char *a = write_tmp ("a.csv", "Date,Open,High,Low,Close\n2024-03-01,100,110,90,105\n", -1);
  BtStore *store = f->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) m = NULL;
  g_autofree char *order = NULL;
  BtCandle k = { bt_day_to_unix (bt_test_day ("2024-03-01")), 101, 111, 91, 106, 7, FALSE };

  import_ok (store, a, NULL);
  g_assert_true (bt_store_upsert_candles (store, BT_SOURCE_KRAKEN, "1d", &k, 1, NULL, NULL, &error));
  g_assert_no_error (error);
  order = bt_store_dup_source_order (store, &error);
  g_assert_cmpstr (order, ==, "binance,coinbase,kraken,import,v1,coinmetrics");
  m = bt_store_list_merged_history (store, BT_DAY_INVALID, BT_DAY_INVALID, &error);
  g_assert_cmpfloat (g_array_index (m, BtMergedDay, 0).close, ==, 106);   /* kraken before import */
  g_clear_pointer (&m, g_array_unref);

  g_assert_true (bt_store_set_source_order (store, "import,kraken", &error));
  m = bt_store_list_merged_history (store, BT_DAY_INVALID, BT_DAY_INVALID, &error);
  g_assert_cmpfloat (g_array_index (m, BtMergedDay, 0).close, ==, 105);
  g_assert_cmpfloat (g_array_index (m, BtMergedDay, 0).low, ==, 90);
  g_clear_pointer (&m, g_array_unref);

  g_assert_false (bt_store_set_source_order (store, "import,nasdaq", &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID);
}

/* Column mapping, common date forms, newest-first rows, unknown columns. */
static void
test_column_mapping (StoreFixture  *f,
                     gconstpointer  data)
{
  BtStore *store = f->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sopr = write_tmp ("glassnode.csv",
                                     "t,indicators_sopr_less_155,other\n"
                                     "2019-11-17,0.9977,1\n"
                                     "2019-11-16,1.0125,2\n", -1);
  g_autofree char *unix_s = write_tmp ("unix.csv", "unix,price\n1704067200,42000.5\n1704153600,42100\n", -1);
  g_autofree char *unix_ms = write_tmp ("ms.csv", "timestamp,close\n1704240000000,43000\n", -1);
  g_autofree char *datetime = write_tmp ("dt.csv", "Datetime,funding\n2024-01-04 00:00:00,0.0001\n", -1);
  g_autofree char *not_midnight = write_tmp ("noon.csv", "Datetime,price\n2024-01-05 12:00:00,1\n", -1);
  g_autofree char *bad_field = write_tmp ("bad.csv", "date,x\n2024-01-05,1\n", -1);
  const char *const sopr_map[] = { "indicators_sopr_less_155=sth_sopr", NULL };
  const char *const funding_map[] = { "funding=funding_rate", NULL };
  const char *const wrong_map[] = { "x=sopr", NULL };
  const char *const absent_map[] = { "y=close", NULL };
  BtImportOptions options = { sopr_map, BT_DAY_INVALID, FALSE, unknown };
  g_autoptr(BtHistory) h = NULL;
  g_autofree char *before = NULL, *after = NULL;
  BtImportStats st;
  gssize i;

  /* without a mapping, the Glassnode name is not known */
  g_assert_false (bt_import_file (store, sopr, BT_IMPORT_FORMAT_AUTO, NULL, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "--column"));
  g_clear_error (&error);

  g_assert_true (bt_import_file_full (store, sopr, BT_IMPORT_FORMAT_AUTO, &options, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (unknown->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (unknown, 0), ==, "other");
  g_assert_cmpint (st.first_day, ==, bt_test_day ("2019-11-16"));
  g_assert_cmpint (st.last_day, ==, bt_test_day ("2019-11-17"));
  import_ok (store, unix_s, NULL);
  import_ok (store, unix_ms, NULL);
  import_ok (store, datetime, funding_map);

  h = load_history (store);
  i = bt_history_index (h, bt_test_day ("2019-11-16"));
  g_assert_cmpfloat (h->input[BT_INPUT_STH_SOPR][i], ==, 1.0125);
  g_assert_cmpfloat (h->input[BT_INPUT_STH_SOPR][i + 1], ==, 0.9977);
  i = bt_history_index (h, bt_test_day ("2024-01-01"));
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][i], ==, 42000.5);           /* 1704067200 = 2024-01-01 */
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][i + 1], ==, 42100);
  g_assert_cmpfloat (h->input[BT_INPUT_CLOSE][i + 2], ==, 43000);          /* milliseconds */
  /* a daily mean funding of 0.0001 (a fraction) is 0.01 % per 8 h */
  g_assert_cmpfloat_with_epsilon (h->input[BT_INPUT_FUNDING_SUM][i + 3], 0.01, 1e-15);
  g_assert_cmpfloat (h->input[BT_INPUT_FUNDING_COUNT][i + 3], ==, 1);

  before = content_hash (store, TRUE);
  g_assert_false (bt_import_file (store, not_midnight, BT_IMPORT_FORMAT_AUTO, NULL, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID);
  g_assert_true (g_str_has_suffix (error->message, "00:00 UTC (a daily row needs midnight)"));
  g_assert_nonnull (strstr (error->message, "noon.csv:2: "));
  g_clear_error (&error);
  options.columns = wrong_map;
  g_assert_false (bt_import_file_full (store, bad_field, BT_IMPORT_FORMAT_AUTO, &options, NULL, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“sopr” is not a field"));
  g_clear_error (&error);
  options.columns = absent_map;
  g_assert_false (bt_import_file_full (store, bad_field, BT_IMPORT_FORMAT_AUTO, &options, NULL, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "bad.csv:1: "));
  g_clear_error (&error);
  after = content_hash (store, TRUE);
  g_assert_cmpstr (before, ==, after);

  g_assert_cmpstr (bt_import_guess_field ("t"), ==, "date");
  g_assert_cmpstr (bt_import_guess_field ("Close"), ==, "close");
  g_assert_cmpstr (bt_import_guess_field ("price"), ==, "PriceUSD");
  g_assert_cmpstr (bt_import_guess_field ("rsi_weekly"), ==, "rsi_weekly");
  g_assert_null (bt_import_guess_field ("funding_abs"));
}

/* A row of a day still open is provisional: it never outranks a closed day
 * of any source, and it is the close only where nothing else exists. */
static void
test_provisional_day (StoreFixture  *f,
                      gconstpointer  data)
{
  BtStore *store = f->store;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = write_tmp ("live.csv", "Date,Open,High,Low,Close\n"
                                  "2026-06-26,100,110,90,105\n2026-06-27,105,106,104,105.5\n", -1);
  g_autofree char *b = write_tmp ("ref.csv", "date,PriceUSD\n2026-06-27,107\n", -1);
  BtImportOptions options = { NULL, 0, FALSE, NULL };
  g_autoptr(GArray) m = NULL;
  BtImportStats st;
  BtStoreSeries series = { BT_SOURCE_IMPORT, 0, "1d" };
  BtCandle c;

  options.today = bt_test_day ("2026-06-27");
  g_assert_true (bt_import_file_full (store, a, BT_IMPORT_FORMAT_AUTO, &options, &st, &error));
  g_assert_no_error (error);
  series.batch = st.batch;
  g_assert_true (_bt_store_get_batch_candle (store, &series, bt_day_to_unix (bt_test_day ("2026-06-27")),
                                             &c, &error));
  g_assert_true (c.provisional);
  g_assert_true (_bt_store_get_batch_candle (store, &series, bt_day_to_unix (bt_test_day ("2026-06-26")),
                                             &c, &error));
  g_assert_false (c.provisional);
  m = bt_store_list_merged_history (store, BT_DAY_INVALID, BT_DAY_INVALID, &error);
  g_assert_true (g_array_index (m, BtMergedDay, 1).provisional);
  g_clear_pointer (&m, g_array_unref);

  /* a closed reference rate outranks the partial candle */
  options.today = bt_test_day ("2026-07-01");
  g_assert_true (bt_import_file_full (store, b, BT_IMPORT_FORMAT_AUTO, &options, &st, &error));
  m = bt_store_list_merged_history (store, BT_DAY_INVALID, BT_DAY_INVALID, &error);
  g_assert_cmpfloat (g_array_index (m, BtMergedDay, 1).close, ==, 107);
  g_assert_false (g_array_index (m, BtMergedDay, 1).provisional);
}

/* A dry run reads and checks everything, writes nothing. */
static void
test_dry_run (StoreFixture  *f,
              gconstpointer  data)
{
  BtStore *store = f->store;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = data_file ("import-ohlcv.csv");
  g_autofree char *before = content_hash (store, TRUE);
  g_autofree char *after = NULL;
  BtImportOptions options = { NULL, 0, TRUE, NULL };
  BtImportStats st;

  g_assert_true (bt_import_file_full (store, path, BT_IMPORT_FORMAT_AUTO, &options, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (st.rows_read, ==, 5);
  g_assert_cmpint (st.first_day, ==, bt_test_day ("2024-01-01"));
  g_assert_cmpint (st.last_day, ==, bt_test_day ("2024-01-05"));
  after = content_hash (store, TRUE);
  g_assert_cmpstr (before, ==, after);
}

/* A day's funding comes from one source: live 8-hourly settlements, where
 * they exist, are never mixed with an imported daily mean. */
static void
test_funding_one_source (StoreFixture  *f,
                         gconstpointer  data)
{
  BtStore *store = f->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(BtHistory) h = NULL;
  g_autofree char *path = write_tmp ("funding.csv", "date,funding_mean\n2024-05-01,0.0005\n2024-05-02,0.0004\n", -1);
  const char *const map[] = { "funding_mean=funding_rate", NULL };
  gint64 t = bt_day_to_unix (bt_test_day ("2024-05-01"));
  BtObservation live[3] = { { t, 0.01 }, { t + 28800, 0.02 }, { t + 57600, 0.03 } };   /* % per 8 h */

  g_assert_true (bt_store_upsert_observations (store, BT_SOURCE_BINANCE_FUTURES, "funding_rate", live, 3,
                                               NULL, NULL, &error));
  g_assert_no_error (error);
  import_ok (store, path, map);
  h = load_history (store);
  g_assert_cmpuint (h->n_days, ==, 2);
  g_assert_cmpfloat_with_epsilon (h->input[BT_INPUT_FUNDING_SUM][0], 0.06, 1e-15);
  g_assert_cmpfloat (h->input[BT_INPUT_FUNDING_COUNT][0], ==, 3);
  g_assert_cmpuint (h->input_source[BT_INPUT_FUNDING_SUM][0], ==, BT_SOURCE_BINANCE_FUTURES);
  g_assert_cmpfloat_with_epsilon (h->input[BT_INPUT_FUNDING_SUM][1], 0.04, 1e-15);
  g_assert_cmpfloat (h->input[BT_INPUT_FUNDING_COUNT][1], ==, 1);
  g_assert_cmpuint (h->input_source[BT_INPUT_FUNDING_SUM][1], ==, BT_SOURCE_IMPORT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  tmp_root = bt_test_make_root ("bt-import-XXXXXX");

  add_store_test ("/core/import/ohlcv-round-trip", test_ohlcv_round_trip);
  add_store_test ("/core/import/ohlcv-columns", test_ohlcv_columns);
  add_store_test ("/core/import/coinmetrics", test_coinmetrics);
  add_store_test ("/core/import/coinmetrics-old-names", test_coinmetrics_old_names);
  add_store_test ("/core/import/indicator-columns", test_indicator_columns);
  add_store_test ("/core/import/bad-input", test_bad_input);
  add_store_test ("/core/import/missing-file", test_missing_file);
  g_test_add_func ("/core/import/pt-br-locale", test_pt_br_locale);
  add_store_test ("/core/import/migrate-v1", test_migrate_v1);
  add_store_test ("/core/import/migrate-v1-partial", test_migrate_v1_partial);
  g_test_add_func ("/core/import/real-coinmetrics", test_real_coinmetrics);
  g_test_add_func ("/core/import/precedence-property", test_precedence_property);
  g_test_add_func ("/core/import/remove-batch", test_remove_batch);
  add_store_test ("/core/import/source-order", test_source_order);
  add_store_test ("/core/import/column-mapping", test_column_mapping);
  add_store_test ("/core/import/provisional-day", test_provisional_day);
  add_store_test ("/core/import/dry-run", test_dry_run);
  add_store_test ("/core/import/funding-one-source", test_funding_one_source);

  return bt_test_run_in_root (tmp_root);
}
