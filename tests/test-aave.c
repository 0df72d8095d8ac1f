/* Aave v3 over JSON-RPC: Keccak-256, EIP-55, uint256 words, the decoded
 * account data (DATA_SOURCES.md §6 worked example), and the reader against
 * a loopback JSON-RPC server. */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "bt-aave.h"
#include "bt-engine.h"
#include "bt-scheduler.h"
#include "bt-store.h"
#include "bt-aave-private.h"
#include "bt-rules.h"
#include "bt-scoring.h"
#include "bt-test-server.h"

static char *
hex (const guint8 *d,
     gsize         n)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (s, "%02x", d[i]);
  return g_string_free (s, FALSE);
}

static char *
keccak_hex (const char *text,
            gsize       n)
{
  guint8 d[32];

  bt_keccak256 ((const guint8 *) text, n, d);
  return hex (d, 32);
}

/* Published vectors (Keccak team / Ethereum): the empty string and "abc";
 * function selectors from DATA_SOURCES.md §6 (transfer = a9059cbb is the
 * well-known ERC-20 selector). */
static void
test_keccak_vectors (void)
{
  g_autofree char *empty = keccak_hex ("", 0);
  g_autofree char *abc = keccak_hex ("abc", 3);
  g_autofree char *transfer = keccak_hex ("transfer(address,uint256)", 25);
  g_autofree char *account = keccak_hex ("getUserAccountData(address)", 27);
  g_autofree char *config = keccak_hex ("getConfiguration(address)", 25);
  g_autofree char *price = keccak_hex ("getAssetPrice(address)", 22);

  g_assert_cmpstr (empty, ==, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  g_assert_cmpstr (abc, ==, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  g_assert_true (g_str_has_prefix (transfer, "a9059cbb"));
  g_assert_true (g_str_has_prefix (account, "bf92857c"));
  g_assert_true (g_str_has_prefix (config, "c44b11f7"));
  g_assert_true (g_str_has_prefix (price, "b3596f07"));
}

/* ---- an independent, spec-literal Keccak-f[1600] (FIPS 202 §3.2 step
 * mappings on a[x][y], rho offsets and round constants generated from
 * their definitions rather than tables) ---- */

static int
rc_bit (int t)
{
  /* FIPS 202 Algorithm 5: bit i of R is R[i]; R = 10000000 */
  guint r = 1;

  for (int i = 1; i <= t % 255; i++)
    {
      r <<= 1;                        /* R = 0 || R */
      if (r & 0x100)                  /* R[0], R[4], R[5], R[6] ^= R[8] */
        r ^= 0x1 | 0x10 | 0x20 | 0x40;
      r &= 0xff;                      /* Trunc8 */
    }
  return r & 1;
}

static void
ref_permute (guint64 a[5][5])
{
  for (int ir = 0; ir < 24; ir++)
    {
      guint64 c[5], d[5], b[5][5];
      guint64 rc = 0;
      int x, y, t;

      for (x = 0; x < 5; x++)
        c[x] = a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4];
      for (x = 0; x < 5; x++)
        d[x] = c[(x + 4) % 5] ^ ((c[(x + 1) % 5] << 1) | (c[(x + 1) % 5] >> 63));
      for (x = 0; x < 5; x++)
        for (y = 0; y < 5; y++)
          a[x][y] ^= d[x];
      /* rho and pi */
      {
        guint64 r[5][5];
        int ox = 1, oy = 0;

        for (x = 0; x < 5; x++)
          for (y = 0; y < 5; y++)
            r[x][y] = a[x][y];
        /* rho: lane (x, y) visited at step t rotates by (t+1)(t+2)/2 */
        for (t = 0; t < 24; t++)
          {
            int off = ((t + 1) * (t + 2) / 2) % 64;
            int nx = oy, ny = (2 * ox + 3 * oy) % 5;

            if (off != 0)
              r[ox][oy] = (a[ox][oy] << off) | (a[ox][oy] >> (64 - off));
            ox = nx;
            oy = ny;
          }
        /* pi: A'[x][y] = A[(x + 3y) mod 5][x] */
        for (x = 0; x < 5; x++)
          for (y = 0; y < 5; y++)
            b[x][y] = r[(x + 3 * y) % 5][x];
      }
      /* chi */
      for (x = 0; x < 5; x++)
        for (y = 0; y < 5; y++)
          a[x][y] = b[x][y] ^ (~b[(x + 1) % 5][y] & b[(x + 2) % 5][y]);
      /* iota */
      for (int j = 0; j <= 6; j++)
        if (rc_bit (j + 7 * ir))
          rc |= G_GUINT64_CONSTANT (1) << ((1 << j) - 1);
      a[0][0] ^= rc;
    }
}

static void
ref_keccak256 (const guint8 *m,
               gsize         n,
               guint8        out[32])
{
  gsize padded = (n / 136 + 1) * 136;
  g_autofree guint8 *p = g_malloc0 (padded);
  guint64 a[5][5] = { { 0 } };

  if (n > 0)
    memcpy (p, m, n);
  p[n] ^= 0x01;
  p[padded - 1] ^= 0x80;
  for (gsize blk = 0; blk < padded; blk += 136)
    {
      for (int i = 0; i < 17; i++)
        {
          guint64 lane = 0;

          for (int k = 0; k < 8; k++)
            lane |= (guint64) p[blk + i * 8 + k] << (8 * k);
          a[i % 5][i / 5] ^= lane;
        }
      ref_permute (a);
    }
  for (int i = 0; i < 4; i++)
    for (int k = 0; k < 8; k++)
      out[i * 8 + k] = (guint8) (a[i % 5][i / 5] >> (8 * k));
}

static void
test_keccak_reference (void)
{
  guint8 msg[400];
  guint8 d1[32], d2[32];
  guint8 ref_empty[32];
  g_autofree char *e = NULL;

  /* the reference itself reproduces the published empty-string vector */
  ref_keccak256 (NULL, 0, ref_empty);
  e = hex (ref_empty, 32);
  g_assert_cmpstr (e, ==, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");

  for (guint i = 0; i < sizeof msg; i++)
    msg[i] = (guint8) (i * 7 + 3);
  /* every length across the 136-byte block boundaries */
  for (gsize n = 0; n <= sizeof msg; n++)
    {
      bt_keccak256 (msg, n, d1);
      ref_keccak256 (msg, n, d2);
      g_assert_cmpmem (d1, 32, d2, 32);
    }
}

/* EIP-55's own examples */
static void
test_eip55 (void)
{
  const char *good[] = {
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    "0x52908400098527886E0F7030069857D2E4169EE7",   /* all caps */
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77",   /* all lower */
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x7a16ff8270133f063aab6c9977183d9e72835428",
  };
  const char *bad[] = {
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",   /* last letter's case flipped */
    "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",    /* 39 digits */
    "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00",   /* no 0x */
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg",   /* not hex */
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sum = bt_aave_checksum_address (good[i]);

      g_assert_true (bt_aave_validate_address (good[i], &error));
      g_assert_no_error (error);
      if (i < 4)
        g_assert_cmpstr (sum, ==, good[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (bt_aave_validate_address (bad[i], &error));
      g_assert_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_ADDRESS);
    }
}

static void
test_uint256 (void)
{
  BtUint256 w;
  guint64 v;
  char max[65];

  memset (max, 'f', 64);
  max[64] = '\0';
  g_assert_true (bt_uint256_parse (max, &w));
  g_assert_true (bt_uint256_is_max (&w));
  g_assert_false (bt_uint256_to_uint64 (&w, &v));
  /* 2^64 needs 65 bits */
  g_assert_true (bt_uint256_parse ("0000000000000000000000000000000000000000000000010000000000000000", &w));
  g_assert_false (bt_uint256_to_uint64 (&w, &v));
  g_assert_cmpfloat (bt_uint256_to_double (&w, 0), ==, 18446744073709551616.0);
  g_assert_true (bt_uint256_parse ("000000000000000000000000000000000000000000000000ffffffffffffffff", &w));
  g_assert_true (bt_uint256_to_uint64 (&w, &v));
  g_assert_cmpuint (v, ==, G_MAXUINT64);
  g_assert_false (bt_uint256_parse ("00zz", &w));
}

static char *
fixture_result (const char *name)
{
  g_autofree char *path = bt_test_fixture_path (name);
  g_autofree char *text = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;
  char *res;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  res = bt_jsonrpc_parse_result (text, len, 1, &error);
  g_assert_no_error (error);
  return res;
}

/* DATA_SOURCES.md §6 / fixtures README worked values */
static void
test_account_data (void)
{
  g_autofree char *res = fixture_result ("net-aave-getUserAccountData.json");
  BtAaveAccount acc;
  BtPositionState pos;
  BtRules rules;
  g_autoptr(GError) error = NULL;

  g_assert_true (bt_aave_parse_account_data (res, &acc, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (acc.collateral_usd, 122533.8435, 1e-6);
  g_assert_cmpfloat_with_epsilon (acc.debt_usd, 48210.774512, 1e-6);
  g_assert_cmpfloat_with_epsilon (acc.available_borrows_usd, 41238.931243, 1e-6);
  g_assert_cmpfloat_with_epsilon (acc.liquidation_threshold, 0.78, 1e-12);
  g_assert_cmpfloat_with_epsilon (acc.ltv, 0.73, 1e-12);
  g_assert_false (acc.no_debt);
  g_assert_cmpfloat_with_epsilon (acc.health_factor, 1.982469663626962974, 1e-15);

  /* SCORING.md §4 from these figures: liquidation price 66234.51 / HF = 33410.10,
   * distance (1 − 1/HF) × 100 = 49.56 %, leverage 122533.8435 / 74323.068988 = 1.64867 */
  bt_rules_init_default (&rules);
  bt_position_evaluate (acc.collateral_usd, acc.debt_usd, acc.liquidation_threshold,
                        acc.health_factor, 66234.51, &rules, &pos);
  g_assert_cmpfloat_with_epsilon (pos.liquidation_price, 33410.10, 0.01);
  g_assert_cmpfloat_with_epsilon (pos.liquidation_distance, 49.56, 0.01);
  g_assert_cmpfloat_with_epsilon (pos.leverage, 1.64867, 1e-5);
}

static void
test_account_nodebt (void)
{
  g_autofree char *res = fixture_result ("net-aave-getUserAccountData-nodebt.json");
  g_autofree char *empty = fixture_result ("net-aave-getUserAccountData-empty.json");
  BtAaveAccount acc;

  g_assert_true (bt_aave_parse_account_data (res, &acc, NULL));
  g_assert_true (acc.no_debt);
  g_assert_true (isnan (acc.health_factor));
  g_assert_cmpfloat (acc.debt_usd, ==, 0);
  g_assert_true (bt_aave_parse_account_data (empty, &acc, NULL));
  g_assert_true (acc.no_debt);
  g_assert_cmpfloat (acc.collateral_usd, ==, 0);
}

static void
test_reserve_and_price (void)
{
  g_autofree char *cfg = fixture_result ("net-aave-pool-getConfiguration-wbtc.json");
  g_autofree char *price = fixture_result ("net-aave-oracle-getAssetPrice-wbtc.json");
  BtAaveReserve r;
  double usd;

  g_assert_true (bt_aave_parse_reserve_config (cfg, &r, NULL));
  /* fixtures README: LTV 7300, LT 7800, bonus 10500, decimals 8 */
  g_assert_cmpuint (r.ltv_bps, ==, 7300);
  g_assert_cmpuint (r.liquidation_threshold_bps, ==, 7800);
  g_assert_cmpuint (r.liquidation_bonus_bps, ==, 10500);
  g_assert_cmpuint (r.decimals, ==, 8);
  g_assert_true (bt_aave_parse_price (price, &usd, NULL));
  /* 0x06062471acc0 = 6,623,451,000,000 → 66,234.51 USD */
  g_assert_cmpfloat_with_epsilon (usd, 66234.51, 1e-9);
}

static void
test_jsonrpc_errors (void)
{
  g_autofree char *path = bt_test_fixture_path ("net-jsonrpc-error-execution-reverted.json");
  g_autofree char *text = NULL;
  gsize len;
  BtAaveAccount acc;
  struct { const char *body; int code; } cases[] = {
    { "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"0x01\"}", BT_AAVE_ERROR_SHAPE },   /* id mismatch */
    { "{\"jsonrpc\":\"2.0\",\"id\":1,\"res", BT_AAVE_ERROR_SHAPE },                   /* truncated */
    { "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":12}", BT_AAVE_ERROR_SHAPE },          /* number */
    { "[1,2]", BT_AAVE_ERROR_SHAPE },
  };

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (bt_jsonrpc_parse_result (text, len, 1, &error));
    g_assert_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_RPC);
    g_assert_nonnull (strstr (error->message, "execution reverted"));
  }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (bt_jsonrpc_parse_result (cases[i].body, strlen (cases[i].body), 1, &error));
      g_assert_error (error, BT_AAVE_ERROR, cases[i].code);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (bt_aave_parse_account_data ("0x", &acc, &error));
    g_assert_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_EMPTY);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (bt_aave_parse_account_data ("0x0000", &acc, &error));
    g_assert_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_SHAPE);
  }
}

