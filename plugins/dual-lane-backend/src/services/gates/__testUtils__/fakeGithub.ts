import { createHash } from 'node:crypto';

/*
 * A small, stateful GitHub REST API for tests and the sync benchmark. It
 * answers the endpoints the gates area reads, with the response shapes of
 * GitHub's REST documentation (pulls, commits, check runs, reviews, issue
 * comments, branch protection, branch rules), `per_page`/`page` pagination
 * with `Link` headers, weak ETags and 304s on `If-None-Match`. Transport is
 * separate: `mswHandlers` (tests) or a node http server (benchmark) call
 * `handle`.
 */

export interface FakeApp {
  id: number;
  slug: string;
}

export const GITHUB_ACTIONS: FakeApp = { id: 15368, slug: 'github-actions' };

export interface FakeCommit {
  sha: string;
  message: string;
  date: string;
}

export interface FakePull {
  number: number;
  id: number;
  title: string;
  state: 'open' | 'closed';
  draft?: boolean;
  author: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  mergedAt?: string;
  mergeCommitSha?: string;
  mergedBy?: string;
  labels: string[];
  commits: FakeCommit[];
}

export interface FakeCheckRun {
  id: number;
  name: string;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?: string;
  startedAt: string;
  completedAt?: string;
  app: FakeApp;
  summary?: string;
  text?: string;
  annotations?: Array<{ title?: string; message: string }>;
}

export interface FakeReview {
  id: number;
  author: string;
  body: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  commitId: string;
  submittedAt: string;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  author: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export type FakeProtection =
  | { status: 200; checks: Array<{ context: string; app_id: number | null }> }
  | { status: 403 | 404 };

export type FakeRules =
  | {
      status: 200;
      checks: Array<{ context: string; integration_id?: number }>;
    }
  | { status: 403 | 404 };

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  pulls: Map<number, FakePull>;
  /** Branch → commits, newest first. */
  branches: Map<string, FakeCommit[]>;
  checkRuns: FakeCheckRun[];
  reviews: Map<number, FakeReview[]>;
  comments: FakeComment[];
  protection: Map<string, FakeProtection>;
  rules: Map<string, FakeRules>;
}

export interface FakeRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
}

export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  ifNoneMatch?: string;
  status: number;
  repo?: string;
}

/** Returns a response to answer instead, or undefined to go on. */
export type Interceptor = (
  req: FakeRequest & { path: string },
) => FakeResponse | undefined;

let nextId = 1000;
export const newId = () => (nextId += 1);
/** Restarts ids, so that two runs of a scenario describe the same objects. */
export function resetIds(start = 1000) {
  nextId = start;
}

export function sha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export function userJson(login: string) {
  const id = parseInt(sha(login).slice(0, 6), 16);
  return {
    login,
    id,
    node_id: `MDQ6VXNlcj${id}`,
    avatar_url: `https://github.com/images/error/${login}_happy.gif`,
    url: `https://api.github.com/users/${login}`,
    html_url: `https://github.com/${login}`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    site_admin: false,
  };
}

export function repositoryJson(repo: FakeRepo, host = 'github.com') {
  return {
    id: repo.id,
    node_id: `MDEwOlJlcG9zaXRvcnk${repo.id}`,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: false,
    owner: { ...userJson(repo.owner), type: 'Organization' },
    html_url: `https://${host}/${repo.owner}/${repo.name}`,
    url: `https://api.${host}/repos/${repo.owner}/${repo.name}`,
    default_branch: repo.defaultBranch,
  };
}

