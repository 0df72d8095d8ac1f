/* bt-store-sql.c: the store's SQLite steps shared by its files: errors,
 * binding and reading values, one-statement writes in their own
 * transaction, reading one row or all rows (bt-store-private.h).
 */
#define G_LOG_DOMAIN "bt-core"

#include <stdarg.h>

#include <glib/gi18n-lib.h>

#include "bt-base.h"
#include "bt-store.h"
#include "bt-store-private.h"

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

void
_bt_store_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

void
_bt_store_bind_day (sqlite3_stmt *stmt,
                    int           index,
                    BtDay         day)
{
  char buf[16];

  if (day != BT_DAY_INVALID)
    sqlite3_bind_text (stmt, index, bt_day_format (day, buf), 10, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

BtDay
_bt_store_column_day (sqlite3_stmt *stmt,
                      int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  BtDay day;

  if (text == NULL || !bt_day_parse (text, &day))
    return BT_DAY_INVALID;
  return day;
}

char *
_bt_store_column_dup_text (sqlite3_stmt *stmt,
                           int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gint64
_bt_store_now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
_bt_store_free_record (gpointer     record,
                       const gsize *offsets,
                       gsize        n)
{
  if (record == NULL)
    return;
  for (gsize i = 0; i < n; i++)
    g_free (G_STRUCT_MEMBER (char *, record, offsets[i]));
  g_free (record);
}

/* ---- one-statement writes ------------------------------------------------ */

/* Runs STMT (already bound) inside its own transaction. */
gboolean
_bt_store_step_in_transaction (BtStore      *self,
                               sqlite3_stmt *stmt,
                               const char   *what,
                               GError      **error)
{
  return _bt_store_step_change_in_transaction (self, stmt, what, NULL, error);
}

gboolean
_bt_store_step_change_in_transaction (BtStore      *self,
                                      sqlite3_stmt *stmt,
                                      const char   *what,
                                      const char   *missing,
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
  if (missing != NULL && sqlite3_changes (self->db) == 0)
    {
      _bt_store_rollback (self, NULL);
      g_set_error_literal (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND, missing);
      return FALSE;
    }
  return _bt_store_commit (self, error);
}

/* ---- reading rows -------------------------------------------------------- */

int
_bt_store_step_row (BtStore      *self,
                    sqlite3_stmt *stmt,
                    const char   *what,
                    const char   *missing,
                    GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return SQLITE_ROW;
  if (rc != SQLITE_DONE)
    {
      _bt_store_set_error (self, what, error);
      return SQLITE_ERROR;
    }
  if (missing != NULL)
    g_set_error_literal (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND, missing);
  return SQLITE_DONE;
}

gboolean
_bt_store_each_row (BtStore        *self,
                    sqlite3_stmt   *stmt,
                    BtStoreEachFunc func,
                    gpointer        user_data,
                    const char     *what,
                    GError        **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (stmt, user_data);
  if (rc != SQLITE_DONE)
    return _bt_store_set_error (self, what, error);
  return TRUE;
}

typedef struct
{
  GPtrArray      *list;
  BtStoreRowFunc  row_func;
} CollectRows;

static void
collect_row (sqlite3_stmt *stmt,
             gpointer      user_data)
{
  CollectRows *collect = user_data;
  gpointer item = collect->row_func (stmt);

  if (item != NULL)
    g_ptr_array_add (collect->list, item);
}

GPtrArray *
_bt_store_collect_rows (BtStore        *self,
                        sqlite3_stmt   *stmt,
                        BtStoreRowFunc  row_func,
                        GDestroyNotify  free_func,
                        const char     *what,
                        GError        **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (free_func);
  CollectRows collect = { list, row_func };

  if (!_bt_store_each_row (self, stmt, collect_row, &collect, what, error))
    return NULL;
  return g_steal_pointer (&list);
}

/* ---- binding ------------------------------------------------------------- */

static void
bind_valist (sqlite3_stmt *stmt,
             const char   *types,
             va_list       args)
{
  for (int i = 0; types[i] != '\0'; i++)
    {
      int index = i + 1;

      switch (types[i])
        {
        case 's':
          _bt_store_bind_text (stmt, index, va_arg (args, const char *));
          break;
        case 'S':
          sqlite3_bind_text (stmt, index, va_arg (args, const char *), -1, SQLITE_STATIC);
          break;
        case 'i':
          sqlite3_bind_int64 (stmt, index, va_arg (args, gint64));
          break;
        case 'b':
          sqlite3_bind_int (stmt, index, va_arg (args, gboolean) ? 1 : 0);
          break;
        case 'd':
          _bt_store_bind_double (stmt, index, va_arg (args, double));
          break;
        case 'D':
          _bt_store_bind_day (stmt, index, va_arg (args, BtDay));
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

void
_bt_store_bind (sqlite3_stmt *stmt,
                const char   *types,
                ...)
{
  va_list args;

  va_start (args, types);
  bind_valist (stmt, types, args);
  va_end (args);
}

/* SQL prepared with its parameters bound from ARGS; NULL with ERROR set. */
static BtStoreStmt *
prepare_valist (BtStore     *self,
                const char  *sql,
                const char  *types,
                va_list      args,
                GError     **error)
{
  BtStoreStmt *stmt = _bt_store_prepare (self, sql, error);

  if (stmt == NULL)
    return NULL;
  /* one type letter per parameter of the statement, no more, no fewer */
  g_assert_cmpint (strlen (types), ==, sqlite3_bind_parameter_count (stmt));
  bind_valist (stmt, types, args);
  return stmt;
}

BtStoreStmt *
_bt_store_prepare_bound (BtStore     *self,
                         GError     **error,
                         const char  *sql,
                         const char  *types,
                         ...)
{
  BtStoreStmt *stmt;
  va_list args;

  va_start (args, types);
  stmt = prepare_valist (self, sql, types, args, error);
  va_end (args);
  return stmt;
}

gboolean
_bt_store_execute (BtStore     *self,
                   const char  *what,
                   GError     **error,
                   const char  *sql,
                   const char  *types,
                   ...)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  va_list args;

  va_start (args, types);
  stmt = prepare_valist (self, sql, types, args, error);
  va_end (args);
  return stmt != NULL && _bt_store_step_in_transaction (self, stmt, what, error);
}

gboolean
_bt_store_step_done (BtStore      *self,
                     sqlite3_stmt *stmt,
                     const char   *what,
                     GError      **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _bt_store_set_error (self, what, error);
  return TRUE;
}

BtStoreStmt *
_bt_store_query_row (BtStore     *self,
                     const char  *what,
                     const char  *missing,
                     GError     **error,
                     const char  *sql,
                     const char  *types,
                     ...)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  va_list args;

  va_start (args, types);
  stmt = prepare_valist (self, sql, types, args, error);
  va_end (args);
  if (stmt == NULL || _bt_store_step_row (self, stmt, what, missing, error) != SQLITE_ROW)
    return NULL;
  return g_steal_pointer (&stmt);
}

GPtrArray *
_bt_store_collect (BtStore         *self,
                   const char      *what,
                   GError         **error,
                   BtStoreRowFunc   row_func,
                   GDestroyNotify   free_func,
                   const char      *sql,
                   const char      *types,
                   ...)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  va_list args;

  va_start (args, types);
  stmt = prepare_valist (self, sql, types, args, error);
  va_end (args);
  if (stmt == NULL)
    return NULL;
  return _bt_store_collect_rows (self, stmt, row_func, free_func, what, error);
}
