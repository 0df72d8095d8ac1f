/* The scheduler against a loopback synthetic market: a backfill fills the
 * store, an interrupted backfill resumes from the cursor in source_status,
 * failures keep the data and mark the source stale, the price falls back
 * binance → coinbase → kraken, and `btc-turbo-cli collect --once --backfill`
 * then `indicators` work end to end. */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "bt-base.h"
#include "bt-report.h"
#include "bt-scheduler.h"
#include "bt-scheduler-private.h"
#include "bt-store-private.h"
#include "bt-test-events.h"
#include "bt-test-server.h"
#include "bt-test-util.h"

typedef struct
{
  BtTestMarket market;
  gboolean     fail_binance;     /* 503 on spot klines */
  gboolean     fail_coinmetrics; /* truncated JSON */
  guint        cm_calls;
  guint        stop_after_cm;    /* cancel the run after this many Coin Metrics pages */
  GCancellable *cancel;
  guint        bgeo_calls;
  const char  *bgeo_retry_after; /* non-NULL: BGeometrics answers 429 with this Retry-After */
  BtTestRpc    rpc;              /* Aave over JSON-RPC when rpc.path is set */
  BtTestNotion notion;           /* a Notion database when notion.database_id is set */
} World;

static gboolean
world_handler (const BtTestRequest *req,
               gpointer             user_data)
{
  World *w = user_data;

  if (w->rpc.path != NULL && bt_test_rpc_handler (req, &w->rpc))
    return TRUE;
  if (w->notion.database_id != NULL && g_str_has_prefix (req->path, "/v1/databases/"))
    return bt_test_notion_handler (req, &w->notion);
  if (g_str_has_prefix (req->path, "/v1/"))
    {
      w->bgeo_calls++;
      if (w->bgeo_retry_after != NULL)
        {
          bt_test_add_header (req->msg, "Retry-After", w->bgeo_retry_after);
          bt_test_respond_text (req->msg, 429, "{\"error\":\"Too Many Requests\"}");
          return TRUE;
        }
    }
  if (w->fail_binance && strcmp (req->path, "/api/v3/klines") == 0)
    {
      bt_test_respond_text (req->msg, 503, "{\"code\":-1001,\"msg\":\"Internal error.\"}");
      return TRUE;
    }
  if (strcmp (req->path, "/v4/timeseries/asset-metrics") == 0)
    {
      w->cm_calls++;
      if (w->fail_coinmetrics)
        {
          bt_test_respond_text (req->msg, 200, "{\"data\":[{\"asset\":\"btc\",\"ti");
          return TRUE;
        }
      if (w->stop_after_cm > 0 && w->cm_calls == w->stop_after_cm && w->cancel != NULL)
        g_cancellable_cancel (w->cancel);
    }
  return bt_test_market_handler (req, &w->market);
}

typedef struct
{
  gboolean ok;
  guint    n_failed;
  GError  *error;
} Result;

static void
run_once (BtScheduler  *sched,
          gboolean      backfill,
          GCancellable *cancel,
          Result       *r)
{
  g_autoptr(GAsyncResult) result = NULL;

  memset (r, 0, sizeof *r);
  bt_test_event ("run_once (backfill %d) starts", backfill);
  bt_scheduler_run_once_async (sched, backfill, cancel, bt_test_result_cb, &result);
  r->ok = bt_scheduler_run_once_finish (sched, bt_test_wait_result (&result), &r->n_failed, &r->error);
  bt_test_event ("run_once ends: ok %d, %u failed%s%s", r->ok, r->n_failed,
                 r->error != NULL ? ": " : "", r->error != NULL ? r->error->message : "");
}

/* ---- the scheduler's signals, into the test's event log ---- */

static void
on_int_signal_cb (BtScheduler *sched,
                  int          value,
                  const char  *name)
{
  if (g_str_equal (name, "source-status-changed"))
    bt_test_event ("%s: %s", name, bt_source_name ((BtSource) value));
  else
    bt_test_event ("%s: %d", name, value);
}

static void
on_string_signal_cb (BtScheduler *sched,
                     const char  *value,
                     const char  *name)
{
  bt_test_event ("%s: %s", name, value);
}

static void
on_alert_raised_cb (BtScheduler *sched,
                    gint64       id,
                    gpointer     user_data)
{
  bt_test_event ("alert-raised: %" G_GINT64_FORMAT, id);
}

static void
log_scheduler_events (BtScheduler *sched)
{
  const char *int_signals[] = { "data-changed", "source-status-changed", "report-ready" };
  const char *string_signals[] = { "position-changed", "alert-cleared" };

  for (guint i = 0; i < G_N_ELEMENTS (int_signals); i++)
    g_signal_connect (sched, int_signals[i], G_CALLBACK (on_int_signal_cb), (gpointer) int_signals[i]);
  for (guint i = 0; i < G_N_ELEMENTS (string_signals); i++)
    g_signal_connect (sched, string_signals[i], G_CALLBACK (on_string_signal_cb),
                      (gpointer) string_signals[i]);
  g_signal_connect (sched, "alert-raised", G_CALLBACK (on_alert_raised_cb), NULL);
}

/* The world a test collects from: a loopback server answering as every
 * source (world_handler over W) and a private database at PATH, opened as
 * STORE by fixture_setup_store. */
typedef struct
{
  BtTestServer *server;
  char         *path;
  BtStore      *store;
  BtScheduler  *sched;
  World         w;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = bt_test_server_new ();
  f->path = bt_test_temp_db ("bt-sched-XXXXXX");
  bt_test_server_set_handler (f->server, world_handler, &f->w);
}

static void
fixture_setup_store (Fixture       *f,
                     gconstpointer  data)
{
  fixture_setup (f, data);
  f->store = bt_store_open (f->path, NULL);
  g_assert_nonnull (f->store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->sched);
  g_clear_object (&f->store);
  g_clear_pointer (&f->server, bt_test_server_free);
  bt_test_remove_db (f->path);
  g_free (f->path);
}

