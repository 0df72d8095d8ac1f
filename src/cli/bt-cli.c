#define G_LOG_DOMAIN "bt-cli"

#include <glib.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "bt-base.h"
#include "bt-cli.h"
#include "bt-store.h"

typedef int (*BtCliCommand) (BtCli *cli, int argc, char **argv);

static const struct
{
  const char   *name;
  BtCliCommand  func;
  const char   *usage;
} commands[] = {
  { "import", bt_cli_cmd_import,
    "import FILE [--format auto|ohlcv|coinmetrics|v1] [--column HEADER=FIELD]..." },
  { "imports", bt_cli_cmd_imports, "imports [--json] [--remove ID]" },
  { "history", bt_cli_cmd_history, "history [--from D] [--to D] [--format csv|json]" },
  { "migrate-v1", bt_cli_cmd_migrate_v1, "migrate-v1 DIR" },
  { "collect", bt_cli_cmd_collect,
    "collect [--once] [--backfill] [--source NAME]... [--base-url SOURCE=URL]... [--wallet ADDR]..." },
  { "indicators", bt_cli_cmd_indicators, "indicators [--from D] [--to D] [--format csv|json] [--set KEY=VALUE]..." },
  { "score", bt_cli_cmd_score, "score [--date D] [--json] [--set KEY=VALUE]..." },
  { "decide", bt_cli_cmd_decide,
    "decide [--date D] [--collateral-usd X --debt-usd Y | --wallet ADDR] [--json] [--set KEY=VALUE]..." },
  { "stress", bt_cli_cmd_stress,
    "stress [--date D] (--collateral-usd X --debt-usd Y [--liquidation-threshold LT] | --wallet ADDR) [--json]" },
  { "backtest", bt_cli_cmd_backtest,
    "backtest [--from D] [--to D] [--config FILE] [--set KEY=VALUE]... [--json] [--equity-csv F] [--trades-csv F]" },
  { "sweep", bt_cli_cmd_sweep, "sweep --grid KEY=V1,V2,... [--grid ...] [--threads N] [--json]" },
  { "alerts", bt_cli_cmd_alerts, "alerts [--all] [--ack ID | --ack-all]" },
  { "report", bt_cli_cmd_report, "report [--date D] [--output FILE]" },
};

void
bt_cli_error (const char *format,
              ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  /* one line, whatever the message holds */
  g_strdelimit (msg, "\r\n", ' ');
  fprintf (stderr, "btc-turbo-cli: %s\n", msg);
}

gboolean
bt_cli_parse_options (const char        *command,
                      int                argc,
                      char             **argv,
                      const BtCliOption *options,
                      guint              n_options,
                      const char       **positional,
                      guint              max_positional,
                      guint             *n_positional)
{
  guint n_pos = 0;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *eq = strchr (arg, '=');
      const BtCliOption *option = NULL;
      const char *value = NULL;

      if (arg[0] != '-' || arg[1] == '\0')
        {
          if (n_pos >= max_positional)
            {
              bt_cli_error (_("%s: unexpected argument “%s”"), command, arg);
              return FALSE;
            }
          positional[n_pos++] = arg;
          continue;
        }
      for (guint k = 0; k < n_options && option == NULL; k++)
        {
          gsize len = strlen (options[k].name);

          if (strncmp (arg, options[k].name, len) == 0 && (arg[len] == '\0' || arg[len] == '='))
            option = &options[k];
        }
      if (option == NULL)
        {
          bt_cli_error (_("%s: unknown option “%s”"), command, arg);
          return FALSE;
        }
      if (option->flag != NULL)
        {
          if (eq != NULL)
            {
              bt_cli_error (_("%s: %s takes no value"), command, option->name);
              return FALSE;
            }
          *option->flag = TRUE;
          continue;
        }
      if (eq != NULL)
        value = eq + 1;
      else if (i + 1 < argc)
        value = argv[++i];
      else
        {
          bt_cli_error (_("%s: %s needs a value"), command, option->name);
          return FALSE;
        }
      if (option->list != NULL)
        g_ptr_array_add (option->list, (gpointer) value);
      else
        *option->value = value;
    }
  if (n_positional != NULL)
    *n_positional = n_pos;
  return TRUE;
}

gboolean
bt_cli_parse_day (const char *command,
                  const char *option,
                  const char *text,
                  BtDay      *out)
{
  if (text == NULL || (bt_day_parse (text, out) && strlen (text) == 10))
    return TRUE;
  bt_cli_error (_("%s: %s “%s” is not a date (YYYY-MM-DD)"), command, option, text);
  return FALSE;
}

gboolean
bt_cli_parse_listing (const char *command,
                      const char *format,
                      const char *from_text,
                      const char *to_text,
                      gboolean   *json,
                      BtDay      *from,
                      BtDay      *to)
{
  *from = *to = BT_DAY_INVALID;
  if (!g_str_equal (format, "csv") && !g_str_equal (format, "json"))
    {
      bt_cli_error (_("%s: unknown format “%s” (csv or json)"), command, format);
      return FALSE;
    }
  *json = g_str_equal (format, "json");
  if (!bt_cli_parse_day (command, "--from", from_text, from) ||
      !bt_cli_parse_day (command, "--to", to_text, to))
    return FALSE;
  if (*from != BT_DAY_INVALID && *to != BT_DAY_INVALID && *from > *to)
    {
      bt_cli_error (_("%s: --from is after --to"), command);
      return FALSE;
    }
  return TRUE;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: btc-turbo-cli [--db PATH] COMMAND [OPTIONS]"));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %s\n", commands[i].usage);
  fprintf (out, "\n%s\n", _("Every command takes --db PATH (default: $XDG_DATA_HOME/btc-turbo/btc-turbo.sqlite)."));
}

int
main (int   argc,
      char *argv[])
{
  BtCli cli = { 0 };
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  const char *command = NULL;
  int status = BT_CLI_USAGE;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* --db may stand anywhere; the first other word is the command */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--db") || g_str_equal (argv[i], "--db="))
        {
          if (i + 1 >= argc)
            {
              bt_cli_error (_("--db needs a path"));
              goto out;
            }
          g_free (cli.db_path);
          cli.db_path = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (argv[i], "--db="))
        {
          g_free (cli.db_path);
          cli.db_path = g_strdup (argv[i] + 5);
        }
      else if (command == NULL && (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h")))
        {
          print_usage (stdout);
          status = BT_CLI_OK;
          goto out;
        }
      else if (command == NULL && g_str_equal (argv[i], "--version"))
        {
          printf ("btc-turbo-cli %s\n", PACKAGE_VERSION);
          status = BT_CLI_OK;
          goto out;
        }
      else
        {
          if (command == NULL)
            command = argv[i];
          g_ptr_array_add (rest, argv[i]);
        }
    }
  g_ptr_array_add (rest, NULL);

  if (command == NULL)
    {
      print_usage (stderr);
      goto out;
    }
  if (cli.db_path == NULL)
    cli.db_path = bt_store_dup_default_path ();

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, command))
      {
        status = commands[i].func (&cli, (int) rest->len - 1, (char **) rest->pdata);
        goto out;
      }

  bt_cli_error (_("unknown command “%s” (see --help)"), command);

out:
  g_free (cli.db_path);
  return status;
}
