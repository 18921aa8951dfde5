#!/usr/bin/env bash
# The Verilator harness (sim/rtl/harness.cpp) on a stand-in accelerator
# (tests/rtl/sim/fixture/fast_fixture_accel.v, a copy machine: LOAD reads x bytes, STORE
# writes them back), built the way fast sim builds it, with 8-byte (QData) and 32-byte
# (VlWide) beats: copied bytes, the JSON line, the cycle count, random handshake gaps, a
# hang naming the last instruction, usage errors; then fast sim --rtl on the fixture, which
# computes nothing, must exit 1 reporting the mismatches.
#   test_harness.sh FAST SOURCE_DIR WORK_DIR
# Exit 0 all good, 1 a failure, 3 Verilator missing.
set -u
fast=$1 src=$2 work=$3
command -v verilator > /dev/null 2>&1 || { echo "SKIP: verilator not on PATH"; exit 3; }
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1

# A program as raw 32-byte instructions: "op x dram" separated by commas (LOAD 0, STORE 1,
# END 5, 15 the fixture's hang), in the fields of docs/isa.md 2.
mkprog() {
  python3 - "$1" "$2" <<'PY'
import sys
out = bytearray()
for insn in sys.argv[2].split(","):
    op, x, dram = (int(v, 0) for v in insn.split())
    v = op
    if op == 0:
        v |= dram << 21 | x << 85 | 1 << 101 | 1 << 117   # y = z = 1
    elif op == 1:
        v |= 1 << 21 | dram << 23 | x << 87 | 1 << 103    # fmt byte, y = 1
    out += v.to_bytes(32, "little")
open(sys.argv[1], "wb").write(out)
PY
}
mkprog copy.bin "0 20 3, 1 20 0x40, 0 200 0x80, 1 200 0x101, 5 0 0"
mkprog hang.bin "0 8 0, 15 0 0, 5 0 0"
python3 -c "open('img.bin','wb').write(bytes((i * 7 + 3) & 255 for i in range(1024)))"
python3 - <<'PY'
a = open("img.bin", "rb").read()
e = bytearray(a)
e[0x40:0x40 + 20] = a[3:23]
e[0x101:0x101 + 200] = a[0x80:0x80 + 200]
open("want.bin", "wb").write(e)
PY

for w in 8 32; do
  d=w$w
  mkdir -p $d
  printf '#define FAST_EXT_BYTES %d\n' $w > $d/params.h
  if ! verilator --cc --exe --build -j 2 --Mdir $d/obj --top-module fast_fixture_accel \
       --prefix Vaccel -o ../Vaccel -GW=$w -CFLAGS "-std=c++17 -Wall -Wextra -Werror -include ../params.h" \
       "$src/tests/rtl/sim/fixture/fast_fixture_accel.v" "$src/sim/rtl/harness.cpp" \
       > $d/build.log 2>&1; then
    tail -20 $d/build.log
    fail "W=$w: the harness did not build (log: $work/$d/build.log)"
    continue
  fi
  h=$d/Vaccel
  base=(--lat 20 --bw 512 --mem-bw 2048 --max-cycles 100000)
  $h --program copy.bin --image img.bin --out $d/out.bin "${base[@]}" > $d/run.json 2> $d/run.err \
    || fail "W=$w: copy run exited $?: $(cat $d/run.err)"
  cmp -s $d/out.bin want.bin || fail "W=$w: the copied image differs"
  python3 - $d/run.json $w <<'PY' || fail "W=$w: JSON line: $(cat $d/run.json)"
