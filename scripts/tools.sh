#!/usr/bin/env bash
# Provides the pinned Temporal CLI and nats-server in .tools/ (git-ignored), built once with `go install`
# and reused while the pinned version matches. Prints the binary paths as KEY=path lines.
#
#   scripts/tools.sh            build what is missing, print TEMPORAL_CLI=… and NATS_SERVER=…
#   scripts/tools.sh --server   also the production Temporal server and its SQL schema tool:
#                               TEMPORAL_SERVER=… and TEMPORAL_SQL_TOOL=…
#   scripts/tools.sh --quiet    without the progress lines (stderr) — for scripts that eval it
#
# A Temporal CLI you have already is used when it is the pinned version: TEMPORAL_CLI=/path/to/temporal (an
# error when it is another version), else `temporal` on PATH (built anyway when it is another version).
set -euo pipefail

TEMPORAL_CLI_VERSION="v1.5.1"
# The server the CLI v1.5.1 embeds: how a CLI built with `go install` (which stamps no version) is recognised.
CLI_EMBEDDED_SERVER_VERSION="v1.29.1"
# The production server: the newest release whose module asks for no newer Go than the one it is built with
# here (v1.32.2 asks for Go 1.26.10). It honours fairness keys and pinned worker deployment versions. Every
# CLI release after v1.5.1 points a module at a local folder its download does not contain, so `go install`
# cannot build them: the dev server stays on the server the last buildable CLI embeds.
TEMPORAL_SERVER_VERSION="v1.32.1"
NATS_SERVER_VERSION="v2.14.5"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${DURABLE_CHECKOUT_TOOLS_DIR:-$root/.tools}"
quiet=0
server=0
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=1 ;;
    --server) server=1 ;;
    *) echo "usage: scripts/tools.sh [--server] [--quiet]" >&2; exit 2 ;;
  esac
done

say() { [ "$quiet" = 1 ] || printf '%s\n' "$*" >&2; }

need_go() {
  if ! command -v go >/dev/null 2>&1; then
    local fallback="${GO_FALLBACK_DIR:-/usr/local/go/bin}"
    if [ -x "$fallback/go" ]; then
      export PATH="$fallback:$PATH"
    else
      cat >&2 <<MSG
error: Go is not installed, and it is needed once to build the pinned Temporal CLI ${TEMPORAL_CLI_VERSION}
and nats-server ${NATS_SERVER_VERSION}.
fix:   install Go 1.25 or newer (https://go.dev/doc/install, or 'apt-get install golang' where it is new
       enough), make sure 'go' is on PATH, and run this again.
MSG
      exit 1
    fi
  fi
  local have
  have="$(go env GOVERSION 2>/dev/null | sed 's/^go//')"
  local major minor
  major="${have%%.*}"; minor="$(echo "$have" | cut -d. -f2)"
  # From Go 1.21 on, `go install` fetches the toolchain a module asks for (GOTOOLCHAIN=auto, the default).
  local floor=21
  [ "$(go env GOTOOLCHAIN 2>/dev/null)" = local ] && floor=25
  if [ "${major:-0}" -lt 1 ] || { [ "$major" -eq 1 ] && [ "${minor:-0}" -lt "$floor" ]; }; then
    echo "error: Go $have is too old to build the Temporal CLI ${TEMPORAL_CLI_VERSION}; fix: install Go 1.25 or newer (or Go 1.21+ with GOTOOLCHAIN=auto, which fetches it)." >&2
    exit 1
  fi
}

# The version a Temporal CLI reports, as v1.2.3 (empty when it does not say).
cli_version() { "$1" --version 2>/dev/null | sed -n 's/^temporal version \([0-9][0-9.A-Za-z-]*\).*/v\1/p' | head -1; }

# Whether a Temporal CLI is the pinned one: its version, or — built from source with `go install`, which
# stamps no version (0.0.0-DEV) — the server version it embeds.
is_pinned_cli() {
  local version
  version="$(cli_version "$1")"
  [ "$version" = "$TEMPORAL_CLI_VERSION" ] && return 0
  [ "$version" = "v0.0.0-DEV" ] && "$1" --version 2>/dev/null | grep -q "(Server ${CLI_EMBEDDED_SERVER_VERSION#v},"
}

