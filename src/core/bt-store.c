/* bt-store.c: the SQLite database of BTC Turbo.
 *
 * One connection per BtStore (WAL, foreign keys, NORMAL sync).  The schema
 * version is PRAGMA user_version; migrations[] upgrades it step by step,
 * each step in its own transaction.  A database of a newer schema, or a
 * file that is not SQLite, is checked through a read-only connection first
 * and refused without a single byte written.
 */
#define G_LOG_DOMAIN "bt-core"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bt-base.h"
#include "bt-rules.h"
#include "bt-store.h"
#include "bt-store-private.h"

struct _BtStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *stmts;        /* SQL text → CachedStmt* (owner) */
  GHashTable *stmts_by_ptr; /* address of the caller's SQL text → CachedStmt* */
  guint       tx_depth;
  char       *market_upsert_sql;
  char       *market_select_sql;
  char       *market_day_sql;
  char       *market_range_sql;
};

G_DEFINE_FINAL_TYPE (BtStore, bt_store, G_TYPE_OBJECT)

typedef struct
{
  char         *sql;
  sqlite3_stmt *stmt;
} CachedStmt;

G_DEFINE_QUARK (bt-store-error-quark, bt_store_error)

/* ---- schema -------------------------------------------------------------- */

static const char schema_v1[] =
  "CREATE TABLE market_data ("
  " date TEXT PRIMARY KEY, timestamp INTEGER,"
  " btc_price REAL, btc_volume REAL, open REAL, high REAL, low REAL,"
  " ema_17_1d REAL, ema_34_1d REAL, ema_144_1d REAL, ema_305_1d REAL, ema_610_1d REAL,"
  " ema_17_1w REAL, ema_34_1w REAL, ema_144_1w REAL, ema_305_1w REAL, ema_610_1w REAL,"
  " rsi_daily REAL, rsi_weekly REAL, rsi_monthly REAL,"
  " bb_upper REAL, bb_middle REAL, bb_lower REAL, bbw_percentage REAL,"
  " mvrv_z_score REAL, realized_price_ratio REAL, puell_multiple REAL, sth_sopr REAL,"
  " exchange_netflow REAL, funding_rate_7d REAL, long_short_ratio REAL,"
  " score_cycle REAL, score_momentum REAL, score_technical REAL, score_market REAL,"
  " confidence REAL, item_scores TEXT, data_quality TEXT, sources TEXT,"
  " created_at INTEGER, updated_at INTEGER);"
  "CREATE INDEX market_data_score_market ON market_data (score_market);"
  "CREATE TABLE candles ("
  " source TEXT NOT NULL, interval TEXT NOT NULL, open_time INTEGER NOT NULL,"
  " open REAL, high REAL, low REAL, close REAL, volume REAL,"
  " provisional INTEGER NOT NULL DEFAULT 0, updated_at INTEGER,"
  " PRIMARY KEY (source, interval, open_time)) WITHOUT ROWID;"
  "CREATE TABLE observations ("
  " source TEXT NOT NULL, metric TEXT NOT NULL, time INTEGER NOT NULL, value REAL,"
  " PRIMARY KEY (source, metric, time)) WITHOUT ROWID;"
  "CREATE TABLE wallets (address TEXT PRIMARY KEY, label TEXT, added_at INTEGER);"
  "CREATE TABLE positions ("
  " id INTEGER PRIMARY KEY, wallet TEXT NOT NULL, timestamp INTEGER NOT NULL,"
  " btc_amount REAL, entry_price REAL, current_leverage REAL, collateral_usd REAL,"
  " debt_usd REAL, health_factor REAL, liquidation_price REAL, liquidation_threshold REAL,"
  " ltv REAL, liquidation_distance REAL, portfolio_value REAL, unrealized_pnl REAL,"
  " risk_score REAL, strategy_mode TEXT, last_action_date TEXT, updated_at INTEGER);"
  "CREATE INDEX positions_wallet_time ON positions (wallet, timestamp);"
  "CREATE TABLE score_cache (date TEXT PRIMARY KEY, score_data TEXT NOT NULL,"
  " alerts TEXT, position_data TEXT, cached_at INTEGER);"
  "CREATE TABLE portfolio_history (date TEXT PRIMARY KEY, portfolio_value REAL,"
  " btc_price REAL, total_return_pct REAL, leverage REAL, drawdown_pct REAL);"
  "CREATE TABLE backtest_runs ("
  " id TEXT PRIMARY KEY, name TEXT, config TEXT NOT NULL, config_hash TEXT,"
  " data_version INTEGER, start_date TEXT, end_date TEXT, initial_capital REAL,"
  " final_value REAL, total_return REAL, sharpe_ratio REAL, max_drawdown REAL,"
  " win_rate REAL, total_trades INTEGER, btc_hold_return REAL, outperformance REAL,"
  " metrics TEXT, status TEXT, created_at INTEGER, completed_at INTEGER);"
  "CREATE INDEX backtest_runs_config ON backtest_runs (config_hash, data_version);"
  "CREATE TABLE backtest_trades ("
  " id INTEGER PRIMARY KEY,"
  " backtest_id TEXT REFERENCES backtest_runs (id) ON DELETE CASCADE,"
  " timestamp INTEGER, action TEXT, trigger_reason TEXT, score_market REAL,"
  " mvrv_value REAL, ema_distance_pct REAL, rsi_daily REAL, price REAL, size_pct REAL,"
  " leverage_before REAL, leverage_after REAL, pnl_usd REAL, pnl_pct REAL,"
  " portfolio_value REAL);"
  "CREATE INDEX backtest_trades_run ON backtest_trades (backtest_id);"
  "CREATE TABLE backtest_equity ("
  " backtest_id TEXT REFERENCES backtest_runs (id) ON DELETE CASCADE,"
  " date TEXT, equity REAL, btc_price REAL, leverage REAL, health_factor REAL,"
  " PRIMARY KEY (backtest_id, date));"
  "CREATE TABLE alerts (id INTEGER PRIMARY KEY, kind TEXT, key TEXT, severity TEXT,"
  " message TEXT, vals TEXT, created_at INTEGER, acknowledged_at INTEGER,"
  " cleared_at INTEGER);"
  "CREATE TABLE reports (date TEXT PRIMARY KEY, text TEXT, created_at INTEGER);"
  "CREATE TABLE source_status (source TEXT PRIMARY KEY, last_success INTEGER,"
  " last_failure INTEGER, failing_since INTEGER, last_error TEXT, cursor TEXT,"
  " stale INTEGER);"
  "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);"
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
  "INSERT INTO meta (key, value) VALUES ('data_version', '0');";

/* Schema 2: provenance.  Every import is a row of import_batches and every
 * raw value carries the batch it came from (0: a collector), so a batch can
 * be removed and overlapping sources are merged by precedence at load time
 * instead of overwriting each other.  Rows imported before batches existed
 * are kept as one batch per source ("import" → 1, "v1" → 2). */
static const char schema_v2[] =
  "CREATE TABLE import_batches ("
  " id INTEGER PRIMARY KEY, file TEXT NOT NULL, kind TEXT NOT NULL,"
  " imported_at INTEGER NOT NULL, rows INTEGER NOT NULL DEFAULT 0,"
  " first_day TEXT, last_day TEXT, digest TEXT);"
  "INSERT INTO import_batches (id, file, kind, imported_at, rows, first_day, last_day)"
  " SELECT 1, '', 'earlier-import', CAST (strftime ('%s', 'now') AS INTEGER), count (DISTINCT t),"
  "  date (min (t), 'unixepoch'), date (max (t), 'unixepoch')"
  " FROM (SELECT open_time AS t FROM candles WHERE source = 'import'"
  "       UNION ALL SELECT time FROM observations WHERE source = 'import')"
  " HAVING count (*) > 0;"
  "INSERT INTO import_batches (id, file, kind, imported_at, rows, first_day, last_day)"
  " SELECT 2, '', 'v1', CAST (strftime ('%s', 'now') AS INTEGER), count (DISTINCT t),"
  "  date (min (t), 'unixepoch'), date (max (t), 'unixepoch')"
  " FROM (SELECT open_time AS t FROM candles WHERE source = 'v1'"
  "       UNION ALL SELECT time FROM observations WHERE source = 'v1')"
  " HAVING count (*) > 0;"
  "CREATE TABLE candles_v2 ("
  " source TEXT NOT NULL, interval TEXT NOT NULL, open_time INTEGER NOT NULL,"
  " batch INTEGER NOT NULL DEFAULT 0,"
  " open REAL, high REAL, low REAL, close REAL, volume REAL,"
  " provisional INTEGER NOT NULL DEFAULT 0, updated_at INTEGER,"
  " PRIMARY KEY (source, interval, open_time, batch)) WITHOUT ROWID;"
  "INSERT INTO candles_v2 (source, interval, open_time, batch, open, high, low, close, volume,"
  " provisional, updated_at)"
  " SELECT source, interval, open_time,"
  "  CASE source WHEN 'import' THEN 1 WHEN 'v1' THEN 2 ELSE 0 END,"
  "  open, high, low, close, volume, provisional, updated_at FROM candles;"
  "DROP TABLE candles;"
  "ALTER TABLE candles_v2 RENAME TO candles;"
  "CREATE TABLE observations_v2 ("
  " source TEXT NOT NULL, metric TEXT NOT NULL, time INTEGER NOT NULL,"
  " batch INTEGER NOT NULL DEFAULT 0, value REAL,"
  " PRIMARY KEY (source, metric, time, batch)) WITHOUT ROWID;"
  "INSERT INTO observations_v2 (source, metric, time, batch, value)"
  " SELECT source, metric, time, CASE source WHEN 'import' THEN 1 WHEN 'v1' THEN 2 ELSE 0 END,"
  "  value FROM observations;"
  "DROP TABLE observations;"
  "ALTER TABLE observations_v2 RENAME TO observations;";
/* Positions entered by hand on the Position page (bt-store-positions.c):
 * collateral in BTC or in USD (exactly one of the two), debt in USD and the
 * liquidation threshold, each saved like a wallet. */
static const char schema_manual_positions[] =
  "CREATE TABLE manual_positions (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
  " collateral_btc REAL, collateral_usd REAL, debt_usd REAL NOT NULL,"
  " liquidation_threshold REAL NOT NULL, created_at INTEGER NOT NULL,"
  " updated_at INTEGER NOT NULL,"
  " CHECK ((collateral_btc IS NULL) <> (collateral_usd IS NULL)),"
  " CHECK (debt_usd >= 0),"
  " CHECK (liquidation_threshold > 0 AND liquidation_threshold < 1));";

