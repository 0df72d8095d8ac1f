/* test-screenshots.c: every page of BTC Turbo rendered to PNG, wide
 * (1280×800) and narrow (360×720), light and dark, in the language of the
 * environment, into $BT_SCREENSHOT_DIR (default: <builddir>/screenshots).
 * The real history in $BT_SHARED_DATA, scored by the engine, feeds every
 * page: the market charts, the Dashboard's last day with the decision and
 * reason the core gives for the position, and the alerts the core's alert
 * engine fires over the last days. */
#define G_LOG_DOMAIN "bt-test"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <math.h>

#include <glib/gstdio.h>

#include "bt-alerts.h"
#include "bt-base.h"
#include "bt-engine.h"
#include "bt-import.h"
#include "bt-scoring.h"
#include "bt-store.h"
#include "bt-window.h"
#include "bt-test-util.h"
#include "test-ui-common.h"
#include "bt-backtest-page-private.h"
#include "bt-chart-view-private.h"
#include "bt-dashboard-page-private.h"
#include "bt-market-page-private.h"
#include "bt-position-page-private.h"

static char *out_dir;

/* The real history scored by the engine: a database in a temporary
 * directory, filled from $BT_SHARED_DATA's Coin Metrics CSV once. */
static BtEngine *engine;
static char *engine_dir;

static BtEngine *
ensure_engine (void)
{
  const char *data = g_getenv ("BT_SHARED_DATA");
  g_autofree char *csv = NULL;
  g_autoptr(BtStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (engine != NULL || data == NULL)
    return engine;
  csv = g_build_filename (data, "coinmetrics-btc-2009-2019.csv", NULL);
  if (!g_file_test (csv, G_FILE_TEST_EXISTS))
    return NULL;
  store = bt_test_open_tmp_store (g_get_tmp_dir (), &engine_dir);
  g_assert_true (bt_import_file (store, csv, BT_IMPORT_FORMAT_AUTO, NULL, &error));
  g_assert_no_error (error);
  engine = bt_engine_new (store);
  g_assert_true (bt_engine_recompute_from (engine, BT_DAY_INVALID, &error));
  g_assert_no_error (error);
  g_assert_true (bt_engine_refresh (engine, &error));
  g_assert_no_error (error);
  return engine;
}

static void
free_engine (void)
{
  g_clear_object (&engine);
  if (engine_dir != NULL)
    bt_test_remove_tree (engine_dir);
  g_clear_pointer (&engine_dir, g_free);
}

static void
fill_market (BtWindow *window)
{
  static const BtIndicator emas[BT_N_EMA_PERIODS] = {
    BT_IND_EMA_17_1D, BT_IND_EMA_34_1D, BT_IND_EMA_144_1D, BT_IND_EMA_305_1D, BT_IND_EMA_610_1D
  };
  BtEngine *e = ensure_engine ();
  const BtIndicatorTable *table = e != NULL ? bt_engine_get_table (e) : NULL;
  const BtScores *scores = e != NULL ? bt_engine_get_scores (e) : NULL;
  const double *ema[BT_N_EMA_PERIODS];
  double *columns[1 + BT_N_CATEGORIES];

  if (table == NULL || scores == NULL || table->n_days == 0)
    return;
  for (guint c = 0; c < 1 + BT_N_CATEGORIES; c++)
    columns[c] = g_new (double, table->n_days);
  for (guint i = 0; i < table->n_days; i++)
    {
      columns[0][i] = scores[i].market;
      for (guint c = 0; c < BT_N_CATEGORIES; c++)
        columns[1 + c][i] = scores[i].category[c];
    }
  for (guint i = 0; i < BT_N_EMA_PERIODS; i++)
    ema[i] = table->value[emas[i]];
  bt_market_page_set_history (bt_window_get_market_page (window), table->first_day, table->n_days,
                              table->value[BT_IND_BTC_PRICE], ema,
                              (const double *const *) columns);
  for (guint c = 0; c < 1 + BT_N_CATEGORIES; c++)
    g_free (columns[c]);
}

/* Alerts of the last days as the core's alert engine fires them, one
 * snapshot a day at 08:00: the market score and decision of the day, the
 * position's health factor and distance, the price against the day before.
 * Alerts of the last week are active, older ones acknowledged. */
static void
fill_alerts (BtWindow              *window,
             const BtRules         *rules,
             BtDay                  last_day,
             guint                  n_snapshots,
             const BtAlertInputs   *snapshots)
{
  BtAlertEngine *alerts = bt_alert_engine_new ();
  g_autoptr(GPtrArray) fired = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_alert_event_free);
  gint64 last_time = bt_day_to_unix (last_day) + 8 * 3600;
  guint from;

  for (guint s = 0; s < n_snapshots; s++)
    {
      g_autoptr(GPtrArray) events = bt_alert_engine_evaluate (alerts, rules, &snapshots[s]);

      g_ptr_array_set_free_func (events, NULL);
      g_ptr_array_extend_and_steal (fired, g_steal_pointer (&events));
    }
  bt_alert_engine_free (alerts);

  /* the six latest */
  from = fired->len > 6 ? fired->len - 6 : 0;
  for (guint i = from; i < fired->len; i++)
    {
      BtAlertEvent *ev = fired->pdata[i];
      gint64 acknowledged = ev->time < last_time - 7 * 86400 ? ev->time + 3 * 3600 : 0;

      bt_alerts_page_set_alert (bt_window_get_alerts_page (window), i + 1, ev->severity,
                                ev->message, ev->time, acknowledged, 0);
    }
}

