/* bt-position-page.h: the Position page: Aave wallets with their health
 * factor, liquidation price and distance, collateral, debt, leverage and
 * risk score; portfolio value and drawdown history. */
#pragma once

#include <adwaita.h>

#include "bt-chart-view.h"
#include "bt-types.h"

G_BEGIN_DECLS

#define BT_TYPE_POSITION_PAGE (bt_position_page_get_type ())
G_DECLARE_FINAL_TYPE (BtPositionPage, bt_position_page, BT, POSITION_PAGE, GtkWidget)

#define BT_POSITION_PAGE_ERROR (bt_position_page_error_quark ())
typedef enum
{
  BT_POSITION_PAGE_ERROR_INVALID_ADDRESS,
  BT_POSITION_PAGE_ERROR_DUPLICATE,
} BtPositionPageError;
GQuark      bt_position_page_error_quark   (void);

/* An Ethereum address: "0x" and 40 hexadecimal digits (bt_aave_validate_address). */
gboolean    bt_position_page_validate_address (const char *address,
                                               GError    **error);
/* Add a wallet row (validated; emits ::wallet-added). */
gboolean    bt_position_page_add_wallet    (BtPositionPage        *self,
                                            const char            *address,
                                            GError               **error);
/* Remove a wallet row (emits ::wallet-removed). */
void        bt_position_page_remove_wallet (BtPositionPage        *self,
                                            const char            *address);
guint       bt_position_page_get_n_wallets (BtPositionPage        *self);
/* The addresses of the wallet rows, in order. */
char      **bt_position_page_dup_wallets   (BtPositionPage        *self);
/* The latest figures of ADDRESS (added when unknown, without a signal). */
void        bt_position_page_set_position  (BtPositionPage        *self,
                                            const char            *address,
                                            const BtPositionState *state);
/* Copies N days of portfolio value (USD) and drawdown (%) from FIRST_DAY. */
void        bt_position_page_set_portfolio (BtPositionPage        *self,
                                            BtDay                  first_day,
                                            guint                  n,
                                            const double          *value,
                                            const double          *drawdown);
/* The error shown under the address entry, NULL when none. */
const char *bt_position_page_get_entry_error (BtPositionPage      *self);
/* Type ADDRESS in the entry and press Enter, as a user would. */
void        bt_position_page_submit_address (BtPositionPage       *self,
                                             const char           *address);

G_END_DECLS
