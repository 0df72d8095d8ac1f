/* bt-gauge.c: the market score dial. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "bt-chart.h"
#include "bt-gauge.h"

struct _BtGauge
{
  BtChartWidget  parent_instance;

  double         value;
  char          *caption;
};

G_DEFINE_FINAL_TYPE (BtGauge, bt_gauge, BT_TYPE_CHART_WIDGET)

static void
update_accessible (BtGauge *self)
{
  g_autofree char *text = NULL;

  if (isnan (self->value))
    text = g_strdup_printf (_("%s: no value"), self->caption != NULL ? self->caption : "");
  else
    /* Translators: the gauge read by screen readers, e.g. "Market score: 61 of 100" */
    text = g_strdup_printf (_("%s: %.0f of 100"), self->caption != NULL ? self->caption : "",
                            self->value);
  /* the value in words too, updated with it: screen readers read the
   * description of an image-like widget */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, isnan (self->value) ? 0.0 : self->value,
                                  -1);
}

static void
bt_gauge_draw (BtChartWidget      *widget,
               cairo_t            *cr,
               const BtChartStyle *style,
               int                 width,
               int                 height)
{
  bt_chart_render_gauge (cr, style, BT_GAUGE (widget)->value, NULL, &(cairo_rectangle_t) { 0, 0, width, height });
}

static void
bt_gauge_finalize (GObject *object)
{
  BtGauge *self = BT_GAUGE (object);

  g_free (self->caption);

  G_OBJECT_CLASS (bt_gauge_parent_class)->finalize (object);
}

static void
bt_gauge_class_init (BtGaugeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BtChartWidgetClass *chart_class = BT_CHART_WIDGET_CLASS (klass);

  object_class->finalize = bt_gauge_finalize;
  chart_class->draw = bt_gauge_draw;
  bt_chart_widget_class_set_size (chart_class, 160, 220, 110, 140);

  gtk_widget_class_set_css_name (widget_class, "gauge");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_METER);
}

static void
bt_gauge_init (BtGauge *self)
{
  self->value = NAN;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 100.0,
                                  -1);
  update_accessible (self);
}

void
bt_gauge_set_value (BtGauge *self,
                    double   value)
{
  g_return_if_fail (BT_IS_GAUGE (self));

  if (self->value == value || (isnan (self->value) && isnan (value)))
    return;
  self->value = value;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
bt_gauge_set_caption (BtGauge    *self,
                      const char *caption)
{
  g_return_if_fail (BT_IS_GAUGE (self));

  if (g_strcmp0 (self->caption, caption) == 0)
    return;
  g_free (self->caption);
  self->caption = g_strdup (caption);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
