#!/usr/bin/env bash
# Verifies the SLSA provenance of an artifact with GitHub's attestation
# verification (Sigstore): signed by the expected workflow of this
# repository, predicate SLSA v1, and built from EXPECTED_COMMIT, so an
# attestation of another commit cannot be replayed. With a bundle file, that
# exact bundle (the one published beside the artifact) is verified.
set -euo pipefail

artifact="${1:?usage: verify-provenance.sh <artifact> [<bundle.sigstore.json>]}"
bundle_args=()
if [ -n "${2:-}" ]; then bundle_args=(--bundle "$2"); fi
: "${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is required}"
: "${SIGNER_WORKFLOW:?SIGNER_WORKFLOW is required}"
: "${EXPECTED_COMMIT:?EXPECTED_COMMIT is required}"

result="$(gh attestation verify "$artifact" "${bundle_args[@]}" \
  --repo "$GITHUB_REPOSITORY" \
  --signer-workflow "$SIGNER_WORKFLOW" \
  --predicate-type https://slsa.dev/provenance/v1 \
  --format json)"

commit="$(jq -r '.[0].verificationResult.statement.predicate.buildDefinition.resolvedDependencies[0].digest.gitCommit' <<<"$result")"
if [ "$commit" != "$EXPECTED_COMMIT" ]; then
  echo "❌ the provenance was built from $commit, not $EXPECTED_COMMIT"
  exit 1
fi
digest="$(sha256sum "$artifact" | cut -d' ' -f1)"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  echo "✅ SLSA provenance verified for $artifact (sha256:$digest) built from $commit" >> "$GITHUB_STEP_SUMMARY"
fi
echo "✅ SLSA provenance verified for $artifact (sha256:$digest) built from $commit"
