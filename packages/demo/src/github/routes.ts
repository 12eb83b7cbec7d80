import fs from 'node:fs';
import { resolveTime } from '../fixtures/relativeTime';
import { DemoCheckRun, DemoCommit, DemoPull } from '../fixtures/schema';
import { LoadedRepository } from './loadDemoData';
import { paginate } from './paging';
import {
  annotationsJson,
  branchJson,
  checkRunJson,
  commitJson,
  contentJson,
  issueCommentJson,
  pullJson,
  releaseJson,
  repositoryJson,
  requiredStatusChecksJson,
  reviewJson,
  ServeContext,
} from './responses';
import type { ApiRequest, ApiResponse } from './DemoGithubApi';

/*
 * The endpoints of the demo GitHub, by the path segment after
 * `/repos/{owner}/{repo}/`: each answers from one repository's fixtures.
 */

const DOCS = 'https://docs.github.com/rest';

export type Handler = (
  repo: LoadedRepository,
  rest: string[],
  req: ApiRequest,
  ctx: ServeContext,
) => ApiResponse;

function json(body: unknown, extra: Record<string, string> = {}): ApiResponse {
  return { status: 200, headers: extra, body };
}

export function notFound(message = 'Not Found'): ApiResponse {
  return {
    status: 404,
    headers: {},
    body: { message, documentation_url: DOCS, status: '404' },
  };
}

function unprocessable(message: string): ApiResponse {
  return {
    status: 422,
    headers: {},
    body: { message, documentation_url: DOCS, status: '422' },
  };
}

const ms = (t: string, now: Date) => Date.parse(resolveTime(t, now));

function commitBySha(repo: LoadedRepository, sha: string) {
  return repo.fixture.commits.find(c => c.sha === sha);
}

