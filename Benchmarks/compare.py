#!/usr/bin/env python3
"""Side-by-side timing of toy-w2sd and its peers, interleaved (one run of every contestant per round, the
order rotated each round), medians over rounds, ratios, and the load average before and after.

Contestants (1D and 2D presets, W2SD, Euler, paper inversion, T = 50 Karras, PARTICLES particles,
THREADS threads):
  toy whole        `toy-w2sd 1d|2d --methods w2sd`: the whole process wall time, statistics included
  toy kernel       `toy-w2sd bench`: the sampling engine alone (its own timer)
  toy-LABEL ...    the same two for a second binary, if given (--second PATH --second-label LABEL; e.g. the
                   portable build, TOY_W2SD_PORTABLE=1 swift build -c release --build-path /tmp/portable)
  C + OpenMP       peers/w2sd_omp.c, gcc -O3 -march=native -ffast-math -fopenmp (kernel timer)
  NumPy            peers/w2sd_numpy.py (kernel timer, in-place ufuncs, one block per thread)
  JAX              peers/w2sd_jax.py if jax imports (kernel timer after a warm-up call; skipped if not)
Each peer prints its nearest-mode masses; the table shows them beside toy-w2sd's so agreement can be read.

Usage: python3 Benchmarks/compare.py [--rounds 3] [--particles 1000000] [--threads 2]
                                     [--toy .build/release/toy-w2sd]
                                     [--second PATH --second-label portable]
The machine may be shared: read the ratios (same round conditions), not the absolute times.
"""
import argparse
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def build_c_peers(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    paths = {}
    for dim, k in (("1d", 2), ("2d", 4)):
        path = os.path.join(out_dir, f"w2sd_omp_{dim}")
        subprocess.run(["gcc", "-O3", "-march=native", "-ffast-math", "-fopenmp", f"-DMAXK={k}",
                        os.path.join(HERE, "peers", "w2sd_omp.c"), "-o", path, "-lm"], check=True)
        paths[dim] = path
    return paths


def parse_peer(text):
    seconds = float(re.search(r"kernel_seconds ([0-9.eE+-]+)", text).group(1))
    masses = [float(m) for m in re.findall(r"mass \d+ ([0-9.]+)", text)]
    return seconds, masses


def toy_whole(binary, dim, n, threads):
    start = time.perf_counter()
    out = subprocess.run([binary, dim, "--methods", "w2sd", "--samples", str(n), "--threads", str(threads),
                          "--json", "-"], check=True, capture_output=True, text=True).stdout
    seconds = time.perf_counter() - start
    report = json.loads(out)
    masses = find_masses(report)
    return seconds, masses


def find_masses(report):
    """The nearest-mode masses of the w2sd method in a toy-w2sd JSON report (searched, schema-tolerant)."""
    def walk(node):
        if isinstance(node, dict):
            if node.get("method") == "w2sd" or node.get("name") == "w2sd":
                modes = node.get("modes") or node.get("statistics", {}).get("modes")
                if isinstance(modes, list) and modes and isinstance(modes[0], dict) and "mass" in modes[0]:
                    return [round(m["mass"], 4) for m in modes]
            for value in node.values():
                found = walk(value)
                if found:
                    return found
        elif isinstance(node, list):
            for value in node:
                found = walk(value)
                if found:
                    return found
        return None
    return walk(report) or []


def toy_kernels(binary, n, threads):
    command = [binary, "bench", "--samples", str(n), "--memory-samples", "1000", "--threads", str(threads), "--json", "-"]
    run = subprocess.run(command[:2] + ["--tree-samples", "1", "--rounds", "1"] + command[2:], capture_output=True, text=True)
    if run.returncode != 0:  # a binary from before --rounds
        run = subprocess.run(command[:2] + ["--tree-samples", "1"] + command[2:], capture_output=True, text=True)
    if run.returncode != 0:  # a binary from before the tree case
        run = subprocess.run(command, check=True, capture_output=True, text=True)
    out = run.stdout
    cases = {c["name"]: c["seconds"] for c in json.loads(out)["cases"]}
    return cases["1d w2sd"], cases["2d w2sd"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--particles", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--toy", default=os.path.join(ROOT, ".build", "release", "toy-w2sd"))
    parser.add_argument("--second", default=None)
    parser.add_argument("--second-label", default="second")
    parser.add_argument("--no-numpy", action="store_true")
    args = parser.parse_args()
    n, threads = args.particles, args.threads
    env = dict(os.environ, OMP_WAIT_POLICY="passive", OMP_NUM_THREADS=str(threads))
    c_peers = build_c_peers(os.path.join(HERE, ".build"))

    contestants = {}  # name -> function returning {dim: (seconds, masses)}
    def toy(binary, label):
        contestants[f"{label} whole"] = lambda: {d: toy_whole(binary, d, n, threads) for d in ("1d", "2d")}
        def kernel():
            one, two = toy_kernels(binary, n, threads)
            return {"1d": (one, []), "2d": (two, [])}
        contestants[f"{label} kernel"] = kernel
    toy(args.toy, "toy-w2sd")
    if args.second:
        toy(args.second, f"toy-w2sd {args.second_label}")

    def peer(command):
        def run():
            result = {}
            for d in ("1d", "2d"):
                out = subprocess.run(command(d), check=True, capture_output=True, text=True, env=env).stdout
                result[d] = parse_peer(out)
            return result
        return run
    contestants["C + OpenMP"] = peer(lambda d: [c_peers[d], d, str(n), str(threads)])
    if not args.no_numpy:
        contestants["NumPy"] = peer(lambda d: [sys.executable, os.path.join(HERE, "peers", "w2sd_numpy.py"), d, str(n), str(threads)])
    if importlib.util.find_spec("jax") is not None:
        contestants["JAX jit"] = peer(lambda d: [sys.executable, os.path.join(HERE, "peers", "w2sd_jax.py"), d, str(n), str(threads)])
    else:
        print("JAX: not installed, skipped", file=sys.stderr)

    names = list(contestants)
    times = {name: {"1d": [], "2d": []} for name in names}
    masses = {name: {} for name in names}
    load_before = loadavg()
    for r in range(args.rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            result = contestants[name]()
            for d, (seconds, m) in result.items():
                times[name][d].append(seconds)
                if m:
                    masses[name][d] = m
        print(f"round {r + 1}/{args.rounds} done (load {loadavg()})", file=sys.stderr)
    load_after = loadavg()

    median = {name: {d: statistics.median(times[name][d]) for d in ("1d", "2d")} for name in names}
    whole = median["toy-w2sd whole"]
    print(f"{n} particles, W2SD T = 50, {threads} threads, {args.rounds} interleaved rounds; "
          f"load average before {load_before}, after {load_after}")
    print(f"{'contestant':<24} {'1D s':>8} {'2D s':>8} {'1D ratio':>9} {'2D ratio':>9}  masses 1D | 2D")
    for name in names:
        m = median[name]
        print(f"{name:<24} {m['1d']:8.3f} {m['2d']:8.3f} {m['1d'] / whole['1d']:9.2f} {m['2d'] / whole['2d']:9.2f}  "
              f"{masses[name].get('1d', '')} | {masses[name].get('2d', '')}")
    print("ratio = median time / toy-w2sd whole run (statistics included); > 1: the toy-w2sd whole run is faster.")


if __name__ == "__main__":
    main()
