/* The layer compiler and the reference machine: layers compiled with the model's tiling
 * (and other tilings) run on the machine bit-exact against the direct layer reference;
 * token deadlocks, missing END and bad addresses are reported, not hung. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arch.h"
#include "gen/asm.h"
#include "gen/compile.h"
#include "sim/ref/layer.h"
#include "sim/ref/machine.h"

/* A configuration built in code: R x C arrays, `count` per core, small scratchpads so
 * that layers need several blocks. */
static fast_arch config(const char *name, int64_t r, int64_t c, int64_t count, int64_t cores,
                        int64_t kib, fast_dataflow df)
{
    fast_arch a;
    fast_arch_default(&a);
    snprintf(a.name, sizeof a.name, "%s", name);
    a.array.rows = r;
    a.array.cols = c;
    a.array.count = count;
    a.array.dataflow = df;
    a.cores = cores;
    a.vector.lanes = c;
    a.memory.input_kib = kib;
    a.memory.weight_kib = kib;
    a.memory.acc_kib = 2 * kib;
    fast_diag *d = fast_diag_create();
    assert_int_equal(fast_arch_validate(&a, NULL, d), FAST_OK);
    fast_diag_destroy(d);
    return a;
}

static fast_arch configs[5];
static const int n_configs = 5;

static void make_configs(void)
{
    configs[0] = config("a4x4", 4, 4, 1, 1, 1, FAST_DATAFLOW_WS);
    configs[1] = config("a8x8", 8, 8, 1, 1, 4, FAST_DATAFLOW_WS);
    configs[2] = config("a16x16x2", 16, 16, 2, 1, 16, FAST_DATAFLOW_WS);
    configs[3] = config("a8x32c2", 8, 32, 1, 2, 8, FAST_DATAFLOW_WS);
    configs[4] = config("a8x8os", 8, 8, 1, 1, 4, FAST_DATAFLOW_OS);
}

static fast_layer gemm(int64_t m, int64_t k, int64_t n)
{
    fast_layer l;
    memset(&l, 0, sizeof l);
    l.kind = FAST_LAYER_GEMM;
    l.m = m, l.k = k, l.n = n;
    return l;
}

static fast_layer conv(int64_t h, int64_t w, int64_t cin, int64_t cout, int64_t kk,
                       int64_t stride, int64_t pad, int64_t groups)
{
    fast_layer l;
    memset(&l, 0, sizeof l);
    l.kind = FAST_LAYER_CONV;
    l.batch = 1, l.h = h, l.w = w, l.cin = cin, l.cout = cout, l.kh = kk, l.kw = kk;
    l.stride = stride, l.groups = groups;
    l.pad_top = l.pad_bottom = l.pad_left = l.pad_right = pad;
    return l;
}

static fast_layer fused(fast_layer l)
{
    l.act = FAST_ACT_RELU;
    l.requant = 1;
    l.mult = 1518500250; /* ~0.707 * 2^31 */
    l.shift = 37;
    l.zp = -3;
    return l;
}

static uint64_t rng = 88172645463325252ull;
static int8_t rand8(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (int8_t)(rng >> 24);
}

/* Counts the MATMUL, VECTOR and STORE-from-acc instructions of c that break the
 * accumulator row rules of docs/isa.md 2.1 on a (printing the first); adds the number of
 * instructions checked to *checked. */
static int row_rule_violations(const fast_arch *a, const fast_compiled *c, int64_t *checked)
{
    int64_t C = a->array.cols;
    int os = a->array.dataflow == FAST_DATAFLOW_OS, bad = 0;
    for (size_t k = 0; k < c->n; k++) {
        const int64_t *f = c->insns[k].f;
        int ok = 1;
        switch (c->insns[k].op) {
        case FAST_ISA_MATMUL:
            ok = f[FAST_F_ACC] % C == 0 && f[FAST_F_ACC_STRIDE] % C == 0 &&
                 (!os || f[FAST_F_ACC_STRIDE] == C);
            break;
        case FAST_ISA_VECTOR:
            ok = f[FAST_F_ACC] % C == 0 && f[FAST_F_ACC_STRIDE] % C == 0 &&
                 f[FAST_F_COLS] <= C;
            break;
        case FAST_ISA_STORE:
            ok = f[FAST_F_MEM] != FAST_MEM_ACC ||
                 (f[FAST_F_SPAD] % C == 0 && f[FAST_F_Y_SSTRIDE] % C == 0 && f[FAST_F_X] <= C);
            break;
        default: continue;
        }
        (*checked)++;
        if (!ok && bad++ == 0) {
            char line[512];
            fast_asm_format_insn(&c->insns[k], line, sizeof line);
            print_message("%s: instruction %zu breaks the row rules: %s\n", a->name, k, line);
        }
    }
    return bad;
}

