/* bt-backtest-saved-runs.c: the Backtest page's saved runs: read and
 * written off the main thread, renamed, compared and deleted with undo. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bt-backtest-page-internal.h"
#include "bt-ui-util.h"

/* ---- workers: runs are read and written off the main thread ------------ */

typedef struct
{
  GStrv             ids;        /* load these runs */
  GPtrArray        *runs;       /* into this */
  BtBacktestResult *run;        /* or save this one */
  guint             generation;
} Job;

static void
job_free (Job *job)
{
  g_strfreev (job->ids);
  g_clear_pointer (&job->runs, g_ptr_array_unref);
  g_clear_pointer (&job->run, bt_backtest_result_free);
  g_free (job);
}

/* BtStoreWorkFunc: loads JOB's runs, or saves its run. */
static gboolean
job_work (BtStore       *store,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Job *job = data;

  if (job->run != NULL && !bt_backtest_store_save (store, job->run, NULL, error))
    return FALSE;
  for (guint i = 0; job->ids != NULL && job->ids[i] != NULL; i++)
    {
      BtBacktestResult *run = bt_backtest_store_load (store, job->ids[i], error);

      if (run == NULL)
        return FALSE;
      g_ptr_array_add (job->runs, run);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* ERROR of a job in a message, unless the job was cancelled (FALSE). */
static gboolean
say_failure (BtBacktestPage *self,
             const GError   *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  bt_page_message (BT_PAGE (self), error->message);
  return TRUE;
}

static void
on_job_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GPtrArray *runs = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    runs = job->runs;
  else if (!say_failure (self, error))
    return;  /* cancelled */
  if (job->run != NULL)
    {
      /* saved or not, the run is shown */
      _bt_backtest_page_reload_saved_runs (self);
      if (job->generation == self->generation)
        _bt_backtest_page_deliver_run (self, g_steal_pointer (&job->run));
      return;  /* otherwise cancelled or replaced while it was saved */
    }
  if (runs == NULL || job->generation != self->generation)
    return;  /* failed, or something else was asked for since */
  if (runs->len == 1)
    bt_backtest_page_show_run (self, g_ptr_array_steal_index (runs, 0));
  else if (runs->len > 1)
    _bt_backtest_page_show_comparison (self, runs);
}

/* Loads IDS, or saves RUN (owned), in a worker; GENERATION is the request
 * the result answers. */
static void
start_job (BtBacktestPage     *self,
           const char *const  *ids,
           BtBacktestResult   *run,
           guint               generation,
           gpointer            source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, bt_page_get_cancellable (BT_PAGE (self)), on_job_done_cb, NULL);
  Job *job = g_new0 (Job, 1);

  job->ids = g_strdupv ((GStrv) ids);
  job->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_backtest_result_free);
  job->run = run;
  job->generation = generation;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  bt_store_run_in_thread (self->store, task, job_work);
}

void
_bt_backtest_page_load_runs (BtBacktestPage     *self,
                             const char *const  *ids)
{
  if (self->store != NULL)
    start_job (self, ids, NULL, ++self->generation, _bt_backtest_page_load_runs);
}

/* ---- saved runs ------------------------------------------------------- */

static void
on_open_run_clicked_cb (GtkButton      *button,
                        BtBacktestPage *self)
{
  g_signal_emit (self, bt_backtest_page_signals[OPEN_RUN], 0,
                 g_object_get_data (G_OBJECT (button), "run-id"));
}

static void
on_delete_run_clicked_cb (GtkButton      *button,
                          BtBacktestPage *self)
{
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (button), "run-id"));

  g_signal_emit (self, bt_backtest_page_signals[DELETE_RUN], 0, id);
}

static void
on_check_toggled_cb (GtkCheckButton *check,
                     BtBacktestPage *self)
{
  _bt_backtest_page_update_compare (self);
}

