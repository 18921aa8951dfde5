/* Integer-only fp32/bf16 arithmetic with the rules of docs/rtl.md section 2. The RTL in
 * rtl_templates/fast_*.v follows the same steps; the tests hold both to this file bit for
 * bit and hold this file to the host's IEEE arithmetic. */
#include "sim/ref/fp.h"

#include <string.h>

#define SIGN_BIT 0x80000000u
#define EXP_MAX 255 /* biased exponent of infinity and NaN */
#define BIAS 127

/* The fields of an fp32 value after the input flush: zero covers +-0 and the denormals. */
typedef struct fp_unpacked {
    uint32_t sign; /* 0 or 1 */
    int exp;       /* biased exponent, 1..254 for a normal */
    uint32_t sig;  /* significand with the hidden bit, 2^23..2^24-1 for a normal */
    int zero, inf, nan;
} fp_unpacked;

static fp_unpacked unpack(uint32_t x)
{
    fp_unpacked u;
    uint32_t frac = x & 0x7FFFFFu;
    u.sign = x >> 31;
    u.exp = (int)((x >> 23) & 0xFFu);
    u.sig = frac | 0x800000u;
    u.zero = u.exp == 0;
    u.inf = u.exp == EXP_MAX && frac == 0;
    u.nan = u.exp == EXP_MAX && frac != 0;
    return u;
}

static uint32_t pack_zero(uint32_t sign) { return sign << 31; }
static uint32_t pack_inf(uint32_t sign) { return (sign << 31) | 0x7F800000u; }

static int msb_index(uint64_t m)
{
    int p = 63;
    while (!(m >> p))
        p--;
    return p;
}

/* Rounds sign x m x 2^e2 (m != 0, any exponent) to 24 significant bits, nearest even, with
 * an unbounded exponent; then a result of 2^128 or more is infinity and one below 2^-126
 * is signed zero. */
static uint32_t round_pack(uint32_t sign, uint64_t m, int e2)
{
    int p = msb_index(m);
    int exp = p + e2 + BIAS; /* biased exponent of the leading one */
    uint64_t sig;
    if (p > 23) {
        int sh = p - 23;
        uint64_t rest = m & ((UINT64_C(1) << sh) - 1);
        uint64_t half = UINT64_C(1) << (sh - 1);
        sig = m >> sh;
        if (rest > half || (rest == half && (sig & 1)))
            sig++;
        if (sig >> 24) { /* carried into 2^24: 1.111..1 rounded up to 10.000..0 */
            sig >>= 1;
            exp++;
        }
    } else {
        sig = m << (23 - p);
    }
    if (exp >= EXP_MAX)
        return pack_inf(sign);
    if (exp <= 0)
        return pack_zero(sign);
    return (sign << 31) | ((uint32_t)exp << 23) | ((uint32_t)sig & 0x7FFFFFu);
}

uint32_t fast_ref_fp32_add(uint32_t a, uint32_t b)
{
    fp_unpacked x = unpack(a), y = unpack(b);
    if (x.nan || y.nan || (x.inf && y.inf && x.sign != y.sign))
        return FAST_FP32_CANONICAL_NAN;
    if (x.inf)
        return pack_inf(x.sign);
    if (y.inf)
        return pack_inf(y.sign);
    if (x.zero && y.zero)
        return pack_zero(x.sign & y.sign); /* -0 only for -0 + -0 */
    if (y.zero)
        return a;
    if (x.zero)
        return b;
    /* Order by magnitude: big >= small. */
    if ((b & ~SIGN_BIT) > (a & ~SIGN_BIT)) {
        fp_unpacked t = x;
        x = y;
        y = t;
    }
    /* Align: 34 extra low bits, everything shifted out of them folded into a sticky bit. */
    int d = x.exp - y.exp;
    uint64_t big = (uint64_t)x.sig << 34, small = (uint64_t)y.sig << 34;
    if (d >= 58)
        small = 1;
    else if (d > 0)
        small = (small >> d) | ((small & ((UINT64_C(1) << d) - 1)) != 0);
    uint64_t m = x.sign == y.sign ? big + small : big - small;
    if (m == 0)
        return pack_zero(0); /* x + (-x) = +0 under round-to-nearest-even */
    return round_pack(x.sign, m, x.exp - BIAS - 23 - 34);
}

uint32_t fast_ref_fp32_mul(uint32_t a, uint32_t b)
{
    fp_unpacked x = unpack(a), y = unpack(b);
    uint32_t sign = x.sign ^ y.sign;
    if (x.nan || y.nan || (x.inf && y.zero) || (x.zero && y.inf))
        return FAST_FP32_CANONICAL_NAN;
    if (x.inf || y.inf)
        return pack_inf(sign);
    if (x.zero || y.zero)
        return pack_zero(sign);
    uint64_t m = (uint64_t)x.sig * y.sig;
    return round_pack(sign, m, x.exp + y.exp - 2 * (BIAS + 23));
}

uint32_t fast_ref_bf16_mul(uint16_t a, uint16_t b)
{
    /* A bf16 value is the top half of an fp32 one; the product of two 8-bit significands
     * has at most 16 bits, so the fp32 multiply never rounds and is the exact product. */
    return fast_ref_fp32_mul((uint32_t)a << 16, (uint32_t)b << 16);
}

uint16_t fast_ref_fp32_to_bf16(uint32_t a)
{
    fp_unpacked x = unpack(a);
    if (x.nan)
        return FAST_BF16_CANONICAL_NAN;
    if (x.zero)
        return (uint16_t)(x.sign << 15);
    if (x.inf)
        return (uint16_t)((a >> 16) & 0xFF80u);
    /* Round the low 16 bits away, nearest even; a carry runs into the exponent and turns
     * the largest values into infinity, which is the right result. */
    uint32_t kept = (a >> 16) & 0x7FFFu, rest = a & 0xFFFFu;
    if (rest > 0x8000u || (rest == 0x8000u && (kept & 1)))
        kept++;
    return (uint16_t)((x.sign << 15) | kept);
}

float fast_ref_fp32_to_float(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

uint32_t fast_ref_float_to_fp32(float f)
{
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return bits;
}
