/* bt-cli-backtest.c: the `backtest` and `sweep` commands.
 *
 *   backtest [--from D] [--to D] [--config FILE] [--set KEY=VALUE]... [--json]
 *            [--equity-csv F] [--trades-csv F]
 *   sweep --grid KEY=V1,V2,... [--grid ...] [--threads N] [--json]
 *         [--from D] [--to D] [--config FILE] [--set KEY=VALUE]...
 *
 * A backtest whose configuration (hash), data version and period match a
 * stored run prints that run; otherwise it runs and is stored.  Sweeps are
 * not stored.
 */
#define G_LOG_DOMAIN "bt-cli"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bt-backtest-metrics.h"
#include "bt-backtest-store.h"
#include "bt-backtest.h"
#include "bt-base.h"
#include "bt-json.h"
#include "bt-cli.h"
#include "bt-cli-data-private.h"
#include "bt-engine.h"
#include "bt-store.h"
#include "bt-sweep.h"

typedef struct
{
  const char *from;
  const char *to;
  const char *config_file;
  GPtrArray  *sets;          /* const char * */
  GPtrArray  *grid;          /* const char *, NULL-terminated at the end */
  const char *threads;
  guint       n_threads;     /* --threads, 0: one a core */
  const char *equity_csv;
  const char *trades_csv;
  gboolean    json;
} Options;

static void
options_clear (Options *o)
{
  g_clear_pointer (&o->sets, g_ptr_array_unref);
  g_clear_pointer (&o->grid, g_ptr_array_unref);
}

/* The options of `backtest` (SWEEP FALSE) or `sweep`. */
static gboolean
parse_args (const char *command,
            int         argc,
            char      **argv,
            gboolean    sweep,
            Options    *o)
{
  double threads = 0;

  o->sets = g_ptr_array_new ();
  o->grid = g_ptr_array_new ();
  {
    const BtCliOption backtest_options[] = {
      { "--from", &o->from, NULL, NULL },
      { "--to", &o->to, NULL, NULL },
      { "--config", &o->config_file, NULL, NULL },
      { "--set", NULL, NULL, o->sets },
      { "--json", NULL, &o->json, NULL },
      { "--equity-csv", &o->equity_csv, NULL, NULL },
      { "--trades-csv", &o->trades_csv, NULL, NULL },
    };
    const BtCliOption sweep_options[] = {
      { "--from", &o->from, NULL, NULL },
      { "--to", &o->to, NULL, NULL },
      { "--config", &o->config_file, NULL, NULL },
      { "--set", NULL, NULL, o->sets },
      { "--json", NULL, &o->json, NULL },
      { "--grid", NULL, NULL, o->grid },
      { "--threads", &o->threads, NULL, NULL },
    };

    if (!bt_cli_parse_options (command, argc, argv, sweep ? sweep_options : backtest_options,
                               sweep ? G_N_ELEMENTS (sweep_options) : G_N_ELEMENTS (backtest_options),
                               NULL, 0, NULL))
      return FALSE;
  }
  g_ptr_array_add (o->grid, NULL);
  if (!sweep)
    return TRUE;
  if (o->grid->len <= 1)
    {
      bt_cli_error (_("%s: give at least one --grid KEY=V1,V2,…"), command);
      return FALSE;
    }
  if (o->threads != NULL &&
      (!bt_parse_double (o->threads, &threads) || threads < 1 || threads > 1024 ||
       threads != floor (threads)))
    {
      bt_cli_error (_("%s: --threads needs a whole number from 1 to 1024, not “%s”"), command,
                    o->threads);
      return FALSE;
    }
  o->n_threads = (guint) threads;
  return TRUE;
}

