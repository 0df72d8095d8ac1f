#define G_LOG_DOMAIN "bt-cli"

#include "bt-cli.h"

int
bt_cli_cmd_backtest (BtCli *cli, int argc, char **argv)
{
  bt_cli_error ("backtest: not available yet");
  return BT_CLI_FAILED;
}

int
bt_cli_cmd_sweep (BtCli *cli, int argc, char **argv)
{
  bt_cli_error ("sweep: not available yet");
  return BT_CLI_FAILED;
}
