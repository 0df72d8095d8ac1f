/* bt-import.c: CSV imports into the store.
 *
 * A file is read in 64 KiB blocks and split into lines in place; each data
 * row becomes a few records (candles or observations) upserted inside the
 * file's single transaction.  The first problem found aborts the import
 * with "FILE:LINE: problem" and rolls everything back.
 *
 * A day met twice in one file is accepted only when the second row carries
 * the same values as the first: a bitmap of the days already seen (one bit
 * per day of years 1900–9999, in 8 KB pieces allocated as rows reach them)
 * sends the rare repeated day to a
 * comparison with what the first row stored.  Legacy v1 tables may hold
 * several rows per day (datetimes): there the latest time of the day wins.
 */
#define G_LOG_DOMAIN "bt-core"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "bt-base.h"
#include "bt-import.h"
#include "bt-import-private.h"
#include "bt-store-private.h"

static void
add_obs (Rec        *recs,
         guint      *n,
         BtDay       day,
         const char *metric,
         double      value)
{
  if (!isfinite (value))
    return;
  recs[*n].candle = FALSE;
  recs[*n].c.open_time = bt_day_to_unix (day);
  recs[*n].metric = metric;
  recs[*n].value = value;
  (*n)++;
}

static void
add_close_candle (Rec    *recs,
                  guint  *n,
                  BtDay   day,
                  double  close)
{
  if (!isfinite (close))
    return;
  recs[*n].candle = TRUE;
  recs[*n].c.open_time = bt_day_to_unix (day);
  recs[*n].c.open = recs[*n].c.high = recs[*n].c.low = recs[*n].c.volume = NAN;
  recs[*n].c.close = close;
  recs[*n].c.provisional = FALSE;
  (*n)++;
}

static gboolean
ohlcv_records (Import        *imp,
               guint64        line,
               BtDay          day,
               const double  *v,
               Rec           *recs,
               guint         *n,
               GError       **error)
{
  double o = v[COL_OPEN], h = v[COL_HIGH], l = v[COL_LOW], c = v[COL_CLOSE];
  double tol;

  if (isnan (o) && isnan (h) && isnan (l) && isnan (c))
    return TRUE;                /* an empty row ("null" everywhere): no data */
  if (isnan (c))
    return _bt_import_fail (imp, line, error, _("the Close cell is empty"));
  tol = 1e-9 * c;
  if (!isnan (h) && !isnan (l) && h < l)
    return _bt_import_fail (imp, line, error, _("High (%g) is below Low (%g)"), h, l);
  if ((!isnan (h) && (c > h + tol || (!isnan (o) && o > h + tol)))
      || (!isnan (l) && (c < l - tol || (!isnan (o) && o < l - tol))))
    return _bt_import_fail (imp, line, error, _("Open or Close lies outside the Low–High range"));
  recs[*n].candle = TRUE;
  recs[*n].c.open_time = bt_day_to_unix (day);
  recs[*n].c.open = o;
  recs[*n].c.high = h;
  recs[*n].c.low = l;
  recs[*n].c.close = c;
  recs[*n].c.volume = v[COL_VOLUME];
  recs[*n].c.provisional = FALSE;
  (*n)++;
  return TRUE;
}

static void
legacy_put (GHashTable *table,
            BtDay       day,
            double      value)
{
  double *v = g_new (double, 1);

  *v = value;
  g_hash_table_insert (table, GINT_TO_POINTER (day), v);
}