export function pullJson(repo: FakeRepo, pr: FakePull, single = false) {
  const base = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
  const json: Record<string, unknown> = {
    url: `${base}/pulls/${pr.number}`,
    id: pr.id,
    node_id: `MDExOlB1bGxSZXF1ZXN0${pr.id}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${pr.number}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userJson(pr.author),
    body: `Implements ${pr.title}`,
    labels: pr.labels.map(name => ({
      id: parseInt(sha(name).slice(0, 8), 16),
      node_id: `MDU6TGFiZWw${name}`,
      url: `${base}/labels/${encodeURIComponent(name)}`,
      name,
      description: null,
      color: 'ededed',
      default: false,
    })),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt ?? null,
    merged_at: pr.mergedAt ?? null,
    merge_commit_sha: pr.mergeCommitSha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    head: {
      label: `${repo.owner}:${pr.headRef}`,
      ref: pr.headRef,
      sha: pr.headSha,
      user: userJson(repo.owner),
      repo: repositoryJson(repo),
    },
    base: {
      label: `${repo.owner}:${pr.baseRef}`,
      ref: pr.baseRef,
      sha: sha(`${repo.name}:${pr.baseRef}`),
      user: userJson(repo.owner),
      repo: repositoryJson(repo),
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: Boolean(pr.draft),
  };
  if (single) {
    Object.assign(json, {
      merged: Boolean(pr.mergedAt),
      mergeable: null,
      merged_by: pr.mergedBy ? userJson(pr.mergedBy) : null,
      comments: 0,
      review_comments: 0,
      commits: pr.commits.length,
      additions: 10,
      deletions: 2,
      changed_files: 1,
    });
  }
  return json;
}

export function commitJson(repo: FakeRepo, c: FakeCommit) {
  const base = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
  const person = { name: 'Lane Bot', email: 'lane@example.com', date: c.date };
  return {
    url: `${base}/commits/${c.sha}`,
    sha: c.sha,
    node_id: `MDY6Q29tbWl0${c.sha.slice(0, 8)}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/commit/${c.sha}`,
    comments_url: `${base}/commits/${c.sha}/comments`,
    commit: {
      url: `${base}/git/commits/${c.sha}`,
      author: person,
      committer: person,
      message: c.message,
      tree: { url: `${base}/tree/${sha(c.sha)}`, sha: sha(c.sha) },
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
    },
    author: userJson('lane-bot'),
    committer: userJson('web-flow'),
    parents: [],
  };
}

export function checkRunJson(repo: FakeRepo, run: FakeCheckRun) {
  const base = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
  const prs = [...repo.pulls.values()].filter(p => p.headSha === run.headSha);
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: `MDg6Q2hlY2tSdW4${run.id}`,
    external_id: '',
    url: `${base}/check-runs/${run.id}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/runs/${run.id}`,
    details_url: `https://github.com/${repo.owner}/${repo.name}/actions/runs/${run.id}/job/${run.id}`,
    status: run.status,
    conclusion: run.status === 'completed' ? run.conclusion ?? 'success' : null,
    started_at: run.startedAt,
    completed_at: run.status === 'completed' ? run.completedAt ?? run.startedAt : null,
    output: {
      title: run.summary ? run.name : null,
      summary: run.summary ?? null,
      text: run.text ?? null,
      annotations_count: run.annotations?.length ?? 0,
      annotations_url: `${base}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id * 10 },
    app: {
      id: run.app.id,
      slug: run.app.slug,
      node_id: `MDM6QXBw${run.app.id}`,
      owner: userJson('github'),
      name: run.app.slug === 'github-actions' ? 'GitHub Actions' : run.app.slug,
      description: '',
      external_url: 'https://github.com',
      html_url: `https://github.com/apps/${run.app.slug}`,
      created_at: '2018-07-30T09:30:17Z',
      updated_at: '2019-12-10T19:04:12Z',
      permissions: { checks: 'write', metadata: 'read' },
      events: [],
    },
    pull_requests: prs.map(p => ({
      url: `${base}/pulls/${p.number}`,
      id: p.id,
      number: p.number,
      head: { ref: p.headRef, sha: p.headSha, repo: { id: repo.id, url: base, name: repo.name } },
      base: { ref: p.baseRef, sha: sha(p.baseRef), repo: { id: repo.id, url: base, name: repo.name } },
    })),
  };
}

export function reviewJson(repo: FakeRepo, number: number, r: FakeReview) {
  const base = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
  return {
    id: r.id,
    node_id: `MDE3OlB1bGxSZXF1ZXN0UmV2aWV3${r.id}`,
    user: userJson(r.author),
    body: r.body,
    state: r.state,
    html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${number}#pullrequestreview-${r.id}`,
    pull_request_url: `${base}/pulls/${number}`,
    _links: {
      html: { href: `https://github.com/${repo.owner}/${repo.name}/pull/${number}#pullrequestreview-${r.id}` },
      pull_request: { href: `${base}/pulls/${number}` },
    },
    submitted_at: r.submittedAt,
    commit_id: r.commitId,
    author_association: 'COLLABORATOR',
  };
}

export function commentJson(repo: FakeRepo, c: FakeComment) {
  const base = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
  return {
    id: c.id,
    node_id: `MDEyOklzc3VlQ29tbWVudDE${c.id}`,
    url: `${base}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: userJson(c.author),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${base}/issues/${c.issueNumber}`,
    author_association: 'COLLABORATOR',
  };
}

function etagOf(body: unknown, link?: string) {
  return `W/"${createHash('sha256').update(JSON.stringify(body)).update(link ?? '').digest('hex').slice(0, 32)}"`;
}

function notFound(): FakeResponse {
  return {
    status: 404,
    headers: {},
    body: {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    },
  };
}

export class FakeGithub {
  readonly repos = new Map<string, FakeRepo>();
  readonly log: LoggedRequest[] = [];
  private interceptors: Interceptor[] = [];
  /** Whether to keep a log of every request (off in the benchmark). */
  keepLog = true;
  /** Requests answered, per `owner/repo`. */
  readonly countsByRepo = new Map<string, number>();

