/* fast sim's engine: one layer through the compiler, the generator, a Verilator build of
 * the harness (cached) and a run, checked against the layer reference (docs/sim.md). */
#include "sim/rtl/run.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/tools.h"
#include "core/util.h"
#include "core/version.h"
#include "gen/compile.h"
#include "gen/gen.h"
#include "sim/rtl/sources.h"
#include "synth/yosys.h"

#define KIND "sim"

/* The build recipe; part of the cache key, so a change here rebuilds. The generated C++
 * is megabytes (arch/small.json: 9 MB) and a layer runs for well under a million cycles.
 * Measured on arch/small.json with 2 CPUs (docs/sim.md): one translation unit
 * (VM_PARALLEL_BUILDS=0) builds in 19 s at -O1, where Verilator's split into 20 files
 * takes 35 to 40 s (every file parses the same large headers); -O1 runs 4 times as fast
 * as -O0 (15 s) and -O2 (78 s) only 25% faster again. */
#define RECIPE_VERSION "fast-sim harness 1"
#define CXXFLAGS "-std=c++17"
#define OPT_MAKEFLAGS "VM_PARALLEL_BUILDS=0 OPT_FAST=-O1 OPT_SLOW=-O1 OPT_GLOBAL=-O1"

/* splitmix64, the source of the layer's values: a documented sequence (docs/sim.md). */
static uint64_t mix_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static uint64_t fnv_str(uint64_t h, const char *s) { return fast_hash64_more(h, s, strlen(s) + 1); }

/* mkdir -p; 0 or -1 with errno. */
static int mkdirs(const char *path)
{
    char *p = fast_strdup(path);
    if (!p)
        return -1;
    for (char *c = p + 1; *c; c++) {
        if (*c != '/')
            continue;
        *c = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *c = '/';
    }
    int rc = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return rc;
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The cache root (see fast_simrtl_opts); the caller frees it. */
static char *cache_root(const fast_simrtl_opts *o)
{
    if (o->cache_dir && *o->cache_dir)
        return fast_strdup(o->cache_dir);
    const char *env = getenv("FAST_CACHE_DIR");
    if (env && *env)
        return fast_strdup(env);
#ifdef FAST_BUILD_DIR
    if (is_dir(FAST_BUILD_DIR) && access(FAST_BUILD_DIR, W_OK) == 0)
        return fast_strdup(FAST_BUILD_DIR "/.cache/fast-sim");
#endif
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        return fast_strdup(".cache/fast-sim");
    return fast_format("%s/.cache/fast-sim", cwd);
}

/* Runs argv[0] with argv in directory dir (fast_tool_run, no time limit). Returns the wait
 * status, or -1 when it could not start (errno set). */
static int run_prog(char *const argv[], const char *dir, const char *out_path,
                    const char *err_path)
{
    int status = 0;
    return fast_tool_run(argv, dir, out_path, err_path, 0, &status) == 0 ? status : -1;
}

/* The first line of a file (without the newline) into buf; "" when there is none. */
static void first_line(const char *path, char *buf, size_t n)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (fgets(buf, (int)n, f))
        buf[strcspn(buf, "\r\n")] = '\0';
    fclose(f);
}

/* Why a Verilator build failed: the first Verilator diagnostic of its log (%Error or
 * %Warning, not the closing "Exiting due to"), else the first C++ compiler or make error,
 * else the log's last non-empty line. */
static void build_reason(const char *log, char *buf, size_t n)
{
    snprintf(buf, n, "empty log");
    FILE *f = fopen(log, "r");
    if (!f)
        return;
    char line[1024], vl[1024] = "", cc[1024] = "", last[1024] = "";
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!vl[0] && (strncmp(line, "%Error", 6) == 0 || strncmp(line, "%Warning", 8) == 0) &&
            !strstr(line, "Exiting due to"))
            snprintf(vl, sizeof vl, "%s", line);
        else if (!cc[0] && strstr(line, "error:"))
            snprintf(cc, sizeof cc, "%s", line);
        if (line[0])
            snprintf(last, sizeof last, "%s", line);
    }
    fclose(f);
    const char *r = vl[0] ? vl : cc[0] ? cc : last;
    if (r[0])
        snprintf(buf, n, "%s", r);
}

