// fast_tile: everything of one array (docs/isa.md 1, docs/rtl.md 10): its
// three instruction queues, the four token counters between them, the load and store units,
// the DMA engine they share, the input and weight scratchpads (its share of the core's), the
// array with its accumulator, and the compute unit (fast_compute). The core's vector unit is
// outside; the compute unit borrows it for a VECTOR.
// - Dispatch: the fetcher offers each instruction naming this array; it goes to the load
//   queue (LOAD into inp or wgt), the compute queue (MATMUL, VECTOR, LOAD into acc) or the
//   store queue (STORE), a SYNC to the queue it names; disp_ready_o is low while that queue
//   is full.
// - The load and store units start their queue's head once its tokens are there and hand
//   LOAD and STORE to the DMA (the load unit first when both are ready); their pushes are
//   given when the DMA reports the command done (in command order). A SYNC waits until the
//   unit's commands are all done.
// - The accumulator is two halves, each its own memories; the array, the vector engine and
//   a STORE's reads may each work in one half at a time. A STORE from the accumulator does
//   not start while the vector engine works in a half it reads, and a VECTOR does not start
//   while such a STORE runs in its halves (fast_compute keeps the array and the vector
//   engine apart).
// - Accumulator addresses are words; row r holds words r * P .. r * P + C - 1, P the
//   smallest power of two >= C. The DMA reads a STORE's beat from one row, up to
//   min(W, P) words at a time, so a STORE of bytes (requantized int8) fills its beats. LOAD into acc is
//   not implemented: the DMA's writes to it are dropped (the compiler emits none).
`default_nettype none

module fast_tile #(
  parameter integer ROWS      = 8,
  parameter integer COLS      = 8,
  parameter integer DTYPE     = 0,     // 0 int8, 1 bf16
  parameter integer OS        = 0,     // 1: output-stationary array
  parameter integer LANES     = 8,     // the core's vector lanes
  parameter integer ACC_DEPTH = 64,    // accumulator rows: two halves of a multiple of ACC_BANKS,
                                       // >= 2 per bank
  parameter integer ACC_BANKS = 1,     // a power of two
  parameter integer INP_DEPTH = 1024,  // input-scratchpad elements, a multiple of INP_BANKS
  parameter integer INP_BANKS = 8,     // a power of two, >= IPORT
  parameter integer IPORT     = 8,     // elements per access: a power of two >= ROWS and >= W / E
  parameter integer WGT_DEPTH = 1024,
  parameter integer WGT_BANKS = 8,
  parameter integer WPORT     = 8,     // a power of two >= COLS and >= W / E
  parameter integer W         = 8,     // external bytes per beat, a power of two 4..1024
  parameter integer GLOBAL    = 0,     // 1: the chip has a global memory (addresses with bit 31)
  parameter integer ROWQ      = 32,    // DMA row look-ahead, a power of two >= L
  parameter integer QDEPTH    = 16,    // instruction-queue entries (each), a power of two
  parameter integer CQ        = 64,    // DMA commands in flight at most, a power of two
  parameter integer EW        = (DTYPE == 0) ? 8 : 16,                       // derived
  parameter integer IAW       = $clog2(INP_DEPTH),                           // derived
  parameter integer WAW       = $clog2(WGT_DEPTH),                           // derived
  parameter integer AAW       = $clog2(ACC_DEPTH),                           // derived
  parameter integer LOGP      = (COLS > 1) ? $clog2(COLS) : 0,               // derived
  parameter integer HALF      = ACC_DEPTH / 2,                               // derived
  parameter integer HAW       = $clog2(HALF),                                // derived
  parameter integer RW        = (ROWS > 1) ? $clog2(ROWS) : 1                // derived
) (
  input  wire                clk_i,
  input  wire                rst_ni,
  input  wire [15:0]         lat_i,
  input  wire [23:0]         bw_i,
  input  wire [23:0]         gbw_i,    // the DMA's pace on the global memory
  // dispatch
  input  wire                disp_valid_i,
  input  wire [255:0]        disp_insn_i,
  output wire                disp_ready_o,
  output wire                idle_o,
  // the core's vector unit
  output wire                vreq_o,
  input  wire                vgnt_i,
  output wire                v_valid_o,
  output wire [4:0]          v_op_o,
  output wire [LANES*32-1:0] v_a_o,
  output wire [LANES*32-1:0] v_b_o,
  output wire [LANES*32-1:0] v_c_o,
  output wire [31:0]         v_zp_o,
  output wire [5:0]          v_shift_o,
  output wire [31:0]         v_lo_o,
  output wire [31:0]         v_hi_o,
  input  wire [LANES*32-1:0] v_y_i,
  // external memory (fast_dma's port)
  output wire                rreq_valid_o,
  input  wire                rreq_ready_i,
  output wire [31:0]         rreq_addr_o,
  output wire [17:0]         rreq_bytes_o,
  input  wire                rdata_valid_i,
  output wire                rdata_ready_o,
  input  wire [8*W-1:0]      rdata_i,
  output wire                wreq_valid_o,
  input  wire                wreq_ready_i,
  output wire [31:0]         wreq_addr_o,
  output wire [17:0]         wreq_bytes_o,
  output wire                wdata_valid_o,
  input  wire                wdata_ready_i,
  output wire [8*W-1:0]      wdata_o,
  output wire [W-1:0]        wdata_strb_o,
  input  wire                wresp_valid_i,
  output wire                wresp_ready_o,
  // global memory (the same protocol; tied off when GLOBAL = 0)
  output wire                g_rreq_valid_o,
  input  wire                g_rreq_ready_i,
  input  wire                g_rdata_valid_i,
  output wire                g_rdata_ready_o,
  input  wire [8*W-1:0]      g_rdata_i,
  output wire                g_wreq_valid_o,
  input  wire                g_wreq_ready_i,
  output wire                g_wdata_valid_o,
  input  wire                g_wdata_ready_i,
  input  wire                g_wresp_valid_i,
  output wire                g_wresp_ready_o
);
  localparam [3:0] OP_LOAD = 4'd0, OP_STORE = 4'd1, OP_SYNC = 4'd4;
  localparam integer E  = EW / 8;
  localparam integer PA  = 1 << LOGP;             // P, the accumulator row pitch
  localparam integer NW  = (W < PA) ? W : PA;     // accumulator words per DMA read
  // Bytes of a DMA scratchpad read: W of inp or wgt, or NW accumulator words (a row
  // holds at most C <= P words, so a STORE of bytes or halves still fills its beats).
  localparam integer SRW = (4 * NW > W) ? 4 * NW : W;
  localparam integer PW = (LOGP > 0) ? LOGP : 1;
  localparam [AAW-1:0] HALF_A = HALF[AAW-1:0];

  // ---------------------------------------------------------------- dispatch and queues
  wire [3:0] d_op  = disp_insn_i[3:0];
  wire [1:0] d_mem = disp_insn_i[19:18];
  // 0 load, 1 compute, 2 store
  wire [1:0] d_q = (d_op == OP_LOAD)  ? ((d_mem == 2'd2) ? 2'd1 : 2'd0) :
                   (d_op == OP_STORE) ? 2'd2 :
                   (d_op == OP_SYNC)  ? d_mem : 2'd1;
  wire [2:0] q_full;
  wire [2:0] q_valid;
  wire [2:0] q_empty;
  wire [2:0] q_pop;
  wire [255:0] lq_insn;
  wire [255:0] cq_insn;
  wire [255:0] sq_insn;
  assign disp_ready_o = ~q_full[d_q];

  fast_queue #(.WIDTH(256), .DEPTH(QDEPTH)) u_lq (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .push_i (disp_valid_i & (d_q == 2'd0)), .data_i (disp_insn_i), .full_o (q_full[0]),
    .pop_i (q_pop[0]), .valid_o (q_valid[0]), .data_o (lq_insn), .empty_o (q_empty[0]));
  fast_queue #(.WIDTH(256), .DEPTH(QDEPTH)) u_cq (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .push_i (disp_valid_i & (d_q == 2'd1)), .data_i (disp_insn_i), .full_o (q_full[1]),
    .pop_i (q_pop[1]), .valid_o (q_valid[1]), .data_o (cq_insn), .empty_o (q_empty[1]));
  fast_queue #(.WIDTH(256), .DEPTH(QDEPTH)) u_sq (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .push_i (disp_valid_i & (d_q == 2'd2)), .data_i (disp_insn_i), .full_o (q_full[2]),
    .pop_i (q_pop[2]), .valid_o (q_valid[2]), .data_o (sq_insn), .empty_o (q_empty[2]));

  // ---------------------------------------------------------------- tokens
  reg [15:0] l2c_q;
  reg [15:0] c2l_q;
  reg [15:0] c2s_q;
  reg [15:0] s2c_q;
  wire take_l2c;
  wire take_s2c;
  wire give_c2l;
  wire give_c2s;
  wire give_l2c;
  wire give_s2c;
  wire take_c2l;
  wire take_c2s;
  always @(posedge clk_i) begin
    if (!rst_ni) begin
      l2c_q <= 16'd0;
      c2l_q <= 16'd0;
      c2s_q <= 16'd0;
      s2c_q <= 16'd0;
    end else begin
      l2c_q <= l2c_q + {15'd0, give_l2c} - {15'd0, take_l2c};
      c2l_q <= c2l_q + {15'd0, give_c2l} - {15'd0, take_c2l};
      c2s_q <= c2s_q + {15'd0, give_c2s} - {15'd0, take_c2s};
      s2c_q <= s2c_q + {15'd0, give_s2c} - {15'd0, take_s2c};
    end
  end

  // ---------------------------------------------------------------- load and store units
  wire cq_full;
  wire cq_empty;
  wire [3:0] cq_head;   // {store, push, halves read} of the oldest command in flight
  wire dma_ready;
  wire dma_done;
  wire dma_idle;
  reg [15:0] l_out_q;   // commands of the load unit in flight
  reg [15:0] s_out_q;
  reg [15:0] acc0_q;    // STOREs from the accumulator in flight, reading half 0
  reg [15:0] acc1_q;    // ... reading half 1
  wire [1:0] vec_mask;  // accumulator halves the vector engine works in

  wire l_op_load = lq_insn[3:0] == OP_LOAD;
  wire l_op_sync = lq_insn[3:0] == OP_SYNC;
  wire l_tok     = ~lq_insn[5] | (c2l_q != 16'd0);
  wire l_want    = q_valid[0] & l_op_load & l_tok & ~cq_full;
  wire l_sync    = q_valid[0] & l_op_sync & l_tok & (l_out_q == 16'd0);

  wire s_op_store = sq_insn[3:0] == OP_STORE;
  wire s_op_sync  = sq_insn[3:0] == OP_SYNC;
  wire s_tok      = ~sq_insn[4] | (c2s_q != 16'd0);
  wire s_acc      = sq_insn[19:18] == 2'd2;
  // The accumulator halves a STORE reads: those of its first and last rows.
  wire [31:0] s_spad  = sq_insn[86:55];
  wire [55:0] s_span  = {40'd0, sq_insn[118:103] - 16'd1} * {32'd0, sq_insn[166:143]};
  wire [31:0] s_lastw = s_spad + s_span[31:0];
  wire        s_h0    = (s_spad[LOGP +: AAW] >= HALF_A);
  wire        s_h1    = (s_lastw[LOGP +: AAW] >= HALF_A);
  wire [1:0]  s_mask  = s_acc ? ({s_h0 | s_h1, ~s_h0 | ~s_h1}) : 2'b00;
  wire unused_span = ^{s_span[55:32], s_spad, s_lastw};
  wire s_want     = q_valid[2] & s_op_store & s_tok & ~cq_full & ((s_mask & vec_mask) == 2'b00);
  wire s_sync     = q_valid[2] & s_op_sync & s_tok & (s_out_q == 16'd0);

  wire sel_load = l_want;
  wire issue    = (l_want | s_want) & dma_ready;
  wire l_issue  = issue & sel_load;
  wire s_issue  = issue & ~sel_load;

  assign q_pop[0] = l_issue | l_sync;
  assign q_pop[2] = s_issue | s_sync;
  assign take_c2l = q_pop[0] & lq_insn[5];
  assign take_c2s = q_pop[2] & sq_insn[4];
  wire done_load  = dma_done & ~cq_head[3];
  wire done_store = dma_done & cq_head[3];
  assign give_l2c = (done_load & cq_head[2]) | (l_sync & lq_insn[7]);
  assign give_s2c = (done_store & cq_head[2]) | (s_sync & sq_insn[6]);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      l_out_q   <= 16'd0;
      s_out_q   <= 16'd0;
      acc0_q    <= 16'd0;
      acc1_q    <= 16'd0;
    end else begin
      l_out_q   <= l_out_q + {15'd0, l_issue} - {15'd0, done_load};
      s_out_q   <= s_out_q + {15'd0, s_issue} - {15'd0, done_store};
      acc0_q    <= acc0_q + {15'd0, s_issue & s_mask[0]} - {15'd0, dma_done & cq_head[0]};
      acc1_q    <= acc1_q + {15'd0, s_issue & s_mask[1]} - {15'd0, dma_done & cq_head[1]};
    end
  end

  wire [CQ == 1 ? 1 : $clog2(CQ):0] unused_cq_count;
  fast_dma_fifo #(.WIDTH(4), .DEPTH(CQ)) u_cmdq (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .push_i (issue),
    .data_i (sel_load ? {1'b0, lq_insn[7], 2'b00} : {1'b1, sq_insn[6], s_mask}),
    .pop_i (dma_done), .data_o (cq_head), .empty_o (cq_empty), .full_o (cq_full),
    .count_o (unused_cq_count));

  // The command: LOAD fields from the load queue's head, STORE fields from the store queue's.
  wire [255:0] ci = sel_load ? lq_insn : sq_insn;
  wire         c_store = ~sel_load;

  // ---------------------------------------------------------------- DMA
  wire           spad_we;
  wire [1:0]     spad_wmem;
  wire [31:0]    spad_waddr;
  wire [W-1:0]   spad_wmask;
  wire [8*W-1:0] spad_wdata;
  wire           spad_re;
  wire [1:0]     spad_rmem;
  wire [31:0]    spad_raddr;
  wire [8*SRW-1:0] spad_rdata;
  wire           unused_done_store;

  // The DMA's port, split by memory: a request goes to the memory its command addresses
  // (req_glob), a data beat to or from the memory of the row the mover is on (mov_glob).
  // Addresses, sizes and write data go to both; only the valid and ready bits are steered.
  wire d_rreq_valid, d_rreq_ready, d_rdata_valid, d_rdata_ready;
  wire d_wreq_valid, d_wreq_ready, d_wdata_valid, d_wdata_ready;
  wire [8*W-1:0] d_rdata;
  wire req_glob, mov_glob;
  assign rreq_valid_o    = d_rreq_valid & ~req_glob;
  assign g_rreq_valid_o  = d_rreq_valid & req_glob;
  assign d_rreq_ready    = req_glob ? g_rreq_ready_i : rreq_ready_i;
  assign d_rdata_valid   = mov_glob ? g_rdata_valid_i : rdata_valid_i;
  assign d_rdata         = mov_glob ? g_rdata_i : rdata_i;
  assign rdata_ready_o   = d_rdata_ready & ~mov_glob;
  assign g_rdata_ready_o = d_rdata_ready & mov_glob;
  assign wreq_valid_o    = d_wreq_valid & ~req_glob;
  assign g_wreq_valid_o  = d_wreq_valid & req_glob;
  assign d_wreq_ready    = req_glob ? g_wreq_ready_i : wreq_ready_i;
  assign wdata_valid_o   = d_wdata_valid & ~mov_glob;
  assign g_wdata_valid_o = d_wdata_valid & mov_glob;
  assign d_wdata_ready   = mov_glob ? g_wdata_ready_i : wdata_ready_i;
  assign g_wresp_ready_o = 1'b1;

  fast_dma #(.E(E), .W(W), .ROWQ(ROWQ), .SRW(SRW), .GLOBAL(GLOBAL)) u_dma (
    .clk_i (clk_i), .rst_ni (rst_ni), .lat_i (lat_i), .bw_i (bw_i), .gbw_i (gbw_i),
    .cmd_valid_i     (l_want | s_want),
    .cmd_ready_o     (dma_ready),
    .cmd_store_i     (c_store),
    .cmd_mem_i       (ci[19:18]),
    .cmd_cont_i      (ci[20]),
    .cmd_fmt_i       (c_store ? ci[22:21] : 2'd0),
    .cmd_dram_i      (c_store ? ci[54:23] : ci[52:21]),
    .cmd_spad_i      (c_store ? ci[86:55] : ci[84:53]),
    .cmd_x_i         (c_store ? ci[102:87] : ci[100:85]),
    .cmd_y_i         (c_store ? ci[118:103] : ci[116:101]),
    .cmd_z_i         (ci[132:117]),
    .cmd_y_dstride_i (c_store ? ci[142:119] : ci[156:133]),
    .cmd_y_sstride_i (c_store ? ci[166:143] : ci[180:157]),
    .cmd_z_dstride_i (ci[212:181]),
    .cmd_pad_y0_i    (ci[220:213]),
    .cmd_pad_y1_i    (ci[228:221]),
    .cmd_pad_z0_i    (ci[236:229]),
    .cmd_pad_z1_i    (ci[244:237]),
    .done_o          (dma_done),
    .done_store_o    (unused_done_store),
    .idle_o          (dma_idle),
    .req_glob_o (req_glob), .mov_glob_o (mov_glob), .gwresp_valid_i (g_wresp_valid_i),
    .rreq_valid_o (d_rreq_valid), .rreq_ready_i (d_rreq_ready), .rreq_addr_o (rreq_addr_o),
    .rreq_bytes_o (rreq_bytes_o), .rdata_valid_i (d_rdata_valid), .rdata_ready_o (d_rdata_ready),
    .rdata_i (d_rdata),
    .wreq_valid_o (d_wreq_valid), .wreq_ready_i (d_wreq_ready), .wreq_addr_o (wreq_addr_o),
    .wreq_bytes_o (wreq_bytes_o), .wdata_valid_o (d_wdata_valid), .wdata_ready_i (d_wdata_ready),
    .wdata_o (wdata_o), .wdata_strb_o (wdata_strb_o), .wresp_valid_i (wresp_valid_i),
    .wresp_ready_o (wresp_ready_o),
    .spad_we_o (spad_we), .spad_wmem_o (spad_wmem), .spad_waddr_o (spad_waddr),
    .spad_wmask_o (spad_wmask), .spad_wdata_o (spad_wdata),
    .spad_re_o (spad_re), .spad_rmem_o (spad_rmem), .spad_raddr_o (spad_raddr),
    .spad_rdata_i (spad_rdata));

  // ---------------------------------------------------------------- scratchpads
  // A DMA beat is W bytes = W / E elements, lane j from byte j * E; its mask marks bytes.
  wire [IPORT-1:0]    i_wmask;
  wire [WPORT-1:0]    w_wmask;
  genvar j;
  generate
    for (j = 0; j < IPORT; j = j + 1) begin : g_imask
      if (j < W / E) begin : g_on
        assign i_wmask[j] = spad_wmask[j*E];
      end else begin : g_off
        assign i_wmask[j] = 1'b0;
      end
    end
    for (j = 0; j < WPORT; j = j + 1) begin : g_wmask
      if (j < W / E) begin : g_on
        assign w_wmask[j] = spad_wmask[j*E];
      end else begin : g_off
        assign w_wmask[j] = 1'b0;
      end
    end
  endgenerate
  wire unused_wmask = ^spad_wmask;
  wire [IPORT*EW-1:0] i_wdata = {{(IPORT*EW-8*W){1'b0}}, spad_wdata} ;
  wire [WPORT*EW-1:0] w_wdata = {{(WPORT*EW-8*W){1'b0}}, spad_wdata};
  wire [IPORT*EW-1:0] i_rdata_a;
  wire [WPORT*EW-1:0] w_rdata_a;
  wire                c_inp_re;
  wire [IAW-1:0]      c_inp_addr;
  wire [IPORT*EW-1:0] c_inp_data;
  wire                c_wgt_re;
  wire [WAW-1:0]      c_wgt_addr;
  wire [WPORT*EW-1:0] c_wgt_data;

  fast_scratchpad #(.EW(EW), .DEPTH(INP_DEPTH), .BANKS(INP_BANKS), .PORT(IPORT)) u_inp (
    .clk_i (clk_i),
    .we_i (spad_we & (spad_wmem == 2'd0)), .waddr_i (spad_waddr[IAW-1:0]),
    .wmask_i (i_wmask), .wdata_i (i_wdata),
    .re_a_i (spad_re & (spad_rmem == 2'd0)), .raddr_a_i (spad_raddr[IAW-1:0]),
    .rdata_a_o (i_rdata_a),
    .re_b_i (c_inp_re), .raddr_b_i (c_inp_addr), .rdata_b_o (c_inp_data));
  fast_scratchpad #(.EW(EW), .DEPTH(WGT_DEPTH), .BANKS(WGT_BANKS), .PORT(WPORT)) u_wgt (
    .clk_i (clk_i),
    .we_i (spad_we & (spad_wmem == 2'd1)), .waddr_i (spad_waddr[WAW-1:0]),
    .wmask_i (w_wmask), .wdata_i (w_wdata),
    .re_a_i (spad_re & (spad_rmem == 2'd1)), .raddr_a_i (spad_raddr[WAW-1:0]),
    .rdata_a_o (w_rdata_a),
    .re_b_i (c_wgt_re), .raddr_b_i (c_wgt_addr), .rdata_b_o (c_wgt_data));

  // ---------------------------------------------------------------- array and accumulator
  // The systolic array; its results go to one of the accumulator's two halves (rows below
  // HALF in half 0), each a fast_accumulator of its own memories.
  wire               a_w_we;
  wire [RW-1:0]      a_w_row;
  wire [COLS*EW-1:0] a_w_data;
  wire               a_in_valid;
  wire               a_in_swap;
  wire               a_in_first;
  wire               a_in_last;
  wire [ROWS*EW-1:0] a_in_act;
  wire [AAW-1:0]     a_in_acc_addr;
  wire               a_in_acc_add;
  wire               early_valid;
  wire [AAW-1:0]     e_addr;       // the accumulator row of the result one cycle ahead
  wire               e_add;
  wire               out_valid;
  wire [AAW-1:0]     o_addr;       // the row of the result leaving the array
  wire               o_add;
  wire [COLS*32-1:0] out_psum;
  wire               c_ar_en;
  wire [AAW-1:0]     c_ar_addr;
  wire               c_aw_en;
  wire [AAW-1:0]     c_aw_addr;
  wire [COLS*32-1:0] c_aw_data;

  generate
    if (OS == 0) begin : g_ws
      // Each activation vector names its result's row.
      wire [AAW:0] early_tag;
      wire [AAW:0] out_tag;
      fast_systolic_ws #(.ROWS (ROWS), .COLS (COLS), .DTYPE (DTYPE), .TAG_W (AAW + 1)) u_array (
        .clk_i (clk_i), .rst_ni (rst_ni),
        .w_we_i (a_w_we), .w_row_i (a_w_row), .w_data_i (a_w_data),
        .in_valid_i (a_in_valid), .in_swap_i (a_in_swap), .in_act_i (a_in_act),
        .in_tag_i ({a_in_acc_add, a_in_acc_addr}),
        .early_valid_o (early_valid), .early_tag_o (early_tag),
        .out_valid_o (out_valid), .out_tag_o (out_tag), .out_psum_o (out_psum));
      assign {e_add, e_addr} = early_tag;
      assign {o_add, o_addr} = out_tag;
      wire unused_os = ^{a_in_first, a_in_last};
    end else begin : g_os
      // A tile's last step names the row of its result row 0; row r goes to that row + r.
      wire [AAW:0]  early_tag;
      wire [RW-1:0] early_row;
      wire [AAW:0]  out_tag;
      wire [RW-1:0] out_row;
      fast_systolic_os #(.ROWS (ROWS), .COLS (COLS), .DTYPE (DTYPE), .TAG_W (AAW + 1)) u_array (
        .clk_i (clk_i), .rst_ni (rst_ni),
        .in_valid_i (a_in_valid), .in_first_i (a_in_first), .in_last_i (a_in_last),
        .in_act_i (a_in_act), .in_w_i (a_w_data),
        .in_tag_i ({a_in_acc_add, a_in_acc_addr}),
        .early_valid_o (early_valid), .early_row_o (early_row), .early_tag_o (early_tag),
        .out_valid_o (out_valid), .out_row_o (out_row), .out_tag_o (out_tag),
        .out_acc_o (out_psum));
      // (The generator gives an output-stationary array an accumulator half of >= ROWS rows,
      // so AAW > RW.)
      assign e_addr = early_tag[AAW-1:0] + {{(AAW-RW){1'b0}}, early_row};
      assign o_addr = out_tag[AAW-1:0] + {{(AAW-RW){1'b0}}, out_row};
      assign e_add  = early_tag[AAW];
      assign o_add  = out_tag[AAW];
      wire unused_ws = ^{a_w_we, a_w_row, a_in_swap};
    end
  endgenerate

  // Accumulator reads: the vector engine's and the DMA's (a STORE), each to its half.
  wire           dma_acc_re = spad_re & (spad_rmem == 2'd2);
  wire [AAW-1:0] dma_row    = spad_raddr[LOGP +: AAW];
  wire           v_h   = c_ar_addr >= HALF_A;
  wire           d_h   = dma_row >= HALF_A;
  wire           e_h   = e_addr >= HALF_A;
  wire           o_h   = o_addr >= HALF_A;
  wire           w_h   = c_aw_addr >= HALF_A;
  reg            v_h_q;
  reg            d_h_q;
  always @(posedge clk_i) begin
    if (c_ar_en)    v_h_q <= v_h;
    if (dma_acc_re) d_h_q <= d_h;
  end
  wire [2*COLS*32-1:0] half_rdata;
  genvar h;
  generate
    for (h = 0; h < 2; h = h + 1) begin : g_half
      wire [AAW-1:0] base = (h == 0) ? {AAW{1'b0}} : HALF_A;
      wire           vr   = c_ar_en & (v_h == h);      // the vector engine reads this half
      wire [AAW-1:0] e_a  = e_addr - base;
      wire [AAW-1:0] o_a  = o_addr - base;
      wire [AAW-1:0] w_a  = c_aw_addr - base;
      wire [AAW-1:0] r_a  = (vr ? c_ar_addr : dma_row) - base;
      wire unused_hi = ^{e_a[AAW-1:HAW], o_a[AAW-1:HAW], w_a[AAW-1:HAW], r_a[AAW-1:HAW]};
      fast_accumulator #(.COLS (COLS), .DTYPE (DTYPE), .DEPTH (HALF), .BANKS (ACC_BANKS)) u_acc (
        .clk_i (clk_i), .rst_ni (rst_ni),
        .early_valid_i (early_valid & (e_h == h)), .early_addr_i (e_a[HAW-1:0]),
        .early_add_i (e_add),
        .wr_valid_i (out_valid & (o_h == h)), .wr_addr_i (o_a[HAW-1:0]),
        .wr_add_i (o_add), .data_i (out_psum),
        .vw_en_i (c_aw_en & (w_h == h)), .vw_addr_i (w_a[HAW-1:0]), .vw_data_i (c_aw_data),
        .rd_en_i (vr | (dma_acc_re & (d_h == h))), .rd_addr_i (r_a[HAW-1:0]),
        .rd_data_o (half_rdata[h*COLS*32 +: COLS*32]));
    end
  endgenerate
  wire [COLS*32-1:0] acc_rdata = half_rdata[v_h_q*COLS*32 +: COLS*32];  // the vector's
  wire [COLS*32-1:0] dma_rdata = half_rdata[d_h_q*COLS*32 +: COLS*32];  // the DMA's

  // DMA read data: the memory read last cycle; from the accumulator the row's words from
  // the word the read named.
  reg [1:0]  rmem_q;
  reg [PW-1:0] roff_q;
  always @(posedge clk_i) begin
    if (spad_re) begin
      rmem_q <= spad_rmem;
      roff_q <= (LOGP > 0) ? spad_raddr[PW-1:0] : {PW{1'b0}};
    end
  end
  wire [8*SRW-1:0] acc_words;
  generate
    for (j = 0; j < NW; j = j + 1) begin : g_accw
      wire [31:0] idx = {{(31-PW){1'b0}}, roff_q} + j;
      assign acc_words[j*32 +: 32] = (idx < COLS) ? dma_rdata[idx[PW:0]*32 +: 32] : 32'd0;
    end
    if (SRW > 4 * NW) begin : g_accpad
      localparam [8*SRW-32*NW-1:0] ACC_PAD = 0;
      assign acc_words[8*SRW-1:32*NW] = ACC_PAD;
    end
  endgenerate
  // The DMA's read: W bytes of inp or wgt (zero above), or SRW bytes of accumulator words.
  assign spad_rdata[8*W-1:0] = (rmem_q == 2'd0) ? i_rdata_a[8*W-1:0] :
                               (rmem_q == 2'd1) ? w_rdata_a[8*W-1:0] : acc_words[8*W-1:0];
  generate
    if (SRW > W) begin : g_srd_hi
      localparam [8*SRW-8*W-1:0] HI_ZERO = 0;
      assign spad_rdata[8*SRW-1:8*W] = rmem_q[1] ? acc_words[8*SRW-1:8*W] : HI_ZERO;
    end
  endgenerate
  generate
    if (IPORT * EW > 8 * W) begin : g_iunused
      wire unused_i = ^i_rdata_a[IPORT*EW-1:8*W];
    end
    if (WPORT * EW > 8 * W) begin : g_wunused
      wire unused_w = ^w_rdata_a[WPORT*EW-1:8*W];
    end
  endgenerate

  // ---------------------------------------------------------------- compute unit
  wire c_idle;
  fast_compute #(
    .ROWS (ROWS), .COLS (COLS), .DTYPE (DTYPE), .OS (OS), .LANES (LANES), .IPORT (IPORT),
    .WPORT (WPORT), .IAW (IAW), .WAW (WAW), .AAW (AAW), .LOGP (LOGP), .HALF (HALF)
  ) u_compute (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .q_valid_i (q_valid[1]), .q_insn_i (cq_insn), .q_pop_o (q_pop[1]),
    .l2c_avail_i (l2c_q != 16'd0), .s2c_avail_i (s2c_q != 16'd0),
    .take_l2c_o (take_l2c), .take_s2c_o (take_s2c), .give_c2l_o (give_c2l),
    .give_c2s_o (give_c2s),
    .store_mask_i ({acc1_q != 16'd0, acc0_q != 16'd0}), .vec_mask_o (vec_mask),
    .idle_o (c_idle),
    .inp_re_o (c_inp_re), .inp_addr_o (c_inp_addr), .inp_data_i (c_inp_data),
    .wgt_re_o (c_wgt_re), .wgt_addr_o (c_wgt_addr), .wgt_data_i (c_wgt_data),
    .w_we_o (a_w_we), .w_row_o (a_w_row), .w_data_o (a_w_data),
    .in_valid_o (a_in_valid), .in_swap_o (a_in_swap), .in_first_o (a_in_first),
    .in_last_o (a_in_last), .in_act_o (a_in_act),
    .in_acc_addr_o (a_in_acc_addr), .in_acc_add_o (a_in_acc_add),
    .ar_en_o (c_ar_en), .ar_addr_o (c_ar_addr), .ar_data_i (acc_rdata),
    .aw_en_o (c_aw_en), .aw_addr_o (c_aw_addr), .aw_data_o (c_aw_data),
    .vreq_o (vreq_o), .vgnt_i (vgnt_i), .v_valid_o (v_valid_o), .v_op_o (v_op_o),
    .v_a_o (v_a_o), .v_b_o (v_b_o), .v_c_o (v_c_o), .v_zp_o (v_zp_o), .v_shift_o (v_shift_o),
    .v_lo_o (v_lo_o), .v_hi_o (v_hi_o), .v_y_i (v_y_i));

  // Idle once every command has finished; write responses may still be on their way (the
  // memory makes a write visible to every later read as soon as it has its data).
  assign idle_o = &q_empty & c_idle & cq_empty;
  wire unused_dma_idle = dma_idle;

  // Command bits the DMA does not take (header, reserved) and addresses beyond the memories.
  wire unused_bits = ^{ci[255:245], ci[17:0], spad_waddr, spad_raddr};
endmodule

`default_nettype wire
