#include "arch.h"

#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

#define KIND "config"
#define MAX_FILE_BYTES (1u << 20)  /* a configuration is a few hundred bytes */
#define MAX_PES (1LL << 24)        /* 16M PEs: 256x a TPU-v3 chip */
#define MAX_ONCHIP_BYTES (1LL << 34) /* 16 GiB of SRAM: far beyond any die */

typedef enum { F_STR, F_INT, F_NUM, F_ENUM } field_type;

/* One configuration field. Invariant: path is "key" or "section.key"; off points at an
 * int64_t (F_INT), double (F_NUM), enum (F_ENUM) or char[] (F_STR) inside fast_arch. */
typedef struct field_spec {
    const char *path;
    field_type type;
    int required;
    double lo, hi;
    int lo_open;              /* F_NUM: lo itself is excluded */
    double def;               /* default value (F_INT, F_NUM) or choice index (F_ENUM) */
    size_t off;
    const char *const *choices; /* F_ENUM: NULL-terminated names */
    const int64_t *allowed;     /* F_INT: when not NULL, the only values allowed, 0-ended */
} field_spec;

static const char *const dataflow_names[] = {"ws", "os", NULL};
static const char *const dtype_names[] = {"int8", "bf16", NULL};
static const int64_t process_nodes[] = {45, 28, 16, 7, 0};

#define OFF(m) offsetof(fast_arch, m)
static const field_spec fields[] = {
    {"name", F_STR, 1, 1, FAST_ARCH_NAME_MAX, 0, 0, OFF(name), NULL, NULL},
    {"process_nm", F_INT, 0, 7, 45, 0, 16, OFF(process_nm), NULL, process_nodes},
    {"clock_mhz", F_NUM, 0, 0, 5000, 1, 1000, OFF(clock_mhz), NULL, NULL},
    {"cores", F_INT, 0, 1, 64, 0, 1, OFF(cores), NULL, NULL},
    {"array.rows", F_INT, 1, 1, 1024, 0, 8, OFF(array.rows), NULL, NULL},
    {"array.cols", F_INT, 1, 1, 1024, 0, 8, OFF(array.cols), NULL, NULL},
    {"array.count", F_INT, 0, 1, 16, 0, 1, OFF(array.count), NULL, NULL},
    {"array.dataflow", F_ENUM, 0, 0, 0, 0, FAST_DATAFLOW_WS, OFF(array.dataflow),
     dataflow_names, NULL},
    {"array.dtype", F_ENUM, 0, 0, 0, 0, FAST_DTYPE_INT8, OFF(array.dtype), dtype_names, NULL},
    /* default: array.cols, filled in after loading (see derive_defaults) */
    {"vector.lanes", F_INT, 0, 1, 4096, 0, 0, OFF(vector.lanes), NULL, NULL},
    {"memory.input_kib", F_INT, 0, 1, 1 << 20, 0, 64, OFF(memory.input_kib), NULL, NULL},
    {"memory.weight_kib", F_INT, 0, 1, 1 << 20, 0, 64, OFF(memory.weight_kib), NULL, NULL},
    {"memory.acc_kib", F_INT, 0, 1, 1 << 20, 0, 64, OFF(memory.acc_kib), NULL, NULL},
    {"memory.global_mib", F_INT, 0, 0, 4096, 0, 0, OFF(memory.global_mib), NULL, NULL},
    {"memory.banks", F_INT, 0, 1, 256, 0, 4, OFF(memory.banks), NULL, NULL},
    {"dram.bandwidth_gbps", F_NUM, 0, 0, 100000, 1, 25.6, OFF(dram.bandwidth_gbps), NULL,
     NULL},
    {"dram.latency_ns", F_NUM, 0, 0, 100000, 0, 100, OFF(dram.latency_ns), NULL, NULL},
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

const char *const fast_arch_fields[] = {
    "name", "process_nm", "clock_mhz", "cores", "array.rows", "array.cols", "array.count",
    "array.dataflow", "array.dtype", "vector.lanes", "memory.input_kib",
    "memory.weight_kib", "memory.acc_kib", "memory.global_mib", "memory.banks",
    "dram.bandwidth_gbps", "dram.latency_ns", NULL};

static const char *const top_keys[] = {"name",  "process_nm", "clock_mhz", "cores", "array",
                                       "vector", "memory",    "dram",      NULL};
static const char *const sections[] = {"array", "vector", "memory", "dram", NULL};

static int64_t *int_at(fast_arch *a, const field_spec *f) { return (int64_t *)((char *)a + f->off); }
static const int64_t *int_at_c(const fast_arch *a, const field_spec *f)
{
    return (const int64_t *)((const char *)a + f->off);
}
static double *num_at(fast_arch *a, const field_spec *f) { return (double *)((char *)a + f->off); }
static const double *num_at_c(const fast_arch *a, const field_spec *f)
{
    return (const double *)((const char *)a + f->off);
}
/* Both enumerations have non-negative values only, so they are stored as unsigned int. */
static unsigned *enum_at(fast_arch *a, const field_spec *f) { return (unsigned *)((char *)a + f->off); }
static const unsigned *enum_at_c(const fast_arch *a, const field_spec *f)
{
    return (const unsigned *)((const char *)a + f->off);
}

/* Section and key of a path; the section is "" for top-level fields. */
static void split_path(const char *path, char *section, size_t n, const char **key)
{
    const char *dot = strchr(path, '.');
    if (!dot) {
        section[0] = '\0';
        *key = path;
        return;
    }
    size_t len = (size_t)(dot - path);
    if (len >= n)
        len = n - 1;
    memcpy(section, path, len);
    section[len] = '\0';
    *key = dot + 1;
}

void fast_arch_default(fast_arch *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "default");
    for (size_t i = 0; i < N_FIELDS; i++) {
        const field_spec *f = &fields[i];
        if (f->type == F_INT)
            *int_at(a, f) = (int64_t)f->def;
        else if (f->type == F_NUM)
            *num_at(a, f) = f->def;
        else if (f->type == F_ENUM)
            *enum_at(a, f) = (unsigned)f->def;
    }
    a->vector.lanes = a->array.cols;
}

