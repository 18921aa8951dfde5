/* The vector unit's C reference (sim/ref/vector.c): each approximation's maximum error over
 * a dense sweep against libm, held to the bound of docs/rtl.md section 5; requantize against
 * a direct computation of its rule; the exact ops; the reductions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/ref/fp.h"
#include "sim/ref/vector.h"

/* The documented maximum errors (docs/rtl.md section 5, table "Approximations"). Absolute
 * for the four activations, relative for exp, recip and rsqrt. */
#define BOUND_SIGMOID 1.0e-4
#define BOUND_TANH 2.0e-4
#define BOUND_SWISH 5.0e-4
#define BOUND_GELU 2.0e-4
#define BOUND_EXP 1.6e-5
#define BOUND_RECIP 1.6e-5
#define BOUND_RSQRT 6.0e-6
/* Extra absolute error of the int mode's Q15.16 result: the rounding and the input grid. */
#define INT_LSB (1.0 / 65536.0)

static uint32_t fbits(float f)
{
    return fast_ref_float_to_fp32(f);
}

static float bitsf(uint32_t b)
{
    return fast_ref_fp32_to_float(b);
}

static double sigmoid_d(double x)
{
    return 1.0 / (1.0 + exp(-x));
}
static double swish_d(double x)
{
    return x * sigmoid_d(x);
}
static double gelu_d(double x)
{
    return 0.5 * x * (1.0 + erf(x / sqrt(2.0)));
}

/* Max absolute error of op in both modes over [-24, 24] against f; prints both. */
static void check_activation(int op, double (*f)(double), double bound)
{
    double max_fp = 0, max_int = 0;
    for (int i = -24 * 4096; i <= 24 * 4096; i++) {
        float x = (float)i / 4096.0f + 1.0f / 65536.0f * (float)(i % 7);
        double y = bitsf(fast_ref_vector_fp(op, fbits(x), 0, 0));
        double e = fabs(y - f(x));
        if (e > max_fp)
            max_fp = e;
    }
    fast_vector_scalars s = {0, 16, 0, 0};
    for (int32_t q = -24 * 65536; q <= 24 * 65536; q += 3) {
        int32_t y = (int32_t)fast_ref_vector_int(op, (uint32_t)q, 0, 0, &s);
        double e = fabs(y / 65536.0 - f(q / 65536.0));
        if (e > max_int)
            max_int = e;
    }
    printf("%s: max abs error fp %.3g, int %.3g (bound %.3g, int + %.3g)\n",
           fast_ref_vector_op_name(op), max_fp, max_int, bound, INT_LSB / 2);
    assert_true(max_fp <= bound);
    assert_true(max_int <= bound + INT_LSB / 2);
}

static void vector_sigmoid_should_stay_within_its_bound(void **state)
{
    (void)state;
    check_activation(FAST_VOP_SIGMOID, sigmoid_d, BOUND_SIGMOID);
}

static void vector_tanh_should_stay_within_its_bound(void **state)
{
    (void)state;
    check_activation(FAST_VOP_TANH, tanh, BOUND_TANH);
}

static void vector_swish_should_stay_within_its_bound(void **state)
{
    (void)state;
    check_activation(FAST_VOP_SWISH, swish_d, BOUND_SWISH);
}

static void vector_gelu_should_stay_within_its_bound(void **state)
{
    (void)state;
    check_activation(FAST_VOP_GELU, gelu_d, BOUND_GELU);
}

/* Int results of exp, recip and rsqrt: |y - ref| <= bound * ref + 1 LSB; returns the
 * largest ratio of the error to that allowance (at most 1 when within). */
static double int_ratio(int32_t y, double ref_lsb, double bound)
{
    if (ref_lsb > 2147483647.0)
        ref_lsb = 2147483647.0; /* the result saturates */
    return fabs(y - ref_lsb) / (bound * ref_lsb + 1.0);
}

