import { ConfigReader } from '@backstage/config';
import { setupServer } from 'msw/node';
import { createTestDatabases, createTestStore } from '../../__testUtils__/databases';
import { GITHUB_ACTIONS, FakeGithub, newId, sha } from './__testUtils__/fakeGithub';
import { mswHandlers } from './__testUtils__/mswGithub';
import {
  addGateRuns,
  addLanePull,
  at,
  commit,
  createTestDeps,
  registerRepository,
  touch,
} from './__testUtils__/scenario';
import { snapshotRepository } from './__testUtils__/snapshot';
import { GithubGateSync } from './GithubGateSync';
import { pullsSyncKey } from './syncDeps';

const databases = createTestDatabases();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function pilotRepo(fake: FakeGithub) {
  const repo = fake.addRepo('acme', 'widget');
  repo.branches.set('main', [commit('Initial commit', -600)]);
  // #2: the seed's pilot, approved by PLAN with all four gates green.
  const pilot = addLanePull(repo, {
    number: 2,
    slug: 'codex-agents-bridge',
    labels: ['claude-enforcing', 'documentation'],
    review: { state: 'APPROVED', body: 'Verified the audit pack. [PLAN-VERDICT:approved]' },
  });
  repo.checkRuns.push(
    { id: newId(), name: 'lint', headSha: pilot.headSha, status: 'completed', conclusion: 'failure', startedAt: at(21), app: GITHUB_ACTIONS },
    {
      id: newId(),
      name: 'Report Negative Tests',
      headSha: pilot.headSha,
      status: 'completed',
      conclusion: 'success',
      startedAt: at(22),
      completedAt: at(25),
      app: GITHUB_ACTIONS,
      summary: [
        '| Test | Blocked | Reason |',
        '|---|---|---|',
        '| unsigned-image | ✅ | fail: 1 |',
        '| non-digest-image | ✅ | fail: 1 |',
        '| provenance-replay | ✅ | digest mismatch |',
      ].join('\n'),
      annotations: [{ title: 'negative-test', message: 'policy-tampering: not blocked' }],
    },
  );
  // #3: not a lane branch, but someone put a lane label on it.
  repo.pulls.set(3, {
    number: 3,
    id: newId(),
    title: 'Bump deps',
    state: 'open',
    author: 'dependabot[bot]',
    headRef: 'dependabot/npm/x',
    headSha: sha('deps'),
    baseRef: 'main',
    createdAt: at(100),
    updatedAt: at(110),
    labels: ['codex-ready'],
    commits: [commit('Bump x', 100)],
  });
  // #4: merged by an admin with the policy gate failing, which protection requires.
  addLanePull(repo, {
    number: 4,
    slug: 'policy-shortcut',
    minutes: 200,
    labels: ['plan-review'],
    gates: { 'Validate Policy Bundle': { conclusion: 'failure' } },
    merged: true,
  });
  repo.protection.set('main', {
    status: 200,
    checks: [
      { context: 'Validate Policy Bundle', app_id: GITHUB_ACTIONS.id },
      { context: 'Verify SLSA Provenance', app_id: GITHUB_ACTIONS.id },
    ],
  });
  // #5: PLAN asked for changes in a comment.
  addLanePull(repo, { number: 5, slug: 'rework', minutes: 300 });
  repo.comments.push({
    id: newId(),
    issueNumber: 5,
    author: 'plan-bot',
    body: 'Rollback script missing. [PLAN-VERDICT:changes-requested]',
    createdAt: at(350),
    updatedAt: at(350),
  });
  return repo;
}

