// fast_sram_2r1w: the memory wrapper of the design: DEPTH words of WIDTH bits, one write
// port and two synchronous read ports. A read returns, in the next cycle, the word as it was
// before a write to the same address in the same cycle (read-first). Every on-chip memory
// is an instance of a fast_sram_* module, so that synthesis keeps it as a memory (priced by
// the SRAM model, docs/cost.md) and a foundry macro can replace it.
`default_nettype none

module fast_sram_2r1w #(
  parameter integer WIDTH = 32,          // bits per word
  parameter integer DEPTH = 16,          // words, at least 2
  parameter integer AW    = $clog2(DEPTH)  // address bits; derived, do not override
) (
  input  wire             clk_i,
  input  wire             we_i,
  input  wire [AW-1:0]    waddr_i,
  input  wire [WIDTH-1:0] wdata_i,
  input  wire             re_a_i,
  input  wire [AW-1:0]    raddr_a_i,
  output wire [WIDTH-1:0] rdata_a_o,
  input  wire             re_b_i,
  input  wire [AW-1:0]    raddr_b_i,
  output wire [WIDTH-1:0] rdata_b_o
);
  reg [WIDTH-1:0] mem_q [0:DEPTH-1];
  reg [WIDTH-1:0] rdata_a_q;
  reg [WIDTH-1:0] rdata_b_q;

  always @(posedge clk_i) begin
    if (we_i)   mem_q[waddr_i] <= wdata_i;
    if (re_a_i) rdata_a_q <= mem_q[raddr_a_i];
    if (re_b_i) rdata_b_q <= mem_q[raddr_b_i];
  end

  assign rdata_a_o = rdata_a_q;
  assign rdata_b_o = rdata_b_q;
endmodule

`default_nettype wire
