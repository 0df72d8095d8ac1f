/* bt-ui-compat.c: one call for the widgets whose API changed after GTK 4.8
 * and libadwaita 1.2 (see bt-ui-compat.h). */
#define G_LOG_DOMAIN "bt-ui"

#include "bt-ui-compat.h"

/* ---- files to open or save ---- */

struct _BtFileChooser
{
  GObject               parent_instance;

  GtkFileChooserAction  action;
  GFile                *file;
#if GTK_CHECK_VERSION (4, 10, 0)
  GtkFileDialog        *dialog;
  GListStore           *filters;
  GtkWindow            *parent;       /* weak: the window usually owns the chooser */
  GCancellable         *cancellable;  /* while the dialog is open */
#else
  GtkFileChooserNative *native;
#endif
};

G_DEFINE_FINAL_TYPE (BtFileChooser, bt_file_chooser, G_TYPE_OBJECT)

enum { RESPONSE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
bt_file_chooser_dispose (GObject *object)
{
  BtFileChooser *self = BT_FILE_CHOOSER (object);

  bt_file_chooser_destroy (self);
  g_clear_object (&self->file);
#if GTK_CHECK_VERSION (4, 10, 0)
  g_clear_object (&self->dialog);
  g_clear_object (&self->filters);
  g_clear_weak_pointer (&self->parent);
#else
  g_clear_object (&self->native);
#endif

  G_OBJECT_CLASS (bt_file_chooser_parent_class)->dispose (object);
}

static void
bt_file_chooser_class_init (BtFileChooserClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bt_file_chooser_dispose;

  signals[RESPONSE] = g_signal_new ("response", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
bt_file_chooser_init (BtFileChooser *self)
{
}

GFile *
bt_file_chooser_get_file (BtFileChooser *self)
{
  g_return_val_if_fail (BT_IS_FILE_CHOOSER (self), NULL);

  return self->file != NULL ? g_object_ref (self->file) : NULL;
}

BtFileChooser *
bt_file_chooser_new (const char           *title,
                     GtkWindow            *parent,
                     GtkFileChooserAction  action,
                     const char           *accept_label)
{
  BtFileChooser *self = g_object_new (BT_TYPE_FILE_CHOOSER, NULL);

  self->action = action;
#if GTK_CHECK_VERSION (4, 10, 0)
  g_set_weak_pointer (&self->parent, parent);
  self->filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  self->dialog = gtk_file_dialog_new ();
  gtk_file_dialog_set_title (self->dialog, title);
  gtk_file_dialog_set_accept_label (self->dialog, accept_label);
  gtk_file_dialog_set_modal (self->dialog, TRUE);
#else
  self->native = gtk_file_chooser_native_new (title, parent, action, accept_label, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->native), TRUE);
#endif
  return self;
}

void
bt_file_chooser_add_filter (BtFileChooser *self,
                            GtkFileFilter *filter)
{
  g_return_if_fail (BT_IS_FILE_CHOOSER (self));
  g_return_if_fail (GTK_IS_FILE_FILTER (filter));

#if GTK_CHECK_VERSION (4, 10, 0)
  g_list_store_append (self->filters, filter);
  gtk_file_dialog_set_filters (self->dialog, G_LIST_MODEL (self->filters));
#else
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->native), filter);
#endif
}

void
bt_file_chooser_set_current_name (BtFileChooser *self,
                                  const char    *name)
{
  g_return_if_fail (BT_IS_FILE_CHOOSER (self));

#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_file_dialog_set_initial_name (self->dialog, name);
#else
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->native), name);
#endif
}

