#!/usr/bin/env bash
# `npm test`: installs what is missing, checks types and the workflow sandbox rules, then runs every test
# against the real Temporal dev server, nats-server and database (DATABASE_URL, else PGlite).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-deps.sh
bash scripts/tools.sh >/dev/null
bash scripts/ensure-chromium.sh
npx tsc -p .
npx eslint .
exec npx vitest run "$@"
