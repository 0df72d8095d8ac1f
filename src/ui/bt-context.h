/* bt-context.h: what the pages of a window read their data from: the
 * engine (and its store) and the scheduler, with the signals that tell
 * them to read it again.  The session owns it; each page gets it as its
 * "context" property (bt-page.h) and builds its own view from it. */
#pragma once

#include <gio/gio.h>

#include "bt-engine.h"
#include "bt-scheduler.h"

G_BEGIN_DECLS

#define BT_TYPE_CONTEXT (bt_context_get_type ())
G_DECLARE_FINAL_TYPE (BtContext, bt_context, BT, CONTEXT, GObject)

/* SCHEDULER may be NULL (no collectors: a page shown on its own). */
BtContext   *bt_context_new             (BtEngine    *engine,
                                         BtScheduler *scheduler);
BtEngine    *bt_context_get_engine      (BtContext   *self);
BtStore     *bt_context_get_store       (BtContext   *self);
BtScheduler *bt_context_get_scheduler   (BtContext   *self);
/* Reload the engine from the store (bt_engine_refresh()), then emit
 * ::changed: every page rereads what it shows. */
gboolean     bt_context_reload          (BtContext   *self,
                                         GError     **error);
/* Wallets were added or removed outside the Position page (Preferences):
 * emits ::wallets-changed. */
void         bt_context_wallets_changed (BtContext   *self);
/* A position was read and stored: emits ::positions-changed. */
void         bt_context_positions_changed (BtContext *self);

G_END_DECLS
