/* test-backtest-fixture.c: the histories of the backtest tests
 * (test-backtest-fixture.h). */
#include <math.h>

#include "bt-base.h"
#include "test-backtest-fixture.h"

/* ---- a hand-made history whose decisions we choose ---------------------- */

Fixture *
fixture_new (guint n)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->history = bt_history_new (bt_day_from_ymd (2020, 1, 1), n);
  f->table = bt_indicator_table_new (f->history->first_day, n);
  f->scores = g_new0 (BtScores, n);
  for (guint i = 0; i < n; i++)
    {
      f->scores[i].market = NAN;
      f->scores[i].confidence = 0;
    }
  bt_rules_init_profile (&f->rules, BT_RULES_PROFILE_SEED_V5);
  f->inputs.history = f->history;
  f->inputs.table = f->table;
  f->inputs.scores = f->scores;
  f->inputs.score_rules = NULL;   /* hand-set scores: used whatever the rules */
  return f;
}

void
fixture_free (Fixture *f)
{
  bt_history_free (f->history);
  bt_indicator_table_free (f->table);
  g_free (f->scores);
  g_free (f);
}

void
set_indicator (Fixture     *f,
               BtIndicator  ind,
               guint        i,
               double       value)
{
  f->table->value[ind][i] = value;
  f->table->flag[ind][i] = isfinite (value) ? BT_FLAG_OK : BT_FLAG_MISSING;
}

/* SIGNAL chooses the decision inputs of day I (docs/rulebook.md §5 defaults):
 *  'H' market 55, EMA-144 distance +20 %, RSI 60: nothing fires → HOLD
 *  'E' market 55, distance 0, RSI 50: ENTER without a position, else HOLD
 *  'A' market 85, distance 0, RSI 40: ENTER, or ADD (half-Kelly of p 0.55,
 *      b 1.5: (0.55 − 0.45 / 1.5) / 2 = 12.5 % → +0.125×, ladder max 2.5×)
 *  'R' market 30: REDUCE 50 % (low market) when holding
 *  'T' market 55, distance +50 %, RSI 80: REDUCE 25 % (take profit) */
void
fixture_day (Fixture *f,
             guint    i,
             double   open,
             double   low,
             double   close,
             char     signal)
{
  double market = 55, dist = 20, rsi = 60;

  f->history->input[BT_INPUT_OPEN][i] = open;
  f->history->input[BT_INPUT_HIGH][i] = isfinite (open) ? MAX (open, close) : NAN;
  f->history->input[BT_INPUT_LOW][i] = low;
  f->history->input[BT_INPUT_CLOSE][i] = close;
  switch (signal)
    {
    case 'E': dist = 0; rsi = 50; break;
    case 'A': market = 85; dist = 0; rsi = 40; break;
    case 'R': market = 30; break;
    case 'T': dist = 50; rsi = 80; break;
    default: break;
    }
  set_indicator (f, BT_IND_BTC_PRICE, i, close);
  set_indicator (f, BT_IND_EMA_144_1D, i, close / (1 + dist / 100));
  set_indicator (f, BT_IND_RSI_DAILY, i, rsi);
  set_indicator (f, BT_IND_MVRV_Z_SCORE, i, 1.5);
  f->scores[i].market = market;
  f->scores[i].confidence = 100;
}

/* The hand-worked tests below follow the seed's rules ("Seed v5"); the
 * adaptive profile's own rules are tested at the end of this file. */
void
init_seed_config (BtBacktestConfig *config)
{
  bt_backtest_config_init_default (config);
  bt_rules_init_profile (&config->rules, BT_RULES_PROFILE_SEED_V5);
}

void
config_for (BtBacktestConfig *config,
            double            fee_pct,
            double            slippage_pct,
            double            apr_pct)
{
  init_seed_config (config);
  config->fee_pct = fee_pct;
  config->slippage_pct = slippage_pct;
  config->borrow_apr_pct = apr_pct;
}


