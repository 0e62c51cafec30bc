#!/usr/bin/env bash
# Starts the real backchat_server on a free loopback port and drives it with
# the real backchat CLI to every level, by option numbers and by words, in
# scripted and interactive mode. Also checks that a bad dialog stops the
# server at startup with file:line:column.
#
# Usage: cli_end_to_end_test.sh SERVER_BINARY CLI_BINARY SOURCE_DIR
set -u
server_bin=$1 cli_bin=$2 source_dir=$3
work=$(mktemp -d)
source "$source_dir/tests/support/server.sh"
trap cleanup EXIT


# The example care contacts: English 999 / 111 / clinic / booking page,
# Spanish 112 / clinic / booking page.
start_server "$work/port" "$server_bin" --plaintext --rate_limit_per_second=0 --dialogs="$source_dir/dialogs" --port=0 \
  --sqlite_path="$work/sessions.db" --port_file="$work/port" \
  --care_contacts="$source_dir/deploy/care_contacts.example.textproto"
addr="127.0.0.1:$(cat "$work/port")"
cli() { "$cli_bin" --server="$addr" "$@"; }

# Scripted, by option numbers.
cli run 1 >"$work/emergency.txt"
check "emergency by number exits 0" test $? -eq 0
check "emergency by number" grep -q "=== EMERGENCY ===" "$work/emergency.txt"
check "emergency names the flag" grep -q "both legs" "$work/emergency.txt"

cli run 7 1 2 3 1 "1 2" >"$work/urgent.txt"
check "urgent by numbers" grep -q "=== URGENT ===" "$work/urgent.txt"
check "urgent names both flags" grep -c "  ! " "$work/urgent.txt"

cli run 7 3 2 1 5 5 >"$work/see_doctor.txt"
check "see doctor by numbers" grep -q "=== SEE_DOCTOR ===" "$work/see_doctor.txt"

cli run 7 1 2 3 1 5 5 5 2 2 2 3 >"$work/self_care.txt"
check "self care by numbers" grep -q "=== SELF_CARE ===" "$work/self_care.txt"
check "self care has a technique" grep -q "Technique: Deep tissue massage" "$work/self_care.txt"

# Each outcome's actions, after its next steps; a booking for SELF_CARE only.
check "emergency offers the emergency number" grep -qx "  -> Call 999 now" "$work/emergency.txt"
check "urgent offers the urgent line" grep -qx "  -> Call the urgent care line: 111" "$work/urgent.txt"
check "see doctor offers the clinic" grep -qx "  -> Call the clinic: +44 20 7946 0000" "$work/see_doctor.txt"
check "self care offers booking, then the clinic" \
  test "$(grep -- "  -> " "$work/self_care.txt")" = "$(printf '%s\n' \
    "  -> Book a massage: https://clinic.example/book" "  -> Call the clinic: +44 20 7946 0000")"
check "no booking but for self care" \
  test "$(cat "$work/emergency.txt" "$work/urgent.txt" "$work/see_doctor.txt" | grep -c "Book a massage")" -eq 0

# Scripted, by words, answers from stdin. Exact labels, option numbers and
# plain values are taken as they stand; other words on a question that can
# raise a red flag are proposed first, and "yes" accepts.
printf '%s\n' "none of these" "no" "yes" "no" "lower back" "since yesterday" "none" "yes" \
  "none" "yes" "none" "yes" "I'm 40" "it helped" "yes" "stiff" "gentle" | cli run - >"$work/words.txt"
check "self care by words" grep -q "=== SELF_CARE ===" "$work/words.txt"
check "gentle and stuck gets myofascial" grep -q "Technique: Myofascial release" "$work/words.txt"
check "a proposed reading is shown" grep -q "? I understood: None of these" "$work/words.txt"
check "an accepted typed answer is read back" grep -q "You said: Lower back" "$work/words.txt"

printf '%s\n' "no" "yes" "a car crash" "yes" | cli run - >"$work/accident.txt"
check "emergency by words" grep -q "=== EMERGENCY ===" "$work/accident.txt"

printf '%s\n' "nothing" "yes" "no" "yes" "yes" "it wakes me at night" "yes" | cli run - >"$work/cancer.txt"
check "urgent by words" grep -q "=== URGENT ===" "$work/cancer.txt"

printf '%s\n' "pins and needles in my left leg" "yes" "no" "yes" "no" "2 months" "none" "yes" \
  "no" "none" "yes" | cli run - >"$work/one_leg.txt"
check "see doctor by words" grep -q "=== SEE_DOCTOR ===" "$work/one_leg.txt"

# A refused proposal asks the question again, with its options.
printf '%s\n' "my legs feel weak" "no" "1" | cli run - >"$work/refused.txt"
check "no asks again" grep -q "Then please choose from the options" "$work/refused.txt"
check "then numbers answer" grep -q "=== EMERGENCY ===" "$work/refused.txt"

# Interactive: a misunderstood answer, back, restart, quit.
printf '%s\n' "purple" "7" "back" "1" "restart" "quit" | cli chat \
  >"$work/chat.txt" 2>"$work/chat.err"
check "interactive exits 0 on quit" test $? -eq 0
check "interactive explains what it did not understand" grep -q 'didn.t understand "purple"' "$work/chat.txt"
check "interactive reaches an outcome after back" grep -q "=== EMERGENCY ===" "$work/chat.txt"
check "interactive prompts" grep -q "> " "$work/chat.err"

# "why" explains the question on screen, which stays.
printf '%s\n' "why" "quit" | cli chat >"$work/why.txt" 2>"$work/why.err"
check "why explains the first question" grep -q "^  why: [A-Z]" "$work/why.txt"
check "why does not leave the question" test "$(grep -c 'Do you have any of these right now' "$work/why.txt")" -eq 1

