// fast_systolic_ws: a weight-stationary systolic array of ROWS x COLS PEs with its input
// skew and output deskew (docs/model.md 1.1).
//
// Weights: w_we_i writes the COLS weights of w_data_i into the shadow registers of row
// w_row_i. Activations: a vector of ROWS elements enters per cycle; element k reaches
// PE (k, n) k + n cycles later. in_swap_i marks the first vector of a tile with new
// weights. Partial sums flow down; the sums of the vector that entered in cycle t leave,
// all COLS columns aligned, in cycle t + ROWS + COLS - 1 (out_*). A tag (the accumulator
// address, say) travels with each vector; early_* show it one cycle before out_*, so that a
// synchronous memory can read what the result will be added to.
//
// The caller keeps the weight-load rule of docs/model.md 1.1: row k of the next tile's
// weights is written only after every PE of row k has swapped to the current tile.
`default_nettype none

module fast_systolic_ws #(
  parameter integer ROWS  = 8,                        // PE rows: the reduction dimension
  parameter integer COLS  = 8,                        // PE columns: the output dimension
  parameter integer DTYPE = 0,                        // 0 int8, 1 bf16
  parameter integer TAG_W = 1,                        // bits of the tag that travels along
  parameter integer EW    = (DTYPE == 0) ? 8 : 16,    // operand bits; derived
  parameter integer RW    = (ROWS > 1) ? $clog2(ROWS) : 1  // row-address bits; derived
) (
  input  wire                clk_i,
  input  wire                rst_ni,
  // weight bus
  input  wire                w_we_i,
  input  wire [RW-1:0]       w_row_i,
  input  wire [COLS*EW-1:0]  w_data_i,
  // activation vectors
  input  wire                in_valid_i,
  input  wire                in_swap_i,
  input  wire [ROWS*EW-1:0]  in_act_i,
  input  wire [TAG_W-1:0]    in_tag_i,
  // one cycle before the results
  output wire                early_valid_o,
  output wire [TAG_W-1:0]    early_tag_o,
  // results
  output wire                out_valid_o,
  output wire [TAG_W-1:0]    out_tag_o,
  output wire [COLS*32-1:0]  out_psum_o
);
  localparam integer LATENCY = ROWS + COLS - 1;

  // Horizontal pipeline: element (k, n) is what PE (k, n) sees this cycle.
  wire [ROWS*COLS*EW-1:0] h_act;
  wire [ROWS*COLS-1:0]    h_valid;
  wire [ROWS*COLS-1:0]    h_swap;
  // Vertical pipeline: element (k, n) is the registered output of PE (k, n).
  wire [ROWS*COLS*32-1:0] v_psum;

  genvar k, n;
  generate
    for (k = 0; k < ROWS; k = k + 1) begin : g_row
      // Skew: row k's element is delayed k cycles before it reaches column 0.
      wire [EW+1:0] skewed;
      if (k == 0) begin : g_no_skew
        assign skewed = {in_valid_i, in_swap_i, in_act_i[EW-1:0]};
      end else begin : g_skew
        fast_delay #(
          .WIDTH (EW + 2),
          .DEPTH (k)
        ) u_skew (
          .clk_i  (clk_i),
          .rst_ni (rst_ni),
          .d_i    ({in_valid_i, in_swap_i, in_act_i[k*EW +: EW]}),
          .q_o    (skewed)
        );
      end
      assign h_valid[k*COLS]           = skewed[EW+1];
      assign h_swap[k*COLS]            = skewed[EW];
      assign h_act[k*COLS*EW +: EW]    = skewed[EW-1:0];

      for (n = 0; n < COLS; n = n + 1) begin : g_col
        localparam integer I = k * COLS + n;
        // Carry the activation one column to the right.
        if (n > 0) begin : g_hop
          reg [EW-1:0] act_q;
          reg          valid_q;
          reg          swap_q;
          always @(posedge clk_i) begin
            act_q <= h_act[(I-1)*EW +: EW];
            if (!rst_ni) begin
              valid_q <= 1'b0;
              swap_q  <= 1'b0;
            end else begin
              valid_q <= h_valid[I-1];
              swap_q  <= h_swap[I-1];
            end
          end
          assign h_act[I*EW +: EW] = act_q;
          assign h_valid[I]        = valid_q;
          assign h_swap[I]         = swap_q;
        end

        wire [31:0] psum_above;
        if (k == 0) begin : g_top
          assign psum_above = 32'd0;
        end else begin : g_below
          assign psum_above = v_psum[(I-COLS)*32 +: 32];
        end

        fast_pe_ws #(
          .DTYPE (DTYPE)
        ) u_pe (
          .clk_i   (clk_i),
          .act_i   (h_act[I*EW +: EW]),
          .valid_i (h_valid[I]),
          .swap_i  (h_swap[I]),
          .psum_i  (psum_above),
          .w_we_i  (w_we_i && (w_row_i == k[RW-1:0])),
          .w_i     (w_data_i[n*EW +: EW]),
          .psum_o  (v_psum[I*32 +: 32])
        );
      end
    end

    // Deskew: column n leaves the array n cycles after column 0; delay it COLS-1-n more.
    for (n = 0; n < COLS; n = n + 1) begin : g_deskew
      wire [31:0] bottom = v_psum[((ROWS-1)*COLS+n)*32 +: 32];
      if (n == COLS - 1) begin : g_none
        assign out_psum_o[n*32 +: 32] = bottom;
      end else begin : g_delay
        fast_delay #(
          .WIDTH (32),
          .DEPTH (COLS - 1 - n)
        ) u_deskew (
          .clk_i  (clk_i),
          .rst_ni (rst_ni),
          .d_i    (bottom),
          .q_o    (out_psum_o[n*32 +: 32])
        );
      end
    end

    // The tag and the valid bit follow each vector through the array's latency.
    if (LATENCY == 1) begin : g_tag_direct
      assign early_valid_o = in_valid_i;
      assign early_tag_o   = in_tag_i;
    end else begin : g_tag_delay
      fast_delay #(
        .WIDTH (TAG_W + 1),
        .DEPTH (LATENCY - 1)
      ) u_tag (
        .clk_i  (clk_i),
        .rst_ni (rst_ni),
        .d_i    ({in_valid_i, in_tag_i}),
        .q_o    ({early_valid_o, early_tag_o})
      );
    end
  endgenerate

  fast_delay #(
    .WIDTH (TAG_W + 1),
    .DEPTH (1)
  ) u_out (
    .clk_i  (clk_i),
    .rst_ni (rst_ni),
    .d_i    ({early_valid_o, early_tag_o}),
    .q_o    ({out_valid_o, out_tag_o})
  );
endmodule

`default_nettype wire
