/* bt-chart-view.h: an interactive chart (one or two panes sharing the date
 * axis) drawn by the GTK-free renderer of bt-chart.h: scroll to zoom, drag
 * to pan, a crosshair read-out under the pointer or the arrow keys. */
#pragma once

#include "bt-chart-widget.h"

G_BEGIN_DECLS

#define BT_TYPE_CHART_VIEW (bt_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (BtChartView, bt_chart_view, BT, CHART_VIEW, BtChartWidget)

/* Series values are borrowed: they must stay valid until the next call to
 * set_data, or until the view is disposed.  UPPER is drawn in the top pane
 * (the first series drives the read-out), LOWER, when N_LOWER > 0, in a
 * pane beneath taking a third of the height.  Colours whose alpha is 0 are
 * given theme colours: accent for the first series, a palette for the rest. */
void       bt_chart_view_set_data         (BtChartView         *self,
                                           BtDay                first_day,
                                           guint                n,
                                           const BtChartSeries *upper,
                                           guint                n_upper,
                                           const BtChartSeries *lower,
                                           guint                n_lower);
void       bt_chart_view_set_log_scale    (BtChartView         *self,
                                           gboolean             log_scale);
/* Fixed range of the lower pane (NAN, NAN: fit the data). */
void       bt_chart_view_set_lower_range  (BtChartView         *self,
                                           double               min,
                                           double               max);
/* Dashed reference lines of the lower pane (e.g. the score bands 40, 60,
 * 80), labelled on its axis instead of the automatic ticks; at most 8. */
void       bt_chart_view_set_lower_guides (BtChartView         *self,
                                           const double        *guides,
                                           guint                n_guides);
/* The crosshair read-out (one box for both panes): the day, then the
 * upper series (only the first one when FIRST_ONLY) and the lower ones,
 * hidden series included, one per line. */
void       bt_chart_view_set_readout_first_only (BtChartView   *self,
                                                 gboolean       first_only);
void       bt_chart_view_set_empty_text   (BtChartView         *self,
                                           const char          *text);
void       bt_chart_view_set_format_func  (BtChartView         *self,
                                           gboolean             lower,
                                           BtChartFormatFunc    func,
                                           gpointer             user_data);
/* The visible slot range; setters clamp it to the data. */
void       bt_chart_view_set_view         (BtChartView         *self,
                                           double               start,
                                           double               end);
/* Show the last DAYS slots (0: everything). */
void       bt_chart_view_show_last        (BtChartView         *self,
                                           guint                days);
/* Zoom by FACTOR (< 1: in) around the middle of the view. */
void       bt_chart_view_zoom             (BtChartView         *self,
                                           double               factor);
/* Draw the chart as it is into CR (PNG export, PDF). */
void       bt_chart_view_render           (BtChartView         *self,
                                           cairo_t             *cr,
                                           const BtChartStyle  *style,
                                           double               width,
                                           double               height);

G_END_DECLS
