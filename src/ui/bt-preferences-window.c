/* bt-preferences-window.c: BTC Turbo's preferences. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "bt-base.h"
#include "bt-preferences-window.h"
#include "bt-preferences-window-private.h"
#include "bt-rules.h"
#include "bt-aave.h"
#include "bt-secrets.h"
#include "bt-store.h"
#include "bt-ui-compat.h"
#include "bt-ui-util.h"

struct _BtPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkSwitch            *notifications_switch;
  GtkSwitch            *report_switch;
  GtkSwitch            *background_switch;
  AdwEntryRow          *report_time_row;
  GtkSpinButton        *market_spin;
  GtkSpinButton        *onchain_spin;
  GtkSpinButton        *position_spin;
  GtkLabel             *error_label;
  AdwPreferencesGroup  *sources_group;
  GtkLabel             *sources_error_label;

  GSettings            *settings;
  GHashTable           *url_rows;   /* source name → AdwEntryRow (borrowed) */
  GHashTable           *rule_rows;  /* rules key → AdwEntryRow (borrowed) */
  BtEngine             *engine;
  GtkLabel             *rules_error_label;
  AdwPreferencesPage   *rules_page;
  AdwComboRow          *profile_row;
  guint                 rebuild_id;
  AdwPreferencesGroup  *wallets_group;
  AdwEntryRow          *wallet_entry;
  GtkLabel             *wallets_error_label;
  GPtrArray            *wallet_rows;  /* AdwActionRow (borrowed), address in "address" */
  GCancellable         *cancellable;
  char                 *error;
};

/* AdwPreferencesDialog (libadwaita 1.5) replaces AdwPreferencesWindow, but
 * the parent of a template class is fixed when BTC Turbo is built, and the
 * window is shown as a window by the application and the tests: the 1.2
 * class stays, its calls outside the deprecation warnings. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
G_DEFINE_FINAL_TYPE (BtPreferencesWindow, bt_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)
G_GNUC_END_IGNORE_DEPRECATIONS

enum { RULES_CHANGED, WALLETS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Sources the collectors know (PRODUCT.md), in display order. */
static const BtSource sources[] = {
  BT_SOURCE_BINANCE, BT_SOURCE_BINANCE_FUTURES, BT_SOURCE_COINBASE, BT_SOURCE_KRAKEN,
  BT_SOURCE_COINMETRICS, BT_SOURCE_BGEOMETRICS, BT_SOURCE_ETHEREUM, BT_SOURCE_NOTION,
};

static void
set_error (BtPreferencesWindow *self,
           GtkLabel            *label,
           GtkWidget           *row,
           const char          *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* ---- the rows every page uses ---- */

/* ROW with TITLE and an apply button that calls ON_APPLY (row, self). */
static AdwEntryRow *
apply_row (AdwEntryRow         *row,
           const char          *title,
           GCallback            on_apply,
           BtPreferencesWindow *self)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (row, TRUE);
  g_signal_connect (row, "apply", on_apply, self);
  return row;
}

/* A switch for the end of a row; ON_ACTIVE (switch, pspec, self) follows it. */
static GtkWidget *
row_switch (gboolean             active,
            GCallback            on_active,
            BtPreferencesWindow *self)
{
  GtkWidget *toggle = gtk_switch_new ();

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  g_signal_connect (toggle, "notify::active", on_active, self);
  return toggle;
}

/* A group of PAGE (or of no page yet when PAGE is NULL). */
static AdwPreferencesGroup *
add_group (AdwPreferencesPage *page,
           const char         *title,
           const char         *description)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  if (title != NULL)
    adw_preferences_group_set_title (group, title);
  if (description != NULL)
    adw_preferences_group_set_description (group, description);
  if (page != NULL)
    adw_preferences_page_add (page, group);
  return group;
}

/* The hidden line under a group that set_error() fills. */
static GtkLabel *
add_error_label (AdwPreferencesGroup *group)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_visible (label, FALSE);
  adw_preferences_group_add (group, label);
  return GTK_LABEL (label);
}

