/* Internals of the ONNX importer shared by onnx.c (reading, ordering, inputs, patterns),
 * onnx_fold.c (constant tensors and folding) and onnx_ops.c (the operator mapping). Not a
 * public interface: only those three files include it. */
#ifndef FAST_ONNX_IMPL_H
#define FAST_ONNX_IMPL_H

#include <stdint.h>

#include "onnx/onnx.pb-c.h"
#include "workloads/onnx.h"

#define ONNX_MAX_RANK 8        /* rank of a constant tensor; activations stop at 6 */
#define ONNX_DATA_MAX 65536    /* constants up to this many elements keep their values */

/* ONNX TensorProto.DataType codes the importer tells apart. */
enum {
    ONNX_FLOAT = 1, ONNX_UINT8 = 2, ONNX_INT8 = 3, ONNX_UINT16 = 4, ONNX_INT16 = 5,
    ONNX_INT32 = 6, ONNX_INT64 = 7, ONNX_STRING = 8, ONNX_BOOL = 9, ONNX_FLOAT16 = 10,
    ONNX_DOUBLE = 11, ONNX_UINT32 = 12, ONNX_UINT64 = 13, ONNX_BFLOAT16 = 16
};

/* A tensor known at import time. Invariant: n is the product of dims[0, rank) (1 for rank
 * 0); when has_data, exactly one of i (integer and bool types) and f (floating types) holds
 * n values and is owned here; large weights keep only their dims (has_data 0). */
typedef struct onnx_const {
    int rank;
    int64_t dims[ONNX_MAX_RANK];
    int64_t n;
    int dtype;
    int has_data;
    int64_t *i;
    double *f;
} onnx_const;

/* What a value is once its producer has been mapped. */
typedef enum onnx_kind { ONNX_V_UNSET, ONNX_V_CONST, ONNX_V_ACT } onnx_kind;

/* One named value of the ONNX graph (an input, an initializer or a node output).
 * Invariant: kind ONNX_V_ACT means t indexes a tensor of the IR graph whose shape is shape
 * (ONNX order) or, when nhwc, shape permuted to [N, H, W, C]; other is -1 or the same data
 * relabelled in the other layout. */
typedef struct onnx_value {
    const char *name;    /* points into the protobuf */
    onnx_kind kind;
    int is_const;        /* structural: computable at import time (set before mapping) */
    onnx_const c;        /* ONNX_V_CONST */
    int t;               /* ONNX_V_ACT: IR tensor */
    int nhwc;            /* ONNX_V_ACT, rank 4: the IR tensor is channels-last */
    int other;           /* ONNX_V_ACT: IR tensor in the other layout, or -1 */
    fast_shape shape;    /* ONNX_V_ACT: dimensions in ONNX order */
    int producer;        /* node index, or -1 for inputs and initializers */
    int n_consumers;     /* node inputs that read it, plus 1 when it is a graph output */
    int is_output;       /* a graph output */
} onnx_value;

/* One import. Invariant: v[0, n_v) are all named values, found through the hash table;
 * order[0, n_nodes) lists the nodes in a topological order once ordering succeeded. */
typedef struct onnx_ctx {
    const char *file;
    fast_diag *d;
    const fast_workload_opts *opts;
    Onnx__ModelProto *model;
    Onnx__GraphProto *gp;
    int64_t opset;         /* version of the default ("" or "ai.onnx") domain */
    onnx_value *v;
    int n_v, cap_v;
    int *hash;             /* open addressing: value index + 1, 0 empty */
    int hash_cap;
    int n_nodes;
    int *order;
    char *skip;            /* per node: 1 when a pattern already imported it */
    int *cons_off;         /* per value v: its consumer nodes are cons[cons_off[v] ..
                              cons_off[v + 1]) (a node reading v twice is listed twice) */
    int *cons;
    fast_graph *g;
    char *sym_names[64];   /* dim_param symbols fixed by the graph inputs */
    int64_t sym_values[64];
    int n_syms;
} onnx_ctx;

/* ---- onnx.c: values, attributes, names, emitting IR ops ---- */

/* Index of the value named name, or -1. */
int onnx_find(const onnx_ctx *c, const char *name);

/* The value that input i of node reads, or NULL when the input is absent or empty. */
onnx_value *onnx_input(onnx_ctx *c, const Onnx__NodeProto *n, int i);

/* The value written by output i of node (always registered), or NULL when absent. */
onnx_value *onnx_output(onnx_ctx *c, const Onnx__NodeProto *n, int i);

/* Where a node is, for messages: its name, or "nodes[K] (OpType)" when it has none. The
 * result lives in buf. */
const char *onnx_where(const onnx_ctx *c, const Onnx__NodeProto *n, char *buf, size_t len);

