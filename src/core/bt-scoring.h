/* bt-scoring.h: bands → scores → categories → market score, confidence,
 * position risk, the decision and the Kelly size (docs/rulebook.md §2–5).
 * One implementation, shared by live evaluation and backtests. */
#pragma once

#include <glib.h>

#include "bt-types.h"
#include "bt-rules.h"

G_BEGIN_DECLS

/* Scores for every day: OUT has table->n_days slots. */
void     bt_scores_compute_all (const BtIndicatorTable *table,
                                const BtRules          *rules,
                                BtScores               *out);

/* Position figures and risk score (§4) from Aave account data.  A NAN
 * LIQUIDATION_THRESHOLD means the value in the account data is unknown and
 * HEALTH_FACTOR (if finite) is used as given. */
void     bt_position_evaluate  (double                  collateral_usd,
                                double                  debt_usd,
                                double                  liquidation_threshold,
                                double                  health_factor,
                                double                  price,
                                const BtRules          *rules,
                                BtPositionState        *out);

/* For every day of HISTORY, the worst fall up to that day over WINDOW days:
 * 1 − low / (highest close of the WINDOW days before the low's day), the
 * low being the close where no low is known.  FALL, FROM and TO have
 * history->n_days slots (NAN / BT_DAY_INVALID before the first fall). */
void     bt_worst_fall_series  (const BtHistory        *history,
                                guint                   window,
                                double                 *fall,
                                BtDay                  *from,
                                BtDay                  *to);

/* The decision matrix (§5), first rule that fires wins.  Pure and cheap:
 * the backtest calls it every day. */
void     bt_decide             (const BtRules          *rules,
                                const BtDecisionInputs *inputs,
                                const BtPositionState  *position,
                                BtDecision             *out);

/* Translated one-sentence reason naming the rule and the values that fired it. */
char    *bt_decision_dup_reason (const BtDecision       *decision,
                                 const BtDecisionInputs *inputs,
                                 const BtPositionState  *position,
                                 const BtRules          *rules);

/* Translated one line of what DECISION asks of POSITION (NULL: nothing
 * held): "Keep the leverage at 1.50×", "Size 25 %, target leverage
 * 1.13×", or for a hold with nothing held "No position: wait for an
 * entry". */
char    *bt_decision_dup_size_text (const BtDecision      *decision,
                                    const BtPositionState *position);
/* What data would lift the confidence of S (docs/rulebook.md §3): a translated
 * sentence naming the missing (or stale) indicators by their share of the
 * nominal weight, heaviest first, and the confidence with all of them;
 * NULL when nothing is missing. */
char    *bt_scores_dup_confidence_hint (const BtScores  *scores,
                                        const BtRules   *rules);

/* Inputs of the decision for day index I (market, confidence, ema144 distance,
 * rsi_daily, mvrv, price). */
void     bt_decision_inputs_from_day (const BtIndicatorTable *table,
                                      const BtScores         *scores,
                                      guint                   i,
                                      BtDecisionInputs       *out);

G_END_DECLS
