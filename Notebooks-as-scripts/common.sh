# Sourced by every script here: build the release binary once and define helpers.
# Each script regenerates one figure or table of the paper into Output/ (see Output/README.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
swift build -c release >&2
tool="$root/.build/release/toy-w2sd"
out="$root/Output"

# png FILE.svg: a PNG beside the SVG when rsvg-convert (Debian's librsvg2-bin) is installed.
png() { if command -v rsvg-convert > /dev/null; then rsvg-convert "$1" -o "${1%.svg}.png"; fi; }
# row METHOD: the summary-table line of METHOD (its first mode) from stdin.
row() { awk -v m="$1" '$1 == m { print; exit }'; }
# The left-mode mass and the W1 of a summary-table line: columns 3 and 6.
left_mass() { awk '{ print $3 }'; }
w1() { awk '{ print $6 }'; }
