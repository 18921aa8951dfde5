/* The reference machine: decoupled queues with tokens, functional execution. */
#include "sim/ref/machine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sim/ref/array.h"
#include "sim/ref/vector.h"

#define KIND "machine"

/* One array's state. Invariant: inp, wgt hold n_inp, n_wgt raw operand elements, acc n_acc
 * 32-bit words; tok[] are the tokens waiting in each direction. */
typedef struct unit {
    uint16_t *inp, *wgt;
    uint32_t *acc;
    int64_t n_inp, n_wgt, n_acc;
    int64_t tok[4]; /* TOK_L2C, TOK_C2L, TOK_C2S, TOK_S2C */
    size_t *q[3];   /* program indices per queue */
    size_t n_q[3], head[3];
} unit;

enum { TOK_L2C, TOK_C2L, TOK_C2S, TOK_S2C };

struct fast_machine {
    fast_arch arch;
    uint8_t *dram;
    size_t dram_bytes;
    uint8_t *glob;       /* the global memory image, NULL when none */
    size_t glob_bytes;
    int64_t n_units;
    unit *units;
};

fast_machine *fast_machine_create(const fast_arch *a, uint8_t *dram, size_t dram_bytes,
                                  fast_diag *d)
{
    fast_machine *m = calloc(1, sizeof *m);
    if (!m)
        goto oom;
    m->arch = *a;
    m->dram = dram;
    m->dram_bytes = dram_bytes;
    m->n_units = a->cores * a->array.count;
    m->units = calloc((size_t)m->n_units, sizeof *m->units);
    if (!m->units)
        goto oom;
    int64_t eb = fast_arch_elem_bytes(a), cnt = a->array.count;
    for (int64_t u = 0; u < m->n_units; u++) {
        unit *x = &m->units[u];
        x->n_inp = a->memory.input_kib * 1024 / cnt / eb;
        x->n_wgt = a->memory.weight_kib * 1024 / cnt / eb;
        x->n_acc = fast_arch_acc_rows(a) * fast_arch_acc_pitch(a);
        x->inp = calloc((size_t)x->n_inp, sizeof *x->inp);
        x->wgt = calloc((size_t)x->n_wgt, sizeof *x->wgt);
        x->acc = calloc((size_t)x->n_acc, sizeof *x->acc);
        if (!x->inp || !x->wgt || !x->acc)
            goto oom;
    }
    return m;
oom:
    fast_machine_destroy(m);
    fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
    return NULL;
}

void fast_machine_destroy(fast_machine *m)
{
    if (!m)
        return;
    for (int64_t u = 0; m->units && u < m->n_units; u++) {
        free(m->units[u].inp);
        free(m->units[u].wgt);
        free(m->units[u].acc);
        for (int q = 0; q < 3; q++)
            free(m->units[u].q[q]);
    }
    free(m->units);
    free(m);
}

/* Running state of one fast_machine_run. */
typedef struct run {
    fast_machine *m;
    const fast_insn *prog;
    fast_machine_stats st;
    fast_diag *d;
    int bf16;
    int rows; /* check the accumulator row rules (not in fast_machine_transfer) */
} run;

static void where_of(const fast_insn *prog, size_t k, char *buf, size_t n)
{
    snprintf(buf, n, "instruction %zu (%s)", k, fast_isa_op_name(prog[k].op));
}

