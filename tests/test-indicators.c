/* test-indicators.c: the indicator kernels and bt_indicators_compute().
 *
 * Every expected value is obtained independently of src/core/bt-indicators.c:
 * worked by hand (arithmetic in the comments) or by the naive references
 * below, which recompute each definition literally (TA-Lib's formulas, in
 * long double, Bollinger with a two-pass standard deviation per window,
 * weekly/monthly series rebuilt explicitly for each day, expanding SD
 * recomputed from scratch for each day).
 */
#include <math.h>
#include <string.h>

#include "bt-base.h"
#include "bt-indicators.h"
#include "bt-test-util.h"
#include "bt-indicators-private.h"
#include "bt-rules.h"

/* ---- comparison helpers ------------------------------------------------- */

/* GOT is WANT within TOL, relative to WANT; NAN matches only NAN.  Not
 * STRICT: relative to max (1, |WANT|) as well (for values near 0 and 1);
 * STRICT: relative to |WANT| alone (for values far from 1, e.g. prices
 * ~1e4), absolute around 0. */
static gboolean
close_to (double   got,
          double   want,
          double   tol,
          gboolean strict)
{
  if (isnan (want))
    return isnan (got);
  if (isnan (got))
    return FALSE;
  if (strict)
    return want == 0.0 ? fabs (got) <= tol : fabs (got - want) <= tol * fabs (want);
  return fabs (got - want) <= tol * MAX (1.0, fabs (want)) ||
         fabs (got - want) <= tol * fabs (want);
}

/* Fails with the index and both values when GOT is not close to WANT. */
#define assert_close(strict, got, want, tol, what, i)                           \
  G_STMT_START {                                                                \
    double g_ = (got), w_ = (want);                                             \
    if (!close_to (g_, w_, (tol), (strict)))                                    \
      g_error ("%s[%" G_GSIZE_FORMAT "]: got %.17g, want %.17g", (what),        \
               (gsize) (i), g_, w_);                                            \
  } G_STMT_END
#define assert_rel(got, want, tol, what, i) assert_close (FALSE, got, want, tol, what, i)
#define assert_strict(got, want, tol, what, i) assert_close (TRUE, got, want, tol, what, i)

/* ---- naive references --------------------------------------------------- */

/* TA-Lib's EMA, literally: seed = SMA of the first N, then prev + k (x − prev) */
static void
ref_ema (const double *in,
         gsize         n,
         guint         period,
         double       *out)
{
  long double k = 2.0L / (period + 1.0L), prev = 0.0L;

  for (gsize i = 0; i < n; i++)
    {
      if (i + 1 < period)
        out[i] = NAN;
      else if (i + 1 == period)
        {
          long double s = 0.0L;

          for (gsize j = 0; j < period; j++)
            s += in[j];
          prev = s / period;
          out[i] = (double) prev;
        }
      else
        {
          prev = prev + k * (in[i] - prev);
          out[i] = (double) prev;
        }
    }
}

/* TA-Lib's RSI, literally: first value on the (N+1)-th close; averages
 * seeded with the mean of the first N gains/losses, then
 * avg = (avg (N − 1) + new) / N; 50 when both averages are 0. */
static void
ref_rsi (const double *in,
         gsize         n,
         guint         period,
         double       *out)
{
  long double g = 0.0L, l = 0.0L;

  for (gsize i = 0; i < n; i++)
    {
      long double d = i > 0 ? (long double) in[i] - in[i - 1] : 0.0L;
      long double gain = d > 0 ? d : 0.0L, loss = d < 0 ? -d : 0.0L;

      out[i] = NAN;
      if (i == 0)
        continue;
      if (i <= period)
        {
          g += gain;
          l += loss;
          if (i < period)
            continue;
          g /= period;
          l /= period;
        }
      else
        {
          g = (g * (period - 1) + gain) / period;
          l = (l * (period - 1) + loss) / period;
        }
      out[i] = g + l > 0 ? (double) (100.0L * g / (g + l)) : 50.0;
    }
}

/* mean and population SD of one window, two passes in long double */
static void
ref_window (const double *w,
            gsize         n,
            double       *mean,
            double       *sd)
{
  long double s = 0.0L, q = 0.0L, m;

  for (gsize j = 0; j < n; j++)
    s += w[j];
  m = s / n;
  for (gsize j = 0; j < n; j++)
    q += ((long double) w[j] - m) * ((long double) w[j] - m);
  *mean = (double) m;
  *sd = (double) sqrtl (q / n);
}

static void
ref_bbands (const double *in,
            gsize         n,
            guint         period,
            double        k,
            double       *upper,
            double       *middle,
            double       *lower)
{
  for (gsize i = 0; i < n; i++)
    {
      double m, sd;

      if (i + 1 < period)
        {
          upper[i] = middle[i] = lower[i] = NAN;
          continue;
        }
      ref_window (in + i + 1 - period, period, &m, &sd);
      middle[i] = m;
      upper[i] = (double) ((long double) m + (long double) k * sd);
      lower[i] = (double) ((long double) m - (long double) k * sd);
    }
}

/* seeded random walk around PRICE, multiplicative steps of about STEP */
static double *
random_walk (guint32 seed,
             gsize   n,
             double  price,
             double  step)
{
  GRand *r = g_rand_new_with_seed (seed);
  double *x = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    {
      price *= 1.0 + step * (g_rand_double (r) * 2.0 - 1.0);
      x[i] = price;
    }
  g_rand_free (r);
  return x;
}

/* ---- kernels: hand-worked ------------------------------------------------ */

