/* bt-backtest-config.c: a backtest's configuration: defaults, setting by key,
 * JSON in and out, the hash, validation and the period it resolves to
 * (bt-backtest.h).
 */
#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "bt-backtest.h"
#include "bt-backtest-private.h"
#include "bt-base.h"
#include "bt-scoring.h"
#include "bt-json.h"

/* ------------------------------------------------------------------------ */
/* configuration                                                            */
/* ------------------------------------------------------------------------ */

const char *
bt_start_mode_name (BtStartMode mode)
{
  return mode == BT_START_CASH ? "cash" : "invested";
}

static gboolean
start_mode_from_name (const char  *name,
                      BtStartMode *out)
{
  if (g_strcmp0 (name, "invested") == 0)
    *out = BT_START_INVESTED;
  else if (g_strcmp0 (name, "cash") == 0)
    *out = BT_START_CASH;
  else
    return FALSE;
  return TRUE;
}

static gboolean invalid (GError     **error,
                         const char  *format,
                         ...) G_GNUC_PRINTF (2, 3);

static gboolean
check_threshold (const BtBacktestConfig  *config,
                 GError                 **error)
{
  if (config->liquidation_threshold < config->ltv)
    return invalid (error, _("The liquidation threshold must be at least the LTV and below 1."));
  return TRUE;
}

static gboolean
check_max_leverage (const BtBacktestConfig  *config,
                    GError                 **error)
{
  double max_allowed = 1.0 / (1.0 - config->ltv);

  if (config->max_leverage > max_allowed)
    return invalid (error, _("A maximum leverage of %.2f× needs more borrowing than an LTV of %.2f "
                             "allows (at most %.2f×)."),
                    config->max_leverage, config->ltv, max_allowed);
  return TRUE;
}

#define SETTING(field) G_STRUCT_OFFSET (BtBacktestConfig, field)
#define FIRST BT_SETTING_CHECK_FIRST

/* In the order of the configuration JSON (its hash depends on it). */
static const BtBacktestSetting settings[] = {
  { "initial_capital", N_("Initial capital, USD"), "USD", 10000, 0, INFINITY, NULL,
    FIRST | BT_SETTING_MIN_EXCLUSIVE | BT_SETTING_WITH_PERIOD, 0, SETTING (initial_capital),
    N_("The initial capital must be a positive amount of USD."),
    /* Translators: a run's capital in its settings summary, e.g. "$10,000" */
    N_("%s") },
  { "max_leverage", N_("Maximum leverage"), "×", 2.5, 1, INFINITY, check_max_leverage,
    0, 2, SETTING (max_leverage),
    N_("The maximum leverage must be at least 1."),
    /* Translators: a run's maximum leverage in its settings summary, e.g. "2.50×" */
    N_("up to %s") },
  { "fee_pct", N_("Fee per trade, %"), "%", 0.10, 0, 100, NULL,
    BT_SETTING_MAX_EXCLUSIVE, 2, SETTING (fee_pct),
    N_("The fee must be at least 0 %% and below 100 %%."),
    /* Translators: a run's fee per trade in its settings summary, e.g. "0.10 %" */
    N_("fee %s") },
  { "slippage_pct", N_("Slippage per fill, %"), "%", 0.05, 0, 100, NULL,
    BT_SETTING_MAX_EXCLUSIVE, 2, SETTING (slippage_pct),
    N_("The slippage must be at least 0 %% and below 100 %%."),
    /* Translators: a run's slippage per fill in its settings summary, e.g. "0.05 %" */
    N_("slippage %s") },
  { "borrow_apr_pct", N_("Borrow rate, % a year"), "% a year", 5.0, 0, INFINITY, NULL,
    0, 2, SETTING (borrow_apr_pct),
    N_("The borrow rate cannot be negative."),
    /* Translators: a run's borrow rate a year in its settings summary, e.g. "5.00 %" */
    N_("borrow %s") },
  { "ltv", N_("Maximum loan-to-value"), "", 0.73, 0, 1, NULL,
    FIRST | BT_SETTING_MIN_EXCLUSIVE | BT_SETTING_MAX_EXCLUSIVE, 2, SETTING (ltv),
    N_("The LTV must be between 0 and 1 (exclusive)."),
    /* Translators: a run's maximum loan-to-value in its settings summary, e.g. "0.73" */
    N_("LTV %s") },
  { "liquidation_threshold", N_("Liquidation threshold"), "", 0.78, 0, 1, check_threshold,
    FIRST | BT_SETTING_MIN_EXCLUSIVE | BT_SETTING_MAX_EXCLUSIVE, 2, SETTING (liquidation_threshold),
    N_("The liquidation threshold must be at least the LTV and below 1."),
    /* Translators: a run's liquidation threshold in its settings summary, e.g. "0.78" */
    N_("liquidation at %s") },
  { "liquidation_bonus", N_("Liquidation bonus"), "", 0.05, 0, 1, NULL,
    FIRST | BT_SETTING_MAX_EXCLUSIVE, 3, SETTING (liquidation_bonus),
    N_("The liquidation bonus must be between 0 and 1.") },
};

