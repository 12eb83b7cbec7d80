import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DualLaneStore } from '../../database';
import { ComplianceQueries } from '../../database/ComplianceQueries';
import {
  createTestDatabases,
  createTestStore,
} from '../../__testUtils__/databases';
import { GithubClientFactory } from '../github/GithubClientFactory';
import { DriftCheck, gitBlobSha } from './DriftCheck';
import { seedRepository } from './__testUtils__/seed';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const AGENTS = `# AGENTS.md — widget

<!-- dual-lane:gates:begin -->
## Required gates

- \`LEO Gate Validation / Run Gate 3 for PRD-*\`
- \`SLSA Verification / Verify SLSA Provenance\`

## Go/No-Go thresholds

- **≥95% PRs with PLAN verdict recorded in the database**
- **≤2 rework cycles per PR (Codex → Claude → PLAN)**
<!-- dual-lane:gates:end -->
`;
const CLAUDE_DRIFTED = AGENTS.replace('# AGENTS.md', '# CLAUDE.md').replace(
  '≥95%',
  '≥90%',
);
const CLAUDE_ALIGNED = AGENTS.replace('# AGENTS.md', '# CLAUDE.md');

const API = 'https://api.github.com/repos/acme/widget';

/** A fake of the three endpoints the drift check reads, with ETags. */
function fakeGithub(initial: {
  sha: string;
  files: Record<string, string | undefined>;
}) {
  const state = { ...initial, files: { ...initial.files } };
  const seen: string[] = [];
  const etagOf = (text: string) =>
    `"${gitBlobSha(Buffer.from(text)).slice(0, 16)}"`;
  server.use(
    http.get(`${API}/branches/main`, ({ request }) => {
      const etag = `W/"branch-${state.sha}"`;
      if (request.headers.get('if-none-match') === etag) {
        seen.push('branch 304');
        return new HttpResponse(null, { status: 304, headers: { etag } });
      }
      seen.push('branch 200');
      return HttpResponse.json(
        {
          name: 'main',
          commit: { sha: state.sha, url: `${API}/commits/${state.sha}` },
          protected: true,
        },
        { headers: { etag } },
      );
    }),
    http.get(`${API}/contents/:path`, ({ request, params }) => {
      const path = String(params.path);
      const url = new URL(request.url);
      expect(url.searchParams.get('ref')).toBe(state.sha);
      expect(request.headers.get('accept')).toBe(
        'application/vnd.github.raw+json',
      );
      const text = state.files[path];
      if (text === undefined) {
        seen.push(`${path} 404`);
        return HttpResponse.json(
          {
            message: 'Not Found',
            documentation_url:
              'https://docs.github.com/rest/repos/contents#get-repository-content',
            status: '404',
          },
          { status: 404 },
        );
      }
      const etag = etagOf(text);
      if (request.headers.get('if-none-match') === etag) {
        seen.push(`${path} 304`);
        return new HttpResponse(null, { status: 304, headers: { etag } });
      }
      seen.push(`${path} 200`);
      return new HttpResponse(text, {
        headers: { 'content-type': 'application/vnd.github.raw', etag },
      });
    }),
  );
  return { state, seen };
}

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('DriftCheck on %p', id => {
  let store: DualLaneStore;
  let check: DriftCheck;
  let repositoryId: number;
  let now: Date;
  const repo = () => ({
    id: repositoryId,
    host: 'github.com',
    owner: 'acme',
    name: 'widget',
    defaultBranch: 'main',
  });

  beforeEach(async () => {
    const created = await createTestStore(databases, id);
    store = created.store;
    repositoryId = await seedRepository(store, 'widget', [{ name: 'widget' }]);
    now = new Date('2026-11-26T12:00:00.000Z');
    check = new DriftCheck({
      store,
      queries: new ComplianceQueries(created.knex),
      github: GithubClientFactory.fromConfig(
        new ConfigReader({
          integrations: { github: [{ host: 'github.com', token: 'ghp_test' }] },
        }),
        { logger: mockServices.logger.mock(), serverErrorRetryBaseMs: 1 },
      ),
      logger: mockServices.logger.mock(),
      agentsPath: 'AGENTS.md',
      claudePath: 'CLAUDE.md',
      concurrency: 2,
      clock: () => now,
    });
  });

  it('records drift with the lines that disagree, reads nothing while the branch stays, resolves when aligned', async () => {
    const gh = fakeGithub({
      sha: 'a'.repeat(40),
      files: { 'AGENTS.md': AGENTS, 'CLAUDE.md': CLAUDE_DRIFTED },
    });
    expect(await check.checkRepository(repo())).toBe('drift');
    const [incident] = await store.compliance.listDriftIncidents({
      repositoryIds: [repositoryId],
    });
    expect(incident).toMatchObject({
      commitSha: 'a'.repeat(40),
      agentsSha: gitBlobSha(Buffer.from(AGENTS)),
      claudeSha: gitBlobSha(Buffer.from(CLAUDE_DRIFTED)),
      differences: [
        {
          kind: 'threshold-mismatch',
          subject: 'verdict-coverage',
          agents:
            'L11: - **≥95% PRs with PLAN verdict recorded in the database**',
          agentsLine: 11,
          claude:
            'L11: - **≥90% PRs with PLAN verdict recorded in the database**',
          claudeLine: 11,
        },
      ],
      detectedAt: now.toISOString(),
      resolvedAt: undefined,
    });
    expect(gh.seen).toEqual(['branch 200', 'AGENTS.md 200', 'CLAUDE.md 200']);

    // The branch did not move: one conditional request, answered 304.
    gh.seen.length = 0;
    expect(await check.checkRepository(repo())).toBe('unchanged');
    expect(gh.seen).toEqual(['branch 304']);

    // It moved and CLAUDE.md was fixed: AGENTS.md answers 304 and is reused.
    gh.state.sha = 'b'.repeat(40);
    gh.state.files['CLAUDE.md'] = CLAUDE_ALIGNED;
    gh.seen.length = 0;
    now = new Date('2026-11-27T12:00:00.000Z');
    expect(await check.checkRepository(repo())).toBe('aligned');
    expect(gh.seen).toEqual(['branch 200', 'AGENTS.md 304', 'CLAUDE.md 200']);
    expect(
      await store.compliance.listDriftIncidents({
        repositoryIds: [repositoryId],
        openOnly: true,
      }),
    ).toEqual([]);
    expect(await store.compliance.getDriftCheck(repositoryId)).toMatchObject({
      commitSha: 'b'.repeat(40),
      agentsSha: gitBlobSha(Buffer.from(AGENTS)),
      differences: 0,
      checkedAt: now.toISOString(),
    });
    expect(
      (await store.compliance.listPending(now)).map(m => m.repositoryId),
    ).toEqual([repositoryId]);

    // Drifting back to the first pair reopens its incident.
    gh.state.sha = 'c'.repeat(40);
    gh.state.files['CLAUDE.md'] = CLAUDE_DRIFTED;
    now = new Date('2026-11-28T12:00:00.000Z');
    expect(await check.checkRepository(repo())).toBe('drift');
    const incidents = await store.compliance.listDriftIncidents({
      repositoryIds: [repositoryId],
    });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      id: incident.id,
      commitSha: 'c'.repeat(40),
      resolvedAt: undefined,
      detectedAt: now.toISOString(),
    });
  });

  it('records a missing CLAUDE.md as drift', async () => {
    fakeGithub({ sha: 'a'.repeat(40), files: { 'AGENTS.md': AGENTS } });
    expect(await check.checkRepository(repo())).toBe('drift');
    const [incident] = await store.compliance.listDriftIncidents({
      repositoryIds: [repositoryId],
    });
    expect(incident).toMatchObject({
      claudeSha: undefined,
      differences: [{ kind: 'file-missing', subject: 'CLAUDE.md' }],
    });
  });

  it('keeps the error and changes nothing when GitHub fails', async () => {
    server.use(
      http.get(`${API}/branches/main`, () =>
        HttpResponse.json({ message: 'Branch not found' }, { status: 404 }),
      ),
    );
    expect(await check.checkRepository(repo())).toBe('failed');
    expect(await store.compliance.getDriftCheck(repositoryId)).toMatchObject({
      lastError: expect.stringContaining("default branch 'main' not found"),
      checkedAt: undefined,
    });
    expect(
      await store.compliance.listDriftIncidents({
        repositoryIds: [repositoryId],
      }),
    ).toEqual([]);
  });

  it('checks every repository in use, refusing to call GitHub anonymously', async () => {
    const other = await seedRepository(store, 'other', [{ name: 'other' }]);
    await store.repositories.upsertRepositories([
      {
        host: 'github.com',
        owner: 'acme',
        name: 'widget',
        defaultBranch: 'main',
      },
      {
        host: 'ghe.example.com',
        owner: 'acme',
        name: 'other',
        defaultBranch: 'main',
      },
    ]);
    await store.repositories.upsertEntities([
      {
        entityRef: 'component:default/other',
        kind: 'Component',
        namespace: 'default',
        name: 'other',
        repositoryId: (await store.repositories.findRepository(
          'ghe.example.com',
          'acme',
          'other',
        ))!.id,
        annotations: {},
      },
    ]);
    fakeGithub({
      sha: 'a'.repeat(40),
      files: { 'AGENTS.md': AGENTS, 'CLAUDE.md': CLAUDE_ALIGNED },
    });
    expect(await check.checkAll()).toEqual({
      unchanged: 0,
      aligned: 1,
      drift: 0,
      failed: 1,
    });
    const ghe = (await store.repositories.findRepository(
      'ghe.example.com',
      'acme',
      'other',
    ))!;
    expect((await store.compliance.getDriftCheck(ghe.id))!.lastError).toContain(
      "No integrations.github entry for host 'ghe.example.com'",
    );
    expect(await store.compliance.getDriftCheck(other)).toBeUndefined();
  });
});
