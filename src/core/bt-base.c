#define G_LOG_DOMAIN "bt-core"

#include <errno.h>
#include <string.h>

#include "bt-base.h"
#include "bt-base-private.h"

const guint bt_ema_periods[BT_N_EMA_PERIODS] = { 17, 34, 144, 305, 610 };

/* ---- calendar: days from civil (Howard Hinnant's algorithm) ---- */

BtDay
bt_day_from_ymd (int year,
                 int month,
                 int day)
{
  int y = year - (month <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned) (y - era * 400);
  unsigned doy = (153 * (unsigned) (month + (month > 2 ? -3 : 9)) + 2) / 5 + (unsigned) day - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return (BtDay) (era * 146097 + (int) doe - 719468);
}

void
bt_day_to_ymd (BtDay  day,
               int   *year,
               int   *month,
               int   *mday)
{
  int z = day + 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned) (z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = (int) yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;

  if (year)
    *year = y + (m <= 2);
  if (month)
    *month = (int) m;
  if (mday)
    *mday = (int) d;
}

char *
bt_day_format (BtDay  day,
               char  *buf)
{
  int y, m, d;

  bt_day_to_ymd (day, &y, &m, &d);
  g_snprintf (buf, 11, "%04d-%02d-%02d", y, m, d);
  return buf;
}

static gboolean
parse_digits (const char *p,
              int         n,
              int        *out)
{
  int v = 0;

  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      v = v * 10 + (p[i] - '0');
    }
  *out = v;
  return TRUE;
}

gboolean
bt_day_parse (const char *text,
              BtDay      *out)
{
  int y, m, d, y2, m2, d2;
  BtDay day;

  if (text == NULL || strlen (text) < 10)
    return FALSE;
  if (!parse_digits (text, 4, &y) || text[4] != '-' ||
      !parse_digits (text + 5, 2, &m) || text[7] != '-' ||
      !parse_digits (text + 8, 2, &d))
    return FALSE;
  if (text[10] != '\0' && text[10] != 'T' && text[10] != ' ')
    return FALSE;
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 9999)
    return FALSE;
  day = bt_day_from_ymd (y, m, d);
  bt_day_to_ymd (day, &y2, &m2, &d2);
  if (y2 != y || m2 != m || d2 != d)
    return FALSE;
  *out = day;
  return TRUE;
}

BtDay
bt_day_from_unix (gint64 seconds)
{
  gint64 q = seconds / 86400;

  if (seconds % 86400 < 0)
    q--;
  return (BtDay) q;
}

gint64
bt_day_to_unix (BtDay day)
{
  return (gint64) day * 86400;
}

BtDay
bt_day_today_utc (void)
{
  return bt_day_from_unix (g_get_real_time () / G_USEC_PER_SEC);
}

BtDay
bt_day_week_start (BtDay day)
{
  /* 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays */
  int r = (int) ((day + 3) % 7);

  if (r < 0)
    r += 7;
  return day - r;
}

BtDay
bt_day_month_start (BtDay day)
{
  int y, m;

  bt_day_to_ymd (day, &y, &m, NULL);
  return bt_day_from_ymd (y, m, 1);
}

/* ---- numbers ---- */

gboolean
bt_parse_double (const char *text,
                 double     *out)
{
  char *end = NULL;
  double v;

  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;
  /* g_ascii_strtod accepts "nan", "inf" and hex: refuse them explicitly */
  for (const char *p = text; *p; p++)
    if (g_ascii_isalpha (*p) && *p != 'e' && *p != 'E')
      return FALSE;
  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (end == text || errno == ERANGE)
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  if (*end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

char *
bt_one_line (const char *text,
             gsize       max_chars)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *out = g_string_sized_new (strlen (valid));
  gboolean blank = FALSE;
  gsize n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n >= max_chars)
        {
          g_string_append (out, "…");
          break;
        }
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029)
        {
          /* a run of line breaks and tabs is one space */
          if (!blank)
            {
              g_string_append_c (out, ' ');
              n++;
            }
          blank = TRUE;
          continue;
        }
      blank = FALSE;
      g_string_append_unichar (out, c);
      n++;
    }
  return g_string_free (out, FALSE);
}

gboolean
bt_error_one_line (gboolean   ok,
                   GError   **error)
{
  if (!ok && error != NULL && *error != NULL)
    {
      char *message = bt_one_line ((*error)->message, 400);

      g_free ((*error)->message);
      (*error)->message = message;
    }
  return ok;
}

