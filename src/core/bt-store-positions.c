/* bt-store-positions.c: the manual_positions table (bt-store-positions.h). */
#define G_LOG_DOMAIN "bt-core"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "bt-store-positions.h"
#include "bt-store-private.h"

BtManualPosition *
bt_manual_position_new (void)
{
  BtManualPosition *position = g_new0 (BtManualPosition, 1);

  position->collateral_btc = NAN;
  position->collateral_usd = NAN;
  position->debt_usd = 0;
  position->liquidation_threshold = NAN;
  return position;
}

BtManualPosition *
bt_manual_position_copy (const BtManualPosition *position)
{
  BtManualPosition *copy;

  g_return_val_if_fail (position != NULL, NULL);

  copy = g_memdup2 (position, sizeof *position);
  copy->name = g_strdup (position->name);
  return copy;
}

void
bt_manual_position_free (BtManualPosition *position)
{
  static const gsize strings[] = { G_STRUCT_OFFSET (BtManualPosition, name) };

  _bt_store_free_record (position, strings, G_N_ELEMENTS (strings));
}

double
bt_manual_position_collateral_at (const BtManualPosition *position,
                                  double                  price)
{
  g_return_val_if_fail (position != NULL, NAN);

  if (isfinite (position->collateral_usd))
    return position->collateral_usd;
  return position->collateral_btc * price;
}

gboolean
bt_manual_position_validate (const BtManualPosition *position,
                             GError                **error)
{
  gboolean in_btc, in_usd;

  g_return_val_if_fail (position != NULL, FALSE);

  in_btc = !isnan (position->collateral_btc);
  in_usd = !isnan (position->collateral_usd);
  {
    g_autofree char *stripped = position->name != NULL ? g_strstrip (g_strdup (position->name)) : NULL;

    if (stripped == NULL || *stripped == '\0')
      {
        g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID, _("A position needs a name"));
        return FALSE;
      }
  }
  if (in_btc == in_usd)
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
                   _("Give the collateral either in BTC or in USD"));
      return FALSE;
    }
  if (!(isfinite (in_btc ? position->collateral_btc : position->collateral_usd))
      || (in_btc ? position->collateral_btc : position->collateral_usd) < 0)
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
                   _("The collateral must be zero or a positive amount"));
      return FALSE;
    }
  if (!isfinite (position->debt_usd) || position->debt_usd < 0)
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
                   _("The debt must be zero or a positive amount"));
      return FALSE;
    }
  if (!(position->liquidation_threshold > 0 && position->liquidation_threshold < 1))
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
                   _("The liquidation threshold must lie between 0 and 1 (e.g. 0.78)"));
      return FALSE;
    }
  return TRUE;
}

gint64
bt_store_save_manual_position (BtStore                *self,
                               const BtManualPosition *position,
                               GError                **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autofree char *name = NULL;
  g_autofree char *missing = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (BT_IS_STORE (self), 0);
  g_return_val_if_fail (position != NULL, 0);

  if (!bt_manual_position_validate (position, error))
    return 0;
  name = g_strstrip (g_strdup (position->name));

  if (position->id == 0)
    stmt = _bt_store_prepare (self,
                              "INSERT INTO manual_positions (name, collateral_btc, collateral_usd,"
                              " debt_usd, liquidation_threshold, updated_at, created_at)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  else
    stmt = _bt_store_prepare (self,
                              "UPDATE manual_positions SET name = ?, collateral_btc = ?,"
                              " collateral_usd = ?, debt_usd = ?, liquidation_threshold = ?,"
                              " updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return 0;
  /* debt and threshold are finite after the check */
  _bt_store_bind (stmt, "sddddii", name, position->collateral_btc, position->collateral_usd,
                  position->debt_usd, position->liquidation_threshold, now,
                  position->id == 0 ? now : position->id);
  if (position->id == 0)
    {
      if (!_bt_store_step_in_transaction (self, stmt, _("saving a position"), error))
        return 0;
      return sqlite3_last_insert_rowid (_bt_store_get_handle (self));
    }
  missing = g_strdup_printf (_("There is no saved position %lld"), (long long) position->id);
  if (!_bt_store_step_change_in_transaction (self, stmt, _("saving a position"), missing, error))
    return 0;
  return position->id;
}

gboolean
bt_store_remove_manual_position (BtStore  *self,
                                 gint64    id,
                                 GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autofree char *missing = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);

  stmt = _bt_store_prepare_bound (self, error, "DELETE FROM manual_positions WHERE id = ?", "i", id);
  if (stmt == NULL)
    return FALSE;
  missing = g_strdup_printf (_("There is no saved position %lld"), (long long) id);
  return _bt_store_step_change_in_transaction (self, stmt, _("removing a position"), missing, error);
}

static gpointer
manual_position_from_row (sqlite3_stmt *stmt)
{
  BtManualPosition *p = bt_manual_position_new ();

  p->id = sqlite3_column_int64 (stmt, 0);
  p->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  p->collateral_btc = _bt_store_column_double (stmt, 2);
  p->collateral_usd = _bt_store_column_double (stmt, 3);
  p->debt_usd = _bt_store_column_double (stmt, 4);
  p->liquidation_threshold = _bt_store_column_double (stmt, 5);
  p->updated_at = sqlite3_column_int64 (stmt, 6);
  return p;
}

GPtrArray *
bt_store_list_manual_positions (BtStore  *self,
                                GError  **error)
{
  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  return _bt_store_collect (self, _("reading the positions"), error,
                            manual_position_from_row, (GDestroyNotify) bt_manual_position_free,
                            "SELECT id, name, collateral_btc, collateral_usd, debt_usd,"
                            " liquidation_threshold, updated_at FROM manual_positions"
                            " ORDER BY created_at, id",
                            "");
}
