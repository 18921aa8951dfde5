/* The built-in model zoo: parameterized builders for each family of models. */
#include "workloads/zoo.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "workloads/builder.h"

#define KIND "workload"
#define NONE FAST_OP_COUNT /* no activation after a conv + batchnorm */

/* ---- shared pieces ----------------------------------------------------------------------- */

/* Image input [N, res, res, 3] in fp32, named "input". */
static int image_input(fast_builder *b, int64_t res)
{
    int64_t dims[4] = {b->g->batch, res, res, 3};
    return fast_b_input(b, "input", 4, dims, FAST_ELEM_FP32);
}

/* Global average pool, flatten to [N, C], fully connected to classes with bias. */
static int classifier(fast_builder *b, int x, int64_t classes)
{
    fast_b_scope(b, "classifier");
    x = fast_b_globalpool(b, "pool", x);
    int64_t dims[2] = {b->g->batch, fast_b_dim(b, x, -1)};
    x = fast_b_reshape(b, "flatten", x, 2, dims);
    return fast_b_fc(b, "fc", x, classes, 1);
}

/* An inverted residual block (MBConv) in the current scope, from cin to cout channels:
 * expand 1x1 conv (none when expand is 1), depthwise k x k conv with the stride, optional
 * squeeze-and-excitation to max(1, cin / 4) channels (ratio 0.25 of the block's input
 * channels, as in the EfficientNet reference), project 1x1 conv, and a residual add when the
 * stride is 1 and cin == cout. Every conv is followed by batchnorm; act after all but the
 * projection. */
static int inverted_residual(fast_builder *b, int x, int64_t cin, int64_t cout, int64_t expand,
                             int64_t k, int64_t stride, fast_op_type act, int se)
{
    int64_t mid = cin * expand;
    int y = x;
    if (expand != 1)
        y = fast_b_conv_bn(b, "expand", y, mid, 1, 1, act);
    y = fast_b_dwconv_bn(b, "dw", y, k, stride, act);
    if (se) {
        int64_t squeezed = cin / 4 > 1 ? cin / 4 : 1;
        int s = fast_b_globalpool(b, "se.pool", y);
        s = fast_b_conv2d(b, "se.reduce", s, squeezed, 1, 1, 1, 1);
        s = fast_b_act(b, "se.swish", FAST_OP_SWISH, s);
        s = fast_b_conv2d(b, "se.expand", s, mid, 1, 1, 1, 1);
        s = fast_b_act(b, "se.sigmoid", FAST_OP_SIGMOID, s);
        y = fast_b_mul(b, "se.scale", y, s); /* [N,H,W,C] * [N,1,1,C] */
    }
    y = fast_b_conv_bn(b, "project", y, cout, 1, 1, NONE);
    if (stride == 1 && cin == cout)
        y = fast_b_add(b, "add", y, x);
    return y;
}

/* ---- EfficientNet ------------------------------------------------------------------------- */

/* One MBConv stage of EfficientNet-B0 (Tan and Le, ICML 2019, Table 1). */
typedef struct mbconv_stage {
    int64_t expand, kernel, stride, channels, repeats;
} mbconv_stage;

static const mbconv_stage effnet_b0[] = {
    {1, 3, 1, 16, 1},  {6, 3, 2, 24, 2},  {6, 5, 2, 40, 2},  {6, 3, 2, 80, 3},
    {6, 5, 1, 112, 3}, {6, 5, 2, 192, 4}, {6, 3, 1, 320, 1},
};

/* Compound scaling of one EfficientNet (Tan and Le 2019): width and depth multipliers and
 * input resolution in pixels. */
typedef struct effnet_cfg {
    double width, depth;
    int64_t res;
} effnet_cfg;

static const effnet_cfg effnet_cfgs[8] = {
    {1.0, 1.0, 224}, {1.0, 1.1, 240}, {1.1, 1.2, 260}, {1.2, 1.4, 300},
    {1.4, 1.8, 380}, {1.6, 2.2, 456}, {1.8, 2.6, 528}, {2.0, 3.1, 600},
};

