#!/usr/bin/env bash
# Publishes a signed artifact.tar.gz where the dual-lane backend finds it:
#
#   publish-artifact-bundle.sh release <artifact.tar.gz> <bundle.sigstore.json>
#       as assets of the prerelease artifact-<sha12> (pushes to the default
#       branch); the backend's release sync picks up `artifact.tar.gz` with
#       `artifact.tar.gz.sigstore.json`
#   publish-artifact-bundle.sh ingest <artifact.tar.gz> <bundle.sigstore.json>
#       POST /api/dual-lane/ingest/artifacts with the commit it was built
#       from (the pull request's head on a lane branch), right away
#
# Needs GITHUB_SHA, GITHUB_REPOSITORY, GITHUB_SERVER_URL, GITHUB_RUN_ID;
# `release` needs GH_TOKEN (contents: write), `ingest` BACKSTAGE_URL and
# BACKSTAGE_INGEST_TOKEN.
set -euo pipefail

usage="usage: publish-artifact-bundle.sh release|ingest <artifact.tar.gz> <bundle.sigstore.json>"
mode="${1:?$usage}"
artifact="${2:?$usage}"
bundle="${3:?$usage}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${GITHUB_SHA:?}" "${GITHUB_REPOSITORY:?}" "${GITHUB_RUN_ID:?}"
server="${GITHUB_SERVER_URL:-https://github.com}"
host="${server#*://}"
run_url="$server/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID"
short="${GITHUB_SHA:0:12}"

# Release assets are matched by name: artifact.tar.gz and its bundle beside it.
staged="$(mktemp -d)"
trap 'rm -rf "$staged"' EXIT
cp "$artifact" "$staged/artifact.tar.gz"
cp "$bundle" "$staged/artifact.tar.gz.sigstore.json"

case "$mode" in
  release)
    tag="artifact-$short"
    if gh release view "$tag" --repo "$GITHUB_REPOSITORY" >/dev/null 2>&1; then
      gh release upload "$tag" --repo "$GITHUB_REPOSITORY" --clobber \
        "$staged/artifact.tar.gz" "$staged/artifact.tar.gz.sigstore.json"
    else
      gh release create "$tag" --repo "$GITHUB_REPOSITORY" --target "$GITHUB_SHA" \
        --prerelease --latest=false --title "Dual-lane artifact $short" \
        --notes "Artifact bundle of $GITHUB_SHA, signed with its SLSA provenance: $run_url" \
        "$staged/artifact.tar.gz" "$staged/artifact.tar.gz.sigstore.json"
    fi
    echo "✅ released $tag with artifact.tar.gz and artifact.tar.gz.sigstore.json"
    ;;
  ingest)
    repository="$GITHUB_REPOSITORY"
    [ "$host" = github.com ] || repository="$host/$GITHUB_REPOSITORY"
    "$here/backstage-ingest.sh" artifacts \
      -F "repository=$repository" \
      -F "kind=artifact-bundle" \
      -F "name=${GITHUB_REF_NAME:-$short}@$short/artifact.tar.gz" \
      -F "commitSha=$GITHUB_SHA" \
      -F "sourceUrl=$run_url" \
      -F "artifact=@$staged/artifact.tar.gz;type=application/gzip" \
      -F "bundle=@$staged/artifact.tar.gz.sigstore.json;type=application/json"
    ;;
  *)
    echo "$usage"
    exit 2
    ;;
esac
