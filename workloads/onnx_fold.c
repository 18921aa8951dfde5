/* ONNX import: constant tensors (initializers, Constant nodes) and the folding of constant
 * subgraphs (the shape computations exporters emit: Shape, Gather, Cast, Concat, ...). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "workloads/onnx_impl.h"

#define MAX_ELEMS (INT64_C(1) << 40)

static int is_float_type(int dtype)
{
    return dtype == ONNX_FLOAT || dtype == ONNX_DOUBLE || dtype == ONNX_FLOAT16 ||
           dtype == ONNX_BFLOAT16;
}

static int elem_size(int dtype)
{
    switch (dtype) {
    case ONNX_FLOAT:
    case ONNX_INT32:
    case ONNX_UINT32: return 4;
    case ONNX_DOUBLE:
    case ONNX_INT64:
    case ONNX_UINT64: return 8;
    case ONNX_INT16:
    case ONNX_UINT16:
    case ONNX_FLOAT16:
    case ONNX_BFLOAT16: return 2;
    case ONNX_INT8:
    case ONNX_UINT8:
    case ONNX_BOOL: return 1;
    default: return 0;
    }
}

void onnx_const_clear(onnx_const *k)
{
    free(k->i);
    free(k->f);
    k->i = NULL;
    k->f = NULL;
    k->has_data = 0;
}

/* Element count of dims, or -1 when above 2^40. */
static int64_t count_of(int rank, const int64_t *dims)
{
    int64_t n = 1;
    for (int i = 0; i < rank; i++) {
        if (dims[i] < 0 || (dims[i] > 0 && n > MAX_ELEMS / dims[i]))
            return -1;
        n *= dims[i];
    }
    return n;
}

/* Allocates the values of k (its rank, dims and dtype set) when it is small enough. */
static int alloc_data(onnx_const *k)
{
    k->n = count_of(k->rank, k->dims);
    if (k->n < 0)
        return -1;
    k->has_data = 0;
    if (k->n > ONNX_DATA_MAX)
        return 0;
    if (is_float_type(k->dtype))
        k->f = calloc((size_t)k->n + 1, sizeof *k->f);
    else
        k->i = calloc((size_t)k->n + 1, sizeof *k->i);
    if (!k->f && !k->i)
        return -1;
    k->has_data = 1;
    return 0;
}

static double get_f(const onnx_const *k, int64_t i)
{
    return k->f ? k->f[i] : (double)k->i[i];
}

static int64_t get_i(const onnx_const *k, int64_t i)
{
    if (!k->f)
        return k->i[i];
    double x = k->f[i];
    if (!(x == x))
        return 0;
    if (x >= 9.2e18)
        return INT64_MAX;
    if (x <= -9.2e18)
        return INT64_MIN;
    return (int64_t)x;
}

static void set_v(onnx_const *k, int64_t i, double f, int64_t v, int use_f)
{
    if (k->f)
        k->f[i] = use_f ? f : (double)v;
    else
        k->i[i] = use_f ? get_i(&(onnx_const){.f = &f}, 0) : v;
}

static double half_to_float(uint16_t h)
{
    int e = (h >> 10) & 31, m = h & 1023;
    double v = e == 0 ? ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) : ldexp(m + 1024, e - 25);
    return (h & 0x8000) ? -v : v;
}

int onnx_const_read(onnx_ctx *c, const Onnx__TensorProto *t, const char *where, onnx_const *k)
{
    memset(k, 0, sizeof *k);
    if (t->n_dims > ONNX_MAX_RANK) {
        fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", where, NULL,
                      "tensor of rank %zu: at most %d", t->n_dims, ONNX_MAX_RANK);
        return -1;
    }
    k->rank = (int)t->n_dims;
    for (int i = 0; i < k->rank; i++)
        k->dims[i] = t->dims[i];
    k->dtype = t->has_data_type ? t->data_type : 0;
    k->n = count_of(k->rank, k->dims);
    if (k->n < 0) {
        fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", where, NULL,
                      "tensor dimensions negative or above 2^40 elements");
        return -1;
    }
    if (k->dtype == 0 || (elem_size(k->dtype) == 0 && k->dtype != ONNX_STRING)) {
        char val[16];
        snprintf(val, sizeof val, "%d", k->dtype);
        fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", where, val,
                      "unknown or unsupported tensor data type");
        return -1;
    }
    if (t->has_data_location && t->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL)
        return 0; /* weights in another file: their dims are all the import needs */
    if (k->dtype == ONNX_STRING)
        return 0;
    int64_t size = elem_size(k->dtype);
    size_t have;
    if (t->has_raw_data) {
        if ((int64_t)t->raw_data.len != k->n * size) {
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", where, NULL,
                          "raw_data holds %zu bytes, expected %lld (%lld elements of %lld "
                          "bytes)", t->raw_data.len, (long long)(k->n * size),
                          (long long)k->n, (long long)size);
            return -1;
        }
        have = (size_t)k->n;
    } else {
        switch (k->dtype) {
        case ONNX_FLOAT: have = t->n_float_data; break;
        case ONNX_DOUBLE: have = t->n_double_data; break;
        case ONNX_INT64: have = t->n_int64_data; break;
        case ONNX_UINT32:
        case ONNX_UINT64: have = t->n_uint64_data; break;
        default: have = t->n_int32_data; break;
        }
        if ((int64_t)have != k->n) {
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", where, NULL,
                          "tensor holds %zu values, its dimensions say %lld", have,
                          (long long)k->n);
            return -1;
        }
    }
    if (k->n > ONNX_DATA_MAX)
        return 0;
    if (alloc_data(k))
        return -1;
    const uint8_t *raw = t->has_raw_data ? t->raw_data.data : NULL;
    for (int64_t i = 0; i < k->n; i++) {
        double f = 0;
        int64_t v = 0;
        if (raw) {
            const uint8_t *p = raw + i * size;
            uint64_t u = 0;
            for (int b = 0; b < size; b++)
                u |= (uint64_t)p[b] << (8 * b); /* ONNX raw data is little-endian */
            switch (k->dtype) {
            case ONNX_FLOAT: {
                uint32_t w = (uint32_t)u;
                float x;
                memcpy(&x, &w, 4);
                f = x;
                break;
            }
            case ONNX_DOUBLE: memcpy(&f, &u, 8); break;
            case ONNX_FLOAT16: f = half_to_float((uint16_t)u); break;
            case ONNX_BFLOAT16: {
                uint32_t w = (uint32_t)u << 16;
                float x;
                memcpy(&x, &w, 4);
                f = x;
                break;
            }
            case ONNX_INT8: v = (int8_t)u; break;
            case ONNX_INT16: v = (int16_t)u; break;
            case ONNX_INT32: v = (int32_t)u; break;
            case ONNX_INT64: v = (int64_t)u; break;
            default: v = (int64_t)u; break;
            }
        } else {
            switch (k->dtype) {
            case ONNX_FLOAT: f = t->float_data[i]; break;
            case ONNX_DOUBLE: f = t->double_data[i]; break;
            case ONNX_FLOAT16: f = half_to_float((uint16_t)t->int32_data[i]); break;
            case ONNX_BFLOAT16: {
                uint32_t w = (uint32_t)t->int32_data[i] << 16;
                float x;
                memcpy(&x, &w, 4);
                f = x;
                break;
            }
            case ONNX_INT64: v = t->int64_data[i]; break;
            case ONNX_UINT32:
            case ONNX_UINT64: v = (int64_t)t->uint64_data[i]; break;
            default: v = t->int32_data[i]; break;
            }
        }
        if (k->f)
            k->f[i] = f;
        else
            k->i[i] = v;
    }
    return 0;
}

