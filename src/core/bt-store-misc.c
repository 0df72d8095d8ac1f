/* bt-store-misc.c: the store's smaller tables: wallets, positions and the
 * portfolio history, alerts, daily reports, source status and settings
 * (bt-store.h).
 */
#define G_LOG_DOMAIN "bt-core"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "bt-base.h"
#include "bt-store.h"
#include "bt-store-private.h"

/* ---- wallets ------------------------------------------------------------- */

void
bt_wallet_free (BtWallet *wallet)
{
  static const gsize strings[] = {
    G_STRUCT_OFFSET (BtWallet, address), G_STRUCT_OFFSET (BtWallet, label)
  };

  _bt_store_free_record (wallet, strings, G_N_ELEMENTS (strings));
}

gboolean
bt_store_add_wallet (BtStore     *self,
                     const char  *address,
                     const char  *label,
                     GError     **error)
{
  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  return _bt_store_execute (self, _("saving a wallet"), error,
                            "INSERT INTO wallets (address, label, added_at) VALUES (?, ?, ?) "
                            "ON CONFLICT (address) DO UPDATE SET label = excluded.label",
                            "ssi", address, label, _bt_store_now_unix ());
}

gboolean
bt_store_remove_wallet (BtStore     *self,
                        const char  *address,
                        GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autofree char *missing = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  stmt = _bt_store_prepare_bound (self, error, "DELETE FROM wallets WHERE address = ?", "s", address);
  if (stmt == NULL)
    return FALSE;
  missing = g_strdup_printf (_("The wallet %s is not in the list"), address);
  return _bt_store_step_change_in_transaction (self, stmt, _("removing a wallet"), missing, error);
}

static gpointer
wallet_from_row (sqlite3_stmt *stmt)
{
  BtWallet *w = g_new0 (BtWallet, 1);

  w->address = _bt_store_column_dup_text (stmt, 0);
  w->label = _bt_store_column_dup_text (stmt, 1);
  w->added_at = sqlite3_column_int64 (stmt, 2);
  return w;
}

GPtrArray *
bt_store_list_wallets (BtStore  *self,
                       GError  **error)
{
  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  return _bt_store_collect (self, _("reading wallets"), error,
                            wallet_from_row, (GDestroyNotify) bt_wallet_free,
                            "SELECT address, label, added_at FROM wallets"
                            " ORDER BY added_at, address",
                            "");
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
  const BtPositionData *d;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (BT_IS_POSITION (position), FALSE);

  d = bt_position_get_data (position);
  return _bt_store_execute (self, _("saving a position"), error,
                            "INSERT INTO positions (" POSITION_COLUMNS ", updated_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            "sidddddddddddddi", bt_position_get_wallet (position), d->timestamp,
                            d->btc_amount, d->entry_price, d->leverage, d->collateral_usd, d->debt_usd,
                            d->health_factor, d->liquidation_price, d->liquidation_threshold, d->ltv,
                            d->liquidation_distance, d->portfolio_value, d->unrealized_pnl,
                            d->risk_score, _bt_store_now_unix ());
}

static gpointer
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
  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  /* the latest snapshot per wallet; the highest id breaks timestamp ties */
  return _bt_store_collect (self, _("reading positions"), error,
                            position_from_row, g_object_unref,
                            "SELECT " POSITION_COLUMNS " FROM positions p WHERE id ="
                            " (SELECT id FROM positions q WHERE q.wallet = p.wallet"
                            "  ORDER BY timestamp DESC, id DESC LIMIT 1) ORDER BY wallet",
                            "");
}

BtPosition *
bt_store_get_latest_position (BtStore     *self,
                              const char  *wallet,
                              GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autofree char *missing = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);
  g_return_val_if_fail (wallet != NULL, NULL);

  missing = g_strdup_printf (_("No position recorded for the wallet %s"), wallet);
  stmt = _bt_store_query_row (self, _("reading positions"), missing, error,
                              "SELECT " POSITION_COLUMNS " FROM positions WHERE wallet = ?"
                              " ORDER BY timestamp DESC, id DESC LIMIT 1",
                              "s", wallet);
  return stmt != NULL ? position_from_row (stmt) : NULL;
}

