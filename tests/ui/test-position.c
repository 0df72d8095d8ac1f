/* test-position.c: the Position page's cockpit under a display: a position
 * typed by hand, its what-if figures against hand-worked values, saving and
 * loading it, the stress panel's rows against the core's computation (a
 * hand-worked series, and the real Binance history when present), the
 * wallet's reading error and the checksum message. */
#define G_LOG_DOMAIN "bt-test"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "bt-base.h"
#include "bt-engine.h"
#include "bt-import.h"
#include "bt-position-page.h"
#include "bt-position-page-private.h"
#include "bt-rules.h"
#include "bt-scoring.h"
#include "bt-store-positions.h"
#include "bt-stress.h"
#include "bt-ui-util.h"
#include "test-ui-common.h"

typedef struct
{
  char           *dir;
  BtStore        *store;
  BtEngine       *engine;
  GtkWindow      *window;
  BtPositionPage *page;
} Fixture;

/* Six days from 2024-01-01 (the series of test-stress.c × 500):
 *   close  50 000  45 000  40 000  60 000  30 000  50 000
 *   low    47 500  42 500  40 000  55 000  25 000  49 500 */
static const char small_csv[] =
  "Date,Open,High,Low,Close,Volume\n"
  "2024-01-01,50000,50000,47500,50000,1\n"
  "2024-01-02,50000,50000,42500,45000,1\n"
  "2024-01-03,45000,45000,40000,40000,1\n"
  "2024-01-04,40000,60000,40000,60000,1\n"
  "2024-01-05,60000,60000,25000,30000,1\n"
  "2024-01-06,49500,50000,49500,50000,1\n";

static void
fixture_open (Fixture    *f,
              const char *csv_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *csv = NULL;

  f->dir = g_dir_make_tmp ("bt-position-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (f->dir, "test.sqlite", NULL);
  f->store = bt_store_open (db, &error);
  g_assert_no_error (error);
  if (csv_path == NULL)
    {
      csv = g_build_filename (f->dir, "small.csv", NULL);
      g_assert_true (g_file_set_contents (csv, small_csv, -1, &error));
      csv_path = csv;
    }
  bt_import_file (f->store, csv_path, BT_IMPORT_FORMAT_AUTO, NULL, &error);
  g_assert_no_error (error);
  f->engine = bt_engine_new (f->store);
  g_assert_true (bt_engine_refresh (f->engine, &error));
  g_assert_no_error (error);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 800);
  {
    g_autoptr(BtContext) context = bt_context_new (f->engine, NULL);

    f->page = g_object_new (BT_TYPE_POSITION_PAGE, "context", context, NULL);
  }
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  test_ui_wait_drawn (GTK_WIDGET (f->window));
}

