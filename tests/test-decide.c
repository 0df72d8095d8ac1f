/* test-decide.c: position risk (docs/rulebook.md §4), the leverage ladder
 * and Kelly, and the decision matrix of §5, for both profiles.
 *
 * Expected values are worked by hand from docs/rulebook.md (arithmetic in the
 * comments) or taken from DATA_SOURCES.md §6's worked example. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "bt-base.h"
#include "bt-rules.h"
#include "bt-scoring.h"
#include "bt-scoring-private.h"
#include "bt-test-util.h"

#define EPS 1e-9

/* ---- position (§4) ---- */

static void
test_position_aave_example (void)
{
  BtRules r;
  BtPositionState p;
  double hf_score, dist_score;

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  /* DATA_SOURCES.md §6: 1.85 WBTC at 66,234.51 USD against 48,210.774512 USDC */
  bt_position_evaluate (122533.8435, 48210.774512, 0.78, NAN, 66234.51, &r, &p);

  g_assert_true (p.has_position);
  bt_test_assert_close (1.982469663626963, p.health_factor, 1e-12);
  g_assert_cmpfloat (fabs (p.liquidation_price - 33410.10), <, 0.005);
  g_assert_cmpfloat (fabs (p.liquidation_distance - 49.56), <, 0.005);
  g_assert_cmpfloat (fabs (p.leverage - 1.64867), <, 0.000005);
  /* 122533.8435 / (122533.8435 − 48210.774512) */
  bt_test_assert_close (122533.8435 / 74323.068988, p.leverage, 1e-12);

  /* HF band: 60 + 25 × (1.98247 − 1.5)/0.5; distance band: 60 + 25 × (49.56 − 35)/15 */
  hf_score = 60 + 25 * (1.982469663626963 - 1.5) / 0.5;
  dist_score = 60 + 25 * ((1 - 1 / 1.982469663626963) * 100 - 35) / 15;
  g_assert_cmpfloat (hf_score, <, dist_score);
  bt_test_assert_close (hf_score, p.risk_score, 1e-9);           /* ≈ 84.12 */

  /* LT unknown: the given health factor is used */
  bt_position_evaluate (122533.8435, 48210.774512, NAN, 1.2, 66234.51, &r, &p);
  bt_test_assert_close (1.2, p.health_factor, EPS);
  bt_test_assert_close (66234.51 / 1.2, p.liquidation_price, EPS);
  /* distance = (1 − 1/1.2) × 100 = 16.666…; band 10 + 20 × 6.666…/10 = 23.333…;
   * HF band 10 + 20 × 0.1/0.15 = 23.333… too */
  bt_test_assert_close (100.0 / 6, p.liquidation_distance, EPS);
  bt_test_assert_close (10 + 20 * (100.0 / 6 - 10) / 10, p.risk_score, 1e-9);
}

static void
test_position_edges (void)
{
  BtRules r;
  BtPositionState p;

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);

  /* no debt: risk 100, leverage 1, HF etc. NAN */
  bt_position_evaluate (50000, 0, 0.78, NAN, 60000, &r, &p);
  g_assert_true (p.has_position);
  bt_test_assert_close (1, p.leverage, EPS);
  bt_test_assert_close (100, p.risk_score, EPS);
  g_assert_true (isnan (p.health_factor));
  g_assert_true (isnan (p.liquidation_price));
  g_assert_true (isnan (p.liquidation_distance));

  /* nothing at all */
  bt_position_evaluate (0, 0, 0.78, NAN, 60000, &r, &p);
  g_assert_false (p.has_position);
  bt_test_assert_close (0, p.leverage, EPS);
  bt_test_assert_close (100, p.risk_score, EPS);

  /* debt equal to collateral: leverage would be +inf → NAN, risk 0 */
  bt_position_evaluate (1000, 1000, 0.78, NAN, 60000, &r, &p);
  g_assert_true (p.has_position);
  g_assert_true (isnan (p.leverage));
  bt_test_assert_close (0, p.risk_score, EPS);
  bt_test_assert_close (0.78, p.health_factor, EPS);

  /* debt above collateral, and debt without collateral */
  bt_position_evaluate (1000, 1500, 0.78, NAN, 60000, &r, &p);
  g_assert_true (isnan (p.leverage));
  bt_test_assert_close (0, p.risk_score, EPS);
  bt_position_evaluate (0, 10, 0.78, NAN, 60000, &r, &p);
  g_assert_false (p.has_position);
  g_assert_true (isnan (p.leverage));
  bt_test_assert_close (0, p.risk_score, EPS);

  /* unknown collateral: unknown position */
  bt_position_evaluate (NAN, 10, 0.78, NAN, 60000, &r, &p);
  g_assert_false (p.has_position);
  g_assert_true (isnan (p.leverage));
  g_assert_true (isnan (p.risk_score));

  /* 2.5× with LT 0.78: HF = 0.78 × 2.5/1.5 = 1.3 (docs/rulebook.md §5), distance 23.08 %;
   * HF band 30 + 30 × 0.05/0.25 = 36; distance band 30 + 30 × 3.0769/15 = 36.15 → 36 */
  bt_position_evaluate (2500, 1500, 0.78, NAN, 60000, &r, &p);
  bt_test_assert_close (2.5, p.leverage, EPS);
  bt_test_assert_close (1.3, p.health_factor, EPS);
  bt_test_assert_close (36, p.risk_score, 1e-9);
}

