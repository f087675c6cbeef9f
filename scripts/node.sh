#!/usr/bin/env bash
# Runs Node.js ≥ 22 (the machine's, or the pinned Node 24 fetched once; see node-path.sh) with these arguments.
set -euo pipefail
bin="$(bash "$(dirname "${BASH_SOURCE[0]}")/node-path.sh")"
exec "$bin/node" "$@"
