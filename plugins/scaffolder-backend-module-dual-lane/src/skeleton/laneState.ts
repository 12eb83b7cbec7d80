import {
  checkLabels,
  commitAtTime,
  computeGateStatus,
  currentVerdict,
  expectedLaneState,
  GateDefinition,
  GateRunFacts,
  laneBranchOf,
  LaneBranchPrefixes,
  LaneLabelDefinition,
  LaneMarkers,
  LaneState,
  parseLaneMarkers,
  VerdictConvention,
  VerdictFacts,
  verdictOfComment,
  verdictOfReview,
} from '@dual-lane/plugin-dual-lane-common';

/*
 * The lane state of a pull request from what GitHub's REST API returns,
 * computed with the rules of @dual-lane/plugin-dual-lane-common the same
 * way the backend's GitHub sync maps GitHub's answers to facts
 * (dual-lane-backend src/services/gates/githubMapping.ts). Bundled into the
 * repository template's `.github/dual-lane/auto-label.cjs`, so the labels a
 * repository puts on its pull requests are the ones label accuracy expects.
 */

/** `.github/dual-lane/lane-config.json`, rendered by the template. */
export interface LaneConfig {
  defaultBranch: string;
  requiredChecks: GateDefinition[];
  labels: Record<LaneState, LaneLabelDefinition>;
  markers: LaneMarkers;
  branchPrefixes: LaneBranchPrefixes;
  verdicts: VerdictConvention & { comments: boolean };
}

/** The fields of GitHub's REST answers the rules read. */
export interface GhCommit {
  sha: string;
  commit: {
    message: string;
    author?: { date?: string } | null;
    committer?: { date?: string } | null;
  };
}

export interface GhCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
  app?: { id?: number; slug?: string } | null;
}

export interface GhReview {
  state: string;
  body?: string | null;
  commit_id?: string | null;
  submitted_at?: string | null;
  user?: { login?: string } | null;
}

export interface GhIssueComment {
  body?: string | null;
  created_at: string;
  user?: { login?: string } | null;
}

export interface PullRequestFacts {
  headRef: string;
  /** Login of the pull request's author: without supervisors, their own verdicts do not count. */
  author?: string;
  headSha: string;
  commits: GhCommit[];
  /** Commits of `staging/<slug>`, read when the pull request's lack the ready marker. */
  stagingCommits?: GhCommit[];
  checkRuns: GhCheckRun[];
  reviews: GhReview[];
  comments?: GhIssueComment[];
}

const RUN_STATUSES = new Set(['queued', 'in_progress', 'completed']);

export function commitTime(commit: GhCommit): string | undefined {
  return commit.commit.committer?.date ?? commit.commit.author?.date;
}

/** The lane slug of the head branch (`feature/<slug>` or `staging/<slug>`). */
export function laneSlugOf(headRef: string, config: LaneConfig) {
  return laneBranchOf(headRef, config.branchPrefixes)?.slug;
}

/** Whether the commits carry the builder's ready marker for the slug. */
export function hasReadyMarker(
  commits: GhCommit[],
  slug: string,
  config: LaneConfig,
): boolean {
  return commits.some(c =>
    parseLaneMarkers(c.commit.message, config.markers).some(
      m => m.kind === 'codex-ready' && m.slug === slug,
    ),
  );
}

function gateRuns(runs: GhCheckRun[]): GateRunFacts[] {
  return runs
    .filter(run => RUN_STATUSES.has(run.status))
    .map(run => ({
      externalId: String(run.id),
      checkName: run.name,
      headSha: run.head_sha,
      status: run.status as GateRunFacts['status'],
      conclusion:
        run.status === 'completed'
          ? ((run.conclusion ?? undefined) as GateRunFacts['conclusion'])
          : undefined,
      appId: run.app?.id,
      appSlug: run.app?.slug,
      startedAt: run.started_at ?? undefined,
      completedAt: run.completed_at ?? undefined,
    }));
}

/** PLAN's verdicts from reviews and (when configured) issue comments. */
export function verdictsOf(
  pr: PullRequestFacts,
  config: LaneConfig,
): VerdictFacts[] {
  const out: VerdictFacts[] = [];
  for (const review of pr.reviews) {
    if (!review.submitted_at) continue;
    const verdict = verdictOfReview(
      {
        state: review.state,
        body: review.body,
        author: review.user?.login,
        pullRequestAuthor: pr.author,
      },
      config.verdicts,
    );
    if (verdict) {
      out.push({
        verdict,
        author: review.user?.login,
        commitSha: review.commit_id ?? undefined,
        recordedAt: review.submitted_at,
      });
    }
  }
  if (config.verdicts.comments) {
    const times = pr.commits
      .map(c => ({ sha: c.sha, committedAt: commitTime(c) }))
      .filter((c): c is { sha: string; committedAt: string } =>
        Boolean(c.committedAt),
      );
    for (const comment of pr.comments ?? []) {
      const verdict = verdictOfComment(
        {
          body: comment.body,
          author: comment.user?.login,
          pullRequestAuthor: pr.author,
        },
        config.verdicts,
      );
      if (verdict) {
        out.push({
          verdict,
          author: comment.user?.login,
          commitSha: commitAtTime(times, comment.created_at),
          recordedAt: comment.created_at,
        });
      }
    }
  }
  return out;
}

/** The lane state the pull request is in; undefined outside the lanes. */
export function laneStateOf(
  pr: PullRequestFacts,
  config: LaneConfig,
): LaneState | undefined {
  const slug = laneSlugOf(pr.headRef, config);
  const laneEvents = pr.commits.flatMap(c =>
    parseLaneMarkers(c.commit.message, config.markers),
  );
  // A staging branch may carry other lanes' markers: only this one's.
  for (const c of pr.stagingCommits ?? []) {
    laneEvents.push(
      ...parseLaneMarkers(c.commit.message, config.markers).filter(
        m => m.slug === slug,
      ),
    );
  }
  const gates = computeGateStatus(
    config.requiredChecks,
    gateRuns(pr.checkRuns),
    pr.headSha,
  );
  return expectedLaneState({
    laneSlug: slug,
    laneEvents,
    gatesPassing: gates.allPassing,
    verdict: currentVerdict(verdictsOf(pr, config), pr.headSha)?.verdict,
  });
}

/**
 * The label edits that leave exactly the state's label among the lane
 * labels; other labels are never touched.
 */
export function labelChanges(
  current: string[],
  state: LaneState | undefined,
  config: LaneConfig,
): { add: string[]; remove: string[] } {
  const check = checkLabels(state, current, config.labels);
  return {
    add: check.missing && check.expected ? [check.expected] : [],
    remove: check.unexpected,
  };
}
