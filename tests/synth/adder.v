// A hand-written 8-bit registered adder for the liberty mapping test (tests/synth/run.sh).
`default_nettype none

module fast_test_add8 (
  input  wire       clk_i,
  input  wire [7:0] a_i,
  input  wire [7:0] b_i,
  output wire [8:0] s_o
);
  reg [8:0] s_q;
  always @(posedge clk_i) s_q <= a_i + b_i;
  assign s_o = s_q;
endmodule

`default_nettype wire
