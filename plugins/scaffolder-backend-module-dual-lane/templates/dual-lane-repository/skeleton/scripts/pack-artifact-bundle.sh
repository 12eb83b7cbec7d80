#!/usr/bin/env bash
# Packs a bundle directory into a reproducible artifact.tar.gz (sorted,
# fixed times and owners, no gzip timestamp) after checking it holds what the
# dual-lane backend requires: changes.patch, merge-base.sha (a full commit
# id), attestation.intoto and sbom.cdx.json (CycloneDX 1.5 JSON); only
# rollback.sql may be added. Prints the sha256.
set -euo pipefail

dir="${1:?usage: pack-artifact-bundle.sh <bundle-dir> <artifact.tar.gz>}"
out="${2:?usage: pack-artifact-bundle.sh <bundle-dir> <artifact.tar.gz>}"

problems=()
for entry in changes.patch merge-base.sha attestation.intoto sbom.cdx.json; do
  [ -f "$dir/$entry" ] || problems+=("$entry is missing")
done
for entry in "$dir"/* "$dir"/.[!.]*; do
  [ -e "$entry" ] || continue
  case "$(basename "$entry")" in
    changes.patch | merge-base.sha | attestation.intoto | sbom.cdx.json | rollback.sql) ;;
    *) problems+=("$(basename "$entry") is not part of the artifact bundle") ;;
  esac
done
if [ -f "$dir/merge-base.sha" ] && ! grep -qxE '[0-9a-f]{40}([0-9a-f]{24})?' "$dir/merge-base.sha"; then
  problems+=("merge-base.sha does not hold one full commit id")
fi
if [ -f "$dir/sbom.cdx.json" ] &&
  ! jq -e '.bomFormat == "CycloneDX" and .specVersion == "1.5"' "$dir/sbom.cdx.json" >/dev/null 2>&1; then
  problems+=("sbom.cdx.json is not CycloneDX 1.5 JSON (specVersion $(jq -r '.specVersion // "none"' "$dir/sbom.cdx.json" 2>/dev/null || echo unreadable)); generate it with cyclonedx-json@1.5")
fi
if [ "${#problems[@]}" -gt 0 ]; then
  echo "❌ $dir is not a dual-lane artifact bundle:"
  printf '  - %s\n' "${problems[@]}"
  exit 1
fi
tar --sort=name --mtime='@0' --owner=0 --group=0 --numeric-owner \
  --format=gnu -C "$dir" -cf - . | gzip -n -9 > "$out"
sha256sum "$out" | cut -d' ' -f1
