#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster:
#   bash scripts/with-postgres.sh npx vitest run test/server
# initdb into a temp dir, start on a unix socket in that dir and on a free loopback port, create a database,
# export TEST_DATABASE_URL, run the command, then stop and delete the cluster. The command's exit code is kept.
# PostgreSQL refuses to run as root, so as root (CI) the cluster belongs to the `postgres` user.
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 <command...>" >&2
  exit 2
fi

find_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    echo "$PG_BIN"
    return
  fi
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" ]] && echo "$dir" # the last (highest) version wins
  done | tail -n 1
}
bin="$(find_bin)"
if [[ -z "$bin" || ! -x "$bin/pg_ctl" ]]; then
  echo "with-postgres: PostgreSQL server binaries not found (apt-get install postgresql, or set PG_BIN)" >&2
  exit 127
fi

# The cluster runs as the invoking user, or as `postgres` when invoked as root.
as_owner=()
if [[ "$(id -u)" == 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "with-postgres: running as root needs a 'postgres' user to own the cluster" >&2
    exit 1
  fi
  as_owner=(runuser -u postgres --)
fi

started_ns=$(date +%s%N)
dir="$(mktemp -d "${TMPDIR:-/tmp}/with-postgres.XXXXXX")"
chmod 700 "$dir"
((${#as_owner[@]})) && chown postgres: "$dir"

cleanup() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free loopback port: bind to 0 and let the kernel choose. (A tiny race with other processes is accepted.)
port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"

"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  echo "with-postgres: initdb failed" >&2
  exit 1
}
initdb_ms=$((($(date +%s%N) - started_ns) / 1000000))
# Durability is pointless for a throwaway cluster: fsync off makes tests faster.
server_opts="-k $dir -h 127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$server_opts" -w -t 30 start >/dev/null || {
  cat "$dir/server.log" >&2
  echo "with-postgres: pg_ctl start failed" >&2
  exit 1
}
"${as_owner[@]}" "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
  -c "CREATE DATABASE station_test" >/dev/null

elapsed_ms=$((($(date +%s%N) - started_ns) / 1000000))
version="$("$bin/postgres" --version)"
echo "with-postgres: ${version} ready in ${elapsed_ms} ms (initdb ${initdb_ms} ms, start + createdb $((elapsed_ms - initdb_ms)) ms) on 127.0.0.1:${port} (socket dir ${dir})"

export TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:${port}/station_test"
set +e
"$@"
status=$?
set -e
exit "$status"
