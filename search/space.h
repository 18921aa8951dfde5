/* The design space: the hardware parameters the search may choose, and a deterministic
 * random sampler over them. */
#ifndef FAST_SPACE_H
#define FAST_SPACE_H

#include <stdint.h>

#include "core/arch.h"

/* A small deterministic random generator (splitmix64). Invariant: same seed, same
 * sequence, on every machine. A plain value; one per thread. */
typedef struct fast_rng {
    uint64_t state;
} fast_rng;

/* Seeds a generator. */
void fast_rng_seed(fast_rng *r, uint64_t seed);

/* The next 64 random bits. */
uint64_t fast_rng_next(fast_rng *r);

/* A uniform integer in [0, n) for n >= 1. */
uint64_t fast_rng_below(fast_rng *r, uint64_t n);

/* Draws a configuration uniformly over the choices of each parameter (docs/search.md:
 * array shape, count, cores, dataflow, dtype, vector lanes, scratchpads, global memory,
 * banks, DRAM bandwidth and latency, clock, node), redrawing until it passes
 * fast_arch_validate. The name is "rand-" and a counter-free hash of the draw. */
void fast_space_sample(fast_rng *r, fast_arch *a);

#endif
