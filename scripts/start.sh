#!/usr/bin/env bash
# `npm start`: installs what is missing (npm packages, the pinned Temporal CLI and nats-server), then runs
# the local stack, or one role with `npm start -- --role worker`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Node.js ≥ 22: the machine's, or Node 24 fetched once from the npm registry (scripts/node-path.sh).
PATH="$(bash scripts/node-path.sh):$PATH"
export PATH
bash scripts/ensure-deps.sh
# --help needs no servers: print the roles without building the tools first.
case " $* " in *" --help "*|*" -h "*) exec node --import tsx src/main.ts --help ;; esac
bash scripts/tools.sh >/dev/null
# The local stack (no --role) accepts the development keys it prints, and delivers webhooks to a receiver on
# this machine; a single role, as deployed, only when the variables say so, and production never.
case " $* " in
  *" --role"*) ;;
  *)
    if [[ "${NODE_ENV:-development}" != production ]]; then
      export ENABLE_DEV_KEYS="${ENABLE_DEV_KEYS:-true}" WEBHOOK_ALLOW_PRIVATE_URLS="${WEBHOOK_ALLOW_PRIVATE_URLS:-true}"
    fi
    ;;
esac
exec node --import tsx src/main.ts "$@"
