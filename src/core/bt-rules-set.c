/* bt-rules-set.c: overriding the rules by dotted key (bt_rules_set()) or
 * by JSON (bt_rules_merge_json()), and writing them as JSON
 * (bt_rules_to_json()).  The keys are listed at the top of bt-rules.c.
 */
#define G_LOG_DOMAIN "bt-core"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "bt-base.h"
#include "bt-rules.h"
#include "bt-rules-private.h"
#include "bt-json.h"

/* Each field with its value in the seed's rule set ("Seed v5"). */
#define DOUBLE_FIELD(name, field, seed) { name, G_STRUCT_OFFSET (BtRules, field), FALSE, seed }
#define UINT_FIELD(name, field, seed)   { name, G_STRUCT_OFFSET (BtRules, field), TRUE, seed }

static const NumField threshold_fields[] = {
  DOUBLE_FIELD ("ema_position_weight", ema_position_weight, 0.6),
  DOUBLE_FIELD ("ema_alignment_weight", ema_alignment_weight, 0.4),
  UINT_FIELD ("bbw_window_days", bbw_window_days, 365),
  UINT_FIELD ("bbw_min_days", bbw_min_days, 60),
  DOUBLE_FIELD ("fresh_daily_days", fresh_daily_days, 2),
  DOUBLE_FIELD ("fresh_weekly_days", fresh_weekly_days, 8),
  DOUBLE_FIELD ("fresh_monthly_days", fresh_monthly_days, 35),
  DOUBLE_FIELD ("fresh_position_minutes", fresh_position_minutes, 15),
  DOUBLE_FIELD ("min_confidence", min_confidence, 50),
  DOUBLE_FIELD ("circuit_risk", circuit_risk, 30),
  DOUBLE_FIELD ("low_market", low_market, 40),
  DOUBLE_FIELD ("low_market_reduce_pct", low_market_reduce_pct, 50),
  DOUBLE_FIELD ("low_market_ema_max", low_market_ema_max, 1e6),
  DOUBLE_FIELD ("trend_exit_ema", trend_exit_ema, -1e6),
  DOUBLE_FIELD ("take_profit_ema_distance", take_profit_ema_distance, 40),
  DOUBLE_FIELD ("take_profit_rsi", take_profit_rsi, 75),
  DOUBLE_FIELD ("take_profit_reduce_pct", take_profit_reduce_pct, 25),
  DOUBLE_FIELD ("entry_market", entry_market, 50),
  DOUBLE_FIELD ("entry_ema_min", entry_ema_min, -5),
  DOUBLE_FIELD ("entry_ema_max", entry_ema_max, 15),
  DOUBLE_FIELD ("entry_rsi", entry_rsi, 55),
  DOUBLE_FIELD ("entry_leverage", entry_leverage, 1.0),
  DOUBLE_FIELD ("add_market", add_market, 60),
  DOUBLE_FIELD ("add_ema_min", add_ema_min, -5),
  DOUBLE_FIELD ("add_ema_max", add_ema_max, 10),
  DOUBLE_FIELD ("add_rsi", add_rsi, 45),
  DOUBLE_FIELD ("ladder_floor_leverage", ladder_floor_leverage, 1.0),
  DOUBLE_FIELD ("max_leverage", max_leverage, 2.5),
  /* adaptive-band parameters (used only by items with band_rank) */
  UINT_FIELD ("rank_window_days", rank_window_days, 1461),
  UINT_FIELD ("rank_min_days", rank_min_days, 365),
  /* the seed has no crash guard, no trimming and no minimum trade */
  UINT_FIELD ("crash_window_days", crash_window_days, 0),
  DOUBLE_FIELD ("crash_margin_pct", crash_margin_pct, 10),
  UINT_FIELD ("trim_above_cap", trim_above_cap, 0),
  DOUBLE_FIELD ("trim_tolerance_pct", trim_tolerance_pct, 2),
  DOUBLE_FIELD ("min_trade_pct", min_trade_pct, 0),
  UINT_FIELD ("safety_first", safety_first, 0),
  /* Kelly: half-Kelly of p = 0.55, b = 1.5, at most 25 % */
  DOUBLE_FIELD ("kelly_default_win_rate", kelly_default_win_rate, 0.55),
  DOUBLE_FIELD ("kelly_default_payoff", kelly_default_payoff, 1.5),
  DOUBLE_FIELD ("kelly_fraction", kelly_fraction, 0.5),
  DOUBLE_FIELD ("kelly_max_percent", kelly_max_percent, 25),
};

