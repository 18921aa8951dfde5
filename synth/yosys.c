/* The Yosys area flow: script from synth/area.ys, a subprocess with a timeout, and the
 * hierarchy totals of its `stat -json` reports. */
#include "synth/yosys.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "core/tools.h"
#include "core/util.h"

#define KIND "synth"

char *fast_synth_data_path(const char *rel)
{
    const char *root = getenv("FAST_SOURCE_DIR");
    if (!root || !*root)
        root = FAST_SOURCE_DIR;
    return fast_format("%s/%s", root, rel);
}

/* ---- liberty ---------------------------------------------------------------------- */

/* Skips blanks and comments (C-style block and // line comments). */
static const char *skip_space(const char *p)
{
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
        } else if (p[0] == '/' && p[1] == '/') {
            while (*p && *p != '\n')
                p++;
        } else {
            return p;
        }
    }
}

fast_status fast_liberty_load(const char *path, fast_liberty *lib, fast_diag *d)
{
    memset(lib, 0, sizeof *lib);
    size_t len = 0;
    char *text = fast_file_read(path, 4u << 20, &len, KIND, d);
    if (!text)
        return FAST_EINPUT;
    /* A cell's area is the first `area : X` after its `cell (NAME)`. */
    int cur = -1;
    const char *p = text;
    while (*(p = skip_space(p))) {
        if (strncmp(p, "cell", 4) == 0 && !isalnum((unsigned char)p[4]) && p[4] != '_') {
            const char *q = skip_space(p + 4);
            if (*q == '(') {
                q = skip_space(q + 1);
                size_t n = 0;
                while (q[n] && q[n] != ')' && !isspace((unsigned char)q[n]))
                    n++;
                if (lib->n_cells < FAST_LIBERTY_MAX_CELLS && n > 0 &&
                    n <= FAST_LIBERTY_NAME_MAX) {
                    cur = lib->n_cells++;
                    memcpy(lib->name[cur], q, n);
                    lib->name[cur][n] = '\0';
                    lib->area_um2[cur] = -1;
                }
                p = q + n;
                continue;
            }
        }
        if (cur >= 0 && strncmp(p, "area", 4) == 0 && !isalnum((unsigned char)p[4]) &&
            lib->area_um2[cur] < 0) {
            const char *q = skip_space(p + 4);
            if (*q == ':') {
                char *end;
                double v = strtod(q + 1, &end);
                if (end != q + 1)
                    lib->area_um2[cur] = v;
                p = end;
                continue;
            }
        }
        p++;
    }
    free(text);
    int bad = lib->n_cells == 0;
    for (int i = 0; i < lib->n_cells; i++)
        if (!(lib->area_um2[i] > 0)) {
            fast_diag_add(d, FAST_EINPUT, path, KIND, lib->name[i], NULL,
                          "cell without a positive area");
            bad = 1;
        }
    if (lib->n_cells == 0)
        fast_diag_add(d, FAST_EINPUT, path, KIND, NULL, NULL, "no cells in the liberty file");
    return bad ? FAST_EINPUT : FAST_OK;
}

double fast_liberty_area(const fast_liberty *lib, const char *cell)
{
    for (int i = 0; i < lib->n_cells; i++)
        if (strcmp(lib->name[i], cell) == 0)
            return lib->area_um2[i];
    return -1;
}

/* ---- temporary directories -------------------------------------------------------- */

char *fast_synth_mkdtemp(const char *prefix, fast_diag *d)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    char *path = fast_format("%s/%s-XXXXXX", tmp, prefix);
    if (!path || !mkdtemp(path)) {
        fast_diag_add(d, FAST_ETOOL, tmp, KIND, NULL, NULL, "cannot create a work directory: %s",
                      strerror(errno));
        free(path);
        return NULL;
    }
    return path;
}

int fast_synth_rmtree(const char *path)
{
    if (!path)
        return 0;
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    DIR *dir = opendir(path);
    if (!dir)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *child = fast_format("%s/%s", path, e->d_name);
        if (!child || fast_synth_rmtree(child) != 0)
            rc = -1;
        free(child);
    }
    closedir(dir);
    return rmdir(path) == 0 ? rc : -1;
}

