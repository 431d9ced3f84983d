#!/usr/bin/env bash
# Regenerates every figure and table of Output/paper and Output/verify.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for script in "$here"/figure-*.sh "$here"/table-*.sh "$here"/verify-report.sh; do
  echo "== $(basename "$script")" >&2
  "$script"
done
