#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "bt-base.h"
#include "bt-collectors.h"
#include "bt-collectors-private.h"

G_DEFINE_QUARK (bt-collector-error-quark, bt_collector_error)

#define COINBASE_WINDOW_DAYS 299
#define NOTION_VERSION "2022-06-28"

static const char *feed_names[BT_N_FEEDS] = {
  "candles", "funding", "long-short", "onchain", "sth-sopr", "netflow", "notion",
};

const char *
bt_feed_name (BtFeed feed)
{
  g_return_val_if_fail (feed < BT_N_FEEDS, NULL);

  return feed_names[feed];
}

/* ---- batches ---- */

static void
series_free (BtSeries *series)
{
  g_free (series->metric);
  g_array_unref (series->obs);
  g_free (series);
}

BtBatch *
bt_batch_new (BtSource source,
              BtFeed   feed)
{
  BtBatch *batch = g_new0 (BtBatch, 1);

  batch->source = source;
  batch->feed = feed;
  batch->candles = g_array_new (FALSE, FALSE, sizeof (BtCandle));
  batch->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  batch->unavailable = g_ptr_array_new_with_free_func (g_free);
  batch->last_time = G_MININT64;
  return batch;
}

void
bt_batch_free (BtBatch *batch)
{
  if (batch == NULL)
    return;
  g_array_unref (batch->candles);
  g_ptr_array_unref (batch->series);
  g_ptr_array_unref (batch->unavailable);
  g_free (batch->next_cursor);
  g_free (batch);
}

BtSeries *
bt_batch_find_series (BtBatch    *batch,
                      const char *metric)
{
  for (guint i = 0; i < batch->series->len; i++)
    {
      BtSeries *s = g_ptr_array_index (batch->series, i);

      if (strcmp (s->metric, metric) == 0)
        return s;
    }
  return NULL;
}

BtSeries *
bt_batch_series (BtBatch    *batch,
                 const char *metric)
{
  BtSeries *s = bt_batch_find_series (batch, metric);

  if (s != NULL)
    return s;
  s = g_new0 (BtSeries, 1);
  s->metric = g_strdup (metric);
  s->obs = g_array_new (FALSE, FALSE, sizeof (BtObservation));
  g_ptr_array_add (batch->series, s);
  return s;
}

/* ---- the collector object ---- */

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

static const BtFeed feeds_binance[] = { BT_FEED_CANDLES, BT_N_FEEDS };
static const BtFeed feeds_futures[] = { BT_FEED_FUNDING, BT_FEED_LONG_SHORT, BT_N_FEEDS };
static const BtFeed feeds_onchain[] = { BT_FEED_ONCHAIN, BT_N_FEEDS };
static const BtFeed feeds_bgeo[] = { BT_FEED_STH_SOPR, BT_FEED_NETFLOW, BT_N_FEEDS };
static const BtFeed feeds_notion[] = { BT_FEED_NOTION, BT_N_FEEDS };
static const BtFeed feeds_none[] = { BT_N_FEEDS };

const BtFeed *
bt_collector_source_feeds (BtSource source)
{
  switch (source)
    {
    case BT_SOURCE_BINANCE:
    case BT_SOURCE_COINBASE:
    case BT_SOURCE_KRAKEN:
      return feeds_binance;
    case BT_SOURCE_BINANCE_FUTURES:
      return feeds_futures;
    case BT_SOURCE_COINMETRICS:
      return feeds_onchain;
    case BT_SOURCE_BGEOMETRICS:
      return feeds_bgeo;
    case BT_SOURCE_NOTION:
      return feeds_notion;
    default:
      return feeds_none;
    }
}

const char *
bt_collector_default_base_url (BtSource source)
{
  switch (source)
    {
    case BT_SOURCE_BINANCE:
      return "https://api.binance.com";
    case BT_SOURCE_BINANCE_FUTURES:
      return "https://fapi.binance.com";
    case BT_SOURCE_COINBASE:
      return "https://api.exchange.coinbase.com";
    case BT_SOURCE_KRAKEN:
      return "https://api.kraken.com";
    case BT_SOURCE_COINMETRICS:
      return "https://community-api.coinmetrics.io";
    case BT_SOURCE_BGEOMETRICS:
      return "https://bitcoin-data.com";
    case BT_SOURCE_NOTION:
      return "https://api.notion.com";
    default:
      return NULL;
    }
}

