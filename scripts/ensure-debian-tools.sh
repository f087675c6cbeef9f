#!/usr/bin/env bash
# Debian packages the tests drive: chromium for the browser tests (through playwright-core, no browser
# download) and docker-compose, which validates docker-compose.yml without a Docker engine. Installs what is
# missing when this machine can (root with apt-get); otherwise says what to install.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$chromium" ] || missing+=(chromium)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's ${missing[*]} for the tests (once) …" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2
else
  echo "error: the tests need Debian's ${missing[*]}; fix: 'sudo apt-get install ${missing[*]}' (or set CHROMIUM_PATH to a Chromium)." >&2
  exit 1
fi