static BtScheduler *
make_scheduler (BtStore      *store,
                BtTestServer *server)
{
  g_autoptr(BtEngine) engine = bt_engine_new (store);
  BtScheduler *sched = bt_scheduler_new (engine);
  BtSource all[] = { BT_SOURCE_BINANCE, BT_SOURCE_BINANCE_FUTURES, BT_SOURCE_COINBASE,
                     BT_SOURCE_KRAKEN, BT_SOURCE_COINMETRICS, BT_SOURCE_BGEOMETRICS };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    g_assert_true (bt_scheduler_set_base_url (sched, all[i], bt_test_server_get_url (server), NULL));
  bt_scheduler_set_backoff_scale (sched, 0.001);   /* 60 ms first retry */
  /* no test here waits for the deadline: it is only a safety net */
  bt_scheduler_set_http_timeout_ms (sched, SAFETY_NET_MS);
  log_scheduler_events (sched);
  return sched;
}

/* A scheduler of F's world with only the source ONLY enabled. */
static BtScheduler *
make_scheduler_for (Fixture  *f,
                    BtSource  only)
{
  BtScheduler *sched = make_scheduler (f->store, f->server);

  for (int s = 0; s < BT_N_SOURCES; s++)
    bt_scheduler_set_source_enabled (sched, s, s == (int) only);
  return sched;
}

/* 00:00 UTC of the day N_DAYS before today. */
static gint64
start_of_day_before_today (gint64 n_days)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  return now - now % 86400 - n_days * 86400;
}

static guint
count_rows (BtStore    *store,
            const char *sql)
{
  g_autoptr(BtHistory) h = bt_store_load_history (store, NULL);
  guint n = 0;

  (void) sql;
  if (h == NULL)
    return 0;
  for (guint i = 0; i < h->n_days; i++)
    n += !isnan (h->input[BT_INPUT_CLOSE][i]);
  return n;
}

static void
test_backfill (Fixture       *f,
              gconstpointer  data)
{
  Result r;
  BtSourceStatus st = { 0 };
  guint days = 400;
  guint closes;
  int data_changed = 0;
  g_autofree char *unavailable = NULL;

  f->w.market.first_day = start_of_day_before_today (days - 1);
  f->sched = make_scheduler (f->store, f->server);
  g_signal_connect_swapped (f->sched, "data-changed", G_CALLBACK (g_atomic_int_inc), &data_changed);
  run_once (f->sched, TRUE, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpuint (r.n_failed, ==, 0);
  g_assert_cmpint (data_changed, ==, 1);
  closes = count_rows (f->store, NULL);
  /* every day from first_day to today has a close (Coin Metrics stops yesterday,
   * Binance has today's live bar) */
  g_assert_cmpuint (closes, ==, days);
  g_assert_true (bt_store_get_source_status (f->store, BT_SOURCE_BINANCE, &st, NULL));
  g_assert_false (st.stale);
  g_assert_cmpint (st.last_success, >, 0);
  g_assert_null (st.cursor);
  bt_source_status_clear (&st);
  /* binance succeeded: no fallback request went to coinbase or kraken */
  g_assert_cmpuint (bt_test_server_count (f->server, "/products/"), ==, 0);
  g_assert_cmpuint (bt_test_server_count (f->server, "/0/public/"), ==, 0);
  /* every metric was served */
  unavailable = bt_store_dup_setting (f->store, "source.coinmetrics.unavailable", NULL);
  g_assert_null (unavailable);
  /* a report for today exists once the market data is there (after 08:00 local) */
  {
    g_autoptr(BtEngine) engine = bt_engine_new (f->store);
    g_autofree char *text = bt_report_build (engine, BT_DAY_INVALID, NULL);

    g_assert_nonnull (text);
    g_assert_nonnull (strstr (text, "BTC"));
  }
}

static void
test_failure_keeps_data (Fixture       *f,
                        gconstpointer  data)
{
  Result r;
  BtSourceStatus st = { 0 };
  guint64 version;
  g_autoptr(BtHistory) before = NULL;
  g_autoptr(BtHistory) after = NULL;

  f->w.market.first_day = start_of_day_before_today (59);
  /* Coin Metrics two days behind: the second run has a day to ask for */
  f->w.market.cm_lag_days = 2;
  f->sched = make_scheduler (f->store, f->server);
  bt_scheduler_set_source_enabled (f->sched, BT_SOURCE_BINANCE_FUTURES, FALSE);
  run_once (f->sched, TRUE, NULL, &r);
  g_assert_cmpuint (r.n_failed, ==, 0);
  before = bt_store_load_history (f->store, NULL);

  /* Coin Metrics now answers truncated JSON; Binance 503s (coinbase takes over) */
  f->w.fail_coinmetrics = TRUE;
  f->w.fail_binance = TRUE;
  f->w.market.first_day += 86400 * 0;
  version = bt_store_get_data_version (f->store);
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_true (r.ok);
  {
    g_autofree char *summary = bt_scheduler_dup_failure_summary (f->sched);

    g_test_message ("failures: %s", summary);
  }
  /* binance and coinmetrics failed; coinbase took over the prices */
  g_assert_cmpuint (r.n_failed, ==, 2);
  g_assert_true (bt_store_get_source_status (f->store, BT_SOURCE_COINMETRICS, &st, NULL));
  g_assert_true (st.stale);
  g_assert_cmpint (st.failing_since, >, 0);
  g_assert_nonnull (st.last_error);
  g_assert_nonnull (strstr (st.last_error, "JSON"));
  bt_source_status_clear (&st);
  g_assert_true (bt_store_get_source_status (f->store, BT_SOURCE_BINANCE, &st, NULL));
  g_assert_true (st.stale);
  g_assert_nonnull (strstr (st.last_error, "503"));
  bt_source_status_clear (&st);
  /* Binance was tried 3 times (retries), then Coinbase supplied the candles */
  g_assert_cmpuint (bt_test_server_count (f->server, "/products/"), >=, 1);
  g_assert_true (bt_store_get_source_status (f->store, BT_SOURCE_COINBASE, &st, NULL));
  g_assert_false (st.stale);
  bt_source_status_clear (&st);
  /* the Coin Metrics data stored before is untouched */
  after = bt_store_load_history (f->store, NULL);
  g_assert_cmpuint (after->n_days, >=, before->n_days);
  for (guint i = 0; i < before->n_days; i++)
    {
      double a = before->input[BT_INPUT_MARKET_CAP][i];
      gssize j = bt_history_index (after, before->first_day + (BtDay) i);

      g_assert_cmpint (j, >=, 0);
      if (isnan (a))
        g_assert_true (isnan (after->input[BT_INPUT_MARKET_CAP][j]));
      else
        g_assert_cmpfloat (a, ==, after->input[BT_INPUT_MARKET_CAP][j]);
    }
  (void) version;
}

static void
test_resume (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  Result r;
  BtSourceStatus st = { 0 };
  GPtrArray *log;
  guint first_run_cm;

  f->w.market.first_day = start_of_day_before_today (99);
  f->w.market.cm_page_size = 10;
  f->w.stop_after_cm = 4;
  f->w.cancel = cancel;
  f->sched = make_scheduler_for (f, BT_SOURCE_COINMETRICS);
  run_once (f->sched, TRUE, cancel, &r);
  /* interrupted: the cursor of the next page is saved */
  g_assert_true (bt_store_get_source_status (f->store, BT_SOURCE_COINMETRICS, &st, NULL));
  g_assert_nonnull (st.cursor);
  g_assert_true (g_str_has_prefix (st.cursor, "onchain:"));
  bt_source_status_clear (&st);
  first_run_cm = f->w.cm_calls;
  g_assert_cmpuint (first_run_cm, >=, 4);

  /* the next run continues from there: no page is asked for twice */
  f->w.stop_after_cm = 0;
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (r.n_failed, ==, 0);
  g_assert_true (bt_store_get_source_status (f->store, BT_SOURCE_COINMETRICS, &st, NULL));
  g_assert_null (st.cursor);
  bt_source_status_clear (&st);
  /* 99 days (first_day .. yesterday) in pages of 10 = 10 distinct pages; only the
   * page in flight when the run was cancelled (the 4th) is asked for again */
  g_assert_cmpuint (f->w.cm_calls, ==, 11);
  log = bt_test_server_get_log (f->server);
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    guint dups = 0;

    for (guint i = 0; i < log->len; i++)
      if (!g_hash_table_add (seen, g_ptr_array_index (log, i)))
        dups++;
    g_assert_cmpuint (dups, ==, 1);
    g_assert_cmpuint (g_hash_table_size (seen), ==, 10);
  }
  {
    g_autoptr(BtHistory) h = bt_store_load_history (f->store, NULL);
    guint n = 0;

    for (guint i = 0; i < h->n_days; i++)
      n += !isnan (h->input[BT_INPUT_MARKET_CAP][i]);
    g_assert_cmpuint (n, ==, 99);
  }
}