gint64
bt_collector_history_start (BtSource source,
                            BtFeed   feed)
{
  switch (source)
    {
    case BT_SOURCE_BINANCE:
      return 1502928000;                         /* 2017-08-17, first BTCUSDT kline */
    case BT_SOURCE_COINBASE:
      return 1437350400;                         /* 2015-07-20 */
    case BT_SOURCE_KRAKEN:
      return g_get_real_time () / G_USEC_PER_SEC - 719 * (gint64) DAY_S;  /* 720 bars only */
    case BT_SOURCE_BINANCE_FUTURES:
      if (feed == BT_FEED_LONG_SHORT)
        return g_get_real_time () / G_USEC_PER_SEC - 29 * (gint64) DAY_S;
      return 1568102400;                         /* 2019-09-10, first settlement */
    case BT_SOURCE_COINMETRICS:
      return 1230940800;                         /* 2009-01-03 */
    case BT_SOURCE_BGEOMETRICS:
    case BT_SOURCE_NOTION:
    default:
      return 1230940800;
    }
}

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
  BtCollector *self;

  g_return_val_if_fail (BT_IS_HTTP (http), NULL);

  self = g_object_new (BT_TYPE_COLLECTOR, NULL);
  self->source = source;
  self->http = g_object_ref (http);
  self->base_url = g_strdup (bt_collector_default_base_url (source));
  switch (source)
    {
    case BT_SOURCE_COINMETRICS:
      self->page_size = 10000;
      break;
    case BT_SOURCE_NOTION:
      self->page_size = 100;
      break;
    default:
      self->page_size = 1000;
      break;
    }
  return self;
}

BtSource
bt_collector_get_source (BtCollector *self)
{
  g_return_val_if_fail (BT_IS_COLLECTOR (self), BT_SOURCE_NONE);

  return self->source;
}

BtHttp *
bt_collector_get_http (BtCollector *self)
{
  g_return_val_if_fail (BT_IS_COLLECTOR (self), NULL);

  return self->http;
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
  BtSource     source;
  BtFeed       feed;
  gint64       start;        /* unix s */
  gint64       end;          /* unix s */
  gint64       now;          /* unix s */
  gint64       window_start; /* coinbase */
  gint64       window_end;
  gint64       cm_start;     /* coinmetrics: start of the query */
  gint64       cm_last;      /* coinmetrics: newest time already returned */
  char        *cm_token;     /* the token this page was asked with */
  guint        page_size;
  gboolean     first_page;
  char        *date_property;
  GStrv        mapping;
  GBytes      *body;
  BtHttpReply  reply;
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_free (f->cm_token);
  g_free (f->date_property);
  g_strfreev (f->mapping);
  if (f->body != NULL)
    g_bytes_unref (f->body);
  g_free (f);
}

static char *
iso_day (gint64 t)
{
  char buf[16];

  return g_strdup (bt_day_format (bt_day_from_unix (t), buf));
}

static gboolean
parse_cursor_int (const char *cursor,
                  gint64     *out)
{
  char *end = NULL;

  if (cursor == NULL || !g_ascii_isdigit (*cursor))
    return FALSE;
  *out = g_ascii_strtoll (cursor, &end, 10);
  return end != NULL && *end == '\0';
}

static gboolean
bad_cursor (GError    **error,
            const char *cursor)
{
  g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING,
               _("The saved backfill position “%s” is not understood; start the backfill again"),
               cursor);
  return FALSE;
}

