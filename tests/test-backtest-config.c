/* Tests of the backtest's two tables (docs/rulebook.md §7): the
 * configuration read and written as JSON and hashed, and the order of the
 * metrics the window and the sweep list. */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bt-backtest.h"
#include "bt-backtest-metrics.h"
#include "bt-base.h"
#include "test-backtest-fixture.h"

/* The window's and the sweep's ranks run 1, 2, 3 … without a gap or a
 * repeat (bt_backtest_metric_nth() counts on it). */
static void
test_metric_ranks (void)
{
  static const BtMetricView table_views[] = { BT_METRIC_VIEW_STORED, BT_METRIC_VIEW_RESULT,
                                              BT_METRIC_VIEW_SUMMARY, BT_METRIC_VIEW_SWEEP_TEXT };
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (guint v = 0; v < G_N_ELEMENTS (table_views); v++)
    for (guint k = 0; bt_backtest_metric_nth (table_views[v], k) != NULL; k++)
      g_hash_table_add (seen, (gpointer) bt_backtest_metric_nth (table_views[v], k));
  for (guint r = 0; r < 2; r++)
    {
      BtMetricView view = r == 0 ? BT_METRIC_VIEW_WINDOW : BT_METRIC_VIEW_SWEEP;
      guint n_view = 0, n_ranked = 0;
      GHashTableIter iter;
      gpointer key;

      while (bt_backtest_metric_nth (view, n_view) != NULL)
        n_view++;
      g_hash_table_iter_init (&iter, seen);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          const BtBacktestMetric *metric = key;
          guint rank = r == 0 ? metric->window_rank : metric->sweep_rank;

          if (rank == 0)
            continue;
          g_assert_true (bt_backtest_metric_nth (view, rank - 1) == metric);
          n_ranked++;
        }
      g_assert_cmpuint (n_view, ==, n_ranked);
      g_assert_cmpuint (n_view, >, 0);
    }
}

static void
test_config_json (void)
{
  BtBacktestConfig a, b;
  g_autofree char *ja = NULL;
  g_autofree char *jb = NULL;
  g_autofree char *ha = NULL;
  g_autofree char *hb = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  init_seed_config (&a);
  g_assert_true (bt_backtest_config_set (&a, "initial_capital", "2500.5", &error));
  g_assert_true (bt_backtest_config_set (&a, "start_mode", "cash", &error));
  g_assert_true (bt_backtest_config_set (&a, "fee_pct", "0.3", &error));
  g_assert_true (bt_backtest_config_set (&a, "liquidation_bonus", "0.075", &error));
  g_assert_true (bt_backtest_config_set (&a, "start_date", "2015-06-01", &error));
  g_assert_true (bt_backtest_config_set (&a, "thresholds.low_market", "35", &error));
  g_assert_true (bt_backtest_config_set (&a, "weights.categories.cycle", "40", &error));
  g_assert_no_error (error);
  ja = bt_backtest_config_to_json (&a);
  g_assert_nonnull (strstr (ja, "\"initial_capital\":2500.5"));
  g_assert_nonnull (strstr (ja, "\"fee_pct\":0.3,"));          /* shortest form, no 0.2999… */
  g_assert_nonnull (strstr (ja, "\"start_date\":\"2015-06-01\""));
  g_assert_nonnull (strstr (ja, "\"end_date\":null"));

  g_assert_true (json_parser_load_from_data (parser, ja, -1, &error));
  init_seed_config (&b);
  g_assert_true (bt_backtest_config_from_json (&b, json_node_get_object (json_parser_get_root (parser)), &error));
  g_assert_no_error (error);
  jb = bt_backtest_config_to_json (&b);
  g_assert_cmpstr (ja, ==, jb);
  g_assert_cmpfloat (b.initial_capital, ==, 2500.5);
  g_assert_cmpint (b.start_mode, ==, BT_START_CASH);
  g_assert_cmpfloat (b.liquidation_bonus, ==, 0.075);
  g_assert_cmpint (b.start_day, ==, bt_day_from_ymd (2015, 6, 1));
  g_assert_cmpint (b.end_day, ==, BT_DAY_INVALID);
  g_assert_cmpfloat (b.rules.low_market, ==, 35);
  g_assert_cmpfloat (b.rules.category_weight[BT_CATEGORY_CYCLE], ==, 40);

  ha = bt_backtest_config_hash (&a);
  hb = bt_backtest_config_hash (&b);
  g_assert_cmpuint (strlen (ha), ==, 64);
  g_assert_cmpstr (ha, ==, hb);
  g_assert_true (bt_backtest_config_set (&b, "fee_pct", "0.31", NULL));
  g_free (hb);
  hb = bt_backtest_config_hash (&b);
  g_assert_cmpstr (ha, !=, hb);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/backtest/config-json", test_config_json);
  g_test_add_func ("/core/backtest/metric-ranks", test_metric_ranks);
  return g_test_run ();
}
