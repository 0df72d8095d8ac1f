/* bt-import.h: CSV imports into the store (OHLCV exports, Coin Metrics
 * CSVs, ready-made indicator columns, the legacy v1.0.25 tables).
 *
 * Each file is read in large blocks (constant memory) and written in one
 * transaction: bad input is refused with one line "FILE:LINE: problem"
 * (BT_STORE_ERROR_INVALID) and the database is left exactly as it was.
 * Re-importing the same file changes nothing.
 */
#pragma once

#include <gio/gio.h>

#include "bt-types.h"
#include "bt-store.h"

G_BEGIN_DECLS

typedef enum
{
  BT_IMPORT_FORMAT_AUTO = 0,     /* detected from the header */
  BT_IMPORT_FORMAT_OHLCV,        /* Date,Open,High,Low,Close[,Adj Close],Volume */
  BT_IMPORT_FORMAT_COINMETRICS,  /* time/date + Coin Metrics metric columns */
  BT_IMPORT_FORMAT_V1,           /* one legacy indicadores_* table */
  BT_IMPORT_FORMAT_INDICATORS,   /* date + indicator columns (bt_indicator_name) */
  BT_N_IMPORT_FORMATS
} BtImportFormat;

typedef struct
{
  BtImportFormat format;         /* the format used (detected for AUTO) */
  guint64        rows_read;      /* data rows (header and blank lines excluded) */
  guint64        rows_written;   /* rows that inserted or changed something */
  BtDay          first_day;      /* BT_DAY_INVALID when no row */
  BtDay          last_day;
  BtDay          first_changed;  /* earliest changed day, BT_DAY_INVALID: none */
  gint64         batch;          /* the import_batches id (the earlier one when already imported) */
  gboolean       already_imported; /* the same file with the same mapping was imported before:
                                    * nothing was written */
} BtImportStats;

/* How to read a file (README, "Importing history"). */
typedef struct
{
  /* NULL-terminated "HEADER=FIELD" entries (may be NULL): FIELD is one of
   * bt_import_list_fields(); "ignore" skips a column. */
  const char * const *columns;
  /* a row of this UTC day or later is kept provisional (the day is still
   * open); 0 or BT_DAY_INVALID: the current day */
  BtDay               today;
  /* read and check everything, report the stats, write nothing */
  gboolean            dry_run;
  /* out (may be NULL): the header names no field reads and no mapping
   * ignores, appended as newly allocated strings */
  GPtrArray          *unknown_columns;
} BtImportOptions;

/* "auto", "ohlcv", "coinmetrics", "v1", "indicators" */
const char *bt_import_format_name      (BtImportFormat  format);
gboolean    bt_import_format_from_name (const char     *name,
                                        BtImportFormat *out);

/* STATS may be NULL. */
gboolean    bt_import_file             (BtStore        *store,
                                        const char     *path,
                                        BtImportFormat  format,
                                        BtImportStats  *stats,
                                        GError        **error);

/* The same with OPTIONS (may be NULL).  Every import is a batch of the
 * store (bt_store_list_batches); a file already imported with the same
 * mapping changes nothing (STATS->already_imported). */
gboolean    bt_import_file_full        (BtStore               *store,
                                        const char            *path,
                                        BtImportFormat         format,
                                        const BtImportOptions *options,
                                        BtImportStats         *stats,
                                        GError               **error);

/* The FIELD names a column can be mapped to, NULL-terminated. */
const char *const *bt_import_list_fields (void);
gboolean    bt_import_is_field         (const char     *field);
/* The field a header is read as without a mapping, NULL when none. */
const char *bt_import_guess_field      (const char     *header);

/* DIR/indicadores_{ciclo,momentum,risco,tecnico}.csv (any may be absent, at
 * least one present), joined by date, all in one transaction. */
gboolean    bt_import_migrate_v1       (BtStore        *store,
                                        const char     *dir,
                                        BtImportStats  *stats,
                                        GError        **error);

G_END_DECLS