/* DAY[kind]: the day each column's value belongs to (legacy columns shift). */
static void
metric_records (Import        *imp,
                const BtDay   *day,
                const double  *v,
                Rec           *recs,
                guint         *n)
{
  double mc = v[COL_MARKET_CAP], rc = v[COL_REALIZED_CAP], mvrv = v[COL_MVRV];
  double price = v[COL_PRICE];
  BtDay d = day[COL_DATE];

  add_close_candle (recs, n, day[COL_PRICE], price);
  add_obs (recs, n, day[COL_MARKET_CAP], bt_input_name (BT_INPUT_MARKET_CAP), mc);
  /* realized cap where it is withheld = market cap / MVRV (README) */
  if (!isnan (rc))
    add_obs (recs, n, d, bt_input_name (BT_INPUT_REALIZED_CAP), rc);
  else if (day[COL_MARKET_CAP] == d)
    add_obs (recs, n, d, bt_input_name (BT_INPUT_REALIZED_CAP), mc / mvrv);
  add_obs (recs, n, d, bt_input_name (BT_INPUT_MVRV_RATIO),
           !isnan (mvrv) ? mvrv : day[COL_MARKET_CAP] == d ? mc / rc : NAN);
  add_obs (recs, n, d, bt_input_name (BT_INPUT_SUPPLY), v[COL_SUPPLY]);
  if (!isnan (v[COL_ISS_USD]))
    add_obs (recs, n, d, bt_input_name (BT_INPUT_ISSUANCE_USD), v[COL_ISS_USD]);
  else if (imp->legacy_coins != NULL)
    {
      /* the coins of D valued at the close of D, which is the next row's
       * price: paired when the whole file has been read */
      if (isfinite (v[COL_ISS_NTV]))
        legacy_put (imp->legacy_coins, d, v[COL_ISS_NTV]);
      if (isfinite (price))
        legacy_put (imp->legacy_price, day[COL_PRICE], price);
    }
  else
    add_obs (recs, n, d, bt_input_name (BT_INPUT_ISSUANCE_USD), v[COL_ISS_NTV] * price);
  add_obs (recs, n, d, bt_input_name (BT_INPUT_NETFLOW), v[COL_FLOW_IN] - v[COL_FLOW_OUT]);
  add_obs (recs, n, d, "funding_rate", v[COL_FUNDING] * 100.0);   /* stored in % per 8 h */
}

/* ---- writing ----------------------------------------------------------------- */

