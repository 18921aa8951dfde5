// Verilator testbench of fast_dma with its scratchpads (dma_top.v) against the reference
// machine (sim/ref/machine.c, fast_machine_transfer). A C++ model of external memory serves
// the DMA's port with a latency and a bandwidth; random LOAD and STORE commands (shapes,
// strides, padding, formats, cont) run back to back in batches. After each batch the
// external-memory image and every scratchpad (read through the array-side port) must equal
// the reference bit for bit, and every command must end (done_o) in the cycle that
// docs/rtl.md 9.4 gives. Stops at the first mismatch, printing it, and exits 1.
//   Vdma_top --e E --w W --rowq Q --seed S --batches N [--jitter]
//            --cfg L:BW256[:j|:f] [--cfg ...]
// Each --cfg resets the DMA and runs N batches of 1 to 14 commands with latency L and the
// bandwidth BW256 / 256 bytes per cycle (the DMA's lat_i and bw_i and the memory model's).
// ":j" (or --jitter for all) adds random gaps to every handshake of the memory model and
// the command port; the data are checked, the timing is not. ":f" gives the memory model
// a latency of 1 and four times the bandwidth; the DMA must keep the timing of L and BW.
// Exit 0 all good, 1 a mismatch, 2 bad usage.
#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "Vdma_top.h"
#include "sim/rtl/extmem.h"
#include "verilated.h"

extern "C" {
#include "core/diag.h"
#include "core/isa.h"
#include "sim/ref/machine.h"
}

namespace {

const int SPD = 2048;          // inp and wgt elements (dma_top SPD)
const int ACCD = 512;          // acc words (dma_top ACCD)
const size_t DRAM = 1 << 16;   // external memory bytes

using fast_extmem::rng_next;

int64_t rnd(uint64_t &s, int64_t lo, int64_t hi) // uniform in [lo, hi]
{
    return lo + int64_t(rng_next(s) % uint64_t(hi - lo + 1));
}

// One command as the testbench tracks it.
struct Cmd {
    fast_insn insn;
    int64_t accept = -1, done = -1, expect = -1;
    int64_t t = 0;        // paced data cycles (docs/rtl.md 9.4)
    bool eff_cont = false, hidden = false;
    int64_t read_bytes = 0;
};

// The memory model (sim/rtl/extmem.h), on the DMA's port: every request accepted at once,
// addresses wrapping at the 64 KiB image.
using Mem = fast_extmem::Mem;

uint32_t dbg_word(Vdma_top *top, int W, int byte_off, int nbytes)
{
    uint32_t v = 0;
    if (W <= 8) {
        uint64_t d = 0;
        std::memcpy(&d, &top->dbg_data_o, W);
        for (int b = 0; b < nbytes; b++)
            v |= uint32_t(uint8_t(d >> (8 * (byte_off + b)))) << (8 * b);
    } else {
        const uint32_t *w = reinterpret_cast<const uint32_t *>(&top->dbg_data_o);
        for (int b = 0; b < nbytes; b++) {
            int k = byte_off + b;
            v |= uint32_t(uint8_t(w[k / 4] >> (8 * (k % 4)))) << (8 * b);
        }
    }
    return v;
}

// The paced data cycles of a command (docs/rtl.md 9.4): beats of at most W bytes and
// W / max(element bytes, external bytes per element) elements, row by row; beat k goes in
// cycle t_k = max(t_{k-1} + 1, ceil(256 C_k / bw) - 1), C_k the bytes through beat k.
// *plain gets ceil(256 b / bw) for the b bytes of the whole transfer.
int64_t paced_cycles(const fast_insn &i, int E, int W, int64_t bw, int64_t *read_bytes,
                     int64_t *plain)
{
    const int64_t *f = i.f;
    bool store = i.op == FAST_ISA_STORE;
    int es = f[FAST_F_MEM] == FAST_MEM_ACC ? 4 : E;
    int ds = store ? (f[FAST_F_FMT] == FAST_FMT_WORD ? 4 : f[FAST_F_FMT] == FAST_FMT_BYTE ? 1 : 2)
                   : es;
    int64_t epb = W / std::max(es, ds);
    int64_t X = f[FAST_F_X], Y = f[FAST_F_Y], Z = store ? 1 : f[FAST_F_Z];
    int64_t c = 0, t = -1;
    *read_bytes = 0;
    *plain = 0;
    for (int64_t z = 0; z < Z; z++)
        for (int64_t y = 0; y < Y; y++) {
            bool pad = !store && (z < f[FAST_F_PAD_Z0] || z >= Z - f[FAST_F_PAD_Z1] ||
                                  y < f[FAST_F_PAD_Y0] || y >= Y - f[FAST_F_PAD_Y1]);
            if (!store && !pad)
                *read_bytes += X * es;
            for (int64_t e = 0; e < X; e += epb) {
                c += std::min(epb, X - e) * ds;
                int64_t need = (c * 256 + bw - 1) / bw - 1;
                t = std::max(t + 1, need);
            }
        }
    *plain = (c * 256 + bw - 1) / bw;  // ceil(b / (B/U)), the formula before docs/rtl.md 9.4
    return t + 1;
}

struct Bench {
    int E, W, rowq;
    bool jitter;
    uint64_t rng;
    std::unique_ptr<Vdma_top> top;
    int64_t now = 0;
    Mem mem;
    std::vector<uint8_t> ref_dram;
    std::vector<uint16_t> ref_inp, ref_wgt;
    std::vector<uint32_t> ref_acc;
    fast_machine_mems mm{};
    fast_diag *diag;
    int64_t n_cmds = 0, n_loads = 0, n_stores = 0, n_pad = 0, n_hidden = 0, n_cont = 0;
    int64_t n_checked_timing = 0, n_bytes_checked = 0;
    int64_t n_beat_bound = 0, sum_t = 0, sum_plain = 0;  // T above ceil(b / (B/U))
    int L = 2;            // the DMA's lat_i
    int64_t bw = 256;     // the DMA's bw_i

