/* Energy per operation, per access and per byte, by process node (docs/model.md section 5).
 * Every constant comes from ../shared/REFERENCES.md ("Energy per operation"): Horowitz,
 * ISSCC 2014 at 45 nm, and Jouppi et al., "Ten Lessons", ISCA 2021, Table 2 at 7 nm. */
#ifndef FAST_ENERGY_H
#define FAST_ENERGY_H

#include <stdint.h>

#include "core/arch.h"

/* The energies of one configuration, pJ. Invariant: every field > 0. */
typedef struct fast_energy {
    double mac_pj;          /* one multiply-accumulate of the array's dtype */
    double vector_op_pj;    /* one lane operation of the vector unit (an fp32 multiply-add) */
    double spad_byte_pj;    /* one byte read or written in a scratchpad (per its bank size) */
    double global_byte_pj;  /* one byte read or written in the global memory */
    double dram_byte_pj;    /* one byte of external memory traffic */
} fast_energy;

/* Energies for configuration a. */
fast_energy fast_energy_of(const fast_arch *a);

/* Energy of one 64-bit access to an SRAM macro of the given size at the given node, pJ:
 * interpolated log-linearly in size between the published 8 KB, 32 KB and 1 MB points, and
 * geometrically in node between 45 and 7 nm. */
double fast_energy_sram_access_pj(double macro_bytes, int64_t process_nm);

/* A 45 nm figure and a 7 nm figure, interpolated to process_nm (geometric in the node). */
double fast_energy_scale(double at45, double at7, int64_t process_nm);

#endif
