/* libemo.so's own source: the library's code all comes from emo_lib (linked whole); this file gives the target the
 * source a shared library needs and checks that the C API's header compiles as C. */
#include "emo/emo.h"

/* ISO C wants a declaration in every translation unit. */
typedef int emo_shared_library_unused;
