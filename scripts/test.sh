#!/usr/bin/env bash
# Sets up, builds and runs every test (unit, live-server, CLI, proto lint).
# Extra arguments go to ctest, e.g. scripts/test.sh -R Golden
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# One test per core (TEST_JOBS overrides it). Twice as many made the suite
# about 30 s shorter, but a fresh-clone run then failed once with a bridge
# whose first call to BackChat failed; until that is understood, the
# plain suite keeps the load it was proven under.
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"${TEST_JOBS:-$(nproc)}" "$@"
