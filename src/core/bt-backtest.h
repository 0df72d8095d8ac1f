/* bt-backtest.h: the backtest of docs/rulebook.md §7.
 *
 * A run replays the live score and decision code (bt-scoring.h) day by day
 * over the shared, read-only history, indicator table and scores, with Aave
 * v3 mechanics: borrowing up to the LTV, daily interest, liquidation at the
 * day's low with close factor and bonus, fees and slippage.
 *
 * Within one day t (after the first) the order is:
 *   1. open   — if t has an open and the position carried from t−1 has a
 *               health factor below 1 at that open, it is liquidated at the
 *               open; then the action decided at t−1's close is executed at
 *               the open (slippage against the trader, fee on the notional);
 *   2. low    — liquidation check at the day's low (the close when no low is
 *               known): below the price where HF = 1 the position is
 *               liquidated at that price, or at the open when the day opened
 *               below it.  While the low is still below the new price
 *               where HF = 1, it is liquidated again there (up to 16 times);
 *   3. close  — when t has no open, the pending action executes now, at the
 *               close; then interest accrues on the debt (debt × apr / 365),
 *               equity is marked at the close and the decision of day t is
 *               taken (executed on t+1).
 * Day t0 (the first day with a close in the period): `invested` buys 1.0×
 * at t0's close paying fee and slippage (an ENTER trade, "initial
 * position"); `cash` holds the capital in stablecoins.  E_0 is the equity at
 * t0's close after that purchase.
 *
 * Prices: a day without a close is valued at the latest known close; a
 * pending action waits for the next day that has a price.  Kelly inputs in a
 * backtest are the rules' defaults (kelly_default_win_rate/payoff).
 * Liquidations pay no fee or slippage: the bonus is their cost.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bt-types.h"
#include "bt-rules.h"

G_BEGIN_DECLS

#define BT_BACKTEST_ERROR (bt_backtest_error_quark ())
typedef enum
{
  BT_BACKTEST_ERROR_INVALID_CONFIG,
  BT_BACKTEST_ERROR_NO_DATA,
} BtBacktestError;
GQuark bt_backtest_error_quark (void);

typedef enum
{
  BT_START_INVESTED = 0,
  BT_START_CASH,
} BtStartMode;

typedef struct
{
  double      initial_capital;        /* USD, 10000 */
  BtStartMode start_mode;             /* invested */
  double      max_leverage;           /* 2.5; also caps rules.max_leverage */
  double      fee_pct;                /* 0.10 % of the traded notional */
  double      slippage_pct;           /* 0.05 % against the trader */
  double      borrow_apr_pct;         /* 5.0 */
  double      ltv;                    /* 0.73 */
  double      liquidation_threshold;  /* 0.78 */
  double      liquidation_bonus;      /* 0.05 */
  BtDay       start_day;              /* BT_DAY_INVALID: first day with a close */
  BtDay       end_day;                /* BT_DAY_INVALID: last day with a close */
  BtRules     rules;                  /* weights, bands, thresholds of the run */
} BtBacktestConfig;

/* A copy of a configuration, e.g. in a signal's arguments. */
#define BT_TYPE_BACKTEST_CONFIG (bt_backtest_config_get_type ())
GType             bt_backtest_config_get_type (void) G_GNUC_CONST;
BtBacktestConfig *bt_backtest_config_copy     (const BtBacktestConfig *config);
void              bt_backtest_config_free     (BtBacktestConfig       *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtBacktestConfig, bt_backtest_config_free)

/* The numeric settings of a run (docs/rulebook.md §7), described once: the
 * defaults, the checks, `--set`, the configuration JSON and the window's
 * form all read this table (bt_backtest_setting_nth()).  The start mode and
 * the period are set apart (start_mode, start_date, end_date). */
typedef enum
{
  BT_SETTING_MIN_EXCLUSIVE = 1 << 0,  /* the value must be above the minimum */
  BT_SETTING_MAX_EXCLUSIVE = 1 << 1,  /* the value must be below the maximum */
  BT_SETTING_WITH_PERIOD   = 1 << 2,  /* asked for with the period (the window's first step) */
  BT_SETTING_CHECK_FIRST   = 1 << 3,  /* checked before the others (their limits may depend on it) */
} BtBacktestSettingFlags;

