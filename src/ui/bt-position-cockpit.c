/* bt-position-cockpit.c: the Position page's cockpit: a position entered
 * by hand or read from a wallet, saved in the store, with what-if figures
 * and the liquidation stress of bt-stress.h. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "bt-position-page-internal.h"
#include "bt-ui-util.h"

static const char *price_titles[BT_POSITION_PRICE_N] = {
  N_("BTC price"),
  N_("Health factor"),
  N_("Liquidation price"),
  N_("Distance to liquidation"),
};

static const char *leverage_titles[BT_POSITION_LEVERAGE_N] = {
  N_("Collateral"),
  N_("Debt"),
  N_("Health factor"),
  N_("Liquidation price"),
  N_("Distance to liquidation"),
};
/* ---- the cockpit -------------------------------------------------------- */

/* A number as typed: the locale's decimal separator (or a point), the
 * other separator taken for grouping; spaces, "−", "%" and "×" allowed.
 * FALSE for an empty or unreadable text. */
static gboolean
parse_amount (const char *text,
              double     *out)
{
  const struct lconv *lc = localeconv ();
  gboolean comma_decimal = lc->decimal_point != NULL && g_str_equal (lc->decimal_point, ",");
  g_autoptr(GString) clean = g_string_new (NULL);
  gboolean has_comma = strchr (text, ',') != NULL;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x202F || c == 0x00A0 || c == '%' || c == 0x00D7
          || c == 'x' || c == 'X' || c == '$')
        continue;
      if (c == 0x2212)
        g_string_append_c (clean, '-');
      else if (c == ',')
        {
          /* the decimal comma of the locale; elsewhere a group separator */
          if (comma_decimal)
            g_string_append_c (clean, '.');
        }
      else if (c == '.')
        {
          /* a point is decimal, except as a group separator beside a decimal comma */
          if (!(comma_decimal && has_comma))
            g_string_append_c (clean, '.');
        }
      else if (c < 0x80)
        g_string_append_c (clean, (char) c);
      else
        return FALSE;
    }
  if (clean->len == 0)
    return FALSE;
  return bt_parse_double (clean->str, out);
}

static gboolean
entry_amount (AdwEntryRow *entry,
              double      *out)
{
  return parse_amount (gtk_editable_get_text (GTK_EDITABLE (entry)), out);
}

static gboolean
unit_is_btc (BtPositionPage *self)
{
  return gtk_drop_down_get_selected (self->unit_dropdown) == 0;
}

static void
show_cockpit_error (BtPositionPage *self,
                    const char     *message)
{
  gtk_label_set_label (self->cockpit_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->cockpit_error_label), message != NULL);
}

/* The position in the entries: collateral in USD at the latest price, debt,
 * threshold; FALSE with the reason (NULL: nothing typed yet). */
static gboolean
read_cockpit (BtPositionPage *self,
              double         *collateral_usd,
              double         *debt_usd,
              double         *lt,
              char          **reason)
{
  double amount, debt = 0;
  const char *debt_text = gtk_editable_get_text (GTK_EDITABLE (self->debt_entry));

  *reason = NULL;
  if (*gtk_editable_get_text (GTK_EDITABLE (self->collateral_entry)) == '\0')
    return FALSE;
  if (!entry_amount (self->collateral_entry, &amount) || amount < 0)
    {
      *reason = g_strdup (_("Type the collateral as a positive number"));
      return FALSE;
    }
  if (*debt_text != '\0' && (!entry_amount (self->debt_entry, &debt) || debt < 0))
    {
      *reason = g_strdup (_("Type the debt as zero or a positive number of USD"));
      return FALSE;
    }
  if (!entry_amount (self->lt_entry, lt) || !(*lt > 0 && *lt < 1))
    {
      *reason = g_strdup (_("The liquidation threshold must lie between 0 and 1 (e.g. 0.78)"));
      return FALSE;
    }
  if (unit_is_btc (self))
    {
      if (!isfinite (self->price))
        {
          *reason = g_strdup (_("There is no BTC price yet to value the collateral: import or download the history, or give it in USD"));
          return FALSE;
        }
      amount *= self->price;
    }
  if (!(amount > debt))
    {
      *reason = g_strdup (_("The debt must stay below the collateral"));
      return FALSE;
    }
  *collateral_usd = amount;
  *debt_usd = debt;
  return TRUE;
}

