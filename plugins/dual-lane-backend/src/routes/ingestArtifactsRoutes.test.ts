import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { startSupplyChainBackend } from '../services/supplyChain/__testUtils__/supplyChainBackend';
import {
  MERGE_BASE,
  OTHER_COMMIT,
  SupplyChainTestKit,
  WORKFLOW,
} from '../services/supplyChain/__testUtils__/supplyChainTestKit';

const databases = createTestDatabases();
const HEAD = 'c'.repeat(40);

let kit: SupplyChainTestKit;
beforeAll(async () => {
  kit = await SupplyChainTestKit.create();
});

describe.each(databases.eachSupportedId())(
  'POST /ingest/artifacts on %p',
  id => {
    it('answers 400, saying why, when commitSha is not the head of the named pull request', async () => {
      const { server, knex } = await startSupplyChainBackend({
        databases,
        id,
        kit,
      });
      const service = mockCredentials.service.header();
      const signed = await kit.signedArtifact({
        commit: OTHER_COMMIT,
        mergeBase: MERGE_BASE,
        extensions: {
          sourceRepositoryUri: 'https://github.com/acme/widget',
          sourceRepositoryDigest: OTHER_COMMIT,
          buildSignerUri: WORKFLOW,
          runnerEnvironment: 'github-hosted',
        },
      });
      // The entity's repository is mirrored on the first read.
      await request(server)
        .get('/api/dual-lane/entities/component/default/widget/supply-chain')
        .set('Authorization', mockCredentials.user.header())
        .expect(200);
      const repositoryId = (await knex('repositories').first('id')).id;
      await knex('pull_requests').insert({
        repository_id: repositoryId,
        number: 42,
        title: 'feat: widget',
        state: 'open',
        draft: false,
        head_ref: 'feature/widget',
        head_sha: HEAD,
        base_ref: 'main',
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      });

      const replay = await request(server)
        .post('/api/dual-lane/ingest/artifacts')
        .set('Authorization', service)
        .field('repository', 'acme/widget')
        .field('pullRequest', '42')
        .field('commitSha', OTHER_COMMIT)
        .attach('artifact', signed.bytes, 'artifact.tar.gz')
        .attach('bundle', Buffer.from(JSON.stringify(signed.bundle)), 'b.json');
      expect(replay.status).toBe(400);
      expect(replay.body.error.message).toBe(
        `commitSha ${OTHER_COMMIT} is not the head commit ${HEAD} of pull request #42 of acme/widget: with pullRequest the replay check uses the pull request's head commit, so leave commitSha out or send that commit`,
      );
      expect(Number((await knex('artifacts').count({ n: '*' }))[0].n)).toBe(0);

      const unknownPr = await request(server)
        .post('/api/dual-lane/ingest/artifacts')
        .set('Authorization', service)
        .field('repository', 'acme/widget')
        .field('pullRequest', '7')
        .attach('artifact', signed.bytes, 'artifact.tar.gz');
      expect(unknownPr.status).toBe(404);
    });

    it('authorizes per repository: the ingest permission on its entities, and only repositories an entity points at', async () => {
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              r.permission.name === 'dual-lane.ingest'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      });
      const { server, knex } = await startSupplyChainBackend({
        databases,
        id,
        kit,
        extraFeatures: [permissions.factory],
      });
      await request(server)
        .get('/api/dual-lane/entities/component/default/widget/supply-chain')
        .set('Authorization', mockCredentials.user.header())
        .expect(200);
      const signed = await kit.signedArtifact();
      const post = (repository: string) =>
        request(server)
          .post('/api/dual-lane/ingest/artifacts')
          .set('Authorization', mockCredentials.service.header())
          .field('repository', repository)
          .attach('artifact', signed.bytes, 'artifact.tar.gz');

      const denied = await post('acme/widget');
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        'Not allowed to ingest into github.com/acme/widget (dual-lane.ingest on component:default/widget). Nothing was stored.',
      );
      const unknown = await post('acme/nope');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toContain(
        "Unknown repository: repository 'acme/nope'; no catalog entity points at it",
      );
      expect(Number((await knex('artifacts').count({ n: '*' }))[0].n)).toBe(0);
    });

    it('stops reading a bundle part at its own limit instead of buffering up to the artifact limit', async () => {
      const { server } = await startSupplyChainBackend({
        databases,
        id,
        kit,
        verification: {
          limits: { maxCompressedBytes: 200_000, maxBundleBytes: 10_000 },
        },
      });
      const service = mockCredentials.service.header();
      await request(server)
        .get('/api/dual-lane/entities/component/default/widget/supply-chain')
        .set('Authorization', mockCredentials.user.header())
        .expect(200);
      const signed = await kit.signedArtifact();

      const bigBundle = await request(server)
        .post('/api/dual-lane/ingest/artifacts')
        .set('Authorization', service)
        .field('repository', 'acme/widget')
        .attach('artifact', signed.bytes, 'artifact.tar.gz')
        .attach('bundle', Buffer.alloc(150_000, 0x20), 'b.json');
      expect(bigBundle.status).toBe(400);
      expect(bigBundle.body.error.message).toBe(
        'bundle is over its limit of 10000 bytes (dualLane.verification.limits.maxBundleBytes)',
      );

      const bigArtifact = await request(server)
        .post('/api/dual-lane/ingest/artifacts')
        .set('Authorization', service)
        .field('repository', 'acme/widget')
        .attach('artifact', Buffer.alloc(250_000), 'artifact.tar.gz');
      expect(bigArtifact.status).toBe(400);
      expect(bigArtifact.body.error.message).toBe(
        'artifact is over its limit of 200000 bytes (dualLane.verification.limits.maxCompressedBytes)',
      );

      const good = await request(server)
        .post('/api/dual-lane/ingest/artifacts')
        .set('Authorization', service)
        .field('repository', 'acme/widget')
        .attach('artifact', signed.bytes, 'artifact.tar.gz')
        .attach('bundle', Buffer.from(JSON.stringify(signed.bundle)), 'b.json');
      expect(good.status).toBe(201);
      expect(good.body.status).toBe('verified');

      const bare = await request(server)
        .post('/api/dual-lane/ingest/artifacts')
        .set('Authorization', service)
        .field('repository', 'acme/widget')
        .field('name', 'v2/artifact.tar.gz')
        .attach('artifact', signed.bytes, 'artifact.tar.gz');
      expect(bare.body).toMatchObject({
        status: 'verified',
        notes: [
          'this submission has no Sigstore bundle: the stored bundle, which verified, is used',
        ],
      });
    });
  },
);
