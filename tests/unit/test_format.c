/* The JSON form of a workload (workloads/format.c), inline layers (workloads/workload.c) and
 * the fusion pass (workloads/passes.c): round trips of every built-in model, --batch on a
 * re-read file, topological sorting, "same" padding, inline MAC counts, fusion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/format.h"
#include "workloads/graph.h"
#include "workloads/passes.h"
#include "workloads/workload.h"
#include "workloads/zoo.h"

/* Prints every diagnostic of d, prefixed with what, through cmocka. */
static void print_diag(const char *what, const fast_diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        char *line = fast_diag_line(d, i);
        print_error("%s: %s\n", what, line ? line : "?");
        free(line);
    }
}

/* Builds a built-in model at batch, which must succeed without a diagnostic. */
static fast_graph *build(const char *name, int64_t batch)
{
    fast_diag *d = fast_diag_create();
    fast_graph *g = fast_zoo_build(name, batch, d);
    print_diag(name, d);
    assert_non_null(g);
    assert_int_equal(d->n, 0);
    fast_diag_destroy(d);
    return g;
}

/* Parses JSON text at batch (0 keeps the file's), which must succeed without a diagnostic. */
static fast_graph *parse(const char *text, int64_t batch)
{
    fast_diag *d = fast_diag_create();
    fast_graph *g = fast_workload_parse(text, strlen(text), "t.json", batch, d);
    print_diag("t.json", d);
    assert_non_null(g);
    assert_int_equal(d->n, 0);
    fast_diag_destroy(d);
    return g;
}

/* The graph's JSON form as text; the caller frees it with cJSON_free. */
static char *to_text(const fast_graph *g)
{
    cJSON *root = fast_workload_to_json(g);
    assert_non_null(root);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    assert_non_null(text);
    return text;
}

/* Writes g as JSON and reads it back at batch; the caller owns the result. */
static fast_graph *round_trip(const fast_graph *g, int64_t batch)
{
    char *text = to_text(g);
    fast_graph *r = parse(text, batch);
    cJSON_free(text);
    return r;
}

/* Builds an inline layer at batch 1, which must succeed without a diagnostic. */
static fast_graph *inline_layer(const char *spec)
{
    fast_diag *d = fast_diag_create();
    fast_graph *g = fast_workload_load(spec, 1, d);
    print_diag(spec, d);
    assert_non_null(g);
    assert_int_equal(d->n, 0);
    fast_diag_destroy(d);
    return g;
}

static void format_round_trip_should_preserve_every_zoo_model(void **state)
{
    (void)state;
    for (int m = 0; fast_zoo_names[m]; m++) {
        fast_graph *g = build(fast_zoo_names[m], 1);
        fast_graph *r = round_trip(g, 0);
        assert_string_equal(r->name, g->name);
        assert_int_equal(r->batch, g->batch);
        assert_int_equal(r->n_ops, g->n_ops);
        assert_int_equal(r->n_tensors, g->n_tensors);
        for (int i = 0; i < g->n_ops; i++) {
            const fast_op *a = &g->ops[i], *b = &r->ops[i];
            assert_string_equal(b->name, a->name);
            assert_int_equal(b->type, a->type);
            assert_int_equal(b->n_inputs, a->n_inputs);
            for (int k = 0; k < a->n_inputs; k++) {
                const fast_tensor *ta = &g->tensors[a->inputs[k]];
                const fast_tensor *tb = &r->tensors[b->inputs[k]];
                assert_string_equal(tb->name, ta->name);
                assert_true(fast_shape_equal(&tb->shape, &ta->shape));
                assert_int_equal(tb->elem, ta->elem);
            }
            if (!fast_shape_equal(&r->tensors[b->output].shape, &g->tensors[a->output].shape))
                fail_msg("%s: %s: output shape differs after the round trip", g->name,
                         a->name);
            assert_int_equal(b->macs, a->macs);
            assert_int_equal(b->params, a->params);
        }
        assert_int_equal(fast_graph_macs(r), fast_graph_macs(g));
        assert_int_equal(fast_graph_params(r), fast_graph_params(g));
        fast_graph_destroy(r);
        fast_graph_destroy(g);
    }
}

/* Exports name at batch 1, re-reads it at batch 4 and checks it against a build at batch 4:
 * 4x the MACs, the same params, the same output shapes. */
static void check_batch_4(const char *name)
{
    fast_graph *g1 = build(name, 1);
    fast_graph *g4 = build(name, 4);
    fast_graph *r = round_trip(g1, 4);
    assert_int_equal(r->batch, 4);
    assert_int_equal(r->n_ops, g1->n_ops);
    assert_int_equal(fast_graph_macs(r), 4 * fast_graph_macs(g1));
    assert_int_equal(fast_graph_macs(r), fast_graph_macs(g4));
    assert_int_equal(fast_graph_params(r), fast_graph_params(g1));
    for (int i = 0; i < r->n_ops; i++)
        if (!fast_shape_equal(&r->tensors[r->ops[i].output].shape,
                              &g4->tensors[g4->ops[i].output].shape))
            fail_msg("%s: %s: shape at batch 4 differs from a batch-4 build", name,
                     r->ops[i].name);
    fast_graph_destroy(r);
    fast_graph_destroy(g4);
    fast_graph_destroy(g1);
}

