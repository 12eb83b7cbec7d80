#!/usr/bin/env bash
# Verifies the organisation's published, signed policy bundle
# (dualLane.scaffolder.orgPolicyBundle, rendered into lane-config.json):
# downloads `policies.tar.gz` and its `.sigstore.json` from a release of the
# policy repository (the pinned version, else the latest release), checks the
# Sigstore bundle format and the signature against the configured signer
# identity and OIDC issuer with cosign, and records which version and digest
# the gate ran against: an annotation of this check run
# (`policy-digest=sha256:<hex> version=<tag> source=<owner/repo>`), the step
# outputs `version`, `digest`, `repository`, `path`, and <out-dir>/org-policy.json.
# Without the setting it says so and succeeds (only this repository's own
# bundle is verified then).
set -euo pipefail

out="${1:?usage: verify-org-policy-bundle.sh <out-dir>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
config="$("$here/lane-config.sh" '.orgPolicyBundle // {} | tojson')"
output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >> "$GITHUB_OUTPUT"; fi; }

repo="$(jq -r '.repository // empty' <<<"$config")"
if [ -z "$repo" ]; then
  echo "::notice title=dual-lane policy bundle::no organisation policy bundle is configured (dualLane.scaffolder.orgPolicyBundle); only this repository's policies.tar.gz was verified"
  output configured=false
  exit 0
fi
asset="$(jq -r '.asset // "policies.tar.gz"' <<<"$config")"
issuer="$(jq -r '.issuer // "https://token.actions.githubusercontent.com"' <<<"$config")"
identity="$(jq -r '.identity // empty' <<<"$config")"
identity_regexp="$(jq -r '.identityRegexp // empty' <<<"$config")"
version="$(jq -r '.version // empty' <<<"$config")"
if [ -n "$identity" ]; then
  signer=(--certificate-identity "$identity")
elif [ -n "$identity_regexp" ]; then
  signer=(--certificate-identity-regexp "$identity_regexp")
else
  echo "❌ orgPolicyBundle names no signer identity"
  exit 1
fi

if [ -z "$version" ]; then
  version="$(gh release view --repo "$repo" --json tagName --jq .tagName)"
fi
mkdir -p "$out"
gh release download "$version" --repo "$repo" --dir "$out" --clobber \
  --pattern "$asset" --pattern "$asset.sigstore.json"
"$here/check-sigstore-bundle.sh" "$out/$asset.sigstore.json"
if ! cosign verify-blob --bundle "$out/$asset.sigstore.json" "${signer[@]}" \
  --certificate-oidc-issuer "$issuer" "$out/$asset"; then
  echo "::error title=dual-lane policy bundle::$repo $version $asset is not signed by ${identity:-$identity_regexp} ($issuer)"
  exit 1
fi
digest="sha256:$(sha256sum "$out/$asset" | cut -d' ' -f1)"
echo "::notice title=dual-lane policy bundle::policy-digest=$digest version=$version source=$repo"
jq -n --arg repository "$repo" --arg version "$version" --arg digest "$digest" \
  --arg asset "$asset" --arg url "${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/tag/$version" \
  '{repository: $repository, version: $version, digest: $digest, asset: $asset, url: $url}' > "$out/org-policy.json"
output configured=true
output "version=$version"
output "digest=$digest"
output "repository=$repo"
output "path=$out/$asset"
echo "✅ $repo $version ($digest) is signed by ${identity:-$identity_regexp}"
