#!/usr/bin/env bash
# `backchat records export` against the real backchat_server with admin
# keys: a conversation run to its outcome by `backchat run` comes back as a
# JSON line and inside a FHIR Bundle, with a key from a file or from
# BACKCHAT_ADMIN_KEY; a wrong key, a key without the records scope, no key,
# a bad flag and a server that is down each get a clear message and a
# non-zero exit status, and a failed export leaves no file.
#
# Usage: records_export_test.sh SERVER_BINARY CLI_BINARY SOURCE_DIR NODE
set -u
server_bin=$1 cli_bin=$2 source_dir=$3 node=$4
work=$(mktemp -d)
source "$source_dir/tests/support/server.sh"
trap cleanup EXIT


records_key=records-key-0123456789abcdefghij
metrics_key=metrics-key-0123456789abcdefghij
printf '%s\n' "staff records $records_key" "grafana metrics $metrics_key" >"$work/admin_keys"
printf '%s\n' "$records_key" >"$work/records.key"

start_server "$work/port" "$server_bin" --plaintext --rate_limit_per_second=0 \
  --dialogs="$source_dir/dialogs" --store=memory --port=0 --port_file="$work/port" \
  --admin_keys_file="$work/admin_keys"
addr="127.0.0.1:$(cat "$work/port")"
cli() { env -u BACKCHAT_ADMIN_KEY "$cli_bin" --server="$addr" "$@"; }

# One conversation to its outcome: the record to export.
cli run 1 >"$work/run.txt"
check "the conversation reaches EMERGENCY" grep -q "=== EMERGENCY ===" "$work/run.txt"

# JSON lines, to a file, with the key from a file.
cli records export --format=jsonl --admin_key_file="$work/records.key" \
  --output="$work/records.jsonl" 2>"$work/jsonl.err"
check "jsonl export exits 0" test $? -eq 0
check "jsonl export says what it wrote" grep -q "exported 1 record (application/x-ndjson) to $work/records.jsonl" "$work/jsonl.err"
check "no partial file is left" test ! -e "$work/records.jsonl.partial"
check "every line is a record of the conversation" "$node" -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trimEnd().split("\n");
  const records = lines.map((line) => JSON.parse(line));
  if (records.length !== 1) throw new Error(`${records.length} records`);
  const [record] = records;
  if (record.level !== "LEVEL_EMERGENCY") throw new Error(`level ${record.level}`);
  if (record.answers[0].questionId !== "warning_signs") throw new Error(JSON.stringify(record.answers));
  if (record.channel !== "CHANNEL_CLI") throw new Error(`channel ${record.channel}`);
' "$work/records.jsonl"

# FHIR (the default format), to stdout, with the key from the environment.
BACKCHAT_ADMIN_KEY=$records_key "$cli_bin" --server="$addr" records export \
  >"$work/records.fhir.json" 2>"$work/fhir.err"
