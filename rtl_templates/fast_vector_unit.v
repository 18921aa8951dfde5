// fast_vector_unit: the vector unit of docs/model.md section 2 and docs/rtl.md section 5.
// LANES lanes take one element each per cycle, with no stalls; every op is pipelined four
// deep: a beat accepted in cycle t (valid_i high) has its element results in y_o with
// valid_o high in cycle t + 4. A reduction folds each beat's results into per-lane
// accumulators (restarted by first_i); the beat with last_i shows the reduced values in
// r_o/r2_o with rvalid_o high in cycle t + 4. FP = 0: int32 lanes (int8 designs);
// FP = 1: fp32 lanes on fast_fp32_add/fast_fp32_mul (bf16 designs). The C reference is
// sim/ref/vector.c.
`default_nettype none

module fast_vector_unit #(
  parameter integer LANES = 8,  // lanes (vector.lanes), 1..4096
  parameter integer FP    = 0   // 0: int32 lanes, 1: fp32 lanes
) (
  input  wire                 clk_i,
  input  wire                 rst_ni,    // synchronous, active low
  input  wire                 valid_i,   // a beat of operands is accepted this cycle
  input  wire [4:0]           op_i,      // operation (docs/rtl.md section 5)
  input  wire [1:0]           red_i,     // 0 none, 1 sum, 2 max, 3 sum and sum of squares
  input  wire                 first_i,   // first beat of a reduction: restart the accumulators
  input  wire                 last_i,    // last beat: show the reduced values
  input  wire [LANES*32-1:0]  a_i,       // lane l in bits [32l+31:32l]
  input  wire [LANES*32-1:0]  b_i,
  input  wire [LANES*32-1:0]  c_i,
  input  wire [31:0]          zp_i,      // int: zero point of requant/norm
  input  wire [5:0]           shift_i,   // int: right shift of requant/norm, recip/rsqrt Q bits
  input  wire [31:0]          lo_i,      // int: lower clamp of requant/norm/relu6
  input  wire [31:0]          hi_i,      // int: upper clamp of requant/norm/relu6
  output wire                 valid_o,   // y_o holds the results of the beat of cycle t - 4
  output wire [LANES*32-1:0]  y_o,
  output wire                 rvalid_o,  // r_o/r2_o hold a finished reduction
  output wire [LANES*32-1:0]  r_o,       // sum or max
  output wire [LANES*32-1:0]  r2_o       // sum of squares (red_i = 3)
);
  // ---- Output valids: the beat's valid and "reduction ends" bits, four cycles deep -------
  reg [3:0] valid_q;
  reg [3:0] rvalid_q;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      valid_q  <= 4'd0;
      rvalid_q <= 4'd0;
    end else begin
      valid_q  <= {valid_q[2:0], valid_i};
      rvalid_q <= {rvalid_q[2:0], valid_i && last_i && (red_i != 2'd0)};
    end
  end

  assign valid_o  = valid_q[3];
  assign rvalid_o = rvalid_q[3];

  // ---- Lanes ------------------------------------------------------------------------------
  genvar l;
  generate
    for (l = 0; l < LANES; l = l + 1) begin : g_lane
      if (FP != 0) begin : g_fp
        fast_vector_lane_fp u_lane (
          .clk_i   (clk_i),
          .rst_ni  (rst_ni),
          .valid_i (valid_i),
          .op_i    (op_i),
          .red_i   (red_i),
          .first_i (first_i),
          .a_i     (a_i[32*l +: 32]),
          .b_i     (b_i[32*l +: 32]),
          .c_i     (c_i[32*l +: 32]),
          .y_o     (y_o[32*l +: 32]),
          .r_o     (r_o[32*l +: 32]),
          .r2_o    (r2_o[32*l +: 32])
        );
      end else begin : g_int
        fast_vector_lane_int u_lane (
          .clk_i   (clk_i),
          .rst_ni  (rst_ni),
          .valid_i (valid_i),
          .op_i    (op_i),
          .red_i   (red_i),
          .first_i (first_i),
          .a_i     (a_i[32*l +: 32]),
          .b_i     (b_i[32*l +: 32]),
          .c_i     (c_i[32*l +: 32]),
          .zp_i    (zp_i),
          .shift_i (shift_i),
          .lo_i    (lo_i),
          .hi_i    (hi_i),
          .y_o     (y_o[32*l +: 32]),
          .r_o     (r_o[32*l +: 32]),
          .r2_o    (r2_o[32*l +: 32])
        );
      end
    end
  endgenerate

  // The fp lanes take no scalar operands.
  generate
    if (FP != 0) begin : g_fp_scalars
      wire unused_scalars;
      assign unused_scalars = ^{zp_i, shift_i, lo_i, hi_i};
    end
  endgenerate
endmodule

`default_nettype wire
