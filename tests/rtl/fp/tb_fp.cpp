// Verilator testbench of the floating-point blocks (fp_top.v) against the C reference
// (sim/ref/fp.c), every output bit compared. Stops at the first mismatch, printing the
// inputs, and exits 1; prints the number of vectors checked per block and exits 0.
//   Vfp_top [N_RANDOM]   (default 2000000 random vectors per fp32 block)
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "Vfp_top.h"
#include "verilated.h"

extern "C" {
#include "sim/ref/fp.h"
}

namespace {

uint64_t rng_next(uint64_t &s)
{
    uint64_t z = (s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

// Positive special and boundary values; special(i) gives both signs.
const uint32_t SPECIALS[] = {
    0x00000000u, 0x00000001u, 0x00400000u, 0x007FFFFFu,              // zero, denormals
    0x00800000u, 0x00800001u, 0x00FFFFFFu, 0x01000000u, 0x01000001u, // around 2^-126
    0x7F7FFFFFu, 0x7F7FFFFEu, 0x7F000000u, 0x7EFFFFFFu,              // around max normal
    0x7F800000u, 0x7F800001u, 0x7FC00000u, 0x7FFFFFFFu, 0x7FA00000u, // inf, NaNs
    0x3F800000u, 0x3F800001u, 0x3F7FFFFFu, 0x3FFFFFFFu, 0x3F000001u, // around 1
    0x33800000u, 0x33800001u, 0x34000000u, 0x4B800000u, 0x4B7FFFFFu, // 2^-24, 2^24
    0x1F800000u, 0x5F800000u, 0x3FC00000u, 0x40400000u, 0x20000001u, // 2^-64, 2^64
    0x00FFFFFEu, 0x3F808000u, 0x3F818000u, 0x7F7F8000u,              // rounding cases
};
const int N_SPECIALS = 2 * int(sizeof SPECIALS / sizeof SPECIALS[0]);

uint32_t special(int i) { return SPECIALS[i / 2] | (i % 2 ? 0x80000000u : 0u); }

// Positive bf16 special and boundary values: zero, denormals, around 2^-126, around one,
// the largest finite, infinity, NaNs, powers of two that put products at the range ends.
const uint16_t BF16_SPECIALS[] = {
    0x0000u, 0x0001u, 0x007Fu, 0x0080u, 0x0081u, 0x00FFu, 0x0100u, 0x3F80u,
    0x3F81u, 0x3FFFu, 0x3F7Fu, 0x3F00u, 0x3F01u, 0x7F7Fu, 0x7F7Eu, 0x7F00u,
    0x7F80u, 0x7F81u, 0x7FC0u, 0x7FFFu, 0x1F80u, 0x2000u, 0x5F80u, 0x6000u,
};
const int N_BF16_SPECIALS = 2 * int(sizeof BF16_SPECIALS / sizeof BF16_SPECIALS[0]);

// A random fp32 pattern biased toward hard cases: exponents near the ends or near one
// another's, fractions with long runs of ones or zeros (carries and ties).
uint32_t random_fp32(uint64_t &s)
{
    uint64_t r = rng_next(s);
    uint32_t bits = uint32_t(r), sign = bits & 0x80000000u;
    uint32_t exp = (bits >> 23) & 0xFF, frac = bits & 0x7FFFFFu;
    switch ((r >> 32) & 7) {
    case 0: exp = uint32_t(r >> 40) % 8; break;
    case 1: exp = 247 + uint32_t(r >> 40) % 9; break;
    case 2: frac = (r >> 40) & 1 ? (0x7FFFFFu << ((r >> 41) % 24)) & 0x7FFFFFu
                                 : 0x7FFFFFu >> ((r >> 41) % 24); break;
    case 3: exp = 100 + uint32_t(r >> 40) % 56; break;
    default: break;
    }
    return sign | exp << 23 | frac;
}

// A second operand: close exponent (cancellation), near negation, steered so a product
// lands near 2^-126 or 2^128, or independent.
uint32_t random_partner(uint64_t &s, uint32_t a)
{
    uint64_t r = rng_next(s);
    int ea = int((a >> 23) & 0xFF);
    switch (r & 7) {
    case 0: case 1: {
        int e = ea + int((r >> 8) % 7) - 3;
        e = e < 0 ? 0 : e > 255 ? 255 : e;
        return (uint32_t(r >> 16) & 0x80000000u) | uint32_t(e) << 23
               | (uint32_t(r >> 20) & 0x7FFFFFu);
    }
    case 2:
        return (a ^ 0x80000000u) ^ (uint32_t(r >> 8) & ((1u << ((r >> 4) % 24)) - 1));
    case 3: {
        int e = ((r >> 8) & 1 ? 1 : 254) - ea + 127 + int((r >> 9) % 3) - 1;
        if (e < 1 || e > 254) return random_fp32(s);
        return (uint32_t(r >> 16) & 0x80000000u) | uint32_t(e) << 23
               | (uint32_t(r >> 20) & 0x7FFFFFu);
    }
    default:
        return random_fp32(s);
    }
}

struct Bench {
    std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
    std::unique_ptr<Vfp_top> top{new Vfp_top{ctx.get()}};
    long n_bf16_mul = 0, n_add = 0, n_mul = 0, n_to_bf16 = 0;

    void bf16_mul(uint16_t a, uint16_t b)
    {
        top->bf_a_i = a;
        top->bf_b_i = b;
        top->eval();
        uint32_t want = fast_ref_bf16_mul(a, b), got = top->bf16_mul_o;
        if (got != want) {
            std::printf("tb_fp: MISMATCH fast_bf16_mul a=%04x b=%04x: rtl %08" PRIx32
                        " ref %08" PRIx32 "\n", a, b, got, want);
            std::exit(1);
        }
        n_bf16_mul++;
    }

    // Checks the three fp32 blocks on (a, b); fast_fp32_to_bf16 sees a.
    void fp32(uint32_t a, uint32_t b)
    {
        top->a_i = a;
        top->b_i = b;
        top->eval();
        uint32_t want = fast_ref_fp32_add(a, b), got = top->fp32_add_o;
        if (got != want) {
            std::printf("tb_fp: MISMATCH fast_fp32_add a=%08" PRIx32 " b=%08" PRIx32
                        ": rtl %08" PRIx32 " ref %08" PRIx32 "\n", a, b, got, want);
            std::exit(1);
        }
        want = fast_ref_fp32_mul(a, b);
        got = top->fp32_mul_o;
        if (got != want) {
            std::printf("tb_fp: MISMATCH fast_fp32_mul a=%08" PRIx32 " b=%08" PRIx32
                        ": rtl %08" PRIx32 " ref %08" PRIx32 "\n", a, b, got, want);
            std::exit(1);
        }
        uint16_t want16 = fast_ref_fp32_to_bf16(a), got16 = top->fp32_to_bf16_o;
        if (got16 != want16) {
            std::printf("tb_fp: MISMATCH fast_fp32_to_bf16 a=%08" PRIx32 ": rtl %04x ref %04x\n",
                        a, got16, want16);
            std::exit(1);
        }
        n_add++;
        n_mul++;
        n_to_bf16++;
    }
};

} // namespace

int main(int argc, char **argv)
{
    long n_random = argc > 1 ? std::atol(argv[1]) : 2000000;
    Bench tb;
    uint64_t s = 20261129;

    // bf16 x bf16: every a against the 48 bf16 specials (both signs) and 16 random b.
    for (int j = 0; j < 64; j++) {
        uint16_t b = j < N_BF16_SPECIALS
                         ? uint16_t(BF16_SPECIALS[j / 2] | (j % 2 ? 0x8000u : 0u))
                         : uint16_t(rng_next(s));
        for (uint32_t a = 0; a < 65536; a++)
            tb.bf16_mul(uint16_t(a), b);
    }

    // fp32: all pairs of specials, then random pairs.
    for (int i = 0; i < N_SPECIALS; i++)
        for (int j = 0; j < N_SPECIALS; j++)
            tb.fp32(special(i), special(j));
    for (long i = 0; i < n_random; i++) {
        uint32_t a = random_fp32(s);
        tb.fp32(a, random_partner(s, a));
    }
    // fp32 to bf16: every upper half with the lower halves that decide the rounding.
    const uint32_t LOW[] = {0x0000u, 0x0001u, 0x7FFFu, 0x8000u, 0x8001u, 0xFFFFu};
    for (uint32_t hi = 0; hi < 65536; hi++)
        for (uint32_t lo : LOW)
            tb.fp32(hi << 16 | lo, uint32_t(rng_next(s)));

    std::printf("tb_fp: ok: fast_bf16_mul %ld, fast_fp32_add %ld, fast_fp32_mul %ld, "
                "fast_fp32_to_bf16 %ld vectors\n",
                tb.n_bf16_mul, tb.n_add, tb.n_mul, tb.n_to_bf16);
    return 0;
}