/* migrations[i] takes the schema from version i to i + 1 */
static const char *const migrations[] = {
  schema_v1,
  schema_v2,
  schema_manual_positions,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == BT_STORE_SCHEMA_VERSION);

/* ---- small helpers ----------------------------------------------------- */

gboolean
_bt_store_set_error (BtStore     *self,
                     const char  *what,
                     GError     **error)
{
  int code = self->db ? sqlite3_errcode (self->db) : SQLITE_ERROR;

  g_set_error (error, BT_STORE_ERROR,
               code == SQLITE_NOTADB || code == SQLITE_CORRUPT
                 ? BT_STORE_ERROR_CORRUPT : BT_STORE_ERROR_FAILED,
               /* Translators: "Database error while saving candles: disk I/O error" */
               _("Database error while %s: %s"), what,
               self->db ? sqlite3_errmsg (self->db) : "?");
  return FALSE;
}

void
_bt_store_bind_double (sqlite3_stmt *stmt,
                       int           index,
                       double        value)
{
  if (isfinite (value))
    sqlite3_bind_double (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

double
_bt_store_column_double (sqlite3_stmt *stmt,
                         int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NAN;
  return sqlite3_column_double (stmt, column);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_day (sqlite3_stmt *stmt,
          int           index,
          BtDay         day)
{
  char buf[16];

  sqlite3_bind_text (stmt, index, bt_day_format (day, buf), 10, SQLITE_TRANSIENT);
}

static BtDay
column_day (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  BtDay day;

  if (text == NULL || !bt_day_parse (text, &day))
    return BT_DAY_INVALID;
  return day;
}

static char *
column_dup_text (sqlite3_stmt *stmt,
                 int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
exec_sql (BtStore     *self,
          const char  *sql,
          const char  *what,
          GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _bt_store_set_error (self, what, error);
  return TRUE;
}

sqlite3 *
_bt_store_get_handle (BtStore *self)
{
  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  return self->db;
}

void
_bt_store_stmt_release (BtStoreStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

BtStoreStmt *
_bt_store_prepare (BtStore     *self,
                   const char  *sql,
                   GError     **error)
{
  CachedStmt *cached;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  /* Callers mostly pass the same literal: find it by address first (and
   * check the text, as a freed string's address can come back), hashing
   * the text only on the first use of an address. */
  cached = g_hash_table_lookup (self->stmts_by_ptr, sql);
  if (cached != NULL && strcmp (cached->sql, sql) == 0)
    return cached->stmt;
  cached = g_hash_table_lookup (self->stmts, sql);
  if (cached == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          _bt_store_set_error (self, _("preparing a query"), error);
          return NULL;
        }
      cached = g_new (CachedStmt, 1);
      cached->sql = g_strdup (sql);
      cached->stmt = stmt;
      g_hash_table_insert (self->stmts, cached->sql, cached);
    }
  g_hash_table_insert (self->stmts_by_ptr, (gpointer) sql, cached);
  return cached->stmt;
}

/* ---- transactions ------------------------------------------------------ */

gboolean
_bt_store_begin (BtStore  *self,
                 GError  **error)
{
  char sql[64];

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);

  if (self->tx_depth == 0)
    g_strlcpy (sql, "BEGIN IMMEDIATE", sizeof sql);
  else
    g_snprintf (sql, sizeof sql, "SAVEPOINT bt_sp_%u", self->tx_depth);
  if (!exec_sql (self, sql, _("starting a transaction"), error))
    return FALSE;
  self->tx_depth++;
  return TRUE;
}

gboolean
_bt_store_commit (BtStore  *self,
                  GError  **error)
{
  char sql[64];

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_depth == 1)
    g_strlcpy (sql, "COMMIT", sizeof sql);
  else
    g_snprintf (sql, sizeof sql, "RELEASE bt_sp_%u", self->tx_depth - 1);
  if (!exec_sql (self, sql, _("committing a transaction"), error))
    {
      _bt_store_rollback (self, NULL);
      return FALSE;
    }
  self->tx_depth--;
  return TRUE;
}

gboolean
_bt_store_rollback (BtStore  *self,
                    GError  **error)
{
  char sql[96];
  gboolean ok;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_depth == 1)
    g_strlcpy (sql, "ROLLBACK", sizeof sql);
  else
    g_snprintf (sql, sizeof sql, "ROLLBACK TO bt_sp_%u; RELEASE bt_sp_%u",
                self->tx_depth - 1, self->tx_depth - 1);
  ok = exec_sql (self, sql, _("rolling back a transaction"), error);
  self->tx_depth--;
  return ok;
}

/* ---- opening ----------------------------------------------------------- */

static gboolean
check_existing (const char  *path,
                GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc, version = 0;
  gboolean ok = TRUE;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_master", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt) == SQLITE_ROW ? SQLITE_OK : sqlite3_errcode (db);
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_CORRUPT,
                   _("“%s” is not a BTC Turbo database (it is not an SQLite file or it is damaged); "
                     "choose another file"), display);
      ok = FALSE;
    }
  else if (rc != SQLITE_OK)
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_FAILED,
                   _("Cannot open the database “%s”: %s"), display,
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      ok = FALSE;
    }
  else if (version > BT_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_SCHEMA_TOO_NEW,
                   _("The database “%s” was written by a newer BTC Turbo (schema %d, this version "
                     "knows %d); update BTC Turbo to open it"),
                   display, version, BT_STORE_SCHEMA_VERSION);
      ok = FALSE;
    }
  sqlite3_close_v2 (db);
  return ok;
}

static int
read_user_version (BtStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

static gboolean
migrate (BtStore  *self,
         GError  **error)
{
  int version = read_user_version (self);

  if (version < 0)
    return _bt_store_set_error (self, _("reading the schema version"), error);
  if (version > BT_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_SCHEMA_TOO_NEW,
                   _("The database “%s” was written by a newer BTC Turbo (schema %d, this version "
                     "knows %d); update BTC Turbo to open it"),
                   self->path, version, BT_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  for (int v = version; v < BT_STORE_SCHEMA_VERSION; v++)
    {
      char sql[64];

      if (!_bt_store_begin (self, error))
        return FALSE;
      g_snprintf (sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
      if (!exec_sql (self, migrations[v], _("upgrading the database"), error)
          || !exec_sql (self, sql, _("upgrading the database"), error))
        {
          _bt_store_rollback (self, NULL);
          return FALSE;
        }
      if (!_bt_store_commit (self, error))
        return FALSE;
    }
  return TRUE;
}

static void
build_market_sql (BtStore *self)
{
  GString *cols = g_string_new ("date, timestamp, btc_volume, open, high, low");
  GString *vals = g_string_new ("?, ?, ?, ?, ?, ?");
  GString *upd = g_string_new ("timestamp = excluded.timestamp, btc_volume = excluded.btc_volume, "
                               "open = excluded.open, high = excluded.high, low = excluded.low");
  static const char *const tail[] = {
    "score_cycle", "score_momentum", "score_technical", "score_market", "confidence",
    "item_scores", "data_quality", "sources", "updated_at",
  };

  for (guint k = 0; k < BT_N_INDICATORS; k++)
    {
      g_string_append_printf (cols, ", %s", bt_indicator_name (k));
      g_string_append (vals, ", ?");
      g_string_append_printf (upd, ", %s = excluded.%s", bt_indicator_name (k), bt_indicator_name (k));
    }
  for (guint k = 0; k < G_N_ELEMENTS (tail); k++)
    {
      g_string_append_printf (cols, ", %s", tail[k]);
      g_string_append (vals, ", ?");
      g_string_append_printf (upd, ", %s = excluded.%s", tail[k], tail[k]);
    }
  self->market_upsert_sql = g_strdup_printf ("INSERT INTO market_data (%s, created_at) VALUES (%s, ?) "
                                             "ON CONFLICT (date) DO UPDATE SET %s",
                                             cols->str, vals->str, upd->str);
  self->market_select_sql = g_strdup_printf ("SELECT %s FROM market_data", cols->str);
  self->market_day_sql = g_strconcat (self->market_select_sql, " WHERE date = ?", NULL);
  self->market_range_sql = g_strconcat (self->market_select_sql,
                                        " WHERE (?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR date <= ?2)"
                                        " ORDER BY date", NULL);
  g_string_free (cols, TRUE);
  g_string_free (vals, TRUE);
  g_string_free (upd, TRUE);
}

static void
bt_store_finalize (GObject *object)
{
  BtStore *self = (BtStore *) object;

  g_clear_pointer (&self->stmts_by_ptr, g_hash_table_unref);
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_free (self->market_upsert_sql);
  g_free (self->market_select_sql);
  g_free (self->market_day_sql);
  g_free (self->market_range_sql);

  G_OBJECT_CLASS (bt_store_parent_class)->finalize (object);
}

static void
bt_store_class_init (BtStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bt_store_finalize;
}

static void
free_cached_stmt (gpointer data)
{
  CachedStmt *cached = data;

  sqlite3_finalize (cached->stmt);
  g_free (cached->sql);
  g_free (cached);
}

static void
bt_store_init (BtStore *self)
{
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, free_cached_stmt);
  self->stmts_by_ptr = g_hash_table_new (NULL, NULL);
  build_market_sql (self);
}

BtStore *
bt_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(BtStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_FAILED,
                   _("Cannot create the folder “%s”: %s"), display, g_strerror (saved));
      return NULL;
    }
  if (!check_existing (path, error))
    return NULL;

  self = g_object_new (BT_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      _bt_store_set_error (self, _("opening the database"), error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 0);
  if (!exec_sql (self,
                 "PRAGMA busy_timeout = 5000;"
                 "PRAGMA journal_mode = WAL;"
                 "PRAGMA synchronous = NORMAL;"
                 "PRAGMA foreign_keys = ON;"
                 "PRAGMA cache_size = -16384;",
                 _("opening the database"), error))
    return NULL;
  if (!migrate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

char *
bt_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "btc-turbo", "btc-turbo.sqlite", NULL);
}

const char *
bt_store_get_path (BtStore *self)
{
  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  return self->path;
}

guint64
bt_store_get_data_version (BtStore *self)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), 0);

  stmt = _bt_store_prepare (self, "SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'data_version'",
                            NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return (guint64) sqlite3_column_int64 (stmt, 0);
}

