/* Reading and writing the JSON form of a workload. */
#include "workloads/format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/util.h"

#define MAX_OPS 100000
#define MAX_DIM (INT64_C(1) << 40)

/* Keys every op may have, and the extra keys of each type. */
static const char *const keys_common[] = {"name", "type", "inputs", NULL};
static const char *const keys_conv[] = {"name",     "type",   "inputs", "cout",
                                        "kernel",   "stride", "dilation", "pads",
                                        "padding",  "groups", "bias",   NULL};
static const char *const keys_pool[] = {"name", "type", "inputs", "kernel", "stride", "pads",
                                        NULL};
static const char *const keys_fc[] = {"name", "type", "inputs", "units", "bias", NULL};
static const char *const keys_matmul[] = {"name", "type", "inputs", "transpose_b", NULL};
static const char *const keys_axis[] = {"name", "type", "inputs", "axis", NULL};
static const char *const keys_reshape[] = {"name", "type", "inputs", "shape", NULL};
static const char *const keys_transpose[] = {"name", "type", "inputs", "perm", NULL};
static const char *const keys_embedding[] = {"name", "type", "inputs", "vocab", "units", NULL};
static const char *const keys_vector[] = {"name", "type", "inputs", "shape", "params", "what",
                                          NULL};

static const char *const *keys_of(fast_op_type t)
{
    switch (t) {
    case FAST_OP_CONV2D: return keys_conv;
    case FAST_OP_AVGPOOL:
    case FAST_OP_MAXPOOL: return keys_pool;
    case FAST_OP_FC: return keys_fc;
    case FAST_OP_MATMUL: return keys_matmul;
    case FAST_OP_SOFTMAX:
    case FAST_OP_CONCAT: return keys_axis;
    case FAST_OP_RESHAPE: return keys_reshape;
    case FAST_OP_TRANSPOSE: return keys_transpose;
    case FAST_OP_EMBEDDING: return keys_embedding;
    case FAST_OP_VECTOR:
    case FAST_OP_UNSUPPORTED: return keys_vector;
    default: return keys_common;
    }
}

/* Reads an array of exactly n integers (n_lo..n_hi when n is 0) in [lo, hi] at key. Returns
 * the count read (>= 1), 0 when absent and not required, -1 on error. */
static int read_ints(const fast_json_ctx *c, const cJSON *obj, const char *key,
                     const char *path, int required, int n_lo, int n_hi, int64_t lo,
                     int64_t hi, int64_t *out)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!a) {
        if (required) {
            fast_json_error(c, path, NULL, "missing required field");
            return -1;
        }
        return 0;
    }
    int n = cJSON_GetArraySize(a);
    if (!cJSON_IsArray(a) || n < n_lo || n > n_hi) {
        if (n_lo == n_hi)
            fast_json_error(c, path, a, "must be an array of %d integers", n_lo);
        else
            fast_json_error(c, path, a, "must be an array of %d..%d integers", n_lo, n_hi);
        return -1;
    }
    int i = 0;
    for (const cJSON *e = a->child; e; e = e->next, i++) {
        char *p = fast_format("%s[%d]", path, i);
        int64_t v = 0;
        int bad = 0;
        if (!cJSON_IsNumber(e) || e->valuedouble != (double)(int64_t)e->valuedouble) {
            fast_json_error(c, p, e, "must be an integer");
            bad = 1;
        } else {
            v = (int64_t)e->valuedouble;
            if (v < lo || v > hi) {
                fast_json_error(c, p, e, "must be %lld..%lld", (long long)lo, (long long)hi);
                bad = 1;
            }
        }
        free(p);
        if (bad)
            return -1;
        out[i] = v;
    }
    return n;
}

/* Reads a 2-element [h, w] array, or keeps the default pair. */
static int read_pair(const fast_json_ctx *c, const cJSON *obj, const char *key,
                     const char *opath, int required, int64_t lo, int64_t hi, int64_t *h,
                     int64_t *w)
{
    char *path = fast_json_path(opath, key);
    int64_t v[2];
    int n = read_ints(c, obj, key, path, required, 2, 2, lo, hi, v);
    free(path);
    if (n == 2) {
        *h = v[0];
        *w = v[1];
    }
    return n < 0 ? -1 : 0;
}

