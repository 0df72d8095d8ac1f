/* Calendar days, locale-free numbers and stable names (bt-base.h).
 * Day numbers were computed independently with Python's datetime:
 * (date(y, m, d) − date(1970, 1, 1)).days. */
#include <glib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "bt-base.h"

static void
test_day_known_dates (void)
{
  const struct { int y, m, d; BtDay day; } cases[] = {
    { 1970, 1, 1, 0 },
    { 1969, 12, 31, -1 },
    { 2017, 12, 17, 17517 },
    { 2000, 2, 29, 11016 },       /* leap day of a 400-year leap year */
    { 1900, 3, 1, -25508 },       /* 1900 was not a leap year */
    { 2400, 2, 29, 157113 },
    { 2019, 3, 28, 17983 },
    { 2021, 1, 1, 18628 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int y, m, d;
      char buf[11], want[11];

      g_assert_cmpint (bt_day_from_ymd (cases[i].y, cases[i].m, cases[i].d), ==, cases[i].day);
      bt_day_to_ymd (cases[i].day, &y, &m, &d);
      g_assert_cmpint (y, ==, cases[i].y);
      g_assert_cmpint (m, ==, cases[i].m);
      g_assert_cmpint (d, ==, cases[i].d);
      g_snprintf (want, sizeof want, "%04d-%02d-%02d", cases[i].y, cases[i].m, cases[i].d);
      g_assert_cmpstr (bt_day_format (cases[i].day, buf), ==, want);
    }
}

static void
test_day_round_trip (void)
{
  /* every day of 1900…2100 survives format → parse, and consecutive days
   * are consecutive numbers */
  BtDay first = bt_day_from_ymd (1900, 1, 1), last = bt_day_from_ymd (2100, 12, 31);

  for (BtDay day = first; day <= last; day++)
    {
      char buf[11];
      BtDay parsed = BT_DAY_INVALID;

      g_assert_true (bt_day_parse (bt_day_format (day, buf), &parsed));
      g_assert_cmpint (parsed, ==, day);
    }
  /* 1900-01-01 … 2100-12-31 spans 201 years with 49 leap days */
  g_assert_cmpint (last - first + 1, ==, 201 * 365 + 49);
}

static void
test_day_parse_rejects (void)
{
  const char *bad[] = { "2021-02-29", "2021-02-30", "2021-13-01", "2021-00-10", "2021-1-01",
                        "21-01-01", "2021/01/01", "2021-01-01x", "", "yesterday", "2021-01-32" };
  BtDay day = 42;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (bt_day_parse (bad[i], &day));
  g_assert_cmpint (day, ==, 42);
  g_assert_false (bt_day_parse (NULL, &day));

  /* a datetime keeps its date part */
  g_assert_true (bt_day_parse ("2019-03-22T00:00:00.000000000Z", &day));
  g_assert_cmpint (day, ==, bt_day_from_ymd (2019, 3, 22));
  g_assert_true (bt_day_parse ("2024-02-29 13:45:00", &day));
  g_assert_cmpint (day, ==, bt_day_from_ymd (2024, 2, 29));
}

static void
test_day_unix (void)
{
  /* 1553212800 is 2019-03-22 00:00:00 UTC (DATA_SOURCES.md) */
  g_assert_cmpint (bt_day_from_unix (1553212800), ==, bt_day_from_ymd (2019, 3, 22));
  g_assert_cmpint (bt_day_from_unix (1553212800 + 86399), ==, bt_day_from_ymd (2019, 3, 22));
  g_assert_cmpint (bt_day_from_unix (1553212800 - 1), ==, bt_day_from_ymd (2019, 3, 21));
  g_assert_cmpint (bt_day_from_unix (-1), ==, -1);
  g_assert_cmpint (bt_day_to_unix (bt_day_from_ymd (2019, 3, 22)), ==, 1553212800);
}

static void
test_week_and_month_start (void)
{
  /* 2021-01-01 was a Friday: its ISO week began on Monday 2020-12-28 */
  g_assert_cmpint (bt_day_week_start (bt_day_from_ymd (2021, 1, 1)), ==, bt_day_from_ymd (2020, 12, 28));
  /* a Monday is its own week start; a Sunday belongs to the week before */
  g_assert_cmpint (bt_day_week_start (bt_day_from_ymd (2019, 3, 18)), ==, bt_day_from_ymd (2019, 3, 18));
  g_assert_cmpint (bt_day_week_start (bt_day_from_ymd (2017, 12, 17)), ==, bt_day_from_ymd (2017, 12, 11));
  /* before 1970 too: 1969-12-31 was a Wednesday */
  g_assert_cmpint (bt_day_week_start (-1), ==, bt_day_from_ymd (1969, 12, 29));
  g_assert_cmpint (bt_day_month_start (bt_day_from_ymd (2024, 2, 29)), ==, bt_day_from_ymd (2024, 2, 1));
  g_assert_cmpint (bt_day_month_start (bt_day_from_ymd (2024, 3, 1)), ==, bt_day_from_ymd (2024, 3, 1));
}

static void
test_parse_double (void)
{
  double v = 0;
  const char *bad[] = { "", "  ", "abc", "1,5", "1.5x", "nan", "NaN", "inf", "-Infinity",
                        "1e400", "0x10", "--1", "1.5 2" };

  g_assert_true (bt_parse_double ("4022.29000000", &v));
  g_assert_cmpfloat (v, ==, 4022.29);
  g_assert_true (bt_parse_double ("-0.00047816", &v));
  g_assert_cmpfloat (v, ==, -0.00047816);
  g_assert_true (bt_parse_double ("1.46277E7", &v));
  g_assert_cmpfloat (v, ==, 14627700.0);
  g_assert_true (bt_parse_double (" 42 ", &v));
  g_assert_cmpfloat (v, ==, 42.0);

  v = 7;
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (bt_parse_double (bad[i], &v));
  g_assert_cmpfloat (v, ==, 7);
}

static void
test_parse_double_pt_br (void)
{
  double v = 0;

  /* pt_BR writes decimal commas; parsing must not follow the locale */
  if (setlocale (LC_NUMERIC, "pt_BR.UTF-8") == NULL)
    {
      g_test_skip ("pt_BR.UTF-8 locale not installed");
      return;
    }
  g_assert_true (bt_parse_double ("4022.29", &v));
  g_assert_cmpfloat (v, ==, 4022.29);
  g_assert_false (bt_parse_double ("4022,29", &v));
  setlocale (LC_NUMERIC, "C");
}

static void
test_format_double (void)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const double values[] = { 0.1, 1.0 / 3.0, 4022.29, 1e-300, -2.5e17, 123456789.123456789,
                            G_MAXDOUBLE, G_MINDOUBLE };

  g_assert_cmpstr (bt_format_double (0.1, buf), ==, "0.1");
  g_assert_cmpstr (bt_format_double (100, buf), ==, "100");
  g_assert_cmpstr (bt_format_double (NAN, buf), ==, "");
  g_assert_cmpstr (bt_format_double (INFINITY, buf), ==, "");
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      double back = 0;

      g_assert_true (bt_parse_double (bt_format_double (values[i], buf), &back));
      g_assert_cmpfloat (back, ==, values[i]);
    }
}

