// fp_top: test wrapper that puts the four floating-point blocks side by side, so that
// one build of tests/rtl/fp/tb_fp.cpp checks them all.
`default_nettype none

module fp_top (
  input  wire [15:0] bf_a_i,
  input  wire [15:0] bf_b_i,
  input  wire [31:0] a_i,
  input  wire [31:0] b_i,
  output wire [31:0] bf16_mul_o,
  output wire [31:0] fp32_add_o,
  output wire [31:0] fp32_mul_o,
  output wire [15:0] fp32_to_bf16_o
);

  fast_bf16_mul u_bf16_mul (
    .a_i (bf_a_i),
    .b_i (bf_b_i),
    .p_o (bf16_mul_o)
  );

  fast_fp32_add u_fp32_add (
    .a_i (a_i),
    .b_i (b_i),
    .s_o (fp32_add_o)
  );

  fast_fp32_mul u_fp32_mul (
    .a_i (a_i),
    .b_i (b_i),
    .p_o (fp32_mul_o)
  );

  fast_fp32_to_bf16 u_fp32_to_bf16 (
    .a_i (a_i),
    .b_o (fp32_to_bf16_o)
  );

endmodule

`default_nettype wire