static void format_batch_4_should_give_4x_macs_for_a_cnn(void **state)
{
    (void)state;
    check_batch_4("resnet50");
    check_batch_4("efficientnet-b0");
}

static void format_batch_4_should_give_4x_macs_for_bert_base_seq128(void **state)
{
    (void)state;
    /* The head-splitting reshapes of BERT are written with batch -1. */
    fast_graph *g = build("bert-base-seq128", 1);
    char *text = to_text(g);
    assert_non_null(strstr(text, "-1, 128, 12, 64"));
    cJSON_free(text);
    fast_graph_destroy(g);
    check_batch_4("bert-base-seq128");
}

static void format_should_sort_ops_listed_out_of_order(void **state)
{
    (void)state;
    static const char text[] = "{\"format_version\": 1, \"name\": \"unordered\",\n"
                               " \"inputs\": [{\"name\": \"x\", \"shape\": [1, 8, 8, 4]}],\n"
                               " \"ops\": [\n"
                               "  {\"name\": \"sum\", \"type\": \"add\", \"inputs\": [\"act\", "
                               "\"x\"]},\n"
                               "  {\"name\": \"act\", \"type\": \"relu\", \"inputs\": "
                               "[\"bn\"]},\n"
                               "  {\"name\": \"bn\", \"type\": \"batchnorm\", \"inputs\": "
                               "[\"conv\"]},\n"
                               "  {\"name\": \"conv\", \"type\": \"conv2d\", \"inputs\": "
                               "[\"x\"], \"cout\": 4, \"kernel\": [3, 3], \"padding\": "
                               "\"same\"}\n"
                               " ]}\n";
    fast_graph *g = parse(text, 0);
    assert_int_equal(g->n_ops, 4);
    assert_string_equal(g->ops[0].name, "conv");
    assert_string_equal(g->ops[1].name, "bn");
    assert_string_equal(g->ops[2].name, "act");
    assert_string_equal(g->ops[3].name, "sum");
    /* Every input is a graph input or the output of an earlier op. */
    for (int i = 0; i < g->n_ops; i++)
        for (int k = 0; k < g->ops[i].n_inputs; k++)
            assert_true(g->tensors[g->ops[i].inputs[k]].producer < i);
    fast_graph_destroy(g);
}

static void format_padding_same_should_give_tf_same_pads(void **state)
{
    (void)state;
    /* TensorFlow SAME: out = ceil(in / stride); total = max((out - 1) * stride + span - in,
     * 0), the smaller half first. 224, k3, s2: out 112, total 1 -> 0 before, 1 after.
     * 15, k5, s1, dilation 2 (span 9): out 15, total 8 -> 4 and 4. */
    static const char text[] =
        "{\"format_version\": 1, \"name\": \"same\",\n"
        " \"inputs\": [{\"name\": \"x\", \"shape\": [1, 224, 15, 8]}],\n"
        " \"ops\": [{\"name\": \"conv\", \"type\": \"conv2d\", \"inputs\": [\"x\"],\n"
        "  \"cout\": 16, \"kernel\": [3, 5], \"stride\": [2, 1], \"dilation\": [1, 2],\n"
        "  \"padding\": \"same\"}]}\n";
    fast_graph *g = parse(text, 0);
    const fast_conv_attrs *c = &g->ops[0].attrs.conv;
    assert_int_equal(c->pad_top, 0);
    assert_int_equal(c->pad_bottom, 1);
    assert_int_equal(c->pad_left, 4);
    assert_int_equal(c->pad_right, 4);
    const fast_shape *out = &g->tensors[g->ops[0].output].shape;
    int64_t want[4] = {1, 112, 15, 16};
    fast_shape w = fast_shape_make(4, want);
    assert_true(fast_shape_equal(out, &w));
    fast_graph_destroy(g);
}

static void format_padding_valid_should_give_zero_pads(void **state)
{
    (void)state;
    static const char text[] =
        "{\"format_version\": 1, \"name\": \"valid\",\n"
        " \"inputs\": [{\"name\": \"x\", \"shape\": [1, 10, 10, 8]}],\n"
        " \"ops\": [{\"name\": \"conv\", \"type\": \"conv2d\", \"inputs\": [\"x\"],\n"
        "  \"cout\": 16, \"kernel\": [3, 3], \"padding\": \"valid\"}]}\n";
    fast_graph *g = parse(text, 0);
    const fast_conv_attrs *c = &g->ops[0].attrs.conv;
    assert_int_equal(c->pad_top + c->pad_bottom + c->pad_left + c->pad_right, 0);
    assert_int_equal(g->tensors[g->ops[0].output].shape.d[1], 8);
    fast_graph_destroy(g);
}

