import { createTestDatabases, createTestStore } from '../__testUtils__/databases';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('RepositoryChanges on %p', id => {
  it('announces the repositories of every gates write, including writes keyed by pull request', async () => {
    const { store } = await createTestStore(databases, id);
    const seen: number[][] = [];
    store.changes.subscribe(ids => {
      seen.push(ids);
    });
    const repos = await store.repositories.upsertRepositories([
      { host: 'github.com', owner: 'acme', name: 'a' },
      { host: 'github.com', owner: 'acme', name: 'b' },
    ]);
    const a = repos.get('github.com/acme/a')!;
    const b = repos.get('github.com/acme/b')!;
    const at = '2026-01-20T10:00:00.000Z';
    const prIds = await store.gates.upsertPullRequests([
      { repositoryId: a, number: 1, title: 't', state: 'open', draft: false, headRef: 'feature/x', headSha: 'a'.repeat(40), baseRef: 'main', createdAt: at, updatedAt: at },
    ]);
    expect(seen.pop()).toEqual([a]);

    await store.gates.upsertVerdicts([
      { pullRequestId: prIds.get(`${a}#1`)!, source: 'api', externalId: 'x', verdict: 'approved', recordedAt: at },
    ]);
    expect(seen.pop()).toEqual([a]);

    await store.gates.updateDerived(prIds.get(`${a}#1`)!, { expectedLabel: 'plan-approved' });
    expect(seen.pop()).toEqual([a]);

    await store.gates.upsertGateRuns([
      { repositoryId: b, source: 'ingest', externalId: '1', gateName: 'g', checkName: 'g', headSha: 'b'.repeat(40), status: 'completed', conclusion: 'success' },
      { repositoryId: b, source: 'ingest', externalId: '2', gateName: 'g', checkName: 'g', headSha: 'b'.repeat(40), status: 'completed', conclusion: 'success' },
    ]);
    expect(seen.pop()).toEqual([b]);

    // Nothing deleted, nothing announced.
    expect(await store.gates.deleteVerdict(prIds.get(`${a}#1`)!, 'review', 'none')).toBe(0);
    expect(seen).toEqual([]);
  });

  it('announces the repository of every supply-chain write', async () => {
    const { store } = await createTestStore(databases, id);
    const seen: number[][] = [];
    store.changes.subscribe(ids => {
      seen.push(ids);
    });
    const repo = (
      await store.repositories.upsertRepositories([
        { host: 'github.com', owner: 'acme', name: 'c' },
      ])
    ).get('github.com/acme/c')!;
    const digest = `sha256:${'3'.repeat(64)}`;
    const artifactId = (
      await store.supplyChain.upsertArtifacts([
        { repositoryId: repo, digest, name: 'artifact.tar.gz', kind: 'artifact-bundle', source: 'ingest' },
      ])
    ).get(`${repo}#${digest}`)!;
    expect(seen.pop()).toEqual([repo]);
    await store.supplyChain.recordVerification({
      artifactId,
      check: 'signature',
      outcome: 'verified',
      verifiedAt: '2026-01-20T10:00:00.000Z',
    });
    expect(seen.pop()).toEqual([repo]);
    await store.supplyChain.setArtifactStatus(artifactId, 'verified');
    expect(seen.pop()).toEqual([repo]);
  });
});
