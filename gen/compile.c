/* The layer compiler: model tiling -> blocks -> LOAD/MATMUL/VECTOR/STORE with tokens. */
#include "gen/compile.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ref/vector.h"
#include "workloads/passes.h"

#define KIND "compile"

static int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
static int64_t imin(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t align64(int64_t x) { return (x + 63) / 64 * 64; }

/* ---- the model ------------------------------------------------------------------ */

static fast_graph *layer_graph(const fast_layer *l, fast_diag *d)
{
    fast_graph *g = fast_graph_create("layer", 1);
    if (!g)
        return NULL;
    fast_op_attrs at;
    memset(&at, 0, sizeof at);
    int x, y;
    if (l->kind == FAST_LAYER_GEMM) {
        int64_t dims[2] = {l->m, l->k};
        x = fast_graph_input(g, "a", fast_shape_make(2, dims), FAST_ELEM_INT8, d);
        at.units = l->n;
        y = x < 0 ? -1 : fast_graph_add(g, "gemm", FAST_OP_FC, &x, 1, &at, d);
    } else {
        int64_t dims[4] = {l->batch, l->h, l->w, l->cin};
        x = fast_graph_input(g, "x", fast_shape_make(4, dims), FAST_ELEM_INT8, d);
        at.conv = (fast_conv_attrs){.cout = l->cout, .kh = l->kh, .kw = l->kw,
                                    .stride_h = l->stride, .stride_w = l->stride, .dil_h = 1,
                                    .dil_w = 1, .pad_top = l->pad_top,
                                    .pad_bottom = l->pad_bottom, .pad_left = l->pad_left,
                                    .pad_right = l->pad_right, .groups = l->groups};
        y = x < 0 ? -1 : fast_graph_add(g, "conv", FAST_OP_CONV2D, &x, 1, &at, d);
    }
    if (y >= 0 && l->act == FAST_ACT_RELU) {
        memset(&at, 0, sizeof at);
        y = fast_graph_add(g, "relu", FAST_OP_RELU, &y, 1, &at, d);
    }
    if (y < 0) {
        fast_graph_destroy(g);
        return NULL;
    }
    fast_graph_fuse(g);
    return g;
}

/* The VECTOR passes the compiler emits over each finished output block: relu, then
 * requantize; relu folds into a requantize with a multiplier >= 0 (emit_array). */
static int vector_passes(const fast_layer *l)
{
    int relu = l->act == FAST_ACT_RELU;
    int fold = relu && l->requant && l->mult >= 0;
    return (relu && !fold) + (l->requant != 0);
}

fast_status fast_compile_model(const fast_arch *a, const fast_layer *l, fast_tiling *t,
                               int64_t *cycles, fast_unit *unit, fast_bound *bound,
                               fast_diag *d)
{
    /* Where a network's model maps the op (a depthwise conv may go to the vector unit). */
    fast_graph *g = layer_graph(l, d);
    if (!g) {
        if (fast_diag_errors(d) == 0)
            fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
        return fast_diag_status(d);
    }
    fast_model_result *r = fast_model_eval(a, g, d);
    fast_graph_destroy(g);
    if (!r)
        return FAST_EINPUT;
    *unit = r->ops[0].unit;
    fast_model_result_destroy(r);
    /* The price of what the compiler emits: the GEMM on the arrays, outputs in int8 when
     * requantized (else int32 words), with its vector passes. */
    fast_gemm op = {.out_bytes = l->requant ? 1 : 4, .vector_passes = vector_passes(l),
                    .in_on_chip = l->in_global, .out_on_chip = l->out_global};
    fast_layer_gemm_dims(l, &op.g, &op.m, &op.k, &op.n);
    if (l->kind == FAST_LAYER_CONV) {
        int64_t ho;
        fast_layer_out_hw(l, &ho, &op.conv_wo);
        op.conv_cg = l->cin / l->groups;
    }
    fast_op_cost c;
    if (fast_model_gemm(a, &op, &c) != 0) {
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, "layer", NULL,
                      "no array tiling fits the scratchpads");
        return FAST_EINPUT;
    }
    *t = c.tiling;
    *cycles = c.cycles;
    if (bound)
        *bound = c.bound;
    return FAST_OK;
}

/* ---- program building ----------------------------------------------------------- */

