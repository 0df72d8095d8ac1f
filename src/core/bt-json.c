/* bt-json.c: the JSON writer and the node checks (bt-json.h). */
#define G_LOG_DOMAIN "bt-core"

#include <math.h>
#include <string.h>

#include "bt-base.h"
#include "bt-json.h"

void
bt_json_init (BtJson  *json,
              GString *out)
{
  memset (json, 0, sizeof *json);
  json->out = out;
}

void
bt_json_init_canonical (BtJson  *json,
                        GString *out)
{
  bt_json_init (json, out);
  json->canonical = TRUE;
}

static void
before_value (BtJson *json)
{
  if (json->need_comma[json->depth])
    g_string_append_c (json->out, ',');
  json->need_comma[json->depth] = TRUE;
}

static void
open_scope (BtJson *json,
            char    c)
{
  before_value (json);
  g_string_append_c (json->out, c);
  g_assert (json->depth + 1 < G_N_ELEMENTS (json->need_comma));
  json->depth++;
  json->need_comma[json->depth] = FALSE;
}

static void
close_scope (BtJson *json,
             char    c)
{
  g_assert (json->depth > 0);
  json->depth--;
  g_string_append_c (json->out, c);
}

void bt_json_begin_object (BtJson *json) { open_scope (json, '{'); }
void bt_json_end_object (BtJson *json) { close_scope (json, '}'); }
void bt_json_begin_array (BtJson *json) { open_scope (json, '['); }
void bt_json_end_array (BtJson *json) { close_scope (json, ']'); }

static void
append_escaped (GString    *out,
                const char *s,
                gboolean    canonical)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      unsigned char c = (unsigned char) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r':
        case '\t':
          if (!canonical)
            {
              g_string_append (out, c == '\r' ? "\\r" : "\\t");
              break;
            }
          G_GNUC_FALLTHROUGH;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

void
bt_json_key (BtJson     *json,
             const char *key)
{
  before_value (json);
  append_escaped (json->out, key, json->canonical);
  g_string_append_c (json->out, ':');
  /* the value that follows must not add a comma */
  json->need_comma[json->depth] = FALSE;
}

static void
after_key_value (BtJson *json)
{
  json->need_comma[json->depth] = TRUE;
}

void
bt_json_string (BtJson     *json,
                const char *value)
{
  before_value (json);
  if (value == NULL)
    g_string_append (json->out, "null");
  else
    append_escaped (json->out, value, json->canonical);
  after_key_value (json);
}

void
bt_json_append_number (GString *out,
                       double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    g_string_append (out, "null");
  else
    g_string_append (out, bt_format_double (value, buf));
}

void
bt_json_number (BtJson *json,
                double  value)
{
  before_value (json);
  if (json->canonical && value == 0)
    g_string_append (json->out, "0");   /* -0 too: json-glib reads "-0" back as 0 */
  else
    bt_json_append_number (json->out, value);
  after_key_value (json);
}

void
bt_json_int (BtJson *json,
             gint64  value)
{
  before_value (json);
  g_string_append_printf (json->out, "%" G_GINT64_FORMAT, value);
  after_key_value (json);
}

void
bt_json_bool (BtJson   *json,
              gboolean  value)
{
  before_value (json);
  g_string_append (json->out, value ? "true" : "false");
  after_key_value (json);
}

void
bt_json_null (BtJson *json)
{
  before_value (json);
  g_string_append (json->out, "null");
  after_key_value (json);
}

void
bt_json_raw (BtJson     *json,
             const char *raw)
{
  before_value (json);
  g_string_append (json->out, raw ? raw : "null");
  after_key_value (json);
}

void
bt_json_kv_string (BtJson     *json,
                   const char *key,
                   const char *value)
{
  bt_json_key (json, key);
  bt_json_string (json, value);
}

void
bt_json_kv_number (BtJson     *json,
                   const char *key,
                   double      value)
{
  bt_json_key (json, key);
  bt_json_number (json, value);
}

void
bt_json_kv_int (BtJson     *json,
                const char *key,
                gint64      value)
{
  bt_json_key (json, key);
  bt_json_int (json, value);
}

gboolean
bt_json_node_holds (JsonNode *node,
                    GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
bt_json_node_is_number (JsonNode *node)
{
  return bt_json_node_holds (node, G_TYPE_INT64) || bt_json_node_holds (node, G_TYPE_DOUBLE);
}

gboolean
bt_json_node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}
