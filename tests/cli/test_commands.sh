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
# Workloads and the model.
expect 0 "$fast" workloads list --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); n={e["name"] for e in d}; assert {"efficientnet-b0","efficientnet-b7","resnet50","resnet50-v2","mobilenet-v2","bert-base-seq128","bert-large-seq512","tiny-cnn"} <= n and all(e["macs"]>0 and e["params"]>0 and e["ops"]>0 for e in d)' /tmp/fast-cli-out.$$ \
  || { echo "FAIL: workloads list --json"; fails=$((fails + 1)); }
expect 0 "$fast" workloads show gemm:128,256,64 --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["macs"]==2097152 and d["ops"][0]["output"]==[1,128,64]' /tmp/fast-cli-out.$$ \
  || { echo "FAIL: workloads show gemm:128,256,64"; fails=$((fails + 1)); }
expect 0 "$fast" workloads show tiny-cnn --batch 4; has "batch 4" out
expect 2 "$fast" workloads show efficientnet-b9; has "did you mean efficientnet-b0?" err
expect 2 "$fast" workloads show tiny-cnn --batch 0
out=$(mktemp -d)
expect 0 "$fast" workloads export bert-base-seq128 --out "$out/bert.json"
expect 0 "$fast" workloads show "$out/bert.json" --batch 2; has "batch 2" out
expect 2 "$fast" workloads export tiny-cnn --out "$out/no/such/dir/x.json"
[ -z "$(ls "$out/no" 2>/dev/null)" ] || { echo "FAIL: export left files behind"; fails=$((fails + 1)); }
rm -rf "$out"
expect 0 "$fast" eval --arch arch/tpu-v3.json --workload efficientnet-b0
has "time by operation class" out; has "depthwise conv" out; has "squeeze-excite" out
expect 0 "$fast" eval --arch arch/small.json --workload bert-base-seq128 --json
python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
for k in ("cycles","latency_s","throughput_ips","energy_j","macs","utilization","dram_bytes"):
    assert d[k] > 0, k
assert 0 < d["utilization"] <= 1
assert sum(o["cycles"] for o in d["ops"]) == d["cycles"]
assert all(o["bound"] in ("compute","memory","vector","fused","none") for o in d["ops"])
assert any(o["tiling"] and o["tiling"]["tm"] >= 1 for o in d["ops"])
' /tmp/fast-cli-out.$$ || { echo "FAIL: eval --json document"; fails=$((fails + 1)); }
expect 2 "$fast" eval --arch arch/small.json; has "required" err
expect 2 "$fast" eval --arch tests/config/bad/01-malformed.json --workload tiny-cnn; has "error[config]" err
expect 2 "$fast" eval --arch arch/small.json --workload gemm:0,1,1; has "error[workload]" err
expect 0 "$fast" bench model --configs 20 --workload tiny-cnn --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[0]["workload"]=="tiny-cnn" and d[0]["configs"]==20 and d[0]["evals_per_s"]>0' /tmp/fast-cli-out.$$ \
  || { echo "FAIL: bench model --json"; fails=$((fails + 1)); }
rm -f /tmp/fast-cli-out.$$ /tmp/fast-cli-err.$$
echo "$((n - fails)) passed, $fails failed"
[ "$fails" = 0 ]
