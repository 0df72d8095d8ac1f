#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>

#include "bt-secrets.h"
#include "bt-secrets-private.h"

static const char *kind_names[BT_N_SECRETS] = { "notion", "rpc" };
static const char *env_names[BT_N_SECRETS] = { "BT_NOTION_TOKEN", "BT_ETH_RPC_URL" };
static const char *labels[BT_N_SECRETS] = {
  N_("BTC Turbo: Notion integration token"),
  N_("BTC Turbo: Ethereum RPC address"),
};

const SecretSchema *
bt_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.btcturbo.BtcTurbo.Token", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

const char *
bt_secret_env_name (BtSecretKind kind)
{
  g_return_val_if_fail (kind < BT_N_SECRETS, NULL);

  return env_names[kind];
}

GHashTable *
bt_secrets_build_attributes (BtSecretKind kind)
{
  GHashTable *attrs;

  g_return_val_if_fail (kind < BT_N_SECRETS, NULL);

  attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (attrs, g_strdup ("kind"), g_strdup (kind_names[kind]));
  return attrs;
}

/* Plain memory for the caller; the copy libsecret gave is wiped. */
static char *
plain_copy (char *secret)
{
  char *copy;

  if (secret == NULL)
    return NULL;
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

/* Hands the keyring's answer to the task: the secret for a lookup (NULL
 * when there is none), TRUE for store and clear. */
static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  gpointer tag = g_task_get_source_tag (task);
  GError *error = NULL;
  char *value = NULL;

  if (tag == bt_secrets_store_async)
    secret_password_store_finish (result, &error);
  else if (tag == bt_secrets_lookup_async)
    value = secret_password_lookup_finish (result, &error);
  else
    secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else if (tag == bt_secrets_lookup_async)
    g_task_return_pointer (task, value, (GDestroyNotify) secret_password_free);
  else
    g_task_return_boolean (task, TRUE);
}

/* Starts the keyring call of the public function SOURCE_TAG about KIND
 * (VALUE: what store writes). */
static void
secret_call (BtSecretKind          kind,
             const char           *value,
             gpointer              source_tag,
             GCancellable         *cancellable,
             GAsyncReadyCallback   callback,
             gpointer              user_data)
{
  const SecretSchema *schema = bt_secrets_get_schema ();
  g_autoptr(GHashTable) attrs = bt_secrets_build_attributes (kind);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (source_tag == bt_secrets_store_async)
    secret_password_storev (schema, attrs, SECRET_COLLECTION_DEFAULT, _(labels[kind]), value,
                            cancellable, done_cb, task);
  else if (source_tag == bt_secrets_lookup_async)
    secret_password_lookupv (schema, attrs, cancellable, done_cb, task);
  else
    secret_password_clearv (schema, attrs, cancellable, done_cb, task);
}

void
bt_secrets_store_async (BtSecretKind         kind,
                        const char          *value,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (kind < BT_N_SECRETS);
  g_return_if_fail (value != NULL);

  secret_call (kind, value, bt_secrets_store_async, cancellable, callback, user_data);
}

gboolean
bt_secrets_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bt_secrets_lookup_async (BtSecretKind         kind,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (kind < BT_N_SECRETS);

  secret_call (kind, NULL, bt_secrets_lookup_async, cancellable, callback, user_data);
}

char *
bt_secrets_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  return plain_copy (g_task_propagate_pointer (G_TASK (result), error));
}

void
bt_secrets_clear_async (BtSecretKind         kind,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (kind < BT_N_SECRETS);

  secret_call (kind, NULL, bt_secrets_clear_async, cancellable, callback, user_data);
}

gboolean
bt_secrets_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
bt_secrets_lookup_for_cli (BtSecretKind   kind,
                           GError       **error)
{
  const char *env;
  g_autoptr(GHashTable) attrs = NULL;
  g_autoptr(GError) local = NULL;
  char *secret;

  g_return_val_if_fail (kind < BT_N_SECRETS, NULL);

  env = g_getenv (env_names[kind]);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  attrs = bt_secrets_build_attributes (kind);
  secret = secret_password_lookupv_sync (bt_secrets_get_schema (), attrs, NULL, &local);
  if (secret == NULL)
    {
      /* no keyring reachable (a script, a container): not an error */
      return NULL;
    }
  return plain_copy (secret);
}
