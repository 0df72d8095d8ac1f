/* bt-market-page-private.h: what bt-market-page.c declares for its own use
 * and for the tests only; not part of the public API in bt-market-page.h. */
#pragma once

#include "bt-chart-view.h"
#include "bt-market-page.h"
#include "bt-types.h"

G_BEGIN_DECLS

/* Copies N days from FIRST_DAY: the closes, the daily EMAs (EMA[i] for
 * period bt_ema_periods[i]; a NULL entry is left out) and the scores:
 * SCORES[0] the market score, drawn beneath the price with the 40/60/80
 * bands, SCORES[1 + c] the score of category c (BtCategory), read out
 * under the crosshair (SCORES or any entry may be NULL).  N == 0 shows the
 * empty state. */
void         bt_market_page_set_history (BtMarketPage       *self,
                                         BtDay               first_day,
                                         guint               n,
                                         const double       *close,
                                         const double *const ema[BT_N_EMA_PERIODS],
                                         const double *const scores[1 + BT_N_CATEGORIES]);
/* "1m", "6m", "1y", "4y" or "all" (saved in GSettings "market-range"). */
void         bt_market_page_set_range   (BtMarketPage       *self,
                                         const char         *range);
const char  *bt_market_page_get_range   (BtMarketPage       *self);
BtChartView *bt_market_page_get_chart   (BtMarketPage       *self);

G_END_DECLS