static void
test_sma_hand (void)
{
  /* SMA(3) of 1, 2, 4, 8, 16: (1+2+4)/3 = 7/3, (2+4+8)/3 = 14/3, (4+8+16)/3 = 28/3 */
  const double in[] = { 1, 2, 4, 8, 16 };
  double out[5];

  bt_sma (in, 5, 3, out);
  g_assert_true (isnan (out[0]) && isnan (out[1]));
  g_assert_cmpfloat_with_epsilon (out[2], 7.0 / 3.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (out[3], 14.0 / 3.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (out[4], 28.0 / 3.0, 1e-14);

  /* n < period: all missing */
  bt_sma (in, 2, 3, out);
  g_assert_true (isnan (out[0]) && isnan (out[1]));
}

static void
test_ema_hand (void)
{
  /* EMA(3) of 1..10: k = 2/(3+1) = 0.5; seed at index 2 = (1+2+3)/3 = 2;
   * index 3: 2 + 0.5 (4 − 2) = 3; index 4: 3 + 0.5 (5 − 3) = 4; ... so the
   * EMA at index i (i >= 2) is i − 1 + ... = i: 2, 3, 4, 5, 6, 7, 8, 9. */
  double in[10], out[10];
  /* EMA(4) of 2, 4, 6, 8, 10, 12, 3: k = 2/5 = 0.4; seed (2+4+6+8)/4 = 5;
   * 5 + 0.4 (10 − 5) = 7; 7 + 0.4 (12 − 7) = 9; 9 + 0.4 (3 − 9) = 6.6 */
  const double in2[] = { 2, 4, 6, 8, 10, 12, 3 };
  double out2[7];

  for (int i = 0; i < 10; i++)
    in[i] = i + 1;
  bt_ema (in, 10, 3, out);
  g_assert_true (isnan (out[0]) && isnan (out[1]));
  for (int i = 2; i < 10; i++)
    g_assert_cmpfloat_with_epsilon (out[i], (double) i, 1e-12);

  bt_ema (in2, 7, 4, out2);
  for (int i = 0; i < 3; i++)
    g_assert_true (isnan (out2[i]));
  g_assert_cmpfloat_with_epsilon (out2[3], 5.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (out2[4], 7.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (out2[5], 9.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (out2[6], 6.6, 1e-12);

  /* n < period: all missing; n == period: only the seed */
  bt_ema (in, 2, 3, out);
  g_assert_true (isnan (out[0]) && isnan (out[1]));
  bt_ema (in, 3, 3, out);
  g_assert_true (isnan (out[1]));
  g_assert_cmpfloat_with_epsilon (out[2], 2.0, 1e-12);
}

static void
test_rsi_hand (void)
{
  /* 20 closes: 10, then changes +1, −1 seven times each, then +2, −3, 0, +1, +1:
   * 10 11 10 11 10 11 10 11 10 11 10 11 10 11 10 12 9 9 10 11.
   * Seed (index 14): gains 7 × 1 / 14 = 1/2, losses 7 × 1 / 14 = 1/2
   *   → RSI = 100 · 0.5 / 1 = 50.
   * index 15 (+2): g = (1/2 · 13 + 2)/14 = 17/28, l = (1/2 · 13)/14 = 13/28
   *   → 100 · 17/30 = 170/3 = 56.6666…
   * index 16 (−3): g = (17/28 · 13)/14 = 221/392, l = (13/28 · 13 + 3)/14 = 253/392
   *   → 100 · 221/474 = 11050/237 = 46.6244725738…
   * index 17 (0): both scaled by 13/14 → same ratio, 11050/237
   * index 18 (+1): g = (2873/5488 · 13 + 1)/14 = 42837/76832, l = 42757/76832
   *   → 100 · 42837/85594 = 2141850/42797 = 50.0467322476…
   * index 19 (+1): g = 633713/1075648, l = 555841/1075648
   *   → 100 · 633713/1189554 = 31685650/594777 = 53.2731595203… */
  const double in[20] = { 10, 11, 10, 11, 10, 11, 10, 11, 10, 11,
                          10, 11, 10, 11, 10, 12, 9, 9, 10, 11 };
  const double want[] = { 50.0, 170.0 / 3.0, 11050.0 / 237.0, 11050.0 / 237.0,
                          2141850.0 / 42797.0, 31685650.0 / 594777.0 };
  double out[20];

  bt_rsi (in, 20, 14, out);
  for (int i = 0; i < 14; i++)
    g_assert_true (isnan (out[i]));
  for (int i = 14; i < 20; i++)
    assert_strict (out[i], want[i - 14], 1e-12, "rsi", i);

  /* n <= period: no value (the first needs period + 1 closes) */
  bt_rsi (in, 14, 14, out);
  for (int i = 0; i < 14; i++)
    g_assert_true (isnan (out[i]));
}

static void
test_bbands_hand (void)
{
  /* BB(4, 2) of 1, 2, 3, 4, 5: window 1..4: mean 2.5, deviations ±1.5, ±0.5,
   * variance (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25, sd = √1.25, 2 sd = √5;
   * upper = 2.5 + √5 = 4.7360679…, lower = 2.5 − √5.  Window 2..5: mean 3.5,
   * same sd. */
  const double in[] = { 1, 2, 3, 4, 5 };
  double u[5], m[5], l[5];

  bt_bbands (in, 5, 4, 2.0, u, m, l);
  for (int i = 0; i < 3; i++)
    g_assert_true (isnan (u[i]) && isnan (m[i]) && isnan (l[i]));
  assert_strict (m[3], 2.5, 1e-15, "middle", 3);
  assert_strict (u[3], 2.5 + sqrt (5.0), 1e-15, "upper", 3);
  assert_strict (l[3], 2.5 - sqrt (5.0), 1e-14, "lower", 3);
  assert_strict (m[4], 3.5, 1e-15, "middle", 4);
  assert_strict (u[4], 3.5 + sqrt (5.0), 1e-15, "upper", 4);
  assert_strict (l[4], 3.5 - sqrt (5.0), 1e-14, "lower", 4);

  bt_bbands (in, 3, 4, 2.0, u, m, l);
  for (int i = 0; i < 3; i++)
    g_assert_true (isnan (u[i]) && isnan (m[i]) && isnan (l[i]));
}

static void
test_edge_constant_rising (void)
{
  double flat[60], rise[60], out[60], u[60], m[60], l[60];

  for (int i = 0; i < 60; i++)
    {
      flat[i] = 43210.5;
      rise[i] = 100.0 + 3.0 * i;
    }

  /* constant: no gains, no losses → 50; SD 0 → upper = middle = lower */
  bt_rsi (flat, 60, 14, out);
  for (int i = 14; i < 60; i++)
    g_assert_cmpfloat (out[i], ==, 50.0);
  bt_bbands (flat, 60, 20, 2.0, u, m, l);
  for (int i = 19; i < 60; i++)
    {
      g_assert_cmpfloat (m[i], ==, 43210.5);
      g_assert_cmpfloat (u[i], ==, 43210.5);
      g_assert_cmpfloat (l[i], ==, 43210.5);
    }
  bt_ema (flat, 60, 17, out);
  for (int i = 16; i < 60; i++)
    g_assert_cmpfloat_with_epsilon (out[i], 43210.5, 1e-9);

  /* only rises: average loss 0 → 100 */
  bt_rsi (rise, 60, 14, out);
  for (int i = 14; i < 60; i++)
    g_assert_cmpfloat (out[i], ==, 100.0);
  /* only falls → 0 */
  for (int i = 0; i < 60; i++)
    rise[i] = 1000.0 - 3.0 * i;
  bt_rsi (rise, 60, 14, out);
  for (int i = 14; i < 60; i++)
    g_assert_cmpfloat (out[i], ==, 0.0);

  /* empty input and period 0 do nothing harmful */
  bt_ema (flat, 0, 17, out);
  bt_rsi (flat, 0, 14, out);
  bt_bbands (flat, 0, 20, 2.0, u, m, l);
  bt_ema (flat, 5, 0, out);
  g_assert_true (isnan (out[0]) && isnan (out[4]));
}

/* ---- kernels: long series against the references ------------------------ */

static void
check_kernels_against_refs (const double *x,
                            gsize         n,
                            const char   *label)
{
  g_autofree double *a = g_new (double, n), *b = g_new (double, n);
  g_autofree double *u = g_new (double, n), *m = g_new (double, n), *l = g_new (double, n);
  g_autofree double *ru = g_new (double, n), *rm = g_new (double, n), *rl = g_new (double, n);
  const guint periods[] = { 17, 144, 610 };

  g_test_message ("%s: %" G_GSIZE_FORMAT " bars", label, n);
  for (guint p = 0; p < G_N_ELEMENTS (periods); p++)
    {
      bt_ema (x, n, periods[p], a);
      ref_ema (x, n, periods[p], b);
      for (gsize i = 0; i < n; i++)
        assert_strict (a[i], b[i], 1e-9, "ema", i);
    }

  bt_sma (x, n, 20, a);
  bt_bbands (x, n, 20, 2.0, u, m, l);
  ref_bbands (x, n, 20, 2.0, ru, rm, rl);
  for (gsize i = 0; i < n; i++)
    {
      assert_strict (a[i], rm[i], 1e-12, "sma", i);
      assert_strict (m[i], rm[i], 1e-12, "bb middle", i);
      assert_strict (u[i], ru[i], 1e-9, "bb upper", i);
      assert_strict (l[i], rl[i], 1e-9, "bb lower", i);
      /* the band's half-width is the SD: accurate against the price level */
      if (i >= 19 && fabs ((u[i] - m[i]) - (ru[i] - rm[i])) > 1e-10 * rm[i])
        g_error ("bb width[%" G_GSIZE_FORMAT "]: got %.17g, want %.17g",
                 i, u[i] - m[i], ru[i] - rm[i]);
    }

  bt_rsi (x, n, 14, a);
  ref_rsi (x, n, 14, b);
  for (gsize i = 0; i < n; i++)
    assert_rel (a[i], b[i], 1e-9, "rsi", i);
}

static void
test_kernels_random_walk (void)
{
  gsize n = 100000;
  g_autofree double *x = random_walk (20240601, n, 30000.0, 0.02);

  check_kernels_against_refs (x, n, "random walk");
}

static void
test_bbands_hard_cases (void)
{
  /* Price ~1e5 with tiny noise, flat stretches after large jumps (where
   * the true variance collapses to 0 while rolling sums still remember
   * the jump), and a slow climb from 1e4 to 1e5: the bands must still
   * match the two-pass definition. */
  gsize n = 20000;
  g_autofree double *x = g_new (double, n);
  GRand *r = g_rand_new_with_seed (7);

  for (gsize i = 0; i < n; i++)
    {
      gsize phase = (i / 500) % 4;

      if (phase == 0)
        x[i] = 1e5 + 1e-3 * g_rand_double (r);
      else if (phase == 1)
        x[i] = (i / 37) % 2 ? 98000.0 : 52000.0;        /* jumps, then flat */
      else if (phase == 2)
        x[i] = 1e4 + 9e4 * (double) (i % 500) / 500.0;  /* steady climb */
      else
        x[i] = 65432.125;                               /* perfectly flat */
    }
  check_kernels_against_refs (x, n, "hard cases");
  g_rand_free (r);
}

/* The Coin Metrics price history beside the checkout (read in place, never
 * copied): real closes (2013-04-28 to 2019-03-28) through the kernels
 * and the references.  Skipped when the file is absent. */
static void
test_kernels_real_history (void)
{
  g_auto (GStrv) lines = bt_test_read_shared_lines ("coinmetrics-btc-2009-2019.csv", NULL);
  GArray *prices;
  int col;

  if (lines == NULL)
    return;
  col = bt_test_csv_column (lines[0], "price(USD)");
  g_assert_cmpint (col, >=, 0);

  prices = g_array_new (FALSE, FALSE, sizeof (double));
  for (int li = 1; lines[li] != NULL; li++)
    {
      g_auto (GStrv) f = g_strsplit (g_strstrip (lines[li]), ",", -1);
      double v;

      if ((int) g_strv_length (f) > col && bt_parse_double (f[col], &v))
        g_array_append_val (prices, v);
    }
  g_assert_cmpuint (prices->len, >, 2000);
  check_kernels_against_refs ((const double *) prices->data, prices->len, "Coin Metrics closes");
  g_array_unref (prices);
}

static void
test_fused_matches_kernels (void)
{
  gsize n = 100000;
  g_autofree double *x = random_walk (99, n, 20000.0, 0.03);
  g_autofree double *e = g_new (double, n), *r = g_new (double, n);
  g_autofree double *u = g_new (double, n), *m = g_new (double, n), *l = g_new (double, n);
  g_autofree double *e2 = g_new (double, n), *r2 = g_new (double, n);
  g_autofree double *u2 = g_new (double, n), *m2 = g_new (double, n), *l2 = g_new (double, n);
  g_autofree double *re = g_new (double, n), *rr = g_new (double, n);
  const guint combos[][3] = { { 144, 14, 20 }, { 5, 14, 20 }, { 17, 30, 10 }, { 610, 14, 20 } };

  for (guint c = 0; c < G_N_ELEMENTS (combos); c++)
    {
      gsize len = c == 1 ? 12 : n;   /* also a series shorter than some periods */

      bt_fused_ema_rsi_bb (x, len, combos[c][0], combos[c][1], combos[c][2], 2.0, e, r, u, m, l);
      bt_ema (x, len, combos[c][0], e2);
      bt_rsi (x, len, combos[c][1], r2);
      bt_bbands (x, len, combos[c][2], 2.0, u2, m2, l2);
      ref_ema (x, len, combos[c][0], re);
      ref_rsi (x, len, combos[c][1], rr);
      for (gsize i = 0; i < len; i++)
        {
          assert_strict (e[i], e2[i], 1e-12, "fused ema", i);
          assert_strict (r[i], r2[i], 1e-12, "fused rsi", i);
          assert_strict (u[i], u2[i], 1e-12, "fused upper", i);
          assert_strict (m[i], m2[i], 1e-12, "fused middle", i);
          assert_strict (l[i], l2[i], 1e-12, "fused lower", i);
          assert_strict (e[i], re[i], 1e-9, "fused ema vs reference", i);
          assert_rel (r[i], rr[i], 1e-9, "fused rsi vs reference", i);
        }
    }
}

/* ---- bt_indicators_compute ---------------------------------------------- */

#define FIRST_DAY 16071   /* 2014-01-01, a Wednesday */

static void
init_rules (BtRules *rules)
{
  bt_rules_init_default (rules);
  /* SCORING.md §1: daily 2 days, weekly 8, monthly 35 */
  g_assert_cmpfloat (rules->fresh_daily_days, ==, 2.0);
  g_assert_cmpfloat (rules->fresh_weekly_days, ==, 8.0);
  g_assert_cmpfloat (rules->fresh_monthly_days, ==, 35.0);
}

/* A synthetic history of N days: closes with gaps (single days, a 4-day gap,
 * a 12-day gap that skips a whole ISO week, a 40-day gap that skips a whole
 * month), market cap on most days, realized cap on some (MVRV ratio on the
 * others), issuance, netflow, SOPR, long/short, funding. */
static BtHistory *
make_history (guint32 seed,
              guint   n)
{
  BtHistory *h = bt_history_new (FIRST_DAY, n);
  GRand *r = g_rand_new_with_seed (seed);
  double price = 800.0, mcap = 1e10;

  for (guint i = 0; i < n; i++)
    {
      gboolean gap = (i % 23 == 5) || (i >= 300 && i < 304) || (i >= 700 && i < 712) ||
                     (i >= 1000 && i < 1040) || i < 3;

      price *= 1.0 + 0.04 * (g_rand_double (r) * 2.0 - 1.0);
      mcap = price * 1.6e7 * (1.0 + 0.001 * g_rand_double (r));
      if (!gap)
        {
          h->input[BT_INPUT_CLOSE][i] = price;
          h->input_source[BT_INPUT_CLOSE][i] = i % 50 == 7 ? BT_SOURCE_IMPORT : BT_SOURCE_BINANCE;
        }
      if (i % 17 != 3 && i >= 10)
        {
          h->input[BT_INPUT_MARKET_CAP][i] = mcap;
          h->input_source[BT_INPUT_MARKET_CAP][i] = BT_SOURCE_COINMETRICS;
          if (i % 3 == 0)
            {
              h->input[BT_INPUT_REALIZED_CAP][i] = mcap / (1.2 + g_rand_double (r));
              h->input_source[BT_INPUT_REALIZED_CAP][i] = BT_SOURCE_COINMETRICS;
            }
          else if (i % 3 == 1)
            {
              h->input[BT_INPUT_MVRV_RATIO][i] = 0.8 + 2.0 * g_rand_double (r);
              h->input_source[BT_INPUT_MVRV_RATIO][i] = BT_SOURCE_COINMETRICS;
            }
        }
      if (i % 11 != 4)
        {
          h->input[BT_INPUT_ISSUANCE_USD][i] = 1800.0 * price * (0.9 + 0.2 * g_rand_double (r));
          h->input_source[BT_INPUT_ISSUANCE_USD][i] = BT_SOURCE_COINMETRICS;
        }
      if (i % 9 != 0 && !(i >= 500 && i < 510))
        {
          h->input[BT_INPUT_NETFLOW][i] = 10000.0 * (g_rand_double (r) - 0.5);
          h->input_source[BT_INPUT_NETFLOW][i] = BT_SOURCE_COINMETRICS;
          h->input[BT_INPUT_STH_SOPR][i] = 0.95 + 0.1 * g_rand_double (r);
          h->input_source[BT_INPUT_STH_SOPR][i] = BT_SOURCE_BGEOMETRICS;
          h->input[BT_INPUT_LONG_SHORT][i] = 0.8 + g_rand_double (r);
          h->input_source[BT_INPUT_LONG_SHORT][i] = BT_SOURCE_BINANCE_FUTURES;
        }
      if (i % 13 != 0 && !(i >= 600 && i < 609))
        {
          h->input[BT_INPUT_FUNDING_COUNT][i] = 1 + g_rand_int_range (r, 0, 3);
          h->input[BT_INPUT_FUNDING_SUM][i] = h->input[BT_INPUT_FUNDING_COUNT][i] *
                                              (0.01 + 0.02 * (g_rand_double (r) - 0.5));
          h->input_source[BT_INPUT_FUNDING_SUM][i] = BT_SOURCE_BINANCE_FUTURES;
        }
    }
  g_rand_free (r);
  return h;
}

/* index of the newest day <= I with a close, or -1 */
static gssize
last_close_day (const BtHistory *h,
                gsize            i)
{
  for (gssize j = (gssize) i; j >= 0; j--)
    if (isfinite (h->input[BT_INPUT_CLOSE][j]))
      return j;
  return -1;
}

static BtFlag
expected_flag (gsize   age,
               double  limit,
               guint8  source)
{
  if ((double) age > limit)
    return BT_FLAG_STALE;
  if (source == BT_SOURCE_IMPORT || source == BT_SOURCE_V1)
    return BT_FLAG_IMPORTED;
  return BT_FLAG_OK;
}

typedef BtDay (*BucketFunc) (BtDay day);

/* The live resampled series of day T (a close day), built explicitly:
 * closes of completed buckets before T's bucket + close_T. */
static gsize
build_live_series (const BtHistory *h,
                   gsize            t,
                   BucketFunc       bucket,
                   double          *out)
{
  BtDay bt = bucket (h->first_day + (BtDay) t);
  BtDay cur = BT_DAY_INVALID;
  gsize m = 0;

  for (gsize j = 0; j < t; j++)
    {
      BtDay b;

      if (!isfinite (h->input[BT_INPUT_CLOSE][j]))
        continue;
      b = bucket (h->first_day + (BtDay) j);
      if (b >= bt)
        break;
      if (b != cur)
        {
          cur = b;
          m++;
        }
      out[m - 1] = h->input[BT_INPUT_CLOSE][j];
    }
  out[m] = h->input[BT_INPUT_CLOSE][t];
  return m + 1;
}

/* A synthetic history (make_history) and its indicators under the default
 * rules, for the tests of bt_indicators_compute. */
typedef struct
{
  guint             n;
  BtRules           rules;
  BtHistory        *h;
  BtIndicatorTable *t;
} Computed;

/* The seed of make_history and the number of days. */
typedef struct
{
  guint32 seed;
  guint   n;
} ComputedCase;

static void
computed_setup (Computed      *f,
                gconstpointer  data)
{
  const ComputedCase *c = data;

  f->n = c->n;
  f->h = make_history (c->seed, c->n);
  f->t = bt_indicator_table_new (FIRST_DAY, c->n);
  init_rules (&f->rules);
  bt_indicators_compute (f->h, &f->rules, f->t);
}

static void
computed_teardown (Computed      *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->h, bt_history_free);
  g_clear_pointer (&f->t, bt_indicator_table_free);
}

static void
test_compute_prices (Computed      *f,
                     gconstpointer  data)
{
  g_autofree double *closes = g_new (double, f->n), *ref = g_new (double, f->n);
  g_autofree double *ru = g_new (double, f->n), *rm = g_new (double, f->n), *rl = g_new (double, f->n);
  g_autofree double *series = g_new (double, f->n + 1), *tmp = g_new (double, f->n + 1);
  g_autofree gint32 *idx = g_new (gint32, f->n);
  gsize nc = 0;

  for (gsize i = 0; i < f->n; i++)
    if (isfinite (f->h->input[BT_INPUT_CLOSE][i]))
      {
        closes[nc] = f->h->input[BT_INPUT_CLOSE][i];
        idx[nc++] = (gint32) i;
      }

  /* daily indicators: references over the compacted closes */
  for (guint p = 0; p < BT_N_EMA_PERIODS; p++)
    {
      ref_ema (closes, nc, bt_ema_periods[p], ref);
      for (gsize j = 0; j < nc; j++)
        assert_strict (f->t->value[BT_IND_EMA_17_1D + p][idx[j]], ref[j], 1e-9, "ema_1d", idx[j]);
    }
  ref_rsi (closes, nc, 14, ref);
  for (gsize j = 0; j < nc; j++)
    assert_rel (f->t->value[BT_IND_RSI_DAILY][idx[j]], ref[j], 1e-9, "rsi_daily", idx[j]);
  ref_bbands (closes, nc, 20, 2.0, ru, rm, rl);
  for (gsize j = 0; j < nc; j++)
    {
      gsize i = idx[j];

      g_assert_cmpfloat (f->t->value[BT_IND_BTC_PRICE][i], ==, closes[j]);
      assert_strict (f->t->value[BT_IND_BB_UPPER][i], ru[j], 1e-9, "bb_upper", i);
      assert_strict (f->t->value[BT_IND_BB_MIDDLE][i], rm[j], 1e-9, "bb_middle", i);
      assert_strict (f->t->value[BT_IND_BB_LOWER][i], rl[j], 1e-9, "bb_lower", i);
      assert_strict (f->t->value[BT_IND_BBW_PERCENTAGE][i], (ru[j] - rl[j]) / rm[j] * 100.0,
                     1e-8, "bbw", i);
    }

  /* weekly and monthly live bars: the series rebuilt for every close day */
  for (gsize j = 0; j < nc; j++)
    {
      gsize i = idx[j];
      gsize len = build_live_series (f->h, i, bt_day_week_start, series);

      for (guint p = 0; p < BT_N_EMA_PERIODS; p++)
        {
          ref_ema (series, len, bt_ema_periods[p], tmp);
          assert_strict (f->t->value[BT_IND_EMA_17_1W + p][i], tmp[len - 1], 1e-9, "ema_1w", i);
        }
      ref_rsi (series, len, 14, tmp);
      assert_rel (f->t->value[BT_IND_RSI_WEEKLY][i], tmp[len - 1], 1e-9, "rsi_weekly", i);

      len = build_live_series (f->h, i, bt_day_month_start, series);
      ref_rsi (series, len, 14, tmp);
      assert_rel (f->t->value[BT_IND_RSI_MONTHLY][i], tmp[len - 1], 1e-9, "rsi_monthly", i);
    }
  /* the test data reach every warm-up: the weekly EMA 144 and the monthly RSI exist */
  g_assert_true (isfinite (f->t->value[BT_IND_EMA_144_1W][f->n - 1]));
  g_assert_true (isfinite (f->t->value[BT_IND_RSI_MONTHLY][f->n - 1]));
  g_assert_true (isnan (f->t->value[BT_IND_EMA_610_1W][f->n - 1]));

  /* gap days: carried from the last close, flags by age; sources */
  for (gsize i = 0; i < f->n; i++)
    {
      gssize c = last_close_day (f->h, i);

      for (guint k = BT_IND_BTC_PRICE; k <= BT_IND_BBW_PERCENTAGE; k++)
        {
          double limit = k == BT_IND_RSI_MONTHLY ? 35.0 :
                         (k == BT_IND_RSI_WEEKLY || (k >= BT_IND_EMA_17_1W && k <= BT_IND_EMA_610_1W)) ? 8.0 : 2.0;

          if (c < 0 || isnan (f->t->value[k][c]))
            {
              g_assert_true (isnan (f->t->value[k][i]));
              g_assert_cmpint (f->t->flag[k][i], ==, BT_FLAG_MISSING);
              g_assert_cmpint (f->t->source[k][i], ==, BT_SOURCE_NONE);
              continue;
            }
          g_assert_cmpfloat (f->t->value[k][i], ==, f->t->value[k][c]);
          g_assert_cmpint (f->t->source[k][i], ==, f->h->input_source[BT_INPUT_CLOSE][c]);
          g_assert_cmpint (f->t->flag[k][i], ==,
                           expected_flag ((gsize) (i - c), limit, f->h->input_source[BT_INPUT_CLOSE][c]));
        }
    }
  /* spot checks of the gap rules: day 1011 is 12 days after the close of day 999 */
  g_assert_cmpint (f->t->flag[BT_IND_BTC_PRICE][1011], ==, BT_FLAG_STALE);
  g_assert_cmpint (f->t->flag[BT_IND_EMA_17_1W][1011], ==, BT_FLAG_STALE);
  g_assert_cmpint (f->t->flag[BT_IND_RSI_MONTHLY][1011], ==, BT_FLAG_OK);
  g_assert_cmpint (f->t->flag[BT_IND_BTC_PRICE][1001], ==, BT_FLAG_OK);
  g_assert_cmpint (f->t->flag[BT_IND_BTC_PRICE][1002], ==, BT_FLAG_STALE);
  g_assert_cmpint (f->t->flag[BT_IND_BTC_PRICE][57], ==, BT_FLAG_IMPORTED);
  g_assert_cmpint (f->t->source[BT_IND_BTC_PRICE][57], ==, BT_SOURCE_IMPORT);
  g_assert_cmpint (f->t->flag[BT_IND_BTC_PRICE][0], ==, BT_FLAG_MISSING);
}

/* a daily-input indicator's own value on day J (NAN where none) */
typedef double (*OwnFunc) (const BtHistory *h,
                           gsize            j,
                           guint8          *source);

static double
own_mvrv_z (const BtHistory *h,
            gsize            j,
            guint8          *source)
{
  const double *mc = h->input[BT_INPUT_MARKET_CAP];
  double real = NAN;
  long double s = 0.0L, q = 0.0L, mean;
  gsize cnt = 0;

  if (!isfinite (mc[j]))
    return NAN;
  if (isfinite (h->input[BT_INPUT_REALIZED_CAP][j]))
    real = h->input[BT_INPUT_REALIZED_CAP][j];
  else if (isfinite (h->input[BT_INPUT_MVRV_RATIO][j]))
    real = mc[j] / h->input[BT_INPUT_MVRV_RATIO][j];
  if (!isfinite (real))
    return NAN;
  /* population SD of every market cap up to and including day j, two passes */
  for (gsize k = 0; k <= j; k++)
    if (isfinite (mc[k]))
      {
        s += mc[k];
        cnt++;
      }
  if (cnt < 2)
    return NAN;
  mean = s / cnt;
  for (gsize k = 0; k <= j; k++)
    if (isfinite (mc[k]))
      q += (mc[k] - mean) * (mc[k] - mean);
  if (q == 0.0L)
    return NAN;
  *source = h->input_source[BT_INPUT_MARKET_CAP][j];
  return (double) (((long double) mc[j] - real) / sqrtl (q / cnt));
}

static double
own_rpr (const BtHistory *h,
         gsize            j,
         guint8          *source)
{
  if (isfinite (h->input[BT_INPUT_MVRV_RATIO][j]))
    {
      *source = h->input_source[BT_INPUT_MVRV_RATIO][j];
      return h->input[BT_INPUT_MVRV_RATIO][j];
    }
  if (isfinite (h->input[BT_INPUT_MARKET_CAP][j]) && isfinite (h->input[BT_INPUT_REALIZED_CAP][j]))
    {
      *source = h->input_source[BT_INPUT_MARKET_CAP][j];
      return h->input[BT_INPUT_MARKET_CAP][j] / h->input[BT_INPUT_REALIZED_CAP][j];
    }
  return NAN;
}

static double
own_puell (const BtHistory *h,
           gsize            j,
           guint8          *source)
{
  const double *iss = h->input[BT_INPUT_ISSUANCE_USD];
  long double s = 0.0L;
  gsize cnt = 0;

  if (!isfinite (iss[j]))
    return NAN;
  for (gssize k = (gssize) j; k >= 0 && cnt < 365; k--)
    if (isfinite (iss[k]))
      {
        s += iss[k];
        cnt++;
      }
  if (cnt < 365)
    return NAN;
  *source = h->input_source[BT_INPUT_ISSUANCE_USD][j];
  return (double) (iss[j] / (s / 365.0L));
}

static void
check_daily_input (const BtHistory        *h,
                   const BtIndicatorTable *t,
                   BtIndicator             ind,
                   OwnFunc                 own,
                   BtInput                 input)
{
  for (gsize i = 0; i < h->n_days; i++)
    {
      double want = NAN;
      guint8 src = BT_SOURCE_NONE;
      gsize age = 0;

      /* newest day <= i with a value of its own */
      for (gssize j = (gssize) i; j >= 0; j--)
        {
          double v;

          if (own != NULL)
            v = own (h, (gsize) j, &src);
          else
            {
              v = h->input[input][j];
              src = h->input_source[input][j];
            }
          if (isfinite (v))
            {
              want = v;
              age = i - (gsize) j;
              break;
            }
        }
      if (isnan (want))
        {
          g_assert_cmpint (t->flag[ind][i], ==, BT_FLAG_MISSING);
          g_assert_true (isnan (t->value[ind][i]));
          continue;
        }
      assert_rel (t->value[ind][i], want, 1e-9, bt_indicator_name (ind), i);
      g_assert_cmpint (t->source[ind][i], ==, src);
      g_assert_cmpint (t->flag[ind][i], ==, expected_flag (age, 2.0, src));
    }
}

static void
test_compute_onchain (Computed      *f,
                      gconstpointer  data)
{
  gsize n_z = 0, n_puell = 0, n_stale = 0;

  check_daily_input (f->h, f->t, BT_IND_MVRV_Z_SCORE, own_mvrv_z, 0);
  check_daily_input (f->h, f->t, BT_IND_REALIZED_PRICE_RATIO, own_rpr, 0);
  check_daily_input (f->h, f->t, BT_IND_PUELL_MULTIPLE, own_puell, 0);
  check_daily_input (f->h, f->t, BT_IND_STH_SOPR, NULL, BT_INPUT_STH_SOPR);
  check_daily_input (f->h, f->t, BT_IND_EXCHANGE_NETFLOW, NULL, BT_INPUT_NETFLOW);
  check_daily_input (f->h, f->t, BT_IND_LONG_SHORT_RATIO, NULL, BT_INPUT_LONG_SHORT);

  for (gsize i = 0; i < f->n; i++)
    {
      n_z += isfinite (f->t->value[BT_IND_MVRV_Z_SCORE][i]);
      n_puell += isfinite (f->t->value[BT_IND_PUELL_MULTIPLE][i]);
      n_stale += f->t->flag[BT_IND_STH_SOPR][i] == BT_FLAG_STALE;
    }
  /* the data exercise the definitions: z from day 11, Puell after 365
   * issuance days, SOPR stale inside the 10-day hole at 500–509 */
  g_assert_cmpuint (n_z, >, f->n - 20);
  g_assert_cmpuint (n_puell, >, 800);
  g_assert_cmpuint (n_stale, >=, 8);
  g_assert_true (isnan (f->t->value[BT_IND_PUELL_MULTIPLE][300]));

  /* hand-worked z: market caps 1, 3 then 5 with realized 2:
   * day 1: mean 2, SD √((1 + 1)/2) = 1, z = (3 − 2)/1 = 1;
   * day 2: mean 3, SD √((4 + 0 + 4)/3) = √(8/3), z = (5 − 2)/√(8/3) = 1.8371173… */
  {
    g_autoptr (BtHistory) h2 = bt_history_new (FIRST_DAY, 3);
    g_autoptr (BtIndicatorTable) t2 = bt_indicator_table_new (FIRST_DAY, 3);

    for (int i = 0; i < 3; i++)
      {
        h2->input[BT_INPUT_MARKET_CAP][i] = 1.0 + 2.0 * i;
        h2->input[BT_INPUT_REALIZED_CAP][i] = 2.0;
      }
    bt_indicators_compute (h2, &f->rules, t2);
    g_assert_true (isnan (t2->value[BT_IND_MVRV_Z_SCORE][0]));
    g_assert_cmpint (t2->flag[BT_IND_MVRV_Z_SCORE][0], ==, BT_FLAG_MISSING);
    assert_strict (t2->value[BT_IND_MVRV_Z_SCORE][1], 1.0, 1e-15, "z", 1);
    assert_strict (t2->value[BT_IND_MVRV_Z_SCORE][2], 3.0 / sqrt (8.0 / 3.0), 1e-15, "z", 2);
    /* realized price ratio = market cap / realized cap: 0.5, 1.5, 2.5 */
    assert_strict (t2->value[BT_IND_REALIZED_PRICE_RATIO][2], 2.5, 1e-15, "rpr", 2);
    g_assert_cmpint (t2->flag[BT_IND_REALIZED_PRICE_RATIO][2], ==, BT_FLAG_OK);
  }
}

static void
test_compute_funding (Computed      *f,
                      gconstpointer  data)
{
  for (gsize i = 0; i < f->n; i++)
    {
      double sum = 0.0, cnt = 0.0;
      gssize newest = -1;

      for (gssize j = (gssize) i; j >= 0 && j + 7 > (gssize) i; j--)
        if (isfinite (f->h->input[BT_INPUT_FUNDING_COUNT][j]) && f->h->input[BT_INPUT_FUNDING_COUNT][j] > 0)
          {
            sum += f->h->input[BT_INPUT_FUNDING_SUM][j];
            cnt += f->h->input[BT_INPUT_FUNDING_COUNT][j];
            if (newest < 0)
              newest = j;
          }
      if (newest < 0)
        {
          g_assert_true (isnan (f->t->value[BT_IND_FUNDING_RATE_7D][i]));
          g_assert_cmpint (f->t->flag[BT_IND_FUNDING_RATE_7D][i], ==, BT_FLAG_MISSING);
          continue;
        }
      assert_rel (f->t->value[BT_IND_FUNDING_RATE_7D][i], sum / cnt, 1e-12, "funding", i);
      g_assert_cmpint (f->t->flag[BT_IND_FUNDING_RATE_7D][i], ==,
                       expected_flag ((gsize) (i - newest), 2.0, BT_SOURCE_BINANCE_FUTURES));
    }
  /* the hole at 600–608: day 602 is 3 days after day 599 → stale; day 606
   * has no settlement in 600–606 → missing */
  g_assert_cmpint (f->t->flag[BT_IND_FUNDING_RATE_7D][602], ==, BT_FLAG_STALE);
  g_assert_cmpint (f->t->flag[BT_IND_FUNDING_RATE_7D][606], ==, BT_FLAG_MISSING);

  /* hand-worked: sums 0.03 (3 settlements) on day 0 and 0.01 (1) on day 1
   * → day 1: (0.03 + 0.01) / 4 = 0.01 % per 8 h; day 7 still sees day 1
   * (0.01 / 1) but is 6 days old: stale; day 8 sees nothing: missing */
  {
    g_autoptr (BtHistory) h2 = bt_history_new (FIRST_DAY, 9);
    g_autoptr (BtIndicatorTable) t2 = bt_indicator_table_new (FIRST_DAY, 9);

    h2->input[BT_INPUT_FUNDING_SUM][0] = 0.03;
    h2->input[BT_INPUT_FUNDING_COUNT][0] = 3;
    h2->input[BT_INPUT_FUNDING_SUM][1] = 0.01;
    h2->input[BT_INPUT_FUNDING_COUNT][1] = 1;
    for (int i = 2; i < 9; i++)
      h2->input[BT_INPUT_FUNDING_COUNT][i] = 0;
    bt_indicators_compute (h2, &f->rules, t2);
    assert_strict (t2->value[BT_IND_FUNDING_RATE_7D][0], 0.01, 1e-15, "funding", 0);
    assert_strict (t2->value[BT_IND_FUNDING_RATE_7D][1], 0.01, 1e-15, "funding", 1);
    g_assert_cmpint (t2->flag[BT_IND_FUNDING_RATE_7D][3], ==, BT_FLAG_OK);
    g_assert_cmpint (t2->flag[BT_IND_FUNDING_RATE_7D][4], ==, BT_FLAG_STALE);
    assert_strict (t2->value[BT_IND_FUNDING_RATE_7D][7], 0.01, 1e-15, "funding", 7);
    g_assert_cmpint (t2->flag[BT_IND_FUNDING_RATE_7D][7], ==, BT_FLAG_STALE);
    g_assert_true (isnan (t2->value[BT_IND_FUNDING_RATE_7D][8]));
    g_assert_cmpint (t2->flag[BT_IND_FUNDING_RATE_7D][8], ==, BT_FLAG_MISSING);
  }
}

static void
test_compute_imported (void)
{
  /* 10 days: closes only on days 5..9 (Binance); v1 imported btc_price on
   * days 0..2; imported mvrv_z_score on day 4 only; computed z nowhere. */
  g_autoptr (BtHistory) h = bt_history_new (FIRST_DAY, 10);
  g_autoptr (BtIndicatorTable) t = bt_indicator_table_new (FIRST_DAY, 10);
  BtRules rules;
  double *ip, *iz;

  init_rules (&rules);
  for (int i = 5; i < 10; i++)
    {
      h->input[BT_INPUT_CLOSE][i] = 100.0 + i;
      h->input_source[BT_INPUT_CLOSE][i] = BT_SOURCE_BINANCE;
    }
  ip = bt_history_ensure_imported (h, BT_IND_BTC_PRICE);
  for (int i = 0; i < 3; i++)
    {
      ip[i] = 50.0 + i;
      h->imported_source[BT_IND_BTC_PRICE][i] = BT_SOURCE_V1;
    }
  ip[7] = 999.0;   /* a computed value exists on day 7: it wins */
  h->imported_source[BT_IND_BTC_PRICE][7] = BT_SOURCE_V1;
  iz = bt_history_ensure_imported (h, BT_IND_MVRV_Z_SCORE);
  iz[4] = 1.25;
  h->imported_source[BT_IND_MVRV_Z_SCORE][4] = BT_SOURCE_IMPORT;

  bt_indicators_compute (h, &rules, t);

  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpfloat (t->value[BT_IND_BTC_PRICE][i], ==, 50.0 + i);
      g_assert_cmpint (t->flag[BT_IND_BTC_PRICE][i], ==, BT_FLAG_IMPORTED);
      g_assert_cmpint (t->source[BT_IND_BTC_PRICE][i], ==, BT_SOURCE_V1);
    }
  /* day 4: imported day-2 value is 2 days old: still fresh; day 3 too */
  g_assert_cmpfloat (t->value[BT_IND_BTC_PRICE][4], ==, 52.0);
  g_assert_cmpint (t->flag[BT_IND_BTC_PRICE][4], ==, BT_FLAG_IMPORTED);
  for (int i = 5; i < 10; i++)
    {
      g_assert_cmpfloat (t->value[BT_IND_BTC_PRICE][i], ==, 100.0 + i);
      g_assert_cmpint (t->flag[BT_IND_BTC_PRICE][i], ==, BT_FLAG_OK);
      g_assert_cmpint (t->source[BT_IND_BTC_PRICE][i], ==, BT_SOURCE_BINANCE);
    }

  /* z: nothing before day 4; imported on 4..6 (age 0..2); stale after */
  for (int i = 0; i < 4; i++)
    g_assert_cmpint (t->flag[BT_IND_MVRV_Z_SCORE][i], ==, BT_FLAG_MISSING);
  for (int i = 4; i < 7; i++)
    {
      g_assert_cmpfloat (t->value[BT_IND_MVRV_Z_SCORE][i], ==, 1.25);
      g_assert_cmpint (t->flag[BT_IND_MVRV_Z_SCORE][i], ==, BT_FLAG_IMPORTED);
      g_assert_cmpint (t->source[BT_IND_MVRV_Z_SCORE][i], ==, BT_SOURCE_IMPORT);
    }
  g_assert_cmpint (t->flag[BT_IND_MVRV_Z_SCORE][7], ==, BT_FLAG_STALE);

  /* EMA 17 cannot be computed from 5 closes: missing everywhere */
  for (int i = 0; i < 10; i++)
    g_assert_cmpint (t->flag[BT_IND_EMA_17_1D][i], ==, BT_FLAG_MISSING);
}

static gboolean
same_double (double a,
             double b)
{
  return (isnan (a) && isnan (b)) || memcmp (&a, &b, sizeof a) == 0;
}

static void
test_compute_no_lookahead (Computed      *f,
                           gconstpointer  data)
{
  const guint cuts[] = { 400, 701, 1003, 1250 };

  for (guint c = 0; c < G_N_ELEMENTS (cuts); c++)
    {
      guint cut = cuts[c];
      g_autoptr (BtHistory) tr = bt_history_new (FIRST_DAY, cut + 1);
      g_autoptr (BtHistory) pert = make_history (4, f->n);
      g_autoptr (BtIndicatorTable) t1 = bt_indicator_table_new (FIRST_DAY, cut + 1);
      g_autoptr (BtIndicatorTable) t2 = bt_indicator_table_new (FIRST_DAY, f->n);

      /* truncated after the cut, and perturbed after the cut */
      for (guint k = 0; k < BT_N_INPUTS; k++)
        {
          memcpy (tr->input[k], f->h->input[k], (cut + 1) * sizeof (double));
          memcpy (tr->input_source[k], f->h->input_source[k], cut + 1);
          for (guint i = cut + 1; i < f->n; i++)
            pert->input[k][i] = (i % 2) ? NAN : pert->input[k][i] * 3.0 + 1.0;
        }
      bt_indicators_compute (tr, &f->rules, t1);
      bt_indicators_compute (pert, &f->rules, t2);
      for (guint k = 0; k < BT_N_INDICATORS; k++)
        for (guint i = 0; i <= cut; i++)
          {
            if (!same_double (t1->value[k][i], f->t->value[k][i]) ||
                !same_double (t2->value[k][i], f->t->value[k][i]))
              g_error ("%s day %u changed by data after day %u", bt_indicator_name (k), i, cut);
            g_assert_cmpint (t1->flag[k][i], ==, f->t->flag[k][i]);
            g_assert_cmpint (t2->flag[k][i], ==, f->t->flag[k][i]);
            g_assert_cmpint (t1->source[k][i], ==, f->t->source[k][i]);
          }
    }
}

static void
test_compute_empty (void)
{
  g_autoptr (BtHistory) h = bt_history_new (FIRST_DAY, 0);
  g_autoptr (BtIndicatorTable) t = bt_indicator_table_new (FIRST_DAY, 0);
  g_autoptr (BtHistory) h1 = bt_history_new (FIRST_DAY, 40);
  g_autoptr (BtIndicatorTable) t1 = bt_indicator_table_new (FIRST_DAY, 40);
  BtRules rules;

  init_rules (&rules);
  bt_indicators_compute (h, &rules, t);

  /* no data at all: everything missing */
  bt_indicators_compute (h1, &rules, t1);
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    for (guint i = 0; i < 40; i++)
      {
        g_assert_true (isnan (t1->value[k][i]));
        g_assert_cmpint (t1->flag[k][i], ==, BT_FLAG_MISSING);
      }
}

int
main (int   argc,
      char *argv[])
{
  static const ComputedCase prices = { 1, 2400 }, onchain = { 2, 1300 }, funding = { 3, 800 },
                            no_lookahead = { 4, 1500 };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/indicators/sma", test_sma_hand);
  g_test_add_func ("/core/indicators/ema", test_ema_hand);
  g_test_add_func ("/core/indicators/rsi", test_rsi_hand);
  g_test_add_func ("/core/indicators/bbands", test_bbands_hand);
  g_test_add_func ("/core/indicators/edge-cases", test_edge_constant_rising);
  g_test_add_func ("/core/indicators/random-walk", test_kernels_random_walk);
  g_test_add_func ("/core/indicators/bbands-hard", test_bbands_hard_cases);
  g_test_add_func ("/core/indicators/real-history", test_kernels_real_history);
  g_test_add_func ("/core/indicators/fused", test_fused_matches_kernels);
  g_test_add ("/core/indicators/compute/prices", Computed, &prices, computed_setup, test_compute_prices,
              computed_teardown);
  g_test_add ("/core/indicators/compute/onchain", Computed, &onchain, computed_setup, test_compute_onchain,
              computed_teardown);
  g_test_add ("/core/indicators/compute/funding", Computed, &funding, computed_setup, test_compute_funding,
              computed_teardown);
  g_test_add_func ("/core/indicators/compute/imported", test_compute_imported);
  g_test_add ("/core/indicators/compute/no-lookahead", Computed, &no_lookahead, computed_setup,
              test_compute_no_lookahead, computed_teardown);
  g_test_add_func ("/core/indicators/compute/empty", test_compute_empty);

  return g_test_run ();
}
