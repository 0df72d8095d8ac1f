/* Inputs the fuzzers of fuzz/ found, fed through the same public parsers
 * as the fuzz target of the folder they sit in (tests/data/fuzz/TARGET/):
 * each must end in success or in one clean line of error (a GError with a
 * non-empty, single-line, UTF-8 message), never in a crash, a leak or a
 * silently accepted answer.  A new finding is a new file in its folder. */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bt-aave.h"
#include "bt-backtest.h"
#include "bt-base.h"
#include "bt-http.h"
#include "bt-import.h"
#include "bt-rules.h"
#include "bt-store.h"
#include "bt-test-util.h"
#include "../fuzz/fuzz-collectors.h"

static void
assert_clean (gboolean     ok,
              const GError *error,
              const char   *name)
{
  if (ok)
    {
      g_assert_null (error);
      return;
    }
  g_assert_nonnull (error);
  g_test_message ("%s: %s", name, error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strchr (error->message, '\r'));
}

static void
collector_input (const char *target,
                 const char *name,
                 const char *data,
                 gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtBatch) batch = NULL;
  gboolean ok = FALSE;

  /* through the feed's row, as the fuzz target of the folder runs it */
  batch = fuzz_collectors_parse (target, data, length, &ok, &error);
  g_assert_nonnull (batch);
  assert_clean (ok, error, name);
  /* every one of these inputs is a broken answer, not data */
  g_assert_false (ok);
}

static void
aave_input (const char *name,
            const char *data,
            gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strndup (data + 1, length - 1);

  g_assert_cmpuint (length, >, 0);
  if ((guint8) data[0] % 3 == 0)
    {
      g_autofree char *result = bt_jsonrpc_parse_result (data + 1, length - 1, 7, &error);

      assert_clean (result != NULL, error, name);
      g_assert_null (result);
    }
  else if ((guint8) data[0] % 3 == 2)
    {
      gboolean ok = bt_aave_validate_address (text, &error);

      assert_clean (ok, error, name);
      g_assert_false (ok);
    }
  else
    g_assert_not_reached ();
}

static void
config_input (const char *name,
              const char *data,
              gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  BtBacktestConfig config;
  gboolean ok;

  /* text after the first value: refused before json-glib, as the CLI does */
  if (!bt_json_precheck (data, length))
    {
      g_test_message ("%s: text after the JSON value", name);
      return;
    }
  g_assert_true (json_parser_load_from_data (parser, data, (gssize) length, NULL));
  bt_backtest_config_init_default (&config);
  ok = bt_backtest_config_from_json (&config, json_node_get_object (json_parser_get_root (parser)), &error);
  assert_clean (ok, error, name);
  if (ok)
    {
      /* accepted: its canonical JSON reads back to the same canonical JSON
       * (the hash that finds a stored run depends on it) */
      g_autofree char *json = bt_backtest_config_to_json (&config);
      g_autofree char *again_json = NULL;
      g_autoptr(JsonParser) again = json_parser_new ();
      BtBacktestConfig copy;

      g_assert_true (json_parser_load_from_data (again, json, -1, NULL));
      bt_backtest_config_init_default (&copy);
      g_assert_true (bt_backtest_config_from_json (&copy, json_node_get_object (json_parser_get_root (again)),
                                                   NULL));
      again_json = bt_backtest_config_to_json (&copy);
      g_assert_cmpstr (json, ==, again_json);
      {
        g_autofree char *hash = bt_backtest_config_hash (&config);
        g_autofree char *again_hash = bt_backtest_config_hash (&copy);

        g_assert_cmpstr (hash, ==, again_hash);
      }
    }
}

static void
rules_input (const char *name,
             const char *data,
             gsize       length)
{
  g_autofree char *text = g_strndup (data, length);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *eq = strchr (lines[i], '=');
      BtRules rules;
      BtBacktestConfig config;
      GError *error = NULL;
      gboolean ok;

      if (eq == NULL)
        continue;
      *eq = '\0';
      bt_rules_init_default (&rules);
      ok = bt_rules_set (&rules, lines[i], eq + 1, &error);
      assert_clean (ok, error, name);
      g_assert_false (ok);
      g_clear_error (&error);
      bt_backtest_config_init_default (&config);
      ok = bt_backtest_config_set (&config, lines[i], eq + 1, &error);
      assert_clean (ok, error, name);
      g_assert_false (ok);
      g_clear_error (&error);
    }
}

