import { Repository } from '@dual-lane/plugin-dual-lane-common';
import { SyncState } from '../../database';
import { forEachLimited } from './concurrency';
import { isRateLimited, newCounters, SyncAbortedError } from './githubRequests';
import { RepositorySync } from './RepositorySync';
import { GateSyncDeps, pullsSyncKey, repositoryLabel } from './syncDeps';

export interface GithubSyncSummary {
  repositories: number;
  succeeded: number;
  /** Repositories that answered 304 (nothing changed). */
  unchanged: number;
  failed: number;
  /** Repositories not reached because the run was aborted. */
  skipped: number;
  requests: number;
  notModified: number;
  pullRequests: number;
  rows: number;
  durationMs: number;
  errors: Array<{ repository: string; error: string }>;
}

/** One or more repositories failed; the others were synced. */
export class GithubSyncFailedError extends Error {
  name = 'GithubSyncFailedError';
  constructor(readonly summary: GithubSyncSummary) {
    super(
      `GitHub gate sync: ${summary.failed} of ${summary.repositories} repositories failed, first: ${summary.errors[0]?.repository}: ${summary.errors[0]?.error}`,
    );
  }
}

function messageOf(error: unknown): string {
  const e = error as { status?: number; message?: string; name?: string };
  const status = typeof e?.status === 'number' ? `HTTP ${e.status}: ` : '';
  return `${status}${e?.message ?? String(error)}`.slice(0, 2000);
}

/**
 * Syncs every repository a catalog entity points at, a few at a time,
 * least recently synced first (so repositories an aborted run did not reach
 * go first next time). One repository's failure is recorded in its
 * `sync_state.last_error` and does not stop the others; the task's abort
 * signal stops the run between requests.
 */
export class GithubGateSync {
  private readonly repositorySync: RepositorySync;

  constructor(private readonly deps: GateSyncDeps) {
    this.repositorySync = new RepositorySync(deps);
  }

  async syncAll(options: { signal?: AbortSignal; now?: Date } = {}): Promise<GithubSyncSummary> {
    const { deps } = this;
    const started = Date.now();
    const counters = newCounters();
    const ids = new Set(await deps.store.repositories.repositoryIdsWithEntities());
    const repos = (await deps.store.repositories.listRepositories()).filter(r =>
      ids.has(r.id),
    );
    const states = new Map<number, SyncState | undefined>();
    for (const repo of repos) {
      states.set(repo.id, await deps.store.repositories.getSyncState(pullsSyncKey(repo)));
    }
    repos.sort((a, b) =>
      (states.get(a.id)?.lastSyncedAt ?? '').localeCompare(
        states.get(b.id)?.lastSyncedAt ?? '',
      ),
    );
    const summary: GithubSyncSummary = {
      repositories: repos.length,
      succeeded: 0,
      unchanged: 0,
      failed: 0,
      skipped: 0,
      requests: 0,
      notModified: 0,
      pullRequests: 0,
      rows: 0,
      durationMs: 0,
      errors: [],
    };
    let reached = 0;
    const run = { rateLimited: false };
    await forEachLimited(
      repos,
      deps.sync.concurrency,
      async repo => {
        reached += 1;
        await this.syncOne(repo, states.get(repo.id), summary, counters, options, run);
      },
      // Once the rate limit is spent (the client waited as long as it may),
      // every further repository would fail the same way: stop, the next
      // run starts with the ones not reached.
      () => Boolean(options.signal?.aborted) || run.rateLimited,
    );
    summary.skipped += repos.length - reached;
    summary.requests = counters.requests;
    summary.notModified = counters.notModified;
    summary.durationMs = Date.now() - started;
    const limited = run.rateLimited ? ' (stopped: GitHub rate limit spent)' : '';
    const line = `GitHub gate sync${limited}: ${summary.repositories} repositories (${summary.succeeded} synced, ${summary.unchanged} unchanged, ${summary.failed} failed, ${summary.skipped} not reached), ${summary.requests} requests, ${summary.notModified} not modified (304), ${summary.pullRequests} pull requests, ${summary.rows} rows, ${summary.durationMs} ms`;
    if (summary.failed > 0 || summary.skipped > 0) deps.logger.warn(line);
    else deps.logger.info(line);
    return summary;
  }

  /** Syncs one repository (e.g. right after its entity appeared). */
  async syncRepository(repo: Repository, options: { signal?: AbortSignal } = {}) {
    const counters = newCounters();
    const result = await this.repositorySync.sync(repo, {
      counters,
      signal: options.signal,
    });
    return { ...result, ...counters };
  }

  private async syncOne(
    repo: Repository,
    state: SyncState | undefined,
    summary: GithubSyncSummary,
    counters: ReturnType<typeof newCounters>,
    options: { signal?: AbortSignal; now?: Date },
    run: { rateLimited: boolean },
  ) {
    const { deps } = this;
    try {
      const result = await this.repositorySync.sync(
        repo,
        { counters, signal: options.signal, now: options.now },
        state,
      );
      summary.succeeded += 1;
      if (result.notModified) summary.unchanged += 1;
      summary.pullRequests += result.pullRequests;
      summary.rows += result.rows;
    } catch (error) {
      if (error instanceof SyncAbortedError || options.signal?.aborted) {
        summary.skipped += 1;
        return;
      }
      const message = messageOf(error);
      if (isRateLimited(error)) run.rateLimited = true;
      summary.failed += 1;
      summary.errors.push({ repository: repositoryLabel(repo), error: message });
      deps.logger.warn(
        `GitHub gate sync of ${repositoryLabel(repo)} failed: ${message}`,
      );
      // Keep the cursor and ETag: the next run repeats what this one missed.
      await deps.store.repositories.setSyncState({
        key: pullsSyncKey(repo),
        etag: state?.etag,
        cursor: state?.cursor,
        data: state?.data,
        lastSyncedAt: state?.lastSyncedAt,
        lastError: message,
      });
    }
  }
}
