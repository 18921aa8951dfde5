/* ONNX import: the mapping of each operator onto the IR (docs/workloads.md, "ONNX import",
 * has the table). Rank-4 activations are kept channels-last in the IR (conv2d and pools
 * take NHWC); the value records which layout its IR tensor has, and relabelling between
 * the two is a free reshape. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "workloads/onnx_impl.h"

/* ONNX axis of a rank-4 tensor -> axis of its channels-last IR tensor. */
static const int nhwc_axis[4] = {0, 3, 1, 2};

static fast_op_attrs zero_attrs(void)
{
    fast_op_attrs a;
    memset(&a, 0, sizeof a);
    return a;
}

/* Input i as an activation; NULL with a diagnostic when it is absent or a constant. */
static onnx_value *need_act(onnx_ctx *c, const Onnx__NodeProto *n, int i)
{
    onnx_value *v = onnx_input(c, n, i);
    if (!v) {
        onnx_fail(c, n, NULL, "input %d is missing", i);
        return NULL;
    }
    if (v->kind != ONNX_V_ACT) {
        onnx_fail(c, n, v->name, "input %d: expected an activation, got a constant", i);
        return NULL;
    }
    return v;
}

/* Input i as a constant (NULL when absent and optional); sets *bad on a wrong input. */
static onnx_value *need_const(onnx_ctx *c, const Onnx__NodeProto *n, int i, int required,
                              int *bad)
{
    onnx_value *v = onnx_input(c, n, i);
    if (!v) {
        if (required) {
            onnx_fail(c, n, NULL, "input %d is missing", i);
            *bad = 1;
        }
        return NULL;
    }
    if (v->kind != ONNX_V_CONST) {
        onnx_fail(c, n, v->name, "input %d must be a constant (initializer or Constant)", i);
        *bad = 1;
        return NULL;
    }
    return v;
}

/* Checks an output shape the IR can hold: rank 1..6 (a scalar becomes [1]), dims >= 1. */
static int check_shape(onnx_ctx *c, const Onnx__NodeProto *n, fast_shape *s, int rank,
                       const int64_t *dims)
{
    if (rank > FAST_MAX_RANK)
        return onnx_fail(c, n, NULL, "result of rank %d: the IR holds at most %d", rank,
                         FAST_MAX_RANK);
    s->rank = rank ? rank : 1;
    s->d[0] = 1;
    for (int i = 0; i < rank; i++) {
        if (dims[i] < 1)
            return onnx_fail(c, n, NULL, "result has an empty dimension %d", i);
        s->d[i] = dims[i];
    }
    return 0;
}

static int is_float(int dtype)
{
    return dtype == ONNX_FLOAT || dtype == ONNX_DOUBLE || dtype == ONNX_FLOAT16 ||
           dtype == ONNX_BFLOAT16;
}

/* Makes out the same activation as in (Identity, Cast, Dropout, no-op reshapes). */
static void alias(onnx_value *out, const onnx_value *in)
{
    out->kind = ONNX_V_ACT;
    out->t = in->t;
    out->nhwc = in->nhwc;
    out->other = in->other;
    out->shape = in->shape;
}

/* Emits a vector op writing ONNX shape s (channels-last in the IR when nhwc) from the IR
 * tensors in[0, n_in), and binds out. */
static int vector_op(onnx_ctx *c, const Onnx__NodeProto *n, onnx_value *out, fast_op_type type,
                     const char *what, const int *in, int n_in, fast_shape s, int nhwc,
                     int64_t params)
{
    if (n_in < 1)
        return onnx_fail(c, n, NULL, "no activation input");
    fast_op_attrs a = zero_attrs();
    nhwc = nhwc && s.rank == 4;
    a.shape = nhwc ? onnx_to_nhwc(s) : s;
    a.params = params;
    snprintf(a.what, sizeof a.what, "%.*s", (int)sizeof a.what - 1, what); /* cut to fit */
    int t = onnx_emit(c, n, out->name, "", type, in, n_in < FAST_OP_MAX_IN ? n_in : FAST_OP_MAX_IN,
                      &a);
    if (t < 0)
        return -1;
    onnx_bind(c, out, t, nhwc);
    return 0;
}

/* A unary vector op over x that keeps x's shape and layout. */
static int same_shape_op(onnx_ctx *c, const Onnx__NodeProto *n, onnx_value *x,
                         fast_op_type type, int64_t params)
{
    onnx_value *out = onnx_output(c, n, 0);
    if (!out)
        return 0;
    if (type == FAST_OP_VECTOR)
        return vector_op(c, n, out, type, n->op_type, &x->t, 1, x->shape, x->nhwc, params);
    int t = onnx_emit(c, n, out->name, "", type, &x->t, 1, NULL);
    if (t < 0)
        return -1;
    onnx_bind(c, out, t, x->nhwc);
    return 0;
}

/* Spatial parameters of Conv, ConvTranspose and the pools: kernel, strides, dilations and
 * explicit pads [top, left, bottom, right] as ONNX orders them. */
typedef struct spatial {
    int64_t k[2], s[2], dl[2], pads[4];
    char auto_pad[32];
} spatial;

static int read_spatial(onnx_ctx *c, const Onnx__NodeProto *n, const int64_t *kernel,
                        spatial *sp)
{
    int64_t v[8];
    sp->k[0] = kernel[0];
    sp->k[1] = kernel[1];
    int nk = onnx_attr_ints(n, "kernel_shape", v, 8);
    if (nk >= 0) {
        if (nk != 2)
            return onnx_fail(c, n, NULL, "kernel_shape must have 2 values (2-D only)");
        if ((kernel[0] && v[0] != kernel[0]) || (kernel[1] && v[1] != kernel[1]))
            return onnx_fail(c, n, NULL, "kernel_shape [%lld,%lld] differs from the weights "
                             "[%lld,%lld]", (long long)v[0], (long long)v[1],
                             (long long)kernel[0], (long long)kernel[1]);
        sp->k[0] = v[0];
        sp->k[1] = v[1];
    }
    if (sp->k[0] < 1 || sp->k[1] < 1)
        return onnx_fail(c, n, NULL, "no kernel_shape");
    int ns = onnx_attr_ints(n, "strides", v, 8);
    if (ns >= 0 && ns != 2)
        return onnx_fail(c, n, NULL, "strides must have 2 values");
    sp->s[0] = ns == 2 ? v[0] : 1;
    sp->s[1] = ns == 2 ? v[1] : 1;
    int nd = onnx_attr_ints(n, "dilations", v, 8);
    if (nd >= 0 && nd != 2)
        return onnx_fail(c, n, NULL, "dilations must have 2 values");
    sp->dl[0] = nd == 2 ? v[0] : 1;
    sp->dl[1] = nd == 2 ? v[1] : 1;
    int np = onnx_attr_ints(n, "pads", v, 8);
    if (np >= 0 && np != 4)
        return onnx_fail(c, n, NULL, "pads must have 4 values");
    for (int i = 0; i < 4; i++)
        sp->pads[i] = np == 4 ? v[i] : 0;
    onnx_attr_str(n, "auto_pad", "NOTSET", sp->auto_pad, sizeof sp->auto_pad);
    if (strcmp(sp->auto_pad, "NOTSET") && strcmp(sp->auto_pad, "VALID") &&
        strcmp(sp->auto_pad, "SAME_UPPER") && strcmp(sp->auto_pad, "SAME_LOWER") &&
        sp->auto_pad[0])
        return onnx_fail(c, n, sp->auto_pad, "unknown auto_pad");
    for (int i = 0; i < 2; i++)
        if (sp->s[i] < 1 || sp->dl[i] < 1 || sp->pads[i] < 0 || sp->pads[i + 2] < 0)
            return onnx_fail(c, n, NULL, "strides and dilations must be >= 1, pads >= 0");
    return 0;
}

/* Resolves auto_pad for an input of h x w into explicit pads. */
static void resolve_pads(spatial *sp, int64_t h, int64_t w)
{
    int64_t in[2] = {h, w};
    if (!strcmp(sp->auto_pad, "VALID")) {
        memset(sp->pads, 0, sizeof sp->pads);
    } else if (!strncmp(sp->auto_pad, "SAME_", 5)) {
        for (int i = 0; i < 2; i++) {
            int64_t b, e;
            fast_same_pad(in[i], sp->dl[i] * (sp->k[i] - 1) + 1, sp->s[i], &b, &e);
            int lower = !strcmp(sp->auto_pad, "SAME_LOWER");
            sp->pads[i] = lower ? e : b;
            sp->pads[i + 2] = lower ? b : e;
        }
    }
}

/* ---- convolutions and matrix products ------------------------------------------------------ */

