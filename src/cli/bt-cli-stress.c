/* bt-cli-stress.c: stress — the position's distance to liquidation against
 * the worst falls of the stored history (bt-stress.h, README "stress"). */
#define G_LOG_DOMAIN "bt-cli"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "bt-base.h"
#include "bt-cli.h"
#include "bt-json.h"
#include "bt-engine.h"
#include "bt-stress.h"

/* VALUE with two decimals and SUFFIX; "—" when unknown, "any" for +∞ */
static char *
format_or_dash (double      value,
                const char *suffix)
{
  if (!isfinite (value))
    return g_strdup (isinf (value) && value > 0 ? _("any") : "—");
  return g_strdup_printf ("%.2f%s", value, suffix);
}

int
bt_cli_cmd_stress (BtCli  *cli,
                   int     argc,
                   char  **argv)
{
  BtCliPositionOptions po = { .require_position = TRUE };
  gboolean as_json = FALSE;
  BtCliOption options[] = {
    BT_CLI_POSITION_OPTIONS (po, as_json),
  };
  g_autoptr(BtEngine) engine = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  BtCliPosition loaded;
  BtStressResult r;
  double leverage = NAN;
  char date[11], start[11];
  BtJson w;
  int status;

  if (!bt_cli_parse_options ("stress", argc, argv, options, G_N_ELEMENTS (options), NULL, 0, NULL))
    return BT_CLI_USAGE;
  status = bt_cli_load_position (cli, "stress", &po, &loaded);
  if (status != BT_CLI_OK)
    return status;
  engine = loaded.engine;

  if (!bt_stress_compute (bt_engine_get_history (engine), loaded.day, loaded.collateral_usd,
                          loaded.debt_usd, loaded.liquidation_threshold, loaded.health_factor,
                          &r, &error))
    {
      bt_cli_error ("stress: %s", error->message);
      return BT_CLI_FAILED;
    }
  if (loaded.collateral_usd > loaded.debt_usd && loaded.collateral_usd > 0)
    leverage = loaded.collateral_usd / (loaded.collateral_usd - MAX (loaded.debt_usd, 0));
  bt_day_format (r.day, date);

  if (!as_json)
    {
      g_autofree char *hf = format_or_dash (r.health_factor, "");
      g_autofree char *lp = format_or_dash (r.liquidation_price, "");
      g_autofree char *ld = format_or_dash (r.liquidation_distance, " %");

      g_string_append_printf (out, _("Liquidation stress for %s (BTC %.2f USD)\n"), date, r.price);
      g_string_append_printf (out, _("  collateral %.2f USD, debt %.2f USD, leverage %.2f×, health factor %s\n"),
                              loaded.collateral_usd, loaded.debt_usd, leverage, hf);
      g_string_append_printf (out, _("  liquidation price %s USD, distance %s\n\n"), lp, ld);
      /* Translators: the header of the stress table; keep the columns aligned with the rows */
      g_string_append (out, _("  days  worst fall  from        liquidating windows  safe leverage\n"));
      for (guint k = 0; k < BT_STRESS_N_WINDOWS; k++)
        {
          const BtStressWindow *win = &r.windows[k];
          g_autofree char *fall = format_or_dash (win->worst_fall, " %");
          g_autofree char *share = format_or_dash (win->exceed_share, " %");
          g_autofree char *safe = format_or_dash (win->safe_leverage, "×");

          g_string_append_printf (out, "  %4u  %10s  %-10s  %19s  %13s\n", win->days, fall,
                                  win->worst_start != BT_DAY_INVALID
                                    ? bt_day_format (win->worst_start, start) : "—",
                                  share, safe);
        }
      bt_cli_write_out (out);
      return BT_CLI_OK;
    }

  bt_json_init (&w, out);
  bt_json_begin_object (&w);
  bt_json_kv_string (&w, "date", date);
  bt_json_kv_number (&w, "btc_price", r.price);
  bt_json_kv_number (&w, "collateral_usd", loaded.collateral_usd);
  bt_json_kv_number (&w, "debt_usd", loaded.debt_usd);
  bt_json_kv_number (&w, "liquidation_threshold", r.liquidation_threshold);
  bt_json_kv_number (&w, "leverage", leverage);
  bt_json_kv_number (&w, "health_factor", r.health_factor);
  bt_json_kv_number (&w, "liquidation_price", r.liquidation_price);
  bt_json_kv_number (&w, "liquidation_distance", r.liquidation_distance);
  bt_json_key (&w, "windows");
  bt_json_begin_array (&w);
  for (guint k = 0; k < BT_STRESS_N_WINDOWS; k++)
    {
      const BtStressWindow *win = &r.windows[k];

      bt_json_begin_object (&w);
      bt_json_kv_int (&w, "days", win->days);
      bt_json_kv_number (&w, "worst_fall", win->worst_fall);
      bt_json_kv_string (&w, "worst_start", win->worst_start != BT_DAY_INVALID
                                              ? bt_day_format (win->worst_start, start) : NULL);
      bt_json_kv_number (&w, "exceed_share", win->exceed_share);
      /* null when no window counts, or when any leverage survived */
      bt_json_kv_number (&w, "safe_leverage", win->safe_leverage);
      bt_json_kv_int (&w, "windows", win->n_windows);
      bt_json_end_object (&w);
    }
  bt_json_end_array (&w);
  bt_json_end_object (&w);
  g_string_append_c (out, '\n');
  bt_cli_write_out (out);
  return BT_CLI_OK;
}
