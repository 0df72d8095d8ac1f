/* main.c: entry point of btc-turbo, the BTC Turbo window. */
#define G_LOG_DOMAIN "bt-ui"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "bt-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BtApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = bt_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
