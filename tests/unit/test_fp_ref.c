/* The integer-only floating-point reference (sim/ref/fp.c) against the host's IEEE 754
 * arithmetic (round-to-nearest-even), with the flush-to-zero and canonical-NaN rules of
 * docs/rtl.md section 2 applied to the host's inputs and results. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "sim/ref/fp.h"

#define N_RANDOM 1000000

/* ---- Host expectations ------------------------------------------------------------ */

static int is_nan(uint32_t x) { return (x & 0x7F800000u) == 0x7F800000u && (x & 0x7FFFFFu); }
static int is_denormal_or_zero(uint32_t x) { return (x & 0x7F800000u) == 0; }

/* Input rule: a denormal is a zero of the same sign. */
static float host_in(uint32_t x)
{
    return fast_ref_fp32_to_float(is_denormal_or_zero(x) ? x & 0x80000000u : x);
}

/* Output rule for a host result that was rounded once: NaN canonical, denormal to zero. */
static uint32_t host_out(float f)
{
    uint32_t r = fast_ref_float_to_fp32(f);
    if (is_nan(r))
        return FAST_FP32_CANONICAL_NAN;
    if (is_denormal_or_zero(r))
        return r & 0x80000000u;
    return r;
}

/* The sum of two fp32 normals below 2^-126 is a multiple of 2^-149 and so exact as a host
 * denormal: flushing the host's result is the same as flushing the rounded result. */
static uint32_t host_add(uint32_t a, uint32_t b)
{
    volatile float x = host_in(a), y = host_in(b);
    volatile float s = x + y;
    return host_out(s);
}

/* The product of two fp32 values is exact in double; results below 2^-126 are rounded
 * to 24 bits with the exponent scaled into range, then flushed if still below it. */
static uint32_t host_mul(uint32_t a, uint32_t b)
{
    volatile float x = host_in(a), y = host_in(b);
    if (!isfinite(x) || !isfinite(y) || x == 0 || y == 0) {
        volatile float p = x * y;
        return host_out(p);
    }
    double p = (double)x * (double)y;
    if (fabs(p) < 0x1p-126) {
        float q = (float)ldexp(p, 130); /* now a normal float: rounds to 24 bits */
        if (fabsf(q) < 0x1p4f)
            return fast_ref_float_to_fp32(p < 0 ? -0.0f : 0.0f);
        return fast_ref_float_to_fp32(ldexpf(q, -130));
    }
    return host_out((float)p);
}

/* A bf16 x bf16 product of normals is exact in float unless it leaves the normal range. */
static uint32_t host_bf16_mul(uint16_t a, uint16_t b)
{
    volatile float x = host_in((uint32_t)a << 16), y = host_in((uint32_t)b << 16);
    volatile float p = x * y;
    if (isfinite(x) && isfinite(y) && x != 0 && y != 0) {
        double exact = (double)x * (double)y;
        if (fabs(exact) < 0x1p-126)
            return fast_ref_float_to_fp32(exact < 0 ? -0.0f : 0.0f);
        if (fabs(exact) < 0x1p128)
            assert_true((double)p == exact);
    }
    return host_out(p);
}

static uint16_t host_to_bf16(uint32_t a)
{
    float x = host_in(a);
    if (isnan(x))
        return FAST_BF16_CANONICAL_NAN;
    if (x == 0 || isinf(x))
        return (uint16_t)(fast_ref_float_to_fp32(x) >> 16);
    int e;
    frexp(x, &e);                        /* x = f 2^e, 0.5 <= |f| < 1 */
    double ulp = ldexp(1.0, e - 8);      /* bf16 keeps 8 significant bits */
    double q = nearbyint(x / ulp) * ulp; /* the host rounds to nearest even */
    if (fabs(q) >= 0x1p128)
        return (uint16_t)(q < 0 ? 0xFF80u : 0x7F80u);
    return (uint16_t)(fast_ref_float_to_fp32((float)q) >> 16);
}

