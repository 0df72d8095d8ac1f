/* bt-chart-view-private.h: what bt-chart-view.c declares for its own use and
 * for the tests only; not part of the public API in bt-chart-view.h. */
#pragma once

#include "bt-chart-view.h"

G_BEGIN_DECLS

/* The read-out text under the crosshair, NULL without one. */
const char *bt_chart_view_get_readout     (BtChartView         *self);

void       bt_chart_view_get_view         (BtChartView         *self,
                                           double              *start,
                                           double              *end);

/* The slot under the crosshair, NAN when none. */
double     bt_chart_view_get_cursor       (BtChartView         *self);
void       bt_chart_view_set_cursor       (BtChartView         *self,
                                           double               slot);
/* What assistive technologies read: range shown and current values. */
char      *bt_chart_view_dup_description  (BtChartView         *self);

G_END_DECLS
