/* The harness sources (sim/rtl/harness.cpp, sim/rtl/extmem.h), compiled into the program
 * at build time (cmake/embed_files.cmake), so that `fast sim` needs no source tree at run time
 * and the harness cache is keyed by the exact text it builds. */
#ifndef FAST_SIM_RTL_SOURCES_H
#define FAST_SIM_RTL_SOURCES_H

#include <stddef.h>

/* One file. Invariant: text[len] == '\0'. */
typedef struct fast_simrtl_source {
    const char *name; /* the file name, "harness.cpp" */
    const unsigned char *text;
    size_t len;
} fast_simrtl_source;

/* Every harness source, terminated by an entry with a NULL name. */
extern const fast_simrtl_source fast_simrtl_sources[];

#endif