/* A growing instruction list. Invariant: n <= cap. */
typedef struct ibuf {
    fast_insn *v;
    size_t n, cap;
    int oom;
} ibuf;

static fast_insn *push(ibuf *b, fast_insn i)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        fast_insn *v = realloc(b->v, cap * sizeof *v);
        if (!v) {
            b->oom = 1;
            return NULL;
        }
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n] = i;
    return &b->v[b->n++];
}


/* Everything the emitter of one array needs. */
typedef struct ctx {
    const fast_arch *a;
    const fast_layer *l;
    const fast_tiling *t;
    const fast_layout *lay;
    int64_t G, M, K, N;         /* the whole layer's GEMM */
    int64_t ho, wo, eb;
    int64_t R, C, nbuf, os;
    int64_t tmr, slot;          /* accumulator rows per column tile, words per output slot */
    int64_t P;                  /* accumulator row pitch in words (fast_arch_acc_pitch) */
    int64_t slot_base;          /* words between slots: half the accumulator when there are
                                   two, so the vector unit and the array work in different
                                   halves (docs/isa.md 6) */
    int64_t array;
    ibuf *b;
    fast_diag *d;
    int err;
} ctx;

static int range_ok(ctx *c, const char *what, int64_t v, int64_t hi)
{
    if (v >= 0 && v <= hi)
        return 1;
    if (!c->err) {
        char val[32];
        snprintf(val, sizeof val, "%lld", (long long)v);
        fast_diag_add(c->d, FAST_EINPUT, NULL, KIND, what, val,
                      "beyond the instruction field (at most %lld); try a smaller layer or "
                      "larger arrays", (long long)hi);
    }
    c->err = 1;
    return 0;
}

static fast_insn load2d(ctx *c, int mem, int64_t dram, int64_t spad, int64_t x, int64_t y,
                        int64_t yds, int64_t yss)
{
    fast_insn i = fast_isa_make(FAST_ISA_LOAD);
    i.f[FAST_F_ARRAY] = c->array;
    i.f[FAST_F_MEM] = mem;
    i.f[FAST_F_DRAM] = dram;
    i.f[FAST_F_SPAD] = spad;
    i.f[FAST_F_X] = x;
    i.f[FAST_F_Y] = y;
    i.f[FAST_F_Z] = 1;
    i.f[FAST_F_Y_DSTRIDE] = yds;
    i.f[FAST_F_Y_SSTRIDE] = yss;
    range_ok(c, "load.x", x, 65535);
    range_ok(c, "load.y", y, 65535);
    range_ok(c, "load.y_dstride", yds, (1 << 24) - 1);
    range_ok(c, "load.y_sstride", yss, (1 << 24) - 1);
    range_ok(c, "load.dram", dram, UINT32_MAX);
    return i;
}

/* Loads the input block (group gi, rows m0 .. m0+bm, reduction k0 .. k0+bk) into spad,
 * row stride tk. Returns the instructions pushed. */
