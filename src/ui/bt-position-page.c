/* bt-position-page.c: the Position page of BTC Turbo. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bt-aave.h"
#include "bt-position-page.h"
#include "bt-ui-util.h"

enum { ROW_HF, ROW_LIQ_PRICE, ROW_DISTANCE, ROW_COLLATERAL, ROW_DEBT, ROW_LEVERAGE, ROW_RISK, N_ROWS };

typedef struct
{
  char          *address;
  AdwExpanderRow *row;
  AdwActionRow  *rows[N_ROWS];
  GtkLabel      *values[N_ROWS];
} Wallet;

struct _BtPositionPage
{
  GtkWidget            parent_instance;

  AdwPreferencesGroup *wallets_group;
  AdwEntryRow         *address_entry;
  GtkLabel            *error_label;
  BtChartView         *chart;

  GPtrArray           *wallets;   /* Wallet */
  BtDay                first_day;
  guint                n;
  double              *value;
  double              *drawdown;
};

G_DEFINE_FINAL_TYPE (BtPositionPage, bt_position_page, GTK_TYPE_WIDGET)
G_DEFINE_QUARK (bt-position-page-error-quark, bt_position_page_error)

enum { WALLET_ADDED, WALLET_REMOVED, MESSAGE, N_SIGNALS };
static guint signals[N_SIGNALS];

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

static Wallet *
find_wallet (BtPositionPage *self,
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

static char *
short_address (const char *address)
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

static Wallet *
add_row (BtPositionPage *self,
         const char     *address)
{
  Wallet *wallet = g_new0 (Wallet, 1);
  g_autofree char *title = short_address (address);
  g_autofree char *remove_label = NULL;
  GtkWidget *remove;

  wallet->address = g_strdup (address);
  wallet->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (wallet->row), title);
  adw_expander_row_set_subtitle (wallet->row, _("Waiting for the first reading"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (wallet->row), address);

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Wallet"));
  /* Translators: the accessible name of a wallet's remove button; %s is the address */
  remove_label = g_strdup_printf (_("Remove wallet %s"), address);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  g_object_set_data_full (G_OBJECT (remove), "address", g_strdup (address), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self);
  adw_expander_row_add_action (wallet->row, remove);

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
bt_position_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), BT_TYPE_POSITION_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (bt_position_page_parent_class)->dispose (object);
}

static void
bt_position_page_finalize (GObject *object)
{
  BtPositionPage *self = BT_POSITION_PAGE (object);

  g_clear_pointer (&self->wallets, g_ptr_array_unref);
  g_free (self->value);
  g_free (self->drawdown);

  G_OBJECT_CLASS (bt_position_page_parent_class)->finalize (object);
}

static void
bt_position_page_class_init (BtPositionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bt_position_page_dispose;
  object_class->finalize = bt_position_page_finalize;

  signals[WALLET_ADDED] = g_signal_new ("wallet-added", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[WALLET_REMOVED] = g_signal_new ("wallet-removed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (BT_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/btcturbo/BtcTurbo/ui/bt-position-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, wallets_group);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, address_entry);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, BtPositionPage, chart);
  gtk_widget_class_bind_template_callback (widget_class, on_address_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_address_changed_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
bt_position_page_init (BtPositionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->wallets = g_ptr_array_new_with_free_func (wallet_free);
  self->first_day = BT_DAY_INVALID;
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
  if (find_wallet (self, address) != NULL)
    {
      g_set_error (error, BT_POSITION_PAGE_ERROR, BT_POSITION_PAGE_ERROR_DUPLICATE,
                   _("This wallet is already in the list"));
      return FALSE;
    }
  add_row (self, address);
  g_signal_emit (self, signals[WALLET_ADDED], 0, address);
  return TRUE;
}

void
bt_position_page_remove_wallet (BtPositionPage *self,
                                const char     *address)
{
  Wallet *wallet;

  g_return_if_fail (BT_IS_POSITION_PAGE (self));
  g_return_if_fail (address != NULL);

  wallet = find_wallet (self, address);
  if (wallet == NULL)
    return;
  adw_preferences_group_remove (self->wallets_group, GTK_WIDGET (wallet->row));
  g_ptr_array_remove (self->wallets, wallet);
  g_signal_emit (self, signals[WALLET_REMOVED], 0, address);
}

char **
bt_position_page_dup_wallets (BtPositionPage *self)
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
  g_autofree char *hf = NULL;
  g_autofree char *risk = NULL;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (BT_IS_POSITION_PAGE (self));
  g_return_if_fail (address != NULL && state != NULL);

  wallet = find_wallet (self, address);
  if (wallet == NULL)
    wallet = add_row (self, address);

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

  if (isnan (state->health_factor))
    subtitle = g_strdup (_("No debt"));
  else
    {
      hf = bt_ui_format_number (state->health_factor, 2);
      risk = bt_ui_format_score (state->risk_score);
      /* Translators: the summary of a wallet: health factor and risk score */
      subtitle = g_strdup_printf (_("Health factor %s · Risk score %s"), hf, risk);
    }
  adw_expander_row_set_subtitle (wallet->row, subtitle);
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
  self->first_day = first_day;
  self->n = n;
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