static gboolean
parse_time (const char *text,
            guint      *minutes)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  guint64 h, m;
  char *end;

  if (strlen (copy) != 5 || copy[2] != ':' || !g_ascii_isdigit (copy[0])
      || !g_ascii_isdigit (copy[1]) || !g_ascii_isdigit (copy[3]) || !g_ascii_isdigit (copy[4]))
    return FALSE;
  h = g_ascii_strtoull (copy, &end, 10);
  m = g_ascii_strtoull (copy + 3, &end, 10);
  if (h > 23 || m > 59)
    return FALSE;
  *minutes = (guint) (h * 60 + m);
  return TRUE;
}

static gboolean
apply_report_time (BtPreferencesWindow *self,
                   const char          *text)
{
  guint minutes;

  if (!parse_time (text, &minutes))
    {
      set_error (self, self->error_label, GTK_WIDGET (self->report_time_row),
                 _("Daily report time: type hours and minutes such as 08:00"));
      return FALSE;
    }
  set_error (self, self->error_label, GTK_WIDGET (self->report_time_row), NULL);
  g_settings_set_uint (self->settings, "daily-report-time", minutes);
  return TRUE;
}

static void
on_report_time_apply_cb (AdwEntryRow         *row,
                         BtPreferencesWindow *self)
{
  apply_report_time (self, gtk_editable_get_text (GTK_EDITABLE (row)));
}

static gboolean
apply_base_url (BtPreferencesWindow *self,
                const char          *source,
                const char          *text)
{
  AdwEntryRow *row = g_hash_table_lookup (self->url_rows, source);
  g_autofree char *url = g_strstrip (g_strdup (text));
  g_autoptr(GVariant) old = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key, *value;

  if (row == NULL)
    return FALSE;
  if (*url != '\0')
    {
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
      const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

      if (uri == NULL || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
          || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
        {
          set_error (self, self->sources_error_label, GTK_WIDGET (row),
                     _("Base address: type a web address starting with https://"));
          return FALSE;
        }
    }
  set_error (self, self->sources_error_label, GTK_WIDGET (row), NULL);

  old = g_settings_get_value (self->settings, "base-urls");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (!g_str_equal (key, source))
      g_variant_builder_add (&builder, "{ss}", key, value);
  if (*url != '\0')
    g_variant_builder_add (&builder, "{ss}", source, url);
  g_settings_set_value (self->settings, "base-urls", g_variant_builder_end (&builder));
  return TRUE;
}

static void
on_url_apply_cb (AdwEntryRow         *row,
                 BtPreferencesWindow *self)
{
  apply_base_url (self, g_object_get_data (G_OBJECT (row), "source"),
                  gtk_editable_get_text (GTK_EDITABLE (row)));
}

static void
on_source_switch_cb (GtkSwitch           *widget,
                     GParamSpec          *pspec,
                     BtPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (widget), "source");
  g_auto(GStrv) enabled = g_settings_get_strv (self->settings, "enabled-sources");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;
  gboolean on = gtk_switch_get_active (widget);

  for (guint i = 0; enabled[i] != NULL; i++)
    if (!g_str_equal (enabled[i], name))
      g_strv_builder_add (builder, enabled[i]);
  if (on)
    g_strv_builder_add (builder, name);
  result = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "enabled-sources", (const char *const *) result);
}

static void
build_sources (BtPreferencesWindow *self)
{
  g_auto(GStrv) enabled = g_settings_get_strv (self->settings, "enabled-sources");
  g_autoptr(GVariant) urls = g_settings_get_value (self->settings, "base-urls");

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      const char *name = bt_source_name (sources[i]);
      GtkWidget *expander = adw_expander_row_new ();
      GtkWidget *toggle = row_switch (g_strv_contains ((const char *const *) enabled, name),
                                      G_CALLBACK (on_source_switch_cb), self);
      AdwEntryRow *url_row = apply_row (ADW_ENTRY_ROW (adw_entry_row_new ()), _("Base address"),
                                        G_CALLBACK (on_url_apply_cb), self);
      const char *url = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), bt_ui_source_title (sources[i]));
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      bt_ui_source_title (sources[i]), -1);
      g_object_set_data (G_OBJECT (toggle), "source", (gpointer) name);
      bt_ui_expander_row_add_suffix (ADW_EXPANDER_ROW (expander), toggle);

      adw_entry_row_set_input_purpose (url_row, GTK_INPUT_PURPOSE_URL);
      if (g_variant_lookup (urls, name, "&s", &url))
        gtk_editable_set_text (GTK_EDITABLE (url_row), url);
      g_object_set_data (G_OBJECT (url_row), "source", (gpointer) name);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), GTK_WIDGET (url_row));
      g_hash_table_insert (self->url_rows, (gpointer) name, url_row);

      adw_preferences_group_add (self->sources_group, expander);
    }
}

