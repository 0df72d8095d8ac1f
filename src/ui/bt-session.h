/* bt-session.h: the lifecycle of one database in the window: it opens the
 * store, the engine and the scheduler, gives the pages their BtContext,
 * and runs what takes time: collecting, imports, reports and backtests
 * (in worker threads with their own store connection).  It knows no
 * window: it says what a window should show with its "busy" property and
 * its ::toast, ::error, ::collect-failed and ::sources-changed signals. */
#pragma once

#include <gio/gio.h>

#include "bt-backtest-page.h"
#include "bt-context.h"
#include "bt-engine.h"

G_BEGIN_DECLS

#define BT_TYPE_SESSION (bt_session_get_type ())
G_DECLARE_FINAL_TYPE (BtSession, bt_session, BT, SESSION, GObject)

/* Opens the database at DB_PATH and loads the engine.  The scheduler is
 * created but not started. */
BtSession  *bt_session_new          (const char  *db_path,
                                     GSettings   *settings,
                                     GError     **error);
/* Start the collectors (network) with the GSettings sources. */
void        bt_session_start        (BtSession   *self);
/* Reload the engine from the store; the pages follow (BtContext::changed). */
gboolean    bt_session_reload       (BtSession   *self,
                                     GError     **error);
/* One pass of every enabled source now (BACKFILL: the whole history);
 * "busy" until it ends, then a reload.  Stop cancels it. */
void        bt_session_collect      (BtSession   *self,
                                     gboolean     backfill);
void        bt_session_stop_collecting (BtSession *self);
/* Import a CSV file with a column mapping ("HEADER=FIELD", NULL-terminated,
 * may be NULL), as the import assistant gives it, in a worker thread, then
 * recompute and reload. */
void        bt_session_import_columns_async (BtSession          *self,
                                             GFile              *file,
                                             const char * const *columns,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
/* The same, "busy" meanwhile, ending with a ::toast or an ::error. */
void        bt_session_import       (BtSession          *self,
                                     GFile              *file,
                                     const char * const *columns);
/* Write today's daily report to PATH (PDF); FALSE without data. */
gboolean    bt_session_write_report (BtSession   *self,
                                     const char  *path);
/* The user acknowledged alert ID / added or removed a wallet: the store,
 * the notifications and the collectors follow. */
void        bt_session_acknowledge_alert (BtSession  *self,
                                          gint64      id);
void        bt_session_add_wallet    (BtSession  *self,
                                      const char *address);
void        bt_session_remove_wallet (BtSession  *self,
                                      const char *address);
/* Wallets were added or removed in the store (Preferences): the
 * collectors and the Position page follow. */
void        bt_session_wallets_changed (BtSession *self);
/* The rules were changed (Preferences): the pages are rebuilt with them;
 * a failure to reload is said with ::error. */
void        bt_session_rules_changed (BtSession *self);
/* The page whose ::run-requested starts a backtest and which shows its
 * progress and result (NULL: none; kept weakly). */
void        bt_session_set_backtest_page (BtSession      *self,
                                          BtBacktestPage *page);
/* The context the pages read (borrowed). */
BtContext  *bt_session_get_context  (BtSession   *self);
const char *bt_session_get_db_path  (BtSession   *self);
/* Collecting or importing. */
gboolean    bt_session_get_busy     (BtSession   *self);

G_END_DECLS
