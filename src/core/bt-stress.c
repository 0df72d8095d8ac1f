/* bt-stress.c: liquidation stress against the worst falls of the history
 * (the formulas are in bt-stress.h). */
#include <glib/gi18n-lib.h>
#include <math.h>

#include "bt-base.h"
#include "bt-stress.h"
#include "bt-stress-private.h"

const guint bt_stress_window_days[BT_STRESS_N_WINDOWS] = { 1, 2, 3, 7, 30 };

G_DEFINE_QUARK (bt-stress-error-quark, bt_stress_error)

/* 1 / (1 − (1 − d)·LT) for a fall D (fraction); +∞ when no leverage is
 * liquidated by it. */
static double
safe_leverage (double fall,
               double lt)
{
  double denominator;

  if (!isfinite (fall) || !isfinite (lt))
    return NAN;
  denominator = 1 - (1 - fall) * lt;
  if (!(denominator > 0))
    return INFINITY;
  return 1 / denominator;
}

void
bt_stress_compute_windows (const BtHistory *history,
                           guint            end,
                           double           distance,
                           double           lt,
                           BtStressResult  *out)
{
  BtDay first_day;
  guint n;
  const double *close, *low;

  g_return_if_fail (history != NULL && out != NULL);

  first_day = history->first_day;
  n = history->n_days;
  close = history->input[BT_INPUT_CLOSE];
  low = history->input[BT_INPUT_LOW];

  for (guint k = 0; k < BT_STRESS_N_WINDOWS; k++)
    {
      BtStressWindow *win = &out->windows[k];
      guint w = bt_stress_window_days[k];
      double worst = NAN;
      guint worst_t = 0;

      *win = (BtStressWindow) { w, 0, 0, NAN, BT_DAY_INVALID, NAN, NAN };
      if (n == 0)
        continue;
      if (end >= n)
        end = n - 1;

      /* t + w ≤ end: nothing after the day of the stress is read */
      for (guint t = 0; t + w <= end; t++)
        {
          double c0 = close[t];
          double lowest = INFINITY;
          double fall;
          gboolean complete = TRUE;

          if (!(isfinite (c0) && c0 > 0))
            continue;
          for (guint j = t + 1; j <= t + w; j++)
            {
              double v = isfinite (low[j]) ? low[j] : close[j];

              if (!isfinite (v))
                {
                  complete = FALSE;
                  break;
                }
              lowest = MIN (lowest, v);
            }
          if (!complete)
            continue;

          fall = 1 - lowest / c0;
          win->n_windows++;
          /* (1 − d)·LT·C ≤ B ⇔ d ≥ 1 − 1/HF */
          if (isfinite (distance) && fall >= distance)
            win->n_exceed++;
          if (isnan (worst) || fall > worst)
            {
              worst = fall;
              worst_t = t;
            }
        }

      if (win->n_windows == 0)
        continue;
      win->worst_fall = worst * 100;
      win->worst_start = first_day + (BtDay) worst_t;
      win->exceed_share = (double) win->n_exceed / win->n_windows * 100;
      win->safe_leverage = safe_leverage (worst, lt);
    }
}

gboolean
bt_stress_compute (const BtHistory *history,
                   BtDay            day,
                   double           collateral_usd,
                   double           debt_usd,
                   double           lt,
                   double           health_factor,
                   BtStressResult  *out,
                   GError         **error)
{
  gssize end;
  double hf = NAN, distance = NAN;
  char buf[11];

  g_return_val_if_fail (history != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  end = bt_history_index (history, day);
  if (end < 0 || !isfinite (history->input[BT_INPUT_CLOSE][end]))
    {
      g_set_error (error, BT_STRESS_ERROR, BT_STRESS_ERROR_NO_PRICE,
                   _("There is no closing price for %s"), bt_day_format (day, buf));
      return FALSE;
    }

  out->day = day;
  out->price = history->input[BT_INPUT_CLOSE][end];
  /* a reading without the threshold: HF = C·LT/B gives it back */
  if (!isfinite (lt) && isfinite (health_factor) && collateral_usd > 0 && debt_usd > 0)
    {
      double derived = health_factor * debt_usd / collateral_usd;

      if (derived > 0 && derived < 1)
        lt = derived;
    }
  out->liquidation_threshold = lt;
  /* the figures of bt_position_evaluate (SCORING.md §4) */
  if (debt_usd > 0 && isfinite (collateral_usd))
    hf = isfinite (lt) ? MAX (collateral_usd, 0) * lt / debt_usd : health_factor;
  out->health_factor = hf;
  out->liquidation_price = NAN;
  out->liquidation_distance = NAN;
  if (isfinite (hf) && hf > 0)
    {
      distance = 1 - 1 / hf;
      out->liquidation_price = out->price / hf;
      out->liquidation_distance = distance * 100;
    }
  else if (isfinite (hf))
    distance = 0;   /* nothing left to lose: any window liquidates */

  bt_stress_compute_windows (history, (guint) end, distance, lt, out);
  return TRUE;
}

/* ---- what-if ------------------------------------------------------------- */

static void
whatif_figures (double    collateral,
                double    debt,
                double    lt,
                double    price,
                BtWhatIf *out)
{
  out->price = price;
  out->collateral_usd = collateral;
  out->debt_usd = debt;
  out->leverage = collateral / (collateral - debt);
  out->health_factor = NAN;
  out->liquidation_price = NAN;
  out->liquidation_distance = NAN;
  if (debt > 0)
    {
      out->health_factor = collateral * lt / debt;
      out->liquidation_price = price / out->health_factor;
      out->liquidation_distance = (1 - 1 / out->health_factor) * 100;
    }
}

static gboolean
position_ok (double collateral,
             double debt,
             double lt,
             double price)
{
  return isfinite (collateral) && isfinite (debt) && debt >= 0 && collateral > debt
         && lt > 0 && lt < 1 && isfinite (price) && price > 0;
}

gboolean
bt_whatif_price_change (double    collateral_usd,
                        double    debt_usd,
                        double    lt,
                        double    price,
                        double    change_percent,
                        BtWhatIf *out)
{
  double factor = 1 + change_percent / 100;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!position_ok (collateral_usd, debt_usd, lt, price) || !isfinite (factor) || factor <= 0)
    return FALSE;
  whatif_figures (collateral_usd * factor, debt_usd, lt, price * factor, out);
  /* after a fall the debt may exceed the collateral: leverage has no meaning */
  if (!(out->collateral_usd > debt_usd))
    out->leverage = NAN;
  out->trade_usd = 0;
  out->trade_btc = 0;
  return TRUE;
}

gboolean
bt_whatif_leverage (double    collateral_usd,
                    double    debt_usd,
                    double    lt,
                    double    price,
                    double    target,
                    BtWhatIf *out)
{
  double equity, collateral;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!position_ok (collateral_usd, debt_usd, lt, price) || !isfinite (target) || target < 1)
    return FALSE;
  equity = collateral_usd - debt_usd;
  collateral = target * equity;
  /* liquidated at once: LT·C* ≤ B* (L ≥ 1/(1 − LT)) */
  if (target > 1 && collateral * lt <= collateral - equity)
    return FALSE;
  whatif_figures (collateral, target > 1 ? collateral - equity : 0, lt, price, out);
  out->leverage = target;
  out->trade_usd = collateral - collateral_usd;
  out->trade_btc = out->trade_usd / price;
  return TRUE;
}
