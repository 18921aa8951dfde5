/* The instruction set's tables, encoding and checks (docs/isa.md sections 2 and 3). */
#include "core/isa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIND "isa"

/* The layouts: bit positions are the running sum of the widths in docs/isa.md order. */
static const fast_isa_slot lay_load[] = {
    {FAST_F_POP_PREV, 4, 1, 0},
    {FAST_F_POP_NEXT, 5, 1, 0},
    {FAST_F_PUSH_PREV, 6, 1, 0},
    {FAST_F_PUSH_NEXT, 7, 1, 0},
    {FAST_F_ARRAY, 8, 10, 0},
    {FAST_F_MEM, 18, 2, 0},
    {FAST_F_CONT, 20, 1, 0},
    {FAST_F_DRAM, 21, 32, 0},
    {FAST_F_SPAD, 53, 32, 0},
    {FAST_F_X, 85, 16, 0},
    {FAST_F_Y, 101, 16, 0},
    {FAST_F_Z, 117, 16, 0},
    {FAST_F_Y_DSTRIDE, 133, 24, 0},
    {FAST_F_Y_SSTRIDE, 157, 24, 0},
    {FAST_F_Z_DSTRIDE, 181, 32, 0},
    {FAST_F_PAD_Y0, 213, 8, 0},
    {FAST_F_PAD_Y1, 221, 8, 0},
    {FAST_F_PAD_Z0, 229, 8, 0},
    {FAST_F_PAD_Z1, 237, 8, 0},
};  /* 245 bits used */
static const fast_isa_slot lay_store[] = {
    {FAST_F_POP_PREV, 4, 1, 0},
    {FAST_F_POP_NEXT, 5, 1, 0},
    {FAST_F_PUSH_PREV, 6, 1, 0},
    {FAST_F_PUSH_NEXT, 7, 1, 0},
    {FAST_F_ARRAY, 8, 10, 0},
    {FAST_F_MEM, 18, 2, 0},
    {FAST_F_CONT, 20, 1, 0},
    {FAST_F_FMT, 21, 2, 0},
    {FAST_F_DRAM, 23, 32, 0},
    {FAST_F_SPAD, 55, 32, 0},
    {FAST_F_X, 87, 16, 0},
    {FAST_F_Y, 103, 16, 0},
    {FAST_F_Y_DSTRIDE, 119, 24, 0},
    {FAST_F_Y_SSTRIDE, 143, 24, 0},
};  /* 167 bits used */
static const fast_isa_slot lay_matmul[] = {
    {FAST_F_POP_PREV, 4, 1, 0},
    {FAST_F_POP_NEXT, 5, 1, 0},
    {FAST_F_PUSH_PREV, 6, 1, 0},
    {FAST_F_PUSH_NEXT, 7, 1, 0},
    {FAST_F_ARRAY, 8, 10, 0},
    {FAST_F_ACCUMULATE, 18, 1, 0},
    {FAST_F_INP, 19, 32, 0},
    {FAST_F_INP_STRIDE, 51, 24, 0},
    {FAST_F_WGT, 75, 32, 0},
    {FAST_F_WGT_STRIDE, 107, 24, 0},
    {FAST_F_ACC, 131, 32, 0},
    {FAST_F_ACC_STRIDE, 163, 24, 0},
    {FAST_F_M, 187, 16, 0},
    {FAST_F_K, 203, 16, 0},
    {FAST_F_N, 219, 11, 0},
};  /* 230 bits used */
static const fast_isa_slot lay_vector[] = {
    {FAST_F_POP_PREV, 4, 1, 0},
    {FAST_F_POP_NEXT, 5, 1, 0},
    {FAST_F_PUSH_PREV, 6, 1, 0},
    {FAST_F_PUSH_NEXT, 7, 1, 0},
    {FAST_F_ARRAY, 8, 10, 0},
    {FAST_F_VOP, 18, 5, 0},
    {FAST_F_BSRC, 23, 1, 0},
    {FAST_F_ACC, 24, 32, 0},
    {FAST_F_ACC_STRIDE, 56, 24, 0},
    {FAST_F_ROWS, 80, 16, 0},
    {FAST_F_COLS, 96, 16, 0},
    {FAST_F_B, 112, 32, 0},
    {FAST_F_C, 144, 32, 0},
    {FAST_F_SHIFT, 176, 6, 0},
    {FAST_F_ZP, 182, 16, 1},
    {FAST_F_LO, 198, 16, 1},
    {FAST_F_HI, 214, 16, 1},
};  /* 230 bits used */
static const fast_isa_slot lay_sync[] = {
    {FAST_F_POP_PREV, 4, 1, 0},
    {FAST_F_POP_NEXT, 5, 1, 0},
    {FAST_F_PUSH_PREV, 6, 1, 0},
    {FAST_F_PUSH_NEXT, 7, 1, 0},
    {FAST_F_ARRAY, 8, 10, 0},
    {FAST_F_QUEUE, 18, 2, 0},
};  /* 20 bits used */
static const fast_isa_slot lay_end[] = {
    {FAST_F_POP_PREV, 4, 1, 0},
    {FAST_F_POP_NEXT, 5, 1, 0},
    {FAST_F_PUSH_PREV, 6, 1, 0},
    {FAST_F_PUSH_NEXT, 7, 1, 0},
    {FAST_F_ARRAY, 8, 10, 0},
};  /* 18 bits used */

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

