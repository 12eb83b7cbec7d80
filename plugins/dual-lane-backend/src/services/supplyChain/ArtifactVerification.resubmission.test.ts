import { createTestDatabases } from '../../__testUtils__/databases';
import { createPolicyBundle } from '@dual-lane/plugin-dual-lane-node/testUtils';
import {
  byCheck,
  ISSUER,
  submit,
  SupplyChainTestKit,
  WORKFLOW,
} from './__testUtils__/supplyChainTestKit';

/*
 * The same artifact can arrive again: attached to another release without
 * its `.sigstore.json`, pushed with a bogus bundle, or too large to
 * download this time. None of that may turn what verified into a failure.
 */

const databases = createTestDatabases();

let kit: SupplyChainTestKit;
beforeAll(async () => {
  kit = await SupplyChainTestKit.create();
});

describe.each(databases.eachSupportedId())(
  're-submitting a verified subject on %p',
  id => {
    it('keeps the verified bundle when the artifact comes again without one or with a worse one', async () => {
      const { store, repository, services: s } = await kit.setup(databases, id);
      const signed = await kit.signedArtifact();
      const first = await submit(s, repository, signed);
      expect(first.status).toBe('verified');

      const bare = await submit(
        s,
        repository,
        { bytes: signed.bytes },
        'v2/artifact.tar.gz',
      );
      expect(bare.status).toBe('verified');
      expect(bare.notes).toEqual([
        'this submission has no Sigstore bundle: the stored bundle, which verified, is used',
      ]);

      const bogus = await kit.signedArtifact({
        bytes: signed.bytes,
        identity:
          'https://github.com/mallory/widget/.github/workflows/x.yml@refs/heads/main',
      });
      const worse = await submit(s, repository, bogus, 'v3/artifact.tar.gz');
      expect(worse.status).toBe('verified');
      expect(worse.notes).toEqual([
        expect.stringMatching(
          /^the submitted Sigstore bundle was not used \(failed: wrong identity: .*\): the stored bundle, which verified, is kept$/,
        ),
      ]);

      const refused = await s.verification.submitArtifact({
        repository,
        name: 'v4/artifact.tar.gz',
        kind: 'artifact-bundle',
        source: 'release-asset',
        digest: first.digest,
        rejectedReason:
          'release asset artifact.tar.gz is too large: not downloaded',
      });
      expect(refused.status).toBe('verified');
      expect(refused.notes).toEqual([
        'release asset artifact.tar.gz is too large: not downloaded; what was stored from an earlier submission is verified instead',
        'this submission has no Sigstore bundle: the stored bundle, which verified, is used',
      ]);

      const history = await store.supplyChain.listVerifications({
        artifactIds: [first.id],
        check: 'signature',
      });
      expect(history.map(v => v.outcome)).toEqual(['verified']);
    });

    it('takes a bundle that verifies in place of one that did not', async () => {
      const { repository, services: s } = await kit.setup(databases, id);
      const signed = await kit.signedArtifact();
      const unsigned = await submit(s, repository, { bytes: signed.bytes });
      expect(unsigned.status).toBe('failed');
      const fixed = await submit(s, repository, signed);
      expect(fixed.status).toBe('verified');
      expect(byCheck(fixed).signature.outcome).toBe('verified');
    });

    it('keeps a verified policy bundle signed when it comes again without its bundle', async () => {
      const { repository, services: s } = await kit.setup(databases, id);
      const bytes = await createPolicyBundle();
      const bundle = await kit.sigstore.signKeyless({
        payload: bytes,
        kind: 'message',
        identity: WORKFLOW,
        issuer: ISSUER,
      });
      const first = await s.policies.submitPolicyBundle({
        repository,
        name: 'policies',
        bytes,
        bundle,
      });
      expect(first.status).toBe('verified');
      const again = await s.policies.submitPolicyBundle({
        repository,
        name: 'policies',
        bytes,
      });
      expect(again.status).toBe('verified');
      expect(again.notes).toEqual([
        'this submission has no Sigstore bundle: the stored bundle, which verified, is used',
      ]);
    });
  },
);
