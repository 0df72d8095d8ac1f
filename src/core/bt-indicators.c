/* bt-indicators.c: the indicator engine of SCORING.md §1.
 *
 * The kernels (SMA, EMA, Wilder RSI, Bollinger Bands) follow TA-Lib's
 * conventions.  Each is written as a "begin" (warm-up and seed) plus a
 * "step" on a small state, so that the fused pass runs exactly the same
 * arithmetic as the separate kernels, only interleaved.
 *
 * bt_indicators_compute() fills a BtIndicatorTable from a dense BtHistory
 * in O(n): daily indicators on the compacted closes, weekly and monthly
 * indicators with a "live" last bar, on-chain and derivatives indicators
 * from their inputs, then one pass per column carrying values over gap
 * days, falling back to imported values and setting the quality flags.
 */
#define G_LOG_DOMAIN "bt-core"

#include <float.h>
#include <math.h>
#include <string.h>

#include "bt-base.h"
#include "bt-indicators.h"
#include "bt-indicators-private.h"

/* SCORING.md §1: RSI(14), Bollinger Bands (20, 2.0), Puell over 365 days,
 * funding over 7 days.  These are definitions, not tunable rules. */
#define RSI_PERIOD       14
#define BB_PERIOD        20
#define BB_K             2.0
#define PUELL_WINDOW     365
#define FUNDING_WINDOW   7

/* Bollinger: accept the rolling (shifted-sums) variance only when its
 * rounding-error bound keeps the standard deviation within this fraction
 * of the middle band; otherwise recompute the window with two passes. */
#define BB_SD_TOLERANCE  1e-13

static void
fill_nan (double *out,
          gsize   n)
{
  for (gsize i = 0; i < n; i++)
    out[i] = NAN;
}

/* ---- SMA ---------------------------------------------------------------- */

void
bt_sma (const double *in,
        gsize         n,
        guint         period,
        double       *out)
{
  double sum = 0.0;
  guint since = 0;

  g_return_if_fail (n == 0 || (in != NULL && out != NULL));

  if (period == 0 || n < period)
    {
      fill_nan (out, n);
      return;
    }

  for (gsize i = 0; i + 1 < period; i++)
    out[i] = NAN;

  for (gsize i = period - 1; i < n; i++)
    {
      if (i == period - 1 || since >= period)
        {
          /* exact sum of the window now and then, so that the rolling
           * sum's rounding errors never accumulate over long series */
          sum = 0.0;
          for (gsize j = i + 1 - period; j <= i; j++)
            sum += in[j];
          since = 0;
        }
      else
        {
          sum += in[i] - in[i - period];
          since++;
        }
      out[i] = sum / period;
    }
}

/* ---- EMA ---------------------------------------------------------------- */

typedef struct
{
  double k;      /* 2 / (N + 1) */
  double k1;     /* 1 − k */
  double prev;
} EmaState;

/* Writes OUT[0 .. N-1] (NAN, then the SMA seed); returns the next index. */
static gsize
ema_begin (EmaState     *st,
           const double *in,
           gsize         n,
           guint         period,
           double       *out)
{
  double sum = 0.0;

  st->k = 2.0 / ((double) period + 1.0);
  st->k1 = 1.0 - st->k;
  st->prev = NAN;
  if (period == 0 || n < period)
    {
      fill_nan (out, n);
      return n;
    }
  for (gsize i = 0; i + 1 < period; i++)
    {
      sum += in[i];
      out[i] = NAN;
    }
  sum += in[period - 1];
  st->prev = sum / period;
  out[period - 1] = st->prev;
  return period;
}

static inline double
ema_step (EmaState *st,
          double    x)
{
  /* prev + k (x − prev), written so the dependency chain is one multiply
   * and one add */
  st->prev = st->prev * st->k1 + st->k * x;
  return st->prev;
}

void
bt_ema (const double *in,
        gsize         n,
        guint         period,
        double       *out)
{
  EmaState st;
  gsize i;

  g_return_if_fail (n == 0 || (in != NULL && out != NULL));

  for (i = ema_begin (&st, in, n, period, out); i < n; i++)
    out[i] = ema_step (&st, in[i]);
}