/* Adds an error about node n (reason printf-style); returns -1. */
int onnx_fail(onnx_ctx *c, const Onnx__NodeProto *n, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Attribute lookups: the attribute named name, or NULL. */
const Onnx__AttributeProto *onnx_attr(const Onnx__NodeProto *n, const char *name);
int64_t onnx_attr_int(const Onnx__NodeProto *n, const char *name, int64_t def);
double onnx_attr_float(const Onnx__NodeProto *n, const char *name, double def);
/* Copies up to max integers of an INTS attribute; returns the count, or -1 when absent. */
int onnx_attr_ints(const Onnx__NodeProto *n, const char *name, int64_t *out, int max);
/* The STRING attribute, or def when absent, as a NUL-terminated copy in buf; returns buf. */
const char *onnx_attr_str(const Onnx__NodeProto *n, const char *name, const char *def,
                          char *buf, size_t len);

/* The IR tensor of activation value v in the wanted layout (1 channels-last, 0 ONNX order),
 * adding a free relabelling reshape when needed; -1 on error (diagnostic added). */
int onnx_act_layout(onnx_ctx *c, onnx_value *v, int nhwc);

/* Adds an IR op named after the ONNX value out_name (plus suffix, may be ""), made unique
 * and at most 128 characters. Returns the IR tensor or -1 with a diagnostic naming node n. */
int onnx_emit(onnx_ctx *c, const Onnx__NodeProto *n, const char *out_name, const char *suffix,
              fast_op_type type, const int *inputs, int n_inputs, const fast_op_attrs *a);

/* Makes value v the activation of IR tensor t; its ONNX shape follows from the IR shape
 * (un-permuted when nhwc). */
void onnx_bind(onnx_ctx *c, onnx_value *v, int t, int nhwc);

/* Permutes an ONNX-order rank-4 shape to [N, H, W, C] (nhwc 1) or back (nhwc 0, from
 * channels-last). Other ranks are returned unchanged. */
fast_shape onnx_to_nhwc(fast_shape s);
fast_shape onnx_from_nhwc(fast_shape s);

/* ---- onnx_fold.c: constant tensors ---- */

/* Reads a TensorProto into k; returns 0, or -1 with a diagnostic naming where. Values are
 * kept when the tensor has at most ONNX_DATA_MAX elements and is stored in the file. */
int onnx_const_read(onnx_ctx *c, const Onnx__TensorProto *t, const char *where, onnx_const *k);

/* Frees the values of k; leaves its dims. */
void onnx_const_clear(onnx_const *k);

/* 1 when node k of type op_type can be computed at import time from constant inputs. */
int onnx_foldable(const char *op_type);

/* Computes node n, all of whose present inputs are constants (Shape and Size may read an
 * activation), into constant outputs. Returns 0, or -1 with a diagnostic. */
int onnx_fold_node(onnx_ctx *c, const Onnx__NodeProto *n);

/* The integer values of a constant (shape, axes, pads...): copies up to max into out and
 * returns the count, or -1 with a diagnostic naming node n when the values are unknown. */
int onnx_const_ints(onnx_ctx *c, const Onnx__NodeProto *n, const onnx_value *v,
                    int64_t *out, int max);

/* The first value of a constant as a double, or def when v is NULL; -1 with a diagnostic
 * when it has no known value. */
int onnx_const_scalar(onnx_ctx *c, const Onnx__NodeProto *n, const onnx_value *v, double def,
                      double *out);

/* The axes of Squeeze, Unsqueeze and Reduce*: the attribute (older opsets) or input 1.
 * Returns the count, -2 when neither is given, -1 on error. */
int onnx_get_axes(onnx_ctx *c, const Onnx__NodeProto *n, int64_t *axes);

/* The dims of a Reshape of input dims in (rank) to the shape values (0 copies, -1 infers);
 * 0 or -1 with a diagnostic. */
int onnx_reshape_dims(onnx_ctx *c, const Onnx__NodeProto *n, int rank, const int64_t *in,
                      const int64_t *shape, int n_shape, int64_t *out);

/* Start and length of one sliced axis after ONNX's clamping. */
void onnx_slice_axis(int64_t dim, int64_t start, int64_t end, int64_t step, int64_t *s0,
                     int64_t *len);

/* Per axis of a rank-r input of dims: start, step and output length of a Slice node
 * (attributes before opset 10, inputs after). 0 or -1 with a diagnostic. */
int onnx_slice_params(onnx_ctx *c, const Onnx__NodeProto *n, int r, const int64_t *dims,
                      int64_t *start, int64_t *step, int64_t *len);

/* The static shape the file declares for value name (value_info or graph outputs), with
 * the symbols of the inputs resolved; returns the rank, or -1 when unknown. */
int onnx_declared_shape(onnx_ctx *c, const char *name, fast_shape *out);

/* ---- onnx_ops.c: the operator mapping ---- */

/* 1 when this build maps (or folds) the operator of node n. */
int onnx_supported(const Onnx__NodeProto *n);

/* Maps node k onto IR ops (or folds it); returns 0, or -1 with a diagnostic. */
int onnx_map_node(onnx_ctx *c, int k);

/* Maps node k of an unsupported operator as FAST_OP_UNSUPPORTED ops, one per output, with
 * shapes from the file's value_info; returns 0 or -1 with a diagnostic. */
int onnx_map_unsupported(onnx_ctx *c, int k);

/* ---- onnx_patterns.c: several nodes as one IR op ---- */

/* Tries the patterns that start at node k (layernorm, GELU, hard-swish, swish, MatMul with
 * its bias): on a match emits the op, binds the pattern's output, marks its other nodes in
 * c->skip and returns 1; returns 0 when nothing matches, -1 on an error. */
int onnx_try_patterns(onnx_ctx *c, int k);

#endif
