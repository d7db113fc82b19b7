#!/usr/bin/env bash
# Group-scale benchmark, Isnad beside mls-rs in one run on this machine (issue 3, "Performance").
# Builds the release benchmark, then alternates, round after round, `IsnadBenchmarks group` and
# Benchmarks/mls_rs_bench.py at the same sizes (one repetition each per round, so a busy
# machine slows both alike), then measures Isnad's full trees, and prints one table: the
# fastest of the rounds for each figure, the ratios, and issue 3's targets.
#
# Usage: bash scripts/bench-group.sh [--quick] [--large] [--sizes 10,100,1000] [--rounds R]
#   --quick   one round, fewer application messages (a fast look; noisier)
#   --large   adds n=10000: about 6 minutes per round (Isnad's add of 9999 members takes about
#             4 of them, mls-rs's about 1); with --quick, one round
# Full trees are built one join at a time (quadratic), so the full-tree figures are measured
# up to n=1000 (with 8n up to 1000: 10→80, 100→800); FULL_TREE_MAX=8000 adds 1000→8000
# (tens of minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=10,100,1000
rounds=3
quick=()
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=(--quick); rounds=1 ;;
        --large) sizes=10,100,1000,10000 ;;
        --sizes) sizes="$2"; shift ;;
        --rounds) rounds="$2"; shift ;;
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
for round in $(seq 1 "$rounds"); do
    echo "== round $round of $rounds: Isnad, then mls-rs (sizes $sizes) =="
    "$bin" group --sizes "$sizes" --repetitions 1 --full-tree-max 0 --json "$out/isnad-$round.json" "${quick[@]}"
    "$venv/bin/python" Benchmarks/mls_rs_bench.py --sizes "$sizes" --repetitions 1 "${quick[@]}" > "$out/mls-rs-$round.json"
done
echo "== Isnad full trees (up to n=${FULL_TREE_MAX:-1000}) =="
"$bin" group --sizes "$sizes" --full-tree-only --full-tree-max "${FULL_TREE_MAX:-1000}" --json "$out/isnad-full.json" "${quick[@]}"
echo
echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, suite 0x0001, fastest of $rounds round(s) =="
"$venv/bin/python" Benchmarks/group_table.py "$out"/*.json