static int map_conv(onnx_ctx *c, const Onnx__NodeProto *n)
{
    int bad = 0;
    onnx_value *x = need_act(c, n, 0);
    onnx_value *w = x ? need_const(c, n, 1, 1, &bad) : NULL;
    onnx_value *b = w ? need_const(c, n, 2, 0, &bad) : NULL;
    onnx_value *out = onnx_output(c, n, 0);
    if (!x || !w || bad || !out)
        return -1;
    if (x->shape.rank != 4 || w->c.rank != 4)
        return onnx_fail(c, n, NULL, "only 2-D convolutions: input [N,C,H,W] and weights "
                         "[M,C/group,kH,kW] (got ranks %d and %d)", x->shape.rank, w->c.rank);
    spatial sp;
    if (read_spatial(c, n, w->c.dims + 2, &sp))
        return -1;
    int64_t g = onnx_attr_int(n, "group", 1), cin = x->shape.d[1];
    if (g < 1 || w->c.dims[1] * g != cin) {
        char val[32];
        snprintf(val, sizeof val, "%lld", (long long)g);
        return onnx_fail(c, n, val, "group: the input has %lld channels, the weights "
                         "[%lld,%lld,%lld,%lld] expect %lld per group", (long long)cin,
                         (long long)w->c.dims[0], (long long)w->c.dims[1],
                         (long long)w->c.dims[2], (long long)w->c.dims[3],
                         (long long)w->c.dims[1]);
    }
    if (b && b->c.n != w->c.dims[0])
        return onnx_fail(c, n, b->name, "bias has %lld values for %lld output channels",
                         (long long)b->c.n, (long long)w->c.dims[0]);
    resolve_pads(&sp, x->shape.d[2], x->shape.d[3]);
    fast_op_attrs a = zero_attrs();
    a.conv = (fast_conv_attrs){.cout = w->c.dims[0], .kh = sp.k[0], .kw = sp.k[1],
                               .stride_h = sp.s[0], .stride_w = sp.s[1], .dil_h = sp.dl[0],
                               .dil_w = sp.dl[1], .pad_top = sp.pads[0],
                               .pad_left = sp.pads[1], .pad_bottom = sp.pads[2],
                               .pad_right = sp.pads[3], .groups = g, .bias = b != NULL};
    int in = onnx_act_layout(c, x, 1);
    int t = in < 0 ? -1 : onnx_emit(c, n, out->name, "", FAST_OP_CONV2D, &in, 1, &a);
    if (t < 0)
        return -1;
    onnx_bind(c, out, t, 1);
    return 0;
}

/* ConvTranspose as the GEMM it is plus an overlap-add: a 1x1 conv2d with Cout*kH*kW
 * outputs per input pixel (exact MACs and weights), then a vector op that scatters them
 * into the output (col2im) and adds the bias. */
static int map_conv_transpose(onnx_ctx *c, const Onnx__NodeProto *n)
{
    int bad = 0;
    onnx_value *x = need_act(c, n, 0);
    onnx_value *w = x ? need_const(c, n, 1, 1, &bad) : NULL;
    onnx_value *b = w ? need_const(c, n, 2, 0, &bad) : NULL;
    onnx_value *out = onnx_output(c, n, 0);
    if (!x || !w || bad || !out)
        return -1;
    if (x->shape.rank != 4 || w->c.rank != 4)
        return onnx_fail(c, n, NULL, "only 2-D transposed convolutions (got ranks %d and %d)",
                         x->shape.rank, w->c.rank);
    spatial sp;
    if (read_spatial(c, n, w->c.dims + 2, &sp))
        return -1;
    int64_t g = onnx_attr_int(n, "group", 1), cin = x->shape.d[1];
    if (g < 1 || w->c.dims[0] != cin || cin % g)
        return onnx_fail(c, n, NULL, "the input has %lld channels, the weights [%lld,...] "
                         "with group %lld", (long long)cin, (long long)w->c.dims[0],
                         (long long)g);
    int64_t cout = w->c.dims[1] * g;
    int64_t op[2] = {0, 0}, os[2] = {0, 0};
    int n_op = onnx_attr_ints(n, "output_padding", op, 2);
    int n_os = onnx_attr_ints(n, "output_shape", os, 2);
    int64_t dims[4] = {x->shape.d[0], cout, 0, 0};
    for (int i = 0; i < 2; i++) {
        int64_t in = x->shape.d[2 + i];
        if (n_os == 2)
            dims[2 + i] = os[i];
        else if (!strncmp(sp.auto_pad, "SAME_", 5))
            dims[2 + i] = in * sp.s[i];
        else
            dims[2 + i] = sp.s[i] * (in - 1) + (n_op == 2 ? op[i] : 0) +
                          (sp.k[i] - 1) * sp.dl[i] + 1 - sp.pads[i] - sp.pads[i + 2];
    }
    fast_shape s;
    if (check_shape(c, n, &s, 4, dims))
        return -1;
    fast_op_attrs a = zero_attrs();
    a.conv = (fast_conv_attrs){.cout = cout * sp.k[0] * sp.k[1], .kh = 1, .kw = 1,
                               .stride_h = 1, .stride_w = 1, .dil_h = 1, .dil_w = 1,
                               .groups = g};
    int in = onnx_act_layout(c, x, 1);
    int t = in < 0 ? -1 : onnx_emit(c, n, out->name, ".gemm", FAST_OP_CONV2D, &in, 1, &a);
    if (t < 0)
        return -1;
    return vector_op(c, n, out, FAST_OP_VECTOR, "ConvTranspose col2im", &t, 1, s, 1,
                     b ? b->c.n : 0);
}

/* The Add that follows a MatMul or Gemm and adds a constant bias of n values along the last
 * dimension: its node index, or -1. */
static int bias_add(onnx_ctx *c, const onnx_value *mm, int64_t units)
{
    int v = (int)(mm - c->v);
    if (mm->is_output || mm->n_consumers != 1 || c->cons_off[v + 1] - c->cons_off[v] != 1)
        return -1;
    int k = c->cons[c->cons_off[v]];
    const Onnx__NodeProto *a = c->gp->node[k];
    if (strcmp(a->op_type, "Add") || a->n_input != 2 || (a->domain && a->domain[0]))
        return -1;
    onnx_value *o = onnx_input(c, a, strcmp(a->input[0], mm->name) ? 0 : 1);
    if (!o || o == mm || o->kind != ONNX_V_CONST || !is_float(o->c.dtype) || o->c.n != units ||
        o->c.rank < 1 || o->c.dims[o->c.rank - 1] != units)
        return -1;
    return k;
}

/* fc of units outputs over IR tensor a; binds out (or the Add that adds its bias). */
static int emit_fc(onnx_ctx *c, const Onnx__NodeProto *n, onnx_value *out, int a_t,
                   int64_t units, int bias)
{
    fast_op_attrs a = zero_attrs();
    a.units = units;
    a.bias = bias;
    onnx_value *dst = out;
    if (!bias) {
        int k = bias_add(c, out, units);
        if (k >= 0) {
            a.bias = 1;
            c->skip[k] = 1;
            dst = onnx_output(c, c->gp->node[k], 0);
        }
    }
    if (!dst)
        return 0;
    int t = onnx_emit(c, n, dst->name, "", FAST_OP_FC, &a_t, 1, &a);
    if (t < 0)
        return -1;
    onnx_bind(c, dst, t, 0);
    return 0;
}

/* Reshapes IR tensor t to ONNX shape s (plain layout) unless it already has it. */
static int reshape_to(onnx_ctx *c, const Onnx__NodeProto *n, const char *name,
                      const char *suffix, int t, fast_shape s)
{
    if (fast_shape_equal(&c->g->tensors[t].shape, &s))
        return t;
    fast_op_attrs a = zero_attrs();
    a.shape = s;
    return onnx_emit(c, n, name, suffix, FAST_OP_RESHAPE, &t, 1, &a);
}