/* Every value of TYPE (N of them) comes back from its name. */
#define ASSERT_NAMES_ROUND_TRIP(type, n, name_fn, from_name_fn) \
  for (guint i = 0; i < (n); i++)                               \
    {                                                           \
      type v;                                                   \
                                                                \
      g_assert_true (from_name_fn (name_fn (i), &v));           \
      g_assert_cmpuint (v, ==, i);                              \
    }

static void
test_names_round_trip (void)
{
  ASSERT_NAMES_ROUND_TRIP (BtSource, BT_N_SOURCES, bt_source_name, bt_source_from_name);
  ASSERT_NAMES_ROUND_TRIP (BtIndicator, BT_N_INDICATORS, bt_indicator_name, bt_indicator_from_name);
  ASSERT_NAMES_ROUND_TRIP (BtInput, BT_N_INPUTS, bt_input_name, bt_input_from_name);
  ASSERT_NAMES_ROUND_TRIP (BtAction, BT_N_ACTIONS, bt_action_name, bt_action_from_name);
  ASSERT_NAMES_ROUND_TRIP (BtAlertKind, BT_N_ALERT_KINDS, bt_alert_kind_name, bt_alert_kind_from_name);
  /* the contract spellings of PRODUCT.md */
  g_assert_cmpstr (bt_indicator_name (BT_IND_EMA_610_1W), ==, "ema_610_1w");
  g_assert_cmpstr (bt_indicator_name (BT_IND_FUNDING_RATE_7D), ==, "funding_rate_7d");
  g_assert_cmpstr (bt_rule_name (BT_RULE_INSUFFICIENT_DATA), ==, "insufficient_data");
  g_assert_cmpstr (bt_urgency_name (BT_URGENCY_CRITICAL), ==, "CRITICAL");
  g_assert_cmpstr (bt_flag_name (BT_FLAG_IMPORTED), ==, "imported");
  g_assert_cmpstr (bt_source_name (BT_SOURCE_BINANCE_FUTURES), ==, "binance-futures");
  {
    BtSource s;

    g_assert_false (bt_source_from_name ("binance_futures", &s));
    g_assert_false (bt_source_from_name (NULL, &s));
  }
}