# Spanish.
printf '%s\n' "ninguno" "sí" "un accidente de coche" "sí" | cli --locale=es run - >"$work/es.txt"
check "spanish emergency" grep -q "Llame ahora a emergencias" "$work/es.txt"
check "spanish emergency offers 112" grep -qx "  -> Llame ahora al 112" "$work/es.txt"

# JSON output: one object per turn.
cli --json run 3 >"$work/json.txt"
check "json has two turns" test "$(wc -l <"$work/json.txt")" -eq 2
check "json outcome level" grep -q '"level":"LEVEL_EMERGENCY"' "$work/json.txt"
check "json outcome actions" \
  grep -q '"actions":\[{"kind":"ACTION_KIND_CALL_EMERGENCY","label":"Call 999 now","target":"tel:999","display":"999"}\]' \
  "$work/json.txt"
check "json outcome answers" grep -q '"answers":\[{"questionId":"warning_signs"' "$work/json.txt"

# Exit codes.
cli run 7 >/dev/null 2>"$work/short.err"
check "answers running out exits 3" test $? -eq 3
check "says where it stopped" grep -q 'question "injury"' "$work/short.err"
"$cli_bin" --server=127.0.0.1:1 --timeout=2s run 1 >/dev/null 2>"$work/down.err"
check "unreachable server exits 1" test $? -eq 1
check "unreachable server says UNAVAILABLE" grep -q "UNAVAILABLE" "$work/down.err"
"$cli_bin" frobnicate >/dev/null 2>&1
check "unknown command exits 2" test $? -eq 2

# SIGHUP reloads the dialogs (checked again) and keeps serving.
kill -HUP "$server_pid"
for _ in $(seq 1 50); do  # Up to 5 s for the reload to be logged.
  grep -q "reloaded dialog" "$work/server.log" && break
  sleep 0.1
done
check "SIGHUP reloads" grep -q 'reloaded dialog "back_pain"' "$work/server.log"
check "SIGHUP reloads the care contacts" grep -q 'reloaded care contacts: 2 entries (en, es)' "$work/server.log"
cli run 1 >/dev/null
check "serves after a reload" test $? -eq 0

# SIGTERM shuts the server down cleanly.
kill -TERM "$server_pid"
wait "$server_pid"
check "server exits 0 on SIGTERM" test $? -eq 0
server_pid=
check "server logs its shutdown" grep -q "stopped" "$work/server.log"

# A bad dialog stops startup with file:line:column.
mkdir "$work/bad"
sed 's/question: "warning_signs" any_of: "both_legs"/question: "warning_signz" any_of: "both_legs"/' \
  "$source_dir/dialogs/back_pain.textproto" >"$work/bad/back_pain.textproto"
"$server_bin" --plaintext --rate_limit_per_second=0 --dialogs="$work/bad" --port=0 2>"$work/bad.log"
check "bad dialog exits non-zero" test $? -ne 0
check "bad dialog error has file:line:column" \
  grep -qE 'back_pain\.textproto:[0-9]+:[0-9]+: red flag "both_legs_neurological" refers to unknown question "warning_signz"' \
  "$work/bad.log"
mkdir "$work/unsafe"
cp "$source_dir/dialogs/back_pain.textproto" "$work/unsafe/"
awk '/id: "older_adult"/ {older=1} older && /technique: "swedish"/ {sub(/swedish/, "deep_tissue"); older=0} {print}' \
  "$source_dir/dialogs/back_pain.textproto" >"$work/unsafe/back_pain.textproto"
"$server_bin" --plaintext --rate_limit_per_second=0 --dialogs="$work/unsafe" --port=0 2>"$work/unsafe.log"
check "unsafe dialog stops startup" test $? -ne 0
check "unsafe dialog names the problem" grep -q 'technique "deep_tissue" is not gentle' "$work/unsafe.log"
"$cli_bin" dialog check "$work/unsafe" >/dev/null 2>"$work/check.err"
check "dialog check fails on it" test $? -eq 1
check "dialog check prints the path" grep -q "age = age_70_plus" "$work/check.err"
"$cli_bin" dialog check "$source_dir/dialogs" >"$work/check.out"
check "dialog check passes the bundled dialog" test $? -eq 0
check "dialog check prints the summary" grep -q "red flags proven" "$work/check.out"
"$cli_bin" dialog graph "$source_dir/dialogs" >"$work/graph.dot"
check "dialog graph writes DOT" grep -q 'digraph "back_pain"' "$work/graph.dot"
"$server_bin" --plaintext --rate_limit_per_second=0 --dialogs="$work/none" --port=0 2>"$work/missing.log"
check "missing dialog dir exits non-zero" test $? -ne 0
printf 'contacts {\n  locale: "en"\n  booking_url: "javascript:alert(1)"\n}\n' >"$work/bad_care.textproto"
"$server_bin" --plaintext --rate_limit_per_second=0 --dialogs="$source_dir/dialogs" --port=0 \
  --care_contacts="$work/bad_care.textproto" 2>"$work/bad_care.log"
check "bad care contacts stop startup" test $? -ne 0
check "bad care contacts name the file, entry and field" grep -qF \
  "$work/bad_care.textproto:3:3: contacts for \"en\": booking_url \"javascript:alert(1)\"" \
  "$work/bad_care.log"
"$server_bin" --plaintext --port=99999 --dialogs="$source_dir/dialogs" 2>"$work/port.log"
check "bad port flag exits non-zero" test $? -ne 0

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
