import {
  GO_NO_GO_CRITERIA,
  GO_NO_GO_CRITERION_IDS,
  GoNoGoCriterionId,
  getGoNoGoCriterion,
  isGoNoGoCriterionId,
} from './criteria';

export type GoNoGoThresholds = Record<GoNoGoCriterionId, number>;

/** Where the threshold an entity is held to comes from. */
export type ThresholdSource = 'default' | 'config' | 'annotation';

/** The policy when none is configured: an annotation may only add requirements. */
export const DEFAULT_ANNOTATION_OVERRIDE_POLICY: AnnotationOverridePolicy =
  'stricter';

/** The seed's thresholds. */
export const DEFAULT_GO_NO_GO_THRESHOLDS: Readonly<GoNoGoThresholds> =
  Object.fromEntries(
    GO_NO_GO_CRITERIA.map(c => [c.id, c.defaultThreshold]),
  ) as GoNoGoThresholds;

/**
 * Per-entity override: `dual-lane/go-no-go.<criterion>: "<number>"`, e.g.
 * `dual-lane/go-no-go.verdict-coverage: "90"`.
 */
export const GO_NO_GO_ANNOTATION_PREFIX = 'dual-lane/go-no-go.';

export function goNoGoAnnotation(id: GoNoGoCriterionId): string {
  return `${GO_NO_GO_ANNOTATION_PREFIX}${id}`;
}

/**
 * Which annotation overrides are honoured: only `stricter` ones (the
 * default: a team may raise its own bar but not lower it), `any` (an
 * explicit opt-in that lets an entity lower the organisation's bar), or
 * none (`off`).
 */
export type AnnotationOverridePolicy = 'any' | 'stricter' | 'off';

export const ANNOTATION_OVERRIDE_POLICIES: readonly AnnotationOverridePolicy[] =
  ['any', 'stricter', 'off'];

/**
 * Parses a threshold for a criterion: percentages are numbers from 0 to
 * 100, counts whole numbers from 0. Returns an error message otherwise.
 */
export function parseThreshold(
  id: GoNoGoCriterionId,
  raw: unknown,
): { value: number } | { error: string } {
  const criterion = getGoNoGoCriterion(id);
  let value = NaN;
  if (typeof raw === 'number') {
    value = raw;
  } else if (typeof raw === 'string') {
    const text = raw.trim().replace(/%$/, '');
    if (/^-?\d+(\.\d+)?$/.test(text)) value = Number(text);
  }
  if (!Number.isFinite(value)) {
    return { error: `${id}: '${String(raw)}' is not a number` };
  }
  if (criterion.unit === 'percent' && (value < 0 || value > 100)) {
    return { error: `${id}: ${value} is not a percentage from 0 to 100` };
  }
  if (criterion.unit === 'count' && (value < 0 || !Number.isInteger(value))) {
    return { error: `${id}: ${value} is not a whole number of at least 0` };
  }
  return { value };
}

/** Whether `candidate` is at least as strict as `base` for a criterion. */
export function isStricter(
  id: GoNoGoCriterionId,
  candidate: number,
  base: number,
): boolean {
  return getGoNoGoCriterion(id).comparator === '>='
    ? candidate >= base
    : candidate <= base;
}

export interface ResolvedThresholds {
  thresholds: GoNoGoThresholds;
  sources: Record<GoNoGoCriterionId, ThresholdSource>;
  /** Annotations that were ignored, and why. */
  errors: string[];
}

/**
 * The thresholds one entity is held to: the seed's defaults, overridden by
 * `dualLane.goNoGo.thresholds`, overridden by the entity's
 * `dual-lane/go-no-go.<criterion>` annotations as the policy allows
 * (default `stricter`: an annotation may raise a bar, not lower it). Bad
 * annotations are ignored and reported, never fatal.
 */
export function resolveThresholds(options: {
  configured?: Partial<GoNoGoThresholds>;
  annotations?: Record<string, string>;
  policy?: AnnotationOverridePolicy;
}): ResolvedThresholds {
  const thresholds = { ...DEFAULT_GO_NO_GO_THRESHOLDS };
  const sources = Object.fromEntries(
    GO_NO_GO_CRITERION_IDS.map(id => [id, 'default']),
  ) as Record<GoNoGoCriterionId, ThresholdSource>;
  for (const id of GO_NO_GO_CRITERION_IDS) {
    const value = options.configured?.[id];
    if (value !== undefined) {
      thresholds[id] = value;
      sources[id] = 'config';
    }
  }
  const errors: string[] = [];
  const policy = options.policy ?? DEFAULT_ANNOTATION_OVERRIDE_POLICY;
  for (const [key, raw] of Object.entries(options.annotations ?? {})) {
    if (!key.startsWith(GO_NO_GO_ANNOTATION_PREFIX)) continue;
    const id = key.slice(GO_NO_GO_ANNOTATION_PREFIX.length);
    if (!isGoNoGoCriterionId(id)) {
      errors.push(
        `${key}: unknown criterion; expected one of ${GO_NO_GO_CRITERION_IDS.join(
          ', ',
        )}`,
      );
      continue;
    }
    if (policy === 'off') {
      errors.push(
        `${key}: ignored, dualLane.goNoGo.annotationOverrides is 'off'`,
      );
      continue;
    }
    const parsed = parseThreshold(id, raw);
    if ('error' in parsed) {
      errors.push(`${key}: ${parsed.error.replace(`${id}: `, '')}`);
      continue;
    }
    if (
      policy === 'stricter' &&
      !isStricter(id, parsed.value, thresholds[id])
    ) {
      errors.push(
        `${key}: ${parsed.value} is less strict than ${thresholds[id]}; only stricter overrides are allowed (dualLane.goNoGo.annotationOverrides is 'stricter')`,
      );
      continue;
    }
    thresholds[id] = parsed.value;
    sources[id] = 'annotation';
  }
  return { thresholds, sources, errors };
}