/* Adds one error about instruction k (printf-style reason); returns -1. */
static int fail(run *r, size_t k, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(run *r, size_t k, const char *fmt, ...)
{
    char where[64];
    where_of(r->prog, k, where, sizeof where);
    va_list ap;
    va_start(ap, fmt);
    char *msg = fast_vformat(fmt, ap);
    va_end(ap);
    fast_diag_add(r->d, FAST_EINPUT, NULL, KIND, where, NULL, "%s", msg ? msg : "out of memory");
    free(msg);
    return -1;
}

/* Checks that [addr, addr + span) lies in a memory of size elements. */
static int in_range(run *r, size_t k, const char *mem, int64_t addr, int64_t span,
                    int64_t size)
{
    if (addr < 0 || span < 0 || addr + span > size)
        return fail(r, k, "%s elements %lld..%lld beyond its %lld", mem, (long long)addr,
                    (long long)(addr + span - 1), (long long)size);
    return 0;
}

/* The highest element index + 1 that rows x cols at addr with row stride reach. */
static int64_t span2(int64_t rows, int64_t cols, int64_t stride)
{
    return (rows - 1) * stride + cols;
}

static int64_t mem_size(const unit *u, int mem)
{
    return mem == FAST_MEM_INP ? u->n_inp : mem == FAST_MEM_WGT ? u->n_wgt : u->n_acc;
}

static uint32_t mem_get(const unit *u, int mem, int64_t i)
{
    return mem == FAST_MEM_INP ? u->inp[i] : mem == FAST_MEM_WGT ? u->wgt[i] : u->acc[i];
}

static void mem_set(unit *u, int mem, int64_t i, uint32_t v)
{
    if (mem == FAST_MEM_INP)
        u->inp[i] = (uint16_t)v;
    else if (mem == FAST_MEM_WGT)
        u->wgt[i] = (uint16_t)v;
    else
        u->acc[i] = v;
}

void fast_machine_set_global(fast_machine *m, uint8_t *glob, size_t glob_bytes)
{
    m->glob = glob;
    m->glob_bytes = glob ? glob_bytes : 0;
}

/* The len bytes at external address addr: DRAM below FAST_GLOBAL_BASE, the global memory
 * from it; NULL when they are not all inside that memory's image. */
static uint8_t *ext_at(const fast_machine *m, int64_t addr, int64_t len)
{
    if (addr >= FAST_GLOBAL_BASE) {
        int64_t o = addr - FAST_GLOBAL_BASE;
        return m->glob && o + len <= (int64_t)m->glob_bytes ? m->glob + o : NULL;
    }
    return addr >= 0 && addr + len <= (int64_t)m->dram_bytes ? m->dram + addr : NULL;
}

/* Why ext_at failed, for instruction k. */
static int ext_fail(run *r, size_t k, int64_t addr)
{
    if (addr >= FAST_GLOBAL_BASE)
        return fail(r, k, "global memory bytes %lld.. beyond its %lld-byte image",
                    (long long)(addr - FAST_GLOBAL_BASE), (long long)r->m->glob_bytes);
    return fail(r, k, "dram bytes %lld.. beyond the %lld-byte image", (long long)addr,
                (long long)r->m->dram_bytes);
}

static int exec_load(run *r, unit *u, size_t k)
{
    const int64_t *f = r->prog[k].f;
    int mem = (int)f[FAST_F_MEM];
    int64_t es = mem == FAST_MEM_ACC ? 4 : fast_arch_elem_bytes(&r->m->arch);
    int64_t X = f[FAST_F_X], Y = f[FAST_F_Y], Z = f[FAST_F_Z];
    int64_t rows = Y * Z;
    if (in_range(r, k, fast_isa_mem_name(mem), f[FAST_F_SPAD],
                 span2(rows, X, f[FAST_F_Y_SSTRIDE]), mem_size(u, mem)))
        return -1;
    for (int64_t z = 0; z < Z; z++)
        for (int64_t y = 0; y < Y; y++) {
            int pad = z < f[FAST_F_PAD_Z0] || z >= Z - f[FAST_F_PAD_Z1] ||
                      y < f[FAST_F_PAD_Y0] || y >= Y - f[FAST_F_PAD_Y1];
            int64_t dst = f[FAST_F_SPAD] + (z * Y + y) * f[FAST_F_Y_SSTRIDE];
            int64_t src = f[FAST_F_DRAM] +
                          ((z - f[FAST_F_PAD_Z0]) * f[FAST_F_Z_DSTRIDE] +
                           (y - f[FAST_F_PAD_Y0]) * f[FAST_F_Y_DSTRIDE]) * es;
            const uint8_t *p = pad ? NULL : ext_at(r->m, src, X * es);
            if (!pad && !p)
                return ext_fail(r, k, src);
            for (int64_t x = 0; x < X; x++) {
                uint32_t v = 0;
                if (!pad)
                    for (int64_t b = 0; b < es; b++)
                        v |= (uint32_t)p[x * es + b] << (8 * b);
                mem_set(u, mem, dst + x, v);
            }
            if (!pad)
                r->st.dram_read += X * es;
        }
    return 0;
}

/* The accumulator rows of the hardware (docs/isa.md 2.1): row r holds words r*P .. r*P+C-1
 * (P the row pitch, fast_arch_acc_pitch), and MATMUL, VECTOR and STORE from acc address
 * whole rows. Checks that field f of instruction k (value v) is a multiple of P; returns -1
 * after a diagnostic when not. */
static int row_aligned(run *r, size_t k, const char *field, int64_t v)
{
    int64_t P = fast_arch_acc_pitch(&r->m->arch);
    if (v % P != 0)
        return fail(r, k, "%s = %lld: must be a multiple of the accumulator row pitch %lld",
                    field, (long long)v, (long long)P);
    return 0;
}

/* Checks that a width field of instruction k fits one accumulator row. */
static int row_width(run *r, size_t k, const char *field, int64_t v)
{
    int64_t C = r->m->arch.array.cols;
    if (v > C)
        return fail(r, k, "%s = %lld exceeds the array's %lld columns", field, (long long)v,
                    (long long)C);
    return 0;
}

static int exec_store(run *r, unit *u, size_t k)
{
    const int64_t *f = r->prog[k].f;
    int mem = (int)f[FAST_F_MEM], fmt = (int)f[FAST_F_FMT];
    int64_t ob = fmt == FAST_FMT_WORD ? 4 : fmt == FAST_FMT_BYTE ? 1 : 2;
    int64_t X = f[FAST_F_X], Y = f[FAST_F_Y];
    if (mem == FAST_MEM_ACC && r->rows &&
        (row_aligned(r, k, "spad", f[FAST_F_SPAD]) ||
         row_aligned(r, k, "y_sstride", f[FAST_F_Y_SSTRIDE]) || row_width(r, k, "x", X)))
        return -1;
    if (in_range(r, k, fast_isa_mem_name(mem), f[FAST_F_SPAD],
                 span2(Y, X, f[FAST_F_Y_SSTRIDE]), mem_size(u, mem)))
        return -1;
    for (int64_t y = 0; y < Y; y++) {
        int64_t dst = f[FAST_F_DRAM] + y * f[FAST_F_Y_DSTRIDE] * ob;
        uint8_t *p = ext_at(r->m, dst, X * ob);
        if (!p)
            return ext_fail(r, k, dst);
        for (int64_t x = 0; x < X; x++) {
            uint32_t v = mem_get(u, mem, f[FAST_F_SPAD] + y * f[FAST_F_Y_SSTRIDE] + x);
            if (fmt == FAST_FMT_HALF && mem == FAST_MEM_ACC)
                v >>= 16;
            for (int64_t b = 0; b < ob; b++)
                p[x * ob + b] = (uint8_t)(v >> (8 * b));
        }
        r->st.dram_written += X * ob;
    }
    return 0;
}

/* MATMUL as the array computes it: whole accumulator rows, the columns j >= n with zero
 * weights; weight-stationary sums over all R array rows (rows q >= k with zero activations
 * and weights), output-stationary writes R rows (rows i >= m with zero activations). */
static int exec_matmul(run *r, unit *u, size_t k)
{
    const int64_t *f = r->prog[k].f;
    const fast_arch *a = &r->m->arch;
    int64_t M = f[FAST_F_M], K = f[FAST_F_K], N = f[FAST_F_N];
    int64_t R = a->array.rows, C = a->array.cols;
    int os = a->array.dataflow == FAST_DATAFLOW_OS;
    if (N > C)
        return fail(r, k, "n = %lld exceeds the array's %lld columns", (long long)N,
                    (long long)C);
    if (!os && K > R)
        return fail(r, k, "k = %lld exceeds the array's %lld rows (weight-stationary)",
                    (long long)K, (long long)R);
    if (os && M > R)
        return fail(r, k, "m = %lld exceeds the array's %lld rows (output-stationary)",
                    (long long)M, (long long)R);
    if (row_aligned(r, k, "acc", f[FAST_F_ACC]) ||
        row_aligned(r, k, "acc_stride", f[FAST_F_ACC_STRIDE]))
        return -1;
    int64_t P = fast_arch_acc_pitch(a);
    if (os && f[FAST_F_ACC_STRIDE] != P)
        return fail(r, k, "acc_stride = %lld: must equal the accumulator row pitch %lld "
                    "(output-stationary)", (long long)f[FAST_F_ACC_STRIDE], (long long)P);
    int64_t rows = os ? R : M;  /* accumulator rows written */
    int64_t steps = os ? K : R; /* products per sum */
    if (in_range(r, k, "inp", f[FAST_F_INP], span2(M, K, f[FAST_F_INP_STRIDE]), u->n_inp) ||
        in_range(r, k, "wgt", f[FAST_F_WGT], span2(K, N, f[FAST_F_WGT_STRIDE]), u->n_wgt) ||
        in_range(r, k, "acc", f[FAST_F_ACC], span2(rows, C, f[FAST_F_ACC_STRIDE]), u->n_acc))
        return -1;
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < C; j++) {
            uint32_t s = 0;
            for (int64_t q = 0; q < steps; q++) {
                uint16_t x = 0, w = 0;
                if (i < M && q < K)
                    x = u->inp[f[FAST_F_INP] + i * f[FAST_F_INP_STRIDE] + q];
                if (j < N && q < K)
                    w = u->wgt[f[FAST_F_WGT] + q * f[FAST_F_WGT_STRIDE] + j];
                s = fast_ref_mac(r->bf16, s, x, w);
            }
            uint32_t *dst = &u->acc[f[FAST_F_ACC] + i * f[FAST_F_ACC_STRIDE] + j];
            *dst = f[FAST_F_ACCUMULATE] ? fast_ref_acc_add(r->bf16, *dst, s) : s;
        }
    r->st.macs += M * K * N;
    return 0;
}

