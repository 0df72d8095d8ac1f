/* Tests of the backtest engine (docs/rulebook.md §7): every fill, fee, interest
 * accrual, liquidation and metric of the short series below is worked out
 * by hand in the comments and recomputed here step by step; the metrics of
 * longer runs are recomputed from the equity curve and the trades by naive
 * two-pass formulas. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "bt-backtest.h"
#include "bt-backtest-metrics.h"
#include "bt-backtest-store.h"
#include "bt-base.h"
#include "bt-scoring.h"
#include "bt-store-private.h"
#include "bt-sweep.h"
#include "bt-sweep-private.h"
#include "bt-test-util.h"
#include "test-backtest-fixture.h"

/* ---- the fixtures ------------------------------------------------------- */

/* A history of as many days as the test's data says, the configuration run
 * over it and the run's result. */
typedef struct
{
  Fixture          *f;
  BtBacktestConfig  config;
  BtBacktestResult *r;
} Run;

/* A hand-made history of empty days under the seed's rules. */
static void
hand_setup (Run           *t,
            gconstpointer  data)
{
  t->f = fixture_new (GPOINTER_TO_UINT (data));
  init_seed_config (&t->config);
}

/* Cash start, no fee, slippage or interest, ENTER straight at 2.5×: decided
 * on day 0 at 100, filled at day 1's open 100 (the liquidation tests). */
static void
liquidation_setup (Run           *t,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  hand_setup (t, data);
  config_for (&t->config, 0, 0, 0);
  t->config.start_mode = BT_START_CASH;
  g_assert_true (bt_backtest_config_set (&t->config, "thresholds.entry_leverage", "2.5", &error));
  g_assert_no_error (error);
  fixture_day (t->f, 0, 100, 100, 100, 'E');
  fixture_day (t->f, 1, 100, 99, 100, 'H');
}

/* The adaptive profile's defaults without fee, slippage or interest. */
static void
adaptive_setup (Run           *t,
                gconstpointer  data)
{
  hand_setup (t, data);
  bt_backtest_config_init_default (&t->config);
  t->config.fee_pct = t->config.slippage_pct = t->config.borrow_apr_pct = 0;
}

/* A random history scored by the live code and random_config(). */
static void
random_setup (Run           *t,
              gconstpointer  data)
{
  t->f = random_fixture (GPOINTER_TO_UINT (data));
  random_config (&t->config);
}

static void
run_teardown (Run           *t,
              gconstpointer  data)
{
  g_clear_pointer (&t->r, bt_backtest_result_free);
  fixture_free (t->f);
}

/* T's configuration run over its history, which must succeed. */
static const BtBacktestResult *
run (Run *t)
{
  g_assert_null (t->r);
  t->r = run_ok (t->f, &t->config);
  return t->r;
}

/* ---- 1. a short series, every number by hand ------------------------------ */

static void
test_hand_series (Run           *t,
                  gconstpointer  data)
{
  Fixture *f = t->f;
  const BtBacktestResult *r;
  double x0, c0, x1, c1, debt, int1, int2, b, e0, e1, e2, lev2, target, q, x3, proceeds, cash,
         avg, pnl3, e3, fees;

  /* fee 1 %, slippage 1 %, borrowing at 36.5 % a year = 0.1 % a day */
  config_for (&t->config, 1.0, 1.0, 36.5);
  fixture_day (f, 0, NAN, NAN, 100, 'A');
  fixture_day (f, 1, 110, 105, 110, 'H');
  fixture_day (f, 2, 110, 100, 100, 'R');
  fixture_day (f, 3, 100, 95, 100, 'H');
  fixture_day (f, 4, 100, 99, 100, 'H');

  r = run (t);
  g_assert_cmpuint (r->n_days, ==, 5);

  /* Day 0, invested: buy 1.0× at the close 100: fill 100 × 1.01 = 101, each
   * BTC costs 101 × 1.01 = 102.01 with the fee, so x0 = 10000 / 102.01 BTC,
   * fee 1 % of x0 × 101; E_0 = x0 × 100 = 9802.96… */
  c0 = 101 * 1.01;
  x0 = 10000 / c0;
  e0 = x0 * 100;
  g_assert_cmpint (trade_at (r, 0)->action, ==, BT_ACTION_ENTER);
  assert_close (trade_at (r, 0)->price, 101);
  assert_close (trade_at (r, 0)->btc_amount, x0);
  assert_close (trade_at (r, 0)->fee_usd, x0 * 101 * 0.01);
  assert_close (trade_at (r, 0)->pnl_usd, 0);
  assert_close (r->equity[0], e0);
  /* E_0 is the initial capital (docs/rulebook.md §7): the entry costs count */
  assert_close (r->metrics.e0, 10000);

  /* Day 0's close: market 85 → ADD 12.5 %: target 1.0 + 0.125 = 1.125×.
   * Day 1 open 110: E = x0 × 110, fill 110 × 1.01 = 111.1, c = 111.1 × 1.01
   * = 112.211; x1 = (1.125 E − x0 × 110) / (110 + 1.125 × (112.211 − 110));
   * all borrowed: debt = x1 × 112.211. */
  c1 = 111.1 * 1.01;
  x1 = (1.125 * x0 * 110 - x0 * 110) / (110 + 1.125 * (c1 - 110));
  debt = x1 * c1;
  g_assert_cmpint (trade_at (r, 1)->action, ==, BT_ACTION_ADD);
  g_assert_cmpint (trade_at (r, 1)->day, ==, f->history->first_day + 1);
  assert_close (trade_at (r, 1)->price, 111.1);
  assert_close (trade_at (r, 1)->btc_amount, x1);
  assert_close (trade_at (r, 1)->leverage_before, 1.0);
  assert_close (trade_at (r, 1)->leverage_after, 1.125);   /* the target, after costs */
  assert_close (trade_at (r, 1)->debt_after, debt);
  /* low 105 is far above the liquidation price debt / (B × 0.78) ≈ 15.7;
   * interest at the close: debt × 0.001 */
  int1 = debt * 0.001;
  debt += int1;
  b = x0 + x1;
  e1 = b * 110 - debt;
  assert_close (r->equity[1], e1);
  assert_close (r->health_factor[1], b * 110 * 0.78 / debt);
  assert_close (r->leverage[1], b * 110 / e1);

  /* Day 2: nothing pending; a second day of interest; close 100 */
  int2 = debt * 0.001;
  debt += int2;
  e2 = b * 100 - debt;
  assert_close (r->equity[2], e2);

  /* Day 2's close: market 30 → REDUCE 50 %: target = lev2 / 2.  Day 3 open
   * 100: fill 99, proceeds per BTC q = 99 × 0.99 = 98.01;
   * x3 = (B × 100 − target × E) / (100 − target × (100 − 98.01)).
   * The proceeds repay the debt first, the rest is cash. */
  lev2 = b * 100 / e2;
  target = lev2 * 0.5;
  q = 99 * 0.99;
  x3 = (b * 100 - target * e2) / (100 - target * (100 - q));
  proceeds = x3 * q;
  g_assert_cmpfloat (proceeds, >, debt);
  cash = proceeds - debt;
  avg = (x0 * 101 + x1 * 111.1) / b;
  pnl3 = x3 * (99 - avg);
  g_assert_cmpint (trade_at (r, 2)->action, ==, BT_ACTION_REDUCE);
  assert_close (trade_at (r, 2)->btc_amount, -x3);
  assert_close (trade_at (r, 2)->leverage_before, lev2);
  assert_close (trade_at (r, 2)->leverage_after, target);
  assert_close (trade_at (r, 2)->pnl_usd, pnl3);
  assert_close (trade_at (r, 2)->pnl_pct, (99 / avg - 1) * 100);
  assert_close (trade_at (r, 2)->size_pct, x3 / b * 100);
  assert_close (trade_at (r, 2)->debt_after, 0);
  e3 = (b - x3) * 100 + cash;
  assert_close (r->equity[3], e3);
  assert_close (r->equity[4], e3);            /* no debt, no interest, same close */
  g_assert_true (isnan (r->health_factor[3]));
  g_assert_cmpuint (r->trades->len, ==, 3);

  fees = x0 * 101 * 0.01 + x1 * 111.1 * 0.01 + x3 * 99 * 0.01;
  assert_close (r->metrics.fees_paid, fees);
  assert_close (r->metrics.interest_paid, int1 + int2);
  assert_close (r->metrics.final_value, e3);
  assert_close (r->metrics.total_return, (e3 / 10000 - 1) * 100);
  assert_close (r->metrics.btc_hold_return, 0);      /* 100 → 100 */
  assert_close (r->metrics.outperformance, (e3 / 10000 - 1) * 100);
  assert_close (r->metrics.total_trades, 3);
  /* one selling trade, a loss (99 < average cost ≈ 102.1) */
  g_assert_cmpfloat (pnl3, <, 0);
  assert_close (r->metrics.win_rate, 0);
  assert_close (r->metrics.profit_factor, 0);
  assert_close (r->metrics.avg_loss, pnl3);
  g_assert_true (isnan (r->metrics.avg_win));
  assert_close (r->metrics.expectancy, pnl3);
  assert_close (r->metrics.liquidations, 0);
  assert_close (r->metrics.exposure_pct, 100);
  assert_close (r->metrics.max_leverage_reached, MAX (b * 110 / e1, lev2));
  assert_close (r->metrics.min_health_factor, b * 100 * 0.78 / debt);
}

