/* bt-data-page.c: the Data page (README, "Where the numbers come from"). */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n.h>

#include "bt-base.h"
#include "bt-data-page.h"
#include "bt-data-page-private.h"
#include "bt-store.h"
#include "bt-ui-compat.h"
#include "bt-ui-util.h"

#define DISAGREEMENT_PCT 2.0
#define MAX_DISAGREEMENT_ROWS 200

struct _BtDataPage
{
  BtPage           parent_instance;

  GtkListBox      *imports_list;
  GtkListBox      *sources_list;
  GtkListBox      *disagree_list;
  AdwEntryRow     *order_row;
  AdwPreferencesGroup *disagree_group;

  GtkWidget       *question;        /* the open remove question, or NULL */

  guint            n_batches;
  guint            n_sources;
  guint            n_disagreements;
};

G_DEFINE_FINAL_TYPE (BtDataPage, bt_data_page, BT_TYPE_PAGE)

enum { DATA_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
placeholder_row (const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  return row;
}

static char *
source_text (BtSource    source,
             gint64      batch,
             const char *file)
{
  if (batch > 0 && file != NULL && file[0] != '\0')
    /* Translators: an imported file as a price source: "prices.csv (import 3)" */
    return g_strdup_printf (_("%s (import %lld)"), file, (long long) batch);
  if (batch > 0)
    return g_strdup_printf (_("Import %lld"), (long long) batch);
  return g_strdup (bt_ui_source_title (source));
}

static char *
range_text (BtDay first,
            BtDay last)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (first == BT_DAY_INVALID || last == BT_DAY_INVALID)
    return g_strdup (_("no days"));
  a = bt_ui_format_day (first);
  b = bt_ui_format_day (last);
  /* Translators: a range of days, "2017-08-17 – 2026-06-27" */
  return g_strdup_printf (_("%s – %s"), a, b);
}

static const char *
kind_title (const char *kind)
{
  if (g_strcmp0 (kind, "ohlcv") == 0)
    return _("Candles (OHLCV)");
  if (g_strcmp0 (kind, "coinmetrics") == 0)
    return _("Prices and on-chain data");
  if (g_strcmp0 (kind, "indicators") == 0)
    return _("Indicators");
  if (g_strcmp0 (kind, "v1") == 0)
    return _("Version 1 tables");
  return _("Imported before this version");
}

static void
on_remove_clicked_cb (GtkButton  *button,
                      BtDataPage *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "batch-id"));

  bt_data_page_remove_batch (self, id);
}