static int read_bool(const fast_json_ctx *c, const cJSON *obj, const char *key,
                     const char *opath, int *out)
{
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!b)
        return 0;
    if (!cJSON_IsBool(b)) {
        char *path = fast_json_path(opath, key);
        fast_json_error(c, path, b, "must be true or false");
        free(path);
        return -1;
    }
    *out = cJSON_IsTrue(b);
    return 0;
}

static int read_i64(const fast_json_ctx *c, const cJSON *obj, const char *key,
                    const char *opath, int required, int64_t lo, int64_t hi, int64_t *out)
{
    char *path = fast_json_path(opath, key);
    fast_json_got got = fast_json_int(c, obj, key, path, required, lo, hi, out);
    free(path);
    return got == FAST_JSON_BAD || (required && got == FAST_JSON_ABSENT) ? -1 : 0;
}

/* Reads the "shape" field of op o at path p: 1..FAST_MAX_RANK dimensions, each >= 1 or -1
 * (zero gets `zero_reason`). Returns 1 when it added an error. */
static int read_shape(const fast_json_ctx *c, const cJSON *o, const char *p, const char *zero_reason,
                      fast_shape *shape)
{
    int64_t v[FAST_MAX_RANK];
    char *path = fast_json_path(p, "shape");
    int n = read_ints(c, o, "shape", path, 1, 1, FAST_MAX_RANK, -1, MAX_DIM, v);
    free(path);
    int bad = n < 0;
    if (n > 0) {
        *shape = fast_shape_make(n, v);
        for (int i = 0; i < n; i++)
            if (v[i] == 0) {
                char *q = fast_format("%s.shape[%d]", p, i);
                fast_json_error(c, q, NULL, zero_reason);
                free(q);
                bad = 1;
            }
    }
    return bad;
}

