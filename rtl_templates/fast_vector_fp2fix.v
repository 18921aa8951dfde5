// fast_vector_fp2fix: fp32 to signed Q7.24 fixed point, truncated toward zero and saturated
// to the int32 range (combinational). Denormals and zeros give 0; infinities saturate; a NaN
// gives a saturated value that the caller ignores. The input stage of the vector unit's
// piecewise-linear functions (docs/rtl.md section 5); sim/ref/vector.c: fp2fix().
`default_nettype none

module fast_vector_fp2fix (
  input  wire [31:0] x_i,   // fp32
  output reg  [31:0] fix_o  // Q7.24, two's complement
);
  wire       [7:0]  exp_w = x_i[30:23];
  wire       [23:0] sig_w = {1'b1, x_i[22:0]};
  // value = sig * 2^(exp - 150), and Q7.24 = value * 2^24: shift left by exp - 126.
  wire signed [9:0] sh_w  = $signed({2'b00, exp_w}) - 10'sd126;
  wire       [9:0]  rsh_w = 10'd0 - sh_w;  // right shift amount when sh_w < 0
  reg        [30:0] mag_r;

  always @* begin
    if (sh_w >= 10'sd0) begin
      mag_r = {7'd0, sig_w} << sh_w[2:0];  // sh_w <= 7 here (larger saturates below)
    end else if (rsh_w >= 10'd24) begin
      mag_r = 31'd0;
    end else begin
      mag_r = {7'd0, sig_w >> rsh_w[4:0]};
    end

    if (exp_w == 8'd0) begin
      fix_o = 32'd0;
    end else if (sh_w >= 10'sd8) begin
      fix_o = x_i[31] ? 32'h8000_0000 : 32'h7fff_ffff;
    end else begin
      fix_o = x_i[31] ? (32'd0 - {1'b0, mag_r}) : {1'b0, mag_r};
    end
  end
endmodule

`default_nettype wire
