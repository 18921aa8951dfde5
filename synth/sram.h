/* The SRAM area model (docs/cost.md section 3): a macro's area is its bits times the 6T
 * bit-cell area of the node, divided by an array efficiency (the share of the macro that is
 * bit cells, the rest being decoders, sense amplifiers and I/O) that grows with the macro's
 * size. Scratchpads are memory.banks macros each; the global memory too. */
#ifndef FAST_SYNTH_SRAM_H
#define FAST_SYNTH_SRAM_H

#include <stdint.h>

#include "core/arch.h"

/* Area of one 6T high-density bit cell at process_nm, µm²: the published 16 nm and 7 nm
 * cells, and a power law through them for the other nodes (docs/cost.md). */
double fast_sram_cell_um2(int64_t process_nm);

/* Array efficiency of a macro of the given bits, in (0, 1): log-linear in the size between
 * the points of docs/cost.md, constant outside them. */
double fast_sram_efficiency(double bits);

/* Area of one macro of the given bits at process_nm, µm²; 0 for no bits. */
double fast_sram_macro_um2(double bits, int64_t process_nm);

/* SRAM area of a whole chip: every core's three scratchpads (memory.banks macros each)
 * plus the global memory (memory.banks macros), mm². */
double fast_sram_chip_mm2(const fast_arch *a);

#endif
