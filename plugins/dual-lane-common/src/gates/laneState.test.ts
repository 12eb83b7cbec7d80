import { DEFAULT_LANE_LABELS } from '../labels';
import { checkLabels, codexReadyToOpenMinutes, expectedLaneState } from './laneState';

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
