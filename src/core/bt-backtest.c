#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "bt-backtest.h"
#include "bt-backtest-private.h"
#include "bt-base.h"
#include "bt-scoring.h"

G_DEFINE_QUARK (bt-backtest-error-quark, bt_backtest_error)

/* Health factor under which a liquidation repays the whole debt (Aave v3). */
#define FULL_CLOSE_HF 0.95
/* How often (in days) the loop looks at the GCancellable. */
#define CANCEL_CHECK_MASK 255u
/* A run reports its progress at most this many times (plus once at the end). */
#define PROGRESS_STEPS 100u
/* Relative size of a rounding residue (a debt left by buying exactly the
 * cash held, or by selling exactly enough to repay the debt). */
#define DUST 1e-12
/* A fall through several liquidation prices in one day liquidates again,
 * each time at the new price where HF = 1, up to this many times. */
#define MAX_LIQUIDATIONS_PER_DAY 16u
/* A sell leaving less BTC than this (USD) sells it all. */
#define MIN_POSITION_USD 0.01

/* ------------------------------------------------------------------------ */
/* results                                                                  */
/* ------------------------------------------------------------------------ */

static void
clear_trade (gpointer data)
{
  BtBacktestTrade *trade = data;

  g_clear_pointer (&trade->reason, g_free);
}

BtBacktestResult *
bt_backtest_result_new (void)
{
  BtBacktestResult *result = g_new0 (BtBacktestResult, 1);

  result->first_day = BT_DAY_INVALID;
  result->last_day = BT_DAY_INVALID;
  result->trades = g_array_new (FALSE, TRUE, sizeof (BtBacktestTrade));
  g_array_set_clear_func (result->trades, clear_trade);
  return result;
}

double **
_bt_backtest_result_series (BtBacktestResult *result,
                            guint             i)
{
  double **series[BT_BACKTEST_N_SERIES] = {
    &result->equity, &result->btc_price, &result->leverage, &result->health_factor,
  };

  g_return_val_if_fail (i < BT_BACKTEST_N_SERIES, NULL);
  return series[i];
}

void
bt_backtest_result_free (BtBacktestResult *result)
{
  if (result == NULL)
    return;
  g_free (result->id);
  for (guint i = 0; i < BT_BACKTEST_N_SERIES; i++)
    g_free (*_bt_backtest_result_series (result, i));
  g_array_unref (result->trades);
  g_free (result);
}

/* ------------------------------------------------------------------------ */
/* the daily loop                                                           */
/* ------------------------------------------------------------------------ */

typedef struct
{
  /* inputs */
  const BtBacktestConfig *config;
  const BtHistory        *history;
  const BtIndicatorTable *table;
  const BtScores         *scores;
  BtRules                 rules;        /* config rules, max_leverage capped */
  double                  fee;          /* fractions */
  double                  slip;
  double                  daily_rate;
  /* state */
  double   btc;
  double   debt;
  double   cash;
  double   cost;                        /* USD cost of the BTC held (fills, no fees) */
  /* decision carried to the next day */
  gboolean         pending;
  BtDecision       decision;
  BtDecisionInputs decision_inputs;
  BtPositionState  decision_position;
  gint64           last_ti;             /* table index of the latest close seen, -1: none */
  double           above_cap_run;       /* closes in a row above the cap so far */
  double          *worst_fall;          /* per history day (NULL: crash guard off) */
  BtDay           *worst_from;
  BtDay           *worst_to;
  double          *returns;             /* r_t of the days so far */
  /* output */
  BtBacktestResult  *result;            /* NULL: metrics only */
  BtBacktestMetrics *metrics;
  double   sells, wins, losses, gross_win, gross_loss, pnl_sum;
  /* progress: days done of the run, at most PROGRESS_STEPS reports */
  void   (*progress) (guint done, guint total, gpointer data);
  gpointer progress_data;
} Run;

static double
equity_at (const Run *run,
           double     price)
{
  return run->btc * price + run->cash - run->debt;
}