/* ---- portfolio history --------------------------------------------------- */

gboolean
bt_store_upsert_portfolio_point (BtStore                *self,
                                 const BtPortfolioPoint *p,
                                 GError                **error)
{
  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (p != NULL && p->date != BT_DAY_INVALID, FALSE);

  return _bt_store_execute (self, _("saving the portfolio history"), error,
                            "INSERT OR REPLACE INTO portfolio_history (date, portfolio_value,"
                            " btc_price, total_return_pct, leverage, drawdown_pct)"
                            " VALUES (?, ?, ?, ?, ?, ?)",
                            "Dddddd", p->date, p->portfolio_value, p->btc_price, p->total_return_pct,
                            p->leverage, p->drawdown_pct);
}

static void
append_portfolio_point (sqlite3_stmt *stmt,
                        gpointer      user_data)
{
  BtPortfolioPoint p;

  p.date = _bt_store_column_day (stmt, 0);
  p.portfolio_value = _bt_store_column_double (stmt, 1);
  p.btc_price = _bt_store_column_double (stmt, 2);
  p.total_return_pct = _bt_store_column_double (stmt, 3);
  p.leverage = _bt_store_column_double (stmt, 4);
  p.drawdown_pct = _bt_store_column_double (stmt, 5);
  g_array_append_val ((GArray *) user_data, p);
}

GArray *
bt_store_list_portfolio_history (BtStore  *self,
                                 BtDay     from,
                                 BtDay     to,
                                 GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (BtPortfolioPoint));

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  stmt = _bt_store_prepare_bound (self, error,
                                  "SELECT date, portfolio_value, btc_price, total_return_pct, leverage,"
                                  " drawdown_pct FROM portfolio_history"
                                  " WHERE (?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR date <= ?2)"
                                  " ORDER BY date",
                                  "DD", from, to);
  if (stmt == NULL)
    return NULL;
  if (!_bt_store_each_row (self, stmt, append_portfolio_point, list,
                           _("reading the portfolio history"), error))
    return NULL;
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
  g_return_val_if_fail (BT_IS_STORE (self), 0);
  g_return_val_if_fail (kind < BT_N_ALERT_KINDS && severity < BT_N_SEVERITIES, 0);

  if (!_bt_store_execute (self, _("saving an alert"), error,
                          "INSERT INTO alerts (kind, key, severity, message, vals, created_at)"
                          " VALUES (?, ?, ?, ?, ?, ?)",
                          "SsSssi", bt_alert_kind_name (kind), key, bt_severity_name (severity),
                          message, values_json, created_at))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

static gpointer
alert_from_row (sqlite3_stmt *stmt)
{
  BtAlertData a = { .kind = BT_ALERT_HEALTH_FACTOR };
  const char *kind_name = (const char *) sqlite3_column_text (stmt, 1);

  if (kind_name == NULL || !bt_alert_kind_from_name (kind_name, &a.kind))
    return NULL;
  if (!bt_severity_from_name ((const char *) sqlite3_column_text (stmt, 3), &a.severity))
    a.severity = BT_SEVERITY_INFO;
  a.id = sqlite3_column_int64 (stmt, 0);
  a.key = (const char *) sqlite3_column_text (stmt, 2);
  a.message = (const char *) sqlite3_column_text (stmt, 4);
  a.values_json = (const char *) sqlite3_column_text (stmt, 5);
  a.created_at = sqlite3_column_int64 (stmt, 6);
  a.acknowledged_at = sqlite3_column_int64 (stmt, 7);
  a.cleared_at = sqlite3_column_int64 (stmt, 8);
  return bt_alert_new (&a);
}

GPtrArray *
bt_store_list_alerts (BtStore   *self,
                      gboolean   active_only,
                      GError   **error)
{
  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  return _bt_store_collect (self, _("reading alerts"), error,
                            alert_from_row, g_object_unref,
                            "SELECT id, kind, key, severity, message, vals, created_at,"
                            " acknowledged_at, cleared_at FROM alerts"
                            " WHERE ?1 = 0 OR (acknowledged_at IS NULL AND cleared_at IS NULL)"
                            " ORDER BY created_at DESC, id DESC",
                            "b", active_only);
}

