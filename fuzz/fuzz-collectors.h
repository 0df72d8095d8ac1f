/* fuzz-collectors.h: the collectors' fuzz targets, one a feed of the table
 * of feeds (bt-collectors-feeds.c), shared by fuzz/fuzz-collectors.c and
 * the replay of their findings (tests/test-fuzz-regressions.c).  An answer
 * goes through the feed's own parse and next_cursor, as the collector runs
 * them, on a page asked on 2019-03-28 with fixed arguments. */
#pragma once

#include <string.h>

#include "bt-collectors.h"
#include "bt-collectors-private.h"

typedef struct
{
  const char *target;   /* the executable's name, and its folder in tests/data/fuzz */
  BtSource    source;
  BtFeed      feed;
} FuzzCollectorTarget;

static const FuzzCollectorTarget fuzz_collector_targets[] = {
  { "fuzz-binance-klines", BT_SOURCE_BINANCE, BT_FEED_CANDLES },
  { "fuzz-binance-funding", BT_SOURCE_BINANCE_FUTURES, BT_FEED_FUNDING },
  { "fuzz-binance-long-short", BT_SOURCE_BINANCE_FUTURES, BT_FEED_LONG_SHORT },
  { "fuzz-coinbase", BT_SOURCE_COINBASE, BT_FEED_CANDLES },
  { "fuzz-kraken", BT_SOURCE_KRAKEN, BT_FEED_CANDLES },
  { "fuzz-coinmetrics", BT_SOURCE_COINMETRICS, BT_FEED_ONCHAIN },
  { "fuzz-bgeometrics", BT_SOURCE_BGEOMETRICS, BT_FEED_STH_SOPR },
  { "fuzz-notion", BT_SOURCE_NOTION, BT_FEED_NOTION },
};

/* Parse DATA as an answer of TARGET's feed into a new batch (NULL when
 * TARGET is not a collector's target); OK gets the parse's outcome. */
static inline BtBatch *
fuzz_collectors_parse (const char  *target,
                       const char  *data,
                       gsize        length,
                       gboolean    *ok,
                       GError     **error)
{
  static const char *mapping[] = { "STH-SOPR=sth_sopr", "MVRV Z=mvrv_z_score", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (fuzz_collector_targets); i++)
    {
      const FuzzCollectorTarget *t = &fuzz_collector_targets[i];
      BtBatch *batch;
      BtFetchPage page;

      if (strcmp (t->target, target) != 0)
        continue;
      _bt_fetch_page_init (&page, _bt_collectors_feed_row (t->source, t->feed), 0, 1553817600, NULL);
      page.now = 1553800000;
      page.window_start = 1553212800;   /* Coinbase: the window asked */
      page.window_end = 1553644800;
      page.mapping = g_strdupv ((char **) mapping);
      batch = bt_batch_new (t->source, t->feed);
      *ok = _bt_collectors_parse_page (&page, data, length, batch, error);
      _bt_fetch_page_clear (&page);
      return batch;
    }
  return NULL;
}
