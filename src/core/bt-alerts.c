/* bt-alerts.c: alert conditions of SCORING.md §6, hysteresis and
 * acknowledgement (see bt-alerts.h for the semantics). */
#define G_LOG_DOMAIN "bt-core"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "bt-alerts.h"
#include "bt-alerts-private.h"
#include "bt-base.h"
#include "bt-json.h"

G_DEFINE_QUARK (bt-alert-error-quark, bt_alert_error)

#define STATE_VERSION 1

typedef struct
{
  BtAlertKind kind;
  gboolean    active;        /* condition true at the last evaluation */
  gboolean    armed;         /* fires when the condition is true */
  gboolean    acknowledged;  /* the last alert fired has been acknowledged */
  gboolean    fired;         /* has fired at least once */
  guint       seen;          /* generation of the last evaluation where it held */
  gboolean    cleared;       /* an alert fired for it, and it stopped holding at the
                              * last evaluation (not saved) */
} KeyState;

/* The flags of a key's state, by the names of the saved state. */
static const struct
{
  const char *name;
  gsize       offset;
} key_flags[] = {
  { "active", G_STRUCT_OFFSET (KeyState, active) },
  { "armed", G_STRUCT_OFFSET (KeyState, armed) },
  { "acknowledged", G_STRUCT_OFFSET (KeyState, acknowledged) },
  { "fired", G_STRUCT_OFFSET (KeyState, fired) },
};

struct _BtAlertEngine
{
  GHashTable *keys;          /* char* → KeyState* */
  double      last_market;   /* NAN before the first known market score */
  BtAction    last_action;   /* BT_ALERT_ACTION_UNKNOWN before the first decision */
  guint       generation;
};

static const char *const action_labels[BT_N_ACTIONS] = {
  N_("Hold"), N_("Enter"), N_("Add"), N_("Reduce"), N_("Exit"), N_("Liquidation"),
};

/* ---- plumbing ---- */

/* Nothing known yet (the sources' times are set by bt_alert_inputs_init). */
static const BtAlertInputs unknown_inputs = {
  .market = NAN,
  .market_previous = NAN,
  .action = BT_ALERT_ACTION_UNKNOWN,
  .urgency = BT_URGENCY_LOW,
  .previous_action = BT_ALERT_ACTION_UNKNOWN,
  .health_factor = NAN,
  .liquidation_distance = NAN,
  .heat = NAN,
  .price = NAN,
  .price_24h_ago = NAN,
  .funding_rate_7d = NAN,
};

void
bt_alert_inputs_init (BtAlertInputs *inputs)
{
  g_return_if_fail (inputs != NULL);

  *inputs = unknown_inputs;
  for (guint s = 0; s < BT_N_SOURCES; s++)
    {
      inputs->source_failing_seconds[s] = NAN;
      inputs->source_interval_seconds[s] = NAN;
    }
}

void
bt_alert_event_free (BtAlertEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->key);
  g_free (event->message);
  g_free (event->values_json);
  g_free (event);
}

BtAlertEngine *
bt_alert_engine_new (void)
{
  BtAlertEngine *engine = g_new0 (BtAlertEngine, 1);

  engine->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  engine->last_market = NAN;
  engine->last_action = BT_ALERT_ACTION_UNKNOWN;
  return engine;
}

void
bt_alert_engine_free (BtAlertEngine *engine)
{
  if (engine != NULL)
    g_hash_table_unref (engine->keys);
  g_free (engine);
}

static KeyState *
key_state_new (BtAlertKind kind)
{
  KeyState *st = g_new0 (KeyState, 1);

  st->kind = kind;
  st->armed = TRUE;
  st->acknowledged = TRUE;
  return st;
}

static gboolean
is_event_kind (BtAlertKind kind)
{
  return kind == BT_ALERT_MARKET_SCORE_CROSS || kind == BT_ALERT_DECISION_CHANGED;
}

static gboolean
action_known (BtAction action)
{
  return (guint) action < BT_N_ACTIONS;
}

