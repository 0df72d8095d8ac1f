#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "bt-alerts.h"
#include "bt-base.h"
#include "bt-report.h"
#include "bt-scoring.h"

/* ---- the report's structure ---- */

static void
line_free (gpointer data)
{
  BtReportLine *line = data;

  g_free (line->label);
  g_free (line->value);
  g_free (line);
}

static void
section_free (gpointer data)
{
  BtReportSection *section = data;

  g_free (section->heading);
  g_ptr_array_unref (section->lines);
  g_free (section);
}

void
bt_report_free (BtReport *report)
{
  if (report == NULL)
    return;
  g_free (report->title);
  g_free (report->warning);
  g_ptr_array_unref (report->sections);
  g_free (report);
}

static BtReportSection *
add_section (BtReport   *report,
             const char *heading)
{
  BtReportSection *section = g_new0 (BtReportSection, 1);

  section->heading = g_strdup (heading);
  section->lines = g_ptr_array_new_with_free_func (line_free);
  g_ptr_array_add (report->sections, section);
  return section;
}

static void
add_line (BtReportSection *section,
          const char      *label,
          char            *value)
{
  BtReportLine *line = g_new0 (BtReportLine, 1);

  line->label = g_strdup (label);
  line->value = value;
  g_ptr_array_add (section->lines, line);
}

static void
add_sentence (BtReportSection *section,
              const char      *text)
{
  add_line (section, NULL, g_strdup (text));
}

/* The report is text for people: numbers in the user's locale, grouped
 * ("12.345,67" in pt_BR), DECIMALS after the separator. */
static void
add_value (BtReportSection *section,
           const char      *label,
           double           value,
           int              decimals)
{
  add_line (section, label, isnan (value) ? g_strdup (_("missing"))
                                          : g_strdup_printf ("%'.*f", decimals, value));
}

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

char *
bt_report_to_text (const BtReport *report)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (report != NULL, NULL);

  g_string_append_printf (s, "%s\n\n", report->title);
  if (report->warning != NULL)
    g_string_append_printf (s, "%s\n\n", report->warning);
  for (guint i = 0; i < report->sections->len; i++)
    {
      BtReportSection *section = g_ptr_array_index (report->sections, i);

      if (i > 0)
        g_string_append_c (s, '\n');
      g_string_append_printf (s, "%s\n", section->heading);
      for (guint k = 0; k < section->lines->len; k++)
        {
          BtReportLine *line = g_ptr_array_index (section->lines, k);

          if (line->label == NULL)
            g_string_append_printf (s, "  %s\n", line->value);
          else
            {
              append_label (s, line->label, 22);
              g_string_append_printf (s, " %s\n", line->value);
            }
        }
    }
  return g_string_free (s, FALSE);
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

