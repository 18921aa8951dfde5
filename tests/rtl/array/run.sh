#!/usr/bin/env bash
# One array test: writes a configuration (or takes one), generates its RTL with `fast gen`,
# builds the testbench against it (tests/rtl/vtest.sh) and runs it.
#   run.sh FAST OBJDIR ROWS COLS DATAFLOW DTYPE BANKS SEED TILES [early]
#   run.sh FAST OBJDIR --arch FILE SEED TILES [early]
set -euo pipefail
fast=$1 objdir=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$objdir"
if [ "$3" = "--arch" ]; then
  config=$4
  shift 4
else
  rows=$3 cols=$4 dataflow=$5 dtype=$6 banks=$7
  shift 7
  name="t${rows}x${cols}_${dataflow}_${dtype}"
  config="$objdir/$name.json"
  cat > "$config" <<JSON
{"name": "$name",
 "array": {"rows": $rows, "cols": $cols, "dataflow": "$dataflow", "dtype": "$dtype"},
 "vector": {"lanes": 1},
 "memory": {"banks": $banks, "acc_kib": 4, "input_kib": 64, "weight_kib": 64}}
JSON
fi
"$fast" gen --arch "$config" --out "$objdir/rtl" --json > "$objdir/gen.json"
mapfile -t files < <(python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["files"]: print(f)' "$objdir/gen.json")
top=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["top"])' "$objdir/gen.json")
verilog=() params=
for f in "${files[@]}"; do
  case $f in *.v) verilog+=("$f") ;; *_params.h) params=$f ;; esac
done
exec bash "$here/../vtest.sh" "$objdir/obj" "$here/tb_array.cpp" "$top" "${verilog[@]}" \
  --prefix Vdut -CFLAGS "-include $params" -- "$@"
