// fast_delay: a shift register that delays a bus by DEPTH cycles (DEPTH >= 1).
// Every stage resets to zero, so a delayed valid bit never fires after reset.
`default_nettype none

module fast_delay #(
  parameter integer WIDTH = 1,  // bits of the bus
  parameter integer DEPTH = 1   // cycles of delay, at least 1
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  input  wire [WIDTH-1:0] d_i,
  output wire [WIDTH-1:0] q_o
);
  // Stage s holds the value that entered s + 1 cycles ago; q_o is the last stage.
  reg [WIDTH*DEPTH-1:0] stages_q;

  generate
    if (DEPTH == 1) begin : g_one
      always @(posedge clk_i) begin
        if (!rst_ni) stages_q <= {WIDTH{1'b0}};
        else         stages_q <= d_i;
      end
    end else begin : g_many
      always @(posedge clk_i) begin
        if (!rst_ni) stages_q <= {(WIDTH*DEPTH){1'b0}};
        else         stages_q <= {stages_q[WIDTH*(DEPTH-1)-1:0], d_i};
      end
    end
  endgenerate

  assign q_o = stages_q[WIDTH*DEPTH-1 -: WIDTH];
endmodule

`default_nettype wire
