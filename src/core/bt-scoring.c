/* bt-scoring.c: indicator values → item scores → category scores, market
 * score and confidence; position risk; the decision matrix and the Kelly
 * size (docs/rulebook.md §2–5).
 *
 * Choices made where docs/rulebook.md leaves room, all tested in test-scoring.c
 * and test-decide.c:
 *
 * - An item is present for scoring when its value is finite and its flag is
 *   OK or IMPORTED.  A STALE value keeps its raw value and flag in BtScores
 *   but has no score (NAN) and counts as missing.
 * - The EMA system weights are renormalised over their sum (0.6 + 0.4 = 1
 *   by default), so the score stays within 0–100 whatever the user sets.
 * - BBW keeps today's BBW% as its value even when the window holds fewer
 *   than bbw_min_days values (its score is then NAN and its flag MISSING).
 * - A position whose debt is at least its collateral (insolvent, or bad
 *   debt with no collateral) has leverage NAN (not +inf) and risk score 0,
 *   so the circuit breaker exits it.  Unknown collateral (NAN) gives an
 *   unknown position: leverage and risk NAN, has_position FALSE.
 * - bt_decide: "no position" (rule 5) is a NULL position or leverage 0;
 *   "a position" (rules 3, 4, 6) is leverage > 0.  A NAN leverage is
 *   neither, so an unknown position never enters, reduces or adds.
 * - Rule 6 (add) needs a positive Kelly size: an ADD of 0 % is no action.
 */
#define G_LOG_DOMAIN "bt-core"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "bt-base.h"
#include "bt-scoring.h"
#include "bt-scoring-private.h"

/* indicator column scored by each banded item (and BBW) */
static const BtIndicator item_indicator[BT_N_ITEMS] = {
  [BT_ITEM_MVRV_Z_SCORE] = BT_IND_MVRV_Z_SCORE,
  [BT_ITEM_REALIZED_PRICE_RATIO] = BT_IND_REALIZED_PRICE_RATIO,
  [BT_ITEM_PUELL_MULTIPLE] = BT_IND_PUELL_MULTIPLE,
  [BT_ITEM_RSI_WEEKLY] = BT_IND_RSI_WEEKLY,
  [BT_ITEM_FUNDING_RATE_7D] = BT_IND_FUNDING_RATE_7D,
  [BT_ITEM_RSI_MONTHLY] = BT_IND_RSI_MONTHLY,
  [BT_ITEM_STH_SOPR] = BT_IND_STH_SOPR,
  [BT_ITEM_EXCHANGE_NETFLOW] = BT_IND_EXCHANGE_NETFLOW,
  [BT_ITEM_LONG_SHORT_RATIO] = BT_IND_LONG_SHORT_RATIO,
  [BT_ITEM_EMA_SYSTEM] = BT_IND_EMA_17_1D,     /* unused: composite */
  [BT_ITEM_BBW] = BT_IND_BBW_PERCENTAGE,
};

/* ---- bands ---- */

/* Band evaluation for a non-NAN value (no argument checks: the hot loop). */
static inline double
band_at (const BtBand *band,
         double        value)
{
  guint n = band->n;

  if (n == 0)
    return NAN;
  if (value <= band->x[0])
    return band->y[0];
  for (guint k = 1; k < n; k++)
    if (value <= band->x[k])
      return band->y[k - 1]
             + (band->y[k] - band->y[k - 1]) * (value - band->x[k - 1])
               / (band->x[k] - band->x[k - 1]);
  return band->y[n - 1];
}

double
bt_band_eval (const BtBand *band,
              double        value)
{
  g_return_val_if_fail (band != NULL, NAN);

  if (isnan (value))
    return NAN;
  return band_at (band, value);
}

/* ---- scores ---- */

static gboolean
is_present (const BtIndicatorTable *table,
            BtIndicator             ind,
            guint                   i)
{
  guint8 flag;

  if (table->value[ind] == NULL || !isfinite (table->value[ind][i]))
    return FALSE;
  flag = table->flag[ind] != NULL ? table->flag[ind][i] : BT_FLAG_OK;
  return flag == BT_FLAG_OK || flag == BT_FLAG_IMPORTED;
}

static double
value_of (const BtIndicatorTable *table,
          BtIndicator             ind,
          guint                   i)
{
  return table->value[ind] != NULL ? table->value[ind][i] : NAN;
}

/* The value of IND on day I when present for scoring, else NAN. */
static double
present_value (const BtIndicatorTable *table,
               BtIndicator             ind,
               guint                   i)
{
  return is_present (table, ind, i) ? table->value[ind][i] : NAN;
}

