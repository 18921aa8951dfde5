/* Resolving a --workload argument to a graph. */
#include "workloads/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "workloads/format.h"
#include "workloads/onnx.h"
#include "workloads/zoo.h"

#define MAX_FILE_BYTES (64u << 20)
#define MAX_INLINE_DIM (INT64_C(1) << 24)

/* Splits "a,b,c" into up to max integers in [1, MAX_INLINE_DIM]; returns the count, or -1
 * with a diagnostic naming the field. */
static int parse_fields(const char *spec, const char *list, const char *const *names, int lo_n,
                        int max, int64_t *out, fast_diag *d)
{
    char *copy = fast_strdup(list);
    if (!copy)
        return -1;
    int n = 0, rc = 0;
    const char *p = copy; /* walked by hand, not strtok, so "1,,2" is an error */
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char field[64];
        if (n == max) {
            if (lo_n < max)
                fast_diag_add(d, FAST_EINPUT, spec, "workload", NULL, NULL,
                              "too many fields: expected %d or %d", lo_n, max);
            else
                fast_diag_add(d, FAST_EINPUT, spec, "workload", NULL, NULL,
                              "too many fields: expected %d", lo_n);
            rc = -1;
            break;
        }
        if (len == 0 || len >= sizeof field) {
            fast_diag_add(d, FAST_EINPUT, spec, "workload", names[n], NULL,
                          "missing or overlong value");
            rc = -1;
            break;
        }
        memcpy(field, p, len);
        field[len] = '\0';
        if (fast_parse_i64(field, 1, MAX_INLINE_DIM, &out[n])) {
            fast_diag_add(d, FAST_EINPUT, spec, "workload", names[n], field,
                          "must be an integer in 1..%lld", (long long)MAX_INLINE_DIM);
            rc = -1;
            break;
        }
        n++;
        if (!comma)
            break;
        p = comma + 1;
    }
    free(copy);
    if (rc == 0 && n < lo_n) {
        fast_diag_add(d, FAST_EINPUT, spec, "workload", names[n], NULL,
                      "missing: expected %d fields", lo_n);
        rc = -1;
    }
    return rc ? -1 : n;
}

fast_graph *fast_workload_inline(const char *spec, int64_t batch, fast_diag *d)
{
    size_t before = d->n;
    int64_t v[7];
    fast_graph *g = NULL;
    if (strncmp(spec, "gemm:", 5) == 0) {
        static const char *const names[] = {"M", "K", "N"};
        if (parse_fields(spec, spec + 5, names, 3, 3, v, d) < 0)
            return NULL;
        g = fast_graph_create(spec, batch);
        int64_t dims[3] = {batch, v[0], v[1]};
        int x = g ? fast_graph_input(g, "a", fast_shape_make(3, dims), FAST_ELEM_FP32, d) : -1;
        fast_op_attrs a;
        memset(&a, 0, sizeof a);
        a.units = v[2];
        if (x < 0 || fast_graph_add(g, "gemm", FAST_OP_FC, &x, 1, &a, d) < 0)
            goto fail;
        return g;
    }
    if (strncmp(spec, "conv:", 5) == 0) {
        static const char *const names[] = {"H", "W", "Cin", "Cout", "K", "stride", "groups"};
        int n = parse_fields(spec, spec + 5, names, 6, 7, v, d);
        if (n < 0)
            return NULL;
        int64_t groups = n == 7 ? v[6] : 1;
        if (v[2] % groups || v[3] % groups) {
            char val[32];
            snprintf(val, sizeof val, "%lld", (long long)groups);
            fast_diag_add(d, FAST_EINPUT, spec, "workload", "groups", val,
                          "must divide Cin and Cout");
            return NULL;
        }
        if (v[4] > 1024 || v[5] > 1024) {
            fast_diag_add(d, FAST_EINPUT, spec, "workload", v[4] > 1024 ? "K" : "stride",
                          NULL, "must be at most 1024");
            return NULL;
        }
        g = fast_graph_create(spec, batch);
        int64_t dims[4] = {batch, v[0], v[1], v[2]};
        int x = g ? fast_graph_input(g, "x", fast_shape_make(4, dims), FAST_ELEM_FP32, d) : -1;
        fast_op_attrs a;
        memset(&a, 0, sizeof a);
        a.conv = (fast_conv_attrs){.cout = v[3], .kh = v[4], .kw = v[4], .stride_h = v[5],
                                   .stride_w = v[5], .dil_h = 1, .dil_w = 1, .groups = groups};
        fast_same_pad(v[0], v[4], v[5], &a.conv.pad_top, &a.conv.pad_bottom);
        fast_same_pad(v[1], v[4], v[5], &a.conv.pad_left, &a.conv.pad_right);
        if (x < 0 || fast_graph_add(g, "conv", FAST_OP_CONV2D, &x, 1, &a, d) < 0)
            goto fail;
        return g;
    }
    fast_diag_add(d, FAST_EINPUT, spec, "workload", NULL, NULL,
                  "inline layers are gemm:M,K,N or conv:H,W,Cin,Cout,K,stride[,groups]");
    return NULL;
fail:
    fast_diag_name_file(d, before, spec);
    if (fast_diag_errors(d) == 0)
        fast_diag_add(d, FAST_ETOOL, spec, "workload", NULL, NULL, "out of memory");
    fast_graph_destroy(g);
    return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int fast_workload_is_onnx(const char *spec)
{
    return ends_with(spec, ".onnx");
}

fast_graph *fast_workload_load(const char *spec, int64_t batch, fast_diag *d)
{
    fast_workload_opts o = {.batch = batch};
    return fast_workload_load_opts(spec, &o, d);
}

fast_graph *fast_workload_load_opts(const char *spec, const fast_workload_opts *o,
                                    fast_diag *d)
{
    int64_t batch = o->batch;
    if (batch < 1 || batch > FAST_MAX_BATCH) {
        char val[32];
        snprintf(val, sizeof val, "%lld", (long long)batch);
        fast_diag_add(d, FAST_EINPUT, NULL, "workload", "--batch", val, "must be 1..%d",
                      FAST_MAX_BATCH);
        return NULL;
    }
    if (fast_workload_is_onnx(spec))
        return fast_onnx_load(spec, o, d);
    if (o->n_input_shapes > 0) {
        fast_diag_add(d, FAST_EINPUT, spec, "workload", "--input-shape", o->input_shapes[0],
                      "only ONNX files (FILE.onnx) have named inputs to fix");
        return NULL;
    }
    const char *colon = strchr(spec, ':');
    if (colon && !strchr(spec, '/') && !strchr(colon, '.'))
        return fast_workload_inline(spec, batch, d);
    size_t before = d->n;
    fast_graph *g = fast_zoo_build(spec, batch, d);
    if (g || d->n > before)
        return g;
    if (!strchr(spec, '/') && !strchr(spec, '.')) {
        const char *s = fast_suggest(spec, fast_zoo_all_names);
        fast_diag_add(d, FAST_EINPUT, spec, "workload", NULL, NULL,
                      "no built-in model of this name%s%s%s (see fast workloads list)",
                      s ? "; did you mean " : "", s ? s : "", s ? "?" : "");
        return NULL;
    }
    size_t len = 0;
    char *text = fast_file_read(spec, MAX_FILE_BYTES, &len, "workload", d);
    if (!text)
        return NULL;
    g = fast_workload_parse(text, len, spec, batch, d);
    free(text);
    return g;
}
