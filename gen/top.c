/* The two files the generator writes itself: the core's top module and the parameters
 * header. Everything else it emits is a template, copied. */
#include <inttypes.h>
#include <stdio.h>

#include "gen/plan.h"

static void port_decl(fast_text *t, const char *prefix, const fast_gen_port *q, int last)
{
    char range[48] = "";
    if (q->width > 1)
        snprintf(range, sizeof range, "[%" PRId64 ":0]", q->width - 1);
    fast_text_printf(t, "  %-6s wire %-10s %s%s%s\n", q->output ? "output" : "input", range,
                     prefix, q->name, last ? "" : ",");
}

static void port_conns(fast_text *t, const char *prefix, const fast_gen_port *v, int n)
{
    fast_text_printf(t, "    .%-13s (clk_i),\n    .%-13s (rst_ni),\n", "clk_i", "rst_ni");
    for (int i = 0; i < n; i++)
        fast_text_printf(t, "    .%-13s (%s%s)%s\n", v[i].name, prefix, v[i].name,
                         i + 1 < n ? "," : "");
}

void fast_gen_top_write(const fast_gen_plan *p, fast_text *t)
{
    const fast_arch *a = p->arch;
    fast_text_printf(t, "// %s\n", p->header);
    fast_text_printf(t, "// %s: the datapath of one core of configuration \"%s\":\n", p->top,
                     a->name);
    fast_text_printf(t,
                     "//   %" PRId64 " %s %s systolic array%s of %" PRId64 " x %" PRId64
                     " PEs, each with %" PRId64 " accumulator\n//   rows in %" PRId64
                     " bank%s;\n",
                     p->count, p->os ? "output-stationary" : "weight-stationary",
                     fast_dtype_name(a->array.dtype), p->count > 1 ? "s" : "", p->rows, p->cols,
                     p->acc_depth, p->acc_banks, p->acc_banks > 1 ? "s" : "");
    fast_text_printf(t, "//   a vector unit of %" PRId64 " %s lane%s.\n", p->lanes,
                     p->bf16 ? "fp32" : "int32", p->lanes > 1 ? "s" : "");
    fast_text_printf(t, "// The ports of array i are prefixed a<i>_, those of the vector unit v_ "
                        "(docs/rtl.md section 6).\n");
    fast_text_printf(t, "`default_nettype none\n\nmodule %s (\n", p->top);
    fast_text_printf(t, "  input  wire            clk_i,\n  input  wire            rst_ni,\n");
    for (int64_t i = 0; i < p->count; i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "a%" PRId64 "_", i);
        fast_text_printf(t, "  // array %" PRId64 "\n", i);
        for (int j = 0; j < p->n_array_ports; j++)
            port_decl(t, prefix, &p->array_ports[j], 0);
    }
    fast_text_printf(t, "  // vector unit\n");
    for (int j = 0; j < p->n_vector_ports; j++)
        port_decl(t, "v_", &p->vector_ports[j], j + 1 == p->n_vector_ports);
    fast_text_printf(t, ");\n");
    for (int64_t i = 0; i < p->count; i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "a%" PRId64 "_", i);
        fast_text_printf(t,
                         "\n  fast_array_unit_%s #(\n"
                         "    .ROWS      (%" PRId64 "),\n"
                         "    .COLS      (%" PRId64 "),\n"
                         "    .DTYPE     (%d),\n"
                         "    .ACC_DEPTH (%" PRId64 "),\n"
                         "    .ACC_BANKS (%" PRId64 ")\n"
                         "  ) u_array%" PRId64 " (\n",
                         p->os ? "os" : "ws", p->rows, p->cols, p->bf16, p->acc_depth,
                         p->acc_banks, i);
        port_conns(t, prefix, p->array_ports, p->n_array_ports);
        fast_text_printf(t, "  );\n");
    }
    fast_text_printf(t,
                     "\n  fast_vector_unit #(\n"
                     "    .LANES (%" PRId64 "),\n"
                     "    .FP    (%d)\n"
                     "  ) u_vector (\n",
                     p->lanes, p->bf16);
    port_conns(t, "v_", p->vector_ports, p->n_vector_ports);
    fast_text_printf(t, "  );\nendmodule\n\n`default_nettype wire\n");
}