typedef struct
{
  const char *key;        /* for --set, the configuration JSON and a sweep's grid */
  const char *label;      /* N_(): its name with its unit, as the window shows it */
  const char *unit;       /* "USD", "%", "% a year", "×" or "" */
  double      def;        /* the default */
  double      min;
  double      max;        /* INFINITY: no upper limit */
  /* a check against the other settings, or NULL; sets ERROR */
  gboolean  (*check) (const BtBacktestConfig *config,
                      GError                **error);
  guint       flags;      /* BtBacktestSettingFlags */
  int         decimals;   /* shown with this many decimals */
  gsize       offset;     /* of its double in BtBacktestConfig */
  const char *error;      /* N_(): what the check says outside the limits */
  /* N_(): its part of a run's one-line settings summary (the window's
   * saved runs and picture), one %s for its value; NULL: not shown there */
  const char *summary;
} BtBacktestSetting;

/* The N-th setting, NULL past the end. */
const BtBacktestSetting *bt_backtest_setting_nth   (guint                    n);
/* The setting of KEY, NULL when there is none. */
const BtBacktestSetting *bt_backtest_setting_find  (const char              *key);
/* Its value in CONFIG. */
double                   bt_backtest_setting_get   (const BtBacktestSetting *setting,
                                                    const BtBacktestConfig  *config);
void                     bt_backtest_setting_set   (const BtBacktestSetting *setting,
                                                    BtBacktestConfig        *config,
                                                    double                   value);
/* TRUE when VALUE is within the setting's minimum and maximum. */
gboolean                 bt_backtest_setting_in_range (const BtBacktestSetting *setting,
                                                       double                   value);
/* The translated message of a value outside the limits. */
char                    *bt_backtest_setting_dup_error (const BtBacktestSetting *setting);

void      bt_backtest_config_init_default (BtBacktestConfig       *config);
/* Defaults, with RULES (e.g. the user's preferences) as the run's rules. */
void      bt_backtest_config_init_with_rules (BtBacktestConfig    *config,
                                              const BtRules       *rules);
/* KEY=VALUE with the docs/rulebook.md §7 names (initial_capital, start_mode,
 * max_leverage, fee_pct, slippage_pct, borrow_apr_pct, ltv,
 * liquidation_threshold, liquidation_bonus, start_date, end_date) or a
 * "weights.*", "bands.*", "thresholds.*" key of bt_rules_set().  On error
 * CONFIG is unchanged. */
gboolean  bt_backtest_config_set          (BtBacktestConfig       *config,
                                           const char             *key,
                                           const char             *value,
                                           GError                **error);
/* Members absent from OBJECT keep CONFIG's values.  On error CONFIG is
 * unchanged. */
gboolean  bt_backtest_config_from_json    (BtBacktestConfig       *config,
                                           JsonObject             *object,
                                           GError                **error);
/* Canonical JSON (fixed key order, shortest round-trip numbers). */
char     *bt_backtest_config_to_json      (const BtBacktestConfig *config);
/* HISTORY may be NULL (checks the values only). */
gboolean  bt_backtest_config_validate     (const BtBacktestConfig *config,
                                           const BtHistory        *history,
                                           GError                **error);
/* Bumped whenever the simulation changes, so that stored runs of an older
 * model are not returned for a new request. */
#define BT_BACKTEST_MODEL_VERSION 5

/* Hex SHA-256 of "btc-turbo-backtest-model-N\n" + bt_backtest_config_to_json(). */
char     *bt_backtest_config_hash         (const BtBacktestConfig *config);
/* The days the run covers: the first and last days of the period that have
 * a close.  FALSE (NO_DATA / INVALID_CONFIG) when there is none. */
gboolean  bt_backtest_config_resolve_period (const BtBacktestConfig *config,
                                             const BtHistory        *history,
                                             BtDay                  *first_day,
                                             BtDay                  *last_day,
                                             GError                **error);
