/* Concise construction of a fast_graph, for the built-in model zoo.
 *
 * A builder carries the graph, the diagnostics and an error flag. The first failing call
 * leaves its diagnostic (from fast_graph_add, or the builder's own) and sets the flag; every
 * later call then adds nothing and returns -1, so a model is written as a chain of calls that
 * pass tensor indices along and is checked once, with fast_b_status(), at the end.
 *
 * Op names are the builder's scope joined by '.' with the name given to the call: in scope
 * "blocks.3", fast_b_conv(b, "expand.conv", ...) adds "blocks.3.expand.conv".
 *
 * Convolutions and pools use TensorFlow "SAME" padding computed from the input size:
 * output = ceil(in / stride), total pad = max((output - 1) * stride + k - in, 0), the smaller
 * half before (top, left) and the rest after (bottom, right).
 */
#ifndef FAST_BUILDER_H
#define FAST_BUILDER_H

#include <stdint.h>

#include "core/diag.h"
#include "workloads/graph.h"

#define FAST_B_NAME_MAX 128 /* bytes of a full op name, with the NUL */

/* A builder. Invariant: failed is 0 until the first error and 1 from then on; scope is a
 * NUL-terminated prefix of op names ("" for none). The graph and diagnostics are not owned. */
typedef struct fast_builder {
    fast_graph *g;
    fast_diag *d;
    int failed;
    char scope[FAST_B_NAME_MAX];
} fast_builder;

/* Starts building into g, reporting problems to d; the builder owns nothing. */
void fast_b_init(fast_builder *b, fast_graph *g, fast_diag *d);

/* FAST_OK while no call has failed, else FAST_EINPUT (the diagnostic is already in d). */
fast_status fast_b_status(const fast_builder *b);

/* Sets the prefix of later op names (printf-formatted; "" for none). A prefix that does not
 * fit sets the error flag. */
void fast_b_scope(fast_builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Dimension i of tensor x (negative i counts from the end); 0 when x or i is invalid. */
int64_t fast_b_dim(const fast_builder *b, int x, int i);

/* A graph input (not scoped) of the given dimensions; returns its index or -1. */
int fast_b_input(fast_builder *b, const char *name, int rank, const int64_t *dims,
                 fast_elem elem);

/* Convolution of the NHWC tensor x: cout outputs, k x k kernel, stride, groups (1 for a
 * dense conv), with or without bias, "SAME" padding. Returns the output or -1. */
int fast_b_conv2d(fast_builder *b, const char *name, int x, int64_t cout, int64_t k,
                  int64_t stride, int64_t groups, int bias);

/* Dense k x k convolution without bias ("SAME" padding). */
int fast_b_conv(fast_builder *b, const char *name, int x, int64_t cout, int64_t k,
                int64_t stride);

/* Depthwise k x k convolution without bias: groups = cout = the channels of x. */
int fast_b_dwconv(fast_builder *b, const char *name, int x, int64_t k, int64_t stride);

/* Batch normalization over the last dimension. */
int fast_b_bn(fast_builder *b, const char *name, int x);

/* An activation: type is one of FAST_OP_RELU, RELU6, SIGMOID, SWISH, GELU, TANH. */
int fast_b_act(fast_builder *b, const char *name, fast_op_type type, int x);

/* Conv (groups 1, no bias) + batchnorm + activation, named BASE.conv, BASE.bn and BASE.ACT
 * (ACT is "relu", "swish", ...; with base "" just conv, bn, ACT); act FAST_OP_COUNT means
 * no activation. Returns the last output or -1. */
int fast_b_conv_bn(fast_builder *b, const char *base, int x, int64_t cout, int64_t k,
                   int64_t stride, fast_op_type act);

/* The same with a depthwise conv. */
int fast_b_dwconv_bn(fast_builder *b, const char *base, int x, int64_t k, int64_t stride,
                     fast_op_type act);

/* Fully connected over the last dimension to units outputs, with or without bias. */
int fast_b_fc(fast_builder *b, const char *name, int x, int64_t units, int bias);

/* Batched matmul x [..., M, K] by y [..., K, N] ([..., N, K] when transpose_b). */
int fast_b_matmul(fast_builder *b, const char *name, int x, int y, int transpose_b);

/* Elementwise x + y and x * y, y broadcast against x. */
int fast_b_add(fast_builder *b, const char *name, int x, int y);
int fast_b_mul(fast_builder *b, const char *name, int x, int y);

/* Global average pool: NHWC -> [N, 1, 1, C]. */
int fast_b_globalpool(fast_builder *b, const char *name, int x);

/* k x k max or average pool with the given stride and "SAME" padding. */
int fast_b_maxpool(fast_builder *b, const char *name, int x, int64_t k, int64_t stride);
int fast_b_avgpool(fast_builder *b, const char *name, int x, int64_t k, int64_t stride);

/* Reshape to dims[0, rank) (one of them may be -1). */
int fast_b_reshape(fast_builder *b, const char *name, int x, int rank, const int64_t *dims);

/* Transpose: output dimension i is input dimension perm[i], for i in [0, rank). */
int fast_b_transpose(fast_builder *b, const char *name, int x, int rank, const int *perm);

/* Softmax over axis (negative counts from the end). */
int fast_b_softmax(fast_builder *b, const char *name, int x, int axis);

/* Layer normalization over the last dimension. */
int fast_b_layernorm(fast_builder *b, const char *name, int x);

/* Rows of a [vocab, units] table looked up by the int32 ids in x. */
int fast_b_embedding(fast_builder *b, const char *name, int x, int64_t vocab, int64_t units);

#endif