static void
set_label (GtkLabel *label,
           char     *text)   /* owned */
{
  gtk_label_set_label (label, text);
  g_free (text);
}

/* "1.60 · liquidation $25,000, 37.5 % away" */
static char *
figures_text (double health_factor,
              double liquidation_price,
              double distance,
              double leverage)
{
  g_autofree char *hf = bt_ui_format_number (health_factor, 2);
  g_autofree char *lp = bt_ui_format_usd (liquidation_price);
  g_autofree char *ld = bt_ui_format_percent (distance, 1);
  g_autofree char *lev = bt_ui_format_leverage (leverage);

  if (isnan (health_factor))
    /* Translators: the figures of a position without debt; %s is its leverage */
    return g_strdup_printf (_("Leverage %s · no debt, nothing to liquidate"), lev);
  /* Translators: a position's figures: leverage, health factor, liquidation price and its distance */
  return g_strdup_printf (_("Leverage %s · health factor %s · liquidation at %s, %s away"), lev, hf,
                          lp, ld);
}

static void
clear_whatif (BtPositionPage *self)
{
  for (guint i = 0; i < BT_POSITION_PRICE_N; i++)
    gtk_label_set_label (self->price_values[i], "—");
  for (guint i = 0; i < BT_POSITION_LEVERAGE_N; i++)
    gtk_label_set_label (self->leverage_values[i], "—");
  adw_action_row_set_subtitle (self->trade_row, "—");
}

static void
update_whatif (BtPositionPage *self,
               double          collateral,
               double          debt,
               double          lt)
{
  BtWhatIf w;
  double change, target;

  clear_whatif (self);
  if (entry_amount (self->price_change_entry, &change)
      && bt_whatif_price_change (collateral, debt, lt, self->price, change, &w))
    {
      set_label (self->price_values[BT_POSITION_PRICE_PRICE], bt_ui_format_usd (w.price));
      set_label (self->price_values[BT_POSITION_PRICE_HEALTH_FACTOR], bt_ui_format_number (w.health_factor, 2));
      set_label (self->price_values[BT_POSITION_PRICE_LIQUIDATION_PRICE], bt_ui_format_usd (w.liquidation_price));
      /* at or past the liquidation price: say so rather than a negative distance */
      if (isfinite (w.health_factor) && w.health_factor <= 1)
        gtk_label_set_label (self->price_values[BT_POSITION_PRICE_DISTANCE], _("Liquidated"));
      else
        set_label (self->price_values[BT_POSITION_PRICE_DISTANCE], bt_ui_format_percent (w.liquidation_distance, 1));
    }

  if (!entry_amount (self->leverage_entry, &target))
    return;
  if (!bt_whatif_leverage (collateral, debt, lt, self->price, target, &w))
    {
      g_autofree char *max = bt_ui_format_leverage (1 / (1 - lt));

      g_autofree char *text = NULL;

      /* Translators: %s is the leverage at which a position is liquidated at once */
      text = g_strdup_printf (_("Choose a leverage from 1× to below %s"), max);
      adw_action_row_set_subtitle (self->trade_row, text);
      return;
    }
  {
    g_autofree char *usd = bt_ui_format_usd (fabs (w.trade_usd));
    g_autofree char *btc = bt_ui_format_number (fabs (w.trade_btc), 4);
    g_autofree char *text = NULL;

    if (fabs (w.trade_usd) < 0.005)
      text = g_strdup (_("No trade: the position is already at this leverage"));
    else if (w.trade_usd > 0)
      /* Translators: the trade that raises leverage: USD borrowed, BTC bought */
      text = g_strdup_printf (_("Borrow %s and buy %s BTC"), usd, btc);
    else
      /* Translators: the trade that lowers leverage: BTC sold, USD repaid */
      text = g_strdup_printf (_("Sell %s BTC and repay %s"), btc, usd);
    adw_action_row_set_subtitle (self->trade_row, text);
  }
  set_label (self->leverage_values[BT_POSITION_LEVERAGE_COLLATERAL], bt_ui_format_usd (w.collateral_usd));
  set_label (self->leverage_values[BT_POSITION_LEVERAGE_DEBT], bt_ui_format_usd (w.debt_usd));
  set_label (self->leverage_values[BT_POSITION_LEVERAGE_HEALTH_FACTOR], bt_ui_format_number (w.health_factor, 2));
  set_label (self->leverage_values[BT_POSITION_LEVERAGE_LIQUIDATION_PRICE], bt_ui_format_usd (w.liquidation_price));
  set_label (self->leverage_values[BT_POSITION_LEVERAGE_DISTANCE], bt_ui_format_percent (w.liquidation_distance, 1));
}

