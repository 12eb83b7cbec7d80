import { DEFAULT_LANE_LABELS } from '../labels';
import {
  checkLabels,
  codexReadyToOpenMinutes,
  expectedLaneState,
  labelExpectation,
  verdictsUntil,
} from './laneState';

const ready = { kind: 'codex-ready' as const, slug: 's' };
const applied = { kind: 'claude-applied' as const, slug: 's' };

describe('expectedLaneState', () => {
  it('walks the state machine', () => {
    const base = { laneSlug: 's', laneEvents: [], gatesPassing: false };
    expect(expectedLaneState({ ...base, laneSlug: undefined })).toBeUndefined();
    expect(expectedLaneState(base)).toBeUndefined();
    expect(expectedLaneState({ ...base, laneEvents: [ready] })).toBe('codex-ready');
    expect(expectedLaneState({ ...base, laneEvents: [ready, applied] })).toBe('claude-enforcing');
    expect(expectedLaneState({ ...base, laneEvents: [applied], gatesPassing: true })).toBe('plan-review');
    expect(expectedLaneState({ ...base, laneEvents: [applied], gatesPassing: true, verdict: 'approved' })).toBe('plan-approved');
    expect(expectedLaneState({ ...base, laneEvents: [ready], verdict: 'changes-requested' })).toBe('rework-requested');
    expect(expectedLaneState({ ...base, laneEvents: [applied], gatesPassing: true, verdict: 'rejected' })).toBe('rework-requested');
  });

  it('ignores markers of another slug', () => {
    expect(
      expectedLaneState({ laneSlug: 's', laneEvents: [{ kind: 'claude-applied', slug: 'other' }, ready], gatesPassing: true }),
    ).toBe('codex-ready');
  });
});

describe('checkLabels', () => {
  it('is accurate only with the expected lane label and no other lane label', () => {
    expect(checkLabels('plan-review', ['plan-review', 'bug'], DEFAULT_LANE_LABELS).accurate).toBe(true);
    const stale = checkLabels('plan-review', ['claude-enforcing', 'plan-review'], DEFAULT_LANE_LABELS);
    expect(stale).toMatchObject({ accurate: false, unexpected: ['claude-enforcing'], missing: false });
    expect(checkLabels('plan-approved', [], DEFAULT_LANE_LABELS)).toMatchObject({ accurate: false, missing: true, expected: 'plan-approved' });
    expect(checkLabels(undefined, ['bug'], DEFAULT_LANE_LABELS).accurate).toBe(true);
    expect(checkLabels(undefined, ['codex-ready'], DEFAULT_LANE_LABELS).accurate).toBe(false);
  });

  it('uses configured label names', () => {
    const labels = { ...DEFAULT_LANE_LABELS, 'plan-review': { ...DEFAULT_LANE_LABELS['plan-review'], name: 'lane/plan' } };
    expect(checkLabels('plan-review', ['lane/plan'], labels).accurate).toBe(true);
  });
});

describe('codexReadyToOpenMinutes', () => {
  it('measures from the first ready marker of the slug', () => {
    expect(
      codexReadyToOpenMinutes({ createdAt: '2025-01-19T10:15:00Z', laneSlug: 's' }, [
        { kind: 'codex-ready', slug: 's', occurredAt: '2025-01-19T10:05:00Z' },
        { kind: 'codex-ready', slug: 's', occurredAt: '2025-01-19T10:00:00Z' },
        { kind: 'codex-ready', slug: 'x', occurredAt: '2025-01-19T08:00:00Z' },
      ]),
    ).toEqual({ codexReadyAt: '2025-01-19T10:00:00Z', minutes: 15 });
    expect(codexReadyToOpenMinutes({ createdAt: '2025-01-19T10:15:00Z' }, [])).toEqual({});
  });
});

describe('labelExpectation', () => {
  const lane = { laneSlug: 's', laneEvents: [ready, applied] };

  it('judges an open pull request by the lane state machine', () => {
    expect(labelExpectation({ ...lane, gatesPassing: false })).toEqual({ checked: true, expectedState: 'claude-enforcing' });
    expect(labelExpectation({ ...lane, gatesPassing: true, pullRequestState: 'open' })).toEqual({
      checked: true,
      expectedState: 'plan-review',
    });
    expect(labelExpectation({ laneEvents: [], gatesPassing: false })).toEqual({ checked: true, expectedState: undefined });
  });

  it('does not judge a pull request closed without merging, whatever its gates', () => {
    expect(labelExpectation({ ...lane, gatesPassing: false, pullRequestState: 'closed' })).toEqual({
      checked: false,
      reason: 'closed without merging: a finished pull request needs no lane label',
    });
  });

  it('judges a merged pull request by the state it was merged in, unless a gate did not pass', () => {
    expect(
      labelExpectation({ ...lane, gatesPassing: true, verdict: 'approved', pullRequestState: 'merged' }),
    ).toEqual({ checked: true, expectedState: 'plan-approved' });
    expect(labelExpectation({ ...lane, gatesPassing: true, pullRequestState: 'merged' })).toEqual({
      checked: true,
      expectedState: 'plan-review',
    });
    expect(labelExpectation({ ...lane, gatesPassing: false, verdict: 'approved', pullRequestState: 'merged' })).toEqual({
      checked: false,
      reason: 'merged without every required gate passing: a conformance finding, not a label one',
    });
    // Not a lane pull request: no lane label expected, merged or not.
    expect(labelExpectation({ laneEvents: [], gatesPassing: false, pullRequestState: 'merged' })).toEqual({
      checked: true,
      expectedState: undefined,
    });
  });
});

describe('verdictsUntil', () => {
  it('keeps the verdicts recorded up to the merge', () => {
    const verdicts = [
      { recordedAt: '2025-01-19T10:00:00Z', verdict: 'approved' },
      { recordedAt: '2025-01-19T11:00:00Z', verdict: 'changes-requested' },
    ];
    expect(verdictsUntil(verdicts, '2025-01-19T10:30:00Z')).toEqual([verdicts[0]]);
    expect(verdictsUntil(verdicts, '2025-01-19T11:00:00Z')).toEqual(verdicts);
    expect(verdictsUntil(verdicts, undefined)).toEqual(verdicts);
  });
});
