/* End-to-end tests of btc-turbo-cli: the commands, their JSON/CSV contract,
 * exit statuses and one-line errors, run as a script would run them. */
#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "bt-domain.h"
#include "bt-store.h"
#include "bt-test-util.h"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("bt-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "test.sqlite", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  bt_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

/* Run the CLI with --db F->DB and ARGS; returns the exit status. */
static int
run_cli (Fixture     *f,
         char       **out,
         char       **err,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("BT_CLI");
  va_list ap;
  int status = -1;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, f->db);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  /* a test reads each command's output in the same two strings */
  g_clear_pointer (out, g_free);
  g_clear_pointer (err, g_free);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status,
                &error);
  g_assert_no_error (error);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return -1;
}

/* The output of COMMAND, which must succeed. */
static char *
run_ok (Fixture    *f,
        const char *command)
{
  g_autofree char *err = NULL;
  char *out = NULL;

  g_assert_cmpint (run_cli (f, &out, &err, command, NULL), ==, 0);
  return out;
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    if (*p == '\n')
      n++;
  return n;
}

/* An error is one line that names PART. */
static void
assert_one_line (const char *err,
                 const char *part)
{
  g_assert_cmpuint (count_lines (err), ==, 1);
  g_assert_nonnull (strstr (err, part));
}

static void
assert_rel (double have,
            double want)
{
  g_assert_cmpfloat (fabs (have - want), <=, 1e-9 * MAX (1.0, fabs (want)));
}

static void
import_linear (Fixture *f)
{
  g_autofree char *csv = data_path ("cli-linear.csv");
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_cli (f, &out, &err, "import", csv, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *commands[] = { "import", "imports", "history", "migrate-v1", "collect", "indicators", "score", "decide",
                             "stress", "backtest", "sweep", "alerts", "report" };

  g_assert_cmpint (run_cli (f, &out, &err, "--help", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_assert_nonnull (strstr (out, commands[i]));
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_cli (f, &out, &err, "frobnicate", NULL), ==, 2);
  g_assert_cmpuint (count_lines (err), ==, 1);
  g_assert_true (g_str_has_prefix (err, "btc-turbo-cli: "));

  g_assert_cmpint (run_cli (f, &out, &err, "score", "--bogus", NULL), ==, 2);
  g_assert_cmpuint (count_lines (err), ==, 1);

  g_assert_cmpint (run_cli (f, &out, &err, "score", "--date", "2021-02-30", NULL), ==, 2);
  assert_one_line (err, "2021-02-30");
}

static void
test_empty_database (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_cli (f, &out, &err, "score", "--json", NULL), ==, 1);
  assert_one_line (err, "import");
  g_assert_cmpstr (out, ==, "");
}

/* closes 100, 101, …, 159 on 2021-01-01 … 2021-03-01 */
static void
test_indicators_csv (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  g_auto(GStrv) day15 = NULL;
  g_auto(GStrv) day16 = NULL;
  g_auto(GStrv) last = NULL;
  const char *expected_header =
    "date,btc_price,ema_17_1d,ema_34_1d,ema_144_1d,ema_305_1d,ema_610_1d,"
    "ema_17_1w,ema_34_1w,ema_144_1w,ema_305_1w,ema_610_1w,rsi_daily,rsi_weekly,rsi_monthly,"
    "bb_upper,bb_middle,bb_lower,bbw_percentage,mvrv_z_score,realized_price_ratio,"
    "puell_multiple,sth_sopr,exchange_netflow,funding_rate_7d,long_short_ratio,"
    "score_cycle,score_momentum,score_technical,score_market,confidence";
  double sd;

  import_linear (f);
  g_assert_cmpint (run_cli (f, &out, &err, "indicators", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, expected_header);
  /* 60 days + header + the empty piece after the final newline */
  g_assert_cmpuint (g_strv_length (lines), ==, 62);
  header = g_strsplit (lines[0], ",", -1);

  /* Day 16 (2021-01-17, close 116): the first EMA(17) is the SMA of
   * 100…116 = 108; no EMA before it. */
  day16 = g_strsplit (lines[17], ",", -1);
  g_assert_cmpstr (day16[0], ==, "2021-01-17");
  g_assert_cmpstr (day16[1], ==, "116");
  g_assert_cmpstr (day16[2], ==, "108");
  day15 = g_strsplit (lines[16], ",", -1);
  g_assert_cmpstr (day15[2], ==, "");

  /* Last day (2021-03-01, close 159): on a line x_t = t the TA-Lib EMA(17)
   * seeded with SMA(100…116) = 116 − 8 keeps the lag (17 − 1) / 2 = 8
   * exactly, so it is 151.  Only rises: RSI 100.  Bollinger over 140…159:
   * middle 149.5, population sd = sqrt((20² − 1) / 12) = sqrt(33.25). */
  last = g_strsplit (lines[60], ",", -1);
  g_assert_cmpstr (last[0], ==, "2021-03-01");
  assert_rel (g_ascii_strtod (last[2], NULL), 151.0);
  assert_rel (g_ascii_strtod (last[12], NULL), 100.0);
  sd = sqrt (33.25);
  assert_rel (g_ascii_strtod (last[15], NULL), 149.5 + 2 * sd);
  assert_rel (g_ascii_strtod (last[16], NULL), 149.5);
  assert_rel (g_ascii_strtod (last[17], NULL), 149.5 - 2 * sd);
  assert_rel (g_ascii_strtod (last[18], NULL), 4 * sd / 149.5 * 100);
  /* no on-chain data: empty cells, never 0 */
  g_assert_cmpstr (last[19], ==, "");
  g_assert_cmpstr (last[20], ==, "");
}

static void
test_indicators_json_range (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *rows;
  JsonObject *first;

  import_linear (f);
  g_assert_cmpint (run_cli (f, &out, &err, "indicators", "--from", "2021-01-17", "--to",
                            "2021-01-19", "--format", "json", NULL), ==, 0);
  root = parse_json (out);
  rows = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  first = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "date"), ==, "2021-01-17");
  assert_rel (json_object_get_double_member (first, "ema_17_1d"), 108.0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (first, "ema_34_1d")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (first, "mvrv_z_score")));
}

