// fast_fp32_mul: fp32 product a x b, rounded to nearest even (combinational).
// Rules (docs/rtl.md section 2): denormal inputs count as signed zero; a rounded result
// below 2^-126 is signed zero, one of 2^128 or more is infinity; any NaN result is
// 0x7FC00000; 0 x inf is NaN.
// Needs fast_fp_round_pack.v.
`default_nettype none

module fast_fp32_mul (
  input  wire [31:0] a_i,
  input  wire [31:0] b_i,
  output wire [31:0] p_o
);

  // ---- Unpack -------------------------------------------------------------------------
  wire [7:0]  a_exp  = a_i[30:23];
  wire [7:0]  b_exp  = b_i[30:23];
  wire [23:0] a_sig  = {1'b1, a_i[22:0]};
  wire [23:0] b_sig  = {1'b1, b_i[22:0]};
  wire a_zero = (a_exp == 8'h00);  // zero or denormal
  wire b_zero = (b_exp == 8'h00);
  wire a_inf  = (a_exp == 8'hff) && (a_i[22:0] == 23'd0);
  wire b_inf  = (b_exp == 8'hff) && (b_i[22:0] == 23'd0);
  wire a_nan  = (a_exp == 8'hff) && (a_i[22:0] != 23'd0);
  wire b_nan  = (b_exp == 8'hff) && (b_i[22:0] != 23'd0);
  wire p_sign = a_i[31] ^ b_i[31];

  // ---- Multiply: 24 x 24 -> 48 bits, value in [1, 4), binary point after bit 46 -------
  wire [47:0] prod = a_sig * b_sig;

  // ---- Normalize: one right shift when the product is 2 or more ------------------------
  wire        prod_hi = prod[47];
  wire [22:0] frac    = prod_hi ? prod[46:24] : prod[45:23];
  wire        guard   = prod_hi ? prod[23] : prod[22];
  wire        sticky  = (|prod[21:0]) || (prod_hi && prod[22]);
  // Biased exponent a_exp + b_exp - 127 + prod_hi, in -125..382.
  wire [9:0]  prod_exp = {2'b00, a_exp} + {2'b00, b_exp} - 10'd127 + {9'd0, prod_hi};

  // ---- Round and pack -------------------------------------------------------------------
  wire [31:0] rounded;
  fast_fp_round_pack u_round_pack (
    .sign_i   (p_sign),
    .exp_i    (prod_exp),
    .frac_i   (frac),
    .guard_i  (guard),
    .sticky_i (sticky),
    .res_o    (rounded)
  );

  // ---- Special cases --------------------------------------------------------------------
  assign p_o = (a_nan || b_nan || (a_inf && b_zero) || (a_zero && b_inf)) ? 32'h7fc0_0000
             : (a_inf || b_inf)   ? {p_sign, 8'hff, 23'd0}
             : (a_zero || b_zero) ? {p_sign, 31'd0}
             : rounded;

endmodule

`default_nettype wire