/* Reads the attributes of one op of type t; "same" padding needs the input shape in. */
static int read_attrs(const fast_json_ctx *c, const cJSON *o, const char *p, fast_op_type t,
                      const fast_shape *in, fast_op_attrs *a)
{
    int bad = 0;
    int64_t v[FAST_MAX_RANK];
    switch (t) {
    case FAST_OP_CONV2D: {
        fast_conv_attrs *k = &a->conv;
        k->stride_h = k->stride_w = k->dil_h = k->dil_w = k->groups = 1;
        bad |= read_i64(c, o, "cout", p, 1, 1, MAX_DIM, &k->cout);
        bad |= read_pair(c, o, "kernel", p, 1, 1, 1024, &k->kh, &k->kw);
        bad |= read_pair(c, o, "stride", p, 0, 1, 1024, &k->stride_h, &k->stride_w);
        bad |= read_pair(c, o, "dilation", p, 0, 1, 1024, &k->dil_h, &k->dil_w);
        bad |= read_i64(c, o, "groups", p, 0, 1, MAX_DIM, &k->groups);
        bad |= read_bool(c, o, "bias", p, &k->bias);
        const cJSON *pads = cJSON_GetObjectItemCaseSensitive(o, "pads");
        const cJSON *padding = cJSON_GetObjectItemCaseSensitive(o, "padding");
        char *path = fast_json_path(p, pads ? "pads" : "padding");
        if (pads && padding) {
            fast_json_error(c, path, NULL, "give either pads or padding, not both");
            bad = 1;
        } else if (pads) {
            if (read_ints(c, o, "pads", path, 1, 4, 4, 0, 1024, v) == 4) {
                k->pad_top = v[0];
                k->pad_bottom = v[1];
                k->pad_left = v[2];
                k->pad_right = v[3];
            } else {
                bad = 1;
            }
        } else if (padding) {
            static const char *const modes[] = {"same", "valid", NULL};
            int mode = 0;
            if (fast_json_enum(c, o, "padding", path, 1, modes, &mode) != FAST_JSON_OK)
                bad = 1;
            else if (mode == 0 && !bad && in && in->rank == 4) {
                fast_same_pad(in->d[1], k->dil_h * (k->kh - 1) + 1, k->stride_h, &k->pad_top,
                              &k->pad_bottom);
                fast_same_pad(in->d[2], k->dil_w * (k->kw - 1) + 1, k->stride_w, &k->pad_left,
                              &k->pad_right);
            }
        }
        free(path);
        break;
    }
    case FAST_OP_AVGPOOL:
    case FAST_OP_MAXPOOL: {
        fast_pool_attrs *k = &a->pool;
        bad |= read_pair(c, o, "kernel", p, 1, 1, 1024, &k->kh, &k->kw);
        k->stride_h = k->kh;
        k->stride_w = k->kw;
        bad |= read_pair(c, o, "stride", p, 0, 1, 1024, &k->stride_h, &k->stride_w);
        char *path = fast_json_path(p, "pads");
        int n = read_ints(c, o, "pads", path, 0, 4, 4, 0, 1024, v);
        free(path);
        if (n == 4) {
            k->pad_top = v[0];
            k->pad_bottom = v[1];
            k->pad_left = v[2];
            k->pad_right = v[3];
        }
        bad |= n < 0;
        break;
    }
    case FAST_OP_FC:
        bad |= read_i64(c, o, "units", p, 1, 1, MAX_DIM, &a->units);
        bad |= read_bool(c, o, "bias", p, &a->bias);
        break;
    case FAST_OP_EMBEDDING:
        bad |= read_i64(c, o, "vocab", p, 1, 1, MAX_DIM, &a->vocab);
        bad |= read_i64(c, o, "units", p, 1, 1, MAX_DIM, &a->units);
        break;
    case FAST_OP_MATMUL: bad |= read_bool(c, o, "transpose_b", p, &a->transpose_b); break;
    case FAST_OP_SOFTMAX:
    case FAST_OP_CONCAT: {
        int64_t ax = -1;
        bad |= read_i64(c, o, "axis", p, t == FAST_OP_CONCAT, -FAST_MAX_RANK,
                        FAST_MAX_RANK - 1, &ax);
        a->axis = (int)ax;
        break;
    }
    case FAST_OP_RESHAPE:
        bad |= read_shape(c, o, p, "dimensions must be >= 1 (or -1 for one)", &a->shape);
        break;
    case FAST_OP_VECTOR:
    case FAST_OP_UNSUPPORTED: {
        bad |= read_shape(c, o, p, "dimensions must be >= 1 (or -1)", &a->shape);
        bad |= read_i64(c, o, "params", p, 0, 0, MAX_DIM, &a->params);
        const char *what = NULL;
        char *path = fast_json_path(p, "what");
        if (fast_json_str(c, o, "what", path, 0, sizeof a->what - 1, &what) == FAST_JSON_BAD)
            bad = 1;
        else if (what)
            snprintf(a->what, sizeof a->what, "%s", what);
        free(path);
        break;
    }
    case FAST_OP_TRANSPOSE: {
        char *path = fast_json_path(p, "perm");
        int n = read_ints(c, o, "perm", path, 1, 1, FAST_MAX_RANK, 0, FAST_MAX_RANK - 1, v);
        if (n > 0 && in && n != in->rank) {
            fast_json_error(c, path, cJSON_GetObjectItemCaseSensitive(o, "perm"),
                            "must list %d axes, one per input dimension", in->rank);
            n = -1;
        }
        free(path);
        for (int i = 0; i < n; i++)
            a->perm[i] = (int)v[i];
        bad |= n < 0;
        break;
    }
    default: break;
    }
    return bad ? -1 : 0;
}

/* One op as read from the file, before ordering. */
typedef struct raw_op {
    const cJSON *obj;
    const char *name;
    int type;
    const char *in[FAST_OP_MAX_IN];
    int n_in;
    int done;
} raw_op;

