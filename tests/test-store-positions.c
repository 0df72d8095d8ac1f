/* test-store-positions.c: positions entered by hand (manual_positions):
 * saved, listed, updated and removed; bad input refused with nothing
 * written; a database of the previous schema upgraded with its data kept. */
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "bt-store.h"
#include "bt-store-positions.h"
#include "bt-test-util.h"

/* A new position with these values (NAN: not given). */
static BtManualPosition *
position_new (const char *name,
              double      collateral_btc,
              double      collateral_usd,
              double      debt_usd,
              double      liquidation_threshold)
{
  BtManualPosition *p = bt_manual_position_new ();

  p->name = g_strdup (name);
  p->collateral_btc = collateral_btc;
  p->collateral_usd = collateral_usd;
  p->debt_usd = debt_usd;
  p->liquidation_threshold = liquidation_threshold;
  return p;
}

static void
test_save_list_remove (void)
{
  g_autofree char *path = bt_test_temp_db ("bt-store-positions-XXXXXX");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  BtManualPosition *p;
  gint64 a, b;

  {
    g_autoptr(BtStore) store = bt_store_open (path, &error);
    g_autoptr(BtManualPosition) btc = position_new ("  Cold wallet loan ", 1.5, NAN, 30000, 0.78);
    g_autoptr(BtManualPosition) usd = position_new ("Exchange", NAN, 100000, 40000, 0.8);

    g_assert_no_error (error);
    a = bt_store_save_manual_position (store, btc, &error);
    g_assert_no_error (error);
    g_assert_cmpint (a, >, 0);

    b = bt_store_save_manual_position (store, usd, &error);
    g_assert_no_error (error);
    g_assert_cmpint (b, >, a);
  }

  /* reopened: both there, in the order added, the name trimmed */
  {
    g_autoptr(BtStore) store = bt_store_open (path, &error);

    g_assert_no_error (error);
    list = bt_store_list_manual_positions (store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 2);
    p = g_ptr_array_index (list, 0);
    g_assert_cmpint (p->id, ==, a);
    g_assert_cmpstr (p->name, ==, "Cold wallet loan");
    g_assert_cmpfloat (p->collateral_btc, ==, 1.5);
    g_assert_true (isnan (p->collateral_usd));
    g_assert_cmpfloat (p->debt_usd, ==, 30000);
    g_assert_cmpfloat (p->liquidation_threshold, ==, 0.78);
    /* 1.5 BTC at 60 000 USD */
    g_assert_cmpfloat (bt_manual_position_collateral_at (p, 60000), ==, 90000);
    p = g_ptr_array_index (list, 1);
    g_assert_cmpint (p->id, ==, b);
    g_assert_true (isnan (p->collateral_btc));
    g_assert_cmpfloat (bt_manual_position_collateral_at (p, 60000), ==, 100000);

    /* update in place */
    {
      g_autoptr(BtManualPosition) edit = bt_manual_position_copy (p);

      edit->collateral_usd = NAN;
      edit->collateral_btc = 2;
      edit->debt_usd = 0;
      g_assert_cmpint (bt_store_save_manual_position (store, edit, &error), ==, b);
      g_assert_no_error (error);
      edit->id = 9999;
      g_assert_cmpint (bt_store_save_manual_position (store, edit, &error), ==, 0);
      g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }
    g_clear_pointer (&list, g_ptr_array_unref);
    list = bt_store_list_manual_positions (store, &error);
    g_assert_cmpuint (list->len, ==, 2);
    p = g_ptr_array_index (list, 1);
    g_assert_cmpfloat (p->collateral_btc, ==, 2);
    g_assert_true (isnan (p->collateral_usd));
    g_assert_cmpfloat (p->debt_usd, ==, 0);

    g_assert_true (bt_store_remove_manual_position (store, a, &error));
    g_assert_no_error (error);
    g_assert_false (bt_store_remove_manual_position (store, a, &error));
    g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_clear_pointer (&list, g_ptr_array_unref);
    list = bt_store_list_manual_positions (store, &error);
    g_assert_cmpuint (list->len, ==, 1);
    g_assert_cmpint (((BtManualPosition *) g_ptr_array_index (list, 0))->id, ==, b);
  }
  bt_test_remove_db (path);
}

static void
test_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BtStore) store = bt_store_open (":memory:", &error);
  g_autoptr(GPtrArray) list = NULL;
  struct { const char *name; double btc, usd, debt, lt; } bad[] = {
    { "", 1, NAN, 0, 0.78 },          /* no name */
    { "   ", 1, NAN, 0, 0.78 },
    { "x", 1, 1000, 0, 0.78 },        /* both collaterals */
    { "x", NAN, NAN, 0, 0.78 },       /* none */
    { "x", -1, NAN, 0, 0.78 },        /* negative */
    { "x", INFINITY, NAN, 0, 0.78 },
    { "x", 1, NAN, -5, 0.78 },
    { "x", 1, NAN, NAN, 0.78 },
    { "x", 1, NAN, 0, 0 },            /* threshold outside (0, 1) */
    { "x", 1, NAN, 0, 1 },
    { "x", 1, NAN, 0, NAN },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(BtManualPosition) p = position_new (bad[i].name, bad[i].btc, bad[i].usd,
                                                    bad[i].debt, bad[i].lt);

      g_assert_cmpint (bt_store_save_manual_position (store, p, &error), ==, 0);
      g_assert_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID);
      g_assert_null (strchr (error->message, '\n'));
      g_clear_error (&error);
    }
  list = bt_store_list_manual_positions (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
}

/* A database written before the table existed is upgraded and keeps what
 * it held. */
static void
test_upgrade_keeps_data (void)
{
  g_autofree char *path = bt_test_temp_db ("bt-store-positions-XXXXXX");
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  {
    g_autoptr(BtStore) store = bt_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_true (bt_store_add_wallet (store, "0x52908400098527886e0f7030069857d2e4169ee7", "w", &error));
  }
  /* back to the schema before the table (its migration is the latest):
   * the table gone, the version lowered by one */
  {
    g_autofree char *sql = g_strdup_printf ("DROP TABLE manual_positions; PRAGMA user_version = %d;",
                                            BT_STORE_SCHEMA_VERSION - 1);

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }

  {
    g_autoptr(BtStore) store = bt_store_open (path, &error);
    g_autoptr(GPtrArray) wallets = NULL;
    g_autoptr(GPtrArray) list = NULL;

    g_assert_no_error (error);
    wallets = bt_store_list_wallets (store, &error);
    g_assert_cmpuint (wallets->len, ==, 1);
    list = bt_store_list_manual_positions (store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 0);
  }
  bt_test_remove_db (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/store-positions/save-list-remove", test_save_list_remove);
  g_test_add_func ("/core/store-positions/invalid", test_invalid);
  g_test_add_func ("/core/store-positions/upgrade-keeps-data", test_upgrade_keeps_data);
  return g_test_run ();
}
