// fast_vector_fix2fp: (-1)^sign * mag * 2^e2 as fp32, rounded to nearest even
// (combinational). A result below 2^-126 after rounding is signed zero, one of 2^128 or more
// is infinity; mag = 0 gives signed zero. The output stage of the fp vector lane's
// functions (docs/rtl.md section 5); sim/ref/vector.c: fix2fp().
`default_nettype none

module fast_vector_fix2fp (
  input  wire        sign_i,
  input  wire [31:0] mag_i,  // unsigned magnitude
  input  wire [9:0]  e2_i,   // binary exponent of mag_i's unit, two's complement
  output reg  [31:0] f_o     // fp32
);
  // Leading zeros of mag_i (32 when it is zero).
  function automatic [5:0] lzc32(input [31:0] v);
    integer i;
    reg     found;
    begin
      lzc32 = 6'd32;
      found = 1'b0;
      for (i = 31; i >= 0; i = i - 1) begin
        if (v[i] && !found) begin
          lzc32 = 6'd31 - i[5:0];
          found = 1'b1;
        end
      end
    end
  endfunction

  wire        [5:0]  lz_w    = lzc32(mag_i);
  wire        [30:0] norm_w  = mag_i[30:0] << lz_w[4:0];  // below the leading one
  // Biased exponent of the leading one: 127 + 31 - lz + e2.
  wire signed [11:0] exp_w   = 12'sd158 - $signed({6'd0, lz_w}) + $signed({{2{e2_i[9]}}, e2_i});
  wire        [22:0] frac_w  = norm_w[30:8];
  wire               guard_w = norm_w[7];
  wire               stick_w = |norm_w[6:0];
  wire               up_w    = guard_w && (stick_w || frac_w[0]);
  wire        [23:0] fracr_w = {1'b0, frac_w} + {23'd0, up_w};   // bit 23: carry out
  wire signed [11:0] expr_w  = exp_w + $signed({11'd0, fracr_w[23]});

  always @* begin
    if (mag_i == 32'd0 || expr_w <= 12'sd0) begin
      f_o = {sign_i, 31'd0};
    end else if (expr_w >= 12'sd255) begin
      f_o = {sign_i, 8'hff, 23'd0};
    end else begin
      f_o = {sign_i, expr_w[7:0], fracr_w[22:0]};
    end
  end
endmodule

`default_nettype wire