/* ---- rules ------------------------------------------------------------- */

typedef struct
{
  const char *key;
  const char *title;
  gsize       offset;   /* of a double in BtRules */
} RuleField;

static const RuleField weight_fields[] = {
  { "weights.categories.cycle", N_("Cycle weight"), G_STRUCT_OFFSET (BtRules, category_weight) },
  { "weights.categories.momentum", N_("Momentum weight"),
    G_STRUCT_OFFSET (BtRules, category_weight) + sizeof (double) },
  { "weights.categories.technical", N_("Technical weight"),
    G_STRUCT_OFFSET (BtRules, category_weight) + 2 * sizeof (double) },
};

static const RuleField threshold_fields[] = {
  { "thresholds.min_confidence", N_("Minimum confidence to act"), G_STRUCT_OFFSET (BtRules, min_confidence) },
  { "thresholds.circuit_risk", N_("Circuit breaker below risk score"), G_STRUCT_OFFSET (BtRules, circuit_risk) },
  { "thresholds.low_market", N_("Reduce below market score"), G_STRUCT_OFFSET (BtRules, low_market) },
  { "thresholds.entry_market", N_("Enter from market score"), G_STRUCT_OFFSET (BtRules, entry_market) },
  { "thresholds.add_market", N_("Add from market score"), G_STRUCT_OFFSET (BtRules, add_market) },
  { "thresholds.max_leverage", N_("Leverage cap"), G_STRUCT_OFFSET (BtRules, max_leverage) },
};

static const RuleField alert_fields[] = {
  { "alerts.hf_warning", N_("Health factor warning below"), G_STRUCT_OFFSET (BtRules, alert_hf_warning) },
  { "alerts.hf_critical", N_("Health factor critical below"), G_STRUCT_OFFSET (BtRules, alert_hf_critical) },
  { "alerts.distance_warning", N_("Liquidation distance warning below, %"),
    G_STRUCT_OFFSET (BtRules, alert_distance_warning) },
};

static const char *alert_titles[BT_N_ALERT_KINDS] = {
  N_("Health factor"),
  N_("Liquidation distance"),
  N_("Market score crossing"),
  N_("Decision changed"),
  N_("Portfolio heat"),
  N_("Price move in 24 hours"),
  N_("Extreme funding rate"),
  N_("Failing data source"),
};

/* The locale's decimal separator ("," in pt_BR). */
static const char *
decimal_point (void)
{
  const char *point = localeconv ()->decimal_point;

  return point != NULL && *point != '\0' ? point : ".";
}

/* VALUE as on screen: the shortest text that reads back exactly
 * (bt_format_double), with the locale's decimal separator. */
static char *
screen_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  GString *text = g_string_new (bt_format_double (value, buf));

  g_string_replace (text, ".", decimal_point (), 0);
  return g_string_free (text, FALSE);
}

/* A number typed on screen, in either form ("1,25" or "1.25"), as the
 * C-locale text bt_rules_set() reads; nothing is rounded. */
static char *
c_number (const char *text)
{
  GString *c = g_string_new (text);
  const char *point = decimal_point ();

  g_strstrip (c->str);
  c->len = strlen (c->str);
  if (!g_str_equal (point, ".") && strstr (c->str, point) != NULL && strchr (c->str, '.') == NULL)
    g_string_replace (c, point, ".", 0);
  /* a lone decimal comma, whatever the locale */
  if (strchr (c->str, '.') == NULL)
    g_strdelimit (c->str, ",", '.');
  return g_string_free (c, FALSE);
}

