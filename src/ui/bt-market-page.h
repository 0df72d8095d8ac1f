/* bt-market-page.h: the Market page: BTC price on a log scale with its
 * EMAs, the market score beneath, range presets, zoom, pan, crosshair. */
#pragma once

#include <adwaita.h>

#include "bt-page.h"

G_BEGIN_DECLS

#define BT_TYPE_MARKET_PAGE (bt_market_page_get_type ())
G_DECLARE_FINAL_TYPE (BtMarketPage, bt_market_page, BT, MARKET_PAGE, BtPage)

G_END_DECLS
