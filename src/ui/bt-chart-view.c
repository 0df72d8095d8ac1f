/* bt-chart-view.c: an interactive chart over the GTK-free renderer. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "bt-base.h"
#include "bt-chart-view.h"
#include "bt-chart-view-private.h"
#include "bt-ui-util.h"

#define MAX_SERIES 8
#define MIN_SPAN   7.0

struct _BtChartView
{
  BtChartWidget      parent_instance;

  BtDay              first_day;
  guint              n;
  BtChartSeries      upper[MAX_SERIES];
  guint              n_upper;
  BtChartSeries      lower[MAX_SERIES];
  guint              n_lower;
  gboolean           log_scale;
  double             lower_min;
  double             lower_max;
  char              *empty_text;
  BtChartFormatFunc  format[2];
  gpointer           format_data[2];

  double             view_start;
  double             view_end;
  double             cursor;
  double             drag_start;   /* view_start when the drag began */

  BtChartWorkspace  *workspace;
  guint              a11y_idle;
  gboolean           accent_first;
  double             guides[MAX_SERIES];
  guint              n_guides;
  gboolean           first_only;     /* read out only the first upper series */
  char              *readout;        /* the read-out text of the last frame */
  double             gutter;         /* both panes' value_gutter, 0: to measure */
  char              *gutter_font;    /* the font it was measured in */
};

G_DEFINE_FINAL_TYPE (BtChartView, bt_chart_view, BT_TYPE_CHART_WIDGET)

enum { VIEW_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const guint32 palette[] = { 0xe66100, 0x2ec27e, 0x9141ac, 0xc01c28, 0x865e3c, 0x1c71d8 };

static void
fill_pane (BtChartView *self,
           BtChartPane *pane,
           gboolean     lower,
           gboolean     dates)
{
  pane->first_day = self->first_day;
  pane->n = self->n;
  pane->series = lower ? self->lower : self->upper;
  pane->n_series = lower ? self->n_lower : self->n_upper;
  pane->log_scale = lower ? FALSE : self->log_scale;
  pane->y_min = lower ? self->lower_min : NAN;
  pane->y_max = lower ? self->lower_max : NAN;
  pane->view_start = self->view_start;
  pane->view_end = self->view_end;
  pane->cursor = self->cursor;
  pane->show_dates = dates;
  pane->show_legend = TRUE;
  pane->format_value = self->format[lower ? 1 : 0];
  pane->format_data = self->format_data[lower ? 1 : 0];
  pane->empty_text = self->empty_text;
  pane->guides = lower ? self->guides : NULL;
  pane->n_guides = lower ? self->n_guides : 0;
  /* one read-out for both panes, in the upper one */
  pane->readout = lower ? "" : self->readout;
  pane->value_gutter = self->gutter;
}

/* Both panes get the room the wider of their value labels needs, measured
 * again when the data, the formats or the font change: the plot's edges
 * stay put while the view moves, and the panes' dates line up. */
static void
ensure_gutter (BtChartView        *self,
               const BtChartStyle *style)
{
  BtChartPane pane = { 0 };

  if (self->gutter > 0 && g_strcmp0 (self->gutter_font, style->font) == 0)
    return;
  self->gutter = 0;
  fill_pane (self, &pane, FALSE, FALSE);
  self->gutter = bt_chart_pane_value_gutter (&pane, style);
  if (self->n_lower > 0)
    {
      fill_pane (self, &pane, TRUE, FALSE);
      self->gutter = MAX (self->gutter, bt_chart_pane_value_gutter (&pane, style));
    }
  g_free (self->gutter_font);
  self->gutter_font = g_strdup (style->font);
}

static void
format_value (BtChartView *self,
              gboolean     lower,
              double       v,
              char        *buf,
              gsize        size)
{
  if (self->format[lower ? 1 : 0] != NULL)
    self->format[lower ? 1 : 0] (v, buf, size, self->format_data[lower ? 1 : 0]);
  else
    {
      g_autofree char *text = bt_ui_format_number (v, 2);

      g_strlcpy (buf, text, size);
    }
}

/* The crosshair's read-out: the day, then one line per series. */
static void
update_readout (BtChartView *self)
{
  GString *text;
  g_autofree char *day = NULL;
  gssize slot;

  g_clear_pointer (&self->readout, g_free);
  if (isnan (self->cursor) || self->n == 0)
    return;
  slot = CLAMP ((gssize) self->cursor, 0, (gssize) self->n - 1);
  day = bt_ui_format_day (self->first_day + (BtDay) slot);
  text = g_string_new (day);
  for (guint pane = 0; pane < 2; pane++)
    {
      const BtChartSeries *series = pane == 0 ? self->upper : self->lower;
      guint n = pane == 0 ? (self->first_only ? MIN (self->n_upper, 1) : self->n_upper)
                          : self->n_lower;

      for (guint i = 0; i < n; i++)
        {
          char buf[64];

          format_value (self, pane == 1, series[i].values != NULL ? series[i].values[slot] : NAN,
                        buf, sizeof buf);
          g_string_append_c (text, '\n');
          /* Translators: a line of a chart's read-out: a series and its value, e.g. "BTC $71,333" */
          g_string_append_printf (text, C_("read-out", "%s %s"),
                                  series[i].label != NULL ? series[i].label : "", buf);
        }
    }
  self->readout = g_string_free (text, FALSE);
}

static double
upper_height (BtChartView *self,
              double       height)
{
  return self->n_lower > 0 ? floor (height * 0.66) : height;
}

/* Slot under widget coordinate X. */
static double
slot_at (BtChartView *self,
         double       x)
{
  BtChartPane pane = { 0 };
  cairo_rectangle_t plot;

  ensure_gutter (self, bt_chart_widget_get_style (BT_CHART_WIDGET (self)));
  fill_pane (self, &pane, FALSE, FALSE);
  bt_chart_pane_plot_area (&pane, bt_chart_widget_get_style (BT_CHART_WIDGET (self)), gtk_widget_get_width (GTK_WIDGET (self)),
                           gtk_widget_get_height (GTK_WIDGET (self)), &plot);
  return self->view_start + (x - plot.x) / plot.width * (self->view_end - self->view_start);
}

static gboolean
update_accessible_cb (gpointer user_data)
{
  BtChartView *self = user_data;
  g_autofree char *text = bt_chart_view_dup_description (self);

  self->a11y_idle = 0;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  return G_SOURCE_REMOVE;
}

static void
changed (BtChartView *self,
         gboolean     view_moved)
{
  update_readout (self);
  if (self->a11y_idle == 0)
    self->a11y_idle = g_timeout_add (250, update_accessible_cb, self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (view_moved)
    g_signal_emit (self, signals[VIEW_CHANGED], 0);
}

static void
on_motion_cb (GtkEventControllerMotion *controller,
              double                    x,
              double                    y,
              BtChartView              *self)
{
  bt_chart_view_set_cursor (self, slot_at (self, x));
}

static void
on_leave_cb (GtkEventControllerMotion *controller,
             BtChartView              *self)
{
  bt_chart_view_set_cursor (self, NAN);
}

static gboolean
on_scroll_cb (GtkEventControllerScroll *controller,
              double                    dx,
              double                    dy,
              BtChartView              *self)
{
  double x, y, anchor;
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));