static int exec_vector(run *r, unit *u, size_t k)
{
    const int64_t *f = r->prog[k].f;
    int64_t rows = f[FAST_F_ROWS], cols = f[FAST_F_COLS];
    if (row_aligned(r, k, "acc", f[FAST_F_ACC]) ||
        row_aligned(r, k, "acc_stride", f[FAST_F_ACC_STRIDE]) || row_width(r, k, "cols", cols))
        return -1;
    if (in_range(r, k, "acc", f[FAST_F_ACC], span2(rows, cols, f[FAST_F_ACC_STRIDE]),
                 u->n_acc))
        return -1;
    if (f[FAST_F_BSRC] && in_range(r, k, "acc", f[FAST_F_B], cols, u->n_acc))
        return -1;
    fast_vector_scalars s = {.zp = (int32_t)f[FAST_F_ZP], .shift = (int)f[FAST_F_SHIFT],
                             .lo = (int32_t)f[FAST_F_LO], .hi = (int32_t)f[FAST_F_HI]};
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) {
            uint32_t *x = &u->acc[f[FAST_F_ACC] + i * f[FAST_F_ACC_STRIDE] + j];
            uint32_t b = f[FAST_F_BSRC] ? u->acc[f[FAST_F_B] + j] : (uint32_t)f[FAST_F_B];
            uint32_t c = (uint32_t)f[FAST_F_C];
            *x = r->bf16 ? fast_ref_vector_fp((int)f[FAST_F_VOP], *x, b, c)
                         : fast_ref_vector_int((int)f[FAST_F_VOP], *x, b, c, &s);
        }
    return 0;
}

