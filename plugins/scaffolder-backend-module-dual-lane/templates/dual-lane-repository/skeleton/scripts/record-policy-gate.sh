#!/usr/bin/env bash
# Tells the dual-lane backend which organisation policy version the policy
# gate ran against (needs the BACKSTAGE_URL and BACKSTAGE_INGEST_TOKEN
# secrets): the bundle as a policy version (POST /ingest/artifacts,
# kind=policy-bundle, verified by the backend) and this gate run with its
# policy digest (POST /ingest/gate-runs), which the entity's supply-chain
# view shows as the version the gate last used.
#
#   record-policy-gate.sh <org-policy-dir> <conclusion> <head-sha>
set -euo pipefail

usage="usage: record-policy-gate.sh <org-policy-dir> <success|failure|cancelled> <head-sha>"
dir="${1:?$usage}"
conclusion="${2:?$usage}"
head_sha="${3:?$usage}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${GITHUB_REPOSITORY:?}" "${GITHUB_RUN_ID:?}"
if [ ! -f "$dir/org-policy.json" ]; then
  echo "No organisation policy bundle was verified; nothing to record"
  exit 0
fi
server="${GITHUB_SERVER_URL:-https://github.com}"
host="${server#*://}"
repository="$GITHUB_REPOSITORY"
[ "$host" = github.com ] || repository="$host/$GITHUB_REPOSITORY"
record="$(cat "$dir/org-policy.json")"
asset="$(jq -r .asset <<<"$record")"

"$here/backstage-ingest.sh" artifacts \
  -F "repository=$repository" \
  -F "kind=policy-bundle" \
  -F "name=$(jq -r '.repository + "/" + (.asset | sub("\\.tar\\.gz$"; ""))' <<<"$record")" \
  -F "version=$(jq -r .version <<<"$record")" \
  -F "sourceUrl=$(jq -r .url <<<"$record")" \
  -F "artifact=@$dir/$asset;type=application/gzip" \
  -F "bundle=@$dir/$asset.sigstore.json;type=application/json"

case "$conclusion" in
  success | failure | cancelled) ;;
  *) conclusion=failure ;;
esac
runs="$(mktemp)"
trap 'rm -f "$runs"' EXIT
jq -n --arg repository "$repository" --arg head "$head_sha" \
  --arg gate "$("$here/lane-config.sh" .gates.policy.name)" \
  --arg check "$("$here/lane-config.sh" .gates.policy.context)" \
  --arg conclusion "$conclusion" \
  --arg id "github-actions/$GITHUB_RUN_ID/${GITHUB_RUN_ATTEMPT:-1}/policy-gate" \
  --arg url "$server/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID" \
  --arg digest "$(jq -r .digest <<<"$record")" \
  --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  '{runs: [{repository: $repository, headSha: $head, gate: $gate, checkName: $check,
    status: "completed", conclusion: $conclusion, externalId: $id, detailsUrl: $url,
    policyDigest: $digest, completedAt: $at}]}' > "$runs"
"$here/backstage-ingest.sh" gate-runs "$runs"
