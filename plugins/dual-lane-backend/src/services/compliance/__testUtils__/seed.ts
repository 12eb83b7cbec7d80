import { DualLaneStore } from '../../../database';

/** Now, to the minute: route tests evaluate with the real clock. */
export const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);
export const DAY = 86_400_000;
export const ago = (days: number, hours = 0) =>
  new Date(NOW.getTime() - days * DAY - hours * 3_600_000).toISOString();

export const GATES = [
  'LEO Gate Validation / Run Gate 3 for PRD-*',
  'Story Release Gate Check / Check Story Release Gate',
  'SLSA Verification / Verify SLSA Provenance',
  'Policy Verification / Validate Policy Bundle',
];

export interface SeedEntity {
  name: string;
  owner?: string;
  system?: string;
  annotations?: Record<string, string>;
}

/** A repository with one or more entities pointing at it. */
export async function seedRepository(
  store: DualLaneStore,
  repo: string,
  entities: SeedEntity[],
): Promise<number> {
  const ids = await store.repositories.upsertRepositories([
    { host: 'github.com', owner: 'acme', name: repo, defaultBranch: 'main' },
  ]);
  const repositoryId = ids.get(`github.com/acme/${repo}`)!;
  await store.repositories.upsertEntities(
    entities.map(e => ({
      entityRef: `component:default/${e.name}`,
      kind: 'Component',
      namespace: 'default',
      name: e.name,
      ownerRef: e.owner,
      systemRef: e.system,
      repositoryId,
      annotations: e.annotations ?? {},
    })),
  );
  return repositoryId;
}

export interface SeedPullRequest {
  number: number;
  state?: 'open' | 'merged' | 'closed';
  title?: string;
  headRef?: string;
  createdAt?: string;
  mergedAt?: string;
  verdict?: boolean;
  rounds?: number;
  expectedLabel?: string;
  labels?: string[];
  /** Gate names passing on the head; the others fail. Default: all. */
  passing?: string[];
  codexReadyAt?: string;
}

/** Pull requests with their verdicts, rounds, labels, gate runs and lane events. */
export async function seedPullRequests(
  store: DualLaneStore,
  repositoryId: number,
  prs: SeedPullRequest[],
): Promise<Map<number, number>> {
  const ids = await store.gates.upsertPullRequests(
    prs.map(p => {
      const createdAt = p.createdAt ?? ago(5);
      const state = p.state ?? 'merged';
      const mergedAt = state === 'merged' ? p.mergedAt ?? ago(4) : undefined;
      return {
        repositoryId,
        number: p.number,
        title: p.title ?? `Change ${p.number}`,
        state,
        draft: false,
        headRef: p.headRef ?? `feature/change-${p.number}`,
        headSha: `${String(p.number).padStart(8, '0')}${'f'.repeat(32)}`,
        baseRef: 'main',
        laneSlug: (p.headRef ?? `feature/change-${p.number}`).startsWith(
          'feature/',
        )
          ? (p.headRef ?? `feature/change-${p.number}`).slice('feature/'.length)
          : undefined,
        createdAt,
        updatedAt: mergedAt ?? createdAt,
        mergedAt,
        closedAt: mergedAt,
        expectedLabel: p.expectedLabel ?? 'plan-approved',
        labels: p.labels ?? [p.expectedLabel ?? 'plan-approved'],
      };
    }),
  );
  const idOf = (n: number) => ids.get(`${repositoryId}#${n}`)!;
  for (const p of prs) {
    const id = idOf(p.number);
    const headSha = `${String(p.number).padStart(8, '0')}${'f'.repeat(32)}`;
    await store.gates.updateDerived(id, {
      expectedLabel: p.expectedLabel ?? 'plan-approved',
    });
    if (p.verdict ?? true) {
      await store.gates.upsertVerdicts([
        {
          pullRequestId: id,
          source: 'review',
          externalId: `r${p.number}`,
          verdict: 'approved',
          author: 'plan-bot',
          recordedAt: ago(4, 1),
        },
      ]);
    }
    const rounds = p.rounds ?? 1;
    if (rounds > 0) {
      await store.gates.replaceReworkCycles(
        id,
        Array.from({ length: rounds }, (_, i) => ({
          cycle: i + 1,
          startedAt: ago(5),
          endedAt: ago(4, 2),
          verdict:
            i === rounds - 1
              ? ('approved' as const)
              : ('changes-requested' as const),
        })),
      );
    }
    const passing = p.passing ?? GATES;
    await store.gates.upsertGateRuns(
      GATES.map((gate, i) => ({
        repositoryId,
        pullRequestId: id,
        source: 'github' as const,
        externalId: `${p.number}-${i}`,
        gateName: gate,
        checkName: gate.split(' / ')[1],
        headSha,
        status: 'completed' as const,
        conclusion: passing.includes(gate)
          ? ('success' as const)
          : ('failure' as const),
        startedAt: ago(4, 3),
        completedAt: ago(4, 2),
      })),
    );
    if (p.codexReadyAt) {
      await store.gates.upsertLaneEvents([
        {
          repositoryId,
          kind: 'codex-ready',
          slug: `change-${p.number}`,
          branch: `staging/change-${p.number}`,
          commitSha: `${String(p.number).padStart(8, '0')}${'e'.repeat(32)}`,
          occurredAt: p.codexReadyAt,
        },
      ]);
    }
  }
  return new Map(prs.map(p => [p.number, idOf(p.number)]));
}

