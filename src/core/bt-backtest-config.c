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

void
bt_backtest_config_init_with_rules (BtBacktestConfig *config,
                                    const BtRules    *rules)
{
  g_return_if_fail (config != NULL);
  g_return_if_fail (rules != NULL);

  memset (config, 0, sizeof *config);
  config->initial_capital = 10000.0;
  config->start_mode = BT_START_INVESTED;
  config->max_leverage = 2.5;
  config->fee_pct = 0.10;
  config->slippage_pct = 0.05;
  config->borrow_apr_pct = 5.0;
  config->ltv = 0.73;
  config->liquidation_threshold = 0.78;
  config->liquidation_bonus = 0.05;
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

typedef struct
{
  const char *key;
  gsize       offset;
} NumberField;

static const NumberField config_numbers[] = {
  { "initial_capital", G_STRUCT_OFFSET (BtBacktestConfig, initial_capital) },
  { "max_leverage", G_STRUCT_OFFSET (BtBacktestConfig, max_leverage) },
  { "fee_pct", G_STRUCT_OFFSET (BtBacktestConfig, fee_pct) },
  { "slippage_pct", G_STRUCT_OFFSET (BtBacktestConfig, slippage_pct) },
  { "borrow_apr_pct", G_STRUCT_OFFSET (BtBacktestConfig, borrow_apr_pct) },
  { "ltv", G_STRUCT_OFFSET (BtBacktestConfig, ltv) },
  { "liquidation_threshold", G_STRUCT_OFFSET (BtBacktestConfig, liquidation_threshold) },
  { "liquidation_bonus", G_STRUCT_OFFSET (BtBacktestConfig, liquidation_bonus) },
};

static double *
config_number (BtBacktestConfig *config,
               const char       *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (config_numbers); i++)
    if (g_str_equal (config_numbers[i].key, key))
      return G_STRUCT_MEMBER_P (config, config_numbers[i].offset);
  return NULL;
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
        {
          g_set_error (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG,
                       _("“%s” is not a number (for %s)"), value, key);
          return FALSE;
        }
      *field = v;
      return TRUE;
    }
  if (g_str_equal (key, "start_mode"))
    {
      if (!start_mode_from_name (value, &config->start_mode))
        {
          g_set_error (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG,
                       _("start_mode must be “invested” or “cash”, not “%s”"), value);
          return FALSE;
        }
      return TRUE;
    }
  if (g_str_equal (key, "start_date") || g_str_equal (key, "end_date"))
    {
      BtDay day = BT_DAY_INVALID;

      if (*value != '\0' && !bt_day_parse (value, &day))
        {
          g_set_error (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG,
                       _("“%s” is not a date (YYYY-MM-DD) for %s"), value, key);
          return FALSE;
        }
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

  g_set_error (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG,
               _("unknown backtest setting “%s”"), key);
  return FALSE;
}

static gboolean
json_member_number (JsonObject  *object,
                    const char  *key,
                    double      *out,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  GType type;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      type = json_node_get_value_type (node);
      if (type == G_TYPE_DOUBLE || type == G_TYPE_INT64)
        {
          *out = json_node_get_double (node);
          return TRUE;
        }
    }
  g_set_error (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG,
               _("%s must be a number"), key);
  return FALSE;
}

static gboolean
json_member_day (JsonObject  *object,
                 const char  *key,
                 BtDay       *out,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = BT_DAY_INVALID;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      bt_day_parse (json_node_get_string (node), out))
    return TRUE;
  g_set_error (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG,
               _("%s must be a date (YYYY-MM-DD) or null"), key);
  return FALSE;
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

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
              !start_mode_from_name (json_node_get_string (node), &copy.start_mode))
            {
              g_set_error (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG,
                           _("start_mode must be “invested” or “cash”"));
              return FALSE;
            }
        }
      else if (g_str_equal (key, "start_date"))
        {
          if (!json_member_day (object, key, &copy.start_day, error))
            return FALSE;
        }
      else if (g_str_equal (key, "end_date"))
        {
          if (!json_member_day (object, key, &copy.end_day, error))
            return FALSE;
        }
      else if (!g_str_equal (key, "weights") && !g_str_equal (key, "bands") &&
               !g_str_equal (key, "profile") &&
               !g_str_equal (key, "thresholds") && !g_str_equal (key, "alerts"))
        {
          g_set_error (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG,
                       _("unknown backtest setting “%s”"), key);
          return FALSE;
        }
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

