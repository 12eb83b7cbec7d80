import { LoggerService } from '@backstage/backend-plugin-api';
import { GateDefinition, Repository } from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';
import { GithubClientFactory } from '../github/GithubClientFactory';
import { BranchProtectionReader } from './BranchProtectionReader';
import { DerivedStateUpdater } from './DerivedStateUpdater';
import { GateFactsWriter } from './GateFactsWriter';
import { GatesConfig, GithubSyncConfig } from './gatesConfig';
import { withProtectionChecks } from './pullRequestDetails';

/** What the GitHub sync, refresh and webhook services share. */
export interface GateSyncDeps {
  store: DualLaneStore;
  github: GithubClientFactory;
  config: GatesConfig;
  sync: GithubSyncConfig;
  protection: BranchProtectionReader;
  derived: DerivedStateUpdater;
  writer: GateFactsWriter;
  logger: LoggerService;
}

export function createGateSyncDeps(options: {
  store: DualLaneStore;
  github: GithubClientFactory;
  config: GatesConfig;
  sync: GithubSyncConfig;
  logger: LoggerService;
}): GateSyncDeps {
  const protection = new BranchProtectionReader(options.store);
  const derived = new DerivedStateUpdater({
    store: options.store,
    config: options.config,
    protection,
  });
  const writer = new GateFactsWriter({
    store: options.store,
    config: options.config,
    derived,
    logger: options.logger,
  });
  return { ...options, protection, derived, writer };
}

/** sync_state key of a repository's pull request listing. */
export function pullsSyncKey(repo: Pick<Repository, 'host' | 'owner' | 'name'>) {
  return `github:pulls:${repo.host}/${repo.owner}/${repo.name}`.toLowerCase();
}

export function repositoryLabel(repo: Pick<Repository, 'host' | 'owner' | 'name'>) {
  return `${repo.host}/${repo.owner}/${repo.name}`;
}

/**
 * The gates whose check runs are stored for a repository: the configured
 * ones plus checks the (last read) protection of the given branches
 * requires, so conformance can judge those too.
 */
export async function trackedGates(
  deps: Pick<GateSyncDeps, 'config' | 'protection'>,
  repo: Repository,
  branches: Iterable<string>,
): Promise<GateDefinition[]> {
  const extra: Array<{ context: string; appId?: number }> = [];
  for (const branch of new Set(branches)) {
    const facts = await deps.protection.cached(repo, branch);
    extra.push(...(facts?.requirements ?? []));
  }
  return withProtectionChecks(deps.config.requiredChecks, extra);
}
