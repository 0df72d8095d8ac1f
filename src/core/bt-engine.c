#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bt-backtest-store.h"
#include "bt-base.h"
#include "bt-engine.h"
#include "bt-engine-private.h"
#include "bt-indicators.h"
#include "bt-scoring.h"
#include "bt-store-private.h"

#define RULES_SETTING "rules"

/* The market_data rows are a cache of what the engine computes.  The stamp
 * says what they were computed from: "MODEL:RULES-SHA256:DATA-VERSION".
 * Bump BT_ENGINE_MODEL whenever indicator or score arithmetic changes, so
 * rows written by an older BTC Turbo are recomputed. */
#define BT_ENGINE_MODEL "1"
#define STAMP_SETTING "market_data.stamp"

struct _BtEngine
{
  GObject           parent_instance;

  BtStore          *store;
  BtRules           rules;
  gboolean          rules_loaded;

  BtHistory        *history;
  BtIndicatorTable *table;
  BtScores         *scores;
  guint64           computed_version;   /* data_version the arrays were computed from */
  gboolean          computed;
};

G_DEFINE_FINAL_TYPE (BtEngine, bt_engine, G_TYPE_OBJECT)

/* One recompute: its inputs, then its results until adopted. */
typedef struct
{
  BtRules           rules;
  BtDay             first_changed;
  BtHistory        *history;
  BtIndicatorTable *table;
  BtScores         *scores;
} Recompute;

static void
recompute_clear (Recompute *r)
{
  g_clear_pointer (&r->history, bt_history_free);
  g_clear_pointer (&r->table, bt_indicator_table_free);
  g_clear_pointer (&r->scores, g_free);
}

static void
recompute_free (Recompute *r)
{
  recompute_clear (r);
  g_free (r);
}

static void
clear_computed (BtEngine *self)
{
  g_clear_pointer (&self->history, bt_history_free);
  g_clear_pointer (&self->table, bt_indicator_table_free);
  g_clear_pointer (&self->scores, g_free);
  self->computed = FALSE;
}

static gboolean
load_rules (BtEngine  *self,
            GError   **error)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  BtRules rules;
  JsonNode *root;

  if (self->rules_loaded)
    return TRUE;

  bt_rules_init_default (&rules);
  json = bt_store_dup_setting (self->store, RULES_SETTING, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (json != NULL && *json != '\0')
    {
      parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, json, -1, error))
        {
          g_prefix_error (error, _("The saved rules could not be read: "));
          return FALSE;
        }
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, BT_RULES_ERROR, BT_RULES_ERROR_INVALID_VALUE,
                       _("The saved rules are not a JSON object."));
          return FALSE;
        }
      /* rules saved before rule profiles existed were the seed's with the
       * user's changes: they stay on that footing (docs/rulebook.md §0) */
      if (!json_object_has_member (json_node_get_object (root), "profile"))
        bt_rules_init_profile (&rules, BT_RULES_PROFILE_SEED_V5);
      if (!bt_rules_merge_json (&rules, json_node_get_object (root), error))
        {
          g_prefix_error (error, _("The saved rules could not be applied: "));
          return FALSE;
        }
    }
  self->rules = rules;
  self->rules_loaded = TRUE;
  return TRUE;
}

static gboolean recompute_on     (BtStore   *store,
                                  Recompute *r,
                                  GError   **error);
static void     adopt            (BtEngine  *self,
                                  Recompute *r);

/* Load the history from STORE and compute every indicator and score of
 * every day with R->rules into R. */
static gboolean
load_and_compute (BtStore    *store,
                  Recompute  *r,
                  GError    **error)
{
  BtHistory *h = bt_store_load_history (store, error);

  if (h == NULL)
    return FALSE;
  r->history = h;
  r->table = bt_indicator_table_new (h->first_day, h->n_days);
  r->scores = g_new0 (BtScores, MAX (h->n_days, 1));
  if (h->n_days > 0)
    {
      bt_indicators_compute (h, &r->rules, r->table);
      bt_scores_compute_all (r->table, &r->rules, r->scores);
    }
  return TRUE;
}

static char *
rules_to_json (const BtRules *rules)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  bt_rules_to_json (rules, builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* "MODEL:RULES-SHA256" */
static char *
model_stamp (const BtRules *rules)
{
  g_autofree char *json = rules_to_json (rules);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);

  return g_strconcat (BT_ENGINE_MODEL, ":", hash, NULL);
}