/* ---- ladder and Kelly ---- */

static void
test_ladder_kelly (void)
{
  BtRules r;

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  bt_test_assert_close (2.5, bt_ladder_max (&r, 100), EPS);
  bt_test_assert_close (2.5, bt_ladder_max (&r, 80), EPS);
  bt_test_assert_close (2.0, bt_ladder_max (&r, 79.999), EPS);
  bt_test_assert_close (2.0, bt_ladder_max (&r, 70), EPS);
  bt_test_assert_close (1.5, bt_ladder_max (&r, 69.999), EPS);
  bt_test_assert_close (1.5, bt_ladder_max (&r, 60), EPS);
  bt_test_assert_close (1.0, bt_ladder_max (&r, 59.999), EPS);
  bt_test_assert_close (1.0, bt_ladder_max (&r, 0), EPS);
  bt_test_assert_close (1.0, bt_ladder_max (&r, NAN), EPS);
  r.max_leverage = 1.8;   /* the hard cap applies over the ladder */
  bt_test_assert_close (1.8, bt_ladder_max (&r, 90), EPS);
  bt_test_assert_close (1.8, bt_ladder_max (&r, 70), EPS);
  bt_test_assert_close (1.5, bt_ladder_max (&r, 65), EPS);

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  /* f* = 0.55 − 0.45/1.5 = 0.25; half = 12.5 % */
  bt_test_assert_close (12.5, bt_kelly_percent (&r, NAN, NAN), EPS);
  /* f* = 0.6 − 0.4/2 = 0.4 → 20 % */
  bt_test_assert_close (20, bt_kelly_percent (&r, 0.6, 2), EPS);
  /* f* = 0.9 − 0.1/3 = 0.8667 → 43.3 % → clamped to 25 */
  bt_test_assert_close (25, bt_kelly_percent (&r, 0.9, 3), EPS);
  /* f* = 0.3 − 0.7/1 < 0 → 0 */
  bt_test_assert_close (0, bt_kelly_percent (&r, 0.3, 1), EPS);
  /* no winning trade (b = 0) → 0; only one input given → other default:
   * p = 0.55, b = 1 → f* = 0.1 → 5 % */
  bt_test_assert_close (0, bt_kelly_percent (&r, 0.5, 0), EPS);
  bt_test_assert_close (5, bt_kelly_percent (&r, NAN, 1), EPS);
}

/* ---- decision (§5) ---- */

static BtPositionState
held (double leverage,
      double risk)
{
  BtPositionState p = { TRUE, 1000, 0, leverage, NAN, NAN, NAN, risk };

  return p;
}

static BtDecisionInputs
inputs (double market,
        double confidence,
        double dist,
        double rsi)
{
  BtDecisionInputs in = { market, confidence, dist, rsi, 1.0, 60000, NAN, NAN };

  return in;
}

static BtDecision
decide (const BtRules          *r,
        BtDecisionInputs        in,
        const BtPositionState  *p)
{
  BtDecision d;

  memset (&d, 0xab, sizeof d);
  bt_decide (r, &in, p, &d);
  return d;
}

