/* test-backtest-fixture.h: a hand-made history whose decisions the backtest
 * tests choose, and a random one scored by the live code. */
#pragma once

#include <glib.h>

#include "bt-backtest.h"
#include "bt-scoring.h"

G_BEGIN_DECLS

typedef struct
{
  BtHistory        *history;
  BtIndicatorTable *table;
  BtScores         *scores;
  BtRules           rules;
  BtBacktestInputs  inputs;
} Fixture;

Fixture  *fixture_new       (guint             n);
void      fixture_free      (Fixture          *f);
void      set_indicator     (Fixture          *f,
                             BtIndicator       ind,
                             guint             i,
                             double            value);
/* SIGNAL chooses the decision inputs of day I: see test-backtest-fixture.c. */
void      fixture_day       (Fixture          *f,
                             guint             i,
                             double            open,
                             double            low,
                             double            close,
                             char              signal);
void      init_seed_config  (BtBacktestConfig *config);
void      config_for        (BtBacktestConfig *config,
                             double            fee_pct,
                             double            slippage_pct,
                             double            apr_pct);
/* CONFIG run over F's inputs, which must succeed. */
BtBacktestResult *run_ok    (Fixture                *f,
                             const BtBacktestConfig *config);
const BtBacktestTrade *trade_at (const BtBacktestResult *r,
                                 guint                   i);
/* Plausible random values in every scored column from day FROM on, scored
 * with F's rules. */
void      random_fill       (Fixture          *f,
                             guint32           seed,
                             guint             from);
Fixture  *random_fixture    (guint             n);
void      random_config     (BtBacktestConfig *config);
/* R's metrics recomputed from its equity curve and trades alone. */
void      check_metrics_from_series (const BtBacktestResult *r);
/* A and B hold the same days, curves, trades and metrics. */
void      assert_same_result (const BtBacktestResult *a,
                              const BtBacktestResult *b);

#define assert_close(a, b) G_STMT_START {                                        \
    double _a = (a), _b = (b);                                                   \
    if (!(fabs (_a - _b) <= 1e-9 * MAX (1.0, fabs (_b))))                        \
      g_error ("%s = %.17g, expected %.17g", #a, _a, _b);                        \
  } G_STMT_END

G_END_DECLS