static const NumField alert_fields[] = {
  DOUBLE_FIELD ("hf_warning", alert_hf_warning, 1.5),
  DOUBLE_FIELD ("hf_critical", alert_hf_critical, 1.25),
  DOUBLE_FIELD ("distance_warning", alert_distance_warning, 25),
  DOUBLE_FIELD ("cross_warning_below", alert_cross_warning_below, 40),
  DOUBLE_FIELD ("heat", alert_heat, 100),
  DOUBLE_FIELD ("price_move_pct", alert_price_move_pct, 10),
  DOUBLE_FIELD ("funding_high", alert_funding_high, 0.05),
  DOUBLE_FIELD ("funding_low", alert_funding_low, -0.03),
  DOUBLE_FIELD ("stale_intervals", alert_stale_intervals, 3),
};

/* FIELD of RULES, a whole number or not, as a double. */
static double
field_get (const BtRules  *rules,
           const NumField *field)
{
  gconstpointer at = (const guint8 *) rules + field->offset;

  return field->is_uint ? (double) *(const guint *) at : *(const double *) at;
}

/* Sets FIELD of RULES to V (a whole number ≥ 0 for a uint field). */
static void
field_put (BtRules        *rules,
           const NumField *field,
           double          v)
{
  gpointer at = (guint8 *) rules + field->offset;

  if (field->is_uint)
    *(guint *) at = (guint) v;
  else
    *(double *) at = v;
}

void
_bt_rules_init_seed_fields (BtRules *rules)
{
  const NumField *tables[] = { threshold_fields, alert_fields };
  const gsize sizes[] = { G_N_ELEMENTS (threshold_fields), G_N_ELEMENTS (alert_fields) };

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (gsize i = 0; i < sizes[t]; i++)
      field_put (rules, &tables[t][i], tables[t][i].seed);
}

/* ---- parsing of one value ---- */

static gboolean
parse_number (const char *value,
              double     *out,
              GError    **error)
{
  if (!bt_parse_double (value, out))
    return _bt_rules_invalid (error, _("“%s” is not a number"), value);
  return TRUE;
}

static gboolean
parse_bool (const char *value,
            gboolean   *out,
            GError    **error)
{
  g_autofree char *v = g_strstrip (g_strdup (value));

  if (g_ascii_strcasecmp (v, "true") == 0 || strcmp (v, "1") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (v, "false") == 0 || strcmp (v, "0") == 0)
    *out = FALSE;
  else
    return _bt_rules_invalid (error, _("“%s” is not true or false"), value);
  return TRUE;
}

/* "x:y,x:y,..." into at most MAX pairs. */
static gboolean
parse_pairs (const char *value,
             guint       max,
             double     *xs,
             double     *ys,
             guint      *n_out,
             GError    **error)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);
  guint n = g_strv_length (parts);

  if (n == 0 || n > max)
    return _bt_rules_invalid (error, _("“%s” must hold between 1 and %u “value:score” pairs"), value, max);
  for (guint i = 0; i < n; i++)
    {
      g_auto(GStrv) xy = g_strsplit (parts[i], ":", -1);

      if (g_strv_length (xy) != 2 || !bt_parse_double (xy[0], &xs[i])
          || !bt_parse_double (xy[1], &ys[i]))
        return _bt_rules_invalid (error, _("“%s” is not a “value:score” pair"), parts[i]);
    }
  *n_out = n;
  return TRUE;
}

