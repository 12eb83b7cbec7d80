import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { Repository } from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../../database';
import { GithubClientFactory } from '../../github/GithubClientFactory';
import { readGatesConfig, readGithubSyncConfig } from '../gatesConfig';
import { createGateSyncDeps, GateSyncDeps } from '../syncDeps';
import {
  FakeCommit,
  FakePull,
  FakeRepo,
  GITHUB_ACTIONS,
  newId,
  sha,
} from './fakeGithub';

export const T0 = '2025-01-19T10:00:00Z';

/** Minutes after T0, as an ISO timestamp. */
export function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString().replace('.000Z', 'Z');
}

export const GATE_CHECKS = [
  'Run Gate 3 for PRD-12',
  'Check Story Release Gate',
  'Verify SLSA Provenance',
  'Validate Policy Bundle',
];

export function testConfig(extra: JsonObject = {}) {
  return new ConfigReader({
    integrations: { github: [{ host: 'github.com', token: 'ghs_test' }] },
    dualLane: {
      verdicts: { supervisors: ['plan-bot'] },
      sync: { github: { closedLookback: { days: 3650 } } },
      ...extra,
    },
  });
}

export function createTestDeps(
  store: DualLaneStore,
  config = testConfig(),
  logger = mockServices.logger.mock(),
): GateSyncDeps {
  return createGateSyncDeps({
    store,
    github: GithubClientFactory.fromConfig(config, {
      logger,
      serverErrorRetryBaseMs: 1,
      serverErrorRetries: 2,
    }),
    config: readGatesConfig(config),
    sync: readGithubSyncConfig(config),
    logger,
  });
}

/** Stores the repository and an entity pointing at it, as the catalog sync does. */
export async function registerRepository(
  store: DualLaneStore,
  owner = 'acme',
  name = 'widget',
  entity = `component:default/${name}`,
): Promise<Repository> {
  const ids = await store.repositories.upsertRepositories([{ host: 'github.com', owner, name }]);
  const id = ids.get(`github.com/${owner}/${name}`.toLowerCase())!;
  const [, ns, n] = /^component:([^/]+)\/(.+)$/.exec(entity)!;
  await store.repositories.upsertEntities([
    {
      entityRef: entity,
      kind: 'Component',
      namespace: ns,
      name: n,
      repositoryId: id,
      annotations: {},
    },
  ]);
  return (await store.repositories.getRepository(id))!;
}

export function commit(message: string, minutes: number): FakeCommit {
  return { sha: sha(`${message}:${minutes}`), message, date: at(minutes) };
}

/** The four gates on a commit, all green unless overridden by check name. */
export function addGateRuns(
  repo: FakeRepo,
  headSha: string,
  minutes: number,
  overrides: Record<string, Partial<{ conclusion: string; status: 'queued' | 'in_progress' | 'completed'; app: { id: number; slug: string } }>> = {},
) {
  for (const name of GATE_CHECKS) {
    const o = overrides[name] ?? {};
    repo.checkRuns.push({
      id: newId(),
      name,
      headSha,
      status: o.status ?? 'completed',
      conclusion: o.conclusion ?? 'success',
      startedAt: at(minutes),
      completedAt: at(minutes + 2),
      app: o.app ?? GITHUB_ACTIONS,
    });
  }
}

/**
 * The seed's pilot: `staging/<slug>` carries `[CODEX-READY:<slug>]`, the
 * pull request from `feature/<slug>` carries `[CLAUDE-APPLIED:<slug>]`,
 * the gates ran on its head and PLAN reviewed it.
 */
export function addLanePull(
  repo: FakeRepo,
  options: {
    number: number;
    slug: string;
    minutes?: number;
    labels?: string[];
    gates?: Parameters<typeof addGateRuns>[3] | 'none';
    review?: { state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED'; body: string; author?: string };
    merged?: boolean;
  },
): FakePull {
  const m = options.minutes ?? 0;
  const ready = commit(`Bridge agents [CODEX-READY:${options.slug}]`, m);
  repo.branches.set(`staging/${options.slug}`, [ready]);
  const applied = commit(`Apply bridge\n\n[CLAUDE-APPLIED:${options.slug}]`, m + 10);
  const pr: FakePull = {
    number: options.number,
    id: newId(),
    title: `PRD-12: ${options.slug}`,
    state: options.merged ? 'closed' : 'open',
    author: 'claude-exec',
    headRef: `feature/${options.slug}`,
    headSha: applied.sha,
    baseRef: 'main',
    createdAt: at(m + 15),
    updatedAt: at(m + 60),
    labels: options.labels ?? [],
    commits: [applied],
    ...(options.merged
      ? {
          closedAt: at(m + 60),
          mergedAt: at(m + 60),
          mergeCommitSha: sha(`merge:${options.number}`),
          mergedBy: 'lead',
        }
      : {}),
  };
  repo.pulls.set(pr.number, pr);
  if (options.gates !== 'none') addGateRuns(repo, pr.headSha, m + 20, options.gates ?? {});
  if (options.review) {
    repo.reviews.set(pr.number, [
      {
        id: newId(),
        author: options.review.author ?? 'plan-bot',
        body: options.review.body,
        state: options.review.state,
        commitId: pr.headSha,
        submittedAt: at(m + 45),
      },
    ]);
  }
  return pr;
}

/** Marks a pull request updated `minutes` after T0 (as GitHub does on any change). */
export function touch(pr: FakePull, minutes: number) {
  pr.updatedAt = at(minutes);
}
