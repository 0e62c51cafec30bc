#!/usr/bin/env bash
# Quick start: sets up, builds and serves the bundled dialog on
# 127.0.0.1:50051 (PORT overrides the port; extra flags go to the server).
# Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec "${BUILD_DIR:-build}/service/backchat_server" --dialogs=dialogs \
  --address=127.0.0.1 --port="${PORT:-50051}" "$@"
