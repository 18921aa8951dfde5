#!/usr/bin/env bash
# usage: check_inline.sh FAST_BINARY FILE
# FILE holds one case per line, SPEC<TAB>EXPECTED_STDERR_LINE (blank lines and lines starting
# with # are skipped). For each case, runs `FAST_BINARY workloads show SPEC` in FILE's
# directory; a case passes when it exits 2, its stderr is exactly the expected line and its
# stdout is empty. Prints a diff for every failing case and exits 1 if any failed.
set -u
if [ $# -ne 2 ]; then
  echo "usage: check_inline.sh FAST_BINARY FILE" >&2
  exit 2
fi
fast=$1 file=$2
case $fast in /*) ;; *) fast=$PWD/$fast ;; esac
cd "$(dirname "$file")" || exit 1
file=$(basename "$file")
out=$(mktemp) err=$(mktemp) want=$(mktemp)
trap 'rm -f "$out" "$err" "$want"' EXIT
n=0 failed=0 lineno=0
while IFS= read -r line || [ -n "$line" ]; do
  lineno=$((lineno + 1))
  case $line in '' | '#'*) continue ;; esac
  if [ "${line#*$'\t'}" = "$line" ]; then
    echo "$file:$lineno: no TAB between the spec and the expected line"
    failed=$((failed + 1))
    continue
  fi
  spec=${line%%$'\t'*}
  printf '%s\n' "${line#*$'\t'}" >"$want"
  n=$((n + 1))
  "$fast" workloads show "$spec" >"$out" 2>"$err"
  rc=$?
  bad=0
  if [ "$rc" != 2 ]; then
    echo "$file:$lineno: $spec: exit code $rc, expected 2"
    bad=1
  fi
  if ! diff -u --label expected --label got "$want" "$err" >/dev/null; then
    echo "$file:$lineno: $spec: stderr differs (- expected, + got):"
    diff -u --label expected --label got "$want" "$err"
    bad=1
  fi
  if [ -s "$out" ]; then
    echo "$file:$lineno: $spec: unexpected stdout:"
    cat "$out"
    bad=1
  fi
  failed=$((failed + bad))
done <"$file"
echo "$n cases, $failed failed"
[ "$failed" = 0 ] && [ "$n" -gt 0 ]
