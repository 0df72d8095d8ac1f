/* bench-backtest: speed of the backtest engine (figures, no assertions).
 *
 * A synthetic 6,000-day history (seeded random walk with OHLC and the
 * on-chain inputs) is scored once (indicators and scores shared by every
 * run), then:
 *   - one full run over 6,000 days (series and trades kept), best of N;
 *   - a sweep of 1,000 configurations over 3,200 days on 2 threads:
 *     nanoseconds per configuration-day;
 *   - the process' peak resident memory.
 */
#define G_LOG_DOMAIN "bt-bench"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bt-backtest.h"
#include "bt-base.h"
#include "bt-indicators.h"
#include "bt-scoring.h"
#include "bt-sweep.h"

#define N_DAYS 6000
#define SWEEP_DAYS 3200

static double
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}

static guint64 rng_state = 0x9e3779b97f4a7c15ull;

static double
uniform (void)
{
  /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (double) ((rng_state * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

static double
normal (void)
{
  double u = uniform (), v = uniform ();

  return sqrt (-2 * log (MAX (u, 1e-300))) * cos (2 * G_PI * v);
}

static BtHistory *
synthetic_history (void)
{
  BtHistory *h = bt_history_new (bt_day_from_ymd (2009, 1, 3), N_DAYS);
  double price = 100, supply = 2e6, realized = 100 * supply;

  for (guint i = 0; i < N_DAYS; i++)
    {
      double open = price;
      double close = open * exp (0.0008 + 0.035 * normal ());
      double high = MAX (open, close) * (1 + 0.02 * uniform ());
      double low = MIN (open, close) * (1 - 0.02 * uniform ());
      double cap = close * supply;

      realized += (cap - realized) / 300;
      h->input[BT_INPUT_OPEN][i] = open;
      h->input[BT_INPUT_HIGH][i] = high;
      h->input[BT_INPUT_LOW][i] = low;
      h->input[BT_INPUT_CLOSE][i] = close;
      h->input[BT_INPUT_VOLUME][i] = 1e6 * (1 + uniform ());
      h->input[BT_INPUT_MARKET_CAP][i] = cap;
      h->input[BT_INPUT_REALIZED_CAP][i] = realized;
      h->input[BT_INPUT_MVRV_RATIO][i] = cap / realized;
      h->input[BT_INPUT_SUPPLY][i] = supply;
      h->input[BT_INPUT_ISSUANCE_USD][i] = 900 * close * (1 + 0.1 * normal ());
      h->input[BT_INPUT_NETFLOW][i] = 5000 * normal ();
      h->input[BT_INPUT_FUNDING_SUM][i] = 0.03 + 0.02 * normal ();
      h->input[BT_INPUT_FUNDING_COUNT][i] = 3;
      h->input[BT_INPUT_LONG_SHORT][i] = 1.2 + 0.3 * normal ();
      for (guint k = 0; k < BT_N_INPUTS; k++)
        h->input_source[k][i] = BT_SOURCE_COMPUTED;
      supply += 900;
      price = close;
    }
  h->data_version = 1;
  return h;
}

static void
print_rss (void)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "VmRSS:") || g_str_has_prefix (lines[i], "VmHWM:"))
      printf ("  %s\n", lines[i]);
}