/* ---- RSI (Wilder) ------------------------------------------------------- */

typedef struct
{
  double a;      /* (N − 1) / N */
  double b;      /* 1 / N */
  double gain;   /* average gain */
  double loss;   /* average loss */
  double prev;   /* previous close */
} RsiState;

static inline double
rsi_value (double gain,
           double loss)
{
  double s = gain + loss;

  return s > 0.0 ? 100.0 * gain / s : 50.0;
}

/* Writes OUT[0 .. N] (NAN, then the first value on the (N+1)-th close). */
static gsize
rsi_begin (RsiState     *st,
           const double *in,
           gsize         n,
           guint         period,
           double       *out)
{
  double gsum = 0.0, lsum = 0.0;

  st->a = ((double) period - 1.0) / (double) period;
  st->b = 1.0 / (double) period;
  st->gain = st->loss = st->prev = NAN;
  if (period == 0 || n <= period)
    {
      fill_nan (out, n);
      return n;
    }
  out[0] = NAN;
  for (gsize i = 1; i <= period; i++)
    {
      double d = in[i] - in[i - 1];

      if (d > 0.0)
        gsum += d;
      else
        lsum -= d;
      if (i < period)
        out[i] = NAN;
    }
  st->gain = gsum / period;
  st->loss = lsum / period;
  st->prev = in[period];
  out[period] = rsi_value (st->gain, st->loss);
  return period + 1;
}

static inline double
rsi_step (RsiState *st,
          double    x)
{
  double d = x - st->prev;

  st->prev = x;
  st->gain = st->gain * st->a + (d > 0.0 ? d : 0.0) * st->b;
  st->loss = st->loss * st->a + (d < 0.0 ? -d : 0.0) * st->b;
  return rsi_value (st->gain, st->loss);
}

void
bt_rsi (const double *in,
        gsize         n,
        guint         period,
        double       *out)
{
  RsiState st;
  gsize i;

  g_return_if_fail (n == 0 || (in != NULL && out != NULL));

  for (i = rsi_begin (&st, in, n, period, out); i < n; i++)
    out[i] = rsi_step (&st, in[i]);
}

/* ---- Bollinger Bands ---------------------------------------------------- *
 *
 * The window's sums are kept relative to an anchor C, the window's mean at
 * the last exact rebuild (S1 = Σ(x − C), S2 = Σ(x − C)²); each step adds the
 * new value and removes the oldest, and every PERIOD steps the window is
 * rebuilt exactly with two passes.  MAG is the sum of the magnitudes of all
 * squared terms that went through S2 since the rebuild: every rounding
 * error of S2 and S1 is below a small multiple of DBL_EPSILON × MAG, so
 * the variance's error is bounded by BB_ERR_FACTOR × DBL_EPSILON × MAG.
 * When that bound could move the standard deviation by more than
 * BB_SD_TOLERANCE of the middle band (right after a jump, when the true
 * variance collapses towards 0), the window is recomputed exactly.
 */

/* generous: the error of S2 grows by at most 2 ε MAG per step over at most
 * PERIOD steps (divided by PERIOD for the variance), the mean's square and
 * the final subtraction add a few ε MAG more */
#define BB_ERR_FACTOR    16.0

typedef struct
{
  guint  period;
  double inv_n;
  double k;
  double c;
  double s1;
  double s2;
  double mag;
  double tol2;   /* BB_SD_TOLERANCE² */
  guint  since;
} BbState;

static void
bb_exact (BbState      *st,
          const double *w)
{
  guint n = st->period;
  double sum = 0.0, s1 = 0.0, s2 = 0.0, c;

  for (guint j = 0; j < n; j++)
    sum += w[j];
  c = sum / n;
  for (guint j = 0; j < n; j++)
    {
      double d = w[j] - c;

      s1 += d;
      s2 += d * d;
    }
  st->c = c;
  st->s1 = s1;
  st->s2 = s2;
  st->mag = s2;
  st->since = 0;
}

