/* bt-chart.c: BTC Turbo's GTK-free chart renderer (Cairo + PangoCairo). */
#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "bt-base.h"
#include "bt-chart.h"
#include "bt-chart-private.h"

struct _BtChartWorkspace
{
  double *col_min;    /* one block: the minima, then the maxima */
  double *col_max;
  gsize   n_alloc;    /* doubles in each half */
};

/* ---- rendering ---------------------------------------------------------- */

BtChartWorkspace *
bt_chart_workspace_new (void)
{
  return g_new0 (BtChartWorkspace, 1);
}

void
bt_chart_workspace_free (BtChartWorkspace *workspace)
{
  if (workspace != NULL)
    g_free (workspace->col_min);
  g_free (workspace);
}

static void
workspace_reserve (BtChartWorkspace *workspace,
                   gsize             n)
{
  if (workspace->n_alloc >= n)
    return;
  /* every render fills the columns after reserving them: nothing to keep */
  workspace->n_alloc = MAX (n, workspace->n_alloc * 2);
  g_free (workspace->col_min);
  workspace->col_min = g_new (double, 2 * workspace->n_alloc);
  workspace->col_max = workspace->col_min + workspace->n_alloc;
}

static void
set_color (cairo_t            *cr,
           const BtChartColor *color,
           double              alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
default_format (double   value,
                char    *buf,
                gsize    size,
                gpointer user_data)
{
  if (isnan (value))
    g_strlcpy (buf, "—", size);
  else if (fabs (value) >= 100 || value == floor (value))
    g_snprintf (buf, size, "%'.0f", value);
  else if (fabs (value) >= 1)
    g_snprintf (buf, size, "%'.2f", value);
  else
    g_snprintf (buf, size, "%.4g", value);
}

/* VALUE as PANE's axis and read-out write it. */
static void
format_value (const BtChartPane *pane,
              double             value,
              char              *buf,
              gsize              size)
{
  (pane->format_value != NULL ? pane->format_value : default_format) (value, buf, size,
                                                                      pane->format_data);
}

/* PANE's fixed y range in LO..HI; FALSE when it fits its data. */
static gboolean
fixed_range (const BtChartPane *pane,
             double            *lo,
             double            *hi)
{
  if (isnan (pane->y_min) || isnan (pane->y_max) || !(pane->y_max > pane->y_min))
    return FALSE;
  *lo = pane->y_min;
  *hi = pane->y_max;
  return TRUE;
}

static PangoLayout *
make_layout (cairo_t            *cr,
             const BtChartStyle *style,
             double              size_factor,
             gboolean            bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (style->font != NULL ? style->font
                                                                                      : "Sans 9");
  double scale = style->scale > 0 ? style->scale : 1;
  int size = pango_font_description_get_size (desc);

  if (size <= 0)
    size = 9 * PANGO_SCALE;
  if (pango_font_description_get_size_is_absolute (desc))
    pango_font_description_set_absolute_size (desc, size * scale * size_factor);
  else
    pango_font_description_set_size (desc, (int) (size * scale * size_factor));
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  return layout;
}

static void
draw_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           double       xalign,
           double       yalign)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - w * xalign, y - h * yalign);
  pango_cairo_show_layout (cr, layout);
}

/* g_date_time_format() in the locale, without the padding some formats
 * leave (a figure space before a one-digit %e). */
static char *
format_day (BtDay       day,
            const char *format)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (bt_day_to_unix (day));
  g_autofree char *text = dt != NULL ? g_date_time_format (dt, format) : NULL;
  GString *clean;

  if (text == NULL)
    return g_strdup ("");
  clean = g_string_new (g_strstrip (text));
  g_string_replace (clean, "\u2007", "", 0);   /* FIGURE SPACE */
  return g_string_free (clean, FALSE);
}

