/* test-alerts.c: the alert rules of SCORING.md §6 walked through sequences
 * of snapshots: when each alert fires, that it does not fire again while
 * unacknowledged, nor after an acknowledgement while its condition stayed
 * true, and that it fires again after acknowledgement + clear + return. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bt-alerts.h"
#include "bt-alerts-private.h"
#include "bt-base.h"
#include "bt-rules.h"

typedef struct
{
  BtRules        rules;
  BtAlertEngine *engine;
  BtAlertInputs  in;
  gint64         time;
} Fixture;

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  bt_rules_init_default (&f->rules);
  f->engine = bt_alert_engine_new ();
  bt_alert_inputs_init (&f->in);
  f->time = 1711843200;  /* 2024-03-31 00:00 UTC */
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  bt_alert_engine_free (f->engine);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Evaluate f->in; return the keys fired, sorted and comma-joined ("" for none). */
static char *
step_full (Fixture    *f,
           GPtrArray **events_out)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();

  f->time += 3600;
  f->in.time = f->time;
  events = bt_alert_engine_evaluate (f->engine, &f->rules, &f->in);
  for (guint i = 0; i < events->len; i++)
    {
      BtAlertEvent *e = g_ptr_array_index (events, i);
      g_autoptr(JsonParser) parser = json_parser_new ();

      /* every event is complete */
      g_assert_cmpint (e->time, ==, f->time);
      g_assert_nonnull (e->message);
      g_assert_cmpuint (strlen (e->message), >, 10);
      g_assert_true (g_str_has_prefix (e->key, bt_alert_kind_name (e->kind)));
      g_assert_true (json_parser_load_from_data (parser, e->values_json, -1, NULL));
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      /* the sentence can be made again, in the language of the moment, from
       * the key and the values stored with it */
      {
        g_autofree char *again = bt_alert_format_message (e->key, e->values_json);

        g_assert_cmpstr (again, ==, e->message);
      }
      g_ptr_array_add (keys, e->key);
    }
  g_ptr_array_sort (keys, compare_keys);
  {
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < keys->len; i++)
      {
        if (i > 0)
          g_string_append_c (s, ',');
        g_string_append (s, g_ptr_array_index (keys, i));
      }
    g_ptr_array_set_size (keys, 0);
    if (events_out != NULL)
      *events_out = g_steal_pointer (&events);
    return g_string_free (s, FALSE);
  }
}

static void
assert_step (Fixture    *f,
             const char *want)
{
  g_autofree char *got = step_full (f, NULL);

  g_assert_cmpstr (got, ==, want);
}

static void
assert_cleared (Fixture    *f,
                const char *want)
{
  g_auto(GStrv) keys = bt_alert_engine_dup_cleared_keys (f->engine);
  g_autofree char *got = g_strjoinv (",", keys);

  g_assert_cmpstr (got, ==, want);
}

/* Sets the input at INPUT to VALUE, then as assert_step. */
static void
assert_step_at (Fixture    *f,
                double     *input,
                double      value,
                const char *want)
{
  *input = value;
  assert_step (f, want);
}

static BtAlertEvent *
find_event (GPtrArray  *events,
            const char *key)
{
  for (guint i = 0; i < events->len; i++)
    {
      BtAlertEvent *e = g_ptr_array_index (events, i);

      if (strcmp (e->key, key) == 0)
        return e;
    }
  return NULL;
}

/* Evaluates f->in: KEY alone fires, with SEVERITY. */
static void
assert_fires (Fixture    *f,
              const char *key,
              BtSeverity  severity)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *keys = step_full (f, &events);

  g_assert_cmpstr (keys, ==, key);
  g_assert_cmpint (find_event (events, key)->severity, ==, severity);
}

static double
json_number (const char *json,
             const char *member)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return json_object_get_double_member (json_node_get_object (json_parser_get_root (parser)),
                                        member);
}

/* ---- health factor: the whole hysteresis cycle ---- */