describe.each(databases.eachSupportedId())('GithubGateSync on %p', id => {
  it('reads pull requests, gates, lanes, verdicts, labels and conformance on a first sync', async () => {
    const { store } = await createTestStore(databases, id);
    const fake = new FakeGithub();
    server.use(...mswHandlers(fake));
    pilotRepo(fake);
    const repo = await registerRepository(store);
    const sync = new GithubGateSync(createTestDeps(store));

    const summary = await sync.syncAll();
    expect(summary).toMatchObject({ repositories: 1, succeeded: 1, failed: 0, pullRequests: 4 });
    expect(summary.requests).toBe(fake.log.length);
    expect(fake.log.every(r => r.status === 200)).toBe(true);
    expect(fake.log.filter(r => r.path === '/repos/acme/widget/pulls')[0]).toMatchObject({
      query: { state: 'all', sort: 'updated', direction: 'desc', per_page: '100' },
      ifNoneMatch: undefined,
    });

    const pilot = (await store.gates.getPullRequest(repo.id, 2))!;
    expect(pilot).toMatchObject({
      state: 'open',
      laneSlug: 'codex-agents-bridge',
      labels: ['claude-enforcing', 'documentation'],
      expectedLabel: 'plan-approved',
    });
    const runs = await store.gates.listGateRuns({ pullRequestIds: [pilot.id] });
    expect(runs.map(r => r.checkName).sort()).toEqual([
      'Check Story Release Gate',
      'Run Gate 3 for PRD-12',
      'Validate Policy Bundle',
      'Verify SLSA Provenance',
    ]);
    expect(runs[0]).toMatchObject({ source: 'github', appId: 15368, appSlug: 'github-actions', status: 'completed' });
    const events = await store.gates.listLaneEvents({ pullRequestIds: [pilot.id] });
    expect(events.map(e => [e.kind, e.slug, e.branch])).toEqual([
      ['codex-ready', 'codex-agents-bridge', 'staging/codex-agents-bridge'],
      ['claude-applied', 'codex-agents-bridge', 'feature/codex-agents-bridge'],
    ]);
    const [verdict] = await store.gates.listVerdicts([pilot.id]);
    expect(verdict).toMatchObject({ source: 'review', verdict: 'approved', author: 'plan-bot', commitSha: pilot.headSha });
    expect(await store.gates.listReworkCycles([pilot.id])).toEqual([
      expect.objectContaining({ cycle: 1, verdict: 'approved' }),
    ]);
    const tests = await store.gates.listNegativeTests(repo.id);
    expect(tests.map(t => [t.testName, t.blocked]).sort()).toEqual([
      ['non-digest-image', true],
      ['policy-tampering', false],
      ['provenance-replay', true],
      ['unsigned-image', true],
    ]);

    expect((await store.gates.getPullRequest(repo.id, 3))!.expectedLabel).toBeUndefined();

    const merged = (await store.gates.getPullRequest(repo.id, 4))!;
    expect(merged).toMatchObject({ state: 'merged', mergedBy: 'lead' });
    expect(merged.conformance).toMatchObject({
      conforming: false,
      failing: ['Policy Verification / Validate Policy Bundle'],
      bypassedProtection: true,
      protection: { readable: true, sources: ['branch-protection', 'ruleset'] },
      unenforced: [
        'LEO Gate Validation / Run Gate 3 for PRD-*',
        'Story Release Gate Check / Check Story Release Gate',
      ],
    });

    const rework = (await store.gates.getPullRequest(repo.id, 5))!;
    expect(rework.expectedLabel).toBe('rework-requested');
    expect(await store.gates.listVerdicts([rework.id])).toEqual([
      expect.objectContaining({ source: 'comment', verdict: 'changes-requested', commitSha: rework.headSha }),
    ]);
  });

  it('re-syncs with If-None-Match, treats 304 as unchanged, then reads only what changed', async () => {
    const { store } = await createTestStore(databases, id);
    const fake = new FakeGithub();
    server.use(...mswHandlers(fake));
    const gh = pilotRepo(fake);
    const repo = await registerRepository(store);
    const deps = createTestDeps(store);
    const sync = new GithubGateSync(deps);
    await sync.syncAll();
    const before = await snapshotRepository(store, repo.id);
    const { etag } = (await store.repositories.getSyncState(pullsSyncKey(repo)))!;
    expect(etag).toMatch(/^W\/".+"$/);

    fake.log.length = 0;
    const steady = await sync.syncAll();
    expect(fake.log).toEqual([
      expect.objectContaining({ path: '/repos/acme/widget/pulls', ifNoneMatch: etag, status: 304 }),
    ]);
    expect(steady).toMatchObject({ requests: 1, notModified: 1, unchanged: 1, pullRequests: 0, rows: 0 });
    // A 304 is an answer, not an error worth a log line per repository.
    expect(deps.logger.error).not.toHaveBeenCalled();
    expect(await snapshotRepository(store, repo.id)).toEqual(before);

    // PLAN now asks for changes on the pilot; the head does not move.
    const pilot = gh.pulls.get(2)!;
    gh.reviews.get(2)!.push({
      id: newId(),
      author: 'plan-bot',
      body: '[PLAN-VERDICT:changes-requested] the SBOM is stale',
      state: 'CHANGES_REQUESTED',
      commitId: pilot.headSha,
      submittedAt: at(500),
    });
    touch(pilot, 500);
    fake.log.length = 0;
    const changed = await sync.syncAll();
    expect(changed).toMatchObject({ pullRequests: 1, failed: 0 });
    expect(fake.log.map(r => `${r.path} ${r.status}`)).toEqual([
      '/repos/acme/widget/pulls 200',
      '/repos/acme/widget/pulls/2/reviews 200',
      '/repos/acme/widget/issues/comments 200',
    ]);
    expect(fake.log[0].ifNoneMatch).toBe(etag);
    expect(fake.log[2].query.since).toBe(at(360).replace('Z', '.000Z'));
    expect((await store.gates.getPullRequest(repo.id, 2))!.expectedLabel).toBe('rework-requested');
  });

  it('pages through many pull requests and stops at the closed-lookback window', async () => {
    const { store } = await createTestStore(databases, id);
    const fake = new FakeGithub();
    server.use(...mswHandlers(fake));
    const gh = fake.addRepo('acme', 'busy');
    const now = Date.parse('2025-06-01T00:00:00Z');
    for (let n = 1; n <= 260; n++) {
      const head = sha(`busy-${n}`);
      // 230 recent pull requests, 30 from two years ago of which 5 still open.
      const old = n <= 30;
      const updated = new Date(now - (old ? 700 : 1) * 86_400_000 - n * 60_000).toISOString();
      gh.pulls.set(n, {
        number: n,
        id: newId(),
        title: `Change ${n}`,
        state: old && n > 5 ? 'closed' : 'open',
        author: 'dev',
        headRef: `topic-${n}`,
        headSha: head,
        baseRef: 'main',
        createdAt: updated,
        updatedAt: updated,
        closedAt: old && n > 5 ? updated : undefined,
        labels: [],
        commits: [{ sha: head, message: `Change ${n}`, date: updated }],
      });
      addGateRuns(gh, head, 0);
    }
    const repo = await registerRepository(store, 'acme', 'busy');
    const config = new ConfigReader({
      integrations: { github: [{ host: 'github.com', token: 't' }] },
      dualLane: { sync: { github: { closedLookback: { days: 30 } } } },
    });
    const sync = new GithubGateSync(createTestDeps(store, config));

    const summary = await sync.syncAll({ now: new Date(now) });
    expect(summary.errors).toEqual([]);
    expect(summary.pullRequests).toBe(235);
    const listing = fake.log.filter(r => r.path === '/repos/acme/busy/pulls');
    expect(listing.map(r => [r.query.state, r.query.direction, r.query.page ?? '1'])).toEqual([
      ['all', 'desc', '1'],
      ['all', 'desc', '2'],
      ['all', 'desc', '3'],
      ['open', 'asc', '1'],
    ]);
    const stored = await store.gates.listPullRequests({ repositoryIds: [repo.id], limit: 1000 });
    expect(stored.totalCount).toBe(235);
    expect(stored.items.filter(p => p.number <= 30).map(p => p.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(await store.gates.listGateRuns({ repositoryId: repo.id })).toHaveLength(235 * 4);
  }, 60_000);

  it('waits for the rate-limit reset on a 403 with no requests remaining, then resumes', async () => {
    const { store } = await createTestStore(databases, id);
    const fake = new FakeGithub();
    server.use(...mswHandlers(fake));
    pilotRepo(fake);
    const repo = await registerRepository(store);
    let limited = 0;
    fake.intercept(req => {
      if (req.path.endsWith('/pulls/2/reviews') && limited++ === 0) {
        return {
          status: 403,
          headers: {
            'x-ratelimit-limit': '5000',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-used': '5000',
            'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1),
          },
          body: {
            message: 'API rate limit exceeded for installation ID 1.',
            documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
          },
        };
      }
      return undefined;
    });
    const deps = createTestDeps(store);
    const started = Date.now();
    const summary = await new GithubGateSync(deps).syncAll();
    expect(summary).toMatchObject({ succeeded: 1, failed: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const reviews = fake.requestsTo(/\/pulls\/2\/reviews$/);
    expect(reviews.map(r => r.status)).toEqual([403, 200]);
    expect(deps.logger.warn).toHaveBeenCalledWith(expect.stringMatching(/primary rate limit .*retry 1\//));
    expect((await store.gates.getPullRequest(repo.id, 2))!.expectedLabel).toBe('plan-approved');
  });

  it('stops the run when the rate limit is spent for longer than it may wait', async () => {
    const { store } = await createTestStore(databases, id);
    const fake = new FakeGithub();
    server.use(...mswHandlers(fake));
    pilotRepo(fake);
    await registerRepository(store);
    await registerRepository(store, 'acme', 'second');
    fake.intercept(() => ({
      status: 403,
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
      },
      body: { message: 'API rate limit exceeded for installation ID 1.' },
    }));
    const config = new ConfigReader({
      integrations: { github: [{ host: 'github.com', token: 't' }] },
      dualLane: { sync: { github: { concurrency: 1 } } },
    });
    const summary = await new GithubGateSync(createTestDeps(store, config)).syncAll();
    expect(summary).toMatchObject({ repositories: 2, failed: 1, skipped: 1, succeeded: 0 });
    // Not retried: the reset is further away than the longest allowed wait.
    expect(fake.log).toHaveLength(1);
  });

  it('retries a 5xx a bounded number of times, then fails the run without losing stored data', async () => {
    const { store } = await createTestStore(databases, id);
    const fake = new FakeGithub();
    server.use(...mswHandlers(fake));
    const gh = pilotRepo(fake);
    const repo = await registerRepository(store);
    const deps = createTestDeps(store);
    const sync = new GithubGateSync(deps);
    await sync.syncAll();
    const before = await snapshotRepository(store, repo.id);
    const state = (await store.repositories.getSyncState(pullsSyncKey(repo)))!;

    touch(gh.pulls.get(2)!, 900);
    fake.intercept(req =>
      req.path === '/repos/acme/widget/pulls'
        ? { status: 502, headers: {}, body: { message: 'Server Error' } }
        : undefined,
    );
    fake.log.length = 0;
    const failed = await sync.syncAll();
    expect(failed).toMatchObject({ failed: 1, succeeded: 0 });
    expect(failed.errors[0].error).toMatch(/HTTP 502/);
    // One request and two retries (serverErrorRetries: 2).
    expect(fake.log.map(r => r.status)).toEqual([502, 502, 502]);
    expect(await snapshotRepository(store, repo.id)).toEqual(before);
    const after = (await store.repositories.getSyncState(pullsSyncKey(repo)))!;
    expect(after).toMatchObject({ etag: state.etag, cursor: state.cursor, lastSyncedAt: state.lastSyncedAt });
    expect(after.lastError).toMatch(/HTTP 502/);

    fake.clearInterceptors();
    const recovered = await sync.syncAll();
    expect(recovered).toMatchObject({ failed: 0, pullRequests: 1 });
    expect((await store.repositories.getSyncState(pullsSyncKey(repo)))!.lastError).toBeUndefined();
  });

  it('refuses to call GitHub without credentials, and keeps syncing the others', async () => {
    const { store } = await createTestStore(databases, id);
    const fake = new FakeGithub();
    server.use(...mswHandlers(fake));
    pilotRepo(fake);
    await registerRepository(store);
    const other = await registerRepository(store, 'elsewhere', 'tool');
    const config = new ConfigReader({
      integrations: {
        github: [{ host: 'github.com', apps: [{ appId: 1, privateKey: 'k', clientId: 'c', clientSecret: 's', webhookSecret: 'w', allowedInstallationOwners: ['nobody'] }] }],
      },
    });
    const deps = createTestDeps(store, config);
    // The App is not installed on these owners: no token, so no request at all.
    jest.spyOn((deps.github as any).credentials, 'getCredentials').mockResolvedValue({ type: 'app' });
    const summary = await new GithubGateSync(deps).syncAll();
    expect(summary).toMatchObject({ repositories: 2, failed: 2 });
    expect(fake.log).toEqual([]);
    expect((await store.repositories.getSyncState(pullsSyncKey(other)))!.lastError).toMatch(
      /No GitHub credentials for https:\/\/github.com\/elsewhere/,
    );
  });

  it('stops between repositories when aborted', async () => {
    const { store } = await createTestStore(databases, id);
    const fake = new FakeGithub();
    server.use(...mswHandlers(fake));
    pilotRepo(fake);
    await registerRepository(store);
    const controller = new AbortController();
    controller.abort();
    const summary = await new GithubGateSync(createTestDeps(store)).syncAll({ signal: controller.signal });
    expect(summary).toMatchObject({ repositories: 1, succeeded: 0, skipped: 1, failed: 0 });
    expect(fake.log).toEqual([]);
  });
});
