/* test-chart.c: the GTK-free chart renderer of BTC Turbo (bt-chart.h). */
#define G_LOG_DOMAIN "bt-test"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>

#include "bt-base.h"
#include "bt-chart.h"
#include "bt-chart-private.h"

static void
test_scale_linear (void)
{
  BtChartScale scale = { 10, 20, FALSE };

  /* (15 − 10) / (20 − 10) = 0.5 */
  g_assert_cmpfloat_with_epsilon (bt_chart_scale_map (&scale, 15), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (bt_chart_scale_map (&scale, 10), 0.0, 1e-12);
  /* (25 − 10) / 10 = 1.5: outside the range goes past 1 */
  g_assert_cmpfloat_with_epsilon (bt_chart_scale_map (&scale, 25), 1.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (bt_chart_scale_unmap (&scale, 0.25), 12.5, 1e-12);
  g_assert_true (isnan (bt_chart_scale_map (&scale, NAN)));

  scale.max = scale.min;
  g_assert_true (isnan (bt_chart_scale_map (&scale, 10)));
}

static void
test_scale_log (void)
{
  BtChartScale scale = { 1, 100, TRUE };

  /* log10(10) = 1 is half-way between log10(1) = 0 and log10(100) = 2 */
  g_assert_cmpfloat_with_epsilon (bt_chart_scale_map (&scale, 10), 0.5, 1e-12);
  /* log10(1000) / 2 = 1.5 */
  g_assert_cmpfloat_with_epsilon (bt_chart_scale_map (&scale, 1000), 1.5, 1e-12);
  g_assert_true (isnan (bt_chart_scale_map (&scale, 0)));
  g_assert_true (isnan (bt_chart_scale_map (&scale, -5)));
  /* 10^(0.25 × 2) = √10 */
  g_assert_cmpfloat_with_epsilon (bt_chart_scale_unmap (&scale, 0.25), sqrt (10), 1e-9);

  /* a whole BTC history: 0.05 → 100 000 USD, 10 000 is log10(10^4 / 0.05) / log10(2·10^6) */
  scale.min = 0.05;
  scale.max = 100000;
  g_assert_cmpfloat_with_epsilon (bt_chart_scale_map (&scale, 10000),
                                  log10 (200000.0) / log10 (2000000.0), 1e-12);
}

static void
assert_ticks (const double *got,
              guint         n_got,
              const double *want,
              guint         n_want)
{
  g_assert_cmpuint (n_got, ==, n_want);
  for (guint i = 0; i < n_want; i++)
    g_assert_cmpfloat_with_epsilon (got[i], want[i], fabs (want[i]) * 1e-12 + 1e-12);
}

static void
test_nice_ticks (void)
{
  double t[32];

  {
    /* range 100 in at most 6: step 10 gives 11, step 20 gives 0, 20 … 100 */
    const double want[] = { 0, 20, 40, 60, 80, 100 };
    assert_ticks (t, bt_chart_nice_ticks (0, 100, 6, t, 32), want, G_N_ELEMENTS (want));
  }
  {
    /* 0.3 … 9.7 in at most 5: step 1 gives 9 (1…9), step 2 gives 2, 4, 6, 8 */
    const double want[] = { 2, 4, 6, 8 };
    assert_ticks (t, bt_chart_nice_ticks (0.3, 9.7, 5, t, 32), want, G_N_ELEMENTS (want));
  }
  {
    /* −1 … 1 in at most 5: step 0.5 → −1, −0.5, 0, 0.5, 1 (0 exactly, not −1e-17) */
    const double want[] = { -1, -0.5, 0, 0.5, 1 };
    assert_ticks (t, bt_chart_nice_ticks (-1, 1, 5, t, 32), want, G_N_ELEMENTS (want));
    g_assert_false (signbit (t[2]));
  }
  {
    /* 30 000 … 45 000 in at most 5: step 5 000 → 30 000, 35 000, 40 000, 45 000 */
    const double want[] = { 30000, 35000, 40000, 45000 };
    assert_ticks (t, bt_chart_nice_ticks (30000, 45000, 5, t, 32), want, G_N_ELEMENTS (want));
  }

  g_assert_cmpuint (bt_chart_nice_ticks (5, 5, 4, t, 32), ==, 1);
  g_assert_cmpuint (bt_chart_nice_ticks (NAN, 5, 4, t, 32), ==, 0);
  g_assert_cmpuint (bt_chart_nice_ticks (6, 5, 4, t, 32), ==, 0);
}

static void
test_log_ticks (void)
{
  double t[32];

  {
    /* 1-2-5 per decade between 1 000 and 70 000 */
    const double want[] = { 1000, 2000, 5000, 10000, 20000, 50000 };
    assert_ticks (t, bt_chart_log_ticks (1000, 70000, 8, t, 32), want, G_N_ELEMENTS (want));
  }
  {
    /* 0.05 … 100 000: 1-2-5 gives 19, powers 0.1 … 100 000 give 7 > 6, so
     * every second power: 10^0, 10^2, 10^4 */
    const double want[] = { 1, 100, 10000 };
    assert_ticks (t, bt_chart_log_ticks (0.05, 100000, 6, t, 32), want, G_N_ELEMENTS (want));
  }
  {
    /* 0.05 … 100 000 with room for 8: all 7 powers of ten from 0.1 */
    const double want[] = { 0.1, 1, 10, 100, 1000, 10000, 100000 };
    assert_ticks (t, bt_chart_log_ticks (0.05, 100000, 8, t, 32), want, G_N_ELEMENTS (want));
  }
  {
    /* inside one 1-2-5 gap: linear nice ticks */
    const double want[] = { 30000, 35000, 40000, 45000 };
    assert_ticks (t, bt_chart_log_ticks (30000, 45000, 5, t, 32), want, G_N_ELEMENTS (want));
  }
  g_assert_cmpuint (bt_chart_log_ticks (0, 10, 5, t, 32), ==, 0);
}

static void
test_date_ticks (void)
{
  BtDay t[32];
  BtChartDateUnit unit;
  guint n;

  /* 2024-01-01 is unix day 19723 (1 704 067 200 s / 86 400) and a Monday */
  g_assert_cmpint (bt_day_from_ymd (2024, 1, 1), ==, 19723);

  /* a year in at most 6: monthly gives 12, quarterly gives Jan, Apr, Jul, Oct */
  n = bt_chart_date_ticks (bt_day_from_ymd (2024, 1, 1), bt_day_from_ymd (2024, 12, 31), 6,
                           t, 32, &unit);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (unit, ==, BT_CHART_DATE_MONTHS);
  g_assert_cmpint (t[0], ==, 19723);                      /* 2024-01-01 */
  g_assert_cmpint (t[1], ==, 19723 + 31 + 29 + 31);       /* 2024-04-01 */
  g_assert_cmpint (t[2], ==, 19723 + 31 + 29 + 31 + 30 + 31 + 30); /* 2024-07-01 */
  g_assert_cmpint (t[3], ==, bt_day_from_ymd (2024, 10, 1));

  /* 60 days in at most 10: daily 60, every 2 days 30, Mondays: Jan 1, 8, 15,
   * 22, 29, Feb 5, 12, 19, 26 = 9 */
  n = bt_chart_date_ticks (19723, 19723 + 59, 10, t, 32, &unit);
  g_assert_cmpuint (n, ==, 9);
  g_assert_cmpint (unit, ==, BT_CHART_DATE_DAYS);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (t[i], ==, 19723 + 7 * (int) i);

  /* the whole history, 2009-01-03 … 2026-11-23, in at most 8: yearly 17,
   * every 2 years 9 (2010 … 2026), every 5 years 2010, 2015, 2020, 2025 */
  n = bt_chart_date_ticks (bt_day_from_ymd (2009, 1, 3), bt_day_from_ymd (2026, 11, 23), 8,
                           t, 32, &unit);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (unit, ==, BT_CHART_DATE_YEARS);
  g_assert_cmpint (t[0], ==, bt_day_from_ymd (2010, 1, 1));
  g_assert_cmpint (t[3], ==, bt_day_from_ymd (2025, 1, 1));

  /* four days in at most 10: every day */
  n = bt_chart_date_ticks (100, 103, 10, t, 32, &unit);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (t[0], ==, 100);
  g_assert_cmpint (t[3], ==, 103);

  g_assert_cmpuint (bt_chart_date_ticks (10, 5, 10, t, 32, NULL), ==, 0);
}

static void
test_visible_range (void)
{
  const double v[] = { 5, NAN, 1, 9, 3 };
  double lo = -1, hi = -1;

  /* [0.5, 3.2] holds slots 1, 2, 3: NAN, 1, 9 */
  g_assert_true (bt_chart_visible_range (v, G_N_ELEMENTS (v), 0.5, 3.2, &lo, &hi));
  g_assert_cmpfloat (lo, ==, 1);
  g_assert_cmpfloat (hi, ==, 9);

  /* [1.2, 1.8] holds no slot; [1, 1] holds only the NAN */
  g_assert_false (bt_chart_visible_range (v, G_N_ELEMENTS (v), 1.2, 1.8, &lo, &hi));
  g_assert_false (bt_chart_visible_range (v, G_N_ELEMENTS (v), 1, 1, &lo, &hi));
  /* a view past the end is clipped to the data: slot 4 only */
  g_assert_true (bt_chart_visible_range (v, G_N_ELEMENTS (v), 3.5, 40, &lo, &hi));
  g_assert_cmpfloat (lo, ==, 3);
  g_assert_cmpfloat (hi, ==, 3);
}

static void
test_decimate_hand (void)
{
  double v[10], cmin[3], cmax[3];
  guint filled;

  for (guint i = 0; i < 10; i++)
    v[i] = i;
  /* view [0, 9] in 3 columns: slot i at i × 3/9, so {0,1,2} {3,4,5} {6,7,8}
   * and slot 9 (at 3.0, the right edge) joins the last column */
  filled = bt_chart_decimate (v, 10, 0, 9, 3, cmin, cmax);
  g_assert_cmpuint (filled, ==, 3);
  g_assert_cmpfloat (cmin[0], ==, 0); g_assert_cmpfloat (cmax[0], ==, 2);
  g_assert_cmpfloat (cmin[1], ==, 3); g_assert_cmpfloat (cmax[1], ==, 5);
  g_assert_cmpfloat (cmin[2], ==, 6); g_assert_cmpfloat (cmax[2], ==, 9);

  /* a gap: slots 3, 4, 5 missing leave the middle column empty (NAN) */
  v[3] = v[4] = v[5] = NAN;
  filled = bt_chart_decimate (v, 10, 0, 9, 3, cmin, cmax);
  g_assert_cmpuint (filled, ==, 2);
  g_assert_true (isnan (cmin[1]) && isnan (cmax[1]));
}

static void
test_decimate_reference (void)
{
  const guint n = 10007;
  g_autofree double *v = g_new (double, n);
  double cmin[256], cmax[256];
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < n; i++)
    v[i] = g_rand_int_range (rand, 0, 20) == 0 ? NAN : g_rand_double_range (rand, -1000, 1000);

  /* view [100, 1124] in 256 columns: exactly 4 slots a column, so the
   * reference assigns slot i to column (i − 100) / 4 with integer division */
  bt_chart_decimate (v, n, 100, 1124, 256, cmin, cmax);
  for (guint c = 0; c < 256; c++)
    {
      double lo = NAN, hi = NAN;

      for (guint i = 100; i <= 1124; i++)
        {
          guint col = MIN ((i - 100) / 4, 255);

          if (col != c || isnan (v[i]))
            continue;
          lo = isnan (lo) || v[i] < lo ? v[i] : lo;
          hi = isnan (hi) || v[i] > hi ? v[i] : hi;
        }
      if (isnan (lo))
        g_assert_true (isnan (cmin[c]));
      else
        {
          g_assert_cmpfloat (cmin[c], ==, lo);
          g_assert_cmpfloat (cmax[c], ==, hi);
        }
    }

  /* any view: the columns together hold the visible range, min <= max */
  for (guint trial = 0; trial < 50; trial++)
    {
      double a = g_rand_double_range (rand, -50, n);
      double b = a + g_rand_double_range (rand, 0.5, n);
      guint nc = (guint) g_rand_int_range (rand, 1, 257);
      double lo = INFINITY, hi = -INFINITY, vlo, vhi;
      gboolean any = FALSE;

      bt_chart_decimate (v, n, a, b, nc, cmin, cmax);
      for (guint c = 0; c < nc; c++)
        if (!isnan (cmin[c]))
          {
            g_assert_cmpfloat (cmin[c], <=, cmax[c]);
            lo = MIN (lo, cmin[c]);
            hi = MAX (hi, cmax[c]);
            any = TRUE;
          }
      g_assert_cmpint (any, ==, bt_chart_visible_range (v, n, a, b, &vlo, &vhi));
      if (any)
        {
          g_assert_cmpfloat (lo, ==, vlo);
          g_assert_cmpfloat (hi, ==, vhi);
        }
    }
}

static void
test_view_clamp_zoom (void)
{
  double a, b;

  /* 101 slots (0 … 100): a 30-slot view at 90 is shifted back to 70 … 100 */
  a = 90; b = 120;
  bt_chart_clamp_view (101, 5, &a, &b);
  g_assert_cmpfloat (a, ==, 70);
  g_assert_cmpfloat (b, ==, 100);

  /* panning before the start stops at 0 with the span kept */
  a = -12; b = 8;
  bt_chart_clamp_view (101, 5, &a, &b);
  g_assert_cmpfloat (a, ==, 0);
  g_assert_cmpfloat (b, ==, 20);

  /* zooming in ×0.5 around the middle of 0 … 100: 25 … 75 */
  a = 0; b = 100;
  bt_chart_zoom_view (101, 5, 50, 0.5, &a, &b);
  g_assert_cmpfloat (a, ==, 25);
  g_assert_cmpfloat (b, ==, 75);

  /* around slot 25 (a quarter in) of 25 … 75, ×0.5: the anchor stays a quarter in:
   * 25 − 0 × 25 = 25 … 50 */
  bt_chart_zoom_view (101, 5, 25, 0.5, &a, &b);
  g_assert_cmpfloat (a, ==, 25);
  g_assert_cmpfloat (b, ==, 50);

  /* zooming in never goes below the minimum span, zooming out stops at everything */
  bt_chart_zoom_view (101, 5, 30, 0.001, &a, &b);
  g_assert_cmpfloat_with_epsilon (b - a, 5, 1e-9);
  bt_chart_zoom_view (101, 5, 30, 1000, &a, &b);
  g_assert_cmpfloat (a, ==, 0);
  g_assert_cmpfloat (b, ==, 100);
}

/* The colour of pixel (X, Y) of an ARGB32 surface as 0xRRGGBB. */
static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(const guint32 *) (data + y * stride + x * 4) & 0xffffff;
}

