/* bt-chart-private.h: what bt-chart.c declares for its own use and for the
 * tests only; not part of the public API in bt-chart.h. */
#pragma once

#include "bt-chart.h"

G_BEGIN_DECLS

/* VALUE → 0..1 (0 at MIN, 1 at MAX; outside that range the result goes
 * past 0 or 1).  NAN for a NAN value, a value <= 0 on a log scale, or a
 * degenerate scale. */
double   bt_chart_scale_map        (const BtChartScale *scale,
                                    double              value);
/* The inverse of bt_chart_scale_map(). */
double   bt_chart_scale_unmap      (const BtChartScale *scale,
                                    double              fraction);

/* Round numbers (1, 2 or 5 × 10^k apart) inside [MIN, MAX], at most
 * MAX_TICKS of them (and at most N_OUT), written to OUT; returns how many. */
guint    bt_chart_nice_ticks       (double              min,
                                    double              max,
                                    guint               max_ticks,
                                    double             *out,
                                    guint               n_out);
/* Ticks for a log scale: 1, 2 and 5 × 10^k inside [MIN, MAX]; only the
 * powers of ten (every n-th) when that gives too many; linear nice ticks
 * when the range spans too little to hold two of them. */
guint    bt_chart_log_ticks        (double              min,
                                    double              max,
                                    guint               max_ticks,
                                    double             *out,
                                    guint               n_out);

/* Calendar-aligned date ticks inside [FIRST, LAST]: every 1, 2, 7 or 14
 * days, the first of every 1, 3 or 6 months, or January 1st of every 1, 2,
 * 5, 10 or 20 years — the finest step giving at most MAX_TICKS.  UNIT (may
 * be NULL) tells which, so labels can show days, months or years. */
guint    bt_chart_date_ticks       (BtDay               first,
                                    BtDay               last,
                                    guint               max_ticks,
                                    BtDay              *out,
                                    guint               n_out,
                                    BtChartDateUnit    *unit);
/* The label of a date tick of UNIT in the user's language (translatable
 * formats: "5 Mar" / "05/03", "Mar" / "mar", "2024"), and the full date of
 * the read-out ("5 Mar 2024" / "05/03/2024"); no padding.  Free with g_free. */
char    *bt_chart_dup_tick_label   (BtDay               day,
                                    BtChartDateUnit     unit);
char    *bt_chart_dup_full_date    (BtDay               day);

/* Minimum and maximum of the non-NAN VALUES in the slots that fall inside
 * [VIEW_START, VIEW_END]; FALSE (and MIN, MAX untouched) when there is none. */
gboolean bt_chart_visible_range    (const double       *values,
                                    guint               n,
                                    double              view_start,
                                    double              view_end,
                                    double             *min,
                                    double             *max);

/* Per-pixel-column min/max decimation.  The view [VIEW_START, VIEW_END] is
 * cut into N_COLUMNS equal columns; column c receives the minimum and
 * maximum of the non-NAN values of the slots i with
 *   c <= (i − view_start) / (view_end − view_start) × n_columns < c + 1
 * (the slot at VIEW_END belongs to the last column), NAN when it has none.
 * COL_MIN and COL_MAX hold N_COLUMNS doubles.  Returns the number of
 * columns that received a value. */
guint    bt_chart_decimate         (const double       *values,
                                    guint               n,
                                    double              view_start,
                                    double              view_end,
                                    guint               n_columns,
                                    double             *col_min,
                                    double             *col_max);

/* The score colour of VALUE (bad below 40, warning below 60, good above). */
BtChartColor bt_chart_score_color  (const BtChartStyle *style,
                                    double              value);

G_END_DECLS
