/* What the generator derives from a configuration before it writes anything: module
 * parameters, port lists and the template files a design needs. Internal to gen/. */
#ifndef FAST_GEN_PLAN_H
#define FAST_GEN_PLAN_H

#include <stdint.h>

#include "core/arch.h"
#include "gen/text.h"

#define FAST_GEN_MAX_PORTS 64
#define FAST_GEN_MAX_MODULES 64

/* One port of a template module, as the top module exposes it. Invariant: width >= 1. */
typedef struct fast_gen_port {
    const char *name; /* the template's port name, "in_act_i" */
    int output;       /* 1 for an output */
    int64_t width;    /* bits */
} fast_gen_port;

/* The derived design. Invariant after fast_gen_plan(): every count is >= 1,
 * acc_depth is a multiple of acc_banks with at least 2 rows per bank, acc_banks is a power
 * of two, and modules[0 .. n_modules) name templates that exist. */
typedef struct fast_gen_plan {
    const fast_arch *arch;
    char top[FAST_ARCH_NAME_MAX + 16]; /* "fast_<name>_core" */
    char header[256];                  /* the first-line text of every emitted file */
    uint64_t hash;
    int64_t rows, cols, count, lanes;
    int os;                /* output-stationary arrays */
    int bf16;              /* bf16 operands, fp32 sums */
    int64_t elem_bits;     /* 8 or 16 */
    int64_t row_bits;      /* bits of a PE-row index: max(1, clog2(rows)) */
    int64_t acc_depth;     /* accumulator rows per array */
    int64_t acc_banks;     /* banks per array's accumulator */
    int64_t acc_addr_bits; /* clog2(acc_depth) */
    int n_array_ports;
    fast_gen_port array_ports[FAST_GEN_MAX_PORTS];
    int n_vector_ports;
    fast_gen_port vector_ports[FAST_GEN_MAX_PORTS];
    int n_modules;
    const char *modules[FAST_GEN_MAX_MODULES]; /* templates, dependencies first */
    /* The whole accelerator (docs/rtl.md 10). */
    char accel_top[FAST_ARCH_NAME_MAX + 16]; /* "fast_<name>_accel" */
    int64_t cores, arrays;                  /* cores; arrays on the chip (cores x count) */
    int64_t ext_bytes;                      /* W: external bytes per beat */
    int64_t global_bytes;                   /* the global memory, 0 when there is none */
    int64_t dram_lat;                       /* L, cycles */
    int64_t dram_bw256;                     /* chip DRAM bytes per cycle x 256, rounded */
    int64_t rowq, qdepth, cmdq, arbq;       /* DMA look-ahead; queue depths */
    int64_t inp_depth, inp_banks, inp_port; /* per array, elements */
    int64_t wgt_depth, wgt_banks, wgt_port;
} fast_gen_plan;

/* Derives the plan of a valid configuration; FAST_EINPUT with diagnostics (kind "gen",
 * naming `file`) when the RTL cannot realize it. */
fast_status fast_gen_plan_make(const fast_arch *a, const char *file, fast_gen_plan *p,
                               fast_diag *d);

/* Appends the top module's Verilog. */
void fast_gen_top_write(const fast_gen_plan *p, fast_text *t);

/* Appends the accelerator's top module. */
void fast_gen_accel_write(const fast_gen_plan *p, fast_text *t);

/* Appends the C parameters header that harnesses include. */
void fast_gen_params_write(const fast_gen_plan *p, fast_text *t);

#endif
