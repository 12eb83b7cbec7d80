#!/usr/bin/env bash
# Fails unless a file is a Sigstore protobuf bundle (media type
# application/vnd.dev.sigstore.bundle..., a message signature or one DSSE
# signature, a certificate, chain or key): the
# format the dual-lane backend verifies. cosign v2's `sign-blob --bundle`
# writes its own legacy format (base64Signature, cert, rekorBundle), which
# the backend rejects; cosign v3 writes the protobuf bundle by default.
set -euo pipefail

bundle="${1:?usage: check-sigstore-bundle.sh <bundle.sigstore.json>}"

problems="$(jq -r '
  def nonempty: type == "string" and length > 0;
  [
    (if (.mediaType // "" | test("^application/vnd\\.dev\\.sigstore\\.bundle(\\+json;version=[0-9]\\.[0-9]|\\.v[0-9]\\.[0-9]\\+json)"))
      then empty else "mediaType is \(.mediaType // "missing"), not a Sigstore bundle media type" end),
    (if .messageSignature then
       (if (.messageSignature.messageDigest.digest | nonempty) and (.messageSignature.signature | nonempty)
         then empty else "messageSignature lacks its digest or signature" end)
     elif .dsseEnvelope then
       (if (.dsseEnvelope.payload | nonempty) and ((.dsseEnvelope.signatures // []) | length == 1) and (.dsseEnvelope.signatures[0].sig | nonempty)
         then empty else "dsseEnvelope lacks its payload or its one signature" end)
     else "neither messageSignature nor dsseEnvelope" end),
    (if (.verificationMaterial.certificate.rawBytes | nonempty)
        or ((.verificationMaterial.x509CertificateChain.certificates // []) | length > 0)
        or (.verificationMaterial.publicKey.hint | nonempty)
      then empty else "verificationMaterial has no certificate, chain or public key" end),
    # proto3 JSON leaves out empty lists: no tlogEntries means none.
    (if (.verificationMaterial.tlogEntries // [] | type) == "array" then empty else "verificationMaterial.tlogEntries is not a list" end),
    (if has("base64Signature") or has("rekorBundle") then "this is cosign'\''s legacy bundle format (use cosign v3, or --new-bundle-format)" else empty end)
  ] | .[]' "$bundle" 2>&1)" || problems="not JSON: $problems"

if [ -n "$problems" ]; then
  echo "❌ $bundle is not a Sigstore bundle the dual-lane backend can verify:"
  printf '  - %s\n' "${problems//$'\n'/$'\n'  - }"
  exit 1
fi
echo "✅ $bundle is a Sigstore bundle ($(jq -r .mediaType "$bundle"))"
