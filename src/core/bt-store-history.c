/* bt-store-history.c: the store's raw-input history: the source order, the
 * precedence policy between sources and import batches, the merged history,
 * per-source coverage and disagreements (bt-store.h).
 */
#define G_LOG_DOMAIN "bt-core"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "bt-base.h"
#include "bt-store.h"
#include "bt-store-private.h"

/* ---- history --------------------------------------------------------------- */

/* The merged daily history (README, "Where the numbers come from"): every
 * source keeps its own rows and the day's price comes from the best
 * candidate, never from the last import:
 *
 *   1. a full candle (open, high, low and close) of a closed day;
 *   2. a close-only candle of an exchange collector;
 *   3. a close-only reference rate (an imported price column, Coin Metrics);
 *   4. a provisional row (a day that was still open): never a close while
 *      anything else exists.
 *
 * Within a tier the user's source order decides (setting
 * BT_STORE_SOURCE_ORDER_SETTING), then, between two imported files, the file
 * name, then the batch id.  Observations (market cap, funding, …): live
 * sources over imports over v1, then the same file order. */

static const char default_source_order[] = "binance,coinbase,kraken,import,v1,coinmetrics";

char *
bt_store_dup_source_order (BtStore  *self,
                           GError  **error)
{
  g_autoptr(GError) local = NULL;
  char *order;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  order = bt_store_dup_setting (self, BT_STORE_SOURCE_ORDER_SETTING, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return order != NULL ? order : g_strdup (default_source_order);
}

gboolean
bt_store_set_source_order (BtStore     *self,
                           const char  *order,
                           GError     **error)
{
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (BT_IS_STORE (self), FALSE);

  if (order == NULL)
    return bt_store_set_setting (self, BT_STORE_SOURCE_ORDER_SETTING, NULL, error);
  names = g_strsplit (order, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      BtSource s;

      if (!bt_source_from_name (g_strstrip (names[i]), &s) || s == BT_SOURCE_NONE)
        {
          g_set_error (error, BT_STORE_ERROR, BT_STORE_ERROR_INVALID,
                       _("“%s” is not a source name"), names[i]);
          return FALSE;
        }
    }
  return bt_store_set_setting (self, BT_STORE_SOURCE_ORDER_SETTING, order, error);
}

/* What the merge needs besides the rows: the rank of each source and of
 * each import batch, and the store the rows are read from. */
typedef struct
{
  guint8      source_rank[BT_N_SOURCES];
  GHashTable *batch_rank;      /* batch id → rank + 1 */
  BtStore    *store;
} Precedence;

/* Ranks the sources ORDER (a comma-separated list) names that have no rank
 * yet, from *NEXT on. */
static void
rank_sources (Precedence *p,
              const char *order,
              guint      *next)
{
  g_auto(GStrv) names = g_strsplit (order, ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      BtSource s;

      if (bt_source_from_name (g_strstrip (names[i]), &s) && p->source_rank[s] == G_MAXUINT8)
        p->source_rank[s] = (guint8) (*next)++;
    }
}

static void
rank_batch (sqlite3_stmt *stmt,
            gpointer      user_data)
{
  Precedence *p = user_data;
  gint64 *id = g_new (gint64, 1);

  *id = sqlite3_column_int64 (stmt, 0);
  g_hash_table_insert (p->batch_rank, id, GUINT_TO_POINTER (g_hash_table_size (p->batch_rank) + 1));
}

static gboolean
precedence_init (BtStore     *self,
                 Precedence  *p,
                 GError     **error)
{
  g_autofree char *order = bt_store_dup_source_order (self, error);
  g_autoptr(BtStoreStmt) stmt = NULL;
  guint next = 0;

  p->store = self;
  p->batch_rank = g_hash_table_new (g_int64_hash, g_int64_equal);
  if (order == NULL)
    return FALSE;
  for (guint s = 0; s < BT_N_SOURCES; s++)
    p->source_rank[s] = G_MAXUINT8;
  rank_sources (p, order, &next);
  /* sources the order does not name follow, in the default order */
  rank_sources (p, default_source_order, &next);
  for (guint s = 0; s < BT_N_SOURCES; s++)
    if (p->source_rank[s] == G_MAXUINT8)
      p->source_rank[s] = (guint8) next++;

  stmt = _bt_store_prepare (self, "SELECT id FROM import_batches ORDER BY file, id", error);
  if (stmt == NULL)
    return FALSE;
  return _bt_store_each_row (self, stmt, rank_batch, p, _("loading import batches"), error);
}

static void
precedence_clear (Precedence *p)
{
  GHashTableIter iter;
  gpointer key;

  if (p->batch_rank == NULL)
    return;
  g_hash_table_iter_init (&iter, p->batch_rank);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_free (key);
  g_clear_pointer (&p->batch_rank, g_hash_table_unref);
}

static guint32
batch_rank (const Precedence *p,
            gint64            batch)
{
  if (batch <= 0)
    return 0;
  return GPOINTER_TO_UINT (g_hash_table_lookup (p->batch_rank, &batch));
}

static gboolean
is_reference_source (BtSource source)
{
  return source == BT_SOURCE_IMPORT || source == BT_SOURCE_V1 || source == BT_SOURCE_COINMETRICS
         || source == BT_SOURCE_BGEOMETRICS || source == BT_SOURCE_NOTION;
}

typedef struct
{
  gint64   time;
  gint64   batch;
  double   v[5];       /* open, high, low, close, volume */
  guint8   source;
  gboolean provisional;
  guint64  key;        /* lower wins */
} CandleRow;

static guint64
candle_key (const Precedence *p,
            const CandleRow  *row)
{
  gboolean full = isfinite (row->v[0]) && isfinite (row->v[1]) && isfinite (row->v[2])
                  && isfinite (row->v[3]);
  guint64 tier;

  if (row->provisional)
    tier = 3;
  else if (full)
    tier = 0;
  else if (!is_reference_source (row->source))
    tier = 1;
  else
    tier = 2;
  return (tier << 40) | ((guint64) p->source_rank[row->source] << 32) | batch_rank (p, row->batch);
}

/* Observations: live sources over imports over v1; 2 + 8 + 22 bits, so a
 * day's owner fits 32 bits (G_MAXUINT32: none). */
static guint32
observation_key (const Precedence *p,
                 BtSource          source,
                 gint64            batch)
{
  guint32 tier = source == BT_SOURCE_IMPORT ? 1 : source == BT_SOURCE_V1 ? 2 : 0;

  return (tier << 30) | ((guint32) p->source_rank[source] << 22) | MIN (batch_rank (p, batch), 0x3FFFFEu);
}

enum
{
  TARGET_NONE = 0,
  TARGET_INPUT = 1,
  TARGET_FUNDING = 2,
  TARGET_PRICE = 3,
};

typedef struct
{
  gint64  time;
  double  value;
  guint32 key;
  guint8  source;
  guint8  input;         /* BT_N_INPUTS when none */
  guint8  indicator;     /* BT_N_INDICATORS when none */
  guint8  kind;          /* TARGET_* */
} ObsRow;

/* Rows come grouped by source: remember the last name looked up. */
typedef struct
{
  char     last[32];
  BtSource source;
  gboolean valid;
} SourceCache;

static gboolean
source_from_column (sqlite3_stmt *stmt,
                    int           column,
                    SourceCache  *cache,
                    BtSource     *out)
{
  const char *name = (const char *) sqlite3_column_text (stmt, column);

  if (name == NULL)
    return FALSE;
  if (strcmp (name, cache->last) != 0)
    {
      g_strlcpy (cache->last, name, sizeof cache->last);
      cache->valid = bt_source_from_name (name, &cache->source);
    }
  *out = cache->source;
  return cache->valid;
}

static void
map_metric (const char *metric,
            BtSource    source,
            ObsRow     *row)
{
  BtInput input;
  BtIndicator ind;

  row->kind = TARGET_NONE;
  row->input = BT_N_INPUTS;
  row->indicator = BT_N_INDICATORS;
  if (g_strcmp0 (metric, "funding_rate") == 0)
    row->kind = TARGET_FUNDING;
  else if (g_strcmp0 (metric, "price") == 0)
    row->kind = TARGET_PRICE;
  else if (bt_input_from_name (metric, &input)
           && input >= BT_INPUT_MARKET_CAP && input != BT_INPUT_FUNDING_SUM
           && input != BT_INPUT_FUNDING_COUNT)
    {
      row->kind = TARGET_INPUT;
      row->input = input;
    }
  if ((source == BT_SOURCE_IMPORT || source == BT_SOURCE_V1)
      && bt_indicator_from_name (metric, &ind))
    row->indicator = ind;
}

/* Every daily candle row, and every "price" observation as a close-only
 * reference candle, with its precedence key; FROM/TO (unix, inclusive,
 * G_MININT64/G_MAXINT64 for open ends) limit the days. */
static gboolean
read_candle_rows (const Precedence *p,
                  gint64            from,
                  gint64            to,
                  GArray           *rows,
                  GError          **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  SourceCache cache = { "", BT_SOURCE_NONE, FALSE };
  int rc;

  stmt = _bt_store_prepare_bound (p->store, error,
                                  "SELECT source, open_time, batch, open, high, low, close, volume, provisional"
                                  " FROM candles WHERE interval = '1d' AND open_time BETWEEN ?1 AND ?2"
                                  " UNION ALL SELECT source, time, batch, NULL, NULL, NULL, value, NULL, 0"
                                  " FROM observations WHERE metric = 'price' AND time BETWEEN ?1 AND ?2",
                                  "ii", from, to);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CandleRow row;
      BtSource source;

      if (!source_from_column (stmt, 0, &cache, &source))
        continue;
      row.source = source;
      row.time = sqlite3_column_int64 (stmt, 1);
      row.batch = sqlite3_column_int64 (stmt, 2);
      for (int k = 0; k < 5; k++)
        row.v[k] = _bt_store_column_double (stmt, 3 + k);
      row.provisional = sqlite3_column_int (stmt, 8) != 0;
      if (!isfinite (row.v[3]))
        continue;
      row.key = candle_key (p, &row);
      g_array_append_val (rows, row);
    }
  if (rc != SQLITE_DONE)
    return _bt_store_set_error (p->store, _("loading candles"), error);
  return TRUE;
}

