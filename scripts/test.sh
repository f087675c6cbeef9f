#!/usr/bin/env bash
# `npm test`: installs what is missing, checks types and the workflow sandbox rules, then runs every test
# against the real Temporal dev server, nats-server and PostgreSQL (DATABASE_URL, else this machine's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Node.js ≥ 22: the machine's, or Node 24 fetched once from the npm registry (scripts/node-path.sh).
PATH="$(bash scripts/node-path.sh):$PATH"
export PATH
bash scripts/ensure-deps.sh
bash scripts/tools.sh >/dev/null
bash scripts/ensure-debian-tools.sh
DATABASE_URL="$(bash scripts/ensure-postgres.sh)"
export DATABASE_URL
npx tsc -p .
npx eslint .
# No import cycle anywhere, tests and tools included: a cycle is two modules that cannot change apart.
npm run --silent check:cycles
mkdir -p test-results && rm -f test-results/vitest.json
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
# One plain closing line with the counts, whatever the reporter printed above it.
if [ -f test-results/vitest.json ]; then
  node -e 'const r=require("./test-results/vitest.json");console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)'
fi
exit "$status"
