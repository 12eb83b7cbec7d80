import { ComplianceVerdict } from '../types';
import {
  GO_NO_GO_CRITERIA,
  GO_NO_GO_CRITERION_IDS,
  GoNoGoCriterionId,
  getGoNoGoCriterion,
} from './criteria';

export interface VerdictCounts {
  go: number;
  'no-go': number;
  'no-data': number;
  total: number;
}

/** How many entities of a scope are in each status for one criterion. */
export interface CriterionTally {
  criterion: GoNoGoCriterionId;
  title: string;
  failing: number;
  noData: number;
  waived: number;
}

/** The go/no-go of a group of entities (an owner, a system, the organisation). */
export interface ScopeSummary {
  verdict: ComplianceVerdict;
  counts: VerdictCounts;
  criteria: CriterionTally[];
  /** Why, one line per reason, worst first. */
  reasons: string[];
}

export function emptyVerdictCounts(): VerdictCounts {
  return { go: 0, 'no-go': 0, 'no-data': 0, total: 0 };
}

export function emptyCriterionTallies(): CriterionTally[] {
  return GO_NO_GO_CRITERIA.map(c => ({
    criterion: c.id,
    title: c.title,
    failing: 0,
    noData: 0,
    waived: 0,
  }));
}

const entities = (n: number) => `${n} ${n === 1 ? 'entity' : 'entities'}`;

/**
 * The verdict of a scope, by the seed's "must achieve ALL": `go` only when
 * every entity in it is `go`; `no-go` when any is `no-go`; otherwise
 * `no-data` (some entity cannot show evidence yet, or the scope is empty).
 * The reasons say which criteria fail for how many entities.
 */
export function summarizeScope(
  counts: VerdictCounts,
  tallies: CriterionTally[] = emptyCriterionTallies(),
  scope = 'the scope',
): ScopeSummary {
  const byId = new Map(tallies.map(t => [t.criterion, t]));
  const criteria = GO_NO_GO_CRITERION_IDS.map(
    id =>
      byId.get(id) ?? {
        criterion: id,
        title: getGoNoGoCriterion(id).title,
        failing: 0,
        noData: 0,
        waived: 0,
      },
  );
  const reasons: string[] = [];
  let verdict: ComplianceVerdict;
  if (counts.total === 0) {
    verdict = 'no-data';
    reasons.push(`No dual-lane entity in ${scope}.`);
  } else if (counts['no-go'] > 0) {
    verdict = 'no-go';
    reasons.push(
      `${counts['no-go']} of ${entities(counts.total)} in ${scope} ${
        counts['no-go'] === 1 ? 'is' : 'are'
      } no-go.`,
    );
  } else if (counts['no-data'] > 0) {
    verdict = 'no-data';
    reasons.push(
      `${counts['no-data']} of ${entities(
        counts.total,
      )} in ${scope} cannot show evidence yet (no data); the pass bar needs every entity.`,
    );
  } else {
    verdict = 'go';
    reasons.push(`All ${entities(counts.total)} in ${scope} are go.`);
  }
  for (const t of [...criteria]
    .filter(c => c.failing > 0)
    .sort((a, b) => b.failing - a.failing)) {
    reasons.push(`${t.title} fails for ${entities(t.failing)}.`);
  }
  for (const t of [...criteria]
    .filter(c => c.noData > 0)
    .sort((a, b) => b.noData - a.noData)) {
    reasons.push(`${t.title} has no data for ${entities(t.noData)}.`);
  }
  const waived = criteria.filter(c => c.waived > 0);
  if (waived.length) {
    reasons.push(
      `Waivers in effect: ${waived
        .map(t => `${t.title} (${entities(t.waived)})`)
        .join(', ')}.`,
    );
  }
  return { verdict, counts, criteria, reasons };
}
