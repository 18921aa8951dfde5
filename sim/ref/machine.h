/* The functional reference machine (docs/isa.md section 5): runs a program of the
 * instruction set over an external-memory image and the on-chip memories of every array,
 * with the arithmetic of sim/ref/array.h and sim/ref/vector.h. It models the three queues
 * of each array and their tokens, not time: the result is what the RTL must produce. */
#ifndef FAST_REF_MACHINE_H
#define FAST_REF_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arch.h"
#include "core/diag.h"
#include "core/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a run did. Units: instructions, bytes. */
typedef struct fast_machine_stats {
    int64_t executed;              /* instructions run, END included */
    int64_t by_op[FAST_ISA_OP_COUNT];
    int64_t dram_read, dram_written; /* bytes moved by LOAD and STORE (padding not read) */
    int64_t macs;                  /* multiply-accumulates of MATMUL */
} fast_machine_stats;

/* One machine: the configuration's arrays (cores x count), each with its share of the
 * input, weight and accumulator scratchpads (docs/model.md 3.1), and a borrowed external
 * memory image. Invariant: dram points at dram_bytes bytes owned by the caller. */
typedef struct fast_machine fast_machine;

/* Creates a machine for a (checked with fast_arch_validate) over the caller's image; the
 * scratchpads start zeroed. The caller owns the result (fast_machine_destroy); NULL when
 * out of memory, with a diagnostic. */
fast_machine *fast_machine_create(const fast_arch *a, uint8_t *dram, size_t dram_bytes,
                                  fast_diag *d);

/* Gives the machine a global memory image of glob_bytes bytes (the caller's), which the
 * external addresses from FAST_GLOBAL_BASE up name; without one they are out of range. */
void fast_machine_set_global(fast_machine *m, uint8_t *glob, size_t glob_bytes);

/* Frees the machine (not the image); NULL is a no-op. */
void fast_machine_destroy(fast_machine *m);

/* Runs n instructions to completion. Every instruction is checked; the stream must end
 * with END (and hold no other). Each array's queues then run as far as their tokens allow,
 * the load queue first. Errors (kind "machine", WHERE "instruction I (OP)"): a bad field,
 * an address beyond a memory, a shape the array cannot take, an accumulator access that is
 * not whole rows of C words (docs/isa.md 2.1), a token deadlock (naming the earliest
 * blocked instruction), tokens left over at the end, a missing END. Returns
 * FAST_OK, or FAST_EINPUT with diagnostics; stats may be NULL. */
fast_status fast_machine_run(fast_machine *m, const fast_insn *prog, size_t n,
                             fast_machine_stats *stats, fast_diag *d);

/* One array's on-chip memories and an external-memory image, for fast_machine_transfer.
 * Invariant: inp and wgt hold n_inp and n_wgt raw operand elements, acc n_acc 32-bit
 * words, dram dram_bytes bytes; elem_bytes is the operand size E (1 int8, 2 bf16). The
 * caller owns every buffer. */
typedef struct fast_machine_mems {
    uint8_t *dram;
    size_t dram_bytes;
    uint16_t *inp, *wgt;
    uint32_t *acc;
    int64_t n_inp, n_wgt, n_acc;
    int elem_bytes;
} fast_machine_mems;

/* Runs one LOAD or STORE i (checked with fast_isa_check) on the caller's memories with the
 * same code as fast_machine_run, ignoring its array and token fields and the accumulator
 * row rules, which need the array's shape (the DMA's reference, tests/rtl/dma). An address
 * beyond a memory adds a diagnostic (kind "machine", WHERE "instruction 0 (OP)") and returns
 * FAST_EINPUT, the memories possibly partly written; any other opcode returns FAST_EINPUT
 * with a diagnostic; FAST_OK otherwise. */
fast_status fast_machine_transfer(const fast_machine_mems *mm, const fast_insn *i,
                                  fast_diag *d);

#ifdef __cplusplus
}
#endif

#endif