  constructor(readonly apiBaseUrl = 'https://api.github.com') {}

  addRepo(owner: string, name: string, defaultBranch = 'main'): FakeRepo {
    const repo: FakeRepo = {
      id: newId(),
      owner,
      name,
      defaultBranch,
      pulls: new Map(),
      branches: new Map(),
      checkRuns: [],
      reviews: new Map(),
      comments: [],
      protection: new Map(),
      rules: new Map(),
    };
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo);
    return repo;
  }

  intercept(interceptor: Interceptor) {
    this.interceptors.push(interceptor);
  }

  clearInterceptors() {
    this.interceptors = [];
  }

  requestsTo(pathPattern: RegExp) {
    return this.log.filter(r => pathPattern.test(r.path));
  }

  handle(req: FakeRequest): FakeResponse {
    const url = new URL(req.url);
    const prefix = new URL(this.apiBaseUrl).pathname.replace(/\/$/, '');
    const path = url.pathname.slice(prefix.length);
    const query = Object.fromEntries(url.searchParams);
    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)/.exec(path);
    const repoKey = repoMatch ? `${repoMatch[1]}/${repoMatch[2]}`.toLowerCase() : undefined;
    let res: FakeResponse | undefined;
    for (const interceptor of this.interceptors) {
      res = interceptor({ ...req, path });
      if (res) break;
    }
    if (!res) {
      const json = this.route(req.method, path, query, url);
      if (json.status === 200 && json.body !== undefined) {
        const etag = etagOf(json.body, json.headers.link);
        json.headers.etag = etag;
        if (req.headers['if-none-match'] === etag) {
          res = { status: 304, headers: { etag } };
        }
      }
      res ??= json;
    }
    res.headers = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
      ...res.headers,
    };
    if (repoKey) this.countsByRepo.set(repoKey, (this.countsByRepo.get(repoKey) ?? 0) + 1);
    if (this.keepLog) {
      this.log.push({
        method: req.method,
        path,
        query,
        ifNoneMatch: req.headers['if-none-match'],
        status: res.status,
        repo: repoKey,
      });
    }
    return res;
  }

  private page<T>(items: T[], query: Record<string, string>, url: URL): FakeResponse {
    const perPage = Math.min(100, Number(query.per_page ?? 30));
    const page = Math.max(1, Number(query.page ?? 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const links: string[] = [];
    const at = (n: number) => {
      const u = new URL(url);
      u.searchParams.set('page', String(n));
      return u.toString();
    };
    if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
    if (page > 1) links.push(`<${at(1)}>; rel="first"`, `<${at(page - 1)}>; rel="prev"`);
    return {
      status: 200,
      headers: links.length ? { link: links.join(', ') } : {},
      body: items.slice((page - 1) * perPage, page * perPage),
    };
  }

  private route(
    method: string,
    path: string,
    query: Record<string, string>,
    url: URL,
  ): FakeResponse {
    if (method !== 'GET') return notFound();
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return notFound();
    const repo = this.repos.get(`${m[1]}/${m[2]}`.toLowerCase());
    if (!repo) return notFound();
    const rest = m[3] ?? '';
    let r: RegExpExecArray | null;

    if (rest === '/pulls') {
      const state = query.state ?? 'open';
      const key = query.sort === 'updated' ? 'updatedAt' : 'createdAt';
      const dir = query.direction ?? (query.sort ? 'desc' : 'desc');
      const pulls = [...repo.pulls.values()]
        .filter(p => state === 'all' || p.state === state)
        .sort((a, b) =>
          dir === 'asc' ? a[key].localeCompare(b[key]) || a.number - b.number : b[key].localeCompare(a[key]) || b.number - a.number,
        );
      const res = this.page(pulls, query, url);
      res.body = (res.body as FakePull[]).map(p => pullJson(repo, p));
      return res;
    }
    r = /^\/pulls\/(\d+)$/.exec(rest);
    if (r) {
      const pr = repo.pulls.get(Number(r[1]));
      return pr ? { status: 200, headers: {}, body: pullJson(repo, pr, true) } : notFound();
    }
    r = /^\/pulls\/(\d+)\/commits$/.exec(rest);
    if (r) {
      const pr = repo.pulls.get(Number(r[1]));
      if (!pr) return notFound();
      const res = this.page(pr.commits.slice(0, 250), query, url);
      res.body = (res.body as FakeCommit[]).map(c => commitJson(repo, c));
      return res;
    }
    r = /^\/pulls\/(\d+)\/reviews$/.exec(rest);
    if (r) {
      if (!repo.pulls.has(Number(r[1]))) return notFound();
      const res = this.page(repo.reviews.get(Number(r[1])) ?? [], query, url);
      res.body = (res.body as FakeReview[]).map(v => reviewJson(repo, Number(r![1]), v));
      return res;
    }
    r = /^\/issues\/(\d+)\/comments$/.exec(rest);
    if (r) {
      const res = this.page(
        repo.comments.filter(c => c.issueNumber === Number(r![1])),
        query,
        url,
      );
      res.body = (res.body as FakeComment[]).map(c => commentJson(repo, c));
      return res;
    }
    if (rest === '/issues/comments') {
      const since = query.since;
      const comments = repo.comments
        .filter(c => !since || c.updatedAt >= since)
        .sort((a, b) =>
          query.direction === 'desc' ? b.updatedAt.localeCompare(a.updatedAt) : a.updatedAt.localeCompare(b.updatedAt),
        );
      const res = this.page(comments, query, url);
      res.body = (res.body as FakeComment[]).map(c => commentJson(repo, c));
      return res;
    }
    r = /^\/commits\/([^/]+)\/check-runs$/.exec(rest);
    if (r) {
      const ref = decodeURIComponent(r[1]);
      const headSha = /^[0-9a-f]{40}$/.test(ref) ? ref : repo.branches.get(ref)?.[0]?.sha;
      if (!headSha) {
        return { status: 422, headers: {}, body: { message: `No commit found for SHA: ${ref}` } };
      }
      let runs = repo.checkRuns.filter(c => c.headSha === headSha);
      if (query.check_name) runs = runs.filter(c => c.name === query.check_name);
      if ((query.filter ?? 'latest') === 'latest') {
        const latest = new Map<string, FakeCheckRun>();
        for (const run of [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id - a.id)) {
          if (!latest.has(`${run.name}:${run.app.id}`)) latest.set(`${run.name}:${run.app.id}`, run);
        }
        runs = [...latest.values()];
      }
      runs.sort((a, b) => a.id - b.id);
      const res = this.page(runs, query, url);
      res.body = {
        total_count: runs.length,
        check_runs: (res.body as FakeCheckRun[]).map(c => checkRunJson(repo, c)),
      };
      return res;
    }
    r = /^\/check-runs\/(\d+)\/annotations$/.exec(rest);
    if (r) {
      const run = repo.checkRuns.find(c => c.id === Number(r![1]));
      if (!run) return notFound();
      const res = this.page(run.annotations ?? [], query, url);
      res.body = (res.body as Array<{ title?: string; message: string }>).map(a => ({
        path: '.github',
        start_line: 1,
        end_line: 1,
        start_column: null,
        end_column: null,
        annotation_level: 'notice',
        title: a.title ?? null,
        message: a.message,
        raw_details: null,
        blob_href: `https://github.com/${repo.owner}/${repo.name}/blob/${run.headSha}/.github`,
      }));
      return res;
    }
    if (rest === '/commits') {
      const commits = repo.branches.get(query.sha ?? repo.defaultBranch);
      if (!commits) {
        return { status: 404, headers: {}, body: { message: 'Branch not found' } };
      }
      const res = this.page(commits, query, url);
      res.body = (res.body as FakeCommit[]).map(c => commitJson(repo, c));
      return res;
    }
    r = /^\/branches\/(.+)\/protection\/required_status_checks$/.exec(rest);
    if (r) {
      const p = repo.protection.get(decodeURIComponent(r[1])) ?? { status: 404 as const };
      if (p.status !== 200) {
        return {
          status: p.status,
          headers: {},
          body: { message: p.status === 404 ? 'Branch not protected' : 'Resource not accessible by integration' },
        };
      }
      return {
        status: 200,
        headers: {},
        body: {
          url: `https://api.github.com/repos/${repo.owner}/${repo.name}/branches/${r[1]}/protection/required_status_checks`,
          strict: true,
          contexts: p.checks.map(c => c.context),
          checks: p.checks,
          contexts_url: `https://api.github.com/repos/${repo.owner}/${repo.name}/branches/${r[1]}/protection/required_status_checks/contexts`,
        },
      };
    }
    r = /^\/rules\/branches\/(.+)$/.exec(rest);
    if (r) {
      const p = repo.rules.get(decodeURIComponent(r[1])) ?? { status: 200 as const, checks: [] };
      if (p.status !== 200) {
        return { status: p.status, headers: {}, body: { message: 'Resource not accessible by integration' } };
      }
      return {
        status: 200,
        headers: {},
        body: p.checks.length
          ? [
              {
                type: 'required_status_checks',
                ruleset_source_type: 'Repository',
                ruleset_source: `${repo.owner}/${repo.name}`,
                ruleset_id: 42,
                parameters: {
                  strict_required_status_checks_policy: true,
                  required_status_checks: p.checks,
                },
              },
            ]
          : [],
      };
    }
    return notFound();
  }
}
