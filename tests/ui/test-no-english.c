/* test-no-english.c: BTC Turbo in Brazilian Portuguese shows no English.
 *
 * The window runs with LANGUAGE=pt_BR and LC_ALL=pt_BR.UTF-8 over a real
 * database (an imported history, a wallet with its position and portfolio
 * history, alerts fired by the core's alert engine, two saved backtests).
 * Every page is visited, with the backtest wizard's steps, a comparison,
 * the preferences window and the keyboard shortcuts; every text a widget
 * shows (labels, buttons, row titles and subtitles, group and status page
 * texts, window titles, tooltips, accessible labels and descriptions, combo
 * items, placeholders) is collected and checked against the English side of
 * po/pt_BR.po, which the test reads itself:
 *
 *  - no text is an English msgid whose translation differs;
 *  - no text fits an English message with placeholders ("Confidence %s");
 *  - no text holds English function words ("the", "of", "is", …), which
 *    catches English that never went through the catalogue;
 *  - amounts use the Brazilian separators and days read dd/mm/aaaa.
 */
#define G_LOG_DOMAIN "bt-test"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "bt-alerts.h"
#include "bt-base.h"
#include "bt-domain.h"
#include "bt-engine.h"
#include "bt-import-assistant.h"
#include "bt-import-assistant-private.h"
#include "bt-preferences-window.h"
#include "bt-preferences-window-private.h"
#include "bt-session.h"
#include "bt-store.h"
#include "bt-window.h"
#include "bt-test-util.h"
#include "test-ui-common.h"
#include "bt-backtest-page-private.h"
#include "bt-dashboard-page-private.h"
#include "bt-market-page-private.h"
#include "bt-position-page-private.h"

#define N_DAYS 800
#define WALLET "0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c"

static gboolean locale_ok;

/* ---- the catalogue, read from po/pt_BR.po -------------------------------- */

typedef struct
{
  GHashTable *english;       /* msgid → msgstr, where they differ */
  GPtrArray  *patterns;      /* GRegex of English messages with placeholders */
  GPtrArray  *pattern_ids;   /* their msgids */
  guint       n_entries;
  guint       n_fuzzy;
  guint       n_untranslated;
  GPtrArray  *untranslated;  /* msgids (for the failure message) */
  GPtrArray  *entries;       /* PoEntry */
} Catalogue;

typedef struct
{
  char    *ctxt;
  char    *msgid;
  char    *plural;
  char    *msgstr[2];
  gboolean fuzzy;
} PoEntry;

static void
po_entry_free (gpointer data)
{
  PoEntry *e = data;

  g_free (e->ctxt);
  g_free (e->msgid);
  g_free (e->plural);
  g_free (e->msgstr[0]);
  g_free (e->msgstr[1]);
  g_free (e);
}

static Catalogue catalogue;

/* The C string of a PO line's quoted part: "a\"b\n" → a"b + newline. */
static char *
po_unquote (const char *line)
{
  const char *start = strchr (line, '"');
  const char *end = strrchr (line, '"');
  g_autofree char *inner = NULL;

  if (start == NULL || end == NULL || end <= start)
    return g_strdup ("");
  inner = g_strndup (start + 1, end - start - 1);
  return g_strcompress (inner);
}

static gboolean
has_english_word (const char *text)
{
  guint run = 0;

  /* three ASCII letters in a row outside the placeholders */
  for (const char *p = text; *p != '\0'; p++)
    {
      run = g_ascii_isalpha (*p) ? run + 1 : 0;
      if (run >= 3)
        return TRUE;
    }
  return FALSE;
}

/* ^…$ regex of MSGID with each printf directive as "(.*)", or NULL when it
 * has no directive or too little English around them to be recognised. A
 * message cut short by a format macro ("… %" G_GINT64_FORMAT) ends in ".*". */
static GRegex *
pattern_of (const char *msgid)
{
  g_autoptr(GString) re = g_string_new ("^");
  g_autoptr(GString) literal = g_string_new (NULL);
  g_autoptr(GString) words = g_string_new (NULL);
  gboolean directive = FALSE;

  for (const char *p = msgid; *p != '\0'; p++)
    {
      g_autofree char *escaped = NULL;

      if (*p != '%')
        {
          g_string_append_c (literal, *p);
          continue;
        }
      if (p[1] == '%')
        {
          g_string_append_c (literal, '%');
          p++;
          continue;
        }
      escaped = g_regex_escape_string (literal->str, -1);
      g_string_append (re, escaped);
      g_string_append (re, "(.*)");
      g_string_append_printf (words, "%s ", literal->str);
      g_string_truncate (literal, 0);
      directive = TRUE;
      /* flags, width, precision and length, then the conversion */
      p++;
      while (*p != '\0' && strchr ("0123456789$#-+ '.hlLqjzt", *p) != NULL)
        p++;
      if (*p == '\0')
        break;
    }
  if (!directive)
    return NULL;
  {
    g_autofree char *escaped = g_regex_escape_string (literal->str, -1);

    g_string_append (re, escaped);
    g_string_append_c (re, '$');
    g_string_append (words, literal->str);
  }
  if (!has_english_word (words->str))
    return NULL;
  return g_regex_new (re->str, G_REGEX_DOTALL | G_REGEX_OPTIMIZE, 0, NULL);
}

