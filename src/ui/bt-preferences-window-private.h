/* bt-preferences-window-private.h: what bt-preferences-window.c declares for
 * its own use and for the tests only; not part of the public API in
 * bt-preferences-window.h. */
#pragma once

#include "bt-preferences-window.h"

G_BEGIN_DECLS

/* Type TEXT into the field KEY ("daily-report-time", "base-url:SOURCE" or,
 * once an engine is set, "wallet": a wallet address to add)
 * and apply it, as a user pressing Enter would.  Returns whether it was
 * valid and saved; an invalid value shows an inline error and saves nothing. */
gboolean             bt_preferences_window_apply_text (BtPreferencesWindow *self,
                                                       const char          *key,
                                                       const char          *text);

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
