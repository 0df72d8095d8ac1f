/* bt-import-assistant.h: the import assistant for Import CSV…: the file's
 * first rows, the field each column is read as (editable), the rows and
 * days the import will touch, checked by a trial import that writes
 * nothing; the mapping is remembered for the same header. */
#pragma once

#include <adwaita.h>

#include "bt-store.h"

G_BEGIN_DECLS

#define BT_TYPE_IMPORT_ASSISTANT (bt_import_assistant_get_type ())
G_DECLARE_FINAL_TYPE (BtImportAssistant, bt_import_assistant, BT, IMPORT_ASSISTANT, AdwWindow)

/* Reads FILE's first rows at once (a few KB) and starts the trial import
 * in a worker thread on its own connection to STORE's file. */
BtImportAssistant *bt_import_assistant_new          (GtkWindow         *parent,
                                                     BtStore           *store,
                                                     GFile             *file);
/* The mapping to pass to the import: "HEADER=FIELD" for every column whose
 * field differs from what the importer reads without help. */
GStrv              bt_import_assistant_dup_columns   (BtImportAssistant *self);

G_END_DECLS