/* Channels scaled by width, as the reference implementation rounds them: to the nearest
 * multiple of 8 (at least 8), plus 8 when rounding lost more than 10%. The arithmetic is in
 * double in the same order as the reference's Python, so the results are identical. */
static int64_t round_filters(int64_t c, double width)
{
    double f = (double)c * width;
    int64_t r = (int64_t)(f + 4.0) / 8 * 8;
    if (r < 8)
        r = 8;
    if ((double)r < 0.9 * f)
        r += 8;
    return r;
}

static int64_t round_repeats(int64_t r, double depth)
{
    return (int64_t)ceil(depth * (double)r);
}

static void build_efficientnet(fast_builder *b, const void *cfg)
{
    const effnet_cfg *c = cfg;
    int x = image_input(b, c->res);
    int64_t cin = round_filters(32, c->width);
    fast_b_scope(b, "stem");
    x = fast_b_conv_bn(b, "", x, cin, 3, 2, FAST_OP_SWISH);
    int block = 0;
    for (size_t s = 0; s < sizeof effnet_b0 / sizeof effnet_b0[0]; s++) {
        const mbconv_stage *st = &effnet_b0[s];
        int64_t cout = round_filters(st->channels, c->width);
        int64_t reps = round_repeats(st->repeats, c->depth);
        for (int64_t i = 0; i < reps; i++) {
            fast_b_scope(b, "blocks.%d", block++);
            x = inverted_residual(b, x, cin, cout, st->expand, st->kernel,
                                  i == 0 ? st->stride : 1, FAST_OP_SWISH, 1);
            cin = cout;
        }
    }
    fast_b_scope(b, "head");
    x = fast_b_conv_bn(b, "", x, round_filters(1280, c->width), 1, 1, FAST_OP_SWISH);
    classifier(b, x, 1000);
}

/* ---- MobileNetV2 -------------------------------------------------------------------------- */

/* Inverted residual stages of MobileNetV2 at width 1.0 (Sandler et al., CVPR 2018, Table 2):
 * expansion t, output channels c, repeats n, stride s of the first repeat. */
static const mbconv_stage mobilenet_v2_stages[] = {
    {1, 3, 1, 16, 1},  {6, 3, 2, 24, 2},  {6, 3, 2, 32, 3},  {6, 3, 2, 64, 4},
    {6, 3, 1, 96, 3},  {6, 3, 2, 160, 3}, {6, 3, 1, 320, 1},
};

static void build_mobilenet_v2(fast_builder *b, const void *cfg)
{
    (void)cfg;
    int x = image_input(b, 224);
    int64_t cin = 32;
    fast_b_scope(b, "stem");
    x = fast_b_conv_bn(b, "", x, cin, 3, 2, FAST_OP_RELU6);
    int block = 0;
    for (size_t s = 0; s < sizeof mobilenet_v2_stages / sizeof mobilenet_v2_stages[0]; s++) {
        const mbconv_stage *st = &mobilenet_v2_stages[s];
        for (int64_t i = 0; i < st->repeats; i++) {
            fast_b_scope(b, "blocks.%d", block++);
            x = inverted_residual(b, x, cin, st->channels, st->expand, st->kernel,
                                  i == 0 ? st->stride : 1, FAST_OP_RELU6, 0);
            cin = st->channels;
        }
    }
    fast_b_scope(b, "head");
    x = fast_b_conv_bn(b, "", x, 1280, 1, 1, FAST_OP_RELU6);
    classifier(b, x, 1000);
}

/* ---- ResNet-50 ---------------------------------------------------------------------------- */

/* Bottleneck stages of ResNet-50 (He et al. 2016, Table 1): inner width (the block outputs
 * 4x), blocks, stride of the first block. */
static const struct {
    int64_t width, blocks, stride;
} resnet50_stages[4] = {{64, 3, 1}, {128, 4, 2}, {256, 6, 2}, {512, 3, 2}};

