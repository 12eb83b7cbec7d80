import { Flex, Link, Text } from '@backstage/ui';
import {
  CriterionResult,
  formatCriterionValue,
  formatThreshold,
} from '@dual-lane/plugin-dual-lane-common';
import {
  criterionLook,
  formatDay,
  pullRequestUrl,
  shortDigest,
  shortSha,
  StatusChip,
} from '../shared';

const SOURCE_NOTE = {
  default: '',
  config: ' (organisation config)',
  annotation: ' (entity annotation)',
} as const;

function Culprits(props: {
  result: CriterionResult;
  repository: string;
  host: string;
}) {
  const { culprits } = props.result;
  const { repository, host } = props;
  if (culprits.total === 0) return null;
  const shown =
    (culprits.pullRequests?.length ?? 0) +
    (culprits.artifacts?.length ?? 0) +
    (culprits.negativeTests?.length ?? 0) +
    (culprits.driftIncidents?.length ?? 0);
  return (
    <Flex direction="column" gap="1" ml="2">
      {culprits.pullRequests?.map(pr => (
        <Text key={`pr-${pr.number}`} variant="body-x-small">
          <Link
            href={pullRequestUrl(repository, pr.number, host)}
            target="_blank"
            variant="body-x-small"
          >
            #{pr.number}
          </Link>{' '}
          {pr.title}
          {pr.detail ? ` — ${pr.detail}` : ''}
        </Text>
      ))}
      {culprits.artifacts?.map(a => (
        <Text key={`artifact-${a.digest}`} variant="body-x-small">
          {a.name} ({shortDigest(a.digest)}){a.outcome ? ` — ${a.outcome}` : ''}
          {a.reason ? `: ${a.reason}` : ''}
        </Text>
      ))}
      {culprits.negativeTests?.map(t => (
        <Text
          key={`test-${t.testName}-${t.environment}`}
          variant="body-x-small"
        >
          {t.testName} not blocked in {t.environment} at {shortSha(t.commitSha)}{' '}
          ({formatDay(t.observedAt)})
        </Text>
      ))}
      {culprits.driftIncidents?.map(d => (
        <Text key={`drift-${d.id}`} variant="body-x-small">
          Drift #{d.id} at {shortSha(d.commitSha)}: {d.differences} differences,{' '}
          {d.resolvedAt ? `resolved ${formatDay(d.resolvedAt)}` : 'open'}
        </Text>
      ))}
      {culprits.total > shown && (
        <Text variant="body-x-small" color="secondary">
          and {culprits.total - shown} more
        </Text>
      )}
    </Flex>
  );
}

/** One go/no-go criterion: status, value against the bar, and why. */
export function CriterionRow(props: {
  result: CriterionResult;
  repository: string;
  host: string;
}) {
  const { result } = props;
  const look = criterionLook(result.status);
  const value =
    result.value === null
      ? '—'
      : formatCriterionValue(result.unit, result.value);
  return (
    <Flex
      direction="column"
      gap="1"
      py="2"
      role="group"
      aria-label={result.title}
      style={{
        borderTop: '1px solid var(--bui-border-1)',
        overflowWrap: 'anywhere',
      }}
    >
      <Flex
        justify="between"
        align="center"
        gap="2"
        style={{ flexWrap: 'wrap' }}
      >
        <Flex gap="2" align="center">
          <StatusChip tone={look.tone} label={look.label} />
          <Text variant="body-small" weight="bold">
            {result.title}
          </Text>
        </Flex>
        <Text variant="body-small">
          {value}{' '}
          <Text as="span" variant="body-x-small" color="secondary">
            bar {formatThreshold(result, result.threshold)}
            {SOURCE_NOTE[result.thresholdSource]}
          </Text>
        </Text>
      </Flex>
      <Text variant="body-x-small" color="secondary">
        {result.explanation}
      </Text>
      <Culprits {...props} />
    </Flex>
  );
}
