/* bt-dashboard-page-private.h: what bt-dashboard-page.c declares for its own
 * use and for the tests only; not part of the public API in
 * bt-dashboard-page.h. */
#pragma once

#include "bt-dashboard-page.h"

G_BEGIN_DECLS

gboolean  bt_dashboard_page_get_empty    (BtDashboardPage  *self);

/* The banner's text, NULL when the data is fresh (hidden). */
const char *bt_dashboard_page_get_freshness_text (BtDashboardPage *self);

G_END_DECLS
