/* Energy constants and their interpolation over nodes and SRAM sizes. */
#include "sim/model/energy.h"

#include <math.h>

double fast_energy_scale(double at45, double at7, int64_t process_nm)
{
    /* Geometric interpolation in the feature size: e(n) = e45 * (e7/e45)^t with
     * t = ln(45/n) / ln(45/7); exact at both published nodes. */
    double t = log(45.0 / (double)process_nm) / log(45.0 / 7.0);
    return at45 * pow(at7 / at45, t);
}

double fast_energy_sram_access_pj(double macro_bytes, int64_t process_nm)
{
    /* REFERENCES.md, SRAM 64-bit access: 8 KB / 32 KB / 1 MB = 10 / 20 / 100 pJ at 45 nm,
     * 7.5 / 8.5 / 14 pJ at 7 nm. Outside the range the nearest segment is extended. */
    static const double size[3] = {8192.0, 32768.0, 1048576.0};
    double e[3];
    e[0] = fast_energy_scale(10.0, 7.5, process_nm);
    e[1] = fast_energy_scale(20.0, 8.5, process_nm);
    e[2] = fast_energy_scale(100.0, 14.0, process_nm);
    if (macro_bytes < 1.0)
        macro_bytes = 1.0;
    int s = macro_bytes <= size[1] ? 0 : 1;
    double t = log(macro_bytes / size[s]) / log(size[s + 1] / size[s]);
    double v = e[s] * pow(e[s + 1] / e[s], t);
    /* Never below a fifth of the smallest published access (a tiny macro still has
     * decoders and sense amplifiers). */
    return v < e[0] / 5.0 ? e[0] / 5.0 : v;
}

fast_energy fast_energy_of(const fast_arch *a)
{
    fast_energy e;
    int64_t nm = a->process_nm;
    if (a->array.dtype == FAST_DTYPE_INT8) {
        /* int8 multiply + int32 add: 0.2 + 0.1 pJ at 45 nm; 0.07 + 0.03 pJ at 7 nm. */
        e.mac_pj = fast_energy_scale(0.2 + 0.1, 0.07 + 0.03, nm);
    } else {
        /* bf16 multiply + fp32 add: 0.21 + 0.38 pJ at 7 nm. 45 nm has no bf16 figure; the
         * fp16 multiply (1.1 pJ) stands in for it, with the fp32 add (0.9 pJ). */
        e.mac_pj = fast_energy_scale(1.1 + 0.9, 0.21 + 0.38, nm);
    }
    /* A vector lane operation is an fp32 multiply and add: 3.7 + 0.9 pJ at 45 nm,
     * 1.31 + 0.38 pJ at 7 nm. */
    e.vector_op_pj = fast_energy_scale(3.7 + 0.9, 1.31 + 0.38, nm);
    /* Scratchpads are banked; a bank is one macro. 64-bit accesses, so per byte / 8. */
    double spad_kib = (double)(a->memory.input_kib + a->memory.weight_kib + a->memory.acc_kib) /
                      3.0;
    e.spad_byte_pj =
        fast_energy_sram_access_pj(spad_kib * 1024.0 / (double)a->memory.banks, nm) / 8.0;
    double global_bytes = (double)a->memory.global_mib * 1048576.0 / (double)a->memory.banks;
    e.global_byte_pj = fast_energy_sram_access_pj(global_bytes > 0 ? global_bytes : 1048576.0,
                                                  nm) / 8.0;
    /* External memory, 64-bit access: HBM2 250-450 pJ (midpoint 350) for the high-bandwidth
     * parts (above 200 GB/s, as no DDR channel set reaches that), DDR3/4 1300 pJ otherwise. */
    e.dram_byte_pj = (a->dram.bandwidth_gbps > 200.0 ? 350.0 : 1300.0) / 8.0;
    return e;
}
