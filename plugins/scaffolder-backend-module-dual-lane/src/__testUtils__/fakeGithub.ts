// The router below matches a path and keeps the match in one expression.
/* eslint-disable no-cond-assign */
import { createHash } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import {
  ContentFile,
  GitFileMode,
  treeSha,
} from '../services/content/gitObjects';

/**
 * An in-memory GitHub REST API for MSW, answering with the response shapes
 * of GitHub's REST documentation (only the fields the action reads plus the
 * identifying ones). It keeps state, so a second run sees what the first
 * created, and records every request for exact assertions.
 */

export const API = 'https://api.github.com';

export interface RecordedRequest {
  method: string;
  /** Decoded path without the query string. */
  path: string;
  query: string;
  body?: any;
  authorization: string | null;
}

interface Commit {
  tree: string;
  parents: string[];
  message: string;
}

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  visibility: 'private' | 'public' | 'internal';
  description: string | null;
  defaultBranch: string;
  topics: string[];
  archived: boolean;
  admin: boolean;
  refs: Map<string, string>;
  commits: Map<string, Commit>;
  trees: Map<string, ContentFile[]>;
  blobs: Map<string, Buffer>;
  labels: Array<{
    id: number;
    name: string;
    color: string;
    description: string | null;
  }>;
  protection: Map<string, any>;
  /** Branches requiring signed commits (their own endpoint). */
  signedBranches: Set<string>;
  rulesets: Array<{ id: number; body: any }>;
}

interface Fault {
  method: string;
  path: string | RegExp;
  status: number;
  body: any;
  times: number;
}

const doc = (section: string) => `https://docs.github.com/rest/${section}`;
const error = (
  status: number,
  message: string,
  section: string,
  extra: object = {},
) =>
  HttpResponse.json(
    {
      message,
      documentation_url: doc(section),
      status: String(status),
      ...extra,
    },
    { status },
  );

export class FakeGithub {
  readonly requests: RecordedRequest[] = [];
  readonly repos = new Map<string, FakeRepo>();
  readonly accounts = new Map<string, 'User' | 'Organization'>();
  /** Login of the token's user; undefined behaves like an App installation token. */
  authenticatedLogin?: string;
  private faults: Fault[] = [];
  private counter = 1000;

  constructor(
    options: {
      organizations?: string[];
      users?: string[];
      authenticatedLogin?: string;
    } = {},
  ) {
    for (const org of options.organizations ?? [])
      this.accounts.set(org.toLowerCase(), 'Organization');
    for (const user of options.users ?? [])
      this.accounts.set(user.toLowerCase(), 'User');
    this.authenticatedLogin = options.authenticatedLogin;
  }

  /** Answer the next `times` matching requests with this status and body. */
  failNext(
    method: string,
    path: string | RegExp,
    status: number,
    body: any,
    times = 1,
  ) {
    this.faults.push({ method, path, status, body, times });
  }

  /** Requests as `METHOD /path` lines, for sequence assertions. */
  lines() {
    return this.requests.map(r => `${r.method} ${r.path}`);
  }

  writes() {
    return this.requests.filter(r => r.method !== 'GET');
  }

  clearRequests() {
    this.requests.length = 0;
  }

  /** Adds a repository as if it had been created before the test. */
  addRepo(
    owner: string,
    name: string,
    options: Partial<
      Pick<
        FakeRepo,
        | 'visibility'
        | 'topics'
        | 'defaultBranch'
        | 'archived'
        | 'admin'
        | 'description'
      >
    > & { files?: ContentFile[] } = {},
  ) {
    const repo = this.newRepo(
      owner,
      name,
      options.visibility ?? 'private',
      options.description ?? null,
    );
    Object.assign(repo, {
      topics: options.topics ?? [],
      defaultBranch: options.defaultBranch ?? 'main',
      archived: options.archived ?? false,
      admin: options.admin ?? true,
    });
    if (options.files) {
      const tree = this.storeTree(repo, options.files);
      const sha = this.commit(repo, tree, [], 'existing history');
      repo.refs.set(`heads/${repo.defaultBranch}`, sha);
    }
    return repo;
  }

