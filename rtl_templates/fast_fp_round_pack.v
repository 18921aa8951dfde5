// fast_fp_round_pack: rounds a normalized significand to nearest even and packs an fp32
// value (combinational). The rounding comes first, with an unbounded exponent; a rounded
// result of 2^128 or more is infinity and one below 2^-126 is signed zero.
`default_nettype none

module fast_fp_round_pack (
  input  wire        sign_i,
  input  wire [9:0]  exp_i,     // biased exponent of the hidden one, two's complement
  input  wire [22:0] frac_i,    // the 23 significand bits below the hidden one
  input  wire        guard_i,   // the bit below frac_i[0]
  input  wire        sticky_i,  // OR of every bit below guard_i
  output wire [31:0] res_o
);

  // ---- Round: up when above half, or exactly half and the kept LSB is odd ------------
  wire        round_up = guard_i && (sticky_i || frac_i[0]);
  // The increment runs through the exponent: a carry out of 1.11..1 gives a zero
  // fraction and the next exponent, which is 10.00..0 as it should be.
  wire [32:0] exp_frac = {exp_i, frac_i} + {32'd0, round_up};
  wire signed [9:0] exp_rnd = $signed(exp_frac[32:23]);

  // ---- Pack: infinity on overflow, signed zero below the normal range ----------------
  wire over  = (exp_rnd >= 10'sd255);
  wire under = (exp_rnd <= 10'sd0);

  assign res_o = over  ? {sign_i, 8'hff, 23'd0}
               : under ? {sign_i, 31'd0}
               : {sign_i, exp_rnd[7:0], exp_frac[22:0]};

endmodule

`default_nettype wire
