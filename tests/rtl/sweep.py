#!/usr/bin/env python3
"""The configuration sweep: random valid configurations through `fast gen`, each top module
it emits (the datapath `fast_<name>_core` and the whole accelerator `fast_<name>_accel`)
checked with `verilator --lint-only -Wall` and `iverilog -g2005`, and the smaller
datapaths synthesized with Yosys (`synth -top`, memories kept as macros). The configurations given with --arch are synthesized whole: the
accelerator too, with its memories counted as memories.

    sweep.py --fast FAST --out DIR [--count N] [--seed S] [--synth K] [--dataflow ws|os|both]
             [--arch FILE]...

Configurations given with --arch are checked first, and always synthesized.

Prints one line per configuration and a summary; exits 1 when any check fails. The same
seed gives the same configurations."""
import argparse
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import time


def pow2_at_most(rng, hi):
    return 1 << rng.randint(0, int(math.log2(hi)))


def log_uniform(rng, lo, hi):
    """An integer in lo..hi, small values as likely as large ones in ratio."""
    return min(hi, max(lo, int(round(math.exp(rng.uniform(math.log(lo), math.log(hi + 0.5)))))))


def random_config(rng, bw_rng, i, dataflows):
    """Configuration i. rng draws everything but the DRAM bandwidth, which bw_rng draws (so
    that adding the bandwidth kept the configurations of earlier sweeps)."""
    rows = log_uniform(rng, 1, 64)
    cols = log_uniform(rng, 1, 64)
    count = rng.choice([1, 1, 1, 2, 3])
    dtype = rng.choice(["int8", "bf16"])
    dataflow = rng.choice(dataflows)
    eb = 1 if dtype == "int8" else 2
    banks = pow2_at_most(rng, 8)
    acc_mult = rng.choice([1, 2, 4])
    weight_mult = rng.choice([1, 2])
    input_mult = rng.choice([1, 4])
    process = rng.choice([45, 28, 16, 7])
    clock = rng.choice([200, 500, 940, 1000])
    bandwidth = bw_rng.choice([25.6, 25.6, 102.4, 409.6])
    # The external port's beat (docs/model.md 3.2): bytes per cycle rounded up to a power
    # of two, 4 to 1024.
    beat = 4
    while beat < bandwidth * 1000 / clock and beat < 1024:
        beat *= 2
    # Accumulator share per array: two halves of at least 2 rows per bank and, for OS, of
    # one block of rows each. Scratchpads: two accesses of the widest port (the array's
    # side, or a DMA beat) in every bank.
    need_rows = max(4 * banks, 2 * rows if dataflow == "os" else 0)
    acc_kib = max(1, math.ceil(need_rows * cols * 4 * count / 1024)) * acc_mult
    wide = max(banks, beat // eb, 1 << (max(rows, cols) - 1).bit_length())
    weight_kib = max(1, math.ceil(count * max(rows * cols, 2 * wide) * eb / 1024)) * weight_mult
    input_kib = max(1, math.ceil(count * 2 * max(rows, wide) * eb / 1024)) * input_mult
    return {
        "name": "sweep-%03d" % i,
        "process_nm": process,
        "clock_mhz": clock,
        "cores": rng.choice([1, 2]),
        "array": {"rows": rows, "cols": cols, "count": count, "dataflow": dataflow,
                  "dtype": dtype},
        "vector": {"lanes": log_uniform(rng, 1, 64)},
        "memory": {"input_kib": input_kib, "weight_kib": weight_kib, "acc_kib": acc_kib,
                   "global_mib": rng.choice([0, 0, 1]), "banks": banks},
        "dram": {"bandwidth_gbps": bandwidth, "latency_ns": 100},
    }


def run(cmd, timeout=900):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return -1, "timed out after %d s" % timeout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fast", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--arch", action="append", default=[],
                    help="a configuration file to check before the random ones")
    ap.add_argument("--dataflow", choices=["ws", "os", "both"], default="both",
                    help="dataflow of the random configurations")
    ap.add_argument("--synth", type=int, default=10,
                    help="synthesize this many of the configurations with at most 64 PEs")
    args = ap.parse_args()
    for tool in ("verilator", "iverilog", "yosys"):
        if not shutil.which(tool):
            print("sweep: error[tool]: %s: not found; install the Debian package %s"
                  % (tool, tool), file=sys.stderr)
            return 3
    rng = random.Random(args.seed)
    bw_rng = random.Random(args.seed * 7919 + 1)
    os.makedirs(args.out, exist_ok=True)
    counts = {"lint": 0, "iverilog": 0, "synth": 0, "accel": 0, "accel_synth": 0}
    failures = []
    synth_left = args.synth
    start = time.time()
    fixed = []
    for path in args.arch:  # the canonical form, with every default filled in
        rc, out = run([args.fast, "config", "show", path, "--json"])
        if rc != 0:
            print("sweep: %s" % out.strip(), file=sys.stderr)
            return 2
        fixed.append(json.loads(out)["config"])
    for i in range(len(fixed) + args.count):
        dataflows = ["ws", "os"] if args.dataflow == "both" else [args.dataflow]
        cfg = fixed[i] if i < len(fixed) else random_config(rng, bw_rng, i - len(fixed), dataflows)
        a = cfg["array"]
        desc = "%s: %dx%d x%d %s %s, %d lanes, %d banks" % (
            cfg["name"], a["rows"], a["cols"], a["count"], a["dataflow"], a["dtype"],
            cfg["vector"]["lanes"], cfg["memory"]["banks"])
        path = os.path.join(args.out, cfg["name"] + ".json")
        with open(path, "w") as f:
            json.dump(cfg, f, indent=1)
        rtl = os.path.join(args.out, cfg["name"])
        rc, out = run([args.fast, "gen", "--arch", path, "--out", rtl, "--json"])
        if rc != 0:
            failures.append("%s: fast gen: %s" % (desc, out.strip()))
            print("FAIL " + failures[-1], flush=True)
            continue
        gen = json.loads(out)
        top = gen["top"]
        tops = [top] + ([gen["accel"]] if gen.get("accel") else [])
        verilog = [f for f in gen["files"] if f.endswith(".v")]
        results = []
        for t in tops:
            rc, out = run(["verilator", "--lint-only", "-Wall", "--top-module", t] + verilog)
            if rc == 0:
                counts["lint"] += 1
                results.append("%s lint ok" % t)
            else:
                failures.append("%s: %s: verilator --lint-only -Wall:\n%s" % (desc, t, out))
            rc, out = run(["iverilog", "-g2005", "-o", os.devnull, "-s", t] + verilog)
            if rc == 0:
                counts["iverilog"] += 1
                results.append("iverilog ok")
            else:
                failures.append("%s: %s: iverilog -g2005:\n%s" % (desc, t, out))
        counts["accel"] += len(tops) - 1
        if i < len(fixed) or (synth_left > 0 and a["rows"] * a["cols"] * a["count"] <= 64
                               and cfg["vector"]["lanes"] <= 16):
            synth_left -= i >= len(fixed)
            macros = [f for f in verilog if os.path.basename(f).startswith("fast_sram")]
            logic = [f for f in verilog if f not in macros]
            script = "".join("read_verilog -lib %s; " % f for f in macros)
            # The datapath; for the given configurations the accelerator as well.
            for t in tops if i < len(fixed) else [top]:
                report = os.path.join(args.out, "%s.%s.synth.txt" % (cfg["name"], t))
                rc, out = run(["yosys", "-q", "-p", script + "read_verilog %s; synth -top %s; "
                               "tee -q -o %s stat" % (" ".join(logic), t, report)],
                              timeout=3600)
                text = ""
                if rc == 0 and os.path.exists(report):
                    with open(report) as f:
                        text = f.read()
                cells = re.findall(r"Number of cells:\s+(\d+)", text)
                # The memories stay black-box instances of the wrapper (the last, whole-design
                # section of the report counts them).
                mems = re.findall(r"fast_sram_2r1w\S*\s+(\d+)", text.split("=== design hierarchy ===")[-1])
                if rc == 0 and cells and "ERROR" not in out:
                    counts["synth"] += 1
                    counts["accel_synth"] += t != top
                    results.append("%s synth ok (%s cells, %s memories)"
                                   % (t, cells[-1], sum(int(m) for m in mems) if mems else 0))
                else:
                    failures.append("%s: %s: yosys synth:\n%s" % (desc, t, out[-3000:]))
        print("%s: %s" % (desc, ", ".join(results) if results else "FAIL"), flush=True)
    print("sweep: %d configurations (%d given, %d random with seed %d), %d with the "
          "accelerator: %d top modules lint-clean, %d compile in iverilog, %d synthesized "
          "(%d accelerators); %d failures; %.0f s"
          % (len(fixed) + args.count, len(fixed), args.count, args.seed, counts["accel"],
             counts["lint"], counts["iverilog"], counts["synth"], counts["accel_synth"],
             len(failures), time.time() - start))
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