/* The run's configuration: the user's rules, then --config, --set, --from, --to. */
static gboolean
build_config (const char       *command,
              const Options    *o,
              BtEngine         *engine,
              BtBacktestConfig *config,
              int              *status)
{
  g_autoptr(GError) error = NULL;

  bt_backtest_config_init_with_rules (config, bt_engine_get_rules (engine));
  if (o->config_file != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *text = NULL;
      gsize length = 0;

      /* json-glib takes "{}{}" without a word (and leaks the first value):
       * such a file is refused before it gets there */
      if (!g_file_get_contents (o->config_file, &text, &length, &error)
          || (bt_json_precheck (text, length)
              && !json_parser_load_from_data (parser, text, (gssize) length, &error)))
        {
          /* json-glib quotes the file, line breaks and all */
          g_autofree char *detail = bt_one_line (error->message, 200);

          bt_cli_error (_("%s: cannot read %s: %s"), command, o->config_file, detail);
          *status = BT_CLI_FAILED;
          return FALSE;
        }
      /* an empty file has no root */
      if (!bt_json_precheck (text, length)
          || json_parser_get_root (parser) == NULL
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          bt_cli_error (_("%s: %s must hold a JSON object"), command, o->config_file);
          *status = BT_CLI_FAILED;
          return FALSE;
        }
      if (!bt_backtest_config_from_json (config, json_node_get_object (json_parser_get_root (parser)),
                                         &error))
        {
          bt_cli_error ("%s: %s: %s", command, o->config_file, error->message);
          *status = BT_CLI_FAILED;
          return FALSE;
        }
    }
  for (guint i = 0; i < o->sets->len; i++)
    {
      const char *kv = o->sets->pdata[i];
      const char *eq = strchr (kv, '=');
      g_autofree char *key = NULL;

      if (eq == NULL || eq == kv)
        {
          bt_cli_error (_("%s: --set needs KEY=VALUE, not “%s”"), command, kv);
          *status = BT_CLI_USAGE;
          return FALSE;
        }
      key = g_strndup (kv, (gsize) (eq - kv));
      if (!bt_backtest_config_set (config, key, eq + 1, &error))
        {
          bt_cli_error ("%s: %s", command, error->message);
          *status = BT_CLI_USAGE;
          return FALSE;
        }
    }
  if ((o->from != NULL && !bt_backtest_config_set (config, "start_date", o->from, &error)) ||
      (o->to != NULL && !bt_backtest_config_set (config, "end_date", o->to, &error)))
    {
      bt_cli_error ("%s: %s", command, error->message);
      *status = BT_CLI_USAGE;
      return FALSE;
    }
  return TRUE;
}

/* The options of `backtest` (SWEEP FALSE) or `sweep` into O, and the engine
 * over the stored data with the run's configuration and inputs; NULL after
 * a one-line error (STATUS set for a usage error). */
static BtEngine *
prepare_run (BtCli            *cli,
             const char       *command,
             int               argc,
             char            **argv,
             gboolean          sweep,
             Options          *o,
             BtBacktestConfig *config,
             BtBacktestInputs *inputs,
             int              *status)
{
  g_autoptr(BtEngine) engine = NULL;

  if (!parse_args (command, argc, argv, sweep, o))
    {
      *status = BT_CLI_USAGE;
      return NULL;
    }
  engine = _bt_cli_open_engine (cli, command);
  if (engine == NULL || !build_config (command, o, engine, config, status))
    return NULL;
  bt_engine_get_backtest_inputs (engine, inputs);
  return g_steal_pointer (&engine);
}

/* Says ERROR: a configuration the core refuses is a usage error. */
static int
run_failed (const char   *command,
            const GError *error)
{
  bt_cli_error ("%s: %s", command, error->message);
  return g_error_matches (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG)
         ? BT_CLI_USAGE : BT_CLI_FAILED;
}

static gboolean
write_file (const char *command,
            const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, contents, -1, &error))
    {
      bt_cli_error (_("%s: cannot write %s: %s"), command, path, error->message);
      return FALSE;
    }
  return TRUE;
}

static void
print_summary (const BtBacktestResult *r,
               gboolean                stored)
{
  const BtBacktestMetrics *m = &r->metrics;
  g_autofree char *summary = NULL;
  char a[16], b[16];

  printf (_("Backtest %s (%s)\n"), r->id != NULL ? r->id : "-",
          stored ? _("stored run, same configuration and data") : _("new run"));
  printf (_("Period:            %s – %s (%u days)\n"), bt_day_format (r->first_day, a),
          bt_day_format (r->last_day, b), r->n_days);
  summary = bt_backtest_result_summary (r);
  fputs (summary, stdout);
  /* gating you can see (docs/rulebook.md §5.1) */
  if (m->blocked_days > 0)
    {
      g_autoptr(GString) missing = g_string_new (NULL);
      g_autofree char *days = g_strdup_printf ("%.0f", m->blocked_days);

      /* counts of days: whole and finite */
      for (guint k = 0; k < BT_N_ITEMS; k++)
        if (m->blocked_missing[k] > 0)
          g_string_append_printf (missing, "%s%s %.0f", missing->len > 0 ? ", " : "",
                                  bt_item_name (k), m->blocked_missing[k]);
      printf (_("Held for want of data: %s days (missing: %s)\n"), days, missing->str);
    }
}

