#!/usr/bin/env bash
# Figure 11 of the paper: sweep the weak-to-strong difference through zero to negative. The 1D weak
# model's left weight goes from 0 to 0.5 while strong stays at 0.3: below 0.3 Delta1 points the right
# way, at 0.3 it vanishes, above it points the wrong way. S2WD (the reflection with the roles swapped)
# runs beside W2SD. Ideal left mass: 0.5.
source "$(dirname "$0")/common.sh"
table="$out/figure-11-difference-sweep.md"
{
  echo "| weak left weight | W2SD left mass | W2SD W1 | S2WD left mass | S2WD W1 | strong left mass | strong W1 |"
  echo "|---|---|---|---|---|---|---|"
  for w in 0 0.05 0.1 0.15 0.2 0.25 0.3 0.35 0.4 0.45 0.5; do
    right=$(awk -v w="$w" 'BEGIN { printf "%g", 1 - w }')
    result=$("$tool" 1d --weak-weights "$w,$right" --methods strong,w2sd,s2wd 2> /dev/null)
    s=$(echo "$result" | row strong); a=$(echo "$result" | row w2sd); b=$(echo "$result" | row s2wd)
    echo "| $w | $(echo "$a" | left_mass) | $(echo "$a" | w1) | $(echo "$b" | left_mass) | $(echo "$b" | w1) | $(echo "$s" | left_mass) | $(echo "$s" | w1) |"
  done
} > "$table"
cat "$table"