BtReport *
bt_report_new (BtEngine  *engine,
               BtDay      day,
               GError   **error)
{
  BtStore *store;
  g_autoptr(BtMarketDay) md = NULL;
  g_autoptr(GPtrArray) positions = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) wallets = NULL;
  BtReport *report;
  BtReportSection *section;
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
  report = g_new0 (BtReport, 1);
  report->sections = g_ptr_array_new_with_free_func (section_free);
  {
    /* the day the report is asked for (today by default) against the
     * newest data: old data is said first, not in a footnote */
    BtDay asked = day == BT_DAY_INVALID ? bt_day_today_utc () : day;

    report->warning = bt_report_stale_line (MIN (asked, last), asked,
                                            bt_engine_get_rules (engine)->fresh_daily_days);
  }
  if (day == BT_DAY_INVALID || day > last)
    day = last;
  report->day = day;
  md = bt_store_get_market_day (store, day, error);
  if (md == NULL)
    {
      bt_report_free (report);
      return NULL;
    }
  report->market = bt_market_day_get_market (md);
  positions = bt_store_list_latest_positions (store, NULL);
  has_pos = positions != NULL && positions->len > 0;
  if (has_pos)
    bt_position_to_state (g_ptr_array_index (positions, 0), &state);

  report->title = g_strdup_printf (_("BTC Turbo daily report — %s"), bt_day_format (day, date));
  section = add_section (report, _("Market"));
  add_value (section, _("BTC price (USD)"), bt_market_day_get_btc_price (md), 2);
  add_value (section, _("Market score"), bt_market_day_get_market (md), 1);
  add_value (section, _("Cycle"), bt_market_day_get_category (md, BT_CATEGORY_CYCLE), 1);
  add_value (section, _("Momentum"), bt_market_day_get_category (md, BT_CATEGORY_MOMENTUM), 1);
  add_value (section, _("Technical"), bt_market_day_get_category (md, BT_CATEGORY_TECHNICAL), 1);
  add_value (section, _("Confidence"), bt_market_day_get_confidence (md), 1);

  section = add_section (report, _("Decision"));
  if (bt_engine_decide (engine, day, has_pos ? &state : NULL, &decision, &inputs, NULL))
    {
      g_autofree char *reason = bt_decision_dup_reason (&decision, &inputs, has_pos ? &state : NULL,
                                                        bt_engine_get_rules (engine));

      /* Translators: the decision in the daily report: the action, its
       * urgency and the rule that decided, e.g. "Hold (low urgency), rule: hold" */
      add_line (section, NULL, g_strdup_printf (_("%s (%s), rule: %s"), _(action_labels[decision.action]),
                                                _(urgency_labels[decision.urgency]),
                                                _(rule_labels[decision.rule])));
      add_value (section, _("Size (%)"), decision.size_percent, 1);
      add_value (section, _("Target leverage"), decision.target_leverage, 2);
      if (reason != NULL)
        add_sentence (section, reason);
    }
  else
    add_sentence (section, _("not available"));

  section = add_section (report, _("Positions"));
  wallets = bt_store_list_wallets (store, NULL);
  if (!has_pos && (wallets == NULL || wallets->len == 0))
    add_sentence (section, _("no wallet configured"));
  else if (!has_pos)
    {
      BtSourceStatus st = { 0 };
      GString *text = g_string_new (NULL);

      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u wallet, not read yet",
                                                 "%u wallets, not read yet", wallets->len),
                              wallets->len);
      if (bt_store_get_source_status (store, BT_SOURCE_ETHEREUM, &st, NULL) && st.last_error != NULL)
        g_string_append_printf (text, ": %s", st.last_error);
      add_line (section, NULL, g_string_free (text, FALSE));
      bt_source_status_clear (&st);
    }
  for (guint i = 0; positions != NULL && i < positions->len; i++)
    {
      BtPosition *p = g_ptr_array_index (positions, i);
      const BtPositionData *d = bt_position_get_data (p);

      add_sentence (section, bt_position_get_wallet (p));
      add_value (section, _("Collateral (USD)"), d->collateral_usd, 2);
      add_value (section, _("Debt (USD)"), d->debt_usd, 2);
      add_value (section, _("Health factor"), d->health_factor, 3);
      add_value (section, _("Liquidation price"), d->liquidation_price, 2);
      add_value (section, _("Leverage"), d->leverage, 2);
      add_value (section, _("Risk score"), d->risk_score, 1);
    }

  section = add_section (report, _("Active alerts"));
  alerts = bt_store_list_alerts (store, TRUE, NULL);
  if (alerts == NULL || alerts->len == 0)
    add_sentence (section, _("none"));
  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      BtAlert *a = g_ptr_array_index (alerts, i);
      g_autofree char *message = bt_alert_dup_display_message (a);

      add_line (section, NULL, g_strdup_printf ("[%s] %s", bt_severity_name (bt_alert_get_severity (a)),
                                                message));
    }

  section = add_section (report, _("Data sources"));
  for (int src = BT_SOURCE_BINANCE; src <= BT_SOURCE_NOTION; src++)
    {
      BtSourceStatus st = { 0 };

      if (bt_store_get_source_status (store, src, &st, NULL) && (st.last_success > 0 || st.last_failure > 0))
        add_line (section, bt_source_display_name (src),
                  g_strdup_printf ("%s%s%s", st.stale ? _("stale") : _("ok"),
                                   st.last_error != NULL && st.stale ? ": " : "",
                                   st.last_error != NULL && st.stale ? st.last_error : ""));
      bt_source_status_clear (&st);
    }
  if (section->lines->len == 0)
    add_sentence (section, _("none asked yet"));
  return report;
}

char *
bt_report_build (BtEngine  *engine,
                 BtDay      day,
                 GError   **error)
{
  g_autoptr(BtReport) report = bt_report_new (engine, day, error);

  if (report == NULL)
    return NULL;
  return bt_report_to_text (report);
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
