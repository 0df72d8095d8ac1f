#define G_LOG_DOMAIN "bt-cli"

#include <glib.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>

#include "bt-aave.h"
#include "bt-base.h"
#include "bt-cli.h"
#include "bt-engine.h"
#include "bt-report.h"
#include "bt-scheduler.h"
#include "bt-secrets.h"
#include "bt-store.h"

/* With --once the whole command ends within 2 minutes whatever the sources do. */
#define ONCE_DEADLINE_S    110
#define ONCE_TIMEOUT_MS    10000
#define ONCE_BACKOFF_SCALE (1.0 / 60.0)   /* first retry after 1 s instead of 60 s */

typedef struct
{
  GMainLoop *loop;
  gboolean   done;
  gboolean   ok;
  guint      n_failed;
  gboolean   deadline_hit;
  GError    *error;
} OnceState;

static void
once_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OnceState *st = user_data;

  st->ok = bt_scheduler_run_once_finish (BT_SCHEDULER (source), result, &st->n_failed, &st->error);
  st->done = TRUE;
  g_main_loop_quit (st->loop);
}

static gboolean
deadline_cb (gpointer user_data)
{
  GCancellable *cancel = user_data;

  g_cancellable_cancel (cancel);
  return G_SOURCE_REMOVE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static const char collect_help[] =
  N_("Usage: btc-turbo-cli [--db PATH] collect [--once] [--backfill] [--source NAME]...\n"
     "                     [--base-url SOURCE=URL]... [--wallet ADDR]...\n"
     "\n"
     "Run the collectors: market (5 min), on-chain (5 min, only when a new day is out),\n"
     "position (1 min) and the daily report, until interrupted.\n"
     "\n"
     "  --once             run each job once and exit: 0 when every source succeeded,\n"
     "                     3 when some failed (their data is kept); ends within 2 minutes\n"
     "  --backfill         fetch the whole available history first (resumable)\n"
     "  --source NAME      only these sources: binance, binance-futures, coinbase, kraken,\n"
     "                     coinmetrics, bgeometrics, ethereum, notion\n"
     "  --base-url SOURCE=URL\n"
     "                     point a source at a mirror or a test server; for ethereum the\n"
     "                     whole JSON-RPC endpoint (else BT_ETH_RPC_URL or the keyring)\n"
     "  --wallet ADDR      read this Aave wallet (0x + 40 hex digits) in this run only,\n"
     "                     besides the wallets saved in Preferences; it is not added to them\n"
     "\n"
     "Notion reads its token from BT_NOTION_TOKEN or the keyring, and the database,\n"
     "date property and property=indicator mapping from the settings.\n");

static gboolean
collect_usage (const char *message)
{
  bt_cli_error ("collect: %s", message);
  return FALSE;
}

int
bt_cli_cmd_collect (BtCli  *cli,
                    int     argc,
                    char  **argv)
{
  gboolean once = FALSE;
  gboolean backfill = FALSE;
  g_autoptr(GPtrArray) sources = g_ptr_array_new ();
  g_autoptr(GPtrArray) base_urls = g_ptr_array_new ();
  g_autoptr(GPtrArray) wallets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BtStore) store = NULL;
  g_autoptr(BtEngine) engine = NULL;
  g_autoptr(BtScheduler) sched = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored_wallets = NULL;
  g_autofree char *rpc_url = NULL;
  gboolean rpc_from_base = FALSE;

  {
    g_autoptr(GPtrArray) wallet_args = g_ptr_array_new ();
    gboolean help = FALSE;
    const BtCliOption options[] = {
      { "--once", NULL, &once, NULL },
      { "--backfill", NULL, &backfill, NULL },
      { "--source", NULL, NULL, sources },
      { "--base-url", NULL, NULL, base_urls },
      { "--wallet", NULL, NULL, wallet_args },
      { "--help", NULL, &help, NULL },
    };

    if (!bt_cli_parse_options ("collect", argc, argv, options, G_N_ELEMENTS (options), NULL, 0, NULL))
      return BT_CLI_USAGE;
    if (help)
      {
        fputs (_(collect_help), stdout);
        return BT_CLI_OK;
      }
    for (guint i = 0; i < wallet_args->len; i++)
      g_ptr_array_add (wallets, g_strdup (g_ptr_array_index (wallet_args, i)));
  }

  /* validate everything before touching the database */
  for (guint i = 0; i < sources->len; i++)
    {
      BtSource s;

      if (!bt_source_from_name (g_ptr_array_index (sources, i), &s) || s >= BT_SOURCE_IMPORT)
        {
          g_autofree char *msg = g_strdup_printf (_("unknown source “%s” (binance, binance-futures, coinbase, kraken, coinmetrics, bgeometrics, ethereum, notion)"),
                                                  (char *) g_ptr_array_index (sources, i));
          collect_usage (msg);
          return BT_CLI_USAGE;
        }
    }
  for (guint i = 0; i < base_urls->len; i++)
    {
      const char *arg = g_ptr_array_index (base_urls, i);
      const char *eq = strchr (arg, '=');
      g_autofree char *name = eq != NULL ? g_strndup (arg, eq - arg) : NULL;
      BtSource s;

      if (eq == NULL || !bt_source_from_name (name, &s) || s >= BT_SOURCE_IMPORT)
        {
          bt_cli_error (_("collect: --base-url takes SOURCE=URL, e.g. binance=http://127.0.0.1:8080"));
          return BT_CLI_USAGE;
        }
      if (s == BT_SOURCE_ETHEREUM)
        {
          if (!bt_http_check_url (eq + 1, &error))
            {
              bt_cli_error ("collect: %s", error->message);
              return BT_CLI_USAGE;
            }
        }
      else
        {
          g_autofree char *norm = bt_http_normalize_base_url (eq + 1, &error);

          if (norm == NULL)
            {
              bt_cli_error ("collect: %s: %s", name, error->message);
              return BT_CLI_USAGE;
            }
        }
    }
  for (guint i = 0; i < wallets->len; i++)
    if (!bt_aave_validate_address (g_ptr_array_index (wallets, i), &error))
      {
        bt_cli_error ("collect: %s", error->message);
        return BT_CLI_USAGE;
      }

  store = bt_cli_open_store (cli);
  if (store == NULL)
    return BT_CLI_FAILED;
  engine = bt_engine_new (store);
  sched = bt_scheduler_new (engine);

  if (sources->len > 0)
    {
      for (int s = 0; s < BT_N_SOURCES; s++)
        bt_scheduler_set_source_enabled (sched, s, FALSE);
      for (guint i = 0; i < sources->len; i++)
        {
          BtSource s;

          bt_source_from_name (g_ptr_array_index (sources, i), &s);
          bt_scheduler_set_source_enabled (sched, s, TRUE);
        }
    }
  for (guint i = 0; i < base_urls->len; i++)
    {
      const char *arg = g_ptr_array_index (base_urls, i);
      const char *eq = strchr (arg, '=');
      g_autofree char *name = g_strndup (arg, eq - arg);
      BtSource s;

      bt_source_from_name (name, &s);
      if (s == BT_SOURCE_ETHEREUM)
        {
          g_free (rpc_url);
          rpc_url = g_strdup (eq + 1);
          rpc_from_base = TRUE;
          continue;
        }
      if (!bt_scheduler_set_base_url (sched, s, eq + 1, &error))
        {
          bt_cli_error ("collect: %s: %s", name, error->message);
          return BT_CLI_USAGE;
        }
    }

  /* wallets: the ones saved in Preferences plus --wallet */
  stored_wallets = bt_store_list_wallets (store, NULL);
  for (guint i = 0; stored_wallets != NULL && i < stored_wallets->len; i++)
    {
      BtWallet *w = g_ptr_array_index (stored_wallets, i);
      gboolean dup = FALSE;

      for (guint k = 0; k < wallets->len; k++)
        dup |= g_ascii_strcasecmp (g_ptr_array_index (wallets, k), w->address) == 0;
      if (!dup)
        g_ptr_array_add (wallets, g_strdup (w->address));
    }
  if (wallets->len > 0 && (sources->len == 0 || bt_scheduler_get_source_enabled (sched, BT_SOURCE_ETHEREUM)))
    {
      if (!rpc_from_base)
        rpc_url = bt_secrets_lookup_for_cli (BT_SECRET_RPC, NULL);
      if (rpc_url == NULL)
        {
          bt_cli_error (_("collect: no Ethereum RPC endpoint for the wallets: set BT_ETH_RPC_URL, keep it in the keyring, or pass --base-url ethereum=URL"));
          return BT_CLI_FAILED;
        }
      if (!bt_scheduler_set_rpc_url (sched, rpc_url, &error))
        {
          /* never print the URL itself: it may carry a key */
          bt_cli_error ("collect: ethereum: %s", error->message);
          return BT_CLI_FAILED;
        }
      g_ptr_array_add (wallets, NULL);
      bt_scheduler_set_wallets (sched, (const char * const *) wallets->pdata);
      g_ptr_array_remove_index (wallets, wallets->len - 1);
    }
  else
    bt_scheduler_set_source_enabled (sched, BT_SOURCE_ETHEREUM, FALSE);

  if (bt_scheduler_get_source_enabled (sched, BT_SOURCE_NOTION))
    {
      g_autofree char *token = bt_secrets_lookup_for_cli (BT_SECRET_NOTION, NULL);
      g_autofree char *db = bt_store_dup_setting (store, "notion.database_id", NULL);
      g_autofree char *map = bt_store_dup_setting (store, "notion.mapping", NULL);
      g_autofree char *date = bt_store_dup_setting (store, "notion.date_property", NULL);
      g_auto(GStrv) mapping = map != NULL ? g_strsplit (map, ",", -1) : NULL;

      bt_scheduler_set_notion (sched, token, db, date, (const char * const *) mapping);
    }

  if (once)
    {
      OnceState st = { 0 };
      g_autoptr(GCancellable) cancel = g_cancellable_new ();
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      guint deadline;

      st.loop = loop;
      bt_scheduler_set_backoff_scale (sched, ONCE_BACKOFF_SCALE);
      bt_scheduler_set_http_timeout_ms (sched, ONCE_TIMEOUT_MS);
      deadline = g_timeout_add_seconds (ONCE_DEADLINE_S, deadline_cb, cancel);
      bt_scheduler_run_once_async (sched, backfill, cancel, once_done_cb, &st);
      if (!st.done)
        g_main_loop_run (loop);
      st.deadline_hit = g_cancellable_is_cancelled (cancel);
      if (!st.deadline_hit)
        g_source_remove (deadline);
      if (!st.ok)
        {
          bt_cli_error ("collect: %s", st.error->message);
          g_clear_error (&st.error);
          return BT_CLI_FAILED;
        }
      if (st.deadline_hit)
        {
          bt_cli_error (_("collect: stopped after %d s; the data collected so far is kept and the next run continues"),
                        ONCE_DEADLINE_S);
          return BT_CLI_PARTIAL;
        }
      if (st.n_failed > 0)
        {
          g_autofree char *summary = bt_scheduler_dup_failure_summary (sched);

          bt_cli_error (_("collect: some sources failed (their data was kept): %s"), summary);
          return BT_CLI_PARTIAL;
        }
      return BT_CLI_OK;
    }

  {
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    guint sigint = g_unix_signal_add (SIGINT, quit_cb, loop);
    guint sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);

    bt_scheduler_start (sched);
    g_main_loop_run (loop);
    bt_scheduler_stop (sched);
    g_source_remove (sigint);
    g_source_remove (sigterm);
  }
  return BT_CLI_OK;
}