int onnx_const_ints(onnx_ctx *c, const Onnx__NodeProto *n, const onnx_value *v,
                    int64_t *out, int max)
{
    if (!v || v->kind != ONNX_V_CONST || !v->c.has_data)
        return onnx_fail(c, n, v ? v->name : NULL, "needs the values of this input, which "
                         "are not known at import time");
    if (v->c.n > max)
        return onnx_fail(c, n, v->name, "more than %d values", max);
    for (int64_t i = 0; i < v->c.n; i++)
        out[i] = get_i(&v->c, i);
    return (int)v->c.n;
}

int onnx_const_scalar(onnx_ctx *c, const Onnx__NodeProto *n, const onnx_value *v, double def,
                      double *out)
{
    if (!v) {
        *out = def;
        return 0;
    }
    if (v->kind != ONNX_V_CONST || !v->c.has_data || v->c.n < 1)
        return onnx_fail(c, n, v->name, "needs the value of this input, which is not known "
                         "at import time");
    *out = get_f(&v->c, 0);
    return 0;
}

/* ---- folding ----------------------------------------------------------------------------- */

static const char *const foldable_ops[] = {
    "Constant", "Identity", "Cast", "CastLike", "Shape", "Size", "Gather", "Unsqueeze",
    "Squeeze", "Reshape", "Flatten", "Concat", "Slice", "Transpose", "Add", "Sub", "Mul",
    "Div", "Pow", "Max", "Min", "Mod", "Equal", "Less", "Greater", "LessOrEqual",
    "GreaterOrEqual", "And", "Or", "Xor", "Not", "Neg", "Abs", "Sqrt", "Floor", "Ceil",
    "Round", "Reciprocal", "Exp", "Log", "Relu", "Sigmoid", "Tanh", "Erf", "Sign", "Where",
    "ConstantOfShape", "Range", "Expand", "Clip", "ReduceProd", "ReduceSum", "ReduceMean",
    "ReduceMax", "ReduceMin", "Split", "Dropout", "Sum", "Mean", "Tile", NULL};

int onnx_foldable(const char *op_type)
{
    for (int i = 0; foldable_ops[i]; i++)
        if (!strcmp(foldable_ops[i], op_type))
            return 1;
    return 0;
}

/* Sets output o of node n to the constant k (taking ownership of its values). */
static int set_out(onnx_ctx *c, const Onnx__NodeProto *n, int o, onnx_const *k)
{
    onnx_value *v = onnx_output(c, n, o);
    if (!v) {
        onnx_const_clear(k);
        return 0;
    }
    onnx_const_clear(&v->c);
    v->c = *k;
    v->kind = ONNX_V_CONST;
    memset(k, 0, sizeof *k);
    return 0;
}

/* A new constant of the given dims and dtype, with room for values when small. */
static int make(onnx_ctx *c, const Onnx__NodeProto *n, onnx_const *k, int rank,
                const int64_t *dims, int dtype, int want_data)
{
    memset(k, 0, sizeof *k);
    if (rank > ONNX_MAX_RANK)
        return onnx_fail(c, n, NULL, "constant of rank %d: at most %d", rank, ONNX_MAX_RANK);
    k->rank = rank;
    for (int i = 0; i < rank; i++)
        k->dims[i] = dims[i];
    k->dtype = dtype;
    k->n = count_of(rank, dims);
    if (k->n < 0)
        return onnx_fail(c, n, NULL, "constant with negative dimensions or above 2^40 "
                         "elements");
    if (want_data && alloc_data(k))
        return onnx_fail(c, n, NULL, "out of memory");
    return 0;
}

static const onnx_const *in_const(onnx_ctx *c, const Onnx__NodeProto *n, int i)
{
    onnx_value *v = onnx_input(c, n, i);
    return v && v->kind == ONNX_V_CONST ? &v->c : NULL;
}

/* Normalizes axis against rank (negative counts from the end); -1 with a diagnostic. */
static int norm_axis(onnx_ctx *c, const Onnx__NodeProto *n, int64_t axis, int rank, int *out)
{
    int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= (rank > 0 ? rank : 1)) {
        char val[32];
        snprintf(val, sizeof val, "%lld", (long long)axis);
        return onnx_fail(c, n, val, "axis out of range for rank %d", rank);
    }
    *out = (int)a;
    return 0;
}

/* Multi-directional broadcasting of dims; -1 when incompatible. */
static int bcast(int ra, const int64_t *a, int rb, const int64_t *b, int *ro, int64_t *o)
{
    int r = ra > rb ? ra : rb;
    for (int i = 0; i < r; i++) {
        int64_t x = i < r - ra ? 1 : a[i - (r - ra)];
        int64_t y = i < r - rb ? 1 : b[i - (r - rb)];
        if (x != y && x != 1 && y != 1)
            return -1;
        o[i] = x == 1 ? y : x;
    }
    *ro = r;
    return 0;
}