/* A JSON object of NAMES → VALUES (NAN → null); NULL-terminated names. */
static char *
values_json (const char *const *names,
             const double       *values)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  for (guint i = 0; names[i] != NULL; i++)
    {
      json_builder_set_member_name (builder, names[i]);
      if (isfinite (values[i]))
        json_builder_add_double_value (builder, values[i]);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* ---- evaluation ---- */

typedef struct
{
  BtAlertEngine       *engine;
  const BtRules       *rules;
  const BtAlertInputs *inputs;
  GPtrArray           *events;
} Eval;

/* The condition of KEY holds now.  MESSAGE and VALUES are owned and used
 * only when the alert fires. */
static void
hold (Eval        *ev,
      BtAlertKind  kind,
      const char  *key,
      BtSeverity   severity,
      char        *message,
      char        *values)
{
  KeyState *st;

  if (!ev->rules->alert_enabled[kind])
    {
      g_free (message);
      g_free (values);
      return;
    }
  st = g_hash_table_lookup (ev->engine->keys, key);
  if (st == NULL)
    {
      st = key_state_new (kind);
      g_hash_table_insert (ev->engine->keys, g_strdup (key), st);
    }
  st->seen = ev->engine->generation;
  st->active = TRUE;
  if (st->armed)
    {
      BtAlertEvent *event = g_new0 (BtAlertEvent, 1);

      event->kind = kind;
      event->key = g_strdup (key);
      event->severity = severity;
      event->message = g_steal_pointer (&message);
      event->values_json = g_steal_pointer (&values);
      event->time = ev->inputs->time;
      g_ptr_array_add (ev->events, event);
      st->armed = FALSE;
      st->acknowledged = FALSE;
      st->fired = TRUE;
    }
  g_free (message);
  g_free (values);
}

/* Decimals that show VALUE distinctly below LIMIT (at least 2): 1.247 is
 * "1.247 is below 1.25", not "1.25 is below 1.25". */
static int
below_decimals (double value,
                double limit)
{
  int d = 2;

  while (d < 6 && round (value * pow (10, d)) >= round (limit * pow (10, d)))
    d++;
  return d;
}

static void
check_health_factor (Eval *ev)
{
  const BtRules *r = ev->rules;
  double hf = ev->inputs->health_factor;
  const char *const names[] = { "health_factor", "threshold", NULL };

  if (!isfinite (hf))
    return;
  if (hf < r->alert_hf_warning)
    {
      const double values[] = { hf, r->alert_hf_warning };

      hold (ev, BT_ALERT_HEALTH_FACTOR, "health_factor:warning", BT_SEVERITY_WARNING,
            g_strdup_printf (_("Health factor %.*f is below %.2f: the position is at risk of "
                               "liquidation."), below_decimals (hf, r->alert_hf_warning), hf,
                             r->alert_hf_warning),
            values_json (names, values));
    }
  if (hf < r->alert_hf_critical)
    {
      const double values[] = { hf, r->alert_hf_critical };

      hold (ev, BT_ALERT_HEALTH_FACTOR, "health_factor:critical", BT_SEVERITY_CRITICAL,
            g_strdup_printf (_("Health factor %.*f is below %.2f: liquidation is close, repay "
                               "debt or add collateral now."), below_decimals (hf, r->alert_hf_critical),
                             hf, r->alert_hf_critical),
            values_json (names, values));
    }
}

static void
check_distance (Eval *ev)
{
  double d = ev->inputs->liquidation_distance;
  double limit = ev->rules->alert_distance_warning;
  const char *const names[] = { "liquidation_distance", "threshold", NULL };
  const double values[] = { d, limit };

  if (!(d < limit))
    return;
  hold (ev, BT_ALERT_LIQUIDATION_DISTANCE, "liquidation_distance", BT_SEVERITY_WARNING,
        g_strdup_printf (_("The liquidation price is only %.1f %% below the current price "
                           "(alert below %.1f %%)."), d, limit),
        values_json (names, values));
}

static void
check_market_cross (Eval *ev)
{
  const BtRules *r = ev->rules;
  double now = ev->inputs->market;
  double prev = isfinite (ev->inputs->market_previous)
                ? ev->inputs->market_previous : ev->engine->last_market;
  const char *const names[] = { "market", "market_previous", "level", NULL };

  if (isfinite (now))
    ev->engine->last_market = now;
  if (!isfinite (now) || !isfinite (prev))
    return;  /* the first evaluation only records the side */

  for (guint i = 0; i < r->alert_cross_n; i++)
    {
      double level = r->alert_cross_levels[i];
      const double values[] = { now, prev, level };
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *key = NULL;
      gboolean up = prev < level && now >= level;
      gboolean down = prev >= level && now < level;

      if (!up && !down)
        continue;
      key = g_strconcat ("market_score_cross:", bt_format_double (level, buf), NULL);
      if (up)
        hold (ev, BT_ALERT_MARKET_SCORE_CROSS, key, BT_SEVERITY_INFO,
              g_strdup_printf (_("The market score rose above %.0f (from %.1f to %.1f)."),
                               level, prev, now),
              values_json (names, values));
      else
        hold (ev, BT_ALERT_MARKET_SCORE_CROSS, key,
              level <= r->alert_cross_warning_below ? BT_SEVERITY_WARNING : BT_SEVERITY_INFO,
              g_strdup_printf (_("The market score fell below %.0f (from %.1f to %.1f)."),
                               level, prev, now),
              values_json (names, values));
    }
}

static void
check_decision (Eval *ev)
{
  BtAction now = ev->inputs->action;
  BtAction prev = action_known (ev->inputs->previous_action)
                  ? ev->inputs->previous_action : ev->engine->last_action;
  BtSeverity severity = BT_SEVERITY_INFO;
  g_autofree char *key = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) gen = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (!action_known (now))
    return;
  ev->engine->last_action = now;
  if (!action_known (prev) || prev == now)
    return;

  if (ev->inputs->urgency == BT_URGENCY_HIGH)
    severity = BT_SEVERITY_WARNING;
  else if (ev->inputs->urgency == BT_URGENCY_CRITICAL)
    severity = BT_SEVERITY_CRITICAL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, bt_action_name (now));
  json_builder_set_member_name (builder, "previous_action");
  json_builder_add_string_value (builder, bt_action_name (prev));
  json_builder_set_member_name (builder, "urgency");
  json_builder_add_string_value (builder, bt_urgency_name (ev->inputs->urgency));
  json_builder_end_object (builder);
  gen = json_generator_new ();
  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);

  key = g_strconcat ("decision_changed:", bt_action_name (now), NULL);
  hold (ev, BT_ALERT_DECISION_CHANGED, key, severity,
        g_strdup_printf (_("The decision changed from “%s” to “%s”."),
                         _(action_labels[prev]), _(action_labels[now])),
        json_generator_to_data (gen, NULL));
}

