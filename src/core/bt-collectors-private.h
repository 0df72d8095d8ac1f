/* bt-collectors-private.h: the internals shared by the collector
 * (bt-collectors.c) and its response parsers (bt-collectors-parse.c,
 * bt-collectors-onchain.c).  Not for other modules.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bt-collectors.h"

G_BEGIN_DECLS

#define DAY_S         86400
#define DAY_MS        G_GINT64_CONSTANT (86400000)
#define MS_MIN        G_GINT64_CONSTANT (1000000000000)   /* 2001-09-09 in ms */
#define MS_MAX        G_GINT64_CONSTANT (10000000000000)  /* 2286 in ms */
#define S_MIN         G_GINT64_CONSTANT (1000000000)      /* 2001-09-09 in s */
#define S_MAX         G_GINT64_CONSTANT (10000000000)     /* 2286 in s */

/* The Coin Metrics metrics the collector asks for, in the order the parser
 * reads them. */
enum { CM_PRICE, CM_MCAP, CM_MVRV, CM_RCAP, CM_SPLY, CM_ISSNTV, CM_ISSUSD, CM_FIN, CM_FOUT, CM_N };
extern const char *_bt_collectors_cm_metrics[CM_N];

/* ---- the JSON checks every parser shares (bt-collectors-parse.c) ---- */
void      _bt_collectors_add_obs (BtBatch    *batch,
                                  const char *metric,
                                  gint64      time,
                                  double      value);
void      _bt_collectors_add_unavailable (BtBatch    *batch,
                                          const char *metric);
JsonNode *_bt_collectors_load_json (const char  *what,
                                    const char  *data,
                                    gsize        length,
                                    GError     **error);
gboolean  _bt_collectors_shape_error (GError     **error,
                                      const char  *what,
                                      const char  *format,
                                      ...) G_GNUC_PRINTF (3, 4);
gboolean  _bt_collectors_node_is_null (JsonNode *node);
gboolean  _bt_collectors_node_is_number (JsonNode *node);
gboolean  _bt_collectors_node_is_string (JsonNode *node);
double    _bt_collectors_node_number (JsonNode *node);
gboolean  _bt_collectors_string_decimal (JsonNode *node,
                                         double   *out);
gboolean  _bt_collectors_any_decimal (JsonNode *node,
                                      double   *out);
gboolean  _bt_collectors_int_or_string (JsonNode *node,
                                        gint64   *out);
gboolean  _bt_collectors_s_ok (gint64 t);
JsonArray *_bt_collectors_array_of_objects (JsonNode    *root,
                                            const char  *what,
                                            GError     **error);

G_END_DECLS