/* Flat index into a tensor of dims (rank r) broadcast to an output of rank ro, for the
 * output multi-index idx. */
static int64_t bindex(const int64_t *idx, int ro, int r, const int64_t *dims)
{
    int64_t f = 0;
    for (int i = 0; i < r; i++) {
        int64_t x = dims[i] == 1 ? 0 : idx[i + ro - r];
        f = f * dims[i] + x;
    }
    return f;
}

static void next_index(int64_t *idx, int r, const int64_t *dims)
{
    for (int i = r - 1; i >= 0; i--) {
        if (++idx[i] < dims[i])
            return;
        idx[i] = 0;
    }
}

static double unary(const char *op, double x)
{
    if (!strcmp(op, "Neg")) return -x;
    if (!strcmp(op, "Abs")) return fabs(x);
    if (!strcmp(op, "Sqrt")) return sqrt(x);
    if (!strcmp(op, "Floor")) return floor(x);
    if (!strcmp(op, "Ceil")) return ceil(x);
    if (!strcmp(op, "Round")) return nearbyint(x);
    if (!strcmp(op, "Reciprocal")) return 1.0 / x;
    if (!strcmp(op, "Exp")) return exp(x);
    if (!strcmp(op, "Log")) return log(x);
    if (!strcmp(op, "Relu")) return x > 0 ? x : 0;
    if (!strcmp(op, "Sigmoid")) return 1.0 / (1.0 + exp(-x));
    if (!strcmp(op, "Tanh")) return tanh(x);
    if (!strcmp(op, "Erf")) return erf(x);
    if (!strcmp(op, "Sign")) return (x > 0) - (x < 0);
    if (!strcmp(op, "Not")) return x == 0;
    return x; /* Identity, Dropout, Cast */
}

static int is_compare(const char *op)
{
    return !strcmp(op, "Equal") || !strcmp(op, "Less") || !strcmp(op, "Greater") ||
           !strcmp(op, "LessOrEqual") || !strcmp(op, "GreaterOrEqual") || !strcmp(op, "And") ||
           !strcmp(op, "Or") || !strcmp(op, "Xor");
}

static double binary_f(const char *op, double x, double y)
{
    if (!strcmp(op, "Add") || !strcmp(op, "Sum")) return x + y;
    if (!strcmp(op, "Sub")) return x - y;
    if (!strcmp(op, "Mul")) return x * y;
    if (!strcmp(op, "Div")) return x / y;
    if (!strcmp(op, "Pow")) return pow(x, y);
    if (!strcmp(op, "Max")) return x > y ? x : y;
    if (!strcmp(op, "Min")) return x < y ? x : y;
    if (!strcmp(op, "Mod")) return fmod(x, y);
    if (!strcmp(op, "Equal")) return x == y;
    if (!strcmp(op, "Less")) return x < y;
    if (!strcmp(op, "Greater")) return x > y;
    if (!strcmp(op, "LessOrEqual")) return x <= y;
    if (!strcmp(op, "GreaterOrEqual")) return x >= y;
    if (!strcmp(op, "And")) return x != 0 && y != 0;
    if (!strcmp(op, "Or")) return x != 0 || y != 0;
    if (!strcmp(op, "Xor")) return (x != 0) != (y != 0);
    return x;
}

static int64_t binary_i(const char *op, int64_t x, int64_t y)
{
    /* Shape arithmetic: exact integers, with the edge cases made harmless. */
    if (!strcmp(op, "Add") || !strcmp(op, "Sum")) return x + y;
    if (!strcmp(op, "Sub")) return x - y;
    if (!strcmp(op, "Mul")) return x * y;
    if (!strcmp(op, "Div")) return y ? x / y : 0;
    if (!strcmp(op, "Mod")) return y ? x % y : 0;
    if (!strcmp(op, "Max")) return x > y ? x : y;
    if (!strcmp(op, "Min")) return x < y ? x : y;
    if (!strcmp(op, "Pow")) {
        int64_t r = 1;
        for (int64_t i = 0; i < y && i < 64; i++)
            r *= x;
        return r;
    }
    return (int64_t)binary_f(op, (double)x, (double)y);
}

/* Elementwise ops of 1 to 3 inputs with broadcasting (Where takes three). */
static int fold_elementwise(onnx_ctx *c, const Onnx__NodeProto *n)
{
    const char *op = n->op_type;
    const onnx_const *in[3] = {0};
    int n_in = 0;
    for (size_t i = 0; i < n->n_input && n_in < 3; i++) {
        const onnx_const *k = in_const(c, n, (int)i);
        if (k)
            in[n_in++] = k;
    }
    int is_where = !strcmp(op, "Where");
    if (n_in < 1 || (is_where && n_in != 3))
        return onnx_fail(c, n, NULL, "missing inputs");
    int r = in[0]->rank;
    int64_t dims[ONNX_MAX_RANK];
    memcpy(dims, in[0]->dims, sizeof dims);
    for (int j = 1; j < n_in; j++) {
        int64_t o[ONNX_MAX_RANK];
        int ro = 0;
        if (bcast(r, dims, in[j]->rank, in[j]->dims, &ro, o))
            return onnx_fail(c, n, NULL, "input shapes do not broadcast");
        r = ro;
        memcpy(dims, o, sizeof o);
    }
    int dtype = in[is_where ? 1 : 0]->dtype;
    if (is_compare(op) || !strcmp(op, "Not"))
        dtype = ONNX_BOOL;
    int all_data = 1;
    for (int j = 0; j < n_in; j++)
        all_data &= in[j]->has_data;
    onnx_const k;
    if (make(c, n, &k, r, dims, dtype, all_data))
        return -1;
    if (k.has_data) {
        int use_f = 0;
        for (int j = 0; j < n_in; j++)
            use_f |= in[j]->f != NULL;
        int64_t idx[ONNX_MAX_RANK] = {0};
        for (int64_t e = 0; e < k.n; e++) {
            int64_t p[3];
            for (int j = 0; j < n_in; j++)
                p[j] = bindex(idx, r, in[j]->rank, in[j]->dims);
            double f = 0;
            int64_t v = 0;
            if (is_where) {
                int pick = get_f(in[0], p[0]) != 0 ? 1 : 2;
                f = get_f(in[pick], p[pick]);
                v = get_i(in[pick], p[pick]);
            } else if (n_in == 1) {
                f = unary(op, get_f(in[0], p[0]));
                v = use_f ? 0 : (int64_t)unary(op, (double)get_i(in[0], p[0]));
            } else {
                f = get_f(in[0], p[0]);
                v = get_i(in[0], p[0]);
                for (int j = 1; j < n_in; j++) {
                    f = binary_f(op, f, get_f(in[j], p[j]));
                    v = binary_i(op, v, get_i(in[j], p[j]));
                }
                if (!strcmp(op, "Mean"))
                    f /= n_in;
            }
            set_v(&k, e, f, v, use_f || is_compare(op));
            next_index(idx, r, dims);
        }
    }
    return set_out(c, n, 0, &k);
}

