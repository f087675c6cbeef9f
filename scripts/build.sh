#!/usr/bin/env bash
# `npm run build`: the production build in dist/ — the service compiled to JavaScript (started with plain
# `node dist/src/main.js`), the assets it reads beside it, and the workflow bundle workers load with
# WORKFLOW_BUNDLE_PATH=dist/workflow-bundle.js.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rm -rf dist
npx tsc -p tsconfig.build.json
mkdir -p dist/api/operations/dashboard-assets dist/src/platform/db dist/src/platform/codec
cp api/operations/dashboard-assets/* dist/api/operations/dashboard-assets/
cp -r src/platform/db/migrations dist/src/platform/db/migrations
cp src/platform/codec/failure-converter.cjs dist/src/platform/codec/
node --import tsx scripts/bundle-workflows.ts dist/workflow-bundle.js
