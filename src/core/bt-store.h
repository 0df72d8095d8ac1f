/* bt-store.h: the SQLite database of BTC Turbo (one file, WAL).
 *
 * Raw inputs live in `candles` and `observations`; the engine loads them as
 * a dense BtHistory and writes back computed `market_data` rows.  Every
 * multi-row write is one transaction.  Times are unix seconds, days are
 * 'YYYY-MM-DD' text, JSON is text; a missing number is SQL NULL (NAN here).
 */
#pragma once

#include <gio/gio.h>

#include "bt-types.h"
#include "bt-domain.h"

G_BEGIN_DECLS

#define BT_STORE_ERROR (bt_store_error_quark ())

typedef enum
{
  BT_STORE_ERROR_FAILED,          /* SQLite or I/O failure */
  BT_STORE_ERROR_CORRUPT,         /* not a BTC Turbo / SQLite database */
  BT_STORE_ERROR_SCHEMA_TOO_NEW,  /* written by a newer BTC Turbo */
  BT_STORE_ERROR_NOT_FOUND,       /* no such row */
  BT_STORE_ERROR_INVALID,         /* bad input (imports: "FILE:LINE: problem") */
} BtStoreError;

GQuark bt_store_error_quark (void);

/* The schema version this build writes (PRAGMA user_version). */
#define BT_STORE_SCHEMA_VERSION 3

#define BT_TYPE_STORE (bt_store_get_type ())
G_DECLARE_FINAL_TYPE (BtStore, bt_store, BT, STORE, GObject)

/* Opens (creating the file and its parent directories) and migrates the
 * schema forward.  A database of a newer schema, or a file that is not a
 * SQLite database, is refused and left untouched. */
BtStore     *bt_store_open                (const char    *path,
                                           GError       **error);
/* $XDG_DATA_HOME/btc-turbo/btc-turbo.sqlite */
char        *bt_store_dup_default_path    (void);
const char  *bt_store_get_path            (BtStore       *self);
/* meta 'data_version': bumped with every change to candles/observations. */
guint64      bt_store_get_data_version    (BtStore       *self);

/* Work on the database in a worker: DATA is the task's data.  FALSE with
 * ERROR set on failure. */
typedef gboolean (*BtStoreWorkFunc) (BtStore       *store,
                                     gpointer       data,
                                     GCancellable  *cancellable,
                                     GError       **error);
/* Runs FUNC for TASK on a connection of its own to the database of SELF,
 * in TASK's worker thread (SQLite handles never cross threads), and
 * returns TRUE on TASK (g_task_propagate_boolean()) or FUNC's error.  A
 * database in memory, which a second connection would not see, is worked
 * on through SELF at once, in this thread. */
void         bt_store_run_in_thread       (BtStore         *self,
                                           GTask           *task,
                                           BtStoreWorkFunc  func);

/* ---- raw inputs --------------------------------------------------------
 * Upserts; FIRST_CHANGED (may be NULL) receives the earliest UTC day whose
 * row was inserted or changed, BT_DAY_INVALID when nothing changed
 * (identical upserts change nothing and leave data_version alone).
 * N_CHANGED (may be NULL) receives the number of rows inserted or changed. */
gboolean     bt_store_upsert_candles      (BtStore             *self,
                                           BtSource             source,
                                           const char          *interval,   /* "1d", "1w" */
                                           const BtCandle      *candles,
                                           gsize                n_candles,
                                           BtDay               *first_changed,
                                           guint               *n_changed,
                                           GError             **error);
gboolean     bt_store_upsert_observations (BtStore             *self,
                                           BtSource             source,
                                           const char          *metric,
                                           const BtObservation *observations,
                                           gsize                n_observations,
                                           BtDay               *first_changed,
                                           guint               *n_changed,
                                           GError             **error);

/* Dense calendar from the first to the last day with any data; when the
 * store holds no data, a history with n_days 0.  NULL only on error. */
BtHistory   *bt_store_load_history        (BtStore       *self,
                                           GError       **error);

/* ---- provenance (schema 2) ----------------------------------------------
 * Every import is a batch; every raw row keeps the batch it came from (0:
 * a collector).  The merged history is derived from all rows by the
 * precedence documented in the README ("Where the numbers come from"). */
typedef struct
{
  gint64   id;
  char    *file;         /* the file's name as given; "" for rows imported before schema 2 */
  char    *kind;         /* "ohlcv", "coinmetrics", "indicators", "v1", "earlier-import" */
  gint64   imported_at;  /* unix seconds */
  guint64  rows;         /* data rows read */
  BtDay    first_day;    /* BT_DAY_INVALID when unknown */
  BtDay    last_day;
} BtImportBatch;