char *
bt_chart_dup_tick_label (BtDay           day,
                         BtChartDateUnit unit)
{
  int y, m, d;

  bt_day_to_ymd (day, &y, &m, &d);
  if (unit == BT_CHART_DATE_YEARS || (unit == BT_CHART_DATE_MONTHS && m == 1))
    return format_day (day, "%Y");
  if (unit == BT_CHART_DATE_MONTHS)
    /* Translators: a month tick under a chart, strftime format: "%b" is
     * the abbreviated month ("Mar") */
    return format_day (day, C_("chart date", "%b"));
  /* Translators: a day tick under a chart, strftime format ("5 Mar");
   * "%-d" is the day without padding; e.g. "%d/%m" */
  return format_day (day, C_("chart date", "%-d %b"));
}

char *
bt_chart_dup_full_date (BtDay day)
{
  /* Translators: the day of the chart's read-out, strftime format
   * ("5 Mar 2024"); "%-d" is the day without padding; e.g. "%d/%m/%Y" */
  return format_day (day, C_("chart date", "%-d %b %Y"));
}

static void
format_tick_date (BtDay           day,
                  BtChartDateUnit unit,
                  char           *buf,
                  gsize           size)
{
  g_autofree char *text = bt_chart_dup_tick_label (day, unit);

  g_strlcpy (buf, text, size);
}

static void
format_full_date (BtDay  day,
                  char  *buf,
                  gsize  size)
{
  g_autofree char *text = bt_chart_dup_full_date (day);

  g_strlcpy (buf, text, size);
}

/* room right of the plot for the value labels, in unscaled pixels */
#define DEFAULT_GUTTER 80.0

void
bt_chart_pane_plot_area (const BtChartPane  *pane,
                         const BtChartStyle *style,
                         double              width,
                         double              height,
                         cairo_rectangle_t  *plot)
{
  double s = style->scale > 0 ? style->scale : 1;
  double top = pane->show_legend ? 22 * s : 8 * s;
  double bottom = pane->show_dates ? 22 * s : 6 * s;
  double right = (pane->value_gutter > 0 ? pane->value_gutter : DEFAULT_GUTTER) * s;
  double left = 8 * s;

  plot->x = left;
  plot->y = top;
  plot->width = MAX (1, width - left - right);
  plot->height = MAX (1, height - top - bottom);
}

/* The y range of the visible data of every series, from the columns. */
static gboolean
fit_range (const BtChartPane *pane,
           BtChartWorkspace  *ws,
           guint              n_columns,
           double            *lo,
           double            *hi)
{
  gboolean any = FALSE;

  *lo = INFINITY;
  *hi = -INFINITY;
  for (guint s = 0; s < pane->n_series; s++)
    {
      const double *cmin = ws->col_min + (gsize) s * n_columns;
      const double *cmax = ws->col_max + (gsize) s * n_columns;

      if (pane->series[s].hidden)
        continue;
      for (guint c = 0; c < n_columns; c++)
        {
          if (isnan (cmin[c]))
            continue;
          if (pane->log_scale && cmax[c] <= 0)
            continue;
          if (!pane->log_scale || cmin[c] > 0)
            *lo = MIN (*lo, cmin[c]);
          *hi = MAX (*hi, cmax[c]);
          any = TRUE;
        }
    }
  return any && *lo <= *hi;
}

static void
pad_range (gboolean log_scale,
           double  *lo,
           double  *hi)
{
  if (log_scale)
    {
      double a = log10 (*lo), b = log10 (*hi), pad;

      pad = b > a ? (b - a) * 0.05 : 0.05;
      *lo = pow (10, a - pad);
      *hi = pow (10, b + pad);
    }
  else
    {
      double pad = *hi > *lo ? (*hi - *lo) * 0.06 : MAX (fabs (*hi) * 0.05, 1);

      *lo -= pad;
      *hi += pad;
    }
}

