#!/usr/bin/env bash
# Instruction counts of the IsnadMLS micro-benchmarks under callgrind: each MLS operation and
# the raw swift-crypto calls it makes, as instructions per call (the difference between runs
# of N and 2N calls after identical setup). Unlike times, counts do not depend on what else the
# machine is doing, so the ratios are repeatable on a shared machine.
# Usage: bash scripts/bench-instructions.sh [N]   (default N=100; about 3 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }
n="${1:-100}"
swift build -c release --product IsnadBenchmarks >&2
# valgrind 3.19 cannot read the toolchain's DWARF 5 debug information: count on a stripped copy.
bin=$(mktemp /tmp/isnad-bench-XXXXXX)
trap 'rm -f "$bin"' EXIT
strip -o "$bin" .build/release/IsnadBenchmarks

count() { # name side iterations -> instructions
    local out
    out=$(ISNAD_BENCH_COUNT="$1|$2|$3|$((2 * n + 8))" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" micro 2>&1 >/dev/null)
    echo "$out" | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

printf '%-44s %14s %14s %8s\n' "operation (instructions per call)" "Isnad" "raw crypto" "ratio"
worst=0
for name in "ExpandWithLabel (16 B out, 32 B context)" "secret tree: next key (1 ratchet step)" \
            "PrivateMessage protect, 100 B" "PrivateMessage unprotect, 100 B" \
            "PrivateMessage protect, 1024 B" "PrivateMessage unprotect, 1024 B"; do
    s1=$(count "$name" subject "$n"); s2=$(count "$name" subject "$((2 * n))")
    b1=$(count "$name" baseline "$n"); b2=$(count "$name" baseline "$((2 * n))")
    line=$(python3 -c "s=($s2-$s1)/$n; b=($b2-$b1)/$n; print(f'{s:14.0f} {b:14.0f} {s/b:7.3f}x')")
    printf '%-44s %s\n' "$name" "$line"
done
echo
echo "Target: every ratio <= 1.10 (the MLS layer adds at most 10% over the primitives it calls)."
