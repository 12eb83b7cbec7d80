import { ConfigReader } from '@backstage/config';
import { DEFAULT_LANE_LABELS } from '@dual-lane/plugin-dual-lane-common';
import { readLaneLabels } from './laneLabels';

describe('readLaneLabels', () => {
  it('returns the defaults without config', () => {
    expect(readLaneLabels(new ConfigReader({}))).toEqual(DEFAULT_LANE_LABELS);
  });

  it('merges overrides per state', () => {
    const labels = readLaneLabels(
      new ConfigReader({
        dualLane: { labels: { 'plan-review': { name: 'lane/plan', color: 'ABCDEF' } } },
      }),
    );
    expect(labels['plan-review']).toEqual({
      name: 'lane/plan',
      color: 'abcdef',
      description: DEFAULT_LANE_LABELS['plan-review'].description,
    });
    expect(labels['codex-ready']).toEqual(DEFAULT_LANE_LABELS['codex-ready']);
  });

  it('refuses unknown states, bad colours and shared names', () => {
    const read = (labels: unknown) => () =>
      readLaneLabels(new ConfigReader({ dualLane: { labels } } as any));
    expect(read({ merged: { name: 'x' } })).toThrow(
      /dualLane.labels.merged is not a lane state/,
    );
    expect(read({ 'codex-ready': { color: '#fff' } })).toThrow(
      /dualLane.labels.codex-ready.color must be six hex digits/,
    );
    expect(read({ 'codex-ready': { name: 'plan-approved' } })).toThrow(
      /both use the label 'plan-approved'/,
    );
  });
});