static void
on_rename_activate_cb (GtkWidget      *widget,
                       BtBacktestPage *self)
{
  GtkWidget *popover = gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER);
  GtkEntry *entry = g_object_get_data (G_OBJECT (popover), "entry");
  const char *id = g_object_get_data (G_OBJECT (popover), "run-id");
  g_autofree char *copy = g_strdup (id);
  g_autoptr(GError) error = NULL;

  if (!bt_backtest_page_rename_saved_run (self, copy,
                                          gtk_editable_get_text (GTK_EDITABLE (entry)), &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), error->message);
      return;
    }
}

/* The look of the buttons of a saved run's row. */
static void
style_row_button (GtkWidget  *button,
                  const char *tooltip,
                  const char *accessible_name)
{
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_name, -1);
}

static GtkWidget *
rename_button_new (const char *id,
                   const char *title,
                   BtBacktestPage *self)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *ok = gtk_button_new_with_mnemonic (_("_Rename"));
  /* Translators: the accessible name of a saved run's rename button; %s is its name */
  g_autofree char *label = g_strdup_printf (_("Rename %s"), title);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "document-edit-symbolic");
  style_row_button (button, _("Rename"), label);
  gtk_editable_set_text (GTK_EDITABLE (entry), title);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name of the run"), -1);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 24);
  gtk_widget_add_css_class (ok, "suggested-action");
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), ok);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_object_set_data (G_OBJECT (popover), "entry", entry);
  g_object_set_data_full (G_OBJECT (popover), "run-id", g_strdup (id), g_free);
  g_signal_connect (entry, "activate", G_CALLBACK (on_rename_activate_cb), self);
  g_signal_connect (ok, "clicked", G_CALLBACK (on_rename_activate_cb), self);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  return button;
}

static void
clear_saved_rows (BtBacktestPage *self)
{
  for (guint i = 0; i < self->saved_rows->len; i++)
    adw_preferences_group_remove (self->saved_group, g_ptr_array_index (self->saved_rows, i));
  g_ptr_array_set_size (self->saved_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->saved_group), FALSE);
  _bt_backtest_page_update_compare (self);
}

/* A flat icon button of a saved run's row, carrying the run's id. */
static GtkWidget *
run_button_new (const char     *icon,
                const char     *tooltip,
                const char     *accessible_name,
                const char     *id,
                GCallback       clicked,
                BtBacktestPage *self)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  style_row_button (button, tooltip, accessible_name);
  g_object_set_data_full (G_OBJECT (button), "run-id", g_strdup (id), g_free);
  g_signal_connect (button, "clicked", clicked, self);
  return button;
}

void
bt_backtest_page_add_saved_run (BtBacktestPage *self,
                                const char     *id,
                                const char     *title,
                                const char     *subtitle)
{
  GtkWidget *row, *check;
  g_autofree char *check_label = NULL;
  g_autofree char *open_label = NULL;
  g_autofree char *remove_label = NULL;

  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (id != NULL && title != NULL);

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle != NULL ? subtitle : "");
  g_object_set_data_full (G_OBJECT (row), "run-id", g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (row), "name", g_strdup (title), g_free);

  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  /* Translators: the accessible name of a saved run's check box; %s is its name */
  check_label = g_strdup_printf (_("Compare %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, check_label,
                                  -1);
  g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled_cb), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  g_object_set_data (G_OBJECT (row), "check", check);

  /* Translators: the accessible name of a saved run's open button; %s is its name */
  open_label = g_strdup_printf (_("Open %s"), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             run_button_new ("document-open-symbolic", _("Open"), open_label, id,
                                             G_CALLBACK (on_open_run_clicked_cb), self));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), rename_button_new (id, title, self));
  /* Translators: the accessible name of a saved run's delete button; %s is its name */
  remove_label = g_strdup_printf (_("Delete %s"), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             run_button_new ("user-trash-symbolic", _("Delete"), remove_label, id,
                                             G_CALLBACK (on_delete_run_clicked_cb), self));

  adw_preferences_group_add (self->saved_group, row);
  g_ptr_array_add (self->saved_rows, row);
  gtk_widget_set_visible (GTK_WIDGET (self->saved_group), TRUE);
  _bt_backtest_page_update_compare (self);
}