static int map_matmul(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *av = onnx_input(c, n, 0), *bv = onnx_input(c, n, 1);
    onnx_value *out = onnx_output(c, n, 0);
    if (!av || !bv || !out)
        return onnx_fail(c, n, NULL, "needs two inputs and an output");
    if (av->kind == ONNX_V_ACT && bv->kind == ONNX_V_CONST) {
        const onnx_const *w = &bv->c;
        if (w->rank < 1)
            return onnx_fail(c, n, bv->name, "a scalar weight");
        for (int i = 0; i < w->rank - 2; i++)
            if (w->dims[i] != 1)
                return onnx_fail(c, n, bv->name, "batched constant weights are not supported");
        int64_t k = w->rank == 1 ? w->dims[0] : w->dims[w->rank - 2];
        int64_t units = w->rank == 1 ? 1 : w->dims[w->rank - 1];
        const fast_shape *as = &av->shape;
        if (as->d[as->rank - 1] != k)
            return onnx_fail(c, n, NULL, "input 0 [..,%lld] and weights [%lld,..]: K differs",
                             (long long)as->d[as->rank - 1], (long long)k);
        int a_t = onnx_act_layout(c, av, 0);
        if (a_t < 0)
            return -1;
        /* The ONNX result: A's batch dims, B's leading 1s, [M, N]; vectors drop a dim. */
        int64_t dims[ONNX_MAX_RANK + 2];
        int r = 0;
        int lead = w->rank > as->rank ? w->rank - as->rank : 0;
        for (int i = 0; i < lead; i++)
            dims[r++] = 1;
        for (int i = 0; i < as->rank - 1; i++)
            dims[r++] = as->d[i];
        if (w->rank > 1)
            dims[r++] = units;
        fast_shape want;
        if (check_shape(c, n, &want, r, dims))
            return -1;
        fast_shape ir = *as;
        ir.d[ir.rank - 1] = units;
        if (fast_shape_equal(&ir, &want))
            return emit_fc(c, n, out, a_t, units, 0);
        fast_op_attrs fa = zero_attrs();
        fa.units = units;
        int t = onnx_emit(c, n, out->name, ".fc", FAST_OP_FC, &a_t, 1, &fa);
        t = t < 0 ? -1 : reshape_to(c, n, out->name, "", t, want);
        if (t < 0)
            return -1;
        onnx_bind(c, out, t, 0);
        return 0;
    }
    if (av->kind == ONNX_V_CONST && bv->kind == ONNX_V_ACT) {
        /* W [M, K] x B [..., K, N] = (B^T W^T)^T: transpose, fc with M units, transpose. */
        const onnx_const *w = &av->c;
        const fast_shape *bs = &bv->shape;
        if (w->rank != 2 || bs->rank < 2)
            return onnx_fail(c, n, NULL, "a constant first operand must be [M, K] and the "
                             "second [..., K, N]");
        if (bs->d[bs->rank - 2] != w->dims[1])
            return onnx_fail(c, n, NULL, "K differs: [%lld,%lld] x [..,%lld,%lld]",
                             (long long)w->dims[0], (long long)w->dims[1],
                             (long long)bs->d[bs->rank - 2], (long long)bs->d[bs->rank - 1]);
        fast_op_attrs ta = zero_attrs();
        for (int i = 0; i < bs->rank; i++)
            ta.perm[i] = i;
        ta.perm[bs->rank - 2] = bs->rank - 1;
        ta.perm[bs->rank - 1] = bs->rank - 2;
        int b_t = onnx_act_layout(c, bv, 0);
        int t1 = b_t < 0 ? -1 : onnx_emit(c, n, out->name, ".bt", FAST_OP_TRANSPOSE, &b_t, 1,
                                          &ta);
        fast_op_attrs fa = zero_attrs();
        fa.units = w->dims[0];
        int t2 = t1 < 0 ? -1 : onnx_emit(c, n, out->name, ".fc", FAST_OP_FC, &t1, 1, &fa);
        int t3 = t2 < 0 ? -1 : onnx_emit(c, n, out->name, "", FAST_OP_TRANSPOSE, &t2, 1, &ta);
        if (t3 < 0)
            return -1;
        onnx_bind(c, out, t3, 0);
        return 0;
    }
    if (av->kind != ONNX_V_ACT || bv->kind != ONNX_V_ACT)
        return onnx_fail(c, n, NULL, "inputs must be activations or constant weights");
    fast_shape as = av->shape, bs = bv->shape;
    if (as.rank < 2 || bs.rank < 2)
        return onnx_fail(c, n, NULL, "1-D operands of a product of two activations are not "
                         "supported");
    int a_t = onnx_act_layout(c, av, 0), b_t = onnx_act_layout(c, bv, 0);
    if (a_t < 0 || b_t < 0)
        return -1;
    /* Equal ranks (leading 1s added); batch dims must be equal, or all 1 on B's side. */
    int r = as.rank > bs.rank ? as.rank : bs.rank;
    fast_shape a4 = as, b4 = bs;
    a4.rank = b4.rank = r;
    for (int i = 0; i < r; i++) {
        a4.d[i] = i < r - as.rank ? 1 : as.d[i - (r - as.rank)];
        b4.d[i] = i < r - bs.rank ? 1 : bs.d[i - (r - bs.rank)];
    }
    if (a4.d[r - 1] != b4.d[r - 2])
        return onnx_fail(c, n, NULL, "K differs: [..,%lld] x [..,%lld,%lld]",
                         (long long)a4.d[r - 1], (long long)b4.d[r - 2],
                         (long long)b4.d[r - 1]);
    fast_shape want = a4;
    want.d[r - 1] = b4.d[r - 1];
    int same = 1, b_ones = 1;
    for (int i = 0; i < r - 2; i++) {
        same &= a4.d[i] == b4.d[i];
        b_ones &= b4.d[i] == 1;
        if (b4.d[i] > want.d[i])
            want.d[i] = b4.d[i];
    }
    if (!same && !b_ones)
        return onnx_fail(c, n, NULL, "broadcasting batch dimensions of two activations is "
                         "not supported");
    if (!same) {
        /* B is shared: fold A's batch into its rows. */
        int64_t rows = fast_shape_elems(&a4) / a4.d[r - 1];
        int64_t ad[3] = {1, rows, a4.d[r - 1]}, bd[3] = {1, b4.d[r - 2], b4.d[r - 1]};
        a4 = fast_shape_make(3, ad);
        b4 = fast_shape_make(3, bd);
    }
    a_t = reshape_to(c, n, out->name, ".a", a_t, a4);
    b_t = a_t < 0 ? -1 : reshape_to(c, n, out->name, ".b", b_t, b4);
    if (b_t < 0)
        return -1;
    int ins[2] = {a_t, b_t};
    int t = onnx_emit(c, n, out->name, same ? "" : ".mm", FAST_OP_MATMUL, ins, 2, NULL);
    t = t < 0 ? -1 : reshape_to(c, n, out->name, ".r", t, want);
    if (t < 0)
        return -1;
    onnx_bind(c, out, t, 0);
    return 0;
}

static int map_gemm(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *av = need_act(c, n, 0), *bv = onnx_input(c, n, 1), *cv = onnx_input(c, n, 2);
    onnx_value *out = onnx_output(c, n, 0);
    if (!av || !bv || !out)
        return av ? onnx_fail(c, n, NULL, "needs inputs A and B") : -1;
    if (av->shape.rank != 2)
        return onnx_fail(c, n, NULL, "A must be a matrix, got rank %d", av->shape.rank);
    int ta = (int)onnx_attr_int(n, "transA", 0), tb = (int)onnx_attr_int(n, "transB", 0);
    int a_t = onnx_act_layout(c, av, 0);
    if (a_t < 0)
        return -1;
    int64_t m = av->shape.d[ta ? 1 : 0], k = av->shape.d[ta ? 0 : 1];
    if (ta) {
        fast_op_attrs t = zero_attrs();
        t.perm[0] = 1;
        t.perm[1] = 0;
        a_t = onnx_emit(c, n, out->name, ".at", FAST_OP_TRANSPOSE, &a_t, 1, &t);
        if (a_t < 0)
            return -1;
    }
    int64_t kb, units;
    if (bv->kind == ONNX_V_CONST) {
        if (bv->c.rank != 2)
            return onnx_fail(c, n, bv->name, "B must be a matrix");
        kb = bv->c.dims[tb ? 1 : 0];
        units = bv->c.dims[tb ? 0 : 1];
    } else {
        if (bv->shape.rank != 2)
            return onnx_fail(c, n, bv->name, "B must be a matrix");
        kb = bv->shape.d[tb ? 1 : 0];
        units = bv->shape.d[tb ? 0 : 1];
    }
    if (kb != k)
        return onnx_fail(c, n, NULL, "A gives K = %lld, B gives K = %lld", (long long)k,
                         (long long)kb);
    int bias_in_fc = cv && cv->kind == ONNX_V_CONST && cv->c.n == units &&
                     bv->kind == ONNX_V_CONST;
    int t;
    const char *suffix = cv && !bias_in_fc ? ".mm" : "";
    if (bv->kind == ONNX_V_CONST) {
        fast_op_attrs fa = zero_attrs();
        fa.units = units;
        fa.bias = bias_in_fc;
        t = onnx_emit(c, n, out->name, suffix, FAST_OP_FC, &a_t, 1, &fa);
    } else {
        int b_t = onnx_act_layout(c, bv, 0);
        fast_op_attrs ma = zero_attrs();
        ma.transpose_b = tb;
        int ins[2] = {a_t, b_t};
        t = b_t < 0 ? -1 : onnx_emit(c, n, out->name, suffix, FAST_OP_MATMUL, ins, 2, &ma);
    }
    if (t < 0)
        return -1;
    if (cv && !bias_in_fc) {
        int64_t d[2] = {m, units};
        fast_shape s = fast_shape_make(2, d);
        int ins[2] = {t, cv->kind == ONNX_V_ACT ? onnx_act_layout(c, cv, 0) : -1};
        return vector_op(c, n, out, FAST_OP_VECTOR, "Gemm C", ins, ins[1] >= 0 ? 2 : 1, s, 0,
                         cv->kind == ONNX_V_CONST ? cv->c.n : 0);
    }
    onnx_bind(c, out, t, 0);
    return 0;
}

