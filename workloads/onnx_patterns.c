/* ONNX import: node patterns that exporters emit for one operation, imported as that one
 * IR op (decomposed layernorm, GELU from Erf, hard-swish and swish). A pattern is tried at
 * the node that every other node of it depends on, so its other nodes are all still
 * unmapped; every inner value must be read only inside the pattern. */
#include <math.h>
#include <string.h>

#include "workloads/onnx_impl.h"

enum { MAX_PAT = 12 };

static int is_op(const Onnx__NodeProto *n, const char *op)
{
    return (!n->domain || !n->domain[0] || !strcmp(n->domain, "ai.onnx")) &&
           !strcmp(n->op_type, op);
}

static int value_index(const onnx_ctx *c, const onnx_value *v)
{
    return (int)(v - c->v);
}

/* The one node that reads output 0 of node k, or -1 (also when it is a graph output). */
static int sole_consumer(const onnx_ctx *c, int k)
{
    const Onnx__NodeProto *n = c->gp->node[k];
    if (n->n_output < 1)
        return -1;
    int v = onnx_find(c, n->output[0]);
    if (v < 0 || c->v[v].is_output || c->v[v].n_consumers != 1 ||
        c->cons_off[v + 1] - c->cons_off[v] != 1)
        return -1;
    return c->cons[c->cons_off[v]];
}

/* The scalar value of a constant with one element, or NAN. */
static double scalar(const onnx_value *v)
{
    if (!v || v->kind != ONNX_V_CONST || !v->c.has_data || v->c.n != 1)
        return NAN;
    return v->c.f ? v->c.f[0] : (double)v->c.i[0];
}

static int near(double a, double b)
{
    return fabs(a - b) <= 1e-3 * (fabs(b) > 1 ? fabs(b) : 1);
}

/* For a two-input node reading value x: the other input (NULL unless exactly one is x). */
static onnx_value *other_input(onnx_ctx *c, const Onnx__NodeProto *n, const onnx_value *x)
{
    if (n->n_input != 2)
        return NULL;
    onnx_value *a = onnx_input(c, n, 0), *b = onnx_input(c, n, 1);
    if (a == x && b != x)
        return b;
    if (b == x && a != x)
        return a;
    return NULL;
}

/* Output 0 of node k. */
static onnx_value *out0(onnx_ctx *c, int k)
{
    return onnx_output(c, c->gp->node[k], 0);
}

/* Emits the IR op of a matched pattern: nodes[0] is the trigger, nodes[n - 1] writes the
 * result. All others must still be unmapped. */
static int emit(onnx_ctx *c, const int *nodes, int n_nodes, onnx_value *x, fast_op_type type,
                int nhwc)
{
    for (int i = 1; i < n_nodes; i++) {
        if (c->skip[nodes[i]])
            return 0;
        const Onnx__NodeProto *nd = c->gp->node[nodes[i]];
        for (size_t o = 0; o < nd->n_output; o++) {
            onnx_value *v = onnx_output(c, nd, (int)o);
            if (v && v->kind != ONNX_V_UNSET)
                return 0;
        }
    }
    const Onnx__NodeProto *last = c->gp->node[nodes[n_nodes - 1]];
    onnx_value *out = out0(c, nodes[n_nodes - 1]);
    if (!out)
        return 0;
    int in = onnx_act_layout(c, x, nhwc);
    int t = in < 0 ? -1 : onnx_emit(c, last, out->name, "", type, &in, 1, NULL);
    if (t < 0)
        return -1;
    onnx_bind(c, out, t, nhwc);
    for (int i = 1; i < n_nodes; i++)
        c->skip[nodes[i]] = 1;
    return 1;
}

/* The single reduced axis of a ReduceMean, normalized; -1 unless it is the last one. */
static int last_axis_mean(onnx_ctx *c, const Onnx__NodeProto *n, int rank)
{
    if (!is_op(n, "ReduceMean") || onnx_attr_int(n, "keepdims", 1) != 1)
        return -1;
    int64_t axes[ONNX_MAX_RANK];
    int k = onnx_attr_ints(n, "axes", axes, ONNX_MAX_RANK);
    if (k < 0) {
        onnx_value *v = onnx_input(c, n, 1);
        if (!v || v->kind != ONNX_V_CONST || !v->c.has_data || v->c.n != 1)
            return -1;
        axes[0] = v->c.i ? v->c.i[0] : (int64_t)v->c.f[0];
        k = 1;
    }
    if (k != 1)
        return -1;
    return axes[0] == -1 || axes[0] == rank - 1 ? 0 : -1;
}

