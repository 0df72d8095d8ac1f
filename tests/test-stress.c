/* test-stress.c: the liquidation stress of bt-stress.h on small series
 * worked by hand (the arithmetic is in the comments). */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "bt-base.h"
#include "bt-stress.h"
#include "bt-stress-private.h"
#include "bt-test-util.h"

#define EPS 1e-12
#define DAY0 20000   /* any day: worst_start is reported relative to it */

/*            day:   0    1    2    3    4    5
 * close:          100   90   80  120   60  100
 * low:             95   85    ?  110   50   99
 * low or close:    95   85   80  110   50   99
 *
 * Position: C = 100, B = 40, LT = 0.8: HF = 100·0.8/40 = 2, distance
 * 1 − 1/2 = 50 %.  */
static const double close6[] = { 100, 90, 80, 120, 60, 100 };
static const double low6[] = { 95, 85, NAN, 110, 50, 99 };

/* N days from DAY0 of CLOSE and LOW. */
static BtHistory *
history_of (const double *close,
            const double *low,
            guint         n)
{
  BtHistory *h = bt_history_new (DAY0, n);

  memcpy (h->input[BT_INPUT_CLOSE], close, n * sizeof (double));
  memcpy (h->input[BT_INPUT_LOW], low, n * sizeof (double));
  return h;
}

/* The windows of history_of (CLOSE, LOW, N) up to index END, for the
 * position above (distance 50 %, LT 0.8). */
static void
windows_of (const double   *close,
            const double   *low,
            guint           n,
            guint           end,
            BtStressResult *out)
{
  g_autoptr(BtHistory) h = history_of (close, low, n);

  bt_stress_compute_windows (h, end, 0.5, 0.8, out);
}

/* Every field of W against WANT (NAN fields: NAN). */
static void
assert_window (const BtStressWindow *w,
               const BtStressWindow *want)
{
  g_assert_cmpuint (w->days, ==, want->days);
  g_assert_cmpuint (w->n_windows, ==, want->n_windows);
  g_assert_cmpuint (w->n_exceed, ==, want->n_exceed);
  bt_test_assert_close (want->worst_fall, w->worst_fall, EPS);
  g_assert_cmpint (w->worst_start, ==, want->worst_start);
  bt_test_assert_close (want->exceed_share, w->exceed_share, EPS);
  bt_test_assert_close (want->safe_leverage, w->safe_leverage, EPS);
}

static void
test_windows_by_hand (void)
{
  static const BtStressWindow want[BT_STRESS_N_WINDOWS] = {
    /* w = 1, t = 0…4: 1−85/100 = .15, 1−80/90 = .1111, 1−110/80 < 0,
     * 1−50/120 = 7/12 = .58333, 1−99/60 < 0.  Worst 7/12 from day 3; one
     * of five reaches 50 %; safe leverage 1/(1 − (5/12)·0.8) = 1/(2/3) =
     * 1.5 */
    { 1, 5, 1, 700.0 / 12, DAY0 + 3, 20, 1.5 },
    /* w = 2, t = 0…3: min(85,80)=80 → .2; min(80,110)=80 → 1−80/90;
     * min(110,50)=50 → 1−50/80 = .375; min(50,99)=50 → 7/12.  1 of 4. */
    { 2, 4, 1, 700.0 / 12, DAY0 + 3, 25, 1.5 },
    /* w = 3, t = 0…2: min(85,80,110)=80 → .2; min(80,110,50)=50 →
     * 1−50/90 = 4/9; min(110,50,99)=50 → .375.  None reaches 50 %.  Safe
     * leverage 1/(1 − (5/9)·0.8) = 1/(5/9) = 1.8 */
    { 3, 3, 0, 400.0 / 9, DAY0 + 1, 0, 1.8 },
    /* w = 7 and 30: six days hold no such window */
    { 7, 0, 0, NAN, BT_DAY_INVALID, NAN, NAN },
    { 30, 0, 0, NAN, BT_DAY_INVALID, NAN, NAN },
  };
  BtStressResult r;

  windows_of (close6, low6, 6, 5, &r);
  for (guint k = 0; k < BT_STRESS_N_WINDOWS; k++)
    assert_window (&r.windows[k], &want[k]);
}

