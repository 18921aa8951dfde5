// Verilator testbench of fast_vector_unit (docs/rtl.md section 5): random streams of every
// op, back to back and with gaps, reductions over random lengths, random scalar operands;
// every result compared bit for bit with sim/ref/vector.c and the 4-cycle latency checked
// on every cycle (valid_o and rvalid_o must rise exactly 4 cycles after the beat).
//   Vfast_vector_unit --lanes N --fp F [--cycles C] [--seed S]
// Exit 0 when every check passes, 1 on the first mismatches (up to 10 are printed).
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <vector>

#include "Vfast_vector_unit.h"
#include "verilated.h"

extern "C" {
#include "sim/ref/vector.h"
}

namespace {

// Lane l of a LANES x 32 bus, whatever C++ type Verilator chose for its width.
void put(IData &bus, int l, uint32_t v) { (void)l; bus = v; }
void put(QData &bus, int l, uint32_t v)
{
    bus &= ~(0xFFFFFFFFull << (32 * l));
    bus |= (QData)v << (32 * l);
}
template <std::size_t N> void put(VlWide<N> &bus, int l, uint32_t v) { bus[l] = v; }
uint32_t get(IData bus, int l) { (void)l; return bus; }
uint32_t get(QData bus, int l) { return (uint32_t)(bus >> (32 * l)); }
template <std::size_t N> uint32_t get(const VlWide<N> &bus, int l) { return bus[l]; }

struct Rng {
    uint64_t s;
    uint32_t next()
    {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return (uint32_t)(s >> 32);
    }
    uint32_t below(uint32_t n) { return next() % n; }
};

// An int32 operand: full range, small, Q15.16 in +-24, or an edge value.
uint32_t int_operand(Rng &r)
{
    static const uint32_t edge[] = {0, 1, 0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u, 0x10000u,
                                    0xFFFF0000u, 0x100000u};
    switch (r.below(8)) {
    case 0: case 1: return r.next();
    case 2: return (uint32_t)((int32_t)r.below(2001) - 1000);
    case 3: return edge[r.below(8)];
    case 4: return (uint32_t)((int32_t)r.below(1u << 26) - (1 << 25)) >> (r.below(16));
    default: return (uint32_t)((int32_t)r.below(48u << 16) - (24 << 16));
    }
}

// An fp32 operand: moderate exponents mostly, any bits, specials, small values.
uint32_t fp_operand(Rng &r)
{
    static const uint32_t special[] = {0, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u,
                                       0xFFA12345u, 0x00001234u, 0x80400000u, 0x3F800000u,
                                       0x7F7FFFFFu, 0x00800000u, 0x40C00000u};
    uint32_t sign = r.below(2) << 31;
    switch (r.below(10)) {
    case 0: return r.next();
    case 1: return special[r.below(12)];
    case 2: case 3: case 4: {
        float f = ((float)r.below(1u << 24) / (float)(1u << 24) - 0.5f) * 48.0f;
        uint32_t b;
        std::memcpy(&b, &f, 4);
        return b;
    }
    case 5: return sign | ((uint32_t)(127 + 60 - r.below(120)) << 23) | (r.next() & 0x7FFFFF);
    default: return sign | ((uint32_t)(127 + 12 - r.below(24)) << 23) | (r.next() & 0x7FFFFF);
    }
}

struct Expect {
    uint64_t cycle;  // when valid_o must be high with these results
    int op, rvalid;
    std::vector<uint32_t> y, r, r2;
};

}  // namespace

