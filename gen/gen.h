/* The Verilog generator: turns one configuration into a directory of synthesizable Verilog
 * (docs/rtl.md section 6). Part 1 emits one core's datapath: the systolic arrays, their
 * accumulator storage and the vector unit, plus a parameters header for harnesses. */
#ifndef FAST_GEN_H
#define FAST_GEN_H

#include <stdint.h>

#include "core/arch.h"
#include "core/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What fast_gen_emit() wrote. Invariant: files[0 .. n_files) are the paths of the files,
 * the output directory as given joined with each file name, in the order a tool should
 * read them (dependencies first, then the datapath top module, then the accelerator's
 * top when there is one); the caller frees it with fast_gen_result_free(). */
typedef struct fast_gen_result {
    char top[FAST_ARCH_NAME_MAX + 16];   /* the datapath top module, "fast_<name>_core" */
    char accel[FAST_ARCH_NAME_MAX + 16]; /* the accelerator's top, "fast_<name>_accel", or
                                            "" (output-stationary designs have none yet) */
    uint64_t hash;                     /* fast_arch_hash() of the configuration */
    int n_files;
    char **files;
} fast_gen_result;

/* Writes the design of `a` into `out_dir`, atomically: the files go to a temporary
 * directory beside it that is renamed into place, replacing an earlier output only when it
 * is a directory that this generator wrote. On error nothing is left behind, *r is empty,
 * and `d` holds the reasons (kind "gen"). The result is byte-identical for equal
 * configurations. */
fast_status fast_gen_emit(const fast_arch *a, const char *out_dir, fast_gen_result *r,
                          fast_diag *d);

/* Checks that the RTL can realize `a` (beyond fast_arch_validate()); one diagnostic per
 * problem. Returns FAST_OK or FAST_EINPUT. */
fast_status fast_gen_check(const fast_arch *a, const char *file, fast_diag *d);

/* Frees what fast_gen_emit() put in *r and empties it; NULL is a no-op. */
void fast_gen_result_free(fast_gen_result *r);

#ifdef __cplusplus
}
#endif

#endif
