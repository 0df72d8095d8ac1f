/* bt-data-page.h: the Data page: the import batches (remove one, with a
 * confirmation), each price source's coverage, the user's source order and
 * the days where two price sources disagree.  The page owns its data: it
 * queries its context's store itself and refreshes while shown. */
#pragma once

#include <adwaita.h>

#include "bt-page.h"

G_BEGIN_DECLS

#define BT_TYPE_DATA_PAGE (bt_data_page_get_type ())
G_DECLARE_FINAL_TYPE (BtDataPage, bt_data_page, BT, DATA_PAGE, BtPage)

G_END_DECLS
