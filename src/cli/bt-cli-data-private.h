/* bt-cli-data-private.h: the helpers shared by the data commands
 * (bt-cli-data.c), the scoring commands (bt-cli-score.c) and the backtest
 * commands (bt-cli-backtest.c).
 */
#pragma once

#include "bt-cli.h"
#include "bt-engine.h"
#include "bt-store.h"

G_BEGIN_DECLS

gboolean  _bt_cli_parse_number_option (const char *command,
                                       const char *option,
                                       const char *text,
                                       double     *out);
BtEngine *_bt_cli_open_engine (BtCli      *cli,
                               const char *command);
BtStore  *_bt_cli_open_current_store (BtCli      *cli,
                                      const char *command,
                                      BtDay      *latest);
void      _bt_cli_report_outside (BtStore    *store,
                                  const char *command,
                                  BtDay       day);
gboolean  _bt_cli_resolve_day (BtEngine   *engine,
                               const char *command,
                               const char *date_text,
                               guint      *index,
                               BtDay      *day);
void      _bt_cli_write_out (GString *out);

G_END_DECLS