/* ---- the reader against a loopback JSON-RPC server ---- */

static BtAaveSnapshot *
fetch_wallet (BtAave      *aave,
              const char  *wallet,
              BtHttpReply *reply,
              GError     **error)
{
  GAsyncResult *result = NULL;
  BtAaveSnapshot *snap;

  bt_aave_fetch_async (aave, wallet, NULL, bt_test_result_cb, &result);
  snap = bt_aave_fetch_finish (aave, bt_test_wait_result (&result), reply, error);
  g_object_unref (result);
  return snap;
}

/* A reader of the JSON-RPC endpoint at /rpc/secret-key of a loopback
 * server answering as MODE says (mainnet, the worked example's account). */
typedef struct
{
  BtTestServer *server;
  BtHttp       *http;
  BtAave       *aave;
  BtTestRpc     mode;
} Rpc;

static void
rpc_setup (Rpc           *r,
           gconstpointer  data)
{
  g_autofree char *url = NULL;
  BtTestRpc mode = { "/rpc/secret-key", "net-aave-getUserAccountData.json", FALSE, FALSE, "0x1", NULL, 0 };

  r->server = bt_test_server_new ();
  r->http = bt_http_new ();
  url = g_strdup_printf ("%s/rpc/secret-key", bt_test_server_get_url (r->server));
  r->aave = bt_aave_new (r->http, url);
  r->mode = mode;
  bt_test_server_set_handler (r->server, bt_test_rpc_handler, &r->mode);
}