static void
fixture_close (Fixture *f)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  gtk_window_destroy (f->window);
  test_ui_spin (20);
  g_clear_object (&f->engine);
  g_clear_object (&f->store);
  d = g_dir_open (f->dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* C = 100 000 USD, B = 40 000, LT = 0.8 at the last close, 50 000:
 * HF 2, liquidation price 25 000, distance 50 %, leverage 100/60 = 1.67 */
static void
test_whatif_by_hand (void)
{
  static const struct
  {
    const char *collateral, *debt, *threshold;
    const char *error;
  } bad[] = {
    { "2", "100000", "0.8", "The debt must stay below the collateral" },
    { "2", "1000", "1.3", "The liquidation threshold must lie between 0 and 1 (e.g. 0.78)" },
    { "two", "1000", "0.8", "Type the collateral as a positive number" },
  };
  Fixture f = { 0 };

  fixture_open (&f, NULL);
  g_assert_cmpstr (bt_position_page_get_now_text (f.page), ==,
                   "Enter the collateral, the debt and the liquidation threshold");

  bt_position_page_enter_position (f.page, "Test", "100000", FALSE, "40000", "0.8");
  g_assert_null (bt_position_page_get_cockpit_error (f.page));
  g_assert_cmpstr (bt_position_page_get_now_text (f.page), ==,
                   "Leverage 1.67× · health factor 2.00 · liquidation at $25,000, 50.0 % away");

  /* −20 %: 40 000, C' 80 000, HF 80 000·0.8/40 000 = 1.60; the liquidation
   * price does not move; distance 1 − 1/1.6 = 37.5 % */
  bt_position_page_set_price_change (f.page, "-20");
  g_assert_cmpstr (bt_position_page_get_price_value (f.page, BT_POSITION_PRICE_PRICE), ==, "$40,000");
  g_assert_cmpstr (bt_position_page_get_price_value (f.page, BT_POSITION_PRICE_HEALTH_FACTOR), ==, "1.60");
  g_assert_cmpstr (bt_position_page_get_price_value (f.page, BT_POSITION_PRICE_LIQUIDATION_PRICE), ==, "$25,000");
  g_assert_cmpstr (bt_position_page_get_price_value (f.page, BT_POSITION_PRICE_DISTANCE), ==, "37.5 %");
  /* as typed: a typographic minus and a percent sign; −60 % is past it */
  bt_position_page_set_price_change (f.page, "−60 %");
  g_assert_cmpstr (bt_position_page_get_price_value (f.page, BT_POSITION_PRICE_PRICE), ==, "$20,000");
  g_assert_cmpstr (bt_position_page_get_price_value (f.page, BT_POSITION_PRICE_HEALTH_FACTOR), ==, "0.80");
  g_assert_cmpstr (bt_position_page_get_price_value (f.page, BT_POSITION_PRICE_DISTANCE), ==, "Liquidated");

  /* to 2×: equity 60 000, C* 120 000, B* 60 000: borrow 20 000 and buy
   * 20 000/50 000 = 0.4 BTC; HF 1.60; liquidation 50 000/1.6 = 31 250 */
  bt_position_page_set_target_leverage (f.page, "2");
  g_assert_cmpstr (bt_position_page_get_trade_text (f.page), ==, "Borrow $20,000 and buy 0.4000 BTC");
  g_assert_cmpstr (bt_position_page_get_leverage_value (f.page, BT_POSITION_LEVERAGE_COLLATERAL), ==, "$120,000");
  g_assert_cmpstr (bt_position_page_get_leverage_value (f.page, BT_POSITION_LEVERAGE_DEBT), ==, "$60,000");
  g_assert_cmpstr (bt_position_page_get_leverage_value (f.page, BT_POSITION_LEVERAGE_HEALTH_FACTOR), ==, "1.60");
  g_assert_cmpstr (bt_position_page_get_leverage_value (f.page, BT_POSITION_LEVERAGE_LIQUIDATION_PRICE), ==, "$31,250");
  g_assert_cmpstr (bt_position_page_get_leverage_value (f.page, BT_POSITION_LEVERAGE_DISTANCE), ==, "37.5 %");

  /* to 1.2×: C* 72 000, B* 12 000: sell 28 000 USD = 0.56 BTC */
  bt_position_page_set_target_leverage (f.page, "1.2×");
  g_assert_cmpstr (bt_position_page_get_trade_text (f.page), ==, "Sell 0.5600 BTC and repay $28,000");
  /* 5× = 1/(1 − 0.8) would be liquidated at once */
  bt_position_page_set_target_leverage (f.page, "5");
  g_assert_cmpstr (bt_position_page_get_trade_text (f.page), ==, "Choose a leverage from 1× to below 5.00×");
  g_assert_cmpstr (bt_position_page_get_leverage_value (f.page, BT_POSITION_LEVERAGE_HEALTH_FACTOR), ==, "—");

  /* the same position in BTC: 2 BTC at 50 000 */
  bt_position_page_enter_position (f.page, "Test", "2", TRUE, "40000", "0.8");
  g_assert_cmpstr (bt_position_page_get_now_text (f.page), ==,
                   "Leverage 1.67× · health factor 2.00 · liquidation at $25,000, 50.0 % away");

  /* bad input: a clear line, nothing computed */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      bt_position_page_enter_position (f.page, "Test", bad[i].collateral, TRUE, bad[i].debt, bad[i].threshold);
      g_assert_cmpstr (bt_position_page_get_cockpit_error (f.page), ==, bad[i].error);
      g_assert_cmpstr (bt_position_page_get_price_value (f.page, BT_POSITION_PRICE_HEALTH_FACTOR), ==, "—");
    }

  fixture_close (&f);
}

/* The stress rows of the six days above, by hand (test-stress.c): for
 * 1 day the worst fall is 1 − 25 000/60 000 = 58.33 % from 4 Jan, one of
 * five windows reaches 50 % (20 %), safe below 1/(1 − (5/12)·0.8) = 1.5×;
 * for 3 days 1 − 25 000/45 000 = 44.44 % from 2 Jan, none, 1/(5/9) = 1.8×;
 * 7 and 30 days: not enough history. */
