/* bt-http-private.h: what bt-http.c declares for its own use and for the
 * tests only; not part of the public API in bt-http.h. */
#pragma once

#include "bt-http.h"

G_BEGIN_DECLS

/* TRUE for localhost, 127.0.0.0/8 and ::1 (with or without brackets). */
gboolean     bt_http_host_is_loopback  (const char    *host);

G_END_DECLS