/* ReduceMean(x) -> Sub(x, mean) -> Pow(d, 2) -> ReduceMean -> Add(eps) -> Sqrt -> Div(d, .)
 * -> Mul(gamma) -> Add(beta): layernorm over the last axis (with its 2 * C params). */
static int try_layernorm(onnx_ctx *c, int k)
{
    const Onnx__NodeProto *r1 = c->gp->node[k];
    onnx_value *x = onnx_input(c, r1, 0);
    if (!x || x->kind != ONNX_V_ACT || last_axis_mean(c, r1, x->shape.rank))
        return 0;
    int64_t ch = x->shape.d[x->shape.rank - 1];
    int nodes[MAX_PAT], nn = 0;
    nodes[nn++] = k;
    int s = sole_consumer(c, k);
    if (s < 0 || !is_op(c->gp->node[s], "Sub") || onnx_input(c, c->gp->node[s], 0) != x ||
        onnx_input(c, c->gp->node[s], 1) != out0(c, k))
        return 0;
    nodes[nn++] = s;
    onnx_value *d = out0(c, s);
    int dv = value_index(c, d);
    if (!d || d->is_output || d->n_consumers != 2 || c->cons_off[dv + 1] - c->cons_off[dv] != 2)
        return 0;
    int p = c->cons[c->cons_off[dv]], q = c->cons[c->cons_off[dv] + 1];
    if (is_op(c->gp->node[q], "Pow")) {
        int t = p;
        p = q;
        q = t;
    }
    const Onnx__NodeProto *pn = c->gp->node[p], *div = c->gp->node[q];
    if (!is_op(pn, "Pow") || onnx_input(c, pn, 0) != d || !near(scalar(onnx_input(c, pn, 1)), 2))
        return 0;
    if (!is_op(div, "Div") || onnx_input(c, div, 0) != d)
        return 0;
    nodes[nn++] = p;
    int r2 = sole_consumer(c, p);
    if (r2 < 0 || last_axis_mean(c, c->gp->node[r2], x->shape.rank))
        return 0;
    nodes[nn++] = r2;
    int e = sole_consumer(c, r2);
    if (e < 0 || !is_op(c->gp->node[e], "Add"))
        return 0;
    onnx_value *eps = other_input(c, c->gp->node[e], out0(c, r2));
    if (!(scalar(eps) >= 0 && scalar(eps) < 1e-2))
        return 0;
    nodes[nn++] = e;
    int sq = sole_consumer(c, e);
    if (sq < 0 || !is_op(c->gp->node[sq], "Sqrt") || sole_consumer(c, sq) != q ||
        onnx_input(c, div, 1) != out0(c, sq))
        return 0;
    nodes[nn++] = sq;
    nodes[nn++] = q;
    /* The affine pair: without it the pattern has no params and stays decomposed. */
    int g = sole_consumer(c, q);
    if (g < 0 || !is_op(c->gp->node[g], "Mul"))
        return 0;
    onnx_value *gamma = other_input(c, c->gp->node[g], out0(c, q));
    if (!gamma || gamma->kind != ONNX_V_CONST || gamma->c.n != ch)
        return 0;
    int b = sole_consumer(c, g);
    if (b < 0 || !is_op(c->gp->node[b], "Add"))
        return 0;
    onnx_value *beta = other_input(c, c->gp->node[b], out0(c, g));
    if (!beta || beta->kind != ONNX_V_CONST || beta->c.n != ch)
        return 0;
    nodes[nn++] = g;
    nodes[nn++] = b;
    return emit(c, nodes, nn, x, FAST_OP_LAYERNORM, 0);
}

/* x * 0.5 * (1 + Erf(x / sqrt 2)), in its two usual orders. The trigger is the Div (or Mul
 * by 1/sqrt 2) that feeds Erf, or the Mul(x, 0.5). */
