#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "bt-base.h"
#include "bt-http.h"
#include "bt-http-private.h"
#include "bt-json.h"

struct _BtHttp
{
  GObject      parent_instance;

  SoupSession *session;
  guint        timeout_ms;
};

G_DEFINE_FINAL_TYPE (BtHttp, bt_http, G_TYPE_OBJECT)

G_DEFINE_QUARK (bt-http-error-quark, bt_http_error)

#define CHUNK_SIZE (64 * 1024)
#define MAX_ERROR_BODY (64 * 1024)

typedef struct
{
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *body;
  GCancellable *internal;
  GCancellable *external;
  gulong        cancel_id;
  guint         deadline_id;
  gboolean      timed_out;
  char         *origin;
  guint         timeout_ms;
  BtHttpReply   reply;
} Request;

static void
request_free (Request *req)
{
  if (req->cancel_id != 0)
    g_cancellable_disconnect (req->external, req->cancel_id);
  g_clear_handle_id (&req->deadline_id, g_source_remove);
  g_clear_object (&req->external);
  g_clear_object (&req->internal);
  g_clear_object (&req->stream);
  g_clear_object (&req->msg);
  if (req->body != NULL)
    g_byte_array_unref (req->body);
  g_free (req->origin);
  g_free (req);
}

/* The task's reply is copied out at _finish, success or failure. */
static BtHttpReply *
task_reply (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  return &req->reply;
}

static void
stop_timers (Request *req)
{
  g_clear_handle_id (&req->deadline_id, g_source_remove);
}

static void
fail_task (GTask  *task,
           GError *error)
{
  Request *req = g_task_get_task_data (task);

  stop_timers (req);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* Turn an error of libsoup/GIO into ours (deadline and user cancel apart). */
static void
fail_io (GTask  *task,
         GError *error)
{
  Request *req = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (req->timed_out)
        {
          g_error_free (error);
          fail_task (task, g_error_new (BT_HTTP_ERROR, BT_HTTP_ERROR_TIMEOUT,
                                        _("%s did not answer within %u ms"),
                                        req->origin, req->timeout_ms));
          return;
        }
      fail_task (task, error);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      GError *e = g_error_new (BT_HTTP_ERROR, BT_HTTP_ERROR_TIMEOUT,
                               _("%s timed out: %s"), req->origin, error->message);
      g_error_free (error);
      fail_task (task, e);
      return;
    }
  if (error->domain == BT_HTTP_ERROR)
    {
      fail_task (task, error);
      return;
    }
  {
    GError *e = g_error_new (BT_HTTP_ERROR, BT_HTTP_ERROR_NETWORK,
                             _("Could not reach %s: %s"), req->origin, error->message);
    g_error_free (error);
    fail_task (task, e);
  }
}

static gboolean
deadline_cb (gpointer user_data)
{
  Request *req = user_data;

  req->deadline_id = 0;
  req->timed_out = TRUE;
  g_cancellable_cancel (req->internal);
  return G_SOURCE_REMOVE;
}

static void
external_cancelled_cb (GCancellable *cancellable,
                       gpointer      user_data)
{
  GCancellable *internal = user_data;

  g_cancellable_cancel (internal);
}

static GError *
status_error (Request     *req,
              const char  *data,
              gsize        length)
{
  guint status = req->reply.status;
  g_autofree char *api = bt_http_dup_api_error (data, length);
  const char *reason = soup_message_get_reason_phrase (req->msg);
  const char *detail = api != NULL ? api : (reason != NULL && *reason ? reason : "");
  BtHttpError code;

  if (status == 429)
    code = BT_HTTP_ERROR_RATE_LIMITED;
  else if (status == 418)
    code = BT_HTTP_ERROR_BANNED;
  else if (status >= 500)
    code = BT_HTTP_ERROR_SERVER;
  else
    code = BT_HTTP_ERROR_CLIENT;

  if (req->reply.retry_after >= 0)
    return g_error_new (BT_HTTP_ERROR, code,
                        _("HTTP %u from %s: %s (retry after %lld s)"),
                        status, req->origin, detail, (long long) req->reply.retry_after);
  return g_error_new (BT_HTTP_ERROR, code, _("HTTP %u from %s: %s"),
                      status, req->origin, detail);
}

