/* test-scoring.c: rules (defaults, overrides, JSON), bands, item/category/
 * market scores and confidence of docs/rulebook.md §2–3 and the adaptive
 * profile (position risk, ladder, Kelly and the decisions are in
 * test-decide.c).
 *
 * Expected values are worked by hand from docs/rulebook.md (arithmetic in the
 * comments), taken from DATA_SOURCES.md §6's worked example, or computed by
 * the straightforward reference implementation at the top of this file,
 * which transcribes the document's tables independently of bt-rules.c. */
#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bt-base.h"
#include "bt-rules.h"
#include "bt-scoring.h"
#include "bt-scoring-private.h"
#include "bt-test-util.h"

#define EPS 1e-9

/* ---- an independent transcription of docs/rulebook.md §2–3 ---- */

typedef struct
{
  const char *name;
  BtIndicator ind;
  double      knots[14];
  guint       n;
} RefBand;

static const RefBand ref_bands[] = {
  { "mvrv_z_score", BT_IND_MVRV_Z_SCORE,
    { -0.5, 100, 0, 95, 1, 80, 2, 60, 3, 35, 4, 15, 6, 0 }, 7 },
  { "realized_price_ratio", BT_IND_REALIZED_PRICE_RATIO,
    { 0.8, 100, 1.0, 90, 1.5, 70, 2.0, 50, 2.5, 30, 3.0, 15, 3.5, 0 }, 7 },
  { "puell_multiple", BT_IND_PUELL_MULTIPLE,
    { 0.5, 100, 0.8, 85, 1.0, 70, 1.5, 50, 2.5, 25, 4.0, 0 }, 6 },
  { "rsi_weekly", BT_IND_RSI_WEEKLY,
    { 30, 100, 40, 85, 50, 70, 60, 55, 70, 35, 80, 15, 90, 0 }, 7 },
  { "rsi_monthly", BT_IND_RSI_MONTHLY,
    { 35, 100, 50, 75, 65, 50, 80, 20, 90, 0 }, 5 },
  { "funding_rate_7d", BT_IND_FUNDING_RATE_7D,
    { -0.03, 100, 0, 85, 0.01, 75, 0.03, 45, 0.05, 25, 0.10, 0 }, 6 },
  { "sth_sopr", BT_IND_STH_SOPR,
    { 0.90, 100, 0.97, 85, 1.00, 65, 1.03, 45, 1.08, 20, 1.15, 0 }, 6 },
  { "exchange_netflow", BT_IND_EXCHANGE_NETFLOW,
    { -20000, 100, -5000, 80, 0, 60, 5000, 35, 20000, 0 }, 5 },
  { "long_short_ratio", BT_IND_LONG_SHORT_RATIO,
    { 0.8, 100, 1.0, 80, 1.5, 55, 2.0, 35, 3.0, 0 }, 5 },
};

/* name, category weight, member weights */
static const struct
{
  const char *name;
  double      weight;
  const char *members[6];
  double      member_weights[6];
} ref_categories[] = {
  { "cycle", 50, { "mvrv_z_score", "realized_price_ratio", "puell_multiple" }, { 25, 20, 5 } },
  { "momentum", 20, { "rsi_weekly", "funding_rate_7d", "rsi_monthly", "sth_sopr",
                      "exchange_netflow", "long_short_ratio" }, { 8, 7, 5, 3, 3, 2 } },
  { "technical", 30, { "ema_system", "bbw" }, { 20, 10 } },
};

static double
ref_band (const RefBand *b,
          double         x)
{
  const double *k = b->knots;

  if (isnan (x))
    return NAN;
  if (x <= k[0])
    return k[1];
  if (x >= k[2 * (b->n - 1)])
    return k[2 * (b->n - 1) + 1];
  for (guint j = 0; j + 1 < b->n; j++)
    if (k[2 * j] <= x && x <= k[2 * j + 2])
      return k[2 * j + 1] + (k[2 * j + 3] - k[2 * j + 1]) * (x - k[2 * j]) / (k[2 * j + 2] - k[2 * j]);
  g_assert_not_reached ();
}

static gboolean
ref_present (const BtIndicatorTable *t,
             BtIndicator             ind,
             guint                   i)
{
  return isfinite (t->value[ind][i])
         && (t->flag[ind][i] == BT_FLAG_OK || t->flag[ind][i] == BT_FLAG_IMPORTED);
}

/* Reference scores of day I: item scores by name, categories, market, confidence. */
typedef struct
{
  GHashTable *score;   /* name → double* (NULL = missing) */
  double      category[3];
  double      market;
  double      confidence;
} RefScores;

static double
ref_lookup (GHashTable *h,
            const char *name)
{
  double *v = g_hash_table_lookup (h, name);

  return v != NULL ? *v : NAN;
}

static void
ref_put (GHashTable *h,
         const char *name,
         double      v)
{
  if (!isnan (v))
    g_hash_table_insert (h, (gpointer) name, g_memdup2 (&v, sizeof v));
}

static void
ref_compute (const BtIndicatorTable *t,
             guint                   i,
             RefScores              *out)
{
  double close, nom_total = 0, nom_present = 0, num = 0, den = 0;
  guint n_emas = 0, n_above = 0, n_pairs = 0, n_aligned = 0;
  gboolean daily = FALSE;

  out->score = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint b = 0; b < G_N_ELEMENTS (ref_bands); b++)
    if (ref_present (t, ref_bands[b].ind, i))
      ref_put (out->score, ref_bands[b].name, ref_band (&ref_bands[b], t->value[ref_bands[b].ind][i]));

  /* EMA system: for each timeframe, periods 17, 34, 144, 305, 610 */
  if (ref_present (t, BT_IND_BTC_PRICE, i))
    {
      close = t->value[BT_IND_BTC_PRICE][i];
      for (guint tf = 0; tf < 2; tf++)
        {
          BtIndicator base = tf == 0 ? BT_IND_EMA_17_1D : BT_IND_EMA_17_1W;

          for (guint k = 0; k < 5; k++)
            {
              if (!ref_present (t, base + k, i))
                continue;
              n_emas++;
              n_above += close > t->value[base + k][i];
              daily |= tf == 0;
            }
          for (guint k = 0; k + 1 < 5; k++)
            if (ref_present (t, base + k, i) && ref_present (t, base + k + 1, i))
              {
                n_pairs++;
                n_aligned += t->value[base + k][i] > t->value[base + k + 1][i];
              }
        }
      if (daily)
        ref_put (out->score, "ema_system",
                 n_pairs > 0 ? 100 * (0.6 * n_above / n_emas + 0.4 * n_aligned / n_pairs)
                             : 100.0 * n_above / n_emas);
    }

  /* BBW over the 365 days ending at i */
  if (ref_present (t, BT_IND_BBW_PERCENTAGE, i))
    {
      double today = t->value[BT_IND_BBW_PERCENTAGE][i];
      guint n = 0, le = 0;

      for (guint j = 0; j <= i; j++)
        if (i - j < 365 && ref_present (t, BT_IND_BBW_PERCENTAGE, j))
          {
            n++;
            le += t->value[BT_IND_BBW_PERCENTAGE][j] <= today;
          }
      if (n >= 60)
        ref_put (out->score, "bbw", 100 - 100.0 * le / n);
    }

  for (guint c = 0; c < 3; c++)
    {
      double wsum = 0, cnum = 0, cden = 0;

      for (guint m = 0; m < 6 && ref_categories[c].members[m]; m++)
        wsum += ref_categories[c].member_weights[m];
      for (guint m = 0; m < 6 && ref_categories[c].members[m]; m++)
        {
          double w = ref_categories[c].member_weights[m];
          double s = ref_lookup (out->score, ref_categories[c].members[m]);

          nom_total += ref_categories[c].weight * w / wsum;
          if (isnan (s))
            continue;
          cnum += w * s;
          cden += w;
          nom_present += ref_categories[c].weight * w / wsum;
        }
      out->category[c] = cden > 0 ? cnum / cden : NAN;
      if (!isnan (out->category[c]))
        {
          num += ref_categories[c].weight * out->category[c];
          den += ref_categories[c].weight;
        }
    }
  out->market = den > 0 ? num / den : NAN;
  out->confidence = 100 * nom_present / nom_total;
}