fast_status fast_machine_transfer(const fast_machine_mems *mm, const fast_insn *i,
                                  fast_diag *d)
{
    /* A one-array machine borrowing the caller's memories, so that the transfer runs the
     * very copy loops of exec_load and exec_store. */
    fast_machine fm = {.dram = mm->dram, .dram_bytes = mm->dram_bytes, .n_units = 1};
    fm.arch.array.dtype = mm->elem_bytes == 2 ? FAST_DTYPE_BF16 : FAST_DTYPE_INT8;
    unit u = {.inp = mm->inp, .wgt = mm->wgt, .acc = mm->acc,
              .n_inp = mm->n_inp, .n_wgt = mm->n_wgt, .n_acc = mm->n_acc};
    run r = {.m = &fm, .prog = i, .d = d, .bf16 = fm.arch.array.dtype == FAST_DTYPE_BF16};
    int rc;
    if (i->op == FAST_ISA_LOAD)
        rc = exec_load(&r, &u, 0);
    else if (i->op == FAST_ISA_STORE)
        rc = exec_store(&r, &u, 0);
    else
        rc = fail(&r, 0, "%s: not a load or store", fast_isa_op_name(i->op));
    return rc < 0 ? FAST_EINPUT : FAST_OK;
}

/* The token counter a flag of queue q reads or writes. */
static int tok_of(int q, int field)
{
    int prev = field == FAST_F_POP_PREV || field == FAST_F_PUSH_PREV;
    int pop = field == FAST_F_POP_PREV || field == FAST_F_POP_NEXT;
    if (q == FAST_QUEUE_LOAD)
        return pop ? TOK_C2L : TOK_L2C;
    if (q == FAST_QUEUE_STORE)
        return pop ? TOK_C2S : TOK_S2C;
    if (prev)
        return pop ? TOK_L2C : TOK_C2L;
    return pop ? TOK_S2C : TOK_C2S;
}

