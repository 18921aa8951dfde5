/* Pricing a GEMM on the systolic arrays: the split over arrays, the tiling search, and the
 * block-synchronous pipeline of docs/model.md sections 3 and 4. */
#include <stddef.h>
#include <string.h>

#include "sim/model/energy.h"
#include "sim/model/model.h"

static int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
static int64_t imin(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t imax(int64_t a, int64_t b) { return a > b ? a : b; }

/* Constant parts of the timing of docs/model.md 3.2 and 4.3, cycles. */
enum {
    START = 3,     /* from the op's start to its first transfer's first row */
    TOKEN = 1,     /* from a push to the pop that it enables */
    ISSUE = 2,     /* from a unit's tokens to its transfer's first row */
    END = 2,       /* from the last transfer's end to the op's end */
    SB_STEP = 5,   /* single-buffered: the hand-offs of one block */
    VEC_GAP = 7    /* per VECTOR beyond its rows */
};

/* Everything one array sees: its GEMM, its share of memories and bandwidth. */
typedef struct unit_ctx {
    int64_t R, C, eb;        /* array shape, operand bytes */
    int64_t ob;              /* bytes of a stored output element */
    int64_t vw;              /* accumulator words the vector unit takes per cycle, min(V, C) */
    int passes;              /* fused vector passes per output block */
    int os;                  /* output-stationary */
    int64_t g, m, k, n;      /* GEMM of this array */
    int64_t in_cap, w_cap;   /* bytes of the input and weight scratchpads this array owns */
    int64_t acc_rows;        /* accumulator rows of C words this array owns */
    double dram_bpc;         /* DRAM bytes per cycle for this array */
    int64_t bw256;           /* the same, in 1/256 bytes per cycle, as the DMA counts it */
    int64_t gbw256;          /* the global memory's pace for this array, likewise */
    int64_t beat;            /* bytes of one beat of the external port */
    int64_t sharers;         /* arrays that share the port's one beat per cycle */
    int64_t wo, cg;          /* im2col gather of a conv (fast_gemm.conv_wo, conv_cg) */
    struct blk_memo *memo;   /* the block costs of one candidate's timeline */
    int64_t dram_lat;        /* DRAM latency, cycles */
    int64_t rowq;            /* rows of look-ahead of the DMA's row generator */
    int in_on_chip, w_on_chip, out_on_chip;
} unit_ctx;

/* One candidate tiling and its derived block counts. */
typedef struct cand {
    int64_t tm, tk, tn;
    int64_t nb_m, nb_k, nb_n;
    int64_t lm, lk, ln; /* sizes of the last (partial) blocks */
    fast_order order;
    int dbl;
} cand;

/* Paced cycles of one DMA command of `rows` rows of rb bytes from DRAM (section 3.2):
 * a row is cut into beats of at most `beat` bytes and never shares one; beat k leaves at
 * the earliest when the bandwidth has delivered its bytes C_k, and the port carries one
 * beat per cycle for all `sharers` arrays, so T = max over k of
 * ceil(C_k / (B/U)) + sharers * (N - 1 - k). Within a row the full beats carry at least
 * B/U bytes, so the maximum is at a row's last full beat or its last beat; along the rows
 * it is monotone, so the first and the last row decide it. */
static int64_t paced(const unit_ctx *u, int64_t rows, int64_t rb, int glob)
{
    if (rows <= 0 || rb <= 0)
        return 0;
    int64_t bw256 = glob ? u->gbw256 : u->bw256;
    int64_t q = cdiv(rb, u->beat), n = rows * q, t = 0;
    int64_t rr[2] = {0, rows - 1};
    for (int i = 0; i < 2; i++) {
        int64_t r = rr[i];
        /* The row's last beat, then its last full beat. */
        int64_t k = r * q + q - 1, c = (r + 1) * rb;
        t = imax(t, cdiv(256 * c, bw256) + u->sharers * (n - 1 - k));
        if (q >= 2) {
            k--;
            c = r * rb + (q - 1) * u->beat;
            t = imax(t, cdiv(256 * c, bw256) + u->sharers * (n - 1 - k));
        }
    }
    return t;
}

/* The latency of a transfer from the global memory (on_chip) or DRAM. */
static int64_t lat(const unit_ctx *u, int on_chip)
{
    return on_chip ? FAST_GLOBAL_LATENCY : u->dram_lat;
}

/* Cycles of a transfer of `rows` rows of rb bytes: one DMA command from the global memory
 * (on_chip) or DRAM, latency then paced. */
static int64_t xfer(const unit_ctx *u, int64_t rows, int64_t rb, int on_chip)
{
    if (rows <= 0 || rb <= 0)
        return 0;
    return lat(u, on_chip) + paced(u, rows, rb, on_chip);
}

/* Sizes of the pieces of a range [a, a + len) cut at multiples of unit: the first, a full
 * piece and the last, with the counts of each (the first and last may coincide). */
typedef struct cuts {
    int64_t size[3], count[3];
} cuts;

static cuts cut(int64_t a, int64_t len, int64_t unit)
{
    cuts c = {{0, 0, 0}, {0, 0, 0}};
    int64_t first = imin(unit - a % unit, len);
    c.size[0] = first, c.count[0] = 1;
    int64_t rest = len - first;
    c.size[1] = unit, c.count[1] = rest / unit;
    c.size[2] = rest % unit, c.count[2] = rest % unit ? 1 : 0;
    return c;
}

/* Cycles of the im2col gather of a conv's input block: rows m0 .. m0+tm of the implicit
 * GEMM, reduction k0 .. k0+tk. One LOAD per run of pixels in one output row and kernel
 * position, each continuing the one before (one latency for the block). */
static int64_t gather_cycles(const unit_ctx *u, int64_t m0, int64_t tm, int64_t k0, int64_t tk)
{
    cuts runs = cut(m0, tm, u->wo), pieces = cut(k0, tk, u->cg);
    int64_t t = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            if (runs.count[i] && pieces.count[j])
                t += runs.count[i] * pieces.count[j] *
                     paced(u, runs.size[i], pieces.size[j] * u->eb, u->in_on_chip);
    return lat(u, u->in_on_chip) + t;
}

/* Compute cycles of one block of tm x tk by tk x tn (section 1 formulas per block). */
static int64_t block_compute(const unit_ctx *u, int64_t tm, int64_t tk, int64_t tn)
{
    int64_t R = u->R, C = u->C;
    if (u->os) {
        /* The first tile's activations take R cycles to transpose (section 1.2). */
        int64_t tiles = cdiv(tm, R) * cdiv(tn, C);
        return R + tiles * (tk + 2 * R + C - 2);
    }
    int64_t tiles = cdiv(tk, R) * cdiv(tn, C);
    return R + (tiles - 1) * imax(tm, imax(C + 1, R)) + tm + R + C - 1;
}

/* A block: its sizes and whether its input and weight blocks must be loaded and its
 * outputs stored (residency, section 4.3). */
typedef struct blk {
    int64_t tm, tk, tn;
    int64_t m0, k0; /* first row and reduction index */
    int load_in, load_w, store;
} blk;

/* Blocks are numbered by three loop indices, outermost first: (mb, nb, kb) for order mnk,
 * (nb, mb, kb) for nmk. */
static void extents(const cand *c, int64_t ext[3])
{
    ext[0] = c->order == FAST_ORDER_MNK ? c->nb_m : c->nb_n;
    ext[1] = c->order == FAST_ORDER_MNK ? c->nb_n : c->nb_m;
    ext[2] = c->nb_k;
}

static blk block_at(const cand *c, const int64_t idx[3])
{
    int64_t mb = c->order == FAST_ORDER_MNK ? idx[0] : idx[1];
    int64_t nb = c->order == FAST_ORDER_MNK ? idx[1] : idx[0];
    int64_t kb = idx[2];
    blk b;
    b.tm = mb == c->nb_m - 1 ? c->lm : c->tm;
    b.tn = nb == c->nb_n - 1 ? c->ln : c->tn;
    b.tk = kb == c->nb_k - 1 ? c->lk : c->tk;
    b.m0 = mb * c->tm;
    b.k0 = kb * c->tk;
    b.store = kb == c->nb_k - 1;
    if (c->order == FAST_ORDER_MNK) {
        b.load_in = !(c->nb_k == 1 && nb > 0);
        b.load_w = !(c->nb_n == 1 && c->nb_k == 1 && mb > 0);
    } else {
        b.load_w = !(c->nb_k == 1 && mb > 0);
        b.load_in = !(c->nb_m == 1 && c->nb_k == 1 && nb > 0);
    }
    return b;
}

static int64_t block_load_cycles(const unit_ctx *u, const blk *b)
{
    int64_t t = 0;
    if (b->load_in)
        t += u->wo ? gather_cycles(u, b->m0, b->tm, b->k0, b->tk)
                   : xfer(u, b->tm, b->tk * u->eb, u->in_on_chip);
    if (b->load_w)
        t += xfer(u, b->tk, b->tn * u->eb, u->w_on_chip);
    return t;
}

/* Cycles from the DMA's pick of its next command to the end of a block's loads: the pick
 * is when the row generator starts the last command (section 3.2). A weight block or a
 * GEMM's input block is one command that starts when the one before has ended. The
 * gather's commands continue each other: the generator starts the last one after it has
 * queued the rows before it, at most ROWQ ahead of the mover, which moves the gather's n
 * rows evenly after the latency; it sends one read request per row, and the port takes
 * one per cycle for all the arrays that share it. */
static int64_t block_load_last(const unit_ctx *u, const blk *b)
{
    if (b->load_w)
        return xfer(u, b->tk, b->tn * u->eb, u->w_on_chip);
    if (!b->load_in)
        return 0;
    if (!u->wo)
        return xfer(u, b->tm, b->tk * u->eb, u->in_on_chip);
    cuts runs = cut(b->m0, b->tm, u->wo), pieces = cut(b->k0, b->tk, u->cg);
    int i = runs.count[2] ? 2 : runs.count[1] ? 1 : 0;
    int64_t n = b->tm * (pieces.count[0] + pieces.count[1] + pieces.count[2]);
    int64_t before = n - runs.size[i]; /* rows of the commands before the last */
    int64_t l = lat(u, u->in_on_chip), dur = gather_cycles(u, b->m0, b->tm, b->k0, b->tk);
    int64_t pick = before * u->sharers, q = before - 1 - u->rowq;
    if (q >= 0)
        pick = imax(pick, l + q * (dur - l) / n + 2);
    return imax(0, dur - pick);
}

static int64_t block_store_cycles(const unit_ctx *u, const blk *b)
{
    if (!b->store)
        return 0;
    /* One STORE per column tile of the block, each continuing the one before. */
    int64_t full = b->tn / u->C, rest = b->tn % u->C;
    int on = u->out_on_chip;
    return lat(u, on) + full * paced(u, b->tm, u->C * u->ob, on) +
           paced(u, b->tm, rest * u->ob, on);
}

/* Cycles from the end of an output block's array work to the start of its store: its fused
 * vector passes, one VECTOR per pass and column tile, each taking a row per cycle
 * (ceil(cols / min(V, C)) cycles for a row wider than the vector unit), then the token to
 * the store unit (docs/model.md 4.3). */
static int64_t block_tail_cycles(const unit_ctx *u, const blk *b)
{
    if (!b->store)
        return 0;
    if (u->passes == 0)
        return 0;
    int64_t full = b->tn / u->C, rest = b->tn % u->C;
    int64_t per = full * (b->tm * cdiv(u->C, u->vw) + VEC_GAP);
    if (rest)
        per += b->tm * cdiv(rest, u->vw) + VEC_GAP;
    return u->passes * per;
}

/* Cycles from the end of an output block's array work until the compute unit has taken
 * its last VECTOR (the unit takes instructions in order, a VECTOR once the one before is
 * done): the tail but its last VECTOR. */
static int64_t block_tail_hold(const unit_ctx *u, const blk *b)
{
    if (!b->store || u->passes == 0)
        return 0;
    int64_t rest = b->tn % u->C;
    int64_t last = b->tm * cdiv(rest ? rest : u->C, u->vw) + VEC_GAP;
    return block_tail_cycles(u, b) - last;
}

/* ---- Single-buffered: each block loads, computes, runs its tail and stores in turn. */

static int64_t sb_level(const unit_ctx *u, const cand *c, const int64_t ext[3], int64_t idx[3],
                        int l)
{
    if (l == 3) {
        blk b = block_at(c, idx);
        return block_load_cycles(u, &b) + block_compute(u, b.tm, b.tk, b.tn) +
               block_tail_cycles(u, &b) + block_store_cycles(u, &b) + SB_STEP;
    }
    /* Iterations 1 .. n-2 of a level see identical blocks: priced once. */
    int64_t n = ext[l], sum = 0;
    for (idx[l] = 0; idx[l] < n; idx[l] = idx[l] == 1 && n > 3 ? n - 1 : idx[l] + 1) {
        int64_t s1 = sb_level(u, c, ext, idx, l + 1);
        sum += idx[l] == 1 && n > 3 ? s1 * (n - 2) : s1;
    }
    return sum;
}

/* ---- Double-buffered: the timeline of section 3.2. The compute unit takes block j once
 * the array has drained block j - 1, its loads are done, and, for the first k-block of an
 * output block, the store of the output block two before (the same accumulator half) is
 * done. The DMA serves transfers in the order they become ready: the loads of block j when
 * block j - 2 drains (its buffers are free), the store of an output block when its vector
 * tail is done. */

#define NONE INT64_MIN

/* What a block costs on each unit, computed once per distinct block of a candidate. */
enum { MEMO = 8, STORES = 16 };
typedef struct blk_cost {
    blk b;
    int64_t load, load_last, comp, tail, hold;
    int n_st;                  /* STORE transfers (the last few of a wide block lumped) */
    int64_t st_dur[STORES], st_rows[STORES];
} blk_cost;

typedef struct blk_memo {
    blk_cost e[MEMO];
    int n, next;
} blk_memo;

static int blk_same(const blk *a, const blk *b);

static const blk_cost *cost_of(const unit_ctx *u, const blk *b)
{
    blk_memo *m = u->memo;
    for (int i = 0; i < m->n; i++)
        if (blk_same(&m->e[i].b, b))
            return &m->e[i];
    blk_cost *e = &m->e[m->next];
    m->next = (m->next + 1) % MEMO;
    if (m->n < MEMO)
        m->n++;
    e->b = *b;
    e->load = block_load_cycles(u, b);
    e->load_last = block_load_last(u, b);
    e->comp = block_compute(u, b->tm, b->tk, b->tn);
    e->tail = block_tail_cycles(u, b);
    e->hold = block_tail_hold(u, b);
    e->n_st = 0;
    if (b->store) {
        int64_t nt = cdiv(b->tn, u->C), lump = 0, lump_rows = 0;
        for (int64_t k = 0; k < nt; k++) {
            int64_t cols = imin(u->C, b->tn - k * u->C);
            int64_t d = paced(u, b->tm, cols * u->ob, u->out_on_chip);
            if (k < STORES - 1 || k == nt - 1) {
                e->st_dur[e->n_st] = d + lump;
                e->st_rows[e->n_st++] = b->tm + lump_rows;
                lump = lump_rows = 0;
            } else {
                lump += d;
                lump_rows += b->tm;
            }
        }
    }
    return e;
}

typedef struct xfer_item {
    int64_t ready, dur; /* ready cycle, cycles on the DMA (a store's without latency) */
    int64_t last_cmd;   /* a load's cycles from the DMA's pick of its next command to its
                           end (block_load_last); 0 for a store */
    int64_t out;        /* output block of a store, -1 for a load */
    int64_t rows;       /* rows of a store */
    int64_t id;         /* block of a load */
    int last;           /* the last STORE of its output block */
} xfer_item;

typedef struct tl_seg {
    int64_t row0, rows, ms, d; /* first row in the burst, rows, mover start, cycles */
} tl_seg;

typedef struct timeline {
    int64_t j, o;          /* blocks and output blocks started */
    int64_t e1;            /* drain of block j-1 (NONE before) */
    int64_t h1;            /* the compute unit is free for block j from here */
    int64_t f1;            /* the same plus its vector tail: its buffers free */
    int64_t dma;           /* the DMA is free from this cycle */
    int64_t picked;        /* the cycle the DMA picks its next transfer */
    int64_t chain;         /* output block of the last transfer when a store, else -1 */
    int64_t ld, ld_next;   /* ends of the loads of blocks j and j + 1 (NONE until served) */
    blk pend;              /* block j, whose next block's loads are already queued */
    int pend_first, has_pend;
    int64_t s1, s2;        /* store ends of output blocks o-1 and o-2 (NONE: not yet),
                              o the output blocks started */
    /* The running STORE burst as the DMA's row generator sees it: the cycle it is done
     * with the burst's last STORE, the burst's rows, and when the mover starts each
     * STORE's rows (they follow each other, evenly paced within a STORE). */
    int64_t ch_gen, ch_rows;
    int ch_n;
    tl_seg seg[STORES];
    int nq;
    xfer_item q[40];       /* transfers ready but not yet served, by ready cycle (last, so
                              that a copy may stop at q[nq]) */
} timeline;

/* The cycle the mover starts row j of the running STORE burst; NONE before its first. */
static int64_t tl_row_start(const timeline *t, int64_t j)
{
    for (int i = 0; i < t->ch_n; i++)
        if (j >= t->seg[i].row0 && j < t->seg[i].row0 + t->seg[i].rows)
            return t->seg[i].ms + (j - t->seg[i].row0) * t->seg[i].d / t->seg[i].rows;
    return NONE;
}

/* Serves the next transfer. The DMA takes its next command when its row generator starts
 * the one before, or when the first one is ready: a load if one is ready by the cycle
 * after (it waits in the DMA's hold; loads go first), else the one ready first. A command that does not continue a burst starts once
 * the one before has ended, so the generator starts a block's last load when the load
 * before it ends. A STORE that continues its output block's burst starts once the
 * generator has queued the rows of the one before, at most ROWQ rows ahead of the mover,
 * and hides the latency; one after a load pays it again (docs/model.md 3.2). */
static void tl_serve_one(const unit_ctx *u, timeline *t)
{
    int k = 0;
    int64_t when = imax(t->picked + 1, t->q[0].ready);
    for (int i = 0; i < t->nq && t->q[i].ready <= when; i++)
        if (t->q[i].out < 0) {
            k = i;
            break;
        }
    xfer_item x = t->q[k];
    memmove(t->q + k, t->q + k + 1, (size_t)(t->nq - 1 - k) * sizeof t->q[0]);
    t->nq--;
    int64_t start = imax(x.ready, t->dma);
    int64_t dur = x.dur;
    int chained = x.out >= 0 && t->chain == x.out;
    if (x.out >= 0 && !chained)
        dur += lat(u, u->out_on_chip);
    t->dma = start + dur;
    if (x.out < 0) {
        t->picked = imax(start, t->dma - imin(x.last_cmd, dur));
    } else {
        int64_t gs = chained ? imax(when, t->ch_gen) : imax(when, start);
        if (!chained)
            t->ch_n = 0, t->ch_rows = 0;
        if (t->ch_n < STORES)
            t->seg[t->ch_n++] = (tl_seg){t->ch_rows, x.rows, t->dma - x.dur, x.dur};
        /* Its last row is queued when the mover starts the row ROWQ before it. */
        int64_t gen = gs + x.rows, r = tl_row_start(t, t->ch_rows + x.rows - 1 - u->rowq);
        if (r != NONE)
            gen = imax(gen, r + 2);
        t->ch_gen = gen;
        t->ch_rows += x.rows;
        t->picked = gs;
    }
    t->chain = x.out;
    if (x.out < 0 && x.id == t->j)
        t->ld = t->dma;
    else if (x.out < 0)
        t->ld_next = t->dma;
    else if (x.last && x.out == t->o - 1)
        t->s1 = t->dma;
    else if (x.last && x.out == t->o - 2)
        t->s2 = t->dma;
}

static void tl_push(const unit_ctx *u, timeline *t, xfer_item x)
{
    if (t->nq == (int)(sizeof t->q / sizeof t->q[0]))
        tl_serve_one(u, t);
    int k = t->nq;
    while (k > 0 && t->q[k - 1].ready > x.ready) {
        t->q[k] = t->q[k - 1];
        k--;
    }
    t->q[k] = x;
    t->nq++;
}

/* Queues the loads of block j + 1 (b): ready when block j - 1 has drained and run its
 * vector tail (at the start for blocks 0 and 1). */
static void tl_queue_load(const unit_ctx *u, timeline *t, const blk *b, int64_t id, int64_t *end)
{
    int64_t ready = t->f1 == NONE || id < 2 ? START : t->f1 + ISSUE;
    const blk_cost *k = cost_of(u, b);
    *end = NONE;
    if (k->load > 0)
        tl_push(u, t, (xfer_item){ready, k->load, k->load_last, -1, 0, id, 0});
    else
        *end = ready; /* nothing to load: the token only */
}

/* Runs block j, t->pend: the compute unit takes it, it drains, its stores are queued. */
static void tl_compute(const unit_ctx *u, timeline *t)
{
    const blk_cost *k = cost_of(u, &t->pend);
    while (t->ld == NONE)
        tl_serve_one(u, t);
    int64_t go = imax(t->h1 == NONE ? 0 : t->h1, t->ld + TOKEN);
    if (t->pend_first) {
        /* Output block o reuses the accumulator half of output block o - 2: its store must
         * have ended. */
        if (t->o >= 2) {
            while (t->s2 == NONE && t->nq > 0)
                tl_serve_one(u, t);
            go = imax(go, t->s2 + TOKEN);
        }
        t->o++;
        t->s2 = t->s1;
        t->s1 = NONE;
    }
    int64_t drain = go + k->comp + 1;
    t->e1 = drain;
    t->f1 = drain + k->tail;
    t->h1 = k->b.store && u->passes ? drain + k->hold + 1 : drain;
    t->j++;
    t->ld = t->ld_next;
    t->ld_next = NONE;
    /* One STORE per column tile, all ready when the tail is done. */
    int64_t ready = drain + ISSUE + k->tail;
    for (int i = 0; i < k->n_st; i++)
        tl_push(u, t, (xfer_item){ready, k->st_dur[i], 0, t->o - 1, k->st_rows[i], 0,
                                  i == k->n_st - 1});
}

/* Visits the next block of the sequence, b: queues its loads, then runs the block before
 * it (so that a transfer of b can go before that block's waits, as on the DMA). */
static void tl_block(const unit_ctx *u, timeline *t, const blk *b, int first_k)
{
    if (!t->has_pend) {
        tl_queue_load(u, t, b, 0, &t->ld);
    } else {
        int64_t end;
        tl_queue_load(u, t, b, t->j + 1, &end);
        if (end != NONE)
            t->ld_next = end;
        tl_compute(u, t);
    }
    t->pend = *b;
    t->pend_first = first_k;
    t->has_pend = 1;
}

static int blk_same(const blk *a, const blk *b)
{
    return a->tm == b->tm && a->tk == b->tk && a->tn == b->tn && a->m0 == b->m0 &&
           a->k0 == b->k0 && a->load_in == b->load_in && a->load_w == b->load_w &&
           a->store == b->store;
}

/* The state of a timeline relative to its last drain: two timelines with equal states
 * evolve identically over identical blocks, shifted in time. */
static int tl_same(const timeline *a, const timeline *b)
{
    if (a->e1 == NONE || b->e1 == NONE)
        return 0; /* no block has drained yet: nothing to measure from */
#define REL(t, v) ((v) == NONE ? NONE : (v) - (t)->e1)
    if (a->nq != b->nq || REL(a, a->dma) != REL(b, b->dma) ||
        REL(a, a->f1) != REL(b, b->f1) ||
        REL(a, a->h1) != REL(b, b->h1) || REL(a, a->ld) != REL(b, b->ld) ||
        REL(a, a->ld_next) != REL(b, b->ld_next) || a->pend_first != b->pend_first ||
        !blk_same(&a->pend, &b->pend) ||
        REL(a, a->picked) != REL(b, b->picked) ||
        (a->chain < 0 ? -1 : a->chain - a->o) != (b->chain < 0 ? -1 : b->chain - b->o) ||
        REL(a, a->s1) != REL(b, b->s1) || REL(a, a->s2) != REL(b, b->s2) ||
        REL(a, a->ch_gen) != REL(b, b->ch_gen) || a->ch_rows != b->ch_rows ||
        a->ch_n != b->ch_n)
        return 0;
    for (int k = 0; k < a->ch_n; k++)
        if (a->seg[k].row0 != b->seg[k].row0 || a->seg[k].rows != b->seg[k].rows ||
            REL(a, a->seg[k].ms) != REL(b, b->seg[k].ms) || a->seg[k].d != b->seg[k].d)
            return 0;
    for (int k = 0; k < a->nq; k++)
        if (REL(a, a->q[k].ready) != REL(b, b->q[k].ready) || a->q[k].dur != b->q[k].dur ||
            a->q[k].last_cmd != b->q[k].last_cmd ||
            (a->q[k].out < 0) != (b->q[k].out < 0) ||
            (a->q[k].out < 0 && a->q[k].id - a->j != b->q[k].id - b->j) ||
            (a->q[k].out >= 0 && a->q[k].out - a->o != b->q[k].out - b->o) ||
            a->q[k].last != b->q[k].last)
            return 0;
    return 1;
#undef REL
}

/* Shifts a timeline by r repetitions of a period that took dt cycles, dj blocks and do
 * output blocks. */
static void tl_shift(timeline *t, int64_t r, int64_t dt, int64_t dj, int64_t d_o)
{
#define SH(v) ((v) = (v) == NONE ? NONE : (v) + r * dt)
    SH(t->e1);
    SH(t->f1);
    SH(t->h1);
    SH(t->ld);
    SH(t->ld_next);
    SH(t->dma);
    SH(t->picked);
    if (t->chain >= 0)
        t->chain += r * d_o;
    SH(t->s1);
    SH(t->s2);
    SH(t->ch_gen);
    for (int k = 0; k < t->ch_n; k++)
        SH(t->seg[k].ms);
    for (int k = 0; k < t->nq; k++) {
        SH(t->q[k].ready);
        if (t->q[k].out >= 0)
            t->q[k].out += r * d_o;
        else
            t->q[k].id += r * dj;
    }
#undef SH
    t->j += r * dj;
    t->o += r * d_o;
}

/* Copies a timeline: its fields and the transfers it holds. */
static void tl_copy(timeline *dst, const timeline *src)
{
    memcpy(dst, src, offsetof(timeline, q) + (size_t)src->nq * sizeof src->q[0]);
}

/* Runs the blocks under loop level l (level -1: the groups) with the outer indices in idx.
 * Iterations 1 .. n-2 of a level run identical blocks; once one of them leaves the
 * timeline as it found it, shifted, the rest are that shift repeated. */
static void tl_level(const unit_ctx *u, const cand *c, const int64_t ext[3], int64_t idx[3],
                     int l, timeline *t)
{
    if (l == 3) {
        blk b = block_at(c, idx);
        tl_block(u, t, &b, idx[2] == 0);
        return;
    }
    /* The timeline at the start of the last PERIOD iterations: the steady state may repeat
     * every p <= PERIOD iterations (the DMA's order can alternate). */
    enum { PERIOD = 4 };
    timeline hist[PERIOD];
    int64_t n = l < 0 ? u->g : ext[l], seen = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t pos = i == 0 ? 0 : i == n - 1 ? n - 1 : 1;
        if (l >= 0)
            idx[l] = pos;
        if (pos == 1)
            tl_copy(&hist[seen++ % PERIOD], t);
        tl_level(u, c, ext, idx, l + 1, t);
        if (pos != 1)
            continue;
        /* hist[p - 1] is the state p iterations ago: the same, shifted, is a period. */
        for (int64_t p = 1; p <= PERIOD && p <= seen; p++) {
            const timeline *h = &hist[(seen - p) % PERIOD];
            int64_t r = (n - 2 - i) / p; /* whole periods left among iterations i+1 .. n-2 */
            if (r > 0 && tl_same(h, t)) {
                tl_shift(t, r, t->e1 - h->e1, t->j - h->j, t->o - h->o);
                i += r * p;
                seen = 0;
                break;
            }
        }
    }
}

