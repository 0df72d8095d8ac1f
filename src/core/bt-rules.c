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
 *   thresholds.<name>                                number (threshold_fields, bt-rules-set.c)
 *   thresholds.ladder                                "score:leverage,..." (distinct scores)
 *   alerts.<kind>.enabled                            true/false (or 1/0)
 *   alerts.<name>                                    number (alert_fields, bt-rules-set.c)
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
#include "bt-base-private.h"
#include "bt-rules.h"
#include "bt-rules-private.h"

G_DEFINE_QUARK (bt-rules-error-quark, bt_rules_error)

const char *const _bt_rules_item_names[BT_N_ITEMS] = {
  "mvrv_z_score", "realized_price_ratio", "puell_multiple",
  "rsi_weekly", "funding_rate_7d", "rsi_monthly", "sth_sopr", "exchange_netflow",
  "long_short_ratio",
  "ema_system", "bbw",
};

const char *const _bt_rules_category_names[BT_N_CATEGORIES] = {
  "cycle", "momentum", "technical",
};

static const BtCategory item_categories[BT_N_ITEMS] = {
  BT_CATEGORY_CYCLE, BT_CATEGORY_CYCLE, BT_CATEGORY_CYCLE,
  BT_CATEGORY_MOMENTUM, BT_CATEGORY_MOMENTUM, BT_CATEGORY_MOMENTUM, BT_CATEGORY_MOMENTUM,
  BT_CATEGORY_MOMENTUM, BT_CATEGORY_MOMENTUM,
  BT_CATEGORY_TECHNICAL, BT_CATEGORY_TECHNICAL,
};

/* ---- names ---- */

BT_NAME_GETTER (bt_item_name, BtItem, _bt_rules_item_names, BT_N_ITEMS)
BT_NAME_PARSER (bt_item_from_name, BtItem, _bt_rules_item_names, BT_N_ITEMS)
BT_NAME_GETTER (bt_category_name, BtCategory, _bt_rules_category_names, BT_N_CATEGORIES)
BT_NAME_PARSER (_bt_rules_category_from_name, BtCategory, _bt_rules_category_names,
                BT_N_CATEGORIES)

BtCategory
bt_item_category (BtItem item)
{
  g_return_val_if_fail ((guint) item < BT_N_ITEMS, BT_CATEGORY_CYCLE);
  return item_categories[item];
}

gboolean
_bt_rules_item_has_band (BtItem item)
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

const char *const _bt_rules_profile_names[BT_N_RULES_PROFILES] = { "adaptive", "seed-v5" };

BT_NAME_GETTER (bt_rules_profile_name, BtRulesProfile, _bt_rules_profile_names, BT_N_RULES_PROFILES)
BT_NAME_PARSER (bt_rules_profile_from_name, BtRulesProfile, _bt_rules_profile_names,
                BT_N_RULES_PROFILES)

/* The seed's rule set ("Seed v5"): docs/rulebook.md as first written, the
 * baseline of every change recorded in docs/rulebook.md. */
