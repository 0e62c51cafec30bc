#!/usr/bin/env bash
# Sets up, builds and runs every test (unit, live-server, CLI, proto lint).
# Extra arguments go to ctest, e.g. scripts/test.sh -R Golden
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)" "$@"