static char *
saved_subtitle (const BtBacktestRunInfo *info)
{
  g_autofree char *ret = bt_ui_format_percent (info->total_return, 1);
  g_autofree char *hold = bt_ui_format_percent (info->btc_hold_return, 1);
  g_autofree char *created = bt_ui_format_time (info->created_at);
  g_autofree char *settings = NULL;
  g_autofree char *period = _bt_backtest_page_period_text (info->start_day, info->end_day);
  BtBacktestConfig config;

  bt_backtest_config_init_default (&config);
  if (info->config_json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, info->config_json, -1, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          bt_backtest_config_from_json (&config, json_node_get_object (json_parser_get_root (parser)),
                                        NULL);
          settings = _bt_backtest_page_settings_text (&config);
        }
    }
  /* Translators: a saved run: its period, settings, return, buying and
   * holding's, and when it ran */
  return g_strdup_printf (_("%s · %s\nReturn %s, buy and hold %s · %s"), period,
                          settings != NULL ? settings : "", ret, hold, created);
}

void
_bt_backtest_page_reload_saved_runs (BtBacktestPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  guint shown = 0;

  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

  clear_saved_rows (self);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  if (self->store == NULL)
    return;
  runs = bt_backtest_store_list (self->store, &error);
  if (runs == NULL)
    {
      bt_page_message (BT_PAGE (self), error->message);
      return;
    }
  for (guint i = 0; i < runs->len && shown < MAX_SAVED_ROWS; i++)
    {
      BtBacktestRunInfo *info = g_ptr_array_index (runs, i);
      g_autofree char *subtitle = NULL;
      g_autofree char *title = NULL;

      if (g_strcmp0 (info->id, self->pending_delete) == 0)
        continue;
      subtitle = saved_subtitle (info);
      title = info->name != NULL && *info->name != '\0'
              ? g_strdup (info->name) : _bt_backtest_page_period_text (info->start_day, info->end_day);
      bt_backtest_page_add_saved_run (self, info->id, title, subtitle);
      shown++;
    }
  self->infos = g_steal_pointer (&runs);
}

void
_bt_backtest_page_update_compare (BtBacktestPage *self)
{
  guint ticked = 0;

  for (guint i = 0; i < self->saved_rows->len; i++)
    if (gtk_check_button_get_active (g_object_get_data (g_ptr_array_index (self->saved_rows, i),
                                                        "check")))
      ticked++;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtest.compare",
                                 ticked >= 2 && ticked <= MAX_COMPARED);
}

void
_bt_backtest_page_compare_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (widget);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; i < self->saved_rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->saved_rows, i);

      if (gtk_check_button_get_active (g_object_get_data (row, "check")))
        g_ptr_array_add (ids, g_object_get_data (row, "run-id"));
    }
  if (ids->len < 2 || ids->len > MAX_COMPARED)
    return;
  g_ptr_array_add (ids, NULL);
  _bt_backtest_page_load_runs (self, (const char *const *) ids->pdata);
}

/* libadwaita 1.2 frees a toast's state when its hide animation ends even
 * while its show animation (up to 500 ms) still runs, and crashes when that
 * one ends: a toast is dismissed only once it is fully shown. */
#define TOAST_SHOWN_US (600 * G_TIME_SPAN_MILLISECOND)

static void
on_toast_gone_cb (AdwToast *toast,
                  gpointer  data)
{
  g_object_set_data (G_OBJECT (toast), "bt-gone", GINT_TO_POINTER (TRUE));
}

static gboolean
dismiss_toast_cb (gpointer data)
{
  AdwToast *toast = data;

  if (g_object_get_data (G_OBJECT (toast), "bt-gone") == NULL)
    adw_toast_dismiss (toast);
  return G_SOURCE_REMOVE;
}

