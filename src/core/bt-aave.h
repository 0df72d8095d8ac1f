/* bt-aave.h: Aave v3 positions read over Ethereum JSON-RPC (DATA_SOURCES.md §6).
 *
 * For a wallet: Pool.getUserAccountData (collateral, debt, liquidation
 * threshold, LTV, health factor), Pool.getConfiguration(WBTC) for the
 * reserve's liquidation threshold and AaveOracle.getAssetPrice(WBTC) for the
 * price, all read at one block.  uint256 words are parsed without overflow;
 * the no-debt health factor 2²⁵⁶−1 is recognised.  Wallet addresses are
 * validated (0x + 40 hex digits; EIP-55 checksum when mixed case), which
 * needs Keccak-256, implemented here.
 */
#pragma once

#include <gio/gio.h>

#include "bt-http.h"

G_BEGIN_DECLS

#define BT_AAVE_ERROR (bt_aave_error_quark ())

typedef enum
{
  BT_AAVE_ERROR_ADDRESS,     /* not a valid wallet address */
  BT_AAVE_ERROR_RPC,         /* JSON-RPC error object (often with HTTP 200) */
  BT_AAVE_ERROR_EMPTY,       /* "0x": no contract at that address / wrong chain */
  BT_AAVE_ERROR_SHAPE,       /* not the JSON-RPC answer expected */
  BT_AAVE_ERROR_CHAIN,       /* the endpoint is not Ethereum mainnet */
} BtAaveError;

GQuark bt_aave_error_quark (void);

/* Mainnet addresses (Aave address book). */
#define BT_AAVE_POOL     "0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2"
#define BT_AAVE_ORACLE   "0x54586bE62E3c3580375aE3723C145253060Ca0C2"
#define BT_AAVE_WBTC     "0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599"

/* ---- addresses ---- */
/* 0x + 40 hex digits; all-lower and all-upper pass, mixed case must match
 * the EIP-55 checksum. */
gboolean  bt_aave_validate_address  (const char   *address,
                                     GError      **error);
/* EIP-55 form of a valid address (any case), NULL when invalid. */
char     *bt_aave_checksum_address  (const char   *address);

/* ---- uint256 ---- */
typedef struct
{
  guint8 be[32];     /* big-endian */
} BtUint256;

/* ---- decoded answers ---- */
typedef struct
{
  double   collateral_usd;          /* totalCollateralBase / 1e8 */
  double   debt_usd;
  double   available_borrows_usd;
  double   liquidation_threshold;   /* fraction: 7800 bps → 0.78 */
  double   ltv;                     /* fraction */
  double   health_factor;           /* WAD / 1e18; NAN when no debt */
  gboolean no_debt;                 /* healthFactor == 2²⁵⁶−1 */
} BtAaveAccount;

typedef struct
{
  guint ltv_bps;
  guint liquidation_threshold_bps;
  guint liquidation_bonus_bps;
  guint decimals;
  gboolean active;
  gboolean frozen;
} BtAaveReserve;

/* The "result" string of a JSON-RPC answer with id EXPECTED_ID. */
char     *bt_jsonrpc_parse_result        (const char     *data,
                                          gsize           length,
                                          gint64          expected_id,
                                          GError        **error);
gboolean  bt_aave_parse_account_data     (const char     *result,
                                          BtAaveAccount  *out,
                                          GError        **error);
gboolean  bt_aave_parse_reserve_config   (const char     *result,
                                          BtAaveReserve  *out,
                                          GError        **error);
/* one word, USD with 8 decimals */
gboolean  bt_aave_parse_price            (const char     *result,
                                          double         *usd,
                                          GError        **error);
/* selector + address padded to 32 bytes, "0x…" */
char     *bt_aave_calldata               (const char     *selector_hex,
                                          const char     *address);

/* ---- the reader ---- */
typedef struct
{
  char          *wallet;
  gint64         timestamp;       /* unix s */
  BtAaveAccount  account;
  BtAaveReserve  wbtc;
  double         wbtc_price;      /* USD, NAN when unknown */
} BtAaveSnapshot;

void      bt_aave_snapshot_free          (BtAaveSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtAaveSnapshot, bt_aave_snapshot_free)

#define BT_TYPE_AAVE (bt_aave_get_type ())
G_DECLARE_FINAL_TYPE (BtAave, bt_aave, BT, AAVE, GObject)

/* RPC_URL: the whole JSON-RPC endpoint (may carry a key; never logged). */
BtAave          *bt_aave_new           (BtHttp              *http,
                                        const char          *rpc_url);
gboolean         bt_aave_set_rpc_url   (BtAave              *self,
                                        const char          *rpc_url,
                                        GError             **error);
void             bt_aave_fetch_async   (BtAave              *self,
                                        const char          *wallet,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
BtAaveSnapshot  *bt_aave_fetch_finish  (BtAave              *self,
                                        GAsyncResult        *result,
                                        BtHttpReply         *reply,
                                        GError             **error);

G_END_DECLS