/* ---- elementwise ------------------------------------------------------------------------------ */

/* Every elementwise operator with broadcasting: Add and Sub of two activations become add,
 * Mul and Div mul; anything else (a constant operand, Pow, Max, Where, ...) a vector op
 * whose params are the floating-point constants it reads. */
static int map_eltwise(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *acts[FAST_OP_MAX_IN];
    int na = 0, r = 0;
    int64_t params = 0, dims[ONNX_MAX_RANK];
    onnx_value *out = onnx_output(c, n, 0);
    if (!out)
        return 0;
    for (size_t i = 0; i < n->n_input; i++) {
        onnx_value *v = onnx_input(c, n, (int)i);
        if (!v)
            continue;
        int rv = v->kind == ONNX_V_ACT ? v->shape.rank : v->c.rank;
        const int64_t *dv = v->kind == ONNX_V_ACT ? v->shape.d : v->c.dims;
        int64_t o[ONNX_MAX_RANK];
        int ro = 0;
        int rr = r > rv ? r : rv;
        if (rr > ONNX_MAX_RANK)
            return onnx_fail(c, n, NULL, "rank above %d", ONNX_MAX_RANK);
        for (int j = 0; j < rr; j++) {
            int64_t x = j < rr - r ? 1 : dims[j - (rr - r)];
            int64_t y = j < rr - rv ? 1 : dv[j - (rr - rv)];
            if (x != y && x != 1 && y != 1) {
                char sa[160], sb[160];
                fast_shape fa = fast_shape_make(r < FAST_MAX_RANK ? r : FAST_MAX_RANK, dims);
                fast_shape fb = fast_shape_make(rv < FAST_MAX_RANK ? rv : FAST_MAX_RANK, dv);
                fast_shape_format(&fa, sa, sizeof sa);
                fast_shape_format(&fb, sb, sizeof sb);
                return onnx_fail(c, n, NULL, "input %zu: shape %s does not broadcast with %s",
                                 i, sb, sa);
            }
            o[j] = x == 1 ? y : x;
        }
        ro = rr;
        r = ro;
        memcpy(dims, o, sizeof o);
        if (v->kind == ONNX_V_ACT) {
            if (na < FAST_OP_MAX_IN)
                acts[na++] = v;
        } else if (is_float(v->c.dtype)) {
            params += v->c.n;
        }
    }
    if (na == 0)
        return onnx_fail(c, n, NULL, "no activation input");
    fast_shape s;
    if (check_shape(c, n, &s, r, dims))
        return -1;
    int nhwc = 0;
    for (int i = 0; i < na; i++)
        nhwc |= acts[i]->nhwc && s.rank == 4;
    const char *op = n->op_type;
    int is_add = !strcmp(op, "Add") || !strcmp(op, "Sub") || (!strcmp(op, "Sum") && na == 2);
    int is_mul = !strcmp(op, "Mul") || !strcmp(op, "Div");
    if (na == 2 && n->n_input == 2 && (is_add || is_mul)) {
        onnx_value *a = acts[0], *b = acts[1];
        if (!fast_shape_equal(&a->shape, &s) && fast_shape_equal(&b->shape, &s)) {
            onnx_value *t = a;
            a = b;
            b = t;
        }
        if (fast_shape_equal(&a->shape, &s)) {
            int ins[2] = {onnx_act_layout(c, a, nhwc), -1};
            if (b->shape.rank == 4 || !nhwc) {
                ins[1] = onnx_act_layout(c, b, nhwc);
            } else {
                /* A lower-rank operand broadcast against a channels-last tensor: align it
                 * as ONNX does (from the right), then relabel it channels-last. */
                int64_t d4[4] = {1, 1, 1, 1};
                for (int i = 0; i < b->shape.rank; i++)
                    d4[4 - b->shape.rank + i] = b->shape.d[i];
                fast_shape b4 = onnx_to_nhwc(fast_shape_make(4, d4));
                ins[1] = reshape_to(c, n, b->name, ".nhwc", b->t, b4);
            }
            if (ins[0] < 0 || ins[1] < 0)
                return -1;
            int t = onnx_emit(c, n, out->name, "", is_add ? FAST_OP_ADD : FAST_OP_MUL, ins, 2,
                              NULL);
            if (t < 0)
                return -1;
            onnx_bind(c, out, t, nhwc);
            return 0;
        }
    }
    int ins[FAST_OP_MAX_IN];
    for (int i = 0; i < na; i++)
        ins[i] = acts[i]->t;
    return vector_op(c, n, out, FAST_OP_VECTOR, op, ins, na, s, nhwc, params);
}

/* Activation functions: the IR's own where it has one, else a vector op. */
static int map_unary(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0);
    if (!x)
        return -1;
    const char *op = n->op_type;
    fast_op_type t = FAST_OP_VECTOR;
    if (!strcmp(op, "Relu"))
        t = FAST_OP_RELU;
    else if (!strcmp(op, "Sigmoid") || !strcmp(op, "HardSigmoid"))
        t = FAST_OP_SIGMOID;
    else if (!strcmp(op, "Tanh"))
        t = FAST_OP_TANH;
    else if (!strcmp(op, "HardSwish"))
        t = FAST_OP_SWISH;
    else if (!strcmp(op, "Gelu"))
        t = FAST_OP_GELU;
    if (!strcmp(op, "Identity") || !strcmp(op, "Dropout") || !strcmp(op, "Cast") ||
        !strcmp(op, "CastLike")) {
        onnx_value *out = onnx_output(c, n, 0);
        if (out)
            alias(out, x);
        if (n->n_output > 1 && onnx_output(c, n, 1) && onnx_output(c, n, 1)->n_consumers)
            return onnx_fail(c, n, NULL, "the mask output is not supported");
        return 0;
    }
    return same_shape_op(c, n, x, t, 0);
}

static int map_clip(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0);
    if (!x)
        return -1;
    double lo = -INFINITY, hi = INFINITY;
    onnx_value *mn = onnx_input(c, n, 1), *mx = onnx_input(c, n, 2);
    if ((mn && mn->kind == ONNX_V_ACT) || (mx && mx->kind == ONNX_V_ACT))
        return map_eltwise(c, n);
    if (c->opset < 11) {
        lo = onnx_attr_float(n, "min", -INFINITY);
        hi = onnx_attr_float(n, "max", INFINITY);
    } else if (onnx_const_scalar(c, n, mn, -INFINITY, &lo) ||
               onnx_const_scalar(c, n, mx, INFINITY, &hi)) {
        return -1;
    }
    fast_op_type t = lo == 0 && hi == 6 ? FAST_OP_RELU6 : lo == 0 && isinf(hi) ? FAST_OP_RELU
                                                                              : FAST_OP_VECTOR;
    return same_shape_op(c, n, x, t, 0);
}

static int map_softmax(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0);
    onnx_value *out = onnx_output(c, n, 0);
    if (!x || !out)
        return x ? 0 : -1;
    int r = x->shape.rank;
    int64_t axis = onnx_attr_int(n, "axis", c->opset < 13 ? 1 : -1);
    int64_t ax = axis < 0 ? axis + r : axis;
    if (ax < 0 || ax >= r) {
        char val[32];
        snprintf(val, sizeof val, "%lld", (long long)axis);
        return onnx_fail(c, n, val, "axis out of range for rank %d", r);
    }
    fast_op_attrs a = zero_attrs();
    a.axis = x->nhwc ? nhwc_axis[ax] : (int)ax;
    int t = onnx_emit(c, n, out->name, "", FAST_OP_SOFTMAX, &x->t, 1, &a);
    if (t < 0)
        return -1;
    onnx_bind(c, out, t, x->nhwc);
    return 0;
}

/* ---- normalization ----------------------------------------------------------------------------- */

static int map_batchnorm(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0);
    int bad = 0;
    onnx_value *scale = x ? need_const(c, n, 1, 1, &bad) : NULL;
    if (!x || bad)
        return -1;
    if (x->shape.rank < 2)
        return onnx_fail(c, n, NULL, "input of rank %d", x->shape.rank);
    int64_t ch = x->shape.d[1];
    if (scale->c.n != ch)
        return onnx_fail(c, n, scale->name, "scale has %lld values for %lld channels",
                         (long long)scale->c.n, (long long)ch);
    for (size_t o = 1; o < n->n_output; o++)
        if (onnx_output(c, n, (int)o) && onnx_output(c, n, (int)o)->n_consumers)
            return onnx_fail(c, n, NULL, "training outputs are not supported");
    if (x->shape.rank == 4) {
        int in = onnx_act_layout(c, x, 1);
        onnx_value *out = onnx_output(c, n, 0);
        int t = in < 0 || !out ? -1 : onnx_emit(c, n, out->name, "", FAST_OP_BATCHNORM, &in, 1,
                                                NULL);
        if (t < 0)
            return -1;
        onnx_bind(c, out, t, 1);
        return 0;
    }
    if (x->shape.rank == 2)
        return same_shape_op(c, n, x, FAST_OP_BATCHNORM, 0);
    return same_shape_op(c, n, x, FAST_OP_VECTOR, 2 * ch);
}