static gboolean
read_observation_rows (const Precedence *p,
                       GArray           *rows,
                       GError          **error)
{
  g_autoptr(BtStoreStmt) stmt = NULL;
  g_autofree char *last_metric = NULL;
  BtSource last_source = BT_N_SOURCES;
  SourceCache cache = { "", BT_SOURCE_NONE, FALSE };
  ObsRow proto = { 0 };
  int rc;

  stmt = _bt_store_prepare (p->store,
                            "SELECT source, metric, time, value, batch FROM observations"
                            " WHERE metric <> 'price' ORDER BY source, metric, time", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *metric = (const char *) sqlite3_column_text (stmt, 1);
      BtSource source;
      ObsRow row;

      if (!source_from_column (stmt, 0, &cache, &source) || metric == NULL)
        continue;
      if (source != last_source || g_strcmp0 (metric, last_metric) != 0)
        {
          g_free (last_metric);
          last_metric = g_strdup (metric);
          last_source = source;
          map_metric (metric, source, &proto);
        }
      row = proto;
      row.source = source;
      row.time = sqlite3_column_int64 (stmt, 2);
      row.value = _bt_store_column_double (stmt, 3);
      row.key = observation_key (p, source, sqlite3_column_int64 (stmt, 4));
      g_array_append_val (rows, row);
    }
  if (rc != SQLITE_DONE)
    return _bt_store_set_error (p->store, _("loading observations"), error);
  return TRUE;
}

