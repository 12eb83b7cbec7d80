import { Flex, Text } from '@backstage/ui';
import {
  DEFAULT_GO_NO_GO_THRESHOLDS,
  PullRequestGates,
  SEED_KPI_TARGETS,
} from '@dual-lane/plugin-dual-lane-common';
import {
  Facts,
  formatMinutes,
  formatTime,
  planVerdictLook,
  StatusChip,
} from '../shared';

function VerdictFact(props: { pr: PullRequestGates }) {
  const { verdict, verdicts } = props.pr;
  const look = planVerdictLook(verdict?.verdict);
  let note: string;
  if (verdict) {
    note = `${verdict.author ? `by ${verdict.author} ` : ''}${formatTime(
      verdict.recordedAt,
    )}`;
  } else if (verdicts.length > 0) {
    note = `none on the head commit (${verdicts.length} earlier)`;
  } else {
    note = 'PLAN has not recorded one';
  }
  return (
    <Flex direction="column" gap="1">
      <span>
        <StatusChip tone={look.tone} label={look.label} />
      </span>
      <Text variant="body-x-small" color="secondary">
        {note}
      </Text>
    </Flex>
  );
}

function LabelFact(props: { pr: PullRequestGates }) {
  const { labels } = props.pr;
  if (labels.checked === false) {
    return (
      <Flex direction="column" gap="1">
        <span>
          <StatusChip tone="neutral" label="not checked" />
        </span>
        <Text variant="body-x-small" color="secondary">
          {labels.notCheckedReason ?? 'its labels are not judged'}; carries{' '}
          {labels.actual.length ? labels.actual.join(', ') : 'no labels'}
        </Text>
      </Flex>
    );
  }
  if (!labels.expected) {
    return (
      <Text variant="body-x-small" color="secondary">
        no lane state derived; carries{' '}
        {labels.actual.length ? labels.actual.join(', ') : 'no labels'}
      </Text>
    );
  }
  return (
    <Flex direction="column" gap="1">
      <span>
        <StatusChip
          tone={labels.accurate ? 'success' : 'danger'}
          label={labels.accurate ? 'accurate' : 'wrong label'}
        />
      </span>
      <Text variant="body-x-small">
        expected <strong>{labels.expected}</strong>, actual{' '}
        <strong>
          {labels.actual.length ? labels.actual.join(', ') : 'no labels'}
        </strong>
      </Text>
      {labels.unexpected.length > 0 && (
        <Text variant="body-x-small" color="danger">
          should not carry {labels.unexpected.join(', ')}
        </Text>
      )}
    </Flex>
  );
}

function CodexReadyFact(props: { pr: PullRequestGates }) {
  const { minutes, codexReadyAt } = props.pr.codexReadyToOpen;
  if (minutes === undefined) {
    return (
      <Text variant="body-x-small" color="secondary">
        no [CODEX-READY] marker before it opened
      </Text>
    );
  }
  const target = SEED_KPI_TARGETS.timeToPullRequestMinutes;
  return (
    <Flex direction="column" gap="1">
      <span>
        <StatusChip
          tone={minutes < target ? 'success' : 'warning'}
          label={formatMinutes(minutes)}
          description={`target under ${target} minutes`}
        />
      </span>
      <Text variant="body-x-small" color="secondary">
        ready {formatTime(codexReadyAt)}; target &lt;{target} min
      </Text>
    </Flex>
  );
}

function ReworkFact(props: { pr: PullRequestGates }) {
  const { reworkCount, reworkCycles } = props.pr;
  const bar = DEFAULT_GO_NO_GO_THRESHOLDS['rework-cycles'];
  return (
    <Flex direction="column" gap="1">
      <span>
        <StatusChip
          tone={reworkCount > bar ? 'danger' : 'neutral'}
          label={`${reworkCount} rework ${
            reworkCount === 1 ? 'cycle' : 'cycles'
          }`}
        />
      </span>
      <Text variant="body-x-small" color="secondary">
        {reworkCycles.length} builder → enforcer → PLAN{' '}
        {reworkCycles.length === 1 ? 'round' : 'rounds'}; default bar ≤{bar}
      </Text>
    </Flex>
  );
}

function ConformanceFact(props: { pr: PullRequestGates }) {
  const { conformance } = props.pr;
  if (!conformance) {
    return (
      <Text variant="body-x-small" color="secondary">
        not evaluated yet
      </Text>
    );
  }
  const problems = [
    ...conformance.missing.map(g => `${g} missing`),
    ...conformance.failing.map(g => `${g} failing`),
    ...conformance.pending.map(g => `${g} pending`),
  ];
  return (
    <Flex direction="column" gap="1">
      <Flex gap="1" style={{ flexWrap: 'wrap' }}>
        <StatusChip
          tone={conformance.conforming ? 'success' : 'danger'}
          label={conformance.conforming ? 'conforming' : 'not conforming'}
        />
        {conformance.bypassedProtection === true && (
          <StatusChip tone="danger" label="protection bypassed" />
        )}
        {conformance.bypassedProtection === null && (
          <StatusChip
            tone="warning"
            label="protection unreadable"
            description={conformance.protection.unreadableReason}
          />
        )}
      </Flex>
      {problems.length > 0 && (
        <Text variant="body-x-small" color="danger">
          {problems.join('; ')}
        </Text>
      )}
    </Flex>
  );
}

/** The facts the seed asks for on each pull request, in one row. */
export function PullRequestFacts(props: { pr: PullRequestGates }) {
  const { pr } = props;
  return (
    <Facts
      items={[
        { label: 'PLAN verdict', value: <VerdictFact pr={pr} /> },
        { label: 'Rework', value: <ReworkFact pr={pr} /> },
        { label: 'Lane label', value: <LabelFact pr={pr} /> },
        {
          label: '[CODEX-READY] → PR open',
          value: <CodexReadyFact pr={pr} />,
        },
        {
          label: 'Merge conformance',
          value: <ConformanceFact pr={pr} />,
          hidden: pr.pullRequest.state !== 'merged',
        },
      ]}
    />
  );
}
