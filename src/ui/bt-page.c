/* bt-page.c: the base of the window's pages (bt-page.h). */
#define G_LOG_DOMAIN "bt-ui"

#include "bt-page.h"

typedef struct
{
  BtContext    *context;
  GCancellable *cancellable;
} BtPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (BtPage, bt_page, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_CONTEXT, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { MESSAGE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Forget the context: no handler of the page stays on it. */
static void
unbind (BtPage *self)
{
  BtPagePrivate *priv = bt_page_get_instance_private (self);

  if (priv->context == NULL)
    return;
  if (bt_context_get_scheduler (priv->context) != NULL)
    g_signal_handlers_disconnect_by_data (bt_context_get_scheduler (priv->context), self);
  g_signal_handlers_disconnect_by_data (priv->context, self);
  g_clear_object (&priv->context);
}

static void
bt_page_dispose (GObject *object)
{
  BtPage *self = BT_PAGE (object);
  BtPagePrivate *priv = bt_page_get_instance_private (self);
  GtkWidget *child;

  g_cancellable_cancel (priv->cancellable);
  unbind (self);
  /* every page is a final type with a template */
  gtk_widget_dispose_template (GTK_WIDGET (object), G_OBJECT_TYPE (object));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (bt_page_parent_class)->dispose (object);
}

static void
bt_page_finalize (GObject *object)
{
  BtPagePrivate *priv = bt_page_get_instance_private (BT_PAGE (object));

  g_clear_object (&priv->cancellable);

  G_OBJECT_CLASS (bt_page_parent_class)->finalize (object);
}

static void
bt_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, bt_page_get_context (BT_PAGE (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bt_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_CONTEXT:
      bt_page_set_context (BT_PAGE (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bt_page_class_init (BtPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bt_page_dispose;
  object_class->finalize = bt_page_finalize;
  object_class->get_property = bt_page_get_property;
  object_class->set_property = bt_page_set_property;

  props[PROP_CONTEXT] = g_param_spec_object ("context", NULL, NULL, BT_TYPE_CONTEXT,
                                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                             | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * BtPage::message:
   * A short sentence for the window's toast (an error the page met).
   */
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
bt_page_init (BtPage *self)
{
  BtPagePrivate *priv = bt_page_get_instance_private (self);

  priv->cancellable = g_cancellable_new ();
}

void
bt_page_set_context (BtPage    *self,
                     BtContext *context)
{
  BtPagePrivate *priv = bt_page_get_instance_private (self);

  g_return_if_fail (BT_IS_PAGE (self));
  g_return_if_fail (context == NULL || BT_IS_CONTEXT (context));

  if (priv->context == context)
    return;
  unbind (self);
  if (context != NULL)
    {
      priv->context = g_object_ref (context);
      g_signal_connect_swapped (context, "changed", G_CALLBACK (bt_page_reload), self);
      if (BT_PAGE_GET_CLASS (self)->bind != NULL)
        BT_PAGE_GET_CLASS (self)->bind (self, context);
    }
  bt_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONTEXT]);
}

BtContext *
bt_page_get_context (BtPage *self)
{
  BtPagePrivate *priv = bt_page_get_instance_private (self);

  g_return_val_if_fail (BT_IS_PAGE (self), NULL);
  return priv->context;
}

BtEngine *
bt_page_get_engine (BtPage *self)
{
  BtContext *context = bt_page_get_context (self);

  return context != NULL ? bt_context_get_engine (context) : NULL;
}

BtStore *
bt_page_get_store (BtPage *self)
{
  BtContext *context = bt_page_get_context (self);

  return context != NULL ? bt_context_get_store (context) : NULL;
}

GCancellable *
bt_page_get_cancellable (BtPage *self)
{
  BtPagePrivate *priv = bt_page_get_instance_private (self);

  g_return_val_if_fail (BT_IS_PAGE (self), NULL);
  return priv->cancellable;
}

void
bt_page_reload (BtPage *self)
{
  g_return_if_fail (BT_IS_PAGE (self));

  if (BT_PAGE_GET_CLASS (self)->reload != NULL)
    BT_PAGE_GET_CLASS (self)->reload (self);
}

void
bt_page_message (BtPage     *self,
                 const char *message)
{
  g_return_if_fail (BT_IS_PAGE (self));
  g_signal_emit (self, signals[MESSAGE], 0, message);
}