static void
test_stress_by_hand (void)
{
  Fixture f = { 0 };
  const char *subtitle, *share, *safe;

  fixture_open (&f, NULL);
  bt_position_page_enter_position (f.page, "Test", "100000", FALSE, "40000", "0.8");

  bt_position_page_get_stress_row (f.page, 0, &subtitle, &share, &safe);
  g_assert_cmpstr (subtitle, ==, "Worst fall 58.33 %, from 4 Jan 2024");
  g_assert_cmpstr (share, ==, "20.00 % liquidated");
  g_assert_cmpstr (safe, ==, "survived below 1.50×");
  bt_position_page_get_stress_row (f.page, 2, &subtitle, &share, &safe);
  g_assert_cmpstr (subtitle, ==, "Worst fall 44.44 %, from 2 Jan 2024");
  g_assert_cmpstr (share, ==, "0.00 % liquidated");
  g_assert_cmpstr (safe, ==, "survived below 1.80×");
  bt_position_page_get_stress_row (f.page, 3, &subtitle, &share, &safe);
  g_assert_cmpstr (subtitle, ==, "Not enough history");
  g_assert_cmpstr (share, ==, "");

  /* without debt: the falls, nothing liquidated, no share shown */
  bt_position_page_enter_position (f.page, "Test", "100000", FALSE, "0", "0.8");
  bt_position_page_get_stress_row (f.page, 0, &subtitle, &share, &safe);
  g_assert_cmpstr (subtitle, ==, "Worst fall 58.33 %, from 4 Jan 2024");
  g_assert_cmpstr (share, ==, "");
  g_assert_cmpstr (safe, ==, "survived below 1.50×");

  fixture_close (&f);
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* The rows against the core's own computation on the real history. */
static void
test_stress_real_history (void)
{
  const char *data = g_getenv ("BT_SHARED_DATA");
  g_autofree char *csv = data != NULL ? g_build_filename (data, "binance-btcusdt-1d-2017-2026.csv", NULL) : NULL;
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };
  BtStressResult r;
  BtDay last;
  guint notified = 0;

  if (csv == NULL || !g_file_test (csv, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the Binance history is absent");
      return;
    }
  fixture_open (&f, csv);
  g_signal_connect (f.page, "notify::stress-summary", G_CALLBACK (on_notify_cb), &notified);
  last = bt_engine_get_last_day (f.engine);
  bt_position_page_enter_position (f.page, "Real", "100000", FALSE, "40000", "0.78");
  g_assert_true (bt_stress_compute (bt_engine_get_history (f.engine), last, 100000, 40000, 0.78,
                                    NAN, &r, &error));
  g_assert_no_error (error);
  for (guint k = 0; k < BT_STRESS_N_WINDOWS; k++)
    {
      const char *subtitle, *share, *safe;
      g_autofree char *fall = bt_ui_format_percent (r.windows[k].worst_fall, 2);
      g_autofree char *start = bt_ui_format_day (r.windows[k].worst_start);
      g_autofree char *pct = bt_ui_format_percent (r.windows[k].exceed_share, 2);
      g_autofree char *lev = bt_ui_format_leverage (r.windows[k].safe_leverage);
      g_autofree char *want_subtitle = g_strdup_printf ("Worst fall %s, from %s", fall, start);
      g_autofree char *want_share = g_strdup_printf ("%s liquidated", pct);
      g_autofree char *want_safe = g_strdup_printf ("survived below %s", lev);

      g_assert_cmpuint (r.windows[k].n_windows, >, 2000);
      bt_position_page_get_stress_row (f.page, k, &subtitle, &share, &safe);
      g_assert_cmpstr (subtitle, ==, want_subtitle);
      g_assert_cmpstr (share, ==, want_share);
      g_assert_cmpstr (safe, ==, want_safe);
    }
  /* the worst day of the history: 12 March 2020, from the close of the 11th */
  {
    const char *subtitle;

    bt_position_page_get_stress_row (f.page, 0, &subtitle, NULL, NULL);
    g_assert_cmpstr (subtitle, ==, "Worst fall 44.42 %, from 11 Mar 2020");
  }
  /* the Dashboard's line names the worst week against this position */
  g_assert_cmpuint (notified, >=, 1);
  g_assert_nonnull (bt_position_page_get_stress_summary (f.page));
  g_assert_nonnull (strstr (bt_position_page_get_stress_summary (f.page), "58.6 %"));
  fixture_close (&f);
}

static void
test_save_and_load (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  BtManualPosition *p;

  fixture_open (&f, NULL);
  bt_position_page_enter_position (f.page, "Cold loan", "1.5", TRUE, "30000", "0.78");
  g_assert_true (bt_position_page_save_position (f.page, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bt_position_page_get_n_saved (f.page), ==, 1);

  /* in the database, as typed */
  stored = bt_store_list_manual_positions (f.store, &error);
  g_assert_cmpuint (stored->len, ==, 1);
  p = g_ptr_array_index (stored, 0);
  g_assert_cmpstr (p->name, ==, "Cold loan");
  g_assert_cmpfloat (p->collateral_btc, ==, 1.5);
  g_assert_true (isnan (p->collateral_usd));
  g_assert_cmpfloat (p->debt_usd, ==, 30000);
  g_assert_cmpfloat (p->liquidation_threshold, ==, 0.78);

  /* a second page over the same engine (the window opened again) shows
   * it; loading it fills the cockpit: 1.5 × 50 000 = 75 000 against 30 000:
   * leverage 75/45, HF 75 000·0.78/30 000 = 1.95, liquidation 50 000/1.95 */
  {
    g_autoptr(BtContext) context = bt_context_new (f.engine, NULL);
    BtPositionPage *other = g_object_new (BT_TYPE_POSITION_PAGE, "context", context, NULL);

    g_object_ref_sink (other);
    g_assert_cmpuint (bt_position_page_get_n_saved (other), ==, 1);
    bt_position_page_load_saved (other, 0);
    g_assert_cmpstr (bt_position_page_get_now_text (other), ==,
                     "Leverage 1.67× · health factor 1.95 · liquidation at $25,641, 48.7 % away");
    g_object_unref (other);
  }

  /* loaded, the debt changed, saved under the same name: updated in place */
  bt_position_page_load_saved (f.page, 0);
  bt_position_page_enter_position (f.page, "Cold loan", "1.5", TRUE, "25000", NULL);
  g_assert_true (bt_position_page_save_position (f.page, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bt_position_page_get_n_saved (f.page), ==, 1);
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = bt_store_list_manual_positions (f.store, &error);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpfloat (((BtManualPosition *) g_ptr_array_index (stored, 0))->debt_usd, ==, 25000);
  /* the row and a new load show the new debt (1.5 × 50 000 against 25 000:
   * leverage 75/50 = 1.5, HF 75 000·0.78/25 000 = 2.34, liquidation
   * 50 000/2.34 = 21 367.52, distance 1 − 1/2.34 = 57.26 %) */
  bt_position_page_enter_position (f.page, "", "", TRUE, "", NULL);
  bt_position_page_load_saved (f.page, 0);
  g_assert_cmpstr (bt_position_page_get_now_text (f.page), ==,
                   "Leverage 1.50× · health factor 2.34 · liquidation at $21,368, 57.3 % away");
  /* a new name adds one */
  bt_position_page_enter_position (f.page, "Second", "80000", FALSE, "10000", "0.8");
  g_assert_true (bt_position_page_save_position (f.page, &error));
  g_assert_cmpuint (bt_position_page_get_n_saved (f.page), ==, 2);
  /* a nameless one is refused, nothing added */
  bt_position_page_enter_position (f.page, "  ", "80000", FALSE, "10000", "0.8");
  g_assert_false (bt_position_page_save_position (f.page, &error));
  g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (bt_position_page_get_n_saved (f.page), ==, 2);

  /* removed with its button */
  bt_position_page_remove_saved (f.page, 0);
  g_assert_cmpuint (bt_position_page_get_n_saved (f.page), ==, 1);
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = bt_store_list_manual_positions (f.store, &error);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpstr (((BtManualPosition *) g_ptr_array_index (stored, 0))->name, ==, "Second");

  fixture_close (&f);
}

/* In a locale with a decimal comma the cockpit reads "0,8" and "1,5",
 * and a saved position (written with points) loads the same. */
static void
test_decimal_comma (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *old = g_strdup (setlocale (LC_NUMERIC, NULL));

  if (setlocale (LC_NUMERIC, "pt_BR.UTF-8") == NULL)
    {
      g_test_skip ("no pt_BR.UTF-8 locale");
      return;
    }
  fixture_open (&f, NULL);
  /* 1.5 BTC at 50 000 = 75 000 against 30 000, LT 0.8: HF 2, leverage
   * 75/45, liquidation 25 000, distance 50 % */
  bt_position_page_enter_position (f.page, "Vírgula", "1,5", TRUE, "30000", "0,8");
  g_assert_null (bt_position_page_get_cockpit_error (f.page));
  g_assert_cmpstr (bt_position_page_get_now_text (f.page), ==,
                   "Leverage 1,67× · health factor 2,00 · liquidation at $25.000, 50,0 % away");
  /* "30.000,50": the point groups, the comma is decimal */
  bt_position_page_enter_position (f.page, "Vírgula", "1,5", TRUE, "30.000,00", "0,8");
  g_assert_cmpstr (bt_position_page_get_now_text (f.page), ==,
                   "Leverage 1,67× · health factor 2,00 · liquidation at $25.000, 50,0 % away");
  g_assert_true (bt_position_page_save_position (f.page, &error));
  g_assert_no_error (error);
  bt_position_page_enter_position (f.page, "", "", TRUE, "", NULL);
  bt_position_page_load_saved (f.page, 0);
  g_assert_cmpstr (bt_position_page_get_now_text (f.page), ==,
                   "Leverage 1,67× · health factor 2,00 · liquidation at $25.000, 50,0 % away");
  fixture_close (&f);
  setlocale (LC_NUMERIC, old);
}

/* Stores the Ethereum reader's STATUS and shows the page what it stored. */
static void
put_status (Fixture              *f,
            const BtSourceStatus *status)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bt_store_put_source_status (f->store, status, &error));
  bt_position_page_refresh (f->page);
}

static void
test_wallet_error (void)
{
  const char *wallet = "0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c";
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  BtSourceStatus status = { 0 };
  BtPositionState state;
  BtRules rules;

  fixture_open (&f, NULL);
  g_assert_true (bt_position_page_add_wallet (f.page, wallet, &error));
  g_assert_cmpstr (bt_position_page_get_wallet_subtitle (f.page, wallet), ==,
                   "Waiting for the first reading");

  /* the reader failed: its stored error is shown, not "waiting" */
  status.source = BT_SOURCE_ETHEREUM;
  status.last_failure = 1700000000;
  status.failing_since = 1700000000;
  status.last_error = (char *) "No Ethereum RPC endpoint is configured";
  put_status (&f, &status);
  g_assert_cmpstr (bt_position_page_get_wallet_subtitle (f.page, wallet), ==,
                   "Reading failed: No Ethereum RPC endpoint is configured");
  status.last_failure = 1700000060;
  status.last_error = (char *) "Connection refused";
  put_status (&f, &status);
  g_assert_cmpstr (bt_position_page_get_wallet_subtitle (f.page, wallet), ==,
                   "Reading failed: Connection refused");

  /* a reading: its figures; the cockpit takes them from the wallet */
  bt_rules_init_default (&rules);
  bt_position_evaluate (100000, 40000, 0.8, NAN, 50000, &rules, &state);
  bt_position_page_set_position (f.page, wallet, &state);
  /* its figures, and that newer readings fail */
  {
    g_autofree char *risk = bt_ui_format_score (state.risk_score);
    g_autofree char *summary = g_strdup_printf ("Health factor 2.00 · Risk score %s", risk);
    g_autofree char *failing = g_strdup_printf ("%s · the latest reading failed: Connection refused", summary);

    g_assert_cmpstr (bt_position_page_get_wallet_subtitle (f.page, wallet), ==, failing);
    /* a success after the failure clears it */
    status.last_success = 1700000120;
    status.failing_since = 0;
    put_status (&f, &status);
    g_assert_cmpstr (bt_position_page_get_wallet_subtitle (f.page, wallet), ==, summary);
  }
  bt_position_page_open_wallet_in_cockpit (f.page, wallet);
  g_assert_cmpstr (bt_position_page_get_now_text (f.page), ==,
                   "Leverage 1.67× · health factor 2.00 · liquidation at $25,000, 50.0 % away");

  /* a well-formed address with a wrong EIP-55 case is a checksum error */
  g_assert_false (bt_position_page_validate_address ("0x5a0B54D5dc17e0AadC383d2db43B0a0D3E029c4c", &error));
  g_assert_error (error, BT_POSITION_PAGE_ERROR, BT_POSITION_PAGE_ERROR_CHECKSUM);
  g_assert_nonnull (strstr (error->message, "checksum"));
  g_assert_null (strstr (error->message, "40 hexadecimal digits"));
  g_clear_error (&error);
  g_assert_false (bt_position_page_validate_address ("0x1234", &error));
  g_assert_error (error, BT_POSITION_PAGE_ERROR, BT_POSITION_PAGE_ERROR_INVALID_ADDRESS);

  fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/position/whatif-by-hand", test_whatif_by_hand);
  g_test_add_func ("/ui/position/stress-by-hand", test_stress_by_hand);
  g_test_add_func ("/ui/position/stress-real-history", test_stress_real_history);
  g_test_add_func ("/ui/position/save-and-load", test_save_and_load);
  g_test_add_func ("/ui/position/decimal-comma", test_decimal_comma);
  g_test_add_func ("/ui/position/wallet-error", test_wallet_error);
  return g_test_run ();
}
