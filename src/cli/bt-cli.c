#define G_LOG_DOMAIN "bt-cli"

#include <glib.h>
#include <locale.h>
#include <stdio.h>

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  if (argc > 1 && g_str_equal (argv[1], "--help"))
    {
      printf ("Usage: btc-turbo-cli COMMAND [OPTIONS]\n");
      return 0;
    }
  fprintf (stderr, "btc-turbo-cli: no command given (see --help)\n");
  return 2;
}