static void vector_exp_should_stay_within_its_bound(void **state)
{
    (void)state;
    double max_fp = 0, max_int = 0;
    /* fp: e^(a - b) over the range where the result is a normal number. */
    for (int i = -87 * 2048; i <= 88 * 2048; i++) {
        float x = (float)i / 2048.0f + (float)(i % 5) / 65536.0f;
        float bsub = (i % 3 == 0) ? 1.5f : 0.0f;
        double y = bitsf(fast_ref_vector_fp(FAST_VOP_EXP, fbits(x + bsub), fbits(bsub), 0));
        double ref = exp((double)(x + bsub) - (double)bsub);
        double e = fabs(y - ref) / ref;
        if (e > max_fp)
            max_fp = e;
    }
    fast_vector_scalars s = {0, 16, 0, 0};
    for (int32_t q = -20 * 65536; q <= 11 * 65536; q += 5) {
        int32_t y = (int32_t)fast_ref_vector_int(FAST_VOP_EXP, (uint32_t)q, 0, 0, &s);
        double r = int_ratio(y, exp(q / 65536.0) * 65536.0, BOUND_EXP);
        if (r > max_int)
            max_int = r;
    }
    printf("exp: max rel error fp %.3g (bound %.3g); int error / allowance %.3f\n", max_fp,
           BOUND_EXP, max_int);
    assert_true(max_fp <= BOUND_EXP);
    assert_true(max_int <= 1.0);
    /* The special values. */
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_EXP, 0, 0, 0), 0x3F800000u);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_EXP, fbits(100.0f), 0, 0), 0x7F800000u);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_EXP, fbits(-100.0f), 0, 0), 0);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_EXP, 0x7F800001u, 0, 0),
                     FAST_FP32_CANONICAL_NAN);
}

/* Sweeps 1/x (rsqrt 0) or 1/sqrt(x) (rsqrt 1) in both modes; returns via asserts. */
static void check_recip(int op, double bound)
{
    int rs = op == FAST_VOP_RSQRT;
    double max_fp = 0, max_int = 0;
    for (int e = -4; e <= 3; e++) {
        for (uint32_t m = 0; m < (1u << 23); m += 3) {
            uint32_t x = ((uint32_t)(127 + e) << 23) | m;
            double xd = bitsf(x);
            double ref = rs ? 1.0 / sqrt(xd) : 1.0 / xd;
            double y = bitsf(fast_ref_vector_fp(op, x, 0, 0));
            double err = fabs(y - ref) / ref;
            if (err > max_fp)
                max_fp = err;
        }
    }
    for (int frac = 0; frac <= 30; frac += 6) {
        fast_vector_scalars s = {0, frac, 0, 0};
        for (double xr = 1.0; xr < 2147483647.0; xr *= 1.0001) {
            int32_t q = (int32_t)xr;
            double xd = q / 65536.0;
            double ref = (rs ? 1.0 / sqrt(xd) : 1.0 / xd) * ldexp(1.0, frac);
            int32_t y = (int32_t)fast_ref_vector_int(op, (uint32_t)q, 0, 0, &s);
            double r = int_ratio(y, ref, bound);
            if (r > max_int)
                max_int = r;
        }
    }
    printf("%s: max rel error fp %.3g (bound %.3g); int error / allowance %.3f\n",
           fast_ref_vector_op_name(op), max_fp, bound, max_int);
    assert_true(max_fp <= bound);
    assert_true(max_int <= 1.0);
}

static void vector_recip_should_stay_within_its_bound(void **state)
{
    (void)state;
    check_recip(FAST_VOP_RECIP, BOUND_RECIP);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_RECIP, 0x80000000u, 0, 0), 0xFF800000u);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_RECIP, 0x7F800000u, 0, 0), 0);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_RECIP, fbits(-4.0f), 0, 0), fbits(-0.25f));
    fast_vector_scalars s = {0, 16, 0, 0};
    assert_int_equal(fast_ref_vector_int(FAST_VOP_RECIP, 0, 0, 0, &s), INT32_MAX);
}

static void vector_rsqrt_should_stay_within_its_bound(void **state)
{
    (void)state;
    check_recip(FAST_VOP_RSQRT, BOUND_RSQRT);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_RSQRT, fbits(-1.0f), 0, 0),
                     FAST_FP32_CANONICAL_NAN);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_RSQRT, 0, 0, 0), 0x7F800000u);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_RSQRT, 0x7F800000u, 0, 0), 0);
}

/* The requantize rule written out directly: truncating division, then half away from zero
 * on the magnitude of the remainder. */
static int32_t requant_direct(int64_t d, int64_t m, int n, int32_t zp, int32_t lo, int32_t hi)
{
    int64_t p = d * m;
    int64_t q = p;
    if (n > 0) {
        int64_t div = (int64_t)1 << (n - 1); /* 2^n / 2: 2^63 does not fit */
        q = p / div / 2;
        int64_t rem_twice = p - q * 2 * div; /* remainder, |.| < 2^n, as a multiple of 1 */
        uint64_t mag = rem_twice < 0 ? (uint64_t)(-(rem_twice + 1)) + 1 : (uint64_t)rem_twice;
        if (mag >= (uint64_t)div)
            q += p < 0 ? -1 : 1;
    }
    int64_t t = q + zp;
    return (int32_t)(t < lo ? lo : t > hi ? hi : t);
}

