/* bt-cli.h: shared pieces of btc-turbo-cli.  Each command is a function
 * taking the arguments after the command name (argv[0] is the command). */
#pragma once

#include <glib.h>

#include "bt-types.h"

G_BEGIN_DECLS

/* Exit statuses */
#define BT_CLI_OK            0
#define BT_CLI_FAILED        1   /* the command failed; one line on stderr */
#define BT_CLI_USAGE         2   /* bad arguments */
#define BT_CLI_PARTIAL       3   /* collect: some source failed, data kept */

typedef struct
{
  char *db_path;   /* --db, or the default path */
} BtCli;

/* Print "btc-turbo-cli: MESSAGE" on stderr (one line). */
void  bt_cli_error        (const char *format,
                           ...) G_GNUC_PRINTF (1, 2);
/* Open the store at cli->db_path, reporting errors; NULL on failure. */
gpointer bt_cli_open_store (BtCli      *cli);

/* One option of a command: exactly one of VALUE (takes a value, the last
 * one wins), FLAG (takes none) and LIST (repeatable, each value appended)
 * is set. */
typedef struct
{
  const char  *name;     /* "--from" */
  const char **value;
  gboolean    *flag;
  GPtrArray   *list;
} BtCliOption;

/* Parse ARGV[1..] ("--name VALUE" or "--name=VALUE") against OPTIONS;
 * words that are not options go to POSITIONAL (at most MAX_POSITIONAL).
 * FALSE after a one-line usage error naming COMMAND. */
gboolean bt_cli_parse_options (const char        *command,
                               int                argc,
                               char             **argv,
                               const BtCliOption *options,
                               guint              n_options,
                               const char       **positional,
                               guint              max_positional,
                               guint             *n_positional);

/* Parse TEXT (the value of OPTION, may be NULL: nothing to do) as a
 * YYYY-MM-DD day; FALSE after a one-line usage error. */
gboolean bt_cli_parse_day     (const char *command,
                               const char *option,
                               const char *text,
                               BtDay      *out);
/* The --format (csv or json) and --from/--to options of a listing: FALSE
 * after one line on stderr when the format is unknown, a day does not
 * parse or FROM is after TO.  *JSON is TRUE for json. */
gboolean bt_cli_parse_listing (const char *command,
                               const char *format,
                               const char *from_text,
                               const char *to_text,
                               gboolean   *json,
                               BtDay      *from,
                               BtDay      *to);

/* The options naming a position, shared by decide and stress. */
typedef struct
{
  const char *date_text;
  const char *collateral_text;
  const char *debt_text;
  const char *lt_text;
  const char *wallet;
  gboolean    require_position;   /* stress: one of the two forms is needed */
  GPtrArray  *sets;               /* --set KEY=VALUE rule overrides, or NULL */
} BtCliPositionOptions;

/* The rows of a BtCliOption table for the fields of the
 * BtCliPositionOptions PO and for --json (into the gboolean AS_JSON). */
#define BT_CLI_POSITION_OPTIONS(po, as_json)                            \
  { "--date", &(po).date_text, NULL, NULL },                            \
  { "--collateral-usd", &(po).collateral_text, NULL, NULL },            \
  { "--debt-usd", &(po).debt_text, NULL, NULL },                        \
  { "--liquidation-threshold", &(po).lt_text, NULL, NULL },             \
  { "--wallet", &(po).wallet, NULL, NULL },                             \
  { "--json", NULL, &(as_json), NULL }

/* The engine, the day of --date (default: the last) and the position of
 * OPTIONS: the latest stored snapshot of --wallet, or --collateral-usd and
 * --debt-usd with --liquidation-threshold (default: the backtest's), or
 * nothing held. */
typedef struct
{
  gpointer engine;                /* BtEngine, owned by the caller */
  guint    index;                 /* of DAY in the engine's table */
  BtDay    day;
  gboolean with_position;
  double   collateral_usd;
  double   debt_usd;
  double   liquidation_threshold; /* NAN: a stored snapshot without it */
  double   health_factor;         /* of a stored snapshot, else NAN */
} BtCliPosition;

/* Check OPTIONS and load them (bt-cli-score.c); BT_CLI_OK, or the exit
 * status after a one-line error. */
int   bt_cli_load_position  (BtCli                      *cli,
                             const char                 *command,
                             const BtCliPositionOptions *options,
                             BtCliPosition              *out);
/* Write OUT to stdout. */
void  bt_cli_write_out      (GString *out);

int   bt_cli_cmd_import     (BtCli *cli, int argc, char **argv);
int   bt_cli_cmd_migrate_v1 (BtCli *cli, int argc, char **argv);
int   bt_cli_cmd_imports    (BtCli *cli, int argc, char **argv);
int   bt_cli_cmd_history    (BtCli *cli, int argc, char **argv);
int   bt_cli_cmd_indicators (BtCli *cli, int argc, char **argv);
int   bt_cli_cmd_score      (BtCli *cli, int argc, char **argv);
int   bt_cli_cmd_decide     (BtCli *cli, int argc, char **argv);
int   bt_cli_cmd_stress     (BtCli *cli, int argc, char **argv);   /* bt-cli-stress.c */
int   bt_cli_cmd_alerts     (BtCli *cli, int argc, char **argv);
int   bt_cli_cmd_backtest   (BtCli *cli, int argc, char **argv);   /* bt-cli-backtest.c */
int   bt_cli_cmd_sweep      (BtCli *cli, int argc, char **argv);   /* bt-cli-backtest.c */
int   bt_cli_cmd_collect    (BtCli *cli, int argc, char **argv);   /* bt-cli-collect.c */
int   bt_cli_cmd_report     (BtCli *cli, int argc, char **argv);   /* bt-cli-collect.c */

G_END_DECLS
