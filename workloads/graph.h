/* The DNN graph IR: tensors with shapes, and operations in topological order.
 *
 * Layout: activations are NHWC ([N, H, W, C]) for convolutions and pooling, and
 * [..., rows, cols] for matrix operations (the last dimension is contiguous). Weights of
 * conv2d and fc are not tensors of the graph: they are implied by the attributes (a conv's
 * weights are [Cout, KH, KW, Cin/groups]) and counted in the op's params.
 *
 * Counting (per whole batch): conv2d MACs = N*Ho*Wo*Cout*KH*KW*Cin/groups, params =
 * Cout*KH*KW*Cin/groups (+ Cout with a bias); fc MACs = rows*K*units, params = K*units
 * (+ units); matmul MACs = batch dims*M*K*N, no params; batchnorm and layernorm have 2
 * params per channel (scale, shift; running statistics fold into them) and no MACs;
 * embedding has vocab*units params; vector and unsupported ops have the params their
 * attributes state (constants they read). Every other op has neither. A tensor holds at most
 * 2^40 elements.
 *
 * A graph owns every tensor, op and string in it. Ops are kept in topological order
 * (every input is produced by an earlier op or is a graph input). Passes (fusion, padding)
 * rewrite ops in place: they mark ops fused into a neighbour and change tensor shapes, then
 * call fast_graph_infer() again; see docs/workloads.md.
 */
#ifndef FAST_GRAPH_H
#define FAST_GRAPH_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "core/diag.h"

#define FAST_MAX_RANK 6
#define FAST_OP_MAX_IN 8 /* concat takes at most this many inputs */

/* A tensor shape. Invariant: 1 <= rank <= FAST_MAX_RANK and every d[i] >= 1. */
typedef struct fast_shape {
    int rank;
    int64_t d[FAST_MAX_RANK];
} fast_shape;

/* Element type of a tensor as the workload specifies it; the accelerator's array dtype
 * decides how it is actually computed. */
typedef enum fast_elem {
    FAST_ELEM_INT8,
    FAST_ELEM_BF16,
    FAST_ELEM_FP32,
    FAST_ELEM_INT32 /* indices (token ids of an embedding lookup) */
} fast_elem;

typedef enum fast_op_type {
    FAST_OP_CONV2D,     /* NHWC input; attrs.conv; groups == Cin == Cout is depthwise */
    FAST_OP_MATMUL,     /* two activations [..., M, K] x [..., K, N] (batched; attention) */
    FAST_OP_FC,         /* fully connected / gemm: [..., K] x weights [K, N] (+ bias) */
    FAST_OP_ADD,        /* elementwise, with numpy broadcasting of the second input */
    FAST_OP_MUL,        /* elementwise, with broadcasting (squeeze-and-excitation scale) */
    FAST_OP_RELU,
    FAST_OP_RELU6,
    FAST_OP_SIGMOID,
    FAST_OP_SWISH,      /* x * sigmoid(x), also called SiLU */
    FAST_OP_GELU,
    FAST_OP_TANH,
    FAST_OP_SOFTMAX,    /* over attrs.axis */
    FAST_OP_LAYERNORM,  /* over the last dimension, with scale and shift params */
    FAST_OP_BATCHNORM,  /* per channel (last dimension); foldable into a preceding conv */
    FAST_OP_AVGPOOL,    /* NHWC; attrs.pool */
    FAST_OP_MAXPOOL,    /* NHWC; attrs.pool */
    FAST_OP_GLOBALPOOL, /* NHWC -> [N, 1, 1, C], average */
    FAST_OP_RESHAPE,    /* attrs.shape; no data movement in the model */
    FAST_OP_TRANSPOSE,  /* attrs.perm */
    FAST_OP_CONCAT,     /* along attrs.axis */
    FAST_OP_EMBEDDING,  /* int32 ids [...] -> [..., units] rows of a [vocab, units] table */
    FAST_OP_VECTOR,     /* any other vector-unit op: output shape attrs.shape, constants it
                           reads attrs.params (slice, pad, resize, x + constant, ...) */
    FAST_OP_UNSUPPORTED, /* an imported op this IR does not know; priced like FAST_OP_VECTOR */
    FAST_OP_COUNT
} fast_op_type;

/* Attributes of conv2d. Invariant after inference: kh, kw, strides, dilations, groups >= 1;
 * pads >= 0; cout % groups == 0 and cin % groups == 0. */
typedef struct fast_conv_attrs {
    int64_t cout, kh, kw;
    int64_t stride_h, stride_w;
    int64_t dil_h, dil_w;
    int64_t pad_top, pad_bottom, pad_left, pad_right;
    int64_t groups;
    int bias; /* 1 when the conv has a bias (counted in params) */
} fast_conv_attrs;

/* Attributes of avgpool and maxpool. */
typedef struct fast_pool_attrs {
    int64_t kh, kw, stride_h, stride_w;
    int64_t pad_top, pad_bottom, pad_left, pad_right;
} fast_pool_attrs;

