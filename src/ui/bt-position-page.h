/* bt-position-page.h: the Position page: Aave wallets with their health
 * factor, liquidation price and distance, collateral, debt, leverage and
 * risk score; the position cockpit (a position entered by hand or taken
 * from a wallet, saved in the store, with what-if figures and the
 * liquidation stress of the history); portfolio value and drawdown.
 *
 * The page owns its data: given its context (the engine, and the
 * scheduler whose status changes it follows) it reads the wallets and their
 * latest readings, the portfolio history, prices, saved positions and the
 * Ethereum reader's status itself, again when the context changes. */
#pragma once

#include <adwaita.h>

#include "bt-chart-view.h"
#include "bt-page.h"
#include "bt-types.h"

G_BEGIN_DECLS

#define BT_TYPE_POSITION_PAGE (bt_position_page_get_type ())
G_DECLARE_FINAL_TYPE (BtPositionPage, bt_position_page, BT, POSITION_PAGE, BtPage)

#define BT_POSITION_PAGE_ERROR (bt_position_page_error_quark ())
typedef enum
{
  BT_POSITION_PAGE_ERROR_INVALID_ADDRESS,
  BT_POSITION_PAGE_ERROR_DUPLICATE,
  BT_POSITION_PAGE_ERROR_CHECKSUM,   /* well formed, but the EIP-55 mixed case is wrong */
  BT_POSITION_PAGE_ERROR_NO_STORE,
} BtPositionPageError;

/* The what-if rows after a price change */
typedef enum
{
  BT_POSITION_PRICE_PRICE,
  BT_POSITION_PRICE_HEALTH_FACTOR,
  BT_POSITION_PRICE_LIQUIDATION_PRICE,
  BT_POSITION_PRICE_DISTANCE,
  BT_POSITION_PRICE_N
} BtPositionPriceRow;

/* The what-if rows after a trade to a new leverage (the trade itself is
 * bt_position_page_get_trade_text()) */
typedef enum
{
  BT_POSITION_LEVERAGE_COLLATERAL,
  BT_POSITION_LEVERAGE_DEBT,
  BT_POSITION_LEVERAGE_HEALTH_FACTOR,
  BT_POSITION_LEVERAGE_LIQUIDATION_PRICE,
  BT_POSITION_LEVERAGE_DISTANCE,
  BT_POSITION_LEVERAGE_N
} BtPositionLeverageRow;
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

/* ---- the page's data (its context, bt-page.h) ---- */
/* Reread the latest price and history, the saved positions and the
 * Ethereum reader's status from the engine's store; recompute the cockpit. */
void        bt_position_page_refresh       (BtPositionPage       *self);
/* One line for the Dashboard about the cockpit position's stress (NULL
 * when there is none); property "stress-summary". */
const char *bt_position_page_get_stress_summary (BtPositionPage  *self);

G_END_DECLS