static const char *const tok_names[4] = {"load to compute", "compute to load",
                                         "compute to store", "store to compute"};

/* Runs the head of queue q of unit u if its tokens are there: 1 ran, 0 blocked, -1 error. */
static int step(run *r, unit *u, int q)
{
    size_t k = u->q[q][u->head[q]];
    const fast_insn *i = &r->prog[k];
    int pops[2] = {FAST_F_POP_PREV, FAST_F_POP_NEXT};
    for (int p = 0; p < 2; p++)
        if (i->f[pops[p]] && u->tok[tok_of(q, pops[p])] == 0)
            return 0;
    for (int p = 0; p < 2; p++)
        if (i->f[pops[p]])
            u->tok[tok_of(q, pops[p])]--;
    int rc = 0;
    switch (i->op) {
    case FAST_ISA_LOAD: rc = exec_load(r, u, k); break;
    case FAST_ISA_STORE: rc = exec_store(r, u, k); break;
    case FAST_ISA_MATMUL: rc = exec_matmul(r, u, k); break;
    case FAST_ISA_VECTOR: rc = exec_vector(r, u, k); break;
    default: break;
    }
    if (rc < 0)
        return -1;
    if (i->f[FAST_F_PUSH_PREV])
        u->tok[tok_of(q, FAST_F_PUSH_PREV)]++;
    if (i->f[FAST_F_PUSH_NEXT])
        u->tok[tok_of(q, FAST_F_PUSH_NEXT)]++;
    r->st.executed++;
    r->st.by_op[i->op]++;
    u->head[q]++;
    return 1;
}

