#!/usr/bin/env bash
# One end-to-end case of the RTL simulation (docs/sim.md): runs
#   fast sim --json --arch ARCH --layer LAYER [ARGS...]
# and passes when the run finished bit-exact and, when FAST_SIM_MAX_ERROR (percent) is set,
# the model's cycles are within that of the RTL's (within 1% when the model says the case
# is compute-bound, DESIGN.md's target). Prints both.
#   check.sh FAST ARCH LAYER [fast sim ARGS...]
# Exit: 0 bit-exact; 1 a mismatch, a failed run (a failed Verilator build too) or a
# malformed document; 3 Verilator not on PATH (CTest counts it as skipped).
set -u
fast=$1 arch=$2 layer=$3
shift 3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$fast" sim --json --arch "$arch" --layer "$layer" "$@" > "$out"
rc=$?
if [ "$rc" = 3 ] && ! command -v verilator > /dev/null 2>&1; then
  exit 3
fi
python3 - "$out" "$rc" "$arch" "$layer" "$*" "${FAST_SIM_MAX_ERROR:-}" <<'PY'
import json, os, sys
path, rc, arch, layer, extra = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
bound = float(sys.argv[6]) if sys.argv[6] else None
try:
    d = json.load(open(path))
except Exception:
    print(f"FAIL: {os.path.basename(arch)} {layer} {extra}: fast sim exited {rc} without a JSON document")
    sys.exit(1)
name = f"{d['config']} {d['layer']}{' ' + extra if extra else ''}"
print(f"{name}: model {d['model_cycles']} cycles, RTL {d['rtl_cycles']} cycles "
      f"({100 * d['error']:+.2f}%), {d['outputs']} outputs, "
      f"{'bit-exact' if d['bit_exact'] else str(d['mismatches']) + ' MISMATCHES'}, "
      f"{d['instructions']} instructions, tiling tm={d['tiling']['tm']} tk={d['tiling']['tk']} "
      f"tn={d['tiling']['tn']} on {d['tiling']['units']} arrays; "
      f"{'cached' if d['cached'] else 'built in %.1f s' % d['build_seconds']}, "
      f"ran in {d['sim_seconds']:.2f} s")
ok = d["bit_exact"] is True and d["mismatches"] == 0 and rc == 0
if not ok:
    print(f"FAIL: {name}: bit_exact {d['bit_exact']}, exit {rc}, first mismatch {d.get('first_mismatch')}")
# DESIGN.md's target: a compute-bound case within 1% whatever its layer's bound.
why = "tests/rtl/sim/cases.txt"
if bound is not None and d["model_bound"] == "compute" and bound > 1:
    bound, why = 1.0, "compute-bound, DESIGN.md"
if ok and bound is not None and abs(100 * d["error"]) > bound:
    print(f"FAIL: {name}: model {d['model_cycles']} against RTL {d['rtl_cycles']} cycles is "
          f"{100 * d['error']:+.2f}%, beyond {bound:g}% ({why})")
    ok = False
sys.exit(0 if ok else 1)
PY