/* ---- the parameters header ------------------------------------------------------- */

typedef struct params {
    char accel_top[FAST_ARCH_NAME_MAX + 16];
    int64_t ext_bytes, arrays_total, dram_latency, dram_bw256;
} params;

/* The value of `#define NAME VALUE` in text: copies VALUE (a word or a quoted string,
 * quotes removed) into buf; 0 when found. */
static int define_value(const char *text, const char *name, char *buf, size_t n)
{
    size_t len = strlen(name);
    for (const char *p = text; (p = strstr(p, "#define ")) != NULL; p++) {
        const char *q = p + 8;
        if (strncmp(q, name, len) != 0 || (q[len] != ' ' && q[len] != '\t'))
            continue;
        q += len;
        while (*q == ' ' || *q == '\t')
            q++;
        size_t k = 0;
        if (*q == '"') {
            q++;
            while (*q && *q != '"' && k + 1 < n)
                buf[k++] = *q++;
        } else {
            while (*q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '/' && k + 1 < n)
                buf[k++] = *q++;
        }
        buf[k] = '\0';
        return 0;
    }
    return -1;
}

static int define_int(const char *text, const char *name, int64_t *v)
{
    char buf[64];
    if (define_value(text, name, buf, sizeof buf) != 0)
        return -1;
    char *end;
    errno = 0;
    long long x = strtoll(buf, &end, 0);
    while (*end == 'U' || *end == 'L' || *end == 'u' || *end == 'l')
        end++;
    if (errno || end == buf || *end)
        return -1;
    *v = x;
    return 0;
}

/* Reads what the harness needs from the generated parameters header. */
static fast_status params_read(const char *path, params *p, fast_diag *d)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len;
    char *text = fast_file_read(path, 1 << 20, &len, KIND, d);
    if (!text)
        return FAST_ETOOL;
    memset(p, 0, sizeof *p);
    const char *missing = NULL;
    if (define_value(text, "FAST_ACCEL_TOP", p->accel_top, sizeof p->accel_top) != 0)
        missing = "FAST_ACCEL_TOP";
    else if (define_int(text, "FAST_EXT_BYTES", &p->ext_bytes) != 0)
        missing = "FAST_EXT_BYTES";
    else if (define_int(text, "FAST_ARRAYS_TOTAL", &p->arrays_total) != 0)
        missing = "FAST_ARRAYS_TOTAL";
    else if (define_int(text, "FAST_DRAM_LATENCY", &p->dram_latency) != 0)
        missing = "FAST_DRAM_LATENCY";
    else if (define_int(text, "FAST_DRAM_BW256", &p->dram_bw256) != 0)
        missing = "FAST_DRAM_BW256";
    free(text);
    if (missing) {
        fast_diag_add(d, FAST_ETOOL, base, KIND, missing, NULL,
                      "not defined: this generator does not emit the whole accelerator "
                      "(fast_<name>_accel) that fast sim runs");
        return FAST_ETOOL;
    }
    return FAST_OK;
}

/* ---- the cached build ------------------------------------------------------------- */

/* The RTL files of a build: paths inside tmp/rtl, sorted by name for a stable key. */
typedef struct file_list {
    int n;
    char **paths;
} file_list;

