/* The accelerator's instruction set (docs/isa.md): 256-bit instructions for a decoupled
 * access-execute core whose load, compute and store units each run their own queue and
 * hand buffers to each other with dependency tokens. This module holds the field tables,
 * the binary encoding and decoding, and the checks every instruction must pass. */
#ifndef FAST_ISA_H
#define FAST_ISA_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of one encoded instruction (four little-endian 64-bit words). */
#define FAST_ISA_BYTES 32
#define FAST_ISA_WORDS 4

/* External addresses (LOAD's and STORE's dram field) from this one up are the global
 * memory's bytes (address - FAST_GLOBAL_BASE); below it, DRAM's (docs/isa.md 2). */
#define FAST_GLOBAL_BASE INT64_C(0x80000000)

/* Opcodes: bits [3:0] of every instruction. */
typedef enum fast_isa_op {
    FAST_ISA_LOAD = 0,   /* external memory -> scratchpad, 3D strided with zero padding */
    FAST_ISA_STORE = 1,  /* scratchpad or accumulator -> external memory, 2D strided */
    FAST_ISA_MATMUL = 2, /* one array tile: acc (+)= inp x wgt */
    FAST_ISA_VECTOR = 3, /* one vector-unit op over accumulator rows, in place */
    FAST_ISA_SYNC = 4,   /* only moves tokens, in the queue it names */
    FAST_ISA_END = 5,    /* the end of the program */
    FAST_ISA_OP_COUNT = 6
} fast_isa_op;

/* On-chip memories a LOAD or STORE addresses. */
typedef enum fast_isa_mem { FAST_MEM_INP = 0, FAST_MEM_WGT = 1, FAST_MEM_ACC = 2 } fast_isa_mem;

/* The three instruction queues of one array; FAST_QUEUE_NONE for END. */
typedef enum fast_isa_queue {
    FAST_QUEUE_LOAD = 0,
    FAST_QUEUE_COMPUTE = 1,
    FAST_QUEUE_STORE = 2,
    FAST_QUEUE_NONE = 3
} fast_isa_queue;

/* STORE element formats: how one on-chip element becomes bytes in external memory. */
typedef enum fast_isa_fmt {
    FAST_FMT_WORD = 0, /* 4 bytes: an accumulator word as is (int32 or fp32) */
    FAST_FMT_BYTE = 1, /* 1 byte: bits [7:0] (an int8 after requantization) */
    FAST_FMT_HALF = 2  /* 2 bytes: an accumulator word's bits [31:16] (its bf16), or a
                          16-bit scratchpad element */
} fast_isa_fmt;

/* Every field of every instruction; an opcode uses the subset its layout lists. */
typedef enum fast_isa_field {
    FAST_F_POP_PREV, FAST_F_POP_NEXT, FAST_F_PUSH_PREV, FAST_F_PUSH_NEXT, /* tokens */
    FAST_F_ARRAY,                          /* array index on the chip: core * count + a */
    FAST_F_MEM, FAST_F_CONT, FAST_F_FMT,   /* LOAD, STORE */
    FAST_F_DRAM, FAST_F_SPAD,              /* byte address; element address */
    FAST_F_X, FAST_F_Y, FAST_F_Z,          /* elements per row, rows, planes */
    FAST_F_Y_DSTRIDE, FAST_F_Y_SSTRIDE, FAST_F_Z_DSTRIDE, /* strides, elements */
    FAST_F_PAD_Y0, FAST_F_PAD_Y1, FAST_F_PAD_Z0, FAST_F_PAD_Z1, /* zero rows and planes */
    FAST_F_ACCUMULATE,                     /* MATMUL: add to the accumulator (else write) */
    FAST_F_INP, FAST_F_INP_STRIDE, FAST_F_WGT, FAST_F_WGT_STRIDE, FAST_F_ACC,
    FAST_F_ACC_STRIDE, FAST_F_M, FAST_F_K, FAST_F_N,
    FAST_F_VOP, FAST_F_BSRC, FAST_F_ROWS, FAST_F_COLS, FAST_F_B, FAST_F_C, FAST_F_SHIFT,
    FAST_F_ZP, FAST_F_LO, FAST_F_HI,       /* VECTOR */
    FAST_F_QUEUE,                          /* SYNC */
    FAST_F_COUNT
} fast_isa_field;

/* One decoded instruction. Invariant after fast_isa_check(): op < FAST_ISA_OP_COUNT and
 * every field the opcode uses is inside its encoding range (fields it does not use are 0);
 * signed fields (zp, lo, hi) hold their value, the others are non-negative. Units: DRAM
 * addresses in bytes, on-chip addresses, sizes and strides in elements of the memory. */
typedef struct fast_insn {
    fast_isa_op op;
    int64_t f[FAST_F_COUNT];
} fast_insn;

/* One field of an opcode's layout: bits [lsb + width - 1 : lsb] of the 256-bit word. */
typedef struct fast_isa_slot {
    fast_isa_field field;
    int lsb, width;
    int is_signed; /* two's complement */
} fast_isa_slot;

/* The layout of op: *n slots in bit order (the common header first). NULL for a bad op. */
const fast_isa_slot *fast_isa_layout(int op, int *n);

/* Name of an opcode ("load", ...), of a field ("y_dstride", ...), of a queue, a memory, a
 * store format; "?" when out of range. */
const char *fast_isa_op_name(int op);
const char *fast_isa_field_name(int field);
const char *fast_isa_queue_name(int q);
const char *fast_isa_mem_name(int mem);
const char *fast_isa_fmt_name(int fmt);

/* An instruction of opcode op with every field 0. */
fast_insn fast_isa_make(fast_isa_op op);

/* The queue that runs i: LOAD into inp or wgt goes to the load queue, LOAD into acc,
 * MATMUL and VECTOR to compute, STORE to store, SYNC to its queue field, END to none. */
fast_isa_queue fast_isa_queue_of(const fast_insn *i);

/* Checks i: field ranges and the rules that hold without a configuration (a queue only
 * pops and pushes tokens of neighbours it has, sizes are at least 1). Adds one diagnostic
 * per problem (kind "isa", WHERE = the field, naming `where`, e.g. "instruction 7", in the
 * file slot) and returns FAST_OK or FAST_EINPUT. */
fast_status fast_isa_check(const fast_insn *i, const char *where, fast_diag *d);

/* Encodes a checked instruction into FAST_ISA_BYTES bytes at out (little-endian words). */
void fast_isa_encode(const fast_insn *i, uint8_t out[FAST_ISA_BYTES]);

/* Decodes FAST_ISA_BYTES bytes into *i; on an unknown opcode or a set bit outside the
 * opcode's fields adds a diagnostic naming `where` and returns FAST_EINPUT. */
fast_status fast_isa_decode(const uint8_t in[FAST_ISA_BYTES], fast_insn *i, const char *where,
                            fast_diag *d);

/* Decodes a whole binary program of len bytes (a multiple of FAST_ISA_BYTES) into a new
 * array the caller frees; NULL with diagnostics (naming file and the instruction index)
 * on a bad length or instruction, *n the instruction count on success. */
fast_insn *fast_isa_decode_program(const uint8_t *bytes, size_t len, const char *file,
                                   size_t *n, fast_diag *d);

/* Encodes n instructions into a new buffer of n * FAST_ISA_BYTES bytes the caller frees;
 * NULL when out of memory. */
uint8_t *fast_isa_encode_program(const fast_insn *insns, size_t n);

#ifdef __cplusplus
}
#endif

#endif