int
bt_cli_cmd_report (BtCli  *cli,
                   int     argc,
                   char  **argv)
{
  const char *date = NULL;
  const char *output = NULL;
  g_autoptr(BtStore) store = NULL;
  g_autoptr(BtEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  BtDay day = BT_DAY_INVALID;
  BtDay asked;

  {
    const BtCliOption options[] = {
      { "--date", &date, NULL, NULL },
      { "--output", &output, NULL, NULL },
    };

    if (!bt_cli_parse_options ("report", argc, argv, options, G_N_ELEMENTS (options), NULL, 0, NULL))
      return BT_CLI_USAGE;
  }
  if (!bt_cli_parse_day ("report", "--date", date, &day))
    return BT_CLI_USAGE;
  store = bt_cli_open_store (cli);
  if (store == NULL)
    return BT_CLI_FAILED;
  /* without --date: today's report, which says first when the newest
   * data is older than its freshness limit */
  asked = day;
  if (day == BT_DAY_INVALID && !bt_store_get_latest_day (store, &day, &error))
    {
      if (error != NULL)
        bt_cli_error ("report: %s", error->message);
      else
        bt_cli_error (_("report: no market data yet: run “btc-turbo-cli collect --once --backfill” first"));
      return BT_CLI_FAILED;
    }
  /* the stored report of that day, else one built now (and stored) */
  text = asked != BT_DAY_INVALID ? bt_store_dup_report (store, day, NULL) : NULL;
  if (text == NULL)
    {
      engine = bt_engine_new (store);
      text = bt_report_build (engine, asked, &error);
      if (text == NULL)
        {
          bt_cli_error ("report: %s", error->message);
          return BT_CLI_FAILED;
        }
      bt_store_put_report (store, day, text, NULL);
    }
  if (output != NULL && g_str_has_suffix (output, ".pdf"))
    {
      if (engine == NULL)
        engine = bt_engine_new (store);
      if (!bt_engine_refresh (engine, &error) ||
          !bt_report_write_pdf (engine, asked, output, &error))
        {
          bt_cli_error ("report: %s", error->message);
          return BT_CLI_FAILED;
        }
      return BT_CLI_OK;
    }
  if (output != NULL)
    {
      if (!g_file_set_contents (output, text, -1, &error))
        {
          bt_cli_error ("report: %s", error->message);
          return BT_CLI_FAILED;
        }
      return BT_CLI_OK;
    }
  fputs (text, stdout);
  return BT_CLI_OK;
}
