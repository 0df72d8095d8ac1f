/* bt-domain.h: read-only GObjects describing one day, one position snapshot
 * and one alert, for the CLI and the window to show or bind.
 *
 * Every double property may hold NAN (a missing value).  GParamSpecDouble
 * cannot declare NAN as its default, so the declared default is 0; the
 * objects are built complete by their constructors and NAN is set
 * explicitly wherever a value is unknown.
 */
#pragma once

#include <gio/gio.h>

#include "bt-types.h"

G_BEGIN_DECLS

/* ---- BtMarketDay: one market_data row ---------------------------------- */

typedef struct
{
  double   open;                         /* NAN where unknown */
  double   high;
  double   low;
  double   volume;
  double   value[BT_N_INDICATORS];       /* value[BT_IND_BTC_PRICE] is the close */
  guint8   flag[BT_N_INDICATORS];        /* BtFlag */
  guint8   source[BT_N_INDICATORS];      /* BtSource */
  BtScores scores;
  gint64   updated_at;                   /* unix seconds, 0 when unknown */
} BtMarketDayData;

/* Every number NAN, every flag missing, every source none. */
void         bt_market_day_data_init   (BtMarketDayData *data);

#define BT_TYPE_MARKET_DAY (bt_market_day_get_type ())
G_DECLARE_FINAL_TYPE (BtMarketDay, bt_market_day, BT, MARKET_DAY, GObject)

BtMarketDay           *bt_market_day_new            (BtDay                  date,
                                                     const BtMarketDayData *data);
BtDay                  bt_market_day_get_date       (BtMarketDay *self);
/* "YYYY-MM-DD" */
const char            *bt_market_day_get_date_text  (BtMarketDay *self);
const BtMarketDayData *bt_market_day_get_data       (BtMarketDay *self);
double                 bt_market_day_get_value      (BtMarketDay *self,
                                                     BtIndicator  indicator);
BtFlag                 bt_market_day_get_flag       (BtMarketDay *self,
                                                     BtIndicator  indicator);
BtSource               bt_market_day_get_source     (BtMarketDay *self,
                                                     BtIndicator  indicator);
double                 bt_market_day_get_btc_price  (BtMarketDay *self);
double                 bt_market_day_get_category   (BtMarketDay *self,
                                                     BtCategory   category);
double                 bt_market_day_get_market     (BtMarketDay *self);
double                 bt_market_day_get_confidence (BtMarketDay *self);

/* ---- BtPosition: one Aave position snapshot ---------------------------- */

typedef struct
{
  gint64 timestamp;              /* unix seconds */
  double btc_amount;             /* NAN where unknown */
  double entry_price;
  double leverage;
  double collateral_usd;
  double debt_usd;
  double health_factor;
  double liquidation_price;
  double liquidation_threshold;  /* 0–1 (Aave's LT as a fraction) */
  double ltv;                    /* debt / collateral, 0–1 */
  double liquidation_distance;   /* % */
  double portfolio_value;        /* collateral − debt, USD */
  double unrealized_pnl;
  double risk_score;
} BtPositionData;

/* timestamp 0 and every number NAN */
void         bt_position_data_init      (BtPositionData *data);

#define BT_TYPE_POSITION (bt_position_get_type ())
G_DECLARE_FINAL_TYPE (BtPosition, bt_position, BT, POSITION, GObject)

BtPosition  *bt_position_new            (const char           *wallet,
                                         const BtPositionData *data);
/* From the figures bt_position_evaluate() computed: portfolio value,
 * LTV and (when BTC_PRICE is finite) the BTC amount are derived. */
BtPosition  *bt_position_new_from_state (const char            *wallet,
                                         gint64                 timestamp,
                                         const BtPositionState *state,
                                         double                 liquidation_threshold,
                                         double                 btc_price);
/* The snapshot's figures (the properties read them too). */
const BtPositionData *bt_position_get_data (BtPosition *self);
const char  *bt_position_get_wallet                (BtPosition *self);
/* Fill a BtPositionState (for bt_decide) from the snapshot. */
void         bt_position_to_state                  (BtPosition      *self,
                                                    BtPositionState *out);

/* ---- BtAlert: one stored alert ----------------------------------------- */

#define BT_TYPE_ALERT (bt_alert_get_type ())
G_DECLARE_FINAL_TYPE (BtAlert, bt_alert, BT, ALERT, GObject)

/* What bt_alert_new() copies: times are unix seconds, 0 = not (yet)
 * acknowledged / cleared. */
typedef struct
{
  gint64       id;
  BtAlertKind  kind;
  const char  *key;
  BtSeverity   severity;
  const char  *message;
  const char  *values_json;
  gint64       created_at;
  gint64       acknowledged_at;
  gint64       cleared_at;
} BtAlertData;

BtAlert     *bt_alert_new                 (const BtAlertData *data);
gint64       bt_alert_get_id              (BtAlert *self);
BtAlertKind  bt_alert_get_kind            (BtAlert *self);
const char  *bt_alert_get_key             (BtAlert *self);
BtSeverity   bt_alert_get_severity        (BtAlert *self);
const char  *bt_alert_get_message         (BtAlert *self);
const char  *bt_alert_get_values_json     (BtAlert *self);
gint64       bt_alert_get_created_at      (BtAlert *self);
gint64       bt_alert_get_acknowledged_at (BtAlert *self);
gint64       bt_alert_get_cleared_at      (BtAlert *self);
/* neither acknowledged nor cleared */
gboolean     bt_alert_get_active          (BtAlert *self);

G_END_DECLS