BtBacktestResult *
run_ok (Fixture                *f,
        const BtBacktestConfig *config)
{
  g_autoptr(GError) error = NULL;
  BtBacktestResult *r = bt_backtest_run (config, &f->inputs, NULL, &error);

  g_assert_no_error (error);
  return r;
}

const BtBacktestTrade *
trade_at (const BtBacktestResult *r,
          guint                   i)
{
  g_assert_cmpuint (i, <, r->trades->len);
  return &g_array_index (r->trades, BtBacktestTrade, i);
}

/* ---- a random history scored by the live code --------------------------- */

static guint32
lcg (guint32 *state)
{
  *state = *state * 1664525u + 1013904223u;
  return *state >> 8;
}

static double
uniform (guint32 *state,
         double   lo,
         double   hi)
{
  return lo + (hi - lo) * (lcg (state) / 16777216.0);
}

/* Fill every scored column with plausible values and score with RULES. */
void
random_fill (Fixture *f,
             guint32  seed,
             guint    from)
{
  guint n = f->history->n_days;
  guint32 s = seed;
  double price = 1000;

  if (from > 0)
    price = f->history->input[BT_INPUT_CLOSE][from - 1];
  for (guint i = from; i < n; i++)
    {
      double open = price * uniform (&s, 0.98, 1.02);
      double close = open * uniform (&s, 0.93, 1.07);
      double low = MIN (open, close) * uniform (&s, 0.9, 1.0);
      double ema144 = close / uniform (&s, 0.9, 1.2);

      f->history->input[BT_INPUT_OPEN][i] = open;
      f->history->input[BT_INPUT_HIGH][i] = MAX (open, close) * 1.01;
      f->history->input[BT_INPUT_LOW][i] = low;
      f->history->input[BT_INPUT_CLOSE][i] = close;
      price = close;
      set_indicator (f, BT_IND_BTC_PRICE, i, close);
      for (guint k = 0; k < BT_N_EMA_PERIODS * 2; k++)
        set_indicator (f, BT_IND_EMA_17_1D + k, i, close / uniform (&s, 0.85, 1.15));
      set_indicator (f, BT_IND_EMA_144_1D, i, ema144);
      set_indicator (f, BT_IND_RSI_DAILY, i, uniform (&s, 20, 85));
      set_indicator (f, BT_IND_RSI_WEEKLY, i, uniform (&s, 30, 80));
      set_indicator (f, BT_IND_RSI_MONTHLY, i, uniform (&s, 35, 80));
      set_indicator (f, BT_IND_BBW_PERCENTAGE, i, uniform (&s, 5, 40));
      set_indicator (f, BT_IND_MVRV_Z_SCORE, i, uniform (&s, -0.5, 4));
      set_indicator (f, BT_IND_REALIZED_PRICE_RATIO, i, uniform (&s, 0.8, 3));
      set_indicator (f, BT_IND_PUELL_MULTIPLE, i, uniform (&s, 0.5, 3));
      set_indicator (f, BT_IND_FUNDING_RATE_7D, i, uniform (&s, -0.03, 0.08));
    }
  bt_scores_compute_all (f->table, &f->rules, f->scores);
  f->inputs.score_rules = &f->rules;
}

Fixture *
random_fixture (guint n)
{
  Fixture *f = fixture_new (n);

  random_fill (f, 42, 0);
  return f;
}

void
random_config (BtBacktestConfig *config)
{
  init_seed_config (config);
  g_assert_true (bt_backtest_config_set (config, "thresholds.kelly_max_percent", "100", NULL));
  g_assert_true (bt_backtest_config_set (config, "thresholds.kelly_fraction", "1", NULL));
}

/* Metrics recomputed from the equity curve and trades alone (what a user
 * does with the CSVs), naive two-pass formulas. */