/* D is ACTION by RULE at URGENCY: a trade of SIZE_PERCENT to TARGET leverage. */
static void
assert_decision (const BtDecision *d,
                 BtRule            rule,
                 BtAction          action,
                 BtUrgency         urgency,
                 double            size_percent,
                 double            target)
{
  g_assert_cmpint (d->rule, ==, rule);
  g_assert_cmpint (d->action, ==, action);
  g_assert_cmpint (d->urgency, ==, urgency);
  bt_test_assert_close (size_percent, d->size_percent, EPS);
  bt_test_assert_close (target, d->target_leverage, EPS);
}

static void
test_decide_rules (void)
{
  BtRules r;
  BtPositionState pos = held (1.2, 80);
  BtPositionState none = { FALSE, 0, 0, 0, NAN, NAN, NAN, 100 };
  BtDecision d;

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);

  /* rule 1: confidence < 50 */
  d = decide (&r, inputs (20, 49.999, 0, 40), &pos);
  g_assert_cmpint (d.rule, ==, BT_RULE_INSUFFICIENT_DATA);
  g_assert_cmpint (d.action, ==, BT_ACTION_HOLD);
  g_assert_cmpint (d.urgency, ==, BT_URGENCY_LOW);
  bt_test_assert_close (1.2, d.target_leverage, EPS);
  d = decide (&r, inputs (20, 50, 0, 40), &pos);
  g_assert_cmpint (d.rule, ==, BT_RULE_LOW_MARKET);          /* 50 is enough */
  d = decide (&r, inputs (NAN, 100, 0, 40), &pos);
  g_assert_cmpint (d.rule, ==, BT_RULE_INSUFFICIENT_DATA);   /* market NAN */
  d = decide (&r, inputs (70, NAN, 0, 40), &pos);
  g_assert_cmpint (d.rule, ==, BT_RULE_INSUFFICIENT_DATA);

  /* rule 2: risk < 30 (even with a fine market) */
  pos = held (2.4, 29.999);
  d = decide (&r, inputs (90, 90, 0, 40), &pos);
  assert_decision (&d, BT_RULE_CIRCUIT_BREAKER, BT_ACTION_EXIT, BT_URGENCY_CRITICAL, 100, 0);
  pos = held (2.4, 30);
  d = decide (&r, inputs (90, 90, 0, 40), &pos);
  g_assert_cmpint (d.rule, !=, BT_RULE_CIRCUIT_BREAKER);
  /* an insolvent position (leverage NAN, risk 0) exits */
  pos = held (NAN, 0);
  d = decide (&r, inputs (90, 90, 0, 40), &pos);
  g_assert_cmpint (d.rule, ==, BT_RULE_CIRCUIT_BREAKER);

  /* rule 3: market < 40 with a position */
  pos = held (1.6, 90);
  d = decide (&r, inputs (39.999, 90, 0, 40), &pos);
  assert_decision (&d, BT_RULE_LOW_MARKET, BT_ACTION_REDUCE, BT_URGENCY_HIGH, 50, 0.8);  /* 1.6 × 0.5 */
  d = decide (&r, inputs (40, 90, 0, 40), &pos);
  g_assert_cmpint (d.rule, ==, BT_RULE_HOLD);               /* 40 is not low; lev 1.6 > 1.0 ladder */
  d = decide (&r, inputs (10, 90, 0, 40), &none);
  g_assert_cmpint (d.rule, ==, BT_RULE_HOLD);               /* nothing to reduce */
  bt_test_assert_close (0, d.target_leverage, EPS);
  d = decide (&r, inputs (10, 90, 0, 40), NULL);
  g_assert_cmpint (d.rule, ==, BT_RULE_HOLD);

  /* rule 4: ema144_distance ≥ 40 and rsi ≥ 75, with a position */
  pos = held (1.2, 90);
  d = decide (&r, inputs (65, 90, 40, 75), &pos);
  assert_decision (&d, BT_RULE_TAKE_PROFIT, BT_ACTION_REDUCE, BT_URGENCY_MEDIUM, 25, 0.9);  /* 1.2 × 0.75 */
  d = decide (&r, inputs (65, 90, 39.999, 75), &pos);
  g_assert_cmpint (d.rule, ==, BT_RULE_HOLD);
  d = decide (&r, inputs (65, 90, 40, 74.999), &pos);
  g_assert_cmpint (d.rule, ==, BT_RULE_HOLD);
  d = decide (&r, inputs (65, 90, NAN, 80), &pos);
  g_assert_cmpint (d.rule, ==, BT_RULE_HOLD);
  d = decide (&r, inputs (65, 90, 40, 75), &none);
  g_assert_cmpint (d.rule, ==, BT_RULE_HOLD);               /* no position: nothing to take */

  /* rule 5: entry, every edge on both sides */
  {
    const struct { double market, dist, rsi; BtRule want; } cases[] = {
      { 50, -5, 55, BT_RULE_ENTRY },
      { 49.999, 0, 40, BT_RULE_HOLD },
      { 50, -5.001, 40, BT_RULE_HOLD },
      { 50, 15, 40, BT_RULE_ENTRY },
      { 50, 15.001, 40, BT_RULE_HOLD },
      { 50, 0, 55.001, BT_RULE_HOLD },
      { 50, NAN, 40, BT_RULE_HOLD },
      { 50, 0, NAN, BT_RULE_HOLD },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        d = decide (&r, inputs (cases[i].market, 90, cases[i].dist, cases[i].rsi), &none);
        g_assert_cmpint (d.rule, ==, cases[i].want);
        if (cases[i].want == BT_RULE_ENTRY)
          {
            g_assert_cmpint (d.action, ==, BT_ACTION_ENTER);
            g_assert_cmpint (d.urgency, ==, BT_URGENCY_MEDIUM);
            bt_test_assert_close (1.0, d.target_leverage, EPS);
            bt_test_assert_close (100, d.size_percent, EPS);
          }
        else
          g_assert_cmpint (d.action, ==, BT_ACTION_HOLD);
        /* the same with a position never enters */
        pos = held (1.0, 100);
        d = decide (&r, inputs (cases[i].market, 90, cases[i].dist, cases[i].rsi), &pos);
        g_assert_cmpint (d.action, !=, BT_ACTION_ENTER);
      }
    /* NULL position = no position */
    d = decide (&r, inputs (50, 90, 0, 40), NULL);
    g_assert_cmpint (d.rule, ==, BT_RULE_ENTRY);
    /* unknown position (leverage NAN, has_position FALSE) never enters */
    pos = held (NAN, NAN);
    pos.has_position = FALSE;
    d = decide (&r, inputs (50, 90, 0, 40), &pos);
    g_assert_cmpint (d.rule, ==, BT_RULE_HOLD);
  }

  /* rule 6: add; Kelly 12.5 % by default */
  {
    const struct { double market, dist, rsi, lev; BtRule want; double target; } cases[] = {
      { 60, -5, 45, 1.0, BT_RULE_ADD, 1.125 },       /* ladder 1.5: 1.0 + 0.125 */
      { 59.999, 0, 40, 1.0, BT_RULE_HOLD, 1.0 },
      { 60, -5.001, 40, 1.0, BT_RULE_HOLD, 1.0 },
      { 60, 10, 40, 1.0, BT_RULE_ADD, 1.125 },
      { 60, 10.001, 40, 1.0, BT_RULE_HOLD, 1.0 },
      { 60, 0, 45.001, 1.0, BT_RULE_HOLD, 1.0 },
      { 65, 0, 40, 1.5, BT_RULE_HOLD, 1.5 },         /* at the ladder maximum */
      { 65, 0, 40, 1.45, BT_RULE_ADD, 1.5 },         /* capped: min(1.575, 1.5) */
      { 80, 0, 40, 2.0, BT_RULE_ADD, 2.125 },        /* ladder 2.5 */
      { 79.999, 0, 40, 2.0, BT_RULE_HOLD, 2.0 },     /* ladder 2.0 */
      { 60, 0, NAN, 1.0, BT_RULE_HOLD, 1.0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        pos = held (cases[i].lev, 100);
        d = decide (&r, inputs (cases[i].market, 90, cases[i].dist, cases[i].rsi), &pos);
        g_assert_cmpint (d.rule, ==, cases[i].want);
        bt_test_assert_close (cases[i].target, d.target_leverage, EPS);
        if (cases[i].want == BT_RULE_ADD)
          {
            g_assert_cmpint (d.action, ==, BT_ACTION_ADD);
            g_assert_cmpint (d.urgency, ==, BT_URGENCY_MEDIUM);
            bt_test_assert_close ((cases[i].target - cases[i].lev) * 100, d.size_percent, 1e-9);
          }
      }
    /* no position: rule 6 does not apply (rule 5 does) */
    d = decide (&r, inputs (60, 90, 0, 40), &none);
    g_assert_cmpint (d.rule, ==, BT_RULE_ENTRY);

    /* backtest Kelly inputs: p 0.6, b 2 → 20 % */
    pos = held (1.0, 100);
    {
      BtDecisionInputs in = inputs (85, 90, 0, 40);

      in.kelly_win_rate = 0.6;
      in.kelly_payoff = 2;
      bt_decide (&r, &in, &pos, &d);
      g_assert_cmpint (d.rule, ==, BT_RULE_ADD);
      bt_test_assert_close (20, d.kelly_percent, EPS);
      bt_test_assert_close (1.2, d.target_leverage, EPS);
      /* no edge: no add */
      in.kelly_win_rate = 0.2;
      bt_decide (&r, &in, &pos, &d);
      g_assert_cmpint (d.rule, ==, BT_RULE_HOLD);
    }
    /* the hard cap below the ladder */
    r.max_leverage = 2.0;
    pos = held (1.95, 100);
    d = decide (&r, inputs (85, 90, 0, 40), &pos);
    g_assert_cmpint (d.rule, ==, BT_RULE_ADD);
    bt_test_assert_close (2.0, d.target_leverage, EPS);
    bt_test_assert_close (5, d.size_percent, 1e-9);
    bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  }

  /* ladder, heat and Kelly are always filled */
  pos = held (1.2, 100);
  d = decide (&r, inputs (65, 10, 0, 40), &pos);          /* rule 1 fires */
  bt_test_assert_close (1.5, d.ladder_max, EPS);
  bt_test_assert_close (80, d.heat, EPS);                          /* 1.2/1.5 × 100 */
  bt_test_assert_close (12.5, d.kelly_percent, EPS);
  d = decide (&r, inputs (65, 90, 0, 60), &none);
  bt_test_assert_close (0, d.heat, EPS);
  pos = held (2.0, 100);
  d = decide (&r, inputs (50, 90, 0, 60), &pos);
  bt_test_assert_close (200, d.heat, EPS);                         /* 2.0 / 1.0 */
}

