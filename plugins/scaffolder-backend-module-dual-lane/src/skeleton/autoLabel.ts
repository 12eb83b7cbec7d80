import fs from 'node:fs';
import path from 'node:path';
import {
  GhCheckRun,
  GhCommit,
  GhIssueComment,
  GhReview,
  hasReadyMarker,
  labelChanges,
  LaneConfig,
  laneSlugOf,
  laneStateOf,
} from './laneState';

/*
 * Entry of `.github/dual-lane/auto-label.cjs` (bundled by
 * `yarn build:skeleton`), run by the template's auto-labels.yml through
 * actions/github-script: keeps exactly one lane label on each open pull
 * request, as the backend computes it.
 */

export { labelChanges, laneStateOf } from './laneState';

/** The parts of actions/github-script's `github` the script uses. */
interface Github {
  paginate<T>(method: unknown, params: object): Promise<T[]>;
  rest: {
    pulls: {
      get(params: object): Promise<{ data: any }>;
      list: unknown;
      listCommits: unknown;
      listReviews: unknown;
    };
    checks: { listForRef: unknown };
    repos: {
      listCommits(params: object): Promise<{ data: GhCommit[] }>;
    };
    issues: {
      listComments: unknown;
      addLabels(params: object): Promise<unknown>;
      removeLabel(params: object): Promise<unknown>;
    };
  };
}

interface Context {
  repo: { owner: string; repo: string };
  payload: {
    pull_request?: { number: number };
    /** issue_comment: an issue, with `pull_request` when it is one. */
    issue?: { number: number; pull_request?: unknown };
    workflow_run?: { pull_requests?: Array<{ number: number }> };
  };
}

interface Core {
  info(message: string): void;
}

/**
 * Reads `lane-config.json` beside the bundle. This runs as the bundled
 * `.github/dual-lane/auto-label.cjs` of a generated repository, not inside
 * Backstage, so `__dirname` is that directory.
 */
// eslint-disable-next-line no-restricted-syntax
export function loadLaneConfig(dir: string = __dirname): LaneConfig {
  return JSON.parse(
    fs.readFileSync(path.join(dir, 'lane-config.json'), 'utf8'),
  ) as LaneConfig;
}

async function pullRequestNumbers(github: Github, context: Context) {
  const payload = context.payload;
  if (payload.pull_request) return [payload.pull_request.number];
  if (payload.issue)
    return payload.issue.pull_request ? [payload.issue.number] : [];
  if (payload.workflow_run) {
    return (payload.workflow_run.pull_requests ?? []).map(pr => pr.number);
  }
  const open = await github.paginate<{ number: number }>(
    github.rest.pulls.list,
    { ...context.repo, state: 'open', per_page: 100 },
  );
  return open.map(pr => pr.number);
}

/** One page of `staging/<slug>`, as the backend reads it; none when missing. */
async function stagingCommits(
  github: Github,
  context: Context,
  branch: string,
): Promise<GhCommit[]> {
  try {
    return (
      await github.rest.repos.listCommits({
        ...context.repo,
        sha: branch,
        per_page: 100,
      })
    ).data;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404 || status === 409 || status === 422) return [];
    throw error;
  }
}

export async function labelPullRequest(
  github: Github,
  context: Context,
  core: Core,
  number: number,
  config: LaneConfig,
) {
  const repo = context.repo;
  const { data: pr } = await github.rest.pulls.get({
    ...repo,
    pull_number: number,
  });
  if (pr.state !== 'open') return;
  const headSha: string = pr.head.sha;
  const headRef: string = pr.head.ref;
  const [commits, checkRuns, reviews, comments] = await Promise.all([
    github.paginate<GhCommit>(github.rest.pulls.listCommits, {
      ...repo,
      pull_number: number,
      per_page: 100,
    }),
    github.paginate<GhCheckRun>(github.rest.checks.listForRef, {
      ...repo,
      ref: headSha,
      per_page: 100,
    }),
    github.paginate<GhReview>(github.rest.pulls.listReviews, {
      ...repo,
      pull_number: number,
      per_page: 100,
    }),
    config.verdicts.comments
      ? github.paginate<GhIssueComment>(github.rest.issues.listComments, {
          ...repo,
          issue_number: number,
          per_page: 100,
        })
      : Promise.resolve([]),
  ]);
  const slug = laneSlugOf(headRef, config);
  const staging =
    slug && !hasReadyMarker(commits, slug, config)
      ? await stagingCommits(
          github,
          context,
          `${config.branchPrefixes.staging}${slug}`,
        )
      : undefined;
  const state = laneStateOf(
    {
      headRef,
      author: pr.user?.login,
      headSha,
      commits,
      stagingCommits: staging,
      checkRuns,
      reviews,
      comments,
    },
    config,
  );
  const current: string[] = pr.labels.map((l: { name: string }) => l.name);
  const changes = labelChanges(current, state, config);
  for (const name of changes.remove) {
    await github.rest.issues.removeLabel({
      ...repo,
      issue_number: number,
      name,
    });
  }
  if (changes.add.length) {
    await github.rest.issues.addLabels({
      ...repo,
      issue_number: number,
      labels: changes.add,
    });
  }
  core.info(
    `#${number} ${headRef}: ${state ?? 'no lane state'} (+${changes.add.join(
      ',',
    )} -${changes.remove.join(',')})`,
  );
}

/** What auto-labels.yml calls: `await run({ github, context, core })`. */
export async function run(args: {
  github: Github;
  context: Context;
  core: Core;
  config?: LaneConfig;
}) {
  const config = args.config ?? loadLaneConfig();
  for (const number of await pullRequestNumbers(args.github, args.context)) {
    await labelPullRequest(
      args.github,
      args.context,
      args.core,
      number,
      config,
    );
  }
}