static void
test_score_json (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o, *indicators, *rsi, *mvrv;
  const char *names[] = { "btc_price", "mvrv_z_score", "realized_price_ratio", "puell_multiple",
                          "rsi_weekly", "rsi_monthly", "funding_rate_7d", "sth_sopr",
                          "exchange_netflow", "long_short_ratio", "ema_system", "bbw" };

  import_linear (f);
  /* the seed's weights (the adaptive profile is checked at the end) */
  g_assert_cmpint (run_cli (f, &out, &err, "score", "--json", "--set", "profile=seed-v5", NULL), ==, 0);
  root = parse_json (out);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "date"), ==, "2021-03-01");
  indicators = json_object_get_object_member (o, "indicators");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonObject *ind = json_object_get_object_member (indicators, names[i]);

      g_assert_nonnull (ind);
      g_assert_true (json_object_has_member (ind, "value"));
      g_assert_true (json_object_has_member (ind, "score"));
      g_assert_true (json_object_has_member (ind, "flag"));
      g_assert_true (json_object_has_member (ind, "source"));
    }
  /* Ten weekly bars (ISO weeks from Monday 2020-12-28; the last one live):
   * RSI(14) needs 15 bars, so it is missing — never 0. */
  rsi = json_object_get_object_member (indicators, "rsi_weekly");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (rsi, "value")));
  g_assert_cmpstr (json_object_get_string_member (rsi, "flag"), ==, "missing");
  mvrv = json_object_get_object_member (indicators, "mvrv_z_score");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (mvrv, "score")));
  /* Prices came from a CSV: flagged as imported, sourced "import". */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (indicators, "btc_price"), "flag"),
                   ==, "imported");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (indicators, "btc_price"), "source"),
                   ==, "import");
  /* Only the EMA system is present (BBW needs 60 days of widths; day 19
   * is the first): confidence = 30 × 20/30 / 100 = 20 %. */
  assert_rel (json_object_get_double_member (o, "confidence"), 20.0);
  /* EMAs present: 17 and 34 daily (151 and 159 − 16.5 = 142.5); the close
   * 159 is above both (position 1) and 17 > 34 (alignment 1): 100 */
  assert_rel (json_object_get_double_member (o, "technical"), 100.0);
  assert_rel (json_object_get_double_member (o, "market"), 100.0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (o, "cycle")));

  /* The default (adaptive) profile weights the technical category 5 of 100
   * (docs/rulebook.md §3): confidence = 5 × 20/30 = 3.33 %; the stored
   * rows were not touched by the one-off --set above. */
  {
    g_autofree char *out2 = NULL, *err2 = NULL;
    g_autoptr(JsonNode) root2 = NULL;

    g_assert_cmpint (run_cli (f, &out2, &err2, "score", "--json", NULL), ==, 0);
    root2 = json_from_string (out2, NULL);
    g_assert_nonnull (root2);
    assert_rel (json_object_get_double_member (json_node_get_object (root2), "confidence"),
                5.0 * 20 / 30);
    assert_rel (json_object_get_double_member (json_node_get_object (root2), "market"), 100.0);
  }
  /* an unknown profile is a usage error */
  {
    g_autofree char *out3 = NULL, *err3 = NULL;

    g_assert_cmpint (run_cli (f, &out3, &err3, "score", "--set", "profile=bogus", NULL), ==, 2);
    g_assert_nonnull (strstr (err3, "bogus"));
  }
}

