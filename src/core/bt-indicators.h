/* bt-indicators.h: the indicators of SCORING.md §1.
 *
 * The kernels work on plain arrays and follow TA-Lib's conventions exactly
 * (EMA seeded with the SMA of the first N values; RSI with Wilder smoothing
 * seeded with the simple mean of the first 14 changes; Bollinger with the
 * population standard deviation).  Output slots before the first value are
 * NAN.  Input must hold no NAN (callers compact the series first).
 */
#pragma once

#include <glib.h>

#include "bt-types.h"
#include "bt-rules.h"

G_BEGIN_DECLS

/* Every indicator for every day of HISTORY into TABLE (same first_day and
 * n_days).  Uses only data up to each day.  Values that cannot be computed
 * fall back to HISTORY->imported (flag IMPORTED); inputs whose newest
 * observation is older than the RULES freshness limits are carried forward
 * and flagged STALE. */
void  bt_indicators_compute (const BtHistory  *history,
                             const BtRules    *rules,
                             BtIndicatorTable *table);

G_END_DECLS