void         bt_import_batch_free         (BtImportBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtImportBatch, bt_import_batch_free)

/* BtImportBatch, ordered by id. */
GPtrArray   *bt_store_list_batches        (BtStore       *self,
                                           GError       **error);
/* Deletes batch ID and every row it brought, in one transaction; values of
 * other sources it had outranked come back.  FIRST_CHANGED (may be NULL)
 * receives its earliest day (recompute from there).
 * BT_STORE_ERROR_NOT_FOUND when there is no such batch. */
gboolean     bt_store_remove_batch        (BtStore       *self,
                                           gint64         id,
                                           BtDay         *first_changed,
                                           GError       **error);

/* The user's order of full-candle sources: comma-separated source names,
 * first preferred (default "binance,coinbase,kraken,import,v1,coinmetrics"). */
#define BT_STORE_SOURCE_ORDER_SETTING "history.source_order"
char        *bt_store_dup_source_order    (BtStore       *self,
                                           GError       **error);
/* NULL restores the default; an unknown source name is refused. */
gboolean     bt_store_set_source_order    (BtStore       *self,
                                           const char    *order,
                                           GError       **error);

typedef struct
{
  BtDay    date;
  double   open, high, low, close, volume;   /* NAN when the winner lacks it */
  BtSource source;
  gint64   batch;                            /* 0: not an import */
  gboolean provisional;                      /* the day was still open */
} BtMergedDay;

/* GArray of BtMergedDay: each day's winning price row, FROM..TO inclusive
 * (BT_DAY_INVALID: open end), ordered by date. */
GArray      *bt_store_list_merged_history (BtStore       *self,
                                           BtDay          from,
                                           BtDay          to,
                                           GError       **error);

typedef struct
{
  BtSource  source;
  gint64    batch;          /* 0: a collector */
  char     *file;           /* the batch's file, NULL for a collector */
  BtDay     first_day;
  BtDay     last_day;
  guint     n_days;         /* days with a price */
  gboolean  full_candles;   /* it has open/high/low, not only closes */
} BtSourceCoverage;

void         bt_source_coverage_free      (BtSourceCoverage *coverage);
/* BtSourceCoverage of every price source (one per collector, one per import). */
GPtrArray   *bt_store_list_source_coverage (BtStore      *self,
                                            GError      **error);

typedef struct
{
  BtDay    date;
  BtSource low_source;
  gint64   low_batch;
  double   low_close;
  BtSource high_source;
  gint64   high_batch;
  double   high_close;
  double   difference_pct;   /* (high / low − 1) × 100 */
} BtDisagreement;

/* GArray of BtDisagreement: the days where the highest and the lowest
 * closed-day price of two sources differ by more than THRESHOLD_PCT. */
GArray      *bt_store_list_disagreements  (BtStore       *self,
                                           double         threshold_pct,
                                           GError       **error);

/* ---- computed rows ----------------------------------------------------- */
/* Upserts market_data rows FROM_INDEX .. table->n_days-1; SCORES has
 * table->n_days slots. */
gboolean     bt_store_save_market_data    (BtStore                *self,
                                           const BtIndicatorTable *table,
                                           const BtScores         *scores,
                                           guint                   from_index,
                                           GError                **error);
/* The same, also saving open/high/low/volume of each day from HISTORY
 * (NULL: left empty). */
gboolean     bt_store_save_market_data_full (BtStore                *self,
                                             const BtHistory        *history,
                                             const BtIndicatorTable *table,
                                             const BtScores         *scores,
                                             guint                   from_index,
                                             GError                **error);
BtMarketDay *bt_store_get_market_day      (BtStore       *self,
                                           BtDay          day,
                                           GError       **error);
/* FALSE without error when there is no market_data row at all. */
gboolean     bt_store_get_latest_day      (BtStore       *self,
                                           BtDay         *out,
                                           GError       **error);
/* The first and last days with a market_data row; FALSE without error when
 * there is none. */
gboolean     bt_store_get_day_range       (BtStore       *self,
                                           BtDay         *first,
                                           BtDay         *last,
                                           GError       **error);
/* BtMarketDay of FROM..TO inclusive, ordered by day; BT_DAY_INVALID for an
 * open end. */
GPtrArray   *bt_store_list_market_days    (BtStore       *self,
                                           BtDay          from,
                                           BtDay          to,
                                           GError       **error);

/* ---- wallets ----------------------------------------------------------- */
typedef struct
{
  char   *address;
  char   *label;      /* may be NULL */
  gint64  added_at;
} BtWallet;

void         bt_wallet_free               (BtWallet      *wallet);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtWallet, bt_wallet_free)

