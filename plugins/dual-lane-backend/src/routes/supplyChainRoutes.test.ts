import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyDatabaseMigrations } from '../database/migrations';
import { dualLanePlugin } from '../plugin';
import {
  createArtifactBundle,
  createPolicyBundle,
  sha256Hex,
  slsaV1Statement,
} from '@dual-lane/plugin-dual-lane-node/testUtils';
import { createTestSigstore } from '@dual-lane/plugin-dual-lane-node/testUtils';
import {
  startSupplyChainBackend,
  SUPPLY_CHAIN_BASE,
} from '../services/supplyChain/__testUtils__/supplyChainBackend';
import { SupplyChainTestKit } from '../services/supplyChain/__testUtils__/supplyChainTestKit';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { dualLaneReverifyPermission } from '@dual-lane/plugin-dual-lane-common';

const databases = createTestDatabases();
const ISSUER = 'https://token.actions.githubusercontent.com';
const WORKFLOW =
  'https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main';
const COMMIT = 'e'.repeat(40);

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

describe.each(databases.eachSupportedId())('supply-chain routes on %p', id => {
  it('ingests signed and unsigned artifacts and a policy bundle, shows them with reasons, re-verifies', async () => {
    const sigstore = await createTestSigstore();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dual-lane-sc-'));
    const rootPath = path.join(dir, 'trusted_root.json');
    fs.writeFileSync(rootPath, JSON.stringify(sigstore.trustedRootJSON));
    const knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
    const { server } = await startTestBackend({
      features: [
        dualLanePlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            dualLane: {
              sync: { artifacts: { enabled: false } },
              verification: {
                trustedRootPath: rootPath,
                identities: [
                  { name: 'widget-release', issuer: ISSUER, subject: WORKFLOW },
                ],
                limits: { maxCompressedBytes: 100_000 },
              },
            },
          },
        }),
      ],
    });
    const base =
      '/api/dual-lane/entities/component/default/widget/supply-chain';
    const service = mockCredentials.service.header();

    const bytes = await createArtifactBundle({ mergeBaseSha: COMMIT });
    const bundle = await sigstore.signKeyless({
      payload: Buffer.from(
        JSON.stringify(
          slsaV1Statement({
            subjects: [{ name: 'artifact.tar.gz', sha256: sha256Hex(bytes) }],
            repository: 'acme/widget',
            commit: COMMIT,
          }),
        ),
      ),
      identity: WORKFLOW,
      issuer: ISSUER,
      extensions: {
        sourceRepositoryUri: 'https://github.com/acme/widget',
        sourceRepositoryDigest: COMMIT,
        buildSignerUri: WORKFLOW,
        runnerEnvironment: 'github-hosted',
      },
    });

    // Unknown until an entity points at it.
    const unknown = await request(server)
      .post('/api/dual-lane/ingest/artifacts')
      .set('Authorization', service)
      .field('repository', 'acme/widget')
      .attach('artifact', bytes, 'artifact.tar.gz');
    expect(unknown.status).toBe(404);

    const empty = await request(server)
      .get(base)
      .set('Authorization', mockCredentials.user.header());
    expect(empty.status).toBe(200);
    expect(empty.body.totals).toMatchObject({
      artifacts: 0,
      signedRatio: null,
    });

    const asUser = await request(server)
      .post('/api/dual-lane/ingest/artifacts')
      .set('Authorization', mockCredentials.user.header())
      .field('repository', 'acme/widget')
      .attach('artifact', bytes, 'artifact.tar.gz');
    expect(asUser.status).toBe(403);

    const good = await request(server)
      .post('/api/dual-lane/ingest/artifacts')
      .set('Authorization', service)
      .field('repository', 'acme/widget')
      .attach('artifact', bytes, 'artifact.tar.gz')
      .attach(
        'bundle',
        Buffer.from(JSON.stringify(bundle)),
        'artifact.tar.gz.sigstore.json',
      );
    expect(good.status).toBe(201);
    expect(good.body).toMatchObject({
      subject: 'artifact',
      status: 'verified',
      digest: `sha256:${sha256Hex(bytes)}`,
    });

    const unsigned = await request(server)
      .post('/api/dual-lane/ingest/artifacts')
      .set('Authorization', service)
      .field('repository', 'acme/widget')
      .field('name', 'unsigned.tar.gz')
      .attach(
        'artifact',
        await createArtifactBundle({
          mergeBaseSha: COMMIT,
          changesPatch: 'x\n',
        }),
        'unsigned.tar.gz',
      );
    expect(unsigned.body.status).toBe('failed');

    const policies = await createPolicyBundle();
    const policyBundle = await sigstore.signKeyless({
      payload: policies,
      kind: 'message',
      identity: WORKFLOW,
      issuer: ISSUER,
    });
    const policy = await request(server)
      .post('/api/dual-lane/ingest/artifacts')
      .set('Authorization', service)
      .field('repository', 'acme/widget')
      .field('kind', 'policy-bundle')
      .attach('artifact', policies, 'policies.tar.gz')
      .attach(
        'bundle',
        Buffer.from(JSON.stringify(policyBundle)),
        'policies.tar.gz.sigstore.json',
      );
    expect(policy.body).toMatchObject({
      subject: 'policy-version',
      status: 'verified',
    });

    const tooBig = await request(server)
      .post('/api/dual-lane/ingest/artifacts')
      .set('Authorization', service)
      .field('repository', 'acme/widget')
      .attach('artifact', Buffer.alloc(200_000), 'big.tar.gz');
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.message).toBe(
      'artifact is over its limit of 100000 bytes (dualLane.verification.limits.maxCompressedBytes)',
    );

    const badField = await request(server)
      .post('/api/dual-lane/ingest/artifacts')
      .set('Authorization', service)
      .field('repository', 'acme/widget')
      .field('commitSha', 'main')
      .attach('artifact', bytes, 'artifact.tar.gz');
    expect(badField.status).toBe(400);
    expect(badField.body.error.message).toContain(
      'commitSha must be a full git commit id',
    );

    const repositoryId = (await knex('repositories').first('id')).id;
    await knex('gate_runs').insert({
      repository_id: repositoryId,
      source: 'github',
      external_id: '77',
      gate_name: 'Policy Verification / Validate Policy Bundle',
      check_name: 'Policy Verification / Validate Policy Bundle',
      head_sha: COMMIT,
      status: 'completed',
      conclusion: 'success',
      policy_digest: policy.body.digest,
      updated_at: new Date().toISOString(),
    });

    const view = await request(server)
      .get(base)
      .set('Authorization', mockCredentials.user.header());
    expect(view.status).toBe(200);
    expect(view.body.totals).toMatchObject({
      artifacts: 2,
      byStatus: { verified: 1, failed: 1, unverified: 0 },
      signedRatio: 0.5,
      provenanceVerifiedRatio: 0.5,
      policyVersions: 1,
    });
    const failed = view.body.artifacts.find((a: any) => a.status === 'failed');
    expect(failed.verifications.signature).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(
        /^unsigned: no Sigstore bundle was found for sha256:/,
      ),
    });
    expect(failed.verifications.signature.policy).toBeUndefined();
    const verified = view.body.artifacts.find(
      (a: any) => a.status === 'verified',
    );
    expect(verified.verifications.provenance).toMatchObject({
      outcome: 'verified',
      slsaLevel: 2,
    });
    expect(verified.sbomSummary.componentCount).toBe(4);
    expect(view.body.policyVersions[0]).toMatchObject({
      version: 'v1.2.0',
      lastUsedByPolicyGate: true,
    });
    expect(view.body.policyGate).toMatchObject({
      policyDigest: policy.body.digest,
      policyVersion: { version: 'v1.2.0' },
    });

    const reverify = await request(server)
      .post(`${base}/reverify`)
      .set('Authorization', mockCredentials.user.header());
    expect(reverify.status).toBe(200);
    expect(reverify.body).toMatchObject({
      entityRef: 'component:default/widget',
      reverified: 3,
      changes: [],
    });
    expect(reverify.body.currentPolicyHash).toBe(view.body.currentPolicyHash);
  });
  it('answers 403 to a caller who may read the supply chain but not re-verify it', async () => {
    const kit = await SupplyChainTestKit.create();
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result:
            r.permission.name === dualLaneReverifyPermission.name
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    const { server } = await startSupplyChainBackend({
      databases,
      id,
      kit,
      extraFeatures: [permissions.factory],
    });
    const user = mockCredentials.user.header();
    await request(server)
      .get(SUPPLY_CHAIN_BASE)
      .set('Authorization', user)
      .expect(200);
    const denied = await request(server)
      .post(`${SUPPLY_CHAIN_BASE}/reverify`)
      .set('Authorization', user);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'Not allowed to update component:default/widget (dual-lane.supply-chain.reverify)',
    );
  });
});
