import { Repository } from '@dual-lane/plugin-dual-lane-common';
import { GithubRequests, statusOf } from './githubRequests';
import {
  GhAnnotation,
  GhCheckRun,
  GhCommit,
  GhIssueComment,
  GhPull,
  GhReview,
} from './githubTypes';

/*
 * The GitHub reads of the gates area, one function per endpoint (shapes as
 * in GitHub's REST documentation).
 */

type Repo = Pick<Repository, 'owner' | 'name'>;

const repoParams = (repo: Repo) => ({ owner: repo.owner, repo: repo.name });

export async function readPull(
  req: GithubRequests,
  repo: Repo,
  number: number,
): Promise<GhPull> {
  const res = await req.get<GhPull>(
    'GET /repos/{owner}/{repo}/pulls/{pull_number}',
    { ...repoParams(repo), pull_number: number },
  );
  return res.data!;
}

/** A pull request's commits, oldest first (GitHub returns at most 250). */
export function readPullCommits(
  req: GithubRequests,
  repo: Repo,
  number: number,
): Promise<GhCommit[]> {
  return req.all<GhCommit>(
    'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits',
    { ...repoParams(repo), pull_number: number },
    250,
  );
}

export function readReviews(
  req: GithubRequests,
  repo: Repo,
  number: number,
): Promise<GhReview[]> {
  return req.all<GhReview>(
    'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    { ...repoParams(repo), pull_number: number },
  );
}

export function readIssueComments(
  req: GithubRequests,
  repo: Repo,
  number: number,
): Promise<GhIssueComment[]> {
  return req.all<GhIssueComment>(
    'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
    { ...repoParams(repo), issue_number: number },
  );
}

/**
 * The latest check run per name on a commit, conditionally: `notModified`
 * when nothing changed since `etag`. Only the first page carries the ETag;
 * a commit with more than 100 check runs is read in full every time.
 */
export async function readCheckRuns(
  req: GithubRequests,
  repo: Repo,
  ref: string,
  etag?: string,
): Promise<{ notModified: boolean; runs: GhCheckRun[]; etag?: string }> {
  const runs: GhCheckRun[] = [];
  let firstEtag: string | undefined;
  let first = true;
  for await (const page of req.pages<GhCheckRun>(
    'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
    { ...repoParams(repo), ref, filter: 'latest' },
    etag,
  )) {
    if (page.notModified) return { notModified: true, runs: [], etag };
    if (first) firstEtag = page.etag;
    first = false;
    runs.push(...page.items);
  }
  return { notModified: false, runs, etag: firstEtag };
}

export function readAnnotations(
  req: GithubRequests,
  repo: Repo,
  checkRunId: number,
): Promise<GhAnnotation[]> {
  return req.all<GhAnnotation>(
    'GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations',
    { ...repoParams(repo), check_run_id: checkRunId },
    500,
  );
}

/**
 * The newest commits of a branch (one page); undefined when the branch is
 * gone (404, or 422 for an unknown ref).
 */
export async function readBranchCommits(
  req: GithubRequests,
  repo: Repo,
  branch: string,
): Promise<GhCommit[] | undefined> {
  try {
    const res = await req.get<GhCommit[]>(
      'GET /repos/{owner}/{repo}/commits',
      { ...repoParams(repo), sha: branch, per_page: 100 },
    );
    return res.data ?? [];
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 422 || status === 409) return undefined;
    throw error;
  }
}