static int64_t rule_checked; /* instructions row_rule_violations has looked at */

/* Compiles l with tiling t (the model's when NULL), checks the row rules, runs it,
 * compares with the reference. Returns the number of mismatching outputs, or -1 when
 * compile or run failed or the program breaks a row rule. */
static int run_layer(const fast_arch *a, const fast_layer *l, const fast_tiling *t,
                     int verbose)
{
    fast_diag *d = fast_diag_create();
    fast_compiled c;
    fast_status st = t ? fast_compile_layer_tiled(a, l, t, &c, d)
                       : fast_compile_layer(a, l, &c, d);
    int bad = -1;
    if (st == FAST_OK) {
        int64_t ni = fast_layer_in_elems(l), nw = fast_layer_w_elems(l);
        int64_t no = fast_layer_out_elems(l);
        int8_t *in = malloc((size_t)ni), *w = malloc((size_t)nw);
        int32_t *ref = malloc((size_t)no * 4);
        /* The DRAM image, then the global memory's (fast_layout_offset). */
        int64_t db = c.layout.dram_bytes, gb = c.layout.global_bytes;
        uint8_t *img = calloc(1, (size_t)(db + gb));
        for (int64_t i = 0; i < ni; i++)
            in[i] = rand8();
        for (int64_t i = 0; i < nw; i++)
            w[i] = rand8();
        memcpy(img + fast_layout_offset(&c.layout, &c.layout.t[0]), in, (size_t)ni);
        fast_layout_pack_weights(l, &c.layout, w, img);
        fast_ref_layer(l, in, w, ref);
        fast_machine *m = fast_machine_create(a, img, (size_t)db, d);
        if (m && gb > 0)
            fast_machine_set_global(m, img + db, (size_t)gb);
        fast_machine_stats s;
        if (m && fast_machine_run(m, c.insns, c.n, &s, d) == FAST_OK) {
            bad = 0;
            const uint8_t *o = img + fast_layout_offset(&c.layout, &c.layout.t[2]);
            for (int64_t i = 0; i < no; i++) {
                int32_t v = l->requant ? (int8_t)o[i]
                                       : (int32_t)((uint32_t)o[4 * i] |
                                                   (uint32_t)o[4 * i + 1] << 8 |
                                                   (uint32_t)o[4 * i + 2] << 16 |
                                                   (uint32_t)o[4 * i + 3] << 24);
                if (v != ref[i]) {
                    if (verbose && bad < 3)
                        print_message("%s: output %lld = %d, reference %d\n", a->name,
                                      (long long)i, v, ref[i]);
                    bad++;
                }
            }
        }
        fast_machine_destroy(m);
        free(in);
        free(w);
        free(ref);
        free(img);
        if (row_rule_violations(a, &c, &rule_checked) > 0)
            bad = -1;
    }
    for (size_t i = 0; verbose && i < d->n; i++) {
        char *line = fast_diag_line(d, i);
        print_message("%s: %s\n", a->name, line);
        free(line);
    }
    fast_compiled_free(&c);
    fast_diag_destroy(d);
    return bad;
}