static void
record_trade (Run                    *run,
              BtDay                   day,
              BtAction                action,
              const BtDecisionInputs *inputs,
              double                  market_price,
              double                  fill,
              double                  btc_amount,
              double                  fee_usd,
              double                  size_pct,
              double                  leverage_before,
              double                  pnl_usd,
              double                  pnl_pct,
              char                   *reason)
{
  double equity = equity_at (run, market_price);

  run->metrics->total_trades += 1;
  run->metrics->fees_paid += fee_usd;
  if (action == BT_ACTION_REDUCE || action == BT_ACTION_EXIT || action == BT_ACTION_LIQUIDATION)
    {
      run->sells += 1;
      run->pnl_sum += pnl_usd;
      if (pnl_usd > 0)
        {
          run->wins += 1;
          run->gross_win += pnl_usd;
        }
      else if (pnl_usd < 0)
        {
          run->losses += 1;
          run->gross_loss += pnl_usd;
        }
    }

  if (run->result != NULL)
    {
      BtBacktestTrade trade;

      trade.day = day;
      trade.action = action;
      trade.reason = reason;
      trade.score_market = inputs->market;
      trade.mvrv_z_score = inputs->mvrv_z_score;
      trade.ema144_distance = inputs->ema144_distance;
      trade.rsi_daily = inputs->rsi_daily;
      trade.price = fill;
      trade.market_price = market_price;
      trade.btc_amount = btc_amount;
      trade.fee_usd = fee_usd;
      trade.size_pct = size_pct;
      trade.leverage_before = leverage_before;
      trade.leverage_after = equity > 0 ? run->btc * market_price / equity : NAN;
      trade.debt_after = run->debt;
      trade.pnl_usd = pnl_usd;
      trade.pnl_pct = pnl_pct;
      trade.portfolio_value = equity;
      g_array_append_val (run->result->trades, trade);
    }
  else
    g_free (reason);
}

/* Buy BTC at market price P (fill P × (1 + slippage), fee on the notional)
 * until leverage, marked at P, reaches TARGET: with E the equity, B the BTC
 * held and c = fill × (1 + fee) the cash spent per BTC, buying x BTC leaves
 * equity E − x (c − P), so (B + x) P = TARGET (E − x (c − P)) gives
 * x = (TARGET E − B P) / (P + TARGET (c − P)).  Cash pays first, then debt;
 * the debt never passes ltv × collateral: x ≤ (ltv B P − D + cash) / (c − ltv P). */
static double
buy_amount (const Run *run,
            double     price,
            double     target)
{
  double fill = price * (1.0 + run->slip);
  double c = fill * (1.0 + run->fee);
  double e = equity_at (run, price);
  double x = (target * e - run->btc * price) / (price + target * (c - price));
  double x_max = (run->config->ltv * run->btc * price - run->debt + run->cash) /
                 (c - run->config->ltv * price);

  if (x > x_max)
    x = x_max;
  return x > 0 ? x : 0;
}

/* Sell: fill P × (1 − slippage), proceeds q = fill × (1 − fee) per BTC;
 * selling x leaves equity E − x (P − q), so (B − x) P = TARGET (E − x (P − q))
 * gives x = (B P − TARGET E) / (P − TARGET (P − q)); TARGET 0 sells all. */
static double
sell_amount (const Run *run,
             double     price,
             double     target)
{
  double fill = price * (1.0 - run->slip);
  double q = fill * (1.0 - run->fee);
  double e = equity_at (run, price);
  double x;

  if (target <= 0)
    return run->btc;
  x = (run->btc * price - target * e) / (price - target * (price - q));
  /* never leave less than a cent of BTC behind (halving a position day
   * after day would otherwise keep a position of a few satoshis forever) */
  if (x > run->btc || (run->btc - x) * price < MIN_POSITION_USD)
    x = run->btc;
  return x > 0 ? x : 0;
}

/* X BTC (at most all of them) leave the position, at the average cost AVG. */
static void
remove_btc (Run    *run,
            double  x,
            double  avg)
{
  if (x >= run->btc)
    {
      run->btc = 0;
      run->cost = 0;
    }
  else
    {
      run->btc -= x;
      run->cost -= x * avg;
    }
}

/* A fill of X BTC at market PRICE: bought when BUY (cash first, then
 * borrowed), else sold (repaying the debt first). */
