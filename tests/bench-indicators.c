/* bench-indicators.c: speed of the indicator kernels and of
 * bt_indicators_compute().  Prints figures (best of several repetitions);
 * asserts nothing.
 *
 *   kernels: EMA(144) + RSI(14) + BBANDS(20, 2) over 1,000,000 bars of a
 *            seeded random walk, separate kernels and the fused pass, ns/bar
 *   compute: bt_indicators_compute() over 6,000 synthetic days, ms
 *   real:    the same over the Coin Metrics history in $BT_SHARED_DATA
 *            (coinmetrics-btc-2009-2019.csv), when it is there
 */
#define G_LOG_DOMAIN "bt-bench"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bt-base.h"
#include "bt-indicators.h"
#include "bt-indicators-private.h"
#include "bt-scoring.h"
#include "bt-rules.h"
#include "bt-test-util.h"

#define N_BARS   1000000
#define N_DAYS   6000
#define REPEATS  7
#define REPEATS_COMPUTE 200

static double sink;

static double
bench_kernels (const double *x,
               gsize         n,
               gboolean      fused,
               double       *e,
               double       *r,
               double       *u,
               double       *m,
               double       *l)
{
  double best = G_MAXDOUBLE;

  for (int rep = 0; rep < REPEATS; rep++)
    {
      gint64 t0 = g_get_monotonic_time ();

      if (fused)
        bt_fused_ema_rsi_bb (x, n, 144, 14, 20, 2.0, e, r, u, m, l);
      else
        {
          bt_ema (x, n, 144, e);
          bt_rsi (x, n, 14, r);
          bt_bbands (x, n, 20, 2.0, u, m, l);
        }
      best = MIN (best, (double) (g_get_monotonic_time () - t0));
      sink += e[n - 1] + r[n - 1] + u[n - 1];
    }
  return best * 1000.0 / (double) n;   /* ns per bar */
}

/* bt_indicators_compute(), and with WITH_SCORES every score too, as the
 * engine recomputes after a write. */
static double
bench_compute (const BtHistory *h,
               int              repeats,
               gboolean         with_scores)
{
  g_autoptr (BtIndicatorTable) t = bt_indicator_table_new (h->first_day, h->n_days);
  g_autofree BtScores *scores = g_new0 (BtScores, h->n_days);
  BtRules rules;
  double best = G_MAXDOUBLE;

  bt_rules_init_default (&rules);
  for (int rep = 0; rep < repeats; rep++)
    {
      gint64 t0 = g_get_monotonic_time ();

      bt_indicators_compute (h, &rules, t);
      if (with_scores)
        bt_scores_compute_all (t, &rules, scores);
      best = MIN (best, (double) (g_get_monotonic_time () - t0));
      sink += with_scores ? scores[h->n_days - 1].confidence : t->value[BT_IND_RSI_DAILY][h->n_days - 1];
    }
  return best / 1000.0;   /* ms */
}

static BtHistory *
synthetic_history (guint n)
{
  BtHistory *h = bt_history_new (bt_day_from_ymd (2009, 1, 3), n);
  GRand *r = g_rand_new_with_seed (6000);
  double price = 1.0;

  for (guint i = 0; i < n; i++)
    {
      price *= 1.0 + 0.04 * (g_rand_double (r) - 0.49);
      if (i % 97 != 13)
        h->input[BT_INPUT_CLOSE][i] = price;
      h->input_source[BT_INPUT_CLOSE][i] = BT_SOURCE_BINANCE;
      h->input[BT_INPUT_MARKET_CAP][i] = price * 1.9e7;
      h->input[BT_INPUT_REALIZED_CAP][i] = price * 1.9e7 / (1.0 + 2.0 * g_rand_double (r));
      h->input[BT_INPUT_ISSUANCE_USD][i] = price * 900.0 * (0.9 + 0.2 * g_rand_double (r));
      h->input[BT_INPUT_NETFLOW][i] = 20000.0 * (g_rand_double (r) - 0.5);
      h->input[BT_INPUT_FUNDING_COUNT][i] = 3;
      h->input[BT_INPUT_FUNDING_SUM][i] = 0.03 * g_rand_double (r);
    }
  g_rand_free (r);
  return h;
}

