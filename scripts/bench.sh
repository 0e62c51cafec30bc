#!/usr/bin/env bash
# The whole benchmark, one command: prints a table of turns/s and latency for
# the echo baseline and triage on each store, with ratios to echo; memory per
# idle session; startup time with the dialog check; h2load as an independent
# client; and scaling curves as CSV and a PNG plot (in build/bench/).
#
# Each row's run follows an echo run on the same server, and its ratios are
# to that echo: this machine's speed drifts by more than the rows differ
# within minutes, so a ratio to an echo measured minutes earlier would be
# mostly drift. BENCH_ROUNDS rounds (3) of every pair; the table gives each
# figure's median over the rounds.
# About 5 minutes on a 2-core machine. BENCH_SECONDS sets each run's length.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null

missing=()
command -v h2load >/dev/null || missing+=(nghttp2-client)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

build=${BUILD_DIR:-build}
out="$build/bench"
mkdir -p "$out"
seconds=${BENCH_SECONDS:-8}
rounds=${BENCH_ROUNDS:-3}
server_pid=""
redis_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
  return 0
}
trap cleanup EXIT

start_server() {  # start_server FLAGS...: sets $port (gRPC) and $http_port
  rm -f "$out/port" "$out/http_port"
  "$build/service/backchat_server" --plaintext --rate_limit_per_second=0 --dialogs=dialogs --port=0 --port_file="$out/port" \
    --http_port=0 --http_port_file="$out/http_port" \
    --serve_echo --max_sessions=100000000 "$@" 2>"$out/server.log" &
  server_pid=$!
  for _ in $(seq 1 100); do [ -s "$out/http_port" ] && break; sleep 0.1; done
  port=$(cat "$out/port")
  http_port=$(cat "$out/http_port")
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

load() {  # load LABEL MODE IN_FLIGHT: prints the RESULT line
  local target=$port
  [ "$2" = connect ] && target=$http_port  # Connect JSON over the HTTP listener
  "$build/tests/triage_load" --server="127.0.0.1:$target" --label="$1" --mode="$2" \
    --in_flight="$3" --duration="${seconds}s" --warmup=2s --server_pid="$server_pid" | grep '^RESULT'
}
results="$out/results.txt"
: >"$results"
pair() {  # pair ROUND LABEL MODE: an echo run, then the row's, into $results
  load "echo_$2" echo 64 | sed "s/^RESULT /RESULT round=$1 /" | tee -a "$results" >&2
  load "$2" "$3" 64 | sed "s/^RESULT /RESULT round=$1 /" | tee -a "$results" >&2
}

redis_port=$(( 20000 + RANDOM % 20000 ))
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$out/redis.log" &
redis_pid=$!
for _ in $(seq 1 50); do grep -q "Ready to accept" "$out/redis.log" && break; sleep 0.1; done

echo "== runs (${seconds}s each, 64 in flight, $rounds rounds) ==" >&2
for round in $(seq 1 "$rounds"); do
  start_server --store=memory
  pair "$round" memory triage
  pair "$round" connect connect
  stop_server
  rm -f "$out/bench.db"*
  start_server --store=sqlite --sqlite_path="$out/bench.db"
  pair "$round" sqlite triage
  stop_server
  redis-cli -p "$redis_port" flushall >/dev/null
  start_server --store=redis --redis_address="127.0.0.1:$redis_port"
  pair "$round" redis triage
  stop_server
done

start_server --store=memory

# h2load: an independent client, on the echo RPC and on GetSession. h2load
# counts HTTP 200 as success whatever grpc-status says, so one call is checked
# with nghttp first.
grpc_body() { printf '\x00'; printf "%08x" "$(printf '%s' "$1" | wc -c)" | xxd -r -p; printf '%s' "$1"; }
grpc_body "$(printf '\x0a\x40%s' "$(head -c 64 /dev/zero | tr '\0' x)")" >"$out/echo.body"
session=$("$build/client/cli/backchat" --server="127.0.0.1:$port" --json run 7 2>/dev/null | head -1 |
  sed 's/.*"sessionId":"\([0-9a-f]*\)".*/\1/' || true)
[ -n "$session" ] || session=$("$build/client/cli/backchat" --server="127.0.0.1:$port" --json run 1 | head -1 | sed 's/.*"sessionId":"\([0-9a-f]*\)".*/\1/')
grpc_body "$(printf '\x0a\x20%s' "$session")" >"$out/get.body"
h2() {  # h2 LABEL PATH BODY
  local url="http://127.0.0.1:$port/$2"
  local status
  status=$(nghttp -H ':method: POST' -H 'content-type: application/grpc' -H 'te: trailers' \
    -d "$3" -v "$url" 2>&1 | grep -ao 'grpc-status: [0-9]*' | head -1)
  if [ "$status" != "grpc-status: 0" ]; then
    echo "RESULT label=$1 h2load=skipped sample_call=\"$status\"" | tee -a "$results" >&2
    return
  fi
  h2load -n 40000 -c 4 -m 16 -H 'content-type: application/grpc' -H 'te: trailers' \
    -d "$3" "$url" >"$out/$1.h2load" 2>&1 || true
  local rps
  rps=$(sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' "$out/$1.h2load")
  echo "RESULT label=$1 h2load_req_per_s=$rps sample_call=ok" | tee -a "$results" >&2
}
h2 h2load_echo backchat.bench.v1.EchoService/Echo "$out/echo.body"
h2 h2load_get_session backchat.triage.v1.TriageService/GetSession "$out/get.body"

echo "== scaling (memory store) ==" >&2
echo "in_flight,turns_per_s,p99_ms" >"$out/scaling.csv"
for n in 1 8 64 512; do
  line=$("$build/tests/triage_load" --server="127.0.0.1:$port" --mode=triage --in_flight=$n \
    --duration=$(( seconds / 2 > 2 ? seconds / 2 : 2 ))s --warmup=1s | grep '^RESULT')
  echo "$line" >&2
  echo "$n,$(echo "$line" | sed 's/.*turns_per_s=\([0-9]*\).*p99_ms=\([0-9.]*\).*/\1,\2/')" >>"$out/scaling.csv"
done
echo "== 1,500 slow connections from one address, a normal client from another ==" >&2
"$build/tests/slow_clients" --port="$http_port" --slow=1500 --duration="$(( seconds * 2 ))s" \
  --min_served=0 | tee "$out/slow_clients.txt" >&2
stop_server

echo "== memory per idle session ==" >&2
"$build/tests/session_memory" --dialogs=dialogs | tee "$out/memory.csv" >&2

echo "== startup with the full dialog check (5 runs) ==" >&2
startups=()
for _ in 1 2 3 4 5; do
  rm -f "$out/port"
  begin=$(date +%s%N)
  "$build/service/backchat_server" --plaintext --rate_limit_per_second=0 --dialogs=dialogs --store=memory --port=0 \
    --port_file="$out/port" 2>/dev/null &
  pid=$!
  while [ ! -s "$out/port" ]; do sleep 0.005; done
  startups+=($(( ($(date +%s%N) - begin) / 1000000 )))
  kill $pid; wait $pid 2>/dev/null || true
done
startup_ms=$(printf '%s\n' "${startups[@]}" | sort -n | sed -n 3p)

echo "== one Telegram turn through the bridge ==" >&2
"$build/tests/telegram_latency" --turns=300 | tee "$out/telegram.txt" >&2

if command -v gnuplot >/dev/null; then
  grep -v RESULT "$out/memory.csv" >"$out/memory_points.csv"
  gnuplot <<GNUPLOT
set datafile separator ","
set terminal pngcairo size 1000,400 font "sans,10"
set output "$out/scaling.png"
set multiplot layout 1,2
set title "Triage on the memory store: load"
set xlabel "conversations in flight"; set logscale x 2
set ylabel "turns/s"; set y2label "p99 (ms)"; set ytics nomirror; set y2tics
plot "$out/scaling.csv" every ::1 using 1:2 with linespoints title "turns/s", \
     "" every ::1 using 1:3 axes x1y2 with linespoints title "p99 ms"
unset y2tics; unset y2label; set ytics mirror
set title "Memory as idle sessions grow"
set xlabel "live sessions"; set logscale x 10
set ylabel "bytes per session"
plot "$out/memory_points.csv" every ::1 using 1:3 with linespoints title "RSS growth / sessions"
unset multiplot
GNUPLOT
fi

# The table: for each row, the median over the rounds of its figures and
# of its ratios to the echo run just before it. The echo row gives the
# medians of all echo runs.
echo
awk -v rounds="$rounds" '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j] + 0 < a[j - 1] + 0; j--) {
      t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
    }
    return n == 0 ? 0 : n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  /^RESULT round=/ {
    delete f
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    key = f["label"] SUBSEP f["round"]
    tps[key] = f["turns_per_s"]; p50[key] = f["p50_ms"]; p99[key] = f["p99_ms"]
    us[key] = f["server_us_per_turn"]; written[key] = f["server_bytes_per_turn"]
    client_us[key] = f["client_us_per_turn"]
  }
  END {
    printf "%-26s %10s %9s %9s %9s %9s %10s %10s %10s\n", "run", "turns/s", "ratio", "p50 ms",
           "p99 ms", "p99/echo", "server us", "client us", "written B"
    row_count = split("echo memory sqlite redis connect", rows, " ")
    names["echo"] = "echo baseline"; names["memory"] = "triage, memory store"
    names["sqlite"] = "triage, SQLite store"; names["redis"] = "triage, Redis store"
    names["connect"] = "triage, HTTP/Connect JSON"
    for (r = 1; r <= row_count; r++) {
      row = rows[r]
      t = ""; ratio = ""; a = ""; b = ""; c = ""; u = ""; k = ""; w = ""
      for (round = 1; round <= rounds; round++) {
        if (row == "echo") {
          for (e = 2; e <= row_count; e++) {
            key = "echo_" rows[e] SUBSEP round
            if (key in tps) {
              t = t " " tps[key]; a = a " " p50[key]; b = b " " p99[key]; u = u " " us[key]
              k = k " " client_us[key]
            }
          }
          continue
        }
        key = row SUBSEP round; echo_key = "echo_" row SUBSEP round
        if (!(key in tps) || !(echo_key in tps)) continue
        t = t " " tps[key]; a = a " " p50[key]; b = b " " p99[key]; u = u " " us[key]
        k = k " " client_us[key]; w = w " " written[key]
        ratio = ratio " " tps[key] / tps[echo_key]; c = c " " p99[key] / p99[echo_key]
      }
      if (row == "echo") { ratio = " 1"; c = " 1"; w = " 0" }
      printf "%-26s %10d %9.2f %9.3f %9.3f %9.2f %10.1f %10.1f %10d\n", names[row], median(t),
             median(ratio), median(a), median(b), median(c), median(u), median(k), median(w)
    }
  }' "$results"
echo "(medians over $rounds rounds; ratio and p99/echo: to the echo run just before, on the"
echo " same server; server us, written B: the server's own CPU time and bytes written to"
echo " storage per turn, from /proc in the measured window, not shared with the load client;"
echo " client us: the load client's own CPU time per turn, taken from the same two cores)"
for label in h2load_echo h2load_get_session; do
  printf '%-26s %10s\n' "$label (req/s)" "$(grep "label=$label " "$results" | sed -n 's/.*h2load_req_per_s=\([0-9.]*\).*/\1/p;s/.*h2load=\(skipped\).*/\1/p')"
done
printf '%-26s %10s\n' "bytes per idle session" "$(sed -n 's/^RESULT.*bytes_per_session=\([0-9]*\).*/\1/p' "$out/memory.csv")"
printf '%-26s %10s\n' "startup with check (ms)" "$startup_ms"
sed -n 's/^RESULT slow_clients .*normal_requests=\([0-9]*\) served=\([0-9]*\) share=\([0-9.]*\) .*p99_ms=\([0-9.]*\).*/under 1,500 slow conns:    \2 of \1 served (\3), p99 \4 ms/p' "$out/slow_clients.txt"
sed -n 's/^ *turns [0-9]* *mean/Telegram turn (ms): mean/p' "$out/telegram.txt"
echo "(CSV and plot: $out/scaling.csv, $out/memory.csv, $out/scaling.png)"