static gboolean
same_double (double a,
             double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

/* Where REC goes: the daily candles or the observations of its metric, in
 * the import's batch. */
static BtStoreSeries
rec_series (const Import *imp,
            const Rec    *rec)
{
  return (BtStoreSeries) { imp->source, imp->batch, rec->candle ? "1d" : rec->metric };
}

static gboolean
put_records (Import     *imp,
             const Rec  *recs,
             guint       n,
             GError    **error)
{
  gboolean any = FALSE;

  for (guint k = 0; k < n; k++)
    {
      BtStoreSeries series = rec_series (imp, &recs[k]);
      gboolean changed = FALSE;
      gboolean ok;

      if (recs[k].candle)
        ok = _bt_store_put_batch_candle (imp->store, &series, &recs[k].c, &imp->changes, &changed,
                                         error);
      else
        {
          BtObservation o = { recs[k].c.open_time, recs[k].value };

          ok = _bt_store_put_batch_observation (imp->store, &series, &o, &imp->changes, &changed,
                                                error);
        }
      if (!ok)
        return FALSE;
      any |= changed;
    }
  if (any)
    imp->stats.rows_written++;
  return TRUE;
}

/* The row repeats an earlier day of the same file: its values must be the
 * ones stored by that earlier row. */
static gboolean
check_repeat (Import     *imp,
              guint64     line,
              BtDay       day,
              const Rec  *recs,
              guint       n,
              GError    **error)
{
  char buf[16];

  for (guint k = 0; k < n; k++)
    {
      BtStoreSeries series = rec_series (imp, &recs[k]);
      gboolean found, same;
      g_autoptr(GError) local = NULL;

      if (recs[k].candle)
        {
          BtCandle c;

          found = _bt_store_get_batch_candle (imp->store, &series, recs[k].c.open_time, &c, &local);
          same = found && same_double (c.open, recs[k].c.open) && same_double (c.high, recs[k].c.high)
                 && same_double (c.low, recs[k].c.low) && same_double (c.close, recs[k].c.close)
                 && same_double (c.volume, recs[k].c.volume);
        }
      else
        {
          double v = NAN;

          found = _bt_store_get_batch_observation (imp->store, &series, recs[k].c.open_time, &v,
                                                   &local);
          same = found && same_double (v, recs[k].value);
        }
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (!same)
        return _bt_import_fail (imp, line, error, _("the day %s appears twice with different values"),
                                bt_day_format (day, buf));
    }
  return TRUE;
}

static gboolean
same_records (const Rec *a,
              guint      na,
              const Rec *b,
              guint      nb)
{
  if (na != nb)
    return FALSE;
  for (guint k = 0; k < na; k++)
    {
      /* a candle record has no metric (the field is not even set) */
      if (a[k].candle != b[k].candle || (!a[k].candle && g_strcmp0 (a[k].metric, b[k].metric) != 0))
        return FALSE;
      if (a[k].candle ? !same_double (a[k].c.close, b[k].c.close) : !same_double (a[k].value, b[k].value))
        return FALSE;
    }
  return TRUE;
}

static gboolean
keep_v1_row (Import     *imp,
             guint64     line,
             BtDay       day,
             gint64      time,
             const Rec  *recs,
             guint       n,
             GError    **error)
{
  V1Row *row = g_hash_table_lookup (imp->v1_rows, GINT_TO_POINTER (day));
  char buf[16];

  if (row != NULL && row->time > time)
    return TRUE;
  if (row != NULL && row->time == time)
    {
      if (!same_records (row->recs, row->n_recs, recs, n))
        return _bt_import_fail (imp, line, error, _("the day %s appears twice with different values"),
                                bt_day_format (day, buf));
      return TRUE;
    }
  /* a new row of the day replaces (and frees) the earlier one */
  row = g_malloc (sizeof (V1Row) + sizeof (Rec) * n);
  row->time = time;
  row->line = line;
  row->n_recs = n;
  memcpy (row->recs, recs, sizeof (Rec) * n);
  g_hash_table_insert (imp->v1_rows, GINT_TO_POINTER (day), row);
  return TRUE;
}

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  BtDay x = *(const BtDay *) a;
  BtDay y = *(const BtDay *) b;

  return x < y ? -1 : x > y;
}