static gboolean
parse_list (const char *value,
            guint       max,
            double     *xs,
            guint      *n_out,
            GError    **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (value));
  g_auto(GStrv) parts = NULL;
  guint n = 0;

  if (*stripped == '\0')
    {
      *n_out = 0;
      return TRUE;
    }
  parts = g_strsplit (stripped, ",", -1);
  n = g_strv_length (parts);
  if (n > max)
    return _bt_rules_invalid (error, _("“%s” holds more than %u numbers"), value, max);
  for (guint i = 0; i < n; i++)
    if (!bt_parse_double (parts[i], &xs[i]))
      return _bt_rules_invalid (error, _("“%s” is not a number"), parts[i]);
  *n_out = n;
  return TRUE;
}

static const NumField *
find_field (const NumField *fields,
            guint           n,
            const char     *name)
{
  for (guint i = 0; i < n; i++)
    if (strcmp (fields[i].name, name) == 0)
      return &fields[i];
  return NULL;
}

static gboolean
set_field (BtRules        *rules,
           const NumField *field,
           const char     *value,
           GError        **error)
{
  double v;

  if (!parse_number (value, &v, error))
    return FALSE;
  if (field->is_uint && (v < 0 || v > G_MAXUINT || v != floor (v)))
    return _bt_rules_invalid (error, _("“%s” is not a whole number ≥ 0"), value);
  field_put (rules, field, v);
  return TRUE;
}

static gboolean
set_band (BtBand     *band,
          const char *value,
          GError    **error)
{
  BtBand tmp;

  memset (&tmp, 0, sizeof tmp);
  if (!parse_pairs (value, BT_MAX_KNOTS, tmp.x, tmp.y, &tmp.n, error))
    return FALSE;
  memcpy (band, &tmp, sizeof tmp);
  return TRUE;
}

static gboolean
set_ladder (BtRules    *rules,
            const char *value,
            GError    **error)
{
  double score[G_N_ELEMENTS (rules->ladder_score)];
  double lev[G_N_ELEMENTS (rules->ladder_score)];
  guint n = 0;

  if (!parse_pairs (value, G_N_ELEMENTS (score), score, lev, &n, error))
    return FALSE;
  /* store by descending score (insertion sort of at most 4 steps) */
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && score[j] > score[j - 1]; j--)
      {
        double t = score[j];
        score[j] = score[j - 1];
        score[j - 1] = t;
        t = lev[j];
        lev[j] = lev[j - 1];
        lev[j - 1] = t;
      }
  memset (rules->ladder_score, 0, sizeof rules->ladder_score);
  memset (rules->ladder_leverage, 0, sizeof rules->ladder_leverage);
  for (guint i = 0; i < n; i++)
    {
      rules->ladder_score[i] = score[i];
      rules->ladder_leverage[i] = lev[i];
    }
  rules->ladder_n = n;
  return TRUE;
}

static gboolean
unknown_key (const char *key,
             GError    **error)
{
  g_autofree char *quoted = bt_one_line (key, 80);

  g_set_error (error, BT_RULES_ERROR, BT_RULES_ERROR_UNKNOWN_KEY,
               _("Unknown rule “%s”"), quoted);
  return FALSE;
}

static gboolean
is_rank_text (const char *value)
{
  g_autofree char *v = g_strstrip (g_strdup (value));

  return g_ascii_strcasecmp (v, "rank") == 0;
}

/* Switch RULES to PROFILE's values, keeping the alert settings (they are
 * the user's, not part of a rule profile). */
static gboolean
apply_profile (BtRules    *rules,
               const char *value,
               GError    **error)
{
  g_autofree char *v = g_strstrip (g_strdup (value));
  BtRulesProfile profile;
  BtRules fresh;

  if (!bt_rules_profile_from_name (v, &profile))
    return _bt_rules_invalid (error, _("“%s” is not a rule profile (adaptive, seed-v5)"), value);
  bt_rules_init_profile (&fresh, profile);
  /* the alert settings are kept: the switches, the crossing levels and the
   * numbers of alert_fields */
  memcpy (fresh.alert_enabled, rules->alert_enabled, sizeof fresh.alert_enabled);
  fresh.alert_cross_n = rules->alert_cross_n;
  memcpy (fresh.alert_cross_levels, rules->alert_cross_levels, sizeof fresh.alert_cross_levels);
  for (gsize i = 0; i < G_N_ELEMENTS (alert_fields); i++)
    field_put (&fresh, &alert_fields[i], field_get (rules, &alert_fields[i]));
  *rules = fresh;
  return TRUE;
}

