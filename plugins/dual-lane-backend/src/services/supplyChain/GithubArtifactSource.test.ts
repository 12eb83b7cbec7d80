import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  createTestDatabases,
  createTestStore,
} from '../../__testUtils__/databases';
import { GithubClientFactory } from '../github/GithubClientFactory';
import {
  createArtifactBundle,
  createPolicyBundle,
  sha256Hex,
  slsaV1Statement,
} from '@dual-lane/plugin-dual-lane-node/testUtils';
import {
  createTestSigstore,
  TestSigstore,
} from '@dual-lane/plugin-dual-lane-node/testUtils';
import { createSupplyChainServices } from './setupSupplyChain';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const databases = createTestDatabases();
const ISSUER = 'https://token.actions.githubusercontent.com';
const WORKFLOW =
  'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.0.0';
const COMMIT = 'd'.repeat(40);
const API = 'https://api.github.com/repos/acme/widget';

let sigstore: TestSigstore;
beforeAll(async () => {
  sigstore = await createTestSigstore();
});

async function signedRelease() {
  const artifact = await createArtifactBundle({ mergeBaseSha: COMMIT });
  const older = await createArtifactBundle({
    mergeBaseSha: COMMIT,
    changesPatch: 'older\n',
  });
  const attest = async (bytes: Buffer) =>
    sigstore.signKeyless({
      payload: Buffer.from(
        JSON.stringify(
          slsaV1Statement({
            subjects: [{ name: 'artifact.tar.gz', sha256: sha256Hex(bytes) }],
            repository: 'acme/widget',
            commit: COMMIT,
            ref: 'refs/tags/v1.0.0',
          }),
        ),
      ),
      identity: WORKFLOW,
      issuer: ISSUER,
      extensions: {
        sourceRepositoryUri: 'https://github.com/acme/widget',
        sourceRepositoryDigest: COMMIT,
        sourceRepositoryRef: 'refs/tags/v1.0.0',
        buildSignerUri: WORKFLOW,
        runnerEnvironment: 'github-hosted',
      },
    });
  const policies = await createPolicyBundle({ revision: 'v3' });
  return {
    artifact,
    artifactBundle: await attest(artifact),
    older,
    olderAttestation: await attest(older),
    policies,
    policiesBundle: await sigstore.signKeyless({
      payload: policies,
      kind: 'message',
      identity: WORKFLOW,
      issuer: ISSUER,
    }),
  };
}

function asset(id: number, name: string, size: number) {
  return {
    id,
    name,
    size,
    updated_at: '2026-11-20T10:00:00Z',
    browser_download_url: `https://github.com/acme/widget/releases/download/v1.0.0/${name}`,
  };
}

describe.each(databases.eachSupportedId())('GithubArtifactSource on %p', id => {
  it('verifies release assets and attestations, then asks again with the ETag only', async () => {
    const { store } = await createTestStore(databases, id);
    await store.repositories.upsertRepositories([
      { host: 'github.com', owner: 'acme', name: 'widget' },
    ]);
    const repository = (await store.repositories.listRepositories())[0];
    const r = await signedRelease();
    const files: Record<number, Buffer> = {
      11: r.artifact,
      12: Buffer.from(JSON.stringify(r.artifactBundle)),
      13: r.policies,
      14: Buffer.from(JSON.stringify(r.policiesBundle)),
      21: r.older,
    };
    const downloads: number[] = [];
    const etags: Array<string | null> = [];
    const attestationQueries: string[] = [];
    server.use(
      http.get(`${API}/releases`, ({ request }) => {
        etags.push(request.headers.get('if-none-match'));
        if (request.headers.get('if-none-match') === '"rel-1"') {
          return new HttpResponse(null, {
            status: 304,
            headers: { etag: '"rel-1"' },
          });
        }
        return HttpResponse.json(
          [
            {
              id: 1,
              tag_name: 'v1.0.0',
              draft: false,
              published_at: '2026-11-20T10:00:00Z',
              assets: [
                asset(11, 'artifact.tar.gz', files[11].length),
                asset(12, 'artifact.tar.gz.sigstore.json', files[12].length),
                asset(13, 'policies.tar.gz', files[13].length),
                asset(14, 'policies.tar.gz.sigstore.json', files[14].length),
              ],
            },
            {
              id: 2,
              tag_name: 'v0.9.0',
              draft: false,
              published_at: '2026-11-01T10:00:00Z',
              assets: [asset(21, 'artifact.tar.gz', files[21].length)],
            },
            {
              id: 3,
              tag_name: 'v2.0.0-draft',
              draft: true,
              published_at: null,
              assets: [asset(31, 'artifact.tar.gz', 10)],
            },
          ],
          { headers: { etag: '"rel-1"' } },
        );
      }),
      http.get(`${API}/releases/assets/:id`, ({ params, request }) => {
        expect(request.headers.get('accept')).toBe('application/octet-stream');
        downloads.push(Number(params.id));
        return new HttpResponse(files[Number(params.id)], {
          headers: { 'content-type': 'application/octet-stream' },
        });
      }),
      http.get(`${API}/attestations/:digest`, ({ params, request }) => {
        attestationQueries.push(String(params.digest));
        expect(new URL(request.url).searchParams.get('predicate_type')).toBe(
          'provenance',
        );
        if (params.digest !== `sha256:${sha256Hex(r.older)}`) {
          return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
        }
        return HttpResponse.json({
          attestations: [{ bundle: r.olderAttestation, repository_id: 1 }],
        });
      }),
    );
    const logger = mockServices.logger.mock();
    const config = new ConfigReader({
      integrations: { github: [{ host: 'github.com', token: 'ghp_test' }] },
      dualLane: {
        verification: {
          trustedRootPath: 'trusted_root.json',
          identities: [
            {
              name: 'widget',
              issuer: ISSUER,
              subjectPattern:
                'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v*',
            },
          ],
        },
      },
    });
    const s = createSupplyChainServices(
      {
        config,
        store,
        logger,
        github: GithubClientFactory.fromConfig(config, { logger }),
      },
      { loadTrustedRoot: async () => sigstore.trustedRootJSON },
    );

    expect(await s.source.syncRepository(repository)).toEqual({
      artifacts: 2,
      policies: 1,
    });
    expect(downloads.sort()).toEqual([11, 12, 13, 14, 21]);
    expect(attestationQueries).toEqual([`sha256:${sha256Hex(r.older)}`]);
    const artifacts = await store.supplyChain.listArtifacts([repository.id]);
    expect(artifacts.map(a => [a.name, a.source, a.status]).sort()).toEqual([
      ['v0.9.0/artifact.tar.gz', 'github-attestation', 'verified'],
      ['v1.0.0/artifact.tar.gz', 'release-asset', 'verified'],
    ]);
    const [policy] = await store.supplyChain.listPolicyVersions({
      repositoryIds: [repository.id],
    });
    expect(policy).toMatchObject({
      name: 'policies',
      version: 'v1.0.0',
      status: 'verified',
      signerIdentity: WORKFLOW,
    });

    expect(await s.source.syncRepository(repository)).toEqual({
      artifacts: 0,
      policies: 0,
    });
    expect(etags).toEqual([null, '"rel-1"']);
    expect(downloads).toHaveLength(5);
  });
});