static void
catalogue_add (PoEntry *e)
{
  if (e->msgid == NULL || *e->msgid == '\0')
    {
      po_entry_free (e);
      return;
    }
  catalogue.n_entries++;
  if (e->fuzzy)
    catalogue.n_fuzzy++;
  if (e->msgstr[0] == NULL || *e->msgstr[0] == '\0'
      || (e->plural != NULL && (e->msgstr[1] == NULL || *e->msgstr[1] == '\0')))
    {
      catalogue.n_untranslated++;
      g_ptr_array_add (catalogue.untranslated, g_strdup (e->msgid));
    }
  else if (!e->fuzzy)
    {
      const char *ids[] = { e->msgid, e->plural };
      const char *strs[] = { e->msgstr[0], e->msgstr[1] };

      for (guint i = 0; i < 2; i++)
        {
          GRegex *re;

          if (ids[i] == NULL || g_str_equal (ids[i], strs[i]))
            continue;
          g_hash_table_replace (catalogue.english, g_strdup (ids[i]), g_strdup (strs[i]));
          re = pattern_of (ids[i]);
          if (re != NULL)
            {
              g_ptr_array_add (catalogue.patterns, re);
              g_ptr_array_add (catalogue.pattern_ids, g_strdup (ids[i]));
            }
        }
    }
  g_ptr_array_add (catalogue.entries, e);
}

static void
catalogue_load (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  PoEntry *e = NULL;
  char **target = NULL;
  gboolean after_msgstr = FALSE;
  gboolean fuzzy = FALSE;

  catalogue.english = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  catalogue.patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_regex_unref);
  catalogue.pattern_ids = g_ptr_array_new_with_free_func (g_free);
  catalogue.untranslated = g_ptr_array_new_with_free_func (g_free);
  catalogue.entries = g_ptr_array_new_with_free_func (po_entry_free);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];

      /* an entry ends at a blank line, or where the next one's comments
       * or keywords start */
      if (e != NULL && after_msgstr
          && (*l == '\0' || *l == '#' || g_str_has_prefix (l, "msgctxt ")
              || g_str_has_prefix (l, "msgid ")))
        {
          catalogue_add (e);
          e = NULL;
          target = NULL;
          after_msgstr = FALSE;
        }
      if (*l == '\0' || g_str_has_prefix (l, "#~"))
        continue;
      if (g_str_has_prefix (l, "#,"))
        {
          fuzzy = strstr (l, "fuzzy") != NULL;
          continue;
        }
      if (*l == '#')
        continue;
      if (e == NULL)
        {
          e = g_new0 (PoEntry, 1);
          e->fuzzy = fuzzy;
          fuzzy = FALSE;
        }
      if (g_str_has_prefix (l, "msgctxt "))
        target = &e->ctxt;
      else if (g_str_has_prefix (l, "msgid_plural "))
        target = &e->plural;
      else if (g_str_has_prefix (l, "msgid "))
        target = &e->msgid;
      else if (g_str_has_prefix (l, "msgstr[0] ") || g_str_has_prefix (l, "msgstr "))
        {
          target = &e->msgstr[0];
          after_msgstr = TRUE;
        }
      else if (g_str_has_prefix (l, "msgstr[1] "))
        target = &e->msgstr[1];
      else if (g_str_has_prefix (l, "msgstr["))
        target = NULL;  /* pt_BR has two forms; more would be ignored */
      else if (*l == '"' && target != NULL)
        {
          g_autofree char *more = po_unquote (l);
          char *joined = g_strconcat (*target, more, NULL);

          g_free (*target);
          *target = joined;
          continue;
        }
      else
        continue;
      if (target != NULL)
        {
          g_free (*target);
          *target = po_unquote (l);
        }
    }
  if (e != NULL)
    catalogue_add (e);
}

static void
catalogue_clear (void)
{
  g_clear_pointer (&catalogue.english, g_hash_table_unref);
  g_clear_pointer (&catalogue.patterns, g_ptr_array_unref);
  g_clear_pointer (&catalogue.pattern_ids, g_ptr_array_unref);
  g_clear_pointer (&catalogue.untranslated, g_ptr_array_unref);
  g_clear_pointer (&catalogue.entries, g_ptr_array_unref);
}