static void
test_no_look_ahead (void)
{
  double close[6], low[6];
  BtStressResult a, b;

  /* D = day 3: w = 1 sees t = 0…2 only (.15, .1111, <0): worst 15 % from
   * day 0, and the crash of day 4 is not seen */
  windows_of (close6, low6, 6, 3, &a);
  g_assert_cmpuint (a.windows[0].n_windows, ==, 3);
  bt_test_assert_close (15, a.windows[0].worst_fall, EPS);
  g_assert_cmpint (a.windows[0].worst_start, ==, DAY0);
  bt_test_assert_close (0, a.windows[0].exceed_share, EPS);

  /* changing the days after D changes nothing */
  memcpy (close, close6, sizeof close);
  memcpy (low, low6, sizeof low);
  close[4] = 1;
  low[4] = 0.5;
  low[5] = 0.1;
  windows_of (close, low, 6, 3, &b);
  for (guint k = 0; k < BT_STRESS_N_WINDOWS; k++)
    {
      g_assert_cmpuint (a.windows[k].n_windows, ==, b.windows[k].n_windows);
      bt_test_assert_close (a.windows[k].worst_fall, b.windows[k].worst_fall, EPS);
      g_assert_cmpint (a.windows[k].worst_start, ==, b.windows[k].worst_start);
    }
}

static void
test_boundary_and_gaps (void)
{
  /* a fall of exactly the distance liquidates: (1 − .5)·0.8·100 = 40 ≤ 40 */
  static const double close2[] = { 100, 100 };
  static const double low2[] = { 100, 50 };
  /* a day with neither low nor close breaks the windows across it; a day
   * without close starts none: w = 1 keeps only t = 0 (1 − 90/100) */
  static const double close4[] = { 100, 90, NAN, 80 };
  static const double low4[] = { NAN, NAN, NAN, NAN };
  BtStressResult r;

  windows_of (close2, low2, 2, 1, &r);
  g_assert_cmpuint (r.windows[0].n_windows, ==, 1);
  bt_test_assert_close (50, r.windows[0].worst_fall, EPS);
  bt_test_assert_close (100, r.windows[0].exceed_share, EPS);
  /* 1/(1 − .5·.8) = 1/.6 */
  bt_test_assert_close (1 / 0.6, r.windows[0].safe_leverage, EPS);

  windows_of (close4, low4, 4, 3, &r);
  g_assert_cmpuint (r.windows[0].n_windows, ==, 1);
  bt_test_assert_close (10, r.windows[0].worst_fall, EPS);
  g_assert_cmpuint (r.windows[1].n_windows, ==, 0);
  g_assert_cmpint (r.windows[1].worst_start, ==, BT_DAY_INVALID);

  /* rising prices: any leverage survives (1 − (1 + 1)·0.8 < 0) */
  {
    static const double up_close[] = { 100, 200 };
    static const double up_low[] = { 100, 200 };

    windows_of (up_close, up_low, 2, 1, &r);
    bt_test_assert_close (-100, r.windows[0].worst_fall, EPS);
    g_assert_true (isinf (r.windows[0].safe_leverage) && r.windows[0].safe_leverage > 0);
  }
}