fast_status fast_machine_run(fast_machine *m, const fast_insn *prog, size_t n,
                             fast_machine_stats *stats, fast_diag *d)
{
    run r = {.m = m, .prog = prog, .d = d, .bf16 = m->arch.array.dtype == FAST_DTYPE_BF16,
             .rows = 1};
    size_t before = fast_diag_errors(d);
    char where[64];
    for (size_t k = 0; k < n; k++) {
        where_of(prog, k, where, sizeof where);
        size_t e0 = d->n;
        if (fast_isa_check(&prog[k], NULL, d) != FAST_OK) {
            /* fast_isa_check names fields; say which instruction. */
            for (size_t e = e0; e < d->n; e++) {
                char *w = fast_format("%s: %s", where, d->v[e].where);
                if (w) {
                    free(d->v[e].where);
                    d->v[e].where = w;
                }
                free(d->v[e].kind);
                d->v[e].kind = fast_strdup(KIND);
            }
            continue;
        }
        if (prog[k].f[FAST_F_ARRAY] >= m->n_units)
            fail(&r, k, "array %lld: the chip has %lld arrays",
                 (long long)prog[k].f[FAST_F_ARRAY], (long long)m->n_units);
        if (prog[k].op == FAST_ISA_END && k + 1 != n)
            fail(&r, k, "end is not the last instruction (%lld follow)", (long long)(n - k - 1));
    }
    if (fast_diag_errors(d) == before && (n == 0 || prog[n - 1].op != FAST_ISA_END))
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, "instruction", NULL,
                      "%zu instructions and no end: a program must finish with end", n);
    if (fast_diag_errors(d) > before)
        return FAST_EINPUT;
    /* Dispatch: each instruction to its array's queue, in program order. */
    for (int64_t a = 0; a < m->n_units; a++) {
        unit *u = &m->units[a];
        memset(u->tok, 0, sizeof u->tok);
        for (int q = 0; q < 3; q++) {
            free(u->q[q]);
            u->q[q] = malloc((n ? n : 1) * sizeof(size_t));
            u->n_q[q] = u->head[q] = 0;
            if (!u->q[q]) {
                fast_diag_add(d, FAST_ETOOL, NULL, KIND, NULL, NULL, "out of memory");
                return FAST_ETOOL;
            }
        }
    }
    for (size_t k = 0; k + 1 < n; k++) {
        unit *u = &m->units[prog[k].f[FAST_F_ARRAY]];
        int q = fast_isa_queue_of(&prog[k]);
        u->q[q][u->n_q[q]++] = k;
    }
    /* Run every queue as far as it can, the load queue first, until all are empty or none
     * can move. Running producers ahead exposes missing tokens as wrong results. */
    for (;;) {
        int moved = 0, left = 0;
        for (int64_t a = 0; a < m->n_units; a++)
            for (int q = 0; q < 3; q++) {
                unit *u = &m->units[a];
                while (u->head[q] < u->n_q[q]) {
                    int rc = step(&r, u, q);
                    if (rc < 0)
                        return FAST_EINPUT;
                    if (rc == 0)
                        break;
                    moved = 1;
                }
                left |= u->head[q] < u->n_q[q];
            }
        if (!left)
            break;
        if (!moved) {
            size_t first = n;
            int fq = 0;
            unit *fu = NULL;
            for (int64_t a = 0; a < m->n_units; a++)
                for (int q = 0; q < 3; q++) {
                    unit *u = &m->units[a];
                    if (u->head[q] < u->n_q[q] && u->q[q][u->head[q]] < first) {
                        first = u->q[q][u->head[q]];
                        fq = q;
                        fu = u;
                    }
                }
            const fast_insn *i = &prog[first];
            int want = i->f[FAST_F_POP_PREV] && fu->tok[tok_of(fq, FAST_F_POP_PREV)] == 0
                           ? tok_of(fq, FAST_F_POP_PREV) : tok_of(fq, FAST_F_POP_NEXT);
            fail(&r, first,
                 "%s queue of array %lld: deadlock: waits for a %s token that no instruction "
                 "left will push",
                 fast_isa_queue_name(fq), (long long)i->f[FAST_F_ARRAY], tok_names[want]);
            return FAST_EINPUT;
        }
    }
    r.st.executed++; /* END */
    r.st.by_op[FAST_ISA_END]++;
    for (int64_t a = 0; a < m->n_units; a++)
        for (int t = 0; t < 4; t++)
            if (m->units[a].tok[t]) {
                fail(&r, n - 1, "array %lld: %lld %s tokens left at the end", (long long)a,
                     (long long)m->units[a].tok[t], tok_names[t]);
                return FAST_EINPUT;
            }
    if (stats)
        *stats = r.st;
    return FAST_OK;
}
