/* bt-report-pdf.c: the daily report as an A4 PDF: a title, the old data
 * warning in a box, the market score gauge and the last year of the price
 * chart drawn by the same Cairo renderer as the window's charts, then each
 * section of the report as a heading over a table of labels and values. */
#define G_LOG_DOMAIN "bt-core"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "bt-base.h"
#include "bt-chart.h"
#include "bt-report.h"

/* A4 in points */
#define PAGE_W  595.276
#define PAGE_H  841.89
#define MARGIN  48.0
#define LABEL_W 170.0

typedef struct
{
  cairo_t      *cr;
  BtChartStyle  style;
  double        y;
  gboolean      one_page;   /* an image: what does not fit is left out */
  gboolean      full;
} Page;

static PangoLayout *
text_layout (Page       *page,
             const char *text,
             double      size,
             gboolean    bold,
             double      width)
{
  PangoLayout *layout = pango_cairo_create_layout (page->cr);
  PangoFontDescription *desc = pango_font_description_from_string ("Sans");

  pango_font_description_set_size (desc, (int) (size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
set_color (cairo_t            *cr,
           const BtChartColor *c)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha);
}

/* A new page when HEIGHT points do not fit below the current line. */
static void
need (Page   *page,
      double  height)
{
  if (page->y + height <= PAGE_H - MARGIN)
    return;
  if (page->one_page)
    {
      page->full = TRUE;
      return;
    }
  cairo_show_page (page->cr);
  page->y = MARGIN;
}

/* Draw TEXT at X on the current line; its height in points. */
static double
show (Page               *page,
      const char         *text,
      double              x,
      double              size,
      gboolean            bold,
      double              width,
      const BtChartColor *color)
{
  PangoLayout *layout = text_layout (page, text, size, bold, width);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (page->full)
    {
      g_object_unref (layout);
      return h;
    }
  set_color (page->cr, color);
  cairo_move_to (page->cr, x, page->y);
  pango_cairo_show_layout (page->cr, layout);
  g_object_unref (layout);
  return h;
}

static double
measure (Page       *page,
         const char *text,
         double      size,
         gboolean    bold,
         double      width)
{
  PangoLayout *layout = text_layout (page, text, size, bold, width);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  g_object_unref (layout);
  return h;
}

static void
draw_warning (Page       *page,
              const char *text)
{
  double inner = PAGE_W - 2 * MARGIN - 24;
  double h = measure (page, text, 10.5, TRUE, inner) + 20;
  BtChartColor box = page->style.warning;

  box.alpha = 0.18;
  set_color (page->cr, &box);
  cairo_rectangle (page->cr, MARGIN, page->y, PAGE_W - 2 * MARGIN, h);
  cairo_fill (page->cr);
  box.alpha = 1;
  set_color (page->cr, &box);
  cairo_rectangle (page->cr, MARGIN, page->y, 4, h);
  cairo_fill (page->cr);
  page->y += 10;
  show (page, text, MARGIN + 14, 10.5, TRUE, inner, &page->style.foreground);
  page->y += h - 10 + 14;
}

static void
draw_section (Page                  *page,
              const BtReportSection *section)
{
  double width = PAGE_W - 2 * MARGIN;

  need (page, 40);
  page->y += show (page, section->heading, MARGIN, 12, TRUE, width, &page->style.foreground) + 3;
  set_color (page->cr, &page->style.dim);
  cairo_set_line_width (page->cr, 0.5);
  cairo_move_to (page->cr, MARGIN, page->y);
  cairo_line_to (page->cr, PAGE_W - MARGIN, page->y);
  cairo_stroke (page->cr);
  page->y += 6;
  for (guint i = 0; i < section->lines->len; i++)
    {
      BtReportLine *line = g_ptr_array_index (section->lines, i);
      double h;

      if (line->label == NULL)
        {
          h = measure (page, line->value, 9.5, FALSE, width);
          need (page, h);
          show (page, line->value, MARGIN, 9.5, FALSE, width, &page->style.foreground);
        }
      else
        {
          h = MAX (measure (page, line->label, 9.5, FALSE, LABEL_W - 8),
                   measure (page, line->value, 9.5, TRUE, width - LABEL_W));
          need (page, h);
          show (page, line->label, MARGIN, 9.5, FALSE, LABEL_W - 8, &page->style.dim);
          show (page, line->value, MARGIN + LABEL_W, 9.5, TRUE, width - LABEL_W, &page->style.foreground);
        }
      page->y += h + 3;
    }
  page->y += 12;
}

static gboolean
render (BtEngine         *engine,
        BtDay             day,
        cairo_surface_t  *surface,
        double            scale,
        gboolean          one_page,
        GError          **error)
{
  const BtIndicatorTable *table;
  g_autoptr(BtReport) report = NULL;
  g_autoptr(BtChartWorkspace) workspace = NULL;
  BtChartSeries series = { 0 };
  BtChartPane pane = { 0 };
  Page page = { 0 };
  gssize i;

  report = bt_report_new (engine, day, error);
  if (report == NULL)
    return FALSE;
  table = bt_engine_get_table (engine);
  i = bt_history_index (bt_engine_get_history (engine), report->day);
  if (i < 0)
    i = (gssize) table->n_days - 1;

  page.cr = cairo_create (surface);
  cairo_scale (page.cr, scale, scale);
  if (one_page)
    {
      cairo_set_source_rgb (page.cr, 1, 1, 1);
      cairo_paint (page.cr);
    }
  page.one_page = one_page;
  bt_chart_style_init_default (&page.style);
  page.y = MARGIN;

  page.y += show (&page, _("BTC Turbo Daily Report"), MARGIN, 18, TRUE, PAGE_W - 2 * MARGIN,
                  &page.style.foreground) + 2;
  {
    char date[16];
    /* Translators: under the PDF report's title: the market day it describes */
    g_autofree char *subtitle = g_strdup_printf (_("Market day %s"), bt_day_format (report->day, date));

    page.y += show (&page, subtitle, MARGIN, 10, FALSE, PAGE_W - 2 * MARGIN, &page.style.dim) + 14;
  }
  if (report->warning != NULL)
    draw_warning (&page, report->warning);

  /* the gauge and the last year of prices, up to the report's day */
  bt_chart_render_gauge (page.cr, &page.style, report->market, _("Market score"),
                         &(cairo_rectangle_t) { MARGIN, page.y, 190, 130 });
  series.label = _("BTC");
  series.values = table->value[BT_IND_BTC_PRICE];
  series.color = (BtChartColor) { 0.21, 0.52, 0.89, 1 };
  series.line_width = 1.5;
  pane.first_day = table->first_day;
  pane.n = (guint) i + 1;            /* nothing after the report's day */
  pane.series = &series;
  pane.n_series = 1;
  pane.log_scale = TRUE;
  pane.y_min = pane.y_max = pane.cursor = NAN;
  pane.view_end = (double) i;
  pane.view_start = MAX (0.0, pane.view_end - 365);
  pane.show_dates = TRUE;
  pane.show_legend = TRUE;
  pane.value_gutter = bt_chart_pane_value_gutter (&pane, &page.style);
  workspace = bt_chart_workspace_new ();
  bt_chart_render_pane (page.cr, workspace, &pane, &page.style,
                        &(cairo_rectangle_t) { MARGIN + 210, page.y, PAGE_W - 2 * MARGIN - 210, 150 });
  page.y += 170;

  for (guint s = 0; s < report->sections->len; s++)
    draw_section (&page, g_ptr_array_index (report->sections, s));

  if (!one_page)
    cairo_show_page (page.cr);
  cairo_destroy (page.cr);
  return TRUE;
}

static gboolean
check_surface (cairo_surface_t  *surface,
               const char       *path,
               GError          **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

gboolean
bt_report_write_pdf (BtEngine    *engine,
                     BtDay        day,
                     const char  *path,
                     GError     **error)
{
  cairo_surface_t *surface;
  gboolean ok;

  g_return_val_if_fail (BT_IS_ENGINE (engine), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  ok = render (engine, day, surface, 1, FALSE, error);
  cairo_surface_finish (surface);
  ok = ok && check_surface (surface, path, error);
  cairo_surface_destroy (surface);
  return ok;
}

gboolean
bt_report_write_png (BtEngine    *engine,
                     BtDay        day,
                     const char  *path,
                     double       scale,
                     GError     **error)
{
  cairo_surface_t *surface;
  gboolean ok;

  g_return_val_if_fail (BT_IS_ENGINE (engine), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (scale > 0, FALSE);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (PAGE_W * scale),
                                        (int) ceil (PAGE_H * scale));
  ok = render (engine, day, surface, scale, TRUE, error);
  if (ok && cairo_surface_write_to_png (surface, path) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("Could not write %s"), path);
      ok = FALSE;
    }
  cairo_surface_destroy (surface);
  return ok;
}
