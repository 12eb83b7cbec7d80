#!/usr/bin/env bash
# Runs the four negative tests against the real gates and reports the result
# of each (blocked or not, and why) three ways: one GitHub Actions annotation
# per test on this job's check run, which is what the dual-lane backend reads
# (`unsigned-image: blocked — <reason>`, parsed by parseNegativeTestReport of
# @dual-lane/plugin-dual-lane-common), a JSON file and the job summary.
# A test passes only when the gate blocked the bad input; the script exits
# non-zero when any bad input got through or a test could not run (a test
# that could not run reports nothing to the backend: it proves neither way).
#
#   unsigned-image     kyverno require-signed-images on an image that has no
#                      signature from this organisation
#   non-digest-image   kyverno require-digest on an image referenced by tag
#   provenance-replay  the provenance of one artifact presented for another
#   policy-tampering   a signed policy bundle modified after signing
#
# Needs kyverno, cosign, gh, skopeo and jq, plus PROVENANCE_BUNDLE,
# ATTESTED_ARTIFACT, REPLAY_TARGET and SIGNER_IDENTITY from the workflow.
#
# Against a cluster: with NEGATIVE_TEST_ENVIRONMENT=staging or production
# the two admission tests (unsigned-image, non-digest-image) submit their
# pods to the cluster of the current kubectl context as a server-side dry
# run (NEGATIVE_TEST_NAMESPACE, default `default`), so the cluster's own
# admission controller (e.g. Kyverno with these policies) must deny them;
# provenance-replay and policy-tampering are CI checks and are skipped.
# Needs kubectl, skopeo and jq then. Every run first reports
# `environment=<environment>` (an annotation, a JSON field, a summary line),
# which the backend records the results under; name the job
# `<report check> (<environment>)` too, so its check run does not replace
# the CI one. With BACKSTAGE_URL and BACKSTAGE_INGEST_TOKEN set, a cluster
# run also posts its results to POST /api/dual-lane/ingest/negative-tests.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-negative-tests.json}"
fixtures="$root/tests/negative/fixtures"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="[]"
failed=0
environment="${NEGATIVE_TEST_ENVIRONMENT:-ci}"
case "$environment" in
  ci | staging | production) ;;
  *)
    echo "❌ NEGATIVE_TEST_ENVIRONMENT must be ci, staging or production, got '$environment'"
    exit 2
    ;;
esac

# One line, escaped for a workflow command message (%, CR, LF).
command_data() {
  local text="${1//$'\r'/ }"
  text="${text//$'\n'/ }"
  text="${text//'%'/'%25'}"
  printf '%s' "$text"
}

record() {
  # name, blocked (true/false), reason
  local reason
  reason="$(command_data "$3")"
  results="$(jq -c --arg name "$1" --argjson blocked "$2" --arg reason "$3" \
    '. + [{name: $name, blocked: $blocked, reason: $reason}]' <<<"$results")"
  if [ "$2" = true ]; then
    echo "::notice title=negative-test::$1: blocked — $reason"
  else
    failed=1
    echo "::error title=negative-test::$1: not blocked — $reason"
  fi
}

# A test that could not run says nothing about the gate: no result for the
# backend, but the job fails.
could_not_run() {
  # name, reason
  results="$(jq -c --arg name "$1" --arg reason "$2" \
    '. + [{name: $name, blocked: null, error: $reason}]' <<<"$results")"
  failed=1
  echo "::warning title=negative-test::$1 could not run — $(command_data "$2")"
}

# kyverno apply prints "pass: N, fail: N, warn: N, error: N, skip: N".
kyverno_blocks() {
  local output
  output="$(kyverno apply "$1" --resource "$2" 2>&1)"
  if grep -qE 'fail: [1-9]' <<<"$output"; then
    echo "blocked: $(grep -m1 -iE 'fail|error' <<<"$output")"
    return 0
  fi
  echo "admitted: $(tail -n 1 <<<"$output")"
  return 1
}

# The cluster's admission controller on a pod, as a server-side dry run:
# 0 and the denial when it refused the pod, 1 when it admitted it, 2 when
# the request failed for another reason (no cluster, no permission).
cluster_blocks() {
  local output
  if output="$(kubectl apply --dry-run=server -n "${NEGATIVE_TEST_NAMESPACE:-default}" -f "$1" 2>&1)"; then
    echo "admitted by the cluster: $(tail -n 1 <<<"$output")"
    return 1
  fi
  if grep -qiE 'denied the request|admission webhook' <<<"$output"; then
    echo "denied by the cluster: $(grep -m1 -iE 'denied|admission webhook' <<<"$output")"
    return 0
  fi
  echo "$(tail -n 1 <<<"$output")"
  return 2
}

# An admission test: the policy in CI, the cluster's admission controller
# otherwise. name, policy, resource
admission_test() {
  local why status
  if [ "$environment" = ci ]; then
    why="$(kyverno_blocks "$2" "$3")"
  else
    why="$(cluster_blocks "$3")"
  fi
  status=$?
  case "$status" in
    0) record "$1" true "$why" ;;
    1) record "$1" false "$why" ;;
    *) could_not_run "$1" "the cluster did not answer the dry run: $why" ;;
  esac
}

