/* bt-base-private.h: the lookup in a table of names by enum value, shared
 * by the core files that name their enums (bt-base.c, bt-rules.c).  Not for
 * other modules.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The index of NAME in NAMES[0..N), in *OUT; FALSE when NAME is NULL or
 * not there. */
gboolean  _bt_name_lookup (const char *const *names,
                           guint              n,
                           const char        *name,
                           guint             *out);

/* const char *FN (TYPE v): the name of V in TABLE (N entries). */
#define BT_NAME_GETTER(fn, type, table, n)               \
  const char *fn (type v)                                \
  {                                                      \
    g_return_val_if_fail ((guint) v < (n), NULL);        \
    return table[v];                                     \
  }

/* gboolean FN (const char *name, TYPE *out): the value named NAME in TABLE
 * (N entries), in *OUT unless OUT is NULL. */
#define BT_NAME_PARSER(fn, type, table, n)               \
  gboolean fn (const char *name, type *out)              \
  {                                                      \
    guint i;                                             \
    if (!_bt_name_lookup (table, n, name, &i))           \
      return FALSE;                                      \
    if (out != NULL)                                     \
      *out = (type) i;                                   \
    return TRUE;                                         \
  }

G_END_DECLS
