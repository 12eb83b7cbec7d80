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
const HEAD = 'a'.repeat(40);

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

function run(over: Record<string, unknown> = {}) {
  return {
    repository: 'acme/widget',
    headSha: HEAD,
    gate: 'Policy Verification / Validate Policy Bundle',
    status: 'completed',
    conclusion: 'success',
    externalId: 'jenkins-1842',
    detailsUrl: 'https://jenkins.acme.dev/job/policy/1842/',
    policyDigest: `sha256:${'b'.repeat(64)}`,
    startedAt: '2025-01-19T10:20:00Z',
    completedAt: '2025-01-19T10:22:00+00:00',
    ...over,
  };
}

const CALLERS = [
  {
    subject: 'external:test-service',
    repositories: ['acme/widget', 'acme/gadget'],
  },
];

async function backend(
  id: Parameters<typeof databases.init>[0],
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  callers: JsonObject[] = CALLERS,
) {
  const knex = await databases.init(id);
  await applyDatabaseMigrations(knex);
  const store = new DualLaneStore(knex);
  const repo = await registerRepository(store);
  await store.gates.upsertPullRequests([
    {
      repositoryId: repo.id,
      number: 7,
      title: 'PRD-7',
      state: 'open',
      draft: false,
      headRef: 'feature/seven',
      headSha: HEAD,
      baseRef: 'main',
      laneSlug: 'seven',
      createdAt: '2025-01-19T10:00:00Z',
      updatedAt: '2025-01-19T10:00:00Z',
      labels: [],
    },
  ]);
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
            ingest: { callers },
          },
        },
      }),
    ],
  });
  return { server, store, repo };
}

