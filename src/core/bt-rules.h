/* bt-rules.h: every band, weight and threshold of docs/rulebook.md, in one place.
 *
 * bt_rules_init_default() holds the only copy of the defaults.  Preferences
 * and backtests override any value through bt_rules_set() ("KEY=VALUE" with
 * dotted keys) or bt_rules_merge_json() (the `weights`, `bands`,
 * `thresholds` objects of a backtest configuration).
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bt-types.h"

G_BEGIN_DECLS

#define BT_RULES_ERROR (bt_rules_error_quark ())
typedef enum
{
  BT_RULES_ERROR_UNKNOWN_KEY,
  BT_RULES_ERROR_INVALID_VALUE,
} BtRulesError;
GQuark bt_rules_error_quark (void);

#define BT_MAX_KNOTS 12

/* Aave v3 WBTC liquidation threshold: the backtest's default and the one a
 * live decision assumes when the position does not say (docs/rulebook.md §4). */
#define BT_DEFAULT_LIQUIDATION_THRESHOLD 0.78

/* Named rule sets (docs/rulebook.md §0).  ADAPTIVE is the default; SEED_V5
 * keeps the static bands and rules of the seed, so its results can be
 * compared and reproduced. */
typedef enum
{
  BT_RULES_PROFILE_ADAPTIVE = 0,
  BT_RULES_PROFILE_SEED_V5,
  BT_N_RULES_PROFILES
} BtRulesProfile;

/* Piecewise-linear band: knots ordered by strictly increasing x. */
typedef struct
{
  guint  n;
  double x[BT_MAX_KNOTS];
  double y[BT_MAX_KNOTS];
} BtBand;

typedef struct
{
  BtRulesProfile profile;            /* what the other values started from */
  /* §2 bands per scored item (unused for the composites) */
  BtBand   band[BT_N_ITEMS];
  /* §2 adaptive bands: an item with band_rank scores 100 − its percentile
   * rank among its own values of the trailing rank_window_days (today
   * included), like BBW; missing with fewer than rank_min_days values. */
  gboolean band_rank[BT_N_ITEMS];
  guint    rank_window_days;         /* 1461: one halving cycle */
  guint    rank_min_days;            /* 365 */
  /* §2 composites */
  double   ema_position_weight;      /* 0.6 */
  double   ema_alignment_weight;     /* 0.4 */
  guint    bbw_window_days;          /* 365 */
  guint    bbw_min_days;             /* 60 */
  /* §3 weights; an item of weight 0 is switched off */
  double   category_weight[BT_N_CATEGORIES];   /* 50, 20, 30 */
  double   item_weight[BT_N_ITEMS];            /* 25, 20, 5 | 8, 7, 5, 3, 3, 2 | 20, 10 */
  /* §1 freshness limits, days */
  double   fresh_daily_days;         /* 2 */
  double   fresh_weekly_days;        /* 8 */
  double   fresh_monthly_days;       /* 35 */
  double   fresh_position_minutes;   /* 15 */
  /* §4 risk */
  BtBand   health_factor_band;
  BtBand   distance_band;
  /* §5 decision thresholds */
  double   min_confidence;           /* 50 */
  double   circuit_risk;             /* 30 */
  double   low_market;               /* 40 */
  double   low_market_reduce_pct;    /* 50 */
  double   low_market_ema_max;       /* the low-market rule needs ema144 distance ≤ this (seed: 1e6, i.e. always) */
  double   trend_exit_ema;           /* a position is left when ema144 distance < this (seed: -1e6, i.e. never) */
  double   take_profit_ema_distance; /* 40 */
  double   take_profit_rsi;          /* 75 */
  double   take_profit_reduce_pct;   /* 25 */
  double   entry_market;             /* 50 */
  double   entry_ema_min;            /* -5 */
  double   entry_ema_max;            /* 15 */
  double   entry_rsi;                /* 55 */
  double   entry_leverage;           /* 1.0 */
  double   add_market;               /* 60 */
  double   add_ema_min;              /* -5 */
  double   add_ema_max;              /* 10 */
  double   add_rsi;                  /* 45 */
  /* leverage ladder: market >= ladder_score[i] → ladder_leverage[i], i descending */
  guint    ladder_n;                 /* 3 */
  double   ladder_score[4];          /* 80, 70, 60 */
  double   ladder_leverage[4];       /* 2.5, 2.0, 1.5 */
  double   ladder_floor_leverage;    /* 1.0: below the last step, no increase */
  double   max_leverage;             /* user-wide hard cap, 2.5 */
  /* crash guard (docs/rulebook.md §5.2): the liquidation distance must stay
   * beyond the worst fall seen over crash_window_days plus crash_margin_pct;
   * window 0 switches it off */
  guint    crash_window_days;        /* 2 (seed: 0) */
  double   crash_margin_pct;         /* 10 percentage points */
  /* trim a position above its cap (ladder, max_leverage, crash guard) */
  guint    trim_above_cap;           /* 1 (seed: 0) */
  double   trim_tolerance_pct;       /* 2: trim when leverage > cap × 1.02 */
  /* circuit breaker, crash guard and trimming to max_leverage come before
   * the confidence check: they need the position, not the market score */
  guint    safety_first;             /* 1 (seed: 0) */
  /* smallest trade, % of equity; a REDUCE leaving less exits (0: off) */
  double   min_trade_pct;            /* 5 (seed: 0) */
  /* Kelly */
  double   kelly_default_win_rate;   /* 0.55 */
  double   kelly_default_payoff;     /* 1.5 */
  double   kelly_fraction;           /* 0.5 (half-Kelly) */
  double   kelly_max_percent;        /* 25 */
  /* §6 alerts */
  gboolean alert_enabled[BT_N_ALERT_KINDS];
  double   alert_hf_warning;         /* 1.5 */
  double   alert_hf_critical;        /* 1.25 */
  double   alert_distance_warning;   /* 25 */
  guint    alert_cross_n;            /* 3 */
  double   alert_cross_levels[4];    /* 40, 60, 80 */
  double   alert_cross_warning_below;/* 40 */
  double   alert_heat;               /* 100 */
  double   alert_price_move_pct;     /* 10 */
  double   alert_funding_high;       /* 0.05 */
  double   alert_funding_low;        /* -0.03 */
  double   alert_stale_intervals;    /* 3 */
} BtRules;

