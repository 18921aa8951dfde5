#!/usr/bin/env python3
"""ONNX import, operator by operator: builds tiny models with onnx.helper, imports each with
`fast workloads show --json`, and checks the MACs, params, IR op types and output shape
against values computed here from the operators' definitions.

usage: test_ops.py FAST OUTDIR   (OUTDIR receives the generated .onnx files)
Exits 0 when every case passes, 1 otherwise; prints 'N passed, N failed'.
"""
import json
import os
import subprocess
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

F = TensorProto.FLOAT


def const(name, arr, dtype=np.float32):
    return numpy_helper.from_array(np.asarray(arr, dtype=dtype), name)


def weights(name, shape):
    return const(name, np.ones(shape))


def model(nodes, inputs, inits, opset=13, outputs=None):
    ins = [helper.make_tensor_value_info(n, F if len(s) == 0 or isinstance(s[0], int) else F, s)
           for n, s in inputs]
    last = nodes[-1].output[0]
    outs = outputs or [helper.make_tensor_value_info(last, F, None)]
    g = helper.make_graph(nodes, "g", ins, outs, initializer=inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    return m


def node(op, ins, out, **attrs):
    return helper.make_node(op, ins, [out], name=out + "_node", **attrs)


def conv_out(i, k, s=1, p0=0, p1=0, d=1):
    return (i + p0 + p1 - (d * (k - 1) + 1)) // s + 1


CASES = []


def case(name, m, macs, params, types, out_shape, args=()):
    CASES.append((name, m, macs, params, types, out_shape, list(args)))


# Conv with bias, pads, stride 2: NCHW [1,3,9,9] -> [1,4,5,5].
ho = conv_out(9, 3, 2, 1, 1)
case("conv", model([node("Conv", ["x", "w", "b"], "y", pads=[1, 1, 1, 1], strides=[2, 2])],
                   [("x", [1, 3, 9, 9])], [weights("w", [4, 3, 3, 3]), weights("b", [4])]),
     1 * 4 * ho * ho * 3 * 3 * 3, 4 * 3 * 9 + 4, {"conv2d": 1}, [1, ho, ho, 4])

# Grouped, dilated conv with SAME_UPPER padding keeps 10x10.
case("conv-group-dilation-same",
     model([node("Conv", ["x", "w"], "y", group=2, dilations=[2, 2], auto_pad="SAME_UPPER")],
           [("x", [1, 4, 10, 10])], [weights("w", [8, 2, 3, 3])]),
     1 * 8 * 10 * 10 * 2 * 9, 8 * 2 * 9, {"conv2d": 1}, [1, 10, 10, 8])

# Depthwise conv with asymmetric pads [top, left, bottom, right] = [0, 1, 2, 0], batch 2.
h, w = conv_out(7, 3, 1, 0, 2), conv_out(7, 3, 1, 1, 0)
case("conv-depthwise-pads",
     model([node("Conv", ["x", "w"], "y", group=6, pads=[0, 1, 2, 0])],
           [("x", [2, 6, 7, 7])], [weights("w", [6, 1, 3, 3])]),
     2 * 6 * h * w * 9, 6 * 9, {"conv2d": 1}, [2, h, w, 6])

# VALID padding, stride 2.
case("conv-valid", model([node("Conv", ["x", "w"], "y", auto_pad="VALID", strides=[2, 2])],
                         [("x", [1, 3, 8, 8])], [weights("w", [2, 3, 3, 3])]),
     2 * 3 * 3 * 27, 2 * 27, {"conv2d": 1}, [1, 3, 3, 2])

# ConvTranspose: every input pixel meets every weight once; 5x5 -> 10x10.
case("conv-transpose",
     model([node("ConvTranspose", ["x", "w", "b"], "y", strides=[2, 2])],
           [("x", [1, 4, 5, 5])], [weights("w", [4, 2, 2, 2]), weights("b", [2])]),
     5 * 5 * 4 * 2 * 2 * 2, 4 * 2 * 2 * 2 + 2, {"conv2d": 1, "vector": 1}, [1, 10, 10, 2])

# Gemm with transB and a bias: [2,8] x [16,8]^T.
case("gemm", model([node("Gemm", ["x", "w", "c"], "y", transB=1)], [("x", [2, 8])],
                   [weights("w", [16, 8]), weights("c", [16])]),
     2 * 16 * 8, 16 * 8 + 16, {"fc": 1}, [2, 16])

# MatMul with constant weights, then Add of a bias: one fc with a bias.
case("matmul-bias", model([node("MatMul", ["x", "w"], "mm"), node("Add", ["mm", "b"], "y")],
                          [("x", [2, 5, 8])], [weights("w", [8, 6]), weights("b", [6])]),
     2 * 5 * 6 * 8, 8 * 6 + 6, {"fc": 1}, [2, 5, 6])

# Batched MatMul of two activations (attention scores), rank 4.
case("matmul-batched", model([node("MatMul", ["a", "b"], "y")],
                             [("a", [2, 3, 4, 8]), ("b", [2, 3, 8, 5])], []),
     2 * 3 * 4 * 5 * 8, 0, {"matmul": 1}, [2, 3, 4, 5])

# Elementwise: Add/Sub of activations -> add, Mul/Div of activations -> mul; a constant
# operand makes a vector op whose params are the constant's elements.
case("eltwise",
     model([node("Add", ["x", "s"], "a1"), node("Sub", ["a1", "s"], "a2"),
            node("Mul", ["a2", "s"], "a3"), node("Div", ["a3", "s"], "a4"),
            node("Mul", ["a4", "k"], "a5"), node("Add", ["a5", "two"], "y")],
           [("x", [1, 4, 3, 3]), ("s", [1, 4, 1, 1])],
           [weights("k", [4, 1, 1]), const("two", 2.0)]),
     0, 4 + 1, {"add": 2, "mul": 2, "vector": 2}, [1, 3, 3, 4])

# Activations: Relu, Clip(0,6) = relu6, Clip(-1,1), Sigmoid, HardSigmoid, HardSwish, Tanh,
# Erf, LeakyRelu.
case("activations",
     model([node("Relu", ["x"], "r"), node("Clip", ["r", "zero", "six"], "r6"),
            node("Clip", ["r6", "m1", "p1"], "c"), node("Sigmoid", ["c"], "s"),
            node("HardSigmoid", ["s"], "hs"), node("HardSwish", ["hs"], "hw"),
            node("Tanh", ["hw"], "t"), node("Erf", ["t"], "e"),
            node("LeakyRelu", ["e"], "y")],
           [("x", [2, 16])],
           [const("zero", 0.0), const("six", 6.0), const("m1", -1.0), const("p1", 1.0)]),
     0, 0, {"relu": 1, "relu6": 1, "vector": 3, "sigmoid": 2, "swish": 1, "tanh": 1},
     [2, 16])

# GELU written out with Erf: one gelu op, no params.
case("gelu-pattern",
     model([node("Div", ["x", "sqrt2"], "d"), node("Erf", ["d"], "e"),
            node("Add", ["e", "one"], "p"), node("Mul", ["x", "p"], "m"),
            node("Mul", ["m", "half"], "y")],
           [("x", [2, 7, 16])],
           [const("sqrt2", 1.4142135), const("one", 1.0), const("half", 0.5)]),
     0, 0, {"gelu": 1}, [2, 7, 16])

# Hard-swish written out: x * Clip(x + 3, 0, 6) / 6 (opset 9: Clip bounds are attributes).
case("hardswish-pattern",
     model([node("Add", ["x", "three"], "a"), node("Clip", ["a"], "c", min=0.0, max=6.0),
            node("Mul", ["x", "c"], "m"), node("Div", ["m", "six"], "y")],
           [("x", [1, 8, 4, 4])], [const("three", 3.0), const("six", 6.0)], opset=9),
     0, 0, {"swish": 1}, [1, 4, 4, 8])

# Softmax: axis 1 of an NCHW tensor is the channel axis; axis -1 of [2,5,9].
case("softmax",
     model([node("Softmax", ["x"], "y", axis=-1)], [("x", [2, 5, 9])], []),
     0, 0, {"softmax": 1}, [2, 5, 9])

# BatchNormalization after a conv: 2 params per channel (running statistics fold).
case("batchnorm",
     model([node("Conv", ["x", "w"], "c"),
            node("BatchNormalization", ["c", "g", "b", "m", "v"], "y")],
           [("x", [1, 3, 6, 6])],
           [weights("w", [5, 3, 1, 1]), weights("g", [5]), weights("b", [5]),
            weights("m", [5]), weights("v", [5])]),
     6 * 6 * 5 * 3, 5 * 3 + 2 * 5, {"conv2d": 1, "batchnorm": 1}, [1, 6, 6, 5])

# LayerNormalization (opset 17) over the last axis.
case("layernorm", model([node("LayerNormalization", ["x", "g", "b"], "y", axis=-1)],
                        [("x", [2, 5, 8])], [weights("g", [8]), weights("b", [8])], opset=17),
     0, 16, {"layernorm": 1}, [2, 5, 8])

# LayerNorm written out: ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add.
case("layernorm-pattern",
     model([node("ReduceMean", ["x"], "mu", axes=[-1]), node("Sub", ["x", "mu"], "d"),
            node("Pow", ["d", "two"], "p"), node("ReduceMean", ["p"], "var", axes=[-1]),
            node("Add", ["var", "eps"], "ve"), node("Sqrt", ["ve"], "sd"),
            node("Div", ["d", "sd"], "n"), node("Mul", ["n", "g"], "ng"),
            node("Add", ["ng", "b"], "y")],
           [("x", [2, 5, 8])],
           [const("two", 2.0), const("eps", 1e-5), weights("g", [8]), weights("b", [8])]),
     0, 16, {"layernorm": 1}, [2, 5, 8])

# Pools: MaxPool 3x3/2 pad 1 (9 -> 5), AveragePool 2x2/2 with ceil_mode (5 -> 3),
# GlobalAveragePool.
case("pools",
     model([node("MaxPool", ["x"], "mp", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
            node("AveragePool", ["mp"], "ap", kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
            node("GlobalAveragePool", ["ap"], "y")],
           [("x", [1, 4, 9, 9])], []),
     0, 0, {"maxpool": 1, "avgpool": 1, "globalpool": 1}, [1, 1, 1, 4])

# Resize by scales (opset 13) and Upsample (opset 9).
case("resize",
     model([node("Resize", ["x", "", "sc"], "y", mode="nearest")], [("x", [1, 4, 3, 5])],
           [const("sc", [1, 1, 2, 2])]),
     0, 0, {"vector": 1}, [1, 6, 10, 4])
case("upsample",
     model([node("Upsample", ["x", "sc"], "y")], [("x", [1, 4, 3, 5])],
           [const("sc", [1, 1, 2, 3])], opset=9),
     0, 0, {"vector": 1}, [1, 6, 15, 4])

# Reshape whose target comes from a folded constant subgraph: Shape, Gather, Unsqueeze,
# Concat, Cast; then Transpose, Flatten, Squeeze, Unsqueeze and a MatMul.
case("shape-folding",
     model([node("Shape", ["x"], "sh"), node("Gather", ["sh", "i0"], "n", axis=0),
            node("Unsqueeze", ["n", "ax0"], "n1"), node("Concat", ["n1", "m1"], "tgt", axis=0),
            node("Cast", ["tgt"], "tgt64", to=TensorProto.INT64),
            node("Reshape", ["x", "tgt64"], "flat"),
            node("Unsqueeze", ["flat", "ax1"], "u"), node("Squeeze", ["u", "ax1"], "sq"),
            node("MatMul", ["sq", "w"], "y")],
           [("x", [3, 2, 4, 5])],
           [const("i0", 0, np.int64), const("ax0", [0], np.int64),
            const("m1", [-1], np.int64), const("ax1", [1], np.int64), weights("w", [40, 7])]),
     3 * 40 * 7, 40 * 7, {"fc": 1}, [3, 7])
case("transpose-flatten",
     model([node("Transpose", ["x"], "t", perm=[0, 2, 1]), node("Flatten", ["t"], "y", axis=1)],
           [("x", [2, 3, 4])], []),
     0, 0, {"transpose": 1, "reshape": 1}, [2, 12])

# Concat of two conv results along channels, Slice (opset 13 inputs), Split, Pad.
case("concat-slice-split-pad",
     model([node("Conv", ["x", "w1"], "c1"), node("Conv", ["x", "w2"], "c2"),
            node("Concat", ["c1", "c2"], "cat", axis=1),
            node("Slice", ["cat", "st", "en", "ax"], "sl"),
            helper.make_node("Split", ["sl"], ["p0", "p1"], name="split", axis=1),
            node("Pad", ["p1", "pads"], "y")],
           [("x", [1, 3, 8, 8])],
           [weights("w1", [4, 3, 1, 1]), weights("w2", [6, 3, 1, 1]),
            const("st", [1], np.int64), const("en", [9], np.int64), const("ax", [1], np.int64),
            const("pads", [0, 0, 1, 2, 0, 0, 3, 4], np.int64)]),
     8 * 8 * (4 + 6) * 3, (4 + 6) * 3, {"conv2d": 2, "concat": 1, "vector": 4},
     [1, 8 + 1 + 3, 8 + 2 + 4, 4])

# An embedding lookup: Gather of a constant table by int64 ids.
ids = [helper.make_tensor_value_info("ids", TensorProto.INT64, [2, 6])]
g = helper.make_graph([node("Gather", ["table", "ids"], "y", axis=0)], "g", ids,
                      [helper.make_tensor_value_info("y", F, None)],
                      initializer=[weights("table", [50, 8])])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
m.ir_version = 8
case("embedding", m, 0, 50 * 8, {"embedding": 1}, [2, 6, 8])

# A dynamic input dimension fixed with --input-shape.
dyn = helper.make_graph([node("Relu", ["x"], "y")], "g",
                        [helper.make_tensor_value_info("x", F, ["N", 3, "H", "W"])],
                        [helper.make_tensor_value_info("y", F, None)])
m = helper.make_model(dyn, opset_imports=[helper.make_opsetid("", 13)])
m.ir_version = 8
case("input-shape", m, 0, 0, {"relu": 1}, [2, 5, 7, 3], ["--input-shape", "x=2,3,5,7"])


def main():
    fast, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    passed = failed = 0
    for name, m, macs, params, types, shape, args in CASES:
        path = os.path.join(out, name + ".onnx")
        with open(path, "wb") as f:
            f.write(m.SerializeToString())
        r = subprocess.run([fast, "workloads", "show", path, "--json"] + args,
                           capture_output=True, text=True)
        problems = []
        if r.returncode != 0:
            problems.append("exit %d: %s" % (r.returncode, r.stderr.strip()))
        else:
            d = json.loads(r.stdout)
            got = {}
            for op in d["ops"]:
                got[op["type"]] = got.get(op["type"], 0) + 1
            got.pop("reshape", None) if "reshape" not in types else None
            if d["macs"] != macs:
                problems.append("MACs %d, expected %d" % (d["macs"], macs))
            if d["params"] != params:
                problems.append("params %d, expected %d" % (d["params"], params))
            if got != types:
                problems.append("op types %s, expected %s" % (got, types))
            if d["ops"][-1]["output"] != shape:
                problems.append("output %s, expected %s" % (d["ops"][-1]["output"], shape))
        if problems:
            failed += 1
            print("FAIL %s: %s" % (name, "; ".join(problems)))
        else:
            passed += 1
            print("ok   %s" % name)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
