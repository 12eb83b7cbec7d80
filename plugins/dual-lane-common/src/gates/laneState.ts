import { LaneLabelDefinition, LANE_STATES, LaneState } from '../labels';
import { LaneEvent, PullRequestState, VerdictValue } from '../types';

/** What the lane state of a pull request is computed from. */
export interface LaneStateFacts {
  /** `<slug>` of the head branch (`feature/<slug>` or `staging/<slug>`). */
  laneSlug?: string;
  laneEvents: Array<Pick<LaneEvent, 'kind' | 'slug'>>;
  /** Whether every required gate passes on the head commit. */
  gatesPassing: boolean;
  /** PLAN's verdict on the head commit (see `currentVerdict`). */
  verdict?: VerdictValue;
}

/**
 * The lane state machine, the same as the repository template's
 * `auto-label.cjs`:
 *
 * - no lane slug on the head branch → no lane state (no lane label);
 * - PLAN requested changes or rejected the head commit → `rework-requested`;
 * - no `[CLAUDE-APPLIED:<slug>]` yet → `codex-ready` when
 *   `[CODEX-READY:<slug>]` was seen, else no lane state;
 * - not every required gate passes → `claude-enforcing`;
 * - PLAN approved the head commit → `plan-approved`, else `plan-review`.
 */
export function expectedLaneState(facts: LaneStateFacts): LaneState | undefined {
  const slug = facts.laneSlug;
  if (!slug) return undefined;
  if (facts.verdict === 'changes-requested' || facts.verdict === 'rejected') {
    return 'rework-requested';
  }
  const has = (kind: LaneEvent['kind']) =>
    facts.laneEvents.some(e => e.kind === kind && e.slug === slug);
  if (!has('claude-applied')) {
    return has('codex-ready') ? 'codex-ready' : undefined;
  }
  if (!facts.gatesPassing) return 'claude-enforcing';
  return facts.verdict === 'approved' ? 'plan-approved' : 'plan-review';
}

/** What the label rule of a pull request is computed from. */
export interface LabelFacts extends LaneStateFacts {
  /** `open` when absent. */
  pullRequestState?: PullRequestState;
}

/**
 * Whether a pull request's lane label is judged, and against which state:
 *
 * - open: the lane state machine (`expectedLaneState`) on its head commit;
 * - closed without merging: not judged. A finished, abandoned pull request
 *   needs no lane label, whatever it still carries, and does not count for
 *   label accuracy;
 * - merged: the state it was merged in. The caller passes the facts as at
 *   the merge (`gatesPassing`: every required gate passed on the head or,
 *   for a merge queue, the merge commit; `verdict`: PLAN's verdict on the
 *   head recorded up to the merge). Merged with a gate not passing is a
 *   conformance finding, counted by required-check conformance, not a label
 *   one: not judged.
 */
export type LabelExpectation =
  | { checked: true; expectedState?: LaneState }
  | { checked: false; reason: string };

export function labelExpectation(facts: LabelFacts): LabelExpectation {
  if (facts.pullRequestState === 'closed') {
    return {
      checked: false,
      reason: 'closed without merging: a finished pull request needs no lane label',
    };
  }
  if (
    facts.pullRequestState === 'merged' &&
    facts.laneSlug &&
    !facts.gatesPassing
  ) {
    return {
      checked: false,
      reason:
        'merged without every required gate passing: a conformance finding, not a label one',
    };
  }
  return { checked: true, expectedState: expectedLaneState(facts) };
}

/** Verdicts recorded at or before `at` (all of them when `at` is absent). */
export function verdictsUntil<T extends { recordedAt: string }>(
  verdicts: T[],
  at: string | undefined,
): T[] {
  if (!at) return verdicts;
  const limit = Date.parse(at);
  return verdicts.filter(v => Date.parse(v.recordedAt) <= limit);
}

export interface LabelCheck {
  expectedState?: LaneState;
  /** The label the pull request should carry; absent when none. */
  expected?: string;
  /** Every label the pull request carries. */
  actual: string[];
  /** Lane-state labels it carries that it should not. */
  unexpected: string[];
  /** The expected label is missing. */
  missing: boolean;
  /**
   * The expected lane label is present and no other lane-state label is
   * (with no expected state: no lane-state label at all).
   */
  accurate: boolean;
}

/** Label accuracy: compares the labels carried with the expected state. */
export function checkLabels(
  expectedState: LaneState | undefined,
  actual: string[],
  labels: Record<LaneState, Pick<LaneLabelDefinition, 'name'>>,
): LabelCheck {
  const laneLabels = new Set(LANE_STATES.map(s => labels[s].name));
  const expected = expectedState ? labels[expectedState].name : undefined;
  const unexpected = actual.filter(l => laneLabels.has(l) && l !== expected);
  const missing = expected !== undefined && !actual.includes(expected);
  return {
    expectedState,
    expected,
    actual,
    unexpected,
    missing,
    accurate: !missing && unexpected.length === 0,
  };
}

/** Minutes from the first `[CODEX-READY:<slug>]` to the pull request opening. */
export function codexReadyToOpenMinutes(
  pullRequest: { createdAt: string; laneSlug?: string },
  laneEvents: Array<Pick<LaneEvent, 'kind' | 'slug' | 'occurredAt'>>,
): { codexReadyAt?: string; minutes?: number } {
  const ready = laneEvents
    .filter(
      e =>
        e.kind === 'codex-ready' &&
        (!pullRequest.laneSlug || e.slug === pullRequest.laneSlug),
    )
    .map(e => e.occurredAt)
    .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  if (!ready) return {};
  return {
    codexReadyAt: ready,
    minutes:
      Math.round(
        ((Date.parse(pullRequest.createdAt) - Date.parse(ready)) / 60_000) * 10,
      ) / 10,
  };
}