/* ---- Inputs --------------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Positive special and boundary values; the tests add both signs. */
static const uint32_t SPECIALS[] = {
    0x00000000u, 0x00000001u, 0x00400000u, 0x007FFFFFu,              /* zero, denormals */
    0x00800000u, 0x00800001u, 0x00FFFFFFu, 0x01000000u, 0x01000001u, /* around 2^-126 */
    0x7F7FFFFFu, 0x7F7FFFFEu, 0x7F000000u, 0x7EFFFFFFu,              /* around max normal */
    0x7F800000u, 0x7F800001u, 0x7FC00000u, 0x7FFFFFFFu, 0x7FA00000u, /* inf, NaNs */
    0x3F800000u, 0x3F800001u, 0x3F7FFFFFu, 0x3FFFFFFFu, 0x3F000001u, /* around 1 */
    0x33800000u, 0x33800001u, 0x34000000u, 0x4B800000u, 0x4B7FFFFFu, /* 2^-24, 2^24 */
    0x1F800000u, 0x5F800000u, 0x3FC00000u, 0x40400000u, 0x20000001u, /* 2^-64, 2^64 */
};
#define N_SPECIALS (2 * sizeof SPECIALS / sizeof SPECIALS[0])

static uint32_t special(size_t i)
{
    return SPECIALS[i / 2] | (i % 2 ? 0x80000000u : 0);
}

/* A random fp32 pattern biased toward hard cases: any bits; exponents near the ends;
 * fractions with long runs of ones or zeros (carries and ties). */
static uint32_t random_fp32(uint64_t *s)
{
    uint64_t r = rng_next(s);
    uint32_t bits = (uint32_t)r, sign = bits & 0x80000000u;
    uint32_t exp = (bits >> 23) & 0xFF, frac = bits & 0x7FFFFFu;
    switch ((r >> 32) & 7) {
    case 0: exp = (uint32_t)(r >> 40) % 8;  break;        /* denormals, tiny normals */
    case 1: exp = 247 + (uint32_t)(r >> 40) % 9; break;   /* huge, inf, NaN */
    case 2: frac = (r >> 40) & 1 ? 0x7FFFFFu << ((r >> 41) % 24) & 0x7FFFFFu
                                 : 0x7FFFFFu >> ((r >> 41) % 24); break;
    case 3: exp = 100 + (uint32_t)(r >> 40) % 56; break;  /* near 1 */
    default: break;
    }
    return sign | exp << 23 | frac;
}

/* A second operand related to the first: close exponent (cancellation), near negation,
 * or independent. */
static uint32_t random_partner(uint64_t *s, uint32_t a)
{
    uint64_t r = rng_next(s);
    switch (r & 3) {
    case 0: { /* exponent within +-3, random fraction */
        int exp = (int)((a >> 23) & 0xFF) + (int)((r >> 8) % 7) - 3;
        if (exp < 0) exp = 0;
        if (exp > 255) exp = 255;
        return ((uint32_t)(r >> 16) & 0x80000000u) | (uint32_t)exp << 23
               | ((uint32_t)(r >> 20) & 0x7FFFFFu);
    }
    case 1: /* -a with a few low bits changed */
        return (a ^ 0x80000000u) ^ ((uint32_t)(r >> 8) & ((1u << ((r >> 4) % 24)) - 1));
    default:
        return random_fp32(s);
    }
}

/* ---- fp32 add ------------------------------------------------------------------------- */

static void check_add(uint32_t a, uint32_t b)
{
    uint32_t got = fast_ref_fp32_add(a, b), want = host_add(a, b);
    if (got != want)
        fail_msg("fp32_add(%08x, %08x) = %08x, host %08x", a, b, got, want);
}

static void fp32_add_should_match_host_on_special_pairs(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_SPECIALS; i++)
        for (size_t j = 0; j < N_SPECIALS; j++)
            check_add(special(i), special(j));
}

static void fp32_add_should_match_host_on_random_inputs(void **state)
{
    (void)state;
    uint64_t s = 1;
    for (int i = 0; i < N_RANDOM; i++) {
        uint32_t a = random_fp32(&s);
        check_add(a, random_partner(&s, a));
    }
}