static void
alert_inputs (BtAlertInputs          *inputs,
              gint64                  time,
              const BtScores         *today,
              const BtScores         *yesterday,
              const BtDecision       *decision,
              const BtPositionState  *state,
              double                  price,
              double                  price_yesterday)
{
  bt_alert_inputs_init (inputs);
  inputs->time = time;
  inputs->market = today->market;
  inputs->market_previous = yesterday != NULL ? yesterday->market : NAN;
  inputs->action = decision->action;
  inputs->urgency = decision->urgency;
  inputs->health_factor = state->health_factor;
  inputs->liquidation_distance = state->liquidation_distance;
  inputs->heat = decision->heat;
  inputs->price = price;
  inputs->price_24h_ago = price_yesterday;
}

/* The position of the screenshots: 1.5 BTC deposited against a loan of
 * USD 3,300, at PRICE, evaluated by the core with a 78 % liquidation
 * threshold (at 4,000 USD: health factor 6,000 × 0.78 / 3,300 = 1.42). */
#define POSITION_BTC  1.5
#define POSITION_DEBT 3300.0

static void
position_at (const BtRules   *rules,
             double           price,
             BtPositionState *state)
{
  bt_position_evaluate (POSITION_BTC * price, POSITION_DEBT, 0.78, NAN, price, rules, state);
}

