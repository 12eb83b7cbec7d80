import { createTestDatabases } from '../../__testUtils__/databases';
import { createPolicyBundle } from '@dual-lane/plugin-dual-lane-node/testUtils';
import {
  ISSUER,
  SupplyChainTestKit,
  WORKFLOW,
} from './__testUtils__/supplyChainTestKit';

/*
 * A policy version belongs to the repository that published it: the same
 * bundle published by another repository is another policy version, and
 * the version label of a bundle whose signature verified is never
 * relabelled by a later submission.
 */

const databases = createTestDatabases();

let kit: SupplyChainTestKit;
beforeAll(async () => {
  kit = await SupplyChainTestKit.create();
});

describe.each(databases.eachSupportedId())('policy versions on %p', id => {
  it('keeps one policy version per repository and digest; a signed version keeps its label', async () => {
    const { store, repository, services: s } = await kit.setup(databases, id);
    const otherIds = await store.repositories.upsertRepositories([
      { host: 'github.com', owner: 'mallory', name: 'fork' },
    ]);
    const other = (await store.repositories.getRepository(
      otherIds.get('github.com/mallory/fork')!,
    ))!;
    const bytes = await createPolicyBundle({ revision: 'v1.2.0' });
    const bundle = await kit.sigstore.signKeyless({
      payload: bytes,
      kind: 'message',
      identity: WORKFLOW,
      issuer: ISSUER,
    });

    const original = await s.policies.submitPolicyBundle({
      repository,
      name: 'platform-policies',
      bytes,
      bundle,
    });
    expect(original.status).toBe('verified');

    const elsewhere = await s.policies.submitPolicyBundle({
      repository: other,
      name: 'renamed',
      version: 'v0.0.1-evil',
      bytes,
      bundle,
    });
    expect(elsewhere.id).not.toBe(original.id);

    const relabel = await s.policies.submitPolicyBundle({
      repository,
      name: 'platform-policies',
      version: 'v9.9.9',
      bytes,
      bundle,
    });
    expect(relabel.id).toBe(original.id);

    expect(await store.supplyChain.getPolicyVersion(original.id)).toMatchObject(
      {
        repositoryId: repository.id,
        name: 'platform-policies',
        version: 'v1.2.0',
        status: 'verified',
      },
    );
    expect(
      await store.supplyChain.getPolicyVersion(elsewhere.id),
    ).toMatchObject({
      repositoryId: other.id,
      name: 'renamed',
      version: 'v0.0.1-evil',
    });
    expect(
      (
        await store.supplyChain.listPolicyVersions({
          repositoryIds: [repository.id],
        })
      ).map(p => p.version),
    ).toEqual(['v1.2.0']);
  });

  it('relabels a version whose signature did not verify', async () => {
    const { store, repository, services: s } = await kit.setup(databases, id);
    const bytes = await createPolicyBundle({ revision: 'v1.2.0' });
    const unsigned = await s.policies.submitPolicyBundle({
      repository,
      name: 'platform-policies',
      bytes,
    });
    expect(unsigned.status).toBe('failed');
    await s.policies.submitPolicyBundle({
      repository,
      name: 'platform-policies',
      version: 'v1.2.1',
      bytes,
    });
    expect(
      (await store.supplyChain.getPolicyVersion(unsigned.id))!.version,
    ).toBe('v1.2.1');
  });
});