static int try_gelu(onnx_ctx *c, int k)
{
    const Onnx__NodeProto *n = c->gp->node[k];
    if (!is_op(n, "Div") && !is_op(n, "Mul"))
        return 0;
    int nodes[MAX_PAT], nn = 0;
    int a = -1, half = -1, erf = -1;
    for (size_t i = 0; i < n->n_input && i < 2; i++) {
        onnx_value *x = onnx_input(c, n, (int)i);
        onnx_value *o = x ? other_input(c, n, x) : NULL;
        if (!x || x->kind != ONNX_V_ACT || !o)
            continue;
        double v = scalar(o);
        int cons = sole_consumer(c, k);
        if (cons >= 0 && is_op(c->gp->node[cons], "Erf") &&
            ((is_op(n, "Div") && i == 0 && near(v, sqrt(2.0))) ||
             (is_op(n, "Mul") && near(v, sqrt(0.5))))) {
            a = k;
            erf = cons;
        } else if (is_op(n, "Mul") && near(v, 0.5)) {
            half = k;
        }
        (void)x;
    }
    onnx_value *x = NULL;
    if (a < 0 && half < 0)
        return 0;
    /* From the Erf: Add(1), then the product with x (or with x * 0.5). */
    if (erf < 0) {
        /* Triggered by Mul(x, 0.5): find Erf through the Mul that consumes it. */
        int m = sole_consumer(c, half);
        if (m < 0 || !is_op(c->gp->node[m], "Mul"))
            return 0;
        onnx_value *p1 = other_input(c, c->gp->node[m], out0(c, half));
        if (!p1 || p1->producer < 0 || !is_op(c->gp->node[p1->producer], "Add"))
            return 0;
        const Onnx__NodeProto *add = c->gp->node[p1->producer];
        for (size_t i = 0; i < add->n_input; i++) {
            onnx_value *v = onnx_input(c, add, (int)i);
            if (v && v->producer >= 0 && is_op(c->gp->node[v->producer], "Erf"))
                erf = v->producer;
        }
        if (erf < 0)
            return 0;
        onnx_value *ein = onnx_input(c, c->gp->node[erf], 0);
        if (!ein || ein->producer < 0)
            return 0;
        a = ein->producer;
    }
    const Onnx__NodeProto *an = c->gp->node[a];
    x = onnx_input(c, an, 0);
    if (!x || x->kind != ONNX_V_ACT) {
        x = onnx_input(c, an, 1);
        if (!x || x->kind != ONNX_V_ACT)
            return 0;
    }
    if (sole_consumer(c, a) != erf)
        return 0;
    int p1 = sole_consumer(c, erf);
    if (p1 < 0 || !is_op(c->gp->node[p1], "Add") ||
        !near(scalar(other_input(c, c->gp->node[p1], out0(c, erf))), 1))
        return 0;
    int m = sole_consumer(c, p1);
    if (m < 0 || !is_op(c->gp->node[m], "Mul"))
        return 0;
    onnx_value *o = other_input(c, c->gp->node[m], out0(c, p1));
    nodes[nn++] = k;
    if (a != k)
        nodes[nn++] = a;
    nodes[nn++] = erf;
    nodes[nn++] = p1;
    if (o == x) {
        int h = sole_consumer(c, m);
        if (h < 0 || !is_op(c->gp->node[h], "Mul") ||
            !near(scalar(other_input(c, c->gp->node[h], out0(c, m))), 0.5))
            return 0;
        nodes[nn++] = m;
        nodes[nn++] = h;
    } else {
        if (!o || o->producer < 0)
            return 0;
        int h = o->producer;
        const Onnx__NodeProto *hn = c->gp->node[h];
        if (!is_op(hn, "Mul") || sole_consumer(c, h) != m || other_input(c, hn, x) == NULL ||
            !near(scalar(other_input(c, hn, x)), 0.5))
            return 0;
        if (h != k)
            nodes[nn++] = h;
        nodes[nn++] = m;
    }
    return emit(c, nodes, nn, x, FAST_OP_GELU, x->nhwc);
}

/* The [lo, hi] of a Clip node from attributes (before opset 11) or constant inputs. */
static int clip_range(onnx_ctx *c, const Onnx__NodeProto *n, double *lo, double *hi)
{
    if (c->opset < 11) {
        *lo = onnx_attr_float(n, "min", -INFINITY);
        *hi = onnx_attr_float(n, "max", INFINITY);
        return 0;
    }
    onnx_value *a = onnx_input(c, n, 1), *b = onnx_input(c, n, 2);
    *lo = a ? scalar(a) : -INFINITY;
    *hi = b ? scalar(b) : INFINITY;
    return isnan(*lo) || isnan(*hi) ? -1 : 0;
}

