import { Flex, Link, Text } from '@backstage/ui';
import { GateResult, GateStatus } from '@dual-lane/plugin-dual-lane-common';
import { gateStateLook, StatusChip } from '../shared';

function runSummary(gate: GateResult): string | undefined {
  const run = gate.runs[0];
  if (gate.state === 'missing') {
    if (gate.ignoredRuns.length > 0) {
      const apps = gate.ignoredRuns
        .map(r => r.appSlug ?? `app ${r.appId ?? 'unknown'}`)
        .join(', ');
      return `reported only by ${apps}, which does not count`;
    }
    return 'no run on the head commit';
  }
  if (!run) return undefined;
  if (run.status !== 'completed') return run.status.replace('_', ' ');
  return run.conclusion ?? 'completed';
}

/** Each required gate on the head commit: pass, fail, pending or missing. */
export function GateChips(props: { status: GateStatus }) {
  const { status } = props;
  if (status.gates.length === 0) {
    return (
      <Text variant="body-small" color="secondary">
        No required gates configured (dualLane.gates.requiredChecks).
      </Text>
    );
  }
  return (
    <Flex direction="column" gap="1">
      {status.gates.map(gate => {
        const look = gateStateLook(gate.state);
        const summary = runSummary(gate);
        const details = gate.runs[0]?.detailsUrl;
        return (
          <Flex
            key={gate.name}
            gap="2"
            align="center"
            style={{ flexWrap: 'wrap' }}
          >
            <StatusChip
              tone={look.tone}
              label={look.label}
              description={summary}
            />
            <Text variant="body-small">{gate.name}</Text>
            {summary && (
              <Text variant="body-x-small" color="secondary">
                {summary}
              </Text>
            )}
            {details && (
              <Link href={details} target="_blank" variant="body-x-small">
                run
              </Link>
            )}
          </Flex>
        );
      })}
    </Flex>
  );
}
