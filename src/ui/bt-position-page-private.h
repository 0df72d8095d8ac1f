/* bt-position-page-private.h: what bt-position-page.c declares for its own
 * use and for the tests only; not part of the public API in
 * bt-position-page.h. */
#pragma once

#include "bt-position-page.h"

G_BEGIN_DECLS

guint       bt_position_page_get_n_wallets (BtPositionPage        *self);

/* The error shown under the address entry, NULL when none. */
const char *bt_position_page_get_entry_error (BtPositionPage      *self);
/* Type ADDRESS in the entry and press Enter, as a user would. */
void        bt_position_page_submit_address (BtPositionPage       *self,
                                             const char           *address);

/* ---- the cockpit, as a user types ---- */
/* Type into the cockpit's entries (NULL LIQUIDATION_THRESHOLD keeps the
 * entry); a loaded saved position stays loaded while its name is kept. */
void        bt_position_page_enter_position (BtPositionPage      *self,
                                             const char          *name,
                                             const char          *collateral,
                                             gboolean             in_btc,
                                             const char          *debt,
                                             const char          *liquidation_threshold);
void        bt_position_page_set_price_change    (BtPositionPage *self,
                                                  const char     *percent);
void        bt_position_page_set_target_leverage (BtPositionPage *self,
                                                  const char     *leverage);
/* Save the cockpit's position (Save Position): the loaded one is updated
 * while its name is kept, else a new one is added. */
gboolean    bt_position_page_save_position (BtPositionPage       *self,
                                            GError              **error);
guint       bt_position_page_get_n_saved   (BtPositionPage       *self);
/* Activate / remove the saved position row INDEX, as a click would. */
void        bt_position_page_load_saved    (BtPositionPage       *self,
                                            guint                 index);
void        bt_position_page_remove_saved  (BtPositionPage       *self,
                                            guint                 index);
/* The wallet's cockpit button. */
void        bt_position_page_open_wallet_in_cockpit (BtPositionPage *self,
                                                     const char     *address);
void        bt_position_page_scroll_to_cockpit (BtPositionPage   *self);
void        bt_position_page_scroll_to_whatif  (BtPositionPage   *self);
void        bt_position_page_scroll_to_stress  (BtPositionPage   *self);

/* ---- what the page shows (for tests and accessibility checks) ---- */
const char *bt_position_page_get_now_text       (BtPositionPage  *self);
const char *bt_position_page_get_cockpit_error  (BtPositionPage  *self);
const char *bt_position_page_get_price_value    (BtPositionPage  *self,
                                                 BtPositionPriceRow row);
const char *bt_position_page_get_leverage_value (BtPositionPage  *self,
                                                 BtPositionLeverageRow row);
const char *bt_position_page_get_trade_text     (BtPositionPage  *self);
/* The stress row of window WINDOW (0…4: 1, 2, 3, 7, 30 days). */
void        bt_position_page_get_stress_row     (BtPositionPage  *self,
                                                 guint            window,
                                                 const char     **subtitle,
                                                 const char     **share,
                                                 const char     **safe);
const char *bt_position_page_get_wallet_subtitle (BtPositionPage *self,
                                                  const char     *address);

G_END_DECLS