static gboolean
flush_v1_rows (Import  *imp,
               GError **error)
{
  g_autoptr(GArray) days = g_array_sized_new (FALSE, FALSE, sizeof (BtDay),
                                              g_hash_table_size (imp->v1_rows));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, imp->v1_rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      BtDay day = GPOINTER_TO_INT (key);

      g_array_append_val (days, day);
    }
  g_array_sort (days, compare_days);
  for (guint i = 0; i < days->len; i++)
    {
      V1Row *row = g_hash_table_lookup (imp->v1_rows,
                                        GINT_TO_POINTER (g_array_index (days, BtDay, i)));

      if (!put_records (imp, row->recs, row->n_recs, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- one row ----------------------------------------------------------------- */

static gboolean
process_row (Import   *imp,
             guint64   line,
             char     *text,
             Rec      *recs,
             GError  **error)
{
  char *fields[MAX_FIELDS];
  double v[N_COLS];
  BtDay days[N_COLS];
  int n = _bt_import_split_fields (text, fields, MAX_FIELDS);
  const char *date_text = NULL;
  BtDay day = 0;
  gint64 time = 0;
  guint n_recs = 0;
  guint32 bit;
  guint8 **piece;

  if (n < 0)
    return _bt_import_fail (imp, line, error, _("unterminated quote"));
  if ((guint) n != imp->n_cols)
    return _bt_import_fail (imp, line, error, _("%d fields where the header has %u"), n, imp->n_cols);
  for (guint k = 0; k < N_COLS; k++)
    v[k] = NAN;
  for (guint i = 0; i < imp->n_cols; i++)
    {
      const Column *col = &imp->cols[i];

      if (col->kind == COL_DATE)
        date_text = fields[i];
      else if (col->kind != COL_IGNORE && col->kind != COL_METRIC)
        {
          if (!_bt_import_parse_cell (imp, line, col, fields[i], &v[col->kind], error))
            return FALSE;
        }
    }
  if (date_text == NULL || date_text[0] == '\0')
    return _bt_import_fail (imp, line, error, _("the date cell is empty"));
  if (!_bt_import_parse_time (imp, line, date_text, &day, &time, error))
    return FALSE;
  for (guint k = 0; k < N_COLS; k++)
    days[k] = day;
  for (guint i = 0; i < imp->n_cols; i++)
    if (imp->cols[i].shift != 0)
      days[imp->cols[i].kind] = day + imp->cols[i].shift;

  if (imp->format == BT_IMPORT_FORMAT_OHLCV)
    {
      if (!ohlcv_records (imp, line, day, v, recs, &n_recs, error))
        return FALSE;
      /* an OHLCV export may carry other known columns too */
      v[COL_CLOSE] = v[COL_PRICE] = NAN;
      metric_records (imp, days, v, recs, &n_recs);
    }
  else
    metric_records (imp, days, v, recs, &n_recs);
  for (guint i = 0; i < imp->n_cols; i++)
    {
      const Column *col = &imp->cols[i];
      double x;

      if (col->kind != COL_METRIC)
        continue;
      if (!_bt_import_parse_cell (imp, line, col, fields[i], &x, error))
        return FALSE;
      add_obs (recs, &n_recs, day, col->metric, x);
    }
  /* a day that has not ended yet is never a close (README) */
  if (day >= imp->today)
    for (guint k = 0; k < n_recs; k++)
      if (recs[k].candle)
        recs[k].c.provisional = TRUE;

  imp->stats.rows_read++;
  if (imp->stats.first_day == BT_DAY_INVALID || day < imp->stats.first_day)
    imp->stats.first_day = day;
  if (imp->stats.last_day == BT_DAY_INVALID || day > imp->stats.last_day)
    imp->stats.last_day = day;

  if (imp->format == BT_IMPORT_FORMAT_V1)
    return keep_v1_row (imp, line, day, time, recs, n_recs, error);

  bit = (guint32) (day - DAY_MIN);
  piece = &imp->seen[bit / (SEEN_PIECE * 8)];
  if (*piece == NULL)
    *piece = g_malloc0 (SEEN_PIECE);
  bit %= SEEN_PIECE * 8;
  if ((*piece)[bit / 8] & (1u << (bit % 8)))
    return check_repeat (imp, line, day, recs, n_recs, error);
  (*piece)[bit / 8] |= (guint8) (1u << (bit % 8));
  return put_records (imp, recs, n_recs, error);
}

/* The legacy file's issuance in USD: the coins of D times the close of D. */
static gboolean
flush_legacy (Import  *imp,
              GError **error)
{
  GHashTableIter iter;
  gpointer key, value;
  Rec rec;
  guint64 rows_written = imp->stats.rows_written;

  if (imp->legacy_coins == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, imp->legacy_coins);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const double *price = g_hash_table_lookup (imp->legacy_price, key);
      guint n = 0;

      if (price == NULL)
        continue;
      add_obs (&rec, &n, GPOINTER_TO_INT (key), bt_input_name (BT_INPUT_ISSUANCE_USD),
               *(const double *) value * *price);
      if (n > 0 && !put_records (imp, &rec, n, error))
        return FALSE;
    }
  /* values of rows already counted */
  imp->stats.rows_written = rows_written;
  return TRUE;
}

/* ---- one file ------------------------------------------------------------------ */

static gboolean
import_stream (Import         *imp,
               const char     *path,
               BtImportFormat  requested,
               GError        **error)
{
  Reader r = { 0 };
  g_autofree Rec *recs = g_new (Rec, MAX_RECS);
  char *line;
  gsize len;
  int rc;
  gboolean ok = FALSE;
  gboolean header = FALSE;

  r.f = fopen (path, "rb");
  if (r.f == NULL)
    {
      int saved = errno;

      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_FAILED,
                   _("%s: cannot open the file: %s"), imp->display, g_strerror (saved));
      return FALSE;
    }
  r.cap = READ_BLOCK;
  r.buf = g_malloc (r.cap);

  while ((rc = _bt_import_reader_next (&r, imp, &line, &len, error)) > 0)
    {
      char *p = line;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        continue;                       /* blank line */
      if (!header)
        {
          if (!_bt_import_read_header (imp, line, requested, error))
            goto out;
          header = TRUE;
          continue;
        }
      if (!process_row (imp, r.line, line, recs, error))
        goto out;
    }
  if (rc < 0)
    goto out;
  if (!header)
    {
      _bt_import_fail (imp, 1, error, _("the file is empty"));
      goto out;
    }
  if (imp->stats.rows_read == 0)
    {
      _bt_import_fail (imp, 2, error, _("the file has a header but no data rows"));
      goto out;
    }
  if (imp->format == BT_IMPORT_FORMAT_V1 && !flush_v1_rows (imp, error))
    goto out;
  if (!flush_legacy (imp, error))
    goto out;
  ok = TRUE;

out:
  fclose (r.f);
  g_free (r.buf);
  return ok;
}

static void
import_init (Import     *imp,
             BtStore    *store,
             const char *path)
{
  memset (imp, 0, sizeof *imp);
  imp->store = store;
  imp->display = g_filename_display_name (path);
  imp->v1_rows = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  imp->stats.first_day = imp->stats.last_day = imp->stats.first_changed = BT_DAY_INVALID;
  imp->today = bt_day_from_unix (g_get_real_time () / G_USEC_PER_SEC);
  _bt_store_changes_init (&imp->changes);
}

static void
import_clear (Import *imp)
{
  for (guint i = 0; i < imp->n_cols; i++)
    g_free (imp->cols[i].name);
  g_free (imp->cols);
  g_free (imp->display);
  for (guint i = 0; i < SEEN_PIECES; i++)
    g_free (imp->seen[i]);
  g_hash_table_unref (imp->v1_rows);
  g_clear_pointer (&imp->mapping, g_hash_table_unref);
  g_clear_pointer (&imp->digest, g_checksum_free);
  g_clear_pointer (&imp->legacy_coins, g_hash_table_unref);
  g_clear_pointer (&imp->legacy_price, g_hash_table_unref);
}

/* OPTIONS' "HEADER=FIELD" list into IMP->mapping; FALSE on a bad entry. */
static gboolean
set_mapping (Import                *imp,
             const char * const    *columns,
             GError               **error)
{
  if (columns == NULL || columns[0] == NULL)
    return TRUE;
  imp->mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; columns[i] != NULL; i++)
    {
      const char *eq = strrchr (columns[i], '=');
      g_autofree char *header = NULL;
      g_autofree char *field = NULL;

      if (eq == NULL || eq == columns[i] || eq[1] == '\0')
        {
          g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
                       _("%s: the column mapping “%s” is not HEADER=FIELD"), imp->display, columns[i]);
          return FALSE;
        }
      header = g_strstrip (g_ascii_strdown (columns[i], eq - columns[i]));
      field = g_strstrip (g_strdup (eq + 1));
      if (!bt_import_is_field (field))
        {
          g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
                       _("%s: “%s” is not a field BTC Turbo knows (date, open, high, low, close, "
                         "volume, PriceUSD, CapMrktCurUSD, CapMVRVCur, SplyCur, IssTotNtv, IssTotUSD, "
                         "funding_rate, ignore or an indicator name)"),
                       imp->display, field);
          return FALSE;
        }
      g_hash_table_replace (imp->mapping, g_strdup (header), g_strdup (field));
    }
  return TRUE;
}

