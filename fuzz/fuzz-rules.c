/* fuzz-rules.c: rule overrides as people give them: the saved rules JSON
 * (bt_rules_merge_json, what the engine reads back) when the input starts
 * with '{', otherwise KEY=VALUE lines as `--set` and Preferences give them
 * (bt_rules_set, then bt_backtest_config_set).  On error the rules are
 * unchanged; accepted rules still pass bt_rules_validate. */
#include "bt-backtest.h"
#include "bt-base.h"
#include "bt-rules.h"
#include "fuzz-common.h"

static void
check_unchanged (const BtRules *before,
                 const BtRules *after,
                 const char    *what)
{
  if (memcmp (before, after, sizeof *before) != 0)
    {
      g_printerr ("%s failed but changed the rules\n", what);
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  BtRules rules, before;
  GError *error = NULL;
  gboolean ok;

  bt_rules_init_default (&rules);
  if (size > 0 && data[0] == '{')
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object = fuzz_json_object (parser, data, size);

      if (object == NULL)
        return 0;
      memcpy (&before, &rules, sizeof rules);
      ok = bt_rules_merge_json (&rules, object, &error);
      fuzz_check_error (ok, error, "the saved rules");
      if (!ok)
        check_unchanged (&before, &rules, "the saved rules");
      else if (!bt_rules_validate (&rules, NULL))
        {
          g_printerr ("merged rules that do not validate\n");
          abort ();
        }
      g_clear_error (&error);
      return 0;
    }
  {
    g_auto(GStrv) lines = g_strsplit (text, "\n", 16);
    BtBacktestConfig config;

    bt_backtest_config_init_default (&config);
    for (guint i = 0; lines[i] != NULL; i++)
      {
        char *eq = strchr (lines[i], '=');
        BtBacktestConfig config_before;

        if (eq == NULL)
          continue;
        *eq = '\0';
        memcpy (&before, &rules, sizeof rules);
        ok = bt_rules_set (&rules, lines[i], eq + 1, &error);
        fuzz_check_error (ok, error, "a rule");
        if (!ok)
          check_unchanged (&before, &rules, "a rule");
        g_clear_error (&error);

        memcpy (&config_before, &config, sizeof config);
        ok = bt_backtest_config_set (&config, lines[i], eq + 1, &error);
        fuzz_check_error (ok, error, "a backtest setting");
        if (!ok && memcmp (&config_before, &config, sizeof config) != 0)
          {
            g_printerr ("a backtest setting failed but changed the configuration\n");
            abort ();
          }
        g_clear_error (&error);
      }
  }
  return 0;
}