void fast_gen_accel_write(const fast_gen_plan *p, fast_text *t)
{
    const fast_arch *a = p->arch;
    int64_t W = p->ext_bytes, n = p->arrays;
    fast_text_printf(t, "// %s\n", p->header);
    fast_text_printf(t,
                     "// %s: the accelerator of configuration \"%s\" (docs/rtl.md section "
                     "10):\n//   the instruction fetcher, %" PRId64 " core%s of %" PRId64
                     " weight-stationary %s array%s of %" PRId64 " x %" PRId64
                     " PEs\n//   with their queues, DMA engines, scratchpads and a %" PRId64
                     "-lane vector unit each, and the\n//   arbiter of the external-memory "
                     "port (%" PRId64 " bytes per beat)%s.\n",
                     p->accel_top, a->name, p->cores, p->cores > 1 ? "s" : "", p->count,
                     fast_dtype_name(a->array.dtype), p->count > 1 ? "s" : "", p->rows,
                     p->cols, p->lanes, W,
                     p->global_bytes ? ";\n//   the global memory with its arbiter and host port"
                                     : "");
    fast_text_printf(t,
        "`default_nettype none\n\n"
        "module %s (\n"
        "  input  wire           clk_i,\n"
        "  input  wire           rst_ni,\n"
        "  input  wire [15:0]    lat_i,\n"
        "  input  wire [23:0]    bw_i,\n"
        "  input  wire [23:0]    gbw_i,\n"
        "  input  wire           start_i,\n"
        "  output wire           done_o,\n"
        "  output wire [31:0]    pc_o,\n"
        "  output wire           imem_re_o,\n"
        "  output wire [31:0]    imem_addr_o,\n"
        "  input  wire [255:0]   imem_data_i,\n"
        "  output wire           rreq_valid_o,\n"
        "  input  wire           rreq_ready_i,\n"
        "  output wire [31:0]    rreq_addr_o,\n"
        "  output wire [17:0]    rreq_bytes_o,\n"
        "  input  wire           rdata_valid_i,\n"
        "  output wire           rdata_ready_o,\n"
        "  input  wire [%" PRId64 ":0] rdata_i,\n"
        "  output wire           wreq_valid_o,\n"
        "  input  wire           wreq_ready_i,\n"
        "  output wire [31:0]    wreq_addr_o,\n"
        "  output wire [17:0]    wreq_bytes_o,\n"
        "  output wire           wdata_valid_o,\n"
        "  input  wire           wdata_ready_i,\n"
        "  output wire [%" PRId64 ":0] wdata_o,\n"
        "  output wire [%" PRId64 ":0] wdata_strb_o,\n"
        "  input  wire           wresp_valid_i,\n"
        "  output wire           wresp_ready_o%s\n",
        p->accel_top, 8 * W - 1, 8 * W - 1, W - 1, p->global_bytes ? "," : "");
    if (p->global_bytes)
        fast_text_printf(t,
            "  // host port of the global memory (docs/rtl.md 10.5)\n"
            "  input  wire           host_we_i,\n"
            "  input  wire [31:0]    host_waddr_i,\n"
            "  input  wire [%" PRId64 ":0] host_wmask_i,\n"
            "  input  wire [%" PRId64 ":0] host_wdata_i,\n"
            "  input  wire           host_re_i,\n"
            "  input  wire [31:0]    host_raddr_i,\n"
            "  output wire [%" PRId64 ":0] host_rdata_o\n",
            W - 1, 8 * W - 1, 8 * W - 1);
    fast_text_printf(t, ");\n");
    fast_text_printf(t,
        "  localparam integer N = %" PRId64 ";  // arrays on the chip\n"
        "  localparam integer W = %" PRId64 ";  // external bytes per beat\n\n"
        "  wire         ended;\n"
        "  wire         disp_valid;\n"
        "  wire [255:0] disp_insn;\n"
        "  wire         disp_ready;\n"
        "  wire [9:0]   disp_array = disp_insn[17:8];\n"
        "  wire [%" PRId64 ":0] core_hit;\n"
        "  wire [%" PRId64 ":0] core_ready;\n"
        "  wire [%" PRId64 ":0] core_idle;\n"
        "  wire [N-1:0]      s_rreq_valid, s_rreq_ready, s_rdata_valid, s_rdata_ready;\n"
        "  wire [N*32-1:0]   s_rreq_addr, s_wreq_addr;\n"
        "  wire [N*18-1:0]   s_rreq_bytes, s_wreq_bytes;\n"
        "  wire [N-1:0]      s_wreq_valid, s_wreq_ready, s_wdata_valid, s_wdata_ready;\n"
        "  wire [N-1:0]      s_wresp_valid, s_wresp_ready;\n"
        "  wire [N*8*W-1:0]  s_wdata;\n"
        "  wire [N*W-1:0]    s_wdata_strb;\n"
        "  wire [8*W-1:0]    s_rdata;\n"
        "  wire [N-1:0]      g_rreq_valid, g_rreq_ready, g_rdata_valid, g_rdata_ready;\n"
        "  wire [N-1:0]      g_wreq_valid, g_wreq_ready, g_wdata_valid, g_wdata_ready;\n"
        "  wire [N-1:0]      g_wresp_valid, g_wresp_ready;\n"
        "  wire [8*W-1:0]    g_rdata;\n\n"
        "  fast_fetch u_fetch (\n"
        "    .clk_i (clk_i), .rst_ni (rst_ni), .start_i (start_i), .ended_o (ended),\n"
        "    .pc_o (pc_o), .imem_re_o (imem_re_o), .imem_addr_o (imem_addr_o),\n"
        "    .imem_data_i (imem_data_i), .disp_valid_o (disp_valid), .disp_insn_o (disp_insn),\n"
        "    .disp_ready_i (disp_ready));\n\n"
        "  // Core c takes arrays c * %" PRId64 " .. c * %" PRId64 " + %" PRId64 ".\n",
        n, W, p->cores - 1, p->cores - 1, p->cores - 1, p->count, p->count, p->count - 1);
    for (int64_t c = 0; c < p->cores; c++) {
        int64_t lo = c * p->count, hi = lo + p->count;
        if (lo == 0)
            fast_text_printf(t, "  assign core_hit[%" PRId64 "] = disp_array < 10'd%" PRId64 ";\n",
                             c, hi);
        else
            fast_text_printf(t,
                "  assign core_hit[%" PRId64 "] = (disp_array >= 10'd%" PRId64
                ") & (disp_array < 10'd%" PRId64 ");\n",
                c, lo, hi);
    }
    fast_text_printf(t, "  assign disp_ready = |(core_hit & core_ready);\n");
    for (int64_t c = 0; c < p->cores; c++) {
        int64_t lo = c * p->count, hi = lo + p->count - 1;
        fast_text_printf(t,
            "\n  fast_cluster #(\n"
            "    .COUNT (%" PRId64 "), .BASE (%" PRId64 "), .ROWS (%" PRId64 "), .COLS (%" PRId64
            "), .DTYPE (%d), .OS (%d), .LANES (%" PRId64 "),\n"
            "    .ACC_DEPTH (%" PRId64 "), .ACC_BANKS (%" PRId64 "),\n"
            "    .INP_DEPTH (%" PRId64 "), .INP_BANKS (%" PRId64 "), .IPORT (%" PRId64 "),\n"
            "    .WGT_DEPTH (%" PRId64 "), .WGT_BANKS (%" PRId64 "), .WPORT (%" PRId64 "),\n"
            "    .W (W), .GLOBAL (%d), .ROWQ (%" PRId64 "), .QDEPTH (%" PRId64 "), .CQ (%" PRId64
            ")\n"
            "  ) u_core%" PRId64 " (\n"
            "    .clk_i (clk_i), .rst_ni (rst_ni), .lat_i (lat_i), .bw_i (bw_i), .gbw_i (gbw_i),\n"
            "    .disp_valid_i (disp_valid & core_hit[%" PRId64 "]), .disp_insn_i (disp_insn),\n"
            "    .disp_ready_o (core_ready[%" PRId64 "]), .idle_o (core_idle[%" PRId64 "]),\n",
            p->count, lo, p->rows, p->cols, p->bf16, p->os, p->lanes, p->acc_depth, p->acc_banks,
            p->inp_depth, p->inp_banks, p->inp_port, p->wgt_depth, p->wgt_banks, p->wgt_port,
            p->global_bytes > 0, p->rowq, p->qdepth, p->cmdq, c, c, c, c);
        static const char *const one[] = {"rreq_valid", "rreq_ready", "rdata_valid",
                                           "rdata_ready", "wreq_valid", "wreq_ready",
                                           "wdata_valid", "wdata_ready", "wresp_valid",
                                           "wresp_ready"};
        static const int one_out[] = {1, 0, 0, 1, 1, 0, 1, 0, 0, 1};
        for (int k = 0; k < 10; k++)
            fast_text_printf(t, "    .%s_%s (s_%s[%" PRId64 ":%" PRId64 "]),\n", one[k],
                             one_out[k] ? "o" : "i", one[k], hi, lo);
        for (int k = 0; k < 10; k++)
            fast_text_printf(t, "    .g_%s_%s (g_%s[%" PRId64 ":%" PRId64 "]),\n", one[k],
                             one_out[k] ? "o" : "i", one[k], hi, lo);
        fast_text_printf(t,
            "    .rreq_addr_o (s_rreq_addr[%" PRId64 ":%" PRId64 "]),\n"
            "    .rreq_bytes_o (s_rreq_bytes[%" PRId64 ":%" PRId64 "]),\n"
            "    .wreq_addr_o (s_wreq_addr[%" PRId64 ":%" PRId64 "]),\n"
            "    .wreq_bytes_o (s_wreq_bytes[%" PRId64 ":%" PRId64 "]),\n"
            "    .wdata_o (s_wdata[%" PRId64 ":%" PRId64 "]),\n"
            "    .wdata_strb_o (s_wdata_strb[%" PRId64 ":%" PRId64 "]),\n"
            "    .rdata_i (s_rdata), .g_rdata_i (g_rdata));\n",
            (hi + 1) * 32 - 1, lo * 32, (hi + 1) * 18 - 1, lo * 18, (hi + 1) * 32 - 1, lo * 32,
            (hi + 1) * 18 - 1, lo * 18, (hi + 1) * 8 * W - 1, lo * 8 * W, (hi + 1) * W - 1,
            lo * W);
    }
    fast_text_printf(t,
        "\n  fast_ext_arbiter #(.N (N), .W (W), .AQ (%" PRId64 "), .PQ (%" PRId64 ")) u_arbiter (\n"
        "    .clk_i (clk_i), .rst_ni (rst_ni),\n"
        "    .s_rreq_valid_i (s_rreq_valid), .s_rreq_ready_o (s_rreq_ready),\n"
        "    .s_rreq_addr_i (s_rreq_addr), .s_rreq_bytes_i (s_rreq_bytes),\n"
        "    .s_rdata_valid_o (s_rdata_valid), .s_rdata_ready_i (s_rdata_ready),\n"
        "    .s_rdata_o (s_rdata),\n"
        "    .s_wreq_valid_i (s_wreq_valid), .s_wreq_ready_o (s_wreq_ready),\n"
        "    .s_wreq_addr_i (s_wreq_addr), .s_wreq_bytes_i (s_wreq_bytes),\n"
        "    .s_wdata_valid_i (s_wdata_valid), .s_wdata_ready_o (s_wdata_ready),\n"
        "    .s_wdata_i (s_wdata), .s_wdata_strb_i (s_wdata_strb),\n"
        "    .s_wresp_valid_o (s_wresp_valid), .s_wresp_ready_i (s_wresp_ready),\n"
        "    .rreq_valid_o (rreq_valid_o), .rreq_ready_i (rreq_ready_i),\n"
        "    .rreq_addr_o (rreq_addr_o), .rreq_bytes_o (rreq_bytes_o),\n"
        "    .rdata_valid_i (rdata_valid_i), .rdata_ready_o (rdata_ready_o), .rdata_i (rdata_i),\n"
        "    .wreq_valid_o (wreq_valid_o), .wreq_ready_i (wreq_ready_i),\n"
        "    .wreq_addr_o (wreq_addr_o), .wreq_bytes_o (wreq_bytes_o),\n"
        "    .wdata_valid_o (wdata_valid_o), .wdata_ready_i (wdata_ready_i),\n"
        "    .wdata_o (wdata_o), .wdata_strb_o (wdata_strb_o),\n"
        "    .wresp_valid_i (wresp_valid_i), .wresp_ready_o (wresp_ready_o));\n\n",
        p->arbq, p->rowq);
    if (p->global_bytes)
        fast_text_printf(t,
            "  // The global memory: %" PRId64 " MiB behind its own arbiter, at external "
            "addresses\n  // with bit 31 set.\n"
            "  wire          m_rreq_valid, m_rreq_ready, m_rdata_valid, m_rdata_ready;\n"
            "  wire          m_wreq_valid, m_wreq_ready, m_wdata_valid, m_wdata_ready;\n"
            "  wire          m_wresp_valid, m_wresp_ready;\n"
            "  wire [31:0]   m_rreq_addr, m_wreq_addr;\n"
            "  wire [17:0]   m_rreq_bytes, m_wreq_bytes;\n"
            "  wire [8*W-1:0] m_rdata, m_wdata;\n"
            "  wire [W-1:0]  m_wdata_strb;\n"
            "  fast_ext_arbiter #(.N (N), .W (W), .AQ (%" PRId64 "), .PQ (%" PRId64 ")) u_garbiter (\n"
            "    .clk_i (clk_i), .rst_ni (rst_ni),\n"
            "    .s_rreq_valid_i (g_rreq_valid), .s_rreq_ready_o (g_rreq_ready),\n"
            "    .s_rreq_addr_i (s_rreq_addr), .s_rreq_bytes_i (s_rreq_bytes),\n"
            "    .s_rdata_valid_o (g_rdata_valid), .s_rdata_ready_i (g_rdata_ready),\n"
            "    .s_rdata_o (g_rdata),\n"
            "    .s_wreq_valid_i (g_wreq_valid), .s_wreq_ready_o (g_wreq_ready),\n"
            "    .s_wreq_addr_i (s_wreq_addr), .s_wreq_bytes_i (s_wreq_bytes),\n"
            "    .s_wdata_valid_i (g_wdata_valid), .s_wdata_ready_o (g_wdata_ready),\n"
            "    .s_wdata_i (s_wdata), .s_wdata_strb_i (s_wdata_strb),\n"
            "    .s_wresp_valid_o (g_wresp_valid), .s_wresp_ready_i (g_wresp_ready),\n"
            "    .rreq_valid_o (m_rreq_valid), .rreq_ready_i (m_rreq_ready),\n"
            "    .rreq_addr_o (m_rreq_addr), .rreq_bytes_o (m_rreq_bytes),\n"
            "    .rdata_valid_i (m_rdata_valid), .rdata_ready_o (m_rdata_ready), .rdata_i (m_rdata),\n"
            "    .wreq_valid_o (m_wreq_valid), .wreq_ready_i (m_wreq_ready),\n"
            "    .wreq_addr_o (m_wreq_addr), .wreq_bytes_o (m_wreq_bytes),\n"
            "    .wdata_valid_o (m_wdata_valid), .wdata_ready_i (m_wdata_ready),\n"
            "    .wdata_o (m_wdata), .wdata_strb_o (m_wdata_strb),\n"
            "    .wresp_valid_i (m_wresp_valid), .wresp_ready_o (m_wresp_ready));\n"
            "  fast_gmem #(.W (W), .BYTES (%" PRId64 "), .Q (%" PRId64 ")) u_gmem (\n"
            "    .clk_i (clk_i), .rst_ni (rst_ni),\n"
            "    .rreq_valid_i (m_rreq_valid), .rreq_ready_o (m_rreq_ready),\n"
            "    .rreq_addr_i (m_rreq_addr), .rreq_bytes_i (m_rreq_bytes),\n"
            "    .rdata_valid_o (m_rdata_valid), .rdata_ready_i (m_rdata_ready), .rdata_o (m_rdata),\n"
            "    .wreq_valid_i (m_wreq_valid), .wreq_ready_o (m_wreq_ready),\n"
            "    .wreq_addr_i (m_wreq_addr), .wreq_bytes_i (m_wreq_bytes),\n"
            "    .wdata_valid_i (m_wdata_valid), .wdata_ready_o (m_wdata_ready),\n"
            "    .wdata_i (m_wdata), .wdata_strb_i (m_wdata_strb),\n"
            "    .wresp_valid_o (m_wresp_valid), .wresp_ready_i (m_wresp_ready),\n"
            "    .host_we_i (host_we_i), .host_waddr_i (host_waddr_i), .host_wmask_i (host_wmask_i),\n"
            "    .host_wdata_i (host_wdata_i), .host_re_i (host_re_i), .host_raddr_i (host_raddr_i),\n"
            "    .host_rdata_o (host_rdata_o));\n\n",
            p->global_bytes >> 20, p->arbq, p->rowq, p->global_bytes, p->arbq);
    else
        fast_text_printf(t,
            "  // No global memory: its ports are tied off.\n"
            "  assign g_rreq_ready  = {N{1'b0}};\n"
            "  assign g_rdata_valid = {N{1'b0}};\n"
            "  assign g_rdata       = {(8*W){1'b0}};\n"
            "  assign g_wreq_ready  = {N{1'b0}};\n"
            "  assign g_wdata_ready = {N{1'b0}};\n"
            "  assign g_wresp_valid = {N{1'b0}};\n"
            "  wire unused_global = ^{g_rreq_valid, g_rdata_ready, g_wreq_valid, g_wdata_valid,\n"
            "                         g_wresp_ready, gbw_i};\n\n");
    fast_text_printf(t,
        "  // Done once END is reached and every core is idle (queues empty, DMAs quiet).\n"
        "  assign done_o = ended & (&core_idle);\n"
        "endmodule\n\n`default_nettype wire\n");
}

