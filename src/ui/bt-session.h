/* bt-session.h: connects a BtWindow to the core: the store, the engine, the
 * scheduler and the backtests.  The pages never run SQL or HTTP; the
 * session calls the core's APIs (imports and backtests in worker threads
 * with their own store connection) and feeds the pages with the results. */
#pragma once

#include <gio/gio.h>

#include "bt-engine.h"
#include "bt-scheduler.h"
#include "bt-window.h"

G_BEGIN_DECLS

#define BT_TYPE_SESSION (bt_session_get_type ())
G_DECLARE_FINAL_TYPE (BtSession, bt_session, BT, SESSION, GObject)

/* Opens the database at DB_PATH and shows its content in WINDOW.  The
 * scheduler is created but not started. */
BtSession *bt_session_new          (BtWindow    *window,
                                    const char  *db_path,
                                    GSettings   *settings,
                                    GError     **error);
/* Start / stop the collectors (network) with the GSettings sources. */
void       bt_session_start        (BtSession   *self);
void       bt_session_stop         (BtSession   *self);
/* Reload every page from the store and the engine. */
gboolean   bt_session_reload       (BtSession   *self,
                                    GError     **error);
/* Import a CSV file with a column mapping ("HEADER=FIELD", NULL-terminated,
 * may be NULL), as the import assistant gives it, in a worker thread, then
 * recompute and reload. */
void       bt_session_import_columns_async (BtSession          *self,
                                            GFile              *file,
                                            const char * const *columns,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
/* Wallets were added or removed in the store (Preferences): the
 * collectors and the Position page follow. */
void       bt_session_wallets_changed (BtSession *self);
/* The engine the pages show (borrowed). */
BtEngine  *bt_session_get_engine   (BtSession   *self);

G_END_DECLS