/* Reads the axes of Squeeze/Unsqueeze/Reduce*: attribute before opset 13 (18 for most
 * reductions), input 1 after. Returns the count (-2 when none given) or -1. */
int onnx_get_axes(onnx_ctx *c, const Onnx__NodeProto *n, int64_t *axes)
{
    int k = onnx_attr_ints(n, "axes", axes, ONNX_MAX_RANK);
    if (k >= 0)
        return k > ONNX_MAX_RANK ? onnx_fail(c, n, NULL, "too many axes") : k;
    onnx_value *v = onnx_input(c, n, 1);
    if (!v)
        return -2;
    return onnx_const_ints(c, n, v, axes, ONNX_MAX_RANK);
}

/* A constant that is x with other dims (Reshape, Squeeze, Unsqueeze, Flatten, Identity,
 * Cast): the values are kept in order. */
static int fold_redim(onnx_ctx *c, const Onnx__NodeProto *n, const onnx_const *x, int rank,
                      const int64_t *dims, int dtype)
{
    onnx_const k;
    if (make(c, n, &k, rank, dims, dtype, x->has_data))
        return -1;
    if (k.n != x->n) {
        onnx_const_clear(&k);
        return onnx_fail(c, n, NULL, "%lld elements cannot take a shape of %lld",
                         (long long)x->n, (long long)k.n);
    }
    for (int64_t e = 0; k.has_data && e < k.n; e++)
        set_v(&k, e, get_f(x, e), get_i(x, e), x->f != NULL);
    return set_out(c, n, 0, &k);
}

int onnx_reshape_dims(onnx_ctx *c, const Onnx__NodeProto *n, int rank, const int64_t *in,
                      const int64_t *shape, int n_shape, int64_t *out)
{
    int64_t total = count_of(rank, in), known = 1;
    int infer = -1, allowzero = (int)onnx_attr_int(n, "allowzero", 0);
    for (int i = 0; i < n_shape; i++) {
        int64_t s = shape[i];
        if (s == 0 && !allowzero) {
            if (i >= rank)
                return onnx_fail(c, n, NULL, "shape[%d] = 0 copies a dimension the input "
                                 "lacks (rank %d)", i, rank);
            s = in[i];
        }
        if (s == -1) {
            if (infer >= 0)
                return onnx_fail(c, n, NULL, "more than one -1 in the target shape");
            infer = i;
            out[i] = -1;
            continue;
        }
        if (s < 0)
            return onnx_fail(c, n, NULL, "shape[%d] = %lld", i, (long long)s);
        out[i] = s;
        known = s ? (known > MAX_ELEMS / s ? MAX_ELEMS + 1 : known * s) : 0;
    }
    if (infer >= 0) {
        if (known == 0 || total % known)
            return onnx_fail(c, n, NULL, "cannot infer -1: %lld elements are not a multiple "
                             "of %lld", (long long)total, (long long)known);
        out[infer] = total / known;
        known = total;
    }
    if (known != total)
        return onnx_fail(c, n, NULL, "target shape has %lld elements, the input %lld",
                         (long long)known, (long long)total);
    return 0;
}

void onnx_slice_axis(int64_t dim, int64_t start, int64_t end, int64_t step, int64_t *s0,
                     int64_t *len)
{
    if (start < 0)
        start = start < -dim ? 0 : start + dim;
    if (end < 0)
        end = end < -dim ? (step > 0 ? 0 : -1) : end + dim;
    if (step > 0) {
        if (start > dim)
            start = dim;
        if (end > dim)
            end = dim;
        *len = end > start ? (end - start + step - 1) / step : 0;
    } else {
        if (start > dim - 1)
            start = dim - 1;
        if (end > dim - 1)
            end = dim - 1;
        *len = start > end ? (start - end + (-step) - 1) / (-step) : 0;
    }
    *s0 = start;
}

int onnx_slice_params(onnx_ctx *c, const Onnx__NodeProto *n, int r, const int64_t *dims,
                      int64_t *start, int64_t *step, int64_t *len)
{
    int64_t st[ONNX_MAX_RANK], en[ONNX_MAX_RANK], ax[ONNX_MAX_RANK], sp[ONNX_MAX_RANK];
    int ns, ne, na, np;
    if (onnx_attr(n, "starts")) {
        ns = onnx_attr_ints(n, "starts", st, ONNX_MAX_RANK);
        ne = onnx_attr_ints(n, "ends", en, ONNX_MAX_RANK);
        na = onnx_attr_ints(n, "axes", ax, ONNX_MAX_RANK);
        np = -1;
    } else {
        ns = onnx_const_ints(c, n, onnx_input(c, n, 1), st, ONNX_MAX_RANK);
        if (ns < 0)
            return -1;
        ne = onnx_const_ints(c, n, onnx_input(c, n, 2), en, ONNX_MAX_RANK);
        if (ne < 0)
            return -1;
        na = onnx_input(c, n, 3) ? onnx_const_ints(c, n, onnx_input(c, n, 3), ax,
                                                    ONNX_MAX_RANK) : -2;
        if (na == -1)
            return -1;
        np = onnx_input(c, n, 4) ? onnx_const_ints(c, n, onnx_input(c, n, 4), sp,
                                                    ONNX_MAX_RANK) : -2;
        if (np == -1)
            return -1;
    }
    if (ns < 0 || ne != ns || (na >= 0 && na != ns) || (np >= 0 && np != ns) || ns > r)
        return onnx_fail(c, n, NULL, "starts, ends, axes and steps must have one value per "
                         "sliced axis");
    for (int i = 0; i < r; i++) {
        start[i] = 0;
        step[i] = 1;
        len[i] = dims[i];
    }
    for (int i = 0; i < ns; i++) {
        int a = i;
        if (na >= 0 && norm_axis(c, n, ax[i], r, &a))
            return -1;
        int64_t s = np >= 0 ? sp[i] : 1;
        if (s == 0)
            return onnx_fail(c, n, NULL, "step 0");
        onnx_slice_axis(dims[a], st[i], en[i], s, &start[a], &len[a]);
        step[a] = s;
    }
    return 0;
}

