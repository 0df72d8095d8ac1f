/* bt-alerts-page-private.h: what bt-alerts-page.c declares for its own use
 * and for the tests only; not part of the public API in bt-alerts-page.h. */
#pragma once

#include "bt-alerts-page.h"

G_BEGIN_DECLS

guint    bt_alerts_page_get_n_alerts     (BtAlertsPage *self);
gboolean bt_alerts_page_get_acknowledged (BtAlertsPage *self,
                                          gint64        id);
/* Acknowledge one alert / every active alert, as the buttons do: the page
 * marks them and emits ::acknowledged for each, for the store to record. */
void     bt_alerts_page_acknowledge      (BtAlertsPage *self,
                                          gint64        id);
void     bt_alerts_page_acknowledge_all  (BtAlertsPage *self);

G_END_DECLS
