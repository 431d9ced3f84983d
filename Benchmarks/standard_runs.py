#!/usr/bin/env python3
"""The standard runs whose results a speed change must not move: writes their JSON reports with one binary,
and compares two such sets number by number (timings, version and per-run seconds skipped, as
compare_builds.py does).

  python3 Benchmarks/standard_runs.py write BINARY DIR      runs every case below into DIR/<case>.json
  python3 Benchmarks/standard_runs.py compare DIR_A DIR_B [--tolerance T]

`compare` prints per case "identical" (every number equal), "within T" (relative to max(1, |a|, |b|)),
or the differing fields, and exits with status 1 if any case differs by more than T (default 0: byte-
identical numbers) or is missing.

Typical use: write the reports with the release build before a change (copy the binary aside first), rebuild,
write them again, compare.
"""
import argparse
import os
import subprocess
import sys

from compare_builds import differences

# name -> arguments: the 1D and 2D presets with their defaults, the 10^6-particle W2SD runs of compare.py,
# other seeds and methods, exact inversion with a missing mode, Heun, and two many-mode cases of the zoo.
CASES = {
    "1d-default": ["1d"],
    "1d-w2sd-1m": ["1d", "--methods", "w2sd", "--samples", "1000000"],
    "2d-w2sd-1m": ["2d", "--methods", "w2sd", "--samples", "1000000"],
    "1d-seed7": ["1d", "--seed", "7", "--methods", "strong,w2sd,s2wd,autoguidance,resampling", "--samples", "50000"],
    "2d-default": ["2d"],
    "2d-seed3": ["2d", "--seed", "3", "--methods", "strong,weak,w2sd,s2wd,advanced-resampling", "--samples", "30000"],
    "1d-missing": ["1d", "--missing-left", "--methods", "w2sd,w2sd-corrected", "--inversion", "exact", "--samples", "20000"],
    "2d-heun": ["2d", "--solver", "heun", "--steps", "20", "--methods", "w2sd,strong,exact", "--samples", "40000"],
    "2d-ring8": ["2d", "--case", "ring-8", "--methods", "w2sd", "--samples", "20000"],
    "2d-grid": ["2d", "--case", "grid-5x5", "--methods", "w2sd,strong", "--samples", "20000"],
}


def write(binary, directory, threads):
    os.makedirs(directory, exist_ok=True)
    for name, arguments in CASES.items():
        path = os.path.join(directory, name + ".json")
        subprocess.run([binary] + arguments + ["--threads", str(threads), "--json", path], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"{name}: written")


def compare(first, second, tolerance):
    import json
    failed = False
    for name in CASES:
        paths = [os.path.join(d, name + ".json") for d in (first, second)]
        if not all(os.path.exists(p) for p in paths):
            print(f"{name}: missing")
            failed = True
            continue
        a, b = (json.load(open(p)) for p in paths)
        exact = list(differences(a, b, 0.0))
        within = list(differences(a, b, tolerance))
        print(f"{name}: " + ("identical" if not exact else f"within {tolerance:g} ({len(exact)} numbers moved)" if not within
                             else f"{len(within)} differences beyond {tolerance:g}"))
        for line in (within or exact)[:10]:
            print("  " + line)
        failed = failed or bool(within)
    return failed


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("binary")
    w.add_argument("directory")
    w.add_argument("--threads", type=int, default=2)
    c = sub.add_parser("compare")
    c.add_argument("first")
    c.add_argument("second")
    c.add_argument("--tolerance", type=float, default=0.0)
    args = parser.parse_args()
    if args.command == "write":
        write(args.binary, args.directory, args.threads)
    else:
        sys.exit(1 if compare(args.first, args.second, args.tolerance) else 0)


if __name__ == "__main__":
    main()