/* The digest of a batch (SHA-1): the file's bytes, the format and the mapping. */
static char *
batch_digest (Import *imp)
{
  g_autoptr(GList) keys = NULL;

  g_checksum_update (imp->digest, (const guchar *) "\0format=", -1);
  g_checksum_update (imp->digest, (const guchar *) bt_import_format_name (imp->format), -1);
  if (imp->mapping != NULL)
    {
      keys = g_list_sort (g_hash_table_get_keys (imp->mapping), (GCompareFunc) strcmp);
      for (GList *l = keys; l != NULL; l = l->next)
        {
          g_checksum_update (imp->digest, (const guchar *) "\0", 1);
          g_checksum_update (imp->digest, l->data, -1);
          g_checksum_update (imp->digest, (const guchar *) "=", 1);
          g_checksum_update (imp->digest, g_hash_table_lookup (imp->mapping, l->data), -1);
        }
    }
  return g_strdup (g_checksum_get_string (imp->digest));
}

static void
merge_stats (BtImportStats       *total,
             const BtImportStats *one)
{
  total->rows_read += one->rows_read;
  total->rows_written += one->rows_written;
  if (one->first_day != BT_DAY_INVALID
      && (total->first_day == BT_DAY_INVALID || one->first_day < total->first_day))
    total->first_day = one->first_day;
  if (one->last_day != BT_DAY_INVALID
      && (total->last_day == BT_DAY_INVALID || one->last_day > total->last_day))
    total->last_day = one->last_day;
}

