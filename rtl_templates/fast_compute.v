// fast_compute: the compute unit of one array (docs/isa.md 1 and 3, docs/rtl.md 10). It
// runs the compute queue in order:
// - MATMUL, weight-stationary (OS = 0): a weight loader writes the tile's R rows of weights into the array's shadow
//   registers, one row per cycle (rows q >= k and columns j >= n are zeros), and a streamer
//   sends the m activation vectors (elements q >= k zero), the first with the swap flag,
//   each tagged with its accumulator row and the accumulate flag. Within a run the tiles
//   follow docs/model.md 1.1 exactly: the first streams R cycles after its weights start,
//   the next tile's weights start C cycles after the previous tile started streaming and
//   each next tile streams max(m, C + 1, R) cycles after the previous one.
// - MATMUL, output-stationary (OS = 1): one tile at a time (docs/model.md 1.2). A filler
//   reads the activations a chunk of R reduction steps at a time (R elements of each of the
//   R rows, one row per cycle, from the cycle the MATMUL is taken) into one of two R x R
//   buffers, and a streamer, R cycles after the take, sends one step per cycle: column j of
//   the chunk's buffer and weight row j (rows i >= m, steps q >= k and columns j >= n are
//   zeros). Step 0 reaches the array R + 1 cycles after the take, the later chunks arrive in
//   their buffer just in time, and the next tile of a run is taken K + R + C - 2 cycles
//   after the streamer started this one, so that it streams K + 2R + C - 2 cycles after it
//   (its fill overlaps this tile's drain).
// - VECTOR: reads the accumulator rows one by one, feeds their words to the core's vector
//   unit in chunks of CH = min(LANES, C) words per cycle and writes each row back when its
//   last chunk returns (the words past cols unchanged).
// The accumulator is two halves (rows below HALF, and the rest), each its own memories, so
// the array can work in one half while the vector engine works in the other: a VECTOR
// starts once no tile in flight touches its halves, and a MATMUL waits while the vector
// engine works in a half the MATMUL touches (the halves of its first and last rows). The
// tile keeps STOREs from the accumulator out of the vector engine's halves the same way.
// - SYNC (and LOAD into acc, which this RTL does not move: tokens only): once everything
//   before it has finished.
// An instruction that pops a token starts only once the array has drained (it ends the run);
// pushes are given when the instruction has finished: a MATMUL's when its last result row
// is in the accumulator, a VECTOR's when its last row is written back.
// Accumulator addresses are words; row r of the accumulator holds words r * P .. r * P + C - 1
// with P = 2^LOGP the smallest power of two >= C (docs/isa.md 2.1 rules).
`default_nettype none

module fast_compute #(
  parameter integer ROWS   = 8,
  parameter integer COLS   = 8,
  parameter integer DTYPE  = 0,   // 0 int8, 1 bf16
  parameter integer OS     = 0,   // 1: output-stationary array
  parameter integer LANES  = 8,   // vector lanes of the core
  parameter integer IPORT  = 8,   // elements per input-scratchpad read, >= ROWS
  parameter integer WPORT  = 8,   // elements per weight-scratchpad read, >= COLS
  parameter integer IAW    = 10,  // input-scratchpad element-address bits
  parameter integer WAW    = 10,  // weight-scratchpad element-address bits
  parameter integer AAW    = 6,   // accumulator row-address bits
  parameter integer LOGP   = 3,   // log2 of the accumulator row pitch in words
  parameter integer HALF   = 32,  // accumulator rows in the first half
  parameter integer EW     = (DTYPE == 0) ? 8 : 16,          // derived
  parameter integer RW     = (ROWS > 1) ? $clog2(ROWS) : 1,  // derived
  parameter integer CH     = (LANES < COLS) ? LANES : COLS   // derived: words per vector beat
) (
  input  wire                clk_i,
  input  wire                rst_ni,
  // compute queue
  input  wire                q_valid_i,
  input  wire [255:0]        q_insn_i,
  output wire                q_pop_o,
  // tokens
  input  wire                l2c_avail_i,   // a load->compute token is there
  input  wire                s2c_avail_i,   // a store->compute token is there
  output wire                take_l2c_o,
  output wire                take_s2c_o,
  output wire                give_c2l_o,
  output wire                give_c2s_o,
  // the DMA is reading or about to read the accumulator (a STORE from acc)
  input  wire [1:0]          store_mask_i,  // halves a STORE from acc is reading
  output wire [1:0]          vec_mask_o,    // halves the vector engine works in (or asks for)
  output wire                idle_o,
  // scratchpad reads (data the next cycle)
  output wire                inp_re_o,
  output wire [IAW-1:0]      inp_addr_o,
  input  wire [IPORT*EW-1:0] inp_data_i,
  output wire                wgt_re_o,
  output wire [WAW-1:0]      wgt_addr_o,
  input  wire [WPORT*EW-1:0] wgt_data_i,
  // the array
  output wire                w_we_o,        // weight-stationary: a row of shadow weights
  output wire [RW-1:0]       w_row_o,
  output wire [COLS*EW-1:0]  w_data_o,      // (output-stationary: the step's weight row)
  output wire                in_valid_o,
  output wire                in_swap_o,     // weight-stationary
  output wire                in_first_o,    // output-stationary: the tile's first step
  output wire                in_last_o,     // and its last (with the accumulator row)
  output wire [ROWS*EW-1:0]  in_act_o,
  output wire [AAW-1:0]      in_acc_addr_o,
  output wire                in_acc_add_o,
  // accumulator: row read (data the next cycle) and row write for the vector engine
  output wire                ar_en_o,
  output wire [AAW-1:0]      ar_addr_o,
  input  wire [COLS*32-1:0]  ar_data_i,
  output wire                aw_en_o,
  output wire [AAW-1:0]      aw_addr_o,
  output wire [COLS*32-1:0]  aw_data_o,
  // the core's vector unit
  output wire                vreq_o,
  input  wire                vgnt_i,
  output wire                v_valid_o,
  output wire [4:0]          v_op_o,
  output wire [LANES*32-1:0] v_a_o,
  output wire [LANES*32-1:0] v_b_o,
  output wire [LANES*32-1:0] v_c_o,
  output wire [31:0]         v_zp_o,
  output wire [5:0]          v_shift_o,
  output wire [31:0]         v_lo_o,
  output wire [31:0]         v_hi_o,
  input  wire [LANES*32-1:0] v_y_i
);
  localparam [3:0] OP_LOAD = 4'd0, OP_MATMUL = 4'd2, OP_VECTOR = 4'd3, OP_SYNC = 4'd4;
  localparam integer R = ROWS, C = COLS;
  localparam integer SCW = 24;  // bits of the cycle counters (saturating)
  localparam [SCW-1:0] R_S  = R[SCW-1:0];
  localparam [SCW-1:0] ONE  = 1;

  // ---------------------------------------------------------------- the head instruction
  wire [3:0]  h_op        = q_insn_i[3:0];
  wire        h_pop_prev  = q_insn_i[4];
  wire        h_pop_next  = q_insn_i[5];
  wire        h_push_prev = q_insn_i[6];
  wire        h_push_next = q_insn_i[7];
  wire        h_pops      = h_pop_prev | h_pop_next;
  wire        h_tokens_ok = (~h_pop_prev | l2c_avail_i) & (~h_pop_next | s2c_avail_i);
  // MATMUL fields
  wire        m_accum  = q_insn_i[18];
  wire [31:0] m_inp    = q_insn_i[50:19];
  wire [23:0] m_inp_st = q_insn_i[74:51];
  wire [31:0] m_wgt    = q_insn_i[106:75];
  wire [23:0] m_wgt_st = q_insn_i[130:107];
  wire [31:0] m_acc    = q_insn_i[162:131];
  wire [23:0] m_acc_st = q_insn_i[186:163];
  wire [15:0] m_m      = q_insn_i[202:187];
  wire [15:0] m_k      = q_insn_i[218:203];
  wire [10:0] m_n      = q_insn_i[229:219];
  // VECTOR fields
  wire [4:0]  v_vop    = q_insn_i[22:18];
  wire [31:0] v_acc    = q_insn_i[55:24];
  wire [23:0] v_acc_st = q_insn_i[79:56];
  wire [15:0] v_rows   = q_insn_i[95:80];
  wire [15:0] v_cols   = q_insn_i[111:96];
  wire [31:0] v_b      = q_insn_i[143:112];
  wire [31:0] v_c      = q_insn_i[175:144];
  wire [5:0]  v_shift  = q_insn_i[181:176];
  wire [15:0] v_zp     = q_insn_i[197:182];
  wire [15:0] v_lo     = q_insn_i[213:198];
  wire [15:0] v_hi     = q_insn_i[229:214];

  // The halves an access touches: those of its first and last rows.
  localparam [AAW-1:0] HALF_A = HALF[AAW-1:0];
  function [1:0] halves;
    input [AAW-1:0] first;
    input [AAW-1:0] last;
    begin
      halves = 2'b00;
      halves[first >= HALF_A] = 1'b1;
      halves[last >= HALF_A]  = 1'b1;
    end
  endfunction
  // A weight-stationary tile writes m rows acc_stride apart, an output-stationary one R
  // consecutive rows.
  localparam integer   RM1 = R - 1;
  localparam [AAW+15:0] OS_SPAN = {{AAW{1'b0}}, RM1[15:0]};
  wire [AAW+15:0] m_span = (OS != 0) ? OS_SPAN :
                           ({16'd0, m_acc_st[LOGP +: AAW]}) * ({{AAW{1'b0}}, m_m - 16'd1});
  wire [AAW+15:0] v_span = ({16'd0, v_acc_st[LOGP +: AAW]}) * ({{AAW{1'b0}}, v_rows - 16'd1});
  wire [1:0] m_mask = halves(m_acc[LOGP +: AAW], m_acc[LOGP +: AAW] + m_span[AAW-1:0]);
  wire [1:0] v_mask = halves(v_acc[LOGP +: AAW], v_acc[LOGP +: AAW] + v_span[AAW-1:0]);
  wire unused_spans = ^{m_span[AAW+15:AAW], v_span[AAW+15:AAW]};


  // ---------------------------------------------------------------- decisions
  // What the MATMUL engine (g_ws or g_os below) tells the rest.
  wire       e_idle;      // no tile loaded, filling or streaming
  wire       e_busy;      // a tile is streaming (its pushes wait until it is done)
  wire [1:0] e_hold;      // halves of the tiles loaded or streaming
  wire [1:0] e_mark;      // halves a result row sent into the array this cycle goes to
  wire       e_start;     // a tile starts streaming: the gap to the next one counts from here
  wire [SCW-1:0] e_gap;   // its gap
  wire       e_fin;       // a MATMUL with pushes sends its last step this cycle
  wire       e_fin_prev;
  wire       e_fin_next;
  wire       ld_may;      // the engine may take a MATMUL that pops no token
  wire       ve_busy;     // the vector engine is running
  wire       ve_done;     // its last row was written back in the cycle before
  wire [1:0] ve_mask;     // the halves it works in
  // What the shared part below makes of it.
  reg  [SCW-1:0] since_s_q;  // cycles since the last tile started streaming (saturating)
  reg  [SCW-1:0] gap_q;      // the gap of that tile
  reg  [SCW-1:0] drain0_q;   // cycles until the last result row in half 0 is written
  reg  [SCW-1:0] drain1_q;   // and in half 1
  reg            pw_q;       // pushes of a finished MATMUL wait for the drain
  reg            pw_prev_q;
  reg            pw_next_q;
  wire none_draining = (drain0_q == {SCW{1'b0}}) & (drain1_q == {SCW{1'b0}});
  // The pushes of a finished MATMUL, in the first cycle its last row can be read.
  wire mm_pw_done = pw_q & none_draining & ~e_busy & ~ve_busy;
  // (A MATMUL's pushes are given in the cycle the array has drained, and the next
  // instruction may start in that same cycle.)
  wire drained    = e_idle & none_draining & (~pw_q | mm_pw_done);
  // Halves the array may still read or write: tiles loaded, streaming or draining.
  wire [1:0] arr_mask = e_hold | {drain1_q != {SCW{1'b0}}, drain0_q != {SCW{1'b0}}};
  wire quiet   = drained & ~ve_busy;
  wire mm_free = ((m_mask & ve_mask) == 2'b00);
  wire is_mm   = q_valid_i & (h_op == OP_MATMUL);
  wire is_vec  = q_valid_i & (h_op == OP_VECTOR);
  wire is_sync = q_valid_i & ((h_op == OP_SYNC) | (h_op == OP_LOAD));
  wire take_mm = is_mm & (h_pops ? (drained & mm_free & h_tokens_ok) : ld_may);
  wire vec_ready = is_vec & ~ve_busy & ~pw_q & h_tokens_ok & ((v_mask & arr_mask) == 2'b00) &
                   ((v_mask & store_mask_i) == 2'b00);
  wire take_vec  = vec_ready & vgnt_i;
  wire take_sync = is_sync & quiet & ~pw_q & h_tokens_ok;  // its pushes never meet a MATMUL's
  wire take_any  = take_mm | take_vec | take_sync;

  genvar i, j;
  generate
    if (OS == 0) begin : g_ws
      // ---------------------------------------------------------------- weight-stationary
      localparam [SCW-1:0] C1_S = C[SCW-1:0] + 1'b1;
      localparam [15:0]    R_16 = R[15:0];
      localparam [SCW-1:0] FIRST_WAIT = (R > 1) ? R_S - ONE : ONE;
      // Weight loader: R read cycles per tile, from the cycle it takes the MATMUL.
      reg             ld_busy_q;
      reg [RW:0]      ld_row_q;      // row read this cycle
      reg [WAW-1:0]   ld_addr_q;     // its scratchpad address
      reg [23:0]      ld_stride_q;
      reg [15:0]      ld_k_q;
      reg [10:0]      ld_n_q;
      // The tile whose weights are (being) loaded, waiting for the streamer.
      reg             sp_q;
      reg             sp_first_q;    // first tile of a run: streams R cycles after its load
      reg [IAW-1:0]   sp_inp_q;
      reg [23:0]      sp_inp_st_q;
      reg [15:0]      sp_k_q;
      reg [15:0]      sp_m_q;
      reg [AAW-1:0]   sp_row_q;
      reg [AAW-1:0]   sp_step_q;
      reg             sp_add_q;
      reg             sp_pprev_q;
      reg             sp_pnext_q;
      reg [1:0]       sp_mask_q;     // its accumulator halves
      // Streamer: one activation vector read per cycle.
      reg             st_busy_q;
      reg [15:0]      st_left_q;     // vectors still to read after this one
      reg             st_first_q;    // this cycle's vector is the tile's first
      reg [IAW-1:0]   st_inp_q;
      reg [23:0]      st_inp_st_q;
      reg [15:0]      st_k_q;
      reg [AAW-1:0]   st_row_q;
      reg [AAW-1:0]   st_step_q;
      reg             st_add_q;
      reg             st_pprev_q;
      reg             st_pnext_q;
      reg [1:0]       st_mask_q;
      // Run timing (cycles since the events, saturating).
      reg             run_q;         // a tile has streamed since the array last drained
      reg [SCW-1:0]   since_l_q;     // since the loader took the last tile

      assign e_idle = ~ld_busy_q & ~sp_q & ~st_busy_q;
      assign e_busy = st_busy_q;
      assign e_hold = (sp_q ? sp_mask_q : 2'b00) | (st_busy_q ? st_mask_q : 2'b00);

      // A MATMUL that pushes ends what the loader may take until it has finished.
      wire push_pending = (sp_q & (sp_pprev_q | sp_pnext_q)) |
                          (st_busy_q & (st_pprev_q | st_pnext_q)) | pw_q;
      // The next tile's first weight row (written in L + 1) may follow the previous tile's
      // first vector (in the array in S + 1) by C cycles: L >= S + C.
      assign ld_may = ~ld_busy_q & ~sp_q & ~push_pending & mm_free &
                    (~run_q | (since_s_q >= C1_S));

      // The streamer takes the loaded tile.
      wire st_last  = st_busy_q & (st_left_q == 16'd0);
      wire st_free  = ~st_busy_q | st_last;
      // It reads the tile's first vector the cycle after st_go (S); the array sees it at S + 1.
      // First of a run: S = L + R, L the cycle the loader took the tile (its first weight row
      // is written in L + 1). Otherwise S - S_prev >= max(m_prev, C + 1, R).
      // (With R = 1 the first vector comes one cycle late: the tile is visible to the streamer
      // only from L + 1.)
      // A tile that is not the first of its run may start in the cycle the loader takes it
      // (its first weight row is written in L + 1, its first vector enters in S + 1 = L + 1),
      // so the C + 1 bound is met exactly; its fields then come straight from the head.
      wire take_next = take_mm & ~(h_pops | ~run_q);
      wire st_go    = st_free & ~(st_last & (st_pprev_q | st_pnext_q)) &
                      (sp_q ? (sp_first_q ? (since_l_q >= FIRST_WAIT) : (since_s_q >= gap_q))
                            : (take_next & (since_s_q >= gap_q)));

      // ---------------------------------------------------------------- loader
      wire [AAW-1:0] h_row  = m_acc[LOGP +: AAW];
      wire [AAW-1:0] h_step = m_acc_st[LOGP +: AAW];
      // The fields of the tile st_go starts: the loaded tile, or the head's (bypass).
      wire           x_by     = ~sp_q;   // st_go from the bypass
      wire [IAW-1:0] x_inp    = x_by ? m_inp[IAW-1:0] : sp_inp_q;
      wire [23:0]    x_inp_st = x_by ? m_inp_st : sp_inp_st_q;
      wire [15:0]    x_k      = x_by ? m_k : sp_k_q;
      wire [15:0]    x_m      = x_by ? m_m : sp_m_q;
      wire [AAW-1:0] x_row    = x_by ? h_row : sp_row_q;
      wire [AAW-1:0] x_step   = x_by ? h_step : sp_step_q;
      wire           x_add    = x_by ? m_accum : sp_add_q;
      wire           x_pprev  = x_by ? h_push_prev : sp_pprev_q;
      wire           x_pnext  = x_by ? h_push_next : sp_pnext_q;
      wire [1:0]     x_mask   = x_by ? m_mask : sp_mask_q;
      wire [15:0]    ld_row16 = {{(16-RW-1){1'b0}}, ld_row_q};
      wire           ld_rd  = ld_busy_q & (ld_row16 < ld_k_q);

      always @(posedge clk_i) begin
        if (!rst_ni) begin
          ld_busy_q <= 1'b0;
          sp_q      <= 1'b0;
        end else begin
          // Row 0 is read in the cycle of the take, rows 1 .. R-1 in the R - 1 cycles after.
          if (take_mm)                                ld_busy_q <= (R > 1);
          else if (ld_busy_q && ld_row16 == R_16 - 16'd1)    ld_busy_q <= 1'b0;
          if (take_mm & ~st_go) sp_q <= 1'b1;
          else if (st_go)       sp_q <= 1'b0;
        end
        if (take_mm) begin
          ld_row_q    <= {{RW{1'b0}}, 1'b1};
          ld_addr_q   <= m_wgt[WAW-1:0] + m_wgt_st[WAW-1:0];
          ld_stride_q <= m_wgt_st;
          ld_k_q      <= m_k;
          ld_n_q      <= m_n;
          sp_first_q  <= h_pops | ~run_q;
          sp_inp_q    <= m_inp[IAW-1:0];
          sp_inp_st_q <= m_inp_st;
          sp_k_q      <= m_k;
          sp_m_q      <= m_m;
          sp_row_q    <= h_row;
          sp_step_q   <= h_step;
          sp_add_q    <= m_accum;
          sp_pprev_q  <= h_push_prev;
          sp_pnext_q  <= h_push_next;
          sp_mask_q   <= m_mask;
        end else if (ld_busy_q) begin
          ld_row_q  <= ld_row_q + 1'b1;
          ld_addr_q <= ld_addr_q + ld_stride_q[WAW-1:0];
        end
      end

      // The loader's first read is in the cycle it takes the MATMUL (from the head's fields).
      wire           ld_now_rd   = take_mm ? (m_k != 16'd0) : ld_rd;
      wire [WAW-1:0] ld_now_addr = take_mm ? m_wgt[WAW-1:0] : ld_addr_q;
      // Write stage: the row read last cycle goes to the shadow weights.
      reg            wv_q;
      reg [RW-1:0]   wrow_q;
      reg            wzero_q;   // row >= k: zeros
      reg [10:0]     wn_q;
      always @(posedge clk_i) begin
        if (!rst_ni) wv_q <= 1'b0;
        else         wv_q <= take_mm | ld_busy_q;
        if (take_mm) begin
          wrow_q  <= {RW{1'b0}};
          wzero_q <= (m_k == 16'd0);
          wn_q    <= m_n;
        end else if (ld_busy_q) begin
          wrow_q  <= ld_row_q[RW-1:0];
          wzero_q <= (ld_row16 >= ld_k_q);
          wn_q    <= ld_n_q;
        end
      end

        for (j = 0; j < C; j = j + 1) begin : g_wcol
          wire [10:0] jj = j;
          assign w_data_o[j*EW +: EW] = (wzero_q | (jj >= wn_q)) ? {EW{1'b0}} : wgt_data_i[j*EW +: EW];
        end
        if (WPORT > C) begin : g_wunused
          wire unused_wgt_hi = ^wgt_data_i[WPORT*EW-1:C*EW];
        end
      assign w_we_o     = wv_q;
      assign w_row_o    = wrow_q;
      assign wgt_re_o   = ld_now_rd;
      assign wgt_addr_o = ld_now_addr;

      // ---------------------------------------------------------------- streamer
      wire st_half1 = (st_row_q >= HALF_A);  // the half of the vector read this cycle
      // The gap after a tile of m vectors: max(m, C + 1, R).
      wire [SCW-1:0] m_s  = {{(SCW-16){1'b0}}, x_m};
      wire [SCW-1:0] g1   = (m_s > C1_S) ? m_s : C1_S;
      wire [SCW-1:0] gap  = (g1 > R_S) ? g1 : R_S;

      // Each vector read this cycle is written DRAIN = R + C cycles later.
      assign e_mark     = {st_busy_q & st_half1, st_busy_q & ~st_half1};
      assign e_start    = st_go;
      assign e_gap      = gap;
      assign e_fin      = st_last & (st_pprev_q | st_pnext_q);
      assign e_fin_prev = st_pprev_q;
      assign e_fin_next = st_pnext_q;

      always @(posedge clk_i) begin
        if (!rst_ni) begin
          st_busy_q  <= 1'b0;
          run_q      <= 1'b0;
          since_l_q  <= {SCW{1'b1}};
        end else begin
          if (st_go)          st_busy_q <= 1'b1;
          else if (st_last)   st_busy_q <= 1'b0;
          if (st_go)          run_q <= 1'b1;
          else if ((take_vec | take_sync) | (take_mm & h_pops)) run_q <= 1'b0;
          if (take_mm)                       since_l_q <= ONE;
          else if (since_l_q != {SCW{1'b1}}) since_l_q <= since_l_q + ONE;
        end
        if (st_go) begin
          st_left_q   <= x_m - 16'd1;
          st_first_q  <= 1'b1;
          st_inp_q    <= x_inp;
          st_inp_st_q <= x_inp_st;
          st_k_q      <= x_k;
          st_row_q    <= x_row;
          st_step_q   <= x_step;
          st_add_q    <= x_add;
          st_pprev_q  <= x_pprev;
          st_pnext_q  <= x_pnext;
          st_mask_q   <= x_mask;
        end else if (st_busy_q) begin
          st_left_q  <= st_left_q - 16'd1;
          st_first_q <= 1'b0;
          st_inp_q   <= st_inp_q + st_inp_st_q[IAW-1:0];
          st_row_q   <= st_row_q + st_step_q;
        end
      end

      // Activation stage: the vector read last cycle enters the array.
      reg            av_q;
      reg            aswap_q;
      reg [15:0]     ak_q;
      reg [AAW-1:0]  arow_q;
      reg            aadd_q;
      always @(posedge clk_i) begin
        if (!rst_ni) av_q <= 1'b0;
        else         av_q <= st_busy_q;
        aswap_q <= st_first_q;
        ak_q    <= st_k_q;
        arow_q  <= st_row_q;
        aadd_q  <= st_add_q;
      end
        for (j = 0; j < R; j = j + 1) begin : g_arow
          wire [15:0] jj = j;
          assign in_act_o[j*EW +: EW] = (jj >= ak_q) ? {EW{1'b0}} : inp_data_i[j*EW +: EW];
        end
        if (IPORT > R) begin : g_iunused
          wire unused_inp_hi = ^inp_data_i[IPORT*EW-1:R*EW];
        end
      assign inp_re_o      = st_busy_q;
      assign inp_addr_o    = st_inp_q;
      assign in_valid_o    = av_q;
      assign in_swap_o     = aswap_q;
      assign in_acc_addr_o = arow_q;
      assign in_acc_add_o  = aadd_q;
      assign in_first_o = 1'b0;
      assign in_last_o  = 1'b0;
      wire unused_ws = ^{ld_stride_q, st_inp_st_q};
    end else begin : g_os
      // ---------------------------------------------------------------- output-stationary
      localparam [SCW-1:0] GAP0  = R_S + C[SCW-1:0] - 2;        // gap = steps + GAP0
      localparam [RW:0]    LAST_E = RM1[RW:0];                   // last place in a chunk
      localparam [16:0]    R_17   = R[16:0];
      // The tile (its fields, from the take until its last step).
      reg             ot_q;          // filling or streaming
      reg [15:0]      ot_k_q;
      reg [15:0]      ot_ks_q;       // steps: max(k, 1)
      reg [15:0]      ot_m_q;
      reg [10:0]      ot_n_q;
      reg [23:0]      ot_inp_st_q;
      reg [WAW-1:0]   ot_wgt_q;
      reg [23:0]      ot_wgt_st_q;
      reg [AAW-1:0]   ot_row_q;
      reg             ot_add_q;
      reg             ot_pprev_q;
      reg             ot_pnext_q;
      reg [1:0]       ot_mask_q;
      // Filler: the row read in the cycle after this one.
      reg             fl_q;
      reg [RW:0]      fl_i_q;        // its row
      reg [15:0]      fl_q0_q;       // its chunk's first step
      reg             fl_b_q;        // the chunk's buffer
      reg [IAW-1:0]   fl_base_q;     // address of the chunk's row 0
      reg [IAW-1:0]   fl_addr_q;     // address of the row
      // Streamer: the step sent in the cycle after this one.
      reg             sm_q;
      reg [15:0]      sm_j_q;
      reg [RW:0]      sm_e_q;        // its place in its chunk
      reg             sm_b_q;        // its chunk's buffer
      reg [WAW-1:0]   sm_w_q;        // its weight row's address
      reg [SCW-1:0]   since_t_q;     // cycles since the take

      assign e_idle = ~ot_q;
      assign e_busy = ot_q;
      assign e_hold = ot_q ? ot_mask_q : 2'b00;
      wire push_pending = (ot_q & (ot_pprev_q | ot_pnext_q)) | pw_q;
      assign ld_may = ~ot_q & ~push_pending & mm_free & (since_s_q >= gap_q);

      // The row read this cycle: in the take cycle row 0 of chunk 0 from the head's fields.
      wire [AAW-1:0] h_row  = m_acc[LOGP +: AAW];
      wire [15:0]    h_ks   = (m_k == 16'd0) ? 16'd1 : m_k;
      wire           c_rd   = take_mm | fl_q;
      wire [RW:0]    c_i    = take_mm ? {(RW+1){1'b0}} : fl_i_q;
      wire [15:0]    c_q0   = take_mm ? 16'd0 : fl_q0_q;
      wire           c_b    = take_mm ? 1'b0 : fl_b_q;
      wire [IAW-1:0] c_base = take_mm ? m_inp[IAW-1:0] : fl_base_q;
      wire [IAW-1:0] c_addr = take_mm ? m_inp[IAW-1:0] : fl_addr_q;
      wire [15:0]    c_m    = take_mm ? m_m : ot_m_q;
      wire [15:0]    c_k    = take_mm ? m_k : ot_k_q;
      wire [15:0]    c_ks   = take_mm ? h_ks : ot_ks_q;
      wire [IAW-1:0] c_st   = take_mm ? m_inp_st[IAW-1:0] : ot_inp_st_q[IAW-1:0];
      wire           c_lrow = (c_i == LAST_E);
      wire [16:0]    c_nq0  = {1'b0, c_q0} + R_17;
      wire           c_more = c_nq0 < {1'b0, c_ks};    // another chunk follows
      wire [15:0]    c_i16  = {{(15-RW){1'b0}}, c_i};
      wire           c_live = c_i16 < c_m;             // rows i >= m are zeros, not read
      wire [IAW-1:0] c_nb   = c_base + R_17[IAW-1:0];

      // The step sent this cycle: the streamer starts R cycles after the take.
      wire           sm_go  = ot_q & (since_t_q == R_S);
      wire           s_on   = sm_go | sm_q;
      wire [15:0]    s_j    = sm_go ? 16'd0 : sm_j_q;
      wire [RW:0]    s_e    = sm_go ? {(RW+1){1'b0}} : sm_e_q;
      wire           s_b    = sm_go ? 1'b0 : sm_b_q;
      wire [WAW-1:0] s_w    = sm_go ? ot_wgt_q : sm_w_q;
      wire           s_last = (s_j == ot_ks_q - 16'd1);
      wire           s_live = s_j < ot_k_q;            // steps q >= k are zeros, not read
      // While the tile streams its rows are still to be written; the last one is written
      // DRAIN = 2R + C - 1 cycles after its last step.
      assign e_mark     = s_on ? ot_mask_q : 2'b00;
      assign e_start    = sm_go;
      assign e_gap      = {{(SCW-16){1'b0}}, ot_ks_q} + GAP0;
      assign e_fin      = s_on & s_last & (ot_pprev_q | ot_pnext_q);
      assign e_fin_prev = ot_pprev_q;
      assign e_fin_next = ot_pnext_q;

      always @(posedge clk_i) begin
        if (!rst_ni) begin
          ot_q      <= 1'b0;
          fl_q      <= 1'b0;
          sm_q      <= 1'b0;
          since_t_q <= {SCW{1'b1}};
        end else begin
          if (take_mm)               ot_q <= 1'b1;
          else if (s_on & s_last)    ot_q <= 1'b0;
          if (c_rd)                  fl_q <= ~c_lrow | c_more;
          if (s_on)                  sm_q <= ~s_last;
          if (take_mm)                       since_t_q <= ONE;
          else if (since_t_q != {SCW{1'b1}}) since_t_q <= since_t_q + ONE;
        end
        if (take_mm) begin
          ot_k_q      <= m_k;
          ot_ks_q     <= h_ks;
          ot_m_q      <= m_m;
          ot_n_q      <= m_n;
          ot_inp_st_q <= m_inp_st;
          ot_wgt_q    <= m_wgt[WAW-1:0];
          ot_wgt_st_q <= m_wgt_st;
          ot_row_q    <= h_row;
          ot_add_q    <= m_accum;
          ot_pprev_q  <= h_push_prev;
          ot_pnext_q  <= h_push_next;
          ot_mask_q   <= m_mask;
        end
        if (c_rd) begin
          if (c_lrow) begin
            fl_i_q    <= {(RW+1){1'b0}};
            fl_q0_q   <= c_nq0[15:0];
            fl_b_q    <= ~c_b;
            fl_base_q <= c_nb;
            fl_addr_q <= c_nb;
          end else begin
            fl_i_q    <= c_i + 1'b1;
            fl_q0_q   <= c_q0;
            fl_b_q    <= c_b;
            fl_base_q <= c_base;
            fl_addr_q <= c_addr + c_st;
          end
        end
        if (s_on) begin
          sm_j_q <= s_j + 16'd1;
          sm_e_q <= (s_e == LAST_E) ? {(RW+1){1'b0}} : s_e + 1'b1;
          sm_b_q <= (s_e == LAST_E) ? ~s_b : s_b;
          sm_w_q <= s_w + ot_wgt_st_q[WAW-1:0];
        end
      end

      // Fill stage: the row read last cycle goes to its buffer (elements of steps >= k zero).
      reg            fw_q;
      reg [RW-1:0]   fw_i_q;
      reg            fw_b_q;
      reg            fw_zero_q;
      reg [15:0]     fw_q0_q;
      reg [15:0]     fw_k_q;
      // Step stage: the step read last cycle enters the array.
      reg            av_q;
      reg            afirst_q;
      reg            alast_q;
      reg            ab_q;
      reg            awz_q;
      always @(posedge clk_i) begin
        if (!rst_ni) begin
          fw_q <= 1'b0;
          av_q <= 1'b0;
        end else begin
          fw_q <= c_rd;
          av_q <= s_on;
        end
        fw_i_q    <= c_i[RW-1:0];
        fw_b_q    <= c_b;
        fw_zero_q <= ~c_live;
        fw_q0_q   <= c_q0;
        fw_k_q    <= c_k;
        afirst_q  <= (s_j == 16'd0);
        alast_q   <= s_last;
        ab_q      <= s_b;
        awz_q     <= ~s_live;
      end

      // The two R x R buffers, row by row: a fill writes a whole row, a step sends element 0
      // of every row of its buffer and shifts that buffer's rows by one element. (A buffer
      // is filled only after its previous chunk has been sent.)
      for (i = 0; i < R; i = i + 1) begin : g_obuf
        wire [RW-1:0] ii = i;
        reg [R*EW-1:0] row0_q;
        reg [R*EW-1:0] row1_q;
        wire [R*EW-1:0] fill;
        for (j = 0; j < R; j = j + 1) begin : g_el
          wire [16:0] q = {1'b0, fw_q0_q} + j;
          assign fill[j*EW +: EW] = (fw_zero_q | (q >= {1'b0, fw_k_q})) ? {EW{1'b0}}
                                                                        : inp_data_i[j*EW +: EW];
        end
        wire wr0 = fw_q & ~fw_b_q & (fw_i_q == ii);
        wire wr1 = fw_q & fw_b_q & (fw_i_q == ii);
        if (R > 1) begin : g_shift
          always @(posedge clk_i) begin
            if (wr0)               row0_q <= fill;
            else if (av_q & ~ab_q) row0_q <= {{EW{1'b0}}, row0_q[R*EW-1:EW]};
            if (wr1)               row1_q <= fill;
            else if (av_q & ab_q)  row1_q <= {{EW{1'b0}}, row1_q[R*EW-1:EW]};
          end
        end else begin : g_hold
          always @(posedge clk_i) begin
            if (wr0) row0_q <= fill;
            if (wr1) row1_q <= fill;
          end
        end
        assign in_act_o[i*EW +: EW] = ab_q ? row1_q[EW-1:0] : row0_q[EW-1:0];
      end
      if (IPORT > R) begin : g_iunused
        wire unused_inp_hi = ^inp_data_i[IPORT*EW-1:R*EW];
      end
      for (j = 0; j < C; j = j + 1) begin : g_wcol
        wire [10:0] jj = j;
        assign w_data_o[j*EW +: EW] = (awz_q | (jj >= ot_n_q)) ? {EW{1'b0}} : wgt_data_i[j*EW +: EW];
      end
      if (WPORT > C) begin : g_wunused
        wire unused_wgt_hi = ^wgt_data_i[WPORT*EW-1:C*EW];
      end

      assign inp_re_o      = c_rd & c_live;
      assign inp_addr_o    = c_addr;
      assign wgt_re_o      = s_on & s_live;
      assign wgt_addr_o    = s_w;
      assign w_we_o        = 1'b0;
      assign w_row_o       = {RW{1'b0}};
      assign in_valid_o    = av_q;
      assign in_swap_o     = 1'b0;
      assign in_first_o    = afirst_q;
      assign in_last_o     = alast_q;
      assign in_acc_addr_o = ot_row_q;
      assign in_acc_add_o  = ot_add_q;
      wire unused_os = ^{ot_inp_st_q, ot_wgt_st_q};
    end
  endgenerate

  // ---------------------------------------------------------------- drain and pushes
  // The last result row of a step or vector sent in cycle t is written in t + DRAIN.
  localparam [SCW-1:0] DRAIN = (OS != 0) ? 2 * R_S + C[SCW-1:0] - ONE : R_S + C[SCW-1:0];
  always @(posedge clk_i) begin
    if (!rst_ni) begin
      since_s_q <= {SCW{1'b1}};
      gap_q     <= {SCW{1'b0}};
      drain0_q  <= {SCW{1'b0}};
      drain1_q  <= {SCW{1'b0}};
      pw_q      <= 1'b0;
      pw_prev_q <= 1'b0;
      pw_next_q <= 1'b0;
    end else begin
      if (e_start) begin
        since_s_q <= ONE;
        gap_q     <= e_gap;
      end else if (since_s_q != {SCW{1'b1}}) begin
        since_s_q <= since_s_q + ONE;
      end
      if (e_mark[0])                     drain0_q <= DRAIN;
      else if (drain0_q != {SCW{1'b0}})  drain0_q <= drain0_q - ONE;
      if (e_mark[1])                     drain1_q <= DRAIN;
      else if (drain1_q != {SCW{1'b0}})  drain1_q <= drain1_q - ONE;
      // A MATMUL with pushes: give them once its last row is in the accumulator.
      if (e_fin) begin
        pw_q      <= 1'b1;
        pw_prev_q <= e_fin_prev;
        pw_next_q <= e_fin_next;
      end else if (mm_pw_done) begin
        pw_q <= 1'b0;
      end
    end
  end

  // ---------------------------------------------------------------- vector engine
  // Slot 0 reads row 0; slot s >= 1 feeds beat s - 1 = (row r, chunk c) from the row read
  // before it, and reads row r + 1 when c is the row's last chunk.
  localparam integer NCW = 16;
  reg             ve_q;          // running (from take to the last write-back)
  reg             ve_feed_q;     // beats still to feed
  reg             ve_rd0_q;      // this cycle is slot 0
  reg [15:0]      ve_rows_q;     // rows still to read after the current one
  reg [AAW-1:0]   ve_row_q;      // row address of the row being fed
  reg [AAW-1:0]   ve_next_q;     // row address of the next row to read
  reg [AAW-1:0]   ve_step_q;
  reg [15:0]      ve_cols_q;
  reg [NCW-1:0]   ve_nch_q;      // chunks per row
  reg [NCW-1:0]   ve_ch_q;       // chunk fed this cycle
  reg [4:0]       ve_op_q;
  reg [31:0]      ve_b_q;
  reg [31:0]      ve_c_q;
  reg [5:0]       ve_shift_q;
  reg [31:0]      ve_zp_q;
  reg [31:0]      ve_lo_q;
  reg [31:0]      ve_hi_q;
  reg             ve_pprev_q;
  reg             ve_pnext_q;
  reg [1:0]       ve_mask_q;

  wire [NCW-1:0] h_nch = (v_cols + CH[15:0] - 16'd1) / CH[15:0];
  wire ve_lastch  = (ve_ch_q == ve_nch_q - 1'b1);
  wire ve_beat    = ve_q & ve_feed_q & ~ve_rd0_q;
  wire ve_rd      = ve_rd0_q | (ve_beat & ve_lastch & (ve_rows_q != 16'd0));
  wire ve_endfeed = ve_beat & ve_lastch & (ve_rows_q == 16'd0);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      ve_q      <= 1'b0;
      ve_feed_q <= 1'b0;
      ve_rd0_q  <= 1'b0;
    end else begin
      if (take_vec) begin
        ve_q      <= 1'b1;
        ve_feed_q <= 1'b1;
        ve_rd0_q  <= 1'b1;
      end else begin
        ve_rd0_q <= 1'b0;
        if (ve_endfeed) ve_feed_q <= 1'b0;
        if (ve_done)    ve_q <= 1'b0;
      end
    end
    if (take_vec) begin
      ve_rows_q  <= v_rows - 16'd1;
      ve_row_q   <= v_acc[LOGP +: AAW];
      ve_next_q  <= v_acc[LOGP +: AAW];
      ve_step_q  <= v_acc_st[LOGP +: AAW];
      ve_cols_q  <= v_cols;
      ve_nch_q   <= h_nch;
      ve_ch_q    <= {NCW{1'b0}};
      ve_op_q    <= v_vop;
      ve_b_q     <= v_b;
      ve_c_q     <= v_c;
      ve_shift_q <= v_shift;
      ve_zp_q    <= {{16{v_zp[15]}}, v_zp};
      ve_lo_q    <= {{16{v_lo[15]}}, v_lo};
      ve_hi_q    <= {{16{v_hi[15]}}, v_hi};
      ve_pprev_q <= h_push_prev;
      ve_pnext_q <= h_push_next;
      ve_mask_q  <= v_mask;
    end else begin
      if (ve_rd) ve_next_q <= ve_next_q + ve_step_q;
      if (ve_rd & ~ve_rd0_q) begin
        ve_row_q  <= ve_next_q;
        ve_rows_q <= ve_rows_q - 16'd1;
      end
      if (ve_beat) ve_ch_q <= ve_lastch ? {NCW{1'b0}} : ve_ch_q + 1'b1;
    end
  end

  // Beat metadata through the vector unit's four stages (stage s in slice s, flat vectors
  // so that synthesis keeps them as registers).
  reg [3:0]          vb_v_q;
  reg [4*NCW-1:0]    vb_ch_q;
  reg [3:0]          vb_last_q;
  reg [4*AAW-1:0]    vb_row_q;
  reg [4*C*32-1:0]   vb_old_q;   // the row as read, for the words a beat leaves
  always @(posedge clk_i) begin
    if (!rst_ni) vb_v_q <= 4'd0;
    else         vb_v_q <= {vb_v_q[2:0], ve_beat};
    vb_ch_q   <= {vb_ch_q[3*NCW-1:0], ve_ch_q};
    vb_last_q <= {vb_last_q[2:0], ve_lastch};
    vb_row_q  <= {vb_row_q[3*AAW-1:0], ve_row_q};
    vb_old_q  <= {vb_old_q[3*C*32-1:0], ar_data_i};
  end
  wire [NCW-1:0]  vb_ch3  = vb_ch_q[3*NCW +: NCW];
  wire [AAW-1:0]  vb_row3 = vb_row_q[3*AAW +: AAW];
  wire [C*32-1:0] vb_old3 = vb_old_q[3*C*32 +: C*32];

  // Lanes: word ch * CH + l of the row.
  wire [LANES*32-1:0] lanes_a;
  genvar l;
  generate
    for (l = 0; l < LANES; l = l + 1) begin : g_lane
      if (l < CH) begin : g_used
        wire [NCW+15:0] idx = ve_ch_q * CH + l;
        assign lanes_a[l*32 +: 32] = (idx < C) ? ar_data_i[idx[NCW+15:0]*32 +: 32] : 32'd0;
      end else begin : g_idle
        assign lanes_a[l*32 +: 32] = 32'd0;
      end
    end
  endgenerate

  // Write-back: merge the returning chunk into the row.
  reg  [C*32-1:0] wb_q;
  wire [C*32-1:0] wb_base = (vb_ch3 == {NCW{1'b0}}) ? vb_old3 : wb_q;
  wire [C*32-1:0] wb_row;
  generate
    for (j = 0; j < C; j = j + 1) begin : g_wb
      wire [NCW+15:0] lo_i = vb_ch3 * CH;
      wire [NCW+15:0] jj   = j;
      wire in_chunk = (jj >= lo_i) & (jj < lo_i + CH) & (jj < {{NCW{1'b0}}, ve_cols_q});
      wire [NCW+15:0] lane = jj - lo_i;
      assign wb_row[j*32 +: 32] = in_chunk ? v_y_i[lane[NCW+15:0]*32 +: 32] : wb_base[j*32 +: 32];
    end
  endgenerate
  always @(posedge clk_i) begin
    if (vb_v_q[3]) wb_q <= wb_row;
  end
  assign ve_done = ve_q & ~ve_feed_q & (vb_v_q == 4'd0) & ~ve_rd0_q;
  assign ve_busy = ve_q;
  assign ve_mask = ve_q ? ve_mask_q : 2'b00;

  assign ar_en_o   = ve_rd;
  assign ar_addr_o = ve_next_q;
  assign aw_en_o   = vb_v_q[3] & vb_last_q[3];
  assign aw_addr_o = vb_row3;
  assign aw_data_o = wb_row;

  assign vreq_o    = vec_ready | ve_q;
  assign v_valid_o = ve_beat;
  assign v_op_o    = ve_op_q;
  assign v_a_o     = lanes_a;
  assign v_b_o     = {LANES{ve_b_q}};
  assign v_c_o     = {LANES{ve_c_q}};
  assign v_zp_o    = ve_zp_q;
  assign v_shift_o = ve_shift_q;
  assign v_lo_o    = ve_lo_q;
  assign v_hi_o    = ve_hi_q;
  assign vec_mask_o = ve_mask | (vec_ready ? v_mask : 2'b00);

  // ---------------------------------------------------------------- queue and tokens
  assign q_pop_o    = take_any;
  assign take_l2c_o = take_any & h_pop_prev;
  assign take_s2c_o = take_any & h_pop_next;
  // Pushes, in the cycle the instruction has finished (the counter shows them next cycle).
  assign give_c2l_o = (mm_pw_done & pw_prev_q) | (take_sync & h_push_prev) | (ve_done & ve_pprev_q);
  assign give_c2s_o = (mm_pw_done & pw_next_q) | (take_sync & h_push_next) | (ve_done & ve_pnext_q);
  assign idle_o     = quiet & ~q_valid_i;

  // Instruction bits this unit does not use: the array index (the tile's), reserved bits,
  // address bits beyond the memories, and the low word bits of row-aligned addresses.
  wire unused_bits = ^{q_insn_i[255:230], q_insn_i[17:8], m_inp, m_wgt, m_acc, m_acc_st,
                       v_acc, v_acc_st};
endmodule

`default_nettype wire
