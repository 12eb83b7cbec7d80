import fs from 'node:fs';
import path from 'node:path';
import { Knex } from 'knex';
import {
  createTestDatabases,
  createTestStore,
} from '../__testUtils__/databases';
import { DualLaneStore } from './DualLaneStore';
import {
  applyDatabaseMigrations,
  readSchemaVersion,
  rollbackAllMigrations,
} from './migrations';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const T0 = '2026-01-20T10:00:00.000Z';
const T1 = '2026-01-20T11:30:00.000Z';
const T2 = '2026-01-21T08:15:00.000Z';

async function seedRepo(store: DualLaneStore) {
  const ids = await store.repositories.upsertRepositories([
    { host: 'github.com', owner: 'Acme', name: 'Widget', defaultBranch: 'main' },
  ]);
  return ids.get('github.com/acme/widget')!;
}

function pr(repositoryId: number, number: number, overrides = {}) {
  return {
    repositoryId,
    number,
    externalId: 2_000_000_000 + number,
    title: `Change ${number}`,
    state: 'open' as const,
    draft: false,
    author: 'codex-bot',
    headRef: `feature/change-${number}`,
    headSha: `${'a'.repeat(39)}${number % 10}`,
    baseRef: 'main',
    laneSlug: `change-${number}`,
    createdAt: T0,
    updatedAt: T1,
    labels: ['claude-enforcing'],
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())('DualLaneStore on %p', id => {
  let knex: Knex;
  let store: DualLaneStore;

  beforeEach(async () => {
    ({ knex, store } = await createTestStore(databases, id));
  });

  it('reports the schema version, and a second migration run is a no-op', async () => {
    const before = await readSchemaVersion(knex);
    const files = fs
      .readdirSync(path.resolve(__dirname, '../../migrations'))
      .filter(f => f.endsWith('.js'))
      .sort();
    expect(before).toEqual({
      version: files[files.length - 1],
      applied: files.length,
    });
    const tables = async () =>
      id === 'SQLITE_3'
        ? (
            await knex.raw(
              "select name from sqlite_master where type='table' order by name",
            )
          ).map((r: any) => r.name)
        : (
            await knex.raw(
              "select tablename as name from pg_tables where schemaname = current_schema() order by tablename",
            )
          ).rows.map((r: any) => r.name);
    const tablesBefore = await tables();
    await applyDatabaseMigrations(knex);
    expect(await readSchemaVersion(knex)).toEqual(before);
    expect(await tables()).toEqual(tablesBefore);
  });

  it('rolls every migration back and forward again', async () => {
    const repoId = await seedRepo(store);
    expect(repoId).toBeGreaterThan(0);
    await rollbackAllMigrations(knex);
    expect(await knex.schema.hasTable('repositories')).toBe(false);
    expect((await readSchemaVersion(knex)).applied).toBe(0);
    await applyDatabaseMigrations(knex);
    expect(await store.repositories.listRepositories()).toEqual([]);
  });

  it('round-trips repositories, entities and sync state', async () => {
    const ids = await store.repositories.upsertRepositories([
      {
        host: 'github.com',
        owner: 'Acme',
        name: 'Widget',
        defaultBranch: 'main',
        defaultBranchSha: 'f'.repeat(40),
        externalId: 9_007_199_254_000,
      },
    ]);
    const repoId = ids.get('github.com/acme/widget')!;
    expect(await store.repositories.getRepository(repoId)).toEqual({
      id: repoId,
      host: 'github.com',
      owner: 'acme',
      name: 'widget',
      defaultBranch: 'main',
      defaultBranchSha: 'f'.repeat(40),
      externalId: 9_007_199_254_000,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    // A partial upsert keeps what it does not mention, and the id.
    const again = await store.repositories.upsertRepositories([
      { host: 'GitHub.com', owner: 'acme', name: 'widget' },
    ]);
    expect(again.get('github.com/acme/widget')).toBe(repoId);
    expect((await store.repositories.getRepository(repoId))!.defaultBranchSha).toBe(
      'f'.repeat(40),
    );

    const entity = {
      entityRef: 'component:default/widget',
      kind: 'Component',
      namespace: 'default',
      name: 'widget',
      title: 'Widget',
      ownerRef: 'group:default/platform',
      systemRef: 'system:default/payments',
      repositoryId: repoId,
      annotations: { 'dual-lane/thresholds': '{"verdictCoverage":90}' },
    };
    await store.repositories.upsertEntities([entity]);
    await store.repositories.upsertEntities([entity]);
    expect(await store.repositories.listEntities()).toEqual([
      { ...entity, updatedAt: expect.any(String) },
    ]);
    expect(await store.repositories.deleteEntitiesExcept([])).toBe(1);
    expect(await store.repositories.listEntities()).toEqual([]);

    await store.repositories.setSyncState({
      key: 'github:pulls:acme/widget',
      etag: 'W/"abc"',
      cursor: T1,
      data: { pages: 3, nested: { ok: true } },
      lastSyncedAt: T2,
    });
    expect(await store.repositories.getSyncState('github:pulls:acme/widget')).toEqual({
      key: 'github:pulls:acme/widget',
      etag: 'W/"abc"',
      cursor: T1,
      data: { pages: 3, nested: { ok: true } },
      lastSyncedAt: T2,
      lastError: undefined,
    });
  });

  it('round-trips pull requests, labels, gate runs, lane events, verdicts, rework cycles and negative tests', async () => {
    const repoId = await seedRepo(store);
    const ids = await store.gates.upsertPullRequests([
      pr(repoId, 7, {
        mergeCommitSha: 'c'.repeat(40),
        state: 'merged',
        mergedAt: T2,
        closedAt: T2,
        mergedBy: 'lead',
        expectedLabel: 'plan-approved',
        conformance: { conforming: true, missing: [] },
        labels: ['plan-approved', 'area/api'],
      }),
    ]);
    const prId = ids.get(`${repoId}#7`)!;
    const stored = await store.gates.getPullRequest(repoId, 7);
    expect(stored).toEqual({
      ...pr(repoId, 7),
      id: prId,
      state: 'merged',
      mergeCommitSha: 'c'.repeat(40),
      mergedAt: T2,
      closedAt: T2,
      mergedBy: 'lead',
      expectedLabel: 'plan-approved',
      conformance: { conforming: true, missing: [] },
      labels: ['area/api', 'plan-approved'],
    });

    const run = {
      repositoryId: repoId,
      pullRequestId: prId,
      source: 'github' as const,
      externalId: '31415926535',
      gateName: 'SLSA Verification / Verify SLSA Provenance',
      checkName: 'Verify SLSA Provenance',
      headSha: stored!.headSha,
      status: 'completed' as const,
      conclusion: 'success' as const,
      appId: 15368,
      appSlug: 'github-actions',
      detailsUrl: 'https://github.com/acme/widget/runs/31415926535',
      startedAt: T0,
      completedAt: T1,
    };
    await store.gates.upsertGateRuns([run]);
    const runs = await store.gates.listGateRuns({ pullRequestIds: [prId] });
    expect(runs).toEqual([
      { ...run, id: expect.any(Number), policyDigest: undefined, updatedAt: expect.any(String) },
    ]);

    const event = {
      repositoryId: repoId,
      pullRequestId: prId,
      kind: 'codex-ready' as const,
      slug: 'change-7',
      branch: 'staging/change-7',
      commitSha: 'b'.repeat(40),
      occurredAt: T0,
    };
    await store.gates.upsertLaneEvents([event]);
    expect(await store.gates.listLaneEvents({ pullRequestIds: [prId] })).toEqual([
      { ...event, id: expect.any(Number) },
    ]);

    const verdict = {
      pullRequestId: prId,
      source: 'review' as const,
      externalId: '1001',
      verdict: 'approved' as const,
      author: 'plan-supervisor',
      body: '[PLAN-VERDICT:approved] ship it',
      commitSha: stored!.headSha,
      recordedAt: T2,
    };
    await store.gates.upsertVerdicts([verdict]);
    expect(await store.gates.listVerdicts([prId])).toEqual([
      { ...verdict, id: expect.any(Number) },
    ]);

    await store.gates.replaceReworkCycles(prId, [
      { cycle: 1, startedAt: T0, endedAt: T1, verdict: 'changes-requested' },
      { cycle: 2, startedAt: T1 },
    ]);
    expect(await store.gates.listReworkCycles([prId])).toEqual([
      { pullRequestId: prId, cycle: 1, startedAt: T0, endedAt: T1, verdict: 'changes-requested' },
      { pullRequestId: prId, cycle: 2, startedAt: T1, endedAt: undefined, verdict: undefined },
    ]);

    const negative = {
      repositoryId: repoId,
      pullRequestId: prId,
      testName: 'provenance-replay',
      environment: 'production' as const,
      commitSha: 'd'.repeat(40),
      blocked: true,
      evidenceUrl: 'https://github.com/acme/widget/actions/runs/1',
      observedAt: T1,
    };
    await store.gates.upsertNegativeTests([negative, { ...negative, testName: 'unsigned-image', blocked: false }]);
    expect(await store.gates.listNegativeTests(repoId)).toEqual([
      { ...negative, id: expect.any(Number) },
      { ...negative, testName: 'unsigned-image', blocked: false, id: expect.any(Number) },
    ]);
  });

  it('re-upserting the same facts changes nothing', async () => {
    const repoId = await seedRepo(store);
    const input = [pr(repoId, 1), pr(repoId, 2)];
    const first = await store.gates.upsertPullRequests(input);
    const second = await store.gates.upsertPullRequests(input);
    expect(second).toEqual(first);
    const run = {
      repositoryId: repoId,
      source: 'ingest' as const,
      externalId: 'jenkins-42',
      gateName: 'LEO Gate Validation / Run Gate 3 for PRD-*',
      checkName: 'Run Gate 3 for PRD-12',
      headSha: 'e'.repeat(40),
      status: 'completed' as const,
      conclusion: 'failure' as const,
    };
    await store.gates.upsertGateRuns([run, run]);
    await store.gates.upsertGateRuns([run]);
    const count = async (table: string) =>
      Number((await knex(table).count({ n: '*' }))[0].n);
    expect(await count('pull_requests')).toBe(2);
    expect(await count('pull_request_labels')).toBe(2);
    expect(await count('gate_runs')).toBe(1);
  });

  it('keeps derived fields and the merger when a later copy omits them', async () => {
    const repoId = await seedRepo(store);
    const ids = await store.gates.upsertPullRequests([
      pr(repoId, 4, { state: 'merged', mergedBy: 'lead', updatedAt: T1 }),
    ]);
    const prId = ids.get(`${repoId}#4`)!;
    await store.gates.updateDerived(prId, {
      expectedLabel: 'plan-approved',
      conformance: { conforming: true },
    });
    await store.gates.upsertPullRequests([pr(repoId, 4, { state: 'merged', updatedAt: T2 })]);
    expect(await store.gates.getPullRequest(repoId, 4)).toMatchObject({
      mergedBy: 'lead',
      expectedLabel: 'plan-approved',
      conformance: { conforming: true },
      updatedAt: T2,
    });
    expect(await store.gates.pullRequestsOfLane(repoId, 'change-4')).toEqual([
      { id: prId, number: 4, headSha: pr(repoId, 4).headSha, updatedAt: T2, state: 'merged' },
    ]);
    expect(await store.gates.pullRequestsAtCommit(repoId, pr(repoId, 4).headSha)).toHaveLength(1);
    expect(await store.gates.openPullRequests(repoId)).toEqual([]);
  });

  it('never moves a pull request or a completed gate run backwards', async () => {
    const repoId = await seedRepo(store);
    await store.gates.upsertPullRequests([
      pr(repoId, 3, { updatedAt: T2, state: 'merged', labels: ['plan-approved'] }),
    ]);
    // An older delivery arrives late.
    await store.gates.upsertPullRequests([
      pr(repoId, 3, { updatedAt: T1, state: 'open', labels: ['claude-enforcing'] }),
    ]);
    const stored = await store.gates.getPullRequest(repoId, 3);
    expect(stored!.state).toBe('merged');
    expect(stored!.labels).toEqual(['plan-approved']);

    const base = {
      repositoryId: repoId,
      source: 'github' as const,
      externalId: '99',
      gateName: 'g',
      checkName: 'g',
      headSha: 'e'.repeat(40),
    };
    await store.gates.upsertGateRuns([{ ...base, status: 'completed', conclusion: 'success' }]);
    await store.gates.upsertGateRuns([{ ...base, status: 'in_progress' }]);
    const [run] = await store.gates.listGateRuns({ repositoryId: repoId });
    expect(run.status).toBe('completed');
    expect(run.conclusion).toBe('success');
  });

  it('writes batches over 1,000 rows within the engine variable limit', async () => {
    const repoId = await seedRepo(store);
    const prs = Array.from({ length: 2_500 }, (_, i) => pr(repoId, i + 1));
    const ids = await store.gates.upsertPullRequests(prs);
    expect(ids.size).toBe(2_500);
    const runs = Array.from({ length: 5_000 }, (_, i) => ({
      repositoryId: repoId,
      pullRequestId: ids.get(`${repoId}#${(i % 2_500) + 1}`),
      source: 'github' as const,
      externalId: String(10_000_000_000 + i),
      gateName: 'Policy Verification / Validate Policy Bundle',
      checkName: 'Validate Policy Bundle',
      headSha: 'a'.repeat(40),
      status: 'completed' as const,
      conclusion: 'success' as const,
      appId: 15368,
    }));
    await store.gates.upsertGateRuns(runs);
    const stored = await store.gates.listGateRuns({
      pullRequestIds: [...ids.values()],
    });
    expect(stored).toHaveLength(5_000);
    expect(stored.every(r => typeof r.appId === 'number')).toBe(true);

    const page1 = await store.gates.listPullRequests({
      repositoryIds: [repoId],
      limit: 1_000,
    });
    expect(page1.totalCount).toBe(2_500);
    expect(page1.items).toHaveLength(1_000);
    const page3 = await store.gates.listPullRequests({
      repositoryIds: [repoId],
      limit: 1_000,
      cursor: (
        await store.gates.listPullRequests({
          repositoryIds: [repoId],
          limit: 1_000,
          cursor: page1.nextCursor,
        })
      ).nextCursor,
    });
    expect(page3.items).toHaveLength(500);
    expect(page3.nextCursor).toBeUndefined();
    const seen = new Set([...page1.items, ...page3.items].map(p => p.id));
    expect(seen.size).toBe(1_500);
  });

  it('round-trips artifacts, policy versions and verifications with history', async () => {
    const repoId = await seedRepo(store);
    const artifactIds = await store.supplyChain.upsertArtifacts([
      {
        repositoryId: repoId,
        digest: `sha256:${'1'.repeat(64)}`,
        name: 'artifact.tar.gz',
        kind: 'artifact-bundle',
        sizeBytes: 5_000_000_000,
        source: 'release-asset',
        sourceUrl: 'https://github.com/acme/widget/releases/download/v1/artifact.tar.gz',
        commitSha: 'c'.repeat(40),
        mergeBaseSha: 'b'.repeat(40),
        sbomSummary: { components: 12, licenses: ['MIT'] },
        contents: [{ path: 'changes.patch', size: 10 }],
      },
    ]);
    const artifactId = artifactIds.get(`${repoId}#sha256:${'1'.repeat(64)}`)!;
    const artifact = await store.supplyChain.getArtifact(artifactId);
    expect(artifact).toMatchObject({
      sizeBytes: 5_000_000_000,
      status: 'unverified',
      sbomSummary: { components: 12, licenses: ['MIT'] },
    });

    const policyIds = await store.supplyChain.upsertPolicyVersions([
      {
        repositoryId: repoId,
        name: 'platform-policies',
        version: '1.2.0',
        digest: `sha256:${'2'.repeat(64)}`,
        signerIdentity: 'https://github.com/acme/policies/.github/workflows/release.yml@refs/tags/v1.2.0',
        policies: [{ name: 'require-signed-images', kind: 'ClusterPolicy', engine: 'kyverno' }],
        publishedAt: T0,
      },
    ]);
    const policyId = policyIds.get(`sha256:${'2'.repeat(64)}`)!;
    expect(await store.supplyChain.listPolicyVersions({ repositoryIds: [repoId] })).toEqual([
      expect.objectContaining({
        id: policyId,
        version: '1.2.0',
        status: 'unverified',
        policies: [{ name: 'require-signed-images', kind: 'ClusterPolicy', engine: 'kyverno' }],
        publishedAt: T0,
      }),
    ]);

    const first = await store.supplyChain.recordVerification({
      artifactId,
      check: 'signature',
      outcome: 'verified',
      signerIdentity: 'https://github.com/acme/widget/.github/workflows/build.yml@refs/heads/main',
      signerIssuer: 'https://token.actions.githubusercontent.com',
      tlogIndex: 123_456_789_012,
      trustedRoot: 'public-good',
      policyHash: 'sha256:abc',
      policy: { issuer: 'https://token.actions.githubusercontent.com' },
      verifiedAt: T1,
    });
    expect(first.current).toBe(true);
    expect(first.tlogIndex).toBe(123_456_789_012);
    const second = await store.supplyChain.recordVerification({
      artifactId,
      check: 'signature',
      outcome: 'failed',
      reason: 'signer identity revoked',
      verifiedAt: T2,
    });
    const all = await store.supplyChain.listVerifications({ artifactIds: [artifactId] });
    expect(all.map(v => [v.id, v.current, v.outcome])).toEqual([
      [first.id, false, 'verified'],
      [second.id, true, 'failed'],
    ]);
    expect(
      await store.supplyChain.listVerifications({ artifactIds: [artifactId], currentOnly: true }),
    ).toEqual([second]);
    await store.supplyChain.recordVerification({
      policyVersionId: policyId,
      check: 'signature',
      outcome: 'failed',
      reason: 'bundle digest does not match the signed digest (tampered)',
      verifiedAt: T2,
    });
    expect(
      await store.supplyChain.listVerifications({ policyVersionIds: [policyId] }),
    ).toHaveLength(1);
    await expect(
      store.supplyChain.recordVerification({ check: 'sbom', outcome: 'failed', verifiedAt: T2 }),
    ).rejects.toThrow(/exactly one artifact or policy version/);
  });

  it('round-trips drift incidents, compliance results, KPI snapshots and waivers', async () => {
    const repoId = await seedRepo(store);
    await store.repositories.upsertEntities([
      {
        entityRef: 'component:default/widget',
        kind: 'Component',
        namespace: 'default',
        name: 'widget',
        repositoryId: repoId,
        annotations: {},
      },
    ]);
    const drift = {
      repositoryId: repoId,
      commitSha: 'a'.repeat(40),
      agentsSha: '1'.repeat(40),
      claudeSha: '2'.repeat(40),
      differences: [{ kind: 'threshold', agents: '≥95%', claude: '≥90%' }],
      detectedAt: T0,
    };
    await store.compliance.upsertDriftIncidents([drift]);
    await store.compliance.upsertDriftIncidents([{ ...drift, detectedAt: T2 }]);
    expect(await store.compliance.listDriftIncidents({ repositoryIds: [repoId] })).toEqual([
      { ...drift, id: expect.any(Number), resolvedAt: undefined },
    ]);
    expect(await store.compliance.resolveDriftIncidents(repoId, new Date(T2))).toBe(1);
    expect(
      await store.compliance.listDriftIncidents({ repositoryIds: [repoId], openOnly: true }),
    ).toEqual([]);

    const result = {
      entityRef: 'component:default/widget',
      verdict: 'no-go' as const,
      failingCount: 2,
      criteria: [{ id: 'verdict-coverage', status: 'fail', value: 0.9 }],
      kpis: { verdictCoverage: 0.9 },
      evaluatedAt: T1,
    };
    await store.compliance.upsertComplianceResults([result]);
    expect(await store.compliance.getComplianceResult('Component:default/Widget')).toEqual(result);

    await store.compliance.upsertKpiSnapshots([
      { entityRef: result.entityRef, day: '2026-01-19', verdict: 'go', kpis: { a: 1 } },
      { entityRef: result.entityRef, day: '2026-01-20', verdict: 'no-go', kpis: { a: 2 } },
    ]);
    expect(await store.compliance.pruneKpiSnapshots('2026-01-20')).toBe(1);
    expect(await store.compliance.listKpiSnapshots(result.entityRef)).toEqual([
      { entityRef: result.entityRef, day: '2026-01-20', verdict: 'no-go', kpis: { a: 2 }, createdAt: expect.any(String) },
    ]);

    const waiver = await store.compliance.createWaiver({
      entityRef: result.entityRef,
      criterion: 'drift-incidents',
      reason: 'AGENTS.md rewrite in flight',
      createdBy: 'user:default/lead',
      createdAt: T0,
      expiresAt: T2,
    });
    expect(
      await store.compliance.listActiveWaivers([result.entityRef], new Date(T1)),
    ).toEqual([waiver]);
    expect(
      await store.compliance.listActiveWaivers([result.entityRef], new Date('2026-01-22T00:00:00Z')),
    ).toEqual([]);
    const revoked = await store.compliance.revokeWaiver(waiver.id, 'user:default/ciso', new Date(T1));
    expect(revoked).toMatchObject({ revokedBy: 'user:default/ciso', revokedAt: T1 });
    expect(await store.compliance.listWaivers(result.entityRef)).toEqual([revoked]);
  });
});
