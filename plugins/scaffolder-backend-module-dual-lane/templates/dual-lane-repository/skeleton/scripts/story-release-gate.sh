#!/usr/bin/env bash
# Story release gate: the pull request body names the stories it releases
# (STORY-<number>), none of its acceptance criteria boxes is left unchecked,
# and the supervisor has not asked for rework (rework label absent).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"

body="${PR_BODY:-}"
labels=",${PR_LABELS:-},"
rework_label="$("$here/lane-config.sh" '.labels["rework-requested"].name')"

fail() {
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then echo "❌ Story release gate: $1" >> "$GITHUB_STEP_SUMMARY"; fi
  echo "❌ Story release gate: $1"
  exit 1
}

stories="$(grep -oE 'STORY-[0-9]+' <<<"$body" | sort -u | tr '\n' ' ' || true)"
[ -n "$stories" ] || fail "the pull request body names no story (STORY-<number>)"

if grep -qE '^[[:space:]]*[-*] \[ \]' <<<"$body"; then
  fail "acceptance criteria are not all checked: $(grep -E '^[[:space:]]*[-*] \[ \]' <<<"$body" | head -n 3 | tr '\n' ' ')"
fi
if ! grep -qE '^[[:space:]]*[-*] \[[xX]\]' <<<"$body"; then
  fail "the pull request body has no checked acceptance criteria"
fi

case "$labels" in
  *",$rework_label,"*) fail "the supervisor asked for rework (label '$rework_label')" ;;
esac

echo "✅ Story release gate passed for ${stories% }"
