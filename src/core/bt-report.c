#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "bt-alerts.h"
#include "bt-base.h"
#include "bt-report.h"
#include "bt-scoring.h"

/* "  LABEL" padded to WIDTH characters (not bytes: "Dívida" is 6 wide). */
static void
append_label (GString    *s,
              const char *label,
              guint       width)
{
  glong n = g_utf8_strlen (label, -1);

  g_string_append (s, "  ");
  g_string_append (s, label);
  for (glong i = n; i < (glong) width; i++)
    g_string_append_c (s, ' ');
}

/* The report is text for people: numbers in the user's locale, grouped
 * ("12.345,67" in pt_BR), DECIMALS after the separator. */
static void
append_value (GString    *s,
              const char *label,
              double      value,
              int         decimals)
{
  append_label (s, label, 22);
  if (isnan (value))
    g_string_append_printf (s, " %s\n", _("missing"));
  else
    g_string_append_printf (s, " %'.*f\n", decimals, value);
}

static const char *const action_labels[BT_N_ACTIONS] = {
  N_("Hold"), N_("Enter"), N_("Add"), N_("Reduce"), N_("Exit"), N_("Liquidation"),
};

static const char *const urgency_labels[BT_N_URGENCIES] = {
  N_("low urgency"), N_("medium urgency"), N_("high urgency"), N_("critical urgency"),
};

/* the rules of SCORING.md §4 in words (bt_rule_name is for JSON and CSV) */
static const char *const rule_labels[BT_N_RULES] = {
  N_("too little data to act"), N_("circuit breaker"), N_("low market score"),
  N_("take profit"), N_("entry"), N_("add on strength"), N_("hold"),
};

char *
bt_report_stale_line (BtDay  newest,
                      BtDay  today,
                      double limit_days)
{
  char date[16];
  gint64 age;

  if (newest == BT_DAY_INVALID || today == BT_DAY_INVALID)
    return NULL;
  age = (gint64) today - newest;
  if (!(age > limit_days))
    return NULL;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "OLD DATA: the newest data is from %s, %d day ago (the "
                                       "limit is %g days): this report describes that day, not today.",
                                       "OLD DATA: the newest data is from %s, %d days ago (the "
                                       "limit is %g days): this report describes that day, not today.",
                                       (gulong) age),
                          bt_day_format (newest, date), (int) age, limit_days);
}

