/* bt-store-batches.c: the store's import batches: listing, recording and
 * removing them (bt-store.h).
 */
#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>

#include "bt-base.h"
#include "bt-store.h"
#include "bt-store-private.h"

void
bt_import_batch_free (BtImportBatch *batch)
{
  static const gsize strings[] = {
    G_STRUCT_OFFSET (BtImportBatch, file), G_STRUCT_OFFSET (BtImportBatch, kind)
  };

  _bt_store_free_record (batch, strings, G_N_ELEMENTS (strings));
}

static gpointer
batch_from_row (sqlite3_stmt *stmt)
{
  BtImportBatch *b = g_new0 (BtImportBatch, 1);

  b->id = sqlite3_column_int64 (stmt, 0);
  b->file = _bt_store_column_dup_text (stmt, 1);
  b->kind = _bt_store_column_dup_text (stmt, 2);
  b->imported_at = sqlite3_column_int64 (stmt, 3);
  b->rows = (guint64) sqlite3_column_int64 (stmt, 4);
  b->first_day = _bt_store_column_day (stmt, 5);
  b->last_day = _bt_store_column_day (stmt, 6);
  return b;
}

GPtrArray *
bt_store_list_batches (BtStore  *self,
                       GError  **error)
{
  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  return _bt_store_collect (self, _("loading import batches"), error,
                            batch_from_row, (GDestroyNotify) bt_import_batch_free,
                            "SELECT id, file, kind, imported_at, rows, first_day, last_day"
                            " FROM import_batches ORDER BY id",
                            "");
}

gint64
_bt_store_insert_batch (BtStore     *self,
                        const char  *file,
                        const char  *kind,
                        GError     **error)
{
  /* a savepoint of the caller's transaction */
  if (!_bt_store_execute (self, _("saving an import batch"), error,
                          "INSERT INTO import_batches (file, kind, imported_at) VALUES (?, ?, ?)",
                          "ssi", file, kind, _bt_store_now_unix ()))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

gboolean
_bt_store_finish_batch (BtStore     *self,
                        gint64       id,
                        const char  *kind,
                        guint64      rows,
                        BtDay        first_day,
                        BtDay        last_day,
                        const char  *digest,
                        GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  stmt = _bt_store_prepare_bound (self, error,
                                  "UPDATE import_batches SET kind = ?, rows = ?, first_day = ?, last_day = ?,"
                                  " digest = ? WHERE id = ?",
                                  "siDDsi", kind, (gint64) rows, first_day, last_day, digest, id);
  if (stmt == NULL)
    return FALSE;
  return _bt_store_step_done (self, stmt, _("saving an import batch"), error);
}

gint64
_bt_store_find_batch_by_digest (BtStore     *self,
                                const char  *digest,
                                GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  stmt = _bt_store_query_row (self, _("loading import batches"), NULL, error,
                              "SELECT id FROM import_batches WHERE digest = ? ORDER BY id LIMIT 1",
                              "s", digest);
  return stmt != NULL ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* Sets OUT to the earliest day of batch ID's rows; leaves it as it is when
 * the batch has none. */
static gboolean
batch_first_day (BtStore  *self,
                 gint64    id,
                 BtDay    *out,
                 GError  **error)
{
  /* an aggregate: always one row */
  g_autoptr(BtStoreStmt) stmt =
    _bt_store_query_row (self, _("loading import batches"), NULL, error,
                         "SELECT min (t) FROM (SELECT min (open_time) AS t FROM candles WHERE batch = ?1"
                         " UNION ALL SELECT min (time) FROM observations WHERE batch = ?1)",
                         "i", id);

  if (stmt != NULL && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    *out = bt_day_from_unix (sqlite3_column_int64 (stmt, 0));
  return stmt != NULL;
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
      g_autoptr(BtStoreStmt) stmt = _bt_store_prepare_bound (self, error, sql[k], "i", id);

      if (stmt == NULL)
        goto fail;
      if (!_bt_store_step_done (self, stmt, _("removing an import"), error))
        goto fail;
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
  return _bt_store_execute (self, _("saving market data"), error,
                            "DELETE FROM market_data WHERE ?1 IS NULL OR date < ?1 OR date > ?2",
                            "DD", first, last);
}