gboolean
_bt_store_bump_data_version (BtStore  *self,
                             GError  **error)
{
  return exec_sql (self,
                   "INSERT INTO meta (key, value) VALUES ('data_version', '1') "
                   "ON CONFLICT (key) DO UPDATE SET value = CAST (value AS INTEGER) + 1",
                   _("saving the data version"), error);
}

/* ---- raw inputs ---------------------------------------------------------- */

void
_bt_store_changes_init (BtStoreChanges *changes)
{
  changes->first_changed = BT_DAY_INVALID;
  changes->n_changed = 0;
}

static void
note_change (BtStoreChanges *changes,
             gint64          time)
{
  BtDay day = bt_day_from_unix (time);

  if (changes == NULL)
    return;
  changes->n_changed++;
  if (changes->first_changed == BT_DAY_INVALID || day < changes->first_changed)
    changes->first_changed = day;
}

gboolean
_bt_store_put_candle (BtStore        *self,
                      BtSource        source,
                      const char     *interval,
                      const BtCandle *c,
                      BtStoreChanges *changes,
                      gboolean       *changed,
                      GError        **error)
{
  return _bt_store_put_batch_candle (self, source, 0, interval, c, changes, changed, error);
}

gboolean
_bt_store_put_batch_candle (BtStore        *self,
                            BtSource        source,
                            gint64          batch,
                            const char     *interval,
                            const BtCandle *c,
                            BtStoreChanges *changes,
                            gboolean       *changed,
                            GError        **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  stmt = _bt_store_prepare (self,
                            "INSERT INTO candles (source, interval, open_time, open, high, low, close,"
                            " volume, provisional, updated_at, batch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            "ON CONFLICT (source, interval, open_time, batch) DO UPDATE SET"
                            " open = excluded.open, high = excluded.high, low = excluded.low,"
                            " close = excluded.close, volume = excluded.volume,"
                            " provisional = excluded.provisional, updated_at = excluded.updated_at "
                            "WHERE open IS NOT excluded.open OR high IS NOT excluded.high"
                            " OR low IS NOT excluded.low OR close IS NOT excluded.close"
                            " OR volume IS NOT excluded.volume OR provisional IS NOT excluded.provisional",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bt_source_name (source), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, interval, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, c->open_time);
  _bt_store_bind_double (stmt, 4, c->open);
  _bt_store_bind_double (stmt, 5, c->high);
  _bt_store_bind_double (stmt, 6, c->low);
  _bt_store_bind_double (stmt, 7, c->close);
  _bt_store_bind_double (stmt, 8, c->volume);
  sqlite3_bind_int (stmt, 9, c->provisional ? 1 : 0);
  sqlite3_bind_int64 (stmt, 10, now_unix ());
  sqlite3_bind_int64 (stmt, 11, batch);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _bt_store_set_error (self, _("saving candles"), error);
  if (sqlite3_changes (self->db) > 0)
    {
      note_change (changes, c->open_time);
      if (changed)
        *changed = TRUE;
    }
  else if (changed)
    *changed = FALSE;
  return TRUE;
}

gboolean
_bt_store_put_observation (BtStore             *self,
                           BtSource             source,
                           const char          *metric,
                           const BtObservation *o,
                           BtStoreChanges      *changes,
                           gboolean            *changed,
                           GError             **error)
{
  return _bt_store_put_batch_observation (self, source, 0, metric, o, changes, changed, error);
}

gboolean
_bt_store_put_batch_observation (BtStore             *self,
                                 BtSource             source,
                                 gint64               batch,
                                 const char          *metric,
                                 const BtObservation *o,
                                 BtStoreChanges      *changes,
                                 gboolean            *changed,
                                 GError             **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  stmt = _bt_store_prepare (self,
                            "INSERT INTO observations (source, metric, time, value, batch) VALUES (?, ?, ?, ?, ?) "
                            "ON CONFLICT (source, metric, time, batch) DO UPDATE SET value = excluded.value "
                            "WHERE value IS NOT excluded.value",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bt_source_name (source), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, metric, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, o->time);
  _bt_store_bind_double (stmt, 4, o->value);
  sqlite3_bind_int64 (stmt, 5, batch);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _bt_store_set_error (self, _("saving observations"), error);
  if (sqlite3_changes (self->db) > 0)
    {
      note_change (changes, o->time);
      if (changed)
        *changed = TRUE;
    }
  else if (changed)
    *changed = FALSE;
  return TRUE;
}

gboolean
_bt_store_get_candle (BtStore     *self,
                      BtSource     source,
                      const char  *interval,
                      gint64       open_time,
                      BtCandle    *out,
                      GError     **error)
{
  return _bt_store_get_batch_candle (self, source, 0, interval, open_time, out, error);
}

