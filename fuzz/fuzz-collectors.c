/* fuzz-collectors.c: each collector's response parser (DATA_SOURCES.md),
 * one executable per feed (FUZZ_TARGET names it in fuzz-collectors.h),
 * through the feed's row as the collector runs it.  A parsed answer holds
 * finite values only (a close-only candle has no open, high, low or
 * volume). */
#include "fuzz-collectors.h"
#include "fuzz-common.h"

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET must name the target"
#endif

static void
check_batch (const BtBatch *batch)
{
  for (guint i = 0; batch->candles != NULL && i < batch->candles->len; i++)
    {
      const BtCandle *c = &g_array_index (batch->candles, BtCandle, i);

      fuzz_check_finite (c->close, "candle close");
      /* close-only candles (Coin Metrics' PriceUSD) have no open, high, low */
      if (!isnan (c->open))
        {
          fuzz_check_finite (c->open, "candle open");
          fuzz_check_finite (c->high, "candle high");
          fuzz_check_finite (c->low, "candle low");
        }
      if (!isnan (c->volume))
        fuzz_check_finite (c->volume, "candle volume");
    }
  for (guint s = 0; batch->series != NULL && s < batch->series->len; s++)
    {
      const BtSeries *series = g_ptr_array_index (batch->series, s);

      for (guint i = 0; i < series->obs->len; i++)
        fuzz_check_finite (g_array_index (series->obs, BtObservation, i).value, series->metric);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtBatch) batch = NULL;
  gboolean ok = FALSE;

  /* the answer exactly as read, not NUL-terminated: an over-read is seen */
  batch = fuzz_collectors_parse (FUZZ_TARGET, (const char *) data, size, &ok, &error);
  if (batch == NULL)
    abort ();
  fuzz_check_error (ok, error, "the parser");
  if (ok)
    check_batch (batch);
  return 0;
}