/* PANE showing SERIES alone (N days from FIRST_DAY, all of them), with
 * the fitted range and no cursor. */
static void
pane_of_series (BtChartPane         *pane,
                const BtChartSeries *series,
                BtDay                first_day,
                guint                n,
                gboolean             log_scale)
{
  *pane = (BtChartPane) { 0 };
  pane->first_day = first_day;
  pane->n = n;
  pane->series = series;
  pane->n_series = 1;
  pane->log_scale = log_scale;
  pane->y_min = pane->y_max = pane->cursor = NAN;
  pane->view_end = n - 1;
}

static void
test_render_pane (void)
{
  const guint n = 1000;
  g_autofree double *values = g_new (double, n);
  g_autoptr(BtChartWorkspace) ws = bt_chart_workspace_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 200);
  cairo_t *cr = cairo_create (surface);
  BtChartStyle style;
  BtChartSeries series = { "Price", NULL, { 1, 0, 0, 1 }, 3, FALSE };
  BtChartPane pane = { 0 };
  cairo_rectangle_t plot;

  for (guint i = 0; i < n; i++)
    values[i] = 100;
  series.values = values;
  bt_chart_style_init_default (&style);
  pane_of_series (&pane, &series, bt_day_from_ymd (2020, 1, 1), n, FALSE);
  pane.y_min = 0;
  pane.y_max = 200;
  pane.show_dates = TRUE;

  bt_chart_render_pane (cr, ws, &pane, &style, &(cairo_rectangle_t) { 0, 0, 400, 200 });
  cairo_surface_flush (surface);
  bt_chart_pane_plot_area (&pane, &style, 400, 200, &plot);

  /* 100 on a fixed 0 … 200 axis is half-way up the plot: the red line is
   * there, and white background a quarter of the plot above it */
  g_assert_cmphex (pixel_at (surface, (int) (plot.x + plot.width / 2), (int) (plot.y + plot.height / 2)), ==, 0xff0000);
  g_assert_cmphex (pixel_at (surface, (int) (plot.x + plot.width / 2), (int) (plot.y + plot.height / 4)), !=, 0xff0000);

  /* the empty state draws no series */
  pane.n = 0;
  bt_chart_render_pane (cr, ws, &pane, &style, &(cairo_rectangle_t) { 0, 0, 400, 200 });
  cairo_surface_flush (surface);
  g_assert_cmphex (pixel_at (surface, (int) (plot.x + plot.width / 2), (int) (plot.y + plot.height / 2)), !=, 0xff0000);

  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* "$" and the whole dollars grouped by threes, as the window's labels. */