int
bt_cli_cmd_backtest (BtCli *cli,
                     int    argc,
                     char **argv)
{
  const char *command = "backtest";
  Options o = { 0 };
  BtStore *store;
  g_autoptr(BtEngine) engine = NULL;
  g_autoptr(BtBacktestResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  BtBacktestConfig config;
  BtBacktestInputs inputs;
  BtDay first, last;
  gboolean stored = FALSE;
  int status = BT_CLI_FAILED;

  engine = prepare_run (cli, command, argc, argv, FALSE, &o, &config, &inputs, &status);
  if (engine == NULL)
    goto out;
  store = bt_engine_get_store (engine);
  if (!bt_backtest_config_validate (&config, inputs.history, &error) ||
      !bt_backtest_config_resolve_period (&config, inputs.history, &first, &last, &error))
    {
      status = run_failed (command, error);
      goto out;
    }

  hash = bt_backtest_config_hash (&config);
  result = bt_backtest_store_find (store, hash, inputs.history->data_version, first, last, &error);
  if (error != NULL)
    {
      bt_cli_error ("%s: %s", command, error->message);
      goto out;
    }
  stored = result != NULL;
  if (result == NULL)
    {
      result = bt_backtest_run (&config, &inputs, NULL, &error);
      if (result == NULL || !bt_backtest_store_save (store, result, NULL, &error))
        {
          bt_cli_error ("%s: %s", command, error->message);
          goto out;
        }
    }

  if (o.equity_csv != NULL)
    {
      g_autofree char *csv = bt_backtest_result_equity_csv (result);

      if (!write_file (command, o.equity_csv, csv))
        goto out;
    }
  if (o.trades_csv != NULL)
    {
      g_autofree char *csv = bt_backtest_result_trades_csv (result);

      if (!write_file (command, o.trades_csv, csv))
        goto out;
    }
  if (o.json)
    {
      g_autofree char *json = bt_backtest_result_to_json (result);

      printf ("%s\n", json);
    }
  else
    print_summary (result, stored);
  status = BT_CLI_OK;

out:
  options_clear (&o);
  return status;
}

/* ---- sweep ---- */

static void
print_sweep_json (GPtrArray        *rows,
                  const BtBacktestResult *period)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const BtBacktestMetric *metric;
  BtJson json;
  char a[16], b[16];

  bt_json_init (&json, out);
  bt_json_begin_array (&json);
  for (guint i = 0; i < rows->len; i++)
    {
      const BtSweepRow *row = rows->pdata[i];
      g_autofree char *config = bt_backtest_config_to_json (&row->config);

      bt_json_begin_object (&json);
      bt_json_kv_int (&json, "rank", i + 1);
      bt_json_kv_int (&json, "index", row->index);
      bt_json_kv_string (&json, "label", row->label);
      bt_json_kv_string (&json, "start_date", bt_day_format (period->first_day, a));
      bt_json_kv_string (&json, "end_date", bt_day_format (period->last_day, b));
      for (guint k = 0; (metric = bt_backtest_metric_nth (BT_METRIC_VIEW_SWEEP, k)) != NULL; k++)
        bt_backtest_metric_write_json (&json, metric, bt_backtest_metric_get (metric, &row->metrics));
      bt_json_key (&json, "config");
      bt_json_raw (&json, config);
      bt_json_end_object (&json);
    }
  bt_json_end_array (&json);
  printf ("%s\n", out->str);
}

/* One line a row: its rank, the columns of the metrics table
 * (BT_METRIC_VIEW_SWEEP_TEXT), its configuration. */
static void
print_sweep_text (GPtrArray *rows)
{
  const BtBacktestMetric *metric;

  printf ("%4s", _("rank"));
  for (guint k = 0; (metric = bt_backtest_metric_nth (BT_METRIC_VIEW_SWEEP_TEXT, k)) != NULL; k++)
    printf (" %*s", metric->column_width, _(metric->column));
  printf ("  %s\n", _("configuration"));
  for (guint i = 0; i < rows->len; i++)
    {
      const BtSweepRow *row = rows->pdata[i];
      char buf[48];

      printf ("%4u", i + 1);
      for (guint k = 0; (metric = bt_backtest_metric_nth (BT_METRIC_VIEW_SWEEP_TEXT, k)) != NULL; k++)
        printf (" %*s", metric->column_width,
                bt_backtest_metric_format_text (metric, bt_backtest_metric_get (metric, &row->metrics),
                                                buf));
      printf ("  %s\n", row->label[0] != '\0' ? row->label : _("(base configuration)"));
    }
}

int
bt_cli_cmd_sweep (BtCli *cli,
                  int    argc,
                  char **argv)
{
  const char *command = "sweep";
  Options o = { 0 };
  g_autoptr(BtEngine) engine = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  BtBacktestConfig config;
  BtBacktestInputs inputs;
  BtBacktestResult period = { 0 };
  int status = BT_CLI_FAILED;

  engine = prepare_run (cli, command, argc, argv, TRUE, &o, &config, &inputs, &status);
  if (engine == NULL)
    goto out;
  rows = bt_sweep_expand (&config, (const char *const *) o.grid->pdata, &error);
  if (rows == NULL)
    {
      bt_cli_error ("%s: %s", command, error->message);
      status = BT_CLI_USAGE;
      goto out;
    }
  if (!bt_backtest_config_resolve_period (&config, inputs.history, &period.first_day,
                                          &period.last_day, &error) ||
      !bt_sweep_run (&inputs, rows, o.n_threads, NULL, NULL, NULL, &error))
    {
      status = run_failed (command, error);
      goto out;
    }
  if (o.json)
    print_sweep_json (rows, &period);
  else
    print_sweep_text (rows);
  status = BT_CLI_OK;

out:
  options_clear (&o);
  return status;
}