    Bench(int e, int w, int q, bool j, uint64_t seed)
        : E(e), W(w), rowq(q), jitter(j), rng(seed), top(new Vdma_top)
    {
        mem.W = W;
        mem.rng = &rng;
        mem.jitter = jitter;
        mem.img.resize(DRAM);
        for (auto &b : mem.img)
            b = uint8_t(rng_next(rng));
        ref_dram = mem.img;
        ref_inp.assign(SPD, 0);
        ref_wgt.assign(SPD, 0);
        ref_acc.assign(ACCD, 0);
        mm.dram = ref_dram.data();
        mm.dram_bytes = DRAM;
        mm.inp = ref_inp.data();
        mm.wgt = ref_wgt.data();
        mm.acc = ref_acc.data();
        mm.n_inp = mm.n_wgt = SPD;
        mm.n_acc = ACCD;
        mm.elem_bytes = E;
        diag = fast_diag_create();
    }
    ~Bench() { fast_diag_destroy(diag); }

    [[noreturn]] void die(const char *what)
    {
        std::fprintf(stderr, "tb_dma: error[rtl]: E=%d W=%d L=%d bw=%" PRId64 "/256: %s\n", E,
                     W, L, bw, what);
        std::exit(1);
    }

    void drive_cmd(const Cmd *c)
    {
        top->cmd_valid_i = c != nullptr;
        if (!c)
            return;
        const int64_t *f = c->insn.f;
        top->cmd_store_i = c->insn.op == FAST_ISA_STORE;
        top->cmd_mem_i = uint8_t(f[FAST_F_MEM]);
        top->cmd_cont_i = uint8_t(f[FAST_F_CONT]);
        top->cmd_fmt_i = uint8_t(f[FAST_F_FMT]);
        top->cmd_dram_i = uint32_t(f[FAST_F_DRAM]);
        top->cmd_spad_i = uint32_t(f[FAST_F_SPAD]);
        top->cmd_x_i = uint16_t(f[FAST_F_X]);
        top->cmd_y_i = uint16_t(f[FAST_F_Y]);
        // Fields a STORE does not have get garbage: the DMA must ignore them.
        bool st = c->insn.op == FAST_ISA_STORE;
        top->cmd_z_i = st ? uint16_t(rng_next(rng)) : uint16_t(f[FAST_F_Z]);
        top->cmd_y_dstride_i = uint32_t(f[FAST_F_Y_DSTRIDE]);
        top->cmd_y_sstride_i = uint32_t(f[FAST_F_Y_SSTRIDE]);
        top->cmd_z_dstride_i = st ? uint32_t(rng_next(rng)) : uint32_t(f[FAST_F_Z_DSTRIDE]);
        top->cmd_pad_y0_i = st ? uint8_t(rng_next(rng)) : uint8_t(f[FAST_F_PAD_Y0]);
        top->cmd_pad_y1_i = st ? uint8_t(rng_next(rng)) : uint8_t(f[FAST_F_PAD_Y1]);
        top->cmd_pad_z0_i = st ? uint8_t(rng_next(rng)) : uint8_t(f[FAST_F_PAD_Z0]);
        top->cmd_pad_z1_i = st ? uint8_t(rng_next(rng)) : uint8_t(f[FAST_F_PAD_Z1]);
    }

