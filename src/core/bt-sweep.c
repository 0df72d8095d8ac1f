#define G_LOG_DOMAIN "bt-core"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bt-scoring.h"
#include "bt-backtest-private.h"
#include "bt-sweep.h"
#include "bt-sweep-private.h"

/* A grid larger than this is surely a typing mistake. */
#define MAX_GRID_ROWS 1000000u
/* Progress reports from the synchronous variant, at most this often. */
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)

void
bt_sweep_row_free (BtSweepRow *row)
{
  if (row == NULL)
    return;
  g_free (row->label);
  g_free (row);
}

/* ---- grid expansion ---- */

GPtrArray *
bt_sweep_expand (const BtBacktestConfig  *base,
                 const char *const       *grid,
                 GError                 **error)
{
  /* the grid's axes: each key and its values */
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) axes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_sweep_row_free);
  guint64 total = 1;

  g_return_val_if_fail (base != NULL, NULL);

  for (guint i = 0; grid != NULL && grid[i] != NULL; i++)
    {
      const char *eq = strchr (grid[i], '=');
      BtBacktestConfig scratch = *base;
      char *key;
      GStrv values;
      guint n;

      if (eq == NULL || eq == grid[i] || eq[1] == '\0')
        {
          g_set_error (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG,
                       _("“%s” is not KEY=V1,V2,…"), grid[i]);
          return NULL;
        }
      key = g_strndup (grid[i], (gsize) (eq - grid[i]));
      values = g_strsplit (eq + 1, g_str_has_prefix (key, "bands.") ? ";" : ",", -1);
      n = g_strv_length (values);
      g_ptr_array_add (keys, key);
      g_ptr_array_add (axes, values);
      for (guint k = 0; k < n; k++)
        {
          g_strstrip (values[k]);
          if (!bt_backtest_config_set (&scratch, key, values[k], error))
            return NULL;
        }
      total *= n;
      if (total > MAX_GRID_ROWS)
        {
          g_set_error (error, BT_BACKTEST_ERROR, BT_BACKTEST_ERROR_INVALID_CONFIG,
                       _("The grid has more than %u combinations."), MAX_GRID_ROWS);
          return NULL;
        }
    }

  for (guint64 r = 0; r < total; r++)
    {
      g_autoptr(BtSweepRow) row = g_new0 (BtSweepRow, 1);
      GString *label = g_string_new (NULL);
      guint64 rest = r;

      row->index = (guint) r;
      row->config = *base;
      /* mixed radix, the last axis fastest */
      for (guint a = axes->len; a-- > 0;)
        {
          const char *const *values = axes->pdata[a];
          const char *key = keys->pdata[a];
          guint n = g_strv_length ((GStrv) values);
          const char *value = values[rest % n];

          rest /= n;
          if (!bt_backtest_config_set (&row->config, key, value, error))
            {
              g_string_free (label, TRUE);
              return NULL;
            }
          g_string_prepend (label, value);
          g_string_prepend_c (label, '=');
          g_string_prepend (label, key);
          if (a > 0)
            g_string_prepend_c (label, ' ');
        }
      row->label = g_string_free (label, FALSE);
      if (!bt_backtest_config_validate (&row->config, NULL, error))
        {
          g_prefix_error (error, "%s: ", row->label);
          return NULL;
        }
      g_ptr_array_add (rows, g_steal_pointer (&row));
    }
  return g_steal_pointer (&rows);
}

/* ---- order ---- */

static gint
compare_desc (double a,
              double b)
{
  gboolean na = isnan (a), nb = isnan (b);

  if (na || nb)
    return na == nb ? 0 : (na ? 1 : -1);
  return a > b ? -1 : (a < b ? 1 : 0);
}

gint
bt_sweep_row_compare (gconstpointer a,
                      gconstpointer b)
{
  const BtSweepRow *ra = *(BtSweepRow *const *) a;
  const BtSweepRow *rb = *(BtSweepRow *const *) b;
  gint c;

  if ((c = compare_desc (ra->metrics.total_return, rb->metrics.total_return)) != 0)
    return c;
  if ((c = compare_desc (ra->metrics.sharpe_ratio, rb->metrics.sharpe_ratio)) != 0)
    return c;
  return ra->index < rb->index ? -1 : (ra->index > rb->index ? 1 : 0);
}