static void
check_heat (Eval *ev)
{
  double heat = ev->inputs->heat;
  double limit = ev->rules->alert_heat;
  const char *const names[] = { "heat", "threshold", NULL };
  const double values[] = { heat, limit };

  if (!(heat > limit))
    return;
  hold (ev, BT_ALERT_PORTFOLIO_HEAT, "portfolio_heat", BT_SEVERITY_WARNING,
        g_strdup_printf (_("Portfolio heat is %.0f %%, above %.0f %%: the leverage is higher "
                           "than the market score allows."), heat, limit),
        values_json (names, values));
}

static void
check_price_move (Eval *ev)
{
  double now = ev->inputs->price;
  double before = ev->inputs->price_24h_ago;
  double limit = ev->rules->alert_price_move_pct;
  const char *const names[] = { "price", "price_24h_ago", "move_pct", "threshold", NULL };
  double move;

  if (!isfinite (now) || !isfinite (before) || !(before > 0))
    return;
  move = (now / before - 1) * 100;
  {
    const double values[] = { now, before, move, limit };

    if (move > limit)
      hold (ev, BT_ALERT_PRICE_MOVE, "price_move:up", BT_SEVERITY_WARNING,
            g_strdup_printf (_("The price rose %.1f %% in 24 hours, from %.2f to %.2f USD."),
                             move, before, now),
            values_json (names, values));
    else if (move < -limit)
      hold (ev, BT_ALERT_PRICE_MOVE, "price_move:down", BT_SEVERITY_WARNING,
            g_strdup_printf (_("The price fell %.1f %% in 24 hours, from %.2f to %.2f USD."),
                             -move, before, now),
            values_json (names, values));
  }
}

