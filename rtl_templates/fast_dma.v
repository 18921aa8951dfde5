// fast_dma: the DMA engine of one array (docs/isa.md 2.1 and 3, docs/rtl.md 9). It runs
// the data movement of LOAD (external memory -> scratchpad, up to 3D strided, zero rows for
// the padding) and STORE (scratchpad or accumulator -> external memory, 2D strided, with
// the word/byte/half formats) one command after another, in the order they arrive.
//
// Three parts, each a few registers wide:
// - the row generator walks the rows of a command (plane z', row y'), one per cycle: it
//   issues one external read (LOAD, rows that are not padding) or write request (STORE)
//   per row and queues a row descriptor for the mover (ROWQ rows of look-ahead);
// - the store reader reads a STORE's rows from the scratchpad ahead of the mover, into a
//   small data queue;
// - the mover moves the beats of each row, in order: a beat is at most W bytes of external
//   memory and BPE = W / max(element bytes, external bytes per element) elements. It paces
//   the beats to the bandwidth bw_i (bytes per cycle, 8 fraction bits) from the cycle the
//   command's first row may start, and starts a command's first row no earlier than lat_i
//   cycles after its first row was generated (the latency L of docs/isa.md 3), or, for a
//   command that continues the burst of the one before (cont), as soon as that one ends.
//   The padding rows need no external read; they take their place in the paced stream.
// Two external memories: with GLOBAL = 1 a command whose external address has bit 31 set
// moves to or from the on-chip global memory (docs/rtl.md 10.5) instead of DRAM: its
// requests go out with req_glob_o high, its beats with mov_glob_o high, and it takes the
// global memory's latency GLAT and pace gbw_i instead of lat_i and bw_i.
// done_o pulses once per command, in command order, the cycle after its last beat.
// Timing: a command whose first row is generated in cycle s and whose predecessor ends
// (done_o) in cycle d ends in max(d, s + L) + T, T the paced beats (docs/rtl.md 9.4).
`default_nettype none

module fast_dma #(
  parameter integer E    = 1,   // operand element bytes: 1 int8, 2 bf16 (accumulator words are 4)
  parameter integer W    = 8,   // bytes per beat, a power of two, 4..1024
  parameter integer ROWQ = 32,  // rows of look-ahead, a power of two, at least 2
  parameter integer SRW  = W,   // bytes of one scratchpad read: W, or 4W so that a STORE of
                                // bytes or halves from the accumulator fills whole beats
  parameter integer GLOBAL = 0, // 1: addresses with bit 31 set are the global memory
  parameter integer GLAT = 2,   // the global memory's latency, cycles, at least 2
  parameter integer LBW  = 18   // bits of a row's byte count (x * 4 < 2^18); derived, do not override
) (
  input  wire           clk_i,
  input  wire           rst_ni,
  // configuration, constant while commands run
  input  wire [15:0]    lat_i,     // L, cycles, at least 2
  input  wire [23:0]    bw_i,      // bytes per cycle times 256, at least 1
  input  wire [23:0]    gbw_i,     // the same for the global memory (unused when GLOBAL = 0)
  // command port: the fields of one decoded LOAD or STORE (docs/isa.md 2)
  input  wire           cmd_valid_i,
  output wire           cmd_ready_o,
  input  wire           cmd_store_i,       // 0 LOAD, 1 STORE
  input  wire [1:0]     cmd_mem_i,         // 0 inp, 1 wgt, 2 acc
  input  wire           cmd_cont_i,
  input  wire [1:0]     cmd_fmt_i,         // STORE: 0 word, 1 byte, 2 half
  input  wire [31:0]    cmd_dram_i,        // bytes
  input  wire [31:0]    cmd_spad_i,        // elements
  input  wire [15:0]    cmd_x_i,
  input  wire [15:0]    cmd_y_i,
  input  wire [15:0]    cmd_z_i,           // LOAD only
  input  wire [23:0]    cmd_y_dstride_i,   // elements (LOAD) or external elements (STORE)
  input  wire [23:0]    cmd_y_sstride_i,
  input  wire [31:0]    cmd_z_dstride_i,   // LOAD only
  input  wire [7:0]     cmd_pad_y0_i,      // LOAD only
  input  wire [7:0]     cmd_pad_y1_i,
  input  wire [7:0]     cmd_pad_z0_i,
  input  wire [7:0]     cmd_pad_z1_i,
  output wire           done_o,            // one pulse per command, in order
  output wire           done_store_o,      // with done_o: the command was a STORE
  output wire           idle_o,            // nothing queued, running or unacknowledged
  output wire           req_glob_o,        // the request on rreq/wreq is for the global memory
  output wire           mov_glob_o,        // the beat on rdata/wdata is the global memory's
  input  wire           gwresp_valid_i,    // a write response of the global memory
  // external memory: read requests and read data
  output wire           rreq_valid_o,
  input  wire           rreq_ready_i,
  output wire [31:0]    rreq_addr_o,       // first byte
  output wire [LBW-1:0] rreq_bytes_o,      // bytes, at least 1
  input  wire           rdata_valid_i,
  output wire           rdata_ready_o,
  input  wire [8*W-1:0] rdata_i,           // beat k of a request: bytes addr + kW.., byte 0 low
  // external memory: write requests, write data, write responses
  output wire           wreq_valid_o,
  input  wire           wreq_ready_i,
  output wire [31:0]    wreq_addr_o,
  output wire [LBW-1:0] wreq_bytes_o,
  output wire           wdata_valid_o,
  input  wire           wdata_ready_i,
  output wire [8*W-1:0] wdata_o,           // the next bytes of the request, byte 0 low
  output wire [W-1:0]   wdata_strb_o,      // bytes valid, always the low ones
  input  wire           wresp_valid_i,     // one per write request, once it has landed
  output wire           wresp_ready_o,
  // scratchpad side: one W-byte write port and one W-byte read port, element addresses
  // in the memory spad_*mem_o names (element size E, or 4 for the accumulator)
  output wire           spad_we_o,
  output wire [1:0]     spad_wmem_o,
  output wire [31:0]    spad_waddr_o,
  output wire [W-1:0]   spad_wmask_o,      // bytes written, always the low ones
  output wire [8*W-1:0] spad_wdata_o,
  output wire           spad_re_o,
  output wire [1:0]     spad_rmem_o,
  output wire [31:0]    spad_raddr_o,
  input  wire [8*SRW-1:0] spad_rdata_i     // the SRW bytes read in the previous cycle
);
  localparam integer LOGW = $clog2(W);
  localparam integer LOGS = $clog2(SRW);
  localparam integer ECODE = (E == 2) ? 1 : 0;  // log2 of the operand element bytes
  localparam integer PCW = 56;                  // pacer credit bits (bytes * 256, signed)
  // Row descriptor: store, pad, mem, fmt, first, last, spad, x, t_ready, es, dc, epb, glob
  localparam integer RDW = 1 + 1 + 2 + 2 + 1 + 1 + 32 + 16 + 32 + 2 + 2 + 4 + 1;
  // Store read descriptor: mem, spad, x, epb
  localparam integer SDW = 2 + 32 + 16 + 4;

  // ---------------------------------------------------------------- free-running clock
  reg [31:0] now_q;
  always @(posedge clk_i) begin
    if (!rst_ni) now_q <= 32'd0;
    else         now_q <= now_q + 32'd1;
  end

  // ---------------------------------------------------------------- command holding register
  reg        h_valid_q;
  reg        h_store_q;
  reg        h_glob_q;
  reg [1:0]  h_mem_q;
  reg        h_cont_q;
  reg [1:0]  h_fmt_q;
  reg [31:0] h_dram_q;
  reg [31:0] h_spad_q;
  reg [15:0] h_x_q;
  reg [15:0] h_y_q;
  reg [15:0] h_z_q;
  reg [23:0] h_yd_q;
  reg [23:0] h_ys_q;
  reg [31:0] h_zd_q;
  reg [7:0]  h_py0_q;
  reg [7:0]  h_py1_q;
  reg [7:0]  h_pz0_q;
  reg [7:0]  h_pz1_q;

  wire start;  // the generator takes the held command this cycle
  assign cmd_ready_o = ~h_valid_q | start;
  wire cmd_fire = cmd_valid_i & cmd_ready_o;

  always @(posedge clk_i) begin
    if (!rst_ni)       h_valid_q <= 1'b0;
    else if (cmd_fire) h_valid_q <= 1'b1;
    else if (start)    h_valid_q <= 1'b0;
    if (cmd_fire) begin
      h_store_q <= cmd_store_i;
      h_glob_q  <= (GLOBAL != 0) & cmd_dram_i[31];
      h_mem_q   <= cmd_mem_i;
      h_cont_q  <= cmd_cont_i;
      h_fmt_q   <= cmd_fmt_i;
      h_dram_q  <= cmd_dram_i;
      h_spad_q  <= cmd_spad_i;
      h_x_q     <= cmd_x_i;
      h_y_q     <= cmd_y_i;
      // A STORE is one plane without padding.
      h_z_q     <= cmd_store_i ? 16'd1 : cmd_z_i;
      h_yd_q    <= cmd_y_dstride_i;
      h_ys_q    <= cmd_y_sstride_i;
      h_zd_q    <= cmd_store_i ? 32'd0 : cmd_z_dstride_i;
      h_py0_q   <= cmd_store_i ? 8'd0 : cmd_pad_y0_i;
      h_py1_q   <= cmd_store_i ? 8'd0 : cmd_pad_y1_i;
      h_pz0_q   <= cmd_store_i ? 8'd0 : cmd_pad_z0_i;
      h_pz1_q   <= cmd_store_i ? 8'd0 : cmd_pad_z1_i;
    end
  end

  // Sizes of the held command: es = log2 scratchpad element bytes, dc = log2 external
  // bytes per element, epb = log2 elements per beat: a beat is at most W external bytes
  // and at most SRW scratchpad bytes.
  wire [1:0] h_es = (h_mem_q == 2'd2) ? 2'd2 : ECODE[1:0];
  wire [1:0] h_sc = (h_fmt_q == 2'd0) ? 2'd2 : (h_fmt_q == 2'd1) ? 2'd0 : 2'd1;
  wire [1:0] h_dc = h_store_q ? h_sc : h_es;
  wire [3:0] h_ext = LOGW[3:0] - {2'b00, h_dc};
  wire [3:0] h_spd = LOGS[3:0] - {2'b00, h_es};
  wire [3:0] h_epb = (h_ext < h_spd) ? h_ext : h_spd;

  // ---------------------------------------------------------------- in-flight commands
  reg        done_q;
  reg        done_store_q;
  reg [15:0] pending_q;   // commands started by the generator, done_o not yet given
  reg        last_store_q;
  reg        last_glob_q;
  reg        have_last_q;
  // A command continues the burst only behind one of the same direction and memory.
  wire h_cont_eff = h_cont_q & have_last_q & (last_store_q == h_store_q) &
                    (last_glob_q == h_glob_q);
  wire none_left  = (pending_q == {15'd0, done_q});

  // ---------------------------------------------------------------- row generator
  reg        g_valid_q;
  reg        g_store_q;
  reg        g_glob_q;
  reg [1:0]  g_mem_q;
  reg [1:0]  g_fmt_q;
  reg [15:0] g_x_q;
  reg [15:0] g_y_q;
  reg [15:0] g_z_q;
  reg [31:0] g_ydb_q;   // external row stride, bytes
  reg [23:0] g_ys_q;
  reg [31:0] g_zdb_q;   // external plane stride, bytes
  reg [7:0]  g_py0_q;
  reg [7:0]  g_py1_q;
  reg [7:0]  g_pz0_q;
  reg [7:0]  g_pz1_q;
  reg [1:0]  g_es_q;
  reg [1:0]  g_dc_q;
  reg [3:0]  g_epb_q;
  reg [15:0] g_zi_q;    // plane of the next row
  reg [15:0] g_yi_q;    // row of the next row in its plane
  reg [31:0] g_row_q;   // external address of the next row when it is read
  reg [31:0] g_plane_q; // external address of the current real plane's first real row
  reg [31:0] g_spad_q;  // scratchpad address of the next row
  reg        g_first_q; // the next row is the command's first

  assign start = ~g_valid_q & h_valid_q & (h_cont_eff | none_left);

  // The row in hand: the next row of the running command, or the first of the held one.
  wire        c_store = g_valid_q ? g_store_q : h_store_q;
  wire        c_glob  = g_valid_q ? g_glob_q : h_glob_q;
  wire [1:0]  c_mem   = g_valid_q ? g_mem_q : h_mem_q;
  wire [1:0]  c_fmt   = g_valid_q ? g_fmt_q : h_fmt_q;
  wire [15:0] c_x     = g_valid_q ? g_x_q : h_x_q;
  wire [15:0] c_y     = g_valid_q ? g_y_q : h_y_q;
  wire [15:0] c_z     = g_valid_q ? g_z_q : h_z_q;
  wire [31:0] c_ydb   = g_valid_q ? g_ydb_q : ({8'd0, h_yd_q} << h_dc);
  wire [23:0] c_ys    = g_valid_q ? g_ys_q : h_ys_q;
  wire [31:0] c_zdb   = g_valid_q ? g_zdb_q : (h_zd_q << h_es);
  wire [7:0]  c_py0   = g_valid_q ? g_py0_q : h_py0_q;
  wire [7:0]  c_py1   = g_valid_q ? g_py1_q : h_py1_q;
  wire [7:0]  c_pz0   = g_valid_q ? g_pz0_q : h_pz0_q;
  wire [7:0]  c_pz1   = g_valid_q ? g_pz1_q : h_pz1_q;
  wire [1:0]  c_es    = g_valid_q ? g_es_q : h_es;
  wire [1:0]  c_dc    = g_valid_q ? g_dc_q : h_dc;
  wire [3:0]  c_epb   = g_valid_q ? g_epb_q : h_epb;
  wire [15:0] c_zi    = g_valid_q ? g_zi_q : 16'd0;
  wire [15:0] c_yi    = g_valid_q ? g_yi_q : 16'd0;
  wire [31:0] c_row   = g_valid_q ? g_row_q : h_dram_q;
  wire [31:0] c_plane = g_valid_q ? g_plane_q : h_dram_q;
  wire [31:0] c_spad  = g_valid_q ? g_spad_q : h_spad_q;
  wire        c_first = g_valid_q ? g_first_q : 1'b1;
  wire        gen     = g_valid_q | start;

  // Padding: planes z' < pad_z0 or z' >= z - pad_z1, rows y' < pad_y0 or y' >= y - pad_y1.
  wire plane_pad = (c_zi < {8'd0, c_pz0}) | ({1'b0, c_zi} + {9'd0, c_pz1} >= {1'b0, c_z});
  wire row_pad   = plane_pad | (c_yi < {8'd0, c_py0}) |
                   ({1'b0, c_yi} + {9'd0, c_py1} >= {1'b0, c_y});
  wire last_y    = (c_yi == c_y - 16'd1);
  wire last_row  = last_y & (c_zi == c_z - 16'd1);

  wire rq_full;
  wire sq_full;
  wire need_read = ~c_store & ~row_pad;
  assign rreq_valid_o = gen & need_read & ~rq_full;
  assign wreq_valid_o = gen & c_store & ~rq_full & ~sq_full;
  wire g_fire = gen & ~rq_full &
                (c_store ? (~sq_full & wreq_ready_i) : (row_pad | rreq_ready_i));
  assign rreq_addr_o  = c_row;
  assign rreq_bytes_o = {{(LBW-16){1'b0}}, c_x} << c_es;
  assign wreq_addr_o  = c_row;
  assign wreq_bytes_o = {{(LBW-16){1'b0}}, c_x} << c_dc;
  assign req_glob_o   = c_glob;

  // The generator's state after this row.
  wire [31:0] plane_next = (last_y & ~plane_pad) ? c_plane + c_zdb : c_plane;
  wire [31:0] row_next   = last_y ? plane_next : (row_pad ? c_row : c_row + c_ydb);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      g_valid_q    <= 1'b0;
      pending_q    <= 16'd0;
      have_last_q  <= 1'b0;
      last_store_q <= 1'b0;
      last_glob_q  <= 1'b0;
    end else begin
      g_valid_q <= gen & ~(g_fire & last_row);
      pending_q <= pending_q + {15'd0, start} - {15'd0, done_q};
      if (start) begin
        have_last_q  <= 1'b1;
        last_store_q <= h_store_q;
        last_glob_q  <= h_glob_q;
      end
    end
    if (gen) begin
      g_store_q <= c_store;
      g_glob_q  <= c_glob;
      g_mem_q   <= c_mem;
      g_fmt_q   <= c_fmt;
      g_x_q     <= c_x;
      g_y_q     <= c_y;
      g_z_q     <= c_z;
      g_ydb_q   <= c_ydb;
      g_ys_q    <= c_ys;
      g_zdb_q   <= c_zdb;
      g_py0_q   <= c_py0;
      g_py1_q   <= c_py1;
      g_pz0_q   <= c_pz0;
      g_pz1_q   <= c_pz1;
      g_es_q    <= c_es;
      g_dc_q    <= c_dc;
      g_epb_q   <= c_epb;
      g_zi_q    <= (g_fire & last_y) ? c_zi + 16'd1 : c_zi;
      g_yi_q    <= g_fire ? (last_y ? 16'd0 : c_yi + 16'd1) : c_yi;
      g_row_q   <= g_fire ? row_next : c_row;
      g_plane_q <= g_fire ? plane_next : c_plane;
      g_spad_q  <= g_fire ? c_spad + {8'd0, c_ys} : c_spad;
      g_first_q <= g_fire ? 1'b0 : c_first;
    end
  end

  // ---------------------------------------------------------------- row queue
  localparam [15:0] GLAT16 = GLAT[15:0];
  wire [31:0]    g_tready = now_q + {16'd0, c_glob ? GLAT16 : lat_i};
  wire [RDW-1:0] rq_in = {c_store, row_pad, c_mem, c_fmt, c_first, last_row, c_spad, c_x,
                          g_tready, c_es, c_dc, c_epb, c_glob};
  wire [RDW-1:0] rq_head;
  wire           rq_empty;
  wire           rq_pop;
  wire [$clog2(ROWQ):0] unused_rq_count;
  fast_dma_fifo #(
    .WIDTH (RDW),
    .DEPTH (ROWQ)
  ) u_rowq (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .push_i  (g_fire),
    .data_i  (rq_in),
    .pop_i   (rq_pop),
    .data_o  (rq_head),
    .empty_o (rq_empty),
    .full_o  (rq_full),
    .count_o (unused_rq_count)
  );

  // ---------------------------------------------------------------- store reader
  wire [SDW-1:0] sq_head;
  wire           sq_empty;
  wire           sq_pop;
  wire [$clog2(ROWQ):0] unused_sq_count;
  fast_dma_fifo #(
    .WIDTH (SDW),
    .DEPTH (ROWQ)
  ) u_storeq (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .push_i  (g_fire & c_store),
    .data_i  ({c_mem, c_spad, c_x, c_epb}),
    .pop_i   (sq_pop),
    .data_o  (sq_head),
    .empty_o (sq_empty),
    .full_o  (sq_full),
    .count_o (unused_sq_count)
  );

  // The row in hand: the rest of the row being read, or the next row in the queue (so
  // a row's first read goes out the cycle after the generator queued it).
  reg        r_valid_q;
  reg [1:0]  r_mem_q;
  reg [31:0] r_addr_q;
  reg [15:0] r_left_q;
  reg [3:0]  r_epb_q;
  reg        r_inflight_q;  // a read was issued last cycle: its data are on spad_rdata_i

  wire [1:0]  q_mem;
  wire [31:0] q_addr;
  wire [15:0] q_left;
  wire [3:0]  q_epb;
  assign {q_mem, q_addr, q_left, q_epb} = sq_head;
  wire [1:0]  r_mem  = r_valid_q ? r_mem_q : q_mem;
  wire [31:0] r_addr = r_valid_q ? r_addr_q : q_addr;
  wire [15:0] r_left = r_valid_q ? r_left_q : q_left;
  wire [3:0]  r_epb  = r_valid_q ? r_epb_q : q_epb;

  wire [2:0]     sf_count;
  wire           sf_empty;
  wire           sf_full;
  wire [8*SRW-1:0] sf_head;
  wire           s_pop;     // the mover sends the oldest store beat this cycle
  wire [15:0] r_per  = 16'd1 << r_epb;
  wire        r_last = (r_left <= r_per);
  wire        r_fire = (r_valid_q | ~sq_empty) &
                       (({1'b0, sf_count} + {3'd0, r_inflight_q}) < 4'd4);
  assign sq_pop = ~r_valid_q & r_fire;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      r_valid_q    <= 1'b0;
      r_inflight_q <= 1'b0;
    end else begin
      r_inflight_q <= r_fire;
      if (r_fire) r_valid_q <= ~r_last;
    end
    if (r_fire) begin
      r_mem_q  <= r_mem;
      r_addr_q <= r_addr + {16'd0, r_per};
      r_left_q <= r_left - r_per;
      r_epb_q  <= r_epb;
    end
  end
  assign spad_re_o    = r_fire;
  assign spad_rmem_o  = r_mem;
  assign spad_raddr_o = r_addr;

  // Store data: the queue falls through, so a beat read in cycle t may go out in t + 1.
  fast_dma_fifo #(
    .WIDTH (8 * SRW),
    .DEPTH (4)
  ) u_storedata (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .push_i  (r_inflight_q & ~(sf_empty & s_pop)),
    .data_i  (spad_rdata_i),
    .pop_i   (s_pop & ~sf_empty),
    .data_o  (sf_head),
    .empty_o (sf_empty),
    .full_o  (sf_full),
    .count_o (sf_count)
  );
  wire unused_sf_full = sf_full;
  wire           s_avail = ~sf_empty | r_inflight_q;
  wire [8*SRW-1:0] s_data = sf_empty ? spad_rdata_i : sf_head;

  // ---------------------------------------------------------------- mover
  reg        m_valid_q;
  reg        m_store_q;
  reg        m_pad_q;
  reg [1:0]  m_mem_q;
  reg [1:0]  m_fmt_q;
  reg        m_first_q;
  reg        m_last_q;
  reg [31:0] m_addr_q;
  reg [15:0] m_left_q;
  reg [31:0] m_tready_q;
  reg [1:0]  m_es_q;
  reg [1:0]  m_dc_q;
  reg [3:0]  m_epb_q;
  reg        m_glob_q;
  reg        m_started_q;   // the command's pacing has begun
  reg signed [PCW-1:0] m_credit_q;  // bytes * 256 the pacer still allows

  wire [15:0] m_per   = 16'd1 << m_epb_q;
  wire        m_lastb = (m_left_q <= m_per);             // this beat ends the row
  wire [15:0] m_n     = m_lastb ? m_left_q : m_per;      // elements in this beat
  wire [15:0] m_bytes = m_n << m_dc_q;                   // external bytes in this beat
  wire [15:0] m_sbytes = m_n << m_es_q;                  // scratchpad bytes in this beat
  wire signed [PCW-1:0] m_need = {{(PCW-24){1'b0}}, m_bytes, 8'd0};

  wire m_data  = m_store_q ? s_avail : (m_pad_q | rdata_valid_i);
  // The row may start once now_q has reached its t_ready (modulo 2^32).
  wire [31:0] m_wait = now_q - m_tready_q;
  wire m_gate  = ~m_wait[31];
  wire [30:0] unused_wait = m_wait[30:0];
  // The pacing of a command begins when its first row may start, whether or not its data
  // are there yet: the data need only be there when the pacer allows each beat.
  wire m_start = m_valid_q & m_first_q & ~m_started_q & m_gate;
  wire m_active = m_valid_q & (m_started_q | m_start);
  wire signed [PCW-1:0] m_base  = m_start ? {PCW{1'b0}} : m_credit_q;
  wire signed [PCW-1:0] m_avail = m_base + {{(PCW-24){1'b0}}, m_glob_q ? gbw_i : bw_i};
  wire m_allow = m_active & (m_avail >= m_need);
  wire m_issue = m_allow & m_data & (~m_store_q | wdata_ready_i);
  wire m_row_end = m_issue & m_lastb;

  assign rq_pop = ~rq_empty & (~m_valid_q | m_row_end);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      m_valid_q    <= 1'b0;
      m_started_q  <= 1'b0;
      done_q       <= 1'b0;
      done_store_q <= 1'b0;
    end else begin
      if (rq_pop)         m_valid_q <= 1'b1;
      else if (m_row_end) m_valid_q <= 1'b0;
      if (m_row_end & m_last_q) m_started_q <= 1'b0;
      else if (m_start)         m_started_q <= 1'b1;
      done_q       <= m_row_end & m_last_q;
      done_store_q <= m_store_q;
    end
    if (m_active) m_credit_q <= m_avail - (m_issue ? m_need : {PCW{1'b0}});
    if (rq_pop) begin
      {m_store_q, m_pad_q, m_mem_q, m_fmt_q, m_first_q, m_last_q, m_addr_q, m_left_q,
       m_tready_q, m_es_q, m_dc_q, m_epb_q, m_glob_q} <= rq_head;
    end else if (m_issue) begin
      m_addr_q <= m_addr_q + {16'd0, m_n};
      m_left_q <= m_left_q - m_n;
    end
  end

  assign mov_glob_o   = m_glob_q;
  assign done_o       = done_q;
  assign done_store_o = done_q & done_store_q;

  // Loads: one beat of read data (or zeros) into the scratchpad.
  assign rdata_ready_o = m_valid_q & ~m_store_q & ~m_pad_q & m_allow;
  assign spad_we_o     = m_issue & ~m_store_q;
  assign spad_wmem_o   = m_mem_q;
  assign spad_waddr_o  = m_addr_q;
  assign spad_wdata_o  = m_pad_q ? {(8*W){1'b0}} : rdata_i;

  // Stores: one beat of scratchpad elements, in the external format.
  assign wdata_valid_o = m_valid_q & m_store_q & m_allow & s_avail;
  assign s_pop         = m_issue & m_store_q;
  wire m_hi = (m_mem_q == 2'd2) & (m_fmt_q == 2'd2);    // the upper half of a word
  wire [1:0] m_kmask = (m_dc_q == 2'd0) ? 2'd0 : (m_dc_q == 2'd1) ? 2'd1 : 2'd3;

  genvar b;
  generate
    for (b = 0; b < W; b = b + 1) begin : g_byte
      // External byte b is byte k = b mod 2^dc of element b / 2^dc: scratchpad byte src.
      // A half of an accumulator word is its upper half; bytes past an element are zero.
      wire [1:0]      k = b[1:0] & m_kmask;
      wire [LOGW+2:0] src = (({3'b000, b[LOGW-1:0]} >> m_dc_q) << m_es_q) +
                            {{(LOGW+1){1'b0}}, k} + {{(LOGW+1){1'b0}}, m_hi, 1'b0};
      wire beyond = (m_es_q == 2'd0) ? (k != 2'd0) : (m_es_q == 2'd1) ? k[1] : 1'b0;
      wire [31:0] src32 = {{(29-LOGW){1'b0}}, src};
      assign wdata_o[8*b +: 8] = (beyond | (src32 >= SRW)) ? 8'd0 :
                                 s_data[8*src32[LOGS-1:0] +: 8];
      assign wdata_strb_o[b] = (m_bytes > b[15:0]);
      assign spad_wmask_o[b] = (m_sbytes > b[15:0]);
    end
  endgenerate

  // ---------------------------------------------------------------- write responses
  reg [15:0] w_out_q;  // write requests not yet answered
  assign wresp_ready_o = 1'b1;
  wire w_req = wreq_valid_o & wreq_ready_i;
  always @(posedge clk_i) begin
    if (!rst_ni) w_out_q <= 16'd0;
    else         w_out_q <= w_out_q + {15'd0, w_req} - {15'd0, wresp_valid_i} -
                            {15'd0, gwresp_valid_i};
  end
  assign idle_o = ~h_valid_q & (pending_q == 16'd0) & (w_out_q == 16'd0);

endmodule

`default_nettype wire
