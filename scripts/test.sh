#!/usr/bin/env bash
# Runs Isnad's whole test suite on a fresh machine:
#   - starts a throw-away PostgreSQL cluster (installing Debian's postgresql if missing) for the
#     storage contract and relay tests, and stops it on any exit;
#   - installs Debian's chromium if missing, for the dashboard's headless-browser test (which
#     is skipped, saying why, only when no chromium binary can be had);
#   - builds everything and runs every Swift test target (the suites with wall-clock bounds in a
#     second pass, on their own);
#   - runs the MLS interop tests against mls-rs (Python bindings installed into a virtual
#     environment the script creates), driving the binary just built.
# Usage: bash scripts/test.sh [extra swift test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

cluster="scripts/postgres-test-cluster.sh"
trap 'bash "$cluster" stop' EXIT
eval "$(bash "$cluster" start)"
export ISNAD_TEST_POSTGRES_URL
echo "test.sh: PostgreSQL test cluster started" >&2

if ! command -v chromium >/dev/null 2>&1; then
    if [[ "$(id -u)" == 0 ]]; then
        echo "test.sh: installing Debian's chromium package" >&2
        { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } >&2 \
            || echo "test.sh: could not install chromium; the dashboard's browser test will be skipped" >&2
    else
        echo "test.sh: chromium is missing and this is not root; the dashboard's browser test will be skipped" >&2
    fi
fi

swift build --build-tests

status=0
ISNAD_BIN="$PWD/.build/debug/isnad" bash scripts/interop.sh || status=$?
if [[ $# -gt 0 ]]; then
    swift test --skip-build "$@" || status=$?
else
    # Swift Testing starts every test at once, and on two cores the CPU-bound ones (MLS groups,
    # key derivation, de-duplication at scale) hold Swift's two pool threads for a minute or
    # more: a relay started in the same process then answers in seconds, not milliseconds. The
    # suites that hold a relay to a bound on wall-clock time (a push across two relays within
    # 1 s, a ping and close within their windows, a stalled client closed after the write
    # timeout, an `isnad relay` process refusing a bad value or stopping on SIGTERM) run
    # afterwards, on their own, so their bounds measure the relay and not the rest of the run.
    timed='ScaleOutTests|WebSocketLivenessTests|RelayCommandTests|WriteTimeoutTests'
    swift test --skip-build --skip "$timed" || status=$?
    echo "test.sh: now the suites with wall-clock bounds, on their own: $timed" >&2
    swift test --skip-build --filter "$timed" || status=$?
fi
exit "$status"