double
bt_chart_pane_value_gutter (const BtChartPane  *pane,
                            const BtChartStyle *style)
{
  double s = style->scale > 0 ? style->scale : 1;
  double lo = INFINITY, hi = -INFINITY, widest = 0;
  const double *labels;
  double ends[2];
  guint n_labels;
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoLayout *layout;
  char buf[128];

  g_return_val_if_fail (pane != NULL && style != NULL, DEFAULT_GUTTER);

  if (pane->n_guides > 0)
    {
      /* the guides are the axis's only labels */
      labels = pane->guides;
      n_labels = pane->n_guides;
    }
  else if (fixed_range (pane, &ends[0], &ends[1]))
    {
      labels = ends;
      n_labels = 2;
    }
  else
    {
      /* as fit_range() over the whole data, hidden series too */
      for (guint k = 0; k < pane->n_series; k++)
        for (guint i = 0; pane->series[k].values != NULL && i < pane->n; i++)
          {
            double v = pane->series[k].values[i];

            if (!isfinite (v) || (pane->log_scale && v <= 0))
              continue;
            lo = MIN (lo, v);
            hi = MAX (hi, v);
          }
      if (lo > hi)
        return DEFAULT_GUTTER;
      pad_range (pane->log_scale, &lo, &hi);
      ends[0] = lo;
      ends[1] = hi;
      labels = ends;
      n_labels = 2;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cr = cairo_create (surface);
  layout = make_layout (cr, style, 1, FALSE);
  for (guint i = 0; i < n_labels; i++)
    {
      int w;

      format_value (pane, labels[i], buf, sizeof buf);
      pango_layout_set_text (layout, buf, -1);
      pango_layout_get_pixel_size (layout, &w, NULL);
      widest = MAX (widest, w / s);
    }
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  /* the label starts 6 px right of the plot; 8 px to the edge */
  return MAX (DEFAULT_GUTTER, ceil (widest) + 6 + 8);
}

/* Plot one series.  Never more than 2 line segments per pixel column. */
static void
draw_series (cairo_t             *cr,
             const BtChartPane   *pane,
             const BtChartSeries *series,
             const double        *cmin,
             const double        *cmax,
             guint                n_columns,
             const BtChartScale  *scale,
             double               px,
             double               py,
             double               pw,
             double               ph)
{
  double span = pane->view_end - pane->view_start;
  gboolean sparse = span + 1 <= n_columns;
  gboolean pen_down = FALSE;
  double run_start_x = 0, last_x = 0;

  if (series->values == NULL || series->hidden)
    return;

  cairo_new_path (cr);
#define Y_OF(v) (py + ph - bt_chart_scale_map (scale, (v)) * ph)

  if (sparse)
    {
      /* few points: draw them all, one slot beyond each edge for continuity */
      gssize i0 = (gssize) floor (pane->view_start);
      gssize i1 = (gssize) ceil (pane->view_end);

      i0 = MAX (i0, 0);
      i1 = MIN (i1, (gssize) pane->n - 1);
      for (gssize i = i0; i <= i1; i++)
        {
          double v = series->values[i];
          double x, y;

          if (isnan (v) || (scale->log && v <= 0))
            {
              pen_down = FALSE;
              continue;
            }
          x = px + (i - pane->view_start) / span * pw;
          y = Y_OF (v);
          if (!pen_down)
            {
              cairo_move_to (cr, x, y);
              run_start_x = x;
            }
          else
            cairo_line_to (cr, x, y);
          last_x = x;
          pen_down = TRUE;
        }
    }
  else
    {
      /* dense: one pixel-aligned box per column from its minimum to its
       * maximum, stretched to meet the previous column so the line stays
       * continuous.  Boxes on whole pixels take Cairo's fast path. */
      double lw = series->line_width > 0 ? series->line_width : 1.5;
      double half = MAX (1, round (lw)) / 2;
      double prev_lo = NAN, prev_hi = NAN;

      cairo_new_path (cr);
      for (guint c = 0; c < n_columns; c++)
        {
          double top, bottom;

          if (isnan (cmin[c]) || (scale->log && cmax[c] <= 0))
            {
              prev_lo = prev_hi = NAN;
              continue;
            }
          top = Y_OF (cmax[c]);
          bottom = (scale->log && cmin[c] <= 0) ? top : Y_OF (cmin[c]);
          if (!isnan (prev_lo))
            {
              /* screen y grows downwards: prev_hi is the higher point */
              if (prev_lo < top)
                top = prev_lo;
              if (prev_hi > bottom)
                bottom = prev_hi;
            }
          prev_lo = Y_OF (cmin[c]);
          prev_hi = Y_OF (cmax[c]);
          if (isnan (prev_lo))
            prev_lo = prev_hi;
          {
            double y0 = floor (top - half);
            double y1 = ceil (bottom + half);
            double x0 = px + c;

            cairo_rectangle (cr, floor (x0), y0, MAX (1, round (lw)), y1 - y0);
          }
        }
      set_color (cr, &series->color, 1);
      cairo_fill (cr);

      if (series->fill)
        {
          for (guint c = 0; c < n_columns; c++)
            {
              double top;

              if (isnan (cmax[c]) || (scale->log && cmax[c] <= 0))
                continue;
              top = round (Y_OF (cmax[c]));
              if (top < py + ph)
                cairo_rectangle (cr, floor (px + c), top, 1, ceil (py + ph) - top);
            }
          set_color (cr, &series->color, 0.15);
          cairo_fill (cr);
        }
      return;
    }
#undef Y_OF

  cairo_set_line_width (cr, series->line_width > 0 ? series->line_width : 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  set_color (cr, &series->color, 1);
  if (series->fill)
    {
      /* shade under the curve; the path is a single run for filled series */
      cairo_path_t *path = cairo_copy_path (cr);

      cairo_stroke (cr);
      if (path->num_data > 0)
        {
          cairo_append_path (cr, path);
          cairo_line_to (cr, last_x, py + ph);
          cairo_line_to (cr, run_start_x, py + ph);
          cairo_close_path (cr);
          set_color (cr, &series->color, 0.15);
          cairo_fill (cr);
        }
      cairo_path_destroy (path);
    }
  else
    cairo_stroke (cr);
}

#define LEGEND_ROW 16.0   /* height of a legend row, in unscaled pixels */

/* Lay the legend out in rows inside WIDTH (from X0), drawing it when CR is
 * not NULL; returns the number of rows (at least 1). */
static guint
legend_layout (const BtChartPane  *pane,
               const BtChartStyle *style,
               PangoLayout        *layout,
               double              x0,
               double              width,
               cairo_t            *cr)
{
  double s = style->scale > 0 ? style->scale : 1;
  double lx = x0;
  guint row = 0;

  for (guint i = 0; i < pane->n_series; i++)
    {
      int w, h;
      double item, ly;

      if (pane->series[i].label == NULL || pane->series[i].hidden)
        continue;
      pango_layout_set_text (layout, pane->series[i].label, -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      item = 14 * s + w;
      if (lx > x0 && lx + item > width - 4 * s)
        {
          row++;
          lx = x0;
        }
      ly = (9.5 + row * LEGEND_ROW) * s;
      if (cr != NULL)
        {
          set_color (cr, &pane->series[i].color, 1);
          cairo_rectangle (cr, lx, ly - 1.5 * s, 10 * s, 3 * s);
          cairo_fill (cr);
          set_color (cr, &style->foreground, 0.8);
          cairo_move_to (cr, lx + 14 * s, ly - h / 2.0);
          pango_cairo_show_layout (cr, layout);
        }
      lx += item + 14 * s;
    }
  return row + 1;
}

void
bt_chart_render_pane (cairo_t                 *cr,
                      BtChartWorkspace        *workspace,
                      const BtChartPane       *pane,
                      const BtChartStyle      *style,
                      const cairo_rectangle_t *area)
{
  double s = style->scale > 0 ? style->scale : 1;
  cairo_rectangle_t plot;
  double lo, hi;
  guint n_columns;
  gboolean any;
  BtChartScale scale;
  PangoLayout *layout;
  char buf[128];

  g_return_if_fail (cr != NULL && workspace != NULL && pane != NULL && style != NULL);

  if (!(area->width > 0 && area->height > 0))
    return;

  cairo_save (cr);
  cairo_new_path (cr);
  cairo_translate (cr, area->x, area->y);

  if (style->background.alpha > 0)
    {
      set_color (cr, &style->background, 1);
      cairo_rectangle (cr, 0, 0, area->width, area->height);
      cairo_fill (cr);
    }

  bt_chart_pane_plot_area (pane, style, area->width, area->height, &plot);
  layout = make_layout (cr, style, 1, FALSE);
  if (pane->show_legend)
    {
      /* a legend wider than the pane wraps: the plot starts lower */
      guint rows = legend_layout (pane, style, layout, plot.x, area->width, NULL);
      double extra = (rows - 1) * LEGEND_ROW * s;

      plot.y += extra;
      plot.height = MAX (1, plot.height - extra);
    }
  n_columns = (guint) ceil (plot.width);
  workspace_reserve (workspace, (gsize) MAX (pane->n_series, 1) * n_columns);

  any = FALSE;
  if (pane->n > 0 && pane->view_end >= pane->view_start)
    {
      for (guint i = 0; i < pane->n_series; i++)
        if (pane->series[i].values != NULL && !pane->series[i].hidden)
          bt_chart_decimate (pane->series[i].values, pane->n, pane->view_start, pane->view_end,
                             n_columns,
                             workspace->col_min + (gsize) i * n_columns,
                             workspace->col_max + (gsize) i * n_columns);
        else
          for (guint c = 0; c < n_columns; c++)
            workspace->col_min[(gsize) i * n_columns + c] =
              workspace->col_max[(gsize) i * n_columns + c] = NAN;
      any = fit_range (pane, workspace, n_columns, &lo, &hi);
    }

  if (!any)
    {
      set_color (cr, &style->dim, 0.8);
      draw_text (cr, layout, pane->empty_text != NULL ? pane->empty_text : "—",
                 plot.x + plot.width / 2, plot.y + plot.height / 2, 0.5, 0.5);
      g_object_unref (layout);
      cairo_restore (cr);
      return;
    }

  if (!fixed_range (pane, &lo, &hi))
    pad_range (pane->log_scale, &lo, &hi);
  scale.min = lo;
  scale.max = hi;
  scale.log = pane->log_scale && lo > 0;

  /* horizontal grid and value labels on the right */
  {
    double ticks[16];
    guint max_ticks = CLAMP ((guint) (plot.height / (36 * s)), 2, 8);
    guint nt;
    static const double dash[] = { 4, 3 };

    if (pane->n_guides > 0)
      {
        nt = MIN (pane->n_guides, G_N_ELEMENTS (ticks));
        memcpy (ticks, pane->guides, nt * sizeof (double));
      }
    else
      nt = scale.log ? bt_chart_log_ticks (lo, hi, max_ticks, ticks, G_N_ELEMENTS (ticks))
                     : bt_chart_nice_ticks (lo, hi, max_ticks, ticks, G_N_ELEMENTS (ticks));

    cairo_set_line_width (cr, 1);
    for (guint i = 0; i < nt; i++)
      {
        double ty = round (plot.y + plot.height - bt_chart_scale_map (&scale, ticks[i]) * plot.height) + 0.5;

        if (isnan (ty))
          continue;
        set_color (cr, &style->dim, pane->n_guides > 0 ? 0.45 : 0.18);
        if (pane->n_guides > 0)
          cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
        cairo_move_to (cr, plot.x, ty);
        cairo_line_to (cr, plot.x + plot.width, ty);
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);
        format_value (pane, ticks[i], buf, sizeof buf);
        set_color (cr, &style->dim, 1);
        draw_text (cr, layout, buf, plot.x + plot.width + 6 * s, ty, 0, 0.5);
      }
  }

  /* vertical grid and date labels */
  if (pane->show_dates)
    {
      BtDay ticks[24];
      BtChartDateUnit unit;
      BtDay d0 = pane->first_day + (BtDay) ceil (pane->view_start);
      BtDay d1 = pane->first_day + (BtDay) floor (pane->view_end);
      guint max_ticks = CLAMP ((guint) (plot.width / (80 * s)), 2, 12);
      guint nt = bt_chart_date_ticks (d0, d1, max_ticks, ticks, G_N_ELEMENTS (ticks), &unit);
      double span = pane->view_end - pane->view_start;

      for (guint i = 0; i < nt && span > 0; i++)
        {
          double tx = round (plot.x + (ticks[i] - pane->first_day - pane->view_start) / span * plot.width)
                      + 0.5;

          set_color (cr, &style->dim, 0.12);
          cairo_move_to (cr, tx, plot.y);
          cairo_line_to (cr, tx, plot.y + plot.height);
          cairo_stroke (cr);
          format_tick_date (ticks[i], unit, buf, sizeof buf);
          set_color (cr, &style->dim, 1);
          {
            int w, h;
            double lx;

            /* keep the label inside the pane */
            pango_layout_set_text (layout, buf, -1);
            pango_layout_get_pixel_size (layout, &w, &h);
            lx = CLAMP (tx - w / 2.0, 0, MAX (0, plot.x + plot.width - w));
            cairo_move_to (cr, lx, plot.y + plot.height + 4 * s);
            pango_cairo_show_layout (cr, layout);
          }
        }
    }

  /* the series, clipped to the plot */
  cairo_save (cr);
  cairo_rectangle (cr, plot.x, plot.y, plot.width, plot.height);
  cairo_clip (cr);
  for (gssize i = (gssize) pane->n_series - 1; i >= 0; i--)
    draw_series (cr, pane, &pane->series[i],
                 workspace->col_min + (gsize) i * n_columns,
                 workspace->col_max + (gsize) i * n_columns,
                 n_columns, &scale, plot.x, plot.y, plot.width, plot.height);
  cairo_restore (cr);

  /* legend */
  if (pane->show_legend)
    legend_layout (pane, style, layout, plot.x, area->width, cr);

  /* crosshair and read-out of the nearest slot */
  if (!isnan (pane->cursor) && pane->view_end > pane->view_start)
    {
      gssize slot = (gssize) llround (pane->cursor);

      if (slot >= 0 && slot < (gssize) pane->n)
        {
          double span = pane->view_end - pane->view_start;
          double cx = round (plot.x + (slot - pane->view_start) / span * plot.width) + 0.5;
          GString *text = g_string_new (NULL);
          int w, h;

          set_color (cr, &style->accent, 0.8);
          cairo_set_line_width (cr, 1);
          cairo_move_to (cr, cx, plot.y);
          cairo_line_to (cr, cx, plot.y + plot.height);
          cairo_stroke (cr);

          format_full_date (pane->first_day + (BtDay) slot, buf, sizeof buf);
          g_string_append (text, buf);
          for (guint i = 0; i < pane->n_series; i++)
            {
              double v = pane->series[i].values != NULL ? pane->series[i].values[slot] : NAN;
              double f = pane->series[i].hidden ? NAN : bt_chart_scale_map (&scale, v);

              if (!isnan (f))
                {
                  set_color (cr, &pane->series[i].color, 1);
                  cairo_arc (cr, cx, plot.y + plot.height - f * plot.height, 3.5 * s, 0, 2 * G_PI);
                  cairo_fill (cr);
                }
              format_value (pane, v, buf, sizeof buf);
              g_string_append_printf (text, "   %s %s",
                                      pane->series[i].label != NULL ? pane->series[i].label : "",
                                      buf);
            }

          if (pane->readout != NULL)
            g_string_assign (text, pane->readout);
          pango_layout_set_text (layout, text->str, -1);
          pango_layout_get_pixel_size (layout, &w, &h);
          if (text->len > 0)
            {
              const BtChartColor *box = style->surface.alpha > 0 ? &style->surface
                                        : style->background.alpha > 0 ? &style->background
                                        : &style->foreground;
              double bx = cx + 8 * s, by = plot.y + 4 * s;
              double r = 4 * s, bw = w + 8 * s, bh = h + 4 * s;

              if (bx + w + 8 * s > plot.x + plot.width)
                bx = MAX (plot.x, cx - 8 * s - w - 8 * s);

              /* an opaque rounded box with a hairline, readable over the curves */
              cairo_new_sub_path (cr);
              cairo_arc (cr, bx + bw - r, by + r, r, -G_PI / 2, 0);
              cairo_arc (cr, bx + bw - r, by + bh - r, r, 0, G_PI / 2);
              cairo_arc (cr, bx + r, by + bh - r, r, G_PI / 2, G_PI);
              cairo_arc (cr, bx + r, by + r, r, G_PI, 3 * G_PI / 2);
              cairo_close_path (cr);
              set_color (cr, box, box == &style->foreground ? 0.08 : 0.96);
              cairo_fill_preserve (cr);
              set_color (cr, &style->dim, 0.35);
              cairo_set_line_width (cr, 1);
              cairo_stroke (cr);
              set_color (cr, &style->foreground, 1);
              cairo_move_to (cr, bx + 4 * s, by + 2 * s);
              pango_cairo_show_layout (cr, layout);
            }
          g_string_free (text, TRUE);
        }
    }

  g_object_unref (layout);
  cairo_restore (cr);
}

BtChartColor
bt_chart_score_color (const BtChartStyle *style,
                      double              value)
{
  if (isnan (value))
    return style->dim;
  if (value < 40)
    return style->bad;
  if (value < 60)
    return style->warning;
  return style->good;
}

void
bt_chart_render_gauge (cairo_t                 *cr,
                       const BtChartStyle      *style,
                       double                   value,
                       const char              *caption,
                       const cairo_rectangle_t *area)
{
  double s = style->scale > 0 ? style->scale : 1;
  double thickness, radius, cx, cy;
  static const double marks[] = { 40, 60 };
  PangoLayout *big, *small;
  char buf[32];

  g_return_if_fail (cr != NULL && style != NULL);

  if (!(area->width > 0 && area->height > 0))
    return;

  /* the dial is a half circle; the number sits in it, the caption below */
  radius = MIN (area->width / 2, (area->height - 24 * s) * 0.95) - 4 * s;
  if (radius < 8)
    return;
  thickness = radius * 0.16;
  cx = area->x + area->width / 2;
  cy = area->y + 4 * s + radius;

  cairo_save (cr);
  cairo_new_path (cr);   /* an arc would join a current point left by the caller */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_line_width (cr, thickness);

  set_color (cr, &style->dim, 0.18);
  cairo_arc (cr, cx, cy, radius - thickness / 2, G_PI, 2 * G_PI);
  cairo_stroke (cr);

  if (!isnan (value))
    {
      double v = CLAMP (value, 0, 100);
      BtChartColor color = bt_chart_score_color (style, v);

      set_color (cr, &color, 1);
      cairo_new_path (cr);
      cairo_arc (cr, cx, cy, radius - thickness / 2, G_PI, G_PI + G_PI * v / 100);
      cairo_stroke (cr);
    }

  /* marks at the band limits */
  cairo_set_line_width (cr, MAX (1, 1.5 * s));
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      double a = G_PI + G_PI * marks[i] / 100;

      set_color (cr, &style->foreground, 0.45);
      cairo_move_to (cr, cx + cos (a) * (radius - thickness - 3 * s), cy + sin (a) * (radius - thickness - 3 * s));
      cairo_line_to (cr, cx + cos (a) * (radius + 2 * s), cy + sin (a) * (radius + 2 * s));
      cairo_stroke (cr);
    }

  big = make_layout (cr, style, MAX (1.0, radius / (20 * s)), TRUE);
  small = make_layout (cr, style, 1.1, FALSE);

  if (isnan (value))
    g_strlcpy (buf, "—", sizeof buf);
  else
    g_snprintf (buf, sizeof buf, "%.0f", CLAMP (value, 0, 100));
  set_color (cr, &style->foreground, 1);
  draw_text (cr, big, buf, cx, cy, 0.5, 0.85);

  set_color (cr, &style->dim, 1);
  draw_text (cr, small, "0", cx - radius + thickness / 2, cy + 3 * s, 0.5, 0);
  draw_text (cr, small, "100", cx + radius - thickness / 2, cy + 3 * s, 0.5, 0);
  if (caption != NULL)
    {
      set_color (cr, &style->foreground, 0.8);
      draw_text (cr, small, caption, cx, cy + 4 * s, 0.5, 0);
    }

  g_object_unref (big);
  g_object_unref (small);
  cairo_restore (cr);
}

static BtChartColor
rgb (guint32 hex,
     double  alpha)
{
  BtChartColor c = { ((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0,
                     (hex & 0xff) / 255.0, alpha };
  return c;
}

void
bt_chart_style_init_default (BtChartStyle *style)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  style->foreground = rgb (0x000000, 0.8);
  style->dim = rgb (0x5e5c64, 1);
  style->background = rgb (0xffffff, 1);
  style->accent = rgb (0x3584e4, 1);
  style->good = rgb (0x26a269, 1);
  style->warning = rgb (0xe5a50a, 1);
  style->bad = rgb (0xe01b24, 1);
  style->surface = rgb (0xffffff, 1);
  style->font = "Sans 9";
  style->scale = 1;
}

gboolean
bt_chart_write_report_pdf (const char         *path,
                           const char         *title,
                           double              market,
                           const char         *gauge_caption,
                           const BtChartPane  *pane,
                           const char         *text,
                           GError            **error)
{
  /* A4 in points, 40 pt margins */
  const double page_w = 595.276, page_h = 841.89, margin = 40;
  g_autoptr(BtChartWorkspace) workspace = bt_chart_workspace_new ();
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  PangoLayout *layout;
  BtChartStyle style;
  double y = margin;
  int w, h;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (title != NULL, FALSE);

  bt_chart_style_init_default (&style);
  surface = cairo_pdf_surface_create (path, page_w, page_h);
  cr = cairo_create (surface);

  layout = make_layout (cr, &style, 1.8, TRUE);
  pango_layout_set_width (layout, (int) ((page_w - 2 * margin) * PANGO_SCALE));
  pango_layout_set_text (layout, title, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  set_color (cr, &style.foreground, 1);
  cairo_move_to (cr, margin, y);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
  y += h + 12;

  bt_chart_render_gauge (cr, &style, market, NULL, &(cairo_rectangle_t) { margin, y, 200, 130 });
  if (gauge_caption != NULL)
    {
      layout = make_layout (cr, &style, 1.1, FALSE);
      set_color (cr, &style.dim, 1);
      draw_text (cr, layout, gauge_caption, margin + 100, y + 138, 0.5, 0);
      g_object_unref (layout);
    }
  if (pane != NULL)
    bt_chart_render_pane (cr, workspace, pane, &style,
                          &(cairo_rectangle_t) { margin + 220, y, page_w - 2 * margin - 220, 160 });
  y += 175;

  if (text != NULL)
    {
      BtChartStyle mono = style;

      /* the report's text is laid out in columns */
      mono.font = "Monospace 8";
      layout = make_layout (cr, &mono, 1.0, FALSE);
      pango_layout_set_width (layout, (int) ((page_w - 2 * margin) * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_text (layout, text, -1);
      set_color (cr, &style.foreground, 1);
      cairo_move_to (cr, margin, y);
      pango_cairo_show_layout (cr, layout);
      g_object_unref (layout);
    }

  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