static void
test_seconds_until_hour (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) a = g_date_time_new (utc, 2024, 3, 1, 7, 30, 0);
  g_autoptr(GDateTime) b = g_date_time_new (utc, 2024, 3, 1, 8, 0, 0);
  g_autoptr(GDateTime) c = g_date_time_new (utc, 2024, 3, 1, 9, 0, 0);

  g_assert_cmpint (bt_scheduler_seconds_until_hour (a, 8), ==, 30 * 60);
  g_assert_cmpint (bt_scheduler_seconds_until_hour (b, 8), ==, 24 * 3600);
  g_assert_cmpint (bt_scheduler_seconds_until_hour (c, 8), ==, 23 * 3600);
}

/* ---- the command line end to end ---- */

typedef struct
{
  char    *out;
  char    *err;
  int      status;
} Proc;

/* Runs ARGV to its end (with NAME=VALUE in its environment when NAME is
 * given) while the main loop turns: the server lives in this process. */
static void
run_cli_env (Proc               *p,
             const char * const *argv,
             const char         *name,
             const char         *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  memset (p, 0, sizeof *p);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (name != NULL)
    g_subprocess_launcher_setenv (launcher, name, value, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, bt_test_result_cb, &result);
  g_subprocess_communicate_utf8_finish (proc, bt_test_wait_result (&result), &p->out, &p->err, &error);
  g_assert_no_error (error);
  p->status = g_subprocess_get_exit_status (proc);
}

static void
run_cli (Proc               *p,
         const char * const *argv)
{
  run_cli_env (p, argv, NULL, NULL);
}

static void
proc_clear (Proc *p)
{
  g_clear_pointer (&p->out, g_free);
  g_clear_pointer (&p->err, g_free);
}

/* the built btc-turbo-cli, or NULL (and the test skipped) */
static const char *
find_cli (void)
{
  const char *cli = g_getenv ("BT_CLI");

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("BT_CLI is not built");
      return NULL;
    }
  return cli;
}

/* the built btc-turbo-cli with the world serving the DAYS days up to
 * today, or NULL (and the test skipped) */
static const char *
cli_with_history (Fixture *f,
                  guint    days)
{

  f->w.market.first_day = start_of_day_before_today (days - 1);
  return find_cli ();
}

/* `CLI --db PATH collect --once --backfill` with every market and on-chain
 * source at the loopback server; not NULL-terminated */
static GPtrArray *
collect_args (Fixture    *f,
              const char *cli)
{
  const char *names[] = { "binance", "binance-futures", "coinbase", "kraken", "coinmetrics" };
  const char *head[] = { cli, "--db", f->path, "collect", "--once", "--backfill" };
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (head); i++)
    g_ptr_array_add (args, g_strdup (head[i]));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_ptr_array_add (args, g_strdup ("--base-url"));
      g_ptr_array_add (args, g_strdup_printf ("%s=%s", names[i], bt_test_server_get_url (f->server)));
    }
  return args;
}