static void inline_gemm_should_count_m_times_k_times_n_macs(void **state)
{
    (void)state;
    fast_graph *g = inline_layer("gemm:128,256,64");
    assert_int_equal(g->n_ops, 1);
    assert_int_equal(fast_graph_macs(g), 2097152);
    assert_int_equal(fast_graph_macs(g), INT64_C(128) * 256 * 64);
    assert_int_equal(fast_graph_params(g), INT64_C(256) * 64);
    fast_graph_destroy(g);
}

static void inline_conv_macs_should_follow_the_formula(void **state)
{
    (void)state;
    /* H, W divisible by the stride, so with SAME padding Ho = H / stride and
     * MACs = H * W * Cout * K * K * Cin / groups / stride^2. */
    static const struct {
        const char *spec;
        int64_t h, w, cin, cout, k, stride, groups;
    } cases[] = {
        {"conv:56,56,32,64,3,2,4", 56, 56, 32, 64, 3, 2, 4},
        {"conv:28,28,64,128,1,1", 28, 28, 64, 128, 1, 1, 1},
        {"conv:32,16,8,8,5,4,8", 32, 16, 8, 8, 5, 4, 8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fast_graph *g = inline_layer(cases[i].spec);
        int64_t s = cases[i].stride;
        int64_t want = cases[i].h * cases[i].w * cases[i].cout * cases[i].k * cases[i].k *
                       cases[i].cin / cases[i].groups / (s * s);
        if (fast_graph_macs(g) != want)
            fail_msg("%s: %lld MACs, expected %lld", cases[i].spec,
                     (long long)fast_graph_macs(g), (long long)want);
        const fast_shape *out = &g->tensors[g->ops[0].output].shape;
        assert_int_equal(out->d[1], cases[i].h / s);
        assert_int_equal(out->d[2], cases[i].w / s);
        assert_int_equal(out->d[3], cases[i].cout);
        fast_graph_destroy(g);
    }
}

static void fuse_should_fold_every_batchnorm_after_a_conv_in_efficientnet_b0(void **state)
{
    (void)state;
    fast_graph *g = build("efficientnet-b0", 1);
    int n_bn = 0;
    for (int i = 0; i < g->n_ops; i++)
        assert_int_equal(g->ops[i].fused_into, -1);
    int fused = fast_graph_fuse(g);
    assert_true(fused > 0);
    for (int i = 0; i < g->n_ops; i++) {
        const fast_op *op = &g->ops[i];
        int p = g->tensors[op->inputs[0]].producer;
        if (op->type != FAST_OP_BATCHNORM || p < 0 || g->ops[p].type != FAST_OP_CONV2D)
            continue;
        n_bn++;
        if (op->fused_into != p)
            fail_msg("%s: fused_into %d, expected %d (%s)", op->name, op->fused_into, p,
                     g->ops[p].name);
    }
    /* Stem, head, and per block: expand (except the first block), depthwise, project. */
    assert_int_equal(n_bn, 2 + 16 * 3 - 1);
    assert_true(fused >= n_bn);
    fast_graph_destroy(g);
}

static void fuse_should_fuse_nothing_more_on_a_second_call(void **state)
{
    (void)state;
    fast_graph *g = build("efficientnet-b0", 1);
    int first = fast_graph_fuse(g);
    assert_true(first > 0);
    int *marks = malloc((size_t)g->n_ops * sizeof *marks);
    assert_non_null(marks);
    for (int i = 0; i < g->n_ops; i++)
        marks[i] = g->ops[i].fused_into;
    assert_int_equal(fast_graph_fuse(g), 0);
    for (int i = 0; i < g->n_ops; i++)
        assert_int_equal(g->ops[i].fused_into, marks[i]);
    free(marks);
    fast_graph_destroy(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format_round_trip_should_preserve_every_zoo_model),
        cmocka_unit_test(format_batch_4_should_give_4x_macs_for_a_cnn),
        cmocka_unit_test(format_batch_4_should_give_4x_macs_for_bert_base_seq128),
        cmocka_unit_test(format_should_sort_ops_listed_out_of_order),
        cmocka_unit_test(format_padding_same_should_give_tf_same_pads),
        cmocka_unit_test(format_padding_valid_should_give_zero_pads),
        cmocka_unit_test(inline_gemm_should_count_m_times_k_times_n_macs),
        cmocka_unit_test(inline_conv_macs_should_follow_the_formula),
        cmocka_unit_test(fuse_should_fold_every_batchnorm_after_a_conv_in_efficientnet_b0),
        cmocka_unit_test(fuse_should_fuse_nothing_more_on_a_second_call),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