static void
fill_window (BtWindow *window)
{
  BtEngine *e = ensure_engine ();
  const BtIndicatorTable *table = e != NULL ? bt_engine_get_table (e) : NULL;
  const BtScores *all_scores = e != NULL ? bt_engine_get_scores (e) : NULL;
  const char *wallet = "0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c";
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  BtRules default_rules;
  const BtRules *rules;
  BtPositionState state;
  BtDecisionInputs inputs;
  BtDecision decision;
  BtScores scores;
  BtDay last_day;
  double last_close;

  bt_rules_init_default (&default_rules);
  rules = e != NULL ? bt_engine_get_rules (e) : &default_rules;

  if (table != NULL && all_scores != NULL && table->n_days > 1)
    {
      const double *close = table->value[BT_IND_BTC_PRICE];
      guint n = table->n_days;
      guint from = n > 365 ? n - 365 : 0;
      guint first_snapshot = n > 90 ? n - 90 : 1;
      g_autofree double *value = g_new (double, n - from);
      g_autofree double *drawdown = g_new (double, n - from);
      g_autofree BtAlertInputs *snapshots = g_new (BtAlertInputs, n - first_snapshot);
      double peak = 0;

      fill_market (window);
      /* the portfolio's net value over the last year */
      for (guint i = from; i < n; i++)
        {
          double v = isnan (close[i]) ? NAN : POSITION_BTC * close[i] - POSITION_DEBT;

          value[i - from] = v;
          if (!isnan (v) && v > peak)
            peak = v;
          drawdown[i - from] = isnan (v) || peak <= 0 ? NAN : (v / peak - 1) * 100;
        }
      bt_position_page_set_portfolio (bt_window_get_position_page (window), table->first_day + from,
                                      n - from, value, drawdown);
      last_day = table->first_day + n - 1;
      bt_backtest_page_set_period_limits (bt_window_get_backtest_page (window), table->first_day,
                                          last_day);

      /* the decision of each of the last 90 days for the position of that
       * day, and the alerts those snapshots fire */
      for (guint i = first_snapshot; i < n; i++)
        {
          BtDay day = table->first_day + i;

          position_at (rules, close[i], &state);
          g_assert_true (bt_engine_decide (e, day, &state, &decision, &inputs, &error));
          g_assert_no_error (error);
          alert_inputs (&snapshots[i - first_snapshot], bt_day_to_unix (day) + 8 * 3600,
                        &all_scores[i], &all_scores[i - 1], &decision, &state, close[i],
                        close[i - 1]);
        }
      fill_alerts (window, rules, last_day, n - first_snapshot, snapshots);
      /* the state, decision and inputs of the last day remain */
      scores = all_scores[n - 1];
      last_close = close[n - 1];
    }
  else
    {
      /* without the real history: the sample day of test-ui-common.c,
       * decided by the core */
      test_ui_sample_scores (&scores, &decision);
      last_day = bt_day_from_ymd (2019, 12, 31);
      last_close = 4000;
      position_at (rules, last_close, &state);
      inputs.market = scores.market;
      inputs.confidence = scores.confidence;
      inputs.ema144_distance = 2;
      inputs.rsi_daily = 50;
      inputs.mvrv_z_score = scores.item_value[BT_ITEM_MVRV_Z_SCORE];
      inputs.price = last_close;
      inputs.kelly_win_rate = NAN;
      inputs.kelly_payoff = NAN;
      bt_decide (rules, &inputs, &state, &decision);
      {
        BtAlertInputs snapshot;

        alert_inputs (&snapshot, bt_day_to_unix (last_day) + 8 * 3600, &scores, NULL, &decision,
                      &state, last_close, last_close * 1.12);
        fill_alerts (window, rules, last_day, 1, &snapshot);
      }
    }

  reason = bt_decision_dup_reason (&decision, &inputs, &state, rules);
  bt_dashboard_page_set_data (bt_window_get_dashboard_page (window), last_day, last_close, &scores,
                              &decision, reason, bt_day_to_unix (last_day) + 8 * 3600);
  bt_position_page_set_position (bt_window_get_position_page (window), wallet, &state);

  /* the cockpit: the same position typed by hand, priced by the history's
   * last close, a 30 % fall and a trade to 2×, and its stress */
  {
    BtPositionPage *page = bt_window_get_position_page (window);

    if (e != NULL)
      {
        g_autoptr(BtContext) context = bt_context_new (e, NULL);

        bt_page_set_context (BT_PAGE (page), context);
        /* the Data page: the Coin Metrics import of that database */
        bt_page_set_context (BT_PAGE (test_ui_find_type (GTK_WIDGET (window), BT_TYPE_DATA_PAGE)),
                             context);
      }
    bt_position_page_enter_position (page, "Aave · 1.5 BTC", "1.5", TRUE, "3300", "0.78");
    bt_position_page_set_price_change (page, "-30");
    bt_position_page_set_target_leverage (page, "2");
  }
}

/* After the page settled: the window's content as OUT_DIR/KIND-SIZE-THEME.png. */
static void
save_shot (BtWindow   *window,
           const char *kind,
           const char *size,
           gboolean    dark)
{
  g_autofree char *name = g_strdup_printf ("%s-%s-%s", kind, size, dark ? "dark" : "light");

  test_ui_spin (250);
  test_ui_save_png (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)),
                    out_dir, name);
}

