/* Where workloads come from: one entry point that accepts a built-in model name, an inline
 * layer (gemm:M,K,N or conv:H,W,Cin,Cout,K,stride[,groups]), a JSON file or an ONNX file. */
#ifndef FAST_WORKLOAD_H
#define FAST_WORKLOAD_H

#include <stdint.h>

#include "core/diag.h"
#include "workloads/graph.h"

/* Largest batch any command accepts. */
#define FAST_MAX_BATCH 65536

/* How to load a workload. Invariant: 1 <= batch <= FAST_MAX_BATCH; input_shapes holds
 * n_input_shapes strings "NAME=D0,D1,..." (owned by the caller). */
typedef struct fast_workload_opts {
    int64_t batch;       /* the first dimension of every graph input */
    int batch_given;     /* 1 when the user chose the batch: it then overrides the first
                            dimension an ONNX file or --input-shape states */
    const char *const *input_shapes; /* ONNX only: fixes the dimensions of named inputs */
    size_t n_input_shapes;
    int allow_unsupported; /* ONNX only: import unknown operators as vector-unit ops */
} fast_workload_opts;

/* Loads the workload that spec names, at the given batch (>= 1; a JSON file's own batch is
 * replaced). Returns a graph the caller owns (fast_graph_destroy), or NULL with diagnostics
 * naming the spec: unknown model (with a suggestion), malformed inline spec, unreadable or
 * bad file. Same as fast_workload_load_opts with only the batch set. */
fast_graph *fast_workload_load(const char *spec, int64_t batch, fast_diag *d);

/* Loads the workload that spec names (a built-in model, an inline layer, a JSON file or an
 * ONNX file ending in .onnx) with the given options. Returns a graph the caller owns, or
 * NULL with diagnostics naming the spec; warnings (unsupported ONNX operators imported
 * anyway) may be added on success. input_shapes given for a workload that is not an ONNX
 * file are an error. */
fast_graph *fast_workload_load_opts(const char *spec, const fast_workload_opts *o,
                                    fast_diag *d);

/* 1 when spec names an ONNX file (it ends in ".onnx"). */
int fast_workload_is_onnx(const char *spec);

/* Builds an inline layer; spec starts with "gemm:" or "conv:". NULL with a diagnostic on a
 * malformed spec. The caller owns the graph. */
fast_graph *fast_workload_inline(const char *spec, int64_t batch, fast_diag *d);

#endif