static size_t emit_input(ctx *c, int64_t gi, int64_t m0, int64_t bm, int64_t k0, int64_t bk,
                         int64_t spad)
{
    const fast_layer *l = c->l;
    int64_t base = c->lay->t[0].addr, tk = c->t->tk;
    size_t n0 = c->b->n;
    if (l->kind == FAST_LAYER_GEMM) {
        push(c->b, load2d(c, FAST_MEM_INP, base + (m0 * c->K + k0) * c->eb, spad, bk, bm,
                          c->K, tk));
        return c->b->n - n0;
    }
    int64_t cg = l->cin / l->groups, s = l->stride;
    for (int64_t m = m0; m < m0 + bm;) {
        int64_t bi = m / (c->ho * c->wo), oy = (m / c->wo) % c->ho, ox0 = m % c->wo;
        int64_t run = imin(c->wo - ox0, m0 + bm - m);
        for (int64_t p = k0 / cg; p * cg < k0 + bk; p++) {
            int64_t ky = p / l->kw, kx = p % l->kw;
            int64_t ca = p * cg > k0 ? 0 : k0 - p * cg;
            int64_t cb = imin(cg, k0 + bk - p * cg);
            int64_t dst = spad + (m - m0) * tk + (p * cg + ca - k0);
            int64_t iy = oy * s + ky - l->pad_top;
            fast_insn i;
            /* An all-padding LOAD reads nothing; it still names the input's memory, whose
             * latency the DMA then takes (docs/rtl.md 10.5). */
            if (iy < 0 || iy >= l->h) {
                i = load2d(c, FAST_MEM_INP, base, dst, cb - ca, run, 0, tk);
                i.f[FAST_F_PAD_Z0] = 1; /* the whole input row is padding */
            } else {
                /* ox with ix = ox*s + kx - pad_left in [0, w). */
                int64_t lo = cdiv(l->pad_left - kx, s);         /* first valid ox */
                int64_t hi = cdiv(l->w + l->pad_left - kx, s);  /* first invalid ox */
                if (l->pad_left - kx <= 0)
                    lo = 0;
                if (l->w + l->pad_left - kx <= 0)
                    hi = 0;
                int64_t lead = lo > ox0 ? imin(lo - ox0, run) : 0;
                int64_t tail = hi < ox0 + run ? imin(ox0 + run - hi, run - lead) : 0;
                int64_t first = ox0 + lead;
                int64_t ix = first * s + kx - l->pad_left;
                int64_t addr = lead + tail == run
                                   ? base
                                   : base + (((bi * l->h + iy) * l->w + ix) * l->cin +
                                             gi * cg + ca) * c->eb;
                i = load2d(c, FAST_MEM_INP, addr, dst, cb - ca, run, s * l->cin, tk);
                i.f[FAST_F_PAD_Y0] = lead;
                i.f[FAST_F_PAD_Y1] = tail;
                range_ok(c, "load.pad_y0", lead, 255);
                range_ok(c, "load.pad_y1", tail, 255);
            }
            push(c->b, i);
        }
        m += run;
    }
    return c->b->n - n0;
}

static fast_insn sync_insn(ctx *c, int queue)
{
    fast_insn i = fast_isa_make(FAST_ISA_SYNC);
    i.f[FAST_F_ARRAY] = c->array;
    i.f[FAST_F_QUEUE] = queue;
    return i;
}

/* The blocks one array runs: its part of the groups, rows and columns (the split). */
typedef struct part {
    int64_t g0, g1, m0, m1, n0, n1;
} part;