static void file_list_free(file_list *f)
{
    for (int i = 0; f && i < f->n; i++)
        free(f->paths[i]);
    if (f)
        free(f->paths);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int wanted(const char *name)
{
    size_t len = strlen(name);
    return (len > 2 && strcmp(name + len - 2, ".v") == 0) ||
           (len > 9 && strcmp(name + len - 9, "_params.h") == 0);
}

/* Copies the .v files and the parameters header of src into dst (created), listing them. */
static fast_status copy_rtl(const char *src, const char *dst, file_list *f, fast_diag *d)
{
    DIR *dp = opendir(src);
    if (!dp) {
        fast_diag_add(d, FAST_EINPUT, src, KIND, NULL, NULL, "cannot open: %s", strerror(errno));
        return FAST_EINPUT;
    }
    fast_status st = mkdir(dst, 0777) == 0 ? FAST_OK : FAST_ETOOL;
    struct dirent *e;
    int cap = 0;
    while (st == FAST_OK && (e = readdir(dp)) != NULL) {
        if (!wanted(e->d_name))
            continue;
        char *from = fast_format("%s/%s", src, e->d_name);
        char *to = fast_format("%s/%s", dst, e->d_name);
        size_t len = 0;
        char *text = from && to ? fast_file_read(from, 256u << 20, &len, KIND, d) : NULL;
        if (!text || fast_file_write_atomic(to, text, len, KIND, d) != FAST_OK)
            st = text ? FAST_ETOOL : FAST_EINPUT;
        free(text);
        free(from);
        if (st == FAST_OK && f->n == cap) {
            cap = cap ? 2 * cap : 16;
            char **p = realloc(f->paths, (size_t)cap * sizeof *p);
            if (!p)
                st = FAST_ETOOL;
            else
                f->paths = p;
        }
        if (st == FAST_OK)
            f->paths[f->n++] = to;
        else
            free(to);
    }
    closedir(dp);
    if (st == FAST_OK && f->n == 0) {
        fast_diag_add(d, FAST_EINPUT, src, KIND, NULL, NULL,
                      "holds no Verilog (.v) and no parameters header (_params.h)");
        st = FAST_EINPUT;
    }
    if (st == FAST_OK)
        qsort(f->paths, (size_t)f->n, sizeof *f->paths, cmp_str);
    return st;
}

/* Generates the design of a into dst, listing the files. */
static fast_status gen_rtl(const fast_arch *a, const char *dst, file_list *f, fast_diag *d)
{
    fast_gen_result g = {0};
    fast_status st = fast_gen_emit(a, dst, &g, d);
    if (st == FAST_OK) {
        f->paths = calloc((size_t)g.n_files + 1, sizeof *f->paths);
        for (int i = 0; f->paths && i < g.n_files; i++)
            if ((f->paths[f->n] = fast_strdup(g.files[i])) != NULL)
                f->n++;
        st = f->paths && f->n == g.n_files ? FAST_OK : FAST_ETOOL;
        if (st == FAST_OK)
            qsort(f->paths, (size_t)f->n, sizeof *f->paths, cmp_str);
    }
    fast_gen_result_free(&g);
    return st;
}

/* `verilator --version`, for the cache key; "" when it cannot be run. */
static void verilator_version(const char *verilator, const char *work, char *buf, size_t n)
{
    buf[0] = '\0';
    char *out = fast_format("%s/verilator-version.txt", work);
    char *argv[] = {(char *)verilator, (char *)"--version", NULL};
    if (out && run_prog(argv, NULL, out, out) == 0)
        first_line(out, buf, n);
    if (out)
        unlink(out);
    free(out);
}

/* Writes the embedded harness sources into dir. */
static fast_status write_sources(const char *dir, fast_diag *d)
{
    if (mkdir(dir, 0777) != 0) {
        fast_diag_add(d, FAST_ETOOL, dir, KIND, NULL, NULL, "cannot create: %s", strerror(errno));
        return FAST_ETOOL;
    }
    for (const fast_simrtl_source *s = fast_simrtl_sources; s->name; s++) {
        char *p = fast_format("%s/%s", dir, s->name);
        fast_status st = p ? fast_file_write_atomic(p, s->text, s->len, KIND, d) : FAST_ETOOL;
        free(p);
        if (st != FAST_OK)
            return st == FAST_EINPUT ? FAST_ETOOL : st;
    }
    return FAST_OK;
}

/* Builds the harness in tmp (which holds rtl/, the generated files): tmp/src, tmp/obj,
 * then tmp/Vaccel and tmp/build.log; obj is removed afterwards. On failure the log is
 * copied to fail_log and a diagnostic names it. */
static fast_status build(const char *verilator, const char *tmp, const file_list *g,
                         const char *top, const char *header, int trace, const char *fail_log,
                         fast_diag *d)
{
    char *src = fast_format("%s/src", tmp);
    fast_status st = src ? write_sources(src, d) : FAST_ETOOL;
    free(src);
    if (st != FAST_OK)
        return st;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    char jobs[16];
    snprintf(jobs, sizeof jobs, "%ld", cpus < 1 ? 1 : cpus > 8 ? 8 : cpus);
    /* Everything relative to tmp (the C++ compiler runs in tmp/obj), so that no path with
     * spaces reaches make. */
    char *cflags = fast_format(CXXFLAGS " -include ../rtl/%s%s", header,
                               trace ? " -DFAST_SIM_TRACE=1" : "");
    int n = 0;
    char **argv = calloc((size_t)g->n + 32, sizeof *argv);
    if (!cflags || !argv) {
        free(cflags);
        free(argv);
        return FAST_ETOOL;
    }
    argv[n++] = (char *)verilator;
    const char *fixed[] = {"--cc", "--exe", "--build", "-j", jobs, "--Mdir", "obj",
                           "--top-module", top, "--prefix", "Vaccel", "-o", "../Vaccel",
                           "-CFLAGS", cflags, "-MAKEFLAGS", OPT_MAKEFLAGS, NULL};
    for (int i = 0; fixed[i]; i++)
        argv[n++] = (char *)fixed[i];
    if (trace)
        argv[n++] = (char *)"--trace-fst";
    int first_file = n;
    for (int i = 0; i < g->n; i++) {
        const char *f = g->paths[i];
        size_t len = strlen(f);
        if (len > 2 && strcmp(f + len - 2, ".v") == 0) {
            const char *base = strrchr(f, '/');
            argv[n++] = fast_format("rtl/%s", base ? base + 1 : f);
        }
    }
    argv[n++] = fast_strdup("src/harness.cpp");
    argv[n] = NULL;
    char *log = fast_format("%s/build.log", tmp);
    int status = log ? run_prog(argv, tmp, log, log) : -1;
    if (status != 0) {
        char reason[1024];
        build_reason(log, reason, sizeof reason);
        size_t len = 0;
        fast_diag *quiet = fast_diag_create();
        char *text = log && quiet ? fast_file_read(log, 64 << 20, &len, KIND, quiet) : NULL;
        int saved = text && fast_file_write_atomic(fail_log, text, len, KIND, quiet) == FAST_OK;
        fast_diag_destroy(quiet);
        free(text);
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, top, NULL,
                      "the Verilator build of the harness failed (log: %s): %s", saved ? fail_log : "lost",
                      status < 0 ? strerror(errno) : reason);
        st = FAST_ETOOL;
    } else {
        char *obj = fast_format("%s/obj", tmp);
        fast_synth_rmtree(obj);
        free(obj);
    }
    for (int i = first_file; i < n; i++)
        free(argv[i]);
    free(argv);
    free(cflags);
    free(log);
    return st;
}

