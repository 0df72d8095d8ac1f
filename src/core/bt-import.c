/* bt-import.c: CSV imports into the store.
 *
 * A file is read in 64 KiB blocks and split into lines in place; each data
 * row becomes a few records (candles or observations) upserted inside the
 * file's single transaction.  The first problem found aborts the import
 * with "FILE:LINE: problem" and rolls everything back.
 *
 * A day met twice in one file is accepted only when the second row carries
 * the same values as the first: a bitmap of the days already seen (one bit
 * per day of years 1900–9999, in 8 KB pieces allocated as rows reach them)
 * sends the rare repeated day to a
 * comparison with what the first row stored.  Legacy v1 tables may hold
 * several rows per day (datetimes): there the latest time of the day wins.
 */
#define G_LOG_DOMAIN "bt-core"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "bt-base.h"
#include "bt-import.h"
#include "bt-store-private.h"

#define READ_BLOCK     (64 * 1024)
#define MAX_LINE       (16 * 1024 * 1024)
#define MAX_FIELDS     1024
#define DAY_MIN        (-25567)      /* 1900-01-01, the earliest day bt_day_parse accepts */
#define DAY_SPAN       (2958466 + 25567 + 1)
#define SEEN_PIECE     (8 * 1024)    /* bytes of one piece of the bitmap */
#define SEEN_PIECES    (DAY_SPAN / (SEEN_PIECE * 8) + 1)

/* ---- column kinds ---------------------------------------------------------- */

typedef enum
{
  COL_IGNORE = 0,
  COL_DATE,
  COL_OPEN,
  COL_HIGH,
  COL_LOW,
  COL_CLOSE,
  COL_VOLUME,
  COL_PRICE,          /* a close-only candle */
  COL_MARKET_CAP,
  COL_REALIZED_CAP,
  COL_MVRV,
  COL_SUPPLY,
  COL_ISS_NTV,
  COL_ISS_USD,
  COL_FLOW_IN,
  COL_FLOW_OUT,
  COL_METRIC,         /* an observation named by metric */
  COL_FUNDING,        /* daily mean of 8-hourly funding, a fraction */
  N_COLS
} ColKind;

typedef enum
{
  LIM_PRICE,          /* > 0, ≤ 1e9 */
  LIM_VOLUME,         /* ≥ 0 */
  LIM_CAP,            /* ≥ 0, 0 = no data */
  LIM_RATIO,          /* ≥ 0, 0 = no data */
  LIM_SUPPLY,         /* ≥ 0, 0 = no data, ≤ 22 million */
  LIM_COINS,          /* ≥ 0 */
  LIM_USD,            /* ≥ 0 */
  LIM_FLOW,           /* ≥ 0, ≤ 22 million */
  LIM_SIGNED,         /* any sign */
  LIM_RSI,            /* 0–100 */
  LIM_NONNEG,         /* ≥ 0 */
  LIM_FUNDING,        /* |x| ≤ 0.05 (a fraction per 8 h) */
} Limit;

typedef struct
{
  ColKind     kind;
  Limit       limit;
  const char *metric;     /* COL_METRIC */
  char       *name;       /* as written in the header */
  int         shift;      /* days added to the row's date (legacy Coin Metrics: −1) */
  gboolean    mapped;     /* named by the caller's column mapping */
} Column;

typedef struct
{
  gboolean    candle;
  BtCandle    c;          /* c.open_time: the record's day (observations too) */
  const char *metric;
  double      value;
} Rec;

#define MAX_RECS (MAX_FIELDS + 8)

typedef struct
{
  gint64  time;           /* v1: the row's time, the latest of the day wins */
  guint64 line;
  guint   n_recs;
  Rec    *recs;
} V1Row;

typedef struct
{
  BtStore        *store;
  char           *display;
  BtImportFormat  format;
  BtSource        source;
  Column         *cols;
  guint           n_cols;
  guint8         *seen[SEEN_PIECES];
  GHashTable     *v1_rows;     /* BtDay → V1Row* */
  BtStoreChanges  changes;
  BtImportStats   stats;
  gint64          batch;       /* the import_batches row of this file */
  BtDay           today;       /* a row of this day (or later) is still open */
  GHashTable     *mapping;     /* header (casefolded) → field, from the caller */
  GPtrArray      *unknown;     /* header names nothing reads (may be NULL) */
  GChecksum      *digest;      /* of the file's bytes and the mapping */
  GHashTable     *legacy_coins; /* legacy file: day → generatedCoins of that day */
  GHashTable     *legacy_price; /* legacy file: day → price at the end of that day */
} Import;

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