static void
test_decision_reason (void)
{
  BtRules r;
  BtPositionState pos = held (1.2, 100);
  BtPositionState risky = held (2.4, 12);
  const struct { BtDecisionInputs in; const BtPositionState *p; BtRule rule; const char *needle; } cases[] = {
    { { 70, 31.5, 0, 40, 1, 1, NAN, NAN }, &pos, BT_RULE_INSUFFICIENT_DATA, "31.5" },
    { { 70, 90, 0, 40, 1, 1, NAN, NAN }, &risky, BT_RULE_CIRCUIT_BREAKER, "12.0" },
    { { 35.5, 90, 0, 40, 1, 1, NAN, NAN }, &pos, BT_RULE_LOW_MARKET, "35.5" },
    { { 70, 90, 44.4, 80, 1, 1, NAN, NAN }, &pos, BT_RULE_TAKE_PROFIT, "44.4" },
    { { 55.5, 90, 1, 40, 1, 1, NAN, NAN }, NULL, BT_RULE_ENTRY, "55.5" },
    { { 66.6, 90, 1, 40, 1, 1, NAN, NAN }, &pos, BT_RULE_ADD, "66.6" },
    { { 45.5, 90, 1, 60, 1, 1, NAN, NAN }, &pos, BT_RULE_HOLD, "45.5" },
  };

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BtDecision d;
      g_autofree char *reason = NULL;

      bt_decide (&r, &cases[i].in, cases[i].p, &d);
      g_assert_cmpint (d.rule, ==, cases[i].rule);
      reason = bt_decision_dup_reason (&d, &cases[i].in, cases[i].p, &r);
      g_assert_nonnull (reason);
      g_assert_true (g_utf8_validate (reason, -1, NULL));
      g_assert_nonnull (strstr (reason, cases[i].needle));
    }
}