describe.each(databases.eachSupportedId())(
  'POST /ingest/gate-runs on %p',
  id => {
    it('stores runs from a service, links them to the pull request and updates its gates', async () => {
      const { server, store, repo } = await backend(id);
      const post = (body: unknown, auth = mockCredentials.service.header()) =>
        request(server)
          .post('/api/dual-lane/ingest/gate-runs')
          .set('Authorization', auth)
          .send(body as object);

      const res = await post({
        runs: [
          run(),
          run({
            externalId: 'jenkins-1843',
            gate: 'Verify SLSA Provenance',
            status: 'in_progress',
            conclusion: undefined,
            completedAt: undefined,
          }),
        ],
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ accepted: 2, linkedToPullRequests: 2 });
      const pr = (await store.gates.getPullRequest(repo.id, 7))!;
      const runs = await store.gates.listGateRuns({ pullRequestIds: [pr.id] });
      const source = 'ingest:external:test-service';
      expect(
        runs.map(r => [
          r.source,
          r.externalId,
          r.checkName,
          r.status,
          r.appSlug,
        ]),
      ).toEqual([
        [source, 'jenkins-1842', 'Validate Policy Bundle', 'completed', source],
        [
          source,
          'jenkins-1843',
          'Verify SLSA Provenance',
          'in_progress',
          source,
        ],
      ]);
      expect(runs[0]).toMatchObject({
        policyDigest: `sha256:${'b'.repeat(64)}`,
        completedAt: '2025-01-19T10:22:00.000Z',
      });

      // A repeated post of the same run updates it; a stale in-progress copy does not undo it.
      await post({
        runs: [
          run({
            externalId: 'jenkins-1843',
            gate: 'Verify SLSA Provenance',
            conclusion: 'failure',
          }),
        ],
      });
      await post({
        runs: [
          run({
            externalId: 'jenkins-1843',
            gate: 'Verify SLSA Provenance',
            status: 'queued',
            conclusion: undefined,
          }),
        ],
      });
      const [, slsa] = await store.gates.listGateRuns({
        pullRequestIds: [pr.id],
      });
      expect(slsa).toMatchObject({
        status: 'completed',
        conclusion: 'failure',
      });

      const gates = await request(server)
        .get('/api/dual-lane/entities/component/default/widget/gates')
        .set('Authorization', mockCredentials.user.header());
      expect(gates.body.items[0].gateStatus).toMatchObject({
        passing: 1,
        failing: ['SLSA Verification / Verify SLSA Provenance'],
      });
    });

    it('rejects bad input with the field in the message, and stores nothing of a batch with an unknown repository', async () => {
      const { server, store, repo } = await backend(id);
      const post = (body: unknown) =>
        request(server)
          .post('/api/dual-lane/ingest/gate-runs')
          .set('Authorization', mockCredentials.service.header())
          .send(body as object);
      const cases: Array<[unknown, number, string]> = [
        [
          { runs: [run({ headSha: 'main' })] },
          400,
          'runs[0].headSha: must be a full commit sha (40 hex digits)',
        ],
        [
          { runs: [run({ conclusion: undefined })] },
          400,
          "runs[0].conclusion: is required when status is 'completed'",
        ],
        [
          { runs: [run({ status: 'queued' })] },
          400,
          "runs[0].conclusion: must be absent while status is 'queued'",
        ],
        [
          { runs: [run(), run({ startedAt: 'yesterday' })] },
          400,
          'runs[1].startedAt: must be an ISO-8601 timestamp',
        ],
        [
          // A run dated in the future would outrank every later report.
          { runs: [run({ completedAt: '2999-01-01T00:00:00Z' })] },
          400,
          'runs[0].completedAt: must not be in the future',
        ],
        [
          { runs: [run({ repository: 'not a repo' })] },
          400,
          "runs[0].repository: must be 'owner/repo' or 'host/owner/repo'",
        ],
        [
          { runs: [run({ detailsUrl: 'ftp://ci.acme.dev/run/1' })] },
          400,
          'runs[0].detailsUrl',
        ],
        [
          { runs: [run({ extra: true })] },
          400,
          'runs[0]: Unrecognized key: "extra"',
        ],
        [{ runs: [] }, 400, 'runs: must list at least one run'],
        [
          {
            runs: Array.from({ length: 501 }, (_, i) =>
              run({ externalId: `r${i}` }),
            ),
          },
          400,
          'runs: must list at most 500 runs',
        ],
        [
          { runs: [run({ gate: 'Lint' })] },
          400,
          "runs[0].gate: 'Lint' is not a configured gate",
        ],
        [
          { runs: [run({ gate: 'Run Gate 3 for PRD-*' })] },
          400,
          'runs[0].checkName: required for gate',
        ],
        [
          {
            runs: [
              run({ gate: 'Run Gate 3 for PRD-*', checkName: 'Run Gate 4' }),
            ],
          },
          400,
          "runs[0].checkName: 'Run Gate 4' does not match",
        ],
        [
          { runs: [run(), run({ repository: 'acme/gadget' })] },
          404,
          "Unknown repository: runs[1].repository 'acme/gadget'",
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
      expect(await store.gates.listGateRuns({ repositoryId: repo.id })).toEqual(
        [],
      );

      const asUser = await request(server)
        .post('/api/dual-lane/ingest/gate-runs')
        .set('Authorization', mockCredentials.user.header())
        .send({ runs: [run()] });
      expect(asUser.status).toBe(403);
      const anonymous = await request(server)
        .post('/api/dual-lane/ingest/gate-runs')
        .set('Authorization', mockCredentials.none.header())
        .send({ runs: [run()] });
      expect(anonymous.status).toBe(401);
    });

    it('needs the ingest permission on the entities of the repository', async () => {
      const { server, store, repo } = await backend(id, AuthorizeResult.DENY);
      const res = await request(server)
        .post('/api/dual-lane/ingest/gate-runs')
        .set('Authorization', mockCredentials.service.header())
        .send({ runs: [run()] });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'Not allowed to ingest into github.com/acme/widget (dual-lane.ingest on component:default/widget). Nothing was stored.',
      );
      expect(await store.gates.listGateRuns({ repositoryId: repo.id })).toEqual(
        [],
      );
    });

    it('refuses a token for a repository it is not granted, and a token not listed at all', async () => {
      const { server, store, repo } = await backend(id);
      const other = await registerRepository(store, 'acme', 'other');
      const post = (body: unknown) =>
        request(server)
          .post('/api/dual-lane/ingest/gate-runs')
          .set('Authorization', mockCredentials.service.header())
          .send(body as object);
      const res = await post({
        runs: [run(), run({ repository: 'acme/other', externalId: 'x' })],
      });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        "external:test-service may not ingest into runs[1].repository 'acme/other': not among its repositories in dualLane.ingest.callers. Nothing was stored.",
      );
      expect(await store.gates.listGateRuns({ repositoryId: repo.id })).toEqual(
        [],
      );
      expect(
        await store.gates.listGateRuns({ repositoryId: other.id }),
      ).toEqual([]);

      // Granted, but no entity points at it any more: its row outlives it.
      await registerRepository(store, 'acme', 'gadget');
      await store.repositories.deleteEntitiesExcept([
        'component:default/widget',
      ]);
      const gone = await post({ runs: [run({ repository: 'acme/gadget' })] });
      expect(gone.status).toBe(404);
      expect(gone.body.error.message).toBe(
        "Unknown repository: runs[0].repository 'acme/gadget'; no catalog entity points at it with github.com/project-slug (host github.com unless given as host/owner/repo). Nothing was stored.",
      );

      const unlisted = await backend(id, AuthorizeResult.ALLOW, []);
      const refused = await request(unlisted.server)
        .post('/api/dual-lane/ingest/gate-runs')
        .set('Authorization', mockCredentials.service.header())
        .send({ runs: [run()] });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe(
        'external:test-service may not ingest into dual-lane: it is not listed in dualLane.ingest.callers',
      );
    });
  },
);
