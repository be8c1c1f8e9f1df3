# Sourced by .ci/run: start_postgres installs PostgreSQL from Debian's
# packages when it is missing, starts a throwaway cluster on a free loopback
# port under a temporary directory, sets PG_DSN, and stops and removes the
# cluster when the script exits, whatever happens.

pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

start_postgres() {
  if [ -z "$(pg_bindir)" ]; then
    echo "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql > /dev/null
  fi
  local bin; bin=$(pg_bindir)
  PG_TMP=$(mktemp -d /tmp/usergraph-ci-pg.XXXXXX)
  local run=()
  if [ "$(id -u)" = 0 ]; then # initdb refuses to run as root
    id postgres > /dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_TMP"
    run=(runuser -u postgres --)
  fi
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "${run[@]}" "$bin/initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 > "$PG_TMP/initdb.log"
  trap 'stop_postgres' EXIT
  "${run[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -o \
    "-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start > /dev/null
  PG_BIN=$bin
  PG_RUN=("${run[@]}")
  PG_DSN="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
  PG_DSN_SAFE="127.0.0.1:$PG_PORT"
}

stop_postgres() {
  if [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP/data" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate stop > /dev/null 2>&1 || true
    rm -rf "$PG_TMP"
  fi
}