/* Generates the RTL (or copies o->rtl_dir) and finds or builds the harness for it; fills
 * r->cache_entry, r->top, r->cached, r->build_s and *pp. */
static fast_status harness_get(const fast_arch *a, const char *root, const fast_simrtl_opts *o,
                               params *pp, fast_simrtl_result *r, fast_diag *d)
{
    char verilator[4096];
    if (!fast_tool_find("verilator", verilator, sizeof verilator))
        return fast_tool_require("verilator", d);
    if (mkdirs(root) != 0) {
        fast_diag_add(d, FAST_ETOOL, root, KIND, NULL, NULL, "cannot create the cache: %s",
                      strerror(errno));
        return FAST_ETOOL;
    }
    char *tmp = fast_format("%s/tmp-XXXXXX", root);
    if (!tmp || !mkdtemp(tmp)) {
        fast_diag_add(d, FAST_ETOOL, root, KIND, NULL, NULL, "cannot create a directory: %s",
                      strerror(errno));
        free(tmp);
        return FAST_ETOOL;
    }
    int trace = o->trace_path != NULL;
    char *rtl = fast_format("%s/rtl", tmp);
    file_list g = {0};
    fast_status st = !rtl ? FAST_ETOOL
                     : o->rtl_dir ? copy_rtl(o->rtl_dir, rtl, &g, d)
                                  : gen_rtl(a, rtl, &g, d);
    char *header = NULL, *entry = NULL, *fail_log = NULL, *lock = NULL;
    int lock_fd = -1;
    if (st == FAST_OK) {
        for (int i = 0; i < g.n; i++) {
            size_t len = strlen(g.paths[i]);
            if (len > 9 && strcmp(g.paths[i] + len - 9, "_params.h") == 0)
                header = g.paths[i];
        }
        if (!header) {
            fast_diag_add(d, o->rtl_dir ? FAST_EINPUT : FAST_ETOOL, o->rtl_dir, KIND, NULL,
                          NULL, "no parameters header (*_params.h)");
            st = o->rtl_dir ? FAST_EINPUT : FAST_ETOOL;
        }
    }
    if (st == FAST_OK)
        st = params_read(header, pp, d);
    if (st == FAST_OK) {
        /* The key: everything the build reads. */
        char vv[256];
        verilator_version(verilator, tmp, vv, sizeof vv);
        uint64_t h = fast_hash64(NULL, 0);
        h = fnv_str(h, RECIPE_VERSION);
        h = fnv_str(h, FAST_VERSION);
        h = fnv_str(h, CXXFLAGS OPT_MAKEFLAGS);
        h = fnv_str(h, vv);
        h = fnv_str(h, trace ? "trace" : "plain");
        h = fnv_str(h, pp->accel_top);
        for (int i = 0; st == FAST_OK && i < g.n; i++) {
            size_t len;
            char *text = fast_file_read(g.paths[i], 256u << 20, &len, KIND, d);
            if (!text) {
                st = FAST_ETOOL;
                break;
            }
            const char *base = strrchr(g.paths[i], '/');
            h = fnv_str(h, base ? base + 1 : g.paths[i]);
            h = fast_hash64_more(h, text, len);
            free(text);
        }
        for (const fast_simrtl_source *s = fast_simrtl_sources; s->name; s++) {
            h = fnv_str(h, s->name);
            h = fast_hash64_more(h, s->text, s->len);
        }
        char name[FAST_ARCH_NAME_MAX + 1];
        snprintf(name, sizeof name, "%s", a->name);
        entry = fast_format("%s/%s-%016" PRIx64 "%s", root, name, h, trace ? "-trace" : "");
        fail_log = entry ? fast_format("%s.build-failed.log", entry) : NULL;
        lock = entry ? fast_format("%s.lock", entry) : NULL;
        if (!lock)
            st = FAST_ETOOL;
    }
    char *bin = entry ? fast_format("%s/Vaccel", entry) : NULL;
    if (st == FAST_OK && !is_file(bin)) {
        /* One build per key at a time; the others wait, then find it built. */
        lock_fd = open(lock, O_RDWR | O_CREAT, 0644);
        if (lock_fd >= 0)
            while (flock(lock_fd, LOCK_EX) != 0 && errno == EINTR)
                ;
    }
    if (st == FAST_OK && !is_file(bin)) {
        const char *hb = strrchr(header, '/');
        double t0 = fast_now_s();
        st = build(verilator, tmp, &g, pp->accel_top, hb ? hb + 1 : header, trace, fail_log, d);
        r->build_s = fast_now_s() - t0;
        if (st == FAST_OK && rename(tmp, entry) != 0) {
            if (!is_file(bin)) {
                fast_diag_add(d, FAST_ETOOL, entry, KIND, NULL, NULL,
                              "cannot put the build in the cache: %s", strerror(errno));
                st = FAST_ETOOL;
            }
        } else if (st == FAST_OK) {
            unlink(fail_log);
            free(tmp);
            tmp = NULL; /* it is the entry now */
        }
        r->cached = 0;
    } else if (st == FAST_OK) {
        r->cached = 1;
    }
    if (lock_fd >= 0)
        close(lock_fd); /* releases the lock */
    if (tmp)
        fast_synth_rmtree(tmp);
    if (st == FAST_OK) {
        snprintf(r->cache_entry, sizeof r->cache_entry, "%s", entry);
        snprintf(r->top, sizeof r->top, "%s", pp->accel_top);
    }
    file_list_free(&g);
    free(bin);
    free(tmp);
    free(rtl);
    free(entry);
    free(fail_log);
    free(lock);
    return st;
}

