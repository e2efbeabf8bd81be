#!/usr/bin/env bash
# End-to-end cost of the layer as users serve it: the small fixed axum app of
# benches/tools/e2e_app.rs in several variants (no layer, a pass-through layer, tower-http's
# CatchPanicLayer, this layer; each applied with `Router::layer` or around the whole router; each
# with and without a `tracing` subscriber at `info`), loaded with wrk on loopback.
#
# Two modes:
#
#   MODE=rps (default): requests/s. Every server is pinned to CPU $SERVER_CPU (`taskset`), wrk
#   (-t1 -c$CONNECTIONS) to CPU $WRK_CPU. Each round runs every request kind against every
#   variant, the order of the variants rotated by one from round to round so that drift in the
#   machine's load favours none. Prints, per subscriber and request kind, each variant's median
#   requests/s and the median over rounds of its ratio to the pass-through layer applied the same
#   way (each round's ratio is listed too), and the load average before and after.
#
#   MODE=instructions: user-space instructions per request, counted by valgrind's callgrind on
#   the served binary, which unlike time does not move with the machine's load. Each variant is
#   started under callgrind; per request kind: warm up with wrk (1 s), zero the counters
#   (`callgrind_control -z`), drive it with `wrk -t1 -c4 -d$IDURATION`, dump (`callgrind_control
#   -d`), and divide the dump's total by the number of requests wrk reports. Tokio's and hyper's
#   work is counted with the layer's; the differences between variants are the layers'. With
#   KEEP=dir the dumps are kept there, for `callgrind_annotate`.
#
# Variants are `LAYER[@APPLY]`: LAYER one of none, passthrough, catch_panic, api_error,
# api_error_wrap (the layer with `wrap_body()`), api_error_languages (answering in en and pt-BR); APPLY
# `route` (Router::layer, the default) or `router` (the router wrapped once). Request kinds: json
# (`Accept: application/json`), any (`*/*`), absent (no Accept), chromium (Chromium's Accept),
# all on the success route /items/1; 404 (`Accept: application/json`, /items/42, rendered as JSON);
# json_pt and 404_pt, json and 404 with `Accept-Language: pt-BR,pt;q=0.9,en;q=0.8`.
#
# Settings (environment):
#   VARIANTS="none passthrough catch_panic api_error passthrough@router api_error@router"
#   SUBSCRIBERS="on off"   REQUESTS="json any absent chromium 404"
#   ROUNDS=5 DURATION=4s CONNECTIONS=16 SERVER_CPU=0 WRK_CPU=1     (rps)
#   IDURATION=5s KEEP=                                              (instructions)
#   PORT=3910 (first port; one per server)   CARGO_TARGET_DIR honoured, as cargo does
#
# Needs wrk and taskset, and valgrind for MODE=instructions (Debian packages `wrk`, `util-linux`,
# `valgrind`); run as root, the script installs wrk and valgrind with apt-get if missing. Servers
# listen on 127.0.0.1 only and are always stopped on exit.
#
#   benches/e2e.sh
#   SUBSCRIBERS=on VARIANTS="passthrough api_error" ROUNDS=5 benches/e2e.sh
#   MODE=instructions SUBSCRIBERS=on benches/e2e.sh

set -euo pipefail

MODE=${MODE:-rps}
VARIANTS=${VARIANTS:-"none passthrough catch_panic api_error passthrough@router api_error@router"}
SUBSCRIBERS=${SUBSCRIBERS:-"on off"}
REQUESTS=${REQUESTS:-"json any absent chromium 404"}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-4s}
CONNECTIONS=${CONNECTIONS:-16}
SERVER_CPU=${SERVER_CPU:-0}
WRK_CPU=${WRK_CPU:-1}
IDURATION=${IDURATION:-5s}
KEEP=${KEEP:-}
PORT=${PORT:-3910}
PT='pt-BR,pt;q=0.9,en;q=0.8'
CHROMIUM='text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7'

cd "$(dirname "$0")/.."

need() {
    local command=$1 package=$2
    command -v "$command" >/dev/null && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "$command not found; installing $package with apt-get" >&2
        apt-get update -qq && apt-get install -y -qq "$package" >/dev/null
    else
        echo "$command not found: install it (Debian/Ubuntu: apt-get install $package)" >&2
        exit 1
    fi
}
need wrk wrk
need taskset util-linux
if [ "$MODE" = instructions ]; then
    need valgrind valgrind
fi

cargo build --release --example e2e_app
app="${CARGO_TARGET_DIR:-target}/release/examples/e2e_app"

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

# start PORT VARIANT SUBSCRIBER [WRAPPER...]: starts a server pinned to $SERVER_CPU and waits
# (up to 60 s: callgrind starts slowly) until it accepts connections. Sets `pid`.
start() {
    local port=$1 variant=$2 subscriber=$3
    shift 3
    local layer=${variant%@*} apply=route
    [ "$variant" != "$layer" ] && apply=${variant#*@}
    PORT=$port E2E_LAYER=$layer E2E_APPLY=$apply E2E_SUBSCRIBER=$subscriber \
        taskset -c "$SERVER_CPU" "$@" "$app" >"$logs/$port.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    for _ in $(seq 600); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "server $variant (subscriber $subscriber) on port $port exited:" >&2
            cat "$logs/$port.log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "server on port $port did not start in 60 s" >&2
    return 1
}

# load PORT REQUEST DURATION CONNECTIONS: runs wrk (pinned to $WRK_CPU) and prints its output.
load() {
    local port=$1 request=$2 path=/items/1 header=()
    case "$request" in
        json) header=(-H "Accept: application/json") ;;
        any) header=(-H "Accept: */*") ;;
        absent) ;;
        chromium) header=(-H "Accept: $CHROMIUM") ;;
        404) header=(-H "Accept: application/json") path=/items/42 ;;
        json_pt) header=(-H "Accept: application/json" -H "Accept-Language: $PT") ;;
        404_pt) header=(-H "Accept: application/json" -H "Accept-Language: $PT") path=/items/42 ;;
        *) echo "unknown request kind $request" >&2; exit 2 ;;
    esac
    local out
    out=$(taskset -c "$WRK_CPU" wrk -t1 -c"$4" -d"$3" "${header[@]}" "http://127.0.0.1:$port$path")
    if grep -q -e "Socket errors" -e "Non-2xx" <<<"$out" && [ "${request%_pt}" != 404 ]; then
        echo "wrk reported errors on :$port$path ($request):" >&2
        echo "$out" >&2
    fi
    echo "$out"
}