    // One clock cycle: inputs, handshakes sampled before the edge, the edge.
    void cycle(Cmd *offer, bool *accepted, std::deque<Cmd *> &running)
    {
        top->clk_i = 0;
        drive_cmd(offer);
        mem.offer(now, top.get());
        top->dbg_re_i = 0;
        top->eval();
        if (offer && top->cmd_ready_o) {
            offer->accept = now;
            *accepted = true;
        }
        if (const char *e = mem.sample(now, top.get()))
            die(e);
        if (top->done_o) {
            if (running.empty())
                die("done_o with no command running");
            Cmd *c = running.front();
            running.pop_front();
            c->done = now;
            if (bool(top->done_store_o) != (c->insn.op == FAST_ISA_STORE))
                die("done_store_o does not match the command");
        }
        top->clk_i = 1;
        top->eval();
        now++;
    }

    // The DMA gets latency l and bandwidth b; the memory model the same, or, when fast,
    // a latency of 1 and four times the bandwidth (the DMA must keep its own timing).
    void reset(int l, int64_t b, bool fast)
    {
        L = l;
        bw = b;
        mem.L = fast ? 1 : l;
        mem.bw = fast ? 4 * b : b;
        mem.credit = 0;
        top->lat_i = uint16_t(l);
        top->bw_i = uint32_t(b);
        top->rst_ni = 0;
        std::deque<Cmd *> none;
        bool acc = false;
        for (int k = 0; k < 3; k++)
            cycle(nullptr, &acc, none);
        top->rst_ni = 1;
    }

    // Runs cmds back to back, then waits for the DMA and the memory to go quiet.
    void run(std::vector<Cmd> &cmds)
    {
        std::deque<Cmd *> running;
        size_t next = 0;
        int64_t start = now;
        while (next < cmds.size() || !running.empty() || !top->idle_o || !mem.reads.empty() ||
               !mem.writes.empty() || !mem.resp.empty()) {
            Cmd *offer = nullptr;
            if (next < cmds.size() && (!jitter || rng_next(rng) % 4 != 0))
                offer = &cmds[next];
            bool accepted = false;
            cycle(offer, &accepted, running);
            if (accepted) {
                running.push_back(offer);
                next++;
            }
            if (now - start > 20000000) {
                std::fprintf(stderr, "tb_dma: commands of the batch (idle_o %d, %zu reads, "
                             "%zu writes, %zu responses open):\n", int(top->idle_o),
                             mem.reads.size(), mem.writes.size(), mem.resp.size());
                for (auto &c : cmds)
                    print_cmd(c);
                die("the batch did not finish in 2e7 cycles");
            }
        }
        top->cmd_valid_i = 0;
    }

