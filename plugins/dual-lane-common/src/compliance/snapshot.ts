import { KpiSnapshotValues } from './api';
import { ComplianceEvaluation } from './evaluate';
import { ComplianceKpis } from './kpiTypes';

/** What is kept per entity and day for trends (no culprit lists). */
export function snapshotValues(
  kpis: ComplianceKpis,
  evaluation: ComplianceEvaluation,
): KpiSnapshotValues {
  return {
    values: Object.fromEntries(
      evaluation.criteria.map(c => [c.criterion, c.value]),
    ),
    statuses: Object.fromEntries(
      evaluation.criteria.map(c => [c.criterion, c.status]),
    ),
    pullRequests: kpis.pullRequests.active,
    mergedPullRequests: kpis.pullRequests.merged,
    timeToPullRequestMedianMinutes: kpis.timeToPullRequest.medianMinutes,
    changeFailurePercent: kpis.changeFailure.percent,
    requiredChecksAllPassingPercent: kpis.requiredChecks.percentAllPassing,
  };
}