/* ---- 2. a crash that liquidates ------------------------------------------ */

static void
test_liquidation (Run           *t,
                  gconstpointer  data)
{
  Fixture *f = t->f;
  const BtBacktestResult *r;

  fixture_day (f, 2, 90, 70, 80, 'H');
  fixture_day (f, 3, 80, 78, 82, 'H');
  fixture_day (f, 4, 84, 84, 84, 'H');

  r = run (t);

  /* Day 1 open 100: ENTER 2.5×: x = 2.5 × 10000 / 100 = 250 BTC, 25000 USD:
   * 10000 of cash, 15000 borrowed (LTV 15000 / 25000 = 0.6 ≤ 0.73).
   * HF = 25000 × 0.78 / 15000 = 1.3 */
  assert_close (r->equity[0], 10000);
  g_assert_cmpint (trade_at (r, 0)->action, ==, BT_ACTION_ENTER);
  assert_close (trade_at (r, 0)->btc_amount, 250);
  assert_close (trade_at (r, 0)->debt_after, 15000);
  assert_close (r->equity[1], 10000);
  assert_close (r->health_factor[1], 1.3);
  assert_close (r->leverage[1], 2.5);

  /* Day 2: open 90 (HF 250 × 90 × 0.78 / 15000 = 1.17, no liquidation at the
   * open), low 70 below p* = 15000 / (250 × 0.78) = 76.923…: liquidated at
   * p*, where HF = 1 ≥ 0.95, so half the debt is repaid: 7500; seized
   * 7500 × 1.05 / p* = 7875 × 195 / 15000 = 102.375 BTC, effective price
   * p* / 1.05; PnL = 102.375 × (p* / 1.05 − 100) = 7500 − 10237.5 = −2737.5 */
  g_assert_cmpint (trade_at (r, 1)->action, ==, BT_ACTION_LIQUIDATION);
  g_assert_cmpint (trade_at (r, 1)->day, ==, f->history->first_day + 2);
  assert_close (trade_at (r, 1)->market_price, 15000.0 / 195.0);
  assert_close (trade_at (r, 1)->price, 15000.0 / 195.0 / 1.05);
  assert_close (trade_at (r, 1)->btc_amount, -102.375);
  assert_close (trade_at (r, 1)->debt_after, 7500);
  assert_close (trade_at (r, 1)->pnl_usd, -2737.5);
  assert_close (trade_at (r, 1)->fee_usd, 0);
  g_assert_nonnull (trade_at (r, 1)->reason);
  /* close 80: equity 147.625 × 80 − 7500 = 4310; HF = 11810 × 0.78 / 7500
   * = 1.22828; risk = HF band 10 + (0.12828 / 0.15) × 20 = 27.1 < 30:
   * circuit breaker → EXIT */
  assert_close (r->equity[2], 4310);
  assert_close (r->health_factor[2], 11810 * 0.78 / 7500);

  /* Day 3 open 80: EXIT sells 147.625 BTC for 11810, repays 7500, keeps
   * 4310; PnL = 147.625 × (80 − 100) = −2952.5 */
  g_assert_cmpint (trade_at (r, 2)->action, ==, BT_ACTION_EXIT);
  assert_close (trade_at (r, 2)->btc_amount, -147.625);
  assert_close (trade_at (r, 2)->pnl_usd, -2952.5);
  assert_close (trade_at (r, 2)->portfolio_value, 4310);
  assert_close (r->equity[3], 4310);
  assert_close (r->equity[4], 4310);
  g_assert_cmpuint (r->trades->len, ==, 3);

  /* metrics: −56.9 %, one liquidation, two losing sells */
  assert_close (r->metrics.total_return, -56.9);
  assert_close (r->metrics.max_drawdown, 56.9);
  assert_close (r->metrics.max_drawdown_days, 3);
  assert_close (r->metrics.liquidations, 1);
  assert_close (r->metrics.win_rate, 0);
  assert_close (r->metrics.avg_loss, (-2737.5 - 2952.5) / 2);
  assert_close (r->metrics.expectancy, (-2737.5 - 2952.5) / 2);
  assert_close (r->metrics.profit_factor, 0);
  assert_close (r->metrics.exposure_pct, 40);             /* days 1 and 2 of 5 */
  assert_close (r->metrics.max_leverage_reached, 11810.0 / 4310.0);
  assert_close (r->metrics.min_health_factor, 11810 * 0.78 / 7500);
  assert_close (r->metrics.btc_hold_return, -16);          /* 100 → 84 */
  /* leverage at the five closes: 0 (cash), 2.5, 11810 / 4310, 0, 0 */
  assert_close (bt_backtest_metric_value (bt_backtest_metric_find ("avg_leverage"), r),
                (2.5 + 11810.0 / 4310.0) / 5);
}

