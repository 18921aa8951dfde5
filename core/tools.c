#include "tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const fast_tool fast_tools[] = {
    {"verilator", "verilator", "lint and cycle-accurate simulation of generated RTL"},
    {"yosys", "yosys", "synthesis of generated RTL for area"},
    {"iverilog", "iverilog", "a second Verilog compiler for generated RTL"},
    {"c++", "g++", "building Verilator and SystemC harnesses"},
    {"systemc", "libsystemc-dev", "the SystemC system model with a DRAM model"},
    {NULL, NULL, NULL},
};

/* SystemC is a library: present when its header is. */
static const char *const systemc_headers[] = {"/usr/include/systemc.h",
                                              "/usr/include/systemc", NULL};

int fast_tool_find(const char *name, char *buf, size_t n)
{
    if (strcmp(name, "systemc") == 0) {
        for (size_t i = 0; systemc_headers[i]; i++)
            if (access(systemc_headers[i], R_OK) == 0) {
                snprintf(buf, n, "%s", systemc_headers[i]);
                return 1;
            }
        return 0;
    }
    const char *path = getenv("PATH");
    if (!path || !*path)
        return 0;
    const char *p = path;
    while (*p) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (len > 0 && len < 4000) {
            int w = snprintf(buf, n, "%.*s/%s", (int)len, p, name);
            struct stat st;
            if (w > 0 && (size_t)w < n && stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
                access(buf, X_OK) == 0)
                return 1;
        }
        if (!colon)
            break;
        p = colon + 1;
    }
    return 0;
}

fast_status fast_tool_require(const char *name, fast_diag *d)
{
    char buf[4096];
    if (fast_tool_find(name, buf, sizeof buf))
        return FAST_OK;
    const char *pkg = name;
    for (size_t i = 0; fast_tools[i].name; i++)
        if (strcmp(fast_tools[i].name, name) == 0)
            pkg = fast_tools[i].package;
    fast_diag_add(d, FAST_ETOOL, NULL, "tool", name, NULL,
                  "not found; install the Debian package %s (apt-get install %s)", pkg, pkg);
    return FAST_ETOOL;
}