/* Apply KEY=VALUE to RULES without validating the whole; on error RULES may
 * have been left untouched or not (callers work on a copy). */
static gboolean
apply (BtRules    *rules,
       const char *key,
       const char *value,
       GError    **error)
{
  const char *rest;

  if (strcmp (key, "profile") == 0)
    return apply_profile (rules, value, error);

  if (g_str_has_prefix (key, "weights.categories."))
    {
      BtCategory c;
      double v;

      rest = key + strlen ("weights.categories.");
      if (!_bt_rules_category_from_name (rest, &c))
        return unknown_key (key, error);
      if (!parse_number (value, &v, error))
        return FALSE;
      rules->category_weight[c] = v;
      return TRUE;
    }
  if (g_str_has_prefix (key, "weights.indicators."))
    {
      BtItem item;
      double v;

      rest = key + strlen ("weights.indicators.");
      if (!bt_item_from_name (rest, &item))
        return unknown_key (key, error);
      if (!parse_number (value, &v, error))
        return FALSE;
      rules->item_weight[item] = v;
      return TRUE;
    }
  if (g_str_has_prefix (key, "bands."))
    {
      BtItem item;

      rest = key + strlen ("bands.");
      if (strcmp (rest, BAND_HEALTH_FACTOR) == 0)
        return set_band (&rules->health_factor_band, value, error);
      if (strcmp (rest, BAND_LIQUIDATION_DISTANCE) == 0)
        return set_band (&rules->distance_band, value, error);
      if (!bt_item_from_name (rest, &item) || !_bt_rules_item_has_band (item))
        return unknown_key (key, error);
      if (is_rank_text (value))
        {
          rules->band_rank[item] = TRUE;
          return TRUE;
        }
      if (!set_band (&rules->band[item], value, error))
        return FALSE;
      rules->band_rank[item] = FALSE;
      return TRUE;
    }
  if (g_str_has_prefix (key, "thresholds."))
    {
      const NumField *field;

      rest = key + strlen ("thresholds.");
      if (strcmp (rest, "ladder") == 0)
        return set_ladder (rules, value, error);
      field = find_field (threshold_fields, G_N_ELEMENTS (threshold_fields), rest);
      if (field == NULL)
        return unknown_key (key, error);
      return set_field (rules, field, value, error);
    }
  if (g_str_has_prefix (key, "alerts."))
    {
      const NumField *field;
      const char *dot;

      rest = key + strlen ("alerts.");
      dot = strchr (rest, '.');
      if (dot != NULL)
        {
          g_autofree char *kind_name = g_strndup (rest, dot - rest);
          BtAlertKind kind;

          if (!bt_alert_kind_from_name (kind_name, &kind) || strcmp (dot + 1, "enabled") != 0)
            return unknown_key (key, error);
          return parse_bool (value, &rules->alert_enabled[kind], error);
        }
      if (strcmp (rest, "cross_levels") == 0)
        {
          double levels[G_N_ELEMENTS (rules->alert_cross_levels)];
          guint n = 0;

          if (!parse_list (value, G_N_ELEMENTS (levels), levels, &n, error))
            return FALSE;
          memset (rules->alert_cross_levels, 0, sizeof rules->alert_cross_levels);
          memcpy (rules->alert_cross_levels, levels, n * sizeof (double));
          rules->alert_cross_n = n;
          return TRUE;
        }
      field = find_field (alert_fields, G_N_ELEMENTS (alert_fields), rest);
      if (field == NULL)
        return unknown_key (key, error);
      return set_field (rules, field, value, error);
    }
  return unknown_key (key, error);
}

