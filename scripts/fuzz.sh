#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, with AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs each for FUZZ_SECONDS (default 30),
# starting from the checked-in seeds (tests/fuzz/corpus/) and the bundled
# dialogs. Fails on a crash, a leak, a sanitizer report or an input slower
# than 10 s; the input that failed is saved in build-fuzz/artifacts/.
#   scripts/fuzz.sh                 all targets
#   FUZZ_SECONDS=300 scripts/fuzz.sh web_request_fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(dialog_fuzz answer_fuzz web_request_fuzz bridge_payload_fuzz)

if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    clang libclang-rt-dev >/dev/null 2>&1 || \
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    clang libclang-rt-14-dev >/dev/null
fi

build=build-fuzz
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Sanitize \
  -DBACKCHAT_FUZZ=ON -DBACKCHAT_SANITIZE=address,undefined -DBACKCHAT_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"

mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
  name=${target%_fuzz}
  work="$build/corpus/$name"  # grows across runs; the seeds stay as committed
  mkdir -p "$work"
  seeds=(tests/fuzz/corpus/"$name")
  [ "$name" = dialog ] && seeds+=(dialogs tests/dialogs)
  echo "== $target: ${seconds}s =="
  "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
    "$work" "${seeds[@]}" 2>"$build/artifacts/$target.log" || {
      echo "FAIL: $target (log: $build/artifacts/$target.log)"
      tail -40 "$build/artifacts/$target.log"
      exit 1
    }
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$build/artifacts/$target.log" | tr '\n' ' '
  echo
done
echo "fuzzing: all targets ran clean"