#undef SETTING
#undef FIRST

G_DEFINE_BOXED_TYPE (BtBacktestConfig, bt_backtest_config, bt_backtest_config_copy,
                     bt_backtest_config_free)

BtBacktestConfig *
bt_backtest_config_copy (const BtBacktestConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);

  return g_memdup2 (config, sizeof *config);
}

void
bt_backtest_config_free (BtBacktestConfig *config)
{
  g_free (config);
}

const BtBacktestSetting *
bt_backtest_setting_nth (guint n)
{
  return n < G_N_ELEMENTS (settings) ? &settings[n] : NULL;
}

const BtBacktestSetting *
bt_backtest_setting_find (const char *key)
{
  const BtBacktestSetting *setting;

  for (guint i = 0; key != NULL && (setting = bt_backtest_setting_nth (i)) != NULL; i++)
    if (g_str_equal (setting->key, key))
      return setting;
  return NULL;
}

double
bt_backtest_setting_get (const BtBacktestSetting *setting,
                         const BtBacktestConfig  *config)
{
  return G_STRUCT_MEMBER (double, config, setting->offset);
}

void
bt_backtest_setting_set (const BtBacktestSetting *setting,
                         BtBacktestConfig        *config,
                         double                   value)
{
  G_STRUCT_MEMBER (double, config, setting->offset) = value;
}

gboolean
bt_backtest_setting_in_range (const BtBacktestSetting *setting,
                              double                   value)
{
  if (!isfinite (value))
    return FALSE;
  if ((setting->flags & BT_SETTING_MIN_EXCLUSIVE) ? value <= setting->min : value < setting->min)
    return FALSE;
  return (setting->flags & BT_SETTING_MAX_EXCLUSIVE) ? value < setting->max : value <= setting->max;
}

char *
bt_backtest_setting_dup_error (const BtBacktestSetting *setting)
{
  const char *message = _(setting->error);
  GString *out = g_string_new (NULL);

  /* the messages are written as formats ("%%" for "%") */
  for (const char *p = message; *p != '\0'; p++)
    {
      g_string_append_c (out, *p);
      if (p[0] == '%' && p[1] == '%')
        p++;
    }
  return g_string_free (out, FALSE);
}

void
bt_backtest_config_init_with_rules (BtBacktestConfig *config,
                                    const BtRules    *rules)
{
  g_return_if_fail (config != NULL);
  g_return_if_fail (rules != NULL);

  memset (config, 0, sizeof *config);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    bt_backtest_setting_set (&settings[i], config, settings[i].def);
  config->start_mode = BT_START_INVESTED;
  config->start_day = BT_DAY_INVALID;
  config->end_day = BT_DAY_INVALID;
  config->rules = *rules;
}

void
bt_backtest_config_init_default (BtBacktestConfig *config)
{
  BtRules rules;

  memset (&rules, 0, sizeof rules);
  bt_rules_init_default (&rules);
  bt_backtest_config_init_with_rules (config, &rules);
}

static double *
config_number (BtBacktestConfig *config,
               const char       *key)
{
  const BtBacktestSetting *setting = bt_backtest_setting_find (key);

  return setting != NULL ? G_STRUCT_MEMBER_P (config, setting->offset) : NULL;
}

static gboolean
is_rules_key (const char *key)
{
  return g_str_equal (key, "profile") ||
         g_str_has_prefix (key, "weights.") ||
         g_str_has_prefix (key, "bands.") ||
         g_str_has_prefix (key, "thresholds.");
}