static void
test_decide_with_position (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;
  double hf;

  import_linear (f);
  /* DATA_SOURCES.md §6 worked example: 122,533.8435 USD of collateral
   * against 48,210.774512 USD of debt at LT 0.78. */
  g_assert_cmpint (run_cli (f, &out, &err, "decide", "--collateral-usd", "122533.8435",
                            "--debt-usd", "48210.774512", "--json", NULL), ==, 0);
  root = parse_json (out);
  o = json_node_get_object (root);
  hf = 122533.8435 * 0.78 / 48210.774512;   /* 1.98246966… */
  assert_rel (json_object_get_double_member (o, "health_factor"), hf);
  assert_rel (json_object_get_double_member (o, "leverage"), 122533.8435 / (122533.8435 - 48210.774512));
  assert_rel (json_object_get_double_member (o, "liquidation_price"), 159.0 / hf);
  /* confidence 20 < 50: never act on thin data */
  g_assert_cmpstr (json_object_get_string_member (o, "rule"), ==, "insufficient_data");
  g_assert_cmpstr (json_object_get_string_member (o, "action"), ==, "HOLD");
  g_assert_cmpstr (json_object_get_string_member (o, "urgency"), ==, "LOW");
  g_assert_true (strlen (json_object_get_string_member (o, "reason")) > 0);
}

/* stress on the linear series: close 100 + t, low 99 + t, so the lowest
 * low after any day t is the next day's, 100 + t + 1 − 1 = the close of t:
 * every fall is 0 %, the worst from the first day (the earliest of the
 * ties); the safe leverage is 1/(1 − 0.78) = 4.5454…  On the last day
 * (index 59) a w-day window starts on days 0…59 − w. */