# The Temporal CLI to use without building: TEMPORAL_CLI (which must be the pinned version), the one built
# here before, or `temporal` on PATH when it is the pinned version.
existing_temporal_cli() {
  if [ -n "${TEMPORAL_CLI:-}" ]; then
    if ! is_pinned_cli "$TEMPORAL_CLI"; then
      local version
      version="$(cli_version "$TEMPORAL_CLI")"
      echo "error: TEMPORAL_CLI=$TEMPORAL_CLI is ${version:-not a Temporal CLI that reports its version}, and this project pins $TEMPORAL_CLI_VERSION; fix: point it at a $TEMPORAL_CLI_VERSION binary, or unset it to build one." >&2
      exit 1
    fi
    say "using TEMPORAL_CLI=$TEMPORAL_CLI"
    printf '%s\n' "$TEMPORAL_CLI"
    return
  fi
  [ -x "$tools/bin/temporal-$TEMPORAL_CLI_VERSION" ] && return 1
  local on_path
  on_path="$(command -v temporal || true)"
  [ -n "$on_path" ] || return 1
  if is_pinned_cli "$on_path"; then
    say "using the Temporal CLI on PATH: $on_path ($TEMPORAL_CLI_VERSION)"
    printf '%s\n' "$on_path"
    return
  fi
  say "the Temporal CLI on PATH ($on_path) is $(cli_version "$on_path"), not $TEMPORAL_CLI_VERSION: building the pinned one"
  return 1
}

# build NAME VERSION MODULE — leaves $tools/bin/NAME-VERSION, building it only when missing.
build() {
  local name="$1" version="$2" module="$3"
  local target="$tools/bin/$name-$version"
  if [ -x "$target" ]; then
    printf '%s\n' "$target"
    return
  fi
  need_go
  mkdir -p "$tools/bin"
  local staging
  staging="$(mktemp -d "$tools/build-$name.XXXXXX")"
  say "building $name $version with go install (the first build takes a few minutes) …"
  local started=$SECONDS
  # Progress: go prints each module it downloads with -x off; we show a dot every 10 s so a quiet build
  # does not look hung.
  ( while sleep 10; do [ "$quiet" = 1 ] || printf '.' >&2; done ) &
  local ticker=$!
  if ! GOBIN="$staging" go install "$module@$version" >"$staging/build.log" 2>&1; then
    kill "$ticker" 2>/dev/null || true
    echo >&2
    cat "$staging/build.log" >&2
    echo "error: building $name $version failed (log above); fix: check that the Go module proxy is reachable (go env GOPROXY)." >&2
    exit 1
  fi
  kill "$ticker" 2>/dev/null || true
  [ "$quiet" = 1 ] || echo >&2
  mv "$staging/$(basename "${module%%/v[0-9]*}")" "$target" 2>/dev/null || mv "$staging/$name" "$target"
  rm -rf "$staging"
  say "built $name $version in $((SECONDS - started)) s → $target"
  printf '%s\n' "$target"
}

temporal="$(existing_temporal_cli || build temporal "$TEMPORAL_CLI_VERSION" github.com/temporalio/cli/cmd/temporal)"
nats="$(build nats-server "$NATS_SERVER_VERSION" github.com/nats-io/nats-server/v2)"
echo "TEMPORAL_CLI=$temporal"
echo "NATS_SERVER=$nats"
if [ "$server" = 1 ]; then
  echo "TEMPORAL_SERVER=$(build temporal-server "$TEMPORAL_SERVER_VERSION" go.temporal.io/server/cmd/server)"
  echo "TEMPORAL_SQL_TOOL=$(build temporal-sql-tool "$TEMPORAL_SERVER_VERSION" go.temporal.io/server/cmd/tools/sql)"
fi