/* ---- running ---- */

typedef struct
{
  BtRules   rules;
  BtScores *scores;
} ScoreSet;

typedef struct
{
  GPtrArray        *rows;
  BtBacktestInputs *row_inputs;   /* one per row: shared arrays, its score set */
  GCancellable     *cancellable;
  gint              next;
  gint              done;
  gint              failed;
  GMutex            mutex;
  GCond             cond;
  guint             running;
  GError           *error;
} Shared;

static gpointer
worker (gpointer data)
{
  Shared *shared = data;

  for (;;)
    {
      guint i;
      BtSweepRow *row;
      GError *error = NULL;

      if (g_atomic_int_get (&shared->failed) || g_cancellable_is_cancelled (shared->cancellable))
        break;
      i = (guint) g_atomic_int_add (&shared->next, 1);
      if (i >= shared->rows->len)
        break;
      row = g_ptr_array_index (shared->rows, i);
      if (!bt_backtest_run_metrics (&row->config, &shared->row_inputs[i], shared->cancellable,
                                    &row->metrics, &error))
        {
          g_mutex_lock (&shared->mutex);
          if (shared->error == NULL)
            {
              if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                g_prefix_error (&error, "%s: ", row->label);
              shared->error = error;
            }
          else
            g_error_free (error);
          g_atomic_int_set (&shared->failed, 1);
          g_mutex_unlock (&shared->mutex);
          break;
        }
      g_atomic_int_inc (&shared->done);
    }

  g_mutex_lock (&shared->mutex);
  shared->running--;
  g_cond_broadcast (&shared->cond);
  g_mutex_unlock (&shared->mutex);
  return NULL;
}

gboolean
bt_sweep_run (const BtBacktestInputs  *inputs,
              GPtrArray               *rows,
              guint                    n_threads,
              GCancellable            *cancellable,
              BtSweepProgressFunc      progress,
              gpointer                 progress_data,
              GError                 **error)
{
  g_autoptr(GArray) sets = g_array_new (FALSE, TRUE, sizeof (ScoreSet));
  g_autofree BtBacktestInputs *row_inputs = NULL;
  g_autofree GThread **threads = NULL;
  Shared shared;
  guint total, last_done = G_MAXUINT;
  gint64 last_report = 0;
  gboolean ok;

  g_return_val_if_fail (inputs != NULL && inputs->history != NULL && inputs->table != NULL, FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);

  total = rows->len;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* scores: the shared ones, or one computation per distinct rules */
  row_inputs = g_new0 (BtBacktestInputs, MAX (total, 1));
  for (guint i = 0; i < total; i++)
    {
      const BtSweepRow *row = g_ptr_array_index (rows, i);

      row_inputs[i] = *inputs;
      if (inputs->scores != NULL &&
          (inputs->score_rules == NULL ||
           bt_backtest_rules_same_scores (inputs->score_rules, &row->config.rules)))
        continue;
      row_inputs[i].scores = NULL;
      for (guint s = 0; s < sets->len; s++)
        {
          ScoreSet *set = &g_array_index (sets, ScoreSet, s);

          if (bt_backtest_rules_same_scores (&set->rules, &row->config.rules))
            {
              row_inputs[i].scores = set->scores;
              break;
            }
        }
      if (row_inputs[i].scores == NULL)
        {
          ScoreSet set;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto free_sets;
          set.rules = row->config.rules;
          set.scores = g_new0 (BtScores, MAX (inputs->table->n_days, 1));
          bt_scores_compute_all (inputs->table, &set.rules, set.scores);
          g_array_append_val (sets, set);
          row_inputs[i].scores = set.scores;
        }
    }
  /* score_rules point into SETS only once it stops growing */
  for (guint i = 0; i < total; i++)
    for (guint s = 0; s < sets->len; s++)
      if (row_inputs[i].scores == g_array_index (sets, ScoreSet, s).scores)
        row_inputs[i].score_rules = &g_array_index (sets, ScoreSet, s).rules;

  if (n_threads == 0)
    n_threads = g_get_num_processors ();
  n_threads = MAX (1, MIN (n_threads, MAX (total, 1)));

  memset (&shared, 0, sizeof shared);
  shared.rows = rows;
  shared.row_inputs = row_inputs;
  shared.cancellable = cancellable;
  g_mutex_init (&shared.mutex);
  g_cond_init (&shared.cond);
  shared.running = n_threads;

  threads = g_new0 (GThread *, n_threads);
  for (guint t = 0; t < n_threads; t++)
    threads[t] = g_thread_new ("bt-sweep", worker, &shared);

  g_mutex_lock (&shared.mutex);
  while (shared.running > 0)
    {
      gint64 now = g_get_monotonic_time ();
      guint done = (guint) g_atomic_int_get (&shared.done);

      if (progress != NULL && done != last_done && now - last_report >= PROGRESS_INTERVAL_US)
        {
          g_mutex_unlock (&shared.mutex);
          progress (done, total, progress_data);
          g_mutex_lock (&shared.mutex);
          last_done = done;
          last_report = now;
        }
      g_cond_wait_until (&shared.cond, &shared.mutex, now + PROGRESS_INTERVAL_US);
    }
  g_mutex_unlock (&shared.mutex);

  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);

  ok = shared.error == NULL;
  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  else if (!ok)
    g_propagate_error (error, g_steal_pointer (&shared.error));
  g_mutex_clear (&shared.mutex);
  g_cond_clear (&shared.cond);

  if (ok)
    {
      if (progress != NULL)
        progress (total, total, progress_data);
      g_ptr_array_sort (rows, bt_sweep_row_compare);
    }

  for (guint s = 0; s < sets->len; s++)
    g_free (g_array_index (sets, ScoreSet, s).scores);
  return ok;

