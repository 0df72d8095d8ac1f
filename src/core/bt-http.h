/* bt-http.h: the one HTTP client of BTC Turbo's collectors (libsoup 3 on
 * the GLib main loop).
 *
 * - a User-Agent on every request ("btc-turbo/VERSION " + libsoup's own);
 * - HTTPS only, except for loopback hosts (127.0.0.0/8, ::1, localhost);
 * - redirects are never followed (a 3xx is an error naming the target host);
 * - the body is read in chunks and refused past a size cap without being
 *   buffered whole;
 * - a deadline for the whole exchange (connect, headers and body);
 * - a non-2xx status becomes a BT_HTTP_ERROR carrying the status, the API's
 *   own error text (Binance code/msg, Coin Metrics error.type, Notion code,
 *   JSON-RPC error) and a parsed Retry-After.
 *
 * Error messages name the origin (scheme, host, port) only, never the path
 * or the query: an RPC URL may carry a key.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BT_HTTP_ERROR (bt_http_error_quark ())

typedef enum
{
  BT_HTTP_ERROR_BAD_URL,       /* not an absolute http(s) URL */
  BT_HTTP_ERROR_INSECURE,      /* http:// to a host that is not loopback */
  BT_HTTP_ERROR_NETWORK,       /* refused, unreachable, reset, TLS */
  BT_HTTP_ERROR_TIMEOUT,       /* the deadline passed (slow or stalled) */
  BT_HTTP_ERROR_REDIRECT,      /* 3xx: never followed */
  BT_HTTP_ERROR_TOO_LARGE,     /* body over the cap */
  BT_HTTP_ERROR_RATE_LIMITED,  /* 429 */
  BT_HTTP_ERROR_BANNED,        /* 418 (Binance IP ban) */
  BT_HTTP_ERROR_CLIENT,        /* other 4xx: our request is wrong or refused */
  BT_HTTP_ERROR_SERVER,        /* 5xx */
} BtHttpError;

GQuark bt_http_error_quark (void);

/* What is known about a finished exchange, success or not. */
typedef struct
{
  guint  status;        /* HTTP status, 0 when no response arrived */
  gint64 retry_after;   /* seconds to wait (Retry-After), -1 when absent */
} BtHttpReply;

#define BT_TYPE_HTTP (bt_http_get_type ())
G_DECLARE_FINAL_TYPE (BtHttp, bt_http, BT, HTTP, GObject)

/* The largest body an answer may have. */
#define BT_HTTP_MAX_BODY           (32u * 1024u * 1024u)
#define BT_HTTP_DEFAULT_TIMEOUT_MS 30000u

BtHttp      *bt_http_new               (void);
/* Deadline for one whole request (connect, headers, body), in ms. */
void         bt_http_set_timeout_ms    (BtHttp        *self,
                                        guint          timeout_ms);

/* Send METHOD to URL.  HEADERS: NULL or a NULL-terminated list of
 * name, value pairs.  BODY (may be NULL) is sent with CONTENT_TYPE.
 * The body of a 2xx answer comes back from _finish. */
void         bt_http_request_async     (BtHttp               *self,
                                        const char           *method,
                                        const char           *url,
                                        const char * const   *headers,
                                        GBytes               *body,
                                        const char           *content_type,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
/* REPLY (may be NULL) is filled on success and on failure. */
GBytes      *bt_http_request_finish    (BtHttp               *self,
                                        GAsyncResult         *result,
                                        BtHttpReply          *reply,
                                        GError              **error);

/* ---- helpers (public for tests) ---- */

/* Checks that URL is absolute http(s), https unless loopback. */
gboolean     bt_http_check_url         (const char    *url,
                                        GError       **error);
/* A base URL is scheme, host and port only (a trailing '/' is dropped);
 * returns it normalised, or NULL with an error. */
char        *bt_http_normalize_base_url (const char   *url,
                                         GError      **error);
/* "scheme://host[:port]" of URL, for messages (never path or query). */
char        *bt_http_dup_origin        (const char    *url);
/* Retry-After: delta-seconds or an HTTP-date (relative to NOW_UNIX);
 * -1 when absent, unreadable, negative or absurd (delta-seconds over
 * BT_HTTP_RETRY_AFTER_MAX_S); a date in the past gives 0 and one further
 * than BT_HTTP_RETRY_AFTER_DATE_MAX_S away is capped to it. */
#define BT_HTTP_RETRY_AFTER_MAX_S      (3 * 24 * 3600)   /* Binance's longest ban */
#define BT_HTTP_RETRY_AFTER_DATE_MAX_S 3600
gint64       bt_http_parse_retry_after (const char    *value,
                                        gint64         now_unix);
/* The API's own error text from an error body, or NULL. */
char        *bt_http_dup_api_error     (const char    *data,
                                        gsize          length);
/* TRUE when a later retry may succeed (network, timeout, 429, 5xx). */
gboolean     bt_http_error_is_transient (const GError *error);

G_END_DECLS