static void
score_ema_system (const BtIndicatorTable *table,
                  const BtRules          *rules,
                  guint                   i,
                  BtScores               *out)
{
  gboolean present[2][BT_N_EMA_PERIODS];
  double ema[2][BT_N_EMA_PERIODS];
  gboolean daily = FALSE, imported;
  guint n_emas = 0, n_above = 0, n_pairs = 0, n_aligned = 0;
  double price, position, score, wp, wa;

  out->item_value[BT_ITEM_EMA_SYSTEM] = NAN;
  out->item_score[BT_ITEM_EMA_SYSTEM] = NAN;
  out->item_flag[BT_ITEM_EMA_SYSTEM] = BT_FLAG_MISSING;
  out->item_source[BT_ITEM_EMA_SYSTEM] = BT_SOURCE_NONE;

  if (!is_present (table, BT_IND_BTC_PRICE, i))
    return;
  price = table->value[BT_IND_BTC_PRICE][i];
  imported = table->flag[BT_IND_BTC_PRICE][i] == BT_FLAG_IMPORTED;

  for (guint tf = 0; tf < 2; tf++)
    for (guint k = 0; k < BT_N_EMA_PERIODS; k++)
      {
        BtIndicator ind = (tf == 0 ? BT_IND_EMA_17_1D : BT_IND_EMA_17_1W) + k;

        present[tf][k] = is_present (table, ind, i);
        if (!present[tf][k])
          continue;
        ema[tf][k] = table->value[ind][i];
        n_emas++;
        n_above += price > ema[tf][k];
        daily |= tf == 0;
        imported |= table->flag[ind][i] == BT_FLAG_IMPORTED;
      }
  if (!daily)
    return;

  /* adjacent pairs (shorter, longer) of the same timeframe, both present */
  for (guint tf = 0; tf < 2; tf++)
    for (guint k = 0; k + 1 < BT_N_EMA_PERIODS; k++)
      if (present[tf][k] && present[tf][k + 1])
        {
          n_pairs++;
          n_aligned += ema[tf][k] > ema[tf][k + 1];
        }

  position = (double) n_above / n_emas;
  wp = rules->ema_position_weight;
  wa = rules->ema_alignment_weight;
  if (n_pairs > 0)
    score = 100 * (wp * position + wa * ((double) n_aligned / n_pairs)) / (wp + wa);
  else
    score = 100 * position;

  out->item_value[BT_ITEM_EMA_SYSTEM] = score;
  out->item_score[BT_ITEM_EMA_SYSTEM] = score;
  out->item_flag[BT_ITEM_EMA_SYSTEM] = imported ? BT_FLAG_IMPORTED : BT_FLAG_OK;
  out->item_source[BT_ITEM_EMA_SYSTEM] = BT_SOURCE_COMPUTED;
}

/* Raw value, flag, source and (banded items) score of ITEM on day I. */
static inline void
score_item (const BtIndicatorTable *table,
            const BtRules          *rules,
            BtItem                  item,
            guint                   i,
            BtScores               *out)
{
  BtIndicator ind = item_indicator[item];
  double v = value_of (table, ind, i);
  guint8 flag;

  out->item_value[item] = v;
  out->item_score[item] = NAN;
  if (isnan (v) || table->flag[ind] == NULL)
    {
      out->item_flag[item] = BT_FLAG_MISSING;
      out->item_source[item] = BT_SOURCE_NONE;
      return;
    }
  flag = table->flag[ind][i];
  out->item_flag[item] = flag;
  out->item_source[item] = table->source[ind] != NULL ? table->source[ind][i] : BT_SOURCE_NONE;
  if (item != BT_ITEM_BBW && !rules->band_rank[item] && isfinite (v)
      && (flag == BT_FLAG_OK || flag == BT_FLAG_IMPORTED))
    out->item_score[item] = band_at (&rules->band[item], v);
}

/* Adaptive band (docs/rulebook.md §2): 100 − the percentile rank of today's
 * value among the present values of the trailing window (today included),
 * from the count N_LE of those ≤ today's among N_WINDOW. */
static inline double
rank_score (const BtRules *rules,
            guint          n_le,
            guint          n_window)
{
  if (n_window < rules->rank_min_days || n_window == 0)
    return NAN;
  return 100.0 - 100.0 * n_le / n_window;
}

/* The adaptive score of ITEM on day I by a plain count over the window. */
static void
score_rank_day (const BtIndicatorTable *table,
                const BtRules          *rules,
                BtItem                  item,
                guint                   i,
                BtScores               *out)
{
  BtIndicator ind = item_indicator[item];
  guint start, n_window = 0, n_le = 0;
  double today;

  if (!is_present (table, ind, i))
    return;
  today = table->value[ind][i];
  start = i + 1 >= rules->rank_window_days ? i + 1 - rules->rank_window_days : 0;
  for (guint j = start; j <= i; j++)
    if (is_present (table, ind, j))
      {
        n_window++;
        n_le += table->value[ind][j] <= today;
      }
  out[0].item_score[item] = rank_score (rules, n_le, n_window);
}

/* A key whose unsigned order is the order of the finite double V. */
static inline guint64
order_key (double v)
{
  guint64 u;

  if (v == 0)
    v = 0;   /* −0 and +0 are equal values */
  memcpy (&u, &v, sizeof u);
  return (u >> 63) != 0 ? ~u : u | G_GUINT64_CONSTANT (0x8000000000000000);
}

/* Sort the M (key, day) pairs by key: LSD radix sort, 8 passes of 8 bits
 * (stable, no comparisons), skipping a pass whose byte is the same for all. */
static void
radix_sort (guint64 *key,
            guint   *day,
            guint64 *key_tmp,
            guint   *day_tmp,
            guint    m)
{
  for (guint shift = 0; shift < 64; shift += 8)
    {
      guint count[257] = { 0 };

      for (guint j = 0; j < m; j++)
        count[((key[j] >> shift) & 0xff) + 1]++;
      if (count[((key[0] >> shift) & 0xff) + 1] == m)
        continue;
      for (guint b = 0; b < 256; b++)
        count[b + 1] += count[b];
      for (guint j = 0; j < m; j++)
        {
          guint pos = count[(key[j] >> shift) & 0xff]++;

          key_tmp[pos] = key[j];
          day_tmp[pos] = day[j];
        }
      memcpy (key, key_tmp, m * sizeof *key);
      memcpy (day, day_tmp, m * sizeof *day);
    }
}