static int fold_slice(onnx_ctx *c, const Onnx__NodeProto *n, const onnx_const *x)
{
    int64_t start[ONNX_MAX_RANK], step[ONNX_MAX_RANK], len[ONNX_MAX_RANK];
    if (onnx_slice_params(c, n, x->rank, x->dims, start, step, len))
        return -1;
    onnx_const k;
    if (make(c, n, &k, x->rank, len, x->dtype, x->has_data))
        return -1;
    int64_t idx[ONNX_MAX_RANK] = {0};
    for (int64_t e = 0; k.has_data && e < k.n; e++) {
        int64_t f = 0;
        for (int i = 0; i < x->rank; i++)
            f = f * x->dims[i] + start[i] + idx[i] * step[i];
        set_v(&k, e, get_f(x, f), get_i(x, f), x->f != NULL);
        next_index(idx, x->rank, len);
    }
    return set_out(c, n, 0, &k);
}

static int fold_concat(onnx_ctx *c, const Onnx__NodeProto *n)
{
    const onnx_const *x0 = in_const(c, n, 0);
    if (!x0)
        return onnx_fail(c, n, NULL, "missing input 0");
    int ax = 0;
    if (norm_axis(c, n, onnx_attr_int(n, "axis", 0), x0->rank, &ax))
        return -1;
    int64_t dims[ONNX_MAX_RANK];
    memcpy(dims, x0->dims, sizeof dims);
    dims[ax] = 0;
    int all_data = 1;
    for (size_t i = 0; i < n->n_input; i++) {
        const onnx_const *x = in_const(c, n, (int)i);
        if (!x)
            continue;
        if (x->rank != x0->rank)
            return onnx_fail(c, n, NULL, "input %zu has rank %d, input 0 rank %d", i, x->rank,
                             x0->rank);
        for (int j = 0; j < x->rank; j++)
            if (j != ax && x->dims[j] != x0->dims[j])
                return onnx_fail(c, n, NULL, "input %zu differs from input 0 in dimension "
                                 "%d", i, j);
        dims[ax] += x->dims[ax];
        all_data &= x->has_data;
    }
    onnx_const k;
    if (make(c, n, &k, x0->rank, dims, x0->dtype, all_data))
        return -1;
    if (k.has_data) {
        int64_t outer = 1, inner = 1;
        for (int j = 0; j < ax; j++)
            outer *= dims[j];
        for (int j = ax + 1; j < x0->rank; j++)
            inner *= dims[j];
        int64_t e = 0;
        for (int64_t o = 0; o < outer; o++)
            for (size_t i = 0; i < n->n_input; i++) {
                const onnx_const *x = in_const(c, n, (int)i);
                if (!x)
                    continue;
                int64_t block = x->dims[ax] * inner;
                for (int64_t b = 0; b < block; b++, e++)
                    set_v(&k, e, get_f(x, o * block + b), get_i(x, o * block + b),
                          x->f != NULL);
            }
    }
    return set_out(c, n, 0, &k);
}

static int fold_gather(onnx_ctx *c, const Onnx__NodeProto *n, const onnx_const *x,
                       const onnx_const *ix)
{
    int ax = 0;
    if (norm_axis(c, n, onnx_attr_int(n, "axis", 0), x->rank, &ax))
        return -1;
    int64_t dims[ONNX_MAX_RANK];
    int r = 0;
    for (int j = 0; j < ax; j++)
        dims[r++] = x->dims[j];
    for (int j = 0; j < ix->rank && r < ONNX_MAX_RANK; j++)
        dims[r++] = ix->dims[j];
    for (int j = ax + 1; j < x->rank && r < ONNX_MAX_RANK; j++)
        dims[r++] = x->dims[j];
    if (x->rank - 1 + ix->rank > ONNX_MAX_RANK)
        return onnx_fail(c, n, NULL, "result of rank above %d", ONNX_MAX_RANK);
    onnx_const k;
    if (make(c, n, &k, r, dims, x->dtype, x->has_data && ix->has_data))
        return -1;
    if (k.has_data) {
        int64_t outer = 1, inner = 1;
        for (int j = 0; j < ax; j++)
            outer *= x->dims[j];
        for (int j = ax + 1; j < x->rank; j++)
            inner *= x->dims[j];
        int64_t e = 0;
        for (int64_t o = 0; o < outer; o++)
            for (int64_t q = 0; q < ix->n; q++) {
                int64_t i = get_i(ix, q);
                if (i < 0)
                    i += x->dims[ax];
                if (i < 0 || i >= x->dims[ax]) {
                    onnx_const_clear(&k);
                    return onnx_fail(c, n, NULL, "index %lld out of range 0..%lld",
                                     (long long)get_i(ix, q), (long long)(x->dims[ax] - 1));
                }
                for (int64_t b = 0; b < inner; b++, e++) {
                    int64_t f = (o * x->dims[ax] + i) * inner + b;
                    set_v(&k, e, get_f(x, f), get_i(x, f), x->f != NULL);
                }
            }
    }
    return set_out(c, n, 0, &k);
}

