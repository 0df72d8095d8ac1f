#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "bt-aave.h"
#include "bt-aave-private.h"
#include "bt-base.h"
#include "bt-json.h"

G_DEFINE_QUARK (bt-aave-error-quark, bt_aave_error)

#define SEL_ACCOUNT_DATA "bf92857c"
#define SEL_CONFIGURATION "c44b11f7"
#define SEL_ASSET_PRICE "b3596f07"

/* ---- Keccak-256 (the original padding, as Ethereum uses) ---- */

static const guint64 keccak_rc[24] = {
  G_GUINT64_CONSTANT (0x0000000000000001), G_GUINT64_CONSTANT (0x0000000000008082),
  G_GUINT64_CONSTANT (0x800000000000808a), G_GUINT64_CONSTANT (0x8000000080008000),
  G_GUINT64_CONSTANT (0x000000000000808b), G_GUINT64_CONSTANT (0x0000000080000001),
  G_GUINT64_CONSTANT (0x8000000080008081), G_GUINT64_CONSTANT (0x8000000000008009),
  G_GUINT64_CONSTANT (0x000000000000008a), G_GUINT64_CONSTANT (0x0000000000000088),
  G_GUINT64_CONSTANT (0x0000000080008009), G_GUINT64_CONSTANT (0x000000008000000a),
  G_GUINT64_CONSTANT (0x000000008000808b), G_GUINT64_CONSTANT (0x800000000000008b),
  G_GUINT64_CONSTANT (0x8000000000008089), G_GUINT64_CONSTANT (0x8000000000008003),
  G_GUINT64_CONSTANT (0x8000000000008002), G_GUINT64_CONSTANT (0x8000000000000080),
  G_GUINT64_CONSTANT (0x000000000000800a), G_GUINT64_CONSTANT (0x800000008000000a),
  G_GUINT64_CONSTANT (0x8000000080008081), G_GUINT64_CONSTANT (0x8000000000008080),
  G_GUINT64_CONSTANT (0x0000000080000001), G_GUINT64_CONSTANT (0x8000000080008008),
};

static const int keccak_rotc[24] = {
  1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44,
};

static const int keccak_piln[24] = {
  10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
};

static guint64
rotl64 (guint64 x,
        int     n)
{
  return (x << n) | (x >> (64 - n));
}

static void
keccak_f1600 (guint64 st[25])
{
  guint64 bc[5];
  guint64 t;

  for (int round = 0; round < 24; round++)
    {
      for (int i = 0; i < 5; i++)
        bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
      for (int i = 0; i < 5; i++)
        {
          t = bc[(i + 4) % 5] ^ rotl64 (bc[(i + 1) % 5], 1);
          for (int j = 0; j < 25; j += 5)
            st[j + i] ^= t;
        }
      t = st[1];
      for (int i = 0; i < 24; i++)
        {
          int j = keccak_piln[i];

          bc[0] = st[j];
          st[j] = rotl64 (t, keccak_rotc[i]);
          t = bc[0];
        }
      for (int j = 0; j < 25; j += 5)
        {
          for (int i = 0; i < 5; i++)
            bc[i] = st[j + i];
          for (int i = 0; i < 5; i++)
            st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
        }
      st[0] ^= keccak_rc[round];
    }
}

void
bt_keccak256 (const guint8 *data,
              gsize         length,
              guint8        digest[32])
{
  enum { RATE = 136 };
  guint64 st[25] = { 0 };
  guint8 block[RATE];
  gsize off = 0;

  g_return_if_fail (data != NULL || length == 0);

  while (length - off >= RATE)
    {
      for (int i = 0; i < RATE / 8; i++)
        {
          guint64 lane = 0;

          for (int b = 7; b >= 0; b--)
            lane = (lane << 8) | data[off + i * 8 + b];
          st[i] ^= lane;
        }
      keccak_f1600 (st);
      off += RATE;
    }
  memset (block, 0, sizeof block);
  if (length > off)
    memcpy (block, data + off, length - off);
  block[length - off] ^= 0x01;
  block[RATE - 1] ^= 0x80;
  for (int i = 0; i < RATE / 8; i++)
    {
      guint64 lane = 0;

      for (int b = 7; b >= 0; b--)
        lane = (lane << 8) | block[i * 8 + b];
      st[i] ^= lane;
    }
  keccak_f1600 (st);
  for (int i = 0; i < 4; i++)
    for (int b = 0; b < 8; b++)
      digest[i * 8 + b] = (guint8) (st[i] >> (8 * b));
}

