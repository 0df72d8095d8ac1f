/* bt-secrets.h: tokens in the desktop keyring (libsecret), never in the
 * database, GSettings or logs.  Kinds: the Notion integration token and an
 * Ethereum RPC URL that carries a key. */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

typedef enum
{
  BT_SECRET_NOTION = 0,
  BT_SECRET_RPC,
  BT_N_SECRETS
} BtSecretKind;

/* "io.github.btcturbo.BtcTurbo.Token", attribute kind = notion|rpc */
const SecretSchema *bt_secrets_get_schema        (void);
/* name → value attributes for KIND (owned) */
GHashTable         *bt_secrets_build_attributes  (BtSecretKind kind);

void      bt_secrets_store_async   (BtSecretKind         kind,
                                    const char          *value,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  bt_secrets_store_finish  (GAsyncResult        *result,
                                    GError             **error);
void      bt_secrets_lookup_async  (BtSecretKind         kind,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
/* NULL without error when nothing is stored */
char     *bt_secrets_lookup_finish (GAsyncResult        *result,
                                    GError             **error);
void      bt_secrets_clear_async   (BtSecretKind         kind,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  bt_secrets_clear_finish  (GAsyncResult        *result,
                                    GError             **error);

/* For the command line: the environment variable, else the keyring
 * (blocking).  NULL without error when neither has it. */
char     *bt_secrets_lookup_for_cli (BtSecretKind       kind,
                                     GError           **error);

G_END_DECLS
