/* bt-sources-view.h: the state of every data source (PRODUCT.md "Collectors
 * and schedule"): when it last answered, its last error in words, when it
 * is asked next, and what a refresh is doing now.  The view owns its data:
 * it reads the scheduler's live activity and the store's source_status,
 * and follows the scheduler's signals. */
#pragma once

#include <adwaita.h>

#include "bt-scheduler.h"

G_BEGIN_DECLS

#define BT_TYPE_SOURCES_VIEW (bt_sources_view_get_type ())
G_DECLARE_FINAL_TYPE (BtSourcesView, bt_sources_view, BT, SOURCES_VIEW, GtkWidget)

/* The sum of the sources, for the header's indicator. */
typedef enum
{
  BT_SOURCES_STATE_NONE,      /* nothing asked yet */
  BT_SOURCES_STATE_OK,        /* the last answer of every source was good */
  BT_SOURCES_STATE_BUSY,      /* a request is in flight or queued */
  BT_SOURCES_STATE_WARNING,   /* at least one source failed its last attempt */
} BtSourcesState;

/* The scheduler whose sources are shown (NULL: none). */
void            bt_sources_view_set_scheduler  (BtSourcesView *self,
                                                BtScheduler   *scheduler);
/* A refresh asked by the user runs: its button becomes Stop. */
void            bt_sources_view_set_refreshing (BtSourcesView *self,
                                                gboolean       refreshing);
BtSourcesState  bt_sources_view_get_state      (BtSourcesView *self);
/* The summary line and the row of SOURCE as shown ("Title: subtitle"),
 * NULL when SOURCE has no row. */
char           *bt_sources_view_dup_summary    (BtSourcesView *self);
/* Rebuild from the scheduler and the store (sources switched on or off). */
void            bt_sources_view_update         (BtSourcesView *self);

G_END_DECLS