/* WINNER[i]: the index in ROWS of day FIRST + i's best candle, -1 if none. */
static gint *
pick_candles (GArray *rows,
              BtDay   first,
              guint   n_days)
{
  gint *winner = g_new (gint, MAX (n_days, 1));

  for (guint i = 0; i < n_days; i++)
    winner[i] = -1;
  for (guint r = 0; r < rows->len; r++)
    {
      const CandleRow *row = &g_array_index (rows, CandleRow, r);
      gint64 i = (gint64) bt_day_from_unix (row->time) - first;

      if (i < 0 || i >= (gint64) n_days)
        continue;
      if (winner[i] < 0 || row->key < g_array_index (rows, CandleRow, winner[i]).key)
        winner[i] = (gint) r;
    }
  return winner;
}

static void
fill_candles (BtHistory *h,
              GArray    *rows)
{
  static const BtInput cols[5] = {
    BT_INPUT_OPEN, BT_INPUT_HIGH, BT_INPUT_LOW, BT_INPUT_CLOSE, BT_INPUT_VOLUME,
  };
  g_autofree gint *winner = pick_candles (rows, h->first_day, h->n_days);

  for (guint i = 0; i < h->n_days; i++)
    {
      const CandleRow *row;

      if (winner[i] < 0)
        continue;
      row = &g_array_index (rows, CandleRow, winner[i]);
      for (int k = 0; k < 5; k++)
        {
          h->input[cols[k]][i] = row->v[k];
          h->input_source[cols[k]][i] = isfinite (row->v[k]) ? row->source : BT_SOURCE_NONE;
        }
    }
}

