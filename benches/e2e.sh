#!/usr/bin/env bash
# End-to-end load test: the demo server (examples/server.rs) with and without ApiErrorLayer.
#
# Builds the server in release mode, starts it twice on loopback (normally, and with
# API_ERROR_LAYER=off), drives each with wrk on a success route (/items/1, 200) and an error route
# (/items/42, 404), and prints requests/s and the ratio layer / no layer. Both servers are always
# stopped on exit (trap). Nothing listens beyond 127.0.0.1.
#
# Settings (environment):
#   DURATION=10s THREADS=2 CONNECTIONS=32   wrk's -d, -t, -c
#   ACCEPT='text/html,...'                  Accept header sent (default: Chromium's)
#   PORT_LAYER=3901 PORT_BARE=3902          ports of the two servers
#   ROUNDS=1                                 how many times to repeat the four runs
#   CARGO_TARGET_DIR                         honoured, as cargo does
#
# Needs wrk (Debian package `wrk`); run as root, the script installs it with apt-get if missing.
#
#   benches/e2e.sh
#   DURATION=30s CONNECTIONS=64 benches/e2e.sh

set -euo pipefail

DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
ACCEPT=${ACCEPT:-'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7'}
PORT_LAYER=${PORT_LAYER:-3901}
PORT_BARE=${PORT_BARE:-3902}
ROUNDS=${ROUNDS:-1}

cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "wrk not found; installing it with apt-get" >&2
        apt-get update -qq && apt-get install -y -qq wrk >/dev/null
    else
        echo "wrk not found: install it (Debian/Ubuntu: apt-get install wrk)" >&2
        exit 1
    fi
fi

cargo build --release --example server
server="${CARGO_TARGET_DIR:-target}/release/examples/server"

logs=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$logs"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start PORT LAYER(on|off): starts a server and waits (up to 10 s) until it accepts connections.
start() {
    local port=$1 layer=$2
    PORT=$port API_ERROR_LAYER=$layer RUST_LOG=warn "$server" >"$logs/$port.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "${pids[-1]}" 2>/dev/null; then
            echo "server on port $port exited:" >&2
            cat "$logs/$port.log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "server on port $port did not start in 10 s" >&2
    return 1
}

# rps PORT PATH: requests/s that wrk measures.
rps() {
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -H "Accept: $ACCEPT" \
        "http://127.0.0.1:$1$2")
    if grep -q "Socket errors" <<<"$out"; then
        echo "wrk reported socket errors on :$1$2:" >&2
        echo "$out" >&2
    fi
    awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
}

start "$PORT_LAYER" on
start "$PORT_BARE" off

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, Accept: $ACCEPT"
printf '%-6s %-11s %14s %14s %8s\n' round route "layer req/s" "bare req/s" ratio
for round in $(seq "$ROUNDS"); do
    for route in /items/1 /items/42; do
        # Alternate which server goes first, so slow drift in machine load does not favour one.
        if [ $((round % 2)) = 1 ]; then
            with=$(rps "$PORT_LAYER" "$route")
            without=$(rps "$PORT_BARE" "$route")
        else
            without=$(rps "$PORT_BARE" "$route")
            with=$(rps "$PORT_LAYER" "$route")
        fi
        ratio=$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.3f", a / b }')
        printf '%-6s %-11s %14s %14s %8s\n' "$round" "$route" "$with" "$without" "$ratio"
    done
done
