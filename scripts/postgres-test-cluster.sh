#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the storage contract tests.
#
#   eval "$(bash scripts/postgres-test-cluster.sh start)"   # prints: export ISNAD_TEST_POSTGRES_URL=postgres://...
#   bash scripts/postgres-test-cluster.sh stop
#
# Installs Debian's `postgresql` package if initdb is missing. The cluster lives in a
# temporary folder owned by the `postgres` user (PostgreSQL refuses to run as root), listens
# on 127.0.0.1 only (port 54329, or the next free one) with trust authentication, and is
# removed by `stop`. Idempotent: `start` on a running cluster only prints its URL again.
# Each checkout gets its own cluster (its folder is named after the checkout's path).
# Progress goes to stderr; only the export line goes to stdout.
set -euo pipefail

# One cluster per checkout, so two worktrees testing at once do not stop each other's.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHECKOUT_KEY="$(printf '%s' "$REPO_ROOT" | cksum | cut -d ' ' -f 1)"
STATE_DIR="${ISNAD_TEST_POSTGRES_DIR:-${TMPDIR:-/tmp}/isnad-postgres-test-$CHECKOUT_KEY}"
DATABASE="isnad_test"
FIRST_PORT="${ISNAD_TEST_POSTGRES_PORT:-54329}"

log() { echo "postgres-test-cluster: $*" >&2; }

find_bin_dir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then echo "$dir"; return; fi
    if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; fi
}

ensure_installed() {
    if [[ -n "$(find_bin_dir)" ]]; then return; fi
    [[ "$(id -u)" == 0 ]] || { log "initdb is missing; install Debian's postgresql package (needs root)"; exit 1; }
    log "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    [[ -n "$(find_bin_dir)" ]] || { log "initdb still missing after installing postgresql"; exit 1; }
}

# Runs a PostgreSQL program as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

print_url() {
    [[ -f "$STATE_DIR/port" ]] || { log "no cluster is running; use start"; exit 1; }
    echo "export ISNAD_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$(cat "$STATE_DIR/port")/$DATABASE"
}

start() {
    ensure_installed
    local bin; bin="$(find_bin_dir)"
    if [[ -f "$STATE_DIR/port" ]] && as_owner "$bin/pg_ctl" -D "$STATE_DIR/data" status >/dev/null 2>&1; then
        log "already running"
        print_url
        return
    fi
    rm -rf "$STATE_DIR"
    mkdir -p "$STATE_DIR/socket"
    [[ "$(id -u)" == 0 ]] && chown -R postgres:postgres "$STATE_DIR"
    chmod 700 "$STATE_DIR"

    local port="$FIRST_PORT"
    while ! port_is_free "$port"; do port=$((port + 1)); done
    echo "$port" > "$STATE_DIR/port"

    log "creating a cluster in $STATE_DIR on 127.0.0.1:$port"
    as_owner "$bin/initdb" -D "$STATE_DIR/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
    # fsync off: a test cluster is thrown away, durability here would only cost time.
    as_owner "$bin/pg_ctl" -D "$STATE_DIR/data" -l "$STATE_DIR/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $STATE_DIR/socket -F -c max_connections=200" start >/dev/null
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DATABASE"
    print_url
}

stop() {
    local bin; bin="$(find_bin_dir)"
    if [[ -d "$STATE_DIR/data" && -n "$bin" ]]; then
        as_owner "$bin/pg_ctl" -D "$STATE_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
        log "stopped"
    fi
    rm -rf "$STATE_DIR"
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    url) print_url ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