gboolean
_bt_store_get_batch_candle (BtStore     *self,
                            BtSource     source,
                            gint64       batch,
                            const char  *interval,
                            gint64       open_time,
                            BtCandle    *out,
                            GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  int rc;

  stmt = _bt_store_prepare (self,
                            "SELECT open, high, low, close, volume, provisional FROM candles"
                            " WHERE source = ? AND interval = ? AND open_time = ? AND batch = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bt_source_name (source), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, interval, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, open_time);
  sqlite3_bind_int64 (stmt, 4, batch);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    return _bt_store_set_error (self, _("reading candles"), error);
  out->open_time = open_time;
  out->open = _bt_store_column_double (stmt, 0);
  out->high = _bt_store_column_double (stmt, 1);
  out->low = _bt_store_column_double (stmt, 2);
  out->close = _bt_store_column_double (stmt, 3);
  out->volume = _bt_store_column_double (stmt, 4);
  out->provisional = sqlite3_column_int (stmt, 5) != 0;
  return TRUE;
}

gboolean
_bt_store_get_observation (BtStore     *self,
                           BtSource     source,
                           const char  *metric,
                           gint64       time,
                           double      *value,
                           GError     **error)
{
  return _bt_store_get_batch_observation (self, source, -1, metric, time, value, error);
}

gboolean
_bt_store_get_batch_observation (BtStore     *self,
                                 BtSource     source,
                                 gint64       batch,
                                 const char  *metric,
                                 gint64       time,
                                 double      *value,
                                 GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  int rc;

  /* any batch: the preferred one of the source (lowest id) */
  stmt = _bt_store_prepare (self,
                            "SELECT value FROM observations WHERE source = ? AND metric = ? AND time = ?"
                            " AND (?4 < 0 OR batch = ?4) ORDER BY batch LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bt_source_name (source), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, metric, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, time);
  sqlite3_bind_int64 (stmt, 4, batch);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    return _bt_store_set_error (self, _("reading observations"), error);
  *value = _bt_store_column_double (stmt, 0);
  return TRUE;
}

static gboolean
finish_raw_write (BtStore              *self,
                  const BtStoreChanges *changes,
                  BtDay                *first_changed,
                  guint                *n_changed,
                  GError              **error)
{
  if (changes->n_changed > 0 && !_bt_store_bump_data_version (self, error))
    {
      _bt_store_rollback (self, NULL);
      return FALSE;
    }
  if (!_bt_store_commit (self, error))
    return FALSE;
  if (first_changed)
    *first_changed = changes->first_changed;
  if (n_changed)
    *n_changed = changes->n_changed;
  return TRUE;
}

gboolean
bt_store_upsert_candles (BtStore         *self,
                         BtSource         source,
                         const char      *interval,
                         const BtCandle  *candles,
                         gsize            n_candles,
                         BtDay           *first_changed,
                         guint           *n_changed,
                         GError         **error)
{
  BtStoreChanges changes;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (source < BT_N_SOURCES && interval != NULL, FALSE);
  g_return_val_if_fail (candles != NULL || n_candles == 0, FALSE);

  _bt_store_changes_init (&changes);
  if (!_bt_store_begin (self, error))
    return FALSE;
  for (gsize i = 0; i < n_candles; i++)
    if (!_bt_store_put_candle (self, source, interval, &candles[i], &changes, NULL, error))
      {
        _bt_store_rollback (self, NULL);
        return FALSE;
      }
  return finish_raw_write (self, &changes, first_changed, n_changed, error);
}

gboolean
bt_store_upsert_observations (BtStore             *self,
                              BtSource             source,
                              const char          *metric,
                              const BtObservation *observations,
                              gsize                n_observations,
                              BtDay               *first_changed,
                              guint               *n_changed,
                              GError             **error)
{
  BtStoreChanges changes;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (source < BT_N_SOURCES && metric != NULL, FALSE);
  g_return_val_if_fail (observations != NULL || n_observations == 0, FALSE);

  _bt_store_changes_init (&changes);
  if (!_bt_store_begin (self, error))
    return FALSE;
  for (gsize i = 0; i < n_observations; i++)
    if (!_bt_store_put_observation (self, source, metric, &observations[i], &changes, NULL, error))
      {
        _bt_store_rollback (self, NULL);
        return FALSE;
      }
  return finish_raw_write (self, &changes, first_changed, n_changed, error);
}

static gboolean step_in_transaction (BtStore      *self,
                                     sqlite3_stmt *stmt,
                                     const char   *what,
                                     GError      **error);

/* ---- history --------------------------------------------------------------- */

/* The merged daily history (README, "Where the numbers come from"): every
 * source keeps its own rows and the day's price comes from the best
 * candidate, never from the last import:
 *
 *   1. a full candle (open, high, low and close) of a closed day;
 *   2. a close-only candle of an exchange collector;
 *   3. a close-only reference rate (an imported price column, Coin Metrics);
 *   4. a provisional row (a day that was still open): never a close while
 *      anything else exists.
 *
 * Within a tier the user's source order decides (setting
 * BT_STORE_SOURCE_ORDER_SETTING), then, between two imported files, the file
 * name, then the batch id.  Observations (market cap, funding, …): live
 * sources over imports over v1, then the same file order. */

static const char default_source_order[] = "binance,coinbase,kraken,import,v1,coinmetrics";

char *
bt_store_dup_source_order (BtStore  *self,
                           GError  **error)
{
  g_autoptr(GError) local = NULL;
  char *order;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  order = bt_store_dup_setting (self, BT_STORE_SOURCE_ORDER_SETTING, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return order != NULL ? order : g_strdup (default_source_order);
}

gboolean
bt_store_set_source_order (BtStore     *self,
                           const char  *order,
                           GError     **error)
{
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);

  if (order == NULL)
    return bt_store_set_setting (self, BT_STORE_SOURCE_ORDER_SETTING, NULL, error);
  names = g_strsplit (order, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      BtSource s;

      if (!bt_source_from_name (g_strstrip (names[i]), &s) || s == BT_SOURCE_NONE)
        {
          g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
                       _("“%s” is not a source name"), names[i]);
          return FALSE;
        }
    }
  return bt_store_set_setting (self, BT_STORE_SOURCE_ORDER_SETTING, order, error);
}

/* What the merge needs besides the rows: the rank of each source and of
 * each import batch. */
typedef struct
{
  guint8      source_rank[BT_N_SOURCES];
  GHashTable *batch_rank;      /* batch id → rank + 1 */
} Precedence;

static gboolean
precedence_init (BtStore     *self,
                 Precedence  *p,
                 GError     **error)
{
  g_autofree char *order = bt_store_dup_source_order (self, error);
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_auto(GStrv) names = NULL;
  guint next = 0, rank = 0;
  int rc;

  p->batch_rank = g_hash_table_new (g_int64_hash, g_int64_equal);
  if (order == NULL)
    return FALSE;
  for (guint s = 0; s < BT_N_SOURCES; s++)
    p->source_rank[s] = G_MAXUINT8;
  names = g_strsplit (order, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      BtSource s;

      if (bt_source_from_name (g_strstrip (names[i]), &s) && p->source_rank[s] == G_MAXUINT8)
        p->source_rank[s] = (guint8) next++;
    }
  /* sources the order does not name follow, in the default order */
  g_strfreev (names);
  names = g_strsplit (default_source_order, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      BtSource s;

      if (bt_source_from_name (names[i], &s) && p->source_rank[s] == G_MAXUINT8)
        p->source_rank[s] = (guint8) next++;
    }
  for (guint s = 0; s < BT_N_SOURCES; s++)
    if (p->source_rank[s] == G_MAXUINT8)
      p->source_rank[s] = (guint8) next++;

  stmt = _bt_store_prepare (self, "SELECT id FROM import_batches ORDER BY file, id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *id = g_new (gint64, 1);

      *id = sqlite3_column_int64 (stmt, 0);
      g_hash_table_insert (p->batch_rank, id, GUINT_TO_POINTER (++rank));
    }
  if (rc != SQLITE_DONE)
    return _bt_store_set_error (self, _("loading import batches"), error);
  return TRUE;
}

static void
precedence_clear (Precedence *p)
{
  GHashTableIter iter;
  gpointer key;

  if (p->batch_rank == NULL)
    return;
  g_hash_table_iter_init (&iter, p->batch_rank);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_free (key);
  g_clear_pointer (&p->batch_rank, g_hash_table_unref);
}

static guint32
batch_rank (const Precedence *p,
            gint64            batch)
{
  if (batch <= 0)
    return 0;
  return GPOINTER_TO_UINT (g_hash_table_lookup (p->batch_rank, &batch));
}

static gboolean
is_reference_source (BtSource source)
{
  return source == BT_SOURCE_IMPORT || source == BT_SOURCE_V1 || source == BT_SOURCE_COINMETRICS
         || source == BT_SOURCE_BGEOMETRICS || source == BT_SOURCE_NOTION;
}

typedef struct
{
  gint64   time;
  gint64   batch;
  double   v[5];       /* open, high, low, close, volume */
  guint8   source;
  gboolean provisional;
  guint64  key;        /* lower wins */
} CandleRow;

static guint64
candle_key (const Precedence *p,
            const CandleRow  *row)
{
  gboolean full = isfinite (row->v[0]) && isfinite (row->v[1]) && isfinite (row->v[2])
                  && isfinite (row->v[3]);
  guint64 tier;

  if (row->provisional)
    tier = 3;
  else if (full)
    tier = 0;
  else if (!is_reference_source (row->source))
    tier = 1;
  else
    tier = 2;
  return (tier << 40) | ((guint64) p->source_rank[row->source] << 32) | batch_rank (p, row->batch);
}

/* Observations: live sources over imports over v1; 2 + 8 + 22 bits, so a
 * day's owner fits 32 bits (G_MAXUINT32: none). */
static guint32
observation_key (const Precedence *p,
                 BtSource          source,
                 gint64            batch)
{
  guint32 tier = source == BT_SOURCE_IMPORT ? 1 : source == BT_SOURCE_V1 ? 2 : 0;

  return (tier << 30) | ((guint32) p->source_rank[source] << 22) | MIN (batch_rank (p, batch), 0x3FFFFEu);
}

enum
{
  TARGET_NONE = 0,
  TARGET_INPUT = 1,
  TARGET_FUNDING = 2,
  TARGET_PRICE = 3,
};

typedef struct
{
  gint64  time;
  double  value;
  guint32 key;
  guint8  source;
  guint8  input;         /* BT_N_INPUTS when none */
  guint8  indicator;     /* BT_N_INDICATORS when none */
  guint8  kind;          /* TARGET_* */
} ObsRow;

/* Rows come grouped by source: remember the last name looked up. */
typedef struct
{
  char     last[32];
  BtSource source;
  gboolean valid;
} SourceCache;

static gboolean
source_from_column (sqlite3_stmt *stmt,
                    int           column,
                    SourceCache  *cache,
                    BtSource     *out)
{
  const char *name = (const char *) sqlite3_column_text (stmt, column);

  if (name == NULL)
    return FALSE;
  if (strcmp (name, cache->last) != 0)
    {
      g_strlcpy (cache->last, name, sizeof cache->last);
      cache->valid = bt_source_from_name (name, &cache->source);
    }
  *out = cache->source;
  return cache->valid;
}

static void
map_metric (const char *metric,
            BtSource    source,
            ObsRow     *row)
{
  BtInput input;
  BtIndicator ind;

  row->kind = TARGET_NONE;
  row->input = BT_N_INPUTS;
  row->indicator = BT_N_INDICATORS;
  if (g_strcmp0 (metric, "funding_rate") == 0)
    row->kind = TARGET_FUNDING;
  else if (g_strcmp0 (metric, "price") == 0)
    row->kind = TARGET_PRICE;
  else if (bt_input_from_name (metric, &input)
           && input >= BT_INPUT_MARKET_CAP && input != BT_INPUT_FUNDING_SUM
           && input != BT_INPUT_FUNDING_COUNT)
    {
      row->kind = TARGET_INPUT;
      row->input = input;
    }
  if ((source == BT_SOURCE_IMPORT || source == BT_SOURCE_V1)
      && bt_indicator_from_name (metric, &ind))
    row->indicator = ind;
}

/* Every daily candle row, and every "price" observation as a close-only
 * reference candle, with its precedence key; FROM/TO (unix, inclusive,
 * G_MININT64/G_MAXINT64 for open ends) limit the days. */
static gboolean
read_candle_rows (BtStore          *self,
                  const Precedence *p,
                  gint64            from,
                  gint64            to,
                  GArray           *rows,
                  GError          **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  SourceCache cache = { "", BT_SOURCE_NONE, FALSE };
  int rc;

  stmt = _bt_store_prepare (self,
                            "SELECT source, open_time, batch, open, high, low, close, volume, provisional"
                            " FROM candles WHERE interval = '1d' AND open_time BETWEEN ?1 AND ?2"
                            " UNION ALL SELECT source, time, batch, NULL, NULL, NULL, value, NULL, 0"
                            " FROM observations WHERE metric = 'price' AND time BETWEEN ?1 AND ?2",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CandleRow row;
      BtSource source;

      if (!source_from_column (stmt, 0, &cache, &source))
        continue;
      row.source = source;
      row.time = sqlite3_column_int64 (stmt, 1);
      row.batch = sqlite3_column_int64 (stmt, 2);
      for (int k = 0; k < 5; k++)
        row.v[k] = _bt_store_column_double (stmt, 3 + k);
      row.provisional = sqlite3_column_int (stmt, 8) != 0;
      if (!isfinite (row.v[3]))
        continue;
      row.key = candle_key (p, &row);
      g_array_append_val (rows, row);
    }
  if (rc != SQLITE_DONE)
    return _bt_store_set_error (self, _("loading candles"), error);
  return TRUE;
}

static gboolean
read_observation_rows (BtStore          *self,
                       const Precedence *p,
                       GArray           *rows,
                       GError          **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autofree char *last_metric = NULL;
  BtSource last_source = BT_N_SOURCES;
  SourceCache cache = { "", BT_SOURCE_NONE, FALSE };
  ObsRow proto = { 0 };
  int rc;

  stmt = _bt_store_prepare (self,
                            "SELECT source, metric, time, value, batch FROM observations"
                            " WHERE metric <> 'price' ORDER BY source, metric, time", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *metric = (const char *) sqlite3_column_text (stmt, 1);
      BtSource source;
      ObsRow row;

      if (!source_from_column (stmt, 0, &cache, &source) || metric == NULL)
        continue;
      if (source != last_source || g_strcmp0 (metric, last_metric) != 0)
        {
          g_free (last_metric);
          last_metric = g_strdup (metric);
          last_source = source;
          map_metric (metric, source, &proto);
        }
      row = proto;
      row.source = source;
      row.time = sqlite3_column_int64 (stmt, 2);
      row.value = _bt_store_column_double (stmt, 3);
      row.key = observation_key (p, source, sqlite3_column_int64 (stmt, 4));
      g_array_append_val (rows, row);
    }
  if (rc != SQLITE_DONE)
    return _bt_store_set_error (self, _("loading observations"), error);
  return TRUE;
}

/* WINNER[i]: the index in ROWS of day FIRST + i's best candle, -1 if none. */
static gint *
pick_candles (GArray *rows,
              BtDay   first,
              guint   n_days)
{
  gint *winner = g_new (gint, MAX (n_days, 1));

  for (guint i = 0; i < n_days; i++)
    winner[i] = -1;
  for (guint r = 0; r < rows->len; r++)
    {
      const CandleRow *row = &g_array_index (rows, CandleRow, r);
      gint64 i = (gint64) bt_day_from_unix (row->time) - first;

      if (i < 0 || i >= (gint64) n_days)
        continue;
      if (winner[i] < 0 || row->key < g_array_index (rows, CandleRow, winner[i]).key)
        winner[i] = (gint) r;
    }
  return winner;
}

static void
fill_candles (BtHistory *h,
              GArray    *rows)
{
  static const BtInput cols[5] = {
    BT_INPUT_OPEN, BT_INPUT_HIGH, BT_INPUT_LOW, BT_INPUT_CLOSE, BT_INPUT_VOLUME,
  };
  g_autofree gint *winner = pick_candles (rows, h->first_day, h->n_days);

  for (guint i = 0; i < h->n_days; i++)
    {
      const CandleRow *row;

      if (winner[i] < 0)
        continue;
      row = &g_array_index (rows, CandleRow, winner[i]);
      for (int k = 0; k < 5; k++)
        {
          h->input[cols[k]][i] = row->v[k];
          h->input_source[cols[k]][i] = isfinite (row->v[k]) ? row->source : BT_SOURCE_NONE;
        }
    }
}

/* The key owning each day of one column, allocated when first needed. */
static guint32 *
owner_column (guint32 **cols,
              guint     k,
              guint     n_days)
{
  if (cols[k] == NULL)
    {
      cols[k] = g_new (guint32, MAX (n_days, 1));
      memset (cols[k], 0xFF, sizeof (guint32) * MAX (n_days, 1));
    }
  return cols[k];
}

static void
fill_observations (BtHistory *h,
                   GArray    *rows)
{
  guint32 *input_key[BT_N_INPUTS] = { NULL };
  guint32 *ind_key[BT_N_INDICATORS] = { NULL };

  for (guint r = 0; r < rows->len; r++)
    {
      const ObsRow *row = &g_array_index (rows, ObsRow, r);
      gssize i = bt_history_index (h, bt_day_from_unix (row->time));

      if (i < 0 || !isfinite (row->value))
        continue;
      if (row->kind == TARGET_INPUT)
        {
          guint32 *owner = &owner_column (input_key, row->input, h->n_days)[i];

          if (row->key <= *owner)
            {
              *owner = row->key;
              h->input[row->input][i] = row->value;
              h->input_source[row->input][i] = row->source;
            }
        }
      else if (row->kind == TARGET_FUNDING)
        {
          /* one source's settlements make the day's funding: a daily mean
           * imported from a file never mixes with live 8-hourly rates */
          guint32 *owner = &owner_column (input_key, BT_INPUT_FUNDING_SUM, h->n_days)[i];
          double *sum = &h->input[BT_INPUT_FUNDING_SUM][i];
          double *count = &h->input[BT_INPUT_FUNDING_COUNT][i];

          if (row->key > *owner)
            continue;
          if (row->key < *owner)
            {
              *owner = row->key;
              *sum = NAN;
              *count = NAN;
            }
          *sum = isnan (*sum) ? row->value : *sum + row->value;
          *count = isnan (*count) ? 1 : *count + 1;
          h->input_source[BT_INPUT_FUNDING_SUM][i] = row->source;
          h->input_source[BT_INPUT_FUNDING_COUNT][i] = row->source;
        }
      if (row->indicator < BT_N_INDICATORS)
        {
          guint32 *owner = &owner_column (ind_key, row->indicator, h->n_days)[i];
          double *col = bt_history_ensure_imported (h, row->indicator);

          if (row->key <= *owner)
            {
              *owner = row->key;
              col[i] = row->value;
              h->imported_source[row->indicator][i] = row->source;
            }
        }
    }
  for (guint k = 0; k < BT_N_INPUTS; k++)
    g_free (input_key[k]);
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    g_free (ind_key[k]);
}

/* The first and last day of any raw input; FALSE when there is none. */
static gboolean
raw_day_range (GArray *candles,
               GArray *obs,
               BtDay  *first,
               BtDay  *last)
{
  *first = *last = BT_DAY_INVALID;
  for (guint r = 0; r < candles->len + obs->len; r++)
    {
      gint64 t = r < candles->len ? g_array_index (candles, CandleRow, r).time
                                  : g_array_index (obs, ObsRow, r - candles->len).time;
      BtDay d = bt_day_from_unix (t);

      if (*first == BT_DAY_INVALID || d < *first)
        *first = d;
      if (*last == BT_DAY_INVALID || d > *last)
        *last = d;
    }
  return *first != BT_DAY_INVALID;
}

BtHistory *
bt_store_load_history (BtStore  *self,
                       GError  **error)
{
  g_autoptr(GArray) candles = g_array_new (FALSE, FALSE, sizeof (CandleRow));
  g_autoptr(GArray) obs = g_array_new (FALSE, FALSE, sizeof (ObsRow));
  Precedence p = { { 0 }, NULL };
  BtDay first, last;
  BtHistory *h;
  gboolean ok;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  ok = precedence_init (self, &p, error)
       && read_candle_rows (self, &p, G_MININT64, G_MAXINT64, candles, error)
       && read_observation_rows (self, &p, obs, error);
  precedence_clear (&p);
  if (!ok)
    return NULL;

  if (!raw_day_range (candles, obs, &first, &last))
    h = bt_history_new (0, 0);
  else
    h = bt_history_new (first, (guint) (last - first + 1));
  fill_candles (h, candles);
  fill_observations (h, obs);
  h->data_version = bt_store_get_data_version (self);
  return h;
}

/* ---- merged history, batches, coverage ------------------------------------- */

GArray *
bt_store_list_merged_history (BtStore  *self,
                              BtDay     from,
                              BtDay     to,
                              GError  **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CandleRow));
  g_autoptr(GArray) none = g_array_new (FALSE, FALSE, sizeof (ObsRow));
  g_autofree gint *winner = NULL;
  Precedence p = { { 0 }, NULL };
  GArray *out;
  BtDay first, last;
  gboolean ok;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  ok = precedence_init (self, &p, error)
       && read_candle_rows (self, &p,
                            from == BT_DAY_INVALID ? G_MININT64 : bt_day_to_unix (from),
                            to == BT_DAY_INVALID ? G_MAXINT64 : bt_day_to_unix (to),
                            rows, error);
  precedence_clear (&p);
  if (!ok)
    return NULL;
  out = g_array_new (FALSE, FALSE, sizeof (BtMergedDay));
  if (!raw_day_range (rows, none, &first, &last))
    return out;
  winner = pick_candles (rows, first, (guint) (last - first + 1));
  for (BtDay d = first; d <= last; d++)
    {
      const CandleRow *row;
      BtMergedDay m;

      if (winner[d - first] < 0)
        continue;
      row = &g_array_index (rows, CandleRow, winner[d - first]);
      m.date = d;
      m.open = row->v[0];
      m.high = row->v[1];
      m.low = row->v[2];
      m.close = row->v[3];
      m.volume = row->v[4];
      m.source = row->source;
      m.batch = row->batch;
      m.provisional = row->provisional;
      g_array_append_val (out, m);
    }
  return out;
}