/* ---- collecting what the widgets show ------------------------------------ */

typedef struct
{
  GHashTable *texts;    /* text → where it was seen (a type name) */
} Collector;

static void
add_text (Collector  *c,
          const char *text,
          const char *where)
{
  if (text == NULL || *text == '\0')
    return;
  if (!g_hash_table_contains (c->texts, text))
    g_hash_table_insert (c->texts, g_strdup (text), g_strdup (where));
}

static void
add_accessible (Collector             *c,
                GtkWidget             *widget,
                GtkAccessibleProperty  property)
{
  char *value;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property))
    return;
  /* the check returns the actual value when it differs from the one given */
  value = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, "\x01");
  add_text (c, value, "accessible");
  g_free (value);
}

static void
add_list_model_strings (Collector  *c,
                        GListModel *model,
                        const char *where)
{
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (GTK_IS_STRING_OBJECT (item))
        add_text (c, gtk_string_object_get_string (GTK_STRING_OBJECT (item)), where);
      else if (ADW_IS_VIEW_STACK_PAGE (item))
        add_text (c, adw_view_stack_page_get_title (ADW_VIEW_STACK_PAGE (item)), where);
      else if (GTK_IS_STACK_PAGE (item))
        add_text (c, gtk_stack_page_get_title (GTK_STACK_PAGE (item)), where);
    }
}

/* The text properties of the widgets shown, in the order they are read:
 * a text first seen in an editable field is reported as the user's. */
typedef struct
{
  GType       (*type) (void);
  const char *property;
} TextProperty;

static const TextProperty before_edit[] = {
  { gtk_label_get_type, "label" },
  { gtk_button_get_type, "label" },
  { gtk_menu_button_get_type, "label" },
  { gtk_check_button_get_type, "label" },
  { gtk_window_get_type, "title" },
  { gtk_text_get_type, "placeholder-text" },
};

static const TextProperty after_edit[] = {
  { adw_preferences_row_get_type, "title" },
  { adw_action_row_get_type, "subtitle" },
  { adw_expander_row_get_type, "subtitle" },
  { adw_preferences_group_get_type, "title" },
  { adw_preferences_group_get_type, "description" },
  { adw_preferences_page_get_type, "title" },
  { adw_status_page_get_type, "title" },
  { adw_status_page_get_type, "description" },
  { adw_window_title_get_type, "title" },
  { adw_window_title_get_type, "subtitle" },
  { adw_view_switcher_title_get_type, "title" },
  { adw_view_switcher_title_get_type, "subtitle" },
};

/* PROPERTY of WIDGET when it is a TYPE. */
static void
add_property (Collector  *c,
              GtkWidget  *widget,
              GType       type,
              const char *property,
              const char *where)
{
  g_autofree char *text = NULL;

  if (!G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return;
  g_object_get (widget, property, &text, NULL);
  add_text (c, text, where);
}

static void
collect (Collector *c,
         GtkWidget *widget)
{
  const char *type = G_OBJECT_TYPE_NAME (widget);

  /* a file's own text (the import assistant's preview) is not the UI's */
  if (gtk_widget_has_css_class (widget, "file-content"))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (before_edit); i++)
    add_property (c, widget, before_edit[i].type (), before_edit[i].property, type);
  if (GTK_IS_LABEL (widget))
    add_text (c, gtk_label_get_text (GTK_LABEL (widget)), type);
  if (GTK_IS_EDITABLE (widget))
    add_text (c, gtk_editable_get_text (GTK_EDITABLE (widget)), "editable");
  for (guint i = 0; i < G_N_ELEMENTS (after_edit); i++)
    add_property (c, widget, after_edit[i].type (), after_edit[i].property, type);
  if (ADW_IS_COMBO_ROW (widget))
    add_list_model_strings (c, adw_combo_row_get_model (ADW_COMBO_ROW (widget)), type);
  if (ADW_IS_VIEW_STACK (widget))
    {
      g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (ADW_VIEW_STACK (widget));

      add_list_model_strings (c, G_LIST_MODEL (pages), type);
    }
  if (GTK_IS_STACK (widget))
    {
      g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (GTK_STACK (widget));

      add_list_model_strings (c, G_LIST_MODEL (pages), type);
    }
  add_text (c, gtk_widget_get_tooltip_text (widget), "tooltip");
  add_accessible (c, widget, GTK_ACCESSIBLE_PROPERTY_LABEL);
  add_accessible (c, widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  /* every child, shown or not: a hidden English text shows up in some state */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (c, child);
}

/* ---- the checks ---------------------------------------------------------- */

/* English words that are no Portuguese words, to catch English that never
 * went through the catalogue. */
static const char *const english_words[] = {
  "the", "and", "of", "is", "are", "was", "with", "from", "to", "not", "your", "this", "that",
  "yet", "for", "on", "at", "by", "or", "an", "it", "be", "has", "have", "in",
  "none", "please", "click", "loading", "error", "failed", "cannot", "could", "unknown",
};

static gboolean
has_english_function_word (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  /* words of letters (any script), hyphens and apostrophes: "on-chain" is one */
  g_auto(GStrv) tokens = g_regex_split_simple ("[^\\p{L}’'-]+", lower, 0, 0);

  for (guint i = 0; tokens[i] != NULL; i++)
    for (guint k = 0; k < G_N_ELEMENTS (english_words); k++)
      if (g_str_equal (tokens[i], english_words[k]))
        return TRUE;
  return strstr (lower, "no longer") != NULL;
}

/* The English texts among C's, one per line with where they were seen. */
static char *
english_on_screen (Collector *c)
{
  g_autoptr(GString) report = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, c->texts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *text = key;
      guint i;
      const char *translation = g_hash_table_lookup (catalogue.english, text);

      if (translation != NULL)
        {
          g_string_append_printf (report, "  “%s” (%s) should read “%s”\n", text,
                                  (const char *) value, translation);
          continue;
        }
      /* the compiled catalogue knows it: it was shown untranslated */
      if (!g_str_equal (g_dgettext (GETTEXT_PACKAGE, text), text))
        {
          g_string_append_printf (report, "  “%s” (%s) should read “%s”\n", text,
                                  (const char *) value, g_dgettext (GETTEXT_PACKAGE, text));
          continue;
        }
      for (i = 0; i < catalogue.patterns->len; i++)
        if (g_regex_match (catalogue.patterns->pdata[i], text, 0, NULL))
          {
            g_string_append_printf (report, "  “%s” (%s) is the English “%s”\n", text,
                                    (const char *) value,
                                    (const char *) catalogue.pattern_ids->pdata[i]);
            break;
          }
      if (i < catalogue.patterns->len)
        continue;
      if (has_english_function_word (text))
        g_string_append_printf (report, "  “%s” (%s) reads as English\n", text,
                                (const char *) value);
    }
  return g_string_free (g_steal_pointer (&report), FALSE);
}

