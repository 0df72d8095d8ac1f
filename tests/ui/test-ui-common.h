/* test-ui-common.h: helpers shared by BTC Turbo's widget tests. */
#pragma once

#include <adwaita.h>

#include "bt-session.h"
#include "bt-types.h"
#include "bt-window.h"

G_BEGIN_DECLS

/* gtk_test_init, libadwaita, the window's resources, CSS and icons. */
void      test_ui_init            (int        *argc,
                                   char     ***argv);
/* The same for tests whose words are checked in the language of the
 * environment: the build's messages (test_ui_bind_textdomain()), and the
 * environment's locale when LANGUAGE is set (gtk_test_init() keeps C). */
void      test_ui_init_translated (int        *argc,
                                   char     ***argv);
/* Run the main loop until the widget is drawn (at most a few seconds). */
void      test_ui_wait_drawn      (GtkWidget  *widget);
void      test_ui_spin            (guint       ms);
/* The longest main-loop stall a test accepts: a safety net against a
 * freeze, not the 100 ms target (bench-refresh and the printed figures
 * measure that).  A freeze once took 17 s; a loaded machine once stretched
 * a normal turn to 1.05 s, so fifty times the target (150 under the
 * sanitizers). */
double    test_ui_stall_bound_ms  (void);
/* Run the main loop until EXPR holds, woken by each event (a timer of
 * TEST_UI_SAFETY_S only ends a wait that would never end); the caller
 * asserts EXPR afterwards. */
#define TEST_UI_SAFETY_S 120
#define TEST_UI_WAIT_UNTIL(expr)                                             \
  G_STMT_START {                                                             \
    gboolean expired_ = FALSE;                                               \
    guint safety_id_ = test_ui_safety_net_start (&expired_);                 \
    while (!(expr) && !expired_)                                             \
      g_main_context_iteration (NULL, TRUE);                                 \
    if (!expired_)                                                           \
      g_source_remove (safety_id_);                                          \
  } G_STMT_END
guint     test_ui_safety_net_start (gboolean  *expired);
/* Render WIDGET (its current size) to a PNG in DIR/NAME.png. */
void      test_ui_save_png        (GtkWidget  *widget,
                                   const char *dir,
                                   const char *name);
/* The messages of $BT_LOCALEDIR (the build's po/ when set) for GETTEXT_PACKAGE. */
void      test_ui_bind_textdomain (void);
/* The first widget at or under ROOT (depth first) for which MATCH holds,
 * or NULL. */
typedef gboolean (*TestUiMatch) (GtkWidget     *widget,
                                 gconstpointer  data);
GtkWidget *test_ui_find           (GtkWidget    *root,
                                   TestUiMatch   match,
                                   gconstpointer data);
/* The first widget at or under ROOT of TYPE (or NULL). */
GtkWidget *test_ui_find_type      (GtkWidget  *root,
                                   GType       type);
/* The first GtkLabel under ROOT whose text is TEXT (or NULL). */
GtkWidget *test_ui_find_label     (GtkWidget  *root,
                                   const char *text);
/* Scores of a sample day worked out with SCORING.md's default knots. */
void      test_ui_sample_scores   (BtScores   *scores,
                                   BtDecision *decision);
/* Daily closes of the real history in $BT_SHARED_DATA (NULL when absent). */
GArray   *test_ui_load_history    (BtDay      *first_day);

/* An OHLCV CSV of N days from FIRST, a deterministic walk from 7,000 USD,
 * written to DIR/history.csv; returns its path. */
char     *test_ui_write_history   (const char *dir,
                                   BtDay       first,
                                   guint       n);

/* A session on the database at DB_PATH shown in WINDOW (which keeps a
 * reference); asserts it opened. */
BtSession *test_ui_attach_session (BtWindow   *window,
                                   const char *db_path,
                                   GSettings  *settings);

/* The market sources, the ones a refresh asks first. */
extern const char *const test_ui_market_sources[5];
/* Every market source asks BASE (the mirrors of Preferences). */
void      test_ui_set_market_urls (GSettings  *settings,
                                   const char *base);
/* A loopback address that refuses connections (a port bound, then closed). */
char     *test_ui_refused_url     (void);

/* Import the CSV file at PATH into SESSION's database as the window does
 * (bt_session_import_async()) and wait until it is done; asserts it
 * succeeded. */
void      test_ui_import_file     (BtSession  *session,
                                   const char *path);

/* A window with a session on a new database in a temporary directory,
 * the set-up of the window tests. */
typedef struct
{
  char      *dir;
  char      *db_path;
  GSettings *settings;
  BtWindow  *window;
  BtSession *session;
} TestUiSession;

/* Make S's directory (from TEMPLATE, e.g. "bt-ui-status-XXXXXX"), open a
 * WIDTH × HEIGHT window with a session on DIR/btc-turbo.sqlite, and wait
 * until it is drawn. */
void      test_ui_session_open    (TestUiSession *s,
                                   const char    *template_,
                                   int            width,
                                   int            height);
/* The window's "Export Daily Report…" into S's directory: asserts it was
 * handled and wrote a PDF; returns the file's bytes (LEN: their number)
 * and, when PATH_OUT is given, the file's path. */
char     *test_ui_export_report   (TestUiSession *s,
                                   gsize         *len,
                                   char         **path_out);
/* A test over a window and its session: its path and its function. */
typedef struct
{
  const char *path;
  void      (*func) (TestUiSession *s,
                     gconstpointer  data);
} TestUiCase;

/* Register the N CASES, each between SET_UP and TEAR_DOWN. */
void      test_ui_add_cases       (const TestUiCase *cases,
                                   guint             n,
                                   void            (*set_up) (TestUiSession *s,
                                                              gconstpointer  data),
                                   void            (*tear_down) (TestUiSession *s,
                                                                 gconstpointer  data));

/* Close S's session and window and remove its directory. */
void      test_ui_session_close   (TestUiSession *s);

G_END_DECLS