static void
test_from_history (void)
{
  g_autoptr(BtHistory) h = history_of (close6, low6, 6);
  g_autoptr(GError) error = NULL;
  BtStressResult r;

  /* C = 100 000, B = 40 000, LT = 0.8 on day 5 (close 100): HF 2,
   * liquidation price 100/2 = 50, distance 50 % */
  g_assert_true (bt_stress_compute (h, DAY0 + 5, 100000, 40000, 0.8, NAN, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.day, ==, DAY0 + 5);
  bt_test_assert_close (100, r.price, EPS);
  bt_test_assert_close (2, r.health_factor, EPS);
  bt_test_assert_close (50, r.liquidation_price, EPS);
  bt_test_assert_close (50, r.liquidation_distance, EPS);
  bt_test_assert_close (20, r.windows[0].exceed_share, EPS);
  bt_test_assert_close (1.5, r.windows[0].safe_leverage, EPS);

  /* without LT the health factor given is used: HF 4 → distance 75 %,
   * liquidation price 25; no fall reaches it; the threshold it implies,
   * 4·0.4 = 1.6, is no threshold: safe leverage unknown */
  g_assert_true (bt_stress_compute (h, DAY0 + 5, 100000, 40000, NAN, 4, &r, &error));
  bt_test_assert_close (75, r.liquidation_distance, EPS);
  bt_test_assert_close (25, r.liquidation_price, EPS);
  bt_test_assert_close (0, r.windows[0].exceed_share, EPS);
  g_assert_true (isnan (r.windows[0].safe_leverage));

  /* HF 1.6 without LT: LT = 1.6·40 000/100 000 = 0.64 is taken back;
   * distance 37.5 %, safe leverage 1/(1 − (5/12)·0.64) = 1/(11/15) */
  g_assert_true (bt_stress_compute (h, DAY0 + 5, 100000, 40000, NAN, 1.6, &r, &error));
  bt_test_assert_close (0.64, r.liquidation_threshold, EPS);
  bt_test_assert_close (37.5, r.liquidation_distance, EPS);
  bt_test_assert_close (15.0 / 11, r.windows[0].safe_leverage, EPS);

  /* no debt: nothing to liquidate, no window does; safe leverage still
   * depends on LT alone */
  g_assert_true (bt_stress_compute (h, DAY0 + 5, 100000, 0, 0.8, NAN, &r, &error));
  g_assert_true (isnan (r.liquidation_distance));
  g_assert_true (isnan (r.liquidation_price));
  bt_test_assert_close (0, r.windows[0].exceed_share, EPS);
  bt_test_assert_close (1.5, r.windows[0].safe_leverage, EPS);

  /* D = day 2 (close 80): liquidation price 80/2 = 40; w = 1 sees t = 0, 1 */
  g_assert_true (bt_stress_compute (h, DAY0 + 2, 100000, 40000, 0.8, NAN, &r, &error));
  bt_test_assert_close (40, r.liquidation_price, EPS);
  g_assert_cmpuint (r.windows[0].n_windows, ==, 2);
  bt_test_assert_close (15, r.windows[0].worst_fall, EPS);

  /* outside the history, or a day without close */
  g_assert_false (bt_stress_compute (h, DAY0 + 6, 100000, 40000, 0.8, NAN, &r, &error));
  g_assert_error (error, BT_STRESS_ERROR, BT_STRESS_ERROR_NO_PRICE);
  g_clear_error (&error);
  h->input[BT_INPUT_CLOSE][4] = NAN;
  g_assert_false (bt_stress_compute (h, DAY0 + 4, 100000, 40000, 0.8, NAN, &r, &error));
  g_assert_error (error, BT_STRESS_ERROR, BT_STRESS_ERROR_NO_PRICE);
}

/* One field of a what-if of the position C = 100 000, B = 40 000, LT = 0.8,
 * P = 50 000 (HF 2, liquidation price 25 000, distance 50 %, leverage
 * 100/60): the price changed by ARG % (PRICE_CHANGE) or the leverage taken
 * to ARG (TO_LEVERAGE). */
typedef struct
{
  enum { PRICE_CHANGE, TO_LEVERAGE } what;
  double arg;
  gsize  field;   /* offset of a double of BtWhatIf */
  double want;    /* NAN: NAN */
} WhatIfCheck;

#define WHATIF(field) G_STRUCT_OFFSET (BtWhatIf, field)

static const WhatIfCheck whatif_checks[] = {
  /* −20 %: P' 40 000, C' 80 000, HF 80·0.8/40 = 1.6, liquidation price
   * 40 000/1.6 = 25 000 (unchanged), distance 1 − 1/1.6 = 37.5 %,
   * leverage 80/40 = 2 */
  { PRICE_CHANGE, -20, WHATIF (price), 40000 },
  { PRICE_CHANGE, -20, WHATIF (collateral_usd), 80000 },
  { PRICE_CHANGE, -20, WHATIF (debt_usd), 40000 },
  { PRICE_CHANGE, -20, WHATIF (health_factor), 1.6 },
  { PRICE_CHANGE, -20, WHATIF (liquidation_price), 25000 },
  { PRICE_CHANGE, -20, WHATIF (liquidation_distance), 37.5 },
  { PRICE_CHANGE, -20, WHATIF (leverage), 2 },
  { PRICE_CHANGE, -20, WHATIF (trade_usd), 0 },
  /* −50 %: exactly at the liquidation price, HF 1, distance 0 */
  { PRICE_CHANGE, -50, WHATIF (health_factor), 1 },
  { PRICE_CHANGE, -50, WHATIF (liquidation_distance), 0 },
  /* to 2×: E 60 000, C* 120 000, B* 60 000, buy 20 000 USD = 0.4 BTC;
   * HF 120·0.8/60 = 1.6, liquidation price 50 000/1.6 = 31 250, 37.5 % */
  { TO_LEVERAGE, 2, WHATIF (collateral_usd), 120000 },
  { TO_LEVERAGE, 2, WHATIF (debt_usd), 60000 },
  { TO_LEVERAGE, 2, WHATIF (trade_usd), 20000 },
  { TO_LEVERAGE, 2, WHATIF (trade_btc), 0.4 },
  { TO_LEVERAGE, 2, WHATIF (health_factor), 1.6 },
  { TO_LEVERAGE, 2, WHATIF (liquidation_price), 31250 },
  { TO_LEVERAGE, 2, WHATIF (liquidation_distance), 37.5 },
  { TO_LEVERAGE, 2, WHATIF (leverage), 2 },
  /* to 1.2×: C* 72 000, B* 12 000, sell 28 000 USD = 0.56 BTC; HF 4.8 */
  { TO_LEVERAGE, 1.2, WHATIF (trade_usd), -28000 },
  { TO_LEVERAGE, 1.2, WHATIF (trade_btc), -0.56 },
  { TO_LEVERAGE, 1.2, WHATIF (health_factor), 72000 * 0.8 / 12000 },
  /* to 1×: all debt repaid, no liquidation */
  { TO_LEVERAGE, 1, WHATIF (debt_usd), 0 },
  { TO_LEVERAGE, 1, WHATIF (trade_usd), -40000 },
  { TO_LEVERAGE, 1, WHATIF (health_factor), NAN },
};

static void
test_whatif (void)
{
  BtWhatIf w;

  for (guint i = 0; i < G_N_ELEMENTS (whatif_checks); i++)
    {
      const WhatIfCheck *c = &whatif_checks[i];

      if (c->what == PRICE_CHANGE)
        g_assert_true (bt_whatif_price_change (100000, 40000, 0.8, 50000, c->arg, &w));
      else
        g_assert_true (bt_whatif_leverage (100000, 40000, 0.8, 50000, c->arg, &w));
      bt_test_assert_close (c->want, G_STRUCT_MEMBER (double, &w, c->field), EPS);
    }

  /* −100 % and worse make no sense */
  g_assert_false (bt_whatif_price_change (100000, 40000, 0.8, 50000, -100, &w));
  /* 1/(1 − 0.8) = 5×: liquidated at once; below 1×: nonsense */
  g_assert_false (bt_whatif_leverage (100000, 40000, 0.8, 50000, 5, &w));
  g_assert_false (bt_whatif_leverage (100000, 40000, 0.8, 50000, 0.9, &w));
  g_assert_true (bt_whatif_leverage (100000, 40000, 0.8, 50000, 4.9, &w));
  /* no equity, no price */
  g_assert_false (bt_whatif_leverage (40000, 40000, 0.8, 50000, 2, &w));
  g_assert_false (bt_whatif_price_change (100000, 40000, 0.8, NAN, 0, &w));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/stress/windows-by-hand", test_windows_by_hand);
  g_test_add_func ("/core/stress/no-look-ahead", test_no_look_ahead);
  g_test_add_func ("/core/stress/boundary-and-gaps", test_boundary_and_gaps);
  g_test_add_func ("/core/stress/from-history", test_from_history);
  g_test_add_func ("/core/stress/whatif", test_whatif);
  return g_test_run ();
}