static int map_layernorm(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0), *out = onnx_output(c, n, 0);
    if (!x || !out)
        return x ? 0 : -1;
    for (size_t o = 1; o < n->n_output; o++)
        if (onnx_output(c, n, (int)o) && onnx_output(c, n, (int)o)->n_consumers)
            return onnx_fail(c, n, NULL, "the Mean and InvStdDev outputs are not supported");
    int r = x->shape.rank;
    int64_t axis = onnx_attr_int(n, "axis", -1);
    int64_t ax = axis < 0 ? axis + r : axis;
    if (ax < 0 || ax >= r)
        return onnx_fail(c, n, NULL, "axis %lld out of range for rank %d", (long long)axis, r);
    int t = onnx_act_layout(c, x, 0);
    fast_shape flat = x->shape;
    if (ax < r - 1) {
        /* Normalizing over several trailing dimensions: one row of their product. */
        flat.rank = (int)ax + 1;
        flat.d[ax] = 1;
        for (int i = (int)ax; i < r; i++)
            flat.d[ax] *= x->shape.d[i];
        t = t < 0 ? -1 : reshape_to(c, n, out->name, ".rows", t, flat);
    }
    t = t < 0 ? -1 : onnx_emit(c, n, out->name, ax < r - 1 ? ".ln" : "", FAST_OP_LAYERNORM, &t,
                               1, NULL);
    t = t < 0 ? -1 : reshape_to(c, n, out->name, "", t, x->shape);
    if (t < 0)
        return -1;
    onnx_bind(c, out, t, 0);
    return 0;
}

/* InstanceNormalization, GroupNormalization, LpNormalization, ...: a vector pass with the
 * floating-point constants as params. */
static int map_norm_other(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0);
    if (!x)
        return -1;
    int64_t params = 0;
    for (size_t i = 1; i < n->n_input; i++) {
        onnx_value *v = onnx_input(c, n, (int)i);
        if (v && v->kind == ONNX_V_CONST && is_float(v->c.dtype))
            params += v->c.n;
    }
    return same_shape_op(c, n, x, FAST_OP_VECTOR, params);
}

/* ---- pooling and resizing ---------------------------------------------------------------------- */

static int map_pool(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0), *out = onnx_output(c, n, 0);
    if (!x || !out)
        return x ? 0 : -1;
    if (x->shape.rank != 4)
        return onnx_fail(c, n, NULL, "only 2-D pooling of [N,C,H,W] (got rank %d)",
                         x->shape.rank);
    if (n->n_output > 1 && onnx_output(c, n, 1) && onnx_output(c, n, 1)->n_consumers)
        return onnx_fail(c, n, NULL, "the Indices output is not supported");
    int64_t none[2] = {0, 0};
    spatial sp;
    if (read_spatial(c, n, none, &sp))
        return -1;
    if (sp.dl[0] != 1 || sp.dl[1] != 1)
        return onnx_fail(c, n, NULL, "dilated pooling is not supported");
    resolve_pads(&sp, x->shape.d[2], x->shape.d[3]);
    if (onnx_attr_int(n, "ceil_mode", 0)) {
        /* Ceil rounding: pad the end so that floor rounding gives the same size. */
        for (int i = 0; i < 2; i++) {
            int64_t in = x->shape.d[2 + i] + sp.pads[i] + sp.pads[i + 2] - sp.k[i];
            int64_t fl = in / sp.s[i] + 1, ce = (in + sp.s[i] - 1) / sp.s[i] + 1;
            /* The last window must start inside the input or its left padding. */
            if (ce > fl && (ce - 1) * sp.s[i] >= x->shape.d[2 + i] + sp.pads[i])
                ce--;
            if (ce > fl)
                sp.pads[i + 2] += (ce - 1) * sp.s[i] + sp.k[i] - (in + sp.k[i]);
        }
    }
    fast_op_attrs a = zero_attrs();
    a.pool = (fast_pool_attrs){.kh = sp.k[0], .kw = sp.k[1], .stride_h = sp.s[0],
                               .stride_w = sp.s[1], .pad_top = sp.pads[0],
                               .pad_left = sp.pads[1], .pad_bottom = sp.pads[2],
                               .pad_right = sp.pads[3]};
    int is_max = !strcmp(n->op_type, "MaxPool");
    int in = onnx_act_layout(c, x, 1);
    int t = in < 0 ? -1 : onnx_emit(c, n, out->name, "", is_max ? FAST_OP_MAXPOOL
                                                                : FAST_OP_AVGPOOL, &in, 1, &a);
    if (t < 0)
        return -1;
    onnx_bind(c, out, t, 1);
    return 0;
}

static int map_global_pool(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0), *out = onnx_output(c, n, 0);
    if (!x || !out)
        return x ? 0 : -1;
    if (x->shape.rank != 4)
        return onnx_fail(c, n, NULL, "only [N,C,H,W] inputs (got rank %d)", x->shape.rank);
    int in = onnx_act_layout(c, x, 1);
    int t = in < 0 ? -1 : onnx_emit(c, n, out->name, "", FAST_OP_GLOBALPOOL, &in, 1, NULL);
    if (t < 0)
        return -1;
    onnx_bind(c, out, t, 1);
    return 0;
}

static int map_resize(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0), *out = onnx_output(c, n, 0);
    if (!x || !out)
        return x ? 0 : -1;
    int r = x->shape.rank;
    double scales[ONNX_MAX_RANK];
    int64_t sizes[ONNX_MAX_RANK], axes[ONNX_MAX_RANK], dims[ONNX_MAX_RANK];
    int n_scales = -1, n_sizes = -1;
    onnx_value *sv = NULL, *zv = NULL;
    if (!strcmp(n->op_type, "Upsample") && c->opset < 9) {
        const Onnx__AttributeProto *a = onnx_attr(n, "scales");
        if (!a || a->n_floats != (size_t)r)
            return onnx_fail(c, n, NULL, "scales must have one value per dimension");
        for (int i = 0; i < r; i++)
            scales[i] = a->floats[i];
        n_scales = r;
    } else if (!strcmp(n->op_type, "Upsample") || c->opset < 11) {
        sv = onnx_input(c, n, 1);
    } else {
        sv = onnx_input(c, n, 2);
        zv = onnx_input(c, n, 3);
    }
    if (zv && (zv->kind != ONNX_V_CONST || zv->c.n > 0)) {
        n_sizes = onnx_const_ints(c, n, zv, sizes, ONNX_MAX_RANK);
        if (n_sizes < 0)
            return -1;
    } else if (sv) {
        if (sv->kind != ONNX_V_CONST || !sv->c.has_data)
            return onnx_fail(c, n, sv->name, "scales must be a constant");
        if (sv->c.n > ONNX_MAX_RANK)
            return onnx_fail(c, n, sv->name, "too many scales");
        n_scales = (int)sv->c.n;
        for (int i = 0; i < n_scales; i++)
            scales[i] = sv->c.f ? sv->c.f[i] : (double)sv->c.i[i];
    }
    if (n_sizes < 0 && n_scales < 0)
        return onnx_fail(c, n, NULL, "neither scales nor sizes given");
    int na = onnx_attr_ints(n, "axes", axes, ONNX_MAX_RANK);
    int cnt = n_sizes >= 0 ? n_sizes : n_scales;
    if (na < 0) {
        na = r;
        for (int i = 0; i < r; i++)
            axes[i] = i;
    }
    if (cnt != na)
        return onnx_fail(c, n, NULL, "%d scales or sizes for %d axes", cnt, na);
    for (int i = 0; i < r; i++)
        dims[i] = x->shape.d[i];
    for (int i = 0; i < na; i++) {
        int64_t a = axes[i] < 0 ? axes[i] + r : axes[i];
        if (a < 0 || a >= r)
            return onnx_fail(c, n, NULL, "axis %lld out of range", (long long)axes[i]);
        dims[a] = n_sizes >= 0 ? sizes[i] : (int64_t)floor((double)x->shape.d[a] * scales[i]);
    }
    fast_shape s;
    if (check_shape(c, n, &s, r, dims))
        return -1;
    return vector_op(c, n, out, FAST_OP_VECTOR, n->op_type, &x->t, 1, s, x->nhwc, 0);
}

/* ---- shapes and data movement ------------------------------------------------------------------ */