static void
test_health_factor (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *keys = NULL;
  BtAlertEvent *e;

  assert_step_at (f, &f->in.health_factor, 2.0, "");

  /* becomes true: fires once */
  f->in.health_factor = 1.4;
  keys = step_full (f, &events);
  g_assert_cmpstr (keys, ==, "health_factor:warning");
  e = find_event (events, "health_factor:warning");
  g_assert_cmpint (e->kind, ==, BT_ALERT_HEALTH_FACTOR);
  g_assert_cmpint (e->severity, ==, BT_SEVERITY_WARNING);
  g_assert_cmpfloat (json_number (e->values_json, "health_factor"), ==, 1.4);
  g_assert_cmpfloat (json_number (e->values_json, "threshold"), ==, 1.5);

  /* still true, unacknowledged: silent */
  assert_step_at (f, &f->in.health_factor, 1.45, "");
  /* clears: reported as cleared, no alert */
  assert_step_at (f, &f->in.health_factor, 2.0, "");
  assert_cleared (f, "health_factor:warning");
  /* returns while unacknowledged: silent */
  assert_step_at (f, &f->in.health_factor, 1.4, "");
  assert_cleared (f, "");
  /* acknowledged while true: still silent */
  g_assert_true (bt_alert_engine_acknowledge (f->engine, "health_factor:warning"));
  assert_step (f, "");
  assert_step_at (f, &f->in.health_factor, 1.3, "");
  /* clears after the acknowledgement, then returns: fires again */
  assert_step_at (f, &f->in.health_factor, 1.6, "");
  assert_cleared (f, "health_factor:warning");
  assert_step_at (f, &f->in.health_factor, 1.3, "health_factor:warning");

  /* the critical level is a second key */
  assert_step_at (f, &f->in.health_factor, 1.25, "");  /* not below 1.25 */
  f->in.health_factor = 1.2;
  assert_fires (f, "health_factor:critical", BT_SEVERITY_CRITICAL);

  /* debt repaid (NAN): both clear */
  assert_step_at (f, &f->in.health_factor, NAN, "");
  assert_cleared (f, "health_factor:critical,health_factor:warning");

  /* a fresh engine falling straight below 1.25 fires both */
  bt_alert_engine_free (f->engine);
  f->engine = bt_alert_engine_new ();
  assert_step_at (f, &f->in.health_factor, 1.1, "health_factor:critical,health_factor:warning");

  g_assert_false (bt_alert_engine_acknowledge (f->engine, "no_such:key"));
}

/* ---- acknowledgement order ---- */

static void
test_ack_order (Fixture      *f,
                gconstpointer data)
{
  /* fire, clear, acknowledge while clear, return → fires */
  assert_step_at (f, &f->in.liquidation_distance, 20, "liquidation_distance");
  assert_step_at (f, &f->in.liquidation_distance, 30, "");
  g_assert_true (bt_alert_engine_acknowledge (f->engine, "liquidation_distance"));
  assert_step_at (f, &f->in.liquidation_distance, 24.9, "liquidation_distance");

  /* clear, return unacknowledged (silent), acknowledge while true: silent
   * until it clears and returns once more */
  assert_step_at (f, &f->in.liquidation_distance, 30, "");
  assert_step_at (f, &f->in.liquidation_distance, 20, "");
  g_assert_true (bt_alert_engine_acknowledge (f->engine, "liquidation_distance"));
  assert_step (f, "");
  assert_step (f, "");
  assert_step_at (f, &f->in.liquidation_distance, 30, "");
  assert_step_at (f, &f->in.liquidation_distance, 20, "liquidation_distance");

  /* acknowledge_all */
  assert_step_at (f, &f->in.liquidation_distance, 30, "");
  bt_alert_engine_acknowledge_all (f->engine);
  assert_step_at (f, &f->in.liquidation_distance, 10, "liquidation_distance");
}

/* ---- market score crossings ---- */

