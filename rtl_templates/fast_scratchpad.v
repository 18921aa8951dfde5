// fast_scratchpad: an on-chip scratchpad of DEPTH elements of EW bits (docs/rtl.md 9.1).
// Element i lives in bank i % BANKS at row i / BANKS (element interleaving), each bank one
// fast_sram_2r1w of EW-bit words. Every port moves PORT consecutive elements starting at
// any element address: PORT <= BANKS, so the PORT elements of one access fall into PORT
// different banks and no access conflicts with itself, whatever its alignment. Lane j of a
// port is element addr + j.
// - Write port (the DMA): in the cycle we_i is high, lane j is written when wmask_i[j].
// - Read port A (the DMA, for STORE) and read port B (the array or vector side): a read in
//   cycle t returns its PORT elements on rdata_*_o in cycle t + 1 (synchronous, read-first:
//   a write to the same element in cycle t is not seen).
// Addresses wrap modulo DEPTH; the caller keeps accesses inside the memory.
`default_nettype none

module fast_scratchpad #(
  parameter integer EW    = 8,     // bits per element
  parameter integer DEPTH = 1024,  // elements in all; a multiple of BANKS, at least 2 per bank
  parameter integer BANKS = 8,     // banks, a power of two
  parameter integer PORT  = 8,     // elements per access, a power of two, at most BANKS
  parameter integer AW    = $clog2(DEPTH)  // element-address bits; derived, do not override
) (
  input  wire               clk_i,
  // write port
  input  wire               we_i,
  input  wire [AW-1:0]      waddr_i,
  input  wire [PORT-1:0]    wmask_i,
  input  wire [PORT*EW-1:0] wdata_i,
  // read port A
  input  wire               re_a_i,
  input  wire [AW-1:0]      raddr_a_i,
  output wire [PORT*EW-1:0] rdata_a_o,
  // read port B
  input  wire               re_b_i,
  input  wire [AW-1:0]      raddr_b_i,
  output wire [PORT*EW-1:0] rdata_b_o
);
  localparam integer BW  = (BANKS > 1) ? $clog2(BANKS) : 1;  // bank-select bits (1 if one bank)
  localparam integer BD  = DEPTH / BANKS;                    // rows per bank
  localparam integer RAW = (BD > 1) ? $clog2(BD) : 1;        // row-address bits in a bank
  localparam integer LW  = (PORT > 1) ? $clog2(PORT) : 1;    // lane-index bits

  // Bank-order words read by the banks, before rotation into lane order.
  wire [BANKS*EW-1:0] a_words;
  wire [BANKS*EW-1:0] b_words;

  genvar b, j;
  generate
    if (BANKS == 1) begin : g_one_bank
      // One bank, one lane (PORT = 1): no rotation.
      fast_sram_2r1w #(
        .WIDTH (EW),
        .DEPTH (BD)
      ) u_sram (
        .clk_i     (clk_i),
        .we_i      (we_i & wmask_i[0]),
        .waddr_i   (waddr_i),
        .wdata_i   (wdata_i),
        .re_a_i    (re_a_i),
        .raddr_a_i (raddr_a_i),
        .rdata_a_o (a_words),
        .re_b_i    (re_b_i),
        .raddr_b_i (raddr_b_i),
        .rdata_b_o (b_words)
      );
      assign rdata_a_o = a_words;
      assign rdata_b_o = b_words;
    end else begin : g_banks
      // The bank of lane 0 of the read answered this cycle (registered with the read).
      reg [BW-1:0] abank_q;
      reg [BW-1:0] bbank_q;
      always @(posedge clk_i) begin
        if (re_a_i) abank_q <= raddr_a_i[BW-1:0];
        if (re_b_i) bbank_q <= raddr_b_i[BW-1:0];
      end

      for (b = 0; b < BANKS; b = b + 1) begin : g_bank
        // Bank b holds lane (b - bank(addr)) % BANKS of an access; its element is
        // addr + lane, whose high bits are the row in the bank.
        wire [BW-1:0] wlane = b[BW-1:0] - waddr_i[BW-1:0];
        wire [BW-1:0] alane = b[BW-1:0] - raddr_a_i[BW-1:0];
        wire [BW-1:0] blane = b[BW-1:0] - raddr_b_i[BW-1:0];
        wire [AW-1:0] welem = waddr_i + {{(AW-BW){1'b0}}, wlane};
        wire [AW-1:0] aelem = raddr_a_i + {{(AW-BW){1'b0}}, alane};
        wire [AW-1:0] belem = raddr_b_i + {{(AW-BW){1'b0}}, blane};
        // The low bits of each element address are b itself.
        wire          unused_low = ^{welem[BW-1:0], aelem[BW-1:0], belem[BW-1:0]};
        wire          wr_en;
        wire          ra_en;
        wire          rb_en;
        wire [EW-1:0] wr_word;
        if (PORT == BANKS) begin : g_full
          assign wr_en   = we_i & wmask_i[wlane];
          assign ra_en   = re_a_i;
          assign rb_en   = re_b_i;
          assign wr_word = wdata_i[wlane*EW +: EW];
        end else if (PORT == 1) begin : g_single
          // One lane: bank b takes part only when it holds the addressed element.
          assign wr_en   = we_i & wmask_i[0] & (wlane == {BW{1'b0}});
          assign ra_en   = re_a_i & (alane == {BW{1'b0}});
          assign rb_en   = re_b_i & (blane == {BW{1'b0}});
          assign wr_word = wdata_i;
        end else begin : g_part
          // Only lanes below PORT exist (the lane's high bits are 0); other banks are idle.
          wire [LW-1:0] wl = wlane[LW-1:0];
          assign wr_en   = we_i & (wlane[BW-1:LW] == {(BW-LW){1'b0}}) & wmask_i[wl];
          assign ra_en   = re_a_i & (alane[BW-1:LW] == {(BW-LW){1'b0}});
          assign rb_en   = re_b_i & (blane[BW-1:LW] == {(BW-LW){1'b0}});
          assign wr_word = wdata_i[wl*EW +: EW];
        end
        fast_sram_2r1w #(
          .WIDTH (EW),
          .DEPTH (BD)
        ) u_sram (
          .clk_i     (clk_i),
          .we_i      (wr_en),
          .waddr_i   (welem[AW-1 -: RAW]),
          .wdata_i   (wr_word),
          .re_a_i    (ra_en),
          .raddr_a_i (aelem[AW-1 -: RAW]),
          .rdata_a_o (a_words[b*EW +: EW]),
          .re_b_i    (rb_en),
          .raddr_b_i (belem[AW-1 -: RAW]),
          .rdata_b_o (b_words[b*EW +: EW])
        );
      end

      // Lane j of a read is the word of bank (bank(addr) + j) % BANKS.
      for (j = 0; j < PORT; j = j + 1) begin : g_lane
        wire [BW-1:0] a_src = abank_q + j[BW-1:0];
        wire [BW-1:0] b_src = bbank_q + j[BW-1:0];
        assign rdata_a_o[j*EW +: EW] = a_words[a_src*EW +: EW];
        assign rdata_b_o[j*EW +: EW] = b_words[b_src*EW +: EW];
      end
    end
  endgenerate

endmodule

`default_nettype wire