gboolean
bt_rules_set (BtRules    *rules,
              const char *key,
              const char *value,
              GError    **error)
{
  g_autoptr(GError) local = NULL;
  BtRules tmp;

  g_return_val_if_fail (rules != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memcpy (&tmp, rules, sizeof tmp);
  if (!apply (&tmp, key, value, &local) || !bt_rules_validate (&tmp, &local))
    {
      if (local->code == BT_RULES_ERROR_UNKNOWN_KEY)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        {
          g_autofree char *quoted_key = bt_one_line (key, 80);
          g_autofree char *quoted_value = bt_one_line (value, 80);

          g_set_error (error, BT_RULES_ERROR, local->code,
                       _("Cannot set the rule “%s” to “%s”: %s"), quoted_key, quoted_value,
                       local->message);
        }
      return FALSE;
    }
  memcpy (rules, &tmp, sizeof tmp);
  return TRUE;
}

/* ---- JSON ---- */

static gboolean
json_number (JsonNode *node,
             double   *out)
{
  if (!bt_json_node_is_number (node))
    return FALSE;
  *out = json_node_get_double (node);
  return TRUE;
}

/* The textual form of a JSON member value, for apply(); NULL on a bad shape. */
static char *
node_to_text (JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double v;

  if (json_number (node, &v))
    return g_strdup (bt_format_double (v, buf));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);
      g_autoptr(GString) s = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *el = json_array_get_element (array, i);

          if (i > 0)
            g_string_append_c (s, ',');
          if (JSON_NODE_HOLDS_ARRAY (el))
            {
              JsonArray *pair = json_node_get_array (el);
              double x, y;

              if (json_array_get_length (pair) != 2
                  || !json_number (json_array_get_element (pair, 0), &x)
                  || !json_number (json_array_get_element (pair, 1), &y))
                return NULL;
              g_string_append (s, bt_format_double (x, buf));
              g_string_append_c (s, ':');
              g_string_append (s, bt_format_double (y, buf));
            }
          else if (json_number (el, &v))
            g_string_append (s, bt_format_double (v, buf));
          else
            return NULL;
        }
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
  return NULL;
}

static gboolean
apply_node (BtRules    *rules,
            const char *key,
            JsonNode   *node,
            GError    **error)
{
  g_autofree char *text = node_to_text (node);

  if (text == NULL)
    return _bt_rules_invalid (error, _("The rule “%s” has a value of the wrong type"), key);
  return apply (rules, key, text, error);
}

/* Apply every member of OBJECT as PREFIX.<member>; members that are objects
 * recurse when NESTED. */
static gboolean
apply_object (BtRules    *rules,
              const char *prefix,
              JsonObject *object,
              gboolean    nested,
              GError    **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (object, name);
      g_autofree char *key = g_strconcat (prefix, ".", name, NULL);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          if (!nested)
            return _bt_rules_invalid (error, _("The rule “%s” has a value of the wrong type"), key);
          if (!apply_object (rules, key, json_node_get_object (node), FALSE, error))
            return FALSE;
        }
      else if (!apply_node (rules, key, node, error))
        {
          if (error != NULL && *error != NULL && (*error)->code != BT_RULES_ERROR_UNKNOWN_KEY)
            g_prefix_error (error, _("Rule “%s”: "), key);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
bt_rules_merge_json (BtRules    *rules,
                     JsonObject *object,
                     GError    **error)
{
  static const char *const sections[] = { "weights", "bands", "thresholds", "alerts" };
  g_autoptr(GError) local = NULL;
  BtRules tmp;

  g_return_val_if_fail (rules != NULL, FALSE);
  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memcpy (&tmp, rules, sizeof tmp);
  {
    JsonNode *node = json_object_get_member (object, "profile");

    if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
      {
        if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
          _bt_rules_invalid (&local, _("The rule “%s” has a value of the wrong type"), "profile");
        else
          apply_profile (&tmp, json_node_get_string (node), &local);
      }
  }
  for (guint i = 0; local == NULL && i < G_N_ELEMENTS (sections); i++)
    {
      JsonNode *node = json_object_get_member (object, sections[i]);
      /* "weights" and "alerts" hold objects; "bands" and "thresholds" do not */
      gboolean nested = (i == 0 || i == 3);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, BT_RULES_ERROR, BT_RULES_ERROR_INVALID_VALUE,
                       _("The rules member “%s” must be an object"), sections[i]);
          return FALSE;
        }
      if (!apply_object (&tmp, sections[i], json_node_get_object (node), nested, &local))
        break;
    }
  if (local == NULL)
    bt_rules_validate (&tmp, &local);
  if (local != NULL)
    {
      if (local->code == BT_RULES_ERROR_UNKNOWN_KEY)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, BT_RULES_ERROR, local->code,
                     _("Invalid rules: %s"), local->message);
      return FALSE;
    }
  memcpy (rules, &tmp, sizeof tmp);
  return TRUE;
}

