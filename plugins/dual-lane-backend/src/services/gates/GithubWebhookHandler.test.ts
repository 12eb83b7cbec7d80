import { mockServices } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import {
  createTestDatabases,
  createTestStore,
} from '../../__testUtils__/databases';
import { DualLaneStore } from '../../database';
import {
  FakeGithub,
  FakeRepo,
  GITHUB_ACTIONS,
  newId,
  resetIds,
} from './__testUtils__/fakeGithub';
import { mswHandlers } from './__testUtils__/mswGithub';
import {
  addLanePull,
  at,
  commit,
  createTestDeps,
  registerRepository,
  touch,
} from './__testUtils__/scenario';
import { snapshotRepository } from './__testUtils__/snapshot';
import {
  checkRunEvent,
  pullRequestEvent,
  pushEvent,
  reviewEvent,
} from './__testUtils__/webhookEvents';
import { GithubGateSync } from './GithubGateSync';
import { GithubWebhookHandler } from './GithubWebhookHandler';
import { PullRequestRefresher } from './PullRequestRefresher';
import { RefreshQueue } from './RefreshQueue';

const databases = createTestDatabases();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function setup(store: DualLaneStore) {
  const logger = mockServices.logger.mock();
  resetIds();
  const fake = new FakeGithub();
  server.use(...mswHandlers(fake));
  const gh = fake.addRepo('acme', 'widget');
  gh.branches.set('main', [commit('Initial commit', -600)]);
  const repo = await registerRepository(store);
  const deps = createTestDeps(store, undefined, logger);
  const handler = new GithubWebhookHandler(
    deps,
    new PullRequestRefresher(deps),
    new RefreshQueue(logger),
  );
  const deliver = async (event: string, payload: unknown) => {
    await handler.onEvent({ topic: `github.${event}`, eventPayload: payload });
  };
  return {
    fake,
    gh,
    repo,
    deps,
    handler,
    deliver,
    logger,
    sync: new GithubGateSync(deps),
  };
}

/** Every delivery GitHub would make for the pilot pull request. */
function pilotDeliveries(gh: FakeRepo) {
  const pr = addLanePull(gh, {
    number: 2,
    slug: 'bridge',
    labels: ['plan-approved'],
    review: { state: 'APPROVED', body: '[PLAN-VERDICT:approved]' },
  });
  const deliveries: Array<[string, unknown]> = [
    [
      'push',
      pushEvent(gh, 'staging/bridge', gh.branches.get('staging/bridge')!),
    ],
    ['pull_request', pullRequestEvent('opened', gh, pr)],
    ...gh.checkRuns.flatMap(run => [
      [
        'check_run',
        checkRunEvent('created', gh, {
          ...run,
          status: 'in_progress' as const,
        }),
      ] as [string, unknown],
      ['check_run', checkRunEvent('completed', gh, run)] as [string, unknown],
    ]),
    [
      'pull_request_review',
      reviewEvent('submitted', gh, pr, gh.reviews.get(2)![0]),
    ],
    ['pull_request', pullRequestEvent('labeled', gh, pr)],
  ];
  return { pr, deliveries };
}

