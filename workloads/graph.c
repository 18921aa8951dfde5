/* The DNN graph IR: construction, shape inference, MAC and parameter counting. */
#include "workloads/graph.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* Names as the JSON format writes them, indexed by fast_op_type. */
const char *const fast_op_type_names[FAST_OP_COUNT + 1] = {
    "conv2d",  "matmul",  "fc",         "add",     "mul",       "relu",   "relu6",
    "sigmoid", "swish",   "gelu",       "tanh",    "softmax",   "layernorm", "batchnorm",
    "avgpool", "maxpool", "globalpool", "reshape", "transpose", "concat", "embedding",
    "vector",  "unsupported", NULL};
_Static_assert(FAST_OP_UNSUPPORTED == 22, "fast_op_type_names follows fast_op_type");

const char *fast_op_type_name(fast_op_type t)
{
    return (t >= 0 && t < FAST_OP_COUNT) ? fast_op_type_names[t] : "?";
}

int fast_op_type_from_name(const char *name)
{
    for (int i = 0; i < FAST_OP_COUNT; i++)
        if (strcmp(fast_op_type_names[i], name) == 0)
            return i;
    return -1;
}

static const char *const elem_names[] = {"int8", "bf16", "fp32", "int32", NULL};

const char *fast_elem_name(fast_elem e)
{
    return (e >= 0 && e <= FAST_ELEM_INT32) ? elem_names[e] : "?";
}

int fast_elem_from_name(const char *name)
{
    for (int i = 0; elem_names[i]; i++)
        if (strcmp(elem_names[i], name) == 0)
            return i;
    return -1;
}

int fast_elem_bytes(fast_elem e)
{
    switch (e) {
    case FAST_ELEM_INT8: return 1;
    case FAST_ELEM_BF16: return 2;
    default: return 4;
    }
}

fast_graph *fast_graph_create(const char *name, int64_t batch)
{
    fast_graph *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->name = fast_strdup(name ? name : "");
    g->batch = batch;
    if (!g->name) {
        free(g);
        return NULL;
    }
    return g;
}

void fast_graph_destroy(fast_graph *g)
{
    if (!g)
        return;
    for (int i = 0; i < g->n_tensors; i++)
        free(g->tensors[i].name);
    for (int i = 0; i < g->n_ops; i++)
        free(g->ops[i].name);
    free(g->tensors);
    free(g->ops);
    free(g->name);
    free(g);
}

int64_t fast_shape_elems(const fast_shape *s)
{
    uint64_t n = 1;
    for (int i = 0; i < s->rank; i++)
        if (fast_mul_u64(n, (uint64_t)s->d[i], &n) || n > (uint64_t)INT64_MAX)
            return INT64_MAX;
    return (int64_t)n;
}

fast_shape fast_shape_make(int rank, const int64_t *dims)
{
    fast_shape s = {0};
    s.rank = rank;
    for (int i = 0; i < rank && i < FAST_MAX_RANK; i++)
        s.d[i] = dims[i];
    return s;
}

void fast_shape_format(const fast_shape *s, char *buf, int n)
{
    int k = snprintf(buf, (size_t)n, "[");
    for (int i = 0; i < s->rank && k < n; i++)
        k += snprintf(buf + k, (size_t)(n - k), "%s%lld", i ? "," : "", (long long)s->d[i]);
    if (k < n)
        snprintf(buf + k, (size_t)(n - k), "]");
}

void fast_same_pad(int64_t in, int64_t span, int64_t stride, int64_t *before, int64_t *after)
{
    int64_t total = 0;
    if (in >= 1 && span >= 1 && stride >= 1) {
        total = ((in + stride - 1) / stride - 1) * stride + span - in;
        if (total < 0)
            total = 0;
    }
    *before = total / 2;
    *after = total - total / 2;
}

int fast_shape_equal(const fast_shape *a, const fast_shape *b)
{
    if (a->rank != b->rank)
        return 0;
    for (int i = 0; i < a->rank; i++)
        if (a->d[i] != b->d[i])
            return 0;
    return 1;
}