/* Total cycles of one array running candidate c over all its groups. */
static int64_t cand_cycles(const unit_ctx *u, const cand *c)
{
    int64_t ext[3], idx[3] = {0, 0, 0};
    extents(c, ext);
    if (!c->dbl) {
        int64_t sum = 0;
        int64_t one = sb_level(u, c, ext, idx, 0);
        sum = u->g * one;
        return START + sum + END;
    }
    blk_memo memo = {.n = 0, .next = 0};
    unit_ctx um = *u;
    um.memo = &memo;
    u = &um;
    timeline t = {.e1 = NONE, .h1 = NONE, .f1 = NONE, .dma = 0,
                  .picked = 0, .chain = -1, .ld = NONE, .ld_next = NONE, .s1 = NONE,
                  .s2 = NONE, .ch_gen = NONE};
    tl_level(u, c, ext, idx, -1, &t);
    tl_compute(u, &t);
    while (t.nq > 0)
        tl_serve_one(u, &t);
    return imax(t.dma, t.e1) + END;
}

/* Bytes one array moves for candidate c: loads of inputs and weights, stores of outputs. */
static void cand_bytes(const unit_ctx *u, const cand *c, int64_t *in_b, int64_t *w_b,
                       int64_t *out_b)
{
    int64_t M = u->m, K = u->k, N = u->n, eb = u->eb;
    int64_t in_loads, w_loads;
    if (c->order == FAST_ORDER_MNK) {
        in_loads = c->nb_k == 1 ? 1 : c->nb_n;                /* input re-read per n-block */
        w_loads = (c->nb_n == 1 && c->nb_k == 1) ? 1 : c->nb_m; /* weights per m-block */
    } else {
        w_loads = c->nb_k == 1 ? 1 : c->nb_m;
        in_loads = (c->nb_m == 1 && c->nb_k == 1) ? 1 : c->nb_n;
    }
    *in_b = u->g * M * K * eb * in_loads;
    *w_b = u->g * K * N * eb * w_loads;
    *out_b = u->g * M * N * u->ob;
}