/* A gap below HF 0.95: liquidated at the open, the whole debt repaid. */
static void
test_liquidation_full (Run           *t,
                       gconstpointer  data)
{
  const BtBacktestResult *r;

  fixture_day (t->f, 2, 70, 65, 80, 'H');
  fixture_day (t->f, 3, 80, 80, 80, 'H');
  r = run (t);

  /* open 70: HF = 250 × 70 × 0.78 / 15000 = 0.91 < 1 → at the open; < 0.95 →
   * all 15000 repaid; seized 15000 × 1.05 / 70 = 225 BTC, 25 BTC left;
   * PnL = 225 × (70 / 1.05 − 100) = 15000 − 22500 = −7500; close 80:
   * equity 25 × 80 = 2000 */
  g_assert_cmpint (trade_at (r, 1)->action, ==, BT_ACTION_LIQUIDATION);
  assert_close (trade_at (r, 1)->market_price, 70);
  assert_close (trade_at (r, 1)->btc_amount, -225);
  assert_close (trade_at (r, 1)->debt_after, 0);
  assert_close (trade_at (r, 1)->pnl_usd, -7500);
  assert_close (r->equity[2], 2000);
  g_assert_true (isnan (r->health_factor[2]));
  g_assert_cmpuint (r->trades->len, ==, 2);
}

/* A fall through several liquidation prices: liquidated again and again. */
static void
test_liquidation_cascade (Run           *fx,
                          gconstpointer  data)
{
  const BtBacktestResult *r;
  double b = 250, d = 15000;

  fixture_day (fx->f, 2, 90, 50, 55, 'H');
  r = run (fx);

  /* Each liquidation happens at p = D / (B × 0.78) (HF = 1: half repaid)
   * and seizes (D / 2) × 1.05 / p = 0.525 × 0.78 × B = 0.4095 B, so
   * B → 0.5905 B, D → D / 2 and p → p × 0.5 / 0.5905:
   * p1 = 76.92, p2 = 65.14, p3 = 55.15 are above the low 50, p4 = 46.70 is not:
   * three liquidations on day 2. */
  g_assert_cmpuint (r->trades->len, ==, 4);
  for (guint k = 1; k <= 3; k++)
    {
      const BtBacktestTrade *t = trade_at (r, k);

      g_assert_cmpint (t->action, ==, BT_ACTION_LIQUIDATION);
      assert_close (t->market_price, d / (b * 0.78));
      assert_close (t->btc_amount, -0.4095 * b);
      b *= 0.5905;
      d /= 2;
      assert_close (t->debt_after, d);
    }
  g_assert_cmpfloat (d / (b * 0.78), <, 50);
  assert_close (r->equity[2], b * 55 - d);
  assert_close (r->metrics.liquidations, 3);
}

/* ---- 3. start_mode cash, an ENTER on a day without an open ------------------ */

static void
test_cash_start (Run           *t,
                 gconstpointer  data)
{
  Fixture *f = t->f;
  const BtBacktestResult *r;
  double fill, x;

  config_for (&t->config, 0.1, 0.05, 5.0);
  t->config.start_mode = BT_START_CASH;
  fixture_day (f, 0, NAN, NAN, 100, 'H');
  fixture_day (f, 1, NAN, NAN, 102, 'E');
  fixture_day (f, 2, NAN, NAN, 105, 'H');
  fixture_day (f, 3, NAN, NAN, 110, 'H');
  r = run (t);

  /* days 0 and 1: all cash, equity 10000; day 1 decides ENTER; day 2 has
   * no open: filled at the close 105 × 1.0005 = 105.0525, fee 0.1 %:
   * x = 10000 / (105.0525 × 1.001) BTC, no debt (cash pays it all);
   * equity at the close x × 105, on day 3 x × 110 */
  fill = 105 * 1.0005;
  x = 10000 / (fill * 1.001);
  assert_close (r->equity[0], 10000);
  assert_close (r->equity[1], 10000);
  g_assert_cmpuint (r->trades->len, ==, 1);
  g_assert_cmpint (trade_at (r, 0)->action, ==, BT_ACTION_ENTER);
  g_assert_cmpint (trade_at (r, 0)->day, ==, f->history->first_day + 2);
  assert_close (trade_at (r, 0)->price, fill);
  assert_close (trade_at (r, 0)->btc_amount, x);
  assert_close (trade_at (r, 0)->debt_after, 0);
  assert_close (r->equity[2], x * 105);
  assert_close (r->equity[3], x * 110);
  assert_close (r->metrics.interest_paid, 0);
  assert_close (r->metrics.exposure_pct, 50);
  assert_close (r->metrics.btc_hold_return, 10);
}