/* ResNet-50 v1 with the v1.5 change (torchvision): the stride is on the 3x3 conv. */
static void build_resnet50(fast_builder *b, const void *cfg)
{
    (void)cfg;
    int x = image_input(b, 224);
    fast_b_scope(b, "stem");
    x = fast_b_conv_bn(b, "", x, 64, 7, 2, FAST_OP_RELU);
    x = fast_b_maxpool(b, "pool", x, 3, 2);
    for (int s = 0; s < 4; s++) {
        int64_t w = resnet50_stages[s].width;
        for (int64_t i = 0; i < resnet50_stages[s].blocks; i++) {
            int64_t stride = i == 0 ? resnet50_stages[s].stride : 1;
            fast_b_scope(b, "layer%d.%" PRId64, s + 1, i);
            int y = fast_b_conv_bn(b, "conv1", x, w, 1, 1, FAST_OP_RELU);
            y = fast_b_conv_bn(b, "conv2", y, w, 3, stride, FAST_OP_RELU);
            y = fast_b_conv_bn(b, "conv3", y, 4 * w, 1, 1, NONE);
            int shortcut = x;
            if (i == 0)
                shortcut = fast_b_conv_bn(b, "downsample", x, 4 * w, 1, stride, NONE);
            y = fast_b_add(b, "add", y, shortcut);
            x = fast_b_act(b, "relu", FAST_OP_RELU, y);
        }
    }
    classifier(b, x, 1000);
}

/* ResNet-50 v2, pre-activation (He et al., "Identity Mappings in Deep Residual Networks",
 * 2016; the layout of the TensorFlow official model): a bare stem conv and max pool; in each
 * block batchnorm + relu before every conv, the projection shortcut (first block of a stage)
 * taken from the pre-activated input, the stride on the 3x3 conv; a final batchnorm + relu
 * before the pool. */
static void build_resnet50_v2(fast_builder *b, const void *cfg)
{
    (void)cfg;
    int x = image_input(b, 224);
    fast_b_scope(b, "stem");
    x = fast_b_conv(b, "conv", x, 64, 7, 2);
    x = fast_b_maxpool(b, "pool", x, 3, 2);
    for (int s = 0; s < 4; s++) {
        int64_t w = resnet50_stages[s].width;
        for (int64_t i = 0; i < resnet50_stages[s].blocks; i++) {
            int64_t stride = i == 0 ? resnet50_stages[s].stride : 1;
            fast_b_scope(b, "layer%d.%" PRId64, s + 1, i);
            int pre = fast_b_bn(b, "preact.bn", x);
            pre = fast_b_act(b, "preact.relu", FAST_OP_RELU, pre);
            int shortcut = x;
            if (i == 0)
                shortcut = fast_b_conv(b, "shortcut.conv", pre, 4 * w, 1, stride);
            int y = fast_b_conv_bn(b, "conv1", pre, w, 1, 1, FAST_OP_RELU);
            y = fast_b_conv_bn(b, "conv2", y, w, 3, stride, FAST_OP_RELU);
            y = fast_b_conv(b, "conv3.conv", y, 4 * w, 1, 1);
            x = fast_b_add(b, "add", y, shortcut);
        }
    }
    fast_b_scope(b, "post");
    x = fast_b_bn(b, "bn", x);
    x = fast_b_act(b, "relu", FAST_OP_RELU, x);
    classifier(b, x, 1000);
}

/* ---- Transformers ------------------------------------------------------------------------- */

/* One encoder: layers, hidden size, attention heads, feed-forward width, sequence length;
 * vocab 0 means the input is a [B, seq, hidden] activation rather than token embeddings. */
typedef struct encoder_cfg {
    int64_t layers, hidden, heads, ffn, seq;
    int64_t vocab, positions, token_types;
} encoder_cfg;

/* BERT (Devlin et al., NAACL 2019): base L=12, H=768, A=12, FFN 3072; large L=24, H=1024,
 * A=16, FFN 4096; WordPiece vocabulary 30522, 512 positions, 2 token types. */