void
bt_import_batch_free (BtImportBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->file);
  g_free (batch->kind);
  g_free (batch);
}

GPtrArray *
bt_store_list_batches (BtStore  *self,
                       GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_import_batch_free);
  int rc;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  stmt = _bt_store_prepare (self,
                            "SELECT id, file, kind, imported_at, rows, first_day, last_day"
                            " FROM import_batches ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BtImportBatch *b = g_new0 (BtImportBatch, 1);

      b->id = sqlite3_column_int64 (stmt, 0);
      b->file = column_dup_text (stmt, 1);
      b->kind = column_dup_text (stmt, 2);
      b->imported_at = sqlite3_column_int64 (stmt, 3);
      b->rows = (guint64) sqlite3_column_int64 (stmt, 4);
      b->first_day = column_day (stmt, 5);
      b->last_day = column_day (stmt, 6);
      g_ptr_array_add (out, b);
    }
  if (rc != SQLITE_DONE)
    {
      _bt_store_set_error (self, _("loading import batches"), error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

gint64
_bt_store_insert_batch (BtStore     *self,
                        const char  *file,
                        const char  *kind,
                        GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  stmt = _bt_store_prepare (self,
                            "INSERT INTO import_batches (file, kind, imported_at) VALUES (?, ?, ?)",
                            error);
  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, file);
  bind_text (stmt, 2, kind);
  sqlite3_bind_int64 (stmt, 3, now_unix ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _bt_store_set_error (self, _("saving an import batch"), error);
      return 0;
    }
  return sqlite3_last_insert_rowid (self->db);
}

gboolean
_bt_store_finish_batch (BtStore     *self,
                        gint64       id,
                        guint64      rows,
                        BtDay        first_day,
                        BtDay        last_day,
                        const char  *digest,
                        GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  stmt = _bt_store_prepare (self,
                            "UPDATE import_batches SET rows = ?, first_day = ?, last_day = ?, digest = ?"
                            " WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) rows);
  if (first_day != BT_DAY_INVALID)
    bind_day (stmt, 2, first_day);
  if (last_day != BT_DAY_INVALID)
    bind_day (stmt, 3, last_day);
  bind_text (stmt, 4, digest);
  sqlite3_bind_int64 (stmt, 5, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _bt_store_set_error (self, _("saving an import batch"), error);
  return TRUE;
}

gint64
_bt_store_find_batch_by_digest (BtStore     *self,
                                const char  *digest,
                                GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  int rc;

  stmt = _bt_store_prepare (self, "SELECT id FROM import_batches WHERE digest = ? ORDER BY id LIMIT 1",
                            error);
  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, digest);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    _bt_store_set_error (self, _("loading import batches"), error);
  return 0;
}

/* The earliest day of batch ID's rows, BT_DAY_INVALID when it has none. */
static gboolean
batch_first_day (BtStore  *self,
                 gint64    id,
                 BtDay    *out,
                 GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  *out = BT_DAY_INVALID;
  stmt = _bt_store_prepare (self,
                            "SELECT min (t) FROM (SELECT min (open_time) AS t FROM candles WHERE batch = ?1"
                            " UNION ALL SELECT min (time) FROM observations WHERE batch = ?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _bt_store_set_error (self, _("loading import batches"), error);
  if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    *out = bt_day_from_unix (sqlite3_column_int64 (stmt, 0));
  return TRUE;
}

gboolean
bt_store_remove_batch (BtStore  *self,
                       gint64    id,
                       BtDay    *first_changed,
                       GError  **error)
{
  static const char *const sql[] = {
    "DELETE FROM candles WHERE batch = ?",
    "DELETE FROM observations WHERE batch = ?",
    "DELETE FROM import_batches WHERE id = ?",
  };
  BtDay first = BT_DAY_INVALID;
  gboolean found = FALSE;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);

  if (id <= 0)
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND,
                   _("There is no import %lld."), (long long) id);
      return FALSE;
    }
  if (!_bt_store_begin (self, error))
    return FALSE;
  if (!batch_first_day (self, id, &first, error))
    goto fail;
  for (guint k = 0; k < G_N_ELEMENTS (sql); k++)
    {
      g_autoptr(BtStoreStmt) stmt = _bt_store_prepare (self, sql[k], error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _bt_store_set_error (self, _("removing an import"), error);
          goto fail;
        }
      if (k == G_N_ELEMENTS (sql) - 1)
        found = sqlite3_changes (self->db) > 0;
    }
  if (!found)
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND,
                   _("There is no import %lld."), (long long) id);
      goto fail;
    }
  if (first != BT_DAY_INVALID && !_bt_store_bump_data_version (self, error))
    goto fail;
  if (!_bt_store_commit (self, error))
    return FALSE;
  if (first_changed != NULL)
    *first_changed = first;
  return TRUE;

