// fast_gmem: the global memory shared by every core (docs/rtl.md 10.5). BYTES bytes in
// W byte-wide banks (fast_scratchpad with PORT = BANKS = W: any W consecutive bytes, at any
// alignment, in one access). It serves the chip's global-memory arbiter with fast_dma's
// protocol (docs/rtl.md 9.2), addresses taken modulo BYTES (bit 31, which selects the
// global memory, falls away):
// - reads: requests queue (Q of them) and run one at a time; their beats leave one per
//   cycle, back to back across requests, the first two cycles after the request is
//   accepted when the queue was empty (beat k holds bytes addr + kW ..), and wait while
//   the data are not taken;
// - writes: requests queue ahead of their data (Q of them) and run one at a time, the
//   head starting the cycle after it arrives or after the one before ends; each data beat
//   writes its strobed bytes (a run from lane 0) at the request's next address in the
//   cycle it is taken, and the request is answered (wresp) the cycle after its last beat,
//   so a read requested after that beat sees it;
// - a host port loads and reads the memory while no command runs: a host write takes the
//   write port (the data side waits), a host read uses the second read port and returns
//   its W bytes the next cycle.
`default_nettype none

module fast_gmem #(
  parameter integer W     = 8,     // bytes per beat, a power of two
  parameter integer BYTES = 1024,  // bytes in all: a power of two, at least 2 W
  parameter integer Q     = 16,    // read and write requests queued (each), a power of two >= 2
  parameter integer AW    = $clog2(BYTES)  // byte-address bits; derived, do not override
) (
  input  wire           clk_i,
  input  wire           rst_ni,
  input  wire           rreq_valid_i,
  output wire           rreq_ready_o,
  input  wire [31:0]    rreq_addr_i,
  input  wire [17:0]    rreq_bytes_i,
  output wire           rdata_valid_o,
  input  wire           rdata_ready_i,
  output wire [8*W-1:0] rdata_o,
  input  wire           wreq_valid_i,
  output wire           wreq_ready_o,
  input  wire [31:0]    wreq_addr_i,
  input  wire [17:0]    wreq_bytes_i,
  input  wire           wdata_valid_i,
  output wire           wdata_ready_o,
  input  wire [8*W-1:0] wdata_i,
  input  wire [W-1:0]   wdata_strb_i,
  output wire           wresp_valid_o,
  input  wire           wresp_ready_i,
  // host port
  input  wire           host_we_i,
  input  wire [31:0]    host_waddr_i,
  input  wire [W-1:0]   host_wmask_i,
  input  wire [8*W-1:0] host_wdata_i,
  input  wire           host_re_i,
  input  wire [31:0]    host_raddr_i,
  output wire [8*W-1:0] host_rdata_o
);
  localparam [18:0] W19 = W[18:0];
  localparam [31:0] W32 = W;

  // ---------------------------------------------------------------- reads
  // Read requests queue (Q of them); the running request is the head itself until its
  // first beat is read, then registers, so a request read from the queue's head gives its
  // first beat two cycles after it arrived, and the next one follows its predecessor's
  // last beat without a gap. The memory's output register holds a beat until it is taken.
  wire         rq_empty;
  wire         rq_full;
  wire [49:0]  rq_head;     // addr, bytes
  wire [$clog2(Q):0] unused_rq_count;
  reg          r_busy_q;    // a request has beats left to read after its first
  reg [AW-1:0] r_addr_q;
  reg [18:0]   r_left_q;    // bytes left to read
  reg          o_valid_q;   // the memory's output holds a beat not yet taken
  wire [AW-1:0] r_addr = r_busy_q ? r_addr_q : rq_head[18+AW-1:18];
  wire [18:0]  r_left = r_busy_q ? r_left_q : {1'b0, rq_head[17:0]};
  wire         r_go   = (r_busy_q | ~rq_empty) & (~o_valid_q | rdata_ready_i);
  wire         r_last = r_left <= W19;
  assign rreq_ready_o = ~rq_full;

  fast_dma_fifo #(.WIDTH (50), .DEPTH (Q)) u_rq (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .push_i (rreq_valid_i), .data_i ({rreq_addr_i, rreq_bytes_i}),
    .pop_i (r_go & ~r_busy_q), .data_o (rq_head), .empty_o (rq_empty), .full_o (rq_full),
    .count_o (unused_rq_count));

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      r_busy_q  <= 1'b0;
      o_valid_q <= 1'b0;
    end else begin
      if (r_go)                 r_busy_q <= ~r_last;
      if (r_go)                 o_valid_q <= 1'b1;
      else if (rdata_ready_i)   o_valid_q <= 1'b0;
    end
    if (r_go) begin
      r_addr_q <= r_addr + W32[AW-1:0];
      r_left_q <= r_left - W19;
    end
  end
  assign rdata_valid_o = o_valid_q;

  // ---------------------------------------------------------------- writes
  // Write requests queue (Q of them) ahead of their data; the head becomes the running
  // request the cycle after it arrives, or the cycle after the one before ends.
  wire         wq_empty;
  wire         wq_full;
  wire [49:0]  wq_head;     // addr, bytes
  wire [$clog2(Q):0] unused_wq_count;
  reg          w_busy_q;    // a request has bytes left to write
  reg [AW-1:0] w_addr_q;
  reg [18:0]   w_left_q;
  reg          b_valid_q;   // a write response waits
  // The bytes of a beat: its strobes, a run from lane 0.
  reg [18:0]   w_n;
  integer b;
  always @(*) begin
    w_n = 19'd0;
    for (b = 0; b < W; b = b + 1)
      if (wdata_strb_i[b]) w_n = b[18:0] + 19'd1;
  end
  wire [31:0]  w_n32 = {13'd0, w_n};
  // A beat is taken when no host write holds the port and its response can be given.
  assign wdata_ready_o = w_busy_q & ~host_we_i & (~b_valid_q | wresp_ready_i);
  wire         w_beat = wdata_valid_i & wdata_ready_o;
  wire         w_last = w_n >= w_left_q;
  wire         w_next = ~wq_empty & (~w_busy_q | (w_beat & w_last));
  assign wreq_ready_o = ~wq_full;

  fast_dma_fifo #(.WIDTH (50), .DEPTH (Q)) u_wq (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .push_i (wreq_valid_i), .data_i ({wreq_addr_i, wreq_bytes_i}),
    .pop_i (w_next), .data_o (wq_head), .empty_o (wq_empty), .full_o (wq_full),
    .count_o (unused_wq_count));

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      w_busy_q  <= 1'b0;
      b_valid_q <= 1'b0;
    end else begin
      if (w_next)               w_busy_q <= 1'b1;
      else if (w_beat & w_last) w_busy_q <= 1'b0;
      if (w_beat & w_last)      b_valid_q <= 1'b1;
      else if (wresp_ready_i)   b_valid_q <= 1'b0;
    end
    if (w_next) begin
      w_addr_q <= wq_head[18+AW-1:18];
      w_left_q <= {1'b0, wq_head[17:0]};
    end else if (w_beat) begin
      w_addr_q <= w_addr_q + w_n32[AW-1:0];
      w_left_q <= w_left_q - w_n;
    end
  end
  assign wresp_valid_o = b_valid_q;

  // ---------------------------------------------------------------- the memory
  fast_scratchpad #(.EW (8), .DEPTH (BYTES), .BANKS (W), .PORT (W)) u_mem (
    .clk_i     (clk_i),
    .we_i      (host_we_i | w_beat),
    .waddr_i   (host_we_i ? host_waddr_i[AW-1:0] : w_addr_q),
    .wmask_i   (host_we_i ? host_wmask_i : wdata_strb_i),
    .wdata_i   (host_we_i ? host_wdata_i : wdata_i),
    .re_a_i    (r_go),
    .raddr_a_i (r_addr),
    .rdata_a_o (rdata_o),
    .re_b_i    (host_re_i),
    .raddr_b_i (host_raddr_i[AW-1:0]),
    .rdata_b_o (host_rdata_o));

  wire unused_addr = ^{rq_head[49:18+AW], wq_head[49:18+AW], host_waddr_i[31:AW],
                       host_raddr_i[31:AW], w_n32[31:AW]};
endmodule

`default_nettype wire