/* The layers of the suite: every kind the compiler takes. */
static fast_layer suite(int i)
{
    fast_layer l;
    switch (i) {
    case 0: return gemm(16, 24, 12);
    case 1: return gemm(33, 70, 45);
    case 2: return gemm(1, 64, 10); /* fully connected, one row */
    case 3: return gemm(4, 130, 40);
    case 4: return fused(gemm(20, 48, 24));
    case 5: return conv(8, 8, 8, 16, 3, 1, 1, 1);
    case 6: return conv(9, 9, 5, 7, 3, 2, 1, 1);
    case 7: return conv(10, 6, 4, 12, 3, 2, 1, 1);
    case 8: return conv(6, 6, 16, 24, 1, 1, 0, 1); /* pointwise */
    case 9: return conv(7, 7, 3, 6, 5, 1, 2, 1);
    case 10: return conv(8, 8, 8, 8, 3, 1, 1, 8);  /* depthwise */
    case 11: return conv(9, 9, 6, 6, 3, 2, 1, 6);  /* depthwise, stride 2 */
    case 12: return conv(6, 6, 8, 12, 3, 1, 1, 2); /* grouped */
    case 13: return fused(conv(8, 8, 8, 16, 3, 1, 1, 1));
    case 14: return fused(conv(9, 9, 6, 6, 3, 2, 1, 6));
    case 15:
        /* EfficientNet-B0's stem at reduced size: 3x3 stride 2, TF "same" padding (0 top,
         * 1 bottom on an even input), 3 -> 8 channels, fused swish replaced by relu. */
        l = fused(conv(16, 16, 3, 8, 3, 2, 0, 1));
        l.pad_bottom = l.pad_right = 1;
        return l;
    case 16: l = conv(5, 5, 4, 8, 3, 1, 1, 1); l.batch = 2; return l;
    case 17: return conv(4, 12, 8, 10, 3, 1, 0, 1); /* no padding */
    case 18: return fused(gemm(64, 64, 64));
    case 19: l = conv(7, 5, 4, 9, 2, 2, 0, 1); l.pad_bottom = 1; return l;
    case 20: return conv(12, 12, 2, 4, 3, 3, 2, 1);
    case 21:
        /* A negative multiplier: relu and requant stay two passes (the compiler folds them
         * into one requant only when requant is monotone). */
        l = fused(gemm(20, 48, 24));
        l.mult = -1518500250;
        return l;
    default: return gemm(1, 1, 1);
    }
}
static const int n_suite = 22;

/* VECTOR instructions of layer l compiled for configs[0]. */
static int64_t vectors_of(const fast_layer *l)
{
    fast_diag *d = fast_diag_create();
    fast_compiled cp;
    assert_int_equal(fast_compile_layer(&configs[0], l, &cp, d), FAST_OK);
    int64_t n = cp.by_op[FAST_ISA_VECTOR];
    fast_compiled_free(&cp);
    fast_diag_destroy(d);
    return n;
}

static void compile_should_fold_relu_into_a_monotone_requant(void **state)
{
    (void)state;
    fast_layer folded = suite(4), negative = suite(21);
    int64_t one = vectors_of(&folded);
    assert_true(one > 0);
    assert_int_equal(vectors_of(&negative), 2 * one);
}

static void compile_should_match_the_layer_reference_with_the_model_tiling(void **state)
{
    (void)state;
    int fails = 0, runs = 0;
    for (int c = 0; c < n_configs; c++)
        for (int i = 0; i < n_suite; i++) {
            fast_layer l = suite(i);
            int bad = run_layer(&configs[c], &l, NULL, 1);
            runs++;
            if (bad != 0) {
                print_message("layer %d on %s: %d mismatches\n", i, configs[c].name, bad);
                fails++;
            }
        }
    print_message("%d layers x %d configurations: %d runs, %d failed\n", n_suite, n_configs,
                  runs, fails);
    assert_int_equal(fails, 0);
    assert_true(rule_checked > 1000);
}

/* The suite with the input, the output or both in the global memory (the configurations
 * given one MiB of it): the same results, and a configuration without one refuses. */
static void compile_should_place_tensors_in_the_global_memory(void **state)
{
    (void)state;
    int fails = 0, runs = 0;
    for (int c = 0; c < n_configs; c++) {
        fast_arch a = configs[c];
        a.memory.global_mib = 1;
        for (int i = 0; i < n_suite; i++)
            for (int g = 1; g <= 3; g++) {
                fast_layer l = suite(i);
                l.in_global = g & 1, l.out_global = (g >> 1) & 1;
                int bad = run_layer(&a, &l, NULL, 1);
                runs++;
                if (bad != 0) {
                    print_message("layer %d (global %d) on %s: %d mismatches\n", i, g,
                                  a.name, bad);
                    fails++;
                }
            }
    }
    print_message("%d runs with tensors in the global memory, %d failed\n", runs, fails);
    assert_int_equal(fails, 0);

    fast_layer l = suite(1);
    l.out_global = 1;
    fast_diag *d = fast_diag_create();
    fast_compiled c;
    assert_int_equal(fast_compile_layer(&configs[0], &l, &c, d), FAST_EINPUT);
    char *line = fast_diag_line(d, 0);
    assert_non_null(strstr(line, "memory.global_mib = 0: the layer keeps its output in the "
                                 "global memory, which this configuration does not have"));
    free(line);
    fast_diag_destroy(d);

    /* The machine refuses a global address without a global memory image. */
    fast_arch a = configs[0];
    a.memory.global_mib = 1;
    l = suite(0);
    l.in_global = 1;
    d = fast_diag_create();
    assert_int_equal(fast_compile_layer(&a, &l, &c, d), FAST_OK);
    uint8_t *img = calloc(1, (size_t)c.layout.dram_bytes);
    fast_machine *m = fast_machine_create(&a, img, (size_t)c.layout.dram_bytes, d);
    assert_int_equal(fast_machine_run(m, c.insns, c.n, NULL, d), FAST_EINPUT);
    line = fast_diag_line(d, 0);
    assert_non_null(strstr(line, "global memory bytes 0.. beyond its 0-byte image"));
    free(line);
    fast_machine_destroy(m);
    free(img);
    fast_compiled_free(&c);
    fast_diag_destroy(d);
}

