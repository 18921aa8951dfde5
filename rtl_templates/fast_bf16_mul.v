// fast_bf16_mul: exact fp32 product of two bf16 values (combinational).
// Rules (docs/rtl.md section 2): denormal inputs count as signed zero; a product below
// 2^-126 is flushed to signed zero and one of 2^128 or more is infinity (no rounding is
// ever needed: 8 x 8 significand bits fit in fp32's 24); any NaN result is 0x7FC00000;
// 0 x inf is NaN.
`default_nettype none

module fast_bf16_mul (
  input  wire [15:0] a_i,
  input  wire [15:0] b_i,
  output wire [31:0] p_o
);

  // ---- Unpack: sign, biased exponent, significand with the hidden one --------------
  wire       a_sign = a_i[15];
  wire       b_sign = b_i[15];
  wire [7:0] a_exp  = a_i[14:7];
  wire [7:0] b_exp  = b_i[14:7];
  wire [7:0] a_sig  = {1'b1, a_i[6:0]};
  wire [7:0] b_sig  = {1'b1, b_i[6:0]};

  // Classes; a zero exponent field (zero or denormal) is a zero.
  wire a_zero = (a_exp == 8'h00);
  wire b_zero = (b_exp == 8'h00);
  wire a_inf  = (a_exp == 8'hff) && (a_i[6:0] == 7'd0);
  wire b_inf  = (b_exp == 8'hff) && (b_i[6:0] == 7'd0);
  wire a_nan  = (a_exp == 8'hff) && (a_i[6:0] != 7'd0);
  wire b_nan  = (b_exp == 8'hff) && (b_i[6:0] != 7'd0);

  wire p_sign = a_sign ^ b_sign;

  // ---- Multiply: 8 x 8 -> 16 bits, value in [1, 4) with the binary point after bit 14
  wire [15:0] prod = a_sig * b_sig;

  // ---- Normalize: one right shift when the product is 2 or more ---------------------
  wire        prod_hi = prod[15];
  wire [22:0] p_frac  = prod_hi ? {prod[14:0], 8'd0} : {prod[13:0], 9'd0};
  // Biased result exponent a_exp + b_exp - 127 + prod_hi, in -125..382 (10-bit signed).
  wire signed [9:0] p_exp = $signed({2'b00, a_exp}) + $signed({2'b00, b_exp})
                            - 10'sd127 + $signed({9'd0, prod_hi});

  // ---- Pack: no rounding; flush below the normal range, infinity above it ------------
  wire p_under = (p_exp <= 10'sd0);
  wire p_over  = (p_exp >= 10'sd255);

  assign p_o = (a_nan || b_nan || (a_inf && b_zero) || (a_zero && b_inf))
                 ? 32'h7fc0_0000
             : (a_inf || b_inf || p_over) ? {p_sign, 8'hff, 23'd0}
             : (a_zero || b_zero || p_under) ? {p_sign, 31'd0}
             : {p_sign, p_exp[7:0], p_frac};

endmodule

`default_nettype wire
