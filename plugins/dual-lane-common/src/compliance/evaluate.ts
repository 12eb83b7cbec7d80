import { ComplianceVerdict, Waiver } from '../types';
import {
  formatCriterionValue,
  formatThreshold,
  GO_NO_GO_CRITERIA,
  GoNoGoCriterion,
  GoNoGoCriterionId,
} from './criteria';
import {
  ArtifactCulprit,
  ComplianceKpis,
  DriftIncidentFacts,
  NegativeTestFacts,
  PullRequestRef,
} from './kpiTypes';
import { GoNoGoThresholds, ThresholdSource } from './thresholds';

export type CriterionStatus = 'pass' | 'fail' | 'no-data' | 'waived';

/** What made a criterion fail (or would, were it not waived). */
export interface CriterionCulprits {
  /** How many culprits there are; the lists hold the first ones. */
  total: number;
  pullRequests?: Array<PullRequestRef & { detail?: string }>;
  artifacts?: ArtifactCulprit[];
  negativeTests?: NegativeTestFacts[];
  driftIncidents?: DriftIncidentFacts[];
}

/** The waiver a criterion is exempted by. */
export interface AppliedWaiver {
  id: number;
  reason: string;
  createdBy: string;
  expiresAt: string;
}

export interface CriterionResult {
  criterion: GoNoGoCriterionId;
  title: string;
  /** `waived` when an active waiver covers a failing or no-data criterion. */
  status: CriterionStatus;
  /** The status without waivers. */
  measuredStatus: Exclude<CriterionStatus, 'waived'>;
  /** The measured value in `unit`; null without data. */
  value: number | null;
  threshold: number;
  thresholdSource: ThresholdSource;
  comparator: GoNoGoCriterion['comparator'];
  unit: GoNoGoCriterion['unit'];
  /**
   * How far the value is from passing, in `unit` (percentage points for
   * percentages): positive when failing, 0 when passing, null without data.
   */
  gap: number | null;
  /** What the value was measured over, e.g. `38 of 40 merged pull requests`. */
  basis: string;
  /** One or two sentences a person can act on. */
  explanation: string;
  culprits: CriterionCulprits;
  waiver?: AppliedWaiver;
}

export interface ComplianceEvaluation {
  verdict: ComplianceVerdict;
  /** Criteria with status `fail` (waived ones not counted). */
  failingCount: number;
  criteria: CriterionResult[];
  /** Why the verdict is what it is, one line per reason. */
  reasons: string[];
  /** When the evaluation changes by itself: the first waiver expiry in effect. */
  nextChangeAt?: string;
}

export type WaiverFacts = Pick<
  Waiver,
  'id' | 'criterion' | 'reason' | 'createdBy' | 'expiresAt'
> & { revokedAt?: string };

/** Whether a waiver counts at `now`: not revoked, and not expired. */
export function isWaiverActive(waiver: WaiverFacts, now: Date): boolean {
  return !waiver.revokedAt && Date.parse(waiver.expiresAt) > now.getTime();
}

interface Measurement {
  value: number | null;
  /** For percentages: the exact ratio, compared without rounding. */
  ratio?: { part: number; whole: number };
  basis: string;
  noDataReason?: string;
  culprits: CriterionCulprits;
  /** Sentence naming the culprits, used when failing. */
  culpritText?: string;
}

function prList(prs: Array<{ number: number }>, total: number): string {
  const shown = prs.slice(0, 10).map(p => `#${p.number}`);
  const more = total > shown.length ? ` and ${total - shown.length} more` : '';
  return `${shown.join(', ')}${more}`;
}

function artifactList(artifacts: ArtifactCulprit[], total: number) {
  const shown = artifacts
    .slice(0, 5)
    .map(a => `${a.name} (${a.digest.slice(0, 19)}…)`);
  const more = total > shown.length ? ` and ${total - shown.length} more` : '';
  return `${shown.join(', ')}${more}`;
}

type Measure = (
  kpis: ComplianceKpis,
  threshold: number,
  days: number,
) => Measurement;