/* The answer: a file (GTK_RESPONSE_ACCEPT) or none. */
static void
respond (BtFileChooser *self,
         GFile         *file,
         int            response)
{
  g_object_ref (self);
  g_set_object (&self->file, file);
  g_signal_emit (self, signals[RESPONSE], 0, response);
  g_object_unref (self);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
on_file_chosen_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BtFileChooser) self = user_data;
  GtkFileDialog *dialog = GTK_FILE_DIALOG (source);
  g_autoptr(GFile) file = NULL;

  if (self->action == GTK_FILE_CHOOSER_ACTION_SAVE)
    file = gtk_file_dialog_save_finish (dialog, result, NULL);
  else
    file = gtk_file_dialog_open_finish (dialog, result, NULL);
  /* destroyed by its owner: no answer */
  if (self->cancellable == NULL)
    return;
  g_clear_object (&self->cancellable);
  respond (self, file, file != NULL ? GTK_RESPONSE_ACCEPT : GTK_RESPONSE_CANCEL);
}
#else
static void
on_native_response_cb (GtkNativeDialog *native,
                       int              response,
                       BtFileChooser   *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  g_signal_handlers_disconnect_by_data (native, self);
  respond (self, file, response);
}
#endif

void
bt_file_chooser_show (BtFileChooser *self)
{
  g_return_if_fail (BT_IS_FILE_CHOOSER (self));

#if GTK_CHECK_VERSION (4, 10, 0)
  g_return_if_fail (self->cancellable == NULL);
  self->cancellable = g_cancellable_new ();
  if (self->action == GTK_FILE_CHOOSER_ACTION_SAVE)
    gtk_file_dialog_save (self->dialog, self->parent, self->cancellable, on_file_chosen_cb,
                          g_object_ref (self));
  else
    gtk_file_dialog_open (self->dialog, self->parent, self->cancellable, on_file_chosen_cb,
                          g_object_ref (self));
#else
  g_signal_connect (self->native, "response", G_CALLBACK (on_native_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->native));
#endif
}

void
bt_file_chooser_destroy (BtFileChooser *self)
{
  g_return_if_fail (BT_IS_FILE_CHOOSER (self));

#if GTK_CHECK_VERSION (4, 10, 0)
  if (self->cancellable != NULL)
    {
      g_autoptr(GCancellable) cancellable = g_steal_pointer (&self->cancellable);

      g_cancellable_cancel (cancellable);
    }
#else
  if (self->native == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->native, self);
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->native));
#endif
}

/* ---- questions ---- */

GtkWidget *
bt_ui_alert_new (const char *heading,
                 const char *body)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  return GTK_WIDGET (adw_alert_dialog_new (heading, body));
#else
  return adw_message_dialog_new (NULL, heading, body);
#endif
}

void
bt_ui_alert_add_response (GtkWidget             *alert,
                          const char            *id,
                          const char            *label,
                          AdwResponseAppearance  appearance)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_alert_dialog_add_response (ADW_ALERT_DIALOG (alert), id, label);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (alert), id, appearance);
#else
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), id, label);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (alert), id, appearance);
#endif
}

void
bt_ui_alert_set_default_and_close (GtkWidget  *alert,
                                   const char *default_response,
                                   const char *close_response)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (alert), default_response);
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (alert), close_response);
#else
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (alert), default_response);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (alert), close_response);
#endif
}

void
bt_ui_alert_present (GtkWidget *alert,
                     GtkWidget *parent)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (ADW_DIALOG (alert), parent);
#else
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (alert), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (alert));
#endif
}

void
bt_ui_alert_respond (GtkWidget  *alert,
                     const char *response)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  g_object_ref (alert);
  g_signal_emit_by_name (alert, "response", response);
  adw_dialog_force_close (ADW_DIALOG (alert));
  g_object_unref (alert);
#else
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (alert), response);
#endif
}

/* ---- rows ---- */

void
bt_ui_expander_row_add_suffix (AdwExpanderRow *row,
                               GtkWidget      *widget)
{
#if ADW_CHECK_VERSION (1, 4, 0)
  adw_expander_row_add_suffix (row, widget);
#else
  adw_expander_row_add_action (row, widget);
#endif
}
