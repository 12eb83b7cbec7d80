import express from 'express';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { DemoRepository } from '../fixtures/schema';
import { DemoGithubApi } from './DemoGithubApi';
import { loadDemoData } from './loadDemoData';
import { createDemoGithubRouter } from './router';

const TOKEN = 'demo-token';
const sha = (n: number) =>
  crypto.createHash('sha1').update(String(n)).digest('hex');
const NOW = new Date('2026-03-01T12:00:30Z');

function repository(overrides: Partial<DemoRepository> = {}): DemoRepository {
  const pull = (number: number, updatedAt: string) => ({
    number,
    id: 900 + number,
    title: `PRD-${number}: change ${number}`,
    body: '',
    state: 'open' as const,
    draft: false,
    author: 'claude-enforcer[bot]',
    head: { ref: `feature/change-${number}`, sha: sha(2) },
    base: 'main',
    labels: ['plan-review'],
    createdAt: 'now-3d',
    updatedAt,
    commits: [sha(2)],
  });
  return {
    id: 42,
    owner: 'acme',
    name: 'widget',
    description: 'A widget',
    private: true,
    defaultBranch: 'main',
    createdAt: 'now-100d',
    commits: [
      {
        sha: sha(1),
        message: 'Initial',
        author: 'mei-lin',
        at: 'now-100d',
        parents: [],
      },
      {
        sha: sha(2),
        message: '[CLAUDE-APPLIED:change] Apply',
        author: 'claude-enforcer[bot]',
        at: 'now-2d',
        parents: [sha(1)],
      },
    ],
    branches: { main: sha(1), 'feature/change-1': sha(2) },
    pulls: [pull(1, 'now-1h'), pull(2, 'now-2h'), pull(3, 'now-3h')],
    reviews: [],
    comments: [],
    checkRuns: [
      {
        id: 10,
        name: 'Verify SLSA Provenance',
        headSha: sha(1),
        status: 'completed',
        conclusion: 'failure',
        startedAt: 'now-5h',
        completedAt: 'now-5h',
        app: 'github-actions',
        runId: 7,
      },
      {
        id: 11,
        name: 'Verify SLSA Provenance',
        headSha: sha(1),
        status: 'completed',
        conclusion: 'success',
        startedAt: 'now-4h',
        completedAt: 'now-4h',
        app: 'github-actions',
        runId: 8,
      },
    ],
    protection: {},
    releases: [
      {
        id: 5,
        tag: 'v1.0.0',
        name: 'widget v1.0.0',
        target: sha(1),
        body: '',
        author: 'github-actions[bot]',
        prerelease: false,
        publishedAt: 'now-1d',
        assets: [
          {
            id: 6,
            name: 'artifact.tar.gz',
            contentType: 'application/gzip',
            file: 'releases/widget/artifact.tar.gz',
          },
        ],
      },
    ],
    attestations: [],
    contents: { 'AGENTS.md': 'files/AGENTS.md' },
    ...overrides,
  };
}

function dataDir(repo: unknown = repository()) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-github-'));
  const write = (file: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  };
  write('github/repos/acme/widget.json', JSON.stringify(repo));
  write('releases/widget/artifact.tar.gz', Buffer.from('artifact bytes'));
  write('files/AGENTS.md', '# AGENTS.md\n');
  return dir;
}

function api(dir = dataDir()) {
  return new DemoGithubApi(loadDemoData(dir, { now: NOW }), {
    token: TOKEN,
    host: 'github.demo.internal',
  });
}

const get = (
  demo: DemoGithubApi,
  pathAndQuery: string,
  headers: Record<string, string> = {},
) => {
  const url = new URL(pathAndQuery, 'http://localhost');
  return demo.handle({
    method: 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: { authorization: `token ${TOKEN}`, ...headers },
    apiBase: 'http://localhost:7007/api/demo-github',
  });
};

