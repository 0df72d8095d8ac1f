/* bt-collectors-onchain.c: the parsers of the on-chain sources' responses:
 * Coin Metrics, bGeometrics and the Notion database (bt-collectors.h).
 */
#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "bt-base.h"
#include "bt-collectors.h"
#include "bt-collectors-private.h"
#include "bt-json.h"

/* ---- Coin Metrics ---- */

const char *_bt_collectors_cm_metrics[CM_N] = {
  "PriceUSD", "CapMrktCurUSD", "CapMVRVCur", "CapRealUSD", "SplyCur",
  "IssTotNtv", "IssTotUSD", "FlowInExNtv", "FlowOutExNtv",
};

/* parse "YYYY-MM-DDT00:00:00.000000000Z" into the start of its UTC day */
static gboolean
cm_time (const char *text,
         gint64     *out)
{
  BtDay day;
  gsize len = strlen (text);

  if (len < 11 || text[10] != 'T' || text[len - 1] != 'Z')
    return FALSE;
  if (!bt_day_parse (text, &day))
    return FALSE;
  /* daily rows are stamped at midnight */
  if (strncmp (text + 10, "T00:00:00", 9) != 0)
    return FALSE;
  *out = bt_day_to_unix (day);
  return TRUE;
}

static gboolean
parse_coinmetrics (const char  *data,
                   gsize        length,
                   BtBatch     *batch,
                   char       **next_token,
                   GError     **error)
{
  const char *what = "Coin Metrics";
  g_autoptr(JsonNode) root = _bt_collectors_load_json (what, data, length, error);
  JsonObject *obj = _bt_collectors_root_object (root, what, error);
  JsonNode *rows_node;
  JsonNode *token;
  JsonArray *rows;
  gboolean seen[CM_N] = { FALSE };
  guint n;
  gint64 prev = G_MININT64;

  if (next_token != NULL)
    *next_token = NULL;
  if (obj == NULL)
    return FALSE;
  if (json_object_has_member (obj, "error"))
    {
      g_autofree char *api = bt_http_dup_api_error (data, length);

      g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_API, _("%s: %s"), what,
                   api != NULL ? api : _("unknown error"));
      return FALSE;
    }
  rows_node = json_object_get_member (obj, "data");
  if (rows_node == NULL || !JSON_NODE_HOLDS_ARRAY (rows_node))
    return _bt_collectors_shape_error (error, what, _("no “data” array"));
  token = json_object_get_member (obj, "next_page_token");
  if (token != NULL && !bt_json_node_is_null (token))
    {
      if (!bt_json_node_holds (token, G_TYPE_STRING) || *json_node_get_string (token) == '\0')
        return _bt_collectors_shape_error (error, what, _("next_page_token is not a string"));
    }
  rows = json_node_get_array (rows_node);
  n = json_array_get_length (rows);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *row_node = json_array_get_element (rows, i);
      JsonObject *row;
      JsonNode *time_node;
      double v[CM_N];
      gint64 t;

      if (!JSON_NODE_HOLDS_OBJECT (row_node))
        return _bt_collectors_shape_error (error, what, _("row %u is not an object"), i);
      row = json_node_get_object (row_node);
      time_node = json_object_get_member (row, "time");
      if (!bt_json_node_holds (time_node, G_TYPE_STRING) || !cm_time (json_node_get_string (time_node), &t))
        return _bt_collectors_shape_error (error, what, _("row %u: “time” is not a daily RFC 3339 time"), i);
      if (t <= prev)
        return _bt_collectors_shape_error (error, what, _("row %u is not after the previous row (paging from the end?)"), i);
      prev = t;
      for (guint m = 0; m < CM_N; m++)
        {
          JsonNode *node = json_object_get_member (row, _bt_collectors_cm_metrics[m]);

          v[m] = NAN;
          if (node == NULL)
            continue;
          seen[m] = TRUE;
          if (bt_json_node_is_null (node))
            continue;
          /* every number is a JSON string [doc] */
          if (!_bt_collectors_string_decimal (node, &v[m]))
            return _bt_collectors_shape_error (error, what, _("row %u: %s must be a decimal string"), i, _bt_collectors_cm_metrics[m]);
        }
      if (!isnan (v[CM_PRICE]))
        {
          BtCandle c = { t, NAN, NAN, NAN, v[CM_PRICE], NAN, FALSE };

          if (!(v[CM_PRICE] > 0))
            return _bt_collectors_shape_error (error, what, _("row %u: PriceUSD is not positive"), i);
          g_array_append_val (batch->candles, c);
        }
      if (!isnan (v[CM_MCAP]))
        _bt_collectors_add_obs (batch, "market_cap", t, v[CM_MCAP]);
      if (!isnan (v[CM_MVRV]))
        _bt_collectors_add_obs (batch, "mvrv_ratio", t, v[CM_MVRV]);
      if (!isnan (v[CM_RCAP]))
        _bt_collectors_add_obs (batch, "realized_cap", t, v[CM_RCAP]);
      else if (!isnan (v[CM_MCAP]) && v[CM_MVRV] > 0)
        _bt_collectors_add_obs (batch, "realized_cap", t, v[CM_MCAP] / v[CM_MVRV]);
      if (!isnan (v[CM_SPLY]))
        _bt_collectors_add_obs (batch, "supply", t, v[CM_SPLY]);
      if (!isnan (v[CM_ISSUSD]))
        _bt_collectors_add_obs (batch, "issuance_usd", t, v[CM_ISSUSD]);
      else if (!isnan (v[CM_ISSNTV]) && !isnan (v[CM_PRICE]))
        _bt_collectors_add_obs (batch, "issuance_usd", t, v[CM_ISSNTV] * v[CM_PRICE]);
      if (!isnan (v[CM_FIN]) && !isnan (v[CM_FOUT]))
        _bt_collectors_add_obs (batch, "netflow", t, v[CM_FIN] - v[CM_FOUT]);
      batch->last_time = MAX (batch->last_time, t);
    }
  if (n > 0)
    {
      /* a requested metric absent from every row: not served (forbidden,
       * dropped by ignore_forbidden_errors) → visible "unavailable" */
      if (!seen[CM_PRICE])
        _bt_collectors_add_unavailable (batch, "price");
      if (!seen[CM_MCAP])
        _bt_collectors_add_unavailable (batch, "market_cap");
      if (!seen[CM_MVRV])
        _bt_collectors_add_unavailable (batch, "mvrv_ratio");
      if (!seen[CM_RCAP] && !(seen[CM_MCAP] && seen[CM_MVRV]))
        _bt_collectors_add_unavailable (batch, "realized_cap");
      if (!seen[CM_SPLY])
        _bt_collectors_add_unavailable (batch, "supply");
      if (!seen[CM_ISSUSD] && !(seen[CM_ISSNTV] && seen[CM_PRICE]))
        _bt_collectors_add_unavailable (batch, "issuance_usd");
      if (!seen[CM_FIN] || !seen[CM_FOUT])
        _bt_collectors_add_unavailable (batch, "netflow");
    }
  if (next_token != NULL && token != NULL && !bt_json_node_is_null (token))
    *next_token = g_strdup (json_node_get_string (token));
  return TRUE;
}

