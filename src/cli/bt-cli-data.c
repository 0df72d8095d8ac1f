/* bt-cli-data.c: the shared helpers, import, migrate-v1, imports, history. */
#define G_LOG_DOMAIN "bt-cli"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "bt-backtest.h"
#include "bt-base.h"
#include "bt-cli.h"
#include "bt-cli-data-private.h"
#include "bt-json.h"
#include "bt-domain.h"
#include "bt-engine.h"
#include "bt-import.h"
#include "bt-scoring.h"
#include "bt-store.h"

/* ---- shared helpers ---------------------------------------------------- */

gpointer
bt_cli_open_store (BtCli *cli)
{
  g_autoptr(GError) error = NULL;
  BtStore *store = bt_store_open (cli->db_path, &error);

  if (store == NULL)
    bt_cli_error ("%s", error->message);
  return store;
}

/* One line: ERROR's message, or (no ERROR) that the database holds no
 * market data yet. */
static void
report_no_data (const char   *command,
                const GError *error)
{
  if (error != NULL)
    bt_cli_error ("%s: %s", command, error->message);
  else
    bt_cli_error (_("%s: the database holds no market data yet; run “btc-turbo-cli import FILE” or “btc-turbo-cli collect --once --backfill” first"),
                  command);
}

/* An engine on the store of --db; NULL after a one-line error. */
static BtEngine *
open_store_engine (BtCli *cli)
{
  g_autoptr(BtStore) store = bt_cli_open_store (cli);

  return store != NULL ? bt_engine_new (store) : NULL;
}

BtEngine *
_bt_cli_open_engine (BtCli      *cli,
                     const char *command)
{
  g_autoptr(BtEngine) engine = open_store_engine (cli);
  g_autoptr(GError) error = NULL;

  if (engine == NULL)
    return NULL;
  if (!bt_engine_refresh (engine, &error) || bt_engine_get_n_days (engine) == 0)
    {
      report_no_data (command, error);
      return NULL;
    }
  return g_steal_pointer (&engine);
}

/* The store with its market_data rows made current (they are a cache of the
 * engine's computation); NULL after a one-line error. */
BtStore *
_bt_cli_open_current_store (BtCli      *cli,
                            const char *command,
                            BtDay      *latest)
{
  g_autoptr(BtEngine) engine = open_store_engine (cli);
  g_autoptr(GError) error = NULL;

  if (engine == NULL)
    return NULL;
  if (!bt_engine_ensure_market_data (engine, &error) ||
      !bt_store_get_latest_day (bt_engine_get_store (engine), latest, &error))
    {
      report_no_data (command, error);
      return NULL;
    }
  return g_object_ref (bt_engine_get_store (engine));
}

/* "D is outside the data (FIRST to LAST)" */
void
_bt_cli_report_outside (BtStore    *store,
                        const char *command,
                        BtDay       day)
{
  BtDay first, last;
  char a[11], b[11], c[11];

  if (!bt_store_get_day_range (store, &first, &last, NULL))
    {
      bt_cli_error (_("%s: there is no data for %s"), command, bt_day_format (day, a));
      return;
    }
  bt_cli_error (_("%s: %s is outside the data (%s to %s)"), command, bt_day_format (day, a),
                bt_day_format (first, b), bt_day_format (last, c));
}

/* Day index for --date (default: the last day), with a clear error outside. */
gboolean
_bt_cli_resolve_day (BtEngine   *engine,
                     const char *command,
                     const char *date_text,
                     guint      *index,
                     BtDay      *day)
{
  BtDay d = bt_engine_get_last_day (engine);
  gssize i;

  if (!bt_cli_parse_day (command, "--date", date_text, &d))
    return FALSE;
  i = bt_history_index (bt_engine_get_history (engine), d);
  if (i < 0)
    {
      char a[11], b[11], c[11];

      bt_cli_error (_("%s: %s is outside the data (%s to %s)"), command, bt_day_format (d, a),
                    bt_day_format (bt_engine_get_first_day (engine), b),
                    bt_day_format (bt_engine_get_last_day (engine), c));
      return FALSE;
    }
  *index = (guint) i;
  *day = d;
  return TRUE;
}

void
_bt_cli_write_out (GString *out)
{
  fwrite (out->str, 1, out->len, stdout);
  fflush (stdout);
}

void
bt_cli_write_out (GString *out)
{
  _bt_cli_write_out (out);
}

/* ---- listings (history, indicators) ---------------------------------------- */

void
_bt_cli_listing_begin (BtCliListing *listing,
                       gboolean      json,
                       const char   *header)
{
  listing->json = json;
  listing->out = g_string_sized_new (1 << 16);
  if (json)
    {
      bt_json_init (&listing->w, listing->out);
      bt_json_begin_array (&listing->w);
    }
  else
    g_string_append (listing->out, header);
}