static void
test_stress (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) root2 = NULL;
  static const int days[] = { 1, 2, 3, 7, 30 };
  JsonObject *o;
  JsonArray *windows;
  double hf = 100000 * 0.78 / 40000;   /* 1.95 */

  import_linear (f);
  /* a position is needed */
  g_assert_cmpint (run_cli (f, &out, &err, "stress", NULL), ==, 2);
  assert_one_line (err, "--collateral-usd");

  g_assert_cmpint (run_cli (f, &out, &err, "stress", "--collateral-usd", "100000",
                            "--debt-usd", "40000", "--json", NULL), ==, 0);
  root = parse_json (out);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "date"), ==, "2021-03-01");
  assert_rel (json_object_get_double_member (o, "liquidation_price"), 159.0 / hf);
  assert_rel (json_object_get_double_member (o, "liquidation_distance"), (1 - 1 / hf) * 100);
  windows = json_object_get_array_member (o, "windows");
  g_assert_cmpuint (json_array_get_length (windows), ==, 5);
  for (guint k = 0; k < 5; k++)
    {
      JsonObject *w = json_array_get_object_element (windows, k);

      g_assert_cmpint (json_object_get_int_member (w, "days"), ==, days[k]);
      g_assert_cmpint (json_object_get_int_member (w, "windows"), ==, 60 - days[k]);
      g_assert_cmpfloat (fabs (json_object_get_double_member (w, "worst_fall")), <, 1e-12);
      g_assert_cmpstr (json_object_get_string_member (w, "worst_start"), ==, "2021-01-01");
      g_assert_cmpfloat (json_object_get_double_member (w, "exceed_share"), ==, 0);
      assert_rel (json_object_get_double_member (w, "safe_leverage"), 1 / (1 - 0.78));
    }

  /* on 2021-01-10 (index 9) a 30-day window does not fit: nulls; the
   * 7-day windows start on days 0…2 */
  g_assert_cmpint (run_cli (f, &out, &err, "stress", "--date", "2021-01-10", "--collateral-usd",
                            "100000", "--debt-usd", "40000", "--liquidation-threshold", "0.8",
                            "--json", NULL), ==, 0);
  root2 = parse_json (out);
  windows = json_object_get_array_member (json_node_get_object (root2), "windows");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (windows, 3), "windows"), ==, 3);
  {
    JsonObject *w = json_array_get_object_element (windows, 4);

    g_assert_cmpint (json_object_get_int_member (w, "windows"), ==, 0);
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (w, "worst_fall")));
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (w, "worst_start")));
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (w, "exceed_share")));
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (w, "safe_leverage")));
  }
  /* 1/(1 − 0.8) = 5 */
  assert_rel (json_object_get_double_member (json_array_get_object_element (windows, 0), "safe_leverage"), 5.0);

  /* a wallet's latest reading (without its threshold: the health factor
   * 1.56 gives it back, 1.56·40 000/100 000 = 0.624): liquidation price
   * 159/1.56, safe leverage 1/(1 − 0.624) */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BtStore) store = bt_store_open (f->db, &error);
    g_autoptr(BtPosition) reading = NULL;
    g_autofree char *wout = NULL, *werr = NULL;
    g_autoptr(JsonNode) wroot = NULL;
    BtPositionData d;

    g_assert_no_error (error);
    bt_position_data_init (&d);
    d.timestamp = 1614556800;
    d.collateral_usd = 100000;
    d.debt_usd = 40000;
    d.health_factor = 1.56;
    reading = bt_position_new ("0x52908400098527886e0f7030069857d2e4169ee7", &d);
    g_assert_true (bt_store_insert_position (store, reading, &error));
    g_assert_no_error (error);
    g_clear_object (&store);
    g_assert_cmpint (run_cli (f, &wout, &werr, "stress", "--wallet",
                              "0x52908400098527886e0f7030069857d2e4169ee7", "--json", NULL), ==, 0);
    wroot = parse_json (wout);
    assert_rel (json_object_get_double_member (json_node_get_object (wroot), "liquidation_price"), 159.0 / 1.56);
    assert_rel (json_object_get_double_member (json_node_get_object (wroot), "liquidation_threshold"), 0.624);
    assert_rel (json_object_get_double_member (json_array_get_object_element (json_object_get_array_member (json_node_get_object (wroot), "windows"), 0),
                                               "safe_leverage"), 1 / (1 - 0.624));
  }

  /* a wallet never read, and the human table */
  g_assert_cmpint (run_cli (f, &out, &err, "stress", "--wallet",
                            "0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c", NULL), ==, 1);
  g_assert_cmpuint (count_lines (err), ==, 1);
  g_assert_cmpint (run_cli (f, &out, &err, "stress", "--collateral-usd", "100000",
                            "--debt-usd", "40000", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "2021-03-01"));
  g_assert_cmpuint (count_lines (out), ==, 10);
}

static void
test_bad_import_leaves_data (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *bad = data_path ("cli-bad-high-low.csv");
  g_autofree char *before = NULL, *after = NULL, *err = NULL, *out = NULL;

  import_linear (f);
  before = run_ok (f, "indicators");
  g_assert_cmpint (run_cli (f, &out, &err, "import", bad, NULL), ==, 1);
  /* one line naming the file and the line (3: the second data row) */
  assert_one_line (err, "cli-bad-high-low.csv");
  g_assert_nonnull (strstr (err, ":3"));
  after = run_ok (f, "indicators");
  g_assert_cmpstr (before, ==, after);
}

static void
test_reimport_changes_nothing (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *csv = data_path ("cli-linear.csv");
  g_autofree char *out = NULL, *err = NULL;

  import_linear (f);
  g_assert_cmpint (run_cli (f, &out, &err, "import", csv, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "already imported as import 1"));
  g_assert_nonnull (strstr (out, "nothing changed"));
}

static void
test_date_outside (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;

  import_linear (f);
  g_assert_cmpint (run_cli (f, &out, &err, "score", "--date", "1999-01-01", NULL), ==, 1);
  assert_one_line (err, "2021-01-01");
}

