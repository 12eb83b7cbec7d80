import crypto from 'node:crypto';
import {
  GITHUB_APPS,
  DemoCheckRun,
  DemoComment,
  DemoCommit,
  DemoPull,
  DemoRelease,
  DemoRepository,
  DemoReview,
} from '../fixtures/schema';
import { resolveTime } from '../fixtures/relativeTime';
import { LoadedAsset } from './loadDemoData';

/*
 * GitHub REST response shapes (as documented for the 2022-11-28 API
 * version) built from the demo fixtures. Fields GitHub always sends are
 * present, so a client reading any of them finds what it would on GitHub.
 */

/** Where the served objects live: the API base and the web host. */
export interface ServeContext {
  /** e.g. `http://localhost:7007/api/demo-github` */
  apiBase: string;
  /** e.g. `github.demo.internal` */
  host: string;
  now: Date;
}

const numericId = (seed: string) =>
  parseInt(
    crypto.createHash('sha1').update(seed).digest('hex').slice(0, 7),
    16,
  );

const nodeId = (kind: string, id: number | string) =>
  Buffer.from(`0:${kind}${id}`).toString('base64').replace(/=+$/, '');

export function userJson(ctx: ServeContext, login: string) {
  const bot = login.endsWith('[bot]');
  const id = numericId(login);
  return {
    login,
    id,
    node_id: nodeId(bot ? 'Bot' : 'User', id),
    avatar_url: `https://${ctx.host}/avatars/u/${id}?v=4`,
    gravatar_id: '',
    url: `${ctx.apiBase}/users/${encodeURIComponent(login)}`,
    html_url: bot
      ? `https://${ctx.host}/apps/${login.replace(/\[bot\]$/, '')}`
      : `https://${ctx.host}/${login}`,
    type: bot ? 'Bot' : 'User',
    site_admin: false,
  };
}

export function repositoryJson(ctx: ServeContext, repo: DemoRepository) {
  const full = `${repo.owner}/${repo.name}`;
  const at = (t: string) => resolveTime(t, ctx.now);
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: full,
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    owner: {
      ...userJson(ctx, repo.owner),
      type: 'Organization',
      html_url: `https://${ctx.host}/${repo.owner}`,
    },
    html_url: `https://${ctx.host}/${full}`,
    description: repo.description,
    fork: false,
    url: `${ctx.apiBase}/repos/${full}`,
    clone_url: `https://${ctx.host}/${full}.git`,
    default_branch: repo.defaultBranch,
    archived: false,
    disabled: false,
    topics: ['dual-lane'],
    created_at: at(repo.createdAt),
    updated_at: at('now-1h'),
    pushed_at: at('now-1h'),
  };
}

function labelJson(ctx: ServeContext, repo: DemoRepository, name: string) {
  const id = numericId(`${repo.owner}/${repo.name}#${name}`);
  return {
    id,
    node_id: nodeId('Label', id),
    url: `${ctx.apiBase}/repos/${repo.owner}/${
      repo.name
    }/labels/${encodeURIComponent(name)}`,
    name,
    color: 'ededed',
    default: false,
    description: null,
  };
}

