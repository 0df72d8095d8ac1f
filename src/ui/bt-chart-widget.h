/* bt-chart-widget.h: the base of the widgets drawn by the GTK-free chart
 * renderer (bt-chart.h): the chart view and the gauge.  It keeps the
 * renderer's style in step with the theme (colours, dark mode, font),
 * sizes the widget and draws it through a Cairo context. */
#pragma once

#include <gtk/gtk.h>

#include "bt-chart.h"

G_BEGIN_DECLS

#define BT_TYPE_CHART_WIDGET (bt_chart_widget_get_type ())
G_DECLARE_DERIVABLE_TYPE (BtChartWidget, bt_chart_widget, BT, CHART_WIDGET, GtkWidget)

struct _BtChartWidgetClass
{
  GtkWidgetClass parent_class;

  /* Draws the widget on CR, WIDTH × HEIGHT pixels, in STYLE. */
  void (*draw)          (BtChartWidget      *self,
                         cairo_t            *cr,
                         const BtChartStyle *style,
                         int                 width,
                         int                 height);
  /* The theme changed; the widget is drawn again after this. */
  void (*style_changed) (BtChartWidget      *self);

  /*< private >*/
  int   minimum[2];   /* by GtkOrientation: bt_chart_widget_class_set_size() */
  int   natural[2];
};

/* The size a subclass asks for, in pixels. */
void                bt_chart_widget_class_set_size (BtChartWidgetClass *klass,
                                                    int                 minimum_width,
                                                    int                 natural_width,
                                                    int                 minimum_height,
                                                    int                 natural_height);
/* the renderer's style from the theme, font included */
const BtChartStyle *bt_chart_widget_get_style      (BtChartWidget      *self);

G_END_DECLS
