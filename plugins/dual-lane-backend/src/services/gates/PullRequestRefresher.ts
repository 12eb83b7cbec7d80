import { laneBranchOf, Repository } from '@dual-lane/plugin-dual-lane-common';
import {
  gateRunInputsOf,
  laneEventInputsOf,
  negativeTestInputsOf,
} from './githubMapping';
import { readBranchCommits, readCheckRuns, readPull } from './githubReads';
import { GithubRequests, newCounters, RequestCounters } from './githubRequests';
import { GhCheckRun, GhPull } from './githubTypes';
import { negativeTestSkipLogger } from './negativeTestSkipLogger';
import {
  readNeededAnnotations,
  readPullRequestDetails,
} from './pullRequestDetails';
import { GateSyncDeps, trackedGates } from './syncDeps';

/**
 * Re-reads single things from GitHub when a webhook says they changed: a
 * whole pull request, the check runs of its head, or the lane markers on a
 * branch. Uses the same reads and mapping as the scheduled sync, so both
 * write the same rows.
 */
export class PullRequestRefresher {
  constructor(private readonly deps: GateSyncDeps) {}

  readonly counters: RequestCounters = newCounters();

  private async requests(repo: Repository) {
    return new GithubRequests(
      await this.deps.github.forRepository(repo),
      this.counters,
    );
  }

  /** Everything about one pull request, as a first sync would read it. */
  async refreshPullRequest(repo: Repository, number: number): Promise<void> {
    const { deps } = this;
    const req = await this.requests(repo);
    const pull = await readPull(req, repo, number);
    const stored = await deps.store.gates.getPullRequest(repo.id, number);
    const facts = await readPullRequestDetails(req, repo, pull, stored, deps.config, {
      comments: true,
      full: true,
    });
    if (pull.merged_at && deps.sync.branchProtection) {
      await deps.protection.read(req, repo, pull.base.ref);
    }
    await deps.writer.write(
      repo,
      [facts],
      await trackedGates(deps, repo, [pull.base.ref]),
    );
  }

  /** The check runs on a stored pull request's head commit. */
  async refreshCheckRuns(repo: Repository, number: number): Promise<void> {
    const { deps } = this;
    const pr = await deps.store.gates.getPullRequest(repo.id, number);
    if (!pr) {
      await this.refreshPullRequest(repo, number);
      return;
    }
    const req = await this.requests(repo);
    const { runs } = await readCheckRuns(req, repo, pr.headSha);
    const annotations = await readNeededAnnotations(req, repo, runs, deps.config);
    await deps.store.gates.upsertGateRuns(
      gateRunInputsOf(
        repo.id,
        pr.id,
        runs,
        await trackedGates(deps, repo, [pr.baseRef]),
        annotations,
      ),
    );
    await deps.store.gates.upsertNegativeTests(
      negativeTestInputsOf(
        repo.id,
        pr.id,
        runs,
        annotations,
        deps.config,
        negativeTestSkipLogger(deps.logger, repo),
      ),
    );
    await deps.derived.update(repo, [number]);
  }

  /**
   * One finished run's annotations, for a webhook that delivered the run
   * without them: the policy gate's run gets its policy digest.
   */
  async recordPolicyDigest(
    repo: Repository,
    run: GhCheckRun,
    pullRequestId: number | undefined,
    branches: string[],
  ): Promise<void> {
    const { deps } = this;
    const req = await this.requests(repo);
    const annotations = await readNeededAnnotations(req, repo, [run], deps.config);
    const inputs = gateRunInputsOf(
      repo.id,
      pullRequestId,
      [run],
      await trackedGates(deps, repo, branches),
      annotations,
    );
    if (inputs.some(i => i.policyDigest)) {
      await deps.store.gates.upsertGateRuns(inputs);
    }
  }

  /**
   * Rows (with labels) of the open pull requests, without their details:
   * for label renames, which change pull requests without an event on them.
   */
  async refreshOpenPullRequests(repo: Repository): Promise<void> {
    const { deps } = this;
    const req = await this.requests(repo);
    for await (const page of req.pages<GhPull>('GET /repos/{owner}/{repo}/pulls', {
      owner: repo.owner,
      repo: repo.name,
      state: 'open',
    })) {
      const facts = [];
      for (const pull of page.items) {
        const stored = await deps.store.gates.getPullRequest(repo.id, pull.number);
        // Only label changes: anything else is for the sync to read in full.
        if (
          stored &&
          stored.headSha === pull.head.sha &&
          stored.updatedAt === new Date(pull.updated_at).toISOString()
        ) {
          facts.push({ pull, stored });
        }
      }
      await deps.writer.write(repo, facts);
    }
  }

  /**
   * Lane markers on the newest commits of a lane branch, attached to the
   * pull request of that lane when there is one (a `[CODEX-READY]` usually
   * comes before the pull request; the sync attaches it later).
   */
  async refreshBranch(repo: Repository, branch: string): Promise<void> {
    const { deps } = this;
    const lane = laneBranchOf(branch, deps.config.branchPrefixes);
    if (!lane) return;
    const req = await this.requests(repo);
    const commits = await readBranchCommits(req, repo, branch);
    if (!commits) return;
    const [pr] = await deps.store.gates.pullRequestsOfLane(repo.id, lane.slug);
    const events = laneEventInputsOf(repo.id, pr?.id, commits, deps.config).filter(
      e => e.slug === lane.slug,
    );
    await deps.store.gates.upsertLaneEvents(events);
    if (pr) await deps.derived.update(repo, [pr.number]);
  }
}