/* Pairs of a band are separated by ", " where the decimal separator is a
 * point and by "; " where it is a comma ("0,5:100; 0,8:85"). */
static const char *
pair_separator (void)
{
  return strchr (decimal_point (), ',') != NULL ? "; " : ", ";
}

static char *
band_text (const BtBand *band)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < band->n; i++)
    {
      g_autofree char *x = screen_number (band->x[i]);
      g_autofree char *y = screen_number (band->y[i]);

      g_string_append_printf (text, "%s%s:%s", i > 0 ? pair_separator () : "", x, y);
    }
  return g_string_free (text, FALSE);
}

/* A band typed on screen as the "x:y,x:y" bt_rules_set() reads.  Pairs are
 * separated by ';' or, when none is typed, by ',' ("0.5:100, 0.8:85"); a
 * single pair may use a decimal comma ("0,5:100"). */
static char *
c_band (const char *text)
{
  GString *c = g_string_new (NULL);
  g_auto(GStrv) pairs = NULL;
  guint colons = 0;

  for (const char *p = text; *p != '\0'; p++)
    colons += *p == ':';
  if (strchr (text, ';') != NULL)
    pairs = g_strsplit (text, ";", -1);
  else if (colons > 1)
    pairs = g_strsplit (text, ",", -1);
  else
    pairs = g_strsplit (text, ";", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) xy = NULL;

      g_strstrip (pairs[i]);
      if (*pairs[i] == '\0')
        continue;
      if (c->len > 0)
        g_string_append_c (c, ',');
      xy = g_strsplit (pairs[i], ":", -1);
      for (guint k = 0; xy[k] != NULL; k++)
        {
          g_autofree char *number = c_number (xy[k]);

          g_string_append_printf (c, "%s%s", k > 0 ? ":" : "", number);
        }
    }
  return g_string_free (c, FALSE);
}

static gboolean
apply_rule (BtPreferencesWindow *self,
            const char          *key,
            const char          *text)
{
  AdwEntryRow *row = g_hash_table_lookup (self->rule_rows, key);
  g_autofree char *value = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autoptr(GError) error = NULL;
  BtRules rules;

  if (row == NULL || self->engine == NULL)
    return FALSE;
  /* numbers as on screen, in the locale's form or the C one */
  if (g_str_has_prefix (key, "bands.")
      && (g_ascii_strcasecmp (stripped, "rank") == 0 || g_strcmp0 (stripped, C_("band", "rank")) == 0))
    value = g_strdup ("rank");
  else
    value = g_str_has_prefix (key, "bands.") ? c_band (text) : c_number (text);

  rules = *bt_engine_get_rules (self->engine);
  if (!bt_rules_set (&rules, key, value, &error) || !bt_engine_set_rules (self->engine, &rules, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: a field of the rules, then why its value was refused */
      message = g_strdup_printf (_("%s: %s"),
                                 adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                 error->message);
      set_error (self, self->rules_error_label, GTK_WIDGET (row), message);
      return FALSE;
    }
  set_error (self, self->rules_error_label, GTK_WIDGET (row), NULL);
  g_signal_emit (self, signals[RULES_CHANGED], 0);
  return TRUE;
}

static void
on_rule_apply_cb (AdwEntryRow         *row,
                  BtPreferencesWindow *self)
{
  apply_rule (self, g_object_get_data (G_OBJECT (row), "rule-key"),
              gtk_editable_get_text (GTK_EDITABLE (row)));
}

static void
add_rule_row (BtPreferencesWindow *self,
              AdwPreferencesGroup *group,
              const char          *key,
              const char          *title,
              const char          *text)
{
  AdwEntryRow *row = apply_row (ADW_ENTRY_ROW (adw_entry_row_new ()), title,
                                G_CALLBACK (on_rule_apply_cb), self);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_object_set_data_full (G_OBJECT (row), "rule-key", g_strdup (key), g_free);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  g_hash_table_insert (self->rule_rows, g_strdup (key), row);
}

static void
add_fields (BtPreferencesWindow *self,
            AdwPreferencesGroup *group,
            const RuleField     *fields,
            guint                n,
            const BtRules       *rules)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = screen_number (G_STRUCT_MEMBER (double, rules, fields[i].offset));

      add_rule_row (self, group, fields[i].key, _(fields[i].title), text);
    }
}

