/* bt-window-private.h: what bt-window.c declares for its own use and for the
 * tests only; not part of the public API in bt-window.h. */
#pragma once

#include "bt-window.h"

G_BEGIN_DECLS

const char      *bt_window_get_page            (BtWindow      *self);

/* The message of the last toast shown (NULL: none yet). */
const char      *bt_window_get_last_toast      (BtWindow      *self);

gboolean         bt_window_get_busy            (BtWindow      *self);

G_END_DECLS
