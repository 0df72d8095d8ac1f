/* bt-context.c: the engine and the scheduler the pages read from. */
#define G_LOG_DOMAIN "bt-ui"

#include "bt-context.h"

struct _BtContext
{
  GObject      parent_instance;

  BtEngine    *engine;
  BtScheduler *scheduler;
};

G_DEFINE_FINAL_TYPE (BtContext, bt_context, G_TYPE_OBJECT)

enum { CHANGED, WALLETS_CHANGED, POSITIONS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
bt_context_dispose (GObject *object)
{
  BtContext *self = BT_CONTEXT (object);

  g_clear_object (&self->scheduler);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (bt_context_parent_class)->dispose (object);
}

static void
bt_context_class_init (BtContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bt_context_dispose;

  /**
   * BtContext::changed:
   * The engine holds new data (a refresh, an import, a batch removed, new
   * rules): the pages rebuild their views.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * BtContext::wallets-changed:
   * Wallets were added or removed in the store by someone else than the
   * Position page.
   */
  signals[WALLETS_CHANGED] = g_signal_new ("wallets-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  /**
   * BtContext::positions-changed:
   * A wallet's position was read and stored, with the day's portfolio
   * point: the pages that show positions rebuild (the market data did not
   * change, the others have nothing to redo).
   */
  signals[POSITIONS_CHANGED] = g_signal_new ("positions-changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
}

static void
bt_context_init (BtContext *self)
{
}

BtContext *
bt_context_new (BtEngine    *engine,
                BtScheduler *scheduler)
{
  BtContext *self;

  g_return_val_if_fail (BT_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (scheduler == NULL || BT_IS_SCHEDULER (scheduler), NULL);

  self = g_object_new (BT_TYPE_CONTEXT, NULL);
  self->engine = g_object_ref (engine);
  self->scheduler = scheduler != NULL ? g_object_ref (scheduler) : NULL;
  return self;
}

BtEngine *
bt_context_get_engine (BtContext *self)
{
  g_return_val_if_fail (BT_IS_CONTEXT (self), NULL);
  return self->engine;
}

BtStore *
bt_context_get_store (BtContext *self)
{
  g_return_val_if_fail (BT_IS_CONTEXT (self), NULL);
  return bt_engine_get_store (self->engine);
}

BtScheduler *
bt_context_get_scheduler (BtContext *self)
{
  g_return_val_if_fail (BT_IS_CONTEXT (self), NULL);
  return self->scheduler;
}

gboolean
bt_context_reload (BtContext  *self,
                   GError    **error)
{
  g_return_val_if_fail (BT_IS_CONTEXT (self), FALSE);

  if (!bt_engine_refresh (self->engine, error))
    return FALSE;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

void
bt_context_positions_changed (BtContext *self)
{
  g_return_if_fail (BT_IS_CONTEXT (self));
  g_signal_emit (self, signals[POSITIONS_CHANGED], 0);
}

void
bt_context_wallets_changed (BtContext *self)
{
  g_return_if_fail (BT_IS_CONTEXT (self));
  g_signal_emit (self, signals[WALLETS_CHANGED], 0);
}