static gboolean
alert_exists (BtStore  *self,
              gint64    id,
              GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autofree char *missing = g_strdup_printf (_("There is no alert %lld"), (long long) id);

  stmt = _bt_store_query_row (self, _("reading alerts"), missing, error,
                              "SELECT 1 FROM alerts WHERE id = ?", "i", id);
  return stmt != NULL;
}

static gboolean
set_alert_time (BtStore     *self,
                const char  *sql,
                gint64       id,
                gint64       when,
                GError     **error)
{
  if (!alert_exists (self, id, error))
    return FALSE;
  return _bt_store_execute (self, _("updating an alert"), error, sql, "ii", when, id);
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
  g_return_val_if_fail (BT_IS_STORE (self), -1);

  if (!_bt_store_execute (self, _("updating alerts"), error,
                          "UPDATE alerts SET acknowledged_at = ? WHERE acknowledged_at IS NULL",
                          "i", when))
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
  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  return _bt_store_execute (self, _("saving a report"), error,
                            "INSERT OR REPLACE INTO reports (date, text, created_at)"
                            " VALUES (?, ?, ?)",
                            "Dsi", day, text, _bt_store_now_unix ());
}

char *
bt_store_dup_report (BtStore  *self,
                     BtDay     day,
                     GError  **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autofree char *missing = NULL;
  char buf[16];

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  missing = g_strdup_printf (_("No report for %s"), bt_day_format (day, buf));
  stmt = _bt_store_query_row (self, _("reading reports"), missing, error,
                              "SELECT text FROM reports WHERE date = ?", "D", day);
  return stmt != NULL ? _bt_store_column_dup_text (stmt, 0) : NULL;
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
  stmt = _bt_store_prepare_bound (self, error,
                                  "SELECT last_success, last_failure, failing_since, last_error,"
                                  " cursor, stale FROM source_status WHERE source = ?",
                                  "S", bt_source_name (source));
  if (stmt == NULL)
    return FALSE;
  rc = _bt_store_step_row (self, stmt, _("reading source status"), NULL, error);
  if (rc != SQLITE_ROW)
    return rc == SQLITE_DONE;
  status->last_success = sqlite3_column_int64 (stmt, 0);
  status->last_failure = sqlite3_column_int64 (stmt, 1);
  status->failing_since = sqlite3_column_int64 (stmt, 2);
  status->last_error = _bt_store_column_dup_text (stmt, 3);
  status->cursor = _bt_store_column_dup_text (stmt, 4);
  status->stale = sqlite3_column_int (stmt, 5) != 0;
  return TRUE;
}

gboolean
bt_store_put_source_status (BtStore               *self,
                            const BtSourceStatus  *status,
                            GError               **error)
{
  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (status != NULL && status->source < BT_N_SOURCES, FALSE);

  return _bt_store_execute (self, _("saving source status"), error,
                            "INSERT OR REPLACE INTO source_status (source, last_success,"
                            " last_failure, failing_since, last_error, cursor, stale)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?)",
                            "siiissb", bt_source_name (status->source), status->last_success,
                            status->last_failure, status->failing_since, status->last_error,
                            status->cursor, status->stale);
}

/* ---- settings ------------------------------------------------------------ */

char *
bt_store_dup_setting (BtStore     *self,
                      const char  *key,
                      GError     **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = _bt_store_query_row (self, _("reading settings"), NULL, error,
                              "SELECT value FROM settings WHERE key = ?", "s", key);
  return stmt != NULL ? _bt_store_column_dup_text (stmt, 0) : NULL;
}

gboolean
bt_store_set_setting (BtStore     *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  g_return_val_if_fail (BT_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (value == NULL)
    return _bt_store_execute (self, _("saving settings"), error,
                              "DELETE FROM settings WHERE key = ?", "s", key);
  return _bt_store_execute (self, _("saving settings"), error,
                            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                            "ss", key, value);
}