static void
test_cli_collect (Fixture       *f,
                 gconstpointer  data)
{
  const char *cli = cli_with_history (f, 200);
  g_autoptr(GPtrArray) args = NULL;
  Proc p;

  if (cli == NULL)
    return;
  f->w.market.cm_lag_days = 2;

  args = collect_args (f, cli);
  g_ptr_array_add (args, NULL);
  run_cli (&p, (const char * const *) args->pdata);
  g_test_message ("collect: %d %s", p.status, p.err);
  g_assert_cmpint (p.status, ==, 0);
  proc_clear (&p);

  /* indicators shows the collected days */
  {
    const char *argv[] = { cli, "--db", f->path, "indicators", "--format", "csv", NULL };
    g_auto(GStrv) lines = NULL;

    run_cli (&p, argv);
    g_assert_cmpint (p.status, ==, 0);
    lines = g_strsplit (p.out, "\n", -1);
    /* header + 200 days (+ a final empty line) */
    g_assert_cmpuint (g_strv_length (lines), >=, 201);
    g_assert_true (g_str_has_prefix (lines[0], "date,btc_price"));
    proc_clear (&p);
  }

  /* a failing source: status 3, data kept */
  f->w.fail_coinmetrics = TRUE;
  g_ptr_array_remove_index (args, args->len - 1);
  g_ptr_array_remove_index (args, 5);   /* no --backfill */
  g_ptr_array_add (args, NULL);
  run_cli (&p, (const char * const *) args->pdata);
  g_assert_cmpint (p.status, ==, 3);
  g_assert_nonnull (strstr (p.err, "coinmetrics"));
  proc_clear (&p);

  /* usage errors */
  {
    const char *argv[] = { cli, "--db", f->path, "collect", "--source", "nosuch", NULL };

    run_cli (&p, argv);
    g_assert_cmpint (p.status, ==, 2);
    proc_clear (&p);
  }
  {
    const char *argv[] = { cli, "--db", f->path, "collect", "--once", "--wallet", "0x1234", NULL };

    run_cli (&p, argv);
    g_assert_cmpint (p.status, ==, 2);
    proc_clear (&p);
  }
  /* the daily report prints */
  {
    const char *argv[] = { cli, "--db", f->path, "report", NULL };

    run_cli (&p, argv);
    g_assert_cmpint (p.status, ==, 0);
    g_assert_nonnull (strstr (p.out, "BTC Turbo"));
    proc_clear (&p);
  }
}

/* ---- Aave positions through the command line ---- */

#define WALLET        "0x7a16ff8270133f063aab6c9977183d9e72835428"
#define NODEBT_WALLET "0x2260fac5e5542a773aa44fbcfedf7c193bc2c599"

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* `decide --wallet WALLET --json` on the database at PATH: its answer,
 * read by PARSER */
