#!/usr/bin/env bash
# Lint of the floating-point blocks: each top module, with the helpers it needs, must be
# clean under `verilator --lint-only -Wall` (no waivers), compile in `iverilog -g2005`,
# and synthesize in Yosys with no warning and no latch; every file must open with
# `default_nettype none and close with `default_nettype wire.
#   lint.sh RTL_TEMPLATES_DIR
# Exit: 0 clean, 1 a problem (printed), 3 a tool is missing.
set -uo pipefail
dir=${1:?usage: lint.sh RTL_TEMPLATES_DIR}
for tool in verilator iverilog yosys; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "fp_lint: error[tool]: $tool: not found (install the Debian package $tool)" >&2
    exit 3
  }
done
# module: the files it needs, itself first
tops=(
  "fast_bf16_mul:fast_bf16_mul"
  "fast_fp32_add:fast_fp32_add fast_fp_lzc fast_fp_round_pack"
  "fast_fp32_mul:fast_fp32_mul fast_fp_round_pack"
  "fast_fp32_to_bf16:fast_fp32_to_bf16"
  "fast_fp_lzc:fast_fp_lzc"
  "fast_fp_round_pack:fast_fp_round_pack"
)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for entry in "${tops[@]}"; do
  top=${entry%%:*}
  before=$status
  files=()
  for m in ${entry#*:}; do files+=("$dir/$m.v"); done
  f=${files[0]}
  if [ "$(grep -m1 '^`default_nettype' "$f")" != '`default_nettype none' ] ||
     [ "$(grep '^`default_nettype' "$f" | tail -1)" != '`default_nettype wire' ]; then
    echo "fp_lint: error[rtl]: $f: must open with \`default_nettype none and close with \`default_nettype wire"
    status=1
  fi
  if ! verilator --lint-only -Wall --top-module "$top" "${files[@]}" >"$log" 2>&1; then
    cat "$log"; echo "fp_lint: error[rtl]: $top: verilator --lint-only -Wall failed"; status=1
  fi
  if ! iverilog -g2005 -o /dev/null -s "$top" "${files[@]}" >"$log" 2>&1 || [ -s "$log" ]; then
    cat "$log"; echo "fp_lint: error[rtl]: $top: iverilog -g2005 failed"; status=1
  fi
  reads=""
  for g in "${files[@]}"; do reads+="read_verilog $g; "; done
  if ! yosys -p "${reads}synth -top $top; select -assert-none t:\$_DLATCH* t:\$dlatch*" \
       >"$log" 2>&1 || grep -qE 'Warning|^Latch inferred' "$log"; then
    grep -E 'Warning|ERROR|^Latch inferred' "$log"
    echo "fp_lint: error[rtl]: $top: yosys synth failed or warned"; status=1
  fi
  [ $status -eq "$before" ] && echo "fp_lint: $top: clean"
done
exit $status