/* Largest element count any tensor may have: 2^40 elements (a terabyte of int8). */
#define FAST_MAX_ELEMS (INT64_C(1) << 40)

static int shape_ok(const fast_shape *s)
{
    if (s->rank < 1 || s->rank > FAST_MAX_RANK)
        return 0;
    for (int i = 0; i < s->rank; i++)
        if (s->d[i] < 1 || s->d[i] > FAST_MAX_ELEMS)
            return 0;
    return fast_shape_elems(s) <= FAST_MAX_ELEMS;
}

static int find_tensor(const fast_graph *g, const char *name)
{
    for (int i = 0; i < g->n_tensors; i++)
        if (strcmp(g->tensors[i].name, name) == 0)
            return i;
    return -1;
}

int fast_graph_find_tensor(const fast_graph *g, const char *name)
{
    return find_tensor(g, name);
}

static int add_tensor(fast_graph *g, const char *name, fast_shape shape, fast_elem elem,
                      int producer)
{
    if (g->n_tensors == g->cap_tensors) {
        int cap = g->cap_tensors ? 2 * g->cap_tensors : 64;
        fast_tensor *t = realloc(g->tensors, (size_t)cap * sizeof *t);
        if (!t)
            return -1;
        g->tensors = t;
        g->cap_tensors = cap;
    }
    char *copy = fast_strdup(name);
    if (!copy)
        return -1;
    g->tensors[g->n_tensors] = (fast_tensor){copy, shape, elem, producer};
    return g->n_tensors++;
}

int fast_graph_input(fast_graph *g, const char *name, fast_shape shape, fast_elem elem,
                     fast_diag *d)
{
    char buf[160];
    if (!shape_ok(&shape)) {
        fast_shape_format(&shape, buf, sizeof buf);
        fast_diag_add(d, FAST_EINPUT, NULL, "workload", name, buf,
                      "input shape must have 1..%d dimensions, each >= 1, at most 2^40 "
                      "elements",
                      FAST_MAX_RANK);
        return -1;
    }
    if (find_tensor(g, name) >= 0) {
        fast_diag_add(d, FAST_EINPUT, NULL, "workload", name, NULL, "duplicate tensor name");
        return -1;
    }
    int t = add_tensor(g, name, shape, elem, -1);
    if (t < 0)
        fast_diag_add(d, FAST_ETOOL, NULL, "workload", name, NULL, "out of memory");
    return t;
}

/* ---- shape inference ---------------------------------------------------------------- */

/* Context of one inference: the op and where errors go. */
typedef struct infer_ctx {
    const fast_graph *g;
    const fast_op *op;
    fast_diag *d;
} infer_ctx;

