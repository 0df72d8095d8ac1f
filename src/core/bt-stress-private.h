/* bt-stress-private.h: what bt-stress.c declares for its own use and for the
 * tests only; not part of the public API in bt-stress.h. */
#pragma once

#include "bt-stress.h"

G_BEGIN_DECLS

/* The windows of the close and low inputs of HISTORY (NAN where unknown)
 * that end on or before index END, for a position liquidated by a fall of
 * DISTANCE (fraction, NAN: never) with liquidation threshold LT (NAN:
 * safe_leverage unknown).  Fills OUT->windows only. */
void     bt_stress_compute_windows (const BtHistory *history,
                                    guint            end,
                                    double           distance,
                                    double           lt,
                                    BtStressResult  *out);

G_END_DECLS
