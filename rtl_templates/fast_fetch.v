// fast_fetch: the controller's front end (docs/rtl.md 10). From the cycle of start_i it reads the
// program from the instruction memory, one 256-bit instruction per cycle (synchronous
// read: the word read in cycle t is on imem_data_i in cycle t + 1), and hands each
// instruction in order to the dispatch port; the array controller it names takes it
// (disp_ready_i) when the queue it goes to has room. At END it stops: ended_o rises and
// stays high until reset. pc_o is the index of the instruction at the head (the next one
// to dispatch; END's index once ended). Instructions are read ahead of dispatch, so the
// memory may be read up to two words past END; those words are never dispatched.
`default_nettype none

module fast_fetch (
  input  wire         clk_i,
  input  wire         rst_ni,
  input  wire         start_i,
  output wire         ended_o,
  output wire [31:0]  pc_o,
  output wire         imem_re_o,
  output wire [31:0]  imem_addr_o,
  input  wire [255:0] imem_data_i,
  output wire         disp_valid_o,
  output wire [255:0] disp_insn_o,
  input  wire         disp_ready_i
);
  localparam [3:0] OP_END = 4'd5;

  reg         run_q;     // started and END not reached
  reg         ended_q;
  reg [31:0]  raddr_q;   // next instruction to read
  reg [31:0]  pc_q;      // index of the head instruction
  reg         arrive_q;  // imem_data_i holds the instruction read last cycle
  reg         head_q;    // head_insn_q holds the head instruction
  reg [255:0] head_insn_q;

  wire         valid   = head_q | arrive_q;
  wire [255:0] insn    = head_q ? head_insn_q : imem_data_i;
  wire         is_end  = (insn[3:0] == OP_END);
  wire         do_disp = valid & ~is_end & disp_ready_i;
  wire         keep    = valid & ~do_disp;
  wire         go      = start_i & ~run_q & ~ended_q;  // the first read is in this cycle
  wire         do_read = (run_q | go) & ~keep;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      run_q    <= 1'b0;
      ended_q  <= 1'b0;
      raddr_q  <= 32'd0;
      pc_q     <= 32'd0;
      arrive_q <= 1'b0;
      head_q   <= 1'b0;
    end else begin
      if (go) run_q <= 1'b1;
      if (valid & is_end) begin
        run_q   <= 1'b0;
        ended_q <= 1'b1;
      end
      if (do_read) raddr_q <= raddr_q + 32'd1;
      if (do_disp) pc_q <= pc_q + 32'd1;
      arrive_q <= do_read;
      head_q   <= keep;
    end
    if (keep) head_insn_q <= insn;
  end

  assign ended_o      = ended_q;
  assign pc_o         = pc_q;
  assign imem_re_o    = do_read;
  assign imem_addr_o  = raddr_q;
  assign disp_valid_o = valid & ~is_end;
  assign disp_insn_o  = insn;
endmodule

`default_nettype wire