/* ---- the run ---------------------------------------------------------------------- */

static fast_status write_bytes(const char *path, const void *p, size_t n, fast_diag *d)
{
    fast_status st = fast_file_write_atomic(path, p, n, KIND, d);
    return st == FAST_EINPUT ? FAST_ETOOL : st;
}

/* Runs the built harness; fills cycles and traffic, or reports its error. */
static fast_status harness_run(const char *entry, const char *work, const params *p,
                               int64_t bw256, int64_t gbw256, int global,
                               int64_t max_cycles, const fast_simrtl_opts *o,
                               fast_simrtl_result *r, fast_diag *d)
{
    char *bin = fast_format("%s/Vaccel", entry);
    char *prog = fast_format("%s/program.bin", work), *img = fast_format("%s/image.bin", work);
    char *out = fast_format("%s/output.bin", work), *so = fast_format("%s/run.out", work);
    char *se = fast_format("%s/run.err", work);
    char *gin = fast_format("%s/global.bin", work), *gout = fast_format("%s/global-out.bin", work);
    char lat[32], bw[32], gbw[32], mbw[32], maxc[32], seed[32];
    snprintf(lat, sizeof lat, "%" PRId64, p->dram_latency);
    snprintf(bw, sizeof bw, "%" PRId64, bw256);
    snprintf(gbw, sizeof gbw, "%" PRId64, gbw256);
    snprintf(mbw, sizeof mbw, "%" PRId64, p->dram_bw256);
    snprintf(maxc, sizeof maxc, "%" PRId64, max_cycles);
    snprintf(seed, sizeof seed, "%" PRIu64, o->seed ? o->seed : 1);
    char *argv[32];
    int n = 0;
    const char *fixed[] = {bin, "--program", prog, "--image", img, "--out", out, "--lat", lat,
                           "--bw", bw, "--gbw", gbw, "--mem-bw", mbw, "--max-cycles", maxc,
                           NULL};
    for (int i = 0; fixed[i]; i++)
        argv[n++] = (char *)fixed[i];
    if (global) {
        argv[n++] = (char *)"--global-image";
        argv[n++] = gin;
        argv[n++] = (char *)"--global-out";
        argv[n++] = gout;
    }
    if (o->trace_path) {
        argv[n++] = (char *)"--trace";
        argv[n++] = (char *)o->trace_path;
    }
    if (o->jitter) {
        argv[n++] = (char *)"--jitter";
        argv[n++] = seed;
    }
    argv[n] = NULL;
    fast_status st = FAST_OK;
    double t0 = fast_now_s();
    int status = run_prog(argv, NULL, so, se);
    r->sim_s = fast_now_s() - t0;
    char line[1024];
    first_line(se, line, sizeof line);
    const char *msg = strncmp(line, "harness: error[sim]: ", 21) == 0 ? line + 21 : line;
    if (status < 0) {
        fast_diag_add(d, FAST_ETOOL, bin, KIND, NULL, NULL, "cannot run: %s", strerror(errno));
        st = FAST_ETOOL;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 1) {
        fast_diag_add(d, FAST_EFAIL, o->layer_name, KIND, r->top, NULL, "%s", msg);
        st = FAST_EFAIL;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char how[32];
        if (WIFEXITED(status))
            snprintf(how, sizeof how, "exit %d", WEXITSTATUS(status));
        else
            snprintf(how, sizeof how, "signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        fast_diag_add(d, FAST_ETOOL, bin, KIND, NULL, how, "the harness failed: %s",
                      msg[0] ? msg : "no message");
        st = FAST_ETOOL;
    } else {
        size_t len;
        char *text = fast_file_read(so, 1 << 20, &len, KIND, d);
        cJSON *j = text ? cJSON_Parse(text) : NULL;
        free(text);
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(j, "cycles");
        if (!cJSON_IsNumber(c)) {
            fast_diag_add(d, FAST_ETOOL, so, KIND, NULL, NULL,
                          "the harness printed no cycle count");
            st = FAST_ETOOL;
        } else {
            r->rtl_cycles = (int64_t)c->valuedouble;
            const cJSON *br = cJSON_GetObjectItemCaseSensitive(j, "bytes_read");
            const cJSON *bwr = cJSON_GetObjectItemCaseSensitive(j, "bytes_written");
            r->bytes_read = cJSON_IsNumber(br) ? (int64_t)br->valuedouble : -1;
            r->bytes_written = cJSON_IsNumber(bwr) ? (int64_t)bwr->valuedouble : -1;
            const cJSON *lw = cJSON_GetObjectItemCaseSensitive(j, "last_write_cycle");
            r->last_write_cycle = cJSON_IsNumber(lw) ? (int64_t)lw->valuedouble : -1;
        }
        cJSON_Delete(j);
    }
    free(bin);
    free(prog);
    free(img);
    free(out);
    free(so);
    free(se);
    free(gin);
    free(gout);
    return st;
}

