// fast_dma_fifo: a first-in first-out queue of DEPTH entries of WIDTH bits in registers,
// for the small queues inside fast_dma (row descriptors, store data). The head is on
// data_o whenever empty_o is low (no read latency). push_i is ignored when full_o is high
// and pop_i when empty_o is high; a push and a pop may happen in the same cycle.
// The entries are separate registers, not an array, so synthesis keeps them as flip-flops
// rather than inferring a memory (they are too small to be worth a macro).
`default_nettype none

module fast_dma_fifo #(
  parameter integer WIDTH = 8,  // bits per entry
  parameter integer DEPTH = 4,  // entries, a power of two, at least 2
  parameter integer CW    = $clog2(DEPTH) + 1  // count bits; derived, do not override
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  input  wire             push_i,
  input  wire [WIDTH-1:0] data_i,
  input  wire             pop_i,
  output wire [WIDTH-1:0] data_o,
  output wire             empty_o,
  output wire             full_o,
  output wire [CW-1:0]    count_o
);
  localparam integer PW = $clog2(DEPTH);  // pointer bits

  wire [WIDTH*DEPTH-1:0] entries;  // entry e in bits [e*WIDTH +: WIDTH]
  reg [PW-1:0]          rptr_q;
  reg [PW-1:0]          wptr_q;
  reg [CW-1:0]          count_q;

  wire do_push = push_i & ~full_o;
  wire do_pop  = pop_i & ~empty_o;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      rptr_q  <= {PW{1'b0}};
      wptr_q  <= {PW{1'b0}};
      count_q <= {CW{1'b0}};
    end else begin
      if (do_push) wptr_q <= wptr_q + 1'b1;
      if (do_pop)  rptr_q <= rptr_q + 1'b1;
      if (do_push & ~do_pop)      count_q <= count_q + 1'b1;
      else if (do_pop & ~do_push) count_q <= count_q - 1'b1;
    end
  end

  // One register per entry, written when the write pointer names it.
  genvar e;
  generate
    for (e = 0; e < DEPTH; e = e + 1) begin : g_entry
      reg [WIDTH-1:0] entry_q;
      always @(posedge clk_i) begin
        if (do_push && wptr_q == e[PW-1:0]) entry_q <= data_i;
      end
      assign entries[e*WIDTH +: WIDTH] = entry_q;
    end
  endgenerate

  assign data_o  = entries[rptr_q*WIDTH +: WIDTH];
  assign empty_o = (count_q == {CW{1'b0}});
  assign full_o  = count_q[CW-1];
  assign count_o = count_q;
endmodule

`default_nettype wire
