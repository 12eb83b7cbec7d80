import { PullRequest, Repository } from '@dual-lane/plugin-dual-lane-common';
import { SyncState, VerdictInput } from '../../database';
import { PROTECTION_MAX_AGE_MS } from './BranchProtectionReader';
import { RecheckRun, recheckOpenHeads } from './gateRecheck';
import { mapLimited } from './concurrency';
import { negativeTestSkipLogger } from './negativeTestSkipLogger';
import { PullRequestFacts } from './GateFactsWriter';
import {
  isNegativeTestCheck,
  labelNames,
  negativeTestInputsOf,
  verdictInputOfComment,
} from './githubMapping';
import { readCheckRuns, readPullCommits } from './githubReads';
import { GithubRequests, RequestCounters, statusOf } from './githubRequests';
import { GhCommit, GhIssueComment, GhPull, issueNumberOf } from './githubTypes';
import {
  placeComments,
  readNeededAnnotations,
  readPullRequestDetails,
} from './pullRequestDetails';
import {
  GateSyncDeps,
  pullsSyncKey,
  repositoryLabel,
  trackedGates,
} from './syncDeps';

/** Kept in `sync_state.data` of a repository's pull request listing. */
interface PullsSyncData {
  /** ETag of the latest check-run list per open pull request head. */
  checkRunEtags?: Record<string, string>;
  /** When each open head's check runs were last re-checked (see `gateRecheck`). */
  checkRunReadAt?: Record<string, string>;
  /** The default branch's negative-test checks, read every few hours. */
  negativeTests?: { checkedAt: string; etag?: string; ref?: string };
}

export interface RepositorySyncResult {
  repository: string;
  /** The pull request list answered 304: nothing changed. */
  notModified: boolean;
  /** Pull requests written. */
  pullRequests: number;
  rows: number;
}

const PULLS = 'GET /repos/{owner}/{repo}/pulls';
const DETAIL_CONCURRENCY = 2;

function iso(value: string) {
  return new Date(value).toISOString();
}

function unchanged(stored: PullRequest | undefined, pull: GhPull) {
  return (
    stored !== undefined &&
    stored.updatedAt === iso(pull.updated_at) &&
    stored.headSha === pull.head.sha &&
    // Databases sort label names by their own collation: compare as sets.
    [...stored.labels].sort().join('\n') === labelNames(pull).join('\n')
  );
}

/**
 * Incremental sync of one repository:
 *
 * - first sync: pull requests updated within the closed-lookback window
 *   (`state=all`, newest first, stopping at the window), plus open pull
 *   requests older than the window;
 * - later syncs: the first page of `state=all&sort=updated` with the stored
 *   ETag — a 304 means nothing changed (and costs no rate limit) — else
 *   pages until the stored cursor;
 * - only for pull requests that changed: commits and check runs when the
 *   head moved, reviews, and verdict comments from one repository-wide
 *   comment listing since the cursor;
 * - open pull requests whose gates are not all passing (failing, still
 *   running, or missing shortly after an update) get a conditional re-read
 *   of their head's check runs, since a finished or re-run check does not
 *   touch the pull request (`gateRecheck.ts`);
 * - the default branch's negative-test checks every few hours.
 *
 * Writes go out per page of pull requests. The cursor and ETag are stored
 * only once the repository finished, so an aborted or failed run is
 * repeated, at the cost of requests but not of correctness.
 */
export class RepositorySync {
  constructor(private readonly deps: GateSyncDeps) {}