static void
rpc_teardown (Rpc           *r,
              gconstpointer  data)
{
  g_clear_object (&r->aave);
  g_clear_object (&r->http);
  g_clear_pointer (&r->server, bt_test_server_free);
}

static void
test_reader (Rpc           *r,
             gconstpointer  data)
{
  BtAave *aave = r->aave;
  g_autoptr(GError) error = NULL;
  g_autoptr(BtAaveSnapshot) snap = NULL;
  BtHttpReply reply;

  snap = fetch_wallet (aave, "0x7a16ff8270133f063aab6c9977183d9e72835428", &reply, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (snap->account.health_factor, 1.982469663626963, 1e-12);
  g_assert_cmpuint (snap->wbtc.liquidation_threshold_bps, ==, 7800);
  g_assert_cmpfloat_with_epsilon (snap->wbtc_price, 66234.51, 1e-9);
  /* chainId, blockNumber, three calls */
  g_assert_cmpuint (bt_test_server_count (r->server, "/rpc/"), ==, 5);

  /* chain checked once per endpoint */
  g_clear_pointer (&snap, bt_aave_snapshot_free);
  r->mode.account_fixture = "net-aave-getUserAccountData-nodebt.json";
  snap = fetch_wallet (aave, "0x7A16ff8270133F063aab6c9977183d9e72835428", NULL, &error);
  g_assert_null (snap);
  g_assert_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_ADDRESS);   /* bad checksum: nothing sent */
  g_assert_cmpuint (bt_test_server_count (r->server, "/rpc/"), ==, 5);
  g_clear_error (&error);
  snap = fetch_wallet (aave, "0x7a16ff8270133f063aab6c9977183d9e72835428", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (snap->account.no_debt);
  g_assert_cmpuint (bt_test_server_count (r->server, "/rpc/"), ==, 9);

  /* execution reverted with HTTP 200 */
  g_clear_pointer (&snap, bt_aave_snapshot_free);
  r->mode.revert = TRUE;
  snap = fetch_wallet (aave, "0x7a16ff8270133f063aab6c9977183d9e72835428", NULL, &error);
  g_assert_null (snap);
  g_assert_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_RPC);
  g_clear_error (&error);

  /* a rate-limiting gateway: 429 with Retry-After, and the key in the URL is never shown */
  r->mode.revert = FALSE;
  r->mode.rate_limit = TRUE;
  snap = fetch_wallet (aave, "0x7a16ff8270133f063aab6c9977183d9e72835428", &reply, &error);
  g_assert_null (snap);
  g_assert_error (error, BT_HTTP_ERROR, BT_HTTP_ERROR_RATE_LIMITED);
  g_assert_cmpint (reply.retry_after, ==, 7);
  g_assert_null (strstr (error->message, "secret-key"));
  g_clear_error (&error);
}