/* The adaptive scores of ITEM for every day: the present values are ranked
 * once (radix sort; equal values share the rank of the last of them), and
 * a Fenwick tree over those ranks holds the window, so each day costs
 * O(log n) instead of a pass over the window. */
static void
score_rank_all (const BtIndicatorTable *table,
                const BtRules          *rules,
                BtItem                  item,
                BtScores               *out)
{
  BtIndicator ind = item_indicator[item];
  guint n = table->n_days, m = 0, n_window = 0;
  g_autofree guint64 *key = NULL;
  g_autofree guint64 *key_tmp = NULL;
  g_autofree guint *day = NULL;
  g_autofree guint *day_tmp = NULL;
  g_autofree guint *tree = NULL;
  g_autofree guint *slot = NULL;   /* rank (1-based, ≤ count) of day i's value; 0 = absent */

  if (table->value[ind] == NULL || n == 0)
    return;
  key = g_new (guint64, n);
  day = g_new (guint, n);
  slot = g_new0 (guint, n);
  for (guint i = 0; i < n; i++)
    if (is_present (table, ind, i))
      {
        key[m] = order_key (table->value[ind][i]);
        day[m++] = i;
      }
  if (m == 0)
    return;
  key_tmp = g_new (guint64, m);
  day_tmp = g_new (guint, m);
  radix_sort (key, day, key_tmp, day_tmp, m);
  for (guint j = 0; j < m;)
    {
      guint e = j;

      while (e + 1 < m && key[e + 1] == key[j])
        e++;
      for (guint k = j; k <= e; k++)
        slot[day[k]] = e + 1;
      j = e + 1;
    }

  tree = g_new0 (guint, m + 1);
  for (guint i = 0; i < n; i++)
    {
      guint n_le = 0;

      if (slot[i] > 0)
        {
          for (guint k = slot[i]; k <= m; k += k & -k)
            tree[k]++;
          n_window++;
        }
      if (i >= rules->rank_window_days && slot[i - rules->rank_window_days] > 0)
        {
          for (guint k = slot[i - rules->rank_window_days]; k <= m; k += k & -k)
            tree[k]--;
          n_window--;
        }
      if (slot[i] == 0)
        continue;
      for (guint k = slot[i]; k > 0; k -= k & -k)
        n_le += tree[k];
      out[i].item_score[item] = rank_score (rules, n_le, n_window);
    }
}

/* BBW score from the count of window values <= today's among N_WINDOW. */
static void
score_bbw (const BtRules *rules,
           gboolean       today_present,
           guint          n_le,
           guint          n_window,
           BtScores      *out)
{
  if (!today_present || n_window < rules->bbw_min_days || n_window == 0)
    {
      out->item_flag[BT_ITEM_BBW] = BT_FLAG_MISSING;
      return;
    }
  out->item_score[BT_ITEM_BBW] = 100.0 - 100.0 * n_le / n_window;
}

/* Weights of docs/rulebook.md §3 resolved once per computation. */
typedef struct
{
  guint  n_members[BT_N_CATEGORIES];
  BtItem member[BT_N_CATEGORIES][BT_N_ITEMS];    /* items of weight > 0 */
  double weight[BT_N_CATEGORIES][BT_N_ITEMS];
  double nominal[BT_N_CATEGORIES][BT_N_ITEMS];   /* category weight × w / category total */
  double category_weight[BT_N_CATEGORIES];
  double nominal_total;
} Weights;

static void
weights_prepare (const BtRules *rules,
                 Weights       *w)
{
  memset (w, 0, sizeof *w);
  for (guint c = 0; c < BT_N_CATEGORIES; c++)
    {
      double total = 0;

      for (guint item = 0; item < BT_N_ITEMS; item++)
        if (bt_item_category (item) == c)
          total += rules->item_weight[item];
      w->category_weight[c] = rules->category_weight[c];
      for (guint item = 0; item < BT_N_ITEMS; item++)
        {
          guint m;

          if (bt_item_category (item) != c || !(rules->item_weight[item] > 0))
            continue;
          m = w->n_members[c]++;
          w->member[c][m] = item;
          w->weight[c][m] = rules->item_weight[item];
          w->nominal[c][m] = rules->category_weight[c] * rules->item_weight[item] / total;
          w->nominal_total += w->nominal[c][m];
        }
    }
}

/* Categories, market score and confidence from the item scores. */
static void
combine (const Weights *w,
         BtScores      *out)
{
  double nominal_present = 0, mnum = 0, mden = 0;

  for (guint c = 0; c < BT_N_CATEGORIES; c++)
    {
      double num = 0, den = 0;

      for (guint m = 0; m < w->n_members[c]; m++)
        {
          double score = out->item_score[w->member[c][m]];

          if (isnan (score))
            continue;
          num += w->weight[c][m] * score;
          den += w->weight[c][m];
          nominal_present += w->nominal[c][m];
        }
      out->category[c] = den > 0 ? num / den : NAN;
      if (den > 0 && w->category_weight[c] > 0)
        {
          mnum += w->category_weight[c] * out->category[c];
          mden += w->category_weight[c];
        }
    }
  out->market = mden > 0 ? mnum / mden : NAN;
  out->confidence = w->nominal_total > 0 ? 100 * nominal_present / w->nominal_total : 0;
}

