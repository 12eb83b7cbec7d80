import { EventParams } from '@backstage/plugin-events-node';
import {
  laneBranchOf,
  LANE_STATES,
  Repository,
  verdictOfComment,
} from '@dual-lane/plugin-dual-lane-common';
import { z } from 'zod';
import {
  gateRunInputsOf,
  isNegativeTestCheck,
  isPolicyGateRun,
  needsAnnotations,
  negativeTestInputsOf,
  verdictInputOfReview,
} from './githubMapping';
import { GhCheckRun, GhPull, GhReview } from './githubTypes';
import { negativeTestSkipLogger } from './negativeTestSkipLogger';
import { PullRequestRefresher } from './PullRequestRefresher';
import { RefreshQueue } from './RefreshQueue';
import { GateSyncDeps, trackedGates } from './syncDeps';
import {
  describeZodError,
  GithubEventName,
  KNOWN_ACTIONS,
  payloadSchemas,
} from './webhookPayloads';

type Payload<N extends GithubEventName> = z.infer<(typeof payloadSchemas)[N]>;

/** Remembers recently handled deliveries (by payload ids) to skip repeats. */
class RecentKeys {
  private readonly keys = new Set<string>();
  constructor(private readonly max = 5000) {}
  /** True the first time a key is seen. */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.max) {
      this.keys.delete(this.keys.values().next().value as string);
    }
    return true;
  }
}

/**
 * Applies GitHub webhook events to the stored gates. Small writes happen
 * right away (a finished check run, a review verdict, a label change);
 * anything that needs more reads from GitHub (a new head, a merge, a push
 * to a lane branch) is queued for the refresher. Events are deduplicated on
 * payload ids, since headers such as `X-GitHub-Delivery` do not cross the
 * event bus; redelivered or out-of-order events leave the same rows because
 * every write is an idempotent upsert that never moves a row backwards.
 * Malformed payloads and unknown actions are logged and ignored.
 */
export class GithubWebhookHandler {
  private readonly recent = new RecentKeys();

  constructor(
    private readonly deps: GateSyncDeps,
    private readonly refresher: PullRequestRefresher,
    readonly queue: RefreshQueue,
  ) {}

  async onEvent(params: EventParams): Promise<void> {
    const name = params.topic.replace(/^github\./, '') as GithubEventName;
    const schema = payloadSchemas[name];
    if (!schema) return;
    const parsed = schema.safeParse(params.eventPayload);
    if (!parsed.success) {
      this.deps.logger.warn(
        `Ignoring ${params.topic} event: malformed payload (${describeZodError(
          parsed.error,
        )})`,
      );
      return;
    }
    const payload = parsed.data as any;
    if (name !== 'push' && !KNOWN_ACTIONS[name].includes(payload.action)) {
      this.deps.logger.info(
        `Ignoring ${params.topic} event with unknown action '${payload.action}'`,
      );
      return;
    }
    const repo = await this.repositoryOf(payload.repository);
    if (!repo) {
      this.deps.logger.debug(
        `Ignoring ${params.topic} event for ${payload.repository.owner.login}/${payload.repository.name}: no dual-lane entity points at it`,
      );
      return;
    }
    // Work on the original object: the schema only checked what we read.
    const raw = params.eventPayload as any;
    const handlers: Record<GithubEventName, () => Promise<void> | void> = {
      pull_request: () => this.onPullRequest(repo, raw),
      check_run: () => this.onCheckRun(repo, raw),
      check_suite: () => this.onCheckSuite(repo, raw),
      push: () => this.onPush(repo, raw),
      pull_request_review: () => this.onReview(repo, raw),
      issue_comment: () => this.onComment(repo, raw),
      label: () => this.onLabel(repo, raw),
    };
    try {
      await handlers[name]();
    } catch (error) {
      // Never throw into the event bus; the scheduled sync repairs.
      this.deps.logger.error(
        `Failed to apply ${params.topic} event for ${repo.owner}/${repo.name}: ${error}`,
      );
    }
  }

