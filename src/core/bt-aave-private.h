/* bt-aave-private.h: what bt-aave.c declares for its own use and for the
 * tests only; not part of the public API in bt-aave.h. */
#pragma once

#include "bt-aave.h"

G_BEGIN_DECLS

/* ---- Keccak-256 and 256-bit words ---- */
void      bt_keccak256              (const guint8 *data,
                                     gsize         length,
                                     guint8        digest[32]);

/* Exactly 64 hex digits (no 0x). */
gboolean  bt_uint256_parse          (const char      *hex64,
                                     BtUint256       *out);
gboolean  bt_uint256_is_max         (const BtUint256 *value);
/* FALSE when the value needs more than 64 bits */
gboolean  bt_uint256_to_uint64      (const BtUint256 *value,
                                     guint64         *out);
/* value / 10^decimals as a double (rounded) */
double    bt_uint256_to_double      (const BtUint256 *value,
                                     guint            decimals);

G_END_DECLS
