/* The accelerator configuration (contract 1 of DESIGN.md): one plain value struct that the
 * search mutates, the model prices, and the generator turns into RTL. JSON load and save,
 * defaults, validation, a canonical JSON form, and a stable 64-bit hash of that form.
 * Every field is documented in docs/config.md. */
#ifndef FAST_ARCH_H
#define FAST_ARCH_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "diag.h"

#define FAST_ARCH_NAME_MAX 64

typedef enum fast_dataflow { FAST_DATAFLOW_WS = 0, FAST_DATAFLOW_OS = 1 } fast_dataflow;
typedef enum fast_dtype { FAST_DTYPE_INT8 = 0, FAST_DTYPE_BF16 = 1 } fast_dtype;

/* One accelerator. A plain value: copy it with `=`, nothing to free.
 * Invariant after fast_arch_validate() succeeds: every field is inside the range that
 * docs/config.md gives, and the cross-field limits hold (total PEs, on-chip bytes, and each
 * scratchpad holds at least one array tile). Sizes are per core unless noted. */
typedef struct fast_arch {
    char name[FAST_ARCH_NAME_MAX + 1]; /* [A-Za-z0-9_.-], 1..64 characters */
    int64_t process_nm;                /* technology node: 45, 28, 16 or 7 */
    double clock_mhz;                  /* core clock, MHz */
    int64_t cores;                     /* cores on the chip */
    struct {
        int64_t rows;           /* PE rows of one systolic array (reduction dimension) */
        int64_t cols;           /* PE columns of one systolic array (output dimension) */
        int64_t count;          /* systolic arrays per core */
        fast_dataflow dataflow; /* weight- or output-stationary */
        fast_dtype dtype;       /* int8 (int32 accumulate) or bf16 (fp32 accumulate) */
    } array;
    struct {
        int64_t lanes; /* vector-unit lanes per core */
    } vector;
    struct {
        int64_t input_kib;  /* input (activation) scratchpad per core, KiB */
        int64_t weight_kib; /* weight scratchpad per core, KiB */
        int64_t acc_kib;    /* accumulator scratchpad per core, KiB */
        int64_t global_mib; /* global memory shared by all cores, MiB (may be 0) */
        int64_t banks;      /* banks of each scratchpad */
    } memory;
    struct {
        double bandwidth_gbps; /* external memory bandwidth of the chip, GB/s (10^9 bytes/s) */
        double latency_ns;     /* external memory access latency, ns */
    } dram;
} fast_arch;

/* Fills every field with its default (docs/config.md); required fields get the values of a
 * small 8x8 int8 design named "default", so the result is valid. */
void fast_arch_default(fast_arch *a);

/* Reads a configuration from a parsed JSON object. Unknown fields, wrong types, missing
 * required fields, out-of-range values and cross-field violations each add one diagnostic
 * naming `file` and the field. Returns FAST_OK or FAST_EINPUT; *a is complete only on
 * FAST_OK. */
fast_status fast_arch_from_json(const cJSON *json, const char *file, fast_arch *a,
                                 fast_diag *d);

/* Parses JSON text (len bytes) and reads it as fast_arch_from_json() does. */
fast_status fast_arch_parse(const char *text, size_t len, const char *file, fast_arch *a,
                            fast_diag *d);

/* Reads a configuration file: fast_arch_parse() of its contents; a missing, unreadable or
 * oversized file, or a directory, is one diagnostic and FAST_EINPUT. */
fast_status fast_arch_load(const char *path, fast_arch *a, fast_diag *d);

/* Checks ranges and cross-field limits of a configuration built in code (the search does
 * this); one diagnostic per problem, `file` may be NULL. Returns FAST_OK or FAST_EINPUT. */
fast_status fast_arch_validate(const fast_arch *a, const char *file, fast_diag *d);

/* The canonical JSON tree: every field, fixed order. The caller frees it with cJSON_Delete;
 * NULL when out of memory. */
cJSON *fast_arch_to_json(const fast_arch *a);

/* The canonical compact JSON text (the hash is taken over it); the caller frees it with
 * free(); NULL when out of memory. */
char *fast_arch_canonical(const fast_arch *a);

/* The stable 64-bit hash of the canonical form (FNV-1a); print it with "%016" PRIx64. */
uint64_t fast_arch_hash(const fast_arch *a);

/* Writes the canonical form, indented, atomically to path. */
fast_status fast_arch_save(const fast_arch *a, const char *path, fast_diag *d);

/* Field paths in canonical order, NULL-terminated ("name", ..., "dram.latency_ns"). */
extern const char *const fast_arch_fields[];

/* Name strings of the enumerations, for printing. */
const char *fast_dataflow_name(fast_dataflow f);
const char *fast_dtype_name(fast_dtype t);

/* Bytes of one array operand element: 1 for int8, 2 for bf16. */
int fast_arch_elem_bytes(const fast_arch *a);

/* Bytes of one accumulator element: 4 (int32 or fp32). */
int fast_arch_acc_bytes(const fast_arch *a);

/* Multiply-accumulate units on the chip: cores x arrays x rows x cols. */
int64_t fast_arch_pes(const fast_arch *a);

/* External memory bytes per core clock cycle for the whole chip. */
double fast_arch_dram_bytes_per_cycle(const fast_arch *a);

/* The widest external memory port: one beat of 1024 bytes (8192 bits) per cycle. */
#define FAST_BEAT_MAX 1024

/* Bytes of one beat of the external memory port: the chip's DRAM bytes per cycle rounded
 * up to a power of two, at least 4 and at most FAST_BEAT_MAX (docs/model.md 3.2). */
int64_t fast_arch_beat_bytes(const fast_arch *a);

/* One array's pace on the external port when `arrays` share it, in 1/256 bytes per cycle
 * (the DMA's bw_i): 256 B / arrays, at least 1 and at most 256 beats' bytes, beyond which
 * the port's one beat per cycle is the limit. */
int64_t fast_arch_dma_bw256(const fast_arch *a, int64_t arrays);

/* The global memory's latency, cycles: a request accepted in cycle t has its first beat in
 * cycle t + 2 (docs/rtl.md 10.5). */
#define FAST_GLOBAL_LATENCY 2

/* DRAM latency in core clock cycles: ceil(latency_ns * clock_mhz / 1000). */
int64_t fast_arch_dram_latency(const fast_arch *a);

/* Rows of look-ahead of a DMA's row generator (its row queue, docs/rtl.md 9): the DRAM
 * latency in cycles rounded up to a power of two, at least 8. */
int64_t fast_arch_dma_rowq(const fast_arch *a);

/* One array's pace on the global memory when `arrays` share it, in 1/256 bytes per cycle:
 * the memory moves one beat of fast_arch_beat_bytes per cycle for the whole chip. */
int64_t fast_arch_global_bw256(const fast_arch *a, int64_t arrays);

/* One array's accumulator as the hardware holds it (docs/isa.md 2.1): rows of C words,
 * its share of acc_kib (split among the core's arrays) rounded down to two halves of whole
 * rows in every bank (the halves are separate memories, docs/rtl.md 10). Row r holds words r * P .. r * P + C - 1 of the array's accumulator address space,
 * P = fast_arch_acc_pitch(a), the smallest power of two >= C; so the address space has
 * fast_arch_acc_rows(a) * P words. */
int64_t fast_arch_acc_rows(const fast_arch *a);
int64_t fast_arch_acc_pitch(const fast_arch *a);

#endif
