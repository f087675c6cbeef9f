#!/usr/bin/env bash
# `npm test`: installs what is missing, checks types and the workflow sandbox rules, then runs every test
# against the real Temporal dev server, nats-server and PostgreSQL (DATABASE_URL, else this machine's), then
# the server tests (`npm run test:server`): the production Temporal server on that PostgreSQL, the compose
# topology, fairness between merchants and worker versioning. Files named on the command line run alone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Node.js ≥ 22: the machine's, or Node 24 fetched once from the npm registry (scripts/node-path.sh).
PATH="$(bash scripts/node-path.sh):$PATH"
export PATH
bash scripts/ensure-deps.sh
bash scripts/tools.sh --server >/dev/null
bash scripts/ensure-debian-tools.sh
DATABASE_URL="$(bash scripts/ensure-postgres.sh)"
export DATABASE_URL
npx tsc -p .
npx eslint .
# No import cycle anywhere, tests and tools included: a cycle is two modules that cannot change apart.
npm run --silent check:cycles
mkdir -p test-results && rm -f test-results/vitest*.json
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
if [ "$#" -eq 0 ]; then
  # The server tests keep the Temporal server's databases on the same PostgreSQL.
  TEMPORAL_TEST_POSTGRES="${DATABASE_URL%/*}" npm run --silent test:server -- --reporter=default --reporter=json --outputFile.json=test-results/vitest-server.json || status=$?
fi
# One plain closing line with the counts, whatever the reporters printed above it.
node -e '
  const fs = require("node:fs");
  const runs = ["vitest", "vitest-server"].map((n) => `test-results/${n}.json`).filter((f) => fs.existsSync(f)).map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
  const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
  if (runs.length) console.log(`tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed`);
'
exit "$status"
