#define G_LOG_DOMAIN "bt-cli"

#include "bt-cli.h"

gpointer
bt_cli_open_store (BtCli *cli)
{
  bt_cli_error ("store not available yet");
  return NULL;
}

#define NOT_YET(fn, name) \
  int fn (BtCli *cli, int argc, char **argv) { bt_cli_error ("%s: not available yet", name); return BT_CLI_FAILED; }
NOT_YET (bt_cli_cmd_import, "import")
NOT_YET (bt_cli_cmd_migrate_v1, "migrate-v1")
NOT_YET (bt_cli_cmd_indicators, "indicators")
NOT_YET (bt_cli_cmd_score, "score")
NOT_YET (bt_cli_cmd_decide, "decide")
NOT_YET (bt_cli_cmd_alerts, "alerts")
