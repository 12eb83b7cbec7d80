import {
  ComplianceKpis,
  KpiWindow,
  PullRequestFacts,
  RepositoryFacts,
} from '../kpiTypes';
import { computeComplianceKpis, emptyRepositoryFacts } from '../computeKpis';

export const WINDOW: KpiWindow = {
  days: 30,
  start: '2026-10-27T00:00:00.000Z',
  end: '2026-11-26T00:00:00.000Z',
};
export const NOW = new Date(WINDOW.end);

/** A merged pull request that satisfies every criterion. */
export function goodPr(
  number: number,
  overrides: Partial<PullRequestFacts> = {},
): PullRequestFacts {
  return {
    number,
    title: `Change ${number}`,
    state: 'merged',
    headRef: `feature/change-${number}`,
    laneSlug: `change-${number}`,
    createdAt: '2026-11-20T10:00:00.000Z',
    mergedAt: '2026-11-21T10:00:00.000Z',
    codexReadyAt: '2026-11-20T09:45:00.000Z',
    verdicts: 1,
    rounds: 1,
    expectedLabel: 'plan-approved',
    laneLabels: ['plan-approved'],
    requiredChecks: { required: 4, passing: 4 },
    ...overrides,
  };
}

/** A repository meeting the whole pass bar: `prs` merged PRs, `artifacts` verified artifacts. */
export function goodFacts(prs = 20, artifacts = 10): RepositoryFacts {
  const facts = emptyRepositoryFacts();
  facts.pullRequests = Array.from({ length: prs }, (_, i) => goodPr(i + 1));
  facts.artifacts = {
    total: artifacts,
    signed: artifacts,
    provenanceVerified: artifacts,
    withRollbackScript: 0,
    unsigned: [],
    provenanceUnverified: [],
  };
  facts.negativeTests = [
    {
      testName: 'unsigned-image',
      environment: 'production',
      blocked: true,
      commitSha: 'a'.repeat(40),
      observedAt: '2026-11-22T00:00:00.000Z',
    },
  ];
  facts.drift = {
    checkedAt: '2026-11-25T00:00:00.000Z',
    commitSha: 'b'.repeat(40),
    agentsPresent: true,
    claudePresent: true,
    incidents: [],
  };
  return facts;
}

export function kpisOf(facts: RepositoryFacts): ComplianceKpis {
  return computeComplianceKpis(facts, WINDOW);
}

/** `n` artifacts of which the first `bad` fail the given check. */
export function withArtifacts(
  facts: RepositoryFacts,
  total: number,
  unsigned: number,
  unproven: number,
): RepositoryFacts {
  const culprit = (i: number) => ({
    digest: `sha256:${String(i).padStart(64, '0')}`,
    name: `artifact-${i}.tar.gz`,
    outcome: 'failed',
  });
  facts.artifacts = {
    total,
    signed: total - unsigned,
    provenanceVerified: total - unproven,
    withRollbackScript: 0,
    unsigned: Array.from({ length: unsigned }, (_, i) => culprit(i)),
    provenanceUnverified: Array.from({ length: unproven }, (_, i) =>
      culprit(i),
    ),
  };
  return facts;
}
