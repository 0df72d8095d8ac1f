/* bt-preferences-window.h: BTC Turbo's preferences (AdwPreferencesWindow). */
#pragma once

#include <adwaita.h>

#include "bt-engine.h"

G_BEGIN_DECLS

#define BT_TYPE_PREFERENCES_WINDOW (bt_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (BtPreferencesWindow, bt_preferences_window, BT, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

BtPreferencesWindow *bt_preferences_window_new        (GSettings           *settings);
/* Type TEXT into the field KEY ("daily-report-time", "base-url:SOURCE" or,
 * once an engine is set, "wallet": a wallet address to add)
 * and apply it, as a user pressing Enter would.  Returns whether it was
 * valid and saved; an invalid value shows an inline error and saves nothing. */
gboolean             bt_preferences_window_apply_text (BtPreferencesWindow *self,
                                                       const char          *key,
                                                       const char          *text);
/* Add the Rules page (weights, bands, decision thresholds, alert rules)
 * editing ENGINE's rules, and the keyring tokens.  Rule fields are applied
 * with bt_preferences_window_apply_text (self, "rules:KEY", text), KEY as
 * in bt_rules_set() (e.g. "thresholds.min_confidence", "bands.rsi_weekly"). */
void                 bt_preferences_window_set_engine (BtPreferencesWindow *self,
                                                       BtEngine            *engine);
/* Remove a wallet from the store (the Wallets group's remove button). */
gboolean             bt_preferences_window_remove_wallet (BtPreferencesWindow *self,
                                                          const char          *address);
/* Rows of the Wallets group (one per stored wallet). */
guint                bt_preferences_window_get_n_wallets (BtPreferencesWindow *self);
/* The text shown in the field KEY (keys as in apply_text), NULL when there
 * is no such field.  Numbers follow the locale: "1,25", bands
 * "0,5:100; 0,8:85" in pt_BR. */
const char          *bt_preferences_window_get_text   (BtPreferencesWindow *self,
                                                       const char          *key);
/* The inline error shown, NULL when none. */
const char          *bt_preferences_window_get_error  (BtPreferencesWindow *self);

G_END_DECLS
