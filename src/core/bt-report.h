/* bt-report.h: the daily report (PRODUCT.md): a plain-text summary of one
 * day — price, scores, decision, positions, active alerts, data sources
 * that are failing — stored in the reports table. */
#pragma once

#include <gio/gio.h>

#include "bt-engine.h"

G_BEGIN_DECLS

/* The report as sections of lines: a line is a LABEL with its VALUE, or
 * a sentence (LABEL NULL, the sentence in VALUE).  Strings translated. */
typedef struct
{
  char *label;
  char *value;
} BtReportLine;

typedef struct
{
  char      *heading;
  GPtrArray *lines;     /* BtReportLine */
} BtReportSection;

typedef struct
{
  BtDay      day;       /* the market day reported */
  char      *title;
  char      *warning;   /* old data (bt_report_stale_line), NULL: fresh */
  double     market;    /* the market score of DAY */
  GPtrArray *sections;  /* BtReportSection */
} BtReport;

/* The report of DAY (the latest day with market data at or before it;
 * BT_DAY_INVALID: today's, i.e. the newest). */
BtReport *bt_report_new      (BtEngine  *engine,
                              BtDay      day,
                              GError   **error);
void      bt_report_free     (BtReport  *report);
/* As plain text: the title, the warning, then each section with its
 * lines indented and the values in a column. */
char     *bt_report_to_text  (const BtReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtReport, bt_report_free)

/* The report of DAY as text (bt_report_new + bt_report_to_text). */
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

/* The report of DAY as an A4 PDF at PATH: the title and the day, the old
 * data warning in a box, the market score gauge and the last year of the
 * price chart (the window's Cairo renderer), then each section as a
 * heading over a table of labels and values.  In bt-report-pdf.c (the
 * bt_report_pdf_dep library, which brings the Cairo renderer). */
gboolean  bt_report_write_pdf (BtEngine    *engine,
                               BtDay        day,
                               const char  *path,
                               GError     **error);

/* The first page of that PDF as a PNG, SCALE pixels per point (a preview). */
gboolean  bt_report_write_png (BtEngine    *engine,
                               BtDay        day,
                               const char  *path,
                               double       scale,
                               GError     **error);

G_END_DECLS
