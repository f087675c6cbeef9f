#!/usr/bin/env bash
# `npm run build`: the production build in dist/ — the service compiled to JavaScript (started with plain
# `node dist/src/main/cli.js`), the assets it reads beside it, and the workflow bundle workers load with
# WORKFLOW_BUNDLE_PATH=dist/workflow-bundle.js.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rm -rf dist
npx tsc -p tsconfig.build.json
mkdir -p dist/api/dashboard dist/src/db
cp api/dashboard/* dist/api/dashboard/
cp -r src/db/migrations dist/src/db/migrations
cp src/codec/failure-converter.cjs dist/src/codec/
node --import tsx scripts/bundle-workflows.ts dist/workflow-bundle.js
