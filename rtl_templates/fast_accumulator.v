// fast_accumulator: the accumulator storage below one systolic array (docs/model.md 1.3).
// DEPTH rows of COLS 32-bit values (int32, or fp32 for bf16 designs) in BANKS banks,
// interleaved by the low address bits. An array result row is written, or added to the
// row already there, in the cycle it leaves the array; the array announces it one cycle
// earlier on the early port so the old row can be read from the synchronous memory in time,
// and again, with the data, on the write port. When a row adds to the row written in the
// cycle before, which the memory read too early to see, that row is forwarded from a
// register instead. A second read port serves the vector unit: a row read in cycle t is on
// rd_data_o in cycle t + 1.
`default_nettype none

module fast_accumulator #(
  parameter integer COLS  = 8,   // values per row
  parameter integer DTYPE = 0,   // 0: int32 sums (int8 designs), 1: fp32 sums (bf16 designs)
  parameter integer DEPTH = 64,  // rows; a multiple of BANKS, at least 2 per bank
  parameter integer BANKS = 1,   // banks, a power of two
  parameter integer AW    = $clog2(DEPTH)  // address bits; derived, do not override
) (
  input  wire               clk_i,
  input  wire               rst_ni,
  // the row that arrives next cycle: where it goes and whether it adds
  input  wire               early_valid_i,
  input  wire [AW-1:0]      early_addr_i,
  input  wire               early_add_i,
  // the row itself, the cycle after
  input  wire               wr_valid_i,
  input  wire [AW-1:0]      wr_addr_i,
  input  wire               wr_add_i,
  input  wire [COLS*32-1:0] data_i,
  // vector-unit row write (the caller never writes in a cycle with wr_valid_i)
  input  wire               vw_en_i,
  input  wire [AW-1:0]      vw_addr_i,
  input  wire [COLS*32-1:0] vw_data_i,
  // vector-unit read port
  input  wire               rd_en_i,
  input  wire [AW-1:0]      rd_addr_i,
  output wire [COLS*32-1:0] rd_data_o
);
  localparam integer BW  = (BANKS > 1) ? $clog2(BANKS) : 0;  // bank-select bits
  localparam integer BD  = DEPTH / BANKS;                    // rows per bank
  localparam integer RAW = AW - BW;                          // row-address bits in a bank
  localparam integer W   = COLS * 32;

  // Forwarding: the row written in the cycle of an early read that hit the same address.
  reg          fwd_q;
  reg  [W-1:0] fwd_row_q;
  wire [W-1:0] stored_row;
  wire [W-1:0] old_row;     // what a result row adds to
  wire [W-1:0] new_row;     // what is written
  wire         fwd_d = wr_valid_i & early_valid_i & early_add_i & (wr_addr_i == early_addr_i);

  always @(posedge clk_i) begin
    if (!rst_ni) fwd_q <= 1'b0;
    else         fwd_q <= fwd_d;
    if (fwd_d) fwd_row_q <= new_row;
  end
  assign old_row = fwd_q ? fwd_row_q : stored_row;

  wire [BANKS*W-1:0] old_rows;   // port A of every bank: the row a result adds to
  wire [BANKS*W-1:0] read_rows;  // port B of every bank: vector-unit reads

  genvar b, c;
  generate
    for (b = 0; b < BANKS; b = b + 1) begin : g_bank
      wire hit_early;
      wire hit_write;
      wire hit_read;
      wire hit_vw;
      if (BANKS == 1) begin : g_single
        assign hit_early = 1'b1;
        assign hit_write = 1'b1;
        assign hit_read  = 1'b1;
        assign hit_vw    = 1'b1;
      end else begin : g_select
        assign hit_early = (early_addr_i[BW-1:0] == b[BW-1:0]);
        assign hit_write = (wr_addr_i[BW-1:0] == b[BW-1:0]);
        assign hit_read  = (rd_addr_i[BW-1:0] == b[BW-1:0]);
        assign hit_vw    = (vw_addr_i[BW-1:0] == b[BW-1:0]);
      end
      fast_sram_2r1w #(
        .WIDTH (W),
        .DEPTH (BD)
      ) u_sram (
        .clk_i     (clk_i),
        .we_i      ((wr_valid_i & hit_write) | (vw_en_i & hit_vw)),
        .waddr_i   (wr_valid_i ? wr_addr_i[AW-1 -: RAW] : vw_addr_i[AW-1 -: RAW]),
        .wdata_i   (wr_valid_i ? new_row : vw_data_i),
        .re_a_i    (early_valid_i & early_add_i & hit_early),
        .raddr_a_i (early_addr_i[AW-1 -: RAW]),
        .rdata_a_o (old_rows[b*W +: W]),
        .re_b_i    (rd_en_i & hit_read),
        .raddr_b_i (rd_addr_i[AW-1 -: RAW]),
        .rdata_b_o (read_rows[b*W +: W])
      );
    end

    if (BANKS == 1) begin : g_one_bank
      assign stored_row = old_rows;
      assign rd_data_o = read_rows;
    end else begin : g_bank_mux
      reg [BW-1:0] rd_bank_q;  // the bank that answers the read of the previous cycle
      always @(posedge clk_i) begin
        if (rd_en_i) rd_bank_q <= rd_addr_i[BW-1:0];
      end
      assign stored_row = old_rows[wr_addr_i[BW-1:0]*W +: W];
      assign rd_data_o = read_rows[rd_bank_q*W +: W];
    end

    // Add the result row to the old row, column by column, or take it as it is.
    for (c = 0; c < COLS; c = c + 1) begin : g_col
      wire [31:0] sum;
      if (DTYPE == 0) begin : g_int
        assign sum = old_row[c*32 +: 32] + data_i[c*32 +: 32];
      end else begin : g_fp
        fast_fp32_add u_add (
          .a_i (old_row[c*32 +: 32]),
          .b_i (data_i[c*32 +: 32]),
          .s_o (sum)
        );
      end
      assign new_row[c*32 +: 32] = wr_add_i ? sum : data_i[c*32 +: 32];
    end
  endgenerate

endmodule

`default_nettype wire
