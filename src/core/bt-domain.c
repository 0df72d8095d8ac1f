/* bt-domain.c: read-only GObjects for one day, one position
 * and one alert.  Built complete by their constructors; the properties
 * exist for the window to bind to.
 */
#define G_LOG_DOMAIN "bt-core"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "bt-base.h"
#include "bt-domain.h"
#include "bt-rules.h"

#define RO_FLAGS (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

/* TYPE FN (OBJ *self): EXPR of SELF, FALLBACK when SELF fails CHECK. */
#define GETTER(OBJ, check, type, fn, expr, fallback)   \
  type                                                 \
  fn (OBJ *self)                                       \
  {                                                    \
    g_return_val_if_fail (check (self), fallback);     \
    return expr;                                       \
  }

/* The same with an index below N: TYPE FN (OBJ *self, INDEX_TYPE index). */
#define INDEXED_GETTER(OBJ, check, type, fn, index_type, n, expr, fallback) \
  type                                                                    \
  fn (OBJ *self, index_type index)                                        \
  {                                                                       \
    g_return_val_if_fail (check (self), fallback);                        \
    g_return_val_if_fail ((guint) index < (n), fallback);                 \
    return expr;                                                          \
  }

/* NAN is a legal value of every double property (a missing number); the
 * declared default is 0 because GParamSpecDouble cannot default to NAN. */
static GParamSpec *
double_pspec (const char *name)
{
  return g_param_spec_double (name, NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, RO_FLAGS);
}

static GParamSpec *
string_pspec (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, RO_FLAGS);
}

static GParamSpec *
uint_pspec (const char *name,
            guint       max)
{
  return g_param_spec_uint (name, NULL, NULL, 0, max, 0, RO_FLAGS);
}

static GParamSpec *
int64_pspec (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0, RO_FLAGS);
}

/* A double property read from a field of the object's data. */
typedef struct
{
  const char *name;
  gsize       offset;
} DoubleProp;

/* Sets the class's GET_PROPERTY and installs PROPS: the FIRST ones made by
 * the caller, then one double property a row of TABLE (N_TABLE rows). */
static void
install_props (gpointer                klass,
               GObjectGetPropertyFunc  get_property,
               GParamSpec            **props,
               guint                   first,
               const DoubleProp       *table,
               guint                   n_table)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = get_property;
  for (guint i = 0; i < n_table; i++)
    props[first + i] = double_pspec (table[i].name);
  g_object_class_install_properties (object_class, first + n_table, props);
}

static void
get_double_prop (GValue           *value,
                 gconstpointer     data,
                 const DoubleProp *prop)
{
  g_value_set_double (value, G_STRUCT_MEMBER (double, data, prop->offset));
}

/* ======================================================================== */
/* BtMarketDay                                                              */
/* ======================================================================== */

struct _BtMarketDay
{
  GObject          parent_instance;
  BtDay            date;
  char             date_text[16];
  BtMarketDayData  data;
};

G_DEFINE_FINAL_TYPE (BtMarketDay, bt_market_day, G_TYPE_OBJECT)

enum
{
  DAY_PROP_0,
  DAY_PROP_DATE,
  DAY_PROP_DATE_TEXT,
  DAY_FIRST_DOUBLE_PROP
};

static const DoubleProp day_double_props[] = {
  { "btc-price", G_STRUCT_OFFSET (BtMarketDayData, value[BT_IND_BTC_PRICE]) },
  { "cycle", G_STRUCT_OFFSET (BtMarketDayData, scores.category[BT_CATEGORY_CYCLE]) },
  { "momentum", G_STRUCT_OFFSET (BtMarketDayData, scores.category[BT_CATEGORY_MOMENTUM]) },
  { "technical", G_STRUCT_OFFSET (BtMarketDayData, scores.category[BT_CATEGORY_TECHNICAL]) },
  { "market", G_STRUCT_OFFSET (BtMarketDayData, scores.market) },
  { "confidence", G_STRUCT_OFFSET (BtMarketDayData, scores.confidence) },
};

