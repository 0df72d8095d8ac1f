/* bt-market-page.h: the Market page: BTC price on a log scale with its
 * EMAs, the market score beneath, range presets, zoom, pan, crosshair. */
#pragma once

#include <adwaita.h>

#include "bt-chart-view.h"
#include "bt-page.h"
#include "bt-types.h"

G_BEGIN_DECLS

#define BT_TYPE_MARKET_PAGE (bt_market_page_get_type ())
G_DECLARE_FINAL_TYPE (BtMarketPage, bt_market_page, BT, MARKET_PAGE, BtPage)

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
/* Shows the context's closes, daily EMAs and scores (the empty state
 * without data). */
void         bt_market_page_refresh     (BtMarketPage       *self);

G_END_DECLS