/* Variations of the model's tiling: both loop orders, single and double buffering, and
 * smaller blocks, so that residency and partial blocks are exercised everywhere. */
static void compile_should_match_the_layer_reference_with_other_tilings(void **state)
{
    (void)state;
    int fails = 0, runs = 0;
    for (int c = 0; c < n_configs; c++)
        for (int i = 0; i < n_suite; i++) {
            fast_layer l = suite(i);
            fast_tiling t;
            int64_t cycles;
            fast_unit unit;
            fast_diag *d = fast_diag_create();
            assert_int_equal(fast_compile_model(&configs[c], &l, &t, &cycles, &unit, NULL, d),
                             FAST_OK);
            fast_diag_destroy(d);
            for (int v = 0; v < 8; v++) {
                fast_tiling u = t;
                u.order = v & 1 ? FAST_ORDER_NMK : FAST_ORDER_MNK;
                u.double_buffered = (v >> 1) & 1;
                if (v & 4) {
                    u.tm = u.tm > 8 ? u.tm / 2 : u.tm;
                    u.tk = u.tk > configs[c].array.rows ? configs[c].array.rows : u.tk;
                    u.tn = u.tn > configs[c].array.cols ? configs[c].array.cols : u.tn;
                }
                /* Skip what does not fit, with the compiler's accumulator slot: ceil(tn/C)
                 * column tiles of tm rows (WS) or tm rounded up to R rows (OS). */
                int64_t cnt = configs[c].array.count, nb = u.double_buffered ? 2 : 1;
                int64_t R = configs[c].array.rows, C = configs[c].array.cols;
                int64_t tmr = configs[c].array.dataflow == FAST_DATAFLOW_OS
                                  ? (u.tm + R - 1) / R * R : u.tm;
                if (u.tm * u.tk * nb > configs[c].memory.input_kib * 1024 / cnt ||
                    u.tk * u.tn * nb > configs[c].memory.weight_kib * 1024 / cnt ||
                    (u.tn + C - 1) / C * tmr * C * 4 * nb >
                        configs[c].memory.acc_kib * 1024 / cnt)
                    continue;
                runs++;
                int bad = run_layer(&configs[c], &l, &u, 1);
                if (bad != 0) {
                    print_message("layer %d on %s, variant %d: %d mismatches\n", i,
                                  configs[c].name, v, bad);
                    fails++;
                }
            }
        }
    print_message("%d tiling variants run\n", runs);
    assert_true(runs > 200);
    assert_int_equal(fails, 0);
}

/* Compiles a small GEMM and returns its program (the caller frees it). */
static fast_compiled small_program(void)
{
    fast_layer l = gemm(16, 16, 16);
    fast_compiled c;
    fast_diag *d = fast_diag_create();
    assert_int_equal(fast_compile_layer(&configs[0], &l, &c, d), FAST_OK);
    fast_diag_destroy(d);
    return c;
}

/* Runs prog on configs[0] over a zeroed image and returns the first diagnostic line. */
static char *run_expecting_error(const fast_insn *prog, size_t n, size_t image)
{
    uint8_t *img = calloc(1, image);
    fast_diag *d = fast_diag_create();
    fast_machine *m = fast_machine_create(&configs[0], img, image, d);
    assert_int_equal(fast_machine_run(m, prog, n, NULL, d), FAST_EINPUT);
    char *line = fast_diag_line(d, 0);
    fast_machine_destroy(m);
    fast_diag_destroy(d);
    free(img);
    return line;
}

