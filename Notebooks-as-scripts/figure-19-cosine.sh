#!/usr/bin/env bash
# Figure 19 of the paper: the cosine between Delta1 and Delta2 per noise level, with their sizes and the
# proxy-score error E(alpha)/E(0); with weak-model families, whether the proxy predicts W2SD's outcome.
source "$(dirname "$0")/common.sh"
"$tool" delta 1d --missing-left --plot "$out/delta-1d-missing-left.svg" > "$out/delta-1d-missing-left.txt"
"$tool" delta 1d --weak-family 0:0.3:13 --plot "$out/delta-1d-weak-family.svg" > "$out/delta-1d-weak-family.txt"
"$tool" delta 2d --weak-family 0:0.25:6 --plot "$out/delta-2d.svg" > "$out/delta-2d.txt"
for f in delta-1d-missing-left delta-1d-weak-family delta-2d; do png "$out/$f.svg"; done