describe('DemoGithubApi', () => {
  it('refuses requests without the demo token, as GitHub does without credentials', () => {
    const demo = api();
    expect(get(demo, '/repos/acme/widget', { authorization: '' }).status).toBe(
      401,
    );
    expect(
      get(demo, '/repos/acme/widget', { authorization: 'token nope' }),
    ).toMatchObject({
      status: 401,
      body: { message: 'Bad credentials' },
    });
  });

  it('resolves relative times against its start, in whole minutes', () => {
    const res = get(api(), '/repos/acme/widget/pulls?state=all&sort=updated');
    expect((res.body as any[]).map(p => p.updated_at)).toEqual([
      '2026-03-01T11:00:00Z',
      '2026-03-01T10:00:00Z',
      '2026-03-01T09:00:00Z',
    ]);
  });

  it('pages lists with Link headers that keep the query', () => {
    const demo = api();
    const first = get(
      demo,
      '/repos/acme/widget/pulls?state=open&sort=updated&per_page=2',
    );
    expect((first.body as any[]).map(p => p.number)).toEqual([1, 2]);
    expect(first.headers.link).toBe(
      '<http://localhost:7007/api/demo-github/repos/acme/widget/pulls?state=open&sort=updated&per_page=2&page=2>; rel="next", ' +
        '<http://localhost:7007/api/demo-github/repos/acme/widget/pulls?state=open&sort=updated&per_page=2&page=2>; rel="last"',
    );
    const second = get(
      demo,
      '/repos/acme/widget/pulls?state=open&sort=updated&per_page=2&page=2',
    );
    expect((second.body as any[]).map(p => p.number)).toEqual([3]);
    expect(second.headers.link).toContain('rel="prev"');
  });

  it('answers a matching If-None-Match with 304 and counts it', () => {
    const demo = api();
    const first = get(demo, '/repos/acme/widget/pulls');
    expect(first.headers.etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const again = get(demo, '/repos/acme/widget/pulls', {
      'if-none-match': first.headers.etag,
    });
    expect(again).toMatchObject({
      status: 304,
      headers: { etag: first.headers.etag },
    });
    expect(again.body).toBeUndefined();
    expect(demo.stats).toMatchObject({ requests: 2, notModified: 1 });
    expect(
      get(demo, '/repos/acme/widget/pulls', { 'if-none-match': 'W/"other"' })
        .status,
    ).toBe(200);
  });

  it('serves the latest check run per name of a branch head', () => {
    const res = get(
      api(),
      '/repos/acme/widget/commits/main/check-runs?filter=latest',
    );
    expect(res.body).toMatchObject({
      total_count: 1,
      check_runs: [
        {
          id: 11,
          conclusion: 'success',
          app: { id: 15368, slug: 'github-actions' },
        },
      ],
    });
    const all = get(
      api(),
      '/repos/acme/widget/commits/main/check-runs?filter=all',
    );
    expect((all.body as any).total_count).toBe(2);
    expect(
      get(api(), '/repos/acme/widget/commits/nope/check-runs').status,
    ).toBe(422);
  });

  it('serves files raw or as content objects, and 404 for missing ones', () => {
    const raw = get(api(), '/repos/acme/widget/contents/AGENTS.md?ref=main', {
      accept: 'application/vnd.github.raw+json',
    });
    expect(raw.raw).toBe('# AGENTS.md\n');
    const object = get(api(), '/repos/acme/widget/contents/AGENTS.md?ref=main');
    expect(Buffer.from((object.body as any).content, 'base64').toString()).toBe(
      '# AGENTS.md\n',
    );
    expect(get(api(), '/repos/acme/widget/contents/CLAUDE.md').status).toBe(
      404,
    );
  });

  it('lists release assets with their size and digest, and downloads their bytes', () => {
    const demo = api();
    const [release] = get(demo, '/repos/acme/widget/releases').body as any[];
    const bytes = Buffer.from('artifact bytes');
    expect(release.assets[0]).toMatchObject({
      id: 6,
      size: bytes.length,
      digest: `sha256:${crypto
        .createHash('sha256')
        .update(bytes)
        .digest('hex')}`,
    });
    const download = get(demo, '/repos/acme/widget/releases/assets/6', {
      accept: 'application/octet-stream',
    });
    expect(download.raw).toEqual(bytes);
    expect(get(demo, '/repos/acme/widget/attestations/sha256:abc').status).toBe(
      404,
    );
  });

  it('answers 404 for unknown repositories and 405 for writes', () => {
    const demo = api();
    expect(get(demo, '/repos/acme/unknown/pulls').status).toBe(404);
    expect(get(demo, '/repos/acme/widget/branches/nope').status).toBe(404);
    expect(
      get(
        demo,
        '/repos/acme/widget/branches/main/protection/required_status_checks',
      ),
    ).toMatchObject({
      status: 404,
      body: { message: 'Branch not protected' },
    });
    expect(
      demo.handle({
        method: 'POST',
        path: '/repos/acme/widget/issues',
        query: new URLSearchParams(),
        headers: { authorization: `token ${TOKEN}` },
        apiBase: 'http://localhost',
      }).status,
    ).toBe(405);
  });

  it('serves over HTTP with links to where it is mounted', async () => {
    const app = express();
    app.use('/api/demo-github', createDemoGithubRouter(api()));
    const server = http.createServer(app);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await request(server)
        .get('/api/demo-github/repos/acme/widget/pulls?per_page=1')
        .set('authorization', `token ${TOKEN}`)
        .expect(200);
      expect(res.headers.link).toMatch(
        `<http://127.0.0.1:${port}/api/demo-github/repos/acme/widget/pulls?per_page=1&page=2>; rel="next"`,
      );
      expect(res.body[0].url).toBe(
        `http://127.0.0.1:${port}/api/demo-github/repos/acme/widget/pulls/3`,
      );
      await request(server)
        .get('/api/demo-github/repos/acme/widget/pulls?per_page=1')
        .set('authorization', `token ${TOKEN}`)
        .set('if-none-match', res.headers.etag)
        .expect(304);
    } finally {
      server.close();
    }
  });
});

describe('loadDemoData', () => {
  it('names the file and field of a malformed fixture', () => {
    const dir = dataDir({ ...repository(), pulls: [{ number: 'one' }] });
    expect(() => loadDemoData(dir)).toThrow(
      /widget\.json is malformed at pulls\.0\.number/,
    );
  });

  it('refuses fixtures that name commits the repository does not have', () => {
    const dir = dataDir(repository({ branches: { main: sha(99) } }));
    expect(() => loadDemoData(dir)).toThrow(
      /branch main names commit [0-9a-f]{40}, which the repository does not have/,
    );
  });

  it('refuses asset files outside the data directory', () => {
    const repo = repository();
    repo.releases[0].assets[0].file = 'releases/../../../etc/passwd';
    expect(() => loadDemoData(dataDir(repo))).toThrow(
      /must be a relative path inside the demo data directory/,
    );
  });

  it('tells how to create the data when there is none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-github-empty-'));
    expect(() => loadDemoData(dir)).toThrow(/run 'yarn demo:generate'/);
  });
});