static int make_cand(const unit_ctx *u, int64_t tm, int64_t tk, int64_t tn, fast_order order,
                     int dbl, cand *c)
{
    int64_t buf = dbl ? 2 : 1;
    /* An output block takes ceil(tn / C) column tiles of tm whole accumulator rows. */
    if (tk * tn * u->eb * buf > u->w_cap || tm * tk * u->eb * buf > u->in_cap ||
        cdiv(tn, u->C) * tm * buf > u->acc_rows)
        return 0;
    *c = (cand){.tm = tm, .tk = tk, .tn = tn, .order = order, .dbl = dbl};
    c->nb_m = cdiv(u->m, tm);
    c->nb_k = cdiv(u->k, tk);
    c->nb_n = cdiv(u->n, tn);
    c->lm = u->m - (c->nb_m - 1) * tm;
    c->lk = u->k - (c->nb_k - 1) * tk;
    c->ln = u->n - (c->nb_n - 1) * tn;
    return 1;
}

/* Compute cycles of all blocks of one array, in closed form: blocks come in at most eight
 * size classes (full or last along m, k and n). */
static int64_t cand_compute(const unit_ctx *u, const cand *c)
{
    int64_t ms[2] = {c->tm, c->lm}, ks[2] = {c->tk, c->lk}, ns[2] = {c->tn, c->ln};
    int64_t mc[2] = {c->nb_m - 1, 1}, kc[2] = {c->nb_k - 1, 1}, nc[2] = {c->nb_n - 1, 1};
    int64_t sum = 0;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            for (int l = 0; l < 2; l++) {
                int64_t count = mc[i] * kc[j] * nc[l];
                if (count)
                    sum += count * block_compute(u, ms[i], ks[j], ns[l]);
            }
    return sum * u->g;
}

