/* ONNX import from bytes in memory: a model built with the protobuf-c bindings imports
 * with the right counts, and every truncation or corruption of it fails cleanly (one or
 * more diagnostics, no graph, no crash; the sanitizer build runs this too). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "onnx/onnx.pb-c.h"
#include "workloads/onnx.h"

/* A Conv (4 outputs, 3x3, pads 1) then Relu on x [1, 3, 8, 8]: packed model bytes. */
static uint8_t *conv_model(size_t *len)
{
    static int64_t wdims[4] = {4, 3, 3, 3};
    static float wdata[108];
    Onnx__TensorProto w = ONNX__TENSOR_PROTO__INIT;
    w.name = "w";
    w.n_dims = 4;
    w.dims = wdims;
    w.has_data_type = 1;
    w.data_type = 1;
    w.n_float_data = 108;
    w.float_data = wdata;
    Onnx__TensorProto *inits[] = {&w};

    static int64_t pads[4] = {1, 1, 1, 1};
    Onnx__AttributeProto pad = ONNX__ATTRIBUTE_PROTO__INIT;
    pad.name = "pads";
    pad.has_type = 1;
    pad.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS;
    pad.n_ints = 4;
    pad.ints = pads;
    Onnx__AttributeProto *attrs[] = {&pad};
    char *conv_in[] = {"x", "w"}, *conv_out[] = {"c"}, *relu_in[] = {"c"}, *relu_out[] = {"y"};
    Onnx__NodeProto conv = ONNX__NODE_PROTO__INIT, relu = ONNX__NODE_PROTO__INIT;
    conv.op_type = "Conv";
    conv.name = "conv";
    conv.n_input = 2;
    conv.input = conv_in;
    conv.n_output = 1;
    conv.output = conv_out;
    conv.n_attribute = 1;
    conv.attribute = attrs;
    relu.op_type = "Relu";
    relu.name = "relu";
    relu.n_input = 1;
    relu.input = relu_in;
    relu.n_output = 1;
    relu.output = relu_out;
    Onnx__NodeProto *nodes[] = {&conv, &relu};

    Onnx__TensorShapeProto__Dimension d[4];
    Onnx__TensorShapeProto__Dimension *dp[4];
    int64_t xdims[4] = {1, 3, 8, 8};
    for (int i = 0; i < 4; i++) {
        Onnx__TensorShapeProto__Dimension init = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__INIT;
        d[i] = init;
        d[i].value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE;
        d[i].dim_value = xdims[i];
        dp[i] = &d[i];
    }
    Onnx__TensorShapeProto shape = ONNX__TENSOR_SHAPE_PROTO__INIT;
    shape.n_dim = 4;
    shape.dim = dp;
    Onnx__TypeProto__Tensor tt = ONNX__TYPE_PROTO__TENSOR__INIT;
    tt.has_elem_type = 1;
    tt.elem_type = 1;
    tt.shape = &shape;
    Onnx__TypeProto tp = ONNX__TYPE_PROTO__INIT;
    tp.value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE;
    tp.tensor_type = &tt;
    Onnx__ValueInfoProto xin = ONNX__VALUE_INFO_PROTO__INIT, yout = ONNX__VALUE_INFO_PROTO__INIT;
    xin.name = "x";
    xin.type = &tp;
    yout.name = "y";
    Onnx__ValueInfoProto *ins[] = {&xin}, *outs[] = {&yout};

    Onnx__GraphProto g = ONNX__GRAPH_PROTO__INIT;
    g.name = "g";
    g.n_node = 2;
    g.node = nodes;
    g.n_initializer = 1;
    g.initializer = inits;
    g.n_input = 1;
    g.input = ins;
    g.n_output = 1;
    g.output = outs;
    Onnx__OperatorSetIdProto ops = ONNX__OPERATOR_SET_ID_PROTO__INIT;
    ops.domain = "";
    ops.has_version = 1;
    ops.version = 13;
    Onnx__OperatorSetIdProto *opsets[] = {&ops};
    Onnx__ModelProto m = ONNX__MODEL_PROTO__INIT;
    m.has_ir_version = 1;
    m.ir_version = 8;
    m.n_opset_import = 1;
    m.opset_import = opsets;
    m.graph = &g;
    *len = onnx__model_proto__get_packed_size(&m);
    uint8_t *buf = malloc(*len);
    assert_non_null(buf);
    onnx__model_proto__pack(&m, buf);
    return buf;
}

static void onnx_conv_model_should_import_with_its_counts(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = conv_model(&len);
    fast_diag *d = fast_diag_create();
    fast_workload_opts o = {.batch = 1};
    fast_graph *g = fast_onnx_parse(buf, len, "mem.onnx", &o, d);
    assert_non_null(g);
    assert_int_equal(fast_diag_errors(d), 0);
    assert_int_equal(g->n_ops, 2);
    assert_int_equal(fast_graph_macs(g), 8 * 8 * 4 * 27);
    assert_int_equal(fast_graph_params(g), 108);
    assert_int_equal(g->ops[0].type, FAST_OP_CONV2D);
    assert_int_equal(g->ops[1].type, FAST_OP_RELU);
    fast_graph_destroy(g);
    /* --batch 3 replaces the fixed batch of 1. */
    o.batch = 3;
    o.batch_given = 1;
    g = fast_onnx_parse(buf, len, "mem.onnx", &o, d);
    assert_non_null(g);
    assert_int_equal(fast_graph_macs(g), 3 * 8 * 8 * 4 * 27);
    fast_graph_destroy(g);
    fast_diag_destroy(d);
    free(buf);
}

static void onnx_truncated_model_should_fail_cleanly(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = conv_model(&len);
    fast_workload_opts o = {.batch = 1};
    for (size_t cut = 0; cut < len; cut++) {
        fast_diag *d = fast_diag_create();
        uint8_t *part = malloc(cut + 1);
        memcpy(part, buf, cut);
        fast_graph *g = fast_onnx_parse(part, cut, "mem.onnx", &o, d);
        /* A prefix may still be a valid message, but never a model that imports. */
        assert_null(g);
        assert_true(fast_diag_errors(d) >= 1);
        free(part);
        fast_diag_destroy(d);
    }
    free(buf);
}

static void onnx_corrupted_model_should_not_crash(void **state)
{
    (void)state;
    size_t len;
    uint8_t *buf = conv_model(&len);
    fast_workload_opts o = {.batch = 1};
    uint32_t seed = 12345;
    for (int trial = 0; trial < 2000; trial++) {
        uint8_t *copy = malloc(len);
        memcpy(copy, buf, len);
        for (int k = 0; k < 1 + trial % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            copy[(seed >> 8) % len] ^= (uint8_t)(1u << ((seed >> 4) & 7));
        }
        fast_diag *d = fast_diag_create();
        fast_graph *g = fast_onnx_parse(copy, len, "mem.onnx", &o, d);
        /* Either it still imports (a flipped weight value) or it reports why not. */
        assert_true(g != NULL || fast_diag_errors(d) >= 1);
        fast_graph_destroy(g);
        fast_diag_destroy(d);
        free(copy);
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(onnx_conv_model_should_import_with_its_counts),
        cmocka_unit_test(onnx_truncated_model_should_fail_cleanly),
        cmocka_unit_test(onnx_corrupted_model_should_not_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