/* Whether STAMP was computed with the same model and rules as PREFIX. */
static gboolean
stamp_has_model (const char *stamp,
                 const char *prefix)
{
  gsize len = strlen (prefix);

  return stamp != NULL && strncmp (stamp, prefix, len) == 0 && stamp[len] == ':';
}

static void
bt_engine_finalize (GObject *object)
{
  BtEngine *self = (BtEngine *) object;

  clear_computed (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (bt_engine_parent_class)->finalize (object);
}

static void
bt_engine_class_init (BtEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bt_engine_finalize;
}

static void
bt_engine_init (BtEngine *self)
{
  bt_rules_init_default (&self->rules);
}

BtEngine *
bt_engine_new (BtStore *store)
{
  BtEngine *self;

  g_return_val_if_fail (BT_IS_STORE (store), NULL);

  self = g_object_new (BT_TYPE_ENGINE, NULL);
  self->store = g_object_ref (store);
  return self;
}

BtStore *
bt_engine_get_store (BtEngine *self)
{
  g_return_val_if_fail (BT_IS_ENGINE (self), NULL);

  return self->store;
}

const BtRules *
bt_engine_get_rules (BtEngine *self)
{
  g_return_val_if_fail (BT_IS_ENGINE (self), NULL);

  /* a failure to read saved rules leaves the defaults in force; refresh
   * reports it */
  load_rules (self, NULL);
  return &self->rules;
}

gboolean
bt_engine_set_rules (BtEngine       *self,
                     const BtRules  *rules,
                     GError        **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (BT_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (rules != NULL, FALSE);

  if (!bt_rules_validate (rules, error))
    return FALSE;

  json = rules_to_json (rules);
  if (!bt_store_set_setting (self->store, RULES_SETTING, json, error))
    return FALSE;

  self->rules = *rules;
  self->rules_loaded = TRUE;
  /* every stored score depends on the rules */
  return bt_engine_recompute_from (self, BT_DAY_INVALID, error);
}

gboolean
bt_engine_use_rules (BtEngine       *self,
                     const BtRules  *rules,
                     GError        **error)
{
  g_return_val_if_fail (BT_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (rules != NULL, FALSE);

  if (!bt_rules_validate (rules, error))
    return FALSE;
  self->rules = *rules;
  self->rules_loaded = TRUE;
  clear_computed (self);
  return TRUE;
}

gboolean
bt_engine_refresh (BtEngine  *self,
                   GError   **error)
{
  Recompute r = { 0 };

  g_return_val_if_fail (BT_IS_ENGINE (self), FALSE);

  if (self->computed && bt_store_get_data_version (self->store) == self->computed_version)
    return TRUE;
  if (!load_rules (self, error))
    return FALSE;
  r.rules = self->rules;
  if (!load_and_compute (self->store, &r, error))
    {
      recompute_clear (&r);
      return FALSE;
    }
  adopt (self, &r);
  recompute_clear (&r);
  return TRUE;
}


gboolean
bt_engine_recompute_from (BtEngine  *self,
                          BtDay      first_changed,
                          GError   **error)
{
  Recompute r = { 0 };
  gboolean ok;

  g_return_val_if_fail (BT_IS_ENGINE (self), FALSE);

  if (!load_rules (self, error))
    return FALSE;
  r.rules = self->rules;
  r.first_changed = first_changed;
  ok = recompute_on (self->store, &r, error);
  if (ok)
    adopt (self, &r);
  recompute_clear (&r);
  return ok;
}

gboolean
bt_engine_ensure_market_data (BtEngine  *self,
                              GError   **error)
{
  g_autofree char *stamp = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *expected = NULL;

  g_return_val_if_fail (BT_IS_ENGINE (self), FALSE);

  if (!load_rules (self, error))
    return FALSE;
  stamp = bt_store_dup_setting (self->store, STAMP_SETTING, error);
  if (stamp == NULL && error != NULL && *error != NULL)
    return FALSE;
  prefix = model_stamp (&self->rules);
  expected = g_strdup_printf ("%s:%" G_GUINT64_FORMAT, prefix,
                              bt_store_get_data_version (self->store));
  if (g_strcmp0 (stamp, expected) == 0)
    return TRUE;
  return bt_engine_recompute_from (self, BT_DAY_INVALID, error);
}

const BtHistory *
bt_engine_get_history (BtEngine *self)
{
  g_return_val_if_fail (BT_IS_ENGINE (self), NULL);

  return self->history;
}

const BtIndicatorTable *
bt_engine_get_table (BtEngine *self)
{
  g_return_val_if_fail (BT_IS_ENGINE (self), NULL);

  return self->table;
}

const BtScores *
bt_engine_get_scores (BtEngine *self)
{
  g_return_val_if_fail (BT_IS_ENGINE (self), NULL);

  return self->scores;
}

guint
bt_engine_get_n_days (BtEngine *self)
{
  g_return_val_if_fail (BT_IS_ENGINE (self), 0);

  return self->history ? self->history->n_days : 0;
}

BtDay
bt_engine_get_first_day (BtEngine *self)
{
  g_return_val_if_fail (BT_IS_ENGINE (self), BT_DAY_INVALID);

  if (self->history == NULL || self->history->n_days == 0)
    return BT_DAY_INVALID;
  return self->history->first_day;
}

BtDay
bt_engine_get_last_day (BtEngine *self)
{
  g_return_val_if_fail (BT_IS_ENGINE (self), BT_DAY_INVALID);

  if (self->history == NULL || self->history->n_days == 0)
    return BT_DAY_INVALID;
  return self->history->first_day + (BtDay) self->history->n_days - 1;
}

void
bt_engine_get_backtest_inputs (BtEngine         *self,
                               BtBacktestInputs *out)
{
  g_return_if_fail (BT_IS_ENGINE (self));
  g_return_if_fail (out != NULL);

  out->history = self->history;
  out->table = self->table;
  out->scores = self->scores;
  out->score_rules = bt_engine_get_rules (self);
}

void
bt_engine_get_kelly_inputs (BtEngine *self,
                            double   *win_rate,
                            double   *payoff)
{
  BtDay first_price = BT_DAY_INVALID;

  *win_rate = NAN;
  *payoff = NAN;
  g_return_if_fail (BT_IS_ENGINE (self));

  if (self->history == NULL)
    return;
  /* "the latest completed backtest over the full history": a run that
   * starts on the first day with a price and ends on the last day */
  for (guint i = 0; i < self->history->n_days; i++)
    if (isfinite (self->history->input[BT_INPUT_CLOSE][i]))
      {
        first_price = self->history->first_day + (BtDay) i;
        break;
      }
  if (first_price == BT_DAY_INVALID)
    return;
  bt_backtest_store_latest_kelly (self->store, first_price, bt_engine_get_last_day (self),
                                  win_rate, payoff);
}

gboolean
bt_engine_get_position (BtEngine        *self,
                        BtPositionState *state)
{
  g_autoptr(GPtrArray) positions = NULL;

  g_return_val_if_fail (BT_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  memset (state, 0, sizeof *state);
  state->health_factor = state->liquidation_price = state->liquidation_distance = NAN;
  state->collateral_usd = state->debt_usd = NAN;
  state->risk_score = 100;
  positions = bt_store_list_latest_positions (self->store, NULL);
  if (positions == NULL || positions->len == 0)
    return FALSE;
  bt_position_to_state (g_ptr_array_index (positions, 0), state);
  return TRUE;
}

gboolean
bt_engine_decide (BtEngine              *self,
                  BtDay                  day,
                  const BtPositionState *position,
                  BtDecision            *decision,
                  BtDecisionInputs      *inputs,
                  GError               **error)
{
  BtPositionState none;
  BtDecisionInputs local_inputs;
  gssize i;

  g_return_val_if_fail (BT_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (decision != NULL, FALSE);

  if (!bt_engine_refresh (self, error))
    return FALSE;
  i = self->history ? bt_history_index (self->history, day) : -1;
  if (i < 0)
    {
      char buf[11];

      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND,
                   _("There is no data for %s."), bt_day_format (day, buf));
      return FALSE;
    }
  if (inputs == NULL)
    inputs = &local_inputs;
  if (position == NULL)
    {
      /* nothing held, no debt: leverage 0, risk 100 */
      bt_position_evaluate (0, 0, NAN, NAN, NAN, &self->rules, &none);
      position = &none;
    }
  bt_decision_inputs_from_day (self->table, self->scores, (guint) i, inputs);
  bt_engine_get_kelly_inputs (self, &inputs->kelly_win_rate, &inputs->kelly_payoff);
  /* the crash guard's worst fall, from the history up to DAY only
   * (docs/rulebook.md §5.2) */
  if (self->rules.crash_window_days > 0)
    {
      g_autofree double *fall = g_new (double, self->history->n_days);
      g_autofree BtDay *from = g_new (BtDay, self->history->n_days);
      g_autofree BtDay *to = g_new (BtDay, self->history->n_days);

      bt_worst_fall_series (self->history, self->rules.crash_window_days, fall, from, to);
      inputs->worst_fall = fall[i];
      inputs->worst_fall_from = from[i];
      inputs->worst_fall_to = to[i];
    }
  if (position->debt_usd > 0 && isfinite (position->health_factor)
      && position->collateral_usd > 0)
    inputs->liquidation_threshold = position->health_factor * position->debt_usd
                                    / position->collateral_usd;
  bt_decide (&self->rules, inputs, position, decision);
  return TRUE;
}

/* ---- recompute in a worker thread ---- */

/* Load, compute and save on STORE; the results stay in R.  Rows before
 * R->first_changed are kept only when the stamp says they were computed
 * with the same model and rules. */
static gboolean
recompute_on (BtStore    *store,
              Recompute  *r,
              GError    **error)
{
  g_autofree char *prefix = model_stamp (&r->rules);
  g_autofree char *stamp = NULL;
  g_autofree char *new_stamp = NULL;
  BtHistory *h;
  gssize from = 0;

  if (!load_and_compute (store, r, error))
    return FALSE;
  h = r->history;

  /* Indicators of day t use data up to t only, so a change at day c
   * changes nothing before c. */
  stamp = bt_store_dup_setting (store, STAMP_SETTING, NULL);
  if (r->first_changed != BT_DAY_INVALID && stamp_has_model (stamp, prefix))
    {
      from = bt_history_index (h, r->first_changed);
      if (from < 0)
        from = r->first_changed > h->first_day ? (gssize) h->n_days : 0;
    }
  /* days no raw input covers any more (an import removed) lose their rows */
  if (!_bt_store_trim_market_data (store, h->n_days > 0 ? h->first_day : BT_DAY_INVALID,
                                   h->first_day + (BtDay) h->n_days - 1, error))
    return FALSE;
  if (h->n_days > 0 && (guint) from < h->n_days &&
      !bt_store_save_market_data_full (store, h, r->table, r->scores, (guint) from, error))
    return FALSE;
  new_stamp = g_strdup_printf ("%s:%" G_GUINT64_FORMAT, prefix, h->data_version);
  return bt_store_set_setting (store, STAMP_SETTING, new_stamp, error);
}

/* BtStoreWorkFunc: recompute on the worker's connection. */
static gboolean
recompute_work (BtStore       *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  return !g_cancellable_set_error_if_cancelled (cancellable, error)
         && recompute_on (store, data, error);
}

void
bt_engine_recompute_from_async (BtEngine            *self,
                                BtDay                first_changed,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Recompute *r;

  g_return_if_fail (BT_IS_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bt_engine_recompute_from_async);
  if (!load_rules (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  r = g_new0 (Recompute, 1);
  r->rules = self->rules;
  r->first_changed = first_changed;
  g_task_set_task_data (task, r, (GDestroyNotify) recompute_free);
  bt_store_run_in_thread (self->store, task, recompute_work);
}

gboolean
bt_engine_recompute_from_finish (BtEngine      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  Recompute *r;

  g_return_val_if_fail (BT_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  r = g_task_get_task_data (G_TASK (result));
  adopt (self, r);
  return TRUE;
}

/* Take R's results as the engine's current arrays. */
static void
adopt (BtEngine  *self,
       Recompute *r)
{
  clear_computed (self);
  self->history = g_steal_pointer (&r->history);
  self->table = g_steal_pointer (&r->table);
  self->scores = g_steal_pointer (&r->scores);
  /* computed with the rules in force at the call: if they changed since,
   * the next refresh computes again */
  self->computed_version = self->history->data_version;
  self->computed = memcmp (&r->rules, &self->rules, sizeof r->rules) == 0;
}
