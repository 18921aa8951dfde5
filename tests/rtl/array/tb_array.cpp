// Drives array 0 of a generated core with random jobs and checks, against the C reference
// (sim/ref/array.h), every accumulator row bit for bit and the cycle of every result row
// against docs/model.md 1.1 (weight-stationary) or 1.2 (output-stationary).
//   Vdut SEED JOBS [early]
// The parameters header of the generated design is included on the command line
// (-include), so the testbench knows the shape it drives. With "early", tiles start one
// cycle before the specification allows; the results must then be wrong (a check that the
// test can fail and that the bounds of 1.1 and 1.2 are real).
#include <verilated.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <map>
#include <vector>

#include "Vdut.h"

extern "C" {
#include "sim/ref/array.h"
}

static const int R = FAST_ARRAY_ROWS;
static const int C = FAST_ARRAY_COLS;
static const int EB = FAST_ELEM_BITS;
static const int BF16 = FAST_ARRAY_BF16;
static const int DEPTH = FAST_ACC_DEPTH;

// A bit buffer that is copied into or out of a Verilated port of any width.
struct Bits {
    std::vector<uint32_t> w;
    explicit Bits(int bits) : w((bits + 31) / 32 + 1, 0) {}
    void put(int lsb, int width, uint64_t v)
    {
        for (int i = 0; i < width; i++)
            if ((v >> i) & 1)
                w[(lsb + i) / 32] |= 1u << ((lsb + i) % 32);
    }
    uint32_t get32(int lsb) const
    {
        uint32_t v = 0;
        for (int i = 0; i < 32; i++)
            v |= ((w[(lsb + i) / 32] >> ((lsb + i) % 32)) & 1u) << i;
        return v;
    }
};
static void store(CData &p, const Bits &b) { p = (CData)b.w[0]; }
static void store(SData &p, const Bits &b) { p = (SData)b.w[0]; }
static void store(IData &p, const Bits &b) { p = b.w[0]; }
static void store(QData &p, const Bits &b) { p = (QData)b.w[0] | ((QData)b.w[1] << 32); }
template <std::size_t N> static void store(VlWide<N> &p, const Bits &b)
{
    for (std::size_t i = 0; i < N; i++)
        p[i] = b.w[i];
}
static void load(const CData &p, Bits &b) { b.w[0] = p; }
static void load(const SData &p, Bits &b) { b.w[0] = p; }
static void load(const IData &p, Bits &b) { b.w[0] = p; }
static void load(const QData &p, Bits &b)
{
    b.w[0] = (uint32_t)p;
    b.w[1] = (uint32_t)(p >> 32);
}
template <std::size_t N> static void load(const VlWide<N> &p, Bits &b)
{
    for (std::size_t i = 0; i < N; i++)
        b.w[i] = p[i];
}

static uint64_t rng_state;
static uint64_t rnd()
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static int rnd_in(int lo, int hi) { return lo + (int)(rnd() % (uint64_t)(hi - lo + 1)); }

// A random operand: any int8, or a bf16 of moderate magnitude (no overflow), sometimes
// zero, so that sums exercise rounding without turning into infinities.
static uint16_t operand()
{
    if (!BF16)
        return (uint16_t)(rnd() & 0xFF);
    if (rnd() % 16 == 0)
        return 0;
    uint16_t sign = (uint16_t)(rnd() & 1) << 15;
    uint16_t exp = (uint16_t)rnd_in(127 - 20, 127 + 20);
    return (uint16_t)(sign | (exp << 7) | (rnd() & 0x7F));
}

// One tile as the testbench schedules it.
struct Tile {
    int m;                  // WS: activation vectors; OS: reduction steps (K)
    int base;               // accumulator row of the first result row
    int add;                // add to the stored rows instead of replacing them
    std::vector<uint16_t> a; // WS: m x R activations; OS: R x m
    std::vector<uint16_t> w; // R x C weights (WS) or m x C (OS)
    long start;             // s_i
};

static Vdut *dut;
static long cycle;

