#!/usr/bin/env bash
# The real server under a small slowloris from one address (300 connections,
# a byte a second, 6 s): every request of a normal client from another
# address must be served (slow_clients exits 1 below 99%). Latency is
# printed, not judged; scripts/bench.sh runs the full-size attack.
# Usage: slow_clients_smoke.sh SERVER_BINARY SLOW_CLIENTS_BINARY SOURCE_DIR
set -u
server_bin=$1 slow_bin=$2 source_dir=$3
work=$(mktemp -d)
"$server_bin" --plaintext --rate_limit_per_second=0 --dialogs="$source_dir/dialogs" --store=memory \
  --port=0 --port_file="$work/port" --http_port=0 --http_port_file="$work/http_port" \
  2>"$work/server.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do [ -s "$work/http_port" ] && break; sleep 0.1; done
[ -s "$work/http_port" ] || { echo "FAIL: the server did not start"; cat "$work/server.log"; exit 1; }
"$slow_bin" --port="$(cat "$work/http_port")" --slow=300 --byte_every=1s --duration=6s \
  --request_every=50ms