/* TRUE when A and B give the same scores (same bands and weights). */
gboolean  bt_backtest_rules_same_scores   (const BtRules          *a,
                                           const BtRules          *b);

/* The shared read-only inputs of runs and sweeps.  SCORES (table->n_days
 * slots) were computed by bt_scores_compute_all() with SCORE_RULES; a run
 * whose rules score differently computes its own scores. */
typedef struct
{
  const BtHistory        *history;
  const BtIndicatorTable *table;
  const BtScores         *scores;
  const BtRules          *score_rules;
} BtBacktestInputs;

/* What INPUTS hold for a run: PRICE_FIRST..PRICE_LAST, the first and last
 * days with a close (the only days a period may start or end on), and
 * RULES_FIRST..RULES_LAST, the first and last days on which the rules can
 * decide: a close, a market score and a confidence of at least
 * score_rules->min_confidence (on other days every decision is "hold:
 * insufficient data").  Both BT_DAY_INVALID when no day qualifies.  FALSE
 * when there is no close.  Any pointer may be NULL. */
gboolean  bt_backtest_inputs_span         (const BtBacktestInputs *inputs,
                                           BtDay                  *price_first,
                                           BtDay                  *price_last,
                                           BtDay                  *rules_first,
                                           BtDay                  *rules_last);

typedef struct
{
  BtDay     day;
  BtAction  action;
  char     *reason;
  double    score_market;      /* of the decision day (for a liquidation: the day before) */
  double    mvrv_z_score;
  double    ema144_distance;
  double    rsi_daily;
  double    price;             /* fill price: market ± slippage; liquidation: market / (1 + bonus) */
  double    market_price;      /* the open, close or liquidation price of the fill */
  double    btc_amount;        /* BTC bought (> 0) or sold/seized (< 0) */
  double    fee_usd;
  double    size_pct;          /* buys: % of equity; sells: % of the BTC held */
  double    leverage_before;   /* marked at market_price */
  double    leverage_after;
  double    debt_after;
  double    pnl_usd;           /* sells: −btc_amount × (price − average cost); buys: 0 */
  double    pnl_pct;           /* pnl_usd / (BTC sold × average cost) × 100 */
  double    portfolio_value;   /* equity after the trade, marked at market_price */
} BtBacktestTrade;

/* Every field is a number (NAN when undefined) so results compare with memcmp. */
typedef struct
{
  double initial_capital;
  double final_value;
  double total_return;         /* % */
  double cagr;                 /* % */
  double sharpe_ratio;
  double sortino_ratio;
  double max_drawdown;         /* % */
  double calmar_ratio;
  double win_rate;             /* % */
  double total_trades;
  double profit_factor;
  double avg_win;              /* USD */
  double avg_loss;             /* USD, negative */
  double expectancy;           /* USD per selling trade */
  double max_drawdown_days;
  double btc_hold_return;      /* % */
  double outperformance;       /* percentage points */
  double fees_paid;
  double interest_paid;
  double liquidations;
  double exposure_pct;
  double max_leverage_reached;
  double min_health_factor;
  double selling_trades;
  double winning_trades;
  double losing_trades;
  double e0;                   /* E_0: the initial capital, before the first fill */
  double n_days;               /* days in the equity curve */
  double max_days_above_cap;   /* longest run of closes with leverage above the cap
                                * (ladder, max_leverage, crash guard) × (1 + trim tolerance) */
  double blocked_days;         /* days whose decision was held for confidence */
  double blocked_missing[BT_N_ITEMS]; /* of those, the days each indicator was missing */
} BtBacktestMetrics;

typedef struct
{
  BtBacktestConfig  config;
  char             *id;          /* set by the store; NULL before */
  BtDay             first_day;
  BtDay             last_day;
  guint             n_days;      /* last_day − first_day + 1 */
  guint64           data_version;
  double           *equity;      /* n_days slots each */
  double           *btc_price;
  double           *leverage;
  double           *health_factor;  /* NAN without debt */
  GArray           *trades;      /* BtBacktestTrade, reason owned */
  BtBacktestMetrics metrics;
} BtBacktestResult;

