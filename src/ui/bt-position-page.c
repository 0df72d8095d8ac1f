/* bt-position-page.c: the Position page of BTC Turbo: Aave wallets, the
 * position cockpit (a position entered by hand, saved in the store, with
 * what-if figures and the liquidation stress of bt-stress.h) and the
 * portfolio chart.  The page reads what it shows from its engine (prices,
 * history, saved positions, the Ethereum reader's status) and refreshes
 * itself when the scheduler reports a new status. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "bt-aave.h"
#include "bt-base.h"
#include "bt-position-page.h"
#include "bt-position-page-internal.h"
#include "bt-store-positions.h"
#include "bt-stress.h"
#include "bt-ui-compat.h"
#include "bt-ui-util.h"

G_DEFINE_FINAL_TYPE (BtPositionPage, bt_position_page, BT_TYPE_PAGE)
G_DEFINE_QUARK (bt-position-page-error-quark, bt_position_page_error)

guint bt_position_page_signals[N_SIGNALS];

GParamSpec *bt_position_page_props[N_PROPS];

static const char *row_titles[N_ROWS] = {
  N_("Health factor"),
  N_("Liquidation price"),
  N_("Distance to liquidation"),
  N_("Collateral"),
  N_("Debt"),
  N_("Leverage"),
  N_("Risk score"),
};

static void
wallet_free (gpointer data)
{
  Wallet *wallet = data;

  g_free (wallet->address);
  g_free (wallet);
}

Wallet *
_bt_position_page_find_wallet (BtPositionPage *self,
                               const char     *address)
{
  for (guint i = 0; i < self->wallets->len; i++)
    {
      Wallet *wallet = g_ptr_array_index (self->wallets, i);

      if (g_ascii_strcasecmp (wallet->address, address) == 0)
        return wallet;
    }
  return NULL;
}

char *
_bt_position_page_short_address (const char *address)
{
  size_t len = strlen (address);

  if (len <= 14)
    return g_strdup (address);
  return g_strdup_printf ("%.6s…%s", address, address + len - 4);
}

static void
on_remove_clicked_cb (GtkButton      *button,
                      BtPositionPage *self)
{
  const char *address = g_object_get_data (G_OBJECT (button), "address");
  g_autofree char *copy = g_strdup (address);

  bt_position_page_remove_wallet (self, copy);
}

static void
on_wallet_cockpit_clicked_cb (GtkButton      *button,
                              BtPositionPage *self)
{
  Wallet *wallet = _bt_position_page_find_wallet (self, g_object_get_data (G_OBJECT (button), "address"));

  if (wallet != NULL)
    _bt_position_page_load_wallet (self, wallet, TRUE);
}

/* The subtitle of a wallet without figures: the reader's error while it
 * fails, else that the first reading is awaited. */
static void
set_waiting_subtitle (BtPositionPage *self,
                      Wallet         *wallet)
{
  g_autofree char *text = NULL;

  if (self->reading_error != NULL)
    /* Translators: a wallet whose position could not be read; %s is the error */
    text = g_strdup_printf (_("Reading failed: %s"), self->reading_error);
  else
    text = g_strdup (_("Waiting for the first reading"));
  adw_expander_row_set_subtitle (wallet->row, text);
  if (self->reading_error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (wallet->row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (wallet->row), "error");
}

/* The subtitle of a wallet with a reading: its summary, and the reader's
 * error while later readings fail (the figures are then older). */
static void
set_reading_subtitle (BtPositionPage *self,
                      Wallet         *wallet)
{
  const BtPositionState *state = &wallet->state;
  g_autofree char *summary = NULL;

  if (isnan (state->health_factor))
    summary = g_strdup (_("No debt"));
  else
    {
      g_autofree char *hf = bt_ui_format_number (state->health_factor, 2);
      g_autofree char *risk = bt_ui_format_score (state->risk_score);

      /* Translators: the summary of a wallet: health factor and risk score */
      summary = g_strdup_printf (_("Health factor %s · Risk score %s"), hf, risk);
    }
  if (self->reading_error != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: a wallet's last figures, then why newer readings fail */
      text = g_strdup_printf (_("%s · the latest reading failed: %s"), summary, self->reading_error);
      adw_expander_row_set_subtitle (wallet->row, text);
    }
  else
    adw_expander_row_set_subtitle (wallet->row, summary);
}

/* A flat button at the end of WALLET's row; LABEL (taken) is its
 * accessible name. */
static void
add_wallet_button (BtPositionPage *self,
                   Wallet         *wallet,
                   const char     *icon_name,
                   const char     *tooltip,
                   char           *label,
                   GCallback       callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);
  g_autofree char *owned_label = label;

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  owned_label, -1);
  g_object_set_data_full (G_OBJECT (button), "address", g_strdup (wallet->address), g_free);
  g_signal_connect (button, "clicked", callback, self);
  bt_ui_expander_row_add_suffix (wallet->row, button);
}