static void
check_funding (Eval *ev)
{
  const BtRules *r = ev->rules;
  double f = ev->inputs->funding_rate_7d;
  const char *const names[] = { "funding_rate_7d", "threshold", NULL };

  if (f > r->alert_funding_high)
    {
      const double values[] = { f, r->alert_funding_high };

      hold (ev, BT_ALERT_FUNDING_EXTREME, "funding_extreme:high", BT_SEVERITY_INFO,
            g_strdup_printf (_("The 7-day funding rate is %.3f %% per 8 h, above %.3f %%: "
                               "leveraged longs are crowded."), f, r->alert_funding_high),
            values_json (names, values));
    }
  else if (f < r->alert_funding_low)
    {
      const double values[] = { f, r->alert_funding_low };

      hold (ev, BT_ALERT_FUNDING_EXTREME, "funding_extreme:low", BT_SEVERITY_INFO,
            g_strdup_printf (_("The 7-day funding rate is %.3f %% per 8 h, below %.3f %%: "
                               "leveraged shorts are crowded."), f, r->alert_funding_low),
            values_json (names, values));
    }
}

static void
check_stale (Eval *ev)
{
  const char *const names[] = { "failing_seconds", "interval_seconds", "intervals", NULL };

  for (guint s = 0; s < BT_N_SOURCES; s++)
    {
      double failing = ev->inputs->source_failing_seconds[s];
      double interval = ev->inputs->source_interval_seconds[s];
      double n = ev->rules->alert_stale_intervals;
      const double values[] = { failing, interval, n };
      g_autofree char *key = NULL;

      if (!isfinite (failing) || !isfinite (interval) || !(interval > 0)
          || !(failing > n * interval))
        continue;
      key = g_strconcat ("data_stale:", bt_source_name (s), NULL);
      hold (ev, BT_ALERT_DATA_STALE, key, BT_SEVERITY_WARNING,
            g_strdup_printf (_("The source “%s” has been failing for %.0f minutes, more than "
                               "%.0f of its update intervals: its data is getting old."),
                             bt_source_display_name (s), failing / 60, n),
            values_json (names, values));
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
bt_alert_engine_evaluate (BtAlertEngine       *engine,
                          const BtRules       *rules,
                          const BtAlertInputs *inputs)
{
  Eval ev = { engine, rules, inputs, NULL };
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (rules != NULL, NULL);
  g_return_val_if_fail (inputs != NULL, NULL);

  ev.events = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_alert_event_free);
  engine->generation++;

  check_health_factor (&ev);
  check_distance (&ev);
  check_market_cross (&ev);
  check_decision (&ev);
  check_heat (&ev);
  check_price_move (&ev);
  check_funding (&ev);
  check_stale (&ev);

  /* every condition that did not hold now is false; one that held until
   * now, for which an alert fired, is cleared */
  g_hash_table_iter_init (&iter, engine->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      KeyState *st = value;

      st->cleared = st->seen != engine->generation
                    && st->active && st->fired && !is_event_kind (st->kind);
      if (st->seen == engine->generation)
        continue;
      st->active = FALSE;
      if (st->acknowledged)
        st->armed = TRUE;
    }
  return ev.events;
}

gboolean
bt_alert_engine_acknowledge (BtAlertEngine *engine,
                             const char    *key)
{
  KeyState *st;

  g_return_val_if_fail (engine != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  st = g_hash_table_lookup (engine->keys, key);
  if (st == NULL || !st->fired)
    return FALSE;
  st->acknowledged = TRUE;
  if (!st->active)
    st->armed = TRUE;
  return TRUE;
}

void
bt_alert_engine_acknowledge_all (BtAlertEngine *engine)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (engine != NULL);

  g_hash_table_iter_init (&iter, engine->keys);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      KeyState *st = value;

      if (!st->fired)
        continue;
      st->acknowledged = TRUE;
      if (!st->active)
        st->armed = TRUE;
    }
}