  repo(owner: string, name: string) {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** Files at the head of a branch. */
  filesAt(repo: FakeRepo, branch: string): ContentFile[] | undefined {
    const sha = repo.refs.get(`heads/${branch}`);
    return sha ? repo.trees.get(repo.commits.get(sha)!.tree) : undefined;
  }

  handlers() {
    return [
      http.all(
        new RegExp(`^${API.replace(/\./g, '\\.')}/`),
        async ({ request }) => {
          const url = new URL(request.url);
          const path = decodeURIComponent(url.pathname);
          const text = request.method === 'GET' ? '' : await request.text();
          const body = text ? JSON.parse(text) : undefined;
          this.requests.push({
            method: request.method,
            path,
            query: url.search,
            body,
            authorization: request.headers.get('authorization'),
          });
          const fault = this.faults.find(
            f =>
              f.method === request.method &&
              (typeof f.path === 'string'
                ? f.path === path
                : f.path.test(path)),
          );
          if (fault) {
            fault.times -= 1;
            if (fault.times <= 0)
              this.faults.splice(this.faults.indexOf(fault), 1);
            return HttpResponse.json(fault.body, { status: fault.status });
          }
          if (!request.headers.get('authorization')) {
            return error(
              401,
              'Requires authentication',
              'overview/authenticating-to-the-rest-api',
            );
          }
          return this.route(request.method, path, url.searchParams, body);
        },
      ),
    ];
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: any,
  ): Response {
    let m: RegExpMatchArray | null;
    if (method === 'GET' && (m = path.match(/^\/users\/([^/]+)$/))) {
      const type = this.accounts.get(m[1].toLowerCase());
      if (!type) return error(404, 'Not Found', 'users/users#get-a-user');
      return HttpResponse.json({ login: m[1], id: 1, type });
    }
    if (method === 'GET' && path === '/user') {
      if (!this.authenticatedLogin) {
        return error(
          403,
          'Resource not accessible by integration',
          'users/users#get-the-authenticated-user',
        );
      }
      return HttpResponse.json({
        login: this.authenticatedLogin,
        id: 2,
        type: 'User',
      });
    }
    if (method === 'POST' && (m = path.match(/^\/orgs\/([^/]+)\/repos$/))) {
      return this.createRepo(m[1], body);
    }
    if (method === 'POST' && path === '/user/repos') {
      return this.createRepo(this.authenticatedLogin!, body);
    }
    if (!(m = path.match(/^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/))) {
      return error(404, 'Not Found', 'overview');
    }
    const repo = this.repo(m[1], m[2]);
    if (!repo) return error(404, 'Not Found', 'repos/repos#get-a-repository');
    return this.routeRepo(repo, method, m[3] ?? '', query, body);
  }

  private routeRepo(
    repo: FakeRepo,
    method: string,
    rest: string,
    query: URLSearchParams,
    body: any,
  ): Response {
    let m: RegExpMatchArray | null;
    const empty = repo.refs.size === 0;
    const gitEmpty = () => error(409, 'Git Repository is empty.', 'git');
    if (rest === '') {
      if (method === 'GET') return HttpResponse.json(this.repoJson(repo));
      if (method === 'PATCH') {
        if (body.default_branch !== undefined) {
          if (!repo.refs.has(`heads/${body.default_branch}`)) {
            return error(
              422,
              'Validation Failed',
              'repos/repos#update-a-repository',
              {
                errors: [
                  {
                    resource: 'Repository',
                    code: 'invalid',
                    field: 'default_branch',
                  },
                ],
              },
            );
          }
          repo.defaultBranch = body.default_branch;
        }
        if (body.description !== undefined) repo.description = body.description;
        return HttpResponse.json(this.repoJson(repo));
      }
    }
    if (rest === '/topics') {
      if (method === 'GET') return HttpResponse.json({ names: repo.topics });
      if (method === 'PUT') {
        repo.topics = body.names;
        return HttpResponse.json({ names: repo.topics });
      }
    }
    if ((m = rest.match(/^\/git\/ref\/(.+)$/)) && method === 'GET') {
      if (empty) return gitEmpty();
      const sha = repo.refs.get(m[1]);
      if (!sha) return error(404, 'Not Found', 'git/refs#get-a-reference');
      return HttpResponse.json(this.refJson(repo, m[1], sha));
    }
    if (rest === '/git/refs' && method === 'POST') {
      if (empty) return gitEmpty();
      const ref = String(body.ref).replace(/^refs\//, '');
      if (repo.refs.has(ref))
        return error(
          422,
          'Reference already exists',
          'git/refs#create-a-reference',
        );
      if (!repo.commits.has(body.sha))
        return error(
          422,
          'Object does not exist',
          'git/refs#create-a-reference',
        );
      repo.refs.set(ref, body.sha);
      return HttpResponse.json(this.refJson(repo, ref, body.sha), {
        status: 201,
      });
    }
    if ((m = rest.match(/^\/git\/refs\/(.+)$/)) && method === 'PATCH') {
      const current = repo.refs.get(m[1]);
      if (!current)
        return error(
          422,
          'Reference does not exist',
          'git/refs#update-a-reference',
        );
      if (!body.force && !this.isAncestor(repo, current, body.sha)) {
        return error(
          422,
          'Update is not a fast forward',
          'git/refs#update-a-reference',
        );
      }
      repo.refs.set(m[1], body.sha);
      return HttpResponse.json(this.refJson(repo, m[1], body.sha));
    }
    if (
      (m = rest.match(/^\/git\/commits\/([0-9a-f]{40})$/)) &&
      method === 'GET'
    ) {
      const commit = repo.commits.get(m[1]);
      if (!commit)
        return error(404, 'Not Found', 'git/commits#get-a-commit-object');
      return HttpResponse.json(this.commitJson(repo, m[1], commit));
    }
    if (rest === '/git/commits' && method === 'POST') {
      if (empty) return gitEmpty();
      if (!repo.trees.has(body.tree))
        return error(
          422,
          'Tree SHA does not exist',
          'git/commits#create-a-commit',
        );
      const sha = this.commit(
        repo,
        body.tree,
        body.parents ?? [],
        body.message,
      );
      return HttpResponse.json(
        this.commitJson(repo, sha, repo.commits.get(sha)!),
        { status: 201 },
      );
    }
    if (rest === '/git/blobs' && method === 'POST') {
      if (empty) return gitEmpty();
      const content = Buffer.from(
        body.content,
        body.encoding === 'base64' ? 'base64' : 'utf8',
      );
      const sha = createHash('sha1')
        .update(`blob ${content.length}\0`)
        .update(content)
        .digest('hex');
      repo.blobs.set(sha, content);
      return HttpResponse.json(
        {
          url: `${API}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}`,
          sha,
        },
        { status: 201 },
      );
    }
    if (rest === '/git/trees' && method === 'POST') {
      if (empty) return gitEmpty();
      const files = new Map<string, ContentFile>();
      if (body.base_tree)
        for (const f of repo.trees.get(body.base_tree) ?? [])
          files.set(f.path, f);
      for (const entry of body.tree) {
        if (entry.sha === null) {
          files.delete(entry.path);
          continue;
        }
        const content =
          entry.content !== undefined
            ? Buffer.from(entry.content, 'utf8')
            : repo.blobs.get(entry.sha);
        if (!content)
          return error(
            422,
            `Invalid tree info: ${entry.path}`,
            'git/trees#create-a-tree',
          );
        files.set(entry.path, {
          path: entry.path,
          content,
          mode: entry.mode as GitFileMode,
        });
      }
      const sha = this.storeTree(repo, [...files.values()]);
      return HttpResponse.json(this.treeJson(repo, sha), { status: 201 });
    }
    if (
      (m = rest.match(/^\/git\/trees\/([0-9a-f]{40})$/)) &&
      method === 'GET'
    ) {
      if (!repo.trees.has(m[1]))
        return error(404, 'Not Found', 'git/trees#get-a-tree');
      return HttpResponse.json(this.treeJson(repo, m[1]));
    }
    if ((m = rest.match(/^\/contents\/(.+)$/)) && method === 'PUT') {
      return this.putContents(repo, m[1], body);
    }
    if (rest === '/labels' && method === 'GET') {
      const perPage = Number(query.get('per_page') ?? 30);
      const page = Number(query.get('page') ?? 1);
      const slice = repo.labels.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < repo.labels.length) {
        headers.link = `<${API}/repos/${repo.owner}/${
          repo.name
        }/labels?per_page=${perPage}&page=${page + 1}>; rel="next"`;
      }
      return HttpResponse.json(
        slice.map(l => this.labelJson(repo, l)),
        { headers },
      );
    }
    if (rest === '/labels' && method === 'POST') {
      if (
        repo.labels.some(
          l => l.name.toLowerCase() === String(body.name).toLowerCase(),
        )
      ) {
        return error(422, 'Validation Failed', 'issues/labels#create-a-label', {
          errors: [
            { resource: 'Label', code: 'already_exists', field: 'name' },
          ],
        });
      }
      const label = {
        id: this.counter++,
        name: body.name,
        color: body.color,
        description: body.description ?? null,
      };
      repo.labels.push(label);
      return HttpResponse.json(this.labelJson(repo, label), { status: 201 });
    }
    if ((m = rest.match(/^\/labels\/(.+)$/)) && method === 'PATCH') {
      const label = repo.labels.find(
        l => l.name.toLowerCase() === m![1].toLowerCase(),
      );
      if (!label)
        return error(404, 'Not Found', 'issues/labels#update-a-label');
      label.name = body.new_name ?? label.name;
      label.color = body.color ?? label.color;
      label.description = body.description ?? label.description;
      return HttpResponse.json(this.labelJson(repo, label));
    }
    if (
      (m = rest.match(/^\/branches\/(.+)\/protection\/required_signatures$/)) &&
      method === 'POST'
    ) {
      if (!repo.protection.has(m[1]))
        return error(
          404,
          'Branch not protected',
          'branches/branch-protection#create-commit-signature-protection',
        );
      repo.signedBranches.add(m[1]);
      return HttpResponse.json({
        url: `${API}/repos/${repo.owner}/${repo.name}/branches/${m[1]}/protection/required_signatures`,
        enabled: true,
      });
    }
    if ((m = rest.match(/^\/branches\/(.+)\/protection$/))) {
      const branch = m[1];
      if (method === 'PUT') {
        if (!repo.refs.has(`heads/${branch}`))
          return error(
            404,
            'Branch not found',
            'branches/branch-protection#update-branch-protection',
          );
        // The PUT body cannot say anything about signed commits; assume the
        // worst (it resets them), so the action has to restore them.
        repo.signedBranches.delete(branch);
        repo.protection.set(branch, body);
        return HttpResponse.json(this.protectionJson(repo, branch, body));
      }
      if (method === 'GET') {
        const stored = repo.protection.get(branch);
        if (!stored)
          return error(
            404,
            'Branch not protected',
            'branches/branch-protection#get-branch-protection',
          );
        return HttpResponse.json(this.protectionJson(repo, branch, stored));
      }
    }
    if (rest === '/rulesets') {
      if (method === 'GET') {
        return HttpResponse.json(
          repo.rulesets.map(r => ({
            id: r.id,
            name: r.body.name,
            target: r.body.target,
            source_type: 'Repository',
            source: `${repo.owner}/${repo.name}`,
            enforcement: r.body.enforcement,
          })),
        );
      }
      if (method === 'POST') {
        if (repo.rulesets.some(r => r.body.name === body.name)) {
          return error(
            422,
            'Validation Failed',
            'repos/rules#create-a-repository-ruleset',
            { errors: ['Name must be unique'] },
          );
        }
        const ruleset = { id: this.counter++, body };
        repo.rulesets.push(ruleset);
        return HttpResponse.json(this.rulesetJson(repo, ruleset), {
          status: 201,
        });
      }
    }
    if ((m = rest.match(/^\/rulesets\/(\d+)$/))) {
      const ruleset = repo.rulesets.find(r => r.id === Number(m![1]));
      if (!ruleset) return error(404, 'Not Found', 'repos/rules');
      if (method === 'PUT') ruleset.body = { ...ruleset.body, ...body };
      return HttpResponse.json(this.rulesetJson(repo, ruleset));
    }
    return error(404, `Not Found (fake: ${method} ${rest})`, 'overview');
  }

  private newRepo(
    owner: string,
    name: string,
    visibility: FakeRepo['visibility'],
    description: string | null,
  ): FakeRepo {
    const repo: FakeRepo = {
      id: this.counter++,
      owner,
      name,
      visibility,
      description,
      defaultBranch: 'main',
      topics: [],
      archived: false,
      admin: true,
      refs: new Map(),
      commits: new Map(),
      trees: new Map(),
      blobs: new Map(),
      labels: [],
      protection: new Map(),
      signedBranches: new Set(),
      rulesets: [],
    };
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo);
    return repo;
  }

