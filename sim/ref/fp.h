/* Bit-exact reference of the floating-point arithmetic of the RTL (docs/model.md 1.4,
 * docs/rtl.md section 2): bf16 x bf16 products exact in fp32, fp32 add and multiply with
 * round-to-nearest-even, denormals flushed to zero on input and output, one canonical NaN.
 * Values are raw IEEE 754 bit patterns; the functions use integer arithmetic only, so the
 * host's rounding mode and denormal handling do not matter. */
#ifndef FAST_REF_FP_H
#define FAST_REF_FP_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FAST_FP32_CANONICAL_NAN 0x7FC00000u /* every NaN result of an fp32 operation */
#define FAST_BF16_CANONICAL_NAN 0x7FC0u     /* every NaN result of fast_ref_fp32_to_bf16 */

/* Returns the exact fp32 product of two bf16 values (flushed to signed zero below 2^-126,
 * infinity from 2^128 up). */
uint32_t fast_ref_bf16_mul(uint16_t a, uint16_t b);

/* Returns the fp32 sum a + b rounded to nearest even, with the flush-to-zero rules. */
uint32_t fast_ref_fp32_add(uint32_t a, uint32_t b);

/* Returns the fp32 product a x b rounded to nearest even, with the flush-to-zero rules. */
uint32_t fast_ref_fp32_mul(uint32_t a, uint32_t b);

/* Returns a rounded to bf16 (nearest even, denormal input to signed zero, NaN to 0x7FC0). */
uint16_t fast_ref_fp32_to_bf16(uint32_t a);

/* Returns the host float whose bit pattern is bits. */
float fast_ref_fp32_to_float(uint32_t bits);

/* Returns the bit pattern of the host float f. */
uint32_t fast_ref_float_to_fp32(float f);

#ifdef __cplusplus
}
#endif

#endif