static int read_inputs_section(const fast_json_ctx *c, const cJSON *root, fast_graph *g,
                               int64_t batch)
{
    const cJSON *ins = cJSON_GetObjectItemCaseSensitive(root, "inputs");
    if (!ins) {
        fast_json_error(c, "inputs", NULL, "missing required field");
        return -1;
    }
    if (!cJSON_IsArray(ins) || cJSON_GetArraySize(ins) < 1) {
        fast_json_error(c, "inputs", ins, "must be a non-empty array of input tensors");
        return -1;
    }
    static const char *const keys[] = {"name", "shape", "elem", NULL};
    static const char *const elems[] = {"int8", "bf16", "fp32", "int32", NULL};
    int i = 0, bad = 0;
    for (const cJSON *t = ins->child; t; t = t->next, i++) {
        char *p = fast_format("inputs[%d]", i);
        const char *name = NULL;
        int64_t v[FAST_MAX_RANK];
        int elem = FAST_ELEM_FP32;
        if (!cJSON_IsObject(t)) {
            fast_json_error(c, p, t, "must be an object with name, shape and elem");
            bad = 1;
        } else {
            char *q = fast_json_path(p, "name");
            if (fast_json_check_keys(c, t, p, keys) ||
                fast_json_str(c, t, "name", q, 1, 128, &name) != FAST_JSON_OK)
                bad = 1;
            free(q);
        }
        if (!bad) {
            char *q = fast_json_path(p, "shape");
            int n = read_ints(c, t, "shape", q, 1, 1, FAST_MAX_RANK, 1, MAX_DIM, v);
            free(q);
            q = fast_json_path(p, "elem");
            if (cJSON_GetObjectItemCaseSensitive(t, "elem") &&
                fast_json_enum(c, t, "elem", q, 0, elems, &elem) != FAST_JSON_OK)
                bad = 1;
            free(q);
            if (n > 0 && !bad) {
                if (batch > 0)
                    v[0] = batch;
                size_t before = c->diag->n;
                if (fast_graph_input(g, name, fast_shape_make(n, v), (fast_elem)elem,
                                     c->diag) < 0) {
                    fast_diag_name_file(c->diag, before, c->file);
                    bad = 1;
                }
            } else {
                bad = 1;
            }
        }
        free(p);
    }
    return bad ? -1 : 0;
}

/* Reads name, type and input names of every op; fills raw[]. */
static int read_raw_ops(const fast_json_ctx *c, const cJSON *ops, raw_op *raw)
{
    int bad = 0, i = 0;
    for (const cJSON *o = ops->child; o; o = o->next, i++) {
        raw_op *r = &raw[i];
        r->obj = o;
        r->type = -1;
        char *p = fast_format("ops[%d]", i);
        if (!cJSON_IsObject(o)) {
            fast_json_error(c, p, o, "must be an object");
            bad = 1;
            free(p);
            continue;
        }
        char *q = fast_json_path(p, "name");
        if (fast_json_str(c, o, "name", q, 1, 128, &r->name) != FAST_JSON_OK)
            bad = 1;
        free(q);
        q = fast_json_path(p, "type");
        const char *type = NULL;
        if (fast_json_str(c, o, "type", q, 1, 64, &type) == FAST_JSON_OK) {
            r->type = fast_op_type_from_name(type);
            if (r->type < 0) {
                const char *s = fast_suggest(type, fast_op_type_names);
                fast_json_error(c, q, cJSON_GetObjectItemCaseSensitive(o, "type"),
                                "unknown operation%s%s%s", s ? " (did you mean " : "",
                                s ? s : "", s ? "?)" : "");
                bad = 1;
            }
        } else {
            bad = 1;
        }
        free(q);
        if (r->type >= 0 && fast_json_check_keys(c, o, p, keys_of((fast_op_type)r->type)))
            bad = 1;
        q = fast_json_path(p, "inputs");
        const cJSON *in = cJSON_GetObjectItemCaseSensitive(o, "inputs");
        if (!in) {
            fast_json_error(c, q, NULL, "missing required field");
            bad = 1;
        } else if (!cJSON_IsArray(in) || cJSON_GetArraySize(in) < 1 ||
                   cJSON_GetArraySize(in) > FAST_OP_MAX_IN) {
            fast_json_error(c, q, in, "must be an array of 1..%d tensor names", FAST_OP_MAX_IN);
            bad = 1;
        } else {
            for (const cJSON *e = in->child; e; e = e->next) {
                if (!cJSON_IsString(e)) {
                    fast_json_error(c, q, e, "tensor names must be strings");
                    bad = 1;
                    break;
                }
                r->in[r->n_in++] = e->valuestring;
            }
        }
        free(q);
        for (int j = 0; j < i && r->name; j++)
            if (raw[j].name && strcmp(raw[j].name, r->name) == 0) {
                char *w = fast_json_path(p, "name");
                fast_json_error(c, w, cJSON_GetObjectItemCaseSensitive(o, "name"),
                                "duplicate op name (also ops[%d])", j);
                free(w);
                bad = 1;
            }
        free(p);
    }
    return bad ? -1 : 0;
}

