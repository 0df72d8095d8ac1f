/* fuzz-http.c: what bt-http reads from any server besides the body's data:
 * the API's own error text in an error body (bt_http_dup_api_error, which
 * goes into a one-line message) and the Retry-After header
 * (bt_http_parse_retry_after, seconds or an HTTP date). */
#include "bt-http.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = bt_http_dup_api_error ((const char *) data, size);
  g_autofree char *header = g_strndup ((const char *) data, size);

  if (text != NULL && (!g_utf8_validate (text, -1, NULL) || strchr (text, '\n') != NULL))
    {
      g_printerr ("an API error text that is not one line of UTF-8: %s\n", text);
      abort ();
    }
  /* "now" on 2024-03-05, and at the epoch */
  (void) bt_http_parse_retry_after (header, 1709596800);
  (void) bt_http_parse_retry_after (header, 0);
  return 0;
}
