/* The design space and its sampler. */
#include "search/space.h"

#include <inttypes.h>
#include <stdio.h>

void fast_rng_seed(fast_rng *r, uint64_t seed)
{
    r->state = seed;
}

uint64_t fast_rng_next(fast_rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t fast_rng_below(fast_rng *r, uint64_t n)
{
    /* Rejection sampling: no modulo bias. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = fast_rng_next(r);
    while (x >= limit);
    return x % n;
}

#define PICK(r, arr) ((arr)[fast_rng_below((r), sizeof(arr) / sizeof((arr)[0]))])

void fast_space_sample(fast_rng *r, fast_arch *a)
{
    static const int64_t dims[] = {4, 8, 16, 32, 64, 128, 256};
    static const int64_t counts[] = {1, 2, 4};
    static const int64_t cores[] = {1, 2, 4, 8};
    static const int64_t lane_mult[] = {1, 2, 4, 8};
    static const int64_t kib[] = {16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
    static const int64_t global_mib[] = {0, 0, 1, 4, 16, 64};
    static const int64_t banks[] = {1, 2, 4, 8, 16, 32};
    static const double bw[] = {12.8, 25.6, 51.2, 102.4, 204.8, 409.6, 900, 1200};
    static const double lat[] = {50, 100, 200, 500};
    static const double clock[] = {200, 500, 700, 940, 1000, 1200, 1500};
    static const int64_t nodes[] = {45, 28, 16, 7};
    do {
        fast_arch_default(a);
        a->array.rows = PICK(r, dims);
        a->array.cols = PICK(r, dims);
        a->array.count = PICK(r, counts);
        a->cores = PICK(r, cores);
        a->array.dataflow = fast_rng_below(r, 2) ? FAST_DATAFLOW_OS : FAST_DATAFLOW_WS;
        a->array.dtype = fast_rng_below(r, 2) ? FAST_DTYPE_BF16 : FAST_DTYPE_INT8;
        a->vector.lanes = a->array.cols * PICK(r, lane_mult);
        a->memory.input_kib = PICK(r, kib);
        a->memory.weight_kib = PICK(r, kib);
        a->memory.acc_kib = PICK(r, kib);
        a->memory.global_mib = PICK(r, global_mib);
        a->memory.banks = PICK(r, banks);
        a->dram.bandwidth_gbps = PICK(r, bw);
        a->dram.latency_ns = PICK(r, lat);
        a->clock_mhz = PICK(r, clock);
        a->process_nm = PICK(r, nodes);
        uint64_t h = fast_arch_hash(a);
        snprintf(a->name, sizeof a->name, "rand-%016" PRIx64, h);
    } while (fast_arch_validate(a, NULL, NULL) != FAST_OK);
}
