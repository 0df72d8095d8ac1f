#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>

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

      g_string_append_printf (s, "  %s (%s), %s\n", bt_action_name (decision.action),
                              bt_urgency_name (decision.urgency), bt_rule_name (decision.rule));
      append_value (s, _("Size (%)"), decision.size_percent, 1);
      append_value (s, _("Target leverage"), decision.target_leverage, 2);
      if (reason != NULL)
        g_string_append_printf (s, "  %s\n", reason);
    }
  else
    g_string_append_printf (s, "  %s\n", _("not available"));

  g_string_append_printf (s, "\n%s\n", _("Positions"));
  if (!has_pos)
    g_string_append_printf (s, "  %s\n", _("no wallet configured"));
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

      g_string_append_printf (s, "  [%s] %s\n", bt_severity_name (bt_alert_get_severity (a)),
                              bt_alert_get_message (a));
    }

  g_string_append_printf (s, "\n%s\n", _("Data sources"));
  for (int src = BT_SOURCE_BINANCE; src <= BT_SOURCE_NOTION; src++)
    {
      BtSourceStatus st = { 0 };

      if (bt_store_get_source_status (store, src, &st, NULL) && (st.last_success > 0 || st.last_failure > 0))
        g_string_append_printf (s, "  %-16s %s%s%s\n", bt_source_name (src),
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