#define DAY_N_PROPS (DAY_FIRST_DOUBLE_PROP + G_N_ELEMENTS (day_double_props))

static GParamSpec *day_props[DAY_N_PROPS];

void
bt_market_day_data_init (BtMarketDayData *d)
{
  g_return_if_fail (d != NULL);

  memset (d, 0, sizeof *d);
  d->open = d->high = d->low = d->volume = NAN;
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    d->value[k] = NAN;
  for (guint k = 0; k < BT_N_ITEMS; k++)
    d->scores.item_value[k] = d->scores.item_score[k] = NAN;
  for (guint k = 0; k < BT_N_CATEGORIES; k++)
    d->scores.category[k] = NAN;
  d->scores.market = NAN;
  d->scores.confidence = NAN;
}

static void
bt_market_day_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BtMarketDay *self = BT_MARKET_DAY (object);

  if (prop_id == DAY_PROP_DATE)
    g_value_set_int (value, self->date);
  else if (prop_id == DAY_PROP_DATE_TEXT)
    g_value_set_string (value, self->date_text);
  else if (prop_id < DAY_N_PROPS)
    get_double_prop (value, &self->data, &day_double_props[prop_id - DAY_FIRST_DOUBLE_PROP]);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
bt_market_day_class_init (BtMarketDayClass *klass)
{
  day_props[DAY_PROP_DATE] = g_param_spec_int ("date", NULL, NULL, G_MININT32, G_MAXINT32, 0, RO_FLAGS);
  day_props[DAY_PROP_DATE_TEXT] = string_pspec ("date-text");
  install_props (klass, bt_market_day_get_property, day_props, DAY_FIRST_DOUBLE_PROP,
                 day_double_props, G_N_ELEMENTS (day_double_props));
}

static void
bt_market_day_init (BtMarketDay *self)
{
  bt_market_day_data_init (&self->data);
}

BtMarketDay *
bt_market_day_new (BtDay                  date,
                   const BtMarketDayData *data)
{
  BtMarketDay *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (BT_TYPE_MARKET_DAY, NULL);
  self->date = date;
  self->data = *data;
  if (date != BT_DAY_INVALID)
    bt_day_format (date, self->date_text);
  return self;
}

#define DAY_GETTER(type, fn, expr, fallback) \
  GETTER (BtMarketDay, BT_IS_MARKET_DAY, type, fn, expr, fallback)
#define DAY_INDEXED_GETTER(type, fn, index_type, n, expr, fallback) \
  INDEXED_GETTER (BtMarketDay, BT_IS_MARKET_DAY, type, fn, index_type, n, expr, fallback)

DAY_GETTER (BtDay, bt_market_day_get_date, self->date, BT_DAY_INVALID)
DAY_GETTER (const char *, bt_market_day_get_date_text, self->date_text, NULL)
DAY_GETTER (const BtMarketDayData *, bt_market_day_get_data, &self->data, NULL)
DAY_INDEXED_GETTER (double, bt_market_day_get_value, BtIndicator, BT_N_INDICATORS,
                    self->data.value[index], NAN)
DAY_INDEXED_GETTER (BtFlag, bt_market_day_get_flag, BtIndicator, BT_N_INDICATORS,
                    self->data.flag[index], BT_FLAG_MISSING)
DAY_INDEXED_GETTER (BtSource, bt_market_day_get_source, BtIndicator, BT_N_INDICATORS,
                    self->data.source[index], BT_SOURCE_NONE)
DAY_INDEXED_GETTER (double, bt_market_day_get_category, BtCategory, BT_N_CATEGORIES,
                    self->data.scores.category[index], NAN)
DAY_GETTER (double, bt_market_day_get_market, self->data.scores.market, NAN)
DAY_GETTER (double, bt_market_day_get_confidence, self->data.scores.confidence, NAN)

double
bt_market_day_get_btc_price (BtMarketDay *self)
{
  return bt_market_day_get_value (self, BT_IND_BTC_PRICE);
}

