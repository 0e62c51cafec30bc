#!/usr/bin/env bash
# Sets up, builds and runs every test (unit, live-server, CLI, proto lint).
# Extra arguments go to ctest, e.g. scripts/test.sh -R Golden
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Twice as many tests as cores at once: most tests spend their time waiting
# (on servers they start, timers, Chromium), so the suite takes about 135 s
# instead of 175 s on 2 cores. TEST_JOBS overrides it (sanitize.sh: busier
# processes, one per core).
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"${TEST_JOBS:-$(( 2 * $(nproc) ))}" "$@"
