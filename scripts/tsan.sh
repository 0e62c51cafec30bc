#!/usr/bin/env bash
# The concurrency tests under ThreadSanitizer. Debian's Abseil is built
# without TSan, so TSan would not see absl::Mutex and would report every
# guarded access as a race. This script therefore first builds Debian's own
# Abseil source (same version, same ABI and sonames) with TSan into
# build-tsan-absl/, and runs the tests against it (LD_LIBRARY_PATH). gRPC's
# and protobuf's internals stay uninstrumented (tests/tsan.supp). Any report
# fails the run: the servers the tests start abort on one too.
#   scripts/tsan.sh                   every concurrency test binary
#   scripts/tsan.sh api_tests         some of them
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
absl_dir="$root/build-tsan-absl"
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"

if [ ! -f "$absl_dir/lib/libabsl_synchronization.so.20220623" ]; then
  command -v dpkg-source >/dev/null || {
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null
  }
  # Debian's source for the installed Abseil, through a temporary deb-src list.
  version=$(dpkg-query -W -f='${Version}' libabsl-dev)
  list=$(mktemp -d)
  printf 'deb-src http://deb.debian.org/debian bookworm main\ndeb-src http://deb.debian.org/debian bookworm-updates main\ndeb-src http://deb.debian.org/debian-security bookworm-security main\n' \
    >"$list/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$list/sources.list" -o Dir::Etc::SourceParts=/dev/null
            -o "Dir::State::Lists=$list/lists" -o Debug::NoLocking=1)
  mkdir -p "$list/lists/partial" "$absl_dir/src"
  apt-get "${apt_opts[@]}" update -qq
  (cd "$absl_dir/src" && apt-get "${apt_opts[@]}" source --download-only "abseil=$version" >/dev/null 2>&1 \
     && dpkg-source -x --no-check ./*.dsc abseil >/dev/null)
  rm -rf "$list"
  cmake -S "$absl_dir/src/abseil" -B "$absl_dir/build" -DCMAKE_CXX_STANDARD=17 \
    -DBUILD_SHARED_LIBS=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DCMAKE_CXX_FLAGS=-fsanitize=thread -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread >/dev/null
  cmake --build "$absl_dir/build" -j"$(nproc)" >/dev/null
  mkdir -p "$absl_dir/lib"
  find "$absl_dir/build" -name 'libabsl_*.so*' -exec cp -P {} "$absl_dir/lib/" \;
fi

tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(store_tests http_tests api_tests fault_tests security_tests bots_tests)
# Only what these tests run (the test binaries, the server and the CLI they
# start); scripts/test.sh has installed everything already.
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Sanitize -DBACKCHAT_SANITIZE=thread >/dev/null
cmake --build build-tsan -j"$(nproc)" --target "${tests[@]}" backchat_server backchat >/dev/null
export LD_LIBRARY_PATH="$absl_dir/lib"
export TSAN_OPTIONS="halt_on_error=1 abort_on_error=1 second_deadlock_stack=1 suppressions=$root/tests/tsan.supp"
for test in "${tests[@]}"; do
  echo "== $test under TSan =="
  build-tsan/tests/"$test" --gtest_brief=1
done
echo "tsan: the concurrency tests ran clean"
