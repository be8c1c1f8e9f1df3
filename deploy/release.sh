#!/usr/bin/env bash
# Builds a release of usergraph: deploy/release.sh v1.2.3 [outdir]
#
# The version must be a semantic version with a section in
# docs/CHANGELOG.md (## [1.2.3] - date). The binary is built for this
# machine's platform (SQLite is compiled in through cgo, so each platform
# builds on its own), with the version, the commit and the build date
# stamped in (`usergraph version` prints them), packed with the licence,
# the third-party notices and the README, and listed in SHA256SUMS.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: deploy/release.sh vMAJOR.MINOR.PATCH [outdir]}
out=${2:-dist}
if ! [[ $version =~ ^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "release: $version is not a semantic version (vMAJOR.MINOR.PATCH[-pre])" >&2
  exit 1
fi
if [ -z "${RELEASE_UNLISTED:-}" ] && ! grep -q "^## \[${version#v}\]" docs/CHANGELOG.md; then
  echo "release: docs/CHANGELOG.md has no section ## [${version#v}]" >&2
  exit 1
fi
platform=$(go env GOOS)_$(go env GOARCH)
name=usergraph_${version}_${platform}

mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
deploy/build.sh "$stage/$name/usergraph" "$version"
cp LICENSE README.md deploy/THIRD_PARTY_NOTICES.md docs/CHANGELOG.md "$stage/$name/"
tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
(cd "$out" && sha256sum "$name.tar.gz" >> SHA256SUMS.tmp && sort -u -k2 SHA256SUMS.tmp > SHA256SUMS && rm SHA256SUMS.tmp)
echo "built $out/$name.tar.gz: $("$stage/$name/usergraph" version)"
# The next release's schema is compared with this one's (the schema
# change policy, docs/releases.md): commit it with the release.
if [ -z "${RELEASE_UNLISTED:-}" ]; then
  cp schema.graphql deploy/schemadiff/released.graphql
  # The TypeScript client's version is the server's.
  (cd clients/typescript && npm version --no-git-tag-version --allow-same-version "${version#v}" > /dev/null)
  echo "deploy/schemadiff/released.graphql is now $version's schema: commit it"
fi