static void
test_history_memory (void)
{
  g_autoptr(BtHistory) h = bt_history_new (bt_day_from_ymd (2020, 1, 1), 366);
  g_autoptr(BtIndicatorTable) t = bt_indicator_table_new (h->first_day, h->n_days);
  double *imported;

  for (guint k = 0; k < BT_N_INPUTS; k++)
    for (guint i = 0; i < h->n_days; i++)
      {
        g_assert_true (isnan (h->input[k][i]));
        g_assert_cmpuint (h->input_source[k][i], ==, BT_SOURCE_NONE);
      }
  g_assert_null (h->imported[BT_IND_MVRV_Z_SCORE]);
  imported = bt_history_ensure_imported (h, BT_IND_MVRV_Z_SCORE);
  g_assert_true (imported == bt_history_ensure_imported (h, BT_IND_MVRV_Z_SCORE));
  g_assert_true (isnan (imported[365]));
  g_assert_cmpint (bt_history_index (h, bt_day_from_ymd (2020, 12, 31)), ==, 365);
  g_assert_cmpint (bt_history_index (h, bt_day_from_ymd (2021, 1, 1)), ==, -1);
  g_assert_cmpint (bt_history_index (h, bt_day_from_ymd (2019, 12, 31)), ==, -1);
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    g_assert_cmpuint (t->flag[k][0], ==, BT_FLAG_MISSING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/base/day/known-dates", test_day_known_dates);
  g_test_add_func ("/core/base/day/round-trip", test_day_round_trip);
  g_test_add_func ("/core/base/day/parse-rejects", test_day_parse_rejects);
  g_test_add_func ("/core/base/day/unix", test_day_unix);
  g_test_add_func ("/core/base/day/week-month-start", test_week_and_month_start);
  g_test_add_func ("/core/base/number/parse", test_parse_double);
  g_test_add_func ("/core/base/number/parse-pt-br", test_parse_double_pt_br);
  g_test_add_func ("/core/base/number/format", test_format_double);
  g_test_add_func ("/core/base/names", test_names_round_trip);
  g_test_add_func ("/core/base/history-memory", test_history_memory);

  return g_test_run ();
}
