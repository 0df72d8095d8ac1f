/* bt-import-assistant.c: see bt-import-assistant.h.  The mapping of a
 * header is kept in the database settings under
 * "import.mapping.<SHA-256 of the header line>". */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n.h>
#include <string.h>

#include "bt-base.h"
#include "bt-import.h"
#include "bt-import-assistant.h"
#include "bt-import-assistant-private.h"
#include "bt-ui-util.h"

#define HEAD_BYTES (64 * 1024)
#define PREVIEW_ROWS 5

struct _BtImportAssistant
{
  AdwWindow      parent_instance;

  BtStore       *store;
  GFile         *file;
  char          *header_line;
  GPtrArray     *headers;     /* char * */
  GPtrArray     *rows;        /* GStrv, the first data rows */
  GPtrArray     *dropdowns;   /* GtkDropDown *, one per column */
  GtkStringList *choices;     /* "(not read)", then the fields */
  GtkWidget     *grid;
  GtkWidget     *summary;
  GtkWidget     *import_button;
  GtkWidget     *spinner;
  char          *summary_text;
  gboolean       checking;
  gboolean       ok;
  guint          generation;  /* trial runs started; only the last one counts */
  GCancellable  *cancellable;
};

G_DEFINE_FINAL_TYPE (BtImportAssistant, bt_import_assistant, ADW_TYPE_WINDOW)

enum { IMPORT, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- reading the head of the file ---- */

/* Splits one CSV line (RFC 4180 quotes) into newly allocated fields. */
static GStrv
split_csv (const char *line)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = line;; p++)
    {
      if (quoted)
        {
          if (*p == '\0')
            break;
          if (*p == '"' && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p++;
            }
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
          continue;
        }
      if (*p == '"')
        quoted = TRUE;
      else if (*p == ',' || *p == '\0')
        {
          g_strv_builder_add (b, g_strstrip (field->str));
          g_string_truncate (field, 0);
          if (*p == '\0')
            break;
        }
      else
        g_string_append_c (field, *p);
    }
  return g_strv_builder_end (b);
}

static gboolean
read_head (BtImportAssistant *self,
           GError           **error)
{
  g_autoptr(GFileInputStream) in = g_file_read (self->file, NULL, error);
  g_autofree char *buf = g_malloc0 (HEAD_BYTES + 1);
  g_auto(GStrv) lines = NULL;
  gsize got = 0;
  guint n = 0;

  if (in == NULL || !g_input_stream_read_all (G_INPUT_STREAM (in), buf, HEAD_BYTES, &got, NULL, error))
    return FALSE;
  buf[got] = '\0';
  if (!g_utf8_validate (buf, -1, NULL))
    {
      /* a cut multi-byte character at the end of the block is fine */
      const char *end;

      g_utf8_validate (buf, -1, &end);
      if ((gsize) (end - buf) + 4 < got)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The file is not CSV text"));
          return FALSE;
        }
      buf[end - buf] = '\0';
    }
  lines = g_strsplit (buf, "\n", -1);
  for (guint i = 0; lines[i] != NULL && n <= PREVIEW_ROWS; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);

      if (lines[i + 1] == NULL && got == HEAD_BYTES)
        break;                       /* a line cut by the block */
      if (len > 0 && line[len - 1] == '\r')
        line[len - 1] = '\0';
      if (i == 0 && g_str_has_prefix (line, "\xEF\xBB\xBF"))
        line += 3;
      if (g_strstrip (line)[0] == '\0')
        continue;
      if (self->header_line == NULL)
        {
          g_auto(GStrv) fields = split_csv (line);

          self->header_line = g_strdup (line);
          for (guint k = 0; fields[k] != NULL; k++)
            g_ptr_array_add (self->headers, g_strdup (fields[k]));
        }
      else
        g_ptr_array_add (self->rows, split_csv (line));
      n++;
    }
  if (self->header_line == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The file is empty"));
      return FALSE;
    }
  return TRUE;
}

/* ---- the mapping ---- */

static char *
mapping_key (BtImportAssistant *self)
{
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, self->header_line, -1);

  return g_strconcat ("import.mapping.", sum, NULL);
}

static guint
choice_of (BtImportAssistant *self,
           const char        *field)
{
  if (field == NULL)
    return 0;
  for (guint i = 1; i < g_list_model_get_n_items (G_LIST_MODEL (self->choices)); i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->choices, i), field) == 0)
      return i;
  return 0;
}