static void fp32_add_should_give_positive_zero_for_x_minus_x(void **state)
{
    (void)state;
    assert_int_equal(fast_ref_fp32_add(0x3F800000u, 0xBF800000u), 0);
    assert_int_equal(fast_ref_fp32_add(0xC0490FDBu, 0x40490FDBu), 0);
    assert_int_equal(fast_ref_fp32_add(0x80000000u, 0x00000000u), 0);
    assert_int_equal(fast_ref_fp32_add(0x80000000u, 0x80000000u), 0x80000000u);
    assert_int_equal(fast_ref_fp32_add(0x80000001u, 0x80000000u), 0x80000000u);
}

static void fp32_add_should_give_nan_for_inf_minus_inf(void **state)
{
    (void)state;
    assert_int_equal(fast_ref_fp32_add(0x7F800000u, 0xFF800000u), FAST_FP32_CANONICAL_NAN);
    assert_int_equal(fast_ref_fp32_add(0xFF800000u, 0xFF800000u), 0xFF800000u);
    assert_int_equal(fast_ref_fp32_add(0xFF800000u, 0x7F7FFFFFu), 0xFF800000u);
}

static void fp32_add_should_round_ties_to_even(void **state)
{
    (void)state;
    /* 1 + 2^-24 is halfway between 1 and 1 + 2^-23: to 1; 1 + 2^-23 + 2^-24: up. */
    assert_int_equal(fast_ref_fp32_add(0x3F800000u, 0x33800000u), 0x3F800000u);
    assert_int_equal(fast_ref_fp32_add(0x3F800001u, 0x33800000u), 0x3F800002u);
    /* A little above halfway rounds up. */
    assert_int_equal(fast_ref_fp32_add(0x3F800000u, 0x33800001u), 0x3F800001u);
}

static void fp32_add_should_flush_denormal_results_to_signed_zero(void **state)
{
    (void)state;
    assert_int_equal(fast_ref_fp32_add(0x00800001u, 0x80800000u), 0x00000000u);
    assert_int_equal(fast_ref_fp32_add(0x80800001u, 0x00800000u), 0x80000000u);
    assert_int_equal(fast_ref_fp32_add(0x00FFFFFFu, 0x80800000u), 0x00000000u);
    assert_int_equal(fast_ref_fp32_add(0x01000001u, 0x80800000u), 0x00800002u);
    /* Denormal inputs are zeros. */
    assert_int_equal(fast_ref_fp32_add(0x007FFFFFu, 0x00000001u), 0x00000000u);
    assert_int_equal(fast_ref_fp32_add(0x3F800000u, 0x007FFFFFu), 0x3F800000u);
}

static void fp32_add_should_overflow_to_infinity(void **state)
{
    (void)state;
    assert_int_equal(fast_ref_fp32_add(0x7F7FFFFFu, 0x7F7FFFFFu), 0x7F800000u);
    /* max + 2^103 is halfway to 2^128 and max is odd: up to infinity. */
    assert_int_equal(fast_ref_fp32_add(0xFF7FFFFFu, 0xF3000000u), 0xFF800000u);
    assert_int_equal(fast_ref_fp32_add(0x7F7FFFFFu, 0x72FFFFFFu), 0x7F7FFFFFu);
}

static void fp32_add_should_ignore_huge_exponent_differences(void **state)
{
    (void)state;
    assert_int_equal(fast_ref_fp32_add(0x7F7FFFFFu, 0x00800000u), 0x7F7FFFFFu);
    assert_int_equal(fast_ref_fp32_add(0x3F800000u, 0xB3000000u), 0x3F800000u);
    assert_int_equal(fast_ref_fp32_add(0x3F800000u, 0xB3000001u), 0x3F7FFFFFu);
}

/* ---- fp32 mul ------------------------------------------------------------------------- */

static void check_mul(uint32_t a, uint32_t b)
{
    uint32_t got = fast_ref_fp32_mul(a, b), want = host_mul(a, b);
    if (got != want)
        fail_msg("fp32_mul(%08x, %08x) = %08x, host %08x", a, b, got, want);
}

static void fp32_mul_should_match_host_on_special_pairs(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_SPECIALS; i++)
        for (size_t j = 0; j < N_SPECIALS; j++)
            check_mul(special(i), special(j));
}

