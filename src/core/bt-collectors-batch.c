/* bt-collectors-batch.c: what a collector hands back: the feed names and
 * the batches of candles and observation series (bt-collectors.h).
 */
#define G_LOG_DOMAIN "bt-core"

#include <string.h>

#include "bt-collectors.h"
#include "bt-collectors-private.h"

G_DEFINE_QUARK (bt-collector-error-quark, bt_collector_error)

static const char *feed_names[BT_N_FEEDS] = {
  "candles", "funding", "long-short", "onchain", "sth-sopr", "netflow", "notion",
};

const char *
bt_feed_name (BtFeed feed)
{
  g_return_val_if_fail (feed < BT_N_FEEDS, NULL);

  return feed_names[feed];
}

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

guint
_bt_batch_n_rows (const BtBatch *batch)
{
  guint n = batch->candles->len;

  for (guint i = 0; i < batch->series->len; i++)
    n += ((BtSeries *) g_ptr_array_index (batch->series, i))->obs->len;
  return n;
}
