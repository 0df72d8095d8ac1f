/* bt-backtest-private.h: the internals shared by the backtest's
 * configuration (bt-backtest-config.c), its simulation (bt-backtest.c) and
 * its export (bt-backtest-export.c).  Not for other modules.
 */
#pragma once

#include "bt-backtest.h"

G_BEGIN_DECLS

/* The canonical JSON writers of bt-backtest-config.c: members in insertion
 * order, shortest numbers. */
void      _bt_backtest_append_json_string (GString    *out,
                                           const char *s);
void      _bt_backtest_append_json_number (GString *out,
                                           double   value);
void      _bt_backtest_append_key (GString    *out,
                                   gboolean   *first,
                                   const char *key);
void      _bt_backtest_append_day (GString *out,
                                   BtDay    day);

G_END_DECLS