/* The key owning each day of one column, allocated when first needed. */
static guint32 *
owner_column (guint32 **cols,
              guint     k,
              guint     n_days)
{
  if (cols[k] == NULL)
    {
      cols[k] = g_new (guint32, MAX (n_days, 1));
      memset (cols[k], 0xFF, sizeof (guint32) * MAX (n_days, 1));
    }
  return cols[k];
}

static void
fill_observations (BtHistory *h,
                   GArray    *rows)
{
  guint32 *input_key[BT_N_INPUTS] = { NULL };
  guint32 *ind_key[BT_N_INDICATORS] = { NULL };

  for (guint r = 0; r < rows->len; r++)
    {
      const ObsRow *row = &g_array_index (rows, ObsRow, r);
      gssize i = bt_history_index (h, bt_day_from_unix (row->time));

      if (i < 0 || !isfinite (row->value))
        continue;
      if (row->kind == TARGET_INPUT)
        {
          guint32 *owner = &owner_column (input_key, row->input, h->n_days)[i];

          if (row->key <= *owner)
            {
              *owner = row->key;
              h->input[row->input][i] = row->value;
              h->input_source[row->input][i] = row->source;
            }
        }
      else if (row->kind == TARGET_FUNDING)
        {
          /* one source's settlements make the day's funding: a daily mean
           * imported from a file never mixes with live 8-hourly rates */
          guint32 *owner = &owner_column (input_key, BT_INPUT_FUNDING_SUM, h->n_days)[i];
          double *sum = &h->input[BT_INPUT_FUNDING_SUM][i];
          double *count = &h->input[BT_INPUT_FUNDING_COUNT][i];

          if (row->key > *owner)
            continue;
          if (row->key < *owner)
            {
              *owner = row->key;
              *sum = NAN;
              *count = NAN;
            }
          *sum = isnan (*sum) ? row->value : *sum + row->value;
          *count = isnan (*count) ? 1 : *count + 1;
          h->input_source[BT_INPUT_FUNDING_SUM][i] = row->source;
          h->input_source[BT_INPUT_FUNDING_COUNT][i] = row->source;
        }
      if (row->indicator < BT_N_INDICATORS)
        {
          guint32 *owner = &owner_column (ind_key, row->indicator, h->n_days)[i];
          double *col = bt_history_ensure_imported (h, row->indicator);

          if (row->key <= *owner)
            {
              *owner = row->key;
              col[i] = row->value;
              h->imported_source[row->indicator][i] = row->source;
            }
        }
    }
  for (guint k = 0; k < BT_N_INPUTS; k++)
    g_free (input_key[k]);
  for (guint k = 0; k < BT_N_INDICATORS; k++)
    g_free (ind_key[k]);
}