static void
add_pairs (JsonBuilder  *builder,
           const double *x,
           const double *y,
           guint         n)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_array (builder);
      json_builder_add_double_value (builder, x[i]);
      json_builder_add_double_value (builder, y[i]);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
}

static void
add_fields (JsonBuilder    *builder,
            const BtRules  *rules,
            const NumField *fields,
            guint           n)
{
  for (guint i = 0; i < n; i++)
    {
      json_builder_set_member_name (builder, fields[i].name);
      if (fields[i].is_uint)
        json_builder_add_int_value (builder, (gint64) field_get (rules, &fields[i]));
      else
        json_builder_add_double_value (builder, field_get (rules, &fields[i]));
    }
}

void
bt_rules_to_json (const BtRules *rules,
                  JsonBuilder   *builder)
{
  g_return_if_fail (rules != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "profile");
  json_builder_add_string_value (builder, _bt_rules_profile_names[rules->profile]);

  json_builder_set_member_name (builder, "weights");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "categories");
  json_builder_begin_object (builder);
  for (guint c = 0; c < BT_N_CATEGORIES; c++)
    {
      json_builder_set_member_name (builder, _bt_rules_category_names[c]);
      json_builder_add_double_value (builder, rules->category_weight[c]);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "indicators");
  json_builder_begin_object (builder);
  for (guint i = 0; i < BT_N_ITEMS; i++)
    {
      json_builder_set_member_name (builder, _bt_rules_item_names[i]);
      json_builder_add_double_value (builder, rules->item_weight[i]);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "bands");
  json_builder_begin_object (builder);
  for (guint i = 0; i < BT_N_ITEMS; i++)
    {
      if (!_bt_rules_item_has_band (i))
        continue;
      json_builder_set_member_name (builder, _bt_rules_item_names[i]);
      if (rules->band_rank[i])
        json_builder_add_string_value (builder, "rank");
      else
        add_pairs (builder, rules->band[i].x, rules->band[i].y, rules->band[i].n);
    }
  json_builder_set_member_name (builder, BAND_HEALTH_FACTOR);
  add_pairs (builder, rules->health_factor_band.x, rules->health_factor_band.y,
             rules->health_factor_band.n);
  json_builder_set_member_name (builder, BAND_LIQUIDATION_DISTANCE);
  add_pairs (builder, rules->distance_band.x, rules->distance_band.y, rules->distance_band.n);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "thresholds");
  json_builder_begin_object (builder);
  add_fields (builder, rules, threshold_fields, G_N_ELEMENTS (threshold_fields));
  json_builder_set_member_name (builder, "ladder");
  add_pairs (builder, rules->ladder_score, rules->ladder_leverage, rules->ladder_n);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "alerts");
  json_builder_begin_object (builder);
  for (guint k = 0; k < BT_N_ALERT_KINDS; k++)
    {
      json_builder_set_member_name (builder, bt_alert_kind_name (k));
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "enabled");
      json_builder_add_boolean_value (builder, rules->alert_enabled[k]);
      json_builder_end_object (builder);
    }
  add_fields (builder, rules, alert_fields, G_N_ELEMENTS (alert_fields));
  json_builder_set_member_name (builder, "cross_levels");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rules->alert_cross_n; i++)
    json_builder_add_double_value (builder, rules->alert_cross_levels[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}
