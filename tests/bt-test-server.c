#include <glib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bt-base.h"
#include "bt-test-events.h"
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
  BtTestRequest req = { self, msg, path, query };

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
  bt_test_event ("server: %s", line->str);
  g_ptr_array_add (self->log, g_string_free (line, FALSE));
  if (self->handler == NULL || !self->handler (&req, self->user_data))
    bt_test_respond_text (msg, 404, "{\"error\":{\"type\":\"not_found\",\"message\":\"no such path\"}}");
  else
    bt_test_event ("server: answered %u%s", soup_server_message_get_status (msg),
                   soup_server_message_get_status (msg) == 0 ? " (held)" : "");
}

BtTestServer *
bt_test_server_new (void)
{
  BtTestServer *self = g_new0 (BtTestServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  bt_test_events_start (g_test_get_path ());
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

void
bt_test_assert_candle (const BtCandle *c,
                       const BtCandle *expected)
{
  g_assert_cmpint (c->open_time, ==, expected->open_time);
  g_assert_cmpfloat (c->open, ==, expected->open);
  g_assert_cmpfloat (c->high, ==, expected->high);
  g_assert_cmpfloat (c->low, ==, expected->low);
  g_assert_cmpfloat (c->close, ==, expected->close);
  g_assert_cmpfloat (c->volume, ==, expected->volume);
  g_assert_cmpint (c->provisional, ==, expected->provisional);
}

BtBatch *
bt_test_fetch (BtCollector *c,
               BtFeed       feed,
               gint64       start,
               gint64       end,
               const char  *cursor,
               BtHttpReply *reply,
               GError     **error)
{
  GAsyncResult *result = NULL;
  BtBatch *batch;

  bt_test_event ("fetch %s feed %d from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " cursor %s",
                 bt_source_name (bt_collector_get_source (c)), feed, start, end,
                 cursor != NULL ? cursor : "(none)");
  bt_collector_fetch_async (c, feed, start, end, cursor, NULL, bt_test_result_cb, &result);
  batch = bt_collector_fetch_finish (c, bt_test_wait_result (&result), reply, error);
  g_object_unref (result);
  bt_test_event ("fetch ends: %s", batch != NULL ? "a batch"
                 : (error != NULL && *error != NULL ? (*error)->message : "an error"));
  return batch;
}

/* ---- a synthetic market ---- */

double
bt_test_synthetic_close (gint64 unix_day)
{
  /* a gentle wave around 20 000 USD, positive and non-constant */
  return 20000.0 + 5000.0 * sin (unix_day / 97.0) + (unix_day % 7) * 10.0;
}

static gint64
query_int (GHashTable *query,
           const char *name,
           gint64      fallback)
{
  const char *v = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  return v != NULL ? g_ascii_strtoll (v, NULL, 10) : fallback;
}

static gint64
query_day (GHashTable *query,
           const char *name,
           gint64      fallback)
{
  const char *v = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  int y, m, d;

  if (v == NULL || sscanf (v, "%d-%d-%d", &y, &m, &d) != 3)
    return fallback;
  {
    g_autoptr(GDateTime) dt = g_date_time_new_utc (y, m, d, 0, 0, 0);

    return g_date_time_to_unix (dt);
  }
}

/* TEMPLATE holds one "%s" where the value goes */
static void
append_fixed (GString    *s,
              const char *template,
              double      v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *hole = strstr (template, "%s");

  g_string_append_len (s, template, hole - template);
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.2f", v));
  g_string_append (s, hole + 2);
}

/* the open, high, low and close of the day at T as decimal strings, each
 * followed by a comma (Binance and Kraken rows) */
static void
append_ohlc (GString *s,
             gint64   t)
{
  double c = bt_test_synthetic_close (t / 86400);
  double o = bt_test_synthetic_close (t / 86400 - 1);

  append_fixed (s, "\"%s\",", o);
  append_fixed (s, "\"%s\",", MAX (o, c) + 50);
  append_fixed (s, "\"%s\",", MIN (o, c) - 50);
  append_fixed (s, "\"%s\",", c);
}

gboolean
bt_test_market_handler (const BtTestRequest *req,
                        gpointer             user_data)
{
  BtTestMarket *m = user_data;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 today = now - now % 86400;
  GString *s = g_string_new (NULL);

  m->n_requests++;
  if (strcmp (req->path, "/api/v3/klines") == 0)
    {
      gint64 start = query_int (req->query, "startTime", 0) / 1000;
      gint64 end = query_int (req->query, "endTime", G_MAXINT64 / 2) / 1000;
      gint64 limit = query_int (req->query, "limit", 500);
      gint64 d0 = MAX (m->first_day, (start + 86399) / 86400 * 86400);
      guint n = 0;

      g_string_append_c (s, '[');
      for (gint64 t = d0; t <= MIN (end, today) && n < limit; t += 86400, n++)
        {
          g_string_append_printf (s, "%s[%" G_GINT64_FORMAT "000,", n ? "," : "", t);
          append_ohlc (s, t);
          g_string_append_printf (s, "\"100.5\",%" G_GINT64_FORMAT "999,\"1\",1,\"1\",\"1\",\"0\"]", t + 86399);
        }
      g_string_append_c (s, ']');
    }
  else if (strcmp (req->path, "/products/BTC-USD/candles") == 0)
    {
      gint64 start = query_day (req->query, "start", today);
      gint64 end = query_day (req->query, "end", today);
      guint n = 0;

      g_assert_cmpint ((end - start) / 86400 + 1, <=, 300);
      g_string_append_c (s, '[');
      for (gint64 t = MIN (end, today); t >= MAX (start, m->first_day); t -= 86400, n++)
        {
          double c = bt_test_synthetic_close (t / 86400);
          double o = bt_test_synthetic_close (t / 86400 - 1);

          g_string_append_printf (s, "%s[%" G_GINT64_FORMAT ",", n ? "," : "", t);
          append_fixed (s, "%s,", MIN (o, c) - 50);
          append_fixed (s, "%s,", MAX (o, c) + 50);
          append_fixed (s, "%s,", o);
          append_fixed (s, "%s,", c);
          g_string_append (s, "12.5]");
        }
      g_string_append_c (s, ']');
    }
  else if (strcmp (req->path, "/0/public/OHLC") == 0)
    {
      guint n = 0;

      g_string_append (s, "{\"error\":[],\"result\":{\"XXBTZUSD\":[");
      for (gint64 t = MAX (m->first_day, today - 719 * 86400); t <= today; t += 86400, n++)
        {
          g_string_append_printf (s, "%s[%" G_GINT64_FORMAT ",", n ? "," : "", t);
          append_ohlc (s, t);
          append_fixed (s, "\"%s\",\"3.5\",10]", bt_test_synthetic_close (t / 86400));
        }
      g_string_append_printf (s, "],\"last\":%" G_GINT64_FORMAT "}}", today - 86400);
    }
  else if (strcmp (req->path, "/fapi/v1/fundingRate") == 0)
    {
      gint64 start = query_int (req->query, "startTime", 0);
      gint64 end = query_int (req->query, "endTime", G_MAXINT64 / 2);
      gint64 limit = query_int (req->query, "limit", 100);
      gint64 first = MAX (m->first_day, 1568102400) * 1000;
      guint n = 0;

      g_string_append_c (s, '[');
      /* settlements every 8 h, 3 ms late */
      for (gint64 t = first + 3; t <= MIN (end, now * 1000) && n < limit; t += 8 * 3600 * 1000)
        {
          if (t < start)
            continue;
          g_string_append_printf (s, "%s{\"symbol\":\"BTCUSDT\",\"fundingTime\":%" G_GINT64_FORMAT
                                  ",\"fundingRate\":\"0.00010000\",\"markPrice\":\"\"}", n ? "," : "", t);
          n++;
        }
      g_string_append_c (s, ']');
    }
  else if (strcmp (req->path, "/futures/data/globalLongShortAccountRatio") == 0)
    {
      g_string_append_c (s, '[');
      for (gint64 k = 29; k >= 0; k--)
        g_string_append_printf (s, "%s{\"symbol\":\"BTCUSDT\",\"longAccount\":\"0.6\",\"longShortRatio\":\"1.5000\","
                                "\"shortAccount\":\"0.4\",\"timestamp\":%" G_GINT64_FORMAT "000}",
                                k < 29 ? "," : "", today - k * 86400);
      g_string_append_c (s, ']');
    }
  else if (strcmp (req->path, "/v4/timeseries/asset-metrics") == 0)
    {
      gint64 start = MAX (m->first_day, query_day (req->query, "start_time", m->first_day));
      gint64 end = MIN (today - 86400 * (1 + (gint64) m->cm_lag_days), query_day (req->query, "end_time", today));
      gint64 size = m->cm_page_size ? m->cm_page_size : query_int (req->query, "page_size", 100);
      const char *token = g_hash_table_lookup (req->query, "next_page_token");
      gint64 from = token != NULL ? g_ascii_strtoll (token + 2, NULL, 10) : start;
      guint n = 0;
      gint64 t;

      g_assert_cmpstr (g_hash_table_lookup (req->query, "paging_from"), ==, "start");
      g_string_append (s, "{\"data\":[");
      for (t = from; t <= end && n < size; t += 86400, n++)
        {
          double p = bt_test_synthetic_close (t / 86400);
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
          g_autofree char *day = g_date_time_format (dt, "%Y-%m-%d");

          g_string_append_printf (s, "%s{\"asset\":\"btc\",\"time\":\"%sT00:00:00.000000000Z\",", n ? "," : "", day);
          append_fixed (s, "\"PriceUSD\":\"%s\",", p);
          append_fixed (s, "\"CapMrktCurUSD\":\"%s\",", p * 19e6);
          g_string_append (s, "\"CapMVRVCur\":\"1.5\",\"SplyCur\":\"19000000\",\"IssTotNtv\":\"900\",");
          append_fixed (s, "\"IssTotUSD\":\"%s\",", p * 900);
          g_string_append (s, "\"FlowInExNtv\":\"100\",\"FlowOutExNtv\":\"120\"}");
        }
      g_string_append (s, "]");
      if (t <= end)
        g_string_append_printf (s, ",\"next_page_token\":\"0.%" G_GINT64_FORMAT "\","
                                "\"next_page_url\":\"https://example.invalid/v4/x?next_page_token=0.%" G_GINT64_FORMAT "\"",
                                t, t);
      g_string_append (s, "}");
    }
  else if (g_str_has_prefix (req->path, "/v1/"))
    {
      const char *key = strcmp (req->path, "/v1/sth-sopr") == 0 ? "sthSopr" : "exchangeNetflowBtc";
      guint n = 0;

      g_string_append_c (s, '[');
      for (gint64 t = MAX (m->first_day, today - 400 * 86400); t <= today - 7 * 86400; t += 86400, n++)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
          g_autofree char *day = g_date_time_format (dt, "%Y-%m-%d");

          g_string_append_printf (s, "%s{\"d\":\"%s\",\"unixTs\":%" G_GINT64_FORMAT ",\"%s\":1.01}",
                                  n ? "," : "", day, t, key);
        }
      g_string_append_c (s, ']');
    }
  else
    {
      g_string_free (s, TRUE);
      m->n_requests--;
      return FALSE;
    }
  soup_server_message_set_status (req->msg, 200, NULL);
  soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_TAKE, s->str, s->len);
  g_string_free (s, FALSE);
  return TRUE;
}