  private createRepo(owner: string, body: any): Response {
    if (this.repo(owner, body.name)) {
      return error(
        422,
        'Repository creation failed.',
        'repos/repos#create-an-organization-repository',
        {
          errors: [
            {
              resource: 'Repository',
              code: 'custom',
              field: 'name',
              message: 'name already exists on this account',
            },
          ],
        },
      );
    }
    const visibility = body.visibility ?? (body.private ? 'private' : 'public');
    const repo = this.newRepo(
      owner,
      body.name,
      visibility,
      body.description ?? null,
    );
    // GitHub reports the owner's default branch name even while the repository is empty.
    return HttpResponse.json(this.repoJson(repo), { status: 201 });
  }

  private putContents(repo: FakeRepo, path: string, body: any): Response {
    const branch = body.branch ?? repo.defaultBranch;
    const head = repo.refs.get(`heads/${branch}`);
    const base = head ? repo.trees.get(repo.commits.get(head)!.tree)! : [];
    if (base.some(f => f.path === path) && !body.sha) {
      return error(
        422,
        '"sha" wasn\'t supplied.',
        'repos/contents#create-or-update-file-contents',
      );
    }
    const files = [
      ...base.filter(f => f.path !== path),
      {
        path,
        content: Buffer.from(body.content, 'base64'),
        mode: '100644' as const,
      },
    ];
    const wasEmpty = repo.refs.size === 0;
    const tree = this.storeTree(repo, files);
    const sha = this.commit(repo, tree, head ? [head] : [], body.message);
    repo.refs.set(`heads/${branch}`, sha);
    if (wasEmpty) repo.defaultBranch = branch;
    return HttpResponse.json(
      {
        content: { name: path.split('/').pop(), path, type: 'file' },
        commit: {
          sha,
          tree: {
            sha: tree,
            url: `${API}/repos/${repo.owner}/${repo.name}/git/trees/${tree}`,
          },
          message: body.message,
          parents: head ? [{ sha: head }] : [],
        },
      },
      { status: 201 },
    );
  }