/* ---- rules ---- */

static void
test_rules_defaults (void)
{
  BtRules r;

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  g_assert_true (bt_rules_validate (&r, NULL));

  /* every band of §2, knot by knot */
  for (guint b = 0; b < G_N_ELEMENTS (ref_bands); b++)
    {
      BtItem item;

      g_assert_true (bt_item_from_name (ref_bands[b].name, &item));
      g_assert_cmpuint (r.band[item].n, ==, ref_bands[b].n);
      for (guint k = 0; k < ref_bands[b].n; k++)
        {
          g_assert_cmpfloat (r.band[item].x[k], ==, ref_bands[b].knots[2 * k]);
          g_assert_cmpfloat (r.band[item].y[k], ==, ref_bands[b].knots[2 * k + 1]);
        }
    }
  /* §3 weights */
  for (guint c = 0; c < 3; c++)
    {
      BtItem item;

      g_assert_cmpstr (bt_category_name (c), ==, ref_categories[c].name);
      g_assert_cmpfloat (r.category_weight[c], ==, ref_categories[c].weight);
      for (guint m = 0; m < 6 && ref_categories[c].members[m]; m++)
        {
          g_assert_true (bt_item_from_name (ref_categories[c].members[m], &item));
          g_assert_cmpint (bt_item_category (item), ==, c);
          g_assert_cmpfloat (r.item_weight[item], ==, ref_categories[c].member_weights[m]);
        }
    }
  /* §4 risk bands */
  {
    const double hf[] = { 1.0, 0, 1.1, 10, 1.25, 30, 1.5, 60, 2.0, 85, 3.0, 100 };
    const double dist[] = { 0, 0, 10, 10, 20, 30, 35, 60, 50, 85, 70, 100 };

    g_assert_cmpuint (r.health_factor_band.n, ==, 6);
    g_assert_cmpuint (r.distance_band.n, ==, 6);
    for (guint k = 0; k < 6; k++)
      {
        g_assert_cmpfloat (r.health_factor_band.x[k], ==, hf[2 * k]);
        g_assert_cmpfloat (r.health_factor_band.y[k], ==, hf[2 * k + 1]);
        g_assert_cmpfloat (r.distance_band.x[k], ==, dist[2 * k]);
        g_assert_cmpfloat (r.distance_band.y[k], ==, dist[2 * k + 1]);
      }
  }
  /* §5 */
  g_assert_cmpfloat (r.min_confidence, ==, 50);
  g_assert_cmpfloat (r.circuit_risk, ==, 30);
  g_assert_cmpfloat (r.low_market, ==, 40);
  g_assert_cmpfloat (r.take_profit_ema_distance, ==, 40);
  g_assert_cmpfloat (r.take_profit_rsi, ==, 75);
  g_assert_cmpfloat (r.entry_market, ==, 50);
  g_assert_cmpfloat (r.entry_ema_min, ==, -5);
  g_assert_cmpfloat (r.entry_ema_max, ==, 15);
  g_assert_cmpfloat (r.entry_rsi, ==, 55);
  g_assert_cmpfloat (r.add_market, ==, 60);
  g_assert_cmpfloat (r.add_ema_max, ==, 10);
  g_assert_cmpfloat (r.add_rsi, ==, 45);
  g_assert_cmpfloat (r.max_leverage, ==, 2.5);
  g_assert_cmpfloat (r.kelly_default_win_rate, ==, 0.55);
  g_assert_cmpfloat (r.kelly_default_payoff, ==, 1.5);
  g_assert_cmpfloat (r.kelly_fraction, ==, 0.5);
  g_assert_cmpfloat (r.kelly_max_percent, ==, 25);
  /* §6 */
  for (guint k = 0; k < BT_N_ALERT_KINDS; k++)
    g_assert_true (r.alert_enabled[k]);
  g_assert_cmpfloat (r.alert_hf_warning, ==, 1.5);
  g_assert_cmpfloat (r.alert_hf_critical, ==, 1.25);
  g_assert_cmpfloat (r.alert_distance_warning, ==, 25);
  g_assert_cmpuint (r.alert_cross_n, ==, 3);
  g_assert_cmpfloat (r.alert_heat, ==, 100);
  g_assert_cmpfloat (r.alert_funding_high, ==, 0.05);
  g_assert_cmpfloat (r.alert_funding_low, ==, -0.03);
  g_assert_cmpfloat (r.alert_stale_intervals, ==, 3);
}