/* Candidate block sizes along one dimension: unit times powers of step below the
 * dimension, and the dimension itself (section 4.2). The set does not depend on the memory
 * sizes, so a larger scratchpad only adds candidates. */
static int sizes(int64_t dim, int64_t unit, int64_t step, int64_t *out)
{
    int n = 0;
    out[n++] = dim;
    for (int64_t s = unit; s < dim && n < 40; s *= step)
        out[n++] = s;
    return n;
}

/* Best tiling for one array; returns 0 when none fits. Exhaustive over the candidate set;
 * a candidate is skipped only when a lower bound on its cycles (compute alone, or its bytes
 * at full bandwidth) already reaches the best found, which cannot lose the optimum. */
static int search_tiling(const unit_ctx *u, cand *best, int64_t *best_cycles)
{
    int64_t tms[42], tks[42], tns[42];
    int n_tm = sizes(u->m, 8, 4, tms);
    if (u->m > 1)
        tms[n_tm++] = 1; /* the smallest block, for the smallest scratchpads */
    int n_tk = sizes(u->k, u->R, 2, tks);
    int n_tn = sizes(u->n, u->C, 2, tns);
    int found = 0;
    int64_t best_bytes = 0;
    for (int dbl = 1; dbl >= 0; dbl--)
        for (int o = 0; o < 2; o++)
            for (int a = 0; a < n_tk; a++)
                for (int b = 0; b < n_tn; b++)
                    for (int t = 0; t < n_tm; t++) {
                        cand c;
                        if (!make_cand(u, tms[t], tks[a], tns[b], (fast_order)o, dbl, &c))
                            continue;
                        int64_t ib, wb, ob;
                        cand_bytes(u, &c, &ib, &wb, &ob);
                        int64_t bytes = ib + wb + ob;
                        if (found) {
                            double on = (double)((u->in_on_chip ? ib : 0) +
                                                 (u->w_on_chip ? wb : 0) +
                                                 (u->out_on_chip ? ob : 0));
                            double lb_dma = (double)(bytes - (int64_t)on) / u->dram_bpc +
                                            on * 256.0 / (double)u->gbw256;
                            int64_t lb = cand_compute(u, &c);
                            if ((double)lb < lb_dma)
                                lb = (int64_t)lb_dma;
                            if (lb > *best_cycles || (lb == *best_cycles && bytes >= best_bytes))
                                continue;
                        }
                        int64_t cyc = cand_cycles(u, &c);
                        if (!found || cyc < *best_cycles ||
                            (cyc == *best_cycles && bytes < best_bytes)) {
                            *best = c;
                            *best_cycles = cyc;
                            best_bytes = bytes;
                            found = 1;
                        }
                    }
    return found;
}