  /** The repository while a catalog entity points at it (rows outlive entities). */
  private async repositoryOf(repository: Payload<'push'>['repository']) {
    const host = new URL(repository.html_url).host;
    return this.deps.store.repositories.findRepositoryInUse(
      host,
      repository.owner.login,
      repository.name,
    );
  }

  private refreshPull(repo: Repository, number: number) {
    this.queue.enqueue({
      key: `pull:${repo.id}#${number}`,
      run: () => this.refresher.refreshPullRequest(repo, number),
    });
  }

  private async onPullRequest(
    repo: Repository,
    payload: Payload<'pull_request'>,
  ) {
    const pull = payload.pull_request as unknown as GhPull;
    if (
      !this.recent.add(
        `pr:${repo.id}#${pull.number}:${pull.updated_at}:${pull.head.sha}:${payload.action}`,
      )
    ) {
      return;
    }
    const stored = await this.deps.store.gates.getPullRequest(
      repo.id,
      pull.number,
    );
    const needsReads =
      !stored ||
      stored.headSha !== pull.head.sha ||
      (Boolean(pull.merged_at) && stored.state !== 'merged');
    if (needsReads) {
      // Writing the row now would make the sync think the details are read.
      this.refreshPull(repo, pull.number);
      return;
    }
    await this.deps.writer.write(
      repo,
      [{ pull, stored }],
      await trackedGates(this.deps, repo, [pull.base.ref]),
    );
  }

  private async onCheckRun(repo: Repository, payload: Payload<'check_run'>) {
    const run = payload.check_run as unknown as GhCheckRun;
    if (
      !this.recent.add(
        `run:${run.id}:${run.status}:${run.conclusion}:${run.completed_at}`,
      )
    ) {
      return;
    }
    const { deps } = this;
    const atCommit = await deps.store.gates.pullRequestsAtCommit(
      repo.id,
      run.head_sha,
    );
    const stored = await Promise.all(
      atCommit.map(p => deps.store.gates.getPullRequest(repo.id, p.number)),
    );
    const known = new Set(atCommit.map(p => p.number));
    for (const ref of run.pull_requests ?? []) {
      if (!known.has(ref.number)) this.refreshPull(repo, ref.number);
    }
    const onHead = atCommit.filter(p => p.headSha === run.head_sha);
    const pullRequestId = onHead[0]?.id;
    const gates = await trackedGates(
      deps,
      repo,
      stored.flatMap(p => (p ? [p.baseRef] : [])),
    );
    await deps.store.gates.upsertGateRuns(
      gateRunInputsOf(repo.id, pullRequestId, [run], gates),
    );
    if (isPolicyGateRun(run, gates) && needsAnnotations(run, deps.config)) {
      // The payload has only the annotation count: read them for the
      // policy digest the gate verified.
      const branches = stored.flatMap(p => (p ? [p.baseRef] : []));
      this.queue.enqueue({
        key: `policy-digest:${repo.id}:${run.id}`,
        run: () =>
          this.refresher.recordPolicyDigest(repo, run, pullRequestId, branches),
      });
    }
    if (isNegativeTestCheck(run, deps.config)) {
      if (
        (run.output?.annotations_count ?? 0) > 0 &&
        pullRequestId !== undefined
      ) {
        this.queue.enqueue({
          key: `checks:${repo.id}#${onHead[0].number}`,
          run: () => this.refresher.refreshCheckRuns(repo, onHead[0].number),
        });
      }
      await deps.store.gates.upsertNegativeTests(
        negativeTestInputsOf(
          repo.id,
          pullRequestId,
          [run],
          new Map(),
          deps.config,
          negativeTestSkipLogger(deps.logger, repo),
        ),
      );
    }
    if (atCommit.length > 0) {
      await deps.derived.update(
        repo,
        atCommit.map(p => p.number),
      );
    }
  }

