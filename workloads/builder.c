/* Concise construction of a fast_graph: see builder.h. */
#include "workloads/builder.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define KIND "workload"

void fast_b_init(fast_builder *b, fast_graph *g, fast_diag *d)
{
    b->g = g;
    b->d = d;
    b->failed = g == NULL;
    b->scope[0] = '\0';
    if (g == NULL)
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, NULL, NULL, "no graph to build into");
}

fast_status fast_b_status(const fast_builder *b)
{
    return b->failed ? FAST_EINPUT : FAST_OK;
}

/* Records a problem of the builder itself (not of fast_graph_add) and sets the flag. */
static void fail(fast_builder *b, const char *where, const char *reason)
{
    if (!b->failed)
        fast_diag_add(b->d, FAST_EINPUT, NULL, KIND, where, NULL, "%s", reason);
    b->failed = 1;
}

void fast_b_scope(fast_builder *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->scope, sizeof b->scope, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof b->scope)
        fail(b, b->scope, "op name scope too long");
}

int64_t fast_b_dim(const fast_builder *b, int x, int i)
{
    if (b->g == NULL || x < 0 || x >= b->g->n_tensors)
        return 0;
    const fast_shape *s = &b->g->tensors[x].shape;
    if (i < 0)
        i += s->rank;
    if (i < 0 || i >= s->rank)
        return 0;
    return s->d[i];
}

/* Writes the full op name (scope.name) into buf; returns 0, or -1 after failing. */
static int full_name(fast_builder *b, const char *name, char buf[FAST_B_NAME_MAX])
{
    int n = b->scope[0] ? snprintf(buf, FAST_B_NAME_MAX, "%s.%s", b->scope, name)
                        : snprintf(buf, FAST_B_NAME_MAX, "%s", name);
    if (n < 0 || n >= FAST_B_NAME_MAX) {
        fail(b, buf, "op name too long");
        return -1;
    }
    return 0;
}

/* Adds one op under the scoped name; the common tail of every op helper. */
static int add(fast_builder *b, const char *name, fast_op_type type, const int *in, int n_in,
               const fast_op_attrs *attrs)
{
    if (b->failed)
        return -1;
    for (int i = 0; i < n_in; i++)
        if (in[i] < 0) {
            fail(b, name, "input tensor missing");
            return -1;
        }
    char full[FAST_B_NAME_MAX];
    if (full_name(b, name, full) != 0)
        return -1;
    fast_op_attrs none;
    if (attrs == NULL) {
        memset(&none, 0, sizeof none);
        attrs = &none;
    }
    size_t errors = fast_diag_errors(b->d);
    int out = fast_graph_add(b->g, full, type, in, n_in, attrs, b->d);
    if (out < 0) {
        if (fast_diag_errors(b->d) == errors)
            fast_diag_add(b->d, FAST_EINPUT, NULL, KIND, full, NULL, "could not add the op");
        b->failed = 1;
    }
    return out;
}

int fast_b_input(fast_builder *b, const char *name, int rank, const int64_t *dims,
                 fast_elem elem)
{
    if (b->failed)
        return -1;
    if (rank < 1 || rank > FAST_MAX_RANK) {
        fail(b, name, "input rank out of range");
        return -1;
    }
    size_t errors = fast_diag_errors(b->d);
    int t = fast_graph_input(b->g, name, fast_shape_make(rank, dims), elem, b->d);
    if (t < 0) {
        if (fast_diag_errors(b->d) == errors)
            fast_diag_add(b->d, FAST_EINPUT, NULL, KIND, name, NULL, "could not add the input");
        b->failed = 1;
    }
    return t;
}