static JsonObject *
decide_json (const char *cli,
             const char *path,
             const char *wallet,
             JsonParser *parser)
{
  const char *argv[] = { cli, "--db", path, "decide", "--wallet", wallet, "--json", NULL };
  g_autoptr(GError) error = NULL;
  Proc p;

  run_cli (&p, argv);
  g_assert_cmpint (p.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, p.out, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  proc_clear (&p);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_cli_aave (Fixture       *f,
              gconstpointer  data)
{
  const char *cli = cli_with_history (f, 60);
  g_autofree char *rpc = NULL;
  g_autoptr(GPtrArray) args = NULL;
  Proc p;

  if (cli == NULL)
    return;
  f->w.rpc.path = "/";
  f->w.rpc.account_fixture = "net-aave-getUserAccountData.json";
  f->w.rpc.nodebt_wallet = &NODEBT_WALLET[2];
  rpc = g_strdup_printf ("ethereum=%s/", bt_test_server_get_url (f->server));

  /* every source at the loopback server, the wallet for this run only */
  args = collect_args (f, cli);
  g_ptr_array_add (args, g_strdup ("--base-url"));
  g_ptr_array_add (args, g_strdup (rpc));
  g_ptr_array_add (args, g_strdup ("--wallet"));
  g_ptr_array_add (args, g_strdup (WALLET));
  g_ptr_array_add (args, NULL);
  run_cli (&p, (const char * const *) args->pdata);
  g_test_message ("collect: %d %s", p.status, p.err);
  g_assert_cmpint (p.status, ==, 0);
  proc_clear (&p);
  /* chainId, blockNumber, getUserAccountData, getConfiguration, getAssetPrice */
  g_assert_cmpuint (f->w.rpc.n_calls, ==, 5);

  {
    g_autoptr(BtStore) store = bt_store_open (f->path, NULL);
    g_autoptr(BtPosition) pos = bt_store_get_latest_position (store, WALLET, NULL);
    g_autoptr(GArray) hist = bt_store_list_portfolio_history (store, BT_DAY_INVALID, BT_DAY_INVALID, NULL);
    g_autoptr(GPtrArray) wallets = bt_store_list_wallets (store, NULL);
    BtPortfolioPoint *pt;

    /* DATA_SOURCES.md §6 worked example: 12253384350000 / 1e8 = 122,533.8435 USD
     * collateral, 4821077451200 / 1e8 = 48,210.774512 USD debt, HF
     * 1982469663626962974 / 1e18; liquidation price at the oracle's 66,234.51:
     * 66234.51 / 1.98247 = 33,410.10; distance (1 − 1/1.98247) × 100 = 49.56 %;
     * leverage 122533.8435 / (122533.8435 − 48210.774512) = 1.64867 */
    g_assert_nonnull (pos);
    g_assert_cmpfloat_with_epsilon (bt_position_get_data (pos)->collateral_usd, 122533.8435, 1e-6);
    g_assert_cmpfloat_with_epsilon (bt_position_get_data (pos)->debt_usd, 48210.774512, 1e-6);
    g_assert_cmpfloat_with_epsilon (bt_position_get_data (pos)->health_factor, 1.982469663626963, 1e-12);
    g_assert_cmpfloat_with_epsilon (bt_position_get_data (pos)->liquidation_price, 33410.10, 0.01);
    g_assert_cmpfloat_with_epsilon (bt_position_get_data (pos)->liquidation_distance, 49.56, 0.01);
    g_assert_cmpfloat_with_epsilon (bt_position_get_data (pos)->leverage, 1.64867, 1e-5);
    g_assert_cmpfloat_with_epsilon (bt_position_get_data (pos)->liquidation_threshold, 0.78, 1e-12);
    /* the day's portfolio point: 122533.8435 − 48210.774512 = 74,323.068988 USD */
    g_assert_nonnull (hist);
    g_assert_cmpuint (hist->len, ==, 1);
    pt = &g_array_index (hist, BtPortfolioPoint, 0);
    g_assert_cmpint (pt->date, ==, bt_day_today_utc ());
    g_assert_cmpfloat_with_epsilon (pt->portfolio_value, 74323.068988, 1e-6);
    g_assert_cmpfloat_with_epsilon (pt->leverage, 1.64867, 1e-5);
    /* --wallet is for the run: Preferences' wallet list is left alone */
    g_assert_true (wallets == NULL || wallets->len == 0);
  }

  /* decide reads the stored position */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *o = decide_json (cli, f->path, WALLET, parser);

    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "health_factor"), 1.98247, 1e-5);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "leverage"), 1.64867, 1e-5);
  }

  /* only the position job, a wallet without debt: HF is the 2^256 − 1 sentinel */
  {
    const char *argv[] = { cli, "--db", f->path, "collect", "--once", "--source", "ethereum",
                           "--base-url", rpc, "--wallet", NODEBT_WALLET, NULL };

    f->w.market.n_requests = 0;
    run_cli (&p, argv);
    g_test_message ("collect: %d %s", p.status, p.err);
    g_assert_cmpint (p.status, ==, 0);
    g_assert_cmpuint (f->w.market.n_requests, ==, 0);
    g_assert_cmpuint (f->w.rpc.n_calls, ==, 10);
    proc_clear (&p);
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *o = decide_json (cli, f->path, NODEBT_WALLET, parser);

    /* no debt: nothing can be liquidated (SCORING.md §4: risk 100) */
    g_assert_cmpfloat (json_object_get_double_member (o, "risk_score"), ==, 100);
    g_assert_true (json_object_get_null_member (o, "health_factor"));
  }

  /* invalid addresses: usage error, one line on stderr, nothing asked */
  {
    const char *bad[] = {
      "0x7A16ff8270133F063aab6c9977183d9e72835428",   /* mixed case, wrong EIP-55 checksum */
      "0x7a16ff8270133f063aab6c9977183d9e7283542",    /* 39 hex digits */
      "0x7a16ff8270133f063aab6c9977183d9e728354280",  /* 41 */
      "7a16ff8270133f063aab6c9977183d9e72835428",     /* no 0x */
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        const char *argv[] = { cli, "--db", f->path, "collect", "--once", "--source", "ethereum",
                               "--base-url", rpc, "--wallet", bad[i], NULL };

        run_cli (&p, argv);
        g_assert_cmpint (p.status, ==, 2);
        g_assert_cmpuint (count_lines (p.err), ==, 1);
        g_assert_cmpuint (f->w.rpc.n_calls, ==, 10);
        proc_clear (&p);
      }
  }

  /* the help text says --wallet is for this run */
  {
    const char *argv[] = { cli, "collect", "--help", NULL };

    run_cli (&p, argv);
    g_assert_cmpint (p.status, ==, 0);
    g_assert_nonnull (strstr (p.out, "--wallet"));
    g_assert_nonnull (strstr (p.out, "this run"));
    proc_clear (&p);
  }
}

/* ---- Notion through the command line ---- */

static double
notion_value (BtStore    *store,
              const char *metric,
              const char *day)
{
  BtDay d;
  double v = NAN;

  g_assert_true (bt_day_parse (day, &d));
  if (!_bt_store_get_observation (store, BT_SOURCE_NOTION, metric, (gint64) d * 86400, &v, NULL))
    return NAN;
  return v;
}

#define NOTION_TOKEN "secret_t0ken-never-shown"
#define NOTION_DB    "8e2c4f1a93b74d1ea6f02b5c7d9e1f34"