  async sync(
    repo: Repository,
    context: { counters: RequestCounters; signal?: AbortSignal; now?: Date },
    previous?: SyncState,
  ): Promise<RepositorySyncResult> {
    const { deps } = this;
    const now = context.now ?? new Date();
    const key = pullsSyncKey(repo);
    const state = previous ?? (await deps.store.repositories.getSyncState(key));
    const data: PullsSyncData = (state?.data as PullsSyncData) ?? {};
    const req = new GithubRequests(
      await deps.github.forRepository(repo),
      context.counters,
      context.signal,
    );
    const run = {
      req,
      processed: new Set<number>(),
      commitsByNumber: new Map<number, GhCommit[]>(),
      checkRunEtags: new Map(Object.entries(data.checkRunEtags ?? {})),
      checkRunReadAt: new Map(Object.entries(data.checkRunReadAt ?? {})),
      protectionRead: new Set<string>(),
      defaultBranch: repo.defaultBranch,
      now,
      maxUpdated: undefined as string | undefined,
      rows: 0,
    };
    const result: RepositorySyncResult = {
      repository: repositoryLabel(repo),
      notModified: false,
      pullRequests: 0,
      rows: 0,
    };
    const cutoff = new Date(now.getTime() - deps.sync.closedLookbackMs);
    let etag = state?.etag;

    if (!state?.cursor) {
      let first = true;
      for await (const page of req.pages<GhPull>(PULLS, {
        owner: repo.owner,
        repo: repo.name,
        state: 'all',
        sort: 'updated',
        direction: 'desc',
      })) {
        if (first) etag = page.etag;
        first = false;
        const inWindow = page.items.filter(
          p => new Date(p.updated_at) >= cutoff,
        );
        await this.processPulls(repo, inWindow, run, result);
        if (inWindow.length < page.items.length) break;
      }
      for await (const page of req.pages<GhPull>(PULLS, {
        owner: repo.owner,
        repo: repo.name,
        state: 'open',
        sort: 'updated',
        direction: 'asc',
      })) {
        const older = page.items.filter(p => new Date(p.updated_at) < cutoff);
        await this.processPulls(repo, older, run, result);
        if (older.length < page.items.length) break;
      }
    } else {
      const cursor = new Date(state.cursor);
      let first = true;
      for await (const page of req.pages<GhPull>(
        PULLS,
        {
          owner: repo.owner,
          repo: repo.name,
          state: 'all',
          sort: 'updated',
          direction: 'desc',
        },
        state.etag,
      )) {
        if (page.notModified) {
          result.notModified = true;
          break;
        }
        if (first) etag = page.etag;
        first = false;
        const fresh = page.items.filter(p => new Date(p.updated_at) >= cursor);
        await this.processPulls(repo, fresh, run, result);
        if (fresh.length < page.items.length) break;
      }
    }

    if (!result.notModified && deps.config.verdicts.comments) {
      await this.syncCommentVerdicts(
        repo,
        state?.cursor ?? cutoff.toISOString(),
        run,
      );
    }
    await recheckOpenHeads(deps, repo, run, now);
    data.negativeTests = await this.syncDefaultBranchNegativeTests(
      repo,
      run,
      data.negativeTests,
      now,
    );

    if (run.defaultBranch && run.defaultBranch !== repo.defaultBranch) {
      await deps.store.repositories.upsertRepositories([
        {
          host: repo.host,
          owner: repo.owner,
          name: repo.name,
          defaultBranch: run.defaultBranch,
        },
      ]);
    }
    const openHeads = new Set(
      (await deps.store.gates.openPullRequests(repo.id)).map(p => p.headSha),
    );
    data.checkRunEtags = Object.fromEntries(
      [...run.checkRunEtags].filter(([sha]) => openHeads.has(sha)),
    );
    data.checkRunReadAt = Object.fromEntries(
      [...run.checkRunReadAt].filter(([sha]) => openHeads.has(sha)),
    );
    await deps.store.repositories.setSyncState({
      key,
      etag,
      cursor:
        [run.maxUpdated, state?.cursor]
          .filter((c): c is string => Boolean(c))
          .sort()
          .pop() ?? cutoff.toISOString(),
      data,
      lastSyncedAt: now.toISOString(),
    });
    result.rows = run.rows;
    return result;
  }

  private async processPulls(
    repo: Repository,
    pulls: GhPull[],
    run: RunState,
    result: RepositorySyncResult,
  ) {
    const { deps } = this;
    if (pulls.length === 0) return;
    for (const pull of pulls) {
      const updated = iso(pull.updated_at);
      if (!run.maxUpdated || updated > run.maxUpdated) run.maxUpdated = updated;
      run.defaultBranch ??= pull.base.repo?.default_branch;
    }
    const changed: Array<{ pull: GhPull; stored?: PullRequest }> = [];
    for (const pull of pulls) {
      if (run.processed.has(pull.number)) continue;
      run.processed.add(pull.number);
      const stored = await deps.store.gates.getPullRequest(
        repo.id,
        pull.number,
      );
      if (!unchanged(stored, pull)) changed.push({ pull, stored });
    }
    if (changed.length === 0) return;
    const facts: PullRequestFacts[] = await mapLimited(
      changed,
      DETAIL_CONCURRENCY,
      ({ pull, stored }) =>
        readPullRequestDetails(
          run.req,
          repo,
          pull,
          stored,
          deps.config,
          { comments: false, full: false },
          run.checkRunEtags,
        ),
    );
    for (const f of facts) {
      if (f.commits) run.commitsByNumber.set(f.pull.number, f.commits);
    }
    const bases = new Set(facts.map(f => f.pull.base.ref));
    if (deps.sync.branchProtection && facts.some(f => f.pull.merged_at)) {
      for (const base of bases) {
        if (run.protectionRead.has(base)) continue;
        run.protectionRead.add(base);
        await deps.protection.read(run.req, repo, base, {
          maxAgeMs: PROTECTION_MAX_AGE_MS,
          now: run.now,
        });
      }
    }
    const written = await deps.writer.write(
      repo,
      facts,
      await trackedGates(deps, repo, bases),
    );
    run.rows += written.rows;
    result.pullRequests += facts.length;
  }