const fast_isa_slot *fast_isa_layout(int op, int *n)
{
    switch (op) {
    case FAST_ISA_LOAD: *n = N_OF(lay_load); return lay_load;
    case FAST_ISA_STORE: *n = N_OF(lay_store); return lay_store;
    case FAST_ISA_MATMUL: *n = N_OF(lay_matmul); return lay_matmul;
    case FAST_ISA_VECTOR: *n = N_OF(lay_vector); return lay_vector;
    case FAST_ISA_SYNC: *n = N_OF(lay_sync); return lay_sync;
    case FAST_ISA_END: *n = N_OF(lay_end); return lay_end;
    default: *n = 0; return NULL;
    }
}

static const char *const op_names[] = {"load", "store", "matmul", "vector", "sync", "end"};
static const char *const field_names[FAST_F_COUNT] = {
    "pop_prev", "pop_next", "push_prev", "push_next", "array", "mem", "cont", "fmt",
    "dram", "spad", "x", "y", "z", "y_dstride", "y_sstride", "z_dstride", "pad_y0",
    "pad_y1", "pad_z0", "pad_z1", "accumulate", "inp", "inp_stride", "wgt", "wgt_stride",
    "acc", "acc_stride", "m", "k", "n", "vop", "bsrc", "rows", "cols", "b", "c", "shift",
    "zp", "lo", "hi", "queue"};
static const char *const queue_names[] = {"load", "compute", "store", "none"};
static const char *const mem_names[] = {"inp", "wgt", "acc"};
static const char *const fmt_names[] = {"word", "byte", "half"};

const char *fast_isa_op_name(int op)
{
    return op >= 0 && op < FAST_ISA_OP_COUNT ? op_names[op] : "?";
}

const char *fast_isa_field_name(int field)
{
    return field >= 0 && field < FAST_F_COUNT ? field_names[field] : "?";
}

const char *fast_isa_queue_name(int q) { return q >= 0 && q <= 3 ? queue_names[q] : "?"; }
const char *fast_isa_mem_name(int mem) { return mem >= 0 && mem <= 2 ? mem_names[mem] : "?"; }
const char *fast_isa_fmt_name(int fmt) { return fmt >= 0 && fmt <= 2 ? fmt_names[fmt] : "?"; }

fast_insn fast_isa_make(fast_isa_op op)
{
    fast_insn i;
    memset(&i, 0, sizeof i);
    i.op = op;
    return i;
}

