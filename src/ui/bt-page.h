/* bt-page.h: the base of the window's pages.  A page gets a BtContext as
 * its "context" property, rebuilds its view in its reload() when the
 * context changes, and says what went wrong with ::message (a toast). */
#pragma once

#include <adwaita.h>

#include "bt-context.h"

G_BEGIN_DECLS

#define BT_TYPE_PAGE (bt_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (BtPage, bt_page, BT, PAGE, GtkWidget)

struct _BtPageClass
{
  GtkWidgetClass parent_class;

  /* Build the view from the context (the empty view without one); called
   * when the context is set and on its ::changed. */
  void (*reload) (BtPage    *self);
  /* Connect to the signals of CONTEXT (or its scheduler) the page follows
   * besides ::changed, with the page as the data: they are disconnected
   * when the context goes. */
  void (*bind)   (BtPage    *self,
                  BtContext *context);

  gpointer padding[6];
};

void          bt_page_set_context     (BtPage     *self,
                                       BtContext  *context);
BtContext    *bt_page_get_context     (BtPage     *self);
/* The context's engine / store (NULL without a context). */
BtEngine     *bt_page_get_engine      (BtPage     *self);
BtStore      *bt_page_get_store       (BtPage     *self);
/* Cancelled when the page is disposed: for the page's own jobs. */
GCancellable *bt_page_get_cancellable (BtPage     *self);
/* Rebuild the view now. */
void          bt_page_reload          (BtPage     *self);
/* Emit ::message (a short translated sentence for a toast). */
void          bt_page_message         (BtPage     *self,
                                       const char *message);

G_END_DECLS
