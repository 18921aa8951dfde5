/* The analytical performance and energy model (docs/model.md, sections 3-5): prices every
 * operation of a workload on an accelerator configuration, choosing per operation the
 * mapping (array or vector unit), the split over cores and arrays, and the tiling. */
#ifndef FAST_MODEL_H
#define FAST_MODEL_H

#include <stdint.h>

#include "core/arch.h"
#include "core/diag.h"
#include "workloads/graph.h"

/* Where an op runs. */
typedef enum fast_unit {
    FAST_UNIT_NONE,   /* no work: reshape, concat in place, or fused into another op */
    FAST_UNIT_ARRAY,  /* the systolic arrays (as an implicit GEMM) */
    FAST_UNIT_VECTOR, /* the vector unit */
    FAST_UNIT_DMA     /* pure data movement: transpose, embedding gather */
} fast_unit;

/* How an array op is split over the cores x arrays of the chip. */
typedef enum fast_split { FAST_SPLIT_N, FAST_SPLIT_M, FAST_SPLIT_G } fast_split;

/* Loop order of the blocks of one array's GEMM; k is always innermost so partial sums stay
 * in the accumulator. */
typedef enum fast_order { FAST_ORDER_MNK, FAST_ORDER_NMK } fast_order;

/* What bounds an op's time. */
typedef enum fast_bound { FAST_BOUND_COMPUTE, FAST_BOUND_MEMORY, FAST_BOUND_VECTOR,
                          FAST_BOUND_NONE } fast_bound;

/* The tiling of an array op, as one array runs it (docs/model.md section 4). Invariant for
 * an array op: 1 <= tm <= m, 1 <= tk <= k, 1 <= tn <= n, tk a multiple of R or k, tn a
 * multiple of C or n; g, m, k, n are the per-array GEMM (g independent GEMMs of m x k by
 * k x n). */
typedef struct fast_tiling {
    int64_t g, m, k, n;     /* the GEMM one array computes */
    int64_t tm, tk, tn;     /* block sizes */
    fast_order order;
    int double_buffered;    /* 1 when loads and stores overlap compute */
    fast_split split;       /* how the op was divided over the arrays */
    int64_t units;          /* arrays that get work */
    int64_t blocks;         /* blocks one array runs */
} fast_tiling;

/* The price of one op. Units: cycles of the core clock, bytes, pJ. */
typedef struct fast_op_cost {
    fast_unit unit;
    fast_bound bound;
    int64_t cycles;         /* 0 for free or fused ops (the head op carries their time) */
    int64_t compute_cycles; /* the busiest unit's compute time alone */
    int64_t dram_bytes;     /* external memory traffic, reads + writes */
    int64_t global_bytes;   /* global memory traffic, reads + writes */
    int64_t sram_bytes;     /* scratchpad traffic, reads + writes */
    int64_t macs;
    int64_t vector_elems;   /* element operations on the vector unit */
    double energy_pj;
    int fused_into;         /* -1, or the op that carries this one */
    fast_tiling tiling;     /* meaningful when unit == FAST_UNIT_ARRAY */
} fast_op_cost;

/* The price of a workload. Invariant: cycles is the sum of the ops' cycles. */
typedef struct fast_model_result {
    int n_ops;
    fast_op_cost *ops; /* one per graph op, owned by the result */
    int64_t cycles;
    int64_t macs;
    int64_t dram_bytes;
    double energy_pj;
    double latency_s;
    double throughput_ips; /* inferences (batch elements) per second */
    double utilization;    /* MACs / (cycles x peak MACs per cycle) */
} fast_model_result;

/* Peak MACs per cycle of the chip: every PE of every array, plus one MAC per vector lane. */
int64_t fast_model_peak_macs(const fast_arch *a);

/* Prices graph g on accelerator a; the graph must have passed inference. The caller owns
 * the result (fast_model_result_destroy). NULL with a diagnostic when an op cannot be mapped
 * at all (its smallest tile does not fit the scratchpads). The graph is not modified; fusion
 * decisions are read from fused_into (see fast_graph_fuse). */
fast_model_result *fast_model_eval(const fast_arch *a, const fast_graph *g, fast_diag *d);

/* Frees a result; NULL is a no-op. */
void fast_model_result_destroy(fast_model_result *r);

/* One GEMM as the arrays run it: g independent products of m x k by k x n, and how its
 * operands and results move. */
typedef struct fast_gemm {
    int64_t g, m, k, n;
    int weights_are_activations; /* the k x n operand is a tensor of the graph */
    int in_on_chip, out_on_chip;  /* operands, results in the global memory (else DRAM) */
    int64_t out_bytes;            /* bytes of a stored output element: E, or 4 (int32) */
    int vector_passes;            /* fused vector passes over each finished output block */
    /* The input of a convolution is gathered by rows of the implicit GEMM (im2col): for
     * each output pixel, one contiguous piece of conv_cg channels per kernel position, in
     * runs of at most conv_wo pixels (one output row). conv_wo = 0: a plain GEMM, whose
     * input block is one transfer of rows of tk elements. */
    int64_t conv_wo, conv_cg;
} fast_gemm;

/* Prices op on the arrays (docs/model.md sections 3-4). Fills c (cycles, traffic,
 * tiling); returns 0, or -1 when no tiling fits. Exposed for tests and for the layer
 * compiler. */
int fast_model_gemm(const fast_arch *a, const fast_gemm *op, fast_op_cost *c);

/* Names for printing and JSON. */
const char *fast_unit_name(fast_unit u);
const char *fast_bound_name(fast_bound b);
const char *fast_split_name(fast_split s);
const char *fast_order_name(fast_order o);

#endif
