/* bt-alerts.h: the alert rules of SCORING.md §6, with hysteresis and
 * acknowledgement.  Pure: no SQL, no I/O; the store persists the engine's
 * state (bt_alert_engine_to_json) in a settings row and the alerts it fires.
 *
 * Every alert has a key: its kind, a colon and a qualifier, e.g.
 * "health_factor:warning", "health_factor:critical", "liquidation_distance",
 * "market_score_cross:40", "decision_changed:EXIT", "portfolio_heat",
 * "price_move:up", "price_move:down", "funding_extreme:high",
 * "funding_extreme:low", "data_stale:coinmetrics".
 *
 * Hysteresis: an alert fires once when its condition becomes true.  It is
 * then disarmed; it re-arms when it has been acknowledged and its condition
 * is false (in either order: acknowledged while false, or false after being
 * acknowledged), and fires again when the condition next holds.  So it never
 * fires twice while unacknowledged, nor after an acknowledgement while the
 * condition has stayed true.
 *
 * Market crossings and decision changes are events: their condition holds
 * at the evaluation where the crossing or change happens only.
 *
 * An unknown input (NAN, BT_ALERT_ACTION_UNKNOWN) fires nothing and counts
 * as "condition false": a position without debt passes NAN as its health
 * factor and so clears the health factor alerts.
 */
#pragma once

#include <glib.h>

#include "bt-domain.h"
#include "bt-types.h"
#include "bt-rules.h"

G_BEGIN_DECLS

#define BT_ALERT_ERROR (bt_alert_error_quark ())
typedef enum
{
  BT_ALERT_ERROR_INVALID_STATE,
} BtAlertError;
GQuark bt_alert_error_quark (void);

/* An action that is not known (no previous evaluation, no decision). */
#define BT_ALERT_ACTION_UNKNOWN ((BtAction) BT_N_ACTIONS)

typedef struct
{
  gint64    time;                  /* unix seconds of this evaluation */
  double    market;                /* market score now */
  double    market_previous;       /* NAN: the engine remembers the last one itself */
  BtAction  action;                /* decision now, BT_ALERT_ACTION_UNKNOWN if none */
  BtUrgency urgency;
  BtAction  previous_action;       /* BT_ALERT_ACTION_UNKNOWN: the engine remembers */
  double    health_factor;         /* NAN without debt or unknown */
  double    liquidation_distance;  /* % */
  double    heat;                  /* portfolio heat, % */
  double    price;                 /* USD now */
  double    price_24h_ago;         /* USD 24 h before */
  double    funding_rate_7d;       /* % per 8 h */
  /* per source: how long it has been failing (0 = fine) and its interval */
  double    source_failing_seconds[BT_N_SOURCES];
  double    source_interval_seconds[BT_N_SOURCES];
} BtAlertInputs;

/* Everything unknown (NAN / BT_ALERT_ACTION_UNKNOWN), time 0. */
void              bt_alert_inputs_init              (BtAlertInputs       *inputs);

typedef struct
{
  BtAlertKind kind;
  char       *key;          /* see above */
  BtSeverity  severity;
  char       *message;      /* translated sentence */
  char       *values_json;  /* JSON object of the values that fired it */
  gint64      time;         /* BtAlertInputs.time */
} BtAlertEvent;

void              bt_alert_event_free               (BtAlertEvent        *event);

typedef struct _BtAlertEngine BtAlertEngine;

BtAlertEngine    *bt_alert_engine_new               (void);
void              bt_alert_engine_free              (BtAlertEngine       *engine);
/* State saved by bt_alert_engine_to_json(); NULL with ERROR when malformed. */
BtAlertEngine    *bt_alert_engine_new_from_json     (const char          *json,
                                                     GError             **error);
char             *bt_alert_engine_to_json           (const BtAlertEngine *engine);

/* New alerts (BtAlertEvent, owned by the array) fired by INPUTS. */
GPtrArray        *bt_alert_engine_evaluate          (BtAlertEngine       *engine,
                                                     const BtRules       *rules,
                                                     const BtAlertInputs *inputs);

/* Keys of fired alerts whose condition held at the previous evaluation and
 * cleared at the last one (market crossings and decision changes, being
 * events, never appear): the window withdraws their notifications. */
char            **bt_alert_engine_dup_cleared_keys  (const BtAlertEngine *engine);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtAlertEvent, bt_alert_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtAlertEngine, bt_alert_engine_free)

/* The name of SOURCE for people ("Binance Futures"; translated where it
 * is not a proper name). */
const char       *bt_source_display_name            (BtSource             source);
/* The sentence of an alert, in the current language, from its KEY and
 * its VALUES (the JSON object stored with it): alerts are shown in the
 * language of the moment, not the one they fired in.  NULL when KEY or
 * VALUES are not understood (then show the stored message). */
char             *bt_alert_format_message           (const char          *key,
                                                     const char          *values);
/* The sentence to show for ALERT: bt_alert_format_message() of its key
 * and values, else the message it was stored with. */
char             *bt_alert_dup_display_message      (BtAlert             *alert);

G_END_DECLS
