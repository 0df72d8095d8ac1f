/* bt-gauge.h: the market score dial (drawn by bt_chart_render_gauge). */
#pragma once

#include "bt-chart-widget.h"

G_BEGIN_DECLS

#define BT_TYPE_GAUGE (bt_gauge_get_type ())
G_DECLARE_FINAL_TYPE (BtGauge, bt_gauge, BT, GAUGE, BtChartWidget)

/* 0–100; NAN shows no value */
void        bt_gauge_set_value   (BtGauge    *self,
                                  double      value);
void        bt_gauge_set_caption (BtGauge    *self,
                                  const char *caption);

G_END_DECLS