void
_bt_backtest_append_json_string (GString    *out,
                                 const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      unsigned char c = (unsigned char) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

void
_bt_backtest_append_json_number (GString *out,
                                 double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    g_string_append (out, "null");
  else if (value == 0)
    g_string_append (out, "0");   /* -0 too: json-glib reads "-0" back as 0 */
  else
    g_string_append (out, bt_format_double (value, buf));
}

static void
append_json_node (GString  *out,
                  JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            _bt_backtest_append_json_string (out, l->data);
            g_string_append_c (out, ':');
            append_json_node (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_json_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_STRING)
          _bt_backtest_append_json_string (out, json_node_get_string (node));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else
          _bt_backtest_append_json_number (out, json_node_get_double (node));
      }
      break;
    }
}

void
_bt_backtest_append_key (GString    *out,
                         gboolean   *first,
                         const char *key)
{
  if (!*first)
    g_string_append_c (out, ',');
  *first = FALSE;
  _bt_backtest_append_json_string (out, key);
  g_string_append_c (out, ':');
}

void
_bt_backtest_append_day (GString *out,
                         BtDay    day)
{
  char buf[16];

  if (day == BT_DAY_INVALID)
    g_string_append (out, "null");
  else
    _bt_backtest_append_json_string (out, bt_day_format (day, buf));
}

char *
bt_backtest_config_to_json (const BtBacktestConfig *config)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) rules = NULL;
  GString *out = g_string_new ("{");
  gboolean first = TRUE;

  g_return_val_if_fail (config != NULL, NULL);

  _bt_backtest_append_key (out, &first, "initial_capital");
  _bt_backtest_append_json_number (out, config->initial_capital);
  _bt_backtest_append_key (out, &first, "start_mode");
  _bt_backtest_append_json_string (out, bt_start_mode_name (config->start_mode));
  for (guint i = 1; i < G_N_ELEMENTS (config_numbers); i++)
    {
      _bt_backtest_append_key (out, &first, config_numbers[i].key);
      _bt_backtest_append_json_number (out, G_STRUCT_MEMBER (double, config, config_numbers[i].offset));
    }
  _bt_backtest_append_key (out, &first, "start_date");
  _bt_backtest_append_day (out, config->start_day);
  _bt_backtest_append_key (out, &first, "end_date");
  _bt_backtest_append_day (out, config->end_day);

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
            _bt_backtest_append_key (out, &first, parts[i]);
            append_json_node (out, json_object_get_member (object, parts[i]));
          }
    }
  g_string_append_c (out, '}');
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
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG, msg);
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
  double max_allowed;
  char a[16], b[16];

  g_return_val_if_fail (config != NULL, FALSE);

  if (!isfinite (config->initial_capital) || config->initial_capital <= 0)
    return invalid (error, _("The initial capital must be a positive amount of USD."));
  if (config->start_mode != BT_START_INVESTED && config->start_mode != BT_START_CASH)
    return invalid (error, _("start_mode must be “invested” or “cash”."));
  if (!isfinite (config->ltv) || config->ltv <= 0 || config->ltv >= 1)
    return invalid (error, _("The LTV must be between 0 and 1 (exclusive)."));
  if (!isfinite (config->liquidation_threshold) || config->liquidation_threshold < config->ltv ||
      config->liquidation_threshold >= 1)
    return invalid (error, _("The liquidation threshold must be at least the LTV and below 1."));
  if (!isfinite (config->liquidation_bonus) || config->liquidation_bonus < 0 ||
      config->liquidation_bonus >= 1)
    return invalid (error, _("The liquidation bonus must be between 0 and 1."));
  max_allowed = 1.0 / (1.0 - config->ltv);
  if (!isfinite (config->max_leverage) || config->max_leverage < 1)
    return invalid (error, _("The maximum leverage must be at least 1."));
  if (config->max_leverage > max_allowed)
    return invalid (error, _("A maximum leverage of %.2f× needs more borrowing than an LTV of %.2f "
                             "allows (at most %.2f×)."),
                    config->max_leverage, config->ltv, max_allowed);
  if (!isfinite (config->fee_pct) || config->fee_pct < 0 || config->fee_pct >= 100)
    return invalid (error, _("The fee must be at least 0 %% and below 100 %%."));
  if (!isfinite (config->slippage_pct) || config->slippage_pct < 0 || config->slippage_pct >= 100)
    return invalid (error, _("The slippage must be at least 0 %% and below 100 %%."));
  if (!isfinite (config->borrow_apr_pct) || config->borrow_apr_pct < 0)
    return invalid (error, _("The borrow rate cannot be negative."));
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