/* A tiny reader for the Coin Metrics CSV: date, marketcap(USD), price(USD),
 * realizedCap(USD). */
static BtHistory *
load_coinmetrics (const char *path)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  BtHistory *h = NULL;
  int c_date, c_mcap, c_price, c_real;
  BtDay first = BT_DAY_INVALID, last = BT_DAY_INVALID;

  if (path == NULL || !g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  if (lines[0] == NULL)
    return NULL;
  c_date = bt_test_csv_column (lines[0], "date");
  c_mcap = bt_test_csv_column (lines[0], "marketcap(USD)");
  c_price = bt_test_csv_column (lines[0], "price(USD)");
  c_real = bt_test_csv_column (lines[0], "realizedCap(USD)");
  if (c_date < 0 || c_price < 0)
    return NULL;

  for (int pass = 0; pass < 2; pass++)
    {
      for (int li = 1; lines[li] != NULL; li++)
        {
          g_auto (GStrv) f = g_strsplit (g_strstrip (lines[li]), ",", -1);
          int nf = (int) g_strv_length (f);
          BtDay day;
          double v;

          if (nf <= c_date || !bt_day_parse (f[c_date], &day))
            continue;
          if (pass == 0)
            {
              first = first == BT_DAY_INVALID ? day : MIN (first, day);
              last = last == BT_DAY_INVALID ? day : MAX (last, day);
              continue;
            }
          if (c_price < nf && bt_parse_double (f[c_price], &v))
            h->input[BT_INPUT_CLOSE][day - first] = v;
          if (c_mcap >= 0 && c_mcap < nf && bt_parse_double (f[c_mcap], &v))
            h->input[BT_INPUT_MARKET_CAP][day - first] = v;
          if (c_real >= 0 && c_real < nf && bt_parse_double (f[c_real], &v) && v > 0)
            h->input[BT_INPUT_REALIZED_CAP][day - first] = v;
        }
      if (pass == 0)
        {
          if (first == BT_DAY_INVALID)
            return NULL;
          h = bt_history_new (first, (guint) (last - first + 1));
        }
    }
  return h;
}

int
main (void)
{
  g_autofree double *x = g_new (double, N_BARS);
  g_autofree double *e = g_new (double, N_BARS), *r = g_new (double, N_BARS);
  g_autofree double *u = g_new (double, N_BARS), *m = g_new (double, N_BARS), *l = g_new (double, N_BARS);
  GRand *rng = g_rand_new_with_seed (42);
  g_autoptr (BtHistory) h = synthetic_history (N_DAYS);
  g_autofree char *path = bt_test_shared_path ("coinmetrics-btc-2009-2019.csv");
  g_autoptr (BtHistory) real = load_coinmetrics (path);
  double price = 30000.0;

  for (gsize i = 0; i < N_BARS; i++)
    {
      price *= 1.0 + 0.02 * (g_rand_double (rng) * 2.0 - 1.0);
      x[i] = price;
    }
  g_rand_free (rng);

  printf ("EMA(144)+RSI(14)+BB(20,2), %d bars, best of %d:\n", N_BARS, REPEATS);
  printf ("  separate kernels: %.2f ns/bar\n", bench_kernels (x, N_BARS, FALSE, e, r, u, m, l));
  printf ("  fused pass:       %.2f ns/bar\n", bench_kernels (x, N_BARS, TRUE, e, r, u, m, l));
  printf ("bt_indicators_compute, %d synthetic days, best of %d: %.3f ms\n",
          N_DAYS, REPEATS_COMPUTE, bench_compute (h, REPEATS_COMPUTE, FALSE));
  printf ("indicators + scores (bt_indicators_compute + bt_scores_compute_all), %d days, best of %d: %.3f ms (target < 5 ms)\n",
          N_DAYS, REPEATS_COMPUTE, bench_compute (h, REPEATS_COMPUTE, TRUE));
  if (real != NULL)
    printf ("bt_indicators_compute, Coin Metrics history (%u days), best of %d: %.3f ms\n",
            real->n_days, REPEATS_COMPUTE, bench_compute (real, REPEATS_COMPUTE, FALSE));
  return sink == 12345.0;   /* keep the results alive */
}
