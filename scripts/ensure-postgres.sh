#!/usr/bin/env bash
# The PostgreSQL server the tests make their databases on, printed as a URL: DATABASE_URL when set, else this
# machine's server on 127.0.0.1:5432 — started when it is installed but stopped, installed from Debian's
# packages when it is missing and this machine can (root with apt-get). The tests run worker processes
# that must share one database, so they need a real server; each test file makes (and drops) its own
# database on it.
set -euo pipefail
if [ -n "${DATABASE_URL:-}" ]; then
  printf '%s\n' "$DATABASE_URL"
  exit 0
fi
say() { printf '%s\n' "$*" >&2; }
host=127.0.0.1
port=5432
answers() { command -v pg_isready >/dev/null 2>&1 && pg_isready -h "$host" -p "$port" -q; }
wait_up() { for _ in $(seq 1 30); do answers && return 0; sleep 1; done; return 1; }

if ! answers && ! command -v pg_ctlcluster >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's postgresql for the tests (once) …"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2
  else
    say "error: the tests need a PostgreSQL server; fix: set DATABASE_URL=postgres://user:password@host:5432/postgres, or install PostgreSQL ('sudo apt-get install postgresql')."
    exit 1
  fi
fi
if ! answers; then
  cluster="$(ls /etc/postgresql | head -1)"
  say "starting PostgreSQL $cluster …"
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main start >&2 || true
  wait_up || { say "error: PostgreSQL $cluster did not start; see /var/log/postgresql/"; exit 1; }
fi
# Debian's own package asks for a password over TCP; the tests connect as postgres with trust (this
# machine's setting) or, failing that, with the password set here through the local socket.
url="postgres://postgres@$host:$port/postgres"
if ! psql "$url" -qAtc 'select 1' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- psql -qc "alter user postgres password 'postgres'" >/dev/null
    url="postgres://postgres:postgres@$host:$port/postgres"
  fi
  psql "$url" -qAtc 'select 1' >/dev/null 2>&1 || { say "error: cannot connect to PostgreSQL as $url; fix: set DATABASE_URL to a server the tests may create databases on."; exit 1; }
fi
printf '%s\n' "$url"