static void
test_cli_notion (Fixture       *f,
                gconstpointer  data)
{
  const char *cli = find_cli ();
  g_autofree char *base = NULL;
  Proc p;
  guint64 version;

  if (cli == NULL)
    return;
  f->w.notion.database_id = NOTION_DB;
  f->w.notion.token = NOTION_TOKEN;
  base = g_strdup_printf ("notion=%s", bt_test_server_get_url (f->server));
  {
    /* the database, the date column and the mapping come from the settings */
    g_autoptr(BtStore) store = bt_store_open (f->path, NULL);

    g_assert_true (bt_store_set_setting (store, "notion.database_id", NOTION_DB, NULL));
    g_assert_true (bt_store_set_setting (store, "notion.date_property", "Date", NULL));
    g_assert_true (bt_store_set_setting (store, "notion.mapping",
                                         "STH-SOPR=sth_sopr,Exchange Netflow (BTC)=netflow", NULL));
  }

  {
    const char *argv[] = { cli, "--db", f->path, "collect", "--once", "--backfill", "--source", "notion",
                           "--base-url", base, NULL };
    g_autoptr(BtStore) store = NULL;

    run_cli_env (&p, argv, "BT_NOTION_TOKEN", NOTION_TOKEN);
    g_test_message ("collect: %d %s", p.status, p.err);
    g_assert_cmpint (p.status, ==, 0);
    g_assert_null (strstr (p.err, NOTION_TOKEN));
    proc_clear (&p);
    /* two pages: the second asked for with the first one's next_cursor */
    g_assert_cmpuint (f->w.notion.n_queries, ==, 2);
    store = bt_store_open (f->path, NULL);
    /* the fixtures' values, day by day (page 1: 03-01, 03-02; page 2: 03-03, 03-04) */
    g_assert_cmpfloat (notion_value (store, "sth_sopr", "2024-03-01"), ==, 1.0112);
    g_assert_cmpfloat (notion_value (store, "sth_sopr", "2024-03-02"), ==, 1.0087);
    g_assert_cmpfloat (notion_value (store, "sth_sopr", "2024-03-03"), ==, 1.0143);
    g_assert_true (isnan (notion_value (store, "sth_sopr", "2024-03-04")));     /* null */
    g_assert_cmpfloat (notion_value (store, "netflow", "2024-03-01"), ==, -3121.46);
    g_assert_cmpfloat (notion_value (store, "netflow", "2024-03-03"), ==, -652.91);
    g_assert_cmpfloat (notion_value (store, "netflow", "2024-03-04"), ==, 8713);   /* an integer */
    /* MVRV Z-Score is not mapped */
    g_assert_true (isnan (notion_value (store, "mvrv_z_score", "2024-03-01")));
    version = bt_store_get_data_version (store);
  }

  /* faults: a clear one-line error, status 3, the data as it was */
  {
    struct { const char *token; const char *db; gboolean reject_version; const char *expect; } cases[] = {
      { "secret_wrong-token", NOTION_DB, FALSE, "401" },
      { NOTION_TOKEN, NULL, FALSE, "404" },
      { NOTION_TOKEN, NOTION_DB, TRUE, "Notion-Version" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        const char *argv[] = { cli, "--db", f->path, "collect", "--once", "--backfill", "--source", "notion",
                               "--base-url", base, NULL };
        g_autoptr(BtStore) store = bt_store_open (f->path, NULL);

        bt_store_set_setting (store, "notion.database_id",
                              cases[i].db != NULL ? cases[i].db : "0000000000000000000000000000dead", NULL);
        g_clear_object (&store);
        f->w.notion.reject_version = cases[i].reject_version;
        run_cli_env (&p, argv, "BT_NOTION_TOKEN", cases[i].token);
        g_test_message ("collect: %d %s", p.status, p.err);
        g_assert_cmpint (p.status, ==, 3);
        g_assert_cmpuint (count_lines (p.err), ==, 1);
        g_assert_nonnull (strstr (p.err, cases[i].expect));
        g_assert_null (strstr (p.err, NOTION_TOKEN));
        g_assert_null (strstr (p.err, "secret_wrong"));
        proc_clear (&p);
        store = bt_store_open (f->path, NULL);
        g_assert_cmpuint (bt_store_get_data_version (store), ==, version);
        g_assert_cmpfloat (notion_value (store, "sth_sopr", "2024-03-01"), ==, 1.0112);
      }
  }
}

/* ---- recomputing off the main loop ---- */

#define LONG_DAYS 6000

/* LONG_DAYS days of Coin Metrics-like history ending N_MISSING days before today */
static void
fill_long_history (BtStore *store,
                   gint64   today,
                   guint    n_missing)
{
  g_autoptr(GArray) candles = g_array_new (FALSE, TRUE, sizeof (BtCandle));
  g_autoptr(GArray) cap = g_array_new (FALSE, TRUE, sizeof (BtObservation));
  g_autoptr(GArray) mvrv = g_array_new (FALSE, TRUE, sizeof (BtObservation));
  g_autoptr(GError) error = NULL;
  gint64 first = today - (gint64) (LONG_DAYS - 1) * 86400;

  for (gint64 t = first; t <= today - (gint64) n_missing * 86400; t += 86400)
    {
      double c = bt_test_synthetic_close (t / 86400);
      BtCandle k = { t, NAN, NAN, NAN, c, NAN, FALSE };
      BtObservation o = { t, c * 19e6 };
      BtObservation m = { t, 1.2 + 0.5 * sin (t / 86400 / 200.0) };

      g_array_append_val (candles, k);
      g_array_append_val (cap, o);
      g_array_append_val (mvrv, m);
    }
  g_assert_true (bt_store_upsert_candles (store, BT_SOURCE_COINMETRICS, "1d", (BtCandle *) candles->data,
                                          candles->len, NULL, NULL, &error));
  g_assert_true (bt_store_upsert_observations (store, BT_SOURCE_COINMETRICS, "market_cap",
                                               (BtObservation *) cap->data, cap->len, NULL, NULL, &error));
  g_assert_true (bt_store_upsert_observations (store, BT_SOURCE_COINMETRICS, "mvrv_ratio",
                                               (BtObservation *) mvrv->data, mvrv->len, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The async recompute gives what the synchronous one gives, swaps it into
 * the engine on the main thread, and saves the market_data rows. */
static void
test_engine_recompute_async (void)
{
  g_autofree char *path = bt_test_temp_db ("bt-sched-XXXXXX");
  g_autoptr(BtStore) store = bt_store_open (path, NULL);
  g_autoptr(BtEngine) engine = bt_engine_new (store);
  g_autoptr(BtEngine) reference = bt_engine_new (store);
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  gint64 today = start_of_day_before_today (0);
  BtDay last = (BtDay) (today / 86400);
  guint n;

  fill_long_history (store, today, 0);
  bt_engine_recompute_from_async (engine, BT_DAY_INVALID, NULL, bt_test_result_cb, &res);
  /* nothing is swapped in before _finish runs on this thread */
  g_assert_cmpuint (bt_engine_get_n_days (engine), ==, 0);
  g_assert_true (bt_engine_recompute_from_finish (engine, bt_test_wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  n = bt_engine_get_n_days (engine);
  g_assert_cmpuint (n, ==, LONG_DAYS);
  g_assert_cmpint (bt_engine_get_last_day (engine), ==, last);
  g_assert_true (bt_engine_refresh (reference, &error));
  for (guint i = 0; i < n; i += 97)
    {
      const BtScores *a = &bt_engine_get_scores (engine)[i];
      const BtScores *b = &bt_engine_get_scores (reference)[i];

      g_assert_true ((isnan (a->market) && isnan (b->market)) || a->market == b->market);
      g_assert_true ((isnan (a->confidence) && isnan (b->confidence)) || a->confidence == b->confidence);
    }
  /* the rows were saved: score reads them back without computing */
  {
    g_autoptr(BtMarketDay) md = bt_store_get_market_day (store, last, NULL);

    g_assert_nonnull (md);
  }
  /* already up to date: refresh does nothing */
  g_assert_true (bt_engine_refresh (engine, &error));
  g_assert_cmpuint (bt_engine_get_n_days (engine), ==, LONG_DAYS);

  /* a store without a file is served on the calling thread */
  {
    g_autoptr(BtStore) mem = bt_store_open (":memory:", &error);

    if (mem != NULL)
      {
        g_autoptr(BtEngine) e = bt_engine_new (mem);

        fill_long_history (mem, today, 0);
        bt_engine_recompute_from_async (e, BT_DAY_INVALID, NULL, bt_test_result_cb, &res);
        g_assert_true (bt_engine_recompute_from_finish (e, bt_test_wait_result (&res), &error));
        g_assert_no_error (error);
        g_clear_object (&res);
        g_assert_cmpuint (bt_engine_get_n_days (e), ==, LONG_DAYS);
      }
    g_clear_error (&error);
  }

  g_clear_object (&engine);
  g_clear_object (&reference);
  g_clear_object (&store);
  bt_test_remove_db (path);
}

/* A collector run that adds the last days of a 6,000-day history: the
 * recompute of every indicator and score runs in a worker thread, so the
 * main loop is never held for more than 50 ms. */
static void
test_main_loop_free (Fixture       *f,
                    gconstpointer  data)
{
  Result r;
  gint64 today = start_of_day_before_today (0);
  int data_changed = 0;
  double gap;

  /* 6,000 days from Coin Metrics, then Binance backfills its 3,000 (three
   * pages of 1,000): every day from the first Binance one is recomputed and
   * its market_data row saved */
  fill_long_history (f->store, today, 5);
  f->w.market.first_day = today - 2999 * 86400;
  f->sched = make_scheduler_for (f, BT_SOURCE_BINANCE);
  g_signal_connect_swapped (f->sched, "data-changed", G_CALLBACK (g_atomic_int_inc), &data_changed);

  bt_test_watchdog_start ();
  run_once (f->sched, TRUE, NULL, &r);
  gap = bt_test_watchdog_stop ();
  g_test_message ("longest main-loop stall during a run over %d days: %.1f ms", LONG_DAYS, gap);
  g_assert_cmpuint (r.n_failed, ==, 0);
  g_assert_cmpint (data_changed, ==, 1);
  g_assert_cmpuint (bt_engine_get_n_days (bt_scheduler_get_engine (f->sched)), ==, LONG_DAYS);
  g_assert_cmpfloat (gap, <, BT_TEST_WATCHDOG_SAFETY_MS);

  /* for comparison only (no assertion): the same work on the main loop */
  {
    g_autoptr(BtEngine) engine = bt_engine_new (f->store);

    bt_test_watchdog_start ();
    g_assert_true (bt_engine_recompute_from (engine, (BtDay) (today / 86400 - 2999), NULL));
    g_test_message ("the synchronous recompute holds the loop %.1f ms", bt_test_watchdog_stop ());
  }
}

/* ---- "fetches only when a new day is available" ---- */

/* Hand-worked on 2024-03-05 (unix day start 1709251200 + 4 × 86400 =
 * 1709596800): Coin Metrics publishes day D's row from about 01:00 UTC
 * on D+1 (DATA_SOURCES.md §4). */
static void
test_onchain_due (void)
{
  const gint64 today = 1709596800;           /* 2024-03-05 00:00 UTC */
  const gint64 day = 86400;

  /* yesterday (03-04) already stored: nothing new before tomorrow */
  g_assert_false (bt_scheduler_onchain_due (today - day, today + 23 * 3600));
  g_assert_false (bt_scheduler_onchain_due (today - day + 43200, today + 2 * 3600));
  /* today's row stored (a provisional one): nothing new either */
  g_assert_false (bt_scheduler_onchain_due (today, today + 2 * 3600));
  /* 03-03 stored: yesterday's row only from 01:00 UTC on */
  g_assert_false (bt_scheduler_onchain_due (today - 2 * day, today));
  g_assert_false (bt_scheduler_onchain_due (today - 2 * day, today + 3599));
  g_assert_true (bt_scheduler_onchain_due (today - 2 * day, today + 3600));
  g_assert_true (bt_scheduler_onchain_due (today - 2 * day, today + 23 * 3600));
  /* 03-02 or older stored: 03-03 is certainly out, at any hour */
  g_assert_true (bt_scheduler_onchain_due (today - 3 * day, today));
  g_assert_true (bt_scheduler_onchain_due (today - 400 * day, today + 60));
}

static void
test_onchain_new_day (Fixture       *f,
                     gconstpointer  data)
{
  Result r;
  gint64 today = start_of_day_before_today (0);
  guint calls;

  f->w.market.first_day = today - 30 * 86400;
  f->w.market.cm_lag_days = 1;                   /* the newest row served: the day before yesterday */
  f->sched = make_scheduler_for (f, BT_SOURCE_COINMETRICS);
  run_once (f->sched, TRUE, NULL, &r);
  g_assert_cmpuint (r.n_failed, ==, 0);
  calls = f->w.cm_calls;
  g_assert_cmpuint (calls, >=, 1);

  /* 00:30 UTC: yesterday's row is not published yet, no request */
  bt_scheduler_set_now (f->sched, today + 1800);
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_cmpuint (r.n_failed, ==, 0);
  g_assert_cmpuint (f->w.cm_calls, ==, calls);
  /* 01:30 UTC: it may be, so Coin Metrics is asked (it still lags: asked again next time) */
  bt_scheduler_set_now (f->sched, today + 5400);
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_cmpuint (f->w.cm_calls, ==, calls + 1);
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_cmpuint (f->w.cm_calls, ==, calls + 2);
  /* now yesterday's row is out: stored, and no more requests today */
  f->w.market.cm_lag_days = 0;
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_cmpuint (r.n_failed, ==, 0);
  g_assert_cmpuint (f->w.cm_calls, ==, calls + 3);
  bt_scheduler_set_now (f->sched, today + 23 * 3600);
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_cmpuint (f->w.cm_calls, ==, calls + 3);
  {
    /* yesterday's row came in */
    g_autoptr(BtHistory) h = bt_store_load_history (f->store, NULL);
    gssize y = bt_history_index (h, (BtDay) (today / 86400 - 1));

    g_assert_cmpint (y, >=, 0);
    g_assert_false (isnan (h->input[BT_INPUT_MARKET_CAP][y]));
  }
  /* tomorrow 01:00 UTC: today's row may be out */
  bt_scheduler_set_now (f->sched, today + 86400 + 3600);
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_cmpuint (f->w.cm_calls, ==, calls + 4);
}

/* ---- BGeometrics' free tier ---- */

static void
test_bgeometrics_daily (Fixture       *f,
                       gconstpointer  data)
{
  Result r;
  gint64 today = start_of_day_before_today (0);
  GPtrArray *log;

  f->w.market.first_day = today - 100 * 86400;
  f->sched = make_scheduler_for (f, BT_SOURCE_BGEOMETRICS);
  bt_scheduler_set_now (f->sched, today + 3600);

  /* one call per metric (sth-sopr, exchange-netflow-btc), the whole series */
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_cmpuint (r.n_failed, ==, 0);
  g_assert_cmpuint (f->w.bgeo_calls, ==, 2);
  log = bt_test_server_get_log (f->server);
  for (guint i = 0; i < log->len; i++)
    g_assert_nonnull (strstr (g_ptr_array_index (log, i), "startday=2009-01-03"));
  /* the same UTC day, also in a later process (the mark is in the database): no request */
  g_clear_object (&f->sched);
  f->sched = make_scheduler_for (f, BT_SOURCE_BGEOMETRICS);
  bt_scheduler_set_now (f->sched, today + 23 * 3600);
  run_once (f->sched, TRUE, NULL, &r);
  g_assert_cmpuint (r.n_failed, ==, 0);
  g_assert_cmpuint (f->w.bgeo_calls, ==, 2);
  /* the next UTC day: once more */
  bt_scheduler_set_now (f->sched, today + 86400 + 60);
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_cmpuint (f->w.bgeo_calls, ==, 4);

  /* a 429 with Retry-After 1800 s: given up at once in a short run, and
   * remembered: no request before the half hour is over, even in a new run */
  f->w.bgeo_retry_after = "1800";
  bt_scheduler_set_now (f->sched, today + 2 * 86400 + 60);
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_cmpuint (r.n_failed, ==, 1);
  g_assert_cmpuint (f->w.bgeo_calls, ==, 5);
  {
    BtSourceStatus st = { 0 };

    g_assert_true (bt_store_get_source_status (f->store, BT_SOURCE_BGEOMETRICS, &st, NULL));
    g_assert_true (st.stale);
    g_assert_nonnull (strstr (st.last_error, "429"));
    bt_source_status_clear (&st);
  }
  f->w.bgeo_retry_after = NULL;
  bt_scheduler_set_now (f->sched, today + 2 * 86400 + 60 + 1799);
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_cmpuint (r.n_failed, ==, 1);
  g_assert_cmpuint (f->w.bgeo_calls, ==, 5);
  {
    g_autofree char *summary = bt_scheduler_dup_failure_summary (f->sched);

    g_assert_nonnull (strstr (summary, "bgeometrics"));
    g_assert_nonnull (strstr (summary, "1 s"));
  }
  bt_scheduler_set_now (f->sched, today + 2 * 86400 + 60 + 1800);
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_cmpuint (r.n_failed, ==, 0);
  g_assert_cmpuint (f->w.bgeo_calls, ==, 7);

  /* a 429 without Retry-After: the hourly limit, so an hour */
  f->w.bgeo_retry_after = "";
  bt_scheduler_set_now (f->sched, today + 3 * 86400);
  run_once (f->sched, FALSE, NULL, &r);
  g_assert_cmpuint (r.n_failed, ==, 1);
  {
    g_autofree char *until = bt_store_dup_setting (f->store, "source.bgeometrics.retry_until", NULL);

    g_assert_nonnull (until);
    g_assert_cmpint (g_ascii_strtoll (until, NULL, 10), ==, today + 3 * 86400 + 3600);
  }
}

int
main (int   argc,
      char *argv[])
{
  /* a test on the loopback world and its database (opened or not) */
  static const struct
  {
    const char *path;
    void      (*setup) (Fixture *, gconstpointer);
    void      (*test) (Fixture *, gconstpointer);
  } tests[] = {
    { "/core/scheduler/backfill", fixture_setup_store, test_backfill },
    { "/core/scheduler/failure-keeps-data", fixture_setup_store, test_failure_keeps_data },
    { "/core/scheduler/resume", fixture_setup_store, test_resume },
    { "/core/scheduler/cli-collect", fixture_setup, test_cli_collect },
    { "/core/scheduler/cli-aave", fixture_setup, test_cli_aave },
    { "/core/scheduler/cli-notion", fixture_setup, test_cli_notion },
    { "/core/scheduler/main-loop-free", fixture_setup_store, test_main_loop_free },
    { "/core/scheduler/onchain-new-day", fixture_setup_store, test_onchain_new_day },
    { "/core/scheduler/bgeometrics-daily", fixture_setup_store, test_bgeometrics_daily },
  };

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/scheduler/seconds-until-hour", test_seconds_until_hour);
  g_test_add_func ("/core/scheduler/engine-recompute-async", test_engine_recompute_async);
  g_test_add_func ("/core/scheduler/onchain-due", test_onchain_due);
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add (tests[i].path, Fixture, NULL, tests[i].setup, tests[i].test, fixture_teardown);
  return g_test_run ();
}
