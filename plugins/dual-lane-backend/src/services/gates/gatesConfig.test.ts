import { ConfigReader } from '@backstage/config';
import { readGatesConfig, readGithubSyncConfig } from './gatesConfig';
import { githubWebhooksAreSigned } from './githubWebhooks';

describe('readGatesConfig / readGithubSyncConfig', () => {
  it('defaults to the seed names and a 10-minute incremental sync', () => {
    const gates = readGatesConfig(new ConfigReader({}));
    expect(gates.requiredChecks).toHaveLength(4);
    expect(gates.markers).toEqual({ ready: 'CODEX-READY', applied: 'CLAUDE-APPLIED' });
    expect(gates.branchPrefixes).toEqual({ staging: 'staging/', feature: 'feature/' });
    expect(gates.verdicts).toEqual({ marker: 'PLAN-VERDICT', supervisors: [], reviewStates: true, comments: true });
    expect(gates.negativeTests).toMatchObject({ checkNames: ['Report Negative Tests'], checkPrefix: 'negative-test/' });
    expect(gates.labels['plan-review'].name).toBe('plan-review');
    expect(readGithubSyncConfig(new ConfigReader({}))).toEqual({
      enabled: true,
      schedule: { frequency: { minutes: 10 }, timeout: { hours: 2 }, initialDelay: { minutes: 1 } },
      closedLookbackMs: 30 * 86_400_000,
      concurrency: 4,
      settleWindowMs: 6 * 3_600_000,
      maxRechecksPerRepository: 50,
      branchProtection: true,
      defaultBranchNegativeTestsIntervalMs: 6 * 3_600_000,
      webhooks: { enabled: true, allowUnsigned: false },
    });
  });

  it('reads overrides and refuses bad values naming the key', () => {
    const config = (dualLane: object) => new ConfigReader({ dualLane } as any);
    expect(
      readGithubSyncConfig(config({ sync: { github: { closedLookback: 'P7D', concurrency: 8, schedule: { frequency: { minutes: 2 }, timeout: { minutes: 5 } } } } })),
    ).toMatchObject({ closedLookbackMs: 7 * 86_400_000, concurrency: 8, schedule: { frequency: { minutes: 2 } } });
    expect(() => readGithubSyncConfig(config({ sync: { github: { concurrency: 0 } } }))).toThrow(
      'dualLane.sync.github.concurrency must be an integer from 1 to 16, got 0',
    );
    expect(() => readGithubSyncConfig(config({ sync: { github: { maxRechecksPerRepository: 2.5 } } }))).toThrow(
      'dualLane.sync.github.maxRechecksPerRepository must be an integer from 0 to 1000, got 2.5',
    );
    expect(() => readGithubSyncConfig(config({ sync: { github: { settleWindow: 'soon' } } }))).toThrow(
      /dualLane.sync.github.settleWindow is not a valid duration/,
    );
    expect(() => readGatesConfig(config({ markers: { ready: 'X', applied: 'x' } }))).toThrow(/must differ/);
    expect(() => readGatesConfig(config({ verdicts: { marker: ' ' } }))).toThrow('dualLane.verdicts.marker must not be empty');
    expect(readGatesConfig(config({ verdicts: { supervisors: ['plan-bot', ' '] } })).verdicts.supervisors).toEqual(['plan-bot']);
  });

  it('knows when GitHub webhooks are signed', () => {
    expect(githubWebhooksAreSigned(new ConfigReader({}))).toBe(false);
    expect(githubWebhooksAreSigned(new ConfigReader({ events: { modules: { github: { webhookSecret: 's' } } } }))).toBe(true);
    expect(
      githubWebhooksAreSigned(
        new ConfigReader({ integrations: { github: [{ host: 'github.com', apps: [{ appId: 1, webhookSecret: 's' }] }] } }),
      ),
    ).toBe(true);
  });
});