static void
test_market_cross (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *keys = NULL;

  /* the first evaluation only records the side */
  assert_step_at (f, &f->in.market, 45, "");
  assert_step_at (f, &f->in.market, 45.5, "");

  /* falling below 40: WARNING */
  f->in.market = 38;
  keys = step_full (f, &events);
  g_assert_cmpstr (keys, ==, "market_score_cross:40");
  g_assert_cmpint (find_event (events, "market_score_cross:40")->severity, ==, BT_SEVERITY_WARNING);
  g_assert_cmpfloat (json_number (find_event (events, "market_score_cross:40")->values_json,
                                  "market_previous"), ==, 45.5);
  /* no crossing: nothing; a crossing cleared by events is not "cleared" */
  assert_step_at (f, &f->in.market, 37, "");
  assert_cleared (f, "");
  /* back above 40 while unacknowledged: silent */
  assert_step_at (f, &f->in.market, 41, "");
  g_assert_true (bt_alert_engine_acknowledge (f->engine, "market_score_cross:40"));
  /* exactly 40 is not below 40: no crossing (but the key re-arms) */
  assert_step_at (f, &f->in.market, 40, "");
  /* below again: fires */
  assert_step_at (f, &f->in.market, 39.99, "market_score_cross:40");

  /* jumping from 39.99 to 61 crosses 40 (unacknowledged: silent) and 60 (fires, INFO) */
  f->in.market = 61;
  assert_fires (f, "market_score_cross:60", BT_SEVERITY_INFO);
  /* reaching 80 exactly crosses it */
  assert_step_at (f, &f->in.market, 80, "market_score_cross:80");
  /* an unknown score changes nothing and is not a crossing */
  assert_step_at (f, &f->in.market, NAN, "");
  assert_step_at (f, &f->in.market, 81, "");
  /* falling below 60 (and 80) is INFO: 80 and 60 are unacknowledged */
  bt_alert_engine_acknowledge_all (f->engine);
  assert_step (f, "");              /* 81 again: nothing crossed, keys re-arm */
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_pointer (&keys, g_free);
  f->in.market = 59;
  keys = step_full (f, &events);
  g_assert_cmpstr (keys, ==, "market_score_cross:60,market_score_cross:80");
  g_assert_cmpint (find_event (events, "market_score_cross:60")->severity, ==, BT_SEVERITY_INFO);
  g_assert_cmpint (find_event (events, "market_score_cross:80")->severity, ==, BT_SEVERITY_INFO);

  /* a fresh engine given the previous market score detects the crossing */
  bt_alert_engine_free (f->engine);
  f->engine = bt_alert_engine_new ();
  f->in.market = 55;
  assert_step_at (f, &f->in.market_previous, 65, "market_score_cross:60");
}

/* ---- decision changes ---- */

static void
test_decision_changed (Fixture      *f,
                       gconstpointer data)
{
  /* first decision: nothing to compare with */
  f->in.action = BT_ACTION_HOLD;
  assert_step (f, "");
  assert_step (f, "");
  f->in.action = BT_ACTION_ENTER;
  f->in.urgency = BT_URGENCY_MEDIUM;
  assert_fires (f, "decision_changed:ENTER", BT_SEVERITY_INFO);
  assert_step (f, "");                                 /* unchanged */

  f->in.action = BT_ACTION_REDUCE;
  f->in.urgency = BT_URGENCY_HIGH;
  assert_fires (f, "decision_changed:REDUCE", BT_SEVERITY_WARNING);

  /* REDUCE ↔ ENTER flapping while unacknowledged: silent */
  f->in.action = BT_ACTION_ENTER;
  f->in.urgency = BT_URGENCY_MEDIUM;
  assert_step (f, "");
  f->in.action = BT_ACTION_REDUCE;
  f->in.urgency = BT_URGENCY_HIGH;
  assert_step (f, "");

  /* a new action is a new key: the circuit breaker always gets through */
  f->in.action = BT_ACTION_EXIT;
  f->in.urgency = BT_URGENCY_CRITICAL;
  assert_fires (f, "decision_changed:EXIT", BT_SEVERITY_CRITICAL);

  /* the caller's previous action takes precedence over the engine's memory */
  bt_alert_engine_free (f->engine);
  f->engine = bt_alert_engine_new ();
  f->in.previous_action = BT_ACTION_HOLD;
  f->in.action = BT_ACTION_ADD;
  f->in.urgency = BT_URGENCY_MEDIUM;
  assert_step (f, "decision_changed:ADD");
  f->in.previous_action = BT_ACTION_ADD;
  assert_step (f, "");
}