/** A pull request as the list (`single: false`) or the single endpoint answers. */
export function pullJson(
  ctx: ServeContext,
  repo: DemoRepository,
  pull: DemoPull,
  single: boolean,
) {
  const full = `${repo.owner}/${repo.name}`;
  const at = (t?: string) => (t ? resolveTime(t, ctx.now) : null);
  const api = `${ctx.apiBase}/repos/${full}`;
  const repoJson = repositoryJson(ctx, repo);
  const json: Record<string, unknown> = {
    url: `${api}/pulls/${pull.number}`,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: `https://${ctx.host}/${full}/pull/${pull.number}`,
    diff_url: `https://${ctx.host}/${full}/pull/${pull.number}.diff`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${api}/pulls/${pull.number}/commits`,
    review_comments_url: `${api}/pulls/${pull.number}/comments`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${pull.head.sha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson(ctx, pull.author),
    body: pull.body,
    labels: pull.labels.map(name => labelJson(ctx, repo, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: at(pull.createdAt),
    updated_at: at(pull.updatedAt),
    closed_at: at(pull.closedAt),
    merged_at: at(pull.mergedAt),
    merge_commit_sha: pull.mergeCommitSha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${repo.owner}:${pull.head.ref}`,
      ref: pull.head.ref,
      sha: pull.head.sha,
      user: repoJson.owner,
      repo: repoJson,
    },
    base: {
      label: `${repo.owner}:${pull.base}`,
      ref: pull.base,
      sha: repo.branches[pull.base] ?? pull.head.sha,
      user: repoJson.owner,
      repo: repoJson,
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: pull.draft,
  };
  if (single) {
    Object.assign(json, {
      merged: Boolean(pull.mergedAt),
      mergeable: pull.state === 'open' ? true : null,
      mergeable_state: pull.state === 'open' ? 'clean' : 'unknown',
      merged_by: pull.mergedBy ? userJson(ctx, pull.mergedBy) : null,
      comments: 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: pull.commits.length,
      additions: 12 * pull.commits.length,
      deletions: 3 * pull.commits.length,
      changed_files: 2 * pull.commits.length,
    });
  }
  return json;
}

export function commitJson(
  ctx: ServeContext,
  repo: DemoRepository,
  commit: DemoCommit,
) {
  const full = `${repo.owner}/${repo.name}`;
  const date = resolveTime(commit.at, ctx.now);
  const person = {
    name: commit.author,
    email: `${commit.author.replace(/\[bot\]$/, '')}@users.noreply.${ctx.host}`,
    date,
  };
  return {
    sha: commit.sha,
    node_id: nodeId('Commit', commit.sha),
    commit: {
      author: person,
      committer: person,
      message: commit.message,
      tree: {
        sha: crypto
          .createHash('sha1')
          .update(`tree:${commit.sha}`)
          .digest('hex'),
        url: `${ctx.apiBase}/repos/${full}/git/trees/${commit.sha}`,
      },
      url: `${ctx.apiBase}/repos/${full}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
      },
    },
    url: `${ctx.apiBase}/repos/${full}/commits/${commit.sha}`,
    html_url: `https://${ctx.host}/${full}/commit/${commit.sha}`,
    comments_url: `${ctx.apiBase}/repos/${full}/commits/${commit.sha}/comments`,
    author: userJson(ctx, commit.author),
    committer: userJson(ctx, commit.author),
    parents: commit.parents.map(p => ({
      sha: p,
      url: `${ctx.apiBase}/repos/${full}/commits/${p}`,
      html_url: `https://${ctx.host}/${full}/commit/${p}`,
    })),
  };
}

export function checkRunJson(
  ctx: ServeContext,
  repo: DemoRepository,
  run: DemoCheckRun,
) {
  const full = `${repo.owner}/${repo.name}`;
  const at = (t?: string) => (t ? resolveTime(t, ctx.now) : null);
  const pulls = repo.pulls.filter(
    p => p.state === 'open' && p.head.sha === run.headSha,
  );
  const runUrl = `https://${ctx.host}/${full}/actions/runs/${run.runId}`;
  const app = GITHUB_APPS[run.app];
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('CheckRun', run.id),
    head_sha: run.headSha,
    external_id: `${run.runId}-${run.id}`,
    url: `${ctx.apiBase}/repos/${full}/check-runs/${run.id}`,
    html_url: `${runUrl}/job/${run.id}`,
    details_url: `${runUrl}/job/${run.id}`,
    status: run.status,
    conclusion: run.status === 'completed' ? run.conclusion ?? null : null,
    started_at: at(run.startedAt),
    completed_at: run.status === 'completed' ? at(run.completedAt) : null,
    output: {
      title: run.output?.title ?? null,
      summary: run.output?.summary ?? null,
      text: run.output?.text ?? null,
      annotations_count: run.annotations?.length ?? 0,
      annotations_url: `${ctx.apiBase}/repos/${full}/check-runs/${run.id}/annotations`,
    },
    check_suite: { id: run.runId },
    app: {
      id: app.id,
      slug: app.slug,
      node_id: nodeId('App', app.id),
      name: app.name,
      owner: { ...userJson(ctx, repo.owner), type: 'Organization' },
      html_url: `https://${ctx.host}/apps/${app.slug}`,
    },
    pull_requests: pulls.map(p => ({
      url: `${ctx.apiBase}/repos/${full}/pulls/${p.number}`,
      id: p.id,
      number: p.number,
      head: {
        ref: p.head.ref,
        sha: p.head.sha,
        repo: { id: repo.id, name: repo.name },
      },
      base: {
        ref: p.base,
        sha: repo.branches[p.base],
        repo: { id: repo.id, name: repo.name },
      },
    })),
  };
}