/** Artifacts with current signature and provenance verifications. */
export async function seedArtifacts(
  store: DualLaneStore,
  repositoryId: number,
  artifacts: Array<{ name: string; signed: boolean; provenance: boolean }>,
  createdAt: Date = new Date(NOW.getTime() - 2 * DAY),
) {
  const ids = await store.supplyChain.upsertArtifacts(
    artifacts.map((a, i) => ({
      repositoryId,
      digest: `sha256:${String(repositoryId).padStart(4, '0')}${String(
        i,
      ).padStart(60, '0')}`,
      name: a.name,
      kind: 'artifact-bundle' as const,
      source: 'ingest' as const,
    })),
    createdAt,
  );
  let i = 0;
  for (const a of artifacts) {
    const digest = `sha256:${String(repositoryId).padStart(4, '0')}${String(
      i,
    ).padStart(60, '0')}`;
    const artifactId = ids.get(`${repositoryId}#${digest}`)!;
    for (const [check, ok] of [
      ['signature', a.signed],
      ['provenance', a.provenance],
    ] as const) {
      await store.supplyChain.recordVerification({
        artifactId,
        check,
        outcome: ok ? 'verified' : 'failed',
        reason: ok ? undefined : `${check} did not verify`,
        verifiedAt: createdAt.toISOString(),
      });
    }
    i += 1;
  }
}

/** A production negative test and a successful drift check without incidents. */
export async function seedRuntimeEvidence(
  store: DualLaneStore,
  repositoryId: number,
  options: { blocked?: boolean; driftChecked?: boolean } = {},
) {
  await store.gates.upsertNegativeTests([
    {
      repositoryId,
      testName: 'unsigned-image',
      environment: 'production',
      commitSha: 'c'.repeat(40),
      blocked: options.blocked ?? true,
      observedAt: ago(3),
    },
  ]);
  if (options.driftChecked ?? true) {
    await store.compliance.saveDriftCheck({
      repositoryId,
      defaultBranch: 'main',
      commitSha: 'd'.repeat(40),
      agentsSha: '1'.repeat(40),
      claudeSha: '2'.repeat(40),
      checkedAt: ago(0, 1),
      comparedAt: ago(0, 1),
      differences: 0,
    });
  }
}

/** A repository that meets the whole pass bar. */
export async function seedGoRepository(
  store: DualLaneStore,
  repo: string,
  entities: SeedEntity[],
  prCount = 3,
) {
  const repositoryId = await seedRepository(store, repo, entities);
  await seedPullRequests(
    store,
    repositoryId,
    Array.from({ length: prCount }, (_, i) => ({ number: i + 1 })),
  );
  await seedArtifacts(store, repositoryId, [
    { name: `${repo}.tar.gz`, signed: true, provenance: true },
  ]);
  await seedRuntimeEvidence(store, repositoryId);
  return repositoryId;
}