static void
fill_imports (BtDataPage *self,
              GPtrArray  *batches)
{
  clear_list (self->imports_list);
  self->n_batches = batches ? batches->len : 0;
  if (batches == NULL || batches->len == 0)
    {
      gtk_list_box_append (self->imports_list, placeholder_row (_("Nothing imported yet")));
      return;
    }
  for (guint i = 0; i < batches->len; i++)
    {
      const BtImportBatch *b = g_ptr_array_index (batches, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_label (_("Remove"));
      g_autofree char *title = b->file && b->file[0] ? g_markup_escape_text (b->file, -1)
                                                     : g_strdup (kind_title (b->kind));
      g_autofree char *range = range_text (b->first_day, b->last_day);
      g_autofree char *when = bt_ui_format_time (b->imported_at);
      g_autofree char *subtitle = NULL;

      /* Translators: "Candles (OHLCV) · 3237 rows · 2017-08-17 – 2026-06-27 · imported 2026-12-05 00:51" */
      subtitle = g_strdup_printf (g_dngettext (NULL, "%s · %llu row · %s · imported %s",
                                               "%s · %llu rows · %s · imported %s",
                                               (gulong) MIN (b->rows, G_MAXULONG)),
                                  kind_title (b->kind), (unsigned long long) b->rows, range, when);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      g_object_set_data (G_OBJECT (button), "batch-id", GSIZE_TO_POINTER ((gsize) b->id));
      g_signal_connect (button, "clicked", G_CALLBACK (on_remove_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->imports_list, row);
    }
}

static void
fill_sources (BtDataPage *self,
              BtStore    *store)
{
  g_autoptr(GPtrArray) cov = bt_store_list_source_coverage (store, NULL);
  g_autofree char *order = bt_store_dup_source_order (store, NULL);

  clear_list (self->sources_list);
  self->n_sources = cov ? cov->len : 0;
  if (cov == NULL || cov->len == 0)
    gtk_list_box_append (self->sources_list, placeholder_row (_("No prices yet")));
  for (guint i = 0; cov != NULL && i < cov->len; i++)
    {
      const BtSourceCoverage *c = g_ptr_array_index (cov, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *name = source_text (c->source, c->batch, c->file);
      g_autofree char *title = g_markup_escape_text (name, -1);
      g_autofree char *range = range_text (c->first_day, c->last_day);
      g_autofree char *subtitle = NULL;

      /* Translators: "2017-08-17 – 2026-06-27 · 3237 days · full candles" */
      subtitle = g_strdup_printf (g_dngettext (NULL, "%s · %u day · %s", "%s · %u days · %s", c->n_days),
                                  range, c->n_days,
                                  c->full_candles ? _("full candles") : _("closing prices only"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->sources_list, row);
    }
  if (order != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->order_row), order);
}

/* BATCHES name the files the disagreeing closes come from. */
static void
fill_disagreements (BtDataPage *self,
                    BtStore    *store,
                    GPtrArray  *batches)
{
  g_autoptr(GArray) days = bt_store_list_disagreements (store, DISAGREEMENT_PCT, NULL);
  g_autoptr(GHashTable) files = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree char *description = NULL;

  clear_list (self->disagree_list);
  self->n_disagreements = days ? days->len : 0;
  for (guint i = 0; batches != NULL && i < batches->len; i++)
    {
      BtImportBatch *b = g_ptr_array_index (batches, i);

      g_hash_table_insert (files, &b->id, b->file);
    }
  if (days == NULL || days->len == 0)
    gtk_list_box_append (self->disagree_list, placeholder_row (_("The price sources agree")));
  for (guint i = 0; days != NULL && i < days->len && i < MAX_DISAGREEMENT_ROWS; i++)
    {
      const BtDisagreement *d = &g_array_index (days, BtDisagreement, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *day = bt_ui_format_day (d->date);
      g_autofree char *lo = source_text (d->low_source, d->low_batch,
                                         g_hash_table_lookup (files, &d->low_batch));
      g_autofree char *hi = source_text (d->high_source, d->high_batch,
                                         g_hash_table_lookup (files, &d->high_batch));
      g_autofree char *lo_usd = bt_ui_format_usd (d->low_close);
      g_autofree char *hi_usd = bt_ui_format_usd (d->high_close);
      g_autofree char *pct = bt_ui_format_percent (d->difference_pct, 1);
      g_autofree char *subtitle = NULL;
      g_autofree char *escaped = NULL;

      /* Translators: "binance.csv (import 1) $41,000 · Coin Metrics $42,000 · 2.4 % apart" */
      subtitle = g_strdup_printf (_("%s %s · %s %s · %s apart"), lo, lo_usd, hi, hi_usd, pct);
      escaped = g_markup_escape_text (subtitle, -1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), day);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
      gtk_list_box_append (self->disagree_list, row);
    }
  if (days != NULL && days->len > MAX_DISAGREEMENT_ROWS)
    description = g_strdup_printf (_("Days where two price sources differ by more than 2 %% (the first %u of %u)"),
                                   MAX_DISAGREEMENT_ROWS, days->len);
  else
    description = g_strdup (_("Days where two price sources differ by more than 2 %"));
  adw_preferences_group_set_description (self->disagree_group, description);
}

/* Query the store again. */
static void
refresh (BtDataPage *self)
{
  g_autoptr(GPtrArray) batches = NULL;
  BtStore *store;

  g_return_if_fail (BT_IS_DATA_PAGE (self));

  store = bt_page_get_store (BT_PAGE (self));
  if (store == NULL)
    return;
  batches = bt_store_list_batches (store, NULL);
  fill_imports (self, batches);
  fill_sources (self, store);
  fill_disagreements (self, store, batches);
}

/* ---- removal ---- */

typedef struct
{
  gint64  id;
  BtDay   first_changed;
} RemoveJob;

/* BtStoreWorkFunc: remove the import, on the worker's connection. */
static gboolean
remove_work (BtStore       *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  RemoveJob *job = data;

  return bt_store_remove_batch (store, job->id, &job->first_changed, error);
}

static void
on_recomputed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BtDataPage) self = user_data;
  g_autoptr(GError) error = NULL;
  BtContext *context = bt_page_get_context (BT_PAGE (self));

  if (!bt_engine_recompute_from_finish (BT_ENGINE (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    bt_page_message (BT_PAGE (self), error->message);
  g_clear_error (&error);
  /* the context's ::changed rebuilds every page, this one included (its
   * reload); without a context, or when that fails, this page alone */
  if (context == NULL || !bt_context_reload (context, &error))
    {
      if (error != NULL)
        bt_page_message (BT_PAGE (self), error->message);
      refresh (self);
    }
  g_signal_emit (self, signals[DATA_CHANGED], 0);
}

static void
on_removed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BtDataPage) self = user_data;
  g_autoptr(GError) error = NULL;
  RemoveJob *job = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bt_page_message (BT_PAGE (self), error->message);
      refresh (self);
      return;
    }
  bt_page_message (BT_PAGE (self), _("Import removed"));
  if (bt_page_get_engine (BT_PAGE (self)) == NULL)
    return;
  bt_engine_recompute_from_async (bt_page_get_engine (BT_PAGE (self)), job->first_changed,
                                  bt_page_get_cancellable (BT_PAGE (self)),
                                  on_recomputed_cb, g_object_ref (self));
}

static void
on_confirm_response_cb (GtkWidget  *dialog,
                        const char *response,
                        BtDataPage *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "batch-id"));
  g_autoptr(GTask) task = NULL;
  RemoveJob *job;

  if (g_strcmp0 (response, "remove") != 0 || bt_page_get_engine (BT_PAGE (self)) == NULL)
    return;
  job = g_new0 (RemoveJob, 1);
  job->id = id;
  job->first_changed = BT_DAY_INVALID;
  task = g_task_new (NULL, bt_page_get_cancellable (BT_PAGE (self)), on_removed_cb,
                     g_object_ref (self));
  g_task_set_source_tag (task, on_confirm_response_cb);
  g_task_set_task_data (task, job, g_free);
  bt_store_run_in_thread (bt_page_get_store (BT_PAGE (self)), task, remove_work);
}

