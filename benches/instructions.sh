#!/usr/bin/env bash
# Instructions per call of the crate's hot paths and of their baselines, counted by valgrind's
# callgrind: a figure that, unlike criterion's times, does not move with the machine's load.
#
# Runs benches/tools/hot_paths.rs (release) N times and once with N=0 (or with the `none` case, which
# builds and drops the same requests), and prints (instructions(N) - instructions(0)) / N.
#
#   benches/instructions.sh            # every case
#   N=5000 benches/instructions.sh
#   SUBSCRIBER=on benches/instructions.sh    # with a tracing subscriber at info (hot_paths.rs)
#
# Needs valgrind (Debian package `valgrind`); run as root, the script installs it with apt-get if
# missing. Instructions are not time: a cache miss or an atomic costs more than its count says.
set -euo pipefail

N=${N:-2000}
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "valgrind not found; installing it with apt-get" >&2
        apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
    else
        echo "valgrind not found: install it (Debian/Ubuntu: apt-get install valgrind)" >&2
        exit 1
    fi
fi

cargo build --release --example hot_paths
bin="${CARGO_TARGET_DIR:-target}/release/examples/hot_paths"

# count CASE ACCEPT N: instructions of one whole run.
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" "$3" 2>&1 |
        awk '/Collected/ { print $4 }'
}

# per_call CASE ACCEPT: instructions per call, the fixed cost of the run subtracted.
per_call() {
    local base
    case "$1" in
        negotiate | into_response* | axum_json*) base=$(count "$1" "$2" 0) ;;
        *) base=$(count none "$2" "$N") ;;
    esac
    echo $((($(count "$1" "$2" "$N") - base) / N))
}

row() { printf '%-40s %8s\n' "$1" "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

row "case" "instr/call"
for accept in chromium firefox java axios any json absent; do
    row "negotiate, $accept" "$(per_call negotiate "$accept")"
done
for accept in chromium any json absent; do
    bare=$(per_call bare "$accept")
    pass=$(per_call passthrough "$accept")
    layer=$(per_call layer "$accept")
    tower_http=$(per_call tower_http "$accept")
    row "success, $accept: bare service" "$bare"
    row "success, $accept: pass-through layer" "$pass"
    row "success, $accept: ApiErrorLayer" "$layer"
    row "success, $accept: layer - pass-through" "$((layer - pass))"
    row "success, $accept: tower-http accept" "$tower_http"
    row "success, $accept: layer / bare" "$(ratio "$layer" "$bare")"
done
for accept in chromium json; do
    bare=$(per_call axum_bare "$accept")
    pass=$(per_call axum_passthrough "$accept")
    layer=$(per_call axum_layer "$accept")
    wrap=$(per_call axum_layer_wrap "$accept")
    tower_http=$(per_call axum_tower_http "$accept")
    row "axum Router, $accept: no layer" "$bare"
    row "axum Router, $accept: pass-through layer" "$pass"
    row "axum Router, $accept: layer / pass-through" "$(ratio "$layer" "$pass")"
    row "axum Router, $accept: wrap_body / pass-through" "$(ratio "$wrap" "$pass")"
    row "axum Router, $accept: ApiErrorLayer" "$layer"
    row "axum Router, $accept: ApiErrorLayer wrap_body" "$wrap"
    row "axum Router, $accept: tower-http accept" "$tower_http"
    row "axum Router, $accept: layer / none" "$(ratio "$layer" "$bare")"
    row "axum Router, $accept: tower-http / none" "$(ratio "$tower_http" "$bare")"
done
row "error -> JSON body, through the layer" "$(per_call error json)"
row "error -> XML body, through the layer" "$(per_call error xml)"
row "error -> problem+json, through the layer" "$(per_call error_problem json)"
row "error -> problem+xml, through the layer" "$(per_call error_problem xml)"
for accept in json xml; do
    plain=$(per_call error "$accept")
    members=$(per_call error_members "$accept")
    row "error + 3 members -> $accept: instructions" "$members"
    row "error + 3 members -> $accept: ratio" "$(ratio "$members" "$plain")"
done
ours=$(per_call layer html)
theirs=$(per_call tower_http html)
row "406: ApiErrorLayer (JSON body)" "$ours"
row "406: tower-http (empty body)" "$theirs"
row "406: ratio" "$(ratio "$ours" "$theirs")"
ours=$(per_call into_response json)
theirs=$(per_call axum_json json)
row "into_response: ApiError (JSON)" "$ours"
row "into_response: axum (StatusCode, Json)" "$theirs"
row "into_response: ratio" "$(ratio "$ours" "$theirs")"
ours=$(per_call into_response_read json)
theirs=$(per_call axum_json_read json)
row "into_response, body read: ApiError" "$ours"
row "into_response, body read: axum" "$theirs"
row "into_response, body read: ratio" "$(ratio "$ours" "$theirs")"
ours=$(per_call axum_error_layer json)
theirs=$(per_call axum_error_bare json)
row "axum Router 404: ApiError, layer" "$ours"
row "axum Router 404: (StatusCode, Json), pass-through" "$theirs"
row "axum Router 404: ratio" "$(ratio "$ours" "$theirs")"
wrap=$(per_call axum_error_layer_wrap json)
row "axum Router 404: ApiError, layer wrap_body" "$wrap"
row "axum Router 404: wrap_body ratio" "$(ratio "$wrap" "$theirs")"
ours=$(per_call axum_layer html)
theirs=$(per_call axum_tower_http html)
row "axum Router 406: ApiErrorLayer" "$ours"
row "axum Router 406: tower-http (empty body)" "$theirs"
row "axum Router 406: ratio" "$(ratio "$ours" "$theirs")"
