import { JsonObject } from '@backstage/types';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { DualLaneStore } from '../database';
import { applyDatabaseMigrations } from '../database/migrations';
import { dualLanePlugin } from '../plugin';
import { registerRepository } from '../services/gates/__testUtils__/scenario';

const databases = createTestDatabases();
const COMMIT = 'c'.repeat(40);

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'widget',
    namespace: 'default',
    annotations: { 'github.com/project-slug': 'acme/widget' },
  },
  spec: {},
};

/** What a Kyverno policy-report forwarder would send for one denial. */
function result(over: Record<string, unknown> = {}) {
  return {
    repository: 'acme/widget',
    environment: 'production',
    testName: 'unsigned-image',
    blocked: true,
    commitSha: COMMIT,
    evidenceUrl:
      'https://grafana.acme.dev/d/kyverno?var-policy=require-signed-images',
    observedAt: '2025-01-19T10:20:00Z',
    ...over,
  };
}

const CALLER = {
  subject: 'external:test-service',
  repositories: ['github.com/acme/*'],
  negativeTestEnvironments: ['ci', 'staging', 'production'],
};

async function backend(
  id: Parameters<typeof databases.init>[0],
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  caller: JsonObject = CALLER,
) {
  const knex = await databases.init(id);
  await applyDatabaseMigrations(knex);
  const store = new DualLaneStore(knex);
  const repo = await registerRepository(store);
  const { server } = await startTestBackend({
    features: [
      dualLanePlugin,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.database.factory({ knex }),
      mockServices.permissions.factory({ result: permission }),
      mockServices.rootConfig.factory({
        data: {
          dualLane: {
            sync: { github: { enabled: false } },
            ingest: { callers: [caller] },
          },
        },
      }),
    ],
  });
  const post = (body: unknown, auth = mockCredentials.service.header()) =>
    request(server)
      .post('/api/dual-lane/ingest/negative-tests')
      .set('Authorization', auth)
      .send(body as object);
  return { server, store, repo, post };
}