static void
shoot (gboolean dark)
{
  static const struct
  {
    const char *name;
    void      (*scroll) (BtPositionPage *page);
  } parts[] = {
    { "position-cockpit", bt_position_page_scroll_to_cockpit },
    { "position-whatif", bt_position_page_scroll_to_whatif },
    { "position-stress", bt_position_page_scroll_to_stress },
  };
  static const char *pages[] = { "dashboard", "market", "position", "backtest", "alerts", "data" };
  static const struct { int w, h; const char *name; } sizes[] = {
    { 1280, 800, "wide" }, { 360, 720, "narrow" },
  };

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      BtWindow *window = bt_window_new (NULL);

      gtk_window_set_default_size (GTK_WINDOW (window), sizes[s].w, sizes[s].h);
      gtk_window_present (GTK_WINDOW (window));
      test_ui_wait_drawn (GTK_WIDGET (window));
      fill_window (window);
      /* every page fits the narrow window: its minimum width is at most 360 */
      {
        GType types[] = { BT_TYPE_DASHBOARD_PAGE, BT_TYPE_MARKET_PAGE, BT_TYPE_POSITION_PAGE,
                          BT_TYPE_BACKTEST_PAGE, BT_TYPE_ALERTS_PAGE, BT_TYPE_DATA_PAGE };

        for (guint i = 0; i < G_N_ELEMENTS (types); i++)
          {
            int min = 0;

            gtk_widget_measure (test_ui_find_type (GTK_WIDGET (window), types[i]),
                                GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
            g_test_message ("%s: minimum width %d", g_type_name (types[i]), min);
            g_assert_cmpint (min, <=, 360);
          }
      }
      /* the Market page opens on four years */
      bt_market_page_set_range (bt_window_get_market_page (window), "4y");

      for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
        {
          bt_window_set_page (window, pages[p]);
          if (g_str_equal (pages[p], "market"))
            {
              /* the crosshair on a day of the view, with its read-out */
              BtChartView *chart = bt_market_page_get_chart (bt_window_get_market_page (window));
              double start, end;

              bt_chart_view_get_view (chart, &start, &end);
              bt_chart_view_set_cursor (chart, start + (end - start) * 0.62);
            }
          if (g_str_equal (pages[p], "backtest"))
            gtk_widget_activate_action (GTK_WIDGET (bt_window_get_backtest_page (window)),
                                        "backtest.next", NULL);
          save_shot (window, pages[p], sizes[s].name, dark);
          /* the cockpit with its what-if, and the stress panel */
          for (guint k = 0; g_str_equal (pages[p], "position") && k < G_N_ELEMENTS (parts); k++)
            {
              parts[k].scroll (bt_window_get_position_page (window));
              save_shot (window, parts[k].name, sizes[s].name, dark);
            }
        }
      bt_market_page_set_range (bt_window_get_market_page (window), "1y");
      gtk_window_destroy (GTK_WINDOW (window));
      test_ui_spin (20);
    }
}

static void
test_screenshots_light (void)
{
  shoot (FALSE);
}

static void
test_screenshots_dark (void)
{
  shoot (TRUE);
}

int
main (int   argc,
      char *argv[])
{
  const char *dir = g_getenv ("BT_SCREENSHOT_DIR");
  const char *lang = g_getenv ("LANGUAGE");
  int status;

  /* gtk_test_init() keeps the C locale; screenshots use the environment's */
  test_ui_init_translated (&argc, &argv);
  setlocale (LC_ALL, "");
  out_dir = g_build_filename (dir != NULL ? dir : g_getenv ("G_TEST_BUILDDIR"), "screenshots",
                              lang != NULL && *lang != '\0' ? lang : "en", NULL);

  g_test_add_func ("/ui/screenshots/light", test_screenshots_light);
  g_test_add_func ("/ui/screenshots/dark", test_screenshots_dark);
  status = g_test_run ();
  free_engine ();
  g_free (out_dir);
  return status;
}
