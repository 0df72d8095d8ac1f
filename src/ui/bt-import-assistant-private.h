/* bt-import-assistant-private.h: what bt-import-assistant.c declares for its
 * own use and for the tests only; not part of the public API in
 * bt-import-assistant.h. */
#pragma once

#include "bt-import-assistant.h"

G_BEGIN_DECLS

guint              bt_import_assistant_get_n_columns (BtImportAssistant *self);
/* The field column I is read as; NULL: not read. */
const char        *bt_import_assistant_get_field     (BtImportAssistant *self,
                                                      guint              column);
/* As choosing FIELD (NULL: not read) in column I's drop-down. */
void               bt_import_assistant_set_field     (BtImportAssistant *self,
                                                      guint              column,
                                                      const char        *field);

/* What the trial import found (or its one-line error); TRUE while it runs. */
const char        *bt_import_assistant_get_summary   (BtImportAssistant *self);
gboolean           bt_import_assistant_is_checking   (BtImportAssistant *self);
gboolean           bt_import_assistant_can_import    (BtImportAssistant *self);
/* As the Import button: remembers the mapping, emits ::import with the
 * file and the mapping, closes. */
void               bt_import_assistant_confirm       (BtImportAssistant *self);

G_END_DECLS
