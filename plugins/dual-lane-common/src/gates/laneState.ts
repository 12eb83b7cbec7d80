import { LaneLabelDefinition, LANE_STATES, LaneState } from '../labels';
import { LaneEvent, VerdictValue } from '../types';

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
