# Sourced by the shell tests, which set $work (a scratch folder) and
# `trap cleanup EXIT`.

server_pid=
bridge_pid=

# check NAME COMMAND...: runs COMMAND; counts it in $passed, or, if it
# fails, in $failed and prints "FAIL: NAME".
passed=0 failed=0
check() {
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name"
  fi
}

# Stops the server and the bridge if they are still running and removes $work.
cleanup() {
  [ -n "$bridge_pid" ] && kill "$bridge_pid" 2>/dev/null && wait "$bridge_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}

# wait_for_port_file PORT_FILE LOG: waits up to 10 s for PORT_FILE; if it
# does not appear, prints LOG and exits 1.
wait_for_port_file() {
  for _ in $(seq 1 100); do
    [ -s "$1" ] && return 0
    sleep 0.1
  done
  echo "FAIL: $(basename "$1" .port) did not start"
  cat "$2"
  exit 1
}

#
# start_server PORT_FILE COMMAND...: runs COMMAND (a server that writes
# PORT_FILE once serving) in the background with stderr in
# $work/server.log, sets server_pid, and waits up to 10 s for PORT_FILE. If
# it does not appear, prints the log and exits 1.
start_server() {
  local port_file=$1
  shift
  "$@" 2>"$work/server.log" &
  server_pid=$!
  wait_for_port_file "$port_file" "$work/server.log"
}

# start_bridge PORT_FILE COMMAND...: the same for a chat bridge, with
# stderr in $work/bridge.log and its pid in bridge_pid.
start_bridge() {
  local port_file=$1
  shift
  "$@" 2>"$work/bridge.log" &
  bridge_pid=$!
  wait_for_port_file "$port_file" "$work/bridge.log"
}