const char *
bt_import_assistant_get_field (BtImportAssistant *self,
                               guint              column)
{
  guint sel;

  g_return_val_if_fail (BT_IS_IMPORT_ASSISTANT (self), NULL);
  g_return_val_if_fail (column < self->dropdowns->len, NULL);

  sel = gtk_drop_down_get_selected (g_ptr_array_index (self->dropdowns, column));
  if (sel == 0 || sel == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->choices, sel);
}

void
bt_import_assistant_set_field (BtImportAssistant *self,
                               guint              column,
                               const char        *field)
{
  g_return_if_fail (BT_IS_IMPORT_ASSISTANT (self));
  g_return_if_fail (column < self->dropdowns->len);

  gtk_drop_down_set_selected (g_ptr_array_index (self->dropdowns, column), choice_of (self, field));
}

guint
bt_import_assistant_get_n_columns (BtImportAssistant *self)
{
  g_return_val_if_fail (BT_IS_IMPORT_ASSISTANT (self), 0);
  return self->headers->len;
}

GStrv
bt_import_assistant_dup_columns (BtImportAssistant *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_return_val_if_fail (BT_IS_IMPORT_ASSISTANT (self), NULL);

  for (guint i = 0; i < self->headers->len; i++)
    {
      const char *header = g_ptr_array_index (self->headers, i);
      const char *field = bt_import_assistant_get_field (self, i);
      const char *guess = bt_import_guess_field (header);
      g_autofree char *entry = NULL;

      if (g_strcmp0 (field, guess) == 0 || strchr (header, '=') != NULL)
        continue;
      entry = g_strdup_printf ("%s=%s", header, field != NULL ? field : "ignore");
      g_strv_builder_add (b, entry);
    }
  return g_strv_builder_end (b);
}

static void
load_remembered (BtImportAssistant *self)
{
  g_autofree char *key = mapping_key (self);
  g_autofree char *saved = bt_store_dup_setting (self->store, key, NULL);
  g_auto(GStrv) entries = NULL;

  if (saved == NULL)
    return;
  entries = g_strsplit (saved, "\n", -1);
  for (guint e = 0; entries[e] != NULL; e++)
    {
      const char *eq = strrchr (entries[e], '=');

      if (eq == NULL)
        continue;
      for (guint i = 0; i < self->headers->len; i++)
        if (strncmp (entries[e], g_ptr_array_index (self->headers, i), (gsize) (eq - entries[e])) == 0
            && strlen (g_ptr_array_index (self->headers, i)) == (gsize) (eq - entries[e]))
          gtk_drop_down_set_selected (g_ptr_array_index (self->dropdowns, i),
                                      choice_of (self, g_str_equal (eq + 1, "ignore") ? NULL : eq + 1));
    }
}

static void
remember (BtImportAssistant *self)
{
  g_auto(GStrv) columns = bt_import_assistant_dup_columns (self);
  g_autofree char *key = mapping_key (self);
  g_autofree char *value = g_strjoinv ("\n", columns);

  bt_store_set_setting (self->store, key, columns[0] != NULL ? value : NULL, NULL);
}

/* ---- the trial import ---- */

typedef struct
{
  char  *file_path;
  GStrv  columns;
  guint  generation;
  BtImportStats stats;
  GPtrArray *unknown;
} Trial;

static void
trial_free (Trial *t)
{
  g_free (t->file_path);
  g_strfreev (t->columns);
  g_clear_pointer (&t->unknown, g_ptr_array_unref);
  g_free (t);
}

/* BtStoreWorkFunc: a dry run of the import: read and checked, nothing written. */
static gboolean
trial_work (BtStore       *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Trial *t = data;
  BtImportOptions options = { (const char * const *) t->columns, BT_DAY_INVALID, TRUE, t->unknown };

  return bt_import_file_full (store, t->file_path, BT_IMPORT_FORMAT_AUTO, &options, &t->stats, error);
}

static void
set_summary (BtImportAssistant *self,
             const char        *text,
             gboolean           ok)
{
  g_free (self->summary_text);
  self->summary_text = g_strdup (text);
  self->ok = ok;
  self->checking = FALSE;
  gtk_label_set_text (GTK_LABEL (self->summary), text);
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->spinner, FALSE);
  if (ok)
    gtk_widget_remove_css_class (self->summary, "error");
  else
    gtk_widget_add_css_class (self->summary, "error");
  gtk_widget_set_sensitive (self->import_button, ok);
}