static char *
window_title (guint days)
{
  /* Translators: the length of a stress window */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", days), days);
}

static void
set_stress_summary (BtPositionPage *self,
                    char           *summary)   /* owned */
{
  if (g_strcmp0 (summary, self->stress_summary) == 0)
    {
      g_free (summary);
      return;
    }
  g_free (self->stress_summary);
  self->stress_summary = summary;
  g_object_notify_by_pspec (G_OBJECT (self), bt_position_page_props[PROP_STRESS_SUMMARY]);
}

static void
update_stress (BtPositionPage *self,
               gboolean        valid,
               double          collateral,
               double          debt,
               double          lt)
{
  BtEngine *engine = bt_page_get_engine (BT_PAGE (self));
  const BtHistory *history = engine != NULL ? bt_engine_get_history (engine) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *day = NULL;
  g_autofree char *description = NULL;
  BtStressResult r;

  for (guint k = 0; k < BT_STRESS_N_WINDOWS; k++)
    {
      adw_action_row_set_subtitle (self->stress_rows[k], "—");
      gtk_label_set_label (self->stress_share[k], "");
      gtk_label_set_label (self->stress_safe[k], "");
      gtk_widget_remove_css_class (GTK_WIDGET (self->stress_share[k]), "error");
    }
  if (history == NULL || self->price_day == BT_DAY_INVALID)
    {
      adw_preferences_group_set_description (self->stress_group,
                                             _("No daily history yet: import or download it to see the worst falls"));
      set_stress_summary (self, NULL);
      return;
    }
  if (!valid)
    {
      collateral = 1;   /* the falls alone: nothing liquidates without debt */
      debt = 0;
      if (!(lt > 0 && lt < 1))
        lt = NAN;
    }
  if (!bt_stress_compute (history, self->price_day, collateral, debt, lt, NAN, &r, &error))
    {
      adw_preferences_group_set_description (self->stress_group, error->message);
      set_stress_summary (self, NULL);
      return;
    }

  day = bt_ui_format_day (self->price_day);
  if (valid && isfinite (r.liquidation_distance))
    {
      g_autofree char *distance = bt_ui_format_percent (r.liquidation_distance, 1);

      /* Translators: %s: the last day of the history; %s: the position's distance to liquidation */
      description = g_strdup_printf (_("The worst falls of BTC in the daily history up to %s, against this position’s distance to liquidation of %s"),
                                     day, distance);
    }
  else if (valid)
    description = g_strdup_printf (_("The worst falls of BTC in the daily history up to %s; without debt this position cannot be liquidated"),
                                   day);
  else
    description = g_strdup_printf (_("The worst falls of BTC in the daily history up to %s; enter a position to see whether they would have liquidated it"),
                                   day);
  adw_preferences_group_set_description (self->stress_group, description);

  for (guint k = 0; k < BT_STRESS_N_WINDOWS; k++)
    {
      const BtStressWindow *win = &r.windows[k];
      g_autofree char *fall = bt_ui_format_percent (win->worst_fall, 2);
      g_autofree char *start = bt_ui_format_day (win->worst_start);
      g_autofree char *subtitle = NULL;

      if (win->n_windows == 0)
        {
          adw_action_row_set_subtitle (self->stress_rows[k], _("Not enough history"));
          continue;
        }
      /* Translators: the worst fall of a window and the day it started */
      subtitle = g_strdup_printf (_("Worst fall %s, from %s"), fall, start);
      adw_action_row_set_subtitle (self->stress_rows[k], subtitle);
      if (valid && isfinite (r.liquidation_distance))
        {
          g_autofree char *share = bt_ui_format_percent (win->exceed_share, 2);
          g_autofree char *text = NULL;

          /* Translators: the share of windows whose fall would have liquidated the position */
          text = g_strdup_printf (_("%s liquidated"), share);
          gtk_label_set_label (self->stress_share[k], text);
          if (win->n_exceed > 0)
            gtk_widget_add_css_class (GTK_WIDGET (self->stress_share[k]), "error");
        }
      if (isfinite (win->safe_leverage))
        {
          g_autofree char *safe = bt_ui_format_leverage (win->safe_leverage);
          g_autofree char *text = NULL;

          /* Translators: every leverage below this one survived the worst fall */
          text = g_strdup_printf (_("survived below %s"), safe);
          gtk_label_set_label (self->stress_safe[k], text);
        }
      else if (isinf (win->safe_leverage))
        gtk_label_set_label (self->stress_safe[k], _("any leverage survived"));
    }

  /* the Dashboard's line: the worst week against this position */
  if (valid && isfinite (r.liquidation_distance) && r.windows[3].n_windows > 0)
    {
      g_autofree char *fall = bt_ui_format_percent (r.windows[3].worst_fall, 1);
      g_autofree char *distance = bt_ui_format_percent (r.liquidation_distance, 1);

      if (r.windows[3].n_exceed > 0)
        /* Translators: the Dashboard's stress line; %s: worst 7-day fall, %s: distance to liquidation */
        set_stress_summary (self, g_strdup_printf (_("Liquidation stress: the worst 7-day fall of the history, %s, is beyond the cockpit position’s distance to liquidation of %s (see Position)"),
                                                   fall, distance));
      else
        set_stress_summary (self, g_strdup_printf (_("Liquidation stress: the cockpit position would have survived the worst 7-day fall of the history, %s, with a distance to liquidation of %s (see Position)"),
                                                   fall, distance));
    }
  else
    set_stress_summary (self, NULL);
}