/* ======================================================================== */
/* BtPosition                                                               */
/* ======================================================================== */

struct _BtPosition
{
  GObject         parent_instance;
  char           *wallet;
  BtPositionData  data;
};

G_DEFINE_FINAL_TYPE (BtPosition, bt_position, G_TYPE_OBJECT)

enum
{
  POS_PROP_0,
  POS_PROP_WALLET,
  POS_PROP_TIMESTAMP,
  POS_FIRST_DOUBLE_PROP
};

#define POS_DOUBLE(name, field) { name, G_STRUCT_OFFSET (BtPositionData, field) }

static const DoubleProp pos_double_props[] = {
  POS_DOUBLE ("collateral-usd", collateral_usd),
  POS_DOUBLE ("debt-usd", debt_usd),
  POS_DOUBLE ("health-factor", health_factor),
  POS_DOUBLE ("liquidation-price", liquidation_price),
  POS_DOUBLE ("liquidation-distance", liquidation_distance),
  POS_DOUBLE ("leverage", leverage),
  POS_DOUBLE ("risk-score", risk_score),
  POS_DOUBLE ("liquidation-threshold", liquidation_threshold),
  POS_DOUBLE ("portfolio-value", portfolio_value),
  POS_DOUBLE ("btc-amount", btc_amount),
};

#define POS_N_PROPS (POS_FIRST_DOUBLE_PROP + G_N_ELEMENTS (pos_double_props))

static GParamSpec *pos_props[POS_N_PROPS];

void
bt_position_data_init (BtPositionData *d)
{
  g_return_if_fail (d != NULL);

  d->timestamp = 0;
  d->btc_amount = d->entry_price = d->leverage = d->collateral_usd = d->debt_usd = NAN;
  d->health_factor = d->liquidation_price = d->liquidation_threshold = d->ltv = NAN;
  d->liquidation_distance = d->portfolio_value = d->unrealized_pnl = d->risk_score = NAN;
}

static void
bt_position_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BtPosition *self = BT_POSITION (object);
  if (prop_id == POS_PROP_WALLET)
    g_value_set_string (value, self->wallet);
  else if (prop_id == POS_PROP_TIMESTAMP)
    g_value_set_int64 (value, self->data.timestamp);
  else if (prop_id < POS_N_PROPS)
    get_double_prop (value, &self->data, &pos_double_props[prop_id - POS_FIRST_DOUBLE_PROP]);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
bt_position_finalize (GObject *object)
{
  g_free (BT_POSITION (object)->wallet);
  G_OBJECT_CLASS (bt_position_parent_class)->finalize (object);
}

static void
bt_position_class_init (BtPositionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bt_position_finalize;
  pos_props[POS_PROP_WALLET] = string_pspec ("wallet");
  pos_props[POS_PROP_TIMESTAMP] = int64_pspec ("timestamp");
  install_props (klass, bt_position_get_property, pos_props, POS_FIRST_DOUBLE_PROP,
                 pos_double_props, G_N_ELEMENTS (pos_double_props));
}

static void
bt_position_init (BtPosition *self)
{
  bt_position_data_init (&self->data);
}

BtPosition *
bt_position_new (const char           *wallet,
                 const BtPositionData *data)
{
  BtPosition *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (BT_TYPE_POSITION, NULL);
  self->wallet = g_strdup (wallet);
  self->data = *data;
  return self;
}

/* The figures a BtPositionState and a BtPositionData share, by name. */
#define STATE_FIELD(field) \
  { G_STRUCT_OFFSET (BtPositionState, field), G_STRUCT_OFFSET (BtPositionData, field) }

static const struct
{
  gsize state;
  gsize data;
} state_fields[] = {
  STATE_FIELD (collateral_usd),
  STATE_FIELD (debt_usd),
  STATE_FIELD (leverage),
  STATE_FIELD (health_factor),
  STATE_FIELD (liquidation_price),
  STATE_FIELD (liquidation_distance),
  STATE_FIELD (risk_score),
};