  private onCheckSuite(repo: Repository, payload: Payload<'check_suite'>) {
    const suite = payload.check_suite;
    if (
      !this.recent.add(
        `suite:${suite.id}:${payload.action}:${
          (payload as any).check_suite.updated_at
        }`,
      )
    ) {
      return;
    }
    for (const { number } of suite.pull_requests) {
      this.queue.enqueue({
        key: `checks:${repo.id}#${number}`,
        run: () => this.refresher.refreshCheckRuns(repo, number),
      });
    }
  }

  private onPush(repo: Repository, payload: Payload<'push'>) {
    if (payload.deleted) return;
    const branch = payload.ref.replace(/^refs\/heads\//, '');
    if (!payload.ref.startsWith('refs/heads/')) return;
    if (!laneBranchOf(branch, this.deps.config.branchPrefixes)) return;
    if (!this.recent.add(`push:${repo.id}:${payload.ref}:${payload.after}`))
      return;
    this.queue.enqueue({
      key: `branch:${repo.id}:${branch}`,
      run: () => this.refresher.refreshBranch(repo, branch),
    });
  }

  private async onReview(
    repo: Repository,
    payload: Payload<'pull_request_review'>,
  ) {
    const review = payload.review as unknown as GhReview;
    const number = payload.pull_request.number;
    if (
      !this.recent.add(
        `review:${review.id}:${payload.action}:${review.state}:${
          review.body ?? ''
        }`,
      )
    ) {
      return;
    }
    const { deps } = this;
    const pr = await deps.store.gates.getPullRequest(repo.id, number);
    if (!pr) {
      this.refreshPull(repo, number);
      return;
    }
    const input =
      payload.action === 'dismissed'
        ? undefined
        : verdictInputOfReview(
            pr.id,
            review,
            payload.pull_request.user?.login ?? pr.author,
            deps.config,
          );
    if (input) {
      await deps.store.gates.upsertVerdicts([input]);
    } else {
      await deps.store.gates.deleteVerdict(pr.id, 'review', String(review.id));
    }
    await deps.derived.update(repo, [number]);
  }

  private async onComment(repo: Repository, payload: Payload<'issue_comment'>) {
    if (!payload.issue.pull_request) return;
    const { comment } = payload;
    const number = payload.issue.number;
    if (
      !this.recent.add(
        `comment:${comment.id}:${payload.action}:${comment.updated_at}`,
      )
    ) {
      return;
    }
    const { deps } = this;
    const carries =
      payload.action !== 'deleted' &&
      verdictOfComment(
        {
          body: comment.body,
          author: comment.user?.login,
          pullRequestAuthor: payload.issue.user?.login,
        },
        deps.config.verdicts,
      ) !== undefined;
    if (carries && deps.config.verdicts.comments) {
      // Placing the comment on a commit needs the pull request's commits.
      this.refreshPull(repo, number);
      return;
    }
    const pr = await deps.store.gates.getPullRequest(repo.id, number);
    if (
      pr &&
      (await deps.store.gates.deleteVerdict(
        pr.id,
        'comment',
        String(comment.id),
      )) > 0
    ) {
      await deps.derived.update(repo, [number]);
    }
  }

  private onLabel(repo: Repository, payload: Payload<'label'>) {
    const laneLabels = new Set(
      LANE_STATES.map(s => this.deps.config.labels[s].name),
    );
    const names = [payload.label.name, payload.changes?.name?.from].filter(
      (n): n is string => Boolean(n),
    );
    if (payload.action === 'created' || !names.some(n => laneLabels.has(n))) {
      return;
    }
    // A renamed or deleted lane label changes the labels of pull requests
    // without touching them: re-read the open ones.
    this.queue.enqueue({
      key: `labels:${repo.id}`,
      run: () => this.refresher.refreshOpenPullRequests(repo),
    });
  }
}