static gboolean
has_text (Collector  *c,
          const char *text)
{
  return g_hash_table_contains (c->texts, text);
}

/* Whether some collected text matches PATTERN; the first one in *FOUND. */
static gboolean
some_text_matches (Collector   *c,
                   const char  *pattern,
                   const char **found)
{
  g_autoptr(GRegex) re = g_regex_new (pattern, 0, 0, NULL);
  GHashTableIter iter;
  gpointer key;

  g_assert_nonnull (re);
  g_hash_table_iter_init (&iter, c->texts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_regex_match (re, key, 0, NULL))
      {
        if (found != NULL)
          *found = key;
        return TRUE;
      }
  return FALSE;
}

/* Texts showing a number with a C-locale decimal point ("1.25", "0.5×"),
 * one per line; editable fields (what the user types back) apart, in
 * EDITABLE. Three decimals read as thousands ("29.199") and are left out. */
static char *
c_locale_numbers (Collector *c,
                  GString   *editable)
{
  g_autoptr(GRegex) re = g_regex_new ("(^|[^0-9.,])[0-9]+\\.([0-9]{1,2}|[0-9]{4,})([^0-9]|$)",
                                      0, 0, NULL);
  g_autoptr(GString) report = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, c->texts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      /* a version, not a number: the source of legacy imports */
      if (strstr (key, "BTC Turbo 1.0") != NULL || !g_regex_match (re, key, 0, NULL))
        continue;
      g_string_append_printf (g_str_equal (value, "editable") ? editable : report,
                              "  “%s” (%s)\n", (const char *) key, (const char *) value);
    }
  return g_string_free (g_steal_pointer (&report), FALSE);
}

/* ---- a database with data ------------------------------------------------ */

static void
import_file (BtWindow   *window,
             const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gboolean handled = FALSE;

  g_signal_emit_by_name (window, "import-requested", file, &handled);
  g_assert_true (handled);
}

/* Import CSV… opens the import assistant: collect its texts once its trial
 * import is done, then press Import (or close it when the file is
 * refused).  Returns the assistant's summary. */
