#!/usr/bin/env bash
# Builds the usergraph binary as releases and the container image do:
# deploy/build.sh OUT [VERSION]. SQLite (with full-text search) is
# compiled in through cgo; the version, the commit and the build date are
# stamped in (usergraph version prints them).
set -euo pipefail
out=$(realpath -m "${1:?usage: deploy/build.sh OUT [VERSION]}")
cd "$(dirname "$0")/.."
version=${2:-v0.0.0-dev}
revision=${REVISION:-$(git rev-parse HEAD 2> /dev/null || echo unknown)}
if [ -z "${REVISION:-}" ] && [ -n "$(git status --porcelain 2> /dev/null)" ]; then revision="$revision-modified"; fi
date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
pkg=usergraph/internal/buildinfo
CGO_ENABLED=1 go build -trimpath -tags sqlite_fts5 -buildvcs=false \
  -ldflags "-s -w -X $pkg.Version=$version -X $pkg.Revision=$revision -X $pkg.Date=$date" \
  -o "$out" .
