/* bt-dashboard-page-private.h: what bt-dashboard-page.c declares for its own
 * use and for the tests only; not part of the public API in
 * bt-dashboard-page.h. */
#pragma once

#include "bt-dashboard-page.h"

G_BEGIN_DECLS

/* Show the scores of DAY.  DECISION may be NULL (none computed yet);
 * REASON is the decision's translated reason (may be NULL); UPDATED_AT is
 * when the data was last refreshed (unix seconds, 0: unknown). */
void      bt_dashboard_page_set_data     (BtDashboardPage  *self,
                                          BtDay             day,
                                          double            price,
                                          const BtScores   *scores,
                                          const BtDecision *decision,
                                          const char       *reason,
                                          gint64            updated_at);
/* The database holds no market data: offer "Import CSV…" and "Download History". */
void      bt_dashboard_page_set_empty    (BtDashboardPage  *self);

/* The newest data (DAY) against TODAY: a banner over the page when it is
 * older than LIMIT_DAYS (SCORING.md §1's daily freshness limit). */
void        bt_dashboard_page_set_freshness      (BtDashboardPage *self,
                                                  BtDay            day,
                                                  BtDay            today,
                                                  double           limit_days);

gboolean  bt_dashboard_page_get_empty    (BtDashboardPage  *self);

/* The banner's text, NULL when the data is fresh (hidden). */
const char *bt_dashboard_page_get_freshness_text (BtDashboardPage *self);

G_END_DECLS