static void
test_wrong_chain (Rpc           *r,
                  gconstpointer  data)
{
  BtAave *aave = r->aave;
  g_autoptr(GError) error = NULL;
  BtAaveSnapshot *snap;

  r->mode.chain = "0x89";
  snap = fetch_wallet (aave, "0x7a16ff8270133f063aab6c9977183d9e72835428", NULL, &error);
  g_assert_null (snap);
  g_assert_error (error, BT_AAVE_ERROR, BT_AAVE_ERROR_CHAIN);
}

/* What the scheduler's position-changed found in the store. */
typedef struct
{
  BtStore *store;
  guint    n_signals;
  guint    n_points;
  char    *wallet;
} PositionSeen;

static void
on_position_changed_cb (BtScheduler  *scheduler,
                        const char   *wallet,
                        PositionSeen *seen)
{
  g_autoptr(GArray) points = bt_store_list_portfolio_history (seen->store, BT_DAY_INVALID,
                                                              BT_DAY_INVALID, NULL);

  seen->n_signals++;
  seen->n_points = points != NULL ? points->len : 0;
  g_free (seen->wallet);
  seen->wallet = g_strdup (wallet);
}

/* A pass of the scheduler over a wallet: position-changed comes once the
 * reading and the day's portfolio point are both stored, so a page that
 * redraws on it shows today's point. */
