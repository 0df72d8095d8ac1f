/* bt-rules.c: the defaults of docs/rulebook.md (the only copy), their overrides
 * by dotted key or JSON, and their validation.
 *
 * Keys understood by bt_rules_set() and, nested, by bt_rules_merge_json():
 *
 *   weights.categories.<cycle|momentum|technical>   number >= 0
 *   weights.indicators.<item name>                   number >= 0
 *   profile                                          "adaptive" or "seed-v5" (applied first)
 *   bands.<banded item name>                         "x:y,x:y,..." (x strictly increasing),
 *                                                    or "rank" (adaptive band, docs/rulebook.md §2)
 *   bands.health_factor, bands.liquidation_distance  same (§4 risk bands)
 *   thresholds.<name>                                number (see threshold_fields)
 *   thresholds.ladder                                "score:leverage,..." (distinct scores)
 *   alerts.<kind>.enabled                            true/false (or 1/0)
 *   alerts.<name>                                    number (see alert_fields)
 *   alerts.cross_levels                              "40,60,80" (strictly increasing)
 *
 * In JSON a band or the ladder is an array of [x, y] pairs, the cross
 * levels an array of numbers; strings in the textual form are accepted too.
 */
#define G_LOG_DOMAIN "bt-core"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "bt-base.h"
#include "bt-rules.h"

G_DEFINE_QUARK (bt-rules-error-quark, bt_rules_error)

static const char *const item_names[BT_N_ITEMS] = {
  "mvrv_z_score", "realized_price_ratio", "puell_multiple",
  "rsi_weekly", "funding_rate_7d", "rsi_monthly", "sth_sopr", "exchange_netflow",
  "long_short_ratio",
  "ema_system", "bbw",
};

static const char *const category_names[BT_N_CATEGORIES] = {
  "cycle", "momentum", "technical",
};

static const BtCategory item_categories[BT_N_ITEMS] = {
  BT_CATEGORY_CYCLE, BT_CATEGORY_CYCLE, BT_CATEGORY_CYCLE,
  BT_CATEGORY_MOMENTUM, BT_CATEGORY_MOMENTUM, BT_CATEGORY_MOMENTUM, BT_CATEGORY_MOMENTUM,
  BT_CATEGORY_MOMENTUM, BT_CATEGORY_MOMENTUM,
  BT_CATEGORY_TECHNICAL, BT_CATEGORY_TECHNICAL,
};

/* Numeric fields reachable as "thresholds.<name>" / "alerts.<name>". */
typedef struct
{
  const char *name;
  gsize       offset;
  gboolean    is_uint;
} NumField;

#define DOUBLE_FIELD(name, field) { name, G_STRUCT_OFFSET (BtRules, field), FALSE }
#define UINT_FIELD(name, field)   { name, G_STRUCT_OFFSET (BtRules, field), TRUE }

static const NumField threshold_fields[] = {
  DOUBLE_FIELD ("ema_position_weight", ema_position_weight),
  DOUBLE_FIELD ("ema_alignment_weight", ema_alignment_weight),
  UINT_FIELD ("bbw_window_days", bbw_window_days),
  UINT_FIELD ("bbw_min_days", bbw_min_days),
  DOUBLE_FIELD ("fresh_daily_days", fresh_daily_days),
  DOUBLE_FIELD ("fresh_weekly_days", fresh_weekly_days),
  DOUBLE_FIELD ("fresh_monthly_days", fresh_monthly_days),
  DOUBLE_FIELD ("fresh_position_minutes", fresh_position_minutes),
  DOUBLE_FIELD ("min_confidence", min_confidence),
  DOUBLE_FIELD ("circuit_risk", circuit_risk),
  DOUBLE_FIELD ("low_market", low_market),
  DOUBLE_FIELD ("low_market_reduce_pct", low_market_reduce_pct),
  DOUBLE_FIELD ("low_market_ema_max", low_market_ema_max),
  DOUBLE_FIELD ("trend_exit_ema", trend_exit_ema),
  DOUBLE_FIELD ("take_profit_ema_distance", take_profit_ema_distance),
  DOUBLE_FIELD ("take_profit_rsi", take_profit_rsi),
  DOUBLE_FIELD ("take_profit_reduce_pct", take_profit_reduce_pct),
  DOUBLE_FIELD ("entry_market", entry_market),
  DOUBLE_FIELD ("entry_ema_min", entry_ema_min),
  DOUBLE_FIELD ("entry_ema_max", entry_ema_max),
  DOUBLE_FIELD ("entry_rsi", entry_rsi),
  DOUBLE_FIELD ("entry_leverage", entry_leverage),
  DOUBLE_FIELD ("add_market", add_market),
  DOUBLE_FIELD ("add_ema_min", add_ema_min),
  DOUBLE_FIELD ("add_ema_max", add_ema_max),
  DOUBLE_FIELD ("add_rsi", add_rsi),
  DOUBLE_FIELD ("ladder_floor_leverage", ladder_floor_leverage),
  DOUBLE_FIELD ("max_leverage", max_leverage),
  UINT_FIELD ("rank_window_days", rank_window_days),
  UINT_FIELD ("rank_min_days", rank_min_days),
  UINT_FIELD ("crash_window_days", crash_window_days),
  DOUBLE_FIELD ("crash_margin_pct", crash_margin_pct),
  UINT_FIELD ("trim_above_cap", trim_above_cap),
  DOUBLE_FIELD ("trim_tolerance_pct", trim_tolerance_pct),
  DOUBLE_FIELD ("min_trade_pct", min_trade_pct),
  UINT_FIELD ("safety_first", safety_first),
  DOUBLE_FIELD ("kelly_default_win_rate", kelly_default_win_rate),
  DOUBLE_FIELD ("kelly_default_payoff", kelly_default_payoff),
  DOUBLE_FIELD ("kelly_fraction", kelly_fraction),
  DOUBLE_FIELD ("kelly_max_percent", kelly_max_percent),
};

