#!/usr/bin/env bash
# usage: check_output.sh EXIT EXPECTED_STDERR WORKDIR COMMAND [ARGS...]
# Runs COMMAND in WORKDIR; passes when it exits with EXIT and its stderr is exactly the
# contents of EXPECTED_STDERR, and stdout is empty (bad input must not print results).
set -u
want_rc=$1 expected=$2 dir=$3
shift 3
cd "$dir" || exit 1
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$@" >"$out" 2>"$err"
rc=$?
fail=0
if [ "$rc" != "$want_rc" ]; then
  echo "exit code $rc, expected $want_rc"
  fail=1
fi
if ! diff -u "$expected" "$err"; then
  echo "stderr differs from $expected (diff above: - expected, + got)"
  fail=1
fi
if [ -s "$out" ]; then
  echo "unexpected stdout:"; cat "$out"
  fail=1
fi
exit $fail