static void
finish_body (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  guint status = req->reply.status;
  GBytes *bytes;

  stop_timers (req);
  if (status < 200 || status >= 300)
    {
      GError *error = status_error (req, (const char *) req->body->data, req->body->len);

      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&req->body));
  g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);
}

static void
read_chunk_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;
  gboolean is_error_body;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      fail_io (task, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      finish_body (task);
      return;
    }
  is_error_body = req->reply.status < 200 || req->reply.status >= 300;
  if (is_error_body)
    {
      /* keep only the start of an error body: enough for its message */
      gsize room = MAX_ERROR_BODY > req->body->len ? MAX_ERROR_BODY - req->body->len : 0;
      gsize n = MIN (room, g_bytes_get_size (chunk));

      if (n > 0)
        g_byte_array_append (req->body, g_bytes_get_data (chunk, NULL), n);
      if (room == 0)
        {
          finish_body (task);
          return;
        }
    }
  else
    {
      if (req->body->len + g_bytes_get_size (chunk) > BT_HTTP_MAX_BODY)
        {
          fail_task (task, g_error_new (BT_HTTP_ERROR, BT_HTTP_ERROR_TOO_LARGE,
                                        _("The answer of %s is larger than %lu bytes"),
                                        req->origin, (unsigned long) BT_HTTP_MAX_BODY));
          return;
        }
      g_byte_array_append (req->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
    }
  g_input_stream_read_bytes_async (req->stream, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   req->internal, read_chunk_cb, task);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;
  const char *value;
  goffset length;

  req->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (req->stream == NULL)
    {
      fail_io (task, error);
      return;
    }
  req->reply.status = soup_message_get_status (req->msg);
  headers = soup_message_get_response_headers (req->msg);
  value = soup_message_headers_get_one (headers, "Retry-After");
  req->reply.retry_after = bt_http_parse_retry_after (value, g_get_real_time () / G_USEC_PER_SEC);

  if (req->reply.status >= 300 && req->reply.status < 400)
    {
      const char *location = soup_message_headers_get_one (headers, "Location");
      g_autofree char *target = NULL;

      if (location != NULL)
        {
          g_autoptr(GUri) base = g_uri_ref (soup_message_get_uri (req->msg));
          g_autoptr(GUri) to = g_uri_parse_relative (base, location, G_URI_FLAGS_NONE, NULL);

          if (to != NULL)
            {
              g_autofree char *text = g_uri_to_string (to);

              target = bt_http_dup_origin (text);
            }
        }
      fail_task (task, g_error_new (BT_HTTP_ERROR, BT_HTTP_ERROR_REDIRECT,
                                    _("%s answered with a redirect (HTTP %u) to %s; redirects are not followed"),
                                    req->origin, req->reply.status,
                                    target != NULL ? target : _("an unknown place")));
      return;
    }

  length = soup_message_headers_get_content_length (headers);
  if (req->reply.status >= 200 && req->reply.status < 300 && length > 0
      && (guint64) length > BT_HTTP_MAX_BODY)
    {
      fail_task (task, g_error_new (BT_HTTP_ERROR, BT_HTTP_ERROR_TOO_LARGE,
                                    _("The answer of %s is larger than %lu bytes"),
                                    req->origin, (unsigned long) BT_HTTP_MAX_BODY));
      return;
    }
  req->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (req->stream, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   req->internal, read_chunk_cb, task);
}

