/* Bit-exact reference of the vector unit (rtl_templates/fast_vector_unit.v, docs/rtl.md
 * section 5): one lane's element operation and its reduction, for the int mode (FP = 0,
 * int32 lanes) and the fp mode (FP = 1, fp32 lanes built on sim/ref/fp.h). Values are raw
 * 32-bit lane words; the code uses integer arithmetic only. */
#ifndef FAST_REF_VECTOR_H
#define FAST_REF_VECTOR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Operation codes: the op_i encoding of fast_vector_unit. */
typedef enum fast_vector_op {
    FAST_VOP_PASS = 0,     /* y = a */
    FAST_VOP_ADD = 1,      /* y = a + b */
    FAST_VOP_SUB = 2,      /* y = a - b */
    FAST_VOP_MUL = 3,      /* y = a * b */
    FAST_VOP_MAX = 4,      /* y = max(a, b) */
    FAST_VOP_MIN = 5,      /* y = min(a, b) */
    FAST_VOP_RELU = 6,     /* y = max(a, 0) */
    FAST_VOP_RELU6 = 7,    /* int: clamp(a, lo, hi); fp: min(max(a, 0), 6) */
    FAST_VOP_REQUANT = 8,  /* int: clamp(round(a * b / 2^shift) + zp, lo, hi); fp: bf16(a*b + c) */
    FAST_VOP_FMA = 9,      /* y = a * b + c */
    FAST_VOP_NORM = 10,    /* int: clamp(round((a - b) * c / 2^shift) + zp, lo, hi); fp: (a - b) * c */
    FAST_VOP_SIGMOID = 11, /* y ~ 1 / (1 + e^-a) */
    FAST_VOP_TANH = 12,    /* y ~ tanh(a) */
    FAST_VOP_SWISH = 13,   /* y ~ a * sigmoid(a) */
    FAST_VOP_GELU = 14,    /* y ~ a * Phi(a) (the erf form) */
    FAST_VOP_EXP = 15,     /* y ~ e^(a - b) */
    FAST_VOP_RECIP = 16,   /* y ~ 1 / a */
    FAST_VOP_RSQRT = 17,   /* y ~ 1 / sqrt(a) */
    FAST_VOP_COUNT = 18    /* codes from here to 31 are reserved and give y = 0 */
} fast_vector_op;

/* Reductions of the element results: the red_i encoding. */
typedef enum fast_vector_red {
    FAST_VRED_NONE = 0,   /* the accumulators keep their values */
    FAST_VRED_SUM = 1,    /* r = sum of y */
    FAST_VRED_MAX = 2,    /* r = max of y */
    FAST_VRED_SUMSQ = 3   /* r = sum of y, r2 = sum of y * y */
} fast_vector_red;

/* Fraction bits of the int mode's fixed-point activations (Q15.16 in and out). */
#define FAST_VECTOR_Q 16

/* The scalar operands of one input beat; only the int mode reads them.
 * Invariant: 0 <= shift <= 63. */
typedef struct fast_vector_scalars {
    int32_t zp;  /* zero point added by REQUANT and NORM */
    int shift;   /* right shift of REQUANT and NORM; fraction bits of RECIP and RSQRT results */
    int32_t lo;  /* lower clamp bound of REQUANT, NORM and RELU6 */
    int32_t hi;  /* upper clamp bound of REQUANT, NORM and RELU6 */
} fast_vector_scalars;

/* One lane's reduction state: what r_o and r2_o show. Zero after reset. */
typedef struct fast_vector_acc {
    uint32_t r;  /* running sum or max */
    uint32_t r2; /* running sum of squares (FAST_VRED_SUMSQ only) */
} fast_vector_acc;

/* Returns one lane's int-mode result of op on the int32 words a, b, c; s may be NULL when
 * op reads no scalar. Reserved op codes give 0. */
uint32_t fast_ref_vector_int(int op, uint32_t a, uint32_t b, uint32_t c,
                             const fast_vector_scalars *s);

/* Returns one lane's fp-mode result of op on the fp32 words a, b, c. Reserved codes give 0. */
uint32_t fast_ref_vector_fp(int op, uint32_t a, uint32_t b, uint32_t c);

/* Folds the element result y into acc as the unit does for a valid beat with reduction red
 * (first restarts it); fp selects the fp32 arithmetic. */
void fast_ref_vector_reduce(fast_vector_acc *acc, int fp, int red, int first, uint32_t y);

/* Returns the name of op ("add", "sigmoid", ...), or "reserved". */
const char *fast_ref_vector_op_name(int op);

#ifdef __cplusplus
}
#endif

#endif