  private storeTree(repo: FakeRepo, files: ContentFile[]) {
    const sha = treeSha(files);
    repo.trees.set(sha, files);
    return sha;
  }

  private commit(
    repo: FakeRepo,
    tree: string,
    parents: string[],
    message: string,
  ) {
    const sha = createHash('sha1')
      .update(`${tree}|${parents.join(',')}|${message}|${this.counter++}`)
      .digest('hex');
    repo.commits.set(sha, { tree, parents, message });
    return sha;
  }

  private isAncestor(repo: FakeRepo, ancestor: string, sha: string): boolean {
    if (ancestor === sha) return true;
    const commit = repo.commits.get(sha);
    return (
      !!commit && commit.parents.some(p => this.isAncestor(repo, ancestor, p))
    );
  }

  private repoJson(repo: FakeRepo) {
    const base = `https://github.com/${repo.owner}/${repo.name}`;
    return {
      id: repo.id,
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      owner: { login: repo.owner },
      private: repo.visibility !== 'public',
      visibility: repo.visibility,
      description: repo.description,
      html_url: base,
      clone_url: `${base}.git`,
      default_branch: repo.defaultBranch,
      topics: repo.topics,
      archived: repo.archived,
      size: repo.refs.size ? 1 : 0,
      permissions: {
        admin: repo.admin,
        maintain: true,
        push: true,
        triage: true,
        pull: true,
      },
    };
  }

