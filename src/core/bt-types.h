/* bt-types.h: shared enums and plain data structures of the BTC Turbo core.
 *
 * The core computes on plain C arrays (columnar, one slot per calendar day)
 * so that indicators, scores and backtests run in a few milliseconds; the
 * GObject domain objects (bt-domain.h) wrap single days for the CLI and the
 * window.
 *
 * Days are "unix days": the number of days since 1970-01-01 UTC (a gint32).
 * A missing number is NAN, never 0.
 */
#pragma once

#include <glib.h>
#include <math.h>

G_BEGIN_DECLS

typedef gint32 BtDay;

#define BT_DAY_INVALID G_MININT32

/* ---- where a value came from ------------------------------------------ */

typedef enum
{
  BT_SOURCE_NONE = 0,
  BT_SOURCE_BINANCE,
  BT_SOURCE_BINANCE_FUTURES,
  BT_SOURCE_COINBASE,
  BT_SOURCE_KRAKEN,
  BT_SOURCE_COINMETRICS,
  BT_SOURCE_BGEOMETRICS,
  BT_SOURCE_ETHEREUM,
  BT_SOURCE_NOTION,
  BT_SOURCE_IMPORT,      /* a CSV given to `import` */
  BT_SOURCE_V1,          /* the legacy v1.0.25 tables (`migrate-v1`) */
  BT_SOURCE_COMPUTED,    /* derived locally from other series */
  BT_N_SOURCES
} BtSource;

/* ---- quality flag of one indicator on one day (docs/rulebook.md §3) ---------- */

typedef enum
{
  BT_FLAG_MISSING = 0,
  BT_FLAG_OK,
  BT_FLAG_STALE,
  BT_FLAG_IMPORTED,
  BT_N_FLAGS
} BtFlag;

/* ---- raw daily inputs (what the store loads, what collectors/imports feed) */

typedef enum
{
  BT_INPUT_OPEN = 0,
  BT_INPUT_HIGH,
  BT_INPUT_LOW,
  BT_INPUT_CLOSE,
  BT_INPUT_VOLUME,
  BT_INPUT_MARKET_CAP,       /* CapMrktCurUSD, USD */
  BT_INPUT_REALIZED_CAP,     /* CapRealUSD or CapMrktCurUSD / CapMVRVCur, USD */
  BT_INPUT_MVRV_RATIO,       /* CapMVRVCur */
  BT_INPUT_SUPPLY,           /* SplyCur, BTC */
  BT_INPUT_ISSUANCE_USD,     /* IssTotUSD (or IssTotNtv × price) */
  BT_INPUT_NETFLOW,          /* FlowInExNtv − FlowOutExNtv, BTC/day */
  BT_INPUT_STH_SOPR,
  BT_INPUT_FUNDING_SUM,      /* sum of the day's funding rates, % per 8 h */
  BT_INPUT_FUNDING_COUNT,    /* number of settlements in that sum */
  BT_INPUT_LONG_SHORT,       /* global long/short account ratio */
  BT_N_INPUTS
} BtInput;

/* ---- indicators: the `indicators` CSV/JSON columns, in contract order ---- */

typedef enum
{
  BT_IND_BTC_PRICE = 0,
  BT_IND_EMA_17_1D,
  BT_IND_EMA_34_1D,
  BT_IND_EMA_144_1D,
  BT_IND_EMA_305_1D,
  BT_IND_EMA_610_1D,
  BT_IND_EMA_17_1W,
  BT_IND_EMA_34_1W,
  BT_IND_EMA_144_1W,
  BT_IND_EMA_305_1W,
  BT_IND_EMA_610_1W,
  BT_IND_RSI_DAILY,
  BT_IND_RSI_WEEKLY,
  BT_IND_RSI_MONTHLY,
  BT_IND_BB_UPPER,
  BT_IND_BB_MIDDLE,
  BT_IND_BB_LOWER,
  BT_IND_BBW_PERCENTAGE,
  BT_IND_MVRV_Z_SCORE,
  BT_IND_REALIZED_PRICE_RATIO,
  BT_IND_PUELL_MULTIPLE,
  BT_IND_STH_SOPR,
  BT_IND_EXCHANGE_NETFLOW,
  BT_IND_FUNDING_RATE_7D,
  BT_IND_LONG_SHORT_RATIO,
  BT_N_INDICATORS
} BtIndicator;