/* ---- BGeometrics ---- */

static gboolean
parse_bgeometrics (const char  *data,
                   gsize        length,
                   const char  *value_key,
                   const char  *metric,
                   BtBatch     *batch,
                   GError     **error)
{
  const char *what = "BGeometrics";
  g_autoptr(JsonNode) root = NULL;
  JsonArray *rows = _bt_collectors_load_rows (what, data, length, &root, error);
  gint64 prev = G_MININT64;

  if (rows == NULL)
    return FALSE;
  bt_batch_series (batch, metric);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *o = json_array_get_object_element (rows, i);
      JsonNode *d = json_object_get_member (o, "d");
      JsonNode *value = json_object_get_member (o, value_key);
      BtDay day;
      gint64 t;
      gint64 ts;
      double v;

      if (!bt_json_node_holds (d, G_TYPE_STRING) || !bt_day_parse (json_node_get_string (d), &day)
          || strlen (json_node_get_string (d)) != 10)
        return _bt_collectors_shape_error (error, what, _("row %u: “d” is not a YYYY-MM-DD date"), i);
      t = bt_day_to_unix (day);
      if (json_object_has_member (o, "unixTs"))
        {
          if (!_bt_collectors_int_or_string (json_object_get_member (o, "unixTs"), &ts) || !_bt_collectors_s_ok (ts)
              || bt_day_from_unix (ts) != day)
            return _bt_collectors_shape_error (error, what, _("row %u: unixTs disagrees with “d” or is not in seconds"), i);
        }
      if (t <= prev)
        return _bt_collectors_shape_error (error, what, _("row %u is not after the previous row"), i);
      prev = t;
      /* values arrive as numbers or strings; null or non-numbers are skipped */
      if (value == NULL || bt_json_node_is_null (value) || !_bt_collectors_any_decimal (value, &v))
        continue;
      _bt_collectors_add_obs (batch, metric, t, v);
    }
  return TRUE;
}

