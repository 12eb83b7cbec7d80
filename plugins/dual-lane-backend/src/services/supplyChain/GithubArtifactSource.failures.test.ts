import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createTestDatabases } from '../../__testUtils__/databases';
import { GithubClientFactory } from '../github/GithubClientFactory';
import {
  createArtifactBundle,
  createPolicyBundle,
  sha256Hex,
  YAML_ALIAS_BOMB,
} from '@dual-lane/plugin-dual-lane-node/testUtils';
import {
  byCheck,
  ISSUER,
  MERGE_BASE,
  SupplyChainTestKit,
  WORKFLOW,
} from './__testUtils__/supplyChainTestKit';

/*
 * One bad release asset must not stop the others: each asset is verified
 * (or recorded as failed, with why) on its own, what was done is saved as
 * it goes, and only assets that failed for a passing reason (a 5xx) are
 * tried again.
 */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const databases = createTestDatabases();
const API = 'https://api.github.com/repos/acme/widget';
const BLOBS = 'https://tmp-attestations.githubusercontent.com';
const LIMIT = 100_000;

let kit: SupplyChainTestKit;
beforeAll(async () => {
  kit = await SupplyChainTestKit.create();
});

function asset(id: number, name: string, size: number, digest?: string | null) {
  return {
    id,
    name,
    size,
    digest,
    updated_at: '2026-11-20T10:00:00Z',
    browser_download_url: `https://github.com/acme/widget/releases/download/v1.0.0/${name}`,
  };
}

