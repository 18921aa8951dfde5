#!/usr/bin/env bash
# `fast eval` carries area, TDP and Perf/TDP (label "cli"; no Yosys).
# usage: eval_cost.sh FAST SOURCE_DIR
set -u
fast=$1 src=$2
cd "$src" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

for arch in arch/tpu-v3.json arch/small.json; do
  "$fast" eval --arch $arch --workload efficientnet-b0 --json >"$tmp/out.json" \
    || fail "eval --json on $arch exited $?"
  python3 - "$tmp/out.json" <<'PY' || fail "eval --json on $arch"
import json, math, sys
d = json.load(open(sys.argv[1]))
for k in ("area_mm2", "tdp_w", "perf_per_tdp"):
    assert isinstance(d[k], (int, float)) and math.isfinite(d[k]) and d[k] > 0, k
assert abs(d["perf_per_tdp"] - d["throughput_ips"] / d["tdp_w"]) <= 1e-9 * d["perf_per_tdp"]
PY
done
"$fast" eval --arch arch/tpu-v3.json --workload efficientnet-b0 >"$tmp/out.txt" \
  || fail "eval (human) exited $?"
for s in "area  " "TDP  " "Perf/TDP"; do
  grep -qF "$s" "$tmp/out.txt" || fail "eval output lacks '$s'"
done
# A source tree without synth/calibration.json: one error line, exit 2.
FAST_SOURCE_DIR=$tmp "$fast" eval --arch arch/small.json --workload tiny-cnn \
  >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] || fail "eval without a calibration file exited $rc, expected 2"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "expected one error line: $(cat "$tmp/err")"
grep -qF "$tmp/synth/calibration.json: error[calibration]: cannot open" "$tmp/err" \
  || fail "unexpected message: $(cat "$tmp/err")"
echo "ok"