fast_status fast_simrtl_run(const fast_arch *a, const fast_layer *l, const fast_simrtl_opts *o,
                            fast_simrtl_result *r, fast_diag *d)
{
    memset(r, 0, sizeof *r);
    fast_compiled c = {0};
    size_t before = d->n;
    fast_status st = fast_compile_layer(a, l, &c, d);
    if (st != FAST_OK) {
        fast_diag_name_file(d, before, o->layer_name);
        return st;
    }
    r->instructions = (int64_t)c.n;
    memcpy(r->by_op, c.by_op, sizeof r->by_op);
    r->tiling = c.tiling;
    r->model_cycles = c.model_cycles;
    r->model_unit = c.model_unit;
    r->model_bound = c.model_bound;
    r->arrays = a->cores * a->array.count;

    /* B / U, the DMA's bw_i: one array's share of the chip's bandwidth when U work. */
    int64_t U = c.tiling.units > 0 ? c.tiling.units : 1;
    r->bw256 = fast_arch_dma_bw256(a, U);

    /* The layer's values, the image and the expected output. */
    int64_t ni = fast_layer_in_elems(l), nw = fast_layer_w_elems(l), no = fast_layer_out_elems(l);
    const fast_tensor_place *ot = &c.layout.t[2];
    int8_t *in = malloc((size_t)ni), *w = malloc((size_t)nw);
    int32_t *ref = malloc((size_t)no * sizeof *ref);
    int64_t dram_bytes = c.layout.dram_bytes, glob_bytes = c.layout.global_bytes;
    /* The DRAM image, then the global memory's (fast_layout_offset). */
    uint8_t *img = calloc(1, (size_t)(dram_bytes + glob_bytes));
    uint8_t *got = NULL;
    char *root = cache_root(o), *work = NULL;
    if (!in || !w || !ref || !img || !root) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
        st = FAST_ETOOL;
        goto done;
    }
    uint64_t s = o->seed ? o->seed : 1;
    for (int64_t i = 0; i < ni; i++)
        in[i] = (int8_t)mix_next(&s);
    for (int64_t i = 0; i < nw; i++)
        w[i] = (int8_t)mix_next(&s);
    memcpy(img + fast_layout_offset(&c.layout, &c.layout.t[0]), in, (size_t)ni);
    fast_layout_pack_weights(l, &c.layout, w, img);
    /* The output starts as a pattern, so that an output the RTL never writes shows. */
    int64_t oo = fast_layout_offset(&c.layout, ot);
    for (int64_t i = 0; i < ot->bytes; i++)
        img[oo + i] = (uint8_t)(0xA5 ^ (i * 13));
    fast_ref_layer(l, in, w, ref);

    params p;
    st = harness_get(a, root, o, &p, r, d);
    if (st != FAST_OK)
        goto done;
    r->lat = p.dram_latency;
    r->mem_bw256 = p.dram_bw256;
    r->ext_bytes = p.ext_bytes;
    if (p.arrays_total != r->arrays || p.dram_latency < 2) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, r->top, NULL,
                      "the parameters header says %" PRId64 " arrays and a latency of %" PRId64
                      " cycles; the configuration has %" PRId64 " arrays (latency must be >= 2)",
                      p.arrays_total, p.dram_latency, r->arrays);
        st = FAST_ETOOL;
        goto done;
    }

    work = fast_synth_mkdtemp("fast-sim", d);
    if (!work) {
        st = FAST_ETOOL;
        goto done;
    }
    uint8_t *bin = fast_isa_encode_program(c.insns, c.n);
    char *pp = fast_format("%s/program.bin", work), *ip = fast_format("%s/image.bin", work);
    st = bin && pp && ip ? FAST_OK : FAST_ETOOL;
    if (st == FAST_OK)
        st = write_bytes(pp, bin, c.n * FAST_ISA_BYTES, d);
    if (st == FAST_OK)
        st = write_bytes(ip, img, (size_t)dram_bytes, d);
    if (st == FAST_OK && glob_bytes > 0) {
        char *gp = fast_format("%s/global.bin", work);
        st = gp ? write_bytes(gp, img + dram_bytes, (size_t)glob_bytes, d) : FAST_ETOOL;
        free(gp);
    }
    free(bin);
    free(pp);
    free(ip);
    if (st != FAST_OK)
        goto done;
    int64_t max_cycles = o->max_cycles > 0 ? o->max_cycles : 10 * c.model_cycles + 100000;
    st = harness_run(r->cache_entry, work, &p, r->bw256, fast_arch_global_bw256(a, U),
                     glob_bytes > 0, max_cycles, o, r, d);
    if (st != FAST_OK)
        goto done;

    /* The output, bit for bit, from the final image of the memory that holds it. */
    char *op = fast_format(ot->global ? "%s/global-out.bin" : "%s/output.bin", work);
    int64_t want = ot->global ? glob_bytes : dram_bytes;
    size_t len = 0;
    got = op ? (uint8_t *)fast_file_read(op, (size_t)want + 1, &len, KIND, d) : NULL;
    free(op);
    if (!got || len != (size_t)want) {
        if (got)
            fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL,
                          "the harness wrote an image of %zu bytes, not %" PRId64, len, want);
        st = FAST_ETOOL;
        goto done;
    }
    r->outputs = no;
    const uint8_t *ob = got + (ot->global ? ot->addr - FAST_GLOBAL_BASE : ot->addr);
    for (int64_t i = 0; i < no; i++) {
        int32_t v = ot->elem_bytes == 1
                        ? (int32_t)(int8_t)ob[i]
                        : (int32_t)((uint32_t)ob[4 * i] | (uint32_t)ob[4 * i + 1] << 8 |
                                    (uint32_t)ob[4 * i + 2] << 16 |
                                    (uint32_t)ob[4 * i + 3] << 24);
        if (v != ref[i]) {
            if (r->mismatches == 0) {
                r->first_index = i;
                r->first_got = v;
                r->first_want = ref[i];
            }
            r->mismatches++;
        }
    }
    r->bit_exact = r->mismatches == 0;
    r->error = r->model_cycles > 0
                   ? (double)(r->rtl_cycles - r->model_cycles) / (double)r->model_cycles
                   : 0.0;

done:
    if (work)
        fast_synth_rmtree(work);
    free(work);
    free(root);
    free(in);
    free(w);
    free(ref);
    free(img);
    free(got);
    fast_compiled_free(&c);
    return st;
}