static int fold_transpose(onnx_ctx *c, const Onnx__NodeProto *n, const onnx_const *x)
{
    int64_t perm[ONNX_MAX_RANK];
    int np = onnx_attr_ints(n, "perm", perm, ONNX_MAX_RANK);
    if (np < 0) {
        np = x->rank;
        for (int i = 0; i < np; i++)
            perm[i] = np - 1 - i;
    }
    int seen[ONNX_MAX_RANK] = {0};
    if (np != x->rank)
        return onnx_fail(c, n, NULL, "perm has %d axes, the input rank %d", np, x->rank);
    int64_t dims[ONNX_MAX_RANK];
    for (int i = 0; i < np; i++) {
        if (perm[i] < 0 || perm[i] >= np || seen[perm[i]]++)
            return onnx_fail(c, n, NULL, "perm is not a permutation");
        dims[i] = x->dims[perm[i]];
    }
    onnx_const k;
    if (make(c, n, &k, np, dims, x->dtype, x->has_data))
        return -1;
    int64_t idx[ONNX_MAX_RANK] = {0}, stride[ONNX_MAX_RANK];
    int64_t s = 1;
    for (int i = x->rank - 1; i >= 0; i--) {
        stride[i] = s;
        s *= x->dims[i];
    }
    for (int64_t e = 0; k.has_data && e < k.n; e++) {
        int64_t f = 0;
        for (int i = 0; i < np; i++)
            f += idx[i] * stride[perm[i]];
        set_v(&k, e, get_f(x, f), get_i(x, f), x->f != NULL);
        next_index(idx, np, dims);
    }
    return set_out(c, n, 0, &k);
}

static int fold_reduce(onnx_ctx *c, const Onnx__NodeProto *n, const onnx_const *x)
{
    int64_t axes[ONNX_MAX_RANK];
    int na = onnx_get_axes(c, n, axes);
    if (na == -1)
        return -1;
    int keep = (int)onnx_attr_int(n, "keepdims", 1);
    int red[ONNX_MAX_RANK] = {0};
    if (na == -2 || na == 0) {
        if (onnx_attr_int(n, "noop_with_empty_axes", 0))
            return fold_redim(c, n, x, x->rank, x->dims, x->dtype);
        for (int i = 0; i < x->rank; i++)
            red[i] = 1;
    }
    for (int i = 0; i < na; i++) {
        int a = 0;
        if (norm_axis(c, n, axes[i], x->rank, &a))
            return -1;
        red[a] = 1;
    }
    int64_t dims[ONNX_MAX_RANK], kd[ONNX_MAX_RANK];
    int r = 0;
    for (int i = 0; i < x->rank; i++) {
        kd[i] = red[i] ? 1 : x->dims[i];
        if (!red[i] || keep)
            dims[r++] = kd[i];
    }
    onnx_const k;
    if (make(c, n, &k, r, dims, x->dtype, x->has_data))
        return -1;
    if (k.has_data) {
        const char *op = n->op_type;
        int64_t *cnt = calloc((size_t)k.n + 1, sizeof *cnt);
        if (!cnt) {
            onnx_const_clear(&k);
            return onnx_fail(c, n, NULL, "out of memory");
        }
        int64_t idx[ONNX_MAX_RANK] = {0};
        for (int64_t e = 0; e < x->n; e++) {
            int64_t o = bindex(idx, x->rank, x->rank, kd);
            double a = k.f ? k.f[o] : (double)k.i[o], b = get_f(x, e);
            double v = !cnt[o] ? b
                       : !strcmp(op, "ReduceProd") ? a * b
                       : !strcmp(op, "ReduceMax") ? (a > b ? a : b)
                       : !strcmp(op, "ReduceMin") ? (a < b ? a : b)
                       : a + b;
            cnt[o]++;
            set_v(&k, o, v, (int64_t)v, 1);
            next_index(idx, x->rank, x->dims);
        }
        if (!strcmp(op, "ReduceMean"))
            for (int64_t o = 0; o < k.n; o++)
                set_v(&k, o, (k.f ? k.f[o] : (double)k.i[o]) / (double)(cnt[o] ? cnt[o] : 1),
                      0, 1);
        free(cnt);
    }
    return set_out(c, n, 0, &k);
}

static int fold_split(onnx_ctx *c, const Onnx__NodeProto *n, const onnx_const *x)
{
    int ax = 0;
    if (norm_axis(c, n, onnx_attr_int(n, "axis", 0), x->rank, &ax))
        return -1;
    int64_t sizes[64];
    int ns = onnx_attr_ints(n, "split", sizes, 64);
    if (ns < 0 && onnx_input(c, n, 1))
        ns = onnx_const_ints(c, n, onnx_input(c, n, 1), sizes, 64);
    int no = (int)n->n_output;
    if (ns < 0 || ns == 0) {
        if (no < 1 || no > 64)
            return onnx_fail(c, n, NULL, "1..64 outputs");
        int64_t part = (x->dims[ax] + no - 1) / no;
        for (int i = 0; i < no; i++) {
            int64_t left = x->dims[ax] - part * i;
            sizes[i] = left < part ? (left > 0 ? left : 0) : part;
        }
        ns = no;
    }
    if (ns != no)
        return onnx_fail(c, n, NULL, "%d split sizes for %d outputs", ns, no);
    int64_t off = 0;
    for (int o = 0; o < no; o++) {
        int64_t dims[ONNX_MAX_RANK];
        memcpy(dims, x->dims, sizeof dims);
        dims[ax] = sizes[o];
        onnx_const k;
        if (make(c, n, &k, x->rank, dims, x->dtype, x->has_data))
            return -1;
        int64_t idx[ONNX_MAX_RANK] = {0};
        for (int64_t e = 0; k.has_data && e < k.n; e++) {
            int64_t f = 0;
            for (int i = 0; i < x->rank; i++)
                f = f * x->dims[i] + idx[i] + (i == ax ? off : 0);
            set_v(&k, e, get_f(x, f), get_i(x, f), x->f != NULL);
            next_index(idx, x->rank, dims);
        }
        off += sizes[o];
        if (set_out(c, n, o, &k))
            return -1;
    }
    if (off != x->dims[ax])
        return onnx_fail(c, n, NULL, "split sizes add up to %lld, the axis has %lld",
                         (long long)off, (long long)x->dims[ax]);
    return 0;
}

