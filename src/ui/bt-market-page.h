/* bt-market-page.h: the Market page: BTC price on a log scale with its
 * EMAs, the market score beneath, range presets, zoom, pan, crosshair. */
#pragma once

#include <adwaita.h>

#include "bt-page.h"

G_BEGIN_DECLS

#define BT_TYPE_MARKET_PAGE (bt_market_page_get_type ())
G_DECLARE_FINAL_TYPE (BtMarketPage, bt_market_page, BT, MARKET_PAGE, BtPage)

/* Shows the context's closes, daily EMAs and scores (the empty state
 * without data). */
void         bt_market_page_refresh     (BtMarketPage       *self);

G_END_DECLS
