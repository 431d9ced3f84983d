#!/usr/bin/env bash
# The numerical checks of the claim Delta1 ~ Delta2 (Theorem 1, identity, oracle convergence, the
# autoguidance link, the local claim of Figure 3): Output/verify/report.md and its figure.
source "$(dirname "$0")/common.sh"
"$tool" verify --report Output/verify --json Output/verify/verify.json > Output/verify/summary.txt
png "$out/verify/convergence.svg"