/* Takes TOAST (the page's reference) away from the page and dismisses it. */
static void
drop_undo_toast (BtBacktestPage *self)
{
  AdwToast *toast = g_steal_pointer (&self->undo_toast);
  gint64 age;

  if (toast == NULL)
    return;
  g_signal_handlers_disconnect_by_data (toast, self);
  age = g_get_monotonic_time () - self->undo_toast_added;
  if (g_object_get_data (G_OBJECT (toast), "bt-gone") != NULL)
    ;
  else if (age >= TOAST_SHOWN_US)
    adw_toast_dismiss (toast);
  else
    g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) ((TOAST_SHOWN_US - age) / 1000) + 1,
                        dismiss_toast_cb, g_object_ref (toast), g_object_unref);
  g_object_unref (toast);
}

void
_bt_backtest_page_commit_pending_delete (BtBacktestPage *self)
{
  g_autofree char *id = g_steal_pointer (&self->pending_delete);
  g_autoptr(GError) error = NULL;

  drop_undo_toast (self);
  if (id == NULL || self->store == NULL)
    return;
  if (!bt_backtest_store_delete (self->store, id, &error)
      && !g_error_matches (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND))
    bt_page_message (BT_PAGE (self), error->message);
}

static void
on_undo_toast_dismissed_cb (AdwToast       *toast,
                            BtBacktestPage *self)
{
  if (toast == self->undo_toast)
    _bt_backtest_page_commit_pending_delete (self);
}

static void
on_undo_clicked_cb (AdwToast       *toast,
                    BtBacktestPage *self)
{
  bt_backtest_page_undo_delete (self);
}

static void
delete_run (BtBacktestPage *self,
            const char     *id)
{
  GtkWidget *overlay;
  const BtBacktestRunInfo *info;
  g_autofree char *title = NULL;

  if (self->store == NULL || id == NULL)
    return;
  _bt_backtest_page_commit_pending_delete (self);
  self->pending_delete = g_strdup (id);
  info = _bt_backtest_page_find_info (self, id);
  title = info != NULL && info->name != NULL ? g_strdup (info->name) : g_strdup (id);
  _bt_backtest_page_reload_saved_runs (self);
  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      _bt_backtest_page_commit_pending_delete (self);
      return;
    }
  /* Translators: a toast after deleting a saved backtest run; %s is its name */
  self->undo_toast = adw_toast_new_format (_("“%s” deleted"), title);
  g_object_ref (self->undo_toast);
  self->undo_toast_added = g_get_monotonic_time ();
  g_signal_connect (self->undo_toast, "dismissed", G_CALLBACK (on_toast_gone_cb), NULL);
  adw_toast_set_button_label (self->undo_toast, _("_Undo"));
  g_signal_connect (self->undo_toast, "dismissed", G_CALLBACK (on_undo_toast_dismissed_cb), self);
  g_signal_connect (self->undo_toast, "button-clicked", G_CALLBACK (on_undo_clicked_cb), self);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), g_object_ref (self->undo_toast));
}

void
bt_backtest_page_run_finished (BtBacktestPage   *self,
                               BtBacktestResult *run)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  g_return_if_fail (run != NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "running") != 0)
    {
      /* cancelled meanwhile */
      bt_backtest_result_free (run);
      return;
    }
  if (self->store == NULL)
    {
      _bt_backtest_page_deliver_run (self, run);
      return;
    }
  /* saved in a worker (thousands of rows), then shown */
  start_job (self, NULL, run, self->generation, bt_backtest_page_run_finished);
}

guint
bt_backtest_page_get_n_saved_runs (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), 0);
  return self->saved_rows->len;
}

/* What the INDEX-th saved run's row holds under KEY. */
static const char *
saved_row_data (BtBacktestPage *self,
                guint           index,
                const char     *key)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), NULL);
  g_return_val_if_fail (index < self->saved_rows->len, NULL);

  return g_object_get_data (g_ptr_array_index (self->saved_rows, index), key);
}

const char *
bt_backtest_page_get_saved_run_id (BtBacktestPage *self,
                                   guint           index)
{
  return saved_row_data (self, index, "run-id");
}

const char *
bt_backtest_page_get_saved_run_name (BtBacktestPage *self,
                                     guint           index)
{
  return saved_row_data (self, index, "name");
}

