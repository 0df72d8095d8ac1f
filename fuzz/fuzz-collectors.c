/* fuzz-collectors.c: each collector's response parser (DATA_SOURCES.md),
 * one executable per parser (FUZZ_PARSER picks it), with the arguments the
 * collectors pass.  A parsed answer holds finite values only (a close-only
 * candle has no open, high, low or volume). */
#include "bt-collectors.h"
#include "fuzz-common.h"

enum
{
  PARSER_BINANCE_KLINES,
  PARSER_BINANCE_FUNDING,
  PARSER_BINANCE_LONG_SHORT,
  PARSER_COINBASE,
  PARSER_KRAKEN,
  PARSER_COINMETRICS,
  PARSER_BGEOMETRICS,
  PARSER_NOTION,
};

#ifndef FUZZ_PARSER
#error "FUZZ_PARSER must name the parser"
#endif

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_common_init ();
  return 0;
}

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
  /* the answer exactly as read, not NUL-terminated: an over-read is seen */
  const char *text = (const char *) data;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  BtBatch *batch = NULL;
  gboolean ok = FALSE;

  switch (FUZZ_PARSER)
    {
    case PARSER_BINANCE_KLINES:
      batch = bt_batch_new (BT_SOURCE_BINANCE, BT_FEED_CANDLES);
      ok = bt_parse_binance_klines (text, size, G_GINT64_CONSTANT (1553800000000), batch, &error);
      break;
    case PARSER_BINANCE_FUNDING:
      batch = bt_batch_new (BT_SOURCE_BINANCE_FUTURES, BT_FEED_FUNDING);
      ok = bt_parse_binance_funding (text, size, batch, &error);
      break;
    case PARSER_BINANCE_LONG_SHORT:
      batch = bt_batch_new (BT_SOURCE_BINANCE_FUTURES, BT_FEED_LONG_SHORT);
      ok = bt_parse_binance_long_short (text, size, batch, &error);
      break;
    case PARSER_COINBASE:
      batch = bt_batch_new (BT_SOURCE_COINBASE, BT_FEED_CANDLES);
      ok = bt_parse_coinbase_candles (text, size, 1553800000, 1553212800, 1553644800, batch, &error);
      break;
    case PARSER_KRAKEN:
      batch = bt_batch_new (BT_SOURCE_KRAKEN, BT_FEED_CANDLES);
      ok = bt_parse_kraken_ohlc (text, size, batch, &error);
      break;
    case PARSER_COINMETRICS:
      batch = bt_batch_new (BT_SOURCE_COINMETRICS, BT_FEED_ONCHAIN);
      ok = bt_parse_coinmetrics (text, size, batch, &next, &error);
      break;
    case PARSER_BGEOMETRICS:
      batch = bt_batch_new (BT_SOURCE_BGEOMETRICS, BT_FEED_STH_SOPR);
      ok = bt_parse_bgeometrics (text, size, "sthSopr", "sth_sopr", batch, &error);
      break;
    case PARSER_NOTION:
      {
        const char *mapping[] = { "STH-SOPR=sth_sopr", "MVRV Z=mvrv_z_score", NULL };

        batch = bt_batch_new (BT_SOURCE_NOTION, BT_FEED_NOTION);
        ok = bt_parse_notion (text, size, "Date", mapping, batch, &next, &error);
      }
      break;
    default:
      abort ();
    }
  fuzz_check_error (ok, error, "the parser");
  if (ok)
    check_batch (batch);
  bt_batch_free (batch);
  return 0;
}