static const NumField alert_fields[] = {
  DOUBLE_FIELD ("hf_warning", alert_hf_warning),
  DOUBLE_FIELD ("hf_critical", alert_hf_critical),
  DOUBLE_FIELD ("distance_warning", alert_distance_warning),
  DOUBLE_FIELD ("cross_warning_below", alert_cross_warning_below),
  DOUBLE_FIELD ("heat", alert_heat),
  DOUBLE_FIELD ("price_move_pct", alert_price_move_pct),
  DOUBLE_FIELD ("funding_high", alert_funding_high),
  DOUBLE_FIELD ("funding_low", alert_funding_low),
  DOUBLE_FIELD ("stale_intervals", alert_stale_intervals),
};

#define BAND_HEALTH_FACTOR        "health_factor"
#define BAND_LIQUIDATION_DISTANCE "liquidation_distance"

/* ---- names ---- */

const char *
bt_item_name (BtItem item)
{
  g_return_val_if_fail ((guint) item < BT_N_ITEMS, NULL);
  return item_names[item];
}

const char *
bt_category_name (BtCategory category)
{
  g_return_val_if_fail ((guint) category < BT_N_CATEGORIES, NULL);
  return category_names[category];
}

BtCategory
bt_item_category (BtItem item)
{
  g_return_val_if_fail ((guint) item < BT_N_ITEMS, BT_CATEGORY_CYCLE);
  return item_categories[item];
}