/* ---- the script ------------------------------------------------------------------- */

/* Appends s to the growing buffer *buf (length *len); returns 0, or -1 out of memory. */
static int append(char **buf, size_t *len, const char *s, size_t n)
{
    char *b = realloc(*buf, *len + n + 1);
    if (!b)
        return -1;
    memcpy(b + *len, s, n);
    *len += n;
    b[*len] = '\0';
    *buf = b;
    return 0;
}

/* A file name Yosys reads safely inside a script line: no blanks, quotes, ';' or '#'. */
static int plain_path(const char *s)
{
    for (; *s; s++)
        if (isspace((unsigned char)*s) || *s == '"' || *s == ';' || *s == '#' || *s == '\\')
            return 0;
    return 1;
}

/* The script text: area.ys with its placeholders filled; caller frees; NULL on error. */
static char *make_script(const char *tmpl, const char *const *files, int n_files,
                         const char *top, const char *lib, fast_diag *d)
{
    char *read = NULL;
    size_t read_len = 0;
    for (int i = 0; i < n_files; i++) {
        if (!plain_path(files[i])) {
            fast_diag_add(d, FAST_EINPUT, files[i], KIND, NULL, NULL,
                          "a path with blanks, quotes, ';', '#' or '\\' cannot be read by the "
                          "Yosys script");
            free(read);
            return NULL;
        }
        char *line = fast_format("read_verilog -sv %s\n", files[i]);
        if (!line || append(&read, &read_len, line, strlen(line)) != 0) {
            free(line);
            free(read);
            return NULL;
        }
        free(line);
    }
    struct {
        const char *key, *val;
    } subs[3] = {{"@READ@", read ? read : ""}, {"@TOP@", top}, {"@LIB@", lib}};
    char *out = NULL;
    size_t len = 0;
    const char *p = tmpl;
    while (*p) {
        int hit = -1;
        for (int k = 0; k < 3 && hit < 0; k++)
            if (strncmp(p, subs[k].key, strlen(subs[k].key)) == 0)
                hit = k;
        int rc = hit >= 0 ? append(&out, &len, subs[hit].val, strlen(subs[hit].val))
                          : append(&out, &len, p, 1);
        if (rc != 0) {
            free(out);
            out = NULL;
            break;
        }
        p += hit >= 0 ? strlen(subs[hit].key) : 1;
    }
    free(read);
    if (!out)
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
    return out;
}

/* ---- the subprocess --------------------------------------------------------------- */

/* The last line of the log that starts with "ERROR:", or its last non-empty line, into buf. */
static void log_reason(const char *log_path, char *buf, size_t n)
{
    snprintf(buf, n, "no log");
    FILE *f = fopen(log_path, "r");
    if (!f)
        return;
    char line[512], last[512] = "";
    int have_error = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "ERROR:", 6) == 0) {
            snprintf(last, sizeof last, "%s", line);
            have_error = 1;
        } else if (!have_error && line[0]) {
            snprintf(last, sizeof last, "%s", line);
        }
    }
    fclose(f);
    snprintf(buf, n, "%s", last[0] ? last : "empty log");
}

/* Runs `yosys -q -l yosys.log -s area.ys` in dir; 0 on success, else a diagnostic. */
static fast_status run_yosys(const char *yosys, const char *dir, double timeout_s,
                             fast_diag *d)
{
    char *argv[] = {(char *)yosys, (char *)"-q", (char *)"-l", (char *)"yosys.log",
                    (char *)"-s", (char *)"area.ys", NULL};
    char *out = fast_format("%s/yosys.out", dir);
    int status = 0;
    int rc = out ? fast_tool_run(argv, dir, out, out, timeout_s, &status) : -1;
    free(out);
    if (rc == -1) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, "yosys", NULL, "cannot start: %s",
                      strerror(errno));
        return FAST_ETOOL;
    }
    if (rc == -2) {
        char v[32];
        snprintf(v, sizeof v, "%.0f s", timeout_s);
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, "yosys", v,
                      "timed out; the design is too large for the synthesis flow");
        return FAST_ETOOL;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return FAST_OK;
    char *log = fast_format("%s/yosys.log", dir);
    char reason[512];
    log_reason(log, reason, sizeof reason);
    free(log);
    char v[32];
    if (WIFEXITED(status))
        snprintf(v, sizeof v, "exit %d", WEXITSTATUS(status));
    else
        snprintf(v, sizeof v, "signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    fast_diag_add(d, FAST_ETOOL, NULL, KIND, "yosys", v, "synthesis failed: %s", reason);
    return FAST_ETOOL;
}

