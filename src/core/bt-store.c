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

G_DEFINE_FINAL_TYPE (BtStore, bt_store, G_TYPE_OBJECT)

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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  /* Callers mostly pass the same literal: find it by address first (and
   * check the statement's text, as a freed string's address can come
   * back), hashing the text only on the first use of an address. */
  stmt = g_hash_table_lookup (self->stmts_by_ptr, sql);
  if (stmt != NULL && strcmp (sqlite3_sql (stmt), sql) == 0)
    return stmt;
  stmt = g_hash_table_lookup (self->stmts, sql);
  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          _bt_store_set_error (self, _("preparing a query"), error);
          return NULL;
        }
      g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
    }
  g_hash_table_insert (self->stmts_by_ptr, (gpointer) sql, stmt);
  return stmt;
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
  g_autofree char *select_sql = NULL;

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
  self->market_sql[BT_STORE_MARKET_UPSERT] =
    g_strdup_printf ("INSERT INTO market_data (%s, created_at) VALUES (%s, ?) "
                     "ON CONFLICT (date) DO UPDATE SET %s",
                     cols->str, vals->str, upd->str);
  select_sql = g_strdup_printf ("SELECT %s FROM market_data", cols->str);
  self->market_sql[BT_STORE_MARKET_DAY] = g_strconcat (select_sql, " WHERE date = ?", NULL);
  self->market_sql[BT_STORE_MARKET_RANGE] =
    g_strconcat (select_sql,
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
  for (guint i = 0; i < BT_STORE_N_MARKET_SQL; i++)
    g_free (self->market_sql[i]);

  G_OBJECT_CLASS (bt_store_parent_class)->finalize (object);
}

static void
bt_store_class_init (BtStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bt_store_finalize;
}

static void
bt_store_init (BtStore *self)
{
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) sqlite3_finalize);
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

typedef struct
{
  char            *path;
  BtStoreWorkFunc  func;
} StoreWork;

static void
store_work_free (StoreWork *work)
{
  g_free (work->path);
  g_free (work);
}

static GQuark
store_work_quark (void)
{
  return g_quark_from_static_string ("bt-store-work");
}

/* Runs FUNC on STORE with TASK's data and returns TRUE or FUNC's error to
 * TASK; a NULL STORE returns ERROR, why it could not be opened. */
