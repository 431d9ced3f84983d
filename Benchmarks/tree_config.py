#!/usr/bin/env python3
"""Writes the bench's 1023-component tree (`TreeMixture.models()`, Sources/Experiments/Bench/TreeMixture.swift)
as an experiment file, so that the bench's case (6b) can be run whole as a user runs it:

  python3 Benchmarks/tree_config.py /tmp/tree.json
  toy-w2sd run --config /tmp/tree.json --methods strong --solver heun --steps 32 --sigma-max 5 \
      --prior exact --samples 20000 --json /tmp/tree-run.json

TreeMixture.swift is the definition; this script restates it (same construction, same order of the
components: the tree walked depth first). One difference from the bench: `--prior exact` draws exact
samples of the ideal p(x; 5), the bench's case those of the strong model.
"""
import json
import math
import sys


def branches(depth=10):
    out = []

    def grow(start, angle, length, level, left):
        end = (start[0] + length * math.cos(angle), start[1] + length * math.sin(angle))
        along, across = length / 4, 0.05 + length / 40
        c, s = math.cos(angle), math.sin(angle)
        a, b = along * along, across * across
        out.append({"mean": [(start[0] + end[0]) / 2, (start[1] + end[1]) / 2],
                    "covariance": [[a * c * c + b * s * s, (a - b) * c * s], [(a - b) * c * s, a * s * s + b * c * c]],
                    "length": length, "left": left})
        if level + 1 < depth:
            grow(end, angle + 0.5, 0.7 * length, level + 1, True if level == 0 else left)
            grow(end, angle - 0.5, 0.7 * length, level + 1, False if level == 0 else left)

    grow((0.0, -6.0), math.pi / 2, 4.0, 0, False)
    return out


def mixture(tree, left_scale):
    return {"components": [{"weight": b["length"] * (left_scale if b["left"] else 1), "mean": b["mean"],
                            "covariance": b["covariance"]} for b in tree]}


if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1].endswith(".json"):
        sys.exit("usage: tree_config.py OUT.json")
    tree = branches()
    with open(sys.argv[1], "w") as f:
        json.dump({"ideal": mixture(tree, 1), "strong": mixture(tree, 0.6), "weak": mixture(tree, 0.3),
                   "sampler": {"samples": 20000}}, f)
