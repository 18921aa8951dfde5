/* The C driver of the Verilator harness (docs/sim.md): compiles one layer, fills its
 * input and weights with seeded random int8, generates the configuration's RTL, builds the
 * harness (sim/rtl/harness.cpp) with Verilator into a cache, runs the program on the whole
 * accelerator with external memory at the configuration's latency and bandwidth, and
 * compares the output with the direct layer reference (sim/ref/layer.h) bit for bit and
 * the cycles with the analytical model's. */
#ifndef FAST_SIM_RTL_RUN_H
#define FAST_SIM_RTL_RUN_H

#include <stdint.h>

#include "core/arch.h"
#include "core/diag.h"
#include "core/isa.h"
#include "sim/model/model.h"
#include "sim/ref/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How to run. Zeroed fields take the defaults given. */
typedef struct fast_simrtl_opts {
    const char *layer_name; /* the file that layer errors and failed runs name (the inline
                               spec), or NULL */
    const char *arch_file;  /* the file that configuration problems name, or NULL */
    uint64_t seed;          /* of the input and weight values; 0 means 1 */
    int64_t max_cycles;     /* a run without done_o by then is a hang; 0: 10 x the model's
                               cycles + 100000 */
    const char *trace_path; /* an FST waveform of the run (a tracing build), or NULL */
    const char *cache_dir;  /* NULL: $FAST_CACHE_DIR, else <build dir>/.cache/fast-sim when
                               the build directory exists, else ./.cache/fast-sim */
    const char *rtl_dir;    /* NULL: generate the RTL; else build the .v files and the
                               parameters header of this directory (hand-edited RTL) */
    int jitter;             /* 1: random gaps in every handshake of the memory model (the
                               data must still match; the cycles are not comparable) */
} fast_simrtl_opts;

/* What a run measured. Units: cycles of the core clock, bytes, seconds. Invariant after
 * FAST_OK: mismatches <= outputs, bit_exact == (mismatches == 0), and when mismatches > 0
 * first_index is the first output (flat index in the layer's output order) that differs. */
typedef struct fast_simrtl_result {
    char top[FAST_ARCH_NAME_MAX + 16]; /* the accelerator's top module */
    int64_t instructions;               /* program length, END included */
    int64_t by_op[FAST_ISA_OP_COUNT];
    fast_tiling tiling;                 /* the tiling the program follows */
    int64_t model_cycles;               /* fast_compiled.model_cycles */
    fast_unit model_unit;               /* where the model maps the layer (a depthwise conv
                                           may be priced on the vector unit but runs on the
                                           arrays, docs/isa.md 6) */
    fast_bound model_bound;             /* fast_compiled.model_bound */
    int64_t rtl_cycles;                 /* start_i to done_o in the harness */
    int64_t last_write_cycle;           /* the last write beat's cycle (done_o waits for its
                                           response, L later); -1 when nothing was written */
    double error;                       /* (rtl - model) / model */
    int64_t outputs, mismatches;
    int bit_exact;
    int64_t first_index, first_got, first_want;
    int64_t bytes_read, bytes_written;  /* external memory traffic the harness served */
    int64_t lat;                        /* L, cycles (FAST_DRAM_LATENCY) */
    int64_t bw256;                      /* one array's B/U x 256, the DMAs' bw_i */
    int64_t mem_bw256;                  /* the memory's B x 256 (FAST_DRAM_BW256) */
    int64_t ext_bytes;                  /* W, bytes per beat */
    int64_t arrays;                     /* cores x arrays per core */
    int cached;                         /* 1: the harness build came from the cache */
    double build_s, sim_s;              /* Verilator build (0 when cached), harness run */
    char cache_entry[4096];             /* the cache directory of this build */
} fast_simrtl_result;

/* Runs layer l (as fast_compile_layer takes it) on the RTL of a (validated). Fills *r and
 * returns FAST_OK when the run finished, bit-exact or not; on error returns, with
 * diagnostics: FAST_EINPUT a layer the compiler or the DMA cannot take (kind "compile",
 * "sim"); FAST_ETOOL Verilator missing (kind "tool"), a failed Verilator build (kind "sim",
 * naming its log, nothing left in the cache), the generator not emitting the accelerator
 * top, an I/O problem; FAST_EFAIL the harness ran and failed (kind "sim": no done_o within
 * the cycle limit, naming the last instruction fetched, or a protocol error on the memory
 * port). Prints nothing. */
fast_status fast_simrtl_run(const fast_arch *a, const fast_layer *l, const fast_simrtl_opts *o,
                            fast_simrtl_result *r, fast_diag *d);

#ifdef __cplusplus
}
#endif

#endif
