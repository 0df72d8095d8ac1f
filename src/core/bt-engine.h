/* bt-engine.h: the in-memory state the CLI, the scheduler, the backtest and
 * the window share: the history loaded from the store, every indicator and
 * score computed once, and the rules in force.
 *
 * bt_engine_refresh() reloads what changed and recomputes; after a write
 * (import, collector), bt_engine_recompute_from() recomputes only from the
 * first changed day and saves market_data rows from there on, so `score`
 * and `decide` then answer from the stored rows instantly.
 */
#pragma once

#include <gio/gio.h>

#include "bt-backtest.h"
#include "bt-types.h"
#include "bt-rules.h"
#include "bt-store.h"

G_BEGIN_DECLS

#define BT_TYPE_ENGINE (bt_engine_get_type ())
G_DECLARE_FINAL_TYPE (BtEngine, bt_engine, BT, ENGINE, GObject)

BtEngine               *bt_engine_new            (BtStore      *store);
BtStore                *bt_engine_get_store      (BtEngine     *self);

/* Rules: the defaults of bt-rules.c merged with the overrides saved in the
 * store's settings ("rules" key, JSON). */
const BtRules          *bt_engine_get_rules      (BtEngine     *self);
gboolean                bt_engine_set_rules      (BtEngine     *self,
                                                  const BtRules *rules,
                                                  GError      **error);

/* Use RULES for this engine's computations without saving them (a one-off
 * `--set` on the command line); the stored market_data rows are left as
 * they are.  Call before bt_engine_refresh(). */
gboolean                bt_engine_use_rules      (BtEngine     *self,
                                                  const BtRules *rules,
                                                  GError      **error);

/* Load the history and compute everything (no-op when the store's data
 * version is unchanged and nothing was computed with other rules). */
gboolean                bt_engine_refresh        (BtEngine     *self,
                                                  GError      **error);
/* Recompute from FIRST_CHANGED (BT_DAY_INVALID: everything) and save the
 * market_data rows of the affected days in one transaction. */
gboolean                bt_engine_recompute_from (BtEngine     *self,
                                                  BtDay         first_changed,
                                                  GError      **error);

/* The same off the main loop: the history is loaded, indicators and scores
 * computed and the market_data rows saved in a worker thread, on a second
 * connection to the store's file; _finish (main thread) swaps the results
 * into the engine.  A store without a file (":memory:") is served at once
 * on the calling thread.  Rules are those in force when the call is made. */
void                    bt_engine_recompute_from_async  (BtEngine            *self,
                                                         BtDay                first_changed,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean                bt_engine_recompute_from_finish (BtEngine            *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* Make the stored market_data rows current: a no-op when they were
 * computed from this data version with this model and these rules,
 * otherwise a full recompute.  Readers of stored rows call it first. */
gboolean                bt_engine_ensure_market_data (BtEngine  *self,
                                                      GError   **error);

/* Valid after a successful refresh; NULL/0 when the store holds no data. */
const BtHistory        *bt_engine_get_history    (BtEngine     *self);
const BtIndicatorTable *bt_engine_get_table      (BtEngine     *self);
const BtScores         *bt_engine_get_scores     (BtEngine     *self);   /* n_days slots */
guint                   bt_engine_get_n_days     (BtEngine     *self);
BtDay                   bt_engine_get_first_day  (BtEngine     *self);
BtDay                   bt_engine_get_last_day   (BtEngine     *self);
/* A backtest's inputs: the engine's history, indicators and scores, scored
 * with its rules.  They live as long as the engine's data (the next
 * refresh or recompute replaces them). */
void                    bt_engine_get_backtest_inputs (BtEngine         *self,
                                                       BtBacktestInputs *out);

/* The position decisions are made for: the first wallet's latest stored
 * reading, in STATE.  FALSE, with STATE as "no position" (health factor,
 * prices and amounts NAN, risk 100), when none is stored. */
gboolean                bt_engine_get_position   (BtEngine              *self,
                                                  BtPositionState       *state);
/* Evaluate the decision of DAY for POSITION (NULL: no position). */
gboolean                bt_engine_decide         (BtEngine              *self,
                                                  BtDay                  day,
                                                  const BtPositionState *position,
                                                  BtDecision            *decision,
                                                  BtDecisionInputs      *inputs,
                                                  GError               **error);

G_END_DECLS
