/* bt-store-private.h: the store's internals for sibling core modules (the
 * engine, the backtest store, the collectors, the importer).  Not for the
 * CLI or the window.
 */
#pragma once

#include <sqlite3.h>

#include "bt-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The market_data statements, whose column lists follow bt_indicator_name(). */
typedef enum
{
  BT_STORE_MARKET_UPSERT,  /* one day's row */
  BT_STORE_MARKET_DAY,     /* the row of a day */
  BT_STORE_MARKET_RANGE,   /* the rows of a range: ?1 and ?2 its days, NULL an open end */
  BT_STORE_N_MARKET_SQL
} BtStoreMarketSql;

/* The instance, for the store's own files (bt-store*.c) only. */
struct _BtStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *stmts;        /* SQL text → sqlite3_stmt* (owner) */
  GHashTable *stmts_by_ptr; /* address of the caller's SQL text → sqlite3_stmt* */
  guint       tx_depth;
  char       *market_sql[BT_STORE_N_MARKET_SQL]; /* built from the indicator names */
};

/* The connection, owned by the store. */
sqlite3  *_bt_store_get_handle     (BtStore  *self);

/* Transactions: the outermost begin is BEGIN IMMEDIATE, nested ones are
 * savepoints.  Pair every begin with exactly one commit or rollback. */
gboolean  _bt_store_begin          (BtStore  *self,
                                    GError  **error);
gboolean  _bt_store_commit         (BtStore  *self,
                                    GError  **error);
gboolean  _bt_store_rollback       (BtStore  *self,
                                    GError  **error);

/* A cached prepared statement for SQL (the same text returns the same
 * statement).  Release it with g_autoptr(BtStoreStmt), which resets it and
 * clears its bindings; never finalize it. */
typedef sqlite3_stmt BtStoreStmt;
void          _bt_store_stmt_release (BtStoreStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtStoreStmt, _bt_store_stmt_release)
BtStoreStmt  *_bt_store_prepare      (BtStore     *self,
                                      const char  *sql,
                                      GError     **error);

/* Sets ERROR from the connection's last error ("… while WHAT: message")
 * and returns FALSE. */
gboolean  _bt_store_set_error      (BtStore     *self,
                                    const char  *what,
                                    GError     **error);

/* NAN binds NULL; NULL reads back as NAN. */
void      _bt_store_bind_double    (sqlite3_stmt *stmt,
                                    int           index,
                                    double        value);
double    _bt_store_column_double  (sqlite3_stmt *stmt,
                                    int           column);

/* ---- raw input writes inside a transaction the caller holds ------------ */
typedef struct
{
  BtDay first_changed;   /* BT_DAY_INVALID when nothing changed */
  guint n_changed;       /* rows inserted or changed */
} BtStoreChanges;

void      _bt_store_changes_init   (BtStoreChanges *changes);
/* Looks up a stored observation of any batch (the preferred one: lowest
 * id): FALSE without error when absent. */
gboolean  _bt_store_get_observation (BtStore       *self,
                                     BtSource       source,
                                     const char    *metric,
                                     gint64         time,
                                     double        *value,
                                     GError       **error);
/* The raw rows of one source, import batch (0: not from an import) and
 * candle interval or observation metric NAME. */
typedef struct
{
  BtSource    source;
  gint64      batch;
  const char *name;
} BtStoreSeries;

/* Upsert one row of SERIES; CHANGED (may be NULL) is set when the row was
 * inserted or its values differ from the stored ones.  The getters look up
 * a stored row: FALSE without error when absent;
 * _bt_store_get_batch_observation with a batch < 0 finds the row of any
 * batch. */
gboolean  _bt_store_put_batch_candle (BtStore             *self,
                                      const BtStoreSeries *series,
                                      const BtCandle      *candle,
                                      BtStoreChanges      *changes,
                                      gboolean            *changed,
                                      GError             **error);
gboolean  _bt_store_put_batch_observation (BtStore             *self,
                                           const BtStoreSeries *series,
                                           const BtObservation *observation,
                                           BtStoreChanges      *changes,
                                           gboolean            *changed,
                                           GError             **error);
gboolean  _bt_store_get_batch_candle (BtStore             *self,
                                      const BtStoreSeries *series,
                                      gint64               open_time,
                                      BtCandle            *out,
                                      GError             **error);
gboolean  _bt_store_get_batch_observation (BtStore             *self,
                                           const BtStoreSeries *series,
                                           gint64               time,
                                           double              *value,
                                           GError             **error);

/* ---- import batches (schema 2) ------------------------------------------ */
/* Inserts a batch row inside the caller's transaction; returns its id, 0 on
 * error. */
gint64    _bt_store_insert_batch   (BtStore       *self,
                                    const char    *file,
                                    const char    *kind,
                                    GError       **error);
/* Sets the batch's kind (its format, known once the file is read), row
 * count, day range and digest (a hash of the file and its column mapping). */
gboolean  _bt_store_finish_batch   (BtStore       *self,
                                    gint64         id,
                                    const char    *kind,
                                    guint64        rows,
                                    BtDay          first_day,
                                    BtDay          last_day,
                                    const char    *digest,
                                    GError       **error);
/* The id of a batch with DIGEST, 0 when none (or on error). */
gint64    _bt_store_find_batch_by_digest (BtStore    *self,
                                          const char *digest,
                                          GError    **error);
/* Deletes market_data rows outside FIRST..LAST (every row when FIRST is
 * BT_DAY_INVALID): the days no raw input covers any more. */
gboolean  _bt_store_trim_market_data (BtStore     *self,
                                      BtDay        first,
                                      BtDay        last,
                                      GError     **error);

/* Bump meta 'data_version' (call once per transaction that changed raw
 * inputs, before committing). */