/* ---- Ethereum JSON-RPC (Aave v3) ---- */

static char *
restamp_fixture (const char *fixture,
                 gint64      id)
{
  /* the fixtures answer id 1: re-stamp with the request's id */
  g_autofree char *fpath = bt_test_fixture_path (fixture);
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) fp = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  JsonNode *root;

  g_assert_true (g_file_get_contents (fpath, &text, NULL, NULL));
  g_assert_true (json_parser_load_from_data (fp, text, -1, NULL));
  root = json_parser_get_root (fp);
  json_object_set_int_member (json_node_get_object (root), "id", id);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

gboolean
bt_test_rpc_handler (const BtTestRequest *req,
                     gpointer             user_data)
{
  BtTestRpc *mode = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *rpc;
  const char *method;
  gint64 id;
  g_autofree char *answer = NULL;
  const char *fixture = NULL;

  if (strcmp (req->path, mode->path) != 0 || strcmp (soup_server_message_get_method (req->msg), "POST") != 0)
    return FALSE;
  mode->n_calls++;
  bytes = soup_message_body_flatten (body);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), NULL));
  rpc = json_node_get_object (json_parser_get_root (parser));
  method = json_object_get_string_member (rpc, "method");
  id = json_object_get_int_member (rpc, "id");
  if (mode->rate_limit)
    {
      bt_test_add_header (req->msg, "Retry-After", "7");
      bt_test_respond_file (req->msg, 429, "net-jsonrpc-error-rate-limited.json");
      return TRUE;
    }
  if (strcmp (method, "eth_chainId") == 0)
    answer = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%" G_GINT64_FORMAT ",\"result\":\"%s\"}",
                              id, mode->chain != NULL ? mode->chain : "0x1");
  else if (strcmp (method, "eth_blockNumber") == 0)
    answer = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%" G_GINT64_FORMAT ",\"result\":\"0x12a05f2\"}", id);
  else
    {
      JsonArray *params = json_object_get_array_member (rpc, "params");
      JsonObject *call = json_array_get_object_element (params, 0);
      const char *data = json_object_get_string_member (call, "data");
      const char *to = json_object_get_string_member (call, "to");

      /* the call is made at the block read first */
      g_assert_cmpstr (json_array_get_string_element (params, 1), ==, "0x12a05f2");
      if (mode->revert)
        fixture = "net-jsonrpc-error-execution-reverted.json";
      else if (g_str_has_prefix (data, "0xbf92857c"))
        {
          g_assert_cmpstr (to, ==, "0x87870bca3f3fd6335c3f4ce8392d69350b4fa4e2");
          g_assert_cmpuint (strlen (data), ==, 2 + 8 + 64);
          if (mode->nodebt_wallet != NULL && g_str_has_suffix (data, mode->nodebt_wallet))
            fixture = "net-aave-getUserAccountData-nodebt.json";
          else
            {
              g_assert_cmpstr (data, ==, "0xbf92857c0000000000000000000000007a16ff8270133f063aab6c9977183d9e72835428");
              fixture = mode->account_fixture;
            }
        }
      else if (g_str_has_prefix (data, "0xc44b11f7"))
        fixture = "net-aave-pool-getConfiguration-wbtc.json";
      else if (g_str_has_prefix (data, "0xb3596f07"))
        {
          g_assert_cmpstr (to, ==, "0x54586be62e3c3580375ae3723c145253060ca0c2");
          fixture = "net-aave-oracle-getAssetPrice-wbtc.json";
        }
      if (fixture != NULL)
        answer = restamp_fixture (fixture, id);
    }
  if (answer == NULL)
    return FALSE;
  bt_test_respond_text (req->msg, 200, answer);
  return TRUE;
}