gboolean
bt_item_from_name (const char *name,
                   BtItem     *out)
{
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < BT_N_ITEMS; i++)
    if (strcmp (item_names[i], name) == 0)
      {
        if (out != NULL)
          *out = (BtItem) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
category_from_name (const char *name,
                    BtCategory *out)
{
  for (guint i = 0; i < BT_N_CATEGORIES; i++)
    if (strcmp (category_names[i], name) == 0)
      {
        *out = (BtCategory) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
item_has_band (BtItem item)
{
  return item != BT_ITEM_EMA_SYSTEM && item != BT_ITEM_BBW;
}

/* ---- defaults ---- */

static void
band_init (BtBand       *band,
           const double *knots,
           guint         n)
{
  g_assert (n <= BT_MAX_KNOTS);
  memset (band, 0, sizeof *band);
  band->n = n;
  for (guint i = 0; i < n; i++)
    {
      band->x[i] = knots[2 * i];
      band->y[i] = knots[2 * i + 1];
    }
}

#define BAND_INIT(band, ...)                                            \
  G_STMT_START {                                                        \
    static const double knots_[] = { __VA_ARGS__ };                     \
    band_init ((band), knots_, G_N_ELEMENTS (knots_) / 2);              \
  } G_STMT_END

static const char *const profile_names[BT_N_RULES_PROFILES] = { "adaptive", "seed-v5" };

const char *
bt_rules_profile_name (BtRulesProfile profile)
{
  g_return_val_if_fail ((guint) profile < BT_N_RULES_PROFILES, NULL);
  return profile_names[profile];
}

gboolean
bt_rules_profile_from_name (const char     *name,
                            BtRulesProfile *out)
{
  for (guint i = 0; name != NULL && i < BT_N_RULES_PROFILES; i++)
    if (strcmp (profile_names[i], name) == 0)
      {
        if (out != NULL)
          *out = (BtRulesProfile) i;
        return TRUE;
      }
  return FALSE;
}

/* The seed's rule set ("Seed v5"): docs/rulebook.md as first written, the
 * baseline of every change recorded in docs/rulebook.md. */
static void
init_seed_v5 (BtRules *rules)
{
  memset (rules, 0, sizeof *rules);
  rules->profile = BT_RULES_PROFILE_SEED_V5;

  /* §2 bands: (value, score) knots */
  BAND_INIT (&rules->band[BT_ITEM_MVRV_Z_SCORE],
             -0.5, 100, 0, 95, 1, 80, 2, 60, 3, 35, 4, 15, 6, 0);
  BAND_INIT (&rules->band[BT_ITEM_REALIZED_PRICE_RATIO],
             0.8, 100, 1.0, 90, 1.5, 70, 2.0, 50, 2.5, 30, 3.0, 15, 3.5, 0);
  BAND_INIT (&rules->band[BT_ITEM_PUELL_MULTIPLE],
             0.5, 100, 0.8, 85, 1.0, 70, 1.5, 50, 2.5, 25, 4.0, 0);
  BAND_INIT (&rules->band[BT_ITEM_RSI_WEEKLY],
             30, 100, 40, 85, 50, 70, 60, 55, 70, 35, 80, 15, 90, 0);
  BAND_INIT (&rules->band[BT_ITEM_RSI_MONTHLY],
             35, 100, 50, 75, 65, 50, 80, 20, 90, 0);
  BAND_INIT (&rules->band[BT_ITEM_FUNDING_RATE_7D],
             -0.03, 100, 0, 85, 0.01, 75, 0.03, 45, 0.05, 25, 0.10, 0);
  BAND_INIT (&rules->band[BT_ITEM_STH_SOPR],
             0.90, 100, 0.97, 85, 1.00, 65, 1.03, 45, 1.08, 20, 1.15, 0);
  BAND_INIT (&rules->band[BT_ITEM_EXCHANGE_NETFLOW],
             -20000, 100, -5000, 80, 0, 60, 5000, 35, 20000, 0);
  BAND_INIT (&rules->band[BT_ITEM_LONG_SHORT_RATIO],
             0.8, 100, 1.0, 80, 1.5, 55, 2.0, 35, 3.0, 0);

  /* §2 composites */
  rules->ema_position_weight = 0.6;
  rules->ema_alignment_weight = 0.4;
  rules->bbw_window_days = 365;
  rules->bbw_min_days = 60;

  /* §3 weights */
  rules->category_weight[BT_CATEGORY_CYCLE] = 50;
  rules->category_weight[BT_CATEGORY_MOMENTUM] = 20;
  rules->category_weight[BT_CATEGORY_TECHNICAL] = 30;
  rules->item_weight[BT_ITEM_MVRV_Z_SCORE] = 25;
  rules->item_weight[BT_ITEM_REALIZED_PRICE_RATIO] = 20;
  rules->item_weight[BT_ITEM_PUELL_MULTIPLE] = 5;
  rules->item_weight[BT_ITEM_RSI_WEEKLY] = 8;
  rules->item_weight[BT_ITEM_FUNDING_RATE_7D] = 7;
  rules->item_weight[BT_ITEM_RSI_MONTHLY] = 5;
  rules->item_weight[BT_ITEM_STH_SOPR] = 3;
  rules->item_weight[BT_ITEM_EXCHANGE_NETFLOW] = 3;
  rules->item_weight[BT_ITEM_LONG_SHORT_RATIO] = 2;
  rules->item_weight[BT_ITEM_EMA_SYSTEM] = 20;
  rules->item_weight[BT_ITEM_BBW] = 10;

  /* §1 freshness */
  rules->fresh_daily_days = 2;
  rules->fresh_weekly_days = 8;
  rules->fresh_monthly_days = 35;
  rules->fresh_position_minutes = 15;

  /* §4 risk bands */
  BAND_INIT (&rules->health_factor_band,
             1.0, 0, 1.1, 10, 1.25, 30, 1.5, 60, 2.0, 85, 3.0, 100);
  BAND_INIT (&rules->distance_band,
             0, 0, 10, 10, 20, 30, 35, 60, 50, 85, 70, 100);

  /* §5 decision */
  rules->min_confidence = 50;
  rules->circuit_risk = 30;
  rules->low_market = 40;
  rules->low_market_reduce_pct = 50;
  rules->low_market_ema_max = 1e6;
  rules->trend_exit_ema = -1e6;
  rules->take_profit_ema_distance = 40;
  rules->take_profit_rsi = 75;
  rules->take_profit_reduce_pct = 25;
  rules->entry_market = 50;
  rules->entry_ema_min = -5;
  rules->entry_ema_max = 15;
  rules->entry_rsi = 55;
  rules->entry_leverage = 1.0;
  rules->add_market = 60;
  rules->add_ema_min = -5;
  rules->add_ema_max = 10;
  rules->add_rsi = 45;

  /* leverage ladder, scores descending */
  rules->ladder_n = 3;
  rules->ladder_score[0] = 80;
  rules->ladder_leverage[0] = 2.5;
  rules->ladder_score[1] = 70;
  rules->ladder_leverage[1] = 2.0;
  rules->ladder_score[2] = 60;
  rules->ladder_leverage[2] = 1.5;
  rules->ladder_floor_leverage = 1.0;
  rules->max_leverage = 2.5;

  /* Kelly: half-Kelly of p = 0.55, b = 1.5, at most 25 % */
  rules->kelly_default_win_rate = 0.55;
  rules->kelly_default_payoff = 1.5;
  rules->kelly_fraction = 0.5;
  rules->kelly_max_percent = 25;

  /* §6 alerts */
  for (guint k = 0; k < BT_N_ALERT_KINDS; k++)
    rules->alert_enabled[k] = TRUE;
  rules->alert_hf_warning = 1.5;
  rules->alert_hf_critical = 1.25;
  rules->alert_distance_warning = 25;
  rules->alert_cross_n = 3;
  rules->alert_cross_levels[0] = 40;
  rules->alert_cross_levels[1] = 60;
  rules->alert_cross_levels[2] = 80;
  rules->alert_cross_warning_below = 40;
  rules->alert_heat = 100;
  rules->alert_price_move_pct = 10;
  rules->alert_funding_high = 0.05;
  rules->alert_funding_low = -0.03;
  rules->alert_stale_intervals = 3;

  /* adaptive-band parameters (used only by items with band_rank) */
  rules->rank_window_days = 1461;
  rules->rank_min_days = 365;
  /* the seed has no crash guard, no trimming and no minimum trade */
  rules->crash_window_days = 0;
  rules->crash_margin_pct = 10;
  rules->trim_above_cap = 0;
  rules->trim_tolerance_pct = 2;
  rules->min_trade_pct = 0;
}

/* The adaptive profile: every change from the seed, each with the
 * measurement that justified it, is in docs/rulebook.md. */
static void
init_adaptive (BtRules *rules)
{
  static const BtItem ranked[] = {
    BT_ITEM_MVRV_Z_SCORE, BT_ITEM_REALIZED_PRICE_RATIO, BT_ITEM_PUELL_MULTIPLE,
    BT_ITEM_RSI_WEEKLY, BT_ITEM_RSI_MONTHLY, BT_ITEM_FUNDING_RATE_7D,
  };

  init_seed_v5 (rules);
  rules->profile = BT_RULES_PROFILE_ADAPTIVE;
  /* §2: cycle and momentum levels scored by their rank in the trailing
   * halving cycle (1461 days) instead of fixed values */
  for (guint i = 0; i < G_N_ELEMENTS (ranked); i++)
    rules->band_rank[ranked[i]] = TRUE;
  /* §3: the trend (technical) category reads every top as bullish */
  rules->category_weight[BT_CATEGORY_CYCLE] = 70;
  rules->category_weight[BT_CATEGORY_MOMENTUM] = 25;
  rules->category_weight[BT_CATEGORY_TECHNICAL] = 5;
  /* §5 */
  rules->low_market_ema_max = 0;
  rules->trend_exit_ema = -5;
  rules->crash_window_days = 2;
  rules->safety_first = 1;
  rules->trim_above_cap = 1;
  rules->min_trade_pct = 5;
}

void
bt_rules_init_profile (BtRules        *rules,
                       BtRulesProfile  profile)
{
  g_return_if_fail (rules != NULL);

  if (profile == BT_RULES_PROFILE_SEED_V5)
    init_seed_v5 (rules);
  else
    init_adaptive (rules);
}

void
bt_rules_init_default (BtRules *rules)
{
  g_return_if_fail (rules != NULL);

  init_adaptive (rules);
}

/* ---- validation ---- */

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  char *message;
  g_autofree char *one_line = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* the message may quote what was given */
  one_line = bt_one_line (message, 300);
  g_set_error_literal (error, BT_RULES_ERROR, BT_RULES_ERROR_INVALID_VALUE, one_line);
  g_free (message);
  return FALSE;
}

static gboolean
in_range (double v,
          double lo,
          double hi)
{
  return isfinite (v) && v >= lo && v <= hi;
}

static gboolean
validate_band (const BtBand *band,
               const char   *name,
               GError      **error)
{
  if (band->n < 2 || band->n > BT_MAX_KNOTS)
    return invalid (error, _("The band “%s” needs between 2 and %d knots"), name, BT_MAX_KNOTS);
  for (guint i = 0; i < band->n; i++)
    {
      if (!isfinite (band->x[i]))
        return invalid (error, _("The band “%s” has a value that is not a number"), name);
      if (!in_range (band->y[i], 0, 100))
        return invalid (error, _("The band “%s” has a score outside 0–100"), name);
      if (i > 0 && !(band->x[i] > band->x[i - 1]))
        return invalid (error, _("The values of the band “%s” must be strictly increasing"), name);
    }
  return TRUE;
}

static double *
field_double (BtRules        *rules,
              const NumField *field)
{
  return (double *) (gpointer) ((guint8 *) rules + field->offset);
}

static guint *
field_uint (BtRules        *rules,
            const NumField *field)
{
  return (guint *) (gpointer) ((guint8 *) rules + field->offset);
}

gboolean
bt_rules_validate (const BtRules *rules,
                   GError       **error)
{
  double cat_total = 0;

  g_return_val_if_fail (rules != NULL, FALSE);

  /* weights */
  for (guint c = 0; c < BT_N_CATEGORIES; c++)
    {
      double item_total = 0;

      if (!in_range (rules->category_weight[c], 0, G_MAXDOUBLE))
        return invalid (error, _("The weight of the category “%s” must be a number ≥ 0"),
                        category_names[c]);
      cat_total += rules->category_weight[c];
      for (guint i = 0; i < BT_N_ITEMS; i++)
        {
          if (item_categories[i] != c)
            continue;
          if (!in_range (rules->item_weight[i], 0, G_MAXDOUBLE))
            return invalid (error, _("The weight of the indicator “%s” must be a number ≥ 0"),
                            item_names[i]);
          item_total += rules->item_weight[i];
        }
      /* a category switched off (weight 0) may have all its indicators off */
      if (rules->category_weight[c] > 0 && !(item_total > 0))
        return invalid (error, _("The indicator weights of the category “%s” are all zero"),
                        category_names[c]);
    }
  if (!(cat_total > 0))
    return invalid (error, _("The category weights are all zero"));

  /* bands */
  for (guint i = 0; i < BT_N_ITEMS; i++)
    if (item_has_band (i) && !validate_band (&rules->band[i], item_names[i], error))
      return FALSE;
  if (!validate_band (&rules->health_factor_band, BAND_HEALTH_FACTOR, error))
    return FALSE;
  if (!validate_band (&rules->distance_band, BAND_LIQUIDATION_DISTANCE, error))
    return FALSE;

  /* composites */
  if (!in_range (rules->ema_position_weight, 0, G_MAXDOUBLE)
      || !in_range (rules->ema_alignment_weight, 0, G_MAXDOUBLE)
      || !(rules->ema_position_weight + rules->ema_alignment_weight > 0))
    return invalid (error, _("The EMA system weights must be ≥ 0 and not both zero"));
  if (rules->bbw_window_days < 1 || rules->bbw_min_days < 1
      || rules->bbw_min_days > rules->bbw_window_days)
    return invalid (error, _("The BBW window must hold at least its minimum number of days"));

  /* freshness */
  if (!in_range (rules->fresh_daily_days, 0, G_MAXDOUBLE) || rules->fresh_daily_days == 0
      || !in_range (rules->fresh_weekly_days, 0, G_MAXDOUBLE) || rules->fresh_weekly_days == 0
      || !in_range (rules->fresh_monthly_days, 0, G_MAXDOUBLE) || rules->fresh_monthly_days == 0
      || !in_range (rules->fresh_position_minutes, 0, G_MAXDOUBLE)
      || rules->fresh_position_minutes == 0)
    return invalid (error, _("Freshness limits must be positive"));

  /* decision thresholds: scores, RSI levels and percentages are 0–100 */
  {
    const struct { const char *name; double v; } pct[] = {
      { "min_confidence", rules->min_confidence },
      { "circuit_risk", rules->circuit_risk },
      { "low_market", rules->low_market },
      { "low_market_reduce_pct", rules->low_market_reduce_pct },
      { "take_profit_rsi", rules->take_profit_rsi },
      { "take_profit_reduce_pct", rules->take_profit_reduce_pct },
      { "entry_market", rules->entry_market },
      { "entry_rsi", rules->entry_rsi },
      { "add_market", rules->add_market },
      { "add_rsi", rules->add_rsi },
      { "kelly_max_percent", rules->kelly_max_percent },
    };

    for (guint i = 0; i < G_N_ELEMENTS (pct); i++)
      if (!in_range (pct[i].v, 0, 100))
        return invalid (error, _("The threshold “%s” must be between 0 and 100"), pct[i].name);
  }
  if (!isfinite (rules->low_market_ema_max) || !isfinite (rules->trend_exit_ema))
    return invalid (error, _("The EMA-144 distances of the low-market and trend rules must be numbers"));
  if (!isfinite (rules->take_profit_ema_distance))
    return invalid (error, _("The threshold “%s” must be a number"), "take_profit_ema_distance");
  if (!isfinite (rules->entry_ema_min) || !isfinite (rules->entry_ema_max)
      || rules->entry_ema_min > rules->entry_ema_max)
    return invalid (error, _("The entry EMA-144 distance range is empty"));
  if (!isfinite (rules->add_ema_min) || !isfinite (rules->add_ema_max)
      || rules->add_ema_min > rules->add_ema_max)
    return invalid (error, _("The add EMA-144 distance range is empty"));

  /* leverage */
  if (!in_range (rules->max_leverage, 1, 100))
    return invalid (error, _("The maximum leverage must be between 1 and 100"));
  if (!in_range (rules->entry_leverage, 0, 100) || rules->entry_leverage == 0)
    return invalid (error, _("The entry leverage must be positive"));
  if (!in_range (rules->ladder_floor_leverage, 0, 100))
    return invalid (error, _("The leverage below the ladder must be between 0 and 100"));
  if (rules->ladder_n < 1 || rules->ladder_n > G_N_ELEMENTS (rules->ladder_score))
    return invalid (error, _("The leverage ladder needs between 1 and %d steps"),
                    (int) G_N_ELEMENTS (rules->ladder_score));
  for (guint i = 0; i < rules->ladder_n; i++)
    {
      if (!in_range (rules->ladder_score[i], 0, 100))
        return invalid (error, _("The leverage ladder has a score outside 0–100"));
      if (!in_range (rules->ladder_leverage[i], 0, 100) || rules->ladder_leverage[i] == 0)
        return invalid (error, _("The leverage ladder has a leverage that is not positive"));
      if (i > 0 && !(rules->ladder_score[i] < rules->ladder_score[i - 1]))
        return invalid (error, _("The leverage ladder has the same score twice"));
    }

  if ((guint) rules->profile >= BT_N_RULES_PROFILES)
    return invalid (error, _("Unknown rule profile"));
  if (rules->rank_window_days < 2 || rules->rank_min_days < 1
      || rules->rank_min_days > rules->rank_window_days)
    return invalid (error, _("The adaptive band window must hold at least its minimum number of days"));
  if (rules->crash_window_days > 365)
    return invalid (error, _("The crash window must be at most 365 days"));
  if (!in_range (rules->crash_margin_pct, 0, 90))
    return invalid (error, _("The crash margin must be between 0 and 90 percentage points"));
  if (rules->safety_first > 1)
    return invalid (error, _("“safety_first” must be 0 or 1"));
  if (rules->trim_above_cap > 1)
    return invalid (error, _("“trim_above_cap” must be 0 or 1"));
  if (!in_range (rules->trim_tolerance_pct, 0, 100))
    return invalid (error, _("The trim tolerance must be between 0 and 100 %%"));
  if (!in_range (rules->min_trade_pct, 0, 100))
    return invalid (error, _("The minimum trade must be between 0 and 100 %% of equity"));

  /* Kelly */
  if (!in_range (rules->kelly_default_win_rate, 0, 1))
    return invalid (error, _("The default win rate must be between 0 and 1"));
  if (!in_range (rules->kelly_default_payoff, 0, G_MAXDOUBLE) || rules->kelly_default_payoff == 0)
    return invalid (error, _("The default payoff ratio must be positive"));
  if (!in_range (rules->kelly_fraction, 0, 1))
    return invalid (error, _("The Kelly fraction must be between 0 and 1"));

  /* alerts */
  if (!in_range (rules->alert_hf_critical, 0, G_MAXDOUBLE)
      || !in_range (rules->alert_hf_warning, 0, G_MAXDOUBLE)
      || rules->alert_hf_critical > rules->alert_hf_warning)
    return invalid (error, _("The critical health factor must be positive and not above the "
                             "warning one"));
  if (!in_range (rules->alert_distance_warning, 0, 100))
    return invalid (error, _("The liquidation distance alert must be between 0 and 100"));
  if (rules->alert_cross_n > G_N_ELEMENTS (rules->alert_cross_levels))
    return invalid (error, _("At most %d market score levels can be watched"),
                    (int) G_N_ELEMENTS (rules->alert_cross_levels));
  for (guint i = 0; i < rules->alert_cross_n; i++)
    {
      if (!in_range (rules->alert_cross_levels[i], 0, 100))
        return invalid (error, _("A market score level is outside 0–100"));
      if (i > 0 && !(rules->alert_cross_levels[i] > rules->alert_cross_levels[i - 1]))
        return invalid (error, _("The market score levels must be strictly increasing"));
    }
  if (!in_range (rules->alert_cross_warning_below, 0, 100))
    return invalid (error, _("The market score warning level must be between 0 and 100"));
  if (!in_range (rules->alert_heat, 0, G_MAXDOUBLE) || rules->alert_heat == 0)
    return invalid (error, _("The portfolio heat alert must be positive"));
  if (!in_range (rules->alert_price_move_pct, 0, G_MAXDOUBLE) || rules->alert_price_move_pct == 0)
    return invalid (error, _("The price move alert must be positive"));
  if (!isfinite (rules->alert_funding_low) || !isfinite (rules->alert_funding_high)
      || !(rules->alert_funding_low < rules->alert_funding_high))
    return invalid (error, _("The low funding alert must be below the high one"));
  if (!in_range (rules->alert_stale_intervals, 0, G_MAXDOUBLE) || rules->alert_stale_intervals == 0)
    return invalid (error, _("The stale data alert needs a positive number of intervals"));

  return TRUE;
}

/* ---- parsing of one value ---- */

static gboolean
parse_number (const char *value,
              double     *out,
              GError    **error)
{
  if (!bt_parse_double (value, out))
    return invalid (error, _("“%s” is not a number"), value);
  return TRUE;
}

static gboolean
parse_bool (const char *value,
            gboolean   *out,
            GError    **error)
{
  g_autofree char *v = g_strstrip (g_strdup (value));

  if (g_ascii_strcasecmp (v, "true") == 0 || strcmp (v, "1") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (v, "false") == 0 || strcmp (v, "0") == 0)
    *out = FALSE;
  else
    return invalid (error, _("“%s” is not true or false"), value);
  return TRUE;
}

/* "x:y,x:y,..." into at most MAX pairs. */
static gboolean
parse_pairs (const char *value,
             guint       max,
             double     *xs,
             double     *ys,
             guint      *n_out,
             GError    **error)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);
  guint n = g_strv_length (parts);

  if (n == 0 || n > max)
    return invalid (error, _("“%s” must hold between 1 and %u “value:score” pairs"), value, max);
  for (guint i = 0; i < n; i++)
    {
      g_auto(GStrv) xy = g_strsplit (parts[i], ":", -1);

      if (g_strv_length (xy) != 2 || !bt_parse_double (xy[0], &xs[i])
          || !bt_parse_double (xy[1], &ys[i]))
        return invalid (error, _("“%s” is not a “value:score” pair"), parts[i]);
    }
  *n_out = n;
  return TRUE;
}

