// fast_array_unit_os: one output-stationary systolic array and the accumulator storage
// below it. A tile's last reduction step names the accumulator row of the block's row 0
// and whether the block is added to what is there; result row r goes to that row + r,
// written in the cycle it leaves the array (docs/model.md 1.2 and 1.3).
`default_nettype none

module fast_array_unit_os #(
  parameter integer ROWS      = 8,
  parameter integer COLS      = 8,
  parameter integer DTYPE     = 0,   // 0 int8, 1 bf16
  parameter integer ACC_DEPTH = 64,  // accumulator rows: >= ROWS, a multiple of ACC_BANKS,
                                     // >= 2 per bank
  parameter integer ACC_BANKS = 1,   // a power of two
  parameter integer EW        = (DTYPE == 0) ? 8 : 16,            // derived
  parameter integer RW        = (ROWS > 1) ? $clog2(ROWS) : 1,    // derived
  parameter integer AW        = $clog2(ACC_DEPTH)                 // derived
) (
  input  wire               clk_i,
  input  wire               rst_ni,
  // reduction steps
  input  wire               in_valid_i,
  input  wire               in_first_i,
  input  wire               in_last_i,
  input  wire [ROWS*EW-1:0] in_act_i,
  input  wire [COLS*EW-1:0] in_w_i,
  input  wire [AW-1:0]      in_acc_addr_i,  // taken with the last step
  input  wire               in_acc_add_i,   // taken with the last step
  // results
  output wire               acc_we_o,
  // vector-unit row write (never in a cycle with acc_we_o)
  input  wire               vw_en_i,
  input  wire [AW-1:0]      vw_addr_i,
  input  wire [COLS*32-1:0] vw_data_i,       // an accumulator row is written this cycle
  input  wire               rd_en_i,
  input  wire [AW-1:0]      rd_addr_i,
  output wire [COLS*32-1:0] rd_data_o
);
  wire               early_valid;
  wire [RW-1:0]      early_row;
  wire [AW:0]        early_tag;
  wire               out_valid;
  wire [RW-1:0]      out_row;
  wire [AW:0]        out_tag;
  wire [COLS*32-1:0] out_acc;

  fast_systolic_os #(
    .ROWS  (ROWS),
    .COLS  (COLS),
    .DTYPE (DTYPE),
    .TAG_W (AW + 1)
  ) u_array (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .in_valid_i    (in_valid_i),
    .in_first_i    (in_first_i),
    .in_last_i     (in_last_i),
    .in_act_i      (in_act_i),
    .in_w_i        (in_w_i),
    .in_tag_i      ({in_acc_add_i, in_acc_addr_i}),
    .early_valid_o (early_valid),
    .early_row_o   (early_row),
    .early_tag_o   (early_tag),
    .out_valid_o   (out_valid),
    .out_row_o     (out_row),
    .out_tag_o     (out_tag),
    .out_acc_o     (out_acc)
  );

  // Row r of the block goes to accumulator row base + r.
  wire [AW-1:0] early_addr;
  wire [AW-1:0] out_addr;
  generate
    if (AW > RW) begin : g_pad
      assign early_addr = early_tag[AW-1:0] + {{(AW-RW){1'b0}}, early_row};
      assign out_addr   = out_tag[AW-1:0] + {{(AW-RW){1'b0}}, out_row};
    end else begin : g_same
      assign early_addr = early_tag[AW-1:0] + early_row;
      assign out_addr   = out_tag[AW-1:0] + out_row;
    end
  endgenerate

  fast_accumulator #(
    .COLS  (COLS),
    .DTYPE (DTYPE),
    .DEPTH (ACC_DEPTH),
    .BANKS (ACC_BANKS)
  ) u_acc (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .early_valid_i (early_valid),
    .early_addr_i  (early_addr),
    .early_add_i   (early_tag[AW]),
    .wr_valid_i    (out_valid),
    .wr_addr_i     (out_addr),
    .wr_add_i      (out_tag[AW]),
    .data_i        (out_acc),
    .vw_en_i       (vw_en_i),
    .vw_addr_i     (vw_addr_i),
    .vw_data_i     (vw_data_i),
    .rd_en_i       (rd_en_i),
    .rd_addr_i     (rd_addr_i),
    .rd_data_o     (rd_data_o)
  );

  assign acc_we_o = out_valid;
endmodule

`default_nettype wire