/* Bands from the state; FALSE (nothing written) when the error bound is too
 * loose and FORCE is not set. */
static inline gboolean
bb_eval (const BbState *st,
         gboolean       force,
         double        *upper,
         double        *middle,
         double        *lower)
{
  double md = st->s1 * st->inv_n;
  double ex2 = st->s2 * st->inv_n;
  double mid = st->c + md;
  double var = ex2 - md * md;
  double sd;

  if (!force)
    {
      /* accept when the error bound VE moves the SD by at most t = tol·|mid|:
       * |√var − √(var ± ve)| <= ve / √(var − ve) <= t, or √ve <= t */
      double ve = BB_ERR_FACTOR * DBL_EPSILON * st->mag;
      double t2 = st->tol2 * mid * mid;

      if (!((var - ve) * t2 >= ve * ve || ve <= t2))
        return FALSE;
    }
  if (!(var > 0.0))
    var = 0.0;
  sd = st->k * sqrt (var);
  *upper = mid + sd;
  *middle = mid;
  *lower = mid - sd;
  return TRUE;
}

static gsize
bb_begin (BbState      *st,
          const double *in,
          gsize         n,
          guint         period,
          double        k,
          double       *upper,
          double       *middle,
          double       *lower)
{
  st->period = period;
  st->inv_n = period > 0 ? 1.0 / period : NAN;
  st->k = k;
  st->c = st->s1 = st->s2 = st->mag = 0.0;
  st->tol2 = BB_SD_TOLERANCE * BB_SD_TOLERANCE;
  st->since = 0;
  if (period == 0 || n < period)
    {
      fill_nan (upper, n);
      fill_nan (middle, n);
      fill_nan (lower, n);
      return n;
    }
  for (gsize i = 0; i + 1 < period; i++)
    upper[i] = middle[i] = lower[i] = NAN;
  bb_exact (st, in);
  bb_eval (st, TRUE, &upper[period - 1], &middle[period - 1], &lower[period - 1]);
  return period;
}

/* Bands of the window ending at IN[I] (I >= period). */
static inline void
bb_step (BbState      *st,
         const double *in,
         gsize         i,
         double       *upper,
         double       *middle,
         double       *lower)
{
  const double *w = in + i + 1 - st->period;

  if (st->since >= st->period)
    {
      bb_exact (st, w);
      bb_eval (st, TRUE, upper, middle, lower);
      return;
    }
  else
    {
      double dn = in[i] - st->c;
      double dold = in[i - st->period] - st->c;
      double qn = dn * dn;
      double qo = dold * dold;

      st->s1 += dn - dold;
      st->s2 += qn - qo;
      st->mag += qn + qo;
      st->since++;
    }
  if (G_UNLIKELY (!bb_eval (st, FALSE, upper, middle, lower)))
    {
      bb_exact (st, w);
      bb_eval (st, TRUE, upper, middle, lower);
    }
}

void
bt_bbands (const double *in,
           gsize         n,
           guint         period,
           double        k,
           double       *upper,
           double       *middle,
           double       *lower)
{
  BbState st;
  gsize i;

  g_return_if_fail (n == 0 || (in != NULL && upper != NULL && middle != NULL && lower != NULL));

  for (i = bb_begin (&st, in, n, period, k, upper, middle, lower); i < n; i++)
    bb_step (&st, in, i, &upper[i], &middle[i], &lower[i]);
}

/* ---- fused -------------------------------------------------------------- */