  if (self->n == 0 || dy == 0)
    return FALSE;
  if (event != NULL && gdk_event_get_position (event, &x, &y))
    anchor = slot_at (self, x);
  else
    anchor = (self->view_start + self->view_end) / 2;
  bt_chart_zoom_view (self->n, MIN_SPAN, anchor, pow (1.15, dy), &self->view_start,
                      &self->view_end);
  changed (self, TRUE);
  return TRUE;
}

static void
on_drag_begin_cb (GtkGestureDrag *gesture,
                  double          x,
                  double          y,
                  BtChartView    *self)
{
  self->drag_start = self->view_start;
}

static void
on_drag_update_cb (GtkGestureDrag *gesture,
                   double          dx,
                   double          dy,
                   BtChartView    *self)
{
  BtChartPane pane = { 0 };
  double span = self->view_end - self->view_start;
  cairo_rectangle_t plot;

  ensure_gutter (self, bt_chart_widget_get_style (BT_CHART_WIDGET (self)));
  fill_pane (self, &pane, FALSE, FALSE);
  bt_chart_pane_plot_area (&pane, bt_chart_widget_get_style (BT_CHART_WIDGET (self)), gtk_widget_get_width (GTK_WIDGET (self)),
                           gtk_widget_get_height (GTK_WIDGET (self)), &plot);
  self->view_start = self->drag_start - dx / plot.width * span;
  self->view_end = self->view_start + span;
  bt_chart_clamp_view (self->n, MIN_SPAN, &self->view_start, &self->view_end);
  changed (self, TRUE);
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   BtChartView           *self)
{
  double cursor;

  if (self->n == 0)
    return FALSE;
  cursor = isnan (self->cursor) ? floor (self->view_end) : round (self->cursor);
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      bt_chart_view_set_cursor (self, MAX (cursor - 1, ceil (self->view_start)));
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      bt_chart_view_set_cursor (self, MIN (cursor + 1, floor (self->view_end)));
      return TRUE;
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      bt_chart_view_zoom (self, 1 / 1.5);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      bt_chart_view_zoom (self, 1.5);
      return TRUE;
    case GDK_KEY_Escape:
      if (isnan (self->cursor))
        return FALSE;
      bt_chart_view_set_cursor (self, NAN);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
render (BtChartView        *self,
        cairo_t            *cr,
        const BtChartStyle *style,
        double              width,
        double              height)
{
  BtChartPane pane = { 0 };
  double h1 = upper_height (self, height);

  ensure_gutter (self, style);
  fill_pane (self, &pane, FALSE, self->n_lower == 0);
  bt_chart_render_pane (cr, self->workspace, &pane, style, &(cairo_rectangle_t) { 0, 0, width, h1 });
  if (self->n_lower > 0)
    {
      fill_pane (self, &pane, TRUE, TRUE);
      if (self->n == 0)
        pane.empty_text = NULL;
      bt_chart_render_pane (cr, self->workspace, &pane, style, &(cairo_rectangle_t) { 0, h1, width, height - h1 });
    }
}

static void
bt_chart_view_draw (BtChartWidget      *widget,
                    cairo_t            *cr,
                    const BtChartStyle *style,
                    int                 width,
                    int                 height)
{
  render (BT_CHART_VIEW (widget), cr, style, width, height);
}

static void
bt_chart_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  const BtChartStyle *style = bt_chart_widget_get_style (BT_CHART_WIDGET (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  GTK_WIDGET_CLASS (bt_chart_view_parent_class)->snapshot (widget, snapshot);

  if (width > 0 && height > 0 && gtk_widget_has_focus (widget))
    {
      GdkRGBA ring = { style->accent.red, style->accent.green, style->accent.blue, 0.5 };
      GskRoundedRect outline;
      float widths[4] = { 2, 2, 2, 2 };
      GdkRGBA colors[4] = { ring, ring, ring, ring };

      gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (1, 1, width - 2, height - 2), 6);
      gtk_snapshot_append_border (snapshot, &outline, widths, colors);
    }
}

/* the first series follows the accent colour unless it has its own */
static void
bt_chart_view_style_changed (BtChartWidget *widget)
{
  BtChartView *self = BT_CHART_VIEW (widget);

  if (self->n_upper > 0 && self->accent_first)
    self->upper[0].color = bt_chart_widget_get_style (widget)->accent;
}

static void
bt_chart_view_dispose (GObject *object)
{
  BtChartView *self = BT_CHART_VIEW (object);

  g_clear_handle_id (&self->a11y_idle, g_source_remove);

  G_OBJECT_CLASS (bt_chart_view_parent_class)->dispose (object);
}

static void
bt_chart_view_finalize (GObject *object)
{
  BtChartView *self = BT_CHART_VIEW (object);

  for (guint i = 0; i < MAX_SERIES; i++)
    {
      g_free ((char *) self->upper[i].label);
      g_free ((char *) self->lower[i].label);
    }
  g_free (self->empty_text);
  g_free (self->readout);
  g_free (self->gutter_font);
  bt_chart_workspace_free (self->workspace);

  G_OBJECT_CLASS (bt_chart_view_parent_class)->finalize (object);
}

static void
bt_chart_view_class_init (BtChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BtChartWidgetClass *chart_class = BT_CHART_WIDGET_CLASS (klass);

  object_class->dispose = bt_chart_view_dispose;
  object_class->finalize = bt_chart_view_finalize;
  widget_class->snapshot = bt_chart_view_snapshot;
  chart_class->draw = bt_chart_view_draw;
  chart_class->style_changed = bt_chart_view_style_changed;
  bt_chart_widget_class_set_size (chart_class, 200, 600, 220, 420);

  signals[VIEW_CHANGED] = g_signal_new ("view-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bt_chart_view_init (BtChartView *self)
{
  GtkEventController *controller;
  GtkGesture *drag;

  self->workspace = bt_chart_workspace_new ();
  self->cursor = NAN;
  self->lower_min = NAN;
  self->lower_max = NAN;
  self->first_day = BT_DAY_INVALID;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static guint
copy_series (BtChartSeries       *dest,
             const BtChartSeries *src,
             guint                n_src,
             const BtChartStyle  *style,
             gboolean            *first_follows_accent)
{
  guint n = MIN (n_src, MAX_SERIES);

  for (guint i = 0; i < MAX_SERIES; i++)
    {
      g_free ((char *) dest[i].label);
      dest[i] = (BtChartSeries) { 0 };
    }
  for (guint i = 0; i < n; i++)
    {
      dest[i] = src[i];
      dest[i].label = g_strdup (src[i].label);
      if (src[i].color.alpha == 0)
        {
          guint32 hex = palette[(i - 1) % G_N_ELEMENTS (palette)];

          if (i == 0)
            dest[i].color = style->accent;
          else
            dest[i].color = (BtChartColor) { ((hex >> 16) & 0xff) / 255.0,
                                             ((hex >> 8) & 0xff) / 255.0,
                                             (hex & 0xff) / 255.0, 1 };
        }
    }
  if (first_follows_accent != NULL)
    *first_follows_accent = n > 0 && src[0].color.alpha == 0;
  return n;
}

void
bt_chart_view_set_data (BtChartView         *self,
                        BtDay                first_day,
                        guint                n,
                        const BtChartSeries *upper,
                        guint                n_upper,
                        const BtChartSeries *lower,
                        guint                n_lower)
{
  const BtChartStyle *style;
  gboolean had_data;

  g_return_if_fail (BT_IS_CHART_VIEW (self));
  g_return_if_fail (n_upper == 0 || upper != NULL);
  g_return_if_fail (n_lower == 0 || lower != NULL);

  had_data = self->n > 0;
  self->first_day = first_day;
  self->n = n;
  style = bt_chart_widget_get_style (BT_CHART_WIDGET (self));
  self->n_upper = copy_series (self->upper, upper, n_upper, style, &self->accent_first);
  self->n_lower = copy_series (self->lower, lower, n_lower, style, NULL);
  if (!had_data)
    {
      self->view_start = 0;
      self->view_end = n > 0 ? n - 1 : 0;
    }
  bt_chart_clamp_view (self->n, MIN_SPAN, &self->view_start, &self->view_end);
  if (!isnan (self->cursor) && self->cursor > (double) n - 1)
    self->cursor = NAN;
  self->gutter = 0;
  changed (self, TRUE);
}

void
bt_chart_view_set_log_scale (BtChartView *self,
                             gboolean     log_scale)
{
  g_return_if_fail (BT_IS_CHART_VIEW (self));

  self->log_scale = !!log_scale;
  self->gutter = 0;
  changed (self, FALSE);
}

void
bt_chart_view_set_lower_range (BtChartView *self,
                               double       min,
                               double       max)
{
  g_return_if_fail (BT_IS_CHART_VIEW (self));

  self->lower_min = min;
  self->lower_max = max;
  self->gutter = 0;
  changed (self, FALSE);
}

void
bt_chart_view_set_lower_guides (BtChartView  *self,
                                const double *guides,
                                guint         n_guides)
{
  g_return_if_fail (BT_IS_CHART_VIEW (self));
  g_return_if_fail (n_guides == 0 || guides != NULL);

  self->n_guides = MIN (n_guides, G_N_ELEMENTS (self->guides));
  for (guint i = 0; i < self->n_guides; i++)
    self->guides[i] = guides[i];
  self->gutter = 0;
  changed (self, FALSE);
}

void
bt_chart_view_set_readout_first_only (BtChartView *self,
                                      gboolean     first_only)
{
  g_return_if_fail (BT_IS_CHART_VIEW (self));

  self->first_only = !!first_only;
  changed (self, FALSE);
}

const char *
bt_chart_view_get_readout (BtChartView *self)
{
  g_return_val_if_fail (BT_IS_CHART_VIEW (self), NULL);
  return self->readout;
}

void
bt_chart_view_set_empty_text (BtChartView *self,
                              const char  *text)
{
  g_return_if_fail (BT_IS_CHART_VIEW (self));

  g_free (self->empty_text);
  self->empty_text = g_strdup (text);
  changed (self, FALSE);
}

void
bt_chart_view_set_format_func (BtChartView       *self,
                               gboolean           lower,
                               BtChartFormatFunc  func,
                               gpointer           user_data)
{
  g_return_if_fail (BT_IS_CHART_VIEW (self));

  self->format[lower ? 1 : 0] = func;
  self->format_data[lower ? 1 : 0] = user_data;
  self->gutter = 0;
  changed (self, FALSE);
}

void
bt_chart_view_set_view (BtChartView *self,
                        double       start,
                        double       end)
{
  g_return_if_fail (BT_IS_CHART_VIEW (self));

  self->view_start = start;
  self->view_end = end;
  bt_chart_clamp_view (self->n, MIN_SPAN, &self->view_start, &self->view_end);
  changed (self, TRUE);
}

void
bt_chart_view_get_view (BtChartView *self,
                        double      *start,
                        double      *end)
{
  g_return_if_fail (BT_IS_CHART_VIEW (self));

  if (start != NULL)
    *start = self->view_start;
  if (end != NULL)
    *end = self->view_end;
}

void
bt_chart_view_show_last (BtChartView *self,
                         guint        days)
{
  double last;

  g_return_if_fail (BT_IS_CHART_VIEW (self));

  last = self->n > 0 ? self->n - 1 : 0;
  if (days == 0)
    bt_chart_view_set_view (self, 0, last);
  else
    bt_chart_view_set_view (self, last - (days - 1), last);
}

void
bt_chart_view_zoom (BtChartView *self,
                    double       factor)
{
  double anchor;

  g_return_if_fail (BT_IS_CHART_VIEW (self));

  anchor = isnan (self->cursor) ? (self->view_start + self->view_end) / 2 : self->cursor;
  bt_chart_zoom_view (self->n, MIN_SPAN, anchor, factor, &self->view_start, &self->view_end);
  changed (self, TRUE);
}

double
bt_chart_view_get_cursor (BtChartView *self)
{
  g_return_val_if_fail (BT_IS_CHART_VIEW (self), NAN);
  return self->cursor;
}

void
bt_chart_view_set_cursor (BtChartView *self,
                          double       slot)
{
  g_return_if_fail (BT_IS_CHART_VIEW (self));

  if (!isnan (slot))
    {
      slot = round (slot);
      if (self->n == 0 || slot < 0 || slot > (double) self->n - 1
          || slot < floor (self->view_start) || slot > ceil (self->view_end))
        slot = NAN;
    }
  if ((isnan (slot) && isnan (self->cursor)) || slot == self->cursor)
    return;
  self->cursor = slot;
  changed (self, FALSE);
}

static void
append_values (BtChartView         *self,
               GString             *text,
               const BtChartSeries *series,
               guint                n_series,
               gssize               slot,
               gboolean             lower)
{
  for (guint i = 0; i < n_series; i++)
    {
      char buf[64];

      format_value (self, lower, series[i].values != NULL ? series[i].values[slot] : NAN, buf,
                    sizeof buf);
      g_string_append_printf (text, "; %s %s", series[i].label != NULL ? series[i].label : "", buf);
    }
}

char *
bt_chart_view_dup_description (BtChartView *self)
{
  GString *text;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *at = NULL;
  gssize slot;

  g_return_val_if_fail (BT_IS_CHART_VIEW (self), NULL);

  if (self->n == 0 || self->n_upper == 0)
    return g_strdup (self->empty_text != NULL ? self->empty_text : _("No data"));

  from = bt_ui_format_day (self->first_day + (BtDay) ceil (self->view_start));
  to = bt_ui_format_day (self->first_day + (BtDay) floor (self->view_end));
  slot = isnan (self->cursor) ? (gssize) floor (self->view_end) : (gssize) self->cursor;
  slot = CLAMP (slot, 0, (gssize) self->n - 1);
  at = bt_ui_format_day (self->first_day + (BtDay) slot);

  text = g_string_new (NULL);
  /* Translators: what a screen reader says about a chart; the values follow */
  g_string_append_printf (text, _("Chart from %s to %s. Values on %s"), from, to, at);
  append_values (self, text, self->upper, self->n_upper, slot, FALSE);
  append_values (self, text, self->lower, self->n_lower, slot, TRUE);
  return g_string_free (text, FALSE);
}

void
bt_chart_view_render (BtChartView        *self,
                      cairo_t            *cr,
                      const BtChartStyle *style,
                      double              width,
                      double              height)
{
  g_return_if_fail (BT_IS_CHART_VIEW (self));
  g_return_if_fail (cr != NULL && style != NULL);

  render (self, cr, style, width, height);
}
