/* fuzz-driver.c: the set-up every target but fuzz-import shares (that one
 * also opens its store): GLib's warnings and criticals abort the run. */
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_common_init ();
  return 0;
}
