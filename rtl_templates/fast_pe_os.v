// fast_pe_os: an output-stationary processing element (docs/model.md 1.2).
// It accumulates one output in place: acc = (first ? 0 : acc) + act_i * w_i when valid.
// While drain_i is set it instead takes the value of the PE above, so the column shifts
// its results down one row per cycle. The array carries activations right and weights down.
`default_nettype none

module fast_pe_os #(
  parameter integer DTYPE = 0,                     // 0 int8, 1 bf16
  parameter integer EW    = (DTYPE == 0) ? 8 : 16  // operand bits; derived, do not override
) (
  input  wire          clk_i,
  input  wire [EW-1:0] act_i,     // activation of this PE's row, this cycle
  input  wire [EW-1:0] w_i,       // weight of this PE's column, this cycle
  input  wire          valid_i,   // act_i and w_i carry a reduction step
  input  wire          first_i,   // the step is the first of a tile: start from zero
  input  wire          drain_i,   // shift results down instead of computing
  input  wire [31:0]   above_i,   // result of the PE above (zero in row 0)
  output wire [31:0]   acc_o      // this PE's result, registered
);
  reg  [31:0] acc_q;
  wire [31:0] acc_d;

  fast_mac #(
    .DTYPE (DTYPE)
  ) u_mac (
    .a_i   (act_i),
    .b_i   (w_i),
    .acc_i (first_i ? 32'd0 : acc_q),
    .acc_o (acc_d)
  );

  always @(posedge clk_i) begin
    if (drain_i)      acc_q <= above_i;
    else if (valid_i) acc_q <= acc_d;
  end

  assign acc_o = acc_q;
endmodule

`default_nettype wire