BtPosition *
bt_position_new_from_state (const char            *wallet,
                            gint64                 timestamp,
                            const BtPositionState *state,
                            double                 liquidation_threshold,
                            double                 btc_price)
{
  BtPositionData d;

  g_return_val_if_fail (state != NULL, NULL);

  bt_position_data_init (&d);
  d.timestamp = timestamp;
  for (guint i = 0; i < G_N_ELEMENTS (state_fields); i++)
    G_STRUCT_MEMBER (double, &d, state_fields[i].data) =
      G_STRUCT_MEMBER (double, state, state_fields[i].state);
  d.liquidation_threshold = liquidation_threshold;
  d.portfolio_value = state->collateral_usd - state->debt_usd;
  if (state->collateral_usd > 0)
    d.ltv = state->debt_usd / state->collateral_usd;
  if (isfinite (btc_price) && btc_price > 0)
    d.btc_amount = state->collateral_usd / btc_price;
  return bt_position_new (wallet, &d);
}

#define POSITION_GETTER(type, fn, expr, fallback) \
  GETTER (BtPosition, BT_IS_POSITION, type, fn, expr, fallback)

POSITION_GETTER (const BtPositionData *, bt_position_get_data, &self->data, NULL)
POSITION_GETTER (const char *, bt_position_get_wallet, self->wallet, NULL)

void
bt_position_to_state (BtPosition      *self,
                      BtPositionState *out)
{
  g_return_if_fail (BT_IS_POSITION (self));
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (state_fields); i++)
    G_STRUCT_MEMBER (double, out, state_fields[i].state) =
      G_STRUCT_MEMBER (double, &self->data, state_fields[i].data);
  out->has_position = isfinite (self->data.leverage) && self->data.leverage > 0;
}

/* ======================================================================== */
/* BtAlert                                                                  */
/* ======================================================================== */

struct _BtAlert
{
  GObject      parent_instance;
  gint64       id;
  BtAlertKind  kind;
  char        *key;
  BtSeverity   severity;
  char        *message;
  char        *values_json;
  gint64       created_at;
  gint64       acknowledged_at;
  gint64       cleared_at;
};

G_DEFINE_FINAL_TYPE (BtAlert, bt_alert, G_TYPE_OBJECT)

enum
{
  ALERT_PROP_0,
  ALERT_PROP_ID,
  ALERT_PROP_KIND,
  ALERT_PROP_KIND_NAME,
  ALERT_PROP_KEY,
  ALERT_PROP_SEVERITY,
  ALERT_PROP_SEVERITY_NAME,
  ALERT_PROP_MESSAGE,
  ALERT_PROP_VALUES_JSON,
  ALERT_PROP_CREATED_AT,
  ALERT_PROP_ACKNOWLEDGED_AT,
  ALERT_PROP_CLEARED_AT,
  ALERT_PROP_ACTIVE,
  ALERT_N_PROPS
};

static GParamSpec *alert_props[ALERT_N_PROPS];