void
_bt_position_page_update_cockpit (BtPositionPage *self)
{
  g_autofree char *reason = NULL;
  double collateral = NAN, debt = NAN, lt = NAN;
  gboolean valid;

  if (self->loading)
    return;
  valid = read_cockpit (self, &collateral, &debt, &lt, &reason);
  show_cockpit_error (self, reason);
  /* the price every figure is at: the history's latest close */
  if (isfinite (self->price))
    {
      g_autofree char *price = bt_ui_format_usd (self->price);
      g_autofree char *day = bt_ui_format_day (self->price_day);
      g_autofree char *title = NULL;

      /* Translators: the cockpit's current figures; %s: BTC price, %s: its day */
      title = g_strdup_printf (_("Now, at BTC %s (close of %s)"), price, day);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->now_row), title);
    }
  else
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->now_row), _("Now"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), valid);
  if (valid)
    {
      double hf = debt > 0 ? collateral * lt / debt : NAN;
      g_autofree char *now = figures_text (hf, debt > 0 ? self->price / hf : NAN,
                                           debt > 0 ? (1 - 1 / hf) * 100 : NAN,
                                           collateral / (collateral - debt));

      adw_action_row_set_subtitle (self->now_row, now);
      update_whatif (self, collateral, debt, lt);
    }
  else
    {
      adw_action_row_set_subtitle (self->now_row,
                                   reason == NULL ? _("Enter the collateral, the debt and the liquidation threshold") : "—");
      clear_whatif (self);
    }
  if (!valid && !entry_amount (self->lt_entry, &lt))
    lt = NAN;
  update_stress (self, valid, collateral, debt, lt);
}

