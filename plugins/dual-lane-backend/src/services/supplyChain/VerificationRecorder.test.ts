import { createTestDatabases } from '../../__testUtils__/databases';
import { submit, SupplyChainTestKit } from './__testUtils__/supplyChainTestKit';

/*
 * Re-checking what did not change (a second submit, a forced re-verify)
 * must not grow the history: the current row's time moves instead.
 */

const databases = createTestDatabases();

let kit: SupplyChainTestKit;
beforeAll(async () => {
  kit = await SupplyChainTestKit.create();
});

describe.each(databases.eachSupportedId())('VerificationRecorder on %p', id => {
  it('adds no history row for a repeated check with the same result, only a newer time', async () => {
    const { store, repository, services: s } = await kit.setup(databases, id);
    const signed = await kit.signedArtifact();
    const first = await submit(s, repository, signed);
    await new Promise(resolve => setTimeout(resolve, 5));
    const again = await submit(s, repository, signed);
    const forced = await s.reverifier.reverify({ force: true });
    expect(forced).toMatchObject({ reverified: 1, changes: [] });
    expect(again.changed).toEqual([]);

    const history = await store.supplyChain.listVerifications({
      artifactIds: [first.id],
    });
    expect(history.map(v => [v.check, v.current])).toEqual([
      ['signature', true],
      ['provenance', true],
      ['sbom', true],
    ]);
    const before = Object.fromEntries(
      first.verifications.map(v => [v.check, v]),
    );
    for (const v of history) {
      expect(v.id).toBe(before[v.check].id);
      expect(Date.parse(v.verifiedAt)).toBeGreaterThan(
        Date.parse(before[v.check].verifiedAt),
      );
    }
  });
});