static gboolean
parse_list (const char *value,
            guint       max,
            double     *xs,
            guint      *n_out,
            GError    **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (value));
  g_auto(GStrv) parts = NULL;
  guint n = 0;

  if (*stripped == '\0')
    {
      *n_out = 0;
      return TRUE;
    }
  parts = g_strsplit (stripped, ",", -1);
  n = g_strv_length (parts);
  if (n > max)
    return invalid (error, _("“%s” holds more than %u numbers"), value, max);
  for (guint i = 0; i < n; i++)
    if (!bt_parse_double (parts[i], &xs[i]))
      return invalid (error, _("“%s” is not a number"), parts[i]);
  *n_out = n;
  return TRUE;
}

static const NumField *
find_field (const NumField *fields,
            guint           n,
            const char     *name)
{
  for (guint i = 0; i < n; i++)
    if (strcmp (fields[i].name, name) == 0)
      return &fields[i];
  return NULL;
}

static gboolean
set_field (BtRules        *rules,
           const NumField *field,
           const char     *value,
           GError        **error)
{
  double v;

  if (!parse_number (value, &v, error))
    return FALSE;
  if (field->is_uint)
    {
      if (v < 0 || v > G_MAXUINT || v != floor (v))
        return invalid (error, _("“%s” is not a whole number ≥ 0"), value);
      *field_uint (rules, field) = (guint) v;
    }
  else
    *field_double (rules, field) = v;
  return TRUE;
}

