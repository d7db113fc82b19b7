#!/usr/bin/env bash
# Runs Isnad's whole test suite on a fresh machine: builds, then runs every test target.
# Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests
swift test --skip-build