    Cmd random_cmd()
    {
        Cmd c;
        bool store = rnd(rng, 0, 2) == 0;
        fast_insn &i = c.insn;
        i = fast_isa_make(store ? FAST_ISA_STORE : FAST_ISA_LOAD);
        int64_t *f = i.f;
        int mem = int(rnd(rng, 0, 5));
        mem = mem < 2 ? 0 : mem < 4 ? 1 : 2;
        f[FAST_F_MEM] = mem;
        int es = mem == FAST_MEM_ACC ? 4 : E;
        int64_t size = mem == FAST_MEM_ACC ? ACCD : SPD;
        f[FAST_F_CONT] = rnd(rng, 0, 1);
        int shape = int(rnd(rng, 0, 9));
        int64_t X, Y, Z = 1;
        if (shape < 4) {          // im2col-like: short rows
            X = rnd(rng, 1, 8);
            Y = rnd(rng, 1, 12);
            Z = store ? 1 : rnd(rng, 1, 4);
        } else if (shape < 8) {   // tiles
            X = rnd(rng, 1, 40);
            Y = rnd(rng, 1, 8);
            Z = store ? 1 : rnd(rng, 1, 3);
        } else {                  // long rows
            X = rnd(rng, 40, 160);
            Y = rnd(rng, 1, 3);
        }
        if (mem == FAST_MEM_ACC)
            X = std::min<int64_t>(X, 64);
        f[FAST_F_X] = X;
        f[FAST_F_Y] = Y;
        int64_t ys = rnd(rng, 0, 5) == 0 ? rnd(rng, 0, X) : X + rnd(rng, 0, 9);
        while ((Y * Z - 1) * ys + X > size)
            ys = ys / 2;
        f[FAST_F_Y_SSTRIDE] = ys;
        f[FAST_F_SPAD] = rnd(rng, 0, size - ((Y * Z - 1) * ys + X));
        int64_t yd = rnd(rng, 0, 6) == 0 ? rnd(rng, 0, X) : X + rnd(rng, 0, 40);
        f[FAST_F_Y_DSTRIDE] = yd;
        if (store) {
            int fmt;
            if (mem == FAST_MEM_ACC)
                fmt = int(rnd(rng, 0, 2));
            else
                fmt = int(rnd(rng, 1, 2));
            f[FAST_F_FMT] = fmt;
            int ds = fmt == FAST_FMT_WORD ? 4 : fmt == FAST_FMT_BYTE ? 1 : 2;
            int64_t reach = ((Y - 1) * yd + X) * ds;
            f[FAST_F_DRAM] = rnd(rng, 0, int64_t(DRAM) - reach);
        } else {
            f[FAST_F_Z] = Z;
            int64_t py0 = rnd(rng, 0, 3) == 0 ? rnd(rng, 0, std::min<int64_t>(Y, 3)) : 0;
            int64_t py1 = rnd(rng, 0, 3) == 0 ? rnd(rng, 0, std::min<int64_t>(Y - py0, 3)) : 0;
            int64_t pz0 = rnd(rng, 0, 3) == 0 ? rnd(rng, 0, std::min<int64_t>(Z, 2)) : 0;
            int64_t pz1 = rnd(rng, 0, 3) == 0 ? rnd(rng, 0, std::min<int64_t>(Z - pz0, 2)) : 0;
            f[FAST_F_PAD_Y0] = py0;
            f[FAST_F_PAD_Y1] = py1;
            f[FAST_F_PAD_Z0] = pz0;
            f[FAST_F_PAD_Z1] = pz1;
            int64_t zd = rnd(rng, 0, 4) == 0 ? rnd(rng, 0, 64) : Y * yd + rnd(rng, 0, 64);
            f[FAST_F_Z_DSTRIDE] = zd;
            int64_t ry = Y - py0 - py1, rz = Z - pz0 - pz1;
            int64_t reach = ry > 0 && rz > 0 ? ((rz - 1) * zd + (ry - 1) * yd + X) * es : 0;
            f[FAST_F_DRAM] = rnd(rng, 0, int64_t(DRAM) - reach);
        }
        if (fast_isa_check(&i, "random", diag) != FAST_OK)
            die("the testbench made an instruction that fast_isa_check rejects");
        return c;
    }

