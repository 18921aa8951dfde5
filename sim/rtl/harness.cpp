// The Verilator harness of the whole accelerator (docs/sim.md): runs one program on the
// generated top module `fast_<name>_accel`, Verilated with --prefix Vaccel, and serves its
// instruction memory (synchronous read, 32-byte instructions) and its external-memory port
// (sim/rtl/extmem.h: latency L, whole-chip bandwidth B, W bytes per beat).
//
//   Vaccel --program P.bin --image I.bin --out O.bin --lat L --bw BW256 --mem-bw BW256
//          --max-cycles N [--gbw BW256] [--global-image G.bin --global-out GO.bin]
//          [--mem-lat L] [--burst BYTES] [--jitter SEED] [--trace F.fst]
//
// --lat and --bw go to the accelerator's lat_i and bw_i (one array's DMA bandwidth x 256),
// --gbw to gbw_i (its pace on the global memory; default one beat per cycle);
// --mem-bw is the memory's (whole chip, x 256) and --mem-lat its latency (default --lat).
// The image is loaded at byte 0 of external memory; O.bin receives the final image. With a
// global memory (FAST_GLOBAL_BYTES > 0), G.bin is written into it from byte 0 through the
// host port before start_i, and GO.bin receives that many bytes of it after done_o. Prints
// one line of JSON on stdout: {"cycles": N, ...}, N counted from the cycle start_i is high
// (cycle 0) to the first cycle done_o is high; "last_write_cycle" is the cycle of the last
// write data beat. Exit 0 done; 1 the run failed: no done_o within N cycles (naming the
// last instruction fetched), a protocol error of the port, or done_o while a read or write
// request is still open (write responses may still be due); 2 bad usage or unreadable
// files. The parameters header (FAST_EXT_BYTES) comes in with
// -include on the C++ command line; FAST_SIM_TRACE=1 builds the FST tracing variant.
#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cinttypes>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "Vaccel.h"
#include "extmem.h"
#include "verilated.h"
#if FAST_SIM_TRACE
#include "verilated_fst_c.h"
#endif

#ifndef FAST_EXT_BYTES
#error "the parameters header (FAST_EXT_BYTES) must be included with -include"
#endif
#ifndef FAST_GLOBAL_BYTES
#define FAST_GLOBAL_BYTES 0
#endif

namespace {

const int W = FAST_EXT_BYTES;
const int INSN_BYTES = 32;

const char *const op_names[16] = {"load", "store", "matmul", "vector", "sync", "end",
                                  "reserved 6", "reserved 7", "reserved 8", "reserved 9",
                                  "reserved 10", "reserved 11", "reserved 12", "reserved 13",
                                  "reserved 14", "reserved 15"};

[[noreturn]] __attribute__((format(printf, 2, 3))) void die(int code, const char *fmt, ...)
{
    std::va_list ap;
    va_start(ap, fmt);
    std::fprintf(stderr, "harness: error[sim]: ");
    std::vfprintf(stderr, fmt, ap);
    std::fprintf(stderr, "\n");
    va_end(ap);
    std::exit(code);
}

std::vector<uint8_t> read_file(const char *path)
{
    FILE *f = std::fopen(path, "rb");
    if (!f)
        die(2, "%s: cannot open: %s", path, std::strerror(errno));
    std::vector<uint8_t> v;
    uint8_t buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        v.insert(v.end(), buf, buf + n);
    bool bad = std::ferror(f);
    std::fclose(f);
    if (bad)
        die(2, "%s: read error", path);
    return v;
}

void write_file(const char *path, const std::vector<uint8_t> &v)
{
    FILE *f = std::fopen(path, "wb");
    if (!f)
        die(2, "%s: cannot create: %s", path, std::strerror(errno));
    bool ok = v.empty() || std::fwrite(v.data(), 1, v.size(), f) == v.size();
    ok = std::fclose(f) == 0 && ok;
    if (!ok)
        die(2, "%s: write error", path);
}

int64_t parse_int(const char *opt, const char *s, int64_t lo, int64_t hi)
{
    char *end = nullptr;
    errno = 0;
    long long v = std::strtoll(s, &end, 0);
    if (errno || !*s || *end || v < lo || v > hi) {
        char range[64];
        std::snprintf(range, sizeof range, "%" PRId64 "..%" PRId64, lo, hi);
        std::fprintf(stderr, "harness: error[usage]: %s = %s: must be an integer in %s\n", opt,
                     s, range);
        std::exit(2);
    }
    return v;
}

} // namespace