gboolean  _bt_store_bump_data_version (BtStore    *self,
                                       GError    **error);
/* Ends the caller's transaction of raw input writes: bumps the data version
 * when CHANGES counts a change, then commits; rolls back on failure. */
gboolean  _bt_store_commit_changes (BtStore               *self,
                                    const BtStoreChanges  *changes,
                                    GError               **error);

/* ---- for the store's own files (bt-store*.c) ------------------------- */

/* Binds TEXT (NULL binds NULL), a day as its ISO date text (BT_DAY_INVALID
 * binds NULL), reads them back; _bt_store_now_unix is the current time in
 * seconds. */
void      _bt_store_bind_text (sqlite3_stmt *stmt,
                               int           index,
                               const char   *text);
void      _bt_store_bind_day (sqlite3_stmt *stmt,
                              int           index,
                              BtDay         day);
BtDay     _bt_store_column_day (sqlite3_stmt *stmt,
                                int           column);
char     *_bt_store_column_dup_text (sqlite3_stmt *stmt,
                                    int           column);
gint64    _bt_store_now_unix (void);
/* Frees RECORD (NULL is ignored), a plain struct of the store's records,
 * after the N strings it owns at the byte OFFSETS. */
void      _bt_store_free_record (gpointer      record,
                                 const gsize  *offsets,
                                 gsize         n);
/* Runs STMT (already bound) inside its own transaction. */
gboolean  _bt_store_step_in_transaction (BtStore       *self,
                                         sqlite3_stmt  *stmt,
                                         const char    *what,
                                         GError       **error);
/* The same for a statement that must change a row (unless MISSING is
 * NULL): when it changes none, the transaction is rolled back and ERROR is
 * BT_STORE_ERROR_NOT_FOUND with the message MISSING. */
gboolean  _bt_store_step_change_in_transaction (BtStore       *self,
                                                sqlite3_stmt  *stmt,
                                                const char    *what,
                                                const char    *missing,
                                                GError       **error);

/* Binds parameters 1, 2, … from the arguments, one a letter of TYPES:
 * 's' text (const char *, NULL binds NULL), 'S' text that outlives the
 * statement's use (a static name), 'i' gint64, 'b' gboolean,
 * 'd' double (NAN binds NULL), 'D' BtDay (BT_DAY_INVALID binds NULL, an
 * open end of a "(?1 IS NULL OR date >= ?1)" range). */
void      _bt_store_bind (sqlite3_stmt *stmt,
                          const char   *types,
                          ...);

/* Steps STMT (a write, inside the caller's transaction) to its end; FALSE
 * with ERROR set ("… while WHAT") on failure. */
gboolean  _bt_store_step_done (BtStore       *self,
                               sqlite3_stmt  *stmt,
                               const char    *what,
                               GError       **error);

/* Prepares SQL and binds its parameters as _bt_store_bind() does; NULL with
 * ERROR set on failure.  Release it with g_autoptr(BtStoreStmt). */
BtStoreStmt *_bt_store_prepare_bound (BtStore     *self,
                                      GError     **error,
                                      const char  *sql,
                                      const char  *types,
                                      ...);

/* Prepares SQL, binds its parameters as _bt_store_bind() does and runs it
 * in its own transaction, as _bt_store_step_in_transaction() does. */
gboolean  _bt_store_execute (BtStore     *self,
                             const char  *what,
                             GError     **error,
                             const char  *sql,
                             const char  *types,
                             ...);

/* Steps STMT once: SQLITE_ROW on a row; SQLITE_DONE at the end (with
 * BT_STORE_ERROR_NOT_FOUND and the message MISSING when MISSING is not
 * NULL); SQLITE_ERROR with ERROR set ("… while WHAT") on failure. */
int       _bt_store_step_row (BtStore       *self,
                              sqlite3_stmt  *stmt,
                              const char    *what,
                              const char    *missing,
                              GError       **error);

/* Prepares SQL, binds its parameters as _bt_store_bind() does and steps it
 * once as _bt_store_step_row() does: the statement on its first row (release
 * it with g_autoptr(BtStoreStmt)), or NULL when there is none (ERROR set
 * only when MISSING is not NULL) or on failure (ERROR set). */
BtStoreStmt *_bt_store_query_row (BtStore     *self,
                                  const char  *what,
                                  const char  *missing,
                                  GError     **error,
                                  const char  *sql,
                                  const char  *types,
                                  ...);

/* Steps STMT to its end calling FUNC on every row; FALSE with ERROR set
 * ("… while WHAT") on failure. */
typedef void (*BtStoreEachFunc) (sqlite3_stmt *stmt,
                                 gpointer      user_data);
gboolean  _bt_store_each_row (BtStore         *self,
                              sqlite3_stmt    *stmt,
                              BtStoreEachFunc  func,
                              gpointer         user_data,
                              const char      *what,
                              GError         **error);

/* The items ROW_FUNC makes of STMT's rows (a NULL item is skipped), in an
 * array that frees them with FREE_FUNC; NULL with ERROR set on failure. */
typedef gpointer (*BtStoreRowFunc) (sqlite3_stmt *stmt);
GPtrArray *_bt_store_collect_rows (BtStore         *self,
                                   sqlite3_stmt    *stmt,
                                   BtStoreRowFunc   row_func,
                                   GDestroyNotify   free_func,
                                   const char      *what,
                                   GError         **error);

/* Prepares SQL, binds its parameters as _bt_store_bind() does and collects
 * its rows as _bt_store_collect_rows() does. */
GPtrArray *_bt_store_collect (BtStore         *self,
                              const char      *what,
                              GError         **error,
                              BtStoreRowFunc   row_func,
                              GDestroyNotify   free_func,
                              const char      *sql,
                              const char      *types,
                              ...);

G_END_DECLS
