#!/usr/bin/env bash
# Sourced by .ci/run (with the live server's UG_URL, UG_POOL_ID, UG_SECRET):
# packs @usergraph/client as npm would publish it (prepack builds it),
# installs the tarball in a fresh project beside TypeScript, type-checks an
# app under strict, and runs it against the server, on this machine's
# Node (the package declares >=20).
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
  )
  local status=$?
  rm -rf "$app"
  return $status
}