void
bt_fused_ema_rsi_bb (const double *in,
                     gsize         n,
                     guint         ema_period,
                     guint         rsi_period,
                     guint         bb_period,
                     double        bb_k,
                     double       *ema,
                     double       *rsi,
                     double       *upper,
                     double       *middle,
                     double       *lower)
{
  EmaState es;
  RsiState rs;
  BbState bs;
  gsize ie, ir, ib, start;

  g_return_if_fail (n == 0 || (in != NULL && ema != NULL && rsi != NULL &&
                               upper != NULL && middle != NULL && lower != NULL));

  ie = ema_begin (&es, in, n, ema_period, ema);
  ir = rsi_begin (&rs, in, n, rsi_period, rsi);
  ib = bb_begin (&bs, in, n, bb_period, bb_k, upper, middle, lower);

  /* bring the three to a common index, then run them side by side */
  start = MAX (ie, MAX (ir, ib));
  for (; ie < start; ie++)
    ema[ie] = ema_step (&es, in[ie]);
  for (; ir < start; ir++)
    rsi[ir] = rsi_step (&rs, in[ir]);
  for (; ib < start; ib++)
    bb_step (&bs, in, ib, &upper[ib], &middle[ib], &lower[ib]);

  for (gsize i = start; i < n; i++)
    {
      double x = in[i];

      ema[i] = ema_step (&es, x);
      rsi[i] = rsi_step (&rs, x);
      bb_step (&bs, in, i, &upper[i], &middle[i], &lower[i]);
    }
}

/* ---- weekly and monthly "live" bars ------------------------------------ *
 *
 * The resampled series is the closes of the completed periods (each the
 * last daily close in it; periods without any close are skipped) plus a
 * live bar: the current day's close.  The state holds the EMAs and Wilder
 * averages over the completed bars; the live bar is applied on top of it
 * without being stored, so each day costs O(1).
 */

typedef struct
{
  gboolean open;
  BtDay    bucket;
  double   bucket_close;
  guint    m;                          /* completed bars */
  double   last;                       /* close of the last completed bar */
  double   sum;                        /* Σ completed closes (SMA seeds) */
  double   ema[BT_N_EMA_PERIODS];
  double   k[BT_N_EMA_PERIODS];
  double   k1[BT_N_EMA_PERIODS];
  double   gsum;                       /* Σ gains/losses of the first changes */
  double   lsum;
  double   gain;                       /* Wilder averages once seeded */
  double   loss;
} LiveState;

static void
live_init (LiveState *ls)
{
  memset (ls, 0, sizeof *ls);
  for (guint p = 0; p < BT_N_EMA_PERIODS; p++)
    {
      ls->ema[p] = NAN;
      ls->k[p] = 2.0 / ((double) bt_ema_periods[p] + 1.0);
      ls->k1[p] = 1.0 - ls->k[p];
    }
  ls->gain = ls->loss = NAN;
}

static void
live_push (LiveState *ls,
           double     c)
{
  const double a = (RSI_PERIOD - 1.0) / RSI_PERIOD;
  const double b = 1.0 / RSI_PERIOD;

  if (ls->m > 0)
    {
      /* change number m, between completed bars m−1 and m */
      double d = c - ls->last;
      double g = d > 0.0 ? d : 0.0;
      double l = d < 0.0 ? -d : 0.0;

      if (ls->m <= RSI_PERIOD)
        {
          ls->gsum += g;
          ls->lsum += l;
          if (ls->m == RSI_PERIOD)
            {
              ls->gain = ls->gsum / RSI_PERIOD;
              ls->loss = ls->lsum / RSI_PERIOD;
            }
        }
      else
        {
          ls->gain = ls->gain * a + g * b;
          ls->loss = ls->loss * a + l * b;
        }
    }
  ls->last = c;
  ls->sum += c;
  ls->m++;
  for (guint p = 0; p < BT_N_EMA_PERIODS; p++)
    {
      if (ls->m == bt_ema_periods[p])
        ls->ema[p] = ls->sum / bt_ema_periods[p];
      else if (ls->m > bt_ema_periods[p])
        ls->ema[p] = ls->ema[p] * ls->k1[p] + ls->k[p] * c;
    }
}

/* Feed the close of a day in BUCKET; EMA (may be NULL) gets the live EMAs,
 * the return value is the live RSI (NAN when too short). */
