/* bt-cli-score.c: indicators, score, decide, alerts. */
#define G_LOG_DOMAIN "bt-cli"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "bt-backtest.h"
#include "bt-base.h"
#include "bt-cli.h"
#include "bt-cli-data-private.h"
#include "bt-json.h"
#include "bt-domain.h"
#include "bt-engine.h"
#include "bt-import.h"
#include "bt-scoring.h"
#include "bt-store.h"

/* ---- indicators ---------------------------------------------------------- */

static const char *const score_columns[] = {
  "score_cycle", "score_momentum", "score_technical", "score_market", "confidence",
};

static GPtrArray *days_with_sets (BtCli      *cli,
                                  const char *command,
                                  GPtrArray  *sets,
                                  BtDay       from,
                                  BtDay       to,
                                  int        *status);

static double
score_column_value (const BtScores *s,
                    guint           k)
{
  switch (k)
    {
    case 0: return s->category[BT_CATEGORY_CYCLE];
    case 1: return s->category[BT_CATEGORY_MOMENTUM];
    case 2: return s->category[BT_CATEGORY_TECHNICAL];
    case 3: return s->market;
    default: return s->confidence;
    }
}

int
bt_cli_cmd_indicators (BtCli  *cli,
                       int     argc,
                       char  **argv)
{
  const char *from_text = NULL, *to_text = NULL, *format = "csv";
  g_autoptr(GPtrArray) sets = g_ptr_array_new ();
  BtCliOption options[] = {
    { "--from", &from_text, NULL, NULL },
    { "--to", &to_text, NULL, NULL },
    { "--format", &format, NULL, NULL },
    { "--set", NULL, NULL, sets },
  };
  g_autoptr(BtStore) store = NULL;
  g_autoptr(GPtrArray) days = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) header = g_string_new ("date");
  BtDay from = BT_DAY_INVALID, to = BT_DAY_INVALID, latest;
  gboolean json;
  BtCliListing listing;

  if (!bt_cli_parse_options ("indicators", argc, argv, options, G_N_ELEMENTS (options), NULL, 0, NULL))
    return BT_CLI_USAGE;
  if (!bt_cli_parse_listing ("indicators", format, from_text, to_text, &json, &from, &to))
    return BT_CLI_USAGE;
  if (sets->len > 0)
    {
      int status;

      days = days_with_sets (cli, "indicators", sets, from, to, &status);
      if (days == NULL)
        return status;
    }
  else
    {
      store = _bt_cli_open_current_store (cli, "indicators", &latest);
      if (store == NULL)
        return BT_CLI_FAILED;
      days = bt_store_list_market_days (store, from, to, &error);
      if (days == NULL)
        {
          bt_cli_error ("indicators: %s", error->message);
          return BT_CLI_FAILED;
        }
    }

  for (guint k = 0; k < BT_N_INDICATORS; k++)
    g_string_append_printf (header, ",%s", bt_indicator_name (k));
  for (guint k = 0; k < G_N_ELEMENTS (score_columns); k++)
    g_string_append_printf (header, ",%s", score_columns[k]);
  g_string_append_c (header, '\n');
  _bt_cli_listing_begin (&listing, json, header->str);
  for (guint i = 0; i < days->len; i++)
    {
      BtMarketDay *day = g_ptr_array_index (days, i);
      const BtMarketDayData *d = bt_market_day_get_data (day);

      _bt_cli_listing_row_begin (&listing, bt_market_day_get_date_text (day));
      for (guint k = 0; k < BT_N_INDICATORS; k++)
        _bt_cli_listing_number (&listing, bt_indicator_name (k), d->value[k]);
      for (guint k = 0; k < G_N_ELEMENTS (score_columns); k++)
        _bt_cli_listing_number (&listing, score_columns[k], score_column_value (&d->scores, k));
      _bt_cli_listing_row_end (&listing);
    }
  _bt_cli_listing_end (&listing);
  return BT_CLI_OK;
}


