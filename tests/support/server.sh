# Sourced by the shell tests, which set $work (a scratch folder) and
# `trap cleanup EXIT`.

server_pid=

# Stops the server if it is still running and removes $work.
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
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
  for _ in $(seq 1 100); do
    [ -s "$port_file" ] && return 0
    sleep 0.1
  done
  echo "FAIL: server did not start"
  cat "$work/server.log"
  exit 1
}