static double
live_update (LiveState *ls,
             BtDay      bucket,
             double     close,
             double    *ema)
{
  const double a = (RSI_PERIOD - 1.0) / RSI_PERIOD;
  const double b = 1.0 / RSI_PERIOD;
  double d, g, l;

  if (ls->open && bucket != ls->bucket)
    live_push (ls, ls->bucket_close);
  ls->open = TRUE;
  ls->bucket = bucket;
  ls->bucket_close = close;

  if (ema != NULL)
    for (guint p = 0; p < BT_N_EMA_PERIODS; p++)
      {
        guint np = bt_ema_periods[p];

        if (ls->m + 1 < np)
          ema[p] = NAN;
        else if (ls->m + 1 == np)
          ema[p] = (ls->sum + close) / np;
        else
          ema[p] = ls->ema[p] * ls->k1[p] + ls->k[p] * close;
      }

  if (ls->m < RSI_PERIOD)
    return NAN;
  d = close - ls->last;
  g = d > 0.0 ? d : 0.0;
  l = d < 0.0 ? -d : 0.0;
  if (ls->m == RSI_PERIOD)
    return rsi_value ((ls->gsum + g) / RSI_PERIOD, (ls->lsum + l) / RSI_PERIOD);
  return rsi_value (ls->gain * a + g * b, ls->loss * a + l * b);
}

/* ---- the table ---------------------------------------------------------- */

static inline gboolean
source_is_imported (guint8 source)
{
  return source == BT_SOURCE_IMPORT || source == BT_SOURCE_V1;
}

static inline guint8
input_source (const BtHistory *h,
              BtInput          input,
              gsize            i)
{
  return h->input_source[input] != NULL ? h->input_source[input][i] : BT_SOURCE_NONE;
}

/* Of two inputs combined into one value, report the imported one if any
 * (so that the flag says IMPORTED), else the first. */
static inline guint8
combine_sources (guint8 first,
                 guint8 second)
{
  if (!source_is_imported (first) && source_is_imported (second))
    return second;
  return first;
}

/* Turn the column of values computed on their own day (NAN elsewhere) into
 * the final column: carry the newest value forward over days without one
 * (when CARRY), fall back to the imported column, and set the flags.
 * ORIGIN (NULL = the day itself) is, per day, the index of the newest input
 * the day's own value depends on; a value older than LIMIT days is STALE.
 * A fresh value wins over a stale one; between two fresh ones (or two
 * stale ones) the computed value wins over the imported one. */
static void
finish_column (BtIndicatorTable *t,
               const BtHistory  *h,
               BtIndicator       ind,
               double            limit,
               const gint32     *origin,
               gboolean          carry)
{
  double *v = t->value[ind];
  guint8 *src = t->source[ind];
  guint8 *flag = t->flag[ind];
  const double *imp = h->imported[ind];
  const guint8 *imp_src = h->imported_source[ind];
  double own_v = NAN, imp_v = NAN;
  guint8 own_s = BT_SOURCE_NONE, imp_s = BT_SOURCE_NONE;
  gint64 own_o = 0, imp_o = 0;
  gint64 max_age;

  /* ages are whole days: age <= limit  ⇔  age <= floor (limit) */
  if (!(limit >= 0.0))
    max_age = -1;
  else if (limit >= (double) G_MAXINT32)
    max_age = G_MAXINT32;
  else
    max_age = (gint64) floor (limit);

  for (gsize i = 0; i < t->n_days; i++)
    {
      gboolean own_fresh, imp_fresh;
      double x = v[i];

      if (imp != NULL && isfinite (imp[i]))
        {
          imp_v = imp[i];
          imp_s = imp_src != NULL ? imp_src[i] : BT_SOURCE_IMPORT;
          imp_o = (gint64) i;
        }

      if (isfinite (x))
        {
          own_v = x;
          own_s = src[i];
          own_o = origin != NULL ? origin[i] : (gint64) i;
          if (G_LIKELY ((gint64) i - own_o <= max_age))
            {
              /* the common case: a value of the day itself */
              flag[i] = source_is_imported (own_s) ? BT_FLAG_IMPORTED : BT_FLAG_OK;
              continue;
            }
        }
      else if (!carry)
        own_v = NAN;

      own_fresh = isfinite (own_v) && (gint64) i - own_o <= max_age;
      imp_fresh = isfinite (imp_v) && (gint64) i - imp_o <= max_age;

      if (own_fresh)
        {
          v[i] = own_v;
          src[i] = own_s;
          flag[i] = source_is_imported (own_s) ? BT_FLAG_IMPORTED : BT_FLAG_OK;
        }
      else if (imp_fresh)
        {
          v[i] = imp_v;
          src[i] = imp_s;
          flag[i] = BT_FLAG_IMPORTED;
        }
      else if (isfinite (own_v))
        {
          v[i] = own_v;
          src[i] = own_s;
          flag[i] = BT_FLAG_STALE;
        }
      else if (isfinite (imp_v))
        {
          v[i] = imp_v;
          src[i] = imp_s;
          flag[i] = BT_FLAG_STALE;
        }
      else
        {
          v[i] = NAN;
          src[i] = BT_SOURCE_NONE;
          flag[i] = BT_FLAG_MISSING;
        }
    }
}

