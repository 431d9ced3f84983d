#!/usr/bin/env python3
"""Runs `toy-w2sd delta --case NAME --json FILE` for every case of the catalogue (Examples/cases/*.json)
with two binaries, e.g. release builds before and after a change of the Delta integrals, and compares the
two reports number by number (timings and the version skipped, as in compare_builds.py).

Per case it prints the wall time of each binary and the largest difference, both as |a - b| / max(|a|, |b|)
(relative) and as |a - b| / max(1, |a|, |b|) (the measure compare_builds.py's tolerance uses), with the
field where it occurs. Exit status 1 when a difference exceeds --tolerance in the second measure, or the
reports differ in structure.

The first binary's reports and times can be kept (--keep DIR: DIR/NAME.json and DIR/NAME.seconds) and
reused by later runs, since the old code may take minutes per case.

Usage (from the repository root):
  python3 Benchmarks/compare_delta.py BEFORE AFTER [--cases grid-5x5,ring-8] [--threads 2]
                                      [--tolerance 1e-9] [--keep /tmp/delta-before]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from compare_builds import leaves

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def catalogue():
    folder = os.path.join(ROOT, "Examples", "cases")
    return sorted(name[:-5] for name in os.listdir(folder) if name.endswith(".json"))


def run(binary, case, threads, path):
    """Runs delta on one case, writes its report to `path`, returns the wall time in seconds."""
    start = time.monotonic()
    subprocess.run([binary, "delta", "--case", case, "--threads", str(threads), "--json", path],
                   check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - start


def report_and_time(binary, case, threads, keep):
    if keep:
        path, seconds_path = os.path.join(keep, case + ".json"), os.path.join(keep, case + ".seconds")
        if not (os.path.exists(path) and os.path.exists(seconds_path)):
            seconds = run(binary, case, threads, path)
            with open(seconds_path, "w") as f:
                f.write(f"{seconds}\n")
        with open(path) as f, open(seconds_path) as g:
            return json.load(f), float(g.read())
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, case + ".json")
        seconds = run(binary, case, threads, path)
        with open(path) as f:
            return json.load(f), seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--cases", help="comma list (default: every case of Examples/cases)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tolerance", type=float, default=1e-9)
    parser.add_argument("--keep", help="folder for the first binary's reports and times (reused when present)")
    args = parser.parse_args()
    cases = args.cases.split(",") if args.cases else catalogue()
    unknown = [c for c in cases if c not in catalogue()]
    if unknown:
        sys.exit(f"--cases: unknown case {', '.join(unknown)}; accepted: {', '.join(catalogue())}")
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    failed = False
    print(f"{'case':<24} {'before s':>9} {'after s':>9} {'max rel diff':>13} {'max diff/max(1,|x|)':>20}  field")
    for case in cases:
        a, seconds_a = report_and_time(args.before, case, args.threads, args.keep)
        b, seconds_b = report_and_time(args.after, case, args.threads, None)
        relative, absolute, field, structural = 0.0, 0.0, "-", []
        for where, x, y in leaves(a, b):
            if y is None:
                structural.append(f"{where}: {x}")
                continue
            scale = max(abs(x), abs(y))
            r = abs(x - y) / scale if scale > 0 else 0.0
            if r > relative:
                relative, field = r, where
            absolute = max(absolute, abs(x - y) / max(1.0, scale))
        print(f"{case:<24} {seconds_a:>9.2f} {seconds_b:>9.2f} {relative:>13.2e} {absolute:>20.2e}  {field}")
        for line in structural:
            print("    " + line)
        failed = failed or bool(structural) or absolute > args.tolerance
    loads = os.getloadavg()
    print(f"load average now: {loads[0]:.1f} {loads[1]:.1f} {loads[2]:.1f}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
