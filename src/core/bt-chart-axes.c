/* bt-chart-axes.c: the chart renderer's pure geometry (bt-chart.h): value
 * to pixel mapping, nice, logarithmic and date ticks, the visible range,
 * decimation, and clamping and zooming a view.  No Cairo here; bt-chart.c
 * draws.
 */
#define G_LOG_DOMAIN "bt-core"

#include <math.h>

#include "bt-base.h"
#include "bt-chart.h"
#include "bt-chart-private.h"

/* ---- pure mapping ------------------------------------------------------- */

/* The ends of SCALE where it is linear (their log10 on a log scale), in LO
 * and HI; FALSE when it maps nothing. */
static inline gboolean
scale_ends (const BtChartScale *scale,
            double             *lo,
            double             *hi)
{
  if (!(scale->max > scale->min))
    return FALSE;
  if (!scale->log)
    {
      *lo = scale->min;
      *hi = scale->max;
      return TRUE;
    }
  if (scale->min <= 0)
    return FALSE;
  *lo = log10 (scale->min);
  *hi = log10 (scale->max);
  return TRUE;
}

double
bt_chart_scale_map (const BtChartScale *scale,
                    double              value)
{
  double lo, hi;

  g_return_val_if_fail (scale != NULL, NAN);

  if (isnan (value) || !scale_ends (scale, &lo, &hi))
    return NAN;
  if (scale->log)
    {
      if (value <= 0)
        return NAN;
      value = log10 (value);
    }
  return (value - lo) / (hi - lo);
}

double
bt_chart_scale_unmap (const BtChartScale *scale,
                      double              fraction)
{
  double lo, hi, v;

  g_return_val_if_fail (scale != NULL, NAN);

  if (isnan (fraction) || !scale_ends (scale, &lo, &hi))
    return NAN;
  v = lo + fraction * (hi - lo);
  return scale->log ? pow (10.0, v) : v;
}

guint
bt_chart_nice_ticks (double  min,
                     double  max,
                     guint   max_ticks,
                     double *out,
                     guint   n_out)
{
  static const double steps[] = { 1, 2, 5, 10, 20, 50, 100 };
  double mag, step = 0, first = 0;
  guint n = 0;

  if (!isfinite (min) || !isfinite (max) || max < min || max_ticks == 0 || n_out == 0)
    return 0;
  if (max == min)
    {
      out[0] = min;
      return 1;
    }

  /* the finest 1-2-5 step that gives at most MAX_TICKS round numbers */
  mag = pow (10.0, floor (log10 ((max - min) / max_ticks)));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      double last;

      step = steps[i] * mag;
      first = ceil (min / step - 1e-9);
      last = floor (max / step + 1e-9);
      if (last - first + 1 <= max_ticks)
        break;
    }

  for (guint i = 0; n < max_ticks && n < n_out; i++)
    {
      double v = (first + i) * step;

      if (v > max + step * 1e-9)
        break;
      if (fabs (v) < step * 1e-9)
        v = 0;
      out[n++] = v;
    }
  return n;
}

guint
bt_chart_log_ticks (double  min,
                    double  max,
                    guint   max_ticks,
                    double *out,
                    guint   n_out)
{
  static const double mantissa[] = { 1, 2, 5 };
  int k0, k1;
  guint n125 = 0, npow = 0, every, n = 0;

  if (!isfinite (min) || !isfinite (max) || min <= 0 || max < min || max_ticks == 0 || n_out == 0)
    return 0;

  k0 = (int) floor (log10 (min)) - 1;
  k1 = (int) ceil (log10 (max)) + 1;

  for (int k = k0; k <= k1; k++)
    for (guint m = 0; m < G_N_ELEMENTS (mantissa); m++)
      {
        double v = mantissa[m] * pow (10.0, k);

        if (v >= min * (1 - 1e-12) && v <= max * (1 + 1e-12))
          {
            n125++;
            if (m == 0)
              npow++;
          }
      }

  if (n125 >= 3 && n125 <= max_ticks)
    {
      for (int k = k0; k <= k1; k++)
        for (guint m = 0; m < G_N_ELEMENTS (mantissa) && n < n_out; m++)
          {
            double v = mantissa[m] * pow (10.0, k);

            if (v >= min * (1 - 1e-12) && v <= max * (1 + 1e-12))
              out[n++] = v;
          }
      return n;
    }

  if (npow < 2)
    return bt_chart_nice_ticks (min, max, max_ticks, out, n_out);

  every = (npow + max_ticks - 1) / max_ticks;
  for (int k = k0; k <= k1 && n < n_out; k++)
    {
      double v = pow (10.0, k);

      if (v >= min * (1 - 1e-12) && v <= max * (1 + 1e-12) && (k % (int) every) == 0)
        out[n++] = v;
    }
  return n;
}