static void
bt_http_dispose (GObject *object)
{
  BtHttp *self = BT_HTTP (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (bt_http_parent_class)->dispose (object);
}

static void
bt_http_class_init (BtHttpClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bt_http_dispose;
}

static void
bt_http_init (BtHttp *self)
{
  self->timeout_ms = BT_HTTP_DEFAULT_TIMEOUT_MS;
  self->session = soup_session_new_with_options ("user-agent", "btc-turbo/" PACKAGE_VERSION " ",
                                                 "timeout", 60,
                                                 "max-conns-per-host", 2,
                                                 NULL);
}

BtHttp *
bt_http_new (void)
{
  return g_object_new (BT_TYPE_HTTP, NULL);
}

void
bt_http_set_timeout_ms (BtHttp *self,
                        guint   timeout_ms)
{
  g_return_if_fail (BT_IS_HTTP (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
  /* socket I/O never waits longer than the whole request may */
  g_object_set (self->session, "timeout", MAX (1u, (timeout_ms + 999) / 1000), NULL);
}

void
bt_http_request_async (BtHttp              *self,
                       const char          *method,
                       const char          *url,
                       const char * const  *headers,
                       GBytes              *body,
                       const char          *content_type,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  Request *req;
  GError *error = NULL;
  SoupMessageHeaders *request_headers;

  g_return_if_fail (BT_IS_HTTP (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bt_http_request_async);
  req = g_new0 (Request, 1);
  req->reply.retry_after = -1;
  req->origin = bt_http_dup_origin (url);
  req->timeout_ms = self->timeout_ms;
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  if (!bt_http_check_url (url, &error))
    {
      fail_task (task, error);
      return;
    }
  req->msg = soup_message_new (method, url);
  if (req->msg == NULL)
    {
      fail_task (task, g_error_new (BT_HTTP_ERROR, BT_HTTP_ERROR_BAD_URL,
                                    _("Not a valid address: %s"), req->origin));
      return;
    }
  soup_message_add_flags (req->msg, SOUP_MESSAGE_NO_REDIRECT);
  request_headers = soup_message_get_request_headers (req->msg);
  soup_message_headers_replace (request_headers, "Accept", "application/json");
  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    soup_message_headers_replace (request_headers, headers[i], headers[i + 1]);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (req->msg,
                                              content_type != NULL ? content_type : "application/json",
                                              body);

  req->internal = g_cancellable_new ();
  if (cancellable != NULL)
    {
      req->external = g_object_ref (cancellable);
      req->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (external_cancelled_cb),
                                              req->internal, NULL);
    }
  req->deadline_id = g_timeout_add (self->timeout_ms, deadline_cb, req);
  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT, req->internal,
                           send_cb, task);
}

GBytes *
bt_http_request_finish (BtHttp        *self,
                        GAsyncResult  *result,
                        BtHttpReply   *reply,
                        GError       **error)
{
  g_return_val_if_fail (BT_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (reply != NULL)
    *reply = *task_reply (G_TASK (result));
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- helpers ---- */

gboolean
bt_http_host_is_loopback (const char *host)
{
  g_autofree char *bare = NULL;
  g_autoptr(GInetAddress) addr = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  len = strlen (host);
  if (host[0] == '[' && len > 2 && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);
  addr = g_inet_address_new_from_string (bare);
  return addr != NULL && g_inet_address_get_is_loopback (addr);
}

gboolean
bt_http_check_url (const char  *url,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, BT_HTTP_ERROR, BT_HTTP_ERROR_BAD_URL,
                   _("Not an absolute http(s) address"));
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, BT_HTTP_ERROR, BT_HTTP_ERROR_BAD_URL,
                   _("Unsupported address scheme “%s”: use https"), scheme);
      return FALSE;
    }
  if (!bt_http_host_is_loopback (host))
    {
      g_set_error (error, BT_HTTP_ERROR, BT_HTTP_ERROR_INSECURE,
                   _("Refusing plain http to %s: use https (plain http is allowed for loopback addresses only)"),
                   host);
      return FALSE;
    }
  return TRUE;
}

char *
bt_http_normalize_base_url (const char  *url,
                            GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *path;

  if (!bt_http_check_url (url, error))
    return NULL;
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  path = g_uri_get_path (uri);
  if ((path != NULL && *path != '\0' && strcmp (path, "/") != 0)
      || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL
      || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, BT_HTTP_ERROR, BT_HTTP_ERROR_BAD_URL,
                   _("A base address is a scheme, a host and a port only, without a path"));
      return NULL;
    }
  return bt_http_dup_origin (url);
}

char *
bt_http_dup_origin (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;
  gboolean v6;

  uri = g_uri_parse (url != NULL ? url : "", G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (_("(invalid address)"));
  host = g_uri_get_host (uri);
  v6 = strchr (host, ':') != NULL;
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s://%s%s%s:%d", g_uri_get_scheme (uri), v6 ? "[" : "", host,
                            v6 ? "]" : "", g_uri_get_port (uri));
  return g_strdup_printf ("%s://%s%s%s", g_uri_get_scheme (uri), v6 ? "[" : "", host,
                          v6 ? "]" : "");
}

