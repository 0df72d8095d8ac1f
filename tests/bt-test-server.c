#include <glib.h>
#include <string.h>

#include "bt-test-server.h"

struct _BtTestServer
{
  SoupServer    *server;
  char          *url;
  BtTestHandler  handler;
  gpointer       user_data;
  GPtrArray     *log;
  GPtrArray     *stalled;
  char          *user_agent;
};

static void
server_cb (SoupServer        *soup_server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  BtTestServer *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *ua = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                 "User-Agent");
  GString *line = g_string_new (NULL);

  g_free (self->user_agent);
  self->user_agent = g_strdup (ua);
  g_string_append_printf (line, "%s %s", soup_server_message_get_method (msg), path);
  if (g_uri_get_query (uri) != NULL)
    g_string_append_printf (line, "?%s", g_uri_get_query (uri));
  if (body != NULL && body->length > 0)
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

      g_string_append_c (line, '\n');
      g_string_append_len (line, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  g_ptr_array_add (self->log, g_string_free (line, FALSE));
  if (self->handler == NULL || !self->handler (self, msg, path, query, self->user_data))
    bt_test_respond_text (msg, 404, "{\"error\":{\"type\":\"not_found\",\"message\":\"no such path\"}}");
}

BtTestServer *
bt_test_server_new (void)
{
  BtTestServer *self = g_new0 (BtTestServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->server = soup_server_new (NULL, NULL);
  self->log = g_ptr_array_new_with_free_func (g_free);
  self->stalled = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("cannot listen on loopback: %s", error->message);
  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return self;
}

void
bt_test_server_free (BtTestServer *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->stalled->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (self->stalled, i);

      bt_test_respond_text (msg, 503, "{}");
      soup_server_message_unpause (msg);
    }
  soup_server_disconnect (self->server);
  g_ptr_array_unref (self->stalled);
  g_object_unref (self->server);
  g_ptr_array_unref (self->log);
  g_free (self->url);
  g_free (self->user_agent);
  g_free (self);
}

const char *
bt_test_server_get_url (BtTestServer *self)
{
  return self->url;
}

void
bt_test_server_set_handler (BtTestServer  *self,
                            BtTestHandler  handler,
                            gpointer       user_data)
{
  self->handler = handler;
  self->user_data = user_data;
}

GPtrArray *
bt_test_server_get_log (BtTestServer *self)
{
  return self->log;
}

guint
bt_test_server_count (BtTestServer *self,
                      const char   *path_prefix)
{
  guint n = 0;

  for (guint i = 0; i < self->log->len; i++)
    {
      const char *line = g_ptr_array_index (self->log, i);
      const char *space = strchr (line, ' ');

      if (space != NULL && g_str_has_prefix (space + 1, path_prefix))
        n++;
    }
  return n;
}

const char *
bt_test_server_last_user_agent (BtTestServer *self)
{
  return self->user_agent;
}

char *
bt_test_fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

void
bt_test_respond_file (SoupServerMessage *msg,
                      guint              status,
                      const char        *fixture)
{
  g_autofree char *path = bt_test_fixture_path (fixture);
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, &text, &len, &error))
    g_error ("fixture %s: %s", fixture, error->message);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, len);
}

void
bt_test_respond_text (SoupServerMessage *msg,
                      guint              status,
                      const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

void
bt_test_add_header (SoupServerMessage *msg,
                    const char        *name,
                    const char        *value)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), name, value);
}

void
bt_test_stall (BtTestServer      *self,
               SoupServerMessage *msg)
{
  g_ptr_array_add (self->stalled, g_object_ref (msg));
  soup_server_message_pause (msg);
}

typedef struct
{
  gsize left;
} Huge;

static void
huge_chunk_cb (SoupServerMessage *msg,
               gpointer           user_data)
{
  Huge *h = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize n = MIN (h->left, (gsize) 1024 * 1024);

  if (n == 0)
    {
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "[]", 2);
      soup_message_body_complete (body);
      h->left = G_MAXSIZE;
      return;
    }
  if (h->left == G_MAXSIZE)
    return;
  {
    char *chunk = g_malloc (n);

    memset (chunk, ' ', n);
    soup_message_body_append_take (body, (guchar *) chunk, n);
  }
  h->left -= n;
}

void
bt_test_respond_huge (SoupServerMessage *msg,
                      gsize              n_bytes)
{
  Huge *h = g_new0 (Huge, 1);

  h->left = n_bytes;
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/json", NULL);
  g_signal_connect_data (msg, "wrote-chunk", G_CALLBACK (huge_chunk_cb), h,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (huge_chunk_cb), h);
}

/* ---- watchdog ---- */

static gint64 watchdog_last;
static double watchdog_max;
static guint watchdog_id;

static gboolean
watchdog_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  double gap = (now - watchdog_last) / 1000.0;

  if (gap > watchdog_max)
    watchdog_max = gap;
  watchdog_last = now;
  return G_SOURCE_CONTINUE;
}

void
bt_test_watchdog_start (void)
{
  watchdog_last = g_get_monotonic_time ();
  watchdog_max = 0;
  watchdog_id = g_timeout_add (10, watchdog_cb, NULL);
}

double
bt_test_watchdog_stop (void)
{
  watchdog_cb (NULL);
  g_clear_handle_id (&watchdog_id, g_source_remove);
  return watchdog_max;
}
