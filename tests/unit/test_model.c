/* Properties of the analytical model (docs/model.md) over every zoo model and random valid
 * configurations, plus the compute-bound utilization and the hand-worked examples. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arch.h"
#include "search/space.h"
#include "sim/model/model.h"
#include "workloads/passes.h"
#include "workloads/workload.h"
#include "workloads/zoo.h"

#define N_RANDOM 24

/* tpu-v3-like, a small int8 design, and N_RANDOM random valid configurations. */
static int configs(fast_arch *out)
{
    int n = 0;
    fast_arch_default(&out[n]);
    strcpy(out[n].name, "tpu-like");
    out[n].cores = 2;
    out[n].array.rows = out[n].array.cols = 128;
    out[n].array.count = 2;
    out[n].array.dtype = FAST_DTYPE_BF16;
    out[n].vector.lanes = 1024;
    out[n].memory.input_kib = 4096;
    out[n].memory.weight_kib = 2048;
    out[n].memory.acc_kib = 2048;
    out[n].memory.global_mib = 16;
    out[n].dram.bandwidth_gbps = 900;
    n++;
    fast_arch_default(&out[n]);
    strcpy(out[n].name, "small");
    out[n].array.rows = out[n].array.cols = 8;
    out[n].vector.lanes = 8;
    out[n].memory.input_kib = out[n].memory.weight_kib = out[n].memory.acc_kib = 16;
    n++;
    fast_rng rng;
    fast_rng_seed(&rng, 20261129);
    for (int i = 0; i < N_RANDOM; i++)
        fast_space_sample(&rng, &out[n++]);
    for (int i = 0; i < n; i++)
        assert_int_equal(fast_arch_validate(&out[i], NULL, NULL), FAST_OK);
    return n;
}

static fast_graph *load(const char *name)
{
    fast_diag *d = fast_diag_create();
    fast_graph *g = fast_workload_load(name, 1, d);
    assert_non_null(g);
    fast_diag_destroy(d);
    fast_graph_fuse(g);
    return g;
}

static fast_model_result *eval(const fast_arch *a, const fast_graph *g)
{
    fast_diag *d = fast_diag_create();
    fast_model_result *r = fast_model_eval(a, g, d);
    if (!r) {
        char *line = d->n ? fast_diag_line(d, 0) : NULL;
        fail_msg("%s on %s: %s", g->name, a->name, line ? line : "no result");
    }
    fast_diag_destroy(d);
    return r;
}

/* Every op: cycles >= MACs / peak and >= DRAM bytes / DRAM bytes per cycle; utilization in
 * (0, 1]; energy > 0; cycles are the sum of the ops'. */
static void model_should_respect_the_roofline_on_every_zoo_model(void **state)
{
    (void)state;
    fast_arch archs[2 + N_RANDOM];
    int n = configs(archs);
    for (int w = 0; fast_zoo_names[w]; w++) {
        fast_graph *g = load(fast_zoo_names[w]);
        for (int i = 0; i < n; i++) {
            const fast_arch *a = &archs[i];
            fast_model_result *r = eval(a, g);
            double peak = (double)fast_model_peak_macs(a);
            double bpc = fast_arch_dram_bytes_per_cycle(a);
            int64_t sum = 0;
            for (int k = 0; k < r->n_ops; k++) {
                const fast_op_cost *c = &r->ops[k];
                double roof = fmax((double)c->macs / peak, (double)c->dram_bytes / bpc);
                if ((double)c->cycles < roof * (1 - 1e-12) && c->fused_into < 0)
                    fail_msg("%s on %s: op %s takes %lld cycles, under its roofline %.1f",
                             g->name, a->name, g->ops[k].name, (long long)c->cycles, roof);
                assert_true(c->energy_pj >= 0);
                sum += c->cycles;
            }
            assert_int_equal(sum, r->cycles);
            assert_true(r->utilization > 0 && r->utilization <= 1.0);
            assert_true(r->energy_pj > 0);
            assert_int_equal(r->macs, fast_graph_macs(g));
            fast_model_result_destroy(r);
        }
        fast_graph_destroy(g);
    }
}

