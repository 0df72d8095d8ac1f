/* bt-cli-json.h: a small streaming JSON writer for the CLI's stable output
 * (shortest round-trip numbers, NAN as null, no locale). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GString *out;
  guint    depth;
  gboolean need_comma[32];
} BtJson;

void  bt_json_init        (BtJson *json, GString *out);
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

G_END_DECLS
