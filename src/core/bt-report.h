/* bt-report.h: the daily report (PRODUCT.md): a plain-text summary of one
 * day — price, scores, decision, positions, active alerts, data sources
 * that are failing — stored in the reports table. */
#pragma once

#include <gio/gio.h>

#include "bt-engine.h"

G_BEGIN_DECLS

/* The report of DAY (the latest day with market data at or before it). */
char     *bt_report_build    (BtEngine  *engine,
                              BtDay      day,
                              GError   **error);
/* Build and store the report of DAY. */
gboolean  bt_report_generate (BtEngine  *engine,
                              BtDay      day,
                              GError   **error);

G_END_DECLS