static void
init_seed_v5 (BtRules *rules)
{
  memset (rules, 0, sizeof *rules);
  rules->profile = BT_RULES_PROFILE_SEED_V5;
  /* §1 freshness, §2 composites, §5 decision thresholds, Kelly, §6 alert
   * levels: the seed column of the field tables */
  _bt_rules_init_seed_fields (rules);

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

  /* §4 risk bands */
  BAND_INIT (&rules->health_factor_band,
             1.0, 0, 1.1, 10, 1.25, 30, 1.5, 60, 2.0, 85, 3.0, 100);
  BAND_INIT (&rules->distance_band,
             0, 0, 10, 10, 20, 30, 35, 60, 50, 85, 70, 100);

  /* §5 leverage ladder, scores descending */
  rules->ladder_n = 3;
  rules->ladder_score[0] = 80;
  rules->ladder_leverage[0] = 2.5;
  rules->ladder_score[1] = 70;
  rules->ladder_leverage[1] = 2.0;
  rules->ladder_score[2] = 60;
  rules->ladder_leverage[2] = 1.5;

  /* §6 alerts */
  for (guint k = 0; k < BT_N_ALERT_KINDS; k++)
    rules->alert_enabled[k] = TRUE;
  rules->alert_cross_n = 3;
  rules->alert_cross_levels[0] = 40;
  rules->alert_cross_levels[1] = 60;
  rules->alert_cross_levels[2] = 80;
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

gboolean
_bt_rules_invalid (GError    **error,
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
    return _bt_rules_invalid (error, _("The band “%s” needs between 2 and %d knots"), name, BT_MAX_KNOTS);
  for (guint i = 0; i < band->n; i++)
    {
      if (!isfinite (band->x[i]))
        return _bt_rules_invalid (error, _("The band “%s” has a value that is not a number"), name);
      if (!in_range (band->y[i], 0, 100))
        return _bt_rules_invalid (error, _("The band “%s” has a score outside 0–100"), name);
      if (i > 0 && !(band->x[i] > band->x[i - 1]))
        return _bt_rules_invalid (error, _("The values of the band “%s” must be strictly increasing"), name);
    }
  return TRUE;
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
        return _bt_rules_invalid (error, _("The weight of the category “%s” must be a number ≥ 0"),
                                  _bt_rules_category_names[c]);
      cat_total += rules->category_weight[c];
      for (guint i = 0; i < BT_N_ITEMS; i++)
        {
          if (item_categories[i] != c)
            continue;
          if (!in_range (rules->item_weight[i], 0, G_MAXDOUBLE))
            return _bt_rules_invalid (error, _("The weight of the indicator “%s” must be a number ≥ 0"),
                                      _bt_rules_item_names[i]);
          item_total += rules->item_weight[i];
        }
      /* a category switched off (weight 0) may have all its indicators off */
      if (rules->category_weight[c] > 0 && !(item_total > 0))
        return _bt_rules_invalid (error, _("The indicator weights of the category “%s” are all zero"),
                                  _bt_rules_category_names[c]);
    }
  if (!(cat_total > 0))
    return _bt_rules_invalid (error, _("The category weights are all zero"));

  /* bands */
  for (guint i = 0; i < BT_N_ITEMS; i++)
    if (_bt_rules_item_has_band (i) && !validate_band (&rules->band[i], _bt_rules_item_names[i], error))
      return FALSE;
  if (!validate_band (&rules->health_factor_band, BAND_HEALTH_FACTOR, error))
    return FALSE;
  if (!validate_band (&rules->distance_band, BAND_LIQUIDATION_DISTANCE, error))
    return FALSE;

  /* composites */
  if (!in_range (rules->ema_position_weight, 0, G_MAXDOUBLE)
      || !in_range (rules->ema_alignment_weight, 0, G_MAXDOUBLE)
      || !(rules->ema_position_weight + rules->ema_alignment_weight > 0))
    return _bt_rules_invalid (error, _("The EMA system weights must be ≥ 0 and not both zero"));
  if (rules->bbw_window_days < 1 || rules->bbw_min_days < 1
      || rules->bbw_min_days > rules->bbw_window_days)
    return _bt_rules_invalid (error, _("The BBW window must hold at least its minimum number of days"));

  /* freshness */
  if (!in_range (rules->fresh_daily_days, 0, G_MAXDOUBLE) || rules->fresh_daily_days == 0
      || !in_range (rules->fresh_weekly_days, 0, G_MAXDOUBLE) || rules->fresh_weekly_days == 0
      || !in_range (rules->fresh_monthly_days, 0, G_MAXDOUBLE) || rules->fresh_monthly_days == 0
      || !in_range (rules->fresh_position_minutes, 0, G_MAXDOUBLE)
      || rules->fresh_position_minutes == 0)
    return _bt_rules_invalid (error, _("Freshness limits must be positive"));

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
        return _bt_rules_invalid (error, _("The threshold “%s” must be between 0 and 100"), pct[i].name);
  }
  if (!isfinite (rules->low_market_ema_max) || !isfinite (rules->trend_exit_ema))
    return _bt_rules_invalid (error, _("The EMA-144 distances of the low-market and trend rules must be numbers"));
  if (!isfinite (rules->take_profit_ema_distance))
    return _bt_rules_invalid (error, _("The threshold “%s” must be a number"), "take_profit_ema_distance");
  if (!isfinite (rules->entry_ema_min) || !isfinite (rules->entry_ema_max)
      || rules->entry_ema_min > rules->entry_ema_max)
    return _bt_rules_invalid (error, _("The entry EMA-144 distance range is empty"));
  if (!isfinite (rules->add_ema_min) || !isfinite (rules->add_ema_max)
      || rules->add_ema_min > rules->add_ema_max)
    return _bt_rules_invalid (error, _("The add EMA-144 distance range is empty"));

  /* leverage */
  if (!in_range (rules->max_leverage, 1, 100))
    return _bt_rules_invalid (error, _("The maximum leverage must be between 1 and 100"));
  if (!in_range (rules->entry_leverage, 0, 100) || rules->entry_leverage == 0)
    return _bt_rules_invalid (error, _("The entry leverage must be positive"));
  if (!in_range (rules->ladder_floor_leverage, 0, 100))
    return _bt_rules_invalid (error, _("The leverage below the ladder must be between 0 and 100"));
  if (rules->ladder_n < 1 || rules->ladder_n > G_N_ELEMENTS (rules->ladder_score))
    return _bt_rules_invalid (error, _("The leverage ladder needs between 1 and %d steps"),
                              (int) G_N_ELEMENTS (rules->ladder_score));
  for (guint i = 0; i < rules->ladder_n; i++)
    {
      if (!in_range (rules->ladder_score[i], 0, 100))
        return _bt_rules_invalid (error, _("The leverage ladder has a score outside 0–100"));
      if (!in_range (rules->ladder_leverage[i], 0, 100) || rules->ladder_leverage[i] == 0)
        return _bt_rules_invalid (error, _("The leverage ladder has a leverage that is not positive"));
      if (i > 0 && !(rules->ladder_score[i] < rules->ladder_score[i - 1]))
        return _bt_rules_invalid (error, _("The leverage ladder has the same score twice"));
    }

  if ((guint) rules->profile >= BT_N_RULES_PROFILES)
    return _bt_rules_invalid (error, _("Unknown rule profile"));
  if (rules->rank_window_days < 2 || rules->rank_min_days < 1
      || rules->rank_min_days > rules->rank_window_days)
    return _bt_rules_invalid (error, _("The adaptive band window must hold at least its minimum number of days"));
  if (rules->crash_window_days > 365)
    return _bt_rules_invalid (error, _("The crash window must be at most 365 days"));
  if (!in_range (rules->crash_margin_pct, 0, 90))
    return _bt_rules_invalid (error, _("The crash margin must be between 0 and 90 percentage points"));
  if (rules->safety_first > 1)
    return _bt_rules_invalid (error, _("“safety_first” must be 0 or 1"));
  if (rules->trim_above_cap > 1)
    return _bt_rules_invalid (error, _("“trim_above_cap” must be 0 or 1"));
  if (!in_range (rules->trim_tolerance_pct, 0, 100))
    return _bt_rules_invalid (error, _("The trim tolerance must be between 0 and 100 %%"));
  if (!in_range (rules->min_trade_pct, 0, 100))
    return _bt_rules_invalid (error, _("The minimum trade must be between 0 and 100 %% of equity"));

  /* Kelly */
  if (!in_range (rules->kelly_default_win_rate, 0, 1))
    return _bt_rules_invalid (error, _("The default win rate must be between 0 and 1"));
  if (!in_range (rules->kelly_default_payoff, 0, G_MAXDOUBLE) || rules->kelly_default_payoff == 0)
    return _bt_rules_invalid (error, _("The default payoff ratio must be positive"));
  if (!in_range (rules->kelly_fraction, 0, 1))
    return _bt_rules_invalid (error, _("The Kelly fraction must be between 0 and 1"));

  /* alerts */
  if (!in_range (rules->alert_hf_critical, 0, G_MAXDOUBLE)
      || !in_range (rules->alert_hf_warning, 0, G_MAXDOUBLE)
      || rules->alert_hf_critical > rules->alert_hf_warning)
    return _bt_rules_invalid (error, _("The critical health factor must be positive and not above the "
                                       "warning one"));
  if (!in_range (rules->alert_distance_warning, 0, 100))
    return _bt_rules_invalid (error, _("The liquidation distance alert must be between 0 and 100"));
  if (rules->alert_cross_n > G_N_ELEMENTS (rules->alert_cross_levels))
    return _bt_rules_invalid (error, _("At most %d market score levels can be watched"),
                              (int) G_N_ELEMENTS (rules->alert_cross_levels));
  for (guint i = 0; i < rules->alert_cross_n; i++)
    {
      if (!in_range (rules->alert_cross_levels[i], 0, 100))
        return _bt_rules_invalid (error, _("A market score level is outside 0–100"));
      if (i > 0 && !(rules->alert_cross_levels[i] > rules->alert_cross_levels[i - 1]))
        return _bt_rules_invalid (error, _("The market score levels must be strictly increasing"));
    }
  if (!in_range (rules->alert_cross_warning_below, 0, 100))
    return _bt_rules_invalid (error, _("The market score warning level must be between 0 and 100"));
  if (!in_range (rules->alert_heat, 0, G_MAXDOUBLE) || rules->alert_heat == 0)
    return _bt_rules_invalid (error, _("The portfolio heat alert must be positive"));
  if (!in_range (rules->alert_price_move_pct, 0, G_MAXDOUBLE) || rules->alert_price_move_pct == 0)
    return _bt_rules_invalid (error, _("The price move alert must be positive"));
  if (!isfinite (rules->alert_funding_low) || !isfinite (rules->alert_funding_high)
      || !(rules->alert_funding_low < rules->alert_funding_high))
    return _bt_rules_invalid (error, _("The low funding alert must be below the high one"));
  if (!in_range (rules->alert_stale_intervals, 0, G_MAXDOUBLE) || rules->alert_stale_intervals == 0)
    return _bt_rules_invalid (error, _("The stale data alert needs a positive number of intervals"));

  return TRUE;
}