static int raw_index(const raw_op *raw, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (raw[i].name && strcmp(raw[i].name, name) == 0)
            return i;
    return -1;
}

/* Adds ops to g in dependency order; reports missing tensors and cycles. */
static int add_ops_ordered(const fast_json_ctx *c, fast_graph *g, raw_op *raw, int n)
{
    /* Missing references first: an input must be a graph input or some op's name. */
    int bad = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < raw[i].n_in; k++) {
            const char *t = raw[i].in[k];
            if (fast_graph_find_tensor(g, t) < 0 && raw_index(raw, n, t) < 0) {
                char *p = fast_format("ops[%d].inputs[%d]", i, k);
                fast_diag_add(c->diag, FAST_EINPUT, c->file, c->kind, p, t,
                              "no graph input or op of this name");
                free(p);
                bad = 1;
            }
            if (raw[i].name && strcmp(t, raw[i].name) == 0) {
                char *p = fast_format("ops[%d].inputs[%d]", i, k);
                fast_diag_add(c->diag, FAST_EINPUT, c->file, c->kind, p, t,
                              "an op cannot read its own output (cycle)");
                free(p);
                bad = 1;
            }
        }
    for (int i = 0; i < n; i++)
        if (fast_graph_find_tensor(g, raw[i].name) >= 0) {
            char *p = fast_format("ops[%d].name", i);
            fast_diag_add(c->diag, FAST_EINPUT, c->file, c->kind, p, raw[i].name,
                          "an op may not take the name of a graph input");
            free(p);
            bad = 1;
        }
    if (bad)
        return -1;
    /* Kahn's algorithm, stable: repeatedly take the first op whose inputs all exist. */
    for (int added = 0; added < n;) {
        int progress = 0;
        for (int i = 0; i < n; i++) {
            raw_op *r = &raw[i];
            if (r->done)
                continue;
            int ready = 1, ids[FAST_OP_MAX_IN];
            for (int k = 0; k < r->n_in && ready; k++)
                ready = (ids[k] = fast_graph_find_tensor(g, r->in[k])) >= 0;
            if (!ready)
                continue;
            char *p = fast_format("ops[%d]", i);
            fast_op_attrs attrs;
            memset(&attrs, 0, sizeof attrs);
            int rc = read_attrs(c, r->obj, p, (fast_op_type)r->type, &g->tensors[ids[0]].shape,
                                &attrs);
            free(p);
            size_t before = c->diag->n;
            if (!rc && fast_graph_add(g, r->name, (fast_op_type)r->type, ids, r->n_in, &attrs,
                                      c->diag) < 0) {
                fast_diag_name_file(c->diag, before, c->file);
                rc = -1;
            }
            if (rc)
                return -1;
            r->done = 1;
            added++;
            progress = 1;
        }
        if (!progress) {
            for (int i = 0; i < n; i++)
                if (!raw[i].done) {
                    char *p = fast_format("ops[%d]", i);
                    fast_diag_add(c->diag, FAST_EINPUT, c->file, c->kind, p, raw[i].name,
                                  "the graph has a cycle through this op");
                    free(p);
                    return -1;
                }
        }
    }
    return 0;
}

