// fast_fp_lzc: leading-zero count of a WIDTH-bit vector (combinational). cnt_o is the
// number of zeros above the most significant one, WIDTH when the vector is zero.
`default_nettype none

module fast_fp_lzc #(
  parameter integer WIDTH   = 28,
  parameter integer CNT_W   = 5   // wide enough to hold WIDTH
) (
  input  wire [WIDTH-1:0] in_i,
  output reg  [CNT_W-1:0] cnt_o
);

  // A priority encoder: scanning from the least significant bit up, the last one seen is
  // the leading one.
  integer i;
  always @* begin
    cnt_o = WIDTH[CNT_W-1:0];
    for (i = 0; i < WIDTH; i = i + 1) begin
      if (in_i[i]) cnt_o = WIDTH[CNT_W-1:0] - 1'b1 - i[CNT_W-1:0];
    end
  end

endmodule

`default_nettype wire