static void
execute_fill (Run                    *run,
              BtDay                   day,
              BtAction                action,
              const BtDecisionInputs *inputs,
              double                  price,
              double                  x,
              gboolean                buy,
              char                   *reason)
{
  double fill = buy ? price * (1.0 + run->slip) : price * (1.0 - run->slip);
  double fee = x * fill * run->fee;
  double equity = equity_at (run, price);
  double lev_before = equity > 0 ? run->btc * price / equity : NAN;

  if (buy)
    {
      double spend = x * fill + fee;
      double from_cash = MIN (run->cash, spend);
      double borrow = spend - from_cash;

      /* buying exactly the cash held (1.0× from cash) must not leave a debt of
       * one rounding error */
      if (borrow <= spend * DUST)
        borrow = 0;
      run->cash -= from_cash;
      run->debt += borrow;
      run->btc += x;
      run->cost += x * fill;
      record_trade (run, day, action, inputs, price, fill, x, fee,
                    equity > 0 ? x * price / equity * 100.0 : NAN,
                    lev_before, 0.0, 0.0, reason);
    }
  else
    {
      double proceeds = x * fill - fee;
      double avg = run->cost / run->btc;
      double repay = MIN (run->debt, proceeds);
      double size_pct = x / run->btc * 100.0;
      double pnl = x * (fill - avg);
      double pnl_pct = (fill / avg - 1.0) * 100.0;

      run->debt -= repay;
      run->cash += proceeds - repay;
      /* reducing to exactly 1.0× repays the whole debt: drop the rounding residue */
      if (run->debt <= proceeds * DUST)
        run->debt = 0;
      remove_btc (run, x, avg);
      record_trade (run, day, action, inputs, price, fill, -x, fee, size_pct, lev_before,
                    pnl, pnl_pct, reason);
    }
}

static double
health_factor (const Run *run,
               double     price)
{
  return run->btc * price * run->config->liquidation_threshold / run->debt;
}

/* Aave v3 liquidation at market price P (HF(P) ≤ 1): repay half the debt
 * (all of it when HF(P) < 0.95), seize collateral worth repaid × (1 + bonus)
 * at P, so the BTC leaves at an effective price P / (1 + bonus). */
static void
latest_inputs (const Run        *run,
               BtDecisionInputs *out)
{
  if (run->last_ti >= 0)
    bt_decision_inputs_from_day (run->table, run->scores, (guint) run->last_ti, out);
  else
    {
      memset (out, 0, sizeof *out);
      out->market = out->confidence = out->ema144_distance = NAN;
      out->rsi_daily = out->mvrv_z_score = out->price = NAN;
      out->worst_fall = out->liquidation_threshold = NAN;
      out->worst_fall_from = out->worst_fall_to = BT_DAY_INVALID;
    }
  out->kelly_win_rate = NAN;
  out->kelly_payoff = NAN;
}

static void
liquidate (Run   *run,
           BtDay  day,
           double price)
{
  double hf = health_factor (run, price);
  double bonus = run->config->liquidation_bonus;
  double repay = hf < FULL_CLOSE_HF ? run->debt : run->debt * 0.5;
  double seized = repay * (1.0 + bonus) / price;
  double equity = equity_at (run, price);
  double lev_before = equity > 0 ? run->btc * price / equity : NAN;
  double fill = price / (1.0 + bonus);
  double avg = run->cost / run->btc;
  double size_pct, pnl;
  char *reason = NULL;
  BtDecisionInputs inputs;

  /* the trade carries the scores of the latest close known before it */
  latest_inputs (run, &inputs);
  if (seized >= run->btc)
    {
      seized = run->btc;
      repay = seized * fill;
    }
  size_pct = seized / run->btc * 100.0;
  pnl = seized * (fill - avg);

  run->debt = repay >= run->debt ? 0 : run->debt - repay;
  remove_btc (run, seized, avg);
  run->metrics->liquidations += 1;
  if (run->result != NULL)
    reason = g_strdup_printf (_("Liquidation: the health factor fell to %.3f at %.2f USD; "
                                "%.2f USD of debt repaid, %.8f BTC seized with a %.1f %% bonus."),
                              hf, price, repay, seized, bonus * 100.0);
  record_trade (run, day, BT_ACTION_LIQUIDATION, &inputs, price, fill, -seized, 0.0,
                size_pct, lev_before, pnl, (fill / avg - 1.0) * 100.0, reason);
}