/* What the decision asks, in one line: never "Keep the leverage at 0.00×"
 * for someone holding nothing. */
static void
test_decision_size_text (void)
{
  BtRules r;
  BtPositionState pos = held (1.2, 100);
  BtPositionState none;
  BtDecisionInputs hold_in = { 45.5, 90, 1, 60, 1, 1, NAN, NAN };
  BtDecisionInputs low_conf = { 45.5, 10, 1, 60, 1, 1, NAN, NAN };
  BtDecision d;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *e = NULL, *f = NULL, *g = NULL;

  /* the seed's rules: no trim above the ladder, so a 1.2× position at a
   * market of 45.5 is held and its line can be read */
  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  /* set here so that the expected strings do not hang on the defaults */
  r.min_confidence = 60;
  r.entry_leverage = 1.3;

  /* holding 1.2×, no rule fires: keep 1.20× */
  bt_decide (&r, &hold_in, &pos, &d);
  g_assert_cmpint (d.rule, ==, BT_RULE_HOLD);
  a = bt_decision_dup_size_text (&d, &pos);
  g_assert_cmpstr (a, ==, "Keep the leverage at 1.20×");

  /* nothing held (no position, or a position of zero collateral) */
  bt_decide (&r, &hold_in, NULL, &d);
  g_assert_cmpint (d.action, ==, BT_ACTION_HOLD);
  b = bt_decision_dup_size_text (&d, NULL);
  g_assert_cmpstr (b, ==, "No position: wait for an entry");
  bt_position_evaluate (0, 0, 0.78, NAN, 60000, &r, &none);
  bt_decide (&r, &hold_in, &none, &d);
  c = bt_decision_dup_size_text (&d, &none);
  g_assert_cmpstr (c, ==, "No position: wait for an entry");
  g_assert_null (strstr (c, "0.00"));

  /* insufficient data: "so hold" only for someone holding BTC */
  bt_decide (&r, &low_conf, &none, &d);
  g_assert_cmpint (d.rule, ==, BT_RULE_INSUFFICIENT_DATA);
  e = bt_decision_dup_reason (&d, &low_conf, &none, &r);
  g_assert_cmpstr (e, ==, "Insufficient data: confidence is 10.0 %, below the 60.0 % needed to act, so do not enter.");
  bt_decide (&r, &low_conf, &pos, &d);
  f = bt_decision_dup_reason (&d, &low_conf, &pos, &r);
  g_assert_nonnull (strstr (f, "so hold."));

  /* a trade: its size and target (Entry: 100 % at the entry leverage) */
  {
    BtDecisionInputs entry_in = { 55.5, 90, 1, 40, 1, 1, NAN, NAN };

    bt_decide (&r, &entry_in, NULL, &d);
    g_assert_cmpint (d.rule, ==, BT_RULE_ENTRY);
    g = bt_decision_dup_size_text (&d, NULL);
    g_assert_cmpstr (g, ==, "Size 100 %, target leverage 1.30×");
  }
}