/* ---- the other thresholds, each edge on both sides ---- */

static void
test_thresholds (Fixture      *f,
                 gconstpointer data)
{
  const struct
  {
    double      heat, price, price_24h, funding, distance;
    const char *want;
  } cases[] = {
    { 100, NAN, NAN, NAN, NAN, "" },                     /* heat must exceed 100 */
    { 100.1, NAN, NAN, NAN, NAN, "portfolio_heat" },
    { NAN, 109.99, 100, NAN, NAN, "" },                  /* +9.99 % */
    { NAN, 110.5, 100, NAN, NAN, "price_move:up" },      /* +10.5 % */
    { NAN, 90.5, 100, NAN, NAN, "" },                    /* −9.5 % */
    { NAN, 89.5, 100, NAN, NAN, "price_move:down" },     /* −10.5 % */
    { NAN, 120, NAN, NAN, NAN, "" },                     /* unknown 24 h ago */
    { NAN, NAN, NAN, 0.05, NAN, "" },
    { NAN, NAN, NAN, 0.0501, NAN, "funding_extreme:high" },
    { NAN, NAN, NAN, -0.03, NAN, "" },
    { NAN, NAN, NAN, -0.0301, NAN, "funding_extreme:low" },
    { NAN, NAN, NAN, NAN, 25, "" },
    { NAN, NAN, NAN, NAN, 24.99, "liquidation_distance" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) events = NULL;
      g_autofree char *keys = NULL;

      bt_alert_engine_free (f->engine);
      f->engine = bt_alert_engine_new ();
      bt_alert_inputs_init (&f->in);
      f->in.heat = cases[i].heat;
      f->in.price = cases[i].price;
      f->in.price_24h_ago = cases[i].price_24h;
      f->in.funding_rate_7d = cases[i].funding;
      f->in.liquidation_distance = cases[i].distance;
      keys = step_full (f, &events);
      g_assert_cmpstr (keys, ==, cases[i].want);
      if (events->len == 1)
        {
          BtAlertEvent *e = g_ptr_array_index (events, 0);

          g_assert_cmpint (e->severity, ==,
                           e->kind == BT_ALERT_FUNDING_EXTREME ? BT_SEVERITY_INFO
                                                               : BT_SEVERITY_WARNING);
        }
    }
}

static void
test_data_stale (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *keys = NULL;

  f->in.source_interval_seconds[BT_SOURCE_COINMETRICS] = 3600;
  f->in.source_failing_seconds[BT_SOURCE_COINMETRICS] = 3 * 3600;   /* not longer than 3 */
  f->in.source_interval_seconds[BT_SOURCE_BINANCE] = 60;
  f->in.source_failing_seconds[BT_SOURCE_BINANCE] = 0;
  assert_step (f, "");
  f->in.source_failing_seconds[BT_SOURCE_COINMETRICS] = 3 * 3600 + 1;
  f->in.source_failing_seconds[BT_SOURCE_BINANCE] = 181;
  keys = step_full (f, &events);
  g_assert_cmpstr (keys, ==, "data_stale:binance,data_stale:coinmetrics");
  g_assert_cmpint (find_event (events, "data_stale:binance")->severity, ==, BT_SEVERITY_WARNING);
  /* binance recovers */
  f->in.source_failing_seconds[BT_SOURCE_BINANCE] = 0;
  assert_step (f, "");
  assert_cleared (f, "data_stale:binance");
  /* a source without an interval never alerts */
  f->in.source_failing_seconds[BT_SOURCE_KRAKEN] = 1e9;
  assert_step (f, "");
}