static void machine_should_report_a_token_deadlock(void **state)
{
    (void)state;
    fast_compiled c = small_program();
    /* Drop every push of the load unit: the first compute block waits forever. */
    size_t want = c.n;
    for (size_t k = 0; k < c.n; k++) {
        if (c.insns[k].op == FAST_ISA_LOAD ||
            (c.insns[k].op == FAST_ISA_SYNC && c.insns[k].f[FAST_F_QUEUE] == FAST_QUEUE_LOAD))
            c.insns[k].f[FAST_F_PUSH_NEXT] = 0;
        if (want == c.n && c.insns[k].op == FAST_ISA_MATMUL)
            want = k; /* the first compute instruction pops a load's token */
    }
    char *line = run_expecting_error(c.insns, c.n, (size_t)c.layout.dram_bytes);
    char expect[256];
    snprintf(expect, sizeof expect,
             "fast: error[machine]: instruction %zu (matmul): compute queue of array 0: deadlock: "
             "waits for a load to compute token that no instruction left will push",
             want);
    assert_string_equal(line, expect);
    free(line);
    fast_compiled_free(&c);
}

static void machine_should_report_a_missing_end_and_bad_addresses(void **state)
{
    (void)state;
    fast_compiled c = small_program();
    char *line = run_expecting_error(c.insns, c.n - 1, (size_t)c.layout.dram_bytes);
    char expect[128];
    snprintf(expect, sizeof expect,
             "fast: error[machine]: instruction: %zu instructions and no end: a program must "
             "finish with end", c.n - 1);
    assert_string_equal(line, expect);
    free(line);
    /* An image too small for the output: the first store names the address. */
    line = run_expecting_error(c.insns, c.n, (size_t)c.layout.t[2].addr);
    assert_non_null(strstr(line, "(store): dram bytes"));
    assert_non_null(strstr(line, "beyond the"));
    free(line);
    /* A scratchpad address beyond the array's share. */
    c.insns[0].f[FAST_F_SPAD] = 1 << 20;
    line = run_expecting_error(c.insns, c.n, (size_t)c.layout.dram_bytes);
    const fast_insn *i0 = &c.insns[0];
    snprintf(expect, sizeof expect,
             "fast: error[machine]: instruction 0 (load): inp elements 1048576..%lld beyond "
             "its 1024",
             (long long)((1 << 20) +
                         (int64_t)(i0->f[FAST_F_Y] - 1) * (int64_t)i0->f[FAST_F_Y_SSTRIDE] +
                         (int64_t)i0->f[FAST_F_X] - 1));
    assert_string_equal(line, expect);
    free(line);
    fast_compiled_free(&c);
}

static void machine_should_report_tokens_left_at_the_end(void **state)
{
    (void)state;
    fast_compiled c = small_program();
    /* Drop the last drain: one compute-to-load token stays. */
    size_t k = c.n - 2;
    while (!(c.insns[k].op == FAST_ISA_SYNC && c.insns[k].f[FAST_F_QUEUE] == FAST_QUEUE_LOAD))
        k--;
    memmove(&c.insns[k], &c.insns[k + 1], (c.n - k - 1) * sizeof *c.insns);
    char *line = run_expecting_error(c.insns, c.n - 1, (size_t)c.layout.dram_bytes);
    char expect[160];
    snprintf(expect, sizeof expect,
             "fast: error[machine]: instruction %zu (end): array 0: 1 compute to load tokens left "
             "at the end", c.n - 2);
    assert_string_equal(line, expect);
    free(line);
    fast_compiled_free(&c);
}

static void compile_should_report_what_the_isa_cannot_express(void **state)
{
    (void)state;
    fast_arch bf = configs[1];
    bf.array.dtype = FAST_DTYPE_BF16;
    fast_layer l = gemm(4, 4, 4);
    fast_compiled c;
    fast_diag *d = fast_diag_create();
    assert_int_equal(fast_compile_layer(&bf, &l, &c, d), FAST_EINPUT);
    char *line = fast_diag_line(d, 0);
    assert_string_equal(line, "fast: error[compile]: array.dtype = bf16: the compiler supports "
                              "int8 layers only");
    free(line);
    fast_diag_destroy(d);
}