/* Emits the whole program of one array into c->b, block after block. */
static void emit_array(ctx *c, part p)
{
    const fast_tiling *t = c->t;
    int64_t tm = t->tm, tk = t->tk, tn = t->tn, nb = c->nbuf;
    int64_t nbm = cdiv(p.m1 - p.m0, tm), nbn = cdiv(p.n1 - p.n0, tn), nbk = cdiv(c->K, tk);
    int64_t in_key[3] = {-1, -1, -1}, w_key[3] = {-1, -1, -1};
    int64_t n_in = 0, n_w = 0, in_slot = 0, w_slot = 0;
    int64_t j = 0, o = 0; /* blocks, output blocks */
    int out_fmt = c->l->requant ? FAST_FMT_BYTE : FAST_FMT_WORD;
    int64_t ob = c->l->requant ? 1 : 4;
    for (int64_t gi = p.g0; gi < p.g1; gi++)
        for (int64_t outer = 0; outer < (t->order == FAST_ORDER_MNK ? nbm : nbn); outer++)
            for (int64_t inner = 0; inner < (t->order == FAST_ORDER_MNK ? nbn : nbm); inner++)
                for (int64_t ki = 0; ki < nbk; ki++, j++) {
                    int64_t mi = t->order == FAST_ORDER_MNK ? outer : inner;
                    int64_t ni = t->order == FAST_ORDER_MNK ? inner : outer;
                    int64_t m0 = p.m0 + mi * tm, bm = imin(tm, p.m1 - m0);
                    int64_t n0 = p.n0 + ni * tn, bn = imin(tn, p.n1 - n0);
                    int64_t k0 = ki * tk, bk = imin(tk, c->K - k0);
                    /* Load unit: free buffers, then the blocks not already resident. */
                    size_t first = c->b->n;
                    if (in_key[0] != gi || in_key[1] != mi || in_key[2] != ki) {
                        in_slot = n_in++ % nb;
                        size_t k = c->b->n;
                        if (emit_input(c, gi, m0, bm, k0, bk, in_slot * tm * tk) > 0)
                            for (size_t q = k + 1; q < c->b->n; q++)
                                c->b->v[q].f[FAST_F_CONT] = 1;
                        in_key[0] = gi, in_key[1] = mi, in_key[2] = ki;
                    }
                    if (w_key[0] != gi || w_key[1] != ki || w_key[2] != ni) {
                        w_slot = n_w++ % nb;
                        int64_t base = c->lay->t[1].addr;
                        push(c->b, load2d(c, FAST_MEM_WGT,
                                          base + ((gi * c->K + k0) * c->N + n0) * c->eb,
                                          w_slot * tk * tn, bn, bk, c->N, tn));
                        w_key[0] = gi, w_key[1] = ki, w_key[2] = ni;
                    }
                    if (c->b->n == first)
                        push(c->b, sync_insn(c, FAST_QUEUE_LOAD));
                    if (c->b->oom)
                        return;
                    if (j >= nb)
                        c->b->v[first].f[FAST_F_POP_NEXT] = 1;
                    c->b->v[c->b->n - 1].f[FAST_F_PUSH_NEXT] = 1;
                    /* Compute unit: the block's tiles into accumulator slot o % nbuf.
                     * Column tile nt holds rows [nt * tmr, (nt + 1) * tmr) of the slot,
                     * output row i of the block in its row nt * tmr + i (section 6). */
                    int64_t acc = (o % nb) * c->slot_base, tmr = c->tmr;
                    size_t cfirst = c->b->n;
                    int64_t R = c->R, C = c->C, nnt = cdiv(bn, C);
                    if (!c->os) {
                        for (int64_t nt = 0; nt < nnt; nt++)
                            for (int64_t kt = 0; kt < cdiv(bk, R); kt++) {
                                fast_insn i = fast_isa_make(FAST_ISA_MATMUL);
                                i.f[FAST_F_ARRAY] = c->array;
                                i.f[FAST_F_ACCUMULATE] = ki > 0 || kt > 0;
                                i.f[FAST_F_INP] = in_slot * tm * tk + kt * R;
                                i.f[FAST_F_INP_STRIDE] = tk;
                                i.f[FAST_F_WGT] = w_slot * tk * tn + kt * R * tn + nt * C;
                                i.f[FAST_F_WGT_STRIDE] = tn;
                                i.f[FAST_F_ACC] = acc + nt * tmr * c->P;
                                i.f[FAST_F_ACC_STRIDE] = c->P;
                                i.f[FAST_F_M] = bm;
                                i.f[FAST_F_K] = imin(R, bk - kt * R);
                                i.f[FAST_F_N] = imin(C, bn - nt * C);
                                range_ok(c, "matmul.m", bm, 65535);
                                push(c->b, i);
                            }
                    } else {
                        for (int64_t mt = 0; mt < cdiv(bm, R); mt++)
                            for (int64_t nt = 0; nt < nnt; nt++) {
                                fast_insn i = fast_isa_make(FAST_ISA_MATMUL);
                                i.f[FAST_F_ARRAY] = c->array;
                                i.f[FAST_F_ACCUMULATE] = ki > 0;
                                i.f[FAST_F_INP] = in_slot * tm * tk + mt * R * tk;
                                i.f[FAST_F_INP_STRIDE] = tk;
                                i.f[FAST_F_WGT] = w_slot * tk * tn + nt * C;
                                i.f[FAST_F_WGT_STRIDE] = tn;
                                i.f[FAST_F_ACC] = acc + (nt * tmr + mt * R) * c->P;
                                i.f[FAST_F_ACC_STRIDE] = c->P;
                                i.f[FAST_F_M] = imin(R, bm - mt * R);
                                i.f[FAST_F_K] = bk;
                                i.f[FAST_F_N] = imin(C, bn - nt * C);
                                range_ok(c, "matmul.k", bk, 65535);
                                push(c->b, i);
                            }
                    }
                    /* The fused tail, column tile by column tile: relu, then requant. With
                     * a multiplier >= 0 requant is monotone and maps 0 to the zero point
                     * (an int8), so relu then requant is one requant clamped from below at
                     * the zero point: one pass instead of two. */
                    int last_k = ki == nbk - 1;
                    int relu = c->l->act == FAST_ACT_RELU;
                    int fold = relu && c->l->requant && c->l->mult >= 0;
                    for (int64_t nt = 0; last_k && nt < nnt; nt++) {
                        fast_insn i = fast_isa_make(FAST_ISA_VECTOR);
                        i.f[FAST_F_ARRAY] = c->array;
                        i.f[FAST_F_ACC] = acc + nt * tmr * c->P;
                        i.f[FAST_F_ACC_STRIDE] = c->P;
                        i.f[FAST_F_ROWS] = bm;
                        i.f[FAST_F_COLS] = imin(C, bn - nt * C);
                        if (relu && !fold) {
                            i.f[FAST_F_VOP] = FAST_VOP_RELU;
                            push(c->b, i);
                        }
                        if (c->l->requant) {
                            i.f[FAST_F_VOP] = FAST_VOP_REQUANT;
                            i.f[FAST_F_B] = (uint32_t)c->l->mult;
                            i.f[FAST_F_SHIFT] = c->l->shift;
                            i.f[FAST_F_ZP] = c->l->zp;
                            i.f[FAST_F_LO] = fold ? c->l->zp : -128;
                            i.f[FAST_F_HI] = 127;
                            push(c->b, i);
                        }
                    }
                    if (c->b->oom)
                        return;
                    c->b->v[cfirst].f[FAST_F_POP_PREV] = 1;
                    if (ki == 0 && nb > 1 && o >= nb)
                        c->b->v[cfirst].f[FAST_F_POP_NEXT] = 1;
                    fast_insn *lastc = &c->b->v[c->b->n - 1];
                    if (last_k)
                        lastc->f[FAST_F_PUSH_NEXT] = 1;
                    if (last_k && nb == 1) {
                        /* Single-buffered: wait for the store before the next load. */
                        fast_insn s = sync_insn(c, FAST_QUEUE_COMPUTE);
                        s.f[FAST_F_POP_NEXT] = 1;
                        s.f[FAST_F_PUSH_PREV] = 1;
                        push(c->b, s);
                    } else {
                        lastc->f[FAST_F_PUSH_PREV] = 1;
                    }
                    /* Store unit: the finished output block, one STORE per column tile
                     * in one burst; the first takes the block's token, the last gives
                     * the slot back. */
                    for (int64_t nt = 0; last_k && nt < nnt; nt++) {
                        fast_insn s = fast_isa_make(FAST_ISA_STORE);
                        s.f[FAST_F_ARRAY] = c->array;
                        s.f[FAST_F_MEM] = FAST_MEM_ACC;
                        s.f[FAST_F_FMT] = out_fmt;
                        s.f[FAST_F_DRAM] = c->lay->t[2].addr +
                                           (m0 * c->G * c->N + gi * c->N + n0 + nt * C) * ob;
                        s.f[FAST_F_SPAD] = acc + nt * tmr * c->P;
                        s.f[FAST_F_X] = imin(C, bn - nt * C);
                        s.f[FAST_F_Y] = bm;
                        s.f[FAST_F_Y_DSTRIDE] = c->G * c->N;
                        s.f[FAST_F_Y_SSTRIDE] = c->P;
                        s.f[FAST_F_CONT] = nt > 0;
                        s.f[FAST_F_POP_PREV] = nt == 0;
                        s.f[FAST_F_PUSH_PREV] = nt == nnt - 1;
                        range_ok(c, "store.y", bm, 65535);
                        range_ok(c, "store.y_dstride", c->G * c->N, (1 << 24) - 1);
                        push(c->b, s);
                    }
                    if (last_k)
                        o++;
                }
    /* Drain the tokens that nobody waited for, so that the program ends with none. */
    for (int64_t k = 0; k < imin(j, nb); k++) {
        fast_insn s = sync_insn(c, FAST_QUEUE_LOAD);
        s.f[FAST_F_POP_NEXT] = 1;
        push(c->b, s);
    }
    for (int64_t k = 0; nb > 1 && k < imin(o, nb); k++) {
        fast_insn s = sync_insn(c, FAST_QUEUE_COMPUTE);
        s.f[FAST_F_POP_NEXT] = 1;
        push(c->b, s);
    }
}