static void
on_alert_switch_cb (GtkSwitch           *widget,
                    GParamSpec          *pspec,
                    BtPreferencesWindow *self)
{
  const char *key = g_object_get_data (G_OBJECT (widget), "rule-key");
  g_autoptr(GError) error = NULL;
  BtRules rules = *bt_engine_get_rules (self->engine);

  if (!bt_rules_set (&rules, key, gtk_switch_get_active (widget) ? "true" : "false", &error)
      || !bt_engine_set_rules (self->engine, &rules, &error))
    set_error (self, self->rules_error_label, GTK_WIDGET (widget), error->message);
  else
    g_signal_emit (self, signals[RULES_CHANGED], 0);
}

static void
on_secret_stored_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!bt_secrets_store_finish (result, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("The token could not be stored in the keyring: %s", error->message);
}

static void
on_secret_apply_cb (AdwEntryRow         *row,
                    BtPreferencesWindow *self)
{
  BtSecretKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "secret-kind"));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (*text == '\0')
    bt_secrets_clear_async (kind, self->cancellable, NULL, NULL);
  else
    bt_secrets_store_async (kind, text, self->cancellable, on_secret_stored_cb, NULL);
}

static void build_rules_page (BtPreferencesWindow *self);

/* After a profile switch every value of the page changed: build it anew
 * (from an idle, not inside the combo row's own handler). */
static gboolean
rebuild_rules_page_cb (gpointer user_data)
{
  BtPreferencesWindow *self = user_data;

  self->rebuild_id = 0;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (self->rules_page != NULL)
    adw_preferences_window_remove (ADW_PREFERENCES_WINDOW (self), self->rules_page);
  g_hash_table_remove_all (self->rule_rows);
  build_rules_page (self);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), self->rules_page);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return G_SOURCE_REMOVE;
}

static void
on_profile_selected_cb (AdwComboRow         *row,
                        GParamSpec          *pspec,
                        BtPreferencesWindow *self)
{
  BtRulesProfile profile = adw_combo_row_get_selected (row) == 1 ? BT_RULES_PROFILE_SEED_V5
                                                                 : BT_RULES_PROFILE_ADAPTIVE;
  g_autoptr(GError) error = NULL;
  BtRules rules;

  if (self->engine == NULL || bt_engine_get_rules (self->engine)->profile == profile)
    return;
  rules = *bt_engine_get_rules (self->engine);
  if (!bt_rules_set (&rules, "profile", bt_rules_profile_name (profile), &error) ||
      !bt_engine_set_rules (self->engine, &rules, &error))
    {
      set_error (self, self->rules_error_label, GTK_WIDGET (row), error->message);
      return;
    }
  g_signal_emit (self, signals[RULES_CHANGED], 0);
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add (rebuild_rules_page_cb, self);
}