/* ---- Notion ---- */

static gboolean
notion_number (JsonObject *prop,
               double     *out,
               gboolean   *present)
{
  const char *type = NULL;
  JsonNode *type_node = json_object_get_member (prop, "type");
  JsonNode *value;

  *present = FALSE;
  if (!bt_json_node_holds (type_node, G_TYPE_STRING))
    return FALSE;
  type = json_node_get_string (type_node);
  if (strcmp (type, "number") == 0)
    value = json_object_get_member (prop, "number");
  else if (strcmp (type, "formula") == 0)
    {
      JsonNode *f = json_object_get_member (prop, "formula");

      if (f == NULL || !JSON_NODE_HOLDS_OBJECT (f))
        return FALSE;
      if (!bt_json_node_holds (json_object_get_member (json_node_get_object (f), "type"), G_TYPE_STRING)
          || strcmp (json_node_get_string (json_object_get_member (json_node_get_object (f), "type")),
                     "number") != 0)
        return FALSE;
      value = json_object_get_member (json_node_get_object (f), "number");
    }
  else
    return FALSE;
  if (bt_json_node_is_null (value))
    return TRUE;
  if (!bt_json_node_is_number (value))
    return FALSE;
  *out = json_node_get_double (value);
  *present = isfinite (*out);
  return TRUE;
}

static gboolean
notion_date (JsonObject *prop,
             gint64     *out,
             gboolean   *present)
{
  JsonNode *date = json_object_get_member (prop, "date");
  JsonNode *start;
  const char *text;
  BtDay day;

  *present = FALSE;
  if (!bt_json_node_holds (json_object_get_member (prop, "type"), G_TYPE_STRING)
      || strcmp (json_node_get_string (json_object_get_member (prop, "type")), "date") != 0)
    return FALSE;
  if (bt_json_node_is_null (date))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (date))
    return FALSE;
  start = json_object_get_member (json_node_get_object (date), "start");
  if (!bt_json_node_holds (start, G_TYPE_STRING))
    return FALSE;
  text = json_node_get_string (start);
  if (strlen (text) == 10)
    {
      if (!bt_day_parse (text, &day))
        return FALSE;
    }
  else
    {
      /* a datetime with an offset: convert to UTC, then take the date */
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

      if (dt == NULL)
        return FALSE;
      day = bt_day_from_unix (g_date_time_to_unix (dt));
    }
  *out = bt_day_to_unix (day);
  *present = TRUE;
  return TRUE;
}