static void place(fast_tensor_place *p, const char *name, int64_t addr, int eb, int rank,
                  const int64_t *shape, const char *order)
{
    memset(p, 0, sizeof *p);
    p->name = name;
    p->addr = addr;
    p->elem_bytes = eb;
    p->elem = eb == 1 ? "int8" : "int32";
    p->rank = rank;
    p->bytes = eb;
    for (int i = 0; i < rank; i++) {
        p->shape[i] = shape[i];
        p->bytes *= shape[i];
    }
    p->order = order;
}

static void make_layout(const fast_layer *l, fast_layout *lay)
{
    memset(lay, 0, sizeof *lay);
    int64_t G, M, K, N, ho, wo;
    fast_layer_gemm_dims(l, &G, &M, &K, &N);
    fast_layer_out_hw(l, &ho, &wo);
    int ob = l->requant ? 1 : 4;
    if (l->kind == FAST_LAYER_GEMM) {
        int64_t s0[2] = {M, K}, s2[2] = {M, N};
        place(&lay->t[0], "input", 0, 1, 2, s0, "MK");
        place(&lay->t[2], "output", 0, ob, 2, s2, "MN");
    } else {
        int64_t s0[4] = {l->batch, l->h, l->w, l->cin}, s2[4] = {l->batch, ho, wo, l->cout};
        place(&lay->t[0], "input", 0, 1, 4, s0, "NHWC");
        place(&lay->t[2], "output", 0, ob, 4, s2, "NHWC");
    }
    int64_t s1[3] = {G, K, N};
    place(&lay->t[1], "weights", 0, 1, 3, s1, "GKN");
    /* Each memory packs its tensors in order, 64-byte aligned. */
    lay->t[0].global = l->in_global;
    lay->t[2].global = l->out_global;
    int64_t end[2] = {0, 0};
    for (int i = 0; i < 3; i++) {
        fast_tensor_place *p = &lay->t[i];
        p->addr = end[p->global] + (p->global ? FAST_GLOBAL_BASE : 0);
        end[p->global] = align64(end[p->global] + p->bytes);
    }
    lay->dram_bytes = end[0];
    lay->global_bytes = end[1];
}

