#!/usr/bin/env bash
# Figures 1, 3 and 4 of the paper on the 1D toy: densities of weak, strong and ideal; Delta1 and Delta2;
# trajectories under weak, strong and W2SD; one W2SD zig-zag (strong step down, weak inversion up).
# With the left mode missing from the weak model (the paper's setting) and with weak left weight 0.1.
source "$(dirname "$0")/common.sh"
"$tool" 1d --missing-left --plot "$out/toy-1d-missing-left.svg"
"$tool" 1d --plot "$out/toy-1d.svg"
png "$out/toy-1d-missing-left.svg"; png "$out/toy-1d.svg"