static gboolean fail (Import     *imp,
                      guint64     line,
                      GError    **error,
                      const char *format,
                      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (Import     *imp,
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

typedef struct
{
  FILE    *f;
  char    *buf;
  gsize    cap;
  gsize    pos;
  gsize    len;
  gboolean eof;
  guint64  line;
} Reader;

/* 1: a line, 0: end of file, -1: error */
static int
reader_next (Reader  *r,
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
                  fail (imp, r->line + 1, error, _("the line is too long"));
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
          fail (imp, r->line, error, _("the file is not CSV text (binary data or invalid UTF-8)"));
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
static int
split_fields (char  *line,
              char **fields,
              int    max)
{
  int n = 0;
  char *p = line;

  for (;;)
    {
      char *start = p;
      char *field;

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
          {
            char c = *p;

            *w = '\0';
            if (n < max)
              fields[n] = field;
            n++;
            if (c == '\0')
              return n;
            p++;
          }
          continue;
        }
      p = start;
      while (*p != ',' && *p != '\0')
        p++;
      {
        char c = *p;

        field = trim (start, p);
        if (n < max)
          fields[n] = field;
        n++;
        if (c == '\0')
          return n;
        p++;
      }
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

gboolean
bt_import_is_field (const char *field)
{
  Column col;

  return field != NULL && lookup_field (field, &col);
}

const char *
bt_import_guess_field (const char *header)
{
  static const char *const kind_field[N_COLS] = {
    [COL_DATE] = "date", [COL_OPEN] = "open", [COL_HIGH] = "high", [COL_LOW] = "low",
    [COL_CLOSE] = "close", [COL_VOLUME] = "volume", [COL_PRICE] = "PriceUSD",
    [COL_MARKET_CAP] = "CapMrktCurUSD", [COL_REALIZED_CAP] = "CapRealUSD",
    [COL_MVRV] = "CapMVRVCur", [COL_SUPPLY] = "SplyCur", [COL_ISS_NTV] = "IssTotNtv",
    [COL_ISS_USD] = "IssTotUSD", [COL_FLOW_IN] = "FlowInExNtv", [COL_FLOW_OUT] = "FlowOutExNtv",
    [COL_FUNDING] = "funding_rate",
  };
  Column col = { 0 };

  g_return_val_if_fail (header != NULL, NULL);

  map_column (BT_IMPORT_FORMAT_AUTO, header, &col);
  if (col.kind == COL_METRIC)
    return col.metric;
  if (col.kind == COL_PRICE && col.metric != NULL)
    return col.metric;
  return kind_field[col.kind];
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

static gboolean
read_header (Import      *imp,
             char        *line,
             BtImportFormat requested,
             GError     **error)
{
  static const char *const kind_names[N_COLS] = {
    [COL_DATE] = "date", [COL_OPEN] = "open", [COL_HIGH] = "high", [COL_LOW] = "low",
    [COL_CLOSE] = "close", [COL_VOLUME] = "volume", [COL_PRICE] = "PriceUSD",
    [COL_MARKET_CAP] = "CapMrktCurUSD", [COL_REALIZED_CAP] = "CapRealUSD",
    [COL_MVRV] = "CapMVRVCur", [COL_SUPPLY] = "SplyCur", [COL_ISS_NTV] = "IssTotNtv",
    [COL_ISS_USD] = "IssTotUSD", [COL_FLOW_IN] = "FlowInExNtv", [COL_FLOW_OUT] = "FlowOutExNtv",
    [COL_FUNDING] = "funding_rate",
  };
  char *fields[MAX_FIELDS];
  int n = split_fields (line, fields, MAX_FIELDS);
  int have[N_COLS];
  guint n_data = 0, n_ohlc = 0;
  gboolean any_cm = FALSE;
  BtImportFormat general;

  if (n < 0)
    return fail (imp, 1, error, _("unterminated quote in the header"));
  if (n > MAX_FIELDS)
    return fail (imp, 1, error, _("too many columns (more than %d)"), MAX_FIELDS);
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
          return fail (imp, 1, error, _("the column mapping names “%s”, which is not in the header"),
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
          return fail (imp, 1, error, _("the column “%s” appears twice"), col->name);
      if (col->kind == COL_DATE && have[COL_DATE] >= 0)
        return fail (imp, 1, error, _("more than one date column (“%s” and “%s”)"),
                     imp->cols[have[COL_DATE]].name, col->name);
      if (col->kind == COL_METRIC)
        {
          for (guint j = 0; j < i; j++)
            if (imp->cols[j].kind == COL_METRIC && g_strcmp0 (imp->cols[j].metric, col->metric) == 0)
              return fail (imp, 1, error, _("the columns “%s” and “%s” both give %s"),
                           imp->cols[j].name, col->name, col->metric);
        }
      else if (have[col->kind] >= 0)
        return fail (imp, 1, error, _("the columns “%s” and “%s” both give %s"),
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
    return fail (imp, 1, error, _("missing required column “%s”"),
                 imp->format == BT_IMPORT_FORMAT_V1 ? "timestamp"
                 : imp->format == BT_IMPORT_FORMAT_OHLCV ? "Date" : "date");
  if (imp->format == BT_IMPORT_FORMAT_OHLCV)
    {
      static const struct { ColKind kind; const char *name; } req[] = {
        { COL_OPEN, "Open" }, { COL_HIGH, "High" }, { COL_LOW, "Low" }, { COL_CLOSE, "Close" },
      };

      for (guint k = 0; k < G_N_ELEMENTS (req); k++)
        if (have[req[k].kind] < 0)
          return fail (imp, 1, error, _("missing required column “%s”"), req[k].name);
    }
  if (n_data == 0)
    return fail (imp, 1, error,
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

static gboolean
parse_cell (Import      *imp,
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
    return fail (imp, line, error, _("“%s” in column “%s” is not a finite number"), text, col->name);
  if (!check_limit (col->limit, *out, &skip, &problem))
    return fail (imp, line, error, _("%s in column “%s” (%s)"), _(problem), col->name, text);
  if (skip)
    *out = NAN;
  return TRUE;
}

/* A row's date: YYYY-MM-DD, an ISO 8601 date and time ("YYYY-MM-DD
 * HH:MM:SS", "…T00:00:00.000Z"), or unix seconds or milliseconds.  A daily
 * row must be at 00:00 UTC; v1 tables keep their time of day. */
static gboolean
parse_time (Import      *imp,
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
            return fail (imp, line, error, _("“%s” is not at 00:00 UTC (a daily row needs midnight)"), text);
          t /= 1000;
        }
      if (t % 86400 != 0 && imp->format != BT_IMPORT_FORMAT_V1)
        return fail (imp, line, error, _("“%s” is not at 00:00 UTC (a daily row needs midnight)"), text);
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
        return fail (imp, line, error, _("“%s” is not a date (YYYY-MM-DD)"), text);
      *time = g_date_time_to_unix (dt);
      *day = bt_day_from_unix (*time);
      if (imp->format == BT_IMPORT_FORMAT_V1)
        return TRUE;
      if (*time != bt_day_to_unix (*day) || g_date_time_get_microsecond (dt) != 0)
        return fail (imp, line, error, _("“%s” is not at 00:00 UTC (a daily row needs midnight)"), text);
      return TRUE;
    }
  if (!bt_day_parse (text, day))
    return fail (imp, line, error, _("“%s” is not a date (YYYY-MM-DD)"), text);
  *time = bt_day_to_unix (*day);
  return TRUE;
}

static void
add_obs (Rec        *recs,
         guint      *n,
         BtDay       day,
         const char *metric,
         double      value)
{
  if (!isfinite (value))
    return;
  recs[*n].candle = FALSE;
  recs[*n].c.open_time = bt_day_to_unix (day);
  recs[*n].metric = metric;
  recs[*n].value = value;
  (*n)++;
}

static void
add_close_candle (Rec    *recs,
                  guint  *n,
                  BtDay   day,
                  double  close)
{
  if (!isfinite (close))
    return;
  recs[*n].candle = TRUE;
  recs[*n].c.open_time = bt_day_to_unix (day);
  recs[*n].c.open = recs[*n].c.high = recs[*n].c.low = recs[*n].c.volume = NAN;
  recs[*n].c.close = close;
  recs[*n].c.provisional = FALSE;
  (*n)++;
}

static gboolean
ohlcv_records (Import        *imp,
               guint64        line,
               BtDay          day,
               const double  *v,
               Rec           *recs,
               guint         *n,
               GError       **error)
{
  double o = v[COL_OPEN], h = v[COL_HIGH], l = v[COL_LOW], c = v[COL_CLOSE];
  double tol;

  if (isnan (o) && isnan (h) && isnan (l) && isnan (c))
    return TRUE;                /* an empty row ("null" everywhere): no data */
  if (isnan (c))
    return fail (imp, line, error, _("the Close cell is empty"));
  tol = 1e-9 * c;
  if (!isnan (h) && !isnan (l) && h < l)
    return fail (imp, line, error, _("High (%g) is below Low (%g)"), h, l);
  if ((!isnan (h) && (c > h + tol || (!isnan (o) && o > h + tol)))
      || (!isnan (l) && (c < l - tol || (!isnan (o) && o < l - tol))))
    return fail (imp, line, error, _("Open or Close lies outside the Low–High range"));
  recs[*n].candle = TRUE;
  recs[*n].c.open_time = bt_day_to_unix (day);
  recs[*n].c.open = o;
  recs[*n].c.high = h;
  recs[*n].c.low = l;
  recs[*n].c.close = c;
  recs[*n].c.volume = v[COL_VOLUME];
  recs[*n].c.provisional = FALSE;
  (*n)++;
  return TRUE;
}

static void
legacy_put (GHashTable *table,
            BtDay       day,
            double      value)
{
  double *v = g_new (double, 1);

  *v = value;
  g_hash_table_insert (table, GINT_TO_POINTER (day), v);
}

/* DAY[kind]: the day each column's value belongs to (legacy columns shift). */
static void
metric_records (Import        *imp,
                const BtDay   *day,
                const double  *v,
                Rec           *recs,
                guint         *n)
{
  double mc = v[COL_MARKET_CAP], rc = v[COL_REALIZED_CAP], mvrv = v[COL_MVRV];
  double price = v[COL_PRICE];
  BtDay d = day[COL_DATE];

  add_close_candle (recs, n, day[COL_PRICE], price);
  add_obs (recs, n, day[COL_MARKET_CAP], bt_input_name (BT_INPUT_MARKET_CAP), mc);
  /* realized cap where it is withheld = market cap / MVRV (README) */
  if (!isnan (rc))
    add_obs (recs, n, d, bt_input_name (BT_INPUT_REALIZED_CAP), rc);
  else if (day[COL_MARKET_CAP] == d)
    add_obs (recs, n, d, bt_input_name (BT_INPUT_REALIZED_CAP), mc / mvrv);
  add_obs (recs, n, d, bt_input_name (BT_INPUT_MVRV_RATIO),
           !isnan (mvrv) ? mvrv : day[COL_MARKET_CAP] == d ? mc / rc : NAN);
  add_obs (recs, n, d, bt_input_name (BT_INPUT_SUPPLY), v[COL_SUPPLY]);
  if (!isnan (v[COL_ISS_USD]))
    add_obs (recs, n, d, bt_input_name (BT_INPUT_ISSUANCE_USD), v[COL_ISS_USD]);
  else if (imp->legacy_coins != NULL)
    {
      /* the coins of D valued at the close of D, which is the next row's
       * price: paired when the whole file has been read */
      if (isfinite (v[COL_ISS_NTV]))
        legacy_put (imp->legacy_coins, d, v[COL_ISS_NTV]);
      if (isfinite (price))
        legacy_put (imp->legacy_price, day[COL_PRICE], price);
    }
  else
    add_obs (recs, n, d, bt_input_name (BT_INPUT_ISSUANCE_USD), v[COL_ISS_NTV] * price);
  add_obs (recs, n, d, bt_input_name (BT_INPUT_NETFLOW), v[COL_FLOW_IN] - v[COL_FLOW_OUT]);
  add_obs (recs, n, d, "funding_rate", v[COL_FUNDING] * 100.0);   /* stored in % per 8 h */
}

/* ---- writing ----------------------------------------------------------------- */

static gboolean
same_double (double a,
             double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

static gboolean
put_records (Import     *imp,
             const Rec  *recs,
             guint       n,
             GError    **error)
{
  gboolean any = FALSE;

  for (guint k = 0; k < n; k++)
    {
      gboolean changed = FALSE;
      gboolean ok;

      if (recs[k].candle)
        ok = _bt_store_put_batch_candle (imp->store, imp->source, imp->batch, "1d", &recs[k].c,
                                         &imp->changes, &changed, error);
      else
        {
          BtObservation o = { recs[k].c.open_time, recs[k].value };

          ok = _bt_store_put_batch_observation (imp->store, imp->source, imp->batch, recs[k].metric,
                                                &o, &imp->changes, &changed, error);
        }
      if (!ok)
        return FALSE;
      any |= changed;
    }
  if (any)
    imp->stats.rows_written++;
  return TRUE;
}

/* The row repeats an earlier day of the same file: its values must be the
 * ones stored by that earlier row. */
static gboolean
check_repeat (Import     *imp,
              guint64     line,
              BtDay       day,
              const Rec  *recs,
              guint       n,
              GError    **error)
{
  char buf[16];

  for (guint k = 0; k < n; k++)
    {
      gboolean found, same;
      g_autoptr(GError) local = NULL;

      if (recs[k].candle)
        {
          BtCandle c;

          found = _bt_store_get_batch_candle (imp->store, imp->source, imp->batch, "1d",
                                              recs[k].c.open_time, &c, &local);
          same = found && same_double (c.open, recs[k].c.open) && same_double (c.high, recs[k].c.high)
                 && same_double (c.low, recs[k].c.low) && same_double (c.close, recs[k].c.close)
                 && same_double (c.volume, recs[k].c.volume);
        }
      else
        {
          double v = NAN;

          found = _bt_store_get_batch_observation (imp->store, imp->source, imp->batch, recs[k].metric,
                                                   recs[k].c.open_time, &v, &local);
          same = found && same_double (v, recs[k].value);
        }
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (!same)
        return fail (imp, line, error, _("the day %s appears twice with different values"),
                     bt_day_format (day, buf));
    }
  return TRUE;
}

static void
v1_row_free (gpointer data)
{
  V1Row *row = data;

  g_free (row->recs);
  g_free (row);
}

static gboolean
same_records (const Rec *a,
              guint      na,
              const Rec *b,
              guint      nb)
{
  if (na != nb)
    return FALSE;
  for (guint k = 0; k < na; k++)
    {
      /* a candle record has no metric (the field is not even set) */
      if (a[k].candle != b[k].candle || (!a[k].candle && g_strcmp0 (a[k].metric, b[k].metric) != 0))
        return FALSE;
      if (a[k].candle ? !same_double (a[k].c.close, b[k].c.close) : !same_double (a[k].value, b[k].value))
        return FALSE;
    }
  return TRUE;
}

static gboolean
keep_v1_row (Import     *imp,
             guint64     line,
             BtDay       day,
             gint64      time,
             const Rec  *recs,
             guint       n,
             GError    **error)
{
  V1Row *row = g_hash_table_lookup (imp->v1_rows, GINT_TO_POINTER (day));
  char buf[16];

  if (row != NULL && row->time > time)
    return TRUE;
  if (row != NULL && row->time == time)
    {
      if (!same_records (row->recs, row->n_recs, recs, n))
        return fail (imp, line, error, _("the day %s appears twice with different values"),
                     bt_day_format (day, buf));
      return TRUE;
    }
  if (row == NULL)
    {
      row = g_new0 (V1Row, 1);
      g_hash_table_insert (imp->v1_rows, GINT_TO_POINTER (day), row);
    }
  g_free (row->recs);
  row->time = time;
  row->line = line;
  row->n_recs = n;
  row->recs = g_memdup2 (recs, sizeof (Rec) * n);
  return TRUE;
}

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  BtDay x = *(const BtDay *) a;
  BtDay y = *(const BtDay *) b;

  return x < y ? -1 : x > y;
}

static gboolean
flush_v1_rows (Import  *imp,
               GError **error)
{
  g_autoptr(GArray) days = g_array_sized_new (FALSE, FALSE, sizeof (BtDay),
                                              g_hash_table_size (imp->v1_rows));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, imp->v1_rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      BtDay day = GPOINTER_TO_INT (key);

      g_array_append_val (days, day);
    }
  g_array_sort (days, compare_days);
  for (guint i = 0; i < days->len; i++)
    {
      V1Row *row = g_hash_table_lookup (imp->v1_rows,
                                        GINT_TO_POINTER (g_array_index (days, BtDay, i)));

      if (!put_records (imp, row->recs, row->n_recs, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- one row ----------------------------------------------------------------- */

static gboolean
process_row (Import   *imp,
             guint64   line,
             char     *text,
             Rec      *recs,
             GError  **error)
{
  char *fields[MAX_FIELDS];
  double v[N_COLS];
  BtDay days[N_COLS];
  int n = split_fields (text, fields, MAX_FIELDS);
  const char *date_text = NULL;
  BtDay day = 0;
  gint64 time = 0;
  guint n_recs = 0;
  guint32 bit;
  guint8 **piece;

  if (n < 0)
    return fail (imp, line, error, _("unterminated quote"));
  if ((guint) n != imp->n_cols)
    return fail (imp, line, error, _("%d fields where the header has %u"), n, imp->n_cols);
  for (guint k = 0; k < N_COLS; k++)
    v[k] = NAN;
  for (guint i = 0; i < imp->n_cols; i++)
    {
      const Column *col = &imp->cols[i];

      if (col->kind == COL_DATE)
        date_text = fields[i];
      else if (col->kind != COL_IGNORE && col->kind != COL_METRIC)
        {
          if (!parse_cell (imp, line, col, fields[i], &v[col->kind], error))
            return FALSE;
        }
    }
  if (date_text == NULL || date_text[0] == '\0')
    return fail (imp, line, error, _("the date cell is empty"));
  if (!parse_time (imp, line, date_text, &day, &time, error))
    return FALSE;
  for (guint k = 0; k < N_COLS; k++)
    days[k] = day;
  for (guint i = 0; i < imp->n_cols; i++)
    if (imp->cols[i].shift != 0)
      days[imp->cols[i].kind] = day + imp->cols[i].shift;

  if (imp->format == BT_IMPORT_FORMAT_OHLCV)
    {
      if (!ohlcv_records (imp, line, day, v, recs, &n_recs, error))
        return FALSE;
      /* an OHLCV export may carry other known columns too */
      v[COL_CLOSE] = v[COL_PRICE] = NAN;
      metric_records (imp, days, v, recs, &n_recs);
    }
  else
    metric_records (imp, days, v, recs, &n_recs);
  for (guint i = 0; i < imp->n_cols; i++)
    {
      const Column *col = &imp->cols[i];
      double x;

      if (col->kind != COL_METRIC)
        continue;
      if (!parse_cell (imp, line, col, fields[i], &x, error))
        return FALSE;
      add_obs (recs, &n_recs, day, col->metric, x);
    }
  /* a day that has not ended yet is never a close (README) */
  if (day >= imp->today)
    for (guint k = 0; k < n_recs; k++)
      if (recs[k].candle)
        recs[k].c.provisional = TRUE;

  imp->stats.rows_read++;
  if (imp->stats.first_day == BT_DAY_INVALID || day < imp->stats.first_day)
    imp->stats.first_day = day;
  if (imp->stats.last_day == BT_DAY_INVALID || day > imp->stats.last_day)
    imp->stats.last_day = day;

  if (imp->format == BT_IMPORT_FORMAT_V1)
    return keep_v1_row (imp, line, day, time, recs, n_recs, error);

  bit = (guint32) (day - DAY_MIN);
  piece = &imp->seen[bit / (SEEN_PIECE * 8)];
  if (*piece == NULL)
    *piece = g_malloc0 (SEEN_PIECE);
  bit %= SEEN_PIECE * 8;
  if ((*piece)[bit / 8] & (1u << (bit % 8)))
    return check_repeat (imp, line, day, recs, n_recs, error);
  (*piece)[bit / 8] |= (guint8) (1u << (bit % 8));
  return put_records (imp, recs, n_recs, error);
}

/* The legacy file's issuance in USD: the coins of D times the close of D. */
static gboolean
flush_legacy (Import  *imp,
              GError **error)
{
  GHashTableIter iter;
  gpointer key, value;
  Rec rec;
  guint64 rows_written = imp->stats.rows_written;

  if (imp->legacy_coins == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, imp->legacy_coins);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const double *price = g_hash_table_lookup (imp->legacy_price, key);
      guint n = 0;

      if (price == NULL)
        continue;
      add_obs (&rec, &n, GPOINTER_TO_INT (key), bt_input_name (BT_INPUT_ISSUANCE_USD),
               *(const double *) value * *price);
      if (n > 0 && !put_records (imp, &rec, n, error))
        return FALSE;
    }
  /* values of rows already counted */
  imp->stats.rows_written = rows_written;
  return TRUE;
}

/* ---- one file ------------------------------------------------------------------ */

static gboolean
import_stream (Import         *imp,
               const char     *path,
               BtImportFormat  requested,
               GError        **error)
{
  Reader r = { 0 };
  g_autofree Rec *recs = g_new (Rec, MAX_RECS);
  char *line;
  gsize len;
  int rc;
  gboolean ok = FALSE;
  gboolean header = FALSE;

  r.f = fopen (path, "rb");
  if (r.f == NULL)
    {
      int saved = errno;

      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_FAILED,
                   _("%s: cannot open the file: %s"), imp->display, g_strerror (saved));
      return FALSE;
    }
  r.cap = READ_BLOCK;
  r.buf = g_malloc (r.cap);

  while ((rc = reader_next (&r, imp, &line, &len, error)) > 0)
    {
      char *p = line;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        continue;                       /* blank line */
      if (!header)
        {
          if (!read_header (imp, line, requested, error))
            goto out;
          header = TRUE;
          continue;
        }
      if (!process_row (imp, r.line, line, recs, error))
        goto out;
    }
  if (rc < 0)
    goto out;
  if (!header)
    {
      fail (imp, 1, error, _("the file is empty"));
      goto out;
    }
  if (imp->stats.rows_read == 0)
    {
      fail (imp, 2, error, _("the file has a header but no data rows"));
      goto out;
    }
  if (imp->format == BT_IMPORT_FORMAT_V1 && !flush_v1_rows (imp, error))
    goto out;
  if (!flush_legacy (imp, error))
    goto out;
  ok = TRUE;

out:
  fclose (r.f);
  g_free (r.buf);
  return ok;
}

static void
import_init (Import     *imp,
             BtStore    *store,
             const char *path)
{
  memset (imp, 0, sizeof *imp);
  imp->store = store;
  imp->display = g_filename_display_name (path);
  imp->v1_rows = g_hash_table_new_full (NULL, NULL, NULL, v1_row_free);
  imp->stats.first_day = imp->stats.last_day = imp->stats.first_changed = BT_DAY_INVALID;
  imp->today = bt_day_from_unix (g_get_real_time () / G_USEC_PER_SEC);
  _bt_store_changes_init (&imp->changes);
}

static void
import_clear (Import *imp)
{
  for (guint i = 0; i < imp->n_cols; i++)
    g_free (imp->cols[i].name);
  g_free (imp->cols);
  g_free (imp->display);
  for (guint i = 0; i < SEEN_PIECES; i++)
    g_free (imp->seen[i]);
  g_hash_table_unref (imp->v1_rows);
  g_clear_pointer (&imp->mapping, g_hash_table_unref);
  g_clear_pointer (&imp->digest, g_checksum_free);
  g_clear_pointer (&imp->legacy_coins, g_hash_table_unref);
  g_clear_pointer (&imp->legacy_price, g_hash_table_unref);
}

/* OPTIONS' "HEADER=FIELD" list into IMP->mapping; FALSE on a bad entry. */
static gboolean
set_mapping (Import                *imp,
             const char * const    *columns,
             GError               **error)
{
  if (columns == NULL || columns[0] == NULL)
    return TRUE;
  imp->mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; columns[i] != NULL; i++)
    {
      const char *eq = strrchr (columns[i], '=');
      g_autofree char *header = NULL;
      g_autofree char *field = NULL;

      if (eq == NULL || eq == columns[i] || eq[1] == '\0')
        {
          g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
                       _("%s: the column mapping “%s” is not HEADER=FIELD"), imp->display, columns[i]);
          return FALSE;
        }
      header = g_strstrip (g_ascii_strdown (columns[i], eq - columns[i]));
      field = g_strstrip (g_strdup (eq + 1));
      if (!bt_import_is_field (field))
        {
          g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
                       _("%s: “%s” is not a field BTC Turbo knows (date, open, high, low, close, "
                         "volume, PriceUSD, CapMrktCurUSD, CapMVRVCur, SplyCur, IssTotNtv, IssTotUSD, "
                         "funding_rate, ignore or an indicator name)"),
                       imp->display, field);
          return FALSE;
        }
      g_hash_table_replace (imp->mapping, g_strdup (header), g_strdup (field));
    }
  return TRUE;
}

/* The digest of a batch (SHA-1): the file's bytes, the format and the mapping. */
static char *
batch_digest (Import *imp)
{
  g_autoptr(GList) keys = NULL;

  g_checksum_update (imp->digest, (const guchar *) "\0format=", -1);
  g_checksum_update (imp->digest, (const guchar *) bt_import_format_name (imp->format), -1);
  if (imp->mapping != NULL)
    {
      keys = g_list_sort (g_hash_table_get_keys (imp->mapping), (GCompareFunc) strcmp);
      for (GList *l = keys; l != NULL; l = l->next)
        {
          g_checksum_update (imp->digest, (const guchar *) "\0", 1);
          g_checksum_update (imp->digest, l->data, -1);
          g_checksum_update (imp->digest, (const guchar *) "=", 1);
          g_checksum_update (imp->digest, g_hash_table_lookup (imp->mapping, l->data), -1);
        }
    }
  return g_strdup (g_checksum_get_string (imp->digest));
}

static void
merge_stats (BtImportStats       *total,
             const BtImportStats *one)
{
  total->rows_read += one->rows_read;
  total->rows_written += one->rows_written;
  if (one->first_day != BT_DAY_INVALID
      && (total->first_day == BT_DAY_INVALID || one->first_day < total->first_day))
    total->first_day = one->first_day;
  if (one->last_day != BT_DAY_INVALID
      && (total->last_day == BT_DAY_INVALID || one->last_day > total->last_day))
    total->last_day = one->last_day;
}

static gboolean
finish (BtStore              *store,
        const BtStoreChanges *changes,
        GError              **error)
{
  if (changes->n_changed > 0 && !_bt_store_bump_data_version (store, error))
    {
      _bt_store_rollback (store, NULL);
      return FALSE;
    }
  return _bt_store_commit (store, error);
}

gboolean
bt_import_file (BtStore         *store,
                const char      *path,
                BtImportFormat   format,
                BtImportStats   *stats,
                GError         **error)
{
  return bt_import_file_full (store, path, format, NULL, stats, error);
}

gboolean
bt_import_file_full (BtStore               *store,
                     const char            *path,
                     BtImportFormat         format,
                     const BtImportOptions *options,
                     BtImportStats         *stats,
                     GError               **error)
{
  g_autofree char *base = NULL;
  g_autofree char *digest = NULL;
  Import imp;
  gboolean ok;
  gint64 existing = 0;

  g_return_val_if_fail (BT_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (format < BT_N_IMPORT_FORMATS, FALSE);

  import_init (&imp, store, path);
  imp.digest = g_checksum_new (G_CHECKSUM_SHA1);   /* an identity, not a seal: the fastest GLib has */
  if (options != NULL)
    {
      imp.unknown = options->unknown_columns;
      if (options->today != BT_DAY_INVALID && options->today != 0)
        imp.today = options->today;
    }
  if (!set_mapping (&imp, options ? options->columns : NULL, error)
      || !_bt_store_begin (store, error))
    {
      import_clear (&imp);
      return FALSE;
    }
  base = g_path_get_basename (path);
  imp.batch = _bt_store_insert_batch (store, base, "import", error);
  ok = imp.batch > 0 && import_stream (&imp, path, format, error);
  if (ok)
    {
      g_autoptr(GError) local = NULL;

      digest = batch_digest (&imp);
      existing = _bt_store_find_batch_by_digest (store, digest, &local);
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      ok = local == NULL && (error == NULL || *error == NULL)
           && _bt_store_finish_batch (store, imp.batch, imp.stats.rows_read, imp.stats.first_day,
                                      imp.stats.last_day, digest, error);
    }
  if (ok)
    {
      g_autoptr(BtStoreStmt) stmt = _bt_store_prepare (store, "UPDATE import_batches SET kind = ? WHERE id = ?",
                                                       error);

      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_text (stmt, 1, bt_import_format_name (imp.format), -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, imp.batch);
          ok = sqlite3_step (stmt) == SQLITE_DONE || _bt_store_set_error (store, _("saving an import batch"), error);
        }
    }
  imp.stats.format = imp.format;
  if (!ok || existing > 0 || (options != NULL && options->dry_run))
    {
      /* a failure, the same file imported before, or a trial: nothing stays */
      _bt_store_rollback (store, NULL);
      if (ok)
        {
          imp.stats.rows_written = existing > 0 ? 0 : imp.stats.rows_written;
          imp.stats.first_changed = existing > 0 ? BT_DAY_INVALID : imp.changes.first_changed;
          imp.stats.batch = existing;
          imp.stats.already_imported = existing > 0;
        }
    }
  else
    {
      ok = finish (store, &imp.changes, error);
      imp.stats.first_changed = imp.changes.first_changed;
      imp.stats.batch = imp.batch;
    }
  if (ok && stats != NULL)
    *stats = imp.stats;
  import_clear (&imp);
  return ok;
}

gboolean
bt_import_migrate_v1 (BtStore        *store,
                      const char     *dir,
                      BtImportStats  *stats,
                      GError        **error)
{
  static const char *const tables[] = {
    "indicadores_ciclo", "indicadores_momentum", "indicadores_risco", "indicadores_tecnico",
  };
  BtImportStats total = { BT_IMPORT_FORMAT_V1, 0, 0, BT_DAY_INVALID, BT_DAY_INVALID, BT_DAY_INVALID, 0, FALSE };
  g_autoptr(GChecksum) digest = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *base = g_path_get_basename (dir);
  g_autoptr(GError) local = NULL;
  BtStoreChanges changes;
  guint found = 0;
  gint64 batch, existing;

  g_return_val_if_fail (BT_IS_STORE (store), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  _bt_store_changes_init (&changes);
  if (!_bt_store_begin (store, error))
    return FALSE;
  batch = _bt_store_insert_batch (store, base, "v1", error);
  if (batch <= 0)
    {
      _bt_store_rollback (store, NULL);
      return FALSE;
    }
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *name = g_strconcat (tables[t], ".csv", NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      Import imp;
      gboolean ok;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      found++;
      import_init (&imp, store, path);
      imp.batch = batch;
      imp.digest = digest;
      g_checksum_update (digest, (const guchar *) name, -1);
      ok = import_stream (&imp, path, BT_IMPORT_FORMAT_V1, error);
      imp.digest = NULL;
      merge_stats (&total, &imp.stats);
      if (imp.changes.first_changed != BT_DAY_INVALID
          && (changes.first_changed == BT_DAY_INVALID || imp.changes.first_changed < changes.first_changed))
        changes.first_changed = imp.changes.first_changed;
      changes.n_changed += imp.changes.n_changed;
      import_clear (&imp);
      if (!ok)
        {
          _bt_store_rollback (store, NULL);
          return FALSE;
        }
    }
  if (found == 0)
    {
      g_autofree char *display = g_filename_display_name (dir);

      _bt_store_rollback (store, NULL);
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
                   _("%s: none of indicadores_ciclo.csv, indicadores_momentum.csv, "
                     "indicadores_risco.csv, indicadores_tecnico.csv is there"), display);
      return FALSE;
    }
  g_checksum_update (digest, (const guchar *) "\0format=v1", -1);
  existing = _bt_store_find_batch_by_digest (store, g_checksum_get_string (digest), &local);
  if (local != NULL)
    {
      _bt_store_rollback (store, NULL);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (existing > 0)
    {
      /* the same tables migrated before: nothing changes */
      _bt_store_rollback (store, NULL);
      total.rows_written = 0;
      total.batch = existing;
      total.already_imported = TRUE;
      if (stats != NULL)
        *stats = total;
      return TRUE;
    }
  if (!_bt_store_finish_batch (store, batch, total.rows_read, total.first_day, total.last_day,
                               g_checksum_get_string (digest), error))
    {
      _bt_store_rollback (store, NULL);
      return FALSE;
    }
  if (!finish (store, &changes, error))
    return FALSE;
  total.first_changed = changes.first_changed;
  total.batch = batch;
  if (stats != NULL)
    *stats = total;
  return TRUE;
}
