/* bt-base.h: calendar days, names of enum values, locale-free numbers. */
#pragma once

#include <glib.h>

#include "bt-types.h"

G_BEGIN_DECLS

/* ---- calendar (proleptic Gregorian, UTC) ---- */
BtDay        bt_day_from_ymd         (int          year,
                                      int          month,
                                      int          day);
void         bt_day_to_ymd           (BtDay        day,
                                      int         *year,
                                      int         *month,
                                      int         *mday);
/* "YYYY-MM-DD"; BUF holds at least 11 bytes; returns BUF */
char        *bt_day_format           (BtDay        day,
                                      char        *buf);
/* Accepts "YYYY-MM-DD" optionally followed by a time part starting with 'T'
 * or ' ' (the date part is taken as UTC); rejects impossible dates. */
gboolean     bt_day_parse            (const char  *text,
                                      BtDay       *out);
BtDay        bt_day_from_unix        (gint64       seconds);
gint64       bt_day_to_unix          (BtDay        day);
BtDay        bt_day_today_utc        (void);
/* Monday of the ISO week containing DAY */
BtDay        bt_day_week_start       (BtDay        day);
/* First day of the calendar month containing DAY */
BtDay        bt_day_month_start      (BtDay        day);

/* ---- numbers ---- */
/* Whole-string, locale-independent parse of a finite double. */
gboolean     bt_parse_double         (const char  *text,
                                      double      *out);
/* Shortest round-trip ASCII representation ("%.17g"-exact); BUF >= G_ASCII_DTOSTR_BUF_SIZE */
char        *bt_format_double        (double       value,
                                      char        *buf);

/* ---- messages ---- */
/* TEXT (outside input quoted in an error, or a whole message) made fit for
 * one line of a message: invalid UTF-8 replaced by U+FFFD, line breaks and
 * other control characters by a space, cut after MAX_CHARS characters
 * with "…".  Never NULL. */
char        *bt_one_line             (const char  *text,
                                      gsize        max_chars);
/* Returns OK; when it is FALSE, makes *ERROR's message one line (as above,
 * at most 400 characters).  For the entry points of parsers whose messages
 * quote their input. */
gboolean     bt_error_one_line       (gboolean     ok,
                                      GError     **error);

/* ---- JSON ---- */
/* FALSE when DATA holds what json-glib 1.6 mishandles, to be refused
 * before it gets there: something after the first JSON value ("0[]",
 * "{}x"), which it accepts, leaking what it parsed first; a \u escape
 * without four hexadecimal digits ("\ud8a]"), which it reads as some code
 * point; or a surrogate escape that is not half of a pair ("\ud800\u0041",
 * "\udc00"), which it refuses, leaking the string.  Does not check the
 * value otherwise (json-glib does). */
gboolean     bt_json_precheck        (const char  *data,
                                      gsize        length);

/* ---- names (stable: JSON, CSV, SQL) ---- */
const char  *bt_source_name          (BtSource     source);
gboolean     bt_source_from_name     (const char  *name,
                                      BtSource    *out);
const char  *bt_flag_name            (BtFlag       flag);
gboolean     bt_flag_from_name       (const char  *name,
                                      BtFlag      *out);
const char  *bt_indicator_name       (BtIndicator  indicator);
gboolean     bt_indicator_from_name  (const char  *name,
                                      BtIndicator *out);
const char  *bt_input_name           (BtInput      input);
gboolean     bt_input_from_name      (const char  *name,
                                      BtInput     *out);
const char  *bt_action_name          (BtAction     action);
gboolean     bt_action_from_name     (const char  *name,
                                      BtAction    *out);
const char  *bt_urgency_name         (BtUrgency    urgency);
const char  *bt_rule_name            (BtRule       rule);
const char  *bt_severity_name        (BtSeverity   severity);
gboolean     bt_severity_from_name   (const char  *name,
                                      BtSeverity  *out);
const char  *bt_alert_kind_name      (BtAlertKind  kind);
gboolean     bt_alert_kind_from_name (const char  *name,
                                      BtAlertKind *out);

/* ---- history and indicator table memory ---- */
BtHistory        *bt_history_new          (BtDay        first_day,
                                           guint        n_days);
void              bt_history_free         (BtHistory   *history);
/* allocate (NAN-filled) the imported column for IND if absent */
double           *bt_history_ensure_imported (BtHistory *history,
                                              BtIndicator ind);
/* index of DAY or -1 when outside */
gssize            bt_history_index        (const BtHistory *history,
                                           BtDay            day);
BtIndicatorTable *bt_indicator_table_new  (BtDay        first_day,
                                           guint        n_days);
void              bt_indicator_table_free (BtIndicatorTable *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtHistory, bt_history_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BtIndicatorTable, bt_indicator_table_free)

G_END_DECLS
