#!/usr/bin/env bash
# Packs the Kyverno policies into a reproducible policies.tar.gz (sorted,
# fixed times and owners, no gzip timestamp), so the same policies always
# give the same sha256, and prints that digest.
set -euo pipefail

src="${1:-policies}"
out="${2:-policies.tar.gz}"
[ -d "$src" ] || { echo "❌ $src is not a directory"; exit 1; }

tar --sort=name --mtime='@0' --owner=0 --group=0 --numeric-owner \
  --format=gnu -C "$src" -cf - . | gzip -n -9 > "$out"
sha256sum "$out" | cut -d' ' -f1
