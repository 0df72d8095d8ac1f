/* fuzz-aave.c: what BtAave reads from a JSON-RPC endpoint (DATA_SOURCES.md
 * §6): the JSON-RPC envelope, then the ABI words of getUserAccountData,
 * getConfiguration and getAssetPrice; and the wallet addresses people type.
 *
 * The first byte picks the path: 0 the envelope (then its "result" through
 * every decoder), 1 a "result" string straight to the decoders, 2 an
 * address. */
#include "bt-aave.h"
#include "fuzz-common.h"

static void
decode (const char *result)
{
  BtAaveAccount account;
  BtAaveReserve reserve;
  double usd = 0;
  GError *error = NULL;
  gboolean ok;

  ok = bt_aave_parse_account_data (result, &account, &error);
  fuzz_check_error (ok, error, "getUserAccountData");
  g_clear_error (&error);
  ok = bt_aave_parse_reserve_config (result, &reserve, &error);
  fuzz_check_error (ok, error, "getConfiguration");
  g_clear_error (&error);
  ok = bt_aave_parse_price (result, &usd, &error);
  fuzz_check_error (ok, error, "getAssetPrice");
  if (ok)
    fuzz_check_finite (usd, "price");
  g_clear_error (&error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  GError *error = NULL;

  if (size < 1)
    return 0;
  switch (data[0] % 3)
    {
    case 0:
      {
        /* the body exactly as read, not NUL-terminated */
        g_autofree char *result = bt_jsonrpc_parse_result ((const char *) data + 1, size - 1, 7, &error);

        fuzz_check_error (result != NULL, error, "the JSON-RPC answer");
        g_clear_error (&error);
        if (result != NULL)
          decode (result);
      }
      break;
    case 1:
      text = g_strndup ((const char *) data + 1, size - 1);
      decode (text);
      break;
    case 2:
      {
        g_autofree char *checksummed = NULL;
        gboolean ok;

        text = g_strndup ((const char *) data + 1, size - 1);
        ok = bt_aave_validate_address (text, &error);
        fuzz_check_error (ok, error, "the address");
        g_clear_error (&error);
        checksummed = bt_aave_checksum_address (text);
        /* an address in its checksum form is valid, and its own checksum form */
        if (checksummed != NULL)
          {
            g_autofree char *again = bt_aave_checksum_address (checksummed);

            if (!bt_aave_validate_address (checksummed, NULL) || g_strcmp0 (again, checksummed) != 0)
              abort ();
          }
      }
      break;
    default:
      break;
    }
  return 0;
}
