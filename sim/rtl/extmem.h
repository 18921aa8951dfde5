// A C++ model of external memory that serves the port of fast_dma (docs/rtl.md 9.2, 9.3)
// and of the whole accelerator, which has the same port: one Verilated top with the ports
// rreq_*, rdata_*, wreq_*, wdata_*, wresp_* and W bytes per beat. Shared by the DMA
// testbench (tests/rtl/dma/tb_dma.cpp) and the accelerator harness (sim/rtl/harness.cpp).
//
// Reads: a request accepted in cycle t may return its first beat in cycle t + L; beats
// return in request order, W bytes each (the last one partial, padded with garbage), at
// most one per cycle, and no faster than the bandwidth: a credit of bw/256 bytes per cycle
// that the beats spend (unbounded by default, so the memory is never slower than a DMA
// that paces itself at bw; burst_bytes > 0 caps the saved credit). Writes: data beats
// fill the oldest open request; its response comes L cycles after its last beat. Every
// request is accepted at once, unless jitter adds random gaps to every handshake (then
// the data are right, the timing is not the formula's).
//
// Use, once per clock cycle, with the clock low:
//   mem.offer(now, top);   // drives rdata_*, the readies and wresp_valid_i
//   top->eval();
//   if (const char *e = mem.sample(now, top)) ...;  // the handshakes of this cycle
//   then the rising edge.
// The image is the memory's contents, byte 0 first. Addresses wrap at its size when wrap
// is set (the DMA test's 64 KiB image); otherwise a request that reaches beyond it is an
// error that sample() reports.
#ifndef FAST_SIM_RTL_EXTMEM_H
#define FAST_SIM_RTL_EXTMEM_H

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