static void
build_rules_page (BtPreferencesWindow *self)
{
  const BtRules *rules = bt_engine_get_rules (self->engine);
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *group;

  adw_preferences_page_set_title (page, _("Rules"));
  adw_preferences_page_set_icon_name (page, "bt-dashboard-symbolic");
  self->rules_page = page;

  /* the named rule set every value below starts from (docs/rulebook.md) */
  group = add_group (page, _("Rule Profile"),
                     _("Adaptive bands follow each indicator’s rank in "
                       "the last four years; Seed v5 keeps the first "
                       "static bands. Switching resets the values below."));
  {
    const char *const names[] = { _("Adaptive"), _("Seed v5"), NULL };
    AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
    g_autoptr(GtkStringList) model = gtk_string_list_new (names);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Profile"));
    adw_combo_row_set_model (row, G_LIST_MODEL (model));
    adw_combo_row_set_selected (row, rules->profile == BT_RULES_PROFILE_SEED_V5 ? 1 : 0);
    g_signal_connect (row, "notify::selected", G_CALLBACK (on_profile_selected_cb), self);
    adw_preferences_group_add (group, GTK_WIDGET (row));
    self->profile_row = row;
  }

  group = add_group (page, _("Weights"), _("Weight of each category in the market score"));
  add_fields (self, group, weight_fields, G_N_ELEMENTS (weight_fields), rules);

  group = add_group (page, _("Bands"), _("Indicator value and score pairs, value:score, "
                                         "with the values increasing"));
  for (guint i = 0; i < BT_N_ITEMS; i++)
    {
      g_autofree char *key = NULL;
      g_autofree char *text = NULL;

      if (rules->band[i].n == 0)
        continue;
      key = g_strdup_printf ("bands.%s", bt_item_name (i));
      /* an adaptive band reads "rank" (docs/rulebook.md §2) */
      /* Translators: the value of a band scored by its rank in the last four
       * years instead of fixed value:score pairs; typing it selects such a band */
      text = rules->band_rank[i] ? g_strdup (C_("band", "rank")) : band_text (&rules->band[i]);
      add_rule_row (self, group, key, bt_ui_item_title (i), text);
    }

  group = add_group (page, _("Decision Thresholds"), NULL);
  add_fields (self, group, threshold_fields, G_N_ELEMENTS (threshold_fields), rules);

  group = add_group (page, _("Alert Rules"), NULL);
  for (guint k = 0; k < BT_N_ALERT_KINDS; k++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = row_switch (rules->alert_enabled[k], G_CALLBACK (on_alert_switch_cb), self);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(alert_titles[k]));
      g_object_set_data_full (G_OBJECT (toggle), "rule-key",
                              g_strdup_printf ("alerts.%s.enabled", bt_alert_kind_name (k)), g_free);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      adw_preferences_group_add (group, row);
    }
  add_fields (self, group, alert_fields, G_N_ELEMENTS (alert_fields), rules);

  self->rules_error_label = add_error_label (add_group (page, NULL, NULL));

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
build_tokens (BtPreferencesWindow *self)
{
  static const struct { BtSecretKind kind; const char *title; } tokens[] = {
    { BT_SECRET_NOTION, N_("Notion integration token") },
    { BT_SECRET_RPC, N_("Ethereum RPC address with its key") },
  };
  AdwPreferencesGroup *group = add_group (NULL, _("Tokens"),
                                          _("Kept in the desktop keyring, never in files"));

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      AdwEntryRow *row = apply_row (ADW_ENTRY_ROW (adw_password_entry_row_new ()), _(tokens[i].title),
                                    G_CALLBACK (on_secret_apply_cb), self);

      g_object_set_data (G_OBJECT (row), "secret-kind", GINT_TO_POINTER (tokens[i].kind));
      adw_preferences_group_add (group, GTK_WIDGET (row));
    }
  /* on the Sources page, under the sources */
  gtk_widget_insert_after (GTK_WIDGET (group), gtk_widget_get_parent (GTK_WIDGET (self->sources_group)),
                           GTK_WIDGET (self->sources_group));
}

/* ---- wallets: the same core calls as the Position page ---- */

static void on_remove_wallet_clicked_cb (GtkButton           *button,
                                         BtPreferencesWindow *self);

static void
add_wallet_row (BtPreferencesWindow *self,
                const char          *address)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), address);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  gtk_widget_add_css_class (row, "monospace");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Remove Wallet"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove Wallet"), -1);
  g_object_set_data_full (G_OBJECT (button), "address", g_strdup (address), g_free);
  g_object_set_data_full (G_OBJECT (row), "address", g_strdup (address), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_remove_wallet_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_preferences_group_add (self->wallets_group, row);
  g_ptr_array_add (self->wallet_rows, row);
}

static gboolean
apply_wallet (BtPreferencesWindow *self,
              const char          *text)
{
  g_autofree char *address = g_strstrip (g_strdup (text));
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->wallet_rows->len; i++)
    if (g_ascii_strcasecmp (g_object_get_data (g_ptr_array_index (self->wallet_rows, i), "address"),
                            address) == 0)
      {
        set_error (self, self->wallets_error_label, GTK_WIDGET (self->wallet_entry),
                   _("This wallet is already in the list"));
        return FALSE;
      }
  if (!bt_aave_validate_address (address, &error)
      || !bt_store_add_wallet (bt_engine_get_store (self->engine), address, NULL, &error))
    {
      set_error (self, self->wallets_error_label, GTK_WIDGET (self->wallet_entry), error->message);
      return FALSE;
    }
  set_error (self, self->wallets_error_label, GTK_WIDGET (self->wallet_entry), NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->wallet_entry), "");
  add_wallet_row (self, address);
  g_signal_emit (self, signals[WALLETS_CHANGED], 0);
  return TRUE;
}