static int name_ok(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

static int allowed_ok(const field_spec *f, int64_t v)
{
    if (!f->allowed)
        return 1;
    for (const int64_t *p = f->allowed; *p; p++)
        if (*p == v)
            return 1;
    return 0;
}

static void allowed_text(const field_spec *f, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const int64_t *p = f->allowed; *p && used < n; p++) {
        int w = snprintf(buf + used, n - used, "%s%lld", p == f->allowed ? "" : ", ",
                         (long long)*p);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* Reads one field from its container; returns 0 when fine or absent, 1 on error. */
static int read_field(const fast_json_ctx *c, const cJSON *container, const field_spec *f,
                      fast_arch *a, int *present)
{
    char section[16];
    const char *key;
    split_path(f->path, section, sizeof section, &key);
    fast_json_got got = FAST_JSON_ABSENT;
    if (f->type == F_STR) {
        const char *s = NULL;
        got = fast_json_str(c, container, key, f->path, f->required, (size_t)f->hi, &s);
        if (got == FAST_JSON_OK) {
            if (!name_ok(s)) {
                fast_json_error(c, f->path, cJSON_GetObjectItemCaseSensitive(container, key),
                                "may contain only letters, digits, '_', '-' and '.'");
                return 1;
            }
            snprintf((char *)a + f->off, FAST_ARCH_NAME_MAX + 1, "%s", s);
        }
    } else if (f->type == F_INT) {
        int64_t v = 0;
        got = fast_json_int(c, container, key, f->path, f->required, (int64_t)f->lo,
                            (int64_t)f->hi, &v);
        if (got == FAST_JSON_OK) {
            if (!allowed_ok(f, v)) {
                char list[64];
                allowed_text(f, list, sizeof list);
                fast_json_error(c, f->path, cJSON_GetObjectItemCaseSensitive(container, key),
                                "must be one of %s", list);
                return 1;
            }
            *int_at(a, f) = v;
        }
    } else if (f->type == F_NUM) {
        double v = 0;
        got = fast_json_num(c, container, key, f->path, f->required, f->lo, f->lo_open, f->hi,
                            &v);
        if (got == FAST_JSON_OK)
            *num_at(a, f) = v;
    } else {
        int v = 0;
        got = fast_json_enum(c, container, key, f->path, f->required, f->choices, &v);
        if (got == FAST_JSON_OK)
            *enum_at(a, f) = (unsigned)v;
    }
    *present = got == FAST_JSON_OK;
    return got == FAST_JSON_BAD || (got == FAST_JSON_ABSENT && f->required);
}

/* Limits that involve several fields; values are in range already. */
static int check_cross(const fast_arch *a, const char *file, fast_diag *d)
{
    int bad = 0;
    char value[64];
    uint64_t pes = 1;
    int over = fast_mul_u64(pes, (uint64_t)a->cores, &pes) ||
               fast_mul_u64(pes, (uint64_t)a->array.count, &pes) ||
               fast_mul_u64(pes, (uint64_t)a->array.rows, &pes) ||
               fast_mul_u64(pes, (uint64_t)a->array.cols, &pes);
    if (over || pes > (uint64_t)MAX_PES) {
        snprintf(value, sizeof value, "%" PRIu64, pes);
        fast_diag_add(d, FAST_EINPUT, file, KIND, "cores*array.count*array.rows*array.cols",
                      over ? NULL : value, "more than %lld processing elements",
                      (long long)MAX_PES);
        bad++;
    }
    uint64_t per_core = (uint64_t)(a->memory.input_kib + a->memory.weight_kib +
                                   a->memory.acc_kib) * 1024u;
    uint64_t total = 0;
    over = fast_mul_u64(per_core, (uint64_t)a->cores, &total);
    total += (uint64_t)a->memory.global_mib << 20;
    if (over || total > (uint64_t)MAX_ONCHIP_BYTES) {
        snprintf(value, sizeof value, "%" PRIu64, total);
        fast_diag_add(d, FAST_EINPUT, file, KIND,
                      "cores*(memory.input_kib+weight_kib+acc_kib)+memory.global_mib", value,
                      "on-chip memory of more than %lld bytes (16 GiB)",
                      (long long)MAX_ONCHIP_BYTES);
        bad++;
    }
    /* The arrays of a core share its scratchpads equally; each array's share must hold
     * one weight tile, two input rows and two accumulator rows, or no layer can run. */
    int64_t eb = fast_arch_elem_bytes(a), n = a->array.count;
    int64_t need_w = n * a->array.rows * a->array.cols * eb;
    if (a->memory.weight_kib * 1024 < need_w) {
        snprintf(value, sizeof value, "%lld", (long long)a->memory.weight_kib);
        fast_diag_add(d, FAST_EINPUT, file, KIND, "memory.weight_kib", value,
                      "smaller than one %lldx%lld %s weight tile per array (%lld bytes)",
                      (long long)a->array.rows, (long long)a->array.cols,
                      fast_dtype_name(a->array.dtype), (long long)need_w);
        bad++;
    }
    int64_t need_i = n * a->array.rows * eb * 2;
    if (a->memory.input_kib * 1024 < need_i) {
        snprintf(value, sizeof value, "%lld", (long long)a->memory.input_kib);
        fast_diag_add(d, FAST_EINPUT, file, KIND, "memory.input_kib", value,
                      "smaller than two input rows per array (%lld bytes)", (long long)need_i);
        bad++;
    }
    int64_t need_a = n * a->array.cols * fast_arch_acc_bytes(a) * 2;
    if (a->memory.acc_kib * 1024 < need_a) {
        snprintf(value, sizeof value, "%lld", (long long)a->memory.acc_kib);
        fast_diag_add(d, FAST_EINPUT, file, KIND, "memory.acc_kib", value,
                      "smaller than two accumulator rows per array (%lld bytes)",
                      (long long)need_a);
        bad++;
    }
    return bad;
}

fast_status fast_arch_from_json(const cJSON *json, const char *file, fast_arch *a,
                                 fast_diag *d)
{
    fast_json_ctx c = {file, KIND, d};
    if (!cJSON_IsObject(json)) {
        fast_json_error(&c, "(top level)", json, "must be a JSON object");
        return FAST_EINPUT;
    }
    fast_arch r;
    fast_arch_default(&r);
    r.vector.lanes = 0;
    int bad = fast_json_check_keys(&c, json, "", top_keys);
    const cJSON *sec_obj[4] = {NULL, NULL, NULL, NULL};
    int sec_bad[4] = {0, 0, 0, 0};
    for (int s = 0; sections[s]; s++) {
        const cJSON *o = NULL;
        fast_json_got got = fast_json_obj(&c, json, sections[s], sections[s], 0, &o);
        if (got == FAST_JSON_BAD) {
            bad++;
            sec_bad[s] = 1;
            continue;
        }
        if (got != FAST_JSON_OK)
            continue;
        sec_obj[s] = o;
        const char *keys[16];
        size_t n = 0;
        for (size_t i = 0; i < N_FIELDS && n < 15; i++) {
            char section[16];
            const char *key;
            split_path(fields[i].path, section, sizeof section, &key);
            if (strcmp(section, sections[s]) == 0)
                keys[n++] = key;
        }
        keys[n] = NULL;
        bad += fast_json_check_keys(&c, o, sections[s], keys);
    }
    int lanes_given = 0;
    for (size_t i = 0; i < N_FIELDS; i++) {
        const field_spec *f = &fields[i];
        char section[16];
        const char *key;
        split_path(f->path, section, sizeof section, &key);
        const cJSON *container = json;
        if (section[0]) {
            int s = 0;
            while (sections[s] && strcmp(sections[s], section) != 0)
                s++;
            if (sec_bad[s])
                continue; /* the section itself was already reported */
            container = sec_obj[s];
            if (!container) {
                if (f->required) {
                    fast_diag_add(d, FAST_EINPUT, file, KIND, f->path, NULL,
                                  "missing required field");
                    bad++;
                }
                continue;
            }
        }
        int present = 0;
        bad += read_field(&c, container, f, &r, &present);
        if (f->off == OFF(vector.lanes))
            lanes_given = present;
    }
    if (bad)
        return FAST_EINPUT;
    if (!lanes_given)
        r.vector.lanes = r.array.cols;
    if (check_cross(&r, file, d))
        return FAST_EINPUT;
    *a = r;
    return FAST_OK;
}

fast_status fast_arch_parse(const char *text, size_t len, const char *file, fast_arch *a,
                            fast_diag *d)
{
    fast_json_ctx c = {file, KIND, d};
    cJSON *root = fast_json_parse(&c, text, len);
    if (!root)
        return FAST_EINPUT;
    fast_status s = fast_arch_from_json(root, file, a, d);
    cJSON_Delete(root);
    return s;
}

fast_status fast_arch_load(const char *path, fast_arch *a, fast_diag *d)
{
    size_t len = 0;
    char *text = fast_file_read(path, MAX_FILE_BYTES, &len, KIND, d);
    if (!text)
        return FAST_EINPUT;
    fast_status s = fast_arch_parse(text, len, path, a, d);
    free(text);
    return s;
}

fast_status fast_arch_validate(const fast_arch *a, const char *file, fast_diag *d)
{
    int bad = 0;
    char value[96];
    for (size_t i = 0; i < N_FIELDS; i++) {
        const field_spec *f = &fields[i];
        if (f->type == F_STR) {
            const char *s = (const char *)a + f->off;
            size_t n = strnlen(s, FAST_ARCH_NAME_MAX + 1);
            if (n == 0 || n > FAST_ARCH_NAME_MAX || !name_ok(s)) {
                snprintf(value, sizeof value, "\"%.64s\"", s);
                fast_diag_add(d, FAST_EINPUT, file, KIND, f->path, value,
                              "must be 1..64 letters, digits, '_', '-' or '.'");
                bad++;
            }
        } else if (f->type == F_INT) {
            int64_t v = *int_at_c(a, f);
            if (v < (int64_t)f->lo || v > (int64_t)f->hi || !allowed_ok(f, v)) {
                snprintf(value, sizeof value, "%lld", (long long)v);
                fast_diag_add(d, FAST_EINPUT, file, KIND, f->path, value,
                              "must be an integer in %lld..%lld%s", (long long)f->lo,
                              (long long)f->hi, f->allowed ? " from the allowed set" : "");
                bad++;
            }
        } else if (f->type == F_NUM) {
            double v = *num_at_c(a, f);
            if (!isfinite(v) || v < f->lo || (f->lo_open && v == f->lo) || v > f->hi) {
                snprintf(value, sizeof value, "%g", v);
                fast_diag_add(d, FAST_EINPUT, file, KIND, f->path, value, "must be %s%g..%g",
                              f->lo_open ? "finite and in the open-closed range " : "", f->lo,
                              f->hi);
                bad++;
            }
        } else {
            unsigned v = *enum_at_c(a, f);
            unsigned n = 0;
            while (f->choices[n])
                n++;
            if (v >= n) {
                snprintf(value, sizeof value, "%u", v);
                fast_diag_add(d, FAST_EINPUT, file, KIND, f->path, value,
                              "not a valid choice");
                bad++;
            }
        }
    }
    if (bad)
        return FAST_EINPUT;
    return check_cross(a, file, d) ? FAST_EINPUT : FAST_OK;
}

cJSON *fast_arch_to_json(const fast_arch *a)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    for (size_t i = 0; i < N_FIELDS; i++) {
        const field_spec *f = &fields[i];
        char section[16];
        const char *key;
        split_path(f->path, section, sizeof section, &key);
        cJSON *parent = root;
        if (section[0]) {
            parent = cJSON_GetObjectItemCaseSensitive(root, section);
            if (!parent)
                parent = cJSON_AddObjectToObject(root, section);
        }
        cJSON *item = NULL;
        if (f->type == F_STR)
            item = cJSON_AddStringToObject(parent, key, (const char *)a + f->off);
        else if (f->type == F_INT)
            item = cJSON_AddNumberToObject(parent, key, (double)*int_at_c(a, f));
        else if (f->type == F_NUM)
            item = cJSON_AddNumberToObject(parent, key, *num_at_c(a, f));
        else
            item = cJSON_AddStringToObject(parent, key, f->choices[*enum_at_c(a, f)]);
        if (!parent || !item) {
            cJSON_Delete(root);
            return NULL;
        }
    }
    return root;
}

char *fast_arch_canonical(const fast_arch *a)
{
    cJSON *j = fast_arch_to_json(a);
    if (!j)
        return NULL;
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!s)
        return NULL;
    char *r = fast_strdup(s);
    cJSON_free(s);
    return r;
}