int64_t fast_layout_offset(const fast_layout *lay, const fast_tensor_place *p)
{
    return p->global ? lay->dram_bytes + (p->addr - FAST_GLOBAL_BASE) : p->addr;
}

static fast_status check_layer(const fast_arch *a, const fast_layer *l, fast_diag *d)
{
    size_t before = fast_diag_errors(d);
    if (a->array.dtype != FAST_DTYPE_INT8)
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, "array.dtype", "bf16",
                      "the compiler supports int8 layers only");
    if (l->kind == FAST_LAYER_CONV) {
        if (l->batch < 1 || l->h < 1 || l->w < 1 || l->cin < 1 || l->cout < 1 || l->kh < 1 ||
            l->kw < 1 || l->stride < 1 || l->groups < 1 || l->cin % l->groups ||
            l->cout % l->groups || l->pad_top < 0 || l->pad_bottom < 0 || l->pad_left < 0 ||
            l->pad_right < 0 || l->h + l->pad_top + l->pad_bottom < l->kh ||
            l->w + l->pad_left + l->pad_right < l->kw)
            fast_diag_add(d, FAST_EINPUT, NULL, KIND, "layer", NULL,
                          "not a valid convolution");
    } else if (l->m < 1 || l->k < 1 || l->n < 1) {
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, "layer", NULL, "not a valid GEMM");
    }
    if ((l->in_global || l->out_global) && a->memory.global_mib == 0)
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, "memory.global_mib", "0",
                      "the layer keeps its %s in the global memory, which this configuration "
                      "does not have",
                      l->in_global && l->out_global ? "input and output"
                      : l->in_global                ? "input"
                                                    : "output");
    if (l->requant && (l->shift < 0 || l->shift > 63 || l->zp < -128 || l->zp > 127))
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, "requant", NULL,
                      "shift must be 0..63 and zp -128..127");
    return fast_diag_errors(d) > before ? FAST_EINPUT : FAST_OK;
}

