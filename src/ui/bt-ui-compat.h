/* bt-ui-compat.h: one call for the widgets whose API changed after GTK 4.8
 * and libadwaita 1.2.
 *
 * BTC Turbo builds on Debian 12 (GTK 4.8, libadwaita 1.2) and on the newer
 * runtime of the Flatpak manifest.  Each function here uses the newer API
 * when the headers have it (GTK_CHECK_VERSION / ADW_CHECK_VERSION) and the
 * 4.8 / 1.2 API otherwise, so that the pages never call API that a newer
 * GTK or libadwaita deprecates. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A file to open or save: GtkFileDialog (GTK 4.10) or GtkFileChooserNative.
 * "response" (int response_id) is emitted once, with GTK_RESPONSE_ACCEPT
 * when a file was chosen (bt_file_chooser_get_file()) and another id when
 * the user cancelled; never after bt_file_chooser_destroy(). */
#define BT_TYPE_FILE_CHOOSER (bt_file_chooser_get_type ())
G_DECLARE_FINAL_TYPE (BtFileChooser, bt_file_chooser, BT, FILE_CHOOSER, GObject)

BtFileChooser *bt_file_chooser_new              (const char           *title,
                                                 GtkWindow            *parent,
                                                 GtkFileChooserAction  action,
                                                 const char           *accept_label);
void           bt_file_chooser_add_filter       (BtFileChooser        *self,
                                                 GtkFileFilter        *filter);
void           bt_file_chooser_set_current_name (BtFileChooser        *self,
                                                 const char           *name);
void           bt_file_chooser_show             (BtFileChooser        *self);
/* the chosen file (a new reference), or NULL */
GFile         *bt_file_chooser_get_file         (BtFileChooser        *self);
/* Closes the dialog if it is open, without a "response". */
void           bt_file_chooser_destroy          (BtFileChooser        *self);

/* A question with buttons: AdwAlertDialog (libadwaita 1.5) or
 * AdwMessageDialog.  Both emit "response" (const char *response). */
GtkWidget *bt_ui_alert_new                     (const char            *heading,
                                                const char            *body);
void       bt_ui_alert_add_response            (GtkWidget             *alert,
                                                const char            *id,
                                                const char            *label,
                                                AdwResponseAppearance  appearance);
/* The response chosen by Enter (DEFAULT) and by Escape or closing (CLOSE). */
void       bt_ui_alert_set_default_and_close   (GtkWidget             *alert,
                                                const char            *default_response,
                                                const char            *close_response);
/* Shows ALERT over the window of PARENT (a widget in it, or the window). */
void       bt_ui_alert_present                 (GtkWidget             *alert,
                                                GtkWidget             *parent);
/* Answers ALERT with RESPONSE, as its button would, and closes it. */
void       bt_ui_alert_respond                 (GtkWidget             *alert,
                                                const char            *response);

/* A widget at the end of an expander row's title line:
 * adw_expander_row_add_suffix (libadwaita 1.4) or _add_action. */
void       bt_ui_expander_row_add_suffix       (AdwExpanderRow        *row,
                                                GtkWidget             *widget);

G_END_DECLS