void
_bt_position_page_on_cockpit_changed_cb (GtkWidget      *widget,
                                         BtPositionPage *self)
{
  _bt_position_page_update_cockpit (self);
}

void
_bt_position_page_on_unit_changed_cb (GObject        *object,
                                      GParamSpec     *pspec,
                                      BtPositionPage *self)
{
  _bt_position_page_update_cockpit (self);
}

static void
fill_cockpit (BtPositionPage *self,
              const char     *name,
              double          amount,
              gboolean        in_btc,
              double          debt,
              double          lt)
{
  char amount_text[G_ASCII_DTOSTR_BUF_SIZE];
  char debt_text[G_ASCII_DTOSTR_BUF_SIZE];
  char lt_text[G_ASCII_DTOSTR_BUF_SIZE];

  /* written with a point and no grouping, which parse_amount reads in
   * every locale */
  g_ascii_formatd (amount_text, sizeof amount_text, in_btc ? "%.8g" : "%.2f", amount);
  g_ascii_formatd (debt_text, sizeof debt_text, "%.2f", debt);
  g_ascii_formatd (lt_text, sizeof lt_text, "%.4g", lt);
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name != NULL ? name : "");
  gtk_drop_down_set_selected (self->unit_dropdown, in_btc ? 0 : 1);
  gtk_editable_set_text (GTK_EDITABLE (self->collateral_entry), amount_text);
  gtk_editable_set_text (GTK_EDITABLE (self->debt_entry), debt_text);
  gtk_editable_set_text (GTK_EDITABLE (self->lt_entry), isfinite (lt) ? lt_text : "0.78");
  self->loading = FALSE;
  _bt_position_page_update_cockpit (self);
}

void
_bt_position_page_load_wallet (BtPositionPage *self,
                               Wallet         *wallet,
                               gboolean        scroll)
{
  const BtPositionState *st = &wallet->state;
  g_autofree char *name = _bt_position_page_short_address (wallet->address);
  double lt = NAN;

  if (!wallet->has_reading || !isfinite (st->collateral_usd))
    {
      bt_page_message (BT_PAGE (self), _("This wallet has no reading yet"));
      return;
    }
  /* HF = C·LT/B gives back the threshold of the reading */
  if (st->debt_usd > 0 && isfinite (st->health_factor) && st->collateral_usd > 0)
    lt = st->health_factor * st->debt_usd / st->collateral_usd;
  self->loaded_id = 0;
  fill_cockpit (self, name, st->collateral_usd, FALSE, MAX (st->debt_usd, 0), lt);
  if (scroll)
    bt_position_page_scroll_to_cockpit (self);
}

void
_bt_position_page_load_saved (BtPositionPage         *self,
                              const BtManualPosition *position)
{
  gboolean in_btc = isfinite (position->collateral_btc);

  fill_cockpit (self, position->name, in_btc ? position->collateral_btc : position->collateral_usd,
                in_btc, position->debt_usd, position->liquidation_threshold);
  self->loaded_id = position->id;
}

static void
on_saved_activated_cb (AdwActionRow   *row,
                       BtPositionPage *self)
{
  guint index;

  if (g_ptr_array_find (self->saved_rows, row, &index))
    _bt_position_page_load_saved (self, g_ptr_array_index (self->saved, index));
}

static void
on_saved_remove_clicked_cb (GtkButton      *button,
                            BtPositionPage *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "id");
  g_autoptr(GError) error = NULL;

  if (bt_page_get_store (BT_PAGE (self)) == NULL)
    return;
  if (!bt_store_remove_manual_position (bt_page_get_store (BT_PAGE (self)), id, &error))
    {
      bt_page_message (BT_PAGE (self), error->message);
      return;
    }
  if (self->loaded_id == id)
    self->loaded_id = 0;
  bt_position_page_refresh (self);
}

