#!/usr/bin/env bash
# Runs every test, the PostgreSQL storage contract included, against a throw-away cluster.
#   bash scripts/test.sh [extra swift test arguments]
# Exits with swift test's status; the cluster is stopped on any exit.
set -euo pipefail
cd "$(dirname "$0")/.."

cluster="scripts/postgres-test-cluster.sh"
trap 'bash "$cluster" stop' EXIT
eval "$(bash "$cluster" start)"
export ISNAD_TEST_POSTGRES_URL
echo "test.sh: PostgreSQL at ${ISNAD_TEST_POSTGRES_URL}" >&2

status=0
swift test "$@" || status=$?
exit "$status"