int main(int argc, char **argv)
{
    const char *prog_path = nullptr, *img_path = nullptr, *out_path = nullptr;
    const char *trace_path = nullptr, *gimg_path = nullptr, *gout_path = nullptr;
    int64_t lat = -1, bw = -1, mem_bw = -1, mem_lat = -1, max_cycles = -1, burst = 0;
    int64_t gbw = 256 * int64_t(W);
    uint64_t jitter_seed = 0;
    bool jitter = false;
    for (int a = 1; a < argc; a++) {
        std::string s = argv[a];
        if (s.rfind("+verilator", 0) == 0)
            continue;
        if (a + 1 >= argc) {
            std::fprintf(stderr, "harness: error[usage]: %s: needs a value (or is unknown)\n",
                         s.c_str());
            return 2;
        }
        const char *v = argv[++a];
        if (s == "--program") prog_path = v;
        else if (s == "--image") img_path = v;
        else if (s == "--out") out_path = v;
        else if (s == "--trace") trace_path = v;
        else if (s == "--lat") lat = parse_int("--lat", v, 2, 65535);
        else if (s == "--bw") bw = parse_int("--bw", v, 1, 16777215);
        else if (s == "--gbw") gbw = parse_int("--gbw", v, 1, 16777215);
        else if (s == "--global-image") gimg_path = v;
        else if (s == "--global-out") gout_path = v;
        else if (s == "--mem-bw") mem_bw = parse_int("--mem-bw", v, 1, INT64_C(1) << 40);
        else if (s == "--mem-lat") mem_lat = parse_int("--mem-lat", v, 1, 1 << 20);
        else if (s == "--max-cycles") max_cycles = parse_int("--max-cycles", v, 1, INT64_MAX);
        else if (s == "--burst") burst = parse_int("--burst", v, 0, INT64_C(1) << 40);
        else if (s == "--jitter") {
            jitter = true;
            jitter_seed = uint64_t(parse_int("--jitter", v, 0, INT64_MAX));
        } else {
            std::fprintf(stderr, "harness: error[usage]: unknown argument %s\n", s.c_str());
            return 2;
        }
    }
    if (!prog_path || !img_path || !out_path || lat < 0 || bw < 0 || mem_bw < 0 ||
        max_cycles < 0) {
        std::fprintf(stderr, "harness: error[usage]: --program, --image, --out, --lat, --bw, "
                             "--mem-bw and --max-cycles are required\n");
        return 2;
    }
#if !FAST_SIM_TRACE
    if (trace_path)
        die(2, "--trace %s: this harness was built without tracing", trace_path);
#endif

    std::vector<uint8_t> prog = read_file(prog_path);
    if (prog.empty() || prog.size() % INSN_BYTES != 0)
        die(2, "%s: not a program: its size is not a positive multiple of 32 bytes", prog_path);
    size_t n_insns = prog.size() / INSN_BYTES;

    uint64_t rng = jitter_seed;
    fast_extmem::Mem mem;
    mem.W = W;
    mem.L = int(mem_lat > 0 ? mem_lat : lat);
    mem.bw = mem_bw;
    mem.burst_bytes = burst;
    mem.jitter = jitter;
    mem.rng = &rng;
    mem.wrap = false;
    mem.img = read_file(img_path);
    if (mem.img.empty())
        die(2, "%s: the image is empty", img_path);

    if (bool(gimg_path) != bool(gout_path))
        die(2, "--global-image and --global-out go together");
    std::vector<uint8_t> gimg;
    if (gimg_path) {
#if FAST_GLOBAL_BYTES
        gimg = read_file(gimg_path);
        if (gimg.empty() || gimg.size() > size_t(FAST_GLOBAL_BYTES))
            die(2, "%s: %zu bytes: the global memory holds 1 to %lld", gimg_path, gimg.size(),
                (long long)FAST_GLOBAL_BYTES);
#else
        die(2, "--global-image %s: this accelerator has no global memory", gimg_path);
#endif
    }

    auto ctx = std::make_unique<VerilatedContext>();
    ctx->commandArgs(argc, argv);
    auto top = std::make_unique<Vaccel>(ctx.get());
    static_assert(sizeof(top->rdata_i) >= size_t(W), "FAST_EXT_BYTES does not match rdata_i");
    static_assert(sizeof(top->imem_data_i) == INSN_BYTES, "imem_data_i is not 256 bits");
#if FAST_SIM_TRACE
    std::unique_ptr<VerilatedFstC> tfp;
    if (trace_path) {
        ctx->traceEverOn(true);
        tfp = std::make_unique<VerilatedFstC>();
        top->trace(tfp.get(), 99);
        tfp->open(trace_path);
    }
#endif
    uint64_t ticks = 0; // half cycles, the trace's time
    auto half = [&](int clk) {
        top->clk_i = clk;
        top->eval();
#if FAST_SIM_TRACE
        if (tfp)
            tfp->dump(ticks);
#endif
        ticks++;
    };

    // Instruction memory: the word read in cycle t is on imem_data_i in cycle t + 1.
    uint8_t *imem_q = reinterpret_cast<uint8_t *>(&top->imem_data_i);
    std::memset(imem_q, 0, INSN_BYTES);
    int64_t imem_reads = 0, imem_beyond = 0;

    top->lat_i = uint16_t(lat);
    top->bw_i = uint32_t(bw);
    top->gbw_i = uint32_t(gbw);
    top->start_i = 0;
    top->rst_ni = 0;
    for (int k = 0; k < 4; k++) {
        half(0);
        half(1);
    }
    top->rst_ni = 1;
#if FAST_GLOBAL_BYTES
    // The global memory's image, W bytes per cycle through the host port, before start.
    top->host_re_i = 0;
    for (size_t off = 0; off < gimg.size(); off += size_t(W)) {
        size_t n = std::min(size_t(W), gimg.size() - off);
        uint8_t data[W] = {0}, mask[(W + 7) / 8] = {0};
        std::memcpy(data, &gimg[off], n);
        for (size_t b = 0; b < n; b++)
            mask[b / 8] |= uint8_t(1u << (b % 8));
        top->host_we_i = 1;
        top->host_waddr_i = uint32_t(off);
        std::memcpy(&top->host_wmask_i, mask, sizeof mask);
        std::memcpy(&top->host_wdata_i, data, sizeof data);
        half(0);
        half(1);
    }
    top->host_we_i = 0;
#endif

    auto t0 = std::chrono::steady_clock::now();
    int64_t now = 0, cycles = -1;
    const char *err = nullptr;
    while (now < max_cycles) {
        top->start_i = now == 0;
        top->clk_i = 0;
        mem.offer(now, top.get());
        top->eval();
        if (top->done_o) {
            cycles = now;
            break;
        }
        bool re = top->imem_re_o;
        uint32_t addr = top->imem_addr_o;
        if ((err = mem.sample(now, top.get())))
            break;
        half(0);
        half(1);
        if (re) {
            imem_reads++;
            if (addr < n_insns)
                std::memcpy(imem_q, &prog[size_t(addr) * INSN_BYTES], INSN_BYTES);
            else {
                std::memset(imem_q, 0, INSN_BYTES);
                imem_beyond++;
            }
        }
        now++;
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
#if FAST_GLOBAL_BYTES
    // The global memory's final image, W bytes per cycle through the host port.
    if (cycles >= 0 && !gimg.empty()) {
        top->start_i = 0;
        for (size_t off = 0; off < gimg.size(); off += size_t(W)) {
            top->host_re_i = 1;
            top->host_raddr_i = uint32_t(off);
            half(0);
            half(1);
            top->host_re_i = 0;
            top->eval();
            uint8_t data[W];
            std::memcpy(data, &top->host_rdata_o, sizeof data);
            std::memcpy(&gimg[off], data, std::min(size_t(W), gimg.size() - off));
        }
    }
#endif
    uint32_t pc = top->pc_o;
    char where[96];
    if (pc < n_insns)
        std::snprintf(where, sizeof where, "%" PRIu32 " (%s)", pc,
                      op_names[prog[size_t(pc) * INSN_BYTES] & 15]);
    else
        std::snprintf(where, sizeof where, "%" PRIu32 " (beyond the %zu-instruction program)",
                      pc, n_insns);
#if FAST_SIM_TRACE
    if (tfp)
        tfp->close();
#endif
    top->final();
    if (err)
        die(1, "cycle %" PRId64 ": external memory port: %s", now, err);
    if (cycles < 0)
        die(1, "no done_o after %" PRId64 " cycles; last instruction fetched: %s; external "
               "memory: %" PRId64 " bytes read, %" PRId64 " written, %zu reads and %zu writes "
               "open", max_cycles, where, mem.read_bytes, mem.written_bytes, mem.reads.size(),
            mem.writes.size());
    // done_o means every command has handed its last byte over; write responses may still
    // be on their way (docs/rtl.md 10), but no data.
    if (!mem.reads.empty() || !mem.writes.empty())
        die(1, "done_o with external requests still open: %zu reads, %zu writes",
            mem.reads.size(), mem.writes.size());
    write_file(out_path, mem.img);
    if (gout_path)
        write_file(gout_path, gimg);
    std::printf("{\"cycles\": %" PRId64 ", \"bytes_read\": %" PRId64 ", \"bytes_written\": %" PRId64
                ", \"last_write_cycle\": %" PRId64
                ", \"read_requests\": %" PRId64 ", \"write_requests\": %" PRId64
                ", \"instructions\": %zu, \"imem_reads\": %" PRId64 ", \"imem_beyond\": %" PRId64
                ", \"last_pc\": %" PRIu32 ", \"lat\": %" PRId64 ", \"bw256\": %" PRId64
                ", \"mem_bw256\": %" PRId64 ", \"ext_bytes\": %d, \"jitter\": %s"
                ", \"sim_seconds\": %.3f}\n",
                cycles, mem.read_bytes, mem.written_bytes, mem.last_write, mem.n_read_reqs,
                mem.n_write_reqs,
                n_insns, imem_reads, imem_beyond, pc, lat, bw, mem_bw, W,
                jitter ? "true" : "false", secs);
    return 0;
}
