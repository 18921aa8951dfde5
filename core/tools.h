/* External tools the RTL commands run (Verilator, Yosys, Icarus Verilog, a C++ compiler)
 * and the SystemC library: finding them at run time, and the exit-3 error when missing. */
#ifndef FAST_TOOLS_H
#define FAST_TOOLS_H

#include <stddef.h>

#include "diag.h"

/* One external dependency. */
typedef struct fast_tool {
    const char *name;    /* the program ("verilator") or library ("systemc") */
    const char *package; /* the Debian package that provides it */
    const char *purpose; /* what fast uses it for */
} fast_tool;

/* Every dependency fast knows, NULL-name terminated. */
extern const fast_tool fast_tools[];

/* Looks a program up on PATH (or checks a library's header); writes the full path to buf
 * (size n) and returns 1 when found, else 0. */
int fast_tool_find(const char *name, char *buf, size_t n);

/* Checks that a dependency is present; when it is not, adds
 *   "fast: error[tool]: NAME: not found; install the Debian package PKG" (status 3)
 * and returns FAST_ETOOL. */
fast_status fast_tool_require(const char *name, fast_diag *d);

/* Runs argv[0] (a full path) with argv, in directory dir (NULL: the current one), stdin
 * from /dev/null, stdout into out_path and stderr into err_path (the same path: both into
 * one file; paths relative to the caller's directory), in a process group of its own. With timeout_s > 0 the whole group is killed
 * once it has run that long. Returns 0 when it ran to the end (*status: its wait status),
 * -1 when it could not be started or waited for (errno set), -2 when it timed out. */
int fast_tool_run(char *const argv[], const char *dir, const char *out_path,
                  const char *err_path, double timeout_s, int *status);

#endif