static Wallet *
add_row (BtPositionPage *self,
         const char     *address)
{
  Wallet *wallet = g_new0 (Wallet, 1);
  g_autofree char *title = _bt_position_page_short_address (address);

  wallet->address = g_strdup (address);
  wallet->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (wallet->row), title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (wallet->row), address);

  add_wallet_button (self, wallet, "user-trash-symbolic", _("Remove Wallet"),
                     /* Translators: the accessible name of a wallet's remove button; %s is the address */
                     g_strdup_printf (_("Remove wallet %s"), address),
                     G_CALLBACK (on_remove_clicked_cb));
  add_wallet_button (self, wallet, "document-edit-symbolic", _("Open in the Cockpit"),
                     /* Translators: the accessible name of a wallet's cockpit button; %s is the address */
                     g_strdup_printf (_("Open wallet %s in the cockpit"), address),
                     G_CALLBACK (on_wallet_cockpit_clicked_cb));

  for (guint i = 0; i < N_ROWS; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *value = gtk_label_new ("—");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(row_titles[i]));
      gtk_widget_add_css_class (value, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
      adw_expander_row_add_row (wallet->row, row);
      wallet->rows[i] = ADW_ACTION_ROW (row);
      wallet->values[i] = GTK_LABEL (value);
    }

  adw_preferences_group_add (self->wallets_group, GTK_WIDGET (wallet->row));
  g_ptr_array_add (self->wallets, wallet);
  set_waiting_subtitle (self, wallet);
  return wallet;
}

static void
show_error (BtPositionPage *self,
            const char     *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->address_entry), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->address_entry),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->address_entry),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->address_entry), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->address_entry),
                                  GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