static void fp32_mul_should_match_host_on_random_inputs(void **state)
{
    (void)state;
    uint64_t s = 2;
    for (int i = 0; i < N_RANDOM; i++) {
        uint32_t a = random_fp32(&s), b = random_fp32(&s);
        /* Half of the pairs are steered so the product lands near 2^-126 or 2^128. */
        if (i & 1) {
            int ea = (int)((a >> 23) & 0xFF);
            int eb = (i & 2 ? 1 : 253) - ea + 127 + (int)(rng_next(&s) % 3);
            if (eb >= 1 && eb <= 254)
                b = (b & 0x807FFFFFu) | (uint32_t)eb << 23;
        }
        check_mul(a, b);
    }
}

static void fp32_mul_should_give_nan_for_zero_times_inf(void **state)
{
    (void)state;
    assert_int_equal(fast_ref_fp32_mul(0x00000000u, 0xFF800000u), FAST_FP32_CANONICAL_NAN);
    assert_int_equal(fast_ref_fp32_mul(0x7F800000u, 0x80000001u), FAST_FP32_CANONICAL_NAN);
    assert_int_equal(fast_ref_fp32_mul(0x7F800000u, 0xBF800000u), 0xFF800000u);
}

static void fp32_mul_should_decide_the_flush_after_rounding(void **state)
{
    (void)state;
    /* (1 + 2^-23)/2 x (2 - 2^-22) 2^-126 = (1 - 2^-46) 2^-126: rounds to 2^-126. */
    assert_int_equal(fast_ref_fp32_mul(0x3F000001u, 0x00FFFFFEu), 0x00800000u);
    assert_int_equal(fast_ref_fp32_mul(0xBF000001u, 0x00FFFFFEu), 0x80800000u);
    /* 0.5 x 2^-125 (1 + 2^-23 ... ) stays below: zero of the product's sign. */
    assert_int_equal(fast_ref_fp32_mul(0x3F000000u, 0x00FFFFFFu), 0x00000000u);
    assert_int_equal(fast_ref_fp32_mul(0xBF000000u, 0x00FFFFFFu), 0x80000000u);
}

static void fp32_mul_should_overflow_to_infinity(void **state)
{
    (void)state;
    assert_int_equal(fast_ref_fp32_mul(0x7F7FFFFFu, 0x3F800001u), 0x7F800000u);
    assert_int_equal(fast_ref_fp32_mul(0x7F7FFFFFu, 0xBF800000u), 0xFF7FFFFFu);
    assert_int_equal(fast_ref_fp32_mul(0x5F800000u, 0xE0000000u), 0xFF800000u);
}

/* ---- bf16 mul ------------------------------------------------------------------------- */

static void bf16_mul_should_be_exact_for_all_a_and_256_b(void **state)
{
    (void)state;
    uint64_t s = 3;
    for (int j = 0; j < 256; j++) {
        /* The first b values are the bf16 specials, the rest random. */
        uint16_t b = j < (int)N_SPECIALS ? (uint16_t)(special((size_t)j) >> 16)
                                         : (uint16_t)rng_next(&s);
        for (uint32_t a = 0; a < 65536; a++) {
            uint32_t got = fast_ref_bf16_mul((uint16_t)a, b);
            uint32_t want = host_bf16_mul((uint16_t)a, b);
            if (got != want)
                fail_msg("bf16_mul(%04x, %04x) = %08x, host %08x", a, b, got, want);
        }
    }
}

static void bf16_mul_should_flush_products_below_min_normal(void **state)
{
    (void)state;
    /* (1 + 2^-7)(2 - 2^-6) 2^-127 = (2 - 2^-13 - 2^-13) 2^-127 < 2^-126. */
    assert_int_equal(fast_ref_bf16_mul(0x3F01u, 0x00FEu), 0x00000000u);
    assert_int_equal(fast_ref_bf16_mul(0xBF01u, 0x00FEu), 0x80000000u);
    assert_int_equal(fast_ref_bf16_mul(0x3F00u, 0x0100u), 0x00800000u);
    assert_int_equal(fast_ref_bf16_mul(0x7F7Fu, 0x4000u), 0x7F800000u);
    assert_int_equal(fast_ref_bf16_mul(0x0000u, 0xFF80u), FAST_FP32_CANONICAL_NAN);
    assert_int_equal(fast_ref_bf16_mul(0x3F81u, 0x3F81u), 0x3F820200u);
}

