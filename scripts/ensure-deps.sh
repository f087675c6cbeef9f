#!/usr/bin/env bash
# Installs the npm packages from the committed lockfile when node_modules is missing or older than it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if ! command -v node >/dev/null 2>&1; then
  echo "error: Node.js is not installed; fix: install Node.js 20.3 or newer (https://nodejs.org) and run this again." >&2
  exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=3)?0:1)'; then
  echo "error: Node.js $(node --version) is too old; fix: install Node.js 20.3 or newer." >&2
  exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm packages from package-lock.json …" >&2
  started=$SECONDS
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "installed npm packages in $((SECONDS - started)) s" >&2
fi