static void
execute_pending (Run   *run,
                 BtDay  day,
                 double price)
{
  const BtDecision *d = &run->decision;
  double equity = equity_at (run, price);
  /* docs/rulebook.md §5.3: no fill smaller than the minimum trade */
  double min_trade = run->rules.min_trade_pct / 100.0;
  double lev, target, x;
  char *reason = NULL;

  run->pending = FALSE;
  if (!(equity > 0))
    return;
  lev = run->btc * price / equity;
  switch (d->action)
    {
    case BT_ACTION_ENTER:
      target = MIN (run->rules.entry_leverage, run->config->max_leverage);
      break;
    case BT_ACTION_ADD:
      target = MIN (lev + d->size_percent / 100.0, d->ladder_max);
      target = MIN (target, run->config->max_leverage);
      break;
    case BT_ACTION_REDUCE:
      target = lev * (1.0 - d->size_percent / 100.0);
      break;
    case BT_ACTION_EXIT:
      target = 0;
      break;
    case BT_ACTION_HOLD:
    case BT_ACTION_LIQUIDATION:
    case BT_N_ACTIONS:
    default:
      return;
    }
  if (!isfinite (target))
    return;

  if (target > lev)
    x = buy_amount (run, price, target);
  else if (target < lev && run->btc > 0)
    x = sell_amount (run, price, target);
  else
    return;
  if (x <= 0 || x * price < min_trade * equity)
    return;
  if (run->result != NULL)
    reason = bt_decision_dup_reason (d, &run->decision_inputs, &run->decision_position,
                                     &run->rules);
  execute_fill (run, day, d->action, &run->decision_inputs, price, x, target > lev, reason);
}

static void
decide (Run    *run,
        BtDay   day,
        double  price,
        double  equity)
{
  gint64 ti = (gint64) day - run->table->first_day;
  BtDecisionInputs inputs;
  BtPositionState position;
  BtDecision decision;

  if (ti < 0 || ti >= run->table->n_days)
    return;
  bt_decision_inputs_from_day (run->table, run->scores, (guint) ti, &inputs);
  inputs.kelly_win_rate = NAN;
  inputs.kelly_payoff = NAN;
  inputs.liquidation_threshold = run->config->liquidation_threshold;
  if (run->worst_fall != NULL)
    {
      gssize hi = bt_history_index (run->history, day);

      if (hi >= 0)
        {
          inputs.worst_fall = run->worst_fall[hi];
          inputs.worst_fall_from = run->worst_from[hi];
          inputs.worst_fall_to = run->worst_to[hi];
        }
    }
  run->last_ti = ti;
  if (!(equity > 0))
    return;

  bt_position_evaluate (run->btc * price, run->debt, run->config->liquidation_threshold, NAN,
                        price, &run->rules, &position);
  position.has_position = run->btc > 0;
  position.leverage = run->btc * price / equity;
  bt_decide (&run->rules, &inputs, &position, &decision);
  if (position.leverage > MIN (decision.ladder_max, run->rules.max_leverage) *
                          (1.0 + run->rules.trim_tolerance_pct / 100.0))
    {
      run->above_cap_run += 1;
      if (run->above_cap_run > run->metrics->max_days_above_cap)
        run->metrics->max_days_above_cap = run->above_cap_run;
    }
  else
    run->above_cap_run = 0;
  if (decision.rule == BT_RULE_INSUFFICIENT_DATA)
    {
      /* gating you can see: the days held for want of data, and what was missing */
      const BtScores *sc = &run->scores[ti];

      run->metrics->blocked_days += 1;
      for (guint item = 0; item < BT_N_ITEMS; item++)
        if (isnan (sc->item_score[item]) && run->rules.item_weight[item] > 0 &&
            run->rules.category_weight[bt_item_category (item)] > 0)
          run->metrics->blocked_missing[item] += 1;
    }
  if (decision.action != BT_ACTION_HOLD)
    {
      run->pending = TRUE;
      run->decision = decision;
      run->decision_inputs = inputs;
      run->decision_position = position;
    }
}