fast_isa_queue fast_isa_queue_of(const fast_insn *i)
{
    switch (i->op) {
    case FAST_ISA_LOAD:
        return i->f[FAST_F_MEM] == FAST_MEM_ACC ? FAST_QUEUE_COMPUTE : FAST_QUEUE_LOAD;
    case FAST_ISA_STORE: return FAST_QUEUE_STORE;
    case FAST_ISA_MATMUL:
    case FAST_ISA_VECTOR: return FAST_QUEUE_COMPUTE;
    case FAST_ISA_SYNC:
        return i->f[FAST_F_QUEUE] >= 0 && i->f[FAST_F_QUEUE] <= 2
                   ? (fast_isa_queue)i->f[FAST_F_QUEUE] : FAST_QUEUE_NONE;
    default: return FAST_QUEUE_NONE;
    }
}

static void bad(fast_diag *d, const char *where, int field, int64_t v, const char *fmt,
                const char *extra)
{
    char val[32];
    snprintf(val, sizeof val, "%lld", (long long)v);
    fast_diag_add(d, FAST_EINPUT, where, KIND, fast_isa_field_name(field), val, fmt, extra);
}

/* 1 when the layout of op has field f. */
static int has_field(int op, int f)
{
    int n;
    const fast_isa_slot *s = fast_isa_layout(op, &n);
    for (int k = 0; k < n; k++)
        if ((int)s[k].field == f)
            return 1;
    return 0;
}

