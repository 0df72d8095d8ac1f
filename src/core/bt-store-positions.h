/* bt-store-positions.h: positions entered by hand (the Position page's
 * cockpit), saved in the store's manual_positions table like a wallet. */
#pragma once

#include "bt-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;                    /* 0: not saved yet */
  char   *name;
  double  collateral_btc;        /* NAN when the collateral is given in USD */
  double  collateral_usd;        /* NAN when it is given in BTC */
  double  debt_usd;              /* ≥ 0 */
  double  liquidation_threshold; /* 0 < LT < 1 */
  gint64  updated_at;            /* unix seconds */
} BtManualPosition;

BtManualPosition *bt_manual_position_new   (void);
BtManualPosition *bt_manual_position_copy  (const BtManualPosition *position);
void              bt_manual_position_free  (BtManualPosition       *position);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtManualPosition, bt_manual_position_free)

/* The position's collateral in USD at PRICE (BTC in USD): the USD amount,
 * or the BTC amount times PRICE. */
double   bt_manual_position_collateral_at (const BtManualPosition *position,
                                           double                  price);

/* BT_STORE_ERROR_INVALID with a one-line reason when POSITION cannot be
 * saved: an empty name, not exactly one collateral, a negative or
 * non-finite amount, a threshold outside (0, 1). */
gboolean bt_manual_position_validate (const BtManualPosition *position,
                                      GError                **error);

/* Insert (id 0) or update POSITION in one transaction; returns its id, 0
 * after an error (nothing written). */
gint64   bt_store_save_manual_position   (BtStore                *self,
                                          const BtManualPosition *position,
                                          GError                **error);
/* BT_STORE_ERROR_NOT_FOUND when absent */
gboolean bt_store_remove_manual_position (BtStore                *self,
                                          gint64                  id,
                                          GError                **error);
/* BtManualPosition, in the order they were added */
GPtrArray *bt_store_list_manual_positions (BtStore               *self,
                                           GError               **error);

G_END_DECLS