/* Attributes of one op; which members are meaningful depends on the type. */
typedef struct fast_op_attrs {
    fast_conv_attrs conv;  /* FAST_OP_CONV2D */
    fast_pool_attrs pool;  /* FAST_OP_AVGPOOL, FAST_OP_MAXPOOL */
    int64_t units;         /* FAST_OP_FC: N, output features; FAST_OP_EMBEDDING: width */
    int64_t vocab;         /* FAST_OP_EMBEDDING: rows of the table */
    int bias;              /* FAST_OP_FC: has a bias */
    int transpose_b;       /* FAST_OP_MATMUL: second operand is [..., N, K] */
    int axis;              /* FAST_OP_SOFTMAX, FAST_OP_CONCAT: may be negative (from end) */
    fast_shape shape;      /* FAST_OP_RESHAPE: target; one dimension may be -1.
                              FAST_OP_VECTOR, FAST_OP_UNSUPPORTED: the output shape; a -1
                              takes the same dimension of input 0 */
    int64_t params;        /* FAST_OP_VECTOR, FAST_OP_UNSUPPORTED: constant elements read */
    char what[48];         /* FAST_OP_VECTOR, FAST_OP_UNSUPPORTED: what the op is, e.g. the
                              ONNX operator ("Resize"); "" when unknown; NUL-terminated */
    int perm[FAST_MAX_RANK]; /* FAST_OP_TRANSPOSE: output dim i is input dim perm[i] */
} fast_op_attrs;

/* A tensor. Invariant: producer is the index of the op that writes it, or -1 for a graph
 * input. Shapes of op outputs are set by fast_graph_infer(). */
typedef struct fast_tensor {
    char *name;
    fast_shape shape;
    fast_elem elem;
    int producer;
} fast_tensor;

/* An operation. Invariant: inputs[0, n_inputs) and output index tensors of the graph;
 * macs and params are set by fast_graph_infer() (multiply-accumulates and weights,
 * per whole batch for macs). fused_into is -1, or the index of the op that absorbs this one
 * (a pass sets it; the model then prices the pair as one). */
typedef struct fast_op {
    char *name;
    fast_op_type type;
    int inputs[FAST_OP_MAX_IN];
    int n_inputs;
    int output;
    fast_op_attrs attrs;
    int64_t macs;
    int64_t params;
    int fused_into;
} fast_op;

/* A workload. Invariant: ops[0, n_ops) are in topological order; tensor and op names are
 * unique. batch is the N of every graph input (1 unless --batch says otherwise). */
typedef struct fast_graph {
    char *name;
    int64_t batch;
    fast_tensor *tensors;
    int n_tensors, cap_tensors;
    fast_op *ops;
    int n_ops, cap_ops;
} fast_graph;

/* Name of an op type as the JSON format writes it ("conv2d", "matmul", ...). */
const char *fast_op_type_name(fast_op_type t);

/* Op type from its JSON name; returns -1 when unknown. */
int fast_op_type_from_name(const char *name);

/* Every op type name in enum order, NULL-terminated. */
extern const char *const fast_op_type_names[FAST_OP_COUNT + 1];

/* Name of an element type ("int8", "bf16", "fp32", "int32"), its inverse (-1 when unknown),
 * and its size in bytes. */
const char *fast_elem_name(fast_elem e);
int fast_elem_from_name(const char *name);
int fast_elem_bytes(fast_elem e);

/* Creates an empty graph named name; the caller owns it (fast_graph_destroy). */
fast_graph *fast_graph_create(const char *name, int64_t batch);

/* Frees the graph and everything in it; NULL is a no-op. */
void fast_graph_destroy(fast_graph *g);

/* Adds a graph input tensor; returns its index, or -1 (with a diagnostic) on a bad shape or
 * a duplicate name. */
int fast_graph_input(fast_graph *g, const char *name, fast_shape shape, fast_elem elem,
                     fast_diag *d);

/* Appends an op reading the given tensors and writing a new tensor named after the op;
 * infers the output shape, MACs and params at once. Returns the output tensor index, or -1
 * with a diagnostic "error[workload]: OPNAME: reason" (shape mismatch with expected vs got,
 * unknown input, overflow of the MAC count). Attributes are copied. */
int fast_graph_add(fast_graph *g, const char *name, fast_op_type type, const int *inputs,
                   int n_inputs, const fast_op_attrs *attrs, fast_diag *d);

/* Re-runs shape inference and counting over every op in order (after a pass rewrote
 * shapes or attributes). Returns FAST_OK or FAST_EINPUT with diagnostics. */
fast_status fast_graph_infer(fast_graph *g, fast_diag *d);

/* Total MACs and params over every op. */
int64_t fast_graph_macs(const fast_graph *g);
int64_t fast_graph_params(const fast_graph *g);

/* Element count of a shape (saturates at INT64_MAX). */
int64_t fast_shape_elems(const fast_shape *s);

/* A shape from a list of dimensions. */
fast_shape fast_shape_make(int rank, const int64_t *dims);

/* TensorFlow "same" padding along one axis of in elements, for a window spanning span
 * elements (dilation * (kernel - 1) + 1) moved by stride: the total pad is
 * max((ceil(in / stride) - 1) * stride + span - in, 0), the smaller half before. Zero pads
 * when any argument is below 1. */
void fast_same_pad(int64_t in, int64_t span, int64_t stride, int64_t *before, int64_t *after);

/* 1 when the shapes have the same rank and dimensions. */
int fast_shape_equal(const fast_shape *a, const fast_shape *b);

/* Index of the tensor with this name, or -1. */
int fast_graph_find_tensor(const fast_graph *g, const char *name);

/* Writes the shape as "[1,56,56,24]" into buf. */
void fast_shape_format(const fast_shape *s, char *buf, int n);

#endif
