/**
 * The seed's go/no-go pass bar ("must achieve ALL"), as data. The order is
 * fixed and only ever appended to: a criterion's position is its bit in the
 * per-entity status masks the backend stores for filtering.
 */
export const GO_NO_GO_CRITERION_IDS = [
  'verdict-coverage',
  'rework-cycles',
  'artifacts-signed',
  'provenance-verified',
  'negative-tests-blocked',
  'drift-incidents',
  'label-accuracy',
] as const;

export type GoNoGoCriterionId = (typeof GO_NO_GO_CRITERION_IDS)[number];

/** `>=`: the value must reach the threshold; `<=`: it must not exceed it. */
export type CriterionComparator = '>=' | '<=';

/** `percent`: 0–100; `count`: a whole number. */
export type CriterionUnit = 'percent' | 'count';

export interface GoNoGoCriterion {
  id: GoNoGoCriterionId;
  /** Short name for tables. */
  title: string;
  /** The line of the seed's pass bar this criterion implements. */
  seedText: string;
  /** What is measured, over which population, in one sentence. */
  measures: string;
  comparator: CriterionComparator;
  /** The seed's threshold. */
  defaultThreshold: number;
  unit: CriterionUnit;
}

export const GO_NO_GO_CRITERIA: readonly GoNoGoCriterion[] = [
  {
    id: 'verdict-coverage',
    title: 'PLAN verdict coverage',
    seedText: '≥95% PRs with PLAN verdict recorded in database',
    measures:
      'Share of the pull requests merged in the window with at least one recorded PLAN verdict.',
    comparator: '>=',
    defaultThreshold: 95,
    unit: 'percent',
  },
  {
    id: 'rework-cycles',
    title: 'Rework cycles per PR',
    seedText: '≤2 rework cycles per PR (Codex → Claude → PLAN)',
    measures:
      'Most rework cycles (builder → enforcer → supervisor rounds after the first) of any pull request active in the window.',
    comparator: '<=',
    defaultThreshold: 2,
    unit: 'count',
  },
  {
    id: 'artifacts-signed',
    title: 'Artifacts signed',
    seedText: '100% artifacts signed with Sigstore (non-sandbox)',
    measures:
      'Share of the artifacts recorded in the window whose current signature verification is verified.',
    comparator: '>=',
    defaultThreshold: 100,
    unit: 'percent',
  },
  {
    id: 'provenance-verified',
    title: 'Provenance verified',
    seedText: '100% provenance verified at admission control',
    measures:
      'Share of the artifacts recorded in the window whose current provenance verification is verified (SLSA provenance coverage).',
    comparator: '>=',
    defaultThreshold: 100,
    unit: 'percent',
  },
  {
    id: 'negative-tests-blocked',
    title: 'Negative tests blocked in production',
    seedText: '≥1 blocked negative test in production (real Kubernetes)',
    measures:
      'Number of distinct negative tests (unsigned image, image without digest, provenance replay, policy tampering) observed blocked in production in the window.',
    comparator: '>=',
    defaultThreshold: 1,
    unit: 'count',
  },
  {
    id: 'drift-incidents',
    title: 'Drift incidents',
    seedText: '0 drift incidents between AGENTS.md and CLAUDE.md',
    measures:
      'Drift incidents between AGENTS.md and CLAUDE.md that were open at any time in the window.',
    comparator: '<=',
    defaultThreshold: 0,
    unit: 'count',
  },
  {
    id: 'label-accuracy',
    title: 'Label accuracy',
    seedText: '100% label accuracy (auto-labels match actual state)',
    measures:
      'Share of the pull requests active in the window, with a lane state derived, that carry exactly the expected lane label.',
    comparator: '>=',
    defaultThreshold: 100,
    unit: 'percent',
  },
];

const BY_ID = new Map(GO_NO_GO_CRITERIA.map(c => [c.id, c]));

export function isGoNoGoCriterionId(id: string): id is GoNoGoCriterionId {
  return BY_ID.has(id as GoNoGoCriterionId);
}

export function getGoNoGoCriterion(id: GoNoGoCriterionId): GoNoGoCriterion {
  return BY_ID.get(id)!;
}

/** The bit of a criterion in the backend's status masks. */
export function criterionBit(id: GoNoGoCriterionId): number {
  return 1 << GO_NO_GO_CRITERION_IDS.indexOf(id);
}

/** Formats a value in a criterion's unit, e.g. `95%`, `2`. */
export function formatCriterionValue(
  unit: CriterionUnit,
  value: number,
): string {
  const rounded = Math.round(value * 10) / 10;
  return unit === 'percent' ? `${rounded}%` : String(rounded);
}

/** `≥95%`, `≤2`: the pass bar of a criterion at a threshold. */
export function formatThreshold(
  criterion: Pick<GoNoGoCriterion, 'comparator' | 'unit'>,
  threshold: number,
): string {
  return `${criterion.comparator === '>=' ? '≥' : '≤'}${formatCriterionValue(
    criterion.unit,
    threshold,
  )}`;
}