static void
test_report_text_and_pdf (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "report.pdf", NULL);
  g_autofree char *bytes = NULL;
  gsize len = 0;

  import_linear (f);
  g_assert_cmpint (run_cli (f, &out, &err, "report", "--date", "2021-03-01", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "2021-03-01"));
  /* the close of that day, as the report prints it (LC_ALL=C.UTF-8 here) */
  g_assert_nonnull (strstr (out, "159.00"));


  g_assert_cmpint (run_cli (f, &out2, &err2, "report", "--output", pdf, NULL), ==, 0);
  g_assert_cmpstr (err2, ==, "");
  g_assert_true (g_file_get_contents (pdf, &bytes, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_true (g_str_has_prefix (bytes, "%PDF-"));
  g_assert_nonnull (g_strrstr_len (bytes + len - 32, 32, "%%EOF"));
}

/* The report is text for people: in Brazilian Portuguese, a decimal comma
 * (the close of 2021-03-01 is 159, as above). */
static void
test_report_pt_br (Fixture       *f,
                   gconstpointer  data)
{
  import_linear (f);
  {
    g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
    g_autofree char *out_pt = NULL, *err_pt = NULL;
    g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "LC_ALL", "pt_BR.UTF-8", TRUE);
    const char *argv[] = { g_getenv ("BT_CLI"), "--db", f->db, "report", "--date", "2021-03-01", NULL };
    g_autoptr(GError) error = NULL;
    int status = -1;

    if (setlocale (LC_ALL, "pt_BR.UTF-8") != NULL)
      {
        setlocale (LC_ALL, saved);
        g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out_pt, &err_pt,
                      &status, &error);
        g_assert_no_error (error);
        g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
        g_assert_nonnull (strstr (out_pt, "159,00"));
        g_assert_null (strstr (out_pt, "159.00"));
      }
    else
      g_test_message ("no pt_BR.UTF-8 locale: the Brazilian report is not checked");
  }
}

static void
test_newer_schema_refused (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *before = NULL, *after = NULL;
  gsize len_before, len_after;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future(x); PRAGMA user_version = 9999;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (f->db, &before, &len_before, NULL));

  g_assert_cmpint (run_cli (f, &out, &err, "score", NULL), ==, 1);
  assert_one_line (err, "newer");

  g_assert_true (g_file_get_contents (f->db, &after, &len_after, NULL));
  g_assert_cmpuint (len_before, ==, len_after);
  g_assert_true (memcmp (before, after, len_before) == 0);
}

/* ---- imports, history ------------------------------------------------------ */

static char *
write_file (Fixture    *f,
            const char *name,
            const char *content)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  return path;
}

/* An exchange export, then a close-only file over more days; removing the
 * second gives back exactly the history and indicators of the first alone. */