static void model_should_be_deterministic(void **state)
{
    (void)state;
    fast_arch archs[2 + N_RANDOM];
    int n = configs(archs);
    fast_graph *g = load("efficientnet-b0");
    for (int i = 0; i < n; i++) {
        fast_model_result *a = eval(&archs[i], g), *b = eval(&archs[i], g);
        assert_int_equal(a->cycles, b->cycles);
        assert_true(a->energy_pj == b->energy_pj);
        assert_memory_equal(a->ops, b->ops, (size_t)a->n_ops * sizeof *a->ops);
        fast_model_result_destroy(a);
        fast_model_result_destroy(b);
    }
    fast_graph_destroy(g);
}

/* Compares op by op: the changed configuration never takes more cycles, or at most
 * slack_pct percent more (a DMA that serves loads first can finish a little later when
 * its transfers get shorter: docs/model.md 4.2). */
static void check_not_slower(const fast_arch *base, const fast_arch *more, const char *what,
                             int64_t slack_pct)
{
    for (int w = 0; fast_zoo_names[w]; w++) {
        fast_graph *g = load(fast_zoo_names[w]);
        fast_model_result *r0 = eval(base, g), *r1 = eval(more, g);
        for (int k = 0; k < g->n_ops; k++)
            if (r1->ops[k].cycles * 100 > r0->ops[k].cycles * (100 + slack_pct))
                fail_msg("%s: %s op %s on %s: %lld -> %lld cycles", what, g->name,
                         g->ops[k].name, base->name, (long long)r0->ops[k].cycles,
                         (long long)r1->ops[k].cycles);
        fast_model_result_destroy(r0);
        fast_model_result_destroy(r1);
        fast_graph_destroy(g);
    }
}

static void model_should_not_slow_down_with_more_dram_bandwidth(void **state)
{
    (void)state;
    fast_arch archs[2 + N_RANDOM];
    int n = configs(archs);
    for (int i = 0; i < n; i++) {
        fast_arch more = archs[i];
        more.dram.bandwidth_gbps *= 2;
        /* 2%: doubling the bandwidth also doubles the port's beat and with it the global
         * memory's pace, so the DMA's order changes on ops that use both memories
         * (+1.9% measured on one op of one random design). */
        check_not_slower(&archs[i], &more, "doubling DRAM bandwidth", 2);
    }
}

static void model_should_not_slow_down_with_larger_scratchpads(void **state)
{
    (void)state;
    fast_arch archs[2 + N_RANDOM];
    int n = configs(archs);
    for (int i = 0; i < n; i++) {
        for (int which = 0; which < 3; which++) {
            fast_arch more = archs[i];
            int64_t *kib = which == 0   ? &more.memory.input_kib
                           : which == 1 ? &more.memory.weight_kib
                                        : &more.memory.acc_kib;
            *kib *= 2;
            check_not_slower(&archs[i], &more, "doubling a scratchpad", 0);
        }
    }
}

/* One 16x16 weight-stationary int8 array; DRAM so fast that bandwidth never limits
 * (10^5 GB/s at 100 MHz is 10^6 bytes per cycle, latency 0): a transfer still takes a cycle
 * per row, since a row never shares a beat. For a 512 x 256 x 256 GEMM, by docs/model.md,
 * the search takes tm = M, tk = K, tn = 16, double-buffered: 16 blocks of one column tile.
 *   block   = cycles_ws(16 tiles, 512) = 16 + 15 * 512 + 512 + 16 + 16 - 1 = 8239
 *   loads   = inputs 512 (rows, once) + weights 256 (rows, every block)
 *   store   = 512 rows: 512; tail = 512 + 7 = 519 (requantize)
 *   block 0 starts at 3 + 768 + 1 and drains 8240 later; each next block starts a cycle
 *   after the one before drains (its one VECTOR taken); the DMA keeps up (768 < 8240)
 *   total   = 3 + 768 + 1 + 8240 + 15 * 8241 + 2 + 519 + 512 + 2 = 133662
 * Utilization = MACs / (cycles * (PEs + lanes)). */
