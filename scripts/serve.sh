#!/usr/bin/env bash
# Quick start: sets up, builds and serves the bundled dialog: gRPC on
# 127.0.0.1:50051, and for browsers (Connect, gRPC-Web, the widget and the
# example clinic page at http://127.0.0.1:8080/example/) on 127.0.0.1:8080.
# Sessions live in the SQLite file data/backchat.db (a restart continues
# every conversation). PORT and HTTP_PORT override the ports; extra flags go
# to the server. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p data
echo "serve: open http://127.0.0.1:${HTTP_PORT:-8080}/example/ for the example clinic page with the widget" >&2
exec "${BUILD_DIR:-build}/service/backchat_server" --plaintext --dialogs=dialogs \
  --store=sqlite --sqlite_path=data/backchat.db \
  --address=127.0.0.1 --port="${PORT:-50051}" \
  --http_port="${HTTP_PORT:-8080}" --web_dir="${BUILD_DIR:-build}/web" "$@"
