/* bt-session-private.h: what bt-session.c declares for its own use and for
 * the tests only; not part of the public API in bt-session.h. */
#pragma once

#include "bt-scheduler.h"
#include "bt-session.h"

G_BEGIN_DECLS

/* Import a CSV file in a worker thread, then recompute and reload. */
void       bt_session_import_async  (BtSession          *self,
                                     GFile              *file,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);

gboolean   bt_session_import_finish (BtSession          *self,
                                     GAsyncResult       *result,
                                     GError            **error);

/* Whether a backtest is running. */
gboolean   bt_session_get_backtest_running (BtSession *self);

G_END_DECLS
