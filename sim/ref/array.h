/* Bit-exact reference of the systolic arrays' arithmetic (docs/model.md 1.3 and 1.4): the
 * same multiply-accumulates in the same order as the RTL, for int8 and bf16 operands. */
#ifndef FAST_REF_ARRAY_H
#define FAST_REF_ARRAY_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Operands are raw bit patterns in a uint16_t: an int8 in the low 8 bits (two's
 * complement; the high bits are ignored), or a bf16. Sums are raw 32-bit patterns: int32,
 * or fp32 for bf16 operands. */

/* Returns acc + a * w: int32 with wrap-around, or fp32_add(acc, bf16_mul(a, w)). */
uint32_t fast_ref_mac(int bf16, uint32_t acc, uint16_t a, uint16_t w);

/* Returns old + add as the accumulator storage adds a result row to a stored one. */
uint32_t fast_ref_acc_add(int bf16, uint32_t old, uint32_t add);

/* out (m x n, row-major) = a (m x k) times w (k x n): each sum starts from +0 and takes
 * the products in ascending k, the order in which both dataflows accumulate. */
void fast_ref_matmul(int bf16, int64_t m, int64_t k, int64_t n, const uint16_t *a,
                     const uint16_t *w, uint32_t *out);

#ifdef __cplusplus
}
#endif

#endif