describe.each(databases.eachSupportedId())('GithubWebhookHandler on %p', id => {
  it('leaves the same rows as a scheduled sync, whatever the order, duplicates included', async () => {
    const viaSync = await (async () => {
      const { store } = await createTestStore(databases, id);
      const env = await setup(store);
      pilotDeliveries(env.gh);
      await env.sync.syncAll();
      return snapshotRepository(store, env.repo.id);
    })();
    expect(viaSync.pullRequests[0]).toMatchObject({
      expectedLabel: 'plan-approved',
      labels: ['plan-approved'],
    });
    expect(viaSync.gateRuns).toHaveLength(4);

    // Webhooks only, delivered twice, the second time backwards.
    const { store } = await createTestStore(databases, id);
    const env = await setup(store);
    const { deliveries } = pilotDeliveries(env.gh);
    for (const [event, payload] of [
      ...deliveries,
      ...[...deliveries].reverse(),
    ]) {
      await env.deliver(event, payload);
    }
    await env.handler.queue.onIdle();
    expect(await snapshotRepository(store, env.repo.id)).toEqual(viaSync);

    // And a scheduled run racing with redeliveries changes nothing.
    await Promise.all([
      env.sync.syncAll(),
      ...deliveries.map(([event, payload]) => env.deliver(event, payload)),
    ]);
    await env.handler.queue.onIdle();
    expect(await snapshotRepository(store, env.repo.id)).toEqual(viaSync);
  });

  it('keeps the newest copy of a pull request and of a completed check run', async () => {
    const { store } = await createTestStore(databases, id);
    const env = await setup(store);
    const { pr } = pilotDeliveries(env.gh);
    await env.sync.syncAll();
    const run = env.gh.checkRuns[0];

    // A re-run of the first gate fails; the in-progress delivery arrives late.
    const rerun = {
      ...run,
      id: newId(),
      conclusion: 'failure',
      startedAt: at(300),
      completedAt: at(305),
    };
    env.gh.checkRuns.push(rerun);
    await env.deliver('check_run', checkRunEvent('completed', env.gh, rerun));
    await env.deliver(
      'check_run',
      checkRunEvent('created', env.gh, { ...rerun, status: 'in_progress' }),
    );
    await env.deliver('check_run', checkRunEvent('completed', env.gh, rerun));
    const runs = await store.gates.listGateRuns({ repositoryId: env.repo.id });
    expect(runs.find(r => r.externalId === String(rerun.id))).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
    });
    let stored = (await store.gates.getPullRequest(env.repo.id, 2))!;
    expect(stored.expectedLabel).toBe('claude-enforcing');

    // Label events arrive out of order: the older copy must not win.
    const older = pullRequestEvent('labeled', env.gh, {
      ...pr,
      labels: ['plan-approved'],
      updatedAt: at(400),
    });
    const newer = pullRequestEvent('labeled', env.gh, {
      ...pr,
      labels: ['claude-enforcing'],
      updatedAt: at(401),
    });
    await env.deliver('pull_request', newer);
    await env.deliver('pull_request', older);
    stored = (await store.gates.getPullRequest(env.repo.id, 2))!;
    expect(stored).toMatchObject({
      updatedAt: '2025-01-19T16:41:00.000Z',
      labels: ['claude-enforcing'],
    });
  });

  it('applies review verdicts and removes a dismissed one', async () => {
    const { store } = await createTestStore(databases, id);
    const env = await setup(store);
    const { pr } = pilotDeliveries(env.gh);
    await env.sync.syncAll();
    const review = {
      id: newId(),
      author: 'plan-bot',
      body: 'Missing rollback.sql',
      state: 'CHANGES_REQUESTED' as const,
      commitId: pr.headSha,
      submittedAt: at(500),
    };
    await env.deliver(
      'pull_request_review',
      reviewEvent('submitted', env.gh, pr, review),
    );
    expect(
      (await store.gates.getPullRequest(env.repo.id, 2))!.expectedLabel,
    ).toBe('rework-requested');
    await env.deliver(
      'pull_request_review',
      reviewEvent('dismissed', env.gh, pr, { ...review, state: 'DISMISSED' }),
    );
    const stored = (await store.gates.getPullRequest(env.repo.id, 2))!;
    expect(stored.expectedLabel).toBe('plan-approved');
    expect(
      (await store.gates.listVerdicts([stored.id])).map(v => v.externalId),
    ).not.toContain(String(review.id));
    // Someone else's approval does not count: only supervisors give verdicts.
    await env.deliver(
      'pull_request_review',
      reviewEvent('submitted', env.gh, pr, {
        ...review,
        id: newId(),
        author: 'random',
        state: 'CHANGES_REQUESTED',
      }),
    );
    expect(
      (await store.gates.getPullRequest(env.repo.id, 2))!.expectedLabel,
    ).toBe('plan-approved');
  });

  it('reads a pushed lane branch and a moved head through the refresher', async () => {
    const { store } = await createTestStore(databases, id);
    const env = await setup(store);
    const { pr } = pilotDeliveries(env.gh);
    await env.deliver('pull_request', pullRequestEvent('opened', env.gh, pr));
    await env.handler.queue.onIdle();
    const opened = (await store.gates.getPullRequest(env.repo.id, 2))!;
    expect(opened.expectedLabel).toBe('plan-approved');

    // New work after the approval: the head moves, gates have not run yet.
    const next = commit('Fix rollback [CLAUDE-APPLIED:bridge]', 600);
    pr.commits.push(next);
    pr.headSha = next.sha;
    touch(pr, 600);
    env.fake.log.length = 0;
    await env.deliver(
      'pull_request',
      pullRequestEvent('synchronize', env.gh, pr),
    );
    // Nothing is written before the refresher read the details.
    expect((await store.gates.getPullRequest(env.repo.id, 2))!.headSha).toBe(
      opened.headSha,
    );
    await env.handler.queue.onIdle();
    expect(env.fake.log.map(r => r.path)).toContain(
      '/repos/acme/widget/pulls/2/commits',
    );
    const moved = (await store.gates.getPullRequest(env.repo.id, 2))!;
    expect(moved).toMatchObject({
      headSha: next.sha,
      expectedLabel: 'claude-enforcing',
    });
    expect(await store.gates.listReworkCycles([moved.id])).toHaveLength(2);

    const ready = commit('Another [CODEX-READY:bridge]', 700);
    env.gh.branches.set('staging/bridge', [
      ready,
      ...env.gh.branches.get('staging/bridge')!,
    ]);
    await env.deliver('push', pushEvent(env.gh, 'staging/bridge', [ready]));
    await env.deliver('push', pushEvent(env.gh, 'unrelated', [ready]));
    await env.handler.queue.onIdle();
    const events = await store.gates.listLaneEvents({
      pullRequestIds: [moved.id],
    });
    expect(
      events.filter(e => e.kind === 'codex-ready').map(e => e.commitSha),
    ).toContain(ready.sha);
  });

  it('ignores unknown actions, malformed payloads and other repositories with a log line', async () => {
    const { store } = await createTestStore(databases, id);
    const env = await setup(store);
    const { pr } = pilotDeliveries(env.gh);
    await env.deliver(
      'pull_request',
      pullRequestEvent('teleported', env.gh, pr),
    );
    expect(env.logger.info).toHaveBeenCalledWith(
      "Ignoring github.pull_request event with unknown action 'teleported'",
    );
    await env.deliver('check_run', {
      action: 'completed',
      repository: { name: 'widget' },
    });
    expect(env.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Ignoring github.check_run event: malformed payload \(repository.owner: /,
      ),
    );
    await env.deliver('pull_request', 'not json at all');
    await env.deliver('pull_request', null);
    const other = env.fake.addRepo('acme', 'unrelated');
    await env.deliver(
      'check_run',
      checkRunEvent('completed', other, {
        id: newId(),
        name: 'Verify SLSA Provenance',
        headSha: pr.headSha,
        status: 'completed',
        conclusion: 'success',
        startedAt: at(1),
        app: GITHUB_ACTIONS,
      }),
    );
    await env.handler.queue.onIdle();
    expect(
      await store.gates.listPullRequests({
        repositoryIds: [env.repo.id],
        limit: 10,
      }),
    ).toMatchObject({ totalCount: 0 });
    expect(
      await store.gates.listGateRuns({ repositoryId: env.repo.id }),
    ).toEqual([]);
    expect(env.fake.log).toEqual([]);
  });

  it('ignores a repository whose entities left the catalog, although its row stays', async () => {
    const { store } = await createTestStore(databases, id);
    const env = await setup(store);
    const { deliveries } = pilotDeliveries(env.gh);
    await store.repositories.deleteEntitiesExcept([]);
    expect(await store.repositories.getRepository(env.repo.id)).toBeDefined();
    for (const [event, payload] of deliveries)
      await env.deliver(event, payload);
    await env.handler.queue.onIdle();
    expect(
      await store.gates.listPullRequests({
        repositoryIds: [env.repo.id],
        limit: 10,
      }),
    ).toMatchObject({ totalCount: 0 });
    expect(
      await store.gates.listGateRuns({ repositoryId: env.repo.id }),
    ).toEqual([]);
    expect(env.fake.log).toEqual([]);
    expect(env.logger.debug).toHaveBeenCalledWith(
      'Ignoring github.pull_request event for acme/widget: no dual-lane entity points at it',
    );
  });
});