/* Which keys sorted_keys() lists. */
typedef enum
{
  KEYS_ALL,
  KEYS_PENDING,  /* fired and not acknowledged */
  KEYS_CLEARED,  /* cleared at the last evaluation */
} KeyFilter;

static gboolean
key_in (const KeyState *st,
        KeyFilter       which)
{
  switch (which)
    {
    case KEYS_PENDING:
      return st->fired && !st->acknowledged;
    case KEYS_CLEARED:
      return st->cleared;
    case KEYS_ALL:
    default:
      return TRUE;
    }
}

static GPtrArray *
sorted_keys (const BtAlertEngine *engine,
             KeyFilter            which)
{
  GPtrArray *out = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, engine->keys);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const KeyState *st = value;

      if (key_in (st, which))
        g_ptr_array_add (out, key);
    }
  g_ptr_array_sort (out, compare_strings);
  return out;
}

static char **
dup_keys (const BtAlertEngine *engine,
          KeyFilter            which)
{
  GPtrArray *keys = sorted_keys (engine, which);
  char **out = g_new0 (char *, keys->len + 1);

  for (guint i = 0; i < keys->len; i++)
    out[i] = g_strdup (g_ptr_array_index (keys, i));
  g_ptr_array_unref (keys);
  return out;
}

char **
bt_alert_engine_dup_pending_keys (const BtAlertEngine *engine)
{
  g_return_val_if_fail (engine != NULL, NULL);

  return dup_keys (engine, KEYS_PENDING);
}

char **
bt_alert_engine_dup_cleared_keys (const BtAlertEngine *engine)
{
  g_return_val_if_fail (engine != NULL, NULL);

  return dup_keys (engine, KEYS_CLEARED);
}

/* ---- state as JSON ---- */

