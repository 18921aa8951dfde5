#!/usr/bin/env bash
# Synthesis tests (label "synth"; they run Yosys). usage: run.sh CASE FAST SOURCE_DIR
#   liberty   a hand-written adder: fast's area is the sum of its mapped cells' liberty
#             areas, and equals what Yosys's own `stat -liberty` reports
#   small     `fast synth --arch arch/small.json --json`: every field, the model within
#             10%, two SRAM macros as black boxes, nothing left in the temporary directory
#   heldout   `fast calibrate --check`: the model within 10% of Yosys on every held-out
#             configuration
#   noyosys   without yosys on PATH, fast synth and fast calibrate exit 3 naming the package
set -u
case_=$1 fast=$2 src=$3
cd "$src" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

case $case_ in
liberty)
  TMPDIR=$tmp "$fast" synth --verilog tests/synth/adder.v --top fast_test_add8 --json \
    >"$tmp/out.json" || fail "fast synth --verilog exited $?"
  [ -z "$(ls "$tmp")" ] || [ "$(ls "$tmp")" = out.json ] || fail "left behind: $(ls "$tmp")"
  # Yosys on its own: the same script, then its own per-cell report and chip area.
  sed -e "s#@READ@#read_verilog -sv $src/tests/synth/adder.v#" -e "s#@TOP@#fast_test_add8#g" \
      -e "s#@LIB@#$src/synth/nangate45_area.lib#g" synth/area.ys >"$tmp/a.ys"
  echo "tee -o $tmp/stat.txt stat -liberty $src/synth/nangate45_area.lib" >>"$tmp/a.ys"
  (cd "$tmp" && yosys -q a.ys >/dev/null 2>&1) || fail "yosys on the adder"
  python3 - "$tmp/out.json" "$tmp/stat.txt" synth/nangate45_area.lib <<'PY' || exit 1
import json, re, sys
out = json.load(open(sys.argv[1]))
stat = open(sys.argv[2]).read()
lib = open(sys.argv[3]).read()
area = {m.group(1): float(m.group(2))
        for m in re.finditer(r'cell \((\w+)\) \{\s*area : ([0-9.]+);', lib)}
cells = {m.group(1): int(m.group(2))
         for m in re.finditer(r'^\s+(\w+_X1)\s+(\d+)\s*$', stat, re.M)}
total = sum(n * area[c] for c, n in cells.items())
chip = float(re.search(r'Chip area for module .*: ([0-9.]+)', stat).group(1))
assert cells, "no mapped cells in the Yosys report"
assert cells.get("DFF_X1") == 9, f"9 result flip-flops expected, got {cells.get('DFF_X1')}"
assert out["flops"] == 9 and out["cells"] == sum(cells.values()), (out, cells)
assert abs(total - chip) < 1e-6, f"sum of cells {total} != Yosys chip area {chip}"
assert abs(out["area_um2_yosys"] - total) < 1e-6, f"fast {out['area_um2_yosys']} != {total}"
# An 8-bit adder needs at least 8 XOR-class cells for its sum bits.
assert cells.get("XOR2_X1", 0) + cells.get("XNOR2_X1", 0) >= 8, cells
assert out["transistors"] > 9 * 16, out
print(f"adder: {sum(cells.values())} cells, {total:.3f} um2, fast {out['area_um2_yosys']:.3f}")
PY
  ;;
small)
  TMPDIR=$tmp "$fast" synth --arch arch/small.json --json >"$tmp/out.json" \
    || fail "fast synth exited $?"
  [ "$(ls "$tmp")" = out.json ] || fail "left behind in TMPDIR: $(ls "$tmp")"
  python3 - "$tmp/out.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps(d))
for k in ("cells", "flops", "transistors", "area_mm2_yosys", "area_mm2_transistors",
          "area_mm2_model"):
    assert d[k] > 0, k
assert d["arch"] == "small" and d["yosys"].startswith("Yosys"), d
assert d["sram_macros"] == 2, "arch/small.json: one array, two accumulator banks"
assert abs(d["error"]) <= 0.10, f"model error {d['error']:+.3f} above 10%"
assert abs(d["error"] - (d["area_mm2_model"] - d["area_mm2_yosys"]) / d["area_mm2_yosys"]) < 1e-9
# 64 PEs with at least 48 flip-flops each (two 8-bit weights, a 32-bit sum).
assert d["flops"] >= 64 * 48, d["flops"]
PY
  ;;
heldout)
  "$fast" calibrate --check || fail "held-out check exited $?"
  ;;
noyosys)
  env PATH=/nonexistent "$fast" synth --arch arch/small.json >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ $rc = 3 ] || fail "fast synth without yosys exited $rc, expected 3"
  [ "$(wc -l <"$tmp/err")" = 1 ] || fail "expected one error line: $(cat "$tmp/err")"
  grep -qF "error[tool]: yosys: not found; install the Debian package yosys" "$tmp/err" \
    || fail "unexpected message: $(cat "$tmp/err")"
  env PATH=/nonexistent "$fast" calibrate --check >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ $rc = 3 ] || fail "fast calibrate without yosys exited $rc, expected 3"
  ;;
*) fail "unknown case $case_" ;;
esac
echo "ok: $case_"