int fast_b_conv2d(fast_builder *b, const char *name, int x, int64_t cout, int64_t k,
                  int64_t stride, int64_t groups, int bias)
{
    fast_op_attrs a;
    memset(&a, 0, sizeof a);
    fast_conv_attrs *c = &a.conv;
    c->cout = cout;
    c->kh = c->kw = k;
    c->stride_h = c->stride_w = stride;
    c->dil_h = c->dil_w = 1;
    c->groups = groups;
    c->bias = bias;
    /* NHWC: H is dimension 1, W dimension 2. A bad rank is left to fast_graph_add. */
    fast_same_pad(fast_b_dim(b, x, 1), k, stride, &c->pad_top, &c->pad_bottom);
    fast_same_pad(fast_b_dim(b, x, 2), k, stride, &c->pad_left, &c->pad_right);
    return add(b, name, FAST_OP_CONV2D, &x, 1, &a);
}

int fast_b_conv(fast_builder *b, const char *name, int x, int64_t cout, int64_t k,
                int64_t stride)
{
    return fast_b_conv2d(b, name, x, cout, k, stride, 1, 0);
}

int fast_b_dwconv(fast_builder *b, const char *name, int x, int64_t k, int64_t stride)
{
    int64_t c = fast_b_dim(b, x, -1);
    return fast_b_conv2d(b, name, x, c, k, stride, c, 0);
}

int fast_b_bn(fast_builder *b, const char *name, int x)
{
    return add(b, name, FAST_OP_BATCHNORM, &x, 1, NULL);
}

/* The name suffix of an activation op, or NULL when type is not an activation. */
static const char *act_name(fast_op_type type)
{
    switch (type) {
    case FAST_OP_RELU: return "relu";
    case FAST_OP_RELU6: return "relu6";
    case FAST_OP_SIGMOID: return "sigmoid";
    case FAST_OP_SWISH: return "swish";
    case FAST_OP_GELU: return "gelu";
    case FAST_OP_TANH: return "tanh";
    default: return NULL;
    }
}

int fast_b_act(fast_builder *b, const char *name, fast_op_type type, int x)
{
    if (!b->failed && act_name(type) == NULL) {
        fail(b, name, "not an activation");
        return -1;
    }
    return add(b, name, type, &x, 1, NULL);
}

/* Writes BASE.SUFFIX (SUFFIX alone when BASE is "") into buf; returns buf, or "" after
 * failing when it does not fit. */
static const char *join(fast_builder *b, char buf[FAST_B_NAME_MAX], const char *base,
                        const char *suffix)
{
    int n = snprintf(buf, FAST_B_NAME_MAX, "%s%s%s", base, base[0] ? "." : "", suffix);
    if (n < 0 || n >= FAST_B_NAME_MAX) {
        fail(b, base, "op name too long");
        buf[0] = '\0';
    }
    return buf;
}

/* Batchnorm and optional activation after a conv: BASE.bn, BASE.ACT. */
static int bn_act(fast_builder *b, const char *base, int x, fast_op_type act)
{
    char name[FAST_B_NAME_MAX];
    x = fast_b_bn(b, join(b, name, base, "bn"), x);
    if (act == FAST_OP_COUNT)
        return x;
    const char *an = act_name(act);
    return fast_b_act(b, join(b, name, base, an ? an : "act"), act, x);
}

int fast_b_conv_bn(fast_builder *b, const char *base, int x, int64_t cout, int64_t k,
                   int64_t stride, fast_op_type act)
{
    char name[FAST_B_NAME_MAX];
    return bn_act(b, base, fast_b_conv(b, join(b, name, base, "conv"), x, cout, k, stride),
                  act);
}

int fast_b_dwconv_bn(fast_builder *b, const char *base, int x, int64_t k, int64_t stride,
                     fast_op_type act)
{
    char name[FAST_B_NAME_MAX];
    return bn_act(b, base, fast_b_dwconv(b, join(b, name, base, "conv"), x, k, stride), act);
}

int fast_b_fc(fast_builder *b, const char *name, int x, int64_t units, int bias)
{
    fast_op_attrs a;
    memset(&a, 0, sizeof a);
    a.units = units;
    a.bias = bias;
    return add(b, name, FAST_OP_FC, &x, 1, &a);
}