char *
bt_alert_engine_to_json (const BtAlertEngine *engine)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) gen = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) keys = NULL;

  g_return_val_if_fail (engine != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, STATE_VERSION);
  json_builder_set_member_name (builder, "last_market");
  if (isfinite (engine->last_market))
    json_builder_add_double_value (builder, engine->last_market);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "last_action");
  if (action_known (engine->last_action))
    json_builder_add_string_value (builder, bt_action_name (engine->last_action));
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "keys");
  json_builder_begin_object (builder);
  keys = sorted_keys (engine, KEYS_ALL);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const KeyState *st = g_hash_table_lookup (engine->keys, key);

      json_builder_set_member_name (builder, key);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, bt_alert_kind_name (st->kind));
      for (guint f = 0; f < G_N_ELEMENTS (key_flags); f++)
        {
          json_builder_set_member_name (builder, key_flags[f].name);
          json_builder_add_boolean_value (builder, G_STRUCT_MEMBER (gboolean, st, key_flags[f].offset));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  gen = json_generator_new ();
  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static gboolean
bad_state (GError    **error,
           const char *what)
{
  g_set_error (error, BT_ALERT_ERROR, BT_ALERT_ERROR_INVALID_STATE,
               _("The saved alert state is invalid: %s"), what);
  return FALSE;
}

static gboolean
read_bool (JsonObject *object,
           const char *name,
           gboolean   *out,
           GError    **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return TRUE;  /* keep the default */
  if (!bt_json_node_holds (node, G_TYPE_BOOLEAN))
    return bad_state (error, name);
  *out = json_node_get_boolean (node);
  return TRUE;
}

BtAlertEngine *
bt_alert_engine_new_from_json (const char *json,
                               GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BtAlertEngine) engine = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *root, *keys;
  JsonNode *node;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, NULL))
    {
      bad_state (error, _("not JSON"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      bad_state (error, _("not an object"));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  engine = bt_alert_engine_new ();

  node = json_object_get_member (root, "version");
  if (!bt_json_node_holds (node, G_TYPE_INT64) || json_node_get_int (node) != STATE_VERSION)
    {
      bad_state (error, _("unknown version"));
      return NULL;
    }

  node = json_object_get_member (root, "last_market");
  if (!bt_json_node_is_null (node))
    {
      if (!bt_json_node_is_number (node))
        {
          bad_state (error, "last_market");
          return NULL;
        }
      engine->last_market = json_node_get_double (node);
    }

  node = json_object_get_member (root, "last_action");
  if (!bt_json_node_is_null (node))
    {
      if (!bt_json_node_holds (node, G_TYPE_STRING)
          || !bt_action_from_name (json_node_get_string (node), &engine->last_action))
        {
          bad_state (error, "last_action");
          return NULL;
        }
    }

  node = json_object_get_member (root, "keys");
  if (node == NULL)
    return g_steal_pointer (&engine);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad_state (error, "keys");
      return NULL;
    }
  keys = json_node_get_object (node);
  members = json_object_get_members (keys);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *item = json_object_get_member (keys, key);
      JsonObject *obj;
      const char *kind_name;
      BtAlertKind kind;
      KeyState *st;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          bad_state (error, key);
          return NULL;
        }
      obj = json_node_get_object (item);
      node = json_object_get_member (obj, "kind");
      kind_name = bt_json_node_holds (node, G_TYPE_STRING) ? json_node_get_string (node) : NULL;
      if (kind_name == NULL || !bt_alert_kind_from_name (kind_name, &kind))
        {
          bad_state (error, key);
          return NULL;
        }
      st = key_state_new (kind);
      g_hash_table_insert (engine->keys, g_strdup (key), st);
      for (guint f = 0; f < G_N_ELEMENTS (key_flags); f++)
        if (!read_bool (obj, key_flags[f].name, &G_STRUCT_MEMBER (gboolean, st, key_flags[f].offset),
                        error))
          return NULL;
    }
  return g_steal_pointer (&engine);
}

/* ---- display ---- */

const char *
bt_source_display_name (BtSource source)
{
  switch (source)
    {
    case BT_SOURCE_BINANCE:
      return "Binance";
    case BT_SOURCE_BINANCE_FUTURES:
      return _("Binance Futures");
    case BT_SOURCE_COINBASE:
      return "Coinbase";
    case BT_SOURCE_KRAKEN:
      return "Kraken";
    case BT_SOURCE_COINMETRICS:
      return "Coin Metrics";
    case BT_SOURCE_BGEOMETRICS:
      return "BGeometrics";
    case BT_SOURCE_ETHEREUM:
      return _("Aave (Ethereum)");
    case BT_SOURCE_NOTION:
      return "Notion";
    case BT_SOURCE_IMPORT:
      return _("Imported file");
    case BT_SOURCE_V1:
      return _("BTC Turbo 1.0 database");
    case BT_SOURCE_COMPUTED:
      return _("Computed");
    case BT_N_SOURCES:
    default:
      return "?";
    }
}

static gboolean
value_of (JsonObject *obj,
          const char *name,
          double     *out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (!bt_json_node_is_number (node))
    return FALSE;
  *out = json_node_get_double (node);
  return isfinite (*out);
}