#define BT_N_EMA_PERIODS 5
extern const guint bt_ema_periods[BT_N_EMA_PERIODS]; /* 17, 34, 144, 305, 610 */

/* ---- scored items (docs/rulebook.md §2–3) ------------------------------------ */

typedef enum
{
  BT_ITEM_MVRV_Z_SCORE = 0,
  BT_ITEM_REALIZED_PRICE_RATIO,
  BT_ITEM_PUELL_MULTIPLE,
  BT_ITEM_RSI_WEEKLY,
  BT_ITEM_FUNDING_RATE_7D,
  BT_ITEM_RSI_MONTHLY,
  BT_ITEM_STH_SOPR,
  BT_ITEM_EXCHANGE_NETFLOW,
  BT_ITEM_LONG_SHORT_RATIO,
  BT_ITEM_EMA_SYSTEM,        /* composite */
  BT_ITEM_BBW,               /* composite: percentile of bbw_percentage */
  BT_N_ITEMS
} BtItem;

typedef enum
{
  BT_CATEGORY_CYCLE = 0,
  BT_CATEGORY_MOMENTUM,
  BT_CATEGORY_TECHNICAL,
  BT_N_CATEGORIES
} BtCategory;

/* ---- decisions (docs/rulebook.md §5) ----------------------------------------- */

typedef enum
{
  BT_ACTION_HOLD = 0,
  BT_ACTION_ENTER,
  BT_ACTION_ADD,
  BT_ACTION_REDUCE,
  BT_ACTION_EXIT,
  BT_ACTION_LIQUIDATION,     /* backtests only: forced by the protocol */
  BT_N_ACTIONS
} BtAction;

typedef enum
{
  BT_URGENCY_LOW = 0,
  BT_URGENCY_MEDIUM,
  BT_URGENCY_HIGH,
  BT_URGENCY_CRITICAL,
  BT_N_URGENCIES
} BtUrgency;

typedef enum
{
  BT_RULE_INSUFFICIENT_DATA = 0,
  BT_RULE_CIRCUIT_BREAKER,
  BT_RULE_LOW_MARKET,
  BT_RULE_TAKE_PROFIT,
  BT_RULE_ENTRY,
  BT_RULE_ADD,
  BT_RULE_HOLD,
  BT_RULE_CRASH_GUARD,       /* liquidation distance inside the worst fall seen */
  BT_RULE_TRIM,              /* leverage above the ladder, max_leverage or crash cap */
  BT_RULE_TREND_BREAK,       /* the price fell well below its 144-day EMA */
  BT_N_RULES
} BtRule;

typedef enum
{
  BT_SEVERITY_INFO = 0,
  BT_SEVERITY_WARNING,
  BT_SEVERITY_CRITICAL,
  BT_N_SEVERITIES
} BtSeverity;

typedef enum
{
  BT_ALERT_HEALTH_FACTOR = 0,
  BT_ALERT_LIQUIDATION_DISTANCE,
  BT_ALERT_MARKET_SCORE_CROSS,
  BT_ALERT_DECISION_CHANGED,
  BT_ALERT_PORTFOLIO_HEAT,
  BT_ALERT_PRICE_MOVE,
  BT_ALERT_FUNDING_EXTREME,
  BT_ALERT_DATA_STALE,
  BT_N_ALERT_KINDS
} BtAlertKind;

/* ---- the history: dense calendar of raw inputs --------------------------
 *
 * Slot i is day first_day + i; every column has n_days slots, NAN where
 * nothing is known.  `imported[ind]` holds indicator values that came
 * ready-made (v1 migration, CSV with indicator columns); the indicator
 * engine uses them where it cannot compute a value itself.
 */
