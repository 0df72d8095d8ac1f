/* The engine: store → indicators → scores → market_data, incremental
 * recompute, rules persisted in settings, Kelly inputs from a stored
 * backtest, and the decision of a day.  Expected values worked by hand. */
#include <glib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "bt-base.h"
#include "bt-engine.h"
#include "bt-engine-private.h"
#include "bt-scoring.h"
#include "bt-scoring-private.h"
#include "bt-store.h"
#include "bt-store-private.h"
#include "bt-test-util.h"

#define N_DAYS 30

typedef struct
{
  char     *dir;
  BtStore  *store;
  BtEngine *engine;
  BtDay     first;
} Fixture;

#define SEED_RULES "{\"profile\":\"seed-v5\"}"

/* 30 days from 2022-03-01: Binance closes 100, 101, …, 129; Coin Metrics
 * market cap alternating 1000 (even days) and 3000 (odd days) with an MVRV
 * ratio of 1.5 (realized cap = market cap / 1.5). */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  BtCandle candles[N_DAYS];
  BtObservation caps[N_DAYS], ratios[N_DAYS];

  f->dir = g_dir_make_tmp ("bt-engine-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "engine.sqlite", NULL);
  f->store = bt_store_open (path, &error);
  g_assert_no_error (error);
  f->first = bt_day_from_ymd (2022, 3, 1);

  for (int t = 0; t < N_DAYS; t++)
    {
      double c = 100 + t;

      candles[t] = (BtCandle) { bt_day_to_unix (f->first + t), c - 0.5, c + 1, c - 1, c, 10, FALSE };
      caps[t] = (BtObservation) { bt_day_to_unix (f->first + t), t % 2 == 0 ? 1000.0 : 3000.0 };
      ratios[t] = (BtObservation) { bt_day_to_unix (f->first + t), 1.5 };
    }
  g_assert_true (bt_store_upsert_candles (f->store, BT_SOURCE_BINANCE, "1d", candles, N_DAYS, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bt_store_upsert_observations (f->store, BT_SOURCE_COINMETRICS, "market_cap", caps, N_DAYS, NULL, NULL, &error));
  g_assert_true (bt_store_upsert_observations (f->store, BT_SOURCE_COINMETRICS, "mvrv_ratio", ratios, N_DAYS, NULL, NULL, &error));
  g_assert_no_error (error);
  /* the hand-worked values below follow the seed's static bands */
  g_assert_true (bt_store_set_setting (f->store, "rules", SEED_RULES, &error));
  g_assert_no_error (error);
  f->engine = bt_engine_new (f->store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->engine);
  g_assert_finalize_object (f->store);
  bt_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
assert_rel (double have,
            double want)
{
  g_assert_cmpfloat (fabs (have - want), <=, 1e-9 * MAX (1.0, fabs (want)));
}

static void
test_scores_by_hand (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const BtScores *s;

  g_assert_true (bt_engine_refresh (f->engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bt_engine_get_n_days (f->engine), ==, N_DAYS);
  g_assert_cmpint (bt_engine_get_first_day (f->engine), ==, f->first);
  s = &bt_engine_get_scores (f->engine)[N_DAYS - 1];

  /* Day 29: market cap 3000, realized 2000.  Population SD of fifteen
   * 1000s and fifteen 3000s is 1000, so Z = (3000 − 2000) / 1000 = 1 → 80. */
  assert_rel (s->item_value[BT_ITEM_MVRV_Z_SCORE], 1.0);
  assert_rel (s->item_score[BT_ITEM_MVRV_Z_SCORE], 80.0);
  /* realized price ratio 1.5 → 70 (a knot) */
  assert_rel (s->item_score[BT_ITEM_REALIZED_PRICE_RATIO], 70.0);
  g_assert_true (isnan (s->item_score[BT_ITEM_PUELL_MULTIPLE]));
  /* cycle = (25 × 80 + 20 × 70) / 45 */
  assert_rel (s->category[BT_CATEGORY_CYCLE], 3400.0 / 45.0);
  /* no momentum input at all */
  g_assert_true (isnan (s->category[BT_CATEGORY_MOMENTUM]));
  /* EMA(17) = 129 − 8 = 121 < close; no pair: 100.  BBW needs 60 days. */
  assert_rel (s->item_score[BT_ITEM_EMA_SYSTEM], 100.0);
  assert_rel (s->category[BT_CATEGORY_TECHNICAL], 100.0);
  /* market = (50 × 75.5… + 30 × 100) / 80 */
  assert_rel (s->market, (50.0 * 3400.0 / 45.0 + 3000.0) / 80.0);
  /* confidence = 25 + 20 + 20 (EMA system: 30 × 20/30) of 100 */
  assert_rel (s->confidence, 65.0);
}

static double
stored_market (BtStore *store,
               BtDay    day)
{
  sqlite3_stmt *stmt = NULL;
  char date[11];
  double v = NAN;

  g_assert_cmpint (sqlite3_prepare_v2 (_bt_store_get_handle (store),
                                       "SELECT score_market FROM market_data WHERE date = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, bt_day_format (day, date), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    v = sqlite3_column_double (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

static void
test_incremental_recompute (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BtCandle changed = { bt_day_to_unix (f->first + 25), 124, 140, 120, 135, 10, FALSE };
  BtDay first_changed = BT_DAY_INVALID;

  g_assert_true (bt_engine_recompute_from (f->engine, BT_DAY_INVALID, &error));
  g_assert_no_error (error);
  assert_rel (stored_market (f->store, f->first + N_DAYS - 1), (50.0 * 3400.0 / 45.0 + 3000.0) / 80.0);

  /* Mark every stored row, then change day 25: only days 25…29 may be
   * rewritten (indicators of day t use data up to t only). */
  g_assert_cmpint (sqlite3_exec (_bt_store_get_handle (f->store),
                                 "UPDATE market_data SET score_market = -1", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_true (bt_store_upsert_candles (f->store, BT_SOURCE_BINANCE, "1d", &changed, 1,
                                          &first_changed, NULL, &error));
  g_assert_cmpint (first_changed, ==, f->first + 25);
  g_assert_true (bt_engine_recompute_from (f->engine, first_changed, &error));
  g_assert_no_error (error);
  for (int t = 0; t < N_DAYS; t++)
    {
      double v = stored_market (f->store, f->first + t);

      if (t < 25)
        g_assert_cmpfloat (v, ==, -1.0);
      else
        g_assert_cmpfloat (v, >, 0.0);
    }
}

static void
test_ensure_market_data (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *older = NULL;
  sqlite3 *db = _bt_store_get_handle (f->store);
  BtCandle extra = { bt_day_to_unix (f->first + N_DAYS), 129, 131, 128, 130, 10, FALSE };
  double want = (50.0 * 3400.0 / 45.0 + 3000.0) / 80.0;

  /* nothing stored yet: computes and saves every row */
  g_assert_true (bt_engine_ensure_market_data (f->engine, &error));
  g_assert_no_error (error);
  assert_rel (stored_market (f->store, f->first + N_DAYS - 1), want);

  /* rows current: a no-op (a marked row stays marked) */
  g_assert_cmpint (sqlite3_exec (db, "UPDATE market_data SET score_market = -1", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (bt_engine_ensure_market_data (f->engine, &error));
  g_assert_cmpfloat (stored_market (f->store, f->first + N_DAYS - 1), ==, -1.0);

  /* rows written by another computation model: all recomputed */
  stamp = bt_store_dup_setting (f->store, "market_data.stamp", NULL);
  g_assert_nonnull (stamp);
  older = g_strconcat ("0", strchr (stamp, ':'), NULL);
  g_assert_true (bt_store_set_setting (f->store, "market_data.stamp", older, NULL));
  g_assert_true (bt_engine_ensure_market_data (f->engine, &error));
  assert_rel (stored_market (f->store, f->first + N_DAYS - 1), want);
  g_assert_cmpfloat (stored_market (f->store, f->first + 3), !=, -1.0);

  /* new data written without a recompute (an interrupted writer): the
   * data version no longer matches, everything is recomputed */
  g_assert_cmpint (sqlite3_exec (db, "UPDATE market_data SET score_market = -1", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (bt_store_upsert_candles (f->store, BT_SOURCE_BINANCE, "1d", &extra, 1, NULL, NULL, &error));
  g_assert_true (bt_engine_ensure_market_data (f->engine, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (stored_market (f->store, f->first), !=, -1.0);
  g_assert_false (isnan (stored_market (f->store, f->first + N_DAYS)));
}

static void
test_incremental_needs_same_model (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* no stamp at all: an incremental request still saves every row */
  g_assert_true (bt_engine_recompute_from (f->engine, f->first + 20, &error));
  g_assert_no_error (error);
  g_assert_false (isnan (stored_market (f->store, f->first)));
  g_assert_false (isnan (stored_market (f->store, f->first + 19)));
}

static void
test_rules_persist (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(BtEngine) reopened = NULL;
  g_autoptr(GError) error = NULL;
  BtRules rules = *bt_engine_get_rules (f->engine);

  g_assert_true (bt_rules_set (&rules, "weights.categories.cycle", "0", &error));
  g_assert_no_error (error);
  g_assert_true (bt_engine_set_rules (f->engine, &rules, &error));
  g_assert_no_error (error);
  /* with the cycle weighted 0, the market is the technical score alone */
  assert_rel (bt_engine_get_scores (f->engine)[N_DAYS - 1].market, 100.0);
  assert_rel (stored_market (f->store, f->first + N_DAYS - 1), 100.0);

  reopened = bt_engine_new (f->store);
  g_assert_cmpfloat (bt_engine_get_rules (reopened)->category_weight[BT_CATEGORY_CYCLE], ==, 0.0);
  g_assert_cmpfloat (bt_engine_get_rules (reopened)->category_weight[BT_CATEGORY_TECHNICAL], ==, 30.0);
}

static void
test_invalid_rules_refused (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  BtRules rules = *bt_engine_get_rules (f->engine);

  rules.category_weight[BT_CATEGORY_CYCLE] = -5;
  g_assert_false (bt_engine_set_rules (f->engine, &rules, &error));
  g_assert_nonnull (error);
  saved = bt_store_dup_setting (f->store, "rules", NULL);
  g_assert_cmpstr (saved, ==, SEED_RULES);
  g_assert_cmpfloat (bt_engine_get_rules (f->engine)->category_weight[BT_CATEGORY_CYCLE], ==, 50.0);
}

/* Rules saved before profiles existed (no "profile" member) keep the
 * seed's footing with the user's changes; a store without saved rules uses
 * the adaptive profile (docs/rulebook.md §0). */
static void
test_rules_without_profile (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bt_store_set_setting (f->store, "rules",
                                       "{\"thresholds\":{\"min_confidence\":42}}", &error));
  g_assert_no_error (error);
  {
    g_autoptr(BtEngine) engine = bt_engine_new (f->store);
    const BtRules *r = bt_engine_get_rules (engine);

    g_assert_cmpint (r->profile, ==, BT_RULES_PROFILE_SEED_V5);
    g_assert_cmpfloat (r->min_confidence, ==, 42);
    g_assert_cmpfloat (r->category_weight[BT_CATEGORY_CYCLE], ==, 50);
    g_assert_false (r->band_rank[BT_ITEM_MVRV_Z_SCORE]);
    g_assert_cmpfloat (r->min_trade_pct, ==, 0);
  }
  g_assert_true (bt_store_set_setting (f->store, "rules", "", &error));
  {
    g_autoptr(BtEngine) engine = bt_engine_new (f->store);

    g_assert_cmpint (bt_engine_get_rules (engine)->profile, ==, BT_RULES_PROFILE_ADAPTIVE);
    g_assert_cmpfloat (bt_engine_get_rules (engine)->category_weight[BT_CATEGORY_CYCLE], ==, 70);
  }
}

static void
test_kelly_from_backtest (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  double p, b;

  g_assert_true (bt_engine_refresh (f->engine, &error));
  bt_engine_get_kelly_inputs (f->engine, &p, &b);
  g_assert_true (isnan (p) && isnan (b));

  /* a completed run over the full history: win rate 60 %, average win 300,
   * average loss −100 → p = 0.6, b = 3 */
  g_assert_cmpint (sqlite3_exec (_bt_store_get_handle (f->store),
                                 "INSERT INTO backtest_runs (id, name, config, start_date, end_date,"
                                 " metrics, status, created_at, completed_at) VALUES ('r1', 'full',"
                                 " '{}', '2022-03-01', '2022-03-30',"
                                 " '{\"win_rate\":60,\"avg_win\":300,\"avg_loss\":-100}',"
                                 " 'completed', 1, 1)", NULL, NULL, NULL), ==, SQLITE_OK);
  bt_engine_get_kelly_inputs (f->engine, &p, &b);
  assert_rel (p, 0.6);
  assert_rel (b, 3.0);
  /* half-Kelly: 0.5 × (0.6 − 0.4 / 3) = 23.33 % */
  assert_rel (bt_kelly_percent (bt_engine_get_rules (f->engine), p, b), 50.0 * (0.6 - 0.4 / 3.0));
}

static void
test_decide_day (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BtDecision decision;
  BtDecisionInputs inputs;

  /* confidence 65, market 84.7, no EMA(144): no rule but HOLD can fire */
  g_assert_true (bt_engine_decide (f->engine, f->first + N_DAYS - 1, NULL, &decision, &inputs, &error));
  g_assert_no_error (error);
  g_assert_cmpint (decision.action, ==, BT_ACTION_HOLD);
  g_assert_cmpint (decision.rule, ==, BT_RULE_HOLD);
  assert_rel (inputs.confidence, 65.0);
  g_assert_true (isnan (inputs.ema144_distance));
  assert_rel (inputs.price, 129.0);

  g_assert_false (bt_engine_decide (f->engine, f->first + N_DAYS + 3, NULL, &decision, NULL, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/core/engine/scores-by-hand", test_scores_by_hand);
  ADD ("/core/engine/incremental-recompute", test_incremental_recompute);
  ADD ("/core/engine/ensure-market-data", test_ensure_market_data);
  ADD ("/core/engine/incremental-needs-same-model", test_incremental_needs_same_model);
  ADD ("/core/engine/rules-persist", test_rules_persist);
  ADD ("/core/engine/invalid-rules-refused", test_invalid_rules_refused);
  ADD ("/core/engine/kelly-from-backtest", test_kelly_from_backtest);
  ADD ("/core/engine/decide-day", test_decide_day);
  ADD ("/core/engine/rules-without-profile", test_rules_without_profile);
#undef ADD

  return g_test_run ();
}
