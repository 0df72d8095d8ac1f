/* bt-rules-private.h: the internals shared by the rules' defaults and
 * validation (bt-rules.c) and their overrides and JSON (bt-rules-set.c).
 * Not for other modules.
 */
#pragma once

#include "bt-rules.h"

G_BEGIN_DECLS

/* The names of the items, categories and profiles, by BtItem, BtCategory
 * and BtRulesProfile. */
extern const char *const _bt_rules_item_names[BT_N_ITEMS];
extern const char *const _bt_rules_category_names[BT_N_CATEGORIES];
extern const char *const _bt_rules_profile_names[BT_N_RULES_PROFILES];

/* The names of the risk bands (keys "bands.<name>"). */
#define BAND_HEALTH_FACTOR        "health_factor"
#define BAND_LIQUIDATION_DISTANCE "liquidation_distance"

/* Numeric fields reachable as "thresholds.<name>" / "alerts.<name>". */
typedef struct
{
  const char *name;
  gsize       offset;
  gboolean    is_uint;
  double      seed;        /* the value in the seed's rule set */
} NumField;

/* Sets every field of the tables to its seed value. */
void      _bt_rules_init_seed_fields (BtRules *rules);

gboolean  _bt_rules_category_from_name (const char *name,
                                        BtCategory *out);
gboolean  _bt_rules_item_has_band (BtItem item);
gboolean  _bt_rules_invalid (GError     **error,
                             const char  *format,
                             ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
