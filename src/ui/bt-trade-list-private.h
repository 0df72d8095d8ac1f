/* bt-trade-list-private.h: what bt-trade-list.c declares for its own use and
 * for the tests only; not part of the public API in bt-trade-list.h. */
#pragma once

#include "bt-trade-list.h"

G_BEGIN_DECLS

/* Items made since the list was created: what a view asked for. */
guint        bt_trade_list_get_n_made (BtTradeList *self);

G_END_DECLS