static void
test_rules_set (void)
{
  BtRules r, before;
  g_autoptr(GError) error = NULL;
  BtItem item;

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);

  g_assert_true (bt_rules_set (&r, "weights.categories.cycle", "40", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (r.category_weight[BT_CATEGORY_CYCLE], ==, 40);

  g_assert_true (bt_rules_set (&r, "weights.indicators.sth_sopr", "0.5", &error));
  g_assert_cmpfloat (r.item_weight[BT_ITEM_STH_SOPR], ==, 0.5);

  g_assert_true (bt_rules_set (&r, "bands.rsi_weekly", "20:100, 50:50 ,80:0", &error));
  g_assert_no_error (error);
  bt_item_from_name ("rsi_weekly", &item);
  g_assert_cmpuint (r.band[item].n, ==, 3);
  g_assert_cmpfloat (r.band[item].x[1], ==, 50);
  g_assert_cmpfloat (r.band[item].y[2], ==, 0);

  g_assert_true (bt_rules_set (&r, "bands.health_factor", "1:0,2:100", &error));
  g_assert_cmpuint (r.health_factor_band.n, ==, 2);

  g_assert_true (bt_rules_set (&r, "thresholds.min_confidence", "60", &error));
  g_assert_cmpfloat (r.min_confidence, ==, 60);
  g_assert_true (bt_rules_set (&r, "thresholds.kelly_fraction", "0.25", &error));
  g_assert_cmpfloat (r.kelly_fraction, ==, 0.25);
  g_assert_true (bt_rules_set (&r, "thresholds.max_leverage", "2", &error));
  g_assert_cmpfloat (r.max_leverage, ==, 2);
  g_assert_true (bt_rules_set (&r, "thresholds.bbw_window_days", "200", &error));
  g_assert_cmpuint (r.bbw_window_days, ==, 200);
  /* ladder in any order, stored by descending score */
  g_assert_true (bt_rules_set (&r, "thresholds.ladder", "55:1.2,75:2", &error));
  g_assert_cmpuint (r.ladder_n, ==, 2);
  g_assert_cmpfloat (r.ladder_score[0], ==, 75);
  g_assert_cmpfloat (r.ladder_leverage[1], ==, 1.2);
  g_assert_true (bt_rules_set (&r, "alerts.price_move.enabled", "false", &error));
  g_assert_false (r.alert_enabled[BT_ALERT_PRICE_MOVE]);
  g_assert_true (bt_rules_set (&r, "alerts.hf_warning", "1.6", &error));
  g_assert_cmpfloat (r.alert_hf_warning, ==, 1.6);
  g_assert_true (bt_rules_set (&r, "alerts.cross_levels", "30,50", &error));
  g_assert_cmpuint (r.alert_cross_n, ==, 2);
  g_assert_cmpfloat (r.alert_cross_levels[1], ==, 50);

  /* errors leave RULES untouched */
  memcpy (&before, &r, sizeof r);
  {
    const struct { const char *key, *value; int code; } bad[] = {
      { "thresholds.no_such_thing", "1", BT_RULES_ERROR_UNKNOWN_KEY },
      { "weights.categories.vibes", "1", BT_RULES_ERROR_UNKNOWN_KEY },
      { "bands.ema_system", "0:0,1:1", BT_RULES_ERROR_UNKNOWN_KEY },
      { "alerts.health_factor.muted", "true", BT_RULES_ERROR_UNKNOWN_KEY },
      { "nonsense", "1", BT_RULES_ERROR_UNKNOWN_KEY },
      { "thresholds.min_confidence", "1,5", BT_RULES_ERROR_INVALID_VALUE },  /* pt_BR style */
      { "thresholds.min_confidence", "nan", BT_RULES_ERROR_INVALID_VALUE },
      { "thresholds.min_confidence", "101", BT_RULES_ERROR_INVALID_VALUE },
      { "thresholds.bbw_window_days", "10.5", BT_RULES_ERROR_INVALID_VALUE },
      { "thresholds.bbw_min_days", "500", BT_RULES_ERROR_INVALID_VALUE },   /* > window */
      { "weights.indicators.mvrv_z_score", "-1", BT_RULES_ERROR_INVALID_VALUE },
      { "bands.rsi_weekly", "50:50,40:60", BT_RULES_ERROR_INVALID_VALUE },  /* x not increasing */
      { "bands.rsi_weekly", "50:50,50:60", BT_RULES_ERROR_INVALID_VALUE },
      { "bands.rsi_weekly", "50:50", BT_RULES_ERROR_INVALID_VALUE },        /* one knot */
      { "bands.rsi_weekly", "50:50,60:120", BT_RULES_ERROR_INVALID_VALUE }, /* score > 100 */
      { "bands.rsi_weekly", "50-50,60:20", BT_RULES_ERROR_INVALID_VALUE },
      { "thresholds.entry_ema_min", "20", BT_RULES_ERROR_INVALID_VALUE },   /* > entry_ema_max */
      { "thresholds.ladder", "60:1.5,60:2", BT_RULES_ERROR_INVALID_VALUE },
      { "alerts.hf_critical", "2", BT_RULES_ERROR_INVALID_VALUE },          /* > hf_warning */
      { "alerts.data_stale.enabled", "maybe", BT_RULES_ERROR_INVALID_VALUE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_clear_error (&error);
        g_assert_false (bt_rules_set (&r, bad[i].key, bad[i].value, &error));
        g_assert_error (error, BT_RULES_ERROR, bad[i].code);
        /* the message names the key */
        g_assert_nonnull (strstr (error->message, bad[i].key));
        g_assert_cmpmem (&r, sizeof r, &before, sizeof before);
      }
  }

  /* every momentum weight to zero: the last one is refused */
  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  g_assert_true (bt_rules_set (&r, "weights.indicators.rsi_weekly", "0", NULL));
  g_assert_true (bt_rules_set (&r, "weights.indicators.funding_rate_7d", "0", NULL));
  g_assert_true (bt_rules_set (&r, "weights.indicators.rsi_monthly", "0", NULL));
  g_assert_true (bt_rules_set (&r, "weights.indicators.sth_sopr", "0", NULL));
  g_assert_true (bt_rules_set (&r, "weights.indicators.exchange_netflow", "0", NULL));
  g_clear_error (&error);
  g_assert_false (bt_rules_set (&r, "weights.indicators.long_short_ratio", "0", &error));
  g_assert_error (error, BT_RULES_ERROR, BT_RULES_ERROR_INVALID_VALUE);
  /* ...unless the category is switched off first */
  g_assert_true (bt_rules_set (&r, "weights.categories.momentum", "0", NULL));
  g_assert_true (bt_rules_set (&r, "weights.indicators.long_short_ratio", "0", NULL));
}

static void
test_rules_locale (void)
{
  BtRules r;

  /* Users run pt_BR, where printf/strtod use a decimal comma. */
  if (setlocale (LC_NUMERIC, "pt_BR.UTF-8") == NULL)
    {
      g_test_skip ("pt_BR.UTF-8 locale not available");
      return;
    }
  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  g_assert_true (bt_rules_set (&r, "thresholds.kelly_fraction", "0.25", NULL));
  g_assert_cmpfloat (r.kelly_fraction, ==, 0.25);
  g_assert_true (bt_rules_set (&r, "bands.long_short_ratio", "0.5:100,2.5:0", NULL));
  g_assert_cmpfloat (r.band[BT_ITEM_LONG_SHORT_RATIO].x[0], ==, 0.5);
  g_assert_false (bt_rules_set (&r, "thresholds.kelly_fraction", "0,5", NULL));
  setlocale (LC_NUMERIC, "C");
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_rules_json_roundtrip (void)
{
  BtRules r, back;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  /* move away from the defaults, including values that are not short decimals */
  g_assert_true (bt_rules_set (&r, "weights.categories.technical", "33.333333333333336", NULL));
  g_assert_true (bt_rules_set (&r, "weights.indicators.bbw", "0.1", NULL));
  g_assert_true (bt_rules_set (&r, "bands.mvrv_z_score", "-1:100,0.3:70,7:0", NULL));
  g_assert_true (bt_rules_set (&r, "thresholds.entry_rsi", "52.5", NULL));
  g_assert_true (bt_rules_set (&r, "thresholds.bbw_min_days", "90", NULL));
  g_assert_true (bt_rules_set (&r, "thresholds.ladder", "85:2.2,65:1.3", NULL));
  g_assert_true (bt_rules_set (&r, "alerts.funding_extreme.enabled", "false", NULL));
  g_assert_true (bt_rules_set (&r, "alerts.cross_levels", "50", NULL));
  r.kelly_default_win_rate = 1.0 / 3.0;

  bt_rules_to_json (&r, builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);

  object = parse_object (text);
  bt_rules_init_profile (&back, BT_RULES_PROFILE_SEED_V5);
  g_assert_true (bt_rules_merge_json (&back, object, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (&back, sizeof back, &r, sizeof r);
  g_assert_cmpfloat (back.kelly_default_win_rate, ==, 1.0 / 3.0);

  /* the defaults survive the round trip too */
  {
    BtRules d, d2;
    g_autoptr(JsonBuilder) b2 = json_builder_new ();
    g_autoptr(JsonNode) n2 = NULL;

    bt_rules_init_profile (&d, BT_RULES_PROFILE_SEED_V5);
    bt_rules_to_json (&d, b2);
    n2 = json_builder_get_root (b2);
    bt_rules_init_default (&d2);
    d2.min_confidence = 10;   /* overwritten by the merge */
    g_assert_true (bt_rules_merge_json (&d2, json_node_get_object (n2), NULL));
    g_assert_cmpmem (&d2, sizeof d2, &d, sizeof d);
  }
}

static void
test_rules_merge_json (void)
{
  BtRules r, before;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) good = parse_object (
    "{\"initial_capital\": 5000,"
    " \"weights\": {\"categories\": {\"cycle\": 60}, \"indicators\": {\"puell_multiple\": 0}},"
    " \"bands\": {\"rsi_monthly\": [[30, 100], [90, 0]]},"
    " \"thresholds\": {\"min_confidence\": 70, \"ladder\": \"80:2,60:1.25\"},"
    " \"alerts\": {\"price_move\": {\"enabled\": false}, \"heat\": 120, \"cross_levels\": [45]}}");
  g_autoptr(JsonObject) bad_late = parse_object (
    "{\"thresholds\": {\"min_confidence\": 70, \"add_rsi\": \"high\"}}");
  g_autoptr(JsonObject) bad_whole = parse_object (
    /* each value alone is fine; together the entry range is empty */
    "{\"thresholds\": {\"entry_ema_min\": 10, \"entry_ema_max\": 5}}");
  g_autoptr(JsonObject) both_ok = parse_object (
    /* applied one by one via bt_rules_set the first would be refused */
    "{\"thresholds\": {\"entry_ema_min\": 20, \"entry_ema_max\": 30}}");
  g_autoptr(JsonObject) unknown = parse_object ("{\"bands\": {\"vibes\": [[0, 0], [1, 1]]}}");
  g_autoptr(JsonObject) wrong_type = parse_object ("{\"weights\": [1, 2]}");

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  g_assert_true (bt_rules_merge_json (&r, good, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (r.category_weight[BT_CATEGORY_CYCLE], ==, 60);
  g_assert_cmpfloat (r.item_weight[BT_ITEM_PUELL_MULTIPLE], ==, 0);
  g_assert_cmpuint (r.band[BT_ITEM_RSI_MONTHLY].n, ==, 2);
  g_assert_cmpfloat (r.band[BT_ITEM_RSI_MONTHLY].x[0], ==, 30);
  g_assert_cmpfloat (r.min_confidence, ==, 70);
  g_assert_cmpuint (r.ladder_n, ==, 2);
  g_assert_cmpfloat (r.ladder_leverage[1], ==, 1.25);
  g_assert_false (r.alert_enabled[BT_ALERT_PRICE_MOVE]);
  g_assert_true (r.alert_enabled[BT_ALERT_HEALTH_FACTOR]);
  g_assert_cmpfloat (r.alert_heat, ==, 120);
  g_assert_cmpuint (r.alert_cross_n, ==, 1);

  memcpy (&before, &r, sizeof r);
  g_assert_false (bt_rules_merge_json (&r, bad_late, &error));
  g_assert_error (error, BT_RULES_ERROR, BT_RULES_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "thresholds.add_rsi"));
  g_assert_cmpmem (&r, sizeof r, &before, sizeof before);   /* min_confidence not applied */
  g_clear_error (&error);
  g_assert_false (bt_rules_merge_json (&r, bad_whole, &error));
  g_assert_error (error, BT_RULES_ERROR, BT_RULES_ERROR_INVALID_VALUE);
  g_assert_cmpmem (&r, sizeof r, &before, sizeof before);
  g_clear_error (&error);
  g_assert_false (bt_rules_merge_json (&r, unknown, &error));
  g_assert_error (error, BT_RULES_ERROR, BT_RULES_ERROR_UNKNOWN_KEY);
  g_assert_cmpmem (&r, sizeof r, &before, sizeof before);
  g_clear_error (&error);
  g_assert_false (bt_rules_merge_json (&r, wrong_type, &error));
  g_assert_error (error, BT_RULES_ERROR, BT_RULES_ERROR_INVALID_VALUE);
  g_assert_cmpmem (&r, sizeof r, &before, sizeof before);
  g_clear_error (&error);

  g_assert_false (bt_rules_set (&r, "thresholds.entry_ema_min", "20", NULL));
  g_assert_true (bt_rules_merge_json (&r, both_ok, &error));
  g_assert_cmpfloat (r.entry_ema_min, ==, 20);
  g_assert_cmpfloat (r.entry_ema_max, ==, 30);
}

static void
test_rules_validate (void)
{
  BtRules r;

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  r.band[BT_ITEM_STH_SOPR].n = 1;
  g_assert_false (bt_rules_validate (&r, NULL));

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  r.band[BT_ITEM_STH_SOPR].x[3] = r.band[BT_ITEM_STH_SOPR].x[2];
  g_assert_false (bt_rules_validate (&r, NULL));

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  r.distance_band.y[0] = -1;
  g_assert_false (bt_rules_validate (&r, NULL));

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  for (guint c = 0; c < BT_N_CATEGORIES; c++)
    r.category_weight[c] = 0;
  g_assert_false (bt_rules_validate (&r, NULL));

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  r.item_weight[BT_ITEM_EMA_SYSTEM] = 0;
  r.item_weight[BT_ITEM_BBW] = 0;
  g_assert_false (bt_rules_validate (&r, NULL));

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  r.item_weight[BT_ITEM_BBW] = NAN;
  g_assert_false (bt_rules_validate (&r, NULL));

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  r.kelly_default_win_rate = 1.5;
  g_assert_false (bt_rules_validate (&r, NULL));

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  r.max_leverage = 0.5;
  g_assert_false (bt_rules_validate (&r, NULL));

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  r.ladder_score[1] = 90;  /* not descending */
  g_assert_false (bt_rules_validate (&r, NULL));

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  r.alert_funding_low = 0.06;  /* above the high one */
  g_assert_false (bt_rules_validate (&r, NULL));
}

static void
test_item_names (void)
{
  const char *names[] = { "mvrv_z_score", "realized_price_ratio", "puell_multiple",
                          "rsi_weekly", "funding_rate_7d", "rsi_monthly", "sth_sopr",
                          "exchange_netflow", "long_short_ratio", "ema_system", "bbw" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      BtItem item;

      g_assert_cmpstr (bt_item_name (i), ==, names[i]);
      g_assert_true (bt_item_from_name (names[i], &item));
      g_assert_cmpint (item, ==, i);
    }
  g_assert_false (bt_item_from_name ("btc_price", NULL));
  g_assert_false (bt_item_from_name (NULL, NULL));
}

/* ---- bands ---- */

static void
test_band_eval (void)
{
  BtRules r;
  const BtBand *mvrv;
  BtBand two = { 2, { 10, 20 }, { 0, 100 } };

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  mvrv = &r.band[BT_ITEM_MVRV_Z_SCORE];

  bt_test_assert_close (100, bt_band_eval (mvrv, -3), EPS);     /* clamped below −0.5 */
  bt_test_assert_close (100, bt_band_eval (mvrv, -0.5), EPS);
  bt_test_assert_close (97.5, bt_band_eval (mvrv, -0.25), EPS); /* 100 + (95−100)×0.25/0.5 */
  bt_test_assert_close (70, bt_band_eval (mvrv, 1.5), EPS);     /* 80 + (60−80)×0.5 */
  bt_test_assert_close (60, bt_band_eval (mvrv, 2), EPS);       /* on a knot */
  bt_test_assert_close (7.5, bt_band_eval (mvrv, 5), EPS);      /* 15 + (0−15)×1/2 */
  bt_test_assert_close (0, bt_band_eval (mvrv, 6), EPS);
  bt_test_assert_close (0, bt_band_eval (mvrv, 1e9), EPS);      /* clamped above 6 */
  bt_test_assert_close (0, bt_band_eval (mvrv, INFINITY), EPS);
  g_assert_true (isnan (bt_band_eval (mvrv, NAN)));

  bt_test_assert_close (25, bt_band_eval (&two, 12.5), EPS);    /* 100 × 2.5/10 */
  /* funding 0.02 %: 75 + (45−75)×(0.01/0.02) = 60 */
  bt_test_assert_close (60, bt_band_eval (&r.band[BT_ITEM_FUNDING_RATE_7D], 0.02), EPS);
  /* netflow 2500: 60 + (35−60)×0.5 = 47.5 */
  bt_test_assert_close (47.5, bt_band_eval (&r.band[BT_ITEM_EXCHANGE_NETFLOW], 2500), EPS);
}

/* ---- scores of one day ---- */

static void
test_scores_items_hand (void)
{
  g_autoptr(BtIndicatorTable) t = bt_indicator_table_new (19000, 1);
  BtRules r;
  BtScores s;

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  bt_test_set_indicator (t, BT_IND_MVRV_Z_SCORE, 0, 1.5, BT_FLAG_OK);          /* → 70 */
  bt_test_set_indicator (t, BT_IND_REALIZED_PRICE_RATIO, 0, 2.25, BT_FLAG_IMPORTED); /* 50 + (30−50)×0.5 = 40 */
  bt_test_set_indicator (t, BT_IND_PUELL_MULTIPLE, 0, 0.9, BT_FLAG_STALE);     /* stale: excluded */
  bt_test_set_indicator (t, BT_IND_RSI_WEEKLY, 0, 65, BT_FLAG_OK);             /* 55 + (35−55)×0.5 = 45 */
  bt_test_set_indicator (t, BT_IND_FUNDING_RATE_7D, 0, 0.01, BT_FLAG_OK);      /* 75 */
  t->flag[BT_IND_STH_SOPR][0] = BT_FLAG_OK;                      /* OK but NAN: missing */

  bt_scores_compute_day (t, &r, 0, &s);

  bt_test_assert_close (70, s.item_score[BT_ITEM_MVRV_Z_SCORE], EPS);
  bt_test_assert_close (40, s.item_score[BT_ITEM_REALIZED_PRICE_RATIO], EPS);
  g_assert_cmpint (s.item_flag[BT_ITEM_REALIZED_PRICE_RATIO], ==, BT_FLAG_IMPORTED);
  g_assert_true (isnan (s.item_score[BT_ITEM_PUELL_MULTIPLE]));
  bt_test_assert_close (0.9, s.item_value[BT_ITEM_PUELL_MULTIPLE], EPS);  /* raw value kept */
  g_assert_cmpint (s.item_flag[BT_ITEM_PUELL_MULTIPLE], ==, BT_FLAG_STALE);
  g_assert_true (isnan (s.item_score[BT_ITEM_STH_SOPR]));
  g_assert_cmpint (s.item_flag[BT_ITEM_STH_SOPR], ==, BT_FLAG_MISSING);
  g_assert_cmpint (s.item_flag[BT_ITEM_EMA_SYSTEM], ==, BT_FLAG_MISSING);
  g_assert_cmpint (s.item_source[BT_ITEM_MVRV_Z_SCORE], ==, BT_SOURCE_COMPUTED);

  /* cycle = (25×70 + 20×40) / 45 = 2550/45 = 56.666…;
   * momentum = (8×45 + 7×75) / 15 = 885/15 = 59; technical missing;
   * market = (50×56.666… + 20×59) / 70 = (2833.33… + 1180) / 70 = 57.3333…;
   * confidence = 100 × (25 + 20 + 20×8/28 + 20×7/28) / 100 = 45 + 5.7142857 + 5 = 55.7142857 */
  bt_test_assert_close (2550.0 / 45, s.category[BT_CATEGORY_CYCLE], EPS);
  bt_test_assert_close (59, s.category[BT_CATEGORY_MOMENTUM], EPS);
  g_assert_true (isnan (s.category[BT_CATEGORY_TECHNICAL]));
  bt_test_assert_close ((50 * 2550.0 / 45 + 20 * 59) / 70, s.market, EPS);
  bt_test_assert_close (45 + 160.0 / 28 + 5, s.confidence, EPS);

  /* nothing at all: every category missing, confidence 0 */
  {
    g_autoptr(BtIndicatorTable) empty = bt_indicator_table_new (19000, 1);

    bt_scores_compute_day (empty, &r, 0, &s);
    g_assert_true (isnan (s.market));
    for (guint c = 0; c < BT_N_CATEGORIES; c++)
      g_assert_true (isnan (s.category[c]));
    bt_test_assert_close (0, s.confidence, EPS);
  }
}

static void
test_scores_weights_zero (void)
{
  g_autoptr(BtIndicatorTable) t = bt_indicator_table_new (19000, 1);
  BtRules r;
  BtScores s;

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  /* switch MVRV off: its score no longer counts, nor its weight */
  g_assert_true (bt_rules_set (&r, "weights.indicators.mvrv_z_score", "0", NULL));
  bt_test_set_indicator (t, BT_IND_MVRV_Z_SCORE, 0, 1.5, BT_FLAG_OK);          /* 70, weight 0 */
  bt_test_set_indicator (t, BT_IND_PUELL_MULTIPLE, 0, 0.5, BT_FLAG_OK);        /* → 100 */
  bt_scores_compute_day (t, &r, 0, &s);
  /* cycle = 100 (puell alone); market = cycle; confidence = 100 × (50×5/25) / 100 = 10 */
  bt_test_assert_close (100, s.category[BT_CATEGORY_CYCLE], EPS);
  bt_test_assert_close (100, s.market, EPS);
  bt_test_assert_close (10, s.confidence, EPS);
}

static void
test_scores_ema_system (void)
{
  g_autoptr(BtIndicatorTable) t = bt_indicator_table_new (19000, 4);
  BtRules r;
  BtScores s;
  /* daily 17, 34, 144, 305, 610 and weekly 17, 34, 144 (305w, 610w missing) */
  const double daily[] = { 98, 95, 80, 85, 70 };
  const double weekly[] = { 90, 92, 60 };

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  for (guint i = 0; i < 4; i++)
    bt_test_set_indicator (t, BT_IND_BTC_PRICE, i, 100, BT_FLAG_OK);
  for (guint k = 0; k < 5; k++)
    bt_test_set_indicator (t, BT_IND_EMA_17_1D + k, 0, daily[k], BT_FLAG_OK);
  for (guint k = 0; k < 3; k++)
    bt_test_set_indicator (t, BT_IND_EMA_17_1W + k, 0, weekly[k], BT_FLAG_OK);

  /* day 0: 8 EMAs, the close 100 is above all 8 → position 1;
   * pairs: 98>95 yes, 95>80 yes, 80>85 no, 85>70 yes | 90>92 no, 92>60 yes → 4/6;
   * score = 100 × (0.6 × 1 + 0.4 × 4/6) = 60 + 26.666… = 86.666… */
  bt_scores_compute_day (t, &r, 0, &s);
  bt_test_assert_close (60 + 40.0 * 4 / 6, s.item_score[BT_ITEM_EMA_SYSTEM], EPS);
  g_assert_cmpfloat (s.item_score[BT_ITEM_EMA_SYSTEM], ==, s.item_value[BT_ITEM_EMA_SYSTEM]);
  g_assert_cmpint (s.item_flag[BT_ITEM_EMA_SYSTEM], ==, BT_FLAG_OK);

  /* day 1: only ema_17_1d = 100 (equal: not above) and ema_144_1d = 50 → no adjacent pair;
   * position = 1/2 → score 50 (position only) */
  bt_test_set_indicator (t, BT_IND_EMA_17_1D, 1, 100, BT_FLAG_OK);
  bt_test_set_indicator (t, BT_IND_EMA_144_1D, 1, 50, BT_FLAG_IMPORTED);
  bt_scores_compute_day (t, &r, 1, &s);
  bt_test_assert_close (50, s.item_score[BT_ITEM_EMA_SYSTEM], EPS);
  g_assert_cmpint (s.item_flag[BT_ITEM_EMA_SYSTEM], ==, BT_FLAG_IMPORTED);

  /* day 2: weekly EMAs only → missing (no daily EMA) */
  bt_test_set_indicator (t, BT_IND_EMA_17_1W, 2, 90, BT_FLAG_OK);
  bt_test_set_indicator (t, BT_IND_EMA_34_1W, 2, 80, BT_FLAG_OK);
  bt_scores_compute_day (t, &r, 2, &s);
  g_assert_true (isnan (s.item_score[BT_ITEM_EMA_SYSTEM]));
  g_assert_cmpint (s.item_flag[BT_ITEM_EMA_SYSTEM], ==, BT_FLAG_MISSING);

  /* day 3: a stale daily EMA does not count; 17d=110 (below), 34d=105 stale,
   * 144d=90 (above); pairs: (17,34) no (stale), (34,144) no → position only 1/2 */
  bt_test_set_indicator (t, BT_IND_EMA_17_1D, 3, 110, BT_FLAG_OK);
  bt_test_set_indicator (t, BT_IND_EMA_34_1D, 3, 105, BT_FLAG_STALE);
  bt_test_set_indicator (t, BT_IND_EMA_144_1D, 3, 90, BT_FLAG_OK);
  bt_scores_compute_day (t, &r, 3, &s);
  bt_test_assert_close (50, s.item_score[BT_ITEM_EMA_SYSTEM], EPS);

  /* the weights come from the rules: 0.5/0.5 on day 0 → 100 × (0.5 + 0.5 × 4/6) */
  r.ema_position_weight = 0.5;
  r.ema_alignment_weight = 0.5;
  bt_scores_compute_day (t, &r, 0, &s);
  bt_test_assert_close (50 + 50.0 * 4 / 6, s.item_score[BT_ITEM_EMA_SYSTEM], EPS);
}

static void
test_scores_bbw (void)
{
  g_autoptr(BtIndicatorTable) t = bt_indicator_table_new (19000, 400);
  g_autofree BtScores *all = g_new (BtScores, 400);
  BtRules r;
  BtScores s;

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  /* days 0..58: BBW% = 1..59 */
  for (guint i = 0; i < 59; i++)
    bt_test_set_indicator (t, BT_IND_BBW_PERCENTAGE, i, i + 1, BT_FLAG_OK);
  bt_scores_compute_day (t, &r, 58, &s);
  g_assert_true (isnan (s.item_score[BT_ITEM_BBW]));      /* 59 values < 60 */
  bt_test_assert_close (59, s.item_value[BT_ITEM_BBW], EPS);
  g_assert_cmpint (s.item_flag[BT_ITEM_BBW], ==, BT_FLAG_MISSING);

  /* day 59: BBW% 30; the window holds 1..59 and today's 30 (60 values), of which
   * 1..30 and today's 30 are ≤ 30: 31 → rank 100 × 31/60 = 51.666…, score 48.333… */
  bt_test_set_indicator (t, BT_IND_BBW_PERCENTAGE, 59, 30, BT_FLAG_OK);
  bt_scores_compute_day (t, &r, 59, &s);
  bt_test_assert_close (100 - 100.0 * 31 / 60, s.item_score[BT_ITEM_BBW], EPS);

  /* days 60..399: BBW% = 100 (the widest) except day 399 = 0.5 (the narrowest) */
  for (guint i = 60; i < 400; i++)
    bt_test_set_indicator (t, BT_IND_BBW_PERCENTAGE, i, i == 399 ? 0.5 : 100, BT_FLAG_OK);
  /* day 398: window = days 34..398 (365 values), ≤ 100: all → score 0 */
  bt_scores_compute_day (t, &r, 398, &s);
  bt_test_assert_close (0, s.item_score[BT_ITEM_BBW], EPS);
  /* day 399: only itself ≤ 0.5 → rank 100/365, score 100 − 0.27397… */
  bt_scores_compute_day (t, &r, 399, &s);
  bt_test_assert_close (100 - 100.0 / 365, s.item_score[BT_ITEM_BBW], EPS);

  /* a missing day inside the window reduces the count: day 398 with 10 holes:
   * 355 values all ≤ 100 → still 0; day 399 → 100 − 100/355 */
  for (guint i = 100; i < 110; i++)
    bt_test_set_indicator (t, BT_IND_BBW_PERCENTAGE, i, NAN, BT_FLAG_MISSING);
  bt_scores_compute_day (t, &r, 399, &s);
  bt_test_assert_close (100 - 100.0 / 355, s.item_score[BT_ITEM_BBW], EPS);

  /* the fast path agrees */
  bt_scores_compute_all (t, &r, all);
  bt_test_assert_close (100 - 100.0 / 355, all[399].item_score[BT_ITEM_BBW], EPS);
  bt_test_assert_close (100 - 100.0 * 31 / 60, all[59].item_score[BT_ITEM_BBW], EPS);
  g_assert_true (isnan (all[58].item_score[BT_ITEM_BBW]));
}

static gboolean
same_double (double a,
             double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

/* A random but plausible table: values with ties, holes, stale and imported flags. */
static BtIndicatorTable *
random_table (guint  n,
              GRand *rand)
{
  BtIndicatorTable *t = bt_indicator_table_new (10000, n);
  double price = 1000;

  for (guint i = 0; i < n; i++)
    {
      price *= exp (g_rand_double_range (rand, -0.05, 0.05));
      for (guint ind = 0; ind < BT_N_INDICATORS; ind++)
        {
          double roll = g_rand_double (rand);
          double v;
          BtFlag flag;

          switch (ind)
            {
            case BT_IND_BTC_PRICE:
              v = price;
              break;
            case BT_IND_EMA_17_1D: case BT_IND_EMA_34_1D: case BT_IND_EMA_144_1D:
            case BT_IND_EMA_305_1D: case BT_IND_EMA_610_1D: case BT_IND_EMA_17_1W:
            case BT_IND_EMA_34_1W: case BT_IND_EMA_144_1W: case BT_IND_EMA_305_1W:
            case BT_IND_EMA_610_1W:
              v = price * g_rand_double_range (rand, 0.7, 1.3);
              break;
            case BT_IND_BBW_PERCENTAGE:
              v = g_rand_int_range (rand, 1, 80) / 2.0;  /* many ties */
              break;
            case BT_IND_MVRV_Z_SCORE:
              v = g_rand_double_range (rand, -1, 8);
              break;
            case BT_IND_EXCHANGE_NETFLOW:
              v = g_rand_double_range (rand, -30000, 30000);
              break;
            case BT_IND_FUNDING_RATE_7D:
              v = g_rand_double_range (rand, -0.05, 0.12);
              break;
            case BT_IND_RSI_DAILY: case BT_IND_RSI_WEEKLY: case BT_IND_RSI_MONTHLY:
              v = g_rand_double_range (rand, 10, 95);
              break;
            default:
              v = g_rand_double_range (rand, 0.3, 4);
              break;
            }
          if (roll < 0.75)
            flag = BT_FLAG_OK;
          else if (roll < 0.85)
            flag = BT_FLAG_IMPORTED;
          else if (roll < 0.92)
            flag = BT_FLAG_STALE;
          else
            {
              flag = BT_FLAG_MISSING;
              v = NAN;
            }
          t->value[ind][i] = v;
          t->flag[ind][i] = flag;
          t->source[ind][i] = flag == BT_FLAG_MISSING ? BT_SOURCE_NONE : BT_SOURCE_COINMETRICS;
        }
    }
  return t;
}

static void
test_scores_all_random (void)
{
  const guint n = 6000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240331);
  g_autoptr(BtIndicatorTable) t = random_table (n, rand);
  g_autofree BtScores *all = g_new (BtScores, n);
  BtRules r;
  double best = G_MAXDOUBLE;

  bt_rules_init_profile (&r, BT_RULES_PROFILE_SEED_V5);
  for (guint rep = 0; rep < 5; rep++)
    {
      gint64 t0 = g_get_monotonic_time ();

      bt_scores_compute_all (t, &r, all);
      best = MIN (best, (g_get_monotonic_time () - t0) / 1000.0);
    }
  g_test_message ("bt_scores_compute_all: %u days of random flags and holes in %.3f ms "
                  "(best of 5)", n, best);

  for (guint i = 0; i < n; i++)
    {
      RefScores ref;
      BtScores day;

      /* the fast path equals the per-day path exactly */
      bt_scores_compute_day (t, &r, i, &day);
      for (guint k = 0; k < BT_N_ITEMS; k++)
        {
          g_assert_true (same_double (day.item_score[k], all[i].item_score[k]));
          g_assert_true (same_double (day.item_value[k], all[i].item_value[k]));
          g_assert_cmpint (day.item_flag[k], ==, all[i].item_flag[k]);
        }
      g_assert_true (same_double (day.market, all[i].market));
      g_assert_true (same_double (day.confidence, all[i].confidence));

      /* and agrees with the independent reference */
      ref_compute (t, i, &ref);
      for (guint k = 0; k < BT_N_ITEMS; k++)
        bt_test_assert_close (ref_lookup (ref.score, bt_item_name (k)), all[i].item_score[k], EPS);
      for (guint c = 0; c < 3; c++)
        bt_test_assert_close (ref.category[c], all[i].category[c], EPS);
      bt_test_assert_close (ref.market, all[i].market, EPS);
      bt_test_assert_close (ref.confidence, all[i].confidence, EPS);
      g_hash_table_unref (ref.score);
    }
}

/* ---- the adaptive profile (docs/rulebook.md) ---- */

static void
test_profiles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  BtRules r, back;

  /* the default is the adaptive profile: ranked cycle and momentum levels,
   * weights 70/25/5, crash guard over 2 days, trimming, 5 % minimum trade */
  bt_rules_init_default (&r);
  g_assert_cmpint (r.profile, ==, BT_RULES_PROFILE_ADAPTIVE);
  g_assert_true (r.band_rank[BT_ITEM_MVRV_Z_SCORE] && r.band_rank[BT_ITEM_REALIZED_PRICE_RATIO] &&
                 r.band_rank[BT_ITEM_PUELL_MULTIPLE] && r.band_rank[BT_ITEM_RSI_WEEKLY] &&
                 r.band_rank[BT_ITEM_RSI_MONTHLY] && r.band_rank[BT_ITEM_FUNDING_RATE_7D]);
  g_assert_false (r.band_rank[BT_ITEM_STH_SOPR] || r.band_rank[BT_ITEM_EXCHANGE_NETFLOW] ||
                  r.band_rank[BT_ITEM_LONG_SHORT_RATIO]);
  g_assert_cmpfloat (r.category_weight[BT_CATEGORY_CYCLE], ==, 70);
  g_assert_cmpfloat (r.category_weight[BT_CATEGORY_MOMENTUM], ==, 25);
  g_assert_cmpfloat (r.category_weight[BT_CATEGORY_TECHNICAL], ==, 5);
  g_assert_cmpuint (r.rank_window_days, ==, 1461);
  g_assert_cmpuint (r.rank_min_days, ==, 365);
  g_assert_cmpuint (r.crash_window_days, ==, 2);
  g_assert_cmpfloat (r.crash_margin_pct, ==, 10);
  g_assert_cmpfloat (r.min_trade_pct, ==, 5);
  g_assert_cmpuint (r.trim_above_cap, ==, 1);
  g_assert_cmpfloat (r.trend_exit_ema, ==, -5);
  g_assert_cmpfloat (r.low_market_ema_max, ==, 0);

  /* switching profile resets the rule values but keeps the alert settings */
  g_assert_true (bt_rules_set (&r, "alerts.hf_warning", "1.7", &error));
  g_assert_true (bt_rules_set (&r, "weights.indicators.bbw", "3", &error));
  g_assert_true (bt_rules_set (&r, "profile", "seed-v5", &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.profile, ==, BT_RULES_PROFILE_SEED_V5);
  g_assert_false (r.band_rank[BT_ITEM_MVRV_Z_SCORE]);
  g_assert_cmpfloat (r.category_weight[BT_CATEGORY_CYCLE], ==, 50);
  g_assert_cmpfloat (r.item_weight[BT_ITEM_BBW], ==, 10);
  g_assert_cmpfloat (r.min_trade_pct, ==, 0);
  g_assert_cmpuint (r.crash_window_days, ==, 0);
  g_assert_cmpfloat (r.alert_hf_warning, ==, 1.7);

  /* a band set to "rank" and back to knots */
  g_assert_true (bt_rules_set (&r, "bands.sth_sopr", "rank", &error));
  g_assert_true (r.band_rank[BT_ITEM_STH_SOPR]);
  g_assert_true (bt_rules_set (&r, "bands.sth_sopr", "0.9:100,1.1:0", &error));
  g_assert_false (r.band_rank[BT_ITEM_STH_SOPR]);
  g_assert_cmpfloat (r.band[BT_ITEM_STH_SOPR].x[1], ==, 1.1);
  g_assert_false (bt_rules_set (&r, "profile", "seed-v4", &error));
  g_assert_error (error, BT_RULES_ERROR, BT_RULES_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (bt_rules_set (&r, "thresholds.min_trade_pct", "120", &error));
  g_clear_error (&error);

  /* JSON round trip keeps the profile and the ranked bands; "profile" is
   * applied before the other members */
  bt_rules_init_default (&r);
  g_assert_true (bt_rules_set (&r, "weights.categories.technical", "7", &error));
  bt_rules_to_json (&r, builder);
  root = json_builder_get_root (builder);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "profile"), ==, "adaptive");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (root), "bands"),
                                                  "mvrv_z_score"), ==, "rank");
  bt_rules_init_profile (&back, BT_RULES_PROFILE_SEED_V5);
  g_assert_true (bt_rules_merge_json (&back, json_node_get_object (root), &error));
  g_assert_no_error (error);
  g_assert_true (memcmp (&back, &r, sizeof r) == 0);
}

/* An adaptive band worked by hand: window 3 days, at least 2 values.
 * MVRV-Z on days 0..6: 3, 1, 2, 5, (missing), 4, 4 (stale on day 6).
 *   day 0: {3}: fewer than 2 values → no score
 *   day 1: {3, 1}: 1 of 2 ≤ 1 → 100 − 50 = 50
 *   day 2: {3, 1, 2}: 2 of 3 ≤ 2 → 33.33…
 *   day 3: {1, 2, 5}: 3 of 3 → 0
 *   day 4: missing → no score
 *   day 5: {5, 4} (days 3..5, day 4 absent): 1 of 2 ≤ 4 → 50
 *   day 6: stale → no score (and not counted in later windows) */
static void
test_rank_band_hand (void)
{
  static const double v[] = { 3, 1, 2, 5, NAN, 4, 4 };
  static const double want[] = { NAN, 50, 100 - 200.0 / 3, 0, NAN, 50, NAN };
  g_autoptr(BtIndicatorTable) t = bt_indicator_table_new (10000, G_N_ELEMENTS (v));
  BtScores all[G_N_ELEMENTS (v)], day;
  BtRules r;

  bt_rules_init_default (&r);
  r.rank_window_days = 3;
  r.rank_min_days = 2;
  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    {
      t->value[BT_IND_MVRV_Z_SCORE][i] = v[i];
      t->flag[BT_IND_MVRV_Z_SCORE][i] = isnan (v[i]) ? BT_FLAG_MISSING
                                        : i == 6 ? BT_FLAG_STALE : BT_FLAG_OK;
    }
  bt_scores_compute_all (t, &r, all);
  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    {
      bt_scores_compute_day (t, &r, i, &day);
      bt_test_assert_close (want[i], all[i].item_score[BT_ITEM_MVRV_Z_SCORE], EPS);
      bt_test_assert_close (want[i], day.item_score[BT_ITEM_MVRV_Z_SCORE], EPS);
      /* the value reported is the indicator's, whatever its score */
      g_assert_true (same_double (all[i].item_value[BT_ITEM_MVRV_Z_SCORE], v[i]));
    }
  /* alone in the cycle category, the category score is the item's */
  bt_test_assert_close (all[3].category[BT_CATEGORY_CYCLE], 0, EPS);
}

/* The adaptive scores of day t do not change when later days are added,
 * and the fast path equals the per-day count on a random table. */
static void
test_rank_no_look_ahead (void)
{
  const guint n = 2400, cut = 1700;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(BtIndicatorTable) t = random_table (n, rand);
  g_autoptr(BtIndicatorTable) head = bt_indicator_table_new (t->first_day, cut);
  g_autofree BtScores *all = g_new (BtScores, n);
  g_autofree BtScores *part = g_new (BtScores, cut);
  BtRules r;

  bt_rules_init_default (&r);
  r.rank_window_days = 500;   /* the window slides well within the table */
  r.rank_min_days = 100;
  for (guint ind = 0; ind < BT_N_INDICATORS; ind++)
    {
      memcpy (head->value[ind], t->value[ind], cut * sizeof (double));
      memcpy (head->flag[ind], t->flag[ind], cut);
      memcpy (head->source[ind], t->source[ind], cut);
    }
  bt_scores_compute_all (t, &r, all);
  bt_scores_compute_all (head, &r, part);
  for (guint i = 0; i < cut; i++)
    {
      for (guint k = 0; k < BT_N_ITEMS; k++)
        g_assert_true (same_double (part[i].item_score[k], all[i].item_score[k]));
      g_assert_true (same_double (part[i].market, all[i].market));
    }
  for (guint i = 0; i < n; i += 7)
    {
      BtScores day;

      bt_scores_compute_day (t, &r, i, &day);
      for (guint k = 0; k < BT_N_ITEMS; k++)
        g_assert_true (same_double (day.item_score[k], all[i].item_score[k]));
      g_assert_true (same_double (day.market, all[i].market));
    }
}

/* Worst fall over 2 days on a hand-made history (closes; day 2 has a low):
 *   closes 100, 110, 60 (low 50), 90, 40, 45
 *   day 2: 1 − 50 / max(100, 110) = 54.54… % (from day 1 to day 2)
 *   day 3: 90 is no fall; day 4: 1 − 40 / max(60, 90) = 55.55… % (day 3 → 4)
 *   day 5: 1 − 45 / 90 = 50 %, less than the worst: unchanged */
static void
test_worst_fall (void)
{
  static const double close[] = { 100, 110, 60, 90, 40, 45 };
  g_autoptr(BtHistory) h = bt_history_new (20000, G_N_ELEMENTS (close));
  double fall[G_N_ELEMENTS (close)];
  BtDay from[G_N_ELEMENTS (close)], to[G_N_ELEMENTS (close)];

  for (guint i = 0; i < G_N_ELEMENTS (close); i++)
    h->input[BT_INPUT_CLOSE][i] = close[i];
  h->input[BT_INPUT_LOW][2] = 50;
  bt_worst_fall_series (h, 2, fall, from, to);
  g_assert_true (isnan (fall[0]) && isnan (fall[1]));
  g_assert_cmpint (from[1], ==, BT_DAY_INVALID);
  bt_test_assert_close (fall[2], 1 - 50.0 / 110, EPS);
  g_assert_cmpint (from[2], ==, 20001);
  g_assert_cmpint (to[2], ==, 20002);
  bt_test_assert_close (fall[3], 1 - 50.0 / 110, EPS);
  bt_test_assert_close (fall[4], 1 - 40.0 / 90, EPS);
  g_assert_cmpint (from[4], ==, 20003);
  g_assert_cmpint (to[4], ==, 20004);
  bt_test_assert_close (fall[5], 1 - 40.0 / 90, EPS);
  /* a one-day window sees only day-to-day falls: 60/110 and 40/90 */
  bt_worst_fall_series (h, 1, fall, from, to);
  bt_test_assert_close (fall[5], 1 - 40.0 / 90, EPS);
  g_assert_cmpint (from[5], ==, 20003);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/rules/defaults", test_rules_defaults);
  g_test_add_func ("/core/rules/set", test_rules_set);
  g_test_add_func ("/core/rules/locale", test_rules_locale);
  g_test_add_func ("/core/rules/json-roundtrip", test_rules_json_roundtrip);
  g_test_add_func ("/core/rules/merge-json", test_rules_merge_json);
  g_test_add_func ("/core/rules/validate", test_rules_validate);
  g_test_add_func ("/core/rules/item-names", test_item_names);
  g_test_add_func ("/core/scoring/band", test_band_eval);
  g_test_add_func ("/core/scoring/items-hand", test_scores_items_hand);
  g_test_add_func ("/core/scoring/weights-zero", test_scores_weights_zero);
  g_test_add_func ("/core/scoring/ema-system", test_scores_ema_system);
  g_test_add_func ("/core/scoring/bbw", test_scores_bbw);
  g_test_add_func ("/core/scoring/all-random", test_scores_all_random);
  g_test_add_func ("/core/rules/profiles", test_profiles);
  g_test_add_func ("/core/scoring/rank-band-hand", test_rank_band_hand);
  g_test_add_func ("/core/scoring/rank-no-look-ahead", test_rank_no_look_ahead);
  g_test_add_func ("/core/scoring/worst-fall", test_worst_fall);

  return g_test_run ();
}