char *
bt_report_build (BtEngine  *engine,
                 BtDay      day,
                 GError   **error)
{
  BtStore *store;
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(BtMarketDay) md = NULL;
  g_autoptr(GPtrArray) positions = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  BtPositionState state;
  gboolean has_pos;
  BtDecision decision;
  BtDecisionInputs inputs;
  BtDay last;
  char date[16];
  g_autofree char *stale = NULL;
  g_autoptr(GPtrArray) wallets = NULL;

  g_return_val_if_fail (BT_IS_ENGINE (engine), NULL);

  store = bt_engine_get_store (engine);
  if (!bt_engine_refresh (engine, error))
    return NULL;
  last = bt_engine_get_last_day (engine);
  if (bt_engine_get_n_days (engine) == 0)
    {
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND,
                   _("No market data yet: run “btc-turbo-cli collect --once --backfill” first"));
      return NULL;
    }
  {
    /* the day the report is asked for (today by default) against the
     * newest data: old data is said first, not in a footnote */
    BtDay asked = day == BT_DAY_INVALID ? bt_day_today_utc () : day;

    stale = bt_report_stale_line (MIN (asked, last), asked,
                                  bt_engine_get_rules (engine)->fresh_daily_days);
  }
  if (day == BT_DAY_INVALID || day > last)
    day = last;
  md = bt_store_get_market_day (store, day, error);
  if (md == NULL)
    return NULL;
  positions = bt_store_list_latest_positions (store, NULL);
  has_pos = positions != NULL && positions->len > 0;
  if (has_pos)
    bt_position_to_state (g_ptr_array_index (positions, 0), &state);

  g_string_append_printf (s, _("BTC Turbo daily report — %s"), bt_day_format (day, date));
  g_string_append (s, "\n\n");
  if (stale != NULL)
    g_string_append_printf (s, "%s\n\n", stale);
  g_string_append_printf (s, "%s\n", _("Market"));
  append_value (s, _("BTC price (USD)"), bt_market_day_get_btc_price (md), 2);
  append_value (s, _("Market score"), bt_market_day_get_market (md), 1);
  append_value (s, _("Cycle"), bt_market_day_get_category (md, BT_CATEGORY_CYCLE), 1);
  append_value (s, _("Momentum"), bt_market_day_get_category (md, BT_CATEGORY_MOMENTUM), 1);
  append_value (s, _("Technical"), bt_market_day_get_category (md, BT_CATEGORY_TECHNICAL), 1);
  append_value (s, _("Confidence"), bt_market_day_get_confidence (md), 1);

  g_string_append_printf (s, "\n%s\n", _("Decision"));
  if (bt_engine_decide (engine, day, has_pos ? &state : NULL, &decision, &inputs, NULL))
    {
      g_autofree char *reason = bt_decision_dup_reason (&decision, &inputs, has_pos ? &state : NULL,
                                                        bt_engine_get_rules (engine));

      /* Translators: the decision in the daily report: the action, its
       * urgency and the rule that decided, e.g. "Hold (low urgency), rule: hold" */
      g_string_append_printf (s, _("  %s (%s), rule: %s\n"), _(action_labels[decision.action]),
                              _(urgency_labels[decision.urgency]), _(rule_labels[decision.rule]));
      append_value (s, _("Size (%)"), decision.size_percent, 1);
      append_value (s, _("Target leverage"), decision.target_leverage, 2);
      if (reason != NULL)
        g_string_append_printf (s, "  %s\n", reason);
    }
  else
    g_string_append_printf (s, "  %s\n", _("not available"));

  g_string_append_printf (s, "\n%s\n", _("Positions"));
  wallets = bt_store_list_wallets (store, NULL);
  if (!has_pos && (wallets == NULL || wallets->len == 0))
    g_string_append_printf (s, "  %s\n", _("no wallet configured"));
  else if (!has_pos)
    {
      BtSourceStatus st = { 0 };

      g_string_append_printf (s, "  ");
      g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%u wallet, not read yet",
                                              "%u wallets, not read yet", wallets->len),
                              wallets->len);
      if (bt_store_get_source_status (store, BT_SOURCE_ETHEREUM, &st, NULL) && st.last_error != NULL)
        g_string_append_printf (s, ": %s", st.last_error);
      g_string_append_c (s, '\n');
      bt_source_status_clear (&st);
    }
  for (guint i = 0; positions != NULL && i < positions->len; i++)
    {
      BtPosition *p = g_ptr_array_index (positions, i);

      g_string_append_printf (s, "  %s\n", bt_position_get_wallet (p));
      append_value (s, _("Collateral (USD)"), bt_position_get_collateral_usd (p), 2);
      append_value (s, _("Debt (USD)"), bt_position_get_debt_usd (p), 2);
      append_value (s, _("Health factor"), bt_position_get_health_factor (p), 3);
      append_value (s, _("Liquidation price"), bt_position_get_liquidation_price (p), 2);
      append_value (s, _("Leverage"), bt_position_get_leverage (p), 2);
      append_value (s, _("Risk score"), bt_position_get_risk_score (p), 1);
    }

  g_string_append_printf (s, "\n%s\n", _("Active alerts"));
  alerts = bt_store_list_alerts (store, TRUE, NULL);
  if (alerts == NULL || alerts->len == 0)
    g_string_append_printf (s, "  %s\n", _("none"));
  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      BtAlert *a = g_ptr_array_index (alerts, i);
      g_autofree char *message = bt_alert_format_message (bt_alert_get_key (a),
                                                          bt_alert_get_values_json (a));

      g_string_append_printf (s, "  [%s] %s\n", bt_severity_name (bt_alert_get_severity (a)),
                              message != NULL ? message : bt_alert_get_message (a));
    }

  g_string_append_printf (s, "\n%s\n", _("Data sources"));
  for (int src = BT_SOURCE_BINANCE; src <= BT_SOURCE_NOTION; src++)
    {
      BtSourceStatus st = { 0 };

      if (bt_store_get_source_status (store, src, &st, NULL) && (st.last_success > 0 || st.last_failure > 0))
        g_string_append_printf (s, "  %-16s %s%s%s\n", bt_source_display_name (src),
                                st.stale ? _("stale") : _("ok"),
                                st.last_error != NULL && st.stale ? ": " : "",
                                st.last_error != NULL && st.stale ? st.last_error : "");
      bt_source_status_clear (&st);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

gboolean
bt_report_generate (BtEngine  *engine,
                    BtDay      day,
                    GError   **error)
{
  g_autofree char *text = bt_report_build (engine, day, error);

  if (text == NULL)
    return FALSE;
  return bt_store_put_report (bt_engine_get_store (engine), day, text, error);
}
