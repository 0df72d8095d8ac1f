/* bt-import-csv.c: reading an import's CSV file: the block reader, field
 * splitting, the format names, the column names and their mapping, header
 * and format detection, and the checks of a cell's value and time
 * (bt-import.h).  bt-import.c turns the rows into records and stores them.
 */
#define G_LOG_DOMAIN "bt-core"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "bt-base.h"
#include "bt-import.h"
#include "bt-import-private.h"
#include "bt-store-private.h"

static const char *const format_names[BT_N_IMPORT_FORMATS] = {
  "auto", "ohlcv", "coinmetrics", "v1", "indicators",
};

const char *
bt_import_format_name (BtImportFormat format)
{
  g_return_val_if_fail (format < BT_N_IMPORT_FORMATS, NULL);
  return format_names[format];
}

gboolean
bt_import_format_from_name (const char     *name,
                            BtImportFormat *out)
{
  for (guint i = 0; i < BT_N_IMPORT_FORMATS; i++)
    if (name != NULL && g_ascii_strcasecmp (name, format_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
_bt_import_fail (Import     *imp,
                 guint64     line,
                 GError    **error,
                 const char *format,
                 ...)
{
  g_autofree char *problem = NULL;
  g_autofree char *one_line = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  /* the problem may quote the file */
  one_line = bt_one_line (problem, 300);
  g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
               "%s:%" G_GUINT64_FORMAT ": %s", imp->display, line, one_line);
  return FALSE;
}

/* ---- reading lines --------------------------------------------------------- */

/* 1: a line, 0: end of file, -1: error */
int
_bt_import_reader_next (Reader  *r,
                        Import  *imp,
                        char   **out,
                        gsize   *out_len,
                        GError **error)
{
  for (;;)
    {
      char *start = r->buf + r->pos;
      char *nl = memchr (start, '\n', r->len - r->pos);
      gsize n;

      if (nl == NULL && !r->eof)
        {
          gsize got;

          memmove (r->buf, start, r->len - r->pos);
          r->len -= r->pos;
          r->pos = 0;
          if (r->len + 1 >= r->cap)
            {
              if (r->cap >= MAX_LINE)
                {
                  _bt_import_fail (imp, r->line + 1, error, _("the line is too long"));
                  return -1;
                }
              r->cap *= 2;
              r->buf = g_realloc (r->buf, r->cap);
            }
          got = fread (r->buf + r->len, 1, r->cap - 1 - r->len, r->f);
          if (got > 0 && imp->digest != NULL)
            g_checksum_update (imp->digest, (const guchar *) r->buf + r->len, (gssize) got);
          if (got == 0)
            {
              if (ferror (r->f))
                {
                  g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_FAILED,
                               _("%s: cannot read the file: %s"), imp->display, g_strerror (errno));
                  return -1;
                }
              r->eof = TRUE;
            }
          r->len += got;
          continue;
        }
      if (nl == NULL)
        {
          /* the last line, without a newline: the buffer keeps a spare byte */
          if (r->pos >= r->len)
            return 0;
          nl = r->buf + r->len;
          r->pos = r->len;
        }
      else
        r->pos = (gsize) (nl - r->buf) + 1;
      n = (gsize) (nl - start);
      r->line++;
      if (!g_utf8_validate (start, (gssize) n, NULL) || (n > 0 && memchr (start, '\0', n) != NULL))
        {
          _bt_import_fail (imp, r->line, error, _("the file is not CSV text (binary data or invalid UTF-8)"));
          return -1;
        }
      *nl = '\0';
      if (n > 0 && start[n - 1] == '\r')
        start[--n] = '\0';
      if (r->line == 1 && n >= 3 && memcmp (start, "\xEF\xBB\xBF", 3) == 0)
        {
          start += 3;
          n -= 3;
        }
      *out = start;
      *out_len = n;
      return 1;
    }
}

static char *
trim (char *s,
      char *end)
{
  while (s < end && (*s == ' ' || *s == '\t'))
    s++;
  while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  *end = '\0';
  return s;
}

/* Splits LINE in place; returns the number of fields (possibly more than
 * MAX, only the first MAX are stored), or -1 on an unterminated quote. */
int
_bt_import_split_fields (char  *line,
                         char **fields,
                         int    max)
{
  int n = 0;
  char *p = line;

  for (;;)
    {
      char *start = p;
      char *field;
      char c;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '"')
        {
          char *w = ++p;

          field = w;
          for (;;)
            {
              if (*p == '\0')
                return -1;
              if (*p == '"' && p[1] == '"')
                {
                  *w++ = '"';
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                *w++ = *p++;
            }
          while (*p == ' ' || *p == '\t')
            p++;
          if (*p != ',' && *p != '\0')
            return -1;
          c = *p;
          *w = '\0';
        }
      else
        {
          p = start;
          while (*p != ',' && *p != '\0')
            p++;
          c = *p;
          field = trim (start, p);
        }
      if (n < max)
        fields[n] = field;
      n++;
      if (c == '\0')
        return n;
      p++;
    }
}

/* ---- header mapping -------------------------------------------------------- */

typedef struct
{
  const char *name;
  ColKind     kind;
  Limit       limit;
  const char *metric;
  int         shift;
} NameMap;

/* The FIELD names of a column mapping (README, "Importing history"), also
 * recognised as headers; the indicator names of the `indicators` contract
 * come on top. */
static const NameMap field_names[] = {
  { "date", COL_DATE, 0, NULL, 0 },
  { "open", COL_OPEN, LIM_PRICE, NULL, 0 },
  { "high", COL_HIGH, LIM_PRICE, NULL, 0 },
  { "low", COL_LOW, LIM_PRICE, NULL, 0 },
  { "close", COL_CLOSE, LIM_PRICE, NULL, 0 },
  { "volume", COL_VOLUME, LIM_VOLUME, NULL, 0 },
  { "PriceUSD", COL_PRICE, LIM_PRICE, NULL, 0 },
  { "CapMrktCurUSD", COL_MARKET_CAP, LIM_CAP, NULL, 0 },
  { "CapRealUSD", COL_REALIZED_CAP, LIM_CAP, NULL, 0 },
  { "CapMVRVCur", COL_MVRV, LIM_RATIO, NULL, 0 },
  { "SplyCur", COL_SUPPLY, LIM_SUPPLY, NULL, 0 },
  { "IssTotNtv", COL_ISS_NTV, LIM_COINS, NULL, 0 },
  { "IssTotUSD", COL_ISS_USD, LIM_USD, NULL, 0 },
  { "FlowInExNtv", COL_FLOW_IN, LIM_FLOW, NULL, 0 },
  { "FlowOutExNtv", COL_FLOW_OUT, LIM_FLOW, NULL, 0 },
  { "funding_rate", COL_FUNDING, LIM_FUNDING, NULL, 0 },
  { "ignore", COL_IGNORE, 0, NULL, 0 },
};

/* Other names recognised without a mapping.  The legacy Coin Metrics
 * price(USD) and marketcap(USD) of day D are the values at 00:00 UTC of D,
 * the close of D − 1 (README, "Importing history"): stored for D − 1. */
static const NameMap alias_names[] = {
  { "time", COL_DATE, 0, NULL, 0 },
  { "t", COL_DATE, 0, NULL, 0 },
  { "timestamp", COL_DATE, 0, NULL, 0 },
  { "datetime", COL_DATE, 0, NULL, 0 },
  { "unix", COL_DATE, 0, NULL, 0 },
  { "price", COL_PRICE, LIM_PRICE, NULL, 0 },
  { "price(USD)", COL_PRICE, LIM_PRICE, NULL, -1 },
  { "marketcap(USD)", COL_MARKET_CAP, LIM_CAP, NULL, -1 },
  { "realizedCap(USD)", COL_REALIZED_CAP, LIM_CAP, NULL, 0 },
  { "generatedCoins", COL_ISS_NTV, LIM_COINS, NULL, 0 },
};

static const NameMap v1_names[] = {
  { "timestamp", COL_DATE, 0, NULL, 0 },
  { "date", COL_DATE, 0, NULL, 0 },
  { "mvrv_z_score", COL_METRIC, LIM_SIGNED, "mvrv_z_score", 0 },
  { "realized_ratio", COL_METRIC, LIM_NONNEG, "realized_price_ratio", 0 },
  { "puell_multiple", COL_METRIC, LIM_NONNEG, "puell_multiple", 0 },
  { "rsi_semanal", COL_METRIC, LIM_RSI, "rsi_weekly", 0 },
  { "funding_rates", COL_METRIC, LIM_SIGNED, "funding_rate_7d", 0 },
  { "exchange_netflow", COL_METRIC, LIM_SIGNED, "exchange_netflow", 0 },
  { "long_short_ratio", COL_METRIC, LIM_NONNEG, "long_short_ratio", 0 },
  { "health_factor", COL_METRIC, LIM_NONNEG, "legacy_health_factor", 0 },
  { "dist_liquidacao", COL_METRIC, LIM_SIGNED, "legacy_liquidation_distance", 0 },
  { "btc_price_current", COL_PRICE, LIM_PRICE, NULL, 0 },
  { "ema_17_1w", COL_METRIC, LIM_PRICE, "ema_17_1w", 0 },
  { "ema_34_1w", COL_METRIC, LIM_PRICE, "ema_34_1w", 0 },
  { "ema_144_1w", COL_METRIC, LIM_PRICE, "ema_144_1w", 0 },
  { "ema_305_1w", COL_METRIC, LIM_PRICE, "ema_305_1w", 0 },
  { "ema_610_1w", COL_METRIC, LIM_PRICE, "ema_610_1w", 0 },
  { "ema_17_1d", COL_METRIC, LIM_PRICE, "ema_17_1d", 0 },
  { "ema_34_1d", COL_METRIC, LIM_PRICE, "ema_34_1d", 0 },
  { "ema_144_1d", COL_METRIC, LIM_PRICE, "ema_144_1d", 0 },
  { "ema_305_1d", COL_METRIC, LIM_PRICE, "ema_305_1d", 0 },
  { "ema_610_1d", COL_METRIC, LIM_PRICE, "ema_610_1d", 0 },
};

static Limit
indicator_limit (BtIndicator ind)
{
  switch (ind)
    {
    case BT_IND_RSI_DAILY:
    case BT_IND_RSI_WEEKLY:
    case BT_IND_RSI_MONTHLY:
      return LIM_RSI;
    case BT_IND_MVRV_Z_SCORE:
    case BT_IND_EXCHANGE_NETFLOW:
    case BT_IND_FUNDING_RATE_7D:
      return LIM_SIGNED;
    case BT_IND_BBW_PERCENTAGE:
    case BT_IND_REALIZED_PRICE_RATIO:
    case BT_IND_PUELL_MULTIPLE:
    case BT_IND_STH_SOPR:
    case BT_IND_LONG_SHORT_RATIO:
      return LIM_NONNEG;
    default:
      return LIM_PRICE;   /* btc_price, EMAs, Bollinger bands */
    }
}

static gboolean
lookup (const NameMap *map,
        guint          n,
        const char    *name,
        Column        *col)
{
  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp (map[i].name, name) == 0)
      {
        col->kind = map[i].kind;
        col->limit = map[i].limit;
        col->metric = map[i].metric;
        col->shift = map[i].shift;
        return TRUE;
      }
  return FALSE;
}