export function annotationsJson(
  ctx: ServeContext,
  repo: DemoRepository,
  run: DemoCheckRun,
) {
  return (run.annotations ?? []).map(a => ({
    path: a.path,
    blob_href: `https://${ctx.host}/${repo.owner}/${repo.name}/blob/${run.headSha}/${a.path}`,
    start_line: a.line,
    end_line: a.line,
    start_column: null,
    end_column: null,
    annotation_level: a.level,
    title: a.title,
    message: a.message,
    raw_details: null,
  }));
}

export function reviewJson(
  ctx: ServeContext,
  repo: DemoRepository,
  review: DemoReview,
) {
  const full = `${repo.owner}/${repo.name}`;
  return {
    id: review.id,
    node_id: nodeId('PullRequestReview', review.id),
    user: userJson(ctx, review.author),
    body: review.body,
    state: review.state,
    html_url: `https://${ctx.host}/${full}/pull/${review.pull}#pullrequestreview-${review.id}`,
    pull_request_url: `${ctx.apiBase}/repos/${full}/pulls/${review.pull}`,
    author_association: 'MEMBER',
    submitted_at: resolveTime(review.at, ctx.now),
    commit_id: review.commit,
  };
}

export function issueCommentJson(
  ctx: ServeContext,
  repo: DemoRepository,
  comment: DemoComment,
) {
  const full = `${repo.owner}/${repo.name}`;
  return {
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    url: `${ctx.apiBase}/repos/${full}/issues/comments/${comment.id}`,
    html_url: `https://${ctx.host}/${full}/pull/${comment.issue}#issuecomment-${comment.id}`,
    issue_url: `${ctx.apiBase}/repos/${full}/issues/${comment.issue}`,
    body: comment.body,
    user: userJson(ctx, comment.author),
    created_at: resolveTime(comment.createdAt, ctx.now),
    updated_at: resolveTime(comment.updatedAt, ctx.now),
    author_association: 'MEMBER',
  };
}

export function branchJson(
  ctx: ServeContext,
  repo: DemoRepository,
  branch: string,
  head: DemoCommit,
) {
  const full = `${repo.owner}/${repo.name}`;
  const protectedBranch = branch in repo.protection;
  return {
    name: branch,
    commit: commitJson(ctx, repo, head),
    _links: {
      self: `${ctx.apiBase}/repos/${full}/branches/${encodeURIComponent(
        branch,
      )}`,
      html: `https://${ctx.host}/${full}/tree/${branch}`,
    },
    protected: protectedBranch,
    protection: {
      enabled: protectedBranch,
      required_status_checks: {
        enforcement_level: protectedBranch ? 'non_admins' : 'off',
        contexts: repo.protection[branch]?.checks.map(c => c.context) ?? [],
        checks:
          repo.protection[branch]?.checks.map(c => ({
            context: c.context,
            app_id: c.appId,
          })) ?? [],
      },
    },
    protection_url: `${ctx.apiBase}/repos/${full}/branches/${encodeURIComponent(
      branch,
    )}/protection`,
  };
}