static gboolean
set_band (BtBand     *band,
          const char *value,
          GError    **error)
{
  BtBand tmp;

  memset (&tmp, 0, sizeof tmp);
  if (!parse_pairs (value, BT_MAX_KNOTS, tmp.x, tmp.y, &tmp.n, error))
    return FALSE;
  memcpy (band, &tmp, sizeof tmp);
  return TRUE;
}

static gboolean
set_ladder (BtRules    *rules,
            const char *value,
            GError    **error)
{
  double score[G_N_ELEMENTS (rules->ladder_score)];
  double lev[G_N_ELEMENTS (rules->ladder_score)];
  guint n = 0;

  if (!parse_pairs (value, G_N_ELEMENTS (score), score, lev, &n, error))
    return FALSE;
  /* store by descending score (insertion sort of at most 4 steps) */
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && score[j] > score[j - 1]; j--)
      {
        double t = score[j];
        score[j] = score[j - 1];
        score[j - 1] = t;
        t = lev[j];
        lev[j] = lev[j - 1];
        lev[j - 1] = t;
      }
  memset (rules->ladder_score, 0, sizeof rules->ladder_score);
  memset (rules->ladder_leverage, 0, sizeof rules->ladder_leverage);
  for (guint i = 0; i < n; i++)
    {
      rules->ladder_score[i] = score[i];
      rules->ladder_leverage[i] = lev[i];
    }
  rules->ladder_n = n;
  return TRUE;
}

