/* bt-application-private.h: what bt-application.c declares for its own use
 * and for the tests only; not part of the public API in bt-application.h. */
#pragma once

#include "bt-application.h"

G_BEGIN_DECLS

void           bt_application_set_db_path  (BtApplication *self,
                                            const char    *path);

G_END_DECLS