// One clock cycle: the inputs set for this cycle are sampled at its rising edge.
static void tick()
{
    dut->clk_i = 0;
    dut->eval();
    dut->clk_i = 1;
    dut->eval();
    cycle++;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: Vdut SEED JOBS [early]\n");
        return 2;
    }
    rng_state = strtoull(argv[1], NULL, 10);
    int jobs = atoi(argv[2]);
    int early = argc > 3 && strcmp(argv[3], "early") == 0;
    Verilated::commandArgs(argc, argv);
    dut = new Vdut;

    // Random tiles: WS tiles of 1 .. 2C+3 vectors (both sides of the C+1 bound), OS tiles of
    // 1 .. 3R steps; each goes to a random accumulator range, replacing or adding.
    // A tile adds only onto rows that an earlier tile wrote (memory starts undefined).
    // With "early", WS tiles are short (at most C vectors), so that the C + 1 bound decides.
    std::vector<Tile> tiles;
    std::vector<char> written(DEPTH, 0);
    for (int j = 0; j < jobs; j++) {
        Tile t;
        int rows_out;
        if (!FAST_ARRAY_OS) {
            t.m = rnd_in(1, std::min(early ? C : 2 * C + 3, DEPTH));
            rows_out = t.m;
        } else {
            t.m = rnd_in(1, 3 * R);
            rows_out = R;
        }
        t.base = rnd_in(0, DEPTH - rows_out);
        t.add = rnd() % 2;
        for (int r = 0; r < rows_out; r++)
            t.add = t.add && written[t.base + r];
        for (int r = 0; r < rows_out; r++)
            written[t.base + r] = 1;
        int an = FAST_ARRAY_OS ? R * t.m : t.m * R;
        int wn = FAST_ARRAY_OS ? t.m * C : R * C;
        for (int i = 0; i < an; i++)
            t.a.push_back(operand());
        for (int i = 0; i < wn; i++)
            t.w.push_back(operand());
        tiles.push_back(t);
    }

    // Start cycles from docs/model.md: WS s_0 = R, s_{i+1} = s_i + max(M_i, C + 1, R);
    // OS s_0 = 0, s_{i+1} = s_i + K_i + R + C - 2 + R.
    long s = FAST_ARRAY_OS ? 0 : R;
    for (auto &t : tiles) {
        t.start = s;
        long gap = FAST_ARRAY_OS ? t.m + 2L * R + C - 2 : std::max(std::max(t.m, C + 1), R);
        if (early)
            gap -= 1;
        s += gap;
    }
    const Tile &last = tiles.back();
    long end = FAST_ARRAY_OS ? last.start + last.m + 2L * R + C - 2
                             : last.start + last.m + R + C - 1;

    // Expected result-row cycles, in order.
    std::vector<long> want_we;
    for (auto &t : tiles) {
        if (!FAST_ARRAY_OS)
            for (int m = 0; m < t.m; m++)
                want_we.push_back(t.start + m + R + C - 1);
        else
            for (int d = 0; d < R; d++)
                want_we.push_back(t.start + t.m + R + C - 2 + d);
    }

    // Reset for two cycles, then cycle 0 is the first cycle of the stream.
    dut->rst_ni = 0;
    tick();
    tick();
    dut->rst_ni = 1;
    cycle = 0;

    std::vector<long> got_we;
    for (long t = 0; t < end + 4; t++) {
        Bits act(R * EB), wbus(C * EB);
        int valid = 0, flag = 0, lastf = 0, addr = 0, add = 0;
#if !FAST_ARRAY_OS
        // Weights: tile 0 in cycles 0 .. R-1; tile i+1's row k in cycle s_i + C + k.
        int we = 0, wrow = 0;
        for (size_t i = 0; i < tiles.size(); i++) {
            long first_write = i == 0 ? 0 : tiles[i - 1].start + C;
            if (t >= first_write && t < first_write + R) {
                we = 1;
                wrow = (int)(t - first_write);
                for (int n = 0; n < C; n++)
                    wbus.put(n * EB, EB, tiles[i].w[wrow * C + n]);
            }
        }
        for (auto &tl : tiles)
            if (t >= tl.start && t < tl.start + tl.m) {
                int m = (int)(t - tl.start);
                valid = 1;
                flag = m == 0;
                for (int k = 0; k < R; k++)
                    act.put(k * EB, EB, tl.a[m * R + k]);
                addr = tl.base + m;
                add = tl.add;
            }
        dut->a0_w_we_i = we;
        dut->a0_w_row_i = wrow;
        store(dut->a0_w_data_i, wbus);
        dut->a0_in_swap_i = flag;
        (void)lastf;
#else
        for (auto &tl : tiles)
            if (t >= tl.start && t < tl.start + tl.m) {
                int j = (int)(t - tl.start);
                valid = 1;
                flag = j == 0;
                lastf = j == tl.m - 1;
                for (int k = 0; k < R; k++)
                    act.put(k * EB, EB, tl.a[k * tl.m + j]);
                for (int n = 0; n < C; n++)
                    wbus.put(n * EB, EB, tl.w[j * C + n]);
                addr = tl.base;
                add = tl.add;
            }
        dut->a0_in_first_i = flag;
        dut->a0_in_last_i = lastf;
        store(dut->a0_in_w_i, wbus);
#endif
        dut->a0_in_valid_i = valid;
        store(dut->a0_in_act_i, act);
        dut->a0_in_acc_addr_i = addr;
        dut->a0_in_acc_add_i = add;
        dut->a0_rd_en_i = 0;
        dut->clk_i = 0;
        dut->eval();
        if (dut->a0_acc_we_o)
            got_we.push_back(t);
        tick();
    }

    // The expected accumulator: tiles applied in order, replacing or adding.
    std::map<int, std::vector<uint32_t>> acc;
    for (auto &t : tiles) {
        std::vector<uint32_t> out;
        int rows_out;
        if (!FAST_ARRAY_OS) {
            rows_out = t.m;
            out.resize((size_t)t.m * C);
            fast_ref_matmul(BF16, t.m, R, C, t.a.data(), t.w.data(), out.data());
        } else {
            rows_out = R;
            out.resize((size_t)R * C);
            fast_ref_matmul(BF16, R, t.m, C, t.a.data(), t.w.data(), out.data());
        }
        for (int r = 0; r < rows_out; r++) {
            auto &row = acc[t.base + r];
            row.resize(C);
            for (int n = 0; n < C; n++) {
                uint32_t v = out[(size_t)r * C + n];
                row[n] = t.add ? fast_ref_acc_add(BF16, row[n], v) : v;
            }
        }
    }
    long mismatches = 0, checked = 0;
    for (auto &kv : acc) {
        dut->a0_rd_en_i = 1;
        dut->a0_rd_addr_i = kv.first;
        tick();
        dut->a0_rd_en_i = 0;
        dut->clk_i = 0;
        dut->eval();
        Bits row(C * 32);
        load(dut->a0_rd_data_o, row);
        for (int n = 0; n < C; n++) {
            uint32_t got = row.get32(n * 32);
            checked++;
            if (got != kv.second[n] && mismatches++ < 5)
                fprintf(stderr, "row %d col %d: got %08x, want %08x\n", kv.first, n, got,
                        kv.second[n]);
        }
    }
    int timing_ok = got_we == want_we;
    if (!timing_ok) {
        fprintf(stderr, "result rows written in %zu cycles, expected %zu", got_we.size(),
                want_we.size());
        for (size_t i = 0; i < got_we.size() && i < want_we.size(); i++)
            if (got_we[i] != want_we[i]) {
                fprintf(stderr, "; row %zu in cycle %ld, expected %ld", i, got_we[i],
                        want_we[i]);
                break;
            }
        fprintf(stderr, "\n");
    }
    long last_we = got_we.empty() ? -1 : got_we.back();
    printf("%dx%d %s %s: %zu tiles, %ld values checked, %ld mismatches; last row in cycle "
           "%ld, end %ld (docs/model.md: %ld)\n",
           R, C, FAST_ARRAY_OS ? "os" : "ws", BF16 ? "bf16" : "int8", tiles.size(), checked,
           mismatches, last_we, last_we + 1, end);
    delete dut;
    int ok = mismatches == 0 && timing_ok && last_we + 1 == end;
    if (early)
        return ok ? 1 : 0; // starting early must break the results
    return ok ? 0 : 1;
}