int fast_b_matmul(fast_builder *b, const char *name, int x, int y, int transpose_b)
{
    fast_op_attrs a;
    memset(&a, 0, sizeof a);
    a.transpose_b = transpose_b;
    int in[2] = {x, y};
    return add(b, name, FAST_OP_MATMUL, in, 2, &a);
}

int fast_b_add(fast_builder *b, const char *name, int x, int y)
{
    int in[2] = {x, y};
    return add(b, name, FAST_OP_ADD, in, 2, NULL);
}

int fast_b_mul(fast_builder *b, const char *name, int x, int y)
{
    int in[2] = {x, y};
    return add(b, name, FAST_OP_MUL, in, 2, NULL);
}

int fast_b_globalpool(fast_builder *b, const char *name, int x)
{
    return add(b, name, FAST_OP_GLOBALPOOL, &x, 1, NULL);
}

static int pool(fast_builder *b, const char *name, fast_op_type type, int x, int64_t k,
                int64_t stride)
{
    fast_op_attrs a;
    memset(&a, 0, sizeof a);
    fast_pool_attrs *p = &a.pool;
    p->kh = p->kw = k;
    p->stride_h = p->stride_w = stride;
    fast_same_pad(fast_b_dim(b, x, 1), k, stride, &p->pad_top, &p->pad_bottom);
    fast_same_pad(fast_b_dim(b, x, 2), k, stride, &p->pad_left, &p->pad_right);
    return add(b, name, type, &x, 1, &a);
}

int fast_b_maxpool(fast_builder *b, const char *name, int x, int64_t k, int64_t stride)
{
    return pool(b, name, FAST_OP_MAXPOOL, x, k, stride);
}

int fast_b_avgpool(fast_builder *b, const char *name, int x, int64_t k, int64_t stride)
{
    return pool(b, name, FAST_OP_AVGPOOL, x, k, stride);
}

int fast_b_reshape(fast_builder *b, const char *name, int x, int rank, const int64_t *dims)
{
    if (!b->failed && (rank < 1 || rank > FAST_MAX_RANK)) {
        fail(b, name, "reshape rank out of range");
        return -1;
    }
    fast_op_attrs a;
    memset(&a, 0, sizeof a);
    /* Built by hand: fast_shape_make need not accept the -1 that a reshape allows. */
    a.shape.rank = rank;
    for (int i = 0; i < rank && !b->failed; i++)
        a.shape.d[i] = dims[i];
    return add(b, name, FAST_OP_RESHAPE, &x, 1, &a);
}

int fast_b_transpose(fast_builder *b, const char *name, int x, int rank, const int *perm)
{
    if (!b->failed && (rank < 1 || rank > FAST_MAX_RANK)) {
        fail(b, name, "transpose rank out of range");
        return -1;
    }
    fast_op_attrs a;
    memset(&a, 0, sizeof a);
    for (int i = 0; i < rank && !b->failed; i++)
        a.perm[i] = perm[i];
    return add(b, name, FAST_OP_TRANSPOSE, &x, 1, &a);
}

int fast_b_softmax(fast_builder *b, const char *name, int x, int axis)
{
    fast_op_attrs a;
    memset(&a, 0, sizeof a);
    a.axis = axis;
    return add(b, name, FAST_OP_SOFTMAX, &x, 1, &a);
}

int fast_b_layernorm(fast_builder *b, const char *name, int x)
{
    return add(b, name, FAST_OP_LAYERNORM, &x, 1, NULL);
}

int fast_b_embedding(fast_builder *b, const char *name, int x, int64_t vocab, int64_t units)
{
    fast_op_attrs a;
    memset(&a, 0, sizeof a);
    a.vocab = vocab;
    a.units = units;
    return add(b, name, FAST_OP_EMBEDDING, &x, 1, &a);
}