void
bt_scores_compute_day (const BtIndicatorTable *table,
                       const BtRules          *rules,
                       guint                   i,
                       BtScores               *out)
{
  guint start, n_window = 0, n_le = 0;
  gboolean today_present;
  double today;
  Weights w;

  g_return_if_fail (table != NULL);
  g_return_if_fail (rules != NULL);
  g_return_if_fail (out != NULL);
  g_return_if_fail (i < table->n_days);

  for (guint item = 0; item < BT_N_ITEMS; item++)
    if (item != BT_ITEM_EMA_SYSTEM)
      {
        score_item (table, rules, item, i, out);
        if (item != BT_ITEM_BBW && rules->band_rank[item])
          score_rank_day (table, rules, item, i, out);
      }
  score_ema_system (table, rules, i, out);

  /* BBW: straightforward count over the trailing window */
  today_present = is_present (table, BT_IND_BBW_PERCENTAGE, i);
  today = value_of (table, BT_IND_BBW_PERCENTAGE, i);
  start = i + 1 >= rules->bbw_window_days ? i + 1 - rules->bbw_window_days : 0;
  for (guint j = start; j <= i; j++)
    if (is_present (table, BT_IND_BBW_PERCENTAGE, j))
      {
        n_window++;
        if (table->value[BT_IND_BBW_PERCENTAGE][j] <= today)
          n_le++;
      }
  score_bbw (rules, today_present, n_le, n_window, out);

  weights_prepare (rules, &w);
  combine (&w, out);
}

/* First index in SORTED[0..N) whose value is > V (UPPER: the upper bound)
 * or >= V (the lower bound). */
static guint
bound (const double *sorted,
       guint         n,
       double        v,
       gboolean      upper)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (upper ? sorted[mid] <= v : sorted[mid] < v)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

void
bt_scores_compute_all (const BtIndicatorTable *table,
                       const BtRules          *rules,
                       BtScores               *out)
{
  const BtIndicator bbw = BT_IND_BBW_PERCENTAGE;
  guint window, m = 0;
  g_autofree double *sorted = NULL;
  Weights w;

  g_return_if_fail (table != NULL);
  g_return_if_fail (rules != NULL);
  g_return_if_fail (out != NULL || table->n_days == 0);

  /* The BBW window is kept as a sorted array: each day replaces the value
   * leaving the window by today's (two binary searches and a memmove of the
   * values between them); the count of values <= today's is then the
   * position where today's went, plus one. */
  weights_prepare (rules, &w);

  /* item by item over all days (one column at a time), then per day */
  for (guint item = 0; item < BT_N_ITEMS; item++)
    if (item != BT_ITEM_EMA_SYSTEM)
      {
        for (guint i = 0; i < table->n_days; i++)
          score_item (table, rules, item, i, &out[i]);
        if (item != BT_ITEM_BBW && rules->band_rank[item])
          score_rank_all (table, rules, item, out);
      }

  window = MAX (rules->bbw_window_days, 1);
  sorted = g_new (double, MIN (window, MAX (table->n_days, 1)));

  for (guint i = 0; i < table->n_days; i++)
    {
      gboolean today_present = is_present (table, bbw, i);
      gboolean leaving = i >= window && is_present (table, bbw, i - window);
      double today = value_of (table, bbw, i);
      guint n_le = 0;

      if (leaving && today_present)
        {
          /* replace the leaving value by today's: shift only what lies between */
          guint old = bound (sorted, m, table->value[bbw][i - window], FALSE);
          guint pos = bound (sorted, m, today, TRUE);

          g_assert (old < m);
          if (pos > old)
            {
              memmove (sorted + old, sorted + old + 1, (pos - 1 - old) * sizeof (double));
              pos--;
            }
          else
            memmove (sorted + pos + 1, sorted + pos, (old - pos) * sizeof (double));
          sorted[pos] = today;
          n_le = pos + 1;   /* inserted after every equal value */
        }
      else if (leaving)
        {
          guint old = bound (sorted, m, table->value[bbw][i - window], FALSE);

          g_assert (old < m);
          memmove (sorted + old, sorted + old + 1, (m - old - 1) * sizeof (double));
          m--;
        }
      else if (today_present)
        {
          guint pos = bound (sorted, m, today, TRUE);

          memmove (sorted + pos + 1, sorted + pos, (m - pos) * sizeof (double));
          sorted[pos] = today;
          m++;
          n_le = pos + 1;
        }

      score_ema_system (table, rules, i, &out[i]);
      score_bbw (rules, today_present, n_le, m, &out[i]);
      combine (&w, &out[i]);
    }
}

/* ---- position (§4) ---- */