static gboolean
run_loop (Run           *run,
          BtDay          first,
          BtDay          last,
          GCancellable  *cancellable,
          GError       **error)
{
  const BtHistory *h = run->history;
  BtBacktestMetrics *m = run->metrics;
  BtBacktestResult *result = run->result;
  guint n = (guint) (last - first + 1);
  gsize h0 = (gsize) bt_history_index (h, first);
  const double *open = h->input[BT_INPUT_OPEN] + h0;
  const double *low = h->input[BT_INPUT_LOW] + h0;
  const double *close = h->input[BT_INPUT_CLOSE] + h0;
  double price = close[0];
  double prev_equity = NAN, peak = NAN, e0 = NAN;
  double mean = 0, m2 = 0, down = 0;
  guint n_r = 0;
  double exposed = 0, dd_run = 0;
  guint progress_every = (n + PROGRESS_STEPS - 1) / PROGRESS_STEPS;   /* < 100 reports in the loop */

  run->last_ti = -1;
  run->cash = run->config->initial_capital;
  m->initial_capital = run->config->initial_capital;
  e0 = prev_equity = peak = run->config->initial_capital;
  m->e0 = e0;
  m->max_leverage_reached = 0;
  m->min_health_factor = NAN;
  m->max_drawdown = 0;
  m->max_drawdown_days = 0;

  for (guint k = 0; k < n; k++)
    {
      BtDay day = first + (BtDay) k;
      double equity, lev, hf;

      if ((k & CANCEL_CHECK_MASK) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (run->progress != NULL && k > 0 && k % progress_every == 0)
        run->progress (k, n, run->progress_data);

      if (k == 0)
        {
          if (run->config->start_mode == BT_START_INVESTED)
            {
              gint64 ti = (gint64) day - run->table->first_day;
              BtDecisionInputs inputs;
              double x = buy_amount (run, price, 1.0);

              if (ti >= 0 && ti < run->table->n_days)
                {
                  bt_decision_inputs_from_day (run->table, run->scores, (guint) ti, &inputs);
                  inputs.kelly_win_rate = inputs.kelly_payoff = NAN;
                }
              else
                latest_inputs (run, &inputs);
              if (x > 0)
                execute_fill (run, day, BT_ACTION_ENTER, &inputs, price, x, TRUE,
                              result != NULL ? g_strdup (_("Initial position: 1.0× bought at the first "
                                                          "day’s close (start mode “invested”).")) : NULL);
            }
        }
      else
        {
          /* 1. open: liquidation of the carried position, then the pending action */
          if (isfinite (open[k]))
            {
              if (run->debt > 0 && run->btc > 0 && health_factor (run, open[k]) < 1.0)
                liquidate (run, day, open[k]);
              if (run->pending)
                execute_pending (run, day, open[k]);
            }
          /* 2. low (the close when the low is unknown) */
          for (guint rep = 0; rep < MAX_LIQUIDATIONS_PER_DAY && run->debt > 0 && run->btc > 0; rep++)
            {
              double lo = isfinite (low[k]) ? low[k] : close[k];
              double p_star = run->debt / (run->btc * run->config->liquidation_threshold);

              if (!(lo < p_star))
                break;
              liquidate (run, day, isfinite (open[k]) && open[k] < p_star ? open[k] : p_star);
            }
          /* 3. close: the pending action when there was no open, then interest */
          if (isfinite (close[k]))
            {
              if (run->pending && !isfinite (open[k]))
                execute_pending (run, day, close[k]);
              price = close[k];
            }
          if (run->debt > 0)
            {
              double interest = run->debt * run->daily_rate;

              run->debt += interest;
              m->interest_paid += interest;
            }
        }

      /* mark to the close */
      equity = equity_at (run, price);
      lev = equity > 0 ? run->btc * price / equity : NAN;
      hf = run->debt > 0 ? health_factor (run, price) : NAN;
      if (result != NULL)
        {
          result->equity[k] = equity;
          result->btc_price[k] = price;
          result->leverage[k] = lev;
          result->health_factor[k] = hf;
        }
      /* E_0 is the initial capital (docs/rulebook.md §7): the first day's return and
       * drawdown include the cost of the first fills */
      if (prev_equity > 0)
        {
          run->returns[n_r++] = equity / prev_equity - 1.0;
          if (equity > peak)
            peak = equity;
        }
      if (equity < peak)
        {
          double dd = (1.0 - equity / peak) * 100.0;

          if (dd > m->max_drawdown)
            m->max_drawdown = dd;
          dd_run += 1;
          if (dd_run > m->max_drawdown_days)
            m->max_drawdown_days = dd_run;
        }
      else
        dd_run = 0;
      if (run->btc > 0)
        exposed += 1;
      if (lev > m->max_leverage_reached)
        m->max_leverage_reached = lev;
      if (isfinite (hf) && !(hf >= m->min_health_factor))
        m->min_health_factor = hf;
      prev_equity = equity;

      /* decision at the close, executed the next day */
      decide (run, day, price, equity);
    }

  /* metrics */
  {
    double d = (double) (last - first);
    double et = prev_equity;

    m->n_days = n;
    m->final_value = et;
    m->total_return = (et / e0 - 1.0) * 100.0;
    if (d > 0)
      m->cagr = et > 0 ? (pow (et / e0, 365.0 / d) - 1.0) * 100.0 : -100.0;
    else
      m->cagr = NAN;
    /* two passes over the returns: mean, then squared deviations */
    for (guint i = 0; i < n_r; i++)
      mean += run->returns[i];
    mean /= MAX (n_r, 1);
    for (guint i = 0; i < n_r; i++)
      {
        double r = run->returns[i];

        m2 += (r - mean) * (r - mean);
        if (r < 0)
          down += r * r;
      }
    m->sharpe_ratio = n_r >= 2 && m2 > 0 ? mean / sqrt (m2 / (n_r - 1)) * sqrt (365.0) : NAN;
    m->sortino_ratio = n_r >= 1 && down > 0 ? mean / sqrt (down / n_r) * sqrt (365.0) : NAN;
    m->calmar_ratio = m->max_drawdown > 0 ? m->cagr / m->max_drawdown : NAN;
    m->selling_trades = run->sells;
    m->winning_trades = run->wins;
    m->losing_trades = run->losses;
    m->win_rate = run->sells > 0 ? run->wins / run->sells * 100.0 : NAN;
    m->profit_factor = run->losses > 0 ? run->gross_win / -run->gross_loss : NAN;
    m->avg_win = run->wins > 0 ? run->gross_win / run->wins : NAN;
    m->avg_loss = run->losses > 0 ? run->gross_loss / run->losses : NAN;
    m->expectancy = run->sells > 0 ? run->pnl_sum / run->sells : NAN;
    m->btc_hold_return = (close[n - 1] / close[0] - 1.0) * 100.0;
    m->outperformance = m->total_return - m->btc_hold_return;
    m->exposure_pct = exposed / n * 100.0;
  }
  if (run->progress != NULL)
    run->progress (n, n, run->progress_data);
  return TRUE;
}

/* Validate, resolve the period, pick or compute the scores, run. */
static gboolean
run_config (const BtBacktestConfig  *config,
            const BtBacktestInputs  *inputs,
            GCancellable            *cancellable,
            void                   (*progress) (guint, guint, gpointer),
            gpointer                 progress_data,
            BtBacktestResult        *result,
            BtBacktestMetrics       *metrics,
            GError                 **error)
{
  g_autofree BtScores *own_scores = NULL;
  g_autofree double *returns = NULL;
  g_autofree double *worst_fall = NULL;
  g_autofree BtDay *worst_from = NULL;
  g_autofree BtDay *worst_to = NULL;
  Run run;
  BtDay first, last;

  g_return_val_if_fail (inputs != NULL && inputs->history != NULL && inputs->table != NULL, FALSE);

  if (!bt_backtest_config_validate (config, NULL, error) ||
      !bt_backtest_config_resolve_period (config, inputs->history, &first, &last, error))
    return FALSE;

  memset (&run, 0, sizeof run);
  memset (metrics, 0, sizeof *metrics);
  run.config = config;
  run.history = inputs->history;
  run.table = inputs->table;
  run.rules = config->rules;
  run.rules.max_leverage = MIN (run.rules.max_leverage, config->max_leverage);
  run.fee = config->fee_pct / 100.0;
  run.slip = config->slippage_pct / 100.0;
  run.daily_rate = config->borrow_apr_pct / 100.0 / 365.0;
  run.metrics = metrics;
  run.result = result;
  run.progress = progress;
  run.progress_data = progress_data;

  if (inputs->scores != NULL &&
      (inputs->score_rules == NULL || bt_backtest_rules_same_scores (inputs->score_rules, &config->rules)))
    run.scores = inputs->scores;
  else
    {
      own_scores = g_new0 (BtScores, MAX (inputs->table->n_days, 1));
      bt_scores_compute_all (inputs->table, &config->rules, own_scores);
      run.scores = own_scores;
    }

  if (result != NULL)
    {
      guint n = (guint) (last - first + 1);

      result->config = *config;
      result->first_day = first;
      result->last_day = last;
      result->n_days = n;
      result->data_version = inputs->history->data_version;
      for (guint i = 0; i < BT_BACKTEST_N_SERIES; i++)
        *_bt_backtest_result_series (result, i) = g_new (double, n);
    }
  returns = g_new (double, (gsize) (last - first + 1));
  run.returns = returns;
  if (run.rules.crash_window_days > 0 && inputs->history->n_days > 0)
    {
      /* the history up to the run's last day is all a decision may see */
      BtHistory upto = *inputs->history;
      guint nh;

      upto.n_days = (guint) bt_history_index (inputs->history, last) + 1;
      nh = upto.n_days;
      worst_fall = g_new (double, nh);
      worst_from = g_new (BtDay, nh);
      worst_to = g_new (BtDay, nh);
      bt_worst_fall_series (&upto, run.rules.crash_window_days, worst_fall,
                            worst_from, worst_to);
      run.worst_fall = worst_fall;
      run.worst_from = worst_from;
      run.worst_to = worst_to;
    }
  return run_loop (&run, first, last, cancellable, error);
}

BtBacktestResult *
bt_backtest_run (const BtBacktestConfig  *config,
                 const BtBacktestInputs  *inputs,
                 GCancellable            *cancellable,
                 GError                 **error)
{
  g_autoptr(BtBacktestResult) result = bt_backtest_result_new ();

  g_return_val_if_fail (config != NULL, NULL);

  if (!run_config (config, inputs, cancellable, NULL, NULL, result, &result->metrics, error))
    return NULL;
  return g_steal_pointer (&result);
}

gboolean
bt_backtest_run_metrics (const BtBacktestConfig  *config,
                         const BtBacktestInputs  *inputs,
                         GCancellable            *cancellable,
                         BtBacktestMetrics       *metrics,
                         GError                 **error)
{
  g_return_val_if_fail (config != NULL && metrics != NULL, FALSE);

  return run_config (config, inputs, cancellable, NULL, NULL, NULL, metrics, error);
}

/* ---- async ---- */

typedef struct
{
  BtProgressTarget          target;          /* first: see _bt_progress_report() */
  BtBacktestConfig          config;
  BtBacktestInputs          inputs;
  BtBacktestProgressFunc    progress;
  double                    last_fraction;   /* the last one reported, in the caller's context */
} RunTaskData;

static void
run_task_data_free (gpointer data)
{
  RunTaskData *d = data;

  _bt_progress_target_clear (&d->target);
  g_free (d);
}

void
_bt_progress_target_init (BtProgressTarget *target,
                          gpointer          data,
                          GDestroyNotify    notify,
                          GSourceFunc       invoke,
                          const char       *name)
{
  target->data = data;
  target->notify = notify;
  target->context = g_main_context_ref_thread_default ();
  target->invoke = invoke;
  target->name = name;
}

void
_bt_progress_target_clear (BtProgressTarget *target)
{
  if (target->notify != NULL)
    target->notify (target->data);
  g_clear_pointer (&target->context, g_main_context_unref);
}

static void
progress_call_free (gpointer data)
{
  BtProgressCall *call = data;

  g_object_unref (call->task);
  g_free (call);
}

void
_bt_progress_report (guint    done,
                     guint    total,
                     gpointer task)
{
  const BtProgressTarget *target = g_task_get_task_data (task);
  BtProgressCall *call = g_new0 (BtProgressCall, 1);
  GSource *source = g_idle_source_new ();

  call->task = g_object_ref (task);
  call->done = done;
  call->total = total;
  /* Always through an idle source in the caller's context, never
   * g_main_context_invoke: that calls the function right here in the
   * worker thread whenever it can acquire the (default) context, ahead of
   * reports still queued, so the caller would see fractions out of order
   * and from the wrong thread.  Idle sources of one priority are
   * dispatched in the order they were attached. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, target->invoke, call, progress_call_free);
  g_source_set_static_name (source, target->name);
  g_source_attach (source, target->context);
  g_source_unref (source);
}

void
_bt_progress_task_start (GTask           *task,
                         gpointer         source_tag,
                         gpointer         task_data,
                         GDestroyNotify   task_data_free,
                         GTaskThreadFunc  thread)
{
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, task_data, task_data_free);
  g_task_run_in_thread (task, thread);
  g_object_unref (task);
}

gpointer
_bt_progress_task_finish (GAsyncResult  *result,
                          gpointer       source_tag,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_is_valid (result, g_task_get_source_object (G_TASK (result))), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
progress_invoke_cb (gpointer user_data)
{
  BtProgressCall *call = user_data;
  RunTaskData *d = g_task_get_task_data (call->task);
  double fraction = call->total > 0 ? (double) call->done / call->total : 1.0;

  /* a cancelled run reports nothing more, and the fraction never goes back */
  if (!g_cancellable_is_cancelled (g_task_get_cancellable (call->task))
      && fraction > d->last_fraction)
    {
      d->last_fraction = fraction;
      d->progress (fraction, d->target.data);
    }
  return G_SOURCE_REMOVE;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunTaskData *d = task_data;
  GError *error = NULL;
  g_autoptr(BtBacktestResult) result = bt_backtest_result_new ();

  if (!run_config (&d->config, &d->inputs, cancellable, d->progress != NULL ? _bt_progress_report : NULL,
                   task, result, &result->metrics, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) bt_backtest_result_free);
}

void
bt_backtest_run_async (GObject                *source_object,
                       const BtBacktestConfig *config,
                       const BtBacktestInputs *inputs,
                       GCancellable           *cancellable,
                       BtBacktestProgressFunc  progress,
                       gpointer                progress_data,
                       GDestroyNotify          progress_notify,
                       GAsyncReadyCallback     callback,
                       gpointer                user_data)
{
  RunTaskData *data;

  g_return_if_fail (source_object == NULL || G_IS_OBJECT (source_object));
  g_return_if_fail (config != NULL && inputs != NULL);

  data = g_new0 (RunTaskData, 1);
  data->config = *config;
  data->inputs = *inputs;
  data->progress = progress;
  _bt_progress_target_init (&data->target, progress_data, progress_notify, progress_invoke_cb,
                            "[btc-turbo] backtest progress");
  _bt_progress_task_start (g_task_new (source_object, cancellable, callback, user_data),
                           bt_backtest_run_async, data, run_task_data_free, run_thread);
}

BtBacktestResult *
bt_backtest_run_finish (GAsyncResult  *result,
                        GError       **error)
{
  return _bt_progress_task_finish (result, bt_backtest_run_async, error);
}

/* ------------------------------------------------------------------------ */
/* coverage of a period                                                     */
/* ------------------------------------------------------------------------ */

void
bt_backtest_coverage (const BtBacktestInputs *inputs,
                      const BtRules          *rules,
                      BtDay                   from,
                      BtDay                   to,
                      BtBacktestCoverage     *out)
{
  const BtHistory *h;

  g_return_if_fail (inputs != NULL && inputs->history != NULL && rules != NULL && out != NULL);

  memset (out, 0, sizeof *out);
  h = inputs->history;
  for (BtDay d = from; d <= to && d != BT_DAY_INVALID; d++)
    {
      gssize i = bt_history_index (h, d);
      gint64 ti = inputs->table != NULL ? (gint64) d - inputs->table->first_day : -1;

      out->n_days++;
      if (i >= 0 && isfinite (h->input[BT_INPUT_CLOSE][i]))
        out->price_days++;
      if (inputs->scores == NULL || inputs->table == NULL || ti < 0 || ti >= inputs->table->n_days)
        {
          out->blocked_days++;
          continue;
        }
      for (guint k = 0; k < BT_N_ITEMS; k++)
        out->item_days[k] += !isnan (inputs->scores[ti].item_score[k]);
      out->blocked_days += !(inputs->scores[ti].confidence >= rules->min_confidence);
    }
}

char *
bt_backtest_coverage_dup_warning (const BtBacktestCoverage *coverage,
                                  const BtRules            *rules,
                                  BtDay                     from,
                                  BtDay                     to)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) names = g_string_new (NULL);
  char a[16], b[16];

  g_return_val_if_fail (coverage != NULL && rules != NULL, NULL);

  if (coverage->price_days == coverage->n_days && coverage->blocked_days == 0)
    return NULL;
  bt_day_format (from, a);
  bt_day_format (to, b);
  if (coverage->price_days < coverage->n_days)
    g_string_append_printf (out, _("%u of the %u days from %s to %s have no price."),
                            coverage->n_days - coverage->price_days, coverage->n_days, a, b);
  if (coverage->blocked_days > 0)
    {
      for (guint k = 0; k < BT_N_ITEMS; k++)
        if (rules->item_weight[k] > 0 && rules->category_weight[bt_item_category (k)] > 0 &&
            coverage->item_days[k] < coverage->n_days)
          {
            if (names->len > 0)
              g_string_append (names, ", ");
            g_string_append_printf (names, "%s (%u)", bt_item_name (k),
                                    coverage->n_days - coverage->item_days[k]);
          }
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, _("On %u of the %u days the decisions will be held for want of "
                                     "data (confidence below %.0f %%). Days missing per input: %s."),
                              coverage->blocked_days, coverage->n_days, rules->min_confidence,
                              names->str);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
