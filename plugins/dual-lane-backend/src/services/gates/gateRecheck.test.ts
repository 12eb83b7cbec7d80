import { setupServer } from 'msw/node';
import {
  createTestDatabases,
  createTestStore,
} from '../../__testUtils__/databases';
import { FakeGithub, GITHUB_ACTIONS, newId } from './__testUtils__/fakeGithub';
import { mswHandlers } from './__testUtils__/mswGithub';
import {
  addLanePull,
  at,
  commit,
  createTestDeps,
  registerRepository,
  testConfig,
} from './__testUtils__/scenario';
import { GithubGateSync } from './GithubGateSync';

const databases = createTestDatabases();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/**
 * A check re-run on an open pull request's head does not change the pull
 * request's `updated_at`, so the list's ETag cannot see it: without
 * webhooks, a failing gate would stay failing. Every scheduled sync
 * re-reads, conditionally, the head check runs of open pull requests whose
 * gates are not all passing.
 */
describe.each(databases.eachSupportedId())('gate re-check on %p', id => {
  async function setup(extra: object = {}) {
    const { store } = await createTestStore(databases, id);
    const fake = new FakeGithub();
    server.use(...mswHandlers(fake));
    const gh = fake.addRepo('acme', 'widget');
    gh.branches.set('main', [commit('Initial commit', -600)]);
    const repo = await registerRepository(store);
    const deps = createTestDeps(
      store,
      testConfig({
        sync: {
          github: {
            closedLookback: { days: 3650 },
            // The failing pull requests are older than this: only their
            // failing gate keeps them re-checked.
            settleWindow: { minutes: 1 },
            ...extra,
          },
        },
      }),
    );
    return { store, fake, gh, repo, sync: new GithubGateSync(deps) };
  }

  const rerun = (
    gh: ReturnType<FakeGithub['addRepo']>,
    headSha: string,
    minutes: number,
  ) =>
    gh.checkRuns.push({
      id: newId(),
      name: 'Validate Policy Bundle',
      headSha,
      status: 'completed',
      conclusion: 'success',
      startedAt: at(minutes),
      completedAt: at(minutes + 2),
      app: GITHUB_ACTIONS,
    });

  it('sees a failing gate turn green after a re-run, and asks with If-None-Match until then', async () => {
    const env = await setup();
    const pr = addLanePull(env.gh, {
      number: 2,
      slug: 'policy',
      gates: { 'Validate Policy Bundle': { conclusion: 'failure' } },
      review: { state: 'APPROVED', body: '[PLAN-VERDICT:approved]' },
    });
    await env.sync.syncAll();
    const stored = async () =>
      (await env.store.gates.getPullRequest(env.repo.id, 2))!;
    expect((await stored()).expectedLabel).toBe('claude-enforcing');

    // Nothing changed: the list and the head's check runs both answer 304.
    env.fake.log.length = 0;
    const steady = await env.sync.syncAll();
    expect(env.fake.log.map(r => `${r.path} ${r.status}`)).toEqual([
      '/repos/acme/widget/pulls 304',
      `/repos/acme/widget/commits/${pr.headSha}/check-runs 304`,
    ]);
    expect(env.fake.log.every(r => r.ifNoneMatch)).toBe(true);
    expect(steady).toMatchObject({ requests: 2, notModified: 2, rows: 0 });

    // The policy gate is re-run and passes; the pull request is untouched.
    rerun(env.gh, pr.headSha, 400);
    env.fake.log.length = 0;
    await env.sync.syncAll();
    expect(env.fake.log.map(r => `${r.path} ${r.status}`)).toEqual([
      '/repos/acme/widget/pulls 304',
      `/repos/acme/widget/commits/${pr.headSha}/check-runs 200`,
    ]);
    expect((await stored()).expectedLabel).toBe('plan-approved');
    const runs = await env.store.gates.listGateRuns({
      pullRequestIds: [(await stored()).id],
    });
    expect(
      runs
        .filter(r => r.checkName === 'Validate Policy Bundle')
        .map(r => r.conclusion)
        .sort(),
    ).toEqual(['failure', 'success']);

    // All gates pass now: the head is no longer re-read.
    env.fake.log.length = 0;
    await env.sync.syncAll();
    expect(env.fake.log.map(r => `${r.path} ${r.status}`)).toEqual([
      '/repos/acme/widget/pulls 304',
    ]);
  });

  it('re-checks at most maxRechecksPerRepository heads per run, the least recently read first', async () => {
    const env = await setup({ maxRechecksPerRepository: 1 });
    const heads = [2, 3, 4].map(
      (number, i) =>
        addLanePull(env.gh, {
          number,
          slug: `failing-${number}`,
          minutes: i * 100,
          gates: { 'Validate Policy Bundle': { conclusion: 'failure' } },
        }).headSha,
    );
    await env.sync.syncAll();
    const rechecked = async () => {
      env.fake.log.length = 0;
      await env.sync.syncAll();
      return env.fake.log
        .filter(r => r.path.endsWith('/check-runs'))
        .map(r => heads.indexOf(r.path.split('/')[5]));
    };
    const order = [
      ...(await rechecked()),
      ...(await rechecked()),
      ...(await rechecked()),
    ];
    expect(order).toHaveLength(3);
    expect([...order].sort()).toEqual([0, 1, 2]);
    expect(await rechecked()).toEqual([order[0]]);
  });
});