static void
test_disabled (Fixture      *f,
               gconstpointer data)
{
  g_assert_true (bt_rules_set (&f->rules, "alerts.health_factor.enabled", "false", NULL));
  f->in.health_factor = 1.0;
  assert_step_at (f, &f->in.heat, 150, "portfolio_heat");
  assert_step (f, "");
  /* switched back on while the condition holds: it fires */
  g_assert_true (bt_rules_set (&f->rules, "alerts.health_factor.enabled", "true", NULL));
  assert_step (f, "health_factor:critical,health_factor:warning");

  /* configured thresholds apply */
  g_assert_true (bt_rules_set (&f->rules, "alerts.heat", "200", NULL));
  bt_alert_engine_acknowledge_all (f->engine);
  assert_step_at (f, &f->in.heat, 150, "");
  assert_cleared (f, "portfolio_heat");
}

static void
test_pending_keys (Fixture      *f,
                   gconstpointer data)
{
  g_auto(GStrv) pending = NULL;
  g_auto(GStrv) after = NULL;

  f->in.heat = 150;
  assert_step_at (f, &f->in.health_factor, 1.4, "health_factor:warning,portfolio_heat");
  pending = bt_alert_engine_dup_pending_keys (f->engine);
  g_assert_cmpuint (g_strv_length (pending), ==, 2);
  g_assert_cmpstr (pending[0], ==, "health_factor:warning");
  g_assert_cmpstr (pending[1], ==, "portfolio_heat");
  bt_alert_engine_acknowledge (f->engine, "portfolio_heat");
  after = bt_alert_engine_dup_pending_keys (f->engine);
  g_assert_cmpuint (g_strv_length (after), ==, 1);
  g_assert_cmpstr (after[0], ==, "health_factor:warning");
}

/* ---- state persisted as JSON ---- */

static void
test_state_json (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autoptr(GError) error = NULL;
  BtAlertEngine *restored;

  f->in.health_factor = 1.4;
  f->in.market = 45;
  f->in.action = BT_ACTION_HOLD;
  assert_step (f, "health_factor:warning");

  json = bt_alert_engine_to_json (f->engine);
  restored = bt_alert_engine_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restored);
  json2 = bt_alert_engine_to_json (restored);
  g_assert_cmpstr (json, ==, json2);
  bt_alert_engine_free (f->engine);
  f->engine = restored;

  /* the restored engine remembers: no refire, market side and action known */
  assert_step (f, "");
  f->in.market = 38;
  f->in.action = BT_ACTION_EXIT;
  f->in.urgency = BT_URGENCY_CRITICAL;
  assert_step (f, "decision_changed:EXIT,market_score_cross:40");
  /* and acknowledgement + clear + return still works */
  g_assert_true (bt_alert_engine_acknowledge (f->engine, "health_factor:warning"));
  assert_step_at (f, &f->in.health_factor, 2, "");
  assert_step_at (f, &f->in.health_factor, 1.3, "health_factor:warning");

  /* malformed states are refused with an error, never a warning */
  {
    const char *bad[] = {
      "not json",
      "[1, 2]",
      "{}",
      "{\"version\": 99}",
      "{\"version\": 1, \"last_market\": \"high\"}",
      "{\"version\": 1, \"last_action\": \"PANIC\"}",
      "{\"version\": 1, \"keys\": []}",
      "{\"version\": 1, \"keys\": {\"x\": 1}}",
      "{\"version\": 1, \"keys\": {\"x\": {\"kind\": \"nope\"}}}",
      "{\"version\": 1, \"keys\": {\"x\": {\"kind\": 3}}}",
      "{\"version\": 1, \"keys\": {\"x\": {\"kind\": \"health_factor\", \"armed\": \"yes\"}}}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_clear_error (&error);
        g_assert_null (bt_alert_engine_new_from_json (bad[i], &error));
        g_assert_error (error, BT_ALERT_ERROR, BT_ALERT_ERROR_INVALID_STATE);
      }
  }
  /* a minimal valid state */
  g_clear_error (&error);
  restored = bt_alert_engine_new_from_json ("{\"version\": 1}", &error);
  g_assert_no_error (error);
  bt_alert_engine_free (restored);
}

