/* bt-market-page-private.h: what bt-market-page.c declares for its own use
 * and for the tests only; not part of the public API in bt-market-page.h. */
#pragma once

#include "bt-market-page.h"

G_BEGIN_DECLS

/* "1m", "6m", "1y", "4y" or "all" (saved in GSettings "market-range"). */
void         bt_market_page_set_range   (BtMarketPage       *self,
                                         const char         *range);
const char  *bt_market_page_get_range   (BtMarketPage       *self);
BtChartView *bt_market_page_get_chart   (BtMarketPage       *self);

G_END_DECLS
