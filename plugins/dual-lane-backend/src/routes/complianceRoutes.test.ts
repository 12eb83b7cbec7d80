import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { DualLaneStore } from '../database';
import { ComplianceQueries } from '../database/ComplianceQueries';
import { applyDatabaseMigrations } from '../database/migrations';
import { dualLanePlugin } from '../plugin';
import { readComplianceConfig } from '../services/compliance/complianceConfig';
import { ComplianceEvaluator } from '../services/compliance/ComplianceEvaluator';
import { GroupHierarchySync } from '../services/compliance/GroupHierarchySync';
import {
  seedArtifacts,
  seedGoRepository,
  seedRepository,
} from '../services/compliance/__testUtils__/seed';
import { ConfigReader } from '@backstage/config';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const component = (name: string, owner: string, system?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'github.com/project-slug': `acme/${name}` },
  },
  spec: { owner, ...(system ? { system } : {}) },
  relations: [
    { type: 'ownedBy', targetRef: owner },
    ...(system ? [{ type: 'partOf', targetRef: system }] : []),
  ],
});

const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
});

const CATALOG: Entity[] = [
  component('svc-a', 'group:default/team-a', 'system:default/payments'),
  component('svc-a1', 'group:default/team-a1', 'system:default/payments'),
  component('svc-b', 'group:default/team-b'),
  component('svc-u', 'user:default/jane'),
  group('org'),
  group('team-a', 'org'),
  group('team-a1', 'team-a'),
  group('team-b', 'org'),
];

type Decision = PolicyDecision;

