#!/usr/bin/env bash
# The dashboard's browser test drives Debian's chromium with playwright-core (no browser download).
# Installs it when missing and this machine can (root with apt-get); otherwise says what to install.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser test (once) …" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >&2
else
  echo "error: the browser test needs Chromium at $chromium; fix: 'sudo apt-get install chromium' or set CHROMIUM_PATH." >&2
  exit 1
fi