/* ---- Notion ---- */

gboolean
bt_test_notion_handler (const BtTestRequest *req,
                        gpointer             user_data)
{
  BtTestNotion *n = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  const char *version = soup_message_headers_get_one (headers, "Notion-Version");
  g_autofree char *expected_auth = g_strdup_printf ("Bearer %s", n->token);
  g_autofree char *expected_path = g_strdup_printf ("/v1/databases/%s/query", n->database_id);
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *asked;

  if (!g_str_has_prefix (req->path, "/v1/databases/"))
    return FALSE;
  n->n_queries++;
  if (auth == NULL || strcmp (auth, expected_auth) != 0)
    {
      bt_test_respond_file (req->msg, 401, "net-notion-error-401.json");
      return TRUE;
    }
  if (n->reject_version || version == NULL || strcmp (version, "2022-06-28") != 0)
    {
      bt_test_respond_text (req->msg, 400, "{\"object\":\"error\",\"status\":400,\"code\":\"missing_version\","
                            "\"message\":\"Notion-Version header failed validation: Notion-Version header should be defined, instead was undefined.\","
                            "\"request_id\":\"00000000-0000-4000-8000-000000000000\"}");
      return TRUE;
    }
  if (strcmp (req->path, expected_path) != 0 || strcmp (soup_server_message_get_method (req->msg), "POST") != 0)
    {
      bt_test_respond_text (req->msg, 404, "{\"object\":\"error\",\"status\":404,\"code\":\"object_not_found\","
                            "\"message\":\"Could not find database with ID: 00000000-0000-4000-8000-000000000000. "
                            "Make sure the relevant pages and databases are shared with your integration.\","
                            "\"request_id\":\"00000000-0000-4000-8000-000000000001\"}");
      return TRUE;
    }
  bytes = soup_message_body_flatten (body);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), NULL));
  asked = json_node_get_object (json_parser_get_root (parser));
  /* the second page is asked for with the first page's next_cursor */
  if (json_object_has_member (asked, "start_cursor"))
    {
      g_autofree char *p1 = bt_test_fixture_path ("net-notion-databases-query.json");
      g_autofree char *text = NULL;
      g_autoptr(JsonParser) fp = json_parser_new ();
      const char *cursor;

      g_assert_true (g_file_get_contents (p1, &text, NULL, NULL));
      g_assert_true (json_parser_load_from_data (fp, text, -1, NULL));
      cursor = json_object_get_string_member (json_node_get_object (json_parser_get_root (fp)), "next_cursor");
      g_assert_cmpstr (json_object_get_string_member (asked, "start_cursor"), ==, cursor);
      bt_test_respond_file (req->msg, 200, "net-notion-databases-query-page2.json");
    }
  else
    bt_test_respond_file (req->msg, 200, "net-notion-databases-query.json");
  return TRUE;
}
