// fast_ext_arbiter: N DMA ports onto the one external-memory port (docs/rtl.md 10.4). Both
// sides speak fast_dma's protocol (docs/rtl.md 9.2) with W-byte beats.
// - Requests: read requests are granted round robin (the port after the last one granted
//   goes first); the choice is combinational, so a single requester passes with no added
//   cycle. A write request is taken at once into its port's queue (PQ deep) and forwarded
//   round robin from there, while the port has fewer than FWD requests forwarded whose data
//   have not all gone: a DMA sends its requests up to its row look-ahead before their data,
//   and the memory takes the data in request order, so forwarding them all would make
//   every other port's data wait behind rows that this port sends at its own pace.
// - Read data come back in request order: a queue of (port, beats) per accepted read request
//   routes each beat to its port (a read request of b bytes has ceil(b / W) beats). Write
//   data go out in request order: a queue of (port, bytes) per accepted write request takes
//   beats from that port until their strobes add up to the request's bytes (a STORE of
//   bytes or halves from the accumulator sends partial beats). Write responses are routed
//   by a queue of ports, in request order.
// - When a queue is full, requests of that kind wait.
`default_nettype none

module fast_ext_arbiter #(
  parameter integer N  = 2,    // DMA ports, at least 1
  parameter integer W  = 8,    // bytes per beat, a power of two
  parameter integer AQ = 64,   // accepted read (and write) requests tracked, a power of two >= 2
  parameter integer PQ = 32,   // write requests each port may hold, a power of two >= 2
  parameter integer NW = (N > 1) ? $clog2(N) : 1  // port-index bits; derived
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  // the DMA side, port i in slice i
  input  wire [N-1:0]     s_rreq_valid_i,
  output wire [N-1:0]     s_rreq_ready_o,
  input  wire [N*32-1:0]  s_rreq_addr_i,
  input  wire [N*18-1:0]  s_rreq_bytes_i,
  output wire [N-1:0]     s_rdata_valid_o,
  input  wire [N-1:0]     s_rdata_ready_i,
  output wire [8*W-1:0]   s_rdata_o,
  input  wire [N-1:0]     s_wreq_valid_i,
  output wire [N-1:0]     s_wreq_ready_o,
  input  wire [N*32-1:0]  s_wreq_addr_i,
  input  wire [N*18-1:0]  s_wreq_bytes_i,
  input  wire [N-1:0]     s_wdata_valid_i,
  output wire [N-1:0]     s_wdata_ready_o,
  input  wire [N*8*W-1:0] s_wdata_i,
  input  wire [N*W-1:0]   s_wdata_strb_i,
  output wire [N-1:0]     s_wresp_valid_o,
  input  wire [N-1:0]     s_wresp_ready_i,
  // the memory side
  output wire             rreq_valid_o,
  input  wire             rreq_ready_i,
  output wire [31:0]      rreq_addr_o,
  output wire [17:0]      rreq_bytes_o,
  input  wire             rdata_valid_i,
  output wire             rdata_ready_o,
  input  wire [8*W-1:0]   rdata_i,
  output wire             wreq_valid_o,
  input  wire             wreq_ready_i,
  output wire [31:0]      wreq_addr_o,
  output wire [17:0]      wreq_bytes_o,
  output wire             wdata_valid_o,
  input  wire             wdata_ready_i,
  output wire [8*W-1:0]   wdata_o,
  output wire [W-1:0]     wdata_strb_o,
  input  wire             wresp_valid_i,
  output wire             wresp_ready_o
);
  localparam integer LOGW = $clog2(W);
  localparam integer BW   = 19 - LOGW;   // bits of a beat count
  localparam integer QW   = NW + BW;     // read queue entry: port, beats
  localparam integer WQW  = NW + 18;     // write queue entry: port, bytes
  localparam integer AQC  = $clog2(AQ) + 1;
  localparam integer NM1 = N - 1;
  localparam [NW-1:0] LASTP = NM1[NW-1:0];  // so that port 0 goes first after reset

  // Round-robin choice among the valid ports, starting after the last grant.
  function [NW:0] pick;   // {found, port}
    input [N-1:0]  valid;
    input [NW-1:0] last;
    integer k;
    reg [NW:0] c;
    begin
      pick = {1'b0, {NW{1'b0}}};
      for (k = N; k >= 1; k = k - 1) begin
        c = {1'b0, last} + k[NW:0];
        if (c >= N[NW:0]) c = c - N[NW:0];
        if (valid[c[NW-1:0]]) pick = {1'b1, c[NW-1:0]};
      end
    end
  endfunction

  reg  [NW-1:0] rlast_q;
  wire [NW:0]   rp = pick(s_rreq_valid_i, rlast_q);
  wire [NW-1:0] ri = rp[NW-1:0];
  // Write requests forwarded per port whose data have not all gone: at most FWD = 3, the
  // row sending, the one the memory holds next, and one more, so that a memory that takes
  // its next request in the cycle after a row's last beat (fast_gmem) always has one.
  localparam integer FWD = 3;
  localparam [2:0]   FWD_3 = FWD[2:0];
  wire [N-1:0]    w_cand;
  localparam integer PQW = 32 + 18;  // a held write request: {addr, bytes}
  wire [N*PQW-1:0] pq_head;    // each port's oldest held request
  reg  [NW-1:0] wlast_q;
  wire [NW:0]   wp = pick(w_cand, wlast_q);
  wire [NW-1:0] wi = wp[NW-1:0];

  // Beats of a request: ceil(bytes / W).
  localparam [18:0] WM1 = W[18:0] - 19'd1;
  wire [17:0] r_bytes = s_rreq_bytes_i[ri*18 +: 18];
  wire [17:0] w_bytes = pq_head[wi*PQW +: 18];
  wire [18:0] r_sum   = {1'b0, r_bytes} + WM1;
  wire [BW-1:0] r_beats = r_sum[18:LOGW];
  wire unused_sums = ^{r_sum[LOGW-1:0], 1'b0};

  // ---------------------------------------------------------------- reads
  wire          rq_full;
  wire          rq_empty;
  wire [QW-1:0] rq_head;
  wire [AQC-1:0] unused_rq_count;
  wire          r_acc = rp[NW] & ~rq_full & rreq_ready_i;
  reg  [BW-1:0] rgot_q;   // beats of the head request delivered
  wire [NW-1:0] rh = rq_head[QW-1 -: NW];
  wire          rbeat = rdata_valid_i & ~rq_empty & s_rdata_ready_i[rh];
  wire          rlast = rbeat & (rgot_q + 1'b1 == rq_head[BW-1:0]);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      rlast_q <= LASTP;
      rgot_q  <= {BW{1'b0}};
    end else begin
      if (r_acc) rlast_q <= ri;
      if (rlast)      rgot_q <= {BW{1'b0}};
      else if (rbeat) rgot_q <= rgot_q + 1'b1;
    end
  end
  fast_dma_fifo #(.WIDTH(QW), .DEPTH(AQ)) u_rq (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .push_i (r_acc), .data_i ({ri, r_beats}),
    .pop_i (rlast), .data_o (rq_head), .empty_o (rq_empty), .full_o (rq_full),
    .count_o (unused_rq_count));

  assign rreq_valid_o  = rp[NW] & ~rq_full;
  assign rreq_addr_o   = s_rreq_addr_i[ri*32 +: 32];
  assign rreq_bytes_o  = s_rreq_bytes_i[ri*18 +: 18];
  assign rdata_ready_o = ~rq_empty & s_rdata_ready_i[rh];
  assign s_rdata_o     = rdata_i;

  // ---------------------------------------------------------------- writes
  wire          wq_full;
  wire          wq_empty;
  wire [WQW-1:0] wq_head;
  wire          bq_full;
  wire          bq_empty;
  wire [NW-1:0] bq_head;
  wire [AQC-1:0] unused_wq_count;
  wire [AQC-1:0] unused_bq_count;
  wire          w_acc = wp[NW] & ~wq_full & ~bq_full & wreq_ready_i;
  reg  [17:0]   wgot_q;   // bytes of the head request sent
  wire [NW-1:0] wh = wq_head[WQW-1 -: NW];
  wire          wbeat = ~wq_empty & s_wdata_valid_i[wh] & wdata_ready_i;
  // The bytes of a beat: its strobes, a run from lane 0.
  wire [W-1:0]  wstrb = s_wdata_strb_i[wh*W +: W];
  reg  [17:0]   wcount;
  integer b;
  always @(*) begin
    wcount = 18'd0;
    for (b = 0; b < W; b = b + 1)
      if (wstrb[b]) wcount = b[17:0] + 18'd1;
  end
  wire [17:0]   wsum  = wgot_q + wcount;
  wire          wlast = wbeat & (wsum >= wq_head[17:0]);
  wire          bresp = wresp_valid_i & ~bq_empty & s_wresp_ready_i[bq_head];

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      wlast_q <= LASTP;
      wgot_q  <= 18'd0;
    end else begin
      if (w_acc) wlast_q <= wi;
      if (wlast)      wgot_q <= 18'd0;
      else if (wbeat) wgot_q <= wsum;
    end
  end
  fast_dma_fifo #(.WIDTH(WQW), .DEPTH(AQ)) u_wq (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .push_i (w_acc), .data_i ({wi, w_bytes}),
    .pop_i (wlast), .data_o (wq_head), .empty_o (wq_empty), .full_o (wq_full),
    .count_o (unused_wq_count));
  fast_dma_fifo #(.WIDTH(NW), .DEPTH(AQ)) u_bq (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .push_i (w_acc), .data_i (wi),
    .pop_i (bresp), .data_o (bq_head), .empty_o (bq_empty), .full_o (bq_full),
    .count_o (unused_bq_count));

  assign wreq_valid_o  = wp[NW] & ~wq_full & ~bq_full;
  assign wreq_addr_o   = pq_head[wi*PQW + 18 +: 32];
  assign wreq_bytes_o  = w_bytes;
  assign wdata_valid_o = ~wq_empty & s_wdata_valid_i[wh];
  assign wdata_o       = s_wdata_i[wh*8*W +: 8*W];
  assign wdata_strb_o  = s_wdata_strb_i[wh*W +: W];
  assign wresp_ready_o = ~bq_empty & s_wresp_ready_i[bq_head];

  genvar i;
  generate
    for (i = 0; i < N; i = i + 1) begin : g_port
      assign s_rreq_ready_o[i]  = r_acc & (ri == i);
      assign s_rdata_valid_o[i] = rdata_valid_i & ~rq_empty & (rh == i);
      // The port's held write requests, and how many it has forwarded.
      wire        pq_full;
      wire        pq_empty;
      wire [$clog2(PQ):0] unused_pq_count;
      fast_dma_fifo #(.WIDTH(PQW), .DEPTH(PQ)) u_pq (
        .clk_i (clk_i), .rst_ni (rst_ni),
        .push_i (s_wreq_valid_i[i] & ~pq_full),
        .data_i ({s_wreq_addr_i[i*32 +: 32], s_wreq_bytes_i[i*18 +: 18]}),
        .pop_i (w_acc & (wi == i)), .data_o (pq_head[i*PQW +: PQW]), .empty_o (pq_empty),
        .full_o (pq_full), .count_o (unused_pq_count));
      reg [2:0] fwd_q;
      wire      fwd_up = w_acc & (wi == i);
      wire      fwd_dn = wlast & (wh == i);
      always @(posedge clk_i) begin
        if (!rst_ni)               fwd_q <= 3'd0;
        else if (fwd_up & ~fwd_dn) fwd_q <= fwd_q + 3'd1;
        else if (fwd_dn & ~fwd_up) fwd_q <= fwd_q - 3'd1;
      end
      assign w_cand[i]          = ~pq_empty & (fwd_q < FWD_3);
      assign s_wreq_ready_o[i]  = ~pq_full;
      assign s_wdata_ready_o[i] = wdata_ready_i & ~wq_empty & (wh == i);
      assign s_wresp_valid_o[i] = wresp_valid_i & ~bq_empty & (bq_head == i);
    end
  endgenerate
endmodule

`default_nettype wire