static void
on_trial_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BtImportAssistant) self = user_data;
  Trial *t = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *first = NULL, *last = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || t->generation != self->generation)
        return;
      set_summary (self, error->message, FALSE);
      return;
    }
  if (t->generation != self->generation)
    return;
  first = bt_ui_format_day (t->stats.first_day);
  last = bt_ui_format_day (t->stats.last_day);
  if (t->stats.already_imported)
    g_string_append_printf (text, _("This file was imported before with this mapping (import %lld): importing it again changes nothing."),
                            (long long) t->stats.batch);
  else
    /* Translators: "3237 rows will be imported, touching the days 2017-08-17 to 2026-06-27." */
    g_string_append_printf (text, g_dngettext (NULL, "%llu row will be imported, touching the days %s to %s.",
                                               "%llu rows will be imported, touching the days %s to %s.",
                                               (gulong) MIN (t->stats.rows_read, G_MAXULONG)),
                            (unsigned long long) t->stats.rows_read, first, last);
  if (t->unknown != NULL && t->unknown->len > 0)
    {
      g_autofree char *names = NULL;

      g_ptr_array_add (t->unknown, NULL);
      names = g_strjoinv (", ", (char **) t->unknown->pdata);
      g_ptr_array_remove_index (t->unknown, t->unknown->len - 1);
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Columns not read: %s."), names);
    }
  g_string_append_c (text, ' ');
  g_string_append (text, _("Nothing is written until you press Import."));
  set_summary (self, text->str, !t->stats.already_imported);
}

static void
start_trial (BtImportAssistant *self)
{
  g_autoptr(GTask) task = NULL;
  Trial *t = g_new0 (Trial, 1);

  t->file_path = g_file_get_path (self->file);
  t->columns = bt_import_assistant_dup_columns (self);
  t->generation = ++self->generation;
  t->unknown = g_ptr_array_new_with_free_func (g_free);
  self->checking = TRUE;
  self->ok = FALSE;
  gtk_widget_set_sensitive (self->import_button, FALSE);
  gtk_label_set_text (GTK_LABEL (self->summary), _("Checking the whole file…"));
  gtk_widget_set_visible (self->spinner, TRUE);
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  task = g_task_new (NULL, self->cancellable, on_trial_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_trial);
  g_task_set_task_data (task, t, (GDestroyNotify) trial_free);
  bt_store_run_in_thread (self->store, task, trial_work);
}

static void
on_field_changed_cb (GtkDropDown       *dropdown,
                     GParamSpec        *pspec,
                     BtImportAssistant *self)
{
  if (self->dropdowns->len == self->headers->len)
    start_trial (self);
}

const char *
bt_import_assistant_get_summary (BtImportAssistant *self)
{
  g_return_val_if_fail (BT_IS_IMPORT_ASSISTANT (self), NULL);
  return self->summary_text;
}

gboolean
bt_import_assistant_is_checking (BtImportAssistant *self)
{
  g_return_val_if_fail (BT_IS_IMPORT_ASSISTANT (self), FALSE);
  return self->checking;
}

gboolean
bt_import_assistant_can_import (BtImportAssistant *self)
{
  g_return_val_if_fail (BT_IS_IMPORT_ASSISTANT (self), FALSE);
  return !self->checking && self->ok;
}

