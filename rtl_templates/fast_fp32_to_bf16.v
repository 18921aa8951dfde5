// fast_fp32_to_bf16: rounds an fp32 value to bf16, nearest even (combinational).
// Rules (docs/rtl.md section 2): a denormal input gives a zero of its sign; any NaN gives
// 0x7FC0; infinity stays infinity; values that round to 2^128 or more give infinity. A
// normal input never rounds below 2^-126, so no result needs flushing.
`default_nettype none

module fast_fp32_to_bf16 (
  input  wire [31:0] a_i,
  output wire [15:0] b_o
);

  // ---- Unpack -------------------------------------------------------------------------
  wire       a_sign = a_i[31];
  wire [7:0] a_exp  = a_i[30:23];
  wire a_zero = (a_exp == 8'h00);  // zero or denormal
  wire a_nan  = (a_exp == 8'hff) && (a_i[22:0] != 23'd0);
  wire a_inf  = (a_exp == 8'hff) && (a_i[22:0] == 23'd0);

  // ---- Round: drop the low 16 bits; up when above half, or half and the kept LSB odd ---
  wire guard    = a_i[15];
  wire sticky   = |a_i[14:0];
  wire round_up = guard && (sticky || a_i[16]);
  // The increment runs into the exponent: 1.11..1 becomes the next power of two, and
  // the largest finite values become infinity (exponent 255, fraction 0).
  wire [14:0] mag = a_i[30:16] + {14'd0, round_up};

  // ---- Pack ---------------------------------------------------------------------------
  assign b_o = a_nan  ? 16'h7fc0
             : a_inf  ? {a_sign, 15'h7f80}
             : a_zero ? {a_sign, 15'd0}
             : {a_sign, mag};

endmodule

`default_nettype wire
