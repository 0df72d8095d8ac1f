/* bt-data-page-private.h: what bt-data-page.c declares for its own use and
 * for the tests only; not part of the public API in bt-data-page.h. */
#pragma once

#include "bt-data-page.h"

G_BEGIN_DECLS

guint     bt_data_page_get_n_batches     (BtDataPage *self);
guint     bt_data_page_get_n_sources     (BtDataPage *self);
guint     bt_data_page_get_n_disagreements (BtDataPage *self);
/* Ask to remove batch ID, as its Remove button does: a confirmation
 * dialog; on "remove" the batch goes in a worker thread, the engine
 * recomputes, the page refreshes and emits ::data-changed. */
void      bt_data_page_remove_batch      (BtDataPage *self,
                                          gint64      id);
/* That confirmation while it is shown (AdwAlertDialog or AdwMessageDialog,
 * see bt_ui_alert_new()), or NULL. */
GtkWidget *bt_data_page_get_question     (BtDataPage *self);

G_END_DECLS
