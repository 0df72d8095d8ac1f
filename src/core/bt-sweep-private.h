/* bt-sweep-private.h: what bt-sweep.c declares for its own use and for the
 * tests only; not part of the public API in bt-sweep.h. */
#pragma once

#include "bt-sweep.h"

G_BEGIN_DECLS

/* Best-first order of two rows (a GCompareFunc over BtSweepRow **). */
gint        bt_sweep_row_compare (gconstpointer a,
                                  gconstpointer b);

G_END_DECLS