free_sets:
  for (guint s = 0; s < sets->len; s++)
    g_free (g_array_index (sets, ScoreSet, s).scores);
  return FALSE;
}

/* ---- async ---- */

typedef struct
{
  BtProgressTarget     target;     /* first: see _bt_progress_report() */
  BtBacktestInputs     inputs;
  GPtrArray           *rows;
  guint                n_threads;
  BtSweepProgressFunc  progress;
  guint                reported;   /* rows done last reported (G_MAXUINT: none yet) */
} SweepTaskData;

static void
sweep_task_data_free (gpointer data)
{
  SweepTaskData *d = data;

  _bt_progress_target_clear (&d->target);
  g_ptr_array_unref (d->rows);
  g_free (d);
}

static gboolean
progress_invoke_cb (gpointer user_data)
{
  BtProgressCall *call = user_data;
  SweepTaskData *d = g_task_get_task_data (call->task);

  /* the count of rows done never goes back */
  if (d->reported == G_MAXUINT || call->done > d->reported)
    {
      d->reported = call->done;
      d->progress (call->done, call->total, d->target.data);
    }
  return G_SOURCE_REMOVE;
}

static void
sweep_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SweepTaskData *d = task_data;
  GError *error = NULL;

  if (!bt_sweep_run (&d->inputs, d->rows, d->n_threads, cancellable,
                     d->progress != NULL ? _bt_progress_report : NULL, task, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_ptr_array_ref (d->rows), (GDestroyNotify) g_ptr_array_unref);
}

void
bt_sweep_run_async (GObject                *source_object,
                    const BtBacktestInputs *inputs,
                    GPtrArray              *rows,
                    guint                   n_threads,
                    GCancellable           *cancellable,
                    BtSweepProgressFunc     progress,
                    gpointer                progress_data,
                    GDestroyNotify          progress_notify,
                    GAsyncReadyCallback     callback,
                    gpointer                user_data)
{
  SweepTaskData *d;

  g_return_if_fail (inputs != NULL && rows != NULL);

  d = g_new0 (SweepTaskData, 1);
  d->inputs = *inputs;
  d->rows = g_ptr_array_ref (rows);
  d->n_threads = n_threads;
  d->progress = progress;
  _bt_progress_target_init (&d->target, progress_data, progress_notify, progress_invoke_cb,
                            "[btc-turbo] sweep progress");
  d->reported = G_MAXUINT;
  _bt_progress_task_start (g_task_new (source_object, cancellable, callback, user_data),
                           bt_sweep_run_async, d, sweep_task_data_free, sweep_thread);
}

GPtrArray *
bt_sweep_run_finish (GAsyncResult  *result,
                     GError       **error)
{
  return _bt_progress_task_finish (result, bt_sweep_run_async, error);
}
