/* bt-test-events.h: the sequence of events a BTC Turbo test saw (requests
 * served, signals, progress, cancellations), printed when the test fails.
 *
 * Events are kept in memory (the latest BT_TEST_EVENTS_MAX) with the time
 * since bt_test_events_start.  When an assertion fails (or anything else
 * aborts the test program), the events are written to standard error,
 * oldest first, so a failure explains itself. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BT_TEST_EVENTS_MAX 400

/* Forget the events so far and name what follows (the test's path is a
 * good name; the same name again keeps the events); installs the abort
 * handler on first use. */
void      bt_test_events_start   (const char *name);
void      bt_test_event          (const char *format,
                                  ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