static gboolean
unknown_key (const char *key,
             GError    **error)
{
  g_autofree char *quoted = bt_one_line (key, 80);

  g_set_error (error, BT_RULES_ERROR, BT_RULES_ERROR_UNKNOWN_KEY,
               _("Unknown rule “%s”"), quoted);
  return FALSE;
}

static gboolean
is_rank_text (const char *value)
{
  g_autofree char *v = g_strstrip (g_strdup (value));

  return g_ascii_strcasecmp (v, "rank") == 0;
}

/* Switch RULES to PROFILE's values, keeping the alert settings (they are
 * the user's, not part of a rule profile). */
static gboolean
apply_profile (BtRules    *rules,
               const char *value,
               GError    **error)
{
  g_autofree char *v = g_strstrip (g_strdup (value));
  BtRulesProfile profile;
  BtRules fresh;

  if (!bt_rules_profile_from_name (v, &profile))
    return invalid (error, _("“%s” is not a rule profile (adaptive, seed-v5)"), value);
  bt_rules_init_profile (&fresh, profile);
  memcpy (fresh.alert_enabled, rules->alert_enabled, sizeof fresh.alert_enabled);
  fresh.alert_hf_warning = rules->alert_hf_warning;
  fresh.alert_hf_critical = rules->alert_hf_critical;
  fresh.alert_distance_warning = rules->alert_distance_warning;
  fresh.alert_cross_n = rules->alert_cross_n;
  memcpy (fresh.alert_cross_levels, rules->alert_cross_levels, sizeof fresh.alert_cross_levels);
  fresh.alert_cross_warning_below = rules->alert_cross_warning_below;
  fresh.alert_heat = rules->alert_heat;
  fresh.alert_price_move_pct = rules->alert_price_move_pct;
  fresh.alert_funding_high = rules->alert_funding_high;
  fresh.alert_funding_low = rules->alert_funding_low;
  fresh.alert_stale_intervals = rules->alert_stale_intervals;
  *rules = fresh;
  return TRUE;
}