void
bt_position_evaluate (double          collateral_usd,
                      double          debt_usd,
                      double          liquidation_threshold,
                      double          health_factor,
                      double          price,
                      const BtRules  *rules,
                      BtPositionState *out)
{
  double hf;

  g_return_if_fail (rules != NULL);
  g_return_if_fail (out != NULL);

  out->collateral_usd = collateral_usd;
  out->debt_usd = debt_usd;
  out->health_factor = NAN;
  out->liquidation_price = NAN;
  out->liquidation_distance = NAN;

  if (!isfinite (collateral_usd))
    {
      /* unknown account data: nothing can be said */
      out->has_position = FALSE;
      out->leverage = NAN;
      out->risk_score = NAN;
      return;
    }

  out->has_position = collateral_usd > 0;

  if (!(debt_usd > 0))
    {
      /* no debt (0, negative dust or unknown): no liquidation risk */
      out->leverage = out->has_position ? 1.0 : 0.0;
      out->risk_score = 100;
      return;
    }

  if (isfinite (liquidation_threshold))
    hf = MAX (collateral_usd, 0) * liquidation_threshold / debt_usd;
  else
    hf = health_factor;  /* may be NAN */

  if (isfinite (hf))
    {
      out->health_factor = hf;
      if (hf > 0)
        {
          out->liquidation_price = price / hf;  /* NAN price → NAN */
          out->liquidation_distance = (1 - 1 / hf) * 100;
        }
    }

  if (debt_usd >= collateral_usd)
    {
      /* insolvent: leverage would be infinite or negative */
      out->leverage = NAN;
      out->risk_score = 0;
      return;
    }

  out->leverage = collateral_usd / (collateral_usd - debt_usd);
  {
    double a = bt_band_eval (&rules->health_factor_band, out->health_factor);
    double b = bt_band_eval (&rules->distance_band, out->liquidation_distance);

    /* the lower of the two; one alone when the other cannot be computed */
    if (isnan (a))
      out->risk_score = b;
    else if (isnan (b))
      out->risk_score = a;
    else
      out->risk_score = MIN (a, b);
  }
}

/* ---- ladder, Kelly ---- */

double
bt_ladder_max (const BtRules *rules,
               double         market)
{
  double best;

  g_return_val_if_fail (rules != NULL, NAN);

  best = rules->ladder_floor_leverage;
  for (guint i = 0; i < rules->ladder_n; i++)
    if (market >= rules->ladder_score[i] && rules->ladder_leverage[i] > best)
      best = rules->ladder_leverage[i];
  return MIN (best, rules->max_leverage);
}

double
bt_kelly_percent (const BtRules *rules,
                  double         win_rate,
                  double         payoff)
{
  double p, b, f;

  g_return_val_if_fail (rules != NULL, NAN);

  p = isfinite (win_rate) && win_rate >= 0 && win_rate <= 1
      ? win_rate : rules->kelly_default_win_rate;
  b = isfinite (payoff) ? payoff : rules->kelly_default_payoff;
  if (!(b > 0))
    return 0;  /* no winning trades: no edge */
  f = p - (1 - p) / b;
  return CLAMP (rules->kelly_fraction * f * 100, 0, rules->kelly_max_percent);
}

/* ---- decision (§5) ---- */

static gboolean
within (double v,
        double lo,
        double hi)
{
  return v >= lo && v <= hi;  /* FALSE for NAN */
}

/* Highest leverage whose liquidation distance, 1 − (L − 1) / (LT × L),
 * stays at least F: L ≤ 1 / (1 − LT (1 − F)) (docs/rulebook.md §5.2). */
double
bt_crash_cap (const BtRules          *rules,
              const BtDecisionInputs *inputs)
{
  double lt, f;

  g_return_val_if_fail (rules != NULL && inputs != NULL, NAN);

  if (rules->crash_window_days == 0 || !(inputs->worst_fall > 0))
    return INFINITY;
  lt = isfinite (inputs->liquidation_threshold) && inputs->liquidation_threshold > 0
       ? inputs->liquidation_threshold : BT_DEFAULT_LIQUIDATION_THRESHOLD;
  f = MIN (inputs->worst_fall + rules->crash_margin_pct / 100.0, 0.99);
  return 1.0 / (1.0 - lt * (1.0 - f));
}

/* OUT becomes ACTION by RULE: a trade of SIZE_PERCENT to TARGET leverage. */
static void
set_decision (BtDecision *out,
              BtRule      rule,
              BtAction    action,
              BtUrgency   urgency,
              double      size_percent,
              double      target)
{
  out->rule = rule;
  out->action = action;
  out->urgency = urgency;
  out->size_percent = size_percent;
  out->target_leverage = target;
}

/* A REDUCE of OUT from LEV to TARGET, with the minimum trade
 * (docs/rulebook.md §5.3): a trade smaller than it is no trade, unless
 * FORCED (a position above a cap), which then sells the minimum; a trade
 * that would leave less than the minimum exits.  FALSE when nothing is to
 * be done. */
static gboolean
reduce_to (const BtRules *rules,
           double         lev,
           BtRule         rule,
           BtUrgency      urgency,
           double         target,
           gboolean       forced,
           BtDecision    *out)
{
  double min = rules->min_trade_pct / 100.0;

  if (!(target < lev))
    return FALSE;
  if (forced && lev - target < min)
    target = lev - min;
  if (min > 0 && target < min)
    target = 0;
  if (lev - target < min)
    return FALSE;  /* also a position smaller than the minimum: left alone */
  set_decision (out, rule, target > 0 ? BT_ACTION_REDUCE : BT_ACTION_EXIT, urgency,
                target > 0 ? (1.0 - target / lev) * 100.0 : 100.0, target);
  return TRUE;
}

/* A REDUCE of OUT by PCT % of LEV: the plain cut without a minimum trade,
 * the one reduce_to makes of it with one.  FALSE when nothing is to be
 * done. */
