import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { DualLaneStore } from '../../database';
import { ComplianceQueries } from '../../database/ComplianceQueries';
import { createTestDatabases, createTestStore } from '../../__testUtils__/databases';
import { readComplianceConfig } from './complianceConfig';
import { ComplianceEvaluator } from './ComplianceEvaluator';
import {
  EVALUATED_SINCE_KEY,
  runFull,
  runIncremental,
  scheduleCompliance,
} from './scheduleCompliance';
import { seedGoRepository } from './__testUtils__/seed';

const databases = createTestDatabases();

describe('scheduleCompliance', () => {
  it('schedules four global tasks, three without the drift check', async () => {
    const scheduler = mockServices.scheduler.mock();
    const deps = {
      scheduler,
      logger: mockServices.logger.mock(),
      store: {} as any,
      evaluator: {} as any,
      groups: {} as any,
      drift: {} as any,
    };
    await scheduleCompliance({ ...deps, config: readComplianceConfig(new ConfigReader({})) });
    expect(scheduler.scheduleTask.mock.calls.map(c => [c[0].id, c[0].scope])).toEqual([
      ['dual-lane:compliance:incremental', 'global'],
      ['dual-lane:compliance:full', 'global'],
      ['dual-lane:compliance:groups', 'global'],
      ['dual-lane:drift-check', 'global'],
    ]);
    scheduler.scheduleTask.mockClear();
    await scheduleCompliance({
      ...deps,
      config: readComplianceConfig(new ConfigReader({ dualLane: { sync: { drift: { enabled: false } } } })),
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(3);
  });
});

describe.each(databases.eachSupportedId())('compliance passes on %p', id => {
  let knex: Knex;
  let store: DualLaneStore;
  let evaluator: ComplianceEvaluator;
  const config = readComplianceConfig(
    new ConfigReader({ dualLane: { compliance: { historyDays: 10, lookbackMinutes: 0 } } }),
  );

  beforeEach(async () => {
    ({ knex, store } = await createTestStore(databases, id));
    evaluator = new ComplianceEvaluator({
      store,
      queries: new ComplianceQueries(knex),
      config,
      logger: mockServices.logger.mock(),
    });
  });

  it('a full pass evaluates everything, prunes old history and moves the cursor', async () => {
    await seedGoRepository(store, 'a', [{ name: 'a' }]);
    await store.compliance.upsertKpiSnapshots([
      { entityRef: 'component:default/a', day: '2000-01-01', verdict: 'go', kpis: {} },
    ]);
    const now = new Date();
    const { run, pruned } = await runFull({ store, evaluator, config }, undefined, now);
    expect(run.entities).toBe(1);
    expect(pruned).toBe(1);
    expect((await store.repositories.getSyncState(EVALUATED_SINCE_KEY))?.cursor).toBe(
      now.toISOString(),
    );
  });

  it('an incremental pass starts at the last cursor and only moves it when complete', async () => {
    await seedGoRepository(store, 'a', [{ name: 'a' }]);
    expect((await runIncremental({ store, evaluator, config })).entities).toBe(1);
    const cursor = (await store.repositories.getSyncState(EVALUATED_SINCE_KEY))!.cursor!;
    expect((await runIncremental({ store, evaluator, config })).entities).toBe(0);

    const aborted = new AbortController();
    aborted.abort();
    await store.compliance.markPending([
      (await store.repositories.findRepository('github.com', 'acme', 'a'))!.id,
    ]);
    const later = new Date(Date.now() + 60_000);
    const run = await runIncremental({ store, evaluator, config }, aborted.signal, later);
    expect(run.complete).toBe(false);
    expect((await store.repositories.getSyncState(EVALUATED_SINCE_KEY))!.cursor).not.toBe(
      later.toISOString(),
    );
    expect(cursor).toBeDefined();
  });
});