/* x * Clip(x + 3, 0, 6) / 6 and x * HardSigmoid(x): hard-swish, imported as swish. */
static int try_hswish(onnx_ctx *c, int k)
{
    const Onnx__NodeProto *n = c->gp->node[k];
    int nodes[MAX_PAT], nn = 0;
    onnx_value *x = NULL;
    nodes[nn++] = k;
    if (is_op(n, "HardSigmoid")) {
        x = onnx_input(c, n, 0);
        int m = sole_consumer(c, k);
        if (!x || x->kind != ONNX_V_ACT || m < 0 || !is_op(c->gp->node[m], "Mul") ||
            other_input(c, c->gp->node[m], out0(c, k)) != x ||
            !near(onnx_attr_float(n, "alpha", 0.2), 1.0 / 6) ||
            !near(onnx_attr_float(n, "beta", 0.5), 0.5))
            return 0;
        nodes[nn++] = m;
        return emit(c, nodes, nn, x, FAST_OP_SWISH, x->nhwc);
    }
    if (!is_op(n, "Add"))
        return 0;
    for (int i = 0; i < 2 && !x; i++) {
        onnx_value *v = onnx_input(c, n, i);
        if (v && v->kind == ONNX_V_ACT && near(scalar(other_input(c, n, v)), 3))
            x = v;
    }
    if (!x)
        return 0;
    int cl = sole_consumer(c, k);
    double lo, hi;
    if (cl < 0 || !is_op(c->gp->node[cl], "Clip") || clip_range(c, c->gp->node[cl], &lo, &hi) ||
        lo != 0 || hi != 6)
        return 0;
    int m = sole_consumer(c, cl);
    if (m < 0 || !is_op(c->gp->node[m], "Mul") ||
        other_input(c, c->gp->node[m], out0(c, cl)) != x)
        return 0;
    int dv = sole_consumer(c, m);
    if (dv < 0)
        return 0;
    const Onnx__NodeProto *dn = c->gp->node[dv];
    double s = scalar(other_input(c, dn, out0(c, m)));
    if (!((is_op(dn, "Div") && onnx_input(c, dn, 0) == out0(c, m) && near(s, 6)) ||
          (is_op(dn, "Mul") && near(s, 1.0 / 6))))
        return 0;
    nodes[nn++] = cl;
    nodes[nn++] = m;
    nodes[nn++] = dv;
    return emit(c, nodes, nn, x, FAST_OP_SWISH, x->nhwc);
}

/* x * Sigmoid(x), also with x scaled by 1 before the sigmoid: swish. */
static int try_swish(onnx_ctx *c, int k)
{
    const Onnx__NodeProto *n = c->gp->node[k];
    int nodes[MAX_PAT], nn = 0;
    onnx_value *x = NULL;
    int sg = k;
    nodes[nn++] = k;
    if (is_op(n, "Mul")) {
        for (int i = 0; i < 2 && !x; i++) {
            onnx_value *v = onnx_input(c, n, i);
            if (v && v->kind == ONNX_V_ACT && near(scalar(other_input(c, n, v)), 1))
                x = v;
        }
        sg = sole_consumer(c, k);
        if (!x || sg < 0 || !is_op(c->gp->node[sg], "Sigmoid"))
            return 0;
        nodes[nn++] = sg;
    } else if (is_op(n, "Sigmoid")) {
        x = onnx_input(c, n, 0);
        if (!x || x->kind != ONNX_V_ACT)
            return 0;
    } else {
        return 0;
    }
    int m = sole_consumer(c, sg);
    if (m < 0 || !is_op(c->gp->node[m], "Mul") ||
        other_input(c, c->gp->node[m], out0(c, sg)) != x)
        return 0;
    nodes[nn++] = m;
    return emit(c, nodes, nn, x, FAST_OP_SWISH, x->nhwc);
}

int onnx_try_patterns(onnx_ctx *c, int k)
{
    const Onnx__NodeProto *n = c->gp->node[k];
    int rc = 0;
    if (is_op(n, "ReduceMean"))
        rc = try_layernorm(c, k);
    if (!rc && (is_op(n, "Div") || is_op(n, "Mul")))
        rc = try_gelu(c, k);
    if (!rc && (is_op(n, "Add") || is_op(n, "HardSigmoid")))
        rc = try_hswish(c, k);
    if (!rc && (is_op(n, "Sigmoid") || is_op(n, "Mul")))
        rc = try_swish(c, k);
    return rc;
}
