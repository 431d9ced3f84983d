#!/usr/bin/env python3
"""Measures how long the documented commands take and writes the one timing record the docs cite,
`Benchmarks/timings.json`. Run it deliberately (on a quiet machine, after a change that moves the times);
nothing else writes that file.

What it measures, each from a fresh clone of the repository at its current commit (nothing reused from an
existing `.build`), one command after the other, in this order:

  tests           `swift test`: the debug build, then the whole suite (the README's test command, also run by .ci/run)
  release-build   `swift build -c release` (what `swift run -c release ...` does first on a fresh clone)
  1d-missing-left `.build/release/toy-w2sd 1d --missing-left` (the main command, once built)
  2d-plot         `.build/release/toy-w2sd 2d --plot out.svg`
  verify          `.build/release/toy-w2sd verify` (the full checks)
  sweep-benchmark `.build/release/toy-w2sd sweep --benchmark`
  train-strong-1d `.build/release/toy-w2sd train --preset strong-1d --out strong-1d.model`
  notebooks-all   `.build/release/notebooks all` (every study, into the clone's own Output/, as a user runs it: the
                  trained models are the committed ones, so nothing is trained); the record then says whether
                  the regenerated Output/ equals the committed one (`git status --porcelain Output`)

Beside each: wall seconds, exit status, the load average before and after, for `swift test` the
summary line of the test run, and for `sweep --benchmark` its output (the seconds of both ways of using
the cores). The machine: `nproc`, the CPU model, memory, the OS, the Swift version,
the time, and a free-text `--note` (say whether other jobs were running). Every step must succeed; the
record is then written atomically (an existing record is replaced only by a complete one). While it runs,
the steps done so far are kept in OUT.partial (a long run that is interrupted still shows what it
measured; it is not the record).

Usage (from anywhere):
  python3 Benchmarks/measure_timings.py --note "quiet machine"
  python3 Benchmarks/measure_timings.py --skip notebooks-all --out /tmp/timings.json   # a partial trial
"""
import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

# Steps whose printed output is kept in the record (it holds timings the docs quote).
OUTPUT_KEPT = {"sweep-benchmark", "notebooks-all"}
STEPS = ["tests", "release-build", "1d-missing-left", "2d-plot", "verify", "sweep-benchmark", "train-strong-1d", "notebooks-all"]


def commands(scratch):
    """Each step's command line (run in the fresh clone) and its description for the record."""
    binary = ".build/release/toy-w2sd"
    return {
        "tests": ["swift", "test"],
        "release-build": ["swift", "build", "-c", "release"],
        "1d-missing-left": [binary, "1d", "--missing-left"],
        "2d-plot": [binary, "2d", "--plot", os.path.join(scratch, "out.svg")],
        "verify": [binary, "verify"],
        "sweep-benchmark": [binary, "sweep", "--benchmark"],
        "train-strong-1d": [binary, "train", "--preset", "strong-1d", "--out", os.path.join(scratch, "strong-1d.model")],
        "notebooks-all": [".build/release/notebooks", "all"],
    }


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return [float(v) for v in f.read().split()[:3]]
    except OSError:
        return list(os.getloadavg())


def first_line(command):
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return out.strip().splitlines()[0] if out.strip() else ""
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") or line.startswith("Model"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return first_line(["sysctl", "-n", "machdep.cpu.brand_string"]) or platform.processor() or "unknown"


def memory_gib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def machine(note):
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "memoryGiB": memory_gib(),
        "os": " ".join(platform.uname()[i] for i in (0, 2, 4)),
        "swift": first_line(["swift", "--version"]),
        "loadAverageAtStart": load_average(),
        "note": note,
    }


def write_json(record, path):
    """Writes `record` to `path` atomically (a temporary file, then a rename)."""
    temporary = path + ".tmp"
    with open(temporary, "w") as f:
        json.dump(record, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(temporary, path)


def run_step(name, command, cwd):
    """Runs one step, its output kept in a log beside the clone; returns its record."""
    before = load_average()
    start = time.monotonic()
    with open(os.path.join(os.path.dirname(cwd), name + ".log"), "w") as log:
        status = subprocess.run(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT).returncode
    seconds = time.monotonic() - start
    record = {"command": " ".join(command), "seconds": round(seconds, 1), "status": status,
              "loadAverageBefore": before, "loadAverageAfter": load_average()}
    if name in OUTPUT_KEPT:
        with open(os.path.join(os.path.dirname(cwd), name + ".log")) as log:
            record["output"] = [line.rstrip("\n") for line in log]
    if name == "notebooks-all":
        changed = subprocess.run(["git", "status", "--porcelain", "Output"], cwd=cwd, capture_output=True, text=True).stdout.splitlines()
        record["outputUnchanged"] = not changed
        record["outputChanged"] = changed
    if name == "tests":
        with open(os.path.join(os.path.dirname(cwd), name + ".log")) as log:
            summaries = [line.strip() for line in log if re.search(r"Test run with \d+ tests?", line)
                         or re.search(r"Executed \d+ tests?", line)]
        record["summary"] = summaries
    print(f"{name}: {record['seconds']} s, status {status}, load {before} -> {record['loadAverageAfter']}", file=sys.stderr)
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--repository", default=root, help="the repository to clone (default: this one)")
    parser.add_argument("--out", default=os.path.join(root, "Benchmarks", "timings.json"), help="the record to write")
    parser.add_argument("--note", required=True, help="the state of the machine (e.g. 'quiet' or 'shared with 7 builds')")
    parser.add_argument("--skip", default="", help="comma list of steps to leave out (a partial record)")
    args = parser.parse_args()
    skipped = [s for s in args.skip.split(",") if s]
    unknown = [s for s in skipped if s not in STEPS]
    if unknown:
        parser.error(f"unknown step(s) {', '.join(unknown)}; accepted: {', '.join(STEPS)}")
    if not os.path.isdir(os.path.dirname(os.path.abspath(args.out))):
        parser.error(f"--out {args.out}: its folder does not exist")

    commit = subprocess.run(["git", "-C", args.repository, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    record = {
        "schema": "toy-w2sd.timings/1",
        "measuredBy": "Benchmarks/measure_timings.py",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ"),
        "commit": commit,
        "machine": machine(args.note),
        "steps": {},
    }
    with tempfile.TemporaryDirectory(prefix="toy-w2sd-timings-") as scratch:
        clone = os.path.join(scratch, "clone")
        subprocess.run(["git", "clone", "--quiet", args.repository, clone], check=True)
        subprocess.run(["git", "-C", clone, "checkout", "--quiet", commit], check=True)
        lines = commands(scratch)
        for name in STEPS:
            if name in skipped:
                continue
            step = run_step(name, lines[name], clone)
            record["steps"][name] = step
            write_json(record, args.out + ".partial")
            if step["status"] != 0:
                print(f"{name} failed (status {step['status']}); the record is not written. Log: {scratch}/{name}.log", file=sys.stderr)
                with open(os.path.join(scratch, name + ".log")) as log:
                    sys.stderr.write("".join(log.readlines()[-30:]))
                return 1
    record["machine"]["loadAverageAtEnd"] = load_average()
    record["skipped"] = skipped
    write_json(record, args.out)
    if os.path.exists(args.out + ".partial"):
        os.remove(args.out + ".partial")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
