/* bt-collectors.c: the collector object and its fetch path: one page of
 * one feed, asked and parsed as its row in the table of feeds
 * (bt-collectors-feeds.c) says.
 */
#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bt-base.h"
#include "bt-collectors.h"
#include "bt-collectors-private.h"

struct _BtCollector
{
  GObject   parent_instance;

  BtSource  source;
  BtHttp   *http;
  char     *base_url;
  guint     page_size;
  char     *notion_token;
  char     *notion_database;
  char     *notion_date;
  GStrv     notion_mapping;
};

G_DEFINE_FINAL_TYPE (BtCollector, bt_collector, G_TYPE_OBJECT)

static void
bt_collector_dispose (GObject *object)
{
  BtCollector *self = BT_COLLECTOR (object);

  g_clear_object (&self->http);
  G_OBJECT_CLASS (bt_collector_parent_class)->dispose (object);
}

static void
bt_collector_finalize (GObject *object)
{
  BtCollector *self = BT_COLLECTOR (object);

  g_free (self->base_url);
  g_free (self->notion_token);
  g_free (self->notion_database);
  g_free (self->notion_date);
  g_strfreev (self->notion_mapping);
  G_OBJECT_CLASS (bt_collector_parent_class)->finalize (object);
}

static void
bt_collector_class_init (BtCollectorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bt_collector_dispose;
  G_OBJECT_CLASS (klass)->finalize = bt_collector_finalize;
}

static void
bt_collector_init (BtCollector *self)
{
}

BtCollector *
bt_collector_new (BtSource  source,
                  BtHttp   *http)
{
  const BtFeedRow *row;
  BtCollector *self;

  g_return_val_if_fail (BT_IS_HTTP (http), NULL);

  self = g_object_new (BT_TYPE_COLLECTOR, NULL);
  self->source = source;
  self->http = g_object_ref (http);
  self->base_url = g_strdup (bt_collector_default_base_url (source));
  row = _bt_collectors_source_row (source);
  self->page_size = row != NULL && row->max_page_size > 0 ? row->max_page_size : 1000;
  return self;
}

BtSource
bt_collector_get_source (BtCollector *self)
{
  g_return_val_if_fail (BT_IS_COLLECTOR (self), BT_SOURCE_NONE);

  return self->source;
}