typedef struct
{
  BtChartDateUnit unit;
  guint           step;
  double          approx_days;
} DateStep;

static const DateStep date_steps[] = {
  { BT_CHART_DATE_DAYS, 1, 1 },
  { BT_CHART_DATE_DAYS, 2, 2 },
  { BT_CHART_DATE_DAYS, 7, 7 },
  { BT_CHART_DATE_DAYS, 14, 14 },
  { BT_CHART_DATE_MONTHS, 1, 30.44 },
  { BT_CHART_DATE_MONTHS, 3, 91.31 },
  { BT_CHART_DATE_MONTHS, 6, 182.62 },
  { BT_CHART_DATE_YEARS, 1, 365.25 },
  { BT_CHART_DATE_YEARS, 2, 730.5 },
  { BT_CHART_DATE_YEARS, 5, 1826.25 },
  { BT_CHART_DATE_YEARS, 10, 3652.5 },
  { BT_CHART_DATE_YEARS, 20, 7305 },
  { BT_CHART_DATE_YEARS, 50, 18262.5 },
  { BT_CHART_DATE_YEARS, 100, 36525 },
  { BT_CHART_DATE_YEARS, 1000, 365250 },
};

/* Ticks of STEP in [FIRST, LAST] into OUT (when not NULL, at most N_OUT);
 * returns the count, stopping early past LIMIT. */
static guint
generate_date_ticks (const DateStep *step,
                     BtDay           first,
                     BtDay           last,
                     guint           limit,
                     BtDay          *out,
                     guint           n_out)
{
  guint n = 0;
  int y, m, d;

  bt_day_to_ymd (first, &y, &m, &d);

  switch (step->unit)
    {
    case BT_CHART_DATE_DAYS:
      {
        /* 1970-01-05 (unix day 4) was a Monday: weekly ticks fall on Mondays */
        gint64 origin = step->step >= 7 ? 4 : 0;
        gint64 s = step->step;
        gint64 q = ((gint64) first - origin) / s;
        gint64 day;

        if (q * s + origin < first)
          q++;
        for (day = q * s + origin; day <= last && n <= limit; day += s)
          {
            if (out != NULL && n < n_out)
              out[n] = (BtDay) day;
            n++;
          }
      }
      break;

    case BT_CHART_DATE_MONTHS:
    case BT_CHART_DATE_YEARS:
    default:
      {
        /* months since year 0: a step of years is twelve times as many */
        int months = step->unit == BT_CHART_DATE_MONTHS ? (int) step->step : 12 * (int) step->step;
        int idx = y * 12 + (m - 1);

        if (d != 1)
          idx++;
        while (idx % months != 0)
          idx++;
        for (;; idx += months)
          {
            BtDay day = bt_day_from_ymd (idx / 12, idx % 12 + 1, 1);

            if (day > last || n > limit)
              break;
            if (out != NULL && n < n_out)
              out[n] = day;
            n++;
          }
      }
      break;
    }
  return n;
}

guint
bt_chart_date_ticks (BtDay            first,
                     BtDay            last,
                     guint            max_ticks,
                     BtDay           *out,
                     guint            n_out,
                     BtChartDateUnit *unit)
{
  double span;

  if (first == BT_DAY_INVALID || last == BT_DAY_INVALID || last < first || max_ticks == 0)
    return 0;

  span = (double) last - first + 1;
  for (guint i = 0; i < G_N_ELEMENTS (date_steps); i++)
    {
      const DateStep *step = &date_steps[i];
      guint count;

      /* skip steps far too fine without walking the range */
      if (span / step->approx_days > max_ticks * 1.5 + 2)
        continue;
      count = generate_date_ticks (step, first, last, max_ticks, NULL, 0);
      if (count <= max_ticks || i == G_N_ELEMENTS (date_steps) - 1)
        {
          if (unit != NULL)
            *unit = step->unit;
          return generate_date_ticks (step, first, last, max_ticks, out, MIN (n_out, max_ticks));
        }
    }
  return 0;
}

/* The slots [*I0, *I1] of a series of N that fall inside the view; FALSE
 * when none does. */
