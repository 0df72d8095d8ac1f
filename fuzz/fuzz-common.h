/* fuzz-common.h: what every BTC Turbo libFuzzer target shares.
 *
 * A target feeds outside input (a CSV file, a server's answer, a JSON
 * configuration) through the same public function the application uses
 * and checks the contract every parser has: it either succeeds, or fails
 * with one clear line (a GError with a non-empty, single-line message).
 * AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer watch the
 * rest; a GLib critical (a broken precondition) is fatal. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "bt-base.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

static void
fuzz_silence_log (const gchar   *log_domain,
                  GLogLevelFlags log_level,
                  const gchar   *message,
                  gpointer       user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_printerr ("%s: %s\n", log_domain != NULL ? log_domain : "", message);
      abort ();
    }
}

static inline void
fuzz_common_init (void)
{
  g_log_set_default_handler (fuzz_silence_log, NULL);
  g_setenv ("G_DEBUG", "fatal-criticals", TRUE);
}

/* The contract of a failed parse: one clear line. */
static inline void
fuzz_check_error (gboolean    ok,
                  GError     *error,
                  const char *what)
{
  if (ok)
    {
      if (error != NULL)
        {
          g_printerr ("%s succeeded with an error set: %s\n", what, error->message);
          abort ();
        }
      return;
    }
  if (error == NULL || error->message == NULL || error->message[0] == '\0')
    {
      g_printerr ("%s failed without an error message\n", what);
      abort ();
    }
  if (strchr (error->message, '\n') != NULL)
    {
      g_printerr ("%s failed with more than one line: %s\n", what, error->message);
      abort ();
    }
  if (!g_utf8_validate (error->message, -1, NULL))
    {
      g_printerr ("%s failed with a message that is not UTF-8\n", what);
      abort ();
    }
}

static inline void
fuzz_check_finite (double      value,
                   const char *what)
{
  if (!isfinite (value))
    {
      g_printerr ("%s: a value that is not finite was accepted\n", what);
      abort ();
    }
}

/* DATA as the command line reads a JSON file: one value, an object (NULL
 * for anything else, which is not what the target checks). */
static inline JsonObject *
fuzz_json_object (JsonParser    *parser,
                  const uint8_t *data,
                  size_t         size)
{
  JsonNode *root;

  if (!bt_json_precheck ((const char *) data, size)
      || !json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_get_object (root);
}