static char *
through_assistant (Collector *c)
{
  GListModel *tops = gtk_window_get_toplevels ();   /* owned by GTK */
  BtImportAssistant *assistant = NULL;
  char *summary;

  for (guint waited = 0; assistant == NULL && waited < 10000; waited += 50)
    {
      for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
        {
          g_autoptr(GObject) w = g_list_model_get_item (tops, i);

          if (BT_IS_IMPORT_ASSISTANT (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
            assistant = BT_IMPORT_ASSISTANT (w);
        }
      if (assistant == NULL)
        test_ui_spin (50);
    }
  g_assert_nonnull (assistant);
  for (guint waited = 0; bt_import_assistant_is_checking (assistant) && waited < 30000; waited += 50)
    test_ui_spin (50);
  g_assert_false (bt_import_assistant_is_checking (assistant));
  collect (c, GTK_WIDGET (assistant));
  summary = g_strdup (bt_import_assistant_get_summary (assistant));
  if (bt_import_assistant_can_import (assistant))
    bt_import_assistant_confirm (assistant);
  else
    gtk_window_close (GTK_WINDOW (assistant));
  return summary;
}

/* Spin the main loop, collecting the window's texts, until one of them
 * contains NEEDLE (toasts come and go); at most TIMEOUT_MS. */
static const char *
wait_for_text (Collector  *c,
               GtkWidget  *window,
               const char *needle,
               guint       timeout_ms)
{
  for (guint waited = 0; waited <= timeout_ms; waited += 50)
    {
      GHashTableIter iter;
      gpointer key;

      collect (c, window);
      g_hash_table_iter_init (&iter, c->texts);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (strstr (key, needle) != NULL)
          return key;
      test_ui_spin (50);
    }
  return NULL;
}

/* A wallet with its position, two months of portfolio history, and the
 * alerts the core's alert engine fires for a position in trouble. */
static void
fill_store (const char *db_path,
            BtEngine   *engine)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_store_open (db_path, &error);
  g_autoptr(BtPosition) position = NULL;
  g_autoptr(GPtrArray) events = NULL;
  BtAlertEngine *alerts = bt_alert_engine_new ();
  BtPositionState state = { TRUE, 96600, 42000, 96600 / 54600.0, 1.79, 5032, 44.2, 81.6 };
  BtAlertInputs inputs;
  BtDay last = bt_day_from_ymd (2022, 3, 10);
  gint64 now = bt_day_to_unix (last) + 8 * 3600;
  gint64 first_alert = 0;

  g_assert_no_error (error);
  g_assert_true (bt_store_add_wallet (store, WALLET, NULL, &error));
  g_assert_no_error (error);
  position = bt_position_new_from_state (WALLET, now, &state, 0.78, 9000);
  g_assert_true (bt_store_insert_position (store, position, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 60; i++)
    {
      BtPortfolioPoint point = { last - 59 + i, 54600 + 100.0 * i, 9000 + 10.0 * i,
                                 1.5 * i, 1.79, -0.5 * (i % 7) };

      g_assert_true (bt_store_upsert_portfolio_point (store, &point, &error));
      g_assert_no_error (error);
    }

  /* market 62 → 35, HOLD → REDUCE, health factor 1.05, the price down 12 %,
   * crowded longs, Binance failing for 4,000 s against a 300 s interval */
  bt_alert_inputs_init (&inputs);
  inputs.time = now;
  inputs.market = 35;
  inputs.market_previous = 62;
  inputs.action = BT_ACTION_REDUCE;
  inputs.previous_action = BT_ACTION_HOLD;
  inputs.urgency = BT_URGENCY_HIGH;
  inputs.health_factor = 1.05;
  inputs.liquidation_distance = 4;
  inputs.heat = 250;
  inputs.price = 44000;
  inputs.price_24h_ago = 50000;
  inputs.funding_rate_7d = 0.5;
  inputs.source_failing_seconds[BT_SOURCE_BINANCE] = 4000;
  inputs.source_interval_seconds[BT_SOURCE_BINANCE] = 300;
  events = bt_alert_engine_evaluate (alerts, bt_engine_get_rules (engine), &inputs);
  g_assert_cmpuint (events->len, >=, 5);
  for (guint i = 0; i < events->len; i++)
    {
      BtAlertEvent *ev = events->pdata[i];
      gint64 id = bt_store_insert_alert (store, ev->kind, ev->key, ev->severity, ev->message,
                                         ev->values_json, ev->time - i, &error);

      g_assert_no_error (error);
      if (first_alert == 0)
        first_alert = id;
    }
  /* one of them acknowledged: the Past list has content too */
  g_assert_true (bt_store_acknowledge_alert (store, first_alert, now + 60, &error));
  g_assert_no_error (error);
  bt_alert_engine_free (alerts);
}

/* With $BT_SCREENSHOT_DIR set, a PNG of WIDGET there, to look at. */
static void
maybe_save_png (GtkWidget  *widget,
                const char *name)
{
  const char *dir = g_getenv ("BT_SCREENSHOT_DIR");

  if (dir != NULL && *dir != '\0')
    test_ui_save_png (widget, dir, name);
}

static gboolean
step_is (BtBacktestPage *page,
         const char     *step)
{
  return g_strcmp0 (bt_backtest_page_get_step (page), step) == 0;
}

static void
run_backtest (BtBacktestPage *page)
{
  gtk_widget_activate_action (GTK_WIDGET (page), "backtest.run", NULL);
  TEST_UI_WAIT_UNTIL (step_is (page, "results"));
  g_assert_true (step_is (page, "results"));
  /* past the stack's transition */
  test_ui_spin (500);
}

/* ---- tests --------------------------------------------------------------- */

static void
test_catalogue_complete (void)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GString) differ = g_string_new (NULL);

  if (!locale_ok)
    {
      g_test_skip ("the pt_BR.UTF-8 locale is not installed");
      return;
    }
  /* msgfmt --statistics: 0 fuzzy, 0 untranslated */
  for (guint i = 0; i < catalogue.untranslated->len; i++)
    g_string_append_printf (missing, "  %s\n", (const char *) catalogue.untranslated->pdata[i]);
  g_assert_cmpstr (missing->str, ==, "");
  g_assert_cmpuint (catalogue.n_fuzzy, ==, 0);
  g_assert_cmpuint (catalogue.n_entries, >, 300);

  /* the compiled catalogue the window reads is this file */
  for (guint i = 0; i < catalogue.entries->len; i++)
    {
      PoEntry *e = catalogue.entries->pdata[i];
      const char *got;

      if (e->plural != NULL)
        {
          /* pt_BR: plural=(n > 1), so 0 and 1 take the first form */
          if (g_strcmp0 (g_dngettext (GETTEXT_PACKAGE, e->msgid, e->plural, 0), e->msgstr[0]) != 0
              || g_strcmp0 (g_dngettext (GETTEXT_PACKAGE, e->msgid, e->plural, 1), e->msgstr[0]) != 0
              || g_strcmp0 (g_dngettext (GETTEXT_PACKAGE, e->msgid, e->plural, 2), e->msgstr[1]) != 0)
            g_string_append_printf (differ, "  %s (plural)\n", e->msgid);
          continue;
        }
      got = e->ctxt != NULL ? g_dpgettext2 (GETTEXT_PACKAGE, e->ctxt, e->msgid)
                            : g_dgettext (GETTEXT_PACKAGE, e->msgid);
      if (g_strcmp0 (got, e->msgstr[0]) != 0)
        g_string_append_printf (differ, "  %s → %s, not %s\n", e->msgid, got, e->msgstr[0]);
    }
  g_assert_cmpstr (differ->str, ==, "");

  /* the terms of GNOME's pt_BR team for the product's words */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Leverage"), ==, "Alavancagem");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Health factor"), ==, "Fator de saúde");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Liquidation price"), ==, "Preço de liquidação");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Collateral"), ==, "Garantia");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Debt"), ==, "Dívida");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Confidence"), ==, "Confiança");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Market score"), ==, "Pontuação de mercado");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "_Import CSV…"), ==, "_Importar CSV…");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "_Preferences"), ==, "_Preferências");
  g_assert_cmpstr (g_dpgettext2 (GETTEXT_PACKAGE, "action", "Hold"), ==, "Manter");
  g_assert_cmpstr (g_dpgettext2 (GETTEXT_PACKAGE, "action", "Enter"), ==, "Entrar");
  g_assert_cmpstr (g_dpgettext2 (GETTEXT_PACKAGE, "action", "Add"), ==, "Aumentar");
  g_assert_cmpstr (g_dpgettext2 (GETTEXT_PACKAGE, "action", "Reduce"), ==, "Reduzir");
  g_assert_cmpstr (g_dpgettext2 (GETTEXT_PACKAGE, "action", "Exit"), ==, "Sair");
}

