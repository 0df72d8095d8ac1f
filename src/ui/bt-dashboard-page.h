/* bt-dashboard-page.h: the Dashboard page: market score, categories,
 * confidence, the decision card and the indicator list. */
#pragma once

#include <adwaita.h>

#include "bt-page.h"
#include "bt-types.h"

G_BEGIN_DECLS

#define BT_TYPE_DASHBOARD_PAGE (bt_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (BtDashboardPage, bt_dashboard_page, BT, DASHBOARD_PAGE, BtPage)

/* One line on the decision card: what data would lift the confidence
 * (NULL or "": hidden). */
void      bt_dashboard_page_set_confidence_hint (BtDashboardPage *self,
                                                 const char      *hint);
/* A refresh is running. */
void      bt_dashboard_page_set_busy     (BtDashboardPage  *self,
                                          gboolean          busy);

/* One line under the decision about the liquidation stress of the
 * Position page's cockpit (NULL hides it). */
void      bt_dashboard_page_set_stress_line (BtDashboardPage *self,
                                             const char      *text);

G_END_DECLS
