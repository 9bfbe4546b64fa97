#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL 15 server: initdb in a temporary directory,
# a free port, a Unix socket only, fsync off; DATABASE_URL points at it; removed afterwards.
# With CI=true a missing PostgreSQL is a failure; elsewhere it is reported and skipped.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL 15 not found in $PG_BIN" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  echo "SKIPPED the PostgreSQL run (not CI)" >&2
  exit 0
fi
dir=$(mktemp -d /tmp/anju-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${as_pg[@]}" "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
socket=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$dir")
export DATABASE_URL="postgres://postgres@${socket}:${port}/postgres"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on $dir port $port"
"$@"