fail:
  _bt_store_rollback (self, NULL);
  return FALSE;
}

gboolean
_bt_store_trim_market_data (BtStore  *self,
                            BtDay     first,
                            BtDay     last,
                            GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  stmt = _bt_store_prepare (self,
                            "DELETE FROM market_data WHERE ?1 IS NULL OR date < ?1 OR date > ?2", error);
  if (stmt == NULL)
    return FALSE;
  if (first != BT_DAY_INVALID)
    {
      bind_day (stmt, 1, first);
      bind_day (stmt, 2, last);
    }
  return step_in_transaction (self, stmt, _("saving market data"), error);
}

void
bt_source_coverage_free (BtSourceCoverage *coverage)
{
  if (coverage == NULL)
    return;
  g_free (coverage->file);
  g_free (coverage);
}

GPtrArray *
bt_store_list_source_coverage (BtStore  *self,
                               GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_source_coverage_free);
  int rc;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  stmt = _bt_store_prepare (self,
                            "SELECT r.source, r.batch, b.file, min (r.t), max (r.t), count (DISTINCT r.t),"
                            "  max (r.full) FROM ("
                            "  SELECT source, batch, open_time AS t,"
                            "   (open IS NOT NULL AND high IS NOT NULL AND low IS NOT NULL) AS full"
                            "   FROM candles WHERE interval = '1d' AND close IS NOT NULL"
                            "  UNION ALL SELECT source, batch, time, 0 FROM observations"
                            "   WHERE metric = 'price' AND value IS NOT NULL) AS r"
                            " LEFT JOIN import_batches AS b ON b.id = r.batch"
                            " GROUP BY r.source, r.batch ORDER BY r.source, r.batch", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BtSourceCoverage *c = g_new0 (BtSourceCoverage, 1);
      BtSource source;

      if (!bt_source_from_name ((const char *) sqlite3_column_text (stmt, 0), &source))
        {
          g_free (c);
          continue;
        }
      c->source = source;
      c->batch = sqlite3_column_int64 (stmt, 1);
      c->file = column_dup_text (stmt, 2);
      c->first_day = bt_day_from_unix (sqlite3_column_int64 (stmt, 3));
      c->last_day = bt_day_from_unix (sqlite3_column_int64 (stmt, 4));
      c->n_days = (guint) sqlite3_column_int64 (stmt, 5);
      c->full_candles = sqlite3_column_int (stmt, 6) != 0;
      g_ptr_array_add (out, c);
    }
  if (rc != SQLITE_DONE)
    {
      _bt_store_set_error (self, _("loading candles"), error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

static int
compare_row_days (gconstpointer a,
                  gconstpointer b)
{
  const CandleRow *x = a, *y = b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return x->key < y->key ? -1 : x->key > y->key;
}

GArray *
bt_store_list_disagreements (BtStore  *self,
                             double    threshold_pct,
                             GError  **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CandleRow));
  Precedence p = { { 0 }, NULL };
  GArray *out;
  gboolean ok;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  ok = precedence_init (self, &p, error)
       && read_candle_rows (self, &p, G_MININT64, G_MAXINT64, rows, error);
  precedence_clear (&p);
  if (!ok)
    return NULL;
  g_array_sort (rows, compare_row_days);
  out = g_array_new (FALSE, FALSE, sizeof (BtDisagreement));
  for (guint r = 0; r < rows->len;)
    {
      guint end = r, lo = G_MAXUINT, hi = G_MAXUINT;
      gint64 t = g_array_index (rows, CandleRow, r).time;

      /* the day's closed rows: the lowest and the highest close */
      for (; end < rows->len && g_array_index (rows, CandleRow, end).time == t; end++)
        {
          const CandleRow *row = &g_array_index (rows, CandleRow, end);

          if (row->provisional || !(row->v[3] > 0))
            continue;
          if (lo == G_MAXUINT || row->v[3] < g_array_index (rows, CandleRow, lo).v[3])
            lo = end;
          if (hi == G_MAXUINT || row->v[3] > g_array_index (rows, CandleRow, hi).v[3])
            hi = end;
        }
      if (lo != G_MAXUINT && lo != hi)
        {
          const CandleRow *a = &g_array_index (rows, CandleRow, lo);
          const CandleRow *b = &g_array_index (rows, CandleRow, hi);
          double pct = (b->v[3] / a->v[3] - 1.0) * 100.0;

          if (pct > threshold_pct)
            {
              BtDisagreement d;

              d.date = bt_day_from_unix (t);
              d.low_source = a->source;
              d.low_batch = a->batch;
              d.low_close = a->v[3];
              d.high_source = b->source;
              d.high_batch = b->batch;
              d.high_close = b->v[3];
              d.difference_pct = pct;
              g_array_append_val (out, d);
            }
        }
      r = end;
    }
  return out;
}

/* ---- market_data --------------------------------------------------------- */

static void
append_json_number (GString *s,
                    double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isfinite (v))
    g_string_append (s, bt_format_double (v, buf));
  else
    g_string_append (s, "null");
}