/* ---- 4. metrics of a known equity curve -------------------------------- */

static const double known_closes[] = { 100, 120, 108, 129.6, 116.64, 110, 131 };

static void
test_known_curve (Run           *t,
                  gconstpointer  data)
{
  const BtBacktestResult *r;
  double rr[7], mean, sd, down, cagr;

  /* invested at 1.0× with no costs: 100 BTC, equity = 100 × close */
  config_for (&t->config, 0, 0, 0);
  for (guint i = 0; i < G_N_ELEMENTS (known_closes); i++)
    fixture_day (t->f, i, known_closes[i], known_closes[i], known_closes[i], 'H');
  r = run (t);
  for (guint i = 0; i < G_N_ELEMENTS (known_closes); i++)
    assert_close (r->equity[i], 100 * known_closes[i]);

  /* from E_0 = 10000 (the initial capital, docs/rulebook.md §7): r = 0 on the first
   * day (no costs), then +20 %, −10 %, +20 %, −10 %, 110 / 116.64 − 1,
   * 131 / 110 − 1 */
  rr[0] = 0;
  rr[1] = 0.2; rr[2] = -0.1; rr[3] = 0.2; rr[4] = -0.1;
  rr[5] = 110 / 116.64 - 1; rr[6] = 131.0 / 110 - 1;
  mean = (rr[0] + rr[1] + rr[2] + rr[3] + rr[4] + rr[5] + rr[6]) / 7;
  sd = 0;
  down = 0;
  for (guint i = 0; i < 7; i++)
    {
      sd += (rr[i] - mean) * (rr[i] - mean);
      if (rr[i] < 0)
        down += rr[i] * rr[i];
    }
  sd = sqrt (sd / 6);                       /* sample sd */
  down = sqrt (down / 7);                   /* over every day */
  assert_close (r->metrics.sharpe_ratio, mean / sd * sqrt (365));
  assert_close (r->metrics.sortino_ratio, mean / down * sqrt (365));
  /* peaks 120 then 129.6: drawdowns 10 %, then 1 − 110 / 129.6 = 15.12… % */
  assert_close (r->metrics.max_drawdown, (1 - 110 / 129.6) * 100);
  /* below the peak: day 2 (1 day), days 4–5 (2 days) */
  assert_close (r->metrics.max_drawdown_days, 2);
  /* d = 6 days: CAGR = 1.31^(365/6) − 1 */
  cagr = (pow (1.31, 365.0 / 6) - 1) * 100;
  assert_close (r->metrics.cagr, cagr);
  assert_close (r->metrics.calmar_ratio, cagr / ((1 - 110 / 129.6) * 100));
  assert_close (r->metrics.total_return, 31);
  assert_close (r->metrics.btc_hold_return, 31);
  assert_close (r->metrics.outperformance, 0);
  g_assert_true (isnan (r->metrics.win_rate));             /* no selling trade */
  g_assert_true (isnan (r->metrics.profit_factor));
  g_assert_true (isnan (r->metrics.min_health_factor));    /* never borrowed */
  assert_close (r->metrics.max_leverage_reached, 1);
}

static void
test_random_consistency (Run           *t,
                         gconstpointer  data)
{
  const BtBacktestResult *r = run (t);
  guint kinds[BT_N_ACTIONS] = { 0 };

  for (guint i = 0; i < r->trades->len; i++)
    kinds[trade_at (r, i)->action]++;
  /* the series exercises every path */
  g_assert_cmpuint (kinds[BT_ACTION_ADD], >, 0);
  g_assert_cmpuint (kinds[BT_ACTION_REDUCE], >, 0);
  check_metrics_from_series (r);
}

/* ---- 5. look-ahead guard ------------------------------------------------- */

static void
test_look_ahead (Run           *fx,
                 gconstpointer  data)
{
  const guint n = GPOINTER_TO_UINT (data), t = 250;
  Fixture *a = fx->f;
  Fixture *b = random_fixture (n);
  g_autoptr(BtBacktestResult) ra = NULL;
  g_autoptr(BtBacktestResult) rb = NULL;
  guint ta = 0, tb = 0;

  /* B: the same up to day t, a different future from t + 1 */
  random_fill (b, 7, t + 1);
  g_assert_cmpfloat (a->history->input[BT_INPUT_CLOSE][t + 1], !=,
                     b->history->input[BT_INPUT_CLOSE][t + 1]);
  ra = bt_backtest_run (&fx->config, &a->inputs, NULL, NULL);
  rb = bt_backtest_run (&fx->config, &b->inputs, NULL, NULL);
  g_assert_nonnull (ra);
  g_assert_nonnull (rb);
  g_assert_cmpmem (ra->equity, (t + 1) * sizeof (double), rb->equity, (t + 1) * sizeof (double));
  g_assert_cmpmem (ra->leverage, (t + 1) * sizeof (double), rb->leverage, (t + 1) * sizeof (double));
  while (ta < ra->trades->len && trade_at (ra, ta)->day <= a->history->first_day + (BtDay) t)
    ta++;
  while (tb < rb->trades->len && trade_at (rb, tb)->day <= b->history->first_day + (BtDay) t)
    tb++;
  g_assert_cmpuint (ta, ==, tb);
  g_assert_cmpuint (ta, >, 2);
  for (guint i = 0; i < ta; i++)
    {
      g_assert_cmpfloat (trade_at (ra, i)->btc_amount, ==, trade_at (rb, i)->btc_amount);
      g_assert_cmpstr (trade_at (ra, i)->reason, ==, trade_at (rb, i)->reason);
    }
  /* and the futures do differ */
  g_assert_true (memcmp (ra->equity, rb->equity, n * sizeof (double)) != 0);
  fixture_free (b);
}

/* ---- 6. determinism, async, sweep == single run --------------------------- */

static void
test_determinism (Run           *t,
                  gconstpointer  data)
{
  g_autoptr(BtBacktestResult) a = NULL;
  g_autoptr(BtBacktestResult) b = NULL;
  BtBacktestMetrics m;

  a = bt_backtest_run (&t->config, &t->f->inputs, NULL, NULL);
  b = bt_backtest_run (&t->config, &t->f->inputs, NULL, NULL);
  assert_same_result (a, b);
  g_assert_true (bt_backtest_run_metrics (&t->config, &t->f->inputs, NULL, &m, NULL));
  g_assert_cmpmem (&m, sizeof m, &a->metrics, sizeof a->metrics);
}