fast_graph *fast_workload_parse(const char *text, size_t len, const char *file, int64_t batch,
                                fast_diag *d)
{
    fast_json_ctx c = {file, "workload", d};
    size_t before = fast_diag_errors(d);
    cJSON *root = fast_json_parse(&c, text, len);
    if (!root)
        return NULL;
    fast_graph *g = NULL;
    raw_op *raw = NULL;
    static const char *const keys[] = {"format_version", "name", "inputs", "ops", NULL};
    if (!cJSON_IsObject(root)) {
        fast_json_error(&c, "", root, "a workload must be a JSON object");
        goto done;
    }
    if (fast_json_check_keys(&c, root, "", keys))
        goto done;
    int64_t version = 0;
    if (fast_json_int(&c, root, "format_version", "format_version", 1, 1, 1000, &version) !=
        FAST_JSON_OK)
        goto done;
    if (version != FAST_WORKLOAD_FORMAT_VERSION) {
        fast_json_error(&c, "format_version", cJSON_GetObjectItem(root, "format_version"),
                        "this build reads version %d", FAST_WORKLOAD_FORMAT_VERSION);
        goto done;
    }
    const char *name = NULL;
    if (fast_json_str(&c, root, "name", "name", 1, 128, &name) != FAST_JSON_OK)
        goto done;
    g = fast_graph_create(name, batch > 0 ? batch : 1);
    if (!g) {
        fast_diag_add(d, FAST_ETOOL, file, "workload", NULL, NULL, "out of memory");
        goto done;
    }
    if (read_inputs_section(&c, root, g, batch))
        goto done;
    if (batch <= 0)
        g->batch = g->tensors[0].shape.d[0];
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(root, "ops");
    if (!ops) {
        fast_json_error(&c, "ops", NULL, "missing required field");
        goto done;
    }
    int n = cJSON_GetArraySize(ops);
    if (!cJSON_IsArray(ops) || n < 1 || n > MAX_OPS) {
        fast_json_error(&c, "ops", ops, "must be an array of 1..%d operations", MAX_OPS);
        goto done;
    }
    raw = calloc((size_t)n, sizeof *raw);
    if (!raw) {
        fast_diag_add(d, FAST_ETOOL, file, "workload", NULL, NULL, "out of memory");
        goto done;
    }
    if (read_raw_ops(&c, ops, raw) == 0)
        add_ops_ordered(&c, g, raw, n);
done:
    free(raw);
    cJSON_Delete(root);
    if (fast_diag_errors(d) > before) {
        fast_graph_destroy(g);
        return NULL;
    }
    return g;
}

/* ---- writing ------------------------------------------------------------------------ */

static cJSON *int_array(int n, const int64_t *v)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)v[i]));
    return a;
}

static cJSON *pair(int64_t a, int64_t b)
{
    int64_t v[2] = {a, b};
    return int_array(2, v);
}

static cJSON *quad(int64_t a, int64_t b, int64_t c, int64_t d)
{
    int64_t v[4] = {a, b, c, d};
    return int_array(4, v);
}

