import { createTestDatabases } from '../../__testUtils__/databases';
import {
  createArtifactBundle,
  sha256Hex,
  slsaV02Statement,
} from '@dual-lane/plugin-dual-lane-node/testUtils';
import {
  byCheck,
  MERGE_BASE,
  submit,
  SupplyChainTestKit,
  WORKFLOW,
} from './__testUtils__/supplyChainTestKit';

/*
 * A signer that leaves the policy (an identity expires, a key is revoked)
 * changes the policy hash; re-verification then fails what it signed, with
 * that reason, and keeps the earlier verification as history.
 */

const databases = createTestDatabases();

let kit: SupplyChainTestKit;
beforeAll(async () => {
  kit = await SupplyChainTestKit.create();
});

const DAY = 24 * 60 * 60 * 1000;

describe.each(databases.eachSupportedId())('Reverifier on %p', id => {
  it('fails what an identity signed once the identity has expired', async () => {
    const { store, repository } = await kit.setup(databases, id);
    const expiresAt = new Date(Date.now() + DAY).toISOString();
    const config = kit.config({ identity: { expiresAt } });
    const today = kit.services(store, config);
    const run = await submit(today, repository, await kit.signedArtifact());
    expect(run.status).toBe('verified');
    expect((await today.reverifier.reverify()).reverified).toBe(0);

    const later = kit.services(store, config, {
      now: () => new Date(Date.now() + 2 * DAY),
    });
    const result = await later.reverifier.reverify();
    expect(result.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: run.id,
          check: 'signature',
          before: 'verified',
          after: 'failed',
          reason: `signer identity 'widget-release' (${WORKFLOW}) was expired at ${expiresAt}`,
        }),
        expect.objectContaining({
          check: 'provenance',
          before: 'verified',
          after: 'failed',
        }),
      ]),
    );
    expect((await store.supplyChain.getArtifact(run.id))!.status).toBe(
      'failed',
    );
  });

  it('fails what a key signed once the key is revoked', async () => {
    const { store, repository, services: s } = await kit.setup(databases, id);
    const bytes = await createArtifactBundle({ mergeBaseSha: MERGE_BASE });
    const bundle = await kit.signWithReleaseKey(
      slsaV02Statement({
        subjects: [{ name: 'artifact.tar.gz', sha256: sha256Hex(bytes) }],
        repository: 'acme/widget',
        commit: MERGE_BASE,
      }),
    );
    const run = await submit(s, repository, { bytes, bundle });
    expect(run.status).toBe('verified');

    const revoked = kit.services(
      store,
      kit.config({
        key: { status: 'revoked', revokedReason: 'key leaked (INC-7)' },
      }),
    );
    const result = await revoked.reverifier.reverify();
    expect(result.changes).toContainEqual(
      expect.objectContaining({
        id: run.id,
        check: 'signature',
        before: 'verified',
        after: 'failed',
        reason: "signing key 'release-key' was revoked: key leaked (INC-7)",
      }),
    );
    const history = await store.supplyChain.listVerifications({
      artifactIds: [run.id],
      check: 'signature',
    });
    expect(history.map(v => [v.outcome, v.current])).toEqual([
      ['verified', false],
      ['failed', true],
    ]);
    expect(byCheck(run).signature.signerIdentity).toBe('key:release-key');
  });
});