static void model_should_reach_the_predicted_utilization_on_an_aligned_gemm(void **state)
{
    (void)state;
    fast_arch a;
    fast_arch_default(&a);
    strcpy(a.name, "aligned");
    a.clock_mhz = 100;
    a.array.rows = a.array.cols = 16;
    a.vector.lanes = 16;
    a.memory.input_kib = a.memory.weight_kib = a.memory.acc_kib = 4096;
    a.dram.bandwidth_gbps = 100000;
    a.dram.latency_ns = 0;
    assert_int_equal(fast_arch_validate(&a, NULL, NULL), FAST_OK);
    fast_graph *g = load("gemm:512,256,256");
    fast_model_result *r = eval(&a, g);
    const int64_t block = 16 + 15 * 512 + 512 + 16 + 16 - 1;
    assert_int_equal(block, 8239);
    const int64_t total = 3 + 768 + 1 + (block + 1) + 15 * (block + 2) + 2 + 519 + 512 + 2;
    assert_int_equal(total, 133662);
    assert_int_equal(r->ops[0].cycles, total);
    double expected = (512.0 * 256 * 256) / ((double)total * (16 * 16 + 16));
    assert_true(fabs(r->utilization - expected) < 1e-12);
    assert_int_equal(r->ops[0].tiling.tm, 512);
    assert_int_equal(r->ops[0].tiling.tk, 256);
    assert_int_equal(r->ops[0].tiling.tn, 16);
    fast_model_result_destroy(r);
    fast_graph_destroy(g);
}

/* The three hand-worked examples of docs/model.md section 6, on the same configuration:
 * one 8x8 int8 array, 16 KiB scratchpads, 8 lanes, 8 bytes per cycle of DRAM, 100 cycles
 * of latency. The expected cycles are worked out step by step in the document. */
static void model_should_match_the_hand_worked_examples(void **state)
{
    (void)state;
    fast_arch a;
    fast_arch_default(&a);
    strcpy(a.name, "example");
    a.array.rows = a.array.cols = 8;
    a.vector.lanes = 8;
    a.memory.input_kib = a.memory.weight_kib = a.memory.acc_kib = 16;
    a.memory.banks = 2;
    a.dram.bandwidth_gbps = 8;
    a.dram.latency_ns = 100;
    static const struct {
        const char *w;
        int64_t cycles, dram_bytes;
    } cases[] = {
        {"gemm:64,64,64", 3 + 776 + 1 + 536 + 7 * 537 + 2 + 71 + 164 + 2, 4096 + 4096 + 4096},
        {"conv:16,16,16,32,3,1", 3 + 1064 + 1 + 1176 + 15 * 1216 + 53 + 2 + 78 + 164 + 2,
         256 * 144 * 2 + 4608 + 8192},
        {"conv:16,16,32,32,3,1,32", 1024 * 9 + 4 + 100, 8192 + 8192 + 288},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fast_graph *g = load(cases[i].w);
        fast_model_result *r = eval(&a, g);
        if (r->cycles != cases[i].cycles || r->dram_bytes != cases[i].dram_bytes)
            fail_msg("%s: %lld cycles, %lld DRAM bytes; the document says %lld and %lld",
                     cases[i].w, (long long)r->cycles, (long long)r->dram_bytes,
                     (long long)cases[i].cycles, (long long)cases[i].dram_bytes);
        fast_model_result_destroy(r);
        fast_graph_destroy(g);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_should_reach_the_predicted_utilization_on_an_aligned_gemm),
        cmocka_unit_test(model_should_match_the_hand_worked_examples),
        cmocka_unit_test(model_should_be_deterministic),
        cmocka_unit_test(model_should_respect_the_roofline_on_every_zoo_model),
        cmocka_unit_test(model_should_not_slow_down_with_more_dram_bandwidth),
        cmocka_unit_test(model_should_not_slow_down_with_larger_scratchpads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
