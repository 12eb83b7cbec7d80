import { formatThreshold, getGoNoGoCriterion } from './criteria';
import { ComplianceKpis } from './kpiTypes';
import { GoNoGoThresholds } from './thresholds';

/** The seed's targets for the KPIs that are not go/no-go criteria. */
export const SEED_KPI_TARGETS = {
  /** `[CODEX-READY]` → PR open: under 30 minutes (median). */
  timeToPullRequestMinutes: 30,
  /** Change failure rate: under 5%. */
  changeFailurePercent: 5,
} as const;

export type KpiIndicatorId =
  | 'time-to-pull-request'
  | 'required-checks'
  | 'negative-tests'
  | 'rework-cycles'
  | 'provenance-coverage'
  | 'change-failure-rate'
  | 'label-accuracy'
  | 'verdict-coverage';

/** One row of the seed's "Data & KPIs" table: current, target, status. */
export interface KpiIndicator {
  id: KpiIndicatorId;
  title: string;
  current: string;
  target: string;
  status: 'pass' | 'fail' | 'no-data';
}

const pct = (v: number | null) => (v === null ? '—' : `${v}%`);

function status(hasData: boolean, ok: boolean): KpiIndicator['status'] {
  if (!hasData) return 'no-data';
  return ok ? 'pass' : 'fail';
}

/**
 * The seed's KPI table for one entity. Targets of KPIs that are also
 * go/no-go criteria follow the entity's thresholds.
 */
export function kpiIndicators(
  kpis: ComplianceKpis,
  thresholds: GoNoGoThresholds,
): KpiIndicator[] {
  const t = kpis.timeToPullRequest;
  const rc = kpis.requiredChecks;
  const n = kpis.negativeTests;
  const r = kpis.rework;
  const a = kpis.artifacts;
  const cf = kpis.changeFailure;
  const l = kpis.labelAccuracy;
  const v = kpis.verdictCoverage;
  const bar = (id: Parameters<typeof getGoNoGoCriterion>[0]) =>
    formatThreshold(getGoNoGoCriterion(id), thresholds[id]);
  return [
    {
      id: 'time-to-pull-request',
      title: 'Time: [CODEX-READY] → PR open',
      current:
        t.medianMinutes === null
          ? '—'
          : `median ${t.medianMinutes} min, p90 ${t.p90Minutes} min (${t.samples} PRs)`,
      target: `<${SEED_KPI_TARGETS.timeToPullRequestMinutes} minutes`,
      status: status(
        t.medianMinutes !== null,
        (t.medianMinutes ?? 0) < SEED_KPI_TARGETS.timeToPullRequestMinutes,
      ),
    },
    {
      id: 'required-checks',
      title: 'Required checks passing',
      current:
        rc.medianPassing === null
          ? '—'
          : `${rc.medianPassing}/${rc.required} (median); ${rc.allPassing} of ${rc.evaluated} merges with all passing`,
      target:
        rc.required === null
          ? 'all required'
          : `${rc.required}/${rc.required} required`,
      status: status(rc.evaluated > 0, rc.allPassing === rc.evaluated),
    },
    {
      id: 'negative-tests',
      title: 'Negative tests blocked',
      current: `${n.blocked.length}/${n.known} (${n.blockedInProduction.length} in production)`,
      target: `${n.known}/${n.known}`,
      status: status(
        n.blocked.length > 0 || n.notBlocked.length > 0,
        n.blocked.length === n.known && n.notBlocked.length === 0,
      ),
    },
    {
      id: 'rework-cycles',
      title: 'Rework cycles per PR',
      current: r.max === null ? '—' : `mean ${r.mean}, max ${r.max}`,
      target: bar('rework-cycles'),
      status: status(
        r.max !== null,
        (r.max ?? 0) <= thresholds['rework-cycles'],
      ),
    },
    {
      id: 'provenance-coverage',
      title: 'SLSA provenance coverage',
      current: `${pct(a.provenancePercent)} (${a.provenanceVerified}/${
        a.total
      })`,
      target: bar('provenance-verified'),
      status: status(
        a.total > 0,
        a.provenanceVerified * 100 >=
          thresholds['provenance-verified'] * a.total,
      ),
    },
    {
      id: 'change-failure-rate',
      title: 'Change failure rate',
      current: `${pct(cf.percent)} (${cf.failed}/${cf.deployments} reverted)`,
      target: `<${SEED_KPI_TARGETS.changeFailurePercent}%`,
      status: status(
        cf.deployments > 0,
        cf.failed * 100 <
          SEED_KPI_TARGETS.changeFailurePercent * cf.deployments,
      ),
    },
    {
      id: 'label-accuracy',
      title: 'Label accuracy',
      current: `${pct(l.percent)} (${l.accurate}/${l.checked})`,
      target: bar('label-accuracy'),
      status: status(
        l.checked > 0,
        l.accurate * 100 >= thresholds['label-accuracy'] * l.checked,
      ),
    },
    {
      id: 'verdict-coverage',
      title: 'PLAN verdict coverage',
      current: `${pct(v.percent)} (${v.withVerdict}/${v.merged})`,
      target: bar('verdict-coverage'),
      status: status(
        v.merged > 0,
        v.withVerdict * 100 >= thresholds['verdict-coverage'] * v.merged,
      ),
    },
  ];
}
