import {
  Cell,
  CellText,
  ColumnConfig,
  Flex,
  Link,
  Table,
  Text,
} from '@backstage/ui';
import {
  GateRun,
  isIngestedGateRun,
  PullRequestGates,
} from '@dual-lane/plugin-dual-lane-common';
import {
  commitUrl,
  formatTime,
  planVerdictLook,
  shortDigest,
  shortSha,
  StatusChip,
} from '../shared';

interface TimelineEntry {
  id: string;
  at: string;
  what: string;
  detail?: string;
  sha?: string;
}

/** Lane markers, the opening, verdicts and the merge, oldest first. */
function timeline(pr: PullRequestGates): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...pr.laneEvents.map(e => ({
      id: `lane-${e.id}`,
      at: e.occurredAt,
      what: e.kind === 'codex-ready' ? '[CODEX-READY]' : '[CLAUDE-APPLIED]',
      detail: `${e.slug}${e.branch ? ` on ${e.branch}` : ''}`,
      sha: e.commitSha,
    })),
    {
      id: 'opened',
      at: pr.pullRequest.createdAt,
      what: 'Pull request opened',
      detail: `${pr.pullRequest.headRef} → ${pr.pullRequest.baseRef}`,
    },
    ...pr.verdicts.map(v => ({
      id: `verdict-${v.id}`,
      at: v.recordedAt,
      what: `PLAN ${planVerdictLook(v.verdict).label}`,
      detail: [v.author && `by ${v.author}`, `via ${v.source}`]
        .filter(Boolean)
        .join(' '),
      sha: v.commitSha,
    })),
  ];
  if (pr.pullRequest.mergedAt) {
    entries.push({
      id: 'merged',
      at: pr.pullRequest.mergedAt,
      what: 'Merged',
      detail: pr.pullRequest.mergedBy
        ? `by ${pr.pullRequest.mergedBy}`
        : undefined,
      sha: pr.pullRequest.mergeCommitSha,
    });
  } else if (pr.pullRequest.closedAt) {
    entries.push({ id: 'closed', at: pr.pullRequest.closedAt, what: 'Closed' });
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

function runOutcome(run: GateRun): string {
  if (run.status !== 'completed') return run.status.replace('_', ' ');
  return run.conclusion ?? 'completed';
}

function runColumns(
  repository: string | undefined,
  headSha: string,
): ColumnConfig<GateRun>[] {
  return [
    {
      id: 'gate',
      label: 'Gate',
      isRowHeader: true,
      defaultWidth: '2fr',
      cell: run => (
        <CellText
          title={run.gateName}
          description={
            run.checkName !== run.gateName ? run.checkName : undefined
          }
        />
      ),
    },
    {
      id: 'outcome',
      label: 'Outcome',
      cell: run => {
        const outcome = runOutcome(run);
        let tone: 'success' | 'danger' | 'info' = 'danger';
        if (run.status !== 'completed') tone = 'info';
        else if (run.conclusion === 'success') tone = 'success';
        return (
          <Cell>
            <StatusChip tone={tone} label={outcome} />
          </Cell>
        );
      },
    },
    {
      id: 'commit',
      label: 'Commit',
      cell: run => (
        <CellText
          title={`${shortSha(run.headSha)}${
            run.headSha === headSha ? ' (head)' : ''
          }`}
          href={repository ? commitUrl(repository, run.headSha) : undefined}
        />
      ),
    },
    {
      id: 'source',
      label: 'Reported by',
      cell: run => (
        <CellText
          title={
            isIngestedGateRun(run)
              ? `CI ingest${
                  run.source.startsWith('ingest:')
                    ? ` (${run.source.slice('ingest:'.length)})`
                    : ''
                }`
              : run.appSlug ?? 'GitHub'
          }
          description={
            run.policyDigest
              ? `policy ${shortDigest(run.policyDigest)}`
              : undefined
          }
        />
      ),
    },
    {
      id: 'time',
      label: 'Completed',
      cell: run => (
        <CellText
          title={formatTime(run.completedAt ?? run.startedAt ?? run.updatedAt)}
          href={run.detailsUrl}
        />
      ),
    },
  ];
}

/** Everything recorded about one pull request, for the expanded view. */
export function PullRequestDetails(props: {
  pr: PullRequestGates;
  repository?: string;
}) {
  const { pr, repository } = props;
  const runs = [...pr.gateRuns].reverse();
  return (
    <Flex direction="column" gap="4">
      <Flex direction="column" gap="1">
        <Text as="h4" variant="body-medium" weight="bold">
          Lane timeline
        </Text>
        {timeline(pr).map(entry => (
          <Flex key={entry.id} gap="2" style={{ flexWrap: 'wrap' }}>
            <Text
              variant="body-small"
              color="secondary"
              style={{ minWidth: 150 }}
            >
              {formatTime(entry.at)}
            </Text>
            <Text variant="body-small" weight="bold">
              {entry.what}
            </Text>
            {entry.detail && <Text variant="body-small">{entry.detail}</Text>}
            {entry.sha &&
              (repository ? (
                <Link
                  href={commitUrl(repository, entry.sha)}
                  target="_blank"
                  variant="body-small"
                >
                  {shortSha(entry.sha)}
                </Link>
              ) : (
                <Text variant="body-small">{shortSha(entry.sha)}</Text>
              ))}
          </Flex>
        ))}
      </Flex>

      <Flex direction="column" gap="1">
        <Text as="h4" variant="body-medium" weight="bold">
          Rework cycles
        </Text>
        {pr.reworkCycles.length === 0 ? (
          <Text variant="body-small" color="secondary">
            No builder → enforcer → PLAN round recorded yet.
          </Text>
        ) : (
          pr.reworkCycles.map(cycle => (
            <Flex key={cycle.cycle} gap="2" style={{ flexWrap: 'wrap' }}>
              <Text variant="body-small" weight="bold">
                Round {cycle.cycle}
                {cycle.cycle === 1 ? ' (original)' : ''}
              </Text>
              <Text variant="body-small">
                {formatTime(cycle.startedAt)} → {formatTime(cycle.endedAt)}
              </Text>
              {cycle.verdict && (
                <StatusChip
                  tone={planVerdictLook(cycle.verdict).tone}
                  label={planVerdictLook(cycle.verdict).label}
                />
              )}
            </Flex>
          ))
        )}
      </Flex>

      {pr.conformance && pr.conformance.findings.length > 0 && (
        <Flex direction="column" gap="1">
          <Text as="h4" variant="body-medium" weight="bold">
            Merge conformance findings
          </Text>
          {pr.conformance.findings.map(finding => (
            <Text key={finding} variant="body-small">
              • {finding}
            </Text>
          ))}
        </Flex>
      )}

      <Flex direction="column" gap="1">
        <Text as="h4" variant="body-medium" weight="bold">
          Gate runs ({runs.length}, newest first)
        </Text>
        {runs.length === 0 ? (
          <Text variant="body-small" color="secondary">
            No gate run recorded for this pull request.
          </Text>
        ) : (
          <Table
            columnConfig={runColumns(repository, pr.pullRequest.headSha)}
            data={runs}
            pagination={{ type: 'none' }}
          />
        )}
      </Flex>
    </Flex>
  );
}
