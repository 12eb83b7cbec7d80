#!/usr/bin/env bash
# Verifies the cosign bundle of policies.tar.gz against the exact signing
# identity (no regular expression), then checks that a tampered copy of the
# bundle fails the same verification.
set -euo pipefail

bundle_file="${1:?usage: verify-policy-bundle.sh <policies.tar.gz> <sigstore bundle> <identity>}"
signature="${2:?usage: verify-policy-bundle.sh <policies.tar.gz> <sigstore bundle> <identity>}"
identity="${3:?usage: verify-policy-bundle.sh <policies.tar.gz> <sigstore bundle> <identity>}"
issuer="${OIDC_ISSUER:-https://token.actions.githubusercontent.com}"

verify() {
  cosign verify-blob --bundle "$signature" \
    --certificate-identity "$identity" \
    --certificate-oidc-issuer "$issuer" "$1"
}

verify "$bundle_file"

tampered="$(mktemp)"
trap 'rm -f "$tampered"' EXIT
cp "$bundle_file" "$tampered"
printf 'tampered' >> "$tampered"
if verify "$tampered" 2>/dev/null; then
  echo "❌ a tampered policy bundle passed verification"
  exit 1
fi
echo "✅ policies.tar.gz sha256:$(sha256sum "$bundle_file" | cut -d' ' -f1) verified; tampering is detected"
