#!/usr/bin/env bash
# Figures 5 and 20 of the paper on the 2D toy: exact and sampled densities of strong, weak and W2SD,
# 2D trajectories with start and end points, and arrows of Delta1 and Delta2 at a middle noise level.
source "$(dirname "$0")/common.sh"
"$tool" 2d --plot "$out/toy-2d.svg"
png "$out/toy-2d.svg"
