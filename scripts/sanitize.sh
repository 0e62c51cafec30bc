#!/usr/bin/env bash
# The whole test suite again, built with AddressSanitizer and
# UndefinedBehaviorSanitizer (in build-asan/): any report fails the test
# that caused it. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# A failed test runs once more before it counts (--repeat until-pass:2):
# under the sanitizers every process is several times slower, and a test
# that starts servers can miss a start-up deadline on a loaded 2-core
# machine. A real defect fails both runs; the plain suite
# (scripts/test.sh) gets no second run.
BUILD_DIR=build-asan BUILD_TYPE=Sanitize SANITIZE=address,undefined \
  scripts/test.sh --repeat until-pass:2 "$@"
