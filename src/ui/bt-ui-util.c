/* bt-ui-util.c: on-screen names and number formats shared by the pages. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "bt-base.h"
#include "bt-domain.h"
#include <adwaita.h>

#include "bt-ui-util.h"

static const char *item_titles[BT_N_ITEMS] = {
  N_("MVRV Z-Score"),
  N_("Realized Price Ratio"),
  N_("Puell Multiple"),
  N_("Weekly RSI"),
  N_("Funding Rate, 7 Days"),
  N_("Monthly RSI"),
  N_("Short-Term Holder SOPR"),
  N_("Exchange Netflow"),
  N_("Long/Short Ratio"),
  N_("EMA System"),
  N_("Bollinger Band Width"),
};

static const char *category_titles[BT_N_CATEGORIES] = {
  N_("Cycle"),
  N_("Momentum"),
  N_("Technical"),
};

static const char *action_titles[BT_N_ACTIONS] = {
  /* Translators: decisions about the leveraged position */
  NC_("action", "Hold"),
  NC_("action", "Enter"),
  NC_("action", "Add"),
  NC_("action", "Reduce"),
  NC_("action", "Exit"),
  NC_("action", "Liquidation"),
};

static const char *urgency_titles[BT_N_URGENCIES] = {
  NC_("urgency", "Low"),
  NC_("urgency", "Medium"),
  NC_("urgency", "High"),
  NC_("urgency", "Critical"),
};

static const char *severity_titles[BT_N_SEVERITIES] = {
  NC_("severity", "Information"),
  NC_("severity", "Warning"),
  NC_("severity", "Critical"),
};

static const char *flag_titles[BT_N_FLAGS] = {
  NC_("freshness", "Missing"),
  NC_("freshness", "Fresh"),
  NC_("freshness", "Stale"),
  NC_("freshness", "Imported"),
};

static const char *source_titles[BT_N_SOURCES] = {
  NC_("source", "None"),
  "Binance",
  "Binance Futures",
  "Coinbase",
  "Kraken",
  "Coin Metrics",
  "BGeometrics",
  "Ethereum",
  "Notion",
  NC_("source", "CSV Import"),
  NC_("source", "BTC Turbo 1.0"),
  NC_("source", "Computed"),
};

/* TABLE[I] translated, in CONTEXT unless it is NULL; "" past the end. */
static const char *
title_in (const char *const *table,
          guint              n,
          const char        *context,
          guint              i)
{
  if (i >= n)
    return "";
  return context != NULL ? g_dpgettext2 (GETTEXT_PACKAGE, context, table[i]) : _(table[i]);
}

/* The public name of each table: bt_ui_item_title (BtItem) … */
#define DEFINE_TITLE(func, Type, table, context)                           \
  const char *                                                             \
  func (Type value)                                                        \
  {                                                                        \
    return title_in (table, G_N_ELEMENTS (table), context, (guint) value); \
  }

DEFINE_TITLE (bt_ui_item_title, BtItem, item_titles, NULL)
DEFINE_TITLE (bt_ui_category_title, BtCategory, category_titles, NULL)
DEFINE_TITLE (bt_ui_action_title, BtAction, action_titles, "action")
DEFINE_TITLE (bt_ui_urgency_title, BtUrgency, urgency_titles, "urgency")
DEFINE_TITLE (bt_ui_severity_title, BtSeverity, severity_titles, "severity")
DEFINE_TITLE (bt_ui_flag_title, BtFlag, flag_titles, "freshness")
DEFINE_TITLE (bt_ui_source_title, BtSource, source_titles, "source")

const char *
bt_ui_urgency_css (BtUrgency urgency)
{
  static const char *classes[BT_N_URGENCIES] = {
    "urgency-low", "urgency-medium", "urgency-high", "urgency-critical"
  };

  return (guint) urgency < BT_N_URGENCIES ? classes[urgency] : classes[0];
}

const char *
bt_ui_severity_css (BtSeverity severity)
{
  static const char *classes[BT_N_SEVERITIES] = {
    "urgency-low", "urgency-high", "urgency-critical"
  };

  return (guint) severity < BT_N_SEVERITIES ? classes[severity] : classes[0];
}

/* "%.*f" in the user's locale (1234,5 in pt_BR), then thousands grouped
 * with the locale's separator, or "," (or "." after a decimal comma) where
 * the locale has none, as in C.UTF-8. */
static char *
format_grouped (double value,
                int    decimals)
{
  g_autofree char *plain = g_strdup_printf ("%.*f", decimals, value);
  const struct lconv *lc = localeconv ();
  const char *point = lc->decimal_point != NULL && *lc->decimal_point ? lc->decimal_point : ".";
  const char *sep = lc->thousands_sep != NULL && *lc->thousands_sep ? lc->thousands_sep
                    : (g_str_equal (point, ",") ? "." : ",");
  const char *start = plain;
  const char *dot = strstr (plain, point);
  size_t int_len;
  GString *out = g_string_new (NULL);

  if (*start == '-')
    {
      g_string_append (out, "−");
      start++;
    }
  int_len = dot != NULL ? (size_t) (dot - start) : strlen (start);
  for (size_t i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, start[i]);
    }
  if (dot != NULL)
    g_string_append (out, dot);
  return g_string_free (out, FALSE);
}

char *
bt_ui_format_number (double value,
                     int    decimals)
{
  if (isnan (value) || isinf (value))
    return g_strdup ("—");
  return format_grouped (value, decimals);
}

