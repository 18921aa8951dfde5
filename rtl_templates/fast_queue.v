// fast_queue: a first-in first-out queue of DEPTH + 1 entries of WIDTH bits whose storage is
// one fast_sram_2r1w (so synthesis counts it as a memory), for the controller's instruction
// queues (docs/rtl.md 10). The head shows on data_o whenever valid_o is high, with no read
// latency: one entry waits in the memory's read register or in a head register, and the
// memory is read ahead as soon as the head will be free. An entry pushed into an empty
// queue goes straight to the head register (valid the next cycle). push_i is ignored when
// full_o is high, pop_i when valid_o is low; both may happen in one cycle, and a queue
// popped every cycle delivers one entry per cycle.
`default_nettype none

module fast_queue #(
  parameter integer WIDTH = 256,  // bits per entry
  parameter integer DEPTH = 16,   // entries in the memory, a power of two, at least 2
  parameter integer CW    = $clog2(DEPTH) + 1  // count bits; derived, do not override
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  input  wire             push_i,
  input  wire [WIDTH-1:0] data_i,
  output wire             full_o,
  input  wire             pop_i,
  output wire             valid_o,
  output wire [WIDTH-1:0] data_o,
  output wire             empty_o   // nothing queued (no head, nothing in the memory)
);
  localparam integer PW = $clog2(DEPTH);

  reg [PW-1:0]    wptr_q;
  reg [PW-1:0]    rptr_q;
  reg [CW-1:0]    count_q;   // entries in the memory not yet read
  reg             arrive_q;  // the memory's read data hold an entry this cycle
  reg             head_q;    // head_data_q holds an entry
  reg [WIDTH-1:0] head_data_q;
  wire [WIDTH-1:0] rdata;
  wire [WIDTH-1:0] unused_rdata_b;  // the memory's second read port is not used

  wire do_push = push_i & ~full_o;
  wire do_pop  = pop_i & valid_o;
  // The head slot is taken by the head register or by arriving read data (never both).
  wire keep    = valid_o & ~do_pop;         // the head stays for the next cycle
  wire do_read = (count_q != {CW{1'b0}}) & ~keep;
  // Nothing in the memory and the head slot free next cycle: the entry becomes the head.
  wire bypass  = do_push & (count_q == {CW{1'b0}}) & ~keep;
  wire do_mpush = do_push & ~bypass;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      wptr_q   <= {PW{1'b0}};
      rptr_q   <= {PW{1'b0}};
      count_q  <= {CW{1'b0}};
      arrive_q <= 1'b0;
      head_q   <= 1'b0;
    end else begin
      if (do_mpush) wptr_q <= wptr_q + 1'b1;
      if (do_read)  rptr_q <= rptr_q + 1'b1;
      if (do_mpush & ~do_read)      count_q <= count_q + 1'b1;
      else if (do_read & ~do_mpush) count_q <= count_q - 1'b1;
      arrive_q <= do_read;
      head_q   <= keep | bypass;
    end
    if (keep)        head_data_q <= data_o;
    else if (bypass) head_data_q <= data_i;
  end

  fast_sram_2r1w #(
    .WIDTH (WIDTH),
    .DEPTH (DEPTH)
  ) u_mem (
    .clk_i     (clk_i),
    .we_i      (do_mpush),
    .waddr_i   (wptr_q),
    .wdata_i   (data_i),
    .re_a_i    (do_read),
    .raddr_a_i (rptr_q),
    .rdata_a_o (rdata),
    .re_b_i    (1'b0),
    .raddr_b_i ({PW{1'b0}}),
    .rdata_b_o (unused_rdata_b)
  );

  assign full_o  = count_q[CW-1];
  assign valid_o = head_q | arrive_q;
  assign data_o  = head_q ? head_data_q : rdata;
  assign empty_o = ~valid_o & (count_q == {CW{1'b0}});
endmodule

`default_nettype wire
