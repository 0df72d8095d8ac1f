/* bt-backtest-store.h: backtest runs in the database (backtest_runs,
 * backtest_trades, backtest_equity).
 *
 * A run is saved in one transaction with its configuration hash and the data
 * version it was computed on, so that an identical request (same hash, same
 * data version, same period) returns the stored run instead of recomputing.
 * The trade fields that have no column of their own (market price, BTC
 * amount, fee, debt after) travel in the metrics JSON as "trade_details".
 */
#pragma once

#include <gio/gio.h>

#include "bt-backtest.h"
#include "bt-store.h"

G_BEGIN_DECLS

typedef struct
{
  char   *id;
  char   *name;
  char   *config_hash;
  guint64 data_version;
  BtDay   start_day;
  BtDay   end_day;
  gint64  created_at;      /* unix seconds */
  double  initial_capital;
  double  final_value;
  double  total_return;
  double  sharpe_ratio;
  double  max_drawdown;
  double  win_rate;
  double  total_trades;
  double  btc_hold_return;
  double  outperformance;
  char   *config_json;     /* the run's canonical configuration */
} BtBacktestRunInfo;

void              bt_backtest_run_info_free (BtBacktestRunInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtBacktestRunInfo, bt_backtest_run_info_free)

/* The name a run gets when none is given: its period and key settings,
 * e.g. "2020-01-01 – 2024-12-31 · 2.5× · in cash". */
char             *bt_backtest_default_name (const BtBacktestConfig *config,
                                            BtDay                   first_day,
                                            BtDay                   last_day);
/* Saves RESULT (a fresh id is set in result->id) under NAME (NULL:
 * bt_backtest_default_name()). */
gboolean          bt_backtest_store_save   (BtStore            *store,
                                            BtBacktestResult   *result,
                                            const char         *name,
                                            GError            **error);
/* The newest completed run of CONFIG_HASH on DATA_VERSION covering exactly
 * FIRST_DAY..LAST_DAY; NULL without error when there is none. */
BtBacktestResult *bt_backtest_store_find   (BtStore            *store,
                                            const char         *config_hash,
                                            guint64             data_version,
                                            BtDay               first_day,
                                            BtDay               last_day,
                                            GError            **error);
/* BtBacktestRunInfo, newest first. */
GPtrArray        *bt_backtest_store_list   (BtStore            *store,
                                            GError            **error);
/* Metrics, trades and equity of run ID; BT_STORE_ERROR_NOT_FOUND when absent. */
BtBacktestResult *bt_backtest_store_load   (BtStore            *store,
                                            const char         *id,
                                            GError            **error);
/* Renames run ID to NAME (trimmed; not empty); BT_STORE_ERROR_NOT_FOUND
 * when absent. */
gboolean          bt_backtest_store_rename (BtStore            *store,
                                            const char         *id,
                                            const char         *name,
                                            GError            **error);
/* Deletes run ID with its trades and equity; BT_STORE_ERROR_NOT_FOUND when absent. */
gboolean          bt_backtest_store_delete (BtStore            *store,
                                            const char         *id,
                                            GError            **error);

/* Kelly inputs (SCORING.md §5) from the latest completed run covering
 * FIRST..LAST: win rate as a fraction and average win / average loss.
 * NAN, NAN when there is no such run or it had no winning or losing trade. */
void              bt_backtest_store_latest_kelly (BtStore *store,
                                                  BtDay    first,
                                                  BtDay    last,
                                                  double  *win_rate,
                                                  double  *payoff);

G_END_DECLS
