/* ONNX import: an .onnx inference model becomes a workload graph (docs/workloads.md,
 * "ONNX import"). Shapes come from shape inference through the ONNX graph with constant
 * subgraphs folded; initializers and Constant nodes become the params of the ops that read
 * them. */
#ifndef FAST_ONNX_H
#define FAST_ONNX_H

#include "core/diag.h"
#include "workloads/graph.h"
#include "workloads/workload.h"

/* Reads the ONNX model at path and maps it onto the IR with the options o (input shapes,
 * batch, unsupported operators). Returns a graph the caller owns (fast_graph_destroy), or
 * NULL with diagnostics "PATH: error[workload]: WHERE = VALUE: reason" (malformed file,
 * dynamic dimension left unfixed, unsupported operators listed with their counts, shape
 * mismatch at a node). With o->allow_unsupported, unsupported operators become
 * FAST_OP_UNSUPPORTED ops and one warning per operator type is added. */
fast_graph *fast_onnx_load(const char *path, const fast_workload_opts *o, fast_diag *d);

/* Same, from the bytes of a model already in memory (len bytes; file names it in
 * messages). */
fast_graph *fast_onnx_parse(const void *data, size_t len, const char *file,
                            const fast_workload_opts *o, fast_diag *d);

#endif
