#!/usr/bin/env python3
"""Independent count of an ONNX model's MACs and parameters, for checking `fast`.

usage: count_onnx.py MODEL.onnx NAME=D0,D1,... [NAME=...]

Shapes come from onnx.shape_inference; the shape subgraphs it cannot see through (Shape,
Cast, Slice, Concat, ... on constants) are evaluated here with numpy and replaced by
initializers until nothing changes. Prints one JSON object:
  macs           Conv, ConvTranspose (per input pixel), MatMul and Gemm multiply-accumulates
  params_raw     elements of floating-point constants read by computing nodes, except the
                 running mean and variance of BatchNormalization and inputs that only
                 configure an operator (Clip bounds, Resize scales, Pad values)
  params_scalars how many of those are single-element constants (exporters' epsilons,
                 exponents, the 3 and 6 of hard-swish, but also learned scalars)
"""
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper, shape_inference

FOLD = {"Shape", "Cast", "Slice", "Concat", "Gather", "Unsqueeze", "Squeeze", "Reshape",
        "Add", "Sub", "Mul", "Div", "Identity", "ConstantOfShape", "Range", "Constant"}


def dims_of(vi):
    t = vi.type.tensor_type
    if not t.HasField("shape"):
        return None
    out = []
    for d in t.shape.dim:
        if not d.HasField("dim_value") or d.dim_value <= 0:
            return None
        out.append(d.dim_value)
    return out


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def fold_once(model):
    """Evaluates one foldable node whose inputs are known; returns True when it did."""
    g = model.graph
    inferred = shape_inference.infer_shapes(model)
    shapes = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input):
        d = dims_of(vi)
        if d is not None:
            shapes[vi.name] = d
    consts = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    for n in g.node:
        if n.op_type == "Constant":
            consts[n.output[0]] = numpy_helper.to_array(attr(n, "value"))
    for i, n in enumerate(g.node):
        if n.op_type not in FOLD or n.op_type == "Constant":
            continue
        ins = [x for x in n.input if x]
        if n.op_type == "Shape":
            if ins[0] not in shapes:
                continue
            val = np.array(shapes[ins[0]], dtype=np.int64)
        elif all(x in consts for x in ins):
            a = [consts[x] for x in ins]
            op = n.op_type
            if op == "Cast":
                val = a[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[attr(n, "to")])
            elif op == "Identity":
                val = a[0]
            elif op == "Concat":
                val = np.concatenate(a, axis=attr(n, "axis"))
            elif op == "Gather":
                val = np.take(a[0], a[1], axis=attr(n, "axis", 0))
            elif op == "Unsqueeze":
                axes = attr(n, "axes") if attr(n, "axes") is not None else list(a[1])
                val = a[0]
                for ax in sorted(int(x) % (val.ndim + len(axes)) for x in axes):
                    val = np.expand_dims(val, ax)
            elif op == "Squeeze":
                axes = attr(n, "axes") if attr(n, "axes") is not None else (
                    list(a[1]) if len(a) > 1 else None)
                val = np.squeeze(a[0], axis=tuple(int(x) for x in axes) if axes else None)
            elif op == "Slice":
                if attr(n, "starts") is not None:
                    st, en, ax = attr(n, "starts"), attr(n, "ends"), attr(n, "axes")
                    sp = [1] * len(st)
                else:
                    st, en = list(a[1]), list(a[2])
                    ax = list(a[3]) if len(a) > 3 else None
                    sp = list(a[4]) if len(a) > 4 else [1] * len(st)
                ax = ax if ax is not None else list(range(len(st)))
                sl = [slice(None)] * a[0].ndim
                for s, e, x, p in zip(st, en, ax, sp):
                    sl[int(x)] = slice(int(s), int(e), int(p))
                val = a[0][tuple(sl)]
            elif op == "Reshape":
                shape = [int(s) if s != 0 else a[0].shape[j] for j, s in enumerate(a[1])]
                val = a[0].reshape(shape)
            elif op in ("Add", "Sub", "Mul", "Div"):
                f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
                     "Div": np.divide}[op]
                val = f(a[0], a[1])
                if op == "Div" and np.issubdtype(a[0].dtype, np.integer):
                    val = (a[0] // a[1]).astype(a[0].dtype)
            elif op == "ConstantOfShape":
                v = attr(n, "value")
                fill = numpy_helper.to_array(v).flatten()[0] if v is not None else np.float32(0)
                val = np.full([int(x) for x in a[0]], fill)
            elif op == "Range":
                val = np.arange(a[0], a[1], a[2])
            else:
                continue
        else:
            continue
        g.initializer.append(numpy_helper.from_array(np.asarray(val), n.output[0]))
        del g.node[i]
        return True
    return False


def main():
    model = onnx.load(sys.argv[1])
    g = model.graph
    fixed = dict(a.split("=", 1) for a in sys.argv[2:])
    for inp in g.input:
        if inp.name in fixed:
            dims = [int(x) for x in fixed[inp.name].split(",")]
            for d, v in zip(inp.type.tensor_type.shape.dim, dims):
                d.ClearField("dim_param")
                d.dim_value = v
    # Constant nodes become initializers, so that folding sees them.
    keep = []
    for n in g.node:
        if n.op_type == "Constant" and attr(n, "value") is not None:
            g.initializer.append(numpy_helper.from_array(
                numpy_helper.to_array(attr(n, "value")), n.output[0]))
        else:
            keep.append(n)
    del g.node[:]
    g.node.extend(keep)
    while fold_once(model):
        pass
    inferred = shape_inference.infer_shapes(model)
    shapes = {t.name: list(t.dims) for t in inferred.graph.initializer}
    for vi in (list(inferred.graph.value_info) + list(inferred.graph.input) +
               list(inferred.graph.output)):
        d = dims_of(vi)
        if d is not None:
            shapes[vi.name] = d
    floats = {t.name: int(np.prod(t.dims)) for t in inferred.graph.initializer
              if t.data_type in (1, 10, 11, 16)}
    macs = params = scalars = 0
    for n in inferred.graph.node:
        op = n.op_type
        if op == "Conv":
            w, y = shapes[n.input[1]], shapes[n.output[0]]
            macs += int(np.prod(y)) * w[1] * w[2] * w[3]
        elif op == "ConvTranspose":
            x, w = shapes[n.input[0]], shapes[n.input[1]]
            macs += int(np.prod(x)) * w[1] * w[2] * w[3]
        elif op == "MatMul":
            a, y = shapes[n.input[0]], shapes[n.output[0]]
            macs += int(np.prod(y)) * a[-1]
        elif op == "Gemm":
            a, y = shapes[n.input[0]], shapes[n.output[0]]
            macs += int(np.prod(y)) * a[0 if attr(n, "transA", 0) else 1]
        skip = set()
        if op == "BatchNormalization":
            skip = {3, 4}
        elif op in ("Clip", "Resize", "Upsample", "Pad", "Reshape", "Slice"):
            skip = set(range(1, len(n.input)))
        for j, name in enumerate(n.input):
            if j in skip or name not in floats:
                continue
            params += floats[name]
            scalars += floats[name] == 1
    print(json.dumps({"macs": macs, "params_raw": params, "params_scalars": scalars}))


if __name__ == "__main__":
    main()