#define BERT_BASE(s) {12, 768, 12, 3072, s, 30522, 512, 2}
#define BERT_LARGE(s) {24, 1024, 16, 4096, s, 30522, 512, 2}
static const encoder_cfg bert_cfgs[6] = {
    BERT_BASE(128), BERT_BASE(384), BERT_BASE(512),
    BERT_LARGE(128), BERT_LARGE(384), BERT_LARGE(512),
};
static const encoder_cfg tiny_transformer_cfg = {1, 64, 2, 128, 16, 0, 0, 0};

/* Splits [B, S, H] into heads: reshape to [B, S, A, dh], then transpose with perm to
 * [B, A, S, dh] (queries, values) or [B, A, dh, S] (keys). */
static int split_heads(fast_builder *b, const char *base, int x, const encoder_cfg *c,
                       const int perm[4])
{
    char name[FAST_B_NAME_MAX];
    int64_t dims[4] = {b->g->batch, c->seq, c->heads, c->hidden / c->heads};
    snprintf(name, sizeof name, "%s.split", base);
    x = fast_b_reshape(b, name, x, 4, dims);
    snprintf(name, sizeof name, "%s.heads", base);
    return fast_b_transpose(b, name, x, 4, perm);
}

/* One post-layernorm encoder layer in the current scope on x [B, S, H]. The 1/sqrt(dh)
 * scale of the scores is folded into the softmax (no op of its own). */
static int encoder_layer(fast_builder *b, int x, const encoder_cfg *c)
{
    static const int to_heads[4] = {0, 2, 1, 3};   /* [B,S,A,dh] -> [B,A,S,dh] */
    static const int to_heads_t[4] = {0, 2, 3, 1}; /* [B,S,A,dh] -> [B,A,dh,S] */
    int64_t h = c->hidden;
    int q = fast_b_fc(b, "attention.query", x, h, 1);
    int k = fast_b_fc(b, "attention.key", x, h, 1);
    int v = fast_b_fc(b, "attention.value", x, h, 1);
    q = split_heads(b, "attention.query", q, c, to_heads);
    k = split_heads(b, "attention.key", k, c, to_heads_t);
    v = split_heads(b, "attention.value", v, c, to_heads);
    int s = fast_b_matmul(b, "attention.scores", q, k, 0); /* [B, A, S, S] */
    s = fast_b_softmax(b, "attention.probs", s, -1);
    int ctx = fast_b_matmul(b, "attention.context", s, v, 0); /* [B, A, S, dh] */
    ctx = fast_b_transpose(b, "attention.context.merge", ctx, 4, to_heads);
    int64_t dims[3] = {b->g->batch, c->seq, h};
    ctx = fast_b_reshape(b, "attention.context.flatten", ctx, 3, dims);
    int y = fast_b_fc(b, "attention.output", ctx, h, 1);
    y = fast_b_add(b, "attention.residual", y, x);
    x = fast_b_layernorm(b, "attention.layernorm", y);
    y = fast_b_fc(b, "ffn.intermediate", x, c->ffn, 1);
    y = fast_b_act(b, "ffn.gelu", FAST_OP_GELU, y);
    y = fast_b_fc(b, "ffn.output", y, h, 1);
    y = fast_b_add(b, "ffn.residual", y, x);
    return fast_b_layernorm(b, "ffn.layernorm", y);
}

/* A stack of encoder layers, "encoder.0" .. "encoder.L-1", after BERT's embeddings (word +
 * position + token type, then layernorm) or on a plain activation input "x". */