fast_status fast_isa_check(const fast_insn *i, const char *where, fast_diag *d)
{
    size_t before = fast_diag_errors(d);
    int n;
    const fast_isa_slot *s = fast_isa_layout(i->op, &n);
    if (!s) {
        char val[32];
        snprintf(val, sizeof val, "%d", (int)i->op);
        fast_diag_add(d, FAST_EINPUT, where, KIND, "op", val, "unknown opcode");
        return FAST_EINPUT;
    }
    for (int k = 0; k < n; k++) {
        int64_t v = i->f[s[k].field];
        int64_t lo = s[k].is_signed ? -((int64_t)1 << (s[k].width - 1)) : 0;
        int64_t hi = s[k].is_signed ? ((int64_t)1 << (s[k].width - 1)) - 1
                                    : ((int64_t)1 << s[k].width) - 1;
        if (v < lo || v > hi) {
            char msg[64];
            snprintf(msg, sizeof msg, "must be %lld..%lld", (long long)lo, (long long)hi);
            bad(d, where, s[k].field, v, "%s", msg);
        }
    }
    for (int f = 0; f < FAST_F_COUNT; f++)
        if (i->f[f] != 0 && !has_field(i->op, f))
            bad(d, where, f, i->f[f], "is not a field of %s", fast_isa_op_name(i->op));
    if (fast_diag_errors(d) > before)
        return FAST_EINPUT;
    const int64_t *f = i->f;
    switch (i->op) {
    case FAST_ISA_LOAD:
        if (f[FAST_F_MEM] > FAST_MEM_ACC)
            bad(d, where, FAST_F_MEM, f[FAST_F_MEM], "%s", "must be inp, wgt or acc");
        if (f[FAST_F_X] < 1 || f[FAST_F_Y] < 1 || f[FAST_F_Z] < 1)
            bad(d, where, f[FAST_F_X] < 1 ? FAST_F_X : f[FAST_F_Y] < 1 ? FAST_F_Y : FAST_F_Z,
                0, "%s", "must be at least 1");
        if (f[FAST_F_PAD_Y0] + f[FAST_F_PAD_Y1] > f[FAST_F_Y])
            bad(d, where, FAST_F_PAD_Y0, f[FAST_F_PAD_Y0], "%s", "pad_y0 + pad_y1 exceeds y");
        if (f[FAST_F_PAD_Z0] + f[FAST_F_PAD_Z1] > f[FAST_F_Z])
            bad(d, where, FAST_F_PAD_Z0, f[FAST_F_PAD_Z0], "%s", "pad_z0 + pad_z1 exceeds z");
        break;
    case FAST_ISA_STORE:
        if (f[FAST_F_MEM] > FAST_MEM_ACC)
            bad(d, where, FAST_F_MEM, f[FAST_F_MEM], "%s", "must be inp, wgt or acc");
        if (f[FAST_F_FMT] > FAST_FMT_HALF)
            bad(d, where, FAST_F_FMT, f[FAST_F_FMT], "%s", "must be word, byte or half");
        if (f[FAST_F_MEM] != FAST_MEM_ACC && f[FAST_F_FMT] == FAST_FMT_WORD)
            bad(d, where, FAST_F_FMT, f[FAST_F_FMT], "%s",
                "word stores read the accumulator only");
        if (f[FAST_F_X] < 1 || f[FAST_F_Y] < 1)
            bad(d, where, f[FAST_F_X] < 1 ? FAST_F_X : FAST_F_Y, 0, "%s", "must be at least 1");
        break;
    case FAST_ISA_MATMUL:
        if (f[FAST_F_M] < 1 || f[FAST_F_K] < 1 || f[FAST_F_N] < 1)
            bad(d, where, f[FAST_F_M] < 1 ? FAST_F_M : f[FAST_F_K] < 1 ? FAST_F_K : FAST_F_N,
                0, "%s", "must be at least 1");
        break;
    case FAST_ISA_VECTOR:
        if (f[FAST_F_ROWS] < 1 || f[FAST_F_COLS] < 1)
            bad(d, where, f[FAST_F_ROWS] < 1 ? FAST_F_ROWS : FAST_F_COLS, 0, "%s",
                "must be at least 1");
        if (f[FAST_F_SHIFT] > 63)
            bad(d, where, FAST_F_SHIFT, f[FAST_F_SHIFT], "%s", "must be 0..63");
        break;
    case FAST_ISA_SYNC:
        if (f[FAST_F_QUEUE] > FAST_QUEUE_STORE)
            bad(d, where, FAST_F_QUEUE, f[FAST_F_QUEUE], "%s", "must be load, compute or store");
        break;
    default: break;
    }
    if (fast_diag_errors(d) > before)
        return FAST_EINPUT;
    /* Token flags name neighbouring queues: load -> compute -> store. */
    fast_isa_queue q = fast_isa_queue_of(i);
    static const int flag[4] = {FAST_F_POP_PREV, FAST_F_POP_NEXT, FAST_F_PUSH_PREV,
                                FAST_F_PUSH_NEXT};
    for (int k = 0; k < 4; k++) {
        int prev = flag[k] == FAST_F_POP_PREV || flag[k] == FAST_F_PUSH_PREV;
        if (!f[flag[k]])
            continue;
        if (q == FAST_QUEUE_NONE)
            bad(d, where, flag[k], 1, "%s", "end belongs to no queue and moves no tokens");
        else if (prev && q == FAST_QUEUE_LOAD)
            bad(d, where, flag[k], 1, "%s", "the load queue has no previous queue");
        else if (!prev && q == FAST_QUEUE_STORE)
            bad(d, where, flag[k], 1, "%s", "the store queue has no next queue");
    }
    if (i->op == FAST_ISA_END && f[FAST_F_ARRAY])
        bad(d, where, FAST_F_ARRAY, f[FAST_F_ARRAY], "%s", "end ends every array: must be 0");
    return fast_diag_errors(d) > before ? FAST_EINPUT : FAST_OK;
}

void fast_isa_encode(const fast_insn *i, uint8_t out[FAST_ISA_BYTES])
{
    uint64_t w[FAST_ISA_WORDS] = {0};
    int n;
    const fast_isa_slot *s = fast_isa_layout(i->op, &n);
    w[0] = (uint64_t)i->op & 0xF;
    for (int k = 0; k < n; k++) {
        uint64_t v = (uint64_t)i->f[s[k].field];
        for (int b = 0; b < s[k].width; b++)
            if ((v >> b) & 1) {
                int bit = s[k].lsb + b;
                w[bit / 64] |= UINT64_C(1) << (bit % 64);
            }
    }
    for (int k = 0; k < FAST_ISA_BYTES; k++)
        out[k] = (uint8_t)(w[k / 8] >> (8 * (k % 8)));
}