static void write_attrs(const fast_graph *g, const fast_op *op, cJSON *o)
{
    const fast_op_attrs *a = &op->attrs;
    switch (op->type) {
    case FAST_OP_CONV2D:
        cJSON_AddNumberToObject(o, "cout", (double)a->conv.cout);
        cJSON_AddItemToObject(o, "kernel", pair(a->conv.kh, a->conv.kw));
        cJSON_AddItemToObject(o, "stride", pair(a->conv.stride_h, a->conv.stride_w));
        cJSON_AddItemToObject(o, "dilation", pair(a->conv.dil_h, a->conv.dil_w));
        cJSON_AddItemToObject(o, "pads", quad(a->conv.pad_top, a->conv.pad_bottom,
                                              a->conv.pad_left, a->conv.pad_right));
        cJSON_AddNumberToObject(o, "groups", (double)a->conv.groups);
        cJSON_AddBoolToObject(o, "bias", a->conv.bias);
        break;
    case FAST_OP_AVGPOOL:
    case FAST_OP_MAXPOOL:
        cJSON_AddItemToObject(o, "kernel", pair(a->pool.kh, a->pool.kw));
        cJSON_AddItemToObject(o, "stride", pair(a->pool.stride_h, a->pool.stride_w));
        cJSON_AddItemToObject(o, "pads", quad(a->pool.pad_top, a->pool.pad_bottom,
                                              a->pool.pad_left, a->pool.pad_right));
        break;
    case FAST_OP_FC:
        cJSON_AddNumberToObject(o, "units", (double)a->units);
        cJSON_AddBoolToObject(o, "bias", a->bias);
        break;
    case FAST_OP_EMBEDDING:
        cJSON_AddNumberToObject(o, "vocab", (double)a->vocab);
        cJSON_AddNumberToObject(o, "units", (double)a->units);
        break;
    case FAST_OP_MATMUL: cJSON_AddBoolToObject(o, "transpose_b", a->transpose_b); break;
    case FAST_OP_SOFTMAX:
    case FAST_OP_CONCAT: cJSON_AddNumberToObject(o, "axis", a->axis); break;
    case FAST_OP_RESHAPE: {
        /* The batch dimension is written as -1 when that is unambiguous, so the file
         * follows --batch like the graph it came from. */
        fast_shape s = g->tensors[op->output].shape;
        const fast_shape *in = &g->tensors[op->inputs[0]].shape;
        if (s.d[0] == g->batch && in->d[0] == g->batch)
            s.d[0] = -1;
        cJSON_AddItemToObject(o, "shape", int_array(s.rank, s.d));
        break;
    }
    case FAST_OP_VECTOR:
    case FAST_OP_UNSUPPORTED: {
        /* Like a reshape's target: the batch dimension follows --batch. */
        fast_shape s = g->tensors[op->output].shape;
        const fast_shape *in = &g->tensors[op->inputs[0]].shape;
        if (s.d[0] == g->batch && in->d[0] == g->batch)
            s.d[0] = -1;
        cJSON_AddItemToObject(o, "shape", int_array(s.rank, s.d));
        cJSON_AddNumberToObject(o, "params", (double)a->params);
        if (a->what[0])
            cJSON_AddStringToObject(o, "what", a->what);
        break;
    }
    case FAST_OP_TRANSPOSE: {
        int64_t v[FAST_MAX_RANK];
        int r = g->tensors[op->output].shape.rank;
        for (int i = 0; i < r; i++)
            v[i] = a->perm[i];
        cJSON_AddItemToObject(o, "perm", int_array(r, v));
        break;
    }
    default: break;
    }
}

cJSON *fast_workload_to_json(const fast_graph *g)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddNumberToObject(root, "format_version", FAST_WORKLOAD_FORMAT_VERSION);
    cJSON_AddStringToObject(root, "name", g->name);
    cJSON *ins = cJSON_AddArrayToObject(root, "inputs");
    for (int i = 0; ins && i < g->n_tensors; i++) {
        const fast_tensor *t = &g->tensors[i];
        if (t->producer >= 0)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", t->name);
        cJSON_AddItemToObject(o, "shape", int_array(t->shape.rank, t->shape.d));
        cJSON_AddStringToObject(o, "elem", fast_elem_name(t->elem));
        cJSON_AddItemToArray(ins, o);
    }
    cJSON *ops = cJSON_AddArrayToObject(root, "ops");
    for (int i = 0; ops && i < g->n_ops; i++) {
        const fast_op *op = &g->ops[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", op->name);
        cJSON_AddStringToObject(o, "type", fast_op_type_name(op->type));
        cJSON *in = cJSON_AddArrayToObject(o, "inputs");
        for (int k = 0; in && k < op->n_inputs; k++)
            cJSON_AddItemToArray(in, cJSON_CreateString(g->tensors[op->inputs[k]].name));
        write_attrs(g, op, o);
        cJSON_AddItemToArray(ops, o);
    }
    return root;
}

fast_status fast_workload_save(const fast_graph *g, const char *path, fast_diag *d)
{
    return fast_json_save(fast_workload_to_json(g), path, "workload", d);
}