static char *
saved_subtitle (const BtManualPosition *p)
{
  g_autofree char *collateral = isfinite (p->collateral_btc)
                                ? bt_ui_format_number (p->collateral_btc, 4)
                                : bt_ui_format_usd (p->collateral_usd);
  g_autofree char *debt = bt_ui_format_usd (p->debt_usd);
  g_autofree char *lt = bt_ui_format_number (p->liquidation_threshold, 2);

  if (isfinite (p->collateral_btc))
    /* Translators: a saved position: BTC collateral, USD debt, liquidation threshold */
    return g_strdup_printf (_("%s BTC against %s · threshold %s"), collateral, debt, lt);
  /* Translators: a saved position: USD collateral, USD debt, liquidation threshold */
  return g_strdup_printf (_("%s against %s · threshold %s"), collateral, debt, lt);
}

static gboolean
same_number (double a,
             double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

/* The rows stay (and keep the focus) while nothing saved changed. */
gboolean
_bt_position_page_same_saved (GPtrArray *a,
                              GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      BtManualPosition *x = g_ptr_array_index (a, i);
      BtManualPosition *y = g_ptr_array_index (b, i);

      if (x->id != y->id || g_strcmp0 (x->name, y->name) != 0
          || !same_number (x->collateral_btc, y->collateral_btc)
          || !same_number (x->collateral_usd, y->collateral_usd)
          || !same_number (x->debt_usd, y->debt_usd)
          || !same_number (x->liquidation_threshold, y->liquidation_threshold))
        return FALSE;
    }
  return TRUE;
}

void
_bt_position_page_rebuild_saved (BtPositionPage *self)
{
  for (guint i = 0; i < self->saved_rows->len; i++)
    adw_preferences_group_remove (self->saved_group, g_ptr_array_index (self->saved_rows, i));
  g_ptr_array_set_size (self->saved_rows, 0);

  for (guint i = 0; i < self->saved->len; i++)
    {
      BtManualPosition *p = g_ptr_array_index (self->saved, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *subtitle = saved_subtitle (p);
      g_autofree char *remove_label = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), p->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_signal_connect (row, "activated", G_CALLBACK (on_saved_activated_cb), self);

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove Position"));
      /* Translators: the accessible name of a saved position's remove button; %s is its name */
      remove_label = g_strdup_printf (_("Remove position %s"), p->name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_label, -1);
      g_object_set_data_full (G_OBJECT (remove), "id", g_memdup2 (&p->id, sizeof p->id), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_saved_remove_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      g_object_set_data (G_OBJECT (row), "remove-button", remove);

      adw_preferences_group_add (self->saved_group, row);
      g_ptr_array_add (self->saved_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->saved_group), self->saved->len > 0);
}

void
_bt_position_page_on_save_clicked_cb (GtkButton      *button,
                                      BtPositionPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!bt_position_page_save_position (self, &error))
    show_cockpit_error (self, error->message);
}

void
_bt_position_page_on_status_changed_cb (BtScheduler    *scheduler,
                                        int             source,
                                        BtPositionPage *self)
{
  if (source == BT_SOURCE_ETHEREUM)
    bt_position_page_refresh (self);
}

/* A row of @group titled @title with a numeric value at its end, "—"
 * until there is one; returns the value's label. */
