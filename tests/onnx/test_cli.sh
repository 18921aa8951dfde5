#!/usr/bin/env bash
# ONNX import through the command line: import writes JSON that reads back to the same
# counts, nothing is written on error, --input-shape / --batch / --allow-unsupported, eval
# and bench on an ONNX file. usage: test_cli.sh FAST SOURCE_DIR WORKDIR
set -u
fast=$1 src=$2 work=$3
mkdir -p "$work" && cd "$work" || exit 1
py=""
for p in python3 /usr/bin/python3; do
  if "$p" -c 'import onnx' 2>/dev/null; then py=$p; break; fi
done
if [ -z "$py" ]; then
  echo "FAIL: no python3 with the onnx module (Debian python3-onnx; scripts/install-deps.sh)"
  exit 1
fi
fails=0 n=0
out=$work/out.txt err=$work/err.txt
# expect RC COMMAND...: the command exits with RC.
expect() {
  local want=$1; shift
  n=$((n + 1))
  "$@" >"$out" 2>"$err"
  local rc=$?
  if [ "$rc" != "$want" ]; then
    echo "FAIL: '$*' exited $rc, expected $want"; cat "$err"; fails=$((fails + 1))
  fi
}
# has TEXT out|err: the last output contains the fixed string.
has() {
  n=$((n + 1))
  local f=$out; [ "$2" = err ] && f=$err
  if ! grep -qF -- "$1" "$f"; then
    echo "FAIL: $2 lacks '$1':"; cat "$f"; fails=$((fails + 1))
  fi
}

# Two small models: a conv net with a dynamic batch and size, and one with TopK (not
# supported) whose output shape the file declares.
"$py" - <<'EOF' || { echo "FAIL: generating models"; exit 1; }
import numpy as np
from onnx import TensorProto, helper, numpy_helper
F = TensorProto.FLOAT
def save(path, nodes, ins, inits, vi=()):
    g = helper.make_graph(nodes, "g", ins, [helper.make_tensor_value_info(nodes[-1].output[0], F, None)],
                          initializer=inits, value_info=list(vi))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    open(path, "wb").write(m.SerializeToString())
w = numpy_helper.from_array(np.ones([8, 3, 3, 3], np.float32), "w")
save("net.onnx", [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
                  helper.make_node("Relu", ["c"], ["y"])],
     [helper.make_tensor_value_info("x", F, ["N", 3, "H", "W"])], [w])
k = numpy_helper.from_array(np.array([4], np.int64), "k")
save("topk.onnx", [helper.make_node("Relu", ["x"], ["r"]),
                   helper.make_node("TopK", ["r", "k"], ["v", "i"], name="top"),
                   helper.make_node("Sigmoid", ["v"], ["y"])],
     [helper.make_tensor_value_info("x", F, [2, 16])], [k],
     [helper.make_tensor_value_info("v", F, [2, 4]), helper.make_tensor_value_info("i", TensorProto.INT64, [2, 4])])
EOF

# show with --input-shape: 8*16*16*27 MACs, 216 params.
expect 0 "$fast" workloads show net.onnx --input-shape x=1,3,16,16
has "net: 2 ops, batch 1, 55.3K MACs (55296), 216 params (216)" out
# --batch fills the batch dimension; here it scales the MACs by 4.
expect 0 "$fast" workloads show net.onnx --input-shape x=1,3,16,16 --batch 4
has "net: 2 ops, batch 4, 221K MACs (221184), 216 params (216)" out
expect 0 "$fast" workloads show net.onnx --input-shape x=4,3,16,16
has "batch 4, 221K MACs (221184)" out
# --batch wins over the first dimension --input-shape gives.
expect 0 "$fast" workloads show net.onnx --input-shape x=4,3,16,16 --batch 2
has "batch 2, 111K MACs (110592)" out
# Dynamic dimensions left unfixed name the input and the dimension.
expect 2 "$fast" workloads show net.onnx
has "net.onnx: error[workload]: x.shape[2] = H: dynamic dimension; fix it with --input-shape x=D0,D1,..." err
has "net.onnx: error[workload]: x.shape[3] = W: dynamic dimension" err
# Bad --input-shape values.
expect 2 "$fast" workloads show net.onnx --input-shape y=1,3,16,16
has "net.onnx: error[workload]: --input-shape = y=1,3,16,16: no graph input of this name (inputs: x)" err
expect 2 "$fast" workloads show net.onnx --input-shape x=1,3,16
has "input x has 4 dimensions, not 3" err
expect 2 "$fast" workloads show net.onnx --input-shape x=1,4,16,16
has "net.onnx: error[workload]: --input-shape x = 4: dimension 1 is fixed to 3 by the model" err
expect 2 "$fast" workloads show net.onnx --input-shape x=1,3,0,16
has "dimension 2 = 0: must be an integer in 1..2^40" err
expect 2 "$fast" workloads show net.onnx --input-shape x
has "expected NAME=D0,D1,..." err
expect 2 "$fast" workloads show resnet50 --input-shape x=1,3,16,16
has "resnet50: error[workload]: --input-shape = x=1,3,16,16: only ONNX files (FILE.onnx) have named inputs to fix" err

# import writes the JSON form atomically; it reads back to the same counts.
rm -f net.json
expect 0 "$fast" workloads import net.onnx --input-shape x=1,3,16,16 --out net.json
has "net.onnx: wrote net.json (2 ops)" out
expect 0 "$fast" workloads show net.json
has "net: 2 ops, batch 1, 55.3K MACs (55296), 216 params (216)" out
expect 0 "$fast" workloads show net.json --batch 3
has "batch 3, 166K MACs (165888)" out
# Nothing is written when the import fails.
rm -f bad.json
expect 2 "$fast" workloads import net.onnx --out bad.json
n=$((n + 1)); if [ -e bad.json ]; then echo "FAIL: bad.json written on error"; fails=$((fails + 1)); fi
expect 2 "$fast" workloads import "$src/tests/onnx/bad/01-truncated.onnx" --out bad.json
n=$((n + 1)); if [ -e bad.json ]; then echo "FAIL: bad.json written on error"; fails=$((fails + 1)); fi
expect 2 "$fast" workloads import "$src/workloads/examples/tiny-block.json" --out bad.json
has "is not an ONNX file" err

# Unsupported operators: an error listing them, or vector-unit ops with a warning.
expect 2 "$fast" workloads show topk.onnx
has "topk.onnx: error[workload]: unsupported operators = TopK x1 (first top): no mapping onto the IR" err
expect 0 "$fast" workloads show topk.onnx --allow-unsupported --json
has "topk.onnx: warning[workload]: TopK: unsupported operator: 1 node (first top) imported as vector-unit operations" err
has '"type":	"unsupported"' out
expect 0 "$fast" eval --arch "$src/arch/tpu-v3.json" --workload topk.onnx --allow-unsupported
has "unsupported" out
has "warning[workload]: TopK" err
expect 0 "$fast" eval --arch "$src/arch/tpu-v3.json" --workload topk.onnx --allow-unsupported --json
has '"class":	"unsupported"' out

# eval and bench take ONNX files like any workload.
expect 0 "$fast" eval --arch "$src/arch/tpu-v3.json" --workload net.onnx --input-shape x=1,3,32,32
has "net on tpu-v3, batch 1" out
expect 0 "$fast" bench model --workload net.onnx --input-shape x=1,3,32,32 --configs 3
has "net" out

echo "$((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