static void
test_decision_inputs_from_day (void)
{
  g_autoptr(BtIndicatorTable) t = bt_indicator_table_new (19000, 2);
  BtScores scores[2];
  BtDecisionInputs in;
  BtRules r;

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  bt_test_set_indicator (t, BT_IND_BTC_PRICE, 1, 66000, BT_FLAG_OK);
  bt_test_set_indicator (t, BT_IND_EMA_144_1D, 1, 55000, BT_FLAG_OK);
  bt_test_set_indicator (t, BT_IND_RSI_DAILY, 1, 61.5, BT_FLAG_OK);
  bt_test_set_indicator (t, BT_IND_MVRV_Z_SCORE, 1, 2.5, BT_FLAG_IMPORTED);
  bt_scores_compute_all (t, &r, scores);

  bt_decision_inputs_from_day (t, scores, 1, &in);
  bt_test_assert_close (20, in.ema144_distance, EPS);           /* (66000/55000 − 1) × 100 */
  bt_test_assert_close (61.5, in.rsi_daily, EPS);
  bt_test_assert_close (2.5, in.mvrv_z_score, EPS);
  bt_test_assert_close (66000, in.price, EPS);
  /* cycle: mvrv 2.5 → 60 + (35 − 60)/2 = 47.5 alone; technical: the EMA system with one
   * daily EMA below the close and no pair → 100; market = (50×47.5 + 30×100)/80 = 67.1875;
   * confidence = 25 (mvrv) + 20 (ema_system) = 45 */
  bt_test_assert_close (67.1875, in.market, EPS);
  bt_test_assert_close (45, in.confidence, EPS);
  g_assert_true (isnan (in.kelly_win_rate));
  g_assert_true (isnan (in.kelly_payoff));

  bt_decision_inputs_from_day (t, scores, 0, &in);
  g_assert_true (isnan (in.ema144_distance));
  g_assert_true (isnan (in.rsi_daily));
  g_assert_true (isnan (in.market));
}


