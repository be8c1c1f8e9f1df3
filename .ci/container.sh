#!/usr/bin/env bash
# Sourced by .ci/run. No container engine runs on the CI machine, so this
# checks what the image would do without one: the binary built exactly as
# deploy/Dockerfile builds it (deploy/build.sh) serves as an unprivileged
# user whose only writable directory is its data directory (the image's
# /data), answers its health check (`usergraph probe`, the image's
# HEALTHCHECK), writes nothing elsewhere, and stops cleanly on SIGTERM.
container_check() {
  grep -q 'deploy/build.sh /out/usergraph' deploy/Dockerfile || { echo "deploy/Dockerfile no longer builds with deploy/build.sh"; return 1; }
  if [ "$(id -u)" != 0 ]; then
    echo "not root: cannot run as another user here; skipped"
    return 0
  fi
  local tmp bin data port pid user=usergraph-ci
  tmp=$(mktemp -d)
  bin=$tmp/usergraph
  data=$tmp/data
  deploy/build.sh "$bin" v0.0.0-ci
  id "$user" > /dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
  mkdir -p "$data" && chown "$user" "$data" && chmod 700 "$data"
  chmod 755 "$tmp" && chmod 755 "$bin"
  touch "$tmp/marker"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2> /dev/null || echo 18555)
  (cd / && exec runuser -u "$user" -- env -i PATH=/usr/bin:/bin USERGRAPH_ADDR=127.0.0.1:$port \
    DATABASE_URL="$data/usergraph.db" USERGRAPH_DRAIN_DELAY=1s USERGRAPH_LOG_FORMAT=json "$bin" serve) > "$tmp/out.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    runuser -u "$user" -- "$bin" probe "http://127.0.0.1:$port/readyz" > /dev/null 2>&1 && break
    sleep 0.2
  done
  runuser -u "$user" -- "$bin" probe "http://127.0.0.1:$port/readyz" || { cat "$tmp/out.log"; return 1; }
  local spid
  spid=$(pgrep -u "$user" -f "$bin serve" | head -1)
  [ -n "$spid" ] || { echo "no server process runs as $user"; return 1; }
  # Nothing written outside the data directory.
  local stray
  stray=$(find / -xdev -user "$user" -newer "$tmp/marker" -not -path "$data/*" -not -path "$data" 2> /dev/null | head -5)
  [ -z "$stray" ] || { echo "the server wrote outside its data directory: $stray"; return 1; }
  kill -TERM "$spid"
  local code=0
  wait "$pid" || code=$?
  [ "$code" = 0 ] || { echo "the server exited $code on SIGTERM"; cat "$tmp/out.log"; return 1; }
  echo "ran as $user with only $data writable; healthy; stopped cleanly on SIGTERM"
  rm -rf "$tmp"
}
