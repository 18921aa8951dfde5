#!/usr/bin/env bash
# fast gen on the command line: the JSON document, byte-identical reruns, and bad input
# (exit 2, one line naming the file, nothing written). usage: test_gen.sh FAST SOURCE_DIR
set -u
fast=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cd "$src" || exit 1

"$fast" gen --arch arch/small.json --out "$tmp/a" --json > "$tmp/out.json" || fail "gen exited $?"
python3 - "$tmp/out.json" "$tmp/a" <<'PY' || fail "gen --json is not the expected document"
import json, os, sys
d = json.load(open(sys.argv[1]))
assert d["top"] == "fast_small_core", d["top"]
assert len(d["hash"]) == 16
assert d["accel"] == "fast_small_accel", d["accel"]
assert d["files"][-2] == os.path.join(sys.argv[2], "fast_small_core.v")
assert d["files"][-1] == os.path.join(sys.argv[2], "fast_small_accel.v")
assert all(os.path.isfile(f) for f in d["files"])
assert sorted(os.listdir(sys.argv[2])) == sorted(os.path.basename(f) for f in d["files"])
PY
"$fast" gen --arch arch/small.json --out "$tmp/b" > "$tmp/human.txt" || fail "second gen"
grep -q "^small: .* files in $tmp/b (top fast_small_core, accelerator fast_small_accel, hash " "$tmp/human.txt" \
  || fail "human output: $(cat "$tmp/human.txt")"
diff -r "$tmp/a" "$tmp/b" > /dev/null || fail "two runs differ"
"$fast" gen --arch arch/small.json --out "$tmp/a" > /dev/null || fail "regenerating in place"

# Bad inputs: exit 2, the file named, nothing created.
expect_error() {
  local want=$1; shift
  "$fast" "$@" > /dev/null 2> "$tmp/err"
  local rc=$?
  [ "$rc" = 2 ] || fail "'$*' exited $rc, expected 2"
  grep -qF -- "$want" "$tmp/err" || fail "'$*' said: $(cat "$tmp/err") (expected: $want)"
  [ "$(wc -l < "$tmp/err")" = 1 ] || fail "'$*' printed more than one line"
}
sed 's/"banks": 2/"banks": 3/' arch/small.json > "$tmp/banks3.json"
expect_error "$tmp/banks3.json: error[gen]: memory.banks = 3: the RTL interleaves banks by address bits, so it needs a power of two" \
  gen --arch "$tmp/banks3.json" --out "$tmp/c"
[ ! -e "$tmp/c" ] || fail "a rejected configuration left $tmp/c"
# The accelerator's own limits: accumulator halves, scratchpad banks.
sed 's/"cols": 8/"cols": 32/; s/"banks": 2/"banks": 4/; s/"acc_kib": 16/"acc_kib": 1/' \
  arch/small.json > "$tmp/halves.json"
expect_error "$tmp/halves.json: error[gen]: memory.acc_kib = 1: each array's accumulator share holds 8 rows; the accelerator needs two halves of at least 2 rows in each of the 4 banks" \
  gen --arch "$tmp/halves.json" --out "$tmp/c"
[ ! -e "$tmp/c" ] || fail "a rejected configuration left $tmp/c"
sed 's/"count": 1/"count": 8/; s/"input_kib": 16/"input_kib": 1/; s/"bandwidth_gbps": 1.6/"bandwidth_gbps": 25.6/' \
  arch/small.json > "$tmp/spad.json"
expect_error "$tmp/spad.json: error[gen]: memory.input_kib = 1: each array's share holds 128 elements, fewer than 2 in each of the 128 banks its 128-element accesses need" \
  gen --arch "$tmp/spad.json" --out "$tmp/c"
[ ! -e "$tmp/c" ] || fail "a rejected configuration left $tmp/c"
expect_error "error[config]" gen --arch tests/config/bad/01-malformed.json --out "$tmp/c"
expect_error "--arch and --out are required" gen --arch arch/small.json
touch "$tmp/file"
expect_error "$tmp/file: error[gen]: exists and is not a directory" \
  gen --arch arch/small.json --out "$tmp/file"
expect_error "error[gen]: cannot create: No such file or directory" \
  gen --arch arch/small.json --out "$tmp/no/such/dir"
# A global memory beyond the upper half of the 32-bit external address space.
python3 -c "import json,sys; c=json.load(open('tests/rtl/sim/sim4x4.json')); c['memory']['global_mib']=4096; json.dump(c,open(sys.argv[1],'w'))" "$tmp/g4096.json"
expect_error "$tmp/g4096.json: error[gen]: memory.global_mib = 4096: the accelerator addresses at most 2048 MiB of global memory (the upper half of its 32-bit external address space)" \
  gen --arch "$tmp/g4096.json" --out "$tmp/g4096"
[ ! -e "$tmp/g4096" ] || fail "a failed gen left $tmp/g4096"
ls "$tmp" | grep -q "tmp\." && fail "temporary directories left: $(ls "$tmp")"

[ "$fails" = 0 ] && echo "test_gen: all checks passed"
exit $((fails > 0))
