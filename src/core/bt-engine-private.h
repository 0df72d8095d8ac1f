/* bt-engine-private.h: what bt-engine.c declares for its own use and for the
 * tests only; not part of the public API in bt-engine.h. */
#pragma once

#include "bt-engine.h"

G_BEGIN_DECLS

/* Kelly inputs from the latest completed full-history backtest stored
 * (NAN, NAN when none: the rules' defaults apply). */
void                    bt_engine_get_kelly_inputs (BtEngine   *self,
                                                    double     *win_rate,
                                                    double     *payoff);

G_END_DECLS