typedef struct
{
  GArray   *fractions;
  GThread  *caller;     /* the thread that started the run */
  gboolean  off_thread; /* a report arrived in another thread */
  GMutex    mutex;
  GCond     cond;
  gboolean  freed;      /* under MUTEX: PROGRESS_NOTIFY ran (in any thread) */
} ProgressLog;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  ProgressLog *log = user_data;

  if (g_thread_self () != log->caller)
    log->off_thread = TRUE;
  g_array_append_val (log->fractions, fraction);
}

static void
progress_free_cb (gpointer user_data)
{
  ProgressLog *log = user_data;

  g_mutex_lock (&log->mutex);
  log->freed = TRUE;
  g_cond_signal (&log->cond);
  g_mutex_unlock (&log->mutex);
}

static void
test_async (Run           *t,
            gconstpointer  data)
{
  g_autoptr(BtBacktestResult) a = NULL;
  g_autoptr(BtBacktestResult) b = NULL;
  g_autoptr(BtBacktestResult) c = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) owner = g_object_new (G_TYPE_OBJECT, NULL);
  ProgressLog log = { g_array_new (FALSE, FALSE, sizeof (double)), g_thread_self (), FALSE };

  g_mutex_init (&log.mutex);
  g_cond_init (&log.cond);
  a = bt_backtest_run (&t->config, &t->f->inputs, NULL, NULL);
  bt_backtest_run_async (NULL, &t->config, &t->f->inputs, NULL, NULL, NULL, NULL,
                         bt_test_result_cb, &res);
  b = bt_backtest_run_finish (bt_test_wait_result (&res), &error);
  g_assert_no_error (error);
  assert_same_result (a, b);
  g_clear_object (&res);

  /* with a source object (the owner of the inputs) and a progress report */
  bt_backtest_run_async (owner, &t->config, &t->f->inputs, NULL, progress_cb, &log, progress_free_cb,
                         bt_test_result_cb, &res);
  g_assert_true (g_async_result_get_source_object (bt_test_wait_result (&res)) == owner);
  g_object_unref (owner);   /* the reference get_source_object returned */
  c = bt_backtest_run_finish (res, &error);
  g_assert_no_error (error);
  assert_same_result (a, c);
  g_clear_object (&res);
  /* the worker thread lets go of the task after the callback: woken by
   * PROGRESS_NOTIFY, which may run in the worker (a minute is only a
   * safety net) */
  {
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (g_main_context_iteration (NULL, FALSE))
      ;
    g_mutex_lock (&log.mutex);
    while (!log.freed && g_cond_wait_until (&log.cond, &log.mutex, deadline))
      ;
    g_mutex_unlock (&log.mutex);
    while (g_main_context_iteration (NULL, FALSE))
      ;
  }
  /* the days of the run, 0 < fraction <= 1, rising, ending at 1, at most
   * 100 reports (and more than one: the run has a few hundred days) */
  g_assert_cmpuint (log.fractions->len, >, 1);
  g_assert_cmpuint (log.fractions->len, <=, 100);
  for (guint i = 0; i < log.fractions->len; i++)
    {
      double fr = g_array_index (log.fractions, double, i);

      g_assert_cmpfloat (fr, >, 0);
      g_assert_cmpfloat (fr, <=, 1);
      if (i > 0)
        g_assert_cmpfloat (fr, >, g_array_index (log.fractions, double, i - 1));
    }
  g_assert_cmpfloat (g_array_index (log.fractions, double, log.fractions->len - 1), ==, 1);
  /* every report in the caller's thread (the window's progress bar is GTK) */
  g_assert_false (log.off_thread);
  g_assert_true (log.freed);
  g_array_unref (log.fractions);
  g_mutex_clear (&log.mutex);
  g_cond_clear (&log.cond);
}