/* The time of a sweep of ROWS on 2 threads, in ns. */
static double
time_sweep (const BtBacktestInputs *inputs,
            GPtrArray              *rows)
{
  g_autoptr(GError) error = NULL;
  double t0 = now_ns ();

  bt_sweep_run (inputs, rows, 2, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return now_ns () - t0;
}

int
main (void)
{
  g_autoptr(BtHistory) history = synthetic_history ();
  g_autoptr(BtIndicatorTable) table = bt_indicator_table_new (history->first_day, N_DAYS);
  g_autofree BtScores *scores = g_new0 (BtScores, N_DAYS);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  BtRules rules;
  BtBacktestInputs inputs;
  BtBacktestConfig config;
  double t0, best = INFINITY, best_metrics = INFINITY, sweep_ns;
  guint trades = 0;
  char start[16], end[16];
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  const char *grid[] = {
    "fee_pct=0,0.02,0.05,0.1,0.15,0.2,0.25,0.3,0.4,0.5",
    "slippage_pct=0,0.01,0.02,0.05,0.1,0.15,0.2,0.3,0.4,0.5",
    "max_leverage=1,1.25,1.5,1.75,2,2.25,2.5,2.75,3,3.5",
    NULL
  };

  memset (&rules, 0, sizeof rules);
  bt_rules_init_default (&rules);
  t0 = now_ns ();
  bt_indicators_compute (history, &rules, table);
  bt_scores_compute_all (table, &rules, scores);
  printf ("bench-backtest: %u-day synthetic history; indicators + scores computed once in %.1f ms\n",
          N_DAYS, (now_ns () - t0) / 1e6);

  inputs.history = history;
  inputs.table = table;
  inputs.scores = scores;
  inputs.score_rules = &rules;

  /* one full run over 6,000 days */
  bt_backtest_config_init_with_rules (&config, &rules);
  for (guint rep = 0; rep < 30; rep++)
    {
      g_autoptr(BtBacktestResult) r = NULL;
      BtBacktestMetrics m;
      double t;

      t = now_ns ();
      r = bt_backtest_run (&config, &inputs, NULL, &error);
      best = MIN (best, now_ns () - t);
      g_assert_no_error (error);
      trades = r->trades->len;

      t = now_ns ();
      bt_backtest_run_metrics (&config, &inputs, NULL, &m, NULL);
      best_metrics = MIN (best_metrics, now_ns () - t);
    }
  printf ("one run, %u days, %u trades: best of 30 %.3f ms (series + trades kept), "
          "%.3f ms (metrics only) — target < 2 ms\n",
          N_DAYS, trades, best / 1e6, best_metrics / 1e6);

  /* a sweep of 1,000 configurations over the last 3,200 days, 2 threads */
  from = g_strdup (bt_day_format (history->first_day + N_DAYS - SWEEP_DAYS, start));
  to = g_strdup (bt_day_format (history->first_day + N_DAYS - 1, end));
  g_assert_true (bt_backtest_config_set (&config, "start_date", from, NULL));
  g_assert_true (bt_backtest_config_set (&config, "end_date", to, NULL));
  rows = bt_sweep_expand (&config, grid, &error);
  g_assert_no_error (error);
  sweep_ns = time_sweep (&inputs, rows);
  printf ("sweep: %u configurations × %u days on 2 threads: %.1f ms, %.1f ns per "
          "configuration-day — target ≤ 40 ns\n",
          rows->len, SWEEP_DAYS, sweep_ns / 1e6, sweep_ns / ((double) rows->len * SWEEP_DAYS));
  printf ("  best: %s (total return %.2f %%)\n", ((BtSweepRow *) rows->pdata[0])->label,
          ((BtSweepRow *) rows->pdata[0])->metrics.total_return);
  /* the same sweep with the seed's rules ("Seed v5"), measured under the
   * same load: what the adaptive rules cost per configuration-day */
  {
    g_autoptr(GPtrArray) seed_rows = NULL;
    double seed_ns;

    g_assert_true (bt_backtest_config_set (&config, "profile", "seed-v5", NULL));
    /* the seed's bands score differently: give the sweep its own scores */
    bt_scores_compute_all (table, &config.rules, scores);
    inputs.score_rules = &config.rules;
    seed_rows = bt_sweep_expand (&config, grid, &error);
    g_assert_no_error (error);
    seed_ns = time_sweep (&inputs, seed_rows);
    printf ("sweep with the seed-v5 rules, same grid: %.1f ms, %.1f ns per configuration-day\n",
            seed_ns / 1e6, seed_ns / ((double) seed_rows->len * SWEEP_DAYS));
  }
  printf ("memory (one shared copy of the history, %.1f MB of inputs):\n",
          (double) N_DAYS * BT_N_INPUTS * (sizeof (double) + 1) / 1e6);
  print_rss ();
  return 0;
}
