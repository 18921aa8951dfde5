// fast_fp32_add: fp32 sum a + b, rounded to nearest even (combinational).
// Rules (docs/rtl.md section 2): denormal inputs count as signed zero; a rounded result
// below 2^-126 is signed zero, one of 2^128 or more is infinity; any NaN result is
// 0x7FC00000; inf - inf is NaN; x + (-x) is +0; -0 + -0 is -0.
// Needs fast_fp_lzc.v and fast_fp_round_pack.v.
`default_nettype none

module fast_fp32_add (
  input  wire [31:0] a_i,
  input  wire [31:0] b_i,
  output wire [31:0] s_o
);

  // ---- Unpack -------------------------------------------------------------------------
  wire [7:0] a_exp  = a_i[30:23];
  wire [7:0] b_exp  = b_i[30:23];
  wire a_zero = (a_exp == 8'h00);  // zero or denormal
  wire b_zero = (b_exp == 8'h00);
  wire a_inf  = (a_exp == 8'hff) && (a_i[22:0] == 23'd0);
  wire b_inf  = (b_exp == 8'hff) && (b_i[22:0] == 23'd0);
  wire a_nan  = (a_exp == 8'hff) && (a_i[22:0] != 23'd0);
  wire b_nan  = (b_exp == 8'hff) && (b_i[22:0] != 23'd0);

  // Order by magnitude (for normals the bit patterns compare like the values): hi_op has
  // the larger magnitude, and gives the sign and the exponent of the result.
  wire        swap      = (b_i[30:0] > a_i[30:0]);
  wire [31:0] hi_op     = swap ? b_i : a_i;
  wire [30:0] lo_op     = swap ? a_i[30:0] : b_i[30:0];
  wire        hi_sign   = hi_op[31];
  wire [7:0]  hi_exp    = hi_op[30:23];
  wire [7:0]  lo_exp    = lo_op[30:23];
  wire        eff_sub   = a_i[31] ^ b_i[31];

  // ---- Align: shift the smaller significand right by the exponent difference ------------
  // Both significands get 3 extra low bits (guard, round, sticky); whatever leaves the
  // 27-bit window is ORed into its lowest bit. A shift of 27 or more leaves only sticky.
  wire [7:0]  exp_diff   = hi_exp - lo_exp;
  wire [4:0]  shamt      = (exp_diff > 8'd27) ? 5'd27 : exp_diff[4:0];
  wire [50:0] lo_wide    = {1'b1, lo_op[22:0], 27'd0} >> shamt;
  wire [26:0] hi_sig     = {1'b1, hi_op[22:0], 3'd0};
  wire [26:0] lo_sig     = {lo_wide[50:25], lo_wide[24] | (|lo_wide[23:0])};

  // ---- Add or subtract (hi_op >= lo_op, so the difference is not negative) -------------
  wire [27:0] sum = eff_sub ? {1'b0, hi_sig - lo_sig}
                            : {1'b0, hi_sig} + {1'b0, lo_sig};

  // ---- Normalize: shift the leading one to bit 27 -------------------------------------
  // lz = 0 after a carry out of the addition, 1 without, up to 27 after cancellation.
  // Only a difference of exponents of 0 or 1 cancels more than one bit, and then the
  // difference is exact, so a long left shift loses nothing.
  wire [4:0]  lz;
  fast_fp_lzc #(
    .WIDTH (28),
    .CNT_W (5)
  ) u_lzc (
    .in_i  (sum),
    .cnt_o (lz)
  );
  wire [27:0] norm = sum << lz;  // norm[27] = 0 only when sum = 0
  // Biased exponent of norm[27]: hi_exp + 1 - lz, in -26..255.
  wire [9:0]  norm_exp = {2'b00, hi_exp} + 10'd1 - {5'd0, lz};

  // ---- Round and pack -------------------------------------------------------------------
  wire [31:0] rounded;
  fast_fp_round_pack u_round_pack (
    .sign_i   (hi_sign),
    .exp_i    (norm_exp),
    .frac_i   (norm[26:4]),
    .guard_i  (norm[3]),
    .sticky_i (|norm[2:0]),
    .res_o    (rounded)
  );

  // ---- Special cases --------------------------------------------------------------------
  assign s_o = (a_nan || b_nan || (a_inf && b_inf && eff_sub)) ? 32'h7fc0_0000
             : a_inf                 ? {a_i[31], 8'hff, 23'd0}
             : b_inf                 ? {b_i[31], 8'hff, 23'd0}
             : (a_zero && b_zero)    ? {a_i[31] & b_i[31], 31'd0}
             : b_zero                ? a_i
             : a_zero                ? b_i
             : !norm[27]             ? 32'd0  // exact cancellation (sum = 0): +0
             : rounded;

endmodule

`default_nettype wire
