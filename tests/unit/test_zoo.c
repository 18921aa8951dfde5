/* The built-in model zoo: sizes against the published figures, batch scaling, names.
 *
 * What is counted (workloads/graph.c): MACs of conv2d, fc and matmul only (elementwise ops,
 * pooling, normalization and embedding lookups count 0); params are conv and fc weights plus
 * their biases (fc classifiers and the squeeze-and-excitation convs have biases, no other
 * conv does), 2 per channel for batchnorm and layernorm (scale and shift; running statistics
 * are folded), and vocab x width per embedding table. Squeeze-and-excitation is in the
 * EfficientNets, and the 1000-class classifier in every ImageNet model.
 *
 * Why the CNNs are not exact: the papers round to 2 or 3 significant figures and count
 * slightly different things (some include the batchnorm statistics, some leave batchnorm out,
 * some omit the classifier or squeeze-and-excitation from the FLOPS); the EfficientNet
 * figures of Tan and Le come from their TensorFlow models, whose "SAME" padding and channel
 * rounding we reproduce but whose FLOPS counting we do not know exactly. Hence the tolerances
 * below (REFERENCES.md, "Workloads"). BERT is exact: its MACs and params follow from the
 * shapes, computed here independently of the tool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/graph.h"
#include "workloads/zoo.h"

/* Builds a model at batch, which must succeed without a diagnostic. */
static fast_graph *build(const char *name, int64_t batch)
{
    fast_diag *d = fast_diag_create();
    fast_graph *g = fast_zoo_build(name, batch, d);
    if (g == NULL || d->n != 0) {
        for (size_t i = 0; i < d->n; i++) {
            char *line = fast_diag_line(d, i);
            print_error("%s: %s\n", name, line);
            free(line);
        }
        fail_msg("%s did not build at batch %lld", name, (long long)batch);
    }
    fast_diag_destroy(d);
    return g;
}

/* Asserts |got / want - 1| <= tol. */
static void assert_near(const char *what, double got, double want, double tol)
{
    double rel = got / want - 1.0;
    if (fabs(rel) > tol)
        fail_msg("%s: got %.4g, published %.4g (%+.2f%%, tolerance %.1f%%)", what, got, want,
                 100.0 * rel, 100.0 * tol);
}

static const fast_op *find_op(const fast_graph *g, const char *name)
{
    for (int i = 0; i < g->n_ops; i++)
        if (strcmp(g->ops[i].name, name) == 0)
            return &g->ops[i];
    return NULL;
}

/* Last dimension (channels) of the output of the named op; fails when there is no such op. */
static int64_t out_channels(const fast_graph *g, const char *name)
{
    const fast_op *op = find_op(g, name);
    if (op == NULL)
        fail_msg("%s: no op %s", g->name, name);
    const fast_shape *s = &g->tensors[op->output].shape;
    return s->d[s->rank - 1];
}

/* A published size: params and MACs at batch 1 (REFERENCES.md, "Workloads"). */
typedef struct published {
    const char *name;
    double params, macs;
} published;

static void efficientnet_should_match_published_sizes(void **state)
{
    (void)state;
    /* Tan and Le, ICML 2019, Table 2. Tolerance: 5% MACs, 3% params. */
    static const published p[] = {
        {"efficientnet-b0", 5.3e6, 0.39e9}, {"efficientnet-b1", 7.8e6, 0.70e9},
        {"efficientnet-b2", 9.2e6, 1.0e9},  {"efficientnet-b3", 12e6, 1.8e9},
        {"efficientnet-b4", 19e6, 4.2e9},   {"efficientnet-b5", 30e6, 9.9e9},
        {"efficientnet-b6", 43e6, 19e9},    {"efficientnet-b7", 66e6, 37e9},
    };
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        fast_graph *g = build(p[i].name, 1);
        char what[64];
        snprintf(what, sizeof what, "%s MACs", p[i].name);
        assert_near(what, (double)fast_graph_macs(g), p[i].macs, 0.05);
        snprintf(what, sizeof what, "%s params", p[i].name);
        assert_near(what, (double)fast_graph_params(g), p[i].params, 0.03);
        fast_graph_destroy(g);
    }
}

