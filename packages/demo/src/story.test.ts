import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The story is told by the real dual-lane backend plugin, served the demo.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import dualLanePlugin from '@dual-lane/plugin-dual-lane-backend';
import type {
  ComplianceListResponse,
  EntityComplianceResponse,
  GatesResponse,
  SupplyChainResponse,
} from '@dual-lane/plugin-dual-lane-common';
import { Server } from 'node:http';
import request from 'supertest';
import {
  catalogEntities,
  demoAppConfig,
  generateIntoTemp,
  startDemoGithub,
} from './__testUtils__/demoEnvironment';

/*
 * The demo's story, told by the real product: the generator's output is
 * served by the demo GitHub on a loopback port, and the dual-lane backend
 * plugin (with the demo's app-config) mirrors the generated catalog, syncs
 * pull requests, gate runs and release assets through its GitHub clients,
 * verifies the signatures against the generated trusted root, checks
 * AGENTS.md/CLAUDE.md drift and evaluates go/no-go. The assertions read
 * its HTTP API, as the frontend does.
 */

jest.setTimeout(240_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const GO = [
  'payments-api',
  'cart-service',
  'catalog-search',
  'shipping-quotes',
  'auth-gateway',
  'user-profile',
  'kyverno-policies',
  'events-pipeline',
];

/** Each failing component and the one criterion its story breaks. */
const FAILING: Record<string, string[]> = {
  // Unsigned artifact: neither its signature nor (so) its provenance verifies.
  'payments-ledger': ['artifacts-signed', 'provenance-verified'],
  'fraud-scoring': ['provenance-verified'],
  'checkout-web': ['negative-tests-blocked'],
  'order-history': ['drift-incidents'],
  'inventory-service': ['label-accuracy'],
  recommendations: ['rework-cycles'],
};

let demo: Awaited<ReturnType<typeof generateIntoTemp>>;
let github: Awaited<ReturnType<typeof startDemoGithub>>;

beforeAll(async () => {
  demo = await generateIntoTemp();
  const config = demoAppConfig({ apiBaseUrl: 'unused', dataDir: demo.dataDir });
  github = await startDemoGithub(
    demo.dataDir,
    (config.demoGithub as { token: string }).token,
  );
});

afterAll(async () => {
  await github?.close();
  demo?.remove();
});

describe.each(databases.eachSupportedId())(
  'the demo story on %p',
  databaseId => {
    let server: Server;
    // The mock scheduler runs a task when triggered, and waits for it.
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory(options: { skipTaskRunOnStartup: boolean }): ServiceFactory;
    };
    const get = async <T>(path: string): Promise<T> => {
      const res = await request(server)
        .get(`/api/dual-lane${path}`)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      return res.body as T;
    };
    const compliance = (name: string) =>
      get<EntityComplianceResponse>(
        `/entities/component/default/${name}/compliance`,
      );

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      ({ server } = await startTestBackend({
        features: [
          dualLanePlugin,
          scheduler.factory({ skipTaskRunOnStartup: true }),
          catalogServiceMock.factory({
            entities: catalogEntities(demo.examplesDir),
          }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: demoAppConfig({
              apiBaseUrl: github.apiBaseUrl,
              dataDir: demo.dataDir,
            }),
          }),
        ],
      }));
      // The order the schedules of app-config.yaml run them in after start.
      for (const task of [
        'dual-lane:catalog-sync',
        'dual-lane:compliance:groups',
        'dual-lane:github-gates-sync',
        'dual-lane:supply-chain-sync',
        'dual-lane:drift-check',
        'dual-lane:compliance:full',
      ]) {
        await scheduler.triggerTask(task);
      }
    });

    it('syncs every repository from the demo GitHub without errors', async () => {
      for (const name of [...GO, ...Object.keys(FAILING), 'loyalty-points']) {
        const gates = await get<GatesResponse>(
          `/entities/component/default/${name}/gates`,
        );
        expect({ name, lastError: gates.sync?.lastError }).toEqual({
          name,
          lastError: undefined,
        });
        expect(gates.sync?.lastSyncedAt).toBeDefined();
      }
      expect(github.api.stats.requests).toBeGreaterThan(100);
    });

    it('finds the organisation no-go, naming the failing criteria', async () => {
      const list = await get<ComplianceListResponse>('/compliance?limit=100');
      const verdicts = Object.fromEntries(
        list.items.map(i => [i.name, i.verdict]),
      );
      expect(verdicts).toEqual({
        ...Object.fromEntries(GO.map(n => [n, 'go'])),
        ...Object.fromEntries(Object.keys(FAILING).map(n => [n, 'no-go'])),
        'loyalty-points': 'no-data',
      });
      expect(list.items.map(i => i.name)).not.toContain(
        'legacy-billing-portal',
      );
      expect(list.summary.verdict).toBe('no-go');
      const reasons = list.summary.reasons.join('\n');
      for (const criterion of new Set(Object.values(FAILING).flat())) {
        expect(reasons).toMatch(
          new RegExp(criterion.replace(/-/g, '[- ]'), 'i'),
        );
      }
      for (const item of list.items) {
        const failing = item.criteria
          .filter(c => c.status === 'fail')
          .map(c => c.criterion);
        expect({ name: item.name, failing: failing.sort() }).toEqual({
          name: item.name,
          failing: [...(FAILING[item.name] ?? [])].sort(),
        });
      }
    });

    it('passes every criterion of the go components, with production negative tests blocked', async () => {
      for (const name of GO) {
        const c = await compliance(name);
        expect({ name, statuses: c.criteria.map(x => x.status) }).toEqual({
          name,
          statuses: Array(7).fill('pass'),
        });
        expect(c.kpis.negativeTests.blockedInProduction).toEqual([
          'non-digest-image',
          'unsigned-image',
        ]);
        expect(c.kpis.verdictCoverage.percent).toBe(100);
      }
    });

    it('payments-ledger: the SLSA gate fails on its open pull request, its release is unsigned', async () => {
      const gates = await get<GatesResponse>(
        '/entities/component/default/payments-ledger/gates?state=open',
      );
      const stuck = gates.items.filter(i =>
        i.gateStatus.failing.includes(
          'SLSA Verification / Verify SLSA Provenance',
        ),
      );
      expect(stuck).toHaveLength(1);
      expect(stuck[0].labels.expected).toBe('claude-enforcing');
      const merged = await get<GatesResponse>(
        '/entities/component/default/payments-ledger/gates?state=merged',
      );
      expect(
        merged.items.some(i => i.conformance?.bypassedProtection === true),
      ).toBe(true);

      const supply = await get<SupplyChainResponse>(
        '/entities/component/default/payments-ledger/supply-chain',
      );
      expect(supply.artifacts).toHaveLength(1);
      expect(supply.artifacts[0].verifications.signature).toMatchObject({
        outcome: 'failed',
        reason: expect.stringMatching(/unsigned|no .*bundle|not signed/i),
      });
      const c = await compliance('payments-ledger');
      const signed = c.criteria.find(x => x.criterion === 'artifacts-signed')!;
      expect(signed.explanation).toContain('Without a verified signature');
      expect(signed.culprits.artifacts?.[0].name).toMatch(/artifact\.tar\.gz$/);
    });

    it('fraud-scoring: the newest release carries validly signed provenance of an older commit', async () => {
      const supply = await get<SupplyChainResponse>(
        '/entities/component/default/fraud-scoring/supply-chain',
      );
      expect(supply.artifacts).toHaveLength(2);
      const [replayed] = supply.artifacts.filter(
        a => a.verifications.provenance?.outcome === 'failed',
      );
      expect(replayed.verifications.signature?.outcome).toBe('verified');
      expect(replayed.verifications.provenance?.reason).toMatch(
        /^replayed provenance: source commit [0-9a-f]{40} is not the expected commit/,
      );
      const valid = supply.artifacts.find(a => a !== replayed)!;
      expect(valid.status).toBe('verified');
      const c = await compliance('fraud-scoring');
      expect(
        c.criteria.find(x => x.criterion === 'provenance-verified'),
      ).toMatchObject({
        status: 'fail',
        value: 50,
      });
    });

    it('checkout-web: its policy bundle was changed after signing, and production admitted bad pods', async () => {
      const supply = await get<SupplyChainResponse>(
        '/entities/component/default/checkout-web/supply-chain',
      );
      const tampered = supply.policyVersions.filter(
        p => p.status === 'tampered',
      );
      expect(tampered).toHaveLength(1);
      expect(tampered[0].verification?.reason).toMatch(
        /tamper|not what was signed|digest/i,
      );
      expect(supply.totals.tamperedPolicyVersions).toBe(1);
      // Its policy gate last verified the organisation's newest bundle,
      // published by kyverno-policies.
      expect(supply.policyGate?.conclusion).toBe('success');
      expect(supply.policyGate?.policyVersion).toMatchObject({
        name: 'policies',
        version: 'policies-v1.4.0',
        status: 'verified',
      });
      expect(
        supply.policyVersions.find(p => p.lastUsedByPolicyGate)?.repositoryId,
      ).not.toBe(tampered[0].repositoryId);
      const c = await compliance('checkout-web');
      const negative = c.criteria.find(
        x => x.criterion === 'negative-tests-blocked',
      )!;
      expect(negative.status).toBe('fail');
      expect(negative.explanation).toContain(
        'Not blocked in production: non-digest-image, unsigned-image',
      );
    });

    it('order-history: CLAUDE.md drifted from AGENTS.md', async () => {
      const c = await compliance('order-history');
      expect(c.openDriftIncidents).toHaveLength(1);
      const differences = JSON.stringify(c.openDriftIncidents[0]);
      expect(differences).toContain('Validate Policy Bundle');
      expect(differences).toContain('≥90%');
    });

    it('inventory-service: lane labels do not match the lane state', async () => {
      const c = await compliance('inventory-service');
      const labels = c.criteria.find(x => x.criterion === 'label-accuracy')!;
      expect(labels.culprits.total).toBe(3);
      expect(labels.culprits.pullRequests?.map(p => p.detail).sort()).toEqual([
        "expected 'plan-approved', carries 'plan-approved', 'plan-review'",
        "expected 'plan-approved', carries no lane label",
        "expected 'plan-review', carries 'claude-enforcing'",
      ]);
    });

    it('recommendations: one pull request took three rework cycles', async () => {
      const c = await compliance('recommendations');
      expect(
        c.criteria.find(x => x.criterion === 'rework-cycles'),
      ).toMatchObject({
        status: 'fail',
        value: 3,
        culprits: { total: 1 },
      });
    });

    it('loyalty-points: onboarded, no data yet', async () => {
      const c = await compliance('loyalty-points');
      expect(c.verdict).toBe('no-data');
      expect(c.kpis.pullRequests.active).toBe(0);
      const drift = c.criteria.find(x => x.criterion === 'drift-incidents')!;
      expect(drift.status).toBe('pass');
    });

    it('re-syncs the unchanged demo with conditional requests only', async () => {
      const before = { ...github.api.stats };
      await scheduler.triggerTask('dual-lane:github-gates-sync');
      const requests = github.api.stats.requests - before.requests;
      const notModified = github.api.stats.notModified - before.notModified;
      // At least the pull request list of every repository, all answered 304.
      expect(requests).toBeGreaterThanOrEqual(15);
      expect(notModified).toBe(requests);
    });
  },
);
