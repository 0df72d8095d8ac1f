/* bt-position-page-internal.h: what the files of the Position page share. */
#pragma once

#include "bt-position-page-private.h"

#include <adwaita.h>

#include "bt-aave.h"
#include "bt-base.h"
#include "bt-chart-view.h"
#include "bt-position-page.h"
#include "bt-store-positions.h"
#include "bt-stress.h"

G_BEGIN_DECLS

enum { ROW_HF, ROW_LIQ_PRICE, ROW_DISTANCE, ROW_COLLATERAL, ROW_DEBT, ROW_LEVERAGE, ROW_RISK, N_ROWS };

typedef struct
{
  char          *address;
  AdwExpanderRow *row;
  AdwActionRow  *rows[N_ROWS];
  GtkLabel      *values[N_ROWS];
  gboolean       has_reading;
  BtPositionState state;        /* the latest reading */
} Wallet;

struct _BtPositionPage
{
  BtPage               parent_instance;

  AdwPreferencesGroup *wallets_group;
  AdwEntryRow         *address_entry;
  GtkLabel            *error_label;
  GtkScrolledWindow   *scroller;
  AdwPreferencesGroup *cockpit_group;
  GtkButton           *save_button;
  AdwEntryRow         *name_entry;
  AdwEntryRow         *collateral_entry;
  GtkDropDown         *unit_dropdown;
  AdwEntryRow         *debt_entry;
  AdwEntryRow         *lt_entry;
  AdwActionRow        *now_row;
  GtkLabel            *cockpit_error_label;
  AdwPreferencesGroup *saved_group;
  AdwPreferencesGroup *whatif_group;
  AdwEntryRow         *price_change_entry;
  AdwPreferencesGroup *leverage_group;
  AdwEntryRow         *leverage_entry;
  AdwPreferencesGroup *stress_group;
  BtChartView         *chart;

  GtkLabel            *price_values[BT_POSITION_PRICE_N];
  AdwActionRow        *trade_row;
  GtkLabel            *leverage_values[BT_POSITION_LEVERAGE_N];
  AdwActionRow        *stress_rows[BT_STRESS_N_WINDOWS];
  GtkLabel            *stress_share[BT_STRESS_N_WINDOWS];
  GtkLabel            *stress_safe[BT_STRESS_N_WINDOWS];

  GPtrArray           *wallets;   /* Wallet */
  GPtrArray           *saved;     /* BtManualPosition, as stored */
  GPtrArray           *saved_rows;/* AdwActionRow, parallel to saved */
  gint64               loaded_id; /* the saved position in the cockpit, 0: none */
  char                *reading_error; /* the Ethereum reader's last error while failing */
  BtDay                price_day;
  double               price;     /* the latest close, NAN when none */
  char                *stress_summary;
  gboolean             loading;   /* filling the entries: no recompute per keystroke */

  double              *value;
  double              *drawdown;
};

enum { WALLET_ADDED, WALLET_REMOVED, N_SIGNALS };
enum { PROP_0, PROP_STRESS_SUMMARY, N_PROPS };

extern guint bt_position_page_signals[N_SIGNALS];
extern GParamSpec *bt_position_page_props[N_PROPS];

/* shared by the wallets and chart (bt-position-page.c) and the cockpit
 * (bt-position-cockpit.c) */

Wallet *
_bt_position_page_find_wallet (BtPositionPage *self,
                               const char     *address);

char *
_bt_position_page_short_address (const char *address);

void
_bt_position_page_update_cockpit (BtPositionPage *self);

void
_bt_position_page_on_cockpit_changed_cb (GtkWidget      *widget,
                                         BtPositionPage *self);

void
_bt_position_page_on_unit_changed_cb (GObject        *object,
                                      GParamSpec     *pspec,
                                      BtPositionPage *self);

void
_bt_position_page_load_wallet (BtPositionPage *self,
                               Wallet         *wallet,
                               gboolean        scroll);

void
_bt_position_page_load_saved (BtPositionPage         *self,
                              const BtManualPosition *position);

gboolean
_bt_position_page_same_saved (GPtrArray *a,
                              GPtrArray *b);

void
_bt_position_page_rebuild_saved (BtPositionPage *self);

void
_bt_position_page_on_save_clicked_cb (GtkButton      *button,
                                      BtPositionPage *self);

void
_bt_position_page_on_status_changed_cb (BtScheduler    *scheduler,
                                        int             source,
                                        BtPositionPage *self);

void
_bt_position_page_build_cockpit_rows (BtPositionPage *self);

G_END_DECLS