/* ---- addresses ---- */

static gboolean
is_hex_string (const char *s,
               gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return s[n] == '\0';
}

char *
bt_aave_checksum_address (const char *address)
{
  char lower[41];
  guint8 hash[32];
  char *out;

  if (address == NULL || strlen (address) != 42 || address[0] != '0'
      || (address[1] != 'x' && address[1] != 'X') || !is_hex_string (address + 2, 40))
    return NULL;
  for (int i = 0; i < 40; i++)
    lower[i] = g_ascii_tolower (address[2 + i]);
  lower[40] = '\0';
  bt_keccak256 ((const guint8 *) lower, 40, hash);
  out = g_malloc (43);
  out[0] = '0';
  out[1] = 'x';
  for (int i = 0; i < 40; i++)
    {
      int nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f;

      out[2 + i] = (g_ascii_isalpha (lower[i]) && nibble >= 8) ? g_ascii_toupper (lower[i]) : lower[i];
    }
  out[42] = '\0';
  return out;
}

gboolean
bt_aave_validate_address (const char  *address,
                          GError     **error)
{
  g_autofree char *sum = NULL;
  gboolean has_lower = FALSE;
  gboolean has_upper = FALSE;

  if (address == NULL || strlen (address) != 42 || address[0] != '0' || address[1] != 'x'
      || !is_hex_string (address + 2, 40))
    {
      g_autofree char *quoted = bt_one_line (address, 60);

      g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_ADDRESS,
                   _("“%s” is not a wallet address: expected 0x followed by 40 hexadecimal digits"),
                   quoted);
      return FALSE;
    }
  for (int i = 2; i < 42; i++)
    {
      has_lower |= g_ascii_islower (address[i]);
      has_upper |= g_ascii_isupper (address[i]);
    }
  if (!(has_lower && has_upper))
    return TRUE;
  sum = bt_aave_checksum_address (address);
  if (strcmp (sum, address) != 0)
    {
      g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_ADDRESS,
                   _("The wallet address %s has a wrong checksum (mixed case must follow EIP-55); check it for typing errors"),
                   address);
      return FALSE;
    }
  return TRUE;
}

/* ---- uint256 ---- */

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

gboolean
bt_uint256_parse (const char *hex64,
                  BtUint256  *out)
{
  if (hex64 == NULL)
    return FALSE;
  for (int i = 0; i < 32; i++)
    {
      int hi = hex_value (hex64[2 * i]);
      int lo = hi < 0 ? -1 : hex_value (hex64[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out->be[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
}

gboolean
bt_uint256_is_max (const BtUint256 *value)
{
  for (int i = 0; i < 32; i++)
    if (value->be[i] != 0xff)
      return FALSE;
  return TRUE;
}

gboolean
bt_uint256_to_uint64 (const BtUint256 *value,
                      guint64         *out)
{
  guint64 v = 0;

  for (int i = 0; i < 24; i++)
    if (value->be[i] != 0)
      return FALSE;
  for (int i = 24; i < 32; i++)
    v = (v << 8) | value->be[i];
  *out = v;
  return TRUE;
}

double
bt_uint256_to_double (const BtUint256 *value,
                      guint            decimals)
{
  guint64 small;
  double v = 0;

  if (bt_uint256_to_uint64 (value, &small))
    {
      /* split so that the integer and fractional parts round separately */
      guint64 scale = 1;
      guint d;

      for (d = 0; d < decimals && d < 19; d++)
        scale *= 10;
      v = (double) (small / scale) + (double) (small % scale) / (double) scale;
      for (; d < decimals; d++)
        v /= 10.0;
      return v;
    }
  for (int i = 0; i < 32; i++)
    v = v * 256.0 + value->be[i];
  return v / pow (10.0, decimals);
}

/* ---- JSON-RPC ---- */

char *
bt_jsonrpc_parse_result (const char  *data,
                         gsize        length,
                         gint64       expected_id,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;
  JsonObject *obj;
  JsonNode *id;
  JsonNode *err;
  JsonNode *result;

  if (data == NULL || length == 0 || !bt_json_precheck (data, length)
      || !json_parser_load_from_data (parser, data, (gssize) length, &local))
    {
      g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_SHAPE,
                   _("Ethereum RPC: the answer is not valid JSON (truncated?)"));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_SHAPE,
                   _("Ethereum RPC: expected a JSON-RPC object"));
      return NULL;
    }
  obj = json_node_get_object (root);
  err = json_object_get_member (obj, "error");
  if (err != NULL && !JSON_NODE_HOLDS_NULL (err))
    {
      gint64 code = 0;
      const char *msg = NULL;

      if (JSON_NODE_HOLDS_OBJECT (err))
        {
          JsonObject *e = json_node_get_object (err);
          JsonNode *c = json_object_get_member (e, "code");
          JsonNode *m = json_object_get_member (e, "message");

          if (bt_json_node_holds (c, G_TYPE_INT64))
            code = json_node_get_int (c);
          if (bt_json_node_holds (m, G_TYPE_STRING))
            msg = json_node_get_string (m);
        }
      {
        /* the endpoint's own words, on one line */
        g_autofree char *quoted = bt_one_line (msg != NULL ? msg : _("unknown error"), 200);

        g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_RPC, _("Ethereum RPC error %lld: %s"),
                     (long long) code, quoted);
      }
      return NULL;
    }
  id = json_object_get_member (obj, "id");
  if (!bt_json_node_holds (id, G_TYPE_INT64) || json_node_get_int (id) != expected_id)
    {
      g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_SHAPE,
                   _("Ethereum RPC: the answer is for another request (id mismatch)"));
      return NULL;
    }
  result = json_object_get_member (obj, "result");
  if (!bt_json_node_holds (result, G_TYPE_STRING)
      || strncmp (json_node_get_string (result), "0x", 2) != 0)
    {
      g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_SHAPE,
                   _("Ethereum RPC: “result” is not a hexadecimal string"));
      return NULL;
    }
  return g_strdup (json_node_get_string (result));
}

