/* bt-scoring-private.h: what bt-scoring.c declares for its own use and for
 * the tests only; not part of the public API in bt-scoring.h. */
#pragma once

#include "bt-scoring.h"

G_BEGIN_DECLS

/* Linear interpolation between knots, clamped outside; NAN in → NAN out. */
double   bt_band_eval          (const BtBand           *band,
                                double                  value);

/* Scores of day index I of TABLE (uses the trailing BBW window and the EMA
 * columns of that day only). */
void     bt_scores_compute_day (const BtIndicatorTable *table,
                                const BtRules          *rules,
                                guint                   i,
                                BtScores               *out);

/* Ladder maximum for a market score (already capped by rules->max_leverage). */
double   bt_ladder_max         (const BtRules          *rules,
                                double                  market);
/* Half-Kelly size in % of portfolio value, clamped to 0..kelly_max_percent.
 * NAN inputs take the defaults of RULES. */
double   bt_kelly_percent      (const BtRules          *rules,
                                double                  win_rate,
                                double                  payoff);

/* Highest leverage the crash guard allows for INPUTS' worst fall (+inf
 * when the guard is off or no fall is known); docs/rulebook.md §5.2. */
double   bt_crash_cap          (const BtRules          *rules,
                                const BtDecisionInputs *inputs);

G_END_DECLS
