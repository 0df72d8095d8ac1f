/* bench-chart.c: time to draw one chart frame of BTC Turbo's price chart
 * with 1 000 000 points (target: under 8 ms), decimated per pixel column. */
#define G_LOG_DOMAIN "bt-bench"

#include <math.h>
#include <stdio.h>

#include "bt-base.h"
#include "bt-chart.h"

static double
frame_ms (BtChartWorkspace *ws,
          BtChartPane      *pane,
          BtChartStyle     *style,
          int               width,
          int               height,
          guint             frames)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  const cairo_rectangle_t area = { 0, 0, width, height };
  gint64 start;

  /* one warm-up frame: fonts and the workspace */
  bt_chart_render_pane (cr, ws, pane, style, &area);
  start = g_get_monotonic_time ();
  for (guint f = 0; f < frames; f++)
    {
      pane->cursor = pane->view_start + (pane->view_end - pane->view_start) * f / frames;
      bt_chart_render_pane (cr, ws, pane, style, &area);
    }
  cairo_surface_flush (surface);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return (g_get_monotonic_time () - start) / 1000.0 / frames;
}

int
main (int   argc,
      char *argv[])
{
  const guint n = 1000000;
  g_autofree double *price = g_new (double, n);
  g_autofree double *ema = g_new (double, n);
  g_autoptr(BtChartWorkspace) ws = bt_chart_workspace_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  BtChartSeries series[2] = {
    { "Price", NULL, { 0.2, 0.5, 0.9, 1 }, 1.5, FALSE },
    { "EMA 144", NULL, { 0.9, 0.6, 0.1, 1 }, 1.5, FALSE },
  };
  BtChartPane pane = { 0 };
  BtChartStyle style;
  double p = 100, e = 100;

  for (guint i = 0; i < n; i++)
    {
      p *= exp (g_rand_double_range (rand, -0.03, 0.0301));
      e += (p - e) * 2.0 / 145;
      price[i] = p;
      ema[i] = e;
    }
  series[0].values = price;
  series[1].values = ema;
  bt_chart_style_init_default (&style);
  pane.first_day = 0;
  pane.n = n;
  pane.series = series;
  pane.n_series = 2;
  pane.log_scale = TRUE;
  pane.y_min = pane.y_max = NAN;
  pane.view_start = 0;
  pane.view_end = n - 1;
  pane.show_dates = TRUE;
  pane.show_legend = TRUE;

  printf ("chart frame, %u points x 2 series, log scale, 1280x400, whole range: %.2f ms\n",
          n, frame_ms (ws, &pane, &style, 1280, 400, 40));
  pane.view_start = n / 2.0;
  pane.view_end = n / 2.0 + 100000;
  printf ("chart frame, %u points x 2 series, 100 000 visible, 1280x400: %.2f ms\n",
          n, frame_ms (ws, &pane, &style, 1280, 400, 40));
  pane.view_start = n - 365;
  pane.view_end = n - 1;
  printf ("chart frame, %u points x 2 series, 365 visible, 1280x400: %.2f ms\n",
          n, frame_ms (ws, &pane, &style, 1280, 400, 40));
  return 0;
}
