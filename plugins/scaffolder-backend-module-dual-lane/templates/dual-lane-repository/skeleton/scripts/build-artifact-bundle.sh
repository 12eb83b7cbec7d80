#!/usr/bin/env bash
# Writes the dual-lane artifact bundle contents of HEAD against a base into
# an output directory: changes.patch (unified diff from the merge base) and
# merge-base.sha; rollback.sql is copied when the change ships one.
set -euo pipefail

base="${1:?usage: build-artifact-bundle.sh <base-ref-or-sha> <out-dir>}"
out="${2:?usage: build-artifact-bundle.sh <base-ref-or-sha> <out-dir>}"
mkdir -p "$out"

if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
  # First push of a branch: GitHub sends an all-zero "before".
  base="$(git rev-list --max-parents=0 HEAD | tail -n 1)"
fi
merge_base="$(git merge-base "$base" HEAD)"
git diff --binary "$merge_base" HEAD > "$out/changes.patch"
echo "$merge_base" > "$out/merge-base.sha"
if [ -f rollback.sql ]; then cp rollback.sql "$out/rollback.sql"; fi
echo "merge base $merge_base, $(wc -l < "$out/changes.patch") patch lines"
