/* bt-scheduler-private.h: what bt-scheduler.c declares for its own use and
 * for the tests only; not part of the public API in bt-scheduler.h. */
#pragma once

#include "bt-scheduler.h"

G_BEGIN_DECLS

/* The wall clock of the day checks: when Coin Metrics can have a new
 * row, whether BGeometrics was fetched today (UTC), a Retry-After
 * remembered from an earlier run.  0: the real clock (tests move it). */
void         bt_scheduler_set_now           (BtScheduler        *self,
                                             gint64              now_unix);
/* "Fetches only when a new day is available": TRUE when Coin Metrics can
 * have a row newer than NEWEST (unix s within the newest stored day) at
 * NOW: the newest stored day is older than yesterday (UTC), and for
 * yesterday's row only from 01:00 UTC on. */
gboolean     bt_scheduler_onchain_due       (gint64              newest,
                                             gint64              now);

/* Seconds from NOW (local time) to the next HOUR:00 local. */
gint64       bt_scheduler_seconds_until_hour (GDateTime         *now,
                                              int                hour);
/* Seconds from NOW (local time) to the next HOUR:MINUTE local. */
gint64       bt_scheduler_seconds_until_time (GDateTime         *now,
                                              int                hour,
                                              int                minute);

G_END_DECLS
