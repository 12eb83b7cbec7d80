import { createTestDatabases } from '../../__testUtils__/databases';
import {
  createArtifactBundle,
  sha256Hex,
  slsaV1Statement,
} from '@dual-lane/plugin-dual-lane-node/testUtils';
import {
  createTestSigstore,
  TestSigstore,
} from '@dual-lane/plugin-dual-lane-node/testUtils';
import {
  byCheck,
  ISSUER,
  MERGE_BASE,
  submit,
  SupplyChainTestKit,
  WORKFLOW,
} from './__testUtils__/supplyChainTestKit';

/*
 * Several trusted roots: the public-good instance and GitHub's own (which
 * signs private repositories' attestations with a timestamp and no
 * transparency log). A bundle is verified against the root whose
 * certificate authority issued its certificate, with that root's
 * thresholds.
 */

const databases = createTestDatabases();

let kit: SupplyChainTestKit;
let github: TestSigstore;
let stranger: TestSigstore;
beforeAll(async () => {
  kit = await SupplyChainTestKit.create();
  github = await createTestSigstore();
  stranger = await createTestSigstore();
});

let built = 0;

async function signedBy(instance: TestSigstore, o: { tlog: boolean }) {
  built += 1;
  const bytes = await createArtifactBundle({
    mergeBaseSha: MERGE_BASE,
    changesPatch: `change ${built}\n`,
  });
  const bundle = await instance.signKeyless({
    payload: Buffer.from(
      JSON.stringify(
        slsaV1Statement({
          subjects: [{ name: 'artifact.tar.gz', sha256: sha256Hex(bytes) }],
          repository: 'acme/widget',
          commit: MERGE_BASE,
        }),
      ),
    ),
    identity: WORKFLOW,
    issuer: ISSUER,
    tlog: o.tlog,
    timestamp: !o.tlog,
    extensions: {
      sourceRepositoryUri: 'https://github.com/acme/widget',
      sourceRepositoryDigest: MERGE_BASE,
      buildSignerUri: WORKFLOW,
      runnerEnvironment: 'github-hosted',
    },
  });
  return { bytes, bundle };
}

function twoRoots() {
  return kit.config({
    verification: {
      trustedRoots: [
        { name: 'public-good', path: '/unused/public-good.json' },
        {
          name: 'github',
          path: '/unused/github.json',
          keyless: {
            tlogThreshold: 0,
            ctlogThreshold: 0,
            timestampThreshold: 1,
          },
        },
      ],
    },
  });
}

describe.each(databases.eachSupportedId())(
  'several trusted roots on %p',
  id => {
    it("verifies each bundle against the root that issued its certificate, with that root's thresholds", async () => {
      const { store, repository } = await kit.setup(databases, id);
      const s = kit.services(store, twoRoots(), {
        loadTrustedRoot: async root =>
          root.name === 'github'
            ? github.trustedRootJSON
            : kit.sigstore.trustedRootJSON,
      });
      const publicGood = await submit(
        s,
        repository,
        await signedBy(kit.sigstore, { tlog: true }),
        'public.tar.gz',
      );
      const fromGithub = await submit(
        s,
        repository,
        await signedBy(github, { tlog: false }),
        'private.tar.gz',
      );
      expect(byCheck(publicGood).signature).toMatchObject({
        outcome: 'verified',
        trustedRoot: expect.stringMatching(
          /^file:\/unused\/public-good\.json#sha256:/,
        ),
      });
      expect(byCheck(fromGithub).signature).toMatchObject({
        outcome: 'verified',
        trustedRoot: expect.stringMatching(
          /^file:\/unused\/github\.json#sha256:/,
        ),
      });
      expect(fromGithub.status).toBe('verified');
      expect(byCheck(fromGithub).signature.policy.trustedRoots).toEqual([
        expect.objectContaining({
          name: 'public-good',
          keyless: {
            tlogThreshold: 1,
            ctlogThreshold: 1,
            timestampThreshold: 1,
          },
        }),
        expect.objectContaining({
          name: 'github',
          keyless: {
            tlogThreshold: 0,
            ctlogThreshold: 0,
            timestampThreshold: 1,
          },
        }),
      ]);

      const unknown = await submit(
        s,
        repository,
        await signedBy(stranger, { tlog: true }),
        'stranger.tar.gz',
      );
      expect(byCheck(unknown).signature).toMatchObject({
        outcome: 'failed',
        signerIdentity: WORKFLOW,
        reason:
          'untrusted certificate authority: the signing certificate was issued by no certificate authority of the trusted roots (public-good, github)',
      });
    });

    it('leaves a bundle of a root that cannot be loaded unverified while the other root keeps verifying', async () => {
      const { store, repository } = await kit.setup(databases, id);
      const s = kit.services(store, twoRoots(), {
        loadTrustedRoot: async root => {
          if (root.name === 'github') throw new Error('ENOENT: no such file');
          return kit.sigstore.trustedRootJSON;
        },
      });
      const publicGood = await submit(
        s,
        repository,
        await signedBy(kit.sigstore, { tlog: true }),
        'public.tar.gz',
      );
      expect(byCheck(publicGood).signature.outcome).toBe('verified');
      const fromGithub = await submit(
        s,
        repository,
        await signedBy(github, { tlog: false }),
        'private.tar.gz',
      );
      expect(byCheck(fromGithub).signature).toMatchObject({
        outcome: 'unverified',
        reason:
          'trusted root unavailable from file:/unused/github.json: ENOENT: no such file',
      });
    });

    it('does not re-verify while a trusted root has never loaded (cold start during a TUF outage)', async () => {
      const { store, repository, services: s } = await kit.setup(databases, id);
      const run = await submit(s, repository, await kit.signedArtifact());
      expect(run.status).toBe('verified');

      const logger = {
        warn: jest.fn(),
        info: jest.fn(),
        error: jest.fn(),
        debug: jest.fn(),
        child: jest.fn(),
      };
      logger.child.mockReturnValue(logger);
      const restarted = kit.services(store, kit.config(), {
        logger: logger as any,
        loadTrustedRoot: async () => {
          throw Object.assign(
            new Error('getaddrinfo ENOTFOUND tuf-repo-cdn.sigstore.dev'),
            {
              code: 'TUF_REFRESH_METADATA_ERROR',
            },
          );
        },
      });
      const result = await restarted.reverifier.reverify();
      expect(result).toMatchObject({
        reverified: 0,
        changes: [],
        skipped: expect.stringContaining('trusted root default is unavailable'),
      });
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'Re-verification skipped: trusted root default is unavailable',
        ),
      );
      expect((await store.supplyChain.getArtifact(run.id))!.status).toBe(
        'verified',
      );
    });
  },
);
