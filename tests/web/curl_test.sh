#!/usr/bin/env bash
# The README's curl examples, run as written against the real server: a
# JSON StartSession, typed answers, and the Connect error for bad JSON.
#
# Usage: curl_test.sh SERVER_BINARY SOURCE_DIR
set -u
server_bin=$1 source_dir=$2
work=$(mktemp -d)
source "$source_dir/tests/support/server.sh"
trap cleanup EXIT


REPORTS_KEY=curl-example-reports-key-0123456789
echo "clinic reports $REPORTS_KEY" >"$work/admin_keys"
start_server "$work/http_port" "$server_bin" --plaintext --rate_limit_per_second=0 --dialogs="$source_dir/dialogs" --store=memory \
  --port=0 --http_port=0 --http_port_file="$work/http_port" --admin_keys_file="$work/admin_keys"
base="http://127.0.0.1:$(cat "$work/http_port")/backchat.triage.v1.TriageService"

curl -sS -X POST "$base/StartSession" -H 'Content-Type: application/json' \
  -d '{"locale": "en"}' >"$work/start.json"
check "start asks the first question" grep -q '"id":"warning_signs"' "$work/start.json"
session=$(sed -n 's/.*"sessionId":"\([0-9a-f]*\)".*/\1/p' "$work/start.json")
check "start returns a session id" test ${#session} -eq 32

curl -sS -X POST "$base/SubmitAnswer" -H 'Content-Type: application/json' \
  -d "{\"sessionId\": \"$session\", \"text\": \"none of these\"}" >"$work/answer.json"
check "a typed answer moves on" grep -q '"id":"injury"' "$work/answer.json"
check "and is read back" grep -q '"readBack"' "$work/answer.json"

curl -sS -X POST "$base/SubmitAnswer" -H 'Content-Type: application/json' \
  -d "{\"sessionId\": \"$session\", \"text\": \"a serious accident\"}" >"$work/proposed.json"
check "words are proposed for confirmation" grep -q '"confirmation"' "$work/proposed.json"

curl -sS -X POST "$base/SubmitAnswer" -H 'Content-Type: application/json' \
  -d "{\"sessionId\": \"$session\", \"confirmation\": \"CONFIRMATION_REPLY_ACCEPT\"}" >"$work/outcome.json"
check "an emergency outcome" grep -q '"level":"LEVEL_EMERGENCY"' "$work/outcome.json"

status=$(curl -sS -o "$work/error.json" -w '%{http_code}' -X POST "$base/StartSession" \
  -H 'Content-Type: application/json' -d '{"locale": ')
check "bad JSON is 400" test "$status" = 400
check "bad JSON is invalid_argument" grep -q '"code":"invalid_argument"' "$work/error.json"

# The clinic dashboard's report, as the README asks for it (for today, and
# for every channel: the conversation above named none).
today=$(date -u +%F)
curl -sS -X POST "http://127.0.0.1:$(cat "$work/http_port")/backchat.admin.v1.AdminService/GetReport" \
  -H "authorization: Bearer $REPORTS_KEY" -H 'Content-Type: application/json' \
  -d "{\"fromDay\": \"$today\", \"toDay\": \"$today\", \"channel\": \"CHANNEL_UNSPECIFIED\"}" >"$work/report.json"
check "the report counts the conversation" grep -q '"started":"1","finished":"1"' "$work/report.json"
check "and its outcome" grep -q '{"key":"EMERGENCY","count":"1"}' "$work/report.json"

if [ "$failed" -ne 0 ]; then
  cat "$work/server.log"
  exit 1
fi
echo "curl examples: all passed"