/* Reshape, Flatten, Squeeze, Unsqueeze of an activation: a reshape to the ONNX result. */
static int map_reshape(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0), *out = onnx_output(c, n, 0);
    if (!x || !out)
        return x ? 0 : -1;
    const char *op = n->op_type;
    const fast_shape *xs = &x->shape;
    int64_t dims[ONNX_MAX_RANK + FAST_MAX_RANK];
    int r = 0;
    if (!strcmp(op, "Reshape")) {
        int64_t shape[ONNX_MAX_RANK];
        int ns = onnx_input(c, n, 1) ? onnx_const_ints(c, n, onnx_input(c, n, 1), shape,
                                                      ONNX_MAX_RANK)
                                     : onnx_attr_ints(n, "shape", shape, ONNX_MAX_RANK);
        if (ns < 0)
            return ns == -1 && !onnx_input(c, n, 1) ? onnx_fail(c, n, NULL, "no shape") : -1;
        if (onnx_reshape_dims(c, n, xs->rank, xs->d, shape, ns, dims))
            return -1;
        r = ns;
    } else if (!strcmp(op, "Flatten")) {
        int64_t ax = onnx_attr_int(n, "axis", 1);
        ax = ax < 0 ? ax + xs->rank : ax;
        if (ax < 0 || ax > xs->rank)
            return onnx_fail(c, n, NULL, "axis out of range for rank %d", xs->rank);
        dims[0] = dims[1] = 1;
        for (int i = 0; i < xs->rank; i++)
            dims[i < ax ? 0 : 1] *= xs->d[i];
        r = 2;
    } else {
        int64_t axes[ONNX_MAX_RANK];
        int na = onnx_get_axes(c, n, axes);
        if (na == -1)
            return -1;
        int is_sq = !strcmp(op, "Squeeze");
        int out_r = is_sq ? xs->rank : xs->rank + (na > 0 ? na : 0);
        int mark[ONNX_MAX_RANK + FAST_MAX_RANK] = {0};
        if (!is_sq && na < 1)
            return onnx_fail(c, n, NULL, "no axes");
        for (int i = 0; i < na; i++) {
            int64_t a = axes[i] < 0 ? axes[i] + out_r : axes[i];
            if (a < 0 || a >= out_r)
                return onnx_fail(c, n, NULL, "axis %lld out of range", (long long)axes[i]);
            if (is_sq && xs->d[a] != 1)
                return onnx_fail(c, n, NULL, "squeezes dimension %lld of size %lld",
                                 (long long)a, (long long)xs->d[a]);
            mark[a] = 1;
        }
        for (int i = 0, j = 0; i < out_r; i++) {
            if (is_sq) {
                if (!(na > 0 ? mark[i] : xs->d[i] == 1))
                    dims[r++] = xs->d[i];
            } else {
                dims[r++] = mark[i] ? 1 : xs->d[j++];
            }
        }
    }
    fast_shape s;
    if (check_shape(c, n, &s, r, dims))
        return -1;
    if (!x->nhwc && fast_shape_equal(&s, xs)) {
        alias(out, x);
        return 0;
    }
    fast_op_attrs a = zero_attrs();
    a.shape = s;
    int t = onnx_emit(c, n, out->name, "", FAST_OP_RESHAPE, &x->t, 1, &a);
    if (t < 0)
        return -1;
    onnx_bind(c, out, t, 0);
    return 0;
}

/* 1 when perm moves no data: dimensions of size > 1 keep their order. */
static int perm_is_view(const fast_shape *in, const int *perm, int r)
{
    int last = -1;
    for (int i = 0; i < r; i++) {
        if (in->d[perm[i]] == 1)
            continue;
        if (perm[i] < last)
            return 0;
        last = perm[i];
    }
    return 1;
}

static int map_transpose(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0), *out = onnx_output(c, n, 0);
    if (!x || !out)
        return x ? 0 : -1;
    int r = x->shape.rank;
    int64_t p[ONNX_MAX_RANK];
    int np = onnx_attr_ints(n, "perm", p, ONNX_MAX_RANK);
    if (np < 0) {
        np = r;
        for (int i = 0; i < r; i++)
            p[i] = r - 1 - i;
    }
    int seen[ONNX_MAX_RANK] = {0};
    if (np != r)
        return onnx_fail(c, n, NULL, "perm has %d axes, the input rank %d", np, r);
    for (int i = 0; i < r; i++)
        if (p[i] < 0 || p[i] >= r || seen[p[i]]++)
            return onnx_fail(c, n, NULL, "perm is not a permutation of 0..%d", r - 1);
    const fast_shape *irs = &c->g->tensors[x->t].shape;
    /* Try both layouts of the result; prefer the one that moves no data. */
    int best_nhwc = 0;
    int perm[2][FAST_MAX_RANK];
    for (int lay = 0; lay < 2; lay++) {
        if (lay == 1 && r != 4)
            break;
        for (int i = 0; i < r; i++) {
            int oi = lay ? (int[]){0, 2, 3, 1}[i] : i; /* ONNX axis at IR position i */
            int64_t src = p[oi];
            perm[lay][i] = x->nhwc ? nhwc_axis[src] : (int)src;
        }
        if (perm_is_view(irs, perm[lay], r)) {
            best_nhwc = lay;
            fast_op_attrs a = zero_attrs();
            fast_shape s;
            for (int i = 0; i < r; i++)
                s.d[i] = irs->d[perm[lay][i]];
            s.rank = r;
            a.shape = s;
            int t = onnx_emit(c, n, out->name, "", FAST_OP_RESHAPE, &x->t, 1, &a);
            if (t < 0)
                return -1;
            onnx_bind(c, out, t, lay);
            return 0;
        }
    }
    fast_op_attrs a = zero_attrs();
    memcpy(a.perm, perm[best_nhwc], sizeof a.perm);
    int t = onnx_emit(c, n, out->name, "", FAST_OP_TRANSPOSE, &x->t, 1, &a);
    if (t < 0)
        return -1;
    onnx_bind(c, out, t, 0);
    return 0;
}

static int map_concat(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *out = onnx_output(c, n, 0);
    if (!out)
        return 0;
    onnx_value *in[256];
    int na = 0, any_const = 0, nhwc = 0;
    for (size_t i = 0; i < n->n_input; i++) {
        onnx_value *v = onnx_input(c, n, (int)i);
        if (!v)
            continue;
        if (na == 256)
            return onnx_fail(c, n, NULL, "more than 256 inputs");
        if (v->kind != ONNX_V_ACT) {
            any_const = 1;
            continue;
        }
        in[na++] = v;
        nhwc |= v->nhwc;
    }
    if (na == 0)
        return onnx_fail(c, n, NULL, "no activation input");
    int r = in[0]->shape.rank;
    int64_t axis = onnx_attr_int(n, "axis", 0), ax = axis < 0 ? axis + r : axis;
    if (ax < 0 || ax >= r)
        return onnx_fail(c, n, NULL, "axis %lld out of range for rank %d", (long long)axis, r);
    fast_shape s = in[0]->shape;
    s.d[ax] = 0;
    int64_t params = 0;
    for (size_t i = 0; i < n->n_input; i++) {
        onnx_value *v = onnx_input(c, n, (int)i);
        if (!v)
            continue;
        int rv = v->kind == ONNX_V_ACT ? v->shape.rank : v->c.rank;
        const int64_t *dv = v->kind == ONNX_V_ACT ? v->shape.d : v->c.dims;
        if (rv != r)
            return onnx_fail(c, n, v->name, "input %zu has rank %d, input 0 rank %d", i, rv, r);
        for (int j = 0; j < r; j++)
            if (j != ax && dv[j] != s.d[j])
                return onnx_fail(c, n, v->name, "input %zu differs from the first in "
                                 "dimension %d (%lld, not %lld)", i, j, (long long)dv[j],
                                 (long long)s.d[j]);
        s.d[ax] += dv[ax];
        if (v->kind == ONNX_V_CONST && is_float(v->c.dtype))
            params += v->c.n;
    }
    nhwc = nhwc && r == 4;
    int ins[256];
    for (int i = 0; i < na; i++)
        if ((ins[i] = onnx_act_layout(c, in[i], nhwc)) < 0)
            return -1;
    if (any_const)
        return vector_op(c, n, out, FAST_OP_VECTOR, "Concat", ins, na, s, nhwc, params);
    if (na == 1) {
        alias(out, in[0]);
        return 0;
    }
    fast_op_attrs a = zero_attrs();
    a.axis = nhwc ? nhwc_axis[ax] : (int)ax;
    /* The IR concatenates at most 8 tensors at once: longer lists chain. */
    int t = -1, first = 0;
    for (int part = 0; first < na; part++) {
        int take = na - first, group[FAST_OP_MAX_IN], k = 0;
        if (t >= 0)
            group[k++] = t;
        while (k < FAST_OP_MAX_IN && first < na)
            group[k++] = ins[first++];
        (void)take;
        char suffix[32];
        snprintf(suffix, sizeof suffix, first < na ? ".part%d" : "", part);
        if (k == 1) {
            t = group[0];
            break;
        }
        t = onnx_emit(c, n, out->name, suffix, FAST_OP_CONCAT, group, k, &a);
        if (t < 0)
            return -1;
    }
    onnx_bind(c, out, t, nhwc);
    return 0;
}