static gboolean
json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* "\\uXXXX" at P with XXXX in [LO, HI] */
static gboolean
unicode_escape_in (const char *p,
                   const char *end,
                   guint       lo,
                   guint       hi)
{
  guint v = 0;

  if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
    return FALSE;
  for (int i = 2; i < 6; i++)
    {
      if (!g_ascii_isxdigit (p[i]))
        return FALSE;
      v = v * 16 + (guint) g_ascii_xdigit_value (p[i]);
    }
  return v >= lo && v <= hi;
}

static gboolean
is_high_surrogate (const char *p,
                   const char *end)
{
  return unicode_escape_in (p, end, 0xD800, 0xDBFF);
}

static gboolean
is_low_surrogate (const char *p,
                  const char *end)
{
  return unicode_escape_in (p, end, 0xDC00, 0xDFFF);
}

gboolean
bt_json_precheck (const char *data,
                         gsize       length)
{
  const char *p = data;
  const char *end = data + length;
  guint depth = 0;

  while (p < end && json_space (*p))
    p++;
  if (p == end)
    return TRUE;
  if (*p == '{' || *p == '[' || *p == '"')
    {
      do
        {
          if (*p == '"')
            {
              /* a string: to its closing quote */
              for (p++; p < end && *p != '"'; p++)
                if (*p == '\\' && p + 1 < end)
                  {
                    /* json-glib takes "\uZZ]" for a code point, and
                     * leaks the string of a surrogate that is not half of
                     * a pair: "\ud800\u0041", "\ud800\"", "\udc00\u0041" */
                    if (p[1] == 'u')
                      {
                        if (!unicode_escape_in (p, end, 0, 0xFFFF)
                            || unicode_escape_in (p, end, 0xDC00, 0xDFFF))
                          return FALSE;
                        if (is_high_surrogate (p, end))
                          {
                            if (!is_low_surrogate (p + 6, end))
                              return FALSE;
                            p += 6;   /* the pair, read as one */
                          }
                      }
                    p++;
                  }
              if (p == end)
                return TRUE;   /* unterminated: the parser says so */
            }
          else if (*p == '{' || *p == '[')
            depth++;
          else if ((*p == '}' || *p == ']') && depth > 0)
            depth--;
          p++;
        }
      while (p < end && depth > 0);
    }
  else
    {
      /* a number, true, false, null */
      while (p < end && !json_space (*p) && strchr ("{}[],:\"", *p) == NULL)
        p++;
    }
  while (p < end && json_space (*p))
    p++;
  return p == end;
}

char *
bt_format_double (double  value,
                  char   *buf)
{
  if (!isfinite (value))
    {
      buf[0] = '\0';
      return buf;
    }
  /* %.17g round-trips; try shorter representations first for readability */
  for (int prec = 15; prec <= 17; prec++)
    {
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, prec == 15 ? "%.15g" : prec == 16 ? "%.16g" : "%.17g", value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return buf;
}

/* ---- names ---- */

static const char *const source_names[BT_N_SOURCES] = {
  "none", "binance", "binance-futures", "coinbase", "kraken", "coinmetrics",
  "bgeometrics", "ethereum", "notion", "import", "v1", "computed",
};

static const char *const flag_names[BT_N_FLAGS] = { "missing", "ok", "stale", "imported" };

static const char *const indicator_names[BT_N_INDICATORS] = {
  "btc_price",
  "ema_17_1d", "ema_34_1d", "ema_144_1d", "ema_305_1d", "ema_610_1d",
  "ema_17_1w", "ema_34_1w", "ema_144_1w", "ema_305_1w", "ema_610_1w",
  "rsi_daily", "rsi_weekly", "rsi_monthly",
  "bb_upper", "bb_middle", "bb_lower", "bbw_percentage",
  "mvrv_z_score", "realized_price_ratio", "puell_multiple", "sth_sopr",
  "exchange_netflow", "funding_rate_7d", "long_short_ratio",
};

static const char *const input_names[BT_N_INPUTS] = {
  "open", "high", "low", "close", "volume",
  "market_cap", "realized_cap", "mvrv_ratio", "supply", "issuance_usd",
  "netflow", "sth_sopr", "funding_sum", "funding_count", "long_short",
};

static const char *const action_names[BT_N_ACTIONS] = {
  "HOLD", "ENTER", "ADD", "REDUCE", "EXIT", "LIQUIDATION",
};

static const char *const urgency_names[BT_N_URGENCIES] = { "LOW", "MEDIUM", "HIGH", "CRITICAL" };

static const char *const rule_names[BT_N_RULES] = {
  "insufficient_data", "circuit_breaker", "low_market", "take_profit", "entry", "add", "hold",
  "crash_guard", "trim", "trend_break",
};

static const char *const severity_names[BT_N_SEVERITIES] = { "INFO", "WARNING", "CRITICAL" };

static const char *const alert_kind_names[BT_N_ALERT_KINDS] = {
  "health_factor", "liquidation_distance", "market_score_cross", "decision_changed",
  "portfolio_heat", "price_move", "funding_extreme", "data_stale",
};

gboolean
_bt_name_lookup (const char *const *names,
                 guint              n,
                 const char        *name,
                 guint             *out)
{
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], name) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

