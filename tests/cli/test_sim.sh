#!/usr/bin/env bash
# fast sim on the command line (docs/sim.md): bad input exits 2 with one line naming it and
# prints nothing on stdout; without Verilator on PATH it exits 3; and, when Verilator is
# installed, one real run of a small GEMM on arch/small.json must be bit-exact (the harness
# is built into the build directory's cache the first time, about 20 s).
#   test_sim.sh FAST SOURCE_DIR
set -u
fast=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cd "$src" || exit 1

# expect RC WANT ARGS...: exit code RC, one line on stderr containing WANT, empty stdout
# (fast runs with the environment settings in run_env, if any).
expect() {
  local want_rc=$1 want=$2; shift 2
  env ${run_env:-} "$fast" "$@" > "$tmp/out" 2> "$tmp/err"
  local rc=$?
  [ "$rc" = "$want_rc" ] || fail "'$*' exited $rc, expected $want_rc: $(cat "$tmp/err")"
  grep -qF -- "$want" "$tmp/err" || fail "'$*' said: $(cat "$tmp/err") (expected: $want)"
  [ "$(wc -l < "$tmp/err")" = 1 ] || fail "'$*' printed more than one line: $(cat "$tmp/err")"
  [ -s "$tmp/out" ] && fail "'$*' printed on stdout: $(cat "$tmp/out")"
  true
}
expect 2 "fast sim: error[usage]: --arch and --layer are required (see 'fast sim --help')" \
  sim --arch arch/small.json
expect 2 "fast sim: error[usage]: --arch and --layer are required" sim --layer gemm:16,16,16
expect 2 "gemm:1,,3: error[workload]: K: missing or overlong value" \
  sim --arch arch/small.json --layer gemm:1,,3
expect 2 "fc:3: error[workload]: " sim --arch arch/small.json --layer fc:3
expect 2 "fast sim: error[usage]: --requant = 1,2: expected MULT,SHIFT,ZP (int32, 0..63, -128..127)" \
  sim --arch arch/small.json --layer gemm:16,16,16 --requant 1,2
expect 2 "fast sim: error[usage]: --seed = 0: must be an integer in 1..9223372036854775807" \
  sim --arch arch/small.json --layer gemm:16,16,16 --seed 0
expect 2 "fast sim: error[usage]: --max-cycles = x: must be an integer in" \
  sim --arch arch/small.json --layer gemm:16,16,16 --max-cycles x
expect 2 "error[config]" sim --arch tests/config/bad/01-malformed.json --layer gemm:16,16,16
# The compiler takes int8 layers only.
sed 's/"int8"/"bf16"/' tests/rtl/sim/sim4x4.json > "$tmp/bf16.json"
expect 2 "gemm:16,16,16: error[compile]: array.dtype = bf16: the compiler supports int8 layers only" \
  sim --arch "$tmp/bf16.json" --layer gemm:16,16,16
expect 2 "$tmp/none: error[sim]: cannot open: No such file or directory" \
  sim --arch arch/small.json --layer gemm:16,16,16 --rtl "$tmp/none"
# Verilator missing: the tool error of fast synth's kind, exit 3 (fast needs nothing on PATH).
run_env="PATH=$tmp/empty" expect 3 \
  "fast: error[tool]: verilator: not found; install the Debian package verilator (apt-get install verilator)" \
  sim --arch arch/small.json --layer gemm:16,16,16

if command -v verilator > /dev/null 2>&1; then
  "$fast" sim --arch arch/small.json --layer gemm:16,16,16 --json > "$tmp/run.json" 2> "$tmp/err"
  rc=$?
  [ "$rc" = 0 ] || fail "the small run exited $rc: $(cat "$tmp/err")"
  python3 - "$tmp/run.json" <<'PY' || fail "the small run: $(cat "$tmp/run.json")"
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("model_cycles", "rtl_cycles", "error", "bit_exact", "mismatches", "instructions",
          "config", "layer", "tiling", "model_bound"):
    assert k in d, k
assert d["model_bound"] in ("compute", "memory"), d["model_bound"]
assert d["bit_exact"] is True and d["mismatches"] == 0 and d["outputs"] == 256, d
assert d["config"] == "small" and d["layer"] == "gemm:16,16,16", d
assert d["top"] == "fast_small_accel" and d["rtl_cycles"] > 0, d
assert abs(d["error"] - (d["rtl_cycles"] - d["model_cycles"]) / d["model_cycles"]) < 1e-9, d
print(f"small gemm:16,16,16: model {d['model_cycles']}, RTL {d['rtl_cycles']} cycles, bit-exact")
PY
  # The table form, and the same result from the cache.
  "$fast" sim --arch arch/small.json --layer gemm:16,16,16 > "$tmp/table" 2>&1 \
    || fail "the table run exited $?: $(cat "$tmp/table")"
  grep -q "^  outputs        256, bit-exact$" "$tmp/table" || fail "table: $(cat "$tmp/table")"
  grep -q "^  harness        cached" "$tmp/table" || fail "the second run was not cached"
else
  echo "verilator not on PATH: the real run is skipped"
fi

[ "$fails" = 0 ] && echo "test_sim: all checks passed"
exit $((fails > 0))