/* Build the request of one page; fills F's window fields. */
static gboolean
build_request (BtCollector  *self,
               Fetch        *f,
               const char   *cursor,
               char        **url,
               char        **method,
               GBytes      **body,
               GPtrArray    *headers,
               GError      **error)
{
  gint64 v;

  *method = g_strdup ("GET");
  switch (f->feed)
    {
    case BT_FEED_CANDLES:
      if (self->source == BT_SOURCE_BINANCE)
        {
          gint64 start_ms = f->start * 1000;

          if (cursor != NULL && !parse_cursor_int (cursor, &start_ms))
            return bad_cursor (error, cursor);
          *url = g_strdup_printf ("%s/api/v3/klines?symbol=BTCUSDT&interval=1d&startTime=%" G_GINT64_FORMAT
                                  "&endTime=%" G_GINT64_FORMAT "&limit=%u",
                                  self->base_url, start_ms, f->end * 1000 + 999, MIN (f->page_size, 1000u));
          f->window_start = start_ms / 1000;
          return TRUE;
        }
      if (self->source == BT_SOURCE_COINBASE)
        {
          g_autofree char *a = NULL;
          g_autofree char *b = NULL;

          f->window_start = f->start - f->start % DAY_S;
          if (cursor != NULL)
            {
              if (!parse_cursor_int (cursor, &v))
                return bad_cursor (error, cursor);
              f->window_start = v;
            }
          /* at most 300 buckets per request: windows of 299 days, both ends inclusive */
          f->window_end = MIN (f->window_start + (COINBASE_WINDOW_DAYS - 1) * (gint64) DAY_S, f->end);
          a = iso_day (f->window_start);
          b = iso_day (f->window_end);
          *url = g_strdup_printf ("%s/products/BTC-USD/candles?granularity=86400&start=%sT00:00:00Z&end=%sT00:00:00Z",
                                  self->base_url, a, b);
          return TRUE;
        }
      if (self->source == BT_SOURCE_KRAKEN)
        {
          /* `since` may be exclusive: ask from the day before, filter later */
          *url = g_strdup_printf ("%s/0/public/OHLC?pair=XBTUSD&interval=1440&since=%" G_GINT64_FORMAT,
                                  self->base_url, f->start - DAY_S);
          return TRUE;
        }
      break;
    case BT_FEED_FUNDING:
      {
        gint64 start_ms = f->start * 1000;

        if (cursor != NULL && !parse_cursor_int (cursor, &start_ms))
          return bad_cursor (error, cursor);
        *url = g_strdup_printf ("%s/fapi/v1/fundingRate?symbol=BTCUSDT&startTime=%" G_GINT64_FORMAT
                                "&endTime=%" G_GINT64_FORMAT "&limit=%u",
                                self->base_url, start_ms, f->end * 1000 + 999, MIN (f->page_size, 1000u));
        return TRUE;
      }
    case BT_FEED_LONG_SHORT:
      *url = g_strdup_printf ("%s/futures/data/globalLongShortAccountRatio?symbol=BTCUSDT&period=1d&limit=30",
                              self->base_url);
      return TRUE;
    case BT_FEED_ONCHAIN:
      {
        g_autofree char *start_day = NULL;
        g_autofree char *end_day = NULL;
        g_autofree char *token_q = NULL;
        GString *metrics = g_string_new (NULL);

        f->cm_start = f->start;
        f->cm_last = G_MININT64;
        if (cursor != NULL)
          {
            /* "START;LAST;TOKEN": the query the token belongs to */
            g_auto(GStrv) parts = g_strsplit (cursor, ";", 3);

            if (g_strv_length (parts) != 3 || !parse_cursor_int (parts[0], &f->cm_start)
                || !parse_cursor_int (parts[1], &f->cm_last) || *parts[2] == '\0')
              {
                g_string_free (metrics, TRUE);
                return bad_cursor (error, cursor);
              }
            f->cm_token = g_strdup (parts[2]);
            token_q = g_strdup_printf ("&next_page_token=%s", f->cm_token);
          }
        for (guint m = 0; m < G_N_ELEMENTS (_bt_collectors_cm_metrics); m++)
          g_string_append_printf (metrics, "%s%s", m > 0 ? "," : "", _bt_collectors_cm_metrics[m]);
        start_day = iso_day (f->cm_start);
        end_day = iso_day (f->end);
        /* paging_from=start: the default walks backwards from the newest row */
        *url = g_strdup_printf ("%s/v4/timeseries/asset-metrics?assets=btc&metrics=%s&frequency=1d"
                                "&start_time=%s&end_time=%s&page_size=%u&paging_from=start"
                                "&ignore_forbidden_errors=true&ignore_unsupported_errors=true%s",
                                self->base_url, metrics->str, start_day, end_day,
                                MIN (f->page_size, 10000u), token_q != NULL ? token_q : "");
        g_string_free (metrics, TRUE);
        return TRUE;
      }
    case BT_FEED_STH_SOPR:
    case BT_FEED_NETFLOW:
      {
        g_autofree char *a = iso_day (f->start);
        g_autofree char *b = iso_day (f->end);

        *url = g_strdup_printf ("%s/v1/%s?startday=%s&endday=%s", self->base_url,
                                f->feed == BT_FEED_STH_SOPR ? "sth-sopr" : "exchange-netflow-btc", a, b);
        return TRUE;
      }
    case BT_FEED_NOTION:
      {
        g_autoptr(JsonBuilder) b = json_builder_new ();
        g_autoptr(JsonGenerator) gen = json_generator_new ();
        g_autoptr(JsonNode) root = NULL;
        g_autofree char *day = iso_day (f->start);
        g_autofree char *escaped = NULL;
        char *text;

        if (self->notion_token == NULL || self->notion_database == NULL)
          {
            g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_CONFIG,
                         _("Notion needs an integration token and a database id"));
            return FALSE;
          }
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "filter");
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "property");
        json_builder_add_string_value (b, f->date_property);
        json_builder_set_member_name (b, "date");
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "on_or_after");
        json_builder_add_string_value (b, day);
        json_builder_end_object (b);
        json_builder_end_object (b);
        json_builder_set_member_name (b, "sorts");
        json_builder_begin_array (b);
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "property");
        json_builder_add_string_value (b, f->date_property);
        json_builder_set_member_name (b, "direction");
        json_builder_add_string_value (b, "ascending");
        json_builder_end_object (b);
        json_builder_end_array (b);
        json_builder_set_member_name (b, "page_size");
        json_builder_add_int_value (b, MIN (f->page_size, 100u));
        if (cursor != NULL)
          {
            json_builder_set_member_name (b, "start_cursor");
            json_builder_add_string_value (b, cursor);
          }
        json_builder_end_object (b);
        root = json_builder_get_root (b);
        json_generator_set_root (gen, root);
        text = json_generator_to_data (gen, NULL);
        *body = g_bytes_new_take (text, strlen (text));
        g_free (*method);
        *method = g_strdup ("POST");
        escaped = g_uri_escape_string (self->notion_database, NULL, FALSE);
        *url = g_strdup_printf ("%s/v1/databases/%s/query", self->base_url, escaped);
        g_ptr_array_add (headers, g_strdup ("Authorization"));
        g_ptr_array_add (headers, g_strdup_printf ("Bearer %s", self->notion_token));
        g_ptr_array_add (headers, g_strdup ("Notion-Version"));
        g_ptr_array_add (headers, g_strdup (NOTION_VERSION));
        return TRUE;
      }
    case BT_N_FEEDS:
    default:
      break;
    }
  g_set_error (error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_UNSUPPORTED,
               _("%s has no %s feed"), bt_source_name (self->source), bt_feed_name (f->feed));
  return FALSE;
}

