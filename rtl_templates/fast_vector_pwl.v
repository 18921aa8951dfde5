// fast_vector_pwl: one piecewise-linear segment evaluation, v = c + ((k * u) >>> S) with
// (c, k) from fast_vector_table and S = 23 or 24 (combinational). The kernel shared by the
// vector unit's sigmoid, tanh, swish, gelu, exp, recip and rsqrt (docs/rtl.md section 5);
// sim/ref/vector.c: kernel().
`default_nettype none

module fast_vector_pwl (
  input  wire [2:0]  tab_i,   // table: 0 sigmoid .. 6 rsqrt
  input  wire [7:0]  idx_i,   // segment
  input  wire [20:0] u_i,     // offset into the segment, units of 2^-S
  input  wire        sh23_i,  // S = 23 (recip, rsqrt) instead of 24
  output wire [31:0] v_o      // two's complement, wraps like the C reference
);
  wire [31:0] c_w;
  wire [31:0] k_w;

  fast_vector_table u_table (
    .func_i (tab_i),
    .idx_i  (idx_i),
    .c_o    (c_w),
    .k_o    (k_w)
  );

  wire signed [53:0] prod_w = $signed({{22{k_w[31]}}, k_w}) * $signed({33'd0, u_i});
  // (k * u) >>> S, truncated to 32 bits: bits S+31..S of the sign-extended product.
  wire        [31:0] prsh_w = sh23_i ? {prod_w[53], prod_w[53:23]} : {{2{prod_w[53]}}, prod_w[53:24]};

  wire unused_low;  // the bits shifted out (default --unused-regexp)
  assign unused_low = ^prod_w[22:0];

  assign v_o = c_w + prsh_w;
endmodule

`default_nettype wire