static gboolean
reduce_by (const BtRules *rules,
           double         lev,
           BtRule         rule,
           BtUrgency      urgency,
           double         pct,
           BtDecision    *out)
{
  double target = lev * (1 - pct / 100);

  if (rules->min_trade_pct > 0)
    return reduce_to (rules, lev, rule, urgency, target, FALSE, out);
  set_decision (out, rule, BT_ACTION_REDUCE, urgency, pct, target);
  return TRUE;
}

/* Circuit breaker, crash guard, trim to max_leverage and the crash cap. */
static gboolean
position_safety (const BtRules          *rules,
                 const BtDecisionInputs *inputs,
                 const BtPositionState  *position,
                 double                  lev,
                 double                  risk,
                 BtDecision             *out)
{
  gboolean held = lev > 0;
  double hard_cap = MIN (rules->max_leverage, out->crash_cap);

  if (risk < rules->circuit_risk)
    {
      set_decision (out, BT_RULE_CIRCUIT_BREAKER, BT_ACTION_EXIT, BT_URGENCY_CRITICAL, 100, 0);
      return TRUE;
    }
  if (held && isfinite (out->crash_cap) && position != NULL && position->debt_usd > 0
      && isfinite (position->liquidation_distance)
      && position->liquidation_distance < (inputs->worst_fall * 100 + rules->crash_margin_pct)
      && reduce_to (rules, lev, BT_RULE_CRASH_GUARD, BT_URGENCY_HIGH, out->crash_cap, TRUE, out))
    return TRUE;
  if (rules->trim_above_cap && held && lev > hard_cap * (1 + rules->trim_tolerance_pct / 100)
      && reduce_to (rules, lev, BT_RULE_TRIM, BT_URGENCY_HIGH, hard_cap, TRUE, out))
    return TRUE;
  return FALSE;
}

void
bt_decide (const BtRules          *rules,
           const BtDecisionInputs *inputs,
           const BtPositionState  *position,
           BtDecision             *out)
{
  double lev, risk, market, dist, rsi, cap, min;
  gboolean no_position, held;

  g_return_if_fail (rules != NULL);
  g_return_if_fail (inputs != NULL);
  g_return_if_fail (out != NULL);

  lev = position != NULL ? position->leverage : 0;
  risk = position != NULL ? position->risk_score : 100;
  no_position = position == NULL || lev == 0;
  held = lev > 0;
  market = inputs->market;
  dist = inputs->ema144_distance;
  rsi = inputs->rsi_daily;
  min = rules->min_trade_pct / 100.0;

  out->crash_cap = bt_crash_cap (rules, inputs);
  out->ladder_max = MIN (bt_ladder_max (rules, market), out->crash_cap);
  out->heat = held ? lev / out->ladder_max * 100 : (no_position ? 0 : NAN);
  out->kelly_percent = bt_kelly_percent (rules, inputs->kelly_win_rate, inputs->kelly_payoff);
  cap = MIN (out->ladder_max, rules->max_leverage);

  /* default: hold what is held */
  out->action = BT_ACTION_HOLD;
  out->urgency = BT_URGENCY_LOW;
  out->size_percent = 0;
  out->target_leverage = no_position ? 0 : lev;

  if (rules->safety_first && position_safety (rules, inputs, position, lev, risk, out))
    return;
  if (!(inputs->confidence >= rules->min_confidence) || isnan (market))
    {
      out->rule = BT_RULE_INSUFFICIENT_DATA;
      return;
    }
  if (!rules->safety_first && position_safety (rules, inputs, position, lev, risk, out))
    return;
  if (market < rules->low_market && lev > 0 && !(dist > rules->low_market_ema_max)
      && reduce_by (rules, lev, BT_RULE_LOW_MARKET, BT_URGENCY_HIGH, rules->low_market_reduce_pct, out))
    return;
  if (held && dist < rules->trend_exit_ema
      && reduce_to (rules, lev, BT_RULE_TREND_BREAK, BT_URGENCY_MEDIUM, 0, FALSE, out))
    return;
  if (held && dist >= rules->take_profit_ema_distance && rsi >= rules->take_profit_rsi
      && reduce_by (rules, lev, BT_RULE_TAKE_PROFIT, BT_URGENCY_MEDIUM, rules->take_profit_reduce_pct,
                    out))
    return;
  if (rules->trim_above_cap && held && lev > cap * (1 + rules->trim_tolerance_pct / 100)
      && reduce_to (rules, lev, BT_RULE_TRIM, BT_URGENCY_MEDIUM, cap, TRUE, out))
    return;
  if (no_position && market >= rules->entry_market
      && within (dist, rules->entry_ema_min, rules->entry_ema_max)
      && rsi <= rules->entry_rsi && MIN (rules->entry_leverage, cap) >= min)
    {
      set_decision (out, BT_RULE_ENTRY, BT_ACTION_ENTER, BT_URGENCY_MEDIUM, 100, rules->entry_leverage);
      return;
    }
  if (held && market >= rules->add_market
      && within (dist, rules->add_ema_min, rules->add_ema_max)
      && rsi <= rules->add_rsi && lev < cap && out->kelly_percent > 0
      && MIN (lev + out->kelly_percent / 100, cap) - lev >= min)
    {
      double target = MIN (lev + out->kelly_percent / 100, cap);

      set_decision (out, BT_RULE_ADD, BT_ACTION_ADD, BT_URGENCY_MEDIUM, (target - lev) * 100, target);
      return;
    }
  out->rule = BT_RULE_HOLD;
}