static uint32_t rng_next(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*s >> 32);
}

static void vector_requant_should_match_the_documented_rule(void **state)
{
    (void)state;
    uint64_t seed = 1;
    int n_checked = 0;
    for (int i = 0; i < 400000; i++) {
        uint32_t a = rng_next(&seed), b = rng_next(&seed), c = rng_next(&seed);
        int kind = i % 4;
        if (kind == 1)
            a = (uint32_t)((int32_t)(a % 2001) - 1000);
        if (kind == 2)
            b = 0x40000000u + (b >> 2); /* a TFLite multiplier in [0.5, 1) * 2^31 */
        fast_vector_scalars s;
        s.shift = (int)(rng_next(&seed) % 64);
        s.zp = (int32_t)(rng_next(&seed) % 256) - 128;
        s.lo = kind == 3 ? INT32_MIN : -128;
        s.hi = kind == 3 ? INT32_MAX : 127;
        int32_t ia = (int32_t)a, ib = (int32_t)b, ic = (int32_t)c;
        assert_int_equal((int32_t)fast_ref_vector_int(FAST_VOP_REQUANT, a, b, c, &s),
                         requant_direct(ia, ib, s.shift, s.zp, s.lo, s.hi));
        int64_t d = (int64_t)ia - ib;
        d = d > INT32_MAX ? INT32_MAX : d < INT32_MIN ? INT32_MIN : d;
        assert_int_equal((int32_t)fast_ref_vector_int(FAST_VOP_NORM, a, b, c, &s),
                         requant_direct(d, ic, s.shift, s.zp, s.lo, s.hi));
        n_checked += 2;
    }
    /* Ties: 2.5 -> 3, -2.5 -> -3, 1.5 -> 2, -0.5 -> -1. */
    fast_vector_scalars s = {0, 1, INT32_MIN, INT32_MAX};
    assert_int_equal((int32_t)fast_ref_vector_int(FAST_VOP_REQUANT, 5, 1, 0, &s), 3);
    assert_int_equal((int32_t)fast_ref_vector_int(FAST_VOP_REQUANT, (uint32_t)-5, 1, 0, &s), -3);
    assert_int_equal((int32_t)fast_ref_vector_int(FAST_VOP_REQUANT, 3, 1, 0, &s), 2);
    assert_int_equal((int32_t)fast_ref_vector_int(FAST_VOP_REQUANT, (uint32_t)-1, 1, 0, &s), -1);
    printf("requant and norm: %d results equal to the direct rule\n", n_checked);
}

static void vector_int_exact_ops_should_follow_their_definitions(void **state)
{
    (void)state;
    fast_vector_scalars s = {0, 0, -3, 100};
    uint32_t m5 = (uint32_t)-5;
    assert_int_equal(fast_ref_vector_int(FAST_VOP_ADD, 0x7FFFFFFFu, 1, 0, &s), 0x80000000u);
    assert_int_equal(fast_ref_vector_int(FAST_VOP_SUB, 3, 5, 0, &s), (uint32_t)-2);
    assert_int_equal(fast_ref_vector_int(FAST_VOP_MUL, 0x10000u, 0x10001u, 0, &s), 0x10000u);
    assert_int_equal(fast_ref_vector_int(FAST_VOP_FMA, m5, 3, 20, &s), 5);
    assert_int_equal(fast_ref_vector_int(FAST_VOP_MAX, m5, 2, 0, &s), 2);
    assert_int_equal(fast_ref_vector_int(FAST_VOP_MIN, m5, 2, 0, &s), m5);
    assert_int_equal(fast_ref_vector_int(FAST_VOP_RELU, m5, 0, 0, &s), 0);
    assert_int_equal(fast_ref_vector_int(FAST_VOP_RELU, 7, 0, 0, &s), 7);
    assert_int_equal(fast_ref_vector_int(FAST_VOP_RELU6, m5, 0, 0, &s), (uint32_t)-3);
    assert_int_equal(fast_ref_vector_int(FAST_VOP_RELU6, 500, 0, 0, &s), 100);
    assert_int_equal(fast_ref_vector_int(FAST_VOP_RELU6, 42, 0, 0, &s), 42);
    assert_int_equal(fast_ref_vector_int(FAST_VOP_PASS, m5, 0, 0, &s), m5);
    assert_int_equal(fast_ref_vector_int(31, m5, 1, 1, &s), 0);
}