static GtkLabel *
add_value_row (AdwPreferencesGroup *group,
               const char          *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value = gtk_label_new ("—");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (value, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  adw_preferences_group_add (group, row);
  return GTK_LABEL (value);
}

void
_bt_position_page_build_cockpit_rows (BtPositionPage *self)
{
  for (guint i = 0; i < BT_POSITION_PRICE_N; i++)
    self->price_values[i] = add_value_row (self->whatif_group, _(price_titles[i]));

  self->trade_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->trade_row), _("Trade"));
  adw_preferences_group_add (self->leverage_group, GTK_WIDGET (self->trade_row));
  for (guint i = 0; i < BT_POSITION_LEVERAGE_N; i++)
    self->leverage_values[i] = add_value_row (self->leverage_group, _(leverage_titles[i]));

  for (guint k = 0; k < BT_STRESS_N_WINDOWS; k++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *share = gtk_label_new ("");
      GtkWidget *safe = gtk_label_new ("");
      g_autofree char *title = window_title (bt_stress_window_days[k]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      gtk_label_set_xalign (GTK_LABEL (share), 1);
      gtk_label_set_xalign (GTK_LABEL (safe), 1);
      gtk_widget_add_css_class (share, "numeric");
      gtk_widget_add_css_class (safe, "numeric");
      gtk_widget_add_css_class (safe, "dim-label");
      gtk_widget_set_tooltip_text (share, _("Share of these windows whose fall would have liquidated this position"));
      gtk_widget_set_tooltip_text (safe, _("Every leverage below this one survived the worst fall"));
      gtk_box_append (GTK_BOX (box), share);
      gtk_box_append (GTK_BOX (box), safe);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
      adw_preferences_group_add (self->stress_group, row);
      self->stress_rows[k] = ADW_ACTION_ROW (row);
      self->stress_share[k] = GTK_LABEL (share);
      self->stress_safe[k] = GTK_LABEL (safe);
    }
}

const char *
bt_position_page_get_stress_summary (BtPositionPage *self)
{
  g_return_val_if_fail (BT_IS_POSITION_PAGE (self), NULL);
  return self->stress_summary;
}

void
bt_position_page_enter_position (BtPositionPage *self,
                                 const char     *name,
                                 const char     *collateral,
                                 gboolean        in_btc,
                                 const char     *debt,
                                 const char     *liquidation_threshold)
{
  g_return_if_fail (BT_IS_POSITION_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name != NULL ? name : "");
  gtk_drop_down_set_selected (self->unit_dropdown, in_btc ? 0 : 1);
  gtk_editable_set_text (GTK_EDITABLE (self->collateral_entry), collateral != NULL ? collateral : "");
  gtk_editable_set_text (GTK_EDITABLE (self->debt_entry), debt != NULL ? debt : "");
  if (liquidation_threshold != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->lt_entry), liquidation_threshold);
}

void
bt_position_page_set_price_change (BtPositionPage *self,
                                   const char     *percent)
{
  g_return_if_fail (BT_IS_POSITION_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->price_change_entry), percent);
}

void
bt_position_page_set_target_leverage (BtPositionPage *self,
                                      const char     *leverage)
{
  g_return_if_fail (BT_IS_POSITION_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->leverage_entry), leverage);
}

gboolean
bt_position_page_save_position (BtPositionPage  *self,
                                GError         **error)
{
  g_autoptr(BtManualPosition) p = bt_manual_position_new ();
  double amount = NAN;
  gint64 id;

  g_return_val_if_fail (BT_IS_POSITION_PAGE (self), FALSE);

  if (bt_page_get_store (BT_PAGE (self)) == NULL)
    {
      g_set_error (error, BT_POSITION_PAGE_ERROR, BT_POSITION_PAGE_ERROR_NO_STORE,
                   _("There is no database to save the position in"));
      return FALSE;
    }
  p->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  if (!entry_amount (self->collateral_entry, &amount))
    amount = NAN;
  if (unit_is_btc (self))
    p->collateral_btc = amount;
  else
    p->collateral_usd = amount;
  if (*gtk_editable_get_text (GTK_EDITABLE (self->debt_entry)) == '\0')
    p->debt_usd = 0;
  else if (!entry_amount (self->debt_entry, &p->debt_usd))
    p->debt_usd = NAN;
  if (!entry_amount (self->lt_entry, &p->liquidation_threshold))
    p->liquidation_threshold = NAN;

  /* the position in the cockpit is updated while its name is kept */
  for (guint i = 0; i < self->saved->len; i++)
    {
      BtManualPosition *old = g_ptr_array_index (self->saved, i);

      if (old->id == self->loaded_id && g_strcmp0 (old->name, p->name) == 0)
        p->id = old->id;
    }
  id = bt_store_save_manual_position (bt_page_get_store (BT_PAGE (self)), p, error);
  if (id == 0)
    return FALSE;
  self->loaded_id = id;
  bt_position_page_refresh (self);
  {
    g_autofree char *message = g_strdup_printf (_("Position “%s” saved"), p->name);

    bt_page_message (BT_PAGE (self), message);
  }
  return TRUE;
}