static gboolean
config_set (BtBacktestConfig  *config,
            const char        *key,
            const char        *value,
            GError           **error)
{
  double *field;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  if ((field = config_number (config, key)) != NULL)
    {
      double v;

      if (!bt_parse_double (value, &v))
        return invalid (error, _("“%s” is not a number (for %s)"), value, key);
      *field = v;
      return TRUE;
    }
  if (g_str_equal (key, "start_mode"))
    {
      if (!start_mode_from_name (value, &config->start_mode))
        return invalid (error, _("start_mode must be “invested” or “cash”, not “%s”"), value);
      return TRUE;
    }
  if (g_str_equal (key, "start_date") || g_str_equal (key, "end_date"))
    {
      BtDay day = BT_DAY_INVALID;

      if (*value != '\0' && !bt_day_parse (value, &day))
        return invalid (error, _("“%s” is not a date (YYYY-MM-DD) for %s"), value, key);
      if (g_str_equal (key, "start_date"))
        config->start_day = day;
      else
        config->end_day = day;
      return TRUE;
    }
  if (g_str_equal (key, "profile"))
    {
      BtRulesProfile profile;

      /* the profile the rules already follow keeps their other values */
      if (bt_rules_profile_from_name (value, &profile) && profile == config->rules.profile)
        return TRUE;
    }
  if (is_rules_key (key))
    return bt_rules_set (&config->rules, key, value, error);

  return invalid (error, _("unknown backtest setting “%s”"), key);
}

static gboolean
json_member_number (JsonObject  *object,
                    const char  *key,
                    double      *out,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (!bt_json_node_is_number (node))
    return invalid (error, _("%s must be a number"), key);
  *out = json_node_get_double (node);
  return TRUE;
}

static gboolean
json_member_day (JsonObject  *object,
                 const char  *key,
                 BtDay       *out,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (JSON_NODE_HOLDS_NULL (node))
    *out = BT_DAY_INVALID;
  else if (!bt_json_node_holds (node, G_TYPE_STRING) || !bt_day_parse (json_node_get_string (node), out))
    return invalid (error, _("%s must be a date (YYYY-MM-DD) or null"), key);
  return TRUE;
}

static gboolean
config_from_json (BtBacktestConfig  *config,
                  JsonObject        *object,
                  GError           **error)
{
  BtBacktestConfig copy;
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  copy = *config;
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      double *field;

      if ((field = config_number (&copy, key)) != NULL)
        {
          if (!json_member_number (object, key, field, error))
            return FALSE;
        }
      else if (g_str_equal (key, "start_mode"))
        {
          JsonNode *node = json_object_get_member (object, key);

          if (!bt_json_node_holds (node, G_TYPE_STRING) ||
              !start_mode_from_name (json_node_get_string (node), &copy.start_mode))
            return invalid (error, _("start_mode must be “invested” or “cash”"));
        }
      else if (g_str_equal (key, "start_date") || g_str_equal (key, "end_date"))
        {
          BtDay *day = g_str_equal (key, "start_date") ? &copy.start_day : &copy.end_day;

          if (!json_member_day (object, key, day, error))
            return FALSE;
        }
      else if (!g_str_equal (key, "weights") && !g_str_equal (key, "bands") &&
               !g_str_equal (key, "profile") &&
               !g_str_equal (key, "thresholds") && !g_str_equal (key, "alerts"))
        return invalid (error, _("unknown backtest setting “%s”"), key);
    }
  if (!bt_rules_merge_json (&copy.rules, object, error))
    return FALSE;
  *config = copy;
  return TRUE;
}

/* The messages quote what was given: one line whatever it holds. */
gboolean
bt_backtest_config_set (BtBacktestConfig  *config,
                        const char        *key,
                        const char        *value,
                        GError           **error)
{
  return bt_error_one_line (config_set (config, key, value, error), error);
}

gboolean
bt_backtest_config_from_json (BtBacktestConfig  *config,
                              JsonObject        *object,
                              GError           **error)
{
  return bt_error_one_line (config_from_json (config, object, error), error);
}

/* ---- canonical JSON: members in insertion order, shortest numbers ---- */

static void
write_json_node (BtJson   *json,
                 JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        bt_json_begin_object (json);
        for (GList *l = members; l != NULL; l = l->next)
          {
            bt_json_key (json, l->data);
            write_json_node (json, json_object_get_member (object, l->data));
          }
        bt_json_end_object (json);
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        bt_json_begin_array (json);
        for (guint i = 0; i < n; i++)
          write_json_node (json, json_array_get_element (array, i));
        bt_json_end_array (json);
      }
      break;
    case JSON_NODE_NULL:
      bt_json_null (json);
      break;
    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_STRING)
          bt_json_string (json, json_node_get_string (node));
        else if (type == G_TYPE_BOOLEAN)
          bt_json_bool (json, json_node_get_boolean (node));
        else if (type == G_TYPE_INT64)
          bt_json_int (json, json_node_get_int (node));
        else
          bt_json_number (json, json_node_get_double (node));
      }
      break;
    }
}

