#!/usr/bin/env bash
# Group-scale benchmark, Isnad beside mls-rs in one run on this machine (issue 3, "Performance").
# Builds the release benchmark, runs `IsnadBenchmarks group` then Benchmarks/mls_rs_bench.py
# back to back at the same sizes, and prints one table with the ratios and issue 3's targets.
#
# Usage: bash scripts/bench-group.sh [--quick] [--large] [--sizes 10,100,1000]
#   --quick   one repetition per figure instead of three (for a fast look; noisier)
#   --large   adds n=10000: several minutes (the add of 9999 members and its join dominate)
# Full trees are built one join at a time (quadratic), so the full-tree figures are measured
# up to n=1000 (with 8n up to 1000: 10→80, 100→800); set FULL_TREE_MAX to change that.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=10,100,1000
quick=()
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=(--quick) ;;
        --large) sizes=10,100,1000,10000 ;;
        --sizes) sizes="$2"; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

venv=.venv-interop
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r Tests/Interop/requirements.txt

swift build -c release --product IsnadBenchmarks
bin="$(swift build -c release --show-bin-path)/IsnadBenchmarks"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "== Isnad (sizes $sizes) =="
"$bin" group --sizes "$sizes" --full-tree-max "${FULL_TREE_MAX:-1000}" --json "$out/isnad.json" "${quick[@]}"
echo "== mls-rs (sizes $sizes) =="
"$venv/bin/python" Benchmarks/mls_rs_bench.py --sizes "$sizes" "${quick[@]}" > "$out/mls-rs.json"
echo
echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, suite 0x0001, fastest of each figure's repetitions =="
"$venv/bin/python" Benchmarks/group_table.py "$out/isnad.json" "$out/mls-rs.json"