gboolean
bt_collector_set_base_url (BtCollector  *self,
                           const char   *url,
                           GError      **error)
{
  char *normal;

  g_return_val_if_fail (BT_IS_COLLECTOR (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  normal = bt_http_normalize_base_url (url, error);
  if (normal == NULL)
    return FALSE;
  g_free (self->base_url);
  self->base_url = normal;
  return TRUE;
}

const char *
bt_collector_get_base_url (BtCollector *self)
{
  g_return_val_if_fail (BT_IS_COLLECTOR (self), NULL);

  return self->base_url;
}

void
bt_collector_set_page_size (BtCollector *self,
                            guint        page_size)
{
  g_return_if_fail (BT_IS_COLLECTOR (self));
  g_return_if_fail (page_size > 0);

  self->page_size = page_size;
}

void
bt_collector_set_notion (BtCollector        *self,
                         const char         *token,
                         const char         *database_id,
                         const char         *date_property,
                         const char * const *mapping)
{
  g_return_if_fail (BT_IS_COLLECTOR (self));

  g_free (self->notion_token);
  self->notion_token = g_strdup (token);
  g_free (self->notion_database);
  self->notion_database = g_strdup (database_id);
  g_free (self->notion_date);
  self->notion_date = g_strdup (date_property != NULL ? date_property : "Date");
  g_strfreev (self->notion_mapping);
  self->notion_mapping = g_strdupv ((char **) mapping);
}

/* ---- fetching ---- */

typedef struct
{
  BtFetchPage  page;
  GBytes      *body;
  BtHttpReply  reply;
} Fetch;

void
_bt_fetch_page_init (BtFetchPage     *page,
                     const BtFeedRow *row,
                     gint64           start,
                     gint64           end,
                     const char      *cursor)
{
  memset (page, 0, sizeof *page);
  page->row = row;
  page->now = g_get_real_time () / G_USEC_PER_SEC;
  page->start = start >= 0 ? start : bt_collector_history_start (row->source, row->feed);
  page->end = end >= 0 ? end : page->now;
  page->window_start = page->start;
  page->window_end = page->end;
  page->cm_last = G_MININT64;
  page->page_size = row->max_page_size > 0 ? row->max_page_size : 1000;
  page->cursor = g_strdup (cursor);
  page->base_url = g_strdup (row->base_url);
  page->date_property = g_strdup ("Date");
}

void
_bt_fetch_page_clear (BtFetchPage *page)
{
  g_free (page->cm_token);
  g_free (page->cursor);
  g_free (page->base_url);
  g_free (page->notion_token);
  g_free (page->notion_database);
  g_free (page->date_property);
  g_strfreev (page->mapping);
  g_free (page->token);
  memset (page, 0, sizeof *page);
}

static void
fetch_free (Fetch *f)
{
  _bt_fetch_page_clear (&f->page);
  if (f->body != NULL)
    g_bytes_unref (f->body);
  g_free (f);
}

gboolean
_bt_collectors_parse_page (BtFetchPage  *page,
                           const char   *data,
                           gsize         length,
                           BtBatch      *batch,
                           GError      **error)
{
  page->data = data;
  page->length = length;
  g_clear_pointer (&page->token, g_free);
  if (!page->row->parse (page, batch, error))
    return FALSE;
  return page->row->next_cursor == NULL || page->row->next_cursor (page, batch, error);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Fetch *f = task_data;
  BtFetchPage *page = &f->page;
  g_autoptr(BtBatch) batch = bt_batch_new (page->row->source, page->row->feed);
  GError *error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (f->body, &length);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!_bt_collectors_parse_page (page, data, length, batch, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* the first page of a range that certainly has data came back empty */
  if (page->cursor == NULL && _bt_batch_n_rows (batch) == 0 && !(page->row->flags & BT_FEED_FLAG_MAY_BE_EMPTY)
      && page->start < page->now - 3 * DAY_S && page->window_end >= page->now - DAY_S)
    {
      g_task_return_new_error (task, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_SHAPE,
                               _("%s answered with no rows for a period that has data"),
                               bt_source_name (page->row->source));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&batch), (GDestroyNotify) bt_batch_free);
}

static void
fetch_http_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *f = g_task_get_task_data (task);
  GError *error = NULL;

  f->body = bt_http_request_finish (BT_HTTP (source), result, &f->reply, &error);
  if (f->body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, parse_thread);
}

void
bt_collector_fetch_async (BtCollector         *self,
                          BtFeed               feed,
                          gint64               start,
                          gint64               end,
                          const char          *cursor,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  BtFetchRequest request = { NULL, "GET", NULL, headers };
  const BtFeedRow *row;
  GError *error = NULL;
  Fetch *f;

  g_return_if_fail (BT_IS_COLLECTOR (self));
  g_return_if_fail (feed < BT_N_FEEDS);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bt_collector_fetch_async);
  f = g_new0 (Fetch, 1);
  f->reply.retry_after = -1;
  g_task_set_task_data (task, f, (GDestroyNotify) fetch_free);

  if (self->base_url == NULL)
    {
      g_task_return_new_error (task, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_CONFIG,
                               _("%s has no address configured"), bt_source_name (self->source));
      return;
    }
  row = _bt_collectors_feed_row (self->source, feed);
  if (row == NULL)
    {
      g_task_return_new_error (task, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_UNSUPPORTED,
                               _("%s has no %s feed"), bt_source_name (self->source), bt_feed_name (feed));
      return;
    }
  _bt_fetch_page_init (&f->page, row, start, end, cursor);
  f->page.page_size = self->page_size;
  g_free (f->page.base_url);
  f->page.base_url = g_strdup (self->base_url);
  f->page.notion_token = g_strdup (self->notion_token);
  f->page.notion_database = g_strdup (self->notion_database);
  if (self->notion_date != NULL)
    {
      g_free (f->page.date_property);
      f->page.date_property = g_strdup (self->notion_date);
    }
  f->page.mapping = g_strdupv (self->notion_mapping);
  if (!row->build_request (&f->page, &request, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_ptr_array_add (headers, NULL);
  bt_http_request_async (self->http, request.method, request.url, (const char * const *) headers->pdata,
                         request.body, "application/json", cancellable, fetch_http_cb, g_steal_pointer (&task));
  g_free (request.url);
  if (request.body != NULL)
    g_bytes_unref (request.body);
}

BtBatch *
bt_collector_fetch_finish (BtCollector   *self,
                           GAsyncResult  *result,
                           BtHttpReply   *reply,
                           GError       **error)
{
  g_return_val_if_fail (BT_IS_COLLECTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (reply != NULL)
    {
      Fetch *f = g_task_get_task_data (G_TASK (result));

      *reply = f->reply;
    }
  return g_task_propagate_pointer (G_TASK (result), error);
}
