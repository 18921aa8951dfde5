/* Graph passes that rewrite a workload in place before it is priced (docs/workloads.md,
 * "Passes"). */
#ifndef FAST_PASSES_H
#define FAST_PASSES_H

#include "workloads/graph.h"

/* Fills counts[t] (g->n_tensors entries, caller-owned) with the number of op inputs that
 * read tensor t. */
void fast_graph_count_consumers(const fast_graph *g, int *counts);

/* Operation fusion: marks every elementwise unary op (batchnorm and the activations) whose
 * input is produced by a conv2d, fc or matmul (directly or through ops already fused into
 * it) and read by nobody else as fused into that op (fused_into = the head's index). The
 * head's output then never leaves the chip before the fused ops have run on it. Returns the
 * number of ops fused, or -1 when out of memory (the graph is then unchanged). Idempotent. */
int fast_graph_fuse(fast_graph *g);

/* Clears every fusion mark. */
void fast_graph_unfuse(fast_graph *g);

#endif