static guint
batch_rows (BtBatch *batch)
{
  guint n = batch->candles->len;

  for (guint i = 0; i < batch->series->len; i++)
    n += ((BtSeries *) g_ptr_array_index (batch->series, i))->obs->len;
  return n;
}

static void
drop_before (BtBatch *batch,
             gint64   start)
{
  guint k = 0;

  for (guint i = 0; i < batch->candles->len; i++)
    if (g_array_index (batch->candles, BtCandle, i).open_time >= start)
      g_array_index (batch->candles, BtCandle, k++) = g_array_index (batch->candles, BtCandle, i);
  g_array_set_size (batch->candles, k);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Fetch *f = task_data;
  g_autoptr(BtBatch) batch = bt_batch_new (f->source, f->feed);
  GError *error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (f->body, &length);
  gboolean ok = FALSE;
  char *token = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  switch (f->feed)
    {
    case BT_FEED_CANDLES:
      if (f->source == BT_SOURCE_BINANCE)
        {
          ok = bt_parse_binance_klines (data, length, f->now * 1000, batch, &error);
          if (ok && batch->candles->len >= MIN (f->page_size, 1000u))
            {
              gint64 next = batch->last_time + DAY_S;

              if (next <= f->end)
                batch->next_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, next * 1000);
            }
        }
      else if (f->source == BT_SOURCE_COINBASE)
        {
          ok = bt_parse_coinbase_candles (data, length, f->now, f->window_start, f->window_end,
                                          batch, &error);
          if (ok && f->window_end < f->end)
            batch->next_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, f->window_end + DAY_S);
        }
      else
        {
          ok = bt_parse_kraken_ohlc (data, length, batch, &error);
          if (ok)
            drop_before (batch, f->start);
        }
      break;
    case BT_FEED_FUNDING:
      ok = bt_parse_binance_funding (data, length, batch, &error);
      if (ok && bt_batch_find_series (batch, "funding_rate")->obs->len >= MIN (f->page_size, 1000u))
        {
          /* next startTime = last fundingTime + 1 (whole second after it) */
          gint64 next = batch->last_time + 1;

          if (next <= f->end)
            batch->next_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, next * 1000);
        }
      break;
    case BT_FEED_LONG_SHORT:
      ok = bt_parse_binance_long_short (data, length, batch, &error);
      break;
    case BT_FEED_ONCHAIN:
      ok = bt_parse_coinmetrics (data, length, batch, &token, &error);
      if (ok && f->cm_last != G_MININT64 && batch->last_time != G_MININT64
          && batch->candles->len + batch->series->len > 0)
        {
          /* the first row of this page must follow the last of the previous */
          gint64 first = G_MAXINT64;

          for (guint i = 0; i < batch->series->len; i++)
            {
              BtSeries *s = g_ptr_array_index (batch->series, i);

              if (s->obs->len > 0)
                first = MIN (first, g_array_index (s->obs, BtObservation, 0).time);
            }
          if (batch->candles->len > 0)
            first = MIN (first, g_array_index (batch->candles, BtCandle, 0).open_time);
          if (first <= f->cm_last)
            {
              ok = FALSE;
              g_set_error (&error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING,
                           _("Coin Metrics: a page went back in time (paging from the end?)"));
            }
        }
      if (ok && token != NULL)
        {
          if (f->cm_token != NULL && strcmp (token, f->cm_token) == 0)
            {
              ok = FALSE;
              g_set_error (&error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING,
                           _("Coin Metrics: the next page token repeats; stopped to avoid a loop"));
            }
          else if (strchr (token, ';') != NULL)
            {
              ok = FALSE;
              g_set_error (&error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING,
                           _("Coin Metrics: a next page token that cannot be used"));
            }
          else
            {
              gint64 last = batch->last_time != G_MININT64 ? batch->last_time : f->cm_last;

              if (last == G_MININT64)
                {
                  ok = FALSE;
                  g_set_error (&error, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_PAGING,
                               _("Coin Metrics: an empty page with a next page token"));
                }
              else
                batch->next_cursor = g_strdup_printf ("%" G_GINT64_FORMAT ";%" G_GINT64_FORMAT ";%s",
                                                      f->cm_start, last, token);
            }
        }
      g_free (token);
      break;
    case BT_FEED_STH_SOPR:
      ok = bt_parse_bgeometrics (data, length, "sthSopr", "sth_sopr", batch, &error);
      break;
    case BT_FEED_NETFLOW:
      ok = bt_parse_bgeometrics (data, length, "exchangeNetflowBtc", "netflow", batch, &error);
      break;
    case BT_FEED_NOTION:
      ok = bt_parse_notion (data, length, f->date_property, (const char * const *) f->mapping,
                            batch, &batch->next_cursor, &error);
      break;
    case BT_N_FEEDS:
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }
  /* the first page of a range that certainly has data came back empty */
  if (f->first_page && batch_rows (batch) == 0 && f->feed != BT_FEED_NOTION
      && f->start < f->now - 3 * DAY_S
      && (f->source == BT_SOURCE_COINBASE ? f->window_end : f->end) >= f->now - DAY_S)
    {
      g_task_return_new_error (task, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_SHAPE,
                               _("%s answered with no rows for a period that has data"),
                               bt_source_name (f->source));
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
  g_autofree char *url = NULL;
  g_autofree char *method = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  Fetch *f;

  g_return_if_fail (BT_IS_COLLECTOR (self));
  g_return_if_fail (feed < BT_N_FEEDS);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bt_collector_fetch_async);
  f = g_new0 (Fetch, 1);
  f->reply.retry_after = -1;
  f->source = self->source;
  f->feed = feed;
  f->now = g_get_real_time () / G_USEC_PER_SEC;
  f->start = start >= 0 ? start : bt_collector_history_start (self->source, feed);
  f->end = end >= 0 ? end : f->now;
  f->page_size = self->page_size;
  f->first_page = cursor == NULL;
  f->date_property = g_strdup (self->notion_date != NULL ? self->notion_date : "Date");
  f->mapping = g_strdupv (self->notion_mapping);
  g_task_set_task_data (task, f, (GDestroyNotify) fetch_free);

  if (self->base_url == NULL)
    {
      g_task_return_new_error (task, BT_COLLECTOR_ERROR, BT_COLLECTOR_ERROR_CONFIG,
                               _("%s has no address configured"), bt_source_name (self->source));
      return;
    }
  if (!build_request (self, f, cursor, &url, &method, &body, headers, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_ptr_array_add (headers, NULL);
  bt_http_request_async (self->http, method, url, (const char * const *) headers->pdata, body,
                         "application/json", cancellable, fetch_http_cb, g_steal_pointer (&task));
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
