#!/usr/bin/env bash
# Writes the source part of the dual-lane artifact bundle of HEAD into an
# output directory: changes.patch (unified diff) and merge-base.sha, plus
# rollback.sql when the change ships one. The SLSA workflow adds
# attestation.intoto and sbom.cdx.json, then packs artifact.tar.gz.
#
#   build-artifact-bundle.sh <base-ref> <out-dir>
#       a lane branch: merge-base.sha is the merge base of HEAD with the base
#       (the default branch), changes.patch everything since it
#   build-artifact-bundle.sh --default-branch <before-sha> <out-dir>
#       a push to the default branch: merge-base.sha is HEAD itself (the
#       base the next change starts from, and the commit the provenance
#       names), changes.patch what the push brought since <before-sha>
set -euo pipefail

usage="usage: build-artifact-bundle.sh <base-ref> <out-dir> | --default-branch <before-sha> <out-dir>"
head="$(git rev-parse HEAD)"
if [ "${1:-}" = "--default-branch" ]; then
  before="${2:?$usage}"
  out="${3:?$usage}"
  merge_base="$head"
  if git cat-file -e "$before^{commit}" 2>/dev/null; then
    from="$before"
  else
    # First push of the branch: GitHub sends an all-zero "before"; the patch
    # then holds the whole tree.
    from="$(git hash-object -t tree /dev/null)"
  fi
else
  base="${1:?$usage}"
  out="${2:?$usage}"
  if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
    echo "❌ the base $base is not a commit here (fetch it, e.g. actions/checkout fetch-depth: 0)"
    exit 1
  fi
  merge_base="$(git merge-base "$base" HEAD)"
  from="$merge_base"
fi
mkdir -p "$out"
git diff --binary "$from" "$head" > "$out/changes.patch"
echo "$merge_base" > "$out/merge-base.sha"
if [ -f rollback.sql ]; then cp rollback.sql "$out/rollback.sql"; fi
echo "merge base $merge_base, $(wc -l < "$out/changes.patch") patch lines"