static void
format_dollars (double   value,
                char    *buf,
                gsize    size,
                gpointer user_data)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", fabs (value));
  GString *text = g_string_new ("$");
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (text, ',');
      g_string_append_c (text, digits[i]);
    }
  g_strlcpy (buf, text->str, size);
  g_string_free (text, TRUE);
}

/* Ink (anything but the white background) in the last COLUMNS columns of
 * a render of PANE, 400 × 200. */
static guint
ink_at_right_edge (BtChartWorkspace   *ws,
                   const BtChartPane  *pane,
                   const BtChartStyle *style,
                   int                 columns)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 200);
  cairo_t *cr = cairo_create (surface);
  guint ink = 0;

  bt_chart_render_pane (cr, ws, pane, style, &(cairo_rectangle_t) { 0, 0, 400, 200 });
  cairo_surface_flush (surface);
  for (int x = 400 - columns; x < 400; x++)
    for (int y = 0; y < 200; y++)
      ink += pixel_at (surface, x, y) != 0xffffff;
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return ink;
}

static void
test_value_gutter (void)
{
  g_autoptr(BtChartWorkspace) ws = bt_chart_workspace_new ();
  double values[400];
  BtChartStyle style;
  BtChartSeries series = { "Equity", NULL, { 1, 0, 0, 1 }, 1.5, FALSE };
  BtChartPane pane = { 0 };

  bt_chart_style_init_default (&style);
  series.values = values;
  pane_of_series (&pane, &series, bt_day_from_ymd (2013, 1, 1), G_N_ELEMENTS (values), TRUE);
  pane.format_value = format_dollars;

  /* hundreds of dollars: the default room */
  for (guint i = 0; i < pane.n; i++)
    values[i] = 100 + i;
  g_assert_cmpfloat (bt_chart_pane_value_gutter (&pane, &style), ==, 80);

  /* $10,000 to $3 billion (a buy-and-hold equity): with the default room
   * "$1,000,000,000" runs into the right edge; with the room measured it
   * ends inside, and the plot is narrower by the difference */
  for (guint i = 0; i < pane.n; i++)
    values[i] = 1e4 * pow (3e5, i / (pane.n - 1.0));
  g_assert_cmpuint (ink_at_right_edge (ws, &pane, &style, 3), >, 0);
  pane.value_gutter = bt_chart_pane_value_gutter (&pane, &style);
  g_test_message ("gutter %.0f", pane.value_gutter);
  g_assert_cmpfloat (pane.value_gutter, >, 80);
  g_assert_cmpuint (ink_at_right_edge (ws, &pane, &style, 3), ==, 0);
  {
    cairo_rectangle_t plot;

    bt_chart_pane_plot_area (&pane, &style, 400, 200, &plot);
    g_assert_cmpfloat_with_epsilon (plot.x + plot.width, 400 - pane.value_gutter, 1e-9);
  }
}