guint
bt_position_page_get_n_saved (BtPositionPage *self)
{
  g_return_val_if_fail (BT_IS_POSITION_PAGE (self), 0);
  return self->saved->len;
}

void
bt_position_page_load_saved (BtPositionPage *self,
                             guint           index)
{
  g_return_if_fail (BT_IS_POSITION_PAGE (self));
  g_return_if_fail (index < self->saved_rows->len);

  g_signal_emit_by_name (g_ptr_array_index (self->saved_rows, index), "activated");
}

void
bt_position_page_remove_saved (BtPositionPage *self,
                               guint           index)
{
  GtkWidget *row;

  g_return_if_fail (BT_IS_POSITION_PAGE (self));
  g_return_if_fail (index < self->saved_rows->len);

  /* the row's remove button, as a click would */
  row = g_ptr_array_index (self->saved_rows, index);
  g_signal_emit_by_name (g_object_get_data (G_OBJECT (row), "remove-button"), "clicked");
}

void
bt_position_page_open_wallet_in_cockpit (BtPositionPage *self,
                                         const char     *address)
{
  Wallet *wallet;

  g_return_if_fail (BT_IS_POSITION_PAGE (self));

  wallet = _bt_position_page_find_wallet (self, address);
  if (wallet != NULL)
    _bt_position_page_load_wallet (self, wallet, TRUE);
}

const char *
bt_position_page_get_now_text (BtPositionPage *self)
{
  g_return_val_if_fail (BT_IS_POSITION_PAGE (self), NULL);
  return adw_action_row_get_subtitle (self->now_row);
}

const char *
bt_position_page_get_cockpit_error (BtPositionPage *self)
{
  g_return_val_if_fail (BT_IS_POSITION_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->cockpit_error_label)))
    return NULL;
  return gtk_label_get_label (self->cockpit_error_label);
}

const char *
bt_position_page_get_price_value (BtPositionPage      *self,
                                  BtPositionPriceRow   row)
{
  g_return_val_if_fail (BT_IS_POSITION_PAGE (self), NULL);
  g_return_val_if_fail (row < BT_POSITION_PRICE_N, NULL);
  return gtk_label_get_label (self->price_values[row]);
}

const char *
bt_position_page_get_leverage_value (BtPositionPage       *self,
                                     BtPositionLeverageRow row)
{
  g_return_val_if_fail (BT_IS_POSITION_PAGE (self), NULL);
  g_return_val_if_fail (row < BT_POSITION_LEVERAGE_N, NULL);
  return gtk_label_get_label (self->leverage_values[row]);
}

const char *
bt_position_page_get_trade_text (BtPositionPage *self)
{
  g_return_val_if_fail (BT_IS_POSITION_PAGE (self), NULL);
  return adw_action_row_get_subtitle (self->trade_row);
}

void
bt_position_page_get_stress_row (BtPositionPage  *self,
                                 guint            window,
                                 const char     **subtitle,
                                 const char     **share,
                                 const char     **safe)
{
  g_return_if_fail (BT_IS_POSITION_PAGE (self));
  g_return_if_fail (window < BT_STRESS_N_WINDOWS);

  if (subtitle != NULL)
    *subtitle = adw_action_row_get_subtitle (self->stress_rows[window]);
  if (share != NULL)
    *share = gtk_label_get_label (self->stress_share[window]);
  if (safe != NULL)
    *safe = gtk_label_get_label (self->stress_safe[window]);
}