uint64_t fast_arch_hash(const fast_arch *a)
{
    char *s = fast_arch_canonical(a);
    if (!s)
        return 0;
    uint64_t h = fast_hash64(s, strlen(s));
    free(s);
    return h;
}

fast_status fast_arch_save(const fast_arch *a, const char *path, fast_diag *d)
{
    return fast_json_save(fast_arch_to_json(a), path, KIND, d);
}

const char *fast_dataflow_name(fast_dataflow f) { return f == FAST_DATAFLOW_OS ? "os" : "ws"; }
const char *fast_dtype_name(fast_dtype t) { return t == FAST_DTYPE_BF16 ? "bf16" : "int8"; }

int fast_arch_elem_bytes(const fast_arch *a) { return a->array.dtype == FAST_DTYPE_BF16 ? 2 : 1; }
int fast_arch_acc_bytes(const fast_arch *a)
{
    (void)a;
    return 4;
}

int64_t fast_arch_pes(const fast_arch *a)
{
    return a->cores * a->array.count * a->array.rows * a->array.cols;
}

double fast_arch_dram_bytes_per_cycle(const fast_arch *a)
{
    return a->dram.bandwidth_gbps * 1e9 / (a->clock_mhz * 1e6);
}

int64_t fast_arch_beat_bytes(const fast_arch *a)
{
    double bpc = ceil(fast_arch_dram_bytes_per_cycle(a));
    int64_t w = 4;
    while ((double)w < bpc && w < FAST_BEAT_MAX)
        w *= 2;
    return w;
}