describe.each(databases.eachSupportedId())(
  'POST /ingest/negative-tests on %p',
  id => {
    it('records admission results per environment, which the gates view and the go/no-go read', async () => {
      const { server, store, repo, post } = await backend(id);
      const res = await post({
        results: [
          result(),
          result({
            testName: 'non-digest-image',
            environment: 'staging',
            evidenceUrl: undefined,
          }),
        ],
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ accepted: 2 });
      const stored = await store.gates.listNegativeTests(repo.id);
      expect(
        stored.map(t => [
          t.testName,
          t.environment,
          t.blocked,
          t.commitSha,
          t.evidenceUrl,
          t.observedAt,
        ]),
      ).toEqual([
        [
          'unsigned-image',
          'production',
          true,
          COMMIT,
          'https://grafana.acme.dev/d/kyverno?var-policy=require-signed-images',
          '2025-01-19T10:20:00.000Z',
        ],
        [
          'non-digest-image',
          'staging',
          true,
          COMMIT,
          undefined,
          '2025-01-19T10:20:00.000Z',
        ],
      ]);

      // The same test, commit and environment reported again replaces it.
      await post({
        results: [
          result({ blocked: false, observedAt: '2025-01-19T11:00:00Z' }),
        ],
      });
      const again = await store.gates.listNegativeTests(repo.id);
      expect(again).toHaveLength(2);
      expect(again.find(t => t.environment === 'production')).toMatchObject({
        blocked: false,
        observedAt: '2025-01-19T11:00:00.000Z',
      });

      const gates = await request(server)
        .get('/api/dual-lane/entities/component/default/widget/gates')
        .set('Authorization', mockCredentials.user.header());
      expect(
        gates.body.negativeTests.map((t: any) => [
          t.testName,
          t.environment,
          t.blocked,
        ]),
      ).toEqual([
        ['non-digest-image', 'staging', true],
        ['unsigned-image', 'production', false],
      ]);
    });

    it('takes the time of receipt when observedAt is left out, and a host/owner/repo', async () => {
      const { store, repo, post } = await backend(id);
      const before = Date.now();
      const res = await post({
        results: [
          result({
            observedAt: undefined,
            repository: 'github.com/ACME/widget',
            commitSha: COMMIT.toUpperCase(),
          }),
        ],
      });
      expect(res.status).toBe(201);
      const [stored] = await store.gates.listNegativeTests(repo.id);
      expect(stored.commitSha).toBe(COMMIT);
      expect(Date.parse(stored.observedAt)).toBeGreaterThanOrEqual(
        before - 1000,
      );
    });

    it('rejects bad input naming the field, and stores nothing of a batch with an unknown repository', async () => {
      const { store, repo, post } = await backend(id);
      const cases: Array<[unknown, number, string]> = [
        [
          { results: [result({ environment: 'prod' })] },
          400,
          'results[0].environment: must be one of ci, staging, production',
        ],
        [
          { results: [result(), result({ testName: 'sql-injection' })] },
          400,
          'results[1].testName: must be one of unsigned-image, non-digest-image, provenance-replay, policy-tampering',
        ],
        [
          { results: [result({ blocked: 'yes' })] },
          400,
          'results[0].blocked: must be true or false',
        ],
        [
          { results: [result({ commitSha: 'v1.2.3' })] },
          400,
          'results[0].commitSha: must be a full commit sha (40 hex digits)',
        ],
        [
          { results: [result({ evidenceUrl: 'ftp://x/y' })] },
          400,
          'results[0].evidenceUrl',
        ],
        [
          { results: [result({ observedAt: 'yesterday' })] },
          400,
          'results[0].observedAt: must be an ISO-8601 timestamp',
        ],
        [
          { results: [result({ observedAt: '2999-01-01T00:00:00Z' })] },
          400,
          'results[0].observedAt: must not be in the future',
        ],
        [
          { results: [result({ repository: 'not a repo' })] },
          400,
          "results[0].repository: must be 'owner/repo' or 'host/owner/repo'",
        ],
        [
          { results: [result({ reason: 'denied' })] },
          400,
          'results[0]: Unrecognized key: "reason"',
        ],
        [{ results: [] }, 400, 'results: must list at least one result'],
        [
          { results: Array.from({ length: 501 }, () => result()) },
          400,
          'results: must list at most 500 results',
        ],
        [{ tests: [result()] }, 400, 'results:'],
        [
          {
            results: [
              result(),
              result({ repository: 'acme/unknown' }),
              result({ repository: 'acme/unknown' }),
            ],
          },
          404,
          "Unknown repository: results[1].repository 'acme/unknown', results[2].repository 'acme/unknown'",
        ],
      ];
      for (const [body, status, message] of cases) {
        const res = await post(body);
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status,
          message: expect.stringContaining(message),
        });
      }
      expect(await store.gates.listNegativeTests(repo.id)).toEqual([]);

      expect(
        (await post({ results: [result()] }, mockCredentials.user.header()))
          .status,
      ).toBe(403);
      expect(
        (await post({ results: [result()] }, mockCredentials.none.header()))
          .status,
      ).toBe(401);
    });

    it('needs the ingest permission', async () => {
      const { post } = await backend(id, AuthorizeResult.DENY);
      const res = await post({ results: [result()] });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        'dual-lane.ingest on component:default/widget',
      );
    });

    it('takes production results only from a caller granted production', async () => {
      const { store, repo, post } = await backend(id, AuthorizeResult.ALLOW, {
        subject: 'external:test-service',
        repositories: ['acme/widget'],
      });
      const res = await post({
        results: [
          result({ environment: 'staging' }),
          result({ environment: 'production' }),
        ],
      });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        "external:test-service may not report negative tests for results[1].environment 'production': it may report for ci, staging (dualLane.ingest.callers[].negativeTestEnvironments). Nothing was stored.",
      );
      expect(await store.gates.listNegativeTests(repo.id)).toEqual([]);
      expect(
        (await post({ results: [result({ environment: 'staging' })] })).status,
      ).toBe(201);

      await registerRepository(store, 'acme', 'other');
      const other = await post({
        results: [result({ environment: 'ci', repository: 'acme/other' })],
      });
      expect(other.status).toBe(403);
      expect(other.body.error.message).toContain(
        "results[0].repository 'acme/other'",
      );
    });
  },
);