void fast_gen_params_write(const fast_gen_plan *p, fast_text *t)
{
    char guard[FAST_ARCH_NAME_MAX + 32];
    snprintf(guard, sizeof guard, "%s_PARAMS_H", p->top);
    for (char *c = guard; *c; c++)
        if (*c >= 'a' && *c <= 'z')
            *c = (char)(*c - 'a' + 'A');
    fast_text_printf(t, "/* %s */\n", p->header);
    fast_text_printf(t,
                     "/* The parameters of %s, for harnesses and programs (docs/rtl.md "
                     "section 6). */\n",
                     p->top);
    fast_text_printf(t, "#ifndef %s\n#define %s\n\n", guard, guard);
    fast_text_printf(t, "#define FAST_TOP \"%s\"\n", p->top);
    fast_text_printf(t, "#define FAST_CONFIG_NAME \"%s\"\n", p->arch->name);
    fast_text_printf(t, "#define FAST_CONFIG_HASH 0x%016" PRIx64 "ULL\n", p->hash);
    fast_text_printf(t, "#define FAST_ARRAY_ROWS %" PRId64 "\n", p->rows);
    fast_text_printf(t, "#define FAST_ARRAY_COLS %" PRId64 "\n", p->cols);
    fast_text_printf(t, "#define FAST_ARRAY_COUNT %" PRId64 "\n", p->count);
    fast_text_printf(t, "#define FAST_ARRAY_OS %d /* 1: output-stationary */\n", p->os);
    fast_text_printf(t, "#define FAST_ARRAY_BF16 %d /* 1: bf16 operands, fp32 sums */\n",
                     p->bf16);
    fast_text_printf(t, "#define FAST_ELEM_BITS %" PRId64 "\n", p->elem_bits);
    fast_text_printf(t, "#define FAST_ROW_BITS %" PRId64 "\n", p->row_bits);
    fast_text_printf(t, "#define FAST_ACC_DEPTH %" PRId64 "\n", p->acc_depth);
    fast_text_printf(t, "#define FAST_ACC_BANKS %" PRId64 "\n", p->acc_banks);
    fast_text_printf(t, "#define FAST_ACC_ADDR_BITS %" PRId64 "\n", p->acc_addr_bits);
    fast_text_printf(t, "#define FAST_VECTOR_LANES %" PRId64 "\n", p->lanes);
    fast_text_printf(t, "#define FAST_VECTOR_FP %d /* 1: fp32 lanes */\n", p->bf16);
    fast_text_printf(t, "#define FAST_ACCEL_TOP \"%s\"\n", p->accel_top);
    fast_text_printf(t, "#define FAST_CORES %" PRId64 "\n", p->cores);
    fast_text_printf(t, "#define FAST_ARRAYS_TOTAL %" PRId64 "\n", p->arrays);
    fast_text_printf(t, "#define FAST_EXT_BYTES %" PRId64 "\n", p->ext_bytes);
    fast_text_printf(t, "#define FAST_GLOBAL_BYTES %" PRId64
                        " /* the global memory, 0: none */\n",
                     p->global_bytes);
    fast_text_printf(t, "#define FAST_DRAM_LATENCY %" PRId64 " /* cycles */\n",
                     p->dram_lat);
    fast_text_printf(t, "#define FAST_DRAM_BW256 %" PRId64
                        " /* chip bytes per cycle x 256 */\n",
                     p->dram_bw256);
    fast_text_printf(t, "#define FAST_DMA_ROWQ %" PRId64 "\n", p->rowq);
    fast_text_printf(t, "#define FAST_QUEUE_DEPTH %" PRId64 "\n", p->qdepth);
    fast_text_printf(t, "#define FAST_INP_DEPTH %" PRId64 "\n", p->inp_depth);
    fast_text_printf(t, "#define FAST_WGT_DEPTH %" PRId64 "\n", p->wgt_depth);
    fast_text_printf(t, "\n#endif\n");
}
