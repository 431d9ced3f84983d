#!/usr/bin/env bash
# Table 13 of the paper: the gain of W2SD shrinks as the inversion error k grows (W2SD inverts with
# s_w + k eps). 1D preset (weak left weight 0.1); strong-only sampling for reference. Ideal left mass: 0.5.
source "$(dirname "$0")/common.sh"
table="$out/table-13-inversion-error.md"
{
  strong=$("$tool" 1d --methods strong 2> /dev/null | row strong)
  echo "Strong only: left mass $(echo "$strong" | left_mass), W1 $(echo "$strong" | w1)."
  echo
  echo "| k | W2SD left mass | W2SD W1 |"
  echo "|---|---|---|"
  for k in 0 0.001 0.003 0.01 0.03 0.1 0.3 1; do
    a=$("$tool" 1d --methods w2sd --inversion-error "$k" 2> /dev/null | row w2sd)
    echo "| $k | $(echo "$a" | left_mass) | $(echo "$a" | w1) |"
  done
} > "$table"
cat "$table"
