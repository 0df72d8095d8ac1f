/* bt-chart-widget.c: the base of the widgets drawn by the chart renderer. */
#define G_LOG_DOMAIN "bt-ui"

#include "bt-chart-widget.h"
#include "bt-ui-util.h"

typedef struct
{
  BtChartStyle style;   /* its font is an interned string */
} BtChartWidgetPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (BtChartWidget, bt_chart_widget, GTK_TYPE_WIDGET)

static void
bt_chart_widget_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  BtChartWidget *self = BT_CHART_WIDGET (widget);
  BtChartWidgetPrivate *priv = bt_chart_widget_get_instance_private (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  BT_CHART_WIDGET_GET_CLASS (self)->draw (self, cr, &priv->style, width, height);
  cairo_destroy (cr);
}

static void
bt_chart_widget_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  BtChartWidget *self = BT_CHART_WIDGET (widget);
  BtChartWidgetPrivate *priv = bt_chart_widget_get_instance_private (self);
  PangoFontDescription *desc;

  GTK_WIDGET_CLASS (bt_chart_widget_parent_class)->css_changed (widget, change);

  bt_ui_chart_style (widget, &priv->style);
  desc = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  if (desc != NULL)
    {
      /* the few fonts of a session, kept once for every chart */
      g_autofree char *font = pango_font_description_to_string (desc);

      priv->style.font = g_intern_string (font);
    }
  if (BT_CHART_WIDGET_GET_CLASS (self)->style_changed != NULL)
    BT_CHART_WIDGET_GET_CLASS (self)->style_changed (self);
  gtk_widget_queue_draw (widget);
}

static void
bt_chart_widget_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  BtChartWidgetClass *klass = BT_CHART_WIDGET_GET_CLASS (widget);

  *minimum = klass->minimum[orientation];
  *natural = klass->natural[orientation];
}

static void
bt_chart_widget_class_init (BtChartWidgetClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = bt_chart_widget_snapshot;
  widget_class->css_changed = bt_chart_widget_css_changed;
  widget_class->measure = bt_chart_widget_measure;
}

static void
bt_chart_widget_init (BtChartWidget *self)
{
  BtChartWidgetPrivate *priv = bt_chart_widget_get_instance_private (self);

  bt_chart_style_init_default (&priv->style);
}

void
bt_chart_widget_class_set_size (BtChartWidgetClass *klass,
                                int                 minimum_width,
                                int                 natural_width,
                                int                 minimum_height,
                                int                 natural_height)
{
  g_return_if_fail (BT_IS_CHART_WIDGET_CLASS (klass));

  klass->minimum[GTK_ORIENTATION_HORIZONTAL] = minimum_width;
  klass->natural[GTK_ORIENTATION_HORIZONTAL] = natural_width;
  klass->minimum[GTK_ORIENTATION_VERTICAL] = minimum_height;
  klass->natural[GTK_ORIENTATION_VERTICAL] = natural_height;
}

const BtChartStyle *
bt_chart_widget_get_style (BtChartWidget *self)
{
  BtChartWidgetPrivate *priv;

  g_return_val_if_fail (BT_IS_CHART_WIDGET (self), NULL);

  priv = bt_chart_widget_get_instance_private (self);
  return &priv->style;
}
