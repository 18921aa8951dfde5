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

/* Compiles l with tiling t (the model's when NULL), runs it, compares with the reference.
 * Returns the number of mismatching outputs, or -1 when compile or run failed. */
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
        uint8_t *img = calloc(1, (size_t)c.layout.dram_bytes);
        for (int64_t i = 0; i < ni; i++)
            in[i] = rand8();
        for (int64_t i = 0; i < nw; i++)
            w[i] = rand8();
        memcpy(img + c.layout.t[0].addr, in, (size_t)ni);
        fast_layout_pack_weights(l, &c.layout, w, img);
        fast_ref_layer(l, in, w, ref);
        fast_machine *m = fast_machine_create(a, img, (size_t)c.layout.dram_bytes, d);
        fast_machine_stats s;
        if (m && fast_machine_run(m, c.insns, c.n, &s, d) == FAST_OK) {
            bad = 0;
            const uint8_t *o = img + c.layout.t[2].addr;
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
    default: return gemm(1, 1, 1);
    }
}
static const int n_suite = 21;

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
            assert_int_equal(fast_compile_model(&configs[c], &l, &t, &cycles, &unit, d),
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
                int64_t cnt = configs[c].array.count, nb = u.double_buffered ? 2 : 1;
                if (u.tm * u.tk * nb > configs[c].memory.input_kib * 1024 / cnt ||
                    u.tk * u.tn * nb > configs[c].memory.weight_kib * 1024 / cnt ||
                    u.tm * u.tn * 4 * nb > configs[c].memory.acc_kib * 1024 / cnt)
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
    /* Drop the push of the first load: its compute block waits forever. */
    size_t k = 0;
    while (!c.insns[k].f[FAST_F_PUSH_NEXT])
        k++;
    c.insns[k].f[FAST_F_PUSH_NEXT] = 0;
    size_t want = k + 1; /* the first compute instruction pops it */
    while (c.insns[want].op != FAST_ISA_MATMUL)
        want++;
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
    assert_string_equal(line, "fast: error[machine]: instruction 0 (load): inp elements "
                              "1048576..1048831 beyond its 1024");
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
    assert_int_equal(fast_compile_model(&configs[1], &l, &t, &cycles, &unit, d), FAST_OK);
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

int main(void)
{
    make_configs();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compile_should_match_the_layer_reference_with_the_model_tiling),
        cmocka_unit_test(compile_should_match_the_layer_reference_with_other_tilings),
        cmocka_unit_test(machine_should_report_a_token_deadlock),
        cmocka_unit_test(machine_should_report_a_missing_end_and_bad_addresses),
        cmocka_unit_test(machine_should_report_tokens_left_at_the_end),
        cmocka_unit_test(compile_should_report_what_the_isa_cannot_express),
        cmocka_unit_test(compile_should_follow_the_model_tiling_and_count_instructions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