int fast_model_gemm(const fast_arch *a, const fast_gemm *op, fast_op_cost *cost)
{
    int64_t g = op->g, m = op->m, k = op->k, n = op->n;
    int in_on_chip = op->in_on_chip, out_on_chip = op->out_on_chip;
    int weights_are_activations = op->weights_are_activations;
    int64_t arrays = a->array.count, U = a->cores * arrays;
    int64_t R = a->array.rows, C = a->array.cols;
    double chip_bpc = fast_arch_dram_bytes_per_cycle(a);
    int found = 0;
    int64_t best_cycles = 0;
    for (int s = 0; s < 3; s++) {
        unit_ctx u = {.R = R, .C = C, .eb = fast_arch_elem_bytes(a), .ob = op->out_bytes,
                      .vw = imin(a->vector.lanes, C), .passes = op->vector_passes,
                      .os = a->array.dataflow == FAST_DATAFLOW_OS, .g = g, .m = m, .k = k,
                      .n = n};
        int64_t used;
        if (s == FAST_SPLIT_N) {
            used = imin(U, cdiv(n, C));
            u.n = imin(n, cdiv(cdiv(n, C), used) * C);
            used = cdiv(n, u.n);
        } else if (s == FAST_SPLIT_M) {
            used = imin(U, m);
            u.m = cdiv(m, used);
            used = cdiv(m, u.m);
        } else {
            if (g < 2)
                continue;
            used = imin(U, g);
            u.g = cdiv(g, used);
            used = cdiv(g, u.g);
        }
        if (s != FAST_SPLIT_N && U == 1)
            continue; /* one array: every split is the same */
        u.in_cap = a->memory.input_kib * 1024 / arrays;
        u.w_cap = a->memory.weight_kib * 1024 / arrays;
        u.acc_rows = a->memory.acc_kib * 1024 / arrays / (C * fast_arch_acc_bytes(a));
        u.dram_bpc = chip_bpc / (double)used;
        u.bw256 = fast_arch_dma_bw256(a, used);
        u.beat = fast_arch_beat_bytes(a);
        u.sharers = used;
        u.wo = op->conv_wo;
        u.cg = op->conv_cg;
        u.gbw256 = fast_arch_global_bw256(a, used);
        u.dram_lat = fast_arch_dram_latency(a);
        u.rowq = fast_arch_dma_rowq(a);
        u.in_on_chip = in_on_chip;
        u.w_on_chip = weights_are_activations && in_on_chip;
        u.out_on_chip = out_on_chip;
        cand c;
        int64_t cyc = 0;
        if (!search_tiling(&u, &c, &cyc))
            continue;
        if (found && cyc >= best_cycles)
            continue;
        found = 1;
        best_cycles = cyc;
        int64_t ib, wb, ob;
        cand_bytes(&u, &c, &ib, &wb, &ob);
        memset(cost, 0, sizeof *cost);
        cost->unit = FAST_UNIT_ARRAY;
        cost->cycles = cyc;
        cost->compute_cycles = cand_compute(&u, &c);
        cost->bound = cost->compute_cycles * 10 >= cyc * 9 ? FAST_BOUND_COMPUTE
                                                           : FAST_BOUND_MEMORY;
        int64_t dram = (in_on_chip ? 0 : ib) + (u.w_on_chip ? 0 : wb) + (out_on_chip ? 0 : ob);
        int64_t glob = (in_on_chip ? ib : 0) + (u.w_on_chip ? wb : 0) + (out_on_chip ? ob : 0);
        cost->dram_bytes = dram * used;
        cost->global_bytes = glob * used;
        /* Scratchpads: DMA writes and reads, plus the array's own reads of inputs and
         * weights and read-modify-writes of 4-byte partial sums, per R x C tile. */
        int64_t eb = u.eb;
        int64_t tiles_kn = cdiv(u.k, R) * cdiv(u.n, C);
        int64_t array_side = u.g * tiles_kn * (u.m * R * eb + c.nb_m * R * C * eb + 8 * u.m * C);
        cost->sram_bytes = (ib + wb + ob + array_side) * used;
        cost->macs = g * m * k * n;
        cost->fused_into = -1;
        cost->tiling = (fast_tiling){.g = u.g, .m = u.m, .k = u.k, .n = u.n, .tm = c.tm,
                                     .tk = c.tk, .tn = c.tn, .order = c.order,
                                     .double_buffered = c.dbl, .split = (fast_split)s,
                                     .units = used, .blocks = u.g * c.nb_m * c.nb_n * c.nb_k};
    }
    if (!found)
        return -1;
    /* Energy of the chosen split only (the constants involve pow, kept off the search). */
    fast_energy e = fast_energy_of(a);
    cost->energy_pj = (double)cost->macs * e.mac_pj +
                      (double)cost->sram_bytes * e.spad_byte_pj +
                      (double)cost->global_bytes * e.global_byte_pj +
                      (double)cost->dram_bytes * e.dram_byte_pj;
    return 0;
}