const MEASURES: Record<GoNoGoCriterionId, Measure> = {
  'verdict-coverage': (k, _t, days) => {
    const v = k.verdictCoverage;
    return {
      value: v.percent,
      ratio: { part: v.withVerdict, whole: v.merged },
      basis: `${v.withVerdict} of ${v.merged} pull requests merged in the last ${days} days`,
      noDataReason: `No pull request was merged in the last ${days} days.`,
      culprits: {
        total: v.withoutVerdict.total,
        pullRequests: v.withoutVerdict.items.map(pr => ({
          ...pr,
          detail: 'merged without a PLAN verdict',
        })),
      },
      culpritText: `Merged without a PLAN verdict: ${prList(
        v.withoutVerdict.items,
        v.withoutVerdict.total,
      )}.`,
    };
  },
  'rework-cycles': (k, t, days) => {
    const r = k.rework;
    const over = r.reworked.items.filter(pr => pr.reworkCycles > t);
    const overTotal = Object.entries(r.distribution)
      .filter(([cycles]) => Number(cycles) > t)
      .reduce((sum, [, n]) => sum + n, 0);
    return {
      value: r.max,
      basis: `most of ${
        r.pullRequests
      } pull requests active in the last ${days} days (mean ${r.mean ?? 0})`,
      noDataReason: `No pull request was active in the last ${days} days.`,
      culprits: {
        total: overTotal,
        pullRequests: over.map(pr => ({
          number: pr.number,
          title: pr.title,
          detail: `${pr.reworkCycles} rework cycles`,
        })),
      },
      culpritText: `Over the limit: ${prList(
        over.map(pr => ({ number: pr.number })),
        overTotal,
      )}.`,
    };
  },
  'artifacts-signed': (k, _t, days) => {
    const a = k.artifacts;
    return {
      value: a.signedPercent,
      ratio: { part: a.signed, whole: a.total },
      basis: `${a.signed} of ${a.total} artifacts recorded in the last ${days} days`,
      noDataReason: `No artifact was recorded in the last ${days} days.`,
      culprits: { total: a.unsigned.total, artifacts: a.unsigned.items },
      culpritText: `Without a verified signature: ${artifactList(
        a.unsigned.items,
        a.unsigned.total,
      )}.`,
    };
  },
  'provenance-verified': (k, _t, days) => {
    const a = k.artifacts;
    return {
      value: a.provenancePercent,
      ratio: { part: a.provenanceVerified, whole: a.total },
      basis: `${a.provenanceVerified} of ${a.total} artifacts recorded in the last ${days} days`,
      noDataReason: `No artifact was recorded in the last ${days} days.`,
      culprits: {
        total: a.provenanceUnverified.total,
        artifacts: a.provenanceUnverified.items,
      },
      culpritText: `Without verified provenance: ${artifactList(
        a.provenanceUnverified.items,
        a.provenanceUnverified.total,
      )}.`,
    };
  },
  'negative-tests-blocked': (k, _t, days) => {
    const n = k.negativeTests;
    const escaped = n.notBlocked.filter(t => t.environment === 'production');
    return {
      value: n.productionObservations ? n.blockedInProduction.length : null,
      basis: `${n.blockedInProduction.length} of ${
        n.known
      } negative tests blocked in production in the last ${days} days${
        n.blockedInProduction.length
          ? ` (${n.blockedInProduction.join(', ')})`
          : ''
      }`,
      noDataReason: `No negative test was observed in production in the last ${days} days${
        n.blocked.length ? ` (blocked elsewhere: ${n.blocked.join(', ')})` : ''
      }.`,
      culprits: { total: escaped.length, negativeTests: escaped },
      culpritText: escaped.length
        ? `Not blocked in production: ${escaped
            .map(t => t.testName)
            .join(', ')}.`
        : undefined,
    };
  },
  'drift-incidents': (k, _t, days) => {
    const d = k.drift;
    return {
      value: d.checked ? d.inWindow : null,
      basis: `drift incidents open during the last ${days} days (${d.openNow} open now)`,
      noDataReason: d.lastError
        ? `AGENTS.md and CLAUDE.md could not be read: ${d.lastError}`
        : 'AGENTS.md and CLAUDE.md have not been compared yet.',
      culprits: { total: d.incidents.total, driftIncidents: d.incidents.items },
      culpritText: `Incidents: ${d.incidents.items
        .slice(0, 5)
        .map(
          i =>
            `#${i.id} at ${i.commitSha.slice(0, 7)} (${
              i.differences
            } differences${
              i.resolvedAt
                ? `, resolved ${i.resolvedAt.slice(0, 10)}`
                : ', open'
            })`,
        )
        .join(', ')}.`,
    };
  },
  'label-accuracy': (k, _t, days) => {
    const l = k.labelAccuracy;
    return {
      value: l.percent,
      ratio: { part: l.accurate, whole: l.checked },
      basis: `${l.accurate} of ${l.checked} pull requests active in the last ${days} days with a lane state`,
      noDataReason: `No pull request active in the last ${days} days has a lane state derived.`,
      culprits: {
        total: l.inaccurate.total,
        pullRequests: l.inaccurate.items.map(pr => ({
          number: pr.number,
          title: pr.title,
          detail: `expected '${pr.expected}', carries ${
            pr.laneLabels.length
              ? pr.laneLabels.map(x => `'${x}'`).join(', ')
              : 'no lane label'
          }`,
        })),
      },
      culpritText: `Wrong lane label: ${prList(
        l.inaccurate.items,
        l.inaccurate.total,
      )}.`,
    };
  },
};