static void
test_render_gauge (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 140);
  cairo_t *cr = cairo_create (surface);
  BtChartStyle style;
  BtChartColor good;

  bt_chart_style_init_default (&style);
  style.good = (BtChartColor) { 0, 1, 0, 1 };
  good = bt_chart_score_color (&style, 80);
  g_assert_cmpfloat (good.green, ==, 1);
  g_assert_cmpfloat (bt_chart_score_color (&style, 39.9).red, ==, style.bad.red);
  g_assert_cmpfloat (bt_chart_score_color (&style, 40).red, ==, style.warning.red);

  /* a full score fills the dial up to its right end with the good colour */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  bt_chart_render_gauge (cr, &style, 100, "Market", &(cairo_rectangle_t) { 0, 0, 200, 140 });
  bt_chart_render_gauge (cr, &style, NAN, NULL, &(cairo_rectangle_t) { 0, 0, 10, 10 });   /* too small: nothing */
  cairo_surface_flush (surface);
  {
    /* radius = min(100, (140 − 24) × 0.95) − 4 = 96.2; the arc's mid-line
     * is radius × 0.92 from the centre (100, 4 + radius), just above it */
    double radius = MIN (100, (140 - 24) * 0.95) - 4;
    int x = (int) (100 + radius * 0.92);
    int y = (int) (4 + radius) - 2;

    g_assert_cmphex (pixel_at (surface, x, y), ==, 0x00ff00);
  }
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_report_pdf (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bt-chart-pdf-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "report.pdf", NULL);
  g_autofree char *contents = NULL;
  double values[30];
  BtChartSeries series = { "BTC", values, { 0, 0, 1, 1 }, 1.5, FALSE };
  BtChartPane pane = { 0 };
  gsize len = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    values[i] = 60000 + 100 * i;
  pane_of_series (&pane, &series, bt_day_from_ymd (2024, 3, 1), G_N_ELEMENTS (values), TRUE);
  pane.show_dates = TRUE;

  g_assert_true (bt_chart_write_report_pdf (path, "Daily report", 61.2, "Market score", &pane,
                                            "BTC 62,900\nDecision: HOLD", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  /* a PDF file starts with its version header and ends with %%EOF */
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_nonnull (g_strstr_len (contents + len - MIN (len, 64), MIN (len, 64), "%%EOF"));

  /* an unwritable place is an error, not a warning */
  g_assert_false (bt_chart_write_report_pdf (bad, "x", NAN, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);

  g_remove (path);
  g_rmdir (dir);
}

/* Date labels: unpadded in English (the C locale), day/month in Brazilian
 * Portuguese when the locale and the built catalogue are there. */
static void
test_date_labels (void)
{
  BtDay march5 = bt_day_from_ymd (2024, 3, 5);
  g_autofree char *po_dir = g_test_build_filename (G_TEST_BUILT, "..", "..", "po", NULL);
  g_autofree char *mo = g_build_filename (po_dir, "pt_BR", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  char *text;

  text = bt_chart_dup_tick_label (march5, BT_CHART_DATE_DAYS);
  g_assert_cmpstr (text, ==, "5 Mar");   /* no figure space before the 5 */
  g_free (text);
  text = bt_chart_dup_tick_label (march5, BT_CHART_DATE_MONTHS);
  g_assert_cmpstr (text, ==, "Mar");
  g_free (text);
  /* January stands for its year */
  text = bt_chart_dup_tick_label (bt_day_from_ymd (2024, 1, 1), BT_CHART_DATE_MONTHS);
  g_assert_cmpstr (text, ==, "2024");
  g_free (text);
  text = bt_chart_dup_full_date (march5);
  g_assert_cmpstr (text, ==, "5 Mar 2024");
  g_free (text);

  if (!g_file_test (mo, G_FILE_TEST_EXISTS) || setlocale (LC_ALL, "pt_BR.UTF-8") == NULL)
    {
      g_test_message ("no pt_BR.UTF-8 locale or catalogue: Brazilian dates not checked");
      return;
    }
  g_setenv ("LANGUAGE", "pt_BR", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, po_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  text = bt_chart_dup_tick_label (march5, BT_CHART_DATE_DAYS);
  g_assert_cmpstr (text, ==, "05/03");
  g_free (text);
  text = bt_chart_dup_full_date (march5);
  g_assert_cmpstr (text, ==, "05/03/2024");
  g_free (text);
  text = bt_chart_dup_tick_label (march5, BT_CHART_DATE_MONTHS);
  g_assert_cmpstr (text, ==, "mar");
  g_free (text);
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, saved);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/chart/scale-linear", test_scale_linear);
  g_test_add_func ("/core/chart/scale-log", test_scale_log);
  g_test_add_func ("/core/chart/nice-ticks", test_nice_ticks);
  g_test_add_func ("/core/chart/log-ticks", test_log_ticks);
  g_test_add_func ("/core/chart/date-ticks", test_date_ticks);
  g_test_add_func ("/core/chart/date-labels", test_date_labels);
  g_test_add_func ("/core/chart/visible-range", test_visible_range);
  g_test_add_func ("/core/chart/decimate-hand", test_decimate_hand);
  g_test_add_func ("/core/chart/decimate-reference", test_decimate_reference);
  g_test_add_func ("/core/chart/view", test_view_clamp_zoom);
  g_test_add_func ("/core/chart/render-pane", test_render_pane);
  g_test_add_func ("/core/chart/value-gutter", test_value_gutter);
  g_test_add_func ("/core/chart/render-gauge", test_render_gauge);
  g_test_add_func ("/core/chart/report-pdf", test_report_pdf);

  return g_test_run ();
}