void
bt_backtest_page_select_saved_run (BtBacktestPage *self,
                                   const char     *id,
                                   gboolean        selected)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));

  for (guint i = 0; i < self->saved_rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->saved_rows, i);

      if (g_strcmp0 (g_object_get_data (row, "run-id"), id) == 0)
        gtk_check_button_set_active (g_object_get_data (row, "check"), selected);
    }
}

gboolean
bt_backtest_page_rename_saved_run (BtBacktestPage *self,
                                   const char     *id,
                                   const char     *name,
                                   GError        **error)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), FALSE);
  g_return_val_if_fail (id != NULL && name != NULL, FALSE);

  if (self->store == NULL)
    {
      g_set_error_literal (error, BT_STORE_ERROR, BT_STORE_ERROR_NOT_FOUND,
                           _("There are no saved runs."));
      return FALSE;
    }
  if (!bt_backtest_store_rename (self->store, id, name, error))
    return FALSE;
  _bt_backtest_page_reload_saved_runs (self);
  /* the run shown takes the new name too */
  if (self->run != NULL && g_strcmp0 (self->run->id, id) == 0)
    {
      g_autofree char *title = _bt_backtest_page_run_name (self, self->run);

      gtk_label_set_label (self->results_title, title);
      g_free (self->export_title);
      self->export_title = g_steal_pointer (&title);
    }
  return TRUE;
}

void
bt_backtest_page_delete_saved_run (BtBacktestPage *self,
                                   const char     *id)
{
  g_return_if_fail (BT_IS_BACKTEST_PAGE (self));
  delete_run (self, id);
}

gboolean
bt_backtest_page_undo_delete (BtBacktestPage *self)
{
  g_return_val_if_fail (BT_IS_BACKTEST_PAGE (self), FALSE);

  if (self->pending_delete == NULL)
    return FALSE;
  g_clear_pointer (&self->pending_delete, g_free);
  drop_undo_toast (self);
  _bt_backtest_page_reload_saved_runs (self);
  return TRUE;
}

/* ---- the period the data offer ----------------------------------------- */

/* the period the page offers and the rules it shows */
static void
load_span (BtBacktestPage *self,
           BtEngine       *engine)
{
  BtBacktestInputs inputs;
  BtDay price_first, price_last, rules_first, rules_last;

  bt_engine_get_backtest_inputs (engine, &inputs);
  /* no data (the last import removed): nothing to check a period against */
  if (inputs.history == NULL || inputs.table == NULL || inputs.scores == NULL
      || inputs.table->n_days == 0
      || !bt_backtest_inputs_span (&inputs, &price_first, &price_last, &rules_first, &rules_last))
    price_first = price_last = rules_first = rules_last = BT_DAY_INVALID;
  /* the span, and the ladder's note of the rules runs are made with */
  bt_backtest_page_set_data_span (self, price_first, price_last, rules_first, rules_last);
}

/* The wizard's check before a run (docs/rulebook.md §5.1). */
char *
_bt_backtest_page_dup_coverage_warning (BtBacktestPage *self,
                                        BtDay           from,
                                        BtDay           to)
{
  BtEngine *engine = bt_page_get_engine (BT_PAGE (self));
  BtBacktestInputs inputs;
  BtBacktestCoverage coverage;

  if (engine == NULL || bt_engine_get_history (engine) == NULL || from > to)
    return NULL;
  bt_engine_get_backtest_inputs (engine, &inputs);
  bt_backtest_coverage (&inputs, inputs.score_rules, from, to, &coverage);
  return bt_backtest_coverage_dup_warning (&coverage, inputs.score_rules, from, to);
}

void
_bt_backtest_page_reload (BtPage *page)
{
  BtBacktestPage *self = BT_BACKTEST_PAGE (page);
  BtStore *store = bt_page_get_store (page);

  if (self->store != store)
    {
      _bt_backtest_page_commit_pending_delete (self);
      g_set_object (&self->store, store);
      _bt_backtest_page_reload_saved_runs (self);
    }
  /* none once the page is disposed */
  if (bt_page_get_engine (page) != NULL)
    load_span (self, bt_page_get_engine (page));
}