int64_t fast_arch_global_bw256(const fast_arch *a, int64_t arrays)
{
    int64_t r = 256 * fast_arch_beat_bytes(a) / (arrays > 0 ? arrays : 1);
    return r < 1 ? 1 : r;
}

int64_t fast_arch_dram_latency(const fast_arch *a)
{
    return (int64_t)ceil(a->dram.latency_ns * a->clock_mhz / 1000.0);
}

int64_t fast_arch_dma_rowq(const fast_arch *a)
{
    int64_t lat = fast_arch_dram_latency(a);
    int64_t q = 8;
    while (q < lat)
        q *= 2;
    return q;
}

int64_t fast_arch_dma_bw256(const fast_arch *a, int64_t arrays)
{
    double bw = 256.0 * fast_arch_dram_bytes_per_cycle(a) / (double)(arrays > 0 ? arrays : 1);
    double cap = 256.0 * (double)fast_arch_beat_bytes(a);
    if (bw > cap)
        return (int64_t)cap;
    int64_t r = (int64_t)llround(bw);
    return r < 1 ? 1 : r;
}

int64_t fast_arch_acc_rows(const fast_arch *a)
{
    int64_t share = a->memory.acc_kib * 1024 / a->array.count;
    int64_t rows = share / (a->array.cols * fast_arch_acc_bytes(a));
    int64_t unit = 2 * a->memory.banks; /* two halves of whole rows in every bank */
    return rows / unit * unit;
}

int64_t fast_arch_acc_pitch(const fast_arch *a)
{
    int64_t p = 1;
    while (p < a->array.cols)
        p *= 2;
    return p;
}
