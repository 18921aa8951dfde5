// dma_top: the test harness top of tests/rtl/dma: one fast_dma with three fast_scratchpad
// instances standing in for an array's input, weight and accumulator memories (E-byte,
// E-byte and 4-byte elements; each PORT = W / element bytes wide, so one DMA beat is one
// scratchpad access). The external-memory port goes out to the C++ memory model; the
// scratchpads' array-side read port B comes out as dbg_* so the testbench can read them.
`default_nettype none

module dma_top #(
  parameter integer E     = 1,     // operand element bytes
  parameter integer W     = 8,     // DMA beat bytes
  parameter integer ROWQ  = 32,    // DMA row look-ahead
  parameter integer IBMUL = 1,     // inp banks per port lane (1 or 2)
  parameter integer WBMUL = 1,     // wgt banks per port lane
  parameter integer ABMUL = 1,     // acc banks per port lane
  parameter integer SPD   = 2048,  // inp and wgt elements
  parameter integer ACCD  = 512    // acc words
) (
  input  wire           clk_i,
  input  wire           rst_ni,
  input  wire [15:0]    lat_i,
  input  wire [23:0]    bw_i,
  input  wire           cmd_valid_i,
  output wire           cmd_ready_o,
  input  wire           cmd_store_i,
  input  wire [1:0]     cmd_mem_i,
  input  wire           cmd_cont_i,
  input  wire [1:0]     cmd_fmt_i,
  input  wire [31:0]    cmd_dram_i,
  input  wire [31:0]    cmd_spad_i,
  input  wire [15:0]    cmd_x_i,
  input  wire [15:0]    cmd_y_i,
  input  wire [15:0]    cmd_z_i,
  input  wire [23:0]    cmd_y_dstride_i,
  input  wire [23:0]    cmd_y_sstride_i,
  input  wire [31:0]    cmd_z_dstride_i,
  input  wire [7:0]     cmd_pad_y0_i,
  input  wire [7:0]     cmd_pad_y1_i,
  input  wire [7:0]     cmd_pad_z0_i,
  input  wire [7:0]     cmd_pad_z1_i,
  output wire           done_o,
  output wire           done_store_o,
  output wire           idle_o,
  output wire           rreq_valid_o,
  input  wire           rreq_ready_i,
  output wire [31:0]    rreq_addr_o,
  output wire [17:0]    rreq_bytes_o,
  input  wire           rdata_valid_i,
  output wire           rdata_ready_o,
  input  wire [8*W-1:0] rdata_i,
  output wire           wreq_valid_o,
  input  wire           wreq_ready_i,
  output wire [31:0]    wreq_addr_o,
  output wire [17:0]    wreq_bytes_o,
  output wire           wdata_valid_o,
  input  wire           wdata_ready_i,
  output wire [8*W-1:0] wdata_o,
  output wire [W-1:0]   wdata_strb_o,
  input  wire           wresp_valid_i,
  output wire           wresp_ready_o,
  input  wire           dbg_re_i,
  input  wire [1:0]     dbg_mem_i,
  input  wire [15:0]    dbg_addr_i,
  output wire [8*W-1:0] dbg_data_o
);
  localparam integer OP  = W / E;  // operand elements per beat
  localparam integer AP  = W / 4;  // accumulator words per beat
  localparam integer OAW = $clog2(SPD);
  localparam integer AAW = $clog2(ACCD);

  wire           spad_we;
  wire [1:0]     spad_wmem;
  wire [31:0]    spad_waddr;
  wire [W-1:0]   spad_wmask;
  wire [8*W-1:0] spad_wdata;
  wire           spad_re;
  wire [1:0]     spad_rmem;
  wire [31:0]    spad_raddr;
  wire [8*W-1:0] spad_rdata;

  // One memory: the DMA's global-memory outputs are not used.
  wire unused_req_glob, unused_mov_glob;
  fast_dma #(
    .E    (E),
    .W    (W),
    .ROWQ (ROWQ)
  ) u_dma (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .lat_i           (lat_i),
    .bw_i            (bw_i),
    .gbw_i           (bw_i),
    .cmd_valid_i     (cmd_valid_i),
    .cmd_ready_o     (cmd_ready_o),
    .cmd_store_i     (cmd_store_i),
    .cmd_mem_i       (cmd_mem_i),
    .cmd_cont_i      (cmd_cont_i),
    .cmd_fmt_i       (cmd_fmt_i),
    .cmd_dram_i      (cmd_dram_i),
    .cmd_spad_i      (cmd_spad_i),
    .cmd_x_i         (cmd_x_i),
    .cmd_y_i         (cmd_y_i),
    .cmd_z_i         (cmd_z_i),
    .cmd_y_dstride_i (cmd_y_dstride_i),
    .cmd_y_sstride_i (cmd_y_sstride_i),
    .cmd_z_dstride_i (cmd_z_dstride_i),
    .cmd_pad_y0_i    (cmd_pad_y0_i),
    .cmd_pad_y1_i    (cmd_pad_y1_i),
    .cmd_pad_z0_i    (cmd_pad_z0_i),
    .cmd_pad_z1_i    (cmd_pad_z1_i),
    .done_o          (done_o),
    .done_store_o    (done_store_o),
    .idle_o          (idle_o),
    .req_glob_o      (unused_req_glob),
    .mov_glob_o      (unused_mov_glob),
    .gwresp_valid_i  (1'b0),
    .rreq_valid_o    (rreq_valid_o),
    .rreq_ready_i    (rreq_ready_i),
    .rreq_addr_o     (rreq_addr_o),
    .rreq_bytes_o    (rreq_bytes_o),
    .rdata_valid_i   (rdata_valid_i),
    .rdata_ready_o   (rdata_ready_o),
    .rdata_i         (rdata_i),
    .wreq_valid_o    (wreq_valid_o),
    .wreq_ready_i    (wreq_ready_i),
    .wreq_addr_o     (wreq_addr_o),
    .wreq_bytes_o    (wreq_bytes_o),
    .wdata_valid_o   (wdata_valid_o),
    .wdata_ready_i   (wdata_ready_i),
    .wdata_o         (wdata_o),
    .wdata_strb_o    (wdata_strb_o),
    .wresp_valid_i   (wresp_valid_i),
    .wresp_ready_o   (wresp_ready_o),
    .spad_we_o       (spad_we),
    .spad_wmem_o     (spad_wmem),
    .spad_waddr_o    (spad_waddr),
    .spad_wmask_o    (spad_wmask),
    .spad_wdata_o    (spad_wdata),
    .spad_re_o       (spad_re),
    .spad_rmem_o     (spad_rmem),
    .spad_raddr_o    (spad_raddr),
    .spad_rdata_i    (spad_rdata)
  );

  // Element write masks from the DMA's byte mask.
  wire [OP-1:0] omask;
  wire [AP-1:0] amask;
  genvar j;
  generate
    for (j = 0; j < OP; j = j + 1) begin : g_omask
      assign omask[j] = spad_wmask[j*E];
    end
    for (j = 0; j < AP; j = j + 1) begin : g_amask
      assign amask[j] = spad_wmask[j*4];
    end
  endgenerate
  wire unused_bits = ^{spad_waddr[31:OAW], spad_raddr[31:OAW], spad_wmask};

  wire [8*W-1:0] rd_a [0:2];
  wire [8*W-1:0] rd_b [0:2];
  reg  [1:0]     rmem_q;
  reg  [1:0]     dmem_q;
  always @(posedge clk_i) begin
    if (spad_re)  rmem_q <= spad_rmem;
    if (dbg_re_i) dmem_q <= dbg_mem_i;
  end
  assign spad_rdata = rd_a[rmem_q == 2'd3 ? 2'd2 : rmem_q];
  assign dbg_data_o = rd_b[dmem_q == 2'd3 ? 2'd2 : dmem_q];

  fast_scratchpad #(
    .EW    (8 * E),
    .DEPTH (SPD),
    .BANKS (OP * IBMUL),
    .PORT  (OP)
  ) u_inp (
    .clk_i     (clk_i),
    .we_i      (spad_we & (spad_wmem == 2'd0)),
    .waddr_i   (spad_waddr[OAW-1:0]),
    .wmask_i   (omask),
    .wdata_i   (spad_wdata),
    .re_a_i    (spad_re & (spad_rmem == 2'd0)),
    .raddr_a_i (spad_raddr[OAW-1:0]),
    .rdata_a_o (rd_a[0]),
    .re_b_i    (dbg_re_i & (dbg_mem_i == 2'd0)),
    .raddr_b_i (dbg_addr_i[OAW-1:0]),
    .rdata_b_o (rd_b[0])
  );

  fast_scratchpad #(
    .EW    (8 * E),
    .DEPTH (SPD),
    .BANKS (OP * WBMUL),
    .PORT  (OP)
  ) u_wgt (
    .clk_i     (clk_i),
    .we_i      (spad_we & (spad_wmem == 2'd1)),
    .waddr_i   (spad_waddr[OAW-1:0]),
    .wmask_i   (omask),
    .wdata_i   (spad_wdata),
    .re_a_i    (spad_re & (spad_rmem == 2'd1)),
    .raddr_a_i (spad_raddr[OAW-1:0]),
    .rdata_a_o (rd_a[1]),
    .re_b_i    (dbg_re_i & (dbg_mem_i == 2'd1)),
    .raddr_b_i (dbg_addr_i[OAW-1:0]),
    .rdata_b_o (rd_b[1])
  );

  fast_scratchpad #(
    .EW    (32),
    .DEPTH (ACCD),
    .BANKS (AP * ABMUL),
    .PORT  (AP)
  ) u_acc (
    .clk_i     (clk_i),
    .we_i      (spad_we & (spad_wmem == 2'd2)),
    .waddr_i   (spad_waddr[AAW-1:0]),
    .wmask_i   (amask),
    .wdata_i   (spad_wdata),
    .re_a_i    (spad_re & (spad_rmem == 2'd2)),
    .raddr_a_i (spad_raddr[AAW-1:0]),
    .rdata_a_o (rd_a[2]),
    .re_b_i    (dbg_re_i & (dbg_mem_i == 2'd2)),
    .raddr_b_i (dbg_addr_i[AAW-1:0]),
    .rdata_b_o (rd_b[2])
  );
endmodule

`default_nettype wire