fast_status fast_isa_decode(const uint8_t in[FAST_ISA_BYTES], fast_insn *i, const char *where,
                            fast_diag *d)
{
    uint64_t w[FAST_ISA_WORDS] = {0};
    for (int k = 0; k < FAST_ISA_BYTES; k++)
        w[k / 8] |= (uint64_t)in[k] << (8 * (k % 8));
    int op = (int)(w[0] & 0xF), n;
    const fast_isa_slot *s = fast_isa_layout(op, &n);
    if (!s) {
        char val[8];
        snprintf(val, sizeof val, "%d", op);
        fast_diag_add(d, FAST_EINPUT, where, KIND, "op", val, "unknown opcode");
        return FAST_EINPUT;
    }
    *i = fast_isa_make((fast_isa_op)op);
    uint64_t used[FAST_ISA_WORDS] = {0xF, 0, 0, 0};
    for (int k = 0; k < n; k++) {
        uint64_t v = 0;
        for (int b = 0; b < s[k].width; b++) {
            int bit = s[k].lsb + b;
            used[bit / 64] |= UINT64_C(1) << (bit % 64);
            v |= ((w[bit / 64] >> (bit % 64)) & 1) << b;
        }
        int64_t sv = (int64_t)v;
        if (s[k].is_signed && (v >> (s[k].width - 1)) & 1)
            sv = (int64_t)v - ((int64_t)1 << s[k].width);
        i->f[s[k].field] = sv;
    }
    for (int k = 0; k < FAST_ISA_WORDS; k++)
        if (w[k] & ~used[k]) {
            int bit = 64 * k + __builtin_ctzll(w[k] & ~used[k]);
            char val[8];
            snprintf(val, sizeof val, "%d", bit);
            fast_diag_add(d, FAST_EINPUT, where, KIND, "bit", val,
                          "set outside the fields of %s (reserved bits must be 0)",
                          fast_isa_op_name(op));
            return FAST_EINPUT;
        }
    return fast_isa_check(i, where, d);
}

fast_insn *fast_isa_decode_program(const uint8_t *bytes, size_t len, const char *file,
                                   size_t *n, fast_diag *d)
{
    if (len % FAST_ISA_BYTES) {
        char val[32];
        snprintf(val, sizeof val, "%zu", len);
        fast_diag_add(d, FAST_EINPUT, file, KIND, "size", val,
                      "not a multiple of %d bytes (one instruction)", FAST_ISA_BYTES);
        return NULL;
    }
    size_t cnt = len / FAST_ISA_BYTES;
    fast_insn *v = calloc(cnt ? cnt : 1, sizeof *v);
    if (!v) {
        fast_diag_add(d, FAST_ETOOL, file, KIND, NULL, NULL, "out of memory");
        return NULL;
    }
    size_t errors = fast_diag_errors(d);
    for (size_t k = 0; k < cnt; k++) {
        size_t before = d->n;
        fast_isa_decode(bytes + k * FAST_ISA_BYTES, &v[k], NULL, d);
        /* Name the instruction in WHERE: "instruction K: field". */
        for (size_t e = before; e < d->n; e++) {
            char *w = d->v[e].where;
            char buf[96];
            snprintf(buf, sizeof buf, "instruction %zu: %s", k, w ? w : "");
            char *nw = malloc(strlen(buf) + 1);
            if (nw) {
                strcpy(nw, buf);
                free(w);
                d->v[e].where = nw;
            }
        }
        fast_diag_name_file(d, before, file);
    }
    if (fast_diag_errors(d) > errors) {
        free(v);
        return NULL;
    }
    *n = cnt;
    return v;
}

uint8_t *fast_isa_encode_program(const fast_insn *insns, size_t n)
{
    uint8_t *b = malloc(n ? n * FAST_ISA_BYTES : 1);
    if (!b)
        return NULL;
    for (size_t k = 0; k < n; k++)
        fast_isa_encode(&insns[k], b + k * FAST_ISA_BYTES);
    return b;
}