gint64
bt_http_parse_retry_after (const char *value,
                           gint64      now_unix)
{
  g_autoptr(GDateTime) when = NULL;
  const char *p;
  guint64 secs;
  char *end = NULL;

  if (value == NULL)
    return -1;
  p = value;
  while (g_ascii_isspace (*p))
    p++;
  if (g_ascii_isdigit (*p))
    {
      secs = g_ascii_strtoull (p, &end, 10);
      while (end != NULL && g_ascii_isspace (*end))
        end++;
      if (end == NULL || *end != '\0')
        return -1;
      /* longer than the longest ban Binance hands out: not a real answer */
      if (secs > BT_HTTP_RETRY_AFTER_MAX_S)
        return -1;
      return (gint64) secs;
    }
  when = soup_date_time_new_from_http_string (p);
  if (when == NULL)
    return -1;
  /* a date depends on both clocks agreeing: a past one means "now", a far
   * one is capped (a skewed server clock must not silence a source) */
  return CLAMP (g_date_time_to_unix (when) - now_unix, 0, BT_HTTP_RETRY_AFTER_DATE_MAX_S);
}

static const char *
member_string (JsonObject *obj,
               const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (!bt_json_node_holds (node, G_TYPE_STRING))
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_int (JsonObject *obj,
            const char *name,
            gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (!bt_json_node_holds (node, G_TYPE_INT64))
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static char *
dup_api_error (const char *data,
               gsize       length)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *obj;
  JsonNode *err;
  const char *msg;
  const char *type;
  gint64 code;

  if (data == NULL || length == 0 || length > MAX_ERROR_BODY)
    return NULL;
  parser = json_parser_new_immutable ();
  if (!bt_json_precheck (data, length)
      || !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  obj = json_node_get_object (root);

  /* Coin Metrics {"error":{"type","message"}}; JSON-RPC {"error":{"code","message"}} */
  err = json_object_get_member (obj, "error");
  if (err != NULL && JSON_NODE_HOLDS_OBJECT (err))
    {
      JsonObject *e = json_node_get_object (err);

      msg = member_string (e, "message");
      type = member_string (e, "type");
      if (type != NULL)
        return g_strdup_printf ("%s: %s", type, msg != NULL ? msg : "");
      if (member_int (e, "code", &code))
        return g_strdup_printf ("%" G_GINT64_FORMAT ": %s", code, msg != NULL ? msg : "");
      if (msg != NULL)
        return g_strdup (msg);
    }
  msg = member_string (obj, "msg");
  if (msg != NULL && member_int (obj, "code", &code))
    return g_strdup_printf ("%" G_GINT64_FORMAT ": %s", code, msg);     /* Binance */
  msg = member_string (obj, "message");
  type = member_string (obj, "code");
  if (msg != NULL && type != NULL)
    return g_strdup_printf ("%s: %s", type, msg);                        /* Notion */
  if (msg != NULL)
    return g_strdup (msg);                                               /* Coinbase */
  return NULL;
}

char *
bt_http_dup_api_error (const char *data,
                       gsize       length)
{
  g_autofree char *text = dup_api_error (data, length);

  /* the server's words go into a one-line message */
  return text != NULL ? bt_one_line (text, 300) : NULL;
}

gboolean
bt_http_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != BT_HTTP_ERROR)
    return FALSE;
  switch ((BtHttpError) error->code)
    {
    case BT_HTTP_ERROR_NETWORK:
    case BT_HTTP_ERROR_TIMEOUT:
    case BT_HTTP_ERROR_RATE_LIMITED:
    case BT_HTTP_ERROR_SERVER:
      return TRUE;
    case BT_HTTP_ERROR_BAD_URL:
    case BT_HTTP_ERROR_INSECURE:
    case BT_HTTP_ERROR_REDIRECT:
    case BT_HTTP_ERROR_TOO_LARGE:
    case BT_HTTP_ERROR_BANNED:
    case BT_HTTP_ERROR_CLIENT:
    default:
      return FALSE;
    }
}