static void
bt_alert_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  BtAlert *self = BT_ALERT (object);

  switch (prop_id)
    {
    case ALERT_PROP_ID:              g_value_set_int64 (value, self->id); break;
    case ALERT_PROP_KIND:            g_value_set_uint (value, self->kind); break;
    case ALERT_PROP_KIND_NAME:       g_value_set_string (value, bt_alert_kind_name (self->kind)); break;
    case ALERT_PROP_KEY:             g_value_set_string (value, self->key); break;
    case ALERT_PROP_SEVERITY:        g_value_set_uint (value, self->severity); break;
    case ALERT_PROP_SEVERITY_NAME:   g_value_set_string (value, bt_severity_name (self->severity)); break;
    case ALERT_PROP_MESSAGE:         g_value_set_string (value, self->message); break;
    case ALERT_PROP_VALUES_JSON:     g_value_set_string (value, self->values_json); break;
    case ALERT_PROP_CREATED_AT:      g_value_set_int64 (value, self->created_at); break;
    case ALERT_PROP_ACKNOWLEDGED_AT: g_value_set_int64 (value, self->acknowledged_at); break;
    case ALERT_PROP_CLEARED_AT:      g_value_set_int64 (value, self->cleared_at); break;
    case ALERT_PROP_ACTIVE:          g_value_set_boolean (value, bt_alert_get_active (self)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bt_alert_finalize (GObject *object)
{
  BtAlert *self = BT_ALERT (object);

  g_free (self->key);
  g_free (self->message);
  g_free (self->values_json);
  G_OBJECT_CLASS (bt_alert_parent_class)->finalize (object);
}

static void
bt_alert_class_init (BtAlertClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bt_alert_finalize;
  alert_props[ALERT_PROP_ID] = int64_pspec ("id");
  alert_props[ALERT_PROP_KIND] = uint_pspec ("kind", BT_N_ALERT_KINDS - 1);
  alert_props[ALERT_PROP_KIND_NAME] = string_pspec ("kind-name");
  alert_props[ALERT_PROP_KEY] = string_pspec ("key");
  alert_props[ALERT_PROP_SEVERITY] = uint_pspec ("severity", BT_N_SEVERITIES - 1);
  alert_props[ALERT_PROP_SEVERITY_NAME] = string_pspec ("severity-name");
  alert_props[ALERT_PROP_MESSAGE] = string_pspec ("message");
  alert_props[ALERT_PROP_VALUES_JSON] = string_pspec ("values-json");
  alert_props[ALERT_PROP_CREATED_AT] = int64_pspec ("created-at");
  alert_props[ALERT_PROP_ACKNOWLEDGED_AT] = int64_pspec ("acknowledged-at");
  alert_props[ALERT_PROP_CLEARED_AT] = int64_pspec ("cleared-at");
  alert_props[ALERT_PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, RO_FLAGS);
  install_props (klass, bt_alert_get_property, alert_props, ALERT_N_PROPS, NULL, 0);
}

static void
bt_alert_init (BtAlert *self)
{
}

BtAlert *
bt_alert_new (const BtAlertData *data)
{
  BtAlert *self;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (data->kind < BT_N_ALERT_KINDS, NULL);
  g_return_val_if_fail (data->severity < BT_N_SEVERITIES, NULL);

  self = g_object_new (BT_TYPE_ALERT, NULL);
  self->id = data->id;
  self->kind = data->kind;
  self->key = g_strdup (data->key);
  self->severity = data->severity;
  self->message = g_strdup (data->message);
  self->values_json = g_strdup (data->values_json);
  self->created_at = data->created_at;
  self->acknowledged_at = data->acknowledged_at;
  self->cleared_at = data->cleared_at;
  return self;
}

#define ALERT_GETTER(type, fn, field, fallback) \
  GETTER (BtAlert, BT_IS_ALERT, type, fn, self->field, fallback)

ALERT_GETTER (gint64, bt_alert_get_id, id, 0)
ALERT_GETTER (BtAlertKind, bt_alert_get_kind, kind, 0)
ALERT_GETTER (const char *, bt_alert_get_key, key, NULL)
ALERT_GETTER (BtSeverity, bt_alert_get_severity, severity, BT_SEVERITY_INFO)
ALERT_GETTER (const char *, bt_alert_get_message, message, NULL)
ALERT_GETTER (const char *, bt_alert_get_values_json, values_json, NULL)
ALERT_GETTER (gint64, bt_alert_get_created_at, created_at, 0)
ALERT_GETTER (gint64, bt_alert_get_acknowledged_at, acknowledged_at, 0)
ALERT_GETTER (gint64, bt_alert_get_cleared_at, cleared_at, 0)

gboolean
bt_alert_get_active (BtAlert *self)
{
  g_return_val_if_fail (BT_IS_ALERT (self), FALSE);
  return self->acknowledged_at == 0 && self->cleared_at == 0;
}
