import { ConfigReader } from '@backstage/config';
import { readComplianceConfig } from './complianceConfig';

const read = (dualLane: object) => () =>
  readComplianceConfig(new ConfigReader({ dualLane } as any));

describe('readComplianceConfig', () => {
  it('defaults to the seed and documented values', () => {
    const config = read({})();
    expect(config).toMatchObject({
      windowDays: 30,
      thresholds: {},
      annotationOverrides: 'stricter',
      historyDays: 365,
      waiverMaxDays: 90,
      culpritLimit: 25,
      lookbackMinutes: 60,
      notifications: { enabled: true, maxPerRun: 100 },
      drift: { enabled: true, agentsPath: 'AGENTS.md', claudePath: 'CLAUDE.md', concurrency: 4 },
      laneLabels: ['codex-ready', 'claude-enforcing', 'plan-review', 'rework-requested', 'plan-approved'],
    });
    expect(config.requiredGates.map(g => g.name)).toHaveLength(4);
    expect(config.schedules.incremental.frequency).toEqual({ minutes: 5 });
  });

  it('reads thresholds by criterion and refuses bad ones with the key', () => {
    expect(read({ goNoGo: { thresholds: { 'verdict-coverage': 90 } } })().thresholds).toEqual({
      'verdict-coverage': 90,
    });
    expect(read({ goNoGo: { thresholds: { coverage: 90 } } })).toThrow(
      /dualLane.goNoGo.thresholds.coverage is not a go\/no-go criterion/,
    );
    expect(read({ goNoGo: { thresholds: { 'rework-cycles': 1.5 } } })).toThrow(
      'dualLane.goNoGo.thresholds.rework-cycles: 1.5 is not a whole number of at least 0',
    );
    expect(read({ goNoGo: { windowDays: 0 } })).toThrow(
      'dualLane.goNoGo.windowDays must be a whole number from 1 to 366, got 0',
    );
    expect(read({ goNoGo: { annotationOverrides: 'any' } })().annotationOverrides).toBe('any');
    expect(read({ goNoGo: { annotationOverrides: 'sometimes' } })).toThrow(
      "dualLane.goNoGo.annotationOverrides must be one of any, stricter, off, got 'sometimes'",
    );
  });

  it('takes lane label names and gate app pins from the shared config', () => {
    const config = read({
      labels: { 'plan-review': { name: 'lane/review' } },
      gates: { requiredChecks: [{ name: 'Build / build', appId: 15368 }] },
    })();
    expect(config.laneLabels).toContain('lane/review');
    expect(config.requiredGates).toEqual([{ name: 'Build / build', appId: 15368, appSlug: undefined }]);
  });
});