void
_bt_backtest_json_day (BtJson     *json,
                       const char *key,
                       BtDay       day)
{
  char buf[16];

  bt_json_kv_string (json, key, day == BT_DAY_INVALID ? NULL : bt_day_format (day, buf));
}

void
_bt_backtest_config_write_json (BtJson                 *json,
                                const BtBacktestConfig *config)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) rules = NULL;

  bt_json_begin_object (json);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      bt_json_kv_number (json, settings[i].key, bt_backtest_setting_get (&settings[i], config));
      /* the start mode, with the money the run starts with */
      if (i == 0)
        bt_json_kv_string (json, "start_mode", bt_start_mode_name (config->start_mode));
    }
  _bt_backtest_json_day (json, "start_date", config->start_day);
  _bt_backtest_json_day (json, "end_date", config->end_day);

  /* the rules, without the alerts (they play no part in a backtest) */
  bt_rules_to_json (&config->rules, builder);
  rules = json_builder_get_root (builder);
  if (rules != NULL && JSON_NODE_HOLDS_OBJECT (rules))
    {
      static const char *const parts[] = { "profile", "weights", "bands", "thresholds" };
      JsonObject *object = json_node_get_object (rules);

      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        if (json_object_has_member (object, parts[i]))
          {
            bt_json_key (json, parts[i]);
            write_json_node (json, json_object_get_member (object, parts[i]));
          }
    }
  bt_json_end_object (json);
}

char *
bt_backtest_config_to_json (const BtBacktestConfig *config)
{
  GString *out = g_string_new (NULL);
  BtJson json;

  g_return_val_if_fail (config != NULL, NULL);

  bt_json_init_canonical (&json, out);
  _bt_backtest_config_write_json (&json, config);
  return g_string_free (out, FALSE);
}

char *
bt_backtest_config_hash (const BtBacktestConfig *config)
{
  g_autofree char *json = bt_backtest_config_to_json (config);
  g_autofree char *text = g_strdup_printf ("btc-turbo-backtest-model-%d\n%s", BT_BACKTEST_MODEL_VERSION, json);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG,
                                                format, args));
  va_end (args);
  return FALSE;
}

static double
history_close (const BtHistory *history,
               BtDay            day)
{
  gssize i = bt_history_index (history, day);

  return i < 0 ? NAN : history->input[BT_INPUT_CLOSE][i];
}

gboolean
bt_backtest_config_validate (const BtBacktestConfig  *config,
                             const BtHistory         *history,
                             GError                 **error)
{
  char a[16], b[16];

  g_return_val_if_fail (config != NULL, FALSE);

  /* the settings the others' limits depend on first */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
      {
        const BtBacktestSetting *setting = &settings[i];

        if (((setting->flags & BT_SETTING_CHECK_FIRST) != 0) != (pass == 0))
          continue;
        if (!bt_backtest_setting_in_range (setting, bt_backtest_setting_get (setting, config)))
          {
            g_autofree char *message = bt_backtest_setting_dup_error (setting);

            return invalid (error, "%s", message);
          }
        if (setting->check != NULL && !setting->check (config, error))
          return FALSE;
      }
  if (config->start_mode != BT_START_INVESTED && config->start_mode != BT_START_CASH)
    return invalid (error, _("start_mode must be “invested” or “cash”."));
  if (config->start_day != BT_DAY_INVALID && config->end_day != BT_DAY_INVALID &&
      config->start_day > config->end_day)
    return invalid (error, _("The period is reversed: %s is after %s."),
                    bt_day_format (config->start_day, a), bt_day_format (config->end_day, b));
  if (!bt_rules_validate (&config->rules, error))
    return FALSE;

  if (history != NULL)
    {
      BtDay first, last;

      return bt_backtest_config_resolve_period (config, history, &first, &last, error);
    }
  return TRUE;
}