/* A FIELD name (of --column HEADER=FIELD) into COL. */
static gboolean
lookup_field (const char *field,
              Column     *col)
{
  BtIndicator ind;

  col->kind = COL_IGNORE;
  col->shift = 0;
  if (lookup (field_names, G_N_ELEMENTS (field_names), field, col))
    return TRUE;
  if (bt_indicator_from_name (field, &ind))
    {
      /* btc_price is a close-only price; its metric name marks it as the
       * indicator column rather than a Coin Metrics one */
      col->kind = ind == BT_IND_BTC_PRICE ? COL_PRICE : COL_METRIC;
      col->limit = indicator_limit (ind);
      col->metric = bt_indicator_name (ind);
      return TRUE;
    }
  return FALSE;
}

static void
map_column (BtImportFormat  format,
            const char     *name,
            Column         *col)
{
  col->kind = COL_IGNORE;
  col->shift = 0;
  if (format == BT_IMPORT_FORMAT_V1)
    lookup (v1_names, G_N_ELEMENTS (v1_names), name, col);
  else if (!lookup_field (name, col))
    lookup (alias_names, G_N_ELEMENTS (alias_names), name, col);
}

static const char *const *
field_list (void)
{
  static const char *list[G_N_ELEMENTS (field_names) + BT_N_INDICATORS + 1];

  if (list[0] == NULL)
    {
      guint n = 0;

      for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
        list[n++] = field_names[i].name;
      for (guint k = 0; k < BT_N_INDICATORS; k++)
        list[n++] = bt_indicator_name (k);
      list[n] = NULL;
    }
  return list;
}