namespace fast_extmem {

// splitmix64: the random source of the jitter (and of the testbenches that share it).
inline uint64_t rng_next(uint64_t &s)
{
    uint64_t z = (s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

// Byte b of a Verilated signal of any width (CData .. QData, or VlWide: its 32-bit words
// are least significant first, so on a little-endian host its bytes are in order too).
template <class T> inline uint8_t sig_byte(const T &sig, int b)
{
    static_assert(sizeof(T) >= 1, "signal");
    return reinterpret_cast<const uint8_t *>(&sig)[b];
}

// Bit i of a Verilated signal of any width.
template <class T> inline bool sig_bit(const T &sig, int i)
{
    return (sig_byte(sig, i / 8) >> (i % 8)) & 1;
}

struct Mem {
    // Configuration: bytes per beat, latency (cycles), bandwidth (bytes per cycle x 256).
    int W = 8, L = 2;
    int64_t bw = 256;
    int64_t burst_bytes = 0; // > 0: the saved credit is capped at this many bytes
    bool jitter = false;
    bool wrap = true;        // addresses wrap at the image size (else out of range is an error)
    uint64_t *rng = nullptr; // the jitter's random state (the caller's)
    std::vector<uint8_t> img;

    struct Req { uint32_t addr; int64_t bytes, done = 0, t = 0; };
    std::deque<Req> reads, writes; // accepted requests not yet fully served
    std::deque<int64_t> resp;      // cycles from which each pending write response is due
    int64_t credit = 0;            // bytes x 256 the reads may still take
    // Totals since construction.
    int64_t read_bytes = 0, written_bytes = 0, n_read_reqs = 0, n_write_reqs = 0;
    int64_t last_write = -1; // the cycle of the last write data beat, -1 before any
    // This cycle's offers.
    bool rvalid = false, rreq_ready = true, wreq_ready = true, wdata_ready = true;
    int64_t rbytes = 0;
    std::string err; // the text of the last error sample() returned

    size_t index(uint32_t addr, int64_t off) const
    {
        return wrap ? (size_t(addr) + size_t(off)) % img.size() : size_t(addr) + size_t(off);
    }

    // Drives the memory side of the port for cycle `now` (before eval()).
    template <class Top> void offer(int64_t now, Top *top)
    {
        credit += bw;
        if (burst_bytes > 0)
            credit = std::min(credit, std::max<int64_t>(burst_bytes, W) * 256);
        rreq_ready = !jitter || rng_next(*rng) % 4 != 0;
        wreq_ready = !jitter || rng_next(*rng) % 4 != 0;
        wdata_ready = !jitter || rng_next(*rng) % 4 != 0;
        rvalid = false;
        if (!reads.empty()) {
            Req &r = reads.front();
            rbytes = std::min<int64_t>(W, r.bytes - r.done);
            rvalid = now >= r.t + L && credit >= rbytes * 256 &&
                     (!jitter || rng_next(*rng) % 3 != 0);
            uint8_t *d = reinterpret_cast<uint8_t *>(&top->rdata_i);
            static_assert(sizeof(top->rdata_i) >= 4, "rdata_i");
            for (int b = 0; b < W; b++)
                d[b] = b < rbytes ? img[index(r.addr, r.done + b)] : uint8_t(0x5A ^ (b * 29));
        }
        top->rdata_valid_i = rvalid;
        top->rreq_ready_i = rreq_ready;
        top->wreq_ready_i = wreq_ready;
        top->wdata_ready_i = wdata_ready;
        top->wresp_valid_i = !resp.empty() && resp.front() <= now;
    }

    // Takes the handshakes of cycle `now` (after eval(), before the rising edge). Returns
    // NULL, or the text of a protocol error (valid until the next call).
    template <class Top> const char *sample(int64_t now, Top *top)
    {
        if (top->rreq_valid_o && rreq_ready) {
            if (top->rreq_bytes_o == 0)
                return fail("read request of 0 bytes");
            Req r{uint32_t(top->rreq_addr_o), int64_t(top->rreq_bytes_o), 0, now};
            if (!wrap && size_t(r.addr) + size_t(r.bytes) > img.size())
                return fail(req_text("read request", r));
            reads.push_back(r);
            n_read_reqs++;
        }
        if (rvalid && top->rdata_ready_o) {
            Req &r = reads.front();
            r.done += rbytes;
            credit -= rbytes * 256;
            read_bytes += rbytes;
            if (r.done == r.bytes)
                reads.pop_front();
        }
        if (top->wreq_valid_o && wreq_ready) {
            if (top->wreq_bytes_o == 0)
                return fail("write request of 0 bytes");
            Req r{uint32_t(top->wreq_addr_o), int64_t(top->wreq_bytes_o), 0, now};
            if (!wrap && size_t(r.addr) + size_t(r.bytes) > img.size())
                return fail(req_text("write request", r));
            writes.push_back(r);
            n_write_reqs++;
        }
        if (top->wdata_valid_o && wdata_ready) {
            if (writes.empty())
                return fail("write data before its request");
            Req &r = writes.front();
            int n = 0;
            while (n < W && sig_bit(top->wdata_strb_o, n))
                n++;
            for (int b = n; b < W; b++)
                if (sig_bit(top->wdata_strb_o, b))
                    return fail("write strobe not a run of low bytes");
            if (n == 0)
                return fail("write strobe not a run of low bytes");
            if (r.done + n > r.bytes)
                return fail("more write data than the request's bytes");
            for (int b = 0; b < n; b++)
                img[index(r.addr, r.done + b)] = sig_byte(top->wdata_o, b);
            r.done += n;
            written_bytes += n;
            last_write = now;
            if (r.done == r.bytes) {
                resp.push_back(now + L);
                writes.pop_front();
            }
        }
        if (top->wresp_valid_i && top->wresp_ready_o)
            resp.pop_front();
        return nullptr;
    }

    // True when no request is open and no response is pending.
    bool quiet() const { return reads.empty() && writes.empty() && resp.empty(); }

  private:
    const char *fail(const std::string &what)
    {
        err = what;
        return err.c_str();
    }
    std::string req_text(const char *what, const Req &r) const
    {
        char buf[160];
        std::snprintf(buf, sizeof buf,
                      "%s of %" PRId64 " bytes at 0x%" PRIx32 " reaches beyond the %zu-byte image",
                      what, r.bytes, r.addr, img.size());
        return buf;
    }
};

} // namespace fast_extmem

#endif
