/* bt-stress.h: liquidation stress of a position against the worst falls of
 * the stored daily history (README, "stress").
 *
 * For a window of w days starting on day t, the fall is
 *
 *     fall(t, w) = 1 − min(low of t+1 … t+w) / close of t
 *
 * with the close standing in for a day whose low is unknown.  A window
 * counts only when the close of t and a low or close of every day
 * t+1 … t+w are known, and t+w is on or before the day D the stress is
 * computed for: nothing after D is looked at.
 *
 * A position with collateral C, debt B and liquidation threshold LT is
 * liquidated by a fall d when (1 − d)·LT·C ≤ B, i.e. when d reaches its
 * liquidation distance 1 − B/(LT·C) = 1 − 1/HF.
 *
 * With leverage L = C/(C − B), B/C = 1 − 1/L, so a fall d liquidates when
 * (1 − d)·LT ≤ 1 − 1/L, i.e. when L ≥ 1/(1 − (1 − d)·LT).  Every leverage
 * below
 *
 *     safe_leverage(d) = 1 / (1 − (1 − d)·LT)
 *
 * survives the fall d; at that leverage and above it is liquidated.  When
 * (1 − d)·LT ≥ 1 (the price did not fall enough, or rose) any leverage
 * survives and safe_leverage is +∞.
 */
#pragma once

#include <glib.h>

#include "bt-types.h"

G_BEGIN_DECLS

#define BT_STRESS_ERROR (bt_stress_error_quark ())
typedef enum
{
  BT_STRESS_ERROR_NO_PRICE,   /* the day is outside the history or has no close */
} BtStressError;
GQuark   bt_stress_error_quark (void);

#define BT_STRESS_N_WINDOWS 5
/* Window lengths in days: 1, 2, 3, 7, 30. */
extern const guint bt_stress_window_days[BT_STRESS_N_WINDOWS];

typedef struct
{
  guint  days;
  guint  n_windows;       /* windows that count */
  guint  n_exceed;        /* of those, the ones whose fall reaches the distance */
  double worst_fall;      /* %, NAN when no window counts */
  BtDay  worst_start;     /* day t of the worst fall (earliest on a tie),
                             BT_DAY_INVALID when no window counts */
  double exceed_share;    /* n_exceed / n_windows in %, NAN when no window */
  double safe_leverage;   /* see above; NAN when no window or LT unknown */
} BtStressWindow;

typedef struct
{
  BtDay          day;                   /* D */
  double         price;                 /* close of D, NAN when unknown */
  double         health_factor;         /* NAN without debt */
  double         liquidation_price;     /* USD, NAN without debt or price */
  double         liquidation_distance;  /* %, NAN without debt */
  double         liquidation_threshold;
  BtStressWindow windows[BT_STRESS_N_WINDOWS];
} BtStressResult;

/* The stress of a position (COLLATERAL_USD, DEBT_USD, LT; a NAN LT uses
 * HEALTH_FACTOR as given, as bt_position_evaluate does, and takes the
 * threshold HF·B/C from it when that lies in (0, 1)) on DAY of HISTORY
 * (close and low inputs).  FALSE with an error when DAY is outside the
 * history or its close is unknown. */
gboolean bt_stress_compute         (const BtHistory *history,
                                    BtDay            day,
                                    double           collateral_usd,
                                    double           debt_usd,
                                    double           lt,
                                    double           health_factor,
                                    BtStressResult  *out,
                                    GError         **error);

/* ---- what-if ------------------------------------------------------------
 *
 * A position of collateral C (USD, all of it BTC) and debt B (USD) at BTC
 * price P, with liquidation threshold LT.
 *
 * Price change x (%): P' = P·(1 + x/100), C' = C·(1 + x/100), B unchanged;
 * HF' = C'·LT/B and the liquidation price P'/HF' = P·B/(C·LT) does not move.
 *
 * To leverage L (≥ 1) at P, keeping the equity E = C − B: C* = L·E,
 * B* = (L − 1)·E, the trade buys (borrowing) or sells (repaying)
 * C* − C USD of BTC, (C* − C)/P BTC, before fees.
 */
typedef struct
{
  double price;                 /* USD */
  double collateral_usd;
  double debt_usd;
  double leverage;              /* C/(C − B) */
  double health_factor;         /* NAN without debt */
  double liquidation_price;     /* NAN without debt */
  double liquidation_distance;  /* %, NAN without debt */
  double trade_usd;             /* > 0 buy with new debt, < 0 sell and repay */
  double trade_btc;
} BtWhatIf;

/* FALSE when the position or the change makes no sense (no price, a
 * collateral not above the debt, a price change of −100 % or less). */
gboolean bt_whatif_price_change (double    collateral_usd,
                                 double    debt_usd,
                                 double    lt,
                                 double    price,
                                 double    change_percent,
                                 BtWhatIf *out);
/* FALSE when TARGET is below 1, or at or above 1/(1 − LT), where the new
 * position would be liquidated at once, or the position has no equity. */
gboolean bt_whatif_leverage     (double    collateral_usd,
                                 double    debt_usd,
                                 double    lt,
                                 double    price,
                                 double    target,
                                 BtWhatIf *out);

G_END_DECLS
