#!/usr/bin/env bash
# Runs the MLS interop tests (Tests/Interop): Isnad's `interop-peer` against mls-rs, and
# mls-rs against itself. Cases needing the Isnad binary are skipped, with the reason, unless it
# is built (`swift build`) or named by $ISNAD_BIN.
# Usage: bash scripts/interop.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-interop
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r Tests/Interop/requirements.txt

status=0
"$venv/bin/python" -m pytest Tests/Interop -q -rs "$@" || status=$?
exit "$status"