static void compile_should_follow_the_model_tiling_and_count_instructions(void **state)
{
    (void)state;
    fast_layer l = conv(8, 8, 8, 16, 3, 1, 1, 1);
    fast_compiled c;
    fast_diag *d = fast_diag_create();
    assert_int_equal(fast_compile_layer(&configs[1], &l, &c, d), FAST_OK);
    fast_tiling t;
    int64_t cycles;
    fast_unit unit;
    assert_int_equal(fast_compile_model(&configs[1], &l, &t, &cycles, &unit, NULL, d), FAST_OK);
    assert_int_equal(c.tiling.tm, t.tm);
    assert_int_equal(c.tiling.tk, t.tk);
    assert_int_equal(c.tiling.tn, t.tn);
    assert_int_equal(c.model_cycles, cycles);
    int64_t sum = 0;
    for (int k = 0; k < FAST_ISA_OP_COUNT; k++)
        sum += c.by_op[k];
    assert_int_equal(sum, (int64_t)c.n);
    assert_int_equal(c.by_op[FAST_ISA_END], 1);
    /* One MATMUL per R x C tile of every block: ceil(tk/R) * ceil(tn/C) per block. */
    int64_t M = 64, K = 72, N = 16, tiles = 0;
    for (int64_t m0 = 0; m0 < M; m0 += t.tm)
        for (int64_t n0 = 0; n0 < N; n0 += t.tn)
            for (int64_t k0 = 0; k0 < K; k0 += t.tk) {
                int64_t bk = K - k0 < t.tk ? K - k0 : t.tk, bn = N - n0 < t.tn ? N - n0 : t.tn;
                tiles += (bk + 7) / 8 * ((bn + 7) / 8);
            }
    assert_int_equal(c.by_op[FAST_ISA_MATMUL], tiles);
    fast_compiled_free(&c);
    fast_diag_destroy(d);
}

/* Reports the first diagnostic of compiling l on a with the model's tiling changed to
 * tm, tk, tn, double-buffered; the caller frees it. */
static char *compile_error_with(const fast_arch *a, fast_layer l, int64_t tm, int64_t tk,
                                int64_t tn)
{
    fast_tiling t;
    int64_t cycles;
    fast_unit unit;
    fast_compiled c;
    fast_diag *d = fast_diag_create();
    assert_int_equal(fast_compile_model(a, &l, &t, &cycles, &unit, NULL, d), FAST_OK);
    t.tm = tm, t.tk = tk, t.tn = tn, t.double_buffered = 1;
    assert_int_equal(fast_compile_layer_tiled(a, &l, &t, &c, d), FAST_EINPUT);
    char *line = fast_diag_line(d, 0);
    fast_diag_destroy(d);
    return line;
}

static void compile_should_report_accumulator_slots_that_do_not_fit(void **state)
{
    (void)state;
    /* 4x4 WS, 512 words: one column of 128 rows takes a whole 4-word row per output. */
    char *line = compile_error_with(&configs[0], gemm(128, 4, 1), 128, 4, 1);
    assert_string_equal(line, "fast: error[compile]: tiling.tn = 1: needs 2 accumulator slots "
                              "of 1 column tiles x 128 rows x 4 words = 1024 words; the "
                              "array has 512");
    free(line);
    /* 8x8 OS, 2048 words: tm = 9 rounds up to 16 rows per column tile. */
    line = compile_error_with(&configs[4], gemm(9, 8, 72), 9, 8, 72);
    assert_string_equal(line, "fast: error[compile]: tiling.tm = 9: needs 2 accumulator slots "
                              "of 9 column tiles x 16 rows x 8 words = 2304 words; the array "
                              "has 2048");
    free(line);
}

/* Assembles text and runs it on a over image (bytes); returns the first diagnostic line
 * (the caller frees it) or NULL when the run succeeded. */
static char *run_text(const fast_arch *a, const char *text, uint8_t *image, size_t bytes)
{
    fast_diag *d = fast_diag_create();
    size_t n = 0;
    fast_insn *prog = fast_asm_parse(text, "test.s", &n, d);
    assert_non_null(prog);
    fast_machine *m = fast_machine_create(a, image, bytes, d);
    assert_non_null(m);
    char *line = NULL;
    if (fast_machine_run(m, prog, n, NULL, d) != FAST_OK)
        line = fast_diag_line(d, 0);
    fast_machine_destroy(m);
    fast_diag_destroy(d);
    free(prog);
    return line;
}

