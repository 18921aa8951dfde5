#!/usr/bin/env python3
"""Writes the malformed ONNX files of tests/onnx/bad/ (checked in beside this script, each
with the exact stderr `fast workloads show CASE.onnx` must print). Rerun it after changing
a case: python3 make_bad.py (from this directory)."""
import numpy as np
from onnx import TensorProto, helper, numpy_helper

F = TensorProto.FLOAT


def model(nodes, inputs, inits, opset=13, ir=8, outputs=None, value_info=()):
    ins = [helper.make_tensor_value_info(n, F, s) for n, s in inputs]
    outs = outputs or [helper.make_tensor_value_info(nodes[-1].output[0], F, None)]
    g = helper.make_graph(nodes, "g", ins, outs, initializer=inits, value_info=list(value_info))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = ir
    return m


def w(name, shape):
    return numpy_helper.from_array(np.ones(shape, dtype=np.float32), name)


def n(op, ins, out, **a):
    return helper.make_node(op, ins, [out], name=out + "_node", **a)


def save(name, data):
    with open(name, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.SerializeToString())


good = model([n("Conv", ["x", "w"], "y")], [("x", [1, 3, 8, 8])], [w("w", [4, 3, 3, 3])])
save("01-truncated.onnx", good.SerializeToString()[:150])
save("02-not-onnx.onnx", b"\x08\x07\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff this is no model\n")
save("03-empty.onnx", b"")
m = model([n("Relu", ["x"], "y")], [("x", [1, 4])], [])
m.opset_import[0].version = 0
save("04-opset-zero.onnx", m)
m = model([n("Relu", ["x"], "y")], [("x", [1, 4])], [])
m.opset_import[0].domain = "com.example"
save("05-no-default-opset.onnx", m)
save("06-missing-initializer.onnx",
     model([n("Conv", ["x", "w"], "y")], [("x", [1, 3, 8, 8])], []))
save("07-cycle.onnx",
     model([n("Add", ["x", "b"], "a"), n("Relu", ["a"], "b")], [("x", [1, 4])], []))
save("08-matmul-k.onnx",
     model([n("MatMul", ["x", "w"], "y")], [("x", [2, 8])], [w("w", [9, 4])]))
save("09-conv-channels.onnx",
     model([n("Conv", ["x", "w"], "y")], [("x", [1, 3, 8, 8])], [w("w", [4, 4, 3, 3])]))
save("10-unsupported.onnx",
     model([n("Relu", ["x"], "r"), n("TopK", ["r", "k"], "t1"), n("TopK", ["t1", "k"], "t2"),
            n("NonMaxSuppression", ["t2"], "y")],
           [("x", [1, 8])], [numpy_helper.from_array(np.array([2], dtype=np.int64), "k")]))
save("11-dynamic-dims.onnx",
     model([n("Relu", ["x"], "y")], [("x", ["N", 3, "height", None])], []))
bad = w("w", [4, 3, 3, 3])
bad.raw_data = bad.raw_data[:100]
save("12-raw-data-size.onnx", model([n("Conv", ["x", "w"], "y")], [("x", [1, 3, 8, 8])], [bad]))
save("13-reshape-count.onnx",
     model([n("Reshape", ["x", "s"], "y")], [("x", [2, 6])],
           [numpy_helper.from_array(np.array([5, 3], dtype=np.int64), "s")]))
save("14-duplicate-output.onnx",
     model([n("Relu", ["x"], "y"), n("Sigmoid", ["x"], "y")], [("x", [2, 6])], []))
save("15-ir-version.onnx", model([n("Relu", ["x"], "y")], [("x", [1, 4])], [], ir=99))
save("16-concat-shapes.onnx",
     model([n("Concat", ["x", "z"], "y", axis=1)], [("x", [2, 6]), ("z", [3, 6])], []))
save("17-opset-too-new.onnx", model([n("Relu", ["x"], "y")], [("x", [1, 4])], [], opset=99))
save("18-no-nodes.onnx", helper.make_model(helper.make_graph([], "g", [], []),
                                           opset_imports=[helper.make_opsetid("", 13)]))