# median: the median of the numbers on stdin, one per line.
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# baseline VARIANT: the pass-through layer applied as VARIANT is.
baseline() {
    case "$1" in
        *@router) echo passthrough@router ;;
        *) echo passthrough ;;
    esac
}

servers=()
port=$PORT
if [ "$MODE" = rps ]; then
    for subscriber in $SUBSCRIBERS; do
        for variant in $VARIANTS; do
            start "$port" "$variant" "$subscriber"
            servers+=("$port $variant $subscriber")
            port=$((port + 1))
        done
    done
    results="$logs/results"
    echo "load before: $(uptime)"
    echo "wrk -t1 -c$CONNECTIONS -d$DURATION (CPU $WRK_CPU), servers on CPU $SERVER_CPU, $ROUNDS rounds"
    variants=($VARIANTS)
    for round in $(seq "$ROUNDS"); do
        for request in $REQUESTS; do
            for subscriber in $SUBSCRIBERS; do
                # Rotate the order of the variants by one each round.
                n=${#variants[@]}
                for i in $(seq 0 $((n - 1))); do
                    variant=${variants[$(((i + round - 1) % n))]}
                    for server in "${servers[@]}"; do
                        read -r p v s <<<"$server"
                        [ "$v" = "$variant" ] && [ "$s" = "$subscriber" ] || continue
                        rps=$(load "$p" "$request" "$DURATION" "$CONNECTIONS" |
                            awk '/^Requests\/sec:/ { print $2 }')
                        echo "$round $subscriber $request $variant $rps" >>"$results"
                    done
                done
            done
        done
    done
    echo "load after: $(uptime)"
    echo
    printf '%-10s %-9s %-20s %10s %8s   %s\n' subscriber request variant "req/s" "÷ pass" "ratios by round"
    for subscriber in $SUBSCRIBERS; do
        for request in $REQUESTS; do
            for variant in $VARIANTS; do
                base=$(baseline "$variant")
                med=$(awk -v s="$subscriber" -v q="$request" -v v="$variant" \
                    '$2 == s && $3 == q && $4 == v { print $5 }' "$results" | median)
                ratios=$(awk -v s="$subscriber" -v q="$request" -v v="$variant" -v b="$base" '
                    $2 == s && $3 == q && $4 == v { x[$1] = $5 }
                    $2 == s && $3 == q && $4 == b { y[$1] = $5 }
                    END { for (r in x) if (r in y && y[r] > 0) printf "%s %.3f\n", r, x[r] / y[r] }' \
                    "$results" | sort -n | awk '{ print $2 }')
                if [ -n "$ratios" ] && grep -q "$base" <<<"$VARIANTS"; then
                    ratio=$(median <<<"$ratios")
                else
                    ratio=-
                fi
                printf '%-10s %-9s %-20s %10.0f %8s   %s\n' "$subscriber" "$request" "$variant" \
                    "$med" "$ratio" "$(tr '\n' ' ' <<<"$ratios")"
            done
        done
    done
elif [ "$MODE" = instructions ]; then
    echo "load: $(uptime)"
    printf '%-10s %-9s %-20s %10s %12s\n' subscriber request variant requests "instr/req"
    for subscriber in $SUBSCRIBERS; do
        for variant in $VARIANTS; do
            out="$logs/cg.$port"
            start "$port" "$variant" "$subscriber" \
                valgrind --tool=callgrind --callgrind-out-file="$out" --compress-strings=no --compress-pos=no
            server_pid=$pid
            # `valgrind` is the process started; callgrind_control wants the same pid.
            for request in $REQUESTS; do
                load "$port" "$request" 1s 4 >/dev/null
                callgrind_control -z "$server_pid" >/dev/null 2>&1
                requests=$(load "$port" "$request" "$IDURATION" 4 |
                    awk '/requests in/ { print $1 }')
                callgrind_control -d "$server_pid" >/dev/null 2>&1
                dump=$(ls -t "$out".* | head -1)
                total=$(awk '/^summary:/ { print $2 }' "$dump")
                printf '%-10s %-9s %-20s %10s %12.0f\n' "$subscriber" "$request" "$variant" \
                    "$requests" "$(awk -v t="$total" -v n="$requests" 'BEGIN { print t / n }')"
                if [ -n "$KEEP" ]; then
                    mkdir -p "$KEEP"
                    cp "$dump" "$KEEP/$variant.$subscriber.$request.callgrind"
                fi
                rm -f "$dump"
            done
            kill "$server_pid"
            wait "$server_pid" 2>/dev/null || true
            port=$((port + 1))
        done
    done
else
    echo "MODE: rps or instructions, not $MODE" >&2
    exit 2
fi