static void machine_should_reject_accumulator_accesses_that_are_not_whole_rows(void **state)
{
    (void)state;
    static const struct {
        int cfg;
        const char *text, *want;
    } cases[] = {
        {1, "matmul acc=12 acc_stride=8 m=1 k=1 n=1\nend\n",
         "instruction 0 (matmul): acc = 12: must be a multiple of the accumulator row pitch 8"},
        {1, "matmul acc=8 acc_stride=4 m=2 k=1 n=1\nend\n",
         "instruction 0 (matmul): acc_stride = 4: must be a multiple of the accumulator row pitch 8"},
        {4, "matmul acc=0 acc_stride=16 m=1 k=1 n=1\nend\n",
         "instruction 0 (matmul): acc_stride = 16: must equal the accumulator row pitch 8 "
         "(output-stationary)"},
        {1, "vector vop=relu acc=3 acc_stride=8 rows=1 cols=1\nend\n",
         "instruction 0 (vector): acc = 3: must be a multiple of the accumulator row pitch 8"},
        {1, "vector vop=relu acc=0 acc_stride=12 rows=2 cols=1\nend\n",
         "instruction 0 (vector): acc_stride = 12: must be a multiple of the accumulator row "
         "pitch 8"},
        {1, "vector vop=relu acc=0 acc_stride=16 rows=1 cols=9\nend\n",
         "instruction 0 (vector): cols = 9 exceeds the array's 8 columns"},
        {1, "store mem=acc fmt=word spad=4 x=1 y=1\nend\n",
         "instruction 0 (store): spad = 4: must be a multiple of the accumulator row pitch 8"},
        {1, "store mem=acc fmt=word spad=0 x=1 y=2 y_sstride=9\nend\n",
         "instruction 0 (store): y_sstride = 9: must be a multiple of the accumulator row pitch 8"},
        {1, "store mem=acc fmt=word spad=0 x=16 y=1 y_sstride=16\nend\n",
         "instruction 0 (store): x = 16 exceeds the array's 8 columns"},
    };
    uint8_t img[256] = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *line = run_text(&configs[cases[i].cfg], cases[i].text, img, sizeof img);
        char want[256];
        snprintf(want, sizeof want, "fast: error[machine]: %s", cases[i].want);
        assert_non_null(line);
        assert_string_equal(line, want);
        free(line);
    }
    /* Still legal: a STORE from inp, a LOAD into acc and VECTOR's bsrc at any word. */
    char *line = run_text(&configs[1],
                          "load mem=acc dram=0 spad=3 x=5 y=1 z=1\n"
                          "vector vop=add bsrc b=5 acc=0 acc_stride=8 rows=1 cols=8\n"
                          "load mem=inp dram=0 spad=3 x=5 y=1 z=1 push_next\n"
                          "sync queue=compute pop_prev push_next\n"
                          "store pop_prev mem=inp fmt=byte dram=64 spad=3 x=5 y=1\n"
                          "end\n",
                          img, sizeof img);
    assert_null(line);
}

/* Little-endian word w of the image at byte addr. */
static int32_t word_at(const uint8_t *img, int64_t addr)
{
    return (int32_t)((uint32_t)img[addr] | (uint32_t)img[addr + 1] << 8 |
                     (uint32_t)img[addr + 2] << 16 | (uint32_t)img[addr + 3] << 24);
}

/* The image of the two row tests: int8 activations at 0, weights at 64, the old
 * accumulator (12 rows of 8 words, word w = 1000 + w) at 128, room for the result at 512. */
static void row_image(uint8_t *img)
{
    memset(img, 0, 1024);
    for (int i = 0; i < 64; i++) {
        img[i] = (uint8_t)(i % 7 - 3);
        img[64 + i] = (uint8_t)(i % 5 - 2);
    }
    for (int w = 0; w < 96; w++)
        for (int b = 0; b < 4; b++)
            img[128 + 4 * w + b] = (uint8_t)((1000 + w) >> (8 * b));
}

