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
/* The warning that heads a report when NEWEST (the newest day with data)
 * is more than LIMIT_DAYS before TODAY; NULL when the data is fresh. */
char     *bt_report_stale_line (BtDay   newest,
                                BtDay   today,
                                double  limit_days);
/* Build and store the report of DAY. */
gboolean  bt_report_generate (BtEngine  *engine,
                              BtDay      day,
                              GError   **error);

/* The report of DAY as a one-page PDF at PATH: the text, the market score
 * gauge and the last year of the price chart.  In bt-report-pdf.c (the
 * bt_report_pdf_dep library, which brings the Cairo renderer). */
gboolean  bt_report_write_pdf (BtEngine    *engine,
                               BtDay        day,
                               const char  *path,
                               GError     **error);

G_END_DECLS
