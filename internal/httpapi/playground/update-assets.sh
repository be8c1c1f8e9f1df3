#!/usr/bin/env bash
# Copies the playground's third-party assets from the npm registry, at the
# pinned versions below, into assets/ (embedded in the binary with go:embed),
# with their licences. Run it to upgrade them, then commit assets/.
set -euo pipefail
cd "$(dirname "$0")"
GRAPHIQL=3.9.0
REACT=18.3.1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" > /dev/null)
for p in graphiql-$GRAPHIQL react-$REACT react-dom-$REACT; do
  mkdir -p "$tmp/$p" && tar xzf "$tmp/$p.tgz" -C "$tmp/$p"
done
out=assets
rm -f "$out"/*.js "$out"/*.css "$out"/LICENSE.*
cp "$tmp/graphiql-$GRAPHIQL/package/graphiql.min.js" "$tmp/graphiql-$GRAPHIQL/package/graphiql.min.css" "$out/"
cp "$tmp/graphiql-$GRAPHIQL/package/LICENSE" "$out/LICENSE.graphiql"
cp "$tmp/react-$REACT/package/umd/react.production.min.js" "$out/"
cp "$tmp/react-$REACT/package/LICENSE" "$out/LICENSE.react"
cp "$tmp/react-dom-$REACT/package/umd/react-dom.production.min.js" "$out/"
cp "$tmp/react-dom-$REACT/package/LICENSE" "$out/LICENSE.react-dom"
printf 'graphiql %s\nreact %s\nreact-dom %s\n' "$GRAPHIQL" "$REACT" "$REACT" > "$out/VERSIONS"
echo "assets updated: graphiql $GRAPHIQL, react $REACT"