/* Adds or relabels ADDRESS (validated by the caller). */
gboolean     bt_store_add_wallet          (BtStore       *self,
                                           const char    *address,
                                           const char    *label,
                                           GError       **error);
/* BT_STORE_ERROR_NOT_FOUND when absent */
gboolean     bt_store_remove_wallet       (BtStore       *self,
                                           const char    *address,
                                           GError       **error);
/* BtWallet, ordered by added_at then address */
GPtrArray   *bt_store_list_wallets        (BtStore       *self,
                                           GError       **error);

/* ---- positions --------------------------------------------------------- */
gboolean     bt_store_insert_position     (BtStore       *self,
                                           BtPosition    *position,
                                           GError       **error);
/* The latest snapshot of each wallet (BtPosition), ordered by wallet. */
GPtrArray   *bt_store_list_latest_positions (BtStore     *self,
                                             GError     **error);
/* The latest snapshot of WALLET; NULL + BT_STORE_ERROR_NOT_FOUND when none. */
BtPosition  *bt_store_get_latest_position (BtStore       *self,
                                           const char    *wallet,
                                           GError       **error);

/* ---- portfolio history ------------------------------------------------- */
typedef struct
{
  BtDay  date;
  double portfolio_value;
  double btc_price;
  double total_return_pct;
  double leverage;
  double drawdown_pct;
} BtPortfolioPoint;

gboolean     bt_store_upsert_portfolio_point (BtStore                *self,
                                              const BtPortfolioPoint *point,
                                              GError                **error);
/* GArray of BtPortfolioPoint ordered by date; BT_DAY_INVALID = open end. */
GArray      *bt_store_list_portfolio_history (BtStore       *self,
                                              BtDay          from,
                                              BtDay          to,
                                              GError       **error);

/* ---- alerts ------------------------------------------------------------ */
/* Returns the new id (> 0), or 0 with ERROR set. */
gint64       bt_store_insert_alert        (BtStore       *self,
                                           BtAlertKind    kind,
                                           const char    *key,
                                           BtSeverity     severity,
                                           const char    *message,
                                           const char    *values_json,
                                           gint64         created_at,
                                           GError       **error);
/* BtAlert, newest first; ACTIVE_ONLY: neither acknowledged nor cleared. */
GPtrArray   *bt_store_list_alerts         (BtStore       *self,
                                           gboolean       active_only,
                                           GError       **error);
/* BT_STORE_ERROR_NOT_FOUND when ID does not exist; acknowledging twice
 * keeps the first time. */
gboolean     bt_store_acknowledge_alert   (BtStore       *self,
                                           gint64         id,
                                           gint64         when,
                                           GError       **error);
/* Acknowledges every unacknowledged alert; returns how many, -1 on error. */
gint         bt_store_acknowledge_all_alerts (BtStore     *self,
                                              gint64       when,
                                              GError     **error);
gboolean     bt_store_clear_alert         (BtStore       *self,
                                           gint64         id,
                                           gint64         when,
                                           GError       **error);

/* ---- daily reports ----------------------------------------------------- */
gboolean     bt_store_put_report          (BtStore       *self,
                                           BtDay          day,
                                           const char    *text,
                                           GError       **error);
/* NULL + BT_STORE_ERROR_NOT_FOUND when absent */
char        *bt_store_dup_report          (BtStore       *self,
                                           BtDay          day,
                                           GError       **error);

/* ---- source status ----------------------------------------------------- */
typedef struct
{
  BtSource  source;
  gint64    last_success;   /* unix seconds, 0 = never */
  gint64    last_failure;   /* 0 = never */
  gint64    failing_since;  /* 0 = not failing */
  char     *last_error;     /* may be NULL */
  char     *cursor;         /* resumable backfill position, may be NULL */
  gboolean  stale;
} BtSourceStatus;

void         bt_source_status_clear       (BtSourceStatus *status);
/* A source never recorded fills STATUS with zeros/NULLs and returns TRUE. */
gboolean     bt_store_get_source_status   (BtStore        *self,
                                           BtSource        source,
                                           BtSourceStatus *status,
                                           GError        **error);
gboolean     bt_store_put_source_status   (BtStore              *self,
                                           const BtSourceStatus *status,
                                           GError              **error);

/* ---- settings (never secrets) ------------------------------------------ */
/* NULL without error when KEY is unset. */
char        *bt_store_dup_setting         (BtStore       *self,
                                           const char    *key,
                                           GError       **error);
/* VALUE NULL deletes KEY. */
gboolean     bt_store_set_setting         (BtStore       *self,
                                           const char    *key,
                                           const char    *value,
                                           GError       **error);

G_END_DECLS