typedef struct
{
  BtDay    first_day;
  guint    n_days;
  double  *input[BT_N_INPUTS];
  guint8  *input_source[BT_N_INPUTS];       /* BtSource per slot */
  double  *imported[BT_N_INDICATORS];        /* NULL column = nothing imported */
  guint8  *imported_source[BT_N_INDICATORS];
  guint64  data_version;                     /* bumps on every write to inputs */
} BtHistory;

/* ---- raw observations, as collectors and imports hand them to the store --
 *
 * Candles are stored per (source, interval, open_time).  Observations are
 * stored per (source, metric, time); metric names are bt_input_name() of
 * the BtInput they feed ("market_cap", "realized_cap", "mvrv_ratio",
 * "supply", "issuance_usd", "netflow", "sth_sopr", "long_short"), plus
 * "funding_rate" (one settlement, % per 8 h, at its fundingTime) and, for
 * sources import/v1, indicator column names (bt_indicator_name()) for
 * ready-made indicator values.
 */
typedef struct
{
  gint64   open_time;   /* unix seconds, start of the period (UTC) */
  double   open;        /* NAN where the source gives only a close */
  double   high;
  double   low;
  double   close;
  double   volume;
  gboolean provisional; /* the period has not ended yet */
} BtCandle;

typedef struct
{
  gint64 time;          /* unix seconds (daily metrics: start of the UTC day) */
  double value;
} BtObservation;

/* ---- indicator values for every day ------------------------------------ */
typedef struct
{
  BtDay    first_day;
  guint    n_days;
  double  *value[BT_N_INDICATORS];
  guint8  *flag[BT_N_INDICATORS];    /* BtFlag */
  guint8  *source[BT_N_INDICATORS];  /* BtSource */
} BtIndicatorTable;

/* ---- scores of one day -------------------------------------------------- */
typedef struct
{
  double item_value[BT_N_ITEMS];   /* the indicator value scored (NAN if missing) */
  double item_score[BT_N_ITEMS];   /* 0–100 (NAN if missing) */
  guint8 item_flag[BT_N_ITEMS];    /* BtFlag */
  guint8 item_source[BT_N_ITEMS];  /* BtSource */
  double category[BT_N_CATEGORIES];/* NAN when no present indicator */
  double market;                   /* NAN when no category */
  double confidence;               /* 0–100 */
} BtScores;

/* ---- position and decision ---------------------------------------------- */
typedef struct
{
  gboolean has_position;      /* holds BTC (leverage > 0) */
  double   collateral_usd;    /* NAN when unknown */
  double   debt_usd;
  double   leverage;          /* collateral / (collateral − debt); 0 without position */
  double   health_factor;     /* NAN without debt */
  double   liquidation_price; /* NAN without debt */
  double   liquidation_distance; /* % , NAN without debt */
  double   risk_score;        /* 100 without debt */
} BtPositionState;

typedef struct
{
  double   market;            /* scores of the day */
  double   confidence;
  double   ema144_distance;   /* (close / ema_144_1d − 1) × 100 */
  double   rsi_daily;
  double   mvrv_z_score;      /* carried for trade records and reasons */
  double   price;
  double   kelly_win_rate;    /* p of the latest full-history backtest, NAN = default */
  double   kelly_payoff;      /* b, NAN = default */
  /* the worst fall of the history up to the day over the crash window
   * (docs/rulebook.md §5.2): fraction 0..1, NAN when unknown or switched off */
  double   worst_fall;
  BtDay    worst_fall_from;   /* the close it fell from */
  BtDay    worst_fall_to;     /* the day of the low it reached */
  double   liquidation_threshold; /* of the position (NAN: the default) */
} BtDecisionInputs;

typedef struct
{
  BtAction  action;
  BtRule    rule;
  BtUrgency urgency;
  double    size_percent;     /* % of the position (REDUCE/EXIT) or of portfolio value (ADD) */
  double    target_leverage;
  double    ladder_max;       /* maximum leverage the market score allows */
  double    heat;             /* portfolio heat, % */
  double    kelly_percent;    /* half-Kelly size used, % */
  double    crash_cap;        /* highest leverage whose liquidation distance clears the
                               * worst fall plus margin (+inf when none applies) */
} BtDecision;

G_END_DECLS