char *
bt_ui_format_usd (double value)
{
  g_autofree char *number = NULL;

  if (isnan (value) || isinf (value))
    return g_strdup ("—");
  number = format_grouped (fabs (value), 0);
  /* Translators: an amount in US dollars; %s is the number */
  return value < 0 ? g_strdup_printf (_("−$%s"), number) : g_strdup_printf (_("$%s"), number);
}

char *
bt_ui_format_percent (double value,
                      int    decimals)
{
  g_autofree char *number = NULL;

  if (isnan (value) || isinf (value))
    return g_strdup ("—");
  number = format_grouped (value, decimals);
  /* Translators: a percentage; %s is the number */
  return g_strdup_printf (_("%s %%"), number);
}

char *
bt_ui_format_leverage (double value)
{
  g_autofree char *number = NULL;

  if (isnan (value) || isinf (value))
    return g_strdup ("—");
  number = g_strdup_printf ("%.2f", value);
  /* Translators: a leverage such as 1.50×; %s is the number */
  return g_strdup_printf (_("%s×"), number);
}

char *
bt_ui_format_score (double value)
{
  if (isnan (value))
    return g_strdup ("—");
  return g_strdup_printf ("%.0f", value);
}

/* %e pads single-digit days with U+2007 FIGURE SPACE: drop it at the ends. */
static char *
strip_figure_spaces (char *text)
{
  static const char figure_space[] = "\xe2\x80\x87";
  gsize len;

  if (text == NULL)
    return NULL;
  while (g_str_has_prefix (text, figure_space))
    memmove (text, text + 3, strlen (text + 3) + 1);
  len = strlen (text);
  while (len >= 3 && g_str_has_suffix (text, figure_space))
    text[len -= 3] = '\0';
  return g_strstrip (text);
}

char *
bt_ui_format_day (BtDay day)
{
  g_autoptr(GDateTime) dt = NULL;

  if (day == BT_DAY_INVALID)
    return g_strdup ("—");
  dt = g_date_time_new_from_unix_utc (bt_day_to_unix (day));
  if (dt == NULL)
    return g_strdup ("—");
  /* Translators: a day on screen, see g_date_time_format(); e.g. "%e %b %Y" → "31 Mar 2024" */
  return strip_figure_spaces (g_date_time_format (dt, _("%e %b %Y")));
}

char *
bt_ui_format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_seconds <= 0)
    return g_strdup ("—");
  utc = g_date_time_new_from_unix_utc (unix_seconds);
  local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  if (local == NULL)
    return g_strdup ("—");
  /* Translators: a day and time on screen, see g_date_time_format() */
  return strip_figure_spaces (g_date_time_format (local, _("%e %b %Y, %H:%M")));
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
lookup (GtkStyleContext *context,
        const char      *name,
        BtChartColor    *out,
        guint32          fallback)
{
  GdkRGBA rgba;

  if (gtk_style_context_lookup_color (context, name, &rgba))
    *out = (BtChartColor) { rgba.red, rgba.green, rgba.blue, rgba.alpha };
  else
    *out = (BtChartColor) { ((fallback >> 16) & 0xff) / 255.0, ((fallback >> 8) & 0xff) / 255.0,
                            (fallback & 0xff) / 255.0, 1 };
}

void
bt_ui_chart_style (GtkWidget    *widget,
                   BtChartStyle *style)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  GdkRGBA fg;
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  bt_chart_style_init_default (style);
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, &fg);
#else
  gtk_style_context_get_color (context, &fg);
#endif
  style->foreground = (BtChartColor) { fg.red, fg.green, fg.blue, fg.alpha };
  style->dim = (BtChartColor) { fg.red, fg.green, fg.blue, fg.alpha * 0.6 };
  style->background = (BtChartColor) { 0, 0, 0, 0 };
  lookup (context, "accent_color", &style->accent, 0x3584e4);
  lookup (context, "success_color", &style->good, dark ? 0x8ff0a4 : 0x26a269);
  lookup (context, "warning_color", &style->warning, dark ? 0xf8e45c : 0xe5a50a);
  lookup (context, "error_color", &style->bad, dark ? 0xff7b63 : 0xe01b24);
  lookup (context, "popover_bg_color", &style->surface, dark ? 0x383838 : 0xffffff);
  style->font = NULL;
  style->scale = 1;
}
G_GNUC_END_IGNORE_DEPRECATIONS

void
bt_ui_set_score_class (GtkWidget *widget,
                       double     score)
{
  gtk_widget_remove_css_class (widget, "score-low");
  gtk_widget_remove_css_class (widget, "score-mid");
  gtk_widget_remove_css_class (widget, "score-high");
  if (isnan (score))
    return;
  gtk_widget_add_css_class (widget, score < 40 ? "score-low" : score < 60 ? "score-mid" : "score-high");
}

/* The on-screen formats as chart formatters (BtChartFormatFunc). */
#define DEFINE_CHART_FORMAT(func, text_of_value) \
  void                                           \
  func (double    value,                         \
        char     *buf,                           \
        gsize     size,                          \
        gpointer  user_data)                     \
  {                                              \
    g_autofree char *text = text_of_value;       \
                                                 \
    g_strlcpy (buf, text, size);                 \
  }

DEFINE_CHART_FORMAT (bt_ui_chart_format_usd, bt_ui_format_usd (value))
DEFINE_CHART_FORMAT (bt_ui_chart_format_percent, bt_ui_format_percent (value, 0))
DEFINE_CHART_FORMAT (bt_ui_chart_format_score, bt_ui_format_score (value))