static void efficientnet_should_scale_channels_and_depth_like_the_reference(void **state)
{
    (void)state;
    /* Stem and head widths after round_filters, and the block count after rounding the
     * repeats up, as the reference implementation (and Keras) builds them. */
    static const struct {
        const char *name;
        int64_t stem, head;
        int blocks;
    } c[] = {
        {"efficientnet-b0", 32, 1280, 16}, {"efficientnet-b1", 32, 1280, 23},
        {"efficientnet-b2", 32, 1408, 23}, {"efficientnet-b3", 40, 1536, 26},
        {"efficientnet-b4", 48, 1792, 32}, {"efficientnet-b5", 48, 2048, 39},
        {"efficientnet-b6", 56, 2304, 45}, {"efficientnet-b7", 64, 2560, 55},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        fast_graph *g = build(c[i].name, 1);
        assert_int_equal(out_channels(g, "stem.conv"), c[i].stem);
        assert_int_equal(out_channels(g, "head.conv"), c[i].head);
        char last[64], past[64];
        snprintf(last, sizeof last, "blocks.%d.project.conv", c[i].blocks - 1);
        snprintf(past, sizeof past, "blocks.%d.project.conv", c[i].blocks);
        assert_non_null(find_op(g, last));
        assert_null(find_op(g, past));
        fast_graph_destroy(g);
    }
}

static void efficientnet_should_squeeze_to_a_quarter_of_the_block_input(void **state)
{
    (void)state;
    fast_graph *g = build("efficientnet-b0", 1);
    /* blocks.1: 16 channels in, expanded 6x to 96; squeezed to 16 / 4 = 4. */
    assert_int_equal(out_channels(g, "blocks.1.expand.conv"), 96);
    assert_int_equal(out_channels(g, "blocks.1.se.reduce"), 4);
    assert_int_equal(out_channels(g, "blocks.1.se.expand"), 96);
    const fast_op *scale = find_op(g, "blocks.1.se.scale");
    assert_non_null(scale);
    assert_int_equal(scale->type, FAST_OP_MUL);
    const fast_shape *s = &g->tensors[scale->output].shape;
    assert_int_equal(s->d[1], 56); /* stride 2 on the first repeat of stage 2 */
    /* No residual on a strided block, one on the second repeat. */
    assert_null(find_op(g, "blocks.1.add"));
    assert_non_null(find_op(g, "blocks.2.add"));
    /* Expand ratio 1: no expansion conv. */
    assert_null(find_op(g, "blocks.0.expand.conv"));
    fast_graph_destroy(g);
}

static void mobilenet_v2_should_match_published_sizes(void **state)
{
    (void)state;
    /* Sandler et al., CVPR 2018: 300 M MACs, 3.4 M params. The paper's count leaves out the
     * batchnorm scale and shift (the authors' released TF-slim model is listed at 3.47 M,
     * which is exactly our conv + fc weights), so params are compared without batchnorm;
     * with them (34,112 more) the total is 3.1% above 3.4 M. */
    fast_graph *g = build("mobilenet-v2", 1);
    int64_t bn = 0;
    for (int i = 0; i < g->n_ops; i++)
        if (g->ops[i].type == FAST_OP_BATCHNORM)
            bn += g->ops[i].params;
    assert_near("mobilenet-v2 MACs", (double)fast_graph_macs(g), 300e6, 0.05);
    assert_near("mobilenet-v2 params without batchnorm", (double)(fast_graph_params(g) - bn),
                3.4e6, 0.03);
    fast_graph_destroy(g);
}

static void resnet50_should_match_published_sizes(void **state)
{
    (void)state;
    /* torchvision model card, He et al. 2016: 25.56 M params, 4.09 G MACs; within 2%. v2
     * (pre-activation) has the same convs and moves the batchnorms, so the same figures hold
     * for it. */
    static const char *const names[] = {"resnet50", "resnet50-v2"};
    for (size_t i = 0; i < 2; i++) {
        fast_graph *g = build(names[i], 1);
        char what[64];
        snprintf(what, sizeof what, "%s MACs", names[i]);
        assert_near(what, (double)fast_graph_macs(g), 4.09e9, 0.02);
        snprintf(what, sizeof what, "%s params", names[i]);
        assert_near(what, (double)fast_graph_params(g), 25.56e6, 0.02);
        fast_graph_destroy(g);
    }
}

/* An encoder's shape: layers, hidden, heads, feed-forward width, sequence, and the
 * embedding tables (0 when the input is an activation). */
typedef struct encoder_shape {
    const char *name;
    int64_t l, h, a, ffn, s, vocab, positions, types;
} encoder_shape;

/* BERT (Devlin et al. 2019): base L=12, H=768, A=12, FFN 3072; large L=24, H=1024, A=16,
 * FFN 4096; vocab 30522, 512 positions, 2 token types. */
static const encoder_shape encoders[] = {
    {"bert-base-seq128", 12, 768, 12, 3072, 128, 30522, 512, 2},
    {"bert-base-seq384", 12, 768, 12, 3072, 384, 30522, 512, 2},
    {"bert-base-seq512", 12, 768, 12, 3072, 512, 30522, 512, 2},
    {"bert-large-seq128", 24, 1024, 16, 4096, 128, 30522, 512, 2},
    {"bert-large-seq384", 24, 1024, 16, 4096, 384, 30522, 512, 2},
    {"bert-large-seq512", 24, 1024, 16, 4096, 512, 30522, 512, 2},
    {"tiny-transformer", 1, 64, 2, 128, 16, 0, 0, 0},
};