static BtPositionState
leveraged (double leverage,
           double lt)
{
  BtPositionState p;
  BtRules r;

  /* equity 1000: collateral 1000 L, debt 1000 (L − 1), at price 100 */
  bt_rules_init_default (&r);
  bt_position_evaluate (1000 * leverage, 1000 * (leverage - 1), lt, NAN, 100, &r, &p);
  return p;
}

static void
test_decide_adaptive (void)
{
  BtRules r, seed;
  BtDecisionInputs in;
  BtPositionState p;
  BtDecision d;
  g_autofree char *reason = NULL;
  double cap;

  bt_rules_init_default (&r);
  bt_rules_init_profile (&seed, BT_RULES_PROFILE_SEED_V5);

  /* crash cap: worst fall 50 % + 10 points = 60 %, LT 0.78:
   * L = 1 / (1 − 0.78 × 0.4) = 1 / 0.688 = 1.4534…; its distance
   * 1 − (L − 1) / (0.78 L) is exactly 60 % */
  in = inputs (85, 100, 50, 50);
  in.worst_fall = 0.5;
  in.worst_fall_from = bt_day_from_ymd (2020, 3, 11);
  in.worst_fall_to = bt_day_from_ymd (2020, 3, 13);
  in.liquidation_threshold = 0.78;
  cap = 1 / 0.688;
  bt_test_assert_close (bt_crash_cap (&r, &in), cap, EPS);
  bt_test_assert_close (1 - (cap - 1) / (0.78 * cap), 0.6, EPS);
  g_assert_true (isinf (bt_crash_cap (&seed, &in)));

  /* 2.0× has HF 0.78 × 2 = 1.56, distance 35.9 % < 60 %: reduce to the
   * cap with HIGH urgency, even on thin data (safety first) */
  p = leveraged (2.0, 0.78);
  bt_test_assert_close (p.liquidation_distance, (1 - 1 / 1.56) * 100, EPS);
  in.confidence = 10;
  d = decide (&r, in, &p);
  g_assert_cmpint (d.rule, ==, BT_RULE_CRASH_GUARD);
  g_assert_cmpint (d.action, ==, BT_ACTION_REDUCE);
  g_assert_cmpint (d.urgency, ==, BT_URGENCY_HIGH);
  bt_test_assert_close (d.target_leverage, cap, EPS);
  bt_test_assert_close (d.size_percent, (1 - cap / 2.0) * 100, EPS);
  reason = bt_decision_dup_reason (&d, &in, &p, &r);
  g_assert_nonnull (strstr (reason, "50.0 %"));
  g_assert_nonnull (strstr (reason, "2020-03-11"));
  g_assert_nonnull (strstr (reason, "2020-03-13"));
  /* the seed holds on thin data, and has no crash guard at all */
  d = decide (&seed, in, &p);
  g_assert_cmpint (d.rule, ==, BT_RULE_INSUFFICIENT_DATA);
  in.confidence = 100;
  d = decide (&seed, in, &p);
  g_assert_cmpint (d.rule, !=, BT_RULE_CRASH_GUARD);

  /* within the cap: the ladder is capped by it (market 85 → 2.5×) */
  p = leveraged (1.3, 0.78);
  in.ema144_distance = 20;   /* no entry/add band */
  d = decide (&r, in, &p);
  g_assert_cmpint (d.rule, ==, BT_RULE_HOLD);
  bt_test_assert_close (d.ladder_max, cap, EPS);

  /* trim to the ladder: market 55 allows 1.0×; 1.3× is trimmed to 1.0 */
  in.worst_fall = NAN;
  in.market = 55;
  d = decide (&r, in, &p);
  g_assert_cmpint (d.rule, ==, BT_RULE_TRIM);
  g_assert_cmpint (d.action, ==, BT_ACTION_REDUCE);
  bt_test_assert_close (d.target_leverage, 1.0, EPS);
  /* an excess below the minimum trade still trims, by the minimum:
   * 1.03× > 1.0 × 1.02, excess 0.03 < 0.05 → target 0.98 */
  p = leveraged (1.03, 0.78);
  d = decide (&r, in, &p);
  g_assert_cmpint (d.rule, ==, BT_RULE_TRIM);
  bt_test_assert_close (d.target_leverage, 0.98, EPS);
  /* within the tolerance: 1.015× is left alone */
  p = leveraged (1.015, 0.78);
  d = decide (&r, in, &p);
  g_assert_cmpint (d.rule, ==, BT_RULE_HOLD);
  /* above max_leverage (2.59× > 2.5 × 1.02) with a high market: trimmed to 2.5 */
  in.market = 90;
  p = leveraged (2.59, 0.78);
  d = decide (&r, in, &p);
  g_assert_cmpint (d.rule, ==, BT_RULE_TRIM);
  bt_test_assert_close (d.target_leverage, 2.5, EPS);
  /* the seed holds it */
  d = decide (&seed, in, &p);
  g_assert_cmpint (d.action, ==, BT_ACTION_HOLD);

  /* minimum trade 5 %: halving 0.08× would leave 0.04× → exit; a position
   * of 0.04× (less than the minimum) is left alone */
  in = inputs (30, 100, -1, 50);
  p = held (0.08, 100);
  d = decide (&r, in, &p);
  g_assert_cmpint (d.rule, ==, BT_RULE_LOW_MARKET);
  g_assert_cmpint (d.action, ==, BT_ACTION_EXIT);
  bt_test_assert_close (d.target_leverage, 0, EPS);
  bt_test_assert_close (d.size_percent, 100, EPS);
  p = held (0.04, 100);
  d = decide (&r, in, &p);
  g_assert_cmpint (d.action, ==, BT_ACTION_HOLD);
  /* the seed halves it anyway ("from 0.04× to 0.02×") */
  d = decide (&seed, in, &p);
  g_assert_cmpint (d.action, ==, BT_ACTION_REDUCE);
  bt_test_assert_close (d.target_leverage, 0.02, EPS);

  /* low market needs the price at or below its EMA-144 (distance ≤ 0) */
  p = held (1.0, 100);
  in.ema144_distance = 3;
  d = decide (&r, in, &p);
  g_assert_cmpint (d.rule, !=, BT_RULE_LOW_MARKET);
  in.ema144_distance = 0;
  d = decide (&r, in, &p);
  g_assert_cmpint (d.rule, ==, BT_RULE_LOW_MARKET);
  bt_test_assert_close (d.target_leverage, 0.5, EPS);

  /* trend break: 5.01 % below the EMA-144 leaves the position; 4.99 % not */
  in = inputs (65, 100, -5.01, 50);
  d = decide (&r, in, &p);
  g_assert_cmpint (d.rule, ==, BT_RULE_TREND_BREAK);
  g_assert_cmpint (d.action, ==, BT_ACTION_EXIT);
  in.ema144_distance = -4.99;
  d = decide (&r, in, &p);
  g_assert_cmpint (d.rule, !=, BT_RULE_TREND_BREAK);
  d = decide (&seed, inputs (65, 100, -30, 50), &p);
  g_assert_cmpint (d.rule, !=, BT_RULE_TREND_BREAK);

  /* an ADD smaller than the minimum is no trade: Kelly 3 % */
  r.kelly_max_percent = 3;
  in = inputs (85, 100, 0, 40);
  d = decide (&r, in, &p);
  g_assert_cmpint (d.action, ==, BT_ACTION_HOLD);
  r.kelly_max_percent = 25;
  d = decide (&r, in, &p);
  g_assert_cmpint (d.action, ==, BT_ACTION_ADD);
  bt_test_assert_close (d.target_leverage, 1.125, EPS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/scoring/position-aave", test_position_aave_example);
  g_test_add_func ("/core/scoring/position-edges", test_position_edges);
  g_test_add_func ("/core/scoring/ladder-kelly", test_ladder_kelly);
  g_test_add_func ("/core/scoring/decide", test_decide_rules);
  g_test_add_func ("/core/scoring/reason", test_decision_reason);
  g_test_add_func ("/core/scoring/size-text", test_decision_size_text);
  g_test_add_func ("/core/scoring/inputs-from-day", test_decision_inputs_from_day);
  g_test_add_func ("/core/scoring/decide-adaptive", test_decide_adaptive);

  return g_test_run ();
}