/* The default profile (adaptive). */
void      bt_rules_init_default (BtRules       *rules);
/* Every value of PROFILE's rule set. */
void      bt_rules_init_profile (BtRules       *rules,
                                 BtRulesProfile profile);
/* "adaptive", "seed-v5" */
const char *bt_rules_profile_name      (BtRulesProfile profile);
gboolean    bt_rules_profile_from_name (const char    *name,
                                        BtRulesProfile *out);

/* Set one value: KEY is dotted, e.g. "thresholds.min_confidence",
 * "weights.categories.cycle", "weights.indicators.mvrv_z_score",
 * "bands.rsi_weekly" (VALUE "30:100,40:85,..." or "rank"), "alerts.health_factor.enabled",
 * "profile" (VALUE "adaptive" or "seed-v5": every scoring and decision value
 * is reset to that profile's, the alert settings are kept).
 * VALUE is parsed independently of the locale.  On error RULES is unchanged. */
gboolean  bt_rules_set          (BtRules       *rules,
                                 const char    *key,
                                 const char    *value,
                                 GError       **error);

/* Apply the `profile` (first), `weights`, `bands`, `thresholds` and
 * `alerts` members of OBJECT.
 * Validated as a whole: on error RULES is unchanged. */
gboolean  bt_rules_merge_json   (BtRules       *rules,
                                 JsonObject    *object,
                                 GError       **error);

/* Write the rules as {"profile":…, "weights":…, "bands":…, "thresholds":…, "alerts":…}. */
void      bt_rules_to_json      (const BtRules *rules,
                                 JsonBuilder   *builder);

gboolean  bt_rules_validate     (const BtRules *rules,
                                 GError       **error);

/* Names used in JSON, CSV and the database. */
const char *bt_item_name        (BtItem        item);
const char *bt_category_name    (BtCategory    category);
BtCategory  bt_item_category    (BtItem        item);
gboolean    bt_item_from_name   (const char   *name,
                                 BtItem       *out);

G_END_DECLS