/* MACs per sequence: per layer, Q, K, V and output projections 4*S*H^2; the feed-forward
 * pair 2*S*H*FFN; scores Q.K^T and context P.V, each A*S*S*(H/A) = S^2*H. */
static int64_t encoder_macs(const encoder_shape *e)
{
    return e->l * (4 * e->s * e->h * e->h + 2 * e->s * e->h * e->ffn + 2 * e->s * e->s * e->h);
}

/* Params: embedding tables and their layernorm; per layer four H x H projections with
 * bias, the feed-forward pair with biases, two layernorms. No pooler or classifier. */
static int64_t encoder_params(const encoder_shape *e)
{
    int64_t h = e->h, f = e->ffn;
    int64_t embed = e->vocab ? (e->vocab + e->positions + e->types) * h + 2 * h : 0;
    int64_t layer = 4 * (h * h + h) + (h * f + f) + (f * h + h) + 2 * (2 * h);
    return embed + e->l * layer;
}

static void bert_should_count_exactly_from_shapes(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof encoders / sizeof encoders[0]; i++) {
        fast_graph *g = build(encoders[i].name, 1);
        if (fast_graph_macs(g) != encoder_macs(&encoders[i]) ||
            fast_graph_params(g) != encoder_params(&encoders[i]))
            fail_msg("%s: MACs %lld (want %lld), params %lld (want %lld)", encoders[i].name,
                     (long long)fast_graph_macs(g), (long long)encoder_macs(&encoders[i]),
                     (long long)fast_graph_params(g), (long long)encoder_params(&encoders[i]));
        fast_graph_destroy(g);
    }
}

static void bert_params_should_be_near_published(void **state)
{
    (void)state;
    /* Devlin et al. 2019: 110 M and 340 M. Ours leave out the pooler (H x H + H) and the
     * pre-training heads, so they are 1-2% lower; within 3%. */
    fast_graph *g = build("bert-base-seq128", 1);
    assert_near("bert-base params", (double)fast_graph_params(g), 110e6, 0.03);
    fast_graph_destroy(g);
    g = build("bert-large-seq128", 1);
    assert_near("bert-large params", (double)fast_graph_params(g), 340e6, 0.03);
    fast_graph_destroy(g);
}

static void bert_attention_should_have_per_head_scores(void **state)
{
    (void)state;
    fast_graph *g = build("bert-base-seq384", 2);
    const fast_op *op = find_op(g, "encoder.5.attention.scores");
    assert_non_null(op);
    assert_int_equal(op->type, FAST_OP_MATMUL);
    const fast_shape *s = &g->tensors[op->output].shape;
    assert_int_equal(s->rank, 4);
    int64_t want[4] = {2, 12, 384, 384};
    for (int i = 0; i < 4; i++)
        assert_int_equal(s->d[i], want[i]);
    for (int i = 0; i < g->n_tensors; i++)
        if (g->tensors[i].producer < 0)
            assert_int_equal(g->tensors[i].elem, FAST_ELEM_INT32);
    fast_graph_destroy(g);
}

