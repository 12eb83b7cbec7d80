import {
  computeGateStatus,
  GateRun,
  Repository,
} from '@dual-lane/plugin-dual-lane-common';
import { PullRequestKey } from '../../database/GateStore';
import { mapLimited } from './concurrency';
import { gateRunInputsOf, negativeTestInputsOf } from './githubMapping';
import { readCheckRuns } from './githubReads';
import { GithubRequests } from './githubRequests';
import { negativeTestSkipLogger } from './negativeTestSkipLogger';
import { readNeededAnnotations } from './pullRequestDetails';
import { GateSyncDeps, repositoryLabel, trackedGates } from './syncDeps';

const CONCURRENCY = 2;

/** What one repository's sync run shares with the re-check. */
export interface RecheckRun {
  req: GithubRequests;
  /** Pull requests already read in this run. */
  processed: Set<number>;
  /** ETag of the last check-run list read per head sha. */
  checkRunEtags: Map<string, string>;
  /** When each head's check runs were last re-checked (ISO), per head sha. */
  checkRunReadAt: Map<string, string>;
  rows: number;
}

/**
 * Whether an open pull request's gates still need watching: a gate
 * failing or not finished (a re-run can turn it green without touching
 * the pull request), or missing within the settle window after its last
 * update.
 */
export function needsRecheck(
  deps: Pick<GateSyncDeps, 'config' | 'sync'>,
  pr: PullRequestKey,
  runs: GateRun[],
  now: Date,
): boolean {
  const status = computeGateStatus(
    deps.config.requiredChecks,
    runs,
    pr.headSha,
  );
  return (
    status.failing.length > 0 ||
    status.pending.length > 0 ||
    (status.missing.length > 0 &&
      now.getTime() - Date.parse(pr.updatedAt) < deps.sync.settleWindowMs)
  );
}

/**
 * Re-reads, conditionally (`If-None-Match` with the stored ETag: an
 * unchanged list is a 304, which costs no rate limit), the head check runs
 * of open pull requests not read in this run whose gates are not all
 * passing (see `needsRecheck`): a finished or re-run check does not change
 * the pull request's `updated_at`, so the list's ETag cannot see it. At
 * most `maxRechecksPerRepository` heads per run, the least recently
 * re-checked first, so a long tail takes turns.
 */
export async function recheckOpenHeads(
  deps: GateSyncDeps,
  repo: Repository,
  run: RecheckRun,
  now: Date,
): Promise<void> {
  const open = (await deps.store.gates.openPullRequests(repo.id)).filter(
    p => !run.processed.has(p.number),
  );
  if (open.length === 0) return;
  const runs = await deps.store.gates.listGateRuns({
    pullRequestIds: open.map(p => p.id),
  });
  const byHead = new Map<string, GateRun[]>();
  for (const r of runs) {
    byHead.set(r.headSha, [...(byHead.get(r.headSha) ?? []), r]);
  }
  const candidates = open
    .filter(p => needsRecheck(deps, p, byHead.get(p.headSha) ?? [], now))
    .sort(
      (a, b) =>
        (run.checkRunReadAt.get(a.headSha) ?? '').localeCompare(
          run.checkRunReadAt.get(b.headSha) ?? '',
        ) || a.number - b.number,
    );
  const limit = deps.sync.maxRechecksPerRepository;
  if (candidates.length > limit) {
    deps.logger.info(
      `${repositoryLabel(repo)}: ${
        candidates.length
      } open pull requests have gates not all passing; re-checking ${limit} this run (dualLane.sync.github.maxRechecksPerRepository), the others in later runs`,
    );
  }
  const touched: number[] = [];
  const gates = await trackedGates(deps, repo, []);
  await mapLimited(candidates.slice(0, limit), CONCURRENCY, async pr => {
    const read = await readCheckRuns(
      run.req,
      repo,
      pr.headSha,
      run.checkRunEtags.get(pr.headSha),
    );
    run.checkRunReadAt.set(pr.headSha, now.toISOString());
    if (read.notModified) return;
    if (read.etag) run.checkRunEtags.set(pr.headSha, read.etag);
    const annotations = await readNeededAnnotations(
      run.req,
      repo,
      read.runs,
      deps.config,
    );
    const inputs = gateRunInputsOf(
      repo.id,
      pr.id,
      read.runs,
      gates,
      annotations,
    );
    const tests = negativeTestInputsOf(
      repo.id,
      pr.id,
      read.runs,
      annotations,
      deps.config,
      negativeTestSkipLogger(deps.logger, repo),
    );
    await deps.store.gates.upsertGateRuns(inputs);
    await deps.store.gates.upsertNegativeTests(tests);
    run.rows += inputs.length + tests.length;
    touched.push(pr.number);
  });
  if (touched.length > 0) {
    run.rows += await deps.derived.update(repo, touched);
  }
}