void
_bt_cli_listing_row_begin (BtCliListing *listing,
                           const char   *date)
{
  if (listing->json)
    {
      bt_json_begin_object (&listing->w);
      bt_json_kv_string (&listing->w, "date", date);
    }
  else
    g_string_append (listing->out, date);
}

void
_bt_cli_listing_number (BtCliListing *listing,
                        const char   *name,
                        double        value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (listing->json)
    bt_json_kv_number (&listing->w, name, value);
  else
    {
      g_string_append_c (listing->out, ',');
      g_string_append (listing->out, bt_format_double (value, buf));
    }
}

void
_bt_cli_listing_string (BtCliListing *listing,
                        const char   *name,
                        const char   *value)
{
  if (listing->json)
    bt_json_kv_string (&listing->w, name, value);
  else
    g_string_append_printf (listing->out, ",%s", value);
}

void
_bt_cli_listing_json_bool (BtCliListing *listing,
                           const char   *name,
                           gboolean      value)
{
  if (!listing->json)
    return;
  bt_json_key (&listing->w, name);
  bt_json_bool (&listing->w, value);
}

void
_bt_cli_listing_row_end (BtCliListing *listing)
{
  if (listing->json)
    bt_json_end_object (&listing->w);
  else
    g_string_append_c (listing->out, '\n');
  if (listing->out->len > (1 << 20))
    {
      _bt_cli_write_out (listing->out);
      g_string_truncate (listing->out, 0);
    }
}

void
_bt_cli_listing_end (BtCliListing *listing)
{
  if (listing->json)
    {
      bt_json_end_array (&listing->w);
      g_string_append_c (listing->out, '\n');
    }
  _bt_cli_write_out (listing->out);
  g_string_free (listing->out, TRUE);
  listing->out = NULL;
}

/* ---- import / migrate-v1 ------------------------------------------------ */

static int
finish_import (BtCli               *cli,
               BtStore             *store,
               const char          *what,
               const BtImportStats *stats,
               GPtrArray           *unknown)
{
  g_autoptr(BtEngine) engine = bt_engine_new (store);
  g_autoptr(GError) error = NULL;
  char a[11], b[11];

  if (stats->first_changed != BT_DAY_INVALID &&
      !bt_engine_recompute_from (engine, stats->first_changed, &error))
    {
      bt_cli_error (_("%s was imported, but recomputing the scores failed: %s"), what, error->message);
      return BT_CLI_FAILED;
    }
  if (stats->rows_read == 0 || stats->first_day == BT_DAY_INVALID)
    printf (_("%s: no rows.\n"), what);
  else if (stats->already_imported)
    printf (_("%s: already imported as import %lld (%llu rows, %s to %s); nothing changed.\n"), what,
            (long long) stats->batch, (unsigned long long) stats->rows_read,
            bt_day_format (stats->first_day, a), bt_day_format (stats->last_day, b));
  else
    printf (_("%s: import %lld, %llu rows read, %llu changed, %s to %s.\n"), what,
            (long long) stats->batch, (unsigned long long) stats->rows_read,
            (unsigned long long) stats->rows_written,
            bt_day_format (stats->first_day, a), bt_day_format (stats->last_day, b));
  if (unknown != NULL && unknown->len > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < unknown->len; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", (const char *) g_ptr_array_index (unknown, i));
      printf (_("%s: columns not read (unknown; name them with --column HEADER=FIELD, or HEADER=ignore): %s\n"),
              what, names->str);
    }
  return BT_CLI_OK;
}