gboolean
bt_backtest_config_resolve_period (const BtBacktestConfig  *config,
                                   const BtHistory         *history,
                                   BtDay                   *first_day,
                                   BtDay                   *last_day,
                                   GError                 **error)
{
  BtDay data_first = BT_DAY_INVALID, data_last = BT_DAY_INVALID;
  BtDay from, to;
  char a[16], b[16], c[16], d[16];

  g_return_val_if_fail (config != NULL && history != NULL, FALSE);

  for (guint i = 0; i < history->n_days; i++)
    if (isfinite (history->input[BT_INPUT_CLOSE][i]))
      {
        data_first = history->first_day + (BtDay) i;
        break;
      }
  for (guint i = history->n_days; i-- > 0;)
    if (isfinite (history->input[BT_INPUT_CLOSE][i]))
      {
        data_last = history->first_day + (BtDay) i;
        break;
      }
  if (data_first == BT_DAY_INVALID)
    {
      g_set_error_literal (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_NO_DATA,
                           _("There is no price history to backtest: import or collect data first."));
      return FALSE;
    }

  from = config->start_day == BT_DAY_INVALID ? data_first : config->start_day;
  to = config->end_day == BT_DAY_INVALID ? data_last : config->end_day;
  if (config->start_day != BT_DAY_INVALID && config->end_day != BT_DAY_INVALID && from > to)
    return invalid (error, _("The period is reversed: %s is after %s."),
                    bt_day_format (from, a), bt_day_format (to, b));
  if (from < data_first || from > data_last || to < data_first || to > data_last)
    return invalid (error, _("The period %s – %s is outside the price history (%s – %s)."),
                    bt_day_format (from, a), bt_day_format (to, b),
                    bt_day_format (data_first, c), bt_day_format (data_last, d));
  /* both ends now lie within data_first .. data_last, which have a close */
  bt_day_format (from, a);
  bt_day_format (to, b);
  while (!isfinite (history_close (history, from)))
    from++;
  while (!isfinite (history_close (history, to)))
    to--;
  if (from > to)
    return invalid (error, _("The period %s – %s holds no price."), a, b);
  *first_day = from;
  *last_day = to;
  return TRUE;
}

gboolean
bt_backtest_inputs_span (const BtBacktestInputs *inputs,
                         BtDay                  *price_first,
                         BtDay                  *price_last,
                         BtDay                  *rules_first,
                         BtDay                  *rules_last)
{
  const BtHistory *history;
  BtDay first = BT_DAY_INVALID, last = BT_DAY_INVALID, rules = BT_DAY_INVALID;
  BtDay rules_end = BT_DAY_INVALID;

  g_return_val_if_fail (inputs != NULL && inputs->history != NULL, FALSE);

  history = inputs->history;
  for (guint i = 0; i < history->n_days; i++)
    if (isfinite (history->input[BT_INPUT_CLOSE][i]))
      {
        BtDay day = history->first_day + (BtDay) i;
        gint64 k = inputs->table != NULL ? (gint64) day - inputs->table->first_day : -1;

        if (first == BT_DAY_INVALID)
          first = day;
        last = day;
        if (inputs->scores != NULL && inputs->score_rules != NULL
            && k >= 0 && k < inputs->table->n_days && isfinite (inputs->scores[k].market)
            && inputs->scores[k].confidence >= inputs->score_rules->min_confidence)
          {
            if (rules == BT_DAY_INVALID)
              rules = day;
            rules_end = day;
          }
      }
  if (price_first != NULL)
    *price_first = first;
  if (price_last != NULL)
    *price_last = last;
  if (rules_first != NULL)
    *rules_first = rules;
  if (rules_last != NULL)
    *rules_last = rules_end;
  return first != BT_DAY_INVALID;
}

static gboolean
bands_equal (const BtBand *a,
             const BtBand *b)
{
  if (a->n != b->n)
    return FALSE;
  for (guint k = 0; k < a->n && k < BT_MAX_KNOTS; k++)
    if (a->x[k] != b->x[k] || a->y[k] != b->y[k])
      return FALSE;
  return TRUE;
}

gboolean
bt_backtest_rules_same_scores (const BtRules *a,
                               const BtRules *b)
{
  if (a == b)
    return TRUE;
  for (guint i = 0; i < BT_N_ITEMS; i++)
    if (!bands_equal (&a->band[i], &b->band[i]) || a->item_weight[i] != b->item_weight[i] ||
        a->band_rank[i] != b->band_rank[i])
      return FALSE;
  if (a->rank_window_days != b->rank_window_days || a->rank_min_days != b->rank_min_days)
    return FALSE;
  for (guint i = 0; i < BT_N_CATEGORIES; i++)
    if (a->category_weight[i] != b->category_weight[i])
      return FALSE;
  return a->ema_position_weight == b->ema_position_weight &&
         a->ema_alignment_weight == b->ema_alignment_weight &&
         a->bbw_window_days == b->bbw_window_days &&
         a->bbw_min_days == b->bbw_min_days;
}
