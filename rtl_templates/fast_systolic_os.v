// fast_systolic_os: an output-stationary systolic array of ROWS x COLS PEs
// (docs/model.md 1.2). PE (k, n) accumulates output (k, n) of an ROWS x COLS block.
//
// A tile streams K reduction steps, one per cycle: step j brings the activations
// A[0..ROWS-1][j] (in_act_i) and the weights W[j][0..COLS-1] (in_w_i). Row k's activation
// is skewed by k cycles and column n's weight by n cycles, so PE (k, n) does step j in
// cycle s + j + k + n. in_first_i marks step 0 and in_last_i step K-1; the tag (the
// accumulator address of the block's row 0, say) is taken with the last step.
// Every PE is done by cycle s + K + ROWS + COLS - 3; the results then drain down the
// columns, one row per cycle, bottom row first: row ROWS-1-d leaves in cycle
// s + K + ROWS + COLS - 2 + d (out_*), with early_* one cycle ahead. The caller starts
// the next tile no earlier than s + K + ROWS + COLS - 2 + ROWS.
`default_nettype none

module fast_systolic_os #(
  parameter integer ROWS  = 8,                        // PE rows: output rows of a block
  parameter integer COLS  = 8,                        // PE columns: output columns
  parameter integer DTYPE = 0,                        // 0 int8, 1 bf16
  parameter integer TAG_W = 1,                        // bits of the tag that travels along
  parameter integer EW    = (DTYPE == 0) ? 8 : 16,    // operand bits; derived
  parameter integer RW    = (ROWS > 1) ? $clog2(ROWS) : 1  // row-index bits; derived
) (
  input  wire                clk_i,
  input  wire                rst_ni,
  // reduction steps
  input  wire                in_valid_i,
  input  wire                in_first_i,
  input  wire                in_last_i,
  input  wire [ROWS*EW-1:0]  in_act_i,
  input  wire [COLS*EW-1:0]  in_w_i,
  input  wire [TAG_W-1:0]    in_tag_i,
  // one cycle before each result row
  output wire                early_valid_o,
  output wire [RW-1:0]       early_row_o,
  output wire [TAG_W-1:0]    early_tag_o,
  // result rows
  output wire                out_valid_o,
  output wire [RW-1:0]       out_row_o,
  output wire [TAG_W-1:0]    out_tag_o,
  output wire [COLS*32-1:0]  out_acc_o
);
  localparam integer LATENCY = ROWS + COLS - 1;  // from the last step to the first row out

  wire [ROWS*COLS*EW-1:0] h_act;    // activation that PE (k, n) sees this cycle
  wire [ROWS*COLS-1:0]    h_valid;
  wire [ROWS*COLS-1:0]    h_first;
  wire [ROWS*COLS*EW-1:0] v_w;      // weight that PE (k, n) sees this cycle
  wire [ROWS*COLS*32-1:0] acc;      // result register of PE (k, n)
  wire                    drain = out_valid_o;

  genvar k, n;
  generate
    // Skew the activations of row k by k cycles, with their valid and first flags.
    for (k = 0; k < ROWS; k = k + 1) begin : g_row_skew
      wire [EW+1:0] skewed;
      if (k == 0) begin : g_no_skew
        assign skewed = {in_valid_i, in_first_i, in_act_i[EW-1:0]};
      end else begin : g_skew
        fast_delay #(
          .WIDTH (EW + 2),
          .DEPTH (k)
        ) u_skew (
          .clk_i  (clk_i),
          .rst_ni (rst_ni),
          .d_i    ({in_valid_i, in_first_i, in_act_i[k*EW +: EW]}),
          .q_o    (skewed)
        );
      end
      assign h_valid[k*COLS]        = skewed[EW+1];
      assign h_first[k*COLS]        = skewed[EW];
      assign h_act[k*COLS*EW +: EW] = skewed[EW-1:0];
    end

    // Skew the weights of column n by n cycles.
    for (n = 0; n < COLS; n = n + 1) begin : g_col_skew
      if (n == 0) begin : g_no_skew
        assign v_w[0 +: EW] = in_w_i[0 +: EW];
      end else begin : g_skew
        fast_delay #(
          .WIDTH (EW),
          .DEPTH (n)
        ) u_skew (
          .clk_i  (clk_i),
          .rst_ni (rst_ni),
          .d_i    (in_w_i[n*EW +: EW]),
          .q_o    (v_w[n*EW +: EW])
        );
      end
    end

    for (k = 0; k < ROWS; k = k + 1) begin : g_row
      for (n = 0; n < COLS; n = n + 1) begin : g_col
        localparam integer I = k * COLS + n;
        // Carry the activation one column right.
        if (n > 0) begin : g_hop_right
          reg [EW-1:0] act_q;
          reg          valid_q;
          reg          first_q;
          always @(posedge clk_i) begin
            act_q <= h_act[(I-1)*EW +: EW];
            if (!rst_ni) begin
              valid_q <= 1'b0;
              first_q <= 1'b0;
            end else begin
              valid_q <= h_valid[I-1];
              first_q <= h_first[I-1];
            end
          end
          assign h_act[I*EW +: EW] = act_q;
          assign h_valid[I]        = valid_q;
          assign h_first[I]        = first_q;
        end
        // Carry the weight one row down.
        if (k > 0) begin : g_hop_down
          reg [EW-1:0] w_q;
          always @(posedge clk_i) w_q <= v_w[(I-COLS)*EW +: EW];
          assign v_w[I*EW +: EW] = w_q;
        end

        wire [31:0] above;
        if (k == 0) begin : g_top
          assign above = 32'd0;
        end else begin : g_below
          assign above = acc[(I-COLS)*32 +: 32];
        end

        fast_pe_os #(
          .DTYPE (DTYPE)
        ) u_pe (
          .clk_i   (clk_i),
          .act_i   (h_act[I*EW +: EW]),
          .w_i     (v_w[I*EW +: EW]),
          .valid_i (h_valid[I]),
          .first_i (h_first[I]),
          .drain_i (drain),
          .above_i (above),
          .acc_o   (acc[I*32 +: 32])
        );
      end
    end

    // The last step's flag and tag reach the drain one cycle before the first row leaves.
    wire             start;
    wire [TAG_W-1:0] start_tag;
    if (LATENCY == 1) begin : g_start_direct
      assign start     = in_valid_i & in_last_i;
      assign start_tag = in_tag_i;
    end else begin : g_start_delay
      fast_delay #(
        .WIDTH (TAG_W + 1),
        .DEPTH (LATENCY - 1)
      ) u_start (
        .clk_i  (clk_i),
        .rst_ni (rst_ni),
        .d_i    ({in_valid_i & in_last_i, in_tag_i}),
        .q_o    ({start, start_tag})
      );
    end

    // Drain sequencer, one cycle ahead of the results: rows ROWS-1 down to 0.
    if (ROWS == 1) begin : g_drain_one
      assign early_valid_o = start;
      assign early_row_o   = 1'b0;
      assign early_tag_o   = start_tag;
    end else begin : g_drain_many
      localparam [31:0] LAST_ROW = ROWS - 1;
      localparam [31:0] NEXT_ROW = ROWS - 2;
      reg             active_q;
      reg [RW-1:0]    row_q;
      reg [TAG_W-1:0] tag_q;
      always @(posedge clk_i) begin
        if (!rst_ni) begin
          active_q <= 1'b0;
          row_q    <= {RW{1'b0}};
          tag_q    <= {TAG_W{1'b0}};
        end else if (start) begin
          active_q <= 1'b1;
          row_q    <= NEXT_ROW[RW-1:0];
          tag_q    <= start_tag;
        end else if (active_q) begin
          active_q <= (row_q != {RW{1'b0}});
          row_q    <= row_q - 1'b1;
        end
      end
      assign early_valid_o = start | active_q;
      assign early_row_o   = start ? LAST_ROW[RW-1:0] : row_q;
      assign early_tag_o   = start ? start_tag : tag_q;
    end
  endgenerate

  fast_delay #(
    .WIDTH (TAG_W + RW + 1),
    .DEPTH (1)
  ) u_out (
    .clk_i  (clk_i),
    .rst_ni (rst_ni),
    .d_i    ({early_valid_o, early_row_o, early_tag_o}),
    .q_o    ({out_valid_o, out_row_o, out_tag_o})
  );

  genvar c;
  for (c = 0; c < COLS; c = c + 1) begin : g_out
    assign out_acc_o[c*32 +: 32] = acc[((ROWS-1)*COLS+c)*32 +: 32];
  end
endmodule

`default_nettype wire