int
bt_cli_cmd_import (BtCli  *cli,
                   int     argc,
                   char  **argv)
{
  const char *format_text = "auto";
  const char *file = NULL;
  guint n_pos = 0;
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func (g_free);
  BtCliOption options[] = {
    { "--format", &format_text, NULL, NULL },
    { "--column", NULL, NULL, columns },
  };
  BtImportOptions import_options = { NULL, BT_DAY_INVALID, FALSE, NULL };
  BtImportFormat format;
  g_autoptr(BtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  BtImportStats stats = { 0 };

  if (!bt_cli_parse_options ("import", argc, argv, options, G_N_ELEMENTS (options), &file, 1, &n_pos))
    return BT_CLI_USAGE;
  if (n_pos != 1)
    {
      bt_cli_error (_("import: which file? (import FILE [--format auto|ohlcv|coinmetrics|v1] [--column HEADER=FIELD]…)"));
      return BT_CLI_USAGE;
    }
  for (guint i = 0; i < columns->len; i++)
    {
      const char *entry = g_ptr_array_index (columns, i);
      const char *eq = strrchr (entry, '=');

      if (eq == NULL || eq == entry || !bt_import_is_field (eq + 1))
        {
          bt_cli_error (_("import: --column “%s” must be HEADER=FIELD, FIELD one of: %s"), entry,
                        "date, open, high, low, close, volume, PriceUSD, CapMrktCurUSD, CapRealUSD, "
                        "CapMVRVCur, SplyCur, IssTotNtv, IssTotUSD, funding_rate, ignore, "
                        "or an indicator name");
          return BT_CLI_USAGE;
        }
    }
  g_ptr_array_add (columns, NULL);
  import_options.columns = (const char * const *) columns->pdata;
  import_options.unknown_columns = unknown;
  if (!bt_import_format_from_name (format_text, &format))
    {
      bt_cli_error (_("import: unknown format “%s” (auto, ohlcv, coinmetrics or v1)"), format_text);
      return BT_CLI_USAGE;
    }
  store = bt_cli_open_store (cli);
  if (store == NULL)
    return BT_CLI_FAILED;
  if (!bt_import_file_full (store, file, format, &import_options, &stats, &error))
    {
      bt_cli_error ("%s", error->message);
      return BT_CLI_FAILED;
    }
  return finish_import (cli, store, file, &stats, unknown);
}

int
bt_cli_cmd_migrate_v1 (BtCli  *cli,
                       int     argc,
                       char  **argv)
{
  const char *dir = NULL;
  guint n_pos = 0;
  g_autoptr(BtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  BtImportStats stats = { 0 };

  if (!bt_cli_parse_options ("migrate-v1", argc, argv, NULL, 0, &dir, 1, &n_pos))
    return BT_CLI_USAGE;
  if (n_pos != 1)
    {
      bt_cli_error (_("migrate-v1: which folder? (migrate-v1 DIR)"));
      return BT_CLI_USAGE;
    }
  store = bt_cli_open_store (cli);
  if (store == NULL)
    return BT_CLI_FAILED;
  if (!bt_import_migrate_v1 (store, dir, &stats, &error))
    {
      bt_cli_error ("%s", error->message);
      return BT_CLI_FAILED;
    }
  return finish_import (cli, store, dir, &stats, NULL);
}

/* ---- imports / history --------------------------------------------------- */

/* A CSV cell: quoted when it holds a comma, a quote or a line break. */
static char *
csv_cell (const char *text)
{
  GString *s;

  if (text == NULL)
    return g_strdup ("");
  if (strpbrk (text, ",\"\r\n") == NULL)
    return g_strdup (text);
  s = g_string_new ("\"");
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

static char *
source_label (BtSource source,
              gint64   batch)
{
  if (batch > 0)
    return g_strdup_printf ("%s:%" G_GINT64_FORMAT, bt_source_name (source), batch);
  return g_strdup (bt_source_name (source));
}

int
bt_cli_cmd_imports (BtCli  *cli,
                    int     argc,
                    char  **argv)
{
  const char *remove_text = NULL;
  gboolean json = FALSE;
  BtCliOption options[] = {
    { "--remove", &remove_text, NULL, NULL },
    { "--json", NULL, &json, NULL },
  };
  g_autoptr(BtStore) store = NULL;
  g_autoptr(GPtrArray) batches = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (!bt_cli_parse_options ("imports", argc, argv, options, G_N_ELEMENTS (options), NULL, 0, NULL))
    return BT_CLI_USAGE;
  if (remove_text != NULL)
    {
      g_autoptr(BtEngine) engine = NULL;
      guint64 id;
      BtDay first = BT_DAY_INVALID;

      if (!g_ascii_string_to_unsigned (remove_text, 10, 1, G_MAXINT64, &id, NULL))
        {
          bt_cli_error (_("imports: --remove “%s” is not an import id (see “btc-turbo-cli imports”)"),
                        remove_text);
          return BT_CLI_USAGE;
        }
      store = bt_cli_open_store (cli);
      if (store == NULL)
        return BT_CLI_FAILED;
      if (!bt_store_remove_batch (store, (gint64) id, &first, &error))
        {
          bt_cli_error ("imports: %s", error->message);
          return BT_CLI_FAILED;
        }
      engine = bt_engine_new (store);
      if (first != BT_DAY_INVALID && !bt_engine_recompute_from (engine, first, &error))
        {
          bt_cli_error (_("imports: import %llu was removed, but recomputing the scores failed: %s"),
                        (unsigned long long) id, error->message);
          return BT_CLI_FAILED;
        }
      printf (_("Import %llu removed.\n"), (unsigned long long) id);
      return BT_CLI_OK;
    }

  store = bt_cli_open_store (cli);
  if (store == NULL)
    return BT_CLI_FAILED;
  batches = bt_store_list_batches (store, &error);
  if (batches == NULL)
    {
      bt_cli_error ("imports: %s", error->message);
      return BT_CLI_FAILED;
    }
  if (json)
    {
      BtJson w;

      bt_json_init (&w, out);
      bt_json_begin_array (&w);
      for (guint i = 0; i < batches->len; i++)
        {
          const BtImportBatch *b = g_ptr_array_index (batches, i);
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (b->imported_at);
          g_autofree char *when_text = when ? g_date_time_format_iso8601 (when) : NULL;
          char d1[11], d2[11];

          bt_json_begin_object (&w);
          bt_json_key (&w, "id");
          bt_json_int (&w, b->id);
          bt_json_kv_string (&w, "file", b->file);
          bt_json_kv_string (&w, "kind", b->kind);
          bt_json_kv_string (&w, "imported_at", when_text);
          bt_json_key (&w, "rows");
          bt_json_int (&w, (gint64) b->rows);
          bt_json_kv_string (&w, "first_day", b->first_day != BT_DAY_INVALID ? bt_day_format (b->first_day, d1) : NULL);
          bt_json_kv_string (&w, "last_day", b->last_day != BT_DAY_INVALID ? bt_day_format (b->last_day, d2) : NULL);
          bt_json_end_object (&w);
        }
      bt_json_end_array (&w);
      g_string_append_c (out, '\n');
    }
  else
    {
      g_string_append (out, "id,file,kind,imported_at,rows,first_day,last_day\n");
      for (guint i = 0; i < batches->len; i++)
        {
          const BtImportBatch *b = g_ptr_array_index (batches, i);
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (b->imported_at);
          g_autofree char *when_text = when ? g_date_time_format_iso8601 (when) : g_strdup ("");
          g_autofree char *file = csv_cell (b->file);
          char d1[11] = "", d2[11] = "";

          if (b->first_day != BT_DAY_INVALID)
            bt_day_format (b->first_day, d1);
          if (b->last_day != BT_DAY_INVALID)
            bt_day_format (b->last_day, d2);
          g_string_append_printf (out, "%" G_GINT64_FORMAT ",%s,%s,%s,%" G_GUINT64_FORMAT ",%s,%s\n",
                                  b->id, file, b->kind, when_text, b->rows, d1, d2);
        }
    }
  _bt_cli_write_out (out);
  return BT_CLI_OK;
}

int
bt_cli_cmd_history (BtCli  *cli,
                    int     argc,
                    char  **argv)
{
  const char *from_text = NULL, *to_text = NULL, *format = "csv";
  BtCliOption options[] = {
    { "--from", &from_text, NULL, NULL },
    { "--to", &to_text, NULL, NULL },
    { "--format", &format, NULL, NULL },
  };
  g_autoptr(BtStore) store = NULL;
  g_autoptr(GArray) days = NULL;
  g_autoptr(GError) error = NULL;
  BtDay from = BT_DAY_INVALID, to = BT_DAY_INVALID;
  gboolean json;
  BtCliListing listing;

  if (!bt_cli_parse_options ("history", argc, argv, options, G_N_ELEMENTS (options), NULL, 0, NULL))
    return BT_CLI_USAGE;
  if (!bt_cli_parse_listing ("history", format, from_text, to_text, &json, &from, &to))
    return BT_CLI_USAGE;
  store = bt_cli_open_store (cli);
  if (store == NULL)
    return BT_CLI_FAILED;
  days = bt_store_list_merged_history (store, from, to, &error);
  if (days == NULL)
    {
      bt_cli_error ("history: %s", error->message);
      return BT_CLI_FAILED;
    }
  _bt_cli_listing_begin (&listing, json, "date,open,high,low,close,volume,source\n");
  for (guint i = 0; i < days->len; i++)
    {
      const BtMergedDay *m = &g_array_index (days, BtMergedDay, i);
      g_autofree char *source = source_label (m->source, m->batch);
      const double v[5] = { m->open, m->high, m->low, m->close, m->volume };
      static const char *const names[5] = { "open", "high", "low", "close", "volume" };
      char day[11];

      _bt_cli_listing_row_begin (&listing, bt_day_format (m->date, day));
      for (guint k = 0; k < 5; k++)
        _bt_cli_listing_number (&listing, names[k], v[k]);
      _bt_cli_listing_string (&listing, "source", source);
      _bt_cli_listing_json_bool (&listing, "provisional", m->provisional);
      _bt_cli_listing_row_end (&listing);
    }
  _bt_cli_listing_end (&listing);
  return BT_CLI_OK;
}