static int map_slice(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0), *out = onnx_output(c, n, 0);
    if (!x || !out)
        return x ? 0 : -1;
    int64_t start[ONNX_MAX_RANK], step[ONNX_MAX_RANK], len[ONNX_MAX_RANK];
    if (onnx_slice_params(c, n, x->shape.rank, x->shape.d, start, step, len))
        return -1;
    fast_shape s;
    if (check_shape(c, n, &s, x->shape.rank, len))
        return -1;
    if (fast_shape_equal(&s, &x->shape)) {
        alias(out, x);
        return 0;
    }
    return vector_op(c, n, out, FAST_OP_VECTOR, "Slice", &x->t, 1, s, x->nhwc, 0);
}

static int map_split(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0);
    if (!x)
        return -1;
    int r = x->shape.rank;
    int64_t axis = onnx_attr_int(n, "axis", 0), ax = axis < 0 ? axis + r : axis;
    if (ax < 0 || ax >= r)
        return onnx_fail(c, n, NULL, "axis %lld out of range for rank %d", (long long)axis, r);
    int64_t sizes[64];
    int no = (int)n->n_output;
    int ns = onnx_attr_ints(n, "split", sizes, 64);
    if (ns < 0 && onnx_input(c, n, 1))
        ns = onnx_const_ints(c, n, onnx_input(c, n, 1), sizes, 64);
    else if (ns < 0 && no > 64)
        return onnx_fail(c, n, NULL, "more than 64 outputs");
    if (ns == -1 && onnx_input(c, n, 1))
        return -1;
    if (ns < 0) {
        int64_t part = (x->shape.d[ax] + no - 1) / no;
        for (int i = 0; i < no; i++) {
            int64_t left = x->shape.d[ax] - part * i;
            sizes[i] = left < part ? (left > 0 ? left : 0) : part;
        }
        ns = no;
    }
    int64_t total = 0;
    for (int i = 0; i < ns; i++)
        total += sizes[i];
    if (ns != no || total != x->shape.d[ax])
        return onnx_fail(c, n, NULL, "split sizes (%d, adding up to %lld) do not cut %d "
                         "outputs from %lld", ns, (long long)total, no,
                         (long long)x->shape.d[ax]);
    for (int o = 0; o < no; o++) {
        onnx_value *out = onnx_output(c, n, o);
        if (!out)
            continue;
        fast_shape s = x->shape;
        s.d[ax] = sizes[o];
        if (check_shape(c, n, &s, s.rank, s.d))
            return -1;
        if (fast_shape_equal(&s, &x->shape))
            alias(out, x);
        else if (vector_op(c, n, out, FAST_OP_VECTOR, "Split", &x->t, 1, s, x->nhwc, 0))
            return -1;
    }
    return 0;
}

static int map_pad(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0), *out = onnx_output(c, n, 0);
    if (!x || !out)
        return x ? 0 : -1;
    int r = x->shape.rank;
    int64_t pads[2 * ONNX_MAX_RANK], axes[ONNX_MAX_RANK];
    int np = c->opset < 11 ? onnx_attr_ints(n, "pads", pads, 2 * ONNX_MAX_RANK)
                           : onnx_const_ints(c, n, onnx_input(c, n, 1), pads, 2 * ONNX_MAX_RANK);
    if (np < 0)
        return c->opset < 11 ? onnx_fail(c, n, NULL, "no pads") : -1;
    int na = r;
    for (int i = 0; i < r; i++)
        axes[i] = i;
    if (onnx_input(c, n, 3)) {
        na = onnx_const_ints(c, n, onnx_input(c, n, 3), axes, ONNX_MAX_RANK);
        if (na < 0)
            return -1;
    }
    if (np != 2 * na)
        return onnx_fail(c, n, NULL, "%d pads for %d axes", np, na);
    int64_t dims[ONNX_MAX_RANK];
    for (int i = 0; i < r; i++)
        dims[i] = x->shape.d[i];
    for (int i = 0; i < na; i++) {
        int64_t a = axes[i] < 0 ? axes[i] + r : axes[i];
        if (a < 0 || a >= r)
            return onnx_fail(c, n, NULL, "axis %lld out of range", (long long)axes[i]);
        dims[a] += pads[i] + pads[i + na];
    }
    fast_shape s;
    if (check_shape(c, n, &s, r, dims))
        return -1;
    if (fast_shape_equal(&s, &x->shape)) {
        alias(out, x);
        return 0;
    }
    return vector_op(c, n, out, FAST_OP_VECTOR, "Pad", &x->t, 1, s, x->nhwc, 0);
}

static int map_gather(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *data = onnx_input(c, n, 0), *ix = onnx_input(c, n, 1);
    onnx_value *out = onnx_output(c, n, 0);
    if (!data || !ix || !out)
        return onnx_fail(c, n, NULL, "needs data and indices");
    int rd = data->kind == ONNX_V_ACT ? data->shape.rank : data->c.rank;
    int ri = ix->kind == ONNX_V_ACT ? ix->shape.rank : ix->c.rank;
    const int64_t *dd = data->kind == ONNX_V_ACT ? data->shape.d : data->c.dims;
    const int64_t *di = ix->kind == ONNX_V_ACT ? ix->shape.d : ix->c.dims;
    int64_t axis = onnx_attr_int(n, "axis", 0), ax = axis < 0 ? axis + rd : axis;
    if (ax < 0 || ax >= rd)
        return onnx_fail(c, n, NULL, "axis %lld out of range for rank %d", (long long)axis, rd);
    int64_t dims[2 * ONNX_MAX_RANK];
    int r = 0;
    for (int i = 0; i < ax; i++)
        dims[r++] = dd[i];
    for (int i = 0; i < ri; i++)
        dims[r++] = di[i];
    for (int i = (int)ax + 1; i < rd; i++)
        dims[r++] = dd[i];
    fast_shape s;
    if (check_shape(c, n, &s, r, dims))
        return -1;
    if (data->kind == ONNX_V_CONST && ix->kind == ONNX_V_ACT) {
        int it = onnx_act_layout(c, ix, 0);
        if (it < 0)
            return -1;
        if (rd == 2 && ax == 0 && c->g->tensors[it].elem == FAST_ELEM_INT32 && ri < FAST_MAX_RANK) {
            fast_op_attrs a = zero_attrs();
            a.vocab = dd[0];
            a.units = dd[1];
            int t = onnx_emit(c, n, out->name, "", FAST_OP_EMBEDDING, &it, 1, &a);
            if (t < 0)
                return -1;
            onnx_bind(c, out, t, 0);
            return 0;
        }
        return vector_op(c, n, out, FAST_OP_VECTOR, "Gather", &it, 1, s, 0,
                         is_float(data->c.dtype) ? data->c.n : 0);
    }
    if (data->kind != ONNX_V_ACT)
        return onnx_fail(c, n, NULL, "data and indices are not activations or constants");
    int dt = onnx_act_layout(c, data, 0);
    if (dt < 0)
        return -1;
    int ins[2] = {dt, ix->kind == ONNX_V_ACT ? onnx_act_layout(c, ix, 0) : -1};
    return vector_op(c, n, out, FAST_OP_VECTOR, "Gather", ins, ins[1] >= 0 ? 2 : 1, s, 0, 0);
}

/* Reductions and ArgMax/ArgMin of an activation: a vector op of the reduced shape. */
static int map_reduce(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0), *out = onnx_output(c, n, 0);
    if (!x || !out)
        return x ? 0 : -1;
    int r = x->shape.rank, red[FAST_MAX_RANK] = {0};
    int64_t axes[ONNX_MAX_RANK];
    int na;
    if (!strncmp(n->op_type, "Arg", 3)) {
        axes[0] = onnx_attr_int(n, "axis", 0);
        na = 1;
    } else {
        na = onnx_get_axes(c, n, axes);
        if (na == -1)
            return -1;
    }
    if (na <= 0) {
        if (onnx_attr_int(n, "noop_with_empty_axes", 0)) {
            alias(out, x);
            return 0;
        }
        for (int i = 0; i < r; i++)
            red[i] = 1;
    }
    for (int i = 0; i < na; i++) {
        int64_t a = axes[i] < 0 ? axes[i] + r : axes[i];
        if (a < 0 || a >= r)
            return onnx_fail(c, n, NULL, "axis %lld out of range for rank %d",
                             (long long)axes[i], r);
        red[a] = 1;
    }
    int keep = (int)onnx_attr_int(n, "keepdims", 1), k = 0;
    int64_t dims[FAST_MAX_RANK];
    for (int i = 0; i < r; i++)
        if (!red[i] || keep)
            dims[k++] = red[i] ? 1 : x->shape.d[i];
    fast_shape s;
    if (check_shape(c, n, &s, k, dims))
        return -1;
    return vector_op(c, n, out, FAST_OP_VECTOR, n->op_type, &x->t, 1, s,
                     x->nhwc && keep, 0);
}