char *
bt_decision_dup_reason (const BtDecision       *decision,
                        const BtDecisionInputs *inputs,
                        const BtPositionState  *position,
                        const BtRules          *rules)
{
  double lev;

  g_return_val_if_fail (decision != NULL, NULL);
  g_return_val_if_fail (inputs != NULL, NULL);
  g_return_val_if_fail (rules != NULL, NULL);

  lev = position != NULL ? position->leverage : 0;

  switch (decision->rule)
    {
    case BT_RULE_INSUFFICIENT_DATA:
      /* nothing held: there is nothing to hold, only an entry to wait for */
      if (!(isfinite (lev) && lev > 0))
        {
          if (isnan (inputs->market) || isnan (inputs->confidence))
            return g_strdup (_("Insufficient data: the market score cannot be computed, so do not enter."));
          return g_strdup_printf (_("Insufficient data: confidence is %.1f %%, below the %.1f %% "
                                    "needed to act, so do not enter."),
                                  inputs->confidence, rules->min_confidence);
        }
      if (isnan (inputs->market) || isnan (inputs->confidence))
        return g_strdup (_("Insufficient data: the market score cannot be computed, so hold."));
      return g_strdup_printf (_("Insufficient data: confidence is %.1f %%, below the %.1f %% "
                                "needed to act, so hold."),
                              inputs->confidence, rules->min_confidence);
    case BT_RULE_CIRCUIT_BREAKER:
      if (position != NULL && isfinite (position->health_factor))
        return g_strdup_printf (_("Circuit breaker: the position risk score is %.1f, below %.1f "
                                  "(health factor %.2f). Repay all debt and exit."),
                                position->risk_score, rules->circuit_risk,
                                position->health_factor);
      return g_strdup_printf (_("Circuit breaker: the position risk score is %.1f, below %.1f. "
                                "Repay all debt and exit."),
                              position != NULL ? position->risk_score : 0, rules->circuit_risk);
    case BT_RULE_LOW_MARKET:
      return g_strdup_printf (_("Low market score: %.1f is below %.1f. Reduce the position by "
                                "%.0f %%, from %.2f× to %.2f× leverage."),
                              inputs->market, rules->low_market, decision->size_percent,
                              lev, decision->target_leverage);
    case BT_RULE_TAKE_PROFIT:
      return g_strdup_printf (_("Take profit: the price is %.1f %% above the 144-day EMA "
                                "(at least %.1f %%) and the daily RSI is %.1f (at least %.1f). "
                                "Reduce by %.0f %%, to %.2f× leverage."),
                              inputs->ema144_distance, rules->take_profit_ema_distance,
                              inputs->rsi_daily, rules->take_profit_rsi,
                              decision->size_percent, decision->target_leverage);
    case BT_RULE_ENTRY:
      return g_strdup_printf (_("Entry: market score %.1f (at least %.1f), price %.1f %% from "
                                "the 144-day EMA (between %.1f %% and %.1f %%) and daily RSI "
                                "%.1f (at most %.1f). Enter at %.1f×."),
                              inputs->market, rules->entry_market, inputs->ema144_distance,
                              rules->entry_ema_min, rules->entry_ema_max, inputs->rsi_daily,
                              rules->entry_rsi, decision->target_leverage);
    case BT_RULE_ADD:
      return g_strdup_printf (_("Add: market score %.1f (at least %.1f), price %.1f %% from the "
                                "144-day EMA and daily RSI %.1f (at most %.1f). Raise leverage "
                                "from %.2f× to %.2f× (ladder maximum %.2f×, Kelly size %.1f %%)."),
                              inputs->market, rules->add_market, inputs->ema144_distance,
                              inputs->rsi_daily, rules->add_rsi, lev,
                              decision->target_leverage, decision->ladder_max,
                              decision->kelly_percent);
    case BT_RULE_CRASH_GUARD:
      {
        char a[16] = "?", b[16] = "?";

        if (inputs->worst_fall_from != BT_DAY_INVALID)
          bt_day_format (inputs->worst_fall_from, a);
        if (inputs->worst_fall_to != BT_DAY_INVALID)
          bt_day_format (inputs->worst_fall_to, b);
        return g_strdup_printf (_("Crash guard: the liquidation distance is %.1f %%, inside the "
                                  "worst %u-day fall of the history (%.1f %%, from the close of "
                                  "%s to %s) plus a %.0f-point margin. Reduce from %.2f× to "
                                  "%.2f× leverage."),
                                position != NULL ? position->liquidation_distance : NAN,
                                rules->crash_window_days, inputs->worst_fall * 100, a, b,
                                rules->crash_margin_pct, lev, decision->target_leverage);
      }
    case BT_RULE_TRIM:
      return g_strdup_printf (_("Above the cap: leverage %.2f× is above the %.2f× allowed "
                                "(ladder for market score %.1f, hard cap %.2f×, crash guard "
                                "%.2f×). Trim back to %.2f×."),
                              lev, MIN (decision->ladder_max, rules->max_leverage),
                              inputs->market, rules->max_leverage, decision->crash_cap,
                              decision->target_leverage);
    case BT_RULE_TREND_BREAK:
      return g_strdup_printf (_("Trend break: the price is %.1f %% from the 144-day EMA, below "
                                "%.1f %%. Leave the position (from %.2f× to %.2f×)."),
                              inputs->ema144_distance, rules->trend_exit_ema, lev,
                              decision->target_leverage);
    case BT_RULE_HOLD:
    case BT_N_RULES:
    default:
      break;
    }
  if (isfinite (lev) && lev > 0)
    return g_strdup_printf (_("Hold: no rule fired (market score %.1f, leverage %.2f×, "
                              "ladder maximum %.2f×)."),
                            inputs->market, lev, decision->ladder_max);
  return g_strdup_printf (_("Hold: no rule fired (market score %.1f)."), inputs->market);
}

