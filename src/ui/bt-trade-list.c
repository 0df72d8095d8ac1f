/* bt-trade-list.c: the trades of a backtest run as a GListModel. */
#define G_LOG_DOMAIN "bt-ui"

#include "bt-trade-list.h"
#include "bt-trade-list-private.h"

struct _BtTradeItem
{
  GObject  parent_instance;
  GArray  *trades;   /* shared */
  guint    index;
};

G_DEFINE_FINAL_TYPE (BtTradeItem, bt_trade_item, G_TYPE_OBJECT)

static void
bt_trade_item_finalize (GObject *object)
{
  BtTradeItem *self = BT_TRADE_ITEM (object);

  g_clear_pointer (&self->trades, g_array_unref);
  G_OBJECT_CLASS (bt_trade_item_parent_class)->finalize (object);
}

static void
bt_trade_item_class_init (BtTradeItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bt_trade_item_finalize;
}

static void
bt_trade_item_init (BtTradeItem *self)
{
}

const BtBacktestTrade *
bt_trade_item_get_trade (BtTradeItem *self)
{
  g_return_val_if_fail (BT_IS_TRADE_ITEM (self), NULL);
  return &g_array_index (self->trades, BtBacktestTrade, self->index);
}

/* Rows appear CHUNK at a time, one chunk per idle turn of the main loop
 * (after layout and paint), so that a view, which makes a widget for up to
 * a few hundred rows at once, never builds more than CHUNK in one turn. */
#define CHUNK 24

struct _BtTradeList
{
  GObject  parent_instance;
  GArray  *trades;
  guint    n_shown;
  guint    n_made;
  guint    grow_id;
};

static GType
bt_trade_list_get_item_type (GListModel *model)
{
  return BT_TYPE_TRADE_ITEM;
}

static guint
bt_trade_list_get_n_items (GListModel *model)
{
  BtTradeList *self = BT_TRADE_LIST (model);

  return self->n_shown;
}

static gpointer
bt_trade_list_get_item (GListModel *model,
                        guint       position)
{
  BtTradeList *self = BT_TRADE_LIST (model);
  BtTradeItem *item;

  if (self->trades == NULL || position >= self->n_shown)
    return NULL;
  item = g_object_new (BT_TYPE_TRADE_ITEM, NULL);
  item->trades = g_array_ref (self->trades);
  item->index = position;
  self->n_made++;
  return item;
}

static void
bt_trade_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bt_trade_list_get_item_type;
  iface->get_n_items = bt_trade_list_get_n_items;
  iface->get_item = bt_trade_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (BtTradeList, bt_trade_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, bt_trade_list_model_init))

static void
bt_trade_list_finalize (GObject *object)
{
  BtTradeList *self = BT_TRADE_LIST (object);

  g_clear_handle_id (&self->grow_id, g_source_remove);
  g_clear_pointer (&self->trades, g_array_unref);
  G_OBJECT_CLASS (bt_trade_list_parent_class)->finalize (object);
}

static void
bt_trade_list_class_init (BtTradeListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bt_trade_list_finalize;
}

static void
bt_trade_list_init (BtTradeList *self)
{
}

BtTradeList *
bt_trade_list_new (void)
{
  return g_object_new (BT_TYPE_TRADE_LIST, NULL);
}

static gboolean
grow_cb (gpointer data)
{
  BtTradeList *self = data;
  guint old = self->n_shown;

  self->n_shown = MIN (self->trades->len, old + CHUNK);
  g_list_model_items_changed (G_LIST_MODEL (self), old, 0, self->n_shown - old);
  if (self->n_shown < self->trades->len)
    return G_SOURCE_CONTINUE;
  self->grow_id = 0;
  return G_SOURCE_REMOVE;
}

void
bt_trade_list_set_trades (BtTradeList *self,
                          GArray      *trades)
{
  guint removed;

  g_return_if_fail (BT_IS_TRADE_LIST (self));

  removed = self->n_shown;
  g_clear_handle_id (&self->grow_id, g_source_remove);
  g_clear_pointer (&self->trades, g_array_unref);
  if (trades != NULL)
    self->trades = g_array_ref (trades);
  self->n_shown = self->trades != NULL ? MIN (self->trades->len, CHUNK) : 0;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->n_shown);
  if (self->trades != NULL && self->n_shown < self->trades->len)
    /* after the frame's layout and paint (GDK_PRIORITY_REDRAW), before
     * the default idles, which frames in flight can hold off for long */
    self->grow_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 30, grow_cb, self, NULL);
}

guint
bt_trade_list_get_n_trades (BtTradeList *self)
{
  g_return_val_if_fail (BT_IS_TRADE_LIST (self), 0);
  return self->trades != NULL ? self->trades->len : 0;
}

guint
bt_trade_list_get_n_made (BtTradeList *self)
{
  g_return_val_if_fail (BT_IS_TRADE_LIST (self), 0);
  return self->n_made;
}
