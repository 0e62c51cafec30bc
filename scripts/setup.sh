#!/usr/bin/env bash
# Installs what BackChat needs (Debian 12 packages, npm tools) and builds it.
# Safe to run again: it installs only what is missing and rebuilds only what
# changed. Used by scripts/serve.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  build-essential cmake pkg-config
  protobuf-compiler libprotobuf-dev
  libgrpc++-dev protobuf-compiler-grpc
  libabsl-dev libgtest-dev libgmock-dev
  libboost-dev zlib1g-dev libbrotli-dev libsqlite3-dev libhiredis-dev redis-server libstemmer-dev
  libjemalloc-dev
  libssl-dev libcurl4-openssl-dev openssl nlohmann-json3-dev
  chromium fonts-dejavu-core curl poppler-utils graphviz
)

missing=()
for package in "${debian_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || {
      echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
      exit 1
    }
    sudo="sudo"
  fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# npm tools (buf, protoc-gen-es, esbuild, tsc, the Connect client,
# playwright-core, the FHIR validators), exactly as package-lock.json pins
# them: npm ci installs the lock as committed, and fails if it does not
# match package.json instead of resolving versions anew. Run again whenever
# the lock is newer than the last install.
if [ ! -x node_modules/.bin/esbuild ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm tools"
  npm ci --no-audit --no-fund --loglevel=error
fi

build_dir=${BUILD_DIR:-build}
# SANITIZE (e.g. address,undefined) builds with those sanitizers; use a
# BUILD_DIR of its own (scripts/sanitize.sh does).
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DBACKCHAT_SANITIZE="${SANITIZE:-}" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
