/* bt-application.h: the BTC Turbo application (AdwApplication). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BT_TYPE_APPLICATION (bt_application_get_type ())
G_DECLARE_FINAL_TYPE (BtApplication, bt_application, BT, APPLICATION, AdwApplication)

BtApplication *bt_application_new          (void);
GSettings     *bt_application_get_settings (BtApplication *self);

/* Register the GResource of the window (idempotent); widget tests call it. */
void           bt_ui_init                  (void);

G_END_DECLS