describe.each(databases.eachSupportedId())(
  'GithubArtifactSource with bad assets on %p',
  id => {
    it('records each bad asset with its reason, verifies the rest, saves progress as it goes and retries only passing failures', async () => {
      const { store, repository } = await kit.setup(databases, id);
      const stateKey = `supply-chain:releases:${repository.id}`;
      const good = await kit.signedArtifact();
      const flaky = await createArtifactBundle({
        mergeBaseSha: MERGE_BASE,
        changesPatch: 'flaky\n',
      });
      const jsonless = await createArtifactBundle({
        mergeBaseSha: MERGE_BASE,
        changesPatch: 'jsonless\n',
      });
      const snappy = await createArtifactBundle({
        mergeBaseSha: MERGE_BASE,
        changesPatch: 'snappy\n',
      });
      const bomb = await createPolicyBundle({
        extraEntries: [{ name: 'laughs.yaml', content: YAML_ALIAS_BOMB }],
      });
      const bombBundle = await kit.sigstore.signKeyless({
        payload: bomb,
        kind: 'message',
        identity: WORKFLOW,
        issuer: ISSUER,
      });
      const bigDigest = `sha256:${'f'.repeat(64)}`;
      const files: Record<number, Buffer> = {
        14: flaky,
        15: jsonless,
        16: snappy,
        17: bomb,
        18: Buffer.from(JSON.stringify(bombBundle)),
        19: good.bytes,
        20: Buffer.from(JSON.stringify(good.bundle)),
      };
      const assets = [
        asset(11, 'big.artifact.tar.gz', LIMIT * 2, bigDigest),
        asset(12, 'old.artifact.tar.gz', LIMIT * 2, null),
        asset(13, 'gone.artifact.tar.gz', 500),
        asset(14, 'flaky.artifact.tar.gz', flaky.length),
        asset(15, 'jsonless.artifact.tar.gz', jsonless.length),
        asset(16, 'snappy.artifact.tar.gz', snappy.length),
        asset(17, 'bomb.policies.tar.gz', bomb.length),
        asset(18, 'bomb.policies.tar.gz.sigstore.json', files[18].length),
        asset(19, 'artifact.tar.gz', good.bytes.length),
        asset(20, 'artifact.tar.gz.sigstore.json', files[20].length),
      ];
      let flakyUp = false;
      const downloads: number[] = [];
      const listings: Array<string | null> = [];
      const seenWhenLastDownloaded: Array<Record<string, string>> = [];
      server.use(
        http.get(`${API}/releases`, ({ request }) => {
          listings.push(request.headers.get('if-none-match'));
          if (request.headers.get('if-none-match') === '"rel-2"') {
            return new HttpResponse(null, { status: 304 });
          }
          return HttpResponse.json(
            [
              {
                id: 1,
                tag_name: 'v1.0.0',
                draft: false,
                published_at: '2026-11-20T10:00:00Z',
                assets,
              },
            ],
            { headers: { etag: '"rel-2"' } },
          );
        }),
        http.get(`${API}/releases/assets/:id`, async ({ params }) => {
          const assetId = Number(params.id);
          downloads.push(assetId);
          if (assetId === 13) {
            return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
          }
          if (assetId === 14 && !flakyUp) {
            return HttpResponse.json(
              { message: 'Bad gateway' },
              { status: 502 },
            );
          }
          if (assetId === 19) {
            const state = await store.repositories.getSyncState(stateKey);
            seenWhenLastDownloaded.push(
              (state?.data as { processed: Record<string, string> }).processed,
            );
          }
          return new HttpResponse(files[assetId], {
            headers: { 'content-type': 'application/octet-stream' },
          });
        }),
        http.get(`${API}/attestations/:digest`, ({ params }) => {
          const urls: Record<string, string> = {
            [`sha256:${sha256Hex(jsonless)}`]: `${BLOBS}/jsonless`,
            [`sha256:${sha256Hex(snappy)}`]: `${BLOBS}/snappy`,
          };
          const url = urls[String(params.digest)];
          if (!url) {
            return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
          }
          return HttpResponse.json({
            attestations: [{ bundle: null, bundle_url: url, repository_id: 1 }],
          });
        }),
        http.get(`${BLOBS}/jsonless`, () =>
          HttpResponse.text('<html>not a bundle</html>', {
            headers: { 'content-type': 'text/html' },
          }),
        ),
        http.get(
          `${BLOBS}/snappy`,
          () =>
            new HttpResponse(Buffer.from([0xff, 0x06, 0, 0, 0x73, 0x4e]), {
              headers: { 'content-type': 'application/x-snappy' },
            }),
        ),
      );
      const logger = mockServices.logger.mock();
      const config = kit.config({
        verification: { limits: { maxCompressedBytes: LIMIT } },
      });
      const s = kit.services(store, config, {
        logger,
        github: GithubClientFactory.fromConfig(
          new ConfigReader({
            integrations: {
              github: [{ host: 'github.com', token: 'ghp_test' }],
            },
          }),
          { logger, serverErrorRetries: 0 },
        ),
      });

      // Run 1: every asset is dealt with; only the good one verifies.
      await s.source.syncRepository(repository);
      expect(downloads).not.toContain(11);
      expect(downloads).not.toContain(12);
      expect(seenWhenLastDownloaded[0]).toMatchObject({
        '11': expect.any(String),
        '15': expect.any(String),
        '16': expect.any(String),
        '17': expect.any(String),
      });
      const artifacts = await store.supplyChain.listArtifacts([repository.id]);
      const byName = Object.fromEntries(artifacts.map(a => [a.name, a]));
      expect(byName['v1.0.0/artifact.tar.gz'].status).toBe('verified');

      expect(byName['v1.0.0/big.artifact.tar.gz']).toMatchObject({
        digest: bigDigest,
        status: 'failed',
      });
      const big = await store.supplyChain.listVerifications({
        artifactIds: [byName['v1.0.0/big.artifact.tar.gz'].id],
        currentOnly: true,
      });
      expect(byCheck({ verifications: big }).provenance.reason).toBe(
        `artifact bundle rejected: release asset big.artifact.tar.gz is ${
          LIMIT * 2
        } bytes, over the limit of ${LIMIT}: not downloaded`,
      );

      const jsonlessChecks = byCheck({
        verifications: await store.supplyChain.listVerifications({
          artifactIds: [byName['v1.0.0/jsonless.artifact.tar.gz'].id],
          currentOnly: true,
        }),
      });
      expect(jsonlessChecks.signature).toMatchObject({
        outcome: 'unverified',
        reason: expect.stringMatching(
          /^no usable Sigstore bundle: attestation bundle https:\/\/tmp-attestations.githubusercontent.com\/jsonless is not JSON: /,
        ),
      });
      const snappyChecks = byCheck({
        verifications: await store.supplyChain.listVerifications({
          artifactIds: [byName['v1.0.0/snappy.artifact.tar.gz'].id],
          currentOnly: true,
        }),
      });
      expect(snappyChecks.signature.reason).toContain(
        `attestation bundle ${BLOBS}/snappy is snappy-compressed, which is not supported`,
      );

      const [policy] = await store.supplyChain.listPolicyVersions({
        repositoryIds: [repository.id],
      });
      expect(policy).toMatchObject({ name: 'bomb.policies', status: 'failed' });

      const state = await store.repositories.getSyncState(stateKey);
      const data = state!.data as {
        processed: Record<string, string>;
        failures: Record<
          string,
          { asset: string; reason: string; retry: boolean }
        >;
      };
      expect(Object.keys(data.processed).sort()).toEqual(
        ['11', '12', '13', '15', '16', '17', '19'].sort(),
      );
      expect(data.failures).toEqual({
        '12': {
          asset: 'v1.0.0/old.artifact.tar.gz',
          reason: `release asset old.artifact.tar.gz is ${
            LIMIT * 2
          } bytes, over the limit of ${LIMIT}, and GitHub gives no digest to record it by`,
          retry: false,
          at: expect.any(String),
        },
        '13': {
          asset: 'v1.0.0/gone.artifact.tar.gz',
          reason: expect.stringContaining('404'),
          retry: false,
          at: expect.any(String),
        },
        '14': {
          asset: 'v1.0.0/flaky.artifact.tar.gz',
          reason: expect.stringContaining('502'),
          retry: true,
          at: expect.any(String),
        },
      });
      expect(state!.etag).toBeUndefined();
      expect(state!.lastError).toContain('3 release assets failed');

      // Run 2: the listing is read again (no ETag kept) and only the asset
      // that failed for a passing reason is downloaded again.
      flakyUp = true;
      downloads.length = 0;
      await s.source.syncRepository(repository);
      expect(listings).toEqual([null, null]);
      expect(downloads).toEqual([14]);
      const after = await store.repositories.getSyncState(stateKey);
      expect(after!.etag).toBe('"rel-2"');
      expect(Object.keys((after!.data as any).failures).sort()).toEqual([
        '12',
        '13',
      ]);

      // Run 3: nothing changed.
      downloads.length = 0;
      await s.source.syncRepository(repository);
      expect(listings).toEqual([null, null, '"rel-2"']);
      expect(downloads).toEqual([]);
    });
  },
);