static gboolean
split_words (const char  *result,
             guint        n_words,
             BtUint256   *words,
             GError     **error)
{
  gsize len;

  if (result == NULL || strncmp (result, "0x", 2) != 0)
    {
      g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_SHAPE, _("Ethereum RPC: not a hexadecimal result"));
      return FALSE;
    }
  len = strlen (result + 2);
  if (len == 0)
    {
      g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_EMPTY,
                   _("Ethereum RPC: empty result “0x”: no contract at that address (wrong network or address?)"));
      return FALSE;
    }
  if (len != (gsize) n_words * 64)
    {
      g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_SHAPE,
                   _("Ethereum RPC: expected %u words, got %lu hex digits"), n_words,
                   (unsigned long) len);
      return FALSE;
    }
  for (guint i = 0; i < n_words; i++)
    if (!bt_uint256_parse (result + 2 + i * 64, &words[i]))
      {
        g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_SHAPE, _("Ethereum RPC: not a hexadecimal result"));
        return FALSE;
      }
  return TRUE;
}

gboolean
bt_aave_parse_account_data (const char     *result,
                            BtAaveAccount  *out,
                            GError        **error)
{
  BtUint256 w[6];
  guint64 bps;

  if (!split_words (result, 6, w, error))
    return FALSE;
  out->collateral_usd = bt_uint256_to_double (&w[0], 8);
  out->debt_usd = bt_uint256_to_double (&w[1], 8);
  out->available_borrows_usd = bt_uint256_to_double (&w[2], 8);
  if (!bt_uint256_to_uint64 (&w[3], &bps) || bps > 10000)
    {
      g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_SHAPE, _("Aave: liquidation threshold out of range"));
      return FALSE;
    }
  out->liquidation_threshold = bps / 10000.0;
  if (!bt_uint256_to_uint64 (&w[4], &bps) || bps > 10000)
    {
      g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_SHAPE, _("Aave: LTV out of range"));
      return FALSE;
    }
  out->ltv = bps / 10000.0;
  out->no_debt = bt_uint256_is_max (&w[5]);
  out->health_factor = out->no_debt ? NAN : bt_uint256_to_double (&w[5], 18);
  return TRUE;
}

gboolean
bt_aave_parse_reserve_config (const char     *result,
                              BtAaveReserve  *out,
                              GError        **error)
{
  BtUint256 w;
  guint64 low;
  const guint8 *b;

  if (!split_words (result, 1, &w, error))
    return FALSE;
  /* bits 0–63 are enough for LTV, LT, bonus, decimals and flags */
  b = w.be;
  low = 0;
  for (int i = 24; i < 32; i++)
    low = (low << 8) | b[i];
  out->ltv_bps = low & 0xffff;
  out->liquidation_threshold_bps = (low >> 16) & 0xffff;
  out->liquidation_bonus_bps = (low >> 32) & 0xffff;
  out->decimals = (low >> 48) & 0xff;
  out->active = (low >> 56) & 1;
  out->frozen = (low >> 57) & 1;
  if (out->liquidation_threshold_bps > 10000 || out->ltv_bps > out->liquidation_threshold_bps)
    {
      g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_SHAPE,
                   _("Aave: the reserve configuration is not understood"));
      return FALSE;
    }
  return TRUE;
}