static int fold_constant(onnx_ctx *c, const Onnx__NodeProto *n)
{
    onnx_const k;
    memset(&k, 0, sizeof k);
    const Onnx__AttributeProto *a;
    char where[160];
    const char *w = onnx_where(c, n, where, sizeof where);
    if ((a = onnx_attr(n, "value")) && a->t) {
        if (onnx_const_read(c, a->t, w, &k))
            return -1;
    } else if ((a = onnx_attr(n, "value_float")) || (a = onnx_attr(n, "value_int"))) {
        int is_f = !strcmp(a->name, "value_float");
        if (make(c, n, &k, 0, NULL, is_f ? ONNX_FLOAT : ONNX_INT64, 1))
            return -1;
        set_v(&k, 0, a->f, a->i, is_f);
    } else if ((a = onnx_attr(n, "value_floats")) || (a = onnx_attr(n, "value_ints"))) {
        int is_f = !strcmp(a->name, "value_floats");
        int64_t len = (int64_t)(is_f ? a->n_floats : a->n_ints);
        if (make(c, n, &k, 1, &len, is_f ? ONNX_FLOAT : ONNX_INT64, 1))
            return -1;
        for (int64_t i = 0; k.has_data && i < len; i++)
            set_v(&k, i, is_f ? a->floats[i] : 0, is_f ? 0 : a->ints[i], is_f);
    } else if ((a = onnx_attr(n, "value_string")) || (a = onnx_attr(n, "value_strings"))) {
        int64_t len = (int64_t)a->n_strings;
        if (make(c, n, &k, a->n_strings ? 1 : 0, &len, ONNX_STRING, 0))
            return -1;
    } else {
        return onnx_fail(c, n, NULL, "no value attribute (sparse constants are not "
                         "supported)");
    }
    return set_out(c, n, 0, &k);
}

