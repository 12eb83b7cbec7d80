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
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-negative-tests.json}"
fixtures="$root/tests/negative/fixtures"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="[]"
failed=0

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

test_unsigned_image() {
  local image="${UNSIGNED_IMAGE:-docker.io/library/busybox:1.36}"
  local digest
  if ! digest="$(skopeo inspect "docker://$image" | jq -er .Digest)"; then
    could_not_run unsigned-image "could not resolve the digest of $image"
    return
  fi
  sed "s|IMAGE|${image%%:*}@$digest|" "$fixtures/unsigned-image-pod.yaml" > "$work/unsigned.yaml"
  local why
  if why="$(kyverno_blocks "$root/policies/require-signed-images.yaml" "$work/unsigned.yaml")"; then
    record unsigned-image true "$why"
  else
    record unsigned-image false "$why"
  fi
}

test_non_digest_image() {
  local why
  if why="$(kyverno_blocks "$root/policies/require-digest.yaml" "$fixtures/non-digest-pod.yaml")"; then
    record non-digest-image true "$why"
  else
    record non-digest-image false "$why"
  fi
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

for tool in kyverno cosign gh skopeo jq; do
  if ! command -v "$tool" >/dev/null; then
    echo "❌ $tool is not installed"
    exit 2
  fi
done

test_unsigned_image
test_non_digest_image
test_provenance_replay
test_policy_tampering

jq -n --argjson results "$results" --arg commit "${GITHUB_SHA:-}" \
  '{commit: $commit, results: $results, blocked: ($results | map(select(.blocked == true)) | length), total: ($results | length)}' > "$out"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "## Negative tests"
    echo
    echo "| Test | Blocked | Reason |"
    echo "|---|---|---|"
    jq -r '.results[] | "| \(.name) | \(if .blocked == true then "✅" elif .blocked == false then "❌" else "could not run" end) | \(.reason // .error) |"' "$out"
  } >> "$GITHUB_STEP_SUMMARY"
fi
exit "$failed"