gboolean
bt_aave_parse_price (const char  *result,
                     double      *usd,
                     GError     **error)
{
  BtUint256 w;

  if (!split_words (result, 1, &w, error))
    return FALSE;
  *usd = bt_uint256_to_double (&w, 8);
  if (!(*usd > 0))
    {
      g_set_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_SHAPE, _("Aave: the oracle price is zero"));
      return FALSE;
    }
  return TRUE;
}

char *
bt_aave_calldata (const char *selector_hex,
                  const char *address)
{
  g_autofree char *lower = g_ascii_strdown (address + 2, -1);

  return g_strdup_printf ("0x%s000000000000000000000000%s", selector_hex, lower);
}

void
bt_aave_snapshot_free (BtAaveSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_free (snapshot->wallet);
  g_free (snapshot);
}

/* ---- the reader ---- */

struct _BtAave
{
  GObject  parent_instance;

  BtHttp  *http;
  char    *rpc_url;
  gboolean chain_checked;
  gint64   next_id;
};

G_DEFINE_FINAL_TYPE (BtAave, bt_aave, G_TYPE_OBJECT)

enum
{
  STEP_CHAIN = 0,
  STEP_BLOCK,
  STEP_ACCOUNT,
  STEP_CONFIG,
  STEP_PRICE,
  STEP_DONE
};

typedef struct
{
  BtAaveSnapshot *snap;
  int             step;
  gint64          id;
  char           *block;
  BtHttpReply     reply;
} Fetch;

static void
fetch_free (Fetch *f)
{
  bt_aave_snapshot_free (f->snap);
  g_free (f->block);
  g_free (f);
}

static void step_run (GTask *task);

static GBytes *
rpc_body (gint64      id,
          const char *method,
          const char *to,
          const char *data,
          const char *block)
{
  GString *text = g_string_new (NULL);
  BtJson b;

  bt_json_init (&b, text);
  bt_json_begin_object (&b);
  bt_json_kv_string (&b, "jsonrpc", "2.0");
  bt_json_kv_int (&b, "id", id);
  bt_json_kv_string (&b, "method", method);
  bt_json_key (&b, "params");
  bt_json_begin_array (&b);
  if (to != NULL)
    {
      g_autofree char *to_lower = g_ascii_strdown (to, -1);

      bt_json_begin_object (&b);
      bt_json_kv_string (&b, "to", to_lower);
      bt_json_kv_string (&b, "data", data);
      bt_json_end_object (&b);
      bt_json_string (&b, block != NULL ? block : "latest");
    }
  bt_json_end_array (&b);
  bt_json_end_object (&b);
  return g_string_free_to_bytes (text);
}