int onnx_fold_node(onnx_ctx *c, const Onnx__NodeProto *n)
{
    const char *op = n->op_type;
    if (!strcmp(op, "Constant"))
        return fold_constant(c, n);
    onnx_value *xv = onnx_input(c, n, 0);
    onnx_const k;
    if (!strcmp(op, "Shape") || !strcmp(op, "Size")) {
        if (!xv || xv->kind == ONNX_V_UNSET)
            return onnx_fail(c, n, NULL, "input 0 is missing or has no known shape");
        int r = xv->kind == ONNX_V_ACT ? xv->shape.rank : xv->c.rank;
        int64_t dims[ONNX_MAX_RANK];
        for (int i = 0; i < r; i++)
            dims[i] = xv->kind == ONNX_V_ACT ? xv->shape.d[i] : xv->c.dims[i];
        if (!strcmp(op, "Size")) {
            if (make(c, n, &k, 0, NULL, ONNX_INT64, 1))
                return -1;
            k.i[0] = count_of(r, dims);
            return set_out(c, n, 0, &k);
        }
        int64_t s = onnx_attr_int(n, "start", 0), e = onnx_attr_int(n, "end", r);
        s = s < 0 ? s + r : s;
        e = e < 0 ? e + r : e;
        s = s < 0 ? 0 : s > r ? r : s;
        e = e < 0 ? 0 : e > r ? r : e;
        int64_t len = e > s ? e - s : 0;
        if (make(c, n, &k, 1, &len, ONNX_INT64, 1))
            return -1;
        for (int64_t i = 0; i < len; i++)
            k.i[i] = dims[s + i];
        return set_out(c, n, 0, &k);
    }
    if (!xv || xv->kind != ONNX_V_CONST) {
        if (!strcmp(op, "Range") || !strcmp(op, "ConstantOfShape"))
            ;
        else
            return onnx_fail(c, n, NULL, "input 0 is not a constant");
    }
    const onnx_const *x = xv ? &xv->c : NULL;
    if (!strcmp(op, "Identity") || !strcmp(op, "Dropout"))
        return fold_redim(c, n, x, x->rank, x->dims, x->dtype);
    if (!strcmp(op, "Cast") || !strcmp(op, "CastLike")) {
        int to = !strcmp(op, "Cast") ? (int)onnx_attr_int(n, "to", ONNX_FLOAT)
                                     : (in_const(c, n, 1) ? in_const(c, n, 1)->dtype : 1);
        if (make(c, n, &k, x->rank, x->dims, to, x->has_data))
            return -1;
        for (int64_t e = 0; k.has_data && e < k.n; e++) {
            double f = get_f(x, e);
            if (to == ONNX_BOOL)
                set_v(&k, e, 0, f != 0, 0);
            else
                set_v(&k, e, f, get_i(x, e), x->f != NULL);
        }
        return set_out(c, n, 0, &k);
    }
    if (!strcmp(op, "Reshape")) {
        int64_t shape[ONNX_MAX_RANK], dims[ONNX_MAX_RANK];
        int ns = onnx_const_ints(c, n, onnx_input(c, n, 1), shape, ONNX_MAX_RANK);
        if (ns < 0 || onnx_reshape_dims(c, n, x->rank, x->dims, shape, ns, dims))
            return -1;
        return fold_redim(c, n, x, ns, dims, x->dtype);
    }
    if (!strcmp(op, "Flatten")) {
        int ax = (int)onnx_attr_int(n, "axis", 1);
        ax = ax < 0 ? ax + x->rank : ax;
        if (ax < 0 || ax > x->rank)
            return onnx_fail(c, n, NULL, "axis out of range");
        int64_t dims[2] = {count_of(ax, x->dims), count_of(x->rank - ax, x->dims + ax)};
        return fold_redim(c, n, x, 2, dims, x->dtype);
    }
    if (!strcmp(op, "Squeeze") || !strcmp(op, "Unsqueeze")) {
        int64_t axes[ONNX_MAX_RANK], dims[ONNX_MAX_RANK];
        int na = onnx_get_axes(c, n, axes), r = 0;
        if (na == -1)
            return -1;
        if (!strcmp(op, "Squeeze")) {
            int drop[ONNX_MAX_RANK] = {0};
            for (int i = 0; i < na; i++) {
                int a = 0;
                if (norm_axis(c, n, axes[i], x->rank, &a))
                    return -1;
                drop[a] = 1;
            }
            for (int i = 0; i < x->rank; i++)
                if (!(na > 0 ? drop[i] : x->dims[i] == 1))
                    dims[r++] = x->dims[i];
        } else {
            if (na < 0)
                return onnx_fail(c, n, NULL, "no axes");
            int out_r = x->rank + na, ins[ONNX_MAX_RANK + 8] = {0};
            if (out_r > ONNX_MAX_RANK)
                return onnx_fail(c, n, NULL, "result of rank above %d", ONNX_MAX_RANK);
            for (int i = 0; i < na; i++) {
                int a = 0;
                if (norm_axis(c, n, axes[i], out_r, &a))
                    return -1;
                ins[a] = 1;
            }
            for (int i = 0, j = 0; i < out_r; i++)
                dims[r++] = ins[i] ? 1 : x->dims[j++];
        }
        return fold_redim(c, n, x, r, dims, x->dtype);
    }
    if (!strcmp(op, "Concat"))
        return fold_concat(c, n);
    if (!strcmp(op, "Slice"))
        return fold_slice(c, n, x);
    if (!strcmp(op, "Gather")) {
        const onnx_const *ix = in_const(c, n, 1);
        if (!ix)
            return onnx_fail(c, n, NULL, "indices are not a constant");
        return fold_gather(c, n, x, ix);
    }
    if (!strcmp(op, "Transpose"))
        return fold_transpose(c, n, x);
    if (!strncmp(op, "Reduce", 6))
        return fold_reduce(c, n, x);
    if (!strcmp(op, "Split"))
        return fold_split(c, n, x);
    if (!strcmp(op, "ConstantOfShape")) {
        int64_t dims[ONNX_MAX_RANK];
        int r = onnx_const_ints(c, n, xv, dims, ONNX_MAX_RANK);
        if (r < 0)
            return -1;
        const Onnx__AttributeProto *a = onnx_attr(n, "value");
        onnx_const val;
        memset(&val, 0, sizeof val);
        if (a && a->t && onnx_const_read(c, a->t, "value", &val))
            return -1;
        int dtype = a && a->t ? val.dtype : ONNX_FLOAT;
        double f = val.has_data && val.n ? get_f(&val, 0) : 0;
        onnx_const_clear(&val);
        if (make(c, n, &k, r, dims, dtype, 1))
            return -1;
        for (int64_t e = 0; k.has_data && e < k.n; e++)
            set_v(&k, e, f, (int64_t)f, 1);
        return set_out(c, n, 0, &k);
    }
    if (!strcmp(op, "Range")) {
        double s, l, dl;
        if (onnx_const_scalar(c, n, onnx_input(c, n, 0), 0, &s) ||
            onnx_const_scalar(c, n, onnx_input(c, n, 1), 0, &l) ||
            onnx_const_scalar(c, n, onnx_input(c, n, 2), 1, &dl))
            return -1;
        if (dl == 0)
            return onnx_fail(c, n, NULL, "delta 0");
        double cnt = ceil((l - s) / dl);
        int64_t len = cnt > 0 ? (cnt > (double)MAX_ELEMS ? MAX_ELEMS : (int64_t)cnt) : 0;
        const onnx_const *s0 = in_const(c, n, 0);
        if (make(c, n, &k, 1, &len, s0 ? s0->dtype : ONNX_INT64, 1))
            return -1;
        for (int64_t e = 0; k.has_data && e < len; e++)
            set_v(&k, e, s + (double)e * dl, (int64_t)(s + (double)e * dl), 1);
        return set_out(c, n, 0, &k);
    }
    if (!strcmp(op, "Expand") || !strcmp(op, "Tile")) {
        int64_t sh[ONNX_MAX_RANK], dims[ONNX_MAX_RANK];
        int ns = onnx_const_ints(c, n, onnx_input(c, n, 1), sh, ONNX_MAX_RANK), r = 0;
        if (ns < 0)
            return -1;
        if (!strcmp(op, "Tile")) {
            if (ns != x->rank)
                return onnx_fail(c, n, NULL, "repeats has %d values, the input rank %d", ns,
                                 x->rank);
            r = x->rank;
            for (int i = 0; i < r; i++)
                dims[i] = x->dims[i] * sh[i];
        } else if (bcast(x->rank, x->dims, ns, sh, &r, dims)) {
            return onnx_fail(c, n, NULL, "shape does not broadcast with the input");
        }
        if (make(c, n, &k, r, dims, x->dtype, x->has_data))
            return -1;
        int64_t idx[ONNX_MAX_RANK] = {0};
        for (int64_t e = 0; k.has_data && e < k.n; e++) {
            int64_t f = 0;
            for (int i = 0; i < x->rank; i++) {
                int64_t q = idx[i + r - x->rank] % x->dims[i];
                f = f * x->dims[i] + (x->dims[i] == 1 ? 0 : q);
            }
            set_v(&k, e, get_f(x, f), get_i(x, f), x->f != NULL);
            next_index(idx, r, dims);
        }
        return set_out(c, n, 0, &k);
    }
    if (!strcmp(op, "Clip")) {
        double lo = -INFINITY, hi = INFINITY;
        if (onnx_attr(n, "min") || onnx_attr(n, "max")) {
            lo = onnx_attr_float(n, "min", -INFINITY);
            hi = onnx_attr_float(n, "max", INFINITY);
        } else if (onnx_const_scalar(c, n, onnx_input(c, n, 1), -INFINITY, &lo) ||
                   onnx_const_scalar(c, n, onnx_input(c, n, 2), INFINITY, &hi)) {
            return -1;
        }
        if (make(c, n, &k, x->rank, x->dims, x->dtype, x->has_data))
            return -1;
        for (int64_t e = 0; k.has_data && e < k.n; e++) {
            double f = get_f(x, e);
            f = f < lo ? lo : f > hi ? hi : f;
            set_v(&k, e, f, (int64_t)f, 1);
        }
        return set_out(c, n, 0, &k);
    }
    return fold_elementwise(c, n);
}
