#!/usr/bin/env bash
# CI smoke of the benchmark: the real server with --serve_echo, and the load
# generator for one second in each mode. Proves the benchmark still works
# (every call succeeds, and the server's and the client's CPU per turn are
# read from /proc);
# the figures are not judged here.
# Usage: bench_smoke.sh SERVER_BINARY TRIAGE_LOAD_BINARY SOURCE_DIR
set -u
server_bin=$1 load_bin=$2 source_dir=$3
work=$(mktemp -d)
"$server_bin" --plaintext --rate_limit_per_second=0 --dialogs="$source_dir/dialogs" --store=memory --serve_echo --port=0 \
  --port_file="$work/port" --http_port=0 --http_port_file="$work/http_port" \
  2>"$work/server.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do [ -s "$work/http_port" ] && break; sleep 0.1; done
passed=0 failed=0
for mode in echo triage connect; do
  port_file="$work/port"
  [ "$mode" = connect ] && port_file="$work/http_port"
  result=$("$load_bin" --server="127.0.0.1:$(cat "$port_file")" --mode=$mode --in_flight=8 \
    --duration=1s --warmup=0s --server_pid=$pid | grep '^RESULT')
  server_us=$(echo "$result" | sed -n 's/.* server_us_per_turn=\([0-9.]*\).*/\1/p')
  client_us=$(echo "$result" | sed -n 's/.* client_us_per_turn=\([0-9.]*\).*/\1/p')
  if echo "$result" | grep -q ' errors=0 ' &&
    awk -v s="${server_us:-0}" -v c="${client_us:-0}" 'BEGIN { exit !(s > 0 && c > 0) }'; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $mode: $result"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
