#include "tools.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
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

int fast_tool_run(char *const argv[], const char *dir, const char *out_path,
                  const char *err_path, double timeout_s, int *status)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* The child: its own process group, so that a timeout stops its children too. */
        setpgid(0, 0);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = strcmp(out_path, err_path) == 0
                      ? out
                      : open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int nul = open("/dev/null", O_RDONLY);
        if (out < 0 || err < 0 || nul < 0 || (dir && chdir(dir) != 0))
            _exit(126);
        dup2(nul, 0);
        dup2(out, 1);
        dup2(err, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    setpgid(pid, pid);
    double start = fast_now_s();
    for (;;) {
        pid_t w = waitpid(pid, status, timeout_s > 0 ? WNOHANG : 0);
        if (w == pid)
            return 0;
        if (w < 0 && errno != EINTR)
            return -1;
        if (timeout_s > 0 && fast_now_s() - start > timeout_s) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, status, 0);
            return -2;
        }
        if (w == 0) {
            struct timespec ts = {0, 20 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
}