const char *const *
bt_import_list_fields (void)
{
  return field_list ();
}

/* The field name of each column kind: the name a mapping (--column
 * HEADER=FIELD) gives it and the one messages use. */
static const char *const kind_names[N_COLS] = {
  [COL_DATE] = "date", [COL_OPEN] = "open", [COL_HIGH] = "high", [COL_LOW] = "low",
  [COL_CLOSE] = "close", [COL_VOLUME] = "volume", [COL_PRICE] = "PriceUSD",
  [COL_MARKET_CAP] = "CapMrktCurUSD", [COL_REALIZED_CAP] = "CapRealUSD",
  [COL_MVRV] = "CapMVRVCur", [COL_SUPPLY] = "SplyCur", [COL_ISS_NTV] = "IssTotNtv",
  [COL_ISS_USD] = "IssTotUSD", [COL_FLOW_IN] = "FlowInExNtv", [COL_FLOW_OUT] = "FlowOutExNtv",
  [COL_FUNDING] = "funding_rate",
};

gboolean
bt_import_is_field (const char *field)
{
  Column col;

  return field != NULL && lookup_field (field, &col);
}

const char *
bt_import_guess_field (const char *header)
{
  Column col = { 0 };

  g_return_val_if_fail (header != NULL, NULL);

  map_column (BT_IMPORT_FORMAT_AUTO, header, &col);
  if (col.kind == COL_METRIC)
    return col.metric;
  if (col.kind == COL_PRICE && col.metric != NULL)
    return col.metric;
  return kind_names[col.kind];
}