/* Apply KEY=VALUE to RULES without validating the whole; on error RULES may
 * have been left untouched or not (callers work on a copy). */
static gboolean
apply (BtRules    *rules,
       const char *key,
       const char *value,
       GError    **error)
{
  const char *rest;

  if (strcmp (key, "profile") == 0)
    return apply_profile (rules, value, error);

  if (g_str_has_prefix (key, "weights.categories."))
    {
      BtCategory c;
      double v;

      rest = key + strlen ("weights.categories.");
      if (!category_from_name (rest, &c))
        return unknown_key (key, error);
      if (!parse_number (value, &v, error))
        return FALSE;
      rules->category_weight[c] = v;
      return TRUE;
    }
  if (g_str_has_prefix (key, "weights.indicators."))
    {
      BtItem item;
      double v;

      rest = key + strlen ("weights.indicators.");
      if (!bt_item_from_name (rest, &item))
        return unknown_key (key, error);
      if (!parse_number (value, &v, error))
        return FALSE;
      rules->item_weight[item] = v;
      return TRUE;
    }
  if (g_str_has_prefix (key, "bands."))
    {
      BtItem item;

      rest = key + strlen ("bands.");
      if (strcmp (rest, BAND_HEALTH_FACTOR) == 0)
        return set_band (&rules->health_factor_band, value, error);
      if (strcmp (rest, BAND_LIQUIDATION_DISTANCE) == 0)
        return set_band (&rules->distance_band, value, error);
      if (!bt_item_from_name (rest, &item) || !item_has_band (item))
        return unknown_key (key, error);
      if (is_rank_text (value))
        {
          rules->band_rank[item] = TRUE;
          return TRUE;
        }
      if (!set_band (&rules->band[item], value, error))
        return FALSE;
      rules->band_rank[item] = FALSE;
      return TRUE;
    }
  if (g_str_has_prefix (key, "thresholds."))
    {
      const NumField *field;

      rest = key + strlen ("thresholds.");
      if (strcmp (rest, "ladder") == 0)
        return set_ladder (rules, value, error);
      field = find_field (threshold_fields, G_N_ELEMENTS (threshold_fields), rest);
      if (field == NULL)
        return unknown_key (key, error);
      return set_field (rules, field, value, error);
    }
  if (g_str_has_prefix (key, "alerts."))
    {
      const NumField *field;
      const char *dot;

      rest = key + strlen ("alerts.");
      dot = strchr (rest, '.');
      if (dot != NULL)
        {
          g_autofree char *kind_name = g_strndup (rest, dot - rest);
          BtAlertKind kind;

          if (!bt_alert_kind_from_name (kind_name, &kind) || strcmp (dot + 1, "enabled") != 0)
            return unknown_key (key, error);
          return parse_bool (value, &rules->alert_enabled[kind], error);
        }
      if (strcmp (rest, "cross_levels") == 0)
        {
          double levels[G_N_ELEMENTS (rules->alert_cross_levels)];
          guint n = 0;

          if (!parse_list (value, G_N_ELEMENTS (levels), levels, &n, error))
            return FALSE;
          memset (rules->alert_cross_levels, 0, sizeof rules->alert_cross_levels);
          memcpy (rules->alert_cross_levels, levels, n * sizeof (double));
          rules->alert_cross_n = n;
          return TRUE;
        }
      field = find_field (alert_fields, G_N_ELEMENTS (alert_fields), rest);
      if (field == NULL)
        return unknown_key (key, error);
      return set_field (rules, field, value, error);
    }
  return unknown_key (key, error);
}

gboolean
bt_rules_set (BtRules    *rules,
              const char *key,
              const char *value,
              GError    **error)
{
  g_autoptr(GError) local = NULL;
  BtRules tmp;

  g_return_val_if_fail (rules != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memcpy (&tmp, rules, sizeof tmp);
  if (!apply (&tmp, key, value, &local) || !bt_rules_validate (&tmp, &local))
    {
      if (local->code == BT_RULES_ERROR_UNKNOWN_KEY)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        {
          g_autofree char *quoted_key = bt_one_line (key, 80);
          g_autofree char *quoted_value = bt_one_line (value, 80);

          g_set_error (error, BT_RULES_ERROR, local->code,
                       _("Cannot set the rule “%s” to “%s”: %s"), quoted_key, quoted_value,
                       local->message);
        }
      return FALSE;
    }
  memcpy (rules, &tmp, sizeof tmp);
  return TRUE;
}

/* ---- JSON ---- */

static gboolean
json_number (JsonNode *node,
             double   *out)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_double (node);
  return TRUE;
}

/* The textual form of a JSON member value, for apply(); NULL on a bad shape. */
static char *
node_to_text (JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double v;

  if (json_number (node, &v))
    return g_strdup (bt_format_double (v, buf));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);
      g_autoptr(GString) s = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *el = json_array_get_element (array, i);

          if (i > 0)
            g_string_append_c (s, ',');
          if (JSON_NODE_HOLDS_ARRAY (el))
            {
              JsonArray *pair = json_node_get_array (el);
              double x, y;

              if (json_array_get_length (pair) != 2
                  || !json_number (json_array_get_element (pair, 0), &x)
                  || !json_number (json_array_get_element (pair, 1), &y))
                return NULL;
              g_string_append (s, bt_format_double (x, buf));
              g_string_append_c (s, ':');
              g_string_append (s, bt_format_double (y, buf));
            }
          else if (json_number (el, &v))
            g_string_append (s, bt_format_double (v, buf));
          else
            return NULL;
        }
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
  return NULL;
}

