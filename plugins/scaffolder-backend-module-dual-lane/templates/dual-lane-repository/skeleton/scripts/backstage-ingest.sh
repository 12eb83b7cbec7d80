#!/usr/bin/env bash
# Posts to the dual-lane backend's push API, when the repository has the
# BACKSTAGE_URL and BACKSTAGE_INGEST_TOKEN secrets (a static external-access
# token granted dual-lane.ingest); prints the answer and fails on an error.
#
#   backstage-ingest.sh artifacts <curl -F arguments...>   POST /ingest/artifacts (multipart)
#   backstage-ingest.sh gate-runs <json-file>               POST /ingest/gate-runs
#   backstage-ingest.sh negative-tests <json-file>          POST /ingest/negative-tests
set -euo pipefail

: "${BACKSTAGE_URL:?BACKSTAGE_URL is required}"
: "${BACKSTAGE_INGEST_TOKEN:?BACKSTAGE_INGEST_TOKEN is required}"
route="${1:?usage: backstage-ingest.sh artifacts|gate-runs|negative-tests ...}"
shift
url="${BACKSTAGE_URL%/}/api/dual-lane/ingest/$route"
answer="$(mktemp)"
trap 'rm -f "$answer"' EXIT

case "$route" in
  artifacts) body=("$@") ;;
  gate-runs | negative-tests) body=(-H 'Content-Type: application/json' --data-binary "@${1:?json file}") ;;
  *) echo "❌ unknown ingest route $route"; exit 2 ;;
esac
status="$(curl -sS -o "$answer" -w '%{http_code}' -X POST \
  -H "Authorization: Bearer $BACKSTAGE_INGEST_TOKEN" "${body[@]}" "$url")"
if [ "$status" != 201 ]; then
  echo "❌ POST $url answered $status: $(cat "$answer")"
  exit 1
fi
cat "$answer"
echo