static gboolean
parse_notion (const char         *data,
              gsize               length,
              const char         *date_property,
              const char * const *mapping,
              BtBatch            *batch,
              char              **next_cursor,
              GError            **error)
{
  const char *what = "Notion";
  g_autoptr(JsonNode) root = _bt_collectors_load_json (what, data, length, error);
  JsonObject *obj = _bt_collectors_root_object (root, what, error);
  JsonNode *results;
  JsonNode *has_more;
  JsonArray *rows;

  *next_cursor = NULL;
  if (obj == NULL)
    return FALSE;
  results = json_object_get_member (obj, "results");
  has_more = json_object_get_member (obj, "has_more");
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    return _bt_collectors_shape_error (error, what, _("no “results” array"));
  if (!bt_json_node_holds (has_more, G_TYPE_BOOLEAN))
    return _bt_collectors_shape_error (error, what, _("no “has_more” flag"));
  rows = json_node_get_array (results);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *page = json_array_get_element (rows, i);
      JsonNode *props_node;
      JsonObject *props;
      JsonNode *date_node;
      gboolean present;
      gint64 t;

      if (!JSON_NODE_HOLDS_OBJECT (page))
        return _bt_collectors_shape_error (error, what, _("result %u is not an object"), i);
      props_node = json_object_get_member (json_node_get_object (page), "properties");
      if (props_node == NULL || !JSON_NODE_HOLDS_OBJECT (props_node))
        return _bt_collectors_shape_error (error, what, _("result %u has no properties"), i);
      props = json_node_get_object (props_node);
      date_node = json_object_get_member (props, date_property);
      if (date_node == NULL || !JSON_NODE_HOLDS_OBJECT (date_node))
        return _bt_collectors_shape_error (error, what, _("result %u has no date property “%s”"), i, date_property);
      if (!notion_date (json_node_get_object (date_node), &t, &present))
        return _bt_collectors_shape_error (error, what, _("result %u: “%s” is not a date"), i, date_property);
      if (!present)
        continue;
      for (guint m = 0; mapping != NULL && mapping[m] != NULL; m++)
        {
          g_auto(GStrv) pair = g_strsplit (mapping[m], "=", 2);
          JsonNode *prop;
          double v = NAN;

          if (pair[0] == NULL || pair[1] == NULL)
            continue;
          prop = json_object_get_member (props, pair[0]);
          if (prop == NULL)
            continue;
          if (!JSON_NODE_HOLDS_OBJECT (prop)
              || !notion_number (json_node_get_object (prop), &v, &present))
            return _bt_collectors_shape_error (error, what, _("result %u: property “%s” is not a number"), i, pair[0]);
          if (present)
            _bt_collectors_add_obs (batch, pair[1], t, v);
        }
    }
  if (json_node_get_boolean (has_more))
    {
      JsonNode *cursor = json_object_get_member (obj, "next_cursor");

      if (!bt_json_node_holds (cursor, G_TYPE_STRING))
        return _bt_collectors_shape_error (error, what, _("has_more without a next_cursor"));
      *next_cursor = g_strdup (json_node_get_string (cursor));
    }
  return TRUE;
}

gboolean
bt_parse_coinmetrics (const char  *data,
                      gsize        length,
                      BtBatch     *batch,
                      char       **next_token,
                      GError     **error)
{
  return bt_error_one_line (parse_coinmetrics (data, length, batch, next_token, error), error);
}

gboolean
bt_parse_bgeometrics (const char  *data,
                      gsize        length,
                      const char  *value_key,
                      const char  *metric,
                      BtBatch     *batch,
                      GError     **error)
{
  return bt_error_one_line (parse_bgeometrics (data, length, value_key, metric, batch, error), error);
}

gboolean
bt_parse_notion (const char         *data,
                 gsize               length,
                 const char         *date_property,
                 const char * const *mapping,
                 BtBatch            *batch,
                 char              **next_cursor,
                 GError            **error)
{
  return bt_error_one_line (parse_notion (data, length, date_property, mapping, batch, next_cursor, error), error);
}
