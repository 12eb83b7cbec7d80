import {
  commitAtTime,
  computeGateStatus,
  contextMatches,
  GateDefinition,
  laneBranchOf,
  parseLaneMarkers,
  PullRequest,
  Repository,
  verdictOfComment,
} from '@dual-lane/plugin-dual-lane-common';
import { PullRequestFacts } from './GateFactsWriter';
import { GatesConfig } from './gatesConfig';
import { gateRunInputsOf, needsAnnotations } from './githubMapping';
import {
  readAnnotations,
  readBranchCommits,
  readCheckRuns,
  readIssueComments,
  readPull,
  readPullCommits,
  readReviews,
} from './githubReads';
import { GithubRequests } from './githubRequests';
import {
  commitTime,
  GhAnnotation,
  GhCheckRun,
  GhCommit,
  GhIssueComment,
  GhPull,
} from './githubTypes';

export interface DetailOptions {
  /** Read the pull request's issue comments (the refresh path). */
  comments: boolean;
  /** Force reading commits and check runs even if the head did not move. */
  full: boolean;
}

/** `{sha, committedAt}` of commits, for placing comments on a commit. */
export function commitTimes(commits: GhCommit[]) {
  return commits
    .map(c => ({ sha: c.sha, committedAt: commitTime(c) }))
    .filter((c): c is { sha: string; committedAt: string } =>
      Boolean(c.committedAt),
    );
}

/**
 * Comments carrying a verdict, each placed on the head commit it was
 * written against. `pullRequestAuthor` undefined: comments of several pull
 * requests, whose authors are checked later (`verdictInputOfComment`).
 */
export function placeComments(
  comments: GhIssueComment[],
  commits: GhCommit[],
  pullRequestAuthor: string | undefined,
  config: Pick<GatesConfig, 'verdicts'>,
) {
  const times = commitTimes(commits);
  return comments
    .filter(
      c =>
        verdictOfComment(
          { body: c.body, author: c.user?.login, pullRequestAuthor },
          config.verdicts,
        ) !== undefined,
    )
    .map(comment => ({
      comment,
      commitSha: commitAtTime(times, comment.created_at),
    }));
}

/**
 * The annotations of the runs that need them (see `needsAnnotations`): the
 * negative-test report checks' results and the policy gate's digest.
 */
export async function readNeededAnnotations(
  req: GithubRequests,
  repo: Repository,
  runs: GhCheckRun[],
  config: Pick<GatesConfig, 'negativeTests' | 'requiredChecks'>,
): Promise<Map<number, GhAnnotation[]>> {
  const out = new Map<number, GhAnnotation[]>();
  for (const run of runs) {
    if (needsAnnotations(run, config)) {
      out.set(run.id, await readAnnotations(req, repo, run.id));
    }
  }
  return out;
}

/**
 * Reads what changed about one pull request: commits and check runs when
 * its head moved (or `full`), reviews always, who merged it when the list
 * does not say, the builder's `staging/<slug>` commits when the pull
 * request's own commits do not carry the ready marker, and for a merged
 * pull request whose head lacks a gate, the merge commit's check runs.
 */
export async function readPullRequestDetails(
  req: GithubRequests,
  repo: Repository,
  pull: GhPull,
  stored: PullRequest | undefined,
  config: GatesConfig,
  options: DetailOptions,
  checkRunEtags?: Map<string, string>,
): Promise<PullRequestFacts> {
  const facts: PullRequestFacts = { pull, stored };
  const headMoved = options.full || !stored || stored.headSha !== pull.head.sha;
  const merged = Boolean(pull.merged_at);
  const abandoned = pull.state === 'closed' && !merged;
  const newlyMerged = merged && stored?.state !== 'merged';

  const [commits, reviews] = await Promise.all([
    headMoved ? readPullCommits(req, repo, pull.number) : undefined,
    readReviews(req, repo, pull.number),
  ]);
  facts.commits = commits;
  facts.reviews = reviews;

  if (!abandoned && (headMoved || newlyMerged)) {
    const head = await readCheckRuns(req, repo, pull.head.sha);
    if (head.etag) checkRunEtags?.set(pull.head.sha, head.etag);
    facts.checkRuns = head.runs;
    const mergeSha = merged ? pull.merge_commit_sha : null;
    if (mergeSha && mergeSha !== pull.head.sha) {
      const onHead = computeGateStatus(
        config.requiredChecks,
        gateRunInputsOf(repo.id, undefined, head.runs, config.requiredChecks),
        pull.head.sha,
      );
      if (onHead.missing.length > 0) {
        facts.checkRuns.push(
          ...(await readCheckRuns(req, repo, mergeSha)).runs,
        );
      }
    }
    facts.annotations = await readNeededAnnotations(
      req,
      repo,
      facts.checkRuns,
      config,
    );
  }

  if (merged && !pull.merged_by && !stored?.mergedBy) {
    facts.mergedBy = (await readPull(req, repo, pull.number)).merged_by?.login;
  }

  const slug = laneBranchOf(pull.head.ref, config.branchPrefixes)?.slug;
  if (slug && commits) {
    const hasReady = commits.some(c =>
      parseLaneMarkers(c.commit.message, config.markers).some(
        m => m.kind === 'codex-ready' && m.slug === slug,
      ),
    );
    if (!hasReady) {
      facts.stagingCommits = await readBranchCommits(
        req,
        repo,
        `${config.branchPrefixes.staging}${slug}`,
      );
    }
  }

  if (options.comments && config.verdicts.comments) {
    const comments = await readIssueComments(req, repo, pull.number);
    const placedOn = commits ?? (await readPullCommits(req, repo, pull.number));
    facts.commits = placedOn;
    facts.comments = placeComments(
      comments,
      placedOn,
      pull.user?.login,
      config,
    );
    facts.commentsComplete = true;
  }
  return facts;
}

/** Required gates plus checks only branch protection requires. */
export function withProtectionChecks(
  gates: GateDefinition[],
  extraContexts: Array<{ context: string; appId?: number }>,
): GateDefinition[] {
  const out = [...gates];
  for (const r of extraContexts) {
    if (!out.some(g => contextMatches(g.context, r.context))) {
      out.push({ name: r.context, context: r.context, appId: r.appId });
    }
  }
  return out;
}
