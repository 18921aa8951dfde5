/* Where workloads come from: one entry point that accepts a built-in model name, an inline
 * layer (gemm:M,K,N or conv:H,W,Cin,Cout,K,stride[,groups]) or a JSON file. */
#ifndef FAST_WORKLOAD_H
#define FAST_WORKLOAD_H

#include <stdint.h>

#include "core/diag.h"
#include "workloads/graph.h"

/* Largest batch any command accepts. */
#define FAST_MAX_BATCH 65536

/* Loads the workload that spec names, at the given batch (>= 1; a JSON file's own batch is
 * replaced). Returns a graph the caller owns (fast_graph_destroy), or NULL with diagnostics
 * naming the spec: unknown model (with a suggestion), malformed inline spec, unreadable or
 * bad file. */
fast_graph *fast_workload_load(const char *spec, int64_t batch, fast_diag *d);

/* Builds an inline layer; spec starts with "gemm:" or "conv:". NULL with a diagnostic on a
 * malformed spec. The caller owns the graph. */
fast_graph *fast_workload_inline(const char *spec, int64_t batch, fast_diag *d);

#endif