static void machine_should_write_whole_rows_in_weight_stationary(void **state)
{
    (void)state;
    /* 8x8 WS: m = 2 rows, k = 3, n = 5 columns into rows 1 and 3 (acc_stride = 16). */
    for (int accumulate = 0; accumulate < 2; accumulate++) {
        uint8_t img[1024];
        row_image(img);
        char text[1024];
        snprintf(text, sizeof text,
                 "load mem=acc dram=128 spad=0 x=8 y=8 z=1 y_dstride=8 y_sstride=8\n"
                 "load mem=inp dram=0 spad=0 x=3 y=2 z=1 y_dstride=3 y_sstride=3\n"
                 "load mem=wgt dram=64 spad=0 x=5 y=3 z=1 y_dstride=5 y_sstride=5 push_next\n"
                 "matmul pop_prev push_next %s inp=0 inp_stride=3 wgt=0 wgt_stride=5 acc=8 "
                 "acc_stride=16 m=2 k=3 n=5\n"
                 "store pop_prev push_prev mem=acc fmt=word dram=512 spad=0 x=8 y=8 "
                 "y_dstride=8 y_sstride=8\n"
                 "sync queue=compute pop_next\n"
                 "end\n",
                 accumulate ? "accumulate" : "");
        assert_null(run_text(&configs[1], text, img, sizeof img));
        for (int r = 0; r < 8; r++)
            for (int j = 0; j < 8; j++) {
                int32_t old = 1000 + r * 8 + j, want = old;
                if (r == 1 || r == 3) {
                    int i = r / 2, s = 0;
                    for (int q = 0; j < 5 && q < 3; q++)
                        s += (int8_t)img[i * 3 + q] * (int8_t)img[64 + q * 5 + j];
                    want = accumulate ? old + s : s; /* j >= 5: 0, or old kept */
                }
                assert_int_equal(word_at(img, 512 + 4 * (r * 8 + j)), want);
            }
    }
}

static void machine_should_write_r_rows_in_output_stationary(void **state)
{
    (void)state;
    /* 8x8 OS: m = 3 rows, k = 4, n = 6 at row 2: rows 2..9 change, the rest keep theirs. */
    for (int accumulate = 0; accumulate < 2; accumulate++) {
        uint8_t img[1024];
        row_image(img);
        char text[1024];
        snprintf(text, sizeof text,
                 "load mem=acc dram=128 spad=0 x=8 y=12 z=1 y_dstride=8 y_sstride=8\n"
                 "load mem=inp dram=0 spad=0 x=4 y=3 z=1 y_dstride=4 y_sstride=4\n"
                 "load mem=wgt dram=64 spad=0 x=6 y=4 z=1 y_dstride=6 y_sstride=6 push_next\n"
                 "matmul pop_prev push_next %s inp=0 inp_stride=4 wgt=0 wgt_stride=6 acc=16 "
                 "acc_stride=8 m=3 k=4 n=6\n"
                 "store pop_prev push_prev mem=acc fmt=word dram=512 spad=0 x=8 y=12 "
                 "y_dstride=8 y_sstride=8\n"
                 "sync queue=compute pop_next\n"
                 "end\n",
                 accumulate ? "accumulate" : "");
        assert_null(run_text(&configs[4], text, img, sizeof img));
        for (int r = 0; r < 12; r++)
            for (int j = 0; j < 8; j++) {
                int32_t old = 1000 + r * 8 + j, want = old;
                if (r >= 2 && r < 10) {
                    int i = r - 2, s = 0;
                    for (int q = 0; i < 3 && j < 6 && q < 4; q++)
                        s += (int8_t)img[i * 4 + q] * (int8_t)img[64 + q * 6 + j];
                    want = accumulate ? old + s : s;
                }
                assert_int_equal(word_at(img, 512 + 4 * (r * 8 + j)), want);
            }
    }
}

int main(void)
{
    make_configs();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compile_should_match_the_layer_reference_with_the_model_tiling),
        cmocka_unit_test(compile_should_fold_relu_into_a_monotone_requant),
        cmocka_unit_test(compile_should_place_tensors_in_the_global_memory),
        cmocka_unit_test(compile_should_match_the_layer_reference_with_other_tilings),
        cmocka_unit_test(machine_should_report_a_token_deadlock),
        cmocka_unit_test(machine_should_report_a_missing_end_and_bad_addresses),
        cmocka_unit_test(machine_should_report_tokens_left_at_the_end),
        cmocka_unit_test(compile_should_report_what_the_isa_cannot_express),
        cmocka_unit_test(compile_should_follow_the_model_tiling_and_count_instructions),
        cmocka_unit_test(compile_should_report_accumulator_slots_that_do_not_fit),
        cmocka_unit_test(machine_should_reject_accumulator_accesses_that_are_not_whole_rows),
        cmocka_unit_test(machine_should_write_whole_rows_in_weight_stationary),
        cmocka_unit_test(machine_should_write_r_rows_in_output_stationary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