static gboolean
apply_node (BtRules    *rules,
            const char *key,
            JsonNode   *node,
            GError    **error)
{
  g_autofree char *text = node_to_text (node);

  if (text == NULL)
    return invalid (error, _("The rule “%s” has a value of the wrong type"), key);
  return apply (rules, key, text, error);
}

/* Apply every member of OBJECT as PREFIX.<member>; members that are objects
 * recurse when NESTED. */
static gboolean
apply_object (BtRules    *rules,
              const char *prefix,
              JsonObject *object,
              gboolean    nested,
              GError    **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (object, name);
      g_autofree char *key = g_strconcat (prefix, ".", name, NULL);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          if (!nested)
            return invalid (error, _("The rule “%s” has a value of the wrong type"), key);
          if (!apply_object (rules, key, json_node_get_object (node), FALSE, error))
            return FALSE;
        }
      else if (!apply_node (rules, key, node, error))
        {
          if (error != NULL && *error != NULL && (*error)->code != BT_RULES_ERROR_UNKNOWN_KEY)
            g_prefix_error (error, _("Rule “%s”: "), key);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
bt_rules_merge_json (BtRules    *rules,
                     JsonObject *object,
                     GError    **error)
{
  static const char *const sections[] = { "weights", "bands", "thresholds", "alerts" };
  g_autoptr(GError) local = NULL;
  BtRules tmp;

  g_return_val_if_fail (rules != NULL, FALSE);
  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memcpy (&tmp, rules, sizeof tmp);
  {
    JsonNode *node = json_object_get_member (object, "profile");

    if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
      {
        if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
          invalid (&local, _("The rule “%s” has a value of the wrong type"), "profile");
        else
          apply_profile (&tmp, json_node_get_string (node), &local);
      }
  }
  for (guint i = 0; local == NULL && i < G_N_ELEMENTS (sections); i++)
    {
      JsonNode *node = json_object_get_member (object, sections[i]);
      /* "weights" and "alerts" hold objects; "bands" and "thresholds" do not */
      gboolean nested = (i == 0 || i == 3);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, BT_RULES_ERROR, BT_RULES_ERROR_INVALID_VALUE,
                       _("The rules member “%s” must be an object"), sections[i]);
          return FALSE;
        }
      if (!apply_object (&tmp, sections[i], json_node_get_object (node), nested, &local))
        break;
    }
  if (local == NULL)
    bt_rules_validate (&tmp, &local);
  if (local != NULL)
    {
      if (local->code == BT_RULES_ERROR_UNKNOWN_KEY)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, BT_RULES_ERROR, local->code,
                     _("Invalid rules: %s"), local->message);
      return FALSE;
    }
  memcpy (rules, &tmp, sizeof tmp);
  return TRUE;
}

static void
add_pairs (JsonBuilder  *builder,
           const double *x,
           const double *y,
           guint         n)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_array (builder);
      json_builder_add_double_value (builder, x[i]);
      json_builder_add_double_value (builder, y[i]);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
}

static void
add_fields (JsonBuilder    *builder,
            const BtRules  *rules,
            const NumField *fields,
            guint           n)
{
  for (guint i = 0; i < n; i++)
    {
      json_builder_set_member_name (builder, fields[i].name);
      if (fields[i].is_uint)
        json_builder_add_int_value (builder, *field_uint ((BtRules *) rules, &fields[i]));
      else
        json_builder_add_double_value (builder, *field_double ((BtRules *) rules, &fields[i]));
    }
}

void
bt_rules_to_json (const BtRules *rules,
                  JsonBuilder   *builder)
{
  g_return_if_fail (rules != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "profile");
  json_builder_add_string_value (builder, profile_names[rules->profile]);

  json_builder_set_member_name (builder, "weights");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "categories");
  json_builder_begin_object (builder);
  for (guint c = 0; c < BT_N_CATEGORIES; c++)
    {
      json_builder_set_member_name (builder, category_names[c]);
      json_builder_add_double_value (builder, rules->category_weight[c]);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "indicators");
  json_builder_begin_object (builder);
  for (guint i = 0; i < BT_N_ITEMS; i++)
    {
      json_builder_set_member_name (builder, item_names[i]);
      json_builder_add_double_value (builder, rules->item_weight[i]);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "bands");
  json_builder_begin_object (builder);
  for (guint i = 0; i < BT_N_ITEMS; i++)
    {
      if (!item_has_band (i))
        continue;
      json_builder_set_member_name (builder, item_names[i]);
      if (rules->band_rank[i])
        json_builder_add_string_value (builder, "rank");
      else
        add_pairs (builder, rules->band[i].x, rules->band[i].y, rules->band[i].n);
    }
  json_builder_set_member_name (builder, BAND_HEALTH_FACTOR);
  add_pairs (builder, rules->health_factor_band.x, rules->health_factor_band.y,
             rules->health_factor_band.n);
  json_builder_set_member_name (builder, BAND_LIQUIDATION_DISTANCE);
  add_pairs (builder, rules->distance_band.x, rules->distance_band.y, rules->distance_band.n);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "thresholds");
  json_builder_begin_object (builder);
  add_fields (builder, rules, threshold_fields, G_N_ELEMENTS (threshold_fields));
  json_builder_set_member_name (builder, "ladder");
  add_pairs (builder, rules->ladder_score, rules->ladder_leverage, rules->ladder_n);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "alerts");
  json_builder_begin_object (builder);
  for (guint k = 0; k < BT_N_ALERT_KINDS; k++)
    {
      json_builder_set_member_name (builder, bt_alert_kind_name (k));
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "enabled");
      json_builder_add_boolean_value (builder, rules->alert_enabled[k]);
      json_builder_end_object (builder);
    }
  add_fields (builder, rules, alert_fields, G_N_ELEMENTS (alert_fields));
  json_builder_set_member_name (builder, "cross_levels");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rules->alert_cross_n; i++)
    json_builder_add_double_value (builder, rules->alert_cross_levels[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}