void
bt_data_page_remove_batch (BtDataPage *self,
                           gint64      id)
{
  g_autoptr(GPtrArray) batches = NULL;
  const BtImportBatch *batch = NULL;
  GtkWidget *dialog;
  g_autofree char *body = NULL;
  g_autofree char *range = NULL;

  g_return_if_fail (BT_IS_DATA_PAGE (self));

  if (bt_page_get_engine (BT_PAGE (self)) == NULL)
    return;
  batches = bt_store_list_batches (bt_page_get_store (BT_PAGE (self)), NULL);
  for (guint i = 0; batches != NULL && i < batches->len; i++)
    if (((BtImportBatch *) g_ptr_array_index (batches, i))->id == id)
      batch = g_ptr_array_index (batches, i);
  if (batch == NULL)
    return;
  range = range_text (batch->first_day, batch->last_day);
  /* Translators: "prices.csv, 3237 rows, 2017-08-17 – 2026-06-27: …" */
  body = g_strdup_printf (_("%s, %s: its values are deleted; the values of other sources it had outranked are used again. This cannot be undone, but the file can be imported again."),
                          batch->file && batch->file[0] ? batch->file : kind_title (batch->kind), range);
  dialog = bt_ui_alert_new (_("Remove This Import?"), body);
  bt_ui_alert_add_response (dialog, "cancel", _("_Cancel"), ADW_RESPONSE_DEFAULT);
  bt_ui_alert_add_response (dialog, "remove", _("_Remove"), ADW_RESPONSE_DESTRUCTIVE);
  bt_ui_alert_set_default_and_close (dialog, "cancel", "cancel");
  g_object_set_data (G_OBJECT (dialog), "batch-id", GSIZE_TO_POINTER ((gsize) id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response_cb), self, 0);
  g_set_weak_pointer (&self->question, dialog);
  bt_ui_alert_present (dialog, GTK_WIDGET (self));
}

