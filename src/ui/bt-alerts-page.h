/* bt-alerts-page.h: the Alerts page: active and past alerts with their
 * severity; acknowledge one or all. */
#pragma once

#include <adwaita.h>

#include "bt-domain.h"
#include "bt-page.h"
#include "bt-types.h"

G_BEGIN_DECLS

#define BT_TYPE_ALERTS_PAGE (bt_alerts_page_get_type ())
G_DECLARE_FINAL_TYPE (BtAlertsPage, bt_alerts_page, BT, ALERTS_PAGE, BtPage)

/* Remove every alert shown. */
void     bt_alerts_page_clear            (BtAlertsPage *self);
/* Add or update alert ID.  Times are unix seconds; ACKNOWLEDGED_AT and
 * CLEARED_AT are 0 while not acknowledged / cleared.  An alert is active
 * while neither is set. */
void     bt_alerts_page_set_alert        (BtAlertsPage *self,
                                          gint64        id,
                                          BtSeverity    severity,
                                          const char   *message,
                                          gint64        created_at,
                                          gint64        acknowledged_at,
                                          gint64        cleared_at);
guint    bt_alerts_page_get_n_active     (BtAlertsPage *self);
/* Scroll to and focus alert ID (a notification was activated). */
void     bt_alerts_page_select          (BtAlertsPage *self,
                                          gint64        id);

G_END_DECLS
