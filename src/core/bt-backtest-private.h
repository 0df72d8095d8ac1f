/* bt-backtest-private.h: the internals shared by the backtest's
 * configuration (bt-backtest-config.c), its simulation (bt-backtest.c) and
 * its export (bt-backtest-export.c).  Not for other modules.
 */
#pragma once

#include "bt-backtest.h"
#include "bt-json.h"

G_BEGIN_DECLS

/* KEY: DAY as "YYYY-MM-DD", null when BT_DAY_INVALID. */
void      _bt_backtest_json_day (BtJson     *json,
                                 const char *key,
                                 BtDay       day);
/* CONFIG as the canonical object of bt_backtest_config_to_json(). */
void      _bt_backtest_config_write_json (BtJson                 *json,
                                          const BtBacktestConfig *config);

G_END_DECLS
