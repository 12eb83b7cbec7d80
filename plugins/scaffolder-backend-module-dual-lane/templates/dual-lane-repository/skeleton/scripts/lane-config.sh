#!/usr/bin/env bash
# Prints one value of .github/dual-lane/lane-config.json (a jq filter), the
# file the template rendered from the Backstage dual-lane config.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jq -er "$1" "$root/.github/dual-lane/lane-config.json"
