/* bt-collectors-parse.c: the JSON checks every parser shares and the
 * parsers of the exchanges' responses: Binance klines, funding and
 * long/short ratio, Coinbase candles, Kraken OHLC (bt-collectors.h).
 */
#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "bt-base.h"
#include "bt-collectors.h"
#include "bt-collectors-private.h"

void
_bt_collectors_add_obs (BtBatch    *batch,
                        const char *metric,
                        gint64      time,
                        double      value)
{
  BtSeries *s = bt_batch_series (batch, metric);
  BtObservation o = { time, value };

  g_array_append_val (s->obs, o);
  batch->last_time = MAX (batch->last_time, time);
}

void
_bt_collectors_add_unavailable (BtBatch    *batch,
                                const char *metric)
{
  for (guint i = 0; i < batch->unavailable->len; i++)
    if (strcmp (g_ptr_array_index (batch->unavailable, i), metric) == 0)
      return;
  g_ptr_array_add (batch->unavailable, g_strdup (metric));
}

/* ---- JSON helpers ---- */

JsonNode *
_bt_collectors_load_json (const char  *what,
                          const char  *data,
                          gsize        length,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  if (data == NULL || length == 0)
    {
      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PARSE,
                   _("%s: the answer is empty"), what);
      return NULL;
    }
  if (!bt_json_precheck (data, length))
    {
      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PARSE,
                   _("%s: the answer is not valid JSON (text after its end)"), what);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local))
    {
      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PARSE,
                   _("%s: the answer is not valid JSON (truncated?): %s"), what, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PARSE,
                   _("%s: the answer is empty"), what);
      return NULL;
    }
  return json_node_ref (root);
}

JsonObject *
_bt_collectors_root_object (JsonNode    *root,
                            const char  *what,
                            GError     **error)
{
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      _bt_collectors_shape_error (error, what, _("expected an object"));
      return NULL;
    }
  return json_node_get_object (root);
}

gboolean
_bt_collectors_shape_error (GError    **error,
                            const char *what,
                            const char *format,
                            ...)
{
  va_list args;
  g_autofree char *detail = NULL;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_SHAPE,
               _("%s: unexpected answer: %s"), what, detail);
  return FALSE;
}

/* A decimal that must arrive as a JSON string ("4022.29000000"). */
gboolean
_bt_collectors_string_decimal (JsonNode *node,
                               double   *out)
{
  return bt_json_node_holds (node, G_TYPE_STRING) && bt_parse_double (json_node_get_string (node), out);
}

/* A decimal as a JSON number or a numeric string (sources that vary). */
gboolean
_bt_collectors_any_decimal (JsonNode *node,
                            double   *out)
{
  if (bt_json_node_is_number (node))
    {
      *out = json_node_get_double (node);
      return isfinite (*out);
    }
  return _bt_collectors_string_decimal (node, out);
}