/* ---- one-off rules (--set KEY=VALUE) --------------------------------------- */

/* The user's rules with SETS applied; FALSE after a one-line usage error. */
static gboolean
rules_with_sets (const char    *command,
                 BtEngine      *engine,
                 GPtrArray     *sets,
                 BtRules       *rules)
{
  *rules = *bt_engine_get_rules (engine);
  for (guint i = 0; i < sets->len; i++)
    {
      const char *kv = sets->pdata[i];
      const char *eq = strchr (kv, '=');
      g_autofree char *key = NULL;
      g_autoptr(GError) error = NULL;

      if (eq == NULL || eq == kv)
        {
          bt_cli_error (_("%s: --set needs KEY=VALUE, not “%s”"), command, kv);
          return FALSE;
        }
      key = g_strndup (kv, (gsize) (eq - kv));
      if (!bt_rules_set (rules, key, eq + 1, &error))
        {
          bt_cli_error ("%s: %s", command, error->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* Every day from FROM to TO (BT_DAY_INVALID: the ends of the data) computed
 * in memory with the user's rules and SETS, as market days; NULL after a
 * one-line error (*STATUS set).  The stored rows are not touched. */
static GPtrArray *
days_with_sets (BtCli      *cli,
                const char *command,
                GPtrArray  *sets,
                BtDay       from,
                BtDay       to,
                int        *status)
{
  g_autoptr(BtEngine) engine = _bt_cli_open_engine (cli, command);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) days = g_ptr_array_new_with_free_func (g_object_unref);
  const BtHistory *h;
  const BtIndicatorTable *t;
  const BtScores *sc;
  BtRules rules;

  *status = BT_CLI_FAILED;
  if (engine == NULL)
    return NULL;
  if (!rules_with_sets (command, engine, sets, &rules))
    {
      *status = BT_CLI_USAGE;
      return NULL;
    }
  if (!bt_engine_use_rules (engine, &rules, &error) || !bt_engine_refresh (engine, &error))
    {
      bt_cli_error ("%s: %s", command, error->message);
      return NULL;
    }
  h = bt_engine_get_history (engine);
  t = bt_engine_get_table (engine);
  sc = bt_engine_get_scores (engine);
  for (guint i = 0; i < h->n_days; i++)
    {
      BtDay d = h->first_day + (BtDay) i;
      BtMarketDayData data;

      if ((from != BT_DAY_INVALID && d < from) || (to != BT_DAY_INVALID && d > to))
        continue;
      if (!isfinite (t->value[BT_IND_BTC_PRICE][i]))
        continue;   /* as the stored rows: days with a price */
      bt_market_day_data_init (&data);
      data.open = h->input[BT_INPUT_OPEN][i];
      data.high = h->input[BT_INPUT_HIGH][i];
      data.low = h->input[BT_INPUT_LOW][i];
      data.volume = h->input[BT_INPUT_VOLUME][i];
      for (guint k = 0; k < BT_N_INDICATORS; k++)
        {
          data.value[k] = t->value[k][i];
          data.flag[k] = t->flag[k][i];
          data.source[k] = t->source[k][i];
        }
      data.scores = sc[i];
      g_ptr_array_add (days, bt_market_day_new (d, &data));
    }
  *status = BT_CLI_OK;
  return g_steal_pointer (&days);
}

/* ---- score ---------------------------------------------------------------- */

/* The scored item that an indicator column feeds, or -1. */
static int
item_of_indicator (BtIndicator ind)
{
  switch (ind)
    {
    case BT_IND_MVRV_Z_SCORE: return BT_ITEM_MVRV_Z_SCORE;
    case BT_IND_REALIZED_PRICE_RATIO: return BT_ITEM_REALIZED_PRICE_RATIO;
    case BT_IND_PUELL_MULTIPLE: return BT_ITEM_PUELL_MULTIPLE;
    case BT_IND_RSI_WEEKLY: return BT_ITEM_RSI_WEEKLY;
    case BT_IND_FUNDING_RATE_7D: return BT_ITEM_FUNDING_RATE_7D;
    case BT_IND_RSI_MONTHLY: return BT_ITEM_RSI_MONTHLY;
    case BT_IND_STH_SOPR: return BT_ITEM_STH_SOPR;
    case BT_IND_EXCHANGE_NETFLOW: return BT_ITEM_EXCHANGE_NETFLOW;
    case BT_IND_LONG_SHORT_RATIO: return BT_ITEM_LONG_SHORT_RATIO;
    default: return -1;
    }
}

/* TEXT padded with spaces to WIDTH characters, like printf's "%WIDTHs"
 * ("%-WIDTHs" when WIDTH < 0) but counting characters, not bytes, so that
 * translated labels ("Técnico") line up. */
static char *
pad (const char *text,
     int         width)
{
  glong n = g_utf8_strlen (text, -1);
  glong fill = MAX (0, ABS (width) - n);
  g_autofree char *spaces = g_strnfill (fill, ' ');

  return width < 0 ? g_strconcat (text, spaces, NULL) : g_strconcat (spaces, text, NULL);
}

/* VALUE with DECIMALS in the user's locale, right-aligned in WIDTH
 * characters; a missing value reads "—". */
static char *
format_cell (double value,
             int    decimals,
             int    width)
{
  g_autofree char *text = isfinite (value) ? g_strdup_printf ("%.*f", decimals, value)
                                           : g_strdup ("—");

  return pad (text, width);
}

static void
print_score_row (GString    *out,
                 const char *label,
                 double      value,
                 const char *end)
{
  g_autofree char *padded = pad (label, -22);
  g_autofree char *cell = format_cell (value, 1, 8);

  g_string_append_printf (out, "  %s %s%s", padded, cell, end);
}

static void
print_score_text (GString     *out,
                  BtMarketDay *day)
{
  const BtScores *s = &bt_market_day_get_data (day)->scores;
  g_autofree char *indicator = pad (_("Indicator"), -22);
  g_autofree char *value = pad (_("Value"), 16);
  g_autofree char *score = pad (_("Score"), 8);
  g_autofree char *flag = pad (_("Flag"), -9);

  g_string_append_printf (out, _("Scores of %s\n"), bt_market_day_get_date_text (day));
  print_score_row (out, _("Market"), s->market, "\n");
  print_score_row (out, _("Cycle"), s->category[BT_CATEGORY_CYCLE], "\n");
  print_score_row (out, _("Momentum"), s->category[BT_CATEGORY_MOMENTUM], "\n");
  print_score_row (out, _("Technical"), s->category[BT_CATEGORY_TECHNICAL], "\n");
  print_score_row (out, _("Confidence"), s->confidence, "\n\n");
  g_string_append_printf (out, "  %s %s %s  %s %s\n", indicator, value, score, flag, _("Source"));
  for (guint k = 0; k < BT_N_ITEMS; k++)
    {
      g_autofree char *v = format_cell (s->item_value[k], 4, 16);
      g_autofree char *sc = format_cell (s->item_score[k], 1, 8);

      g_string_append_printf (out, "  %-22s %s %s  %-9s %s\n", bt_item_name (k), v, sc,
                              bt_flag_name (s->item_flag[k]), bt_source_name (s->item_source[k]));
    }
}

static void
json_indicator (BtJson     *w,
                const char *name,
                double      value,
                double      score,
                BtFlag      flag,
                BtSource    source)
{
  bt_json_key (w, name);
  bt_json_begin_object (w);
  bt_json_kv_number (w, "value", value);
  bt_json_kv_number (w, "score", score);
  bt_json_kv_string (w, "flag", bt_flag_name (flag));
  bt_json_kv_string (w, "source", source != BT_SOURCE_NONE ? bt_source_name (source) : NULL);
  bt_json_end_object (w);
}

int
bt_cli_cmd_score (BtCli  *cli,
                  int     argc,
                  char  **argv)
{
  const char *date_text = NULL;
  gboolean as_json = FALSE;
  g_autoptr(GPtrArray) sets = g_ptr_array_new ();
  BtCliOption options[] = {
    { "--date", &date_text, NULL, NULL },
    { "--json", NULL, &as_json, NULL },
    { "--set", NULL, NULL, sets },
  };
  g_autoptr(BtStore) store = NULL;
  g_autoptr(BtMarketDay) day = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const BtMarketDayData *d;
  const BtScores *s;
  BtDay date = BT_DAY_INVALID, latest;
  BtJson w;

  if (!bt_cli_parse_options ("score", argc, argv, options, G_N_ELEMENTS (options), NULL, 0, NULL))
    return BT_CLI_USAGE;
  if (!bt_cli_parse_day ("score", "--date", date_text, &date))
    return BT_CLI_USAGE;
  store = _bt_cli_open_current_store (cli, "score", &latest);
  if (store == NULL)
    return BT_CLI_FAILED;
  if (date == BT_DAY_INVALID)
    date = latest;
  if (sets->len > 0)
    {
      int status;
      g_autoptr(GPtrArray) days = days_with_sets (cli, "score", sets, date, date, &status);

      if (days == NULL)
        return status;
      if (days->len == 1)
        day = g_object_ref (g_ptr_array_index (days, 0));
      else
        g_set_error_literal (&error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND, "");
    }
  else
    day = bt_store_get_market_day (store, date, &error);
  if (day == NULL)
    {
      if (g_error_matches (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND))
        _bt_cli_report_outside (store, "score", date);
      else
        bt_cli_error ("score: %s", error->message);
      return BT_CLI_FAILED;
    }
  d = bt_market_day_get_data (day);
  s = &d->scores;

  if (!as_json)
    {
      print_score_text (out, day);
      _bt_cli_write_out (out);
      return BT_CLI_OK;
    }

  bt_json_init (&w, out);
  bt_json_begin_object (&w);
  bt_json_kv_string (&w, "date", bt_market_day_get_date_text (day));
  bt_json_kv_number (&w, "market", s->market);
  bt_json_kv_number (&w, "cycle", s->category[BT_CATEGORY_CYCLE]);
  bt_json_kv_number (&w, "momentum", s->category[BT_CATEGORY_MOMENTUM]);
  bt_json_kv_number (&w, "technical", s->category[BT_CATEGORY_TECHNICAL]);
  bt_json_kv_number (&w, "confidence", s->confidence);
  bt_json_key (&w, "indicators");
  bt_json_begin_object (&w);
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    {
      int item = item_of_indicator (k);

      if (item >= 0)
        json_indicator (&w, bt_indicator_name (k), s->item_value[item], s->item_score[item],
                        s->item_flag[item], s->item_source[item]);
      else
        json_indicator (&w, bt_indicator_name (k), d->value[k], NAN, d->flag[k], d->source[k]);
    }
  for (guint item = BT_ITEM_EMA_SYSTEM; item <= BT_ITEM_BBW; item++)
    json_indicator (&w, bt_item_name (item), s->item_value[item], s->item_score[item],
                    s->item_flag[item], s->item_source[item]);
  bt_json_end_object (&w);
  bt_json_end_object (&w);
  g_string_append_c (out, '\n');
  _bt_cli_write_out (out);
  return BT_CLI_OK;
}

/* ---- the position of decide and stress ------------------------------------ */

int
bt_cli_load_position (BtCli                      *cli,
                      const char                 *command,
                      const BtCliPositionOptions *options,
                      BtCliPosition              *out)
{
  g_autoptr(BtEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  double collateral = NAN, debt = NAN, lt = NAN, hf = NAN;
  const struct
  {
    const char *option;
    const char *text;
    double     *value;
  } numbers[] = {
    { "--collateral-usd", options->collateral_text, &collateral },
    { "--debt-usd", options->debt_text, &debt },
    { "--liquidation-threshold", options->lt_text, &lt },
  };

  memset (out, 0, sizeof *out);
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    if (numbers[i].text != NULL && !bt_parse_double (numbers[i].text, numbers[i].value))
      {
        bt_cli_error (_("%s: %s “%s” is not a number"), command, numbers[i].option, numbers[i].text);
        return BT_CLI_USAGE;
      }
  if ((options->collateral_text != NULL) != (options->debt_text != NULL))
    {
      bt_cli_error (_("%s: --collateral-usd and --debt-usd go together"), command);
      return BT_CLI_USAGE;
    }
  if (options->collateral_text != NULL && options->wallet != NULL)
    {
      bt_cli_error (_("%s: give either --collateral-usd/--debt-usd or --wallet, not both"), command);
      return BT_CLI_USAGE;
    }
  if (options->require_position && options->collateral_text == NULL && options->wallet == NULL)
    {
      bt_cli_error (_("%s: give a position: --collateral-usd X --debt-usd Y, or --wallet ADDR"), command);
      return BT_CLI_USAGE;
    }
  if (options->collateral_text != NULL &&
      (collateral < 0 || debt < 0 || (debt > 0 && debt >= collateral)))
    {
      bt_cli_error (_("%s: collateral and debt must be zero or positive, and the debt below the collateral"),
                    command);
      return BT_CLI_USAGE;
    }
  if (options->lt_text != NULL && !(lt > 0 && lt < 1))
    {
      bt_cli_error (_("%s: --liquidation-threshold must lie between 0 and 1 (e.g. 0.78)"), command);
      return BT_CLI_USAGE;
    }

  engine = _bt_cli_open_engine (cli, command);
  if (engine == NULL)
    return BT_CLI_FAILED;
  if (options->sets != NULL && options->sets->len > 0)
    {
      BtRules rules;

      if (!rules_with_sets (command, engine, options->sets, &rules))
        return BT_CLI_USAGE;
      if (!bt_engine_use_rules (engine, &rules, &error) || !bt_engine_refresh (engine, &error))
        {
          bt_cli_error ("%s: %s", command, error->message);
          return BT_CLI_FAILED;
        }
    }
  if (!_bt_cli_resolve_day (engine, command, options->date_text, &out->index, &out->day))
    return BT_CLI_FAILED;

  if (options->wallet != NULL)
    {
      g_autoptr(BtPosition) stored = bt_store_get_latest_position (bt_engine_get_store (engine),
                                                                   options->wallet, &error);
      const BtPositionData *d;

      if (stored == NULL)
        {
          bt_cli_error ("%s: %s", command, error->message);
          return BT_CLI_FAILED;
        }
      d = bt_position_get_data (stored);
      collateral = d->collateral_usd;
      debt = d->debt_usd;
      lt = d->liquidation_threshold;
      hf = d->health_factor;
      out->with_position = TRUE;
    }
  else if (options->collateral_text != NULL)
    {
      out->with_position = TRUE;
      if (!isfinite (lt))
        {
          BtBacktestConfig defaults;

          /* WBTC's threshold: the same default the backtest uses */
          bt_backtest_config_init_default (&defaults);
          lt = defaults.liquidation_threshold;
        }
    }

  /* without a position: nothing held, no debt (leverage 0, risk 100) */
  if (!out->with_position)
    collateral = debt = 0;
  out->collateral_usd = collateral;
  out->debt_usd = debt;
  out->liquidation_threshold = lt;
  out->health_factor = hf;
  out->engine = g_steal_pointer (&engine);
  return BT_CLI_OK;
}

/* ---- decide --------------------------------------------------------------- */

int
bt_cli_cmd_decide (BtCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autoptr(GPtrArray) sets = g_ptr_array_new ();
  BtCliPositionOptions po = { .sets = sets };
  gboolean as_json = FALSE;
  BtCliOption options[] = {
    BT_CLI_POSITION_OPTIONS (po, as_json),
    { "--set", NULL, NULL, po.sets },
  };
  g_autoptr(BtEngine) engine = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  BtCliPosition loaded;
  BtPositionState position;
  BtDecisionInputs inputs;
  BtDecision decision;
  guint i;
  BtDay day;
  BtJson w;
  char date[11];
  int status;

  if (!bt_cli_parse_options ("decide", argc, argv, options, G_N_ELEMENTS (options), NULL, 0, NULL))
    return BT_CLI_USAGE;
  status = bt_cli_load_position (cli, "decide", &po, &loaded);
  if (status != BT_CLI_OK)
    return status;
  engine = loaded.engine;
  i = loaded.index;
  day = loaded.day;

  bt_position_evaluate (loaded.collateral_usd, loaded.debt_usd, loaded.liquidation_threshold,
                        loaded.health_factor,
                        bt_engine_get_table (engine)->value[BT_IND_BTC_PRICE][i],
                        bt_engine_get_rules (engine), &position);
  if (!bt_engine_decide (engine, day, &position, &decision, &inputs, &error))
    {
      bt_cli_error ("decide: %s", error->message);
      return BT_CLI_FAILED;
    }
  reason = bt_decision_dup_reason (&decision, &inputs, &position, bt_engine_get_rules (engine));

  if (!as_json)
    {
      g_string_append_printf (out, _("Decision for %s: %s (%s urgency)\n"), bt_day_format (day, date),
                              bt_action_name (decision.action), bt_urgency_name (decision.urgency));
      g_string_append_printf (out, "  %s\n", reason);
      g_string_append_printf (out, _("  size %.1f %%, target leverage %.2f×, rule %s\n"),
                              decision.size_percent, decision.target_leverage,
                              bt_rule_name (decision.rule));
      g_string_append_printf (out, _("  market %.1f, confidence %.1f, risk %.1f, leverage %.2f×, heat %.1f %%\n"),
                              inputs.market, inputs.confidence, position.risk_score,
                              position.leverage, decision.heat);
      _bt_cli_write_out (out);
      return BT_CLI_OK;
    }

  bt_json_init (&w, out);
  bt_json_begin_object (&w);
  bt_json_kv_string (&w, "date", bt_day_format (day, date));
  bt_json_kv_string (&w, "action", bt_action_name (decision.action));
  bt_json_kv_number (&w, "size_percent", decision.size_percent);
  bt_json_kv_number (&w, "target_leverage", decision.target_leverage);
  bt_json_kv_string (&w, "urgency", bt_urgency_name (decision.urgency));
  bt_json_kv_string (&w, "rule", bt_rule_name (decision.rule));
  bt_json_kv_string (&w, "reason", reason);
  {
    const struct
    {
      const char *key;
      double      value;
    } numbers[] = {
      { "market", inputs.market },
      { "confidence", inputs.confidence },
      { "risk_score", position.risk_score },
      { "leverage", position.leverage },
      { "health_factor", position.health_factor },
      { "liquidation_price", position.liquidation_price },
      { "liquidation_distance", position.liquidation_distance },
      { "portfolio_heat", decision.heat },
      { "ladder_max", decision.ladder_max },
      { "kelly_percent", decision.kelly_percent },
      { "ema144_distance", inputs.ema144_distance },
      { "rsi_daily", inputs.rsi_daily },
      { "btc_price", inputs.price },
    };

    for (guint k = 0; k < G_N_ELEMENTS (numbers); k++)
      bt_json_kv_number (&w, numbers[k].key, numbers[k].value);
  }
  bt_json_end_object (&w);
  g_string_append_c (out, '\n');
  _bt_cli_write_out (out);
  return BT_CLI_OK;
}

/* ---- alerts ---------------------------------------------------------------- */

int
bt_cli_cmd_alerts (BtCli  *cli,
                   int     argc,
                   char  **argv)
{
  const char *ack_text = NULL;
  gboolean all = FALSE, ack_all = FALSE, as_json = FALSE;
  BtCliOption options[] = {
    { "--all", NULL, &all, NULL },
    { "--ack", &ack_text, NULL, NULL },
    { "--ack-all", NULL, &ack_all, NULL },
    { "--json", NULL, &as_json, NULL },
  };
  g_autoptr(BtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  BtJson w;

  if (!bt_cli_parse_options ("alerts", argc, argv, options, G_N_ELEMENTS (options), NULL, 0, NULL))
    return BT_CLI_USAGE;
  if (ack_text != NULL && ack_all)
    {
      bt_cli_error (_("alerts: give either --ack ID or --ack-all"));
      return BT_CLI_USAGE;
    }
  store = bt_cli_open_store (cli);
  if (store == NULL)
    return BT_CLI_FAILED;

  if (ack_text != NULL)
    {
      gint64 id;
      char *end = NULL;

      id = g_ascii_strtoll (ack_text, &end, 10);
      if (end == ack_text || *end != '\0' || id <= 0)
        {
          bt_cli_error (_("alerts: --ack needs an alert number, not “%s”"), ack_text);
          return BT_CLI_USAGE;
        }
      if (!bt_store_acknowledge_alert (store, id, g_get_real_time () / G_USEC_PER_SEC, &error))
        {
          bt_cli_error ("alerts: %s", error->message);
          return BT_CLI_FAILED;
        }
      printf (_("Alert %lld acknowledged.\n"), (long long) id);
      return BT_CLI_OK;
    }
  if (ack_all)
    {
      gint n = bt_store_acknowledge_all_alerts (store, g_get_real_time () / G_USEC_PER_SEC, &error);

      if (n < 0)
        {
          bt_cli_error ("alerts: %s", error->message);
          return BT_CLI_FAILED;
        }
      printf (ngettext ("%d alert acknowledged.\n", "%d alerts acknowledged.\n", n), n);
      return BT_CLI_OK;
    }

  alerts = bt_store_list_alerts (store, !all, &error);
  if (alerts == NULL)
    {
      bt_cli_error ("alerts: %s", error->message);
      return BT_CLI_FAILED;
    }
  if (as_json)
    {
      bt_json_init (&w, out);
      bt_json_begin_array (&w);
    }
  else if (alerts->len == 0)
    g_string_append (out, all ? _("No alerts.\n") : _("No active alerts.\n"));

  for (guint k = 0; k < alerts->len; k++)
    {
      BtAlert *alert = g_ptr_array_index (alerts, k);
      g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (bt_alert_get_created_at (alert));
      g_autofree char *when = created ? g_date_time_format_iso8601 (created) : g_strdup ("");

      if (as_json)
        {
          bt_json_begin_object (&w);
          bt_json_kv_int (&w, "id", bt_alert_get_id (alert));
          bt_json_kv_string (&w, "kind", bt_alert_kind_name (bt_alert_get_kind (alert)));
          bt_json_kv_string (&w, "key", bt_alert_get_key (alert));
          bt_json_kv_string (&w, "severity", bt_severity_name (bt_alert_get_severity (alert)));
          bt_json_kv_string (&w, "message", bt_alert_get_message (alert));
          bt_json_key (&w, "values");
          bt_json_raw (&w, bt_alert_get_values_json (alert));
          bt_json_kv_string (&w, "created", when);
          bt_json_key (&w, "acknowledged");
          bt_json_bool (&w, bt_alert_get_acknowledged_at (alert) != 0);
          bt_json_end_object (&w);
        }
      else
        g_string_append_printf (out, "%5" G_GINT64_FORMAT "  %-8s  %s  %s%s\n", bt_alert_get_id (alert),
                                bt_severity_name (bt_alert_get_severity (alert)), when,
                                bt_alert_get_message (alert),
                                bt_alert_get_acknowledged_at (alert) ? _(" (acknowledged)") : "");
    }
  if (as_json)
    {
      bt_json_end_array (&w);
      g_string_append_c (out, '\n');
    }
  _bt_cli_write_out (out);
  return BT_CLI_OK;
}