fast_status fast_compile_layer_tiled(const fast_arch *a, const fast_layer *l,
                                     const fast_tiling *t, fast_compiled *out, fast_diag *d)
{
    memset(out, 0, sizeof *out);
    if (check_layer(a, l, d) != FAST_OK)
        return FAST_EINPUT;
    fast_layout lay;
    make_layout(l, &lay);
    if (lay.dram_bytes > FAST_GLOBAL_BASE) {
        char v[32];
        snprintf(v, sizeof v, "%" PRId64, lay.dram_bytes);
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, "layout.dram_bytes", v,
                      "DRAM has the lower 2 GiB of the external address space (docs/isa.md 2)");
        return FAST_EINPUT;
    }
    int64_t gcap = a->memory.global_mib << 20;
    if (lay.global_bytes > 0 && (lay.global_bytes > gcap || gcap > FAST_GLOBAL_BASE)) {
        char v[32];
        snprintf(v, sizeof v, "%" PRId64, a->memory.global_mib);
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, "memory.global_mib", v,
                      "the layer's tensors in the global memory take %" PRId64
                      " bytes; it holds %" PRId64 " (at most 2048 MiB are addressable)",
                      lay.global_bytes, gcap);
        return FAST_EINPUT;
    }
    ctx c = {.a = a, .l = l, .t = t, .lay = &lay, .eb = 1, .R = a->array.rows,
             .C = a->array.cols, .nbuf = t->double_buffered ? 2 : 1,
             .os = a->array.dataflow == FAST_DATAFLOW_OS, .d = d};
    fast_layer_gemm_dims(l, &c.G, &c.M, &c.K, &c.N);
    fast_layer_out_hw(l, &c.ho, &c.wo);
    int64_t U = t->units < 1 ? 1 : t->units;
    if (U > a->cores * a->array.count || t->tm < 1 || t->tk < 1 || t->tn < 1) {
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, "tiling", NULL, "not a tiling of this chip");
        return FAST_EINPUT;
    }
    /* The blocks must fit the array's share of each scratchpad. */
    int64_t cnt = a->array.count, nb = c.nbuf;
    if (t->tm * t->tk * nb > a->memory.input_kib * 1024 / cnt ||
        t->tk * t->tn * nb > a->memory.weight_kib * 1024 / cnt) {
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, "tiling", NULL,
                      "blocks do not fit the scratchpads");
        return FAST_EINPUT;
    }
    /* An output slot is ceil(tn/C) column tiles of tmr whole accumulator rows (an
     * output-stationary tile writes R rows); nbuf slots must fit the array's words, the
     * size the machine gives it. */
    c.P = fast_arch_acc_pitch(a);
    int64_t n_acc = fast_arch_acc_rows(a) * c.P, nnt = cdiv(t->tn, c.C);
    c.tmr = c.os ? cdiv(t->tm, c.R) * c.R : t->tm;
    c.slot = nnt * c.tmr * c.P;
    c.slot_base = nb > 1 ? n_acc / 2 : 0;
    if (nb * c.slot > n_acc) {
        /* Name the dimension whose rounding to whole rows or tiles overflows: tn when even
         * tm rows of ceil(tn/C) column tiles do not fit, else tm (rounded up to R rows). */
        int tn_fault = nb * nnt * t->tm * c.P > n_acc;
        char val[32];
        snprintf(val, sizeof val, "%lld", (long long)(tn_fault ? t->tn : t->tm));
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, tn_fault ? "tiling.tn" : "tiling.tm", val,
                      "needs %lld accumulator slots of %lld column tiles x %lld rows x %lld "
                      "words = %lld words; the array has %lld",
                      (long long)nb, (long long)nnt, (long long)c.tmr, (long long)c.P,
                      (long long)(nb * c.slot), (long long)n_acc);
        return FAST_EINPUT;
    }
    ibuf *bufs = calloc((size_t)U, sizeof *bufs);
    if (!bufs) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
        return FAST_ETOOL;
    }
    for (int64_t u = 0; u < U && !c.err; u++) {
        part p = {0, c.G, 0, c.M, 0, c.N};
        if (t->split == FAST_SPLIT_N)
            p.n0 = u * t->n, p.n1 = imin(c.N, (u + 1) * t->n);
        else if (t->split == FAST_SPLIT_M)
            p.m0 = u * t->m, p.m1 = imin(c.M, (u + 1) * t->m);
        else
            p.g0 = u * t->g, p.g1 = imin(c.G, (u + 1) * t->g);
        c.array = u;
        c.b = &bufs[u];
        if (p.g0 < p.g1 && p.m0 < p.m1 && p.n0 < p.n1)
            emit_array(&c, p);
        if (bufs[u].oom)
            c.err = 2;
    }
    /* Interleave the arrays instruction by instruction, so that every array starts at
     * once (the fetcher dispatches one instruction per cycle, in order). */
    size_t total = 1;
    for (int64_t u = 0; u < U; u++)
        total += bufs[u].n;
    fast_status st = FAST_OK;
    if (c.err) {
        st = c.err == 2 ? FAST_ETOOL : FAST_EINPUT;
        if (c.err == 2)
            fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
    } else if (!(out->insns = malloc(total * sizeof *out->insns))) {
        fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
        st = FAST_ETOOL;
    } else {
        size_t *pos = calloc((size_t)U, sizeof *pos);
        for (int more = 1; more && pos;) {
            more = 0;
            for (int64_t u = 0; u < U; u++)
                if (pos[u] < bufs[u].n) {
                    out->insns[out->n++] = bufs[u].v[pos[u]++];
                    more = 1;
                }
        }
        if (!pos) {
            fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
            st = FAST_ETOOL;
        }
        free(pos);
        out->insns[out->n++] = fast_isa_make(FAST_ISA_END);
    }
    for (int64_t u = 0; u < U; u++) {
        free(bufs[u].v);
    }
    free(bufs);
    if (st != FAST_OK) {
        fast_compiled_free(out);
        return st;
    }
    for (size_t k = 0; k < out->n; k++)
        out->by_op[out->insns[k].op]++;
    out->layout = lay;
    out->tiling = *t;
    return FAST_OK;
}

