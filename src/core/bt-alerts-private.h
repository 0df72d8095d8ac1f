/* bt-alerts-private.h: what bt-alerts.c declares for its own use and for the
 * tests only; not part of the public API in bt-alerts.h. */
#pragma once

#include "bt-alerts.h"

G_BEGIN_DECLS

/* FALSE when KEY has never fired. */
gboolean          bt_alert_engine_acknowledge       (BtAlertEngine       *engine,
                                                     const char          *key);
void              bt_alert_engine_acknowledge_all   (BtAlertEngine       *engine);

/* Keys of fired alerts not yet acknowledged, sorted. */
char            **bt_alert_engine_dup_pending_keys  (const BtAlertEngine *engine);

G_END_DECLS
