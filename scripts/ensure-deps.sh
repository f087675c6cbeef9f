#!/usr/bin/env bash
# Installs the npm packages from the committed lockfile when node_modules is missing or older than it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Node.js ≥ 22: the machine's, or Node 24 fetched once from the npm registry (scripts/node-path.sh).
PATH="$(bash scripts/node-path.sh):$PATH"
export PATH
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm packages from package-lock.json …" >&2
  started=$SECONDS
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "installed npm packages in $((SECONDS - started)) s" >&2
fi