static void build_encoder(fast_builder *b, const void *cfg)
{
    const encoder_cfg *c = cfg;
    int64_t dims[3] = {b->g->batch, c->seq, c->hidden};
    int x;
    if (c->vocab > 0) {
        int ids = fast_b_input(b, "input_ids", 2, dims, FAST_ELEM_INT32);
        int types = fast_b_input(b, "token_type_ids", 2, dims, FAST_ELEM_INT32);
        int pos = fast_b_input(b, "position_ids", 2, dims, FAST_ELEM_INT32);
        fast_b_scope(b, "embeddings");
        x = fast_b_embedding(b, "word", ids, c->vocab, c->hidden);
        pos = fast_b_embedding(b, "position", pos, c->positions, c->hidden);
        types = fast_b_embedding(b, "token_type", types, c->token_types, c->hidden);
        x = fast_b_add(b, "add_position", x, pos);
        x = fast_b_add(b, "add_token_type", x, types);
        x = fast_b_layernorm(b, "layernorm", x);
    } else {
        x = fast_b_input(b, "x", 3, dims, FAST_ELEM_FP32);
    }
    for (int64_t l = 0; l < c->layers; l++) {
        fast_b_scope(b, "encoder.%" PRId64, l);
        x = encoder_layer(b, x, c);
    }
}

/* ---- tiny CNN ----------------------------------------------------------------------------- */

/* 32x32x3 -> 3x3 conv to 16 -> depthwise 3x3 stride 2 -> pointwise to 32 -> 10 classes;
 * about 0.6 M MACs, small enough for exhaustive tests. */
static void build_tiny_cnn(fast_builder *b, const void *cfg)
{
    (void)cfg;
    int x = image_input(b, 32);
    x = fast_b_conv_bn(b, "stem", x, 16, 3, 1, FAST_OP_RELU);
    x = fast_b_dwconv_bn(b, "dw", x, 3, 2, FAST_OP_RELU);
    x = fast_b_conv_bn(b, "pw", x, 32, 1, 1, FAST_OP_RELU);
    classifier(b, x, 10);
}

/* ---- the table ---------------------------------------------------------------------------- */

/* A built-in model. Invariant: the order and names are those of fast_zoo_names. */
typedef struct zoo_model {
    const char *name;
    const char *desc;
    void (*build)(fast_builder *b, const void *cfg);
    const void *cfg;
} zoo_model;

#define EFFNET(i, res)                                                                     \
    {"efficientnet-b" #i, "EfficientNet-B" #i ", " #res "x" #res ", Tan and Le 2019",       \
     build_efficientnet, &effnet_cfgs[i]}
#define BERT(size, s, i, dims)                                                             \
    {"bert-" #size "-seq" #s,                                                              \
     "BERT-" #size " encoder (" dims "), sequence " #s                                      \
     ", Devlin et al. 2019; embeddings and encoder only, no pooler or classifier",         \
     build_encoder, &bert_cfgs[i]}

static const zoo_model models[] = {
    EFFNET(0, 224), EFFNET(1, 240), EFFNET(2, 260), EFFNET(3, 300),
    EFFNET(4, 380), EFFNET(5, 456), EFFNET(6, 528), EFFNET(7, 600),
    {"mobilenet-v2", "MobileNetV2, 224x224, width 1.0, Sandler et al. 2018",
     build_mobilenet_v2, NULL},
    {"resnet50", "ResNet-50 v1.5 (stride on the 3x3 conv), 224x224, He et al. 2016",
     build_resnet50, NULL},
    {"resnet50-v2", "ResNet-50 v2 (pre-activation), 224x224, He et al. 2016", build_resnet50_v2,
     NULL},
    BERT(base, 128, 0, "L=12, H=768, A=12"),
    BERT(base, 384, 1, "L=12, H=768, A=12"),
    BERT(base, 512, 2, "L=12, H=768, A=12"),
    BERT(large, 128, 3, "L=24, H=1024, A=16"),
    BERT(large, 384, 4, "L=24, H=1024, A=16"),
    BERT(large, 512, 5, "L=24, H=1024, A=16"),
    {"tiny-cnn", "A tiny CNN for tests: 32x32x3, conv, depthwise, pointwise, 10 classes",
     build_tiny_cnn, NULL},
    {"tiny-transformer",
     "A tiny transformer for tests: one encoder layer, S=16, H=64, A=2, FFN 128, on a "
     "[B,16,64] input",
     build_encoder, &tiny_transformer_cfg},
};