void
bt_import_assistant_confirm (BtImportAssistant *self)
{
  g_auto(GStrv) columns = NULL;

  g_return_if_fail (BT_IS_IMPORT_ASSISTANT (self));

  if (!bt_import_assistant_can_import (self))
    return;
  columns = bt_import_assistant_dup_columns (self);
  remember (self);
  g_signal_emit (self, signals[IMPORT], 0, self->file, columns);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_import_clicked_cb (GtkButton         *button,
                      BtImportAssistant *self)
{
  bt_import_assistant_confirm (self);
}

static void
on_cancel_clicked_cb (GtkButton         *button,
                      BtImportAssistant *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

/* ---- building ---- */

static GtkWidget *
cell_label (const char *text,
            gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  /* the file's own text, in whatever language the file is */
  gtk_widget_add_css_class (label, "file-content");
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
build (BtImportAssistant *self,
       const GError      *read_error)
{
  GtkWidget *view = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *hint = gtk_label_new (_("Check the field each column is read as; the choice is remembered for files with the same header."));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *status = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *name = g_file_get_basename (self->file);
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>", name);

  self->import_button = gtk_button_new_with_mnemonic (_("_Import"));
  gtk_widget_add_css_class (self->import_button, "suggested-action");
  gtk_widget_set_sensitive (self->import_button, FALSE);
  g_signal_connect (self->import_button, "clicked", G_CALLBACK (on_import_clicked_cb), self);
  g_signal_connect (cancel, "clicked", G_CALLBACK (on_cancel_clicked_cb), self);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->import_button);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Import History"), NULL));

  gtk_label_set_markup (GTK_LABEL (title), markup);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), hint);

  self->grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 6);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->grid);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);

  for (guint c = 0; c < self->headers->len; c++)
    {
      const char *h = g_ptr_array_index (self->headers, c);
      GtkWidget *dd = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->choices)), NULL);

      gtk_drop_down_set_selected (GTK_DROP_DOWN (dd), choice_of (self, bt_import_guess_field (h)));
      gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dd), TRUE);
      gtk_grid_attach (GTK_GRID (self->grid), cell_label (h, TRUE), (int) c, 0, 1, 1);
      gtk_grid_attach (GTK_GRID (self->grid), dd, (int) c, 1, 1, 1);
      g_ptr_array_add (self->dropdowns, dd);
      for (guint r = 0; r < self->rows->len; r++)
        {
          GStrv row = g_ptr_array_index (self->rows, r);

          gtk_grid_attach (GTK_GRID (self->grid), cell_label (c < g_strv_length (row) ? row[c] : "", FALSE),
                           (int) c, (int) r + 2, 1, 1);
        }
    }
  load_remembered (self);
  for (guint c = 0; c < self->dropdowns->len; c++)
    g_signal_connect (g_ptr_array_index (self->dropdowns, c), "notify::selected",
                      G_CALLBACK (on_field_changed_cb), self);

  self->spinner = gtk_spinner_new ();
  self->summary = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->summary), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  gtk_widget_set_hexpand (self->summary, TRUE);
  gtk_box_append (GTK_BOX (status), self->spinner);
  gtk_box_append (GTK_BOX (status), self->summary);
  gtk_box_append (GTK_BOX (box), status);

  gtk_box_append (GTK_BOX (view), header);
  gtk_widget_set_vexpand (box, TRUE);
  gtk_box_append (GTK_BOX (view), box);
  adw_window_set_content (ADW_WINDOW (self), view);

  if (read_error != NULL)
    set_summary (self, read_error->message, FALSE);
  else
    start_trial (self);
}

BtImportAssistant *
bt_import_assistant_new (GtkWindow *parent,
                         BtStore   *store,
                         GFile     *file)
{
  BtImportAssistant *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (BT_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (BT_TYPE_IMPORT_ASSISTANT,
                       "transient-for", parent,
                       "modal", TRUE,
                       "default-width", 760,
                       "default-height", 420,
                       "title", _("Import History"),
                       NULL);
  self->store = g_object_ref (store);
  self->file = g_object_ref (file);
  read_head (self, &error);
  build (self, error);
  return self;
}

static void
bt_import_assistant_dispose (GObject *object)
{
  BtImportAssistant *self = BT_IMPORT_ASSISTANT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_object (&self->choices);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bt_import_assistant_parent_class)->dispose (object);
}

static void
bt_import_assistant_finalize (GObject *object)
{
  BtImportAssistant *self = BT_IMPORT_ASSISTANT (object);

  g_free (self->header_line);
  g_free (self->summary_text);
  g_ptr_array_unref (self->headers);
  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->dropdowns);

  G_OBJECT_CLASS (bt_import_assistant_parent_class)->finalize (object);
}

static void
bt_import_assistant_class_init (BtImportAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bt_import_assistant_dispose;
  object_class->finalize = bt_import_assistant_finalize;

  /**
   * BtImportAssistant::import:
   * @file: the file
   * @columns: the "HEADER=FIELD" mapping (G_TYPE_STRV)
   */
  signals[IMPORT] = g_signal_new ("import", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_STRV);
}

static void
bt_import_assistant_init (BtImportAssistant *self)
{
  const char *const *fields = bt_import_list_fields ();

  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->dropdowns = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->choices = gtk_string_list_new (NULL);
  gtk_string_list_append (self->choices, _("(not read)"));
  for (guint i = 0; fields[i] != NULL; i++)
    if (!g_str_equal (fields[i], "ignore"))
      gtk_string_list_append (self->choices, fields[i]);
}
