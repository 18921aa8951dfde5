#!/usr/bin/env bash
# fast asm, fast disasm and fast compile on the command line: round trips, exact error
# lines with exit 2, atomic output. usage: test_asm.sh FAST SOURCE_DIR
set -u
fast=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cd "$src" || exit 1

# compile -> disasm -> asm gives the same bytes; the JSON counts match the listing.
"$fast" compile --arch arch/small.json --layer conv:8,8,8,16,3,2 --relu \
  --requant 1518500250,37,0 --out "$tmp/c" --json > "$tmp/c.json" || fail "compile exited $?"
for f in program.bin program.s layout.json; do
  [ -f "$tmp/c/$f" ] || fail "compile did not write $f"
done
"$fast" disasm "$tmp/c/program.bin" > "$tmp/d.s" || fail "disasm exited $?"
cmp -s "$tmp/d.s" "$tmp/c/program.s" || fail "disasm differs from program.s"
"$fast" asm "$tmp/d.s" --out "$tmp/a.bin" --quiet || fail "asm exited $?"
cmp -s "$tmp/a.bin" "$tmp/c/program.bin" || fail "asm(disasm(bin)) differs from bin"
python3 - "$tmp/c.json" "$tmp/c/program.s" "$tmp/c/layout.json" <<'PY' || fail "compile --json"
import json, sys
d = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().splitlines()
assert d["instructions"]["total"] == len(lines), (d["instructions"], len(lines))
for op in ("load", "store", "matmul", "vector", "sync", "end"):
    assert d["instructions"][op] == sum(1 for l in lines if l.split()[0] == op), op
assert d["instructions"]["vector"] > 0 and d["instructions"]["end"] == 1
assert d["model_cycles"] > 0 and d["tiling"]["tm"] >= 1
assert d["model_bound"] in ("compute", "memory"), d["model_bound"]
lay = json.load(open(sys.argv[3]))
assert [t["name"] for t in lay["tensors"]] == ["input", "weights", "output"]
assert lay["tensors"][2]["shape"] == [1, 4, 4, 16] and lay["tensors"][2]["elem"] == "int8"
PY
"$fast" compile --arch arch/small.json --layer gemm:16,16,16 --out "$tmp/c" > "$tmp/h.txt" \
  || fail "recompiling in place"
grep -q "^gemm:16,16,16: .* instructions" "$tmp/h.txt" || fail "human output: $(cat "$tmp/h.txt")"

# Bad inputs: exit 2, exactly the expected single line, nothing written.
expect_error() {
  local want=$1; shift
  "$fast" "$@" > /dev/null 2> "$tmp/err"
  local rc=$?
  [ "$rc" = 2 ] || fail "'$*' exited $rc, expected 2"
  [ "$(cat "$tmp/err")" = "$want" ] || fail "'$*' said: $(cat "$tmp/err") (expected: $want)"
}
printf 'sync queue=load\n# fine so far\nload mem=inp x=70000 y=1 z=1\n' > "$tmp/bad.s"
expect_error "$tmp/bad.s: error[asm]: line 3 = \"load mem=inp x=70000 y=1 z=1\": x = 70000: must be 0..65535" \
  asm "$tmp/bad.s" --out "$tmp/bad.bin"
[ ! -e "$tmp/bad.bin" ] || fail "a failed asm wrote its output"
printf 'end\nmatmul m=1 k=1 n=1 wgt=-1\n' > "$tmp/neg.s"
expect_error "$tmp/neg.s: error[asm]: line 2 = \"matmul m=1 k=1 n=1 wgt=-1\": wgt = -1: must be 0..4294967295" \
  asm "$tmp/neg.s" --out "$tmp/neg.bin"
head -c 40 "$tmp/c/program.bin" > "$tmp/short.bin"
expect_error "$tmp/short.bin: error[isa]: size = 40: not a multiple of 32 bytes (one instruction)" \
  disasm "$tmp/short.bin"
printf '\x0f' > "$tmp/op.bin"; head -c 31 /dev/zero >> "$tmp/op.bin"
expect_error "$tmp/op.bin: error[isa]: instruction 0: op = 15: unknown opcode" disasm "$tmp/op.bin"
expect_error "fast asm: error[usage]: --out is required (see 'fast asm --help')" asm "$tmp/d.s"
expect_error "gemm:0,4,4: error[workload]: M = 0: must be an integer in 1..16777216" \
  compile --arch arch/small.json --layer gemm:0,4,4 --out "$tmp/z"
[ ! -e "$tmp/z" ] || fail "a failed compile left $tmp/z"
mkdir "$tmp/foreign" && touch "$tmp/foreign/keep"
expect_error "$tmp/foreign: error[compile]: exists and holds files that fast compile did not write" \
  compile --arch arch/small.json --layer gemm:4,4,4 --out "$tmp/foreign"
# --global: tensors in the global memory of a configuration that has one, else an error.
"$fast" compile --arch tests/rtl/sim/sim4x4.json --layer gemm:4,4,4 --global both \
  --out "$tmp/g" --json > "$tmp/g.json" || fail "compile --global exited $?"
python3 - "$tmp/g.json" "$tmp/g/layout.json" <<'PY' || fail "compile --global layout"
import json, sys
d, l = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
mem = {t["name"]: (t["memory"], t["addr"]) for t in l["tensors"]}
assert mem == {"input": ("global", 2**31), "weights": ("dram", 0),
               "output": ("global", 2**31 + 64)}, mem
assert d["global_bytes"] == l["global_bytes"] == 128 and d["dram_bytes"] == 64, d
PY
grep -q "mem=inp dram=0x80000000 " "$tmp/g/program.s" || fail "no LOAD from the global memory's byte 0"
expect_error "gemm:4,4,4: error[compile]: memory.global_mib = 0: the layer keeps its output in the global memory, which this configuration does not have" \
  compile --arch arch/small.json --layer gemm:4,4,4 --global output --out "$tmp/ng"
[ ! -e "$tmp/ng" ] || fail "a failed compile left $tmp/ng"
expect_error "gemm:1024,16,512: error[compile]: memory.global_mib = 1: the layer's tensors in the global memory take 2097152 bytes; it holds 1048576 (at most 2048 MiB are addressable)" \
  compile --arch tests/rtl/sim/sim4x4.json --layer gemm:1024,16,512 --global output --out "$tmp/ng"
[ ! -e "$tmp/ng" ] || fail "a failed compile left $tmp/ng"
expect_error "fast compile: error[usage]: --global = everything: expected input, output or both (see 'fast compile --help')" \
  compile --arch arch/small.json --layer gemm:4,4,4 --global everything --out "$tmp/ng"
ls "$tmp" | grep -q "tmp\." && fail "temporary files left: $(ls "$tmp")"

[ "$fails" = 0 ] && echo "test_asm: all checks passed"
exit $((fails > 0))