export function requiredStatusChecksJson(
  ctx: ServeContext,
  repo: DemoRepository,
  branch: string,
) {
  const protection = repo.protection[branch];
  const url = `${ctx.apiBase}/repos/${repo.owner}/${
    repo.name
  }/branches/${encodeURIComponent(branch)}/protection/required_status_checks`;
  return {
    url,
    strict: protection.strict,
    contexts: protection.checks.map(c => c.context),
    contexts_url: `${url}/contexts`,
    checks: protection.checks.map(c => ({
      context: c.context,
      app_id: c.appId,
    })),
  };
}

export function assetJson(
  ctx: ServeContext,
  repo: DemoRepository,
  release: DemoRelease,
  asset: LoadedAsset,
) {
  const full = `${repo.owner}/${repo.name}`;
  const published = resolveTime(release.publishedAt, ctx.now);
  return {
    url: `${ctx.apiBase}/repos/${full}/releases/assets/${asset.id}`,
    browser_download_url: `https://${
      ctx.host
    }/${full}/releases/download/${encodeURIComponent(
      release.tag,
    )}/${encodeURIComponent(asset.name)}`,
    id: asset.id,
    node_id: nodeId('ReleaseAsset', asset.id),
    name: asset.name,
    label: '',
    state: 'uploaded',
    content_type: asset.contentType,
    size: asset.size,
    digest: asset.digest,
    download_count: 0,
    created_at: published,
    updated_at: published,
    uploader: userJson(ctx, release.author),
  };
}

export function releaseJson(
  ctx: ServeContext,
  repo: DemoRepository,
  release: DemoRelease,
  assets: LoadedAsset[],
) {
  const full = `${repo.owner}/${repo.name}`;
  const published = resolveTime(release.publishedAt, ctx.now);
  return {
    url: `${ctx.apiBase}/repos/${full}/releases/${release.id}`,
    html_url: `https://${ctx.host}/${full}/releases/tag/${encodeURIComponent(
      release.tag,
    )}`,
    assets_url: `${ctx.apiBase}/repos/${full}/releases/${release.id}/assets`,
    upload_url: `https://uploads.${ctx.host}/repos/${full}/releases/${release.id}/assets{?name,label}`,
    tarball_url: `${ctx.apiBase}/repos/${full}/tarball/${encodeURIComponent(
      release.tag,
    )}`,
    zipball_url: `${ctx.apiBase}/repos/${full}/zipball/${encodeURIComponent(
      release.tag,
    )}`,
    id: release.id,
    node_id: nodeId('Release', release.id),
    tag_name: release.tag,
    target_commitish: release.target,
    name: release.name,
    body: release.body,
    draft: false,
    prerelease: release.prerelease,
    immutable: false,
    created_at: published,
    published_at: published,
    author: userJson(ctx, release.author),
    assets: assets.map(a => assetJson(ctx, repo, release, a)),
  };
}

export function contentJson(
  ctx: ServeContext,
  repo: DemoRepository,
  filePath: string,
  text: string,
  ref: string,
) {
  const full = `${repo.owner}/${repo.name}`;
  const bytes = Buffer.from(text, 'utf8');
  const sha = crypto
    .createHash('sha1')
    .update(`blob ${bytes.length}\0`)
    .update(bytes)
    .digest('hex');
  return {
    type: 'file',
    encoding: 'base64',
    size: bytes.length,
    name: filePath.split('/').pop(),
    path: filePath,
    content: bytes.toString('base64').replace(/(.{60})/g, '$1\n'),
    sha,
    url: `${
      ctx.apiBase
    }/repos/${full}/contents/${filePath}?ref=${encodeURIComponent(ref)}`,
    git_url: `${ctx.apiBase}/repos/${full}/git/blobs/${sha}`,
    html_url: `https://${ctx.host}/${full}/blob/${ref}/${filePath}`,
    download_url: `https://raw.${ctx.host}/${full}/${ref}/${filePath}`,
  };
}