static void macs_should_scale_with_batch_and_params_should_not(void **state)
{
    (void)state;
    for (int i = 0; fast_zoo_names[i]; i++) {
        fast_graph *g1 = build(fast_zoo_names[i], 1), *g4 = build(fast_zoo_names[i], 4);
        assert_int_equal(g4->batch, 4);
        if (fast_graph_macs(g4) != 4 * fast_graph_macs(g1) ||
            fast_graph_params(g4) != fast_graph_params(g1))
            fail_msg("%s: batch 4 has %lld MACs and %lld params, batch 1 %lld and %lld",
                     fast_zoo_names[i], (long long)fast_graph_macs(g4),
                     (long long)fast_graph_params(g4), (long long)fast_graph_macs(g1),
                     (long long)fast_graph_params(g1));
        fast_graph_destroy(g1);
        fast_graph_destroy(g4);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void every_model_should_build_with_unique_op_names(void **state)
{
    (void)state;
    for (int i = 0; fast_zoo_names[i]; i++) {
        const char *name = fast_zoo_names[i];
        assert_non_null(fast_zoo_describe(name));
        fast_graph *g = build(name, 1);
        assert_string_equal(g->name, name);
        assert_true(g->n_ops > 0);
        assert_true(fast_graph_macs(g) > 0);
        const char **names = malloc((size_t)g->n_ops * sizeof *names);
        assert_non_null(names);
        for (int k = 0; k < g->n_ops; k++)
            names[k] = g->ops[k].name;
        qsort(names, (size_t)g->n_ops, sizeof *names, cmp_str);
        for (int k = 1; k < g->n_ops; k++)
            if (strcmp(names[k - 1], names[k]) == 0)
                fail_msg("%s: op name %s twice", name, names[k]);
        free(names);
        fast_graph_destroy(g);
    }
}

static void every_name_should_be_listed_once(void **state)
{
    (void)state;
    int n_models = 0, n_all = 0;
    while (fast_zoo_names[n_models])
        n_models++;
    while (fast_zoo_all_names[n_all])
        n_all++;
    assert_int_equal(n_models, 19);
    assert_int_equal(n_all, n_models + 3);
    for (int i = 0; i < n_all; i++) {
        assert_non_null(fast_zoo_describe(fast_zoo_all_names[i]));
        for (int k = 0; k < i; k++)
            assert_string_not_equal(fast_zoo_all_names[i], fast_zoo_all_names[k]);
    }
}

static void aliases_should_build_their_targets(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"bert-base", "bert-base-seq128"},
        {"bert-large", "bert-large-seq128"},
        {"resnet50-v1.5", "resnet50"},
    };
    for (size_t i = 0; i < 3; i++) {
        fast_graph *a = build(pairs[i][0], 1), *t = build(pairs[i][1], 1);
        assert_int_equal(fast_graph_macs(a), fast_graph_macs(t));
        assert_int_equal(fast_graph_params(a), fast_graph_params(t));
        assert_int_equal(a->n_ops, t->n_ops);
        assert_string_equal(fast_zoo_describe(pairs[i][0]), fast_zoo_describe(pairs[i][1]));
        fast_graph_destroy(a);
        fast_graph_destroy(t);
    }
}

static void unknown_name_should_return_null_without_diagnostic(void **state)
{
    (void)state;
    fast_diag *d = fast_diag_create();
    assert_null(fast_zoo_build("efficientnet-b8", 1, d));
    assert_null(fast_zoo_build("", 1, d));
    assert_null(fast_zoo_describe("resnet-50"));
    assert_int_equal(d->n, 0);
    fast_diag_destroy(d);
}

static void bad_batch_should_fail_with_a_diagnostic(void **state)
{
    (void)state;
    static const int64_t batches[] = {0, -1, INT64_C(1) << 40, INT64_MAX};
    for (size_t i = 0; i < sizeof batches / sizeof batches[0]; i++) {
        fast_diag *d = fast_diag_create();
        assert_null(fast_zoo_build("efficientnet-b7", batches[i], d));
        assert_true(fast_diag_errors(d) > 0);
        fast_diag_destroy(d);
    }
    /* A batch whose inputs fit but whose intermediate tensors do not: the builder stops at
     * the first failing op, so exactly one diagnostic is left. */
    fast_diag *d = fast_diag_create();
    assert_null(fast_zoo_build("bert-large-seq512", INT64_C(1) << 30, d));
    assert_int_equal(fast_diag_errors(d), 1);
    fast_diag_destroy(d);
}

static void tiny_models_should_stay_tiny(void **state)
{
    (void)state;
    fast_graph *g = build("tiny-cnn", 1);
    assert_true(g->n_ops <= 16);
    assert_true(fast_graph_macs(g) < 5000000);
    assert_non_null(find_op(g, "dw.conv"));
    fast_graph_destroy(g);
    g = build("tiny-transformer", 1);
    assert_int_equal(g->tensors[0].elem, FAST_ELEM_FP32);
    assert_int_equal(g->tensors[0].shape.rank, 3);
    assert_int_equal(g->tensors[0].shape.d[1], 16);
    assert_int_equal(g->tensors[0].shape.d[2], 64);
    fast_graph_destroy(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(efficientnet_should_match_published_sizes),
        cmocka_unit_test(efficientnet_should_scale_channels_and_depth_like_the_reference),
        cmocka_unit_test(efficientnet_should_squeeze_to_a_quarter_of_the_block_input),
        cmocka_unit_test(mobilenet_v2_should_match_published_sizes),
        cmocka_unit_test(resnet50_should_match_published_sizes),
        cmocka_unit_test(bert_should_count_exactly_from_shapes),
        cmocka_unit_test(bert_params_should_be_near_published),
        cmocka_unit_test(bert_attention_should_have_per_head_scores),
        cmocka_unit_test(macs_should_scale_with_batch_and_params_should_not),
        cmocka_unit_test(every_model_should_build_with_unique_op_names),
        cmocka_unit_test(every_name_should_be_listed_once),
        cmocka_unit_test(aliases_should_build_their_targets),
        cmocka_unit_test(unknown_name_should_return_null_without_diagnostic),
        cmocka_unit_test(bad_batch_should_fail_with_a_diagnostic),
        cmocka_unit_test(tiny_models_should_stay_tiny),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