/* The first and last day of any raw input; FALSE when there is none. */
static gboolean
raw_day_range (GArray *candles,
               GArray *obs,
               BtDay  *first,
               BtDay  *last)
{
  *first = *last = BT_DAY_INVALID;
  for (guint r = 0; r < candles->len + obs->len; r++)
    {
      gint64 t = r < candles->len ? g_array_index (candles, CandleRow, r).time
                                  : g_array_index (obs, ObsRow, r - candles->len).time;
      BtDay d = bt_day_from_unix (t);

      if (*first == BT_DAY_INVALID || d < *first)
        *first = d;
      if (*last == BT_DAY_INVALID || d > *last)
        *last = d;
    }
  return *first != BT_DAY_INVALID;
}

BtHistory *
bt_store_load_history (BtStore  *self,
                       GError  **error)
{
  g_autoptr(GArray) candles = g_array_new (FALSE, FALSE, sizeof (CandleRow));
  g_autoptr(GArray) obs = g_array_new (FALSE, FALSE, sizeof (ObsRow));
  Precedence p = { { 0 }, NULL, NULL };
  BtDay first, last;
  BtHistory *h;
  gboolean ok;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  ok = precedence_init (self, &p, error)
       && read_candle_rows (&p, G_MININT64, G_MAXINT64, candles, error)
       && read_observation_rows (&p, obs, error);
  precedence_clear (&p);
  if (!ok)
    return NULL;

  if (!raw_day_range (candles, obs, &first, &last))
    h = bt_history_new (0, 0);
  else
    h = bt_history_new (first, (guint) (last - first + 1));
  fill_candles (h, candles);
  fill_observations (h, obs);
  h->data_version = bt_store_get_data_version (self);
  return h;
}

/* ---- merged history, batches, coverage ------------------------------------- */

GArray *
bt_store_list_merged_history (BtStore  *self,
                              BtDay     from,
                              BtDay     to,
                              GError  **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CandleRow));
  g_autoptr(GArray) none = g_array_new (FALSE, FALSE, sizeof (ObsRow));
  g_autofree gint *winner = NULL;
  Precedence p = { { 0 }, NULL, NULL };
  GArray *out;
  BtDay first, last;
  gboolean ok;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  ok = precedence_init (self, &p, error)
       && read_candle_rows (&p,
                            from == BT_DAY_INVALID ? G_MININT64 : bt_day_to_unix (from),
                            to == BT_DAY_INVALID ? G_MAXINT64 : bt_day_to_unix (to),
                            rows, error);
  precedence_clear (&p);
  if (!ok)
    return NULL;
  out = g_array_new (FALSE, FALSE, sizeof (BtMergedDay));
  if (!raw_day_range (rows, none, &first, &last))
    return out;
  winner = pick_candles (rows, first, (guint) (last - first + 1));
  for (BtDay d = first; d <= last; d++)
    {
      const CandleRow *row;
      BtMergedDay m;

      if (winner[d - first] < 0)
        continue;
      row = &g_array_index (rows, CandleRow, winner[d - first]);
      m.date = d;
      m.open = row->v[0];
      m.high = row->v[1];
      m.low = row->v[2];
      m.close = row->v[3];
      m.volume = row->v[4];
      m.source = row->source;
      m.batch = row->batch;
      m.provisional = row->provisional;
      g_array_append_val (out, m);
    }
  return out;
}

void
bt_source_coverage_free (BtSourceCoverage *coverage)
{
  static const gsize strings[] = { G_STRUCT_OFFSET (BtSourceCoverage, file) };

  _bt_store_free_record (coverage, strings, G_N_ELEMENTS (strings));
}

