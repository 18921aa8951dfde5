#!/usr/bin/env bash
# Lint of the vector unit (docs/rtl.md section 5): Verilator -Wall with no waivers for every
# LANES and FP the generator may ask for, and an Icarus -g2005 compile of both modes.
#   lint.sh SOURCE_DIR [LANES...]     (default LANES: 1 2 3 8 16 64 1024)
# Exit: 0 clean, 1 a warning or error, 3 a tool missing.
set -euo pipefail
src=${1:?usage: lint.sh SOURCE_DIR [LANES...]}
shift
lanes_list=("$@")
[ ${#lanes_list[@]} -gt 0 ] || lanes_list=(1 2 3 8 16 64 1024)
rtl=$src/rtl_templates
files=("$rtl"/fast_vector_*.v "$rtl"/fast_fp32_add.v "$rtl"/fast_fp32_mul.v
       "$rtl"/fast_fp32_to_bf16.v "$rtl"/fast_fp_lzc.v "$rtl"/fast_fp_round_pack.v)
for tool in verilator iverilog; do
  command -v $tool >/dev/null 2>&1 || {
    echo "lint: error[tool]: $tool: not found" >&2; exit 3; }
done
fail=0 n=0
for fp in 0 1; do
  for lanes in "${lanes_list[@]}"; do
    if ! out=$(verilator --lint-only -Wall -GLANES=$lanes -GFP=$fp \
                 --top-module fast_vector_unit "${files[@]}" 2>&1); then
      echo "$out" | head -20
      echo "lint: error[rtl]: fast_vector_unit LANES=$lanes FP=$fp: verilator -Wall" >&2
      fail=1
    fi
    n=$((n + 1))
  done
  tmp=$(mktemp)
  if ! iverilog -g2005 -Wall -P fast_vector_unit.FP=$fp -P fast_vector_unit.LANES=3 \
         -s fast_vector_unit -o "$tmp" "${files[@]}"; then
    echo "lint: error[rtl]: fast_vector_unit FP=$fp: iverilog -g2005" >&2
    fail=1
  fi
  rm -f "$tmp"
  n=$((n + 1))
done
echo "lint: $n configurations checked, $([ $fail = 0 ] && echo clean || echo FAILED)"
exit $fail
