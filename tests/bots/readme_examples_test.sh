#!/usr/bin/env bash
# The README's local examples for the SMS bridge and the generic webhook,
# run as written (ports are picked by the test): secrets made with head and
# base64, a Twilio signature made with openssl, and curl.
#
# Usage: readme_examples_test.sh SERVER_BINARY BRIDGES_DIR SOURCE_DIR
set -u
server_bin=$1 bridges=$2 source_dir=$3
work=$(mktemp -d)
source "$source_dir/tests/support/server.sh"
trap cleanup EXIT


start_server "$work/server.port" "$server_bin" --plaintext --rate_limit_per_second=0 --dialogs="$source_dir/dialogs" --store=memory \
  --port=0 --port_file="$work/server.port"
backchat="127.0.0.1:$(cat "$work/server.port")"
mkdir -p "$work/data"
cd "$work"

# --- The generic webhook ---
head -c 32 /dev/urandom | base64 > data/webhook_token
head -c 32 /dev/urandom | base64 > data/webhook_user_key
start_bridge "$work/webhook.port" "$bridges/backchat_webhook" --token_file=data/webhook_token \
  --user_key_file=data/webhook_user_key --state_db=data/webhook.db \
  --backchat_address="$backchat" --port=0 --port_file="$work/webhook.port"
port=$(cat "$work/webhook.port")
curl -sS "http://127.0.0.1:$port/v1/messages" \
  -H "Authorization: Bearer $(cat data/webhook_token)" -H 'Content-Type: application/json' \
  -d '{"user": "slack:U123", "text": "start", "locale": "en"}' >webhook.json
check "webhook: the first question" grep -q '"messages":\["Question 1 of at most' webhook.json
check "webhook: its options" grep -q '"options":\[{"number":1,"label":"Numbness' webhook.json
curl -sS "http://127.0.0.1:$port/v1/messages" \
  -H "Authorization: Bearer $(cat data/webhook_token)" -H 'Content-Type: application/json' \
  -d '{"user": "slack:U123", "text": "2"}' >webhook.json
check "webhook: an emergency" grep -q '"level":"LEVEL_EMERGENCY"' webhook.json
status=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/messages" \
  -H 'Content-Type: application/json' -d '{"user": "slack:U123", "text": "2"}')
check "webhook: no token is 401" test "$status" = 401
kill "$bridge_pid" && wait "$bridge_pid"
bridge_pid=

# --- The SMS bridge, signed as Twilio signs ---
head -c 32 /dev/urandom | base64 > data/twilio_token   # in production: the account's auth token
head -c 32 /dev/urandom | base64 > data/phone_key
rm -f "$work/sms.port"
start_bridge "$work/sms.port" "$bridges/backchat_sms" --port=0 --port_file="$work/sms.port" \
  --public_url="http://127.0.0.1:0/sms" --twilio_auth_token_file=data/twilio_token \
  --phone_key_file=data/phone_key --state_db=data/sms.db --backchat_address="$backchat"
port=$(cat "$work/sms.port")
url="http://127.0.0.1:0/sms"   # the --public_url the bridge was given
sig=$(printf '%s' "${url}BodystartFrom+15550001111" \
  | openssl dgst -sha1 -hmac "$(cat data/twilio_token)" -binary | base64)
curl -sS "http://127.0.0.1:$port/sms" -H "X-Twilio-Signature: $sig" \
  --data-urlencode From=+15550001111 --data-urlencode Body=start >sms.xml
check "sms: TwiML with the first question" grep -q '<Response><Message>Question 1 of at most' sms.xml
status=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/sms" \
  -H "X-Twilio-Signature: $sig" --data-urlencode From=+15550001111 --data-urlencode Body=stop)
check "sms: a body the signature does not cover is 403" test "$status" = 403

if [ "$failed" -ne 0 ]; then
  cat "$work/server.log" "$work/bridge.log"
  exit 1
fi
echo "bridge examples: all passed"