static void
on_wallet_apply_cb (AdwEntryRow         *row,
                    BtPreferencesWindow *self)
{
  apply_wallet (self, gtk_editable_get_text (GTK_EDITABLE (row)));
}

static void
on_remove_wallet_clicked_cb (GtkButton           *button,
                             BtPreferencesWindow *self)
{
  g_autofree char *address = g_strdup (g_object_get_data (G_OBJECT (button), "address"));

  bt_preferences_window_remove_wallet (self, address);
}

static void
build_wallets (BtPreferencesWindow *self)
{
  g_autoptr(GPtrArray) wallets = bt_store_list_wallets (bt_engine_get_store (self->engine), NULL);

  self->wallets_group = add_group (NULL, _("Aave Wallets"),
                                   _("Ethereum addresses whose Aave position is read every minute"));
  self->wallet_entry = apply_row (ADW_ENTRY_ROW (adw_entry_row_new ()), _("Add a wallet address"),
                                  G_CALLBACK (on_wallet_apply_cb), self);
  adw_preferences_group_add (self->wallets_group, GTK_WIDGET (self->wallet_entry));
  self->wallets_error_label = add_error_label (self->wallets_group);
  gtk_widget_set_margin_top (GTK_WIDGET (self->wallets_error_label), 6);
  for (guint i = 0; wallets != NULL && i < wallets->len; i++)
    add_wallet_row (self, ((BtWallet *) g_ptr_array_index (wallets, i))->address);
  /* on the Sources page, above the sources */
  gtk_widget_insert_before (GTK_WIDGET (self->wallets_group),
                            gtk_widget_get_parent (GTK_WIDGET (self->sources_group)),
                            GTK_WIDGET (self->sources_group));
}

static void
bt_preferences_window_dispose (GObject *object)
{
  BtPreferencesWindow *self = BT_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), BT_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (bt_preferences_window_parent_class)->dispose (object);
}

static void
bt_preferences_window_finalize (GObject *object)
{
  BtPreferencesWindow *self = BT_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->url_rows, g_hash_table_unref);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  g_clear_pointer (&self->rule_rows, g_hash_table_unref);
  g_clear_pointer (&self->wallet_rows, g_ptr_array_unref);
  g_free (self->error);

  G_OBJECT_CLASS (bt_preferences_window_parent_class)->finalize (object);
}