char *
bt_decision_dup_size_text (const BtDecision      *decision,
                           const BtPositionState *position)
{
  double lev;

  g_return_val_if_fail (decision != NULL, NULL);

  lev = position != NULL ? position->leverage : 0;
  if (decision->action == BT_ACTION_HOLD)
    {
      /* someone holding nothing keeps nothing (never "leverage at 0.00×") */
      if (!(isfinite (lev) && lev > 0))
        return g_strdup (_("No position: wait for an entry"));
      return g_strdup_printf (_("Keep the leverage at %.2f×"), lev);
    }
  return g_strdup_printf (_("Size %.0f %%, target leverage %.2f×"), decision->size_percent,
                          decision->target_leverage);
}

void
bt_decision_inputs_from_day (const BtIndicatorTable *table,
                             const BtScores         *scores,
                             guint                   i,
                             BtDecisionInputs       *out)
{
  g_return_if_fail (table != NULL);
  g_return_if_fail (scores != NULL);
  g_return_if_fail (out != NULL);
  g_return_if_fail (i < table->n_days);

  /* SCORES parallels TABLE: one slot per day, as bt_scores_compute_all fills */
  out->market = scores[i].market;
  out->confidence = scores[i].confidence;
  out->price = present_value (table, BT_IND_BTC_PRICE, i);
  out->ema144_distance = NAN;
  if (!isnan (out->price) && is_present (table, BT_IND_EMA_144_1D, i)
      && table->value[BT_IND_EMA_144_1D][i] > 0)
    out->ema144_distance = (out->price / table->value[BT_IND_EMA_144_1D][i] - 1) * 100;
  out->rsi_daily = present_value (table, BT_IND_RSI_DAILY, i);
  out->mvrv_z_score = present_value (table, BT_IND_MVRV_Z_SCORE, i);
  out->kelly_win_rate = NAN;
  out->kelly_payoff = NAN;
  out->worst_fall = NAN;
  out->worst_fall_from = BT_DAY_INVALID;
  out->worst_fall_to = BT_DAY_INVALID;
  out->liquidation_threshold = NAN;
}

void
bt_worst_fall_series (const BtHistory *history,
                      guint            window,
                      double          *fall,
                      BtDay           *from,
                      BtDay           *to)
{
  const double *close, *low;
  double worst = NAN;
  BtDay wf = BT_DAY_INVALID, wt = BT_DAY_INVALID;

  g_return_if_fail (history != NULL);
  g_return_if_fail (fall != NULL || history->n_days == 0);

  close = history->input[BT_INPUT_CLOSE];
  low = history->input[BT_INPUT_LOW];
  for (guint j = 0; j < history->n_days; j++)
    {
      double lo = low != NULL && isfinite (low[j]) ? low[j] : close[j];

      if (window > 0 && isfinite (lo))
        {
          double ref = NAN;
          guint ref_i = 0;

          for (guint k = 1; k <= window && k <= j; k++)
            if (isfinite (close[j - k]) && !(close[j - k] <= ref))
              {
                ref = close[j - k];
                ref_i = j - k;
              }
          if (ref > 0 && lo < ref && !(1.0 - lo / ref <= worst))
            {
              worst = 1.0 - lo / ref;
              wf = history->first_day + (BtDay) ref_i;
              wt = history->first_day + (BtDay) j;
            }
        }
      fall[j] = worst;
      if (from != NULL)
        from[j] = wf;
      if (to != NULL)
        to[j] = wt;
    }
}

char *
bt_scores_dup_confidence_hint (const BtScores *scores,
                               const BtRules  *rules)
{
  Weights w;
  BtItem missing[BT_N_ITEMS];
  double share[BT_N_ITEMS];
  guint n = 0;
  g_autoptr(GString) names = g_string_new (NULL);

  g_return_val_if_fail (scores != NULL && rules != NULL, NULL);

  weights_prepare (rules, &w);
  if (!(w.nominal_total > 0))
    return NULL;
  for (guint c = 0; c < BT_N_CATEGORIES; c++)
    for (guint m = 0; m < w.n_members[c]; m++)
      if (isnan (scores->item_score[w.member[c][m]]) && w.nominal[c][m] > 0)
        {
          guint k = n++;

          /* insertion by descending share */
          while (k > 0 && share[k - 1] < w.nominal[c][m] / w.nominal_total)
            {
              missing[k] = missing[k - 1];
              share[k] = share[k - 1];
              k--;
            }
          missing[k] = w.member[c][m];
          share[k] = w.nominal[c][m] / w.nominal_total;
        }
  if (n == 0)
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append_printf (names, "%s (+%.0f)", bt_item_name (missing[i]), share[i] * 100);
    }
  return g_strdup_printf (_("Confidence %.0f %%: data for %s would lift it to 100 %%."),
                          scores->confidence, names->str);
}
