/* bt-indicators-private.h: what bt-indicators.c declares for its own use and
 * for the tests only; not part of the public API in bt-indicators.h. */
#pragma once

#include "bt-indicators.h"

G_BEGIN_DECLS

/* The kernels (conventions in bt-indicators.h). */
void  bt_sma            (const double *in,
                         gsize         n,
                         guint         period,
                         double       *out);
void  bt_ema            (const double *in,
                         gsize         n,
                         guint         period,
                         double       *out);
void  bt_rsi            (const double *in,
                         gsize         n,
                         guint         period,
                         double       *out);
void  bt_bbands         (const double *in,
                         gsize         n,
                         guint         period,
                         double        k,
                         double       *upper,
                         double       *middle,
                         double       *lower);

/* EMA(ema_period) + RSI(rsi_period) + BBANDS(bb_period, bb_k) in one pass:
 * the same values as the three kernels above (the benchmark's subject). */
void  bt_fused_ema_rsi_bb (const double *in,
                           gsize         n,
                           guint         ema_period,
                           guint         rsi_period,
                           guint         bb_period,
                           double        bb_k,
                           double       *ema,
                           double       *rsi,
                           double       *upper,
                           double       *middle,
                           double       *lower);

G_END_DECLS
