#!/usr/bin/env bash
# LEO Gate 3: the pull request names the PRD it implements, comes from the
# enforcer lane's feature/<slug> branch, and the slug carries both lane
# markers: the builder's (on the PR or on staging/<slug>) and the enforcer's
# (on the PR). Needs the full history (actions/checkout fetch-depth: 0).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"

: "${HEAD_REF:?HEAD_REF (the pull request head branch) is required}"
: "${BASE_SHA:?BASE_SHA is required}"
: "${HEAD_SHA:?HEAD_SHA is required}"

feature_prefix="$("$here/lane-config.sh" .branchPrefixes.feature)"
staging_prefix="$("$here/lane-config.sh" .branchPrefixes.staging)"
ready="$("$here/lane-config.sh" .markers.ready)"
applied="$("$here/lane-config.sh" .markers.applied)"

summary() {
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then echo "$1" >> "$GITHUB_STEP_SUMMARY"; fi
  echo "$1"
}
fail() {
  summary "❌ Gate 3: $1"
  exit 1
}

case "$HEAD_REF" in
  "$feature_prefix"?*) slug="${HEAD_REF#"$feature_prefix"}" ;;
  *) fail "the head branch '$HEAD_REF' is not ${feature_prefix}<slug>" ;;
esac

prd="$(printf '%s\n%s\n' "${PR_TITLE:-}" "${PR_BODY:-}" | grep -oE 'PRD-[0-9]+' | head -n 1 || true)"
[ -n "$prd" ] || fail "the pull request names no PRD (PRD-<number>) in its title or body"

if [ -d docs/prd ] && [ ! -f "docs/prd/$prd.md" ]; then
  fail "docs/prd/$prd.md does not exist"
fi

messages="$(git log --format=%B "$BASE_SHA..$HEAD_SHA")"
if ! grep -qF "[$applied:$slug]" <<<"$messages"; then
  fail "no commit of the pull request carries [$applied:$slug]"
fi

builder_log="$messages"
if git rev-parse --verify --quiet "refs/remotes/origin/$staging_prefix$slug" >/dev/null; then
  builder_log="$builder_log"$'\n'"$(git log --format=%B "refs/remotes/origin/$staging_prefix$slug")"
fi
if ! grep -qF "[$ready:$slug]" <<<"$builder_log"; then
  fail "neither the pull request nor $staging_prefix$slug has a commit carrying [$ready:$slug]"
fi

summary "✅ Gate 3 passed for $prd on $HEAD_REF"