static void
test_window_no_english (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *history = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *english = NULL;
  g_autofree char *refused = NULL;
  Collector c = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free) };
  TestUiSession s = { 0 };
  BtWindow *window;
  BtSession *session;
  BtBacktestPage *backtest;
  const char *found = NULL;
  static const char *pages[] = { "dashboard", "market", "position", "alerts", "data" };
  /* the Portuguese that should be there */
  static const char *portuguese[] = {
    "Painel", "Mercado", "Posição", "Alertas", "Pontuação de mercado", "Fator de saúde",
    "Preço de liquidação", "Garantia", "Dívida", "Resultados", "Execuções salvas", "Regras",
  };

  if (!locale_ok)
    {
      g_test_skip ("the pt_BR.UTF-8 locale is not installed");
      g_hash_table_unref (c.texts);
      return;
    }

  test_ui_session_open (&s, "bt-ui-pt_BR-XXXXXX", 1280, 800);
  window = s.window;
  session = s.session;

  /* the empty database's status page */
  collect (&c, GTK_WIDGET (window));
  g_assert_true (has_text (&c, "Ainda não há dados de mercado"));

  /* a refused file: the core's message in the toast, in Portuguese
   * (line 3 of the file has High 198 below Low 199) */
  bad = g_test_build_filename (G_TEST_DIST, "data", "cli-bad-high-low.csv", NULL);
  import_file (window, bad);
  refused = through_assistant (&c);
  g_assert_nonnull (strstr (refused, "cli-bad-high-low.csv:3: High (198) está abaixo de Low (199)"));

  /* the history (800 days, the last 2020-01-01 + 799 = 2022-03-10), then
   * the toast once the first one is gone */
  history = test_ui_write_history (s.dir, bt_day_from_ymd (2020, 1, 1), N_DAYS);
  import_file (window, history);
  g_free (through_assistant (&c));
  g_assert_nonnull (wait_for_text (&c, GTK_WIDGET (window), "linhas importadas", TEST_UI_SAFETY_S * 1000));
  g_assert_false (bt_dashboard_page_get_empty (bt_window_get_dashboard_page (window)));

  fill_store (s.db_path, bt_context_get_engine (bt_session_get_context (session)));
  g_assert_true (bt_session_reload (session, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strconcat ("pt_BR-", pages[i], NULL);

      bt_window_set_page (window, pages[i]);
      test_ui_spin (150);
      collect (&c, GTK_WIDGET (window));
      maybe_save_png (GTK_WIDGET (window), name);
    }
  /* the market chart's other ranges */
  bt_window_set_page (window, "market");
  bt_market_page_set_range (bt_window_get_market_page (window), "all");
  test_ui_spin (100);
  collect (&c, GTK_WIDGET (window));
  /* a mistyped wallet: the inline error */
  bt_window_set_page (window, "position");
  bt_position_page_submit_address (bt_window_get_position_page (window), "0xnot-an-address");
  g_assert_nonnull (bt_position_page_get_entry_error (bt_window_get_position_page (window)));
  collect (&c, GTK_WIDGET (window));

  /* the backtest wizard, step by step, with its errors, two runs and their
   * comparison */
  backtest = bt_window_get_backtest_page (window);
  bt_window_set_page (window, "backtest");
  test_ui_spin (100);
  collect (&c, GTK_WIDGET (window));
  bt_backtest_page_set_text (backtest, "start_date", "31/02/2020");
  g_assert_nonnull (bt_backtest_page_get_error (backtest));
  collect (&c, GTK_WIDGET (window));
  bt_backtest_page_set_text (backtest, "start_date", "2020-01-01");
  bt_backtest_page_set_text (backtest, "end_date", "2022-03-10");
  gtk_widget_activate_action (GTK_WIDGET (backtest), "backtest.next", NULL);
  g_assert_true (step_is (backtest, "strategy"));
  collect (&c, GTK_WIDGET (window));
  bt_backtest_page_set_text (backtest, "fee_pct", "-1");
  g_assert_nonnull (bt_backtest_page_get_error (backtest));
  collect (&c, GTK_WIDGET (window));
  bt_backtest_page_set_text (backtest, "fee_pct", "0,1");
  g_assert_null (bt_backtest_page_get_error (backtest));
  gtk_widget_activate_action (GTK_WIDGET (backtest), "backtest.next", NULL);
  g_assert_true (step_is (backtest, "review"));
  collect (&c, GTK_WIDGET (window));
  run_backtest (backtest);
  collect (&c, GTK_WIDGET (window));
  maybe_save_png (GTK_WIDGET (window), "pt_BR-backtest-results");

  gtk_widget_activate_action (GTK_WIDGET (backtest), "backtest.restart", NULL);
  bt_backtest_page_set_text (backtest, "start_date", "2021-01-01");
  gtk_widget_activate_action (GTK_WIDGET (backtest), "backtest.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (backtest), "backtest.next", NULL);
  run_backtest (backtest);
  g_assert_cmpuint (bt_backtest_page_get_n_saved_runs (backtest), ==, 2);
  bt_backtest_page_select_saved_run (backtest, bt_backtest_page_get_saved_run_id (backtest, 0), TRUE);
  bt_backtest_page_select_saved_run (backtest, bt_backtest_page_get_saved_run_id (backtest, 1), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (backtest), "backtest.compare", NULL);
  test_ui_spin (500);
  collect (&c, GTK_WIDGET (window));
  maybe_save_png (GTK_WIDGET (window), "pt_BR-backtest-comparison");
  gtk_widget_activate_action (GTK_WIDGET (backtest), "backtest.restart", NULL);
  test_ui_spin (500);
  collect (&c, GTK_WIDGET (window));
  maybe_save_png (GTK_WIDGET (window), "pt_BR-backtest-saved-runs");

  /* the preferences, with an inline error from the core's rules */
  {
    BtPreferencesWindow *prefs = bt_preferences_window_new (s.settings);

    bt_preferences_window_set_engine (prefs, bt_context_get_engine (bt_session_get_context (session)));
    gtk_window_present (GTK_WINDOW (prefs));
    test_ui_wait_drawn (GTK_WIDGET (prefs));
    collect (&c, GTK_WIDGET (prefs));
    g_assert_false (bt_preferences_window_apply_text (prefs, "rules:thresholds.min_confidence",
                                                      "metade"));
    g_assert_nonnull (bt_preferences_window_get_error (prefs));
    collect (&c, GTK_WIDGET (prefs));
    maybe_save_png (GTK_WIDGET (prefs), "pt_BR-preferences");
    gtk_window_destroy (GTK_WINDOW (prefs));
  }

  /* the keyboard shortcuts */
  {
    g_autoptr(GtkBuilder) builder =
      gtk_builder_new_from_resource ("/io/github/btcturbo/BtcTurbo/gtk/help-overlay.ui");
    GtkWidget *help = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));

    g_assert_nonnull (help);
    gtk_window_present (GTK_WINDOW (help));
    test_ui_wait_drawn (help);
    collect (&c, help);
    gtk_window_destroy (GTK_WINDOW (help));
  }

  g_test_message ("%u texts collected", g_hash_table_size (c.texts));
  if (g_getenv ("BT_DUMP_TEXTS") != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, c.texts);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_test_message ("text: %s\t%s", (const char *) value, (const char *) key);
    }

  /* no English */
  english = english_on_screen (&c);
  if (*english != '\0')
    g_test_message ("English on screen:\n%s", english);
  g_assert_cmpstr (english, ==, "");

  /* the Portuguese that should be there */
  for (guint i = 0; i < G_N_ELEMENTS (portuguese); i++)
    {
      if (!has_text (&c, portuguese[i]))
        g_test_message ("not on screen: %s", portuguese[i]);
      g_assert_true (has_text (&c, portuguese[i]));
    }
  g_assert_true (has_text (&c, "Atalhos de teclado") || has_text (&c, "Geral"));
  /* the core's sentences: an alert, the saved runs named after their
   * period, and their comparison */
  g_assert_true (has_text (&c, "A decisão mudou de “Manter” para “Reduzir”."));
  g_assert_true (some_text_matches (&c, "^2020-01-01 – 2022-03-10 · 2,5×$", NULL));
  g_assert_true (has_text (&c, "Comparando 2 execuções"));
  g_assert_true (some_text_matches (&c, "^1: 2021-01-01 – 2022-03-10 · 2,5×  \\|  "
                                    "2: 2020-01-01 – 2022-03-10 · 2,5×$", NULL));

  /* numbers and days in the Brazilian way: 1.234,56 and dd/mm/aaaa */
  g_assert_true (some_text_matches (&c, "US\\$ [0-9]{1,3}(\\.[0-9]{3})+", &found));
  g_test_message ("an amount: %s", found);
  g_assert_false (some_text_matches (&c, "\\$[0-9]{1,3}(,[0-9]{3})+", &found));
  g_assert_true (some_text_matches (&c, "10/03/2022", &found));
  {
    g_autoptr(GString) editable = g_string_new (NULL);
    g_autofree char *shown = c_locale_numbers (&c, editable);

    /* what the rule editors show, in the syntax they parse */
    if (editable->len > 0)
      g_test_message ("C-locale numbers in editable fields:\n%s", editable->str);
    if (*shown != '\0')
      g_test_message ("C-locale numbers on screen:\n%s", shown);
    g_assert_cmpstr (shown, ==, "");
  }
  g_assert_false (some_text_matches (&c, "[0-9] (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4}",
                                     &found));

  test_ui_session_close (&s);
  g_hash_table_unref (c.texts);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("BT_LOCALEDIR");
  const char *po = g_getenv ("BT_PO_FILE");
  g_autofree char *po_path = NULL;
  int status;

  /* the first users' language, whatever the environment says */
  g_setenv ("LANGUAGE", "pt_BR", TRUE);
  g_setenv ("LC_ALL", "pt_BR.UTF-8", TRUE);
  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  test_ui_init (&argc, &argv);
  /* gtk_test_init() keeps the C locale */
  locale_ok = setlocale (LC_ALL, "") != NULL;

  po_path = po != NULL ? g_strdup (po)
                       : g_test_build_filename (G_TEST_DIST, "..", "po", "pt_BR.po", NULL);
  catalogue_load (po_path);

  g_test_add_func ("/ui/i18n/catalogue-complete", test_catalogue_complete);
  g_test_add_func ("/ui/i18n/window-no-english", test_window_no_english);
  status = g_test_run ();
  catalogue_clear ();
  return status;
}
