/* bt-test-util.h: temporary directories and databases shared by the tests. */
#pragma once

#include <glib.h>

#include "bt-store.h"

G_BEGIN_DECLS

/* Removes PATH and everything below it; symbolic links are removed, never
 * followed.  A missing PATH is not an error. */
void     bt_test_remove_tree   (const char *path);

/* A new empty directory below ROOT (ROOT/XXXXXX); asserts it was made. */
char    *bt_test_make_tmpdir   (const char *root);

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

G_END_DECLS