check "fhir export exits 0" test $? -eq 0
check "fhir export says what it wrote" grep -q "exported 1 record (application/fhir+json) to standard output" "$work/fhir.err"
check "the Bundle holds the record as a QuestionnaireResponse" "$node" -e '
  const fs = require("fs");
  const bundle = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const [record] = fs.readFileSync(process.argv[2], "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
  if (bundle.resourceType !== "Bundle") throw new Error(`resourceType ${bundle.resourceType}`);
  const resources = bundle.entry.map((entry) => entry.resource);
  const responses = resources.filter((r) => r.resourceType === "QuestionnaireResponse");
  if (responses.length !== 1) throw new Error(`${responses.length} responses`);
  if (!resources.some((r) => r.resourceType === "Questionnaire")) throw new Error("no Questionnaire");
  const codes = new Set();
  const collect = (value) => {
    if (Array.isArray(value)) return value.forEach(collect);
    if (value === null || typeof value !== "object") return;
    if (value.valueCoding) codes.add(value.valueCoding.code);
    Object.values(value).forEach(collect);
  };
  collect(responses[0].item);
  for (const code of [...record.answers.flatMap((a) => a.optionIds), "EMERGENCY"]) {
    if (!codes.has(code)) throw new Error(`no answer ${code} among ${[...codes]}`);
  }
' "$work/records.fhir.json" "$work/records.jsonl"

# --since: a day after every record exports none.
cli records export --format=jsonl --since=2999-01-01 --admin_key_file="$work/records.key" \
  >"$work/future.jsonl" 2>"$work/future.err"
check "since a future day exits 0" test $? -eq 0
check "since a future day exports nothing" test ! -s "$work/future.jsonl"
check "since a future day says 0 records" grep -q "exported 0 records" "$work/future.err"

# A wrong key: UNAUTHENTICATED, with what to do, and no file.
BACKCHAT_ADMIN_KEY=wrong-key-0123456789abcdefghijk "$cli_bin" --server="$addr" records export \
  --output="$work/wrong.json" >/dev/null 2>"$work/wrong.err"
check "a wrong key exits 1" test $? -eq 1
check "a wrong key says UNAUTHENTICATED" grep -q "did not accept the admin key (UNAUTHENTICATED" "$work/wrong.err"
check "a wrong key says where keys come from" grep -q "admin_keys_file" "$work/wrong.err"
check "a refused export leaves no file" test ! -e "$work/wrong.json" -a ! -e "$work/wrong.json.partial"

# A key without the records scope: PERMISSION_DENIED, with what to do.
BACKCHAT_ADMIN_KEY=$metrics_key "$cli_bin" --server="$addr" records export \
  >/dev/null 2>"$work/scope.err"
check "a key without the scope exits 1" test $? -eq 1
check "a key without the scope says PERMISSION_DENIED" grep -q "may not export records (PERMISSION_DENIED" "$work/scope.err"
check "a key without the scope names the scope" grep -q '"records" scope' "$work/scope.err"

# No key, a key file holding a line of the server's key file, a bad format
# or day: usage errors (2) that say what to do, before any call.
cli records export >/dev/null 2>"$work/nokey.err"
check "no key exits 2" test $? -eq 2
check "no key names both ways to give one" grep -q "admin_key_file=FILE, or set BACKCHAT_ADMIN_KEY" "$work/nokey.err"
cli records export --admin_key_file="$work/admin_keys" >/dev/null 2>"$work/keyline.err"
check "a key file with NAME SCOPES KEY exits 2" test $? -eq 2
check "a key file with NAME SCOPES KEY says to keep the key alone" grep -q "should hold the key alone" "$work/keyline.err"
cli records export --format=xml --admin_key_file="$work/records.key" >/dev/null 2>"$work/format.err"
check "an unknown format exits 2" test $? -eq 2
check "an unknown format names the choices" grep -q -- "--format=xml: use fhir" "$work/format.err"
cli records export --since=01/03/2026 --admin_key_file="$work/records.key" >/dev/null 2>"$work/since.err"
check "a bad day exits 2" test $? -eq 2
check "a bad day shows the form" grep -q -- "--since=01/03/2026: expected a date as YYYY-MM-DD" "$work/since.err"
cli records list >/dev/null 2>"$work/usage.err"
check "an unknown records command exits 2" test $? -eq 2
check "an unknown records command shows the usage" grep -q "usage: backchat records export" "$work/usage.err"

# The server down: UNAVAILABLE, and what to check.
env -u BACKCHAT_ADMIN_KEY "$cli_bin" --server=127.0.0.1:1 --timeout=2s records export \
  --admin_key_file="$work/records.key" >/dev/null 2>"$work/down.err"
check "a server that is down exits 1" test $? -eq 1
check "a server that is down is named" grep -q "cannot reach a BackChat server at 127.0.0.1:1" "$work/down.err"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