static int map_expand(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_value *x = need_act(c, n, 0), *out = onnx_output(c, n, 0);
    if (!x || !out)
        return x ? 0 : -1;
    int64_t sh[ONNX_MAX_RANK], dims[ONNX_MAX_RANK];
    int ns = onnx_const_ints(c, n, onnx_input(c, n, 1), sh, ONNX_MAX_RANK), r = x->shape.rank;
    if (ns < 0)
        return -1;
    if (!strcmp(n->op_type, "Tile")) {
        if (ns != r)
            return onnx_fail(c, n, NULL, "repeats has %d values, the input rank %d", ns, r);
        for (int i = 0; i < r; i++)
            dims[i] = x->shape.d[i] * sh[i];
    } else {
        int rr = r > ns ? r : ns;
        for (int i = 0; i < rr; i++) {
            int64_t a = i < rr - r ? 1 : x->shape.d[i - (rr - r)];
            int64_t b = i < rr - ns ? 1 : sh[i - (rr - ns)];
            if (a != b && a != 1 && b != 1)
                return onnx_fail(c, n, NULL, "shape does not broadcast with the input");
            dims[i] = a == 1 ? b : a;
        }
        r = rr;
    }
    fast_shape s;
    if (check_shape(c, n, &s, r, dims))
        return -1;
    if (fast_shape_equal(&s, &x->shape)) {
        alias(out, x);
        return 0;
    }
    return vector_op(c, n, out, FAST_OP_VECTOR, n->op_type, &x->t, 1, s, x->nhwc, 0);
}

/* Operators that compute only from constants here (their results fold away). */
static int map_const_only(onnx_ctx *c, const Onnx__NodeProto *n)
{
    return onnx_fail(c, n, NULL, "needs constant inputs here, but they depend on the "
                     "activations");
}

/* ---- the table --------------------------------------------------------------------------------- */

typedef int (*map_fn)(onnx_ctx *c, const Onnx__NodeProto *n);

typedef struct op_entry {
    const char *op;
    map_fn fn;
} op_entry;

static const op_entry op_table[] = {
    {"Conv", map_conv},
    {"ConvTranspose", map_conv_transpose},
    {"Gemm", map_gemm},
    {"MatMul", map_matmul},
    {"Add", map_eltwise}, {"Sub", map_eltwise}, {"Mul", map_eltwise}, {"Div", map_eltwise},
    {"Pow", map_eltwise}, {"Max", map_eltwise}, {"Min", map_eltwise}, {"Mod", map_eltwise},
    {"Sum", map_eltwise}, {"Mean", map_eltwise}, {"PRelu", map_eltwise},
    {"Where", map_eltwise}, {"Equal", map_eltwise}, {"Less", map_eltwise},
    {"Greater", map_eltwise}, {"LessOrEqual", map_eltwise}, {"GreaterOrEqual", map_eltwise},
    {"And", map_eltwise}, {"Or", map_eltwise}, {"Xor", map_eltwise},
    {"Relu", map_unary}, {"Sigmoid", map_unary}, {"HardSigmoid", map_unary},
    {"Tanh", map_unary}, {"HardSwish", map_unary}, {"Gelu", map_unary},
    {"LeakyRelu", map_unary}, {"Elu", map_unary}, {"Selu", map_unary}, {"Celu", map_unary},
    {"Softplus", map_unary}, {"Softsign", map_unary}, {"Mish", map_unary},
    {"ThresholdedRelu", map_unary}, {"Shrink", map_unary}, {"Exp", map_unary},
    {"Log", map_unary}, {"Neg", map_unary}, {"Abs", map_unary}, {"Reciprocal", map_unary},
    {"Sqrt", map_unary}, {"Floor", map_unary}, {"Ceil", map_unary}, {"Round", map_unary},
    {"Sign", map_unary}, {"Not", map_unary}, {"Erf", map_unary}, {"Sin", map_unary},
    {"Cos", map_unary}, {"IsNaN", map_unary}, {"IsInf", map_unary},
    {"Identity", map_unary}, {"Dropout", map_unary}, {"Cast", map_unary},
    {"CastLike", map_unary},
    {"Clip", map_clip},
    {"Softmax", map_softmax}, {"LogSoftmax", map_softmax}, {"Hardmax", map_softmax},
    {"BatchNormalization", map_batchnorm},
    {"LayerNormalization", map_layernorm},
    {"InstanceNormalization", map_norm_other}, {"GroupNormalization", map_norm_other},
    {"LpNormalization", map_norm_other}, {"MeanVarianceNormalization", map_norm_other},
    {"AveragePool", map_pool}, {"MaxPool", map_pool},
    {"GlobalAveragePool", map_global_pool}, {"GlobalMaxPool", map_global_pool},
    {"Resize", map_resize}, {"Upsample", map_resize},
    {"Reshape", map_reshape}, {"Flatten", map_reshape}, {"Squeeze", map_reshape},
    {"Unsqueeze", map_reshape},
    {"Transpose", map_transpose},
    {"Concat", map_concat},
    {"Slice", map_slice},
    {"Split", map_split},
    {"Pad", map_pad},
    {"Gather", map_gather},
    {"ReduceMean", map_reduce}, {"ReduceSum", map_reduce}, {"ReduceMax", map_reduce},
    {"ReduceMin", map_reduce}, {"ReduceProd", map_reduce}, {"ReduceL1", map_reduce},
    {"ReduceL2", map_reduce}, {"ReduceSumSquare", map_reduce},
    {"ReduceLogSumExp", map_reduce}, {"ArgMax", map_reduce}, {"ArgMin", map_reduce},
    {"Expand", map_expand}, {"Tile", map_expand},
    {"Shape", map_const_only}, {"Size", map_const_only}, {"ConstantOfShape", map_const_only},
    {"Range", map_const_only}, {"Constant", map_const_only},
    {NULL, NULL},
};

static const op_entry *find_op(const Onnx__NodeProto *n)
{
    const char *dom = n->domain ? n->domain : "";
    if (dom[0] && strcmp(dom, "ai.onnx"))
        return NULL;
    for (int i = 0; op_table[i].op; i++)
        if (!strcmp(op_table[i].op, n->op_type))
            return &op_table[i];
    return NULL;
}

int onnx_supported(const Onnx__NodeProto *n)
{
    return find_op(n) != NULL;
}

int onnx_map_node(onnx_ctx *c, int k)
{
    const Onnx__NodeProto *n = c->gp->node[k];
    const op_entry *e = find_op(n);
    if (!e)
        return onnx_fail(c, n, NULL, "unsupported operator");
    /* Inputs that are neither activations nor constants come from an unmapped producer. */
    for (size_t i = 0; i < n->n_input; i++) {
        onnx_value *v = onnx_input(c, n, (int)i);
        if (v && v->kind == ONNX_V_UNSET)
            return onnx_fail(c, n, v->name, "input %zu has no value (a graph input without "
                             "a shape, or an unmapped producer)", i);
    }
    return e->fn(c, n);
}

int onnx_map_unsupported(onnx_ctx *c, int k)
{
    const Onnx__NodeProto *n = c->gp->node[k];
    int ins[FAST_OP_MAX_IN], na = 0;
    int64_t params = 0;
    for (size_t i = 0; i < n->n_input; i++) {
        onnx_value *v = onnx_input(c, n, (int)i);
        if (!v)
            continue;
        if (v->kind == ONNX_V_ACT && na < FAST_OP_MAX_IN)
            ins[na++] = v->t;
        else if (v->kind == ONNX_V_CONST && is_float(v->c.dtype))
            params += v->c.n;
    }
    if (na == 0)
        return onnx_fail(c, n, NULL, "unsupported operator without an activation input");
    char what[64];
    const char *dom = n->domain ? n->domain : "";
    snprintf(what, sizeof what, "%s%s%s", dom[0] && strcmp(dom, "ai.onnx") ? dom : "",
             dom[0] && strcmp(dom, "ai.onnx") ? "." : "", n->op_type);
    for (size_t o = 0; o < n->n_output; o++) {
        onnx_value *out = onnx_output(c, n, (int)o);
        if (!out)
            continue;
        fast_shape s;
        if (onnx_declared_shape(c, out->name, &s) < 0)
            return onnx_fail(c, n, out->name, "unsupported operator whose output shape the "
                             "file does not declare (value_info); cannot import it");
        if (vector_op(c, n, out, FAST_OP_UNSUPPORTED, what, ins, na, s, 0, o ? 0 : params))
            return -1;
    }
    return 0;
}