on_address_apply_cb (AdwEntryRow    *entry,
                     BtPositionPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (*text == '\0')
    return;
  if (!bt_position_page_add_wallet (self, text, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
on_address_changed_cb (GtkEditable    *entry,
                       BtPositionPage *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    show_error (self, NULL);
}

static void
bt_position_page_finalize (GObject *object)
{
  BtPositionPage *self = BT_POSITION_PAGE (object);

  g_clear_pointer (&self->wallets, g_ptr_array_unref);
  g_clear_pointer (&self->saved, g_ptr_array_unref);
  g_clear_pointer (&self->saved_rows, g_ptr_array_unref);
  g_free (self->reading_error);
  g_free (self->stress_summary);
  g_free (self->value);
  g_free (self->drawdown);

  G_OBJECT_CLASS (bt_position_page_parent_class)->finalize (object);
}

static void
bt_position_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BtPositionPage *self = BT_POSITION_PAGE (object);

  switch (prop_id)
    {
    case PROP_STRESS_SUMMARY:
      g_value_set_string (value, self->stress_summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void reload (BtPage    *page);
static void bind   (BtPage    *page,
                    BtContext *context);

static void
bt_position_page_class_init (BtPositionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bt_position_page_finalize;
  object_class->get_property = bt_position_page_get_property;
  BT_PAGE_CLASS (klass)->reload = reload;
  BT_PAGE_CLASS (klass)->bind = bind;

  bt_position_page_props[PROP_STRESS_SUMMARY] =
    g_param_spec_string ("stress-summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, bt_position_page_props);

  bt_position_page_signals[WALLET_ADDED] =
    g_signal_new ("wallet-added", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  bt_position_page_signals[WALLET_REMOVED] =
    g_signal_new ("wallet-removed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (BT_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/btcturbo/BtcTurbo/ui/bt-position-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, wallets_group);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, address_entry);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, chart);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, cockpit_group);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, collateral_entry);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, unit_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, debt_entry);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, lt_entry);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, now_row);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, cockpit_error_label);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, saved_group);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, whatif_group);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, price_change_entry);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, leverage_group);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, leverage_entry);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, stress_group);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_cockpit_changed_cb",
                                                G_CALLBACK (_bt_position_page_on_cockpit_changed_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_save_clicked_cb",
                                                G_CALLBACK (_bt_position_page_on_save_clicked_cb));
  gtk_widget_class_bind_template_callback (widget_class, on_address_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_address_changed_cb);
}

static void
bt_position_page_init (BtPositionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->wallets = g_ptr_array_new_with_free_func (wallet_free);
  self->saved = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_manual_position_free);
  self->saved_rows = g_ptr_array_new ();
  self->price = NAN;
  self->price_day = BT_DAY_INVALID;
  _bt_position_page_build_cockpit_rows (self);
  g_signal_connect (self->unit_dropdown, "notify::selected", G_CALLBACK (_bt_position_page_on_unit_changed_cb), self);
  _bt_position_page_update_cockpit (self);
  bt_chart_view_set_lower_range (self->chart, NAN, NAN);
  bt_chart_view_set_format_func (self->chart, FALSE, bt_ui_chart_format_usd, NULL);
  bt_chart_view_set_format_func (self->chart, TRUE, bt_ui_chart_format_percent, NULL);
  bt_chart_view_set_empty_text (self->chart, _("No portfolio history yet"));
}

gboolean
bt_position_page_validate_address (const char *address,
                                   GError    **error)
{
  g_return_val_if_fail (address != NULL, FALSE);

  /* the core's rule (the collectors', the Preferences'): 0x and 40 hex
   * digits, a mixed case matching the EIP-55 checksum */
  if (bt_aave_validate_address (address, NULL))
    return TRUE;
  /* well formed, so only the EIP-55 checksum of its mixed case is wrong */
  if (strlen (address) == 42 && address[0] == '0' && address[1] == 'x'
      && strspn (address + 2, "0123456789abcdefABCDEF") == 40)
    g_set_error (error, BT_POSITION_PAGE_ERROR, BT_POSITION_PAGE_ERROR_CHECKSUM,
                 _("The checksum of “%s” is wrong: its capital letters do not match EIP-55. Check it for typing errors, or type it all in lower case"),
                 address);
  else
    g_set_error (error, BT_POSITION_PAGE_ERROR, BT_POSITION_PAGE_ERROR_INVALID_ADDRESS,
                 _("“%s” is not an Ethereum address: type 0x followed by 40 hexadecimal digits"),
                 address);
  return FALSE;
}

gboolean
bt_position_page_add_wallet (BtPositionPage  *self,
                             const char      *address,
                             GError         **error)
{
  g_return_val_if_fail (BT_IS_POSITION_PAGE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (!bt_position_page_validate_address (address, error))
    return FALSE;
  if (_bt_position_page_find_wallet (self, address) != NULL)
    {
      g_set_error (error, BT_POSITION_PAGE_ERROR, BT_POSITION_PAGE_ERROR_DUPLICATE,
                   _("This wallet is already in the list"));
      return FALSE;
    }
  add_row (self, address);
  g_signal_emit (self, bt_position_page_signals[WALLET_ADDED], 0, address);
  return TRUE;
}

void
bt_position_page_remove_wallet (BtPositionPage *self,
                                const char     *address)
{
  Wallet *wallet;

  g_return_if_fail (BT_IS_POSITION_PAGE (self));
  g_return_if_fail (address != NULL);

  wallet = _bt_position_page_find_wallet (self, address);
  if (wallet == NULL)
    return;
  adw_preferences_group_remove (self->wallets_group, GTK_WIDGET (wallet->row));
  g_ptr_array_remove (self->wallets, wallet);
  g_signal_emit (self, bt_position_page_signals[WALLET_REMOVED], 0, address);
}

/* The addresses of the wallet rows, in order. */
static char **
dup_wallets (BtPositionPage *self)
{
  GStrvBuilder *builder;
  char **out;

  g_return_val_if_fail (BT_IS_POSITION_PAGE (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->wallets->len; i++)
    g_strv_builder_add (builder, ((Wallet *) g_ptr_array_index (self->wallets, i))->address);
  out = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return out;
}

guint
bt_position_page_get_n_wallets (BtPositionPage *self)
{
  g_return_val_if_fail (BT_IS_POSITION_PAGE (self), 0);
  return self->wallets->len;
}

void
bt_position_page_set_position (BtPositionPage        *self,
                               const char            *address,
                               const BtPositionState *state)
{
  Wallet *wallet;
  char *texts[N_ROWS];

  g_return_if_fail (BT_IS_POSITION_PAGE (self));
  g_return_if_fail (address != NULL && state != NULL);

  wallet = _bt_position_page_find_wallet (self, address);
  if (wallet == NULL)
    wallet = add_row (self, address);
  wallet->has_reading = TRUE;
  wallet->state = *state;
  gtk_widget_remove_css_class (GTK_WIDGET (wallet->row), "error");

  texts[ROW_HF] = bt_ui_format_number (state->health_factor, 2);
  texts[ROW_LIQ_PRICE] = bt_ui_format_usd (state->liquidation_price);
  texts[ROW_DISTANCE] = bt_ui_format_percent (state->liquidation_distance, 1);
  texts[ROW_COLLATERAL] = bt_ui_format_usd (state->collateral_usd);
  texts[ROW_DEBT] = bt_ui_format_usd (state->debt_usd);
  texts[ROW_LEVERAGE] = bt_ui_format_leverage (state->leverage);
  texts[ROW_RISK] = bt_ui_format_score (state->risk_score);
  for (guint i = 0; i < N_ROWS; i++)
    {
      gtk_label_set_label (wallet->values[i], texts[i]);
      g_free (texts[i]);
    }
  bt_ui_set_score_class (GTK_WIDGET (wallet->values[ROW_RISK]), state->risk_score);
  bt_ui_set_score_class (GTK_WIDGET (wallet->values[ROW_HF]), state->risk_score);

  set_reading_subtitle (self, wallet);
}

void
bt_position_page_set_portfolio (BtPositionPage *self,
                                BtDay           first_day,
                                guint           n,
                                const double   *value,
                                const double   *drawdown)
{
  BtChartSeries upper[1];
  BtChartSeries lower[1];

  g_return_if_fail (BT_IS_POSITION_PAGE (self));

  g_free (self->value);
  g_free (self->drawdown);
  self->value = value != NULL ? g_memdup2 (value, sizeof (double) * n) : NULL;
  self->drawdown = drawdown != NULL ? g_memdup2 (drawdown, sizeof (double) * n) : NULL;

  upper[0] = (BtChartSeries) { _("Portfolio value"), self->value, { 0, 0, 0, 0 }, 2, FALSE };
  lower[0] = (BtChartSeries) { _("Drawdown"), self->drawdown, { 0.88, 0.11, 0.14, 1 }, 1.5, TRUE };
  bt_chart_view_set_data (self->chart, first_day, self->value != NULL ? n : 0, upper, 1, lower,
                          self->drawdown != NULL ? 1 : 0);
}

const char *
bt_position_page_get_entry_error (BtPositionPage *self)
{
  g_return_val_if_fail (BT_IS_POSITION_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

void
bt_position_page_submit_address (BtPositionPage *self,
                                 const char     *address)
{
  g_return_if_fail (BT_IS_POSITION_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->address_entry), address);
  g_signal_emit_by_name (self->address_entry, "apply");
}

/* ---- the page's own data ------------------------------------------------ */

/* A row for each stored wallet, with its latest reading when there is one. */
static void
load_wallets (BtPositionPage *self,
              BtStore        *store)
{
  g_autoptr(GPtrArray) wallets = bt_store_list_wallets (store, NULL);
  g_autoptr(GPtrArray) positions = bt_store_list_latest_positions (store, NULL);

  for (guint i = 0; wallets != NULL && i < wallets->len; i++)
    {
      BtWallet *wallet = g_ptr_array_index (wallets, i);
      BtPositionState state;
      BtPosition *found = NULL;

      for (guint k = 0; positions != NULL && k < positions->len; k++)
        if (g_ascii_strcasecmp (bt_position_get_wallet (g_ptr_array_index (positions, k)),
                                wallet->address) == 0)
          found = g_ptr_array_index (positions, k);
      if (found != NULL)
        {
          bt_position_to_state (found, &state);
          bt_position_page_set_position (self, wallet->address, &state);
        }
      /* a wallet without readings yet: a row, no signal */
      else if (bt_position_page_validate_address (wallet->address, NULL)
               && _bt_position_page_find_wallet (self, wallet->address) == NULL)
        add_row (self, wallet->address);
    }
}

/* The stored portfolio history: value and drawdown by day. */
static void
load_portfolio (BtPositionPage *self,
                BtStore        *store)
{
  g_autoptr(GArray) history = bt_store_list_portfolio_history (store, BT_DAY_INVALID,
                                                               BT_DAY_INVALID, NULL);
  BtPortfolioPoint *points;
  g_autofree double *value = NULL;
  g_autofree double *drawdown = NULL;
  BtDay first;
  guint n;

  if (history == NULL || history->len == 0)
    return;
  points = (BtPortfolioPoint *) history->data;
  first = points[0].date;
  n = points[history->len - 1].date - first + 1;
  value = g_new (double, n);
  drawdown = g_new (double, n);
  for (guint i = 0; i < n; i++)
    value[i] = drawdown[i] = NAN;
  for (guint i = 0; i < history->len; i++)
    {
      value[points[i].date - first] = points[i].portfolio_value;
      drawdown[points[i].date - first] = -fabs (points[i].drawdown_pct);
    }
  bt_position_page_set_portfolio (self, first, n, value, drawdown);
}

static void
reload (BtPage *page)
{
  BtPositionPage *self = BT_POSITION_PAGE (page);

  if (bt_page_get_store (page) != NULL)
    {
      load_wallets (self, bt_page_get_store (page));
      load_portfolio (self, bt_page_get_store (page));
    }
  bt_position_page_refresh (self);
}

/* Wallets were removed elsewhere (Preferences): their rows go, without
 * ::wallet-removed; new ones come with the next reload. */
static void
on_wallets_changed_cb (BtContext      *context,
                       BtPositionPage *self)
{
  g_autoptr(GPtrArray) wallets = bt_store_list_wallets (bt_context_get_store (context), NULL);
  g_auto(GStrv) shown = dup_wallets (self);

  for (guint i = 0; shown[i] != NULL; i++)
    {
      gboolean kept = FALSE;
      Wallet *wallet;

      for (guint k = 0; wallets != NULL && k < wallets->len; k++)
        kept |= g_ascii_strcasecmp (((BtWallet *) g_ptr_array_index (wallets, k))->address,
                                    shown[i]) == 0;
      wallet = _bt_position_page_find_wallet (self, shown[i]);
      if (kept || wallet == NULL)
        continue;
      adw_preferences_group_remove (self->wallets_group, GTK_WIDGET (wallet->row));
      g_ptr_array_remove (self->wallets, wallet);
    }
}

static void
bind (BtPage    *page,
      BtContext *context)
{
  g_signal_connect (context, "wallets-changed", G_CALLBACK (on_wallets_changed_cb), page);
  g_signal_connect_swapped (context, "positions-changed", G_CALLBACK (bt_page_reload), page);
  if (bt_context_get_scheduler (context) != NULL)
    g_signal_connect (bt_context_get_scheduler (context), "source-status-changed",
                      G_CALLBACK (_bt_position_page_on_status_changed_cb), page);
}

void
bt_position_page_refresh (BtPositionPage *self)
{
  BtEngine *engine = bt_page_get_engine (BT_PAGE (self));
  BtStore *store;
  const BtHistory *history;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) saved = NULL;
  BtSourceStatus status = { 0 };

  g_return_if_fail (BT_IS_POSITION_PAGE (self));

  self->price = NAN;
  self->price_day = BT_DAY_INVALID;
  g_clear_pointer (&self->reading_error, g_free);
  if (engine == NULL)
    {
      _bt_position_page_update_cockpit (self);
      return;
    }
  store = bt_engine_get_store (engine);

  /* the latest close: the price the cockpit values BTC at */
  history = bt_engine_get_history (engine);
  if (history != NULL)
    for (guint i = history->n_days; i > 0; i--)
      if (isfinite (history->input[BT_INPUT_CLOSE][i - 1]))
        {
          self->price = history->input[BT_INPUT_CLOSE][i - 1];
          self->price_day = history->first_day + (BtDay) (i - 1);
          break;
        }

  /* the Ethereum reader's error while it fails */
  if (bt_store_get_source_status (store, BT_SOURCE_ETHEREUM, &status, NULL))
    {
      if (status.last_error != NULL && status.last_failure > 0
          && status.last_failure >= status.last_success)
        self->reading_error = g_strdup (status.last_error);
      bt_source_status_clear (&status);
    }
  for (guint i = 0; i < self->wallets->len; i++)
    {
      Wallet *wallet = g_ptr_array_index (self->wallets, i);

      if (wallet->has_reading)
        set_reading_subtitle (self, wallet);
      else
        set_waiting_subtitle (self, wallet);
    }

  saved = bt_store_list_manual_positions (store, &error);
  if (saved == NULL)
    bt_page_message (BT_PAGE (self), error->message);
  else if (!_bt_position_page_same_saved (self->saved, saved))
    {
      g_ptr_array_unref (self->saved);
      self->saved = g_steal_pointer (&saved);
      _bt_position_page_rebuild_saved (self);
    }

  /* an empty cockpit starts on the first wallet read, else the first
   * saved position, so that the Dashboard can name its stress */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->collateral_entry)) == '\0')
    {
      for (guint i = 0; i < self->wallets->len; i++)
        {
          Wallet *wallet = g_ptr_array_index (self->wallets, i);

          if (wallet->has_reading && wallet->state.collateral_usd > 0)
            {
              _bt_position_page_load_wallet (self, wallet, FALSE);
              return;
            }
        }
      if (self->saved->len > 0)
        {
          _bt_position_page_load_saved (self, g_ptr_array_index (self->saved, 0));
          return;
        }
    }
  _bt_position_page_update_cockpit (self);
}

const char *
bt_position_page_get_wallet_subtitle (BtPositionPage *self,
                                      const char     *address)
{
  Wallet *wallet;

  g_return_val_if_fail (BT_IS_POSITION_PAGE (self), NULL);

  wallet = _bt_position_page_find_wallet (self, address);
  return wallet != NULL ? adw_expander_row_get_subtitle (wallet->row) : NULL;
}

static void
scroll_to (BtPositionPage *self,
           GtkWidget      *target)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  graphene_point_t point;

  if (gtk_widget_compute_point (target, gtk_scrolled_window_get_child (self->scroller),
                                &GRAPHENE_POINT_INIT (0, 0), &point))
    /* the viewport's coordinates move with the scroll */
    gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + point.y);
}

void
bt_position_page_scroll_to_cockpit (BtPositionPage *self)
{
  g_return_if_fail (BT_IS_POSITION_PAGE (self));
  scroll_to (self, GTK_WIDGET (self->cockpit_group));
}

void
bt_position_page_scroll_to_whatif (BtPositionPage *self)
{
  g_return_if_fail (BT_IS_POSITION_PAGE (self));
  scroll_to (self, GTK_WIDGET (self->whatif_group));
}

void
bt_position_page_scroll_to_stress (BtPositionPage *self)
{
  g_return_if_fail (BT_IS_POSITION_PAGE (self));
  scroll_to (self, GTK_WIDGET (self->stress_group));
}
