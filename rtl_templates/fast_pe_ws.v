// fast_pe_ws: a weight-stationary processing element (docs/model.md 1.1).
// It holds an active and a shadow weight. Each cycle it registers psum_i + act_i * w to the
// PE below, where w is the active weight, or the shadow weight when the activation carries
// the swap flag; a swap also copies the shadow weight into the active one. The shadow
// weight is written from the weight bus when w_we_i is set. The array, not the PE, carries
// activations to the right.
`default_nettype none

module fast_pe_ws #(
  parameter integer DTYPE = 0,                     // 0 int8, 1 bf16
  parameter integer EW    = (DTYPE == 0) ? 8 : 16  // operand bits; derived, do not override
) (
  input  wire          clk_i,
  input  wire [EW-1:0] act_i,    // activation of this PE's row, this cycle
  input  wire          valid_i,  // act_i carries data
  input  wire          swap_i,   // first vector of a tile with new weights
  input  wire [31:0]   psum_i,   // partial sum from the PE above (zero in row 0)
  input  wire          w_we_i,   // write w_i into the shadow weight
  input  wire [EW-1:0] w_i,
  output wire [31:0]   psum_o    // registered partial sum for the PE below
);
  reg  [EW-1:0] w_active_q;
  reg  [EW-1:0] w_shadow_q;
  reg  [31:0]   psum_q;
  wire [31:0]   psum_d;
  wire          use_shadow = valid_i & swap_i;
  wire [EW-1:0] w_now      = use_shadow ? w_shadow_q : w_active_q;

  fast_mac #(
    .DTYPE (DTYPE)
  ) u_mac (
    .a_i   (act_i),
    .b_i   (w_now),
    .acc_i (psum_i),
    .acc_o (psum_d)
  );

  // Data registers need no reset: the array qualifies every result with a valid bit.
  always @(posedge clk_i) begin
    psum_q <= psum_d;
    if (use_shadow) w_active_q <= w_shadow_q;
    if (w_we_i)     w_shadow_q <= w_i;
  end

  assign psum_o = psum_q;
endmodule

`default_nettype wire