static void vector_fp_exact_ops_should_follow_their_definitions(void **state)
{
    (void)state;
    uint32_t nan = FAST_FP32_CANONICAL_NAN;
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_RELU, fbits(-2.0f), 0, 0), 0);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_RELU, 0x80000000u, 0, 0), 0);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_RELU6, fbits(7.5f), 0, 0), fbits(6.0f));
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_RELU6, fbits(2.5f), 0, 0), fbits(2.5f));
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_RELU6, 0x7FC12345u, 0, 0), nan);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_MAX, fbits(-1.0f), fbits(-2.0f), 0),
                     fbits(-1.0f));
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_MAX, 0x80000000u, 0, 0), 0);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_MIN, 0x80000000u, 0, 0), 0x80000000u);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_MIN, fbits(1.0f), nan, 0), nan);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_SUB, fbits(1.0f), fbits(3.0f), 0),
                     fbits(-2.0f));
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_FMA, fbits(1.5f), fbits(2.0f), fbits(1.0f)),
                     fbits(4.0f));
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_NORM, fbits(5.0f), fbits(1.0f), fbits(0.5f)),
                     fbits(2.0f));
    /* requantize: a * b + c rounded to bf16 (nearest even), low half zero. */
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_REQUANT, 0x3F808000u, fbits(1.0f), 0),
                     0x3F800000u);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_REQUANT, 0x3F818000u, fbits(1.0f), 0),
                     0x3F820000u);
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_SIGMOID, 0x7F800000u, 0, 0), fbits(1.0f));
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_TANH, 0xFF800000u, 0, 0), fbits(-1.0f));
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_GELU, fbits(100.0f), 0, 0), fbits(100.0f));
    assert_int_equal(fast_ref_vector_fp(FAST_VOP_SWISH, 0x7FC00001u, 0, 0), nan);
}

static void vector_reductions_should_restart_on_first_and_hold_without_one(void **state)
{
    (void)state;
    fast_vector_acc acc = {0, 0};
    fast_ref_vector_reduce(&acc, 0, FAST_VRED_SUM, 1, 5);
    fast_ref_vector_reduce(&acc, 0, FAST_VRED_SUM, 0, (uint32_t)-7);
    assert_int_equal((int32_t)acc.r, -2);
    fast_ref_vector_reduce(&acc, 0, FAST_VRED_NONE, 0, 100);
    assert_int_equal((int32_t)acc.r, -2);
    fast_ref_vector_reduce(&acc, 0, FAST_VRED_MAX, 1, (uint32_t)-9);
    fast_ref_vector_reduce(&acc, 0, FAST_VRED_MAX, 0, (uint32_t)-4);
    fast_ref_vector_reduce(&acc, 0, FAST_VRED_MAX, 0, (uint32_t)-6);
    assert_int_equal((int32_t)acc.r, -4);
    fast_ref_vector_reduce(&acc, 0, FAST_VRED_SUMSQ, 1, 3);
    fast_ref_vector_reduce(&acc, 0, FAST_VRED_SUMSQ, 0, (uint32_t)-4);
    assert_int_equal((int32_t)acc.r, -1);
    assert_int_equal(acc.r2, 25);
    fast_ref_vector_reduce(&acc, 1, FAST_VRED_SUMSQ, 1, fbits(1.5f));
    fast_ref_vector_reduce(&acc, 1, FAST_VRED_SUMSQ, 0, fbits(2.0f));
    assert_int_equal(acc.r, fbits(3.5f));
    assert_int_equal(acc.r2, fbits(6.25f));
    fast_ref_vector_reduce(&acc, 1, FAST_VRED_MAX, 1, fbits(1.5f));
    fast_ref_vector_reduce(&acc, 1, FAST_VRED_MAX, 0, fbits(-2.0f));
    assert_int_equal(acc.r, fbits(1.5f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vector_sigmoid_should_stay_within_its_bound),
        cmocka_unit_test(vector_tanh_should_stay_within_its_bound),
        cmocka_unit_test(vector_swish_should_stay_within_its_bound),
        cmocka_unit_test(vector_gelu_should_stay_within_its_bound),
        cmocka_unit_test(vector_exp_should_stay_within_its_bound),
        cmocka_unit_test(vector_recip_should_stay_within_its_bound),
        cmocka_unit_test(vector_rsqrt_should_stay_within_its_bound),
        cmocka_unit_test(vector_requant_should_match_the_documented_rule),
        cmocka_unit_test(vector_int_exact_ops_should_follow_their_definitions),
        cmocka_unit_test(vector_fp_exact_ops_should_follow_their_definitions),
        cmocka_unit_test(vector_reductions_should_restart_on_first_and_hold_without_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