static void
test_imports_history_remove (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *a = write_file (f, "exchange.csv",
                                   "Date,Open,High,Low,Close,Volume\n"
                                   "2024-01-02,100,110,95,105,7\n"
                                   "2024-01-03,105,120,101,118,8\n"
                                   "2024-01-04,118,119,99,100,9\n");
  g_autofree char *b = write_file (f, "reference.csv",
                                   "date,price\n"
                                   "2024-01-05,101\n2024-01-04,101.5\n2024-01-03,117\n2024-01-01,98\n");
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *history_a = NULL, *indicators_a = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *arr;

  /* a mapping to a field nobody knows: a usage error, nothing imported */
  g_assert_cmpint (run_cli (f, &out, &err, "import", a, "--column", "Close=closing", NULL), ==, 2);
  assert_one_line (err, "Close=closing");
  g_assert_cmpint (run_cli (f, &out, &err, "import", a, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "import 1,"));
  g_clear_pointer (&out, g_free);
  history_a = run_ok (f, "history");
  g_assert_cmpstr (history_a, ==,
                   "date,open,high,low,close,volume,source\n"
                   "2024-01-02,100,110,95,105,7,import:1\n"
                   "2024-01-03,105,120,101,118,8,import:1\n"
                   "2024-01-04,118,119,99,100,9,import:1\n");
  indicators_a = run_ok (f, "indicators");

  g_assert_cmpint (run_cli (f, &out, &err, "import", b, NULL), ==, 0);
  /* the exchange keeps its candles; the reference fills the other days */
  g_assert_cmpint (run_cli (f, &out, &err, "history", "--from", "2024-01-01", "--to", "2024-01-05", NULL), ==, 0);
  g_assert_cmpstr (out, ==,
                   "date,open,high,low,close,volume,source\n"
                   "2024-01-01,,,,98,,import:2\n"
                   "2024-01-02,100,110,95,105,7,import:1\n"
                   "2024-01-03,105,120,101,118,8,import:1\n"
                   "2024-01-04,118,119,99,100,9,import:1\n"
                   "2024-01-05,,,,101,,import:2\n");
  g_assert_cmpint (run_cli (f, &out, &err, "history", "--from", "2024-01-04", "--format", "json", NULL), ==, 0);
  root = parse_json (out);
  arr = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (arr), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (arr, 0), "low"), ==, 99);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (arr, 1), "open"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (arr, 1), "source"), ==,
                   "import:2");
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (arr, 1), "provisional"));

  g_assert_cmpint (run_cli (f, &out, &err, "imports", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "id,file,kind,imported_at,rows,first_day,last_day\n1,exchange.csv,ohlcv,"));
  g_assert_nonnull (strstr (out, ",3,2024-01-02,2024-01-04\n2,reference.csv,coinmetrics,"));
  g_assert_true (g_str_has_suffix (out, ",4,2024-01-01,2024-01-05\n"));

  g_assert_cmpint (run_cli (f, &out, &err, "imports", "--remove", "7", NULL), ==, 1);
  assert_one_line (err, "no import 7");
  g_assert_cmpint (run_cli (f, &out, &err, "imports", "--remove", "2", NULL), ==, 0);
  g_assert_cmpint (run_cli (f, &out, &err, "history", NULL), ==, 0);
  g_assert_cmpstr (out, ==, history_a);
  /* the market_data rows of the removed days are gone, the rest recomputed */
  g_assert_cmpint (run_cli (f, &out, &err, "indicators", NULL), ==, 0);
  g_assert_cmpstr (out, ==, indicators_a);
}