static gpointer
coverage_from_row (sqlite3_stmt *stmt)
{
  BtSourceCoverage *c;
  BtSource source;

  if (!bt_source_from_name ((const char *) sqlite3_column_text (stmt, 0), &source))
    return NULL;
  c = g_new0 (BtSourceCoverage, 1);
  c->source = source;
  c->batch = sqlite3_column_int64 (stmt, 1);
  c->file = _bt_store_column_dup_text (stmt, 2);
  c->first_day = bt_day_from_unix (sqlite3_column_int64 (stmt, 3));
  c->last_day = bt_day_from_unix (sqlite3_column_int64 (stmt, 4));
  c->n_days = (guint) sqlite3_column_int64 (stmt, 5);
  c->full_candles = sqlite3_column_int (stmt, 6) != 0;
  return c;
}

GPtrArray *
bt_store_list_source_coverage (BtStore  *self,
                               GError  **error)
{
  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  return _bt_store_collect (self, _("loading candles"), error,
                            coverage_from_row, (GDestroyNotify) bt_source_coverage_free,
                            "SELECT r.source, r.batch, b.file, min (r.t), max (r.t), count (DISTINCT r.t),"
                            "  max (r.full) FROM ("
                            "  SELECT source, batch, open_time AS t,"
                            "   (open IS NOT NULL AND high IS NOT NULL AND low IS NOT NULL) AS full"
                            "   FROM candles WHERE interval = '1d' AND close IS NOT NULL"
                            "  UNION ALL SELECT source, batch, time, 0 FROM observations"
                            "   WHERE metric = 'price' AND value IS NOT NULL) AS r"
                            " LEFT JOIN import_batches AS b ON b.id = r.batch"
                            " GROUP BY r.source, r.batch ORDER BY r.source, r.batch",
                            "");
}

static int
compare_row_days (gconstpointer a,
                  gconstpointer b)
{
  const CandleRow *x = a, *y = b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return x->key < y->key ? -1 : x->key > y->key;
}

GArray *
bt_store_list_disagreements (BtStore  *self,
                             double    threshold_pct,
                             GError  **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CandleRow));
  Precedence p = { { 0 }, NULL, NULL };
  GArray *out;
  gboolean ok;

  g_return_val_if_fail (BT_IS_STORE (self), NULL);

  ok = precedence_init (self, &p, error)
       && read_candle_rows (&p, G_MININT64, G_MAXINT64, rows, error);
  precedence_clear (&p);
  if (!ok)
    return NULL;
  g_array_sort (rows, compare_row_days);
  out = g_array_new (FALSE, FALSE, sizeof (BtDisagreement));
  for (guint r = 0; r < rows->len;)
    {
      guint end = r, lo = G_MAXUINT, hi = G_MAXUINT;
      gint64 t = g_array_index (rows, CandleRow, r).time;

      /* the day's closed rows: the lowest and the highest close */
      for (; end < rows->len && g_array_index (rows, CandleRow, end).time == t; end++)
        {
          const CandleRow *row = &g_array_index (rows, CandleRow, end);

          if (row->provisional || !(row->v[3] > 0))
            continue;
          if (lo == G_MAXUINT || row->v[3] < g_array_index (rows, CandleRow, lo).v[3])
            lo = end;
          if (hi == G_MAXUINT || row->v[3] > g_array_index (rows, CandleRow, hi).v[3])
            hi = end;
        }
      if (lo != G_MAXUINT && lo != hi)
        {
          const CandleRow *a = &g_array_index (rows, CandleRow, lo);
          const CandleRow *b = &g_array_index (rows, CandleRow, hi);
          double pct = (b->v[3] / a->v[3] - 1.0) * 100.0;

          if (pct > threshold_pct)
            {
              BtDisagreement d;

              d.date = bt_day_from_unix (t);
              d.low_source = a->source;
              d.low_batch = a->batch;
              d.low_close = a->v[3];
              d.high_source = b->source;
              d.high_batch = b->batch;
              d.high_close = b->v[3];
              d.difference_pct = pct;
              g_array_append_val (out, d);
            }
        }
      r = end;
    }
  return out;
}