  private refJson(repo: FakeRepo, ref: string, sha: string) {
    return {
      ref: `refs/${ref}`,
      url: `${API}/repos/${repo.owner}/${repo.name}/git/refs/${ref}`,
      object: {
        type: 'commit',
        sha,
        url: `${API}/repos/${repo.owner}/${repo.name}/git/commits/${sha}`,
      },
    };
  }

  private commitJson(repo: FakeRepo, sha: string, commit: Commit) {
    return {
      sha,
      url: `${API}/repos/${repo.owner}/${repo.name}/git/commits/${sha}`,
      message: commit.message,
      tree: {
        sha: commit.tree,
        url: `${API}/repos/${repo.owner}/${repo.name}/git/trees/${commit.tree}`,
      },
      parents: commit.parents.map(p => ({
        sha: p,
        url: `${API}/repos/${repo.owner}/${repo.name}/git/commits/${p}`,
      })),
    };
  }

  private treeJson(repo: FakeRepo, sha: string) {
    const files = repo.trees.get(sha)!;
    const top = new Map<string, { path: string; mode: string; type: string }>();
    for (const f of files) {
      const [first, ...rest] = f.path.split('/');
      top.set(
        first,
        rest.length
          ? { path: first, mode: '040000', type: 'tree' }
          : { path: first, mode: f.mode, type: 'blob' },
      );
    }
    return {
      sha,
      url: `${API}/repos/${repo.owner}/${repo.name}/git/trees/${sha}`,
      tree: [...top.values()],
      truncated: false,
    };
  }