    void reference(const Cmd &c)
    {
        if (fast_machine_transfer(&mm, &c.insn, diag) != FAST_OK) {
            for (size_t k = 0; k < diag->n; k++)
                std::fprintf(stderr, "%s: %s\n", diag->v[k].where, diag->v[k].reason);
            die("the reference rejected a command");
        }
    }

    // Reads every scratchpad through the array-side port and compares it and the image.
    void compare(const char *when)
    {
        // The DMA is idle; nothing on its ports may move while the clock runs here.
        top->cmd_valid_i = 0;
        top->rdata_valid_i = 0;
        top->wresp_valid_i = 0;
        const int mems[3] = {FAST_MEM_INP, FAST_MEM_WGT, FAST_MEM_ACC};
        for (int m : mems) {
            int es = m == FAST_MEM_ACC ? 4 : E;
            int per = W / es;
            int size = m == FAST_MEM_ACC ? ACCD : SPD;
            for (int a = 0; a < size; a += per) {
                top->clk_i = 0;
                top->dbg_re_i = 1;
                top->dbg_mem_i = uint8_t(m);
                top->dbg_addr_i = uint16_t(a + (a / per) % per); // unaligned reads too
                int base = a + (a / per) % per;
                top->eval();
                top->clk_i = 1;
                top->eval();
                top->clk_i = 0;
                top->dbg_re_i = 0;
                top->eval();
                for (int j = 0; j < per && base + j < size; j++) {
                    uint32_t got = dbg_word(top.get(), W, j * es, es);
                    uint32_t want = m == FAST_MEM_ACC ? ref_acc[base + j]
                                    : m == FAST_MEM_INP ? ref_inp[base + j]
                                                        : ref_wgt[base + j];
                    n_bytes_checked += es;
                    if (got != want) {
                        char msg[200];
                        std::snprintf(msg, sizeof msg,
                                      "%s: %s[%d] = 0x%x, the reference has 0x%x", when,
                                      fast_isa_mem_name(m), base + j, got, want);
                        die(msg);
                    }
                }
            }
        }
        for (size_t b = 0; b < DRAM; b++)
            if (mem.img[b] != ref_dram[b]) {
                char msg[200];
                std::snprintf(msg, sizeof msg,
                              "%s: dram[0x%zx] = 0x%02x, the reference has 0x%02x", when, b,
                              mem.img[b], ref_dram[b]);
                die(msg);
            }
        n_bytes_checked += DRAM;
    }

    void print_cmd(const Cmd &c)
    {
        const int64_t *f = c.insn.f;
        std::fprintf(stderr,
                     "  %s mem=%s cont=%d fmt=%d dram=%" PRId64 " spad=%" PRId64 " x=%" PRId64
                     " y=%" PRId64 " z=%" PRId64 " yd=%" PRId64 " ys=%" PRId64 " zd=%" PRId64
                     " pad=%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 "  accept=%" PRId64
                     " done=%" PRId64 " expect=%" PRId64 " T=%" PRId64 "\n",
                     fast_isa_op_name(c.insn.op), fast_isa_mem_name(int(f[FAST_F_MEM])),
                     int(f[FAST_F_CONT]), int(f[FAST_F_FMT]), f[FAST_F_DRAM], f[FAST_F_SPAD],
                     f[FAST_F_X], f[FAST_F_Y], f[FAST_F_Z], f[FAST_F_Y_DSTRIDE],
                     f[FAST_F_Y_SSTRIDE], f[FAST_F_Z_DSTRIDE], f[FAST_F_PAD_Y0],
                     f[FAST_F_PAD_Y1], f[FAST_F_PAD_Z0], f[FAST_F_PAD_Z1], c.accept, c.done,
                     c.expect, c.t);
    }