gboolean
bt_import_file (BtStore         *store,
                const char      *path,
                BtImportFormat   format,
                BtImportStats   *stats,
                GError         **error)
{
  return bt_import_file_full (store, path, format, NULL, stats, error);
}

gboolean
bt_import_file_full (BtStore               *store,
                     const char            *path,
                     BtImportFormat         format,
                     const BtImportOptions *options,
                     BtImportStats         *stats,
                     GError               **error)
{
  g_autofree char *base = NULL;
  g_autofree char *digest = NULL;
  Import imp;
  gboolean ok;
  gint64 existing = 0;

  g_return_val_if_fail (BT_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (format < BT_N_IMPORT_FORMATS, FALSE);

  import_init (&imp, store, path);
  imp.digest = g_checksum_new (G_CHECKSUM_SHA1);   /* an identity, not a seal: the fastest GLib has */
  if (options != NULL)
    {
      imp.unknown = options->unknown_columns;
      if (options->today != BT_DAY_INVALID && options->today != 0)
        imp.today = options->today;
    }
  if (!set_mapping (&imp, options ? options->columns : NULL, error)
      || !_bt_store_begin (store, error))
    {
      import_clear (&imp);
      return FALSE;
    }
  base = g_path_get_basename (path);
  imp.batch = _bt_store_insert_batch (store, base, "import", error);
  ok = imp.batch > 0 && import_stream (&imp, path, format, error);
  if (ok)
    {
      g_autoptr(GError) local = NULL;

      digest = batch_digest (&imp);
      existing = _bt_store_find_batch_by_digest (store, digest, &local);
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      ok = local == NULL && (error == NULL || *error == NULL)
           && _bt_store_finish_batch (store, imp.batch, bt_import_format_name (imp.format),
                                      imp.stats.rows_read, imp.stats.first_day,
                                      imp.stats.last_day, digest, error);
    }
  imp.stats.format = imp.format;
  if (!ok || existing > 0 || (options != NULL && options->dry_run))
    {
      /* a failure, the same file imported before, or a trial: nothing stays */
      _bt_store_rollback (store, NULL);
      if (ok)
        {
          imp.stats.rows_written = existing > 0 ? 0 : imp.stats.rows_written;
          imp.stats.first_changed = existing > 0 ? BT_DAY_INVALID : imp.changes.first_changed;
          imp.stats.batch = existing;
          imp.stats.already_imported = existing > 0;
        }
    }
  else
    {
      ok = _bt_store_commit_changes (store, &imp.changes, error);
      imp.stats.first_changed = imp.changes.first_changed;
      imp.stats.batch = imp.batch;
    }
  if (ok && stats != NULL)
    *stats = imp.stats;
  import_clear (&imp);
  return ok;
}

gboolean
bt_import_migrate_v1 (BtStore        *store,
                      const char     *dir,
                      BtImportStats  *stats,
                      GError        **error)
{
  static const char *const tables[] = {
    "indicadores_ciclo", "indicadores_momentum", "indicadores_risco", "indicadores_tecnico",
  };
  BtImportStats total = { BT_IMPORT_FORMAT_V1, 0, 0, BT_DAY_INVALID, BT_DAY_INVALID, BT_DAY_INVALID, 0, FALSE };
  g_autoptr(GChecksum) digest = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *base = g_path_get_basename (dir);
  g_autoptr(GError) local = NULL;
  BtStoreChanges changes;
  guint found = 0;
  gint64 batch, existing;

  g_return_val_if_fail (BT_IS_STORE (store), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  _bt_store_changes_init (&changes);
  if (!_bt_store_begin (store, error))
    return FALSE;
  batch = _bt_store_insert_batch (store, base, "v1", error);
  if (batch <= 0)
    {
      _bt_store_rollback (store, NULL);
      return FALSE;
    }
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *name = g_strconcat (tables[t], ".csv", NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      Import imp;
      gboolean ok;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      found++;
      import_init (&imp, store, path);
      imp.batch = batch;
      imp.digest = digest;
      g_checksum_update (digest, (const guchar *) name, -1);
      ok = import_stream (&imp, path, BT_IMPORT_FORMAT_V1, error);
      imp.digest = NULL;
      merge_stats (&total, &imp.stats);
      if (imp.changes.first_changed != BT_DAY_INVALID
          && (changes.first_changed == BT_DAY_INVALID || imp.changes.first_changed < changes.first_changed))
        changes.first_changed = imp.changes.first_changed;
      changes.n_changed += imp.changes.n_changed;
      import_clear (&imp);
      if (!ok)
        {
          _bt_store_rollback (store, NULL);
          return FALSE;
        }
    }
  if (found == 0)
    {
      g_autofree char *display = g_filename_display_name (dir);

      _bt_store_rollback (store, NULL);
      g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
                   _("%s: none of indicadores_ciclo.csv, indicadores_momentum.csv, "
                     "indicadores_risco.csv, indicadores_tecnico.csv is there"), display);
      return FALSE;
    }
  g_checksum_update (digest, (const guchar *) "\0format=v1", -1);
  existing = _bt_store_find_batch_by_digest (store, g_checksum_get_string (digest), &local);
  if (local != NULL)
    {
      _bt_store_rollback (store, NULL);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (existing > 0)
    {
      /* the same tables migrated before: nothing changes */
      _bt_store_rollback (store, NULL);
      total.rows_written = 0;
      total.batch = existing;
      total.already_imported = TRUE;
      if (stats != NULL)
        *stats = total;
      return TRUE;
    }
  if (!_bt_store_finish_batch (store, batch, "v1", total.rows_read, total.first_day,
                               total.last_day, g_checksum_get_string (digest), error))
    {
      _bt_store_rollback (store, NULL);
      return FALSE;
    }
  if (!_bt_store_commit_changes (store, &changes, error))
    return FALSE;
  total.first_changed = changes.first_changed;
  total.batch = batch;
  if (stats != NULL)
    *stats = total;
  return TRUE;
}
