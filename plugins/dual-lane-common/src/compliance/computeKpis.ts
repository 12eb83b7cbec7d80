import { NEGATIVE_TESTS } from '../constants';
import { findReverted, isRevertPullRequest } from './changeFailure';
import {
  ComplianceKpis,
  CulpritList,
  KpiWindow,
  PullRequestFacts,
  RepositoryFacts,
} from './kpiTypes';

/** How many culprits a KPI keeps (the total is always kept). */
export const DEFAULT_CULPRIT_LIMIT = 25;

/** `part / whole` as a percentage rounded to two decimals; null for 0/0. */
export function kpiPercent(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Math.round((part / whole) * 10000) / 100;
}

/**
 * The `p`-quantile (0..1) of ascending values, interpolated linearly
 * between ranks (as PostgreSQL's `percentile_cont`); null when empty.
 */
export function kpiPercentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (sorted.length - 1) * p;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const value = sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
  return Math.round(value * 10) / 10;
}

function limited<T>(items: T[], limit: number): CulpritList<T> {
  return { total: items.length, items: items.slice(0, limit) };
}

function within(at: string | undefined, window: KpiWindow): boolean {
  if (!at) return false;
  const t = Date.parse(at);
  return t >= Date.parse(window.start) && t <= Date.parse(window.end);
}

const ref = (pr: PullRequestFacts) => ({ number: pr.number, title: pr.title });
const byNumber = (a: { number: number }, b: { number: number }) =>
  a.number - b.number;

/** Rework cycles of a pull request: its rounds after the first. */
export function reworkCyclesOf(pr: Pick<PullRequestFacts, 'rounds'>): number {
  return Math.max(0, pr.rounds - 1);
}

/**
 * Whether a pull request carries exactly the expected lane label: the
 * expected one, and no other lane-state label (the gates rules
 * `labelExpectation` and `checkLabels`). Undefined when it is not judged:
 * no lane state was derived for it, it was closed without merging (a
 * finished pull request needs no lane label), or it was merged without all
 * required gates passing (a conformance finding, counted by the required
 * checks KPI, not a label one).
 */
export function labelAccurate(
  pr: Pick<
    PullRequestFacts,
    'expectedLabel' | 'laneLabels' | 'state' | 'requiredChecks'
  >,
): boolean | undefined {
  if (pr.state === 'closed') return undefined;
  if (
    pr.state === 'merged' &&
    pr.requiredChecks &&
    pr.requiredChecks.passing < pr.requiredChecks.required
  ) {
    return undefined;
  }
  if (!pr.expectedLabel) return undefined;
  return (
    pr.laneLabels.includes(pr.expectedLabel) &&
    pr.laneLabels.every(l => l === pr.expectedLabel)
  );
}

function timeToPullRequest(prs: PullRequestFacts[], window: KpiWindow) {
  const minutes = prs
    .filter(pr => within(pr.createdAt, window) && pr.codexReadyAt)
    .map(
      pr => (Date.parse(pr.createdAt) - Date.parse(pr.codexReadyAt!)) / 60_000,
    )
    .filter(m => m >= 0)
    .sort((a, b) => a - b);
  return {
    samples: minutes.length,
    medianMinutes: kpiPercentile(minutes, 0.5),
    p90Minutes: kpiPercentile(minutes, 0.9),
  };
}

function requiredChecks(merged: PullRequestFacts[], limit: number) {
  const evaluated = merged.filter(pr => pr.requiredChecks);
  const passing = evaluated
    .map(pr => pr.requiredChecks!.passing)
    .sort((a, b) => a - b);
  const notAll = evaluated
    .filter(pr => pr.requiredChecks!.passing < pr.requiredChecks!.required)
    .sort(byNumber)
    .map(pr => ({ ...ref(pr), ...pr.requiredChecks! }));
  const required = evaluated.length
    ? Math.max(...evaluated.map(pr => pr.requiredChecks!.required))
    : null;
  return {
    required,
    evaluated: evaluated.length,
    allPassing: evaluated.length - notAll.length,
    percentAllPassing: kpiPercent(
      evaluated.length - notAll.length,
      evaluated.length,
    ),
    medianPassing: kpiPercentile(passing, 0.5),
    notAllPassing: limited(notAll, limit),
  };
}

function rework(active: PullRequestFacts[], limit: number) {
  const counts = active.map(reworkCyclesOf);
  const distribution: Record<string, number> = {};
  for (const c of counts) distribution[c] = (distribution[c] ?? 0) + 1;
  const total = counts.reduce((a, b) => a + b, 0);
  const reworked = active
    .filter(pr => reworkCyclesOf(pr) > 0)
    .map(pr => ({ ...ref(pr), reworkCycles: reworkCyclesOf(pr) }))
    .sort((a, b) => b.reworkCycles - a.reworkCycles || a.number - b.number);
  return {
    pullRequests: active.length,
    total,
    mean: active.length
      ? Math.round((total / active.length) * 100) / 100
      : null,
    max: active.length ? Math.max(...counts) : null,
    distribution,
    reworked: limited(reworked, limit),
  };
}