test_unsigned_image() {
  local image="${UNSIGNED_IMAGE:-docker.io/library/busybox:1.36}"
  local digest
  if ! digest="$(skopeo inspect "docker://$image" | jq -er .Digest)"; then
    could_not_run unsigned-image "could not resolve the digest of $image"
    return
  fi
  sed "s|IMAGE|${image%%:*}@$digest|" "$fixtures/unsigned-image-pod.yaml" > "$work/unsigned.yaml"
  admission_test unsigned-image "$root/policies/require-signed-images.yaml" "$work/unsigned.yaml"
}

test_non_digest_image() {
  admission_test non-digest-image "$root/policies/require-digest.yaml" "$fixtures/non-digest-pod.yaml"
}

test_provenance_replay() {
  : "${PROVENANCE_BUNDLE:?}" "${ATTESTED_ARTIFACT:?}" "${REPLAY_TARGET:?}"
  if ! gh attestation verify "$ATTESTED_ARTIFACT" --bundle "$PROVENANCE_BUNDLE" --repo "$GITHUB_REPOSITORY" >/dev/null 2>&1; then
    could_not_run provenance-replay "the genuine provenance did not verify, so the replay test proves nothing"
    return
  fi
  if gh attestation verify "$REPLAY_TARGET" --bundle "$PROVENANCE_BUNDLE" --repo "$GITHUB_REPOSITORY" >/dev/null 2>&1; then
    record provenance-replay false "the provenance of $ATTESTED_ARTIFACT was accepted for $REPLAY_TARGET"
  else
    record provenance-replay true "the provenance's subject digest does not match $REPLAY_TARGET"
  fi
}

test_policy_tampering() {
  : "${SIGNER_IDENTITY:?}"
  "$root/scripts/build-policy-bundle.sh" "$root/policies" "$work/policies.tar.gz" >/dev/null
  if ! cosign sign-blob --yes --bundle "$work/policies.sigstore.json" "$work/policies.tar.gz" >/dev/null 2>&1; then
    could_not_run policy-tampering "could not sign the policy bundle"
    return
  fi
  cp -r "$root/policies" "$work/tampered"
  sed -i 's/validationFailureAction: Enforce/validationFailureAction: Audit/' "$work/tampered/require-digest.yaml"
  "$root/scripts/build-policy-bundle.sh" "$work/tampered" "$work/tampered.tar.gz" >/dev/null
  if cosign verify-blob --bundle "$work/policies.sigstore.json" \
    --certificate-identity "$SIGNER_IDENTITY" \
    --certificate-oidc-issuer https://token.actions.githubusercontent.com \
    "$work/tampered.tar.gz" >/dev/null 2>&1; then
    record policy-tampering false "a policy bundle switched to Audit passed signature verification"
  else
    record policy-tampering true "the signature does not cover the modified bundle"
  fi
}

if [ "$environment" = ci ]; then
  tools=(kyverno cosign gh skopeo jq)
else
  tools=(kubectl skopeo jq)
fi
for tool in "${tools[@]}"; do
  if ! command -v "$tool" >/dev/null; then
    echo "❌ $tool is not installed"
    exit 2
  fi
done

echo "::notice title=negative-test environment::environment=$environment"
test_unsigned_image
test_non_digest_image
if [ "$environment" = ci ]; then
  test_provenance_replay
  test_policy_tampering
else
  echo "provenance-replay and policy-tampering are CI checks: not run against the $environment cluster"
fi

jq -n --argjson results "$results" --arg commit "${GITHUB_SHA:-}" --arg environment "$environment" \
  '{environment: $environment, commit: $commit, results: $results, blocked: ($results | map(select(.blocked == true)) | length), total: ($results | length)}' > "$out"
if [ "$environment" != ci ] && [ -n "${BACKSTAGE_URL:-}" ] && [ -n "${BACKSTAGE_INGEST_TOKEN:-}" ]; then
  server="${GITHUB_SERVER_URL:-https://github.com}"
  host="${server#*://}"
  repository="${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is required to post results}"
  [ "$host" = github.com ] || repository="$host/$repository"
  evidence=""
  if [ -n "${GITHUB_RUN_ID:-}" ]; then
    evidence="$server/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID"
  fi
  jq --arg repository "$repository" --arg commit "${GITHUB_SHA:?GITHUB_SHA is required to post results}" \
    --arg evidence "$evidence" --arg environment "$environment" \
    '{results: [.results[] | select(.blocked != null) | {repository: $repository,
      environment: $environment, testName: .name, blocked, commitSha: $commit}
      + (if $evidence != "" then {evidenceUrl: $evidence} else {} end)]}' "$out" > "$work/ingest.json"
  if [ "$(jq '.results | length' "$work/ingest.json")" -gt 0 ]; then
    if ! "$root/scripts/backstage-ingest.sh" negative-tests "$work/ingest.json"; then
      failed=1
    fi
  fi
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "## Negative tests"
    echo
    echo "Environment: $environment"
    echo
    echo "| Test | Blocked | Reason |"
    echo "|---|---|---|"
    jq -r '.results[] | "| \(.name) | \(if .blocked == true then "✅" elif .blocked == false then "❌" else "could not run" end) | \(.reason // .error) |"' "$out"
  } >> "$GITHUB_STEP_SUMMARY"
fi
exit "$failed"
