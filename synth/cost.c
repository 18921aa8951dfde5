/* Area and peak power (TDP). */
#include "synth/cost.h"

#include "sim/model/energy.h"
#include "synth/sram.h"

fast_area fast_cost_area(const fast_arch *a, const fast_calib *c)
{
    fast_area r = {0, 0, 0, 0, 0, 0};
    double f[FAST_AREA_TERMS];
    fast_area_features(a, f);
    double scale = (double)a->cores * 1e-6 * fast_area_node_scale(a->process_nm);
    for (int i = 0; i < FAST_AREA_TERMS; i++) {
        double mm2 = f[i] * c->coef_um2[i] * scale;
        if (i < 24)
            r.arrays_mm2 += mm2;
        else if (i == FAST_AREA_LANE_INT8 || i == FAST_AREA_LANE_INT8 + 1)
            r.vector_mm2 += mm2;
        else
            r.other_mm2 += mm2;
    }
    r.logic_mm2 = r.arrays_mm2 + r.vector_mm2 + r.other_mm2;
    r.sram_mm2 = fast_sram_chip_mm2(a);
    r.total_mm2 = r.logic_mm2 + r.sram_mm2;
    return r;
}

double fast_cost_spad_bytes_per_cycle(const fast_arch *a)
{
    double n = (double)a->array.count, rows = (double)a->array.rows;
    double cols = (double)a->array.cols;
    double eb = (double)fast_arch_elem_bytes(a), ab = (double)fast_arch_acc_bytes(a);
    double bytes = n * rows * eb          /* input scratchpad: one element per row */
                   + n * cols * eb        /* weight scratchpad: one weight row (or, for OS,
                                           * one weight per column) per cycle */
                   + n * cols * ab * 2    /* accumulator: read and write of a result row */
                   + (double)a->vector.lanes * ab * 2; /* vector unit: read and write */
    /* DMA: each core's share of the DRAM bandwidth written into its scratchpads. */
    bytes += fast_arch_dram_bytes_per_cycle(a) / (double)a->cores;
    return bytes;
}

double fast_cost_leakage_w_mm2(int64_t process_nm)
{
    /* Assumption (docs/cost.md section 4; REFERENCES.md has no leakage figure): 0.02 W/mm^2
     * at 45 nm, rising with density to 0.05 W/mm^2 at 16 nm and 0.08 W/mm^2 at 7 nm;
     * 28 nm takes 0.03 W/mm^2. */
    switch (process_nm) {
    case 45: return 0.02;
    case 28: return 0.03;
    case 16: return 0.05;
    case 7: return 0.08;
    default: return 0.05;
    }
}

fast_power fast_cost_tdp(const fast_arch *a, const fast_area *area)
{
    fast_power p = {0, 0, 0, 0, 0, 0, 0, 0};
    fast_energy e = fast_energy_of(a);
    double hz = a->clock_mhz * 1e6;
    double cores = (double)a->cores;
    p.mac_w = (double)fast_arch_pes(a) * hz * e.mac_pj * 1e-12;
    p.vector_w = cores * (double)a->vector.lanes * hz * e.vector_op_pj * 1e-12;
    p.spad_w = cores * fast_cost_spad_bytes_per_cycle(a) * hz * e.spad_byte_pj * 1e-12;
    if (a->memory.global_mib > 0) /* docs/model.md 3.1: one 64-byte port per bank per core */
        p.global_w = cores * (double)a->memory.banks * 64.0 * hz * e.global_byte_pj * 1e-12;
    p.dram_w = a->dram.bandwidth_gbps * 1e9 * e.dram_byte_pj * 1e-12;
    p.dynamic_w = p.mac_w + p.vector_w + p.spad_w + p.global_w + p.dram_w;
    p.leakage_w = area->total_mm2 * fast_cost_leakage_w_mm2(a->process_nm);
    p.tdp_w = p.dynamic_w + p.leakage_w;
    return p;
}