char *
bt_alert_format_message (const char *key,
                         const char *values)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *obj;
  BtAlertKind kind;
  const char *colon;
  g_autofree char *kind_name = NULL;
  double a, b, c;

  g_return_val_if_fail (key != NULL, NULL);

  if (values == NULL || !json_parser_load_from_data (parser, values, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  obj = json_node_get_object (json_parser_get_root (parser));
  colon = strchr (key, ':');
  kind_name = colon != NULL ? g_strndup (key, colon - key) : g_strdup (key);
  if (!bt_alert_kind_from_name (kind_name, &kind))
    return NULL;
  switch (kind)
    {
    case BT_ALERT_HEALTH_FACTOR:
      if (!value_of (obj, "health_factor", &a) || !value_of (obj, "threshold", &b))
        return NULL;
      if (g_strcmp0 (colon, ":critical") == 0)
        return g_strdup_printf (_("Health factor %.*f is below %.2f: liquidation is close, repay "
                                  "debt or add collateral now."), below_decimals (a, b), a, b);
      return g_strdup_printf (_("Health factor %.*f is below %.2f: the position is at risk of "
                                "liquidation."), below_decimals (a, b), a, b);
    case BT_ALERT_LIQUIDATION_DISTANCE:
      if (!value_of (obj, "liquidation_distance", &a) || !value_of (obj, "threshold", &b))
        return NULL;
      return g_strdup_printf (_("The liquidation price is only %.1f %% below the current price "
                                "(alert below %.1f %%)."), a, b);
    case BT_ALERT_MARKET_SCORE_CROSS:
      if (!value_of (obj, "market", &a) || !value_of (obj, "market_previous", &b)
          || !value_of (obj, "level", &c))
        return NULL;
      if (a >= c)
        return g_strdup_printf (_("The market score rose above %.0f (from %.1f to %.1f)."), c, b, a);
      return g_strdup_printf (_("The market score fell below %.0f (from %.1f to %.1f)."), c, b, a);
    case BT_ALERT_DECISION_CHANGED:
      {
        BtAction now, prev;

        if (!json_object_has_member (obj, "action") || !json_object_has_member (obj, "previous_action")
            || !bt_action_from_name (json_object_get_string_member (obj, "action"), &now)
            || !bt_action_from_name (json_object_get_string_member (obj, "previous_action"), &prev))
          return NULL;
        return g_strdup_printf (_("The decision changed from “%s” to “%s”."),
                                _(action_labels[prev]), _(action_labels[now]));
      }
    case BT_ALERT_PORTFOLIO_HEAT:
      if (!value_of (obj, "heat", &a) || !value_of (obj, "threshold", &b))
        return NULL;
      return g_strdup_printf (_("Portfolio heat is %.0f %%, above %.0f %%: the leverage is higher "
                                "than the market score allows."), a, b);
    case BT_ALERT_PRICE_MOVE:
      if (!value_of (obj, "price", &a) || !value_of (obj, "price_24h_ago", &b)
          || !value_of (obj, "move_pct", &c))
        return NULL;
      if (c >= 0)
        return g_strdup_printf (_("The price rose %.1f %% in 24 hours, from %.2f to %.2f USD."),
                                c, b, a);
      return g_strdup_printf (_("The price fell %.1f %% in 24 hours, from %.2f to %.2f USD."),
                              -c, b, a);
    case BT_ALERT_FUNDING_EXTREME:
      if (!value_of (obj, "funding_rate_7d", &a) || !value_of (obj, "threshold", &b))
        return NULL;
      if (g_strcmp0 (colon, ":low") == 0)
        return g_strdup_printf (_("The 7-day funding rate is %.3f %% per 8 h, below %.3f %%: "
                                  "leveraged shorts are crowded."), a, b);
      return g_strdup_printf (_("The 7-day funding rate is %.3f %% per 8 h, above %.3f %%: "
                                "leveraged longs are crowded."), a, b);
    case BT_ALERT_DATA_STALE:
      {
        BtSource source;

        if (colon == NULL || !bt_source_from_name (colon + 1, &source)
            || !value_of (obj, "failing_seconds", &a) || !value_of (obj, "intervals", &b))
          return NULL;
        return g_strdup_printf (_("The source “%s” has been failing for %.0f minutes, more than "
                                  "%.0f of its update intervals: its data is getting old."),
                                bt_source_display_name (source), a / 60, b);
      }
    case BT_N_ALERT_KINDS:
    default:
      return NULL;
    }
}

char *
bt_alert_dup_display_message (BtAlert *alert)
{
  char *message;

  g_return_val_if_fail (BT_IS_ALERT (alert), NULL);

  message = bt_alert_format_message (bt_alert_get_key (alert), bt_alert_get_values_json (alert));
  return message != NULL ? message : g_strdup (bt_alert_get_message (alert));
}