describe.each(databases.eachSupportedId())('compliance routes on %p', id => {
  let knex: Knex;
  let store: DualLaneStore;
  let server: any;
  let readDecision: Decision;
  let denied: Set<string>;

  beforeAll(async () => {
    knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
    store = new DualLaneStore(knex);
    // svc-a and svc-u meet the bar, svc-a1 has an unsigned artifact (next to
    // a signed one, replacing the seeded one), svc-b has no pull requests.
    await seedGoRepository(store, 'svc-a', [
      { name: 'svc-a', owner: 'group:default/team-a', system: 'system:default/payments' },
    ]);
    const a1 = await seedGoRepository(store, 'svc-a1', [
      { name: 'svc-a1', owner: 'group:default/team-a1', system: 'system:default/payments' },
    ]);
    await seedArtifacts(store, a1, [
      { name: 'ok.tar.gz', signed: true, provenance: true },
      { name: 'unsigned.tar.gz', signed: false, provenance: true },
    ]);
    await seedRepository(store, 'svc-b', [{ name: 'svc-b', owner: 'group:default/team-b' }]);
    await seedGoRepository(store, 'svc-u', [{ name: 'svc-u', owner: 'user:default/jane' }]);

    const catalog = catalogServiceMock({ entities: CATALOG });
    await new GroupHierarchySync({
      catalog,
      auth: mockServices.auth(),
      store,
      logger: mockServices.logger.mock(),
    }).sync();
    await new ComplianceEvaluator({
      store,
      queries: new ComplianceQueries(knex),
      config: readComplianceConfig(new ConfigReader({})),
      logger: mockServices.logger.mock(),
    }).evaluateAll();

    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result: denied.has(r.permission.name) ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
        })),
      authorizeConditional: async requests => requests.map(() => readDecision) as any,
    });
    ({ server } = await startTestBackend({
      features: [
        dualLanePlugin,
        catalogServiceMock.factory({ entities: CATALOG }),
        mockServices.database.factory({ knex }),
        permissions.factory,
        mockServices.rootConfig.factory({
          data: {
            dualLane: {
              sync: {
                github: { enabled: false },
                artifacts: { enabled: false },
                drift: { enabled: false },
              },
            },
          },
        }),
      ],
    }));
  });

  beforeEach(() => {
    readDecision = { result: AuthorizeResult.ALLOW };
    denied = new Set();
  });

  const get = (path: string) =>
    request(server).get(`/api/dual-lane${path}`).set('Authorization', mockCredentials.user.header());

  describe('GET /compliance', () => {
    it('lists every entity worst first, with totals and an explained org verdict', async () => {
      const res = await get('/compliance');
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: any) => [i.entityRef, i.verdict])).toEqual([
        ['component:default/svc-a1', 'no-go'],
        ['component:default/svc-b', 'no-data'],
        ['component:default/svc-a', 'go'],
        ['component:default/svc-u', 'go'],
      ]);
      expect(res.body.totalCount).toBe(4);
      expect(res.body.totals).toEqual({ go: 2, 'no-go': 1, 'no-data': 1, total: 4 });
      expect(res.body.summary.verdict).toBe('no-go');
      expect(res.body.summary.reasons).toEqual([
        '1 of 4 entities in the organisation is no-go.',
        'Artifacts signed fails for 1 entity.',
        'PLAN verdict coverage has no data for 1 entity.',
        'Rework cycles per PR has no data for 1 entity.',
        'Artifacts signed has no data for 1 entity.',
        'Provenance verified has no data for 1 entity.',
        'Negative tests blocked in production has no data for 1 entity.',
        'Drift incidents has no data for 1 entity.',
        'Label accuracy has no data for 1 entity.',
      ]);
      expect(res.body.items[0]).toMatchObject({
        ownerRef: 'group:default/team-a1',
        systemRef: 'system:default/payments',
        failingCount: 1,
      });
      expect(res.body.items[0].criteria[2]).toEqual({
        criterion: 'artifacts-signed',
        status: 'fail',
        value: 50,
        threshold: 100,
        gap: 50,
      });
    });

    it('pages with a cursor without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await get(`/compliance?limit=1&sort=name${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.totalCount).toBe(4);
        seen.push(...res.body.items.map((i: any) => i.name));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['svc-a', 'svc-a1', 'svc-b', 'svc-u']);
      const first = await get('/compliance?limit=2&sort=verdict');
      const second = await get(`/compliance?limit=2&sort=verdict&cursor=${first.body.nextCursor}`);
      expect([...first.body.items, ...second.body.items].map((i: any) => i.name)).toEqual([
        'svc-a1',
        'svc-b',
        'svc-a',
        'svc-u',
      ]);
      expect(second.body.nextCursor).toBeUndefined();
    });

    it('filters by owner through nested groups, system, verdict, criterion and text', async () => {
      const names = async (query: string) =>
        (await get(`/compliance?${query}`)).body.items.map((i: any) => i.name).sort();
      expect(await names('owner=group:default/team-a')).toEqual(['svc-a', 'svc-a1']);
      expect(await names('owner=group:default/org')).toEqual(['svc-a', 'svc-a1', 'svc-b']);
      expect(await names('owner=user:default/jane')).toEqual(['svc-u']);
      expect(await names('system=system:default/payments')).toEqual(['svc-a', 'svc-a1']);
      expect(await names('verdict=go,no-data')).toEqual(['svc-a', 'svc-b', 'svc-u']);
      expect(await names('criterion=artifacts-signed')).toEqual(['svc-a1']);
      expect(await names('criterion=artifacts-signed&criterionStatus=no-data')).toEqual(['svc-b']);
      expect(await names('criterion=artifacts-signed&criterionStatus=pass')).toEqual(['svc-a', 'svc-u']);
      expect(await names('q=SVC-A')).toEqual(['svc-a', 'svc-a1']);
      const filtered = await get('/compliance?owner=group:default/team-a&verdict=go');
      expect(filtered.body.totalCount).toBe(1);
      // Totals ignore the verdict filter, for verdict tabs.
      expect(filtered.body.totals).toEqual({ go: 1, 'no-go': 1, 'no-data': 0, total: 2 });
      expect(filtered.body.summary.reasons[0]).toBe(
        '1 of 2 entities in the entities owned by group:default/team-a is no-go.',
      );
    });

    it('explains bad queries', async () => {
      const bad = async (query: string) => {
        const res = await get(`/compliance?${query}`);
        expect(res.status).toBe(400);
        return res.body.error.message;
      };
      expect(await bad('sort=colour')).toMatch(/^Invalid query: sort: /);
      expect(await bad('criterionStatus=fail')).toBe(
        'Invalid query: criterionStatus: criterionStatus needs criterion',
      );
      expect(await bad('owner=team-a')).toContain('must be an entity ref like group:default/team-a');
      expect(await bad('verdict=maybe')).toMatch(/^Invalid query: verdict/);
      expect(await bad('limit=0')).toMatch(/^Invalid query: limit/);
      expect(await bad('cursor=abc')).toBe("Invalid cursor 'abc'");
      const first = await get('/compliance?limit=1&sort=name');
      expect(await bad(`sort=owner&limit=1&cursor=${first.body.nextCursor}`)).toContain(
        'The cursor belongs to sort=name&order=asc',
      );
      // Well-formed cursors with values of the wrong type for their sort.
      const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      for (const [query, cursor] of [
        ['sort=evaluatedAt', ['evaluatedAt', 'desc', 'junk', 'component:default/svc-a']],
        ['sort=evaluatedAt', ['evaluatedAt', 'desc', 12, 'component:default/svc-a']],
        ['sort=verdict', ['verdict', 'desc', 'x', 'component:default/svc-a']],
        ['sort=verdict', ['verdict', 'desc', 1e300, 'component:default/svc-a']],
        ['sort=failingCount', ['failingCount', 'desc', 1.5, 'component:default/svc-a']],
        ['sort=name', ['name', 'asc', 7, 'component:default/svc-a']],
        ['sort=name', ['name', 'asc', 'svc-a', 7]],
      ] as Array<[string, unknown[]]>) {
        expect(await bad(`${query}&cursor=${b64(cursor)}`)).toBe(
          `Invalid cursor '${b64(cursor)}'`,
        );
      }
    });

    it('is refused without read permission', async () => {
      readDecision = { result: AuthorizeResult.DENY };
      const res = await get('/compliance');
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'Not allowed to read dual-lane compliance (dual-lane.entity.read)',
      );
      expect((await get('/compliance/rollups?by=owner')).status).toBe(403);
    });

    it('shows only what a conditional decision allows, with matching totals', async () => {
      readDecision = {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'dual-lane',
        resourceType: 'dual-lane-entity',
        conditions: {
          anyOf: [
            {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'dual-lane-entity',
              params: { claims: ['group:default/team-a', 'user:default/jane'] },
            },
          ],
        },
      };
      const res = await get('/compliance');
      expect(res.body.items.map((i: any) => i.name)).toEqual(['svc-a', 'svc-u']);
      expect(res.body.totals).toEqual({ go: 2, 'no-go': 0, 'no-data': 0, total: 2 });
      expect(res.body.summary).toMatchObject({ verdict: 'go', reasons: ['All 2 entities in the organisation are go.'] });
      // The nested group's entity stays hidden even under its parent owner.
      const owner = await get('/compliance?owner=group:default/team-a');
      expect(owner.body.items.map((i: any) => i.name)).toEqual(['svc-a']);
      const rollups = await get('/compliance/rollups?by=owner');
      expect(rollups.body.organisation.counts.total).toBe(2);
      expect(rollups.body.items.map((i: any) => [i.ref, i.summary.counts.total])).toEqual([
        ['group:default/org', 1],
        ['group:default/team-a', 1],
        ['user:default/jane', 1],
      ]);
    });
  });

  describe('GET /compliance/rollups', () => {
    it('rolls up by owner through nested groups, worst first', async () => {
      const res = await get('/compliance/rollups?by=owner');
      expect(res.status).toBe(200);
      const rows = res.body.items.map((i: any) => [
        i.ref,
        i.parentRef ?? null,
        i.directEntities,
        i.summary.verdict,
        i.summary.counts.total,
      ]);
      expect(rows).toEqual([
        ['group:default/org', null, 0, 'no-go', 3],
        ['group:default/team-a', 'group:default/org', 1, 'no-go', 2],
        ['group:default/team-a1', 'group:default/team-a', 1, 'no-go', 1],
        ['group:default/team-b', 'group:default/org', 1, 'no-data', 1],
        ['user:default/jane', null, 1, 'go', 1],
      ]);
      expect(res.body.items[1].summary.reasons).toEqual([
        '1 of 2 entities in group:default/team-a is no-go.',
        'Artifacts signed fails for 1 entity.',
      ]);
      expect(res.body.organisation.verdict).toBe('no-go');
      expect(res.body.totalCount).toBe(5);
      const page = await get('/compliance/rollups?by=owner&limit=2&offset=2');
      expect(page.body.items.map((i: any) => i.ref)).toEqual([
        'group:default/team-a1',
        'group:default/team-b',
      ]);
    });

    it('rolls up by system', async () => {
      const res = await get('/compliance/rollups?by=system');
      expect(res.body.items).toEqual([
        expect.objectContaining({
          ref: 'system:default/payments',
          directEntities: 2,
          summary: expect.objectContaining({ verdict: 'no-go', counts: { go: 1, 'no-go': 1, 'no-data': 0, total: 2 } }),
        }),
      ]);
      expect((await get('/compliance/rollups?by=team')).status).toBe(400);
    });
  });

  describe('entity compliance', () => {
    const base = '/entities/component/default/svc-a1/compliance';
    const send = (method: 'post' | 'delete', path: string) =>
      request(server)[method](`/api/dual-lane${path}`).set('Authorization', mockCredentials.user.header());

    it('explains each criterion with its culprits, thresholds and the KPI table', async () => {
      const res = await get(base);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/svc-a1',
        verdict: 'no-go',
        failingCount: 1,
        repository: { host: 'github.com', owner: 'acme', name: 'svc-a1' },
        reasons: ['Artifacts signed fails: 50% against ≥100% (1 culprits).'],
        waivers: [],
        waiverMaxDays: 90,
        openDriftIncidents: [],
      });
      const signed = res.body.criteria.find((c: any) => c.criterion === 'artifacts-signed');
      expect(signed.culprits.artifacts).toEqual([
        expect.objectContaining({ name: 'unsigned.tar.gz', outcome: 'failed' }),
      ]);
      expect(signed.explanation).toContain('1 of 2 artifacts recorded in the last 30 days');
      expect(res.body.indicators.map((i: any) => i.id)).toContain('change-failure-rate');
      expect(res.body.thresholds.sources['verdict-coverage']).toBe('default');
    });

    it('is refused without read permission on the entity', async () => {
      denied.add('dual-lane.entity.read');
      const res = await get(base);
      expect(res.status).toBe(403);
    });

    it('keeps a waiver trail; a waiver turns no-go into go until revoked', async () => {
      const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const created = await send('post', `${base}/waivers`).send({
        criterion: 'artifacts-signed',
        reason: 'unsigned.tar.gz was a manual test upload, deleted',
        expiresAt,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        criterion: 'artifacts-signed',
        createdBy: 'user:default/mock',
        active: true,
        expiresAt,
      });
      const waived = await get(base);
      expect(waived.body.verdict).toBe('go');
      expect(waived.body.criteria[2]).toMatchObject({ status: 'waived', measuredStatus: 'fail' });

      const revoked = await send('delete', `${base}/waivers/${created.body.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ revokedBy: 'user:default/mock', active: false });
      expect((await send('delete', `${base}/waivers/${created.body.id}`)).status).toBe(409);
      expect((await get(base)).body.verdict).toBe('no-go');
      const trail = await get(`${base}/waivers`);
      expect(trail.body.items).toHaveLength(1);
      expect(trail.body.items[0].revokedAt).toBeDefined();
    });

    it('validates waivers with clear messages', async () => {
      const post = (body: object) => send('post', `${base}/waivers`).send(body);
      const valid = {
        criterion: 'artifacts-signed',
        reason: 'a sufficiently long reason',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      };
      const tooLong = await post({ ...valid, expiresAt: new Date(Date.now() + 200 * 86_400_000).toISOString() });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toContain('expiresAt must be within 90 days');
      const past = await post({ ...valid, expiresAt: '2020-01-01T00:00:00Z' });
      expect(past.body.error.message).toBe('expiresAt must be in the future, got 2020-01-01T00:00:00Z');
      const unknown = await post({ ...valid, criterion: 'coverage' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(/^Invalid waiver: criterion: /);
      const short = await post({ ...valid, reason: 'because' });
      expect(short.body.error.message).toBe(
        'Invalid waiver: reason: say why, in at least 10 characters',
      );
      const date = await post({ ...valid, expiresAt: 'next week' });
      expect(date.body.error.message).toContain('must be an ISO-8601 date-time');
      expect((await send('delete', `${base}/waivers/abc`)).status).toBe(400);
      expect((await send('delete', `${base}/waivers/999999`)).status).toBe(404);
      denied.add('dual-lane.waiver.manage');
      expect((await post(valid)).status).toBe(403);
    });

    it('re-evaluates on demand with the evaluate permission, and keeps history', async () => {
      const res = await send('post', `${base}/evaluate`);
      expect(res.status).toBe(200);
      expect(res.body.verdict).toBe('no-go');
      denied.add('dual-lane.compliance.evaluate');
      expect((await send('post', `${base}/evaluate`)).status).toBe(403);
      const history = await get(`${base}/history?days=7`);
      expect(history.body.snapshots).toEqual([
        expect.objectContaining({ day: new Date().toISOString().slice(0, 10), verdict: 'no-go' }),
      ]);
      expect(history.body.snapshots[0].kpis.values['artifacts-signed']).toBe(50);
    });

    it('describes the criteria and thresholds', async () => {
      const res = await get('/compliance/criteria');
      expect(res.body.windowDays).toBe(30);
      expect(res.body.waiverMaxDays).toBe(90);
      expect(res.body.criteria[0]).toMatchObject({
        id: 'verdict-coverage',
        threshold: 95,
        thresholdSource: 'default',
        annotation: 'dual-lane/go-no-go.verdict-coverage',
      });
    });
  });

  describe('organisation waivers', () => {
    const day = 86_400_000;
    const waiver = (name: string, expiresInDays: number) =>
      store.compliance.createWaiver({
        entityRef: `component:default/${name}`,
        criterion: 'label-accuracy',
        reason: `labels of ${name} are fixed by hand this sprint`,
        createdBy: 'user:default/lead',
        createdAt: new Date(Date.now() - day).toISOString(),
        expiresAt: new Date(Date.now() + expiresInDays * day).toISOString(),
      });
    let ids: Record<string, number>;

    beforeAll(async () => {
      const expired = await waiver('svc-a', -0.5);
      const revoked = await waiver('svc-a1', 10);
      await store.compliance.revokeWaiver(revoked.id, 'user:default/lead');
      const b = await waiver('svc-b', 20);
      const u = await waiver('svc-u', 5);
      ids = { 'svc-a': expired.id, 'svc-a1': revoked.id, 'svc-b': b.id, 'svc-u': u.id };
    });

    const names = (res: any) => res.body.items.map((i: any) => i.entity.name);

    it('lists the active waivers of the organisation, newest first, with their entities', async () => {
      const res = await get('/compliance/waivers?active=true&criterion=label-accuracy');
      expect(res.status).toBe(200);
      expect(names(res)).toEqual(['svc-u', 'svc-b']);
      expect(res.body).toMatchObject({ totalCount: 2, waiverMaxDays: 90 });
      expect(res.body.nextCursor).toBeUndefined();
      expect(res.body.items[0]).toMatchObject({
        id: ids['svc-u'],
        entityRef: 'component:default/svc-u',
        criterion: 'label-accuracy',
        createdBy: 'user:default/lead',
        active: true,
        entity: { kind: 'Component', namespace: 'default', name: 'svc-u', ownerRef: 'user:default/jane' },
      });
    });

    it('lists expired and revoked ones too without active=true, page by page', async () => {
      const first = await get('/compliance/waivers?criterion=label-accuracy&limit=3');
      expect(names(first)).toEqual(['svc-u', 'svc-b', 'svc-a1']);
      expect(first.body.totalCount).toBe(4);
      const second = await get(
        `/compliance/waivers?criterion=label-accuracy&limit=3&cursor=${first.body.nextCursor}`,
      );
      expect(names(second)).toEqual(['svc-a']);
      expect(second.body.items[0].active).toBe(false);
      expect(second.body.nextCursor).toBeUndefined();
      const all = await get('/compliance/waivers?active=false&criterion=label-accuracy');
      expect(all.body.items.filter((i: any) => !i.active).map((i: any) => i.entity.name)).toEqual([
        'svc-a1',
        'svc-a',
      ]);
    });

    it('shows only the waivers of entities a conditional decision allows', async () => {
      readDecision = {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'dual-lane',
        resourceType: 'dual-lane-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'dual-lane-entity',
          params: { claims: ['group:default/team-a', 'user:default/jane'] },
        },
      };
      expect(names(await get('/compliance/waivers?active=true&criterion=label-accuracy'))).toEqual(['svc-u']);
      const all = await get('/compliance/waivers?criterion=label-accuracy');
      expect(names(all)).toEqual(['svc-u', 'svc-a']);
      expect(all.body.totalCount).toBe(2);
    });

    it('refuses bad queries and callers without read permission', async () => {
      const bad = await get('/compliance/waivers?active=yes');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe("Invalid query: active: must be 'true' or 'false'");
      expect((await get('/compliance/waivers?cursor=nonsense')).status).toBe(400);
      for (const waiverId of [1e300, 2 ** 40, 0, '5']) {
        const cursor = Buffer.from(JSON.stringify(['waiver', waiverId])).toString('base64url');
        const res = await get(`/compliance/waivers?cursor=${cursor}`);
        expect({ waiverId, status: res.status }).toEqual({ waiverId, status: 400 });
      }
      expect((await get('/compliance/waivers?limit=0')).status).toBe(400);
      expect((await get('/compliance/waivers?owner=x')).status).toBe(400);
      denied.add('dual-lane.entity.read');
      readDecision = { result: AuthorizeResult.DENY };
      expect((await get('/compliance/waivers')).status).toBe(403);
    });
  });
});