/* The message never reads "1.25 is below 1.25": enough decimals to show
 * the value below the threshold. */
static void
test_health_factor_message (Fixture      *f,
                            gconstpointer data)
{
  g_autoptr(GPtrArray) events = NULL;
  const char *critical = NULL, *warning = NULL;

  f->in.time = f->time;
  f->in.health_factor = 1.247;   /* rounds to 1.25 with two decimals */
  events = bt_alert_engine_evaluate (f->engine, &f->rules, &f->in);
  for (guint i = 0; i < events->len; i++)
    {
      BtAlertEvent *e = g_ptr_array_index (events, i);

      if (g_str_equal (e->key, "health_factor:critical"))
        critical = e->message;
      else if (g_str_equal (e->key, "health_factor:warning"))
        warning = e->message;
    }
  g_assert_nonnull (critical);
  g_assert_nonnull (warning);
  g_assert_true (g_str_has_prefix (critical, "Health factor 1.247 is below 1.25"));
  g_assert_true (g_str_has_prefix (warning, "Health factor 1.25 is below 1.50"));
}

/* Stored alerts are worded at display time: sources by their name for
 * people, actions by their label; unknown keys or values give NULL. */
static void
test_display_message (Fixture      *f,
                      gconstpointer data)
{
  g_autofree char *stale = bt_alert_format_message (
    "data_stale:binance-futures",
    "{\"failing_seconds\":1200,\"interval_seconds\":300,\"intervals\":3}");
  g_autofree char *decision = bt_alert_format_message (
    "decision_changed:EXIT", "{\"action\":\"EXIT\",\"previous_action\":\"HOLD\",\"urgency\":\"HIGH\"}");
  g_autofree char *hf = bt_alert_format_message (
    "health_factor:critical", "{\"health_factor\":1.247,\"threshold\":1.25}");
  g_autofree char *fell = bt_alert_format_message (
    "price_move:down", "{\"price\":45000,\"price_24h_ago\":50000,\"move_pct\":-10,\"threshold\":8}");
  g_autofree char *bad_json = bt_alert_format_message ("health_factor:warning", "{\"health_factor\":");
  g_autofree char *bad_kind = bt_alert_format_message ("no_such_kind", "{}");
  g_autofree char *bad_source = bt_alert_format_message (
    "data_stale:nowhere", "{\"failing_seconds\":1200,\"interval_seconds\":300,\"intervals\":3}");
  g_autofree char *missing = bt_alert_format_message ("portfolio_heat", "{\"heat\":null}");

  g_assert_cmpstr (stale, ==, "The source “Binance Futures” has been failing for 20 minutes, more "
                              "than 3 of its update intervals: its data is getting old.");
  g_assert_cmpstr (decision, ==, "The decision changed from “Hold” to “Exit”.");
  g_assert_cmpstr (hf, ==, "Health factor 1.247 is below 1.25: liquidation is close, repay debt "
                           "or add collateral now.");
  g_assert_cmpstr (fell, ==, "The price fell 10.0 % in 24 hours, from 50000.00 to 45000.00 USD.");
  g_assert_null (bad_json);
  g_assert_null (bad_kind);
  g_assert_null (bad_source);
  g_assert_null (missing);
  g_assert_cmpstr (bt_source_display_name (BT_SOURCE_COINMETRICS), ==, "Coin Metrics");
}

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/core/alerts/health-factor", test_health_factor);
  ADD ("/core/alerts/health-factor-message", test_health_factor_message);
  ADD ("/core/alerts/ack-order", test_ack_order);
  ADD ("/core/alerts/market-cross", test_market_cross);
  ADD ("/core/alerts/decision-changed", test_decision_changed);
  ADD ("/core/alerts/thresholds", test_thresholds);
  ADD ("/core/alerts/data-stale", test_data_stale);
  ADD ("/core/alerts/disabled", test_disabled);
  ADD ("/core/alerts/pending-keys", test_pending_keys);
  ADD ("/core/alerts/state-json", test_state_json);
  ADD ("/core/alerts/display-message", test_display_message);

  return g_test_run ();
}
