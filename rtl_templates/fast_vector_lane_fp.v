// fast_vector_lane_fp: one fp32 lane of the vector unit (FP = 1), four register stages.
// An operand beat accepted in cycle t has its result in y_o in cycle t + 4, and the
// accumulators r_o/r2_o include it in cycle t + 4 (docs/rtl.md section 5). Every fp32 add,
// multiply and bf16 rounding is fast_fp32_add, fast_fp32_mul or fast_fp32_to_bf16.
// Bit-exact with fast_ref_vector_fp() and fast_ref_vector_reduce() of sim/ref/vector.c.
//   stage 1: a + b, a - b or a * b; max, min, relu, relu6
//   stage 2: + c or * c (fma, requant, norm); nonlinear ops: Q7.24 operand, table segment
//   stage 3: table lookup and segment evaluation
//   stage 4: nonlinear result to fp32; reduction (fp32 add, max, square)
`default_nettype none

module fast_vector_lane_fp (
  input  wire        clk_i,
  input  wire        rst_ni,
  input  wire        valid_i,   // a beat is accepted this cycle
  input  wire [4:0]  op_i,
  input  wire [1:0]  red_i,
  input  wire        first_i,
  input  wire [31:0] a_i,
  input  wire [31:0] b_i,
  input  wire [31:0] c_i,
  output wire [31:0] y_o,       // element result
  output wire [31:0] r_o,       // running sum or max
  output wire [31:0] r2_o       // running sum of squares
);
  localparam [4:0] OP_PASS = 5'd0, OP_ADD = 5'd1, OP_SUB = 5'd2, OP_MUL = 5'd3,
                   OP_MAX = 5'd4, OP_MIN = 5'd5, OP_RELU = 5'd6, OP_RELU6 = 5'd7,
                   OP_REQUANT = 5'd8, OP_FMA = 5'd9, OP_NORM = 5'd10, OP_SIGMOID = 5'd11,
                   OP_EXP = 5'd15, OP_RECIP = 5'd16, OP_RSQRT = 5'd17;
  localparam [1:0] RED_NONE = 2'd0, RED_MAX = 2'd2, RED_SUMSQ = 2'd3;
  localparam [31:0] NAN = 32'h7fc0_0000, INF = 32'h7f80_0000, SIX = 32'h40c0_0000;

  function automatic is_nan(input [30:0] x);  // the sign does not matter
    begin
      is_nan = (x[30:23] == 8'hff) && (x[22:0] != 23'd0);
    end
  endfunction

  // Total order of non-NaN values with -0 below +0.
  function automatic [31:0] key(input [31:0] x);
    begin
      key = x[31] ? ~x : {1'b1, x[30:0]};
    end
  endfunction

  function automatic [31:0] fmax(input [31:0] x, input [31:0] y);
    begin
      if (is_nan(x[30:0]) || is_nan(y[30:0])) fmax = NAN;
      else                        fmax = (key(x) >= key(y)) ? x : y;
    end
  endfunction

  function automatic [31:0] fmin(input [31:0] x, input [31:0] y);
    begin
      if (is_nan(x[30:0]) || is_nan(y[30:0])) fmin = NAN;
      else                        fmin = (key(x) <= key(y)) ? x : y;
    end
  endfunction

  // ---- Control pipeline ------------------------------------------------------------------
  reg       valid_s1_q, valid_s2_q, valid_s3_q;
  reg [4:0] op_s1_q, op_s2_q, op_s3_q;
  reg [1:0] red_s1_q, red_s2_q, red_s3_q;
  reg       first_s1_q, first_s2_q, first_s3_q;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      valid_s1_q <= 1'b0;
      valid_s2_q <= 1'b0;
      valid_s3_q <= 1'b0;
    end else begin
      valid_s1_q <= valid_i;
      valid_s2_q <= valid_s1_q;
      valid_s3_q <= valid_s2_q;
    end
  end

  always @(posedge clk_i) begin
    op_s1_q    <= op_i;
    op_s2_q    <= op_s1_q;
    op_s3_q    <= op_s2_q;
    red_s1_q   <= red_i;
    red_s2_q   <= red_s1_q;
    red_s3_q   <= red_s2_q;
    first_s1_q <= first_i;
    first_s2_q <= first_s1_q;
    first_s3_q <= first_s2_q;
  end

  // ---- Stage 1 --------------------------------------------------------------------------
  wire        negb_w = (op_i == OP_SUB) || (op_i == OP_NORM) || (op_i == OP_EXP);
  wire [31:0] add1_w;
  wire [31:0] mul1_w;

  fast_fp32_add u_add1 (
    .a_i (a_i),
    .b_i ({b_i[31] ^ negb_w, b_i[30:0]}),
    .s_o (add1_w)
  );

  fast_fp32_mul u_mul1 (
    .a_i (a_i),
    .b_i (b_i),
    .p_o (mul1_w)
  );

  reg [31:0] x_s1_d;

  always @* begin
    case (op_i)
      OP_PASS:                         x_s1_d = a_i;
      OP_ADD, OP_SUB, OP_NORM, OP_EXP: x_s1_d = add1_w;
      OP_MUL, OP_FMA, OP_REQUANT:      x_s1_d = mul1_w;
      OP_MAX:                          x_s1_d = fmax(a_i, b_i);
      OP_MIN:                          x_s1_d = fmin(a_i, b_i);
      OP_RELU:                         x_s1_d = fmax(a_i, 32'd0);
      OP_RELU6:                        x_s1_d = fmin(fmax(a_i, 32'd0), SIX);
      default: x_s1_d = ((op_i >= OP_SIGMOID) && (op_i <= OP_RSQRT)) ? a_i : 32'd0;
    endcase
  end

  reg [31:0] x_s1_q, c_s1_q;

  always @(posedge clk_i) begin
    x_s1_q <= x_s1_d;
    c_s1_q <= c_i;
  end

  // ---- Stage 2 --------------------------------------------------------------------------
  wire [31:0] add2_w;
  wire [31:0] mul2_w;
  wire [15:0] bf_w;

  fast_fp32_add u_add2 (
    .a_i (x_s1_q),
    .b_i (c_s1_q),
    .s_o (add2_w)
  );

  fast_fp32_mul u_mul2 (
    .a_i (x_s1_q),
    .b_i (c_s1_q),
    .p_o (mul2_w)
  );

  fast_fp32_to_bf16 u_bf16 (
    .a_i (add2_w),
    .b_o (bf_w)
  );

  // Nonlinear operand: Q7.24 for the segment functions and exp; sign, exponent and
  // fraction for recip and rsqrt, whose special operands bypass the table.
  wire [31:0] xk_w;

  fast_vector_fp2fix u_fp2fix (
    .x_i   (x_s1_q),
    .fix_o (xk_w)
  );

  wire       rsqrt_w = (op_s1_q == OP_RSQRT);
  wire [7:0] xe_w    = x_s1_q[30:23];
  reg        rspec_w;
  reg [31:0] rspec_val_w;

  always @* begin
    rspec_w     = 1'b1;
    rspec_val_w = NAN;
    if (is_nan(x_s1_q[30:0])) begin
      rspec_val_w = NAN;
    end else if (xe_w == 8'd0) begin
      rspec_val_w = {x_s1_q[31], INF[30:0]};  // 1/(+-0), 1/sqrt(+-0)
    end else if (rsqrt_w && x_s1_q[31]) begin
      rspec_val_w = NAN;
    end else if (xe_w == 8'hff) begin
      rspec_val_w = {x_s1_q[31], 31'd0};      // 1/(+-inf), 1/sqrt(+inf)
    end else begin
      rspec_w     = 1'b0;
    end
  end

  wire [2:0]  tab_w;
  wire [7:0]  idx_w;
  wire [20:0] u_w;
  wire        sh23_w;
  wire [9:0]  e2_w;
  wire        spec_w;
  wire [31:0] spec_val_w;

  fast_vector_prep #(
    .FP (1)
  ) u_prep (
    .op_i        (op_s1_q),
    .xk_i        (xk_w),
    .x_i         (x_s1_q),
    .rfrac_i     (x_s1_q[22:0]),
    .rexp_i      ({2'b00, xe_w} - 10'd127),
    .rspec_i     (rspec_w),
    .rspec_val_i (rspec_val_w),
    .tab_o       (tab_w),
    .idx_o       (idx_w),
    .u_o         (u_w),
    .sh23_o      (sh23_w),
    .e2_o        (e2_w),
    .spec_o      (spec_w),
    .spec_val_o  (spec_val_w)
  );

  // A NaN operand of the segment functions and exp gives NaN (recip/rsqrt: rspec above).
  wire nl_nan_w = is_nan(x_s1_q[30:0]) && (op_s1_q >= OP_SIGMOID) && (op_s1_q <= OP_EXP);

  reg [31:0] x_s2_d;

  always @* begin
    case (op_s1_q)
      OP_FMA:     x_s2_d = add2_w;
      OP_REQUANT: x_s2_d = {bf_w, 16'd0};
      OP_NORM:    x_s2_d = mul2_w;
      default:    x_s2_d = x_s1_q;
    endcase
  end

  reg [31:0] x_s2_q;
  reg [2:0]  tab_s2_q;
  reg [7:0]  idx_s2_q;
  reg [20:0] u_s2_q;
  reg        sh23_s2_q;
  reg [9:0]  e2_s2_q;
  reg        spec_s2_q;
  reg [31:0] spec_val_s2_q;
  reg        neg_s2_q;

  always @(posedge clk_i) begin
    x_s2_q        <= x_s2_d;
    tab_s2_q      <= tab_w;
    idx_s2_q      <= idx_w;
    u_s2_q        <= u_w;
    sh23_s2_q     <= sh23_w;
    e2_s2_q       <= e2_w;
    spec_s2_q     <= spec_w || nl_nan_w;
    spec_val_s2_q <= nl_nan_w ? NAN : spec_val_w;
    neg_s2_q      <= (op_s1_q == OP_RECIP) && x_s1_q[31];
  end

  // ---- Stage 3: segment evaluation -------------------------------------------------------
  wire [31:0] v_w;

  fast_vector_pwl u_pwl (
    .tab_i  (tab_s2_q),
    .idx_i  (idx_s2_q),
    .u_i    (u_s2_q),
    .sh23_i (sh23_s2_q),
    .v_o    (v_w)
  );

  reg [31:0] x_s3_q, v_s3_q, spec_val_s3_q;
  reg [9:0]  e2_s3_q;
  reg        spec_s3_q, neg_s3_q;

  always @(posedge clk_i) begin
    x_s3_q        <= x_s2_q;
    v_s3_q        <= v_w;
    e2_s3_q       <= e2_s2_q;
    spec_s3_q     <= spec_s2_q;
    spec_val_s3_q <= spec_val_s2_q;
    neg_s3_q      <= neg_s2_q;
  end

  // ---- Stage 4: fp32 result; reduction ---------------------------------------------------
  wire        nl_w  = (op_s3_q >= OP_SIGMOID) && (op_s3_q <= OP_RSQRT);
  wire [31:0] mag_w = v_s3_q[31] ? (32'd0 - v_s3_q) : v_s3_q;
  wire [31:0] fnl_w;

  fast_vector_fix2fp u_fix2fp (
    .sign_i (neg_s3_q ^ v_s3_q[31]),
    .mag_i  (mag_w),
    .e2_i   (e2_s3_q),
    .f_o    (fnl_w)
  );

  wire [31:0] y_w = !nl_w ? x_s3_q : spec_s3_q ? spec_val_s3_q : fnl_w;

  reg  [31:0] y_q, r_q, r2_q;
  reg  [31:0] r_d, r2_d;
  wire [31:0] sq_w;
  wire [31:0] rsum_w;
  wire [31:0] r2sum_w;

  fast_fp32_mul u_sq (
    .a_i (y_w),
    .b_i (y_w),
    .p_o (sq_w)
  );

  fast_fp32_add u_rsum (
    .a_i (r_q),
    .b_i (y_w),
    .s_o (rsum_w)
  );

  fast_fp32_add u_r2sum (
    .a_i (r2_q),
    .b_i (sq_w),
    .s_o (r2sum_w)
  );

  always @* begin
    r_d  = r_q;
    r2_d = r2_q;
    if (valid_s3_q && red_s3_q != RED_NONE) begin
      if (first_s3_q)               r_d = y_w;
      else if (red_s3_q == RED_MAX) r_d = fmax(r_q, y_w);
      else                          r_d = rsum_w;
      if (red_s3_q == RED_SUMSQ)    r2_d = first_s3_q ? sq_w : r2sum_w;
    end
  end

  always @(posedge clk_i) begin
    y_q <= y_w;
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      r_q  <= 32'd0;
      r2_q <= 32'd0;
    end else begin
      r_q  <= r_d;
      r2_q <= r2_d;
    end
  end

  assign y_o  = y_q;
  assign r_o  = r_q;
  assign r2_o = r2_q;
endmodule

`default_nettype wire
