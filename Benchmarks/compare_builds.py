#!/usr/bin/env python3
"""Checks that two toy-w2sd binaries (e.g. the default host-CPU release build and the portable one built with
TOY_W2SD_PORTABLE=1) give the same numbers: `1d` and `2d` with every method of `--methods`, `--samples N`
particles, `--json -`; every number of the two JSON reports must agree to `--tolerance` relative (default
1e-12; timings, version, the toolkit object (its build differs) and per-run seconds are skipped). Exit status 1 and the differing fields otherwise.

Usage (from the repository root):
  swift build -c release && TOY_W2SD_PORTABLE=1 swift build -c release --scratch-path .build-portable
  python3 Benchmarks/compare_builds.py .build/release/toy-w2sd .build-portable/release/toy-w2sd
"""
import argparse
import json
import subprocess
import sys

SKIPPED = ("seconds", "version", "toolkit", "time", "elapsed")  # toolkit: the builds differ by design


def report(binary, dim, methods, samples, threads):
    out = subprocess.run([binary, dim, "--methods", methods, "--samples", str(samples), "--threads", str(threads),
                          "--json", "-"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def leaves(a, b, path=""):
    """Walks two JSON documents side by side: yields (path, x, y) for every pair of numbers, and
    (path, message, None) for every structural difference (a key in one only, list lengths, other values
    that differ). Keys naming timings, the version or per-run seconds are skipped."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if any(word in key.lower() for word in SKIPPED):
                continue
            if key not in a or key not in b:
                yield f"{path}.{key}", "only in one report", None
            else:
                yield from leaves(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield path, f"lengths {len(a)} and {len(b)}", None
        for i, (x, y) in enumerate(zip(a, b)):
            yield from leaves(x, y, f"{path}[{i}]")
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        yield path, a, b
    elif a != b:
        yield path, f"{a!r} vs {b!r}", None


def differences(a, b, tolerance, path=""):
    for where, x, y in leaves(a, b, path):
        if y is None:
            yield f"{where}: {x}"
        elif abs(x - y) > tolerance * max(1.0, abs(x), abs(y)):
            yield f"{where}: {x!r} vs {y!r}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("first")
    parser.add_argument("second")
    parser.add_argument("--methods", default="exact,strong,weak,w2sd,s2wd,autoguidance,w2sd-corrected")
    parser.add_argument("--samples", type=int, default=20000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tolerance", type=float, default=1e-12)
    args = parser.parse_args()
    failed = False
    for dim in ("1d", "2d"):
        a = report(args.first, dim, args.methods, args.samples, args.threads)
        b = report(args.second, dim, args.methods, args.samples, args.threads)
        found = list(differences(a, b, args.tolerance))
        identical = not list(differences(a, b, 0.0))
        print(f"{dim}: {'identical' if identical else 'within tolerance' if not found else f'{len(found)} differences'}")
        for line in found[:20]:
            print("  " + line)
        failed = failed or bool(found)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
