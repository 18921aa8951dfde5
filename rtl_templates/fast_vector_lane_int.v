// fast_vector_lane_int: one int32 lane of the vector unit (FP = 0), four register stages.
// An operand beat accepted in cycle t has its result in y_o in cycle t + 4, and the
// accumulators r_o/r2_o include it in cycle t + 4 (docs/rtl.md section 5). Bit-exact with
// fast_ref_vector_int() and fast_ref_vector_reduce() of sim/ref/vector.c.
//   stage 1: elementwise integer ops, the 32x32 product of requantize/norm
//   stage 2: requantize rounding and clamp; nonlinear ops: Q7.24 operand, table segment
//   stage 3: table lookup and segment evaluation
//   stage 4: nonlinear result to Q format; reduction
`default_nettype none

module fast_vector_lane_int (
  input  wire        clk_i,
  input  wire        rst_ni,
  input  wire        valid_i,   // a beat is accepted this cycle
  input  wire [4:0]  op_i,
  input  wire [1:0]  red_i,
  input  wire        first_i,
  input  wire [31:0] a_i,
  input  wire [31:0] b_i,
  input  wire [31:0] c_i,
  input  wire [31:0] zp_i,
  input  wire [5:0]  shift_i,
  input  wire [31:0] lo_i,
  input  wire [31:0] hi_i,
  output wire [31:0] y_o,       // element result
  output wire [31:0] r_o,       // running sum or max
  output wire [31:0] r2_o       // running sum of squares
);
  localparam [4:0] OP_PASS = 5'd0, OP_ADD = 5'd1, OP_SUB = 5'd2, OP_MUL = 5'd3,
                   OP_MAX = 5'd4, OP_MIN = 5'd5, OP_RELU = 5'd6, OP_RELU6 = 5'd7,
                   OP_REQUANT = 5'd8, OP_FMA = 5'd9, OP_NORM = 5'd10, OP_SIGMOID = 5'd11,
                   OP_EXP = 5'd15, OP_RECIP = 5'd16, OP_RSQRT = 5'd17;
  localparam [1:0] RED_NONE = 2'd0, RED_MAX = 2'd2, RED_SUMSQ = 2'd3;

  // Saturates a 34-bit two's-complement value to int32.
  function automatic [31:0] sat32(input [33:0] v);
    begin
      if (!v[33] && (v[32:31] != 2'b00))      sat32 = 32'h7fff_ffff;
      else if (v[33] && (v[32:31] != 2'b11)) sat32 = 32'h8000_0000;
      else                                   sat32 = v[31:0];
    end
  endfunction

  // ---- Control pipeline: what each stage needs of the beat it holds ----------------------
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
  wire signed [31:0] a_w    = $signed(a_i);
  wire signed [31:0] b_w    = $signed(b_i);
  wire        [31:0] diff_w = sat32({{2{a_i[31]}}, a_i} - {{2{b_i[31]}}, b_i});
  wire        [31:0] ab_w   = a_i * b_i;  // low 32 bits: wraps
  reg         [31:0] x_s1_d;

  always @* begin
    case (op_i)
      OP_PASS:  x_s1_d = a_i;
      OP_ADD:   x_s1_d = a_i + b_i;
      OP_SUB:   x_s1_d = a_i - b_i;
      OP_MUL:   x_s1_d = ab_w;
      OP_MAX:   x_s1_d = (a_w >= b_w) ? a_i : b_i;
      OP_MIN:   x_s1_d = (a_w <= b_w) ? a_i : b_i;
      OP_RELU:  x_s1_d = (a_w > 32'sd0) ? a_i : 32'd0;
      OP_RELU6: x_s1_d = (a_w < $signed(lo_i)) ? lo_i : (a_w > $signed(hi_i)) ? hi_i : a_i;
      OP_FMA:   x_s1_d = ab_w + c_i;
      OP_EXP:   x_s1_d = diff_w;
      default:  x_s1_d = ((op_i >= OP_SIGMOID) && (op_i <= OP_RSQRT)) ? a_i : 32'd0;
    endcase
  end

  // requantize: a * b; norm: sat32(a - b) * c. Both fit 64 bits.
  wire        [31:0] rq_d_w = (op_i == OP_NORM) ? diff_w : a_i;
  wire        [31:0] rq_m_w = (op_i == OP_NORM) ? c_i : b_i;
  wire signed [63:0] prod_w = $signed({{32{rq_d_w[31]}}, rq_d_w}) *
                              $signed({{32{rq_m_w[31]}}, rq_m_w});

  reg [31:0] x_s1_q;
  reg [63:0] p_s1_q;
  reg [31:0] zp_s1_q, lo_s1_q, hi_s1_q;
  reg [5:0]  shift_s1_q;

  always @(posedge clk_i) begin
    x_s1_q     <= x_s1_d;
    p_s1_q     <= prod_w;
    zp_s1_q    <= zp_i;
    lo_s1_q    <= lo_i;
    hi_s1_q    <= hi_i;
    shift_s1_q <= shift_i;
  end

  // ---- Stage 2: requantize, round half away from zero ------------------------------------
  wire signed [63:0] q_w    = $signed(p_s1_q) >>> shift_s1_q;
  wire        [63:0] mask_w = (64'd1 << shift_s1_q) - 64'd1;
  wire        [63:0] rem_w  = p_s1_q & mask_w;
  wire        [63:0] half_w = (64'd1 << shift_s1_q) >> 1;  // 0 when shift = 0
  wire               up_w   = (shift_s1_q != 6'd0) &&
                              ((rem_w > half_w) || ((rem_w == half_w) && !p_s1_q[63]));
  wire signed [64:0] t_w    = $signed({q_w[63], q_w}) + $signed({64'd0, up_w}) +
                              $signed({{33{zp_s1_q[31]}}, zp_s1_q});
  wire signed [64:0] lo_w   = $signed({{33{lo_s1_q[31]}}, lo_s1_q});
  wire signed [64:0] hi_w   = $signed({{33{hi_s1_q[31]}}, hi_s1_q});
  wire        [31:0] rq_w   = (t_w < lo_w) ? lo_s1_q : (t_w > hi_w) ? hi_s1_q : t_w[31:0];

  // Nonlinear operand: Q15.16 -> Q7.24 (saturated); recip/rsqrt normalize x > 0.
  wire               xfit_w = (x_s1_q[31:23] == {9{x_s1_q[31]}});  // |x| < 2^23
  wire        [31:0] xk_w   = xfit_w ? {x_s1_q[23:0], 8'd0} :
                              x_s1_q[31] ? 32'h8000_0000 : 32'h7fff_ffff;

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

  wire        [5:0]  lz_w    = lzc32(x_s1_q);
  wire        [31:0] norm_w  = x_s1_q << (lz_w[4:0] - 5'd1);   // leading one at bit 30
  wire               rspec_w = x_s1_q[31] || (x_s1_q == 32'd0); // x <= 0: saturate
  wire        [9:0]  rexp_w  = 10'd15 - {4'd0, lz_w};           // position - 16
  wire               unused_norm;  // bits outside 1.frac23 (default --unused-regexp)
  assign unused_norm = ^{norm_w[31:30], norm_w[6:0]};

  wire [2:0]  tab_w;
  wire [7:0]  idx_w;
  wire [20:0] u_w;
  wire        sh23_w;
  wire [9:0]  e2_w;
  wire        spec_w;
  wire [31:0] spec_val_w;

  fast_vector_prep #(
    .FP (0)
  ) u_prep (
    .op_i        (op_s1_q),
    .xk_i        (xk_w),
    .x_i         (x_s1_q),
    .rfrac_i     (norm_w[29:7]),
    .rexp_i      (rexp_w),
    .rspec_i     (rspec_w),
    .rspec_val_i (32'h7fff_ffff),
    .tab_o       (tab_w),
    .idx_o       (idx_w),
    .u_o         (u_w),
    .sh23_o      (sh23_w),
    .e2_o        (e2_w),
    .spec_o      (spec_w),
    .spec_val_o  (spec_val_w)
  );

  reg [31:0] x_s2_q;
  reg [2:0]  tab_s2_q;
  reg [7:0]  idx_s2_q;
  reg [20:0] u_s2_q;
  reg        sh23_s2_q;
  reg [9:0]  e2_s2_q;
  reg        spec_s2_q;
  reg [31:0] spec_val_s2_q;
  reg [5:0]  shift_s2_q;

  always @(posedge clk_i) begin
    x_s2_q        <= (op_s1_q == OP_REQUANT || op_s1_q == OP_NORM) ? rq_w : x_s1_q;
    tab_s2_q      <= tab_w;
    idx_s2_q      <= idx_w;
    u_s2_q        <= u_w;
    sh23_s2_q     <= sh23_w;
    e2_s2_q       <= e2_w;
    spec_s2_q     <= spec_w;
    spec_val_s2_q <= spec_val_w;
    shift_s2_q    <= shift_s1_q;
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
  reg        spec_s3_q;
  reg [5:0]  shift_s3_q;

  always @(posedge clk_i) begin
    x_s3_q        <= x_s2_q;
    v_s3_q        <= v_w;
    e2_s3_q       <= e2_s2_q;
    spec_s3_q     <= spec_s2_q;
    spec_val_s3_q <= spec_val_s2_q;
    shift_s3_q    <= shift_s2_q;
  end

  // ---- Stage 4: Q-format result (v * 2^(e2 + F), rounded half up, saturated); reduce ------
  // F = 16 (Q15.16) except recip/rsqrt, whose F is the shift operand.
  wire               nl_w   = (op_s3_q >= OP_SIGMOID) && (op_s3_q <= OP_RSQRT);
  wire        [5:0]  frac_w = (op_s3_q == OP_RECIP || op_s3_q == OP_RSQRT) ? shift_s3_q : 6'd16;
  wire signed [11:0] sh_w   = -($signed({{2{e2_s3_q[9]}}, e2_s3_q}) + $signed({6'd0, frac_w}));
  // Clamping the shift to [-32, 40] changes no result and bounds the shifter.
  wire signed [11:0] shc_w  = (sh_w > 12'sd40) ? 12'sd40 : (sh_w < -12'sd32) ? -12'sd32 : sh_w;
  wire        [5:0]  rsh_w  = shc_w[5:0];
  wire        [5:0]  lsh_w  = 6'd0 - shc_w[5:0];
  wire signed [63:0] v64_w  = $signed({{32{v_s3_q[31]}}, v_s3_q});
  wire signed [63:0] rnd_w  = (v64_w + $signed(64'd1 << (rsh_w - 6'd1))) >>> rsh_w;
  wire signed [63:0] lft_w  = v64_w <<< lsh_w;
  wire        [63:0] sel_w  = (shc_w > 12'sd0) ? rnd_w : lft_w;
  wire        [31:0] ynl_w  = spec_s3_q ? spec_val_s3_q :
                              (sel_w[63] && (sel_w[62:31] != 32'hffff_ffff)) ? 32'h8000_0000 :
                              (!sel_w[63] && (sel_w[62:31] != 32'd0)) ? 32'h7fff_ffff :
                              sel_w[31:0];
  wire        [31:0] y_w    = nl_w ? ynl_w : x_s3_q;

  reg  [31:0] y_q, r_q, r2_q;
  reg  [31:0] r_d, r2_d;
  wire [31:0] sq_w = y_w * y_w;

  always @* begin
    r_d  = r_q;
    r2_d = r2_q;
    if (valid_s3_q && red_s3_q != RED_NONE) begin
      if (first_s3_q)                  r_d = y_w;
      else if (red_s3_q == RED_MAX)    r_d = ($signed(r_q) >= $signed(y_w)) ? r_q : y_w;
      else                             r_d = r_q + y_w;
      if (red_s3_q == RED_SUMSQ)       r2_d = first_s3_q ? sq_w : r2_q + sq_w;
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
