/* bt-data-page.h: the Data page: the import batches (remove one, with a
 * confirmation), each price source's coverage, the user's source order and
 * the days where two price sources disagree.  The page owns its data: it
 * queries the engine's store itself and refreshes while shown. */
#pragma once

#include <adwaita.h>

#include "bt-engine.h"

G_BEGIN_DECLS

#define BT_TYPE_DATA_PAGE (bt_data_page_get_type ())
G_DECLARE_FINAL_TYPE (BtDataPage, bt_data_page, BT, DATA_PAGE, GtkWidget)

/* The engine whose store the page shows (property "engine"). */
void      bt_data_page_set_engine        (BtDataPage *self,
                                          BtEngine   *engine);
BtEngine *bt_data_page_get_engine        (BtDataPage *self);
/* Query the store again. */
void      bt_data_page_refresh           (BtDataPage *self);

G_END_DECLS