static char *
item_scores_json (const BtScores *sc)
{
  GString *s = g_string_sized_new (900);

  g_string_append_c (s, '{');
  for (guint k = 0; k < BT_N_ITEMS; k++)
    {
      guint8 flag = sc->item_flag[k] < BT_N_FLAGS ? sc->item_flag[k] : BT_FLAG_MISSING;
      guint8 src = sc->item_source[k] < BT_N_SOURCES ? sc->item_source[k] : BT_SOURCE_NONE;

      g_string_append_printf (s, "%s\"%s\":{\"value\":", k ? "," : "", bt_item_name (k));
      append_json_number (s, sc->item_value[k]);
      g_string_append (s, ",\"score\":");
      append_json_number (s, sc->item_score[k]);
      g_string_append_printf (s, ",\"flag\":\"%s\",\"source\":\"%s\"}",
                              bt_flag_name (flag), bt_source_name (src));
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static char *
indicator_map_json (const BtIndicatorTable *t,
                    guint                   i,
                    gboolean                flags)
{
  GString *s = g_string_sized_new (700);

  g_string_append_c (s, '{');
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    {
      guint8 v = flags ? (t->flag[k] ? t->flag[k][i] : 0) : (t->source[k] ? t->source[k][i] : 0);
      const char *name;

      if (flags)
        name = bt_flag_name (v < BT_N_FLAGS ? v : BT_FLAG_MISSING);
      else
        name = bt_source_name (v < BT_N_SOURCES ? v : BT_SOURCE_NONE);
      g_string_append_printf (s, "%s\"%s\":\"%s\"", k ? "," : "", bt_indicator_name (k), name);
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static gboolean
save_market_row (BtStore                *self,
                 const BtHistory        *history,
                 const BtIndicatorTable *t,
                 const BtScores         *sc,
                 guint                   i,
                 gint64                  now,
                 GError                **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  BtDay day = t->first_day + (BtDay) i;
  gssize hi = history ? bt_history_index (history, day) : -1;
  int col = 1;

  stmt = _bt_store_prepare (self, self->market_upsert_sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_day (stmt, col++, day);
  sqlite3_bind_int64 (stmt, col++, bt_day_to_unix (day));
  _bt_store_bind_double (stmt, col++, hi >= 0 ? history->input[BT_INPUT_VOLUME][hi] : NAN);
  _bt_store_bind_double (stmt, col++, hi >= 0 ? history->input[BT_INPUT_OPEN][hi] : NAN);
  _bt_store_bind_double (stmt, col++, hi >= 0 ? history->input[BT_INPUT_HIGH][hi] : NAN);
  _bt_store_bind_double (stmt, col++, hi >= 0 ? history->input[BT_INPUT_LOW][hi] : NAN);
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    _bt_store_bind_double (stmt, col++, t->value[k] ? t->value[k][i] : NAN);
  for (guint k = 0; k < BT_N_CATEGORIES; k++)
    _bt_store_bind_double (stmt, col++, sc->category[k]);
  _bt_store_bind_double (stmt, col++, sc->market);
  _bt_store_bind_double (stmt, col++, sc->confidence);
  sqlite3_bind_text (stmt, col++, item_scores_json (sc), -1, g_free);
  sqlite3_bind_text (stmt, col++, indicator_map_json (t, i, TRUE), -1, g_free);
  sqlite3_bind_text (stmt, col++, indicator_map_json (t, i, FALSE), -1, g_free);
  sqlite3_bind_int64 (stmt, col++, now);
  sqlite3_bind_int64 (stmt, col++, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _bt_store_set_error (self, _("saving market data"), error);
  return TRUE;
}

gboolean
bt_store_save_market_data_full (BtStore                *self,
                                const BtHistory        *history,
                                const BtIndicatorTable *table,
                                const BtScores         *scores,
                                guint                   from_index,
                                GError                **error)
{
  gint64 now = now_unix ();

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (table != NULL && (scores != NULL || table->n_days == 0), FALSE);

  if (!_bt_store_begin (self, error))
    return FALSE;
  for (guint i = from_index; i < table->n_days; i++)
    if (!save_market_row (self, history, table, &scores[i], i, now, error))
      {
        _bt_store_rollback (self, NULL);
        return FALSE;
      }
  return _bt_store_commit (self, error);
}

gboolean
bt_store_save_market_data (BtStore                *self,
                           const BtIndicatorTable *table,
                           const BtScores         *scores,
                           guint                   from_index,
                           GError                **error)
{
  return bt_store_save_market_data_full (self, NULL, table, scores, from_index, error);
}

static guint8
flag_from_name (const char *name)
{
  for (guint f = 0; f < BT_N_FLAGS; f++)
    if (g_strcmp0 (bt_flag_name (f), name) == 0)
      return f;
  return BT_FLAG_MISSING;
}

static guint8
source_from_name (const char *name)
{
  BtSource s;

  return name != NULL && bt_source_from_name (name, &s) ? s : BT_SOURCE_NONE;
}

static double
json_member_double (JsonObject *o,
                    const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n) || json_node_get_value_type (n) == G_TYPE_STRING)
    return NAN;
  return json_node_get_double (n);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

static void
read_item_scores (JsonParser      *parser,
                  const char      *text,
                  BtMarketDayData *d)
{
  JsonObject *o = parse_object (parser, text);

  if (o == NULL)
    return;
  for (guint k = 0; k < BT_N_ITEMS; k++)
    {
      JsonNode *node = json_object_get_member (o, bt_item_name (k));
      JsonObject *it;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      it = json_node_get_object (node);
      d->scores.item_value[k] = json_member_double (it, "value");
      d->scores.item_score[k] = json_member_double (it, "score");
      d->scores.item_flag[k] = flag_from_name (json_object_get_string_member_with_default (it, "flag", NULL));
      d->scores.item_source[k] = source_from_name (json_object_get_string_member_with_default (it, "source", NULL));
    }
}

static void
read_indicator_map (JsonParser *parser,
                    const char *text,
                    guint8     *out,
                    gboolean    flags)
{
  JsonObject *o = parse_object (parser, text);

  if (o == NULL)
    return;
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    {
      const char *v = json_object_get_string_member_with_default (o, bt_indicator_name (k), NULL);

      out[k] = flags ? flag_from_name (v) : source_from_name (v);
    }
}

static BtMarketDay *
market_day_from_row (sqlite3_stmt *stmt,
                     JsonParser   *parser)
{
  BtMarketDayData d;
  BtDay day = column_day (stmt, 0);
  int col = 2;

  bt_market_day_data_init (&d);
  d.volume = _bt_store_column_double (stmt, col++);
  d.open = _bt_store_column_double (stmt, col++);
  d.high = _bt_store_column_double (stmt, col++);
  d.low = _bt_store_column_double (stmt, col++);
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    d.value[k] = _bt_store_column_double (stmt, col++);
  for (guint k = 0; k < BT_N_CATEGORIES; k++)
    d.scores.category[k] = _bt_store_column_double (stmt, col++);
  d.scores.market = _bt_store_column_double (stmt, col++);
  d.scores.confidence = _bt_store_column_double (stmt, col++);
  read_item_scores (parser, (const char *) sqlite3_column_text (stmt, col++), &d);
  read_indicator_map (parser, (const char *) sqlite3_column_text (stmt, col++), d.flag, TRUE);
  read_indicator_map (parser, (const char *) sqlite3_column_text (stmt, col++), d.source, FALSE);
  d.updated_at = sqlite3_column_int64 (stmt, col++);
  return bt_market_day_new (day, &d);
}

BtMarketDay *
bt_store_get_market_day (BtStore  *self,
                         BtDay     day,
                         GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autoptr(JsonParser) parser = NULL;
  char buf[16];
  int rc;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  stmt = _bt_store_prepare (self, self->market_day_sql, error);
  if (stmt == NULL)
    return NULL;
  bind_day (stmt, 1, day);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND,
                   _("No market data for %s"), bt_day_format (day, buf));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _bt_store_set_error (self, _("reading market data"), error);
      return NULL;
    }
  parser = json_parser_new_immutable ();
  return market_day_from_row (stmt, parser);
}

/* The first and last days that have a market_data row. */
static gboolean
market_day_range (BtStore  *self,
                  BtDay    *first,
                  BtDay    *last,
                  GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  *first = *last = BT_DAY_INVALID;
  stmt = _bt_store_prepare (self, "SELECT min (date), max (date) FROM market_data", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _bt_store_set_error (self, _("reading market data"), error);
  *first = column_day (stmt, 0);
  *last = column_day (stmt, 1);
  return *last != BT_DAY_INVALID;
}

gboolean
bt_store_get_latest_day (BtStore  *self,
                         BtDay    *out,
                         GError  **error)
{
  BtDay first;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  return market_day_range (self, &first, out, error);
}

gboolean
bt_store_get_day_range (BtStore  *self,
                        BtDay    *first,
                        BtDay    *last,
                        GError  **error)
{
  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (first != NULL && last != NULL, FALSE);

  return market_day_range (self, first, last, error);
}

GPtrArray *
bt_store_list_market_days (BtStore  *self,
                           BtDay     from,
                           BtDay     to,
                           GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) days = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  stmt = _bt_store_prepare (self, self->market_range_sql, error);
  if (stmt == NULL)
    return NULL;
  if (from != BT_DAY_INVALID)
    bind_day (stmt, 1, from);
  if (to != BT_DAY_INVALID)
    bind_day (stmt, 2, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (days, market_day_from_row (stmt, parser));
  if (rc != SQLITE_DONE)
    {
      _bt_store_set_error (self, _("reading market data"), error);
      return NULL;
    }
  return g_steal_pointer (&days);
}

/* ---- one-statement writes ------------------------------------------------ */

/* Runs STMT (already bound) inside its own transaction. */
static gboolean
step_in_transaction (BtStore      *self,
                     sqlite3_stmt *stmt,
                     const char   *what,
                     GError      **error)
{
  if (!_bt_store_begin (self, error))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _bt_store_set_error (self, what, error);
      sqlite3_reset (stmt);
      _bt_store_rollback (self, NULL);
      return FALSE;
    }
  return _bt_store_commit (self, error);
}

/* ---- wallets ------------------------------------------------------------- */

void
bt_wallet_free (BtWallet *wallet)
{
  if (wallet == NULL)
    return;
  g_free (wallet->address);
  g_free (wallet->label);
  g_free (wallet);
}

gboolean
bt_store_add_wallet (BtStore     *self,
                     const char  *address,
                     const char  *label,
                     GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  stmt = _bt_store_prepare (self,
                            "INSERT INTO wallets (address, label, added_at) VALUES (?, ?, ?) "
                            "ON CONFLICT (address) DO UPDATE SET label = excluded.label", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, address);
  bind_text (stmt, 2, label);
  sqlite3_bind_int64 (stmt, 3, now_unix ());
  return step_in_transaction (self, stmt, _("saving a wallet"), error);
}

gboolean
bt_store_remove_wallet (BtStore     *self,
                        const char  *address,
                        GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  stmt = _bt_store_prepare (self, "DELETE FROM wallets WHERE address = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, address);
  if (!step_in_transaction (self, stmt, _("removing a wallet"), error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND,
                   _("The wallet %s is not in the list"), address);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
bt_store_list_wallets (BtStore  *self,
                       GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_wallet_free);
  int rc;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  stmt = _bt_store_prepare (self, "SELECT address, label, added_at FROM wallets"
                            " ORDER BY added_at, address", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BtWallet *w = g_new0 (BtWallet, 1);

      w->address = column_dup_text (stmt, 0);
      w->label = column_dup_text (stmt, 1);
      w->added_at = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (list, w);
    }
  if (rc != SQLITE_DONE)
    {
      _bt_store_set_error (self, _("reading wallets"), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* ---- positions ----------------------------------------------------------- */

#define POSITION_COLUMNS \
  "wallet, timestamp, btc_amount, entry_price, current_leverage, collateral_usd, debt_usd," \
  " health_factor, liquidation_price, liquidation_threshold, ltv, liquidation_distance," \
  " portfolio_value, unrealized_pnl, risk_score"

gboolean
bt_store_insert_position (BtStore     *self,
                          BtPosition  *position,
                          GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  const BtPositionData *d;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (BT_IS_POSITION (position), FALSE);

  d = bt_position_get_data (position);
  stmt = _bt_store_prepare (self, "INSERT INTO positions (" POSITION_COLUMNS ", updated_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, bt_position_get_wallet (position));
  sqlite3_bind_int64 (stmt, 2, d->timestamp);
  _bt_store_bind_double (stmt, 3, d->btc_amount);
  _bt_store_bind_double (stmt, 4, d->entry_price);
  _bt_store_bind_double (stmt, 5, d->leverage);
  _bt_store_bind_double (stmt, 6, d->collateral_usd);
  _bt_store_bind_double (stmt, 7, d->debt_usd);
  _bt_store_bind_double (stmt, 8, d->health_factor);
  _bt_store_bind_double (stmt, 9, d->liquidation_price);
  _bt_store_bind_double (stmt, 10, d->liquidation_threshold);
  _bt_store_bind_double (stmt, 11, d->ltv);
  _bt_store_bind_double (stmt, 12, d->liquidation_distance);
  _bt_store_bind_double (stmt, 13, d->portfolio_value);
  _bt_store_bind_double (stmt, 14, d->unrealized_pnl);
  _bt_store_bind_double (stmt, 15, d->risk_score);
  sqlite3_bind_int64 (stmt, 16, now_unix ());
  return step_in_transaction (self, stmt, _("saving a position"), error);
}

static BtPosition *
position_from_row (sqlite3_stmt *stmt)
{
  BtPositionData d;

  bt_position_data_init (&d);
  d.timestamp = sqlite3_column_int64 (stmt, 1);
  d.btc_amount = _bt_store_column_double (stmt, 2);
  d.entry_price = _bt_store_column_double (stmt, 3);
  d.leverage = _bt_store_column_double (stmt, 4);
  d.collateral_usd = _bt_store_column_double (stmt, 5);
  d.debt_usd = _bt_store_column_double (stmt, 6);
  d.health_factor = _bt_store_column_double (stmt, 7);
  d.liquidation_price = _bt_store_column_double (stmt, 8);
  d.liquidation_threshold = _bt_store_column_double (stmt, 9);
  d.ltv = _bt_store_column_double (stmt, 10);
  d.liquidation_distance = _bt_store_column_double (stmt, 11);
  d.portfolio_value = _bt_store_column_double (stmt, 12);
  d.unrealized_pnl = _bt_store_column_double (stmt, 13);
  d.risk_score = _bt_store_column_double (stmt, 14);
  return bt_position_new ((const char *) sqlite3_column_text (stmt, 0), &d);
}

GPtrArray *
bt_store_list_latest_positions (BtStore  *self,
                                GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  /* the latest snapshot per wallet; the highest id breaks timestamp ties */
  stmt = _bt_store_prepare (self,
                            "SELECT " POSITION_COLUMNS " FROM positions p WHERE id ="
                            " (SELECT id FROM positions q WHERE q.wallet = p.wallet"
                            "  ORDER BY timestamp DESC, id DESC LIMIT 1) ORDER BY wallet", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, position_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _bt_store_set_error (self, _("reading positions"), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

BtPosition *
bt_store_get_latest_position (BtStore     *self,
                              const char  *wallet,
                              GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);
  g_return_val_if_fail (wallet != NULL, NULL);

  stmt = _bt_store_prepare (self, "SELECT " POSITION_COLUMNS " FROM positions WHERE wallet = ?"
                            " ORDER BY timestamp DESC, id DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, wallet);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return position_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND,
                 _("No position recorded for the wallet %s"), wallet);
  else
    _bt_store_set_error (self, _("reading positions"), error);
  return NULL;
}

/* ---- portfolio history --------------------------------------------------- */

gboolean
bt_store_upsert_portfolio_point (BtStore                *self,
                                 const BtPortfolioPoint *p,
                                 GError                **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (p != NULL && p->date != BT_DAY_INVALID, FALSE);

  stmt = _bt_store_prepare (self,
                            "INSERT OR REPLACE INTO portfolio_history (date, portfolio_value,"
                            " btc_price, total_return_pct, leverage, drawdown_pct)"
                            " VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_day (stmt, 1, p->date);
  _bt_store_bind_double (stmt, 2, p->portfolio_value);
  _bt_store_bind_double (stmt, 3, p->btc_price);
  _bt_store_bind_double (stmt, 4, p->total_return_pct);
  _bt_store_bind_double (stmt, 5, p->leverage);
  _bt_store_bind_double (stmt, 6, p->drawdown_pct);
  return step_in_transaction (self, stmt, _("saving the portfolio history"), error);
}

GArray *
bt_store_list_portfolio_history (BtStore  *self,
                                 BtDay     from,
                                 BtDay     to,
                                 GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (BtPortfolioPoint));
  int rc;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  stmt = _bt_store_prepare (self,
                            "SELECT date, portfolio_value, btc_price, total_return_pct, leverage,"
                            " drawdown_pct FROM portfolio_history"
                            " WHERE (?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR date <= ?2)"
                            " ORDER BY date", error);
  if (stmt == NULL)
    return NULL;
  if (from != BT_DAY_INVALID)
    bind_day (stmt, 1, from);
  if (to != BT_DAY_INVALID)
    bind_day (stmt, 2, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BtPortfolioPoint p;

      p.date = column_day (stmt, 0);
      p.portfolio_value = _bt_store_column_double (stmt, 1);
      p.btc_price = _bt_store_column_double (stmt, 2);
      p.total_return_pct = _bt_store_column_double (stmt, 3);
      p.leverage = _bt_store_column_double (stmt, 4);
      p.drawdown_pct = _bt_store_column_double (stmt, 5);
      g_array_append_val (list, p);
    }
  if (rc != SQLITE_DONE)
    {
      _bt_store_set_error (self, _("reading the portfolio history"), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* ---- alerts -------------------------------------------------------------- */

gint64
bt_store_insert_alert (BtStore      *self,
                       BtAlertKind   kind,
                       const char   *key,
                       BtSeverity    severity,
                       const char   *message,
                       const char   *values_json,
                       gint64        created_at,
                       GError      **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), 0);
  g_return_val_if_fail (kind < BT_N_ALERT_KINDS && severity < BT_N_SEVERITIES, 0);

  stmt = _bt_store_prepare (self,
                            "INSERT INTO alerts (kind, key, severity, message, vals, created_at)"
                            " VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, bt_alert_kind_name (kind), -1, SQLITE_STATIC);
  bind_text (stmt, 2, key);
  sqlite3_bind_text (stmt, 3, bt_severity_name (severity), -1, SQLITE_STATIC);
  bind_text (stmt, 4, message);
  bind_text (stmt, 5, values_json);
  sqlite3_bind_int64 (stmt, 6, created_at);
  if (!step_in_transaction (self, stmt, _("saving an alert"), error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

static BtSeverity
severity_from_name (const char *name)
{
  for (guint s = 0; s < BT_N_SEVERITIES; s++)
    if (g_strcmp0 (bt_severity_name (s), name) == 0)
      return s;
  return BT_SEVERITY_INFO;
}

GPtrArray *
bt_store_list_alerts (BtStore   *self,
                      gboolean   active_only,
                      GError   **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  stmt = _bt_store_prepare (self,
                            "SELECT id, kind, key, severity, message, vals, created_at,"
                            " acknowledged_at, cleared_at FROM alerts"
                            " WHERE ?1 = 0 OR (acknowledged_at IS NULL AND cleared_at IS NULL)"
                            " ORDER BY created_at DESC, id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, active_only ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BtAlertKind kind = BT_ALERT_HEALTH_FACTOR;
      const char *kind_name = (const char *) sqlite3_column_text (stmt, 1);

      if (kind_name == NULL || !bt_alert_kind_from_name (kind_name, &kind))
        continue;
      g_ptr_array_add (list, bt_alert_new (sqlite3_column_int64 (stmt, 0), kind,
                                           (const char *) sqlite3_column_text (stmt, 2),
                                           severity_from_name ((const char *) sqlite3_column_text (stmt, 3)),
                                           (const char *) sqlite3_column_text (stmt, 4),
                                           (const char *) sqlite3_column_text (stmt, 5),
                                           sqlite3_column_int64 (stmt, 6),
                                           sqlite3_column_int64 (stmt, 7),
                                           sqlite3_column_int64 (stmt, 8)));
    }
  if (rc != SQLITE_DONE)
    {
      _bt_store_set_error (self, _("reading alerts"), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gboolean
alert_exists (BtStore  *self,
              gint64    id,
              GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = _bt_store_prepare (self, "SELECT 1 FROM alerts WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND,
                 _("There is no alert %lld"), (long long) id);
  else
    _bt_store_set_error (self, _("reading alerts"), error);
  return FALSE;
}

static gboolean
set_alert_time (BtStore     *self,
                const char  *sql,
                gint64       id,
                gint64       when,
                GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  if (!alert_exists (self, id, error))
    return FALSE;
  stmt = _bt_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, when);
  sqlite3_bind_int64 (stmt, 2, id);
  return step_in_transaction (self, stmt, _("updating an alert"), error);
}

gboolean
bt_store_acknowledge_alert (BtStore  *self,
                            gint64    id,
                            gint64    when,
                            GError  **error)
{
  g_return_val_if_fail (BT_IS_STORE (self), FALSE);

  return set_alert_time (self, "UPDATE alerts SET acknowledged_at = ?1"
                         " WHERE id = ?2 AND acknowledged_at IS NULL", id, when, error);
}

gboolean
bt_store_clear_alert (BtStore  *self,
                      gint64    id,
                      gint64    when,
                      GError  **error)
{
  g_return_val_if_fail (BT_IS_STORE (self), FALSE);

  return set_alert_time (self, "UPDATE alerts SET cleared_at = ?1"
                         " WHERE id = ?2 AND cleared_at IS NULL", id, when, error);
}

gint
bt_store_acknowledge_all_alerts (BtStore  *self,
                                 gint64    when,
                                 GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), -1);

  stmt = _bt_store_prepare (self, "UPDATE alerts SET acknowledged_at = ? WHERE acknowledged_at IS NULL",
                            error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, when);
  if (!step_in_transaction (self, stmt, _("updating alerts"), error))
    return -1;
  return sqlite3_changes (self->db);
}

/* ---- reports ------------------------------------------------------------- */

gboolean
bt_store_put_report (BtStore     *self,
                     BtDay        day,
                     const char  *text,
                     GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  stmt = _bt_store_prepare (self, "INSERT OR REPLACE INTO reports (date, text, created_at)"
                            " VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_day (stmt, 1, day);
  bind_text (stmt, 2, text);
  sqlite3_bind_int64 (stmt, 3, now_unix ());
  return step_in_transaction (self, stmt, _("saving a report"), error);
}

char *
bt_store_dup_report (BtStore  *self,
                     BtDay     day,
                     GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  char buf[16];
  int rc;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  stmt = _bt_store_prepare (self, "SELECT text FROM reports WHERE date = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_day (stmt, 1, day);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return column_dup_text (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND,
                 _("No report for %s"), bt_day_format (day, buf));
  else
    _bt_store_set_error (self, _("reading reports"), error);
  return NULL;
}

/* ---- source status ------------------------------------------------------- */

void
bt_source_status_clear (BtSourceStatus *status)
{
  g_clear_pointer (&status->last_error, g_free);
  g_clear_pointer (&status->cursor, g_free);
}

gboolean
bt_store_get_source_status (BtStore         *self,
                            BtSource         source,
                            BtSourceStatus  *status,
                            GError         **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (source < BT_N_SOURCES && status != NULL, FALSE);

  memset (status, 0, sizeof *status);
  status->source = source;
  stmt = _bt_store_prepare (self, "SELECT last_success, last_failure, failing_since, last_error,"
                            " cursor, stale FROM source_status WHERE source = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bt_source_name (source), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return _bt_store_set_error (self, _("reading source status"), error);
  status->last_success = sqlite3_column_int64 (stmt, 0);
  status->last_failure = sqlite3_column_int64 (stmt, 1);
  status->failing_since = sqlite3_column_int64 (stmt, 2);
  status->last_error = column_dup_text (stmt, 3);
  status->cursor = column_dup_text (stmt, 4);
  status->stale = sqlite3_column_int (stmt, 5) != 0;
  return TRUE;
}

gboolean
bt_store_put_source_status (BtStore               *self,
                            const BtSourceStatus  *status,
                            GError               **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (status != NULL && status->source < BT_N_SOURCES, FALSE);

  stmt = _bt_store_prepare (self, "INSERT OR REPLACE INTO source_status (source, last_success,"
                            " last_failure, failing_since, last_error, cursor, stale)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bt_source_name (status->source), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, status->last_success);
  sqlite3_bind_int64 (stmt, 3, status->last_failure);
  sqlite3_bind_int64 (stmt, 4, status->failing_since);
  bind_text (stmt, 5, status->last_error);
  bind_text (stmt, 6, status->cursor);
  sqlite3_bind_int (stmt, 7, status->stale ? 1 : 0);
  return step_in_transaction (self, stmt, _("saving source status"), error);
}

/* ---- settings ------------------------------------------------------------ */

char *
bt_store_dup_setting (BtStore     *self,
                      const char  *key,
                      GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = _bt_store_prepare (self, "SELECT value FROM settings WHERE key = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return column_dup_text (stmt, 0);
  if (rc != SQLITE_DONE)
    _bt_store_set_error (self, _("reading settings"), error);
  return NULL;
}

gboolean
bt_store_set_setting (BtStore     *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (value == NULL)
    stmt = _bt_store_prepare (self, "DELETE FROM settings WHERE key = ?", error);
  else
    stmt = _bt_store_prepare (self, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  if (value != NULL)
    bind_text (stmt, 2, value);
  return step_in_transaction (self, stmt, _("saving settings"), error);
}
