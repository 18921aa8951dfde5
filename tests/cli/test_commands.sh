#!/usr/bin/env bash
# The command-line surface: version, help, unknown commands and options, exit codes,
# config check/show, missing tools. usage: test_commands.sh FAST SOURCE_DIR
set -u
fast=$1 src=$2
fails=0 n=0
# expect RC COMMAND...: the command exits with RC.
expect() {
  local want=$1; shift
  n=$((n + 1))
  "$@" >/tmp/fast-cli-out.$$ 2>/tmp/fast-cli-err.$$
  local rc=$?
  if [ "$rc" != "$want" ]; then
    echo "FAIL: '$*' exited $rc, expected $want"; cat /tmp/fast-cli-err.$$; fails=$((fails + 1))
  fi
}
# has PATTERN FILE: the last output contains the fixed string.
has() {
  n=$((n + 1))
  if ! grep -qF -- "$1" "/tmp/fast-cli-$2.$$"; then
    echo "FAIL: $2 lacks '$1':"; cat "/tmp/fast-cli-$2.$$"; fails=$((fails + 1))
  fi
}
cd "$src" || exit 1
expect 0 "$fast" --version; has "fast 0." out
expect 0 "$fast" --help; has "config check" out
expect 2 "$fast"
expect 2 "$fast" confg check arch/small.json; has "unknown command 'confg' (did you mean 'config check'?)" err
expect 2 "$fast" config; has "'config' needs a sub-command: 'config check' 'config show'" err
expect 2 "$fast" config check --jsn arch/small.json; has "unknown option '--jsn' (did you mean '--json'?)" err
expect 2 "$fast" config check; has "missing argument" err
expect 2 "$fast" --bogus
expect 0 "$fast" config check --help; has "usage: fast config check" out
expect 0 "$fast" config check arch/tpu-v3.json arch/small.json; has "arch/tpu-v3.json: ok" out
expect 0 "$fast" config show arch/small.json; has "hash: " out
expect 0 "$fast" config show arch/small.json --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["hash"])==16 and d["config"]["array"]["rows"]==8' /tmp/fast-cli-out.$$ \
  || { echo "FAIL: config show --json is not the expected document"; fails=$((fails + 1)); }
expect 2 "$fast" config check arch/small.json tests/config/bad/01-malformed.json
has "arch/small.json: ok" out
expect 2 "$fast" config check --json tests/config/bad/01-malformed.json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[0]["ok"] is False and d[0]["errors"]' /tmp/fast-cli-out.$$ \
  || { echo "FAIL: config check --json on a bad file"; fails=$((fails + 1)); }
expect 0 "$fast" tools --json
# The missing-tool path: an empty PATH hides every program.
expect 0 env PATH= "$fast" tools; has "verilator  missing: apt-get install verilator" out
rm -f /tmp/fast-cli-out.$$ /tmp/fast-cli-err.$$
echo "$((n - fails)) passed, $fails failed"
[ "$fails" = 0 ]
