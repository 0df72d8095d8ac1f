/* bt-cli-data-private.h: the helpers shared by the data commands
 * (bt-cli-data.c), the scoring commands (bt-cli-score.c) and the backtest
 * commands (bt-cli-backtest.c).
 */
#pragma once

#include "bt-cli.h"
#include "bt-json.h"
#include "bt-engine.h"
#include "bt-store.h"

G_BEGIN_DECLS

BtEngine *_bt_cli_open_engine (BtCli      *cli,
                               const char *command);
BtStore  *_bt_cli_open_current_store (BtCli      *cli,
                                      const char *command,
                                      BtDay      *latest);
void      _bt_cli_report_outside (BtStore    *store,
                                  const char *command,
                                  BtDay       day);
gboolean  _bt_cli_resolve_day (BtEngine   *engine,
                               const char *command,
                               const char *date_text,
                               guint      *index,
                               BtDay      *day);
void      _bt_cli_write_out (GString *out);

/* A listing of one row a day, written as CSV (a header line, then the
 * values of a row separated by commas) or as a JSON array of objects;
 * written out in pieces of about a megabyte. */
typedef struct
{
  gboolean  json;
  GString  *out;
  BtJson    w;
} BtCliListing;

/* HEADER is the CSV header line (with its newline), unused for JSON. */
void      _bt_cli_listing_begin (BtCliListing *listing,
                                 gboolean      json,
                                 const char   *header);
void      _bt_cli_listing_row_begin (BtCliListing *listing,
                                     const char   *date);
void      _bt_cli_listing_number (BtCliListing *listing,
                                  const char   *name,
                                  double        value);
void      _bt_cli_listing_string (BtCliListing *listing,
                                  const char   *name,
                                  const char   *value);
/* A member of the JSON object only; nothing in CSV. */
void      _bt_cli_listing_json_bool (BtCliListing *listing,
                                     const char   *name,
                                     gboolean      value);
void      _bt_cli_listing_row_end (BtCliListing *listing);
/* Writes out what is left and frees the listing's buffer. */
void      _bt_cli_listing_end (BtCliListing *listing);

G_END_DECLS