    // The end cycle of every command against docs/rtl.md 9.4.
    void check_timing(std::vector<Cmd> &cmds, const Cmd *before)
    {
        const Cmd *prev = before;
        for (size_t k = 0; k < cmds.size(); k++) {
            Cmd &c = cmds[k];
            int64_t rb, plain;
            c.t = paced_cycles(c.insn, E, W, bw, &rb, &plain);
            n_beat_bound += c.t != plain;
            sum_t += c.t;
            sum_plain += plain;
            c.read_bytes = rb;
            bool store = c.insn.op == FAST_ISA_STORE;
            c.eff_cont = c.insn.f[FAST_F_CONT] && prev &&
                         (prev->insn.op == FAST_ISA_STORE) == store;
            int64_t dprev = prev ? prev->done : INT64_MIN / 4;
            if (!c.eff_cont)
                c.expect = std::max(c.accept + 1, dprev) + L + c.t;
            else
                c.expect = std::max(dprev, c.accept + 1 + L) + c.t;
            c.hidden = c.eff_cont && dprev >= c.accept + 1 + L;
            if (!jitter) {
                n_checked_timing++;
                if (c.done != c.expect) {
                    std::fprintf(stderr, "tb_dma: commands of the batch:\n");
                    for (size_t q = 0; q < cmds.size(); q++)
                        print_cmd(cmds[q]);
                    char msg[200];
                    std::snprintf(msg, sizeof msg,
                                  "command %zu of the batch ended in cycle %" PRId64
                                  ", the formula gives %" PRId64,
                                  k, c.done, c.expect);
                    die(msg);
                }
            }
            n_hidden += c.hidden;
            n_cont += c.eff_cont;
            prev = &c;
        }
    }
};

} // namespace

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    int E = 1, W = 8, rowq = 32, batches = 40;
    uint64_t seed = 1;
    bool jitter = false;
    struct Cfg { int L; int64_t bw; bool jitter, fast; };
    std::vector<Cfg> cfgs;
    for (int a = 1; a < argc; a++) {
        std::string s = argv[a];
        auto val = [&](void) -> const char * {
            if (a + 1 >= argc) {
                std::fprintf(stderr, "tb_dma: error[usage]: %s needs a value\n", s.c_str());
                std::exit(2);
            }
            return argv[++a];
        };
        if (s == "--e") E = std::atoi(val());
        else if (s == "--w") W = std::atoi(val());
        else if (s == "--rowq") rowq = std::atoi(val());
        else if (s == "--seed") seed = std::strtoull(val(), nullptr, 0);
        else if (s == "--batches") batches = std::atoi(val());
        else if (s == "--jitter") jitter = true;
        else if (s == "--cfg") {
            int L = 0;
            long long bw = 0;
            char j = 0;
            int got = std::sscanf(val(), "%d:%lld:%c", &L, &bw, &j);
            if (got < 2 || L < 2 || bw < 1 || bw > 16777215 || (got == 3 && j != 'j' && j != 'f')) {
                std::fprintf(stderr, "tb_dma: error[usage]: --cfg L:BW256[:j|:f] with L >= 2\n");
                return 2;
            }
            cfgs.push_back({L, int64_t(bw), (got == 3 && j == 'j') || jitter,
                            got == 3 && j == 'f'});
        } else if (s.rfind("+verilator", 0) == 0) {
        } else {
            std::fprintf(stderr, "tb_dma: error[usage]: unknown argument %s\n", s.c_str());
            return 2;
        }
    }
    if (cfgs.empty())
        cfgs.push_back({4, 256L * W, jitter, false});
    Bench b(E, W, rowq, jitter, seed);
    int64_t total_cycles = 0;
    const Cmd *last = nullptr;
    std::deque<std::vector<Cmd>> keep;  // commands stay alive (and in place) for `last`
    for (auto &cfg : cfgs) {
        b.jitter = b.mem.jitter = cfg.jitter;
        b.reset(cfg.L, cfg.bw, cfg.fast);
        last = nullptr;
        keep.clear();
        int64_t c0 = b.now;
        // Fill every scratchpad once so that the reference and the RTL agree everywhere.
        std::vector<Cmd> fill;
        const int mems[3] = {FAST_MEM_INP, FAST_MEM_WGT, FAST_MEM_ACC};
        for (int m : mems) {
            Cmd c;
            c.insn = fast_isa_make(FAST_ISA_LOAD);
            int64_t size = m == FAST_MEM_ACC ? ACCD : SPD;
            int64_t *f = c.insn.f;
            f[FAST_F_MEM] = m;
            f[FAST_F_X] = 128;
            f[FAST_F_Y] = size / 128;
            f[FAST_F_Z] = 1;
            f[FAST_F_Y_SSTRIDE] = 128;
            f[FAST_F_Y_DSTRIDE] = 128;
            f[FAST_F_DRAM] = int64_t(rng_next(b.rng) % 4096);
            f[FAST_F_CONT] = 1;
            fill.push_back(c);
        }
        b.run(fill);
        for (auto &c : fill)
            b.reference(c);
        b.check_timing(fill, nullptr);
        b.compare("after the fill");
        keep.push_back(fill);
        last = &keep.back().back();
        for (int k = 0; k < batches; k++) {
            std::vector<Cmd> cmds;
            int n = int(rnd(b.rng, 1, 14));
            for (int q = 0; q < n; q++)
                cmds.push_back(b.random_cmd());
            int64_t r0 = b.mem.read_bytes;
            b.run(cmds);
            int64_t want_read = 0;
            for (auto &c : cmds) {
                b.reference(c);
                b.n_cmds++;
                b.n_loads += c.insn.op == FAST_ISA_LOAD;
                b.n_stores += c.insn.op == FAST_ISA_STORE;
                b.n_pad += c.insn.op == FAST_ISA_LOAD &&
                           (c.insn.f[FAST_F_PAD_Y0] || c.insn.f[FAST_F_PAD_Y1] ||
                            c.insn.f[FAST_F_PAD_Z0] || c.insn.f[FAST_F_PAD_Z1]);
            }
            // A batch starts after the previous one is done, so its first command's
            // predecessor ended long before: max() in the formula takes care of it.
            b.check_timing(cmds, last);
            for (auto &c : cmds)
                want_read += c.read_bytes;
            if (b.mem.read_bytes - r0 != want_read) {
                char msg[160];
                std::snprintf(msg, sizeof msg,
                              "batch %d read %" PRId64 " external bytes, not the %" PRId64
                              " of its unpadded rows",
                              k, b.mem.read_bytes - r0, want_read);
                b.die(msg);
            }
            char when[64];
            std::snprintf(when, sizeof when, "after batch %d", k);
            b.compare(when);
            keep.push_back(cmds);
            last = &keep.back().back();
        }
        total_cycles += b.now - c0;
        std::printf("tb_dma: E=%d W=%d L=%d bw=%" PRId64 "/256%s: %" PRId64 " cycles\n", E, W,
                    cfg.L, cfg.bw, cfg.jitter ? " jitter" : cfg.fast ? " fast memory" : "",
                    b.now - c0);
    }
    std::printf("tb_dma: E=%d W=%d ROWQ=%d: %" PRId64 " commands (%" PRId64 " loads, %" PRId64
                " with padding, %" PRId64 " stores), %" PRId64 " end cycles checked, %" PRId64
                " cont commands (%" PRId64 " with the latency hidden), %" PRId64
                " bytes compared, %zu configurations, %" PRId64 " cycles\n",
                E, W, rowq, b.n_cmds, b.n_loads, b.n_pad, b.n_stores,
                b.n_checked_timing, b.n_cont, b.n_hidden, b.n_bytes_checked, cfgs.size(),
                total_cycles);
    std::printf("tb_dma: %" PRId64 " commands with T above ceil(b / (B/U)) (short rows or "
                "beats); sum of T %" PRId64 ", of ceil(b / (B/U)) %" PRId64 "\n",
                b.n_beat_bound, b.sum_t, b.sum_plain);
    return 0;
}
