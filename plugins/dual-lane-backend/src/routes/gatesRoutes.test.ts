import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { GatesResponse } from '@dual-lane/plugin-dual-lane-common';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { DualLaneStore } from '../database';
import { applyDatabaseMigrations } from '../database/migrations';
import { dualLanePlugin } from '../plugin';
import { FakeGithub, resetIds } from '../services/gates/__testUtils__/fakeGithub';
import { mswHandlers } from '../services/gates/__testUtils__/mswGithub';
import {
  addLanePull,
  commit,
  createTestDeps,
  registerRepository,
} from '../services/gates/__testUtils__/scenario';
import { GithubGateSync } from '../services/gates/GithubGateSync';

const databases = createTestDatabases();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'widget', namespace: 'default', annotations: { 'github.com/project-slug': 'acme/widget' } },
  spec: {},
};
const url = '/api/dual-lane/entities/component/default/widget/gates';

async function seeded(id: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(id);
  await applyDatabaseMigrations(knex);
  const store = new DualLaneStore(knex);
  resetIds();
  const fake = new FakeGithub();
  server.use(...mswHandlers(fake));
  const gh = fake.addRepo('acme', 'widget');
  gh.branches.set('main', [commit('Initial commit', -600)]);
  addLanePull(gh, { number: 2, slug: 'bridge', labels: ['claude-enforcing'], review: { state: 'APPROVED', body: '[PLAN-VERDICT:approved]' } });
  addLanePull(gh, { number: 3, slug: 'next', minutes: 100, gates: { 'Verify SLSA Provenance': { status: 'in_progress' } } });
  addLanePull(gh, { number: 4, slug: 'done', minutes: 200, labels: ['plan-approved'], merged: true });
  await registerRepository(store);
  await new GithubGateSync(createTestDeps(store)).syncAll();
  return knex;
}

describe.each(databases.eachSupportedId())('gates routes on %p', id => {
  it('returns pull requests with gates, lanes, verdicts, labels and conformance, paginated', async () => {
    const knex = await seeded(id);
    const { server: app } = await startTestBackend({
      features: [
        dualLanePlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({ data: { dualLane: { sync: { github: { enabled: false } } } } }),
      ],
    });
    const user = mockCredentials.user.header();

    const all = await request(app).get(url).set('Authorization', user);
    expect(all.status).toBe(200);
    const body = all.body as GatesResponse;
    expect(body.totalCount).toBe(3);
    expect(body.requiredChecks.map(c => c.context)).toEqual([
      'Run Gate 3 for PRD-*',
      'Check Story Release Gate',
      'Verify SLSA Provenance',
      'Validate Policy Bundle',
    ]);
    expect(body.sync).toMatchObject({ host: 'github.com', scheduled: false, lastSyncedAt: expect.any(String) });
    const byNumber = new Map(body.items.map(i => [i.pullRequest.number, i]));
    expect(byNumber.get(2)).toMatchObject({
      gateStatus: { summary: '4/4', allPassing: true },
      verdict: { verdict: 'approved', author: 'plan-bot' },
      reworkCount: 0,
      labels: { expected: 'plan-approved', expectedState: 'plan-approved', actual: ['claude-enforcing'], unexpected: ['claude-enforcing'], accurate: false },
      codexReadyToOpen: { minutes: 15 },
    });
    expect(byNumber.get(2)!.laneEvents.map(e => e.kind)).toEqual(['codex-ready', 'claude-applied']);
    expect(byNumber.get(2)!.gateRuns).toHaveLength(4);
    expect(byNumber.get(3)).toMatchObject({
      gateStatus: { summary: '3/4', pending: ['SLSA Verification / Verify SLSA Provenance'] },
      labels: { expected: 'claude-enforcing', accurate: false },
    });
    expect(byNumber.get(4)).toMatchObject({
      pullRequest: { state: 'merged' },
      labels: { expected: 'plan-review', accurate: false },
      conformance: { conforming: true, bypassedProtection: false, protection: { readable: true } },
    });

    const first = await request(app).get(`${url}?limit=2`).set('Authorization', user);
    expect(first.body.items).toHaveLength(2);
    const second = await request(app)
      .get(`${url}?limit=2&cursor=${first.body.nextCursor}`)
      .set('Authorization', user);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeUndefined();
    expect(
      [...first.body.items, ...second.body.items].map((i: any) => i.pullRequest.number).sort(),
    ).toEqual([2, 3, 4]);

    const merged = await request(app).get(`${url}?state=merged`).set('Authorization', user);
    expect(merged.body.items.map((i: any) => i.pullRequest.number)).toEqual([4]);

    for (const [query, message] of [
      ['limit=0', 'limit: Too small'],
      ['limit=101', 'limit: Too big'],
      ['state=draft', 'state: Invalid option'],
      ['foo=1', 'Unrecognized key'],
    ]) {
      const bad = await request(app).get(`${url}?${query}`).set('Authorization', user);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain(message);
    }
    const badCursor = await request(app).get(`${url}?cursor=nope`).set('Authorization', user);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.message).toBe("Invalid page cursor 'nope'");
    // Well-formed JSON of the wrong types must not reach the database.
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const tampered of [
      ['not-a-date', 5],
      ['2025-01-19', 5],
      [5, 5],
      ['2025-01-19T10:00:00.000Z', 1e300],
      ['2025-01-19T10:00:00.000Z', 2 ** 40],
      ['2025-01-19T10:00:00.000Z', -1],
      ['2025-01-19T10:00:00.000Z', '5'],
      { value: '2025-01-19T10:00:00.000Z', id: 5 },
    ]) {
      const res = await request(app)
        .get(`${url}?cursor=${b64(tampered)}`)
        .set('Authorization', user);
      expect({ tampered, status: res.status, message: res.body.error?.message }).toEqual({
        tampered,
        status: 400,
        message: `Invalid page cursor '${b64(tampered)}'`,
      });
    }

    expect((await request(app).get(url).set('Authorization', mockCredentials.none.header())).status).toBe(401);
    const unknown = await request(app)
      .get('/api/dual-lane/entities/component/default/nope/gates')
      .set('Authorization', user);
    expect(unknown.status).toBe(404);
  });

  it('checks the read permission per entity', async () => {
    const knex = await seeded(id);
    const { server: app } = await startTestBackend({
      features: [
        dualLanePlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.database.factory({ knex }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        mockServices.rootConfig.factory({ data: { dualLane: { sync: { github: { enabled: false } } } } }),
      ],
    });
    const res = await request(app).get(url).set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('dual-lane.entity.read');
  });
});