static double
freshness_limit (const BtRules *rules,
                 BtIndicator    ind)
{
  if (ind == BT_IND_RSI_MONTHLY)
    return rules->fresh_monthly_days;
  if (ind == BT_IND_RSI_WEEKLY || (ind >= BT_IND_EMA_17_1W && ind <= BT_IND_EMA_610_1W))
    return rules->fresh_weekly_days;
  return rules->fresh_daily_days;
}

/* Daily price indicators on the compacted closes (CLOSES[j] is day IDX[j]). */
static void
compute_daily (const BtHistory  *h,
               BtIndicatorTable *t,
               const double     *closes,
               const gint32     *idx,
               gsize             nc,
               double           *scratch)
{
  double *a = scratch;
  double *b = scratch + nc;
  double *c = scratch + 2 * nc;

  for (guint p = 0; p < BT_N_EMA_PERIODS; p++)
    {
      double *col = t->value[BT_IND_EMA_17_1D + p];

      bt_ema (closes, nc, bt_ema_periods[p], a);
      for (gsize j = 0; j < nc; j++)
        col[idx[j]] = a[j];
    }

  bt_rsi (closes, nc, RSI_PERIOD, a);
  for (gsize j = 0; j < nc; j++)
    t->value[BT_IND_RSI_DAILY][idx[j]] = a[j];

  bt_bbands (closes, nc, BB_PERIOD, BB_K, a, b, c);
  for (gsize j = 0; j < nc; j++)
    {
      gsize i = idx[j];

      t->value[BT_IND_BB_UPPER][i] = a[j];
      t->value[BT_IND_BB_MIDDLE][i] = b[j];
      t->value[BT_IND_BB_LOWER][i] = c[j];
      t->value[BT_IND_BBW_PERCENTAGE][i] = b[j] != 0.0 ? (a[j] - c[j]) / b[j] * 100.0 : NAN;
    }

  for (gsize j = 0; j < nc; j++)
    {
      gsize i = idx[j];
      guint8 s = input_source (h, BT_INPUT_CLOSE, i);

      t->value[BT_IND_BTC_PRICE][i] = closes[j];
      t->source[BT_IND_BTC_PRICE][i] = s;
      for (guint k = BT_IND_EMA_17_1D; k <= BT_IND_BBW_PERCENTAGE; k++)
        t->source[k][i] = s;
    }
}

static void
compute_live (BtIndicatorTable *t,
              const double     *closes,
              const gint32     *idx,
              gsize             nc)
{
  LiveState week, month;
  double ema[BT_N_EMA_PERIODS];
  BtDay month_start = BT_DAY_INVALID, next_month = BT_DAY_INVALID;

  live_init (&week);
  live_init (&month);
  for (gsize j = 0; j < nc; j++)
    {
      gsize i = idx[j];
      BtDay day = t->first_day + (BtDay) i;

      if (day >= next_month || day < month_start)
        {
          int y, m;

          month_start = bt_day_month_start (day);
          bt_day_to_ymd (month_start, &y, &m, NULL);
          next_month = m == 12 ? bt_day_from_ymd (y + 1, 1, 1) : bt_day_from_ymd (y, m + 1, 1);
        }

      t->value[BT_IND_RSI_WEEKLY][i] = live_update (&week, bt_day_week_start (day), closes[j], ema);
      for (guint p = 0; p < BT_N_EMA_PERIODS; p++)
        t->value[BT_IND_EMA_17_1W + p][i] = ema[p];
      t->value[BT_IND_RSI_MONTHLY][i] = live_update (&month, month_start, closes[j], NULL);
    }
}