/* Every real file of ../shared/data imports with the README's commands. */
static void
test_real_files (Fixture       *f,
                 gconstpointer  data)
{
  const char *shared = g_getenv ("BT_SHARED_DATA");
  static const char *const commands[][6] = {
    { "binance-btcusdt-1d-2017-2026.csv", NULL },
    { "coinmetrics-btc-2009-2019.csv", NULL },
    { "coinmetrics-btc-2009-2020.csv", NULL },
    { "coinmetrics-btc-2013-2026.csv", "mvrv=CapMVRVCur", "market_cap=CapMrktCurUSD", "price=PriceUSD",
      "supply=SplyCur", NULL },
    { "binance-btcusdt-funding-daily-2019-2026.csv", "funding_mean=funding_rate", "funding_abs=ignore", NULL },
    { "glassnode-btc-sth-sopr-2010-2019.csv", "indicators_sopr_less_155=sth_sopr", NULL },
    { "glassnode-btc-exchange-netflow-2011-2020.csv",
      "transactions_transfers_volume_exchanges_net=exchange_netflow", NULL },
  };
  g_autofree char *out = NULL, *err = NULL, *funding = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *day;
  double sum = 0;
  guint n = 0;

  if (shared == NULL || !g_file_test (shared, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the real history is not there");
      return;
    }
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_autofree char *path = g_build_filename (shared, commands[c][0], NULL);
      g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;
      const char *cli = g_getenv ("BT_CLI");
      int status;

      g_ptr_array_add (argv, g_strdup (cli));
      g_ptr_array_add (argv, g_strdup ("--db"));
      g_ptr_array_add (argv, g_strdup (f->db));
      g_ptr_array_add (argv, g_strdup ("import"));
      g_ptr_array_add (argv, g_strdup (path));
      for (guint k = 1; k < 6 && commands[c][k] != NULL; k++)
        {
          g_ptr_array_add (argv, g_strdup ("--column"));
          g_ptr_array_add (argv, g_strdup (commands[c][k]));
        }
      g_ptr_array_add (argv, NULL);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("%s: %s", commands[c][0], err);
      g_assert_cmpstr (err, ==, "");
      /* the funding file's second column is ignored by name, not dropped */
      if (c == 4)
        g_assert_null (strstr (out, "not read"));
    }

  /* the exchange's own candle, even where four Coin Metrics rows overlap */
  g_assert_cmpint (run_cli (f, &out, &err, "history", "--from", "2017-08-17", "--to", "2017-08-17", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "date,open,high,low,close,volume,source\n"
                            "2017-08-17,4261.48,4485.39,4200.74,4285.08,795.150377,import:1\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* funding_rate_7d of 2019-11-17: the mean of the daily means of
   * 2019-11-11..17, read here from the file, in % */
  {
    g_autofree char *path = g_build_filename (shared, "binance-btcusdt-funding-daily-2019-2026.csv", NULL);

    g_assert_true (g_file_get_contents (path, &funding, NULL, NULL));
    lines = g_strsplit (funding, "\n", -1);
    for (guint l = 1; lines[l] != NULL; l++)
      if (strcmp (lines[l], "2019-11-11") >= 0 && strcmp (lines[l], "2019-11-18") < 0)
        {
          g_auto(GStrv) cells = g_strsplit (lines[l], ",", -1);

          sum += g_ascii_strtod (cells[1], NULL);
          n++;
        }
    g_assert_cmpuint (n, ==, 7);
  }
  g_assert_cmpint (run_cli (f, &out, &err, "indicators", "--from", "2019-11-17", "--to", "2019-11-17",
                            "--format", "json", NULL), ==, 0);
  root = parse_json (out);
  day = json_array_get_object_element (json_node_get_array (root), 0);
  assert_rel (json_object_get_double_member (day, "funding_rate_7d"), sum / n * 100);
  /* and the Glassnode short-term SOPR of that day, as written in its file */
  g_assert_cmpfloat (json_object_get_double_member (day, "sth_sopr"), ==, 0.997701985058873);
}

/* Gating you can see (docs/rulebook.md §5.1): on the 60-day price-only
 * series only the technical category can be present (weight 5 of 100 in
 * the adaptive profile; the ranked RSIs need 365 values), so confidence
 * stays ≤ 5 % and every one of the 60 decisions is held. */
static void
test_backtest_gating (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL, *text = NULL, *err2 = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o, *missing;

  import_linear (f);
  g_assert_cmpint (run_cli (f, &out, &err, "backtest", "--json", NULL), ==, 0);
  root = json_from_string (out, NULL);
  g_assert_nonnull (root);
  o = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (o, "n_days"), ==, 60);
  g_assert_cmpint (json_object_get_int_member (o, "blocked_days"), ==, 60);
  missing = json_object_get_object_member (o, "blocked_missing");
  g_assert_cmpint (json_object_get_int_member (missing, "mvrv_z_score"), ==, 60);
  g_assert_cmpint (json_object_get_int_member (missing, "funding_rate_7d"), ==, 60);
  /* EMA(17) exists from day 17 on: the EMA system is missing on 16 days;
   * BBW needs 60 widths and the first is on day 20: missing on all 60 */
  g_assert_cmpint (json_object_get_int_member (missing, "ema_system"), ==, 16);
  g_assert_cmpint (json_object_get_int_member (missing, "bbw"), ==, 60);
  /* held, not traded: the initial position only */
  g_assert_cmpint (json_object_get_int_member (o, "total_trades"), ==, 1);
  g_assert_cmpint (run_cli (f, &text, &err2, "backtest", NULL), ==, 0);
  g_assert_nonnull (strstr (text, "Held for want of data: 60 days (missing: mvrv_z_score 60,"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/cli/help", test_help);
  ADD ("/cli/usage-errors", test_usage_errors);
  ADD ("/cli/empty-database", test_empty_database);
  ADD ("/cli/indicators/csv", test_indicators_csv);
  ADD ("/cli/indicators/json-range", test_indicators_json_range);
  ADD ("/cli/score/json", test_score_json);
  ADD ("/cli/decide/position", test_decide_with_position);
  ADD ("/cli/stress", test_stress);
  ADD ("/cli/import/bad-leaves-data", test_bad_import_leaves_data);
  ADD ("/cli/import/reimport", test_reimport_changes_nothing);
  ADD ("/cli/score/date-outside", test_date_outside);
  ADD ("/cli/report/text-and-pdf", test_report_text_and_pdf);
  ADD ("/cli/report/pt_BR", test_report_pt_br);
  ADD ("/cli/store/newer-schema", test_newer_schema_refused);
  ADD ("/cli/imports/history-remove", test_imports_history_remove);
  ADD ("/cli/import/real-files", test_real_files);
  ADD ("/cli/backtest/gating", test_backtest_gating);
#undef ADD

  return g_test_run ();
}
