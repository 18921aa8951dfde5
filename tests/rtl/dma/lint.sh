#!/usr/bin/env bash
# Lint of the memory-system templates (docs/rtl.md 9.5): fast_scratchpad, fast_dma,
# fast_dma_fifo and fast_gmem must be clean under `verilator --lint-only -Wall` (no waivers) for a range
# of parameters, compile in `iverilog -g2005`, and synthesize in Yosys with the fast_sram_*
# memories read as black boxes (`read_verilog -lib`), with no warning and no latch; every
# file must open with `default_nettype none and close with `default_nettype wire.
#   lint.sh RTL_TEMPLATES_DIR
# Exit: 0 clean, 1 a problem (printed), 3 a tool is missing.
set -uo pipefail
dir=${1:?usage: lint.sh RTL_TEMPLATES_DIR}
for tool in verilator iverilog yosys; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "dma_lint: error[tool]: $tool: not found (install the Debian package $tool)" >&2
    exit 3
  }
done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
fail() { cat "$log"; echo "dma_lint: error[rtl]: $1"; status=1; }

for m in fast_scratchpad fast_dma fast_dma_fifo fast_sram_2r1w fast_gmem; do
  f=$dir/$m.v
  if [ "$(grep -m1 '^`default_nettype' "$f")" != '`default_nettype none' ] ||
     [ "$(grep '^`default_nettype' "$f" | tail -1)" != '`default_nettype wire' ]; then
    echo "dma_lint: error[rtl]: $f: must open with \`default_nettype none and close with \`default_nettype wire"
    status=1
  fi
done

# top: files (the memory wrapper last): parameter sets "NAME=V NAME=V ..."
declare -A files=(
  [fast_scratchpad]="fast_scratchpad fast_sram_2r1w"
  [fast_dma]="fast_dma fast_dma_fifo"
  [fast_dma_fifo]="fast_dma_fifo"
  [fast_gmem]="fast_gmem fast_scratchpad fast_dma_fifo fast_sram_2r1w"
)
params=(
  "fast_scratchpad:EW=8 DEPTH=1024 BANKS=8 PORT=8"
  "fast_scratchpad:EW=16 DEPTH=512 BANKS=16 PORT=8"
  "fast_scratchpad:EW=32 DEPTH=256 BANKS=4 PORT=1"
  "fast_scratchpad:EW=32 DEPTH=64 BANKS=2 PORT=2"
  "fast_scratchpad:EW=8 DEPTH=48 BANKS=16 PORT=16"
  "fast_scratchpad:EW=8 DEPTH=40 BANKS=8 PORT=4"
  "fast_scratchpad:EW=32 DEPTH=16 BANKS=1 PORT=1"
  "fast_dma:E=1 W=8 ROWQ=32"
  "fast_dma:E=2 W=16 ROWQ=16"
  "fast_dma:E=1 W=4 ROWQ=2"
  "fast_dma:E=2 W=64 ROWQ=64"
  "fast_dma:E=1 W=128 ROWQ=4"
  "fast_dma:E=1 W=1024 ROWQ=8"
  "fast_dma:E=2 W=256 ROWQ=16"
  "fast_gmem:W=4 BYTES=1024 Q=2"
  "fast_gmem:W=64 BYTES=65536 Q=16"
  "fast_gmem:W=1024 BYTES=2097152 Q=64"
  "fast_dma_fifo:WIDTH=1 DEPTH=2"
  "fast_dma_fifo:WIDTH=37 DEPTH=8"
)
for entry in "${params[@]}"; do
  top=${entry%%:*}
  ps=${entry#*:}
  srcs=()
  for m in ${files[$top]}; do srcs+=("$dir/$m.v"); done
  vflags=() iflags=()
  for p in $ps; do vflags+=("-G$p"); iflags+=("-P$top.$p"); done
  verilator --lint-only -Wall --top-module "$top" "${vflags[@]}" "${srcs[@]}" >"$log" 2>&1 ||
    fail "$top ($ps): verilator --lint-only -Wall failed"
  { iverilog -g2005 -o /dev/null -s "$top" "${iflags[@]}" "${srcs[@]}" >"$log" 2>&1 && ! [ -s "$log" ]; } ||
    fail "$top ($ps): iverilog -g2005 failed"
  [ $status -eq 0 ] && echo "dma_lint: $top ($ps): verilator, iverilog clean"
done

# Yosys: one synthesis per template, memories as black boxes.
synth=(
  "fast_scratchpad:EW=8 DEPTH=256 BANKS=8 PORT=4"
  "fast_dma:E=2 W=16 ROWQ=8"
  "fast_gmem:W=8 BYTES=4096 Q=4"
)
for entry in "${synth[@]}"; do
  top=${entry%%:*}
  ps=${entry#*:}
  reads="read_verilog -lib $dir/fast_sram_2r1w.v; "
  for m in ${files[$top]}; do
    [ "$m" = fast_sram_2r1w ] || reads+="read_verilog $dir/$m.v; "
  done
  chp=""
  for p in $ps; do chp+=" -set ${p%%=*} ${p#*=}"; done
  if ! yosys -p "${reads}chparam$chp $top; synth -top $top; select -assert-none t:\$_DLATCH* t:\$dlatch*; select -assert-none t:\$mem* t:\$mem_v2*" \
       >"$log" 2>&1 || grep -qE 'Warning|^Latch inferred' "$log"; then
    grep -E 'Warning|ERROR|^Latch inferred' "$log"
    echo "dma_lint: error[rtl]: $top ($ps): yosys synth failed or warned"; status=1
  else
    cells=$(grep -E '^ +Number of cells:' "$log" | tail -1 | awk '{print $4}')
    echo "dma_lint: $top ($ps): yosys clean, $cells cells"
  fi
done
exit $status
