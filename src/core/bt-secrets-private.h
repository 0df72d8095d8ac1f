/* bt-secrets-private.h: what bt-secrets.c declares for its own use and for
 * the tests only; not part of the public API in bt-secrets.h. */
#pragma once

#include "bt-secrets.h"

G_BEGIN_DECLS

/* environment variable scripts may use instead: BT_NOTION_TOKEN, BT_ETH_RPC_URL */
const char         *bt_secret_env_name           (BtSecretKind kind);

G_END_DECLS