const char *const fast_zoo_names[] = {
    "efficientnet-b0", "efficientnet-b1", "efficientnet-b2", "efficientnet-b3",
    "efficientnet-b4", "efficientnet-b5", "efficientnet-b6", "efficientnet-b7",
    "mobilenet-v2", "resnet50", "resnet50-v2",
    "bert-base-seq128", "bert-base-seq384", "bert-base-seq512",
    "bert-large-seq128", "bert-large-seq384", "bert-large-seq512",
    "tiny-cnn", "tiny-transformer", NULL,
};

_Static_assert(sizeof models / sizeof models[0] + 1 ==
                   sizeof fast_zoo_names / sizeof fast_zoo_names[0],
               "fast_zoo_names lists every model of the table");

/* Other names of built-in models: alias, then the model it stands for. */
static const char *const aliases[][2] = {
    {"bert-base", "bert-base-seq128"},
    {"bert-large", "bert-large-seq128"},
    {"resnet50-v1.5", "resnet50"},
};

const char *const fast_zoo_all_names[] = {
    "efficientnet-b0", "efficientnet-b1", "efficientnet-b2", "efficientnet-b3",
    "efficientnet-b4", "efficientnet-b5", "efficientnet-b6", "efficientnet-b7",
    "mobilenet-v2", "resnet50", "resnet50-v2",
    "bert-base-seq128", "bert-base-seq384", "bert-base-seq512",
    "bert-large-seq128", "bert-large-seq384", "bert-large-seq512",
    "tiny-cnn", "tiny-transformer",
    "bert-base", "bert-large", "resnet50-v1.5", NULL,
};

_Static_assert(sizeof fast_zoo_all_names ==
                   sizeof fast_zoo_names + sizeof aliases / sizeof aliases[0] * sizeof(char *),
               "fast_zoo_all_names lists every model and every alias");

/* The model a name or alias stands for, or NULL. */
static const zoo_model *zoo_find(const char *name)
{
    if (name == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(name, aliases[i][0]) == 0)
            name = aliases[i][1];
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (strcmp(name, models[i].name) == 0)
            return &models[i];
    return NULL;
}

const char *fast_zoo_describe(const char *name)
{
    const zoo_model *m = zoo_find(name);
    return m ? m->desc : NULL;
}

/* Checks that the graph's totals fit in int64 (each op's count is checked as it is added;
 * their sum is checked here). Returns 0, or -1 with a diagnostic. */
static int check_totals(const fast_graph *g, fast_diag *d)
{
    int64_t macs = 0, params = 0;
    for (int i = 0; i < g->n_ops; i++) {
        const fast_op *op = &g->ops[i];
        if (op->macs > INT64_MAX - macs || op->params > INT64_MAX - params) {
            char value[32];
            snprintf(value, sizeof value, "%" PRId64, g->batch);
            fast_diag_add(d, FAST_EINPUT, NULL, KIND, "batch", value,
                          "%s: total MACs or params overflow 64 bits", g->name);
            return -1;
        }
        macs += op->macs;
        params += op->params;
    }
    return 0;
}

fast_graph *fast_zoo_build(const char *name, int64_t batch, fast_diag *d)
{
    const zoo_model *m = zoo_find(name);
    if (m == NULL)
        return NULL;
    char value[32];
    snprintf(value, sizeof value, "%" PRId64, batch);
    if (batch < 1) {
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, "batch", value, "must be at least 1");
        return NULL;
    }
    fast_graph *g = fast_graph_create(m->name, batch);
    if (g == NULL) {
        fast_diag_add(d, FAST_EINPUT, NULL, KIND, m->name, NULL, "out of memory");
        return NULL;
    }
    size_t errors = fast_diag_errors(d);
    fast_builder b;
    fast_b_init(&b, g, d);
    m->build(&b, m->cfg);
    if (fast_b_status(&b) != FAST_OK || check_totals(g, d) != 0) {
        if (fast_diag_errors(d) == errors)
            fast_diag_add(d, FAST_EINPUT, NULL, KIND, m->name, value,
                          "could not build the model at this batch");
        fast_graph_destroy(g);
        return NULL;
    }
    return g;
}
