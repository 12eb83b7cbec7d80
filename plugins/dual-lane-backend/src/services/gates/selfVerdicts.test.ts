import { mockServices } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import {
  createTestDatabases,
  createTestStore,
} from '../../__testUtils__/databases';
import { FakeGithub, newId } from './__testUtils__/fakeGithub';
import { mswHandlers } from './__testUtils__/mswGithub';
import {
  addLanePull,
  at,
  commit,
  createTestDeps,
  registerRepository,
  testConfig,
  touch,
} from './__testUtils__/scenario';
import { reviewEvent } from './__testUtils__/webhookEvents';
import { GithubGateSync } from './GithubGateSync';
import { GithubWebhookHandler } from './GithubWebhookHandler';
import { PullRequestRefresher } from './PullRequestRefresher';
import { RefreshQueue } from './RefreshQueue';
import {
  pruneUncountedVerdicts,
  warnAboutVerdictSettings,
} from './verdictTrust';

const databases = createTestDatabases();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/**
 * Without `dualLane.verdicts.supervisors`, any account's verdict counts
 * except the pull request author's: the builder does not approve its own
 * change.
 */
describe.each(databases.eachSupportedId())(
  'verdicts by the pull request author on %p',
  id => {
    const noSupervisors = () => testConfig({ verdicts: { supervisors: [] } });

    async function setup() {
      const { store } = await createTestStore(databases, id);
      const fake = new FakeGithub();
      server.use(...mswHandlers(fake));
      const gh = fake.addRepo('acme', 'widget');
      gh.branches.set('main', [commit('Initial commit', -600)]);
      const repo = await registerRepository(store);
      const logger = mockServices.logger.mock();
      const deps = createTestDeps(store, noSupervisors(), logger);
      return {
        store,
        fake,
        gh,
        repo,
        deps,
        logger,
        sync: new GithubGateSync(deps),
      };
    }

    it('does not count them from reviews or comments in the scheduled sync', async () => {
      const env = await setup();
      // The builder approves its own pull request (author claude-exec).
      const own = addLanePull(env.gh, {
        number: 2,
        slug: 'self',
        review: {
          state: 'APPROVED',
          body: 'LGTM [PLAN-VERDICT:approved]',
          author: 'Claude-Exec',
        },
      });
      addLanePull(env.gh, { number: 5, slug: 'other', minutes: 300 });
      env.gh.comments.push({
        id: newId(),
        issueNumber: 5,
        author: 'claude-exec',
        body: '[PLAN-VERDICT:approved]',
        createdAt: at(350),
        updatedAt: at(350),
      });
      await env.sync.syncAll();
      const two = (await env.store.gates.getPullRequest(env.repo.id, 2))!;
      const five = (await env.store.gates.getPullRequest(env.repo.id, 5))!;
      expect(await env.store.gates.listVerdicts([two.id, five.id])).toEqual([]);
      expect(two.expectedLabel).toBe('plan-review');
      expect(five.expectedLabel).toBe('plan-review');

      // Anyone else's verdict counts.
      env.gh.reviews.get(2)!.push({
        id: newId(),
        author: 'lead',
        body: '[PLAN-VERDICT:approved]',
        state: 'APPROVED',
        commitId: own.headSha,
        submittedAt: at(500),
      });
      touch(own, 500);
      env.gh.comments.push({
        id: newId(),
        issueNumber: 5,
        author: 'lead',
        body: '[PLAN-VERDICT:changes-requested]',
        createdAt: at(510),
        updatedAt: at(510),
      });
      await env.sync.syncAll();
      const verdicts = await env.store.gates.listVerdicts([two.id, five.id]);
      expect(verdicts.map(v => `${v.author} ${v.verdict}`).sort()).toEqual([
        'lead approved',
        'lead changes-requested',
      ]);
      expect(
        (await env.store.gates.getPullRequest(env.repo.id, 2))!.expectedLabel,
      ).toBe('plan-approved');
      expect(
        (await env.store.gates.getPullRequest(env.repo.id, 5))!.expectedLabel,
      ).toBe('rework-requested');
    });

    it('does not count them from a review webhook', async () => {
      const env = await setup();
      const pr = addLanePull(env.gh, { number: 2, slug: 'self' });
      await env.sync.syncAll();
      const handler = new GithubWebhookHandler(
        env.deps,
        new PullRequestRefresher(env.deps),
        new RefreshQueue(env.logger),
      );
      const review = {
        id: newId(),
        author: 'claude-exec',
        body: '[PLAN-VERDICT:approved]',
        state: 'APPROVED' as const,
        commitId: pr.headSha,
        submittedAt: at(500),
      };
      await handler.onEvent({
        topic: 'github.pull_request_review',
        eventPayload: reviewEvent('submitted', env.gh, pr, review),
      });
      const stored = (await env.store.gates.getPullRequest(env.repo.id, 2))!;
      expect(await env.store.gates.listVerdicts([stored.id])).toEqual([]);
      expect(stored.expectedLabel).toBe('plan-review');

      await handler.onEvent({
        topic: 'github.pull_request_review',
        eventPayload: reviewEvent('submitted', env.gh, pr, {
          ...review,
          id: newId(),
          author: 'lead',
        }),
      });
      expect(
        (await env.store.gates.getPullRequest(env.repo.id, 2))!.expectedLabel,
      ).toBe('plan-approved');
    });

    it('removes stored verdicts the settings no longer count, and recomputes the labels', async () => {
      const env = await setup();
      addLanePull(env.gh, { number: 2, slug: 'self' });
      addLanePull(env.gh, { number: 3, slug: 'fine', minutes: 100 });
      await env.sync.syncAll();
      const two = (await env.store.gates.getPullRequest(env.repo.id, 2))!;
      const three = (await env.store.gates.getPullRequest(env.repo.id, 3))!;
      // Stored before the author was excluded.
      await env.store.gates.upsertVerdicts([
        {
          pullRequestId: two.id,
          source: 'review',
          externalId: '1',
          verdict: 'approved',
          author: 'CLAUDE-EXEC',
          commitSha: two.headSha,
          recordedAt: at(500),
        },
        {
          pullRequestId: three.id,
          source: 'review',
          externalId: '2',
          verdict: 'approved',
          author: 'lead',
          commitSha: three.headSha,
          recordedAt: at(500),
        },
      ]);
      await env.deps.derived.update(env.repo, [2, 3]);
      expect(
        (await env.store.gates.getPullRequest(env.repo.id, 2))!.expectedLabel,
      ).toBe('plan-approved');

      expect(await pruneUncountedVerdicts(env.deps)).toBe(1);
      expect(
        (await env.store.gates.listVerdicts([two.id, three.id])).map(
          v => v.author,
        ),
      ).toEqual(['lead']);
      expect(
        (await env.store.gates.getPullRequest(env.repo.id, 2))!.expectedLabel,
      ).toBe('plan-review');
      expect(
        (await env.store.gates.getPullRequest(env.repo.id, 3))!.expectedLabel,
      ).toBe('plan-approved');
      expect(await pruneUncountedVerdicts(env.deps)).toBe(0);

      // With supervisors configured, only theirs stay.
      const supervised = createTestDeps(env.store, testConfig(), env.logger);
      expect(await pruneUncountedVerdicts(supervised)).toBe(1);
      expect(await env.store.gates.listVerdicts([two.id, three.id])).toEqual(
        [],
      );
      expect(
        (await env.store.gates.getPullRequest(env.repo.id, 3))!.expectedLabel,
      ).toBe('plan-review');
    });
  },
);

describe('warnAboutVerdictSettings', () => {
  it('warns at start when no supervisors are configured, and only then', () => {
    const logger = mockServices.logger.mock();
    warnAboutVerdictSettings(
      { marker: 'PLAN-VERDICT', supervisors: [], reviewStates: true },
      logger,
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'dualLane.verdicts.supervisors is not configured',
      ),
    );
    const quiet = mockServices.logger.mock();
    warnAboutVerdictSettings(
      { marker: 'PLAN-VERDICT', supervisors: ['plan-bot'], reviewStates: true },
      quiet,
    );
    expect(quiet.warn).not.toHaveBeenCalled();
  });
});