static int fail(const infer_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(const infer_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = fast_vformat(fmt, ap);
    va_end(ap);
    fast_diag_add(c->d, FAST_EINPUT, NULL, "workload", c->op->name, NULL, "%s",
                  msg ? msg : "out of memory");
    free(msg);
    return -1;
}

static const fast_shape *in_shape(const infer_ctx *c, int i)
{
    return &c->g->tensors[c->op->inputs[i]].shape;
}

static void fmt_shape(const fast_shape *s, char *buf)
{
    fast_shape_format(s, buf, 160);
}

/* Multiplies counts, failing on overflow of int64. */
static int mul_counts(const infer_ctx *c, int64_t *out, int n, const int64_t *f)
{
    uint64_t acc = 1;
    for (int i = 0; i < n; i++)
        if (fast_mul_u64(acc, (uint64_t)f[i], &acc) || acc > (uint64_t)INT64_MAX)
            return fail(c, "MAC count overflows 64 bits");
    *out = (int64_t)acc;
    return 0;
}

static int need_rank(const infer_ctx *c, int i, int lo, int hi, const char *what)
{
    const fast_shape *s = in_shape(c, i);
    if (s->rank < lo || s->rank > hi) {
        char buf[160];
        fmt_shape(s, buf);
        if (lo == hi)
            return fail(c, "input %d: expected rank %d (%s), got %s", i, lo, what, buf);
        return fail(c, "input %d: expected rank %d..%d (%s), got %s", i, lo, hi, what, buf);
    }
    return 0;
}

static int need_inputs(const infer_ctx *c, int lo, int hi)
{
    int n = c->op->n_inputs;
    if (n < lo || n > hi) {
        if (lo == hi)
            return fail(c, "expected %d input%s, got %d", lo, lo == 1 ? "" : "s", n);
        return fail(c, "expected %d..%d inputs, got %d", lo, hi, n);
    }
    return 0;
}

static int64_t out_dim(int64_t in, int64_t k, int64_t stride, int64_t dil, int64_t pad0,
                       int64_t pad1)
{
    int64_t span = dil * (k - 1) + 1;
    int64_t padded = in + pad0 + pad1;
    if (padded < span)
        return 0;
    return (padded - span) / stride + 1;
}

static int infer_conv(const infer_ctx *c, fast_shape *out, int64_t *macs, int64_t *params)
{
    const fast_conv_attrs *a = &c->op->attrs.conv;
    if (need_inputs(c, 1, 1) || need_rank(c, 0, 4, 4, "NHWC"))
        return -1;
    const fast_shape *x = in_shape(c, 0);
    int64_t cin = x->d[3];
    if (a->cout < 1 || a->kh < 1 || a->kw < 1 || a->stride_h < 1 || a->stride_w < 1 ||
        a->dil_h < 1 || a->dil_w < 1 || a->groups < 1)
        return fail(c, "cout, kernel, strides, dilations and groups must be >= 1");
    if (a->kh > 1024 || a->kw > 1024 || a->stride_h > 1024 || a->stride_w > 1024 ||
        a->dil_h > 1024 || a->dil_w > 1024)
        return fail(c, "kernel, strides and dilations must be <= 1024");
    if (a->pad_top < 0 || a->pad_bottom < 0 || a->pad_left < 0 || a->pad_right < 0 ||
        a->pad_top > 1024 || a->pad_bottom > 1024 || a->pad_left > 1024 || a->pad_right > 1024)
        return fail(c, "pads must be 0..1024");
    if (cin % a->groups || a->cout % a->groups)
        return fail(c, "groups = %lld must divide input channels (%lld) and cout (%lld)",
                    (long long)a->groups, (long long)cin, (long long)a->cout);
    int64_t ho = out_dim(x->d[1], a->kh, a->stride_h, a->dil_h, a->pad_top, a->pad_bottom);
    int64_t wo = out_dim(x->d[2], a->kw, a->stride_w, a->dil_w, a->pad_left, a->pad_right);
    if (ho < 1 || wo < 1)
        return fail(c, "kernel %lldx%lld larger than padded input %lldx%lld", (long long)a->kh,
                    (long long)a->kw, (long long)(x->d[1] + a->pad_top + a->pad_bottom),
                    (long long)(x->d[2] + a->pad_left + a->pad_right));
    int64_t dims[4] = {x->d[0], ho, wo, a->cout};
    *out = fast_shape_make(4, dims);
    int64_t f[6] = {x->d[0], ho, wo, a->cout, a->kh * a->kw, cin / a->groups};
    int64_t p[3] = {a->cout, a->kh * a->kw, cin / a->groups};
    if (mul_counts(c, macs, 6, f) || mul_counts(c, params, 3, p))
        return -1;
    *params += a->bias ? a->cout : 0;
    return 0;
}

/* matmul: [..., M, K] x [..., K, N] (or [..., N, K] with transpose_b); the batch
 * dimensions, everything before the last two, must be equal. */
static int infer_matmul(const infer_ctx *c, fast_shape *out, int64_t *macs)
{
    if (need_inputs(c, 2, 2) || need_rank(c, 0, 2, FAST_MAX_RANK, "[..., M, K]") ||
        need_rank(c, 1, 2, FAST_MAX_RANK, "[..., K, N]"))
        return -1;
    const fast_shape *a = in_shape(c, 0), *b = in_shape(c, 1);
    char ba[160], bb[160];
    fmt_shape(a, ba);
    fmt_shape(b, bb);
    if (a->rank != b->rank)
        return fail(c, "inputs must have the same rank: %s and %s", ba, bb);
    int r = a->rank;
    for (int i = 0; i < r - 2; i++)
        if (a->d[i] != b->d[i])
            return fail(c, "batch dimension %d differs: %s and %s", i, ba, bb);
    int64_t k = a->d[r - 1];
    int64_t kb = c->op->attrs.transpose_b ? b->d[r - 1] : b->d[r - 2];
    int64_t n = c->op->attrs.transpose_b ? b->d[r - 2] : b->d[r - 1];
    if (k != kb)
        return fail(c, "input 1: expected K = %lld (from input 0 %s), got %lld in %s",
                    (long long)k, ba, (long long)kb, bb);
    *out = *a;
    out->d[r - 1] = n;
    int64_t f[2] = {fast_shape_elems(out), k};
    return mul_counts(c, macs, 2, f);
}

static int infer_fc(const infer_ctx *c, fast_shape *out, int64_t *macs, int64_t *params)
{
    if (need_inputs(c, 1, 1) || need_rank(c, 0, 1, FAST_MAX_RANK, "[..., K]"))
        return -1;
    int64_t n = c->op->attrs.units;
    if (n < 1 || n > FAST_MAX_ELEMS)
        return fail(c, "units must be 1..2^40, got %lld", (long long)n);
    const fast_shape *x = in_shape(c, 0);
    int64_t k = x->d[x->rank - 1];
    *out = *x;
    out->d[x->rank - 1] = n;
    int64_t f[2] = {fast_shape_elems(out), k};
    int64_t p[2] = {k, n};
    if (mul_counts(c, macs, 2, f) || mul_counts(c, params, 2, p))
        return -1;
    *params += c->op->attrs.bias ? n : 0;
    return 0;
}

/* Numpy broadcasting of input 1 against input 0; the output has input 0's shape. */
static int infer_binary(const infer_ctx *c, fast_shape *out)
{
    if (need_inputs(c, 2, 2))
        return -1;
    const fast_shape *a = in_shape(c, 0), *b = in_shape(c, 1);
    char ba[160], bb[160];
    fmt_shape(a, ba);
    fmt_shape(b, bb);
    if (b->rank > a->rank)
        return fail(c, "input 1: expected a shape broadcastable to %s, got %s", ba, bb);
    for (int i = 1; i <= b->rank; i++) {
        int64_t db = b->d[b->rank - i], da = a->d[a->rank - i];
        if (db != da && db != 1)
            return fail(c, "input 1: expected a shape broadcastable to %s, got %s", ba, bb);
    }
    *out = *a;
    return 0;
}

static int norm_axis(const infer_ctx *c, int axis, int rank, int *out)
{
    int ax = axis < 0 ? axis + rank : axis;
    if (ax < 0 || ax >= rank)
        return fail(c, "axis %d out of range for rank %d", axis, rank);
    *out = ax;
    return 0;
}

static int infer_pool(const infer_ctx *c, fast_shape *out)
{
    if (need_inputs(c, 1, 1) || need_rank(c, 0, 4, 4, "NHWC"))
        return -1;
    const fast_pool_attrs *a = &c->op->attrs.pool;
    if (a->kh < 1 || a->kw < 1 || a->stride_h < 1 || a->stride_w < 1 || a->kh > 1024 ||
        a->kw > 1024 || a->stride_h > 1024 || a->stride_w > 1024)
        return fail(c, "kernel and strides must be 1..1024");
    if (a->pad_top < 0 || a->pad_bottom < 0 || a->pad_left < 0 || a->pad_right < 0 ||
        a->pad_top >= a->kh || a->pad_bottom >= a->kh || a->pad_left >= a->kw ||
        a->pad_right >= a->kw)
        return fail(c, "pads must be >= 0 and smaller than the kernel");
    const fast_shape *x = in_shape(c, 0);
    int64_t ho = out_dim(x->d[1], a->kh, a->stride_h, 1, a->pad_top, a->pad_bottom);
    int64_t wo = out_dim(x->d[2], a->kw, a->stride_w, 1, a->pad_left, a->pad_right);
    if (ho < 1 || wo < 1)
        return fail(c, "window %lldx%lld larger than padded input", (long long)a->kh,
                    (long long)a->kw);
    int64_t dims[4] = {x->d[0], ho, wo, x->d[3]};
    *out = fast_shape_make(4, dims);
    return 0;
}

static int infer_reshape(const infer_ctx *c, fast_shape *out)
{
    if (need_inputs(c, 1, 1))
        return -1;
    const fast_shape *x = in_shape(c, 0), *t = &c->op->attrs.shape;
    if (t->rank < 1 || t->rank > FAST_MAX_RANK)
        return fail(c, "target shape must have 1..%d dimensions", FAST_MAX_RANK);
    int infer = -1;
    int64_t known = 1;
    for (int i = 0; i < t->rank; i++) {
        if (t->d[i] == -1 && infer < 0) {
            infer = i;
        } else if (t->d[i] < 1 || t->d[i] > FAST_MAX_ELEMS) {
            return fail(c, "target dimension %d is %lld: must be >= 1 (or one -1)", i,
                        (long long)t->d[i]);
        } else {
            known *= t->d[i];
            if (known > FAST_MAX_ELEMS)
                return fail(c, "target shape has more than 2^40 elements");
        }
    }
    *out = *t;
    int64_t n = fast_shape_elems(x);
    if (infer >= 0) {
        if (n % known)
            return fail(c, "cannot infer -1: %lld elements are not a multiple of %lld",
                        (long long)n, (long long)known);
        out->d[infer] = n / known;
    }
    if (fast_shape_elems(out) != n) {
        char bx[160], bo[160];
        fmt_shape(x, bx);
        fmt_shape(out, bo);
        return fail(c, "expected %lld elements as in %s, got %s", (long long)n, bx, bo);
    }
    return 0;
}

static int infer_transpose(const infer_ctx *c, fast_shape *out)
{
    if (need_inputs(c, 1, 1))
        return -1;
    const fast_shape *x = in_shape(c, 0);
    int seen[FAST_MAX_RANK] = {0};
    *out = *x;
    for (int i = 0; i < x->rank; i++) {
        int p = c->op->attrs.perm[i];
        if (p < 0 || p >= x->rank || seen[p])
            return fail(c, "perm must be a permutation of 0..%d", x->rank - 1);
        seen[p] = 1;
        out->d[i] = x->d[p];
    }
    return 0;
}

static int infer_concat(const infer_ctx *c, fast_shape *out)
{
    if (need_inputs(c, 2, FAST_OP_MAX_IN))
        return -1;
    const fast_shape *a = in_shape(c, 0);
    int ax = 0;
    if (norm_axis(c, c->op->attrs.axis, a->rank, &ax))
        return -1;
    *out = *a;
    for (int i = 1; i < c->op->n_inputs; i++) {
        const fast_shape *b = in_shape(c, i);
        char ba[160], bb[160];
        fmt_shape(a, ba);
        fmt_shape(b, bb);
        int ok = b->rank == a->rank;
        for (int j = 0; ok && j < a->rank; j++)
            ok = j == ax || a->d[j] == b->d[j];
        if (!ok)
            return fail(c, "input %d: expected %s except along axis %d, got %s", i, ba, ax, bb);
        out->d[ax] += b->d[ax];
    }
    if (!shape_ok(out))
        return fail(c, "output has more than 2^40 elements");
    return 0;
}

static int infer_embedding(const infer_ctx *c, fast_shape *out, int64_t *params)
{
    if (need_inputs(c, 1, 1) || need_rank(c, 0, 1, FAST_MAX_RANK - 1, "ids"))
        return -1;
    const fast_op_attrs *a = &c->op->attrs;
    if (a->units < 1 || a->units > FAST_MAX_ELEMS || a->vocab < 1 || a->vocab > FAST_MAX_ELEMS)
        return fail(c, "vocab and units must be 1..2^40");
    if (c->g->tensors[c->op->inputs[0]].elem != FAST_ELEM_INT32)
        return fail(c, "input 0: expected int32 ids, got %s",
                    fast_elem_name(c->g->tensors[c->op->inputs[0]].elem));
    const fast_shape *x = in_shape(c, 0);
    *out = *x;
    out->rank = x->rank + 1;
    out->d[x->rank] = a->units;
    int64_t p[2] = {a->vocab, a->units};
    return mul_counts(c, params, 2, p);
}

/* vector and unsupported: the output shape is an attribute (-1 copies input 0's dimension);
 * the params are the constants the op reads. */
static int infer_vector(const infer_ctx *c, fast_shape *out, int64_t *params)
{
    const fast_op_attrs *a = &c->op->attrs;
    const fast_shape *x = in_shape(c, 0);
    if (a->shape.rank < 1 || a->shape.rank > FAST_MAX_RANK)
        return fail(c, "output shape must have 1..%d dimensions", FAST_MAX_RANK);
    *out = a->shape;
    for (int i = 0; i < out->rank; i++) {
        if (out->d[i] == -1) {
            if (i >= x->rank)
                return fail(c, "output dimension %d is -1 but input 0 has rank %d", i, x->rank);
            out->d[i] = x->d[i];
        }
        if (out->d[i] < 1 || out->d[i] > FAST_MAX_ELEMS)
            return fail(c, "output dimension %d is %lld: must be 1..2^40 (or -1)", i,
                        (long long)out->d[i]);
    }
    if (a->params < 0 || a->params > FAST_MAX_ELEMS)
        return fail(c, "params must be 0..2^40, got %lld", (long long)a->params);
    *params = a->params;
    return 0;
}

/* Infers output shape, MACs and params of op i from its inputs; 0 or -1 with a diagnostic. */
static int infer_op(fast_graph *g, int i, fast_diag *d)
{
    fast_op *op = &g->ops[i];
    infer_ctx c = {g, op, d};
    fast_shape out = {0};
    int64_t macs = 0, params = 0;
    int rc = 0, ax = 0;
    for (int k = 0; k < op->n_inputs; k++)
        if (op->inputs[k] < 0 || op->inputs[k] >= g->n_tensors)
            return fail(&c, "input %d refers to no tensor", k);
    switch (op->type) {
    case FAST_OP_CONV2D: rc = infer_conv(&c, &out, &macs, &params); break;
    case FAST_OP_MATMUL: rc = infer_matmul(&c, &out, &macs); break;
    case FAST_OP_FC: rc = infer_fc(&c, &out, &macs, &params); break;
    case FAST_OP_ADD:
    case FAST_OP_MUL: rc = infer_binary(&c, &out); break;
    case FAST_OP_RELU:
    case FAST_OP_RELU6:
    case FAST_OP_SIGMOID:
    case FAST_OP_SWISH:
    case FAST_OP_GELU:
    case FAST_OP_TANH:
        rc = need_inputs(&c, 1, 1);
        if (!rc)
            out = *in_shape(&c, 0);
        break;
    case FAST_OP_SOFTMAX:
        rc = need_inputs(&c, 1, 1);
        if (!rc)
            rc = norm_axis(&c, op->attrs.axis, in_shape(&c, 0)->rank, &ax);
        if (!rc)
            out = *in_shape(&c, 0);
        break;
    case FAST_OP_LAYERNORM:
    case FAST_OP_BATCHNORM:
        /* Scale and shift per channel (the last dimension): 2 params per channel. Running
         * statistics of batchnorm are folded into them for inference. */
        rc = need_inputs(&c, 1, 1);
        if (!rc) {
            out = *in_shape(&c, 0);
            params = 2 * out.d[out.rank - 1];
        }
        break;
    case FAST_OP_AVGPOOL:
    case FAST_OP_MAXPOOL: rc = infer_pool(&c, &out); break;
    case FAST_OP_GLOBALPOOL:
        rc = need_inputs(&c, 1, 1) || need_rank(&c, 0, 4, 4, "NHWC");
        if (!rc) {
            out = *in_shape(&c, 0);
            out.d[1] = out.d[2] = 1;
        }
        break;
    case FAST_OP_RESHAPE: rc = infer_reshape(&c, &out); break;
    case FAST_OP_TRANSPOSE: rc = infer_transpose(&c, &out); break;
    case FAST_OP_CONCAT: rc = infer_concat(&c, &out); break;
    case FAST_OP_EMBEDDING: rc = infer_embedding(&c, &out, &params); break;
    case FAST_OP_VECTOR:
    case FAST_OP_UNSUPPORTED: rc = infer_vector(&c, &out, &params); break;
    default: return fail(&c, "unknown operation type %d", (int)op->type);
    }
    if (rc)
        return -1;
    if (!shape_ok(&out))
        return fail(&c, "output has more than 2^40 elements");
    op->macs = macs;
    op->params = params;
    g->tensors[op->output].shape = out;
    return 0;
}

int fast_graph_add(fast_graph *g, const char *name, fast_op_type type, const int *inputs,
                   int n_inputs, const fast_op_attrs *attrs, fast_diag *d)
{
    if (!name || !*name) {
        fast_diag_add(d, FAST_EINPUT, NULL, "workload", NULL, NULL, "op without a name");
        return -1;
    }
    if (find_tensor(g, name) >= 0) {
        fast_diag_add(d, FAST_EINPUT, NULL, "workload", name, NULL,
                      "duplicate name: a tensor or op with this name already exists");
        return -1;
    }
    if (n_inputs < 1 || n_inputs > FAST_OP_MAX_IN) {
        fast_diag_add(d, FAST_EINPUT, NULL, "workload", name, NULL,
                      "expected 1..%d inputs, got %d", FAST_OP_MAX_IN, n_inputs);
        return -1;
    }
    for (int k = 0; k < n_inputs; k++)
        if (inputs[k] < 0 || inputs[k] >= g->n_tensors) {
            fast_diag_add(d, FAST_EINPUT, NULL, "workload", name, NULL,
                          "input %d refers to no tensor", k);
            return -1;
        }
    if (g->n_ops == g->cap_ops) {
        int cap = g->cap_ops ? 2 * g->cap_ops : 64;
        fast_op *o = realloc(g->ops, (size_t)cap * sizeof *o);
        if (!o) {
            fast_diag_add(d, FAST_ETOOL, NULL, "workload", name, NULL, "out of memory");
            return -1;
        }
        g->ops = o;
        g->cap_ops = cap;
    }
    fast_op *op = &g->ops[g->n_ops];
    memset(op, 0, sizeof *op);
    op->type = type;
    op->n_inputs = n_inputs;
    memcpy(op->inputs, inputs, (size_t)n_inputs * sizeof *inputs);
    if (attrs)
        op->attrs = *attrs;
    op->fused_into = -1;
    op->name = fast_strdup(name);
    /* The output's element type follows the first input, except for index lookups. */
    fast_elem elem = g->tensors[inputs[0]].elem;
    if (type == FAST_OP_EMBEDDING || elem == FAST_ELEM_INT32)
        elem = FAST_ELEM_FP32;
    fast_shape none = {0};
    int t = op->name ? add_tensor(g, name, none, elem, g->n_ops) : -1;
    if (t < 0) {
        free(op->name);
        fast_diag_add(d, FAST_ETOOL, NULL, "workload", name, NULL, "out of memory");
        return -1;
    }
    op->output = t;
    g->n_ops++;
    if (infer_op(g, g->n_ops - 1, d)) {
        /* Roll back so the graph stays valid. */
        g->n_ops--;
        free(op->name);
        g->n_tensors--;
        free(g->tensors[t].name);
        return -1;
    }
    return t;
}

fast_status fast_graph_infer(fast_graph *g, fast_diag *d)
{
    for (int i = 0; i < g->n_ops; i++)
        if (infer_op(g, i, d))
            return FAST_EINPUT;
    return FAST_OK;
}

int64_t fast_graph_macs(const fast_graph *g)
{
    int64_t s = 0;
    for (int i = 0; i < g->n_ops; i++)
        s = (s > INT64_MAX - g->ops[i].macs) ? INT64_MAX : s + g->ops[i].macs;
    return s;
}

int64_t fast_graph_params(const fast_graph *g)
{
    int64_t s = 0;
    for (int i = 0; i < g->n_ops; i++)
        s = (s > INT64_MAX - g->ops[i].params) ? INT64_MAX : s + g->ops[i].params;
    return s;
}