static void
return_work (GTask           *task,
             BtStore         *store,
             BtStoreWorkFunc  func,
             GError          *error)
{
  if (store == NULL
      || !func (store, g_task_get_task_data (task), g_task_get_cancellable (task), &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_work_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  StoreWork *work = g_object_get_qdata (G_OBJECT (task), store_work_quark ());
  g_autoptr(BtStore) store = NULL;
  GError *error = NULL;

  store = bt_store_open (work->path, &error);
  return_work (task, store, work->func, error);
}

void
bt_store_run_in_thread (BtStore         *self,
                        GTask           *task,
                        BtStoreWorkFunc  func)
{
  StoreWork *work;

  g_return_if_fail (BT_IS_STORE (self));
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  if (self->path[0] == '\0' || strcmp (self->path, ":memory:") == 0
      || g_str_has_prefix (self->path, "file:"))
    {
      return_work (task, self, func, NULL);
      return;
    }
  work = g_new0 (StoreWork, 1);
  work->path = g_strdup (self->path);
  work->func = func;
  g_object_set_qdata_full (G_OBJECT (task), store_work_quark (), work,
                           (GDestroyNotify) store_work_free);
  g_task_run_in_thread (task, store_work_thread);
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

/* Steps STMT, an upsert of the raw row of TIME, and notes whether it
 * changed the row. */
static gboolean
put_row (BtStore        *self,
         sqlite3_stmt   *stmt,
         gint64          time,
         const char     *what,
         BtStoreChanges *changes,
         gboolean       *changed,
         GError        **error)
{
  gboolean row_changed;

  if (!_bt_store_step_done (self, stmt, what, error))
    return FALSE;
  row_changed = sqlite3_changes (self->db) > 0;
  if (row_changed)
    note_change (changes, time);
  if (changed)
    *changed = row_changed;
  return TRUE;
}

gboolean
_bt_store_put_batch_candle (BtStore             *self,
                            const BtStoreSeries *series,
                            const BtCandle      *c,
                            BtStoreChanges      *changes,
                            gboolean            *changed,
                            GError             **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  stmt = _bt_store_prepare_bound (self, error,
                                  "INSERT INTO candles (source, interval, open_time, open, high, low, close,"
                                  " volume, provisional, updated_at, batch)"
                                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                  "ON CONFLICT (source, interval, open_time, batch) DO UPDATE SET"
                                  " open = excluded.open, high = excluded.high, low = excluded.low,"
                                  " close = excluded.close, volume = excluded.volume,"
                                  " provisional = excluded.provisional, updated_at = excluded.updated_at "
                                  "WHERE open IS NOT excluded.open OR high IS NOT excluded.high"
                                  " OR low IS NOT excluded.low OR close IS NOT excluded.close"
                                  " OR volume IS NOT excluded.volume"
                                  " OR provisional IS NOT excluded.provisional",
                                  "Ssidddddbii", bt_source_name (series->source), series->name,
                                  c->open_time, c->open, c->high, c->low, c->close, c->volume,
                                  c->provisional, _bt_store_now_unix (), series->batch);
  if (stmt == NULL)
    return FALSE;
  return put_row (self, stmt, c->open_time, _("saving candles"), changes, changed, error);
}

gboolean
_bt_store_put_batch_observation (BtStore             *self,
                                 const BtStoreSeries *series,
                                 const BtObservation *o,
                                 BtStoreChanges      *changes,
                                 gboolean            *changed,
                                 GError             **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  stmt = _bt_store_prepare_bound (self, error,
                                  "INSERT INTO observations (source, metric, time, value, batch)"
                                  " VALUES (?, ?, ?, ?, ?) "
                                  "ON CONFLICT (source, metric, time, batch)"
                                  " DO UPDATE SET value = excluded.value "
                                  "WHERE value IS NOT excluded.value",
                                  "Ssidi", bt_source_name (series->source), series->name, o->time,
                                  o->value, series->batch);
  if (stmt == NULL)
    return FALSE;
  return put_row (self, stmt, o->time, _("saving observations"), changes, changed, error);
}

/* The prices of a candle, in the order of the candles table's columns. */
static const gsize candle_prices[] = {
  G_STRUCT_OFFSET (BtCandle, open),
  G_STRUCT_OFFSET (BtCandle, high),
  G_STRUCT_OFFSET (BtCandle, low),
  G_STRUCT_OFFSET (BtCandle, close),
  G_STRUCT_OFFSET (BtCandle, volume),
};

gboolean
_bt_store_get_batch_candle (BtStore             *self,
                            const BtStoreSeries *series,
                            gint64               open_time,
                            BtCandle            *out,
                            GError             **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  stmt = _bt_store_query_row (self, _("reading candles"), NULL, error,
                              "SELECT open, high, low, close, volume, provisional FROM candles"
                              " WHERE source = ? AND interval = ? AND open_time = ? AND batch = ?",
                              "Ssii", bt_source_name (series->source), series->name, open_time,
                              series->batch);
  if (stmt == NULL)
    return FALSE;
  out->open_time = open_time;
  for (guint k = 0; k < G_N_ELEMENTS (candle_prices); k++)
    G_STRUCT_MEMBER (double, out, candle_prices[k]) = _bt_store_column_double (stmt, k);
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
  BtStoreSeries series = { source, -1, metric };

  return _bt_store_get_batch_observation (self, &series, time, value, error);
}

gboolean
_bt_store_get_batch_observation (BtStore             *self,
                                 const BtStoreSeries *series,
                                 gint64               time,
                                 double              *value,
                                 GError             **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  /* any batch: the preferred one of the source (lowest id) */
  stmt = _bt_store_query_row (self, _("reading observations"), NULL, error,
                              "SELECT value FROM observations WHERE source = ? AND metric = ? AND time = ?"
                              " AND (?4 < 0 OR batch = ?4) ORDER BY batch LIMIT 1",
                              "Ssii", bt_source_name (series->source), series->name, time,
                              series->batch);
  if (stmt == NULL)
    return FALSE;
  *value = _bt_store_column_double (stmt, 0);
  return TRUE;
}

gboolean
_bt_store_commit_changes (BtStore               *self,
                          const BtStoreChanges  *changes,
                          GError               **error)
{
  if (changes->n_changed > 0 && !_bt_store_bump_data_version (self, error))
    {
      _bt_store_rollback (self, NULL);
      return FALSE;
    }
  return _bt_store_commit (self, error);
}

static gboolean
finish_raw_write (BtStore              *self,
                  const BtStoreChanges *changes,
                  BtDay                *first_changed,
                  guint                *n_changed,
                  GError              **error)
{
  if (!_bt_store_commit_changes (self, changes, error))
    return FALSE;
  if (first_changed)
    *first_changed = changes->first_changed;
  if (n_changed)
    *n_changed = changes->n_changed;
  return TRUE;
}

/* Upserts N_ROWS collector rows (batch 0) in one transaction: the
 * candles CANDLES of INTERVAL NAME, or else the observations OBSERVATIONS
 * of metric NAME. */
static gboolean
upsert_rows (BtStore             *self,
             BtSource             source,
             const char          *name,
             const BtCandle      *candles,
             const BtObservation *observations,
             gsize                n_rows,
             BtDay               *first_changed,
             guint               *n_changed,
             GError             **error)
{
  BtStoreSeries series = { source, 0, name };
  BtStoreChanges changes;

  _bt_store_changes_init (&changes);
  if (!_bt_store_begin (self, error))
    return FALSE;
  for (gsize i = 0; i < n_rows; i++)
    if (candles != NULL
        ? !_bt_store_put_batch_candle (self, &series, &candles[i], &changes, NULL, error)
        : !_bt_store_put_batch_observation (self, &series, &observations[i], &changes, NULL, error))
      {
        _bt_store_rollback (self, NULL);
        return FALSE;
      }
  return finish_raw_write (self, &changes, first_changed, n_changed, error);
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
  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (source < BT_N_SOURCES && interval != NULL, FALSE);
  g_return_val_if_fail (candles != NULL || n_candles == 0, FALSE);

  return upsert_rows (self, source, interval, candles, NULL, n_candles, first_changed, n_changed,
                      error);
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
  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (source < BT_N_SOURCES && metric != NULL, FALSE);
  g_return_val_if_fail (observations != NULL || n_observations == 0, FALSE);

  return upsert_rows (self, source, metric, NULL, observations, n_observations, first_changed,
                      n_changed, error);
}