  /**
   * Verdict comments since the cursor, from one repository-wide listing
   * (cheaper than one listing per pull request), each placed on the head
   * commit it was written against.
   */
  private async syncCommentVerdicts(
    repo: Repository,
    since: string,
    run: RunState,
  ) {
    const { deps } = this;
    const byNumber = new Map<number, GhIssueComment[]>();
    for await (const page of run.req.pages<GhIssueComment>(
      'GET /repos/{owner}/{repo}/issues/comments',
      {
        owner: repo.owner,
        repo: repo.name,
        since,
        sort: 'updated',
        direction: 'asc',
      },
    )) {
      for (const { comment } of placeComments(
        page.items,
        [],
        undefined,
        deps.config,
      )) {
        const number = issueNumberOf(comment);
        if (number === undefined) continue;
        byNumber.set(number, [...(byNumber.get(number) ?? []), comment]);
      }
    }
    const numbers: number[] = [];
    const verdicts: VerdictInput[] = [];
    for (const [number, comments] of byNumber) {
      const stored = await deps.store.gates.getPullRequest(repo.id, number);
      if (!stored) continue;
      let commits = run.commitsByNumber.get(number);
      if (!commits) {
        commits = await readPullCommits(run.req, repo, number);
        run.commitsByNumber.set(number, commits);
      }
      for (const placed of placeComments(
        comments,
        commits,
        stored.author,
        deps.config,
      )) {
        const input = verdictInputOfComment(
          stored.id,
          placed.comment,
          placed.commitSha,
          stored.author,
          deps.config,
        );
        if (input) verdicts.push(input);
      }
      numbers.push(number);
    }
    if (verdicts.length === 0) return;
    await deps.store.gates.upsertVerdicts(verdicts);
    run.rows += verdicts.length;
    run.rows += await deps.derived.update(repo, numbers);
  }

  /** The default branch's negative-test checks, at most once per interval. */
  private async syncDefaultBranchNegativeTests(
    repo: Repository,
    run: RunState,
    previous: PullsSyncData['negativeTests'],
    now: Date,
  ): Promise<PullsSyncData['negativeTests']> {
    const { deps } = this;
    const ref = run.defaultBranch;
    if (!ref) return previous;
    if (
      previous?.ref === ref &&
      now.getTime() - Date.parse(previous.checkedAt) <
        deps.sync.defaultBranchNegativeTestsIntervalMs
    ) {
      return previous;
    }
    let read;
    try {
      read = await readCheckRuns(
        run.req,
        repo,
        ref,
        previous?.ref === ref ? previous.etag : undefined,
      );
    } catch (error) {
      // An empty repository or a branch without commits has no checks.
      if ([404, 409, 422].includes(statusOf(error) ?? 0)) {
        return { checkedAt: now.toISOString(), ref };
      }
      throw error;
    }
    if (!read.notModified) {
      const negative = read.runs.filter(r =>
        isNegativeTestCheck(r, deps.config),
      );
      const tests = negativeTestInputsOf(
        repo.id,
        undefined,
        negative,
        await readNeededAnnotations(run.req, repo, negative, deps.config),
        deps.config,
        negativeTestSkipLogger(deps.logger, repo),
      );
      await deps.store.gates.upsertNegativeTests(tests);
      run.rows += tests.length;
    }
    return { checkedAt: now.toISOString(), etag: read.etag, ref };
  }
}

interface RunState extends RecheckRun {
  req: GithubRequests;
  processed: Set<number>;
  commitsByNumber: Map<number, GhCommit[]>;
  checkRunEtags: Map<string, string>;
  protectionRead: Set<string>;
  defaultBranch?: string;
  now: Date;
  maxUpdated?: string;
  rows: number;
}