static gboolean
int_value (JsonNode *node,
           gint64   *out)
{
  if (!bt_json_node_holds (node, G_TYPE_INT64))
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

/* An integer as a JSON integer or a string of digits. */
gboolean
_bt_collectors_int_or_string (JsonNode *node,
                              gint64   *out)
{
  const char *s;
  char *end = NULL;

  if (int_value (node, out))
    return TRUE;
  if (!bt_json_node_holds (node, G_TYPE_STRING))
    return FALSE;
  s = json_node_get_string (node);
  if (!g_ascii_isdigit (*s))
    return FALSE;
  *out = g_ascii_strtoll (s, &end, 10);
  return end != NULL && *end == '\0';
}

static gboolean
ms_ok (gint64 t)
{
  return t >= MS_MIN && t < MS_MAX;
}

gboolean
_bt_collectors_s_ok (gint64 t)
{
  return t >= S_MIN && t < S_MAX;
}

static const char *
unit_hint (gint64 t)
{
  if (_bt_collectors_s_ok (t))
    return _("looks like seconds");
  if (ms_ok (t))
    return _("looks like milliseconds");
  if (t >= MS_MIN * 1000)
    return _("looks like micro- or nanoseconds");
  return _("out of range");
}

static gboolean
check_candle (const BtCandle *c)
{
  if (!(c->close > 0) || !isfinite (c->close))
    return FALSE;
  if (isnan (c->open))
    return TRUE;
  /* a JSON number like 1e999 reads as infinity */
  return c->open > 0 && c->high > 0 && c->low > 0 && c->low <= c->high
         && isfinite (c->high)
         && c->low <= c->open && c->open <= c->high
         && c->low <= c->close && c->close <= c->high
         && (isnan (c->volume) || (c->volume >= 0 && isfinite (c->volume)));
}

/* ---- Binance spot klines ---- */

/* Fast path for the exact documented shape (no JSON tree): returns FALSE on
 * anything unusual, and the full parser then reports what is wrong. */
typedef struct
{
  const char *p;
  const char *end;
} Scan;

static void
scan_ws (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

static gboolean
scan_char (Scan *s,
           char  c)
{
  scan_ws (s);
  if (s->p >= s->end || *s->p != c)
    return FALSE;
  s->p++;
  return TRUE;
}

static gboolean
scan_int (Scan   *s,
          gint64 *out)
{
  gint64 v = 0;
  const char *start;

  scan_ws (s);
  start = s->p;
  while (s->p < s->end && g_ascii_isdigit (*s->p) && s->p - start < 18)
    v = v * 10 + (*s->p++ - '0');
  if (s->p == start || (s->p < s->end && (g_ascii_isdigit (*s->p) || *s->p == '.' || *s->p == 'e' || *s->p == 'E')))
    return FALSE;
  *out = v;
  return TRUE;
}

/* a JSON string holding a plain decimal; OUT NULL skips it */
static gboolean
scan_decimal (Scan   *s,
              double *out)
{
  char buf[64];
  const char *start;
  gsize n;

  scan_ws (s);
  if (s->p >= s->end || *s->p != '"')
    return FALSE;
  start = ++s->p;
  while (s->p < s->end && *s->p != '"')
    {
      if (*s->p == '\\')
        return FALSE;
      s->p++;
    }
  if (s->p >= s->end)
    return FALSE;
  n = s->p - start;
  s->p++;
  if (out == NULL)
    return TRUE;
  if (n == 0 || n >= sizeof buf)
    return FALSE;
  memcpy (buf, start, n);
  buf[n] = '\0';
  return bt_parse_double (buf, out);
}

static gboolean
klines_fast (const char *data,
             gsize       length,
             gint64      now_ms,
             BtBatch    *batch)
{
  Scan s = { data, data + length };
  guint first = batch->candles->len;
  gint64 prev = G_MININT64;

  if (!scan_char (&s, '['))
    return FALSE;
  scan_ws (&s);
  if (s.p < s.end && *s.p == ']')
    {
      s.p++;
      scan_ws (&s);
      return s.p == s.end;
    }
  for (;;)
    {
      BtCandle c = { 0 };
      gint64 open_ms, close_ms, trades;

      if (!scan_char (&s, '[') || !scan_int (&s, &open_ms) || !ms_ok (open_ms) || open_ms <= prev
          || !scan_char (&s, ',') || !scan_decimal (&s, &c.open)
          || !scan_char (&s, ',') || !scan_decimal (&s, &c.high)
          || !scan_char (&s, ',') || !scan_decimal (&s, &c.low)
          || !scan_char (&s, ',') || !scan_decimal (&s, &c.close)
          || !scan_char (&s, ',') || !scan_decimal (&s, &c.volume)
          || !scan_char (&s, ',') || !scan_int (&s, &close_ms) || close_ms <= open_ms
          || !scan_char (&s, ',') || !scan_decimal (&s, NULL)
          || !scan_char (&s, ',') || !scan_int (&s, &trades)
          || !scan_char (&s, ',') || !scan_decimal (&s, NULL)
          || !scan_char (&s, ',') || !scan_decimal (&s, NULL)
          || !scan_char (&s, ',') || !scan_decimal (&s, NULL)
          || !scan_char (&s, ']')
          || open_ms % (DAY_S * 1000) != 0 || close_ms != open_ms + DAY_S * 1000 - 1)
        break;
      prev = open_ms;
      c.open_time = open_ms / 1000;
      c.provisional = close_ms > now_ms;
      if (!check_candle (&c))
        break;
      g_array_append_val (batch->candles, c);
      if (scan_char (&s, ','))
        continue;
      if (!scan_char (&s, ']'))
        break;
      scan_ws (&s);
      if (s.p != s.end)
        break;
      if (batch->candles->len > first)
        batch->last_time = MAX (batch->last_time,
                                g_array_index (batch->candles, BtCandle, batch->candles->len - 1).open_time);
      return TRUE;
    }
  g_array_set_size (batch->candles, first);
  return FALSE;
}

/* row I of ROWS as an array of N_FIELDS values, NULL (and an error) if not */
static JsonArray *
row_fields (JsonArray   *rows,
            guint        i,
            guint        n_fields,
            const char  *what,
            GError     **error)
{
  JsonNode *node = json_array_get_element (rows, i);
  JsonArray *row;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      _bt_collectors_shape_error (error, what, _("row %u is not an array"), i);
      return NULL;
    }
  row = json_node_get_array (node);
  if (json_array_get_length (row) != n_fields)
    {
      _bt_collectors_shape_error (error, what, _("row %u has %u fields instead of %u"), i,
                                  json_array_get_length (row), n_fields);
      return NULL;
    }
  return row;
}

/* open, high, low and close of ROW as decimal strings at 1 to 4, its
 * volume at VOLUME_AT */
static gboolean
string_ohlcv (JsonArray *row,
              guint      volume_at,
              BtCandle  *c)
{
  return _bt_collectors_string_decimal (json_array_get_element (row, 1), &c->open)
         && _bt_collectors_string_decimal (json_array_get_element (row, 2), &c->high)
         && _bt_collectors_string_decimal (json_array_get_element (row, 3), &c->low)
         && _bt_collectors_string_decimal (json_array_get_element (row, 4), &c->close)
         && _bt_collectors_string_decimal (json_array_get_element (row, volume_at), &c->volume);
}

/* C, from row I, into BATCH when its prices agree */
static gboolean
add_candle (BtBatch        *batch,
            const BtCandle *c,
            const char     *what,
            guint           i,
            GError        **error)
{
  if (!check_candle (c))
    return _bt_collectors_shape_error (error, what, _("row %u: inconsistent prices"), i);
  g_array_append_val (batch->candles, *c);
  batch->last_time = MAX (batch->last_time, c->open_time);
  return TRUE;
}

static gboolean
parse_binance_klines (const char  *data,
                      gsize        length,
                      gint64       now_ms,
                      BtBatch     *batch,
                      GError     **error)
{
  const char *what = "Binance klines";
  g_autoptr(JsonNode) root = NULL;
  JsonArray *rows;
  guint n;
  gint64 prev = G_MININT64;

  if (data != NULL && klines_fast (data, length, now_ms, batch))
    return TRUE;
  root = _bt_collectors_load_json (what, data, length, error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    return _bt_collectors_shape_error (error, what, _("expected an array of klines"));
  rows = json_node_get_array (root);
  n = json_array_get_length (rows);
  for (guint i = 0; i < n; i++)
    {
      JsonArray *row = row_fields (rows, i, 12, what, error);
      BtCandle c = { 0 };
      gint64 open_ms, close_ms;

      if (row == NULL)
        return FALSE;
      if (!int_value (json_array_get_element (row, 0), &open_ms))
        return _bt_collectors_shape_error (error, what, _("row %u: the open time is not an integer"), i);
      if (!ms_ok (open_ms))
        return _bt_collectors_shape_error (error, what, _("row %u: open time %lld is not in milliseconds (%s)"),
                                           i, (long long) open_ms, unit_hint (open_ms));
      if (!int_value (json_array_get_element (row, 6), &close_ms) || close_ms <= open_ms)
        return _bt_collectors_shape_error (error, what, _("row %u: bad close time"), i);
      /* a daily kline opens at 00:00 UTC and closes 1 ms before the next */
      if (open_ms % (DAY_S * 1000) != 0)
        return _bt_collectors_shape_error (error, what, _("row %u: opens at %lld, not at 00:00 UTC (not a daily kline)"),
                                           i, (long long) open_ms);
      if (close_ms != open_ms + DAY_S * 1000 - 1)
        return _bt_collectors_shape_error (error, what, _("row %u: spans %lld ms, not one day (not a daily kline)"),
                                           i, (long long) (close_ms - open_ms + 1));
      if (!string_ohlcv (row, 5, &c))
        return _bt_collectors_shape_error (error, what, _("row %u: prices and volume must be decimal strings"), i);
      if (open_ms <= prev)
        return _bt_collectors_shape_error (error, what, _("row %u is not after the previous row"), i);
      prev = open_ms;
      c.open_time = open_ms / 1000;
      c.provisional = close_ms > now_ms;
      if (!add_candle (batch, &c, what, i, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- Coinbase ---- */

static int
compare_candles (gconstpointer a,
                 gconstpointer b)
{
  const BtCandle *x = a, *y = b;

  return (x->open_time > y->open_time) - (x->open_time < y->open_time);
}

static gboolean
parse_coinbase_candles (const char  *data,
                        gsize        length,
                        gint64       now,
                        gint64       window_start,
                        gint64       window_end,
                        BtBatch     *batch,
                        GError     **error)
{
  const char *what = "Coinbase candles";
  g_autoptr(JsonNode) root = _bt_collectors_load_json (what, data, length, error);
  g_autoptr(GArray) rows_out = g_array_new (FALSE, FALSE, sizeof (BtCandle));
  JsonArray *rows;
  guint n;

  if (root == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *msg = json_object_get_member (json_node_get_object (root), "message");

      /* {"candles": [{"start": "…", …}]}: the Advanced Trade API, another
       * API with other units and order */
      if (json_object_has_member (json_node_get_object (root), "candles"))
        return _bt_collectors_shape_error (error, what,
                                           _("this is a Coinbase Advanced Trade response, not Coinbase Exchange "
                                             "candles; BTC Turbo reads only the Exchange API"));
      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_API, _("%s: %s"), what,
                   bt_json_node_holds (msg, G_TYPE_STRING) ? json_node_get_string (msg) : _("an object instead of candles"));
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (root))
    return _bt_collectors_shape_error (error, what, _("expected an array of candles"));
  rows = json_node_get_array (root);
  n = json_array_get_length (rows);
  for (guint i = 0; i < n; i++)
    {
      JsonArray *row = row_fields (rows, i, 6, what, error);
      BtCandle c = { 0 };
      gint64 t;

      if (row == NULL)
        return FALSE;
      if (!int_value (json_array_get_element (row, 0), &t))
        return _bt_collectors_shape_error (error, what, _("row %u: the time is not an integer"), i);
      if (!_bt_collectors_s_ok (t))
        return _bt_collectors_shape_error (error, what, _("row %u: time %lld is not in seconds (%s)"),
                                           i, (long long) t, unit_hint (t));
      /* the bucket must be a UTC day: granularity 86400, at midnight */
      if (t % DAY_S != 0)
        return _bt_collectors_shape_error (error, what, _("row %u: starts at %lld, not at 00:00 UTC (not a daily candle)"),
                                           i, (long long) t);
      for (guint k = 1; k < 6; k++)
        if (!bt_json_node_is_number (json_array_get_element (row, k)))
          return _bt_collectors_shape_error (error, what, _("row %u: field %u must be a JSON number"), i, k);
      /* [time, low, high, open, close, volume] */
      c.low = json_node_get_double (json_array_get_element (row, 1));
      c.high = json_node_get_double (json_array_get_element (row, 2));
      c.open = json_node_get_double (json_array_get_element (row, 3));
      c.close = json_node_get_double (json_array_get_element (row, 4));
      c.volume = json_node_get_double (json_array_get_element (row, 5));
      c.open_time = t;
      c.provisional = t + DAY_S > now;
      if (!check_candle (&c))
        return _bt_collectors_shape_error (error, what, _("row %u: inconsistent prices"), i);
      if (t < window_start || t > window_end)
        continue;
      g_array_append_val (rows_out, c);
    }
  g_array_sort (rows_out, compare_candles);
  for (guint i = 0; i < rows_out->len; i++)
    {
      BtCandle *c = &g_array_index (rows_out, BtCandle, i);

      if (i > 0 && c->open_time == g_array_index (rows_out, BtCandle, i - 1).open_time)
        return _bt_collectors_shape_error (error, what, _("two candles for the same time"));
      g_array_append_val (batch->candles, *c);
      batch->last_time = MAX (batch->last_time, c->open_time);
    }
  return TRUE;
}

/* ---- Kraken ---- */

static gboolean
parse_kraken_ohlc (const char  *data,
                   gsize        length,
                   BtBatch     *batch,
                   GError     **error)
{
  const char *what = "Kraken OHLC";
  g_autoptr(JsonNode) root = _bt_collectors_load_json (what, data, length, error);
  JsonObject *obj = _bt_collectors_root_object (root, what, error);
  JsonNode *errors;
  JsonNode *result;
  JsonArray *rows = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  guint n;
  gint64 prev = G_MININT64;

  if (obj == NULL)
    return FALSE;
  errors = json_object_get_member (obj, "error");
  if (errors == NULL || !JSON_NODE_HOLDS_ARRAY (errors))
    return _bt_collectors_shape_error (error, what, _("no “error” array"));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (errors)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (errors), i);

      if (!bt_json_node_holds (e, G_TYPE_STRING))
        return _bt_collectors_shape_error (error, what, _("an error entry is not a string"));
      if (json_node_get_string (e)[0] == 'E')
        {
          g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_API, _("%s: Kraken reported %s"),
                       what, json_node_get_string (e));
          return FALSE;
        }
    }
  result = json_object_get_member (obj, "result");
  if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
    return _bt_collectors_shape_error (error, what, _("no “result” object"));
  /* the pair key differs from the requested pair: take the one that is not "last" */
  json_object_iter_init (&iter, json_node_get_object (result));
  while (json_object_iter_next (&iter, &name, &member))
    {
      if (strcmp (name, "last") == 0)
        continue;
      if (rows != NULL)
        return _bt_collectors_shape_error (error, what, _("more than one pair in the result"));
      if (!JSON_NODE_HOLDS_ARRAY (member))
        return _bt_collectors_shape_error (error, what, _("the rows of %s are not an array"), name);
      rows = json_node_get_array (member);
    }
  if (rows == NULL)
    return _bt_collectors_shape_error (error, what, _("no pair in the result"));
  n = json_array_get_length (rows);
  for (guint i = 0; i < n; i++)
    {
      JsonArray *row = row_fields (rows, i, 8, what, error);
      BtCandle c = { 0 };
      gint64 t;

      if (row == NULL)
        return FALSE;
      if (!int_value (json_array_get_element (row, 0), &t) || !_bt_collectors_s_ok (t))
        return _bt_collectors_shape_error (error, what, _("row %u: the time is not an integer in seconds"), i);
      /* [time, open, high, low, close, vwap, volume, count] */
      if (!string_ohlcv (row, 6, &c))
        return _bt_collectors_shape_error (error, what, _("row %u: prices and volume must be decimal strings"), i);
      if (t <= prev)
        return _bt_collectors_shape_error (error, what, _("row %u is not after the previous row"), i);
      /* interval 1440: every bar opens at 00:00 UTC */
      if (t % DAY_S != 0)
        return _bt_collectors_shape_error (error, what, _("row %u: opens at %lld, not at 00:00 UTC (not a daily bar)"),
                                           i, (long long) t);
      prev = t;
      c.open_time = t;
      c.provisional = i + 1 == n;   /* the last row is the open bar [doc] */
      if (!add_candle (batch, &c, what, i, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- Binance futures ---- */

JsonArray *
_bt_collectors_load_rows (const char  *what,
                          const char  *data,
                          gsize        length,
                          JsonNode   **root,
                          GError     **error)
{
  JsonArray *rows;

  *root = _bt_collectors_load_json (what, data, length, error);
  if (*root == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (*root))
    {
      g_autofree char *api = bt_http_dup_api_error (data, length);

      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_API, _("%s: %s"), what,
                   api != NULL ? api : _("an object instead of the expected list"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (*root))
    {
      _bt_collectors_shape_error (error, what, _("expected an array"));
      return NULL;
    }
  rows = json_node_get_array (*root);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (rows, i)))
      {
        _bt_collectors_shape_error (error, what, _("row %u is not an object"), i);
        return NULL;
      }
  return rows;
}

/* MEMBER of row I as a time in milliseconds (a JSON integer, or also a
 * string of digits when STRINGS) */
static gboolean
row_time_ms (JsonObject  *row,
             const char  *member,
             gboolean     strings,
             const char  *what,
             guint        i,
             gint64      *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (row, member);
  gint64 t;

  if (!(strings ? _bt_collectors_int_or_string (node, &t) : int_value (node, &t)))
    return _bt_collectors_shape_error (error, what, _("row %u: %s is not an integer"), i, member);
  if (!ms_ok (t))
    return _bt_collectors_shape_error (error, what, _("row %u: %s %lld is not in milliseconds (%s)"),
                                       i, member, (long long) t, unit_hint (t));
  *out = t;
  return TRUE;
}

/* A Binance futures series: rows of objects with a time in milliseconds
 * and a decimal string value (§3). */
typedef struct
{
  const char *what;
  const char *time_member;
  gboolean    time_strings;   /* the time may also be a string of digits */
  const char *value_member;
  const char *metric;
  double      scale;
  gboolean    ascending;      /* each row must follow the previous one */
  gboolean    non_negative;
} FuturesSeries;

/* fundingRate: a fraction per 8 h interval → % per 8 h */
static const FuturesSeries funding_series = {
  "Binance funding rates", "fundingTime", FALSE, "fundingRate", "funding_rate", 100.0, TRUE, FALSE,
};
/* timestamp: a number in practice, a string in the docs' example: accept both */
static const FuturesSeries long_short_series = {
  "Binance long/short ratio", "timestamp", TRUE, "longShortRatio", "long_short", 1.0, FALSE, TRUE,
};

static gboolean
parse_futures_series (const FuturesSeries  *spec,
                      const char           *data,
                      gsize                 length,
                      BtBatch              *batch,
                      GError              **error)
{
  const char *what = spec->what;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *rows = _bt_collectors_load_rows (what, data, length, &root, error);
  gint64 prev = G_MININT64;

  if (rows == NULL)
    return FALSE;
  bt_batch_series (batch, spec->metric);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *o = json_array_get_object_element (rows, i);
      gint64 t = 0;
      double v;

      if (!row_time_ms (o, spec->time_member, spec->time_strings, what, i, &t, error))
        return FALSE;
      if (!_bt_collectors_string_decimal (json_object_get_member (o, spec->value_member), &v)
          || (spec->non_negative && v < 0))
        return _bt_collectors_shape_error (error, what, _("row %u: %s must be a decimal string"), i,
                                           spec->value_member);
      if (spec->ascending && t <= prev)
        return _bt_collectors_shape_error (error, what, _("row %u is not after the previous row"), i);
      prev = t;
      _bt_collectors_add_obs (batch, spec->metric, t / 1000, v * spec->scale);
    }
  return TRUE;
}

/* ---- the parsers' public entry points ---- */

/* Every parser's error is one line: the messages quote the answer (a
 * server's error text, a value), which may hold line breaks or bytes that
 * are not UTF-8. */

gboolean
bt_parse_binance_klines (const char  *data,
                         gsize        length,
                         gint64       now_ms,
                         BtBatch     *batch,
                         GError     **error)
{
  return bt_error_one_line (parse_binance_klines (data, length, now_ms, batch, error), error);
}

gboolean
bt_parse_coinbase_candles (const char  *data,
                           gsize        length,
                           gint64       now,
                           gint64       window_start,
                           gint64       window_end,
                           BtBatch     *batch,
                           GError     **error)
{
  return bt_error_one_line (parse_coinbase_candles (data, length, now, window_start, window_end, batch, error), error);
}

gboolean
bt_parse_kraken_ohlc (const char  *data,
                      gsize        length,
                      BtBatch     *batch,
                      GError     **error)
{
  return bt_error_one_line (parse_kraken_ohlc (data, length, batch, error), error);
}

gboolean
bt_parse_binance_funding (const char  *data,
                          gsize        length,
                          BtBatch     *batch,
                          GError     **error)
{
  return bt_error_one_line (parse_futures_series (&funding_series, data, length, batch, error), error);
}

gboolean
bt_parse_binance_long_short (const char  *data,
                             gsize        length,
                             BtBatch     *batch,
                             GError     **error)
{
  return bt_error_one_line (parse_futures_series (&long_short_series, data, length, batch, error), error);
}
