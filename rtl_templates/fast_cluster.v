// fast_cluster: one core of the accelerator (docs/rtl.md 10): COUNT tiles (fast_tile, one
// per array, each with its queues, DMA, scratchpads and array) and the core's vector unit,
// which a tile borrows for a whole VECTOR instruction. The vector unit goes to the lowest-
// numbered tile asking while it is free (the choice is combinational, so a lone request
// costs no cycle) and stays with it until it stops asking. The tiles' DMA ports come out
// side by side (tile t in slice t) for the chip's external-memory arbiter, and their
// global-memory ports likewise for the global memory's.
`default_nettype none

module fast_cluster #(
  parameter integer COUNT     = 1,     // arrays in the core
  parameter integer BASE      = 0,     // the chip-wide index of tile 0 (core * COUNT)
  parameter integer ROWS      = 8,
  parameter integer COLS      = 8,
  parameter integer DTYPE     = 0,
  parameter integer OS        = 0,     // 1: output-stationary arrays
  parameter integer LANES     = 8,
  parameter integer ACC_DEPTH = 64,
  parameter integer ACC_BANKS = 1,
  parameter integer INP_DEPTH = 1024,
  parameter integer INP_BANKS = 8,
  parameter integer IPORT     = 8,
  parameter integer WGT_DEPTH = 1024,
  parameter integer WGT_BANKS = 8,
  parameter integer WPORT     = 8,
  parameter integer W         = 8,
  parameter integer GLOBAL    = 0,
  parameter integer ROWQ      = 32,
  parameter integer QDEPTH    = 16,
  parameter integer CQ        = 64,
  parameter integer TW        = (COUNT > 1) ? $clog2(COUNT) : 1  // tile-index bits; derived
) (
  input  wire                 clk_i,
  input  wire                 rst_ni,
  input  wire [15:0]          lat_i,
  input  wire [23:0]          bw_i,
  input  wire [23:0]          gbw_i,
  // dispatch: an instruction for one of this core's arrays (array field BASE .. BASE+COUNT-1)
  input  wire                 disp_valid_i,
  input  wire [255:0]         disp_insn_i,
  output wire                 disp_ready_o,
  output wire                 idle_o,
  // the tiles' DMA ports
  output wire [COUNT-1:0]     rreq_valid_o,
  input  wire [COUNT-1:0]     rreq_ready_i,
  output wire [COUNT*32-1:0]  rreq_addr_o,
  output wire [COUNT*18-1:0]  rreq_bytes_o,
  input  wire [COUNT-1:0]     rdata_valid_i,
  output wire [COUNT-1:0]     rdata_ready_o,
  input  wire [8*W-1:0]       rdata_i,
  output wire [COUNT-1:0]     wreq_valid_o,
  input  wire [COUNT-1:0]     wreq_ready_i,
  output wire [COUNT*32-1:0]  wreq_addr_o,
  output wire [COUNT*18-1:0]  wreq_bytes_o,
  output wire [COUNT-1:0]     wdata_valid_o,
  input  wire [COUNT-1:0]     wdata_ready_i,
  output wire [COUNT*8*W-1:0] wdata_o,
  output wire [COUNT*W-1:0]   wdata_strb_o,
  input  wire [COUNT-1:0]     wresp_valid_i,
  output wire [COUNT-1:0]     wresp_ready_o,
  // the tiles' global-memory ports (addresses, sizes and write data are the DMA ports')
  output wire [COUNT-1:0]     g_rreq_valid_o,
  input  wire [COUNT-1:0]     g_rreq_ready_i,
  input  wire [COUNT-1:0]     g_rdata_valid_i,
  output wire [COUNT-1:0]     g_rdata_ready_o,
  input  wire [8*W-1:0]       g_rdata_i,
  output wire [COUNT-1:0]     g_wreq_valid_o,
  input  wire [COUNT-1:0]     g_wreq_ready_i,
  output wire [COUNT-1:0]     g_wdata_valid_o,
  input  wire [COUNT-1:0]     g_wdata_ready_i,
  input  wire [COUNT-1:0]     g_wresp_valid_i,
  output wire [COUNT-1:0]     g_wresp_ready_o
);
  wire [9:0]  d_array = disp_insn_i[17:8];
  wire [COUNT-1:0] t_ready;
  wire [COUNT-1:0] t_idle;
  wire [COUNT-1:0] vreq;
  wire [COUNT-1:0] vgnt;
  wire [COUNT-1:0] t_vvalid;
  wire [COUNT*5-1:0]        t_vop;
  wire [COUNT*LANES*32-1:0] t_va;
  wire [COUNT*LANES*32-1:0] t_vb;
  wire [COUNT*LANES*32-1:0] t_vc;
  wire [COUNT*32-1:0]       t_vzp;
  wire [COUNT*6-1:0]        t_vshift;
  wire [COUNT*32-1:0]       t_vlo;
  wire [COUNT*32-1:0]       t_vhi;
  wire [LANES*32-1:0]       v_y;

  // The tile an instruction names: array - BASE.
  wire [9:0]    d_local = d_array - BASE[9:0];
  wire [TW-1:0] d_tile  = d_local[TW-1:0];
  assign disp_ready_o = t_ready[d_tile];

  // ---------------------------------------------------------------- vector-unit arbiter
  reg           own_q;
  reg [TW-1:0]  owner_q;
  reg [TW:0]    first;   // {found, lowest requesting tile}
  integer k;
  always @(*) begin
    first = {1'b0, {TW{1'b0}}};
    for (k = COUNT - 1; k >= 0; k = k - 1)
      if (vreq[k]) first = {1'b1, k[TW-1:0]};
  end
  wire [TW-1:0] g = own_q ? owner_q : first[TW-1:0];
  wire          g_any = own_q | first[TW];
  always @(posedge clk_i) begin
    if (!rst_ni) begin
      own_q   <= 1'b0;
      owner_q <= {TW{1'b0}};
    end else if (own_q) begin
      if (!vreq[owner_q]) own_q <= 1'b0;
    end else if (first[TW]) begin
      own_q   <= 1'b1;
      owner_q <= first[TW-1:0];
    end
  end

  genvar t;
  generate
    for (t = 0; t < COUNT; t = t + 1) begin : g_tile
      assign vgnt[t] = g_any & (g == t);
      fast_tile #(
        .ROWS (ROWS), .COLS (COLS), .DTYPE (DTYPE), .OS (OS), .LANES (LANES),
        .ACC_DEPTH (ACC_DEPTH), .ACC_BANKS (ACC_BANKS),
        .INP_DEPTH (INP_DEPTH), .INP_BANKS (INP_BANKS), .IPORT (IPORT),
        .WGT_DEPTH (WGT_DEPTH), .WGT_BANKS (WGT_BANKS), .WPORT (WPORT),
        .W (W), .GLOBAL (GLOBAL), .ROWQ (ROWQ), .QDEPTH (QDEPTH), .CQ (CQ)
      ) u_tile (
        .clk_i (clk_i), .rst_ni (rst_ni), .lat_i (lat_i), .bw_i (bw_i), .gbw_i (gbw_i),
        .disp_valid_i (disp_valid_i & (d_tile == t)), .disp_insn_i (disp_insn_i),
        .disp_ready_o (t_ready[t]), .idle_o (t_idle[t]),
        .vreq_o (vreq[t]), .vgnt_i (vgnt[t]), .v_valid_o (t_vvalid[t]),
        .v_op_o (t_vop[t*5 +: 5]), .v_a_o (t_va[t*LANES*32 +: LANES*32]),
        .v_b_o (t_vb[t*LANES*32 +: LANES*32]), .v_c_o (t_vc[t*LANES*32 +: LANES*32]),
        .v_zp_o (t_vzp[t*32 +: 32]), .v_shift_o (t_vshift[t*6 +: 6]),
        .v_lo_o (t_vlo[t*32 +: 32]), .v_hi_o (t_vhi[t*32 +: 32]), .v_y_i (v_y),
        .rreq_valid_o (rreq_valid_o[t]), .rreq_ready_i (rreq_ready_i[t]),
        .rreq_addr_o (rreq_addr_o[t*32 +: 32]), .rreq_bytes_o (rreq_bytes_o[t*18 +: 18]),
        .rdata_valid_i (rdata_valid_i[t]), .rdata_ready_o (rdata_ready_o[t]),
        .rdata_i (rdata_i),
        .wreq_valid_o (wreq_valid_o[t]), .wreq_ready_i (wreq_ready_i[t]),
        .wreq_addr_o (wreq_addr_o[t*32 +: 32]), .wreq_bytes_o (wreq_bytes_o[t*18 +: 18]),
        .wdata_valid_o (wdata_valid_o[t]), .wdata_ready_i (wdata_ready_i[t]),
        .wdata_o (wdata_o[t*8*W +: 8*W]), .wdata_strb_o (wdata_strb_o[t*W +: W]),
        .wresp_valid_i (wresp_valid_i[t]), .wresp_ready_o (wresp_ready_o[t]),
        .g_rreq_valid_o (g_rreq_valid_o[t]), .g_rreq_ready_i (g_rreq_ready_i[t]),
        .g_rdata_valid_i (g_rdata_valid_i[t]), .g_rdata_ready_o (g_rdata_ready_o[t]),
        .g_rdata_i (g_rdata_i),
        .g_wreq_valid_o (g_wreq_valid_o[t]), .g_wreq_ready_i (g_wreq_ready_i[t]),
        .g_wdata_valid_o (g_wdata_valid_o[t]), .g_wdata_ready_i (g_wdata_ready_i[t]),
        .g_wresp_valid_i (g_wresp_valid_i[t]), .g_wresp_ready_o (g_wresp_ready_o[t]));
    end
  endgenerate

  // ---------------------------------------------------------------- the vector unit
  wire unused_vvalid;
  wire unused_rvalid;
  wire [LANES*32-1:0] unused_r;
  wire [LANES*32-1:0] unused_r2;
  fast_vector_unit #(.LANES (LANES), .FP (DTYPE)) u_vector (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .valid_i (g_any & t_vvalid[g]), .op_i (t_vop[g*5 +: 5]), .red_i (2'd0),
    .first_i (1'b0), .last_i (1'b0),
    .a_i (t_va[g*LANES*32 +: LANES*32]), .b_i (t_vb[g*LANES*32 +: LANES*32]),
    .c_i (t_vc[g*LANES*32 +: LANES*32]), .zp_i (t_vzp[g*32 +: 32]),
    .shift_i (t_vshift[g*6 +: 6]), .lo_i (t_vlo[g*32 +: 32]), .hi_i (t_vhi[g*32 +: 32]),
    .valid_o (unused_vvalid), .y_o (v_y), .rvalid_o (unused_rvalid), .r_o (unused_r),
    .r2_o (unused_r2));

  assign idle_o = &t_idle;
  wire unused_array = ^d_local;
endmodule

`default_nettype wire