import json, math, sys
d = json.load(open(sys.argv[1]))
w = int(sys.argv[2])
assert d["bytes_read"] == 220 and d["bytes_written"] == 220, d
assert d["read_requests"] == 2 and d["write_requests"] == 2, d
assert d["instructions"] == 5 and d["last_pc"] == 4 and d["imem_beyond"] == 0, d
assert d["ext_bytes"] == w and d["jitter"] is False, d
# start_i in cycle 0; per instruction the fixture fetches (1 cycle) and decodes (1). W = 8:
# LOAD 20 bytes: request in cycle 3, beats from 3 + L = 23 to 25 (the credit of 8 bytes per
# cycle has built up since cycle 0); STORE: request 28, beats 29..31; LOAD 200: request 34,
# beats 54..78; STORE: request 81, beats 82..106, response due 106 + L = 126; END decoded in
# 108 waits for it: done_o in 128. W = 32 moves the same bytes in 1, 1, 7 and 7 beats: 88.
assert d["cycles"] == {8: 128, 32: 88}[w], d
print(f"W={w}: copy in {d['cycles']} cycles")
PY
  $h --program copy.bin --image img.bin --out $d/out2.bin "${base[@]}" --jitter 7 > /dev/null 2>&1 \
    || fail "W=$w: jitter run failed"
  cmp -s $d/out2.bin want.bin || fail "W=$w: the copied image differs with jitter"
  $h --program hang.bin --image img.bin --out $d/out3.bin --lat 20 --bw 512 --mem-bw 2048 \
    --max-cycles 500 > /dev/null 2> $d/hang.err
  rc=$?
  [ $rc = 1 ] || fail "W=$w: the hang exited $rc, not 1"
  grep -qF "harness: error[sim]: no done_o after 500 cycles; last instruction fetched: 1 (reserved 15); external memory: 8 bytes read, 0 written, 0 reads and 0 writes open" $d/hang.err \
    || fail "W=$w: hang message: $(cat $d/hang.err)"
  [ ! -e $d/out3.bin ] || fail "W=$w: a hung run wrote its image"
  $h --program copy.bin --image img.bin --out $d/o.bin "${base[@]}" --trace $d/t.fst > /dev/null 2> $d/err
  [ $? = 2 ] && grep -qF "this harness was built without tracing" $d/err \
    || fail "W=$w: --trace on a plain build: $(cat $d/err)"
  $h --program copy.bin --image img.bin --out $d/o.bin --lat 1 --bw 512 --mem-bw 2048 --max-cycles 9 > /dev/null 2> $d/err
  [ $? = 2 ] && grep -qF "harness: error[usage]: --lat = 1: must be an integer in 2..65535" $d/err \
    || fail "W=$w: --lat 1: $(cat $d/err)"
  $h --program copy.bin --image img.bin --out $d/o.bin "${base[@]}" --global-image img.bin \
     --global-out $d/go.bin > /dev/null 2> $d/err
  [ $? = 2 ] && grep -qF "harness: error[sim]: --global-image img.bin: this accelerator has no global memory" $d/err \
    || fail "W=$w: --global-image without a global memory: $(cat $d/err)"
  head -c 33 copy.bin > bad.bin
  $h --program bad.bin --image img.bin --out $d/o.bin "${base[@]}" > /dev/null 2> $d/err
  [ $? = 2 ] && grep -qF "not a program" $d/err || fail "W=$w: a 33-byte program: $(cat $d/err)"
done

# fast sim --rtl on the fixture: everything but the design is real; the outputs cannot
# match, so exit 1 with the mismatches in the JSON document.
FAST_CACHE_DIR=$work/cache "$fast" sim --arch "$src/arch/small.json" --layer gemm:16,16,16 \
  --rtl "$src/tests/rtl/sim/fixture" --json > sim.json 2> sim.err
rc=$?
[ $rc = 1 ] || fail "fast sim --rtl fixture exited $rc, not 1: $(cat sim.err)"
python3 - sim.json <<'PY' || fail "fast sim --rtl fixture: $(cat sim.json)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["bit_exact"] is False and d["mismatches"] == 256 and d["outputs"] == 256, d
assert d["top"] == "fast_fixture_accel" and d["cached"] is False, d
assert d["first_mismatch"]["index"] == 0, d
print(f"fast sim --rtl fixture: {d['mismatches']} mismatches as it must, built in {d['build_seconds']:.1f} s")
PY
ls cache | grep -q "^tmp-" && fail "temporary directories left in the cache: $(ls cache)"
# The second run takes the build from the cache.
FAST_CACHE_DIR=$work/cache "$fast" sim --arch "$src/arch/small.json" --layer gemm:16,16,16 \
  --rtl "$src/tests/rtl/sim/fixture" --json 2> /dev/null | grep -q '"cached":.*true' \
  || fail "the second run did not use the cache"

# A design Verilator rejects: exit 3, the log named and kept, nothing else left behind.
mkdir -p broken
cp "$src/tests/rtl/sim/fixture/"* broken/
printf 'module fast_fixture_extra (input wire a_i, output wire b_o);\n  assign b_o = a_i +;\nendmodule\n' \
  > broken/fast_fixture_extra.v
FAST_CACHE_DIR=$work/cache2 "$fast" sim --arch "$src/arch/small.json" --layer gemm:16,16,16 \
  --rtl broken > /dev/null 2> broken.err
rc=$?
[ $rc = 3 ] || fail "a broken design exited $rc, not 3"
grep -q "^fast: error\[sim\]: fast_fixture_accel: the Verilator build of the harness failed (log: $work/cache2/small-[0-9a-f]*.build-failed.log): %Error: rtl/fast_fixture_extra.v:2:" broken.err \
  || fail "a broken design said: $(cat broken.err)"
log=$(sed -n 's/.*(log: \([^)]*\)).*/\1/p' broken.err)
[ -s "$log" ] || fail "the build log $log is missing"
left=$(ls cache2 | grep -v '\.lock$' | grep -v '\.build-failed\.log$')
[ -z "$left" ] || fail "a failed build left $left in the cache"

[ "$fails" = 0 ] && echo "test_harness: all checks passed"
exit $((fails > 0))