static void
test_scheduler_position (Rpc           *r,
                         gconstpointer  data)
{
  const char *wallet = "0x7a16ff8270133f063aab6c9977183d9e72835428";
  const char *const wallets[] = { wallet, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_store_open (":memory:", &error);
  g_autoptr(BtEngine) engine = bt_engine_new (store);
  g_autoptr(BtScheduler) scheduler = bt_scheduler_new (engine);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *url = g_strdup_printf ("%s/rpc/secret-key", bt_test_server_get_url (r->server));
  PositionSeen seen = { store, 0, 0, NULL };
  guint n_failed = 0;

  g_assert_no_error (error);
  for (int s = 0; s < BT_N_SOURCES; s++)
    bt_scheduler_set_source_enabled (scheduler, s, s == BT_SOURCE_ETHEREUM);
  g_assert_true (bt_scheduler_set_base_url (scheduler, BT_SOURCE_ETHEREUM, url, &error));
  bt_scheduler_set_wallets (scheduler, wallets);
  g_signal_connect (scheduler, "position-changed", G_CALLBACK (on_position_changed_cb), &seen);

  bt_scheduler_run_once_async (scheduler, FALSE, NULL, bt_test_result_cb, &result);
  g_assert_true (bt_scheduler_run_once_finish (scheduler, bt_test_wait_result (&result), &n_failed,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_failed, ==, 0);
  g_assert_cmpuint (seen.n_signals, ==, 1);
  g_assert_cmpstr (seen.wallet, ==, wallet);
  g_assert_cmpuint (seen.n_points, ==, 1);
  g_free (seen.wallet);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/aave/keccak-vectors", test_keccak_vectors);
  g_test_add_func ("/core/aave/keccak-reference", test_keccak_reference);
  g_test_add_func ("/core/aave/eip55", test_eip55);
  g_test_add_func ("/core/aave/uint256", test_uint256);
  g_test_add_func ("/core/aave/account-data", test_account_data);
  g_test_add_func ("/core/aave/account-nodebt", test_account_nodebt);
  g_test_add_func ("/core/aave/reserve-and-price", test_reserve_and_price);
  g_test_add_func ("/core/aave/jsonrpc-errors", test_jsonrpc_errors);
  g_test_add ("/core/aave/reader", Rpc, NULL, rpc_setup, test_reader, rpc_teardown);
  g_test_add ("/core/aave/wrong-chain", Rpc, NULL, rpc_setup, test_wrong_chain, rpc_teardown);
  g_test_add ("/core/aave/scheduler-position", Rpc, NULL, rpc_setup, test_scheduler_position,
              rpc_teardown);
  return g_test_run ();
}