GtkWidget *
bt_data_page_get_question (BtDataPage *self)
{
  g_return_val_if_fail (BT_IS_DATA_PAGE (self), NULL);
  return self->question != NULL && gtk_widget_get_visible (self->question) ? self->question : NULL;
}

/* ---- source order ---- */

static void
on_order_apply_cb (AdwEntryRow *row,
                   BtDataPage  *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  BtStore *store;

  if (bt_page_get_engine (BT_PAGE (self)) == NULL)
    return;
  store = bt_page_get_store (BT_PAGE (self));
  if (!bt_store_set_source_order (store, text[0] ? text : NULL, &error))
    {
      bt_page_message (BT_PAGE (self), error->message);
      return;
    }
  /* the order changes which values win: every day again */
  bt_engine_recompute_from_async (bt_page_get_engine (BT_PAGE (self)), BT_DAY_INVALID,
                                  bt_page_get_cancellable (BT_PAGE (self)),
                                  on_recomputed_cb, g_object_ref (self));
}

/* ---- shown: the lists as they are now ---- */

static void
bt_data_page_map (GtkWidget *widget)
{
  BtDataPage *self = BT_DATA_PAGE (widget);

  GTK_WIDGET_CLASS (bt_data_page_parent_class)->map (widget);
  refresh (self);
}

/* ---- GObject ---- */

/* A hidden page reads its lists when it is shown. */
static void
reload (BtPage *page)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (page)))
    refresh (BT_DATA_PAGE (page));
}

guint
bt_data_page_get_n_batches (BtDataPage *self)
{
  g_return_val_if_fail (BT_IS_DATA_PAGE (self), 0);
  return self->n_batches;
}

guint
bt_data_page_get_n_sources (BtDataPage *self)
{
  g_return_val_if_fail (BT_IS_DATA_PAGE (self), 0);
  return self->n_sources;
}

guint
bt_data_page_get_n_disagreements (BtDataPage *self)
{
  g_return_val_if_fail (BT_IS_DATA_PAGE (self), 0);
  return self->n_disagreements;
}

static void
bt_data_page_dispose (GObject *object)
{
  BtDataPage *self = BT_DATA_PAGE (object);

  g_clear_weak_pointer (&self->question);

  G_OBJECT_CLASS (bt_data_page_parent_class)->dispose (object);
}

static void
bt_data_page_class_init (BtDataPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = bt_data_page_dispose;
  widget_class->map = bt_data_page_map;
  BT_PAGE_CLASS (klass)->reload = reload;

  /**
   * BtDataPage::data-changed:
   * A batch was removed or the source order changed, the engine has
   * recomputed and the pages show it (the context's ::changed came first).
   */
  signals[DATA_CHANGED] = g_signal_new ("data-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/btcturbo/BtcTurbo/ui/bt-data-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BtDataPage, imports_list);
  gtk_widget_class_bind_template_child (widget_class, BtDataPage, sources_list);
  gtk_widget_class_bind_template_child (widget_class, BtDataPage, disagree_list);
  gtk_widget_class_bind_template_child (widget_class, BtDataPage, order_row);
  gtk_widget_class_bind_template_child (widget_class, BtDataPage, disagree_group);
}

static void
bt_data_page_init (BtDataPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->order_row, "apply", G_CALLBACK (on_order_apply_cb), self);
}