static void
step_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  BtAave *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *res = NULL;
  GError *error = NULL;
  gsize len = 0;
  const char *data;
  gboolean ok = TRUE;

  body = bt_http_request_finish (BT_HTTP (source), result, &f->reply, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data = g_bytes_get_data (body, &len);
  res = bt_jsonrpc_parse_result (data, len, f->id, &error);
  if (res == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  switch (f->step)
    {
    case STEP_CHAIN:
      if (g_ascii_strcasecmp (res, "0x1") != 0)
        {
          g_set_error (&error, BT_AAVE_ERROR, BT_AAVE_ERROR_CHAIN,
                       _("The Ethereum RPC endpoint serves chain %s, not Ethereum mainnet (0x1)"), res);
          ok = FALSE;
        }
      else
        self->chain_checked = TRUE;
      break;
    case STEP_BLOCK:
      if (strlen (res) < 3 || strlen (res) > 18 || !is_hex_string (res + 2, strlen (res + 2)))
        {
          g_set_error (&error, BT_AAVE_ERROR, BT_AAVE_ERROR_SHAPE, _("Ethereum RPC: bad block number"));
          ok = FALSE;
        }
      else
        f->block = g_steal_pointer (&res);
      break;
    case STEP_ACCOUNT:
      ok = bt_aave_parse_account_data (res, &f->snap->account, &error);
      break;
    case STEP_CONFIG:
      ok = bt_aave_parse_reserve_config (res, &f->snap->wbtc, &error);
      break;
    case STEP_PRICE:
      ok = bt_aave_parse_price (res, &f->snap->wbtc_price, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  f->step++;
  step_run (task);
}

static void
step_run (GTask *task)
{
  BtAave *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *data = NULL;

  if (f->step == STEP_CHAIN && self->chain_checked)
    f->step++;
  f->id = ++self->next_id;
  switch (f->step)
    {
    case STEP_CHAIN:
      body = rpc_body (f->id, "eth_chainId", NULL, NULL, NULL);
      break;
    case STEP_BLOCK:
      body = rpc_body (f->id, "eth_blockNumber", NULL, NULL, NULL);
      break;
    case STEP_ACCOUNT:
      data = bt_aave_calldata (SEL_ACCOUNT_DATA, f->snap->wallet);
      body = rpc_body (f->id, "eth_call", BT_AAVE_POOL, data, f->block);
      break;
    case STEP_CONFIG:
      data = bt_aave_calldata (SEL_CONFIGURATION, BT_AAVE_WBTC);
      body = rpc_body (f->id, "eth_call", BT_AAVE_POOL, data, f->block);
      break;
    case STEP_PRICE:
      data = bt_aave_calldata (SEL_ASSET_PRICE, BT_AAVE_WBTC);
      body = rpc_body (f->id, "eth_call", BT_AAVE_ORACLE, data, f->block);
      break;
    case STEP_DONE:
    default:
      g_task_return_pointer (task, g_steal_pointer (&f->snap), (GDestroyNotify) bt_aave_snapshot_free);
      g_object_unref (task);
      return;
    }
  bt_http_request_async (self->http, "POST", self->rpc_url, NULL, body, "application/json",
                         g_task_get_cancellable (task), step_done_cb, task);
}

static void
bt_aave_dispose (GObject *object)
{
  BtAave *self = BT_AAVE (object);

  g_clear_object (&self->http);
  G_OBJECT_CLASS (bt_aave_parent_class)->dispose (object);
}

static void
bt_aave_finalize (GObject *object)
{
  BtAave *self = BT_AAVE (object);

  g_free (self->rpc_url);
  G_OBJECT_CLASS (bt_aave_parent_class)->finalize (object);
}

static void
bt_aave_class_init (BtAaveClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bt_aave_dispose;
  G_OBJECT_CLASS (klass)->finalize = bt_aave_finalize;
}

static void
bt_aave_init (BtAave *self)
{
}

BtAave *
bt_aave_new (BtHttp     *http,
             const char *rpc_url)
{
  BtAave *self;

  g_return_val_if_fail (BT_IS_HTTP (http), NULL);

  self = g_object_new (BT_TYPE_AAVE, NULL);
  self->http = g_object_ref (http);
  self->rpc_url = g_strdup (rpc_url);
  return self;
}

gboolean
bt_aave_set_rpc_url (BtAave      *self,
                     const char  *rpc_url,
                     GError     **error)
{
  g_return_val_if_fail (BT_IS_AAVE (self), FALSE);

  if (!bt_http_check_url (rpc_url, error))
    return FALSE;
  g_free (self->rpc_url);
  self->rpc_url = g_strdup (rpc_url);
  self->chain_checked = FALSE;
  return TRUE;
}

void
bt_aave_fetch_async (BtAave              *self,
                     const char          *wallet,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  Fetch *f;
  GError *error = NULL;

  g_return_if_fail (BT_IS_AAVE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bt_aave_fetch_async);
  f = g_new0 (Fetch, 1);
  f->reply.retry_after = -1;
  f->snap = g_new0 (BtAaveSnapshot, 1);
  f->snap->wallet = g_strdup (wallet);
  f->snap->timestamp = g_get_real_time () / G_USEC_PER_SEC;
  f->snap->wbtc_price = NAN;
  g_task_set_task_data (task, f, (GDestroyNotify) fetch_free);
  if (!bt_aave_validate_address (wallet, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (self->rpc_url == NULL || !bt_http_check_url (self->rpc_url, &error))
    {
      if (error == NULL)
        error = g_error_new (BT_AAVE_ERROR, BT_AAVE_ERROR_RPC, _("No Ethereum RPC endpoint is configured"));
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  step_run (task);
}

BtAaveSnapshot *
bt_aave_fetch_finish (BtAave        *self,
                      GAsyncResult  *result,
                      BtHttpReply   *reply,
                      GError       **error)
{
  g_return_val_if_fail (BT_IS_AAVE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (reply != NULL)
    *reply = ((Fetch *) g_task_get_task_data (G_TASK (result)))->reply;
  return g_task_propagate_pointer (G_TASK (result), error);
}
