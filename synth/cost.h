/* Area and TDP of a configuration (docs/cost.md): logic from the calibrated area model,
 * memories from the SRAM model, and the peak power of every unit at full utilization at the
 * configured clock plus leakage. Perf/TDP, the search objective, divides by tdp_w. */
#ifndef FAST_SYNTH_COST_H
#define FAST_SYNTH_COST_H

#include "core/arch.h"
#include "synth/area_model.h"

/* The area of a chip, mm² at its node. Invariant: total_mm2 = logic_mm2 + sram_mm2 and
 * logic_mm2 = arrays_mm2 + vector_mm2 + other_mm2. */
typedef struct fast_area {
    double arrays_mm2;  /* systolic arrays with skew, deskew and accumulator adders */
    double vector_mm2;  /* vector lanes */
    double other_mm2;   /* bank multiplexers and per-core fixed logic */
    double logic_mm2;
    double sram_mm2;    /* scratchpads and global memory (SRAM model) */
    double total_mm2;
} fast_area;

/* Peak power of a chip, W. Invariant: dynamic_w is the sum of the five unit terms and
 * tdp_w = dynamic_w + leakage_w; every term >= 0. */
typedef struct fast_power {
    double mac_w;        /* every PE doing one MAC per cycle */
    double vector_w;     /* every vector lane doing one operation per cycle */
    double spad_w;       /* scratchpad ports at their peak access rates */
    double global_w;     /* global memory ports, one 64-byte access per bank per cycle */
    double dram_w;       /* external memory at its peak bandwidth */
    double dynamic_w;
    double leakage_w;    /* proportional to area, per node */
    double tdp_w;
} fast_power;

/* Area of configuration a with calibration c. */
fast_area fast_cost_area(const fast_arch *a, const fast_calib *c);

/* Peak bytes per cycle that one core's datapath moves through its scratchpads: the arrays'
 * operand and accumulator ports, the vector unit's reads and writes, and the DMA filling
 * them at the core's share of DRAM bandwidth. */
double fast_cost_spad_bytes_per_cycle(const fast_arch *a);

/* Leakage power density of the node, W/mm² (an assumption stated in docs/cost.md). */
double fast_cost_leakage_w_mm2(int64_t process_nm);

/* TDP of configuration a whose area is `area` (from fast_cost_area). */
fast_power fast_cost_tdp(const fast_arch *a, const fast_area *area);

#endif
