#!/usr/bin/env bash
# Fails when AGENTS.md and CLAUDE.md disagree on gate names or thresholds.
# Both files carry the same block between the dual-lane:gates markers; it
# must be identical, and (the seed's original check) the first ≥N% threshold
# of each file must match.
set -euo pipefail

agents="${1:-AGENTS.md}"
claude="${2:-CLAUDE.md}"

gates_block() {
  sed -n '/<!-- dual-lane:gates:begin -->/,/<!-- dual-lane:gates:end -->/p' "$1"
}

first_threshold() {
  grep -oP '≥\K[0-9]+(?=%)' "$1" | head -n 1 || true
}

for file in "$agents" "$claude"; do
  if [ ! -f "$file" ]; then
    echo "❌ DRIFT DETECTED: $file does not exist"
    exit 1
  fi
  if ! gates_block "$file" | grep -q 'dual-lane:gates:end'; then
    echo "❌ DRIFT DETECTED: $file has no complete dual-lane:gates block"
    exit 1
  fi
done

agents_threshold="$(first_threshold "$agents")"
claude_threshold="$(first_threshold "$claude")"
if [ -z "$agents_threshold" ] || [ "$agents_threshold" != "$claude_threshold" ]; then
  echo "❌ DRIFT DETECTED: Gate thresholds don't match!"
  echo "$agents: ${agents_threshold:-none}%"
  echo "$claude: ${claude_threshold:-none}%"
  exit 1
fi

if ! diff -u <(gates_block "$agents") <(gates_block "$claude"); then
  echo "❌ DRIFT DETECTED: the gate names or thresholds differ (diff above)"
  exit 1
fi

echo "✅ No drift detected"