const round2 = (n: number) => Math.round(n * 100) / 100;

function passes(
  criterion: GoNoGoCriterion,
  m: Measurement,
  threshold: number,
): boolean {
  if (m.ratio) {
    // Exact: part/whole ≥ t/100  ⇔  100·part ≥ t·whole (no rounding at the bar).
    const lhs = 100 * m.ratio.part;
    const rhs = threshold * m.ratio.whole;
    return criterion.comparator === '>=' ? lhs >= rhs : lhs <= rhs;
  }
  return criterion.comparator === '>='
    ? m.value! >= threshold
    : m.value! <= threshold;
}

function gapOf(criterion: GoNoGoCriterion, m: Measurement, threshold: number) {
  const value = m.ratio ? (100 * m.ratio.part) / m.ratio.whole : m.value!;
  const gap =
    criterion.comparator === '>=' ? threshold - value : value - threshold;
  return round2(Math.max(0, gap));
}

function shortfall(criterion: GoNoGoCriterion, gap: number): string {
  if (criterion.unit === 'percent') {
    return `${round2(gap)} percentage points short`;
  }
  return criterion.comparator === '>='
    ? `${gap} short`
    : `${gap} over the limit`;
}

function evaluateCriterion(
  criterion: GoNoGoCriterion,
  kpis: ComplianceKpis,
  threshold: number,
  source: ThresholdSource,
  waiver: AppliedWaiver | undefined,
): CriterionResult {
  const m = MEASURES[criterion.id](kpis, threshold, kpis.window.days);
  const bar = formatThreshold(criterion, threshold);
  let measuredStatus: CriterionResult['measuredStatus'];
  let gap: number | null = null;
  let explanation: string;
  if (m.value === null || (m.ratio && m.ratio.whole === 0)) {
    measuredStatus = 'no-data';
    explanation = `${m.noDataReason} The bar is ${bar}.`;
  } else {
    const shown = formatCriterionValue(criterion.unit, m.value);
    gap = gapOf(criterion, m, threshold);
    if (passes(criterion, m, threshold)) {
      measuredStatus = 'pass';
      gap = 0;
      explanation = `${shown}: ${m.basis}; the bar is ${bar}.`;
    } else {
      measuredStatus = 'fail';
      explanation = `${shown}: ${m.basis}; the bar is ${bar}, ${shortfall(
        criterion,
        gap,
      )}.${m.culpritText ? ` ${m.culpritText}` : ''}`;
    }
  }
  const waived = waiver !== undefined && measuredStatus !== 'pass';
  if (waived) {
    explanation = `Waived until ${waiver.expiresAt} by ${waiver.createdBy}: ${waiver.reason}. Measured: ${explanation}`;
  }
  return {
    criterion: criterion.id,
    title: criterion.title,
    status: waived ? 'waived' : measuredStatus,
    measuredStatus,
    value: m.value,
    threshold,
    thresholdSource: source,
    comparator: criterion.comparator,
    unit: criterion.unit,
    gap,
    basis: m.basis,
    explanation,
    culprits: measuredStatus === 'fail' ? m.culprits : { total: 0 },
    ...(waiver ? { waiver } : {}),
  };
}