function negativeTests(facts: RepositoryFacts) {
  const distinct = (names: string[]) => [...new Set(names)].sort();
  const production = facts.negativeTests.filter(
    t => t.environment === 'production',
  );
  return {
    known: NEGATIVE_TESTS.length,
    blockedInProduction: distinct(
      production.filter(t => t.blocked).map(t => t.testName),
    ),
    blocked: distinct(
      facts.negativeTests.filter(t => t.blocked).map(t => t.testName),
    ),
    productionObservations: production.length,
    notBlocked: facts.negativeTests
      .filter(t => !t.blocked)
      .sort(
        (a, b) =>
          a.testName.localeCompare(b.testName) ||
          a.environment.localeCompare(b.environment),
      ),
  };
}

function changeFailure(
  merged: PullRequestFacts[],
  facts: RepositoryFacts,
  limit: number,
) {
  const deployments = merged.filter(pr => !isRevertPullRequest(pr));
  const reverted = findReverted(deployments, facts.reverts);
  const failures = deployments
    .filter(pr => reverted.has(pr.number))
    .sort(byNumber)
    .map(pr => ({ ...ref(pr), revertedBy: reverted.get(pr.number)! }));
  return {
    deployments: deployments.length,
    failed: failures.length,
    percent: kpiPercent(failures.length, deployments.length),
    failures: limited(failures, limit),
    withRollbackScript: facts.artifacts.withRollbackScript,
  };
}

function labelAccuracy(active: PullRequestFacts[], limit: number) {
  const checked = active.filter(pr => labelAccurate(pr) !== undefined);
  const inaccurate = checked
    .filter(pr => !labelAccurate(pr))
    .sort(byNumber)
    .map(pr => ({
      ...ref(pr),
      expected: pr.expectedLabel!,
      laneLabels: pr.laneLabels,
    }));
  return {
    checked: checked.length,
    accurate: checked.length - inaccurate.length,
    percent: kpiPercent(checked.length - inaccurate.length, checked.length),
    inaccurate: limited(inaccurate, limit),
  };
}

function drift(facts: RepositoryFacts, limit: number) {
  const d = facts.drift;
  const incidents = [...d.incidents].sort(
    (a, b) =>
      Date.parse(b.detectedAt) - Date.parse(a.detectedAt) || b.id - a.id,
  );
  return {
    checked: d.checkedAt !== undefined,
    checkedAt: d.checkedAt,
    commitSha: d.commitSha,
    agentsPresent: d.agentsPresent,
    claudePresent: d.claudePresent,
    lastError: d.lastError,
    inWindow: incidents.length,
    openNow: incidents.filter(i => !i.resolvedAt).length,
    incidents: limited(incidents, limit),
  };
}

/**
 * The KPIs of one repository over a window. Which pull requests count:
 *
 * - active: not draft, and created, merged or closed in the window, or open;
 * - merged: merged in the window (verdict coverage, required checks,
 *   change failure rate);
 * - opened: created in the window (time from `[CODEX-READY]`).
 */
export function computeComplianceKpis(
  facts: RepositoryFacts,
  window: KpiWindow,
  culpritLimit: number = DEFAULT_CULPRIT_LIMIT,
): ComplianceKpis {
  const active = facts.pullRequests;
  const merged = active.filter(
    pr => pr.state === 'merged' && within(pr.mergedAt, window),
  );
  const withVerdict = merged.filter(pr => pr.verdicts > 0);
  const a = facts.artifacts;
  return {
    window,
    pullRequests: {
      active: active.length,
      opened: active.filter(pr => within(pr.createdAt, window)).length,
      merged: merged.length,
    },
    timeToPullRequest: timeToPullRequest(active, window),
    requiredChecks: requiredChecks(merged, culpritLimit),
    verdictCoverage: {
      merged: merged.length,
      withVerdict: withVerdict.length,
      percent: kpiPercent(withVerdict.length, merged.length),
      withoutVerdict: limited(
        merged
          .filter(pr => pr.verdicts === 0)
          .sort(byNumber)
          .map(ref),
        culpritLimit,
      ),
    },
    rework: rework(active, culpritLimit),
    artifacts: {
      total: a.total,
      signed: a.signed,
      provenanceVerified: a.provenanceVerified,
      signedPercent: kpiPercent(a.signed, a.total),
      provenancePercent: kpiPercent(a.provenanceVerified, a.total),
      withRollbackScript: a.withRollbackScript,
      unsigned: {
        total: a.total - a.signed,
        items: a.unsigned.slice(0, culpritLimit),
      },
      provenanceUnverified: {
        total: a.total - a.provenanceVerified,
        items: a.provenanceUnverified.slice(0, culpritLimit),
      },
    },
    negativeTests: negativeTests(facts),
    changeFailure: changeFailure(merged, facts, culpritLimit),
    labelAccuracy: labelAccuracy(active, culpritLimit),
    drift: drift(facts, culpritLimit),
  };
}

/** Facts of a repository with nothing recorded (no pull requests, no artifacts). */
export function emptyRepositoryFacts(): RepositoryFacts {
  return {
    pullRequests: [],
    reverts: [],
    artifacts: {
      total: 0,
      signed: 0,
      provenanceVerified: 0,
      withRollbackScript: 0,
      unsigned: [],
      provenanceUnverified: [],
    },
    negativeTests: [],
    drift: { incidents: [] },
  };
}