fast_status fast_compile_layer(const fast_arch *a, const fast_layer *l, fast_compiled *c,
                               fast_diag *d)
{
    memset(c, 0, sizeof *c);
    if (check_layer(a, l, d) != FAST_OK)
        return FAST_EINPUT;
    fast_tiling t;
    int64_t cycles = 0;
    fast_unit unit = FAST_UNIT_NONE;
    fast_bound bound = FAST_BOUND_NONE;
    fast_status st = fast_compile_model(a, l, &t, &cycles, &unit, &bound, d);
    if (st != FAST_OK)
        return st;
    st = fast_compile_layer_tiled(a, l, &t, c, d);
    c->model_cycles = cycles;
    c->model_unit = unit;
    c->model_bound = bound;
    return st;
}

void fast_compiled_free(fast_compiled *c)
{
    if (!c)
        return;
    free(c->insns);
    memset(c, 0, sizeof *c);
}

void fast_layout_pack_weights(const fast_layer *l, const fast_layout *lay, const int8_t *w,
                              uint8_t *image)
{
    int64_t G, M, K, N;
    fast_layer_gemm_dims(l, &G, &M, &K, &N);
    uint8_t *dst = image + lay->t[1].addr;
    if (l->kind == FAST_LAYER_GEMM) {
        memcpy(dst, w, (size_t)(K * N));
        return;
    }
    int64_t cg = l->cin / l->groups;
    for (int64_t gi = 0; gi < G; gi++)
        for (int64_t k = 0; k < K; k++)
            for (int64_t n = 0; n < N; n++) {
                int64_t p = k / cg, ci = k % cg, co = gi * N + n;
                int64_t ky = p / l->kw, kx = p % l->kw;
                dst[(gi * K + k) * N + n] =
                    (uint8_t)w[((co * l->kh + ky) * l->kw + kx) * cg + ci];
            }
}

cJSON *fast_layout_to_json(const fast_layout *lay)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    cJSON_AddNumberToObject(doc, "dram_bytes", (double)lay->dram_bytes);
    cJSON_AddNumberToObject(doc, "global_bytes", (double)lay->global_bytes);
    cJSON *ts = cJSON_AddArrayToObject(doc, "tensors");
    for (int i = 0; ts && i < 3; i++) {
        const fast_tensor_place *p = &lay->t[i];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddStringToObject(o, "name", p->name);
        cJSON_AddStringToObject(o, "memory", p->global ? "global" : "dram");
        cJSON_AddNumberToObject(o, "addr", (double)p->addr);
        cJSON_AddNumberToObject(o, "bytes", (double)p->bytes);
        cJSON_AddStringToObject(o, "elem", p->elem);
        cJSON *sh = cJSON_AddArrayToObject(o, "shape");
        for (int k = 0; sh && k < p->rank; k++)
            cJSON_AddItemToArray(sh, cJSON_CreateNumber((double)p->shape[k]));
        cJSON_AddStringToObject(o, "order", p->order);
        cJSON_AddItemToArray(ts, o);
    }
    return doc;
}
