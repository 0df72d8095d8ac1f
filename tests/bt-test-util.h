/* bt-test-util.h: temporary directories and databases shared by the tests. */
#pragma once

#include <gio/gio.h>

#include "bt-store.h"

G_BEGIN_DECLS

/* Removes PATH and everything below it; symbolic links are removed, never
 * followed.  A missing PATH is not an error. */
void     bt_test_remove_tree   (const char *path);

/* A new empty directory below ROOT (ROOT/XXXXXX); asserts it was made. */
char    *bt_test_make_tmpdir   (const char *root);

/* The path of NAME (which may hold '/') in a new empty directory below
 * ROOT; the file itself is not made. */
char    *bt_test_tmp_path      (const char *root,
                                const char *name);

/* The path of "test.sqlite" in a new private directory named after
 * TEMPLATE (as g_dir_make_tmp); asserts the directory was made. */
char    *bt_test_temp_db       (const char *template_);

/* Removes the directory of the database at PATH with all it holds (the
 * database, its -wal and -shm files, exports written beside it). */
void     bt_test_remove_db     (const char *path);

/* Opens "test.sqlite" in a new directory below ROOT; asserts it opened.
 * DIR_OUT, when given, receives the directory. */
BtStore *bt_test_open_tmp_store (const char  *root,
                                 char       **dir_out);

/* A run's private directory: bt_test_make_root() makes it (TEMPLATE as
 * g_dir_make_tmp, after g_test_init()); bt_test_run_in_root() runs the
 * tests, then removes ROOT with all it holds, frees it and returns
 * g_test_run()'s status. */
char    *bt_test_make_root     (const char *template_);
int      bt_test_run_in_root   (char       *root);

/* The path of NAME in BT_SHARED_DATA (the real history beside the
 * checkout, read in place), NULL when the variable is not set. */
char    *bt_test_shared_path   (const char *name);

/* The lines of that file, and its path in PATH_OUT when given; NULL after
 * g_test_skip() when the variable is not set or the file is not there. */
char   **bt_test_read_shared_lines (const char  *name,
                                    char       **path_out);

/* The index of the column NAME in the CSV header line HEADER, -1 when
 * absent. */
int      bt_test_csv_column    (const char *header,
                                const char *name);

/* The day of the ISO date TEXT; asserts it parses. */
BtDay    bt_test_day           (const char *text);

/* Asserts that HAVE is WANT within EPS relative to max (1, |WANT|); a NAN
 * WANT asserts a NAN HAVE. */
void     bt_test_assert_close  (double want,
                                double have,
                                double eps);

/* Sets indicator IND of day I of T to V with FLAG (source: computed). */
void     bt_test_set_indicator (BtIndicatorTable *t,
                                BtIndicator       ind,
                                guint             i,
                                double            v,
                                BtFlag            flag);

/* ---- waiting for an asynchronous call ---- */
/* a GAsyncReadyCallback: a reference to RESULT into the GAsyncResult *
 * USER_DATA points to */
void          bt_test_result_cb   (GObject       *source,
                                   GAsyncResult  *result,
                                   gpointer       user_data);
/* turns the main loop until *SLOT is set; returns it */
GAsyncResult *bt_test_wait_result (GAsyncResult **slot);

G_END_DECLS
