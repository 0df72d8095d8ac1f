/* bt-preferences-window.h: BTC Turbo's preferences (AdwPreferencesWindow). */
#pragma once

#include <adwaita.h>

#include "bt-engine.h"

G_BEGIN_DECLS

#define BT_TYPE_PREFERENCES_WINDOW (bt_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (BtPreferencesWindow, bt_preferences_window, BT, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

BtPreferencesWindow *bt_preferences_window_new        (GSettings           *settings);
/* Add the Rules page (weights, bands, decision thresholds, alert rules)
 * editing ENGINE's rules, and the keyring tokens.  Rule fields are applied
 * with bt_preferences_window_apply_text (self, "rules:KEY", text), KEY as
 * in bt_rules_set() (e.g. "thresholds.min_confidence", "bands.rsi_weekly"). */
void                 bt_preferences_window_set_engine (BtPreferencesWindow *self,
                                                       BtEngine            *engine);

G_END_DECLS
