#!/usr/bin/env bash
# Checks a packed artifact.tar.gz the way the dual-lane backend reads it:
# the required entries and no others (rollback.sql optional), merge-base.sha
# a full commit id, sbom.cdx.json CycloneDX 1.5, and attestation.intoto an
# in-toto statement (bare, DSSE envelope or Sigstore bundle) with SLSA
# provenance that names changes.patch's sha256 as a subject and the expected
# commit as its source, so a provenance of another commit cannot be replayed.
set -euo pipefail

artifact="${1:?usage: check-artifact-bundle.sh <artifact.tar.gz> <expected-commit>}"
expected="${2:?usage: check-artifact-bundle.sh <artifact.tar.gz> <expected-commit>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tar --no-same-owner -xzf "$artifact" -C "$work"
# Re-packing checks the entries, merge-base.sha and the SBOM.
"$here/pack-artifact-bundle.sh" "$work" "$work.repacked.tar.gz" >/dev/null || exit 1
rm -f "$work.repacked.tar.gz"

statement="$(jq -r '
  if .dsseEnvelope then .dsseEnvelope.payload | @base64d
  elif .payloadType then .payload | @base64d
  else tojson end' "$work/attestation.intoto" 2>/dev/null)" || {
  echo "❌ attestation.intoto is not JSON"
  exit 1
}
patch_digest="$(sha256sum "$work/changes.patch" | cut -d' ' -f1)"
problems="$(jq -r --arg digest "$patch_digest" --arg commit "$expected" '
  [
    (if ._type == "https://in-toto.io/Statement/v1" or ._type == "https://in-toto.io/Statement/v0.1"
      then empty else "not an in-toto statement (_type \(._type // "missing"))" end),
    (if .predicateType == "https://slsa.dev/provenance/v1" or .predicateType == "https://slsa.dev/provenance/v0.2"
      then empty else "predicate \(.predicateType // "missing") is not SLSA provenance" end),
    (if ([.subject[]?.digest.sha256] | index($digest)) != null
      then empty else "changes.patch (sha256:\($digest)) is not a subject" end),
    ((.predicate.buildDefinition.resolvedDependencies[0].digest.gitCommit
      // .predicate.invocation.configSource.digest.sha1 // "none") as $source
      | if $source == $commit then empty else "built from \($source), not \($commit)" end)
  ] | .[]' <<<"$statement" 2>&1)" || problems="the statement is not JSON"
if [ -n "$problems" ]; then
  echo "❌ attestation.intoto of $artifact does not hold:"
  printf '  - %s\n' "${problems//$'\n'/$'\n'  - }"
  exit 1
fi
echo "✅ $artifact holds the dual-lane bundle; attestation.intoto names changes.patch built from $expected"
