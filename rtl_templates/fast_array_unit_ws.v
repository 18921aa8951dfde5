// fast_array_unit_ws: one weight-stationary systolic array and the accumulator storage
// below it. Each activation vector names the accumulator row its results go to and
// whether they are added to that row (a reduction split over tiles) or replace it; the
// row is written in the cycle the results leave the array (docs/model.md 1.1 and 1.3).
`default_nettype none

module fast_array_unit_ws #(
  parameter integer ROWS      = 8,
  parameter integer COLS      = 8,
  parameter integer DTYPE     = 0,   // 0 int8, 1 bf16
  parameter integer ACC_DEPTH = 64,  // accumulator rows; a multiple of ACC_BANKS, >= 2 per bank
  parameter integer ACC_BANKS = 1,   // a power of two
  parameter integer EW        = (DTYPE == 0) ? 8 : 16,            // derived
  parameter integer RW        = (ROWS > 1) ? $clog2(ROWS) : 1,    // derived
  parameter integer AW        = $clog2(ACC_DEPTH)                 // derived
) (
  input  wire               clk_i,
  input  wire               rst_ni,
  // weight bus: one row of shadow weights per cycle
  input  wire               w_we_i,
  input  wire [RW-1:0]      w_row_i,
  input  wire [COLS*EW-1:0] w_data_i,
  // activation vectors with their accumulator destination
  input  wire               in_valid_i,
  input  wire               in_swap_i,
  input  wire [ROWS*EW-1:0] in_act_i,
  input  wire [AW-1:0]      in_acc_addr_i,
  input  wire               in_acc_add_i,
  // results
  output wire               acc_we_o,
  // vector-unit row write (never in a cycle with acc_we_o)
  input  wire               vw_en_i,
  input  wire [AW-1:0]      vw_addr_i,
  input  wire [COLS*32-1:0] vw_data_i,   // an accumulator row is written this cycle
  input  wire               rd_en_i,
  input  wire [AW-1:0]      rd_addr_i,
  output wire [COLS*32-1:0] rd_data_o
);
  wire               early_valid;
  wire [AW:0]        early_tag;
  wire               out_valid;
  wire [AW:0]        out_tag;
  wire [COLS*32-1:0] out_psum;

  fast_systolic_ws #(
    .ROWS  (ROWS),
    .COLS  (COLS),
    .DTYPE (DTYPE),
    .TAG_W (AW + 1)
  ) u_array (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .w_we_i        (w_we_i),
    .w_row_i       (w_row_i),
    .w_data_i      (w_data_i),
    .in_valid_i    (in_valid_i),
    .in_swap_i     (in_swap_i),
    .in_act_i      (in_act_i),
    .in_tag_i      ({in_acc_add_i, in_acc_addr_i}),
    .early_valid_o (early_valid),
    .early_tag_o   (early_tag),
    .out_valid_o   (out_valid),
    .out_tag_o     (out_tag),
    .out_psum_o    (out_psum)
  );

  fast_accumulator #(
    .COLS  (COLS),
    .DTYPE (DTYPE),
    .DEPTH (ACC_DEPTH),
    .BANKS (ACC_BANKS)
  ) u_acc (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .early_valid_i (early_valid),
    .early_addr_i  (early_tag[AW-1:0]),
    .early_add_i   (early_tag[AW]),
    .wr_valid_i    (out_valid),
    .wr_addr_i     (out_tag[AW-1:0]),
    .wr_add_i      (out_tag[AW]),
    .data_i        (out_psum),
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
