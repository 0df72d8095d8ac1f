/* bt-window.h: the main window of BTC Turbo: six pages in a view stack. */
#pragma once

#include <adwaita.h>

#include "bt-alerts-page.h"
#include "bt-backtest-page.h"
#include "bt-dashboard-page.h"
#include "bt-data-page.h"
#include "bt-market-page.h"
#include "bt-position-page.h"
#include "bt-scheduler.h"
#include "bt-session.h"
#include "bt-sources-view.h"

G_BEGIN_DECLS

#define BT_TYPE_WINDOW (bt_window_get_type ())
G_DECLARE_FINAL_TYPE (BtWindow, bt_window, BT, WINDOW, AdwApplicationWindow)

BtWindow        *bt_window_new                 (GtkApplication *application);
/* The session whose database the window shows (NULL: none); the window
 * keeps it, gives its pages the session's context and forwards the
 * user's requests (refresh, import, report, acknowledge, wallets) to it. */
void             bt_window_set_session         (BtWindow      *self,
                                                BtSession     *session);
BtSession       *bt_window_get_session         (BtWindow      *self);
BtDashboardPage *bt_window_get_dashboard_page  (BtWindow      *self);
BtMarketPage    *bt_window_get_market_page     (BtWindow      *self);
BtPositionPage  *bt_window_get_position_page   (BtWindow      *self);
BtBacktestPage  *bt_window_get_backtest_page   (BtWindow      *self);
BtAlertsPage    *bt_window_get_alerts_page     (BtWindow      *self);
/* "dashboard", "market", "position", "backtest" or "alerts" */
void             bt_window_set_page            (BtWindow      *self,
                                                const char    *name);
/* Show a short message at the bottom of the window. */
void             bt_window_add_toast           (BtWindow      *self,
                                                const char    *message);
/* Show ERROR (already translated) as a toast. */
void             bt_window_show_error          (BtWindow      *self,
                                                const GError  *error);
/* Switch to the Alerts page with alert ID selected (a notification's action). */
void             bt_window_show_alert          (BtWindow      *self,
                                                gint64         id);
/* Whether a refresh is running: Refresh becomes Stop ("stop-requested"),
 * the sources indicator spins, Import and Download say why they wait. */
void             bt_window_set_busy            (BtWindow      *self,
                                                gboolean       busy);
BtSourcesView   *bt_window_get_sources_view    (BtWindow      *self);
/* A toast with a button (BUTTON_LABEL activates ACTION_NAME, both may be
 * NULL) shown for TIMEOUT_S seconds (0: until dismissed). */
void             bt_window_add_toast_full      (BtWindow      *self,
                                                const char    *message,
                                                const char    *button_label,
                                                const char    *action_name,
                                                guint          timeout_s);

G_END_DECLS