int main(int argc, char **argv)
{
    int lanes = 0, fp = -1;
    uint64_t cycles = 20000, seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--lanes")) lanes = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--fp")) fp = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--cycles")) cycles = std::strtoull(argv[i + 1], 0, 10);
        else if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], 0, 10);
    }
    VerilatedContext ctx;
    Vfast_vector_unit dut(&ctx);
    if (lanes < 1 || (fp != 0 && fp != 1) || (int)sizeof(dut.a_i) * 8 < 32 * lanes ||
        (int)sizeof(dut.a_i) * 8 >= 32 * lanes + 64) {
        std::fprintf(stderr, "tb_vector: error[usage]: --lanes %d --fp %d: must match the "
                             "build's LANES and FP\n", lanes, fp);
        return 2;
    }
    Rng rng{seed * 0x9E3779B97F4A7C15ull + 1};
    std::vector<fast_vector_acc> acc(lanes, fast_vector_acc{0, 0});
    std::deque<Expect> pending;
    uint64_t n_y = 0, n_r = 0, n_lat = 0, n_beats = 0, n_red = 0, errors = 0;
    uint64_t per_op[32] = {0};

    auto fail = [&](const char *what, uint64_t cyc, int op, int l, uint32_t got, uint32_t want) {
        if (errors++ < 10)
            std::printf("tb_vector: error[rtl]: cycle %" PRIu64 " %s lane %d op %s: 0x%08x, "
                        "reference 0x%08x\n", cyc, what, l, fast_ref_vector_op_name(op), got,
                        want);
    };

    // Reset for two cycles.
    dut.rst_ni = 0;
    dut.valid_i = 0;
    for (int i = 0; i < 2; i++) {
        dut.clk_i = 0; dut.eval();
        dut.clk_i = 1; dut.eval();
    }
    dut.rst_ni = 1;

    // The current burst: beats that share a reduction mode (first on its first beat, last
    // on its last); its op is fixed or changes every beat.
    int burst_left = 0, burst_red = 0, burst_op = 0, burst_mixed = 0, burst_first = 0;
    for (uint64_t t = 0; t < cycles + 8; t++) {
        dut.clk_i = 0;
        dut.eval();
        // ---- Outputs of cycle t ----
        bool want_v = !pending.empty() && pending.front().cycle == t;
        n_lat++;
        if ((bool)dut.valid_o != want_v) {
            fail("valid_o", t, want_v ? pending.front().op : 0, -1, dut.valid_o, want_v);
        }
        if (want_v) {
            Expect &e = pending.front();
            if ((bool)dut.rvalid_o != (bool)e.rvalid)
                fail("rvalid_o", t, e.op, -1, dut.rvalid_o, e.rvalid);
            for (int l = 0; l < lanes; l++) {
                n_y++;
                if (get(dut.y_o, l) != e.y[l]) fail("y_o", t, e.op, l, get(dut.y_o, l), e.y[l]);
                if (e.rvalid) {
                    n_r += 2;
                    if (get(dut.r_o, l) != e.r[l]) fail("r_o", t, e.op, l, get(dut.r_o, l), e.r[l]);
                    if (get(dut.r2_o, l) != e.r2[l])
                        fail("r2_o", t, e.op, l, get(dut.r2_o, l), e.r2[l]);
                }
            }
            pending.pop_front();
        } else if (dut.rvalid_o) {
            fail("rvalid_o without valid_o", t, 0, -1, 1, 0);
        }
        if (errors >= 10) break;

        // ---- Inputs of cycle t ----
        bool beat = t < cycles && rng.below(8) != 0;
        dut.valid_i = beat;
        if (beat) {
            if (burst_left == 0) {
                burst_left = 1 + (int)rng.below(rng.below(4) == 0 ? 64 : 12);
                burst_red = (int)rng.below(4);
                burst_op = (int)rng.below(rng.below(16) == 0 ? 32 : FAST_VOP_COUNT);
                burst_mixed = rng.below(3) == 0;
                burst_first = 1;
            }
            int op = burst_mixed ? (int)rng.below(FAST_VOP_COUNT) : burst_op;
            int last = burst_left == 1;
            fast_vector_scalars s;
            switch (rng.below(3)) {
            case 0: s.lo = -128; s.hi = 127; break;
            case 1: s.lo = INT32_MIN; s.hi = INT32_MAX; break;
            default: s.lo = (int32_t)rng.next() >> 8; s.hi = (int32_t)rng.next() >> 8; break;
            }
            s.zp = (int32_t)rng.below(256) - 128;
            s.shift = (int)rng.below(64);
            dut.op_i = op;
            dut.red_i = burst_red;
            dut.first_i = burst_first;
            dut.last_i = last;
            dut.zp_i = (uint32_t)s.zp;
            dut.shift_i = s.shift;
            dut.lo_i = (uint32_t)s.lo;
            dut.hi_i = (uint32_t)s.hi;
            Expect e{t + 4, op, last && burst_red != 0, {}, {}, {}};
            for (int l = 0; l < lanes; l++) {
                uint32_t a = fp ? fp_operand(rng) : int_operand(rng);
                uint32_t b = fp ? fp_operand(rng) : int_operand(rng);
                uint32_t c = fp ? fp_operand(rng) : int_operand(rng);
                if (op == FAST_VOP_REQUANT && !fp && rng.below(2))
                    b = 0x40000000u + (rng.next() >> 2);  // a TFLite multiplier
                put(dut.a_i, l, a);
                put(dut.b_i, l, b);
                put(dut.c_i, l, c);
                uint32_t y = fp ? fast_ref_vector_fp(op, a, b, c)
                                : fast_ref_vector_int(op, a, b, c, &s);
                fast_ref_vector_reduce(&acc[l], fp, burst_red, burst_first, y);
                e.y.push_back(y);
                e.r.push_back(acc[l].r);
                e.r2.push_back(acc[l].r2);
            }
            per_op[op]++;
            n_beats++;
            n_red += e.rvalid;
            pending.push_back(e);
            burst_first = 0;
            burst_left--;
        } else {
            // Idle: the operands change but must not matter.
            dut.op_i = rng.below(32);
            dut.first_i = rng.below(2);
            dut.last_i = rng.below(2);
            dut.red_i = rng.below(4);
            for (int l = 0; l < lanes; l++) put(dut.a_i, l, rng.next());
        }
        dut.clk_i = 1;
        dut.eval();
    }
    if (!pending.empty() && errors == 0) {
        std::printf("tb_vector: error[rtl]: %zu results never appeared\n", pending.size());
        errors++;
    }
    std::printf("tb_vector: LANES=%d FP=%d: %" PRIu64 " beats, %" PRIu64 " reductions; %" PRIu64
                " element checks, %" PRIu64 " reduction checks, %" PRIu64
                " latency checks; %" PRIu64 " errors\n",
                lanes, fp, n_beats, n_red, n_y, n_r, n_lat, errors);
    std::printf("tb_vector: beats per op:");
    uint64_t reserved = 0;
    for (int op = 0; op < 32; op++) {
        if (op >= FAST_VOP_COUNT) reserved += per_op[op];
        else std::printf(" %s %" PRIu64, fast_ref_vector_op_name(op), per_op[op]);
    }
    std::printf(" reserved %" PRIu64 "\n", reserved);
    dut.final();
    return errors ? 1 : 0;
}
