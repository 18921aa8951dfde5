#!/usr/bin/env bash
# Builds a Verilator testbench (cached by the hash of its inputs) and runs it.
#   vtest.sh OBJDIR TB.cpp TOP [VERILATOR ARGS...] -- [TESTBENCH ARGS...]
# The testbench links libfast (FAST_LIB) so it can call the C reference models;
# FAST_INCLUDES holds the include directories, separated by spaces.
# Exit: the testbench's own status; 3 when Verilator is missing.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: vtest.sh OBJDIR TB.cpp TOP [VERILATOR ARGS...] -- [TESTBENCH ARGS...]" >&2
  exit 2
fi
objdir=$1 tb=$2 top=$3
shift 3
vargs=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do vargs+=("$1"); shift; done
[ $# -gt 0 ] && shift
if ! command -v verilator >/dev/null 2>&1; then
  echo "vtest: error[tool]: verilator: not found (install the Debian package verilator)" >&2
  exit 3
fi
: "${FAST_LIB:?FAST_LIB must name libfast.a}"
# The generated C++ of a large array is megabytes; optimizing it costs more time than the
# short test runs save, so everything is compiled without optimization.
cflags="-O0 -std=c++17"
for inc in ${FAST_INCLUDES:-}; do cflags+=" -I$inc"; done

# The build is reused when the testbench, the headers it includes with "..." (found beside
# it or in FAST_INCLUDES), the Verilog sources, the arguments and libfast are the same as
# last time.
headers() {
  sed -n 's/^#include "\(.*\)"/\1/p' "$tb" | while read -r h; do
    for d in "$(dirname "$tb")" ${FAST_INCLUDES:-}; do
      if [ -f "$d/$h" ]; then cat "$d/$h"; break; fi
    done
  done
}
key=$( { printf '%s\n' "$top" "${vargs[@]}" "$cflags"; cat "$tb" "$FAST_LIB"; headers;
         for a in "${vargs[@]}"; do [ -f "$a" ] && cat "$a"; done; true; } | sha256sum | cut -c1-16)
mkdir -p "$objdir"
if [ ! -x "$objdir/V$top" ] || [ "$(cat "$objdir/key" 2>/dev/null)" != "$key" ]; then
  rm -f "$objdir/key"
  verilator --cc --exe --build -j 2 --Mdir "$objdir" --top-module "$top" -o "V$top" \
    -CFLAGS "$cflags" -LDFLAGS "$FAST_LIB -lcjson -lm" \
    -MAKEFLAGS "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0" \
    "${vargs[@]}" "$(realpath "$tb")" > "$objdir/build.log" 2>&1 || {
      tail -40 "$objdir/build.log" >&2
      echo "vtest: error[rtl]: $top: Verilator build failed (log: $objdir/build.log)" >&2
      exit 1
    }
  echo "$key" > "$objdir/key"
fi
exec "$objdir/V$top" "$@"