  private labelJson(repo: FakeRepo, label: FakeRepo['labels'][number]) {
    return {
      ...label,
      url: `${API}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(
        label.name,
      )}`,
      default: false,
    };
  }

  private protectionJson(repo: FakeRepo, branch: string, body: any) {
    const url = `${API}/repos/${repo.owner}/${repo.name}/branches/${branch}/protection`;
    const checks = body.required_status_checks;
    const enabled = (value: unknown) => ({ enabled: !!value });
    // GitHub answers with full user, team and app objects.
    const principals = (set: any) =>
      set && {
        users: (set.users ?? []).map((login: string) => ({ login, id: 1 })),
        teams: (set.teams ?? []).map((slug: string) => ({ slug, id: 2 })),
        apps: (set.apps ?? []).map((slug: string) => ({ slug, id: 3 })),
      };
    const reviews = body.required_pull_request_reviews;
    return {
      url,
      required_status_checks: checks && {
        url: `${url}/required_status_checks`,
        strict: checks.strict,
        contexts: (checks.checks ?? [])
          .map((c: any) => c.context)
          .concat(checks.contexts ?? []),
        contexts_url: `${url}/required_status_checks/contexts`,
        // GitHub echoes the pinned app, or null when any app may report it.
        checks: (checks.checks ?? []).map((c: any) => ({
          context: c.context,
          app_id: c.app_id ?? null,
        })),
      },
      enforce_admins: {
        url: `${url}/enforce_admins`,
        enabled: !!body.enforce_admins,
      },
      required_pull_request_reviews: body.required_pull_request_reviews && {
        url: `${url}/required_pull_request_reviews`,
        dismiss_stale_reviews:
          !!body.required_pull_request_reviews.dismiss_stale_reviews,
        require_code_owner_reviews:
          !!body.required_pull_request_reviews.require_code_owner_reviews,
        required_approving_review_count:
          body.required_pull_request_reviews.required_approving_review_count ??
          0,
        require_last_push_approval:
          !!body.required_pull_request_reviews.require_last_push_approval,
        ...(reviews.dismissal_restrictions && {
          dismissal_restrictions: principals(reviews.dismissal_restrictions),
        }),
        ...(reviews.bypass_pull_request_allowances && {
          bypass_pull_request_allowances: principals(
            reviews.bypass_pull_request_allowances,
          ),
        }),
      },
      ...(body.restrictions && {
        restrictions: {
          url: `${url}/restrictions`,
          ...principals(body.restrictions),
        },
      }),
      required_signatures: {
        url: `${url}/required_signatures`,
        enabled: repo.signedBranches.has(branch),
      },
      required_linear_history: enabled(body.required_linear_history),
      allow_force_pushes: enabled(body.allow_force_pushes),
      allow_deletions: enabled(body.allow_deletions),
      block_creations: enabled(body.block_creations),
      required_conversation_resolution: enabled(
        body.required_conversation_resolution,
      ),
      lock_branch: enabled(body.lock_branch),
      allow_fork_syncing: enabled(body.allow_fork_syncing),
    };
  }

  private rulesetJson(repo: FakeRepo, ruleset: { id: number; body: any }) {
    return {
      id: ruleset.id,
      source_type: 'Repository',
      source: `${repo.owner}/${repo.name}`,
      bypass_actors: [],
      ...ruleset.body,
    };
  }
}