BtBacktestResult *bt_backtest_result_new  (void);
void              bt_backtest_result_free (BtBacktestResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtBacktestResult, bt_backtest_result_free)

/* Validate CONFIG and run it.  CANCELLABLE is checked every few hundred days. */
BtBacktestResult *bt_backtest_run         (const BtBacktestConfig *config,
                                           const BtBacktestInputs *inputs,
                                           GCancellable           *cancellable,
                                           GError                **error);
/* The same loop keeping only the metrics (what a sweep stores). */
gboolean          bt_backtest_run_metrics (const BtBacktestConfig *config,
                                           const BtBacktestInputs *inputs,
                                           GCancellable           *cancellable,
                                           BtBacktestMetrics      *metrics,
                                           GError                **error);

/* What the data hold for a period (the wizard's check before a run): days
 * with a close, days each scored item is present, days whose decision
 * would be held for confidence (below rules->min_confidence). */
typedef struct
{
  guint n_days;
  guint price_days;
  guint item_days[BT_N_ITEMS];
  guint blocked_days;
} BtBacktestCoverage;

void              bt_backtest_coverage    (const BtBacktestInputs *inputs,
                                           const BtRules          *rules,
                                           BtDay                   from,
                                           BtDay                   to,
                                           BtBacktestCoverage     *out);
/* A translated warning naming what is missing from FROM to TO, or NULL
 * when every day has a price and confidence enough to act. */
char             *bt_backtest_coverage_dup_warning (const BtBacktestCoverage *coverage,
                                                    const BtRules            *rules,
                                                    BtDay                     from,
                                                    BtDay                     to);

/* Called on the caller's main context with the fraction (0..1) of the
 * run's days done: at most about 100 times, the last time with 1. */
typedef void (*BtBacktestProgressFunc) (double   fraction,
                                        gpointer user_data);

/* In a worker thread.  SOURCE_OBJECT (may be NULL, e.g. the engine owning
 * INPUTS) is kept alive by the task; INPUTS must stay unchanged until the
 * callback runs.  PROGRESS (may be NULL) is invoked on the thread-default
 * main context of the caller, with fractions that never go back, never after
 * the run was cancelled; PROGRESS_NOTIFY frees PROGRESS_DATA when the task
 * is done. */
void              bt_backtest_run_async   (GObject                *source_object,
                                           const BtBacktestConfig *config,
                                           const BtBacktestInputs *inputs,
                                           GCancellable           *cancellable,
                                           BtBacktestProgressFunc  progress,
                                           gpointer                progress_data,
                                           GDestroyNotify          progress_notify,
                                           GAsyncReadyCallback     callback,
                                           gpointer                user_data);
BtBacktestResult *bt_backtest_run_finish  (GAsyncResult           *result,
                                           GError                **error);

/* Metrics as a JSON object with the `backtest --json` keys (percentages in
 * %, NAN as null), plus "id" and "config" (the canonical configuration). */
char             *bt_backtest_result_to_json (const BtBacktestResult *result);
/* The metrics members only, as one JSON object (the backtest_runs.metrics column). */
char             *bt_backtest_metrics_to_json (const BtBacktestMetrics *metrics);
gboolean          bt_backtest_metrics_from_json (BtBacktestMetrics *metrics,
                                                 const char        *json,
                                                 GError           **error);

/* CSV: header date,equity,btc_price,leverage,health_factor */
char             *bt_backtest_result_equity_csv (const BtBacktestResult *result);
/* CSV: header date,action,reason,score_market,mvrv_z_score,ema144_distance,
 * rsi_daily,price,market_price,btc_amount,fee_usd,size_pct,leverage_before,
 * leverage_after,debt_after,pnl_usd,pnl_pct,portfolio_value */
char             *bt_backtest_result_trades_csv (const BtBacktestResult *result);

const char       *bt_start_mode_name      (BtStartMode mode);

G_END_DECLS
