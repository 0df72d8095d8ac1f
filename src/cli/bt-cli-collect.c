#define G_LOG_DOMAIN "bt-cli"

#include "bt-cli.h"

int
bt_cli_cmd_collect (BtCli *cli, int argc, char **argv)
{
  bt_cli_error ("collect: not available yet");
  return BT_CLI_FAILED;
}

int
bt_cli_cmd_report (BtCli *cli, int argc, char **argv)
{
  bt_cli_error ("report: not available yet");
  return BT_CLI_FAILED;
}
