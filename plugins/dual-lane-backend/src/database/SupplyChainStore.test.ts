import {
  createTestDatabases,
  createTestStore,
} from '../__testUtils__/databases';
import { rollbackAllMigrations } from './migrations';

const databases = createTestDatabases();
const T1 = '2026-11-20T10:00:00.000Z';
const T2 = '2026-11-21T10:00:00.000Z';

async function withArtifact(id: Parameters<typeof createTestStore>[1]) {
  const { knex, store } = await createTestStore(databases, id);
  const repos = await store.repositories.upsertRepositories([
    { host: 'github.com', owner: 'acme', name: 'widget' },
  ]);
  const repositoryId = repos.get('github.com/acme/widget')!;
  const ids = await store.supplyChain.upsertArtifacts([
    {
      repositoryId,
      digest: `sha256:${'1'.repeat(64)}`,
      name: 'artifact.tar.gz',
      kind: 'artifact-bundle',
      source: 'ingest',
    },
  ]);
  return {
    knex,
    store,
    repositoryId,
    artifactId: ids.get(`${repositoryId}#sha256:${'1'.repeat(64)}`)!,
  };
}

describe.each(databases.eachSupportedId())('SupplyChainStore on %p', id => {
  it('keeps one current verification per artifact and check when recorded concurrently', async () => {
    const { store, artifactId } = await withArtifact(id);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store.supplyChain.recordVerification({
          artifactId,
          check: 'signature',
          outcome: i % 2 ? 'verified' : 'failed',
          reason: `run ${i}`,
          verifiedAt: T1,
        }),
      ),
    );
    const all = await store.supplyChain.listVerifications({
      artifactIds: [artifactId],
    });
    expect(all).toHaveLength(12);
    expect(all.filter(v => v.current)).toHaveLength(1);
  });

  it('refuses a second current row for the same check in the database itself', async () => {
    const { knex, artifactId } = await withArtifact(id);
    const row = {
      artifact_id: artifactId,
      check: 'provenance',
      outcome: 'verified',
      current: true,
      verified_at: T1,
    };
    await knex('verifications').insert(row);
    // The engines' error classes come from native modules; compare messages.
    const refused = await knex('verifications')
      .insert(row)
      .then(
        () => 'inserted',
        (error: Error) => error.message,
      );
    expect(refused).toMatch(/unique/i);
    await knex('verifications').insert({ ...row, current: false });
    await knex('verifications').insert({ ...row, check: 'sbom' });
  });

  it('moves verified_at of the current verification without adding history', async () => {
    const { store, artifactId } = await withArtifact(id);
    const first = await store.supplyChain.recordVerification({
      artifactId,
      check: 'sbom',
      outcome: 'verified',
      verifiedAt: T1,
    });
    const touched = await store.supplyChain.touchVerification(first.id, T2);
    expect(touched).toEqual({ ...first, verifiedAt: T2 });
    expect(
      await store.supplyChain.listVerifications({ artifactIds: [artifactId] }),
    ).toEqual([touched]);
  });

  it('rolls the supply-chain migrations back even with one bundle in two repositories', async () => {
    const { knex, store, repositoryId } = await withArtifact(id);
    const other = (
      await store.repositories.upsertRepositories([
        { host: 'github.com', owner: 'acme', name: 'other' },
      ])
    ).get('github.com/acme/other')!;
    const digest = `sha256:${'2'.repeat(64)}`;
    for (const repo of [repositoryId, other]) {
      const ids = await store.supplyChain.upsertPolicyVersions([
        { repositoryId: repo, name: 'p', version: 'v1', digest, policies: [] },
      ]);
      await store.supplyChain.recordVerification({
        policyVersionId: ids.get(digest)!,
        check: 'signature',
        outcome: 'verified',
        verifiedAt: T1,
      });
    }
    await rollbackAllMigrations(knex);
    expect(await knex.schema.hasTable('policy_versions')).toBe(false);
  });

  it('finds the policy gate run that completed last, whatever order the runs were written in', async () => {
    const { store, repositoryId } = await withArtifact(id);
    const run = (externalId: string, digest: string, completedAt?: string) => ({
      repositoryId,
      source: 'github' as const,
      externalId,
      gateName: 'Policy Verification / Validate Policy Bundle',
      checkName: 'Validate Policy Bundle',
      headSha: externalId.repeat(40).slice(0, 40),
      status: completedAt ? ('completed' as const) : ('in_progress' as const),
      conclusion: completedAt ? ('success' as const) : undefined,
      policyDigest: `sha256:${digest.repeat(64)}`,
      startedAt: T1,
      completedAt,
    });
    // A first sync writes the newest run first and an older one after it.
    await store.gates.upsertGateRuns([run('1', 'a', T2), run('2', 'b', T1)]);
    await store.gates.upsertGateRuns([run('3', 'c')]);
    const latest = await store.supplyChain.latestPolicyGateRuns([repositoryId]);
    expect(latest.get(repositoryId)).toMatchObject({
      headSha: '1'.repeat(40),
      policyDigest: `sha256:${'a'.repeat(64)}`,
      completedAt: T2,
    });
  });
});
