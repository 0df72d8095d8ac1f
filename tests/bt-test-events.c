/* bt-test-events.c: see bt-test-events.h. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "bt-test-events.h"

#define LINE_MAX_CHARS 240

static GMutex events_mutex;
static char  *events[BT_TEST_EVENTS_MAX];   /* a ring of formatted lines */
static guint  n_events;                     /* recorded since start */
static gint64 start_us;
static char  *events_name;
static gboolean handler_installed;

static void
write_all (const char *text)
{
  size_t len = strlen (text);

  while (len > 0)
    {
      ssize_t n = write (STDERR_FILENO, text, len);

      if (n <= 0)
        return;
      text += n;
      len -= (size_t) n;
    }
}

/* Only write(2) here: the program is going down. */
static void
abort_handler (int sig)
{
  guint first = n_events > BT_TEST_EVENTS_MAX ? n_events - BT_TEST_EVENTS_MAX : 0;

  write_all ("\n# events seen by ");
  write_all (events_name != NULL ? events_name : "the test");
  write_all (" before the failure (oldest first):\n");
  if (first > 0)
    write_all ("#   … earlier events forgotten\n");
  for (guint i = first; i < n_events; i++)
    {
      const char *line = events[i % BT_TEST_EVENTS_MAX];

      if (line == NULL)
        continue;
      write_all ("#   ");
      write_all (line);
      write_all ("\n");
    }
  if (n_events == 0)
    write_all ("#   (none)\n");
  signal (sig, SIG_DFL);
  raise (sig);
}

void
bt_test_events_start (const char *name)
{
  g_mutex_lock (&events_mutex);
  if (name != NULL && g_strcmp0 (name, events_name) == 0 && start_us != 0)
    {
      /* the same test again (a second server in one test): keep its events */
      g_mutex_unlock (&events_mutex);
      return;
    }
  for (guint i = 0; i < BT_TEST_EVENTS_MAX; i++)
    g_clear_pointer (&events[i], g_free);
  n_events = 0;
  start_us = g_get_monotonic_time ();
  g_free (events_name);
  events_name = g_strdup (name);
  if (!handler_installed)
    {
      signal (SIGABRT, abort_handler);
      handler_installed = TRUE;
    }
  g_mutex_unlock (&events_mutex);
}

void
bt_test_event (const char *format,
               ...)
{
  va_list args;
  g_autofree char *text = NULL;
  char *line;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (strlen (text) > LINE_MAX_CHARS)
    strcpy (g_utf8_find_prev_char (text, text + LINE_MAX_CHARS - 3), "…");
  g_strdelimit (text, "\n\r", ' ');

  g_mutex_lock (&events_mutex);
  if (start_us == 0)
    start_us = g_get_monotonic_time ();
  line = g_strdup_printf ("%4u %9.1f ms  %s", n_events,
                          (g_get_monotonic_time () - start_us) / 1000.0, text);
  g_free (events[n_events % BT_TEST_EVENTS_MAX]);
  events[n_events % BT_TEST_EVENTS_MAX] = line;
  n_events++;
  g_mutex_unlock (&events_mutex);
}