/**
 * Evaluates the seed's seven criteria for one entity. The verdict:
 *
 * - `no-go` when any criterion fails (failing evidence is definite even
 *   for an entity without pull requests);
 * - otherwise `no-data` when no pull request was active in the window (an
 *   entity with no pull requests is not `go`, whatever else passes);
 * - otherwise `no-data` when any criterion has no data (nothing to measure
 *   it on, e.g. no artifacts): the pass bar needs evidence for every one;
 * - otherwise `go`.
 *
 * An active waiver (not revoked, not expired at `now`) turns a failing or
 * no-data criterion into `waived`, which counts as passing; an expired
 * waiver stops counting by itself.
 */
export function evaluateCompliance(input: {
  kpis: ComplianceKpis;
  thresholds: GoNoGoThresholds;
  thresholdSources?: Partial<Record<GoNoGoCriterionId, ThresholdSource>>;
  waivers?: WaiverFacts[];
  now: Date;
}): ComplianceEvaluation {
  const active = (input.waivers ?? []).filter(w =>
    isWaiverActive(w, input.now),
  );
  const waiverFor = (id: GoNoGoCriterionId): AppliedWaiver | undefined => {
    const w = active
      .filter(x => x.criterion === id)
      .sort((a, b) => Date.parse(b.expiresAt) - Date.parse(a.expiresAt))[0];
    return w
      ? {
          id: w.id,
          reason: w.reason,
          createdBy: w.createdBy,
          expiresAt: w.expiresAt,
        }
      : undefined;
  };
  const criteria = GO_NO_GO_CRITERIA.map(c =>
    evaluateCriterion(
      c,
      input.kpis,
      input.thresholds[c.id],
      input.thresholdSources?.[c.id] ?? 'default',
      waiverFor(c.id),
    ),
  );
  const failing = criteria.filter(c => c.status === 'fail');
  const noData = criteria.filter(c => c.status === 'no-data');
  const days = input.kpis.window.days;
  const reasons: string[] = [];
  let verdict: ComplianceVerdict;
  if (failing.length > 0) {
    verdict = 'no-go';
  } else if (input.kpis.pullRequests.active === 0) {
    verdict = 'no-data';
    reasons.push(`No pull request was active in the last ${days} days.`);
  } else if (noData.length > 0) {
    verdict = 'no-data';
  } else {
    verdict = 'go';
    reasons.push(
      `All ${criteria.length} criteria pass${
        criteria.some(c => c.status === 'waived') ? ' or are waived' : ''
      }.`,
    );
  }
  for (const c of failing) {
    reasons.push(
      `${c.title} fails: ${formatCriterionValue(
        c.unit,
        c.value!,
      )} against ${formatThreshold(c, c.threshold)}${
        c.culprits.total ? ` (${c.culprits.total} culprits)` : ''
      }.`,
    );
  }
  for (const c of noData) {
    reasons.push(`${c.title} has no data.`);
  }
  const inEffect = criteria
    .filter(c => c.waiver)
    .map(c => c.waiver!.expiresAt)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return {
    verdict,
    failingCount: failing.length,
    criteria,
    reasons,
    ...(inEffect.length ? { nextChangeAt: inEffect[0] } : {}),
  };
}
