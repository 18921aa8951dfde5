// fast_mac: one multiply-accumulate, combinational: acc_o = acc_i + a_i * b_i.
//   DTYPE 0: int8 x int8 product added to an int32 sum, two's-complement wrap-around.
//   DTYPE 1: bf16 x bf16 product, exact in fp32, added to an fp32 sum with
//            round-to-nearest-even; denormals flushed to zero (docs/model.md 1.4).
`default_nettype none

module fast_mac #(
  parameter integer DTYPE = 0,                     // 0 int8, 1 bf16
  parameter integer EW    = (DTYPE == 0) ? 8 : 16  // operand bits; derived, do not override
) (
  input  wire [EW-1:0] a_i,
  input  wire [EW-1:0] b_i,
  input  wire [31:0]   acc_i,
  output wire [31:0]   acc_o
);
  generate
    if (DTYPE == 0) begin : g_int8
      wire signed [15:0] product = $signed(a_i) * $signed(b_i);
      assign acc_o = acc_i + {{16{product[15]}}, product};
    end else begin : g_bf16
      wire [31:0] product;
      fast_bf16_mul u_mul (
        .a_i (a_i),
        .b_i (b_i),
        .p_o (product)
      );
      fast_fp32_add u_add (
        .a_i (acc_i),
        .b_i (product),
        .s_o (acc_o)
      );
    end
  endgenerate
endmodule

`default_nettype wire