/* ---- fp32 to bf16 --------------------------------------------------------------------- */

static void check_to_bf16(uint32_t a)
{
    uint16_t got = fast_ref_fp32_to_bf16(a), want = host_to_bf16(a);
    if (got != want)
        fail_msg("fp32_to_bf16(%08x) = %04x, host %04x", a, got, want);
}

static void fp32_to_bf16_should_match_host_on_special_and_random_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_SPECIALS; i++)
        check_to_bf16(special(i));
    uint64_t s = 4;
    for (int i = 0; i < N_RANDOM; i++)
        check_to_bf16(random_fp32(&s));
}

static void fp32_to_bf16_should_round_ties_to_even_and_overflow(void **state)
{
    (void)state;
    assert_int_equal(fast_ref_fp32_to_bf16(0x3F808000u), 0x3F80u);
    assert_int_equal(fast_ref_fp32_to_bf16(0x3F818000u), 0x3F82u);
    assert_int_equal(fast_ref_fp32_to_bf16(0x3F808001u), 0x3F81u);
    assert_int_equal(fast_ref_fp32_to_bf16(0x7F7FFFFFu), 0x7F80u);
    assert_int_equal(fast_ref_fp32_to_bf16(0xFF7F8000u), 0xFF80u);
    assert_int_equal(fast_ref_fp32_to_bf16(0x807FFFFFu), 0x8000u);
    assert_int_equal(fast_ref_fp32_to_bf16(0x00FFFFFFu), 0x0100u);
}

static void nan_results_should_be_canonical(void **state)
{
    (void)state;
    assert_int_equal(fast_ref_fp32_add(0xFFC00001u, 0x3F800000u), FAST_FP32_CANONICAL_NAN);
    assert_int_equal(fast_ref_fp32_add(0x3F800000u, 0x7F800001u), FAST_FP32_CANONICAL_NAN);
    assert_int_equal(fast_ref_fp32_mul(0xFFFFFFFFu, 0x7F800000u), FAST_FP32_CANONICAL_NAN);
    assert_int_equal(fast_ref_bf16_mul(0xFFC1u, 0x0000u), FAST_FP32_CANONICAL_NAN);
    assert_int_equal(fast_ref_fp32_to_bf16(0xFF800001u), FAST_BF16_CANONICAL_NAN);
    assert_int_equal(fast_ref_fp32_to_bf16(0x7FFFFFFFu), FAST_BF16_CANONICAL_NAN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fp32_add_should_match_host_on_special_pairs),
        cmocka_unit_test(fp32_add_should_match_host_on_random_inputs),
        cmocka_unit_test(fp32_add_should_give_positive_zero_for_x_minus_x),
        cmocka_unit_test(fp32_add_should_give_nan_for_inf_minus_inf),
        cmocka_unit_test(fp32_add_should_round_ties_to_even),
        cmocka_unit_test(fp32_add_should_flush_denormal_results_to_signed_zero),
        cmocka_unit_test(fp32_add_should_overflow_to_infinity),
        cmocka_unit_test(fp32_add_should_ignore_huge_exponent_differences),
        cmocka_unit_test(fp32_mul_should_match_host_on_special_pairs),
        cmocka_unit_test(fp32_mul_should_match_host_on_random_inputs),
        cmocka_unit_test(fp32_mul_should_give_nan_for_zero_times_inf),
        cmocka_unit_test(fp32_mul_should_decide_the_flush_after_rounding),
        cmocka_unit_test(fp32_mul_should_overflow_to_infinity),
        cmocka_unit_test(bf16_mul_should_be_exact_for_all_a_and_256_b),
        cmocka_unit_test(bf16_mul_should_flush_products_below_min_normal),
        cmocka_unit_test(fp32_to_bf16_should_match_host_on_special_and_random_inputs),
        cmocka_unit_test(fp32_to_bf16_should_round_ties_to_even_and_overflow),
        cmocka_unit_test(nan_results_should_be_canonical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