static void
compute_onchain (const BtHistory  *h,
                 BtIndicatorTable *t,
                 double           *scratch)
{
  const double *mc = h->input[BT_INPUT_MARKET_CAP];
  const double *rc = h->input[BT_INPUT_REALIZED_CAP];
  const double *mv = h->input[BT_INPUT_MVRV_RATIO];
  const double *iss = h->input[BT_INPUT_ISSUANCE_USD];
  double *ring = scratch;     /* compacted issuance */
  double mean = 0.0, m2 = 0.0, isum = 0.0;
  guint64 count = 0;
  gsize ni = 0, since = 0;

  for (gsize i = 0; i < h->n_days; i++)
    {
      double realized = NAN;
      guint8 s_mc = input_source (h, BT_INPUT_MARKET_CAP, i);
      guint8 s_real = BT_SOURCE_NONE;

      /* expanding population SD of the market cap (Welford) */
      if (isfinite (mc[i]))
        {
          double delta = mc[i] - mean;

          count++;
          mean += delta / (double) count;
          m2 += delta * (mc[i] - mean);
        }

      if (isfinite (rc[i]))
        {
          realized = rc[i];
          s_real = input_source (h, BT_INPUT_REALIZED_CAP, i);
        }
      else if (isfinite (mc[i]) && isfinite (mv[i]) && mv[i] != 0.0)
        {
          realized = mc[i] / mv[i];
          s_real = combine_sources (s_mc, input_source (h, BT_INPUT_MVRV_RATIO, i));
        }

      if (isfinite (mc[i]) && isfinite (realized) && count >= 2)
        {
          double sd = sqrt (m2 / (double) count);

          if (sd > 0.0)
            {
              t->value[BT_IND_MVRV_Z_SCORE][i] = (mc[i] - realized) / sd;
              t->source[BT_IND_MVRV_Z_SCORE][i] = combine_sources (s_mc, s_real);
            }
        }

      if (isfinite (mv[i]))
        {
          t->value[BT_IND_REALIZED_PRICE_RATIO][i] = mv[i];
          t->source[BT_IND_REALIZED_PRICE_RATIO][i] = input_source (h, BT_INPUT_MVRV_RATIO, i);
        }
      else if (isfinite (mc[i]) && isfinite (rc[i]) && rc[i] != 0.0)
        {
          t->value[BT_IND_REALIZED_PRICE_RATIO][i] = mc[i] / rc[i];
          t->source[BT_IND_REALIZED_PRICE_RATIO][i] =
            combine_sources (s_mc, input_source (h, BT_INPUT_REALIZED_CAP, i));
        }

      /* Puell: issuance over the mean of the last 365 observations */
      if (isfinite (iss[i]))
        {
          ring[ni++] = iss[i];
          if (ni == PUELL_WINDOW || (ni > PUELL_WINDOW && since >= PUELL_WINDOW))
            {
              isum = 0.0;
              for (gsize j = ni - PUELL_WINDOW; j < ni; j++)
                isum += ring[j];
              since = 0;
            }
          else if (ni > PUELL_WINDOW)
            {
              isum += iss[i] - ring[ni - 1 - PUELL_WINDOW];
              since++;
            }
          else
            isum += iss[i];

          if (ni >= PUELL_WINDOW && isum != 0.0)
            {
              t->value[BT_IND_PUELL_MULTIPLE][i] = iss[i] / (isum / PUELL_WINDOW);
              t->source[BT_IND_PUELL_MULTIPLE][i] = input_source (h, BT_INPUT_ISSUANCE_USD, i);
            }
        }
    }
}

