#!/usr/bin/env python3
"""Prints the group-scale figures of Isnad and mls-rs side by side, with issue 3's targets.

Usage: group_table.py FILE.json...   (as written by scripts/bench-group.sh)
Each file holds one implementation's records; where several rounds measured the same figure,
the fastest is kept (other processes only ever add time). The verdicts only read the figures
measured in this run; nothing here is an expected number.
"""

from __future__ import annotations

import json
import sys

FIGURES = [
    ("add", "add n-1 members, one commit"),
    ("join", "join from the Welcome"),
    ("commit", "empty commit with path"),
    ("process", "process that commit"),
    ("app", "encrypt + decrypt 100 B"),
]
# Issue 3: at 1000 members, Isnad/mls-rs at most this.
TARGET_AT_1000 = {"add": 0.5, "join": 0.5, "commit": 0.5, "process": 1.0}


def load(paths: list[str]) -> dict[str, dict[tuple[str, int], float]]:
    """Per implementation, the fastest time of each (figure, n) over all files."""
    out: dict[str, dict[tuple[str, int], float]] = {}
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        figures = out.setdefault(data["implementation"], {})
        for r in data["records"]:
            key = (r["figure"], r["n"])
            figures[key] = min(figures.get(key, float("inf")), r["ms"])
    return out


def verdict(value: float, limit: float) -> str:
    return f"target ≤ {limit:g}×: {'met' if value <= limit else 'NOT met'}"


def main() -> int:
    loaded = load(sys.argv[1:])
    isnad, mlsrs = loaded.get("isnad", {}), loaded.get("mls-rs", {})
    sizes = sorted({n for (figure, n) in isnad if figure == "add"})

    print(f"{'figure':<34} {'n':>6} {'Isnad ms':>11} {'mls-rs ms':>11} {'Isnad/mls-rs':>13}  target (issue 3)")
    for figure, label in FIGURES:
        for n in sizes:
            a, b = isnad.get((figure, n)), mlsrs.get((figure, n))
            if a is None or b is None:
                continue
            ratio = a / b
            note = verdict(ratio, TARGET_AT_1000[figure]) if n == 1000 and figure in TARGET_AT_1000 else ""
            print(f"{label:<34} {n:>6} {a:>11.3f} {b:>11.3f} {ratio:>12.2f}×  {note}")

    print()
    print("Against the cryptographic floor (raw swift-crypto, timed interleaved with Isnad in the same run):")
    print(f"{'figure':<34} {'n':>6} {'Isnad ms':>11} {'floor ms':>11} {'Isnad/floor':>13}  target")
    full_sizes = sorted(n for (figure, n) in isnad if figure == "full_commit")
    for n in full_sizes:
        commit, floor = isnad[("full_commit", n)], isnad[("full_commit_floor", n)]
        encryptions = int(isnad[("full_encryptions", n)])
        label = f"full-tree commit ({encryptions} HPKE)"
        print(f"{label:<34} {n:>6} {commit:>11.3f} {floor:>11.3f} {commit / floor:>12.2f}×  {verdict(commit / floor, 2.0)}")
    for n in sizes:
        if ("join", n) in isnad and ("join_floor", n) in isnad:
            join, floor = isnad[("join", n)], isnad[("join_floor", n)]
            print(f"{'join vs n Ed25519 verify, all cores':<34} {n:>6} {join:>11.3f} {floor:>11.3f} {join / floor:>12.2f}×")
    for n in sizes:
        if ("app", n) in isnad and ("app_floor", n) in isnad:
            app, floor = isnad[("app", n)], isnad[("app_floor", n)]
            print(f"{'app message vs sign+verify+2 AEAD':<34} {n:>6} {app:>11.3f} {floor:>11.3f} {app / floor:>12.2f}×  {verdict(app / floor, 1.5)}")

    floors = [(n, isnad[("join_floor", n)] / mlsrs[("join", n)]) for n in sizes
              if ("join_floor", n) in isnad and ("join", n) in mlsrs]
    if floors:
        print()
        print("The join's floor alone (n Ed25519 verifications with swift-crypto on every core) against mls-rs's whole join:")
        for n, ratio in floors:
            print(f"  n={n}: {ratio:.2f}× mls-rs's join" + ("  (a join cannot be below this)" if n == 1000 else ""))

    growth = [(n, isnad[("full_commit", 8 * n)] / isnad[("full_commit", n)]) for n in full_sizes if ("full_commit", 8 * n) in isnad]
    if growth:
        print()
        print("Growth of the full-tree commit:")
        for n, ratio in growth:
            print(f"  time at {8 * n} / time at {n}: {ratio:.2f}×  {verdict(ratio, 4.0)}")
    print()
    print("Full-tree process (Isnad only): " + ", ".join(f"n={n}: {isnad[('full_process', n)]:.3f} ms" for n in full_sizes))
    applies = [f"n={n}: add {mlsrs[('add_apply', n)]:.1f} ms, commit {mlsrs[('commit_apply', n)]:.1f} ms"
               for n in sizes if ("add_apply", n) in mlsrs]
    if applies:
        print("mls-rs applying its own pending commit (not in its figures above): " + "; ".join(applies))
    return 0


if __name__ == "__main__":
    sys.exit(main())