/** A branch name or commit sha → the commit. */
function resolveRef(
  repo: LoadedRepository,
  ref: string,
): DemoCommit | undefined {
  const head = repo.fixture.branches[ref.replace(/^refs\/heads\//, '')];
  return commitBySha(repo, head ?? ref.toLowerCase());
}

function pullByNumber(repo: LoadedRepository, value: string) {
  return repo.fixture.pulls.find(p => String(p.number) === value);
}

function listUrl(req: ApiRequest) {
  return `${req.apiBase}${req.path}`;
}

function paged<T>(
  req: ApiRequest,
  items: T[],
  toJson: (item: T) => unknown,
  maxItems?: number,
): ApiResponse {
  const page = paginate(items, req.query, listUrl(req), maxItems);
  return json(page.items.map(toJson), page.link ? { link: page.link } : {});
}

function sortPulls(pulls: DemoPull[], req: ApiRequest, now: Date) {
  const sort = req.query.get('sort') ?? 'created';
  const direction = req.query.get('direction') ?? 'desc';
  const key = (p: DemoPull) =>
    ms(sort === 'updated' ? p.updatedAt : p.createdAt, now);
  return [...pulls].sort((a, b) =>
    direction === 'asc'
      ? key(a) - key(b) || a.number - b.number
      : key(b) - key(a) || b.number - a.number,
  );
}

/** `filter=latest`: the most recent run of each check name. */
function latestRuns(runs: DemoCheckRun[]): DemoCheckRun[] {
  const byName = new Map<string, DemoCheckRun>();
  for (const run of runs) {
    const seen = byName.get(run.name);
    if (!seen || run.id > seen.id) byName.set(run.name, run);
  }
  return [...byName.values()].sort((a, b) => a.id - b.id);
}

export const ROUTES: Record<string, Handler> = {
  // GET /repos/{owner}/{repo}
  '': (repo, _rest, _req, ctx) => json(repositoryJson(ctx, repo.fixture)),

  // GET /repos/{o}/{r}/pulls, /pulls/{n}, /pulls/{n}/commits, /pulls/{n}/reviews
  pulls: (repo, rest, req, ctx) => {
    const f = repo.fixture;
    if (rest.length === 0) {
      const state = req.query.get('state') ?? 'open';
      const base = req.query.get('base');
      const head = req.query.get('head');
      const pulls = f.pulls.filter(
        p =>
          (state === 'all' || p.state === state) &&
          (!base || p.base === base) &&
          (!head || `${f.owner}:${p.head.ref}` === head),
      );
      return paged(req, sortPulls(pulls, req, ctx.now), p =>
        pullJson(ctx, f, p, false),
      );
    }
    const pull = pullByNumber(repo, rest[0]);
    if (!pull) return notFound();
    if (rest.length === 1) return json(pullJson(ctx, f, pull, true));
    if (rest.length === 2 && rest[1] === 'commits') {
      const commits = pull.commits
        .map(sha => commitBySha(repo, sha))
        .filter((c): c is DemoCommit => Boolean(c));
      return paged(req, commits, c => commitJson(ctx, f, c), 250);
    }
    if (rest.length === 2 && rest[1] === 'reviews') {
      const reviews = f.reviews
        .filter(r => r.pull === pull.number)
        .sort((a, b) => ms(a.at, ctx.now) - ms(b.at, ctx.now) || a.id - b.id);
      return paged(req, reviews, r => reviewJson(ctx, f, r));
    }
    return notFound();
  },

  // GET /repos/{o}/{r}/issues/comments, /issues/{n}/comments
  issues: (repo, rest, req, ctx) => {
    const f = repo.fixture;
    const since = req.query.get('since');
    const sinceMs = since ? Date.parse(since) : undefined;
    if (since && Number.isNaN(sinceMs)) {
      return unprocessable(`Invalid since: ${since}`);
    }
    let comments = f.comments.filter(
      c => sinceMs === undefined || ms(c.updatedAt, ctx.now) >= sinceMs,
    );
    if (rest.length === 1 && rest[0] === 'comments') {
      const sort = req.query.get('sort') ?? 'created';
      const direction = req.query.get('direction') ?? 'asc';
      const key = (c: (typeof comments)[number]) =>
        ms(sort === 'updated' ? c.updatedAt : c.createdAt, ctx.now);
      comments = [...comments].sort((a, b) =>
        direction === 'desc'
          ? key(b) - key(a) || b.id - a.id
          : key(a) - key(b) || a.id - b.id,
      );
      return paged(req, comments, c => issueCommentJson(ctx, f, c));
    }
    if (rest.length === 2 && rest[1] === 'comments') {
      if (!pullByNumber(repo, rest[0])) return notFound();
      const own = comments
        .filter(c => String(c.issue) === rest[0])
        .sort(
          (a, b) =>
            ms(a.createdAt, ctx.now) - ms(b.createdAt, ctx.now) || a.id - b.id,
        );
      return paged(req, own, c => issueCommentJson(ctx, f, c));
    }
    return notFound();
  },

  // GET /repos/{o}/{r}/commits?sha=<branch|sha>, /commits/{ref}/check-runs
  commits: (repo, rest, req, ctx) => {
    const f = repo.fixture;
    if (rest.length === 0) {
      const from = req.query.get('sha') ?? f.defaultBranch;
      const head = resolveRef(repo, from);
      if (!head) {
        return notFound(`No commit found for SHA: ${from}`);
      }
      const history: DemoCommit[] = [];
      for (
        let c: DemoCommit | undefined = head;
        c && history.length < 1000;
        c = c.parents[0] ? commitBySha(repo, c.parents[0]) : undefined
      ) {
        history.push(c);
      }
      return paged(req, history, c => commitJson(ctx, f, c));
    }
    if (rest[rest.length - 1] === 'check-runs' && rest.length >= 2) {
      const ref = rest.slice(0, -1).join('/');
      const commit = resolveRef(repo, ref);
      if (!commit) {
        return unprocessable(`No commit found for SHA: ${ref}`);
      }
      let runs = f.checkRuns.filter(r => r.headSha === commit.sha);
      const name = req.query.get('check_name');
      if (name) runs = runs.filter(r => r.name === name);
      const status = req.query.get('status');
      if (status) runs = runs.filter(r => r.status === status);
      if ((req.query.get('filter') ?? 'latest') === 'latest')
        runs = latestRuns(runs);
      const page = paginate(runs, req.query, listUrl(req));
      return json(
        {
          total_count: runs.length,
          check_runs: page.items.map(r => checkRunJson(ctx, f, r)),
        },
        page.link ? { link: page.link } : {},
      );
    }
    return notFound();
  },

  // GET /repos/{o}/{r}/check-runs/{id}/annotations
  'check-runs': (repo, rest, req, ctx) => {
    const run = repo.fixture.checkRuns.find(r => String(r.id) === rest[0]);
    if (!run || rest.length !== 2 || rest[1] !== 'annotations')
      return notFound();
    const all = annotationsJson(ctx, repo.fixture, run);
    return paged(req, all, a => a);
  },

  // GET /repos/{o}/{r}/branches/{branch}, .../protection/required_status_checks
  branches: (repo, rest, _req, ctx) => {
    const f = repo.fixture;
    const suffix = ['protection', 'required_status_checks'];
    const isProtection =
      rest.length >= 3 && rest.slice(-2).join('/') === suffix.join('/');
    const branch = (isProtection ? rest.slice(0, -2) : rest).join('/');
    const head = f.branches[branch];
    if (!head) return notFound('Branch not found');
    if (isProtection) {
      if (!f.protection[branch]) return notFound('Branch not protected');
      return json(requiredStatusChecksJson(ctx, f, branch));
    }
    return json(branchJson(ctx, f, branch, commitBySha(repo, head)!));
  },

  // GET /repos/{o}/{r}/rules/branches/{branch}: the demo uses classic protection, no rulesets.
  rules: (_repo, rest) => {
    if (rest[0] !== 'branches' || rest.length < 2) return notFound();
    return json([]);
  },

  // GET /repos/{o}/{r}/releases, /releases/assets/{id}
  releases: (repo, rest, req, ctx) => {
    const f = repo.fixture;
    if (rest.length === 0) {
      const releases = [...f.releases].sort(
        (a, b) =>
          ms(b.publishedAt, ctx.now) - ms(a.publishedAt, ctx.now) ||
          b.id - a.id,
      );
      return paged(req, releases, r =>
        releaseJson(
          ctx,
          f,
          r,
          r.assets.map(a => repo.assets.get(a.id)!),
        ),
      );
    }
    if (rest.length === 2 && rest[0] === 'assets') {
      const asset = repo.assets.get(Number(rest[1]));
      if (!asset) return notFound();
      const release = f.releases.find(r =>
        r.assets.some(a => a.id === asset.id),
      )!;
      if ((req.headers.accept ?? '').includes('application/octet-stream')) {
        return {
          status: 200,
          headers: {
            'content-type': 'application/octet-stream',
            'content-disposition': `attachment; filename=${asset.name}`,
          },
          raw: fs.readFileSync(asset.path),
        };
      }
      return json(releaseJson(ctx, f, release, [asset]).assets[0]);
    }
    return notFound();
  },

  // GET /repos/{o}/{r}/attestations/{subject_digest}
  attestations: (repo, rest, req) => {
    if (rest.length !== 1) return notFound();
    const found = repo.attestations.get(rest[0].toLowerCase());
    const predicate = req.query.get('predicate_type');
    if (!found || (predicate && predicate !== 'provenance')) return notFound();
    return json({
      attestations: found.map(a => ({
        bundle: a.bundle,
        repository_id: repo.fixture.id,
        bundle_url: null,
        initiator: 'oidc',
      })),
    });
  },

  // GET /repos/{o}/{r}/contents/{path}?ref=
  contents: (repo, rest, req, ctx) => {
    const filePath = rest.join('/');
    const ref = req.query.get('ref') ?? repo.fixture.defaultBranch;
    if (!resolveRef(repo, ref)) {
      return notFound(`No commit found for the ref ${ref}`);
    }
    const text = repo.contents.get(filePath);
    if (text === undefined) return notFound();
    const accept = req.headers.accept ?? '';
    if (
      accept.includes('application/vnd.github.raw') ||
      accept.includes('application/vnd.github.v3.raw')
    ) {
      return {
        status: 200,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        raw: text,
      };
    }
    return json(contentJson(ctx, repo.fixture, filePath, text, ref));
  },
};