void
check_metrics_from_series (const BtBacktestResult *r)
{
  guint n = r->n_days;
  double mean = 0, var = 0, down = 0, peak, maxdd = 0, wins = 0, losses = 0, sells = 0,
         gw = 0, gl = 0, sum = 0, exposed = 0, run = 0, longest = 0, fees = 0;

  /* the curve starts from E_0 = the initial capital (docs/rulebook.md §7) */
  double e0 = r->config.initial_capital;

#define EQ(i) ((i) == 0 ? e0 : r->equity[(i) - 1])
  for (guint i = 1; i <= n; i++)
    mean += EQ (i) / EQ (i - 1) - 1;
  mean /= n;
  for (guint i = 1; i <= n; i++)
    {
      double x = EQ (i) / EQ (i - 1) - 1;

      var += (x - mean) * (x - mean);
      down += x < 0 ? x * x : 0;
    }
#undef EQ
  assert_close (r->metrics.sharpe_ratio, mean / sqrt (var / (n - 1)) * sqrt (365));
  assert_close (r->metrics.sortino_ratio, mean / sqrt (down / n) * sqrt (365));
  peak = e0;
  for (guint i = 0; i < n; i++)
    {
      peak = MAX (peak, r->equity[i]);
      maxdd = MAX (maxdd, (1 - r->equity[i] / peak) * 100);
      run = r->equity[i] < peak ? run + 1 : 0;
      longest = MAX (longest, run);
      exposed += r->leverage[i] > 0;
    }
  assert_close (r->metrics.max_drawdown, maxdd);
  assert_close (r->metrics.max_drawdown_days, longest);
  assert_close (r->metrics.exposure_pct, exposed / n * 100);
  assert_close (r->metrics.total_return, (r->equity[n - 1] / e0 - 1) * 100);
  for (guint i = 0; i < r->trades->len; i++)
    {
      const BtBacktestTrade *t = trade_at (r, i);

      fees += t->fee_usd;
      if (t->action == BT_ACTION_REDUCE || t->action == BT_ACTION_EXIT ||
          t->action == BT_ACTION_LIQUIDATION)
        {
          sells++;
          sum += t->pnl_usd;
          if (t->pnl_usd > 0)
            wins++, gw += t->pnl_usd;
          else if (t->pnl_usd < 0)
            losses++, gl += t->pnl_usd;
        }
      else
        g_assert_cmpfloat (t->pnl_usd, ==, 0);
    }
  assert_close (r->metrics.fees_paid, fees);
  assert_close (r->metrics.total_trades, r->trades->len);
  if (sells > 0)
    {
      assert_close (r->metrics.win_rate, wins / sells * 100);
      assert_close (r->metrics.expectancy, sum / sells);
    }
  if (losses > 0)
    assert_close (r->metrics.profit_factor, gw / -gl);
}

void
assert_same_result (const BtBacktestResult *a,
                    const BtBacktestResult *b)
{
  g_assert_cmpmem (&a->metrics, sizeof a->metrics, &b->metrics, sizeof b->metrics);
  g_assert_cmpuint (a->n_days, ==, b->n_days);
  g_assert_cmpmem (a->equity, a->n_days * sizeof (double), b->equity, b->n_days * sizeof (double));
  g_assert_cmpmem (a->health_factor, a->n_days * sizeof (double),
                   b->health_factor, b->n_days * sizeof (double));
  g_assert_cmpuint (a->trades->len, ==, b->trades->len);
  for (guint i = 0; i < a->trades->len; i++)
    {
      const BtBacktestTrade *x = trade_at (a, i), *y = trade_at (b, i);

      g_assert_cmpmem (&x->score_market, sizeof (BtBacktestTrade) - G_STRUCT_OFFSET (BtBacktestTrade, score_market),
                       &y->score_market, sizeof (BtBacktestTrade) - G_STRUCT_OFFSET (BtBacktestTrade, score_market));
      g_assert_cmpstr (x->reason, ==, y->reason);
    }
}