static void
bt_preferences_window_class_init (BtPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bt_preferences_window_dispose;
  object_class->finalize = bt_preferences_window_finalize;

  /**
   * BtPreferencesWindow::rules-changed:
   *
   * New rules were saved and the scores recomputed: the pages reload.
   */
  signals[RULES_CHANGED] = g_signal_new ("rules-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * BtPreferencesWindow::wallets-changed:
   *
   * A wallet was added or removed in the store: the collectors and the
   * Position page follow.
   */
  signals[WALLETS_CHANGED] = g_signal_new ("wallets-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/btcturbo/BtcTurbo/ui/bt-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, report_switch);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, report_time_row);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, market_spin);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, onchain_spin);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, position_spin);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, sources_group);
  gtk_widget_class_bind_template_child (widget_class, BtPreferencesWindow, sources_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_report_time_apply_cb);
}

static void
bt_preferences_window_init (BtPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->url_rows = g_hash_table_new (g_str_hash, g_str_equal);
  self->rule_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->wallet_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
}

BtPreferencesWindow *
bt_preferences_window_new (GSettings *settings)
{
  BtPreferencesWindow *self;
  char buf[8];
  guint minutes;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BT_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "notifications", self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "daily-report-notification", self->report_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "market-interval", self->market_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "onchain-interval", self->onchain_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "position-interval", self->position_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);

  minutes = g_settings_get_uint (settings, "daily-report-time");
  g_snprintf (buf, sizeof buf, "%02u:%02u", minutes / 60, minutes % 60);
  gtk_editable_set_text (GTK_EDITABLE (self->report_time_row), buf);
  build_sources (self);
  return self;
}

gboolean
bt_preferences_window_apply_text (BtPreferencesWindow *self,
                                  const char          *key,
                                  const char          *text)
{
  g_return_val_if_fail (BT_IS_PREFERENCES_WINDOW (self), FALSE);
  g_return_val_if_fail (key != NULL && text != NULL, FALSE);

  if (g_str_equal (key, "daily-report-time"))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->report_time_row), text);
      return apply_report_time (self, text);
    }
  if (g_str_equal (key, "wallet"))
    {
      if (self->wallet_entry == NULL)
        return FALSE;
      gtk_editable_set_text (GTK_EDITABLE (self->wallet_entry), text);
      return apply_wallet (self, text);
    }
  if (g_str_has_prefix (key, "rules:"))
    {
      AdwEntryRow *row = g_hash_table_lookup (self->rule_rows, key + strlen ("rules:"));

      if (row == NULL)
        return FALSE;
      gtk_editable_set_text (GTK_EDITABLE (row), text);
      return apply_rule (self, key + strlen ("rules:"), text);
    }
  if (g_str_has_prefix (key, "base-url:"))
    {
      AdwEntryRow *row = g_hash_table_lookup (self->url_rows, key + strlen ("base-url:"));

      if (row == NULL)
        return FALSE;
      gtk_editable_set_text (GTK_EDITABLE (row), text);
      return apply_base_url (self, key + strlen ("base-url:"), text);
    }
  return FALSE;
}

const char *
bt_preferences_window_get_text (BtPreferencesWindow *self,
                                const char          *key)
{
  AdwEntryRow *row = NULL;

  g_return_val_if_fail (BT_IS_PREFERENCES_WINDOW (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (g_str_equal (key, "daily-report-time"))
    row = self->report_time_row;
  else if (g_str_has_prefix (key, "rules:"))
    row = g_hash_table_lookup (self->rule_rows, key + strlen ("rules:"));
  else if (g_str_has_prefix (key, "base-url:"))
    row = g_hash_table_lookup (self->url_rows, key + strlen ("base-url:"));
  return row != NULL ? gtk_editable_get_text (GTK_EDITABLE (row)) : NULL;
}

const char *
bt_preferences_window_get_error (BtPreferencesWindow *self)
{
  g_return_val_if_fail (BT_IS_PREFERENCES_WINDOW (self), NULL);
  return self->error;
}

void
bt_preferences_window_set_engine (BtPreferencesWindow *self,
                                  BtEngine            *engine)
{
  g_return_if_fail (BT_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (BT_IS_ENGINE (engine));
  g_return_if_fail (self->engine == NULL);

  self->engine = g_object_ref (engine);
  build_rules_page (self);
  build_tokens (self);
  build_wallets (self);
}

gboolean
bt_preferences_window_remove_wallet (BtPreferencesWindow *self,
                                     const char          *address)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (BT_IS_PREFERENCES_WINDOW (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (self->engine == NULL)
    return FALSE;
  if (!bt_store_remove_wallet (bt_engine_get_store (self->engine), address, &error)
      && !g_error_matches (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND))
    {
      set_error (self, self->wallets_error_label, GTK_WIDGET (self->wallet_entry), error->message);
      return FALSE;
    }
  for (guint i = 0; i < self->wallet_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->wallet_rows, i);

      if (g_ascii_strcasecmp (g_object_get_data (G_OBJECT (row), "address"), address) == 0)
        {
          g_ptr_array_remove_index (self->wallet_rows, i);
          adw_preferences_group_remove (self->wallets_group, row);
          break;
        }
    }
  g_signal_emit (self, signals[WALLETS_CHANGED], 0);
  return TRUE;
}

guint
bt_preferences_window_get_n_wallets (BtPreferencesWindow *self)
{
  g_return_val_if_fail (BT_IS_PREFERENCES_WINDOW (self), 0);
  return self->wallet_rows->len;
}