static gboolean
visible_slots (guint   n,
               double  view_start,
               double  view_end,
               gssize *i0,
               gssize *i1)
{
  double a, b;

  if (n == 0 || isnan (view_start) || isnan (view_end) || view_end < view_start)
    return FALSE;
  a = ceil (view_start);
  b = floor (view_end);
  if (a < 0)
    a = 0;
  if (b > (double) n - 1)
    b = (double) n - 1;
  if (b < a)
    return FALSE;
  *i0 = (gssize) a;
  *i1 = (gssize) b;
  return TRUE;
}

gboolean
bt_chart_visible_range (const double *values,
                        guint         n,
                        double        view_start,
                        double        view_end,
                        double       *min,
                        double       *max)
{
  gssize i0, i1;
  double lo = INFINITY, hi = -INFINITY;

  g_return_val_if_fail (values != NULL || n == 0, FALSE);

  if (!visible_slots (n, view_start, view_end, &i0, &i1))
    return FALSE;
  for (gssize i = i0; i <= i1; i++)
    {
      double v = values[i];

      if (isnan (v))
        continue;
      if (v < lo)
        lo = v;
      if (v > hi)
        hi = v;
    }
  if (lo > hi)
    return FALSE;
  *min = lo;
  *max = hi;
  return TRUE;
}

guint
bt_chart_decimate (const double *values,
                   guint         n,
                   double        view_start,
                   double        view_end,
                   guint         n_columns,
                   double       *col_min,
                   double       *col_max)
{
  gssize i, i1;
  double per_slot;
  guint filled = 0;

  g_return_val_if_fail (values != NULL || n == 0, 0);
  g_return_val_if_fail (n_columns == 0 || (col_min != NULL && col_max != NULL), 0);

  for (guint c = 0; c < n_columns; c++)
    col_min[c] = col_max[c] = NAN;
  if (n_columns == 0 || !visible_slots (n, view_start, view_end, &i, &i1))
    return 0;

  if (!(view_end > view_start))
    {
      /* a zero-width view: everything visible falls in the last column */
      bt_chart_visible_range (values, n, view_start, view_end,
                              &col_min[n_columns - 1], &col_max[n_columns - 1]);
      return isnan (col_min[n_columns - 1]) ? 0 : 1;
    }
  per_slot = n_columns / (view_end - view_start);

  /* Walk the columns; each takes the run of slots i with
   * c <= (i − view_start) × per_slot < c + 1 (the last column also takes
   * what lies at its right edge).  NAN fails both comparisons, so gaps are
   * skipped without a branch of their own. */
  for (guint c = 0; c < n_columns && i <= i1; c++)
    {
      gssize end;
      double lo = INFINITY, hi = -INFINITY;

      if (c == n_columns - 1)
        end = i1 + 1;
      else
        {
          end = (gssize) ceil (view_start + (c + 1) / per_slot);
          while (end > i && (end - 1 - view_start) * per_slot >= c + 1)
            end--;
          while (end <= i1 && (end - view_start) * per_slot < c + 1)
            end++;
          end = MIN (end, i1 + 1);
        }
      for (; i < end; i++)
        {
          double v = values[i];

          if (v < lo)
            lo = v;
          if (v > hi)
            hi = v;
        }
      if (lo <= hi)
        {
          col_min[c] = lo;
          col_max[c] = hi;
          filled++;
        }
    }
  return filled;
}

void
bt_chart_clamp_view (guint   n,
                     double  min_span,
                     double *view_start,
                     double *view_end)
{
  double last = n > 0 ? (double) n - 1 : 0;
  double span;

  g_return_if_fail (view_start != NULL && view_end != NULL);

  span = *view_end - *view_start;
  if (isnan (span) || span < min_span)
    span = min_span;
  if (span >= last)
    {
      *view_start = 0;
      *view_end = MAX (last, min_span);
      return;
    }
  if (isnan (*view_start) || *view_start < 0)
    *view_start = 0;
  if (*view_start + span > last)
    *view_start = last - span;
  *view_end = *view_start + span;
}

void
bt_chart_zoom_view (guint   n,
                    double  min_span,
                    double  anchor,
                    double  factor,
                    double *view_start,
                    double *view_end)
{
  double span, new_span, frac;

  g_return_if_fail (view_start != NULL && view_end != NULL);

  span = *view_end - *view_start;
  if (!(span > 0) || !(factor > 0))
    return;
  new_span = MAX (span * factor, min_span);
  frac = (anchor - *view_start) / span;
  if (isnan (frac))
    frac = 0.5;
  *view_start = anchor - frac * new_span;
  *view_end = *view_start + new_span;
  bt_chart_clamp_view (n, min_span, view_start, view_end);
}
