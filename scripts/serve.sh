#!/usr/bin/env bash
# Quick start: sets up, builds and serves the bundled dialog on
# 127.0.0.1:50051, with sessions in the SQLite file data/backchat.db (a
# restart continues every conversation). PORT overrides the port; extra
# flags go to the server. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p data
exec "${BUILD_DIR:-build}/service/backchat_server" --dialogs=dialogs \
  --store=sqlite --sqlite_path=data/backchat.db \
  --address=127.0.0.1 --port="${PORT:-50051}" "$@"
