import { LoggerService } from '@backstage/backend-plugin-api';
import {
  GateDefinition,
  laneBranchOf,
  PullRequest,
  Repository,
} from '@dual-lane/plugin-dual-lane-common';
import {
  DualLaneStore,
  GateRunInput,
  LaneEventInput,
  NegativeTestInput,
  PullRequestInput,
  VerdictInput,
} from '../../database';
import { DerivedStateUpdater } from './DerivedStateUpdater';
import { GatesConfig } from './gatesConfig';
import { negativeTestSkipLogger } from './negativeTestSkipLogger';
import {
  gateRunInputsOf,
  laneEventInputsOf,
  negativeTestInputsOf,
  pullRequestInputOf,
  verdictInputOfComment,
  verdictInputOfReview,
} from './githubMapping';
import {
  GhAnnotation,
  GhCheckRun,
  GhCommit,
  GhIssueComment,
  GhPull,
  GhReview,
} from './githubTypes';

/** What was read from GitHub about one pull request. */
export interface PullRequestFacts {
  pull: GhPull;
  /** The stored copy before this write, if any. */
  stored?: PullRequest;
  /** Login of who merged it, when the list item does not say. */
  mergedBy?: string;
  /** The pull request's commits, when read. */
  commits?: GhCommit[];
  /** Commits of `staging/<slug>`, when read. */
  stagingCommits?: GhCommit[];
  /** Check runs on its head (and merge) commit, when read. */
  checkRuns?: GhCheckRun[];
  annotations?: Map<number, GhAnnotation[]>;
  /** Every review, when read: verdicts of reviews not here are removed. */
  reviews?: GhReview[];
  /** Comments carrying a verdict, with the commit each applies to. */
  comments?: Array<{ comment: GhIssueComment; commitSha?: string }>;
  /** Every comment was read: comment verdicts not here are removed. */
  commentsComplete?: boolean;
}

export interface WriteResult {
  /** Rows submitted to the store (upserted or replaced). */
  rows: number;
  pullRequestIds: Map<number, number>;
}

/**
 * Writes what was read about a batch of pull requests in a few batched
 * statements (pull requests and labels, gate runs, lane events, verdicts,
 * negative tests), then recomputes what derives from them.
 */
export class GateFactsWriter {
  constructor(
    private readonly deps: {
      store: DualLaneStore;
      config: GatesConfig;
      derived: DerivedStateUpdater;
      logger?: LoggerService;
    },
  ) {}

  async write(
    repository: Repository,
    batch: PullRequestFacts[],
    trackedGates: GateDefinition[] = this.deps.config.requiredChecks,
  ): Promise<WriteResult> {
    const { store, config } = this.deps;
    if (batch.length === 0) return { rows: 0, pullRequestIds: new Map() };
    const repoId = repository.id;
    const prInputs: PullRequestInput[] = batch.map(f => ({
      ...pullRequestInputOf(
        repoId,
        f.pull,
        config,
        f.mergedBy ?? f.stored?.mergedBy,
      ),
      // Keep derived values until they are recomputed below.
      expectedLabel: f.stored?.expectedLabel,
      conformance: f.stored?.conformance,
    }));
    const ids = await store.gates.upsertPullRequests(prInputs);
    let rows = prInputs.reduce((n, p) => n + 1 + (p.labels?.length ?? 0), 0);
    const idOf = new Map<number, number>();
    for (const f of batch) {
      const id = ids.get(`${repoId}#${f.pull.number}`);
      if (id !== undefined) idOf.set(f.pull.number, id);
    }

    const runs: GateRunInput[] = [];
    const events: LaneEventInput[] = [];
    const verdicts: VerdictInput[] = [];
    const tests: NegativeTestInput[] = [];
    for (const f of batch) {
      const id = idOf.get(f.pull.number);
      if (id === undefined) continue;
      if (f.checkRuns) {
        const annotations = f.annotations ?? new Map();
        runs.push(
          ...gateRunInputsOf(
            repoId,
            id,
            f.checkRuns,
            trackedGates,
            annotations,
          ),
        );
        tests.push(
          ...negativeTestInputsOf(
            repoId,
            id,
            f.checkRuns,
            annotations,
            config,
            negativeTestSkipLogger(this.deps.logger, repository),
          ),
        );
      }
      const slug = laneBranchOf(f.pull.head.ref, config.branchPrefixes)?.slug;
      events.push(
        ...laneEventInputsOf(repoId, id, f.commits ?? [], config),
        // A staging branch may carry other lanes' markers: only this one's.
        ...laneEventInputsOf(repoId, id, f.stagingCommits ?? [], config).filter(
          e => e.slug === slug,
        ),
      );
      if (f.reviews) {
        const reviewVerdicts = f.reviews
          .map(r => verdictInputOfReview(id, r, f.pull.user?.login, config))
          .filter((v): v is VerdictInput => v !== undefined);
        verdicts.push(...reviewVerdicts);
        await store.gates.deleteVerdictsExcept(
          id,
          'review',
          reviewVerdicts.map(v => v.externalId),
        );
      }
      if (f.comments) {
        const commentVerdicts = f.comments
          .map(c =>
            verdictInputOfComment(
              id,
              c.comment,
              c.commitSha,
              f.pull.user?.login,
              config,
            ),
          )
          .filter((v): v is VerdictInput => v !== undefined);
        verdicts.push(...commentVerdicts);
        if (f.commentsComplete) {
          await store.gates.deleteVerdictsExcept(
            id,
            'comment',
            commentVerdicts.map(v => v.externalId),
          );
        }
      }
    }
    await store.gates.upsertGateRuns(runs);
    await store.gates.upsertLaneEvents(events);
    await store.gates.upsertVerdicts(verdicts);
    await store.gates.upsertNegativeTests(tests);
    rows += runs.length + events.length + verdicts.length + tests.length;
    rows += await this.deps.derived.update(
      repository,
      batch.map(f => f.pull.number),
    );
    return { rows, pullRequestIds: idOf };
  }
}
