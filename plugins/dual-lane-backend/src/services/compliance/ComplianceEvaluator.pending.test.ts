import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { DualLaneStore } from '../../database';
import { ComplianceQueries } from '../../database/ComplianceQueries';
import {
  createTestDatabases,
  createTestStore,
} from '../../__testUtils__/databases';
import { readComplianceConfig } from './complianceConfig';
import { ComplianceEvaluator } from './ComplianceEvaluator';
import { seedGoRepository } from './__testUtils__/seed';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/**
 * The pending marks (repositories announced as changed by gate and
 * supply-chain writes) are the only record that a repository needs a new
 * verdict when its change carries no timestamp the incremental pass
 * watches. They must outlive a pass that fails, and a mark set while a pass
 * runs must outlive that pass.
 */
describe.each(databases.eachSupportedId())(
  'ComplianceEvaluator pending marks on %p',
  id => {
    let knex: Knex;
    let store: DualLaneStore;
    let queries: ComplianceQueries;
    let now: Date;
    let a: number;
    let b: number;

    function evaluator() {
      return new ComplianceEvaluator({
        store,
        queries,
        config: readComplianceConfig(new ConfigReader({})),
        logger: mockServices.logger.mock(),
        clock: () => now,
      });
    }

    async function pendingIds() {
      return (await knex('compliance_pending').pluck('repository_id'))
        .map(Number)
        .sort();
    }

    /** Entities whose stored evaluation was written at the current clock. */
    async function evaluatedNow() {
      const rows = await knex('compliance_results').select(
        'entity_ref',
        'evaluated_at',
      );
      return rows
        .filter(r => new Date(r.evaluated_at).getTime() === now.getTime())
        .map(r => r.entity_ref)
        .sort();
    }

    beforeEach(async () => {
      ({ knex, store } = await createTestStore(databases, id));
      queries = new ComplianceQueries(knex);
      a = await seedGoRepository(store, 'a', [{ name: 'a' }]);
      b = await seedGoRepository(store, 'b', [{ name: 'b' }]);
      now = new Date(Date.now() + 60_000);
      await evaluator().evaluateAll();
    });

    afterEach(() => jest.restoreAllMocks());

    it('keeps the marks of a pass that fails before its results are stored', async () => {
      const since = new Date(now.getTime() + 1000);
      await store.compliance.markPending([a, b]);
      now = new Date(now.getTime() + 120_000);
      const write = jest
        .spyOn(store.compliance, 'writeEvaluations')
        .mockRejectedValueOnce(new Error('connection reset'));
      await expect(evaluator().evaluateChanged(since)).rejects.toThrow(
        'connection reset',
      );
      expect(write).toHaveBeenCalledTimes(1);
      expect(await pendingIds()).toEqual([a, b].sort());

      // The next pass evaluates them, and only then are the marks gone.
      now = new Date(now.getTime() + 1000);
      await evaluator().evaluateChanged(since);
      expect(await evaluatedNow()).toEqual([
        'component:default/a',
        'component:default/b',
      ]);
      expect(await pendingIds()).toEqual([]);
    });

    it('keeps the marks of a pass aborted before it reached them', async () => {
      const since = new Date(now.getTime() + 1000);
      await store.compliance.markPending([a]);
      now = new Date(now.getTime() + 120_000);
      const aborted = new AbortController();
      aborted.abort();
      const run = await evaluator().evaluateChanged(since, {
        signal: aborted.signal,
      });
      expect(run.complete).toBe(false);
      expect(await pendingIds()).toEqual([a]);
    });

    it('keeps a mark set while the pass that took the previous one runs', async () => {
      const since = new Date(now.getTime() + 1000);
      await store.compliance.markPending([a, b]);
      now = new Date(now.getTime() + 120_000);
      const load = queries.loadRepositoryFacts.bind(queries);
      jest
        .spyOn(queries, 'loadRepositoryFacts')
        .mockImplementationOnce(async (ids, options) => {
          const facts = await load(ids, options);
          // A gate run of `a` is written after its facts were read.
          await store.compliance.markPending([a]);
          return facts;
        });
      await evaluator().evaluateChanged(since);
      expect(await evaluatedNow()).toEqual([
        'component:default/a',
        'component:default/b',
      ]);
      expect(await pendingIds()).toEqual([a]);

      now = new Date(now.getTime() + 1000);
      await evaluator().evaluateChanged(since);
      expect(await evaluatedNow()).toEqual(['component:default/a']);
      expect(await pendingIds()).toEqual([]);
    });

    it('clears the mark of a repository no entity points at', async () => {
      const [orphan] = [
        ...(
          await store.repositories.upsertRepositories([
            {
              host: 'github.com',
              owner: 'acme',
              name: 'orphan',
              defaultBranch: 'main',
            },
          ])
        ).values(),
      ];
      await store.compliance.markPending([orphan]);
      now = new Date(now.getTime() + 120_000);
      await evaluator().evaluateChanged(new Date(now.getTime() - 1000));
      expect(await pendingIds()).toEqual([]);
    });
  },
);
