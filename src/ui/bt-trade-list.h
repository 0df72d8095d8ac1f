/* bt-trade-list.h: the trades of a backtest run as a GListModel, for a
 * GtkListView with recycled rows.  The model shares the run's trade array
 * (a reference, no copy), makes a BtTradeItem only for the rows a view asks
 * for, and lists the trades a chunk per idle turn of the main loop, so that
 * no turn does work in proportion to the number of trades. */
#pragma once

#include <gio/gio.h>

#include "bt-backtest.h"

G_BEGIN_DECLS

#define BT_TYPE_TRADE_ITEM (bt_trade_item_get_type ())
G_DECLARE_FINAL_TYPE (BtTradeItem, bt_trade_item, BT, TRADE_ITEM, GObject)

/* The trade, valid while the item lives. */
const BtBacktestTrade *bt_trade_item_get_trade (BtTradeItem *self);

#define BT_TYPE_TRADE_LIST (bt_trade_list_get_type ())
G_DECLARE_FINAL_TYPE (BtTradeList, bt_trade_list, BT, TRADE_LIST, GObject)

BtTradeList *bt_trade_list_new        (void);
/* TRADES: a GArray of BtBacktestTrade (referenced, not copied), or NULL. */
void         bt_trade_list_set_trades (BtTradeList *self,
                                       GArray      *trades);
/* All the trades, including those not listed yet. */
guint        bt_trade_list_get_n_trades (BtTradeList *self);

G_END_DECLS
