/* fuzz-backtest-config.c: a backtest configuration file (`backtest
 * --config FILE`, BACKTEST.md) through bt_backtest_config_from_json, as
 * the command line reads it.  A configuration that is accepted and valid
 * is written back as JSON and read again to the same configuration. */
#include "bt-backtest.h"
#include "bt-base.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  /* as `backtest --config` reads a file: one JSON value, an object */
  JsonObject *object = fuzz_json_object (parser, data, size);
  BtBacktestConfig config;
  GError *error = NULL;
  gboolean ok;

  if (object == NULL)
    return 0;
  bt_backtest_config_init_default (&config);
  ok = bt_backtest_config_from_json (&config, object, &error);
  fuzz_check_error (ok, error, "the configuration");
  g_clear_error (&error);
  if (!ok)
    return 0;
  ok = bt_backtest_config_validate (&config, NULL, &error);
  fuzz_check_error (ok, error, "the configuration's check");
  g_clear_error (&error);
  if (ok)
    {
      g_autofree char *json = bt_backtest_config_to_json (&config);
      g_autofree char *again_json = NULL;
      g_autoptr(JsonParser) again = json_parser_new ();
      BtBacktestConfig copy;

      if (!json_parser_load_from_data (again, json, -1, NULL))
        {
          g_printerr ("the configuration's own JSON does not parse: %s\n", json);
          abort ();
        }
      bt_backtest_config_init_default (&copy);
      if (!bt_backtest_config_from_json (&copy, json_node_get_object (json_parser_get_root (again)), &error))
        {
          g_printerr ("the configuration's own JSON is refused: %s\n%s\n", error->message, json);
          abort ();
        }
      again_json = bt_backtest_config_to_json (&copy);
      if (strcmp (json, again_json) != 0)
        {
          g_printerr ("the configuration changes on a round trip:\n%s\n%s\n", json, again_json);
          abort ();
        }
    }
  return 0;
}