static void
http_input (const char *name,
            const char *data,
            gsize       length)
{
  g_autofree char *text = bt_http_dup_api_error (data, length);

  /* what json-glib would mishandle yields no text at all */
  if (!bt_json_precheck (data, length))
    {
      g_assert_null (text);
      return;
    }
  g_assert_nonnull (text);
  g_test_message ("%s: %s", name, text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_null (strchr (text, '\n'));
  g_assert_null (strchr (text, '\r'));
}

/* OPTIONS (the format byte) NUL FILE, or a whole file read as "auto", as
 * fuzz/fuzz-import.c reads its input */
static void
import_input (const char *name,
              const char *data,
              gsize       length)
{
  g_autofree char *dir = g_dir_make_tmp ("bt-fuzz-regression-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "btc-turbo.sqlite", NULL);
  g_autofree char *csv = g_build_filename (dir, "input.csv", NULL);
  const char *nul = memchr (data, '\0', length);
  BtImportFormat format = BT_IMPORT_FORMAT_AUTO;
  const char *file = data;
  gsize file_length = length;
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = NULL;
  guint64 version;
  gboolean ok;

  if (nul != NULL)
    {
      if (nul > data)
        format = (BtImportFormat) ((guint8) data[0] % BT_N_IMPORT_FORMATS);
      file = nul + 1;
      file_length = length - (gsize) (file - data);
    }
  g_assert_true (g_file_set_contents (csv, file, (gssize) file_length, NULL));
  store = bt_store_open (db, &error);
  g_assert_no_error (error);
  version = bt_store_get_data_version (store);
  ok = bt_import_file (store, csv, format, NULL, &error);
  assert_clean (ok, error, name);
  if (!ok)
    g_assert_cmpuint (bt_store_get_data_version (store), ==, version);
  g_clear_object (&store);
  bt_test_remove_tree (dir);
}

static void
test_findings (void)
{
  g_autofree char *root = g_test_build_filename (G_TEST_DIST, "data", "fuzz", NULL);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *target;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((target = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sub = g_build_filename (root, target, NULL);
      g_autoptr(GDir) files = g_dir_open (sub, 0, NULL);
      const char *file;

      while (files != NULL && (file = g_dir_read_name (files)) != NULL)
        {
          g_autofree char *path = g_build_filename (sub, file, NULL);
          g_autofree char *name = g_build_filename (target, file, NULL);
          g_autofree char *data = NULL;
          gsize length = 0;

          g_assert_true (g_file_get_contents (path, &data, &length, NULL));
          if (g_str_equal (target, "fuzz-aave"))
            aave_input (name, data, length);
          else if (g_str_equal (target, "fuzz-backtest-config"))
            config_input (name, data, length);
          else if (g_str_equal (target, "fuzz-rules"))
            rules_input (name, data, length);
          else if (g_str_equal (target, "fuzz-http"))
            http_input (name, data, length);
          else if (g_str_equal (target, "fuzz-import"))
            import_input (name, data, length);
          else
            collector_input (target, name, data, length);
          n++;
        }
    }
  g_assert_cmpuint (n, >=, 15);
}

/* ---- the helpers behind the fixes, on hand-made cases ---- */

static void
test_one_line (void)
{
  struct { const char *in; gsize max; const char *out; } cases[] = {
    { "plain", 80, "plain" },
    { "two\nlines", 80, "two lines" },
    { "crlf\r\n\r\nruns", 80, "crlf runs" },
    { "tab\there", 80, "tab here" },
    { "bad \xc3\x28 byte", 80, "bad \xef\xbf\xbd( byte" },   /* U+FFFD */
    { "não é ASCII", 80, "não é ASCII" },
    { "abcdef", 3, "abc…" },
    { "", 10, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = bt_one_line (cases[i].in, cases[i].max);

      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_single_value (void)
{
  struct { const char *in; gboolean single; } cases[] = {
    { "0", TRUE },
    { "  {\"a\": [1, 2, {\"b\": \"}]\"}]}  \n", TRUE },
    { "\"a string with \\\" and ] in it\"", TRUE },
    { "true", TRUE },
    { "", TRUE },                     /* nothing: json-glib says so */
    { "[1, 2", TRUE },                /* truncated: json-glib says so */
    { "0[]", FALSE },
    { "{}{}", FALSE },
    { "[1] x", FALSE },
    { "{\"a\":1}\n{\"a\":2}\n", FALSE },
    { "\"s\"\"t\"", FALSE },
    { "\"\\ud83d\\ude00\"", TRUE },          /* a surrogate pair: 😀 */
    { "\"\\ud800\\u0041\"", FALSE },         /* a high surrogate, then not a low one */
    { "[\"\\uD800\\uD800\", 1]", FALSE },
    { "\"\\\\ud800\\u0041\"", TRUE },       /* an escaped backslash, not an escape */
    { "\"\\ud8a]\\u\\", FALSE },              /* backslash-u without four hex digits */
    { "\"\\uxyz\"", FALSE },
    { "\"\\udc00\"", FALSE },                 /* a low surrogate alone */
    { "\"\\ud800\"", FALSE },                 /* a high surrogate alone */
    { "\"\\ud83d\\ude00\\ud83d\\ude00\"", TRUE },
    { "\"\\u00e9t\\u00C9\"", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].in);
      g_assert_cmpint (bt_json_precheck (cases[i].in, strlen (cases[i].in)), ==, cases[i].single);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/fuzz-regressions/findings", test_findings);
  g_test_add_func ("/core/fuzz-regressions/one-line", test_one_line);
  g_test_add_func ("/core/fuzz-regressions/single-json-value", test_single_value);
  return g_test_run ();
}