static gboolean
header_has (char      **fields,
            int         n,
            const char *name)
{
  for (int i = 0; i < n; i++)
    if (g_ascii_strcasecmp (fields[i], name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_v1_header (char **fields,
              int    n)
{
  static const char *const v1_only[] = {
    "realized_ratio", "rsi_semanal", "funding_rates", "dist_liquidacao", "btc_price_current",
  };

  Column col;

  for (guint k = 0; k < G_N_ELEMENTS (v1_only); k++)
    if (header_has (fields, n, v1_only[k]))
      return TRUE;
  /* a v1 table without its telltale columns: "timestamp" and v1 names only */
  if (!header_has (fields, n, "timestamp") || header_has (fields, n, "date"))
    return FALSE;
  for (int i = 0; i < n; i++)
    if (!lookup (v1_names, G_N_ELEMENTS (v1_names), fields[i], &col))
      return FALSE;
  return TRUE;
}

static gboolean
is_coinmetrics_kind (ColKind kind)
{
  return kind >= COL_PRICE && kind <= COL_FLOW_OUT;
}

gboolean
_bt_import_read_header (Import      *imp,
                        char        *line,
                        BtImportFormat requested,
                        GError     **error)
{
  char *fields[MAX_FIELDS];
  int n = _bt_import_split_fields (line, fields, MAX_FIELDS);
  int have[N_COLS];
  guint n_data = 0, n_ohlc = 0;
  gboolean any_cm = FALSE;
  BtImportFormat general;

  if (n < 0)
    return _bt_import_fail (imp, 1, error, _("unterminated quote in the header"));
  if (n > MAX_FIELDS)
    return _bt_import_fail (imp, 1, error, _("too many columns (more than %d)"), MAX_FIELDS);
  for (guint k = 0; k < N_COLS; k++)
    have[k] = -1;

  /* every mapped header must exist */
  if (imp->mapping != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, imp->mapping);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!header_has (fields, n, key))
          return _bt_import_fail (imp, 1, error, _("the column mapping names “%s”, which is not in the header"),
                                  (const char *) key);
    }

  if (requested == BT_IMPORT_FORMAT_V1
      || (requested == BT_IMPORT_FORMAT_AUTO && imp->mapping == NULL && is_v1_header (fields, n)))
    imp->format = BT_IMPORT_FORMAT_V1;
  else
    imp->format = BT_IMPORT_FORMAT_AUTO;
  imp->source = imp->format == BT_IMPORT_FORMAT_V1 ? BT_SOURCE_V1 : BT_SOURCE_IMPORT;
  imp->n_cols = (guint) n;
  imp->cols = g_new0 (Column, n);
  for (int i = 0; i < n; i++)
    {
      Column *col = &imp->cols[i];
      g_autofree char *folded = g_ascii_strdown (fields[i], -1);
      const char *field = imp->mapping ? g_hash_table_lookup (imp->mapping, folded) : NULL;

      col->name = g_strdup (fields[i]);
      if (field != NULL)
        {
          lookup_field (field, col);
          col->mapped = TRUE;
        }
      else
        map_column (imp->format, fields[i], col);
    }

  /* an export with open/high/low/close; a lone close is a close-only price */
  for (guint i = 0; i < imp->n_cols; i++)
    {
      ColKind k = imp->cols[i].kind;

      n_ohlc += k == COL_OPEN || k == COL_HIGH || k == COL_LOW || k == COL_CLOSE;
    }
  if (imp->format != BT_IMPORT_FORMAT_V1 && n_ohlc < 2)
    for (guint i = 0; i < imp->n_cols; i++)
      if (imp->cols[i].kind == COL_CLOSE)
        imp->cols[i].kind = COL_PRICE;

  for (guint i = 0; i < imp->n_cols; i++)
    {
      Column *col = &imp->cols[i];

      if (col->kind == COL_IGNORE)
        {
          if (!col->mapped && imp->unknown != NULL)
            g_ptr_array_add (imp->unknown, g_strdup (col->name));
          continue;
        }
      for (guint j = 0; j < i; j++)
        if (imp->cols[j].kind != COL_IGNORE && g_ascii_strcasecmp (imp->cols[j].name, col->name) == 0)
          return _bt_import_fail (imp, 1, error, _("the column “%s” appears twice"), col->name);
      if (col->kind == COL_DATE && have[COL_DATE] >= 0)
        return _bt_import_fail (imp, 1, error, _("more than one date column (“%s” and “%s”)"),
                                imp->cols[have[COL_DATE]].name, col->name);
      if (col->kind == COL_METRIC)
        {
          for (guint j = 0; j < i; j++)
            if (imp->cols[j].kind == COL_METRIC && g_strcmp0 (imp->cols[j].metric, col->metric) == 0)
              return _bt_import_fail (imp, 1, error, _("the columns “%s” and “%s” both give %s"),
                                      imp->cols[j].name, col->name, col->metric);
        }
      else if (have[col->kind] >= 0)
        return _bt_import_fail (imp, 1, error, _("the columns “%s” and “%s” both give %s"),
                                imp->cols[have[col->kind]].name, col->name, kind_names[col->kind]);
      have[col->kind] = (int) i;
      any_cm |= is_coinmetrics_kind (col->kind) && col->metric == NULL;
      if (col->kind != COL_DATE)
        n_data++;
    }

  if (imp->format != BT_IMPORT_FORMAT_V1)
    {
      general = n_ohlc >= 2 ? BT_IMPORT_FORMAT_OHLCV
                : any_cm ? BT_IMPORT_FORMAT_COINMETRICS : BT_IMPORT_FORMAT_INDICATORS;
      imp->format = requested != BT_IMPORT_FORMAT_AUTO ? requested : general;
    }
  if (have[COL_DATE] < 0)
    return _bt_import_fail (imp, 1, error, _("missing required column “%s”"),
                            imp->format == BT_IMPORT_FORMAT_V1 ? "timestamp"
                            : imp->format == BT_IMPORT_FORMAT_OHLCV ? "Date" : "date");
  if (imp->format == BT_IMPORT_FORMAT_OHLCV)
    {
      static const struct { ColKind kind; const char *name; } req[] = {
        { COL_OPEN, "Open" }, { COL_HIGH, "High" }, { COL_LOW, "Low" }, { COL_CLOSE, "Close" },
      };

      for (guint k = 0; k < G_N_ELEMENTS (req); k++)
        if (have[req[k].kind] < 0)
          return _bt_import_fail (imp, 1, error, _("missing required column “%s”"), req[k].name);
    }
  if (n_data == 0)
    return _bt_import_fail (imp, 1, error,
                            _("no known data column in the header (format %s); name the columns with "
                              "--column HEADER=FIELD"),
                            bt_import_format_name (imp->format));
  if ((have[COL_PRICE] >= 0 && imp->cols[have[COL_PRICE]].shift != 0)
      || (have[COL_MARKET_CAP] >= 0 && imp->cols[have[COL_MARKET_CAP]].shift != 0))
    {
      imp->legacy_coins = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      imp->legacy_price = g_hash_table_new_full (NULL, NULL, NULL, g_free);
    }
  return TRUE;
}

/* ---- values ---------------------------------------------------------------- */

/* FALSE with a problem set for bad values; *SKIP for "no data" zeros. */
static gboolean
check_limit (Limit        limit,
             double       v,
             gboolean    *skip,
             const char **problem)
{
  *skip = FALSE;
  switch (limit)
    {
    case LIM_PRICE:
      if (v <= 0)
        *problem = N_("a price must be positive");
      else if (v > 1e9)
        *problem = N_("the price is absurdly large");
      break;
    case LIM_CAP:
    case LIM_RATIO:
    case LIM_SUPPLY:
      if (v < 0)
        *problem = N_("the value must not be negative");
      else if (v == 0)
        *skip = TRUE;
      else if ((limit == LIM_CAP && v > 1e15) || (limit == LIM_RATIO && v > 1e4)
               || (limit == LIM_SUPPLY && v > 2.2e7))
        *problem = N_("the value is absurdly large");
      break;
    case LIM_VOLUME:
    case LIM_COINS:
    case LIM_USD:
    case LIM_FLOW:
    case LIM_NONNEG:
      if (v < 0)
        *problem = N_("the value must not be negative");
      else if ((limit == LIM_FLOW && v > 2.2e7) || (limit == LIM_COINS && v > 1e7) || v > 1e15)
        *problem = N_("the value is absurdly large");
      break;
    case LIM_RSI:
      if (v < 0 || v > 100)
        *problem = N_("an RSI must lie between 0 and 100");
      break;
    case LIM_FUNDING:
      if (fabs (v) > 0.05)
        *problem = N_("a funding rate is a fraction per 8 hours (0.0001 = 0.01 %); this one is too large");
      break;
    case LIM_SIGNED:
    default:
      if (fabs (v) > 1e15)
        *problem = N_("the value is absurdly large");
      break;
    }
  return *problem == NULL;
}

static gboolean
is_empty_cell (const char *s)
{
  return s[0] == '\0' || g_ascii_strcasecmp (s, "null") == 0;
}

gboolean
_bt_import_parse_cell (Import      *imp,
                       guint64      line,
                       const Column *col,
                       const char  *text,
                       double      *out,
                       GError     **error)
{
  const char *problem = NULL;
  gboolean skip;

  *out = NAN;
  if (is_empty_cell (text))
    return TRUE;
  if (!bt_parse_double (text, out))
    return _bt_import_fail (imp, line, error, _("“%s” in column “%s” is not a finite number"), text, col->name);
  if (!check_limit (col->limit, *out, &skip, &problem))
    return _bt_import_fail (imp, line, error, _("%s in column “%s” (%s)"), _(problem), col->name, text);
  if (skip)
    *out = NAN;
  return TRUE;
}

/* A row's date: YYYY-MM-DD, an ISO 8601 date and time ("YYYY-MM-DD
 * HH:MM:SS", "…T00:00:00.000Z"), or unix seconds or milliseconds.  A daily
 * row must be at 00:00 UTC; v1 tables keep their time of day. */
gboolean
_bt_import_parse_time (Import      *imp,
                       guint64      line,
                       const char  *text,
                       BtDay       *day,
                       gint64      *time,
                       GError     **error)
{
  gsize len = strlen (text);
  gboolean digits = len > 0;

  for (gsize k = 0; k < len; k++)
    digits &= g_ascii_isdigit (text[k]);
  if (digits && len >= 6 && len <= 13)
    {
      gint64 t = g_ascii_strtoll (text, NULL, 10);

      if (len >= 12)
        {
          if (t % 1000 != 0)
            return _bt_import_fail (imp, line, error, _("“%s” is not at 00:00 UTC (a daily row needs midnight)"), text);
          t /= 1000;
        }
      if (t % 86400 != 0 && imp->format != BT_IMPORT_FORMAT_V1)
        return _bt_import_fail (imp, line, error, _("“%s” is not at 00:00 UTC (a daily row needs midnight)"), text);
      *time = t;
      *day = bt_day_from_unix (t);
      return TRUE;
    }
  if (len > 10)
    {
      g_autofree char *copy = g_strdup (text);
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) dt = NULL;

      if (copy[10] == ' ')
        copy[10] = 'T';
      dt = g_date_time_new_from_iso8601 (copy, utc);
      if (dt == NULL)
        return _bt_import_fail (imp, line, error, _("“%s” is not a date (YYYY-MM-DD)"), text);
      *time = g_date_time_to_unix (dt);
      *day = bt_day_from_unix (*time);
      if (imp->format == BT_IMPORT_FORMAT_V1)
        return TRUE;
      if (*time != bt_day_to_unix (*day) || g_date_time_get_microsecond (dt) != 0)
        return _bt_import_fail (imp, line, error, _("“%s” is not at 00:00 UTC (a daily row needs midnight)"), text);
      return TRUE;
    }
  if (!bt_day_parse (text, day))
    return _bt_import_fail (imp, line, error, _("“%s” is not a date (YYYY-MM-DD)"), text);
  *time = bt_day_to_unix (*day);
  return TRUE;
}
