# Sourced by .ci/run: start_usergraph builds the server and starts it on a
# free loopback port with a temporary SQLite database (or the database its
# first argument names, e.g. a PostgreSQL DSN); it sets UG_URL,
# UG_POOL_ID and UG_SECRET (the default pool's credentials, printed once at
# first start) and stops the server when the script exits.

start_usergraph() {
  UG_TMP=$(mktemp -d /tmp/usergraph-ci-server.XXXXXX)
  go build -tags sqlite_fts5 -o "$UG_TMP/usergraph" .
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  # -operator-issuer-allow: the console's browser test signs an operator in
  # through an identity provider it runs on loopback.
  "$UG_TMP/usergraph" -addr "127.0.0.1:$port" -db "${1:-$UG_TMP/usergraph.db}" -log-level warn -operator-issuer-allow 127.0.0.0/8 > "$UG_TMP/out.log" 2> "$UG_TMP/err.log" &
  UG_PID=$!
  UG_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -fsS "$UG_URL/healthz" > /dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "$UG_URL/healthz" > /dev/null
  UG_POOL_ID=$(awk '/userPoolId:/ {print $2}' "$UG_TMP/out.log")
  UG_SECRET=$(awk '/secret:/ {print $2}' "$UG_TMP/out.log")
  [ -n "$UG_POOL_ID" ] && [ -n "$UG_SECRET" ] || { cat "$UG_TMP/out.log" "$UG_TMP/err.log"; return 1; }
}

stop_usergraph() {
  if [ -n "${UG_PID:-}" ]; then
    kill "$UG_PID" 2> /dev/null || true
    wait "$UG_PID" 2> /dev/null || true
  fi
  [ -n "${UG_TMP:-}" ] && rm -rf "$UG_TMP"
}