/* ---- reports ---------------------------------------------------------------------- */

void fast_synth_fix_json(char *text)
{
    int in_str = 0;
    char *comma = NULL;
    for (char *p = text; *p; p++) {
        if (in_str) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '"')
                in_str = 0;
            continue;
        }
        if (*p == '"') {
            in_str = 1;
            comma = NULL;
        } else if (*p == ',') {
            comma = p;
        } else if (*p == '}' || *p == ']') {
            if (comma)
                *comma = ' ';
            comma = NULL;
        } else if (!isspace((unsigned char)*p)) {
            comma = NULL;
        }
    }
}

static cJSON *load_report(const char *dir, const char *name, fast_diag *d)
{
    char *path = fast_format("%s/%s", dir, name);
    size_t len = 0;
    char *text = path ? fast_file_read(path, 64u << 20, &len, KIND, d) : NULL;
    cJSON *j = NULL;
    if (text) {
        fast_synth_fix_json(text);
        j = cJSON_Parse(text);
        if (!j || !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "modules")))
            fast_diag_add(d, FAST_ETOOL, path, KIND, NULL, NULL,
                          "not a Yosys `stat -json` report");
    }
    free(text);
    free(path);
    if (j && !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "modules"))) {
        cJSON_Delete(j);
        j = NULL;
    }
    return j;
}

/* The module a cell type instantiates, or NULL: types name modules with or without the
 * leading backslash of a public name. */
static const cJSON *find_module(const cJSON *modules, const char *type)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(modules, type);
    if (m)
        return m;
    char key[512];
    snprintf(key, sizeof key, "\\%s", type);
    return cJSON_GetObjectItemCaseSensitive(modules, key);
}

/* Whether a cell type is a memory wrapper: fast_sram*, also as a derived $paramod name. */
static int is_sram(const char *type)
{
    if (type[0] == '\\')
        type++;
    if (strncmp(type, "$paramod", 8) == 0) {
        const char *bs = strchr(type, '\\');
        if (!bs)
            return 0;
        type = bs + 1;
    }
    return strncmp(type, "fast_sram", 9) == 0;
}

/* Totals of one module and everything below it. */
typedef struct totals {
    int64_t cells, flops, transistors, srams;
    double area_um2;
    int vector; /* a module named *vector* is in the hierarchy */
} totals;

