// fast_vector_prep: turns the operand of a nonlinear op into a table segment and an
// output exponent (combinational): the segment functions and exp from Q7.24, recip and
// rsqrt from a normalized 1.frac * 2^e (docs/rtl.md section 5; sim/ref/vector.c:
// prep_seg(), prep_exp(), prep_recip()). FP selects the words of the range-end constants.
`default_nettype none

module fast_vector_prep #(
  parameter integer FP = 0  // 0: Q15.16 constants, 1: fp32 constants
) (
  input  wire [4:0]  op_i,         // fast_vector_unit op code
  input  wire [31:0] xk_i,         // operand in Q7.24 (segment functions, exp)
  input  wire [31:0] x_i,          // operand word, the result of swish/gelu above the range
  input  wire [22:0] rfrac_i,      // recip/rsqrt: operand = 1.rfrac * 2^rexp
  input  wire [9:0]  rexp_i,       // two's complement
  input  wire        rspec_i,      // recip/rsqrt: special operand, result is rspec_val_i
  input  wire [31:0] rspec_val_i,
  output reg  [2:0]  tab_o,        // table of fast_vector_table
  output reg  [7:0]  idx_o,        // segment
  output reg  [20:0] u_o,          // offset into the segment
  output reg         sh23_o,       // kernel shift 23 (else 24)
  output reg  [9:0]  e2_o,         // result = kernel value * 2^e2
  output reg         spec_o,       // the result is spec_val_o
  output reg  [31:0] spec_val_o
);
  localparam [4:0] OP_SIGMOID = 5'd11, OP_TANH = 5'd12, OP_SWISH = 5'd13, OP_GELU = 5'd14,
                   OP_EXP = 5'd15, OP_RECIP = 5'd16, OP_RSQRT = 5'd17;
  localparam [31:0] ONE     = (FP != 0) ? 32'h3f80_0000 : 32'h0001_0000;
  localparam [31:0] NEG_ONE = (FP != 0) ? 32'hbf80_0000 : 32'hffff_0000;
  localparam signed [31:0] LOG2E_Q30 = 32'sd1549082005;  // round(log2(e) * 2^30)

  // Segment functions: sigmoid and swish cover [-16, 16) in steps of 1/8, tanh and gelu
  // [-8, 8) in steps of 1/16; 256 segments each.
  wire               wide_w = (op_i == OP_SIGMOID) || (op_i == OP_SWISH);
  wire signed [31:0] hi_w   = wide_w ? ($signed(xk_i) >>> 21) : ($signed(xk_i) >>> 20);
  wire               below_w = (hi_w < -32'sd128);
  wire               above_w = (hi_w > 32'sd127);
  wire        [7:0]  sidx_w  = hi_w[7:0] + 8'd128;

  // exp: t = x * log2(e) in Q.54 = i + f; the table gives 2^f, f in [0, 1).
  wire signed [63:0] t_w  = $signed({{32{xk_i[31]}}, xk_i}) * $signed({{32{LOG2E_Q30[31]}}, LOG2E_Q30});
  wire        [23:0] f_w  = t_w[53:30];
  wire        [9:0]  i_w  = t_w[63:54];

  // rsqrt: an odd exponent uses the table of 1/sqrt(2m) and the exponent e - 1.
  wire               odd_w  = rexp_i[0];
  wire        [9:0]  eev_w  = rexp_i - {9'd0, odd_w};
  wire        [9:0]  half_w = {eev_w[9], eev_w[9:1]};  // exact: eev_w is even

  // Bits that no op reads (Verilator's default --unused-regexp matches "unused").
  wire unused_bits;
  assign unused_bits = ^{t_w[29:0], eev_w[0]};

  always @* begin
    tab_o      = 3'd0;
    idx_o      = 8'd0;
    u_o        = 21'd0;
    sh23_o     = 1'b0;
    e2_o       = -10'sd24;
    spec_o     = 1'b0;
    spec_val_o = 32'd0;
    case (op_i)
      OP_SIGMOID, OP_TANH, OP_SWISH, OP_GELU: begin
        tab_o = op_i[2:0] - 3'd3;  // 11..14 -> 0..3
        idx_o = sidx_w;
        u_o   = wide_w ? xk_i[20:0] : {1'b0, xk_i[19:0]};
        if (below_w) begin
          spec_o     = 1'b1;
          spec_val_o = (op_i == OP_TANH) ? NEG_ONE : 32'd0;
        end else if (above_w) begin
          spec_o     = 1'b1;
          spec_val_o = (op_i == OP_SIGMOID || op_i == OP_TANH) ? ONE : x_i;
        end
      end
      OP_EXP: begin
        tab_o = 3'd4;
        idx_o = {2'b00, f_w[23:18]};
        u_o   = {3'd0, f_w[17:0]};
        e2_o  = i_w - 10'd30;
      end
      OP_RECIP: begin
        tab_o      = 3'd5;
        idx_o      = {1'b0, rfrac_i[22:16]};
        u_o        = {5'd0, rfrac_i[15:0]};
        sh23_o     = 1'b1;
        e2_o       = -10'sd30 - rexp_i;
        spec_o     = rspec_i;
        spec_val_o = rspec_val_i;
      end
      OP_RSQRT: begin
        tab_o      = 3'd6;
        idx_o      = {odd_w, rfrac_i[22:16]};
        u_o        = {5'd0, rfrac_i[15:0]};
        sh23_o     = 1'b1;
        e2_o       = -10'sd30 - half_w;
        spec_o     = rspec_i;
        spec_val_o = rspec_val_i;
      end
      default: ;
    endcase
  end
endmodule

`default_nettype wire