static void
copy_input (const BtHistory  *h,
            BtIndicatorTable *t,
            BtInput           input,
            BtIndicator       ind)
{
  for (gsize i = 0; i < h->n_days; i++)
    if (isfinite (h->input[input][i]))
      {
        t->value[ind][i] = h->input[input][i];
        t->source[ind][i] = input_source (h, input, i);
      }
}

static void
compute_funding (const BtHistory  *h,
                 BtIndicatorTable *t,
                 gint32           *origin)
{
  const double *fs = h->input[BT_INPUT_FUNDING_SUM];
  const double *fc = h->input[BT_INPUT_FUNDING_COUNT];

  for (gsize i = 0; i < h->n_days; i++)
    {
      double sum = 0.0, cnt = 0.0;
      gssize newest = -1;
      gsize from = i + 1 >= FUNDING_WINDOW ? i + 1 - FUNDING_WINDOW : 0;

      for (gsize j = from; j <= i; j++)
        if (isfinite (fs[j]) && isfinite (fc[j]) && fc[j] > 0.0)
          {
            sum += fs[j];
            cnt += fc[j];
            newest = (gssize) j;
          }
      origin[i] = (gint32) (newest >= 0 ? newest : (gssize) i);
      if (newest >= 0)
        {
          t->value[BT_IND_FUNDING_RATE_7D][i] = sum / cnt;
          t->source[BT_IND_FUNDING_RATE_7D][i] = input_source (h, BT_INPUT_FUNDING_SUM, newest);
        }
    }
}

void
bt_indicators_compute (const BtHistory  *history,
                       const BtRules    *rules,
                       BtIndicatorTable *table)
{
  gsize n, nc = 0;
  double *closes, *scratch;
  gint32 *idx, *origin;
  gpointer block;

  g_return_if_fail (history != NULL && rules != NULL && table != NULL);
  g_return_if_fail (table->n_days == history->n_days && table->first_day == history->first_day);

  n = history->n_days;
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    {
      fill_nan (table->value[k], n);
      memset (table->source[k], BT_SOURCE_NONE, n);
      memset (table->flag[k], BT_FLAG_MISSING, n);
    }
  if (n == 0)
    return;

  /* one block: compacted closes, 3 scratch columns, two index columns */
  block = g_malloc (n * (4 * sizeof (double) + 2 * sizeof (gint32)));
  closes = block;
  scratch = closes + n;
  idx = (gint32 *) (scratch + 3 * n);
  origin = idx + n;

  for (gsize i = 0; i < n; i++)
    if (isfinite (history->input[BT_INPUT_CLOSE][i]))
      {
        closes[nc] = history->input[BT_INPUT_CLOSE][i];
        idx[nc] = (gint32) i;
        nc++;
      }

  compute_daily (history, table, closes, idx, nc, scratch);
  compute_live (table, closes, idx, nc);
  for (gsize j = 0; j < nc; j++)
    {
      guint8 s = input_source (history, BT_INPUT_CLOSE, idx[j]);

      table->source[BT_IND_RSI_WEEKLY][idx[j]] = s;
      table->source[BT_IND_RSI_MONTHLY][idx[j]] = s;
      for (guint p = 0; p < BT_N_EMA_PERIODS; p++)
        table->source[BT_IND_EMA_17_1W + p][idx[j]] = s;
    }

  compute_onchain (history, table, scratch);
  copy_input (history, table, BT_INPUT_STH_SOPR, BT_IND_STH_SOPR);
  copy_input (history, table, BT_INPUT_NETFLOW, BT_IND_EXCHANGE_NETFLOW);
  copy_input (history, table, BT_INPUT_LONG_SHORT, BT_IND_LONG_SHORT_RATIO);
  compute_funding (history, table, origin);

  for (guint k = 0; k < BT_N_INDICATORS; k++)
    {
      gboolean funding = k == BT_IND_FUNDING_RATE_7D;

      finish_column (table, history, (BtIndicator) k, freshness_limit (rules, (BtIndicator) k),
                     funding ? origin : NULL, !funding);
    }

  g_free (block);
}
