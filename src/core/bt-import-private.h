/* bt-import-private.h: the internals shared by an import's CSV reading
 * (bt-import-csv.c) and its records and writes (bt-import.c).  Not for
 * other modules.
 */
#pragma once

#include <stdio.h>

#include "bt-import.h"
#include "bt-store-private.h"

G_BEGIN_DECLS

#define READ_BLOCK     (64 * 1024)
#define MAX_LINE       (16 * 1024 * 1024)
#define MAX_FIELDS     1024
#define DAY_MIN        (-25567)      /* 1900-01-01, the earliest day bt_day_parse accepts */
#define DAY_SPAN       (2958466 + 25567 + 1)
#define SEEN_PIECE     (8 * 1024)    /* bytes of one piece of the bitmap */
#define SEEN_PIECES    (DAY_SPAN / (SEEN_PIECE * 8) + 1)

/* ---- column kinds ---------------------------------------------------------- */

typedef enum
{
  COL_IGNORE = 0,
  COL_DATE,
  COL_OPEN,
  COL_HIGH,
  COL_LOW,
  COL_CLOSE,
  COL_VOLUME,
  COL_PRICE,          /* a close-only candle */
  COL_MARKET_CAP,
  COL_REALIZED_CAP,
  COL_MVRV,
  COL_SUPPLY,
  COL_ISS_NTV,
  COL_ISS_USD,
  COL_FLOW_IN,
  COL_FLOW_OUT,
  COL_METRIC,         /* an observation named by metric */
  COL_FUNDING,        /* daily mean of 8-hourly funding, a fraction */
  N_COLS
} ColKind;

typedef enum
{
  LIM_PRICE,          /* > 0, ≤ 1e9 */
  LIM_VOLUME,         /* ≥ 0 */
  LIM_CAP,            /* ≥ 0, 0 = no data */
  LIM_RATIO,          /* ≥ 0, 0 = no data */
  LIM_SUPPLY,         /* ≥ 0, 0 = no data, ≤ 22 million */
  LIM_COINS,          /* ≥ 0 */
  LIM_USD,            /* ≥ 0 */
  LIM_FLOW,           /* ≥ 0, ≤ 22 million */
  LIM_SIGNED,         /* any sign */
  LIM_RSI,            /* 0–100 */
  LIM_NONNEG,         /* ≥ 0 */
  LIM_FUNDING,        /* |x| ≤ 0.05 (a fraction per 8 h) */
} Limit;

typedef struct
{
  ColKind     kind;
  Limit       limit;
  const char *metric;     /* COL_METRIC */
  char       *name;       /* as written in the header */
  int         shift;      /* days added to the row's date (legacy Coin Metrics: −1) */
  gboolean    mapped;     /* named by the caller's column mapping */
} Column;

typedef struct
{
  gboolean    candle;
  BtCandle    c;          /* c.open_time: the record's day (observations too) */
  const char *metric;
  double      value;
} Rec;

#define MAX_RECS (MAX_FIELDS + 8)

typedef struct
{
  gint64  time;           /* v1: the row's time, the latest of the day wins */
  guint64 line;
  guint   n_recs;
  Rec     recs[];
} V1Row;

typedef struct
{
  BtStore        *store;
  char           *display;
  BtImportFormat  format;
  BtSource        source;
  Column         *cols;
  guint           n_cols;
  guint8         *seen[SEEN_PIECES];
  GHashTable     *v1_rows;     /* BtDay → V1Row* */
  BtStoreChanges  changes;
  BtImportStats   stats;
  gint64          batch;       /* the import_batches row of this file */
  BtDay           today;       /* a row of this day (or later) is still open */
  GHashTable     *mapping;     /* header (casefolded) → field, from the caller */
  GPtrArray      *unknown;     /* header names nothing reads (may be NULL) */
  GChecksum      *digest;      /* of the file's bytes and the mapping */
  GHashTable     *legacy_coins; /* legacy file: day → generatedCoins of that day */
  GHashTable     *legacy_price; /* legacy file: day → price at the end of that day */
} Import;

/* ---- reading (bt-import-csv.c) ---- */

typedef struct
{
  FILE    *f;
  char    *buf;
  gsize    cap;
  gsize    pos;
  gsize    len;
  gboolean eof;
  guint64  line;
} Reader;

gboolean  _bt_import_fail (Import      *imp,
                           guint64      line,
                           GError     **error,
                           const char  *format,
                           ...) G_GNUC_PRINTF (4, 5);
int       _bt_import_reader_next (Reader  *r,
                                  Import  *imp,
                                  char   **out,
                                  gsize   *out_len,
                                  GError **error);
int       _bt_import_split_fields (char  *line,
                                   char **fields,
                                   int    max);
gboolean  _bt_import_read_header (Import          *imp,
                                  char            *line,
                                  BtImportFormat   requested,
                                  GError         **error);
gboolean  _bt_import_parse_cell (Import        *imp,
                                 guint64        line,
                                 const Column  *col,
                                 const char    *text,
                                 double        *out,
                                 GError       **error);
gboolean  _bt_import_parse_time (Import      *imp,
                                 guint64      line,
                                 const char  *text,
                                 BtDay       *day,
                                 gint64      *time,
                                 GError     **error);

G_END_DECLS