/* Walks module m of the cell report (and, in parallel, of the transistor report). */
static int walk(const cJSON *cells_mods, const cJSON *cmos_mods, const char *name,
                const fast_liberty *lib, int depth, totals *t, fast_diag *d)
{
    if (depth > 64) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, name, NULL, "hierarchy too deep");
        return -1;
    }
    const cJSON *m = find_module(cells_mods, name);
    const cJSON *by = m ? cJSON_GetObjectItemCaseSensitive(m, "num_cells_by_type") : NULL;
    if (!by) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, name, NULL, "module missing from the report");
        return -1;
    }
    if (strstr(name, "vector"))
        t->vector = 1;
    const cJSON *cm = cmos_mods ? find_module(cmos_mods, name) : NULL;
    const cJSON *tr = cm ? cJSON_GetObjectItemCaseSensitive(cm, "estimated_num_transistors")
                         : NULL;
    /* Yosys counts a module's own gates; "+" marks sub-modules it does not expand. */
    if (cJSON_IsString(tr))
        t->transistors += strtoll(tr->valuestring, NULL, 10);
    else if (cJSON_IsNumber(tr))
        t->transistors += (int64_t)tr->valuedouble;
    const cJSON *c;
    cJSON_ArrayForEach(c, by)
    {
        int64_t n = (int64_t)c->valuedouble;
        double area = fast_liberty_area(lib, c->string);
        if (area > 0) {
            t->cells += n;
            t->area_um2 += (double)n * area;
            if (strncmp(c->string, "DFF", 3) == 0)
                t->flops += n;
        } else if (is_sram(c->string)) {
            t->srams += n;
        } else if (find_module(cells_mods, c->string)) {
            totals sub = {0, 0, 0, 0, 0, 0};
            if (walk(cells_mods, cmos_mods, c->string, lib, depth + 1, &sub, d) != 0)
                return -1;
            t->cells += n * sub.cells;
            t->flops += n * sub.flops;
            t->transistors += n * sub.transistors;
            t->srams += n * sub.srams;
            t->area_um2 += (double)n * sub.area_um2;
            t->vector |= sub.vector;
        } else {
            fast_diag_add(d, FAST_ETOOL, NULL, KIND, name, c->string,
                          "cell left unmapped by the liberty file");
            return -1;
        }
    }
    return 0;
}

fast_status fast_synth_run(const char *const *files, int n_files, const char *top,
                           const char *work_dir, double timeout_s, fast_synth_result *r,
                           fast_diag *d)
{
    memset(r, 0, sizeof *r);
    char yosys[4096];
    if (!fast_tool_find("yosys", yosys, sizeof yosys))
        return fast_tool_require("yosys", d);
    char *tmpl_path = fast_synth_data_path("synth/area.ys");
    char *lib_path = fast_synth_data_path("synth/nangate45_area.lib");
    char *script_path = fast_format("%s/area.ys", work_dir);
    fast_status st = FAST_OK;
    fast_liberty lib;
    size_t len = 0;
    char *tmpl = NULL, *script = NULL;
    cJSON *cells = NULL, *cmos = NULL;
    if (!tmpl_path || !lib_path || !script_path) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
        st = FAST_ETOOL;
        goto out;
    }
    if ((st = fast_liberty_load(lib_path, &lib, d)) != FAST_OK)
        goto out;
    if (!(tmpl = fast_file_read(tmpl_path, 1u << 20, &len, KIND, d))) {
        st = FAST_EINPUT;
        goto out;
    }
    if (!(script = make_script(tmpl, files, n_files, top, lib_path, d))) {
        st = fast_diag_status(d) ? fast_diag_status(d) : FAST_ETOOL;
        goto out;
    }
    if ((st = fast_file_write_atomic(script_path, script, strlen(script), KIND, d)) != FAST_OK)
        goto out;
    double start = fast_now_s();
    if ((st = run_yosys(yosys, work_dir, timeout_s, d)) != FAST_OK)
        goto out;
    r->seconds = fast_now_s() - start;
    cells = load_report(work_dir, "cells.json", d);
    cmos = load_report(work_dir, "cmos.json", d);
    if (!cells || !cmos) {
        st = FAST_ETOOL;
        goto out;
    }
    totals t = {0, 0, 0, 0, 0, 0};
    if (walk(cJSON_GetObjectItemCaseSensitive(cells, "modules"),
             cJSON_GetObjectItemCaseSensitive(cmos, "modules"), top, &lib, 0, &t, d) != 0) {
        st = FAST_ETOOL;
        goto out;
    }
    r->cells = t.cells;
    r->flops = t.flops;
    r->transistors = t.transistors;
    r->sram_macros = t.srams;
    r->area_um2 = t.area_um2;
    r->has_vector = t.vector;
    const cJSON *creator = cJSON_GetObjectItemCaseSensitive(cells, "creator");
    snprintf(r->yosys_version, sizeof r->yosys_version, "%s",
             cJSON_IsString(creator) ? creator->valuestring : "Yosys (unknown version)");
out:
    cJSON_Delete(cells);
    cJSON_Delete(cmos);
    free(tmpl);
    free(script);
    free(tmpl_path);
    free(lib_path);
    free(script_path);
    return st;
}
