/* bt-sources-view-private.h: what bt-sources-view.c declares for its own use
 * and for the tests only; not part of the public API in bt-sources-view.h. */
#pragma once

#include "bt-sources-view.h"

G_BEGIN_DECLS

/* Failed sources at their last attempt. */
guint           bt_sources_view_get_n_failing  (BtSourcesView *self);

char           *bt_sources_view_dup_row_text   (BtSourcesView *self,
                                                BtSource       source);

G_END_DECLS