static void
test_sweep_equals_single (Run           *t,
                          gconstpointer  data)
{
  Fixture *f = t->f;
  const char *grid[] = {
    "fee_pct=0,0.25",
    "max_leverage=1.5,2.5",
    "weights.categories.cycle=50,10",
    "start_mode=invested,cash",
    NULL
  };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gboolean differ = FALSE;

  rows = bt_sweep_expand (&t->config, grid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 16);
  /* last key fastest */
  g_assert_cmpstr (((BtSweepRow *) rows->pdata[1])->label, ==,
                   "fee_pct=0 max_leverage=1.5 weights.categories.cycle=50 start_mode=cash");
  g_assert_true (bt_sweep_run (&f->inputs, rows, 3, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < rows->len; i++)
    {
      const BtSweepRow *row = rows->pdata[i];
      g_autoptr(BtBacktestResult) single = bt_backtest_run (&row->config, &f->inputs, NULL, NULL);

      g_assert_cmpmem (&row->metrics, sizeof row->metrics, &single->metrics, sizeof single->metrics);
      if (i > 0)
        {
          const BtSweepRow *prev = rows->pdata[i - 1];

          g_assert_cmpint (bt_sweep_row_compare (&rows->pdata[i - 1], &rows->pdata[i]), <, 0);
          g_assert_true (prev->metrics.total_return >= row->metrics.total_return);
          differ |= prev->metrics.total_return != row->metrics.total_return;
        }
    }
  g_assert_true (differ);
}

static void
cancel_on_progress (guint    done,
                    guint    total,
                    gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel (Run           *t,
             gconstpointer  data)
{
  Fixture *f = t->f;
  const char *grid[] = { "fee_pct=0,0.01,0.02,0.03,0.04,0.05,0.06,0.07",
                         "slippage_pct=0,0.01,0.02,0.03,0.04,0.05,0.06,0.07",
                         "borrow_apr_pct=1,2,3,4,5,6,7,8",
                         "liquidation_bonus=0,0.01,0.02,0.03,0.04,0.05,0.06,0.07", NULL };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GPtrArray) out = NULL;
  g_autoptr(GError) error = NULL;
  BtBacktestMetrics m;

  /* already cancelled: nothing runs */
  g_cancellable_cancel (cancellable);
  g_assert_false (bt_backtest_run_metrics (&t->config, &f->inputs, cancellable, &m, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_cancellable_reset (cancellable);

  /* cancelled from the first progress report, on this main context */
  rows = bt_sweep_expand (&t->config, grid, &error);
  g_assert_no_error (error);
  bt_sweep_run_async (NULL, &f->inputs, rows, 2, cancellable, cancel_on_progress,
                      g_object_ref (cancellable), g_object_unref, bt_test_result_cb, &res);
  out = bt_sweep_run_finish (bt_test_wait_result (&res), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (out);
  g_clear_error (&error);

  /* the synchronous variant reports on the calling thread: cancelled there
   * (4096 runs of 2000 days take far longer than the first report) */
  g_cancellable_reset (cancellable);
  g_assert_false (bt_sweep_run (&f->inputs, rows, 2, cancellable, cancel_on_progress, cancellable,
                                &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- 7. configuration: JSON, hash, validation ------------------------------ */

static void
test_validation (Run           *t,
                 gconstpointer  data)
{
  static const struct { const char *key, *value; } bad[] = {
    { "initial_capital", "0" },
    { "initial_capital", "-100" },
    { "max_leverage", "0.5" },
    { "max_leverage", "3.8" },          /* ltv 0.73 allows 1 / 0.27 = 3.70… */
    { "fee_pct", "100" },
    { "fee_pct", "-1" },
    { "slippage_pct", "150" },
    { "end_date", "2019-12-31" },       /* before start_date below */
  };
  Fixture *f = t->f;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    fixture_day (f, i, 100, 100, 100, 'H');

  g_assert_true (bt_backtest_config_validate (&t->config, f->history, &error));
  g_assert_true (bt_backtest_config_set (&t->config, "max_leverage", "3.7", NULL));
  g_assert_true (bt_backtest_config_validate (&t->config, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(BtBacktestResult) r = NULL;

      init_seed_config (&t->config);
      t->config.start_day = bt_day_from_ymd (2020, 1, 1);
      g_assert_true (bt_backtest_config_set (&t->config, bad[i].key, bad[i].value, NULL));
      g_assert_false (bt_backtest_config_validate (&t->config, f->history, &error));
      g_assert_error (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG);
      g_assert_cmpstr (error->message, !=, "");
      g_clear_error (&error);
      /* an invalid configuration runs nothing (and so stores nothing) */
      r = bt_backtest_run (&t->config, &f->inputs, NULL, &error);
      g_assert_null (r);
      g_assert_error (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG);
      g_clear_error (&error);
    }

  /* a period outside the data */
  init_seed_config (&t->config);
  t->config.start_day = bt_day_from_ymd (2019, 12, 1);
  g_assert_false (bt_backtest_config_validate (&t->config, f->history, &error));
  g_assert_error (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG);
  g_clear_error (&error);
  t->config.start_day = BT_DAY_INVALID;
  t->config.end_day = bt_day_from_ymd (2020, 1, 9);
  g_assert_false (bt_backtest_config_validate (&t->config, f->history, &error));
  g_clear_error (&error);

  /* bad keys and values leave the configuration unchanged */
  init_seed_config (&t->config);
  g_assert_false (bt_backtest_config_set (&t->config, "leverage", "2", &error));
  g_clear_error (&error);
  g_assert_false (bt_backtest_config_set (&t->config, "fee_pct", "0,1", &error));
  g_clear_error (&error);
  g_assert_false (bt_backtest_config_set (&t->config, "start_mode", "margin", &error));
  g_clear_error (&error);
  g_assert_false (bt_backtest_config_set (&t->config, "start_date", "2020-02-30", &error));
  g_clear_error (&error);
  g_assert_cmpfloat (t->config.fee_pct, ==, 0.10);
  g_assert_cmpint (t->config.start_mode, ==, BT_START_INVESTED);
}

/* ---- 8. storage ---------------------------------------------------------- */

/* A random 300-day series, its configuration and a store in a scratch
 * directory. */
typedef struct
{
  Run       run;
  char     *path;
  BtStore  *store;
} StoreFixture;

static void
store_fixture_setup (StoreFixture  *s,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  random_setup (&s->run, GUINT_TO_POINTER (300));
  s->path = bt_test_temp_db ("bt-backtest-XXXXXX");
  s->store = bt_store_open (s->path, &error);
  g_assert_no_error (error);
}

static void
store_fixture_teardown (StoreFixture  *s,
                        gconstpointer  data)
{
  g_clear_object (&s->store);
  bt_test_remove_db (s->path);
  g_free (s->path);
  run_teardown (&s->run, data);
}

/* Runs S's configuration and saves it (on the history's data version, which
 * the run carries). */
static BtBacktestResult *
store_fixture_save_run (StoreFixture *s)
{
  g_autoptr(GError) error = NULL;
  BtBacktestResult *r = run_ok (s->run.f, &s->run.config);

  g_assert_true (bt_backtest_store_save (s->store, r, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (r->id);
  return r;
}

/* The rows of TABLE (backtest_trades or backtest_equity) of run ID. */
static gint64
count_run_rows (BtStore    *store,
                const char *table,
                const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE backtest_id = ?", table);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_bt_store_get_handle (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

/* What RESULT_OUTPUT writes of A and of B is the same text. */
static void
assert_same_output (const BtBacktestResult *a,
                    const BtBacktestResult *b,
                    char                 *(*result_output) (const BtBacktestResult *))
{
  g_autofree char *text_a = result_output (a);
  g_autofree char *text_b = result_output (b);

  g_assert_cmpstr (text_a, ==, text_b);
}

static void
test_store (StoreFixture  *s,
            gconstpointer  data)
{
  g_autoptr(BtBacktestResult) r = NULL;
  g_autoptr(BtBacktestResult) found = NULL;
  g_autoptr(BtBacktestResult) missing = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = bt_backtest_config_hash (&s->run.config);

  /* the run carries the history's data version into the store */
  s->run.f->history->data_version = 7;
  r = store_fixture_save_run (s);
  g_assert_cmpuint (r->data_version, ==, 7);

  found = bt_backtest_store_find (s->store, hash, 7, r->first_day, r->last_day, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->id, ==, r->id);
  g_assert_cmpmem (&found->metrics, sizeof found->metrics, &r->metrics, sizeof r->metrics);
  assert_same_output (r, found, bt_backtest_result_equity_csv);
  assert_same_output (r, found, bt_backtest_result_trades_csv);
  assert_same_output (r, found, bt_backtest_result_to_json);

  /* another data version or period is not the same request */
  missing = bt_backtest_store_find (s->store, hash, 8, r->first_day, r->last_day, &error);
  g_assert_no_error (error);
  g_assert_null (missing);

  list = bt_backtest_store_list (s->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpuint (r->trades->len, >, 0);
  g_assert_cmpint (count_run_rows (s->store, "backtest_equity", r->id), ==, r->n_days);
  g_assert_cmpint (count_run_rows (s->store, "backtest_trades", r->id), ==, r->trades->len);
  g_assert_true (bt_backtest_store_delete (s->store, r->id, &error));
  g_assert_no_error (error);
  /* its trades and equity went with it */
  g_assert_cmpint (count_run_rows (s->store, "backtest_equity", r->id), ==, 0);
  g_assert_cmpint (count_run_rows (s->store, "backtest_trades", r->id), ==, 0);
  g_assert_false (bt_backtest_store_delete (s->store, r->id, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (bt_backtest_store_load (s->store, r->id, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND);
}

/* ---- the adaptive profile's rules in a run (docs/rulebook.md §5) -------- */

/* Day I of a flat market at 100: MARKET, EMA-144 distance DIST, RSI, with
 * every item score missing except the EMA system when CONFIDENCE is 0. */
static void
adaptive_day (Fixture *f,
              guint    i,
              double   market,
              double   confidence,
              double   dist,
              double   rsi)
{
  fixture_day (f, i, 100, 100, 100, 'H');
  set_indicator (f, BT_IND_EMA_144_1D, i, 100 / (1 + dist / 100));
  set_indicator (f, BT_IND_RSI_DAILY, i, rsi);
  f->scores[i].market = market;
  f->scores[i].confidence = confidence;
  for (guint k = 0; k < BT_N_ITEMS; k++)
    f->scores[i].item_score[k] = confidence > 0 || k == BT_ITEM_EMA_SYSTEM ? 50 : NAN;
}

/* Days 0–2 are blocked by confidence (every input but the EMA system
 * missing); from day 3 the market is 30 with the price 1 % under its EMA:
 * the low-market rule halves the position each day, 1 → 0.5 → 0.25 →
 * 0.125 → 0.0625 (days 4–7), and on day 7 halving would leave 0.03125×,
 * less than the 5 % minimum trade, so it exits (day 8).  No costs. */
static void
test_adaptive_min_trade_gating (Run           *t,
                                gconstpointer  data)
{
  const guint n = GPOINTER_TO_UINT (data);
  Fixture *f = t->f;
  const BtBacktestResult *r;
  g_autoptr(BtBacktestResult) seed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  static const double lev[] = { 1, 1, 1, 1, 0.5, 0.25, 0.125, 0.0625, 0, 0 };

  for (guint i = 0; i < n; i++)
    adaptive_day (f, i, i < 3 ? NAN : 30, i < 3 ? 0 : 100, -1, 50);
  r = run (t);
  for (guint i = 0; i < n; i++)
    assert_close (r->leverage[i], lev[i]);
  g_assert_cmpuint (r->trades->len, ==, 6);
  g_assert_cmpint (trade_at (r, 5)->action, ==, BT_ACTION_EXIT);
  g_assert_cmpint (trade_at (r, 5)->day, ==, f->history->first_day + 8);
  for (guint i = 1; i < r->trades->len; i++)
    g_assert_cmpfloat (-trade_at (r, i)->btc_amount * 100, >=, 0.05 * 10000 - 1e-9);
  /* gating: three blocked days, each missing every item but the EMA system */
  assert_close (r->metrics.blocked_days, 3);
  for (guint k = 0; k < BT_N_ITEMS; k++)
    assert_close (r->metrics.blocked_missing[k], k == BT_ITEM_EMA_SYSTEM ? 0 : 3);
  assert_close (r->metrics.max_days_above_cap, 0);
  json = bt_backtest_result_to_json (r);
  g_assert_nonnull (strstr (json, "\"blocked_days\":3"));
  g_assert_nonnull (strstr (json, "\"blocked_missing\":{\"mvrv_z_score\":3,"));
  g_assert_null (strstr (json, "\"ema_system\":3"));
  {
    g_autofree char *m = bt_backtest_metrics_to_json (&r->metrics);
    BtBacktestMetrics back;

    g_assert_true (bt_backtest_metrics_from_json (&back, m, &error));
    g_assert_true (memcmp (&back, &r->metrics, sizeof back) == 0);
  }

  /* the seed keeps halving: 0.03125× and 0.015625× on days 8 and 9 */
  config_for (&t->config, 0, 0, 0);
  seed = run_ok (f, &t->config);
  g_assert_cmpuint (seed->trades->len, ==, 7);
  assert_close (seed->leverage[9], 0.015625);
}

/* Day 0 invested at 1.0×; day 0's close: market 85, price on its EMA, RSI
 * 40 → ADD 12.5 % → 1.125× on day 1; from day 1 the market is 55 (ladder
 * 1.0×): the close of day 1 is above the cap, trimmed at day 2's open.
 * The seed holds 1.125× to the end. */
static void
test_adaptive_trim (Run           *t,
                    gconstpointer  data)
{
  const guint n = GPOINTER_TO_UINT (data);
  Fixture *f = t->f;
  const BtBacktestResult *r;
  g_autoptr(BtBacktestResult) seed = NULL;

  for (guint i = 0; i < n; i++)
    adaptive_day (f, i, i == 0 ? 85 : 55, 100, i == 0 ? 0 : 20, i == 0 ? 40 : 60);
  r = run (t);
  assert_close (r->leverage[1], 1.125);
  assert_close (r->leverage[2], 1.0);
  assert_close (r->leverage[n - 1], 1.0);
  g_assert_cmpint (trade_at (r, 2)->action, ==, BT_ACTION_REDUCE);
  g_assert_nonnull (strstr (trade_at (r, 2)->reason, "Above the cap"));
  assert_close (r->metrics.max_days_above_cap, 1);

  config_for (&t->config, 0, 0, 0);
  seed = run_ok (f, &t->config);
  assert_close (seed->leverage[n - 1], 1.125);
  assert_close (seed->metrics.max_days_above_cap, n - 1);
}

/* The span of the data: days 0–1 have no close, 2–4 a close but a
 * confidence under the rules' 50, 5–14 everything, 15–16 a close only,
 * 17–19 nothing. */
static void
test_inputs_span (Run           *t,
                  gconstpointer  data)
{
  Fixture *f = t->f;
  BtDay price_first, price_last, rules_first, rules_last;
  BtDay d0 = f->history->first_day;

  f->inputs.score_rules = &f->rules;
  for (guint i = 2; i <= 16; i++)
    fixture_day (f, i, 100, 99, 100, 'H');
  for (guint i = 2; i <= 4; i++)
    f->scores[i].confidence = 49.9;
  for (guint i = 15; i <= 16; i++)
    f->scores[i].market = NAN;
  g_assert_true (bt_backtest_inputs_span (&f->inputs, &price_first, &price_last, &rules_first,
                                          &rules_last));
  g_assert_cmpint (price_first, ==, d0 + 2);
  g_assert_cmpint (price_last, ==, d0 + 16);
  g_assert_cmpint (rules_first, ==, d0 + 5);
  g_assert_cmpint (rules_last, ==, d0 + 14);
  /* a confidence of exactly the minimum decides */
  f->scores[4].confidence = 50;
  g_assert_true (bt_backtest_inputs_span (&f->inputs, NULL, NULL, &rules_first, NULL));
  g_assert_cmpint (rules_first, ==, d0 + 4);
  /* no day the rules can use */
  for (guint i = 0; i < 20; i++)
    f->scores[i].confidence = 0;
  g_assert_true (bt_backtest_inputs_span (&f->inputs, NULL, NULL, &rules_first, &rules_last));
  g_assert_cmpint (rules_first, ==, BT_DAY_INVALID);
  g_assert_cmpint (rules_last, ==, BT_DAY_INVALID);
  /* no close at all */
  for (guint i = 0; i < 20; i++)
    f->history->input[BT_INPUT_CLOSE][i] = NAN;
  g_assert_false (bt_backtest_inputs_span (&f->inputs, &price_first, NULL, NULL, NULL));
  g_assert_cmpint (price_first, ==, BT_DAY_INVALID);
}

/* The one run S's store lists is named NAME. */
static void
assert_listed_name (StoreFixture *s,
                    const char   *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = bt_backtest_store_list (s->store, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (((BtBacktestRunInfo *) list->pdata[0])->name, ==, name);
}

/* Saved runs are named after their period and cap, and renamed. */
static void
test_store_names (StoreFixture  *s,
                  gconstpointer  data)
{
  g_autoptr(BtBacktestResult) r = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *cash = NULL;
  char a[16], b[16];

  s->run.config.max_leverage = 1.75;
  s->run.config.start_mode = BT_START_INVESTED;
  r = store_fixture_save_run (s);
  expected = g_strdup_printf ("%s – %s · 1.75×", bt_day_format (r->first_day, a),
                              bt_day_format (r->last_day, b));
  list = bt_backtest_store_list (s->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((BtBacktestRunInfo *) list->pdata[0])->name, ==, expected);
  /* the settings travel with the listing */
  g_assert_nonnull (strstr (((BtBacktestRunInfo *) list->pdata[0])->config_json,
                            "\"max_leverage\":1.75"));
  s->run.config.start_mode = BT_START_CASH;
  cash = bt_backtest_default_name (&s->run.config, bt_day_from_ymd (2020, 1, 1),
                                   bt_day_from_ymd (2021, 6, 30));
  g_assert_cmpstr (cash, ==, "2020-01-01 – 2021-06-30 · 1.75× · in cash");

  /* renamed (trimmed); an empty name or an unknown run is refused */
  g_assert_true (bt_backtest_store_rename (s->store, r->id, "  Cycle 2017 ", &error));
  g_assert_no_error (error);
  assert_listed_name (s, "Cycle 2017");
  g_assert_false (bt_backtest_store_rename (s->store, r->id, " \t ", &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (bt_backtest_store_rename (s->store, "no-such-run", "A", &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_listed_name (s, "Cycle 2017");
}

int
main (int   argc,
      char *argv[])
{
  /* a test on a Run of N_DAYS days made by SETUP, else on a StoreFixture */
  static const struct
  {
    const char *path;
    guint       n_days;
    void      (*setup) (Run *, gconstpointer);
    void      (*test) (Run *, gconstpointer);
    void      (*store_test) (StoreFixture *, gconstpointer);
  } tests[] = {
    { "/core/backtest/hand-series", 5, hand_setup, test_hand_series },
    { "/core/backtest/liquidation", 5, liquidation_setup, test_liquidation },
    { "/core/backtest/liquidation-full", 4, liquidation_setup, test_liquidation_full },
    { "/core/backtest/liquidation-cascade", 3, liquidation_setup, test_liquidation_cascade },
    { "/core/backtest/cash-start", 4, hand_setup, test_cash_start },
    { "/core/backtest/known-curve", G_N_ELEMENTS (known_closes), hand_setup, test_known_curve },
    { "/core/backtest/random-consistency", 600, random_setup, test_random_consistency },
    { "/core/backtest/look-ahead", 400, random_setup, test_look_ahead },
    { "/core/backtest/determinism", 500, random_setup, test_determinism },
    { "/core/backtest/async", 300, random_setup, test_async },
    { "/core/backtest/sweep-equals-single", 400, random_setup, test_sweep_equals_single },
    { "/core/backtest/cancel", 2000, random_setup, test_cancel },
    { "/core/backtest/validation", 3, hand_setup, test_validation },
    { "/core/backtest/store", .store_test = test_store },
    { "/core/backtest/adaptive-min-trade-gating", 10, adaptive_setup, test_adaptive_min_trade_gating },
    { "/core/backtest/adaptive-trim", 8, adaptive_setup, test_adaptive_trim },
    { "/core/backtest/store-names", .store_test = test_store_names },
    { "/core/backtest/inputs-span", 20, hand_setup, test_inputs_span },
  };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    {
      if (tests[i].test != NULL)
        g_test_add (tests[i].path, Run, GUINT_TO_POINTER (tests[i].n_days), tests[i].setup,
                    tests[i].test, run_teardown);
      else
        g_test_add (tests[i].path, StoreFixture, NULL, store_fixture_setup, tests[i].store_test,
                    store_fixture_teardown);
    }
  return g_test_run ();
}
