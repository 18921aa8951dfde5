#!/usr/bin/env python3
"""Runs every case of tests/rtl/sim/cases.txt with `fast sim --json` and prints one table:
model cycles, RTL cycles, their error, bit-exactness, build and run times (docs/sim.md).

  summary.py --fast BUILD/fast [--jobs N] [--only SUBSTRING] [--markdown]

Exit 0 when every case is bit-exact, 1 otherwise."""
import argparse
import concurrent.futures
import json
import os
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.normpath(os.path.join(HERE, "..", "..", ".."))


def cases():
    configs, layers = [], []
    for line in open(os.path.join(HERE, "cases.txt")):
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "config":
            configs.append(os.path.join(SRC, words[1]))
        elif words[0] == "layer":
            layers.append((words[1], words[2], words[3:]))
    # A layer with --global runs on the configurations that have a global memory.
    def fits(c, l):
        with open(c) as f:
            return "--global" not in l[2] or json.load(f)["memory"]["global_mib"] > 0
    return [(c, l) for c in configs for l in layers if fits(c, l)]


def run(fast, arch, layer):
    name, spec, extra = layer
    cmd = [fast, "sim", "--json", "--arch", arch, "--layer", spec] + extra
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - t0
    try:
        d = json.loads(p.stdout)
    except ValueError:
        d = None
    return arch, name, spec, extra, p.returncode, d, p.stderr.strip(), wall


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fast", required=True)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--only", default="", help="run the cases whose config or layer name contains this")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    a = ap.parse_args()
    todo = [(c, l) for c, l in cases()
            if not a.only or a.only in os.path.basename(c) or a.only in l[0]]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        results = list(ex.map(lambda cl: run(a.fast, cl[0], cl[1]), todo))
    head = ["config", "layer", "fused", "tiling", "bound", "model", "RTL", "error", "bit-exact",
            "build s", "run s"]
    # model: "v" marks a layer the model prices on the vector unit (it runs on the arrays).
    rows, bad, notes = [], 0, []
    for arch, name, spec, extra, rc, d, err, wall in results:
        cfg = os.path.splitext(os.path.basename(arch))[0]
        fused = "relu+requant" if "--requant" in extra else ""
        if "--global" in extra:
            fused += (" " if fused else "") + "global " + extra[extra.index("--global") + 1]
        if d is None:
            bad += 1
            rows.append([cfg, spec, fused, "", "", "", "", "", f"FAILED (exit {rc})", "", ""])
            notes.append(err)
            continue
        t = d["tiling"]
        ok = d["bit_exact"] and rc == 0
        bad += not ok
        rows.append([cfg, spec, fused,
                     f"{t['tm']}x{t['tk']}x{t['tn']} {t['order']}{' db' if t['double_buffered'] else ''}"
                     f" {t['split']}/{t['units']}",
                     d["model_bound"],
                     str(d["model_cycles"]) + (" v" if d["model_unit"] == "vector" else ""),
                     str(d["rtl_cycles"]), f"{100 * d['error']:+.1f}%",
                     "yes" if ok else f"NO ({d['mismatches']} of {d['outputs']})",
                     "cached" if d["cached"] else f"{d['build_seconds']:.1f}",
                     f"{d['sim_seconds']:.2f}"])
    if a.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join(" --- " for _ in head) + "|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        w = [max(len(x) for x in col) for col in zip(head, *rows)]
        for r in [head] + rows:
            print("  ".join(x.ljust(n) for x, n in zip(r, w)).rstrip())
    for n in notes:
        print(n)
    errs = [abs(d["error"]) for *_, d, _, _ in results if d]
    if errs:
        print(f"\n{len(results)} cases, {len(results) - bad} bit-exact; |error| mean "
              f"{100 * sum(errs) / len(errs):.1f}%, max {100 * max(errs):.1f}%"
              " (v: a network's model maps the layer to the vector unit; model is the price of the "
              "program, on the arrays)")
        # DESIGN.md's target: within 1% when compute-bound, 5% when memory-bound.
        for bound, target in (("compute", 0.01), ("memory", 0.05)):
            e = [abs(d["error"]) for *_, d, _, _ in results if d and d["model_bound"] == bound]
            if e:
                also = "" if target <= 0.01 else f", {sum(x <= 0.01 for x in e)} within 1%"
                print(f"{bound}-bound: {len(e)} case{'s' if len(e) > 1 else ''}, "
                      f"{sum(x <= target for x in e)} within {100 * target:.0f}% (the target)"
                      f"{also}, max {100 * max(e):.1f}%")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