BT_NAME_GETTER (bt_source_name, BtSource, source_names, BT_N_SOURCES)
BT_NAME_PARSER (bt_source_from_name, BtSource, source_names, BT_N_SOURCES)
BT_NAME_GETTER (bt_flag_name, BtFlag, flag_names, BT_N_FLAGS)
BT_NAME_PARSER (bt_flag_from_name, BtFlag, flag_names, BT_N_FLAGS)
BT_NAME_GETTER (bt_indicator_name, BtIndicator, indicator_names, BT_N_INDICATORS)
BT_NAME_PARSER (bt_indicator_from_name, BtIndicator, indicator_names, BT_N_INDICATORS)
BT_NAME_GETTER (bt_input_name, BtInput, input_names, BT_N_INPUTS)
BT_NAME_PARSER (bt_input_from_name, BtInput, input_names, BT_N_INPUTS)
BT_NAME_GETTER (bt_action_name, BtAction, action_names, BT_N_ACTIONS)
BT_NAME_PARSER (bt_action_from_name, BtAction, action_names, BT_N_ACTIONS)
BT_NAME_GETTER (bt_urgency_name, BtUrgency, urgency_names, BT_N_URGENCIES)
BT_NAME_GETTER (bt_rule_name, BtRule, rule_names, BT_N_RULES)
BT_NAME_GETTER (bt_severity_name, BtSeverity, severity_names, BT_N_SEVERITIES)
BT_NAME_PARSER (bt_severity_from_name, BtSeverity, severity_names, BT_N_SEVERITIES)
BT_NAME_GETTER (bt_alert_kind_name, BtAlertKind, alert_kind_names, BT_N_ALERT_KINDS)
BT_NAME_PARSER (bt_alert_kind_from_name, BtAlertKind, alert_kind_names, BT_N_ALERT_KINDS)

/* ---- memory ---- */

static double *
nan_column (guint n)
{
  double *col = g_new (double, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    col[i] = NAN;
  return col;
}

/* N_COLUMNS columns of N_DAYS values (NAN) and their sources (0) */
static void
alloc_columns (double **values,
               guint8 **sources,
               guint    n_columns,
               guint    n_days)
{
  for (guint k = 0; k < n_columns; k++)
    {
      values[k] = nan_column (n_days);
      sources[k] = g_new0 (guint8, MAX (n_days, 1));
    }
}

static void
free_columns (double **values,
              guint8 **sources,
              guint    n_columns)
{
  for (guint k = 0; k < n_columns; k++)
    {
      g_free (values[k]);
      g_free (sources[k]);
    }
}

BtHistory *
bt_history_new (BtDay first_day,
                guint n_days)
{
  BtHistory *h = g_new0 (BtHistory, 1);

  h->first_day = first_day;
  h->n_days = n_days;
  alloc_columns (h->input, h->input_source, BT_N_INPUTS, n_days);
  return h;
}

double *
bt_history_ensure_imported (BtHistory   *history,
                            BtIndicator  ind)
{
  g_return_val_if_fail (history != NULL && ind < BT_N_INDICATORS, NULL);

  if (history->imported[ind] == NULL)
    alloc_columns (&history->imported[ind], &history->imported_source[ind], 1, history->n_days);
  return history->imported[ind];
}

gssize
bt_history_index (const BtHistory *history,
                  BtDay            day)
{
  gint64 i = (gint64) day - history->first_day;

  if (i < 0 || i >= history->n_days)
    return -1;
  return (gssize) i;
}

void
bt_history_free (BtHistory *history)
{
  if (history == NULL)
    return;
  free_columns (history->input, history->input_source, BT_N_INPUTS);
  free_columns (history->imported, history->imported_source, BT_N_INDICATORS);
  g_free (history);
}

BtIndicatorTable *
bt_indicator_table_new (BtDay first_day,
                        guint n_days)
{
  BtIndicatorTable *t = g_new0 (BtIndicatorTable, 1);

  t->first_day = first_day;
  t->n_days = n_days;
  alloc_columns (t->value, t->source, BT_N_INDICATORS, n_days);
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    t->flag[k] = g_new0 (guint8, MAX (n_days, 1));
  return t;
}

void
bt_indicator_table_free (BtIndicatorTable *table)
{
  if (table == NULL)
    return;
  free_columns (table->value, table->source, BT_N_INDICATORS);
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    g_free (table->flag[k]);
  g_free (table);
}
