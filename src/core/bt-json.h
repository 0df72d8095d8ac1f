/* bt-json.h: the one JSON writer of BTC Turbo, and the checks every
 * reader of JSON makes of a node's type.  The writer is a small streaming writer for
 * the stable outputs (the CLI's JSON, a backtest's configuration, metrics
 * and result, the store's JSON columns): members in the order written,
 * shortest round-trip numbers (bt_format_double()), NAN as null, no locale.
 *
 * The canonical form (bt_json_init_canonical()) is the one a backtest's
 * configuration is hashed in (bt_backtest_config_hash()): it writes −0 as 0
 * (json-glib reads "-0" back as 0) and escapes only ", \ and the line feed
 * by name, other control characters as \u00XX.  Changing either form
 * changes outputs that are compared byte for byte.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  GString *out;
  guint    depth;
  gboolean canonical;
  gboolean need_comma[32];
} BtJson;

void  bt_json_init        (BtJson *json, GString *out);
void  bt_json_init_canonical (BtJson *json, GString *out);
void  bt_json_begin_object(BtJson *json);
void  bt_json_end_object  (BtJson *json);
void  bt_json_begin_array (BtJson *json);
void  bt_json_end_array   (BtJson *json);
void  bt_json_key         (BtJson *json, const char *key);
void  bt_json_string      (BtJson *json, const char *value);   /* NULL → null */
void  bt_json_number      (BtJson *json, double value);        /* NAN → null */
void  bt_json_int         (BtJson *json, gint64 value);
void  bt_json_bool        (BtJson *json, gboolean value);
void  bt_json_null        (BtJson *json);
/* insert an already-serialised JSON value */
void  bt_json_raw         (BtJson *json, const char *raw);

/* key + value shorthands */
void  bt_json_kv_string   (BtJson *json, const char *key, const char *value);
void  bt_json_kv_number   (BtJson *json, const char *key, double value);
void  bt_json_kv_int      (BtJson *json, const char *key, gint64 value);

/* A number alone, as bt_json_number() writes it: shortest round trip,
 * "null" when not finite. */
void  bt_json_append_number (GString *out, double value);

/* Reading (NODE may be NULL, as json_object_get_member() returns for an
 * absent member): a value of exactly TYPE (G_TYPE_STRING, G_TYPE_BOOLEAN,
 * G_TYPE_INT64); a number, integer or not (read with
 * json_node_get_double()); null or absent. */
gboolean bt_json_node_holds     (JsonNode *node, GType type);
gboolean bt_json_node_is_number (JsonNode *node);
gboolean bt_json_node_is_null   (JsonNode *node);

G_END_DECLS
